//! The fetcher against real local servers (tests/common).

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::{PageServer, RawResponse, refused_addr, spawn_reset_server};
use factdiff::fetch::{FetchError, FetchSettings, Fetched, Fetcher, Outcome, Validators};

const TIMEOUT: Duration = Duration::from_secs(1);
const MAX_BODY: u64 = 1_000_000;

fn settings() -> FetchSettings {
    FetchSettings {
        user_agent: "factdiff-test/1".into(),
        timeout: TIMEOUT,
        connect_timeout: TIMEOUT,
        max_body: MAX_BODY,
        max_redirects: 5,
        per_host_delay: Duration::ZERO,
        robots: false,
        ..Default::default()
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(settings()).expect("client")
}

fn none() -> Validators {
    Validators::default()
}

#[track_caller]
fn new(outcome: Outcome) -> Fetched {
    match outcome {
        Outcome::New(f) => f,
        other => panic!("expected New, got {other:?}"),
    }
}

#[track_caller]
fn failed(outcome: Outcome) -> FetchError {
    match outcome {
        Outcome::Failed(e) => e,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn html_page_is_fetched_and_decoded() {
    let server = PageServer::start().await;
    server.set_page("/a", "<html><body><p>Le café est fermé.</p></body></html>");
    let f = new(fetcher().fetch(&server.url("/a"), &none()).await);
    assert_eq!(f.status, 200);
    assert_eq!(f.final_url, server.url("/a"));
    assert!(f.is_html);
    assert_eq!(f.charset, "UTF-8");
    assert!(f.body_text.contains("Le café est fermé."));
    assert_eq!(f.raw, f.body_text.as_bytes());
    assert_eq!(f.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(f.validators.etag.is_some() && f.validators.last_modified.is_some());

    let req = &server.requests_to("/a")[0];
    assert_eq!(req.header("user-agent"), Some("factdiff-test/1"));
    assert!(req.header("accept").unwrap().starts_with("text/html"));
    let enc = req.header("accept-encoding").unwrap();
    assert!(
        enc.contains("gzip") && enc.contains("br") && enc.contains("zstd"),
        "{enc}"
    );
    assert_eq!(req.header("if-none-match"), None);
}

#[tokio::test]
async fn conditional_get_gives_not_modified_until_the_page_changes() {
    let server = PageServer::start().await;
    let fetcher = fetcher();
    server.set_page("/a", "<p>one</p>");
    let first = new(fetcher.fetch(&server.url("/a"), &none()).await);

    let second = fetcher.fetch(&server.url("/a"), &first.validators).await;
    assert!(matches!(second, Outcome::NotModified), "{second:?}");
    let req = server.requests_to("/a").pop().unwrap();
    assert_eq!(
        req.header("if-none-match"),
        first.validators.etag.as_deref()
    );
    assert_eq!(
        req.header("if-modified-since"),
        first.validators.last_modified.as_deref()
    );

    // Last-Modified alone is enough too.
    let lm_only = Validators {
        etag: None,
        last_modified: first.validators.last_modified.clone(),
    };
    assert!(matches!(
        fetcher.fetch(&server.url("/a"), &lm_only).await,
        Outcome::NotModified
    ));

    server.set_page("/a", "<p>two</p>");
    let third = new(fetcher.fetch(&server.url("/a"), &first.validators).await);
    assert!(third.body_text.contains("two"));
    assert_ne!(third.validators.etag, first.validators.etag);
    assert_ne!(
        third.validators.last_modified,
        first.validators.last_modified
    );
}

#[tokio::test]
async fn gone_on_404_and_410() {
    let server = PageServer::start().await;
    let fetcher = fetcher();
    server.set_page("/a", "<p>x</p>");
    server.set_status("/a", 404);
    assert!(matches!(
        fetcher.fetch(&server.url("/a"), &none()).await,
        Outcome::Gone { status: 404 }
    ));
    server.set_status("/a", 410);
    assert!(matches!(
        fetcher.fetch(&server.url("/a"), &none()).await,
        Outcome::Gone { status: 410 }
    ));
    assert!(matches!(
        fetcher.fetch(&server.url("/never-set"), &none()).await,
        Outcome::Gone { status: 404 }
    ));
}

#[tokio::test]
async fn server_error_is_failed_with_status() {
    let server = PageServer::start().await;
    server.set_page("/a", "<p>x</p>");
    server.set_status("/a", 500);
    let e = failed(fetcher().fetch(&server.url("/a"), &none()).await);
    assert_eq!(
        e,
        FetchError::HttpStatus {
            status: 500,
            retry_after: None
        }
    );
    assert_eq!(e.to_string(), "server returned HTTP 500");
    assert_eq!(e.kind(), "http_status");
    assert!(e.is_transient());

    server.set_status("/a", 403);
    let e = failed(fetcher().fetch(&server.url("/a"), &none()).await);
    assert!(!e.is_transient());
}

#[tokio::test]
async fn retry_after_is_parsed_on_429_and_503() {
    let server = PageServer::start().await;
    server.set_raw("/limited", RawResponse::new(429).header("retry-after", "1"));
    let e = failed(fetcher().fetch(&server.url("/limited"), &none()).await);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(e.to_string(), "server returned HTTP 429 (retry after 1s)");

    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(120));
    server.set_raw("/down", RawResponse::new(503).header("retry-after", &later));
    let e = failed(fetcher().fetch(&server.url("/down"), &none()).await);
    let wait = e.retry_after().expect("retry-after from an HTTP date");
    assert!(
        wait > Duration::from_secs(110) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );

    server.set_raw(
        "/bad",
        RawResponse::new(429).header("retry-after", "whenever"),
    );
    assert_eq!(
        failed(fetcher().fetch(&server.url("/bad"), &none()).await).retry_after(),
        None
    );
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_limit_quickly() {
    let server = PageServer::start().await;
    let t = Instant::now();
    let e = failed(fetcher().fetch(&server.url("/gzip-bomb"), &none()).await);
    assert_eq!(e, FetchError::BodyTooLarge { limit: MAX_BODY });
    assert_eq!(
        e.to_string(),
        "body larger than 1 MB limit (after decompression)"
    );
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[tokio::test]
async fn huge_bodies_are_cut_off() {
    let server = PageServer::start().await;
    let t = Instant::now();
    let e = failed(fetcher().fetch(&server.url("/huge"), &none()).await);
    assert_eq!(e, FetchError::BodyTooLarge { limit: MAX_BODY });
    let e = failed(
        fetcher()
            .fetch(&server.url("/huge-declared"), &none())
            .await,
    );
    assert_eq!(e, FetchError::BodyTooLarge { limit: MAX_BODY });
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[tokio::test]
async fn compressed_pages_are_decompressed() {
    let server = PageServer::start().await;
    let f = new(fetcher().fetch(&server.url("/gzip-page"), &none()).await);
    assert!(
        f.body_text.contains("compressed page, café"),
        "{}",
        f.body_text
    );
}

#[tokio::test]
async fn redirects_are_followed_limited_and_loops_detected() {
    let server = PageServer::start().await;
    let fetcher = fetcher();
    let f = new(fetcher
        .fetch(&server.url("/redirect-chain/3"), &none())
        .await);
    assert_eq!(f.final_url, server.url("/redirect-chain/0"));

    let e = failed(
        fetcher
            .fetch(&server.url("/redirect-chain/6"), &none())
            .await,
    );
    assert_eq!(e, FetchError::TooManyRedirects { limit: 5 });
    assert!(
        new(fetcher
            .fetch(&server.url("/redirect-chain/5"), &none())
            .await)
        .body_text
        .contains("end of chain")
    );

    let e = failed(fetcher.fetch(&server.url("/redirect-loop"), &none()).await);
    assert_eq!(
        e,
        FetchError::RedirectLoop {
            url: server.url("/redirect-loop")
        }
    );
    assert!(e.to_string().starts_with("redirect loop"), "{e}");
    assert_eq!(server.request_count("/redirect-loop"), 1);
    assert_eq!(server.request_count("/redirect-loop-b"), 1);
}

#[tokio::test]
async fn reset_and_refused_connections() {
    let reset = spawn_reset_server().await;
    let e = failed(
        fetcher()
            .fetch(&format!("http://{reset}/reset"), &none())
            .await,
    );
    assert!(
        matches!(e, FetchError::Io { .. } | FetchError::Connect { .. }),
        "{e:?}"
    );

    let refused = refused_addr();
    let e = failed(
        fetcher()
            .fetch(&format!("http://{refused}/"), &none())
            .await,
    );
    assert!(matches!(e, FetchError::Connect { .. }), "{e:?}");
    assert!(e.to_string().starts_with("could not connect"), "{e}");
}

#[tokio::test]
async fn hanging_server_times_out() {
    let server = PageServer::start().await;
    for path in ["/hang", "/stall-body"] {
        let t = Instant::now();
        let e = failed(fetcher().fetch(&server.url(path), &none()).await);
        assert_eq!(
            e,
            FetchError::Timeout {
                after: TIMEOUT,
                connecting: false
            },
            "{path}"
        );
        assert_eq!(e.to_string(), "timed out after 1s");
        let took = t.elapsed();
        assert!(
            took >= TIMEOUT && took < TIMEOUT + Duration::from_millis(800),
            "{path}: {took:?}"
        );
    }
}

#[tokio::test]
async fn binary_content_is_not_text() {
    let server = PageServer::start().await;
    let e = failed(fetcher().fetch(&server.url("/binary"), &none()).await);
    assert_eq!(
        e,
        FetchError::NotText {
            content_type: Some("image/png".into())
        }
    );
    let e = failed(
        fetcher()
            .fetch(&server.url("/binary-mislabeled"), &none())
            .await,
    );
    assert_eq!(e.kind(), "not_text");
    server.set_raw(
        "/blob",
        RawResponse::new(200)
            .header("content-type", "application/octet-stream")
            .body("<p>hi</p>"),
    );
    assert_eq!(
        failed(fetcher().fetch(&server.url("/blob"), &none()).await).kind(),
        "not_text"
    );
    server.set_raw("/untyped", RawResponse::new(200).body(&b"abc\0\0\0def"[..]));
    assert_eq!(
        failed(fetcher().fetch(&server.url("/untyped"), &none()).await).kind(),
        "not_text"
    );
}

#[tokio::test]
async fn empty_body_is_an_error() {
    let server = PageServer::start().await;
    assert_eq!(
        failed(fetcher().fetch(&server.url("/empty"), &none()).await),
        FetchError::Empty
    );
    server.set_raw("/blank", RawResponse::html(" \n\t "));
    assert_eq!(
        failed(fetcher().fetch(&server.url("/blank"), &none()).await),
        FetchError::Empty
    );
}

#[tokio::test]
async fn invalid_utf8_is_decoded_lossily() {
    let server = PageServer::start().await;
    let f = new(fetcher().fetch(&server.url("/invalid-utf8"), &none()).await);
    assert_eq!(f.charset, "UTF-8");
    assert!(
        f.body_text
            .contains("café then bad \u{fffd}\u{fffd} bytes and a cut \u{fffd}</p>"),
        "{}",
        f.body_text
    );
    assert_eq!(f.raw, common::faults::INVALID_UTF8_PAGE);
}

#[tokio::test]
async fn latin1_meta_charset_is_honoured() {
    let server = PageServer::start().await;
    let f = new(fetcher().fetch(&server.url("/latin1"), &none()).await);
    assert_eq!(f.charset, "windows-1252");
    assert!(
        f.body_text.contains("Un café crème coûte 3€."),
        "{}",
        f.body_text
    );
}

#[tokio::test]
async fn plain_text_is_allowed() {
    let server = PageServer::start().await;
    let f = new(fetcher().fetch(&server.url("/plain"), &none()).await);
    assert!(!f.is_html);
    assert_eq!(f.body_text, common::faults::PLAIN_TEXT);
}

#[tokio::test]
async fn invalid_urls_fail_without_a_request() {
    for bad in ["ftp://127.0.0.1/x", "not a url", "http://"] {
        let e = failed(fetcher().fetch(bad, &none()).await);
        assert_eq!(e.kind(), "invalid_url", "{bad}: {e}");
    }
}

#[tokio::test]
async fn unusable_validators_are_skipped() {
    let server = PageServer::start().await;
    server.set_page("/a", "<p>x</p>");
    let weird = Validators {
        etag: Some("\"a\nb\"".into()),
        last_modified: None,
    };
    new(fetcher().fetch(&server.url("/a"), &weird).await);
    assert_eq!(server.requests_to("/a")[0].header("if-none-match"), None);
}

#[tokio::test]
async fn per_host_delay_spaces_requests_to_one_host() {
    let delay = Duration::from_millis(300);
    let fetcher = Fetcher::new(FetchSettings {
        per_host_delay: delay,
        ..settings()
    })
    .unwrap();
    let server = PageServer::start().await;
    server.set_page("/a", "<p>a</p>");
    server.set_page("/b", "<p>b</p>");

    // Sequential and concurrent fetches (clones share the schedule).
    new(fetcher.fetch(&server.url("/a"), &none()).await);
    new(fetcher.fetch(&server.url("/b"), &none()).await);
    let (f1, f2) = (fetcher.clone(), fetcher.clone());
    let (u1, u2) = (server.url("/a"), server.url("/b"));
    let v = none();
    let (r1, r2) = tokio::join!(f1.fetch(&u1, &v), f2.fetch(&u2, &v));
    new(r1);
    new(r2);

    let mut times: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    times.sort();
    assert_eq!(times.len(), 4);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        // Guaranteed as seen by the server: the delay starts when the previous response's
        // headers arrived, and requests to one host go one at a time.
        assert!(gap >= delay, "gap {gap:?} < {delay:?}");
    }
}

#[tokio::test]
async fn per_host_delay_does_not_hold_up_other_hosts() {
    let delay = Duration::from_millis(600);
    let fetcher = Fetcher::new(FetchSettings {
        per_host_delay: delay,
        ..settings()
    })
    .unwrap();
    let one = PageServer::start().await;
    let two = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).await;
    one.set_page("/a", "<p>one</p>");
    two.set_page("/a", "<p>two</p>");

    let t = Instant::now();
    new(fetcher.fetch(&one.url("/a"), &none()).await);
    new(fetcher.fetch(&two.url("/a"), &none()).await);
    assert!(t.elapsed() < delay / 2, "{:?}", t.elapsed());
    let gap = two.requests()[0].at - one.requests()[0].at;
    assert!(gap < delay / 2, "{gap:?}");

    // …while the same host still waits.
    new(fetcher.fetch(&one.url("/a"), &none()).await);
    let gap = one.requests()[1].at - one.requests()[0].at;
    assert!(gap >= delay, "{gap:?}");
}

#[tokio::test]
async fn corrupt_compression_is_a_decode_error() {
    let server = PageServer::start().await;
    server.set_raw(
        "/bad-gzip",
        RawResponse::html(&b"definitely not gzip"[..]).header("content-encoding", "gzip"),
    );
    let e = failed(fetcher().fetch(&server.url("/bad-gzip"), &none()).await);
    assert_eq!(e.kind(), "decode", "{e}");
    assert!(
        e.to_string().starts_with("could not decode response body"),
        "{e}"
    );
}

#[tokio::test]
async fn robots_txt_rules_and_crawl_delay_apply_to_every_fetch() {
    let fetcher = Fetcher::new(FetchSettings {
        robots: true,
        user_agent: "factdiff/0.1 (+https://example.org)".into(),
        ..settings()
    })
    .unwrap();
    let server = PageServer::start().await;
    server.set_body(
        "/robots.txt",
        "text/plain",
        b"User-agent: otherbot\nDisallow: /\n\nUser-agent: factdiff\nDisallow: /drafts/\nCrawl-delay: 1\n",
    );
    server.set_page("/news/a", "<p>a</p>");
    server.set_page("/news/b", "<p>b</p>");
    server.set_page("/drafts/c", "<p>c</p>");
    match fetcher.fetch(&server.url("/drafts/c"), &none()).await {
        Outcome::Failed(e) => assert_eq!(e.kind(), "robots_disallowed", "{e}"),
        other => panic!("expected a robots refusal, got {other:?}"),
    }
    new(fetcher.fetch(&server.url("/news/a"), &none()).await);
    new(fetcher.fetch(&server.url("/news/b"), &none()).await);
    assert_eq!(server.request_count("/robots.txt"), 1, "cached per origin");
    assert_eq!(server.request_count("/drafts/c"), 0);
    let a = server.requests_to("/news/a")[0].at;
    let b = server.requests_to("/news/b")[0].at;
    assert!(
        b - a >= Duration::from_millis(990),
        "Crawl-delay ignored: {:?}",
        b - a
    );
}

#[tokio::test]
async fn retry_after_pauses_the_whole_host() {
    let fetcher = fetcher();
    let server = PageServer::start().await;
    server.set_raw("/busy", RawResponse::new(429).header("retry-after", "1"));
    server.set_page("/other", "<p>x</p>");
    match fetcher.fetch(&server.url("/busy"), &none()).await {
        Outcome::Failed(e) => assert_eq!(e.retry_after(), Some(Duration::from_secs(1))),
        other => panic!("expected 429, got {other:?}"),
    }
    let t = Instant::now();
    new(fetcher.fetch(&server.url("/other"), &none()).await);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn discovered_urls_behind_the_guard() {
    use factdiff::fetch::GuardPolicy;
    let fetcher = Fetcher::new(FetchSettings {
        guard: GuardPolicy::new(false, &["127.0.0.1".into()]),
        ..settings()
    })
    .unwrap();
    let inner = PageServer::start_on(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9))).await;
    inner.set_page("/secret", "<p>s</p>");
    let outer = PageServer::start().await;
    outer.set_page("/fine", "<p>f</p>");
    outer.set_raw(
        "/hop",
        RawResponse::new(301).header("location", &inner.url("/secret")),
    );
    let refused = |o: Outcome| match o {
        Outcome::Failed(e) => assert_eq!(e.kind(), "refused", "{e}"),
        other => panic!("expected refusal, got {other:?}"),
    };
    refused(
        fetcher
            .fetch_discovered(&inner.url("/secret"), &none())
            .await,
    );
    refused(fetcher.fetch_discovered(&outer.url("/hop"), &none()).await);
    let port = outer.addr().port();
    refused(
        fetcher
            .fetch_discovered(&format!("http://localhost:{port}/fine"), &none())
            .await,
    );
    new(fetcher.fetch_discovered(&outer.url("/fine"), &none()).await);
    assert!(inner.requests().is_empty(), "{:?}", inner.requests());
    // Configured URLs are trusted.
    new(fetcher.fetch(&inner.url("/secret"), &none()).await);
}
