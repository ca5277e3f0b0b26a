//! Date mentions: PROVISIONAL stub, replaced by the date resolver.
use super::{DateContext, DateMention};

/// Every date mention in `sentence`, resolved against the publication date when given.
pub fn find_dates(_sentence: &str, _ctx: Option<&DateContext>) -> Vec<DateMention> {
    Vec::new()
}
