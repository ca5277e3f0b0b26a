//! Cross-outlet comparison on paraphrased reporting, end to end through the real binary: four
//! outlets report one warehouse fire in their own words; one credits the fire officer's
//! quotation to somebody else, another puts the fire in another town. Exactly those two
//! `claim.conflict` events reach a real webhook receiver: none for compatible phrasings
//! ("about 60" / "more than 50" firefighters, "Tuesday" / "on Tuesday night"), none for the
//! background fire of 2019.

mod common;

use std::time::Duration;

use common::app::App;
use common::{PageServer, WebhookReceiver};
use serde_json::Value;

const SECRET: &str = "whsec_Yx8c2k1Qm9PzTr4vWb6nLs3Hd7Fg5Jk0";

fn page(outlet: &str, published: &str, headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>{headline} | {outlet}</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="{published}"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article><h1>{headline}</h1>
{body}</article><aside class="related"><h2>Most read</h2><ul><li><a href="/x">Council tax to rise 5%</a></li></ul></aside></main>
<footer>© {outlet}</footer></body></html>"#
    )
}

fn outlets() -> Vec<(&'static str, String)> {
    vec![
        (
            "North Wales Echo",
            page(
                "North Wales Echo",
                "2026-03-11T07:00:00Z",
                "Huge warehouse fire on Wrexham industrial estate",
                &[
                    "A huge fire destroyed a furniture warehouse on an industrial estate in Wrexham on Tuesday night.",
                    "About 60 firefighters fought the blaze, which sent thick smoke across the town.",
                    "\"The building was fully alight when our crews arrived and the roof had already collapsed,\" said station manager Carys Hughes.",
                    "Two workers were treated for smoke inhalation at the scene.",
                    "In 2019 a fire at another unit on the same estate injured five workers.",
                    "North Wales Fire and Rescue Service said the cause of the fire at the furniture warehouse was being investigated.",
                    "Residents near the industrial estate were told to keep their windows and doors closed because of the smoke.",
                ],
            ),
        ),
        (
            "Cymru Daily",
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
        (
            "Valleys Post",
            page(
                "Valleys Post",
                "2026-03-11T10:00:00Z",
                "Night-time blaze destroys furniture warehouse",
                &[
                    "A blaze destroyed a furniture warehouse on an industrial estate in Mold on Tuesday night.",
                    "Around 60 firefighters were called to the fire, and smoke could be seen for miles.",
                    "Two workers were treated for smoke inhalation, the fire service said.",
                    "A fire on the same estate in 2019 left five workers injured.",
                    "The cause of the fire at the warehouse is under investigation, North Wales Fire and Rescue Service said.",
                    "Nearby residents were told to keep windows and doors closed as smoke spread from the industrial estate.",
                ],
            ),
        ),
    ]
}

fn claim_events(hook: &WebhookReceiver) -> Vec<Value> {
    hook.successful()
        .into_iter()
        .filter_map(|d| d.json)
        .filter(|j| j["type"] == "claim.conflict")
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_misattributed_quote_and_another_town_are_the_two_conflicts() {
    let pages = PageServer::start().await;
    let hook = WebhookReceiver::start(SECRET).await;
    let mut config = String::from("[fetch]\nper_host_delay = \"5ms\"\ntimeout = \"3s\"\n");
    for (i, (outlet, html)) in outlets().iter().enumerate() {
        let path = format!("/news/{i}");
        pages.set_page(&path, html);
        config += &format!(
            "\n[[source]]\nname = \"s{i}\"\nkind = \"page\"\nurl = \"{}\"\noutlet = \"{outlet}\"\n",
            pages.url(&path)
        );
    }
    config += &format!(
        "\n[[notify.webhook]]\nname = \"desk\"\nurl = \"{}\"\nsecret = \"{SECRET}\"\nevents = [\"claim.conflict\"]\n",
        hook.url()
    );
    let app = App::new(&config);
    app.ok(&["check", "--all"]);
    hook.wait_for(2, Duration::from_secs(5)).await;
    // a second pass changes nothing and reports nothing again
    app.ok(&["check", "--all"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let conflicts = claim_events(&hook);
    let slots: Vec<&str> = conflicts
        .iter()
        .map(|c| c["slot"].as_str().unwrap())
        .collect();
    assert_eq!(conflicts.len(), 2, "exactly two conflicts: {conflicts:#?}");
    assert!(hook.successful().iter().all(|d| d.signature_valid));

    let quote = conflicts
        .iter()
        .find(|c| c["slot"] == "quote speaker")
        .unwrap_or_else(|| panic!("a quote-speaker conflict: {slots:?}"));
    let expl = quote["explanation"].as_str().unwrap();
    assert!(
        expl.contains("one quotation cannot have two speakers"),
        "{expl}"
    );
    let speakers: Vec<&str> = quote["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(speakers.iter().any(|s| s.contains("Pryce")), "{speakers:?}");
    assert!(
        speakers.iter().any(|s| s.contains("Hughes")),
        "{speakers:?}"
    );

    let place = conflicts
        .iter()
        .find(|c| c["slot"] == "place")
        .unwrap_or_else(|| panic!("a place conflict: {slots:?}"));
    let values: Vec<&str> = place["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert!(
        values.contains(&"Mold") && values.contains(&"Wrexham"),
        "{values:?}"
    );
    assert!(
        place["explanation"]
            .as_str()
            .unwrap()
            .contains("Valleys Post: “A blaze destroyed"),
        "{place:#}"
    );

    // the story view shows the event table with the outlier marked
    let out = app.ok(&["stories", "--json"]);
    let stories: Value = serde_json::from_str(&out).unwrap();
    let id = stories[0]["id"].as_i64().unwrap();
    let shown = app.ok(&["story", &id.to_string()]);
    assert!(shown.contains("OUTLET"), "{shown}");
    assert!(shown.contains("Mold ✗"), "{shown}");
}
