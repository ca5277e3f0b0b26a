//! Article search's candidate query: the rarest trigrams of the search text.
//!
//! The FTS5 trigram index answers a substring as a phrase of all its trigrams, so a query
//! such as `outlet3.example/news/4242` walks the doclists of `out`, `exa`, `new`… which hold
//! every article: milliseconds of CPU per query on a large store, twice per page (the page
//! and its total). Any subset of the trigrams still finds every row that contains the text
//! (a superset of the phrase's rows), and `LIKE` stays the exact test, so results do not
//! change; the few rarest trigrams find almost only the rows that match. How rare each
//! trigram is comes from the index's own vocabulary (`fts5vocab`), read in the background
//! and kept for a while: stale figures only make a query slower, never different.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

/// How many trigrams a candidate query intersects: the rarest three narrow a text to a few
/// rows; more doclists cost more than they remove.
pub const MAX_TRIGRAMS: usize = 3;

/// How long a reading of the vocabulary is used before it is read again.
const STATS_TTL: Duration = Duration::from_secs(600);

/// Documents per trigram of the search index, as read at `at`.
pub struct TrigramStats {
    df: HashMap<String, u32>,
    at: Instant,
}

impl TrigramStats {
    /// Reads every trigram's document count from `c`'s `articles_search` index (one pass
    /// over the index: a few hundred ms on 100,000 articles, hence in the background).
    pub fn read(c: &Connection) -> rusqlite::Result<Self> {
        c.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_search_terms
             USING fts5vocab(main, 'articles_search', 'row')",
        )?;
        let mut st = c.prepare("SELECT term, doc FROM temp.articles_search_terms")?;
        let df = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(TrigramStats {
            df,
            at: Instant::now(),
        })
    }

    #[cfg(test)]
    fn of(pairs: &[(&str, u32)]) -> Self {
        TrigramStats {
            df: pairs.iter().map(|(t, n)| (t.to_string(), *n)).collect(),
            at: Instant::now(),
        }
    }
}

/// The FTS5 query for rows that may contain `text`: its [`MAX_TRIGRAMS`] rarest trigrams
/// ANDed when `stats` are known (a trigram the index has never seen counts as the rarest),
/// else the whole text as one phrase. `text` has at least 3 characters.
pub fn candidate_query(text: &str, stats: Option<&TrigramStats>) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let Some(stats) = stats else {
        return quote(text);
    };
    // the tokenizer folds case; lower case finds the vocabulary's spelling
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    grams.sort();
    grams.dedup();
    if grams.is_empty() {
        return quote(text);
    }
    grams.sort_by_key(|g| (stats.df.get(g).copied().unwrap_or(0), g.clone()));
    grams.truncate(MAX_TRIGRAMS);
    grams
        .iter()
        .map(|g| quote(g))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The store's current [`TrigramStats`], read again in a background thread when missing or
/// older than [`STATS_TTL`] (a query meanwhile uses the older figures or the phrase).
#[derive(Default)]
pub struct Trigrams {
    state: Mutex<(Option<Arc<TrigramStats>>, bool)>,
}

impl Trigrams {
    /// The figures to use now; starts a refresh from the database file `path` when due.
    pub fn current(self: &Arc<Self>, path: Option<PathBuf>) -> Option<Arc<TrigramStats>> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let due = st.0.as_ref().is_none_or(|s| s.at.elapsed() > STATS_TTL);
        if due
            && !st.1
            && let Some(path) = path
        {
            {
                st.1 = true;
                let me = self.clone();
                std::thread::spawn(move || {
                    let got = Connection::open_with_flags(
                        &path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )
                    .and_then(|c| TrigramStats::read(&c));
                    let mut st = me.state.lock().unwrap_or_else(|p| p.into_inner());
                    match got {
                        Ok(s) => st.0 = Some(Arc::new(s)),
                        Err(e) => tracing::warn!("search index statistics not read: {e}"),
                    }
                    st.1 = false;
                });
            }
        }
        st.0.clone()
    }

    /// Reads the figures now, on `c` (tests, and callers that want them at once).
    pub fn refresh_now(&self, c: &Connection) -> rusqlite::Result<()> {
        let s = TrigramStats::read(c)?;
        self.state.lock().unwrap_or_else(|p| p.into_inner()).0 = Some(Arc::new(s));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rarest_trigrams_are_intersected() {
        let stats = TrigramStats::of(&[
            ("out", 1000),
            ("utl", 1000),
            ("tle", 1000),
            ("let", 1000),
            ("et3", 50),
            ("t3/", 40),
            ("3/4", 9),
            ("/42", 12),
        ]);
        // "42" never seen: rarest; then the fewest documents
        assert_eq!(
            candidate_query("Outlet3/42x", Some(&stats)),
            r#""42x" AND "3/4" AND "/42""#
        );
        assert_eq!(
            candidate_query("outlet", Some(&stats)),
            r#""let" AND "out" AND "tle""#
        );
        // without figures: the whole text as a phrase, quotes doubled
        assert_eq!(candidate_query(r#"say "hi""#, None), r#""say ""hi""""#);
        // a quote inside a trigram is doubled too
        assert_eq!(candidate_query(r#"a"b"#, Some(&stats)), r#""a""b""#);
    }

    /// With the figures read, a search intersects a few trigrams, which rows without the
    /// text can hold too (in another order, or one in the URL and one in the headline):
    /// LIKE still decides, so the rows are the scan's.
    #[test]
    fn searching_by_rare_trigrams_finds_what_the_scan_finds() {
        use crate::store::{ArticleQuery, PageReq, SqliteStore, Store};
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
        let now = chrono::Utc::now();
        for i in 0..300 {
            let url = format!("https://outlet{}.example/news/{i}", i % 7);
            store.create_article(&url, Some("X"), None, now).unwrap();
        }
        // every trigram of "news/4242" but not the text itself
        store
            .create_article("https://z.example/242/news/424", None, None, now)
            .unwrap();
        store
            .create_article("https://outlet3.example/news/4242", None, None, now)
            .unwrap();
        store
            .create_article("https://outlet3.example/NEWS/42424", None, None, now)
            .unwrap();
        let find = |text: &str| {
            let q = ArticleQuery {
                text: Some(text.into()),
                ..Default::default()
            };
            let page = store.list_articles(&q, PageReq::first(400)).unwrap();
            assert_eq!(page.total, page.items.len() as i64);
            let mut u: Vec<String> = page.items.into_iter().map(|a| a.url).collect();
            u.sort();
            u
        };
        let queries = ["news/4242", "/242/", "outlet3", "example/news/1", "xyz"];
        let before: Vec<Vec<String>> = queries.iter().map(|q| find(q)).collect();
        store.trigrams.refresh_now(&store.conn()).unwrap();
        let stats = store.trigrams.current(None).unwrap();
        assert!(stats.df["exa"] >= 300, "{:?}", stats.df.get("exa"));
        // the candidate query is now a few rare trigrams, not the phrase
        let cq = candidate_query("news/4242", Some(&stats));
        assert_eq!(cq.matches(" AND ").count(), MAX_TRIGRAMS - 1, "{cq}");
        let after: Vec<Vec<String>> = queries.iter().map(|q| find(q)).collect();
        assert_eq!(before, after);
        assert_eq!(
            after[0],
            [
                "https://outlet3.example/NEWS/42424",
                "https://outlet3.example/news/4242"
            ]
        );
    }
}
