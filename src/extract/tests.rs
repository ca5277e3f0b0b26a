use super::*;

const PAGE_V1: &str = r#"<!doctype html><html lang="en"><head><title>Flood toll rises | Daily</title>
<meta property="og:title" content="Flood toll rises to 40">
<meta property="article:published_time" content="2026-01-05T08:00:00Z">
<link rel="canonical" href="/news/flood"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Flood toll rises to 40</h1><p class="byline">By Ann Lee</p>
<p>At least 40 people have died after floods swept through the valley on Sunday, officials said.</p>
<p>Rescue teams are still searching villages cut off by the water, the regional governor told reporters.</p>
<p>The weather service expects more rain on Tuesday and has issued a warning for the whole province.</p>
</article><footer>© Daily 2026</footer></body></html>"#;

#[test]
fn html_article_fields() {
    let a = extract_html(
        PAGE_V1,
        Some("https://daily.example/news/flood?utm_source=x"),
    )
    .unwrap();
    assert_eq!(a.headline.as_deref(), Some("Flood toll rises to 40"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some("https://daily.example/news/flood")
    );
    assert_eq!(a.lang.as_deref(), Some("en"));
    assert_eq!(
        a.published.unwrap().to_rfc3339(),
        "2026-01-05T08:00:00+00:00"
    );
    assert_eq!(a.paragraphs.len(), 3, "{:?}", a.paragraphs);
    assert!(a.paragraphs[0].starts_with("At least 40 people"));
    assert!(a.method.starts_with("html:"));
}

#[test]
fn cosmetic_variants_hash_equal() {
    let v2 = PAGE_V1
        .replace("officials said.", "officials  said.")
        .replace("the regional governor", "the regional&nbsp;governor")
        .replace("<p>At least", "<p>\n  At least");
    let a = extract_html(PAGE_V1, None).unwrap();
    let b = extract_html(&v2, None).unwrap();
    assert_eq!(a.content_hash(), b.content_hash());
    let c = extract_html(&PAGE_V1.replace("At least 40", "At least 52"), None).unwrap();
    assert_ne!(a.content_hash(), c.content_hash());
}

#[test]
fn dispatch_by_type() {
    assert!(looks_like_html(None, "<!DOCTYPE html><html>"));
    assert!(!looks_like_html(None, "Headline here\n\nBody text."));
    assert!(!looks_like_html(Some("text/plain"), "<html>"));
    assert!(matches!(
        extract("  \n", None, None),
        Err(ExtractError::Empty)
    ));
    let a = extract("A plain headline of words\n\nA body paragraph that is long enough to be a sentence of prose, truly.", None, None).unwrap();
    assert_eq!(a.method, "text");
    assert_eq!(a.headline.as_deref(), Some("A plain headline of words"));
}

/// Mangled HTML: a seeded fuzz loop (fastrand) that cuts, duplicates, swaps and injects tags
/// and bytes into a real-looking page; extraction must return (Ok or a typed error) and never
/// panic. Runs 400 cases in the test suite; `FACTDIFF_FUZZ_CASES` raises it for long runs.
#[test]
fn mangled_html_never_panics() {
    let cases: u64 = std::env::var("FACTDIFF_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let pieces = [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<table><tr><td>",
        "<article>",
        "</article>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<a href='",
        "\u{0}",
        "&#xFFFF;",
        "&amp",
        "<h1>",
        "<time datetime='2026-13-45'>",
        "<meta property='og:title' content='",
        "<script type='application/ld+json'>{\"@type\":[",
        "\u{202E}",
        "<svg><math>",
        "<li>",
        "<br>",
        "\"",
        "'",
        ">",
        "<",
    ];
    for seed in 0..cases {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut page: Vec<char> = PAGE_V1.chars().collect();
        for _ in 0..rng.usize(1..20) {
            let at = rng.usize(0..=page.len());
            match rng.u8(0..4) {
                0 => {
                    let end = (at + rng.usize(0..200)).min(page.len());
                    page.drain(at..end);
                }
                1 => page
                    .splice(at..at, pieces[rng.usize(0..pieces.len())].chars())
                    .for_each(drop),
                2 => {
                    let end = (at + rng.usize(0..100)).min(page.len());
                    let copy: Vec<char> = page[at..end].to_vec();
                    let to = rng.usize(0..=page.len());
                    page.splice(to..to, copy).for_each(drop);
                }
                _ => page.insert(at, char::from_u32(rng.u32(0..0x3000)).unwrap_or('x')),
            }
        }
        let page: String = page.into_iter().collect();
        let r = std::panic::catch_unwind(|| {
            extract(&page, Some("text/html"), Some("https://x.example/a"))
        });
        assert!(r.is_ok(), "seed {seed} panicked on {page:?}");
    }
}

/// Pathological sizes finish in bounded time: a 10 MB page, 100,000 nested elements, and
/// 200,000 sibling paragraphs. (Timing is measured in the benchmark; here "bounded" means
/// the test suite's own timeout, and a 1 MiB stack proves no recursion.)
#[test]
fn huge_and_deep_pages_finish() {
    let mut big = String::from("<html><body><article>");
    while big.len() < 10_000_000 {
        big.push_str(
            "<p>The harbour authority said the pier, closed since March, will reopen.</p>",
        );
    }
    let mut deep = String::from("<html><body>");
    deep.push_str(&"<div><span>".repeat(50_000));
    deep.push_str("<p>Deep inside, the text is still an article paragraph with enough words.</p>");
    let mut wide = String::from("<html><body>");
    for i in 0..200_000 {
        wide.push_str(&format!("<p>{i}</p>"));
    }
    for page in [big, deep, wide] {
        let t = std::thread::Builder::new().stack_size(1 << 20);
        let r = t
            .spawn(move || extract(&page, Some("text/html"), None).map(|a| a.word_count()))
            .unwrap();
        let _ = r.join().expect("no stack overflow or panic");
    }
}

/// Published-date fallbacks below the metadata: a date-classed element, a dateline after the
/// headline, a date in the URL — in that order of trust after `<time datetime>`.
#[test]
fn visible_and_url_dates() {
    let body = "<p>At least 40 people have died after floods swept through the valley on Sunday, officials said in a statement.</p>";
    let classed = format!(
        "<html><body><h1>Floods</h1><span class=\"post-date\">Posted 4 March 2026</span>{body}</body></html>"
    );
    let dateline = format!(
        "<html><body><h1>Floods</h1><p>By Ann Lee | 5. März 2026, 10:15</p>{body}</body></html>"
    );
    let bare = format!("<html><body><h1>Floods</h1>{body}</body></html>");
    let day = |html: &str, url| {
        extract_html(html, url)
            .unwrap()
            .published
            .map(|d| d.date_naive().to_string())
    };
    assert_eq!(day(&classed, None).as_deref(), Some("2026-03-04"));
    assert_eq!(day(&dateline, None).as_deref(), Some("2026-03-05"));
    let url = Some("https://daily.example/2026/03/06/floods");
    assert_eq!(day(&bare, url).as_deref(), Some("2026-03-06"));
    // the URL outranks text on the page, and nothing invents a date
    assert_eq!(day(&classed, url).as_deref(), Some("2026-03-06"));
    assert_eq!(day(&bare, None), None);
}

#[test]
fn page_without_article_text_keeps_its_metadata() {
    let html = r#"<html><head><title>Gallery | Site</title>
    <meta property="og:title" content="Twelve photos of the flood">
    <meta name="author" content="Ann Lee">
    <meta property="article:published_time" content="2026-01-05T08:00:00Z"></head>
    <body><nav><a href="/">Home</a></nav><img src="a.jpg"></body></html>"#;
    let a = extract_html(html, None).expect("metadata comes back without a body");
    assert_eq!(a.headline.as_deref(), Some("Twelve photos of the flood"));
    assert_eq!(a.byline, vec!["Ann Lee"]);
    assert!(a.published.is_some());
    assert!(a.paragraphs.is_empty());
    assert_eq!(a.broken_reason(), Some("too little text"));
}

/// A page written with typographic glyphs: curly quotes, dashes, a range, NBSPs, a soft
/// hyphen, an ellipsis, a zero-width space.
const GLYPH_PAGE: &str = r#"<!doctype html><html lang="en"><head><title>“Not yet” — council delays vote | Daily</title>
<meta property="og:title" content="“Not yet” — council delays vote">
<meta property="article:published_time" content="2026-01-05T08:00:00Z"></head>
<body><nav><a href="/">Home</a></nav>
<article><h1>“Not yet” — council delays vote</h1><p class="byline">By Ann O’Lee</p>
<p>“We need more time,” council leader Jon Ellery said on Tuesday — the third delay since 2024–25.</p>
<p>The plan&nbsp;would cut spending by $4.1&#8239;million and close three li&shy;braries… Residents said it wasn’t ‘fair’.</p>
<p>„Das ist falsch“, sagte die Stadträtin – und verließ den Saal. «Non», a-t-il répondu&#8203;.</p>
</article><footer>© Daily 2026</footer></body></html>"#;

#[test]
fn body_keeps_the_pages_quotes_and_dashes() {
    let a = extract_html(GLYPH_PAGE, Some("https://daily.example/news/vote")).unwrap();
    assert_eq!(
        a.paragraphs,
        [
            "“We need more time,” council leader Jon Ellery said on Tuesday — the third delay since 2024–25.",
            "The plan would cut spending by $4.1 million and close three libraries… Residents said it wasn’t ‘fair’.",
            "„Das ist falsch“, sagte die Stadträtin – und verließ den Saal. «Non», a-t-il répondu.",
        ]
    );
    // compared, it is the normalised text
    assert_eq!(
        a.normalized().paragraphs[0],
        "\"We need more time,\" council leader Jon Ellery said on Tuesday - the third delay since 2024-25."
    );
}

/// The content hash is the one factdiff computed when it stored normalised text (this value
/// was printed by the extraction bench runner built from e4e5018 on `GLYPH_PAGE`): a store
/// from before sees no new version on upgrade.
#[test]
fn content_hash_is_unchanged_by_keeping_glyphs() {
    let a = extract_html(GLYPH_PAGE, Some("https://daily.example/news/vote")).unwrap();
    assert_eq!(
        a.content_hash(),
        "495c481a7406c956048668ee2c296a03ca4862d82985620bdd01b15597f40722"
    );
    // and so is the hash of the text as it was stored then
    assert_eq!(a.normalized().content_hash(), a.content_hash());
    // a glyph-only re-render is the same version
    let straight = GLYPH_PAGE
        .replace(['“', '”', '„', '“', '«', '»'], "\"")
        .replace(['’', '‘'], "'")
        .replace(['—', '–'], "-")
        .replace('…', "...");
    let b = extract_html(&straight, Some("https://daily.example/news/vote")).unwrap();
    assert_eq!(b.content_hash(), a.content_hash());
    assert_ne!(b.paragraphs, a.paragraphs);
}

#[test]
fn plain_text_keeps_the_pages_quotes() {
    let a = extract_plain(
        "Council delays vote\n\n“We need more time to read it,” the council leader said on Tuesday — again.\n",
    );
    assert_eq!(
        a.paragraphs,
        ["“We need more time to read it,” the council leader said on Tuesday — again."]
    );
}

#[test]
fn plain_text_loses_its_stamp_lines_but_not_sentences_about_times() {
    let body = "Lohan checks into rehab\n\nPUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM\n\n\
        UPDATED: FRIDAY, MAY 3, 2013, 9:56 AM\n\n\
        The actress checked in late Thursday night, barely making the deadline set by the judge.\n\n\
        Her lawyer said the stay was published in the court file on Friday, May 3, 2013.\n";
    let a = extract_plain(body);
    assert_eq!(
        a.paragraphs,
        [
            "The actress checked in late Thursday night, barely making the deadline set by the judge.",
            "Her lawyer said the stay was published in the court file on Friday, May 3, 2013."
        ],
        "{:?}",
        a.paragraphs
    );
    let b = extract_plain(
        "Quake hits island\n\nUpdated 4:08 p.m. ET\n\nPosted on Thu Jun 13, 2013 08:45 AM PDT\n\nA strong earthquake shook the island on Sunday, killing at least ten people and injuring dozens more.\n",
    );
    assert_eq!(b.paragraphs.len(), 1, "{:?}", b.paragraphs);
}
