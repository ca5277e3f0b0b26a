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
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::review::open;
use super::{Exit, usage};
use crate::config::Config;
use crate::extract::Article;
use crate::reprocess::{ArticleReplay, FactKey, replay};
use crate::store::{Commit, Routes, Store, VersionRow};
use crate::stories::Stories;

const CURSOR: &str = "reprocess";
/// Articles read, replayed and written together: one cursor step...
const BATCH: usize = 64;
/// ...or fewer, when they hold more versions than this between them.
const BATCH_VERSIONS: usize = 512;

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
    /// Versions rewritten only to store their claims under this build's rules.
    claims_stored: usize,
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
    let stories =
        Stories::with_min_severity(cfg.notify.conflict_min_severity).reprocessing(o.notify);
    let mut recompared: HashSet<i64> = HashSet::new();
    // dry run: each story is previewed once all its members in this run were re-read
    let mut previews = o.dry_run.then(|| Previews::new(&ids));
    // The report is written batch by batch and only the totals are kept: memory stays flat
    // however large the store.
    let mut report = Report::start(o.json);
    let mut rest = ids.as_slice();
    while !rest.is_empty() {
        let (batch, read) = read_batch(store.as_ref(), rest)?;
        let last = rest[read - 1];
        rest = &rest[read..];
        let replays = replay_batch(store.as_ref(), cfg, batch, jobs)?;
        if let Some(p) = &mut previews {
            for r in &replays {
                p.reread(store.as_ref(), &stories, r, &mut recompared, &mut totals)?;
            }
        } else {
            // the batch's versions are rewritten first: its stories read the new text
            for r in &replays {
                if !r.rewrites.is_empty() {
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
        for r in replays {
            totals.articles += 1;
            totals.versions += r.versions;
            totals.reextracted += r.reextracted.len();
            totals.reflagged += r.reflagged.len();
            totals.claims_stored += r.claims_only;
            totals.gained += r.gained.len();
            totals.lost += r.lost.len();
            totals.kept_without_raw += r.kept.len();
            if !o.dry_run && r.changed() {
                let stored = store_events(store.as_ref(), routes.as_ref(), &r, o.notify)?;
                totals.events_stored += stored.0;
                totals.events_notified += stored.1;
            }
            if r.changed() {
                report.article(&r);
            }
        }
        if !o.dry_run && article.is_none() {
            store.set_ops_cursor(
                CURSOR,
                Some(&json!({"run": key, "after": last}).to_string()),
            )?;
        }
        bar.inc(read as u64);
    }
    bar.finish_and_clear();
    if !o.dry_run {
        store.set_ops_cursor(CURSOR, None)?;
        (totals.findings_opened, totals.findings_resolved) = stories.reprocessed();
    }
    totals.stories_recompared = recompared.len();
    totals.seconds = started.elapsed().as_secs_f64();
    totals.versions_per_second = totals.versions as f64 / totals.seconds.max(1e-9);
    report.finish(&totals);
    Ok(())
}

/// The report, written as the run goes: each changed article when its batch is done, the
/// totals at the end (`--json`: one object, `articles` first, then `totals`).
struct Report {
    json: bool,
    first: bool,
    out: std::io::BufWriter<std::io::Stdout>,
}

impl Report {
    fn start(json: bool) -> Report {
        let mut out = std::io::BufWriter::new(std::io::stdout());
        if json {
            let _ = writeln!(out, "{{\"articles\": [");
        }
        Report {
            json,
            first: true,
            out,
        }
    }

    fn article(&mut self, r: &ArticleReplay) {
        if self.json {
            let sep = if self.first { "" } else { "," };
            let _ = writeln!(
                self.out,
                "{sep}{}",
                serde_json::to_string(r).unwrap_or_default()
            );
        } else {
            print_article(&mut self.out, r);
        }
        self.first = false;
    }

    fn finish(mut self, t: &Totals) {
        if self.json {
            let _ = writeln!(
                self.out,
                "],\n\"totals\": {}}}",
                serde_json::to_string_pretty(t).unwrap_or_default()
            );
        } else {
            print_totals(&mut self.out, t);
        }
        let _ = self.out.flush();
    }
}

/// `--dry-run`'s stories: the re-read versions a story's preview needs are kept only until
/// every member article of that story in this run has been re-read; then the story is
/// previewed and they are dropped.
struct Previews {
    /// Articles of the run not re-read yet.
    todo: HashSet<i64>,
    /// Story → its member articles still to be re-read.
    left: HashMap<i64, usize>,
    /// Member version (article, seq) → its story, for the members still to be re-read.
    wanted: HashMap<(i64, i64), i64>,
    reread: HashMap<(i64, i64), Article>,
}

impl Previews {
    fn new(ids: &[i64]) -> Previews {
        Previews {
            todo: ids.iter().copied().collect(),
            left: HashMap::new(),
            wanted: HashMap::new(),
            reread: HashMap::new(),
        }
    }

    fn reread(
        &mut self,
        store: &dyn Store,
        stories: &Stories,
        r: &ArticleReplay,
        recompared: &mut HashSet<i64>,
        totals: &mut Totals,
    ) -> Result<(), Exit> {
        let Some(story) = store.story_of(r.article_id)? else {
            self.todo.remove(&r.article_id);
            return Ok(());
        };
        if recompared.insert(story) {
            let members = store.story_members(story)?;
            let mut left = 0;
            for m in members.iter().filter(|m| self.todo.contains(&m.article_id)) {
                left += 1;
                self.wanted.insert((m.article_id, m.seq), story);
            }
            self.left.insert(story, left);
        }
        for w in &r.rewrites {
            if self.wanted.contains_key(&(w.article_id, w.seq)) {
                self.reread.insert((w.article_id, w.seq), w.article.clone());
            }
        }
        self.todo.remove(&r.article_id);
        let left = self.left.entry(story).or_insert(1);
        *left = left.saturating_sub(1);
        if *left == 0 {
            self.left.remove(&story);
            let (opened, resolved) = stories.preview(store, story, &self.reread, Utc::now())?;
            totals.findings_opened += opened;
            totals.findings_resolved += resolved;
            self.wanted.retain(|_, s| *s != story);
            let wanted = &self.wanted;
            self.reread.retain(|k, _| wanted.contains_key(k));
        }
        Ok(())
    }
}

/// Stories after a batch was rewritten: an article whose text or flag moved is clustered
/// again (its features changed; it may join or leave a story), and every other article's
/// story is compared again once per run (the recognisers may read its outlets differently).
/// Findings unchanged since they were reported emit nothing ([`crate::stories::reconcile`]).
fn restory(
    store: &dyn Store,
    routes: &dyn Routes,
    stories: &Stories,
    replays: &[ArticleReplay],
    recompared: &mut HashSet<i64>,
) -> Result<(), Exit> {
    let now = Utc::now();
    for r in replays {
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

/// One batch (one cursor step): up to [`BATCH`] articles, fewer when they hold more than
/// [`BATCH_VERSIONS`] versions between them. Returns the articles (each with its URL and
/// version rows, raw pages not read yet) and how many of `ids` it covers.
fn read_batch(store: &dyn Store, ids: &[i64]) -> Result<(Vec<Input>, usize), Exit> {
    let mut batch = Vec::new();
    let mut versions = 0;
    let mut read = 0;
    for &id in ids {
        if batch.len() >= BATCH || versions >= BATCH_VERSIONS {
            break;
        }
        read += 1;
        let Some(a) = store.article(id)? else {
            continue;
        };
        let vs = store.versions(id)?;
        versions += vs.len();
        batch.push(Input {
            id,
            url: a.url,
            versions: vs,
        });
    }
    Ok((batch, read))
}

/// An article to replay: its id, URL and version rows.
struct Input {
    id: i64,
    url: String,
    versions: Vec<VersionRow>,
}

/// Replays a batch's articles on `jobs` threads (extraction is the cost); each thread reads
/// the raw pages of the version it is at, one at a time.
fn replay_batch(
    store: &dyn Store,
    cfg: &Config,
    inputs: Vec<Input>,
    jobs: usize,
) -> Result<Vec<ArticleReplay>, Exit> {
    let rules: Arc<Vec<_>> = cfg.extract.rules.clone();
    let per = inputs.len().div_ceil(jobs).max(1);
    let mut chunks: Vec<Vec<Input>> = Vec::new();
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        chunks.push(inputs.by_ref().take(per).collect());
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let rules = &rules;
                s.spawn(move || {
                    let mut out = Vec::with_capacity(chunk.len());
                    for Input { id, url, versions } in chunk {
                        let mut failed = None;
                        let pages =
                            versions
                                .into_iter()
                                .map_while(|v| match store.raw_page(id, v.seq) {
                                    Ok(raw) => Some((v, raw)),
                                    Err(e) => {
                                        failed = Some(e);
                                        None
                                    }
                                });
                        let r = replay(id, &url, pages, rules);
                        if let Some(e) = failed {
                            return Err(e);
                        }
                        out.push(r);
                    }
                    Ok(out)
                })
            })
            .collect();
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.join().expect("replay does not panic")?);
        }
        Ok(all)
    })
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

fn print_article(out: &mut impl Write, r: &ArticleReplay) {
    if !r.reextracted.is_empty() {
        let _ = writeln!(
            out,
            "article {}: versions {:?} now extract differently",
            r.article_id, r.reextracted
        );
    }
    for (sign, list) in [("-", &r.lost), ("+", &r.gained)] {
        for d in list {
            let _ = writeln!(
                out,
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

fn print_totals(out: &mut impl Write, t: &Totals) {
    let _ = writeln!(
        out,
        "{}{} articles, {} versions: {} extract differently, {} flagged differently, \
         fact changes {} lost / {} gained, {} kept as stored (no raw page), \
         {} rewritten only to store their claims; \
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
        t.claims_stored,
        t.events_stored,
        t.events_notified,
        t.stories_recompared,
        t.findings_opened,
        t.findings_resolved,
        t.versions_per_second
    );
}
