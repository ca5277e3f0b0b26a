//! Fact-level changes end to end: a page served locally changes one fact (or only cosmetics),
//! `factdiff check` runs, and the webhook receiver sees `fact.changed` with the right `facts`
//! entry — or `article.changed` without facts for cosmetic edits.

mod common;

use std::time::Duration;

use common::app::App;
use common::{PageServer, WebhookReceiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn page(paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>Council vote | Daily Example</title>
<meta property="og:title" content="Council delays budget vote">
<meta property="article:published_time" content="2026-03-10T09:00:00+00:00"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Council delays budget vote</h1>
{body}</article><footer>© Daily Example</footer></body></html>"#
    )
}

const BASE: [&str; 5] = [
    "The city council will vote on the budget on Thursday, March 12, officials said on Tuesday.",
    "\"We need more time to read the proposal,\" council leader Jon Ellery told reporters.",
    "The plan would cut spending by $4.1 million and close 3 libraries across the city.",
    "Residents have protested outside the town hall for two weeks, and about 300 people attended a meeting on Monday.",
    "Ellery said the council had received more than 1,200 letters from residents this month.",
];

async fn setup(first: &str) -> (PageServer, WebhookReceiver, App, String) {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    pages.set_page("/vote", first);
    let url = pages.url("/vote");
    let app = App::new(&format!(
        "[fetch]\nper_host_delay = \"1ms\"\n[[source]]\nname = \"daily\"\nkind = \"page\"\nurl = \"{url}\"\n\
         outlet = \"Daily Example\"\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        hook.url()
    ));
    app.ok(&["check", "--all"]);
    assert_eq!(hook.wait_for(1, Duration::from_secs(5)).await.len(), 1);
    (pages, hook, app, url)
}

/// Serves `next`, runs a pass, returns the event it produced.
async fn next_event(
    pages: &PageServer,
    hook: &WebhookReceiver,
    app: &App,
    next: &str,
) -> serde_json::Value {
    let before = hook.deliveries().len();
    pages.set_page("/vote", next);
    app.ok(&["check", "--all"]);
    let got = hook.wait_for(before + 1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), before + 1, "exactly one event per new version");
    got[before].json.clone().unwrap()
}

fn edited(i: usize, text: &str) -> Vec<String> {
    let mut v: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
    v[i] = text.to_string();
    v
}

fn html(v: &[String]) -> String {
    page(&v.iter().map(String::as_str).collect::<Vec<_>>())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moved_vote_date_is_a_plan_change_with_both_values() {
    let (pages, hook, app, _) = setup(&page(&BASE)).await;
    let e = next_event(
        &pages,
        &hook,
        &app,
        &html(&edited(
            0,
            "The city council will vote on the budget on Friday, March 13, officials said on Tuesday.",
        )),
    )
    .await;
    assert_eq!(e["type"], "fact.changed", "{e:#}");
    let facts = e["facts"].as_array().unwrap();
    let date = facts
        .iter()
        .find(|f| f["kind"] == "date")
        .unwrap_or_else(|| panic!("no date change in {facts:#?}"));
    assert_eq!(date["before"]["value"], "2026-03-12", "{date}");
    assert_eq!(date["after"]["value"], "2026-03-13", "{date}");
    assert_eq!(date["label"], "plan_changed");
    assert!(
        facts.iter().all(|f| f["kind"] == "date"),
        "only the date changed: {facts:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn money_quote_and_negation_changes() {
    let (pages, hook, app, _) = setup(&page(&BASE)).await;
    let e = next_event(
        &pages,
        &hook,
        &app,
        &html(&edited(
            2,
            "The plan would cut spending by $3.9 million and close 3 libraries across the city.",
        )),
    )
    .await;
    let f = &e["facts"][0];
    assert_eq!(f["kind"], "money", "{e:#}");
    assert_eq!(f["before"]["value"]["currency"], "USD");
    assert_eq!(f["before"]["value"]["amount"], 4_100_000.0);
    assert_eq!(f["after"]["value"]["amount"], 3_900_000.0);

    // The quote is removed.
    let mut v = edited(2, BASE[2]);
    v.remove(1);
    let e = next_event(&pages, &hook, &app, &html(&v)).await;
    let facts = e["facts"].as_array().unwrap();
    assert!(
        facts
            .iter()
            .any(|f| f["kind"] == "quote" && f["label"] == "quote_removed"),
        "{facts:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cosmetic_edits_emit_no_fact_change() {
    let (pages, hook, app, _) = setup(&page(&BASE)).await;
    // Quote glyphs, punctuation, a typo fix elsewhere, a paragraph re-split, re-ordering and
    // a synonym that keeps the value ("about 300" → "around 300").
    let mut v: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
    v[1] = "“We need more time to read the proposal,” council leader Jon Ellery told reporters."
        .into();
    v[3] = "Residents have protested outside the town hall for two weeks; around 300 people attended a meeting on Monday.".into();
    v.swap(2, 4);
    let (a, b) = v[0].split_at(v[0].find(" officials").unwrap());
    let resplit = format!("{}.", a.trim_end_matches(','));
    let rest = format!("Officials{}", &b[" officials".len()..]);
    v[0] = resplit;
    v.insert(1, rest);
    let e = next_event(&pages, &hook, &app, &html(&v)).await;
    assert_eq!(
        e["type"], "article.changed",
        "cosmetic/wording edits are not fact changes: {:#}",
        e["facts"]
    );
    assert!(e.get("facts").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrected_name_with_a_correction_note() {
    let (pages, hook, app, url) = setup(&page(&BASE)).await;
    let mut v = edited(
        1,
        "\"We need more time to read the proposal,\" council leader John Ellery told reporters.",
    );
    v.push("Correction: An earlier version of this article misspelled the name of council leader John Ellery.".into());
    let e = next_event(&pages, &hook, &app, &html(&v)).await;
    assert_eq!(e["type"], "fact.changed", "{e:#}");
    let facts = e["facts"].as_array().unwrap();
    let name = facts
        .iter()
        .find(|f| f["kind"] == "person")
        .unwrap_or_else(|| panic!("no name change in {facts:#?}"));
    // a person's value carries the role the sentence gives ("Name, role")
    assert_eq!(name["before"]["value"], "Jon Ellery, council leader");
    assert_eq!(name["after"]["value"], "John Ellery, council leader");
    assert_eq!(name["label"], "correction");
    assert!(
        name["correction_note"]
            .as_str()
            .unwrap()
            .contains("misspelled"),
        "{name}"
    );
    let hist = app.ok(&["history", &url]);
    assert!(hist.contains("Jon Ellery → John Ellery"), "{hist}");
}

#[test]
fn claims_command_prints_slots_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("story.txt");
    std::fs::write(
        &f,
        "Council delays budget vote\n\nAt least 40 people were injured when the stand collapsed on Saturday, police said.\n\nThe club said it would pay €650m for a new stadium, about 30 per cent more than planned.\n",
    )
    .unwrap();
    let out = std::process::Command::new(common::app::BIN)
        .args(["claims", "--published", "2026-01-05", "--json"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let claims = doc["claims"].as_array().unwrap();
    let find = |kind: &str| {
        claims
            .iter()
            .find(|c| c["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {claims:#?}"))
    };
    let injured = find("quantity");
    assert_eq!(injured["slot"], "injured");
    assert_eq!(injured["value"]["min"], 40.0);
    assert!(
        injured["sentence"]
            .as_str()
            .unwrap()
            .starts_with("At least 40")
    );
    assert_eq!(find("money")["value"]["amount"], 650_000_000.0);
    assert_eq!(find("money")["value"]["currency"], "EUR");
    assert_eq!(find("date")["value"], "2026-01-03", "the Saturday before");
    let pct = find("percent");
    assert!(pct["value"]["min"].as_f64().unwrap() < 30.0);
    // Bad input is named.
    let out = std::process::Command::new(common::app::BIN)
        .args(["claims", "--published", "last week"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--published"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_text_keeps_the_pages_glyphs_and_a_glyph_only_rerender_is_no_version() {
    let curly: Vec<String> = BASE
        .iter()
        .map(|s| {
            s.replace("\"We", "“We")
                .replace(",\" council", ",” council")
                .replace("weeks, and", "weeks — and")
        })
        .collect();
    let (pages, hook, app, url) = setup(&html(&curly)).await;
    // stored and shown as the page writes it
    let shown = app.ok(&["show", &url]);
    assert!(
        shown.contains("“We need more time to read the proposal,” council leader"),
        "{shown}"
    );
    assert!(shown.contains("two weeks — and about 300"), "{shown}");
    // the same page with straight quotes and a hyphen: no version, no event
    let straight = html(&curly).replace(['“', '”'], "\"").replace('—', "-");
    pages.set_page("/vote", &straight);
    app.ok(&["check", "--all"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.deliveries().len(), 1, "only the first article.new");
    assert_eq!(app.version_count(&url), 1);
}
