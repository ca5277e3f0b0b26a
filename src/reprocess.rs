//! Re-processing stored history with today's extractor and recognisers (issue 18): each
//! stored version is re-extracted from its raw page, and the chain of diffs and fact changes
//! recomputed. [`replay`] is pure (the stored rows in, what would change out); the CLI
//! (`factdiff reprocess`) reads the store, reports, and writes the rewrites and events.

use std::collections::HashSet;

use serde_json::Value;

use crate::claims::{self, DocClaims};
use crate::compare;
use crate::extract::{self, Article, rules::SiteRules};
use crate::store::{RawPage, VersionRewrite, VersionRow};

/// One fact change, keyed for comparison between the stored and the recomputed chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct FactKey {
    pub kind: String,
    pub slot: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FactKey {
    /// The key of a `facts[]` item as stored (in a diff or an event payload).
    pub fn of(item: &Value) -> FactKey {
        let side = |k: &str| {
            item.get(k)
                .and_then(|s| s.get("text"))
                .and_then(Value::as_str)
                .map(String::from)
        };
        let s = |k: &str| {
            item.get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        FactKey {
            kind: s("kind"),
            slot: s("slot"),
            before: side("before"),
            after: side("after"),
        }
    }
}

/// A fact change that appears or disappears at one step of an article's history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FactDelta {
    pub from_seq: Option<i64>,
    pub to_seq: i64,
    #[serde(flatten)]
    pub key: FactKey,
    /// The item as today's pipeline writes it (gained) or as stored (lost).
    #[serde(skip)]
    pub item: Value,
}

/// What re-processing one article finds.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ArticleReplay {
    pub article_id: i64,
    /// Versions read.
    #[serde(skip)]
    pub versions: usize,
    /// Versions whose text (content hash) now extracts differently.
    pub reextracted: Vec<i64>,
    /// Versions whose flag (broken extraction) changed.
    pub reflagged: Vec<i64>,
    pub gained: Vec<FactDelta>,
    pub lost: Vec<FactDelta>,
    /// Versions kept as stored: raw page dropped by retention, or no longer extractable.
    pub kept: Vec<i64>,
    /// Derived data to write (only versions where something differs, or whose stored
    /// claims are missing or were extracted under other rules).
    #[serde(skip)]
    pub rewrites: Vec<VersionRewrite>,
    /// Versions rewritten only to store their claims (nothing a reader sees changed).
    #[serde(skip)]
    pub claims_only: usize,
    /// Per step with gained facts: (from, to, diff, gained items), for the events.
    #[serde(skip)]
    pub steps: Vec<(i64, i64, Value, Vec<Value>)>,
}

impl ArticleReplay {
    /// Whether something a reader sees changed (not only the stored claims).
    pub fn changed(&self) -> bool {
        self.rewrites.len() > self.claims_only
    }
}

fn stored_facts(diff: Option<&Value>) -> Vec<Value> {
    diff.and_then(|d| d.get("facts"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Re-extracts `versions` (in seq order, each with its raw page if kept) of the article at
/// `url` and recomputes its chain exactly as `observe` computes it when a version arrives.
/// A raw page is decoded and extracted under the Content-Type it was served with, as the
/// daemon read it; only pages stored without one (before schema V12) are sniffed.
/// The versions are consumed one at a time and only the chain's last sound version is kept,
/// so memory holds one raw page and what changed, however long the history.
pub fn replay(
    article_id: i64,
    url: &str,
    versions: impl IntoIterator<Item = (VersionRow, Option<RawPage>)>,
    rules: &[SiteRules],
) -> ArticleReplay {
    let mut out = ArticleReplay {
        article_id,
        ..Default::default()
    };
    // (seq, article) of the recomputed chain's latest sound (unflagged) version: the base
    // the next version is compared with
    let mut base: Option<(i64, Article, DocClaims)> = None;
    for (v, raw) in versions {
        out.versions += 1;
        let fresh = raw.as_ref().and_then(|raw| {
            let ct = raw.content_type.as_deref();
            let (body, _) = crate::fetch::decode_body(&raw.bytes, ct);
            extract::extract_with(&body, ct, Some(url), rules).ok()
        });
        let article = match fresh {
            Some(a) => a,
            None => {
                out.kept.push(v.seq);
                v.article.clone()
            }
        };
        let flagged = article.broken_reason().map(String::from);
        let doc = claims::extract_claims(&article, None);
        let (significance, diff) = match (&flagged, &base) {
            (Some(_), _) | (None, None) => (None, None),
            (None, Some((_, prev, prev_doc))) => {
                let compare::VersionChange { diff, facts } =
                    compare::version_change_with(prev, &article, || {
                        (prev_doc.clone(), doc.clone())
                    });
                let mut json = serde_json::to_value(&diff).unwrap_or_default();
                json["facts"] = serde_json::to_value(&facts).unwrap_or_default();
                (Some(diff.significance.as_str().to_string()), Some(json))
            }
        };
        let from_seq = base.as_ref().map(|(s, _, _)| *s);
        let old: Vec<Value> = stored_facts(v.diff.as_ref());
        let new: Vec<Value> = stored_facts(diff.as_ref());
        let old_keys: HashSet<FactKey> = old.iter().map(FactKey::of).collect();
        let new_keys: HashSet<FactKey> = new.iter().map(FactKey::of).collect();
        let delta = |item: &Value| FactDelta {
            from_seq,
            to_seq: v.seq,
            key: FactKey::of(item),
            item: item.clone(),
        };
        let gained: Vec<FactDelta> = new
            .iter()
            .filter(|i| !old_keys.contains(&FactKey::of(i)))
            .map(delta)
            .collect();
        out.lost.extend(
            old.iter()
                .filter(|i| !new_keys.contains(&FactKey::of(i)))
                .map(delta),
        );
        if !gained.is_empty()
            && let (Some(from), Some(d)) = (from_seq, &diff)
        {
            let mut d = d.clone();
            if let Some(o) = d.as_object_mut() {
                o.remove("facts");
            }
            out.steps.push((
                from,
                v.seq,
                d,
                gained.iter().map(|g| g.item.clone()).collect(),
            ));
        }
        out.gained.extend(gained);
        let text_changed = article.content_hash() != v.content_hash;
        if text_changed {
            out.reextracted.push(v.seq);
        }
        if flagged != v.flagged {
            out.reflagged.push(v.seq);
        }
        let seen_changed = text_changed
            || flagged != v.flagged
            || significance != v.significance
            || diff != v.diff;
        // claims stored under other rules (or before they were stored) are written again
        let claims_stale = !v.claims.as_deref().is_some_and(claims::stored::is_current);
        if seen_changed {
            out.rewrites.push(VersionRewrite {
                article_id,
                seq: v.seq,
                article: article.clone(),
                flagged: flagged.clone(),
                significance,
                diff,
                claims: Some(claims::stored::encode(&doc.claims)),
            });
        } else if claims_stale {
            // only the claims: the stored row keeps its reading (the same text; metadata
            // such as the publication date, which dates resolve against, may differ)
            let claims = if v.article == article {
                claims::stored::encode(&doc.claims)
            } else {
                claims::stored::encode(&claims::extract_claims(&v.article, None).claims)
            };
            out.claims_only += 1;
            out.rewrites.push(VersionRewrite {
                claims: Some(claims),
                article: v.article.clone(),
                flagged: v.flagged.clone(),
                significance: v.significance.clone(),
                diff: v.diff.clone(),
                article_id,
                seq: v.seq,
            });
        }
        if flagged.is_none() {
            base = Some((v.seq, article, doc));
        }
    }
    out
}
