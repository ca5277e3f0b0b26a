//! What a page says about itself before any attempt, for [`super`]: per-node text facts
//! (characters, commas, link text, article containers) and what each class/id name says
//! (furniture, Readability's "unlikely" and class weights).

use super::furniture::{furniture_attr, is_inline};
use super::{commas, nonws};
use crate::extract::dom::{Dom, Flat, Kind, Tag};

/// Text facts about the whole page that do not depend on the attempt's rules.
pub(super) struct PageText {
    /// Non-whitespace characters of each text node (0 for other nodes).
    pub(super) chars: Vec<u32>,
    /// Commas in each text node.
    pub(super) commas: Vec<u32>,
    /// Non-whitespace characters inside `<p>` below each node.
    pub(super) p_chars: Vec<u32>,
    /// Non-whitespace characters of all text below each node (scripts and styles left out).
    pub(super) text_chars: Vec<u32>,
    /// Inside an `<a>` that leads somewhere else: not `javascript:`, not an anchor on this
    /// page ([`same_page_anchor`]).
    pub(super) in_link: Vec<bool>,
    /// Inside `<article>`, `<main>`, `[itemprop=articleBody]` or `[role=main|article]`.
    pub(super) in_article: Vec<bool>,
    /// Per element, from class/id: furniture words, Readability's "unlikely", class weight.
    pub(super) furniture_attr: Vec<bool>,
    pub(super) unlikely: Vec<bool>,
    pub(super) weight: Vec<f32>,
    pub(super) hidden: Vec<bool>,
    /// The page's first `<h1>`.
    pub(super) h1: Option<usize>,
    /// The article container (`<article>`, `<main>`, ...) that holds the first `<h1>`; in a
    /// stream of articles, the one headed by the page's title ([`title_article`]).
    pub(super) h1_article: Option<usize>,
    /// `<h1>`s after the first that are section headings, not the headline ([`text_h1s`]).
    pub(super) text_h1: Vec<usize>,
    /// The page has an `<input type="password">` somewhere (most have none: then no box
    /// needs to be searched for one).
    pub(super) password: bool,
}

/// What one class or id value says (see [`furniture_attr`], [`UNLIKELY`], [`class_weight`]).
#[derive(Clone, Copy, Default)]
struct AttrFacts {
    furniture: bool,
    unlikely: bool,
    maybe: bool,
    weight: f32,
}

impl AttrFacts {
    fn of(v: &str, scratch: &mut String) -> AttrFacts {
        let mut f = AttrFacts {
            furniture: furniture_attr(v, "", scratch),
            ..AttrFacts::default()
        };
        let (mut pos, mut neg) = (
            false,
            v.split_whitespace().any(|t| t.eq_ignore_ascii_case("hid")),
        );
        for m in CLASS_WORDS.find_overlapping_iter(v) {
            match CLASS_WORD_KIND[m.pattern().as_usize()] {
                Word::Unlikely => f.unlikely = true,
                Word::Maybe => f.maybe = true,
                Word::Positive => pos = true,
                Word::Negative => neg = true,
            }
        }
        f.weight = if pos { 25.0 } else { 0.0 } - if neg { 25.0 } else { 0.0 };
        f
    }
}

impl PageText {
    /// `page_path`: the page's own URL path ([`url_path`]), for [`same_page_anchor`].
    pub(super) fn new<'a>(dom: &Dom<'a>, page_path: Option<&str>) -> PageText {
        let n = dom.len();
        let mut chars = vec![0u32; n];
        let mut comma_count = vec![0u32; n];
        let mut in_p = vec![false; n];
        let mut in_link = vec![false; n];
        let mut in_article = vec![false; n];
        let mut furn = vec![false; n];
        let mut unl = vec![false; n];
        let mut weight = vec![0f32; n];
        let mut hid = vec![false; n];
        let mut scratch = String::new();
        let mut password = false;
        // Class names repeat (hundreds of `<span class="x">`): judge each distinct one once.
        let mut seen: rustc_hash::FxHashMap<&str, AttrFacts> = rustc_hash::FxHashMap::default();
        let mut judge = |v: &'a str| -> AttrFacts {
            if v.is_empty() {
                return AttrFacts::default();
            }
            *seen
                .entry(v)
                .or_insert_with(|| AttrFacts::of(v, &mut scratch))
        };
        for (i, node) in dom.nodes.iter().enumerate() {
            let parent = node.parent as usize;
            let (pp, pl, pa) = if i == 0 {
                (false, false, false)
            } else {
                (in_p[parent], in_link[parent], in_article[parent])
            };
            match node.kind {
                // the text of a script or a style sheet is never body text (no attempt keeps
                // those tags), so its characters and commas need no counting
                Kind::Text
                    if i > 0
                        && matches!(
                            dom.nodes[parent].tag(),
                            Some(Tag::Script | Tag::Drop | Tag::Title)
                        ) => {}
                Kind::Text => {
                    let t = node.text().unwrap_or("");
                    chars[i] = nonws(t);
                    if chars[i] > 0 {
                        comma_count[i] = commas(t);
                    }
                }
                Kind::Element(tag) => {
                    let a = &node.attrs;
                    if tag == Tag::Drop
                        && node.name() == "input"
                        && node
                            .attr("type")
                            .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
                    {
                        password = true;
                    }
                    hid[i] = a.hidden || style_hides(a.style);
                    // an inline element's class/id is read only for its weight, and only
                    // when it wraps a scored block: judged after this pass, if it does
                    if (!a.class.is_empty() || !a.id.is_empty()) && !is_inline(node, tag) {
                        let (c, d) = (judge(a.class), judge(a.id));
                        furn[i] = c.furniture || d.furniture;
                        unl[i] = (c.unlikely || d.unlikely) && !(c.maybe || d.maybe);
                        weight[i] = c.weight + d.weight;
                    }
                    in_p[i] = pp || tag == Tag::P;
                    // a `javascript:` link goes nowhere and an anchor on this page (a footnote,
                    // an annotated lyric) stays in the article: neither is link text
                    in_link[i] = pl
                        || (tag == Tag::A
                            && !node.attr("href").is_some_and(|h| {
                                let h = h.trim_start();
                                h.get(..11)
                                    .is_some_and(|p| p.eq_ignore_ascii_case("javascript:"))
                                    || same_page_anchor(h, page_path)
                            }));
                    in_article[i] = pa || is_article_root(node, tag);
                    continue;
                }
                Kind::Other => {}
            }
            in_p[i] = pp;
            in_link[i] = pl;
            in_article[i] = pa;
        }
        let mut p_chars = vec![0u32; n];
        let mut text_chars = vec![0u32; n];
        // below each node: an element that scoring may take as a paragraph, whose
        // ancestors then get a score that starts from their class weight
        let mut scored_below = vec![false; n];
        for i in (1..n).rev() {
            let node = &dom.nodes[i];
            match node.kind {
                Kind::Text => {
                    text_chars[i] = chars[i];
                    if in_p[i] {
                        p_chars[i] = chars[i];
                    }
                }
                Kind::Element(tag) => {
                    if matches!(tag, Tag::P | Tag::Pre | Tag::Td | Tag::Div | Tag::Section) {
                        scored_below[i] = true;
                    } else if scored_below[i]
                        && (!node.attrs.class.is_empty() || !node.attrs.id.is_empty())
                        && is_inline(node, tag)
                    {
                        let (c, d) = (judge(node.attrs.class), judge(node.attrs.id));
                        weight[i] = c.weight + d.weight;
                    }
                }
                Kind::Other => {}
            }
            let parent = node.parent as usize;
            p_chars[parent] += p_chars[i];
            text_chars[parent] += text_chars[i];
            scored_below[parent] |= scored_below[i];
        }
        let h1 = dom.first(Tag::H1);
        let h1_article = h1.and_then(|h| {
            let mut a = h;
            while a != 0 {
                if in_article[a] && is_article_root(&dom.nodes[a], dom.nodes[a].tag()?) {
                    return Some(a);
                }
                a = dom.nodes[a].parent as usize;
            }
            None
        });
        // in a stream of articles under the headline's container, the titled one
        let h1_article = match title_article(dom) {
            Some(t) if h1_article.is_none_or(|a| dom.contains(a, t)) => Some(t),
            _ => h1_article,
        };
        let text_h1 = text_h1s(dom, h1);
        PageText {
            text_h1,
            chars,
            commas: comma_count,
            p_chars,
            text_chars,
            in_link,
            in_article,
            furniture_attr: furn,
            unlikely: unl,
            weight,
            hidden: hid,
            h1,
            h1_article,
            password,
        }
    }
}

/// A page has one headline, its first `<h1>`; a later `<h1>` is a section heading of the
/// text ("Künstlerischer Lebenslauf" under the page's "Über uns"), as Readability keeps it
/// (as an `<h2>`), unless it repeats the headline or the page's `<title>` names it (a page
/// whose first `<h1>` is the site's logo has its headline in the second).
fn text_h1s(dom: &Dom, first: Option<usize>) -> Vec<usize> {
    let Some(first) = first else {
        return Vec::new();
    };
    let later: Vec<usize> = (first + 1..dom.len())
        .filter(|&i| dom.nodes[i].tag() == Some(Tag::H1))
        .collect();
    if later.is_empty() {
        return later;
    }
    let title = dom
        .first(Tag::Title)
        .map(|t| title_key(&dom.text_of(t)))
        .unwrap_or_default();
    let head = title_key(&dom.text_of(first));
    later
        .into_iter()
        .filter(|&i| {
            let k = title_key(&dom.text_of(i));
            !k.is_empty() && k != head && !title.contains(&k)
        })
        .collect()
}

/// On a page that shows several articles one after another (an infinite-scroll stream, a
/// "latest articles" page, each an `<article>` without its own `<h1>`), the article the page
/// is about is the container whose heading is the page's metadata title (`og:title`, else
/// `<title>`): scoring alone picks the longest of them.
fn title_article(dom: &Dom) -> Option<usize> {
    // the innermost containers: a <main> around the stream is not one of its articles
    let mut roots: Vec<usize> = Vec::new();
    for i in 1..dom.len() {
        if dom.nodes[i]
            .tag()
            .is_some_and(|t| t == Tag::Article || is_article_root(&dom.nodes[i], t))
        {
            if roots.last().is_some_and(|&r| dom.contains(r, i)) {
                roots.pop();
            }
            roots.push(i);
        }
    }
    if roots.len() < 2 {
        return None;
    }
    let meta = dom
        .nodes
        .iter()
        .find(|n| {
            n.tag() == Some(Tag::Meta)
                && n.attr("property")
                    .is_some_and(|p| p.eq_ignore_ascii_case("og:title"))
        })
        .and_then(|n| n.attr("content"))
        .map(str::to_owned)
        .or_else(|| dom.first(Tag::Title).map(|t| dom.text_of(t)))?;
    let title = title_key(&meta);
    if title.chars().filter(|c| c.is_alphanumeric()).count() < 10 {
        return None;
    }
    roots.into_iter().find(|&r| {
        let end = dom.nodes[r].end as usize;
        (r..end).any(|h| {
            matches!(dom.nodes[h].tag(), Some(Tag::H1 | Tag::Heading)) && {
                let head = title_key(&dom.text_of(h));
                // the title may carry the site's name after the headline
                !head.is_empty()
                    && (title == head
                        || title
                            .strip_prefix(head.as_str())
                            .is_some_and(|rest| rest.starts_with(' ')))
            }
        })
    })
}

/// Lowercase words of a title, punctuation and quotes dropped: "„Wir haben …“ | Site" →
/// "wir haben … site".
fn title_key(t: &str) -> String {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The path of a URL, without scheme, host, query or fragment: `https://ex.org/a/b?x#y` →
/// `/a/b`. Scheme-relative (`//host/p`) and relative (`/p`) forms give the same answer.
pub(super) fn url_path(url: &str) -> &str {
    let url = url.trim();
    let rest = match url.find("//") {
        Some(i)
            if url[..i].bytes().all(|b| {
                b.is_ascii_alphanumeric() || b == b'+' || b == b'.' || b == b'-' || b == b':'
            }) =>
        {
            let after = &url[i + 2..];
            after.find('/').map_or("", |j| &after[j..])
        }
        _ => url,
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..end].trim_end_matches('/')
}

/// Whether `href` points at a fragment of the page itself: `#note-3`, or the page's own URL
/// with a fragment (Genius links every lyric line to its annotation that way).
pub(super) fn same_page_anchor(href: &str, page_path: Option<&str>) -> bool {
    if href.starts_with('#') {
        return true;
    }
    match (href.find('#'), page_path) {
        (Some(_), Some(page)) if !page.is_empty() => url_path(href) == page,
        _ => false,
    }
}

pub(super) fn is_article_root(node: &Flat, tag: Tag) -> bool {
    let a = &node.attrs;
    matches!(tag, Tag::Article | Tag::Main)
        || a.itemprop.eq_ignore_ascii_case("articleBody")
        || a.role.eq_ignore_ascii_case("main")
        || a.role.eq_ignore_ascii_case("article")
}

pub(super) fn style_hides(style: &str) -> bool {
    if style.is_empty() {
        return false;
    }
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Readability's "unlikely candidate" words in class or id, unless one of [`MAYBE`] is there.
const UNLIKELY: [&str; 30] = [
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
];
const MAYBE: [&str; 8] = [
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
];

/// Readability's class weight words: +25 if article-like, -25 if negative, both possible.
const POSITIVE: [&str; 13] = [
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "pagination",
];
const NEGATIVE: [&str; 24] = [
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
];

#[derive(Clone, Copy)]
enum Word {
    Unlikely,
    Maybe,
    Positive,
    Negative,
}

/// Every Readability class word, matched case-insensitively in one pass per value.
static CLASS_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            // a DFA: these run on every class and id of every page
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(
                UNLIKELY
                    .iter()
                    .chain(&MAYBE)
                    .chain(&POSITIVE)
                    .chain(&NEGATIVE),
            )
            .expect("static patterns")
    });
static CLASS_WORD_KIND: std::sync::LazyLock<Vec<Word>> = std::sync::LazyLock::new(|| {
    [
        (UNLIKELY.len(), Word::Unlikely),
        (MAYBE.len(), Word::Maybe),
        (POSITIVE.len(), Word::Positive),
        (NEGATIVE.len(), Word::Negative),
    ]
    .iter()
    .flat_map(|&(n, w)| std::iter::repeat_n(w, n))
    .collect()
});
