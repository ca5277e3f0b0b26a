//! Per-host minimum delay between requests: a shared map host → next allowed instant.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Entries whose slot has passed are dropped once the map grows beyond this.
const PRUNE_ABOVE: usize = 1024;

#[derive(Debug)]
pub(crate) struct HostSlots {
    delay: Duration,
    next: Mutex<HashMap<String, Instant>>,
}

impl HostSlots {
    pub(crate) fn new(delay: Duration) -> Self {
        Self { delay, next: Mutex::new(HashMap::new()) }
    }

    /// Reserve the host's next slot and sleep until it. Concurrent callers for one host
    /// get consecutive slots `delay` apart; other hosts are not affected.
    pub(crate) async fn wait_turn(&self, host: &str) {
        if self.delay.is_zero() {
            return;
        }
        let slot = {
            let mut map = self.next.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let now = Instant::now();
            if map.len() > PRUNE_ABOVE {
                map.retain(|_, t| *t > now);
            }
            let next = map.entry(host.to_ascii_lowercase()).or_insert(now);
            let slot = (*next).max(now);
            *next = slot + self.delay;
            slot
        };
        if slot > Instant::now() {
            tracing::trace!(host, wait_ms = (slot - Instant::now()).as_millis() as u64, "per-host delay");
        }
        tokio::time::sleep_until(slot).await;
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
        slots.wait_turn("a.example").await;
        slots.wait_turn("b.example").await;
        assert!(t0.elapsed() < delay / 2);
        slots.wait_turn("A.example").await;
        assert!(t0.elapsed() >= delay);
        slots.wait_turn("a.example").await;
        assert!(t0.elapsed() >= delay * 2);
    }
}
