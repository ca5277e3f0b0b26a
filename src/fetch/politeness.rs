//! Per-host politeness shared by every source: a concurrency limit and a minimum delay.
//!
//! A fetch takes a *turn* on its host: a permit of the host's semaphore (at most
//! `per_host_concurrency` requests in flight), then the host's next allowed start. Starting
//! sets the next start to `now + delay`; ending the turn (response headers in, or failure)
//! pushes it to at least `end + delay`, so with one request at a time the delay is counted
//! from the previous response, as a polite crawler should. The delay is the larger of the
//! configured `per_host_delay` and the host's robots.txt `Crawl-delay`; a 429/503 pauses the
//! host until its Retry-After. Different hosts never wait for each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Idle entries are dropped once the map grows beyond this.
const PRUNE_ABOVE: usize = 4096;

#[derive(Debug)]
pub(crate) struct HostSlots {
    delay: Duration,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
}

#[derive(Debug)]
struct HostState {
    permits: Arc<Semaphore>,
    timing: Mutex<Timing>,
}

#[derive(Debug)]
struct Timing {
    next_start: Instant,
    /// robots.txt Crawl-delay, when larger than the configured delay.
    floor: Duration,
}

/// A host's concurrency permit, before its delay has been waited for.
#[derive(Debug)]
pub(crate) struct Slot {
    state: Arc<HostState>,
    delay: Duration,
    permit: OwnedSemaphorePermit,
    host: String,
}

impl Slot {
    /// Waits for the host's next allowed start and takes it.
    pub(crate) async fn start(self) -> Turn {
        loop {
            let wait_until = {
                let mut t = lock(&self.state.timing);
                let now = Instant::now();
                if t.next_start <= now {
                    t.next_start = now + self.delay.max(t.floor);
                    break;
                }
                t.next_start
            };
            tracing::trace!(
                host = %self.host,
                wait_ms = (wait_until - Instant::now()).as_millis() as u64,
                "per-host delay"
            );
            tokio::time::sleep_until(wait_until).await;
        }
        Turn {
            state: self.state,
            delay: self.delay,
            _permit: self.permit,
        }
    }
}

/// A host's turn; dropping it starts the host's next delay.
#[derive(Debug)]
pub(crate) struct Turn {
    state: Arc<HostState>,
    delay: Duration,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut t = lock(&self.state.timing);
        let after = Instant::now() + self.delay.max(t.floor);
        if after > t.next_start {
            t.next_start = after;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl HostSlots {
    pub(crate) fn new(delay: Duration, per_host: usize) -> Self {
        Self {
            delay,
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn state(&self, host: &str) -> Arc<HostState> {
        let mut hosts = lock(&self.hosts);
        if hosts.len() > PRUNE_ABOVE {
            let now = Instant::now();
            hosts.retain(|_, st| Arc::strong_count(st) > 1 || lock(&st.timing).next_start > now);
        }
        hosts
            .entry(host.to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(HostState {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    timing: Mutex::new(Timing {
                        next_start: Instant::now(),
                        floor: Duration::ZERO,
                    }),
                })
            })
            .clone()
    }

    /// Wait for `host`'s turn. Hold the returned `Turn` until the response headers arrived.
    #[cfg(test)]
    pub(crate) async fn wait_turn(&self, host: &str) -> Turn {
        self.slot(host).await.start().await
    }

    /// The first half of a turn: one of the host's concurrency permits. The caller may take
    /// other permits (the global limit) before [`Slot::start`] waits for the host's delay, so
    /// that nothing can hold a request back between its timed start and its sending.
    pub(crate) async fn slot(&self, host: &str) -> Slot {
        let state = self.state(host);
        let permit = state
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphore never closed");
        Slot {
            state,
            delay: self.delay,
            permit,
            host: host.to_string(),
        }
    }

    /// robots.txt `Crawl-delay` for `host`: the host's delay becomes at least `d`.
    pub(crate) fn set_floor(&self, host: &str, d: Duration) {
        lock(&self.state(host).timing).floor = d;
    }

    /// The host's delay: the configured one, or its robots.txt `Crawl-delay` when larger.
    pub(crate) fn spacing(&self, host: &str) -> Duration {
        let floor = lock(&self.hosts)
            .get(&host.to_ascii_lowercase())
            .map_or(Duration::ZERO, |st| lock(&st.timing).floor);
        self.delay.max(floor)
    }

    /// No request to `host` before `d` from now (429/503 with Retry-After).
    pub(crate) fn pause(&self, host: &str, d: Duration) {
        let st = self.state(host);
        let mut t = lock(&st.timing);
        let until = Instant::now() + d;
        if until > t.next_start {
            t.next_start = until;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_host_waits_other_hosts_do_not() {
        let delay = Duration::from_millis(150);
        let slots = HostSlots::new(delay, 1);
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
        let slots = HostSlots::new(delay, 1);
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
    async fn zero_delay_still_limits_concurrency_per_host() {
        let slots = Arc::new(HostSlots::new(Duration::ZERO, 2));
        let a = slots.wait_turn("a").await;
        let _b = slots.wait_turn("a").await;
        // A third turn on "a" must wait for one of the two; "b" does not.
        let t = Instant::now();
        drop(slots.wait_turn("b").await);
        assert!(t.elapsed() < Duration::from_millis(20));
        let s2 = slots.clone();
        let third = tokio::spawn(async move {
            let _t = s2.wait_turn("a").await;
            Instant::now()
        });
        tokio::time::sleep(Duration::from_millis(60)).await;
        let released = Instant::now();
        drop(a);
        let got = third.await.unwrap();
        assert!(
            got >= released,
            "third turn started before a permit was free"
        );
    }

    #[tokio::test]
    async fn crawl_delay_floor_and_pause() {
        let slots = HostSlots::new(Duration::from_millis(10), 1);
        slots.set_floor("a", Duration::from_millis(120));
        drop(slots.wait_turn("a").await);
        let t = Instant::now();
        drop(slots.wait_turn("a").await);
        assert!(
            t.elapsed() >= Duration::from_millis(115),
            "{:?}",
            t.elapsed()
        );
        slots.pause("b", Duration::from_millis(100));
        let t = Instant::now();
        drop(slots.wait_turn("b").await);
        assert!(
            t.elapsed() >= Duration::from_millis(95),
            "{:?}",
            t.elapsed()
        );
    }
}
