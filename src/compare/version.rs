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
    version_change_chained(prev, &mut None, new).0
}

/// [`version_change`] for a chain read in order (re-processing a history): `prev_claims`
/// holds `prev`'s claims when an earlier step read them (and is filled when this step reads
/// them); `new`'s claims come back when this step read them, for the next step. Each
/// version's claims are then read once instead of twice — the recognisers are most of a
/// step's cost.
pub fn version_change_chained(
    prev: &Article,
    prev_claims: &mut Option<DocClaims>,
    new: &Article,
) -> (VersionChange, Option<DocClaims>) {
    let mut diff = diff_articles(prev, new);
    let (facts, new_claims) = if diff.is_empty() {
        (Vec::new(), None)
    } else {
        let old = prev_claims.get_or_insert_with(|| extract_claims(prev, None));
        let new_claims = extract_claims(new, None);
        (fact_changes(old, &new_claims), Some(new_claims))
    };
    if !facts.is_empty() {
        diff.significance = Significance::Factual;
    }
    (VersionChange { diff, facts }, new_claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(paras: &[&str]) -> Article {
        Article {
            headline: Some("Ferry budget for Town7".into()),
            paragraphs: paras.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    /// Reusing a step's claims for the next one changes nothing in what the steps find.
    #[test]
    fn chained_steps_find_what_single_steps_find() {
        let chain = [
            article(&["The council said 40 residents wrote about the ferry on Tuesday."]),
            article(&["The council said 43 residents wrote about the ferry on Tuesday."]),
            article(&["The council said 43 residents wrote about the ferry on Tuesday."]),
            article(&["The council said 46 residents wrote about the ferry on Friday."]),
        ];
        let mut prev_claims = None;
        for w in chain.windows(2) {
            let single = version_change(&w[0], &w[1]);
            let (chained, read) = version_change_chained(&w[0], &mut prev_claims, &w[1]);
            assert_eq!(chained.diff, single.diff);
            assert_eq!(chained.facts, single.facts);
            if single.diff.is_empty() {
                assert!(read.is_none(), "an unchanged step reads no claims");
            } else {
                assert!(!single.facts.is_empty());
                assert_eq!(read.as_ref(), Some(&extract_claims(&w[1], None)));
            }
            prev_claims = read;
        }
    }

    /// Claims handed in are taken as `prev`'s: stale ones would show, so callers must pass
    /// only the claims of the very article they pass as `prev`.
    #[test]
    fn claims_handed_in_are_used_for_prev() {
        let a = article(&["The council said 40 residents wrote about the ferry."]);
        let b = article(&["The council said 43 residents wrote about the ferry."]);
        let mut same = Some(extract_claims(&b, None));
        let (change, _) = version_change_chained(&a, &mut same, &b);
        assert!(
            change.facts.is_empty(),
            "b's own claims as prev: no fact changes"
        );
        assert!(!version_change(&a, &b).facts.is_empty());
    }
}
