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
