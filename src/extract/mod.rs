//! Extraction (pure): a fetched or dropped document → [`Article`]. HTML goes through
//! metadata (JSON-LD, OpenGraph, `<time>`) plus main-content extraction; plain text through
//! a boilerplate-aware line reader. The body keeps the page's own glyphs (quotes, dashes);
//! everything that decides identity or compares — the content hash, diffs, claims, stories —
//! reads [`Article::normalized`], so cosmetic noise never changes the article's hash.

pub mod chrome;
pub mod content;
pub mod dom;
mod fallback;
pub mod metadata;
pub mod normalize;
pub mod rules;
pub mod text;

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

/// One version of an article as factdiff understands it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// The display headline above the article (its credible `<h1>`, else the metadata title).
    pub headline: Option<String>,
    /// The metadata headline (JSON-LD `headline`, else `og:title`, else `<title>`, site name
    /// removed). Absent in versions stored before it was extracted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub canonical_url: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    /// Body paragraphs as the page writes them ([`normalize::faithful_text`]: typographic
    /// quotes and dashes kept, whitespace and invisible characters cleaned). Versions stored
    /// before this hold the normalised form. Compare through [`Article::normalized`].
    pub paragraphs: Vec<String>,
    /// Which extractor produced it, e.g. `"html:scored"`, `"html:site-rules"` or `"text"`.
    pub method: String,
    /// 0–1; below [`MIN_CONFIDENCE`] the extraction is considered broken.
    pub confidence: f32,
}

/// Extractions below this confidence are stored but flagged, and produce no change event.
pub const MIN_CONFIDENCE: f32 = 0.3;

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("document is empty")]
    Empty,
    #[error("no article text found in the page")]
    NoContent,
}

impl Article {
    /// The article as factdiff compares it: every text field in its normalised form
    /// ([`normalize::normalize_text`]: straight quotes, one dash style, NFKC), so a page
    /// re-rendered with other glyphs compares equal. Paragraph indices are kept (no faithful
    /// paragraph normalises to nothing).
    pub fn normalized(&self) -> Article {
        let norm = normalize::normalize_text;
        Article {
            headline: self.headline.as_deref().map(norm),
            title: self.title.as_deref().map(norm),
            byline: self.byline.iter().map(|b| norm(b)).collect(),
            paragraphs: self.paragraphs.iter().map(|p| norm(p)).collect(),
            ..self.clone()
        }
    }

    /// Hash of what a reader sees, normalised: headline, byline and body. Dates and metadata
    /// are left out on purpose — sites re-stamp "updated" times without changing a word —
    /// and glyphs are normalised, so a page re-rendered with curly quotes is the same version,
    /// and versions stored when the text itself was kept normalised hash as they did.
    pub fn content_hash(&self) -> String {
        let norm = normalize::normalize_text;
        let mut h = Sha256::new();
        h.update(norm(self.headline.as_deref().unwrap_or("")));
        h.update("\n\u{1}");
        // the metadata title counts when known (versions stored before it was extracted
        // hash as they did; see `observe`)
        if let Some(t) = &self.title {
            h.update(norm(t));
            h.update("\n\u{2}");
        }
        let byline: Vec<String> = self.byline.iter().map(|b| norm(b)).collect();
        h.update(byline.join("; "));
        h.update("\n\u{1}");
        // Paragraphs joined by a space: a re-split paragraph is not a new version.
        for p in &self.paragraphs {
            h.update(norm(p));
            h.update(" ");
        }
        hex(&h.finalize())
    }

    /// [`Article::content_hash`] as it was before `title` was extracted, for comparing with
    /// versions stored then (their `title` is absent): an upgrade is not a new version.
    pub fn content_hash_without_title(&self) -> String {
        Article {
            title: None,
            ..self.clone()
        }
        .content_hash()
    }

    /// Body as plain text, paragraphs separated by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    pub fn word_count(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }

    /// Why this extraction looks broken, if it does.
    pub fn broken_reason(&self) -> Option<&'static str> {
        (self.confidence < MIN_CONFIDENCE).then(|| {
            if self.word_count() < 50 {
                "too little text"
            } else {
                "mostly links or fragments"
            }
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a document is HTML (as opposed to plain text), from its content type or its
/// first bytes.
pub fn looks_like_html(content_type: Option<&str>, body: &str) -> bool {
    if let Some(ct) = content_type {
        let ct = ct.to_ascii_lowercase();
        if ct.contains("html") || ct.contains("xml") {
            return true;
        }
        if ct.starts_with("text/plain") {
            return false;
        }
    }
    let head: String = body
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
        || head.contains("<head")
        || (head.starts_with('<') && head.contains("<p"))
}

/// Extracts an article from a document of either kind.
pub fn extract(
    body: &str,
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<Article, ExtractError> {
    extract_with(body, content_type, url, &[])
}

/// [`extract`], applying the site rules that cover `url`'s host.
pub fn extract_with(
    body: &str,
    content_type: Option<&str>,
    url: Option<&str>,
    site_rules: &[rules::SiteRules],
) -> Result<Article, ExtractError> {
    if body.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if looks_like_html(content_type, body) {
        extract_html_with(body, url, rules::for_url(site_rules, url))
    } else {
        Ok(extract_plain(body))
    }
}

/// Extracts an article from plain text.
pub fn extract_plain(input: &str) -> Article {
    let mut t = text::extract_text(input);
    // Chrome lines ("Published: Thursday, May 2, 2013, 1:32 PM", "Updated 4:08 p.m. ET",
    // bylines, credits) come along in pasted or saved text as in HTML: the same shape rules.
    let normal: Vec<String> = t
        .paragraphs
        .iter()
        .map(|p| normalize::both_forms(p).1)
        .collect();
    let keep = chrome::kept(
        &normal,
        &chrome::PageFacts {
            byline: &t.byline,
            published: t.published,
            modified: None,
        },
    );
    let mut keep = keep.into_iter();
    t.paragraphs.retain(|_| keep.next().unwrap_or(true));
    let words: usize = t
        .paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    Article {
        headline: t.headline,
        byline: t.byline,
        published: t.published,
        paragraphs: t.paragraphs,
        method: "text".into(),
        confidence: if words >= 50 {
            0.9
        } else if words > 0 {
            0.5
        } else {
            0.0
        },
        ..Article::default()
    }
}

/// Extracts an article from HTML: metadata from the head, body from the main content.
pub fn extract_html(html: &str, url: Option<&str>) -> Result<Article, ExtractError> {
    extract_html_with(html, url, None)
}

/// [`extract_html`] with a site's selector rules (see [`rules::SiteRules`]).
pub fn extract_html_with(
    html: &str,
    url: Option<&str>,
    rules: Option<&rules::SiteRules>,
) -> Result<Article, ExtractError> {
    let doc = scraper::Html::parse_document(html);
    let dom = dom::Dom::new(&doc);
    let mut meta = metadata::read_metadata(&dom, url);
    if let Some(r) = rules {
        r.apply_metadata(&dom, &mut meta);
    }
    // No article text: the page's metadata still holds, so it comes back with an empty body
    // (confidence 0, i.e. flagged as broken) instead of being lost with an error.
    let own_url = meta.canonical_url.as_deref().or(url);
    let body = content::extract_body(&dom, rules.map(|r| &r.selectors), own_url).ok();
    let body = fallback::better_body(&dom, body, meta.article_body.as_deref(), own_url).unwrap_or(
        content::Body {
            paragraphs: Vec::new(),
            method: "none",
            link_density: 0.0,
        },
    );
    let headline = meta.headline;
    let title = meta.title;
    let byline = meta.byline;
    // Decisions are taken on the normalised text; the faithful one is what is kept.
    let (mut faithful, mut normal): (Vec<String>, Vec<String>) = body
        .paragraphs
        .iter()
        .map(|p| normalize::both_forms(p))
        .filter(|(_, n)| !n.is_empty())
        .unzip();
    // The headline and byline are fields; repeated inside the body they would double-count.
    if let (Some(h), Some(first)) = (&headline, normal.first())
        && first.eq_ignore_ascii_case(h)
    {
        normal.remove(0);
        faithful.remove(0);
    }
    // Chrome in plain paragraphs (stamps, datelines, bios, credits): never article text.
    let keep = chrome::kept(
        &normal,
        &chrome::PageFacts {
            byline: &byline,
            published: meta.published,
            modified: meta.modified,
        },
    );
    // counted on the normalised text, as before faithful text was kept ("a—b" is 3 words)
    let words: usize = normal
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(p, _)| p.split_whitespace().count())
        .sum();
    let paragraphs: Vec<String> = faithful
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect();
    let confidence = if words == 0 {
        0.0
    } else {
        let size = (words as f32 / 150.0).min(1.0);
        let links = 1.0 - body.link_density.clamp(0.0, 1.0);
        (0.2 + 0.8 * size * links).min(1.0)
    };
    Ok(Article {
        headline,
        title,
        byline,
        published: meta.published,
        modified: meta.modified,
        canonical_url: meta.canonical_url.and_then(|c| absolutize(&c, url)),
        lang: meta.lang,
        site_name: meta.site_name,
        paragraphs,
        method: format!("html:{}", body.method),
        confidence,
    })
}

fn absolutize(href: &str, base: Option<&str>) -> Option<String> {
    match url::Url::parse(href) {
        Ok(u) => Some(u.to_string()),
        Err(_) => base
            .and_then(|b| url::Url::parse(b).ok())
            .and_then(|b| b.join(href).ok())
            .map(|u| u.to_string()),
    }
}

#[cfg(test)]
mod tests;
