//! Keeping a store healthy for months: `backup` (online and consistent), `verify` (every
//! hash, link and migration), `vacuum` (raw-page retention, then space given back).

use std::path::Path;

use chrono::Utc;
use serde_json::json;

use super::review::{open, print_json};
use super::{Exit, usage};
use crate::config::Config;
use crate::store::Store;

/// `factdiff backup PATH`: SQLite's online backup API copies a consistent snapshot while
/// the daemon keeps writing; PostgreSQL is `pg_dump`'s job (run when installed).
pub fn backup(cfg: &Config, to: &Path, json: bool) -> Result<(), Exit> {
    if to.exists() {
        return Err(usage(format!(
            "{} exists; backup writes a new file and never overwrites one",
            to.display()
        )));
    }
    if cfg.storage.is_postgres() {
        return pg_dump(cfg, to);
    }
    let Some(src) = cfg.storage.sqlite_path() else {
        return Err(usage("storage.url is neither sqlite:// nor postgres://"));
    };
    if !src.exists() {
        return Err(usage(format!("no SQLite store at {}", src.display())));
    }
    let started = std::time::Instant::now();
    let from = rusqlite::Connection::open_with_flags(
        &src,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", src.display()))?;
    let mut dest = rusqlite::Connection::open(to)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", to.display()))?;
    {
        let b = rusqlite::backup::Backup::new(&from, &mut dest)
            .map_err(|e| anyhow::anyhow!("backup of {} failed: {e}", src.display()))?;
        // 256 pages per step, pausing between steps so the daemon's writes get through
        b.run_to_completion(256, std::time::Duration::from_millis(5), None)
            .map_err(|e| anyhow::anyhow!("backup to {} failed: {e}", to.display()))?;
    }
    // A backup that does not read back is no backup.
    let check: String = dest
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| anyhow::anyhow!("cannot read the backup back: {e}"))?;
    dest.pragma_update(None, "journal_mode", "DELETE")
        .map_err(anyhow::Error::from)?;
    let versions: i64 = dest
        .query_row("SELECT COUNT(*) FROM versions", [], |r| r.get(0))
        .map_err(anyhow::Error::from)?;
    if check != "ok" {
        return Err(anyhow::anyhow!("the backup at {} is damaged: {check}", to.display()).into());
    }
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    if json {
        print_json(
            &json!({"from": src, "to": to, "bytes": bytes, "versions": versions,
            "seconds": started.elapsed().as_secs_f64()}),
        );
    } else {
        println!(
            "backed up {} to {} ({} versions, {}) in {:.1}s; restore: stop the daemon, copy it \
             over the store file, `factdiff verify`",
            src.display(),
            to.display(),
            versions,
            bytesize::ByteSize(bytes),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn pg_dump(cfg: &Config, to: &Path) -> Result<(), Exit> {
    let shown = crate::config::redact_url(&cfg.storage.url);
    let guidance = format!(
        "pg_dump --format=custom --file {} '{shown}'  (restore: pg_restore --dbname URL {}; then `factdiff verify`)",
        to.display(),
        to.display()
    );
    match std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(to)
        .arg(&cfg.storage.url)
        .status()
    {
        Ok(s) if s.success() => {
            println!("backed up {shown} to {} with pg_dump", to.display());
            Ok(())
        }
        Ok(s) => Err(anyhow::anyhow!("pg_dump failed ({s}); the command was: {guidance}").into()),
        Err(_) => Err(anyhow::anyhow!(
            "pg_dump is not installed here; a PostgreSQL store is backed up with: {guidance}"
        )
        .into()),
    }
}

/// `factdiff verify`: every problem on its own line, exit 1 when there is any.
pub fn verify(cfg: &Config, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let mut problems = Vec::new();
    let applied = store.schema_version()?;
    let known = crate::store::SqliteStore::latest_migration();
    if applied < known {
        problems.push(format!(
            "migrations incomplete: schema at version {applied}, this factdiff needs {known}"
        ));
    }
    let (versions, hash_problems) = check_hashes(store.as_ref())?;
    problems.extend(hash_problems);
    let router = crate::notify::Router::new(cfg);
    let links = store.check_links(&|t| !crate::store::Routes::targets(&router, t).is_empty())?;
    for (id, kind) in &links.events_without_outbox {
        problems.push(format!("event {id} ({kind}) has no outbox row"));
    }
    if links.orphan_outbox_rows > 0 {
        problems.push(format!(
            "{} outbox rows refer to missing events",
            links.orphan_outbox_rows
        ));
    }
    if links.orphan_fact_changes > 0 {
        problems.push(format!(
            "{} fact_changes rows refer to missing events",
            links.orphan_fact_changes
        ));
    }
    problems.extend(links.engine);
    if json {
        print_json(
            &json!({"schema_version": applied, "versions_checked": versions,
            "problems": problems, "ok": problems.is_empty()}),
        );
    } else {
        for p in &problems {
            println!("{p}");
        }
        println!(
            "checked {versions} versions, schema version {applied}, events and outbox: {} problem{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        if problems.is_empty() {
            println!("ok");
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!("the store has {} problems (listed above)", problems.len()).into())
    }
}

/// Every version's stored hash against its text (a version stored before titles were
/// extracted was hashed without one).
fn check_hashes(store: &dyn Store) -> Result<(usize, Vec<String>), Exit> {
    let mut after = 0;
    let mut n = 0;
    let mut problems = Vec::new();
    loop {
        let ids = store.articles_with_versions(after, None, 500)?;
        let Some(&last) = ids.last() else { break };
        for id in ids {
            let versions = match store.versions(id) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!("article {id}: versions unreadable: {e}"));
                    continue;
                }
            };
            for v in versions {
                n += 1;
                if v.content_hash != v.article.content_hash()
                    && v.content_hash != v.article.content_hash_without_title()
                {
                    problems.push(format!(
                        "article {id} version {}: stored hash {} does not match its text",
                        v.seq, v.content_hash
                    ));
                }
            }
        }
        after = last;
    }
    Ok((n, problems))
}

/// `factdiff vacuum`: applies `[storage] keep_raw`, then gives the freed space back.
pub fn vacuum(cfg: &Config, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let before = store.stats(Utc::now())?.db_bytes;
    let dropped = apply_retention(cfg, store.as_ref())?;
    store.vacuum()?;
    let after = store.stats(Utc::now())?.db_bytes;
    if json {
        print_json(
            &json!({"raw_pages_dropped": dropped, "bytes_before": before, "bytes_after": after}),
        );
    } else {
        println!(
            "{} raw pages dropped{}; store {} → {}",
            dropped,
            cfg.storage
                .keep_raw
                .map(|k| format!(" (older than {})", humantime::format_duration(k)))
                .unwrap_or_else(|| " (keep_raw not set: all kept)".into()),
            bytesize::ByteSize(before.max(0) as u64),
            bytesize::ByteSize(after.max(0) as u64)
        );
    }
    Ok(())
}

/// Drops raw pages older than `keep_raw` (nothing when unset); shared with the daemon.
pub fn apply_retention(cfg: &Config, store: &dyn Store) -> crate::store::Result<u64> {
    match cfg.storage.keep_raw {
        Some(k) => {
            let cutoff =
                Utc::now() - chrono::Duration::from_std(k).unwrap_or(chrono::TimeDelta::MAX);
            store.drop_raw_before(cutoff)
        }
        None => Ok(0),
    }
}
