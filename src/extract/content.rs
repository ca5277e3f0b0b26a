//! Main-content (article body) extraction.
//!
//! Pipeline: parse (scraper) → strip page furniture and unwrap absurd nesting
//! ([`furniture::clean_html`]) → dom_smoothie (a Readability.js port) → walk the article DOM,
//! one paragraph per block → drop boilerplate left inside the article ("Related", share bars,
//! "48 comments"). When the crate finds nothing, a `<p>` text-density heuristic picks the
//! container instead. Pure (no I/O); crate calls run under `catch_unwind`.

mod furniture;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dom_smoothie::Readability;
use scraper::{ElementRef, Html};

use furniture::{Para, filter_boilerplate, walk_blocks, words};

/// Pages with more elements than this (after cleaning) skip the crate and use the fallback.
const MAX_ELEMENTS: usize = 50_000;

/// Main-content extraction result: article body as normalisable paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// One entry per block (p, h2-h6 subhead, li, blockquote), whitespace collapsed, no empty entries.
    pub paragraphs: Vec<String>,
    /// `"dom_smoothie+clean"` or `"fallback:p-density"`.
    pub method: &'static str,
    /// The crate's title guess (a trailing " | Site" removed), if any.
    pub title: Option<String>,
    /// The crate's byline guess, if any.
    pub byline: Option<String>,
    /// Share of body characters inside `<a>`, for broken-extraction detection.
    pub link_density: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("input does not look like HTML")]
    NotHtml,
    #[error("no article content found")]
    NoContent,
    #[error("extraction crate failed: {0}")]
    Crate(String),
}

/// Extracts the article body of an HTML page. `url` (absolute) only helps link resolution.
pub fn extract_body(html: &str, url: Option<&str>) -> Result<Body, ContentError> {
    if !looks_like_html(html) {
        return Err(ContentError::NotHtml);
    }
    let (cleaned, elements) = preclean(html);
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut panicked = false;
    if elements <= MAX_ELEMENTS {
        let run = catch_unwind(AssertUnwindSafe(|| {
            let mut r = Readability::new(cleaned.as_str(), url, None)
                .or_else(|_| Readability::new(cleaned.as_str(), None, None))?;
            r.parse()
        }));
        panicked = run.is_err();
        if let Ok(Ok(article)) = run {
            let frag = Html::parse_fragment(&article.content);
            let paras = filter_boilerplate(walk_blocks(frag.tree.root()));
            if !paras.is_empty() {
                let title = clean_title(&article.title, article.site_name.as_deref());
                return Ok(make_body(
                    paras,
                    "dom_smoothie+clean",
                    title,
                    article.byline,
                ));
            }
        }
    }
    let cdoc = Html::parse_document(&cleaned);
    let paras = fallback_paragraphs(&cdoc);
    if paras.is_empty() && panicked {
        return Err(ContentError::Crate("dom_smoothie panicked".into()));
    } else if paras.is_empty() {
        return Err(ContentError::NoContent);
    }
    let mut elements = cdoc.tree.root().descendants().filter_map(ElementRef::wrap);
    let title = elements.find(|e| e.value().name() == "title");
    let title = clean_title(&title.map_or(String::new(), |t| t.text().collect()), None);
    Ok(make_body(paras, "fallback:p-density", title, None))
}

/// The page re-serialised without furniture, and its element count (also used by benchmarks).
pub(crate) fn preclean(html: &str) -> (String, usize) {
    furniture::clean_html(&Html::parse_document(html))
}

fn make_body(paras: Vec<Para>, method: &'static str, t: String, b: Option<String>) -> Body {
    let chars: usize = paras.iter().map(|p| p.chars).sum();
    let links: usize = paras.iter().map(|p| p.link_chars).sum();
    Body {
        paragraphs: paras.into_iter().map(|p| p.text).collect(),
        method,
        title: Some(t).filter(|t| !t.is_empty()),
        byline: b.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()),
        link_density: links as f32 / chars.max(1) as f32,
    }
}

/// Some tag in the text and not binary.
fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let head = &b[..b.len().min(8192)];
    let ctrl = head
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c));
    let tag = |w: &[u8]| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!');
    ctrl.count() * 50 <= head.len() && b.windows(2).any(tag)
}

/// Strips a trailing " | Site Name" / " - Section" (or a leading "Site: ") from a title.
fn clean_title(title: &str, site: Option<&str>) -> String {
    let mut t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let site = site.map(|s| words(s).join(" ")).filter(|s| !s.is_empty());
    let is_site = |part: &str| {
        let p = words(part).join(" ");
        site.as_ref()
            .is_some_and(|s| !p.is_empty() && (s.contains(&p) || p.contains(s.as_str())))
    };
    let seps = [
        " | ", " - ", " – ", " — ", " ｜ ", "｜", " :: ", " · ", " » ", " « ",
    ];
    for round in 0..2 {
        let cut = seps
            .iter()
            .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
            .max();
        let Some((i, n)) = cut else { break };
        let (head, tail) = (&t[..i], &t[i + n..]);
        let head_ok = head.split_whitespace().count() >= 3 || head.chars().count() >= 12;
        let tail_short = tail.split_whitespace().count() <= 4 && tail.chars().count() <= 30;
        let subtitle = tail.chars().next().is_some_and(char::is_lowercase);
        let shorter = tail.chars().count() < head.chars().count();
        if is_site(tail) || (round == 0 && head_ok && tail_short && !subtitle && shorter) {
            t = head.trim().to_string();
        } else {
            break;
        }
    }
    if let Some(i) = t.find(": ").filter(|&i| is_site(&t[..i])) {
        t = t[i + 2..].trim().to_string();
    }
    t
}

/// Fallback: the element whose child (and grandchild) `<p>`s carry the most non-link text.
fn fallback_paragraphs(doc: &Html) -> Vec<Para> {
    let count = |e: ElementRef| {
        e.text()
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
            .sum::<usize>()
    };
    let mut scores = HashMap::new();
    for (order, p) in doc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .enumerate()
    {
        if p.value().name() != "p" {
            continue;
        }
        let links: usize = p
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|a| a.value().name() == "a")
            .map(count)
            .sum();
        let len = count(p);
        if len < 25 || links * 2 > len {
            continue;
        }
        if let Some(parent) = p.parent() {
            scores.entry(parent.id()).or_insert((0, order)).0 += len * 2;
            if let Some(gp) = parent.parent() {
                scores.entry(gp.id()).or_insert((0, order)).0 += len;
            }
        }
    }
    // highest score; on a tie the element met first
    let best = scores
        .into_iter()
        .max_by_key(|&(_, (s, order))| (s, std::cmp::Reverse(order)));
    let best = best.and_then(|(id, _)| doc.tree.get(id));
    best.map(|n| filter_boilerplate(walk_blocks(n)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAS: [&str; 4] = [
        "The harbour authority confirmed on Monday that the northern pier will close for repairs in March, affecting ferry routes.",
        "Engineers found corrosion in several support columns during a routine inspection last autumn, the authority said in a statement.",
        "Ferry operators said passengers would be moved to the southern terminal, adding roughly ten minutes to most crossings.",
        "The repairs are expected to cost about 4.2 million euros and to last until the end of the summer season.",
    ];

    fn page(article_extra: &str, outside: &str) -> String {
        format!(
            r#"<!doctype html><html><head><title>Pier to close for repairs | Coast Herald</title>
            <meta property="og:site_name" content="Coast Herald"></head><body>
            <header><a href="/">Coast Herald</a> <a href="/local">Local</a></header>
            <nav><ul><li><a href="/a">Politics</a></li><li><a href="/b">Sport</a></li></ul></nav>
            <article><h1>Pier to close for repairs</h1><p class="byline">By Mira Holt</p>
            <p>{}</p><h2>Ferry routes change</h2><p>{}</p>
            <ul><li>Route 4 moves to the southern terminal from 3 March.</li><li>Route 7 keeps its usual timetable.</li></ul>
            <blockquote>We had no choice once the survey came back, the harbour master said.</blockquote>
            {article_extra}<p>{}</p><p>{}</p></article>{outside}
            <footer><p>Copyright Coast Herald. All rights reserved. Contact us about this site.</p></footer>
            </body></html>"#,
            PARAS[0], PARAS[1], PARAS[2], PARAS[3]
        )
    }

    fn assert_clean(body: &Body) {
        let all = body.paragraphs.join("\n").to_lowercase();
        for junk in [
            "related",
            "facebook",
            "48 comments",
            "sign up",
            "politics",
            "copyright",
            "coast herald</a>",
        ] {
            assert!(
                !all.contains(junk),
                "{junk:?} left in {:#?}",
                body.paragraphs
            );
        }
    }

    #[test]
    fn keeps_blocks_in_order() {
        let b = extract_body(&page("", ""), Some("https://herald.example/pier")).unwrap();
        let want = [
            PARAS[0],
            "Ferry routes change",
            PARAS[1],
            "Route 4 moves to the southern terminal from 3 March.",
            "Route 7 keeps its usual timetable.",
            "We had no choice once the survey came back, the harbour master said.",
            PARAS[2],
            PARAS[3],
        ];
        let got: Vec<&str> = b
            .paragraphs
            .iter()
            .map(String::as_str)
            .filter(|p| !p.starts_with("By "))
            .collect();
        assert_eq!(got, want);
        assert_eq!(b.method, "dom_smoothie+clean");
        assert_eq!(b.title.as_deref(), Some("Pier to close for repairs"));
        assert!(b.link_density < 0.05);
        assert!(
            b.paragraphs
                .iter()
                .all(|p| !p.is_empty() && !p.contains("  "))
        );
    }

    #[test]
    fn drops_furniture_inside_article_by_class() {
        let extra = r##"<div class="related-articles"><h3>Related</h3><ul>
            <li><a href="/x">Council approves new budget for coastal roads</a></li>
            <li><a href="/y">Storm damages boats in the old marina</a></li></ul></div>
            <div class="share-bar"><a href="#">Facebook</a><a href="#">X</a><a href="#">Email</a></div>
            <a class="comment-count" href="#comments">48 comments</a>
            <div class="newsletter-box"><p>Sign up for our morning briefing, delivered to your inbox every day.</p></div>"##;
        let b = extract_body(&page(extra, ""), None).unwrap();
        assert_clean(&b);
        assert!(
            b.paragraphs.iter().any(|p| p == PARAS[3]),
            "{:#?}",
            b.paragraphs
        );
    }

    #[test]
    fn drops_boilerplate_without_classes() {
        let extra = r##"<h3>Related articles</h3><ul>
            <li><a href="/x">Council approves new budget for coastal roads</a></li>
            <li><a href="/y">Storm damages boats in the old marina</a></li></ul>
            <p><a href="#">Share</a> <a href="#">Facebook</a> <a href="#">WhatsApp</a> <a href="#">Copy link</a></p>
            <p><a href="#c">48 comments</a></p><p>Read more: <a href="/z">Harbour fees to rise next year</a></p>"##;
        let b = extract_body(&page(extra, ""), None).unwrap();
        assert_clean(&b);
        assert!(
            !b.paragraphs.iter().any(|p| p.contains("Harbour fees")),
            "{:#?}",
            b.paragraphs
        );
        assert_eq!(
            b.paragraphs
                .iter()
                .filter(|p| PARAS.contains(&p.as_str()))
                .count(),
            4
        );
    }

    #[test]
    fn drops_page_furniture_outside_article() {
        let aside = r#"<aside class="sidebar"><h2>Most read</h2><p>A long teaser paragraph about something else entirely, with enough words to look like prose.</p></aside>"#;
        let b = extract_body(&page("", aside), None).unwrap();
        assert_clean(&b);
        assert!(
            !b.paragraphs.iter().any(|p| p.contains("teaser")),
            "{:#?}",
            b.paragraphs
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for input in [
            "",
            "   \n",
            "just some words, no markup at all",
            "\u{0}\u{1}\u{2}\u{3}<p>\u{4}\u{5}\u{6}\u{7}",
        ] {
            assert!(
                matches!(extract_body(input, None), Err(ContentError::NotHtml)),
                "{input:?}"
            );
        }
        for input in [
            "<html><body></body></html>",
            "<<<>>><div>",
            "<p>",
            "<!-- only a comment -->",
        ] {
            assert!(extract_body(input, None).is_err(), "{input:?}");
        }
        assert!(extract_body(&page("", ""), Some("not a url")).is_ok());
    }

    #[test]
    fn fallback_finds_text_when_crate_does_not() {
        let doc = Html::parse_document(&format!(
            "<div><a href='/'>Home</a></div><div id='story'><p>{}</p><p>{}</p></div>",
            PARAS[0], PARAS[1]
        ));
        let paras: Vec<String> = fallback_paragraphs(&doc)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(paras, [PARAS[0], PARAS[1]]);
    }

    #[test]
    fn title_suffix_removed() {
        assert_eq!(
            clean_title("Pier to close | Coast Herald", Some("Coast Herald")),
            "Pier to close"
        );
        assert_eq!(
            clean_title("Why ports rust - a short history", None),
            "Why ports rust - a short history"
        );
        assert_eq!(
            clean_title("Coast Herald: Pier to close", Some("Coast Herald")),
            "Pier to close"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // ~2 MB, 20,000 nested divs, run on a thread with a small (1 MiB) stack
        let mut html = String::from("<html><body>");
        for i in 0..20_000 {
            html.push_str(&format!("<div class=\"level l{i}\">lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "));
        }
        html.push_str(&format!("<p>{}</p>", PARAS[0]));
        html.push_str(&"</div>".repeat(20_000));
        html.push_str("</body></html>");
        assert!(html.len() > 2_000_000);
        let t = std::thread::Builder::new().stack_size(1 << 20);
        let r = t
            .spawn(move || extract_body(&html, None).map(|b| b.paragraphs.join(" ")))
            .unwrap();
        let text = r
            .join()
            .expect("no stack overflow or panic")
            .expect("content found");
        assert!(text.contains("harbour authority confirmed"));
    }
}
