//! Main-content (article body) extraction.
//!
//! Pipeline: parse (scraper) -> strip page furniture (nav/footer/aside/form, header outside the
//! article, related/newsletter/share/comment/ad boxes by class/id) and flatten absurd nesting ->
//! dom_smoothie (Readability.js port) -> walk the article DOM, one paragraph per block ->
//! drop boilerplate paragraphs ("Related", "Read more", share bars, "48 comments").
//! When the crate finds nothing, a `<p>` text-density heuristic picks the container instead.
//! Pure (no I/O); every traversal is iterative; crate calls run under `catch_unwind`.

use std::collections::HashMap;
use std::ops::Deref;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dom_smoothie::Readability;
use scraper::{ElementRef, Html, Node};

type NodeRef<'a> = <ElementRef<'a> as Deref>::Target;

/// Elements nested deeper than this are unwrapped (content kept) before the crate sees the page.
const MAX_DEPTH: usize = 128;
/// Pages with more elements than this skip the crate and use the fallback heuristic.
const MAX_ELEMENTS: usize = 50_000;

/// Main-content extraction result: article body as normalisable paragraphs.
#[derive(Debug, Clone)]
pub struct Body {
    pub paragraphs: Vec<String>,
    pub method: &'static str,
    pub title: Option<String>,
    pub byline: Option<String>,
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

pub fn extract_body(html: &str, url: Option<&str>) -> Result<Body, ContentError> {
    if !looks_like_html(html) {
        return Err(ContentError::NotHtml);
    }
    let doc = Html::parse_document(html);
    let (cleaned, elements) = clean_html(&doc);
    drop(doc);
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut crate_err = None;
    if elements <= MAX_ELEMENTS {
        let run = catch_unwind(AssertUnwindSafe(|| {
            let mut r = Readability::new(cleaned.as_str(), url, None)
                .or_else(|_| Readability::new(cleaned.as_str(), None, None))?;
            r.parse()
        }));
        match run {
            Ok(Ok(article)) => {
                let frag = Html::parse_fragment(&article.content);
                let paras = filter_boilerplate(walk_blocks(frag.tree.root()));
                if !paras.is_empty() {
                    let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
                    let byline = article
                        .byline
                        .map(|b| b.trim().to_string())
                        .filter(|b| !b.is_empty());
                    return Ok(make_body(paras, "dom_smoothie+clean", title, byline));
                }
            }
            Ok(Err(e)) => crate_err = Some(e.to_string()),
            Err(_) => crate_err = Some("dom_smoothie panicked".to_string()),
        }
    }
    let cdoc = Html::parse_document(&cleaned);
    let paras = fallback_paragraphs(&cdoc);
    if paras.is_empty() {
        return Err(match crate_err {
            Some(e) if e.contains("panicked") => ContentError::Crate(e),
            _ => ContentError::NoContent,
        });
    }
    let title = cdoc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "title")
        .map(|t| collapse(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    Ok(make_body(paras, "fallback:p-density", title, None))
}

struct Para {
    text: String,
    chars: usize,
    link_chars: usize,
}

fn make_body(
    paras: Vec<Para>,
    method: &'static str,
    title: Option<String>,
    byline: Option<String>,
) -> Body {
    let chars: usize = paras.iter().map(|p| p.chars).sum();
    let links: usize = paras.iter().map(|p| p.link_chars).sum();
    let link_density = if chars == 0 {
        0.0
    } else {
        links as f32 / chars as f32
    };
    Body {
        paragraphs: paras.into_iter().map(|p| p.text).collect(),
        method,
        title,
        byline,
        link_density,
    }
}

fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let head = &b[..b.len().min(8192)];
    let binary = head
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    binary * 50 <= head.len()
        && b.windows(2)
            .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'!'))
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Splits class/id values into lowercase words (on punctuation and camelCase humps).
fn attr_tokens(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in v.chars() {
        if (!c.is_alphanumeric() || (c.is_uppercase() && prev_lower)) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// class/id that marks page furniture (related, newsletter, share, ads, comments, ...).
fn furniture_attr(el: &ElementRef) -> bool {
    let e = el.value();
    let (class, id) = (e.attr("class").unwrap_or(""), e.id().unwrap_or(""));
    if class.is_empty() && id.is_empty() {
        return false;
    }
    let toks = attr_tokens(&format!("{class} {id}"));
    const EXACT: &[&str] = &[
        "ad", "ads", "adv", "dfp", "share", "shares", "nav", "navbar", "menu", "popup", "modal",
        "tags",
    ];
    const SUB: &[&str] = &[
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
    if toks.iter().any(|t| {
        EXACT.contains(&t.as_str())
            || SUB.iter().any(|s| t.contains(s))
            || (t.contains("comment") && !t.contains("commentar"))
            || (t.contains("subscri") && !t.contains("subscriber"))
    }) {
        return true;
    }
    let joined = format!(" {} ", toks.join(" "));
    [
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
    ]
    .iter()
    .any(|p| joined.contains(p))
}

fn is_article_root(el: &ElementRef) -> bool {
    let e = el.value();
    matches!(e.name(), "article" | "main")
        || e.attr("itemprop")
            .is_some_and(|v| v.eq_ignore_ascii_case("articleBody"))
        || e.attr("role")
            .is_some_and(|r| r == "main" || r == "article")
}

/// Characters of `<p>` text below `el` (used to protect containers that hold the article).
fn p_text_len(el: ElementRef) -> usize {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "p")
        .map(|p| {
            p.text()
                .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
                .sum::<usize>()
        })
        .sum()
}

/// True when the element (and its subtree) should not reach the extractor.
fn drop_element(el: ElementRef, in_article: bool, total_p: usize) -> bool {
    let e = el.value();
    match e.name() {
        "script" => return !e.attr("type").is_some_and(|t| t.contains("ld+json")),
        "style" | "noscript" | "template" | "iframe" | "svg" | "canvas" | "button" | "select"
        | "textarea" | "input" | "dialog" | "object" | "embed" => return true,
        "html" | "head" | "body" | "main" | "title" | "meta" | "link" => return false,
        _ => {}
    }
    let role = e.attr("role").unwrap_or("");
    let hidden = e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
        || e.attr("style").is_some_and(|s| {
            let s = s.replace(' ', "").to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        });
    let furniture = hidden
        || matches!(e.name(), "nav" | "footer" | "aside" | "form")
        || (e.name() == "header" && !in_article)
        || matches!(
            role,
            "navigation" | "complementary" | "contentinfo" | "search" | "dialog" | "alertdialog"
        )
        || (role == "banner" && !in_article)
        || furniture_attr(&el);
    // never drop a wrapper that holds 40 % or more of the page's paragraph text
    furniture && !(total_p > 0 && p_text_len(el) * 10 >= total_p * 4)
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave(&'a str, bool, bool),
}

fn push_children<'a>(stack: &mut Vec<Step<'a>>, node: NodeRef<'a>) {
    let mut child = node.last_child();
    while let Some(c) = child {
        stack.push(Step::Enter(c));
        child = c.prev_sibling();
    }
}

fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' if !attr => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Re-serialises the page without furniture; elements deeper than MAX_DEPTH are unwrapped.
/// Returns the HTML and the number of elements kept.
pub(crate) fn clean_html(doc: &Html) -> (String, usize) {
    let total_p = p_text_len(doc.root_element());
    let mut out = String::from("<!DOCTYPE html>");
    let (mut depth, mut in_article, mut count) = (0usize, 0usize, 0usize);
    let mut stack = vec![Step::Enter(doc.tree.root())];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave(name, emitted, article) => {
                if emitted {
                    depth -= 1;
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
                in_article -= usize::from(article);
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(t) => escape_into(&mut out, t, false),
            Node::Document | Node::Fragment => push_children(&mut stack, node),
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                if drop_element(el, in_article > 0, total_p) {
                    continue;
                }
                let name = e.name();
                let emit = depth < MAX_DEPTH;
                if emit {
                    count += 1;
                    out.push('<');
                    out.push_str(name);
                    for (k, v) in e.attrs() {
                        if !k.starts_with("data-")
                            && !k.starts_with("on")
                            && !k.contains(['"', '<', '>', '=', '/'])
                        {
                            out.push(' ');
                            out.push_str(k);
                            out.push_str("=\"");
                            escape_into(&mut out, v, true);
                            out.push('"');
                        }
                    }
                    out.push('>');
                }
                if VOID.contains(&name) {
                    continue;
                }
                if name == "script" {
                    out.extend(el.text());
                    out.push_str("</script>");
                    continue;
                }
                let article = is_article_root(&el);
                depth += usize::from(emit);
                in_article += usize::from(article);
                stack.push(Step::Leave(name, emit, article));
                push_children(&mut stack, node);
            }
            _ => {}
        }
    }
    (out, count)
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "caption",
    "tbody",
    "thead",
    "tfoot",
];
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "iframe",
    "form",
    "nav",
    "aside",
    "footer",
    "figcaption",
    "h1",
    "canvas",
    "object",
    "embed",
    "head",
    "title",
];

/// Emits one paragraph per block element below `root`, collapsing whitespace; tracks link text.
fn walk_blocks(root: NodeRef) -> Vec<Para> {
    let mut out = Vec::new();
    let mut cur = Para {
        text: String::new(),
        chars: 0,
        link_chars: 0,
    };
    let (mut pending_space, mut link_depth) = (false, 0usize);
    let mut stack = vec![Step::Enter(root)];
    let flush = |cur: &mut Para, out: &mut Vec<Para>| {
        if cur.chars > 0 {
            out.push(std::mem::replace(
                cur,
                Para {
                    text: String::new(),
                    chars: 0,
                    link_chars: 0,
                },
            ));
        }
    };
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave(name, block, link) => {
                link_depth -= usize::from(link);
                if block {
                    flush(&mut cur, &mut out);
                    pending_space = false;
                }
                let _ = name;
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(t) => {
                for c in t.chars() {
                    if c.is_whitespace() {
                        pending_space = true;
                        continue;
                    }
                    if pending_space && !cur.text.is_empty() {
                        cur.text.push(' ');
                    }
                    pending_space = false;
                    cur.text.push(c);
                    cur.chars += 1;
                    cur.link_chars += usize::from(link_depth > 0);
                }
            }
            Node::Document | Node::Fragment => push_children(&mut stack, node),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                if name == "br" {
                    pending_space = true;
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(&mut cur, &mut out);
                    pending_space = false;
                }
                let link = name == "a";
                link_depth += usize::from(link);
                stack.push(Step::Leave(name, block, link));
                push_children(&mut stack, node);
            }
            _ => {}
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn link_dominated(p: &Para) -> bool {
    p.link_chars * 10 >= p.chars * 8
}

/// Headings that introduce recirculation blocks; link-heavy paragraphs right after them go too.
const SECTION_HEADS: &[&str] = &[
    "related",
    "related articles",
    "related stories",
    "related content",
    "related links",
    "related coverage",
    "related news",
    "related topics",
    "read more",
    "more",
    "more stories",
    "more news",
    "more on this story",
    "more on this topic",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "recommended stories",
    "most read",
    "most popular",
    "popular",
    "trending",
    "trending now",
    "also read",
    "see also",
    "read next",
    "what to read next",
    "up next",
    "more from",
    "top stories",
    "don t miss",
    "editor s picks",
    "latest news",
    "latest stories",
];
const SHARE: &[&str] = &[
    "share",
    "this",
    "article",
    "story",
    "page",
    "on",
    "via",
    "facebook",
    "twitter",
    "x",
    "email",
    "e",
    "mail",
    "whatsapp",
    "linkedin",
    "pinterest",
    "reddit",
    "print",
    "copy",
    "copied",
    "link",
    "tweet",
    "messenger",
    "telegram",
    "flipboard",
    "save",
    "bookmark",
    "gift",
    "sms",
    "threads",
    "bluesky",
    "mastodon",
    "pin",
    "it",
    "url",
    "or",
    "and",
    "opens",
    "in",
    "new",
    "window",
    "tab",
    "the",
];
const COMMENT: &[&str] = &[
    "comment",
    "comments",
    "view",
    "show",
    "hide",
    "read",
    "see",
    "all",
    "add",
    "a",
    "leave",
    "post",
    "your",
    "join",
    "the",
    "conversation",
    "discussion",
    "load",
    "more",
    "open",
    "close",
    "jump",
    "to",
    "go",
];
const PREFIXES: &[&str] = &[
    "read more",
    "related",
    "also read",
    "see also",
    "more",
    "watch",
    "listen",
    "recommended",
    "read also",
    "read next",
    "must read",
    "don t miss",
    "click here",
    "trending",
];

fn is_boilerplate(p: &Para) -> bool {
    let w = words(&p.text);
    let joined = w.join(" ");
    let n = w.len();
    if n == 0 || SECTION_HEADS.contains(&joined.as_str()) {
        return true;
    }
    let all_in = |set: &[&str]| {
        w.iter()
            .all(|x| set.contains(&x.as_str()) || x.chars().all(|c| c.is_ascii_digit()))
    };
    if n <= 15 && all_in(SHARE) && w.iter().any(|x| x != "the" && x != "this" && x != "on") {
        return true; // share bar
    }
    if n <= 6
        && all_in(COMMENT)
        && w.iter()
            .any(|x| x.starts_with("comment") || x == "conversation")
    {
        return true; // "48 comments", "View comments", "Join the conversation"
    }
    let lower = p.text.trim_start().to_lowercase();
    if PREFIXES.iter().any(|pre| {
        lower.starts_with(pre)
            && lower[pre.len()..]
                .trim_start()
                .starts_with([':', '|', '>', '»', '-', '–', '—'])
    }) || (n <= 3
        && matches!(
            joined.as_str(),
            "advertisement"
                | "ad"
                | "sponsored"
                | "sponsored content"
                | "continue reading"
                | "story continues below"
                | "article continues below"
                | "skip advertisement"
                | "advertisement continue reading"
        ))
    {
        return true;
    }
    let signup = ["sign up", "subscribe", "inbox", "email"]
        .iter()
        .any(|k| joined.contains(k));
    n <= 30
        && ((joined.contains("newsletter") && signup)
            || joined.starts_with("sign up")
            || joined.starts_with("subscribe"))
}

fn filter_boilerplate(paras: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::with_capacity(paras.len());
    let mut in_recirc = false;
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        // runs of two or more link-only paragraphs are teaser lists
        let run = paras[i..].iter().take_while(|q| link_dominated(q)).count();
        if run >= 2 {
            i += run;
            continue;
        }
        if in_recirc && link_dominated(p) {
            i += 1;
            continue;
        }
        in_recirc = false;
        if is_boilerplate(p) {
            in_recirc = SECTION_HEADS.contains(&words(&p.text).join(" ").as_str());
        } else {
            out.push(Para {
                text: p.text.clone(),
                chars: p.chars,
                link_chars: p.link_chars,
            });
        }
        i += 1;
    }
    out
}

/// Fallback: the element whose child (and grandchild) `<p>`s carry the most non-link text.
fn fallback_paragraphs(doc: &Html) -> Vec<Para> {
    let mut scores: HashMap<_, usize> = HashMap::new();
    for p in doc
        .tree
        .root()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "p")
    {
        let len: usize = p
            .text()
            .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        let links: usize = p
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|a| a.value().name() == "a")
            .map(|a| {
                a.text()
                    .map(|t| t.chars().filter(|c| !c.is_whitespace()).count())
                    .sum::<usize>()
            })
            .sum();
        if len < 25 || links * 2 > len {
            continue;
        }
        if let Some(parent) = p.parent() {
            *scores.entry(parent.id()).or_default() += len * 2;
            if let Some(gp) = parent.parent() {
                *scores.entry(gp.id()).or_default() += len;
            }
        }
    }
    let best = scores
        .into_iter()
        .max_by_key(|&(_, s)| s)
        .and_then(|(id, _)| doc.tree.get(id));
    best.map(|n| filter_boilerplate(walk_blocks(n)))
        .unwrap_or_default()
}
