//! End to end through the real binary: pages served by a local HTTP server change between
//! passes; a real webhook receiver verifies Standard Webhooks signatures.

mod common;

use std::time::Duration;

use common::app::App;
use common::{PageServer, WebhookReceiver};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A news page with realistic furniture around the article; `facts` fills the body,
/// `noise` the parts that change on every request of a real site.
pub fn news_page(toll: &str, noise: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>Valley floods | Daily Example</title>
<meta property="og:title" content="Floods sweep the valley">
<meta property="article:published_time" content="2026-01-05T08:00:00Z">
<meta name="author" content="Ann Lee"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="weather">Valley {noise}°C, updated {noise} minutes ago</div></header>
<div class="ad-slot">Advertisement: buy {noise} shoes today</div>
<main><article>
<h1>Floods sweep the valley</h1>
<p>At least {toll} people have died after floods swept through the valley on Sunday, officials said on Monday morning.</p>
<p>Rescue teams are still searching villages cut off by the water, the regional governor told reporters in the capital.</p>
<p>The weather service expects more rain on Tuesday and has issued a warning for the whole province and its neighbours.</p>
<p>Residents described the water rising within minutes as the river burst its banks shortly after midnight on Sunday.</p>
<div class="share-bar">Share on Facebook · Share on X · {noise} shares</div>
<div class="comments-count">{noise} comments</div>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Storm {noise} hits coast</a></li><li><a href="/b">Dam warning issued</a></li></ul></aside>
</main>
<footer>© Daily Example · Updated {noise} minutes ago</footer></body></html>"#
    )
}

fn page_config(url: &str, hook: &WebhookReceiver) -> String {
    format!(
        r#"[fetch]
per_host_delay = "10ms"
timeout = "3s"

[[source]]
name = "daily"
kind = "page"
url = "{url}"
outlet = "Daily Example"

[[notify.webhook]]
name = "desk"
url = "{}"
secret = "{SECRET}"
"#,
        hook.url()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn edited_page_yields_new_then_changed_with_the_right_diff() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    pages.set_page("/floods", &news_page("40", "12"));
    let app = App::new(&page_config(&pages.url("/floods"), &hook));

    app.ok(&["check", "--all"]);
    let got = hook.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 1, "one article.new");
    let first = &got[0];
    assert!(first.signature_valid, "signature must verify");
    let body = first.json.as_ref().unwrap();
    assert_eq!(body["type"], "article.new");
    assert_eq!(first.id.as_deref(), body["id"].as_str());
    assert_eq!(body["article"]["headline"], "Floods sweep the valley");
    assert_eq!(body["article"]["outlet"], "Daily Example");
    assert_eq!(body["version"], 1);

    // The toll changes (and so does all the noise).
    pages.set_page("/floods", &news_page("52", "13"));
    app.ok(&["check", "--all"]);
    let got = hook.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(got.len(), 2);
    let ch = got[1].json.as_ref().unwrap();
    assert!(got[1].signature_valid);
    // A changed number is a changed fact: fact.changed (not article.changed), with the fact.
    assert_eq!(ch["type"], "fact.changed", "{ch:#}");
    assert_eq!(ch["from_version"], 1);
    assert_eq!(ch["to_version"], 2);
    assert_eq!(ch["significance"], "factual");
    let facts = ch["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 1, "{facts:#?}");
    let f = &facts[0];
    assert_eq!(f["kind"], "quantity");
    assert_eq!(f["slot"], "deaths");
    assert_eq!(f["label"], "update", "a death toll that rises is an update");
    assert!(f["before"]["text"].as_str().unwrap().contains("40"), "{f}");
    assert!(f["after"]["text"].as_str().unwrap().contains("52"), "{f}");
    assert_eq!(
        f["before"]["value"]["min"], 40.0,
        "'at least 40' is [40, ∞)"
    );
    assert!(f["before"]["value"]["max"].is_null());
    assert_eq!(f["after"]["value"]["min"], 52.0);
    assert!(
        f["sentence_before"]
            .as_str()
            .unwrap()
            .starts_with("At least 40 people have died")
    );
    assert!(
        f["sentence_after"]
            .as_str()
            .unwrap()
            .starts_with("At least 52 people have died")
    );
    let changes = ch["diff"]["sentences"].as_array().unwrap();
    assert_eq!(
        changes.len(),
        1,
        "only the toll sentence changed: {changes:?}"
    );
    assert_eq!(changes[0]["op"], "edited");
    let words = changes[0]["words"].as_array().unwrap();
    let deleted: Vec<_> = words
        .iter()
        .filter(|w| w["op"] == "delete")
        .map(|w| w["text"].as_str().unwrap())
        .collect();
    let inserted: Vec<_> = words
        .iter()
        .filter(|w| w["op"] == "insert")
        .map(|w| w["text"].as_str().unwrap())
        .collect();
    assert_eq!(deleted, vec!["40"]);
    assert_eq!(inserted, vec!["52"]);

    // The CLI shows the same.
    let diff = app.ok(&["diff", &pages.url("/floods")]);
    assert!(diff.contains("[-40-]{+52+}"), "{diff}");
    // Facts first, in plain words, then the text diff.
    let facts_at = diff.find("deaths: At least 40 → At least 52 [update]");
    assert!(
        facts_at.is_some_and(|i| i < diff.find("[-40-]").unwrap()),
        "{diff}"
    );
    let hist = app.ok(&["history", &pages.url("/floods")]);
    assert!(hist.contains("deaths: At least 40 → At least 52"), "{hist}");
    let hist = app.json(&["history", &pages.url("/floods")]);
    assert_eq!(hist["versions"].as_array().unwrap().len(), 2);
    // A third pass on an unchanged page sends a conditional GET and changes nothing.
    app.ok(&["check", "--all"]);
    let last = pages.requests_to("/floods").pop().unwrap();
    assert!(
        last.header("if-none-match").is_some(),
        "conditional GET expected"
    );
    assert_eq!(app.version_count(&pages.url("/floods")), 2);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(hook.deliveries().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn boilerplate_only_changes_make_no_version() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    pages.set_page("/floods", &news_page("40", "7"));
    let app = App::new(&page_config(&pages.url("/floods"), &hook));
    app.ok(&["check", "--all"]);
    for noise in ["8", "99", "1234"] {
        // Ads, weather widget, share and comment counts, related list and footer timestamps change.
        pages.set_page("/floods", &news_page("40", noise));
        app.ok(&["check", "--all"]);
    }
    assert_eq!(
        app.version_count(&pages.url("/floods")),
        1,
        "boilerplate changes must not create versions"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kinds: Vec<_> = hook
        .deliveries()
        .iter()
        .map(|d| d.json.as_ref().unwrap()["type"].clone())
        .collect();
    assert_eq!(kinds, vec!["article.new"]);
    // The extracted text holds no boilerplate numbers.
    let show = app.ok(&["show", &pages.url("/floods")]);
    for leak in [
        "shares",
        "comments",
        "Advertisement",
        "Storm",
        "minutes ago",
    ] {
        assert!(
            !show.contains(leak),
            "{leak:?} leaked into the article:\n{show}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn removed_page_emits_article_removed_once() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    pages.set_page("/floods", &news_page("40", "1"));
    let app = App::new(&page_config(&pages.url("/floods"), &hook));
    app.ok(&["check", "--all"]);
    pages.set_status("/floods", 410);
    app.ok(&["check", "--all"]);
    app.ok(&["check", "--all"]);
    let got = hook.wait_for(2, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let kinds = hook.event_types();
    assert_eq!(kinds, vec!["article.new", "article.removed"], "{got:?}");
    assert_eq!(
        hook.deliveries()[1].json.as_ref().unwrap()["last_version"],
        1
    );
    let arts = app.json(&["articles"]);
    assert!(arts[0]["removed_at"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_filters_select_events() {
    let pages = PageServer::start().await;
    let all = WebhookReceiver::start(SECRET).await;
    let only_changes = WebhookReceiver::start("plain-secret").await;
    pages.set_page("/floods", &news_page("40", "1"));
    let cfg = format!(
        "{}\n[[notify.webhook]]\nname = \"changes\"\nurl = \"{}\"\nsecret = \"plain-secret\"\nevents = [\"fact.changed\"]\n",
        page_config(&pages.url("/floods"), &all),
        only_changes.url()
    );
    let app = App::new(&cfg);
    app.ok(&["check", "--all"]);
    pages.set_page("/floods", &news_page("41", "1"));
    app.ok(&["check", "--all"]);
    all.wait_for(2, Duration::from_secs(5)).await;
    let got = only_changes.wait_for(1, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(only_changes.deliveries().len(), 1);
    assert!(
        got[0].signature_valid,
        "a plain (non-whsec) secret signs with its bytes"
    );
    assert_eq!(got[0].json.as_ref().unwrap()["type"], "fact.changed");
}

#[tokio::test(flavor = "multi_thread")]
async fn extract_prints_json_lines_for_files_and_urls_and_names_failures() {
    let pages = PageServer::start().await;
    pages.set_page("/floods", &news_page("40", "5"));
    let app = App::new("");
    let file = app.path("saved.html");
    std::fs::write(&file, news_page("41", "6")).unwrap();
    let out = app.run(&[
        "extract",
        file.to_str().unwrap(),
        &pages.url("/floods"),
        &pages.url("/missing"),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "one input failed");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (line, toll) in lines.iter().take(2).zip(["41", "40"]) {
        assert_eq!(line["headline"], "Floods sweep the valley");
        assert_eq!(line["byline"][0], "Ann Lee");
        assert_eq!(line["published"], "2026-01-05T08:00:00+00:00");
        assert!(
            line["text"]
                .as_str()
                .unwrap()
                .starts_with(&format!("At least {toll} people")),
            "{line}"
        );
        assert!(line["method"].as_str().unwrap().starts_with("html:"));
        assert!(line["confidence"].as_f64().unwrap() > 0.3);
    }
    assert!(
        lines[2]["error"].as_str().unwrap().contains("404"),
        "{}",
        lines[2]
    );
}

#[test]
fn extract_walks_directories_on_all_cores_in_input_order() {
    let app = App::new("");
    let dir = app.path("corpus");
    std::fs::create_dir_all(dir.join("b/deeper")).unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    // 30 pages with distinct tolls, spread over nested folders
    let mut want = Vec::new();
    for i in 0..30 {
        let sub = ["", "b", "b/deeper"][i % 3];
        let path = dir.join(sub).join(format!("page{i:02}.html"));
        std::fs::write(&path, news_page(&(100 + i).to_string(), "1")).unwrap();
        want.push(path);
    }
    std::fs::write(dir.join(".hidden.html"), news_page("999", "1")).unwrap();
    std::fs::write(dir.join(".git/config.html"), news_page("998", "1")).unwrap();
    std::fs::write(dir.join("b/binary.bin"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    want.sort();
    let out = app.run(&["extract", "--json", "--jobs", "3", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the binary file is the one failure"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let inputs: Vec<&str> = lines.iter().map(|l| l["input"].as_str().unwrap()).collect();
    let mut sorted = inputs.clone();
    sorted.sort();
    assert_eq!(inputs, sorted, "output follows the sorted input order");
    assert_eq!(
        lines.len(),
        31,
        "30 pages + the binary file, no hidden files"
    );
    assert!(
        !inputs
            .iter()
            .any(|i| i.contains(".hidden") || i.contains(".git"))
    );
    let bin = lines
        .iter()
        .find(|l| l["input"].as_str().unwrap().ends_with("binary.bin"))
        .unwrap();
    assert!(bin["error"].as_str().unwrap().contains("binary"), "{bin}");
    for l in lines.iter().filter(|l| l.get("error").is_none()) {
        let name = l["input"].as_str().unwrap();
        let i: usize = name[name.len() - 7..name.len() - 5].parse().unwrap();
        let text = l["text"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("At least {} people", 100 + i)),
            "{name}: {text}"
        );
        for key in [
            "headline",
            "byline",
            "published",
            "modified",
            "canonical_url",
            "lang",
            "method",
            "confidence",
        ] {
            assert!(l.get(key).is_some(), "{key} missing in {l}");
        }
    }
    // a missing path is a named error, not a crash
    let out = app.run(&["extract", app.path("nope.html").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.html"));
}
