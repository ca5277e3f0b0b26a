//! Bylines: author lists from metadata and the names in a visible byline element.

use super::{Dom, Tag, Value, clean_inline, words};

/// A class or id that names a byline ("byline", "author", "article__author-name").
pub(super) fn byline_attr(v: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            // a DFA: these run on every class and id of every page
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(["byline", "author", "writer", "authorit"])
            .expect("static patterns")
    });
    if v.len() < 6 {
        return false;
    }
    let (mut yes, mut no) = (false, false);
    for m in WORDS.find_overlapping_iter(v) {
        match m.pattern().as_usize() {
            3 => no = true,
            _ => yes = true,
        }
    }
    yes && !no
}

/// The names in a visible byline element. Its text is cut into segments where a block or
/// `<br>` ends a line and where two elements' texts are glued without a space
/// (`<a>Jane Doe</a><span>Staff Writer</span>`), then each segment is split into names;
/// connector words, job titles and the site's own name are dropped.
pub(super) fn visible_byline(dom: &Dom, i: usize, site: Option<&str>) -> Vec<String> {
    let end = dom.nodes[i].end as usize;
    let mut segments: Vec<String> = vec![String::new()];
    let mut n_words = 0;
    let mut break_next = false;
    let mut last_parent = None;
    let mut skip_to = 0;
    for (k, n) in dom.nodes[i..end].iter().enumerate() {
        if i + k < skip_to {
            continue;
        }
        match n.tag() {
            // icons, buttons, scripts: no names in there
            Some(Tag::Script | Tag::Drop) => {
                skip_to = n.end as usize;
                continue;
            }
            Some(t) if t.is_block() || t == Tag::Br => break_next = true,
            _ => {}
        }
        let Some(t) = n.text() else { continue };
        let seg = segments.last_mut().expect("never empty");
        if t.trim().is_empty() {
            seg.push(' ');
            continue;
        }
        n_words += t.split_whitespace().count();
        if n_words > 14 {
            return Vec::new(); // a paragraph or a card, not a byline
        }
        let glued = last_parent.is_some_and(|p| p != n.parent)
            && !seg.ends_with(char::is_whitespace)
            && !t.starts_with(char::is_whitespace);
        if break_next || glued {
            segments.push(String::new());
        }
        break_next = false;
        last_parent = Some(n.parent);
        segments.last_mut().expect("never empty").push_str(t);
    }
    let site = site.map(words).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for seg in &segments {
        for part in split_authors(seg) {
            let lw = words(&part);
            if lw.is_empty()
                || lw
                    .iter()
                    .all(|w| is_role_word(w) || BY_WORDS.contains(&w.as_str()))
                || (!site.is_empty() && lw == site)
            {
                continue;
            }
            // "Sam Stein Senior Politics Editor": the name before its job title; a title line
            // of its own after a name ("BuzzFeed UK News Fellow") is dropped
            // "Rebecca Hersher Twitter": a profile-link label glued to the name is cut too
            let role_from = lw
                .last()
                .filter(|w| {
                    ROLE_NOUNS.contains(&w.as_str())
                        || matches!(w.as_str(), "twitter" | "facebook" | "instagram" | "email")
                })
                .map(|_| {
                    lw.iter()
                        .rposition(|w| !is_role_word(w))
                        .map_or(0, |k| k + 1)
                });
            let part = match role_from {
                Some(_) if !names.is_empty() => continue,
                Some(k) => part
                    .split_whitespace()
                    .take(k)
                    .collect::<Vec<_>>()
                    .join(" "),
                None => part,
            };
            if looks_like_name(&part) {
                names.push(part);
            }
        }
    }
    dedup(names)
}

/// Words that introduce or join names in a byline, in the languages we see most.
pub(super) const BY_WORDS: &[&str] = &[
    "by", "and", "written", "words", "posted", "par", "et", "von", "und", "por", "y", "di", "door",
    "en", "av", "och",
];

/// Job-title nouns that end a role ("Senior Business Writer").
pub(super) const ROLE_NOUNS: &[&str] = &[
    "writer",
    "writers",
    "editor",
    "editors",
    "reporter",
    "reporters",
    "correspondent",
    "contributor",
    "columnist",
    "fellow",
    "intern",
    "producer",
];

/// A word of a job title or a profile-link label, never part of a name.
pub(super) fn is_role_word(w: &str) -> bool {
    ROLE_NOUNS.contains(&w)
        || matches!(
            w,
            "staff"
                | "senior"
                | "chief"
                | "deputy"
                | "managing"
                | "associate"
                | "executive"
                | "contributing"
                | "assistant"
                | "news"
                | "politics"
                | "political"
                | "business"
                | "games"
                | "health"
                | "science"
                | "tech"
                | "technology"
                | "sports"
                | "culture"
                | "features"
                | "opinion"
                | "national"
                | "foreign"
                | "ceo"
                | "founder"
                | "twitter"
                | "facebook"
                | "instagram"
                | "linkedin"
                | "email"
                | "e"
                | "mail"
                | "follow"
                | "more"
                | "from"
                | "this"
                | "author"
                | "bio"
                | "profile"
                | "link"
                | "copied"
                | "share"
        )
}

/// "Jane Doe", not "Share on Facebook" or "5 min read".
pub(super) fn looks_like_name(s: &str) -> bool {
    let w: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&w.len())
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == ':')
        && w.iter().all(|x| {
            x.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    *x,
                    "de" | "van" | "von" | "der" | "da" | "del" | "la" | "le" | "bin" | "al"
                )
        })
}

pub(super) fn authors(v: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Some(Value::String(s)) => out.extend(split_authors(s)),
        Some(Value::Object(m)) => {
            if let Some(Value::String(n)) = m.get("name") {
                out.extend(split_authors(n));
            }
        }
        Some(Value::Array(items)) => {
            for i in items {
                out.extend(authors(Some(i)));
            }
        }
        _ => {}
    }
    dedup(out)
}

/// Splits "By Jane Doe and John Roe, Reuters" into names, without the "By".
pub fn split_authors(s: &str) -> Vec<String> {
    let s = clean_inline(s);
    let s = s.trim();
    let lower = s.to_lowercase();
    // "By Jane Doe", and "ByJane Doe" from `<span>By</span><a>Jane Doe</a>`
    let glued = lower.starts_with("by") && s[2..].starts_with(|c: char| c.is_uppercase());
    let s = if lower.starts_with("by ") {
        &s[3..]
    } else if glued {
        &s[2..]
    } else if let Some(k) = ["par ", "von ", "por ", "door "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map(|p| p.len())
    {
        // "Par Jane Doe", "Von Jane Doe": the same "by" in French, German, Spanish, Dutch
        &s[k..]
    } else {
        s
    };
    s.split([',', ';', '|', '&'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" und "))
        .map(|p| p.trim().trim_start_matches("By ").trim().to_string())
        .filter(|p| !p.is_empty() && p.len() < 80 && !p.starts_with("http"))
        .collect()
}

pub(super) fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&x)) {
            out.push(x);
        }
    }
    out
}
