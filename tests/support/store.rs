//! Helpers shared by the web tests (`tests/web.rs`, `tests/browser.rs`): a fixture store built
//! by ingesting made-up pages through the real pipeline, and a running `factdiff serve`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::common::app::App;

/// A running `factdiff serve`; killed on drop.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(app: &App) -> Server {
    let mut child = app
        .command(&["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    Server { child, base }
}

pub const HOSTILE_HEADLINE: &str = "Storm <script>alert(1)</script> kills dozens";

pub fn storm_page(deaths: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>{HOSTILE_HEADLINE} | Daily Example</title>
<meta property="article:published_time" content="2026-01-05T08:00:00Z"></head>
<body><main><article><h1>Storm &lt;script&gt;alert(1)&lt;/script&gt; kills dozens</h1>
<p>A storm hit the coast of Harwick on Monday morning. Officials said {deaths} people died in the town.</p>
<p>Roads were closed &lt;img src=x onerror=alert(2)&gt; and schools shut across the district.</p>
<p>The mayor asked residents to stay at home until the winds had eased.</p>
</article></main></body></html>"#
    )
}

pub fn news_page(outlet: &str, published: &str, headline: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="en"><head><title>{headline} | {outlet}</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="{published}"></head>
<body><main><article><h1>{headline}</h1>
{body}</article></main></body></html>"#
    )
}

/// One article in three versions (deaths 40 → 52 → 60), and three outlets on one meeting, the
/// third giving another day.
pub fn build_store(app: &App) {
    for (i, deaths) in ["40", "52", "60"].iter().enumerate() {
        std::fs::write(app.path(&format!("storm{i}.html")), storm_page(deaths)).unwrap();
    }
    app.ok(&[
        "ingest",
        "storm0.html",
        "storm1.html",
        "storm2.html",
        "--outlet",
        "Daily Example",
        "--url",
        "https://daily.example/storm",
        "--at",
        "2026-01-05T10:00:00Z",
        "--at",
        "2026-01-05T12:00:00Z",
        "--at",
        "2026-01-05T15:00:00Z",
    ]);
    let day = |d: &str| {
        [
            format!("European energy ministers will meet in Vienna on {d} to agree a cap on gas prices, officials said on Monday."),
            "The emergency meeting, called by the Austrian presidency, will bring together ministers from 27 countries as wholesale prices reached record highs.".to_string(),
            "Austria's energy minister Leonore Gewessler said the cap would protect households through the winter.".to_string(),
        ]
    };
    let outlets = [
        ("Morning Post", "2026-03-09T08:00:00Z", "Thursday"),
        ("Evening Star", "2026-03-09T09:00:00Z", "Thursday"),
        ("Noon Herald", "2026-03-09T10:00:00Z", "Friday"),
    ];
    let mut args: Vec<String> = vec!["ingest".into()];
    for (i, (o, p, d)) in outlets.iter().enumerate() {
        let paras = day(d);
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        let f = format!("vienna{i}.html");
        std::fs::write(
            app.path(&f),
            news_page(
                o,
                p,
                "Energy ministers to meet in Vienna over gas price cap",
                &refs,
            ),
        )
        .unwrap();
        args.push(f);
    }
    for (o, _, _) in &outlets {
        args.extend(["--outlet".into(), o.to_string()]);
    }
    for (_, p, _) in &outlets {
        args.extend(["--at".into(), p.to_string()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    app.ok(&refs);
}

pub async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

pub async fn json(url: &str) -> (u16, Value) {
    let r = get(url).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}
