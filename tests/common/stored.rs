//! Versions written straight into a store, as the daemon's observe stage writes them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use factdiff::observe::{Observation, Seen, observe};
use factdiff::store::Store;

use super::app::App;

/// Stores one observation of `url` the way the daemon does, except that the text the
/// extractor read is `read` (body, content type) while the raw page kept is `raw`: a version
/// stored by an older extractor that read the page differently. Such versions predate the
/// stored Content-Type (schema V12), so theirs is cleared: `read`'s type is not `raw`'s, and
/// re-processing sniffs the raw page as it does for every version stored before V12. The
/// store must be the app's `store.db`.
pub fn store_read_as(
    app: &App,
    store: &dyn Store,
    outlet: &str,
    url: &str,
    read: (&str, &str),
    raw: &[u8],
    at: DateTime<Utc>,
) {
    let cfg = factdiff::config::Config::load(&app.config).unwrap();
    let routes = factdiff::notify::Router::new(&cfg);
    let obs = Observation {
        source: None,
        outlet: Some(outlet.into()),
        url: url.into(),
        use_canonical: false,
        at,
        seen: Seen::Document {
            body: read.0.to_string(),
            raw: raw.to_vec(),
            content_type: Some(read.1.into()),
            final_url: None,
            etag: None,
            last_modified: None,
            status: Some(200),
        },
        duration_ms: 1,
        failing_after: 3,
        next_check_at: None,
        source_health: false,
        schedule: None,
        site_rules: Arc::new(Vec::new()),
    };
    observe(store, &routes, &factdiff::stories::Stories::new(), &obs).unwrap();
    rusqlite::Connection::open(app.path("store.db"))
        .unwrap()
        .execute(
            "UPDATE versions SET content_type = NULL
             WHERE article_id IN (SELECT id FROM articles WHERE url = ?1)",
            [url],
        )
        .unwrap();
}

/// A page of `tests/fixtures/reprocess/`: versions as an older extractor read them
/// (`old*.txt`) and the raw pages today's extractor reads (`new*.html`).
pub fn reprocess_fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/reprocess")
            .join(name),
    )
    .unwrap()
}
