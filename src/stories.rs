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

use crate::claims;
use crate::compare::conflicts::{self, Finding, Outcome, OutletDoc};
use crate::compare::stories::{DocId, StoryDoc, StoryId, StoryIndex, features};
use crate::events::{self, Event, StoryRef};
use crate::store::{
    ArticleRow, Committed, FindingsWrite, Routes, STATE_PER_OUTLET, Store, StoreError,
    StoredFinding, StoryMember, StoryStep, StoryWrite, newest_first,
};

/// Findings at or above this severity are notified (tension, disputed, conflict only); the
/// rest are shown by `factdiff story` but never pushed. A low tension such as "15 years" vs
/// "for decades" scores well below it.
pub const NOTIFY_MIN_SEVERITY: f32 = 0.2;

/// The index holds the members published within this many days of the articles being
/// clustered (loaded lazily from the store, by time range): a story further away cannot take
/// the article anyway (the index's time window is 30 days). Saved pages from long ago
/// ingested today load their own period.
const RANGE_DAYS: i64 = 45;

/// Conditional writes retried this often before giving up (only under heavy contention).
const RETRIES: usize = 8;

/// Bytes of compared documents (claims and sentences) kept for re-comparing stories. The
/// oldest cached go first: a re-compare wants each outlet's latest article, which is recent.
/// (It was 4,096 documents, cleared when full: about 60 MB at the discovery benchmark's
/// 8 KB pages, most of the stories stage's memory.)
const CLAIMS_CACHE_BYTES: usize = 8 << 20;

/// Compared documents by (article, seq), first in first out within a byte budget.
#[derive(Default)]
struct DocCache {
    docs: HashMap<(i64, i64), (Arc<OutletDoc>, usize, u64)>,
    order: std::collections::VecDeque<(i64, i64)>,
    bytes: usize,
    /// Every insert gets a new number: a document's (article, seq, number) names one content.
    generation: u64,
}

/// Approximate heap bytes of a compared document.
fn doc_bytes(d: &OutletDoc) -> usize {
    let c = &d.claims;
    d.outlet.len()
        + d.url.len()
        + c.headline.as_ref().map_or(0, String::len)
        + c.sentences.iter().map(|s| s.len() + 24).sum::<usize>()
        + c.claims
            .iter()
            .map(|k| {
                std::mem::size_of::<claims::Claim>()
                    + k.slot.len()
                    + k.text.len()
                    + k.speaker.as_ref().map_or(0, String::len)
                    + 32
            })
            .sum::<usize>()
}

impl DocCache {
    fn get(&self, k: &(i64, i64)) -> Option<&Arc<OutletDoc>> {
        self.docs.get(k).map(|e| &e.0)
    }
    fn contains_key(&self, k: &(i64, i64)) -> bool {
        self.docs.contains_key(k)
    }
    /// The insert number of `d` when it is the document cached under `k`, else a number
    /// never given before (which no later comparison will match).
    fn generation_of(&mut self, k: &(i64, i64), d: &Arc<OutletDoc>) -> u64 {
        match self.docs.get(k) {
            Some((c, _, g)) if Arc::ptr_eq(c, d) => *g,
            _ => {
                self.generation += 1;
                self.generation
            }
        }
    }
    /// Forgets a document (a re-read version replaces it); rare, so the queue is scanned.
    fn remove(&mut self, k: &(i64, i64)) {
        if let Some((_, b, _)) = self.docs.remove(k) {
            self.bytes -= b;
            self.order.retain(|o| o != k);
        }
    }
    fn insert(&mut self, k: (i64, i64), d: Arc<OutletDoc>, budget: usize) {
        let n = doc_bytes(&d);
        self.generation += 1;
        if let Some((_, old, _)) = self.docs.insert(k, (d, n, self.generation)) {
            self.bytes -= old;
        } else {
            self.order.push_back(k);
        }
        self.bytes += n;
        while self.bytes > budget && self.order.len() > 1 {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((_, b, _)) = self.docs.remove(&old) {
                self.bytes -= b;
            }
        }
    }
}

/// Stories compared lately: the findings of the documents last compared, by story.
const COMPARED_STORIES: usize = 32;

/// One compared document's identity: its (article, seq) and cache insert number
/// ([`DocCache`]: a re-read version is a new insert), the outlet and URL it was compared under.
type DocKey = (i64, i64, u64, String, String);

/// The documents a story compares, each with its [`DocKey`], in comparison order.
type Picked = Vec<(DocKey, Arc<OutletDoc>)>;

/// The last comparison of recently compared stories. [`conflicts::compare_story`] is pure, so
/// the same documents (the same cached contents, [`DocKey`]) give the same findings: a story
/// re-compared because a member joined that is not its outlet's latest (an outlet's older
/// pieces found through its feed: 592 of 616 joins of the peer benchmark's largest story)
/// compares exactly what it compared before, and is not compared again. Oldest first out.
#[derive(Default)]
struct Compared {
    by_story: HashMap<i64, (Vec<DocKey>, Arc<Vec<Finding>>)>,
    order: std::collections::VecDeque<i64>,
}

impl Compared {
    fn get(&self, story: i64, key: &[DocKey]) -> Option<Arc<Vec<Finding>>> {
        self.by_story
            .get(&story)
            .filter(|(k, _)| k.as_slice() == key)
            .map(|(_, f)| f.clone())
    }

    fn insert(&mut self, story: i64, key: Vec<DocKey>, findings: Arc<Vec<Finding>>) {
        if self.by_story.insert(story, (key, findings)).is_none() {
            self.order.push_back(story);
        }
        while self.order.len() > COMPARED_STORIES {
            if let Some(old) = self.order.pop_front() {
                self.by_story.remove(&old);
            }
        }
    }
}

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
    /// Publication times whose members are in the index (None: nothing loaded yet).
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Compared documents by (article, seq): claims, outlet and URL, so re-comparing a story
    /// reads only the versions it has not seen.
    docs: DocCache,
    /// The findings of stories compared lately, by the documents compared.
    compared: Compared,
    evicted_at: Option<DateTime<Utc>>,
}

impl Inner {
    fn reset(&mut self) {
        self.index = StoryIndex::new();
        self.rev = 0;
        self.range = None;
    }

    fn apply(&mut self, sync: crate::store::StorySync) {
        for m in sync.members {
            self.index.place(
                StoryDoc {
                    id: m.article_id,
                    outlet: m.outlet,
                    published: m.published,
                    features: m.features,
                },
                StoryId(m.story_id as u64),
            );
        }
        self.index.set_links(&sync.must, &sync.cannot);
        self.index.reserve_story_ids(sync.next_story);
    }
}

/// The stories stage; one per process, shared by its tasks.
pub struct Stories {
    inner: Mutex<Inner>,
    /// How many times a story's outlets were compared (not found in [`Compared`]).
    comparisons: std::sync::atomic::AtomicUsize,
    /// `notify.conflict_min_severity`.
    min_severity: f32,
    /// Set by `factdiff reprocess`: its findings events are marked `reprocessed` (and
    /// `quiet` when they are not sent), and counted.
    reprocessing: Option<Reprocessing>,
}

/// How `factdiff reprocess` marks the findings events it causes, and what it counted.
struct Reprocessing {
    quiet: bool,
    /// (claim.conflict, claim.resolved) emitted.
    tally: Mutex<(usize, usize)>,
}

impl Default for Stories {
    fn default() -> Self {
        Self::new()
    }
}

/// When an article's facts are dated from: its published time, else when it was first seen
/// (a saved page ingested with `--at`).
/// A version as [`Stories::version_stored`] gets it: its number, text and stored claims
/// (`claims::stored` bytes, if any).
#[derive(Clone, Copy)]
pub struct StoredVersion<'a> {
    pub seq: i64,
    pub article: &'a crate::extract::Article,
    pub claims: Option<&'a [u8]>,
}

fn published_of(article: &crate::extract::Article, first_seen: &str) -> DateTime<FixedOffset> {
    article.published.unwrap_or_else(|| {
        DateTime::parse_from_rfc3339(first_seen).unwrap_or_else(|_| Utc::now().fixed_offset())
    })
}

/// The outlet an article is compared as: the configured one, else the site's host.
fn outlet_of(row: &crate::store::ArticleRow) -> String {
    row.outlet.clone().unwrap_or_else(|| {
        url::Url::parse(&row.url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    })
}

impl Stories {
    pub fn new() -> Self {
        Self::with_min_severity(NOTIFY_MIN_SEVERITY)
    }

    /// Findings below `min_severity` are stored and shown but not notified.
    pub fn with_min_severity(min_severity: f32) -> Self {
        Stories {
            min_severity,
            comparisons: Default::default(),
            reprocessing: None,
            inner: Mutex::new(Inner {
                index: StoryIndex::new(),
                rev: 0,
                range: None,
                docs: DocCache::default(),
                compared: Compared::default(),
                evicted_at: None,
            }),
        }
    }

    /// For `factdiff reprocess`: every findings event is marked `reprocessed: true`, and
    /// `quiet: true` (stored and shown, no outbox row expected) unless `notify`; the events
    /// are counted ([`Self::reprocessed`]).
    pub fn reprocessing(mut self, notify: bool) -> Self {
        self.reprocessing = Some(Reprocessing {
            quiet: !notify,
            tally: Mutex::new((0, 0)),
        });
        self
    }

    /// Findings (opened or changed, resolved) that re-processing emitted so far.
    pub fn reprocessed(&self) -> (usize, usize) {
        self.reprocessing.as_ref().map_or((0, 0), |r| {
            *r.tally.lock().unwrap_or_else(|p| p.into_inner())
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Brings the index up to date: what other processes wrote since this one last looked,
    /// and every member published within [`RANGE_DAYS`] of `around` (everything when None).
    /// With `delta` false the rows written since are left to the next write, which returns
    /// them when there are any ([`Store::story_step`]).
    fn catch_up(
        inner: &mut Inner,
        store: &dyn Store,
        around: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        delta: bool,
    ) -> Result<(), StoreError> {
        if delta && inner.range.is_some() {
            let sync = store.story_sync(inner.rev, None)?;
            inner.rev = sync.rev;
            inner.apply(sync);
        }
        let want = match around {
            Some(p) => (
                p - Duration::days(RANGE_DAYS),
                p + Duration::days(RANGE_DAYS),
            ),
            None => (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
        };
        let gaps = match inner.range {
            None => vec![want],
            Some((lo, hi)) => [(want.0, lo.min(want.1)), (hi.max(want.0), want.1)]
                .into_iter()
                .filter(|(a, b)| a < b)
                .collect(),
        };
        for g in gaps {
            let full = g == (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
            let sync = store.story_sync(0, (!full).then_some(g))?;
            if inner.range.is_none() {
                // The revision is read before the rows: a row written meanwhile is applied
                // again by the next catch-up, never missed.
                inner.rev = sync.rev;
            }
            inner.apply(sync);
            inner.range = Some(match inner.range {
                None => g,
                Some((lo, hi)) => (lo.min(g.0), hi.max(g.1)),
            });
        }
        // Hourly, members long before the newest leave memory: they cannot take new articles.
        if inner
            .evicted_at
            .is_none_or(|t| now - t > Duration::hours(1))
        {
            inner.evicted_at = Some(now);
            let published = |ix: &StoryIndex, d: DocId| ix.published(d);
            let ix = &inner.index;
            let all: Vec<DocId> = ix.stories().flat_map(|(_, d)| d.to_vec()).collect();
            if let Some(newest) = all.iter().filter_map(|&d| published(ix, d)).max() {
                let cutoff = newest - Duration::days(2 * RANGE_DAYS);
                let old: Vec<DocId> = all
                    .into_iter()
                    .filter(|&d| published(ix, d).is_some_and(|p| p < cutoff))
                    .collect();
                if !old.is_empty() {
                    for d in old {
                        inner.index.remove(d);
                    }
                    if let Some((lo, hi)) = inner.range {
                        inner.range = Some((lo.max(cutoff), hi));
                    }
                }
            }
        }
        Ok(())
    }

    /// The document compared for (article, seq): cached, else its claims read from `stored`
    /// (the version's stored claims) when the article gives its own publication date (the
    /// stored ones resolve dates against it), else extracted.
    fn doc_of(
        &self,
        row: &ArticleRow,
        seq: i64,
        article: &crate::extract::Article,
        stored: Option<&[u8]>,
    ) -> Arc<OutletDoc> {
        let mut inner = self.lock();
        if let Some(d) = inner.docs.get(&(row.id, seq)) {
            return d.clone();
        }
        drop(inner);
        let published = published_of(article, &row.first_seen_at);
        let d = Arc::new(OutletDoc {
            outlet: row.outlet.clone().unwrap_or_else(|| outlet_of(row)),
            url: row.url.clone(),
            published,
            claims: match (article.published, stored) {
                (Some(_), Some(bytes)) => claims::stored::doc_claims(article, Some(bytes)),
                _ => claims::extract_claims(article, Some(published)),
            },
        });
        inner = self.lock();
        inner
            .docs
            .insert((row.id, seq), d.clone(), CLAIMS_CACHE_BYTES);
        d
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
        // The latest version is nearly always the sound one: read the whole history only
        // when it was flagged.
        let v = match store.latest_version(article_id)? {
            Some(v) if v.flagged.is_none() => v,
            Some(_) => match store
                .versions(article_id)?
                .into_iter()
                .rev()
                .find(|v| v.flagged.is_none())
            {
                Some(v) => v,
                None => return Ok(None),
            },
            None => return Ok(None),
        };
        let v = StoredVersion {
            seq: v.seq,
            article: &v.article,
            claims: v.claims.as_deref(),
        };
        self.version_stored(store, routes, &row, v, at).map(Some)
    }

    /// [`Self::article_changed`] for a sound version the caller has just stored (`row` is
    /// the article as read before storing it): nothing is read back. One write that also
    /// catches up when another process wrote first, one read of the story, one read of the
    /// versions it has not compared yet, and a findings write only when they changed.
    pub fn version_stored(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        row: &ArticleRow,
        v: StoredVersion<'_>,
        at: DateTime<Utc>,
    ) -> Result<Clustered, StoryError> {
        let StoredVersion {
            seq,
            article,
            claims,
        } = v;
        let article_id = row.id;
        let d = self.doc_of(row, seq, article, claims);
        let doc = StoryDoc {
            id: article_id,
            outlet: outlet_of(row),
            published: Some(d.published.with_timezone(&Utc)),
            features: features(article, &d.claims),
        };
        let mut tries = 0;
        let mut before = None;
        let (assignment, left) = loop {
            let mut inner = self.lock();
            Self::catch_up(&mut inner, store, doc.published, at, false)?;
            if tries == 0 {
                // Before this step's own (possibly redone) placement.
                before = inner.index.story_of(article_id);
            }
            let a = inner.index.add(doc.clone());
            let member = StoryMember {
                article_id,
                story_id: a.story.0 as i64,
                seq,
                outlet: doc.outlet.clone(),
                published: doc.published,
                features: doc.features.clone(),
                score: a.score,
                wire_copy_of: a.wire_copy_of,
                manual: a.manual,
                rev: 0,
            };
            let next_story = inner.index.reserve_story_ids(0);
            let w = StoryWrite {
                base_rev: inner.rev,
                members: vec![member],
                links: None,
                next_story,
            };
            match store.story_step(&w, at) {
                Ok(StoryStep::Written(rev)) => {
                    inner.rev = rev;
                    let left = before.filter(|b| *b != a.story);
                    break (a, left);
                }
                Ok(StoryStep::Moved(sync)) if tries < RETRIES => {
                    tries += 1;
                    inner.rev = sync.rev;
                    inner.apply(sync);
                }
                other => {
                    // Our in-memory add did not land: rebuild from the store next time.
                    inner.reset();
                    return Err(match other {
                        Err(e) => e.into(),
                        _ => StoreError::StoriesMoved.into(),
                    });
                }
            }
        };
        let mut events = self
            .recompare(store, routes, assignment.story.0 as i64, at)?
            .events
            .len();
        if let Some(l) = left {
            events += self.recompare(store, routes, l.0 as i64, at)?.events.len();
        }
        Ok(Clustered {
            article_id,
            story_id: assignment.story.0 as i64,
            joined: assignment.joined,
            wire_copy_of: assignment.wire_copy_of,
            left: left.map(|l| l.0 as i64),
            events,
        })
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
    pub fn outlet_docs(
        &self,
        store: &dyn Store,
        story_id: i64,
    ) -> Result<Vec<OutletDoc>, StoreError> {
        Ok(self.outlet_docs_at(store, story_id)?.0)
    }

    /// [`Self::outlet_docs`] and the membership they were read from: (count, largest rev).
    fn outlet_docs_at(
        &self,
        store: &dyn Store,
        story_id: i64,
    ) -> Result<(Vec<OutletDoc>, (i64, i64)), StoreError> {
        self.docs_of(store, &store.story_members(story_id)?)
    }

    /// The documents compared for these members, and their membership (count, largest
    /// rev). Versions not compared before are read in one call.
    fn docs_of(
        &self,
        store: &dyn Store,
        members: &[StoryMember],
    ) -> Result<(Vec<OutletDoc>, (i64, i64)), StoreError> {
        let membership = (
            members.len() as i64,
            members.iter().map(|m| m.rev).max().unwrap_or(0),
        );
        let picked = self
            .picked_of(store, members, &[])?
            .expect("every member given");
        Ok((owned_docs(&picked), membership))
    }

    /// The documents a re-compare compares for the story `state` lists (its outlets' latest
    /// members), and the membership they stand for. When an outlet's listed members are all
    /// passed over (wire copies saying what their originals say) and it has older ones, every
    /// member is read and picked from instead.
    fn picked_for(
        &self,
        store: &dyn Store,
        story_id: i64,
        state: &crate::store::StoryState,
    ) -> Result<(Picked, (i64, i64)), StoreError> {
        if let Some(p) = self.picked_of(store, &state.members, &state.truncated)? {
            return Ok((p, state.membership));
        }
        let all = store.story_members(story_id)?;
        let membership = (
            all.len() as i64,
            all.iter().map(|m| m.rev).max().unwrap_or(0),
        );
        let picked = self
            .picked_of(store, &all, &[])?
            .expect("every member given");
        Ok((picked, membership))
    }

    /// [`Self::docs_of`] before the documents are copied: each compared document with its
    /// identity ([`DocKey`]), in comparison order. `members` lists each outlet's latest at
    /// least, newest first; an outlet in `truncated` has older members not listed beyond its
    /// first [`STATE_PER_OUTLET`] (only originals of wire copies may follow), so when those
    /// are all passed over the answer is None: pick from every member.
    fn picked_of(
        &self,
        store: &dyn Store,
        members: &[StoryMember],
        truncated: &[String],
    ) -> Result<Option<Picked>, StoreError> {
        // Each outlet speaks once, with its latest article: an outlet's follow-ups and live
        // updates differ from its earlier pieces by time, not by dispute. Only those (and the
        // originals of wire copies) are read back, so a story of thousands of articles costs
        // one version per outlet.
        let in_story: std::collections::HashSet<i64> =
            members.iter().map(|m| m.article_id).collect();
        let mut by_outlet: HashMap<&str, Vec<&StoryMember>> = HashMap::new();
        for m in members {
            by_outlet.entry(m.outlet.as_str()).or_default().push(m);
        }
        for ms in by_outlet.values_mut() {
            ms.sort_by(|a, b| newest_first(a, b));
        }
        let seqs: HashMap<i64, i64> = members.iter().map(|m| (m.article_id, m.seq)).collect();
        // What is most likely compared (each outlet's latest, and its original when it is a
        // wire copy), read at once when not cached.
        let likely: Vec<(i64, i64)> = {
            let inner = self.lock();
            by_outlet
                .values()
                .filter_map(|ms| ms.first())
                .flat_map(|m| {
                    [
                        Some(m.article_id),
                        m.wire_copy_of.filter(|o| in_story.contains(o)),
                    ]
                })
                .flatten()
                .map(|id| (id, seqs[&id]))
                .filter(|k| !inner.docs.contains_key(k))
                .collect()
        };
        let mut read: HashMap<i64, Option<Arc<OutletDoc>>> = HashMap::new();
        let fetch = |wanted: &[(i64, i64)],
                     read: &mut HashMap<i64, Option<Arc<OutletDoc>>>|
         -> Result<(), StoreError> {
            for &(id, _) in wanted {
                read.insert(id, None);
            }
            for (row, v) in store.story_docs(wanted)? {
                read.insert(
                    row.id,
                    Some(self.doc_of(&row, v.seq, &v.article, v.claims.as_deref())),
                );
            }
            Ok(())
        };
        fetch(&likely, &mut read)?;
        let mut load = |id: i64| -> Result<Option<Arc<OutletDoc>>, StoreError> {
            let key = (id, seqs[&id]);
            if let Some(d) = self.lock().docs.get(&key) {
                return Ok(Some(d.clone()));
            }
            if !read.contains_key(&id) {
                fetch(&[key], &mut read)?;
            }
            Ok(read[&id].clone())
        };
        // A wire copy counts once: it is left out when it reports what its original reports
        // (`same_facts`), and compared like any outlet when it changed a fact.
        let mut latest: Picked = Vec::new();
        for (outlet, ms) in by_outlet {
            // Of a truncated outlet only the first are its latest (originals may follow).
            let partial = truncated.iter().any(|t| t == outlet);
            let listed = if partial { STATE_PER_OUTLET } else { ms.len() };
            let mut spoke = false;
            for m in ms.into_iter().take(listed) {
                let Some(d) = load(m.article_id)? else {
                    continue;
                };
                if let Some(o) = m.wire_copy_of.filter(|o| in_story.contains(o))
                    && let Some(orig) = load(o)?
                    && crate::compare::conflicts::same_facts(&orig.claims, &d.claims)
                {
                    continue;
                }
                let seq = seqs[&m.article_id];
                let generation = self.lock().docs.generation_of(&(m.article_id, seq), &d);
                let key = (
                    m.article_id,
                    seq,
                    generation,
                    outlet.to_string(),
                    d.url.clone(),
                );
                latest.push((key, d));
                spoke = true;
                break;
            }
            if partial && !spoke {
                return Ok(None);
            }
        }
        // Input order decides ties in the comparison: make it the same in every process.
        latest.sort_by(|(a, _), (b, _)| a.3.cmp(&b.3).then(a.4.cmp(&b.4)));
        Ok(Some(latest))
    }

    /// Compares a story's outlets again and reconciles the findings with those reported.
    pub fn recompare(
        &self,
        store: &dyn Store,
        routes: &dyn Routes,
        story_id: i64,
        at: DateTime<Utc>,
    ) -> Result<Committed, StoryError> {
        let mut tries = 0;
        loop {
            // Compared afresh on every try: findings from an older membership never land.
            let state = store.story_state(story_id)?;
            let (picked, membership) = self.picked_for(store, story_id, &state)?;
            let key: Vec<DocKey> = picked.iter().map(|(k, _)| k.clone()).collect();
            let cached = self.lock().compared.get(story_id, &key);
            let findings = match cached {
                Some(f) => f,
                // Every finding judges two outlets or more (each comparison group needs two
                // documents): one outlet's story has none, and most stories are one article.
                None if picked.len() < 2 => Arc::default(),
                None => {
                    self.comparisons
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let f: Arc<Vec<Finding>> = Arc::new(
                        conflicts::compare_story(&owned_docs(&picked))
                            .into_iter()
                            .map(|f| f.with_story(&story_id.to_string()))
                            .collect(),
                    );
                    self.lock().compared.insert(story_id, key, f.clone());
                    f
                }
            };
            let story = story_ref(state.story, story_id);
            let mut w = reconcile(
                &story,
                &state.open,
                findings.as_slice(),
                self.min_severity,
                at,
            );
            if w.upsert.is_empty() && w.resolve.is_empty() && w.renames.is_empty() {
                return Ok(Committed::default());
            }
            w.membership = membership;
            if let Some(r) = &self.reprocessing {
                for e in &mut w.events {
                    e.payload["reprocessed"] = serde_json::json!(true);
                    if r.quiet {
                        e.payload["quiet"] = serde_json::json!(true);
                    }
                }
            }
            match store.write_findings(&w, routes, at) {
                Err(StoreError::StoriesMoved) if tries < RETRIES => tries += 1,
                Ok(done) => {
                    if let Some(r) = &self.reprocessing {
                        let mut t = r.tally.lock().unwrap_or_else(|p| p.into_inner());
                        for e in &w.events {
                            match e.kind {
                                events::CLAIM_CONFLICT => t.0 += 1,
                                events::CLAIM_RESOLVED => t.1 += 1,
                                _ => {}
                            }
                        }
                    }
                    return Ok(done);
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// What [`Self::recompare`] would emit for a story if the versions in `reread` (keyed by
    /// article and seq) read as given: (findings opened or changed, resolved). Nothing is
    /// written (`factdiff reprocess --dry-run`); an article whose new reading would move it to
    /// another story is compared where it is.
    pub fn preview(
        &self,
        store: &dyn Store,
        story_id: i64,
        reread: &HashMap<(i64, i64), crate::extract::Article>,
        at: DateTime<Utc>,
    ) -> Result<(usize, usize), StoryError> {
        let state = store.story_state(story_id)?;
        // Every member: any of them may read differently now.
        let members = store.story_members(story_id)?;
        for m in &members {
            if let Some(a) = reread.get(&(m.article_id, m.seq))
                && let Some(row) = store.article(m.article_id)?
            {
                self.lock().docs.remove(&(m.article_id, m.seq));
                self.doc_of(&row, m.seq, a, None);
            }
        }
        let (docs, _) = self.docs_of(store, &members)?;
        let findings: Vec<Finding> = conflicts::compare_story(&docs)
            .into_iter()
            .map(|f| f.with_story(&story_id.to_string()))
            .collect();
        let story = story_ref(state.story, story_id);
        let w = reconcile(&story, &state.open, &findings, self.min_severity, at);
        let count = |kind: &str| w.events.iter().filter(|e| e.kind == kind).count();
        Ok((count(events::CLAIM_CONFLICT), count(events::CLAIM_RESOLVED)))
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
            inner.reset();
            inner.evicted_at = Some(at);
            Self::catch_up(&mut inner, store, None, at, true)?;
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
                    inner.reset();
                    return Err(e.into());
                }
            }
        }
    }
}

/// The compared documents as [`conflicts::compare_story`] takes them, each under the outlet
/// it speaks for.
fn owned_docs(picked: &[(DocKey, Arc<OutletDoc>)]) -> Vec<OutletDoc> {
    picked
        .iter()
        .map(|(k, d)| {
            let mut d = (**d).clone();
            d.outlet = k.3.clone();
            d
        })
        .collect()
}

/// The story an event names: as stored, else just its id.
fn story_ref(stored: Option<crate::store::StoryRow>, story_id: i64) -> StoryRef {
    match stored {
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
    }
}

/// The (event, slot) a finding is about: stable while the outlets' values change.
pub fn finding_ident(f: &Finding) -> String {
    let s = format!("{}\u{1f}{}", f.event, f.slot);
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(s.as_bytes()))
}

/// The disagreement itself: the outcome and the distinct values. Another outlet siding with
/// one of them (or a consensus forming) does not change it; a new value does.
pub fn change_key(f: &Finding) -> String {
    let mut values: Vec<String> = f.claims.iter().map(|c| c.value.to_string()).collect();
    values.sort();
    values.dedup();
    let s = format!("{}\u{1f}{}", f.outcome.as_str(), values.join("\u{1f}"));
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(s.as_bytes()))
}

/// Worth a notification: outlets disagree (tension, disputed, conflict) loudly enough.
pub fn notifiable(f: &Finding, min_severity: f32) -> bool {
    f.outcome >= Outcome::Tension && f.severity >= min_severity
}

/// (outlet, sentence) pairs: the evidence a finding rests on.
fn evidence(claims: &serde_json::Value) -> Vec<(String, String)> {
    claims
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["outlet"].as_str().unwrap_or_default().to_string(),
                        c["sentence"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The fresh finding that continues a stored one: the same (event, slot), else — the event's
/// label moved because its date or place consensus changed as outlets arrived — the same slot
/// resting on the most shared evidence (an outlet's unchanged sentence).
fn continuation<'a>(
    stored: &StoredFinding,
    fresh: impl Iterator<Item = (usize, &'a Finding)>,
) -> Option<usize> {
    let old = evidence(&stored.finding["claims"]);
    let mut best: Option<(bool, usize, usize)> = None;
    for (i, f) in fresh {
        let same_ident = finding_ident(f) == stored.ident;
        if !same_ident && f.slot != stored.slot {
            continue;
        }
        let shared = f
            .claims
            .iter()
            .filter(|c| old.iter().any(|(o, s)| *o == c.outlet && *s == c.sentence))
            .count();
        if !same_ident && shared == 0 {
            continue;
        }
        if best.is_none_or(|b| (same_ident, shared) > (b.0, b.1)) {
            best = Some((same_ident, shared, i));
        }
    }
    best.map(|b| b.2)
}

/// Pure: what to write and emit for one story, given the open findings and a fresh
/// comparison. A new disagreement, or one whose values changed → `claim.conflict`; an open
/// one that is no longer notifiable → `claim.resolved`; an unchanged one → nothing (its
/// stored explanation and claims are refreshed silently).
pub fn reconcile(
    story: &StoryRef,
    open: &[StoredFinding],
    findings: &[Finding],
    min_severity: f32,
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
    let loud: Vec<usize> = (0..findings.len())
        .filter(|&i| notifiable(&findings[i], min_severity))
        .collect();
    // Pair open findings with fresh loud ones, exact (event, slot) first.
    let mut taken: Vec<bool> = vec![false; findings.len()];
    let mut pair: Vec<Option<usize>> = vec![None; open.len()];
    for exact in [true, false] {
        for (oi, o) in open.iter().enumerate() {
            if pair[oi].is_some() {
                continue;
            }
            let cands = loud
                .iter()
                .filter(|&&i| !taken[i] && (!exact || finding_ident(&findings[i]) == o.ident))
                .map(|&i| (i, &findings[i]));
            if let Some(i) = continuation(o, cands) {
                taken[i] = true;
                pair[oi] = Some(i);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for &i in &loud {
        let f = &findings[i];
        let ident = finding_ident(f);
        if !seen.insert(ident.clone()) {
            continue;
        }
        let key = change_key(f);
        let json = serde_json::to_value(f).unwrap_or_default();
        let prev = pair.iter().position(|p| *p == Some(i)).map(|oi| &open[oi]);
        let event_id = match prev {
            Some(o) if o.change_key == key => {
                if o.finding == json && o.ident == ident {
                    continue;
                }
                None
            }
            _ => {
                let e = events::claim_conflict(at, story, &f.event, json.clone());
                let id = e.id.clone();
                w.events.push(e);
                Some(id)
            }
        };
        if let Some(o) = prev.filter(|o| o.ident != ident) {
            w.renames.push((o.ident.clone(), ident.clone()));
        }
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
            event_id,
        });
    }
    for (oi, o) in open.iter().enumerate() {
        if pair[oi].is_some() {
            continue;
        }
        // How it compares now (quiet, or below the threshold), if it is still compared.
        let now = continuation(o, findings.iter().enumerate()).map(|i| &findings[i]);
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
            &events::Resolution {
                event: o.event.clone(),
                slot: o.slot.clone(),
                reason,
                conflict_event: o.event_id.clone(),
                previous: o.finding.clone(),
                now: now.map(|f| serde_json::to_value(f).unwrap_or_default()),
            },
        );
        w.resolve.push(o.ident.clone());
        w.events.push(e);
    }
    w
}

#[cfg(test)]
mod tests;
