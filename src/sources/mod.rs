//! Sources: what to look at. `page` fetches one URL; `feed` and `sitemap` sources are
//! *listings* whose article URLs are tracked ([`listing`]) and then re-checked on their own
//! decaying schedule ([`tracked`]); `folder` turns every file dropped or changed in a
//! directory into a version of the article named by the file. `feed`, `sitemap` and
//! `urlnorm` are the pure discovery parsers: bytes in, normalised article URLs out.

pub mod discover;
pub mod feed;
pub mod folder;
pub mod listing;
pub mod page;
pub mod sitemap;
pub mod tracked;
pub mod urlnorm;

use std::sync::Arc;

use crate::config::Config;
use crate::notify::Router;
use crate::observe::{self, Observation, Observed};
use crate::store::Store;

/// What every source task needs: the store, the routing of events, the fetcher.
#[derive(Clone)]
pub struct Ctx {
    pub store: Arc<dyn Store>,
    pub router: Arc<Router>,
    pub fetcher: crate::fetch::Fetcher,
    pub config: Arc<Config>,
    /// Woken after each commit so the delivery worker does not wait for its poll.
    pub wake: Arc<tokio::sync::Notify>,
    /// Woken when a listing found new or updated articles, so they are fetched at once.
    pub discovered: Arc<tokio::sync::Notify>,
    /// Stories across outlets (the in-memory index over the store's story tables).
    pub stories: Arc<crate::stories::Stories>,
}

/// A fetch outcome as the observation records it.
pub fn seen_from(outcome: crate::fetch::Outcome) -> crate::observe::Seen {
    use crate::fetch::Outcome;
    use crate::observe::Seen;
    match outcome {
        Outcome::New(f) => Seen::Document {
            body: f.body_text,
            raw: f.raw,
            content_type: f.content_type,
            final_url: Some(f.final_url),
            etag: f.validators.etag,
            last_modified: f.validators.last_modified,
            status: Some(f.status),
        },
        Outcome::NotModified => Seen::NotModified,
        Outcome::Gone { status } => Seen::Gone { status },
        Outcome::Failed(e) => Seen::Failed {
            status: match &e {
                crate::fetch::FetchError::HttpStatus { status, .. } => Some(*status),
                _ => None,
            },
            error: e.to_string(),
        },
    }
}

/// Runs a short store call on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    store: &Arc<dyn Store>,
    f: impl FnOnce(&dyn Store) -> T + Send + 'static,
) -> T {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .expect("store task panicked")
}

impl Ctx {
    /// Runs `observe` on a blocking thread and logs the result.
    pub async fn observe(&self, mut obs: Observation) -> Result<Observed, observe::ObserveError> {
        obs.site_rules = self.config.extract.rules.clone();
        let store = self.store.clone();
        let router = self.router.clone();
        let stories = self.stories.clone();
        let url = obs.url.clone();
        let source = obs.source.clone().unwrap_or_default();
        let res = tokio::task::spawn_blocking(move || {
            observe::observe(store.as_ref(), router.as_ref(), &stories, &obs)
        })
        .await
        .expect("observe task panicked");
        match &res {
            Ok(Observed::Failed { error }) => tracing::warn!(source, url, "check failed: {error}"),
            Ok(o) => tracing::debug!(source, url, result = ?o, "checked"),
            Err(e) => tracing::error!(source, url, "store error: {e}"),
        }
        self.wake.notify_one();
        res
    }
}

#[cfg(test)]
mod discover_corpus;
