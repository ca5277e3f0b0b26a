//! `factdiff reprocess` recomputes stories and findings (issue 18 point 1), through the real
//! binary: four outlets report one warehouse fire; one outlet's version was stored from an
//! older reading of its page. Re-reading the raw page moves the outlet's claims, so a
//! cross-outlet finding opens or resolves: stored and shown, marked `reprocessed`, sent only
//! with `--notify`, and never emitted a second time.

mod common;

use std::time::Duration;

use chrono::{DateTime, Utc};
use common::WebhookReceiver;
use common::app::App;
use factdiff::store::{SqliteStore, Store};
use serde_json::Value;

const SECRET: &str = "whsec_cmVwcm9jZXNzLXN0b3JpZXM=";

const VALLEYS: &str = "Valleys Post";
const VALLEYS_HEADLINE: &str = "Night-time blaze destroys furniture warehouse";

fn page(outlet: &str, published: &str, headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>{headline} | {outlet}</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="{published}"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article><h1>{headline}</h1>
{body}</article></main><footer>© {outlet}</footer></body></html>"#
    )
}

/// The three outlets that agree (up to the quote-speaker dispute the Border Courier makes).
fn others() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "North Wales Echo",
            "2026-03-11T07:00:00Z",
            page(
                "North Wales Echo",
                "2026-03-11T07:00:00Z",
                "Huge warehouse fire on Wrexham industrial estate",
                &[
                    "A huge fire destroyed a furniture warehouse on an industrial estate in Wrexham on Tuesday night.",
                    "About 60 firefighters fought the blaze, which sent thick smoke across the town.",
                    "\"The building was fully alight when our crews arrived and the roof had already collapsed,\" said station manager Carys Hughes.",
                    "Two workers were treated for smoke inhalation at the scene.",
                    "North Wales Fire and Rescue Service said the cause of the fire at the furniture warehouse was being investigated.",
                    "Residents near the industrial estate were told to keep their windows and doors closed because of the smoke.",
                ],
            ),
        ),
        (
            "Cymru Daily",
            "2026-03-11T08:30:00Z",
            page(
                "Cymru Daily",
                "2026-03-11T08:30:00Z",
                "Firefighters tackle blaze at Wrexham furniture warehouse",
                &[
                    "Firefighters spent the night tackling a fire at a furniture warehouse in Wrexham that broke out on Tuesday.",
                    "More than 50 firefighters were sent to the industrial estate as smoke drifted over nearby homes.",
                    "Station manager Carys Hughes said: \"The building was fully alight when our crews arrived and the roof had already collapsed.\"",
                    "Two workers were treated by paramedics for smoke inhalation.",
                    "The cause of the warehouse fire is being investigated by North Wales Fire and Rescue Service.",
                    "People living near the industrial estate were advised to keep windows and doors shut while the smoke cleared.",
                ],
            ),
        ),
        (
            "Border Courier",
            "2026-03-11T09:15:00Z",
            page(
                "Border Courier",
                "2026-03-11T09:15:00Z",
                "Warehouse gutted as fire tears through Wrexham estate",
                &[
                    "A furniture warehouse on an industrial estate in Wrexham was gutted by fire on Tuesday night.",
                    "Dozens of firefighters fought the blaze until the early hours, and smoke drifted across the town.",
                    "Two workers needed treatment for smoke inhalation at the scene.",
                    "\"The building was fully alight when our crews arrived and the roof had already collapsed,\" said Gareth Pryce, who owns the business.",
                    "North Wales Fire and Rescue Service is investigating the cause of the fire.",
                    "Residents close to the industrial estate were asked to keep windows and doors closed overnight.",
                ],
            ),
        ),
    ]
}

/// The Valleys Post's paragraphs with the fire in `town`.
fn valleys_paragraphs(town: &str) -> Vec<String> {
    vec![
        format!("A blaze destroyed a furniture warehouse on an industrial estate in {town} on Tuesday night."),
        "Around 60 firefighters were called to the fire, and smoke could be seen for miles.".into(),
        "Two workers were treated for smoke inhalation, the fire service said.".into(),
        "The cause of the fire at the warehouse is under investigation, North Wales Fire and Rescue Service said.".into(),
        "Nearby residents were told to keep windows and doors closed as smoke spread from the industrial estate.".into(),
    ]
}

fn valleys_page(town: &str) -> String {
    let ps = valleys_paragraphs(town);
    let refs: Vec<&str> = ps.iter().map(String::as_str).collect();
    page(VALLEYS, "2026-03-11T10:00:00Z", VALLEYS_HEADLINE, &refs)
}

/// What an older extractor read from the Valleys Post page: plain text naming `town`.
fn valleys_old_reading(town: &str) -> String {
    format!(
        "{VALLEYS_HEADLINE}\n\n{}\n",
        valleys_paragraphs(town).join("\n\n")
    )
}

fn observe_one(
    app: &App,
    store: &dyn Store,
    outlet: &str,
    url: &str,
    read: (&str, &str),
    raw: &str,
    at: &str,
) {
    let at: DateTime<Utc> = DateTime::parse_from_rfc3339(at)
        .unwrap()
        .with_timezone(&Utc);
    common::stored::store_read_as(app, store, outlet, url, read, raw.as_bytes(), at);
}

/// The store: the three outlets as read today, and the Valleys Post stored from an older
/// reading naming `read_town` while its raw page names `page_town`.
fn fire_store(app: &App, read_town: &str, page_town: &str) -> SqliteStore {
    let store = SqliteStore::open(&app.path("store.db")).unwrap();
    for (i, (outlet, at, html)) in others().iter().enumerate() {
        let url = format!("https://outlet{i}.example/fire");
        observe_one(app, &store, outlet, &url, (html, "text/html"), html, at);
    }
    observe_one(
        app,
        &store,
        VALLEYS,
        "https://valleys.example/fire",
        (&valleys_old_reading(read_town), "text/plain"),
        &valleys_page(page_town),
        "2026-03-11T10:00:00Z",
    );
    store
}

fn app_with_hook(hook: &WebhookReceiver) -> App {
    App::new(&format!(
        "[notify]\nlog = false\n\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        hook.url()
    ))
}

fn delivered(hook: &WebhookReceiver, kind: &str) -> Vec<Value> {
    hook.successful()
        .into_iter()
        .filter_map(|d| d.json)
        .filter(|j| j["type"] == kind)
        .collect()
}

fn place_conflicts(hook: &WebhookReceiver) -> usize {
    delivered(hook, "claim.conflict")
        .iter()
        .filter(|c| c["slot"] == "place")
        .count()
}

/// The older reading put the fire in Mold (a place conflict was reported); the page says
/// Wrexham. Re-processing resolves the finding: stored, marked, not sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_finding_resolved_by_reprocessing_is_stored_and_not_sent() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook);
    fire_store(&app, "Mold", "Wrexham");
    app.ok(&["check"]); // deliver what was reported then
    hook.wait_for(5, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(place_conflicts(&hook), 1, "{:?}", hook.event_types());
    let before = hook.successful().len();

    let dry = app.json(&["reprocess", "--dry-run"]);
    assert_eq!(dry["totals"]["reextracted"], 1, "{dry:#}");
    // the dry run foresees the resolution (in the present story) and writes nothing
    assert_eq!(dry["totals"]["findings_resolved"], 1, "{dry:#}");
    assert_eq!(dry["totals"]["findings_opened"], 0, "{dry:#}");
    let run = app.json(&["reprocess"]);
    let t = &run["totals"];
    assert_eq!(t["findings_resolved"], 1, "{run:#}");
    assert_eq!(t["findings_opened"], 0, "{run:#}");
    assert!(t["stories_recompared"].as_u64().unwrap() >= 1, "{run:#}");
    // stored and marked, not queued
    let events = app.json(&["history"]);
    let resolved: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "claim.resolved")
        .collect();
    assert_eq!(resolved.len(), 1, "{events:#}");
    assert_eq!(resolved[0]["payload"]["reprocessed"], true, "{events:#}");
    assert_eq!(resolved[0]["payload"]["quiet"], true, "{events:#}");
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(hook.successful().len(), before, "{:?}", hook.event_types());
    // the story no longer shows the place conflict as open
    let stories = app.json(&["stories"]);
    let id = stories[0]["id"].as_i64().unwrap().to_string();
    let story = app.json(&["story", &id]);
    let open_places = story["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["slot"] == "place" && f["resolved_at"].is_null())
                .count()
        })
        .unwrap_or(0);
    assert_eq!(open_places, 0, "{story:#}");
    // a second run finds nothing new and emits nothing
    let again = app.json(&["reprocess"]);
    assert_eq!(again["totals"]["findings_resolved"], 0, "{again:#}");
    assert_eq!(again["totals"]["findings_opened"], 0, "{again:#}");
    assert_eq!(app.ok(&["verify"]).lines().last(), Some("ok"));
}

/// The reverse: the older reading said Wrexham, the page says Mold. The place conflict the
/// re-reading opens is stored quietly; with `--notify` it is sent, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_finding_opened_by_reprocessing_is_sent_only_with_notify() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook);
    fire_store(&app, "Wrexham", "Mold");
    app.ok(&["check"]);
    hook.wait_for(4, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(place_conflicts(&hook), 0, "{:?}", hook.event_types());

    let run = app.json(&["reprocess", "--notify"]);
    assert_eq!(run["totals"]["findings_opened"], 1, "{run:#}");
    app.ok(&["check"]);
    assert!(
        common::eventually(Duration::from_secs(10), || place_conflicts(&hook) == 1).await,
        "{:?}",
        hook.event_types()
    );
    let sent = delivered(&hook, "claim.conflict");
    let place = sent.iter().find(|c| c["slot"] == "place").unwrap();
    assert_eq!(place["reprocessed"], true, "{place:#}");
    // never again, with or without --notify
    let again = app.json(&["reprocess", "--notify"]);
    assert_eq!(again["totals"]["findings_opened"], 0, "{again:#}");
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(place_conflicts(&hook), 1);
    assert_eq!(app.ok(&["verify"]).lines().last(), Some("ok"));
}

/// Without `--notify` the opened finding is stored (and shown) but nothing is queued.
#[tokio::test(flavor = "multi_thread")]
async fn a_finding_opened_by_reprocessing_stays_quiet_without_notify() {
    let hook = WebhookReceiver::start(SECRET).await;
    let app = app_with_hook(&hook);
    fire_store(&app, "Wrexham", "Mold");
    app.ok(&["check"]);
    hook.wait_for(4, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = hook.successful().len();
    let run = app.json(&["reprocess"]);
    assert_eq!(run["totals"]["findings_opened"], 1, "{run:#}");
    app.ok(&["check"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(hook.successful().len(), before, "{:?}", hook.event_types());
    let stories = app.json(&["stories"]);
    let id = stories[0]["id"].as_i64().unwrap().to_string();
    let shown = app.ok(&["story", &id]);
    assert!(shown.contains("Mold"), "{shown}");
    assert_eq!(app.ok(&["verify"]).lines().last(), Some("ok"));
}
