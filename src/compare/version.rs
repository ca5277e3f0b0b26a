//! What a new version of an article means: its diff against the previous sound version and
//! the fact changes in it. One pure function, so the daemon, `factdiff diff` and the
//! revisions benchmark judge a version with exactly the same code.

use crate::claims::{DocClaims, extract_claims};
use crate::diff::{Field, Significance, VersionDiff, diff_articles};
use crate::extract::Article;

use super::facts::{FactChange, fact_changes};

/// The verdict on one version step.
#[derive(Debug, Clone)]
pub struct VersionChange {
    /// Field and sentence changes; empty when nothing a reader sees changed.
    pub diff: VersionDiff,
    /// `fact.changed` items; empty for cosmetic and wording edits.
    pub facts: Vec<FactChange>,
}

impl VersionChange {
    /// The event type this step emits, if any: `fact.changed`, `article.changed` or nothing.
    /// A new `modified` stamp alone is stored with the version but tells a reader nothing.
    pub fn event_type(&self) -> Option<&'static str> {
        let stamp_only = self.diff.sentences.is_empty()
            && self.diff.fields.iter().all(|f| f.field == Field::Modified);
        if !self.facts.is_empty() {
            Some("fact.changed")
        } else if !self.diff.is_empty() && !stamp_only {
            Some("article.changed")
        } else {
            None
        }
    }
}

/// Compares `new` with `prev` (the last version whose extraction was sound).
pub fn version_change(prev: &Article, new: &Article) -> VersionChange {
    version_change_with(prev, new, || {
        (extract_claims(prev, None), extract_claims(new, None))
    })
}

/// [`version_change`] with the claims of both versions from `claims` (asked for only when
/// the texts differ): the daemon passes the previous version's stored claims and the new
/// version's, which it stores too, so neither is extracted twice.
pub fn version_change_with(
    prev: &Article,
    new: &Article,
    claims: impl FnOnce() -> (DocClaims, DocClaims),
) -> VersionChange {
    let mut diff = diff_articles(prev, new);
    let facts = if diff.is_empty() {
        Vec::new()
    } else {
        let (old, new) = claims();
        fact_changes(&old, &new)
    };
    if !facts.is_empty() {
        diff.significance = Significance::Factual;
    }
    VersionChange { diff, facts }
}
