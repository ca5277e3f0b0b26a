//! The article's text when the page's DOM holds (almost) none of it, but the page carries it
//! elsewhere: in its JSON-LD `articleBody` (pages rendered by script from app state), or in a
//! `<noscript>` fallback (blog engines that fill the body from a script template). html5ever
//! parses with scripting on, so a `<noscript>`'s HTML is one raw text node: it is parsed
//! here, on its own, only when it says much more than the DOM body. Pure.

use super::content::{self, Body};
use super::dom::{Dom, Kind, Tag};

/// An alternative replaces the DOM body only when that is short (under [`SHORT`] characters
/// that are not spaces) and it says [`FACTOR`] times more, at least [`MIN_CHARS`]: the DOM
/// body stays the article whenever it is one, and a paywalled page keeps the teaser it
/// shows rather than the text it hides.
const SHORT: u32 = 840;
const FACTOR: u32 = 3;
const MIN_CHARS: u32 = 420;

/// The body to use: `body` (from the DOM), or a declared or `<noscript>` body that holds
/// several times its text.
pub fn better_body(
    dom: &Dom,
    body: Option<Body>,
    article_body: Option<&str>,
    url: Option<&str>,
) -> Option<Body> {
    let have = body.as_ref().map_or(0, chars);
    if have >= SHORT {
        return body;
    }
    let need = (have * FACTOR).max(MIN_CHARS);
    let mut best: Option<(u32, Body)> = None;
    let mut offer = |b: Option<Body>| {
        if let Some(b) = b {
            let c = chars(&b);
            if c >= need && best.as_ref().is_none_or(|(bc, _)| c > *bc) {
                best = Some((c, b));
            }
        }
    };
    if let Some(text) = article_body.filter(|t| t.len() as u32 >= need) {
        offer(declared(text, url));
    }
    // the page's <noscript> blocks with markup, largest first; parsed only if long enough
    let mut noscripts: Vec<&str> = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == Kind::Element(Tag::Drop) && n.name() == "noscript")
        .filter_map(|(i, _)| dom.nodes.get(i + 1).and_then(|t| t.text()))
        .filter(|t| t.len() as u32 >= need && t.contains("<p"))
        .collect();
    noscripts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    if let Some(html) = noscripts.first() {
        offer(from_html(html, url, "noscript"));
    }
    match best {
        Some((_, b)) => Some(b),
        None => body,
    }
}

/// JSON-LD `articleBody`: HTML when it has paragraph markup, else plain text whose lines are
/// the paragraphs.
fn declared(text: &str, url: Option<&str>) -> Option<Body> {
    if text.contains("<p") {
        return from_html(text, url, "jsonld");
    }
    let paragraphs: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    (!paragraphs.is_empty()).then_some(Body {
        paragraphs,
        method: "jsonld",
        link_density: 0.0,
    })
}

fn from_html(html: &str, url: Option<&str>, method: &'static str) -> Option<Body> {
    let doc = scraper::Html::parse_document(html);
    let dom = Dom::new(&doc);
    content::extract_body(&dom, None, url)
        .ok()
        .map(|b| Body { method, ..b })
}

fn chars(b: &Body) -> u32 {
    b.paragraphs
        .iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).count() as u32)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::super::extract_html;

    const SENTENCE: &str = "The council voted on Tuesday to close three libraries, a decision residents had fought for months. ";

    #[test]
    fn json_ld_article_body_when_the_dom_holds_only_chrome() {
        let html = format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Libraries close","articleBody":"{}\n{}"}}</script></head>
<body><div id="app"><nav><a href="/">Home</a></nav><p>Sign in to read more stories from us today.</p></div></body></html>"#,
            SENTENCE.repeat(4),
            SENTENCE.repeat(3)
        );
        let a = extract_html(&html, None).unwrap();
        assert_eq!(a.method, "html:jsonld");
        assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
        assert!(a.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn noscript_article_when_the_body_is_a_script_template() {
        let inner = format!("<p>{}</p><p>{}</p>", SENTENCE.repeat(4), SENTENCE.repeat(3));
        let html = format!(
            r#"<html><body><h1>Libraries close</h1><div class="post-content">
<script type="text/template">{inner}</script><noscript>{inner}</noscript></div>
<div class="sidebar"><p>Follow us for more.</p></div></body></html>"#
        );
        let a = extract_html(&html, None).unwrap();
        assert_eq!(a.method, "html:noscript");
        assert_eq!(a.paragraphs.len(), 2, "{:?}", a.paragraphs);
    }

    /// Negative: a page whose DOM is the article keeps it, even with a (shorter or
    /// equal) declared body and an image `<noscript>`.
    #[test]
    fn the_dom_article_stays_when_it_is_one() {
        let body: String = (0..4)
            .map(|_| format!("<p>{}</p>", SENTENCE.repeat(2)))
            .collect();
        let html = format!(
            r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","articleBody":"{}"}}</script></head>
<body><article><h1>Libraries close</h1>{body}<noscript><img src="a.jpg"></noscript></article></body></html>"#,
            SENTENCE.repeat(9)
        );
        let a = extract_html(&html, None).unwrap();
        assert!(a.method.starts_with("html:scored"), "{}", a.method);
        assert_eq!(a.paragraphs.len(), 4);
    }
}
