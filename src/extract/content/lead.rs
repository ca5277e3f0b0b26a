//! The article's start when the scored text leaves it out, for [`super`]: lead paragraphs
//! in their own box before the body, and the standfirst that follows the headline.

use super::{CHAR_THRESHOLD, Live, is_article_root};
use crate::extract::dom::{Dom, Kind, Tag};

impl Live<'_> {
    /// Lead paragraphs split off the body: plain sentence blocks before the chosen text, in
    /// the same `<article>` / `<main>` container as it or, without one, after the headline in
    /// the lowest box that holds both (a standfirst or the first paragraphs in their own box,
    /// an ad or a video between them and the rest). Only `<p>`s, text-only `<div>`s and
    /// headings with little link text that read as sentences; figures and cleaned boxes are
    /// skipped, except the headline's own box, whose parts are judged one by one.
    pub(super) fn lead_paragraphs(
        &self,
        dom: &Dom,
        top: usize,
        first: usize,
        score: &[f32],
    ) -> Vec<usize> {
        // only for an article-sized body: on a short page the retry with looser rules decides
        if self.stats[top].chars < CHAR_THRESHOLD {
            return Vec::new();
        }
        let Some(start) = self
            .article_root(dom, top)
            .or_else(|| self.headline_box(dom, top, first))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut i = start;
        while i < first {
            let node = &dom.nodes[i];
            let skip = !self.alive[i]
                || node.tag() == Some(Tag::Figure)
                || (self.cleaned(dom, i, Some(score)) && !self.holds_h1(dom, i));
            if skip {
                i = node.end as usize;
                continue;
            }
            let block = match node.tag() {
                Some(Tag::P | Tag::Heading) => true,
                Some(Tag::Div | Tag::Section) => !self.block_child[i],
                _ => false,
            };
            if block {
                let s = &self.stats[i];
                if s.chars >= 30 && self.link_density(i) < 0.25 && standfirst_like(&dom.text_of(i))
                {
                    out.push(i);
                }
                i = node.end as usize;
                continue;
            }
            i += 1;
        }
        out
    }

    /// Where the text of the `<article>` / `<main>` container around `top` starts.
    fn article_root(&self, dom: &Dom, top: usize) -> Option<usize> {
        let mut a = dom.nodes[top].parent as usize;
        while a != 0 && !is_article_root(&dom.nodes[a], dom.nodes[a].tag().unwrap_or(Tag::Other)) {
            if dom.nodes[a].tag() == Some(Tag::Body) {
                return None;
            }
            a = dom.nodes[a].parent as usize;
        }
        (a != 0 && self.alive[a]).then_some(a + 1)
    }

    /// Without an article container: where the text starts in the lowest box that holds the
    /// headline and, after it, the chosen text (right after the headline).
    fn headline_box(&self, dom: &Dom, top: usize, first: usize) -> Option<usize> {
        let h1 = self.h1?;
        if h1 >= first || dom.contains(top, h1) {
            return None;
        }
        let mut a = dom.nodes[h1].parent as usize;
        while a != 0 && !dom.contains(a, first) {
            a = dom.nodes[a].parent as usize;
        }
        (a != 0 && self.alive[a]).then_some(dom.nodes[h1].end as usize)
    }

    /// The standfirst (dek) that follows the headline in the headline's own box, when the
    /// chosen text starts after that box: `<h1>…</h1><h2 class="subheadline">…</h2>`, a
    /// standfirst `<div>` or `<p>`. It is the first text block after the `<h1>` there, reads as
    /// a phrase or a sentence (5-60 words, little link text), and is not a label or a stamp.
    pub(super) fn dek(&self, dom: &Dom, first: usize) -> Option<usize> {
        let h1 = self.h1?;
        // (the h1 itself is never body text, so it is not `alive`; its box must be)
        if h1 >= first {
            return None;
        }
        // the headline's box: its parent, or the grandparent when the h1 sits alone in a
        // wrapper (`<div class="headline"><h1>`)
        let mut bx = dom.nodes[h1].parent as usize;
        let (start, stop) = (bx + 1, dom.nodes[bx].end as usize);
        let only_child = dom.nodes[start..stop]
            .iter()
            .enumerate()
            .all(|(k, n)| !matches!(n.kind, Kind::Element(_)) || dom.contains(h1, start + k));
        if only_child && bx != 0 {
            bx = dom.nodes[bx].parent as usize;
        }
        if bx == 0 || !self.alive[bx] || dom.contains(bx, first) {
            return None;
        }
        let end = (dom.nodes[bx].end as usize).min(first);
        let mut i = dom.nodes[h1].end as usize;
        while i < end {
            let node = &dom.nodes[i];
            if !self.alive[i] {
                i = node.end as usize;
                continue;
            }
            let Some(tag) = node.tag() else {
                i += 1;
                continue;
            };
            let block = matches!(tag, Tag::Heading | Tag::P | Tag::Div | Tag::Section);
            if !block || self.block_child[i] {
                i += 1;
                continue;
            }
            let s = &self.stats[i];
            if s.chars == 0 {
                i = node.end as usize;
                continue;
            }
            let text = dom.text_of(i);
            let words = text.split_whitespace().count();
            let label = !text.chars().any(char::is_lowercase);
            let ok = (5..=60).contains(&words) && self.link_density(i) < 0.25 && !label;
            // only the first text block after the headline can be its standfirst
            return ok.then_some(i);
        }
        None
    }
}

/// A standfirst is a sentence, often a question ("Is that true or do we have to change our
/// attitude?"), in any script; a label or a teaser link is not.
pub(super) fn standfirst_like(t: &str) -> bool {
    let t = t
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', '」', ')']);
    sentence_like(t)
        || t.ends_with(['?', '!', '。', '？', '！', '…'])
        || t.contains("? ")
        || t.contains('。')
}

pub(super) fn sentence_like(t: &str) -> bool {
    t.contains(". ") || t.ends_with('.')
}
