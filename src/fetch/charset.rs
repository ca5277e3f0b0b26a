//! Charset detection and decoding (pure).
//!
//! Order: a byte-order mark always wins (as in browsers), then the `charset` of the
//! Content-Type header, then `<meta charset>` / `<meta http-equiv="content-type">` in the
//! first 4 KB (not for `text/plain`), then detection (valid UTF-8, else `chardetng`).
//! One exception to the declarations: a body that is valid UTF-8 *and* has multi-byte
//! sequences is UTF-8 whatever the header or `<meta>` claims — pages re-encoded by a CMS or
//! a proxy keep their old `charset=gb2312`, while legacy-encoded text of any length is
//! practically never valid UTF-8 by accident.
//! The reverse lie is caught too: a body declared UTF-8 that is not valid UTF-8 and holds no
//! multi-byte sequence at all is legacy-encoded text under a wrong header (a CMS that
//! stamps `charset=utf-8` on every page), so its encoding is detected — otherwise the same
//! article served once with the lie and once without reads as two different texts.
//! Decoding is lossy: invalid bytes become U+FFFD, never a panic.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How much of the document the `<meta>` prescan looks at.
const META_SCAN_BYTES: usize = 4096;
/// How much of the document the statistical detector is fed.
const DETECT_BYTES: usize = 1 << 20;

/// Decode a response body to UTF-8. Returns the text and the name of the encoding used.
pub fn decode_body(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    let encoding = sniff_encoding(bytes, content_type);
    // `decode` strips a BOM and lets it override `encoding`.
    let (text, used, _had_errors) = encoding.decode(bytes);
    (text.into_owned(), used.name())
}

/// The encoding `decode_body` would use.
pub(crate) fn sniff_encoding(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((bom, _)) = Encoding::for_bom(bytes) {
        return bom;
    }
    let plain = content_type.is_some_and(|ct| mime_essence(ct) == "text/plain");
    let meta = || {
        (!plain)
            .then(|| meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)]))
            .flatten()
    };
    let header = content_type.and_then(charset_from_content_type);
    let declared = header.or_else(meta);
    match declared {
        // A header that lies "utf-8" over legacy bytes: the page's own `<meta>` names them
        // (a guess from a few accented bytes does not: "£" alone read as ISO-8859-2 "Ł").
        Some(enc) if enc == UTF_8 && is_legacy_not_utf8(bytes) => match header.and(meta()) {
            Some(m) if m != UTF_8 && m.is_ascii_compatible() => m,
            _ => detect(bytes),
        },
        Some(enc) if enc == UTF_8 => UTF_8,
        Some(enc) if enc.is_ascii_compatible() && is_multibyte_utf8(bytes) => UTF_8,
        Some(enc) => enc,
        None => detect(bytes),
    }
}

/// `text/html; charset="ISO-8859-1"` → windows-1252 (WHATWG labels).
pub(crate) fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// Lower-cased `type/subtype` without parameters.
pub(crate) fn mime_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Valid UTF-8 with at least one non-ASCII character.
fn is_multibyte_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Invalid UTF-8 without a single valid multi-byte sequence: legacy bytes, not UTF-8 with a
/// few corrupt ones (which still has its "é"s as two bytes).
fn is_legacy_not_utf8(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_err() && bytes.utf8_chunks().all(|chunk| chunk.valid().is_ascii())
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, true)
}

/// A simplified WHATWG "prescan a byte stream to determine its encoding".
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < head.len() {
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            i += find(&rest[4..], b"-->").map_or(rest.len(), |p| p + 7);
            continue;
        }
        if starts_with_ci(rest, b"<meta") && rest.get(5).is_some_and(|&b| is_space(b) || b == b'/')
        {
            let (found, consumed) = parse_meta(&rest[5..]);
            if let Some(enc) = found {
                // A page cannot really be UTF-16 if its meta tag was readable as ASCII.
                return Some(
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        UTF_8
                    } else if enc == encoding_rs::X_USER_DEFINED {
                        WINDOWS_1252
                    } else {
                        enc
                    },
                );
            }
            i += 5 + consumed;
            continue;
        }
        i += 1;
    }
    None
}

/// Parse the attributes of one `<meta …>` tag. Returns the charset it declares (if any)
/// and how many bytes were consumed.
fn parse_meta(s: &[u8]) -> (Option<&'static Encoding>, usize) {
    let mut i = 0;
    let (mut charset, mut http_equiv_ct, mut content) = (None, false, None);
    loop {
        while i < s.len() && (is_space(s[i]) || s[i] == b'/') {
            i += 1;
        }
        if i >= s.len() || s[i] == b'>' {
            break;
        }
        let start = i;
        while i < s.len() && !is_space(s[i]) && !matches!(s[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < s.len() && is_space(s[i]) {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < s.len() && s[i] == b'=' {
            i += 1;
            while i < s.len() && is_space(s[i]) {
                i += 1;
            }
            if i < s.len() && (s[i] == b'"' || s[i] == b'\'') {
                let quote = s[i];
                let vstart = i + 1;
                let len = s[vstart..]
                    .iter()
                    .position(|&b| b == quote)
                    .unwrap_or(s.len() - vstart);
                value = &s[vstart..vstart + len];
                i = (vstart + len + 1).min(s.len());
            } else {
                let vstart = i;
                while i < s.len() && !is_space(s[i]) && s[i] != b'>' {
                    i += 1;
                }
                value = &s[vstart..i];
            }
        }
        match name.as_slice() {
            b"charset" if charset.is_none() => charset = Encoding::for_label(trim(value)),
            b"http-equiv" => http_equiv_ct = trim(value).eq_ignore_ascii_case(b"content-type"),
            b"content" if content.is_none() => content = Some(value),
            _ => {}
        }
    }
    let found = charset.or_else(|| {
        if http_equiv_ct {
            content.and_then(charset_from_meta_content)
        } else {
            None
        }
    });
    (found, i)
}

/// `text/html; charset=windows-1252` inside a meta `content` attribute.
fn charset_from_meta_content(content: &[u8]) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + 7;
        while i < lower.len() && is_space(lower[i]) {
            i += 1;
        }
        if i < lower.len() && lower[i] == b'=' {
            i += 1;
            while i < lower.len() && is_space(lower[i]) {
                i += 1;
            }
            let rest = &content[i..];
            let value = match rest.first() {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = rest[1..].iter().position(|&b| b == q)?;
                    &rest[1..1 + end]
                }
                _ => {
                    let end = rest
                        .iter()
                        .position(|&b| is_space(b) || b == b';')
                        .unwrap_or(rest.len());
                    &rest[..end]
                }
            };
            return Encoding::for_label(value);
        }
        from = i;
    }
    None
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn trim(s: &[u8]) -> &[u8] {
    s.trim_ascii()
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_bytes_under_a_utf8_header_are_detected() {
        let body = "<p>Un café crème coûte 3,20 €, la crème brûlée aussi.</p>";
        let (bytes, _, _) = WINDOWS_1252.encode(body);
        let (text, cs) = decode_body(&bytes, Some("text/html; charset=utf-8"));
        assert_eq!(cs, "windows-1252");
        assert_eq!(text, body);
        // the same under a <meta> that lies
        let meta = [b"<meta charset=\"utf-8\">".as_slice(), &bytes].concat();
        assert_eq!(decode_body(&meta, Some("text/html")).1, "windows-1252");
        // UTF-8 with a few corrupt bytes stays UTF-8 (its valid "é" says so)
        let corrupt = b"<p>caf\xc3\xa9 then bad \xff bytes</p>";
        assert_eq!(
            decode_body(corrupt, Some("text/html; charset=utf-8")).1,
            "UTF-8"
        );
    }

    /// A CMS stamps `charset=utf-8` on a windows-1252 page whose `<meta>` says so: the meta
    /// is believed. Detection alone read this page's one "£" as ISO-8859-2 "Ł", so the same
    /// article served with and without the lie read as two texts (a false "amount removed").
    #[test]
    fn a_utf8_header_over_legacy_bytes_defers_to_the_meta_charset() {
        let body = "<html><head><meta charset=\"windows-1252\"><title>Reservoir plan for Dorfenfen</title>\
            </head><body><p>A spokesperson for Dorfenfen said the work would cost £4.0m and take 12 months.</p>\
            <p>Members said 40 residents had written to the committee about the reservoir since 2019.</p></body></html>";
        let (bytes, _, _) = WINDOWS_1252.encode(body);
        let (text, cs) = decode_body(&bytes, Some("text/html; charset=utf-8"));
        assert_eq!(cs, "windows-1252");
        assert_eq!(text, body);
        assert_eq!(
            decode_body(&bytes, Some("text/html; charset=windows-1252")).0,
            body
        );
        // a meta that says UTF-8 too names nothing: detection as before
        let lying = body.replace("windows-1252", "utf-8");
        let (bytes, _, _) = WINDOWS_1252.encode(&lying);
        assert_ne!(
            decode_body(&bytes, Some("text/html; charset=utf-8")).1,
            "UTF-8"
        );
        // text/plain has no meta to believe
        let (bytes, _, _) =
            WINDOWS_1252.encode("caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e, 3,20 \u{20ac}");
        assert_eq!(
            decode_body(&bytes, Some("text/plain; charset=utf-8")).1,
            "windows-1252"
        );
    }

    #[test]
    fn header_charset_wins_over_meta() {
        let body = b"<meta charset=utf-8><p>caf\xe9</p>";
        let (text, cs) = decode_body(body, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(cs, "windows-1252");
        assert!(text.contains("café"));
    }

    #[test]
    fn quoted_header_charset() {
        let (_, cs) = decode_body(b"x", Some("text/html; CHARSET=\"Shift_JIS\""));
        assert_eq!(cs, "Shift_JIS");
    }

    #[test]
    fn meta_charset_attribute() {
        let body =
            b"<!doctype html><html><head><meta charset=\"windows-1252\"></head><p>caf\xe9</p>";
        assert_eq!(
            decode_body(body, Some("text/html")),
            (
                "<!doctype html><html><head><meta charset=\"windows-1252\"></head><p>café</p>"
                    .to_string(),
                "windows-1252"
            )
        );
    }

    #[test]
    fn meta_http_equiv() {
        let body = b"<HTML><HEAD><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=iso-8859-15'></HEAD>\xa4";
        let (text, cs) = decode_body(body, None);
        assert_eq!(cs, "ISO-8859-15");
        assert!(text.ends_with('€'));
    }

    #[test]
    fn meta_content_without_http_equiv_is_ignored() {
        let body = b"<meta name=description content='charset=koi8-r'><p>plain ascii</p>";
        assert_eq!(decode_body(body, None).1, "UTF-8");
    }

    #[test]
    fn meta_inside_comment_is_ignored() {
        let body = b"<!-- <meta charset=koi8-r> --><p>caf\xc3\xa9</p>";
        assert_eq!(
            decode_body(body, None),
            (
                "<!-- <meta charset=koi8-r> --><p>café</p>".to_string(),
                "UTF-8"
            )
        );
    }

    #[test]
    fn meta_beyond_scan_window_is_ignored() {
        let mut body = vec![b' '; 5000];
        body.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(decode_body(&body, None).1, "UTF-8");
    }

    #[test]
    fn meta_utf16_means_utf8() {
        let (_, cs) = decode_body(b"<meta charset=utf-16><p>x</p>", None);
        assert_eq!(cs, "UTF-8");
    }

    #[test]
    fn meta_ignored_for_plain_text() {
        let (_, cs) = decode_body(b"<meta charset=koi8-r> hello", Some("text/plain"));
        assert_eq!(cs, "UTF-8");
    }

    #[test]
    fn valid_multibyte_utf8_beats_a_stale_declaration() {
        let page = "<meta charset=gb2312><p>谷歌在2014年收购的人工智能公司</p>".as_bytes();
        assert_eq!(decode_body(page, None).1, "UTF-8");
        assert!(decode_body(page, None).0.contains("谷歌"));
        let header = Some("text/html; charset=iso-8859-1");
        assert_eq!(decode_body("<p>café</p>".as_bytes(), header).1, "UTF-8");
        // genuinely legacy bytes still follow the declaration
        let (gbk, _, _) = encoding_rs::GBK.encode("<p>谷歌公司</p>");
        let (text, enc) = decode_body(&gbk, Some("text/html; charset=gbk"));
        assert_eq!((text.as_str(), enc), ("<p>谷歌公司</p>", "GBK"));
        // ASCII-only bodies keep the declared name
        assert_eq!(decode_body(b"<p>plain</p>", header).1, "windows-1252");
    }

    #[test]
    fn bom_wins() {
        let (text, cs) = decode_body(
            b"\xef\xbb\xbfcaf\xc3\xa9",
            Some("text/html; charset=windows-1252"),
        );
        assert_eq!((text.as_str(), cs), ("café", "UTF-8"));
        let (text, cs) = decode_body(b"\xff\xfeh\0i\0", None);
        assert_eq!((text.as_str(), cs), ("hi", "UTF-16LE"));
    }

    #[test]
    fn detects_utf8_and_legacy() {
        assert_eq!(decode_body("naïve café".as_bytes(), None).1, "UTF-8");
        let latin = b"<p>Le gouvernement a annonc\xe9 une r\xe9forme des retraites, pr\xe9vue pour l'\xe9t\xe9 prochain.</p>";
        let (text, cs) = decode_body(latin, Some("text/html"));
        assert_eq!(cs, "windows-1252");
        assert!(text.contains("annoncé une réforme"));
    }

    #[test]
    fn invalid_bytes_are_replaced() {
        // UTF-8 (its "é" is a valid two-byte sequence) with corrupt bytes
        let (text, cs) = decode_body(
            b"ok caf\xc3\xa9 \xff\xfe \xe2\x82",
            Some("text/html; charset=utf-8"),
        );
        assert_eq!(cs, "UTF-8");
        assert_eq!(text, "ok café \u{fffd}\u{fffd} \u{fffd}");
    }

    #[test]
    fn unknown_labels_fall_through() {
        let (_, cs) = decode_body(
            b"<meta charset=bogus>abc",
            Some("text/html; charset=nonsense"),
        );
        assert_eq!(cs, "UTF-8");
    }

    #[test]
    fn empty_and_truncated_input() {
        assert_eq!(decode_body(b"", None), (String::new(), "UTF-8"));
        assert_eq!(decode_body(b"<meta charset=\"utf", None).1, "UTF-8");
        assert_eq!(
            decode_body(b"<meta http-equiv=content-type content='charset=", None).1,
            "UTF-8"
        );
        assert_eq!(decode_body(b"<meta", None).1, "UTF-8");
        assert_eq!(decode_body(b"<!--", None).1, "UTF-8");
    }
}
