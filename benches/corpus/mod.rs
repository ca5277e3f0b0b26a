//! The news-article corpus shared by the fact and conflict benchmarks: the five seeds (with
//! their README dates) and English, dated, news-length pages from the postlight and
//! mozilla-readability fixtures, extracted with factdiff's own extractor.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use factdiff::extract::{Article, MIN_CONFIDENCE};

/// Fewest and most words for a fixture page to count as a news article.
pub const MIN_WORDS: usize = 300;
pub const MAX_WORDS: usize = 6000;

// ---------------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------------

/// One article of the corpus.
pub struct Doc {
    pub name: String,
    pub article: Article,
    /// Publication date for resolving relative dates (the fixture's, else the article's).
    pub published: Option<DateTime<FixedOffset>>,
    pub words: usize,
}

/// Noon UTC on a day, as a publication time.
pub fn noon(d: NaiveDate) -> DateTime<FixedOffset> {
    d.and_hms_opt(12, 0, 0)
        .expect("valid time")
        .and_utc()
        .fixed_offset()
}

/// RFC 3339, or a bare "YYYY-MM-DDTHH:MM[:SS]" taken as UTC, or a bare day.
fn parse_when(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc().fixed_offset());
        }
    }
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .map(noon)
}

fn is_english(lang: Option<&str>) -> bool {
    lang.is_none_or(|l| l.to_ascii_lowercase().starts_with("en"))
}

/// The seeds (always included) then news-like fixture pages, alternating between the two
/// fixture sets in name order, up to `cap` articles in all.
pub fn load_corpus(root: &Path, cap: usize) -> Vec<Doc> {
    let mut docs = load_seeds(&root.join("seeds"));
    let ext = root.join("extraction");
    let postlight = load_postlight(&ext.join("postlight"));
    let readability = load_readability(&ext.join("mozilla-readability"));
    let (mut a, mut b) = (postlight.into_iter(), readability.into_iter());
    while docs.len() < cap {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => {
                for d in [x, y].into_iter().flatten() {
                    if docs.len() < cap {
                        docs.push(d);
                    }
                }
            }
        }
    }
    docs
}

/// The seeds, with publication dates from the README's table.
/// File names in `dir`, sorted (empty if it cannot be read).
fn sorted_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn load_seeds(dir: &Path) -> Vec<Doc> {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_default();
    let dates: BTreeMap<String, DateTime<FixedOffset>> = readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let file = cells.iter().find(|c| c.ends_with(".txt"))?;
            let date = cells.iter().rev().find_map(|c| parse_when(c))?;
            Some((file.to_string(), date))
        })
        .collect();
    sorted_names(dir)
        .into_iter()
        .filter(|n| n.ends_with(".txt"))
        .filter_map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).ok()?;
            // the benches edit sentences claims found: they work on the compared form
            let article = factdiff::extract::extract_plain(&text).normalized();
            let published = dates.get(&n).copied().or(article.published);
            Some(Doc {
                name: format!("seeds/{n}"),
                words: article.word_count(),
                article,
                published,
            })
        })
        .collect()
}

/// Extracts one HTML page and keeps it when it looks like an English news article.
fn html_doc(
    name: String,
    path: &Path,
    url: Option<&str>,
    date: Option<DateTime<FixedOffset>>,
) -> Option<Doc> {
    let bytes = std::fs::read(path).ok()?;
    let (html, _) = factdiff::fetch::decode_body(&bytes, Some("text/html"));
    let article = factdiff::extract::extract(&html, Some("text/html"), url)
        .ok()?
        .normalized();
    let words = article.word_count();
    let published = date.or(article.published);
    // News-like: a dated, English, article-length text the extractor is confident about.
    let ok = (MIN_WORDS..=MAX_WORDS).contains(&words)
        && published.is_some()
        && is_english(article.lang.as_deref())
        && article.confidence >= MIN_CONFIDENCE;
    ok.then_some(Doc {
        name,
        article,
        published,
        words,
    })
}

fn load_postlight(dir: &Path) -> Vec<Doc> {
    let expected: serde_json::Value = std::fs::read_to_string(dir.join("expected.json"))
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let mut records: Vec<&serde_json::Value> = expected
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    records.sort_by_key(|r| r["fixture"].as_str().unwrap_or("").to_string());
    records
        .into_iter()
        .filter_map(|r| {
            let fixture = r["fixture"].as_str()?;
            html_doc(
                format!("postlight/{fixture}"),
                &dir.join("fixtures").join(fixture),
                r["url"].as_str(),
                r["date_published"].as_str().and_then(parse_when),
            )
        })
        .collect()
}

fn load_readability(dir: &Path) -> Vec<Doc> {
    let pages = dir.join("test-pages");
    sorted_names(&pages)
        .into_iter()
        .filter_map(|n| {
            let meta: serde_json::Value =
                std::fs::read_to_string(pages.join(&n).join("expected-metadata.json"))
                    .ok()
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or_default();
            if !is_english(meta["lang"].as_str()) {
                return None;
            }
            html_doc(
                format!("readability/{n}"),
                &pages.join(&n).join("source.html"),
                None,
                meta["publishedTime"].as_str().and_then(parse_when),
            )
        })
        .collect()
}
