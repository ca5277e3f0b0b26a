//! Configuration: TOML with `${ENV}` secrets, human durations and sizes, unknown keys
//! rejected, and validation that reports every problem at once with its location.

mod reader;
pub mod values;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use reader::Problem;
use reader::{LineMap, Problems, Section};
pub use values::RecheckStep;

/// Event types a webhook may subscribe to.
pub const EVENT_TYPES: &[&str] = &[
    "article.new",
    "article.changed",
    "fact.changed",
    "article.removed",
    "source.failing",
    "source.recovered",
    "claim.conflict",
    "claim.resolved",
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub storage: StorageConfig,
    pub fetch: FetchConfig,
    pub schedule: ScheduleConfig,
    pub sources: Vec<SourceConfig>,
    pub notify: NotifyConfig,
    pub log: LogConfig,
    pub web: WebConfig,
    pub extract: ExtractConfig,
}

/// `[[extract.site]]`: selector rules for sites where the extraction heuristics fail.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExtractConfig {
    pub sites: Vec<crate::extract::rules::SiteRuleConfig>,
    /// The same rules, compiled (validated while reading the config).
    #[serde(skip)]
    pub rules: std::sync::Arc<Vec<crate::extract::rules::SiteRules>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StorageConfig {
    /// `sqlite://PATH` (relative paths are relative to the working directory) or
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (several workers on one database).
    pub url: String,
    /// How long a worker holds leased work (a due article or listing) before another worker
    /// may take it: longer than one check takes, short enough that a dead worker's share
    /// is picked up soon.
    pub lease: Duration,
    /// Raw pages of versions older than this are dropped (text, diffs and events stay) by
    /// the daemon once a day and by `factdiff vacuum`; `None` keeps them for ever.
    pub keep_raw: Option<Duration>,
}

impl StorageConfig {
    /// Whether this names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.url.starts_with("postgres://") || self.url.starts_with("postgresql://")
    }

    /// The SQLite file path, if this is a SQLite URL.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.url.strip_prefix("sqlite://").map(PathBuf::from)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FetchConfig {
    pub user_agent: String,
    pub per_host_delay: Duration,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_body: u64,
    pub max_redirects: usize,
    pub robots: bool,
    pub allow_private_addresses: bool,
    pub allow_hosts: Vec<String>,
    /// Consecutive failures after which a source is reported as failing.
    pub failing_after: u32,
    /// Sources checked at the same time (per-host limits still apply).
    pub concurrency: usize,
    /// Requests in flight to one host at most (shared by every source on that host).
    pub per_host_concurrency: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ScheduleConfig {
    pub recheck: Vec<RecheckStep>,
    /// Safety-net rescan period for folder sources (file events can be missed).
    pub folder_rescan: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Page,
    Feed,
    Sitemap,
    Folder,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Page => "page",
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            SourceKind::Folder => "folder",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    pub url: Option<String>,
    pub path: Option<PathBuf>,
    pub interval: Duration,
    pub outlet: Option<String>,
    pub enabled: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NotifyConfig {
    /// Log every event through `tracing` (on by default).
    pub log: bool,
    pub webhooks: Vec<WebhookConfig>,
    /// Cross-outlet findings (tension, disputed, conflict) at or above this severity emit
    /// `claim.conflict`; quieter ones are only shown by `factdiff story`.
    pub conflict_min_severity: f32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct WebhookConfig {
    pub name: String,
    pub url: String,
    #[serde(skip)]
    pub secret: String,
    /// Empty means every event type.
    pub events: Vec<String>,
    pub timeout: Duration,
    /// Give up on an event after retrying for this long.
    pub retry_for: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LogConfig {
    pub format: LogFormat,
    /// A `tracing` env-filter directive, e.g. `"info"` or `"factdiff=debug"`.
    pub level: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct WebConfig {
    pub listen: Option<String>,
    #[serde(skip)]
    pub token: Option<String>,
    /// Read-only token accepted in feed URLs (`?token=`): feed readers cannot send headers,
    /// and a feed URL is shared more widely than the main token should be.
    #[serde(skip)]
    pub feed_token: Option<String>,
}

/// Why a config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config {path}:\n{}", .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

impl Config {
    /// Loads and validates the config file, substituting `${ENV}` from the process environment.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let src = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&src, &|n| std::env::var(n).ok()).map_err(|problems| ConfigError::Invalid {
            path: path.to_path_buf(),
            problems,
        })
    }

    /// Parses and validates config text. Pure: the environment comes in as `env`.
    pub fn parse(src: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, Vec<Problem>> {
        let (_, syntax) = toml::de::DeTable::parse_recoverable(src);
        if !syntax.is_empty() {
            return Err(syntax
                .iter()
                .map(|e| Problem {
                    path: "(syntax)".into(),
                    line: e.span().map(|s| reader::line_of(src, s.start)),
                    message: e.message().trim().to_string(),
                })
                .collect());
        }
        let mut table: toml::Table = src.parse().map_err(|e: toml::de::Error| {
            vec![Problem {
                path: "(syntax)".into(),
                line: None,
                message: e.message().to_string(),
            }]
        })?;
        let lines = LineMap::build(src);
        let mut p = Problems::new(&lines);
        substitute_all(&mut table, "", env, &mut p);
        let cfg = read(&table, &mut p);
        if p.list.is_empty() {
            Ok(cfg)
        } else {
            Err(p.list)
        }
    }

    /// The defaults used when the config has no such section.
    pub fn default_config() -> Config {
        Config::parse("", &|_| None).expect("empty config is valid")
    }

    pub fn source(&self, name: &str) -> Option<&SourceConfig> {
        self.sources.iter().find(|s| s.name == name)
    }
}

fn substitute_all(
    v: &mut toml::Table,
    prefix: &str,
    env: &dyn Fn(&str) -> Option<String>,
    p: &mut Problems,
) {
    for (k, val) in v.iter_mut() {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        subst_value(val, &path, env, p);
    }
}

fn subst_value(
    v: &mut toml::Value,
    path: &str,
    env: &dyn Fn(&str) -> Option<String>,
    p: &mut Problems,
) {
    match v {
        toml::Value::String(s) => match values::substitute_env(s, env) {
            Ok(n) => *s = n,
            Err(missing) => {
                for m in missing {
                    p.push(
                        path,
                        format!("environment variable {m} is not set (referenced as ${{{m}}})"),
                    );
                }
            }
        },
        toml::Value::Table(t) => substitute_all(t, path, env, p),
        toml::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                subst_value(item, &format!("{path}[{}]", i + 1), env, p);
            }
        }
        _ => {}
    }
}

fn read(root: &toml::Table, p: &mut Problems) -> Config {
    let mut top = Section::new("", Some(root));
    let storage = read_storage(Section::new("storage", top.table("storage", p)), p);
    let fetch = read_fetch(Section::new("fetch", top.table("fetch", p)), p);
    let schedule = read_schedule(Section::new("schedule", top.table("schedule", p)), p);
    let source_tables = top.tables("source", p);
    let mut names = std::collections::HashSet::new();
    for (i, t) in source_tables.iter().enumerate() {
        if let Some(toml::Value::String(n)) = t.get("name")
            && !names.insert(n.clone())
        {
            p.push(
                &format!("source[{}].name", i + 1),
                format!("duplicate source name {n:?}"),
            );
        }
    }
    let sources: Vec<_> = source_tables
        .into_iter()
        .enumerate()
        .filter_map(|(i, t)| read_source(Section::new(format!("source[{}]", i + 1), Some(t)), p))
        .collect();
    let notify = read_notify(Section::new("notify", top.table("notify", p)), p);
    let log = read_log(Section::new("log", top.table("log", p)), p);
    let web = read_web(Section::new("web", top.table("web", p)), p);
    let extract = read_extract(Section::new("extract", top.table("extract", p)), p);
    top.finish(p);
    p.list.sort_by_key(|x| x.line.unwrap_or(usize::MAX));
    Config {
        storage,
        fetch,
        schedule,
        sources,
        notify,
        log,
        web,
        extract,
    }
}

/// One selector or a list of them.
fn selector_list(r: &mut Section, key: &'static str, p: &mut Problems) -> Vec<String> {
    match r.raw(key) {
        Some(toml::Value::String(_)) => r.string(key, p).into_iter().collect(),
        Some(_) => r.strings(key, p).unwrap_or_default(),
        None => Vec::new(),
    }
}

fn read_extract(mut s: Section, p: &mut Problems) -> ExtractConfig {
    use crate::extract::rules::{SiteRuleConfig, SiteRules};
    let mut out = ExtractConfig::default();
    let mut rules = Vec::new();
    for (i, t) in s.tables("site", p).into_iter().enumerate() {
        let path = format!("extract.site[{}]", i + 1);
        let mut r = Section::new(path.clone(), Some(t));
        let c = SiteRuleConfig {
            host: r.string("host", p).unwrap_or_default(),
            content: selector_list(&mut r, "content", p),
            remove: selector_list(&mut r, "remove", p),
            headline: selector_list(&mut r, "headline", p),
            byline: selector_list(&mut r, "byline", p),
            published: selector_list(&mut r, "published", p),
        };
        r.finish(p);
        if c.host.trim().is_empty() {
            p.push(&path, "missing required key \"host\"");
            continue;
        }
        match SiteRules::compile(&c) {
            Ok(compiled) => rules.push(compiled),
            Err(errors) => {
                for e in errors {
                    p.push(
                        &format!("{path}.{}", e.field),
                        format!("invalid CSS selector {:?}: {}", e.selector, e.message),
                    );
                }
            }
        }
        out.sites.push(c);
    }
    s.finish(p);
    out.rules = std::sync::Arc::new(rules);
    out
}

fn read_storage(mut s: Section, p: &mut Problems) -> StorageConfig {
    let url = s
        .string("url", p)
        .unwrap_or_else(|| "sqlite://data/factdiff.db".into());
    if let Some(rest) = url.strip_prefix("sqlite://") {
        if rest.is_empty() {
            p.push("storage.url", "sqlite:// URL has no file path");
        }
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        if let Err(why) = check_postgres_url(&url) {
            p.push("storage.url", why);
        }
    } else {
        p.push(
            "storage.url",
            format!(
                "unsupported storage URL {:?}; expected sqlite://PATH or postgres://USER@HOST/DB",
                redact_url(&url)
            ),
        );
    }
    let lease = s
        .parsed("lease", p, values::parse_duration)
        .unwrap_or(Duration::from_secs(600));
    if lease < Duration::from_secs(1) {
        p.push("storage.lease", "must be at least 1s");
    }
    let keep_raw = s.parsed("keep_raw", p, values::parse_duration);
    if keep_raw.is_some_and(|k| k < Duration::from_secs(86_400)) {
        p.push(
            "storage.keep_raw",
            "must be at least 1 day (raw pages are what re-processing reads)",
        );
    }
    s.finish(p);
    StorageConfig {
        url,
        lease,
        keep_raw,
    }
}

/// The URL without its password (config errors and logs print it), even when it does not
/// parse as a URL.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(_) => url.to_string(),
        Err(_) => {
            // scheme://user:password@rest
            let Some((scheme, rest)) = url.split_once("://") else {
                return url.to_string();
            };
            match rest.split_once('@') {
                Some((userinfo, host)) if userinfo.contains(':') => {
                    let user = userinfo.split(':').next().unwrap_or_default();
                    format!("{scheme}://{user}:***@{host}")
                }
                _ => url.to_string(),
            }
        }
    }
}

#[cfg(feature = "postgres")]
fn check_postgres_url(url: &str) -> Result<(), String> {
    let cfg: tokio_postgres::Config = url.parse().map_err(|e| {
        format!(
            "invalid PostgreSQL URL {:?}: {e} (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DB)",
            redact_url(url)
        )
    })?;
    if cfg.get_dbname().is_none() {
        return Err(format!(
            "PostgreSQL URL {:?} names no database (postgres://USER@HOST/DB)",
            redact_url(url)
        ));
    }
    if cfg.get_hosts().is_empty() {
        return Err(format!(
            "PostgreSQL URL {:?} names no host (postgres://USER@HOST/DB)",
            redact_url(url)
        ));
    }
    Ok(())
}

#[cfg(not(feature = "postgres"))]
fn check_postgres_url(_url: &str) -> Result<(), String> {
    Err(
        "PostgreSQL storage is not available in this build (built without the `postgres` \
         feature); use sqlite://PATH"
            .into(),
    )
}

fn read_fetch(mut s: Section, p: &mut Problems) -> FetchConfig {
    let d = |v: Option<Duration>, def: u64| v.unwrap_or(Duration::from_secs(def));
    let cfg = FetchConfig {
        user_agent: s
            .string("user_agent", p)
            .unwrap_or_else(|| concat!("factdiff/", env!("CARGO_PKG_VERSION")).into()),
        per_host_delay: d(s.parsed("per_host_delay", p, values::parse_duration), 2),
        timeout: d(s.parsed("timeout", p, values::parse_duration), 20),
        connect_timeout: d(s.parsed("connect_timeout", p, values::parse_duration), 10),
        max_body: s
            .parsed("max_body", p, values::parse_size)
            .unwrap_or(10_000_000),
        max_redirects: s.uint("max_redirects", p).unwrap_or(5) as usize,
        robots: s.bool("robots", p).unwrap_or(true),
        allow_private_addresses: s.bool("allow_private_addresses", p).unwrap_or(false),
        allow_hosts: s.strings("allow_hosts", p).unwrap_or_default(),
        failing_after: s.uint("failing_after", p).unwrap_or(3).max(1) as u32,
        concurrency: s.uint("concurrency", p).unwrap_or(16).max(1) as usize,
        per_host_concurrency: s.uint("per_host_concurrency", p).unwrap_or(1).max(1) as usize,
    };
    if cfg.timeout.is_zero() {
        p.push("fetch.timeout", "must be greater than zero");
    }
    if cfg.max_body == 0 {
        p.push("fetch.max_body", "must be greater than zero");
    }
    s.finish(p);
    cfg
}

fn read_schedule(mut s: Section, p: &mut Problems) -> ScheduleConfig {
    let recheck = match s.strings("recheck", p) {
        Some(steps) => {
            let mut out = Vec::new();
            for (i, st) in steps.iter().enumerate() {
                match values::parse_recheck_step(st) {
                    Ok(v) => out.push(v),
                    Err(e) => p.push(&format!("schedule.recheck[{}]", i + 1), e),
                }
            }
            if let Err(e) = values::check_recheck_order(&out) {
                p.push("schedule.recheck", e);
            }
            out
        }
        None => ["15m until 6h", "1h until 3d", "6h until 30d"]
            .iter()
            .map(|s| values::parse_recheck_step(s).expect("default steps parse"))
            .collect(),
    };
    let folder_rescan = s
        .parsed("folder_rescan", p, values::parse_duration)
        .unwrap_or(Duration::from_secs(60));
    s.finish(p);
    ScheduleConfig {
        recheck,
        folder_rescan,
    }
}

fn read_source(mut s: Section, p: &mut Problems) -> Option<SourceConfig> {
    let path = s.path.clone();
    let name = s.string("name", p);
    let kind = s.parsed("kind", p, |k| match k {
        "page" => Ok(SourceKind::Page),
        "folder" => Ok(SourceKind::Folder),
        "feed" => Ok(SourceKind::Feed),
        "sitemap" => Ok(SourceKind::Sitemap),
        other => Err(format!(
            "unknown source kind {other:?}; expected page, feed, sitemap or folder"
        )),
    });
    let url = s.string("url", p);
    let dir = s.string("path", p).map(PathBuf::from);
    let interval = s.parsed("interval", p, values::parse_duration);
    let outlet = s.string("outlet", p);
    let enabled = s.bool("enabled", p).unwrap_or(true);
    s.finish(p);

    let name = match name {
        Some(n) if !n.trim().is_empty() => n,
        Some(_) => {
            p.push(&format!("{path}.name"), "must not be empty");
            return None;
        }
        None => {
            p.push(&path, "missing required key \"name\"");
            return None;
        }
    };
    let Some(kind) = kind else {
        if s_has_no_kind(p, &path) {
            p.push(
                &path,
                format!("source {name:?}: missing required key \"kind\""),
            );
        }
        return None;
    };
    match kind {
        SourceKind::Page | SourceKind::Feed | SourceKind::Sitemap => match &url {
            None => p.push(
                &path,
                format!("source {name:?}: kind {:?} needs a \"url\"", kind.as_str()),
            ),
            Some(u) => match url::Url::parse(u) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                Ok(parsed) => p.push(
                    &format!("{path}.url"),
                    format!(
                        "unsupported URL scheme {:?}; expected http or https",
                        parsed.scheme()
                    ),
                ),
                Err(e) => p.push(&format!("{path}.url"), format!("invalid URL {u:?}: {e}")),
            },
        },
        SourceKind::Folder => {
            if dir.is_none() {
                p.push(
                    &path,
                    format!("source {name:?}: kind \"folder\" needs a \"path\""),
                );
            }
        }
    }
    let interval = interval.unwrap_or(Duration::from_secs(match kind {
        SourceKind::Folder => 60,
        _ => 600,
    }));
    if interval < Duration::from_secs(1) {
        p.push(&format!("{path}.interval"), "must be at least 1s");
    }
    Some(SourceConfig {
        name,
        kind,
        url,
        path: dir,
        interval,
        outlet,
        enabled,
    })
}

/// Whether the missing kind has not already been reported as invalid.
fn s_has_no_kind(p: &Problems, path: &str) -> bool {
    let kpath = format!("{path}.kind");
    !p.list.iter().any(|x| x.path == kpath)
}

fn read_notify(mut s: Section, p: &mut Problems) -> NotifyConfig {
    let log = s.bool("log", p).unwrap_or(true);
    let conflict_min_severity = s
        .fraction("conflict_min_severity", p)
        .map_or(crate::stories::NOTIFY_MIN_SEVERITY, |v| v as f32);
    let hooks = s.tables("webhook", p);
    let mut webhooks = Vec::new();
    for (i, t) in hooks.into_iter().enumerate() {
        let path = format!("notify.webhook[{}]", i + 1);
        let mut w = Section::new(path.clone(), Some(t));
        let url = w.string("url", p);
        let secret = w.string("secret", p);
        let name = w.string("name", p);
        let events = w.strings("events", p).unwrap_or_default();
        let timeout = w
            .parsed("timeout", p, values::parse_duration)
            .unwrap_or(Duration::from_secs(10));
        let retry_for = w
            .parsed("retry_for", p, values::parse_duration)
            .unwrap_or(Duration::from_secs(24 * 3600));
        w.finish(p);
        for (j, e) in events.iter().enumerate() {
            if !EVENT_TYPES.contains(&e.as_str()) && e != "*" {
                p.push(
                    &format!("{path}.events[{}]", j + 1),
                    format!(
                        "unknown event type {e:?}; known: {}",
                        EVENT_TYPES.join(", ")
                    ),
                );
            }
        }
        let Some(url) = url else {
            p.push(&path, "missing required key \"url\"");
            continue;
        };
        match url::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            Ok(u) => p.push(
                &format!("{path}.url"),
                format!("unsupported URL scheme {:?}", u.scheme()),
            ),
            Err(e) => p.push(&format!("{path}.url"), format!("invalid URL {url:?}: {e}")),
        }
        let secret = match secret {
            Some(s) if !s.is_empty() => s,
            _ => {
                p.push(
                    &path,
                    "missing required key \"secret\" (webhooks are always signed)",
                );
                String::new()
            }
        };
        let name = name.unwrap_or_else(|| format!("webhook-{}", i + 1));
        webhooks.push(WebhookConfig {
            name,
            url,
            secret,
            events: events.into_iter().filter(|e| e != "*").collect(),
            timeout,
            retry_for,
        });
    }
    let mut names = std::collections::HashSet::new();
    for (i, w) in webhooks.iter().enumerate() {
        if !names.insert(w.name.clone()) {
            p.push(
                &format!("notify.webhook[{}].name", i + 1),
                format!("duplicate webhook name {:?}", w.name),
            );
        }
    }
    s.finish(p);
    NotifyConfig {
        log,
        webhooks,
        conflict_min_severity,
    }
}

fn read_log(mut s: Section, p: &mut Problems) -> LogConfig {
    let format = s
        .parsed("format", p, |f| match f {
            "pretty" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            o => Err(format!(
                "unknown log format {o:?}; expected \"pretty\" or \"json\""
            )),
        })
        .unwrap_or(LogFormat::Pretty);
    let level = s.string("level", p).unwrap_or_else(|| "info".into());
    if let Err(e) = tracing_subscriber::EnvFilter::try_new(&level) {
        p.push("log.level", format!("invalid level {level:?}: {e}"));
    }
    s.finish(p);
    LogConfig { format, level }
}

fn read_web(mut s: Section, p: &mut Problems) -> WebConfig {
    let listen = s.string("listen", p);
    let token = s.string("token", p).filter(|t| !t.is_empty());
    let feed_token = s.string("feed_token", p).filter(|t| !t.is_empty());
    if feed_token.is_some() && feed_token == token {
        p.push(
            "web.feed_token",
            "must differ from web.token (feed URLs get shared; the main token must not be in them)",
        );
    }
    if let Some(l) = &listen {
        match l.parse::<std::net::SocketAddr>() {
            Ok(addr) if !addr.ip().is_loopback() && token.is_none() => p.push(
                "web.listen",
                format!("listening on non-loopback {addr} requires web.token"),
            ),
            Ok(_) => {}
            Err(e) => p.push("web.listen", format!("invalid address {l:?}: {e}")),
        }
    }
    s.finish(p);
    WebConfig {
        listen,
        token,
        feed_token,
    }
}

#[cfg(test)]
mod tests;
