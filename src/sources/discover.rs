//! What feeds and sitemaps yield: article URLs with the metadata the listing gave.

/// One article URL found in a feed or sitemap, with the metadata the feed gave (hints only).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Discovered {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoverError {
    #[error("not a feed: {reason}")]
    Feed { reason: String },
    #[error("not a sitemap: {reason}")]
    Sitemap { reason: String },
}
