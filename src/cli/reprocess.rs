//! `factdiff reprocess`: stored history re-read by today's extractor and recognisers.
//! Reads each article's versions and raw pages, replays the chain ([`crate::reprocess`]),
//! reports what changes, and (unless `--dry-run`) rewrites the derived data and stores the
//! fact changes nobody was told about yet as `fact.changed` events marked `reprocessed` —
//! queued for notifiers only with `--notify`. Stories follow: an article whose text moved is
//! clustered again, and every story of the articles read is compared again with today's
//! recognisers; findings opened or resolved by that are stored (marked `reprocessed`) and
//! sent only with `--notify` — a finding already reported is never emitted again. A cursor in
//! the store makes an interrupted run resume where it stopped.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::review::{open, print_json};
use super::{Exit, usage};
use crate::config::Config;
use crate::extract::Article;
use crate::reprocess::{ArticleReplay, FactKey, replay};
use crate::store::{Commit, Routes, Store};
use crate::stories::Stories;

const CURSOR: &str = "reprocess";
/// Articles read, replayed and written together: one cursor step.
const BATCH: usize = 64;

/// Routes nothing: events stored without outbox rows (shown, never sent).
struct Quiet;
impl Routes for Quiet {
    fn targets(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}

pub struct Options {
    pub since: Option<String>,
    pub article: Option<String>,
    pub dry_run: bool,
    pub notify: bool,
    pub json: bool,
    pub jobs: Option<usize>,
}

#[derive(Debug, Default, serde::Serialize)]
struct Totals {
    articles: usize,
    versions: usize,
    reextracted: usize,
    reflagged: usize,
    gained: usize,
    lost: usize,
    kept_without_raw: usize,
    events_stored: usize,
    events_notified: usize,
    /// Stories compared again (a dry run compares each article's present story with the
    /// new readings and writes nothing; a real run also re-clusters what moved).
    stories_recompared: usize,
    findings_opened: usize,
    findings_resolved: usize,
    resumed_after: Option<i64>,
    dry_run: bool,
    seconds: f64,
    versions_per_second: f64,
}

fn parse_since(s: &str) -> Result<DateTime<Utc>, Exit> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
        .map_err(|_| {
            usage(format!(
                "--since {s:?} is neither a day (2026-01-02) nor RFC 3339 (2026-01-02T09:00:00Z)"
            ))
        })
}

fn progress(total: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} articles, {per_sec}, ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

pub fn run(cfg: &Config, o: Options) -> Result<(), Exit> {
    let store = open(cfg)?;
    let since = o.since.as_deref().map(parse_since).transpose()?;
    let article = match &o.article {
        Some(key) => Some(
            store
                .find_article(key)?
                .ok_or_else(|| usage(format!("no article {key:?} (an id or a URL)")))?,
        ),
        None => None,
    };
    // The run's identity: a saved cursor only resumes the same run.
    let key =
        json!({"since": since.map(|s| s.to_rfc3339()), "article": article.as_ref().map(|a| a.id)});
    let mut after = 0;
    let mut totals = Totals {
        dry_run: o.dry_run,
        ..Default::default()
    };
    if !o.dry_run
        && let Some(saved) = store.ops_cursor(CURSOR)?
        && let Ok(saved) = serde_json::from_str::<serde_json::Value>(&saved)
        && saved["run"] == key
        && let Some(a) = saved["after"].as_i64()
    {
        after = a;
        totals.resumed_after = Some(a);
        eprintln!("resuming an interrupted run after article {a}");
    }
    let ids: Vec<i64> = match &article {
        Some(a) => vec![a.id],
        None => store.articles_with_versions(after, since, usize::MAX)?,
    };
    let routes: Box<dyn Routes> = if o.notify {
        Box::new(crate::notify::Router::new(cfg))
    } else {
        Box::new(Quiet)
    };
    let jobs = o
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let bar = progress(ids.len() as u64);
    let started = Instant::now();
    let mut reports = Vec::new();
    let stories =
        Stories::with_min_severity(cfg.notify.conflict_min_severity).reprocessing(o.notify);
    let mut recompared: HashSet<i64> = HashSet::new();
    // dry run: the versions as re-read, for comparing their stories at the end
    let mut reread: HashMap<(i64, i64), Article> = HashMap::new();
    for batch in ids.chunks(BATCH) {
        let replays = replay_batch(store.as_ref(), cfg, batch, jobs)?;
        if o.dry_run {
            for (r, _) in &replays {
                if let Some(story) = store.story_of(r.article_id)? {
                    recompared.insert(story);
                }
                for w in &r.rewrites {
                    reread.insert((w.article_id, w.seq), w.article.clone());
                }
            }
        } else {
            // the batch's versions are rewritten first: its stories read the new text
            for (r, _) in &replays {
                if r.changed() {
                    store.rewrite_versions(&r.rewrites)?;
                }
            }
            restory(
                store.as_ref(),
                routes.as_ref(),
                &stories,
                &replays,
                &mut recompared,
            )?;
        }
        for (r, nversions) in replays {
            totals.articles += 1;
            totals.versions += nversions;
            totals.reextracted += r.reextracted.len();
            totals.reflagged += r.reflagged.len();
            totals.gained += r.gained.len();
            totals.lost += r.lost.len();
            totals.kept_without_raw += r.kept.len();
            if !o.dry_run && r.changed() {
                let stored = store_events(store.as_ref(), routes.as_ref(), &r, o.notify)?;
                totals.events_stored += stored.0;
                totals.events_notified += stored.1;
            }
            if r.changed() {
                reports.push(r);
            }
        }
        if !o.dry_run && article.is_none() {
            let last = *batch.last().expect("chunks are never empty");
            store.set_ops_cursor(
                CURSOR,
                Some(&json!({"run": key, "after": last}).to_string()),
            )?;
        }
        bar.inc(batch.len() as u64);
    }
    bar.finish_and_clear();
    if !o.dry_run {
        store.set_ops_cursor(CURSOR, None)?;
    }
    totals.stories_recompared = recompared.len();
    (totals.findings_opened, totals.findings_resolved) = if o.dry_run {
        let now = Utc::now();
        let mut sum = (0, 0);
        for &story in &recompared {
            let (opened, resolved) = stories.preview(store.as_ref(), story, &reread, now)?;
            sum = (sum.0 + opened, sum.1 + resolved);
        }
        sum
    } else {
        stories.reprocessed()
    };
    totals.seconds = started.elapsed().as_secs_f64();

    totals.versions_per_second = totals.versions as f64 / totals.seconds.max(1e-9);
    if o.json {
        print_json(&json!({"totals": totals, "articles": reports}));
    } else {
        print_text(&totals, &reports);
    }
    Ok(())
}

/// Stories after a batch was rewritten: an article whose text or flag moved is clustered
/// again (its features changed; it may join or leave a story), and every other article's
/// story is compared again once per run (the recognisers may read its outlets differently).
/// Findings unchanged since they were reported emit nothing ([`crate::stories::reconcile`]).
fn restory(
    store: &dyn Store,
    routes: &dyn Routes,
    stories: &Stories,
    replays: &[(ArticleReplay, usize)],
    recompared: &mut HashSet<i64>,
) -> Result<(), Exit> {
    let now = Utc::now();
    for (r, _) in replays {
        if !r.reextracted.is_empty() || !r.reflagged.is_empty() {
            if let Some(c) = stories.article_changed(store, routes, r.article_id, now)? {
                recompared.insert(c.story_id);
                recompared.extend(c.left);
            }
        } else if let Some(story) = store.story_of(r.article_id)?
            && recompared.insert(story)
        {
            stories.recompare(store, routes, story, now)?;
        }
    }
    Ok(())
}

/// Reads a batch's versions and raw pages (the store serialises reads anyway), then replays
/// the articles on `jobs` threads: extraction is the cost.
fn replay_batch(
    store: &dyn Store,
    cfg: &Config,
    ids: &[i64],
    jobs: usize,
) -> Result<Vec<(ArticleReplay, usize)>, Exit> {
    let mut inputs = Vec::with_capacity(ids.len());
    for &id in ids {
        let Some(a) = store.article(id)? else {
            continue;
        };
        let mut vs = Vec::new();
        for v in store.versions(id)? {
            let raw = store.raw(id, v.seq)?;
            vs.push((v, raw));
        }
        inputs.push((id, a.url, vs));
    }
    let rules: Arc<Vec<_>> = cfg.extract.rules.clone();
    let per = inputs.len().div_ceil(jobs).max(1);
    let out = std::thread::scope(|s| {
        let handles: Vec<_> = inputs
            .chunks(per)
            .map(|chunk| {
                let rules = &rules;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(id, url, vs)| (replay(*id, url, vs, rules), vs.len()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("replay does not panic"))
            .collect()
    });
    Ok(out)
}

/// Stores one `fact.changed` event per step with fact changes that no stored event of the
/// article reported yet, so running again (or resuming) never repeats one. Returns (stored,
/// queued for notifiers).
fn store_events(
    store: &dyn Store,
    routes: &dyn Routes,
    r: &ArticleReplay,
    notify: bool,
) -> Result<(usize, usize), Exit> {
    if r.steps.is_empty() {
        return Ok((0, 0));
    }
    let reported: std::collections::HashSet<FactKey> = store
        .events(Some(r.article_id), usize::MAX)?
        .iter()
        .filter(|e| e.kind == crate::events::FACT_CHANGED)
        .flat_map(|e| {
            e.payload["facts"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(FactKey::of)
                .collect::<Vec<_>>()
        })
        .collect();
    let Some(row) = store.article(r.article_id)? else {
        return Ok((0, 0));
    };
    let now = Utc::now();
    let mut events = Vec::new();
    for (from, to, diff, items) in &r.steps {
        let fresh: Vec<_> = items
            .iter()
            .filter(|i| !reported.contains(&FactKey::of(i)))
            .cloned()
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let mut e = crate::events::fact_changed(
            now,
            &row.as_ref(),
            *from,
            *to,
            diff.clone(),
            serde_json::Value::Array(fresh),
        );
        e.payload["reprocessed"] = json!(true);
        if !notify {
            // no outbox rows by design: `factdiff verify` expects none
            e.payload["quiet"] = json!(true);
        }
        events.push(e);
    }
    let n = events.len();
    if n == 0 {
        return Ok((0, 0));
    }
    let done = store.commit(
        Commit {
            events,
            ..Default::default()
        },
        routes,
        now,
    )?;
    Ok((n, if done.outbox_rows > 0 { n } else { 0 }))
}

fn side(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("∅")
}

fn print_text(t: &Totals, reports: &[ArticleReplay]) {
    for r in reports {
        if !r.reextracted.is_empty() {
            println!(
                "article {}: versions {:?} now extract differently",
                r.article_id, r.reextracted
            );
        }
        for (sign, list) in [("-", &r.lost), ("+", &r.gained)] {
            for d in list {
                println!(
                    "  {sign} v{}→v{} {} {}: {} → {}",
                    d.from_seq.map_or("?".into(), |s| s.to_string()),
                    d.to_seq,
                    d.key.kind,
                    d.key.slot,
                    side(&d.key.before),
                    side(&d.key.after)
                );
            }
        }
    }
    println!(
        "{}{} articles, {} versions: {} extract differently, {} flagged differently, \
         fact changes {} lost / {} gained, {} kept as stored (no raw page); \
         {} events stored, {} queued for notifiers; {} stories compared again: \
         findings {} opened / {} resolved ({:.0} versions/s)",
        if t.dry_run {
            "dry run (nothing written): "
        } else {
            ""
        },
        t.articles,
        t.versions,
        t.reextracted,
        t.reflagged,
        t.lost,
        t.gained,
        t.kept_without_raw,
        t.events_stored,
        t.events_notified,
        t.stories_recompared,
        t.findings_opened,
        t.findings_resolved,
        t.versions_per_second
    );
}
