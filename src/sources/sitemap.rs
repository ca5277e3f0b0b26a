//! PROVISIONAL stub, replaced by the sitemap parser from branch `disc`.
use super::discover::{DiscoverError, Discovered};
pub enum SitemapDoc {
    Urls(Vec<Discovered>),
    Index(Vec<(String, Option<chrono::DateTime<chrono::Utc>>)>),
}
pub fn parse_sitemap(_body: &[u8], _url: &str) -> Result<SitemapDoc, DiscoverError> {
    Err(DiscoverError::Sitemap {
        reason: "stub".into(),
    })
}
