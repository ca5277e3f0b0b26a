//! Sources: what to look at. `page` fetches one URL; `folder` turns every file dropped or
//! changed in a directory into a version of the article named by the file. `feed`, `sitemap`
//! and `urlnorm` are the pure discovery parsers: bytes in, normalised article URLs out.

pub mod discover;
pub mod feed;
pub mod folder;
pub mod page;
pub mod sitemap;
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
}

impl Ctx {
    /// Runs `observe` on a blocking thread and logs the result.
    pub async fn observe(&self, mut obs: Observation) -> Result<Observed, observe::ObserveError> {
        obs.site_rules = self.config.extract.rules.clone();
        let store = self.store.clone();
        let router = self.router.clone();
        let url = obs.url.clone();
        let source = obs.source.clone().unwrap_or_default();
        let res = tokio::task::spawn_blocking(move || {
            observe::observe(store.as_ref(), router.as_ref(), &obs)
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
