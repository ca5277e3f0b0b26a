//! From mentions to claims: runs the recognisers over a version's sentences (and headline),
//! gives every mention a slot and a normalised value, and marks negated claims.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    DateContext, Interval, Kind, NumKind, NumberMention, PersonMention, PlaceKind, UnitClass,
    dates, entities, numbers, quotes,
};
use crate::diff::split_sentences_lang;
use crate::extract::Article;

/// Sentence index used for claims found in the headline.
pub const HEADLINE: usize = usize::MAX;

/// A normalised value: what is compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Value {
    Number {
        #[serde(deserialize_with = "lower_bound")]
        min: f64,
        #[serde(deserialize_with = "upper_bound")]
        max: f64,
        exact: bool,
    },
    Money {
        currency: String,
        #[serde(deserialize_with = "lower_bound")]
        min: f64,
        #[serde(deserialize_with = "upper_bound")]
        max: f64,
        exact: bool,
    },
    Date {
        date: Option<chrono::NaiveDate>,
        alt: Option<chrono::NaiveDate>,
    },
    Text {
        text: String,
    },
}

impl Value {
    fn number(i: Interval, exact: bool) -> Self {
        Value::Number {
            min: i.min,
            max: i.max,
            exact,
        }
    }

    /// The public form (DESIGN "Events"): a JSON number for a point, `{"min","max"}` for a
    /// range (open ends as null), ISO 8601 for dates, a string otherwise.
    pub fn to_json(&self) -> serde_json::Value {
        let num = |min: f64, max: f64| {
            if min == max {
                json!(min)
            } else {
                json!({ "min": finite(min), "max": finite(max) })
            }
        };
        match self {
            Value::Number { min, max, .. } => num(*min, *max),
            Value::Money {
                currency, min, max, ..
            } => {
                json!({ "currency": currency, "amount": num(*min, *max) })
            }
            Value::Date { date, .. } => date.map_or(json!(null), |d| json!(d.to_string())),
            Value::Text { text } => json!(text),
        }
    }

    /// Same fact value: equal intervals (to a relative 1e-9), same day (or same candidates),
    /// same text.
    pub fn same(&self, other: &Value) -> bool {
        let eq = |a: f64, b: f64| a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs());
        match (self, other) {
            (Value::Number { min: a, max: b, .. }, Value::Number { min: c, max: d, .. }) => {
                eq(*a, *c) && eq(*b, *d)
            }
            (
                Value::Money {
                    currency: x,
                    min: a,
                    max: b,
                    ..
                },
                Value::Money {
                    currency: y,
                    min: c,
                    max: d,
                    ..
                },
            ) => x == y && eq(*a, *c) && eq(*b, *d),
            (Value::Date { date: a, alt: x }, Value::Date { date: b, alt: y }) => {
                a == b || (a.is_some() && (a == y || x == b))
            }
            (Value::Text { text: a }, Value::Text { text: b }) => a == b,
            _ => false,
        }
    }

    /// A number's interval (money included), for comparisons across outlets.
    pub fn interval(&self) -> Option<Interval> {
        match self {
            Value::Number { min, max, .. } | Value::Money { min, max, .. } => Some(Interval {
                min: *min,
                max: *max,
            }),
            _ => None,
        }
    }
}

/// An open lower end: JSON has no infinity, so serde_json writes `-inf` as `null`; read it
/// back as written (claims stored with a version are read again, `claims::stored`).
fn lower_bound<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NEG_INFINITY))
}

/// An open upper end ("more than 27"), written as `null`.
fn upper_bound<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

fn finite(v: f64) -> serde_json::Value {
    if v.is_finite() { json!(v) } else { json!(null) }
}

/// One fact a version asserts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: Kind,
    /// What is asserted about what, in words: "deaths", "delegations", "date of meeting",
    /// "quote from Ann Lee", "place"; for a person the role the mention gives ("finance
    /// director") or "name".
    pub slot: String,
    /// The unit class of a count (counts of different classes are never compared).
    pub class: Option<UnitClass>,
    /// The mention as written.
    pub text: String,
    pub value: Value,
    /// Sentence index ([`HEADLINE`] for the headline).
    pub sentence: usize,
    pub span: Range<usize>,
    /// "not", "no", "never", "n't" governs the mention.
    pub negated: bool,
    /// Stated as a plan or expectation ("will", "is expected to", "scheduled").
    pub planned: bool,
    /// Who said it, for quotes.
    pub speaker: Option<String>,
    pub confidence: f32,
}

/// The claims of one version and the sentences they point into.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocClaims {
    pub headline: Option<String>,
    pub sentences: Vec<String>,
    pub claims: Vec<Claim>,
}

impl DocClaims {
    /// The sentence a claim was found in.
    pub fn sentence(&self, idx: usize) -> &str {
        if idx == HEADLINE {
            self.headline.as_deref().unwrap_or("")
        } else {
            self.sentences.get(idx).map_or("", String::as_str)
        }
    }
}

/// The sentences of a normalised article, as claims index them.
fn sentences_of(normalized: &Article) -> Vec<String> {
    split_sentences_lang(&normalized.paragraphs, normalized.lang.as_deref())
        .into_iter()
        .map(|s| s.text)
        .collect()
}

/// The headline and sentences `claims` (extracted from `article` by [`extract_claims`])
/// point into: a version's claims kept in the store are read back with the text they index
/// (re-split, a fraction of extracting them) rather than storing the text twice.
pub fn with_claims(article: &Article, claims: Vec<Claim>) -> DocClaims {
    let article = article.normalized();
    DocClaims {
        sentences: sentences_of(&article),
        headline: article.headline,
        claims,
    }
}

/// The claims of a version, dates resolved against `published` (else the article's own).
/// Read from the normalised text ([`Article::normalized`]): the recognisers know straight
/// quotes and one dash style, and a re-rendered glyph is not a changed claim.
pub fn extract_claims(
    article: &Article,
    published: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> DocClaims {
    let article = &article.normalized();
    let sentences = sentences_of(article);
    let ctx = published
        .or(article.published)
        .map(|p| DateContext { published: p });
    let mut claims = Vec::new();
    let people = entities::find_people(&sentences);
    let not_towns = entities::NotTowns::new(&sentences, &people);
    if let Some(h) = &article.headline {
        sentence_claims(
            h,
            HEADLINE,
            ctx.as_ref(),
            &mut None,
            &not_towns,
            &mut claims,
        );
    }
    // the day the narrative last named: "the next day" counts from it
    let mut anchor = None;
    for (i, s) in sentences.iter().enumerate() {
        sentence_claims(s, i, ctx.as_ref(), &mut anchor, &not_towns, &mut claims);
    }
    for q in quotes::find_quotes(&sentences) {
        let speaker = q.speaker.clone().unwrap_or_else(|| "unnamed".into());
        let sent = sentences.get(q.sentence).map_or("", String::as_str);
        claims.push(Claim {
            kind: Kind::Quote,
            slot: format!("quote from {speaker}"),
            class: None,
            text: q.text.clone(),
            value: Value::Text {
                text: quote_key(&q.text),
            },
            sentence: q.sentence,
            span: q.span.clone(),
            negated: false,
            planned: false,
            speaker: q.speaker,
            confidence: if sent.is_empty() { 0.5 } else { 0.9 },
        });
    }
    for p in &people {
        claims.push(Claim {
            kind: Kind::Person,
            // as before: the role when the mention gives one, else "name" (a correction note
            // that "misspelled the first name" or names the title links by these words)
            slot: p.role.clone().unwrap_or_else(|| "name".into()),
            class: None,
            text: sentences
                .get(p.sentence)
                .and_then(|s| s.get(p.span.clone()))
                .unwrap_or(&p.name)
                .to_string(),
            value: Value::Text {
                text: person_value(p),
            },
            sentence: p.sentence,
            span: p.span.clone(),
            negated: false,
            planned: false,
            speaker: None,
            confidence: 0.8,
        });
        // age and home town: facts of the person, one claim each so a changed age is a
        // change of that fact alone ("Robert Buckley, 31" → "Robert Buckley, 32")
        let attrs = [
            (PERSON_AGE, p.age.map(|a| a.to_string())),
            (PERSON_HOME, p.home.clone()),
        ];
        for (slot, v) in attrs {
            let Some(v) = v else { continue };
            let last = claims.last().expect("pushed above").clone();
            let span = p.attr_span.clone().unwrap_or_else(|| p.span.clone());
            claims.push(Claim {
                slot: slot.into(),
                text: sentences
                    .get(p.sentence)
                    .and_then(|s| s.get(span.clone()))
                    .map_or_else(|| last.text.clone(), str::to_string),
                span,
                value: Value::Text {
                    text: format!("{}, {v}", p.name),
                },
                confidence: 0.7,
                ..last
            });
        }
    }
    claims.sort_by_key(|c| (c.sentence == HEADLINE, c.sentence, c.span.start));
    DocClaims {
        headline: article.headline.clone(),
        sentences,
        claims,
    }
}

/// A person claim's value: "Name, role, Org" when the mention gives a role and names its
/// organisation, "Name, role" when it gives a role only, else the full name ("Dana Whitcomb,
/// chief executive, Ridgeway"; "Stuart Pell, finance director"; "Stuart Pell" for a later
/// "Pell said"), so a changed title is a changed value of the same person ([`person_name`]
/// gives the name back).
fn person_value(p: &PersonMention) -> String {
    match (&p.role, &p.org) {
        (Some(r), Some(o)) => format!("{}, {r}, {o}", p.name),
        (Some(r), None) => format!("{}, {r}", p.name),
        _ => p.name.clone(),
    }
}

/// Slot of a person claim giving the person's age ("Robert Buckley, 32").
pub const PERSON_AGE: &str = "age";
/// Slot of a person claim giving where the person is from ("Anthony LaSalle, Bloomington").
pub const PERSON_HOME: &str = "home";

/// Whether a person claim states an attribute of the person (age, home town) rather than
/// naming them with their role: the value after the name is that attribute.
pub fn is_person_attribute(c: &Claim) -> bool {
    c.kind == Kind::Person && (c.slot == PERSON_AGE || c.slot == PERSON_HOME)
}

/// The name part of a person claim's value ("Dana Whitcomb" for "Dana Whitcomb, chief
/// executive, Ridgeway"): what to compare surnames on.
pub fn person_name(value: &str) -> &str {
    value.split(',').next().unwrap_or(value).trim()
}

/// Quote text for comparison: letters and digits only, lower-case, single spaces.
fn quote_key(t: &str) -> String {
    t.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence_claims(
    s: &str,
    idx: usize,
    ctx: Option<&DateContext>,
    anchor: &mut Option<chrono::NaiveDate>,
    not_towns: &entities::NotTowns,
    out: &mut Vec<Claim>,
) {
    let planned = is_planned(s);
    let found_dates = dates::find_dates_after(s, ctx, *anchor);
    *anchor = dates::narrative_anchor(s, &found_dates, *anchor);
    for d in &found_dates {
        out.push(Claim {
            kind: Kind::Date,
            slot: d
                .event
                .as_ref()
                .map_or_else(|| "date".to_string(), |e| format!("date of {e}")),
            class: None,
            text: d.text.clone(),
            value: Value::Date {
                date: d.date,
                alt: d.alt,
            },
            sentence: idx,
            span: d.span.clone(),
            negated: negated(s, d.span.start),
            planned,
            speaker: None,
            confidence: d.confidence,
        });
    }
    for n in numbers::find_numbers(s) {
        // A date's digits are the date's, not a count.
        if found_dates
            .iter()
            .any(|d| d.span.start < n.span.end && n.span.start < d.span.end)
        {
            continue;
        }
        out.push(number_claim(s, idx, n, planned));
    }
    for p in entities::find_places(s) {
        if !not_towns.keeps(idx, &p) {
            continue;
        }
        // A town is recognised by its position only: less sure than a gazetteer name.
        let confidence = if p.kind == PlaceKind::Town { 0.6 } else { 0.8 };
        out.push(Claim {
            kind: Kind::Place,
            slot: "place".into(),
            class: None,
            text: p.text.clone(),
            value: Value::Text { text: p.name },
            sentence: idx,
            span: p.span.clone(),
            negated: negated(s, p.span.start),
            planned,
            speaker: None,
            confidence,
        });
    }
}

/// 11 significant digits: "4.1 million" is 4100000, not 4099999.999999999.
fn tidy(v: f64) -> f64 {
    if v.is_finite() && v != 0.0 {
        format!("{v:.10e}").parse().unwrap_or(v)
    } else {
        v
    }
}

fn number_claim(s: &str, idx: usize, mut n: NumberMention, planned: bool) -> Claim {
    n.value = Interval {
        min: tidy(n.value.min),
        max: tidy(n.value.max),
    };
    let (kind, slot, value) = match &n.kind {
        NumKind::Count => (
            Kind::Quantity,
            count_slot(n.role.as_deref(), n.head.as_deref()),
            Value::number(n.value, n.exact),
        ),
        NumKind::Money { currency } => (
            Kind::Money,
            n.head
                .as_ref()
                .map_or_else(|| "amount".to_string(), |h| format!("amount ({h})")),
            Value::Money {
                currency: currency.clone(),
                min: n.value.min,
                max: n.value.max,
                exact: n.exact,
            },
        ),
        NumKind::Percent => (
            Kind::Percent,
            n.head
                .as_ref()
                .map_or_else(|| "percentage".to_string(), |h| format!("percentage ({h})")),
            Value::number(n.value, n.exact),
        ),
        NumKind::Duration { unit } => (
            Kind::Duration,
            format!("duration ({unit})"),
            Value::number(n.value, n.exact),
        ),
    };
    Claim {
        kind,
        slot,
        class: Some(n.class),
        negated: negated(s, n.span.start),
        text: n.text,
        value,
        sentence: idx,
        span: n.span,
        planned,
        speaker: None,
        confidence: if n.head.is_some() { 0.9 } else { 0.7 },
    }
}

/// "deaths", "injured", "arrests" for running totals; the counted noun otherwise.
fn count_slot(role: Option<&str>, head: Option<&str>) -> String {
    match (role, head) {
        (Some("killed"), _) => "deaths".into(),
        (Some(r), _) => r.to_string(),
        (None, Some(h)) => h.to_string(),
        (None, None) => "number".into(),
    }
}

/// A plan or expectation: future tense or scheduling words in the sentence.
fn is_planned(s: &str) -> bool {
    const CUES: [&str; 10] = [
        " will ",
        " would ",
        " is expected to ",
        " are expected to ",
        " scheduled ",
        " plans to ",
        " plan to ",
        " is due to ",
        " are due to ",
        " to be held",
    ];
    let l = format!(" {} ", s.to_lowercase());
    CUES.iter().any(|c| l.contains(c))
}

/// Negation in the clause before `at`: "not", "no", "never", "n't", "denied".
fn negated(s: &str, at: usize) -> bool {
    let before = s.get(..at).unwrap_or("");
    // The clause: back to the previous comma, semicolon or dash.
    let clause = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ',' | ';' | '—' | '–'))
        // past the separator (a dash is three bytes)
        .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
    clause.split_whitespace().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
            .to_lowercase();
        matches!(
            w.as_str(),
            "not" | "no" | "never" | "denied" | "neither" | "nor"
        ) || w.ends_with("n't")
            || w.ends_with("n\u{2019}t")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_serialise_as_the_design_says() {
        assert_eq!(
            Value::number(Interval::exact(52.0), true).to_json(),
            json!(52.0)
        );
        assert_eq!(
            Value::number(
                Interval {
                    min: 27.0,
                    max: f64::INFINITY
                },
                false
            )
            .to_json(),
            json!({"min": 27.0, "max": null})
        );
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 6).unwrap();
        assert_eq!(
            Value::Date {
                date: Some(d),
                alt: None
            }
            .to_json(),
            json!("2026-01-06")
        );
    }

    #[test]
    fn scaled_values_are_tidy() {
        assert_eq!(tidy(4.1 * 1e6), 4_100_000.0);
        assert_eq!(tidy(0.034), 0.034);
        assert_eq!(tidy(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn same_values() {
        let a = Value::number(Interval::exact(30.0), true);
        assert!(a.same(&Value::number(Interval::exact(30.0), false)));
        assert!(!a.same(&Value::number(Interval::exact(31.0), true)));
        let d = |n| chrono::NaiveDate::from_ymd_opt(2026, 1, n);
        let amb = Value::Date {
            date: d(5),
            alt: d(12),
        };
        assert!(amb.same(&Value::Date {
            date: d(12),
            alt: None
        }));
        assert!(!amb.same(&Value::Date {
            date: d(6),
            alt: None
        }));
    }

    #[test]
    fn negation_and_plans() {
        let s = "Police said they had not confirmed 3 deaths, but 2 people were hurt.";
        assert!(negated(s, s.find('3').unwrap()));
        assert!(!negated(s, s.find('2').unwrap()));
        assert!(negated("It won't reach 40 degrees", 16));
        assert!(negated("It won\u{2019}t reach 40 degrees", 18));
        // a multi-byte dash ends the clause without splitting a character
        let s = "No talks were held — now 20 states agreed.";
        assert!(!negated(s, s.find("20").unwrap()));
        assert!(is_planned("The meeting will involve 15 countries."));
        assert!(!is_planned("The meeting involved 12 countries."));
    }

    #[test]
    fn person_values_carry_role_and_organisation() {
        let a = Article {
            paragraphs: vec![
                "His co-defendant, Stuart Pell, 51, the firm's former finance director, was convicted."
                    .into(),
                "The talks were led by Wearside's sporting director, Helen Mayall, on Monday."
                    .into(),
                "Pell said he had raised concerns.".into(),
            ],
            ..Article::default()
        };
        let dc = extract_claims(&a, None);
        let people: Vec<(&str, String)> = dc
            .claims
            .iter()
            .filter(|c| c.kind == Kind::Person)
            .map(|c| {
                (
                    c.slot.as_str(),
                    c.value.to_json().as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            people,
            vec![
                (
                    "finance director",
                    "Stuart Pell, finance director".to_string()
                ),
                // the age is a fact of its own
                ("age", "Stuart Pell, 51".to_string()),
                (
                    "sporting director",
                    "Helen Mayall, sporting director, Wearside".to_string()
                ),
                ("name", "Stuart Pell".to_string()),
            ]
        );
        assert_eq!(
            person_name("Helen Mayall, sporting director, Wearside"),
            "Helen Mayall"
        );
        assert_eq!(person_name("Stuart Pell"), "Stuart Pell");
    }

    #[test]
    fn towns_are_less_sure_and_checked_against_the_document() {
        let a = Article {
            headline: Some("Van found near Stenungsund".into()),
            paragraphs: vec![
                "Wearside Athletic agreed a fee with the club in Vasteras.".into(),
                "Where does he fit at Wearside?".into(),
            ],
            ..Article::default()
        };
        let dc = extract_claims(&a, None);
        let places: Vec<(String, f32)> = dc
            .claims
            .iter()
            .filter(|c| c.kind == Kind::Place)
            .map(|c| {
                (
                    c.value.to_json().as_str().unwrap().to_string(),
                    c.confidence,
                )
            })
            .collect();
        // Wearside is a club (Wearside Athletic), not a town
        assert_eq!(
            places,
            vec![
                ("Västerås".to_string(), 0.8),
                ("Stenungsund".to_string(), 0.6)
            ]
        );
    }

    #[test]
    fn quote_keys_ignore_glyphs_and_case() {
        assert_eq!(
            quote_key("“We will rebuild,” she said — “Quickly.”"),
            "we will rebuild she said quickly"
        );
    }
}
