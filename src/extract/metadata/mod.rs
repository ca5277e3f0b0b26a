//! Article metadata from the page head: JSON-LD (incl. `@graph` and type arrays),
//! OpenGraph / `article:*` meta, common `<meta name>` conventions, microdata and `<time>`.
//!
//! Order of trust, per field, highest first (publishers fill JSON-LD and OpenGraph for search
//! engines and social cards, so they are kept accurate; visible markup is decoration):
//! - headline: JSON-LD `headline` → `og:title`/`twitter:title`/… → microdata `headline` →
//!   the `<h1>` that `<title>` starts with → first `<h1>` → `<title>` minus " | Site";
//! - byline: JSON-LD `author` (string, Person, or list) → `<meta name=author>` and kin →
//!   microdata `author` → elements classed `byline`/`author` or `rel=author` that read as names;
//! - published: JSON-LD `datePublished` → `article:published_time` and 15 other meta names →
//!   microdata `datePublished` → `<time pubdate>` / classed "published" → any other meta
//!   name with "publish"/"date"/"created" → a date in the URL path → the first
//!   `<time datetime>` → a visible date in an element classed date/time/published → a
//!   dateline in the text right after the `<h1>`;
//! - modified: JSON-LD `dateModified` → `article:modified_time`/`og:updated_time`/… →
//!   microdata; canonical: `<link rel=canonical>` → `og:url` → JSON-LD `url`;
//! - language: `<html lang>` → JSON-LD `inLanguage` → `og:locale`/`content-language`;
//!   site name: `og:site_name` → `application-name` → JSON-LD `publisher.name`.

mod byline;
mod dates;
mod jsonld;
#[cfg(test)]
mod tests;
mod title;

use super::dom::{Dom, Tag};
pub use byline::split_authors;
use byline::{authors, byline_attr, dedup, is_role_word, visible_byline};
use chrono::{DateTime, FixedOffset};
pub(crate) use dates::month_of;
use dates::{date_attr, lang_offset, url_date, visible_date};
pub use dates::{parse_datetime, parse_human_date};
use jsonld::{json_ld_article, str_field};
use serde_json::Value;
pub use title::clean_title;
use title::{banner_site, display_h1, heading_text, ld_headline};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// The display headline: the credible `<h1>` above the article, else [`Metadata::title`].
    pub headline: Option<String>,
    /// The metadata headline: JSON-LD `headline`, else `og:title` (and its kin), else the
    /// `<title>`, site name removed.
    pub title: Option<String>,
    pub byline: Vec<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub canonical_url: Option<String>,
    pub lang: Option<String>,
    pub site_name: Option<String>,
    /// JSON-LD `articleBody` as declared (raw): the article's text when the DOM has none.
    pub article_body: Option<String>,
}

/// Everything the field rules look at, gathered in one pass over the page.
#[derive(Default)]
struct Seen<'a> {
    lang: Option<&'a str>,
    title: Option<usize>,
    h1: Vec<usize>,
    /// The first h2–h6: where a page without an `<h1>` puts its headline.
    headings: Vec<usize>,
    /// `<meta>` key (property, name, itemprop or http-equiv; lowercase) and content.
    metas: Vec<(String, &'a str)>,
    canonical: Option<&'a str>,
    json_ld: Vec<usize>,
    /// Microdata: itemprop (lowercase) and element index.
    itemprops: Vec<(String, usize)>,
    /// `<time>` elements with a `datetime`: index, attribute value, whether marked as published.
    times: Vec<(usize, &'a str, bool)>,
    /// Elements whose class/id/rel says byline or author.
    bylines: Vec<usize>,
    /// Elements whose class/id/itemprop says date, time, published or posted.
    dated: Vec<usize>,
    /// `dc:date` of a commented-out RDF block (blog engines' trackback metadata).
    rdf_date: Option<&'a str>,
}

/// The `dc:date="..."` of an RDF description that blog engines (Movable Type and its kin)
/// leave in an HTML comment for trackback clients.
fn rdf_dc_date(comment: &str) -> Option<&str> {
    let at = comment.find("dc:date=\"")? + "dc:date=\"".len();
    let rest = &comment[at..];
    rest.find('"').map(|e| rest[..e].trim())
}

fn gather<'a>(dom: &Dom<'a>) -> Seen<'a> {
    let mut s = Seen::default();
    // Class names repeat across a page: judge each distinct value once (byline?, date?).
    let mut judged: rustc_hash::FxHashMap<&'a str, (bool, bool)> = rustc_hash::FxHashMap::default();
    let mut judge = |v: &'a str| -> (bool, bool) {
        if v.len() < 4 {
            return (false, false);
        }
        *judged
            .entry(v)
            .or_insert_with(|| (byline_attr(v), date_attr(v)))
    };
    for (i, n) in dom.nodes.iter().enumerate() {
        let Some(tag) = n.tag() else {
            if let scraper::Node::Comment(c) = n.node.value()
                && s.rdf_date.is_none()
            {
                s.rdf_date = rdf_dc_date(c);
            }
            continue;
        };
        match tag {
            Tag::Html => s.lang = s.lang.or(n.attr("lang")).or(n.attr("xml:lang")),
            Tag::Title if s.title.is_none() => s.title = Some(i),
            Tag::H1 if s.h1.len() < 8 => s.h1.push(i),
            Tag::Heading if s.headings.len() < 16 => s.headings.push(i),
            Tag::Meta => {
                let Some(content) = meta_content(n) else {
                    continue;
                };
                for k in ["property", "name", "itemprop", "http-equiv"] {
                    // `property="og:title dc:title"` names several properties at once
                    for key in n.attr(k).unwrap_or("").split_whitespace() {
                        s.metas.push((key.to_ascii_lowercase(), content.trim()));
                    }
                }
            }
            Tag::Link => {
                let rel = n.attr("rel").unwrap_or("");
                if s.canonical.is_none() && rel.eq_ignore_ascii_case("canonical") {
                    s.canonical = n.attr("href").map(str::trim).filter(|h| !h.is_empty());
                }
                if rel.eq_ignore_ascii_case("author") {
                    s.bylines.push(i);
                }
            }
            Tag::Script => {
                if n.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                {
                    s.json_ld.push(i);
                }
                continue;
            }
            Tag::Time => {
                if let Some(dt) = n.attr("datetime") {
                    let class = n.attr("class").unwrap_or("").to_ascii_lowercase();
                    let marked = n.attr("pubdate").is_some()
                        || n.attr("itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                        || class.contains("publish")
                        || class.contains("posted");
                    s.times.push((i, dt, marked));
                }
            }
            _ => {}
        }
        if !n.attrs.itemprop.is_empty() {
            s.itemprops.push((n.attrs.itemprop.to_ascii_lowercase(), i));
        }
        let rel_author = matches!(tag, Tag::A)
            && n.attr("rel")
                .is_some_and(|r| r.eq_ignore_ascii_case("author"));
        if matches!(
            tag,
            Tag::Meta | Tag::Link | Tag::Script | Tag::Html | Tag::Body
        ) {
            continue;
        }
        let (class, id) = (judge(n.attrs.class), judge(n.attrs.id));
        if s.bylines.len() < 16 && (rel_author || class.0 || id.0) {
            s.bylines.push(i);
        }
        if s.dated.len() < 48 && (class.1 || id.1) {
            s.dated.push(i);
        }
    }
    s
}

/// An element's `content`, or on a `<meta>` its `value`: what some page savers and
/// pre-processors (Mercury's meta normalisation) leave in place of `content`.
fn meta_content<'a>(n: &super::dom::Flat<'a>) -> Option<&'a str> {
    n.attr("content").or_else(|| {
        (n.tag() == Some(Tag::Meta))
            .then(|| n.attr("value"))
            .flatten()
    })
}

impl Seen<'_> {
    fn meta(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| {
            self.metas
                .iter()
                .find(|(k, v)| k == n && !v.is_empty())
                .map(|(_, v)| v.to_string())
        })
    }

    fn itemprop_text(&self, dom: &Dom, prop: &str) -> Option<String> {
        self.itemprops
            .iter()
            .filter(|(p, _)| p == prop)
            .find_map(|&(_, i)| {
                let n = &dom.nodes[i];
                meta_content(n)
                    .or(n.attr("datetime"))
                    .map(String::from)
                    .or_else(|| Some(dom.text_of(i)))
                    .filter(|t| !t.trim().is_empty())
            })
    }
}

/// Reads every metadata field from the flattened page. `url` (where the page was fetched
/// from) is the last resort for the published date (`/2024/03/05/` in the path).
#[allow(clippy::field_reassign_with_default)] // fields are filled in trust order, one by one
pub fn read_metadata(dom: &Dom, url: Option<&str>) -> Metadata {
    let seen = gather(dom);
    let ld = json_ld_article(dom, &seen.json_ld);
    let mut m = Metadata {
        article_body: ld
            .as_ref()
            .and_then(|a| a.get("articleBody"))
            .and_then(Value::as_str)
            .map(str::to_string),
        ..Metadata::default()
    };

    m.site_name = seen
        .meta(&["og:site_name", "application-name"])
        .or_else(|| {
            ld.as_ref()
                .and_then(|a| a.get("publisher"))
                .and_then(|p| str_field(p, &["name"]))
        });
    let title = seen.title.map(|i| dom.text_of(i));
    // A site that names itself only in an <h1> banner that is also the <title>'s last
    // segment ("Post title_Section_Site"): that is its name.
    let h1_texts: Vec<String> = seen
        .h1
        .iter()
        .map(|&i| heading_text(&dom.text_of(i)))
        .filter(|t| !t.is_empty())
        .collect();
    let banner = title
        .as_deref()
        .and_then(|t| banner_site(&clean_inline(t), &h1_texts));
    if m.site_name.is_none() {
        m.site_name = banner.clone();
    }
    // the metadata's own headline: JSON-LD, then the social/Dublin Core titles, microdata
    let declared = ld
        .as_ref()
        .and_then(|a| {
            // compared without the " - Site" suffix: a `name` that is the site's name would
            // otherwise match it
            let t = title
                .as_deref()
                .map(|t| clean_title(&clean_inline(t), m.site_name.as_deref()));
            ld_headline(a, t.as_deref())
        })
        .or_else(|| {
            seen.meta(&[
                "dc:title",
                "dcterm:title",
                "dcterms.title",
                "dc.title",
                "og:title",
                "twitter:title",
                "parsely-title",
                "sailthru.title",
            ])
        })
        .or_else(|| seen.itemprop_text(dom, "headline"))
        .map(|h| clean_title(&clean_inline(&h), m.site_name.as_deref()));
    // the metadata title falls back to the <title>; the headline to a matching <h1> first
    let meta_title = declared
        .clone()
        .or_else(|| {
            title
                .as_deref()
                .map(|t| clean_title(&clean_inline(t), m.site_name.as_deref()))
        })
        .filter(|h| !h.is_empty());
    m.headline = declared
        .or_else(|| {
            // an <h1> that the <title> starts with is the headline without the site suffix
            let h1s: Vec<String> = h1_texts
                .iter()
                .filter(|h| banner.as_ref() != Some(*h))
                .cloned()
                .collect();
            let t = title.as_deref().map(clean_inline).unwrap_or_default();
            let tw = words(&t);
            let cleaned = clean_title(&t, m.site_name.as_deref());
            let in_title = |h: &&String, at_start: bool| {
                let hw = words(h);
                !hw.is_empty()
                    && if at_start {
                        tw.starts_with(&hw)
                    } else {
                        tw.windows(hw.len()).any(|w| w == hw.as_slice())
                    }
            };
            // the one the title starts with first: a site banner <h1> can sit in its tail
            h1s.iter()
                .find(|h| in_title(h, true))
                .or_else(|| h1s.iter().find(|h| in_title(h, false)))
                .cloned()
                // an <h1> unrelated to the <title> is often a site or section banner
                .or_else(|| (cleaned.split_whitespace().count() >= 2).then_some(cleaned))
                .or_else(|| h1s.first().cloned())
        })
        .or_else(|| {
            title
                .as_deref()
                .map(|t| clean_title(&clean_inline(t), m.site_name.as_deref()))
        })
        .filter(|h| !h.is_empty());
    // A social/SEO title is often a cut-down of the visible headline: an <h1> that says more
    // and contains nearly all of its words is the fuller form of the same headline.
    if let Some(h) = &m.headline {
        let hw = words(h);
        let fuller = seen
            .h1
            .iter()
            .map(|&i| heading_text(&dom.text_of(i)))
            .find(|t| {
                let tw = words(t);
                let covered = hw.iter().filter(|w| tw.contains(w)).count();
                tw.len() > hw.len() && tw.len() <= 40 && covered as f32 >= 0.85 * hw.len() as f32
            });
        if fuller.is_some() {
            m.headline = fuller;
        }
    }
    m.title = meta_title.or_else(|| m.headline.clone());
    if let Some(h) = display_h1(
        &h1_texts,
        banner.as_deref(),
        m.site_name.as_deref(),
        m.title.as_deref(),
    ) {
        m.headline = Some(h);
    }

    m.byline = ld
        .as_ref()
        .map(|a| authors(a.get("author")))
        .unwrap_or_default();
    if m.byline.is_empty() {
        // `author` often names the company that owns the site ("Condé Nast", "ABC News",
        // "Us Weekly Staff"): such a value is skipped for the next candidate
        let org = {
            let mut w = words(&seen.meta(&["copyright", "dc.rights"]).unwrap_or_default());
            w.extend(words(m.site_name.as_deref().unwrap_or("")));
            w
        };
        let is_org = |a: &str| {
            let aw: Vec<String> = words(a).into_iter().filter(|w| !is_role_word(w)).collect();
            aw.is_empty()
                || aw.iter().all(|w| org.contains(w))
                || aw
                    .last()
                    .is_some_and(|w| matches!(w.as_str(), "inc" | "ltd" | "llc" | "gmbh" | "corp"))
        };
        m.byline = [
            // Dublin Core names the work's creator; `author` is often the site or its owner
            "dc:creator",
            "dcterm:creator",
            "dcterms.creator",
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "byl",
        ]
        .iter()
        .flat_map(|n| seen.metas.iter().filter(move |(k, _)| k == n))
        .map(|(_, v)| *v)
        .find(|a| !a.is_empty() && !a.starts_with("http") && !is_org(a))
        .map(split_authors)
        .unwrap_or_default();
    }
    if m.byline.is_empty() {
        let names: Vec<String> = seen
            .itemprops
            .iter()
            .filter(|(p, _)| p == "author" || p == "creator")
            .map(|&(_, i)| {
                // the author's name, not the whole "author" card
                let name = dom.nodes[i..dom.nodes[i].end as usize]
                    .iter()
                    .position(|n| {
                        n.attr("itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("name"))
                    })
                    .map(|k| i + k)
                    .unwrap_or(i);
                meta_content(&dom.nodes[name])
                    .map(String::from)
                    .unwrap_or_else(|| dom.text_of(name))
            })
            .flat_map(|t| split_authors(&t))
            .collect();
        m.byline = dedup(names);
    }
    if m.byline.is_empty() {
        // the first byline-classed element that names someone: later ones are usually
        // teasers for other articles, comment authors or the site's staff list
        m.byline = seen
            .bylines
            .iter()
            .map(|&i| visible_byline(dom, i, m.site_name.as_deref()))
            .find(|names| !names.is_empty())
            .unwrap_or_default();
    }

    m.published = ld
        .as_ref()
        .and_then(|a| str_field(a, &["datePublished", "dateCreated", "uploadDate"]))
        // a human-written value ("Tue, Sep 15 2020 10:01:41 EDT") still names the day
        .and_then(|d| parse_datetime(&d).or_else(|| parse_human_date(&d)))
        .or_else(|| {
            seen.meta(&[
                "article:published_time",
                "og:published_time",
                "article:published",
                "datepublished",
                "pubdate",
                "publishdate",
                "publish-date",
                "parsely-pub-date",
                "sailthru.date",
                "dc.date",
                "dc.date.issued",
                "dcterms.date",
                "dcterms.created",
                "date",
                "og:article:published_time",
                "cxenseparse:recs:publishtime",
                "citation_publication_date",
            ])
            .and_then(|d| parse_datetime(&d).or_else(|| parse_human_date(&d)))
        })
        .or_else(|| {
            seen.itemprop_text(dom, "datepublished")
                .and_then(|d| parse_datetime(&d))
        })
        .or_else(|| {
            seen.times
                .iter()
                .filter(|t| t.2)
                .find_map(|t| parse_datetime(t.1))
        })
        .or_else(|| seen.rdf_date.and_then(parse_datetime))
        .or_else(|| {
            // other meta names that say "publish" or "date" (not modified/expiry)
            seen.metas
                .iter()
                .filter(|(k, _)| {
                    (k.contains("publish") || k.contains("date") || k.contains("created"))
                        && !k.contains("modif")
                        && !k.contains("update")
                        && !k.contains("expir")
                })
                .find_map(|(_, v)| parse_datetime(v).or_else(|| parse_human_date(v)))
        })
        .or_else(|| url.and_then(url_date))
        .or_else(|| seen.times.iter().find_map(|t| parse_datetime(t.1)))
        .or_else(|| visible_date(dom, &seen, m.headline.as_deref()));
    m.modified = ld
        .as_ref()
        .and_then(|a| str_field(a, &["dateModified"]))
        .and_then(|d| parse_datetime(&d))
        .or_else(|| {
            seen.meta(&[
                "article:modified_time",
                "og:updated_time",
                "datemodified",
                "last-modified",
                "dcterms.modified",
            ])
            .and_then(|d| parse_datetime(&d))
        })
        .or_else(|| {
            seen.itemprop_text(dom, "datemodified")
                .and_then(|d| parse_datetime(&d))
        });

    m.canonical_url = seen
        .canonical
        .map(String::from)
        .or_else(|| seen.meta(&["og:url"]))
        .or_else(|| ld.as_ref().and_then(|a| str_field(a, &["url"])));

    m.lang = seen
        .lang
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .or_else(|| ld.as_ref().and_then(|a| str_field(a, &["inLanguage"])))
        .or_else(|| seen.meta(&["og:locale", "content-language", "language", "dc.language"]))
        .map(|l| l.replace('_', "-"));
    // A date without a time ("2019年4月4日", `/2019/04/04/`, "2019-04-04") is the page's own
    // calendar day, so midnight in its time zone: known when the language has one zone.
    if let (Some(d), Some(off)) = (m.published, m.lang.as_deref().and_then(lang_offset))
        && d.offset().local_minus_utc() == 0
        && d.time() == chrono::NaiveTime::MIN
    {
        m.published = d.naive_utc().and_local_timezone(off).single();
    }
    m
}

/// Lowercase alphanumeric words.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn clean_inline(s: &str) -> String {
    super::normalize::normalize_text(s)
}
