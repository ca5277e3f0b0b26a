//! Plain-text articles (files dropped into a watched folder, `ingest` of saved text): find
//! the headline, byline, a dateline and the body among site boilerplate that came along
//! with a copy-paste (menus, "Related Articles", "Back to top", teaser lists).

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::normalize::both_forms;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextArticle {
    pub headline: Option<String>,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub paragraphs: Vec<String>,
}

/// Lines that end an article when they appear after its body has started.
const END_MARKERS: &[&str] = &[
    "related",
    "related articles",
    "related stories",
    "related content",
    "you may also like",
    "you might also like",
    "read more",
    "more stories",
    "more from",
    "leave a comment",
    "show more",
    "back to top",
    "back to top button",
    "recommended",
    "recommended for you",
    "most read",
    "most popular",
    "trending",
    "trending now",
    "comments",
    "share this article",
    "more on this story",
    "latest news",
    "top stories",
    "read next",
];

/// Single lines of page furniture dropped wherever they appear.
const FURNITURE: &[&str] = &[
    "advertisement",
    "advert",
    "sponsored",
    "share",
    "share this",
    "tweet",
    "print",
    "email",
    "no result",
    "view all result",
    "skip to content",
    "skip to main content",
    "menu",
    "subscribe",
    "sign in",
    "log in",
    "home",
    "home news",
    "search",
];

/// Phrases that mark a promotional paragraph.
const PROMO: &[&str] = &[
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "share your thoughts in the comments",
    "follow us on",
    "download our app",
    "all rights reserved",
    "appeared first on",
];

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_sentence_like(s: &str) -> bool {
    words(s) >= 12 && s.trim_end().ends_with(['.', '!', '?', '"', '\'', ')', ':'])
}

fn key(s: &str) -> String {
    s.to_lowercase()
        .trim_end_matches([':', '.', '!'])
        .trim()
        .to_string()
}

fn is_furniture(s: &str) -> bool {
    let k = key(s);
    FURNITURE.contains(&k.as_str())
        || k.contains('©')
        || k.starts_with("copyright ")
        || PROMO.iter().any(|p| k.contains(p))
}

/// "January 3, 2026", "3 January 2026", "2026-01-03" on a line of its own.
fn dateline(s: &str) -> Option<DateTime<FixedOffset>> {
    let t = s.trim().trim_end_matches('.');
    if words(t) > 5 {
        return None;
    }
    let utc = FixedOffset::east_opt(0)?;
    for f in [
        "%B %d, %Y",
        "%d %B %Y",
        "%b %d, %Y",
        "%d %b %Y",
        "%Y-%m-%d",
        "%B %e, %Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
        }
    }
    None
}

fn byline(s: &str) -> Option<Vec<String>> {
    let t = s.trim();
    let lower = t.to_lowercase();
    (lower.starts_with("by ") && words(t) <= 8).then(|| super::metadata::split_authors(t))
}

/// Extracts an article from plain text. Pure. Lines are judged in their normalised form;
/// body paragraphs keep the text's own glyphs (see [`super::normalize`]).
pub fn extract_text(input: &str) -> TextArticle {
    let (faithful, lines): (Vec<String>, Vec<String>) = input
        .lines()
        .map(both_forms)
        .filter(|(_, l)| !l.is_empty())
        .unzip();
    let mut out = TextArticle::default();
    let Some(body_start) = lines
        .iter()
        .position(|l| is_sentence_like(l) && !is_furniture(l))
    else {
        // No prose at all: keep every non-furniture line as a paragraph.
        out.paragraphs = (lines.iter().zip(faithful))
            .filter(|(l, _)| !is_furniture(l))
            .map(|(_, f)| f)
            .collect();
        return out;
    };

    // Before the body: headline, byline, dateline and stand-first lines.
    for (l, f) in lines[..body_start].iter().zip(&faithful) {
        if let Some(b) = byline(l) {
            out.byline = b;
        } else if let Some(d) = dateline(l) {
            out.published.get_or_insert(d);
        } else if is_furniture(l) || words(l) < 4 {
            continue;
        } else if out.headline.is_none() && words(l) <= 30 && !l.ends_with('.') {
            out.headline = Some(l.clone());
        } else if out.headline.as_deref() != Some(l.as_str()) && out.headline.is_some() {
            out.paragraphs.push(f.clone());
        }
    }

    // The body runs until an end marker; trailing short lines after the last prose are dropped.
    let mut body: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(body_start) {
        let k = key(l);
        if END_MARKERS.contains(&k.as_str()) && !body.is_empty() {
            break;
        }
        if k.starts_with("the post ") && k.contains("appeared first on") {
            break;
        }
        if is_furniture(l) || dateline(l).is_some() || out.headline.as_deref() == Some(l.as_str()) {
            continue;
        }
        if body.iter().any(|&b| lines[b] == *l) {
            continue;
        }
        body.push(i);
    }
    while body
        .last()
        .is_some_and(|&b| !is_sentence_like(&lines[b]) && words(&lines[b]) < 8)
    {
        body.pop();
    }
    out.paragraphs
        .extend(body.into_iter().map(|b| faithful[b].clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "SITE\nNo Result\nView All Result\nHome News\n\n\
        Council vote moved to Friday after protest\n\nJanuary 3, 2026\nin News\n\
        Council vote moved to Friday after protest\nBy Ann Lee\n\n\
        The city council postponed Thursday's vote on the budget to Friday, officials said on Monday.\n\n\
        What happens next?\n\n\
        Members will meet again at 9 a.m. and are expected to approve the plan, the mayor said.\n\n\
        Related Articles\nAnother story entirely with enough words to look like a real paragraph here.\n\
        SITE © 2025\n";

    #[test]
    fn finds_headline_byline_dateline_and_body() {
        let a = extract_text(PAGE);
        assert_eq!(
            a.headline.as_deref(),
            Some("Council vote moved to Friday after protest")
        );
        assert_eq!(a.byline, vec!["Ann Lee"]);
        assert_eq!(a.published.unwrap().date_naive().to_string(), "2026-01-03");
        assert_eq!(a.paragraphs.len(), 3, "{:?}", a.paragraphs);
        assert!(a.paragraphs[0].starts_with("The city council"));
        assert_eq!(a.paragraphs[1], "What happens next?");
    }

    #[test]
    fn prose_only_text_has_no_headline() {
        let a = extract_text(
            "One long paragraph that reads like a sentence of an article and ends well.\n",
        );
        assert_eq!(a.headline, None);
        assert_eq!(a.paragraphs.len(), 1);
    }

    #[test]
    fn no_prose_keeps_lines() {
        let a = extract_text("Short note\nAnother line\n");
        assert_eq!(a.paragraphs, vec!["Short note", "Another line"]);
    }
}
