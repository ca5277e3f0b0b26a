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

/// Signs and posts `body` (the event JSON) with `webhook-id = event_id`.
pub async fn post(
    client: &reqwest::Client,
    hook: &WebhookConfig,
    event_id: &str,
    body: &str,
    now_unix: i64,
) -> PostResult {
    let signature = super::sign::sign(&hook.secret, event_id, now_unix, body.as_bytes());
    let res = client
        .post(&hook.url)
        .timeout(hook.timeout)
        .header("content-type", "application/json")
        .header("webhook-id", event_id)
        .header("webhook-timestamp", now_unix.to_string())
        .header("webhook-signature", signature)
        .body(body.to_string())
        .send()
        .await;
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
