//! The store: the only place with SQL. [`Store`] is the seam for a second backend
//! (PostgreSQL for several workers); [`sqlite::SqliteStore`] is the embedded default.
//!
//! Writes that belong together — a version, its events and their outbox rows, a fetch
//! outcome and a source's health change — go through [`Store::commit`] in one transaction,
//! so a crash never leaves a version without its notification or the other way round.

#[cfg(test)]
mod contract;
mod ops;
#[cfg(feature = "postgres")]
pub mod postgres;
mod query;
pub mod sqlite;
#[cfg(test)]
pub(crate) mod testkit;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::events::Event;
use crate::extract::Article;

pub use ops::*;
#[cfg(feature = "postgres")]
pub use postgres::PgStore;
pub use query::*;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL error: {}", pg_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The database server does not answer (or refuses connections).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("schema migration failed: {0}")]
    Migration(String),
    #[error("cannot open store at {path}: {why}")]
    Open { path: String, why: String },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("version {seq} of article {article} was written concurrently; retry")]
    Conflict { article: i64, seq: i64 },
    /// Another process changed the stories (or a story's findings) since they were read.
    #[error("stories were changed concurrently; retry")]
    StoriesMoved,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The server's own message when there is one (tokio-postgres prints only "db error").
#[cfg(feature = "postgres")]
fn pg_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceState {
    pub name: String,
    pub kind: String,
    pub location: Option<String>,
    pub outlet: Option<String>,
    pub last_check_at: Option<String>,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub consecutive_failures: u32,
    pub failing: bool,
    pub next_check_at: Option<String>,
    /// Articles this feed or sitemap has listed that were new to the store.
    pub articles_discovered: i64,
    pub last_discovered_at: Option<String>,
    /// Validators of the feed/sitemap document itself (conditional GET).
    #[serde(skip)]
    pub etag: Option<String>,
    #[serde(skip)]
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ArticleRow {
    pub id: i64,
    pub url: String,
    pub outlet: Option<String>,
    pub source: Option<String>,
    pub headline: Option<String>,
    pub first_seen_at: String,
    pub last_checked_at: Option<String>,
    pub last_changed_at: Option<String>,
    pub removed_at: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub version_count: i64,
    /// Next scheduled check (articles found by feeds and sitemaps); none = not scheduled.
    pub next_check_at: Option<String>,
    /// The error of the latest fetch, if it failed (e.g. a refused or robots-disallowed URL).
    pub last_error: Option<String>,
    /// The page's own `modified` stamp at the last check (stored, never an event).
    pub page_modified: Option<String>,
}

impl ArticleRow {
    pub fn as_ref(&self) -> crate::events::ArticleRef {
        crate::events::ArticleRef {
            id: self.id,
            url: self.url.clone(),
            outlet: self.outlet.clone(),
            headline: self.headline.clone(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionRow {
    pub article_id: i64,
    pub seq: i64,
    pub observed_at: String,
    pub content_hash: String,
    pub flagged: Option<String>,
    pub significance: Option<String>,
    pub article: Article,
    /// Serialised `VersionDiff` against the previous version (none for the first).
    pub diff: Option<serde_json::Value>,
    /// The version's claims as `claims::stored` wrote them; none for rows written before
    /// schema V10 (then extracted when needed).
    #[serde(skip)]
    pub claims: Option<Vec<u8>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub created_at: String,
    pub article_id: Option<i64>,
    pub version_seq: Option<i64>,
    pub payload: serde_json::Value,
}

/// A pending notification, leased for delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub outbox_id: i64,
    pub event_id: String,
    pub target: String,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub payload: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryRow {
    pub event_id: String,
    pub event_type: String,
    pub target: String,
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
}

/// What happened to one delivery attempt.
#[derive(Debug, Clone)]
pub enum AttemptResult {
    Delivered {
        status: Option<u16>,
    },
    Retry {
        status: Option<u16>,
        error: String,
        next_at: DateTime<Utc>,
    },
    GiveUp {
        status: Option<u16>,
        error: String,
    },
}

/// A fetch outcome to log against a source.
#[derive(Debug, Clone)]
pub struct FetchLog {
    pub url: String,
    pub outcome: &'static str,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// A source's result in this pass; drives `source.failing` / `source.recovered`.
#[derive(Debug, Clone)]
pub struct SourceOutcome {
    pub name: String,
    pub error: Option<String>,
    /// Consecutive failures that make a source "failing".
    pub threshold: u32,
    pub next_check_at: Option<DateTime<Utc>>,
}

/// A new version to append.
#[derive(Debug, Clone)]
pub struct VersionWrite {
    pub article_id: i64,
    pub seq: i64,
    pub article: Article,
    pub raw: Option<Vec<u8>>,
    /// The Content-Type the raw page came with, so re-processing reads it as it was read.
    pub content_type: Option<String>,
    pub flagged: Option<String>,
    pub significance: Option<String>,
    pub diff: Option<serde_json::Value>,
    /// `claims::stored::encode` of the version's claims, so diffs need not extract them.
    pub claims: Option<Vec<u8>>,
}

/// A version's raw page as fetched, with the Content-Type it was served with (`None` for
/// versions stored before schema V12, and for files of no known type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawPage {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

/// Changes to an article row that come with an observation.
#[derive(Debug, Clone, Default)]
pub struct ArticleUpdate {
    pub article_id: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub removed: bool,
    pub aliases: Vec<String>,
    /// The page's own `modified` stamp (RFC 3339), when it gave one.
    pub page_modified: Option<String>,
}

/// A tracked article's next check, written with the observation that ends its lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleSchedule {
    pub article_id: i64,
    /// `None`: never again.
    pub next: Option<DateTime<Utc>>,
    pub failures: u32,
}

/// Everything one observation writes, applied atomically.
#[derive(Debug, Clone, Default)]
pub struct Commit {
    /// Ends the article's lease in the same transaction as its version, so a worker killed
    /// after storing a version never has that article fetched again at its lease expiry.
    pub schedule: Option<ArticleSchedule>,
    pub fetch: Option<(Option<String>, FetchLog)>,
    pub source: Option<SourceOutcome>,
    pub article: Option<ArticleUpdate>,
    pub version: Option<VersionWrite>,
    pub events: Vec<Event>,
}

/// What one `discover` call changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DiscoverStats {
    /// URLs new to the store: tracked from now on and due at once.
    pub new: usize,
    /// Known articles whose listed update time moved: due at once.
    pub updated: usize,
}

/// An article whose check is due, leased to one worker.
#[derive(Debug, Clone)]
pub struct DueArticle {
    pub id: i64,
    pub url: String,
    pub outlet: Option<String>,
    pub source: Option<String>,
    pub first_seen_at: DateTime<Utc>,
    pub published_hint: Option<DateTime<Utc>>,
    pub check_failures: u32,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub version_count: i64,
}

/// An article's place in a story, as stored (the story index is rebuilt from these).
#[derive(Debug, Clone)]
pub struct StoryMember {
    pub article_id: i64,
    pub story_id: i64,
    /// The version clustered (the latest sound one).
    pub seq: i64,
    pub outlet: String,
    pub published: Option<DateTime<Utc>>,
    pub features: crate::compare::stories::Features,
    pub score: f32,
    pub wire_copy_of: Option<i64>,
    pub manual: bool,
    /// The story revision that wrote it (ignored when writing).
    pub rev: i64,
}

/// What changed in the stories since a process last looked (see [`Store::story_sync`]).
#[derive(Debug, Clone, Default)]
pub struct StorySync {
    /// Members written after the revision asked for.
    pub members: Vec<StoryMember>,
    /// All manual links (they are few): must-link and cannot-link pairs, a < b.
    pub must: Vec<(i64, i64)>,
    pub cannot: Vec<(i64, i64)>,
    pub next_story: u64,
    pub rev: i64,
}

/// What [`Store::story_step`] did.
#[derive(Debug, Clone)]
pub enum StoryStep {
    /// Written; the new revision.
    Written(i64),
    /// Nothing written: others wrote since `base_rev`. What they wrote, to catch up and redo.
    Moved(StorySync),
}

/// Members per outlet that [`Store::story_state`] lists: re-comparing a story compares each
/// outlet's latest article, and reads an outlet's older ones only when its latest are wire
/// copies saying what their originals say.
pub const STATE_PER_OUTLET: usize = 4;

/// What re-comparing one story reads (see [`Store::story_state`]).
#[derive(Debug, Clone, Default)]
pub struct StoryState {
    pub story: Option<StoryRow>,
    /// Each outlet's latest members (newest publication first, then highest id), at most
    /// [`STATE_PER_OUTLET`] of each, and the originals of the wire copies among them when
    /// those are in the story; `features` left empty (comparing needs the versions, not the
    /// clustering features). Not every member: a story of thousands of articles made every
    /// re-compare hold all of them (the largest share of a worker's peak memory).
    pub members: Vec<StoryMember>,
    /// The whole story's (member count, largest member revision), read with `members`.
    pub membership: (i64, i64),
    /// Outlets with more members than [`STATE_PER_OUTLET`] (their older ones not listed).
    pub truncated: Vec<String>,
    /// Its open findings.
    pub open: Vec<StoredFinding>,
}

/// The order in which an outlet's members speak for it: newest publication first (none
/// last), then the highest id.
pub fn newest_first(a: &StoryMember, b: &StoryMember) -> std::cmp::Ordering {
    (b.published, b.article_id).cmp(&(a.published, a.article_id))
}

impl StoryState {
    /// The state listed from every member of the story (as the backends' queries list it).
    pub fn of_members(
        story: Option<StoryRow>,
        members: Vec<StoryMember>,
        open: Vec<StoredFinding>,
    ) -> Self {
        let membership = (
            members.len() as i64,
            members.iter().map(|m| m.rev).max().unwrap_or(0),
        );
        let mut by_outlet: HashMap<&str, Vec<&StoryMember>> = HashMap::new();
        for m in &members {
            by_outlet.entry(m.outlet.as_str()).or_default().push(m);
        }
        let mut keep = std::collections::HashSet::new();
        let mut truncated = Vec::new();
        for (outlet, ms) in by_outlet.iter_mut() {
            ms.sort_by(|a, b| newest_first(a, b));
            if ms.len() > STATE_PER_OUTLET {
                truncated.push(outlet.to_string());
            }
            keep.extend(ms.iter().take(STATE_PER_OUTLET).map(|m| m.article_id));
        }
        let in_story: std::collections::HashSet<i64> =
            members.iter().map(|m| m.article_id).collect();
        let originals: Vec<i64> = members
            .iter()
            .filter(|m| keep.contains(&m.article_id))
            .filter_map(|m| m.wire_copy_of.filter(|o| in_story.contains(o)))
            .collect();
        keep.extend(originals);
        truncated.sort();
        StoryState {
            story,
            members: members
                .into_iter()
                .filter(|m| keep.contains(&m.article_id))
                .map(|m| StoryMember {
                    features: Default::default(),
                    ..m
                })
                .collect(),
            membership,
            truncated,
            open,
        }
    }
}

/// Story assignments to write, valid only if nobody wrote since `base_rev`.
#[derive(Debug, Clone, Default)]
pub struct StoryWrite {
    pub base_rev: i64,
    pub members: Vec<StoryMember>,
    /// Replaces all manual links when given.
    pub links: Option<(
        crate::compare::stories::Links,
        crate::compare::stories::Links,
    )>,
    pub next_story: u64,
}

/// A story as listed by `factdiff stories`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoryRow {
    pub id: i64,
    /// The headline of its earliest article.
    pub headline: Option<String>,
    pub outlets: Vec<String>,
    pub article_count: i64,
    pub open_conflicts: i64,
    pub first_published: Option<String>,
    pub last_joined_at: Option<String>,
}

/// A reported cross-outlet finding and whether it is still open.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredFinding {
    pub story_id: i64,
    /// The (event, slot) compared.
    pub ident: String,
    /// The disagreeing values; a change re-reports.
    pub change_key: String,
    pub outcome: String,
    pub severity: f32,
    pub slot: String,
    pub event: String,
    pub explanation: String,
    pub finding: serde_json::Value,
    pub opened_at: String,
    pub updated_at: String,
    pub resolved_at: Option<String>,
    /// The `claim.conflict` event that last reported it.
    pub event_id: Option<String>,
}

/// Findings to write for one story, with their events, valid only if the story's open
/// findings are still exactly `expected_open` (ident, change_key).
#[derive(Debug, Clone, Default)]
pub struct FindingsWrite {
    pub story_id: i64,
    /// The story's membership the findings were computed from: (member count, largest member
    /// revision). A write computed from an older membership is refused.
    pub membership: (i64, i64),
    pub expected_open: Vec<(String, String)>,
    /// (old ident, new ident): an open finding whose event label moved, applied first.
    pub renames: Vec<(String, String)>,
    /// Inserted or updated (and reopened), keyed by (story, ident).
    pub upsert: Vec<StoredFinding>,
    /// Idents to mark resolved.
    pub resolve: Vec<String>,
    pub events: Vec<Event>,
}

/// A `factdiff` process as the `workers` table knows it, with what it holds now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WorkerRow {
    pub id: String,
    pub host: String,
    pub pid: i64,
    pub started_at: String,
    pub heartbeat_at: String,
    pub stopped_at: Option<String>,
    /// Not stopped, and beat within [`WORKER_ALIVE_SECS`].
    pub alive: bool,
    /// Unexpired leases: articles being checked, deliveries being sent, listings being read.
    pub articles: i64,
    pub deliveries: i64,
    pub sources: Vec<String>,
    /// When the oldest lease it holds was taken.
    pub oldest_lease_at: Option<String>,
}

/// The outcome of [`Store::take_host_slot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostSlot {
    /// This slot is ours until released (or its hold expires).
    Taken(i64),
    /// Every slot of the host is held by some worker: try again shortly.
    Busy,
    /// Not a shared store.
    Unshared,
}

/// The host an article URL is fetched from, as the fetcher keys its per-host limits (the
/// URL's host, no port; empty when it has none): stored with each article so due articles
/// are leased round-robin across hosts.
pub(crate) fn url_host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A worker that has not beaten for this long is taken for dead (it beats every few seconds).
pub const WORKER_ALIVE_SECS: i64 = 30;

/// This process's worker id, `host:pid:started_ms`: the holder written into lease columns.
pub fn worker_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        format!(
            "{}:{}:{}",
            hostname(),
            std::process::id(),
            Utc::now().timestamp_millis()
        )
    })
}

/// The machine's name, from `gethostname(2)` (uname): it needs no file, so it works under
/// the unit's `ProcSubset=pid`, which hides `/proc/sys`.
pub(crate) fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Some(String::from_utf8_lossy(&buf[..end]).trim().to_string())
        .filter(|h| ok && !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Which notifiers get which event types; the outbox gets one row per matching target.
pub trait Routes {
    fn targets(&self, event_type: &str) -> Vec<String>;
}

/// What a commit produced.
#[derive(Debug, Clone, Default)]
pub struct Committed {
    pub events: Vec<String>,
    pub outbox_rows: usize,
}

/// Storage backend. Methods are synchronous and short; async callers use
/// `spawn_blocking` for the few that can take long.
pub trait Store: Send + Sync {
    /// Inserts or updates the configured sources (by name).
    fn sync_sources(&self, sources: &[crate::config::SourceConfig]) -> Result<()>;
    fn sources(&self) -> Result<Vec<SourceState>>;
    /// Finds an article by id, canonical URL or alias; creates it when `create` is given.
    fn article_by_url(&self, url: &str) -> Result<Option<ArticleRow>>;
    fn create_article(
        &self,
        url: &str,
        outlet: Option<&str>,
        source: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ArticleRow>;
    fn article(&self, id: i64) -> Result<Option<ArticleRow>>;
    /// An id or a URL, as typed by a user.
    fn find_article(&self, key: &str) -> Result<Option<ArticleRow>>;
    fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>>;
    fn versions(&self, article_id: i64) -> Result<Vec<VersionRow>>;
    fn version(&self, article_id: i64, seq: i64) -> Result<Option<VersionRow>>;
    fn latest_version(&self, article_id: i64) -> Result<Option<VersionRow>>;
    /// The raw page of a version and its Content-Type; `None` when retention dropped it.
    fn raw_page(&self, article_id: i64, seq: i64) -> Result<Option<RawPage>>;
    /// The raw page's bytes alone.
    fn raw(&self, article_id: i64, seq: i64) -> Result<Option<Vec<u8>>> {
        Ok(self.raw_page(article_id, seq)?.map(|p| p.bytes))
    }
    /// Applies one observation atomically; the source-health event, if any, is created here.
    fn commit(&self, c: Commit, routes: &dyn Routes, at: DateTime<Utc>) -> Result<Committed>;
    fn events(&self, article_id: Option<i64>, limit: usize) -> Result<Vec<EventRow>>;
    /// Leases up to `limit` pending deliveries due at `now`, oldest first: their next attempt
    /// moves to `lease_until`, so no other worker sends them meanwhile; [`Store::record_attempt`]
    /// then sets the real outcome. A crashed worker's deliveries are due again at expiry.
    fn lease_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>>;
    fn record_attempt(
        &self,
        outbox_id: i64,
        at: DateTime<Utc>,
        result: &AttemptResult,
        duration_ms: u64,
    ) -> Result<()>;
    fn pending_deliveries(&self) -> Result<usize>;
    /// The earliest time a pending delivery becomes due.
    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>>;
    fn deliveries(&self, limit: usize) -> Result<Vec<DeliveryRow>>;
    /// A cheap query proving the store answers (for the systemd watchdog).
    fn ping(&self) -> Result<()>;

    /// Records what a feed or sitemap listed, in one transaction: new URLs become articles
    /// due now; a known article whose listed update time moved becomes due now.
    fn discover(
        &self,
        source: &str,
        outlet: Option<&str>,
        items: &[crate::sources::discover::Discovered],
        at: DateTime<Utc>,
    ) -> Result<DiscoverStats>;
    /// Leases up to `limit` articles due at `now`: their next check moves to `lease_until`,
    /// so no other loop or worker takes them meanwhile; the caller then sets the real next
    /// check. A crashed worker's lease simply expires. When more than `limit` are due they
    /// are taken round-robin across hosts (every host's earliest due article, then every
    /// host's second, …) and returned in that order: a page of one host's articles would
    /// wait on that host's politeness limit while the other hosts idle. Each host then gives
    /// at most `2 × limit / hosts with due articles`, so a page can come back short when a
    /// few hosts hold most of the due work (more of theirs would only queue).
    fn lease_due_articles(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueArticle>>;
    /// `check --all`: every scheduled article (or, with `sources`, those listed by the named
    /// sources) whose next check is later than `now` becomes due at `now`, except one whose
    /// lease another worker holds (it is being checked). The pass then leases them like any
    /// due work, round-robin across hosts. Returns how many moved.
    fn make_due(&self, now: DateTime<Utc>, sources: Option<&[String]>) -> Result<u64>;
    /// The article's next check (`None` = never again) and its consecutive failures.
    fn set_article_schedule(
        &self,
        article_id: i64,
        next: Option<DateTime<Utc>>,
        failures: u32,
    ) -> Result<()>;
    /// When the earliest scheduled article check is due.
    fn next_article_due(&self) -> Result<Option<DateTime<Utc>>>;
    /// Folds `dup` (a row with no versions yet, e.g. the same story listed under another
    /// URL) into `into`: its URL and aliases become aliases of `into`, and the row goes.
    /// Returns false (and changes nothing) when `dup` already has versions.
    fn absorb_article(&self, dup: i64, into: i64) -> Result<bool>;
    /// Stores the feed/sitemap document's validators for the next conditional GET.
    fn set_source_validators(
        &self,
        name: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<()>;

    /// Story members written after revision `since`, only those published (undated ones:
    /// joined) within `range` when given, all manual links, the next story id and the
    /// current revision (read first, so a row written meanwhile is never missed).
    fn story_sync(
        &self,
        since: i64,
        range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<StorySync>;
    /// Writes assignments atomically; [`StoreError::StoriesMoved`] when the revision is no
    /// longer `base_rev` (catch up with [`Store::story_sync`] and redo). Returns the new rev.
    fn story_write(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<i64>;
    /// [`Store::story_write`], and when the revision moved, what was written since
    /// `w.base_rev` ([`Store::story_sync`] without a range) instead of an error: the stories
    /// stage writes first and catches up only when it has to, in one call (one round trip
    /// on PostgreSQL).
    fn story_step(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<StoryStep> {
        match self.story_write(w, at) {
            Ok(rev) => Ok(StoryStep::Written(rev)),
            Err(StoreError::StoriesMoved) => {
                Ok(StoryStep::Moved(self.story_sync(w.base_rev, None)?))
            }
            Err(e) => Err(e),
        }
    }
    /// The story, the members a re-compare needs (see [`StoryState`]) and its open
    /// findings, in one call.
    fn story_state(&self, story_id: i64) -> Result<StoryState> {
        Ok(StoryState::of_members(
            self.story(story_id)?,
            self.story_members(story_id)?,
            self.story_findings(story_id, false)?,
        ))
    }
    /// Articles with one version each, by (article id, seq), in one call; pairs that do
    /// not exist are left out.
    fn story_docs(&self, wanted: &[(i64, i64)]) -> Result<Vec<(ArticleRow, VersionRow)>> {
        let mut out = Vec::with_capacity(wanted.len());
        for &(id, seq) in wanted {
            if let (Some(a), Some(v)) = (self.article(id)?, self.version(id, seq)?) {
                out.push((a, v));
            }
        }
        Ok(out)
    }
    /// Articles whose latest sound (unflagged) version is not the one clustered — new since
    /// the stories began, or a crash between a version and its story write — by id.
    fn unclustered_articles(&self, after: i64, limit: usize) -> Result<Vec<i64>>;
    /// The members of one story, in the order they joined.
    fn story_members(&self, story_id: i64) -> Result<Vec<StoryMember>>;
    /// The story an article is in.
    fn story_of(&self, article_id: i64) -> Result<Option<i64>>;
    /// Stories, most recently joined first.
    fn stories(&self, limit: usize) -> Result<Vec<StoryRow>>;
    fn story(&self, story_id: i64) -> Result<Option<StoryRow>>;
    /// A story's findings (open ones, or all with `include_resolved`), loudest first.
    fn story_findings(&self, story_id: i64, include_resolved: bool) -> Result<Vec<StoredFinding>>;
    /// Applies a story's finding changes and their events (with outbox rows) in one
    /// transaction; [`StoreError::StoriesMoved`] when the open findings or the membership
    /// changed meanwhile.
    fn write_findings(
        &self,
        w: &FindingsWrite,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed>;

    // Reads for the web UI and the JSON API: newest first, keyset-paged (see [`query`]).

    fn list_articles(&self, q: &ArticleQuery, page: PageReq) -> Result<Paged<ArticleRow>>;
    fn list_fact_changes(&self, q: &FactQuery, page: PageReq) -> Result<Paged<FactChangeRow>>;
    /// [`Self::list_fact_changes`] with each item as its stored JSON text, unparsed (`item`
    /// is `Null`), for the API's list page to splice into its response. The default
    /// re-serialises the parsed items (any backend); SQLite reads the text as stored.
    fn list_fact_changes_raw(
        &self,
        q: &FactQuery,
        page: PageReq,
    ) -> Result<Paged<(FactChangeRow, String)>> {
        Ok(self.list_fact_changes(q, page)?.map(|mut r| {
            let raw = r.item.take().to_string();
            (r, raw)
        }))
    }
    fn fact_change(&self, id: i64) -> Result<Option<FactChangeRow>>;
    /// Findings of every story (conflicts, tensions, disputes), open and resolved.
    fn list_findings(&self, q: &FindingQuery, page: PageReq) -> Result<Paged<FindingRow>>;
    fn finding(&self, id: i64) -> Result<Option<FindingRow>>;
    fn list_events(&self, q: &EventQuery, page: PageReq) -> Result<Paged<EventRow>>;
    fn event(&self, id: &str) -> Result<Option<EventRow>>;
    /// Stories by id, newest first.
    fn list_stories(&self, page: PageReq) -> Result<Paged<StoryRow>>;
    fn list_deliveries(&self, q: &DeliveryQuery, page: PageReq) -> Result<Paged<DeliveryRow>>;
    /// Leases a page or listing source for one check when it is due at `now` (or was never
    /// checked): its next check moves to `lease_until`, so no other worker reads it meanwhile;
    /// the check's [`Commit::source`] then sets the real next check. False when it is not due
    /// or another worker holds it.
    fn lease_source(
        &self,
        name: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool>;
    /// Reserves the next start of a request to `host` among every worker sharing this store,
    /// `spacing` after the previous one, and returns how long to wait for it. `None`: the
    /// store is not shared (SQLite), the in-process politeness is the whole limit.
    fn reserve_host_turn(
        &self,
        _host: &str,
        _spacing: std::time::Duration,
    ) -> Result<Option<std::time::Duration>> {
        Ok(None)
    }
    /// No request to `host` by any worker sharing this store for `pause` from now (a 429/503
    /// with Retry-After seen by one worker holds for all). Nothing to share on SQLite.
    fn pause_host(&self, _host: &str, _pause: std::time::Duration) -> Result<()> {
        Ok(())
    }
    /// The highest migration applied to this store.
    fn schema_version(&self) -> Result<i64>;
    /// Takes one of `limit` request slots of `host` shared by every worker on this store,
    /// for at most `hold` (a dead worker's slot frees then). [`HostSlot::Unshared`] when the
    /// store is not shared (SQLite): the in-process limit is the whole limit.
    fn take_host_slot(
        &self,
        _host: &str,
        _limit: usize,
        _hold: std::time::Duration,
    ) -> Result<HostSlot> {
        Ok(HostSlot::Unshared)
    }
    /// Gives back a slot [`Store::take_host_slot`] returned, and moves the host's next start
    /// (see [`Store::reserve_host_turn`]) to at least `spacing` from now: the delay then
    /// counts from the end of this request for every worker, as it does within one.
    fn release_host_slot(
        &self,
        _host: &str,
        _slot: i64,
        _spacing: std::time::Duration,
    ) -> Result<()> {
        Ok(())
    }
    /// Records that this process ([`worker_id`]) is alive, or has stopped.
    fn worker_beat(&self, stopping: bool) -> Result<()>;
    /// Every worker seen, most recent first, with its unexpired leases at `now`.
    fn workers(&self, now: DateTime<Utc>) -> Result<Vec<WorkerRow>>;

    /// Every outlet with an article, sorted (for filter menus).
    fn outlets(&self) -> Result<Vec<String>>;
    /// Edits (versions after the first) per UTC day and outlet since `since`.
    fn edits_by_day(&self, since: DateTime<Utc>) -> Result<Vec<EditCount>>;

    // Operations (issue 18): reprocess, verify, retention, metrics.

    /// Up to `limit` article ids above `after`, in id order, having a version observed at or
    /// after `since` (all with versions when `None`).
    fn articles_with_versions(
        &self,
        after: i64,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<i64>>;
    /// Replaces the derived data of versions (text, hash, flag, significance, diff, claims) in one
    /// transaction; raw pages, times and events stay.
    fn rewrite_versions(&self, rewrites: &[VersionRewrite]) -> Result<()>;
    /// A named resume point of a long operation (`None`: none saved).
    fn ops_cursor(&self, name: &str) -> Result<Option<String>>;
    /// Saves (or with `None` clears) a resume point.
    fn set_ops_cursor(&self, name: &str, value: Option<&str>) -> Result<()>;
    /// Broken links between events, outbox and fact changes; `routed` says which event
    /// types the current config sends anywhere.
    fn check_links(&self, routed: &dyn Fn(&str) -> bool) -> Result<LinkCheck>;
    /// Drops the raw pages of versions observed before `before`, keeping their text and
    /// events; returns how many were dropped.
    fn drop_raw_before(&self, before: DateTime<Utc>) -> Result<u64>;
    /// Gives the space of deleted data back (SQLite `VACUUM`, PostgreSQL `VACUUM ANALYZE`).
    fn vacuum(&self) -> Result<()>;
    /// Counts for `/metrics`.
    fn stats(&self, now: DateTime<Utc>) -> Result<StoreStats>;
}

#[cfg(test)]
mod hostname_tests {
    #[test]
    fn hostname_is_the_kernels_without_reading_proc() {
        let proc = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        assert_eq!(super::hostname(), proc.trim());
    }
}
