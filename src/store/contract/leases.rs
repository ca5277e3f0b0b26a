//! Work sharing: leases of due articles, deliveries and sources are exclusive while they
//! last and come round again when they expire (a killed worker's share); the registry of
//! workers shows who holds what.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::{AllTo, TestStore};
use crate::events;
use crate::sources::discover::Discovered;
use crate::store::*;

fn feed(s: &dyn Store, n: usize) {
    let cfg = crate::config::Config::parse(
        "[[source]]\nname='f'\nkind='feed'\nurl='http://127.0.0.1:1/feed'\n",
        &|_| None,
    )
    .unwrap();
    s.sync_sources(&cfg.sources).unwrap();
    let items: Vec<_> = (0..n)
        .map(|i| Discovered::new(format!("https://x.example/{i}")))
        .collect();
    let st = s.discover("f", Some("X"), &items, Utc::now()).unwrap();
    assert_eq!(st.new, n);
    // Listed twice: nothing new.
    assert_eq!(
        s.discover("f", Some("X"), &items, Utc::now()).unwrap().new,
        0
    );
}

pub(super) fn article_leases_are_exclusive_and_expire(t: &TestStore) {
    feed(&**t, 10);
    let other = t.reopen();
    let now = Utc::now();
    let until = now + Duration::seconds(60);
    let a = t.lease_due_articles(now, until, 4).unwrap();
    let b = other.lease_due_articles(now, until, 100).unwrap();
    assert_eq!((a.len(), b.len()), (4, 6));
    let ids: HashSet<i64> = a.iter().chain(&b).map(|d| d.id).collect();
    assert_eq!(ids.len(), 10, "no article leased twice");
    assert!(t.lease_due_articles(now, until, 100).unwrap().is_empty());
    // The holder is recorded and visible while the lease lasts.
    t.worker_beat(false).unwrap();
    let w = t.workers(now).unwrap();
    let me = w.iter().find(|w| w.id == worker_id()).unwrap();
    assert!(me.alive);
    assert_eq!(me.articles, 10);
    // One finished check gives its article back with its real schedule.
    t.set_article_schedule(a[0].id, Some(now + Duration::hours(1)), 0)
        .unwrap();
    assert_eq!(t.workers(now).unwrap()[0].articles, 9);
    // The holder died: after the expiry the other 9 are due again, and only those.
    let later = until + Duration::seconds(1);
    let again = other
        .lease_due_articles(later, later + Duration::seconds(60), 100)
        .unwrap();
    assert_eq!(again.len(), 9);
    assert!(again.iter().all(|d| d.id != a[0].id));
    // A clean stop hands back what is still held at once.
    t.worker_beat(true).unwrap();
    let w = t.workers(later).unwrap();
    assert!(!w[0].alive && w[0].stopped_at.is_some());
    assert_eq!(
        t.lease_due_articles(later, later + Duration::seconds(60), 100)
            .unwrap()
            .len(),
        9
    );
}

/// The ids four threads lease at once, pages of 7 until nothing is due (one connection each
/// on PostgreSQL).
fn lease_all_at_once(t: &TestStore, now: DateTime<Utc>, until: DateTime<Utc>) -> Vec<i64> {
    let taken: Vec<Vec<i64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                sc.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let got = t.lease_due_articles(now, until, 7).unwrap();
                        if got.is_empty() {
                            return mine;
                        }
                        mine.extend(got.iter().map(|d| d.id));
                    }
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    taken.concat()
}

/// Several threads leasing at once (one connection each on PostgreSQL): every article is
/// taken exactly once.
pub(super) fn concurrent_leasing_takes_each_article_once(t: &TestStore) {
    feed(&**t, 300);
    let now = Utc::now();
    let until = now + Duration::seconds(60);
    let all = lease_all_at_once(t, now, until);
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), unique.len()), (300, 300));
}

/// Articles listed host after host (ids and due times in host order): a page of due
/// articles takes every host's earliest, then every host's next, in that order, so a worker
/// does not queue a page behind one host's politeness limit while the others idle. Several
/// workers leasing at once still take each article once.
pub(super) fn due_articles_are_leased_round_robin_across_hosts(t: &TestStore) {
    feed(&**t, 0);
    let t0 = Utc::now() - Duration::minutes(10);
    let hosts = ["a.example", "b.example:8443", "c.example"];
    for (h, host) in hosts.iter().enumerate() {
        let items: Vec<_> = (0..100)
            .map(|i| Discovered::new(format!("https://{host}/story/{i}")))
            .collect();
        let at = t0 + Duration::seconds(h as i64);
        assert_eq!(t.discover("f", None, &items, at).unwrap().new, 100);
    }
    let host_of = |d: &DueArticle| d.url.split('/').nth(2).unwrap().to_string();
    let now = Utc::now();
    let until = now + Duration::seconds(60);
    let page = t.lease_due_articles(now, until, 9).unwrap();
    let got: Vec<String> = page.iter().map(host_of).collect();
    assert_eq!(
        got,
        [hosts, hosts, hosts].concat(),
        "one page, hosts interleaved"
    );
    // Within a host, earliest due (then lowest id) first.
    for h in hosts {
        let ids: Vec<i64> = page
            .iter()
            .filter(|d| host_of(d) == h)
            .map(|d| d.id)
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{h}: {ids:?}");
    }
    // A page no larger than what is due takes all of it, still interleaved.
    let rest = t.lease_due_articles(now, until, 500).unwrap();
    assert_eq!(rest.len(), 291);
    let first: Vec<String> = rest[..3].iter().map(host_of).collect();
    assert_eq!(first, hosts);

    // Four workers leasing small pages at once after the leases expire: each article once.
    let later = until + Duration::seconds(1);
    let until = later + Duration::seconds(60);
    let all = lease_all_at_once(t, later, until);
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), unique.len()), (300, 300));
}

/// `check --all` makes scheduled articles due now (those of the named sources only, when
/// given), never one another worker holds or one that is not scheduled any more.
pub(super) fn make_due_moves_scheduled_articles_but_not_held_ones(t: &TestStore) {
    let cfg = crate::config::Config::parse(
        "[[source]]\nname='f'\nkind='feed'\nurl='http://127.0.0.1:1/f'\n\
         [[source]]\nname='g'\nkind='feed'\nurl='http://127.0.0.1:1/g'\n",
        &|_| None,
    )
    .unwrap();
    t.sync_sources(&cfg.sources).unwrap();
    let now = Utc::now();
    for name in ["f", "g"] {
        let items: Vec<_> = (0..5)
            .map(|i| Discovered::new(format!("https://{name}.example/{i}")))
            .collect();
        assert_eq!(t.discover(name, None, &items, now).unwrap().new, 5);
    }
    let until = now + Duration::seconds(60);
    let leased = t.lease_due_articles(now, until, 100).unwrap();
    assert_eq!(leased.len(), 10);
    // Checked and scheduled an hour on, except two of f's, still held (by a worker checking
    // them), and one of f's, never to be checked again.
    let of = |name: &str| -> Vec<i64> {
        let mut v: Vec<i64> = leased
            .iter()
            .filter(|d| d.source.as_deref() == Some(name))
            .map(|d| d.id)
            .collect();
        v.sort();
        v
    };
    let (f, g) = (of("f"), of("g"));
    for &id in &f[2..4] {
        t.set_article_schedule(id, Some(now + Duration::hours(1)), 0)
            .unwrap();
    }
    t.set_article_schedule(f[4], None, 0).unwrap();
    for &id in &g {
        t.set_article_schedule(id, Some(now + Duration::hours(1)), 0)
            .unwrap();
    }
    let later = now + Duration::seconds(1);
    let lease = |at: DateTime<Utc>| -> Vec<i64> {
        let mut v: Vec<i64> = t
            .lease_due_articles(at, at + Duration::seconds(60), 100)
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        v.sort();
        v
    };
    assert!(lease(later).is_empty(), "nothing due yet");
    assert_eq!(t.make_due(later, Some(&["g".to_string()])).unwrap(), 5);
    assert_eq!(lease(later), g, "only g's");
    assert_eq!(t.make_due(later, None).unwrap(), 2);
    assert_eq!(lease(later), f[2..4], "not the held or the stopped ones");
    // The held ones come back when their lease expires, as before.
    let expired = until + Duration::milliseconds(500);
    assert_eq!(lease(expired), f[..2]);
}

pub(super) fn delivery_and_source_leases_are_exclusive(t: &TestStore) {
    let now = Utc::now();
    let evs: Vec<_> = (0..5)
        .map(|i| events::source_health(now, true, &format!("s{i}"), Some("x"), 3))
        .collect();
    t.commit(
        Commit {
            events: evs,
            ..Default::default()
        },
        &AllTo(vec!["hook"]),
        now,
    )
    .unwrap();
    let other = t.reopen();
    let until = now + Duration::seconds(30);
    let a = t.lease_deliveries(now, until, 2).unwrap();
    let b = other.lease_deliveries(now, until, 10).unwrap();
    assert_eq!((a.len(), b.len()), (2, 3));
    assert!(
        a.iter()
            .all(|x| b.iter().all(|y| y.outbox_id != x.outbox_id))
    );
    // Not delivered by its holder (killed): due again after the expiry, attempts unchanged.
    let later = until + Duration::seconds(1);
    let again = other.lease_deliveries(later, later, 10).unwrap();
    assert_eq!(again.len(), 5);
    assert!(again.iter().all(|d| d.attempts == 0));

    feed(&**t, 1);
    assert!(
        t.lease_source("f", now, until).unwrap(),
        "never checked: due"
    );
    assert!(!other.lease_source("f", now, until).unwrap(), "held");
    assert_eq!(t.workers(now).unwrap().len(), 0, "no beat yet, no row");
    t.worker_beat(false).unwrap();
    assert_eq!(t.workers(now).unwrap()[0].sources, vec!["f".to_string()]);
    assert!(other.lease_source("f", later, later).unwrap(), "expired");
}

/// On a shared store, request starts to one host are `spacing` apart across all handles
/// (workers); other hosts do not wait. SQLite has no shared turns (one process).
pub(super) fn host_turns_space_starts_across_workers(t: &TestStore) {
    let spacing = std::time::Duration::from_millis(200);
    let other = t.reopen();
    let t0 = std::time::Instant::now();
    // Each reserved start on the test's clock lies within [asked + wait, answered + wait].
    let reserve = |s: &dyn Store, host: &str| {
        let asked = t0.elapsed();
        let w = s.reserve_host_turn(host, spacing).unwrap()?;
        Some((asked + w, t0.elapsed() + w))
    };
    let Some(a0) = reserve(&**t, "a.example") else {
        return;
    };
    let a1 = reserve(&*other, "A.example").unwrap();
    let a2 = reserve(&**t, "a.example").unwrap();
    let b = reserve(&*other, "b.example").unwrap();
    for (x, y) in [(a0, a1), (a1, a2)] {
        // The gap between two reserved starts is the spacing (within the calls' own time).
        assert!(y.1 >= x.0 + spacing, "{x:?} {y:?}");
        assert!(y.0 <= x.1 + spacing, "{x:?} {y:?}");
    }
    assert!(b.0 <= t0.elapsed(), "another host does not wait: {b:?}");
}

/// A Retry-After pause one worker saw holds for every worker: the next start reserved by
/// another handle is at least the pause away. Another host is not paused.
pub(super) fn a_pause_holds_for_every_worker(t: &TestStore) {
    let spacing = std::time::Duration::from_millis(10);
    let pause = std::time::Duration::from_millis(800);
    let other = t.reopen();
    let t0 = std::time::Instant::now();
    t.pause_host("p.example", pause).unwrap();
    let Some(w) = other.reserve_host_turn("P.example", spacing).unwrap() else {
        return; // not shared (SQLite): the pause is in memory
    };
    // Reserved start on the test's clock, at the latest: now + wait.
    assert!(
        t0.elapsed() + w >= pause,
        "paused for {pause:?}, other worker told to wait only {w:?}"
    );
    let again = other
        .reserve_host_turn("p.example", spacing)
        .unwrap()
        .unwrap();
    assert!(
        again >= w,
        "the next start stays after the pause: {again:?}"
    );
    let free = t.reserve_host_turn("q.example", spacing).unwrap().unwrap();
    assert!(free < pause / 4, "another host waits {free:?}");
    // A shorter pause never shortens a longer one.
    t.pause_host("p.example", std::time::Duration::from_millis(1))
        .unwrap();
    let later = other
        .reserve_host_turn("p.example", spacing)
        .unwrap()
        .unwrap();
    assert!(t0.elapsed() + later >= pause, "{later:?}");
}

/// On a shared store a host's concurrency slots are shared by every handle (worker): the
/// limit holds across them, a released slot is free again, and a dead holder's slot frees
/// when its hold expires. SQLite has none (its limit is in memory).
pub(super) fn host_slots_are_shared_across_workers(t: &TestStore) {
    let hold = std::time::Duration::from_secs(30);
    let first = t.take_host_slot("h.example", 2, hold).unwrap();
    if first == HostSlot::Unshared {
        return;
    }
    let other = t.reopen();
    let HostSlot::Taken(a) = first else {
        panic!("{first:?}")
    };
    let HostSlot::Taken(b) = other.take_host_slot("H.example", 2, hold).unwrap() else {
        panic!("second slot")
    };
    assert_ne!(a, b);
    assert_eq!(
        t.take_host_slot("h.example", 2, hold).unwrap(),
        HostSlot::Busy
    );
    assert!(matches!(
        t.take_host_slot("other.example", 2, hold).unwrap(),
        HostSlot::Taken(_)
    ));
    other
        .release_host_slot("h.example", b, std::time::Duration::ZERO)
        .unwrap();
    assert_eq!(
        t.take_host_slot("h.example", 2, hold).unwrap(),
        HostSlot::Taken(b)
    );
    // A holder that dies: its short hold expires and the slot is taken again.
    let lone = "dies.example";
    assert!(matches!(
        other
            .take_host_slot(lone, 1, std::time::Duration::from_millis(100))
            .unwrap(),
        HostSlot::Taken(0)
    ));
    assert_eq!(t.take_host_slot(lone, 1, hold).unwrap(), HostSlot::Busy);
    std::thread::sleep(std::time::Duration::from_millis(150));
    assert_eq!(t.take_host_slot(lone, 1, hold).unwrap(), HostSlot::Taken(0));
}
