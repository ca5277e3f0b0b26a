//! Bad pages and unreachable servers are outcomes stored against the source, never a
//! crash and never a false change; failing sources are reported once and recover.

mod common;

use std::time::Duration;

use common::app::App;
use common::{PageServer, WebhookReceiver, spawn_reset_server};

const SECRET: &str = "fault-secret";

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_page_is_a_clear_error_and_nothing_else_breaks() {
    let pages = PageServer::start().await;
    let reset = spawn_reset_server().await;
    pages.set_page("/good", &pages_and_article());
    pages.set_status("/error", 500);
    let cases: Vec<(&str, String, &str)> = vec![
        ("gzip-bomb", pages.url("/gzip-bomb"), "limit"),
        ("huge", pages.url("/huge"), "limit"),
        ("redirect-loop", pages.url("/redirect-loop"), "redirect"),
        ("server-error", pages.url("/error"), "500"),
        ("reset", format!("http://{reset}/"), "connect"),
        ("hang", pages.url("/hang"), "timed out"),
        ("binary", pages.url("/binary"), "not a text document"),
        ("empty", pages.url("/empty"), "empty"),
        ("good", pages.url("/good"), ""),
    ];
    let mut cfg = String::from(
        "[fetch]\nper_host_delay = \"1ms\"\ntimeout = \"1s\"\nconnect_timeout = \"1s\"\nmax_body = \"1MB\"\nmax_redirects = 3\n",
    );
    for (name, url, _) in &cases {
        cfg.push_str(&format!(
            "\n[[source]]\nname = \"{name}\"\nkind = \"page\"\nurl = \"{url}\"\n"
        ));
    }
    let app = App::new(&cfg);
    let started = std::time::Instant::now();
    let report = app.json(&["check", "--all"]);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a hanging server must not stall the pass"
    );
    assert_eq!(report["new"], 1, "{report}");
    assert_eq!(report["failed"], 8, "{report}");

    let sources = app.json(&["sources"]);
    for (name, _, needle) in &cases {
        let s = sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == *name)
            .unwrap();
        if needle.is_empty() {
            assert_eq!(s["consecutive_failures"], 0, "{s}");
            continue;
        }
        let err = s["last_error"].as_str().unwrap_or_default().to_lowercase();
        assert!(
            err.contains(needle),
            "{name}: error {err:?} should mention {needle:?}"
        );
        assert_eq!(s["consecutive_failures"], 1, "{s}");
    }
    // Only the good page has an article; the faults produced no versions.
    let arts = app.json(&["articles"]);
    assert_eq!(arts.as_array().unwrap().len(), 1);
    assert_eq!(arts[0]["version_count"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_utf8_and_latin1_pages_are_decoded_not_rejected() {
    let pages = PageServer::start().await;
    let cfg = format!(
        "[fetch]\nper_host_delay = \"1ms\"\n[[source]]\nname = \"bad-utf8\"\nkind = \"page\"\nurl = \"{}\"\n\
         [[source]]\nname = \"latin1\"\nkind = \"page\"\nurl = \"{}\"\n",
        pages.url("/invalid-utf8"),
        pages.url("/latin1")
    );
    let app = App::new(&cfg);
    let report = app.json(&["check", "--all"]);
    assert_eq!(report["failed"], 0, "{report}");
    let show = app.ok(&["show", &pages.url("/latin1")]);
    assert!(show.contains("café"), "{show}");
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_source_is_reported_once_then_recovers() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    pages.set_status("/flaky", 500);
    let cfg = format!(
        "[fetch]\nper_host_delay = \"1ms\"\nfailing_after = 2\n[[source]]\nname = \"flaky\"\nkind = \"page\"\nurl = \"{}\"\n\
         [[notify.webhook]]\nurl = \"{}\"\nsecret = \"{SECRET}\"\nevents = [\"source.failing\", \"source.recovered\", \"article.changed\"]\n",
        pages.url("/flaky"),
        hook.url()
    );
    let app = App::new(&cfg);
    for _ in 0..4 {
        app.ok(&["check", "--all"]);
    }
    let got = hook.wait_for(1, Duration::from_secs(5)).await;
    let first = got[0].json.as_ref().unwrap();
    assert_eq!(first["type"], "source.failing");
    assert_eq!(first["source"], "flaky");
    assert!(first["error"].as_str().unwrap().contains("500"), "{first}");
    pages.set_page("/flaky", &pages_and_article());
    app.ok(&["check", "--all"]);
    app.ok(&["check", "--all"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kinds = hook.event_types();
    assert_eq!(
        kinds,
        vec!["source.failing", "source.recovered"],
        "no false article.changed, one event per transition"
    );
}

#[test]
fn malformed_config_is_rejected_with_every_problem() {
    let app = App::new(
        "[fetch]\ntimeout = \"soon\"\nspeed = 3\n[[source]]\nname = \"a\"\nkind = \"page\"\n[[source]]\nname = \"b\"\nkind = \"folder\"\n[[notify.webhook]]\nurl = \"http://127.0.0.1:1/\"\nsecret = \"${FACTDIFF_TEST_UNSET_VAR}\"\n",
    );
    let out = app.run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "line 5: fetch.timeout",
        "fetch.speed: unknown key",
        "needs a \"url\"",
        "needs a \"path\"",
        "FACTDIFF_TEST_UNSET_VAR is not set",
        "5 problems",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // Every other command refuses to start on it too, with exit code 2.
    assert_eq!(app.run(&["check"]).status.code(), Some(2));
    // Bad TOML syntax names the line.
    std::fs::write(&app.config, "[fetch\ntimeout = 1\n").unwrap();
    let out = app.run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[test]
fn usage_errors_exit_2_and_missing_things_exit_1() {
    let app = App::new("");
    assert_eq!(app.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        app.run(&["check", "--source", "nope"]).status.code(),
        Some(2)
    );
    assert_eq!(
        app.run(&["ingest", "x.txt", "--outlet", "o", "--at", "yesterday"])
            .status
            .code(),
        Some(2)
    );
    let out = app.run(&["show", "42"]);
    assert_eq!(out.status.code(), Some(1));
    let missing = App::new("");
    std::fs::remove_file(&missing.config).unwrap();
    assert_eq!(missing.run(&["check"]).status.code(), Some(2));
}

fn pages_and_article() -> String {
    "<html><head><title>Recovered</title></head><body><article><h1>Recovered</h1>\
     <p>The service came back on Tuesday after engineers replaced a failed power supply in the data centre.</p>\
     <p>Officials said no data was lost and that customers would be compensated for the outage this week.</p>\
     </article></body></html>"
        .to_string()
}
