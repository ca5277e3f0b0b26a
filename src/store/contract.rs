//! The store contract: behaviour every backend must have, written once against `&dyn Store`
//! and run on SQLite and PostgreSQL (see [`testkit`](super::testkit)).

use chrono::Utc;

use super::testkit::{TestStore, store_tests};
use super::*;
use crate::events;

mod leases;
mod lists;
mod ops;
use leases::*;
use lists::*;
use ops::*;

store_tests!(
    article_leases_are_exclusive_and_expire,
    concurrent_leasing_takes_each_article_once,
    due_articles_are_leased_round_robin_across_hosts,
    make_due_moves_scheduled_articles_but_not_held_ones,
    delivery_and_source_leases_are_exclusive,
    host_turns_space_starts_across_workers,
    host_slots_are_shared_across_workers,
    a_pause_holds_for_every_worker,
    version_events_and_outbox_are_one_transaction,
    source_health_transitions_emit_once,
    delivery_lifecycle,
    fact_changes_are_indexed_and_keyset_pages_are_stable,
    article_search_is_a_substring_of_headline_or_url,
    list_totals_are_exact_through_inserts_and_deletes,
    ops_rewrite_retention_cursor_and_links,
    version_claims_are_stored_and_rewritten,
);

struct AllTo(Vec<&'static str>);
impl Routes for AllTo {
    fn targets(&self, _t: &str) -> Vec<String> {
        self.0.iter().map(|s| s.to_string()).collect()
    }
}

fn article(text: &str) -> Article {
    Article {
        headline: Some("H".into()),
        paragraphs: vec![text.into()],
        method: "text".into(),
        confidence: 0.9,
        ..Default::default()
    }
}

fn version_events_and_outbox_are_one_transaction(t: &TestStore) {
    let now = Utc::now();
    {
        let s: &dyn Store = &**t;
        let a = s
            .create_article("https://x.example/a", Some("X"), None, now)
            .unwrap();
        let e = events::article_new(now, &a.as_ref(), 1, None);
        let c = Commit {
            version: Some(VersionWrite {
                article_id: a.id,
                seq: 1,
                article: article("one"),
                raw: Some(b"<p>one</p>".to_vec()),
                content_type: Some("text/html; charset=iso-8859-2".into()),
                flagged: None,
                significance: None,
                diff: None,
                claims: None,
            }),
            events: vec![e.clone()],
            article: Some(ArticleUpdate {
                article_id: a.id,
                etag: Some("\"e1\"".into()),
                aliases: vec!["https://x.example/a?utm_source=z".into()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let out = s.commit(c, &AllTo(vec!["log", "hook"]), now).unwrap();
        assert_eq!(out.outbox_rows, 2);
        // Same seq again is a conflict, and nothing of that commit is written.
        let dup = Commit {
            version: Some(VersionWrite {
                article_id: a.id,
                seq: 1,
                article: article("two"),
                raw: None,
                content_type: None,
                flagged: None,
                significance: None,
                diff: None,
                claims: None,
            }),
            events: vec![events::article_new(now, &a.as_ref(), 1, None)],
            ..Default::default()
        };
        assert!(matches!(
            s.commit(dup, &AllTo(vec!["log"]), now),
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(s.events(None, 10).unwrap().len(), 1);
        assert_eq!(s.pending_deliveries().unwrap(), 2);
    }
    // Reopen: everything is still there, raw page round-trips through zstd.
    let s = t.reopen();
    let a = s
        .article_by_url("https://x.example/a?utm_source=z")
        .unwrap()
        .unwrap();
    assert_eq!(a.version_count, 1);
    assert_eq!(a.etag.as_deref(), Some("\"e1\""));
    assert_eq!(s.raw(a.id, 1).unwrap().unwrap(), b"<p>one</p>");
    // and so does its Content-Type (schema V12), which re-processing decodes it by
    assert_eq!(
        s.raw_page(a.id, 1)
            .unwrap()
            .unwrap()
            .content_type
            .as_deref(),
        Some("text/html; charset=iso-8859-2")
    );
    assert_eq!(
        s.latest_version(a.id).unwrap().unwrap().article.paragraphs,
        vec!["one"]
    );
    assert_eq!(
        s.find_article(&a.id.to_string()).unwrap().unwrap().url,
        "https://x.example/a"
    );
}

fn source_health_transitions_emit_once(s: &TestStore) {
    let cfg = crate::config::Config::parse(
        "[[source]]\nname='p'\nkind='page'\nurl='http://127.0.0.1:1/'\n",
        &|_| None,
    )
    .unwrap();
    s.sync_sources(&cfg.sources).unwrap();
    let now = Utc::now();
    let fail = |e: &str| Commit {
        source: Some(SourceOutcome {
            name: "p".into(),
            error: Some(e.into()),
            threshold: 2,
            next_check_at: None,
        }),
        ..Default::default()
    };
    let r = AllTo(vec!["log"]);
    assert!(
        s.commit(fail("HTTP 500"), &r, now)
            .unwrap()
            .events
            .is_empty()
    );
    assert_eq!(s.commit(fail("HTTP 500"), &r, now).unwrap().events.len(), 1);
    assert!(
        s.commit(fail("HTTP 500"), &r, now)
            .unwrap()
            .events
            .is_empty()
    );
    let st = &s.sources().unwrap()[0];
    assert!(st.failing);
    assert_eq!(st.consecutive_failures, 3);
    assert_eq!(st.last_error.as_deref(), Some("HTTP 500"));
    let ok = Commit {
        source: Some(SourceOutcome {
            name: "p".into(),
            error: None,
            threshold: 2,
            next_check_at: None,
        }),
        ..Default::default()
    };
    assert_eq!(s.commit(ok.clone(), &r, now).unwrap().events.len(), 1);
    assert!(s.commit(ok, &r, now).unwrap().events.is_empty());
    let kinds: Vec<_> = s
        .events(None, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "source.failing").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "source.recovered").count(), 1);
}

fn delivery_lifecycle(s: &TestStore) {
    let now = Utc::now();
    let e = events::source_health(now, true, "x", Some("boom"), 3);
    s.commit(
        Commit {
            events: vec![e],
            ..Default::default()
        },
        &AllTo(vec!["hook"]),
        now,
    )
    .unwrap();
    let due = s
        .lease_deliveries(now, now + chrono::Duration::seconds(60), 10)
        .unwrap();
    assert_eq!(due.len(), 1);
    let later = now + chrono::Duration::seconds(30);
    s.record_attempt(
        due[0].outbox_id,
        now,
        &AttemptResult::Retry {
            status: Some(500),
            error: "HTTP 500".into(),
            next_at: later,
        },
        5,
    )
    .unwrap();
    assert!(
        s.lease_deliveries(now, now + chrono::Duration::seconds(60), 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.next_delivery_at().unwrap().unwrap().timestamp(),
        later.timestamp()
    );
    let due = s
        .lease_deliveries(later, later + chrono::Duration::seconds(60), 10)
        .unwrap();
    assert_eq!(due[0].attempts, 1);
    s.record_attempt(
        due[0].outbox_id,
        later,
        &AttemptResult::Delivered { status: Some(200) },
        5,
    )
    .unwrap();
    assert_eq!(s.pending_deliveries().unwrap(), 0);
    let rows = s.deliveries(10).unwrap();
    assert_eq!(rows[0].state, "delivered");
    assert_eq!(rows[0].attempts, 2);
}

/// Fact changes are indexed with their event, and a traversal's pages and total stay put
/// while new rows arrive; a new traversal sees them.
fn fact_changes_are_indexed_and_keyset_pages_are_stable(s: &TestStore) {
    let now = Utc::now();
    let a = s
        .create_article("https://x.example/a", Some("X"), None, now)
        .unwrap();
    let fact = |n: i64| {
        serde_json::json!({"kind": "quantity", "slot": "deaths", "label": if n % 2 == 0 { "update" } else { "correction" },
            "before": {"text": n.to_string(), "value": n}, "after": {"text": (n + 1).to_string(), "value": n + 1},
            "sentence_before": null, "sentence_after": null})
    };
    let emit = |from: i64| {
        let e = events::fact_changed(
            now,
            &a.as_ref(),
            from,
            from + 1,
            serde_json::json!({}),
            serde_json::json!([fact(from), fact(from + 100)]),
        );
        s.commit(
            Commit {
                events: vec![e],
                ..Default::default()
            },
            &AllTo(vec![]),
            now,
        )
        .unwrap();
    };
    for i in 0..3 {
        emit(i);
    }
    let q = FactQuery::default();
    let p1 = s.list_fact_changes(&q, PageReq::first(4)).unwrap();
    assert_eq!((p1.items.len(), p1.total), (4, 6));
    assert_eq!(p1.items[0].item["before"]["value"], 102);
    assert_eq!(p1.items[0].article.outlet.as_deref(), Some("X"));
    emit(10);
    let p2 = s
        .list_fact_changes(
            &q,
            PageReq {
                limit: 4,
                before: p1.next_before,
                upto: Some(p1.upto),
            },
        )
        .unwrap();
    assert_eq!((p2.items.len(), p2.total, p2.next_before), (2, 6, None));
    let ids: Vec<i64> = p1.items.iter().chain(&p2.items).map(|f| f.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");
    assert_eq!(s.list_fact_changes(&q, PageReq::first(4)).unwrap().total, 8);
    let corrections = FactQuery {
        label: Some("correction".into()),
        ..Default::default()
    };
    let c = s
        .list_fact_changes(&corrections, PageReq::first(50))
        .unwrap();
    assert_eq!(c.total, 2);
    assert!(c.items.iter().all(|f| f.item["label"] == "correction"));
    let one = s.fact_change(c.items[0].id).unwrap().unwrap();
    assert_eq!(one.event_id, c.items[0].event_id);
    assert!(s.fact_change(9999).unwrap().is_none());
}
