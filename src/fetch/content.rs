//! Is a response a text document, and is it HTML? (pure)

use super::charset::{charset_from_content_type, mime_essence};
use encoding_rs::{UTF_16BE, UTF_16LE};

/// Declared types we accept: `text/*`, HTML/XML/JSON (feeds and sitemaps use this client too).
/// Any other declared type (image/*, application/octet-stream, application/pdf, …) is binary.
/// A missing Content-Type is decided by sniffing the bytes.
pub(crate) fn declared_textual(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return true };
    let essence = mime_essence(ct);
    essence.is_empty()
        || essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/xml" | "application/json" | "application/javascript"
        )
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
}

/// A gzip file (as opposed to a gzip Content-Encoding): `.xml.gz` sitemaps.
pub(crate) fn is_gzip(content_type: &str) -> bool {
    matches!(
        mime_essence(content_type).as_str(),
        "application/gzip" | "application/x-gzip" | "application/octet-stream"
    )
}

/// Bytes that are clearly not text whatever the header says: NULs in the first KB
/// (unless UTF-16) or the signature of a common binary format.
pub(crate) fn looks_binary(bytes: &[u8], content_type: Option<&str>) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"\x89PNG\r\n\x1a\n",
        b"GIF87a",
        b"GIF89a",
        b"\xff\xd8\xff",
        b"%PDF-",
        b"PK\x03\x04",
        b"RIFF",
        b"\0\0\x01\0",
    ];
    if SIGNATURES.iter().any(|s| bytes.starts_with(s)) {
        return true;
    }
    let utf16 = bytes.starts_with(b"\xff\xfe")
        || bytes.starts_with(b"\xfe\xff")
        || content_type
            .and_then(charset_from_content_type)
            .is_some_and(|e| e == UTF_16LE || e == UTF_16BE);
    !utf16 && bytes[..bytes.len().min(1024)].contains(&0)
}

/// HTML by declared type, or (no/generic type) by its first bytes.
pub(crate) fn is_html(content_type: Option<&str>, text: &str) -> bool {
    let essence = content_type.map(mime_essence).unwrap_or_default();
    match essence.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "" => {
            let head: String = text
                .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
                .chars()
                .take(1024)
                .collect();
            let lower = head.to_ascii_lowercase();
            lower.starts_with("<!doctype html")
                || lower.starts_with("<html")
                || lower.contains("<html")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types() {
        assert!(declared_textual(None));
        assert!(declared_textual(Some("text/html; charset=utf-8")));
        assert!(declared_textual(Some("TEXT/PLAIN")));
        assert!(declared_textual(Some("application/rss+xml")));
        assert!(declared_textual(Some("application/feed+json")));
        assert!(!declared_textual(Some("image/png")));
        assert!(!declared_textual(Some("application/octet-stream")));
        assert!(!declared_textual(Some("application/pdf")));
    }

    #[test]
    fn binary_bytes() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n....", Some("text/html")));
        assert!(looks_binary(b"<html>\0\0\0", None));
        assert!(!looks_binary(b"\xff\xfe<\0h\0", None));
        assert!(!looks_binary(
            b"<\0h\0",
            Some("text/html; charset=utf-16le")
        ));
        assert!(!looks_binary("<p>café</p>".as_bytes(), None));
        let mut late_nul = vec![b'a'; 2000];
        late_nul.push(0);
        assert!(!looks_binary(&late_nul, None));
    }

    #[test]
    fn html_or_not() {
        assert!(is_html(Some("text/html"), "hello"));
        assert!(!is_html(Some("text/plain"), "<html>"));
        assert!(is_html(None, "\n  <!DOCTYPE html><p>x"));
        assert!(!is_html(None, "just words"));
    }
}
