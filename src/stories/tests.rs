use super::*;
use crate::extract::extract_plain;
use crate::observe::{Observation, Seen, observe};
use crate::store::testkit::{TestStore, store_tests};

// The stories stage on both backends (the store contract for stories and findings).
store_tests!(
    processes_share_stories_through_the_store_and_never_re_emit,
    articles_stored_without_a_story_are_clustered_later,
    manual_decisions_on_unknown_stories_are_errors,
    a_wire_copy_counts_once_unless_it_changed_a_fact,
    an_outlet_never_conflicts_with_itself,
    a_story_is_compared_again_only_when_its_compared_documents_change,
    a_story_is_compared_from_each_outlets_latest_members,
);

fn at(day: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{day}T12:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn doc(outlet: &str, text: &str) -> OutletDoc {
    let p = at("2026-03-09").fixed_offset();
    OutletDoc {
        outlet: outlet.into(),
        url: format!("https://{outlet}.example/vienna"),
        published: p,
        claims: claims::extract_claims(&extract_plain(text), Some(p)),
    }
}

const THU: &str = "Energy ministers will meet in Vienna on Thursday to agree a cap on gas prices.";
const MAR12: &str =
    "EU energy ministers are to gather in Vienna on March 12 for talks on a gas price cap.";
const WED: &str =
    "Energy ministers will meet in Vienna on Wednesday to discuss a cap on gas prices.";

fn story() -> StoryRef {
    StoryRef {
        id: 7,
        headline: Some("Vienna gas talks".into()),
        outlets: vec![],
    }
}

fn compare(docs: &[OutletDoc]) -> Vec<Finding> {
    conflicts::compare_story(docs)
}

/// Applies a write to the "stored" open findings, as the store would.
fn apply(open: &mut Vec<StoredFinding>, w: &FindingsWrite) {
    for (old, new) in &w.renames {
        for o in open.iter_mut().filter(|o| o.ident == *old) {
            o.ident = new.clone();
        }
    }
    for u in &w.upsert {
        open.retain(|o| o.ident != u.ident);
        let mut u = u.clone();
        if u.event_id.is_none() {
            u.event_id = Some("kept".into());
        }
        open.push(u);
    }
    open.retain(|o| !w.resolve.contains(&o.ident));
}

#[test]
fn a_conflict_is_emitted_once_and_resolved_once() {
    let t = at("2026-03-09");
    let mut open = Vec::new();
    // Two outlets disagree: one claim.conflict.
    let fs = compare(&[doc("a", THU), doc("c", WED)]);
    let w = reconcile(&story(), &open, &fs, NOTIFY_MIN_SEVERITY, t);
    assert_eq!(w.events.len(), 1, "{fs:#?}");
    assert_eq!(w.events[0].kind, events::CLAIM_CONFLICT);
    assert_eq!(w.events[0].story_id, Some(7));
    assert_eq!(w.events[0].payload["story"]["id"], 7);
    assert_eq!(w.events[0].payload["slot"], "date");
    apply(&mut open, &w);
    // The same comparison again: nothing at all.
    let w = reconcile(&story(), &open, &fs, NOTIFY_MIN_SEVERITY, t);
    assert!(w.events.is_empty() && w.upsert.is_empty() && w.resolve.is_empty());
    // A third outlet sides with Thursday: the consensus forms, the event label may move, the
    // stored finding is refreshed, but nothing is emitted.
    let fs3 = compare(&[doc("a", THU), doc("b", MAR12), doc("c", WED)]);
    let w = reconcile(&story(), &open, &fs3, NOTIFY_MIN_SEVERITY, t);
    assert!(w.events.is_empty(), "{:#?}", w.events);
    assert_eq!(w.upsert.len(), 1);
    assert!(
        w.upsert[0]
            .explanation
            .contains("outlier: c says Wednesday")
    );
    assert!(w.resolve.is_empty());
    apply(&mut open, &w);
    // The outlier corrects itself: one claim.resolved naming how it compares now.
    let fixed = compare(&[doc("a", THU), doc("b", MAR12), doc("c", THU)]);
    let w = reconcile(&story(), &open, &fixed, NOTIFY_MIN_SEVERITY, t);
    assert_eq!(w.events.len(), 1);
    let r = &w.events[0];
    assert_eq!(r.kind, events::CLAIM_RESOLVED);
    assert!(
        r.payload["reason"]
            .as_str()
            .unwrap()
            .starts_with("now agree")
    );
    assert_eq!(r.payload["conflict_event"], "kept");
    assert_eq!(r.payload["previous"]["outcome"], "conflict");
    assert_eq!(r.payload["now"]["outcome"], "agree");
    apply(&mut open, &w);
    assert!(open.is_empty());
    // And again: nothing.
    assert!(
        reconcile(&story(), &open, &fixed, NOTIFY_MIN_SEVERITY, t)
            .events
            .is_empty()
    );
    // The conflict comes back: reported again.
    let w = reconcile(&story(), &open, &fs3, NOTIFY_MIN_SEVERITY, t);
    assert_eq!(w.events.len(), 1);
    assert_eq!(w.events[0].kind, events::CLAIM_CONFLICT);
}

#[test]
fn a_new_value_is_a_changed_conflict() {
    let t = at("2026-03-09");
    let mut open = Vec::new();
    let fs = compare(&[doc("a", THU), doc("b", MAR12), doc("c", WED)]);
    let w = reconcile(&story(), &open, &fs, NOTIFY_MIN_SEVERITY, t);
    apply(&mut open, &w);
    assert_eq!(open.len(), 1);
    let tue = "Energy ministers will meet in Vienna on Tuesday to discuss a cap on gas prices.";
    let fs2 = compare(&[doc("a", THU), doc("b", MAR12), doc("c", tue)]);
    let w = reconcile(&story(), &open, &fs2, NOTIFY_MIN_SEVERITY, t);
    assert_eq!(w.events.len(), 1);
    assert_eq!(w.events[0].kind, events::CLAIM_CONFLICT);
    assert!(
        w.events[0].payload["explanation"]
            .as_str()
            .unwrap()
            .contains("Tuesday 10 Mar")
    );
    assert!(w.resolve.is_empty(), "the same (event, slot) continues");
}

#[test]
fn quiet_outcomes_are_never_notified() {
    let t = at("2026-03-09");
    let fs = compare(&[
        doc(
            "a",
            "More than 27 leaders attended the summit in Paris on Tuesday.",
        ),
        doc(
            "b",
            "About 30 leaders attended the summit in Paris on Tuesday.",
        ),
    ]);
    assert!(!fs.is_empty());
    assert!(fs.iter().all(|f| !notifiable(f, 0.0)), "{fs:#?}");
    let w = reconcile(&story(), &[], &fs, NOTIFY_MIN_SEVERITY, t);
    assert!(w.events.is_empty() && w.upsert.is_empty());
}

#[test]
fn change_key_ignores_support_but_not_values() {
    let two = compare(&[doc("a", THU), doc("c", WED)]);
    let three = compare(&[doc("a", THU), doc("b", MAR12), doc("c", WED)]);
    let date = |fs: &[Finding]| fs.iter().find(|f| f.slot == "date").cloned().unwrap();
    assert_eq!(change_key(&date(&two)), change_key(&date(&three)));
    let fixed = compare(&[doc("a", THU), doc("c", THU)]);
    assert_ne!(change_key(&date(&two)), change_key(&date(&fixed)));
}

// --- through a real SQLite store -------------------------------------------------------------

struct NoRoutes;
impl Routes for NoRoutes {
    fn targets(&self, _: &str) -> Vec<String> {
        vec!["log".into()]
    }
}

fn ingest(store: &dyn Store, stories: &Stories, url: &str, outlet: &str, text: &str, day: &str) {
    let obs = Observation {
        schedule: None,
        source: None,
        outlet: Some(outlet.into()),
        url: url.into(),
        use_canonical: false,
        at: at(day),
        seen: Seen::Document {
            body: text.into(),
            raw: text.as_bytes().to_vec(),
            content_type: Some("text/plain".into()),
            final_url: None,
            etag: None,
            last_modified: None,
            status: Some(200),
        },
        duration_ms: 0,
        failing_after: 3,
        next_check_at: None,
        source_health: false,
        site_rules: Default::default(),
    };
    observe(store, &NoRoutes, stories, &obs).unwrap();
}

/// Outlet `X`'s article `https://x.example/1`, observed on 2026-03-09.
fn publish(store: &dyn Store, stories: &Stories, outlet: &str, text: &str) {
    let url = format!("https://{}.example/1", outlet.to_lowercase());
    ingest(store, stories, &url, outlet, text, "2026-03-09");
}

/// What [`publish`] stored for outlet `X`.
fn published(store: &dyn Store, outlet: &str) -> crate::store::ArticleRow {
    let url = format!("https://{}.example/1", outlet.to_lowercase());
    store.article_by_url(&url).unwrap().unwrap()
}

fn article(lead: &str) -> String {
    format!(
        "Vienna hosts emergency gas price talks\n\n{lead}\n\nMinisters from 27 countries are expected at the emergency meeting after wholesale gas prices hit record highs.\n\nAustrian energy minister Leonore Gewessler said a cap was needed to protect households during the winter.\n\nTraders said a price cap risked diverting liquefied natural gas shipments to Asia."
    )
}

fn conflicts_emitted(store: &dyn Store) -> usize {
    store
        .events(None, 1000)
        .unwrap()
        .iter()
        .filter(|e| e.kind == events::CLAIM_CONFLICT)
        .count()
}

fn processes_share_stories_through_the_store_and_never_re_emit(t: &TestStore) {
    let store: &dyn Store = &**t;
    // Two processes (e.g. the daemon and a `factdiff ingest`), one store.
    let (p1, p2) = (Stories::new(), Stories::new());
    publish(store, &p1, "A", &article(THU));
    publish(store, &p2, "B", &article(MAR12));
    publish(store, &p1, "C", &article(WED));
    let a = published(store, "A");
    let b = published(store, "B");
    let c = published(store, "C");
    let s = store.story_of(a.id).unwrap().unwrap();
    assert_eq!(store.story_of(b.id).unwrap(), Some(s), "p2 saw p1's story");
    assert_eq!(
        store.story_of(c.id).unwrap(),
        Some(s),
        "p1 caught up with p2"
    );
    assert_eq!(conflicts_emitted(store), 1);
    assert_eq!(store.story(s).unwrap().unwrap().open_conflicts, 1);

    // Re-processing the same versions (a third process, a restart) emits nothing.
    let p3 = Stories::new();
    for id in [a.id, b.id, c.id] {
        p3.article_changed(store, &NoRoutes, id, at("2026-03-10"))
            .unwrap();
    }
    p3.recompare(store, &NoRoutes, s, at("2026-03-10")).unwrap();
    assert_eq!(conflicts_emitted(store), 1);

    // A split in one process holds in the other on the next version.
    p2.split(store, &NoRoutes, c.id, at("2026-03-10")).unwrap();
    let alone = store.story_of(c.id).unwrap().unwrap();
    assert_ne!(alone, s);
    ingest(
        store,
        &p1,
        "https://c.example/1",
        "C",
        &article(WED).replace("Traders said", "Gas traders said"),
        "2026-03-10",
    );
    assert_eq!(
        store.story_of(c.id).unwrap(),
        Some(alone),
        "split sticks in p1"
    );
    // The conflict went with it: the two left agree.
    assert_eq!(store.story(s).unwrap().unwrap().open_conflicts, 0);
    let resolved = store
        .events(None, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == events::CLAIM_RESOLVED)
        .collect::<Vec<_>>();
    assert_eq!(resolved.len(), 1);
    assert!(
        resolved[0].payload["reason"]
            .as_str()
            .unwrap()
            .starts_with("now agree"),
        "{:#}",
        resolved[0].payload
    );
}

fn articles_stored_without_a_story_are_clustered_later(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    publish(store, &p, "A", &article(THU));
    publish(store, &p, "B", &article(WED));
    assert!(store.unclustered_articles(0, 10).unwrap().is_empty());
    // A crash between a version and its story write (simulated: the membership is lost).
    t.exec("DELETE FROM story_members");
    let pending = store.unclustered_articles(0, 10).unwrap();
    assert_eq!(pending.len(), 2);
    let fresh = Stories::new();
    assert_eq!(
        fresh
            .cluster_pending(store, &NoRoutes, at("2026-03-10"))
            .unwrap(),
        2
    );
    assert!(store.unclustered_articles(0, 10).unwrap().is_empty());
    let a = published(store, "A");
    let b = published(store, "B");
    assert_eq!(store.story_of(a.id).unwrap(), store.story_of(b.id).unwrap());
}

fn manual_decisions_on_unknown_stories_are_errors(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    assert!(matches!(
        p.merge(store, &NoRoutes, 1, 2, at("2026-03-09")),
        Err(StoryError::NoStory(1))
    ));
    assert!(matches!(
        p.split(store, &NoRoutes, 5, at("2026-03-09")),
        Err(StoryError::NotInStory(5))
    ));
}

fn a_wire_copy_counts_once_unless_it_changed_a_fact(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    publish(store, &p, "A", &article(THU));
    publish(store, &p, "B", &article(THU));
    let a = published(store, "A");
    let b = published(store, "B");
    let s = store.story_of(a.id).unwrap().unwrap();
    assert_eq!(store.story_of(b.id).unwrap(), Some(s));
    let m = store.story_members(s).unwrap();
    assert_eq!(
        m.iter()
            .find(|m| m.article_id == b.id)
            .unwrap()
            .wire_copy_of,
        Some(a.id)
    );
    assert_eq!(
        p.outlet_docs(store, s).unwrap().len(),
        1,
        "one agency text, one voice"
    );
    // C runs the same agency text with the weekday edited: compared, and in conflict.
    publish(store, &p, "C", &article(WED));
    assert_eq!(p.outlet_docs(store, s).unwrap().len(), 2);
    assert_eq!(conflicts_emitted(store), 1);
}

fn an_outlet_never_conflicts_with_itself(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    // Two articles of one outlet (an early piece and a follow-up) with different weekdays.
    publish(store, &p, "A", &article(THU));
    ingest(
        store,
        &p,
        "https://a.example/2",
        "A",
        &article(WED).replace("Traders", "Some traders"),
        "2026-03-09",
    );
    let a = published(store, "A");
    let s = store.story_of(a.id).unwrap().unwrap();
    assert_eq!(store.story_members(s).unwrap().len(), 2);
    assert_eq!(p.outlet_docs(store, s).unwrap().len(), 1);
    assert_eq!(conflicts_emitted(store), 0);
}

#[test]
fn the_threshold_holds_back_quieter_findings() {
    let fs = compare(&[doc("a", THU), doc("b", MAR12), doc("c", WED)]);
    let date = fs.iter().find(|f| f.slot == "date").unwrap();
    assert!(date.severity > 0.2 && date.severity < 0.9, "{date:#?}");
    let t = at("2026-03-09");
    assert_eq!(reconcile(&story(), &[], &fs, 0.2, t).events.len(), 1);
    assert!(reconcile(&story(), &[], &fs, 0.9, t).events.is_empty());
}

#[test]
fn the_compared_documents_cache_keeps_its_byte_budget_and_the_newest() {
    let mut cache = DocCache::default();
    let one = doc("a", &"Vienna talks went on. ".repeat(50));
    let size = doc_bytes(&one);
    let budget = 10 * size;
    for i in 0..100 {
        cache.insert((i, 1), Arc::new(one.clone()), budget);
    }
    assert!(cache.bytes <= budget, "{} > {budget}", cache.bytes);
    assert_eq!(cache.docs.len(), 10);
    assert!(cache.contains_key(&(99, 1)) && cache.get(&(90, 1)).is_some());
    assert!(!cache.contains_key(&(0, 1)) && !cache.contains_key(&(89, 1)));
    // a document cached again is not counted twice
    cache.insert((99, 1), Arc::new(one), budget);
    assert_eq!(cache.bytes, 10 * size);
}

fn a_story_is_compared_again_only_when_its_compared_documents_change(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    publish(store, &p, "A", &article(THU));
    publish(store, &p, "C", &article(WED));
    let a = published(store, "A");
    let s = store.story_of(a.id).unwrap().unwrap();
    assert_eq!(conflicts_emitted(store), 1);
    let runs = || p.comparisons.load(std::sync::atomic::Ordering::Relaxed);
    let before = runs();
    assert_eq!(
        before, 1,
        "a one-outlet story has nothing to compare: compared once, with C"
    );
    // An older piece of A joins (found later through its feed): A still speaks with its
    // latest, so the story compares what it compared, and is not compared again.
    ingest(
        store,
        &p,
        "https://a.example/0",
        "A",
        &article(THU).replace("Traders said", "Gas traders said"),
        "2026-03-08",
    );
    assert_eq!(store.story_of(published(store, "A").id).unwrap(), Some(s));
    assert_eq!(store.story_members(s).unwrap().len(), 3);
    assert_eq!(
        runs(),
        before,
        "same documents, same findings: not compared again"
    );
    // Another process compares it once; a newer piece of A changes what A says: compared.
    let q = Stories::new();
    q.recompare(store, &NoRoutes, s, at("2026-03-10")).unwrap();
    assert_eq!(q.comparisons.load(std::sync::atomic::Ordering::Relaxed), 1);
    ingest(
        store,
        &p,
        "https://a.example/2",
        "A",
        &article(MAR12).replace("Traders said", "Some traders said"),
        "2026-03-10",
    );
    assert_eq!(store.story_members(s).unwrap().len(), 4);
    assert_eq!(runs(), before + 1);
}

/// Re-comparing a story reads each outlet's latest members only (`story_state` lists at most
/// `STATE_PER_OUTLET` per outlet and the originals of the wire copies among them, where it
/// listed every member: a story of thousands of articles was held whole by every re-compare),
/// and an outlet whose listed members all repeat their originals still speaks with its older
/// piece (every member is read then), as before.
fn a_story_is_compared_from_each_outlets_latest_members(t: &TestStore) {
    let store: &dyn Store = &**t;
    let p = Stories::new();
    publish(store, &p, "A", &article(THU));
    // X's own piece (another weekday), then five later pieces that run A's agency text
    // (published the same day as A's, so their weekday is A's date).
    let own = article(WED).replace("Traders", "Some traders");
    ingest(store, &p, "https://x.example/own", "X", &own, "2026-03-08");
    assert_eq!(conflicts_emitted(store), 1);
    for i in 0..5 {
        let url = format!("https://x.example/copy{i}");
        ingest(store, &p, &url, "X", &article(THU), "2026-03-09");
    }
    let a = published(store, "A");
    let s = store.story_of(a.id).unwrap().unwrap();
    let all = store.story_members(s).unwrap();
    assert_eq!(all.len(), 7, "one story");
    let state = store.story_state(s).unwrap();
    let ids = |ms: &[StoryMember]| {
        let mut v: Vec<i64> = ms.iter().map(|m| m.article_id).collect();
        v.sort();
        v
    };
    assert_eq!(
        state.members.len(),
        1 + STATE_PER_OUTLET,
        "A and X's latest"
    );
    assert_eq!(state.truncated, vec!["X".to_string()]);
    assert_eq!(
        state.membership,
        (7, all.iter().map(|m| m.rev).max().unwrap())
    );
    let whole = crate::store::StoryState::of_members(None, all, Vec::new());
    assert_eq!(ids(&state.members), ids(&whole.members));
    assert_eq!(state.truncated, whole.truncated);
    assert_eq!(state.membership, whole.membership);
    // X's four latest repeat A: X speaks with its own piece, so the conflict stays open.
    let kinds: Vec<String> = store
        .events(None, 1000)
        .unwrap()
        .iter()
        .map(|e| e.kind.to_string())
        .collect();
    assert_eq!(conflicts_emitted(store), 1, "{kinds:?}");
    assert!(
        !kinds.iter().any(|k| k == events::CLAIM_RESOLVED),
        "{kinds:?}"
    );
    assert_eq!(p.outlet_docs(store, s).unwrap().len(), 2);
}
