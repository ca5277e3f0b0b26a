//! The decaying re-check policy, as a pure function of the article's age and the last result.
//!
//! `[schedule] recheck = ["15m until 6h", "1h until 3d", "6h until 30d"]` reads: while the
//! article is younger than 6 h check it every 15 min, then hourly until it is 3 days old,
//! then every 6 h until 30 days, then never again. Age counts from the earlier of "first
//! seen" and the publication date the feed or sitemap gave (a 40-day-old article found today
//! is fetched once and not re-checked). Every interval gets ±10 % jitter so articles found
//! together do not stay in lock-step; errors back off exponentially (×2 per consecutive
//! failure, at most 24 h) and a server's Retry-After is never undercut.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::RecheckStep;

/// How the check that just finished went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResult {
    /// Fetched (new version, unchanged, or 304).
    Ok,
    /// Failed; `failures` counts consecutive failures including this one.
    Failed {
        failures: u32,
        retry_after: Option<Duration>,
    },
    /// 404/410: the article is gone; stop checking it.
    Gone,
}

/// Longest wait after errors.
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);

/// The next check of an article born at `born`, or `None` when it is past the last horizon.
/// `jitter` is a uniform draw in `[0, 1)` (passed in so the function stays pure).
pub fn next_check(
    steps: &[RecheckStep],
    born: DateTime<Utc>,
    now: DateTime<Utc>,
    result: CheckResult,
    jitter: f64,
) -> Option<DateTime<Utc>> {
    let age = (now - born).to_std().unwrap_or_default();
    let step = steps.iter().find(|s| age < s.until)?;
    let scale = 0.9 + 0.2 * jitter.clamp(0.0, 1.0);
    let wait = match result {
        CheckResult::Gone => return None,
        CheckResult::Ok => step.every.mul_f64(scale),
        CheckResult::Failed {
            failures,
            retry_after,
        } => {
            let factor = 2u32.saturating_pow(failures.clamp(1, 16) - 1);
            let backoff = step
                .every
                .checked_mul(factor)
                .unwrap_or(MAX_BACKOFF)
                .min(MAX_BACKOFF)
                .mul_f64(scale);
            backoff.max(retry_after.unwrap_or_default())
        }
    };
    Some(now + chrono::Duration::from_std(wait).ok()?)
}

/// The start of an article's age: first seen, or an earlier publication date if plausible.
pub fn born(first_seen: DateTime<Utc>, published: Option<DateTime<Utc>>) -> DateTime<Utc> {
    match published {
        Some(p) if p < first_seen => p,
        _ => first_seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::values::parse_recheck_step;

    fn steps() -> Vec<RecheckStep> {
        ["15m until 6h", "1h until 3d", "6h until 30d"]
            .iter()
            .map(|s| parse_recheck_step(s).unwrap())
            .collect()
    }

    fn t0() -> DateTime<Utc> {
        "2026-01-05T08:00:00Z".parse().unwrap()
    }

    fn mins(d: chrono::Duration) -> i64 {
        d.num_minutes()
    }

    #[test]
    fn decays_by_age_and_stops_after_the_horizon() {
        let s = steps();
        let h = chrono::Duration::hours;
        let at = |age: chrono::Duration| next_check(&s, t0(), t0() + age, CheckResult::Ok, 0.5);
        assert_eq!(mins(at(h(0)).unwrap() - t0()), 15);
        assert_eq!(mins(at(h(5)).unwrap() - (t0() + h(5))), 15);
        assert_eq!(mins(at(h(7)).unwrap() - (t0() + h(7))), 60);
        assert_eq!(mins(at(h(24 * 4)).unwrap() - (t0() + h(24 * 4))), 360);
        assert_eq!(at(h(24 * 30)), None);
        assert_eq!(at(h(24 * 31)), None);
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        let s = steps();
        let lo = next_check(&s, t0(), t0(), CheckResult::Ok, 0.0).unwrap() - t0();
        let hi = next_check(&s, t0(), t0(), CheckResult::Ok, 0.999).unwrap() - t0();
        assert_eq!(lo.num_seconds(), 810);
        assert!(hi.num_seconds() >= 989 && hi.num_seconds() <= 990, "{hi}");
    }

    #[test]
    fn failures_back_off_exponentially_and_honour_retry_after() {
        let s = steps();
        let fail = |n, ra| {
            next_check(
                &s,
                t0(),
                t0(),
                CheckResult::Failed {
                    failures: n,
                    retry_after: ra,
                },
                0.5,
            )
            .map(|t| mins(t - t0()))
        };
        assert_eq!(fail(1, None), Some(15));
        assert_eq!(fail(2, None), Some(30));
        assert_eq!(fail(4, None), Some(120));
        assert_eq!(fail(30, None), Some(24 * 60));
        assert_eq!(fail(1, Some(Duration::from_secs(3600))), Some(60));
        assert_eq!(
            next_check(&s, t0(), t0(), CheckResult::Gone, 0.5),
            None,
            "a removed article is not re-checked"
        );
    }

    #[test]
    fn old_articles_found_late_are_not_rechecked() {
        let published = t0() - chrono::Duration::days(40);
        let b = born(t0(), Some(published));
        assert_eq!(b, published);
        assert_eq!(next_check(&steps(), b, t0(), CheckResult::Ok, 0.5), None);
        // A publication date in the future (a feed's mistake) does not rejuvenate it.
        assert_eq!(born(t0(), Some(t0() + chrono::Duration::days(1))), t0());
    }
}
