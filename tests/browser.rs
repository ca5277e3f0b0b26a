//! The review UI in a real browser: Debian's headless Chromium, driven over WebDriver by
//! `chromedriver`, against `factdiff serve` over a store built by ingesting versions. A
//! reviewer follows a fact card to its side-by-side diff, sees the changed value highlighted
//! (the computed style, not just the markup), toggles the inline view, moves with j/k, and
//! opens a story and its conflict. Screenshots go to `target/screenshots/`. Skips with a
//! notice when chromium or chromedriver is absent (`.ci/run` installs them).

mod common;
mod support;

use std::path::PathBuf;

use common::app::{App, BIN};
use serde_json::json;
use support::store::{build_store, serve};
use support::webdriver::{Driver, Session, programs};

/// `target/screenshots/`, next to the binary under test (so `CARGO_TARGET_DIR` is honoured).
fn screenshots() -> PathBuf {
    let target = std::path::Path::new(BIN)
        .ancestors()
        .nth(2)
        .expect("the binary lives in target/<profile>/");
    target.join("screenshots")
}

/// The computed style of `prop` on the first element matching `css`.
async fn style(s: &Session, css: &str, prop: &str) -> String {
    let e = s.find(css).await;
    rgb(&s.css(&e, prop).await)
}

/// A colour as `rgb(r, g, b)`: WebDriver answers `rgba(…, 1)` where the page says `rgb(…)`.
fn rgb(c: &str) -> String {
    match c.strip_prefix("rgba(").and_then(|x| x.strip_suffix(", 1)")) {
        Some(inner) => format!("rgb({inner})"),
        None => c.to_string(),
    }
}

/// What `prop` computes to on a span of class `class` added to the current page: the
/// colour the stylesheet gives that role (light or dark), to compare real elements with.
async fn probe(s: &Session, class: &str, prop: &str) -> String {
    let v = s
        .script(&format!(
            "const p = document.createElement('span'); p.className = '{class}'; \
             document.body.appendChild(p); const c = getComputedStyle(p)['{prop}']; \
             p.remove(); return c;"
        ))
        .await;
    rgb(v.as_str().unwrap())
}

/// The highlight colour of a changed value.
async fn fact_colour(s: &Session) -> String {
    probe(s, "fact", "backgroundColor").await
}

async fn has_class(s: &Session, e: &support::webdriver::Element, class: &str) -> bool {
    s.attr(e, "class")
        .await
        .unwrap_or_default()
        .split_whitespace()
        .any(|c| c == class)
}

#[tokio::test]
async fn a_reviewer_follows_a_fact_card_to_its_diff_and_a_story_to_its_conflict() {
    let (chromium, chromedriver) = match programs() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("NOTICE: skipping the browser test: {why}");
            return;
        }
    };
    let app = App::new("");
    build_store(&app);
    let server = serve(&app);
    let b = &server.base;
    let shots = screenshots();
    let driver = Driver::start(&chromedriver).await;
    let s = driver.session(&chromium, 1280, 900).await;

    // the dashboard leads with fact cards, newest first: deaths 52 → 60
    s.goto(&format!("{b}/")).await;
    let cards = s.find_all("article.card.fact").await;
    assert_eq!(cards.len(), 2, "two fact changes on the dashboard");
    let card = &cards[0];
    assert_eq!(
        s.text(&s.find_in(card, ".values .before").await).await,
        "52"
    );
    assert_eq!(s.text(&s.find_in(card, ".values .after").await).await, "60");
    let before = s.find_in(card, ".values .before").await;
    assert_eq!(
        s.css(&before, "text-decoration-line").await,
        "line-through",
        "the old value is struck through"
    );
    // a card is a card: the value highlight must not paint the whole fact card
    assert_ne!(
        rgb(&s.css(card, "background-color").await),
        fact_colour(&s).await,
        "the fact card is not painted in the highlight colour"
    );
    assert_eq!(s.css(card, "font-weight").await, "400");
    s.screenshot(&shots.join("1-dashboard.png")).await;

    // follow the card to its side-by-side diff
    let link = s.find_in(card, "a.difflink").await;
    s.click(&link).await;
    let diff_path = s.path().await;
    assert!(
        diff_path.starts_with("/articles/") && diff_path.ends_with("/diff/2/3"),
        "{diff_path}"
    );
    s.find("table.diff.side").await;
    let fact = fact_colour(&s).await;
    let plain = style(&s, "body", "background-color").await;
    assert_ne!(fact, plain, "the fact colour stands out from the page");
    let new = s.find("table.diff.side td.new .fact.ins").await;
    assert_eq!(s.text(&new).await, "60");
    assert_eq!(
        rgb(&s.css(&new, "background-color").await),
        fact,
        "60 is highlighted"
    );
    assert_eq!(s.css(&new, "font-weight").await, "600");
    let old = s.find("table.diff.side td.old .fact.del").await;
    assert_eq!(s.text(&old).await, "52");
    assert_eq!(
        rgb(&s.css(&old, "background-color").await),
        fact,
        "52 is highlighted"
    );
    // the words around it are not
    let around = s
        .script(
            "const td = document.querySelector('table.diff.side td.new'); \
             return getComputedStyle(td).backgroundColor;",
        )
        .await;
    assert_ne!(rgb(around.as_str().unwrap()), fact);
    let facts = s.find("ul.facts li").await;
    assert!(s.text(&facts).await.contains("52 → 60"));
    s.screenshot(&shots.join("2-diff-side-by-side.png")).await;

    // inline and back
    s.click(&s.link("inline").await).await;
    assert!(s.path().await.contains("view=inline"));
    assert!(s.try_find("table.diff.side").await.is_none());
    let new = s.find("div.diff.inline .fact.ins").await;
    assert_eq!(
        (
            s.text(&new).await,
            rgb(&s.css(&new, "background-color").await)
        ),
        ("60".to_string(), fact.clone())
    );
    s.screenshot(&shots.join("3-diff-inline.png")).await;
    s.click(&s.link("side by side").await).await;
    s.find("table.diff.side").await;

    // j/k move the selection over the dashboard's items, ? shows the help, Enter opens
    s.goto(&format!("{b}/")).await;
    let items = s.find_all("[data-nav]").await;
    assert!(items.len() >= 3, "cards to move between");
    s.keys("j").await;
    assert!(has_class(&s, &items[0], "selected").await);
    assert_ne!(s.css(&items[0], "outline-style").await, "none");
    s.keys("jj").await;
    assert!(has_class(&s, &items[2], "selected").await);
    assert!(!has_class(&s, &items[0], "selected").await);
    s.keys("kk").await;
    assert!(has_class(&s, &items[0], "selected").await);
    assert_eq!(style(&s, "#help", "display").await, "none");
    s.keys("?").await;
    assert_eq!(style(&s, "#help", "display").await, "block");
    s.screenshot(&shots.join("4-dashboard-keyboard.png")).await;
    s.keys("\u{E00C}").await; // Escape
    assert_eq!(style(&s, "#help", "display").await, "none");
    s.keys("\u{E007}").await; // Enter: the selected card's first link, its permalink
    s.wait_for(
        "the fact page",
        "return location.pathname.startsWith('/facts/');",
    )
    .await;
    assert!(
        s.text(&s.find("main").await)
            .await
            .contains("deaths over versions")
    );
    s.screenshot(&shots.join("5-fact.png")).await;

    // a story of three outlets, its outcome table, and its conflict
    s.goto(&format!("{b}/")).await;
    let conflict = s.find("article.card.conflict").await;
    let story_link = s.find_in(&conflict, "footer a[href^='/stories/']").await;
    s.click(&story_link).await;
    assert!(s.path().await.starts_with("/stories/"));
    let outcome = s.find("table.matrix td.outcome.conflict").await;
    assert_eq!(s.text(&outcome).await, "conflict");
    assert_eq!(
        rgb(&s.css(&outcome, "color").await),
        probe(&s, "bad", "color").await,
        "the conflicting outcome is shown in the warning colour"
    );
    let who = s.text(&s.find("table.list").await).await;
    for o in ["Morning Post", "Evening Star", "Noon Herald"] {
        assert!(who.contains(o), "{o} among who reported what:\n{who}");
    }
    // the disagreeing slot: one row per outlet (the wire copy counts with its original)
    let matrix = s.text(&s.find("table.matrix").await).await;
    assert!(
        matrix.contains("Noon Herald 2026-03-13") && matrix.contains("Morning Post 2026-03-12"),
        "{matrix}"
    );
    s.screenshot(&shots.join("6-story.png")).await;
    let permalink = s.find("article.card.conflict a.permalink").await;
    s.click(&permalink).await;
    assert!(s.path().await.starts_with("/conflicts/"));
    let sentences = s.text(&s.find("main").await).await;
    assert!(
        sentences.contains("Noon Herald") && sentences.contains("Friday"),
        "{sentences}"
    );
    s.screenshot(&shots.join("7-conflict.png")).await;

    // dark mode follows the system
    s.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": "dark" }] }),
    )
    .await;
    s.goto(&format!("{b}{diff_path}")).await;
    assert_eq!(
        style(&s, "body", "background-color").await,
        "rgb(13, 17, 23)"
    );
    let dark_fact = fact_colour(&s).await;
    assert_ne!(dark_fact, fact);
    let new = s.find("table.diff.side td.new .fact.ins").await;
    assert_eq!(rgb(&s.css(&new, "background-color").await), dark_fact);
    s.screenshot(&shots.join("8-diff-dark.png")).await;
    s.quit().await;
    eprintln!("screenshots in {}", shots.display());
}
