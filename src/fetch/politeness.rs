//! Per-host minimum delay: a shared map host → "next request allowed at".
//!
//! A fetch takes its host's turn (waiting for the previous fetch to that host to get its
//! response headers, then until the next allowed instant) and holds it until its own
//! response headers arrive or it fails; releasing the turn sets the next allowed instant to
//! `now + delay`. So requests to one host reach the server at least `delay` apart, one at a
//! time, while different hosts never wait for each other. A zero delay disables all of it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};
use tokio::time::Instant;

/// Idle entries are dropped once the map grows beyond this.
const PRUNE_ABOVE: usize = 1024;

#[derive(Debug)]
pub(crate) struct HostSlots {
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<AsyncMutex<Instant>>>>,
}

/// A host's turn; dropping it (after the response headers, or on any failure or
/// cancellation) starts the host's next delay.
#[derive(Debug)]
pub(crate) struct Turn {
    slot: Option<(OwnedMutexGuard<Instant>, Duration)>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some((mut next, delay)) = self.slot.take() {
            *next = Instant::now() + delay;
        }
    }
}

impl HostSlots {
    pub(crate) fn new(delay: Duration) -> Self {
        Self {
            delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Wait for `host`'s turn. Hold the returned `Turn` until the response headers arrived.
    pub(crate) async fn wait_turn(&self, host: &str) -> Turn {
        if self.delay.is_zero() {
            return Turn { slot: None };
        }
        let gate = {
            let mut hosts = self
                .hosts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if hosts.len() > PRUNE_ABOVE {
                let now = Instant::now();
                hosts.retain(|_, gate| {
                    Arc::strong_count(gate) > 1 || gate.try_lock().map_or(true, |next| *next > now)
                });
            }
            hosts
                .entry(host.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(AsyncMutex::new(Instant::now())))
                .clone()
        };
        let next = gate.lock_owned().await;
        if *next > Instant::now() {
            tracing::trace!(
                host,
                wait_ms = (*next - Instant::now()).as_millis() as u64,
                "per-host delay"
            );
            tokio::time::sleep_until(*next).await;
        }
        Turn {
            slot: Some((next, self.delay)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_host_waits_other_hosts_do_not() {
        let delay = Duration::from_millis(150);
        let slots = HostSlots::new(delay);
        let t0 = Instant::now();
        drop(slots.wait_turn("a.example").await);
        drop(slots.wait_turn("b.example").await);
        assert!(t0.elapsed() < delay / 2);
        drop(slots.wait_turn("A.example").await);
        assert!(t0.elapsed() >= delay);
        drop(slots.wait_turn("a.example").await);
        assert!(t0.elapsed() >= delay * 2);
    }

    #[tokio::test]
    async fn delay_counts_from_when_the_turn_ends() {
        let delay = Duration::from_millis(100);
        let slots = HostSlots::new(delay);
        let turn = slots.wait_turn("a").await;
        tokio::time::sleep(Duration::from_millis(80)).await; // a slow response
        drop(turn);
        let t = Instant::now();
        drop(slots.wait_turn("a").await);
        assert!(
            t.elapsed() >= delay - Duration::from_millis(5),
            "{:?}",
            t.elapsed()
        );
    }

    #[tokio::test]
    async fn zero_delay_never_waits_or_serialises() {
        let slots = HostSlots::new(Duration::ZERO);
        let _held = slots.wait_turn("a").await;
        let t = Instant::now();
        drop(slots.wait_turn("a").await);
        assert!(t.elapsed() < Duration::from_millis(20));
    }
}
