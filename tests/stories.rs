//! Stories across outlets, end to end through the real binary: pages of several outlets on a
//! local HTTP server are grouped into a story, a distractor (another ministers' meeting, in
//! another city, days earlier) stays apart, a date conflict reaches a real webhook receiver
//! once, and a resolution follows when the outlier corrects its page. Plus the seeds
//! acceptance (skipped without `../shared`) and the manual merge/split decisions.

mod common;

use std::time::Duration;

use common::app::{App, shared_fixtures};
use common::{PageServer, WebhookReceiver};
use serde_json::Value;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A news page with site furniture around the article.
fn page(outlet: &str, published: &str, headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>{headline} | {outlet}</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="Staff reporter"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<main><article><h1>{headline}</h1>
{body}<div class="share-bar">Share on Facebook · 214 shares</div>
</article><aside class="related"><h2>Related</h2><ul><li><a href="/x">Oil prices fall 3%</a></li></ul></aside></main>
<footer>© {outlet} 2026</footer></body></html>"#
    )
}

/// Three outlets on the Vienna energy ministers' meeting (Thursday 12 March 2026, announced on
/// Monday 9 March); `c_day` is the weekday the third outlet gives.
fn vienna(c_day: &str) -> [(String, String); 3] {
    [
        (
            "Daily Example".into(),
            page(
                "Daily Example",
                "2026-03-09T08:00:00Z",
                "Energy ministers to meet in Vienna over gas price cap",
                &[
                    "European energy ministers will meet in Vienna on Thursday to agree a cap on gas prices, officials said on Monday.",
                    "The emergency meeting, called by the Austrian presidency, will bring together ministers from 27 countries as wholesale prices reached record highs.",
                    "Austria's energy minister Leonore Gewessler said the cap would protect households through the winter.",
                    "Industry groups warned that a cap could divert supplies of liquefied natural gas to Asian buyers.",
                ],
            ),
        ),
        (
            "Morning Post".into(),
            page(
                "Morning Post",
                "2026-03-09T10:00:00Z",
                "EU ministers gather in Vienna for gas price cap talks",
                &[
                    "EU energy ministers are to gather in Vienna on March 12 for emergency talks on a cap on gas prices, diplomats said.",
                    "The meeting in the Austrian capital follows weeks of record wholesale prices, and ministers from all 27 member states are expected.",
                    "Leonore Gewessler, Austria's energy minister, has pushed for the cap to protect households this winter.",
                    "Gas importers fear that a cap could send cargoes of liquefied natural gas to buyers in Asia instead.",
                ],
            ),
        ),
        (
            "Evening Star".into(),
            page(
                "Evening Star",
                "2026-03-09T12:00:00Z",
                "Vienna to host emergency energy meeting on gas prices",
                &[
                    &format!(
                        "Energy ministers will meet in Vienna on {c_day} to discuss a cap on gas prices, the Austrian presidency announced."
                    ),
                    "Ministers from 27 countries are expected at the emergency meeting after wholesale gas prices hit record highs.",
                    "Austrian energy minister Leonore Gewessler said a cap was needed to protect households during the winter.",
                    "Traders said a price cap risked diverting liquefied natural gas shipments to Asia.",
                ],
            ),
        ),
    ]
}

/// Similar topic, different event: Nordic ministers met in Oslo the Friday before.
fn distractor() -> String {
    page(
        "Nordic Wire",
        "2026-03-06T09:00:00Z",
        "Nordic energy ministers meet in Oslo over power prices",
        &[
            "Nordic energy ministers met in Oslo on Friday to discuss a cap on electricity prices for households, officials said.",
            "The meeting, hosted by Norway's energy minister Terje Aasland, brought together ministers from five countries as power prices rose.",
            "Aasland said exports of hydropower to the continent would be reviewed.",
            "Consumer groups called for direct support to households struggling with energy bills this winter.",
        ],
    )
}

fn claim_events(hook: &WebhookReceiver, kind: &str) -> Vec<Value> {
    hook.successful()
        .into_iter()
        .filter_map(|d| d.json)
        .filter(|j| j["type"] == kind)
        .collect()
}

fn story_with(stories: &Value, outlet: &str) -> Value {
    stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["outlets"].as_array().unwrap().iter().any(|o| o == outlet))
        .unwrap_or_else(|| panic!("no story with {outlet}: {stories:#}"))
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn conflict_is_reported_once_and_resolved_after_the_outlier_corrects() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    let outlets = vienna("Wednesday");
    let mut config = String::from("[fetch]\nper_host_delay = \"5ms\"\ntimeout = \"3s\"\n");
    for (i, (outlet, html)) in outlets.iter().enumerate() {
        let path = format!("/news/{i}");
        pages.set_page(&path, html);
        config += &format!(
            "\n[[source]]\nname = \"s{i}\"\nkind = \"page\"\nurl = \"{}\"\noutlet = \"{outlet}\"\n",
            pages.url(&path)
        );
    }
    pages.set_page("/nordic", &distractor());
    config += &format!(
        "\n[[source]]\nname = \"nordic\"\nkind = \"page\"\nurl = \"{}\"\noutlet = \"Nordic Wire\"\n",
        pages.url("/nordic")
    );
    config += &format!(
        "\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\nevents = [\"claim.conflict\", \"claim.resolved\"]\n",
        hook.url()
    );
    let app = App::new(&config);

    app.ok(&["check", "--all"]);
    hook.wait_for(1, Duration::from_secs(5)).await;
    let conflicts = claim_events(&hook, "claim.conflict");
    assert_eq!(conflicts.len(), 1, "one conflict: {conflicts:#?}");
    let c = &conflicts[0];
    assert!(hook.successful()[0].signature_valid);
    assert_eq!(c["slot"], "date");
    assert_eq!(c["outcome"], "conflict");
    assert!(c["severity"].as_f64().unwrap() > 0.2, "{c:#}");
    // Pages are checked concurrently: the conflict may be reported while only two outlets
    // are in, before a consensus exists; it is then not re-reported when the third arrives.
    let expl = c["explanation"].as_str().unwrap();
    assert!(
        expl.contains("Evening Star says Wednesday 11 Mar (2026-03-11)"),
        "{expl}"
    );
    assert!(expl.contains("Thursday 12 Mar (2026-03-12)"), "{expl}");
    let claims = c["claims"].as_array().unwrap();
    assert!(claims.len() >= 2, "{claims:#?}");
    let star = claims
        .iter()
        .find(|x| x["outlet"] == "Evening Star")
        .unwrap();
    assert_eq!(star["value"], "2026-03-11");
    assert_eq!(star["text"], "Wednesday");
    assert!(
        star["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Energy ministers will meet in Vienna on Wednesday")
    );
    assert!(star["article_url"].as_str().unwrap().ends_with("/news/2"));
    // The story it is about (outlets as of the report), never the Oslo meeting.
    let story_id = c["story"]["id"].as_i64().unwrap();
    let outlets_in: Vec<&str> = c["story"]["outlets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert!(outlets_in.contains(&"Evening Star"), "{outlets_in:?}");
    assert!(!outlets_in.contains(&"Nordic Wire"), "{outlets_in:?}");

    // The distractor is a story of its own.
    let stories = app.json(&["stories"]);
    assert_eq!(stories.as_array().unwrap().len(), 2, "{stories:#}");
    let nordic = story_with(&stories, "Nordic Wire");
    assert_eq!(nordic["article_count"], 1);
    let vienna_story = story_with(&stories, "Evening Star");
    assert_eq!(vienna_story["id"], story_id);
    assert_eq!(vienna_story["article_count"], 3);
    assert_eq!(vienna_story["open_conflicts"], 1);
    // With all three in, the stored finding names the consensus and the outlier.
    let s = app.json(&["story", &story_id.to_string()]);
    let f = &s["findings"][0];
    assert_eq!(f["slot"], "date");
    let expl = f["explanation"].as_str().unwrap();
    assert!(
        expl.contains("2 outlets (Daily Example, Morning Post): Thursday 12 Mar (2026-03-12); outlier: Evening Star says Wednesday 11 Mar (2026-03-11)"),
        "{expl}"
    );
    assert_eq!(
        f["finding"]["claims"].as_array().unwrap().len(),
        3,
        "each outlet once"
    );

    // Checking again (pages unchanged, and one outlet re-rendered with new furniture) never
    // re-emits the conflict.
    pages.set_page("/news/0", &outlets[0].1.replace("214 shares", "388 shares"));
    app.ok(&["check", "--all"]);
    app.ok(&["check", "--all"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(claim_events(&hook, "claim.conflict").len(), 1);
    assert!(claim_events(&hook, "claim.resolved").is_empty());

    // The outlier corrects itself: one resolution, pointing at the conflict it resolves.
    let fixed = vienna("Thursday");
    pages.set_page("/news/2", &fixed[2].1);
    app.ok(&["check", "--all"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    let resolved = claim_events(&hook, "claim.resolved");
    assert_eq!(resolved.len(), 1, "{resolved:#?}");
    let r = &resolved[0];
    assert_eq!(r["story"]["id"], story_id);
    assert_eq!(r["slot"], "date");
    assert_eq!(r["conflict_event"], c["id"]);
    assert!(
        r["reason"].as_str().unwrap().starts_with("now agree"),
        "{r:#}"
    );
    assert_eq!(r["now"]["outcome"], "agree");
    assert_eq!(r["previous"]["outcome"], "conflict");
    assert_eq!(claim_events(&hook, "claim.conflict").len(), 1);
    let s = app.json(&["story", &story_id.to_string()]);
    assert_eq!(s["story"]["open_conflicts"], 0);
    let reported = s["findings"].as_array().unwrap();
    assert_eq!(reported.len(), 1);
    assert!(reported[0]["resolved_at"].is_string());
    // The aligned table now shows three outlets agreeing on 12 March.
    let date = s["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["slots"].as_array().unwrap().iter())
        .find(|x| x["slot"] == "date")
        .unwrap();
    assert_eq!(date["outcome"], "agree");
    assert_eq!(date["claims"].as_array().unwrap().len(), 3);

    // Nothing more on another pass.
    app.ok(&["check", "--all"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hook.successful().len(), 2);
}

/// Writes the pages as files and ingests them in one call, one outlet per file.
fn ingest_files(app: &App, files: &[(&str, &str, &str)]) -> Value {
    let mut args = vec!["ingest".to_string()];
    for (name, _, html) in files {
        let p = app.path(name);
        std::fs::write(&p, html).unwrap();
        args.push(p.to_str().unwrap().to_string());
    }
    for (_, outlet, _) in files {
        args.push("--outlet".into());
        args.push(outlet.to_string());
    }
    args.push("--json".into());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = app.ok(&a);
    Value::Array(
        out.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

#[test]
fn manual_merge_and_split_stick_across_new_versions() {
    let app = App::new("");
    let v = vienna("Wednesday");
    let nordic = distractor();
    let res = ingest_files(
        &app,
        &[
            ("a.html", "Daily Example", &v[0].1),
            ("b.html", "Morning Post", &v[1].1),
            ("c.html", "Evening Star", &v[2].1),
            ("d.html", "Nordic Wire", &nordic),
        ],
    );
    let story: Vec<i64> = res
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["story"].as_i64().unwrap())
        .collect();
    assert_eq!(story[0], story[1]);
    assert_eq!(story[0], story[2]);
    assert_ne!(story[0], story[3], "the Oslo meeting is another story");
    let article_c = res[2]["outcome"]["article_id"].as_i64().unwrap();

    // Split the outlier out: its conflict goes with it (resolved: no longer compared).
    let out = app.json(&["story", "split", &article_c.to_string()]);
    let new_story = out["story"].as_i64().unwrap();
    assert_ne!(new_story, story[0]);
    let s = app.json(&["story", &story[0].to_string()]);
    assert_eq!(s["story"]["article_count"], 2);
    assert_eq!(s["story"]["open_conflicts"], 0);
    assert!(
        s["findings"][0]["resolved_at"].is_string(),
        "{:#}",
        s["findings"]
    );
    // A new version of the split article stays out.
    let c2 = v[2].1.replace("Traders said", "Gas traders said");
    let res = ingest_files(&app, &[("c.html", "Evening Star", &c2)]);
    assert_eq!(res[0]["outcome"]["result"], "changed");
    assert_eq!(res[0]["story"], new_story, "the split sticks");

    // Merge the Oslo story into the Vienna one; a new version of it stays merged.
    let out = app.json(&[
        "story",
        "merge",
        &story[0].to_string(),
        &story[3].to_string(),
    ]);
    assert_eq!(out["story"], story[0]);
    let d2 = nordic.replace("Consumer groups", "Consumer organisations");
    let res = ingest_files(&app, &[("d.html", "Nordic Wire", &d2)]);
    assert_eq!(res[0]["story"], story[0], "the merge sticks");
    let stories = app.json(&["stories"]);
    let ids: Vec<i64> = stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(
        !ids.contains(&story[3]),
        "the merged story is gone: {ids:?}"
    );
    assert_eq!(stories.as_array().unwrap().len(), 2);

    // Bad input names what was wrong.
    let out = app.run(&["story", "999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story 999"));
    let out = app.run(&["story", "merge", "1", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("itself"));
    let out = app.run(&["story", "merge", &story[0].to_string(), "4242"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story 4242"));
    let out = app.run(&["story", "split", "https://nowhere.example/x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article"));
    let out = app.run(&["story"]);
    assert_eq!(out.status.code(), Some(2));
    let a = app.path("a.html");
    let b = app.path("b.html");
    let out = app.run(&[
        "ingest",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        app.path("c.html").to_str().unwrap(),
        "--outlet",
        "X",
        "--outlet",
        "Y",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--outlet given 2 times for 3 files"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.run(&[
        "ingest",
        a.to_str().unwrap(),
        "--outlet",
        "X",
        "--at",
        "monday",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at \"monday\""));
    // Nothing stored was lost by the refusals.
    assert_eq!(app.json(&["articles"]).as_array().unwrap().len(), 4);
}

#[test]
fn seeds_form_one_story_with_the_paris_date_conflict() {
    let Some(fx) = shared_fixtures() else { return };
    let app = App::new("");
    let seeds = [
        ("000", "2026-01-02"),
        ("001", "2025-12-24"),
        ("002", "2026-01-09"),
        ("003", "2026-01-06"),
        ("004", "2026-01-03"),
    ];
    let dir = fx.join("seeds");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut args: Vec<String> = vec!["ingest".into()];
    for (prefix, _) in seeds {
        let n = names.iter().find(|n| n.starts_with(prefix)).unwrap();
        args.push(dir.join(n).to_str().unwrap().to_string());
    }
    for (prefix, day) in seeds {
        args.extend([
            "--outlet".into(),
            prefix.to_string(),
            "--at".into(),
            day.into(),
        ]);
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    app.ok(&a);

    // One story with all five.
    let stories = app.json(&["stories"]);
    assert_eq!(stories.as_array().unwrap().len(), 1, "{stories:#}");
    let st = &stories[0];
    assert_eq!(st["article_count"], 5);
    assert_eq!(
        st["outlets"],
        serde_json::json!(["000", "001", "002", "003", "004"])
    );
    assert_eq!(st["open_conflicts"], 1);
    let s = app.json(&["story", &st["id"].to_string()]);
    let slots: Vec<(&str, &Value)> = s["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            let ev = e["event"].as_str().unwrap();
            e["slots"].as_array().unwrap().iter().map(move |x| (ev, x))
        })
        .collect();
    let has = |x: &Value, outlet: &str, v: &str| {
        x["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["outlet"] == outlet && c["value"] == v)
    };
    let text_in = |x: &Value, t: &str| {
        x["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["text"].as_str().unwrap().contains(t))
    };
    // The Paris leaders' meeting: Monday 5 Jan in 004 vs Tuesday 6 Jan elsewhere; 004 the outlier.
    let (ev, paris) = slots
        .iter()
        .find(|(_, x)| x["slot"] == "date" && has(x, "004", "2026-01-05"))
        .expect("the Paris date is compared");
    assert!(ev.contains("Paris"), "{ev}");
    assert_eq!(paris["outcome"], "conflict");
    assert_eq!(paris["outlier"], "004");
    assert!(has(paris, "000", "2026-01-06") || has(paris, "003", "2026-01-06"));
    // The Kyiv advisers' meeting: 3 Jan by 000 and 004.
    let (ev, kyiv) = slots
        .iter()
        .find(|(_, x)| x["slot"] == "date" && has(x, "000", "2026-01-03"))
        .expect("the Kyiv date is compared");
    assert!(ev.contains("Kyiv"), "{ev}");
    assert_eq!(kyiv["outcome"], "agree");
    assert!(has(kyiv, "004", "2026-01-03"));
    // fifteen countries (Kyiv) and thirty-five delegations (Paris) are never compared.
    assert!(
        !slots
            .iter()
            .any(|(_, x)| text_in(x, "fifteen") && text_in(x, "thirty-five"))
    );
    // "more than 27 leaders", "about 30 countries", "dozens of countries": compatible.
    let (_, counts) = slots
        .iter()
        .find(|(_, x)| text_in(x, "more than 27"))
        .expect("the leaders count is compared");
    assert!(
        text_in(counts, "about 30") && text_in(counts, "ozens"),
        "{counts:#}"
    );
    assert_eq!(counts["outcome"], "compatible");
    // Nothing loud about 15 years vs decades.
    for (_, x) in slots
        .iter()
        .filter(|(_, x)| text_in(x, "15 years") || text_in(x, "decades"))
    {
        assert!(
            ["agree", "compatible", "refinement", "tension"]
                .contains(&x["outcome"].as_str().unwrap())
                && x["severity"].as_f64().unwrap() < 0.2,
            "{x:#}"
        );
    }
    // Exactly one claim.conflict was emitted, for the Paris date.
    let reported = s["findings"].as_array().unwrap();
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert_eq!(reported[0]["slot"], "date");
    assert!(
        reported[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("outlier: 004 says Monday 5 Jan (2026-01-05)")
    );
    let events = app.json(&["history"]);
    let conflicts = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "claim.conflict")
        .count();
    assert_eq!(conflicts, 1, "{events:#}");
    // Re-ingesting the same files re-emits nothing.
    app.ok(&a);
    let events = app.json(&["history"]);
    let conflicts = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "claim.conflict")
        .count();
    assert_eq!(conflicts, 1);
}
