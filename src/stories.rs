//! Stage after `observe`: stories across outlets and what they disagree on.
//!
//! Each new sound version of an article is clustered into a story ([`compare::stories`]), the
//! story's outlets are compared ([`compare::conflicts`]), and the findings worth telling are
//! reconciled with those already reported: a new or changed disagreement emits
//! `claim.conflict`, one that went away emits `claim.resolved`, and an unchanged one emits
//! nothing — so re-processing the same versions never re-emits.
//!
//! The store is the truth: story membership, manual merge/split links and reported findings
//! live in it, and the in-memory [`StoryIndex`] is a cache rebuilt from it. Every write is
//! conditional on the store's story revision (optimistic concurrency), so a `factdiff story
//! merge` or `ingest` in another process while the daemon runs is picked up, never
//! overwritten: a process that finds the revision moved catches up with the rows written
//! since, and redoes its step.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::claims::{self, DocClaims};
use crate::compare::conflicts::{self, Finding, Outcome, OutletDoc};
use crate::compare::stories::{DocId, StoryDoc, StoryId, StoryIndex, features};
use crate::events::{self, Event, StoryRef};
use crate::store::{
    Committed, FindingsWrite, Routes, Store, StoreError, StoredFinding, StoryMember, StoryWrite,
};

/// Findings at or above this severity are notified (tension, disputed, conflict only); the
/// rest are shown by `factdiff story` but never pushed. A low tension such as "15 years" vs
/// "for decades" scores well below it.
pub const NOTIFY_MIN_SEVERITY: f32 = 0.2;

/// Stories older than this (by publication) are not loaded into memory: they can no longer
/// take new articles (the index's time window is 30 days).
const LOAD_DAYS: i64 = 60;

/// Conditional writes retried this often before giving up (only under heavy contention).
const RETRIES: usize = 8;

/// Claims cached per (article, seq); cleared when it grows past this.
const CLAIMS_CACHE: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum StoryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no story {0} (see `factdiff stories`)")]
    NoStory(i64),
    #[error("article {0} is not in any story yet")]
    NotInStory(i64),
}

/// What clustering one article did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Clustered {
    pub article_id: i64,
    pub story_id: i64,
    pub joined: bool,
    pub wire_copy_of: Option<i64>,
    /// The story it left (a new version that moved it, never a manual link).
    pub left: Option<i64>,
    /// Events emitted by re-comparing the affected stories.
    pub events: usize,
}

struct Inner {
    index: StoryIndex,
    rev: i64,
    loaded: bool,
    claims: HashMap<(i64, i64), Arc<DocClaims>>,
    evicted_at: Option<DateTime<Utc>>,
}

/// The stories stage; one per process, shared by its tasks.
pub struct Stories {
    inner: Mutex<Inner>,
}

impl Default for Stories {
    fn default() -> Self {
        Self::new()
    }
}

/// When an article's facts are dated from: its published time, else when it was first seen
/// (a saved page ingested with `--at`).
fn published_of(article: &crate::extract::Article, first_seen: &str) -> DateTime<FixedOffset> {
    article.published.unwrap_or_else(|| {
        DateTime::parse_from_rfc3339(first_seen)
            .unwrap_or_else(|_| Utc::now().fixed_offset())
    })
}

/// The outlet an article is compared as: the configured one, else the site's host.
fn outlet_of(row: &crate::store::ArticleRow) -> String {
    row.outlet.clone().unwrap_or_else(|| {
        url::Url::parse(&row.url)
            .ok()
            .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").to_string()))
            .unwrap_or_else(|| "unknown".into())
    })
}

impl Stories {
    pub fn new() -> Self {
        Stories {
            inner: Mutex::new(Inner {
                index: StoryIndex::new(),
                rev: 0,
                loaded: false,
                claims: HashMap::new(),
                evicted_at: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies what other processes wrote since this one last looked.
    fn catch_up(inner: &mut Inner, store: &dyn Store, now: DateTime<Utc>) -> Result<(), StoreError> {
        let not_before = (!inner.loaded).then(|| now - Duration::days(LOAD_DAYS));
        let sync = store.story_sync(inner.rev, not_before)?;
        for m in sync.members {
            inner.index.place(
                StoryDoc {
                    id: m.article_id,
                    outlet: m.outlet,
                    published: m.published,
                    features: m.features,
                },
                StoryId(m.story_id as u64),
            );
        }
        inner.index.set_links(&sync.must, &sync.cannot);
        inner.index.reserve_story_ids(sync.next_story);
        inner.rev = sync.rev;
        inner.loaded = true;
        // Finished stories leave memory (hourly): they cannot take new articles any more.
        if inner.evicted_at.is_none_or(|t| now - t > Duration::hours(1)) {
            inner.evicted_at = Some(now);
            let cutoff = now - Duration::days(LOAD_DAYS);
            let old: Vec<DocId> = inner
                .index
                .stories()
                .flat_map(|(_, docs)| docs.iter().copied())
                .filter(|d| {
                    inner
                        .index
                        .doc(*d)
                        .and_then(|d| d.published)
                        .is_some_and(|p| p < cutoff)
                })
                .collect();
            for d in old {
                inner.index.remove(d);
            }
        }
        Ok(())
    }

    fn claims_of(
        &self,
        article_id: i64,
        seq: i64,
        article: &crate::extract::Article,
        published: DateTime<FixedOffset>,
    ) -> Arc<DocClaims> {
        let mut inner = self.lock();
        if let Some(c) = inner.claims.get(&(article_id, seq)) {
            return c.clone();
        }
        drop(inner);
        let c = Arc::new(claims::extract_claims(article, Some(published)));
        inner = self.lock();
        if inner.claims.len() >= CLAIMS_CACHE {
            inner.claims.clear();
        }
        inner.claims.insert((article_id, seq), c.clone());
        c
    }

    /// Clusters the article's latest sound version and re-compares its story (and a story it
    /// left). Nothing happens for an article without a sound version.
    pub fn article_changed(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        article_id: i64,
        at: DateTime<Utc>,
    ) -> Result<Option<Clustered>, StoryError> {
        let Some(row) = store.article(article_id)? else {
            return Ok(None);
        };
        let versions = store.versions(article_id)?;
        let Some(v) = versions.iter().rev().find(|v| v.flagged.is_none()) else {
            return Ok(None);
        };
        let published = published_of(&v.article, &row.first_seen_at);
        let claims = self.claims_of(article_id, v.seq, &v.article, published);
        let doc = StoryDoc {
            id: article_id,
            outlet: outlet_of(&row),
            published: Some(published.with_timezone(&Utc)),
            features: features(&v.article, &claims),
        };
        let mut tries = 0;
        let (assignment, left) = loop {
            let mut inner = self.lock();
            Self::catch_up(&mut inner, store, at)?;
            let before = inner.index.story_of(article_id);
            let a = inner.index.add(doc.clone());
            let member = StoryMember {
                article_id,
                story_id: a.story.0 as i64,
                seq: v.seq,
                outlet: doc.outlet.clone(),
                published: doc.published,
                features: doc.features.clone(),
                score: a.score,
                wire_copy_of: a.wire_copy_of,
                manual: a.manual,
            };
            let next_story = inner.index.reserve_story_ids(0);
            let w = StoryWrite {
                base_rev: inner.rev,
                members: vec![member],
                links: None,
                next_story,
            };
            match store.story_write(&w, at) {
                Ok(rev) => {
                    inner.rev = rev;
                    let left = before.filter(|b| *b != a.story);
                    break (a, left);
                }
                Err(StoreError::StoriesMoved) if tries < RETRIES => {
                    tries += 1;
                    continue;
                }
                Err(e) => {
                    // Our in-memory add did not land: rebuild from the store next time.
                    inner.loaded = false;
                    inner.rev = 0;
                    inner.index = StoryIndex::new();
                    return Err(e.into());
                }
            }
        };
        let mut events = self.recompare(store, routes, assignment.story.0 as i64, at)?.events.len();
        if let Some(l) = left {
            events += self.recompare(store, routes, l.0 as i64, at)?.events.len();
        }
        Ok(Some(Clustered {
            article_id,
            story_id: assignment.story.0 as i64,
            joined: assignment.joined,
            wire_copy_of: assignment.wire_copy_of,
            left: left.map(|l| l.0 as i64),
            events,
        }))
    }

    /// Clusters every article whose latest sound version is not in a story yet (a store
    /// from before stories existed, or a crash between a version and its story write).
    /// Returns how many were clustered.
    pub fn cluster_pending(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<usize, StoryError> {
        let mut n = 0;
        let mut after = 0;
        loop {
            let ids = store.unclustered_articles(after, 256)?;
            let Some(&last) = ids.last() else {
                return Ok(n);
            };
            for id in ids {
                if self.article_changed(store, routes, id, at)?.is_some() {
                    n += 1;
                }
            }
            after = last;
        }
    }

    /// The outlets' latest sound versions of a story, as compared. Wire copies whose original
    /// is in the story are left out: one agency text counts once.
    pub fn outlet_docs(&self, store: &dyn Store, story_id: i64) -> Result<Vec<OutletDoc>, StoreError> {
        let members = store.story_members(story_id)?;
        let ids: std::collections::HashSet<i64> = members.iter().map(|m| m.article_id).collect();
        let mut docs = Vec::new();
        for m in &members {
            if m.wire_copy_of.is_some_and(|o| ids.contains(&o)) {
                continue;
            }
            let (Some(row), Some(v)) = (store.article(m.article_id)?, store.version(m.article_id, m.seq)?)
            else {
                continue;
            };
            let published = published_of(&v.article, &row.first_seen_at);
            let claims = self.claims_of(m.article_id, m.seq, &v.article, published);
            docs.push(OutletDoc {
                outlet: m.outlet.clone(),
                url: row.url.clone(),
                published,
                claims: (*claims).clone(),
            });
        }
        Ok(docs)
    }

    /// Compares a story's outlets again and reconciles the findings with those reported.
    pub fn recompare(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        story_id: i64,
        at: DateTime<Utc>,
    ) -> Result<Committed, StoryError> {
        let docs = self.outlet_docs(store, story_id)?;
        let findings: Vec<Finding> = conflicts::compare_story(&docs)
            .into_iter()
            .map(|f| f.with_story(&story_id.to_string()))
            .collect();
        let story = match store.story(story_id)? {
            Some(s) => StoryRef {
                id: s.id,
                headline: s.headline,
                outlets: s.outlets,
            },
            None => StoryRef {
                id: story_id,
                headline: None,
                outlets: Vec::new(),
            },
        };
        let mut tries = 0;
        loop {
            let open = store.story_findings(story_id, false)?;
            let w = reconcile(&story, &open, &findings, at);
            if w.upsert.is_empty() && w.resolve.is_empty() {
                return Ok(Committed::default());
            }
            match store.write_findings(&w, routes, at) {
                Err(StoreError::StoriesMoved) if tries < RETRIES => tries += 1,
                other => return Ok(other?),
            }
        }
    }

    /// Manual merge: every article of story `b` joins story `a`, and stays there.
    pub fn merge(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        a: i64,
        b: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoryError> {
        for s in [a, b] {
            if store.story(s)?.is_none() {
                return Err(StoryError::NoStory(s));
            }
        }
        self.manual(store, at, |index| {
            let moved = index.members(StoryId(b as u64)).to_vec();
            index
                .merge(StoryId(a as u64), StoryId(b as u64))
                .map(|_| moved)
        })?;
        self.recompare(store, routes, a, at)?;
        self.recompare(store, routes, b, at)?;
        Ok(a)
    }

    /// Manual split: the article leaves its story for a new one, and never rejoins it.
    pub fn split(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        article_id: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoryError> {
        let Some(old) = store.story_of(article_id)? else {
            return Err(StoryError::NotInStory(article_id));
        };
        let new = self.manual(store, at, |index| {
            index.split(article_id).map(|_| vec![article_id])
        })?;
        self.recompare(store, routes, old, at)?;
        self.recompare(store, routes, new, at)?;
        Ok(new)
    }

    /// Runs a manual decision on the fully loaded index (a decision may concern old stories)
    /// and writes the moved articles and all links conditionally. Returns the story of the
    /// first moved article.
    fn manual(
        &self,
        store: &dyn Store,
        at: DateTime<Utc>,
        op: impl Fn(&mut StoryIndex) -> Option<Vec<DocId>>,
    ) -> Result<i64, StoryError> {
        let mut tries = 0;
        loop {
            let mut inner = self.lock();
            inner.index = StoryIndex::new();
            inner.rev = 0;
            inner.loaded = true;
            inner.evicted_at = Some(at);
            Self::catch_up(&mut inner, store, at)?;
            let Some(moved) = op(&mut inner.index) else {
                return Ok(0);
            };
            let mut members = Vec::new();
            for d in &moved {
                let Some(story) = inner.index.story_of(*d) else {
                    continue;
                };
                let Some(old) = store.story_of(*d)? else {
                    continue;
                };
                if let Some(mut m) = store
                    .story_members(old)?
                    .into_iter()
                    .find(|m| m.article_id == *d)
                {
                    m.story_id = story.0 as i64;
                    m.manual = true;
                    members.push(m);
                }
            }
            let first = members.first().map_or(0, |m| m.story_id);
            let w = StoryWrite {
                base_rev: inner.rev,
                members,
                links: Some(inner.index.links()),
                next_story: inner.index.reserve_story_ids(0),
            };
            match store.story_write(&w, at) {
                Ok(rev) => {
                    inner.rev = rev;
                    return Ok(first);
                }
                Err(StoreError::StoriesMoved) if tries < RETRIES => tries += 1,
                Err(e) => {
                    inner.loaded = false;
                    inner.rev = 0;
                    inner.index = StoryIndex::new();
                    return Err(e.into());
                }
            }
        }
    }
}

/// The (event, slot) a finding is about: stable while the outlets' values change.
pub fn finding_ident(f: &Finding) -> String {
    let s = format!("{}\u{1f}{}", f.event, f.slot);
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(s.as_bytes()))
}

/// The disagreement itself: the outcome, the consensus value and every value that departs
/// from it. Another outlet agreeing with the consensus does not change it.
pub fn change_key(f: &Finding) -> String {
    let consensus = f.claims.first().map(|c| c.value.to_string()).unwrap_or_default();
    let mut departing: Vec<String> = f
        .claims
        .iter()
        .filter(|c| c.value.to_string() != consensus)
        .map(|c| format!("{}={}", c.outlet, c.value))
        .collect();
    departing.sort();
    let s = format!(
        "{}\u{1f}{}\u{1f}{}",
        f.outcome.as_str(),
        consensus,
        departing.join("\u{1f}")
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(s.as_bytes()))
}

/// Worth a notification: outlets disagree (tension, disputed, conflict) loudly enough.
pub fn notifiable(f: &Finding) -> bool {
    f.outcome >= Outcome::Tension && f.severity >= NOTIFY_MIN_SEVERITY
}

/// Pure: what to write and emit for one story, given the open findings and a fresh
/// comparison. New or changed disagreements → `claim.conflict`; open ones no longer
/// notifiable → `claim.resolved`; unchanged ones → nothing.
pub fn reconcile(
    story: &StoryRef,
    open: &[StoredFinding],
    findings: &[Finding],
    at: DateTime<Utc>,
) -> FindingsWrite {
    let mut w = FindingsWrite {
        story_id: story.id,
        expected_open: open
            .iter()
            .map(|o| (o.ident.clone(), o.change_key.clone()))
            .collect(),
        ..Default::default()
    };
    let by_ident: HashMap<String, &Finding> =
        findings.iter().map(|f| (finding_ident(f), f)).collect();
    let mut seen = std::collections::HashSet::new();
    for f in findings.iter().filter(|f| notifiable(f)) {
        let ident = finding_ident(f);
        if !seen.insert(ident.clone()) {
            continue;
        }
        let key = change_key(f);
        if open.iter().any(|o| o.ident == ident && o.change_key == key) {
            continue;
        }
        let json = serde_json::to_value(f).unwrap_or_default();
        let e = events::claim_conflict(at, story, &f.event, json.clone());
        w.upsert.push(StoredFinding {
            story_id: story.id,
            ident,
            change_key: key,
            outcome: f.outcome.as_str().to_string(),
            severity: f.severity,
            slot: f.slot.clone(),
            event: f.event.clone(),
            explanation: f.explanation.clone(),
            finding: json,
            opened_at: events::rfc3339(at),
            updated_at: events::rfc3339(at),
            resolved_at: None,
            event_id: Some(e.id.clone()),
        });
        w.events.push(e);
    }
    for o in open {
        if seen.contains(&o.ident) {
            continue;
        }
        let now = by_ident.get(&o.ident);
        let reason = match now {
            Some(f) if f.outcome < Outcome::Tension => {
                format!("now {}: {}", f.outcome.as_str(), f.explanation)
            }
            Some(f) => format!(
                "now a {} below the reporting threshold ({:.2}): {}",
                f.outcome.as_str(),
                f.severity,
                f.explanation
            ),
            None => "no longer compared: fewer than two outlets report it".to_string(),
        };
        let e: Event = events::claim_resolved(
            at,
            story,
            &o.event,
            &o.slot,
            &reason,
            o.event_id.as_deref(),
            o.finding.clone(),
            now.map(|f| serde_json::to_value(f).unwrap_or_default()),
        );
        w.resolve.push(o.ident.clone());
        w.events.push(e);
    }
    w
}

#[cfg(test)]
mod tests;
