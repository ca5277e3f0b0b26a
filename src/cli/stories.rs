//! Story commands: `stories`, `story ID`, `story merge`, `story split`.

use chrono::Utc;
use serde_json::json;

use super::review::{find, open, print_json, short};
use super::{Exit, usage};
use crate::compare::conflicts::Finding;
use crate::config::Config;
use crate::notify::Router;
use crate::notify::outbox::{self, Notifiers};
use crate::stories::{Stories, StoryError};

/// A story the user named that does not exist is a usage error (2); a store error is 1.
fn exit(e: StoryError) -> Exit {
    let code = match e {
        StoryError::Store(_) => 1,
        StoryError::NoStory(_) | StoryError::NotInStory(_) => 2,
    };
    Exit {
        code,
        error: e.into(),
    }
}

pub fn list(cfg: &Config, limit: usize, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let rows = store.stories(limit)?;
    if json {
        print_json(&rows);
        return Ok(());
    }
    println!(
        "{:>5}  {:>4}  {:>9}  {:<44}  OUTLETS",
        "ID", "ARTS", "CONFLICTS", "HEADLINE"
    );
    for s in rows {
        println!(
            "{:>5}  {:>4}  {:>9}  {:<44}  {}",
            s.id,
            s.article_count,
            s.open_conflicts,
            short(s.headline.as_deref().unwrap_or("-"), 44),
            s.outlets.join(", ")
        );
    }
    Ok(())
}

/// Findings grouped by event, in first-appearance order (the comparison sorts loudest first).
fn by_event(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut out: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match out.iter_mut().find(|(e, _)| *e == f.event) {
            Some((_, v)) => v.push(f),
            None => out.push((&f.event, vec![f])),
        }
    }
    out
}

pub fn show(cfg: &Config, id: i64, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let Some(story) = store.story(id)? else {
        return Err(exit(StoryError::NoStory(id)));
    };
    let members = store.story_members(id)?;
    let mut articles = Vec::new();
    for m in &members {
        let a = store.article(m.article_id)?;
        articles.push(json!({
            "article_id": m.article_id,
            "outlet": m.outlet,
            "url": a.as_ref().map(|a| a.url.clone()),
            "headline": a.as_ref().and_then(|a| a.headline.clone()),
            "version": m.seq,
            "published": m.published.map(crate::events::rfc3339),
            "score": m.score,
            "wire_copy_of": m.wire_copy_of,
            "manual": m.manual,
        }));
    }
    // The alignment is recomputed from the stored versions (it is deterministic); the
    // reported findings are what was notified, open or resolved.
    let docs = Stories::new().outlet_docs(store.as_ref(), id)?;
    let findings = crate::compare::conflicts::compare_story(&docs);
    let reported = store.story_findings(id, true)?;
    if json {
        let events: Vec<serde_json::Value> = by_event(&findings)
            .into_iter()
            .map(|(event, fs)| {
                json!({
                    "event": event,
                    "slots": fs.iter().map(|f| json!({
                        "slot": f.slot,
                        "outcome": f.outcome,
                        "severity": f.severity,
                        "explanation": f.explanation,
                        "consensus": f.consensus,
                        "outlier": f.outlier,
                        "claims": f.claims,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        print_json(&json!({
            "story": story,
            "articles": articles,
            "events": events,
            "findings": reported,
        }));
        return Ok(());
    }
    println!(
        "Story {}: {}\n{} articles from {}; {} open conflicts",
        story.id,
        story.headline.as_deref().unwrap_or("-"),
        story.article_count,
        story.outlets.join(", "),
        story.open_conflicts
    );
    println!("\nArticles:");
    for a in &articles {
        println!(
            "  {:>5}  {:<16}  {:<20}  {}{}{}",
            a["article_id"],
            short(a["outlet"].as_str().unwrap_or("-"), 16),
            a["published"].as_str().unwrap_or("-"),
            a["url"].as_str().unwrap_or("-"),
            a["wire_copy_of"]
                .as_i64()
                .map(|w| format!("  [wire copy of {w}]"))
                .unwrap_or_default(),
            if a["manual"].as_bool() == Some(true) {
                "  [placed by hand]"
            } else {
                ""
            }
        );
    }
    if findings.is_empty() {
        println!("\nNo claim is reported by two outlets yet.");
    }
    for (event, fs) in by_event(&findings) {
        println!("\nEvent: {event}");
        print!("{}", event_table(&fs));
        for f in fs {
            println!(
                "  {} — {} ({:.2}): {}",
                f.slot,
                f.outcome.as_str().to_uppercase(),
                f.severity,
                f.explanation
            );
            println!("    {:<16}  {:<24}  AS WRITTEN", "OUTLET", "VALUE");
            for c in &f.claims {
                let v = match &c.value {
                    serde_json::Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                println!(
                    "    {:<16}  {:<24}  {}",
                    short(&c.outlet, 16),
                    short(&v, 24),
                    short(&c.text, 60)
                );
            }
        }
    }
    if !reported.is_empty() {
        println!("\nReported:");
        for r in &reported {
            println!(
                "  {:<10}  {}  {} / {}: {}{}",
                r.outcome,
                r.opened_at,
                r.event,
                r.slot,
                r.explanation,
                r.resolved_at
                    .as_deref()
                    .map(|t| format!("  [resolved {t}]"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

pub async fn merge(cfg: &Config, into: i64, other: i64, json: bool) -> Result<(), Exit> {
    if into == other {
        return Err(usage(format!("cannot merge story {into} into itself")));
    }
    let store = open(cfg)?;
    let router = Router::new(cfg);
    let stories = Stories::with_min_severity(cfg.notify.conflict_min_severity);
    let s = stories
        .merge(store.as_ref(), &router, into, other, Utc::now())
        .map_err(exit)?;
    outbox::deliver_due(&store, &Notifiers::new(cfg)).await?;
    if json {
        println!("{}", json!({ "story": s, "merged": other }));
    } else {
        println!("story {other} merged into story {s}; its articles stay there from now on");
    }
    Ok(())
}

pub async fn split(cfg: &Config, article: &str, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let a = find(store.as_ref(), article)?;
    let old = store.story_of(a.id)?;
    let router = Router::new(cfg);
    let stories = Stories::with_min_severity(cfg.notify.conflict_min_severity);
    let s = stories
        .split(store.as_ref(), &router, a.id, Utc::now())
        .map_err(exit)?;
    outbox::deliver_due(&store, &Notifiers::new(cfg)).await?;
    if json {
        println!("{}", json!({ "article": a.id, "from": old, "story": s }));
    } else {
        println!(
            "article {} left story {} for new story {s}; it will not rejoin it",
            a.id,
            old.map_or("-".into(), |o| o.to_string())
        );
    }
    Ok(())
}

/// Columns per block of the outlet × attribute table.
const TABLE_COLUMNS: usize = 5;
const CELL: usize = 20;

/// One event as an outlet × attribute table: a column per slot, a row per outlet, its value
/// in the cell (the outlier's marked ✗), and the outcome under each column. Wide events are
/// cut into blocks of [`TABLE_COLUMNS`] columns.
fn event_table(fs: &[&Finding]) -> String {
    use std::fmt::Write as _;
    let mut outlets: Vec<&str> = Vec::new();
    for f in fs {
        for c in &f.claims {
            if !outlets.contains(&c.outlet.as_str()) {
                outlets.push(&c.outlet);
            }
        }
    }
    let cell = |f: &Finding, outlet: &str| -> String {
        let Some(c) = f.claims.iter().find(|c| c.outlet == outlet) else {
            return "·".to_string();
        };
        let v = match &c.value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Object(o) if o.contains_key("amount") => o["amount"].to_string(),
            v => v.to_string(),
        };
        let mark = if f.outcome.reportable() && f.outlier.as_deref() == Some(outlet) {
            " ✗"
        } else {
            ""
        };
        format!("{}{mark}", short(&v, CELL - 2 - mark.chars().count()))
    };
    let mut out = String::new();
    for block in fs.chunks(TABLE_COLUMNS) {
        let _ = write!(out, "  {:<16}", "OUTLET");
        for f in block {
            let _ = write!(out, "  {:<CELL$}", short(&f.slot, CELL));
        }
        out.push('\n');
        for o in &outlets {
            if block
                .iter()
                .all(|f| f.claims.iter().all(|c| c.outlet != *o))
            {
                continue;
            }
            let _ = write!(out, "  {:<16}", short(o, 16));
            for f in block {
                let _ = write!(out, "  {:<CELL$}", cell(f, o));
            }
            out.push('\n');
        }
        let _ = write!(out, "  {:<16}", "= outcome");
        for f in block {
            let _ = write!(out, "  {:<CELL$}", f.outcome.as_str().to_uppercase());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::conflicts::{FindingClaim, Outcome};

    fn claim(outlet: &str, value: serde_json::Value) -> FindingClaim {
        FindingClaim {
            outlet: outlet.into(),
            article_url: format!("https://{outlet}.example/a"),
            text: "t".into(),
            value,
            sentence: "s".into(),
        }
    }

    #[test]
    fn an_event_is_an_outlet_by_attribute_table() {
        let date = Finding {
            story: String::new(),
            event: "vote".into(),
            slot: "date".into(),
            outcome: Outcome::Conflict,
            severity: 0.6,
            explanation: String::new(),
            claims: vec![
                claim("valley9", json!("2026-06-04")),
                claim("keystone", json!("2026-06-04")),
                claim("postscript", json!("2026-06-05")),
            ],
            consensus: None,
            outlier: Some("postscript".into()),
        };
        let money = Finding {
            slot: "money".into(),
            outcome: Outcome::Agree,
            claims: vec![
                claim("valley9", json!({"amount": 14000000.0, "currency": "USD"})),
                claim(
                    "finledger",
                    json!({"amount": 14000000.0, "currency": "USD"}),
                ),
            ],
            outlier: None,
            ..date.clone()
        };
        let t = event_table(&[&date, &money]);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[0].contains("OUTLET") && lines[0].contains("date") && lines[0].contains("money")
        );
        let row = |o: &str| {
            lines
                .iter()
                .find(|l| l.trim_start().starts_with(o))
                .unwrap()
                .to_string()
        };
        assert!(row("postscript").contains("2026-06-05 ✗"), "{t}");
        assert!(
            row("keystone").contains("2026-06-04") && row("keystone").contains('·'),
            "{t}"
        );
        assert!(row("finledger").contains("14000000.0"), "{t}");
        assert!(
            lines.last().unwrap().contains("CONFLICT") && lines.last().unwrap().contains("AGREE")
        );
    }
}
