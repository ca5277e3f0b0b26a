//! Sentence alignment (exact → moved → edited), word diff and the cosmetic test.

use std::collections::{HashMap, VecDeque};

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::sentences::{Sentence, Token, tokenize, word_keys};
use super::{DiffStats, SentenceChange, WordChange, WordOp};

/// Minimum token Dice coefficient for a removed/added pair to count as one edited sentence.
pub(crate) const EDIT_SIMILARITY: f64 = 0.5;
/// How far (in sentences of the new version) from its expected place an edited sentence may be.
pub(crate) const EDIT_WINDOW: usize = 10;
/// A typo fix changes a word of at least this many characters…
const TYPO_MIN_CHARS: usize = 4;
/// …by at most this many edits (insert, delete, substitute, transpose).
const TYPO_MAX_EDITS: usize = 2;

/// Aligns two sentence sequences; changes come in reading order of the new version, removed
/// sentences where they used to be.
pub(crate) fn align(old: &[Sentence], new: &[Sentence]) -> (Vec<SentenceChange>, DiffStats) {
    // 1. Exact alignment (patience, on interned texts).
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let old_ids = intern(&mut ids, old);
    let new_ids = intern(&mut ids, new);
    let ops = capture_diff_slices(Algorithm::Patience, &old_ids, &new_ids);

    // Same text cut into sentences differently (a paragraph merged without a full stop, a
    // whitespace-only difference) at either end of a hunk is no change.
    let mut same_old = vec![false; old.len()];
    let mut same_new = vec![false; new.len()];
    for op in &ops {
        if let DiffOp::Replace { .. } = op {
            mark_resegmented(old, new, op, &mut same_old, &mut same_new);
        }
    }

    // Unmatched sentences, and where each removed one would sit in the new version.
    let mut removed: Vec<usize> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    let mut expected = vec![0usize; old.len()];
    for op in &ops {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        for i in o.clone() {
            expected[i] = n.start + (i - o.start) * n.len() / o.len().max(1);
            if !same_old[i] {
                removed.push(i);
            }
        }
        added.extend(n.filter(|&j| !same_new[j]));
    }

    // 2. Moves: the same text removed in one place and added in another.
    let mut old_partner: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_partner: Vec<Option<(usize, bool)>> = vec![None; new.len()]; // (old, is_move)
    let mut by_id: HashMap<u32, VecDeque<usize>> = HashMap::new();
    for &i in &removed {
        by_id.entry(old_ids[i]).or_default().push_back(i);
    }
    for &j in &added {
        if let Some(i) = by_id.get_mut(&new_ids[j]).and_then(VecDeque::pop_front) {
            old_partner[i] = Some(j);
            new_partner[j] = Some((i, true));
        }
    }

    // 3. Edits: greedy best Dice first among pairs within EDIT_WINDOW of the expected place.
    let removed: Vec<usize> = removed
        .into_iter()
        .filter(|&i| old_partner[i].is_none())
        .collect();
    let added: Vec<usize> = added
        .into_iter()
        .filter(|&j| new_partner[j].is_none())
        .collect();
    if !removed.is_empty() && !added.is_empty() {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut bag = |s: &Sentence| -> Vec<u32> {
            let mut v: Vec<u32> = word_keys(&s.text)
                .map(|w| {
                    let next = words.len() as u32;
                    *words.entry(w).or_insert(next)
                })
                .collect();
            v.sort_unstable();
            v
        };
        let old_bags: HashMap<usize, Vec<u32>> =
            removed.iter().map(|&i| (i, bag(&old[i]))).collect();
        let new_bags: HashMap<usize, Vec<u32>> = added.iter().map(|&j| (j, bag(&new[j]))).collect();
        let mut candidates: Vec<(f64, usize, usize, usize)> = Vec::new(); // (dice, distance, old, new)
        for &i in &removed {
            let lo = added.partition_point(|&j| j + EDIT_WINDOW < expected[i]);
            for &j in added[lo..]
                .iter()
                .take_while(|&&j| j <= expected[i] + EDIT_WINDOW)
            {
                let score = dice(&old_bags[&i], &new_bags[&j]);
                if score >= EDIT_SIMILARITY {
                    candidates.push((score, j.abs_diff(expected[i]), i, j));
                }
            }
        }
        candidates.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        for (_, _, i, j) in candidates {
            if old_partner[i].is_none() && new_partner[j].is_none() {
                old_partner[i] = Some(j);
                new_partner[j] = Some((i, false));
            }
        }
    }

    // 4. Emit in diff order.
    let mut stats = DiffStats::default();
    let mut changes = Vec::new();
    for op in &ops {
        if let DiffOp::Equal { len, .. } = op {
            stats.unchanged += len;
            continue;
        }
        for i in op.old_range() {
            if old_partner[i].is_none() && !same_old[i] {
                stats.removed += 1;
                changes.push(SentenceChange::Removed {
                    para: old[i].para,
                    text: old[i].text.clone(),
                });
            }
        }
        for j in op.new_range() {
            if same_new[j] {
                stats.unchanged += 1;
                continue;
            }
            let change = match new_partner[j] {
                None => {
                    stats.added += 1;
                    SentenceChange::Added {
                        para: new[j].para,
                        text: new[j].text.clone(),
                    }
                }
                Some((i, true)) => {
                    stats.moved += 1;
                    SentenceChange::Moved {
                        para: new[j].para,
                        old_para: old[i].para,
                        text: new[j].text.clone(),
                    }
                }
                Some((i, false)) => {
                    stats.edited += 1;
                    let (before, after) = (&old[i].text, &new[j].text);
                    SentenceChange::Edited {
                        para: new[j].para,
                        old_para: old[i].para,
                        cosmetic: is_cosmetic_change(before, after),
                        words: word_diff(before, after),
                        before: before.clone(),
                        after: after.clone(),
                    }
                }
            };
            changes.push(change);
        }
    }
    (changes, stats)
}

/// Marks runs of sentences at the start and at the end of a replaced hunk whose concatenated
/// text (ignoring whitespace) is identical on both sides.
fn mark_resegmented(
    old: &[Sentence],
    new: &[Sentence],
    op: &DiffOp,
    same_old: &mut [bool],
    same_new: &mut [bool],
) {
    let (mut o, mut n) = (op.old_range(), op.new_range());
    while let Some((a, b)) = same_text_run(&old[o.clone()], &new[n.clone()], false) {
        same_old[o.start..o.start + a].fill(true);
        same_new[n.start..n.start + b].fill(true);
        (o.start, n.start) = (o.start + a, n.start + b);
    }
    while let Some((a, b)) = same_text_run(&old[o.clone()], &new[n.clone()], true) {
        same_old[o.end - a..o.end].fill(true);
        same_new[n.end - b..n.end].fill(true);
        (o.end, n.end) = (o.end - a, n.end - b);
    }
}

/// How many sentences from the start (or the end, `rev`) of `old` and `new` carry the same
/// text once whitespace is ignored; `None` if no such run exists.
fn same_text_run(old: &[Sentence], new: &[Sentence], rev: bool) -> Option<(usize, usize)> {
    let (mut a, mut b) = (String::new(), String::new());
    let (mut i, mut j) = (0, 0);
    let append = |acc: &mut String, s: &Sentence| {
        let chars = s.text.chars().filter(|c| !c.is_whitespace());
        if rev {
            acc.extend(chars.rev());
        } else {
            acc.extend(chars);
        }
    };
    loop {
        if a.len() <= b.len() {
            let s = if rev {
                old.len().checked_sub(i + 1)
            } else {
                Some(i)
            };
            append(&mut a, old.get(s?)?);
            i += 1;
        } else {
            let s = if rev {
                new.len().checked_sub(j + 1)
            } else {
                Some(j)
            };
            append(&mut b, new.get(s?)?);
            j += 1;
        }
        let (short, long) = if a.len() <= b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        if !long.starts_with(short.as_str()) {
            return None;
        }
        if a.len() == b.len() && !a.is_empty() {
            return Some((i, j));
        }
    }
}

fn intern<'a>(ids: &mut HashMap<&'a str, u32>, side: &'a [Sentence]) -> Vec<u32> {
    side.iter()
        .map(|s| {
            let next = ids.len() as u32;
            *ids.entry(s.text.as_str()).or_insert(next)
        })
        .collect()
}

/// Dice coefficient of two sorted multisets.
fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Word-level diff of two sentences. Runs of the same op are merged; the space in front of a
/// changed run is kept at the end of the preceding `equal` run, so changed runs carry no outer
/// whitespace (`"said "`, `-"40"`, `+"52"`, `" people"`). Concatenating `equal` + `insert`
/// gives `after` up to whitespace.
pub fn word_diff(before: &str, after: &str) -> Vec<WordChange> {
    let (old, new) = (tokenize(before), tokenize(after));
    let old_texts: Vec<&str> = old.iter().map(|t| t.text).collect();
    let new_texts: Vec<&str> = new.iter().map(|t| t.text).collect();
    let mut out: Vec<WordChange> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_texts, &new_texts) {
        match op {
            DiffOp::Equal { .. } => {
                for (i, j) in op.old_range().zip(op.new_range()) {
                    let mut token = new[j];
                    // After a deletion at the very start, keep the old gap: "[-A:-] How".
                    token.space_before |= old[i].space_before && !out.iter().any(is_equal);
                    push_token(&mut out, WordOp::Equal, token);
                }
            }
            _ => {
                for i in op.old_range() {
                    push_token(&mut out, WordOp::Delete, old[i]);
                }
                for j in op.new_range() {
                    push_token(&mut out, WordOp::Insert, new[j]);
                }
            }
        }
    }
    out
}

fn is_equal(w: &WordChange) -> bool {
    w.op == WordOp::Equal
}

fn push_token(out: &mut Vec<WordChange>, op: WordOp, tok: Token<'_>) {
    if let Some(last) = out.last_mut()
        && last.op == op
    {
        if tok.space_before {
            last.text.push(' ');
        }
        last.text.push_str(tok.text);
        return;
    }
    let mut text = String::new();
    if tok.space_before {
        if op == WordOp::Equal {
            text.push(' ');
        } else if let Some(prev) = out.last_mut()
            && prev.op == WordOp::Equal
            && !prev.text.ends_with(' ')
        {
            prev.text.push(' ');
        }
    }
    text.push_str(tok.text);
    out.push(WordChange { op, text });
}

/// True when `before` → `after` only changes whitespace, punctuation, letter case, splits or
/// joins words (`"can not"` → `"cannot"`), or fixes typos: a word of ≥ 4 letters, no digits,
/// changed by ≤ 2 edits and not by only adding/removing a prefix or suffix (`"legal"` →
/// `"illegal"`, `"ever"` → `"never"`, `"kill"` → `"kills"` are real changes). Any change that
/// touches a digit, a symbol (`%`, `$`, …) or adds/removes a word is not cosmetic.
pub fn is_cosmetic_change(before: &str, after: &str) -> bool {
    let (old, new) = (normalized_words(before), normalized_words(after));
    if old == new {
        return true;
    }
    capture_diff_slices(Algorithm::Myers, &old, &new)
        .iter()
        .all(|op| match op {
            DiffOp::Equal { .. } => true,
            DiffOp::Replace { .. } => {
                let (a, b) = (&old[op.old_range()], &new[op.new_range()]);
                let plain = |w: &String| w.chars().all(char::is_alphabetic);
                if !a.iter().chain(b).all(plain) {
                    return false;
                }
                a.concat() == b.concat() || (a.len() == 1 && b.len() == 1 && is_typo(&a[0], &b[0]))
            }
            DiffOp::Delete { .. } | DiffOp::Insert { .. } => false,
        })
}

/// Tokens compared for significance: words lower-cased with inner punctuation removed
/// (`"U.S"` → `"us"`), numbers verbatim, cosmetic punctuation dropped, other symbols kept.
fn normalized_words(s: &str) -> Vec<String> {
    tokenize(s)
        .into_iter()
        .filter_map(|t| {
            let text = t.text;
            if text.chars().any(|c| c.is_numeric()) {
                Some(text.to_lowercase())
            } else if text.chars().any(char::is_alphabetic) {
                Some(
                    text.chars()
                        .filter(|c| c.is_alphabetic())
                        .flat_map(char::to_lowercase)
                        .collect(),
                )
            } else if text.chars().all(is_cosmetic_punctuation) {
                None
            } else {
                Some(text.to_owned())
            }
        })
        .collect()
}

fn is_cosmetic_punctuation(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '(' | ')' | '[' | ']' | '{' | '}'
            | '-' | '\u{2010}'..='\u{2015}' | '\u{2018}'..='\u{201F}' | '\u{2026}' | '\u{00AB}'
            | '\u{00BB}' | '\u{2039}' | '\u{203A}' | '\u{00B7}' | '\u{2022}' | '\u{00A1}'
            | '\u{00BF}'
    )
}

fn is_typo(a: &str, b: &str) -> bool {
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ac.len().min(bc.len()) < TYPO_MIN_CHARS || ac.len().abs_diff(bc.len()) > TYPO_MAX_EDITS {
        return false;
    }
    let affix_only = a.starts_with(b) || b.starts_with(a) || a.ends_with(b) || b.ends_with(a);
    !affix_only && edit_distance(&ac, &bc) <= TYPO_MAX_EDITS
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transposition).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(texts: &[&str]) -> Vec<Sentence> {
        texts
            .iter()
            .enumerate()
            .map(|(para, t)| Sentence {
                text: t.to_string(),
                para,
            })
            .collect()
    }

    fn w(op: WordOp, text: &str) -> WordChange {
        WordChange {
            op,
            text: text.into(),
        }
    }

    #[test]
    fn word_diff_number() {
        use WordOp::*;
        assert_eq!(
            word_diff(
                "Officials said 40 people died.",
                "Officials said 52 people died."
            ),
            [
                w(Equal, "Officials said "),
                w(Delete, "40"),
                w(Insert, "52"),
                w(Equal, " people died.")
            ]
        );
    }

    #[test]
    fn word_diff_punctuation_and_insertions() {
        use WordOp::*;
        assert_eq!(
            word_diff("He said, 40 died", "He said 40 had died"),
            [
                w(Equal, "He said"),
                w(Delete, ","),
                w(Equal, " 40 "),
                w(Insert, "had"),
                w(Equal, " died")
            ]
        );
        assert_eq!(word_diff("", "New."), [w(Insert, "New.")]);
        assert_eq!(
            word_diff("A mystery: How did it spread?", "How did it spread?"),
            [w(Delete, "A mystery:"), w(Equal, " How did it spread?")]
        );
        assert_eq!(
            word_diff("a b c", "a c"),
            [w(Equal, "a "), w(Delete, "b"), w(Equal, " c")]
        );
    }

    #[test]
    fn cosmetic_rules() {
        let yes = [
            ("The goverment said.", "The government said."),
            ("It will recieve aid.", "It will receive aid."),
            ("The storm hit.", "The storm hit!"),
            ("the U.S. said", "The US said"),
            ("a well-known fact", "a well known fact"),
            ("they can not go", "they cannot go"),
            ("\"Go,\" he said", "'Go' he said"),
        ];
        for (a, b) in yes {
            assert!(is_cosmetic_change(a, b), "{a:?} -> {b:?}");
        }
        let no = [
            ("40 people died.", "52 people died."),
            ("3.5 percent", "35 percent"),
            ("a rise of 5%", "a rise of 5"),
            ("It was -5 degrees", "It was 5 degrees"),
            ("He was never there", "He was ever there"),
            ("It was legal", "It was illegal"),
            ("The shot was fired", "The shot were fired"),
            ("He died.", "He never died."),
            ("Two were hurt", "Two were hurt badly"),
            ("The injured man", "The insured woman"),
        ];
        for (a, b) in no {
            assert!(!is_cosmetic_change(a, b), "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn osa_distance() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("goverment", "government"), 1);
        assert_eq!(d("recieve", "receive"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
    }

    #[test]
    fn alignment_invariants_hold_under_random_edits() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rnd = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..200 {
            let len = rnd(30) as usize;
            let old: Vec<String> = (0..len)
                .map(|_| format!("Word{} said {} things.", rnd(8), rnd(5)))
                .collect();
            let mut new = old.clone();
            for _ in 0..rnd(6) {
                match rnd(3) {
                    0 if !new.is_empty() => {
                        let i = rnd(new.len() as u64) as usize;
                        new.remove(i);
                    }
                    1 => new.insert(
                        rnd(new.len() as u64 + 1) as usize,
                        format!("Word{} said {} things.", rnd(8), rnd(5)),
                    ),
                    _ => {
                        if !new.is_empty() {
                            let (a, b) = (rnd(new.len() as u64), rnd(new.len() as u64));
                            new.swap(a as usize, b as usize);
                        }
                    }
                }
            }
            let (o, n) = (
                sents(&old.iter().map(String::as_str).collect::<Vec<_>>()),
                sents(&new.iter().map(String::as_str).collect::<Vec<_>>()),
            );
            let (changes, s) = align(&o, &n);
            assert_eq!(s.unchanged + s.edited + s.moved + s.removed, o.len());
            assert_eq!(s.unchanged + s.edited + s.moved + s.added, n.len());
            assert_eq!(changes.len(), s.edited + s.moved + s.removed + s.added);
            if old == new {
                assert!(changes.is_empty());
            }
        }
    }
}
