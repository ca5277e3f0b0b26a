//! Page furniture, for [`super`]: what is stripped before the extractor sees the page (nav,
//! footer, related/newsletter/share/comment/ad boxes), the walker that turns an article DOM into
//! paragraphs, and the paragraph filter for boilerplate left inside the article ("Related",
//! share bars, "48 comments"). Every traversal is iterative: deep pages cannot overflow the stack.

use std::collections::HashMap;
use std::ops::Deref;

use scraper::{ElementRef, Html, Node};

pub(super) type NodeRef<'a> = <ElementRef<'a> as Deref>::Target;

/// Elements nested deeper than this are unwrapped (content kept) in the cleaned page.
const MAX_DEPTH: usize = 128;

// Word lists are '|'-separated strings: compact, and rustfmt leaves them alone.
/// class/id words that mark furniture when they are a whole word ("ad-slot", "navMenu").
const ATTR_WORDS: &str = "ad|ads|adv|dfp|share|shares|nav|navbar|menu|popup|tags";
/// ... when they occur inside a word ("relatedArticles" → "related", "socialshare").
const ATTR_PARTS: &str = "related|newsletter|advert|sharing|sharebar|social|promo|cookie|consent|gdpr|breadcrumb|sidebar|popular|trending|outbrain|taboola|recirc|sponsor|disqus|signup|recommend|mostread|moreread|readnext";
const ATTR_PHRASES: &str = "most read|read next|more stories|also read|you may like|up next|sign up|sr only|visually hidden|screen reader";
const DROP_TAGS: &str =
    "style|noscript|template|iframe|svg|canvas|button|select|textarea|input|dialog|object|embed";
/// Inline elements are never dropped by class/id: `<a class="popup">` may carry sentence text.
const INLINE: &str =
    "a|span|em|strong|b|i|u|small|abbr|cite|time|label|sup|sub|mark|q|code|font|img";
const VOID: &str = "area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|param";
const BLOCKS: &str = "p|div|section|article|main|header|li|ul|ol|dl|dt|dd|blockquote|h1|h2|h3|h4|h5|h6|pre|table|tr|td|th|figure|hr|address|details|summary|center|caption|tbody|thead|tfoot";
/// Never emitted as body text (h1 is the headline; captions churn with photo swaps).
const SKIP: &str = "script|style|noscript|template|svg|button|select|textarea|input|iframe|form|nav|aside|footer|figcaption|h1|canvas|object|embed|head|title";
/// Headings of recirculation blocks; link-heavy paragraphs right after them go too.
const SECTION_HEADS: &str = "related|related articles|related stories|related content|related links|related coverage|related news|related topics|read more|more|more stories|more news|you may also like|you might also like|recommended|recommended for you|recommended stories|most read|most popular|popular|trending|trending now|also read|see also|read next|what to read next|up next|top stories|don t miss|editor s picks|latest news|latest stories";
const SHARE_WORDS: &str = "share|this|article|story|page|post|on|via|facebook|twitter|x|email|e|mail|whatsapp|linkedin|pinterest|reddit|print|copy|copied|link|tweet|messenger|telegram|flipboard|save|bookmark|gift|sms|threads|bluesky|mastodon|pin|it|url|or|and|opens|in|new|window|tab|the";
const COMMENT_WORDS: &str = "comment|comments|view|show|hide|read|see|all|add|a|leave|post|your|join|the|conversation|discussion|load|more|open|close|jump|to|go";
const TEASER_PREFIXES: &str = "read more|related|also read|see also|more|watch|listen|recommended|read also|read next|must read|don t miss|click here|trending";
const ADVERT_LINES: &str = "advertisement|ad|sponsored|sponsored content|continue reading|story continues below|article continues below|skip advertisement|advertisement continue reading";

fn in_list(list: &'static str, w: &str) -> bool {
    list.split('|').any(|x| x == w)
}

/// Lowercase alphanumeric words.
pub(super) fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Splits class/id values into lowercase words (on punctuation and camelCase humps).
fn attr_tokens(v: &str) -> Vec<String> {
    let (mut out, mut cur, mut prev_lower) = (Vec::new(), String::new(), false);
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
fn furniture_attr(el: ElementRef) -> bool {
    let e = el.value();
    let (class, id) = (e.attr("class").unwrap_or(""), e.id().unwrap_or(""));
    // atomic-CSS classes ("H(navHeight)") describe style, and long slugs
    // ("sharing-with-a-single-developer") are ids derived from headings: ignore both
    let values: Vec<&str> = class
        .split_whitespace()
        .chain(id.split_whitespace())
        .filter(|c| !c.contains(['(', ':', '!']) && attr_tokens(c).len() <= 4)
        .collect();
    if values.is_empty() {
        return false;
    }
    let toks = attr_tokens(&values.join(" "));
    let hit = toks.iter().any(|t| {
        in_list(ATTR_WORDS, t)
            || ATTR_PARTS.split('|').any(|p| t.contains(p))
            || (t.contains("comment") && !t.contains("commentar"))
            || (t.contains("subscri") && !t.contains("subscriber"))
    });
    let joined = format!(" {} ", toks.join(" "));
    hit || ATTR_PHRASES
        .split('|')
        .any(|p| joined.contains(&format!(" {p} ")))
}

fn is_article_root(e: &scraper::node::Element) -> bool {
    let is = |k, v: &str| e.attr(k).is_some_and(|a| a.eq_ignore_ascii_case(v));
    let role = is("role", "main") || is("role", "article");
    matches!(e.name(), "article" | "main") || is("itemprop", "articleBody") || role
}

/// Non-whitespace characters of `<p>` text below each node, from one bottom-up pass.
fn p_text_index(doc: &Html) -> impl Fn(NodeRef) -> usize + '_ {
    let nodes: Vec<NodeRef> = doc.tree.root().descendants().collect();
    let mut sums: HashMap<_, (usize, usize)> = HashMap::with_capacity(nodes.len());
    for n in nodes.iter().rev() {
        let v = match n.value() {
            Node::Text(t) => (t.chars().filter(|c| !c.is_whitespace()).count(), 0),
            Node::Element(e) => {
                let kids = n.children().filter_map(|c| sums.get(&c.id()).copied());
                let (all, p) = kids.fold((0, 0), |a, k| (a.0 + k.0, a.1 + k.1));
                (all, if e.name() == "p" { all } else { p })
            }
            _ => continue,
        };
        sums.insert(n.id(), v);
    }
    move |n: NodeRef| sums.get(&n.id()).map_or(0, |v| v.1)
}

/// True when the element (and its subtree) should not reach the extractor.
fn drop_element(el: ElementRef, in_article: bool, share: impl FnOnce() -> bool) -> bool {
    let e = el.value();
    match e.name() {
        "script" => return !e.attr("type").is_some_and(|t| t.contains("ld+json")),
        "html" | "head" | "body" | "main" | "title" | "meta" | "link" => return false,
        name if in_list(DROP_TAGS, name) => return true,
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
        || ((e.name() == "header" || role == "banner") && !in_article)
        || in_list("navigation|complementary|contentinfo|search|dialog", role)
        || (!in_list(INLINE, e.name()) && furniture_attr(el));
    // never drop a wrapper that holds 40 % or more of the page's paragraph text
    furniture && !share()
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

/// Re-serialises the page without furniture; elements deeper than MAX_DEPTH are unwrapped.
/// Returns the HTML and the number of elements kept.
pub(super) fn clean_html(doc: &Html) -> (String, usize) {
    let p_text = p_text_index(doc);
    let total_p = p_text(*doc.root_element());
    let mut out = String::from("<!DOCTYPE html>");
    let (mut depth, mut in_article, mut count) = (0usize, 0usize, 0usize);
    let mut stack = vec![Step::Enter(doc.tree.root())];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::Leave(name, emitted, article) => {
                if emitted {
                    depth -= 1;
                    out.push_str(&format!("</{name}>"));
                }
                in_article -= usize::from(article);
                continue;
            }
        };
        let el = match (node.value(), ElementRef::wrap(node)) {
            (Node::Text(t), _) => {
                escape_into(&mut out, t, false);
                continue;
            }
            (Node::Document | Node::Fragment, _) => {
                push_children(&mut stack, node);
                continue;
            }
            (_, Some(el)) => el,
            _ => continue,
        };
        let share = || total_p > 0 && p_text(node) * 10 >= total_p * 4;
        if drop_element(el, in_article > 0, share) {
            continue;
        }
        let (e, emit) = (el.value(), depth < MAX_DEPTH);
        if emit {
            count += 1;
            out.push('<');
            out.push_str(e.name());
            for (k, v) in e.attrs() {
                if !k.starts_with("data-")
                    && !k.starts_with("on")
                    && !k.contains(['"', '<', '>', '=', '/'])
                {
                    out.push_str(&format!(" {k}=\""));
                    escape_into(&mut out, v, true);
                    out.push('"');
                }
            }
            out.push('>');
        }
        if in_list(VOID, e.name()) {
            continue;
        }
        if e.name() == "script" {
            if emit {
                out.extend(el.text());
                out.push_str("</script>");
            }
            continue;
        }
        let article = is_article_root(e);
        depth += usize::from(emit);
        in_article += usize::from(article);
        stack.push(Step::Leave(e.name(), emit, article));
        push_children(&mut stack, node);
    }
    (out, count)
}

/// A block of body text; `chars` and `link_chars` count non-whitespace characters.
#[derive(Default)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) chars: usize,
    pub(super) link_chars: usize,
}

/// Emits one paragraph per block element below `root`, collapsing whitespace.
pub(super) fn walk_blocks(root: NodeRef) -> Vec<Para> {
    let (mut out, mut cur) = (Vec::new(), Para::default());
    let (mut pending_space, mut link_depth) = (false, 0usize);
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let (block, node) = match step {
            Step::Leave(_, block, link) => {
                link_depth -= usize::from(link);
                (block, None)
            }
            Step::Enter(node) => match node.value() {
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
                    continue;
                }
                Node::Element(e) if e.name() == "br" => {
                    pending_space = true;
                    continue;
                }
                Node::Element(e) if !in_list(SKIP, e.name()) => {
                    let (block, link) = (in_list(BLOCKS, e.name()), e.name() == "a");
                    link_depth += usize::from(link);
                    stack.push(Step::Leave(e.name(), block, link));
                    (block, Some(node))
                }
                Node::Document | Node::Fragment => (false, Some(node)),
                _ => continue,
            },
        };
        if block {
            pending_space = false;
            out.extend((cur.chars > 0).then(|| std::mem::take(&mut cur)));
        }
        if let Some(node) = node {
            push_children(&mut stack, node);
        }
    }
    if cur.chars > 0 {
        out.push(cur);
    }
    out
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
    // "Read more: ...", "RELATED PHOTOS: ...", "Watch | ..." teaser lines
    let lower = p.text.to_lowercase();
    let sep = lower
        .find([':', '|', '»', '—', '–'])
        .into_iter()
        .chain(lower.find(" - "))
        .min();
    let lead = sep
        .map(|i| words(&lower[..i]).join(" "))
        .filter(|l| l.split(' ').count() <= 5);
    let teaser = lead.is_some_and(|l| {
        TEASER_PREFIXES
            .split('|')
            .any(|pre| l == pre || l.starts_with(&format!("{pre} ")))
    });
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
    is_share || is_counter || teaser || short_call || newsletter
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
    paras
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}
