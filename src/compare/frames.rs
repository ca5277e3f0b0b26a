//! Event frames (pure): which words name the same kind of event, from the embedded lexicon
//! `assets/frames/frames.tsv` (generated from WordNet 3.0 by `scripts/frames.py`).
//!
//! Outlets paraphrase: "bought" / "acquired" / "took over", "the blaze" / "the fire",
//! "walked out" / "went on strike". Two words evoke one frame when they share a WordNet sense,
//! or one's sense is a hypernym (up to two levels) of the other's; nouns carry the senses of
//! the verbs they derive from. A *generic* noun ("incident", "episode") can stand for any event
//! the story is about. Word forms are reduced to lemmas WordNet's way (its irregular forms,
//! then suffix rules), so no inflection list lives in code.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

const DATA: &str = include_str!("../../assets/frames/frames.tsv");

pub struct Entry {
    generic: bool,
    own: Box<[u32]>,
    up: Box<[u32]>,
}

struct Lexicon {
    entries: FxHashMap<&'static str, Entry>,
    irregular: FxHashMap<&'static str, &'static str>,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut entries = FxHashMap::default();
    let mut irregular = FxHashMap::default();
    for line in DATA.lines() {
        let mut f = line.split('\t');
        let (Some(a), Some(b)) = (f.next(), f.next()) else {
            continue;
        };
        if let Some(form) = a.strip_prefix('=') {
            irregular.insert(form, b);
            continue;
        }
        let ids = |s: Option<&str>| -> Box<[u32]> {
            let mut v: Vec<u32> = s
                .unwrap_or("")
                .split(',')
                .filter(|x| x.len() > 1)
                .filter_map(|x| {
                    let (num, pos) = x.split_at(x.len() - 1);
                    let n = u32::from_str_radix(num, 36).ok()?;
                    Some(n * 2 + u32::from(pos == "n"))
                })
                .collect();
            v.sort_unstable();
            v.into_boxed_slice()
        };
        let own = ids(f.next());
        let up = ids(f.next());
        entries.insert(
            a,
            Entry {
                generic: b.contains('g'),
                own,
                up,
            },
        );
    }
    Lexicon { entries, irregular }
});

/// Suffix rules of WordNet's morphy (verbs and nouns together; the lexicon decides).
const SUFFIXES: &[(&str, &str)] = &[
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("s", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("men", "man"),
];

/// The lexicon lemma of a lower-case word form ("bought" → "buy", "votes" → "vote",
/// "blazes" → "blaze"), or `None` when the word names no event.
pub fn lemma(word: &str) -> Option<&'static str> {
    let lx = &*LEXICON;
    if let Some((k, _)) = lx.entries.get_key_value(word) {
        return Some(k);
    }
    if let Some(l) = lx.irregular.get(word) {
        return lx.entries.get_key_value(l).map(|(k, _)| *k);
    }
    for (suf, rep) in SUFFIXES {
        if let Some(stem) = word.strip_suffix(suf) {
            if stem.len() < 2 {
                continue;
            }
            let cand = format!("{stem}{rep}");
            if let Some((k, _)) = lx.entries.get_key_value(cand.as_str()) {
                return Some(k);
            }
            // doubled consonant: "stopped" → "stop", "planning" → "plan"
            let b = stem.as_bytes();
            if rep.is_empty()
                && b.len() > 2
                && b[b.len() - 1] == b[b.len() - 2]
                && let Some((k, _)) = lx.entries.get_key_value(&stem[..stem.len() - 1])
            {
                return Some(k);
            }
        }
    }
    None
}

/// The lemma of a verb + particle ("took over" → "take over"), when the lexicon has it.
pub fn phrasal(verb: &str, particle: &str) -> Option<&'static str> {
    let lx = &*LEXICON;
    let head = lx
        .irregular
        .get(verb)
        .copied()
        .or_else(|| lemma(verb))
        .unwrap_or(verb);
    let key = format!("{head} {particle}");
    lx.entries.get_key_value(key.as_str()).map(|(k, _)| *k)
}

/// A generic event noun ("incident", "episode"): it refers to the story's event.
pub fn is_generic(lemma: &str) -> bool {
    LEXICON.entries.get(lemma).is_some_and(|e| e.generic)
}

fn meets(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Two lemmas evoke one frame: a shared sense, or one's sense is the other's near hypernym.
pub fn same_frame(a: &str, b: &str) -> bool {
    match (Frame::of(a), Frame::of(b)) {
        (Some(x), Some(y)) => x.meets(y),
        _ => a == b,
    }
}

/// A lemma's senses, looked up once: comparing two of them is a merge of sorted ids, no
/// hashing (the comparison pairs every claim of a story with every other).
#[derive(Clone, Copy)]
pub struct Frame(&'static Entry);

impl Frame {
    pub fn of(lemma: &str) -> Option<Frame> {
        LEXICON.entries.get(lemma).map(Frame)
    }

    /// One frame: a shared sense, or one's sense is the other's near hypernym.
    pub fn meets(self, o: Frame) -> bool {
        std::ptr::eq(self.0, o.0)
            || meets(&self.0.own, &o.0.own)
            || meets(&self.0.own, &o.0.up)
            || meets(&self.0.up, &o.0.own)
    }

    pub fn is_generic(self) -> bool {
        self.0.generic
    }
}

/// The event words of a sentence, in order: (byte range, lemma). Verb + particle pairs are
/// read as one word ("walked out").
pub fn predicates(sentence: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let words = word_spans(sentence);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (r, w) = &words[i];
        if let Some((r2, p)) = words.get(i + 1)
            && let Some(l) = phrasal(w, p)
        {
            out.push((r.start..r2.end, l));
            i += 2;
            continue;
        }
        if w.len() > 2
            && let Some(l) = lemma(w)
        {
            out.push((r.clone(), l));
        }
        i += 1;
    }
    out
}

/// Lower-case alphabetic words with their byte ranges.
fn word_spans(s: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in s.char_indices() {
        match (ch.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a..i, s[a..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((a..s.len(), s[a..].to_lowercase()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(a: &str, b: &str) -> bool {
        let (Some(x), Some(y)) = (lemma(a), lemma(b)) else {
            return false;
        };
        same_frame(x, y)
    }

    #[test]
    fn inflected_forms_reduce_to_lemmas() {
        assert_eq!(lemma("bought"), Some("buy"));
        assert_eq!(lemma("votes"), Some("vote"));
        assert_eq!(lemma("voted"), Some("vote"));
        assert_eq!(lemma("blazes"), Some("blaze"));
        assert_eq!(lemma("stopped"), Some("stop"));
        assert_eq!(phrasal("took", "over"), Some("take over"));
        assert_eq!(phrasal("walked", "out"), Some("walk out"));
        assert_eq!(lemma("the"), None);
    }

    #[test]
    fn paraphrases_share_a_frame() {
        assert!(frame("bought", "acquired"));
        let take_over = phrasal("took", "over").unwrap();
        assert!(same_frame(take_over, "buy"));
        assert!(frame("blaze", "fire"));
        assert!(frame("resume", "resumption"));
        assert!(frame("vote", "ballot"));
        assert!(same_frame(phrasal("walked", "out").unwrap(), "strike"));
        assert!(frame("meet", "gather"));
    }

    #[test]
    fn different_events_do_not_share_a_frame() {
        assert!(!frame("vote", "fire"));
        assert!(!frame("bought", "died"));
        assert!(!frame("strike", "vote"));
        assert!(!frame("arrested", "married"));
        assert!(!frame("sentenced", "escaped"));
    }

    #[test]
    fn generic_nouns_are_marked() {
        assert!(is_generic("incident"));
        assert!(is_generic("episode"));
        assert!(!is_generic("fire"));
        assert!(!is_generic("vote"));
    }
}
