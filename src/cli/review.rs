//! Read commands (articles, history, show, diff, sources, deliveries) and the two
//! document commands (ingest, extract).

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use serde_json::json;

use super::{Exit, color, usage};
use crate::config::Config;
use crate::daemon;
use crate::diff;
use crate::extract::Article;
use crate::notify::Router;
use crate::notify::outbox::{self, Notifiers};
use crate::observe::{self, Observation, Seen};
use crate::store::{ArticleRow, Store};

pub(super) fn open(cfg: &Config) -> Result<Arc<dyn Store>, Exit> {
    if let Some(p) = cfg.storage.sqlite_path()
        && !p.exists()
    {
        return Err(Exit {
            code: 1,
            error: anyhow::anyhow!(
                "no store at {} yet (run `factdiff check` or `factdiff run` first)",
                p.display()
            ),
        });
    }
    Ok(daemon::open_store(cfg)?)
}

pub(super) fn find(store: &dyn Store, key: &str) -> Result<ArticleRow, Exit> {
    store.find_article(key)?.ok_or_else(|| Exit {
        code: 1,
        error: anyhow::anyhow!("no article {key:?} (give an id from `factdiff articles` or a URL)"),
    })
}

pub(super) fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub(super) fn print_json(v: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// Pairs a per-file option given once (for all files) or once per file.
fn per_file<'a>(values: &'a [String], n: usize, flag: &str) -> Result<Vec<Option<&'a str>>, Exit> {
    match values.len() {
        0 => Ok(vec![None; n]),
        1 => Ok(vec![Some(values[0].as_str()); n]),
        k if k == n => Ok(values.iter().map(|v| Some(v.as_str())).collect()),
        k => Err(usage(format!(
            "{flag} given {k} times for {n} files; give it once (for all files) or once per file"
        ))),
    }
}

pub async fn ingest(
    cfg: &Config,
    files: &[PathBuf],
    outlets: &[String],
    url: Option<String>,
    at: &[String],
    json: bool,
) -> Result<(), Exit> {
    let outlets = per_file(outlets, files.len(), "--outlet")?;
    let times = per_file(at, files.len(), "--at")?
        .into_iter()
        .map(|t| {
            t.map(|t| parse_time(t, "--at").map(|t| t.with_timezone(&Utc)))
                .transpose()
        })
        .collect::<Result<Vec<_>, Exit>>()?;
    if url.is_some() && outlets.iter().any(|o| *o != outlets[0]) {
        return Err(usage(
            "--url makes every file a version of one article, which has one outlet; give one --outlet",
        ));
    }
    if let Some(o) = outlets.iter().flatten().find(|o| o.trim().is_empty()) {
        return Err(usage(format!("--outlet {o:?} is empty")));
    }
    let store = daemon::open_store(cfg)?;
    let router = Router::new(cfg);
    let stories = crate::stories::Stories::with_min_severity(cfg.notify.conflict_min_severity);
    let mut failed = 0;
    for ((f, outlet), at) in files.iter().zip(outlets).zip(times) {
        let seen = crate::sources::folder::read_file(f, cfg.fetch.max_body);
        let obs = Observation {
            schedule: None,
            source_health: true,
            site_rules: Default::default(),
            source: None,
            outlet: outlet.map(|o| o.trim().to_string()),
            url: url
                .clone()
                .unwrap_or_else(|| crate::sources::folder::file_url(f)),
            use_canonical: false,
            at: at.unwrap_or_else(Utc::now),
            seen,
            duration_ms: 0,
            failing_after: cfg.fetch.failing_after,
            next_check_at: None,
        };
        let res = observe::observe(store.as_ref(), &router, &stories, &obs)?;
        if matches!(res, observe::Observed::Failed { .. }) {
            failed += 1;
        }
        let article = match &res {
            observe::Observed::New { article_id, .. }
            | observe::Observed::Changed { article_id, .. }
            | observe::Observed::Flagged { article_id, .. }
            | observe::Observed::Unchanged { article_id } => Some(*article_id),
            _ => None,
        };
        let story = article.map(|a| store.story_of(a)).transpose()?.flatten();
        if json {
            println!(
                "{}",
                json!({ "file": f, "url": obs.url, "outlet": obs.outlet, "outcome": res, "story": story })
            );
        } else {
            let s = story.map(|s| format!(" (story {s})")).unwrap_or_default();
            println!("{}: {}{s}", f.display(), describe(&res));
        }
    }
    outbox::deliver_due(&store, &Notifiers::new(cfg)).await?;
    if failed > 0 {
        return Err(Exit {
            code: 1,
            error: anyhow::anyhow!("{failed} of {} files could not be ingested", files.len()),
        });
    }
    Ok(())
}

fn describe(o: &observe::Observed) -> String {
    use observe::Observed::*;
    match o {
        New { article_id, seq } => format!("new article {article_id}, version {seq}"),
        Changed {
            article_id,
            seq,
            significance,
        } => format!("article {article_id} changed ({significance}), version {seq}"),
        Flagged {
            article_id,
            seq,
            reason,
        } => format!("article {article_id} version {seq} stored but flagged: {reason}"),
        Unchanged { article_id } => format!("article {article_id} unchanged"),
        NotModified => "not modified".into(),
        Removed { .. } => "removed".into(),
        Failed { error } => format!("error: {error}"),
    }
}

/// The JSON form of an extraction, shared with evaluation scripts.
pub fn extraction_json(input: &str, a: &Article) -> serde_json::Value {
    json!({
        "input": input,
        "headline": a.headline,
        "title": a.title,
        "byline": a.byline,
        "published": a.published.map(|d| d.to_rfc3339()),
        "modified": a.modified.map(|d| d.to_rfc3339()),
        "canonical_url": a.canonical_url,
        "lang": a.lang,
        "site_name": a.site_name,
        "text": a.text(),
        "method": a.method,
        "confidence": a.confidence,
    })
}

/// A fetched document: body, content type, final URL.
type Doc = (String, Option<String>, Option<String>);

/// One input of `factdiff extract`, after directories are expanded.
enum Input {
    Url(String),
    File(PathBuf),
    Bad(String),
}

/// Inputs in the order given; a directory contributes its files (recursively, sorted,
/// hidden names skipped).
fn expand_inputs(inputs: &[String]) -> Vec<(String, Input)> {
    let mut out = Vec::new();
    for input in inputs {
        if input.starts_with("http://") || input.starts_with("https://") {
            out.push((input.clone(), Input::Url(input.clone())));
            continue;
        }
        let path = PathBuf::from(input);
        if !path.is_dir() {
            out.push((input.clone(), Input::File(path)));
            continue;
        }
        let mut stack = vec![path];
        let mut files = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) => {
                    out.push((dir.display().to_string(), Input::Bad(e.to_string())));
                    continue;
                }
            };
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.is_file() {
                    files.push(p);
                }
            }
        }
        files.sort();
        out.extend(
            files
                .into_iter()
                .map(|f| (f.display().to_string(), Input::File(f))),
        );
    }
    out
}

/// What `factdiff extract` prints for one input: stdout text, or an error message.
fn render_extraction(
    input: &str,
    result: Result<Article, String>,
    json: bool,
) -> Result<String, String> {
    match result {
        Ok(a) if json => Ok(extraction_json(input, &a).to_string()),
        Ok(a) => {
            let mut out = format!("# {}\n", a.headline.as_deref().unwrap_or("(no headline)"));
            if let Some(t) = a.title.as_ref().filter(|t| Some(*t) != a.headline.as_ref()) {
                out += &format!("title {t}\n");
            }
            if !a.byline.is_empty() {
                out += &format!("by {}\n", a.byline.join(", "));
            }
            if let Some(p) = a.published {
                out += &format!("published {}\n", p.to_rfc3339());
            }
            if let Some(m) = a.modified {
                out += &format!("modified {}\n", m.to_rfc3339());
            }
            out += &format!(
                "method {} (confidence {:.2})\n\n{}\n",
                a.method,
                a.confidence,
                a.text()
            );
            Ok(out)
        }
        Err(e) if json => Ok(json!({ "input": input, "error": e }).to_string()),
        Err(e) => Err(format!("{input}: {e}")),
    }
}

/// `factdiff extract`: URLs are fetched one after another (politely, through the fetcher);
/// files are extracted on `jobs` threads (all cores by default). Output keeps input order.
pub async fn extract(
    cfg: &Config,
    inputs: &[String],
    json: bool,
    jobs: Option<usize>,
) -> Result<(), Exit> {
    let inputs = expand_inputs(inputs);
    let rules = cfg.extract.rules.clone();
    let fetcher = daemon::fetcher(cfg)?;
    // documents fetched up front; files are read by the workers
    let mut fetched: Vec<Option<Result<Doc, String>>> = Vec::with_capacity(inputs.len());
    for (_, input) in &inputs {
        fetched.push(match input {
            Input::Url(u) => Some(match fetcher.fetch(u, &Default::default()).await {
                crate::fetch::Outcome::New(f) => {
                    Ok((f.body_text, f.content_type, Some(f.final_url)))
                }
                crate::fetch::Outcome::NotModified => {
                    Err("server answered 304 Not Modified".into())
                }
                crate::fetch::Outcome::Gone { status } => {
                    Err(format!("server answered HTTP {status}"))
                }
                crate::fetch::Outcome::Failed(e) => Err(e.to_string()),
            }),
            Input::Bad(e) => Some(Err(e.clone())),
            Input::File(_) => None,
        });
    }
    let max_body = cfg.fetch.max_body;
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, inputs.len().max(1));
    let total = inputs.len();
    let failed = tokio::task::spawn_blocking(move || {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let fetched: Vec<std::sync::Mutex<_>> =
            fetched.into_iter().map(std::sync::Mutex::new).collect();
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<String, String>, bool)>();
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let tx = tx.clone();
                let (next, inputs, fetched, rules) = (&next, &inputs, &fetched, &rules);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((name, input)) = inputs.get(i) else {
                            break;
                        };
                        let doc = match input {
                            Input::File(path) => {
                                match crate::sources::folder::read_file(path, max_body) {
                                    Seen::Document {
                                        body, content_type, ..
                                    } => Ok((body, content_type, None)),
                                    Seen::Failed { error, .. } => Err(error),
                                    _ => Err("unreadable".into()),
                                }
                            }
                            _ => fetched[i]
                                .lock()
                                .map(|mut f| f.take())
                                .ok()
                                .flatten()
                                .unwrap_or_else(|| Err("not fetched".into())),
                        };
                        let result = doc.and_then(|(body, ct, url)| {
                            crate::extract::extract_with(
                                &body,
                                ct.as_deref(),
                                url.as_deref(),
                                rules,
                            )
                            .map_err(|e| e.to_string())
                        });
                        let ok = result.is_ok();
                        if tx
                            .send((i, render_extraction(name, result, json), ok))
                            .is_err()
                        {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            // print in input order as results arrive
            let mut pending = std::collections::BTreeMap::new();
            let (mut want, mut failed) = (0usize, 0usize);
            let mut stdout = std::io::stdout().lock();
            for (i, out, ok) in rx {
                pending.insert(i, (out, ok));
                while let Some((out, ok)) = pending.remove(&want) {
                    failed += usize::from(!ok);
                    match out {
                        Ok(text) => {
                            let _ = std::io::Write::write_all(&mut stdout, text.as_bytes());
                            let _ = std::io::Write::write_all(&mut stdout, b"\n");
                        }
                        Err(msg) => eprintln!("{msg}"),
                    }
                    want += 1;
                }
            }
            failed
        })
    })
    .await
    .map_err(|e| Exit::from(anyhow::anyhow!("extraction workers failed: {e}")))?;
    if failed > 0 {
        return Err(Exit {
            code: 1,
            error: anyhow::anyhow!("{failed} of {total} inputs failed"),
        });
    }
    Ok(())
}

pub fn articles(cfg: &Config, limit: usize, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let rows = store.articles(limit)?;
    if json {
        print_json(&rows);
        return Ok(());
    }
    println!(
        "{:>5}  {:>3}  {:<20}  {:<16}  {:<40}  URL",
        "ID", "VER", "LAST CHANGE", "OUTLET", "HEADLINE"
    );
    for a in rows {
        let changed = a.last_changed_at.as_deref().unwrap_or(&a.first_seen_at);
        println!(
            "{:>5}  {:>3}  {:<20}  {:<16}  {:<40}  {}{}",
            a.id,
            a.version_count,
            short(changed, 20),
            short(a.outlet.as_deref().unwrap_or("-"), 16),
            short(a.headline.as_deref().unwrap_or("-"), 40),
            a.url,
            if a.removed_at.is_some() {
                "  [removed]".to_string()
            } else if a.version_count == 0 {
                a.last_error
                    .as_deref()
                    .map(|e| format!("  [not fetched: {e}]"))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

pub fn history(cfg: &Config, article: Option<&str>, limit: usize, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let Some(key) = article else {
        let events = store.events(None, limit)?;
        if json {
            print_json(&events);
        } else {
            for e in events {
                println!(
                    "{}  {:<16}  {}",
                    e.created_at,
                    e.kind,
                    crate::events::summary(&e.payload)
                );
            }
        }
        return Ok(());
    };
    let a = find(store.as_ref(), key)?;
    let versions = store.versions(a.id)?;
    if json {
        let items: Vec<_> = versions
            .iter()
            .map(|v| json!({
                "version": v.seq, "observed_at": v.observed_at, "hash": v.content_hash, "headline": v.article.headline, "title": v.article.title,
                "significance": v.significance, "flagged": v.flagged, "words": v.article.word_count(),
                "stats": v.diff.as_ref().map(|d| d["stats"].clone()),
                "facts": v.diff.as_ref().map(|d| d["facts"].clone()),
            }))
            .collect();
        print_json(&json!({ "article": a, "versions": items }));
        return Ok(());
    }
    println!("{} ({})", a.headline.as_deref().unwrap_or("-"), a.url);
    for v in versions {
        let what = match (&v.flagged, &v.diff) {
            (Some(f), _) => format!("flagged: {f}"),
            (None, None) => "first version".into(),
            (None, Some(d)) => {
                let mut s = format!(
                    "{}: +{} -{} ~{} sentences",
                    v.significance.as_deref().unwrap_or("?"),
                    d["stats"]["added"],
                    d["stats"]["removed"],
                    d["stats"]["edited"]
                );
                for f in stored_facts(d) {
                    s.push_str("\n         • ");
                    s.push_str(&f.describe());
                }
                s
            }
        };
        println!(
            "  v{:<3} {}  {:>5} words  {}",
            v.seq,
            v.observed_at,
            v.article.word_count(),
            what
        );
    }
    Ok(())
}

pub fn show(
    cfg: &Config,
    key: &str,
    version: Option<i64>,
    raw: bool,
    json: bool,
) -> Result<(), Exit> {
    let store = open(cfg)?;
    let a = find(store.as_ref(), key)?;
    let seq = version.unwrap_or(a.version_count);
    if raw {
        let bytes = store.raw(a.id, seq)?.ok_or_else(|| Exit {
            code: 1,
            error: anyhow::anyhow!("no raw page stored for version {seq}"),
        })?;
        use std::io::Write;
        std::io::stdout()
            .write_all(&bytes)
            .map_err(anyhow::Error::from)?;
        return Ok(());
    }
    let v = store.version(a.id, seq)?.ok_or_else(|| Exit {
        code: 1,
        error: anyhow::anyhow!("article {} has no version {seq}", a.id),
    })?;
    if json {
        print_json(
            &json!({ "article": a, "version": v.seq, "observed_at": v.observed_at, "flagged": v.flagged, "extracted": extraction_json(&a.url, &v.article) }),
        );
        return Ok(());
    }
    println!(
        "# {}",
        v.article.headline.as_deref().unwrap_or("(no headline)")
    );
    println!(
        "{} — version {} of {}, observed {}",
        a.url, v.seq, a.version_count, v.observed_at
    );
    if !v.article.byline.is_empty() {
        println!("by {}", v.article.byline.join(", "));
    }
    if let Some(f) = &v.flagged {
        println!("[flagged: {f}]");
    }
    println!("\n{}", v.article.text());
    Ok(())
}

pub fn diff(
    cfg: &Config,
    key: &str,
    from: Option<i64>,
    to: Option<i64>,
    json: bool,
) -> Result<(), Exit> {
    let store = open(cfg)?;
    let a = find(store.as_ref(), key)?;
    let to = to.unwrap_or(a.version_count);
    let from = from.unwrap_or(to - 1);
    if from < 1 || to < 1 {
        return Err(usage(format!(
            "article {} has {} version(s); nothing to diff",
            a.id, a.version_count
        )));
    }
    let get = |seq| {
        store
            .version(a.id, seq)
            .map_err(Exit::from)
            .and_then(|v| v.ok_or_else(|| usage(format!("article {} has no version {seq}", a.id))))
    };
    let (old, new) = (get(from)?, get(to)?);
    let mut d = diff::diff_articles(&old.article, &new.article);
    let facts = crate::compare::fact_changes(
        &crate::claims::stored::doc_claims(&old.article, old.claims.as_deref()),
        &crate::claims::stored::doc_claims(&new.article, new.claims.as_deref()),
    );
    if !facts.is_empty() {
        d.significance = diff::Significance::Factual;
    }
    if json {
        print_json(
            &json!({ "article": a, "from_version": from, "to_version": to, "facts": facts, "diff": d }),
        );
    } else {
        println!(
            "{} — v{from} → v{to}",
            a.headline.as_deref().unwrap_or(&a.url)
        );
        // Facts first, in plain words; then the text diff.
        if !facts.is_empty() {
            println!("Facts changed:");
            for f in &facts {
                println!("  • {}", f.describe());
            }
            println!();
        }
        println!("{}", diff::render_text(&d, color()).trim_end());
    }
    Ok(())
}

/// "2026-01-02" or RFC 3339 → a publication time (a bare day is noon UTC, so its weekday
/// is the day's in every time zone near it).
fn parse_published(s: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Exit> {
    parse_time(s, "--published")
}

/// "2026-01-02" or RFC 3339, for the option `flag`.
fn parse_time(s: &str, flag: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Exit> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t);
    }
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(12, 0, 0)
                .expect("noon exists")
                .and_utc()
                .fixed_offset()
        })
        .map_err(|_| {
            usage(format!(
                "{flag} {s:?} is neither a day (2026-01-02) nor RFC 3339 (2026-01-02T09:00:00Z)"
            ))
        })
}

/// `factdiff claims`: the claims of each file, a table or one JSON document per file.
pub fn claims(
    cfg: &Config,
    files: &[String],
    published: Option<&str>,
    json: bool,
) -> Result<(), Exit> {
    let published = published.map(parse_published).transpose()?;
    let mut failed = 0;
    for (name, input) in expand_inputs(files) {
        let article = match input {
            Input::File(path) => match crate::sources::folder::read_file(&path, cfg.fetch.max_body)
            {
                Seen::Document {
                    body, content_type, ..
                } => crate::extract::extract(&body, content_type.as_deref(), None)
                    .map_err(|e| e.to_string()),
                Seen::Failed { error, .. } => Err(error),
                _ => Err("unreadable".into()),
            },
            Input::Url(_) => Err("claims reads files; use `factdiff extract URL` to fetch".into()),
            Input::Bad(e) => Err(e),
        };
        let article = match article {
            Ok(a) => a,
            Err(e) => {
                failed += 1;
                if json {
                    println!("{}", json!({ "input": name, "error": e }));
                } else {
                    eprintln!("{name}: {e}");
                }
                continue;
            }
        };
        let doc = crate::claims::extract_claims(&article, published);
        let rows: Vec<serde_json::Value> = doc
            .claims
            .iter()
            .map(|c| {
                json!({
                    "kind": c.kind, "slot": c.slot, "text": c.text, "value": c.value.to_json(),
                    "negated": c.negated, "planned": c.planned, "speaker": c.speaker,
                    "sentence_index": (c.sentence != crate::claims::HEADLINE).then_some(c.sentence),
                    "sentence": doc.sentence(c.sentence), "confidence": c.confidence,
                })
            })
            .collect();
        if json {
            let p = published.or(article.published).map(|p| p.to_rfc3339());
            println!(
                "{}",
                json!({ "input": name, "published": p, "claims": rows })
            );
            continue;
        }
        println!("# {name} — {} claims", rows.len());
        println!(
            "{:<9} {:<24} {:<28} {:<24} {:>4}  SENTENCE",
            "KIND", "SLOT", "TEXT", "VALUE", "CONF"
        );
        for (c, r) in doc.claims.iter().zip(&rows) {
            let value = match &r["value"] {
                serde_json::Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            println!(
                "{:<9} {:<24} {:<28} {:<24} {:>4.2}  {}",
                c.kind.as_str(),
                short(&c.slot, 24),
                short(
                    &format!("{}{}", if c.negated { "not " } else { "" }, c.text),
                    28
                ),
                short(&value, 24),
                c.confidence,
                short(doc.sentence(c.sentence), 80)
            );
        }
    }
    if failed > 0 {
        return Err(Exit {
            code: 1,
            error: anyhow::anyhow!("{failed} input(s) could not be read"),
        });
    }
    Ok(())
}

/// The fact changes stored with a version's diff.
fn stored_facts(d: &serde_json::Value) -> Vec<crate::compare::FactChange> {
    d["facts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| serde_json::from_value(f.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

pub fn sources(cfg: &Config, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    store.sync_sources(&cfg.sources)?;
    let rows = store.sources()?;
    if json {
        print_json(&rows);
        return Ok(());
    }
    println!(
        "{:<20} {:<7} {:<11} {:<24} {:<24} {:>10}  LAST ERROR",
        "NAME", "KIND", "STATUS", "LAST SUCCESS", "NEXT CHECK", "DISCOVERED"
    );
    for s in rows {
        let status = if s.failing {
            format!("FAILING({})", s.consecutive_failures)
        } else if s.consecutive_failures > 0 {
            format!("errors({})", s.consecutive_failures)
        } else if s.last_check_at.is_none() {
            "new".into()
        } else {
            "ok".into()
        };
        let discovered = match s.kind.as_str() {
            "feed" | "sitemap" => s.articles_discovered.to_string(),
            _ => "-".into(),
        };
        let error = match (&s.last_error, &s.last_error_at) {
            (Some(e), Some(at)) => format!("{at}: {e}"),
            (Some(e), None) => e.clone(),
            _ => String::new(),
        };
        println!(
            "{:<20} {:<7} {:<11} {:<24} {:<24} {:>10}  {}",
            short(&s.name, 20),
            s.kind,
            status,
            s.last_success_at.as_deref().unwrap_or("-"),
            s.next_check_at.as_deref().unwrap_or("-"),
            discovered,
            error
        );
    }
    Ok(())
}

pub fn deliveries(cfg: &Config, limit: usize, json: bool) -> Result<(), Exit> {
    let store = open(cfg)?;
    let rows = store.deliveries(limit)?;
    if json {
        print_json(&rows);
        return Ok(());
    }
    println!(
        "{:<36}  {:<16}  {:<18}  {:<9}  {:>3}  LAST ERROR",
        "EVENT", "TYPE", "TARGET", "STATE", "TRY"
    );
    for d in rows {
        println!(
            "{:<36}  {:<16}  {:<18}  {:<9}  {:>3}  {}",
            d.event_id,
            d.event_type,
            short(&d.target, 18),
            d.state,
            d.attempts,
            d.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
