//! The frame every fault test (tests/fault_*.rs) shares: the daemon runs with its web server
//! on a free port, and each fault ends with the same four checks — the daemon is still
//! running, the error is visible (`sources` / `deliveries` / `/metrics`), `factdiff verify`
//! passes, and no change event reached the webhook receiver.

use std::time::{Duration, Instant};

use super::WebhookReceiver;
use super::app::{App, Daemon};

/// Event types that claim an article changed: none may come from a fault.
pub const CHANGE_EVENTS: [&str; 3] = ["article.changed", "fact.changed", "article.removed"];

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `factdiff run` on `app` with `[web] listen` on a free port prepended to `extra`.
pub struct Running {
    pub daemon: Daemon,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

/// The config text: a web listener on `port`, a webhook to `hook` for every event, `extra`.
pub fn config(port: u16, hook: &WebhookReceiver, extra: &str) -> String {
    config_with(port, hook, "", extra)
}

/// [`config`] with more keys for the webhook table (e.g. `timeout = "1s"`).
pub fn config_with(port: u16, hook: &WebhookReceiver, hook_keys: &str, extra: &str) -> String {
    format!(
        "[web]\nlisten = \"127.0.0.1:{port}\"\n\n[notify]\nlog = false\n\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{}\"\n{hook_keys}\n\n{extra}",
        hook.url(),
        hook.secret()
    )
}

impl Running {
    /// Starts the daemon on `app` (whose config came from [`config`] with `port`) and waits
    /// until it is running and its web server answers.
    pub async fn start(app: &App, port: u16) -> Running {
        let daemon = Daemon(app.spawn());
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let up = reqwest::get(format!("{base}/readyz"))
                .await
                .is_ok_and(|r| r.status().is_success());
            if up && app.log().contains("factdiff running") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "daemon did not start:\n{}",
                app.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Running { daemon, base }
    }

    /// Panics (with the log) if the daemon has exited.
    pub fn assert_alive(&mut self, app: &App) {
        let status = self.daemon.0.try_wait().unwrap();
        assert!(
            status.is_none(),
            "the daemon exited ({status:?}):\n{}",
            app.log()
        );
    }

    /// `/metrics`, parsed by a Prometheus text-format parser.
    pub async fn scrape(&self) -> Metrics {
        let body = reqwest::get(format!("{}/metrics", self.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let scrape = prometheus_parse::Scrape::parse(body.lines().map(|l| Ok(l.to_string())))
            .unwrap_or_else(|e| panic!("unparsable /metrics ({e}):\n{body}"));
        Metrics { scrape, body }
    }

    /// SIGTERM and wait; panics if it does not stop cleanly.
    pub fn stop(mut self, app: &App) {
        super::app::signal(&self.daemon, 15);
        let status = super::app::wait_exit(&mut self.daemon.0, Duration::from_secs(30));
        assert!(
            status.is_some_and(|s| s.success()),
            "no clean stop ({status:?}):\n{}",
            app.log()
        );
    }
}

pub struct Metrics {
    pub scrape: prometheus_parse::Scrape,
    pub body: String,
}

impl Metrics {
    /// Sum of the samples of `name` whose labels include every `(key, value)` of `labels`.
    pub fn sum(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.scrape
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(v)))
            .map(|s| match s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => v,
                _ => 0.0,
            })
            .sum()
    }
}

/// `factdiff verify` exits 0 and prints "ok" last.
pub fn assert_verified(app: &App) {
    let out = app.run(&["verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.lines().last() == Some("ok"),
        "verify failed ({:?}):\n{stdout}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The change events the receiver got (should be none after a fault).
pub fn change_events(hook: &WebhookReceiver) -> Vec<String> {
    hook.event_types()
        .into_iter()
        .filter(|t| CHANGE_EVENTS.contains(&t.as_str()))
        .collect()
}

/// The `sources` row named `name`.
pub fn source(app: &App, name: &str) -> serde_json::Value {
    let sources = app.json(&["sources"]);
    sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no source {name:?} in {sources:#}"))
        .clone()
}

/// Polls until `check` holds (up to `timeout`), then returns whether it did.
pub async fn wait_until(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
