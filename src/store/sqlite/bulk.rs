//! Bulk writes: many articles and commits in one SQLite transaction.
//!
//! A store of 100,000 articles written one [`Store::commit`] at a time pays a transaction, a
//! lock and WAL frames per commit; a bulk load (the web benchmark's store, an import) runs the
//! very same statements ([`create_article_in`], [`commit_in`]) inside one transaction, so the
//! rows are those the API writes, and a failure leaves nothing behind.

use chrono::{DateTime, Utc};

use super::{SqliteStore, commit_in, create_article_in};
use crate::store::*;

/// The open transaction of [`SqliteStore::bulk`].
pub struct Bulk<'a> {
    tx: rusqlite::Transaction<'a>,
}

impl Bulk<'_> {
    /// As [`Store::create_article`].
    pub fn create_article(
        &mut self,
        url: &str,
        outlet: Option<&str>,
        source: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ArticleRow> {
        create_article_in(&self.tx, url, outlet, source, at)
    }

    /// As [`Store::commit`].
    pub fn commit(
        &mut self,
        commit: Commit,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed> {
        commit_in(&self.tx, &commit, routes, at)
    }
}

impl SqliteStore {
    /// Runs `f` in one transaction, committed when it returns `Ok`, rolled back otherwise.
    /// Other users of the store wait meanwhile: for loading, not for the daemon.
    pub fn bulk<R>(&self, f: impl FnOnce(&mut Bulk<'_>) -> Result<R>) -> Result<R> {
        let mut c = self.conn();
        let mut bulk = Bulk {
            tx: c.transaction()?,
        };
        let out = f(&mut bulk)?;
        bulk.tx.commit()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Article;

    struct Everywhere;
    impl Routes for Everywhere {
        fn targets(&self, _: &str) -> Vec<String> {
            vec!["hook".into()]
        }
    }

    fn article(headline: &str, text: &str) -> Article {
        Article {
            headline: Some(headline.into()),
            paragraphs: vec![text.into(), "A second paragraph stays.".into()],
            ..Default::default()
        }
    }

    /// Article `i`'s versions as commits (events with fixed ids, so both stores get the same).
    fn commits(row: &ArticleRow, i: usize, at: DateTime<Utc>) -> Vec<(Commit, DateTime<Utc>)> {
        (1..=3)
            .map(|seq: i64| {
                let a = article(
                    &format!("Story {i} <b>{seq}</b>"),
                    &format!("Officials said {} people were hurt.", 10 * i as i64 + seq),
                );
                let when = at + chrono::Duration::hours(seq);
                let mut e = if seq == 1 {
                    crate::events::article_new(when, &row.as_ref(), seq, None)
                } else {
                    crate::events::article_changed(
                        when,
                        &row.as_ref(),
                        seq - 1,
                        seq,
                        "wording",
                        serde_json::json!({"sentences": []}),
                    )
                };
                e.id = format!("event-{i}-{seq}");
                e.payload["id"] = e.id.clone().into();
                let c = Commit {
                    article: Some(ArticleUpdate {
                        article_id: row.id,
                        etag: Some(format!("\"{i}-{seq}\"")),
                        ..Default::default()
                    }),
                    version: Some(VersionWrite {
                        article_id: row.id,
                        seq,
                        article: a,
                        raw: Some(format!("<p>page {i} {seq}</p>").into_bytes()),
                        content_type: None,
                        flagged: None,
                        significance: (seq > 1).then(|| "wording".to_string()),
                        diff: (seq > 1).then(|| serde_json::json!({"sentences": []})),
                        claims: Some(vec![1, 2, 3, seq as u8]),
                    }),
                    events: vec![e],
                    ..Default::default()
                };
                (c, when)
            })
            .collect()
    }

    /// Every row of every table (FTS shadow tables and counters included), as text; not the
    /// migration history, which records when each store was opened.
    fn dump(path: &std::path::Path) -> Vec<String> {
        let c = rusqlite::Connection::open(path).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'refinery_schema_history' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut out = Vec::new();
        for t in tables {
            // virtual tables are read through their shadow tables
            if c.prepare(&format!("SELECT * FROM \"{t}\" LIMIT 0"))
                .is_err()
            {
                continue;
            }
            let mut st = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = st.column_count();
            let mut rows = st.query([]).unwrap();
            while let Some(r) = rows.next().unwrap() {
                let cols: Vec<String> = (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into(),
                        v => format!("{v:?}"),
                    })
                    .collect();
                out.push(format!("{t}: {}", cols.join(" | ")));
            }
        }
        out.sort();
        out
    }

    /// The bulk path writes exactly the rows that one `create_article` and one `commit` per
    /// call write (articles, versions, events, fact-change index, outbox, counters, search).
    #[test]
    fn a_bulk_load_writes_the_rows_the_store_api_writes() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = chrono::DateTime::parse_from_rfc3339("2026-05-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let one = dir.path().join("one.db");
        let bulk = dir.path().join("bulk.db");
        {
            let s = SqliteStore::open(&one).unwrap();
            for i in 0..12 {
                let at = t0 + chrono::Duration::minutes(i as i64);
                let url = format!("https://o{}.example/n/{i}", i % 3);
                let row = s
                    .create_article(&url, Some(&format!("Outlet {}", i % 3)), None, at)
                    .unwrap();
                for (c, when) in commits(&row, i, at) {
                    s.commit(c, &Everywhere, when).unwrap();
                }
            }
        }
        {
            let s = SqliteStore::open(&bulk).unwrap();
            s.bulk(|b| {
                for i in 0..12 {
                    let at = t0 + chrono::Duration::minutes(i as i64);
                    let url = format!("https://o{}.example/n/{i}", i % 3);
                    let row =
                        b.create_article(&url, Some(&format!("Outlet {}", i % 3)), None, at)?;
                    for (c, when) in commits(&row, i, at) {
                        b.commit(c, &Everywhere, when)?;
                    }
                }
                Ok(())
            })
            .unwrap();
        }
        let (a, b) = (dump(&one), dump(&bulk));
        assert!(a.iter().any(|r| r.starts_with("versions:")));
        assert!(a.iter().any(|r| r.starts_with("outbox:")));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y);
        }
    }

    /// A failure inside the load rolls all of it back.
    #[test]
    fn a_failed_bulk_load_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let at = Utc::now();
        let r = s.bulk(|b| {
            let row = b.create_article("https://x.example/1", None, None, at)?;
            let mut c = commits(&row, 1, at);
            // seq 2 before seq 1: a conflict
            c.swap(0, 1);
            for (c, when) in c {
                b.commit(c, &Everywhere, when)?;
            }
            Ok(())
        });
        assert!(matches!(r, Err(StoreError::Conflict { .. })));
        assert!(s.article_by_url("https://x.example/1").unwrap().is_none());
    }
}
