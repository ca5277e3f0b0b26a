//! Page furniture, for [`super`]: which class/id names mark boxes that are never article text
//! (nav, related/newsletter/share/comment/ad boxes), and the paragraph filter for boilerplate
//! left inside the article ("Related", share bars, "48 comments", weather and ticker widgets).

use super::{Flags, PageText};
use crate::extract::dom::{Dom, Flat, Tag};

/// Furniture by tag, role, visibility or class/id (see [`super`]'s docs for the 40 % guard).
pub(super) fn furniture_box(
    dom: &Dom,
    page: &PageText,
    i: usize,
    tag: Tag,
    flags: Flags,
    total_p: u32,
) -> bool {
    let node = &dom.nodes[i];
    if matches!(tag, Tag::Html | Tag::Body | Tag::Main) || i == 0 {
        return false;
    }
    let role = node.attrs.role;
    let by_tag = matches!(tag, Tag::Nav | Tag::Aside | Tag::Footer)
        || (tag == Tag::Form && !page_wrapper(page, i))
        || (tag == Tag::Header || role == "banner") && !page.in_article[i]
        || matches!(
            role,
            "navigation"
                | "complementary"
                | "contentinfo"
                | "search"
                | "dialog"
                | "menu"
                | "menubar"
        );
    if page.hidden[i] {
        return true;
    }
    // inline elements (<a class="popup">, <span class="share-count">) may carry sentence text
    let inline = || is_inline(node, tag);
    // Readability's "unlikely" class words, as Readability applies them: no guard, and only
    // in the first attempt (a wrong removal makes the text short, and the retry keeps it).
    // The box holding the page's first <h1> ("post-header") is the article's header: its
    // standfirst is text, so "header" there does not make it unlikely.
    if flags.strip_unlikely
        && page.unlikely[i]
        && !matches!(tag, Tag::Table | Tag::Td | Tag::Tr | Tag::Article)
        && !inline()
        && !(page.h1.is_some_and(|h| dom.contains(i, h)) && page.p_chars[i] * 10 < total_p * 4)
    {
        return true;
    }
    // A box whose class says "sidebar" or "promoted" but that wraps the article container
    // holding the headline is a layout wrapper ("container penci_sidebar right-sidebar"):
    // the class describes the page's layout, not this box. The container itself is the
    // article: its class words name its topics ("category-no-newsletter-rss"), not a widget.
    let wraps_article = || page.h1_article.is_some_and(|a| dom.contains(i, a));
    let by_class = flags.strip_classes && page.furniture_attr[i] && !inline() && !wraps_article();
    if !by_tag && !by_class {
        return false;
    }
    // never drop a wrapper that holds 40 % or more of the page's paragraph text
    !(total_p > 0 && page.p_chars[i] * 10 >= total_p * 4)
}

/// A `<form>` around most of the page's text is the page itself, not a form (ASP.NET
/// WebForms wraps every page in one `<form runat="server">`): a login, search or comment
/// form holds a few labels, never 40 % of what the page says.
fn page_wrapper(page: &PageText, i: usize) -> bool {
    let all = page.text_chars.first().copied().unwrap_or(0);
    all > 0 && page.text_chars[i] * 10 >= all * 4
}

/// Inline elements: their class/id never makes them furniture (see [`furniture_box`]).
pub(super) fn is_inline(node: &Flat, tag: Tag) -> bool {
    matches!(tag, Tag::A | Tag::Img | Tag::Time | Tag::Br)
        || (tag == Tag::Other && in_list(INLINE, node.name()))
}

const INLINE: &str =
    "span|em|strong|b|i|u|small|abbr|cite|label|sup|sub|mark|q|code|font|s|del|ins|var|kbd";

// Word lists are '|'-separated strings: compact, and rustfmt leaves them alone.
/// class/id words that mark furniture when they are a whole word ("ad-slot", "navMenu").
/// "caption" and "credit" boxes ("wp-caption-text", "photo-credit") hold captions and photo
/// credits, never article text.
const ATTR_WORDS: [&str; 14] = [
    "ad", "ads", "adv", "dfp", "share", "shares", "nav", "navbar", "menu", "popup", "tags",
    "caption", "credit", "credits",
];
/// ... when they occur inside a word ("relatedArticles" → "related", "socialshare").
const ATTR_PARTS: [&str; 24] = [
    "related",
    "newsletter",
    "advert",
    "sharing",
    "sharebar",
    "social",
    "promo",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "sidebar",
    "popular",
    "trending",
    "outbrain",
    "taboola",
    "recirc",
    "sponsor",
    "disqus",
    "signup",
    "recommend",
    "mostread",
    "moreread",
    "readnext",
];
/// ... as consecutive words (space-delimited, as `furniture_attr` writes them). An author
/// box ("bmg-author-box", "author-bio") is the writer's bio and photo, never the article.
const ATTR_PHRASES: [&str; 13] = [
    " author box ",
    " author bio ",
    " about the author ",
    " most read ",
    " read next ",
    " more stories ",
    " also read ",
    " you may like ",
    " up next ",
    " sign up ",
    " sr only ",
    " visually hidden ",
    " screen reader ",
];
/// Headings of recirculation blocks; link-heavy paragraphs right after them go too.
const SECTION_HEADS: &str = "related|related articles|related stories|related content|related links|related coverage|related news|related topics|read more|more|more stories|more news|you may also like|you might also like|recommended|recommended for you|recommended stories|most read|most popular|popular|trending|trending now|also read|see also|read next|what to read next|up next|top stories|don t miss|editor s picks|latest news|latest stories";
const SHARE_WORDS: &str = "share|this|article|story|page|post|on|via|facebook|twitter|x|email|e|mail|whatsapp|linkedin|pinterest|reddit|print|copy|copied|link|tweet|messenger|telegram|flipboard|save|bookmark|gift|sms|threads|bluesky|mastodon|pin|it|url|or|and|opens|in|new|window|tab|the";
const COMMENT_WORDS: &str = "comment|comments|view|show|hide|read|see|all|add|a|leave|post|your|join|the|conversation|discussion|load|more|open|close|jump|to|go";
const TEASER_PREFIXES: &str = "read more|related|also read|see also|more|watch|listen|recommended|read also|read next|must read|don t miss|click here|trending";
const ADVERT_LINES: &str = "advertisement|ad|sponsored|sponsored content|continue reading|story continues below|article continues below|skip advertisement|advertisement continue reading";

pub(super) fn in_list(list: &'static str, w: &str) -> bool {
    list.split('|').any(|x| x == w)
}

/// Lowercase alphanumeric words.
pub(super) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Appends `v`'s words to `buf`, each followed by a space (lowercase; split on punctuation
/// and camelCase humps).
fn push_tokens(buf: &mut String, v: &str) {
    let (mut in_word, mut prev_lower) = (false, false);
    for c in v.chars() {
        let alnum = c.is_alphanumeric();
        if in_word && (!alnum || (c.is_uppercase() && prev_lower)) {
            buf.push(' ');
            in_word = false;
        }
        if alnum {
            in_word = true;
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if in_word {
        buf.push(' ');
    }
}

/// Matches [`ATTR_PARTS`] (pattern ids below `ATTR_PARTS.len()`) and [`ATTR_PHRASES`] in one
/// pass; "comment" and "subscri" come last, with their exceptions right after them.
static PARTS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    let all = ATTR_PARTS
        .iter()
        .chain(ATTR_PHRASES.iter())
        .chain(["comment", "commentar", "subscri", "subscriber"].iter());
    // a DFA: this runs on every class and id of every page
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(all)
        .expect("static patterns")
});

/// class/id that marks page furniture (related, newsletter, share, ads, comments, ...).
/// `buf` is scratch space, reused across calls.
pub(super) fn furniture_attr(class: &str, id: &str, buf: &mut String) -> bool {
    buf.clear();
    buf.push(' ');
    // atomic-CSS classes ("H(navHeight)") describe style, and long slugs
    // ("sharing-with-a-single-developer") are ids derived from headings: ignore both
    for v in class.split_whitespace().chain(id.split_whitespace()) {
        if v.contains(['(', ':', '!']) {
            continue;
        }
        let start = buf.len();
        push_tokens(buf, v);
        if buf[start..].matches(' ').count() > 4 {
            buf.truncate(start);
        }
    }
    if buf.len() <= 1 {
        return false;
    }
    let fixed = ATTR_PARTS.len() + ATTR_PHRASES.len();
    let (mut comment, mut subscri) = (0i32, 0i32);
    for m in PARTS.find_overlapping_iter(buf.as_str()) {
        match m.pattern().as_usize() - fixed.min(m.pattern().as_usize()) {
            // "node--promoted" (Drupal: promoted to the front page) is the article itself
            _ if m.pattern().as_usize() < fixed
                && ATTR_PARTS.get(m.pattern().as_usize()) == Some(&"promo")
                && buf[m.end()..].starts_with("ted") => {}
            _ if m.pattern().as_usize() < fixed => return true,
            0 => comment += 1,
            1 => comment -= 1,
            2 => subscri += 1,
            _ => subscri -= 1,
        }
    }
    // "subscription-content", "subscriber-article": a paywall wrapper around the article text
    let paywalled_text = || {
        buf.split(' ')
            .any(|t| matches!(t, "content" | "article" | "body" | "story"))
    };
    comment > 0
        || (subscri > 0 && !paywalled_text())
        || buf.split(' ').any(|t| ATTR_WORDS.contains(&t))
}

/// A block of body text; `chars` and `link_chars` count non-whitespace characters.
#[derive(Debug, Default)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) chars: usize,
    pub(super) link_chars: usize,
    /// Kept from a box that conditional cleaning drops ([`super::Live::salvage`]): not
    /// counted when an attempt decides whether it found enough text.
    pub(super) salvaged: bool,
}

fn link_heavy(p: &Para) -> bool {
    p.link_chars * 10 >= p.chars * 8
}

fn is_section_head(joined: &str) -> bool {
    let short = joined.split(' ').count() <= 5;
    in_list(SECTION_HEADS, joined)
        || (short
            && ["more on ", "more from ", "more in ", "related "]
                .iter()
                .any(|p| joined.starts_with(p)))
}

/// Paragraph-level boilerplate: share bars, comment counters, teasers, newsletter pitches.
fn is_boilerplate(p: &Para) -> bool {
    // Long paragraphs can only be teasers ("Read more: ..."): every other rule is for short
    // lines, so skip the word split for them.
    if p.text.split_whitespace().nth(32).is_some() {
        return teaser_lead(&p.text);
    }
    let w = words(&p.text);
    let (joined, n) = (w.join(" "), w.len());
    if n == 0 || is_section_head(&joined) {
        return true;
    }
    let all_in = |list| {
        w.iter()
            .all(|x| in_list(list, x) || x.chars().all(|c| c.is_ascii_digit()))
    };
    let has = |k: &str| joined.contains(k);
    let starts = |pre: &str| joined == pre || joined.starts_with(&format!("{pre} "));
    let is_share =
        n <= 15 && all_in(SHARE_WORDS) && w.iter().any(|x| !in_list("the|this|on|and|or", x));
    let is_counter = n <= 6 && all_in(COMMENT_WORDS) && (has("comment") || has("conversation"));
    let teaser = teaser_lead(&p.text);
    let short_call = (n <= 12
        && (starts("read more") || starts("follow us") || starts("click here")))
        || (n <= 15 && (has("comment below") || has("comments below") || has("comments section")))
        || (n <= 3 && in_list(ADVERT_LINES, &joined));
    let pitch = [
        "sign up",
        "subscribe",
        "inbox",
        "email",
        "get ",
        "receive",
        "deliver",
        "keep up",
    ];
    let newsletter = n <= 30
        && ((has("newsletter") && pitch.iter().any(|k| has(k)))
            || starts("sign up")
            || starts("subscribe")
            || joined.ends_with(" sign up")
            || joined.ends_with(" subscribe"));
    is_share || is_counter || teaser || short_call || newsletter || widget_line(&p.text, &w)
}

/// "Read more: ...", "RELATED PHOTOS: ...", "Watch | ..." teaser lines.
fn teaser_lead(text: &str) -> bool {
    let head = text.get(..text.len().min(80)).unwrap_or(text);
    if !head.contains([':', '|', '»', '—', '–', '-']) {
        return false;
    }
    let head: String = text.chars().take(60).collect::<String>().to_lowercase();
    let sep = head
        .find([':', '|', '»', '—', '–'])
        .into_iter()
        .chain(head.find(" - "))
        .min();
    let lead = sep
        .map(|i| words(&head[..i]).join(" "))
        .filter(|l| l.split(' ').count() <= 5);
    lead.is_some_and(|l| {
        TEASER_PREFIXES
            .split('|')
            .any(|pre| l == pre || l.starts_with(&format!("{pre} ")))
    })
}

/// Words of counters and "time ago" stamps ("1.2K shares", "48 comments", "5 min read",
/// "Updated 5 minutes ago").
const COUNTER_WORDS: &str = "share|shares|shared|comment|comments|view|views|like|likes|reaction|reactions|reply|replies|read|reads|min|mins|minute|minutes|hour|hours|hr|hrs|second|seconds|sec|secs|day|days|week|weeks|month|months|ago|just|now|updated|update|published|posted|k|m|retweets|followers|points|votes|vote|clap|claps|listen|listens|plays";

/// Widget and counter lines whose numbers must never reach the claims layer: counters and
/// relative timestamps, weather ("London 14°C Partly cloudy"), market tickers
/// ("FTSE 100 7,501.20 -0.31%"). Real sentences end with punctuation and are kept.
fn widget_line(text: &str, w: &[String]) -> bool {
    let n = w.len();
    let digit = |x: &String| x.chars().all(|c| c.is_ascii_digit());
    let has_digit = w.iter().any(digit);
    if !has_digit || n > 14 {
        return false;
    }
    let sentence = text.trim_end().ends_with(['.', '!', '?', '"', '\'', '”']);
    let counter = n <= 8
        && w.iter().all(|x| digit(x) || in_list(COUNTER_WORDS, x))
        && w.iter().any(|x| !digit(x));
    let temperature = n <= 10
        && !sentence
        && (text.contains('°') || text.contains('º'))
        && text
            .split('°')
            .next()
            .is_some_and(|before| before.trim_end().ends_with(|c: char| c.is_ascii_digit()));
    let change = text.contains(['▲', '▼'])
        || text
            .split_whitespace()
            .any(|t| t.starts_with(['+', '-', '−']) && t.ends_with('%') && t.len() > 2);
    let lowercase_words = text
        .split_whitespace()
        .filter(|t| t.chars().next().is_some_and(char::is_lowercase))
        .count();
    let ticker = n <= 14 && !sentence && change && lowercase_words * 3 < n;
    counter || temperature || ticker
}

/// Drops boilerplate paragraphs, runs of link-only paragraphs (teaser lists) and the link
/// lists that follow a "Related" / "Most read" heading.
pub(super) fn filter_boilerplate(paras: Vec<Para>) -> Vec<Para> {
    let (mut keep, mut in_recirc, mut skip) = (vec![false; paras.len()], false, 0usize);
    for (i, p) in paras.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let run = paras[i..].iter().take_while(|q| link_heavy(q)).count();
        if run >= 2 || (in_recirc && run == 1) {
            skip = run - 1;
            continue;
        }
        in_recirc = false;
        if is_boilerplate(p) {
            in_recirc = is_section_head(&words(&p.text).join(" "));
        } else {
            keep[i] = true;
        }
    }
    // A short line, mostly a link, closing the article ("Our Standards: The … Trust
    // Principles", "More from our correspondent") is a badge or a promo, not its last
    // paragraph; so is chrome there (a sign-off, a copyright line).
    for (p, k) in paras.iter().zip(keep.iter_mut()).rev() {
        if !*k {
            continue;
        }
        let n = paras.len();
        let chrome = crate::extract::chrome::classify(
            &p.text,
            n - 1,
            n,
            0,
            &crate::extract::chrome::PageFacts::default(),
        );
        let mostly_link = p.link_chars * 2 >= p.chars;
        if chrome.is_some() || (mostly_link && p.text.split_whitespace().nth(15).is_none()) {
            *k = false;
        } else {
            break;
        }
    }
    paras
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

#[cfg(test)]
mod tests;
