//! Main-content (article body) extraction on the flattened page ([`Dom`]).
//!
//! Readability's scoring idea, re-done as linear passes over one parse (no DOM mutation, no
//! re-serialisation, no second parse), plus what Readability lacks for change tracking:
//!
//! 1. **Furniture** — nav, footers, asides, hidden nodes, and boxes whose class/id says
//!    related / newsletter / share / comments / ads are cut out *wherever* they sit, also inside
//!    the article container, unless the box holds 40 % of the page's paragraph text (then the
//!    class name is lying: `<div class="post-content sidebar-layout">`).
//! 2. **Statistics** — one bottom-up pass: text, link text, commas, paragraphs, list items,
//!    images per subtree.
//! 3. **Scoring** — each paragraph gives its score to five ancestors; link-heavy candidates are
//!    damped; the best candidate is widened to the parent that several strong candidates share,
//!    then joined by siblings that look like article text.
//! 4. **Conditional cleaning** — lists, tables and divs inside the article that are mostly
//!    links, images or form fields are dropped.
//! 5. **Paragraphs** — one per block element, whitespace collapsed; then the paragraph filter
//!    removes share bars, counters, teasers and widget lines ([`furniture::filter_boilerplate`]).
//!
//! If the text is short, the passes run again with fewer rules, as Readability does, and the
//! longest result wins. Site rules (`[[extract.site]]` in the config) replace the scoring with
//! CSS selectors for sites where the heuristics fail.

mod candidate;
mod furniture;
mod lead;
mod page;

use scraper::{ElementRef, Selector};

use super::dom::{Dom, Kind, Tag};
use furniture::{Para, filter_boilerplate, furniture_box};
use lead::sentence_like;
use page::{PageText, is_article_root, url_path};

/// Main-content extraction result: article body as normalisable paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// One entry per block (p, h2-h6 subhead, li, blockquote), whitespace collapsed, no empty entries.
    pub paragraphs: Vec<String>,
    /// `"scored"`, `"scored:relaxed"` (rules loosened for a short page), `"scored:page"` (a
    /// short page taken whole, minus furniture) or `"site-rules"`.
    pub method: &'static str,
    /// Share of body characters inside `<a>`, for broken-extraction detection.
    pub link_density: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("no article content found")]
    NoContent,
}

/// CSS selectors for one site, compiled (see `[[extract.site]]` in the config).
#[derive(Debug, Clone, Default)]
pub struct SiteSelectors {
    /// The article body; when it matches, scoring is skipped.
    pub content: Vec<Selector>,
    /// Elements never part of the body (matched anywhere on the page).
    pub remove: Vec<Selector>,
}

/// Readability's threshold (500 characters with spaces ≈ 420 without): below it, retry looser.
const CHAR_THRESHOLD: u32 = 420;

/// Which rules an attempt applies; later attempts drop the riskier ones.
#[derive(Clone, Copy)]
struct Flags {
    /// Remove boxes whose class/id looks like furniture.
    strip_unlikely: bool,
    /// Add class/id weights (+25 "article", -25 "comment") to candidate scores.
    weight_classes: bool,
    /// Drop link-, image- or form-heavy lists, tables and divs inside the article.
    clean_conditionally: bool,
    /// Remove boxes whose class/id names furniture (related, share, comment, ...).
    strip_classes: bool,
}

const ATTEMPTS: [Flags; 4] = [
    Flags {
        strip_unlikely: true,
        weight_classes: true,
        clean_conditionally: true,
        strip_classes: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: true,
        clean_conditionally: true,
        strip_classes: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: true,
        strip_classes: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: false,
        strip_classes: true,
    },
];

/// The last resort, for a page where every attempt found (almost) nothing: boxes are kept
/// whatever their class says. A forum's posts sit in `comment`-classed boxes (`MtnComment`,
/// `post-comment`); when they are all the page has, they are its text.
const KEEP_CLASSES: Flags = Flags {
    strip_unlikely: false,
    weight_classes: false,
    clean_conditionally: true,
    strip_classes: false,
};

/// Below this many info characters the text found is nothing to speak of (a heading and a
/// line or two), and [`KEEP_CLASSES`] is tried.
const NOTHING: u32 = CHAR_THRESHOLD / 2;

/// Extracts the article body from a flattened page. `page_url` (the canonical or fetched
/// URL, if known) lets links to the page itself (annotations, footnotes) count as text.
pub fn extract_body(
    dom: &Dom,
    site: Option<&SiteSelectors>,
    page_url: Option<&str>,
) -> Result<Body, ContentError> {
    if dom.is_empty() {
        return Err(ContentError::NoContent);
    }
    let page = PageText::new(dom, page_url.map(url_path));
    if let Some(site) = site.filter(|s| !s.content.is_empty() || !s.remove.is_empty()) {
        let removed = site_removals(dom, &site.remove);
        if !site.content.is_empty() {
            let live = Live::new(dom, &page, ATTEMPTS[0], &removed);
            let roots = matching_roots(dom, &live, &site.content);
            let paras = live.paragraphs(dom, &roots, None);
            if !paras.is_empty() {
                return Ok(make_body(paras, "site-rules"));
            }
        }
        return best_attempt(dom, &page, &removed);
    }
    best_attempt(dom, &page, &[])
}

fn best_attempt(dom: &Dom, page: &PageText, removed: &[bool]) -> Result<Body, ContentError> {
    // (rank, info chars, paragraphs, method): the rank is the info chars of a text that reads
    // as an article, and only its non-chrome text of one that does not ([`candidate::Verdict`])
    let mut best: Option<(u32, u32, Vec<Para>, &'static str)> = None;
    for (n, flags) in ATTEMPTS.iter().enumerate() {
        let (paras, verdict) = candidate::choose(dom, page, *flags, removed);
        // salvaged sentences add to an article, but do not make a box one
        let chars: u32 = paras
            .iter()
            .filter(|p| !p.salvaged)
            .map(|p| info_chars(&p.text))
            .sum();
        let rank = if verdict.article {
            chars
        } else {
            verdict.prose
        };
        let method = if n == 0 { "scored" } else { "scored:relaxed" };
        if best.as_ref().is_none_or(|b| rank > b.0) {
            best = Some((rank, chars, paras, method));
        }
        if chars >= CHAR_THRESHOLD && verdict.article {
            break;
        }
    }
    let mut best = best.map(|(_, chars, paras, method)| (chars, paras, method));
    // nothing found with the class names believed: try without them, and take what that
    // finds only if it is an article several times as long inside the page's own article
    // container (a forum thread's <main>; an image post's comments below it are not its text)
    if best.as_ref().is_none_or(|b| b.0 < NOTHING) {
        let (paras, verdict) = candidate::choose(dom, page, KEEP_CLASSES, removed);
        let chars: u32 = paras.iter().map(|p| info_chars(&p.text)).sum();
        let had = best.as_ref().map_or(0, |b| b.0);
        if verdict.article && verdict.contained && chars >= CHAR_THRESHOLD && chars >= had * 3 {
            best = Some((chars, paras, "scored:relaxed"));
        }
    }
    // A short page (a notice, a product blurb) whose text is spread over many small blocks:
    // no candidate gathers it, so the page body minus furniture is the article.
    if let Some((chars, _, _)) = &best
        && *chars < CHAR_THRESHOLD
        && let Some(body) = dom.first(Tag::Body)
    {
        let live = Live::new(dom, page, ATTEMPTS[0], removed);
        let paras = live.paragraphs(dom, &[body], None);
        let all: u32 = paras.iter().map(|p| info_chars(&p.text)).sum();
        let raw: u32 = paras.iter().map(|p| p.chars as u32).sum();
        let links: u32 = paras.iter().map(|p| p.link_chars as u32).sum();
        if all >= chars * 2 && links * 10 < raw * 3 {
            best = Some((all, paras, "scored:page"));
        }
    }
    match best {
        Some((chars, paras, method)) if chars > 0 => Ok(make_body(paras, method)),
        _ => Err(ContentError::NoContent),
    }
}

fn make_body(paras: Vec<Para>, method: &'static str) -> Body {
    let chars: usize = paras.iter().map(|p| p.chars).sum();
    let links: usize = paras.iter().map(|p| p.link_chars).sum();
    Body {
        paragraphs: paras.into_iter().map(|p| p.text).collect(),
        method,
        link_density: links as f32 / chars.max(1) as f32,
    }
}

/// Characters that are not spaces or controls. Counted on bytes (lead bytes of multi-byte
/// characters count once) because this runs over every byte of page text.
fn nonws(t: &str) -> u32 {
    t.bytes()
        .map(|b| u32::from(b > b' ' && (b & 0xC0) != 0x80))
        .sum()
}

/// Length as information: non-space characters, with a CJK or Hangul character counting twice.
/// A Japanese or Chinese sentence says in 60 characters what English says in 150, so with
/// raw counts a three-paragraph Japanese article stays under the threshold that a
/// paragraph of English copyright notice passes (japan.zdnet: the footer won).
fn info_chars(t: &str) -> u32 {
    // lead bytes 0xE3..=0xED start U+3000..=U+DFFF: kana, CJK ideographs, Hangul
    nonws(t) + t.bytes().filter(|b| (0xE3..=0xED).contains(b)).count() as u32
}

/// Commas, including Arabic (U+060C, bytes D8 8C) and full-width (U+FF0C, EF BC 8C) ones,
/// in one pass over the bytes.
fn commas(t: &str) -> u32 {
    let b = t.as_bytes();
    let mut n = 0;
    for (k, &c) in b.iter().enumerate() {
        let wide = c == 0x8C
            && k >= 1
            && (b[k - 1] == 0xD8 || (k >= 2 && b[k - 1] == 0xBC && b[k - 2] == 0xEF));
        n += u32::from(c == b',' || wide);
    }
    n
}

/// Nodes matched by the site's `remove` selectors.
fn site_removals(dom: &Dom, remove: &[Selector]) -> Vec<bool> {
    let mut out = vec![false; dom.len()];
    if remove.is_empty() {
        return out;
    }
    for (i, node) in dom.nodes.iter().enumerate() {
        if let Some(el) = ElementRef::wrap(node.node)
            && remove.iter().any(|s| s.matches(&el))
        {
            out[i] = true;
        }
    }
    out
}

/// Topmost live elements matched by the site's `content` selectors, in document order.
fn matching_roots(dom: &Dom, live: &Live, content: &[Selector]) -> Vec<usize> {
    let mut roots = Vec::new();
    let mut i = 0;
    while i < dom.len() {
        let node = &dom.nodes[i];
        if !live.alive[i] {
            i = node.end as usize;
            continue;
        }
        if let Some(el) = ElementRef::wrap(node.node)
            && content.iter().any(|s| s.matches(&el))
        {
            roots.push(i);
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    roots
}

/// Per-subtree counts over the nodes an attempt keeps.
#[derive(Clone, Copy, Default)]
struct Stats {
    chars: u32,
    link_chars: u32,
    commas: u32,
    paras: u32,
    lis: u32,
    li_chars: u32,
    imgs: u32,
    inputs: u32,
    heading_chars: u32,
}

/// One attempt: which nodes are kept, and their statistics.
struct Live<'p> {
    page: &'p PageText,
    flags: Flags,
    alive: Vec<bool>,
    stats: Vec<Stats>,
    /// Has a block-level element child (a div without one reads as a paragraph).
    block_child: Vec<bool>,
    /// Inputs and embeds live in dropped tags, so they are counted on the raw tree.
    raw_inputs: Vec<u32>,
    /// The page's first `<h1>`, usually the headline (see [`Live::cleaned`]).
    h1: Option<usize>,
}

/// Readability's length of a paragraph that reads as text (`with_siblings`, `salvage`).
const PARAGRAPH_CHARS: f32 = 70.0;

/// Plain characters an image's own line of text needs for the image to count as part of the
/// text (a sentence fragment; a caption-less picture's line has none).
const INLINE_IMAGE_TEXT: u32 = 25;

/// The block whose line image `img` sits in (inline tags such as `<span>`, `<em>` are looked
/// through; the root when there is none), or None when a link wraps the image on the way:
/// a linked image is a teaser's or a cover's picture, whatever text runs beside it.
fn unlinked_line(dom: &Dom, img: usize) -> Option<usize> {
    let mut a = dom.nodes[img].parent as usize;
    while a != 0 {
        match dom.nodes[a].tag() {
            Some(Tag::A) => return None,
            Some(t) if t.is_block() => return Some(a),
            _ => a = dom.nodes[a].parent as usize,
        }
    }
    Some(0)
}

/// Plain (unlinked) characters of block `b`'s own lines: its text minus that of the blocks
/// inside it. Computed only around images, from the finished statistics.
fn line_text(dom: &Dom, stats: &[Stats], b: usize) -> u32 {
    let plain = |i: usize| stats[i].chars - stats[i].link_chars;
    let mut own = plain(b);
    let end = dom.nodes[b].end as usize;
    let mut c = b + 1;
    while c < end {
        if dom.nodes[c].tag().is_some_and(Tag::is_block) {
            own = own.saturating_sub(plain(c));
        }
        c = dom.nodes[c].end as usize;
    }
    own
}

/// A checkbox marks a line of a list (an ingredient bought, a step done) rather than asking
/// for input: Readability's "more fields than paragraphs" test is about forms one fills in.
fn marks_a_line(node: &crate::extract::dom::Flat) -> bool {
    node.name() == "input"
        && node
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("checkbox"))
}

/// Tags whose subtree is never body text.
fn never_text(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Drop
            | Tag::Script
            | Tag::Head
            | Tag::Title
            | Tag::Meta
            | Tag::Link
            | Tag::H1
            | Tag::Figcaption
    )
}

impl<'p> Live<'p> {
    fn new(dom: &Dom, page: &'p PageText, flags: Flags, removed: &[bool]) -> Live<'p> {
        let n = dom.len();
        let total_p = page.p_chars.first().copied().unwrap_or(0);
        let mut alive = vec![true; n];
        let mut raw_inputs = vec![0u32; n];
        let mut i = 0;
        while i < n {
            let node = &dom.nodes[i];
            let end = node.end as usize;
            let drop = match node.kind {
                Kind::Other => true,
                Kind::Text => false,
                Kind::Element(tag) => {
                    if tag == Tag::Drop
                        && matches!(
                            node.name(),
                            "input"
                                | "select"
                                | "textarea"
                                | "embed"
                                | "iframe"
                                | "object"
                                | "video"
                        )
                        && i > 0
                        && !marks_a_line(node)
                    {
                        raw_inputs[node.parent as usize] += 1;
                    }
                    removed.get(i).copied().unwrap_or(false)
                        || (never_text(tag) && !(tag == Tag::H1 && page.text_h1.contains(&i)))
                        || furniture_box(dom, page, i, tag, flags, total_p)
                }
            };
            if drop {
                alive[i..end].iter_mut().for_each(|a| *a = false);
                i = end;
            } else {
                i += 1;
            }
        }
        // raw_inputs counted only at direct parents so far; sum them up the tree
        for i in (1..n).rev() {
            let p = dom.nodes[i].parent as usize;
            raw_inputs[p] += raw_inputs[i];
        }
        let mut stats = vec![Stats::default(); n];
        let mut block_child = vec![false; n];
        // the images, to tell glyphs from pictures below
        let mut images: Vec<usize> = Vec::new();
        for i in (1..n).rev() {
            if !alive[i] {
                continue;
            }
            let node = &dom.nodes[i];
            let parent = node.parent as usize;
            let mut s = stats[i];
            match node.kind {
                Kind::Text => {
                    let c = page.chars[i];
                    s.chars = c;
                    if page.in_link[i] {
                        s.link_chars = c;
                    }
                    s.commas = page.commas[i];
                }
                Kind::Element(tag) => {
                    match tag {
                        Tag::P => s.paras += 1,
                        Tag::Li => {
                            s.lis += 1;
                            s.li_chars = s.chars;
                        }
                        Tag::Img => {
                            s.imgs += 1;
                            images.push(i);
                        }
                        Tag::Heading => s.heading_chars = s.chars,
                        _ => {}
                    }
                    if matches!(
                        tag,
                        Tag::Blockquote
                            | Tag::Dl
                            | Tag::Div
                            | Tag::Img
                            | Tag::Ol
                            | Tag::Ul
                            | Tag::P
                            | Tag::Pre
                            | Tag::Table
                            | Tag::Section
                            | Tag::Article
                            | Tag::Figure
                            | Tag::Heading
                    ) {
                        block_child[parent] = true;
                    }
                }
                Kind::Other => continue,
            }
            stats[i] = s;
            let ps = &mut stats[parent];
            ps.chars += s.chars;
            ps.link_chars += s.link_chars;
            ps.commas += s.commas;
            ps.paras += s.paras;
            ps.lis += s.lis;
            ps.li_chars += s.li_chars;
            ps.imgs += s.imgs;
            ps.heading_chars += s.heading_chars;
        }
        // An image set in a line of plain text (a smiley in a forum post, the photo of a
        // recipe step written beside it) is part of that text, not a picture box: only
        // pictures count towards Readability's "more images than paragraphs" test.
        for &img in &images {
            let glyph = unlinked_line(dom, img)
                .is_some_and(|b| line_text(dom, &stats, b) >= INLINE_IMAGE_TEXT);
            if glyph {
                let mut a = img;
                loop {
                    stats[a].imgs -= 1;
                    if a == 0 {
                        break;
                    }
                    a = dom.nodes[a].parent as usize;
                }
            }
        }
        for (s, inputs) in stats.iter_mut().zip(&raw_inputs) {
            s.inputs = *inputs;
        }
        Live {
            page,
            flags,
            alive,
            stats,
            block_child,
            raw_inputs,
            h1: dom.first(Tag::H1),
        }
    }

    fn link_density(&self, i: usize) -> f32 {
        let s = &self.stats[i];
        if s.chars == 0 {
            0.0
        } else {
            s.link_chars as f32 / s.chars as f32
        }
    }

    fn weight(&self, i: usize) -> f32 {
        if self.flags.weight_classes {
            self.page.weight[i]
        } else {
            0.0
        }
    }

    /// The article: scored candidate, widened and joined by its siblings, as paragraphs.
    /// Also returns the chosen candidate and the boxes taken with it (none when the whole
    /// body was taken), for [`candidate::choose`].
    fn article(&self, dom: &Dom) -> (Vec<Para>, Vec<usize>) {
        let n = dom.len();
        let body = dom.first(Tag::Body).unwrap_or(0);
        let mut score = vec![f32::NAN; n];
        let init = |score: &mut Vec<f32>, a: usize| {
            if score[a].is_nan() {
                score[a] = self.weight(a)
                    + match dom.nodes[a].tag() {
                        Some(Tag::Div) => 5.0,
                        Some(Tag::Pre | Tag::Td | Tag::Blockquote) => 3.0,
                        Some(
                            Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form,
                        ) => -3.0,
                        Some(Tag::Heading | Tag::H1) => -5.0,
                        _ => 0.0,
                    };
            }
        };
        let mut scored: Vec<usize> = Vec::new();
        for i in 0..n {
            if !self.alive[i] {
                continue;
            }
            let paragraph = match dom.nodes[i].tag() {
                Some(Tag::P | Tag::Pre | Tag::Td) => true,
                Some(Tag::Div | Tag::Section) => !self.block_child[i],
                _ => false,
            };
            let s = &self.stats[i];
            if !paragraph || s.chars < 20 {
                continue;
            }
            let content = 1.0 + s.commas as f32 + (s.chars as f32 / 85.0).floor().min(3.0);
            let mut a = i;
            for level in 0..5 {
                let mut p = dom.nodes[a].parent as usize;
                // Readability replaces a div that only wraps one paragraph by the paragraph
                if level == 0
                    && dom.nodes[p].tag() == Some(Tag::Div)
                    && self.stats[p].chars == s.chars
                    && self.element_children(dom, p).nth(1).is_none()
                {
                    p = dom.nodes[p].parent as usize;
                }
                if p == a || p == 0 || dom.nodes[p].tag() == Some(Tag::Html) {
                    break;
                }
                a = p;
                if score[a].is_nan() {
                    init(&mut score, a);
                    scored.push(a);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                score[a] += content / divider;
            }
        }
        for &c in &scored {
            score[c] *= 1.0 - self.link_density(c);
        }
        let mut ranked: Vec<usize> = scored.clone();
        ranked.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
        let Some(&first) = ranked.first() else {
            return (self.paragraphs(dom, &[body], Some(&score)), Vec::new());
        };
        let mut top = first;
        if top == body {
            return (self.paragraphs(dom, &[body], Some(&score)), Vec::new());
        }
        // The article container holding the headline (<main>, <article>) holds the article: a
        // candidate outside it (a slideshow or a teaser strip above it) yields to the best one
        // inside it that scores at least a third as high, and no box outside it joins it.
        let mut within = None;
        if let Some(a) = self.page.h1_article
            && !dom.contains(a, top)
            && !dom.contains(top, a)
            && let Some(&c) = ranked.iter().find(|&&c| dom.contains(a, c))
            && score[c] * 3.0 >= score[top]
        {
            top = c;
            within = Some(a);
        }
        let first = top;
        // Several strong candidates under one ancestor: the article is that ancestor.
        let alternatives: Vec<usize> = ranked[1..ranked.len().min(5)]
            .iter()
            .copied()
            .filter(|&c| score[c] >= score[top] * 0.75)
            .collect();
        if alternatives.len() >= 3 {
            let mut p = dom.nodes[top].parent as usize;
            while p != body && p != 0 {
                let inside = alternatives.iter().filter(|&&c| dom.contains(p, c)).count();
                if inside >= 3 {
                    top = p;
                    break;
                }
                p = dom.nodes[p].parent as usize;
            }
            if top != first {
                init(&mut score, top);
            }
        }
        // Climb while the parent scores higher (the article is split over children).
        let mut last = score[top];
        let threshold = last / 3.0;
        let mut p = dom.nodes[top].parent as usize;
        while p != body && p != 0 {
            if score[p].is_nan() {
                p = dom.nodes[p].parent as usize;
                continue;
            }
            if score[p] < threshold {
                break;
            }
            if score[p] > last {
                top = p;
                break;
            }
            last = score[p];
            p = dom.nodes[p].parent as usize;
        }
        // An only child stands for its parent.
        loop {
            let p = dom.nodes[top].parent as usize;
            if p == body || p == 0 || self.element_children(dom, p).nth(1).is_some() {
                break;
            }
            top = p;
            init(&mut score, top);
        }
        let mut roots = self.with_siblings(dom, top, &score, within);
        let lead = self.lead_paragraphs(dom, top, roots[0], &score);
        if !lead.is_empty() {
            roots.splice(0..0, lead);
        }
        if let Some(d) = self.dek(dom, roots[0]) {
            roots.insert(0, d);
        }
        let paras = self.paragraphs(dom, &roots, Some(&score));
        // the candidate first, then the boxes joined to it
        if let Some(k) = roots.iter().position(|&r| r == top) {
            roots[..=k].rotate_right(1);
        }
        (paras, roots)
    }

    fn element_children<'d>(&'d self, dom: &'d Dom, p: usize) -> impl Iterator<Item = usize> + 'd {
        let end = dom.nodes[p].end as usize;
        let mut i = p + 1;
        std::iter::from_fn(move || {
            while i < end {
                let c = i;
                i = dom.nodes[c].end as usize;
                if self.alive[c] && matches!(dom.nodes[c].kind, Kind::Element(_)) {
                    return Some(c);
                }
            }
            None
        })
    }

    /// The top candidate and the siblings that belong with it, in document order.
    /// With `within`, only siblings inside that box.
    fn with_siblings(
        &self,
        dom: &Dom,
        top: usize,
        score: &[f32],
        within: Option<usize>,
    ) -> Vec<usize> {
        let parent = dom.nodes[top].parent as usize;
        if parent == 0 || dom.nodes[top].tag() == Some(Tag::Body) {
            return vec![top];
        }
        let top_score = score[top].max(0.0);
        let threshold = (top_score * 0.2).max(10.0);
        let class = dom.nodes[top].attrs.class;
        let mut out = Vec::new();
        for s in self.element_children(dom, parent) {
            if s == top {
                out.push(s);
                continue;
            }
            if within.is_some_and(|a| !dom.contains(a, s)) {
                continue;
            }
            let mut bonus = 0.0;
            if !class.is_empty() && dom.nodes[s].attrs.class == class {
                bonus = top_score * 0.2;
            }
            let own = if score[s].is_nan() {
                f32::NAN
            } else {
                score[s] + bonus
            };
            let mut keep = own >= threshold;
            if !keep && dom.nodes[s].tag() == Some(Tag::P) {
                let (len, ld) = (self.stats[s].chars, self.link_density(s));
                keep = (len > 70 && ld < 0.25)
                    || (len > 0 && len <= 70 && ld == 0.0 && sentence_like(&dom.text_of(s)));
            }
            if keep {
                out.push(s);
            }
        }
        out
    }

    /// Readability's `_cleanConditionally`: a list/table/div inside the article that is mostly
    /// links, images, inputs or tiny is furniture.
    fn cleaned(&self, dom: &Dom, i: usize, score: Option<&[f32]>) -> bool {
        if !self.flags.clean_conditionally {
            return false;
        }
        let Some(tag) = dom.nodes[i].tag() else {
            return false;
        };
        if !matches!(
            tag,
            Tag::Table | Tag::Ul | Tag::Ol | Tag::Div | Tag::Section | Tag::Form | Tag::Aside
        ) {
            return false;
        }
        let s = &self.stats[i];
        let weight = self.weight(i);
        let own = score.map_or(0.0, |sc| if sc[i].is_nan() { 0.0 } else { sc[i] });
        // a negative class ("media", "field--label-hidden") does not outweigh running text:
        // several paragraphs with hardly a link are the article's, whatever the box is called
        if weight + own < 0.0 && !self.running_text(i) {
            return true;
        }
        if s.commas >= 10 {
            return false;
        }
        let is_list = matches!(tag, Tag::Ul | Tag::Ol)
            || (s.chars > 0 && s.li_chars as f32 / s.chars as f32 > 0.9);
        let p = s.paras as f32;
        let img = s.imgs as f32;
        let li = s.lis as f32 - 100.0;
        let ld = self.link_density(i);
        let heading_density = if s.chars == 0 {
            0.0
        } else {
            s.heading_chars as f32 / s.chars as f32
        };
        let inputs = self.raw_inputs[i] as f32;
        // Readability's gallery test, except that a box with a paragraph's worth of plain
        // text per picture (a match ticker with riders' photos, a comparison table with tick
        // icons, a forum post with its avatar) is text that has pictures, not a gallery
        let gallery = img > 1.0
            && p / img < 0.5
            && !(ld < 0.1 && (s.chars - s.link_chars) as f32 >= PARAGRAPH_CHARS * img);
        gallery
            || (!is_list && li > p)
            || (inputs > (p / 3.0).floor())
            || (!is_list && heading_density < 0.9 && s.chars < 20 && (s.imgs == 0 || s.imgs > 2))
            || (!is_list && weight < 25.0 && ld > 0.2 && !(ld <= 0.5 && self.holds_h1(dom, i)))
            || (weight >= 25.0 && ld > 0.5)
    }

    /// The paragraphs of a box that conditional cleaning drops which still read as the
    /// article's: a link list often carries one plain sentence ("Our work
    /// spans a variety of areas", the introduction of a "further reading" list). Readability's
    /// rule for a paragraph beside the article decides: over 70 characters with under a quarter
    /// of them links, or a shorter sentence without a link. List items count as paragraphs
    /// (a list of sentences is not a link list), each judged alike.
    fn salvage(&self, dom: &Dom, b: usize) -> Vec<usize> {
        // a form's labels and a gallery's captions (more than twice as many images as
        // paragraphs) are never the article's sentences
        // and a box whose class names furniture ("media", "promo") is dropped whole
        let st = &self.stats[b];
        if self.raw_inputs[b] > 0
            || (st.imgs > 1 && st.paras * 2 < st.imgs)
            || self.page.weight[b] < 0.0
        {
            return Vec::new();
        }
        let end = dom.nodes[b].end as usize;
        let mut out = Vec::new();
        let mut i = b + 1;
        while i < end {
            let node = &dom.nodes[i];
            if !self.alive[i] {
                i = node.end as usize;
                continue;
            }
            let para = match node.tag() {
                Some(Tag::P) => true,
                Some(Tag::Li) => !self.block_child[i],
                _ => false,
            };
            if para {
                let (len, ld) = (self.stats[i].chars, self.link_density(i));
                let plain = (len > 70 && ld < 0.25)
                    || (len >= 20 && ld == 0.0 && sentence_like(&dom.text_of(i)));
                if plain && !self.teaser_summary(dom, i) {
                    out.push(i);
                }
                i = node.end as usize;
                continue;
            }
            i += 1;
        }
        out
    }

    /// A teaser card's summary: right after a linked title (a heading or a link that is
    /// mostly link text), the sentence under another article's headline.
    fn teaser_summary(&self, dom: &Dom, i: usize) -> bool {
        let parent = dom.nodes[i].parent as usize;
        let prev = self
            .element_children(dom, parent)
            .take_while(|&c| c < i)
            .filter(|&c| self.stats[c].chars > 0)
            .last();
        prev.is_some_and(|p| {
            matches!(dom.nodes[p].tag(), Some(Tag::Heading | Tag::H1 | Tag::A))
                && self.link_density(p) > 0.5
        })
    }

    /// Box `i` holds running text: at least two paragraphs and 500 characters, under a tenth
    /// of them link text.
    fn running_text(&self, i: usize) -> bool {
        let s = &self.stats[i];
        s.paras >= 2 && s.chars >= 500 && s.link_chars * 10 < s.chars
    }

    /// Whether box `i` holds the page's first `<h1>`: then it is the article's header, and its
    /// link-heavy parts (dateline, tag list) are judged one by one instead of taking the
    /// standfirst down with them.
    fn holds_h1(&self, dom: &Dom, i: usize) -> bool {
        self.h1.is_some_and(|h| dom.contains(i, h))
    }

    /// One paragraph per block element below `roots`, then the boilerplate filter.
    fn paragraphs(&self, dom: &Dom, roots: &[usize], score: Option<&[f32]>) -> Vec<Para> {
        let mut out: Vec<Para> = Vec::new();
        let mut cur = Para::default();
        let mut space = false;
        let mut open_blocks: Vec<u32> = Vec::new();
        let flush = |cur: &mut Para, out: &mut Vec<Para>| {
            if cur.chars > 0 {
                out.push(std::mem::take(cur));
            } else {
                cur.text.clear();
            }
        };
        // (end of a cleaned box, its salvaged paragraphs) and the end of the one being read
        let mut strict: Option<(usize, Vec<usize>)> = None;
        let mut free_end = 0usize;
        // the paragraph opened by this node is a salvaged one
        let mut mark = false;
        for &root in roots {
            let end = dom.nodes[root].end as usize;
            let mut i = root;
            while i < end {
                while open_blocks.last().is_some_and(|&e| e as usize <= i) {
                    open_blocks.pop();
                    flush(&mut cur, &mut out);
                    space = false;
                }
                let node = &dom.nodes[i];
                if strict.as_ref().is_some_and(|(e, _)| i >= *e) {
                    strict = None;
                }
                if !self.alive[i] {
                    i = node.end as usize;
                    continue;
                }
                // inside a cleaned box: only its salvaged paragraphs give text
                if let Some((_, salv)) = &strict
                    && i >= free_end
                {
                    let end = node.end as usize;
                    if salv.binary_search(&i).is_ok() {
                        free_end = end;
                        mark = true;
                    } else if salv.iter().any(|&s| i < s && s < end) {
                        i += 1;
                        continue;
                    } else {
                        i = end;
                        continue;
                    }
                } else if i != root && strict.is_none() && self.cleaned(dom, i, score) {
                    let salv = self.salvage(dom, i);
                    if salv.is_empty() {
                        i = node.end as usize;
                    } else {
                        strict = Some((node.end as usize, salv));
                        i += 1;
                    }
                    continue;
                }
                match node.kind {
                    Kind::Text => {
                        let t = node.text().unwrap_or("");
                        let link = self.page.in_link[i];
                        for c in t.chars() {
                            if c.is_whitespace() {
                                space = true;
                                continue;
                            }
                            if space && !cur.text.is_empty() {
                                cur.text.push(' ');
                            }
                            space = false;
                            cur.text.push(c);
                            cur.chars += 1;
                            cur.link_chars += usize::from(link);
                        }
                    }
                    Kind::Element(Tag::Br) => space = true,
                    Kind::Element(Tag::Heading)
                        if self.flags.weight_classes && self.weight(i) < 0.0 =>
                    {
                        i = node.end as usize;
                        continue;
                    }
                    Kind::Element(tag) if tag.is_block() => {
                        flush(&mut cur, &mut out);
                        space = false;
                        open_blocks.push(node.end);
                    }
                    _ => {}
                }
                if mark {
                    cur.salvaged = true;
                    mark = false;
                }
                i += 1;
            }
            open_blocks.clear();
            flush(&mut cur, &mut out);
            space = false;
        }
        filter_boilerplate(out)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_forum;
