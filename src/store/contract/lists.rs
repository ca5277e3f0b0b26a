//! List reads for the web UI and API: article search and list totals, which both backends
//! serve from indexes or counters (migration V8) and must answer exactly as a scan would.

use chrono::Utc;

use super::{AllTo, article};
use crate::events;
use crate::store::testkit::TestStore;
use crate::store::*;

/// Commits version `seq` of `id` with `headline` (the store copies it to the article row).
fn version(s: &TestStore, id: i64, seq: i64, headline: &str) {
    let mut a = article(&format!("text {seq}"));
    a.headline = Some(headline.into());
    s.commit(
        Commit {
            version: Some(VersionWrite {
                article_id: id,
                seq,
                article: a,
                raw: None,
                content_type: None,
                flagged: None,
                significance: None,
                diff: None,
                claims: None,
            }),
            ..Default::default()
        },
        &AllTo(vec![]),
        Utc::now(),
    )
    .unwrap();
}

fn urls(s: &TestStore, text: &str) -> Vec<String> {
    let q = ArticleQuery {
        text: Some(text.into()),
        ..Default::default()
    };
    let page = s.list_articles(&q, PageReq::first(50)).unwrap();
    assert_eq!(page.total, page.items.len() as i64, "total for {text:?}");
    let mut u: Vec<String> = page.items.into_iter().map(|a| a.url).collect();
    u.sort();
    u
}

/// Search is a case-insensitive (ASCII) substring of the headline or the URL, with LIKE's
/// wildcards taken literally, whatever its length, and follows headline changes.
pub(super) fn article_search_is_a_substring_of_headline_or_url(s: &TestStore) {
    let now = Utc::now();
    let mk = |url: &str, headline: &str| {
        let a = s.create_article(url, Some("X"), None, now).unwrap();
        version(s, a.id, 1, headline);
        a.id
    };
    let road = mk("https://x.example/news/4242", "Road CLOSED after flood");
    mk("https://x.example/news/42", "Prices rise 50% in a year");
    mk("https://y.example/a_b", "Prices rise 500 in a year");
    mk("https://y.example/ab", "École fermée, says \"mayor\"");
    let x = |p: &str| format!("https://x.example/{p}");
    let y = |p: &str| format!("https://y.example/{p}");
    assert_eq!(urls(s, "road closed"), vec![x("news/4242")]);
    assert_eq!(urls(s, "news/42"), vec![x("news/42"), x("news/4242")]);
    assert_eq!(urls(s, "50%"), vec![x("news/42")]);
    assert_eq!(urls(s, "a_b"), vec![y("a_b")]);
    assert_eq!(urls(s, "\"mayor\""), vec![y("ab")]);
    // Case folds for ASCII only, on both backends (LIKE; ILIKE on "C" collation).
    assert_eq!(urls(s, "École"), vec![y("ab")]);
    assert!(urls(s, "école").is_empty());
    // Shorter than a trigram: still a substring search.
    assert_eq!(urls(s, "%"), vec![x("news/42")]);
    assert_eq!(urls(s, "ée").len(), 1);
    assert_eq!(urls(s, "y.").len(), 2);
    assert!(urls(s, "nowhere at all").is_empty());
    // A changed headline is found by its new words only.
    version(s, road, 2, "Bridge reopened");
    assert!(urls(s, "road closed").is_empty());
    assert_eq!(urls(s, "BRIDGE"), vec![x("news/4242")]);
    // Filters combine with the search.
    let q = ArticleQuery {
        text: Some("prices".into()),
        outlet: Some("X".into()),
        ..Default::default()
    };
    assert_eq!(s.list_articles(&q, PageReq::first(1)).unwrap().total, 2);
}

fn total(s: &TestStore, q: &ArticleQuery, page: PageReq) -> i64 {
    s.list_articles(q, page).unwrap().total
}

/// A list's total counts the rows matching its filter up to the traversal's start, exactly:
/// through inserts after the traversal began, deletions (an absorbed duplicate) and with
/// filters that have a counter or not.
pub(super) fn list_totals_are_exact_through_inserts_and_deletes(s: &TestStore) {
    let now = Utc::now();
    let mut ids = Vec::new();
    for i in 0..9 {
        let outlet = ["A", "B", "C"][i % 3];
        let a = s
            .create_article(&format!("https://o.example/{i}"), Some(outlet), None, now)
            .unwrap();
        ids.push(a.id);
    }
    s.create_article("https://o.example/none", None, None, now)
        .unwrap();
    let all = ArticleQuery::default();
    let a_only = ArticleQuery {
        outlet: Some("A".into()),
        ..Default::default()
    };
    let first = s.list_articles(&all, PageReq::first(4)).unwrap();
    assert_eq!(first.total, 10);
    assert_eq!(total(s, &a_only, PageReq::first(2)), 3);
    // New rows: an ongoing traversal keeps its total, a new one sees them.
    for i in 0..3 {
        s.create_article(&format!("https://o.example/new{i}"), Some("A"), None, now)
            .unwrap();
    }
    let next = PageReq {
        limit: 4,
        before: first.next_before,
        upto: Some(first.upto),
    };
    assert_eq!(total(s, &all, next), 10);
    assert_eq!(total(s, &a_only, next), 3);
    assert_eq!(total(s, &all, PageReq::first(4)), 13);
    assert_eq!(total(s, &a_only, PageReq::first(4)), 6);
    // An old traversal (begun before most rows) counts the same rows.
    let early = PageReq {
        limit: 4,
        before: None,
        upto: Some(ids[1]),
    };
    assert_eq!(total(s, &all, early), 2);
    assert_eq!(total(s, &a_only, early), 1);
    // A deleted row leaves every total it was in.
    assert!(s.absorb_article(ids[0], ids[1]).unwrap());
    assert_eq!(total(s, &all, PageReq::first(4)), 12);
    assert_eq!(total(s, &a_only, PageReq::first(4)), 5);
    assert_eq!(total(s, &all, next), 9);
    // An outlet nobody has, and a filter without a counter.
    let none = ArticleQuery {
        outlet: Some("Z".into()),
        ..Default::default()
    };
    assert_eq!(total(s, &none, PageReq::first(4)), 0);
    let searched = ArticleQuery {
        outlet: Some("A".into()),
        text: Some("new".into()),
        ..Default::default()
    };
    assert_eq!(total(s, &searched, PageReq::first(4)), 3);

    // Events by type, counted the same way.
    let a = s.article(ids[1]).unwrap().unwrap();
    for seq in 1..=3 {
        s.commit(
            Commit {
                events: vec![events::article_new(now, &a.as_ref(), seq, None)],
                ..Default::default()
            },
            &AllTo(vec![]),
            now,
        )
        .unwrap();
    }
    let new = EventQuery {
        kind: Some("article.new".into()),
        ..Default::default()
    };
    let p = s.list_events(&new, PageReq::first(2)).unwrap();
    assert_eq!((p.total, p.items.len()), (3, 2));
    let other = EventQuery {
        kind: Some("fact.changed".into()),
        ..Default::default()
    };
    assert_eq!(s.list_events(&other, PageReq::first(2)).unwrap().total, 0);
    let of_article = EventQuery {
        kind: Some("article.new".into()),
        article: Some(a.id),
        ..Default::default()
    };
    assert_eq!(
        s.list_events(&of_article, PageReq::first(2)).unwrap().total,
        3
    );
}
