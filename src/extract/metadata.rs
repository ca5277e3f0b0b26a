//! Article metadata from the page head: JSON-LD (incl. `@graph` and type arrays),
//! OpenGraph / `article:*` meta, common `<meta name>` conventions, microdata and `<time>`.
//!
//! Order of trust, per field, highest first: JSON-LD article object → OpenGraph/`article:*`
//! → other `<meta>` → microdata `itemprop` → `<time datetime>` → `<title>`/`<h1>`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use scraper::{Html, Selector};
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub headline: Option<String>,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub canonical_url: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

/// Reads every metadata field from a parsed page.
#[allow(clippy::field_reassign_with_default)] // fields are filled in trust order, one by one
pub fn read_metadata(doc: &Html) -> Metadata {
    let ld = json_ld_article(doc);
    let meta = |names: &[&str]| -> Option<String> {
        for n in names {
            let s = sel(&format!(
                "meta[property=\"{n}\"], meta[name=\"{n}\"], meta[itemprop=\"{n}\"]"
            ));
            if let Some(v) = doc
                .select(&s)
                .filter_map(|e| e.value().attr("content"))
                .map(str::trim)
                .find(|v| !v.is_empty())
            {
                return Some(v.to_string());
            }
        }
        None
    };
    let mut m = Metadata::default();

    m.headline = ld
        .as_ref()
        .and_then(|a| str_field(a, &["headline", "name"]))
        .or_else(|| {
            meta(&[
                "og:title",
                "twitter:title",
                "parsely-title",
                "sailthru.title",
                "dc.title",
            ])
        })
        .or_else(|| first_text(doc, "h1"))
        .or_else(|| first_text(doc, "title"))
        .map(|h| clean_inline(&h));

    m.byline = ld
        .as_ref()
        .map(|a| authors(a.get("author")))
        .unwrap_or_default();
    if m.byline.is_empty()
        && let Some(a) = meta(&[
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "byl",
        ])
        && !a.starts_with("http")
    {
        m.byline = split_authors(&a);
    }
    if m.byline.is_empty() {
        let s = sel(
            "[itemprop=author] [itemprop=name], [rel=author], .byline [itemprop=name], .author-name, .byline__name",
        );
        m.byline = dedup(
            doc.select(&s)
                .map(|e| e.text().collect::<String>())
                .flat_map(|t| split_authors(&t))
                .collect(),
        );
    }

    m.published = ld
        .as_ref()
        .and_then(|a| str_field(a, &["datePublished", "dateCreated"]))
        .and_then(|d| parse_datetime(&d))
        .or_else(|| {
            meta(&[
                "article:published_time",
                "og:published_time",
                "datePublished",
                "pubdate",
                "publishdate",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date",
                "date",
                "dcterms.created",
            ])
            .and_then(|d| parse_datetime(&d))
        })
        .or_else(|| time_element(doc, true));
    m.modified = ld
        .as_ref()
        .and_then(|a| str_field(a, &["dateModified"]))
        .and_then(|d| parse_datetime(&d))
        .or_else(|| {
            meta(&[
                "article:modified_time",
                "og:updated_time",
                "dateModified",
                "last-modified",
                "dcterms.modified",
            ])
            .and_then(|d| parse_datetime(&d))
        });

    m.canonical_url = doc
        .select(&sel("link[rel=canonical]"))
        .filter_map(|e| e.value().attr("href"))
        .map(str::trim)
        .find(|h| !h.is_empty())
        .map(String::from)
        .or_else(|| meta(&["og:url"]))
        .or_else(|| ld.as_ref().and_then(|a| str_field(a, &["url"])));

    m.lang = doc
        .select(&sel("html"))
        .filter_map(|e| {
            e.value()
                .attr("lang")
                .or_else(|| e.value().attr("xml:lang"))
        })
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(String::from)
        .or_else(|| ld.as_ref().and_then(|a| str_field(a, &["inLanguage"])))
        .or_else(|| meta(&["og:locale", "content-language", "language"]))
        .map(|l| l.replace('_', "-"));

    m.site_name = meta(&["og:site_name", "application-name"]).or_else(|| {
        ld.as_ref()
            .and_then(|a| a.get("publisher"))
            .and_then(|p| str_field(p, &["name"]))
    });
    m
}

/// The most article-like object among all JSON-LD blocks.
fn json_ld_article(doc: &Html) -> Option<Value> {
    let mut candidates = Vec::new();
    for script in doc.select(&sel("script[type=\"application/ld+json\"]")) {
        let raw: String = script.text().collect();
        let raw = raw
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->");
        let raw = raw
            .trim()
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("//]]>")
            .trim();
        let value: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            // Some sites emit literal newlines/tabs inside strings; retry without them.
            Err(_) => match serde_json::from_str(&raw.replace(['\n', '\r', '\t'], " ")) {
                Ok(v) => v,
                Err(_) => continue,
            },
        };
        collect_objects(&value, &mut candidates, 0);
    }
    candidates
        .into_iter()
        .filter_map(|o| article_rank(&o).map(|r| (r, o)))
        .max_by_key(|(r, _)| *r)
        .map(|(_, o)| o)
}

fn collect_objects(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(g) = map.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
            if let Some(e) = map.get("mainEntity") {
                collect_objects(e, out, depth + 1);
            }
            out.push(v.clone());
        }
        _ => {}
    }
}

fn article_rank(o: &Value) -> Option<u8> {
    let types: Vec<String> = match o.get("@type")? {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => return None,
    };
    types
        .iter()
        .map(|t| match t.as_str() {
            "NewsArticle"
            | "ReportageNewsArticle"
            | "AnalysisNewsArticle"
            | "OpinionNewsArticle"
            | "BackgroundNewsArticle"
            | "LiveBlogPosting" => 4,
            "Article" | "BlogPosting" | "ScholarlyArticle" | "TechArticle" | "Report" => 3,
            "WebPage" | "ItemPage" => 1,
            _ => 0,
        })
        .max()
        .filter(|r| *r > 0)
}

fn str_field(o: &Value, keys: &[&str]) -> Option<String> {
    for k in keys {
        let v = match o.get(*k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.iter().find_map(|x| x.as_str().map(String::from)),
            Some(Value::Object(m)) => m
                .get("@id")
                .or_else(|| m.get("name"))
                .and_then(|x| x.as_str())
                .map(String::from),
            _ => None,
        };
        if let Some(v) = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            return Some(v);
        }
    }
    None
}

fn authors(v: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Some(Value::String(s)) => out.extend(split_authors(s)),
        Some(Value::Object(m)) => {
            if let Some(Value::String(n)) = m.get("name") {
                out.extend(split_authors(n));
            }
        }
        Some(Value::Array(items)) => {
            for i in items {
                out.extend(authors(Some(i)));
            }
        }
        _ => {}
    }
    dedup(out)
}

/// Splits "By Jane Doe and John Roe, Reuters" into names, without the "By".
pub fn split_authors(s: &str) -> Vec<String> {
    let s = clean_inline(s);
    let s = s.trim();
    let lower = s.to_lowercase();
    let s = if lower.starts_with("by ") { &s[3..] } else { s };
    s.split([',', ';', '|', '&'])
        .flat_map(|p| p.split(" and "))
        .map(|p| p.trim().trim_start_matches("By ").trim().to_string())
        .filter(|p| !p.is_empty() && p.len() < 80 && !p.starts_with("http"))
        .collect()
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&x)) {
            out.push(x);
        }
    }
    out
}

fn first_text(doc: &Html, css: &str) -> Option<String> {
    doc.select(&sel(css))
        .map(|e| e.text().collect::<String>())
        .map(|t| clean_inline(&t))
        .find(|t| !t.is_empty())
}

fn time_element(doc: &Html, published: bool) -> Option<DateTime<FixedOffset>> {
    let preferred = if published {
        "time[itemprop=datePublished], time[pubdate], time.published"
    } else {
        "time[itemprop=dateModified], time.updated"
    };
    doc.select(&sel(preferred))
        .chain(doc.select(&sel("time[datetime]")))
        .filter_map(|e| e.value().attr("datetime"))
        .find_map(parse_datetime)
}

fn clean_inline(s: &str) -> String {
    super::normalize::normalize_text(s)
}

/// Parses the date formats seen in article metadata. Times without an offset are taken as
/// UTC; a date alone is midnight UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return n.and_local_timezone(utc).single();
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, f) {
            return d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_graph_and_type_array() {
        let html = r#"<html lang="en-GB"><head>
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"Site"},
          {"@type":["NewsArticle","Article"],"headline":"Toll rises to 52",
           "author":[{"@type":"Person","name":"Jane Doe"},{"name":"John Roe"}],
           "datePublished":"2026-01-05T10:00:00+01:00","dateModified":"2026-01-05T12:30:00Z",
           "publisher":{"@type":"Organization","name":"Daily Example"}}]}</script>
        <meta property="og:title" content="OG title"><link rel="canonical" href="https://ex.org/a">
        </head><body></body></html>"#;
        let m = read_metadata(&Html::parse_document(html));
        assert_eq!(m.headline.as_deref(), Some("Toll rises to 52"));
        assert_eq!(m.byline, vec!["Jane Doe", "John Roe"]);
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2026-01-05T10:00:00+01:00"
        );
        assert_eq!(
            m.modified.unwrap().to_rfc3339(),
            "2026-01-05T12:30:00+00:00"
        );
        assert_eq!(m.canonical_url.as_deref(), Some("https://ex.org/a"));
        assert_eq!(m.lang.as_deref(), Some("en-GB"));
        assert_eq!(m.site_name.as_deref(), Some("Daily Example"));
    }

    #[test]
    fn opengraph_and_time_fallbacks() {
        let html = r#"<html><head><title>T | Site</title>
        <meta property="og:title" content="The &ldquo;headline&rdquo;">
        <meta name="author" content="By Ann Lee and Bo Kim">
        <meta property="og:site_name" content="Site"></head>
        <body><time datetime="2025-12-24">Dec 24</time></body></html>"#;
        let m = read_metadata(&Html::parse_document(html));
        assert_eq!(m.headline.as_deref(), Some("The \"headline\""));
        assert_eq!(m.byline, vec!["Ann Lee", "Bo Kim"]);
        assert_eq!(m.published.unwrap().date_naive().to_string(), "2025-12-24");
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let html = r#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script></head><body><h1>H</h1></body></html>"#;
        let m = read_metadata(&Html::parse_document(html));
        assert_eq!(m.headline.as_deref(), Some("H"));
    }

    #[test]
    fn date_formats() {
        for s in [
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:00:00.123+0100",
            "2026-01-05 10:00:00",
            "2026-01-05",
            "Mon, 05 Jan 2026 10:00:00 GMT",
        ] {
            assert!(parse_datetime(s).is_some(), "{s}");
        }
        assert!(parse_datetime("yesterday").is_none());
    }
}
