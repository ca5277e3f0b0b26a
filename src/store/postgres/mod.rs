//! PostgreSQL backend: several `factdiff` workers share one database, which is their queue,
//! their lock and their truth (issue 17).
//!
//! # Running an async driver under the synchronous [`Store`] trait
//! The trait is synchronous (SQLite calls are short and the daemon already moves the long ones
//! to `spawn_blocking`). The store owns a small dedicated Tokio runtime (one worker thread)
//! that drives every PostgreSQL connection's socket (`tokio_postgres::Connection` tasks and
//! the pool's connects). A trait method builds its future on the *calling* thread and
//! parks that thread until the future is done ([`PgStore::run`]): the future only exchanges
//! messages with the connection tasks, so it needs no executor of its own. This keeps the
//! trait and every caller unchanged, lets methods borrow their arguments (no `'static`
//! copies), and works from any thread, including a worker of the daemon's runtime (where
//! `Runtime::block_on` would panic). Parking a daemon worker is the same cost SQLite already
//! has (a blocking disk call); the long calls keep going through `spawn_blocking`.
//! The future runs `unconstrained`, so the calling task's cooperative budget cannot starve
//! it.
//!
//! Times are stored as the same RFC 3339 text as in SQLite (see the migrations), so the two
//! backends print identical output and copy between them without conversion.

pub mod copy;
mod lists;
mod ops;
mod pipeline;
mod read;
mod stories;
#[doc(hidden)]
pub mod testing;
pub mod tls;
mod workers;
mod write;

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};

use super::*;

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// Runs statements prepared once per pooled connection: tokio-postgres prepares a `&str`
/// statement on every call (a round trip of its own before the one that runs it), which
/// doubled the round trips of every observation.
#[allow(async_fn_in_trait)]
pub(super) trait Cached: deadpool_postgres::GenericClient {
    async fn cquery(
        &self,
        sql: &str,
        p: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> std::result::Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
        let st = self.prepare_cached(sql).await?;
        self.query(&st, p).await
    }
    async fn cquery_one(
        &self,
        sql: &str,
        p: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> std::result::Result<tokio_postgres::Row, tokio_postgres::Error> {
        let st = self.prepare_cached(sql).await?;
        self.query_one(&st, p).await
    }
    async fn cquery_opt(
        &self,
        sql: &str,
        p: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> std::result::Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
        let st = self.prepare_cached(sql).await?;
        self.query_opt(&st, p).await
    }
    async fn cexecute(
        &self,
        sql: &str,
        p: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> std::result::Result<u64, tokio_postgres::Error> {
        let st = self.prepare_cached(sql).await?;
        self.execute(&st, p).await
    }
}

impl<T: deadpool_postgres::GenericClient> Cached for T {}

/// Connections per store: the daemon's blocking threads share them; more would only queue in
/// the server.
const POOL_SIZE: usize = 8;

/// A `postgres://` store. Cheap to clone (the pool and runtime are shared).
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    rt: Option<tokio::runtime::Runtime>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside an async context; the connection
        // tasks need no graceful end (the server sees the socket close).
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// Wakes the parked calling thread.
struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `f` on this thread, parking between polls.
fn park_on<F: Future>(f: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

/// Text times as SQLite stores them (fixed width, milliseconds, `Z`).
pub(super) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) fn parse_ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The URL with any password replaced, for error messages and logs.
pub fn redact(url: &str) -> String {
    crate::config::redact_url(url)
}

/// An error with its causes ("error connecting to server: Connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

/// The newest migration this build knows.
fn known_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version() as i64)
        .max()
        .unwrap_or(0)
}

impl PgStore {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/db`) and, with `migrate`,
    /// brings the schema up to date. A database whose schema is newer than this build, or
    /// (without `migrate`) older, is refused with an error that says so.
    pub fn open(url: &str, migrate: bool) -> Result<Self> {
        Self::open_with(url, migrate, None)
    }

    /// [`Self::open`] for a worker: with `idle_in_transaction`, the server ends any session
    /// of this process that stays idle inside a transaction that long
    /// (`idle_in_transaction_session_timeout`), so a worker that stalls mid-transaction
    /// (stopped, hung, or cut off with its connections open) cannot hold row locks that
    /// the other workers wait for beyond that.
    pub fn open_with(
        url: &str,
        migrate: bool,
        idle_in_transaction: Option<std::time::Duration>,
    ) -> Result<Self> {
        let open_err = |why: String| StoreError::Open {
            path: redact(url),
            why,
        };
        let tls =
            tls::split_url(url).map_err(|e| open_err(format!("invalid PostgreSQL URL: {e}")))?;
        let mut cfg: tokio_postgres::Config = tls
            .url
            .parse()
            .map_err(|e| open_err(format!("invalid PostgreSQL URL: {e}")))?;
        cfg.ssl_mode(tls.mode.ssl_mode());
        if let Some(limit) = idle_in_transaction {
            let mut options = cfg.get_options().unwrap_or("").to_string();
            options.push_str(&format!(
                " -c idle_in_transaction_session_timeout={}",
                limit.as_millis().max(1)
            ));
            cfg.options(options.trim());
        }
        let connector = tls::connector(&tls).map_err(open_err)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("factdiff-pg")
            .enable_all()
            .build()
            .map_err(|e| open_err(format!("cannot start the PostgreSQL runtime: {e}")))?;
        let mgr = Manager::from_config(
            cfg,
            connector,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(mgr)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .create_timeout(Some(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| open_err(e.to_string()))?;
        let store = PgStore {
            inner: Arc::new(Inner { pool, rt: Some(rt) }),
        };
        store.run(async {
            let mut c = store
                .inner
                .pool
                .get()
                .await
                .map_err(|e| open_err(format!("cannot connect: {}", chain(&e))))?;
            let applied = applied_version(&c).await?;
            let known = known_version();
            if applied > known {
                return Err(StoreError::Migration(format!(
                    "database {} has schema version {applied}, newer than this factdiff \
                     knows ({known}); upgrade factdiff",
                    redact(url)
                )));
            }
            if migrate && applied < known {
                // One migrator at a time when several workers start together.
                c.batch_execute("SELECT pg_advisory_lock(7317001)").await?;
                // Another worker may have migrated while this one waited for the lock.
                let res = match applied_version(&c).await {
                    Ok(v) if v >= known => Ok(()),
                    Ok(_) => embedded::migrations::runner()
                        .run_async(&mut **c)
                        .await
                        .map(|_| ())
                        .map_err(|e| StoreError::Migration(e.to_string())),
                    Err(e) => Err(e),
                };
                c.batch_execute("SELECT pg_advisory_unlock(7317001)")
                    .await?;
                res?;
            } else if !migrate && applied < known {
                return Err(StoreError::Migration(format!(
                    "database {} has schema version {applied}, this factdiff needs {known}; \
                     run `factdiff migrate`",
                    redact(url)
                )));
            }
            Ok(())
        })?;
        Ok(store)
    }

    /// Runs `f` to completion on the calling thread, with the store's runtime driving I/O.
    pub(crate) fn run<F: Future>(&self, f: F) -> F::Output {
        let rt = self
            .inner
            .rt
            .as_ref()
            .expect("runtime lives as long as the store");
        let _enter = rt.handle().enter();
        park_on(tokio::task::unconstrained(f))
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.inner
            .pool
            .get()
            .await
            .map_err(|e| StoreError::Unavailable(chain(&e)))
    }

    /// This process's worker id (`host:pid:started_ms`), the holder of its leases.
    pub fn worker_id(&self) -> &'static str {
        super::worker_id()
    }
}

/// The highest applied migration (0 on an empty database).
async fn applied_version(c: &tokio_postgres::Client) -> Result<i64> {
    let exists: bool = c
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> = c
        .query_one("SELECT MAX(version) FROM refinery_schema_history", &[])
        .await?
        .get(0);
    Ok(v.unwrap_or(0) as i64)
}

/// Maps a unique violation on `versions` (two writers of one seq) to [`StoreError::Conflict`].
pub(super) fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}

impl Store for PgStore {
    fn sync_sources(&self, sources: &[crate::config::SourceConfig]) -> Result<()> {
        self.run(self.sync_sources_(sources))
    }
    fn sources(&self) -> Result<Vec<SourceState>> {
        self.run(self.sources_())
    }
    fn article_by_url(&self, url: &str) -> Result<Option<ArticleRow>> {
        self.run(self.article_by_url_(url))
    }
    fn create_article(
        &self,
        url: &str,
        outlet: Option<&str>,
        source: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ArticleRow> {
        self.run(self.create_article_(url, outlet, source, at))
    }
    fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        self.run(self.article_(id))
    }
    fn find_article(&self, key: &str) -> Result<Option<ArticleRow>> {
        if let Ok(id) = key.parse::<i64>() {
            return self.article(id);
        }
        self.article_by_url(key)
    }
    fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>> {
        self.run(self.articles_(limit))
    }
    fn versions(&self, article_id: i64) -> Result<Vec<VersionRow>> {
        self.run(self.versions_(article_id))
    }
    fn version(&self, article_id: i64, seq: i64) -> Result<Option<VersionRow>> {
        self.run(self.version_(article_id, Some(seq)))
    }
    fn latest_version(&self, article_id: i64) -> Result<Option<VersionRow>> {
        self.run(self.version_(article_id, None))
    }
    fn raw_page(&self, article_id: i64, seq: i64) -> Result<Option<RawPage>> {
        self.run(self.raw_page_(article_id, seq))
    }
    fn commit(&self, c: Commit, routes: &dyn Routes, at: DateTime<Utc>) -> Result<Committed> {
        self.run(self.commit_(c, routes, at))
    }
    fn events(&self, article_id: Option<i64>, limit: usize) -> Result<Vec<EventRow>> {
        self.run(self.events_(article_id, limit))
    }
    fn lease_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        self.run(self.lease_deliveries_(now, lease_until, limit))
    }
    fn record_attempt(
        &self,
        outbox_id: i64,
        at: DateTime<Utc>,
        result: &AttemptResult,
        duration_ms: u64,
    ) -> Result<()> {
        self.run(self.record_attempt_(outbox_id, at, result, duration_ms))
    }
    fn pending_deliveries(&self) -> Result<usize> {
        let n: i64 =
            self.run(self.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'", &[]))?;
        Ok(n as usize)
    }
    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self.run(self.scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'",
            &[],
        ))?;
        Ok(t.as_deref().map(parse_ts))
    }
    fn deliveries(&self, limit: usize) -> Result<Vec<DeliveryRow>> {
        self.run(self.deliveries_(limit))
    }
    fn ping(&self) -> Result<()> {
        let _: i32 = self.run(self.scalar("SELECT 1", &[]))?;
        Ok(())
    }
    fn discover(
        &self,
        source: &str,
        outlet: Option<&str>,
        items: &[crate::sources::discover::Discovered],
        at: DateTime<Utc>,
    ) -> Result<DiscoverStats> {
        self.run(self.discover_(source, outlet, items, at))
    }
    fn lease_due_articles(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueArticle>> {
        self.run(self.lease_due_articles_(now, lease_until, limit))
    }
    fn make_due(&self, now: DateTime<Utc>, sources: Option<&[String]>) -> Result<u64> {
        self.run(self.make_due_(now, sources))
    }
    fn set_article_schedule(
        &self,
        article_id: i64,
        next: Option<DateTime<Utc>>,
        failures: u32,
    ) -> Result<()> {
        self.run(self.set_article_schedule_(article_id, next, failures))
    }
    fn next_article_due(&self) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self.run(self.scalar(
            "SELECT MIN(next_check_at) FROM articles WHERE next_check_at IS NOT NULL",
            &[],
        ))?;
        Ok(t.as_deref().map(parse_ts))
    }
    fn absorb_article(&self, dup: i64, into: i64) -> Result<bool> {
        self.run(self.absorb_article_(dup, into))
    }
    fn set_source_validators(
        &self,
        name: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<()> {
        self.run(async {
            self.client()
                .await?
                .execute(
                    "UPDATE sources SET etag = $2, last_modified = $3 WHERE name = $1",
                    &[&name, &etag, &last_modified],
                )
                .await?;
            Ok(())
        })
    }
    fn story_sync(
        &self,
        since: i64,
        range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<StorySync> {
        self.run(self.story_sync_(since, range))
    }
    fn story_write(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<i64> {
        self.run(self.story_write_(w, at))
    }
    fn story_step(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<StoryStep> {
        self.run(self.story_step_(w, at))
    }
    fn story_state(&self, story_id: i64) -> Result<StoryState> {
        self.run(self.story_state_(story_id))
    }
    fn story_docs(&self, wanted: &[(i64, i64)]) -> Result<Vec<(ArticleRow, VersionRow)>> {
        self.run(self.story_docs_(wanted))
    }
    fn unclustered_articles(&self, after: i64, limit: usize) -> Result<Vec<i64>> {
        self.run(self.unclustered_articles_(after, limit))
    }
    fn story_members(&self, story_id: i64) -> Result<Vec<StoryMember>> {
        self.run(self.story_members_(story_id))
    }
    fn story_of(&self, article_id: i64) -> Result<Option<i64>> {
        self.run(async {
            Ok(self
                .client()
                .await?
                .query_opt(
                    "SELECT story_id FROM story_members WHERE article_id = $1",
                    &[&article_id],
                )
                .await?
                .map(|r| r.get(0)))
        })
    }
    fn stories(&self, limit: usize) -> Result<Vec<StoryRow>> {
        self.run(self.stories_(limit))
    }
    fn story(&self, story_id: i64) -> Result<Option<StoryRow>> {
        self.run(self.story_(story_id))
    }
    fn story_findings(&self, story_id: i64, include_resolved: bool) -> Result<Vec<StoredFinding>> {
        self.run(self.story_findings_(story_id, include_resolved))
    }
    fn write_findings(
        &self,
        w: &FindingsWrite,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed> {
        self.run(self.write_findings_(w, routes, at))
    }
    fn list_articles(&self, q: &ArticleQuery, page: PageReq) -> Result<Paged<ArticleRow>> {
        self.run(self.list_articles_(q, page))
    }
    fn list_fact_changes(&self, q: &FactQuery, page: PageReq) -> Result<Paged<FactChangeRow>> {
        self.run(self.list_fact_changes_(q, page))
    }
    fn fact_change(&self, id: i64) -> Result<Option<FactChangeRow>> {
        self.run(self.fact_change_(id))
    }
    fn list_findings(&self, q: &FindingQuery, page: PageReq) -> Result<Paged<FindingRow>> {
        self.run(self.list_findings_(q, page))
    }
    fn finding(&self, id: i64) -> Result<Option<FindingRow>> {
        self.run(self.finding_(id))
    }
    fn list_events(&self, q: &EventQuery, page: PageReq) -> Result<Paged<EventRow>> {
        self.run(self.list_events_(q, page))
    }
    fn event(&self, id: &str) -> Result<Option<EventRow>> {
        self.run(self.event_(id))
    }
    fn list_stories(&self, page: PageReq) -> Result<Paged<StoryRow>> {
        self.run(self.list_stories_(page))
    }
    fn list_deliveries(&self, q: &DeliveryQuery, page: PageReq) -> Result<Paged<DeliveryRow>> {
        self.run(self.list_deliveries_(q, page))
    }
    fn outlets(&self) -> Result<Vec<String>> {
        self.run(self.outlets_())
    }
    fn lease_source(
        &self,
        name: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool> {
        self.run(self.lease_source_(name, now, lease_until))
    }
    fn reserve_host_turn(
        &self,
        host: &str,
        spacing: std::time::Duration,
    ) -> Result<Option<std::time::Duration>> {
        self.run(self.reserve_host_turn_(host, spacing)).map(Some)
    }
    fn take_host_slot(
        &self,
        host: &str,
        limit: usize,
        hold: std::time::Duration,
    ) -> Result<HostSlot> {
        self.run(self.take_host_slot_(host, limit, hold))
    }
    fn release_host_slot(&self, host: &str, slot: i64, spacing: std::time::Duration) -> Result<()> {
        self.run(self.release_host_slot_(host, slot, spacing))
    }
    fn pause_host(&self, host: &str, pause: std::time::Duration) -> Result<()> {
        self.run(self.pause_host_(host, pause))
    }
    fn worker_beat(&self, stopping: bool) -> Result<()> {
        self.run(self.worker_beat_(stopping))
    }
    fn schema_version(&self) -> Result<i64> {
        self.run(async { applied_version(&**self.client().await?).await })
    }
    fn workers(&self, now: DateTime<Utc>) -> Result<Vec<WorkerRow>> {
        self.run(self.workers_(now))
    }
    fn edits_by_day(&self, since: DateTime<Utc>) -> Result<Vec<EditCount>> {
        self.run(self.edits_by_day_(since))
    }
    fn articles_with_versions(
        &self,
        after: i64,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<i64>> {
        self.run(self.articles_with_versions_(after, since, limit))
    }
    fn rewrite_versions(&self, rewrites: &[VersionRewrite]) -> Result<()> {
        self.run(self.rewrite_versions_(rewrites))
    }
    fn ops_cursor(&self, name: &str) -> Result<Option<String>> {
        self.run(self.ops_cursor_(name))
    }
    fn set_ops_cursor(&self, name: &str, value: Option<&str>) -> Result<()> {
        self.run(self.set_ops_cursor_(name, value))
    }
    fn check_links(&self, routed: &dyn Fn(&str) -> bool) -> Result<LinkCheck> {
        self.run(self.check_links_(routed))
    }
    fn drop_raw_before(&self, before: DateTime<Utc>) -> Result<u64> {
        self.run(self.drop_raw_before_(before))
    }
    fn vacuum(&self) -> Result<()> {
        self.run(self.vacuum_())
    }
    fn stats(&self, now: DateTime<Utc>) -> Result<StoreStats> {
        self.run(self.stats_(now))
    }
}
