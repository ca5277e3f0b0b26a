//! Types shared by the feed and sitemap parsers: what a discovery source found, and why a
//! document could not be read as one.

use std::io::Read;

use chrono::{DateTime, Utc};

/// One article URL found in a feed or sitemap, with the metadata the feed gave (hints only:
/// the article page itself is the authority, these just order and label the work).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Discovered {
    /// Normalised (see [`super::urlnorm::normalize_url`]) and absolute.
    pub url: String,
    /// Plain text: HTML stripped, entities decoded, whitespace collapsed.
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Feed `<updated>` or sitemap `<lastmod>`.
    pub updated: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
}

impl Discovered {
    /// A bare entry: only the URL is known.
    pub fn new(url: String) -> Self {
        Self {
            url,
            title: None,
            published: None,
            updated: None,
            authors: Vec::new(),
        }
    }
}

/// Why a body could not be read as a feed or sitemap. Each message names what was wrong so a
/// source's error log says whether the site changed format, broke its XML or sent HTML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoverError {
    #[error("not a feed: {reason}")]
    Feed { reason: String },
    #[error("not a sitemap: {reason}")]
    Sitemap { reason: String },
    /// A gzip body that does not decompress (corrupt or truncated).
    #[error("bad gzip body: {reason}")]
    Gzip { reason: String },
    /// Decompressing would exceed the cap: a zip bomb or an absurd sitemap.
    #[error("decompressed body exceeds {limit} bytes")]
    TooLarge { limit: usize },
}

/// Upper bound on a decompressed body, the sitemaps.org limit (50 MiB).
pub const MAX_DECOMPRESSED: usize = 50 * 1024 * 1024;

/// Decompresses a body that starts with the gzip magic (a `.xml.gz` served without
/// `Content-Encoding`), refusing to go past [`MAX_DECOMPRESSED`]; other bodies pass through.
pub fn gunzip_if_needed(body: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, DiscoverError> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body.into());
    }
    let mut out = Vec::new();
    let decoder = flate2::read::MultiGzDecoder::new(body);
    decoder
        .take(MAX_DECOMPRESSED as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| DiscoverError::Gzip {
            reason: e.to_string(),
        })?;
    if out.len() > MAX_DECOMPRESSED {
        return Err(DiscoverError::TooLarge {
            limit: MAX_DECOMPRESSED,
        });
    }
    Ok(out.into())
}

/// Turns a title that may hold HTML markup or entities into plain text with single spaces;
/// `None` when nothing visible is left. Feeds escape titles inconsistently (plain text,
/// escaped HTML, double-escaped entities), so anything with `<` or `&` goes through an
/// HTML fragment parse, which decodes every named and numeric entity.
pub fn plain_text(raw: &str) -> Option<String> {
    let text = if raw.contains(['<', '&']) {
        let fragment = scraper::Html::parse_fragment(raw);
        fragment.root_element().text().collect::<String>()
    } else {
        raw.to_string()
    };
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// `" at line L, column C"` for the first XML syntax error in `body`, found by a quick-xml
/// pass: neither feed-rs nor sitemapo report where their XML error is, and "line 3, column
/// 17" is what a person fixing or reporting a broken feed needs. Empty when the body is
/// well-formed as far as quick-xml checks (or is not XML at all).
pub fn xml_error_at(body: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => return String::new(),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    let offset = usize::try_from(reader.error_position())
        .unwrap_or(0)
        .min(body.len());
    let before = &body[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    format!(" at line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_strips_markup_and_decodes_entities() {
        assert_eq!(
            plain_text("<b>Big</b> &amp; <i>bold</i>").unwrap(),
            "Big & bold"
        );
        assert_eq!(
            plain_text("Caf&eacute; &#8220;x&#x201D;").unwrap(),
            "Café \u{201c}x\u{201d}"
        );
        assert_eq!(plain_text("  a \n\t b  ").unwrap(), "a b");
        assert_eq!(plain_text("1 < 2 and 3 > 2").unwrap(), "1 < 2 and 3 > 2");
        assert_eq!(plain_text("<p> </p>"), None);
        assert_eq!(plain_text(""), None);
    }

    #[test]
    fn xml_error_position() {
        assert_eq!(
            xml_error_at(b"<a>\n  <b></c>\n</a>"),
            " at line 2, column 6"
        );
        assert_eq!(xml_error_at(b"<a><b/></a>"), "");
    }

    #[test]
    fn error_messages_name_the_problem() {
        let e = DiscoverError::Feed {
            reason: "no root element".into(),
        };
        assert_eq!(e.to_string(), "not a feed: no root element");
        assert_eq!(
            DiscoverError::TooLarge { limit: 10 }.to_string(),
            "decompressed body exceeds 10 bytes"
        );
    }
}
