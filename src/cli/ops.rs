//! Operations on the store itself: `migrate` (schema up to date, explicitly), `workers`
//! (who shares the database and what each holds) and `copy` (SQLite → PostgreSQL).

use chrono::{DateTime, Utc};

use super::review::{open, print_json, short};
use super::{Exit, usage};
use crate::config::Config;

/// `factdiff migrate`: opens the configured store, which applies pending migrations (the
/// daemon does the same at start; this makes it an explicit deployment step).
pub fn migrate(cfg: &Config, json: bool) -> Result<(), Exit> {
    let store = crate::daemon::open_store(cfg)?;
    let version = store.schema_version()?;
    if json {
        print_json(&serde_json::json!({"store": redacted(cfg), "schema_version": version}));
    } else {
        println!("{}: schema at version {version}", redacted(cfg));
    }
    Ok(())
}

fn redacted(cfg: &Config) -> String {
    #[cfg(feature = "postgres")]
    if cfg.storage.is_postgres() {
        return crate::store::postgres::redact(&cfg.storage.url);
    }
    cfg.storage.url.clone()
}

fn age(now: DateTime<Utc>, t: &str) -> String {
    match DateTime::parse_from_rfc3339(t) {
        Ok(t) => {
            let s = (now - t.with_timezone(&Utc)).num_seconds().max(0);
            match s {
                0..120 => format!("{s}s"),
                120..7200 => format!("{}m", s / 60),
                _ => format!("{}h", s / 3600),
            }
        }
        Err(_) => "-".into(),
    }
}

/// A worker that went silent without stopping (killed, stalled, its machine lost) in the
/// last day: listed without `--all`, even once its leases were taken over.
fn silent_recently(now: chrono::DateTime<Utc>, heartbeat_at: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(heartbeat_at)
        .is_ok_and(|t| now.signed_duration_since(t) < chrono::Duration::days(1))
}

/// `factdiff workers`: every worker seen, alive or not, and its unexpired leases.
pub fn workers(cfg: &Config, all: bool, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let now = Utc::now();
    let rows: Vec<_> = store
        .workers(now)?
        .into_iter()
        .filter(|w| {
            all || w.alive
                || w.articles + w.deliveries > 0
                || !w.sources.is_empty()
                || (w.stopped_at.is_none() && silent_recently(now, &w.heartbeat_at))
        })
        .collect();
    if json {
        print_json(&rows);
        return Ok(());
    }
    println!(
        "{:<36} {:<7} {:>8} {:>8} {:>10} {:>10}  SOURCES",
        "WORKER", "STATE", "BEAT", "ARTICLES", "DELIVERIES", "OLDEST"
    );
    for w in rows {
        let state = match (&w.stopped_at, w.alive) {
            (Some(_), _) => "stopped",
            (None, true) => "alive",
            (None, false) => "silent",
        };
        println!(
            "{:<36} {:<7} {:>8} {:>8} {:>10} {:>10}  {}",
            short(&w.id, 36),
            state,
            age(now, &w.heartbeat_at),
            w.articles,
            w.deliveries,
            w.oldest_lease_at
                .as_deref()
                .map_or("-".into(), |t| age(now, t)),
            w.sources.join(",")
        );
    }
    Ok(())
}

/// `factdiff copy --to postgres://…`: the configured SQLite store into an empty PostgreSQL
/// database, then verified table by table (row counts and content hashes).
#[cfg(feature = "postgres")]
pub fn copy(cfg: &Config, to: &str, json: bool) -> Result<(), Exit> {
    let Some(path) = cfg.storage.sqlite_path() else {
        return Err(usage(
            "copy reads a SQLite store: the config's storage.url must be sqlite://PATH",
        ));
    };
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        return Err(usage(format!(
            "--to must be a postgres:// URL, not {:?}",
            crate::store::postgres::redact(to)
        )));
    }
    if !path.exists() {
        return Err(usage(format!("no SQLite store at {}", path.display())));
    }
    let report = crate::store::postgres::copy::sqlite_to_postgres(&path, to)?;
    if json {
        print_json(&report);
    } else {
        println!(
            "{:<20} {:>10} {:>10}  {:<16}",
            "TABLE", "SQLITE", "POSTGRES", "HASH"
        );
        for t in &report.tables {
            println!(
                "{:<20} {:>10} {:>10}  {:016x}{}",
                t.table,
                t.source_rows,
                t.target_rows,
                t.hash,
                if t.matches { "" } else { "  MISMATCH" }
            );
        }
        println!(
            "copied {} into {}: {}",
            path.display(),
            crate::store::postgres::redact(to),
            if report.verified {
                "verified (every table's rows and hash match)"
            } else {
                "NOT verified"
            }
        );
    }
    if !report.verified {
        return Err(anyhow::anyhow!("the copy does not match its source (see above)").into());
    }
    Ok(())
}

#[cfg(not(feature = "postgres"))]
pub fn copy(_cfg: &Config, _to: &str, _json: bool) -> Result<(), Exit> {
    Err(usage(
        "this build has no PostgreSQL support (built without the `postgres` feature)",
    ))
}
