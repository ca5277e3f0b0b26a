//! Issue 18 store safety through the real binary: a store written by the first released
//! schema (V1) opened by today's binary loses nothing; `backup` restores and verifies;
//! `verify` names each problem; `vacuum` applies `keep_raw` and keeps text and events.

mod common;

use common::app::App;
use factdiff::extract::Article;
use rusqlite::{Connection, params};
use serde_json::{Value, json};

/// The first released schema, applied by refinery exactly as V1's binary did.
fn v1_store(path: &std::path::Path) -> Connection {
    let sql = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite/V1__initial.sql"),
    )
    .unwrap();
    let mut conn = Connection::open(path).unwrap();
    let m = refinery::Migration::unapplied("V1__initial", &sql).unwrap();
    refinery::Runner::new(&[m]).run(&mut conn).unwrap();
    conn
}

fn article(text: &str) -> Article {
    Article {
        headline: Some("Dam repairs finished".into()),
        paragraphs: vec![
            "Engineers finished repairs to the old river dam on Monday after two years of work."
                .into(),
            text.into(),
        ],
        method: "html:scored".into(),
        confidence: 0.9,
        ..Default::default()
    }
}

/// V1's rows for one article with two versions, a fact change event delivered to a webhook
/// and one still pending.
fn fill_v1(c: &Connection) -> (Article, Article) {
    let a1 = article("The repairs cost 12 million dollars, officials said.");
    let a2 = article("The repairs cost 15 million dollars, officials said.");
    c.execute_batch(
        "INSERT INTO sources (id, name, kind, location, outlet, created_at)
           VALUES (1, 'river', 'page', 'https://river.example/dam', 'River News', '2025-01-01T00:00:00.000Z');
         INSERT INTO articles (id, url, outlet, source_id, headline, first_seen_at, last_checked_at, last_changed_at, version_count)
           VALUES (1, 'https://river.example/dam', 'River News', 1, 'Dam repairs finished',
                   '2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z', 2);
         INSERT INTO article_aliases (url, article_id) VALUES ('https://river.example/dam?ref=rss', 1);",
    )
    .unwrap();
    for (seq, a, day, raw) in [
        (1, &a1, 1, "<p>12 million</p>"),
        (2, &a2, 2, "<p>15 million</p>"),
    ] {
        c.execute(
            "INSERT INTO versions (article_id, seq, observed_at, content_hash, article_json, raw_zstd, raw_size, significance, diff_json)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                seq,
                format!("2025-01-0{day}T00:00:00.000Z"),
                a.content_hash(),
                serde_json::to_string(a).unwrap(),
                zstd::encode_all(raw.as_bytes(), 3).unwrap(),
                raw.len() as i64,
                (seq == 2).then_some("factual"),
                (seq == 2).then_some(r#"{"significance":"factual","facts":[]}"#),
            ],
        )
        .unwrap();
        c.execute(
            "INSERT INTO fetches (source_id, article_id, url, at, outcome, status, duration_ms)
             VALUES (1, 1, 'https://river.example/dam', ?1, 'new_version', 200, 40)",
            [format!("2025-01-0{day}T00:00:00.000Z")],
        )
        .unwrap();
    }
    let fact = json!({"kind": "money", "slot": "cost", "label": "changed",
        "before": {"text": "12 million dollars", "value": 12e6},
        "after": {"text": "15 million dollars", "value": 15e6}});
    let events = [
        (
            "e1",
            "article.new",
            1,
            json!({"id": "e1", "type": "article.new", "version": 1}),
        ),
        (
            "e2",
            "fact.changed",
            2,
            json!({"id": "e2", "type": "fact.changed", "from_version": 1,
            "to_version": 2, "article": {"id": 1, "url": "https://river.example/dam",
            "outlet": "River News", "headline": "Dam repairs finished"}, "facts": [fact]}),
        ),
    ];
    for (id, kind, seq, payload) in events {
        c.execute(
            "INSERT INTO events (id, type, created_at, article_id, version_seq, payload)
             VALUES (?1, ?2, ?3, 1, ?4, ?5)",
            params![
                id,
                kind,
                format!("2025-01-0{seq}T00:00:00.000Z"),
                seq,
                payload.to_string()
            ],
        )
        .unwrap();
    }
    c.execute_batch(
        "INSERT INTO outbox (id, event_id, target, state, attempts, next_attempt_at, created_at, delivered_at)
           VALUES (1, 'e1', 'webhook:desk', 'delivered', 1, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z');
         INSERT INTO outbox (id, event_id, target, state, attempts, next_attempt_at, created_at, last_error)
           VALUES (2, 'e2', 'webhook:desk', 'pending', 3, '2030-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', 'HTTP 503');
         INSERT INTO delivery_attempts (outbox_id, at, status, duration_ms) VALUES (1, '2025-01-01T00:00:01.000Z', 200, 12);
         INSERT INTO delivery_attempts (outbox_id, at, status, error, duration_ms) VALUES (2, '2025-01-02T00:00:01.000Z', 503, 'HTTP 503', 12);",
    )
    .unwrap();
    (a1, a2)
}

fn hook_config() -> &'static str {
    "[notify]\nlog = false\n\n[[notify.webhook]]\nname = \"desk\"\nurl = \"http://127.0.0.1:9/\"\nsecret = \"whsec_dGVzdA==\"\n"
}

#[test]
fn a_v1_store_opened_by_todays_binary_loses_nothing() {
    let app = App::new(hook_config());
    let (a1, a2) = fill_v1(&v1_store(&app.path("store.db")));

    let migrated = app.json(&["migrate"]);
    assert_eq!(
        migrated["schema_version"].as_i64(),
        Some(factdiff::store::SqliteStore::latest_migration())
    );
    let history = app.json(&["history", "1"]);
    let versions = history["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{history:#}");
    let shown = app.json(&["show", "1", "--version", "1"]);
    assert_eq!(
        shown["extracted"]["text"],
        a1.paragraphs.join("\n\n"),
        "{shown:#}"
    );
    let shown = app.json(&["show", "1"]);
    assert_eq!(shown["extracted"]["text"], a2.paragraphs.join("\n\n"));
    assert_eq!(
        app.ok(&["show", "1", "--version", "1", "--raw"]).trim(),
        "<p>12 million</p>"
    );
    assert_eq!(
        app.ok(&["show", "https://river.example/dam?ref=rss", "--raw"])
            .trim(),
        "<p>15 million</p>"
    );
    let events = app.json(&["history"]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{events:#}");
    let deliveries = app.json(&["deliveries"]);
    let states: Vec<&str> = deliveries
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 2, "{deliveries:#}");
    assert!(states.contains(&"delivered") && states.contains(&"pending"));
    let sources = app.json(&["sources"]);
    assert_eq!(sources[0]["name"], "river", "{sources:#}");
    // the fact change of V1's event is indexed by V5's back-fill
    let c = Connection::open(app.path("store.db")).unwrap();
    let facts: i64 = c
        .query_row("SELECT COUNT(*) FROM fact_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(facts, 1);
    let out = app.ok(&["verify"]);
    assert_eq!(out.lines().last(), Some("ok"), "{out}");
}

#[test]
fn backup_restores_and_verifies() {
    let app = App::new(hook_config());
    fill_v1(&v1_store(&app.path("store.db")));
    app.ok(&["migrate"]);
    let out = app.ok(&["backup", app.path("copy.db").to_str().unwrap()]);
    assert!(out.contains("2 versions"), "{out}");
    let again = app.run(&["backup", app.path("copy.db").to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "never overwrites");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    // restore: the copy becomes the store of another config
    let restored = App::new(hook_config());
    std::fs::copy(app.path("copy.db"), restored.path("store.db")).unwrap();
    assert_eq!(restored.ok(&["verify"]).lines().last(), Some("ok"));
    assert_eq!(
        restored.json(&["history", "1"])["versions"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        restored
            .ok(&["show", "1", "--version", "1", "--raw"])
            .trim(),
        "<p>12 million</p>"
    );
}

#[test]
fn verify_names_each_problem() {
    let app = App::new(hook_config());
    fill_v1(&v1_store(&app.path("store.db")));
    app.ok(&["migrate"]);
    let c = Connection::open(app.path("store.db")).unwrap();
    // a version whose text was changed behind the hash's back, an event without its outbox row
    c.execute(
        "UPDATE versions SET article_json = replace(article_json, '12 million', '13 million') WHERE seq = 1",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM delivery_attempts WHERE outbox_id = 1", [])
        .unwrap();
    c.execute("DELETE FROM outbox WHERE event_id = 'e1'", [])
        .unwrap();
    let out = app.run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("article 1 version 1: stored hash"), "{text}");
    assert!(
        text.contains("event e1 (article.new) has no outbox row"),
        "{text}"
    );
    assert!(!text.contains("version 2"), "{text}");
    let report: Value = serde_json::from_slice(&app.run(&["verify", "--json"]).stdout).unwrap();
    assert_eq!(
        report["problems"].as_array().unwrap().len(),
        2,
        "{report:#}"
    );
}

#[test]
fn vacuum_drops_old_raw_pages_and_keeps_text_and_events() {
    let app = App::new(&format!("{}\n", hook_config()));
    // keep_raw belongs to [storage]: rewrite the config with it
    let text = std::fs::read_to_string(&app.config).unwrap();
    std::fs::write(
        &app.config,
        text.replacen("[storage]\n", "[storage]\nkeep_raw = \"90d\"\n", 1),
    )
    .unwrap();
    fill_v1(&v1_store(&app.path("store.db")));
    app.ok(&["migrate"]);
    let c = Connection::open(app.path("store.db")).unwrap();
    // version 2 is recent: its raw page stays
    c.execute(
        "UPDATE versions SET observed_at = ?1 WHERE seq = 2",
        [chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)],
    )
    .unwrap();
    drop(c);
    let out = app.json(&["vacuum"]);
    assert_eq!(out["raw_pages_dropped"], 1, "{out:#}");
    let raw = app.run(&["show", "1", "--version", "1", "--raw"]);
    assert_eq!(raw.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&raw.stderr).contains("no raw page stored for version 1"));
    assert_eq!(app.ok(&["show", "1", "--raw"]).trim(), "<p>15 million</p>");
    let v1 = app.json(&["show", "1", "--version", "1"]);
    let text = v1["extracted"]["text"].as_str().unwrap();
    assert!(
        text.ends_with("The repairs cost 12 million dollars, officials said."),
        "{v1:#}"
    );
    assert_eq!(app.json(&["history"]).as_array().unwrap().len(), 2);
    assert_eq!(app.ok(&["verify"]).lines().last(), Some("ok"));
    // and again: nothing more to drop
    assert_eq!(app.json(&["vacuum"])["raw_pages_dropped"], 0);
}

/// `factdiff serve` on a free port: (the process, its base URL); killed on drop.
fn serve(app: &App) -> (common::app::Daemon, String) {
    use std::io::BufRead as _;
    let mut child = app
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    (common::app::Daemon(child), base)
}

fn sample(m: &prometheus_parse::Scrape, name: &str, label: Option<(&str, &str)>) -> Option<f64> {
    m.samples
        .iter()
        .find(|s| s.metric == name && label.is_none_or(|(k, v)| s.labels.get(k) == Some(v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            _ => f64::NAN,
        })
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_health_and_readiness_over_http() {
    let app = App::new(hook_config());
    fill_v1(&v1_store(&app.path("store.db")));
    app.ok(&["migrate"]);
    let (_serve, base) = serve(&app);
    let body = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let scrape = prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_string()))).unwrap();
    let get = |name, label| sample(&scrape, name, label);
    assert_eq!(
        get("factdiff_events_total", Some(("type", "fact.changed"))),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        get("factdiff_events_total", Some(("type", "article.new"))),
        Some(1.0)
    );
    assert_eq!(
        get("factdiff_fetches_total", Some(("host", "river.example"))),
        Some(2.0),
        "{body}"
    );
    assert_eq!(get("factdiff_outbox_pending", None), Some(1.0));
    assert!(get("factdiff_outbox_oldest_pending_age_seconds", None).unwrap() > 86_400.0);
    assert_eq!(
        get(
            "factdiff_delivery_attempts_total",
            Some(("result", "failed"))
        ),
        Some(1.0)
    );
    assert_eq!(
        get(
            "factdiff_delivery_attempts_total",
            Some(("result", "delivered"))
        ),
        Some(1.0)
    );
    assert_eq!(get("factdiff_versions", None), Some(2.0));
    assert!(get("factdiff_store_bytes", None).unwrap() > 0.0);
    assert!(get("factdiff_process_resident_memory_bytes", None).unwrap() > 1e6);
    assert_eq!(get("factdiff_leases", Some(("kind", "article"))), Some(0.0));
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    // the pending delivery is due in 2030: not stuck
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    // due a day ago and never sent: stuck
    Connection::open(app.path("store.db"))
        .unwrap()
        .execute(
            "UPDATE outbox SET next_attempt_at = '2025-01-03T00:00:00.000Z' WHERE id = 2",
            [],
        )
        .unwrap();
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status().as_u16(), 503);
    assert!(
        health
            .text()
            .await
            .unwrap()
            .contains("outbox stuck: 1 deliveries")
    );
}
