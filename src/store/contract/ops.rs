//! Contract of the operations methods (issue 18), on both backends.

use chrono::{Duration, Utc};

use super::{AllTo, article};
use crate::store::testkit::TestStore;
use crate::store::*;

fn version(a: i64, seq: i64, text: &str) -> VersionWrite {
    VersionWrite {
        article_id: a,
        seq,
        article: article(text),
        raw: Some(format!("<p>{text}</p>").into_bytes()),
        content_type: None,
        flagged: None,
        significance: None,
        diff: None,
        claims: None,
    }
}

pub(super) fn ops_rewrite_retention_cursor_and_links(t: &TestStore) {
    let s: &dyn Store = &**t;
    let old = Utc::now() - Duration::days(100);
    let now = Utc::now();
    let a = s
        .create_article("https://ops.example/a", None, None, old)
        .unwrap();
    let b = s
        .create_article("https://ops.example/b", None, None, now)
        .unwrap();
    let e = crate::events::article_new(old, &a.as_ref(), 1, None);
    let quiet = {
        let mut q = crate::events::article_new(now, &b.as_ref(), 1, None);
        q.payload["quiet"] = serde_json::json!(true);
        q
    };
    let commit = |v, events, at| {
        s.commit(
            Commit {
                version: Some(v),
                events,
                ..Default::default()
            },
            &AllTo(vec!["log"]),
            at,
        )
        .unwrap()
    };
    commit(version(a.id, 1, "one"), vec![e], old);
    commit(version(b.id, 1, "two"), vec![], now);
    // an event stored quietly (no outbox row by design)
    s.commit(
        Commit {
            events: vec![quiet],
            ..Default::default()
        },
        &AllTo(vec![]),
        now,
    )
    .unwrap();

    assert_eq!(
        s.articles_with_versions(0, None, 10).unwrap(),
        vec![a.id, b.id]
    );
    assert_eq!(
        s.articles_with_versions(a.id, None, 10).unwrap(),
        vec![b.id]
    );
    assert_eq!(
        s.articles_with_versions(0, Some(now - Duration::days(1)), 10)
            .unwrap(),
        vec![b.id]
    );

    let mut new = article("one, read again");
    new.headline = Some("H2".into());
    s.rewrite_versions(&[VersionRewrite {
        article_id: a.id,
        seq: 1,
        article: new.clone(),
        flagged: None,
        significance: Some("wording".into()),
        diff: Some(serde_json::json!({"facts": []})),
        claims: None,
    }])
    .unwrap();
    let v = s.version(a.id, 1).unwrap().unwrap();
    assert_eq!(v.article, new);
    assert_eq!(v.content_hash, new.content_hash());
    assert_eq!(v.significance.as_deref(), Some("wording"));
    assert!(s.raw(a.id, 1).unwrap().is_some(), "the raw page stays");

    assert_eq!(s.ops_cursor("t").unwrap(), None);
    s.set_ops_cursor("t", Some("1")).unwrap();
    s.set_ops_cursor("t", Some("2")).unwrap();
    assert_eq!(s.ops_cursor("t").unwrap().as_deref(), Some("2"));
    s.set_ops_cursor("t", None).unwrap();
    assert_eq!(s.ops_cursor("t").unwrap(), None);

    let links = s.check_links(&|_| true).unwrap();
    assert!(links.events_without_outbox.is_empty(), "{links:?}");
    assert_eq!(links.orphan_outbox_rows, 0);
    assert!(links.engine.is_empty(), "{links:?}");

    let stats = s.stats(now).unwrap();
    assert_eq!(stats.versions, 2);
    assert_eq!(stats.outbox_pending, 1);
    assert_eq!(stats.outbox_overdue, 1, "due 100 days ago, never sent");
    assert_eq!(stats.events.iter().map(|(_, n)| n).sum::<i64>(), 2);

    assert_eq!(s.drop_raw_before(now - Duration::days(90)).unwrap(), 1);
    assert!(s.raw(a.id, 1).unwrap().is_none());
    assert!(s.raw(b.id, 1).unwrap().is_some());
    assert_eq!(
        s.version(a.id, 1).unwrap().unwrap().article,
        new,
        "text stays"
    );
    assert_eq!(s.drop_raw_before(now - Duration::days(90)).unwrap(), 0);
    assert_eq!(s.stats(now).unwrap().raw_dropped, 1);
    s.vacuum().unwrap();
}

/// A version's stored claims (schema V10) come back byte for byte from every read of the
/// version, a rewrite replaces them, and a version written without them reads as none.
pub(super) fn version_claims_are_stored_and_rewritten(t: &TestStore) {
    let s: &dyn Store = &**t;
    let now = Utc::now();
    let a = s
        .create_article("https://claims.example/a", None, None, now)
        .unwrap();
    let bytes = crate::claims::stored::encode(
        &crate::claims::extract_claims(&article("More than 27 people were hurt."), None).claims,
    );
    let commit = |v| {
        s.commit(
            Commit {
                version: Some(v),
                ..Default::default()
            },
            &AllTo(vec![]),
            now,
        )
        .unwrap()
    };
    commit(VersionWrite {
        claims: Some(bytes.clone()),
        ..version(a.id, 1, "More than 27 people were hurt.")
    });
    // written as rows were before the column existed
    commit(version(a.id, 2, "More than 28 people were hurt."));
    let v1 = s.version(a.id, 1).unwrap().unwrap();
    assert_eq!(v1.claims.as_deref(), Some(&bytes[..]));
    assert_eq!(s.version(a.id, 2).unwrap().unwrap().claims, None);
    let all = s.versions(a.id).unwrap();
    assert_eq!(all[0].claims.as_deref(), Some(&bytes[..]));
    assert_eq!(all[1].claims, None);
    assert_eq!(s.latest_version(a.id).unwrap().unwrap().claims, None);
    let docs = s.story_docs(&[(a.id, 1)]).unwrap();
    assert_eq!(docs[0].1.claims.as_deref(), Some(&bytes[..]));

    let other = crate::claims::stored::encode(&[]);
    s.rewrite_versions(&[VersionRewrite {
        article_id: a.id,
        seq: 2,
        article: all[1].article.clone(),
        flagged: None,
        significance: all[1].significance.clone(),
        diff: None,
        claims: Some(other.clone()),
    }])
    .unwrap();
    assert_eq!(
        s.version(a.id, 2).unwrap().unwrap().claims.as_deref(),
        Some(&other[..])
    );
    assert_eq!(
        s.version(a.id, 1).unwrap().unwrap().claims.as_deref(),
        Some(&bytes[..]),
        "other versions keep theirs"
    );
}
