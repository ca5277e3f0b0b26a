//! The daemon (`factdiff run`) as a process: folder watching, signals, crash recovery and
//! webhook retries.

mod common;

use std::time::{Duration, Instant};

use common::app::{App, signal, wait_exit};
use common::{PageServer, WebhookReceiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ARTICLE: &str = "Council vote moved to Friday\n\nBy Ann Lee\n\n\
    The city council postponed Thursday's vote on the budget to Friday, officials said on Monday.\n\n\
    Members will meet again at 9 a.m. and are expected to approve the plan, the mayor told reporters.\n";

fn folder_config(inbox: &std::path::Path, hook: &WebhookReceiver) -> String {
    format!(
        "[schedule]\nfolder_rescan = \"30s\"\n[[source]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"{}\"\noutlet = \"Desk\"\n\
         [[notify.webhook]]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        inbox.display(),
        hook.url()
    )
}

/// Waits until the daemon log shows it is running.
fn wait_ready(app: &App) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !app.log().contains("factdiff running") {
        assert!(
            Instant::now() < deadline,
            "daemon did not start:\n{}",
            app.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_file_is_picked_up_within_a_second_and_sigterm_stops_cleanly() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = App::new("");
    let inbox = app.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    app.write_config(&folder_config(&inbox, &hook));
    let mut child = app.spawn();
    wait_ready(&app);
    tokio::time::sleep(Duration::from_millis(300)).await; // let the watcher settle

    let dropped = Instant::now();
    std::fs::write(inbox.join("council.txt"), ARTICLE).unwrap();
    let got = hook.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "log:\n{}", app.log());
    let latency = got[0].at.duration_since(dropped);
    assert!(
        latency < Duration::from_secs(1),
        "picked up after {latency:?}"
    );
    let ev = got[0].json.as_ref().unwrap();
    assert_eq!(ev["type"], "article.new");
    assert_eq!(ev["article"]["headline"], "Council vote moved to Friday");
    assert_eq!(ev["article"]["outlet"], "Desk");

    // Edit the file: a new version with a diff.
    std::fs::write(
        inbox.join("council.txt"),
        ARTICLE.replace("to Friday,", "to Saturday,"),
    )
    .unwrap();
    let got = hook.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(got[1].json.as_ref().unwrap()["type"], "article.changed");

    signal(&child, 15);
    let status =
        wait_exit(&mut child, Duration::from_secs(15)).expect("daemon must stop on SIGTERM");
    assert!(status.success(), "exit {status:?}\n{}", app.log());
    assert!(app.log().contains("stopped"));
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_delivery_then_restart_delivers_with_the_same_id() {
    let hook = WebhookReceiver::start(SECRET).await;
    hook.set_delay(Duration::from_secs(30)); // the first delivery hangs at the receiver
    let app = App::new("");
    let inbox = app.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("a.txt"), ARTICLE).unwrap();
    std::fs::write(inbox.join("b.txt"), ARTICLE.replace("Council", "Senate")).unwrap();
    app.write_config(&folder_config(&inbox, &hook));
    let mut child = app.spawn();
    // Wait until a delivery is in flight, then kill the daemon without warning.
    let deadline = Instant::now() + Duration::from_secs(20);
    while hook.deliveries().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no delivery started:\n{}",
            app.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    signal(&child, 9);
    wait_exit(&mut child, Duration::from_secs(5));
    let in_flight: Vec<String> = hook
        .deliveries()
        .iter()
        .filter_map(|d| d.id.clone())
        .collect();
    assert!(!in_flight.is_empty());

    hook.set_delay(Duration::ZERO);
    let mut child = app.spawn();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ok: Vec<String> = hook
            .successful()
            .iter()
            .filter_map(|d| d.id.clone())
            .collect();
        if ok.len() >= 2 && in_flight.iter().all(|id| ok.contains(id)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not redelivered; ok={ok:?} in_flight={in_flight:?}\n{}",
            app.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Both articles were stored once each, and their article.new events delivered.
    let ok = hook.successful();
    let news: Vec<_> = ok
        .iter()
        .filter(|d| d.json.as_ref().unwrap()["type"] == "article.new")
        .collect();
    let mut ids: Vec<_> = news.iter().map(|d| d.id.clone().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        2,
        "two distinct events, each delivered at least once"
    );
    assert!(ok.iter().all(|d| d.signature_valid));
    assert_eq!(app.json(&["articles"]).as_array().unwrap().len(), 2);
    signal(&child, 15);
    assert!(wait_exit(&mut child, Duration::from_secs(30)).is_some_and(|s| s.success()));
}

#[tokio::test(flavor = "multi_thread")]
async fn receiver_errors_are_retried_with_backoff_and_retry_after() {
    let hook = WebhookReceiver::start(SECRET).await;
    hook.fail_next(2, 500);
    let app = App::new("");
    let inbox = app.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("a.txt"), ARTICLE).unwrap();
    app.write_config(&folder_config(&inbox, &hook));
    let mut child = app.spawn();
    let got = hook.wait_for(3, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 3, "{}", app.log());
    assert_eq!(got[0].answered, 500);
    assert_eq!(got[1].answered, 500);
    assert!(got[2].succeeded());
    assert!(
        got.iter().all(|d| d.id == got[0].id),
        "every retry carries the same webhook-id"
    );
    // Exponential backoff: the second gap is longer than the first.
    let gap1 = got[1].at - got[0].at;
    let gap2 = got[2].at - got[1].at;
    assert!(
        gap1 >= Duration::from_millis(700) && gap2 > gap1,
        "gaps {gap1:?} {gap2:?}"
    );

    // 429 with Retry-After: 2 is honoured.
    hook.rate_limit_next(1, 2);
    std::fs::write(inbox.join("b.txt"), ARTICLE.replace("Council", "Senate")).unwrap();
    let got = hook.wait_for(5, Duration::from_secs(20)).await;
    assert_eq!(got.len(), 5);
    assert_eq!(got[3].answered, 429);
    assert!(got[4].succeeded());
    assert!(
        got[4].at - got[3].at >= Duration::from_millis(1900),
        "Retry-After not honoured"
    );

    // Every attempt is visible.
    let dels = app.json(&["deliveries"]);
    let first = dels
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["event_id"] == got[0].id.clone().unwrap() && d["target"] != "log")
        .unwrap();
    assert_eq!(first["attempts"], 3);
    assert_eq!(first["state"], "delivered");
    signal(&child, 15);
    wait_exit(&mut child, Duration::from_secs(15));
}

#[tokio::test(flavor = "multi_thread")]
async fn receiver_down_then_up_gets_everything() {
    let hook = WebhookReceiver::unstarted(SECRET);
    let app = App::new("");
    let inbox = app.path("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("a.txt"), ARTICLE).unwrap();
    app.write_config(&folder_config(&inbox, &hook));
    let mut child = app.spawn();
    wait_ready(&app);
    // The event is stored and a delivery attempt fails while the receiver is down.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let dels = app.json(&["deliveries"]);
        if dels
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["target"] != "log" && d["attempts"].as_u64() >= Some(1))
        {
            assert!(dels.to_string().contains("cannot connect"), "{dels}");
            break;
        }
        assert!(Instant::now() < deadline, "{}", app.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    hook.restart().await;
    let got = hook.wait_for(1, Duration::from_secs(20)).await;
    assert!(got.iter().any(|d| d.succeeded()));
    signal(&child, 15);
    wait_exit(&mut child, Duration::from_secs(15));
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_reloads_config_and_keeps_running_on_a_bad_one() {
    let hook = WebhookReceiver::start(SECRET).await;
    let pages = PageServer::start().await;
    let app = App::new("");
    let mut child = app.spawn();
    wait_ready(&app);

    // A bad config is refused; the daemon keeps running.
    std::fs::write(&app.config, "[fetch]\ntimeout = \"never\"\n").unwrap();
    signal(&child, 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.log().contains("config reload refused") {
        assert!(Instant::now() < deadline, "{}", app.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "daemon died on a bad reload"
    );

    // A good config adds a folder source; it is watched right away.
    let inbox = app.path("inbox");
    app.write_config(&folder_config(&inbox, &hook));
    signal(&child, 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.log().contains("config reloaded") {
        assert!(Instant::now() < deadline, "{}", app.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    std::fs::write(inbox.join("a.txt"), ARTICLE).unwrap();
    let got = hook.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1, "{}", app.log());
    drop(pages);
    signal(&child, 15);
    assert!(wait_exit(&mut child, Duration::from_secs(30)).is_some_and(|s| s.success()));
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_mid_pass_loses_nothing() {
    // Many pages, a slow server: kill the daemon while it is fetching, restart, and every
    // page ends up with exactly one version and one delivered article.new.
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    let mut cfg = String::from("[fetch]\nper_host_delay = \"100ms\"\n");
    for i in 0..12 {
        pages.set_page(&format!("/p{i}"), &format!(
            "<html><body><article><h1>Story number {i}</h1><p>Paragraph of story {i} with enough words to count as the body of an article here.</p>\
             <p>A second paragraph of story {i} keeps the extraction confident about the article text.</p></article></body></html>"));
        cfg.push_str(&format!(
            "[[source]]\nname = \"p{i}\"\nkind = \"page\"\nurl = \"{}\"\ninterval = \"1h\"\n",
            pages.url(&format!("/p{i}"))
        ));
    }
    cfg.push_str(&format!(
        "[[notify.webhook]]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        hook.url()
    ));
    let app = App::new(&cfg);
    let mut child = app.spawn();
    let deadline = Instant::now() + Duration::from_secs(20);
    while pages.requests().len() < 4 {
        assert!(Instant::now() < deadline, "{}", app.log());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    signal(&child, 9);
    wait_exit(&mut child, Duration::from_secs(5));
    // Restart with every source due again (the killed run may have scheduled some for later).
    let report = app.json(&["check", "--all"]);
    assert_eq!(report["failed"], 0, "{report}");
    let arts = app.json(&["articles"]);
    assert_eq!(arts.as_array().unwrap().len(), 12);
    assert!(
        arts.as_array()
            .unwrap()
            .iter()
            .all(|a| a["version_count"] == 1),
        "{arts}"
    );
    let got = hook.wait_for(12, Duration::from_secs(10)).await;
    let mut ids: Vec<_> = got
        .iter()
        .filter(|d| d.succeeded())
        .map(|d| d.id.clone().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    drop(child);
}

/// Waits until `needle` occurs `n` times in the daemon log.
async fn wait_log(app: &App, needle: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.log().matches(needle).count() < n {
        assert!(
            Instant::now() < deadline,
            "no {needle:?} x{n}:\n{}",
            app.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_restarts_the_web_server_only_when_web_changes() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let web = |extra: &str| format!("[web]\nlisten = \"127.0.0.1:{port}\"\n{extra}");
    let app = App::new(&web(""));
    let mut child = app.spawn();
    wait_ready(&app);
    let url = format!("http://127.0.0.1:{port}/api/v1/facts");
    let c = reqwest::Client::new();
    let status = |token: Option<&'static str>| {
        let mut r = c.get(&url);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        async move { r.send().await.map(|r| r.status().as_u16()).ok() }
    };
    assert_eq!(status(None).await, Some(200));

    // a token is added: the server restarts on the same address and asks for it
    app.write_config(&web("token = \"fresh-token\"\n"));
    signal(&child, 1);
    wait_log(&app, "web server restarted", 1).await;
    assert_eq!(status(None).await, Some(401));
    assert_eq!(status(Some("fresh-token")).await, Some(200));

    // a reload that leaves [web] alone leaves the server alone
    app.write_config(&(web("token = \"fresh-token\"\n") + "[schedule]\nfolder_rescan = \"45s\"\n"));
    signal(&child, 1);
    wait_log(&app, "config reloaded", 2).await;
    assert_eq!(app.log().matches("web server restarted").count(), 1);

    // an address already taken: the previous settings are served again
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap();
    app.write_config(&format!(
        "[web]\nlisten = \"{busy}\"\ntoken = \"other-token\"\n"
    ));
    signal(&child, 1);
    wait_log(&app, "serving the previous ones", 1).await;
    assert_eq!(status(Some("fresh-token")).await, Some(200));
    assert!(child.try_wait().unwrap().is_none(), "{}", app.log());

    signal(&child, 15);
    assert!(wait_exit(&mut child, Duration::from_secs(30)).is_some_and(|s| s.success()));
}
