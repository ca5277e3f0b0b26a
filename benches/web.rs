//! Web latency at scale (`cargo bench --bench web`): `factdiff serve` over a store of 100,000
//! articles / 300,000 versions, 20 concurrent clients (`wrk`, Debian's package) on the
//! dashboard, an article timeline, a diff and API list pages, each for 10 s; p50/p99 latency,
//! throughput and the server's RSS. Target: p99 < 100 ms on each.
//!
//! The store is written directly through the store API (no fetching, no extraction): each
//! article is a synthetic story text with a casualty figure; version 2 changes the figure (a
//! real `fact.changed` computed by `compare::version_change`), version 3 rewords a sentence
//! (`article.changed`); 20 outlets, versions spread over the last 30 days so the dashboard's
//! chart has data. It is kept in `target/bench-web/` and reused (delete it to rebuild).
//! Timeline and diff requests pick a random article each (a wrk Lua script), so they are not
//! served from one hot page. `--quick`: 10,000 articles, 3 s a page.
//!
//! Diffs: `2/3` is a fact card's pair (consecutive versions: the comparison stored with the
//! version is shown); `1/3` of a random article is compared on each request (cold); `1/3`
//! of one article is compared once and then served from the server's cache (warm).
//!
//! Each page is measured with 1, 4 and 20 connections (wrk and the server share the
//! machine's cores, so the 1-client figure is the service time and 20 clients mostly measure
//! queueing). Side by side with another build: `FACTDIFF_WEB_BENCH_BASELINE=path/to/factdiff`
//! serves `FACTDIFF_WEB_BENCH_BASELINE_STORE` (a copy of the store at that build's schema;
//! default `target/bench-web/store-N-baseline.db`) and every page is measured on both,
//! alternately, in the same run. `FACTDIFF_WEB_BENCH_PAGES=cold,fact` measures only the
//! pages whose name contains one of the words.
//!
//! The store is written in chunks of 2,000 articles per transaction ([`SqliteStore::bulk`],
//! the statements of the store API), the comparisons made on every core, and cached as
//! `target/bench-web/store-N-gG-vS.db` (G: this generator's version, S: the schema's);
//! `--store-only` writes it and stops. Before the pages, the CPU of a cold diff is broken
//! down step by step (read, align, claims, fact changes, rows).

#[path = "synth/mod.rs"]
mod synth;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use factdiff::claims;
use factdiff::compare::{VersionChange, version_change_with};
use factdiff::events;
use factdiff::extract::Article;
use factdiff::store::{ArticleRow, ArticleUpdate, Commit, Routes, SqliteStore, VersionWrite};

struct Quiet;
impl Routes for Quiet {
    fn targets(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}

const OUTLETS: usize = 20;
const TARGET_P99_MS: f64 = 100.0;

/// A raw page around the text: real pages carry far more markup than text.
fn raw_page(a: &Article, chrome: &str) -> Vec<u8> {
    let body: String = a
        .paragraphs
        .iter()
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    format!(
        "<!doctype html><html><head><title>{}</title></head><body>{chrome}<article>{body}</article>{chrome}</body></html>",
        a.headline.as_deref().unwrap_or("")
    )
    .into_bytes()
}

/// What one version step stores: the comparison with the previous version (`None` for the
/// first), made by `version_change` as the daemon makes it.
struct Step {
    article: Article,
    change: Option<factdiff::compare::VersionChange>,
    /// The version's claims as the daemon stores them (`claims::stored`).
    claims: Vec<u8>,
}

/// The commit the daemon makes for version `seq` of `row` observed at `at`.
fn commit_for(row: &ArticleRow, seq: i64, step: Step, chrome: &str, at: DateTime<Utc>) -> Commit {
    let a = step.article;
    let mut a_ref = row.as_ref();
    a_ref.headline = a.headline.clone();
    let (events, significance, diff) = match step.change {
        None => (vec![events::article_new(at, &a_ref, seq, None)], None, None),
        Some(change) => {
            let kind = change.event_type();
            let sig = change.diff.significance.as_str().to_string();
            let diff_json = serde_json::to_value(&change.diff).unwrap();
            let facts_json = serde_json::to_value(&change.facts).unwrap();
            let ev = match kind {
                Some("fact.changed") => vec![events::fact_changed(
                    at,
                    &a_ref,
                    seq - 1,
                    seq,
                    diff_json.clone(),
                    facts_json.clone(),
                )],
                Some(_) => vec![events::article_changed(
                    at,
                    &a_ref,
                    seq - 1,
                    seq,
                    &sig,
                    diff_json.clone(),
                )],
                None => vec![],
            };
            let mut stored = diff_json;
            stored["facts"] = facts_json;
            (ev, Some(sig), Some(stored))
        }
    };
    Commit {
        article: Some(ArticleUpdate {
            article_id: row.id,
            ..Default::default()
        }),
        version: Some(VersionWrite {
            article_id: row.id,
            seq,
            raw: Some(raw_page(&a, chrome)),
            content_type: None,
            article: a,
            flagged: None,
            significance,
            diff,
            claims: Some(step.claims),
        }),
        events,
        ..Default::default()
    }
}

/// One synthetic article: where and when, and its three versions.
struct Planned {
    url: String,
    outlet: String,
    at: DateTime<Utc>,
    versions: [Article; 3],
}

/// Bumped whenever `generate` writes different rows, so a cached store is not reused.
const GENERATOR: u32 = 3;

/// The cached store for `n` articles: keyed by the generator and the schema it was written at.
fn store_path(dir: &Path, n: usize) -> PathBuf {
    dir.join(format!(
        "store-{n}-g{GENERATOR}-v{}.db",
        SqliteStore::latest_migration()
    ))
}

/// Writes `n` articles of three versions each into a new store at `path`: the texts are
/// drawn in order from one seeded generator, their comparisons made on every core (pure),
/// and each chunk of articles is written in one transaction ([`SqliteStore::bulk`]: the
/// statements of `create_article` and `commit`, so the rows are those the daemon writes).
fn generate(path: &Path, n: usize) {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let store = SqliteStore::open(&tmp).unwrap();
    let mut sy = synth::Synth::new(16);
    let now = Utc::now();
    let span = chrono::Duration::days(29);
    let start = now - chrono::Duration::days(30);
    let stories: Vec<synth::SynthStory> = (0..n / 10 + 1).map(|_| sy.story(start)).collect();
    let chrome = "<nav>".to_string() + &"<a href=\"/section\">Section</a> ".repeat(120) + "</nav>";
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let (mut t_synth, mut t_compare, mut t_store) = (0.0, 0.0, 0.0);
    const CHUNK: usize = 2_000;
    for first in (0..n).step_by(CHUNK) {
        let t0 = Instant::now();
        let planned: Vec<Planned> = (first..(first + CHUNK).min(n))
            .map(|i| {
                let at = start + span * (i as i32) / (n as i32);
                let mut v1 = sy.article(&stories[i % stories.len()]);
                let hurt = 10 + sy.rng.usize(0..500);
                v1.paragraphs.insert(
                    1,
                    format!("Officials said {hurt} people were injured in the town on Monday."),
                );
                let mut v2 = v1.clone();
                v2.paragraphs[1] = format!(
                    "Officials said {} people were injured in the town on Monday.",
                    hurt + 1 + sy.rng.usize(0..40)
                );
                let mut v3 = v2.clone();
                let p = &mut v3.paragraphs[6];
                *p = p.replacen(' ', " quickly ", 1);
                Planned {
                    url: format!("https://outlet{}.example/news/{i}", i % OUTLETS),
                    outlet: format!("Outlet {}", i % OUTLETS),
                    at,
                    versions: [v1, v2, v3],
                }
            })
            .collect();
        let t1 = Instant::now();
        let per = planned.len().div_ceil(threads);
        let changes: Vec<([VersionChange; 2], [Vec<u8>; 3])> = std::thread::scope(|sc| {
            let handles: Vec<_> = planned
                .chunks(per)
                .map(|part| {
                    sc.spawn(move || {
                        part.iter()
                            .map(|p| {
                                // each version's claims extracted once, as the daemon
                                // does (the previous version's read back from the store)
                                let [v1, v2, v3] = &p.versions;
                                let [d1, d2, d3] =
                                    [v1, v2, v3].map(|v| claims::extract_claims(v, None));
                                let stored =
                                    [&d1, &d2, &d3].map(|d| claims::stored::encode(&d.claims));
                                let d2b = d2.clone();
                                (
                                    [
                                        version_change_with(v1, v2, || (d1, d2)),
                                        version_change_with(v2, v3, || (d2b, d3)),
                                    ],
                                    stored,
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let t2 = Instant::now();
        store
            .bulk(|b| {
                for (p, ([c2, c3], [k1, k2, k3])) in planned.into_iter().zip(changes) {
                    let row = b.create_article(&p.url, Some(&p.outlet), None, p.at)?;
                    let [v1, v2, v3] = p.versions;
                    let steps = [
                        (
                            1,
                            Step {
                                article: v1,
                                change: None,
                                claims: k1,
                            },
                            p.at,
                        ),
                        (
                            2,
                            Step {
                                article: v2,
                                change: Some(c2),
                                claims: k2,
                            },
                            p.at + chrono::Duration::hours(2),
                        ),
                        (
                            3,
                            Step {
                                article: v3,
                                change: Some(c3),
                                claims: k3,
                            },
                            p.at + chrono::Duration::hours(5),
                        ),
                    ];
                    for (seq, step, at) in steps {
                        b.commit(commit_for(&row, seq, step, &chrome, at), &Quiet, at)?;
                    }
                }
                Ok(())
            })
            .unwrap();
        let t3 = Instant::now();
        t_synth += (t1 - t0).as_secs_f64();
        t_compare += (t2 - t1).as_secs_f64();
        t_store += (t3 - t2).as_secs_f64();
        let done = (first + CHUNK).min(n);
        if done.is_multiple_of(20_000) || done == n {
            eprintln!(
                "  {done} articles written ({:.0} s: texts {t_synth:.0} s, comparisons {t_compare:.0} s on {threads} threads, store {t_store:.0} s)",
                t.elapsed().as_secs_f64()
            );
        }
    }
    drop(store);
    rusqlite::Connection::open(&tmp)
        .and_then(|c| c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))
        .unwrap();
    std::fs::rename(&tmp, path).unwrap();
    for ext in ["tmp-wal", "tmp-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
    eprintln!(
        "store of {n} articles / {} versions written in {:.0} s (load average {})",
        3 * n,
        t.elapsed().as_secs_f64(),
        load()
    );
}

/// The machine's 1-minute load average: wrk and the server share its cores with whatever
/// else runs.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_string()
}

/// `factdiff serve` (the binary `bin`) over the store; returns the child and its address.
fn serve(bin: &Path, config: &Path) -> (std::process::Child, String) {
    let mut child = Command::new(bin)
        .arg("-c")
        .arg(config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (child, base)
}

/// `VmRSS` and `VmHWM` (peak) of `pid`, in MiB.
fn rss(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (kib("VmRSS:"), kib("VmHWM:"))
}

/// A latency as wrk prints it (`812.00us`, `1.23ms`, `1.02s`), in ms.
fn ms(v: &str) -> f64 {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
    let x: f64 = num.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => x / 1000.0,
        "ms" => x,
        "s" => x * 1000.0,
        "m" => x * 60_000.0,
        _ => f64::NAN,
    }
}

struct Run {
    p50: f64,
    p99: f64,
    rps: f64,
    errors: u64,
    /// Requests completed (wrk's "N requests in …").
    requests: u64,
}

/// The CPU time (user + system) `pid` has used so far, in ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (ticks(11) + ticks(12)) * 1000.0 / hz.max(1.0)
}

/// Parses `wrk --latency` output.
fn parse_wrk(out: &str) -> Run {
    let pct = |p: &str| {
        out.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(p))
            .map(|v| ms(v.trim()))
            .unwrap_or(f64::NAN)
    };
    let field = |key: &str| {
        out.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    let socket_errors: u64 = out
        .lines()
        .find(|l| l.trim_start().starts_with("Socket errors:"))
        .map(|l| {
            l.split(|c: char| !c.is_ascii_digit())
                .filter_map(|x| x.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    let requests = out
        .lines()
        .find(|l| l.contains(" requests in "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Run {
        p50: pct("50%"),
        p99: pct("99%"),
        rps: field("Requests/sec:").unwrap_or(0.0),
        errors: field("Non-2xx or 3xx responses:").unwrap_or(0.0) as u64 + socket_errors,
        requests,
    }
}

/// A wrk Lua script asking for `path`, where `{id}` is a random article id in 1..=`n`.
fn lua(dir: &Path, name: &str, path: &str, n: usize) -> PathBuf {
    let file = dir.join(format!("{name}.lua"));
    let expr = path
        .split("{id}")
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(&format!(" .. math.random(1, {n}) .. "));
    std::fs::write(
        &file,
        format!(
            "math.randomseed(7)\nrequest = function()\n  return wrk.format(nil, {expr})\nend\n"
        ),
    )
    .unwrap();
    file
}

/// The servers started, killed when the run ends, also when it panics (an orphaned server
/// would keep wrk's figures and the pipe of `cargo bench` busy).
struct Servers(Vec<(String, std::process::Child, String)>);

impl Drop for Servers {
    fn drop(&mut self) {
        for (_, child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where the CPU of a cold diff (versions 1 and 3 of an article, no stored comparison) goes,
/// step by step, over 200 random articles of the store, one thread: reading both versions,
/// aligning sentences and words, extracting the claims of each version, matching them into
/// fact changes, and laying out the side-by-side rows (the page's template is the rest).
fn cold_diff_breakdown(db: &Path, n: usize) {
    use factdiff::web::{diffview, load};
    let store = SqliteStore::open(db).unwrap();
    let mut rng = fastrand::Rng::with_seed(3);
    let mut t = [0.0f64; 5];
    let (mut extracting, mut bytes) = (0.0f64, 0usize);
    let k = 200;
    for _ in 0..k {
        let id = rng.i64(1..=n as i64);
        let t0 = Instant::now();
        let a = load::article(&store, id).unwrap();
        let old = load::version(&store, &a, 1).unwrap();
        let new = load::version(&store, &a, 3).unwrap();
        let t1 = Instant::now();
        let d = factdiff::diff::diff_articles(&old.article, &new.article);
        let t2 = Instant::now();
        let (c1, c3) = (
            claims::stored::doc_claims(&old.article, old.claims.as_deref()),
            claims::stored::doc_claims(&new.article, new.claims.as_deref()),
        );
        let t3 = Instant::now();
        let facts = factdiff::compare::fact_changes(&c1, &c3);
        let t4 = Instant::now();
        let rows = diffview::rows(&old.article, &new.article, &d, &facts);
        let t5 = Instant::now();
        std::hint::black_box(rows);
        // what the claims cost without the stored ones (extracted, as before schema V10)
        let x = Instant::now();
        let fresh = (
            claims::extract_claims(&old.article, None),
            claims::extract_claims(&new.article, None),
        );
        extracting += x.elapsed().as_secs_f64() * 1000.0 / k as f64;
        assert_eq!((&c1, &c3), (&fresh.0, &fresh.1), "stored claims differ");
        bytes += old.claims.as_ref().map_or(0, Vec::len) + new.claims.as_ref().map_or(0, Vec::len);
        for (i, (x, y)) in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)]
            .into_iter()
            .enumerate()
        {
            t[i] += (y - x).as_secs_f64() * 1000.0 / k as f64;
        }
    }
    println!(
        "\ncold diff, CPU per request over {k} random articles (one thread, load average {}): read both versions {:.2} ms, align and word-diff {:.2} ms, claims of both versions (stored) {:.2} ms, fact changes {:.2} ms, side-by-side rows {:.2} ms; total {:.2} ms (extracting the claims instead: {extracting:.2} ms; stored claims {:.0} bytes a version)",
        load(),
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t.iter().sum::<f64>(),
        bytes as f64 / (2 * k) as f64
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n: usize = std::env::var("FACTDIFF_WEB_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 10_000 } else { 100_000 });
    let secs = if quick { 3 } else { 10 };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-web");
    std::fs::create_dir_all(&dir).unwrap();
    let db = store_path(&dir, n);
    if !db.exists() {
        eprintln!("writing a store of {n} articles to {}", db.display());
        generate(&db, n);
    }
    if std::env::args().any(|a| a == "--store-only") {
        return;
    }
    cold_diff_breakdown(&db, n);
    let db_mib = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    let Ok(wrk) = Command::new("wrk").arg("--version").output() else {
        eprintln!("NOTICE: wrk not found (apt-get install wrk); store ready, nothing measured");
        return;
    };
    drop(wrk);
    // (name, server, address): the build under test, and the baseline build when given
    let mut servers = Servers(Vec::new());
    let config = |name: &str, store: &Path| {
        let file = dir.join(format!("factdiff-{name}.toml"));
        std::fs::write(
            &file,
            format!("[storage]\nurl = \"sqlite://{}\"\n", store.display()),
        )
        .unwrap();
        file
    };
    if let Some(bin) = std::env::var_os("FACTDIFF_WEB_BENCH_BASELINE") {
        let store = std::env::var_os("FACTDIFF_WEB_BENCH_BASELINE_STORE")
            .map(PathBuf::from)
            .unwrap_or_else(|| db.with_extension("baseline.db"));
        if !store.exists() {
            // the same rows in a file of its own (each server warms its own pages)
            std::fs::copy(&db, &store).unwrap();
        }
        let (child, base) = serve(Path::new(&bin), &config("baseline", &store));
        servers.0.push(("baseline".into(), child, base));
    }
    let (child, base) = serve(
        Path::new(env!("CARGO_BIN_EXE_factdiff")),
        &config("this", &db),
    );
    servers.0.push(("this build".into(), child, base));
    let idle: Vec<f64> = servers.0.iter().map(|s| rss(s.1.id()).0).collect();
    // one article of the store, the same at every size from 4,243 articles on
    let one = 4242.min(n / 2);
    let warm = format!("/articles/{one}/diff/1/3");
    let pages: [(&str, &str, &str); 8] = [
        ("dashboard", "/", "/"),
        ("article timeline", "/articles/{id}", "/articles/ID"),
        (
            "diff (side by side)",
            "/articles/{id}/diff/2/3",
            "/articles/ID/diff/2/3",
        ),
        // versions 1 and 3 have no stored comparison, and a random article of 100,000 is
        // almost never in the server's cache: the comparison is made for each request
        (
            "diff of versions 1 and 3 (compared, cold)",
            "/articles/{id}/diff/1/3",
            "/articles/ID/diff/1/3",
        ),
        // one pair asked again and again (a shared link): cached after the first request
        ("diff of versions 1 and 3 (one article, warm)", &warm, &warm),
        ("API: fact changes", "/api/v1/facts", "/api/v1/facts"),
        (
            "API: articles of an outlet",
            "/api/v1/articles?outlet=Outlet%207",
            "/api/v1/articles?outlet=Outlet%207",
        ),
        (
            "API: article search",
            "/api/v1/articles?q=outlet3.example/news/4242",
            "/api/v1/articles?q=…",
        ),
    ];
    println!(
        "\nfactdiff serve over {n} articles / {} versions ({db_mib:.0} MiB), 20 connections, {secs} s each; {} cores, load average {} before\n",
        3 * n,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load()
    );
    println!(
        "| page | URL | server | 1 client p50 ms | server CPU ms/req (1 client / 20) | 4 clients p50 / p99 ms | 20 clients p50 ms | 20 clients p99 ms | req/s (20) | RSS MiB | load | p99 < {TARGET_P99_MS} ms |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut all_ok = true;
    // FACTDIFF_WEB_BENCH_PAGES=cold,facts measures only the pages whose name contains one of
    // the words (a second look at the pages that missed, without the whole table)
    let only: Vec<String> = std::env::var("FACTDIFF_WEB_BENCH_PAGES")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for (name, path, shown) in pages {
        if !only.is_empty() && !only.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        let script = lua(&dir, &name.replace([' ', ':', '(', ')', ','], "_"), path, n);
        for (server, child, base) in &servers.0 {
            // one request first, so a broken page fails loudly rather than as a fast 404
            let first = Command::new("curl")
                .args(["-s", "-o", "/dev/null", "-w", "%{http_code}"])
                .arg(format!("{base}{}", path.replace("{id}", "1")))
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
                .unwrap_or_default();
            assert!(
                first.is_empty() || first == "200",
                "{server}: {path} answered {first}"
            );
            // the server's CPU time per request over the run: on a shared machine the
            // latencies move with its load, the work a request costs much less
            let wrk = |threads: &str, conns: &str, secs: u64| {
                let cpu0 = cpu_ms(child.id());
                let out = Command::new("wrk")
                    .args([threads, conns, &format!("-d{secs}s"), "--latency", "-s"])
                    .arg(&script)
                    .arg(base)
                    .output()
                    .unwrap();
                let r = parse_wrk(&String::from_utf8_lossy(&out.stdout));
                let per = (cpu_ms(child.id()) - cpu0) / r.requests.max(1) as f64;
                (r, per)
            };
            // one client first: the service time, apart from queueing behind the others
            let (alone, cpu_alone) = wrk("-t1", "-c1", secs.min(3));
            let (four, _) = wrk("-t1", "-c4", secs.min(5));
            let (r, cpu_twenty) = wrk("-t2", "-c20", secs);
            let ok = r.p99 < TARGET_P99_MS && r.errors == 0;
            if server == "this build" {
                all_ok &= ok;
            }
            // wrk prints no distribution when every request timed out (2 s)
            let lat = |r: &Run, v: f64| {
                if r.rps < 1.0 || v == 0.0 {
                    "> 2000".to_string()
                } else {
                    format!("{v:.1}")
                }
            };
            println!(
                "| {name} | `{shown}` | {server} | {:.1} | {cpu_alone:.2} / {cpu_twenty:.2} | {} / {} | {} | {} | {:.0} | {:.0} | {} | {}{} |",
                alone.p50,
                lat(&four, four.p50),
                lat(&four, four.p99),
                lat(&r, r.p50),
                lat(&r, r.p99),
                r.rps,
                rss(child.id()).0,
                load(),
                if ok { "yes" } else { "**no**" },
                if r.errors + four.errors + alone.errors > 0 {
                    format!(" ({} errors)", r.errors + four.errors + alone.errors)
                } else {
                    String::new()
                }
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    for ((server, child, _), idle) in servers.0.iter().zip(&idle) {
        let (now, peak) = rss(child.id());
        println!(
            "\n{server}: server RSS {idle:.0} MiB idle, {now:.0} MiB after the runs, {peak:.0} MiB peak"
        );
    }
    println!("load average {} after", load());
    println!(
        "{}",
        if all_ok {
            "every page within target"
        } else {
            "NOT every page within target"
        }
    );
    drop(servers);
}
