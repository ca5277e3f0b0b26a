//! Issue 18 operations through the real binary: `reprocess`, `verify`, `backup`, `vacuum`
//! and raw-page retention, on stores built by the real pipeline.

mod common;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::WebhookReceiver;
use common::app::App;
use factdiff::store::{SqliteStore, Store};
use serde_json::Value;

const SECRET: &str = "whsec_b3BzLXRlc3Qtc2VjcmV0";

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap()
}

/// Stores one observation of `url` the way the daemon does, except that the text the
/// extractor read is `read` while the raw page kept is `raw`: a version stored by an older
/// extractor that read the page differently.
fn store_version(
    app: &App,
    store: &dyn Store,
    url: &str,
    read: (&[u8], &str),
    raw: &[u8],
    when: DateTime<Utc>,
) {
    let body = std::str::from_utf8(read.0).unwrap();
    common::stored::store_read_as(app, store, "Daily", url, (body, read.1), raw, when);
}

fn app_with_hook(hook: &WebhookReceiver, extra: &str) -> App {
    App::new(&format!(
        "[notify]\nlog = false\n\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\n{extra}",
        hook.url()
    ))
}

/// Two versions whose only difference is a subscription promo the old extractor kept as a
/// paragraph ("Subscribe today: 3 months for $1" → "6 months for $2"), stored with a
/// `fact.changed` that was delivered. Today's extractor drops the promo from the raw pages.
fn chrome_store(app: &App) -> SqliteStore {
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    let url = "https://daily.example/budget";
    for (i, day) in [(1, 1), (2, 2)] {
        store_version(
            app,
            &store,
            url,
            (
                &common::stored::reprocess_fixture(&format!("old{i}.txt")),
                "text/plain",
            ),
            &common::stored::reprocess_fixture(&format!("new{i}.html")),
            at(day),
        );
    }
    store
}

fn fact_changed_count(hook: &WebhookReceiver) -> usize {
    hook.event_types()
        .iter()
        .filter(|t| *t == "fact.changed")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn reprocess_drops_chrome_fact_changes_and_sends_nothing() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook, "");
    let store = chrome_store(&app);
    let history = app.json(&["history", "https://daily.example/budget"]);
    assert_eq!(history["versions"].as_array().unwrap().len(), 2);
    // what was reported then is delivered
    app.ok(&["check"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    // deliveries run concurrently: the order of arrival is not the order of the events
    let mut got = hook.event_types();
    got.sort();
    assert_eq!(got, ["article.new", "fact.changed"]);

    // dry run: reports the fact changes that disappear, writes nothing
    let dry = app.json(&["reprocess", "--dry-run"]);
    let totals = &dry["totals"];
    assert_eq!(totals["articles"], 1, "{dry:#}");
    assert_eq!(totals["versions"], 2);
    assert_eq!(
        totals["reextracted"], 2,
        "both versions lose the promo: {dry:#}"
    );
    assert!(totals["lost"].as_u64().unwrap() >= 2, "{dry:#}");
    assert_eq!(totals["gained"], 0, "{dry:#}");
    let lost: Vec<&Value> = dry["articles"][0]["lost"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(
        lost.iter()
            .any(|l| l["kind"] == "money" && l["before"] == "$1" && l["after"] == "$2"),
        "{dry:#}"
    );
    assert!(lost.iter().all(|l| l["to_seq"] == 2));
    let v2 = store.version(1, 2).unwrap().unwrap();
    assert_eq!(v2.significance.as_deref(), Some("factual"), "dry run wrote");

    // the real run: same report, the stored reading moves, no event is queued or sent
    let text = app.ok(&["reprocess"]);
    assert!(text.contains("- v1→v2 money"), "{text}");
    assert!(text.contains("0 events stored, 0 queued"), "{text}");
    let v2 = store.version(1, 2).unwrap().unwrap();
    assert_ne!(v2.significance.as_deref(), Some("factual"));
    assert!(
        !v2.article
            .paragraphs
            .iter()
            .any(|p| p.contains("Subscribe"))
    );
    assert!(v2.diff.unwrap()["facts"].as_array().unwrap().is_empty());
    // raw pages and the events already reported stay as they were
    assert!(store.raw(1, 2).unwrap().is_some());
    assert_eq!(store.events(Some(1), 10).unwrap().len(), 2);
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.deliveries().len(), 2, "{:?}", hook.event_types());

    // a second run finds nothing left to change
    let again = app.json(&["reprocess"]);
    assert_eq!(again["totals"]["reextracted"], 0, "{again:#}");
    assert_eq!(again["totals"]["lost"], 0);
    assert_eq!(app.ok(&["verify"]).lines().last().unwrap(), "ok");
}

/// The reverse: the old extractor lost a paragraph whose number later changed. Today's
/// reading finds the fact change; it is stored once (quietly) and sent only with --notify.
#[tokio::test(flavor = "multi_thread")]
async fn reprocess_stores_new_fact_changes_quietly_unless_notify() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook, "");
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    // old reading: the budget paragraph with "120 new teachers" was missed in both versions
    let old = String::from_utf8(common::stored::reprocess_fixture("old1.txt")).unwrap();
    let missed: String = old
        .split("\n\n")
        .filter(|p| !p.contains("teachers") && !p.contains("Subscribe"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let v1 = String::from_utf8(common::stored::reprocess_fixture("new1.html")).unwrap();
    let v2 = v1
        .replace("120 new teachers", "150 new teachers")
        .replace("late in the evening", "late in the night");
    let missed2 = missed.replace("late in the evening", "late in the night");
    let url = "https://daily.example/schools";
    store_version(
        &app,
        &store,
        url,
        (missed.as_bytes(), "text/plain"),
        v1.as_bytes(),
        at(1),
    );
    store_version(
        &app,
        &store,
        url,
        (missed2.as_bytes(), "text/plain"),
        v2.as_bytes(),
        at(2),
    );
    app.ok(&["check"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(fact_changed_count(&hook), 0, "{:?}", hook.event_types());

    let run = app.json(&["reprocess"]);
    let gained = run["articles"][0]["gained"].as_array().unwrap();
    assert!(
        gained
            .iter()
            .any(|g| g["before"] == "120" || g["before"] == "120 new teachers"),
        "{run:#}"
    );
    assert_eq!(run["totals"]["events_stored"], 1, "{run:#}");
    assert_eq!(run["totals"]["events_notified"], 0);
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fact_changed_count(&hook), 0, "quiet without --notify");
    let stored = app.json(&["history"]);
    let reprocessed: Vec<&Value> = stored
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "fact.changed")
        .collect();
    assert_eq!(reprocessed.len(), 1, "{stored:#}");
    assert_eq!(app.ok(&["verify"]).lines().last().unwrap(), "ok");

    // --notify now: the fact change was stored already, so nothing is stored or sent twice
    let again = app.json(&["reprocess", "--notify"]);
    assert_eq!(again["totals"]["events_stored"], 0, "{again:#}");
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fact_changed_count(&hook), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn reprocess_with_notify_queues_the_new_fact_change_once() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook, "");
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    let old = String::from_utf8(common::stored::reprocess_fixture("old1.txt")).unwrap();
    let missed: String = old
        .split("\n\n")
        .filter(|p| !p.contains("teachers") && !p.contains("Subscribe"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let v1 = String::from_utf8(common::stored::reprocess_fixture("new1.html")).unwrap();
    let v2 = v1
        .replace("120 new teachers", "150 new teachers")
        .replace("late in the evening", "late in the night");
    let missed2 = missed.replace("late in the evening", "late in the night");
    let url = "https://daily.example/schools";
    store_version(
        &app,
        &store,
        url,
        (missed.as_bytes(), "text/plain"),
        v1.as_bytes(),
        at(1),
    );
    store_version(
        &app,
        &store,
        url,
        (missed2.as_bytes(), "text/plain"),
        v2.as_bytes(),
        at(2),
    );
    app.ok(&["check"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    let run = app.json(&["reprocess", "--notify"]);
    assert_eq!(run["totals"]["events_notified"], 1, "{run:#}");
    app.ok(&["check"]);
    hook.wait_for(3, Duration::from_secs(5)).await;
    let last = hook.deliveries().last().unwrap().json.clone().unwrap();
    assert_eq!(last["type"], "fact.changed");
    assert_eq!(last["reprocessed"], true);
    // and never again
    app.json(&["reprocess", "--notify"]);
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fact_changed_count(&hook), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupted_reprocess_resumes_after_its_cursor() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook, "");
    let store = chrome_store(&app);
    // a second article (id 2), same history
    for (i, day) in [(1, 3), (2, 4)] {
        store_version(
            &app,
            &store,
            "https://daily.example/budget-2",
            (
                &common::stored::reprocess_fixture(&format!("old{i}.txt")),
                "text/plain",
            ),
            &common::stored::reprocess_fixture(&format!("new{i}.html")),
            at(day),
        );
    }
    // as if a run over everything had finished article 1 and then been killed
    store
        .set_ops_cursor(
            "reprocess",
            Some(r#"{"run":{"since":null,"article":null},"after":1}"#),
        )
        .unwrap();
    let out = app.run(&["reprocess", "--json"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("resuming an interrupted run after article 1")
    );
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["totals"]["articles"], 1, "{run:#}");
    assert_eq!(run["articles"][0]["article_id"], 2);
    assert_eq!(
        store.ops_cursor("reprocess").unwrap(),
        None,
        "a finished run clears it"
    );
    // a run with other arguments ignores the saved cursor
    store
        .set_ops_cursor(
            "reprocess",
            Some(r#"{"run":{"since":"x","article":null},"after":1}"#),
        )
        .unwrap();
    let run = app.json(&["reprocess", "--dry-run"]);
    assert_eq!(run["totals"]["articles"], 2);
}

#[test]
fn reprocess_rejects_bad_arguments_by_name() {
    let app = App::new("");
    SqliteStore::open(&app.path("store.db")).unwrap();
    let out = app.run(&["reprocess", "--since", "last week"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since \"last week\""));
    let out = app.run(&["reprocess", "--article", "https://nowhere.example/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article"));
}
