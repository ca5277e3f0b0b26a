//! Judging the chosen candidate, for [`super`]: the best-scoring box is sometimes not an
//! article at all but a footer (address, legal links, copyright), a login or contact form,
//! a caption, a blog header or a list of links. Its text then has almost no prose, and
//! extraction tries the next candidate: the attempt runs again with that box removed.

use super::furniture::Para;
use super::{Dom, Flags, Live, PageText, info_chars};
use crate::extract::chrome;

/// How many rejected candidates one attempt looks past before it keeps its first choice.
const MAX_NEXT: usize = 3;

/// What the chosen text reads as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Verdict {
    /// Enough of it is prose, and it is not a form.
    pub(super) article: bool,
    /// Info characters ([`info_chars`]) of its paragraphs that are neither chrome nor links.
    pub(super) prose: u32,
    /// The chosen box lies inside the page's article container (`<main>`, `<article>`,
    /// `[role=main]`, `[itemprop=articleBody]`) or wraps it: the page says this is its content.
    pub(super) contained: bool,
}

/// One attempt with `flags`: the scored candidate, or, when it is not an article, the next
/// one that is and has more such text (up to [`MAX_NEXT`] candidates further down).
pub(super) fn choose(
    dom: &Dom,
    page: &PageText,
    flags: Flags,
    removed: &[bool],
) -> (Vec<Para>, Verdict) {
    let live = Live::new(dom, page, flags, removed);
    let (paras, roots) = live.article(dom);
    // An article-sized text chosen inside the page's <article>/<main> on a page without a
    // login form is the article: judging it line by line would cost more than it can find.
    if !page.password && roots.first().is_some_and(|&r| page.in_article[r]) {
        let total: u32 = paras.iter().map(|p| info_chars(&p.text)).sum();
        if total >= super::CHAR_THRESHOLD {
            return (
                paras,
                Verdict {
                    article: true,
                    prose: total,
                    contained: true,
                },
            );
        }
    }
    let verdict = judge(dom, page, &paras, &roots);
    if verdict.article || roots.is_empty() {
        return (paras, verdict);
    }
    let mut roots = roots;
    let mut gone = vec![false; dom.len()];
    for (g, r) in gone.iter_mut().zip(removed) {
        *g = *r;
    }
    for _ in 0..MAX_NEXT {
        // the boxes with a password field, else the candidate itself
        let form: Vec<usize> = roots
            .iter()
            .copied()
            .filter(|&r| password_field(dom, page, r))
            .collect();
        for r in if form.is_empty() {
            vec![roots[0]]
        } else {
            form
        } {
            let end = dom.nodes[r].end as usize;
            gone[r..end].iter_mut().for_each(|g| *g = true);
        }
        let live = Live::new(dom, page, flags, &gone);
        let (next, next_roots) = live.article(dom);
        let v = judge(dom, page, &next, &next_roots);
        if v.article && v.prose > verdict.prose {
            return (next, v);
        }
        if next_roots.is_empty() {
            break;
        }
        roots = next_roots;
    }
    (paras, verdict)
}

/// Whether `paras` (the text of the boxes `roots`) read as an article: at most half of the
/// characters are chrome ([`chrome::classify`]: copyright and legal lines, credits and
/// captions, stamps, bylines) or link lines, and the box holds no password field (a login or
/// registration form, whose messages are sentences). Lists, tables and labelled data
/// (lyrics, a product's facts) are not prose but are still the page's text: only what is
/// positively chrome counts against it.
pub(super) fn judge(dom: &Dom, page: &PageText, paras: &[Para], roots: &[usize]) -> Verdict {
    let total: u32 = paras.iter().map(|p| info_chars(&p.text)).sum();
    let form = roots.iter().any(|&r| password_field(dom, page, r));
    // Long running text is never chrome (its rules are for lines of at most 60 words): when
    // it makes half of the text, the verdict needs no line-by-line look.
    let unlinked: u32 = paras
        .iter()
        .filter(|p| p.link_chars * 2 < p.chars)
        .map(|p| info_chars(&p.text))
        .sum();
    let long: u32 = paras
        .iter()
        .filter(|p| p.link_chars * 2 < p.chars && chrome::words_upto(&p.text, 61) > 60)
        .map(|p| info_chars(&p.text))
        .sum();
    // a form's messages and labels are never the page's text
    if form {
        return Verdict::default();
    }
    // inside the container, or around it (a page-wide wrapper standing for its only child)
    let contained = roots.first().is_some_and(|&r| {
        page.in_article[r] || page.in_article[r..dom.nodes[r].end as usize].contains(&true)
    });
    if long * 2 >= total {
        return Verdict {
            article: total > 0,
            prose: unlinked,
            contained,
        };
    }
    let lead = paras
        .iter()
        .position(|p| p.text.split_whitespace().nth(7).is_some() && sentence_end(&p.text))
        .unwrap_or(paras.len());
    let facts = chrome::PageFacts::default();
    let prose_chars: u32 = paras
        .iter()
        .enumerate()
        .filter(|&(i, p)| {
            p.link_chars * 2 < p.chars
                && chrome::classify(&p.text, i, paras.len(), lead, &facts).is_none()
        })
        .map(|(_, p)| info_chars(&p.text))
        .sum();
    Verdict {
        article: total > 0 && prose_chars * 2 >= total,
        prose: prose_chars,
        contained,
    }
}

fn sentence_end(t: &str) -> bool {
    t.trim_end()
        .trim_end_matches(['"', '\'', ')', '»', '“', '”'])
        .ends_with(['.', '!', '?', '。', '？', '！'])
}

/// An `<input type="password">` inside box `top`.
fn password_field(dom: &Dom, page: &PageText, top: usize) -> bool {
    if !page.password {
        return false;
    }
    let end = dom.nodes[top].end as usize;
    dom.nodes[top..end].iter().any(|n| {
        n.tag().is_some()
            && n.name() == "input"
            && n.attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("password"))
    })
}
