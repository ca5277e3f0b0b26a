//! One observation top to bottom: a fetched (or dropped) document → extract → compare with
//! the stored version → diff → events → one atomic store commit. Synchronous; the daemon
//! runs it on a blocking thread.

use chrono::{DateTime, Utc};

use crate::claims;
use crate::compare;
use crate::events;
use crate::extract::{self, Article};
use crate::store::{
    ArticleRow, ArticleUpdate, Commit, FetchLog, Routes, SourceOutcome, Store, StoreError,
    VersionWrite,
};

/// What was seen at one URL at one time.
#[derive(Debug, Clone)]
pub enum Seen {
    /// A document body (HTML or text).
    Document {
        body: String,
        raw: Vec<u8>,
        content_type: Option<String>,
        final_url: Option<String>,
        etag: Option<String>,
        last_modified: Option<String>,
        status: Option<u16>,
    },
    NotModified,
    Gone {
        status: u16,
    },
    Failed {
        error: String,
        status: Option<u16>,
    },
}

#[derive(Debug, Clone)]
pub struct Observation {
    pub source: Option<String>,
    pub outlet: Option<String>,
    /// The identity requested: a page URL, or a `file://` URL / `--url` for files.
    pub url: String,
    /// Key fetched pages by their `rel=canonical` URL (not for local files).
    pub use_canonical: bool,
    pub at: DateTime<Utc>,
    pub seen: Seen,
    pub duration_ms: u64,
    /// Consecutive failures before `source.failing`.
    pub failing_after: u32,
    pub next_check_at: Option<DateTime<Utc>>,
    /// Whether this result is the source's own health (a page or folder source), or one of
    /// many articles a feed/sitemap listed, whose failures do not make the feed "failing".
    pub source_health: bool,
    /// A leased tracked article's next check, stored with the observation.
    pub schedule: Option<crate::store::ArticleSchedule>,
    /// `[[extract.site]]` rules; the ones for the page's host apply.
    pub site_rules: std::sync::Arc<Vec<crate::extract::rules::SiteRules>>,
}

/// What an observation led to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Observed {
    New {
        article_id: i64,
        seq: i64,
    },
    Changed {
        article_id: i64,
        seq: i64,
        significance: String,
    },
    /// A new version whose extraction looks broken: stored, flagged, no event.
    Flagged {
        article_id: i64,
        seq: i64,
        reason: String,
    },
    Unchanged {
        article_id: i64,
    },
    NotModified,
    Removed {
        article_id: Option<i64>,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ObserveError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Processes one observation. Retries once on a concurrent-version conflict. A new sound
/// version then goes on to its story (`stories`): a failure there is logged, not returned —
/// the version is stored, and the article is clustered again by
/// [`crate::stories::Stories::cluster_pending`].
pub fn observe(
    store: &dyn Store,
    routes: &dyn Routes,
    stories: &crate::stories::Stories,
    obs: &Observation,
) -> Result<Observed, ObserveError> {
    let mut stored = None;
    let res = match observe_once(store, routes, obs, &mut stored) {
        Err(ObserveError::Store(StoreError::Conflict { .. })) => {
            stored = None;
            observe_once(store, routes, obs, &mut stored)
        }
        other => other,
    }?;
    // The stories stage gets the version just stored, so it reads nothing back.
    if let Observed::New { article_id, seq }
    | Observed::Changed {
        article_id, seq, ..
    } = &res
        && let Some((row, article, claims)) = &stored
        && let Err(e) = stories.version_stored(
            store,
            routes,
            row,
            crate::stories::StoredVersion {
                seq: *seq,
                article,
                claims: Some(claims),
            },
            obs.at,
        )
    {
        tracing::warn!(article = article_id, url = %obs.url, "story update failed (retried later): {e}");
        crate::web::metrics::store_error("story");
    }
    Ok(res)
}

fn source_ok(obs: &Observation) -> Option<SourceOutcome> {
    obs.source
        .as_ref()
        .filter(|_| obs.source_health)
        .map(|name| SourceOutcome {
            name: name.clone(),
            error: None,
            threshold: obs.failing_after,
            next_check_at: obs.next_check_at,
        })
}

fn fetch_log(
    obs: &Observation,
    outcome: &'static str,
    status: Option<u16>,
    error: Option<String>,
) -> Option<(Option<String>, FetchLog)> {
    Some((
        obs.source.clone(),
        FetchLog {
            url: obs.url.clone(),
            outcome,
            status,
            error,
            duration_ms: obs.duration_ms,
        },
    ))
}

fn failure(
    store: &dyn Store,
    routes: &dyn Routes,
    obs: &Observation,
    error: String,
    status: Option<u16>,
) -> Result<Observed, ObserveError> {
    let article = store.article_by_url(&obs.url)?;
    let commit = Commit {
        fetch: fetch_log(obs, "failed", status, Some(error.clone())),
        source: obs
            .source
            .as_ref()
            .filter(|_| obs.source_health)
            .map(|name| SourceOutcome {
                name: name.clone(),
                error: Some(error.clone()),
                threshold: obs.failing_after,
                next_check_at: obs.next_check_at,
            }),
        article: article.map(|a| ArticleUpdate {
            article_id: a.id,
            ..Default::default()
        }),
        ..Default::default()
    };
    store.commit(
        Commit {
            schedule: obs.schedule,
            ..commit
        },
        routes,
        obs.at,
    )?;
    Ok(Observed::Failed { error })
}

/// `stored` receives a new sound version's article (as read before the commit), its text
/// and its claims as stored.
fn observe_once(
    store: &dyn Store,
    routes: &dyn Routes,
    obs: &Observation,
    stored: &mut Option<(ArticleRow, Article, Vec<u8>)>,
) -> Result<Observed, ObserveError> {
    match &obs.seen {
        Seen::Failed { error, status } => failure(store, routes, obs, error.clone(), *status),
        Seen::NotModified => {
            let article = store.article_by_url(&obs.url)?;
            let commit = Commit {
                fetch: fetch_log(obs, "not_modified", Some(304), None),
                source: source_ok(obs),
                article: article.map(|a| ArticleUpdate {
                    article_id: a.id,
                    ..Default::default()
                }),
                ..Default::default()
            };
            store.commit(
                Commit {
                    schedule: obs.schedule,
                    ..commit
                },
                routes,
                obs.at,
            )?;
            Ok(Observed::NotModified)
        }
        Seen::Gone { status } => {
            let article = store.article_by_url(&obs.url)?;
            let mut events = Vec::new();
            if let Some(a) = &article
                && a.version_count > 0
                && a.removed_at.is_none()
            {
                events.push(events::article_removed(
                    obs.at,
                    &a.as_ref(),
                    a.version_count,
                    *status,
                ));
            }
            let commit = Commit {
                fetch: fetch_log(obs, "gone", Some(*status), None),
                source: source_ok(obs),
                article: article.as_ref().map(|a| ArticleUpdate {
                    article_id: a.id,
                    removed: true,
                    ..Default::default()
                }),
                events,
                ..Default::default()
            };
            store.commit(
                Commit {
                    schedule: obs.schedule,
                    ..commit
                },
                routes,
                obs.at,
            )?;
            Ok(Observed::Removed {
                article_id: article.map(|a| a.id),
            })
        }
        Seen::Document {
            body,
            raw,
            content_type,
            final_url,
            etag,
            last_modified,
            status,
        } => {
            let base = final_url.as_deref().unwrap_or(&obs.url);
            let article = match extract::extract_with(
                body,
                content_type.as_deref(),
                Some(base),
                &obs.site_rules,
            ) {
                Ok(a) => a,
                Err(e) => {
                    return failure(
                        store,
                        routes,
                        obs,
                        format!("extraction failed: {e}"),
                        *status,
                    );
                }
            };
            document(
                store,
                routes,
                obs,
                article,
                (raw, content_type.as_deref()),
                etag.clone(),
                last_modified.clone(),
                final_url.clone(),
                *status,
                stored,
            )
        }
    }
}

/// The article key: the canonical URL for fetched pages when it stays on the same host.
fn article_key(obs: &Observation, article: &Article, final_url: Option<&str>) -> String {
    if obs.use_canonical {
        let fetched = final_url.unwrap_or(&obs.url);
        if let (Some(c), Ok(f)) = (article.canonical_url.as_deref(), url::Url::parse(fetched))
            && let Ok(cu) = url::Url::parse(c)
            && matches!(cu.scheme(), "http" | "https")
            && cu.host_str() == f.host_str()
        {
            return cu.to_string();
        }
        return fetched.to_string();
    }
    obs.url.clone()
}

#[allow(clippy::too_many_arguments)]
fn document(
    store: &dyn Store,
    routes: &dyn Routes,
    obs: &Observation,
    article: Article,
    (raw, content_type): (&[u8], Option<&str>),
    etag: Option<String>,
    last_modified: Option<String>,
    final_url: Option<String>,
    status: Option<u16>,
    stored: &mut Option<(ArticleRow, Article, Vec<u8>)>,
) -> Result<Observed, ObserveError> {
    let key = article_key(obs, &article, final_url.as_deref());
    let by_url = store.article_by_url(&obs.url)?;
    let by_key = match &by_url {
        Some(r) if r.url == key => None,
        _ => store.article_by_url(&key)?,
    };
    let row = match (by_url, by_key) {
        // Listed under two URLs, one canonical: one article. The empty duplicate folds into
        // the canonical record (a duplicate with history stays, and is only aliased).
        (Some(dup), Some(canon)) if dup.id != canon.id => {
            if store.absorb_article(dup.id, canon.id)? {
                tracing::debug!(from = %dup.url, into = %canon.url, "merged duplicate article by rel=canonical");
                canon
            } else {
                dup
            }
        }
        (Some(r), _) => r,
        (None, Some(r)) => r,
        (None, None) => {
            store.create_article(&key, obs.outlet.as_deref(), obs.source.as_deref(), obs.at)?
        }
    };
    let mut aliases: Vec<String> = [Some(obs.url.clone()), final_url.clone(), Some(key.clone())]
        .into_iter()
        .flatten()
        .filter(|u| *u != row.url)
        .collect();
    aliases.dedup();
    let update = ArticleUpdate {
        article_id: row.id,
        etag,
        last_modified,
        removed: false,
        aliases,
        page_modified: article.modified.map(|m| m.to_rfc3339()),
    };
    let versions = store.versions(row.id)?;
    let latest = versions.last();
    let hash = article.content_hash();
    // a version stored before titles were extracted is compared without the title
    let same = latest.is_some_and(|v| {
        v.content_hash == hash
            || (v.article.title.is_none() && v.content_hash == article.content_hash_without_title())
    });

    if same {
        let commit = Commit {
            fetch: fetch_log(obs, "unchanged", status, None),
            source: source_ok(obs),
            article: Some(update),
            ..Default::default()
        };
        store.commit(
            Commit {
                schedule: obs.schedule,
                ..commit
            },
            routes,
            obs.at,
        )?;
        return Ok(Observed::Unchanged { article_id: row.id });
    }

    let seq = latest.map_or(1, |v| v.seq + 1);
    let flagged = article.broken_reason().map(String::from);
    // Compare with the last version whose extraction was sound.
    let base = versions.iter().rev().find(|v| v.flagged.is_none());
    let mut a_ref = row.as_ref();
    a_ref.headline = article.headline.clone().or(a_ref.headline);
    let mut events = Vec::new();
    // Every version's claims are stored with it, so diffs and the next version's comparison
    // read them instead of extracting them again (a flagged version's too: it can be diffed).
    let new_claims = claims::extract_claims(&article, None);
    let stored_claims = claims::stored::encode(&new_claims.claims);
    let (result, significance, diff_json) = match (&flagged, base) {
        (Some(reason), _) => (
            Observed::Flagged {
                article_id: row.id,
                seq,
                reason: reason.clone(),
            },
            None,
            None,
        ),
        (None, None) => {
            events.push(events::article_new(
                obs.at,
                &a_ref,
                seq,
                obs.source.as_deref(),
            ));
            (
                Observed::New {
                    article_id: row.id,
                    seq,
                },
                None,
                None,
            )
        }
        (None, Some(prev)) => {
            // the previous version's claims as stored with it (extracted if absent or
            // written under other rules); the new version's are stored below
            let change = compare::version_change_with(&prev.article, &article, move || {
                (
                    claims::stored::doc_claims(&prev.article, prev.claims.as_deref()),
                    new_claims,
                )
            });
            let kind = change.event_type();
            let compare::VersionChange { diff: d, facts } = change;
            let sig = d.significance.as_str().to_string();
            let diff_json = serde_json::to_value(&d).unwrap_or_default();
            let facts_json = serde_json::to_value(&facts).unwrap_or_default();
            if kind == Some("fact.changed") {
                events.push(events::fact_changed(
                    obs.at,
                    &a_ref,
                    prev.seq,
                    seq,
                    diff_json.clone(),
                    facts_json.clone(),
                ));
            } else if kind == Some("article.changed") {
                events.push(events::article_changed(
                    obs.at,
                    &a_ref,
                    prev.seq,
                    seq,
                    &sig,
                    diff_json.clone(),
                ));
            }
            // The stored diff carries its facts, for `history` and `diff`.
            let mut json = diff_json;
            json["facts"] = facts_json;
            (
                Observed::Changed {
                    article_id: row.id,
                    seq,
                    significance: sig.clone(),
                },
                Some(sig),
                Some(json),
            )
        }
    };
    if flagged.is_none() {
        *stored = Some((row.clone(), article.clone(), stored_claims.clone()));
    }
    let commit = Commit {
        fetch: fetch_log(obs, "new_version", status, None),
        source: source_ok(obs),
        article: Some(update),
        version: Some(VersionWrite {
            article_id: row.id,
            seq,
            article,
            raw: Some(raw.to_vec()),
            content_type: content_type.map(String::from),
            flagged,
            significance,
            diff: diff_json,
            claims: Some(stored_claims),
        }),
        events,
        schedule: obs.schedule,
    };
    store.commit(commit, routes, obs.at)?;
    Ok(result)
}
