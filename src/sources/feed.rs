//! Article links from RSS 0.9x/1.0/2.0, Atom and JSON Feed documents.
//!
//! feed-rs does the format work; this module adds what real news feeds need on top:
//! - bodies feed-rs cannot take as served are repaired and retried: UTF-16 transcoded up
//!   front (quick-xml panics on some), bytes that do not match the declared (or assumed)
//!   encoding transcoded with `encoding_rs`/`chardetng`, RSS without a known `version` read as
//!   2.0, Atom 0.3 read as 1.0, Atom text constructs with odd `type`s read as text;
//! - truncated documents, HTML pages and other XML are errors saying which they are;
//! - the article link is chosen among an entry's links (alternate/HTML, not enclosures,
//!   comments, `self`, `edit`, `replies`, `related`), falling back to a URL-shaped GUID;
//! - links are resolved (xml:base, channel link, feed URL), normalised and de-duplicated;
//!   titles become plain text.

use std::borrow::Cow;
use std::collections::HashSet;

use encoding_rs::{Encoding, UTF_8};
use feed_rs::model::{Entry, Feed, FeedType, Link};
use feed_rs::parser::{ParseErrorKind, ParseFeedError};
use url::Url;

use super::discover::{DiscoverError, Discovered, gunzip_if_needed, plain_text};
use super::urlnorm::normalize_url;

/// Parses a feed body (raw bytes as served) into its article links, in feed order.
///
/// An empty but valid feed gives `Ok(vec![])`; a body that is not a feed (HTML, garbage,
/// truncated XML) gives [`DiscoverError::Feed`] saying what was found instead. Items are kept
/// when their dates are unparseable (dates become `None`) and skipped when they have no
/// usable http(s) link or permalink GUID. Duplicates (same normalised URL) keep the first.
pub fn parse_feed(body: &[u8], feed_url: &str) -> Result<Vec<Discovered>, DiscoverError> {
    let body = gunzip_if_needed(body)?;
    let feed_base = Url::parse(feed_url).ok();
    let feed = parse_any_encoding(&body, feed_base.as_ref())?;
    let feed = match rss_site_base(&feed, feed_base.as_ref()) {
        Some(site) => parse_any_encoding(&body, Some(&site)).unwrap_or(feed),
        None => feed,
    };
    Ok(collect(&feed, feed_base.as_ref()))
}

/// For RSS, relative item links are resolved against the channel's `<link>` (the site) rather
/// than the feed URL when the two are on different origins (`feeds.example.com/rss` for
/// `www.example.com`): RSS has no xml:base rule, and the site is what the links are relative
/// to. Atom keeps the spec's rule (xml:base, then the document URL). `None` when no re-parse
/// is needed.
fn rss_site_base(feed: &Feed, feed_base: Option<&Url>) -> Option<Url> {
    if !matches!(
        feed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    ) {
        return None;
    }
    let site = feed_site_base(feed, feed_base)?;
    let differs = feed_base.is_none_or(|base| base.origin() != site.origin());
    (differs && matches!(site.scheme(), "http" | "https")).then_some(site)
}

/// Runs feed-rs on the body as served (UTF-8 BOM stripped, UTF-16 transcoded first because
/// quick-xml panics on some UTF-16 input; Atom 0.3 tried as 1.0 first) and, if that fails,
/// on repaired copies: transcoded to UTF-8 with the encoding it declares or appears to be in,
/// then with a missing or unknown RSS `version` set to 2.0, then with odd Atom text `type`s
/// removed. The first error is reported when all fail: it describes the document as served.
fn parse_any_encoding(body: &[u8], base: Option<&Url>) -> Result<Feed, DiscoverError> {
    check_complete(body)?;
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let primary = utf16_to_utf8(body).map_or(Cow::Borrowed(body), Cow::Owned);
    if let Some(atom10) = atom03_to_10(&primary)
        && let Ok(feed) = run_feed_rs(&atom10, base)
    {
        return Ok(feed);
    }
    let first = match run_feed_rs(&primary, base) {
        Ok(feed) => return Ok(feed),
        Err(e) => e,
    };
    let transcoded = transcode(&primary);
    let text = transcoded.as_deref().unwrap_or(&primary);
    let repaired = set_rss_version(text);
    let relaxed = relax_text_types(repaired.as_deref().unwrap_or(text));
    for retry in [
        transcoded.as_deref(),
        repaired.as_deref(),
        relaxed.as_deref().map(str::as_bytes),
    ]
    .into_iter()
    .flatten()
    {
        if let Ok(feed) = run_feed_rs(retry, base) {
            return Ok(feed);
        }
    }
    Err(DiscoverError::Feed { reason: first })
}

/// feed-rs with the feed URL as base, its failure described; a panic inside the XML stack is
/// caught and reported as an error so one hostile feed cannot take down its source task.
fn run_feed_rs(body: &[u8], base: Option<&Url>) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.map(Url::as_str))
        .build();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(body))) {
        Ok(Ok(feed)) => Ok(feed),
        Ok(Err(e)) => Err(describe(&e, body)),
        Err(_) => Err("the XML parser failed on this body (internal panic)".into()),
    }
}

/// UTF-32 (either byte order, with or without BOM) starts with three NULs around the first
/// ASCII character; encoding_rs, following WHATWG, has no decoder for it.
fn looks_utf32(body: &[u8]) -> bool {
    let body = body
        .strip_prefix(&[0xFF, 0xFE, 0, 0])
        .or_else(|| body.strip_prefix(&[0, 0, 0xFE, 0xFF]))
        .unwrap_or(body);
    matches!(body, [0, 0, 0, b'<', ..] | [b'<', 0, 0, 0, ..])
}

/// UTF-16 bodies (by BOM, or by the `<` next to a NUL byte that starts an XML document)
/// re-encoded as UTF-8 with a UTF-8 declaration.
fn utf16_to_utf8(body: &[u8]) -> Option<Vec<u8>> {
    if looks_utf32(body) {
        return None;
    }
    let (encoding, skip) = match Encoding::for_bom(body) {
        Some((enc, len)) if enc != UTF_8 => (enc, len),
        _ if body.starts_with(&[0, b'<']) => (encoding_rs::UTF_16BE, 0),
        _ if body.starts_with(&[b'<', 0]) => (encoding_rs::UTF_16LE, 0),
        _ => return None,
    };
    let (text, _) = encoding.decode_without_bom_handling(&body[skip..]);
    Some(declare_utf8(&text).into_bytes())
}

/// Atom 0.3 (namespace `http://purl.org/atom/ns#`) read as Atom 1.0: feed-rs only knows the
/// 1.0 namespace and would see 0.3 entries without links, ids or dates. The elements that
/// matter keep their names except the dates (`issued` → `published`, `modified` → `updated`).
/// Tried first; if 0.3-only constructs make the 1.0 reading fail, the body is parsed as is.
fn atom03_to_10(body: &[u8]) -> Option<Vec<u8>> {
    const ATOM03: &[u8] = b"http://purl.org/atom/ns#";
    if !body.windows(ATOM03.len()).any(|w| w == ATOM03) {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let text = text.replace("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom");
    let renames = [("issued", "published"), ("modified", "updated")];
    let text = renames.iter().fold(text, |t, (from, to)| {
        t.replace(&format!("<{from}>"), &format!("<{to}>"))
            .replace(&format!("</{from}>"), &format!("</{to}>"))
    });
    Some(text.into_bytes())
}

/// A copy whose `<rss>` root says `version="2.0"` when it has no version or one feed-rs does
/// not dispatch on (0.93, 0.94, 2.01 …): real feeds do this and are plain RSS 2.0 otherwise.
fn set_rss_version(body: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(body).ok()?;
    if root_element(body)? != "rss" {
        return None;
    }
    let start = text.find("<rss")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    if [
        "version=\"2.0\"",
        "version='2.0'",
        "version=\"0.91\"",
        "version=\"0.92\"",
    ]
    .iter()
    .any(|v| tag.contains(v))
    {
        return None;
    }
    let without = strip_attr(tag, "version");
    Some(
        format!(
            "{}{without} version=\"2.0\"{}",
            &text[..start],
            &text[end..]
        )
        .into_bytes(),
    )
}

/// A copy in which Atom text constructs (`title`, `subtitle`, `summary`, `rights`, inline
/// `content`) with a `type` feed-rs rejects (`application/octet-stream` base64, a MIME type
/// instead of `xhtml`, an empty one) lose that `type` and so read as plain text: otherwise one
/// odd title makes feed-rs reject the whole feed.
fn relax_text_types(body: &[u8]) -> Option<String> {
    const ELEMENTS: [&str; 5] = ["title", "subtitle", "summary", "rights", "content"];
    const ACCEPTED: [&str; 5] = ["text", "html", "xhtml", "text/plain", "text/html"];
    let text = std::str::from_utf8(body).ok()?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(len) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + len];
        rest = &rest[open + len..];
        let name = tag[1..]
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        let value = attr_value(tag, "type").map(|v| v.trim().to_ascii_lowercase());
        let odd = value.is_some_and(|v| !ACCEPTED.contains(&v.as_str()));
        if ELEMENTS.contains(&local) && odd && attr_value(tag, "src").is_none() {
            out.push_str(&strip_attr(tag, "type"));
            changed = true;
        } else {
            out.push_str(tag);
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Where ` name=` starts in a start tag (preceded by whitespace, so `mediatype=` is not `type=`).
fn attr_start(tag: &str, name: &str) -> Option<usize> {
    let needle = format!("{name}=");
    tag.match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| tag[..i].ends_with(char::is_whitespace))
}

/// The quoted value of an attribute in a start tag.
fn attr_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let value = &tag[attr_start(tag, name)? + name.len() + 1..];
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    value[1..].split(quote).next()
}

/// The start tag without the named attribute (either quote style).
fn strip_attr(tag: &str, name: &str) -> String {
    let Some(at) = attr_start(tag, name) else {
        return tag.to_string();
    };
    let value = &tag[at + name.len() + 1..];
    let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return tag.to_string();
    };
    let len = value[1..].find(quote).map_or(value.len(), |i| i + 2);
    format!("{}{}", &tag[..at], &value[len..])
}

/// Rejects an XML body whose root element is never closed: feed-rs returns the items read so
/// far from a truncated download, which would look like a feed that dropped its older items.
fn check_complete(body: &[u8]) -> Result<(), DiscoverError> {
    let Some(root) = root_element(body) else {
        return Ok(());
    };
    let root = root
        .rsplit(':')
        .next()
        .unwrap_or(&root)
        .to_ascii_lowercase();
    if !matches!(root.as_str(), "rss" | "feed" | "rdf") {
        return Ok(());
    }
    // Any closing tag of the root (with or without prefix) counts: junk after it is common.
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    let closed = text.match_indices("</").any(|(at, _)| {
        let tag = text[at + 2..]
            .split(['>', ' ', '\t', '\r', '\n'])
            .next()
            .unwrap_or("");
        tag.rsplit(':').next() == Some(root.as_str())
    });
    if closed {
        Ok(())
    } else {
        Err(DiscoverError::Feed {
            reason: format!("truncated: the <{root}> root element is never closed"),
        })
    }
}

/// The name of the first element of an XML-ish body, skipping the BOM, the XML declaration,
/// processing instructions, comments and the doctype. `None` for JSON, text or empty bodies.
pub(crate) fn root_element(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    loop {
        rest = rest.strip_prefix('<')?;
        let skip_to = if rest.starts_with('?') {
            "?>"
        } else if rest.starts_with("!--") {
            "-->"
        } else if rest.starts_with('!') {
            ">"
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
                .collect();
            return (!name.is_empty()).then_some(name);
        };
        let end = rest.find(skip_to)? + skip_to.len();
        rest = rest[end..].trim_start();
    }
}

/// A readable reason for a feed-rs failure, naming the root element for the common case of
/// an HTML page or other XML served where the feed was expected.
fn describe(error: &ParseFeedError, body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "empty body".into();
    }
    if looks_utf32(body) {
        return "UTF-32 encoded body (not supported; feeds are UTF-8, UTF-16 or legacy 8-bit)"
            .into();
    }
    match error {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => match root_element(body) {
            Some(root) if root.eq_ignore_ascii_case("html") => {
                "an HTML page (root element <html>), not RSS, Atom or JSON Feed".into()
            }
            Some(root) if root == "rss" => "<rss> document without a readable <channel>".into(),
            Some(root) => format!("root element <{root}> is not rss, RDF, feed or entry"),
            None => "no XML root element or JSON object found".into(),
        },
        ParseFeedError::XmlReader(_) => format!("{error}{}", super::discover::xml_error_at(body)),
        other => other.to_string(),
    }
}

/// The body re-encoded as UTF-8 with its XML declaration saying so, or `None` when it is
/// already valid UTF-8 without a non-UTF-8 declaration (nothing a retry could change).
fn transcode(body: &[u8]) -> Option<Vec<u8>> {
    let (encoding, bom_len) = match Encoding::for_bom(body) {
        Some((enc, len)) => (enc, len),
        None => (guess_encoding(body)?, 0),
    };
    let (text, _) = encoding.decode_without_bom_handling(&body[bom_len..]);
    Some(declare_utf8(&text).into_bytes())
}

/// The encoding to retry with: the declared one when it is a known non-UTF-8 label,
/// otherwise (undeclared, unknown or lying UTF-8 declaration) chardetng's guess, but only
/// when the bytes are not valid UTF-8 anyway.
fn guess_encoding(body: &[u8]) -> Option<&'static Encoding> {
    if let Some(declared) = declared_encoding(body)
        && declared != UTF_8
    {
        return Some(declared);
    }
    if std::str::from_utf8(body).is_ok() {
        return None;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    Some(detector.guess(None, true))
}

/// The encoding named by `<?xml ... encoding="..."?>`, if the label is known.
fn declared_encoding(body: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
    let decl = &head[head.find("<?xml")?..];
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")? + "encoding".len();
    let value = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let label = value[1..].split(quote).next()?;
    Encoding::for_label(label.trim().as_bytes())
}

/// Replaces the encoding pseudo-attribute of the XML declaration (if any) with UTF-8, since
/// the text was transcoded and feed-rs would otherwise decode it a second time.
fn declare_utf8(text: &str) -> String {
    let Some(start) = text.find("<?xml") else {
        return text.to_string();
    };
    let Some(len) = text[start..].find("?>") else {
        return text.to_string();
    };
    let end = start + len + 2;
    format!(
        "{}<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
        &text[..start],
        &text[end..]
    )
}

/// Converts the parsed feed's entries, skipping those without a usable URL and duplicates.
fn collect(feed: &Feed, feed_base: Option<&Url>) -> Vec<Discovered> {
    let site_base = feed_site_base(feed, feed_base);
    let mut seen = HashSet::new();
    feed.entries
        .iter()
        .filter_map(|entry| discovered(feed, entry, site_base.as_ref().or(feed_base)))
        .filter(|d| seen.insert(d.url.clone()))
        .collect()
}

/// The feed's own site link (its alternate link), resolved against the feed URL: the base for
/// entry links that are still relative after feed-rs's xml:base handling.
fn feed_site_base(feed: &Feed, feed_base: Option<&Url>) -> Option<Url> {
    let link = pick_link(&feed.links)?;
    match feed_base {
        Some(base) => base.join(link.href.trim()).ok(),
        None => Url::parse(link.href.trim()).ok(),
    }
}

/// One entry as a [`Discovered`], or `None` when it names no http(s) article URL.
fn discovered(feed: &Feed, entry: &Entry, base: Option<&Url>) -> Option<Discovered> {
    let entry_base = entry.base.as_deref().and_then(|b| match base {
        Some(base) => base.join(b).ok(),
        None => Url::parse(b).ok(),
    });
    let base = entry_base.as_ref().or(base);
    let url = entry_url(entry, base)?;
    let is_rss = matches!(
        feed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    );
    // feed-rs copies an RSS item's pubDate into `updated`; that is not a modification date.
    let updated = entry
        .updated
        .filter(|u| !(is_rss && Some(*u) == entry.published));
    Some(Discovered {
        url,
        title: entry.title.as_ref().and_then(|t| plain_text(&t.content)),
        published: entry.published,
        updated,
        authors: authors(entry),
    })
}

/// The article link: the entry's alternate/HTML link, else a GUID/id that is itself an
/// http(s) URL (RSS `isPermaLink` GUIDs, Atom ids that are URLs).
fn entry_url(entry: &Entry, base: Option<&Url>) -> Option<String> {
    if let Some(link) = pick_link(&entry.links)
        && let Some(url) = normalize_url(&link.href, base)
    {
        return Some(url);
    }
    let id = entry.id.trim();
    let lower = id.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return normalize_url(id, None);
    }
    None
}

/// Picks the link that points at the article page: `rel` absent or `alternate`, not a
/// comments link, not a media attachment; an HTML-typed one wins over an untyped one.
fn pick_link(links: &[Link]) -> Option<&Link> {
    let candidates: Vec<&Link> = links.iter().filter(|l| is_article_link(l)).collect();
    candidates
        .iter()
        .find(|l| l.media_type.as_deref().is_some_and(is_html_type))
        .or_else(|| candidates.first())
        .copied()
}

fn is_article_link(link: &Link) -> bool {
    let rel_ok = link
        .rel
        .as_deref()
        .is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate"));
    let type_ok = link.media_type.as_deref().is_none_or(is_html_type);
    rel_ok && type_ok && link.target.is_none() && !link.href.trim().is_empty()
}

fn is_html_type(media_type: &str) -> bool {
    let t = media_type.trim().to_ascii_lowercase();
    t.is_empty() || t.starts_with("text/html") || t.starts_with("application/xhtml")
}

/// Author names as plain text, in order, without repeats; RSS `author` e-mail addresses
/// (`who@example.com (Name)`) give the name, a bare address is kept as the only identity.
fn authors(entry: &Entry) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for person in &entry.authors {
        let raw = person
            .name
            .as_deref()
            .or(person.email.as_deref())
            .unwrap_or("");
        if let Some(name) = plain_text(raw)
            && !out.contains(&name)
        {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED_URL: &str = "https://news.example.com/feeds/all.xml";

    fn parse(body: &[u8]) -> Vec<Discovered> {
        parse_feed(body, FEED_URL).unwrap()
    }

    fn urls(items: &[Discovered]) -> Vec<&str> {
        items.iter().map(|d| d.url.as_str()).collect()
    }

    fn err(body: &[u8]) -> String {
        parse_feed(body, FEED_URL).unwrap_err().to_string()
    }

    #[test]
    fn rss2_items_with_metadata() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Example News</title><link>https://news.example.com/</link>
<item><title>Council approves budget</title>
<link>https://news.example.com/local/budget?utm_source=rss&amp;id=9</link>
<guid isPermaLink="false">budget-9</guid>
<pubDate>Tue, 03 Mar 2026 10:00:00 +0100</pubDate><dc:creator>Ann Writer</dc:creator></item>
<item><title>Second</title><link>https://news.example.com/b#top</link></item>
</channel></rss>"#;
        let items = parse(body);
        assert_eq!(
            urls(&items),
            [
                "https://news.example.com/local/budget?id=9",
                "https://news.example.com/b"
            ]
        );
        let first = &items[0];
        assert_eq!(first.title.as_deref(), Some("Council approves budget"));
        assert_eq!(
            first.published.unwrap().to_rfc3339(),
            "2026-03-03T09:00:00+00:00"
        );
        assert_eq!(
            first.updated, None,
            "RSS has no updated; feed-rs's copy of pubDate is dropped"
        );
        assert_eq!(first.authors, ["Ann Writer"]);
    }

    #[test]
    fn rss1_items() {
        let body = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example.com/"><title>Ex</title><link>https://news.example.com/</link>
<items><rdf:Seq><rdf:li resource="https://news.example.com/one"/></rdf:Seq></items></channel>
<item rdf:about="https://news.example.com/one"><title>One</title><link>https://news.example.com/one</link>
<dc:date>2026-01-02T03:04:05Z</dc:date></item>
</rdf:RDF>"#;
        let items = parse(body);
        assert_eq!(urls(&items), ["https://news.example.com/one"]);
        assert_eq!(
            items[0].published.unwrap().to_rfc3339(),
            "2026-01-02T03:04:05+00:00"
        );
    }

    #[test]
    fn atom_xml_base_and_relative_links() {
        let body = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/posts/">
<title>Blog</title><id>urn:blog</id><updated>2026-02-01T00:00:00Z</updated>
<link rel="self" href="https://blog.example.org/atom.xml"/>
<entry><title type="html">&lt;em&gt;First&lt;/em&gt; post</title><id>urn:1</id>
<link rel="replies" href="first/comments"/><link rel="enclosure" type="audio/mpeg" href="first.mp3"/>
<link rel="alternate" type="text/html" href="first.html"/>
<published>2026-01-30T12:00:00Z</published><updated>2026-01-31T08:00:00Z</updated>
<author><name>Bo</name></author><author><name>Cy</name></author></entry>
<entry xml:base="/other/"><title>Second</title><id>urn:2</id><link href="second"/></entry>
</feed>"#;
        let items = parse(body);
        assert_eq!(
            urls(&items),
            [
                "https://blog.example.org/posts/first.html",
                "https://blog.example.org/other/second"
            ]
        );
        assert_eq!(items[0].title.as_deref(), Some("First post"));
        assert_eq!(
            items[0].updated.unwrap().to_rfc3339(),
            "2026-01-31T08:00:00+00:00"
        );
        assert_eq!(items[0].authors, ["Bo", "Cy"]);
    }

    #[test]
    fn relative_rss_link_resolves_against_feed_url() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>/world/a.html</link></item>
<item><title>b</title><link>b.html</link></item></channel></rss>"#;
        assert_eq!(
            urls(&parse(body)),
            [
                "https://news.example.com/world/a.html",
                "https://news.example.com/feeds/b.html"
            ]
        );
    }

    #[test]
    fn relative_rss_link_prefers_the_channel_link_on_another_origin() {
        let body =
            br#"<rss version="2.0"><channel><title>t</title><link>https://www.example.org/</link>
<item><title>a</title><link>/world/a.html</link></item>
<item><title>b</title><link>https://cdn.example.net/b</link></item></channel></rss>"#;
        assert_eq!(
            urls(&parse(body)),
            [
                "https://www.example.org/world/a.html",
                "https://cdn.example.net/b"
            ]
        );
    }

    #[test]
    fn gzipped_feed() {
        use std::io::Write;
        let body = br#"<rss version="2.0"><channel><title>t</title><item><link>https://e.com/z</link></item></channel></rss>"#;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(body).unwrap();
        assert_eq!(urls(&parse(&enc.finish().unwrap())), ["https://e.com/z"]);
    }

    #[test]
    fn junk_after_the_root_is_not_truncation() {
        let body = br#"<rss version="2.0"><channel><title>t</title><item><link>https://e.com/j</link></item></channel></rss>
<!-- served in 0.1s --></body></html>"#;
        let result = parse_feed(body, FEED_URL);
        assert!(
            !result
                .as_ref()
                .is_err_and(|e| e.to_string().contains("truncated")),
            "{result:?}"
        );
    }

    #[test]
    fn json_feed() {
        let body = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
"home_page_url":"https://j.example.com/","items":[
{"id":"1","url":"https://j.example.com/p/1?fbclid=x","title":"One &amp; only",
 "date_published":"2026-05-01T10:00:00Z","date_modified":"2026-05-02T10:00:00Z",
 "authors":[{"name":"Dee"}],
 "attachments":[{"url":"https://cdn.example.com/a.mp3","mime_type":"audio/mpeg"}]},
{"id":"https://j.example.com/p/2","title":"No url, id is a URL"},
{"id":"3","title":"No url at all"}]}"#;
        let items = parse(body);
        assert_eq!(
            urls(&items),
            ["https://j.example.com/p/1", "https://j.example.com/p/2"]
        );
        assert_eq!(items[0].title.as_deref(), Some("One & only"));
        assert_eq!(
            items[0].updated.unwrap().to_rfc3339(),
            "2026-05-02T10:00:00+00:00"
        );
        assert_eq!(items[0].authors, ["Dee"]);
    }

    #[test]
    fn html_in_titles_becomes_plain_text() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>&lt;b&gt;Breaking:&lt;/b&gt;   Fire &amp;amp; rain</title><link>https://e.com/1</link></item>
<item><title><![CDATA[<p>Quotes &#8220;here&#8221;</p>]]></title><link>https://e.com/2</link></item>
</channel></rss>"#;
        let items = parse(body);
        assert_eq!(items[0].title.as_deref(), Some("Breaking: Fire & rain"));
        assert_eq!(
            items[1].title.as_deref(),
            Some("Quotes \u{201c}here\u{201d}")
        );
    }

    #[test]
    fn missing_guid_and_missing_link() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>no guid</title><link>https://e.com/no-guid</link></item>
<item><title>permalink guid</title><guid>https://e.com/from-guid</guid></item>
<item><title>opaque guid</title><guid isPermaLink="false">abc-123</guid></item>
<item><title>nothing</title></item>
<item><title>mailto</title><link>mailto:x@e.com</link></item>
</channel></rss>"#;
        assert_eq!(
            urls(&parse(body)),
            ["https://e.com/no-guid", "https://e.com/from-guid"]
        );
    }

    #[test]
    fn bad_date_keeps_item() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>x</title><link>https://e.com/x</link><pubDate>sometime last week</pubDate></item>
</channel></rss>"#;
        let items = parse(body);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].published, None);
    }

    #[test]
    fn duplicates_keep_first() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>first</title><link>https://e.com/x?utm_source=a</link></item>
<item><title>amp copy</title><link>https://amp.e.com/x</link></item>
<item><title>fragment copy</title><link>https://e.com/x#c</link></item>
<item><title>other</title><link>https://e.com/y</link></item>
</channel></rss>"#;
        let items = parse(body);
        assert_eq!(urls(&items), ["https://e.com/x", "https://e.com/y"]);
        assert_eq!(items[0].title.as_deref(), Some("first"));
    }

    #[test]
    fn bom_and_declared_windows_1252() {
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend_from_slice(
            b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss version=\"2.0\"><channel><title>t</title>\
<item><title>Caf\xE9 \x93quoted\x94</title><link>https://e.com/cafe</link></item></channel></rss>",
        );
        let items = parse(&body);
        assert_eq!(
            items[0].title.as_deref(),
            Some("Café \u{201c}quoted\u{201d}")
        );
    }

    #[test]
    fn undeclared_latin1_bytes_are_transcoded() {
        let body = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title>\
<item><title>Fran\xE7ais d\xE9j\xE0 vu</title><link>https://e.com/fr</link></item></channel></rss>";
        let items = parse(body);
        assert_eq!(items[0].title.as_deref(), Some("Français déjà vu"));
    }

    #[test]
    fn utf16_feeds_are_transcoded() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>t</title>\
<item><title>Ünïcode</title><link>https://e.com/u</link></item></channel></rss>";
        let be: Vec<u8> = xml.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let le_bom: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        for body in [be, le_bom] {
            assert_eq!(parse(&body)[0].title.as_deref(), Some("Ünïcode"));
        }
    }

    #[test]
    fn rss_without_version_is_read_as_rss2() {
        let body = br#"<rss><channel><title>t</title><item><title>a</title><link>https://e.com/a</link></item></channel></rss>"#;
        assert_eq!(urls(&parse(body)), ["https://e.com/a"]);
        let body = br#"<rss version="0.94"><channel><title>t</title><item><link>https://e.com/b</link></item></channel></rss>"#;
        assert_eq!(urls(&parse(body)), ["https://e.com/b"]);
    }

    #[test]
    fn atom_0_3_is_read_as_atom_1_0() {
        let body = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title>
<entry><title>Old</title><link rel="alternate" type="text/html" href="http://old.example.com/1"/>
<issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry></feed>"#;
        let items = parse(body);
        assert_eq!(urls(&items), ["http://old.example.com/1"]);
        assert_eq!(
            items[0].published.unwrap().to_rfc3339(),
            "2004-01-01T00:00:00+00:00"
        );
        assert_eq!(
            items[0].updated.unwrap().to_rfc3339(),
            "2004-01-02T00:00:00+00:00"
        );
    }

    #[test]
    fn odd_text_type_does_not_sink_the_feed() {
        let body = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="application/octet-stream">Zm9v</title>
<entry><title type="application/xhtml+xml">Odd</title><link href="https://e.com/odd"/></entry></feed>"#;
        let items = parse(body);
        assert_eq!(urls(&items), ["https://e.com/odd"]);
        assert_eq!(items[0].title.as_deref(), Some("Odd"));
    }

    #[test]
    fn rss_without_channel_is_an_error() {
        let e = err(b"<rss version=\"2.0\"></rss>");
        assert!(e.contains("without a readable <channel>"), "{e}");
    }

    #[test]
    fn empty_valid_feed_is_ok() {
        let body = br#"<rss version="2.0"><channel><title>t</title><link>https://e.com/</link></channel></rss>"#;
        assert_eq!(parse(body), vec![]);
        let atom =
            br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id></feed>"#;
        assert_eq!(parse(atom), vec![]);
    }

    #[test]
    fn html_page_is_an_error() {
        let e =
            err(b"<!DOCTYPE html>\n<html><head><title>Home</title></head><body>hi</body></html>");
        assert!(e.contains("HTML page"), "{e}");
    }

    #[test]
    fn garbage_and_empty_are_errors() {
        assert!(err(b"").contains("empty body"));
        assert!(err(b"   \n").contains("empty body"));
        let e = err(b"\x00\x01binary garbage");
        assert!(e.starts_with("not a feed:"), "{e}");
        let e = err(b"<?xml version=\"1.0\"?><urlset><url/></urlset>");
        assert!(e.contains("<urlset>"), "{e}");
    }

    #[test]
    fn utf32_is_named_in_the_error() {
        let body: Vec<u8> = "<rss version=\"2.0\"></rss>"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert!(err(&body).contains("UTF-32"), "{}", err(&body));
    }

    #[test]
    fn truncated_feed_is_an_error() {
        let body = br#"<rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://e.com/a</link></item>
<item><title>b</title><li"#;
        let e = err(body);
        assert!(e.contains("truncated") || e.contains("XML"), "{e}");
    }

    #[test]
    fn malformed_xml_is_an_error() {
        let e = err(b"<rss version=\"2.0\">\n<channel><title>t</titel></channel></rss>");
        assert!(
            e.starts_with("not a feed: unable to parse XML") && e.contains("line 2, column 18"),
            "{e}"
        );
    }
}
