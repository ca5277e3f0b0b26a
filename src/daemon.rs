//! The daemon loop: one task per source, one delivery worker, the systemd watchdog, and
//! signal handling (SIGTERM/SIGINT stop after in-flight work; SIGHUP reloads the config).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tokio::signal::unix::{SignalKind, signal};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, SourceKind};
use crate::fetch::{FetchSettings, Fetcher};
use crate::notify::Router;
use crate::notify::outbox::{self, Notifiers, RoundStats};
use crate::sources::{self, Ctx};
use crate::store::{SqliteStore, Store};

/// Opens the store named by the config, creating and migrating it (`factdiff migrate` does
/// the same explicitly).
pub fn open_store(cfg: &Config) -> anyhow::Result<Arc<dyn Store>> {
    #[cfg(feature = "postgres")]
    if cfg.storage.is_postgres() {
        // A session idle inside a transaction longer than the lease (at least 10 s) belongs
        // to a stalled worker: the server ends it, and its row locks go with it.
        let idle = cfg.storage.lease.max(Duration::from_secs(10));
        return Ok(Arc::new(crate::store::PgStore::open_with(
            &cfg.storage.url,
            true,
            Some(idle),
        )?));
    }
    let path = cfg
        .storage
        .sqlite_path()
        .context("storage.url is neither sqlite:// nor postgres://")?;
    let store = SqliteStore::open(&path)?;
    Ok(Arc::new(store))
}

pub fn fetcher(cfg: &Config) -> anyhow::Result<Fetcher> {
    Ok(Fetcher::new(fetch_settings(cfg))?)
}

/// Per-host turns reserved in the store, so the delay holds across workers. A shared slot is
/// held at most the lease (`storage.lease`): a worker that stalls holding one (SIGSTOP, a
/// hung process, a machine cut off) delays the host's other workers no longer than its
/// leased articles.
struct StoreTurns(Arc<dyn Store>, Duration);

impl std::fmt::Debug for StoreTurns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreTurns")
    }
}

impl crate::fetch::SharedTurns for StoreTurns {
    fn take_slot(&self, host: &str, limit: usize, hold: Duration) -> crate::fetch::SharedSlot {
        use crate::fetch::SharedSlot;
        use crate::store::HostSlot;
        match self.0.take_host_slot(host, limit, hold.min(self.1)) {
            Ok(HostSlot::Taken(n)) => SharedSlot::Taken(n),
            Ok(HostSlot::Busy) => SharedSlot::Busy,
            Ok(HostSlot::Unshared) => SharedSlot::Unavailable,
            Err(e) => {
                tracing::warn!(host, "shared per-host slot unavailable: {e}");
                SharedSlot::Unavailable
            }
        }
    }

    fn release_slot(&self, host: &str, slot: i64, spacing: Duration) {
        if let Err(e) = self.0.release_host_slot(host, slot, spacing) {
            // It frees itself when its hold expires.
            tracing::warn!(host, slot, "releasing a shared per-host slot failed: {e}");
        }
    }

    fn pause(&self, host: &str, pause: Duration) {
        if let Err(e) = self.0.pause_host(host, pause) {
            tracing::warn!(host, "sharing a Retry-After pause failed: {e}");
        }
    }

    fn reserve(&self, host: &str, spacing: Duration) -> Option<Duration> {
        match self.0.reserve_host_turn(host, spacing) {
            Ok(w) => w,
            Err(e) => {
                // The local delay still holds; a store hiccup must not stop fetching.
                tracing::warn!(host, "shared per-host turn unavailable: {e}");
                None
            }
        }
    }
}

/// The fetcher of a daemon or `check` pass: with a shared store (PostgreSQL) its per-host
/// delay is shared with every worker on that store.
fn shared_fetcher(cfg: &Config, store: &Arc<dyn Store>) -> anyhow::Result<Fetcher> {
    let shared: Option<Arc<dyn crate::fetch::SharedTurns>> = cfg
        .storage
        .is_postgres()
        .then(|| Arc::new(StoreTurns(store.clone(), cfg.storage.lease)) as _);
    Ok(Fetcher::with_shared_turns(fetch_settings(cfg), shared)?)
}

fn fetch_settings(cfg: &Config) -> FetchSettings {
    FetchSettings {
        user_agent: cfg.fetch.user_agent.clone(),
        timeout: cfg.fetch.timeout,
        connect_timeout: cfg.fetch.connect_timeout,
        max_body: cfg.fetch.max_body,
        max_redirects: cfg.fetch.max_redirects,
        per_host_delay: cfg.fetch.per_host_delay,
        per_host_concurrency: cfg.fetch.per_host_concurrency,
        concurrency: cfg.fetch.concurrency,
        robots: cfg.fetch.robots,
        guard: crate::fetch::GuardPolicy::new(
            cfg.fetch.allow_private_addresses,
            &cfg.fetch.allow_hosts,
        ),
    }
}

fn ctx(
    cfg: &Arc<Config>,
    store: &Arc<dyn Store>,
    wake: &Arc<tokio::sync::Notify>,
) -> anyhow::Result<Ctx> {
    Ok(Ctx {
        store: store.clone(),
        router: Arc::new(Router::new(cfg)),
        fetcher: shared_fetcher(cfg, store)?,
        config: cfg.clone(),
        wake: wake.clone(),
        discovered: Arc::new(tokio::sync::Notify::new()),
        stories: Arc::new(crate::stories::Stories::with_min_severity(
            cfg.notify.conflict_min_severity,
        )),
    })
}

/// Summary of one `check` pass.
#[derive(Debug, Default, serde::Serialize)]
pub struct CheckReport {
    pub sources: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub removed: usize,
    pub flagged: usize,
    /// Feeds and sitemaps read, and the article URLs they listed that were new.
    pub listings: usize,
    pub discovered: usize,
    pub deliveries: RoundStats,
    pub pending_deliveries: usize,
}

impl CheckReport {
    fn count(&mut self, o: crate::observe::Observed) {
        use crate::observe::Observed::*;
        match o {
            New { .. } => self.new += 1,
            Changed { .. } => self.changed += 1,
            Unchanged { .. } | NotModified => self.unchanged += 1,
            Failed { .. } => self.failed += 1,
            Removed { .. } => self.removed += 1,
            Flagged { .. } => self.flagged += 1,
        }
    }
}

/// One pass: every selected source that is due (or all with `all`), then delivery.
pub async fn check(
    cfg: Arc<Config>,
    store: Arc<dyn Store>,
    only: &[String],
    all: bool,
) -> anyhow::Result<CheckReport> {
    for name in only {
        if cfg.source(name).is_none() {
            anyhow::bail!("no source named {name:?} in the config");
        }
    }
    store.sync_sources(&cfg.sources)?;
    // A pass is a worker too: `factdiff workers` shows what it holds while it runs.
    beat(&store, false).await;
    let wake = Arc::new(tokio::sync::Notify::new());
    let ctx = ctx(&cfg, &store, &wake)?;
    cluster_pending(ctx.clone()).await;
    let now = Utc::now();
    let lease = now + chrono::Duration::from_std(cfg.storage.lease).unwrap_or_default();
    // A source is due when its next check has come; taking its lease makes sure no other
    // worker (a daemon, another `check`) reads it in the same round.
    // Folders have no schedule: every pass reads them.
    let due = |s: &crate::config::SourceConfig| {
        all || !only.is_empty()
            || s.kind == SourceKind::Folder
            || store.lease_source(&s.name, now, lease).unwrap_or(false)
    };
    let mut report = CheckReport::default();
    let mut tasks = JoinSet::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.fetch.concurrency));
    for src in cfg
        .sources
        .iter()
        .filter(|s| s.enabled && (only.is_empty() || only.contains(&s.name)) && due(s))
    {
        report.sources += 1;
        let (ctx, src, limit) = (ctx.clone(), src.clone(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore never closed");
            match src.kind {
                SourceKind::Page => vec![Ok(sources::page::check(&ctx, &src).await)],
                SourceKind::Folder => {
                    let dir = src.path.clone().unwrap_or_default();
                    let files = sources::folder::list_files(&dir).unwrap_or_default();
                    if files.is_empty() && !dir.is_dir() {
                        let mut st = sources::folder::FileStates::default();
                        sources::folder::scan(&ctx, &src, &mut st).await;
                        return vec![];
                    }
                    let mut out = Vec::new();
                    for (p, _, _) in files {
                        out.push(Ok(sources::folder::ingest(&ctx, &src, &p, Utc::now()).await));
                    }
                    out
                }
                SourceKind::Feed | SourceKind::Sitemap => {
                    let r = sources::listing::check(&ctx, &src).await;
                    vec![Err(r)]
                }
            }
        });
    }
    while let Some(res) = tasks.join_next().await {
        for r in res.context("source task panicked")? {
            match r {
                Ok(observed) => report.count(observed?),
                Err(listing) => {
                    let l = listing?;
                    report.listings += 1;
                    report.discovered += l.discovered.new;
                    if l.error.is_some() {
                        report.failed += 1;
                    }
                }
            }
        }
    }
    // Then every tracked article that is due (those just discovered are due now).
    let only_listed: Vec<String> = cfg
        .sources
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    // `--all`: every scheduled article (of the selected sources) is due now, so the pass
    // leases them as the daemon does, round-robin across hosts (in id order, a page would be
    // one feed's articles on one host, waiting on its politeness while the others idle).
    if all {
        let s = store.clone();
        let sources = (!only.is_empty()).then(|| only_listed.clone());
        tokio::task::spawn_blocking(move || s.make_due(Utc::now(), sources.as_deref()))
            .await
            .context("store task panicked")??;
    }
    // Leased a page at a time and run with a bounded number of tasks, so memory stays flat
    // however many articles are due.
    let cap = cfg.fetch.concurrency * 2;
    let mut set = JoinSet::new();
    let mut skipped = Vec::new();
    loop {
        let now = Utc::now();
        let batch = {
            let s = store.clone();
            let lease = now + chrono::Duration::from_std(cfg.storage.lease).unwrap_or_default();
            tokio::task::spawn_blocking(move || s.lease_due_articles(now, lease, 256))
                .await
                .context("store task panicked")??
        };
        if batch.is_empty() {
            break;
        }
        for a in batch {
            if !only.is_empty() && !a.source.as_ref().is_some_and(|s| only_listed.contains(s)) {
                // Not selected: hold the lease until the pass ends, then give it back.
                skipped.push((a.id, a.check_failures));
                continue;
            }
            while set.len() >= cap {
                if let Some(r) = set.join_next().await {
                    report.count(r.context("article task panicked")??);
                }
            }
            let ctx = ctx.clone();
            set.spawn(async move { sources::tracked::check(&ctx, a).await });
        }
    }
    while let Some(r) = set.join_next().await {
        report.count(r.context("article task panicked")??);
    }
    if !skipped.is_empty() {
        let s = store.clone();
        let now = Utc::now();
        tokio::task::spawn_blocking(move || {
            skipped
                .into_iter()
                .try_for_each(|(id, f)| s.set_article_schedule(id, Some(now), f))
        })
        .await
        .context("store task panicked")??;
    }
    report.deliveries = outbox::deliver_due(&store, &Notifiers::new(&cfg)).await?;
    report.pending_deliveries = store.pending_deliveries()?;
    beat(&store, true).await;
    Ok(report)
}

async fn page_loop(
    ctx: Ctx,
    src: crate::config::SourceConfig,
    limit: Arc<tokio::sync::Semaphore>,
    cancel: CancellationToken,
) {
    // Continue the schedule where a previous run left it.
    let next = ctx
        .store
        .sources()
        .ok()
        .and_then(|all| all.into_iter().find(|s| s.name == src.name))
        .and_then(|s| s.next_check_at)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok());
    let mut wait = next
        .map(|t| {
            (t.with_timezone(&Utc) - Utc::now())
                .to_std()
                .unwrap_or_default()
        })
        .unwrap_or_default();
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        if !lease_source(&ctx, &src.name).await {
            // Another worker checks it (or did): wait for the next check it stored.
            wait = until_next(&ctx, &src.name).max(Duration::from_millis(500));
            continue;
        }
        // In-flight work is not interrupted: a check that started finishes before stopping.
        let permit = tokio::select! {
            _ = cancel.cancelled() => return,
            p = limit.clone().acquire_owned() => p.expect("semaphore never closed"),
        };
        let res = sources::page::check(&ctx, &src).await;
        drop(permit);
        if let Err(e) = res {
            tracing::error!(source = %src.name, "store error: {e}");
            crate::web::metrics::store_error("check");
        }
        // ±10 % jitter keeps many sources with the same interval from firing together.
        wait = src.interval.mul_f64(0.9 + 0.2 * fastrand::f64());
    }
}

/// Takes a source's lease for one check when it is due (false: not due, or another worker
/// has it).
async fn lease_source(ctx: &Ctx, name: &str) -> bool {
    let now = Utc::now();
    let until = now + chrono::Duration::from_std(ctx.config.storage.lease).unwrap_or_default();
    let name = name.to_string();
    match sources::blocking(&ctx.store, move |s| s.lease_source(&name, now, until)).await {
        Ok(got) => got,
        Err(e) => {
            tracing::error!("leasing a source failed: {e}");
            crate::web::metrics::store_error("lease");
            false
        }
    }
}

/// Time until a source's stored next check (zero when due or unknown).
fn until_next(ctx: &Ctx, name: &str) -> Duration {
    ctx.store
        .sources()
        .ok()
        .and_then(|all| all.into_iter().find(|s| s.name == name))
        .and_then(|s| s.next_check_at)
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| {
            (t.with_timezone(&Utc) - Utc::now())
                .to_std()
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// A feed or sitemap, read on its interval (continuing the stored schedule after a restart).
async fn listing_loop(ctx: Ctx, src: crate::config::SourceConfig, cancel: CancellationToken) {
    let mut wait = until_next(&ctx, &src.name);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        if !lease_source(&ctx, &src.name).await {
            wait = until_next(&ctx, &src.name).max(Duration::from_millis(500));
            continue;
        }
        wait = match sources::listing::check(&ctx, &src).await {
            // The check stored its next time (interval, jitter, backoff, Retry-After).
            Ok(_) => until_next(&ctx, &src.name).max(Duration::from_secs(1)),
            Err(e) => {
                tracing::error!(source = %src.name, "store error: {e}");
                crate::web::metrics::store_error("check");
                src.interval
            }
        };
    }
}

/// The first wait of an idle [`tracked_loop`] before it looks for due articles again; it
/// doubles while nothing turns up, up to [`IDLE_POLL_MAX`]. Other processes add due work
/// without waking this one (workers sharing a PostgreSQL database list articles for each
/// other; a CLI command adds to a SQLite store), so an idle worker must not sleep until the
/// next due time it knew of. The cost is one indexed query per poll.
const IDLE_POLL_MIN: Duration = Duration::from_millis(250);
/// The longest an idle worker leaves due work that another process added.
const IDLE_POLL_MAX: Duration = Duration::from_secs(2);

/// Every tracked article on its decaying schedule: leases what is due, keeps up to
/// `2 × fetch.concurrency` checks in flight (the fetcher enforces the real per-host and
/// global limits), and sleeps until the next article is due or a listing found new ones.
async fn tracked_loop(ctx: Ctx, cancel: CancellationToken) {
    let cap = ctx.config.fetch.concurrency * 2;
    let mut set: JoinSet<()> = JoinSet::new();
    let mut idle_poll = IDLE_POLL_MIN;
    loop {
        if cancel.is_cancelled() {
            break;
        }
        // Refill in batches (half the cap at least): one store round-trip per batch, not per
        // finished article.
        let room = cap.saturating_sub(set.len());
        let leased = if room >= cap / 2 || set.is_empty() {
            let now = Utc::now();
            let lease =
                now + chrono::Duration::from_std(ctx.config.storage.lease).unwrap_or_default();
            let s = ctx.store.clone();
            match tokio::task::spawn_blocking(move || s.lease_due_articles(now, lease, room)).await
            {
                Ok(Ok(v)) => v,
                Ok(Err(e)) => {
                    tracing::error!("leasing due articles failed: {e}");
                    crate::web::metrics::store_error("lease");
                    Vec::new()
                }
                Err(_) => Vec::new(),
            }
        } else {
            Vec::new()
        };
        let got = leased.len();
        for a in leased {
            let ctx = ctx.clone();
            set.spawn(async move {
                if let Err(e) = sources::tracked::check(&ctx, a).await {
                    tracing::error!("store error: {e}");
                    crate::web::metrics::store_error("check");
                }
            });
        }
        if got > 0 && got == room {
            continue; // more may be due
        }
        let wait = if got > 0 || set.len() >= cap / 2 {
            idle_poll = IDLE_POLL_MIN;
            Duration::from_secs(5)
        } else {
            let s = ctx.store.clone();
            let next = tokio::task::spawn_blocking(move || s.next_article_due())
                .await
                .ok()
                .and_then(Result::ok)
                .flatten();
            let known = next
                .map(|t| (t - Utc::now()).to_std().unwrap_or_default())
                .unwrap_or(Duration::from_secs(30));
            let wait = known.min(idle_poll);
            idle_poll = (idle_poll * 2).min(IDLE_POLL_MAX);
            wait.clamp(Duration::from_millis(20), Duration::from_secs(30))
        };
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = ctx.discovered.notified() => {}
            Some(_) = set.join_next(), if !set.is_empty() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
    // In-flight checks finish; nothing new starts.
    while set.join_next().await.is_some() {}
}

async fn delivery_loop(
    store: Arc<dyn Store>,
    notifiers: Notifiers,
    wake: Arc<tokio::sync::Notify>,
    cancel: CancellationToken,
) {
    loop {
        if let Err(e) = outbox::deliver_due(&store, &notifiers).await {
            tracing::error!("delivery round failed: {e}");
            crate::web::metrics::store_error("deliver");
        }
        let wait = match store.next_delivery_at() {
            Ok(Some(t)) => (t - Utc::now())
                .to_std()
                .unwrap_or_default()
                .min(Duration::from_secs(5)),
            _ => Duration::from_secs(5),
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait.max(Duration::from_millis(50))) => {}
        }
    }
}

/// Clusters articles stored without a story (a store from before stories, or a crash between
/// a version and its story write), then wakes delivery for the events that produced.
async fn cluster_pending(ctx: Ctx) {
    let (store, router, stories) = (ctx.store.clone(), ctx.router.clone(), ctx.stories.clone());
    let res = tokio::task::spawn_blocking(move || {
        stories.cluster_pending(store.as_ref(), router.as_ref(), Utc::now())
    })
    .await;
    match res {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => {
            tracing::info!(articles = n, "clustered articles that had no story yet");
            ctx.wake.notify_one();
        }
        Ok(Err(e)) => tracing::warn!("clustering stored articles failed: {e}"),
        Err(e) => tracing::error!("clustering task panicked: {e}"),
    }
}

/// Starts every task for one config generation.
fn spawn_generation(
    cfg: &Arc<Config>,
    store: &Arc<dyn Store>,
    wake: &Arc<tokio::sync::Notify>,
    cancel: &CancellationToken,
) -> anyhow::Result<JoinSet<()>> {
    store.sync_sources(&cfg.sources)?;
    let ctx = ctx(cfg, store, wake)?;
    let mut set = JoinSet::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.fetch.concurrency));
    for src in cfg.sources.iter().filter(|s| s.enabled) {
        let (ctx, src, cancel) = (ctx.clone(), src.clone(), cancel.clone());
        match src.kind {
            SourceKind::Page => {
                set.spawn(page_loop(ctx, src, limit.clone(), cancel));
            }
            SourceKind::Folder => {
                set.spawn(sources::folder::watch(ctx, src, cancel));
            }
            SourceKind::Feed | SourceKind::Sitemap => {
                set.spawn(listing_loop(ctx, src, cancel));
            }
        }
    }
    set.spawn(tracked_loop(ctx.clone(), cancel.clone()));
    set.spawn(cluster_pending(ctx.clone()));
    set.spawn(delivery_loop(
        store.clone(),
        Notifiers::new(cfg),
        wake.clone(),
        cancel.clone(),
    ));
    Ok(set)
}

/// How often a running worker records that it is alive (see [`crate::store::WORKER_ALIVE_SECS`]).
const HEARTBEAT: Duration = Duration::from_secs(5);

async fn beat(store: &Arc<dyn Store>, stopping: bool) {
    let s = store.clone();
    match tokio::task::spawn_blocking(move || s.worker_beat(stopping)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!("worker heartbeat failed: {e}"),
        Err(e) => tracing::error!("heartbeat task panicked: {e}"),
    }
}

fn sd(state: &[sd_notify::NotifyState]) {
    let _ = sd_notify::notify(state);
}

/// The `[web]` settings a running web server was started with.
type WebSettings = (Option<String>, Option<String>, Option<String>);

fn web_settings(cfg: &Config) -> WebSettings {
    (
        cfg.web.listen.clone(),
        cfg.web.token.clone(),
        cfg.web.feed_token.clone(),
    )
}

/// The web server of `factdiff run`: it lives across reloads, and is restarted only when a
/// reload changes `[web]` (address or tokens).
struct WebServer {
    settings: WebSettings,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl WebServer {
    /// Starts it when `cfg` has `web.listen`.
    async fn start(cfg: &Config) -> anyhow::Result<Option<WebServer>> {
        let Some(listen) = &cfg.web.listen else {
            return Ok(None);
        };
        let cancel = CancellationToken::new();
        let (_, task) = crate::web::start(cfg, listen, cancel.clone()).await?;
        Ok(Some(WebServer {
            settings: web_settings(cfg),
            cancel,
            task,
        }))
    }

    /// Stops accepting, lets in-flight requests finish for up to 5 s, then drops the rest.
    async fn stop(mut self) {
        self.cancel.cancel();
        if tokio::time::timeout(Duration::from_secs(5), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
    }
}

/// Applies a reloaded `[web]`: restarts the server when its settings changed. If the new
/// settings cannot be served (say the address is taken), the previous ones are served
/// again and the next reload tries anew.
async fn reload_web(web: Option<WebServer>, old: &Config, new: &Config) -> Option<WebServer> {
    let running = web.as_ref().map(|w| w.settings.clone());
    let wanted = new.web.listen.as_ref().map(|_| web_settings(new));
    if running == wanted {
        return web;
    }
    if let Some(w) = web {
        w.stop().await;
    }
    match WebServer::start(new).await {
        Ok(w) => {
            tracing::info!(listen = ?new.web.listen, "web server restarted for the new [web] settings");
            w
        }
        Err(e) => match WebServer::start(old).await {
            Ok(w) => {
                tracing::error!(
                    "web server not restarted with the new [web] settings: {e}; serving the previous ones"
                );
                w
            }
            Err(e2) => {
                tracing::error!(
                    "web server stopped: the new [web] settings fail ({e}), and so do the previous ones ({e2})"
                );
                None
            }
        },
    }
}

/// Runs until SIGTERM/SIGINT.
pub async fn run(config_path: &Path, cfg: Config) -> anyhow::Result<()> {
    let mut cfg = Arc::new(cfg);
    let store = open_store(&cfg)?;
    crate::web::metrics::install(); // process counters (store errors) count from the start
    let wake = Arc::new(tokio::sync::Notify::new());
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;

    let mut web = WebServer::start(&cfg).await?;
    let mut cancel = CancellationToken::new();
    let mut tasks = spawn_generation(&cfg, &store, &wake, &cancel)?;
    sd(&[sd_notify::NotifyState::Ready]);
    tracing::info!(sources = cfg.sources.len(), store = %cfg.storage.url, "factdiff running");

    // `factdiff workers` lists this process while it beats.
    beat(&store, false).await;
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    let watchdog = sd_notify::watchdog_enabled();
    let mut dog =
        tokio::time::interval(watchdog.map(|d| d / 2).unwrap_or(Duration::from_secs(3600)));
    // `[storage] keep_raw`: at start, then daily.
    let mut retention = tokio::time::interval(Duration::from_secs(86_400));
    loop {
        tokio::select! {
            _ = term.recv() => break,
            _ = int.recv() => break,
            _ = hup.recv() => {
                let now = sd_notify::NotifyState::monotonic_usec_now().ok();
                let mut st = vec![sd_notify::NotifyState::Reloading];
                st.extend(now);
                sd(&st);
                match Config::load(config_path) {
                    Ok(new) => {
                        tracing::info!(path = %config_path.display(), "config reloaded");
                        cancel.cancel();
                        while tasks.join_next().await.is_some() {}
                        web = reload_web(web, &cfg, &new).await;
                        cfg = Arc::new(new);
                        cancel = CancellationToken::new();
                        tasks = spawn_generation(&cfg, &store, &wake, &cancel)?;
                    }
                    Err(e) => tracing::error!("config reload refused, keeping the running config: {e}"),
                }
                sd(&[sd_notify::NotifyState::Ready]);
            }
            _ = heartbeat.tick() => beat(&store, false).await,
            _ = retention.tick(), if cfg.storage.keep_raw.is_some() => {
                let (s, c) = (store.clone(), cfg.clone());
                match tokio::task::spawn_blocking(move || crate::cli::apply_retention(&c, s.as_ref())).await {
                    Ok(Ok(n)) if n > 0 => tracing::info!(dropped = n, "raw pages past storage.keep_raw dropped"),
                    Ok(Err(e)) => tracing::warn!("raw-page retention failed: {e}"),
                    _ => {}
                }
            }
            _ = dog.tick(), if watchdog.is_some() => {
                // Only tell systemd we are alive while the store answers.
                let s = store.clone();
                if tokio::task::spawn_blocking(move || s.ping()).await.ok().and_then(Result::ok).is_some() {
                    sd(&[sd_notify::NotifyState::Watchdog]);
                }
            }
        }
    }
    tracing::info!("stopping: finishing in-flight work");
    sd(&[sd_notify::NotifyState::Stopping]);
    cancel.cancel();
    let web_stopped = async {
        if let Some(w) = web {
            w.stop().await;
        }
    };
    let (_, ()) = tokio::join!(
        async { while tasks.join_next().await.is_some() {} },
        web_stopped
    );
    // Last chance to deliver what is due; whatever is left stays in the outbox.
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        outbox::deliver_due(&store, &Notifiers::new(&cfg)),
    )
    .await;
    // What this worker still holds goes back to the others at once.
    beat(&store, true).await;
    tracing::info!(pending = store.pending_deliveries().unwrap_or(0), "stopped");
    Ok(())
}

/// Resolves the config path: `-c`, then `$FACTDIFF_CONFIG` (handled by clap), then
/// `./factdiff.toml`, then `config/factdiff.toml`.
pub fn config_path(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let local = PathBuf::from("factdiff.toml");
        if local.exists() {
            local
        } else {
            PathBuf::from("config/factdiff.toml")
        }
    })
}
