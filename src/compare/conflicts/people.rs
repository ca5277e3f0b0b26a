//! People across outlets: who said a quotation, and what a named person's job is.
//!
//! Neither needs an event: a quotation is one utterance wherever it is printed, and a person's
//! role is theirs for the whole story. Outlets trim and re-punctuate quotes, so one quotation
//! is found by its words (most of the shorter one's words in the longer one, in order-free
//! bags). A role is compared per person (matched by surname, and first name when both give
//! one): "union president" and "president" agree, "cabinet member for roads" and "… and
//! transport" agree (one adds words), "deputy leader" and "leader" do not (a subordinate
//! rank), "chief operating officer" and "chief information officer" do not.

use std::collections::BTreeSet;

use super::OutletDoc;
use crate::claims::{
    Claim, Kind, PERSON_AGE, PERSON_HOME, Value, is_person_attribute, person_name,
};

/// Words that make a role a different, lower rank when added to it.
const SUBORDINATE: &[&str] = &["deputy", "vice", "assistant", "associate", "co", "under"];
/// Words that say when, not what, a role is.
const TENSE: &[&str] = &[
    "former", "ex", "then", "acting", "interim", "outgoing", "incoming",
];

/// One outlet's say in a people slot: a synthetic claim whose value is the speaker or role,
/// standing on the original claim's text and sentence.
pub(super) struct Say {
    pub doc: usize,
    pub claim: Claim,
}

/// A group to judge: slot, event label, one `Say` per outlet.
pub(super) type Group = (String, String, Vec<Say>);

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Honorifics, which stand before a surname in place of a given name ("Ms Olivares").
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"];
/// Roles too vague to contradict another ("boss" of a manager, "head" of a director).
const VAGUE_ROLES: &[&str] = &[
    "boss",
    "chief",
    "head",
    "official",
    "executive",
    "spokesperson",
];

/// The name part of a speaker as the quote reader gives it: "Lt. Gregg Hastings of the
/// Oregon State Police" → "Lt. Gregg Hastings".
fn name_part(s: &str) -> &str {
    let cut = [",", " of ", " from ", " at ", " for ", "("]
        .iter()
        .filter_map(|p| s.find(p))
        .min()
        .unwrap_or(s.len());
    &s[..cut]
}

/// Surname and given names of a person's name: the last word and the ones before it, a title
/// in front left out ("Boss Ross Kinnaird" → ("kinnaird", [boss, ross]); "Ms Olivares" → no
/// given name).
fn name_key(name: &str) -> Option<(String, Vec<String>)> {
    let ws: Vec<String> = words(name_part(name))
        .into_iter()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let last = ws.last()?.clone();
    if last.len() < 2 {
        return None;
    }
    let given = ws[..ws.len() - 1]
        .iter()
        .filter(|w| !HONORIFICS.contains(&w.as_str()))
        .cloned()
        .collect();
    Some((last, given))
}

/// Two given names of one person: equal, an initial of the other, or one letter apart in a
/// longer name (transliterations: "Carolos" / "Karolos").
fn same_given(x: &str, y: &str) -> bool {
    if x == y || (x.len() == 1 && y.starts_with(x)) || (y.len() == 1 && x.starts_with(y)) {
        return true;
    }
    x.len() >= 5
        && x.len() == y.len()
        && x.chars().zip(y.chars()).filter(|(a, b)| a != b).count() == 1
}

/// One person: same surname, and the same first name when both give one ("Ms Olivares" and
/// "Renata Olivares" agree).
pub(super) fn same_person(a: &str, b: &str) -> bool {
    match (name_key(a), name_key(b)) {
        // given names: none on one side, or one in common ("Mark Jay Heller" / "Mark Heller";
        // "Boss Ross Kinnaird" / "Ross Kinnaird"; "R. Olivares")
        (Some((la, ga)), Some((lb, gb))) => {
            la == lb
                && (ga.is_empty()
                    || gb.is_empty()
                    || ga.iter().any(|x| gb.iter().any(|y| same_given(x, y))))
        }
        _ => false,
    }
}

/// A named speaker: at least one capitalised word ("Lisa Cairns", "Ms Cairns"), not a role
/// alone ("a credit analyst", "unnamed").
fn named(speaker: &str) -> bool {
    speaker != "unnamed"
        && speaker
            .split_whitespace()
            .any(|w| w.starts_with(char::is_uppercase))
}

fn role_words(role: &str) -> Vec<String> {
    words(role)
        .into_iter()
        .filter(|w| !TENSE.contains(&w.as_str()) && !["the", "of", "a", "an"].contains(&w.as_str()))
        .collect()
}

/// A role whose head is a vague word ("fire chief", "civil protection boss") may be an
/// informal name of the other: at most a tension, never a conflict.
pub(super) fn role_is_vague(r: &str) -> bool {
    role_words(r)
        .last()
        .is_some_and(|w| VAGUE_ROLES.contains(&w.as_str()))
}

/// Two titles of one person that can both be true: equal, or one adds words that are not a
/// subordinate rank ("president" / "union president"; "… for roads" / "… for roads and
/// transport"), a vague word aside ("civil protection boss" / "… chief").
pub(super) fn roles_compatible(a: &str, b: &str) -> bool {
    // a vague head noun goes ("civil protection boss" → "civil protection"); a vague word as
    // a modifier stays ("chief negotiator")
    let strip = |r: &str| -> Vec<String> {
        let mut w = role_words(r);
        if w.last().is_some_and(|h| VAGUE_ROLES.contains(&h.as_str())) {
            w.pop();
        }
        w
    };
    let (x, mut y) = (strip(a), strip(b));
    if x.is_empty() || y.is_empty() {
        return true;
    }
    // Two head nouns of one kind in the things lexicon ("lawyer" / "attorney"; "prosecutor",
    // a kind of lawyer) name one job. A bare job word is a description, not a title, so it
    // fits any title of that kind ("prosecutor" / "chief deputy city attorney"); otherwise
    // the titles are compared word by word with one head.
    let (hx, hy) = (&x[x.len() - 1], &y[y.len() - 1]);
    if hx != hy && crate::compare::frames::same_thing(hx, hy) {
        if x.len() == 1 || y.len() == 1 {
            return true;
        }
        let last = y.len() - 1;
        y[last] = hx.clone();
    }
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    let sset: BTreeSet<&String> = short.iter().collect();
    let lset: BTreeSet<&String> = long.iter().collect();
    if !sset.is_subset(&lset) {
        return false;
    }
    !lset
        .difference(&sset)
        .any(|w| SUBORDINATE.contains(&w.as_str()))
}

/// Bag-of-words overlap of two quotations: shared words over the shorter one's words.
fn quote_overlap(a: &str, b: &str) -> f32 {
    let (x, y): (BTreeSet<String>, BTreeSet<String>) = (
        words(a).into_iter().collect(),
        words(b).into_iter().collect(),
    );
    let n = x.len().min(y.len());
    // a short phrase ("reached the edge of the abyss") is quoted by many people
    if n < 7 {
        return 0.0;
    }
    x.intersection(&y).count() as f32 / n as f32
}

const SAME_QUOTE: f32 = 0.7;

/// One outlet's claim with the value it gives to a people slot (a speaker, a role).
struct Item<'a> {
    doc: usize,
    claim: &'a Claim,
    /// Who the item is about (a person's name), for roles.
    who: &'a str,
    value: &'a str,
}

/// Groups items across outlets, strongest first: each item joins the first group whose first
/// item it matches (`same`), one item per outlet (a second mention in an outlet already in the
/// group is dropped); groups of two outlets or more become `Say`s.
fn group<'a>(items: &[Item<'a>], same: impl Fn(&Item, &Item) -> bool) -> Vec<(&'a str, Vec<Say>)> {
    let mut used = vec![false; items.len()];
    let mut out = Vec::new();
    for i in 0..items.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let mut members = vec![i];
        for j in i + 1..items.len() {
            if used[j] || !same(&items[i], &items[j]) {
                continue;
            }
            used[j] = true;
            if !members.iter().any(|&m| items[m].doc == items[j].doc) {
                members.push(j);
            }
        }
        if members.len() < 2 {
            continue;
        }
        out.push((
            items[i].who,
            members
                .iter()
                .map(|&m| {
                    let mut claim = items[m].claim.clone();
                    claim.value = Value::Text {
                        text: items[m].value.to_string(),
                    };
                    Say {
                        doc: items[m].doc,
                        claim,
                    }
                })
                .collect(),
        ));
    }
    out
}

/// Quotations printed by several outlets with a named speaker each: one group per quotation.
pub(super) fn speaker_groups(docs: &[OutletDoc]) -> Vec<Group> {
    let mut items = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for c in doc.claims.claims.iter().filter(|c| c.kind == Kind::Quote) {
            // the person the sentence names is the cleanest form of the speaker ("Mark Oduya",
            // not "the site director at Halcyon Chemicals")
            let speaker =
                sole_person(doc, c.sentence).or_else(|| c.speaker.as_deref().filter(|s| named(s)));
            if let Some(value) = speaker {
                items.push(Item {
                    doc: d,
                    claim: c,
                    who: "",
                    value,
                });
            }
        }
    }
    group(&items, |a, b| {
        quote_overlap(&a.claim.text, &b.claim.text) >= SAME_QUOTE
    })
    .into_iter()
    .map(|(_, says)| {
        let label = format!("“{}”", short(&says[0].claim.text));
        ("quote speaker".to_string(), label, says)
    })
    .collect()
}

/// The one person a sentence names (its Person claims), for a quotation the quote reader
/// could not attribute ("Ross Kinnaird called him “…”"; "Mark Oduya, the site director, said").
fn sole_person(doc: &OutletDoc, sentence: usize) -> Option<&str> {
    let mut names = doc
        .claims
        .claims
        .iter()
        .filter(|c| c.kind == Kind::Person && c.sentence == sentence)
        .filter_map(|c| match &c.value {
            Value::Text { text } => Some(person_name(text)),
            _ => None,
        });
    let first = names.next()?;
    names.all(|n| same_person(n, first)).then_some(first)
}

/// People named with a role by several outlets: one group per person.
pub(super) fn role_groups(docs: &[OutletDoc]) -> Vec<Group> {
    let mut items = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for c in &doc.claims.claims {
            if c.kind != Kind::Person || c.negated || c.slot == "name" || is_person_attribute(c) {
                continue;
            }
            if let Value::Text { text } = &c.value
                && name_key(person_name(text)).is_some()
            {
                items.push(Item {
                    doc: d,
                    claim: c,
                    who: person_name(text),
                    value: c.slot.as_str(),
                });
            }
        }
    }
    group(&items, |a, b| same_person(a.who, b.who))
        .into_iter()
        .map(|(who, says)| (format!("role of {who}"), who.to_string(), says))
        .collect()
}

/// People given an age or a home town by several outlets: one group per person and
/// attribute ("age of Robert Buckley": 31 / 32; "home of Anthony LaSalle": Minneapolis /
/// Bloomington). The value is the attribute alone.
pub(super) fn attribute_groups(docs: &[OutletDoc]) -> Vec<Group> {
    let mut out = Vec::new();
    for attr in [PERSON_AGE, PERSON_HOME] {
        let mut items = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            for c in &doc.claims.claims {
                if c.negated || !is_person_attribute(c) || c.slot != attr {
                    continue;
                }
                if let Value::Text { text } = &c.value
                    && let Some((who, v)) = text.split_once(", ")
                    && name_key(who).is_some()
                {
                    items.push(Item {
                        doc: d,
                        claim: c,
                        who,
                        value: v,
                    });
                }
            }
        }
        out.extend(
            group(&items, |a, b| same_person(a.who, b.who))
                .into_iter()
                .map(|(who, says)| (format!("{attr} of {who}"), who.to_string(), says)),
        );
    }
    out
}

fn short(q: &str) -> String {
    let ws: Vec<&str> = q.split_whitespace().take(6).collect();
    let mut s = ws.join(" ");
    if q.split_whitespace().count() > 6 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_that_add_words_agree_but_ranks_do_not() {
        assert!(roles_compatible("president", "union president"));
        assert!(roles_compatible(
            "cabinet member for roads",
            "cabinet member for roads and transport"
        ));
        assert!(roles_compatible("former deputy leader", "deputy leader"));
        assert!(roles_compatible("boss", "manager"));
        assert!(roles_compatible(
            "civil protection boss",
            "civil protection chief"
        ));
        assert!(role_is_vague("fire chief") && !role_is_vague("group manager"));
        assert!(!role_is_vague("chief negotiator"));
        assert!(!roles_compatible("deputy leader", "leader"));
        assert!(!roles_compatible("vice president", "president"));
        assert!(!roles_compatible("president", "chief negotiator"));
        assert!(!roles_compatible(
            "chief operating officer",
            "chief information officer"
        ));
        assert!(!roles_compatible(
            "managing director",
            "operations director"
        ));
    }

    #[test]
    fn one_job_under_two_words_of_one_kind() {
        assert!(roles_compatible("lawyer", "attorney"));
        assert!(roles_compatible("defence lawyer", "defence attorney"));
        assert!(roles_compatible("prosecutor", "chief deputy city attorney"));
        // a job word of one kind does not join titles that differ in their other words
        assert!(!roles_compatible("defence lawyer", "district attorney"));
        assert!(!roles_compatible("deputy attorney", "lawyer for the city"));
        // nor two jobs the lexicon keeps apart
        assert!(!roles_compatible("lawyer", "detective"));
        assert!(!roles_compatible("spokesman", "president"));
    }

    #[test]
    fn one_person_by_surname_and_first_name() {
        assert!(same_person("Renata Olivares", "Olivares"));
        assert!(same_person("Renata Olivares", "R. Olivares"));
        assert!(same_person("Boss Ross Kinnaird", "Ross Kinnaird"));
        assert!(same_person("Ms Olivares", "Renata Olivares"));
        assert!(same_person("Mark Jay Heller", "Mark Heller"));
        assert!(same_person("Carolos Papoulias", "Karolos Papoulias"));
        assert!(same_person(
            "Lt. Gregg Hastings of the Oregon State Police",
            "Gregg Hastings"
        ));
        assert!(!same_person("Renata Olivares", "Marta Olivares"));
        assert!(!same_person("Renata Olivares", "Renata Lopez"));
    }

    #[test]
    fn a_trimmed_quotation_is_the_same_quotation() {
        let a = "We will not stop until every one of them is home safe.";
        let b = "We will not stop until every one of them is home";
        assert!(quote_overlap(a, b) >= SAME_QUOTE);
        let c = "We are proud of every one of our staff today.";
        assert!(quote_overlap(a, c) < SAME_QUOTE);
    }
}
