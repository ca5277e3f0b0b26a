//! PROVISIONAL stub, replaced by the feed parser from branch `disc`.
use super::discover::{DiscoverError, Discovered};
pub fn parse_feed(_body: &[u8], _feed_url: &str) -> Result<Vec<Discovered>, DiscoverError> {
    Err(DiscoverError::Feed {
        reason: "stub".into(),
    })
}
