//! The web UI, JSON API and Atom feeds end to end: stores are built by ingesting pages through
//! the real pipeline (`factdiff ingest`), then the real `factdiff serve` answers HTTP on a
//! local port. Checked: every endpoint against the OpenAPI document, filters, cursor pages
//! that stay put while rows arrive, bad parameters, the token on and off, hostile article
//! text rendered inert in every page and feed, and feeds parsed by an independent parser
//! (`feed-rs`) with ids stable across restarts. All story text is made up.

mod common;
mod support;

use common::app::App;
use serde_json::Value;
use support::store::{build_store, get, json, serve};

/// Checks a 200 response of `api_path` (as written in the document) against its schema.
fn conforms(doc: &Value, api_path: &str, v: &Value) {
    let schema = factdiff::web::openapi::response_schema(doc, api_path)
        .unwrap_or_else(|| panic!("{api_path} is not in the OpenAPI document"));
    if let Err(e) = factdiff::web::openapi::check(doc, schema, v, "$") {
        panic!("{api_path} does not match the OpenAPI document: {e}\n{v:#}");
    }
}

#[tokio::test]
async fn api_endpoints_filters_exports_and_errors() {
    let app = App::new("");
    build_store(&app);
    let s = serve(&app);
    let b = &s.base;
    assert_eq!(get(&format!("{b}/healthz")).await.status(), 200);
    let (st, doc) = json(&format!("{b}/api/v1/openapi.json")).await;
    assert_eq!((st, doc["openapi"].as_str()), (200, Some("3.0.3")));

    // fact changes: two (40 → 52, 52 → 60), newest first, the webhook item's fields
    let (st, facts) = json(&format!("{b}/api/v1/facts")).await;
    assert_eq!(st, 200);
    conforms(&doc, "/facts", &facts);
    assert_eq!(facts["total"], 2);
    let f = &facts["items"][0];
    assert_eq!(
        (f["slot"].as_str(), f["label"].as_str()),
        (Some("deaths"), Some("update"))
    );
    assert_eq!(
        (f["before"]["text"].as_str(), f["after"]["text"].as_str()),
        (Some("52"), Some("60"))
    );
    assert_eq!(
        (f["from_version"].as_i64(), f["to_version"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(f["article"]["outlet"], "Daily Example");
    let article = f["article"]["id"].as_i64().unwrap();
    let fact_id = f["id"].as_i64().unwrap();
    // the same item as the fact.changed event carries
    let (_, ev) = json(&format!(
        "{b}/api/v1/events/{}",
        f["event_id"].as_str().unwrap()
    ))
    .await;
    conforms(&doc, "/events/{id}", &ev);
    assert_eq!(ev["facts"][0]["after"], f["after"]);
    let (st, one) = json(&format!("{b}/api/v1/facts/{fact_id}")).await;
    assert_eq!(st, 200);
    conforms(&doc, "/facts/{id}", &one);

    // filters
    for (q, n) in [
        ("label=update", 2),
        ("label=correction", 0),
        ("kind=quantity", 2),
        ("kind=quote", 0),
        ("outlet=Daily%20Example", 2),
        ("outlet=Nobody", 0),
        (&format!("article={article}") as &str, 2),
        ("since=2026-01-05T13:00:00Z", 1),
        ("until=2026-01-05T13:00:00Z", 1),
        ("since=2030-01-01", 0),
    ] {
        let (st, v) = json(&format!("{b}/api/v1/facts?{q}")).await;
        assert_eq!((st, v["total"].as_i64()), (200, Some(n)), "facts?{q}: {v}");
    }
    for (q, n) in [
        ("q=storm", 1),
        ("q=VIENNA", 3),
        ("q=nothing-like-it", 0),
        ("q=gas%20price", 3),
        ("outlet=Noon%20Herald", 1),
    ] {
        let (_, v) = json(&format!("{b}/api/v1/articles?{q}")).await;
        assert_eq!(v["total"], n, "articles?{q}");
    }

    // every other endpoint answers in its documented shape
    for (path, doc_path) in [
        ("/articles".to_string(), "/articles"),
        (format!("/articles/{article}"), "/articles/{id}"),
        (
            format!("/articles/{article}/versions"),
            "/articles/{id}/versions",
        ),
        (
            format!("/articles/{article}/versions/2"),
            "/articles/{id}/versions/{seq}",
        ),
        (
            format!("/articles/{article}/diff?from=1&to=3"),
            "/articles/{id}/diff",
        ),
        ("/events?type=fact.changed".to_string(), "/events"),
        ("/stories".to_string(), "/stories"),
        ("/conflicts".to_string(), "/conflicts"),
        ("/sources".to_string(), "/sources"),
        ("/deliveries".to_string(), "/deliveries"),
    ] {
        let (st, v) = json(&format!("{b}/api/v1{path}")).await;
        assert_eq!(st, 200, "{path}: {v}");
        conforms(&doc, doc_path, &v);
    }
    let (_, d) = json(&format!("{b}/api/v1/articles/{article}/diff?from=1&to=3")).await;
    assert_eq!(d["facts"][0]["before"]["text"], "40");
    assert_eq!(d["facts"][0]["after"]["text"], "60");
    let (_, ev) = json(&format!("{b}/api/v1/events?type=fact.changed")).await;
    assert_eq!(ev["total"], 2);

    // the story of three outlets and its conflict
    let (_, stories) = json(&format!("{b}/api/v1/stories")).await;
    let vienna = stories["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["outlets"].as_array().unwrap().len() == 3)
        .unwrap_or_else(|| panic!("no story of three outlets: {stories}"));
    let story = vienna["id"].as_i64().unwrap();
    let (st, detail) = json(&format!("{b}/api/v1/stories/{story}")).await;
    assert_eq!(st, 200);
    conforms(&doc, "/stories/{id}", &detail);
    let (_, conflicts) = json(&format!("{b}/api/v1/conflicts?story={story}&status=open")).await;
    assert!(conflicts["total"].as_i64().unwrap() >= 1, "{conflicts}");
    let c = &conflicts["items"][0];
    assert!(
        c["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|cl| cl["outlet"] == "Noon Herald")
    );
    let (st, one) = json(&format!("{b}/api/v1/conflicts/{}", c["id"])).await;
    assert_eq!(st, 200);
    conforms(&doc, "/conflicts/{id}", &one);
    let (_, none) = json(&format!("{b}/api/v1/conflicts?status=resolved")).await;
    assert_eq!(none["total"], 0);

    // exports
    let r = get(&format!("{b}/api/v1/facts.csv?label=update")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("id,created_at,article_id,outlet"));
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].contains(",52,") && lines[1].contains(",60,"),
        "{csv}"
    );
    let jsonl = get(&format!("{b}/api/v1/facts.jsonl"))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], facts["items"][0]);
    let ccsv = get(&format!("{b}/api/v1/conflicts.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(ccsv.contains("Noon Herald"), "{ccsv}");
    let cjsonl = get(&format!("{b}/api/v1/conflicts.jsonl"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(cjsonl.lines().count() as i64, {
        let (_, all) = json(&format!("{b}/api/v1/conflicts")).await;
        all["total"].as_i64().unwrap()
    });

    // bad parameters and unknown ids: 4xx JSON naming what was wrong
    for (q, status, param) in [
        ("/facts?cursor=bm9wZQ", 400, Some("cursor")),
        ("/facts?since=last%20week", 400, Some("since")),
        ("/facts?label=typo", 400, Some("label")),
        ("/facts?outlett=x", 400, Some("outlett")),
        ("/facts?limit=0", 400, Some("limit")),
        // a search needs a trigram: shorter texts would scan every article
        ("/articles?q=ab", 400, Some("q")),
        ("/articles/abc", 400, Some("id")),
        (
            &format!("/articles/{article}/diff?to=0") as &str,
            400,
            Some("to"),
        ),
        // a version the article does not have is unknown, as /versions/9 is
        (&format!("/articles/{article}/diff?to=9"), 404, None),
        // the API takes values as the document says: no empty ones, no paging of exports
        ("/conflicts?status=", 400, Some("status")),
        ("/facts.csv?limit=5", 400, Some("limit")),
        ("/articles/999999", 404, None),
        ("/facts/999999", 404, None),
        ("/conflicts/999999", 404, None),
        ("/stories/999999", 404, None),
        ("/events/nope", 404, None),
        ("/no-such-endpoint", 404, None),
    ] {
        let (st, v) = json(&format!("{b}/api/v1{q}")).await;
        assert_eq!(st, status, "{q}: {v}");
        assert_eq!(v["error"]["status"], status, "{q}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        if let Some(p) = param {
            assert_eq!(v["error"]["parameter"], p, "{q}: {v}");
        }
        conforms_error(&doc, &v);
    }
}

fn conforms_error(doc: &Value, v: &Value) {
    let schema = serde_json::json!({ "$ref": "#/components/schemas/Error" });
    factdiff::web::openapi::check(doc, &schema, v, "$").unwrap();
}

#[tokio::test]
async fn cursor_pages_stay_put_while_articles_arrive() {
    let app = App::new("");
    for i in 0..5 {
        std::fs::write(
            app.path(&format!("a{i}.txt")),
            format!("Item {i} of the series\n\nThe council met {i} times this year to discuss the budget."),
        )
        .unwrap();
    }
    app.ok(&[
        "ingest", "a0.txt", "a1.txt", "a2.txt", "a3.txt", "a4.txt", "--outlet", "Gazette",
    ]);
    let s = serve(&app);
    let b = &s.base;
    let (_, p1) = json(&format!("{b}/api/v1/articles?limit=2")).await;
    assert_eq!(
        (p1["total"].as_i64(), p1["items"].as_array().unwrap().len()),
        (Some(5), 2)
    );
    // two more arrive while the client pages
    for i in 5..7 {
        std::fs::write(
            app.path(&format!("a{i}.txt")),
            format!("Late item {i}\n\nThe council met again, {i} days after the vote."),
        )
        .unwrap();
        app.ok(&["ingest", &format!("a{i}.txt"), "--outlet", "Gazette"]);
    }
    let mut seen: Vec<i64> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    let mut next = p1["next"].as_str().map(String::from);
    while let Some(n) = next {
        let (st, p) = json(&format!("{b}{n}")).await;
        assert_eq!(st, 200);
        assert_eq!(p["total"], 5, "the total of a traversal stays put");
        seen.extend(
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_i64().unwrap()),
        );
        next = p["next"].as_str().map(String::from);
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seen:?}"
    );
    let (_, fresh) = json(&format!("{b}/api/v1/articles?limit=2")).await;
    assert_eq!(fresh["total"], 7);
    assert!(fresh["items"][0]["id"].as_i64().unwrap() > seen[0]);
    // events page the same way
    let (_, e1) = json(&format!("{b}/api/v1/events?type=article.new&limit=3")).await;
    assert_eq!(e1["total"], 7);
    let (_, e2) = json(&format!("{b}{}", e1["next"].as_str().unwrap())).await;
    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(&e1).iter().all(|i| !ids(&e2).contains(i)));
}

#[tokio::test]
async fn token_guards_everything_but_healthz_and_feeds_take_the_feed_token() {
    let app = App::new("[web]\ntoken = \"main-secret\"\nfeed_token = \"feed-secret\"\n");
    build_store(&app);
    let s = serve(&app);
    let b = &s.base;
    let c = reqwest::Client::new();
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(get(&format!("{b}/healthz")).await), 200);
    assert_eq!(status(get(&format!("{b}/static/app.css")).await), 200);
    for p in [
        "/api/v1/facts",
        "/",
        "/facts",
        "/articles/1",
        "/api/v1/openapi.json",
    ] {
        let r = get(&format!("{b}{p}")).await;
        assert_eq!(r.status(), 401, "{p} without a token");
        assert!(r.headers().contains_key("www-authenticate"));
        let r = c
            .get(format!("{b}{p}"))
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{p} with a wrong token");
        let r = c
            .get(format!("{b}{p}"))
            .bearer_auth("main-secret")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{p} with the token");
        // the feed token opens feeds only
        let r = c
            .get(format!("{b}{p}?token=feed-secret"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{p} with the feed token");
    }
    let feed = format!("{b}/feeds/facts.atom");
    assert_eq!(status(get(&feed).await), 401);
    assert_eq!(status(get(&format!("{feed}?token=nope")).await), 401);
    assert_eq!(status(get(&format!("{feed}?token=feed-secret")).await), 200);
    assert_eq!(
        status(
            c.get(&feed)
                .bearer_auth("main-secret")
                .send()
                .await
                .unwrap()
        ),
        200
    );
    // a browser signs in once and then browses with the cookie
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = browser
        .post(format!("{b}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("token=main-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    let r = browser
        .get(format!("{b}/facts"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = browser
        .post(format!("{b}/login"))
        .body("token=guess")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn without_a_token_everything_is_open_and_hardened() {
    let app = App::new("");
    build_store(&app);
    let s = serve(&app);
    let r = get(&format!("{}/", s.base)).await;
    assert_eq!(r.status(), 200);
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    // a large body is refused before any handler reads it
    let big = "token=".to_string() + &"x".repeat(64 * 1024);
    let r = reqwest::Client::new()
        .post(format!("{}/login", s.base))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

/// Every page and feed that shows the hostile headline or text.
fn hostile_urls(article: i64, story: i64, fact: i64) -> Vec<String> {
    vec![
        "/".into(),
        "/facts".into(),
        format!("/facts/{fact}"),
        "/articles".into(),
        "/articles?q=storm".into(),
        format!("/articles/{article}"),
        format!("/articles/{article}/versions/1"),
        format!("/articles/{article}/versions/3"),
        format!("/articles/{article}/diff/1/3"),
        format!("/articles/{article}/diff/1/3?view=inline&all=1"),
        "/stories".into(),
        format!("/stories/{story}"),
        "/conflicts".into(),
        "/feeds/facts.atom".into(),
        format!("/feeds/articles/{article}.atom"),
        "/feeds/outlets/Daily%20Example.atom".into(),
    ]
}

#[tokio::test]
async fn hostile_article_text_renders_inert_in_every_page_and_feed() {
    let app = App::new("");
    build_store(&app);
    let s = serve(&app);
    let b = &s.base;
    let (_, facts) = json(&format!("{b}/api/v1/facts")).await;
    let f = &facts["items"][0];
    assert!(
        f["article"]["headline"]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")
    );
    let article = f["article"]["id"].as_i64().unwrap();
    let (_, sto) = json(&format!("{b}/api/v1/articles/{article}")).await;
    let story = sto["story"].as_i64().unwrap();
    let mut shown = 0;
    for u in hostile_urls(article, story, f["id"].as_i64().unwrap()) {
        let r = get(&format!("{b}{u}")).await;
        assert_eq!(r.status(), 200, "{u}");
        let body = r.text().await.unwrap();
        for raw in ["<script>alert", "<img src=x onerror"] {
            assert!(!body.contains(raw), "{u} contains {raw:?} unescaped");
        }
        assert!(!body.contains("<script>"), "{u} has an inline script tag");
        // askama writes &#60;, our XML writer &lt; (and &amp;lt; inside Atom's escaped HTML)
        if ["&#60;script&#62;alert(1)", "&lt;script&gt;alert(1)"]
            .iter()
            .any(|e| body.contains(e))
        {
            shown += 1;
        }
    }
    assert!(
        shown >= 10,
        "the hostile headline should show, escaped, on most pages ({shown})"
    );
    // the raw page is served as inert text
    let r = get(&format!("{b}/articles/{article}/versions/1/raw")).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("sandbox;") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    // feed readers see the headline as text
    let xml = get(&format!("{b}/feeds/articles/{article}.atom"))
        .await
        .bytes()
        .await
        .unwrap();
    let feed = feed_rs::parser::parse(&xml[..]).unwrap();
    let title = &feed.entries[0].title.as_ref().unwrap().content;
    assert!(title.contains("<script>alert(1)</script>"), "{title}");
}

fn entry_ids(xml: &[u8]) -> Vec<String> {
    feed_rs::parser::parse(xml)
        .unwrap()
        .entries
        .iter()
        .map(|e| e.id.clone())
        .collect()
}

#[tokio::test]
async fn feeds_parse_page_and_keep_their_ids_across_restarts() {
    let app = App::new("");
    build_store(&app);
    let (facts_xml, conflicts_xml, article) = {
        let s = serve(&app);
        let b = &s.base;
        let (_, facts) = json(&format!("{b}/api/v1/facts")).await;
        let article = facts["items"][0]["article"]["id"].as_i64().unwrap();
        let r = get(&format!("{b}/feeds/facts.atom")).await;
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let xml = r.bytes().await.unwrap().to_vec();
        let feed = feed_rs::parser::parse(&xml[..]).unwrap();
        assert_eq!(feed.entries.len(), 2);
        assert!(feed.id.starts_with("tag:"));
        assert!(feed.links.iter().any(|l| l.rel.as_deref() == Some("self")));
        let e = &feed.entries[0];
        assert!(
            e.id.starts_with("tag:factdiff.invalid,2026:fact/"),
            "{}",
            e.id
        );
        assert!(e.updated.is_some());
        let content = e.content.as_ref().unwrap().body.as_deref().unwrap();
        assert!(
            content.contains("52") && content.contains("60"),
            "{content}"
        );
        let link = &e.links[0].href;
        assert!(
            link.contains(&format!("/articles/{article}/diff/2/3")),
            "{link}"
        );
        assert_eq!(get(link).await.status(), 200, "the entry's diff link works");
        // RFC 5005: one entry a page, rel=next leads to the older one
        let first = feed_rs::parser::parse(
            &get(&format!("{b}/feeds/facts.atom?limit=1"))
                .await
                .bytes()
                .await
                .unwrap()[..],
        )
        .unwrap();
        assert_eq!(first.entries.len(), 1);
        let next = first
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("next"))
            .expect("rel=next")
            .href
            .clone();
        let older = entry_ids(&get(&next).await.bytes().await.unwrap());
        assert_eq!(older, vec![feed.entries[1].id.clone()]);
        let conflicts = get(&format!("{b}/feeds/conflicts.atom"))
            .await
            .bytes()
            .await
            .unwrap()
            .to_vec();
        assert!(!entry_ids(&conflicts).is_empty());
        let (_, st) = json(&format!("{b}/api/v1/articles/{article}")).await;
        for u in [
            format!("/feeds/articles/{article}.atom"),
            "/feeds/outlets/Daily%20Example.atom".to_string(),
            format!("/feeds/stories/{}.atom", st["story"]),
        ] {
            let r = get(&format!("{b}{u}")).await;
            assert_eq!(r.status(), 200, "{u}");
            feed_rs::parser::parse(&r.bytes().await.unwrap()[..]).unwrap();
        }
        assert_eq!(
            get(&format!("{b}/feeds/articles/999.atom")).await.status(),
            404
        );
        (xml, conflicts, article)
    };
    let s = serve(&app);
    let again = get(&format!("{}/feeds/facts.atom", s.base))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(entry_ids(&again), entry_ids(&facts_xml));
    let again = get(&format!("{}/feeds/conflicts.atom", s.base))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(entry_ids(&again), entry_ids(&conflicts_xml));
    assert!(article > 0);
}

#[tokio::test]
async fn pages_show_cards_diffs_and_stories() {
    let app = App::new("");
    build_store(&app);
    let s = serve(&app);
    let b = &s.base;
    let home = get(&format!("{b}/")).await.text().await.unwrap();
    assert!(
        home.contains("class=\"card fact l-update\""),
        "a fact card on the dashboard"
    );
    assert!(home.contains("<svg class=\"chart\""));
    assert!(home.contains("/static/app.js"));
    let (_, facts) = json(&format!("{b}/api/v1/facts")).await;
    let diff = facts["items"][0]["links"]["diff"].as_str().unwrap();
    assert!(home.contains(diff), "the card links to its diff");
    let page = get(&format!("{b}{diff}")).await.text().await.unwrap();
    assert!(
        page.contains("<span class=\"fact del\">52</span>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"fact ins\">60</span>"));
    let inline = get(&format!("{b}{diff}?view=inline"))
        .await
        .text()
        .await
        .unwrap();
    assert!(inline.contains("class=\"diff inline\"") && inline.contains("fact ins"));
    // a diff of two stored versions is revalidated by its ETag: a client that holds it gets
    // a bodiless 304, another view of the same pair has its own tag
    let c = reqwest::Client::new();
    let mut tags = Vec::new();
    for url in [format!("{b}{diff}"), format!("{b}{diff}?view=inline")] {
        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["cache-control"], "private, no-cache");
        let tag = r.headers()["etag"].to_str().unwrap().to_string();
        let again = c
            .get(&url)
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{url}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = c
            .get(&url)
            .header("if-none-match", "\"d0000000000000000\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200);
        tags.push(tag);
    }
    assert_ne!(tags[0], tags[1]);
    // the API's diff too
    let parts: Vec<&str> = diff.rsplitn(3, '/').collect();
    let (to, from, prefix) = (parts[0], parts[1], parts[2]);
    let url = format!("{b}/api/v1{prefix}?from={from}&to={to}");
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let tag = r.headers()["etag"].to_str().unwrap().to_string();
    assert!(!tags.contains(&tag), "JSON and HTML have their own tags");
    let again = c.get(&url).header("if-none-match", &tag).send().await;
    assert_eq!(again.unwrap().status(), 304);
    // the timeline's form redirects to the permanent diff URL
    let article = facts["items"][0]["article"]["id"].as_i64().unwrap();
    let r = get(&format!("{b}/articles/{article}/diff?from=1&to=3")).await;
    assert!(
        r.url()
            .path()
            .ends_with(&format!("/articles/{article}/diff/1/3"))
    );
    let (_, st) = json(&format!("{b}/api/v1/articles/{article}")).await;
    let (_, stories) = json(&format!("{b}/api/v1/stories")).await;
    let vienna = stories["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] != st["story"])
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let story = get(&format!("{b}/stories/{vienna}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(story.contains("class=\"matrix\"") && story.contains("Noon Herald"));
    assert!(
        story.contains("class=\"outcome conflict\""),
        "the conflicting slot's outcome is shown"
    );
    assert!(story.contains("2026-03-13") && story.contains("2026-03-12"));
    let fact = get(&format!("{b}/facts/{}", facts["items"][0]["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        fact.contains("deaths over versions"),
        "the value's history chart"
    );
    for (u, code) in [
        ("/facts?label=typo", 400),
        ("/articles/77777", 404),
        ("/nothing", 404),
    ] {
        assert_eq!(get(&format!("{b}{u}")).await.status(), code, "{u}");
    }
}
