//! Fault suite, network family (issue 18 point 4): slow-drip bodies, resets mid-body, TLS
//! handshake failures, DNS failures, brotli and gzip bombs, a 1 GB body, redirect loops, a
//! hanging server, charset lies and 429 storms — each against the running daemon. For each:
//! the daemon keeps running, the error shows in `factdiff sources` and `/metrics`, `factdiff
//! verify` passes, and no change event reaches the webhook receiver.

mod common;

use std::time::{Duration, Instant};

use common::app::App;
use common::faultkit::{self, Running, assert_verified, change_events, source, wait_until};
use common::faults::{
    CHARSET_ARTICLE, GIGABYTE, gigabyte_sent, spawn_mid_body_reset_server,
    spawn_self_signed_tls_server, spawn_tls_cutoff_server, windows_1252,
};
use common::{PageServer, RawResponse, WebhookReceiver};

const SECRET: &str = "whsec_ZmF1bHQtbmV0d29yay1zZWNyZXQ=";

fn page_source(name: &str, url: &str) -> String {
    format!(
        "\n[[source]]\nname = \"{name}\"\nkind = \"page\"\nurl = \"{url}\"\ninterval = \"1s\"\n"
    )
}

/// The host label `/metrics` gives a URL (host and port).
fn host_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap()),
        None => u.host_str().unwrap().to_string(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fetch_faults_leave_the_daemon_running_and_are_reported() {
    let hook = WebhookReceiver::start(SECRET).await;
    // one server per fault, so each fault is its own host in /metrics
    let mut servers = Vec::new();
    let mut urls: Vec<(&str, String, &[&str])> = Vec::new();
    for (name, path, needles) in [
        ("drip", "/drip/100", &["timed out"][..]),
        ("brotli-bomb", "/brotli-bomb", &["limit"][..]),
        ("gzip-bomb", "/gzip-bomb", &["limit"][..]),
        ("gigabyte", "/gigabyte", &["limit"][..]),
        ("redirect-loop", "/redirect-loop", &["redirect"][..]),
        ("hang", "/hang", &["timed out"][..]),
    ] {
        let s = PageServer::start().await;
        urls.push((name, s.url(path), needles));
        servers.push(s);
    }
    let reset = spawn_mid_body_reset_server().await;
    urls.push((
        "reset-mid-body",
        format!("http://{reset}/story"),
        &["body", "connection", "reset"],
    ));
    let cutoff = spawn_tls_cutoff_server().await;
    urls.push((
        "tls-cutoff",
        format!("https://127.0.0.1:{}/story", cutoff.port()),
        &["connect"],
    ));
    let tls = spawn_self_signed_tls_server().await;
    urls.push((
        "tls-self-signed",
        format!("https://127.0.0.1:{}/story", tls.port()),
        &["certificate"],
    ));
    urls.push((
        "dns",
        "http://no-such-host.invalid/story".to_string(),
        &["dns", "connect"],
    ));
    let good = PageServer::start().await;
    good.set_page("/good", CHARSET_ARTICLE);

    let mut extra = String::from(
        "[fetch]\nper_host_delay = \"1ms\"\ntimeout = \"1s\"\nconnect_timeout = \"1s\"\nmax_body = \"1MB\"\nmax_redirects = 3\nrobots = false\n",
    );
    for (name, url, _) in &urls {
        extra.push_str(&page_source(name, url));
    }
    extra.push_str(&page_source("good", &good.url("/good")));
    let port = faultkit::free_port();
    let app = App::new(&faultkit::config(port, &hook, &extra));
    let mut daemon = Running::start(&app, port).await;

    // every fault source fails at least twice (so the daemon went on after the first) and
    // the good page is fetched again and again
    let every_fault_twice = wait_until(Duration::from_secs(40), || {
        let sources = app.json(&["sources"]);
        urls.iter().all(|(name, _, _)| {
            sources
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["name"] == *name && s["consecutive_failures"].as_i64() >= Some(2))
        }) && good.request_count("/good") >= 3
    })
    .await;
    daemon.assert_alive(&app);
    assert!(
        every_fault_twice,
        "{:#}\n{}",
        app.json(&["sources"]),
        app.log()
    );

    let metrics = daemon.scrape().await;
    for (name, url, needles) in &urls {
        let s = source(&app, name);
        let err = s["last_error"].as_str().unwrap_or_default().to_lowercase();
        assert!(
            needles.iter().any(|n| err.contains(n)),
            "{name}: error {err:?} should mention one of {needles:?}"
        );
        let failed = metrics.sum(
            "factdiff_fetches_total",
            &[("outcome", "failed"), ("host", &host_of(url))],
        );
        assert!(
            failed >= 2.0,
            "{name}: {failed} failed fetches in\n{}",
            metrics.body
        );
    }
    let good_host = host_of(&good.url("/good"));
    assert_eq!(
        metrics.sum(
            "factdiff_fetches_total",
            &[("outcome", "failed"), ("host", &good_host)]
        ),
        0.0
    );
    assert!(metrics.sum("factdiff_fetches_total", &[("host", &good_host)]) >= 3.0);
    // the gigabyte was cut off near the 1 MB limit each time, never read whole
    let sent = gigabyte_sent();
    let tries = source(&app, "gigabyte")["consecutive_failures"]
        .as_i64()
        .unwrap() as u64;
    assert!(
        sent < tries.max(1) * 16 * (1 << 20) && sent < GIGABYTE / 8,
        "{sent} bytes of /gigabyte sent over {tries} tries"
    );

    daemon.assert_alive(&app);
    assert_verified(&app);
    let arts = app.json(&["articles"]);
    assert_eq!(arts.as_array().unwrap().len(), 1, "{arts:#}");
    assert_eq!(arts[0]["version_count"], 1);
    hook.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let news: Vec<String> = hook
        .deliveries()
        .iter()
        .filter(|d| d.json.as_ref().is_some_and(|j| j["type"] == "article.new"))
        .map(|d| format!("{:?} {}", d.id, d.json.as_ref().unwrap()["article"]["url"]))
        .collect();
    assert_eq!(news.len(), 1, "{news:#?}");
    assert!(change_events(&hook).is_empty());
    daemon.stop(&app);
}

/// One article served honestly, then under a header that claims UTF-8 for windows-1252
/// bytes, then under one that claims Latin-1 for UTF-8 bytes: the same text each time, so
/// one version and no change event.
#[tokio::test(flavor = "multi_thread")]
async fn charset_lies_make_no_false_change() {
    let hook = WebhookReceiver::start(SECRET).await;
    let pages = PageServer::start().await;
    let honest = RawResponse::new(200)
        .header("content-type", "text/html; charset=windows-1252")
        .body(windows_1252(CHARSET_ARTICLE));
    let lie_utf8 = RawResponse::new(200)
        .header("content-type", "text/html; charset=utf-8")
        .body(windows_1252(CHARSET_ARTICLE));
    let lie_latin1 = RawResponse::new(200)
        .header("content-type", "text/html; charset=iso-8859-1")
        .body(CHARSET_ARTICLE);
    pages.set_raw("/cafe", honest.clone());
    let port = faultkit::free_port();
    let extra = format!(
        "[fetch]\nper_host_delay = \"1ms\"\nrobots = false\n{}",
        page_source("cafe", &pages.url("/cafe"))
    );
    let app = App::new(&faultkit::config(port, &hook, &extra));
    let mut daemon = Running::start(&app, port).await;
    for (i, next) in [lie_utf8, lie_latin1, honest].into_iter().enumerate() {
        let seen = pages.request_count("/cafe");
        assert!(
            wait_until(Duration::from_secs(15), || pages.request_count("/cafe")
                > seen)
            .await,
            "step {i}: not fetched again\n{}",
            app.log()
        );
        pages.set_raw("/cafe", next);
    }
    let seen = pages.request_count("/cafe");
    assert!(
        wait_until(Duration::from_secs(15), || pages.request_count("/cafe")
            > seen + 1)
        .await
    );
    daemon.assert_alive(&app);
    let show = app.ok(&["show", &pages.url("/cafe")]);
    assert!(
        show.contains("café crème") && !show.contains('\u{FFFD}'),
        "{show}"
    );
    assert_eq!(app.version_count(&pages.url("/cafe")), 1, "{show}");
    assert_verified(&app);
    hook.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(change_events(&hook), Vec::<String>::new());
    daemon.stop(&app);
}

/// Three pages on one host that answer 429 with Retry-After: 2 for five seconds: the daemon
/// waits the pause out for the whole host (it does not hammer it every second), shows the
/// 429 in `sources` and `/metrics`, and stores each page once when the storm ends.
#[tokio::test(flavor = "multi_thread")]
async fn a_429_storm_is_waited_out_per_host() {
    let hook = WebhookReceiver::start(SECRET).await;
    let pages = PageServer::start().await;
    let names = ["a", "b", "c"];
    let storm = RawResponse::new(429)
        .header("retry-after", "2")
        .header("content-type", "text/plain");
    let mut extra =
        String::from("[fetch]\nper_host_delay = \"1ms\"\nrobots = false\nfailing_after = 100\n");
    for n in names {
        pages.set_raw(&format!("/{n}"), storm.clone());
        extra.push_str(&page_source(n, &pages.url(&format!("/{n}"))));
    }
    let port = faultkit::free_port();
    let app = App::new(&faultkit::config(port, &hook, &extra));
    let started = Instant::now();
    let mut daemon = Running::start(&app, port).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let during: Vec<Instant> = pages.requests().iter().map(|r| r.at).collect();
    let storm_secs = started.elapsed().as_secs_f64();
    // Without the shared pause three 1 s sources would make ~15 requests in 5 s.
    assert!(
        !during.is_empty() && (during.len() as f64) <= 3.0 * (storm_secs / 2.0).ceil() + 1.0,
        "{} requests in {storm_secs:.1}s of storm",
        during.len()
    );
    let s = source(&app, "a");
    assert!(
        s["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("429 (retry after 2s)"),
        "{s}"
    );
    let metrics = daemon.scrape().await;
    assert!(
        metrics.sum("factdiff_fetches_total", &[("outcome", "failed")]) >= 1.0,
        "{}",
        metrics.body
    );
    // the storm ends
    for (i, n) in names.iter().enumerate() {
        pages.set_page(
            &format!("/{n}"),
            &CHARSET_ARTICLE.replace(
                "Café prices rise",
                &format!("Café prices rise in district {i}"),
            ),
        );
    }
    assert!(
        wait_until(Duration::from_secs(20), || {
            names
                .iter()
                .all(|n| app.version_count(&pages.url(&format!("/{n}"))) == 1)
        })
        .await,
        "{:#}\n{}",
        app.json(&["sources"]),
        app.log()
    );
    daemon.assert_alive(&app);
    assert_eq!(source(&app, "a")["consecutive_failures"], 0);
    assert_verified(&app);
    hook.wait_for(3, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.event_types(), ["article.new"; 3]);
    daemon.stop(&app);
}
