//! Per-site extraction rules: CSS selectors from `[[extract.site]]` for the sites where the
//! heuristics fail. A rule set applies to its host and the host's subdomains; every field is
//! optional, and a field whose selectors match nothing on a page falls back to the heuristics
//! (a redesign then degrades to "heuristic" instead of to "empty").

use scraper::Selector;

use super::content::SiteSelectors;
use super::dom::Dom;
use super::metadata::{Metadata, parse_datetime, parse_human_date, split_authors};
use super::normalize::normalize_text;

/// One site's rules as written in the config (selectors as strings).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SiteRuleConfig {
    pub host: String,
    pub content: Vec<String>,
    pub remove: Vec<String>,
    pub headline: Vec<String>,
    pub byline: Vec<String>,
    pub published: Vec<String>,
}

/// One site's rules, compiled.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    pub host: String,
    pub selectors: SiteSelectors,
    pub headline: Vec<Selector>,
    pub byline: Vec<Selector>,
    pub published: Vec<Selector>,
}

/// A selector that does not parse, with the field it came from.
#[derive(Debug, thiserror::Error)]
#[error("{field}[{index}]: invalid CSS selector {selector:?}: {message}")]
pub struct RuleError {
    pub field: &'static str,
    pub index: usize,
    pub selector: String,
    pub message: String,
}

fn compile(field: &'static str, list: &[String]) -> Result<Vec<Selector>, RuleError> {
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            Selector::parse(s).map_err(|e| RuleError {
                field,
                index: i + 1,
                selector: s.clone(),
                message: e.to_string(),
            })
        })
        .collect()
}

impl SiteRules {
    /// Compiles a config entry; every bad selector is reported.
    pub fn compile(c: &SiteRuleConfig) -> Result<SiteRules, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut take = |field, list: &[String]| match compile(field, list) {
            Ok(v) => v,
            Err(e) => {
                errors.push(e);
                Vec::new()
            }
        };
        let rules = SiteRules {
            host: c.host.trim().trim_start_matches("*.").to_ascii_lowercase(),
            selectors: SiteSelectors {
                content: take("content", &c.content),
                remove: take("remove", &c.remove),
            },
            headline: take("headline", &c.headline),
            byline: take("byline", &c.byline),
            published: take("published", &c.published),
        };
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(errors)
        }
    }

    /// Whether these rules cover `host` (the host itself or a subdomain of it).
    pub fn covers(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host == self.host || host.ends_with(&format!(".{}", self.host))
    }

    /// Overrides metadata fields whose selectors match on this page.
    pub fn apply_metadata(&self, dom: &Dom, meta: &mut Metadata) {
        if let Some(h) = first_text(dom, &self.headline) {
            meta.headline = Some(normalize_text(&h));
        }
        let names: Vec<String> = matches(dom, &self.byline)
            .into_iter()
            .flat_map(|i| split_authors(&dom.text_of(i)))
            .collect();
        if !names.is_empty() {
            meta.byline = names;
        }
        if let Some(d) = matches(dom, &self.published).into_iter().find_map(|i| {
            let n = &dom.nodes[i];
            n.attr("datetime")
                .or(n.attr("content"))
                .and_then(parse_datetime)
                .or_else(|| parse_human_date(&dom.text_of(i)))
        }) {
            meta.published = Some(d);
        }
    }
}

/// The rules that apply to a URL's host, most specific host first.
pub fn for_url<'r>(rules: &'r [SiteRules], url: Option<&str>) -> Option<&'r SiteRules> {
    let host = url::Url::parse(url?).ok()?.host_str()?.to_string();
    rules
        .iter()
        .filter(|r| r.covers(&host))
        .max_by_key(|r| r.host.len())
}

fn matches(dom: &Dom, sels: &[Selector]) -> Vec<usize> {
    if sels.is_empty() {
        return Vec::new();
    }
    dom.nodes
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let el = scraper::ElementRef::wrap(n.node)?;
            sels.iter().any(|s| s.matches(&el)).then_some(i)
        })
        .collect()
}

fn first_text(dom: &Dom, sels: &[Selector]) -> Option<String> {
    matches(dom, sels)
        .into_iter()
        .map(|i| dom.text_of(i))
        .find(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(content: &[&str], remove: &[&str]) -> SiteRuleConfig {
        SiteRuleConfig {
            host: "news.example".into(),
            content: content.iter().map(|s| s.to_string()).collect(),
            remove: remove.iter().map(|s| s.to_string()).collect(),
            headline: vec!["h2.kicker-headline".into()],
            byline: vec![".who".into()],
            published: vec![".when".into()],
        }
    }

    const PAGE: &str = r#"<html><head><title>Wrong title</title></head><body>
        <div class="x1"><p>Menu text that is long enough to be mistaken for a paragraph of article prose, with commas, and more, and more.</p>
        <p>Another navigation paragraph that is long enough to be mistaken for article prose, with commas, too, yes.</p></div>
        <h2 class="kicker-headline">Bridge reopens after repairs</h2><span class="who">By Ann Lee and Bo Kim</span>
        <span class="when">5 March 2024</span>
        <div class="x2"><p>The bridge reopened on Tuesday after six weeks of repairs, the city said.</p>
        <div class="x3">Sponsored: buy our things now.</div>
        <p>Traffic is expected to return to normal by the weekend.</p></div></body></html>"#;

    #[test]
    fn selectors_override_heuristics() {
        let r = SiteRules::compile(&rule(&[".x2"], &[".x3"])).unwrap();
        let a =
            crate::extract::extract_html_with(PAGE, Some("https://www.news.example/a"), Some(&r))
                .unwrap();
        assert_eq!(a.headline.as_deref(), Some("Bridge reopens after repairs"));
        assert_eq!(a.byline, ["Ann Lee", "Bo Kim"]);
        assert_eq!(a.published.unwrap().date_naive().to_string(), "2024-03-05");
        assert_eq!(a.method, "html:site-rules");
        assert_eq!(
            a.paragraphs,
            [
                "The bridge reopened on Tuesday after six weeks of repairs, the city said.",
                "Traffic is expected to return to normal by the weekend."
            ]
        );
    }

    #[test]
    fn content_selector_matching_nothing_falls_back() {
        let r = SiteRules::compile(&rule(&[".gone"], &[])).unwrap();
        let a = crate::extract::extract_html_with(PAGE, None, Some(&r)).unwrap();
        assert!(a.method.starts_with("html:scored"), "{}", a.method);
    }

    #[test]
    fn bad_selectors_are_all_reported() {
        let mut c = rule(&["div[", "ok"], &[">>>"]);
        c.byline = vec!["::nope(".into()];
        let errs = SiteRules::compile(&c).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.index)).collect();
        assert_eq!(fields, [("content", 1), ("remove", 1), ("byline", 1)]);
        assert!(errs[0].to_string().contains("div["), "{}", errs[0]);
    }

    #[test]
    fn host_matching() {
        let r = SiteRules::compile(&SiteRuleConfig {
            host: "example.org".into(),
            ..Default::default()
        })
        .unwrap();
        assert!(r.covers("example.org") && r.covers("www.example.org") && r.covers("EXAMPLE.ORG"));
        assert!(!r.covers("badexample.org") && !r.covers("example.org.evil"));
        let all = [r];
        assert!(for_url(&all, Some("https://news.example.org/x")).is_some());
        assert!(for_url(&all, Some("https://other.org/x")).is_none());
    }
}
