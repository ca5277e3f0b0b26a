//! Several `factdiff run` workers on one PostgreSQL database (issue 17), as real processes
//! against local multi-host servers: each article fetched once, every event delivered, the
//! per-host delay held across workers, a SIGKILLed worker's leases taken over at expiry,
//! and a SQLite store copied into PostgreSQL reading the same. Skipped with a notice when
//! no PostgreSQL server answers (see `FACTDIFF_TEST_POSTGRES`).
#![cfg(feature = "postgres")]

mod common;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant, SystemTime};

use common::app::{App, Daemon, signal, wait_exit};
use common::{PageServer, WebhookReceiver};
use factdiff::store::postgres::testing::TempDb;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TOWNS: &[&str] = &[
    "Arden", "Bexley", "Corran", "Dunmore", "Elgin", "Fairlie", "Garvan", "Hollis", "Inver",
    "Jarrow", "Kelso", "Lanark", "Moffat", "Nairn", "Oban", "Perth",
];
const THINGS: &[&str] = &[
    "bridges",
    "schools",
    "clinics",
    "buses",
    "parks",
    "libraries",
    "wells",
    "ferries",
];

fn article(host: usize, i: usize) -> String {
    let town = TOWNS[(host * 7 + i) % TOWNS.len()];
    let thing = THINGS[(i / 3 + host) % THINGS.len()];
    let n = 3 + (i * 13 + host * 5) % 90;
    let title = format!("{town} approves {n} new {thing} (item {host}-{i})");
    let p = |k: usize| {
        format!(
            "<p>The {town} council voted on Tuesday to fund {n} new {thing}, officials said, in item {host}-{i}. \
             Paragraph {k} records that the plan costs {} million and starts in {}.</p>",
            n * 2 + k,
            2027 + (i % 3)
        )
    };
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{}{}{}</article></body></html>",
        p(1),
        p(2),
        p(3)
    )
}

fn rss(urls: &[String]) -> String {
    let date = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    let items: String = urls
        .iter()
        .map(|u| format!("<item><title>t</title><link>{u}</link><pubDate>{date}</pubDate></item>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>E</title><link>http://e.org/</link><description>d</description>{items}</channel></rss>"#
    )
}

/// An app dir (config, log) whose store is `db`, with a 3 s lease.
fn worker_app(db: &TempDb, body: &str) -> App {
    worker_app_leasing(db, body, "3s")
}

/// [`worker_app`] with another lease.
fn worker_app_leasing(db: &TempDb, body: &str, lease: &str) -> App {
    let app = App::new("");
    std::fs::write(
        &app.config,
        format!(
            "[storage]\nurl = \"{}\"\nlease = \"{lease}\"\n[log]\nformat = \"pretty\"\n{body}",
            db.url
        ),
    )
    .unwrap();
    app
}

/// Hosts 127.0.0.{first..}, each with a feed of `per_host` articles.
async fn hosts(first: u8, n: usize, per_host: usize) -> Vec<PageServer> {
    let mut out = Vec::new();
    for h in 0..n {
        let s = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, first + h as u8))).await;
        let urls: Vec<String> = (0..per_host).map(|i| s.url(&format!("/a/{i}"))).collect();
        for i in 0..per_host {
            s.set_page(&format!("/a/{i}"), &article(h, i));
        }
        s.set_body("/feed.xml", "application/rss+xml", rss(&urls).as_bytes());
        out.push(s);
    }
    out
}

fn sources(servers: &[PageServer]) -> String {
    let mut c = String::new();
    for (i, s) in servers.iter().enumerate() {
        c.push_str(&format!(
            "[[source]]\nname = \"feed{i}\"\nkind = \"feed\"\nurl = \"{}\"\ninterval = \"1h\"\noutlet = \"Outlet {i}\"\n",
            s.url("/feed.xml")
        ));
    }
    c
}

fn allow(servers: &[PageServer]) -> String {
    let hosts: Vec<String> = servers
        .iter()
        .map(|s| format!("\"{}\"", s.addr().ip()))
        .collect();
    format!("allow_hosts = [{}]", hosts.join(", "))
}

/// A config where each host serves one request at a time across workers, slowly: a worker
/// stopped or killed mid-run still holds leased articles (and likely the host's slot).
fn one_slow_slot(servers: &[PageServer]) -> String {
    format!(
        "[fetch]\nper_host_delay = \"150ms\"\nper_host_concurrency = 1\nconcurrency = 4\n{}\n{}",
        allow(servers),
        sources(servers)
    )
}

fn article_requests(s: &PageServer) -> Vec<common::RecordedRequest> {
    s.requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/a/"))
        .collect()
}

async fn query(db: &TempDb, sql: &str) -> Vec<tokio_postgres::Row> {
    let (c, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    c.query(sql, &[]).await.unwrap()
}

fn wait_running(app: &App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !app.log().contains("factdiff running") {
        assert!(
            Instant::now() < deadline,
            "worker did not start:\n{}",
            app.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The issue's test: three `run` workers on one database, 2,000 articles on four hosts.
/// Each article is fetched once, each event delivered with a stable id and created once,
/// each host's delay held across workers (server log). One worker is SIGKILLed mid-run: the
/// articles it had leased and not stored are fetched by the others only after their lease
/// expired, and nothing is lost (one version and one `article.new` per article, every event
/// delivered). Fetches are told apart by worker through each worker's User-Agent.
#[tokio::test(flavor = "multi_thread")]
async fn three_workers_share_2000_articles_and_a_killed_workers_leases_are_taken_over() {
    let Some(db) = TempDb::create() else { return };
    let (n_hosts, per_host) = (4, 500);
    let total = n_hosts * per_host;
    let delay = Duration::from_millis(25);
    let servers = hosts(20, n_hosts, per_host).await;
    let hook = WebhookReceiver::start(SECRET).await;
    let body = |w: usize| {
        format!(
            "[fetch]\nuser_agent = \"worker{w}/1.0\"\nper_host_delay = \"25ms\"\nper_host_concurrency = 1\n\
             concurrency = 8\n{}\n{}[[notify.webhook]]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
            allow(&servers),
            sources(&servers),
            hook.url()
        )
    };
    // A lease long enough that a live worker, three debug builds sharing a busy machine,
    // finishes its feed and its articles within it (with 3 s, a feed of 500 items was
    // sometimes read again by a second worker under load).
    let apps: Vec<App> = (0..3)
        .map(|w| worker_app_leasing(&db, &body(w), "10s"))
        .collect();
    let started = Instant::now();
    let mut workers: Vec<Daemon> = apps.iter().map(|a| Daemon(a.spawn())).collect();
    for a in &apps {
        wait_running(a);
    }
    let fetched = || -> usize { servers.iter().map(|s| article_requests(s).len()).sum() };

    // Mid-run (a third of the articles fetched), worker 0 still holding leased articles it
    // has not stored: SIGKILL.
    let deadline = Instant::now() + Duration::from_secs(30);
    let victim_id = loop {
        if let Some(id) = worker_id_of(&db, workers[0].id()).await {
            break id;
        }
        assert!(
            Instant::now() < deadline,
            "no heartbeat:\n{}",
            apps[0].log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let held_sql = format!(
        "SELECT url, next_check_at FROM articles
         WHERE leased_by = '{victim_id}' AND version_count = 0 AND next_check_at > "
    );
    // Leases with 3 s still to run, so `factdiff workers` below still counts them.
    let holding = || {
        let soon = chrono::Utc::now() + chrono::Duration::milliseconds(3000);
        let soon = soon.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        format!("{held_sql}'{soon}'")
    };
    let deadline = Instant::now() + Duration::from_secs(600);
    while fetched() < total / 3 || query(&db, &holding()).await.is_empty() {
        assert!(
            Instant::now() < deadline,
            "{}/{total} fetched, worker 0 holding nothing\n{}",
            fetched(),
            apps[0].log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    signal(&workers[0], 9);
    wait_exit(&mut workers[0], Duration::from_secs(5)).expect("SIGKILL ends it");
    let (killed_at, killed_wall) = (Instant::now(), chrono::Utc::now());
    let at_kill = fetched();
    // What it held unstored when it died, with each lease's expiry; `factdiff workers`
    // shows it.
    let held: HashMap<String, chrono::DateTime<chrono::Utc>> = query(&db, &format!("{held_sql}''"))
        .await
        .iter()
        .map(|r| {
            let (url, until): (String, String) = (r.get(0), r.get(1));
            (key_of(&url), until.parse().unwrap())
        })
        .collect();
    assert!(!held.is_empty());
    let listed = apps[1].json(&["workers"]);
    let dead = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["pid"] == workers[0].id())
        .unwrap_or_else(|| panic!("killed worker not listed: {listed:#}"));
    assert!(dead["articles"].as_i64().unwrap() > 0, "{listed:#}");
    assert!(dead["stopped_at"].is_null(), "{listed:#}");

    // Done when every article is stored and every event stored is delivered.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let done = query(&db, "SELECT COUNT(*) FROM articles WHERE version_count > 0").await;
        if done[0].get::<_, i64>(0) == total as i64 {
            let ids: Vec<String> = query(&db, "SELECT id FROM events")
                .await
                .iter()
                .map(|r| r.get(0))
                .collect();
            let ok: std::collections::HashSet<String> =
                hook.successful().into_iter().filter_map(|d| d.id).collect();
            if ids.len() >= total && ids.iter().all(|id| ok.contains(id)) {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "not done after 600 s: {}/{total} fetched\n{}",
            fetched(),
            apps[1].log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed();
    eprintln!(
        "3 workers: {total} articles on {n_hosts} hosts in {took:?}; worker 0 killed after \
         {at_kill} fetches holding {} unstored articles",
        held.len()
    );

    // Per article (server address and path), who fetched it when. Each article once, except those the killed worker
    // held unstored: fetched again by a survivor, only after the lease expired.
    let mut by: HashMap<String, Vec<(bool, Instant)>> = HashMap::new();
    for s in &servers {
        for r in article_requests(s) {
            let victim = r
                .header("user-agent")
                .is_some_and(|u| u.starts_with("worker0/"));
            let key = format!("{}{}", s.addr(), r.path);
            by.entry(key).or_default().push((victim, r.at));
        }
    }
    assert_eq!(by.len(), total, "every article fetched");
    for (path, fetches) in &by {
        let survivors: Vec<Instant> = fetches.iter().filter(|f| !f.0).map(|f| f.1).collect();
        let by_victim = fetches.len() - survivors.len();
        match held.get(path) {
            None => assert_eq!(fetches.len(), 1, "{path} fetched {fetches:?}"),
            Some(until) => {
                assert!(by_victim <= 1, "{path}: {fetches:?}");
                assert_eq!(survivors.len(), 1, "{path} taken over once: {fetches:?}");
                let wall = killed_wall
                    + chrono::Duration::from_std(survivors[0].saturating_duration_since(killed_at))
                        .unwrap();
                assert!(
                    survivors[0] > killed_at && wall >= *until - chrono::Duration::milliseconds(50),
                    "{path} taken over at {wall}, before its lease expired at {until}"
                );
            }
        }
    }
    for s in &servers {
        assert_eq!(s.request_count("/feed.xml"), 1, "feed read by one worker");
        // The host's delay and its one-at-a-time limit held across the three workers
        // (server's clock): the shared slot is given back after a response's headers and
        // moves the host's next start `delay` past that, so the next request, whichever
        // worker sends it, reaches the server at least `delay` after this one did. (A slot
        // the killed worker held is given to another worker only when its hold expires.)
        let mut times: Vec<Instant> = s.requests().iter().map(|r| r.at).collect();
        times.sort();
        for w in times.windows(2) {
            assert!(
                w[1] - w[0] >= delay - Duration::from_millis(2),
                "requests to {} only {:?} apart",
                s.addr(),
                w[1] - w[0]
            );
        }
    }
    // Nothing lost, nothing created twice: one version and one article.new per article
    // (event ids are the primary key), and every event delivered (above).
    let versions = query(
        &db,
        "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM versions",
    )
    .await;
    assert_eq!(versions[0].get::<_, i64>(0), total as i64);
    assert_eq!(versions[0].get::<_, i64>(1), total as i64);
    let news = query(
        &db,
        "SELECT COUNT(*) FROM events WHERE type = 'article.new'",
    )
    .await;
    assert_eq!(news[0].get::<_, i64>(0), total as i64);
    // The work was shared: each survivor fetched articles after the kill.
    for w in 1..3 {
        let ua = format!("worker{w}/");
        let after = servers
            .iter()
            .flat_map(article_requests)
            .filter(|r| {
                r.at > killed_at && r.header("user-agent").is_some_and(|u| u.starts_with(&ua))
            })
            .count();
        assert!(after > 0, "worker {w} fetched nothing after the kill");
    }
    for w in &workers[1..] {
        signal(w, 15);
    }
    for (w, a) in workers.iter_mut().zip(&apps).skip(1) {
        let st = wait_exit(w, Duration::from_secs(20)).expect("worker stops on SIGTERM");
        assert!(st.success(), "{}", a.log());
    }
    let listed = apps[1].json(&["workers", "--all"]);
    let stopped = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["stopped_at"].is_string())
        .count();
    assert_eq!(stopped, 2, "{listed:#}");
}

/// A test server URL without its scheme (`http://127.0.0.x:port/a/1` → `127.0.0.x:port/a/1`),
/// as a request is keyed from the server's log.
fn key_of(url: &str) -> String {
    url.split_once("://").unwrap().1.to_string()
}

/// Worker `app`'s id as its leases name it (`host:pid:start`), from the `workers` table.
async fn worker_id_of(db: &TempDb, pid: u32) -> Option<String> {
    query(db, &format!("SELECT id FROM workers WHERE pid = {pid}"))
        .await
        .first()
        .map(|r| r.get(0))
}

/// A worker that stops answering without dying (SIGSTOP: its connections to PostgreSQL stay
/// open, as with a hung process or a machine cut off) loses its work to the other worker
/// within the lease, `factdiff workers` shows it silent, and when it wakes up nothing is
/// stored twice.
#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_workers_work_is_taken_over_within_the_lease() {
    let Some(db) = TempDb::create() else { return };
    let per_host = 24;
    let servers = hosts(50, 1, per_host).await;
    let s = &servers[0];
    // One request at a time for the host, across workers, slowly: the stalled worker holds
    // leased articles and, likely, the host's only shared slot when it stops.
    let body = one_slow_slot(&servers);
    let (a, b) = (worker_app(&db, &body), worker_app(&db, &body));
    let mut first = Daemon(a.spawn());
    wait_running(&a);
    let deadline = Instant::now() + Duration::from_secs(30);
    let first_id = loop {
        if let Some(id) = worker_id_of(&db, first.id()).await {
            break id;
        }
        assert!(Instant::now() < deadline, "no heartbeat:\n{}", a.log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut second = Daemon(b.spawn());
    wait_running(&b);
    // Stop the first while it holds leased articles not stored yet.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let held = query(
            &db,
            &format!(
                "SELECT COUNT(*) FROM articles WHERE leased_by = '{first_id}' AND version_count = 0"
            ),
        )
        .await[0]
            .get::<_, i64>(0);
        if held >= 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the first worker leased nothing:\n{}",
            a.log()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    signal(&first, 19); // SIGSTOP
    let stopped = Instant::now();
    let held: Vec<String> = query(
        &db,
        &format!("SELECT url FROM articles WHERE leased_by = '{first_id}' AND version_count = 0"),
    )
    .await
    .iter()
    .map(|r| r.get(0))
    .collect();

    // Everything is stored within the lease (3 s) plus the time the survivor needs to fetch
    // what is left at one request per 150 ms.
    let deadline = stopped + Duration::from_secs(20);
    loop {
        let done = query(&db, "SELECT COUNT(*) FROM articles WHERE version_count > 0").await;
        if done[0].get::<_, i64>(0) == per_host as i64 {
            break;
        }
        if Instant::now() >= deadline {
            let activity: Vec<String> = query(
                &db,
                "SELECT coalesce(state, '') || ' ' || coalesce(wait_event_type, '') || ' ' || left(query, 160) \
                 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .await
            .iter()
            .map(|r| r.get(0))
            .collect();
            panic!(
                "not all fetched {:?} after the first worker stalled holding {held:?}; \
                 sessions: {activity:#?}\n{}",
                stopped.elapsed(),
                b.log()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let took = stopped.elapsed();

    // `factdiff workers` shows the stalled worker as silent once its heartbeats stop.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let listed = b.json(&["workers"]);
        let me = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["pid"] == first.id());
        if me.is_some_and(|w| w["alive"] == false && w["stopped_at"].is_null()) {
            break;
        }
        assert!(Instant::now() < deadline, "not shown silent:\n{listed:#}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // It wakes up: what it had fetched for leases it lost is not stored a second time.
    signal(&first, 18); // SIGCONT
    tokio::time::sleep(Duration::from_secs(4)).await;
    for w in [&first, &second] {
        signal(w, 15);
    }
    wait_exit(&mut first, Duration::from_secs(20));
    wait_exit(&mut second, Duration::from_secs(20));
    let versions = query(
        &db,
        "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM versions",
    )
    .await;
    assert_eq!(versions[0].get::<_, i64>(0), per_host as i64);
    let news = query(
        &db,
        "SELECT COUNT(*) FROM events WHERE type = 'article.new'",
    )
    .await;
    assert_eq!(news[0].get::<_, i64>(0), per_host as i64);
    eprintln!(
        "stalled holding {} articles; all stored {took:?} after the stall",
        held.len()
    );
    assert!(article_requests(s).len() >= per_host);
}

/// robots.txt's Crawl-delay is a limit of the host, not of one worker: two workers sharing
/// one host never start requests to it closer than the Crawl-delay, whichever sends them.
#[tokio::test(flavor = "multi_thread")]
async fn crawl_delay_spaces_requests_across_workers() {
    let Some(db) = TempDb::create() else { return };
    let per_host = 8;
    let crawl_delay = Duration::from_millis(400);
    let servers = hosts(80, 1, per_host).await;
    servers[0].set_body(
        "/robots.txt",
        "text/plain",
        b"User-agent: *\nCrawl-delay: 0.4\n",
    );
    // One request at a time per worker, leased two at a time: both workers get articles.
    let body = format!(
        "[fetch]\nper_host_delay = \"10ms\"\nper_host_concurrency = 1\nconcurrency = 1\n{}\n{}",
        allow(&servers),
        sources(&servers)
    );
    let apps: Vec<App> = (0..2).map(|_| worker_app(&db, &body)).collect();
    let mut workers = vec![Daemon(apps[0].spawn())];
    wait_running(&apps[0]);
    // The second worker starts once the articles are listed, so it finds them due and both
    // fetch (an idle worker only looks again after its wait).
    let deadline = Instant::now() + Duration::from_secs(60);
    while query(&db, "SELECT id FROM articles").await.len() < per_host {
        assert!(
            Instant::now() < deadline,
            "feed not read\n{}",
            apps[0].log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    workers.push(Daemon(apps[1].spawn()));
    wait_running(&apps[1]);
    while article_requests(&servers[0]).len() < per_host {
        assert!(
            Instant::now() < deadline,
            "not done after 60 s\n{}",
            apps[0].log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut times: Vec<Instant> = servers[0]
        .requests()
        .iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| r.at)
        .collect();
    times.sort();
    for w in times.windows(2) {
        assert!(
            w[1] - w[0] >= crawl_delay - Duration::from_millis(5),
            "requests only {:?} apart (Crawl-delay {crawl_delay:?})",
            w[1] - w[0]
        );
    }
    let fetched_by = query(&db, "SELECT COUNT(*) FROM workers").await;
    assert_eq!(fetched_by[0].get::<_, i64>(0), 2);
    for w in workers.iter_mut() {
        signal(w, 15);
    }
    for (w, a) in workers.iter_mut().zip(&apps) {
        let st = wait_exit(w, Duration::from_secs(20)).expect("worker stops on SIGTERM");
        assert!(st.success(), "{}", a.log());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_store_copied_into_postgres_reads_the_same() {
    let Some(db) = TempDb::create() else { return };
    let servers = hosts(60, 2, 6).await;
    let hook = WebhookReceiver::start(SECRET).await;
    let body = format!(
        "[fetch]\nper_host_delay = \"1ms\"\n{}\n{}[[notify.webhook]]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        allow(&servers),
        sources(&servers),
        hook.url()
    );
    let lite = App::new(&body);
    lite.ok(&["check"]);
    // A second version of one article, so there is a diff and a fact change to compare.
    servers[0].set_page("/a/1", &article(0, 1).replace("fund ", "fund 2"));
    lite.ok(&["check", "--all"]);
    let out = lite.json(&["copy", "--to", &db.url]);
    assert_eq!(out["verified"], true, "{out:#}");
    let versions = out["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "versions")
        .unwrap();
    assert_eq!(versions["source_rows"], 13);
    // A second copy into the now non-empty database is refused.
    assert!(!lite.run(&["copy", "--to", &db.url]).status.success());

    let pg = worker_app(&db, &body);
    let a1 = servers[0].url("/a/1");
    for args in [
        vec!["articles"],
        vec!["history", a1.as_str()],
        vec!["show", a1.as_str()],
        vec!["diff", a1.as_str()],
        vec!["stories"],
        vec!["deliveries"],
        vec!["sources"],
        vec!["history"],
    ] {
        assert_eq!(lite.ok(&args), pg.ok(&args), "factdiff {args:?} differs");
    }
    // The web API answers the same on both (every list, one article's versions and diff,
    // the CSV export and the Atom feed of fact changes).
    let a1_id = lite.json(&["history", a1.as_str()])["article"]["id"].clone();
    let (ls, ps) = (serve(&lite), serve(&pg));
    for path in [
        "/api/v1/articles".to_string(),
        format!("/api/v1/articles/{a1_id}/versions"),
        format!("/api/v1/articles/{a1_id}/diff"),
        "/api/v1/facts".into(),
        "/api/v1/facts.csv".into(),
        "/api/v1/conflicts".into(),
        "/api/v1/events?limit=5".into(),
        "/api/v1/stories".into(),
        "/api/v1/sources".into(),
        "/api/v1/deliveries".into(),
        "/feeds/facts.atom".into(),
    ] {
        let (l, mut p) = (fetch(&ls.1, &path).await, fetch(&ps.1, &path).await);
        p.1 = p.1.replace(&ps.1, &ls.1); // links carry the server's own address
        assert_eq!(l.0, 200, "{path}: {}", l.1);
        assert_eq!(l, p, "GET {path} differs");
    }
    assert!(
        fetch(&ls.1, "/api/v1/facts")
            .await
            .1
            .contains("\"quantity\"")
    );
    drop((ls, ps));
    // And the copy carries on: a new version on PostgreSQL continues the numbering.
    servers[0].set_page("/a/1", &article(0, 1).replace("Tuesday", "Thursday"));
    pg.ok(&["check", "--all"]);
    let h = pg.json(&["history", a1.as_str()]);
    assert_eq!(h["versions"].as_array().unwrap().len(), 3);
}

/// `factdiff serve` on a free port: (the process, its base URL); killed on drop.
fn serve(app: &App) -> (Daemon, String) {
    use std::io::BufRead as _;
    let mut child = app
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    (Daemon(child), base)
}

async fn fetch(base: &str, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

const THU: &str = "Energy ministers will meet in Vienna on Thursday to agree a cap on gas prices.";
const MAR12: &str =
    "EU energy ministers are to gather in Vienna on March 12 for talks on a gas price cap.";
const WED: &str =
    "Energy ministers will meet in Vienna on Wednesday to discuss a cap on gas prices.";

fn vienna(lead: &str) -> String {
    format!(
        "Vienna hosts emergency gas price talks\n\n{lead}\n\nMinisters from 27 countries are expected at the emergency meeting after wholesale gas prices hit record highs.\n\nAustrian energy minister Leonore Gewessler said a cap was needed to protect households during the winter.\n\nTraders said a price cap risked diverting liquefied natural gas shipments to Asia."
    )
}

/// (story, ident, outcome) of every open finding, and the `claim.conflict` events per ident.
fn findings(app: &App) -> (Vec<String>, HashMap<String, usize>) {
    let stories = app.json(&["stories"]);
    let mut open = Vec::new();
    for s in stories.as_array().unwrap() {
        let id = s["id"].as_i64().unwrap().to_string();
        let story = app.json(&["story", &id]);
        for f in story["findings"].as_array().into_iter().flatten() {
            open.push(format!("{} {} {}", f["slot"], f["event"], f["outcome"]));
        }
    }
    open.sort();
    let mut per: HashMap<String, usize> = HashMap::new();
    for e in app
        .json(&["history", "--limit", "1000"])
        .as_array()
        .unwrap()
    {
        if e["kind"] == "claim.conflict" {
            let p = &e["payload"];
            *per.entry(format!("{} {}", p["event"], p["slot"]))
                .or_default() += 1;
        }
    }
    (open, per)
}

/// Four `factdiff ingest` processes at once into one story: the same findings as one
/// process ingesting them in turn, and no conflict reported twice.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_ingests_into_one_story_report_each_conflict_once() {
    let Some(db) = TempDb::create() else { return };
    let pg = worker_app(&db, "");
    let lite = App::new("");
    let docs = [("A", THU), ("B", MAR12), ("C", WED), ("D", THU)];
    for (outlet, lead) in docs {
        std::fs::write(pg.path(&format!("{outlet}.txt")), vienna(lead)).unwrap();
        std::fs::write(lite.path(&format!("{outlet}.txt")), vienna(lead)).unwrap();
    }
    let args = |outlet: &str| {
        let url = format!("https://{}.example/1", outlet.to_lowercase());
        let file = format!("{outlet}.txt");
        vec![
            "ingest".to_string(),
            file,
            "--outlet".into(),
            outlet.into(),
            "--url".into(),
            url,
            "--at".into(),
            "2026-03-09".into(),
        ]
    };
    let mut children: Vec<_> = docs
        .iter()
        .map(|(o, _)| {
            let a = args(o);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            pg.command(&a)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children.iter_mut() {
        assert!(c.wait().unwrap().success());
    }
    for (o, _) in docs {
        let a = args(o);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        lite.ok(&a);
    }
    let (pg_open, pg_events) = findings(&pg);
    let (lite_open, lite_events) = findings(&lite);
    assert!(!lite_open.is_empty(), "the story has a conflict to find");
    assert_eq!(pg_open, lite_open);
    assert_eq!(pg.json(&["stories"]).as_array().unwrap().len(), 1);
    assert!(
        pg_events.values().all(|n| *n == 1),
        "a conflict reported twice: {pg_events:?}"
    );
    assert!(!lite_events.is_empty());
    assert_eq!(pg_events.len(), lite_events.len());
}

/// An idle worker looks for due work again within a couple of seconds: another process
/// (here the test, as another worker would after reading a feed) adds an article due now
/// without waking it. Before, it slept until the next due time it knew of, or 30 s.
#[tokio::test(flavor = "multi_thread")]
async fn an_idle_worker_picks_up_work_another_process_added() {
    let Some(db) = TempDb::create() else { return };
    let servers = hosts(90, 1, 1).await;
    // no sources: nothing is due, so the worker goes idle
    let body = format!("[fetch]\nper_host_delay = \"10ms\"\n{}\n", allow(&servers));
    let app = worker_app(&db, &body);
    let mut worker = Daemon(app.spawn());
    wait_running(&app);
    // well into its idle wait
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let url = servers[0].url("/a/0");
    let (c, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    c.execute(
        "INSERT INTO articles (url, outlet, first_seen_at, next_check_at) VALUES ($1, 'Outlet 0', $2, $2)",
        &[&url, &now],
    )
    .await
    .unwrap();
    let added = Instant::now();
    while article_requests(&servers[0]).is_empty() {
        assert!(
            added.elapsed() < Duration::from_secs(6),
            "the idle worker did not fetch the article added 6 s ago\n{}",
            app.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    signal(&worker, 15);
    let st = wait_exit(&mut worker, Duration::from_secs(20)).expect("worker stops on SIGTERM");
    assert!(st.success(), "{}", app.log());
}
