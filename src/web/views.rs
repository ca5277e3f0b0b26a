//! View models for the pages, built from store rows by pure functions; templates only loop
//! and print (askama escapes every `{{ }}`; only the SVG charts, escaped by
//! [`super::charts::esc`], are inserted as markup).

use serde_json::Value;

use super::diffview::{Seg, highlight};
use super::load::{by_event, value_text};
use crate::compare::conflicts::Finding;
use crate::store::{FactChangeRow, FindingRow};

/// An `<option>` of a filter menu.
pub struct Opt {
    pub value: String,
    pub selected: bool,
}

pub fn opts<S: AsRef<str>>(values: &[S], current: &str) -> Vec<Opt> {
    values
        .iter()
        .map(|v| Opt {
            value: v.as_ref().to_string(),
            selected: v.as_ref() == current,
        })
        .collect()
}

/// `2026-01-05T10:00:00.000Z` → `2026-01-05 10:00` (UTC, as stored).
pub fn short_time(t: &str) -> String {
    match (t.get(..10), t.get(11..16)) {
        (Some(d), Some(h)) => format!("{d} {h}"),
        _ => t.to_string(),
    }
}

pub struct FactCard {
    pub id: i64,
    pub link: String,
    pub kind: String,
    pub slot: String,
    pub label: String,
    pub label_class: String,
    pub before: String,
    pub after: String,
    pub sentence_before: Vec<Seg>,
    pub sentence_after: Vec<Seg>,
    pub outlet: String,
    pub article_id: i64,
    pub headline: String,
    pub from_version: i64,
    pub to_version: i64,
    pub from_time: String,
    pub to_time: String,
    pub diff_link: String,
}

fn side_text(v: &Value) -> String {
    match v.get("text").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => "—".into(),
    }
}

fn sentence(text: Option<&str>, value: &str, class: &'static str) -> Vec<Seg> {
    match text {
        Some(t) => highlight(
            vec![Seg {
                text: t.to_string(),
                class,
            }],
            &[value],
            &[class],
        ),
        None => vec![],
    }
}

pub fn fact_card(f: &FactChangeRow) -> FactCard {
    let item = &f.item;
    let label = item["label"].as_str().unwrap_or("").to_string();
    let (before, after) = (side_text(&item["before"]), side_text(&item["after"]));
    FactCard {
        id: f.id,
        link: format!("/facts/{}", f.id),
        kind: item["kind"].as_str().unwrap_or("").into(),
        slot: item["slot"].as_str().unwrap_or("").into(),
        label_class: format!("l-{label}"),
        label: label.replace('_', " "),
        sentence_before: sentence(item["sentence_before"].as_str(), &before, ""),
        sentence_after: sentence(item["sentence_after"].as_str(), &after, ""),
        before,
        after,
        outlet: f.article.outlet.clone().unwrap_or_default(),
        article_id: f.article.id,
        headline: f
            .article
            .headline
            .clone()
            .unwrap_or_else(|| f.article.url.clone()),
        from_version: f.from_version.unwrap_or(0),
        to_version: f.to_version.unwrap_or(0),
        from_time: f
            .from_observed_at
            .as_deref()
            .map(short_time)
            .unwrap_or_default(),
        to_time: f
            .to_observed_at
            .as_deref()
            .map(short_time)
            .unwrap_or_default(),
        diff_link: super::api::diff_link(f),
    }
}

pub struct ClaimLine {
    pub outlet: String,
    pub value: String,
    pub text: String,
    pub sentence: String,
    pub url: String,
    pub article_link: String,
}

pub struct ConflictCard {
    pub id: i64,
    pub outcome: String,
    pub event: String,
    pub slot: String,
    pub status: &'static str,
    pub explanation: String,
    pub claims: Vec<ClaimLine>,
    pub story_id: i64,
    pub story_headline: String,
    pub opened_at: String,
    pub resolved_at: Option<String>,
}

pub fn conflict_card(r: &FindingRow) -> ConflictCard {
    let f = &r.finding;
    let claims = f.finding["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let url = c["article_url"].as_str().unwrap_or("").to_string();
            ClaimLine {
                outlet: c["outlet"].as_str().unwrap_or("").into(),
                value: value_text(&c["value"]),
                text: c["text"].as_str().unwrap_or("").into(),
                sentence: c["sentence"].as_str().unwrap_or("").into(),
                article_link: format!(
                    "/articles?q={}",
                    url::form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>()
                ),
                url,
            }
        })
        .collect();
    ConflictCard {
        id: r.id,
        outcome: f.outcome.clone(),
        event: f.event.clone(),
        slot: f.slot.clone(),
        status: if f.resolved_at.is_some() {
            "resolved"
        } else {
            "open"
        },
        explanation: f.explanation.clone(),
        claims,
        story_id: f.story_id,
        story_headline: r.story_headline.clone().unwrap_or_default(),
        opened_at: short_time(&f.opened_at),
        resolved_at: f.resolved_at.as_deref().map(short_time),
    }
}

pub struct Column {
    pub slot: String,
    pub outcome: String,
    pub severity: String,
    pub explanation: String,
    pub reportable: bool,
}

pub struct Cell {
    pub value: String,
    pub text: String,
    pub outlier: bool,
}

pub struct MatrixRow {
    pub outlet: String,
    pub cells: Vec<Cell>,
}

/// One event of a story as an outlet × slot table (the web form of `factdiff story`'s).
pub struct EventTable {
    pub event: String,
    pub columns: Vec<Column>,
    pub rows: Vec<MatrixRow>,
}

pub fn event_tables(findings: &[Finding]) -> Vec<EventTable> {
    by_event(findings)
        .into_iter()
        .map(|(event, fs)| {
            let mut outlets: Vec<&str> = Vec::new();
            for f in &fs {
                for c in &f.claims {
                    if !outlets.contains(&c.outlet.as_str()) {
                        outlets.push(&c.outlet);
                    }
                }
            }
            let rows = outlets
                .iter()
                .map(|o| MatrixRow {
                    outlet: o.to_string(),
                    cells: fs
                        .iter()
                        .map(|f| match f.claims.iter().find(|c| c.outlet == *o) {
                            Some(c) => Cell {
                                value: value_text(&c.value),
                                text: c.text.clone(),
                                outlier: f.outcome.reportable() && f.outlier.as_deref() == Some(*o),
                            },
                            None => Cell {
                                value: "·".into(),
                                text: String::new(),
                                outlier: false,
                            },
                        })
                        .collect(),
                })
                .collect();
            EventTable {
                event: event.to_string(),
                columns: fs
                    .iter()
                    .map(|f| Column {
                        slot: f.slot.clone(),
                        outcome: f.outcome.as_str().into(),
                        severity: format!("{:.2}", f.severity),
                        explanation: f.explanation.clone(),
                        reportable: f.outcome.reportable(),
                    })
                    .collect(),
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::conflicts::{FindingClaim, Outcome};

    #[test]
    fn event_table_marks_the_outlier() {
        let claim = |o: &str, v: &str| FindingClaim {
            outlet: o.into(),
            article_url: String::new(),
            text: v.into(),
            value: Value::String(v.into()),
            sentence: String::new(),
        };
        let f = Finding {
            story: String::new(),
            event: "vote".into(),
            slot: "date".into(),
            outcome: Outcome::Conflict,
            severity: 0.6,
            explanation: "e".into(),
            claims: vec![claim("A", "2026-06-04"), claim("B", "2026-06-05")],
            consensus: None,
            outlier: Some("B".into()),
        };
        let t = event_tables(&[f]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows[1].outlet, "B");
        assert!(t[0].rows[1].cells[0].outlier && !t[0].rows[0].cells[0].outlier);
        assert_eq!(t[0].columns[0].outcome, "conflict");
    }
}
