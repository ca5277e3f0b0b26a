//! Webhook delivery: one signed POST per attempt (Standard Webhooks headers).

use std::time::Duration;

use crate::config::WebhookConfig;

/// Result of one POST.
#[derive(Debug, Clone, PartialEq)]
pub enum PostResult {
    Delivered {
        status: u16,
    },
    Failed {
        status: Option<u16>,
        error: String,
        retry_after: Option<Duration>,
    },
}

/// How late a timer may fire and still be taken at its word. Tokio fires timers within a
/// millisecond or two; later than this, the daemon was starved of CPU (a loaded machine, or
/// its own blocking work) and could not have read an answer that came in meanwhile.
const LATE: Duration = Duration::from_millis(250);
/// After a late timer: how long the request gets to show an answer already received.
const GRACE: Duration = Duration::from_secs(1);
/// At most this many graces in a row (each only after a late timer), so a receiver that
/// never answers still fails while the daemon stays starved.
const MAX_GRACES: u32 = 3;

/// Waits for `fut` up to `timeout`, counting only time the daemon was awake to watch.
///
/// A webhook timeout is "no answer within T". When the timer fires late, the process was
/// not running for a while: the receiver's answer may already sit in the socket, unread
/// (reqwest's own timeout is checked *before* the response, so a starved daemon recorded
/// such deliveries as timed out and sent them again: duplicates). Here the response is
/// polled first, and a late timer buys a short grace to read what has arrived; only a
/// timer that fires on time, with no answer, is a timeout.
pub async fn within<F: std::future::Future>(timeout: Duration, fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut deadline = tokio::time::Instant::now() + timeout;
    let mut graces = 0;
    loop {
        tokio::select! {
            biased;
            out = &mut fut => return Some(out),
            _ = tokio::time::sleep_until(deadline) => {
                let now = tokio::time::Instant::now();
                if now.saturating_duration_since(deadline) <= LATE || graces == MAX_GRACES {
                    return None;
                }
                graces += 1;
                deadline = now + GRACE;
            }
        }
    }
}

/// Signs and posts `body` (the event JSON) with `webhook-id = event_id`.
pub async fn post(
    client: &reqwest::Client,
    hook: &WebhookConfig,
    event_id: &str,
    body: &str,
    now_unix: i64,
) -> PostResult {
    let signature = super::sign::sign(&hook.secret, event_id, now_unix, body.as_bytes());
    let req = client
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("webhook-id", event_id)
        .header("webhook-timestamp", now_unix.to_string())
        .header("webhook-signature", signature)
        .body(body.to_string())
        .send();
    let Some(res) = within(hook.timeout, req).await else {
        return PostResult::Failed {
            status: None,
            error: format!(
                "no answer within {}",
                humantime::format_duration(hook.timeout)
            ),
            retry_after: None,
        };
    };
    match res {
        Ok(r) if r.status().is_success() => PostResult::Delivered {
            status: r.status().as_u16(),
        },
        Ok(r) => {
            let status = r.status().as_u16();
            let retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            PostResult::Failed {
                status: Some(status),
                error: format!("receiver answered HTTP {status}"),
                retry_after,
            }
        }
        Err(e) if e.is_timeout() => PostResult::Failed {
            status: None,
            error: format!(
                "no answer within {}",
                humantime::format_duration(hook.timeout)
            ),
            retry_after: None,
        },
        Err(e) if e.is_connect() => PostResult::Failed {
            status: None,
            error: format!("cannot connect to receiver: {}", root_cause(&e)),
            retry_after: None,
        },
        Err(e) => PostResult::Failed {
            status: None,
            error: format!("request failed: {}", root_cause(&e)),
            retry_after: None,
        },
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cur = e;
    while let Some(s) = cur.source() {
        cur = s;
    }
    cur.to_string()
}

/// Retry-After as seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v.trim()).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// One client for all webhooks: no redirects (a receiver that moved is a config error).
pub fn client(user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .build()
        .expect("static reqwest client config")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::time::Instant;

    /// A receiver on a real socket (its own threads, so a starved test runtime does not
    /// starve it): reads one request, waits `after`, then answers 200 — or never, for
    /// `None`.
    fn receiver(after: Option<Duration>) -> String {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || {
            for s in l.incoming() {
                let Ok(mut s) = s else { return };
                std::thread::spawn(move || {
                    let mut got = Vec::new();
                    let mut buf = [0u8; 4096];
                    // headers, then the body its Content-Length announces
                    while let Ok(n) = s.read(&mut buf) {
                        if n == 0 {
                            return;
                        }
                        got.extend_from_slice(&buf[..n]);
                        let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let len = text
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if got.len() >= end + 4 + len {
                                break;
                            }
                        }
                    }
                    match after {
                        Some(d) => {
                            std::thread::sleep(d);
                            let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
                        }
                        None => std::thread::sleep(Duration::from_secs(3600)),
                    }
                });
            }
        });
        format!("http://{addr}/hook")
    }

    fn hook(url: String, timeout: Duration) -> WebhookConfig {
        WebhookConfig {
            name: "t".into(),
            url,
            secret: "whsec_dGVzdC1zZWNyZXQ=".into(),
            events: Vec::new(),
            timeout,
            retry_for: Duration::from_secs(60),
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// The receiver answers 200 after 300 ms, well within the 1 s timeout, but the daemon's
    /// runtime is blocked from 100 ms to 2.6 s (what CPU starvation does to it). The answer
    /// was given in time: it is a delivery, not a timeout to be retried (a duplicate).
    #[test]
    fn an_answer_received_while_the_daemon_was_starved_is_a_delivery() {
        let rt = runtime();
        let hook = hook(
            receiver(Some(Duration::from_millis(300))),
            Duration::from_secs(1),
        );
        let got = rt.block_on(async {
            tokio::spawn(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                std::thread::sleep(Duration::from_millis(2500)); // starved
            });
            post(&client("t"), &hook, "msg_1", "{}", 0).await
        });
        assert_eq!(got, PostResult::Delivered { status: 200 });
    }

    /// A receiver that never answers still times out, on time when the daemon is awake and
    /// after at most a few short graces when it was starved.
    #[test]
    fn a_receiver_that_never_answers_times_out() {
        let rt = runtime();
        let hook = hook(receiver(None), Duration::from_millis(500));
        let started = Instant::now();
        let got = rt.block_on(post(&client("t"), &hook, "msg_1", "{}", 0));
        let took = started.elapsed();
        assert!(
            matches!(&got, PostResult::Failed { status: None, error, .. } if error == "no answer within 500ms"),
            "{got:?}"
        );
        assert!(
            took >= Duration::from_millis(500) && took < Duration::from_millis(1500),
            "{took:?}"
        );

        let started = Instant::now();
        let got = rt.block_on(async {
            tokio::spawn(async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                std::thread::sleep(Duration::from_millis(1500)); // starved past the deadline
            });
            post(&client("t"), &hook, "msg_2", "{}", 0).await
        });
        let took = started.elapsed();
        assert!(
            matches!(got, PostResult::Failed { status: None, .. }),
            "{got:?}"
        );
        // one grace after the late timer, which then fires on time
        assert!(took < Duration::from_millis(1500 + 1000 + 800), "{took:?}");
    }
}
