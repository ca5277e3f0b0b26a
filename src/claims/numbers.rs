//! Number mentions: PROVISIONAL stub, replaced by the number grammar.
use super::NumberMention;

/// Every number mention in `sentence`.
pub fn find_numbers(_sentence: &str) -> Vec<NumberMention> {
    Vec::new()
}
