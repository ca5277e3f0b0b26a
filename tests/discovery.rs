//! Discovery and politeness end to end through the real binary: feeds and sitemaps served by
//! local HTTP servers on 127.0.0.x, robots.txt, per-host limits, the SSRF guard, source health.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::app::App;
use common::{PageServer, RawResponse};

fn article(title: &str, body: &str) -> String {
    let para = |n: usize| {
        format!(
            "<p>{body} Paragraph {n} adds the detail that reporters confirmed with officials on the scene this week.</p>"
        )
    };
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{}{}{}</article></body></html>",
        para(1),
        para(2),
        para(3)
    )
}

fn rss(items: &[String]) -> String {
    // Published an hour ago: young enough to be re-checked on the default schedule.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(3600));
    let items: String = items
        .iter()
        .map(|u| u.replace('&', "&amp;"))
        .map(|u| {
            format!(
                "<item><title>Story at {u}</title><link>{u}</link><pubDate>{date}</pubDate></item>"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example</title><link>http://example.org/</link><description>d</description>{items}</channel></rss>"#
    )
}

fn feed_config(sources: &[(&str, &str, &str)], fetch: &str) -> String {
    let mut c = format!("[fetch]\nper_host_delay = \"1ms\"\n{fetch}\n");
    for (name, kind, url) in sources {
        c.push_str(&format!(
            "[[source]]\nname = \"{name}\"\nkind = \"{kind}\"\nurl = \"{url}\"\ninterval = \"10m\"\noutlet = \"{name} news\"\n\n"
        ));
    }
    c
}

fn source<'a>(list: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no source {name} in {list}"))
}

fn article_row<'a>(list: &'a serde_json::Value, url: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["url"] == url)
        .unwrap_or_else(|| panic!("no article {url} in {list:#}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_feed_item_is_discovered_and_fetched_on_the_next_pass() {
    let server = PageServer::start().await;
    for p in ["/a", "/b", "/c"] {
        server.set_page(p, &article(&format!("Story {p}"), "Floods hit the valley."));
    }
    // Tracking parameters and fragments do not make a second article.
    let a_tracked = format!("{}?utm_source=rss&utm_medium=feed#top", server.url("/a"));
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[a_tracked, server.url("/b")]).as_bytes(),
    );
    let app = App::new(&feed_config(
        &[("wire", "feed", &server.url("/feed.xml"))],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 2, "{report}");
    assert_eq!(report["discovered"], 2, "{report}");
    let arts = app.json(&["articles"]);
    assert_eq!(arts.as_array().unwrap().len(), 2, "{arts:#}");
    assert_eq!(article_row(&arts, &server.url("/a"))["version_count"], 1);
    assert_eq!(article_row(&arts, &server.url("/a"))["outlet"], "wire news");
    assert!(article_row(&arts, &server.url("/a"))["next_check_at"].is_string());

    // The feed gains an item: the next pass of the feed finds it and fetches only it.
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[server.url("/c"), server.url("/a"), server.url("/b")]).as_bytes(),
    );
    let report = app.json(&["check", "--source", "wire"]);
    assert_eq!(report["new"], 1, "{report}");
    assert_eq!(server.request_count("/c"), 1);
    assert_eq!(server.request_count("/a"), 1, "not due yet: not re-fetched");
    assert_eq!(server.request_count("/b"), 1);
    let src = app.json(&["sources"]);
    let wire = source(&src, "wire");
    assert_eq!(wire["articles_discovered"], 3, "{wire}");
    assert_eq!(wire["consecutive_failures"], 0);
    assert!(wire["last_success_at"].is_string() && wire["next_check_at"].is_string());

    // The feed itself is fetched conditionally; unchanged → 304, nothing new.
    let report = app.json(&["check", "--source", "wire"]);
    assert_eq!(report["new"], 0, "{report}");
    let feed_reqs = server.requests_to("/feed.xml");
    assert!(
        feed_reqs.last().unwrap().header("if-none-match").is_some(),
        "feed re-fetched without validators"
    );
    // A plain `check` later in the same minute: nothing is due (the schedule is stored).
    let report = app.json(&["check"]);
    assert_eq!(report["sources"], 0, "{report}");
    assert_eq!(server.request_count("/a"), 1);
    let table = app.ok(&["sources"]);
    assert!(
        table.contains("DISCOVERED") && table.contains("wire"),
        "{table}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_txt_disallow_is_honoured_for_discovered_articles() {
    let server = PageServer::start().await;
    server.set_body(
        "/robots.txt",
        "text/plain",
        b"User-agent: *\nDisallow: /private/\n",
    );
    server.set_page("/private/x", &article("Secret", "Not for crawlers."));
    server.set_page("/public/y", &article("Open", "For everyone."));
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[server.url("/private/x"), server.url("/public/y")]).as_bytes(),
    );
    let app = App::new(&feed_config(
        &[("wire", "feed", &server.url("/feed.xml"))],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 1, "{report}");
    assert_eq!(server.request_count("/private/x"), 0, "robots.txt ignored");
    assert_eq!(server.request_count("/public/y"), 1);
    assert_eq!(
        server.request_count("/robots.txt"),
        1,
        "robots.txt is cached"
    );
    let arts = app.json(&["articles"]);
    let x = article_row(&arts, &server.url("/private/x"));
    assert!(
        x["last_error"]
            .as_str()
            .unwrap()
            .contains("disallowed by robots.txt"),
        "{x}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_hosts_are_rate_limited_independently() {
    let delay = Duration::from_millis(300);
    let a = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).await;
    let b = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3))).await;
    for s in [&a, &b] {
        let urls: Vec<String> = (1..=4).map(|i| s.url(&format!("/n{i}"))).collect();
        for i in 1..=4 {
            s.set_page(&format!("/n{i}"), &article(&format!("N{i}"), "News."));
        }
        s.set_body("/feed.xml", "application/rss+xml", rss(&urls).as_bytes());
    }
    let app = App::new(&format!(
        "[fetch]\nper_host_delay = \"300ms\"\nper_host_concurrency = 1\nconcurrency = 8\n\
         allow_hosts = [\"127.0.0.2\", \"127.0.0.3\"]\n\
         [[source]]\nname = \"a\"\nkind = \"feed\"\nurl = \"{}\"\n\
         [[source]]\nname = \"b\"\nkind = \"feed\"\nurl = \"{}\"\n",
        a.url("/feed.xml"),
        b.url("/feed.xml")
    ));
    let t0 = Instant::now();
    let report = app.json(&["check"]);
    let took = t0.elapsed();
    assert_eq!(report["new"], 8, "{report}");
    for s in [&a, &b] {
        let mut times: Vec<Instant> = s.requests().iter().map(|r| r.at).collect();
        times.sort();
        // robots.txt + feed + 4 articles, each at least the delay apart (server's view).
        assert_eq!(times.len(), 6);
        for w in times.windows(2) {
            assert!(
                w[1] - w[0] >= delay - Duration::from_millis(5),
                "gap {:?}",
                w[1] - w[0]
            );
        }
    }
    // Independent: the two hosts were crawled side by side, not one after the other.
    let (a_first, a_last) = bounds(&a);
    let (b_first, b_last) = bounds(&b);
    assert!(
        a_first < b_last && b_first < a_last,
        "hosts crawled one after the other"
    );
    assert!(took < delay * 10, "took {took:?}");
}

fn bounds(s: &PageServer) -> (Instant, Instant) {
    let t: Vec<Instant> = s.requests().iter().map(|r| r.at).collect();
    (*t.iter().min().unwrap(), *t.iter().max().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn discovered_private_addresses_are_refused_directly_and_at_redirects() {
    let trusted = PageServer::start().await; // 127.0.0.1, in allow_hosts
    let inner = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9))).await;
    inner.set_page("/x", &article("Internal", "Admin panel."));
    inner.set_page("/y", &article("Internal", "Metadata service."));
    trusted.set_page("/ok", &article("Fine", "A public story."));
    trusted.set_raw(
        "/hop",
        RawResponse::new(302).header("location", &inner.url("/y")),
    );
    trusted.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[
            inner.url("/x"),
            trusted.url("/hop"),
            trusted.url("/ok"),
            "http://localhost:9/z".to_string(),
        ])
        .as_bytes(),
    );
    let app = App::new(&feed_config(
        &[("wire", "feed", &trusted.url("/feed.xml"))],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    let out = app.run(&["check", "--json"]);
    assert!(out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["new"], 1, "{report}");
    assert!(
        inner.requests().is_empty(),
        "a request reached 127.0.0.9: {:?}",
        inner.requests()
    );
    assert_eq!(trusted.request_count("/hop"), 1);
    let arts = app.json(&["articles"]);
    for url in [
        inner.url("/x"),
        trusted.url("/hop"),
        "http://localhost:9/z".into(),
    ] {
        let e = article_row(&arts, &url)["last_error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(e.starts_with("refused"), "{url}: {e}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refused"), "refusals are logged: {stderr}");
    // Refused articles are not re-tried.
    assert!(article_row(&arts, &inner.url("/x"))["next_check_at"].is_null());

    // The configured feed URL itself is trusted, and private addresses can be allowed.
    let open = App::new(&feed_config(
        &[("wire", "feed", &trusted.url("/feed.xml"))],
        "allow_private_addresses = true",
    ));
    let report = open.json(&["check"]);
    assert_eq!(report["new"], 3, "{report}");
    assert!(!inner.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_feed_is_the_sources_error_and_does_not_stop_others() {
    let server = PageServer::start().await;
    server.set_page("/good-story", &article("Good", "Fine news."));
    server.set_body(
        "/good.xml",
        "application/rss+xml",
        rss(&[server.url("/good-story")]).as_bytes(),
    );
    server.set_page(
        "/bad.xml",
        "<html><body><p>Sorry, our feed moved.</p></body></html>",
    );
    server.set_body(
        "/truncated.xml",
        "application/rss+xml",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><link>http://",
    );
    let app = App::new(&feed_config(
        &[
            ("bad", "feed", &server.url("/bad.xml")),
            ("good", "feed", &server.url("/good.xml")),
            ("cut", "feed", &server.url("/truncated.xml")),
        ],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 1, "{report}");
    let src = app.json(&["sources"]);
    for name in ["bad", "cut"] {
        let s = source(&src, name);
        assert_eq!(s["consecutive_failures"], 1, "{s}");
        let err = s["last_error"].as_str().unwrap();
        assert!(err.contains("not a feed"), "{name}: {err}");
    }
    assert_eq!(source(&src, "good")["consecutive_failures"], 0);
    assert_eq!(source(&src, "good")["articles_discovered"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn sitemap_index_gzip_and_lastmod() {
    let server = PageServer::start().await;
    for p in ["/s1", "/s2", "/s3"] {
        server.set_page(p, &article(&format!("Story {p}"), "Election results."));
    }
    let urlset = |lastmod: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{}</loc><lastmod>{lastmod}</lastmod><news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication><news:publication_date>2026-01-05T08:00:00Z</news:publication_date><news:title>Story one</news:title></news:news></url>
<url><loc>{}</loc><lastmod>2026-01-05T08:00:00Z</lastmod></url>
</urlset>"#,
            server.url("/s1"),
            server.url("/s2")
        )
    };
    server.set_body(
        "/news.xml",
        "application/xml",
        urlset("2026-01-05T08:00:00Z").as_bytes(),
    );
    let text = format!("{}\n", server.url("/s3"));
    server.set_body(
        "/more.txt.gz",
        "application/x-gzip",
        &common::faults::gzip(text.as_bytes()),
    );
    server.set_body(
        "/index.xml",
        "application/xml",
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{}</loc></sitemap><sitemap><loc>{}</loc></sitemap></sitemapindex>"#,
            server.url("/news.xml"),
            server.url("/more.txt.gz")
        )
        .as_bytes(),
    );
    let app = App::new(&feed_config(
        &[("map", "sitemap", &server.url("/index.xml"))],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 3, "{report}");
    assert_eq!(report["discovered"], 3, "{report}");
    // A moved lastmod makes that article due again at once; the others are not.
    server.set_body(
        "/news.xml",
        "application/xml",
        urlset("2026-01-05T10:30:00Z").as_bytes(),
    );
    server.set_page("/s1", &article("Story /s1", "Election results, updated."));
    let report = app.json(&["check", "--source", "map"]);
    assert_eq!(report["changed"], 1, "{report}");
    assert_eq!(server.request_count("/s1"), 2);
    assert_eq!(server.request_count("/s2"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn one_story_under_two_urls_is_one_article() {
    let server = PageServer::start().await;
    let canonical = server.url("/news/floods-hit-valley");
    let page = article("Floods hit the valley", "Rivers burst their banks.").replace(
        "<head>",
        &format!("<head><link rel=\"canonical\" href=\"{canonical}\">"),
    );
    server.set_page("/story", &page);
    server.set_page("/news/floods-hit-valley", &page);
    let amp = format!("{canonical}/amp");
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[
            format!("{}?id=7", server.url("/story")),
            canonical.clone(),
            amp,
        ])
        .as_bytes(),
    );
    let app = App::new(&feed_config(
        &[("wire", "feed", &server.url("/feed.xml"))],
        "allow_hosts = [\"127.0.0.1\"]",
    ));
    app.json(&["check"]);
    let arts = app.json(&["articles"]);
    let stored: Vec<_> = arts
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["version_count"].as_i64() > Some(0))
        .collect();
    assert_eq!(stored.len(), 1, "{arts:#}");
    assert_eq!(stored[0]["url"], canonical.as_str());
    assert_eq!(arts.as_array().unwrap().len(), 1, "{arts:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_daemon_discovers_and_fetches_new_items_as_the_feed_grows() {
    let server = PageServer::start().await;
    for p in ["/d1", "/d2", "/d3"] {
        server.set_page(p, &article(&format!("Story {p}"), "Budget vote."));
    }
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[server.url("/d1"), server.url("/d2")]).as_bytes(),
    );
    let app = App::new(&format!(
        "[fetch]\nper_host_delay = \"1ms\"\nallow_hosts = [\"127.0.0.1\"]\n\
         [[source]]\nname = \"wire\"\nkind = \"feed\"\nurl = \"{}\"\ninterval = \"1s\"\n",
        server.url("/feed.xml")
    ));
    let mut daemon = common::app::Daemon(app.spawn());
    let stored = |n: usize| {
        let s = server.clone();
        move || {
            ["/d1", "/d2", "/d3"]
                .iter()
                .filter(|p| s.request_count(p) > 0)
                .count()
                >= n
        }
    };
    assert!(
        common::eventually(Duration::from_secs(15), stored(2)).await,
        "{}",
        app.log()
    );
    server.set_body(
        "/feed.xml",
        "application/rss+xml",
        rss(&[server.url("/d3"), server.url("/d1"), server.url("/d2")]).as_bytes(),
    );
    assert!(
        common::eventually(Duration::from_secs(15), stored(3)).await,
        "{}",
        app.log()
    );
    common::app::signal(&daemon, 15);
    let status = common::app::wait_exit(&mut daemon, Duration::from_secs(15));
    assert!(status.is_some_and(|s| s.success()), "{}", app.log());
    assert_eq!(app.version_count(&server.url("/d3")), 1);
    assert_eq!(
        server.request_count("/d1"),
        1,
        "re-fetched before it was due"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_all_rechecks_every_tracked_article_across_lease_pages() {
    let server = PageServer::start().await;
    let urls: Vec<String> = (0..300).map(|i| server.url(&format!("/n/{i}"))).collect();
    for i in 0..300 {
        server.set_page(
            &format!("/n/{i}"),
            &article(&format!("Story {i}"), "Local news."),
        );
    }
    server.set_body("/feed.xml", "application/rss+xml", rss(&urls).as_bytes());
    let app = App::new(&format!(
        "[fetch]\nper_host_delay = \"0s\"\nper_host_concurrency = 8\nallow_hosts = [\"127.0.0.1\"]\n\
         [[source]]\nname = \"wire\"\nkind = \"feed\"\nurl = \"{}\"\n",
        server.url("/feed.xml")
    ));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 300, "{report}");
    let report = app.json(&["check", "--all"]);
    assert_eq!(report["unchanged"], 300, "{report}");
    let conditional = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/n/") && r.header("if-none-match").is_some())
        .count();
    assert_eq!(conditional, 300, "every re-check is a conditional GET");
}

/// `check --all` leases round-robin across hosts, as the daemon does: each feed's articles
/// have consecutive ids, so in id order the pass's bounded task set queued on the first
/// host's delay while the other hosts idled (their first article came seconds later).
#[tokio::test(flavor = "multi_thread")]
async fn check_all_takes_hosts_round_robin() {
    let (per_host, delay) = (20, Duration::from_millis(200));
    let mut servers = Vec::new();
    for h in 0..3u8 {
        let s = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 41 + h))).await;
        let urls: Vec<String> = (0..per_host).map(|i| s.url(&format!("/a/{i}"))).collect();
        for i in 0..per_host {
            s.set_page(
                &format!("/a/{i}"),
                &article(&format!("Host {h} story {i}"), "Local news."),
            );
        }
        s.set_body("/feed.xml", "application/rss+xml", rss(&urls).as_bytes());
        servers.push(s);
    }
    let feeds: Vec<(String, String)> = servers
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("f{i}"), s.url("/feed.xml")))
        .collect();
    let list: Vec<(&str, &str, &str)> = feeds
        .iter()
        .map(|(n, u)| (n.as_str(), "feed", u.as_str()))
        .collect();
    let config = |delay: &str| {
        feed_config(
            &list,
            "per_host_concurrency = 1\nconcurrency = 4\n\
             allow_hosts = [\"127.0.0.41\", \"127.0.0.42\", \"127.0.0.43\"]",
        )
        .replace(
            "per_host_delay = \"1ms\"",
            &format!("per_host_delay = \"{delay}\""),
        )
    };
    let app = App::new(&config("1ms"));
    let report = app.json(&["check"]);
    assert_eq!(report["new"], 3 * per_host, "{report}");
    // The re-check pass, every host held to `delay` between requests.
    app.write_config(&config(&format!("{}ms", delay.as_millis())));
    let t0 = Instant::now();
    let report = app.json(&["check", "--all"]);
    assert_eq!(report["unchanged"], 3 * per_host, "{report}");
    let firsts: Vec<Instant> = servers
        .iter()
        .map(|s| {
            s.requests()
                .iter()
                .filter(|r| r.at > t0 && r.path.starts_with("/a/"))
                .map(|r| r.at)
                .min()
                .expect("the host's articles were re-checked")
        })
        .collect();
    let spread = *firsts.iter().max().unwrap() - *firsts.iter().min().unwrap();
    assert!(
        spread < delay * 5,
        "the hosts' first re-checks were {spread:?} apart: one host at a time"
    );
}
