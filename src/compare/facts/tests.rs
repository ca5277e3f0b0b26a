//! Fact-diff rules on hand-built claims (independent of the recognisers).

use super::*;
use crate::claims::{Claim, DocClaims, Interval, Kind, UnitClass, Value};

fn num(sentence: usize, text: &str, v: f64, slot: &str, s: &str) -> Claim {
    let start = s.find(text).unwrap_or(0);
    Claim {
        kind: Kind::Quantity,
        slot: slot.into(),
        class: Some(UnitClass::Person),
        text: text.into(),
        value: Value::Number {
            min: v,
            max: v,
            exact: true,
        },
        sentence,
        span: start..start + text.len(),
        negated: false,
        planned: false,
        speaker: None,
        confidence: 0.9,
    }
}

fn doc(sentences: &[&str], claims: Vec<Claim>) -> DocClaims {
    DocClaims {
        headline: Some("Floods sweep the valley".into()),
        sentences: sentences.iter().map(|s| s.to_string()).collect(),
        claims,
    }
}

#[test]
fn a_running_total_that_grows_is_an_update() {
    let a = "At least 40 people were injured in the floods, officials said.";
    let b = "At least 52 people were injured in the floods, officials said.";
    let old = doc(&[a], vec![num(0, "40", 40.0, "injured", a)]);
    let new = doc(&[b], vec![num(0, "52", 52.0, "injured", b)]);
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(ch[0].label, Label::Update);
    assert_eq!(ch[0].describe(), "injured: 40 → 52 [update]");
    assert_eq!(ch[0].sentence_before.as_deref(), Some(a));
    assert_eq!(ch[0].after.as_ref().unwrap().value, serde_json::json!(52.0));
    // Falling is a correction.
    let back = fact_changes(&new, &old);
    assert_eq!(back[0].label, Label::Correction);
}

#[test]
fn moved_and_resplit_facts_are_no_change() {
    let a = "Three people died.";
    let b = "Rescuers searched all night.";
    let old = doc(&[a, b], vec![num(0, "Three", 3.0, "deaths", a)]);
    let c = "Rescuers searched all night and three people died.";
    let new = doc(&[c], vec![num(0, "three", 3.0, "deaths", c)]);
    assert!(fact_changes(&old, &new).is_empty());
}

#[test]
fn removed_and_added_facts() {
    let a = "Police arrested 12 people.";
    let b = "The mayor visited 3 shelters.";
    let old = doc(&[a], vec![num(0, "12", 12.0, "arrested", a)]);
    let new = doc(&[b], vec![num(0, "3", 3.0, "shelter", b)]);
    let ch = fact_changes(&old, &new);
    let labels: Vec<Label> = ch.iter().map(|c| c.label).collect();
    assert_eq!(labels, vec![Label::Retracted, Label::Added]);
}

#[test]
fn plans_and_negations() {
    let a = "The meeting will involve 15 countries.";
    let b = "The meeting involved 12 countries.";
    let mut o = num(0, "15", 15.0, "country", a);
    o.planned = true;
    let ch = fact_changes(
        &doc(&[a], vec![o]),
        &doc(&[b], vec![num(0, "12", 12.0, "country", b)]),
    );
    assert_eq!(ch[0].label, Label::PlanChanged);

    let c = "Officials confirmed 3 deaths.";
    let d = "Officials have not confirmed 3 deaths.";
    let mut n = num(0, "3", 3.0, "deaths", d);
    n.negated = true;
    let ch = fact_changes(
        &doc(&[c], vec![num(0, "3", 3.0, "deaths", c)]),
        &doc(&[d], vec![n]),
    );
    assert_eq!(ch.len(), 1);
    assert_eq!(ch[0].label, Label::Correction);
    assert_eq!(ch[0].after.as_ref().unwrap().text, "not 3");
}

fn quote(sentence: usize, text: &str, speaker: &str) -> Claim {
    quote_in(sentence, text, speaker, text)
}

#[test]
fn quotes_changed_and_removed() {
    let s = [
        "\"We will rebuild every home,\" the mayor said.",
        "Other text.",
    ];
    let t = [
        "\"We will rebuild most homes,\" the mayor said.",
        "Other text.",
    ];
    let old = doc(
        &s,
        vec![quote(0, "We will rebuild every home", "the mayor")],
    );
    let new = doc(
        &t,
        vec![quote(0, "We will rebuild most homes", "the mayor")],
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch[0].label, Label::QuoteChanged);
    let gone = fact_changes(&old, &doc(&["Other text."], vec![]));
    assert_eq!(gone[0].label, Label::QuoteRemoved);
    assert_eq!(gone[0].slot, "quote from the mayor");
}

#[test]
fn a_correction_note_is_linked_to_the_fact_it_corrects() {
    let person = |name: &str, s: &str| Claim {
        kind: Kind::Person,
        slot: "name".into(),
        class: None,
        text: name.into(),
        value: Value::Text { text: name.into() },
        sentence: 0,
        span: s.find(name).map_or(0..0, |i| i..i + name.len()),
        negated: false,
        planned: false,
        speaker: None,
        confidence: 0.8,
    };
    let a = "The council leader, Jon Ellery, resigned on Monday.";
    let b = "The council leader, John Ellery, resigned on Monday.";
    let note = "An earlier version of this article misspelled the name of John Ellery.";
    let old = doc(&[a], vec![person("Jon Ellery", a)]);
    let new = doc(&[b, note], vec![person("John Ellery", b)]);
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(ch[0].label, Label::Correction);
    assert_eq!(ch[0].correction_note.as_deref(), Some(note));
    assert!(
        ch[0]
            .describe()
            .starts_with("name: Jon Ellery → John Ellery")
    );
}

#[test]
fn headline_rewrites_are_reported_but_not_cosmetic_ones() {
    let mut old = doc(&["x"], vec![]);
    let mut new = doc(&["x"], vec![]);
    new.headline = Some("floods sweep the valley".into());
    assert!(fact_changes(&old, &new).is_empty(), "case only");
    old.headline = Some("Police killed protester, witnesses say".into());
    new.headline = Some("Protester died during police operation".into());
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1);
    assert_eq!(ch[0].label, Label::HeadlineChanged);
}

#[test]
fn intervals_serialise_in_changes() {
    let a = "More than 27 leaders attended.";
    let mut o = num(0, "More than 27", 27.0, "leader", a);
    o.value = Value::Number {
        min: 27.0,
        max: f64::INFINITY,
        exact: false,
    };
    let b = "More than 30 leaders attended.";
    let mut n = num(0, "More than 30", 30.0, "leader", b);
    n.value = Value::Number {
        min: 30.0,
        max: f64::INFINITY,
        exact: false,
    };
    let ch = fact_changes(&doc(&[a], vec![o]), &doc(&[b], vec![n]));
    assert_eq!(
        ch[0].before.as_ref().unwrap().value,
        serde_json::json!({"min": 27.0, "max": null})
    );
    let _ = Interval::exact(1.0);
}

fn place(sentence: usize, name: &str, s: &str) -> Claim {
    let start = s.find(name).unwrap_or(0);
    Claim {
        kind: Kind::Place,
        slot: "place".into(),
        class: None,
        text: name.into(),
        value: Value::Text { text: name.into() },
        sentence,
        span: start..start + name.len(),
        negated: false,
        planned: false,
        speaker: None,
        confidence: 0.8,
    }
}

#[test]
fn a_value_repeated_elsewhere_does_not_hide_an_edit() {
    let a = "Talks were held in Ukraine on Monday.";
    let b = "Ukraine has asked for more air defence.";
    let a2 = "Talks were held in Portugal on Monday.";
    let old = doc(
        &[a, b],
        vec![place(0, "Ukraine", a), place(1, "Ukraine", b)],
    );
    let new = doc(
        &[a2, b],
        vec![place(0, "Portugal", a2), place(1, "Ukraine", b)],
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(ch[0].describe(), "place: Ukraine → Portugal [correction]");
}

#[test]
fn quote_typo_fixes_and_shifted_attribution_are_not_changes() {
    let s = ["\"The partners' presusre is growing,\" the minister said."];
    let t = ["\"The partners' pressure is growing,\" the minister said."];
    let old = doc(
        &s,
        vec![quote(
            0,
            "The partners' presusre is growing",
            "the minister",
        )],
    );
    let new = doc(
        &t,
        vec![quote(
            0,
            "The partners' pressure is growing",
            "the minister",
        )],
    );
    assert!(fact_changes(&old, &new).is_empty());
    let other = doc(
        &t,
        vec![quote(0, "The partners' pressure is growing", "Ann Lee")],
    );
    assert!(fact_changes(&new, &other).is_empty());
}

fn quote_in(sentence: usize, text: &str, speaker: &str, s: &str) -> Claim {
    let start = s.find(text).unwrap_or(0);
    Claim {
        kind: Kind::Quote,
        slot: format!("quote from {speaker}"),
        class: None,
        text: text.into(),
        value: Value::Text {
            text: text.to_lowercase(),
        },
        sentence,
        span: start..start + text.len(),
        negated: false,
        planned: false,
        speaker: Some(speaker.into()),
        confidence: 0.9,
    }
}

#[test]
fn one_value_changed_in_two_sentences_is_one_item_listing_both() {
    let (a1, a2) = (
        "Six miners were trapped on Monday.",
        "Rescuers said the six men were conscious.",
    );
    let (b1, b2) = (
        "Seven miners were trapped on Monday.",
        "Rescuers said the seven men were conscious.",
    );
    let old = doc(
        &[a1, a2],
        vec![
            num(0, "Six", 6.0, "miner", a1),
            num(1, "six", 6.0, "man", a2),
        ],
    );
    let new = doc(
        &[b1, b2],
        vec![
            num(0, "Seven", 7.0, "miner", b1),
            num(1, "seven", 7.0, "man", b2),
        ],
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(ch[0].sentences.len(), 2);
    assert_eq!(ch[0].sentences[1].after.as_deref(), Some(b2));
}

#[test]
fn two_running_totals_with_the_same_change_stay_two_items() {
    let a = "Three people died and three were injured.";
    let b = "Four people died and four were injured.";
    let old = doc(
        &[a],
        vec![
            num(0, "Three", 3.0, "deaths", a),
            num(0, "three", 3.0, "injured", a),
        ],
    );
    let new = doc(
        &[b],
        vec![
            num(0, "Four", 4.0, "deaths", b),
            num(0, "four", 4.0, "injured", b),
        ],
    );
    assert_eq!(fact_changes(&old, &new).len(), 2);
}

#[test]
fn a_removed_sentence_is_one_item_led_by_its_quote() {
    let keep = "The mine reopened in 2024.";
    let gone = "One rescuer, a veteran of 20 years underground, said: \"It is tight down there.\"";
    let old = doc(
        &[keep, gone],
        vec![
            num(1, "One", 1.0, "rescuer", gone),
            num(1, "20", 20.0, "number", gone),
            quote_in(1, "It is tight down there.", "One rescuer", gone),
        ],
    );
    let new = doc(&[keep], vec![]);
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(ch[0].kind, "quote");
    assert_eq!(ch[0].label, Label::QuoteRemoved);
    assert_eq!(ch[0].also.len(), 2, "{:?}", ch[0].also);
    // without a quote the casualty-like count leads, the bare number follows
    let old = doc(
        &[keep, gone],
        vec![
            num(1, "20", 20.0, "number", gone),
            num(1, "One", 1.0, "injured", gone),
        ],
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(ch[0].slot, "injured");
}

#[test]
fn a_headline_carrying_a_number_is_one_headline_item() {
    let s = "Six miners were trapped on Monday.";
    let mut old = doc(&[s], vec![num(0, "Six", 6.0, "miner", s)]);
    let mut new = old.clone();
    old.headline = Some("Six miners trapped in Cornwall".into());
    new.headline = Some("Seven miners trapped in Cornwall".into());
    old.claims.push(num(
        HEADLINE,
        "Six",
        6.0,
        "miner",
        "Six miners trapped in Cornwall",
    ));
    new.claims.push(num(
        HEADLINE,
        "Seven",
        7.0,
        "miner",
        "Seven miners trapped in Cornwall",
    ));
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(ch[0].kind, "headline");
    assert_eq!(ch[0].also.len(), 1);
    assert_eq!(ch[0].also[0].value, serde_json::json!(7.0));
}

#[test]
fn a_number_added_inside_a_changed_quote_goes_with_it() {
    let a = "\"They took savings as their own,\" said Karen Hill.";
    let b = "\"They took savings, and hundreds lost out,\" said Karen Hill.";
    let old = doc(
        &[a],
        vec![quote_in(
            0,
            "They took savings as their own,",
            "Karen Hill",
            a,
        )],
    );
    let mut hundreds = num(0, "hundreds", 200.0, "number", b);
    hundreds.value = Value::Number {
        min: 200.0,
        max: 999.0,
        exact: false,
    };
    let new = doc(
        &[b],
        vec![
            quote_in(
                0,
                "They took savings, and hundreds lost out,",
                "Karen Hill",
                b,
            ),
            hundreds,
        ],
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(ch[0].label, Label::QuoteChanged);
    assert_eq!(ch[0].also.len(), 1);
}

#[test]
fn a_claim_found_twice_is_not_listed_beside_itself() {
    let keep = "The mine reopened in 2024.";
    let gone = "\"Sailors do not need to die,\" the captain wrote on Tuesday.";
    let q = |speaker: &str| quote_in(1, "Sailors do not need to die,", speaker, gone);
    let old = doc(&[keep, gone], vec![q("the captain"), q("unnamed")]);
    let new = doc(&[keep], vec![]);
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert!(ch[0].also.is_empty(), "{:?}", ch[0].also);
}

#[test]
fn a_corrected_age_is_one_person_change_and_the_role_stays() {
    use crate::claims::extract_claims;
    use crate::extract::extract_plain;
    let a = "The climber, Robert Buckley, 31, of Bristol, fell 600 metres near the hut.";
    let b = "The climber, Robert Buckley, 32, of Bristol, fell 600 metres near the hut.";
    let (old, new) = (
        extract_claims(&extract_plain(a), None),
        extract_claims(&extract_plain(b), None),
    );
    let ch = fact_changes(&old, &new);
    assert_eq!(ch.len(), 1, "{ch:#?}");
    assert_eq!(
        ch[0].describe(),
        "age: Robert Buckley, 31, of Bristol → Robert Buckley, 32, of Bristol [correction]"
    );
}
