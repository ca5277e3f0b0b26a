//! Article links from XML sitemaps, sitemap indexes, text sitemaps and their gzipped forms.
//!
//! sitemapo does the format work. Three things are added on top:
//! - gunzip of `.xml.gz` bodies served without `Content-Encoding`, capped at
//!   [`MAX_DECOMPRESSED`] so a zip bomb cannot exhaust memory;
//! - a small fallback for Google News entries: sitemapo drops the whole `<news:news>` when any
//!   required child (publication name or language, date, title) is missing or empty, but the
//!   date and title alone are what discovery needs, so those are re-read with quick-xml;
//! - a fallback for indexes whose `<sitemap>` elements hold the URL as bare text instead of
//!   a `<loc>` child (seen in the wild; sitemapo, following the schema, finds nothing);
//! - RSS/Atom served at a sitemap URL (some sites list their feed in robots.txt `Sitemap:`)
//!   is handed to [`parse_feed`], as search engines accept it too.

use std::collections::HashSet;
use std::collections::hash_map::HashMap;

use chrono::{DateTime, Utc};
use quick_xml::events::Event;
use sitemapo::record::{Entry, Sitemap};
use sitemapo::{Format, Parser, Record};

use super::discover::{DiscoverError, Discovered, gunzip_if_needed, plain_text};
use super::feed::{parse_feed, root_element};
use super::urlnorm::normalize_url;

pub use super::discover::MAX_DECOMPRESSED;

/// What a sitemap lists: article pages, or further sitemaps to fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum SitemapDoc {
    /// A `urlset` or text sitemap: pages with `<lastmod>` as `updated` and the Google News
    /// `publication_date`/`title` as `published`/`title`.
    Urls(Vec<Discovered>),
    /// A `sitemapindex`: child sitemap URLs with their `<lastmod>`.
    Index(Vec<(String, Option<DateTime<Utc>>)>),
}

/// Parses a sitemap body (raw or gzipped bytes) into page or child-sitemap URLs.
///
/// `<loc>`s that are relative, not http(s) or unparseable are skipped; the rest are
/// normalised and de-duplicated (first wins). An HTML page, garbage, malformed XML, an XML
/// root other than `urlset`/`sitemapindex`/a feed, or a text body without a single URL line
/// is an error. `sitemap_url` is only used as the base of feeds served as sitemaps.
pub fn parse_sitemap(body: &[u8], sitemap_url: &str) -> Result<SitemapDoc, DiscoverError> {
    let body = gunzip_if_needed(body)?;
    if body
        .iter()
        .all(|b| b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf))
    {
        return Err(sitemap_err("empty body"));
    }
    if let Some(root) = root_element(&body) {
        let local = root
            .rsplit(':')
            .next()
            .unwrap_or(&root)
            .to_ascii_lowercase();
        match local.as_str() {
            "html" => return Err(sitemap_err("an HTML page (root element <html>)")),
            "rss" | "feed" | "rdf" => return parse_feed(&body, sitemap_url).map(SitemapDoc::Urls),
            _ => {}
        }
    }
    let (format, records) = read_records(&body)?;
    match format {
        Some(Format::Index) => {
            let children = index(records);
            let children = if children.is_empty() {
                bare_index(&body)
            } else {
                children
            };
            Ok(SitemapDoc::Index(children))
        }
        Some(Format::UrlSet) => Ok(SitemapDoc::Urls(urlset(&body, records))),
        Some(Format::Text) => text(&body, records).map(SitemapDoc::Urls),
        None => Err(sitemap_err("no sitemap content")),
    }
}

fn sitemap_err(reason: impl Into<String>) -> DiscoverError {
    DiscoverError::Sitemap {
        reason: reason.into(),
    }
}

/// Runs sitemapo to the end; any parse error (malformed XML, unknown root, over the
/// 50,000-record or 50 MiB limits) fails the whole document rather than returning a prefix
/// that would look complete.
fn read_records(body: &[u8]) -> Result<(Option<Format>, Vec<Record>), DiscoverError> {
    let mut parser = Parser::new(body);
    let mut records = Vec::new();
    for record in parser.by_ref() {
        records.push(record.map_err(|e| match e {
            sitemapo::Error::Xml(_) => {
                sitemap_err(format!("{e}{}", super::discover::xml_error_at(body)))
            }
            e => sitemap_err(e.to_string()),
        })?);
    }
    Ok((parser.format(), records))
}

fn to_chrono(ts: sitemapo::jiff::Timestamp) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(ts.as_second(), ts.subsec_nanosecond().try_into().ok()?)
}

/// Child sitemaps of an index, normalised and de-duplicated.
fn index(records: Vec<Record>) -> Vec<(String, Option<DateTime<Utc>>)> {
    let mut seen = HashSet::new();
    records
        .into_iter()
        .filter_map(|r| match r {
            Record::Sitemap(Sitemap {
                location, modified, ..
            }) => {
                let url = normalize_url(location.as_str(), None)?;
                Some((url, modified.and_then(to_chrono)))
            }
            Record::Entry(_) => None,
        })
        .filter(|(url, _)| seen.insert(url.clone()))
        .collect()
}

/// Pages of a `urlset`, with Google News fields filled from the fallback when sitemapo
/// dropped an incomplete `<news:news>`.
fn urlset(body: &[u8], records: Vec<Record>) -> Vec<Discovered> {
    let mut pages = entries(records);
    if pages
        .iter()
        .any(|p| p.published.is_none() && p.title.is_none())
        && mentions_news(body)
    {
        let news = news_fallback(body);
        for page in pages
            .iter_mut()
            .filter(|p| p.published.is_none() && p.title.is_none())
        {
            if let Some((published, title)) = news.get(&page.url) {
                page.published = *published;
                page.title = title.clone();
            }
        }
    }
    pages
}

fn entries(records: Vec<Record>) -> Vec<Discovered> {
    let mut seen = HashSet::new();
    records
        .into_iter()
        .filter_map(|r| match r {
            Record::Entry(entry) => page(&entry),
            Record::Sitemap(_) => None,
        })
        .filter(|d| seen.insert(d.url.clone()))
        .collect()
}

fn page(entry: &Entry) -> Option<Discovered> {
    let mut page = Discovered::new(normalize_url(entry.location.as_str(), None)?);
    page.updated = entry.modified.and_then(to_chrono);
    if let Some(news) = &entry.news {
        page.published = to_chrono(news.published);
        page.title = plain_text(&news.title);
    }
    Some(page)
}

/// Text sitemaps: sitemapo skips lines that are not absolute URLs; a body with no URL line at
/// all is not a sitemap (an error page, JSON, binary garbage).
fn text(body: &[u8], records: Vec<Record>) -> Result<Vec<Discovered>, DiscoverError> {
    let pages = entries(records);
    if pages.is_empty() {
        let first = String::from_utf8_lossy(body);
        let first = first
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let shown: String = first.chars().take(60).collect();
        return Err(sitemap_err(format!(
            "text body without any http(s) URL line (line 1: {shown:?})"
        )));
    }
    Ok(pages)
}

/// Re-reads an index in which sitemapo found no `<sitemap><loc>`: each `<sitemap>`'s `<loc>`
/// or, failing that, its own text, with its `<lastmod>`.
fn bare_index(body: &[u8]) -> Vec<(String, Option<DateTime<Utc>>)> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let (mut path, mut own, mut loc, mut lastmod) = (
        Vec::<String>::new(),
        String::new(),
        String::new(),
        String::new(),
    );
    let mut out: Vec<(String, Option<DateTime<Utc>>)> = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let text = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(Event::Start(start)) => {
                let name = start.local_name().as_ref().to_owned();
                if name == "sitemap" {
                    (own, loc, lastmod) = (String::new(), String::new(), String::new());
                }
                path.push(name);
                continue;
            }
            Ok(Event::End(_)) => {
                if path.pop().as_deref() == Some("sitemap") {
                    let raw = if loc.trim().is_empty() { &own } else { &loc };
                    let url = plain_text(raw).and_then(|u| normalize_url(&u, None));
                    if let Some(url) = url.filter(|u| out.iter().all(|(seen, _)| seen != u)) {
                        out.push((url, sitemapo_date(lastmod.trim())));
                    }
                }
                continue;
            }
            Ok(Event::Text(t)) => t.xml10_content().into_owned(),
            Ok(Event::CData(t)) => t.xml10_content().into_owned(),
            Ok(Event::GeneralRef(r)) => format!("&{};", &*r),
            Ok(_) => continue,
        };
        match path.last().map(String::as_str) {
            Some("sitemap") => own.push_str(&text),
            Some("loc") => loc.push_str(&text),
            Some("lastmod") => lastmod.push_str(&text),
            _ => {}
        }
    }
    out
}

fn mentions_news(body: &[u8]) -> bool {
    body.windows(b"sitemap-news".len())
        .any(|w| w == b"sitemap-news")
        || body.windows(b"<news:".len()).any(|w| w == b"<news:")
}

/// Re-reads the `urlset` with quick-xml for the `publication_date` and `title` inside each
/// `<url>`'s `news` element, keyed by normalised `<loc>`. Namespaces are matched by local name:
/// the fields only count inside an element named `news`, which keeps video titles out.
fn news_fallback(body: &[u8]) -> HashMap<String, (Option<DateTime<Utc>>, Option<String>)> {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut out = HashMap::new();
    let mut scan = NewsScan::default();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(event) => {
                if let Some((loc, published, title)) = scan.feed(event) {
                    out.entry(loc).or_insert((published, title));
                }
            }
        }
    }
    out
}

/// State of [`news_fallback`]'s walk through one `<url>` element.
#[derive(Default)]
struct NewsScan {
    path: Vec<String>,
    loc: String,
    date: String,
    title: String,
}

impl NewsScan {
    /// Consumes one event; returns the finished `(loc, published, title)` at `</url>`.
    fn feed(
        &mut self,
        event: quick_xml::events::Event<'_>,
    ) -> Option<(String, Option<DateTime<Utc>>, Option<String>)> {
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                if name == "url" {
                    self.loc.clear();
                    self.date.clear();
                    self.title.clear();
                }
                self.path.push(name);
            }
            Event::End(_) => return self.close(),
            Event::Text(t) => self.push(&t.xml10_content()),
            Event::CData(t) => self.push(&t.xml10_content()),
            Event::GeneralRef(r) => self.push(&format!("&{};", &*r)),
            _ => {}
        }
        None
    }

    fn push(&mut self, text: &str) {
        let in_news = self.path.iter().any(|p| p == "news");
        match self.path.last().map(String::as_str) {
            Some("loc") if !in_news => self.loc.push_str(text),
            Some("publication_date") if in_news => self.date.push_str(text),
            Some("title") if in_news => self.title.push_str(text),
            _ => {}
        }
    }

    fn close(&mut self) -> Option<(String, Option<DateTime<Utc>>, Option<String>)> {
        if self.path.pop()? != "url" {
            return None;
        }
        let loc = plain_text(&self.loc).and_then(|l| normalize_url(&l, None))?;
        let published = sitemapo_date(self.date.trim());
        Some((loc, published, plain_text(&self.title)))
    }
}

/// W3C datetime (or plain date) as sitemaps write it, read as UTC when the zone is missing.
fn sitemapo_date(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(dt.and_utc());
    }
    if let Ok(dt) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z") {
        return Some(dt.with_timezone(&Utc));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const URL: &str = "https://news.example.com/sitemap.xml";

    fn pages(body: &[u8]) -> Vec<Discovered> {
        match parse_sitemap(body, URL).unwrap() {
            SitemapDoc::Urls(pages) => pages,
            SitemapDoc::Index(i) => panic!("expected urlset, got index {i:?}"),
        }
    }

    fn err(body: &[u8]) -> String {
        parse_sitemap(body, URL).unwrap_err().to_string()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    const URLSET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example.com/a?utm_medium=sm</loc><lastmod>2026-04-01T10:00:00+02:00</lastmod></url>
<url><loc>/relative/skipped</loc></url>
<url><loc>not a url</loc></url>
<url><loc>ftp://news.example.com/file</loc></url>
<url><loc>  https://news.example.com/b  </loc><lastmod>2026-04-02</lastmod></url>
<url><loc>https://news.example.com/a</loc></url>
</urlset>"#;

    #[test]
    fn urlset_with_lastmod_skipping_bad_locs() {
        let p = pages(URLSET);
        let urls: Vec<_> = p.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://news.example.com/a", "https://news.example.com/b"]
        );
        assert_eq!(
            p[0].updated.unwrap().to_rfc3339(),
            "2026-04-01T08:00:00+00:00"
        );
        assert_eq!(
            p[1].updated.unwrap().to_rfc3339(),
            "2026-04-02T00:00:00+00:00"
        );
        assert_eq!(p[0].published, None);
    }

    #[test]
    fn google_news_sitemap() {
        let body = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.com/full</loc><news:news>
 <news:publication><news:name>Example Times</news:name><news:language>en</news:language></news:publication>
 <news:publication_date>2026-06-01T09:30:00Z</news:publication_date>
 <news:title>Full &amp; complete</news:title></news:news></url>
<url><loc>https://news.example.com/no-name</loc><news:news>
 <news:publication><news:name></news:name></news:publication>
 <news:publication_date>2026-06-02</news:publication_date>
 <news:title><![CDATA[Missing <i>publication</i> name]]></news:title></news:news></url>
</urlset>"#;
        let p = pages(body);
        assert_eq!(p[0].title.as_deref(), Some("Full & complete"));
        assert_eq!(
            p[0].published.unwrap().to_rfc3339(),
            "2026-06-01T09:30:00+00:00"
        );
        assert_eq!(
            p[1].title.as_deref(),
            Some("Missing publication name"),
            "fallback"
        );
        assert_eq!(
            p[1].published.unwrap().to_rfc3339(),
            "2026-06-02T00:00:00+00:00"
        );
    }

    #[test]
    fn news_fallback_ignores_video_titles() {
        let body = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:video="http://www.google.com/schemas/sitemap-video/1.1"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://e.com/v</loc><video:video><video:title>Clip</video:title>
<video:publication_date>2026-01-01</video:publication_date></video:video></url>
</urlset>"#;
        let p = pages(body);
        assert_eq!((p[0].title.as_deref(), p[0].published), (None, None));
    }

    #[test]
    fn sitemap_index() {
        let body = br#"<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.com/sm-1.xml</loc><lastmod>2026-03-01T00:00:00Z</lastmod></sitemap>
<sitemap><loc>https://news.example.com/sm-2.xml.gz</loc></sitemap>
<sitemap><loc>sm-3.xml</loc></sitemap>
</sitemapindex>"#;
        let SitemapDoc::Index(children) = parse_sitemap(body, URL).unwrap() else {
            panic!()
        };
        assert_eq!(children.len(), 2);
        assert_eq!(children[0].0, "https://news.example.com/sm-1.xml");
        assert_eq!(
            children[0].1.unwrap().to_rfc3339(),
            "2026-03-01T00:00:00+00:00"
        );
        assert_eq!(
            children[1],
            ("https://news.example.com/sm-2.xml.gz".to_string(), None)
        );
    }

    #[test]
    fn index_with_bare_sitemap_text() {
        let body = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap>
https://e.com/sitemap.jss?portal=1&amp;lang=en
</sitemap><sitemap>https://e.com/sitemap.jss?portal=2&amp;lang=en</sitemap></sitemapindex>"#;
        let SitemapDoc::Index(children) = parse_sitemap(body, URL).unwrap() else {
            panic!()
        };
        let urls: Vec<_> = children.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://e.com/sitemap.jss?portal=1&lang=en",
                "https://e.com/sitemap.jss?portal=2&lang=en"
            ]
        );
    }

    #[test]
    fn gzipped_urlset() {
        assert_eq!(pages(&gzip(URLSET)), pages(URLSET));
    }

    #[test]
    fn corrupt_gzip_is_an_error() {
        let mut body = gzip(URLSET);
        body.truncate(body.len() / 2);
        assert!(err(&body).starts_with("bad gzip body"), "{}", err(&body));
    }

    #[test]
    fn gzip_bomb_is_refused() {
        let bomb = gzip(&vec![b' '; MAX_DECOMPRESSED + 10]);
        assert_eq!(
            parse_sitemap(&bomb, URL).unwrap_err(),
            DiscoverError::TooLarge {
                limit: MAX_DECOMPRESSED
            }
        );
    }

    #[test]
    fn text_sitemap_with_bom() {
        let body = "\u{feff}https://news.example.com/1\n\nhttps://news.example.com/2?gclid=z\r\nnot a url\n";
        let urls: Vec<_> = pages(body.as_bytes()).into_iter().map(|d| d.url).collect();
        assert_eq!(
            urls,
            ["https://news.example.com/1", "https://news.example.com/2"]
        );
    }

    #[test]
    fn feed_served_as_sitemap() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>x</title><link>https://news.example.com/x</link></item></channel></rss>"#;
        assert_eq!(pages(body)[0].url, "https://news.example.com/x");
    }

    #[test]
    fn empty_urlset_is_ok() {
        let body = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>"#;
        assert_eq!(pages(body), vec![]);
    }

    #[test]
    fn html_page_is_an_error() {
        let e = err(b"<!doctype html><html><body>404 Not Found</body></html>");
        assert!(e.contains("HTML page"), "{e}");
    }

    #[test]
    fn garbage_and_empty_are_errors() {
        assert_eq!(err(b""), "not a sitemap: empty body");
        let e = err(b"Not Found");
        assert!(
            e.contains("without any http(s) URL line") && e.contains("Not Found"),
            "{e}"
        );
        let e = err(b"<?xml version=\"1.0\"?><catalog><book/></catalog>");
        assert!(e.contains("catalog"), "{e}");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let e = err(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://e.com/</loc></uurl></urlset>");
        assert!(
            e.starts_with("not a sitemap: xml error") && e.ends_with("at line 1, column 91"),
            "{e}"
        );
    }
}
