//! URL normalisation for discovered article links.
//!
//! Feeds and sitemaps name the same article in many spellings: with campaign parameters,
//! as an AMP page, with a fragment, with an explicit default port. The monitor keys every
//! article by its URL, so each spelling would otherwise become a separate article with its
//! own version history. [`normalize_url`] maps those spellings to one canonical form while
//! leaving alone everything that can select different content (path case, `id`, `p`,
//! `story` and any other unknown query parameter).

use url::Url;

/// Query keys (compared ASCII-case-insensitively) that only track the click or the
/// campaign; removing them never changes which article the server returns.
const TRACKING_KEYS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "cmp",
    "smid",
    "ito",
    "s_cid",
    "__twitter_impression",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "taid",
    "xtor",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "ns_source",
    "ns_mchannel",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "wt.mc_id",
];

/// Returns the canonical absolute form of `raw`, or `None` when it is not an http(s) URL.
///
/// Rules, applied in this order:
/// 1. **Clean-up**: surrounding whitespace (incl. NBSP and BOM), quotes and angle brackets are
///    trimmed, and `&amp;` left over from double escaping becomes `&` — feeds often escape
///    their links twice.
/// 2. **Resolution**: relative references are resolved against `base`; without a base only
///    absolute URLs are accepted.
/// 3. **Scheme**: only `http` and `https` with a host are kept (no `mailto:`, `javascript:`,
///    `ftp:`, `data:`); the scheme and host are lowercased and default ports dropped (the
///    `url` crate does both).
/// 4. **Fragment**: dropped — it never selects a different document on the server.
/// 5. **Tracking parameters**: `utm_*` and the keys in `TRACKING_KEYS` are removed; every
///    other parameter stays, in its original order and spelling. An empty query (`?`) is
///    dropped.
/// 6. **AMP**: AMP spellings map to the regular page: the `amp`/`amp=1` and
///    `outputType=amp` parameters are removed, an `amp.` host prefix is removed
///    (`amp.example.com` → `example.com`, not `amp.com`), a trailing `/amp` or `/amp/`
///    segment is removed (`/a/b/amp/` → `/a/b/`, `/a/b/amp` → `/a/b`), a leading `/amp/`
///    segment is removed (`/amp/a/b` → `/a/b`), and a `.amp` / `.amp.html` suffix of the
///    last segment becomes none / `.html`. A path that is only `/amp` is left alone: it
///    may be a section named so.
pub fn normalize_url(raw: &str, base: Option<&Url>) -> Option<String> {
    let cleaned = clean(raw);
    if cleaned.is_empty() {
        return None;
    }
    let mut url = match base {
        Some(base) => base.join(&cleaned).ok()?,
        None => Url::parse(&cleaned).ok()?,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    strip_query(&mut url);
    strip_amp_host(&mut url);
    strip_amp_path(&mut url);
    Some(url.into())
}

/// Trims the debris that surrounds links in real feeds and undoes double `&amp;` escaping.
fn clean(raw: &str) -> String {
    let trimmed = raw.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\u{feff}' | '"' | '\'' | '<' | '>')
    });
    let mut s = trimmed.to_string();
    while s.contains("&amp;") {
        s = s.replace("&amp;", "&");
    }
    s
}

/// True for query keys that only track campaigns or request the AMP rendering.
fn is_dropped_param(key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    if key.starts_with("utm_") || TRACKING_KEYS.contains(&key.as_str()) {
        return true;
    }
    match key.as_str() {
        "amp" => true,
        "outputtype" => value.eq_ignore_ascii_case("amp"),
        _ => false,
    }
}

/// Removes tracking and AMP parameters, keeping the other pairs byte for byte and in order.
fn strip_query(url: &mut Url) {
    let Some(query) = url.query() else { return };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            !is_dropped_param(&decode(key), value)
        })
        .collect();
    let new_query = kept.join("&");
    if new_query.is_empty() {
        url.set_query(None);
    } else if new_query != query {
        url.set_query(Some(&new_query));
    }
}

/// Percent-decodes a query key for comparison (`utm%5Fsource` is still `utm_source`).
fn decode(key: &str) -> String {
    url::form_urlencoded::parse(key.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

/// `amp.example.com` → `example.com`; a bare `amp.tld` is kept since it is a real domain.
fn strip_amp_host(url: &mut Url) {
    let Some(host) = url.host_str() else { return };
    if let Some(rest) = host.strip_prefix("amp.")
        && rest.contains('.')
    {
        let rest = rest.to_string();
        let _ = url.set_host(Some(&rest));
    }
}

/// Applies the AMP path rules (trailing/leading `amp` segment, `.amp` suffixes).
fn strip_amp_path(url: &mut Url) {
    let path = url.path().to_string();
    let new_path = amp_path(&path);
    if new_path != path {
        url.set_path(&new_path);
    }
}

/// The path with its AMP spelling removed; see [`normalize_url`] rule 6.
fn amp_path(path: &str) -> String {
    if let Some(head) = path.strip_suffix("/amp/")
        && !head.is_empty()
    {
        return format!("{head}/");
    }
    if let Some(head) = path.strip_suffix("/amp")
        && !head.is_empty()
    {
        return head.to_string();
    }
    if let Some(rest) = path.strip_prefix("/amp/")
        && !rest.is_empty()
    {
        return format!("/{rest}");
    }
    if let Some(head) = path.strip_suffix(".amp.html") {
        return format!("{head}.html");
    }
    if let Some(head) = path.strip_suffix(".amp")
        && !head.ends_with('/')
    {
        return head.to_string();
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> Option<String> {
        normalize_url(raw, None)
    }

    fn same(raw: &str) {
        assert_eq!(n(raw).as_deref(), Some(raw), "must not change: {raw}");
    }

    #[test]
    fn resolves_relative_against_base() {
        let base = Url::parse("https://example.com/news/feed.xml").unwrap();
        let b = Some(&base);
        assert_eq!(
            normalize_url("story.html", b).unwrap(),
            "https://example.com/news/story.html"
        );
        assert_eq!(normalize_url("/a/b", b).unwrap(), "https://example.com/a/b");
        assert_eq!(
            normalize_url("//cdn.example.org/x", b).unwrap(),
            "https://cdn.example.org/x"
        );
        assert_eq!(
            normalize_url("https://other.org/y", b).unwrap(),
            "https://other.org/y"
        );
    }

    #[test]
    fn relative_without_base_is_none() {
        assert_eq!(n("/a/b"), None);
        assert_eq!(n("story.html"), None);
        assert_eq!(n(""), None);
        assert_eq!(n("   "), None);
    }

    #[test]
    fn trims_whitespace_quotes_and_entity_leftovers() {
        assert_eq!(
            n("  https://example.com/a \n").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("\u{feff}\u{a0}https://example.com/a").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("\"https://example.com/a\"").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("<https://example.com/a>").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?id=1&amp;p=2").unwrap(),
            "https://example.com/a?id=1&p=2"
        );
        assert_eq!(
            n("https://example.com/a?id=1&amp;amp;p=2").unwrap(),
            "https://example.com/a?id=1&p=2"
        );
    }

    #[test]
    fn only_http_and_https() {
        assert_eq!(n("mailto:a@example.com"), None);
        assert_eq!(n("javascript:alert(1)"), None);
        assert_eq!(n("ftp://example.com/a"), None);
        assert_eq!(n("data:text/plain,hi"), None);
        assert_eq!(n("file:///etc/passwd"), None);
        assert_eq!(n("http://"), None);
        same("http://example.com/a");
        same("https://example.com/a");
    }

    #[test]
    fn lowercases_scheme_and_host_and_drops_default_ports() {
        assert_eq!(
            n("HTTPS://WWW.Example.COM/Path").unwrap(),
            "https://www.example.com/Path"
        );
        assert_eq!(
            n("http://example.com:80/a").unwrap(),
            "http://example.com/a"
        );
        assert_eq!(
            n("https://example.com:443/a").unwrap(),
            "https://example.com/a"
        );
        same("https://example.com:8443/a");
        same("http://example.com:443/a");
    }

    #[test]
    fn drops_fragment() {
        assert_eq!(
            n("https://example.com/a#comments").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?id=3#x").unwrap(),
            "https://example.com/a?id=3"
        );
    }

    #[test]
    fn drops_tracking_params_keeping_order() {
        assert_eq!(
            n("https://example.com/a?utm_source=rss&id=7&utm_medium=feed&p=2&fbclid=XYZ").unwrap(),
            "https://example.com/a?id=7&p=2"
        );
        assert_eq!(
            n("https://example.com/a?UTM_Source=x").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?utm%5Fsource=x&b=1").unwrap(),
            "https://example.com/a?b=1"
        );
        for key in [
            "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
        ] {
            assert_eq!(
                n(&format!("https://e.com/a?{key}=1")).unwrap(),
                "https://e.com/a",
                "{key}"
            );
        }
        for key in [
            "yclid", "_ga", "_gl", "ocid", "cmpid", "smid", "ito", "s_cid", "taid",
        ] {
            assert_eq!(
                n(&format!("https://e.com/a?{key}=1")).unwrap(),
                "https://e.com/a",
                "{key}"
            );
        }
        for key in [
            "__twitter_impression",
            "at_medium",
            "at_campaign",
            "CMP",
            "xtor",
        ] {
            assert_eq!(
                n(&format!("https://e.com/a?{key}=1")).unwrap(),
                "https://e.com/a",
                "{key}"
            );
        }
    }

    #[test]
    fn drops_empty_query() {
        assert_eq!(
            n("https://example.com/a?").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?&").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?utm_campaign=").unwrap(),
            "https://example.com/a"
        );
    }

    #[test]
    fn keeps_meaningful_params_untouched() {
        same("https://example.com/?p=123");
        same("https://example.com/article.php?id=42&page=2");
        same("https://example.com/view?story=abc&section=world");
        same("https://example.com/a?b=1&a=2");
        same("https://example.com/a?q=caf%C3%A9");
        same("https://example.com/a?ref=home");
        same("https://example.com/a?utmost=1");
        same("https://example.com/a?camp=1");
        same("https://example.com/a?outputType=print");
        same("https://example.com/a?example=1");
    }

    #[test]
    fn amp_params() {
        assert_eq!(
            n("https://example.com/a?amp").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?amp=1").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://example.com/a?id=4&amp=1").unwrap(),
            "https://example.com/a?id=4"
        );
        assert_eq!(
            n("https://example.com/a?outputType=amp&id=4").unwrap(),
            "https://example.com/a?id=4"
        );
    }

    #[test]
    fn amp_host_prefix() {
        assert_eq!(
            n("https://amp.example.com/a").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            n("https://amp.news.example.co.uk/a").unwrap(),
            "https://news.example.co.uk/a"
        );
        same("https://amp.com/a");
        same("https://camp.example.com/a");
        same("https://ampere.example.com/a");
    }

    #[test]
    fn amp_trailing_segment() {
        assert_eq!(
            n("https://example.com/2024/01/slug/amp/").unwrap(),
            "https://example.com/2024/01/slug/"
        );
        assert_eq!(
            n("https://example.com/news/story/amp").unwrap(),
            "https://example.com/news/story"
        );
        same("https://example.com/amp");
        same("https://example.com/news/ampersand");
        same("https://example.com/news/camp/");
    }

    #[test]
    fn amp_leading_segment() {
        assert_eq!(
            n("https://example.com/amp/world/story-1").unwrap(),
            "https://example.com/world/story-1"
        );
        same("https://example.com/amplifier/story");
    }

    #[test]
    fn amp_suffixes() {
        assert_eq!(
            n("https://example.com/news/world-123.amp").unwrap(),
            "https://example.com/news/world-123"
        );
        assert_eq!(
            n("https://example.com/story.amp.html").unwrap(),
            "https://example.com/story.html"
        );
        same("https://example.com/story.html");
        same("https://example.com/news/champ");
    }

    #[test]
    fn leaves_path_case_and_trailing_slash_alone() {
        same("https://example.com/News/Story");
        same("https://example.com/news/");
        same("https://example.com/news");
        same("https://example.com/");
    }
}
