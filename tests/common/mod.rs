//! Test harness: real HTTP servers on 127.0.0.x with port 0, for integration tests.
//!
//! - [`PageServer`]: a mutable map path → response, automatic ETag / Last-Modified + 304,
//!   a log of every request, and fault routes (see [`faults`]).
//! - [`spawn_reset_server`]: accepts TCP connections and drops them without a response.
//! - [`WebhookReceiver`]: records POSTs, checks Standard Webhooks signatures, and can be
//!   scripted to fail, rate-limit, be slow, or be down (stop / restart on the same port).
//!
//! Use from a test file with `mod common;`.
#![allow(dead_code, unused_imports)]

pub mod app;
pub mod faultkit;
pub mod faults;
pub mod pages;
pub mod stored;
pub mod webhook;

pub use faults::{refused_addr, spawn_reset_server};
pub use pages::{PageServer, RawResponse, RecordedRequest};
pub use webhook::{Delivery, WebhookReceiver, expected_signature};

use std::time::{Duration, Instant};

/// Poll `check` every 10 ms until it returns true or `timeout` passes; returns the last result.
pub async fn eventually(timeout: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
