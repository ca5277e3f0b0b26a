//! One change, one report (pure): the raw claim-level changes of [`super::fact_changes`]
//! become the items a reader gets.
//!
//! 1. The same value change made in several sentences ("six miners" → "seven miners" in the
//!    lead and again further down; a name corrected at each mention) is one item, listing
//!    every sentence in `sentences`.
//! 2. A claim that appeared or disappeared in a sentence whose main fact changed (a new
//!    number inside a reworded quote) belongs to that change: it goes into its `also`.
//! 3. The claims of one added or removed sentence are one item, led by the most important
//!    (quote > casualty count > money > date > place > person > other numbers), the others
//!    in `also`.

use super::{AlsoClaim, FactChange, Label, SentencePair, is_running};

/// Rank of a change's main claim: lower is more important (CLAIMS.md, "one change, one
/// report").
fn rank(c: &FactChange) -> u8 {
    match c.kind.as_str() {
        "quote" => 0,
        "quantity" if is_running(&c.slot) => 1,
        "money" => 2,
        "date" => 3,
        "place" => 4,
        "person" => 5,
        "correction_note" => 7,
        _ => 6,
    }
}

fn is_pair(c: &FactChange) -> bool {
    c.before.is_some() && c.after.is_some()
}

/// The sentence a one-sided change stands in, with the side it is on.
fn one_sided_sentence(c: &FactChange) -> Option<(bool, &str)> {
    match (&c.before, &c.after) {
        (Some(_), None) => c.sentence_before.as_deref().map(|s| (false, s)),
        (None, Some(_)) => c.sentence_after.as_deref().map(|s| (true, s)),
        _ => None,
    }
}

fn also_of(c: &FactChange) -> AlsoClaim {
    let side = c.after.as_ref().or(c.before.as_ref()).expect("a side");
    AlsoClaim {
        kind: c.kind.clone(),
        text: side.text.clone(),
        value: side.value.clone(),
    }
}

/// Whether two changes of the same value can be one fact told twice ("six miners" … "the
/// six men"): any slots, except two different running totals ("3 dead, 3 injured" → "4 dead,
/// 4 injured" is two facts).
fn slots_meet(a: &str, b: &str) -> bool {
    a == b || !(is_running(a) && is_running(b))
}

/// Applies the three rules above; order of first appearance is kept.
pub(super) fn consolidate(changes: Vec<FactChange>) -> Vec<FactChange> {
    let mut items: Vec<Option<FactChange>> = changes.into_iter().map(Some).collect();
    let n = items.len();
    // 1. the same value change in several sentences
    for i in 0..n {
        for j in i + 1..n {
            let (Some(a), Some(b)) = (&items[i], &items[j]) else {
                continue;
            };
            let same = is_pair(a)
                && is_pair(b)
                && a.kind == b.kind
                && a.label != Label::HeadlineChanged
                && b.label != Label::HeadlineChanged
                && slots_meet(&a.slot, &b.slot)
                && a.before.as_ref().map(|s| &s.value) == b.before.as_ref().map(|s| &s.value)
                && a.after.as_ref().map(|s| &s.value) == b.after.as_ref().map(|s| &s.value);
            if !same {
                continue;
            }
            let b = items[j].take().expect("checked");
            let a = items[i].as_mut().expect("checked");
            if a.sentences.is_empty() {
                a.sentences.push(SentencePair {
                    before: a.sentence_before.clone(),
                    after: a.sentence_after.clone(),
                });
            }
            a.sentences.push(SentencePair {
                before: b.sentence_before,
                after: b.sentence_after,
            });
            // the slot that says what is counted wins over "number"
            if matches!(a.slot.as_str(), "number" | "name") {
                a.slot = b.slot;
            }
        }
    }
    // 2. one-sided claims in the sentence of a changed fact
    for j in 0..n {
        let Some((added, sent)) = items[j]
            .as_ref()
            .and_then(one_sided_sentence)
            .map(|(a, s)| (a, s.to_string()))
        else {
            continue;
        };
        let host = (0..n).find(|&i| {
            items[i].as_ref().is_some_and(|h| {
                is_pair(h)
                    && h.label != Label::HeadlineChanged
                    && (if added {
                        h.sentence_after.as_deref()
                    } else {
                        h.sentence_before.as_deref()
                    }) == Some(sent.as_str())
            })
        });
        if let Some(i) = host {
            let c = items[j].take().expect("checked");
            let h = items[i].as_mut().expect("checked");
            h.also.push(also_of(&c));
            h.also.extend(c.also);
        }
    }
    // 3. the claims of one added or removed sentence
    for i in 0..n {
        let Some((side, sent)) = items[i]
            .as_ref()
            .and_then(one_sided_sentence)
            .map(|(a, s)| (a, s.to_string()))
        else {
            continue;
        };
        let group: Vec<usize> = (i..n)
            .filter(|&j| {
                items[j].as_ref().is_some_and(|c| {
                    one_sided_sentence(c).is_some_and(|(a, s)| a == side && s == sent)
                })
            })
            .collect();
        if group.len() < 2 {
            continue;
        }
        let lead = *group
            .iter()
            .min_by_key(|&&j| (rank(items[j].as_ref().expect("in group")), j))
            .expect("non-empty");
        let mut also = Vec::new();
        for &j in &group {
            if j != lead {
                let c = items[j].take().expect("in group");
                also.push(also_of(&c));
                also.extend(c.also);
            }
        }
        let l = items[lead].as_mut().expect("lead");
        l.also.extend(also);
        if lead != i {
            items.swap(i, lead);
        }
    }
    let mut out: Vec<FactChange> = items.into_iter().flatten().collect();
    for c in &mut out {
        dedup_also(c);
    }
    out
}

/// The same claim found twice (a quote credited by two patterns, a weekday read as a date
/// and as an event date) is listed once, and never beside itself as the lead.
fn dedup_also(c: &mut FactChange) {
    let lead = c
        .after
        .as_ref()
        .or(c.before.as_ref())
        .map(|s| s.text.clone());
    let mut seen: Vec<(String, String)> = Vec::new();
    c.also.retain(|a| {
        let key = (a.kind.clone(), a.text.clone());
        let dup = (a.kind == c.kind && Some(&a.text) == lead.as_ref()) || seen.contains(&key);
        seen.push(key);
        !dup
    });
}
