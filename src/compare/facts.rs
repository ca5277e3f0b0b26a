//! Fact changes between two versions of one article.
//!
//! 1. Claims with the same kind, slot, value and polarity are the same fact wherever they sit,
//!    so moved sentences, re-split paragraphs, re-ordering, synonyms that keep the value
//!    ("about 30" → "around 30", "thirty" → "30") and quote-glyph or typo edits change nothing.
//! 2. What is left is paired old ↔ new by kind and slot when the two sentences still say
//!    mostly the same thing (word Dice ≥ 0.5 with the mentions left out, best pairs first):
//!    a pair with a different value is a change ("injured: 40 → 52").
//! 3. Unpaired old claims were *retracted* (a quote: *quote removed*); unpaired new ones were
//!    *added*. People and places are only reported when paired (a name corrected, a place
//!    changed), never merely for appearing or disappearing with their sentence.
//!
//! Labels: *update* (a running total — deaths, injured, arrests … — grew), *correction* (any
//! other changed value, a flipped negation, or a change linked to a correction note),
//! *plan_changed* (the old claim was a plan: "will involve 15" → "involved 12", a vote moved to
//! another day), *quote_changed*, *quote_removed*, *retracted*, *added*, *headline_changed*.
//! A correction note ("An earlier version of this article misstated …") that appears in the
//! new version is linked to the change it names (by the words they share; the only change if
//! there is just one), or reported on its own.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::claims::entities::fold_accents;
use crate::claims::{Claim, DocClaims, HEADLINE, Kind, Value};

mod report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Update,
    Correction,
    PlanChanged,
    QuoteChanged,
    QuoteRemoved,
    Retracted,
    Added,
    HeadlineChanged,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Update => "update",
            Label::Correction => "correction",
            Label::PlanChanged => "plan changed",
            Label::QuoteChanged => "quote changed",
            Label::QuoteRemoved => "quote removed",
            Label::Retracted => "retracted",
            Label::Added => "added",
            Label::HeadlineChanged => "headline changed",
        }
    }
}

/// One side of a change, as in the `fact.changed` payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactSide {
    pub text: String,
    pub value: serde_json::Value,
}

/// One `facts[]` entry of `fact.changed` (DESIGN "Events").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactChange {
    /// quantity | money | percent | duration | date | quote | person | place | headline |
    /// correction_note
    pub kind: String,
    pub slot: String,
    pub before: Option<FactSide>,
    pub after: Option<FactSide>,
    pub sentence_before: Option<String>,
    pub sentence_after: Option<String>,
    pub label: Label,
    /// The correction note this change is linked to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_note: Option<String>,
    /// The other claims of the same added, removed or edited sentence (or of the headline),
    /// reported with this one instead of on their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<AlsoClaim>,
    /// Every sentence where this same value change was made, when there are several (the
    /// first is also in `sentence_before` / `sentence_after`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<SentencePair>,
}

/// A claim reported as part of another change (`also`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlsoClaim {
    pub kind: String,
    pub text: String,
    pub value: serde_json::Value,
}

/// One sentence of a change, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentencePair {
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FactChange {
    /// "deaths: 3 → 5", "quote from Ann Lee removed: "…"", in plain words.
    pub fn describe(&self) -> String {
        let t = |s: &Option<FactSide>| s.as_ref().map(|x| x.text.clone());
        let body = match (t(&self.before), t(&self.after)) {
            (Some(b), Some(a)) => format!("{}: {b} → {a}", self.slot),
            (Some(b), None) => format!("{}: {b} (removed)", self.slot),
            (None, Some(a)) => format!("{}: {a} (new)", self.slot),
            (None, None) => self.slot.clone(),
        };
        let mut s = format!("{body} [{}]", self.label.as_str());
        if let Some(n) = &self.correction_note {
            s.push_str(&format!(" — correction note: {n}"));
        }
        s
    }
}

/// Slots that are running totals: a rise is news (update), a fall is a correction.
const RUNNING: [&str; 10] = [
    "deaths",
    "injured",
    "arrested",
    "missing",
    "evacuated",
    "displaced",
    "rescued",
    "infected",
    "cases",
    "detained",
];

/// The fact changes from `old` to `new`.
pub fn fact_changes(old: &DocClaims, new: &DocClaims) -> Vec<FactChange> {
    let mut used_old = vec![false; old.claims.len()];
    let mut used_new = vec![false; new.claims.len()];

    // 1. Same fact, anywhere: strict slot first, then any compatible slot; equal values are
    //    assigned best sentence match first, so that a value repeated elsewhere does not
    //    hide an edit here.
    for strict in [true, false] {
        let mut equal: Vec<(f64, usize, usize)> = Vec::new();
        for (i, o) in old.claims.iter().enumerate().filter(|(i, _)| !used_old[*i]) {
            for (j, n) in new.claims.iter().enumerate().filter(|(j, _)| !used_new[*j]) {
                let slot_ok = if strict {
                    o.slot == n.slot
                } else {
                    slots_compatible(o, n)
                };
                if o.kind == n.kind && o.negated == n.negated && slot_ok && same_fact(o, n) {
                    equal.push((context_similarity(old, o, new, n), i, j));
                }
            }
        }
        equal.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in equal {
            if !used_old[i] && !used_new[j] {
                used_old[i] = true;
                used_new[j] = true;
            }
        }
    }

    // 2. Pair what is left by kind, slot and sentence similarity.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, o) in old.claims.iter().enumerate().filter(|(i, _)| !used_old[*i]) {
        for (j, n) in new.claims.iter().enumerate().filter(|(j, _)| !used_new[*j]) {
            // the headline is reported whole (headline_change), never claim by claim
            if o.kind != n.kind
                || !pairable(o, n)
                || o.sentence == HEADLINE
                || n.sentence == HEADLINE
            {
                continue;
            }
            let score = context_similarity(old, o, new, n);
            if score >= 0.5 {
                pairs.push((score, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if used_old[i] || used_new[j] {
            continue;
        }
        used_old[i] = true;
        used_new[j] = true;
        let (o, n) = (&old.claims[i], &new.claims[j]);
        out.push(change(old, Some(o), new, Some(n), pair_label(o, n)));
    }

    // 3. Retracted and added.
    for (i, o) in old.claims.iter().enumerate() {
        if !used_old[i] && reported_alone(o) && o.sentence != HEADLINE {
            let label = if o.kind == Kind::Quote {
                Label::QuoteRemoved
            } else {
                Label::Retracted
            };
            out.push(change(old, Some(o), new, None, label));
        }
    }
    for (j, n) in new.claims.iter().enumerate() {
        if !used_new[j] && reported_alone(n) && n.sentence != HEADLINE {
            out.push(change(old, None, new, Some(n), Label::Added));
        }
    }

    let mut out = report::consolidate(out);
    let changed_in_headline: Vec<AlsoClaim> = new
        .claims
        .iter()
        .enumerate()
        .filter(|(j, c)| c.sentence == HEADLINE && !used_new[*j])
        .map(|(_, c)| AlsoClaim {
            kind: c.kind.as_str().to_string(),
            text: c.text.clone(),
            value: c.value.to_json(),
        })
        .collect();
    headline_change(old, new, changed_in_headline, &mut out);
    link_correction_notes(old, new, &mut out);
    out
}

/// The same value. A quote is the same quote when its words are, up to typo fixes,
/// punctuation and case — whoever the speaker recogniser credits it to (attribution shifts
/// with re-ordering and must not look like a changed quote).
fn same_fact(o: &Claim, n: &Claim) -> bool {
    if o.kind == Kind::Quote {
        return o.value.same(&n.value) || crate::diff::is_cosmetic_change(&o.text, &n.text);
    }
    // "Malmo" and "Malmö", "Sao Paulo" and "São Paulo": one place spelled two ways
    if o.kind == Kind::Place {
        let key = |c: &Claim| fold_accents(value_text(c)).to_lowercase();
        return key(o) == key(n);
    }
    o.value.same(&n.value)
}

fn is_running(slot: &str) -> bool {
    RUNNING.contains(&slot)
}

/// Same slot, or the same class of count when neither is a running total ("30 countries" and
/// "30 nations" are one fact; "3 dead" and "3 injured" are not).
fn slots_compatible(a: &Claim, b: &Claim) -> bool {
    a.slot == b.slot
        || a.kind == Kind::Quote
        || (a.class.is_some() && a.class == b.class && !is_running(&a.slot) && !is_running(&b.slot))
}

/// Whether two leftover claims may be the same fact with a new value.
fn pairable(a: &Claim, b: &Claim) -> bool {
    match a.kind {
        // The speaker is the slot: a different speaker's quote is another quote.
        Kind::Quote => a.speaker == b.speaker || word_dice(value_text(a), value_text(b)) >= 0.6,
        // an age pairs with an age, a home with a home, a role or name with a role or name
        Kind::Person => {
            person_facet(a) == person_facet(b) && names_related(value_text(a), value_text(b))
        }
        Kind::Date | Kind::Place => true,
        _ => slots_compatible(a, b) || a.slot == b.slot,
    }
}

/// Which fact of a person a claim states: its attribute slot, or "role" for a name/role.
fn person_facet(c: &Claim) -> &str {
    if crate::claims::is_person_attribute(c) {
        &c.slot
    } else {
        "role"
    }
}

fn value_text(c: &Claim) -> &str {
    match &c.value {
        Value::Text { text } => text,
        _ => &c.text,
    }
}

/// "Jon Ellery" / "John Ellery": same surname, or one letter apart.
/// A person's value is "Name, role, Organisation": only the name says who it is.
fn names_related(a: &str, b: &str) -> bool {
    let name = |s: &str| s.split(',').next().unwrap_or("").trim().to_lowercase();
    let (a, b) = (name(a), name(b));
    let last = |s: &str| s.split_whitespace().last().unwrap_or("").to_string();
    last(&a) == last(&b) || strsim_close(&a, &b)
}

fn strsim_close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

/// People and places only matter when paired; every other claim is reported alone too.
fn reported_alone(c: &Claim) -> bool {
    !matches!(c.kind, Kind::Person | Kind::Place)
}

fn pair_label(o: &Claim, n: &Claim) -> Label {
    if o.sentence == HEADLINE {
        return Label::HeadlineChanged;
    }
    if o.kind == Kind::Quote {
        return Label::QuoteChanged;
    }
    if o.negated != n.negated {
        return Label::Correction;
    }
    if o.planned {
        return Label::PlanChanged;
    }
    if is_running(&o.slot)
        && let (Some(a), Some(b)) = (o.value.interval(), n.value.interval())
        && b.min >= a.min
        && b.max >= a.max
    {
        return Label::Update;
    }
    Label::Correction
}

fn change(
    old: &DocClaims,
    o: Option<&Claim>,
    new: &DocClaims,
    n: Option<&Claim>,
    label: Label,
) -> FactChange {
    let side = |c: &Claim| FactSide {
        text: if c.negated {
            format!("not {}", c.text)
        } else {
            c.text.clone()
        },
        value: c.value.to_json(),
    };
    let main = n.or(o).expect("a change has a side");
    FactChange {
        kind: main.kind.as_str().to_string(),
        slot: o.map_or(&main.slot, |o| &o.slot).clone(),
        before: o.map(side),
        after: n.map(side),
        sentence_before: o.map(|c| old.sentence(c.sentence).to_string()),
        sentence_after: n.map(|c| new.sentence(c.sentence).to_string()),
        label,
        correction_note: None,
        also: Vec::new(),
        sentences: Vec::new(),
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn word_dice(a: &str, b: &str) -> f64 {
    dice(&words(a), &words(b))
}

fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut pool: Vec<&String> = b.iter().collect();
    let mut common = 0usize;
    for w in a {
        if let Some(k) = pool.iter().position(|x| *x == w) {
            pool.swap_remove(k);
            common += 1;
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Similarity of the two sentences with the mentions themselves left out.
fn context_similarity(old: &DocClaims, o: &Claim, new: &DocClaims, n: &Claim) -> f64 {
    let without = |s: &str, span: &std::ops::Range<usize>| {
        let mut t = String::with_capacity(s.len());
        t.push_str(s.get(..span.start).unwrap_or(s));
        t.push(' ');
        t.push_str(s.get(span.end..).unwrap_or(""));
        t
    };
    if o.kind == Kind::Quote {
        // A quote is its own context: compare the words quoted.
        return word_dice(value_text(o), value_text(n)).max(if o.speaker == n.speaker {
            0.5
        } else {
            0.0
        });
    }
    word_dice(
        &without(old.sentence(o.sentence), &o.span),
        &without(new.sentence(n.sentence), &n.span),
    )
}

/// A changed headline is one `headline` item (its new numbers, dates … in `also`).
fn headline_change(
    old: &DocClaims,
    new: &DocClaims,
    also: Vec<AlsoClaim>,
    out: &mut Vec<FactChange>,
) {
    let (Some(a), Some(b)) = (&old.headline, &new.headline) else {
        return;
    };
    if a.trim() == b.trim() || crate::diff::is_cosmetic_change(a, b) {
        return;
    }
    out.push(FactChange {
        kind: "headline".into(),
        slot: "headline".into(),
        before: Some(FactSide {
            text: a.clone(),
            value: serde_json::json!(a),
        }),
        after: Some(FactSide {
            text: b.clone(),
            value: serde_json::json!(b),
        }),
        sentence_before: Some(a.clone()),
        sentence_after: Some(b.clone()),
        label: Label::HeadlineChanged,
        correction_note: None,
        also,
        sentences: Vec::new(),
    });
}

/// A sentence that announces a correction.
pub fn is_correction_note(s: &str) -> bool {
    let l = s.to_lowercase();
    const CUES: [&str; 9] = [
        "an earlier version of this",
        "a previous version of this",
        "this article has been corrected",
        "this story has been corrected",
        "this article was corrected",
        "this story was corrected",
        "has been updated to correct",
        "was amended to correct",
        "we regret the error",
    ];
    l.starts_with("correction:")
        || l.starts_with("correction ")
        || CUES.iter().any(|c| l.contains(c))
}

fn link_correction_notes(old: &DocClaims, new: &DocClaims, out: &mut Vec<FactChange>) {
    let before: HashSet<&str> = old.sentences.iter().map(String::as_str).collect();
    let notes: Vec<&String> = new
        .sentences
        .iter()
        .filter(|s| !before.contains(s.as_str()) && is_correction_note(s))
        .collect();
    for note in notes {
        // The note's own numbers are not facts of the story.
        out.retain(|c| {
            !(c.label == Label::Added && c.sentence_after.as_deref() == Some(note.as_str()))
        });
        let nw = words(note);
        let candidates: Vec<usize> = (0..out.len())
            .filter(|&i| !matches!(out[i].label, Label::Added | Label::Update))
            .collect();
        let best = candidates
            .iter()
            .map(|&i| {
                let c = &out[i];
                let mut text = c.slot.clone();
                for s in [&c.before, &c.after].into_iter().flatten() {
                    text.push(' ');
                    text.push_str(&s.text);
                }
                (dice(&words(&text), &nw) + shares(&words(&text), &nw), i)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let pick = match best {
            Some((score, i)) if score > 0.0 || candidates.len() == 1 => Some(i),
            _ => None,
        };
        match pick {
            Some(i) => {
                out[i].label = Label::Correction;
                out[i].correction_note = Some(note.clone());
            }
            None => out.push(FactChange {
                kind: "correction_note".into(),
                slot: "correction".into(),
                before: None,
                after: Some(FactSide {
                    text: note.clone(),
                    value: serde_json::json!(note),
                }),
                sentence_before: None,
                sentence_after: Some(note.clone()),
                label: Label::Correction,
                correction_note: Some(note.clone()),
                also: Vec::new(),
                sentences: Vec::new(),
            }),
        }
    }
}

/// Number of distinctive words (4+ letters) two word lists share.
fn shares(a: &[String], b: &[String]) -> f64 {
    let set: HashSet<&String> = b.iter().filter(|w| w.len() >= 4).collect();
    a.iter().filter(|w| w.len() >= 4 && set.contains(w)).count() as f64
}

#[cfg(test)]
mod tests;
