//! Self-tests of tests/common: the webhook receiver, and the fault routes' shape.

mod common;

use std::time::{Duration, Instant};

use common::{PageServer, WebhookReceiver, expected_signature};
use factdiff::notify::sign::sign;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap()
}

async fn post(
    url: &str,
    secret: &str,
    id: &str,
    ts: i64,
    body: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    client()
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sign(secret, id, ts, body.as_bytes()))
        .body(body.to_string())
        .send()
        .await
}

#[test]
fn harness_signature_matches_the_spec_vector() {
    let sig = expected_signature(
        SECRET,
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "1614265330",
        br#"{"test": 2432232314}"#,
    );
    assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assert_eq!(
        sig,
        sign(
            SECRET,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#
        )
    );
}

#[tokio::test]
async fn receiver_records_and_verifies_deliveries() {
    let hook = WebhookReceiver::start(SECRET).await;
    let r = post(
        &hook.url(),
        SECRET,
        "evt_1",
        1_700_000_000,
        r#"{"type":"fact.changed","n":1}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let r = post(
        &hook.url(),
        "whsec_AAAAAAAA",
        "evt_2",
        1_700_000_001,
        r#"{"n":2}"#,
    )
    .await
    .unwrap();
    assert_eq!(
        r.status(),
        200,
        "the receiver answers; the test checks signature_valid"
    );
    let raw = post(&hook.url(), "plain-secret", "evt_3", 1_700_000_002, "{}")
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);

    let d = hook.deliveries();
    assert_eq!(d.len(), 3);
    assert_eq!(d[0].id.as_deref(), Some("evt_1"));
    assert_eq!(d[0].timestamp, Some(1_700_000_000));
    assert!(d[0].signature_valid);
    assert_eq!(d[0].json.as_ref().unwrap()["type"], "fact.changed");
    assert_eq!(d[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(d[0].method, "POST");
    assert!(!d[1].signature_valid);
    assert!(!d[2].signature_valid);
    assert_eq!(hook.delivered_ids(), ["evt_1", "evt_2", "evt_3"]);

    let plain = WebhookReceiver::start("plain-secret").await;
    post(&plain.url(), "plain-secret", "evt_4", 1, "{}")
        .await
        .unwrap();
    assert!(plain.deliveries()[0].signature_valid);
}

#[tokio::test]
async fn receiver_can_be_scripted_to_fail_and_rate_limit() {
    let hook = WebhookReceiver::start(SECRET).await;
    hook.fail_next(2, 500);
    hook.rate_limit_next(1, 1);
    let mut statuses = Vec::new();
    for i in 0..4 {
        let r = post(&hook.url(), SECRET, "evt", i, "{}").await.unwrap();
        if r.status() == 429 {
            assert_eq!(r.headers()["retry-after"], "1");
        }
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [500, 500, 429, 200]);
    assert_eq!(
        hook.deliveries()
            .iter()
            .map(|d| d.answered)
            .collect::<Vec<_>>(),
        [500, 500, 429, 200]
    );
    assert_eq!(hook.successful().len(), 1);
    assert_eq!(hook.delivered_ids(), ["evt"]);
}

#[tokio::test]
async fn receiver_can_be_slow() {
    let hook = WebhookReceiver::start(SECRET).await;
    hook.set_delay(Duration::from_millis(300));
    let t = Instant::now();
    post(&hook.url(), SECRET, "evt", 1, "{}").await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    // The attempt is recorded before the delay, so a client that gives up is still seen.
    hook.set_delay(Duration::from_secs(5));
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let e = quick.post(hook.url()).body("{}").send().await.unwrap_err();
    assert!(e.is_timeout());
    assert_eq!(hook.deliveries().len(), 2);
}

#[tokio::test]
async fn receiver_can_be_down_and_come_back_on_the_same_port() {
    let hook = WebhookReceiver::unstarted(SECRET);
    let url = hook.url();
    assert!(
        post(&url, SECRET, "a", 1, "{}")
            .await
            .unwrap_err()
            .is_connect()
    );

    hook.restart().await;
    let client = client(); // one client: its pooled connection must not outlive stop()
    let send = |id: &'static str| {
        client
            .post(&url)
            .header("webhook-id", id)
            .header("webhook-timestamp", "1")
            .header("webhook-signature", sign(SECRET, id, 1, b"{}"))
            .body("{}")
            .send()
    };
    assert_eq!(send("b").await.unwrap().status(), 200);
    hook.stop().await;
    assert!(!hook.is_running());
    let e = send("c").await.unwrap_err();
    assert!(e.is_connect() || e.is_request(), "{e:?}");
    hook.restart().await;
    assert_eq!(hook.url(), url);
    assert_eq!(send("d").await.unwrap().status(), 200);
    assert_eq!(hook.delivered_ids(), ["b", "d"]);
    assert!(hook.deliveries().iter().all(|d| d.signature_valid));
}

#[tokio::test]
async fn wait_for_sees_late_deliveries() {
    let hook = WebhookReceiver::start(SECRET).await;
    let url = hook.url();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        post(&url, SECRET, "late", 1, "{}").await.unwrap();
    });
    let got = hook.wait_for(1, Duration::from_secs(2)).await;
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn page_server_records_requests_and_changes_between_passes() {
    let server = PageServer::start().await;
    server.set_page("/a", "<p>one</p>");
    let c = client();
    let r = c
        .get(server.url("/a?x=1"))
        .header("x-test", "yes")
        .send()
        .await
        .unwrap();
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(r.text().await.unwrap(), "<p>one</p>");
    let r = c
        .get(server.url("/a"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    server.set_status("/a", 500);
    assert_eq!(c.get(server.url("/a")).send().await.unwrap().status(), 500);
    server.set_page("/a", "<p>two</p>");
    assert_eq!(
        c.get(server.url("/a"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    server.set_conditional("/a", false);
    let r = c.get(server.url("/a")).send().await.unwrap();
    assert!(r.headers().get("etag").is_none());

    let reqs = server.requests_to("/a");
    assert_eq!(reqs.len(), 5);
    assert_eq!(reqs[0].path, "/a?x=1");
    assert_eq!(reqs[0].header("X-Test"), Some("yes"));
    assert!(reqs.windows(2).all(|w| w[0].at <= w[1].at));
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[test]
fn gzip_bomb_is_small_and_declares_100_mib() {
    let bomb = common::faults::gzip_bomb();
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    assert_eq!(&bomb[..3], &[0x1f, 0x8b, 8]);
    let isize = u32::from_le_bytes(bomb[bomb.len() - 4..].try_into().unwrap());
    assert_eq!(isize as usize, common::faults::BOMB_INFLATED);
    // Inflating the first 4 MiB works (the full 100 MiB is checked with `gzip -t` by hand).
    let mut dec = flate2::read::GzDecoder::new(bomb);
    let mut buf = vec![1u8; 4 << 20];
    std::io::Read::read_exact(&mut dec, &mut buf).unwrap();
    assert!(buf.iter().all(|&b| b == 0));
}
