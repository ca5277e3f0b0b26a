//! `factdiff reprocess` interrupted by SIGINT (Ctrl-C) resumes after the last batch it
//! finished (issue 18 point 1), through the real binary on a store of 400 articles whose
//! stored versions an older extractor read with page chrome that today's drops.

mod common;

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use common::app::{App, signal, wait_exit};
use factdiff::store::{SqliteStore, Store};
use serde_json::Value;

const ARTICLES: i64 = 400;

/// Article 1: two versions stored as an older extractor read them (a subscription promo
/// kept as text, whose price changed between them), with the raw pages today's extractor
/// reads without it; then cloned (rows copied in SQL) into articles 2..=ARTICLES.
fn store(app: &App) -> SqliteStore {
    let path = app.path("store.db");
    let store = SqliteStore::open(&path).unwrap();
    for i in 1..=2u32 {
        let read =
            String::from_utf8(common::stored::reprocess_fixture(&format!("old{i}.txt"))).unwrap();
        common::stored::store_read_as(
            app,
            &store,
            "Daily",
            "https://daily.example/budget",
            (&read, "text/plain"),
            &common::stored::reprocess_fixture(&format!("new{i}.html")),
            Utc.with_ymd_and_hms(2026, 3, i, 9, 0, 0).unwrap(),
        );
    }
    let c = rusqlite::Connection::open(&path).unwrap();
    let cols = |table: &str, skip: &[&str]| -> String {
        let mut s = c.prepare(&format!("PRAGMA table_info({table})")).unwrap();
        let names: Vec<String> = s
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap)
            .filter(|n| !skip.contains(&n.as_str()))
            .collect();
        names.join(", ")
    };
    let (a, v) = (
        cols("articles", &["id", "url"]),
        cols("versions", &["id", "article_id"]),
    );
    c.execute_batch("BEGIN").unwrap();
    for k in 1..ARTICLES {
        c.execute(
            &format!("INSERT INTO articles (id, url, {a}) SELECT id + ?1, url || '/' || ?1, {a} FROM articles WHERE id = 1"),
            [k],
        )
        .unwrap();
        c.execute(
            &format!("INSERT INTO versions (article_id, {v}) SELECT article_id + ?1, {v} FROM versions WHERE article_id = 1"),
            [k],
        )
        .unwrap();
    }
    c.execute_batch("COMMIT").unwrap();
    store
}

#[test]
fn reprocess_interrupted_by_sigint_resumes_where_it_stopped() {
    let app = App::new("[notify]\nlog = false\n");
    let store = store(&app);
    let before = app.json(&["reprocess", "--dry-run"]);
    assert_eq!(
        before["totals"]["articles"], ARTICLES,
        "{:#}",
        before["totals"]
    );
    let lost = before["totals"]["lost"].as_i64().unwrap();
    assert!(
        lost >= ARTICLES,
        "every article loses its chrome fact change: {lost}"
    );

    // Ctrl-C once the first batch is written (its cursor saved).
    let mut run = app
        .command(&["reprocess", "--json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let after = loop {
        if let Some(c) = store.ops_cursor("reprocess").unwrap() {
            break serde_json::from_str::<Value>(&c).unwrap()["after"]
                .as_i64()
                .unwrap();
        }
        assert!(
            run.try_wait().unwrap().is_none(),
            "finished before a cursor was seen"
        );
        assert!(Instant::now() < deadline, "no batch finished");
        std::thread::sleep(Duration::from_millis(2));
    };
    signal(&run, 2);
    let status = wait_exit(&mut run, Duration::from_secs(30)).expect("SIGINT stops it");
    assert!(!status.success(), "interrupted, not finished: {status:?}");
    let stopped_after = serde_json::from_str::<Value>(
        &store.ops_cursor("reprocess").unwrap().unwrap(),
    )
    .unwrap()["after"]
        .as_i64()
        .unwrap();
    assert!(
        stopped_after >= after && stopped_after < ARTICLES,
        "{stopped_after}"
    );

    // Run again: it says it resumes, reads only the articles after the cursor, finishes.
    let out = app.run(&["reprocess", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!(
            "resuming an interrupted run after article {stopped_after}"
        )),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(second["totals"]["articles"], ARTICLES - stopped_after);
    assert_eq!(second["totals"]["resumed_after"], stopped_after);
    assert!(
        second["articles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["article_id"].as_i64().unwrap() > stopped_after)
    );
    assert_eq!(store.ops_cursor("reprocess").unwrap(), None);

    // Between the two runs every article was rewritten: nothing is left to change, no
    // event was stored twice (none at all: only lost fact changes), and verify passes.
    let left = app.json(&["reprocess", "--dry-run"]);
    assert_eq!(left["totals"]["lost"], 0, "{:#}", left["totals"]);
    assert_eq!(left["totals"]["reextracted"], 0, "{:#}", left["totals"]);
    let events = store.events(None, usize::MAX).unwrap();
    assert!(
        events.iter().all(|e| e.payload["reprocessed"].is_null()),
        "{:?}",
        events.iter().map(|e| &e.payload).collect::<Vec<_>>()
    );
    app.ok(&["verify"]);
}
