//! Claims stored with each version (schema V10, issue 16), on a store built by the real
//! pipeline (`factdiff ingest`): diffs read them instead of extracting both versions, rows
//! without them (written before V10) or with stale ones (another build's recognisers) still
//! diff as from scratch, and `factdiff reprocess` writes the missing and stale ones.

mod common;
mod support;

use common::app::App;
use factdiff::claims::{self, stored};
use factdiff::store::{SqliteStore, Store, VersionRow};
use factdiff::web::load;
use serde_json::Value;
use support::store::{build_store, serve};

/// The storm article (deaths 40 → 52 → 60) and its three versions.
fn storm(app: &App) -> (i64, Vec<VersionRow>) {
    build_store(app);
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    let a = store
        .article_by_url("https://daily.example/storm")
        .unwrap()
        .unwrap();
    let versions = store.versions(a.id).unwrap();
    assert_eq!(versions.len(), 3);
    (a.id, versions)
}

fn sql(app: &App, statement: &str, params: impl rusqlite::Params) {
    rusqlite::Connection::open(app.path("store.db"))
        .unwrap()
        .execute(statement, params)
        .unwrap();
}

/// The comparison of versions 1 and 3 from scratch (both texts' claims extracted).
fn from_scratch(v: &[VersionRow]) -> Value {
    let c = load::compare(&v[0].article, &v[2].article);
    serde_json::json!({ "diff": c.diff, "facts": c.facts })
}

fn from_store(v: &[VersionRow]) -> Value {
    let c = load::compare_versions(&v[0], &v[2]);
    serde_json::json!({ "diff": c.diff, "facts": c.facts })
}

/// What `factdiff serve` answers for the diff of versions 1 and 3 (never stored: compared).
async fn served(app: &App, id: i64) -> Value {
    let s = serve(app);
    let d: Value = reqwest::get(format!("{}/api/v1/articles/{id}/diff?from=1&to=3", s.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    serde_json::json!({ "diff": d["diff"], "facts": d["facts"] })
}

#[test]
fn the_pipeline_stores_each_versions_claims() {
    let app = App::new("");
    let (_, versions) = storm(&app);
    for v in &versions {
        let bytes = v.claims.as_deref().expect("claims stored with the version");
        assert!(stored::is_current(bytes));
        let fresh = claims::extract_claims(&v.article, None);
        assert_eq!(stored::decode(bytes).unwrap(), fresh.claims, "v{}", v.seq);
        assert!(!fresh.claims.is_empty());
    }
}

#[tokio::test]
async fn a_diff_from_stored_claims_equals_one_from_scratch() {
    let app = App::new("");
    let (id, v) = storm(&app);
    let fresh = from_scratch(&v);
    assert_eq!(fresh["facts"][0]["before"]["text"], "40", "{fresh:#}");
    assert_eq!(fresh["facts"][0]["after"]["text"], "60");
    assert_eq!(from_store(&v), fresh);
    assert_eq!(served(&app, id).await, fresh);
}

#[tokio::test]
async fn rows_without_claims_or_with_stale_ones_still_diff() {
    let app = App::new("");
    let (id, _) = storm(&app);
    // version 1 as written before schema V10; version 3 with claims another build stored,
    // saying 99 deaths: used, they would turn 40 → 60 into 40 → 99
    let other = claims::extract_claims(
        &factdiff::extract::extract_plain("Storm\n\nOfficials said 99 people died in the town."),
        None,
    );
    let mut stale = stored::encode(&other.claims);
    stale[1] ^= 0xff;
    sql(&app, "UPDATE versions SET claims = NULL WHERE seq = 1", []);
    sql(
        &app,
        "UPDATE versions SET claims = ?1 WHERE seq = 3",
        [stale],
    );
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    let v = store.versions(id).unwrap();
    assert!(v[0].claims.is_none());
    assert!(!stored::is_current(v[2].claims.as_deref().unwrap()));
    let fresh = from_scratch(&v);
    assert_eq!(fresh["facts"][0]["after"]["text"], "60");
    assert_eq!(from_store(&v), fresh);
    drop(store);
    assert_eq!(served(&app, id).await, fresh);
}

#[test]
fn reprocess_writes_missing_and_stale_claims_only() {
    let app = App::new("");
    let (id, before) = storm(&app);
    let total: i64 = rusqlite::Connection::open(app.path("store.db"))
        .unwrap()
        .query_row("SELECT COUNT(*) FROM versions", [], |r| r.get(0))
        .unwrap();
    let mut stale = before[1].claims.clone().unwrap();
    stale[1] ^= 0xff;
    // every version of the store as written before schema V10, one with stale claims
    sql(&app, "UPDATE versions SET claims = NULL", []);
    sql(
        &app,
        "UPDATE versions SET claims = ?1 WHERE article_id = ?2 AND seq = 2",
        rusqlite::params![stale, id],
    );
    let run = app.json(&["reprocess"]);
    assert_eq!(run["totals"]["claims_stored"], total, "{run:#}");
    assert_eq!(run["totals"]["reextracted"], 0, "{run:#}");
    assert_eq!(run["totals"]["events_stored"], 0, "{run:#}");
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    let after = store.versions(id).unwrap();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            a.claims, b.claims,
            "v{}: the claims the pipeline wrote",
            a.seq
        );
        assert_eq!(
            (&a.article, &a.diff, &a.significance),
            (&b.article, &b.diff, &b.significance),
            "nothing else is rewritten"
        );
    }
    drop(store);
    let again = app.json(&["reprocess"]);
    assert_eq!(again["totals"]["claims_stored"], 0, "{again:#}");
}
