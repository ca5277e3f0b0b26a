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

use super::dom::{Dom, Tag};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::Value;

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

/// A class or id that names a publication date ("post-date", "article__published", "timestamp").
fn date_attr(v: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            // a DFA: these run on every class and id of every page
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build([
                "date", "time", "publish", "posted", "dateline", "created", "update", "modif",
            ])
            .expect("static patterns")
    });
    if v.len() < 4 {
        return false;
    }
    let (mut yes, mut no) = (false, false);
    for m in WORDS.find_overlapping_iter(v) {
        match m.pattern().as_usize() {
            6 | 7 => no = true,
            _ => yes = true,
        }
    }
    yes && !no
}

/// The first date in the visible page: elements classed as dates, then the text right after
/// the headline (a dateline such as "Published 5 March 2024"): the first `<h1>`, or on a page
/// without one the subheading that reads as the headline. Text is capped per element so a
/// whole article body is never scanned.
fn visible_date(dom: &Dom, seen: &Seen, headline: Option<&str>) -> Option<DateTime<FixedOffset>> {
    let capped = |i: usize| {
        let t = dom.text_of(i);
        let end = t.char_indices().nth(160).map_or(t.len(), |(k, _)| k);
        t[..end].to_string()
    };
    seen.dated
        .iter()
        .find_map(|&i| {
            let n = &dom.nodes[i];
            // a relative "3 hours ago" often carries the instant in its `title`
            ["datetime", "content", "title"]
                .iter()
                .find_map(|a| n.attr(a).and_then(parse_datetime))
                .or_else(|| parse_human_date(&capped(i)))
        })
        .or_else(|| {
            let anchor = seen.h1.first().copied().or_else(|| {
                let h = clean_inline(headline?);
                seen.headings
                    .iter()
                    .copied()
                    .find(|&i| !h.is_empty() && clean_inline(&dom.text_of(i)) == h)
            })?;
            dom.nodes[anchor..]
                .iter()
                .filter_map(|n| n.text())
                .filter(|t| t.trim().len() >= 6)
                .take(40)
                .find_map(|t| parse_human_date(&t.chars().take(160).collect::<String>()))
        })
}

/// A class or id that names a byline ("byline", "author", "article__author-name").
fn byline_attr(v: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            // a DFA: these run on every class and id of every page
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(["byline", "author", "writer", "authorit"])
            .expect("static patterns")
    });
    if v.len() < 6 {
        return false;
    }
    let (mut yes, mut no) = (false, false);
    for m in WORDS.find_overlapping_iter(v) {
        match m.pattern().as_usize() {
            3 => no = true,
            _ => yes = true,
        }
    }
    yes && !no
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

/// The UTC offset of a language spoken in a single time zone without daylight saving time:
/// Japanese and Korean (+09:00), Chinese (+08:00: mainland, Taiwan, Hong Kong, Singapore).
fn lang_offset(lang: &str) -> Option<FixedOffset> {
    let primary = lang.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    match primary.as_str() {
        "ja" | "ko" => FixedOffset::east_opt(9 * 3600),
        "zh" => FixedOffset::east_opt(8 * 3600),
        _ => None,
    }
}

/// A date in the URL path: `/2024/03/05/`, `/2024-03-05/`, `/20240305/`.
fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    let path = url.split(['?', '#']).next()?;
    let parts: Vec<&str> = path.split(['/', '-', '_', '.']).collect();
    let utc = FixedOffset::east_opt(0)?;
    let at = |y: &str, mo: &str, d: &str| -> Option<DateTime<FixedOffset>> {
        let (y, mo, d): (i32, u32, u32) = (y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?);
        if !(1995..=2100).contains(&y) || !(1..=12).contains(&mo) {
            return None;
        }
        NaiveDate::from_ymd_opt(y, mo, d)?
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(utc)
            .single()
    };
    for w in parts.windows(3) {
        if w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && (1..=2).contains(&w[2].len())
            && let Some(d) = at(w[0], w[1], w[2])
        {
            return Some(d);
        }
    }
    parts
        .iter()
        .filter(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|p| at(&p[..4], &p[4..6], &p[6..]))
}

/// The names in a visible byline element. Its text is cut into segments where a block or
/// `<br>` ends a line and where two elements' texts are glued without a space
/// (`<a>Jane Doe</a><span>Staff Writer</span>`), then each segment is split into names;
/// connector words, job titles and the site's own name are dropped.
fn visible_byline(dom: &Dom, i: usize, site: Option<&str>) -> Vec<String> {
    let end = dom.nodes[i].end as usize;
    let mut segments: Vec<String> = vec![String::new()];
    let mut n_words = 0;
    let mut break_next = false;
    let mut last_parent = None;
    let mut skip_to = 0;
    for (k, n) in dom.nodes[i..end].iter().enumerate() {
        if i + k < skip_to {
            continue;
        }
        match n.tag() {
            // icons, buttons, scripts: no names in there
            Some(Tag::Script | Tag::Drop) => {
                skip_to = n.end as usize;
                continue;
            }
            Some(t) if t.is_block() || t == Tag::Br => break_next = true,
            _ => {}
        }
        let Some(t) = n.text() else { continue };
        let seg = segments.last_mut().expect("never empty");
        if t.trim().is_empty() {
            seg.push(' ');
            continue;
        }
        n_words += t.split_whitespace().count();
        if n_words > 14 {
            return Vec::new(); // a paragraph or a card, not a byline
        }
        let glued = last_parent.is_some_and(|p| p != n.parent)
            && !seg.ends_with(char::is_whitespace)
            && !t.starts_with(char::is_whitespace);
        if break_next || glued {
            segments.push(String::new());
        }
        break_next = false;
        last_parent = Some(n.parent);
        segments.last_mut().expect("never empty").push_str(t);
    }
    let site = site.map(words).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for seg in &segments {
        for part in split_authors(seg) {
            let lw = words(&part);
            if lw.is_empty()
                || lw
                    .iter()
                    .all(|w| is_role_word(w) || BY_WORDS.contains(&w.as_str()))
                || (!site.is_empty() && lw == site)
            {
                continue;
            }
            // "Sam Stein Senior Politics Editor": the name before its job title; a title line
            // of its own after a name ("BuzzFeed UK News Fellow") is dropped
            // "Rebecca Hersher Twitter": a profile-link label glued to the name is cut too
            let role_from = lw
                .last()
                .filter(|w| {
                    ROLE_NOUNS.contains(&w.as_str())
                        || matches!(w.as_str(), "twitter" | "facebook" | "instagram" | "email")
                })
                .map(|_| {
                    lw.iter()
                        .rposition(|w| !is_role_word(w))
                        .map_or(0, |k| k + 1)
                });
            let part = match role_from {
                Some(_) if !names.is_empty() => continue,
                Some(k) => part
                    .split_whitespace()
                    .take(k)
                    .collect::<Vec<_>>()
                    .join(" "),
                None => part,
            };
            if looks_like_name(&part) {
                names.push(part);
            }
        }
    }
    dedup(names)
}

/// Words that introduce or join names in a byline, in the languages we see most.
const BY_WORDS: &[&str] = &[
    "by", "and", "written", "words", "posted", "par", "et", "von", "und", "por", "y", "di", "door",
    "en", "av", "och",
];

/// Job-title nouns that end a role ("Senior Business Writer").
const ROLE_NOUNS: &[&str] = &[
    "writer",
    "writers",
    "editor",
    "editors",
    "reporter",
    "reporters",
    "correspondent",
    "contributor",
    "columnist",
    "fellow",
    "intern",
    "producer",
];

/// A word of a job title or a profile-link label, never part of a name.
fn is_role_word(w: &str) -> bool {
    ROLE_NOUNS.contains(&w)
        || matches!(
            w,
            "staff"
                | "senior"
                | "chief"
                | "deputy"
                | "managing"
                | "associate"
                | "executive"
                | "contributing"
                | "assistant"
                | "news"
                | "politics"
                | "political"
                | "business"
                | "games"
                | "health"
                | "science"
                | "tech"
                | "technology"
                | "sports"
                | "culture"
                | "features"
                | "opinion"
                | "national"
                | "foreign"
                | "ceo"
                | "founder"
                | "twitter"
                | "facebook"
                | "instagram"
                | "linkedin"
                | "email"
                | "e"
                | "mail"
                | "follow"
                | "more"
                | "from"
                | "this"
                | "author"
                | "bio"
                | "profile"
                | "link"
                | "copied"
                | "share"
        )
}

/// "Jane Doe", not "Share on Facebook" or "5 min read".
fn looks_like_name(s: &str) -> bool {
    let w: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&w.len())
        && !s
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@' || c == ':')
        && w.iter().all(|x| {
            x.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    *x,
                    "de" | "van" | "von" | "der" | "da" | "del" | "la" | "le" | "bin" | "al"
                )
        })
}

/// Lowercase alphanumeric words.
/// The headline a reader sees above the article: an `<h1>` that is not the site's banner
/// and reads as a headline (2-40 words). One that shares most of its words with the metadata
/// title comes first; a lone `<h1>` of 4+ words is the display headline even when the SEO
/// title says something else (publishers rewrite one without the other).
fn display_h1(
    h1s: &[String],
    banner: Option<&str>,
    site: Option<&str>,
    title: Option<&str>,
) -> Option<String> {
    let credible: Vec<&String> = h1s
        .iter()
        .filter(|h| {
            let n = h.split_whitespace().count();
            // a Japanese or Chinese headline has no spaces: its length is in characters
            let cjk = h
                .chars()
                .filter(|&c| ('\u{3040}'..='\u{9fff}').contains(&c))
                .count();
            Some(h.as_str()) != banner
                && !site.is_some_and(|s| s.eq_ignore_ascii_case(h))
                && ((2..=40).contains(&n) || (n == 1 && (6..=120).contains(&cjk)))
        })
        .collect();
    let tw = words(title.unwrap_or(""));
    let related = |h: &&&String| {
        let hw = words(h);
        let shared = hw.iter().filter(|w| tw.contains(w)).count();
        let shorter = hw.len().min(tw.len()).max(1);
        shared * 2 >= shorter
    };
    let h = credible.iter().find(related).or_else(|| {
        (credible.len() == 1 && credible[0].split_whitespace().count() >= 4).then(|| &credible[0])
    })?;
    // an h1 that is a cut-down of the title ("Lina Morgana" / "Lina Morgana on Twitter",
    // "Lust for Youth" / "Lust for Youth: Lust for Youth") is a label; the title says more
    // (a plural is the same word: "Millennial Decorating Mistakes" cuts down "The 5 Biggest
    // Decorating Mistakes Millennials Make")
    let hw = words(h);
    // the title is the h1 plus a short label after a separator ("A Light Filled LA Loft —
    // House Call", "見出し : スポーツ"): a column or section name, not more headline
    if let Some(label) = title
        .and_then(|t| t.strip_prefix(h.as_str()))
        .and_then(|r| r.trim_start().strip_prefix(TITLE_SEPS))
        .map(str::trim)
        && !label.is_empty()
        && label.split_whitespace().count() <= 4
        && label.chars().count() < h.chars().count()
        && words(label) != hw
    {
        return Some((*h).clone());
    }
    let stem = |w: &str| w.strip_suffix('s').unwrap_or(w).to_string();
    let ts: Vec<String> = tw.iter().map(|w| stem(w)).collect();
    if let Some(t) = title
        && tw.len() > hw.len()
        && hw.iter().all(|w| ts.contains(&stem(w)))
    {
        return Some(t.to_string());
    }
    Some((*h).clone())
}

/// Separators that join a headline to a site, section or column name in a title.
const TITLE_SEPS: &[char] = &['-', '|', '–', '—', '_', ':', '：', '·', '»', '｜', '@'];

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A heading's text without the permalink mark that documentation generators append
/// (Sphinx's "¶", "§", "#", "🔗").
fn heading_text(raw: &str) -> String {
    let t = clean_inline(raw);
    let kept = t
        .trim_end_matches(['¶', '§', '🔗', '⚓'])
        .trim_end_matches(" #")
        .trim_end();
    if kept.len() == t.len() {
        t
    } else {
        kept.to_string()
    }
}

/// Strips a trailing " | Site Name" / " - Section" (or a leading "Site: ") from a title.
pub fn clean_title(title: &str, site: Option<&str>) -> String {
    let mut t = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let site = site.map(|s| words(s).join(" ")).filter(|s| !s.is_empty());
    let is_site = |part: &str| {
        let p = words(part).join(" ");
        site.as_ref()
            .is_some_and(|s| !p.is_empty() && (s.contains(&p) || p.contains(s.as_str())))
    };
    let seps = [
        " | ", " - ", " – ", " — ", " ｜ ", "｜", " :: ", " · ", " » ", " « ",
    ];
    for round in 0..2 {
        let cut = seps
            .iter()
            .filter_map(|sep| t.rfind(sep).map(|i| (i, sep.len())))
            .max();
        let Some((i, n)) = cut else { break };
        let (head, tail) = (&t[..i], &t[i + n..]);
        let head_ok = head.split_whitespace().count() >= 3 || head.chars().count() >= 12;
        let tail_short = tail.split_whitespace().count() <= 4 && tail.chars().count() <= 30;
        let subtitle = tail.chars().next().is_some_and(char::is_lowercase);
        let shorter = tail.chars().count() < head.chars().count();
        if is_site(tail)
            || (round == 0 && head_ok && tail_short && !subtitle && shorter && site.is_none())
        {
            t = head.trim().to_string();
        } else {
            break;
        }
    }
    // The site's name glued on with a separator that also occurs inside headlines (CJK
    // titles: "見出し:朝日新聞デジタル", "标题_频道_网站"): cut only when it is the site.
    for sep in ["_", ":", "：", " @ "] {
        if let Some(i) = t.rfind(sep)
            && i > 0
            && is_site(&t[i + sep.len()..])
        {
            t = t[..i].trim().to_string();
            // a short section name left before it goes too ("_智能_好奇心日报")
            if sep == "_"
                && let Some(j) = t.rfind('_')
                && t[j + 1..].chars().count() <= 4
                && t[..j].chars().count() >= 8
            {
                t = t[..j].trim().to_string();
            }
        }
    }
    // The site's name in front: "Site: Headline", "Site - Headline". In front a headline's
    // own kicker stands too ("Evolve: Shared Mutable History" on the site "evolve extension
    // for Mercurial"): the part must be most of the site's name, not one word of it.
    let most_of_site = |part: &str| {
        let p = words(part);
        is_site(part)
            && site
                .as_ref()
                .is_some_and(|s| p.len() * 2 >= s.split(' ').count())
    };
    for sep in [": ", " - ", " | ", " – ", " — ", " :: "] {
        if let Some(i) = t.find(sep).filter(|&i| most_of_site(&t[..i]))
            && !t[i + sep.len()..].trim().is_empty()
        {
            t = t[i + sep.len()..].trim().to_string();
            break;
        }
    }
    t
}

/// An <h1> that is the whole last separator-delimited segment of the <title> (not the title
/// itself): the site's banner.
fn banner_site(title: &str, h1s: &[String]) -> Option<String> {
    const SEP: &[char] = TITLE_SEPS;
    let t = title.trim();
    h1s.iter()
        .map(|h| h.trim())
        .filter(|h| h.chars().count() >= 2 && *h != t)
        // Only as the last segment: a first segment is as often the post's own title
        // ("Mozilla - Wikipedia" with <h1>Mozilla</h1>).
        .find(|h| {
            t.strip_suffix(h).map(|r| r.trim_end()).is_some_and(|r| {
                r.ends_with(SEP) && r.trim_end_matches(SEP).trim().chars().count() >= 4
            })
        })
        .map(String::from)
}

/// The most article-like object among all JSON-LD blocks.
fn json_ld_article(dom: &Dom, scripts: &[usize]) -> Option<Value> {
    let mut candidates = Vec::new();
    for &i in scripts {
        let raw: String = dom.nodes[i + 1..dom.nodes[i].end as usize]
            .iter()
            .filter_map(|n| n.text())
            .collect();
        let raw = raw
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->");
        // `<![CDATA[ ... ]]>`, bare or behind `//` line comments
        let raw = raw.trim().trim_start_matches("//").trim_start();
        let raw = raw.strip_prefix("<![CDATA[").unwrap_or(raw).trim();
        let raw = raw.strip_suffix("]]>").unwrap_or(raw).trim_end();
        let raw = raw.strip_suffix("//").unwrap_or(raw).trim();
        // The first JSON value: some templates leave a stray `}` or a second object after it.
        let first = |raw: &str| {
            serde_json::Deserializer::from_str(raw)
                .into_iter::<Value>()
                .next()
                .and_then(Result::ok)
        };
        let value: Value = match first(raw) {
            Some(v) => v,
            // Some sites emit literal newlines/tabs inside strings; retry without them.
            None => match first(&raw.replace(['\n', '\r', '\t'], " ")) {
                Some(v) => v,
                None => continue,
            },
        };
        collect_objects(&value, &mut candidates, 0);
    }
    candidates
        .into_iter()
        .filter_map(|o| article_rank(&o).map(|r| (r, o)))
        .max_by_key(|(r, _)| *r)
        .map(|(_, o)| o)
}

fn collect_objects(v: &Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_objects(i, out, depth + 1)),
        Value::Object(map) => {
            if let Some(g) = map.get("@graph") {
                collect_objects(g, out, depth + 1);
            }
            if let Some(e) = map.get("mainEntity") {
                collect_objects(e, out, depth + 1);
            }
            out.push(v.clone());
        }
        _ => {}
    }
}

fn article_rank(o: &Value) -> Option<u8> {
    let types: Vec<String> = match o.get("@type")? {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => return None,
    };
    types
        .iter()
        .map(|t| match t.as_str() {
            "NewsArticle"
            | "ReportageNewsArticle"
            | "AnalysisNewsArticle"
            | "OpinionNewsArticle"
            | "BackgroundNewsArticle"
            | "LiveBlogPosting" => 4,
            "Article" | "BlogPosting" | "ScholarlyArticle" | "TechArticle" | "Report" => 3,
            "WebPage" | "ItemPage" => 1,
            _ => 0,
        })
        .max()
        .filter(|r| *r > 0)
}

/// The JSON-LD headline. When `headline` and `name` disagree (some sites put a description or
/// a type label in one of them) the one closer to the page's `<title>` wins.
fn ld_headline(a: &Value, title: Option<&str>) -> Option<String> {
    match (str_field(a, &["headline"]), str_field(a, &["name"])) {
        (Some(h), Some(n)) if h != n => {
            let tw = words(title.unwrap_or(""));
            let shared = |s: &str| {
                let w = words(s);
                w.iter().filter(|x| tw.contains(x)).count() as f32 / w.len().max(1) as f32
            };
            Some(if shared(&n) > shared(&h) { n } else { h })
        }
        (h, n) => h.or(n),
    }
}

fn str_field(o: &Value, keys: &[&str]) -> Option<String> {
    for k in keys {
        let v = match o.get(*k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.iter().find_map(|x| x.as_str().map(String::from)),
            Some(Value::Object(m)) => m
                .get("@id")
                .or_else(|| m.get("name"))
                .and_then(|x| x.as_str())
                .map(String::from),
            _ => None,
        };
        if let Some(v) = v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            return Some(v);
        }
    }
    None
}

fn authors(v: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Some(Value::String(s)) => out.extend(split_authors(s)),
        Some(Value::Object(m)) => {
            if let Some(Value::String(n)) = m.get("name") {
                out.extend(split_authors(n));
            }
        }
        Some(Value::Array(items)) => {
            for i in items {
                out.extend(authors(Some(i)));
            }
        }
        _ => {}
    }
    dedup(out)
}

/// Splits "By Jane Doe and John Roe, Reuters" into names, without the "By".
pub fn split_authors(s: &str) -> Vec<String> {
    let s = clean_inline(s);
    let s = s.trim();
    let lower = s.to_lowercase();
    // "By Jane Doe", and "ByJane Doe" from `<span>By</span><a>Jane Doe</a>`
    let glued = lower.starts_with("by") && s[2..].starts_with(|c: char| c.is_uppercase());
    let s = if lower.starts_with("by ") {
        &s[3..]
    } else if glued {
        &s[2..]
    } else if let Some(k) = ["par ", "von ", "por ", "door "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map(|p| p.len())
    {
        // "Par Jane Doe", "Von Jane Doe": the same "by" in French, German, Spanish, Dutch
        &s[k..]
    } else {
        s
    };
    s.split([',', ';', '|', '&'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" und "))
        .map(|p| p.trim().trim_start_matches("By ").trim().to_string())
        .filter(|p| !p.is_empty() && p.len() < 80 && !p.starts_with("http"))
        .collect()
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&x)) {
            out.push(x);
        }
    }
    out
}

fn clean_inline(s: &str) -> String {
    super::normalize::normalize_text(s)
}

/// Parses the date formats seen in article metadata. Times without an offset are taken as
/// UTC; a date alone is midnight UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return n.and_local_timezone(utc).single();
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, f) {
            return d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
        }
    }
    None
}

/// Month names in the languages of the world news we see most (lowercase, accents kept;
/// Arabic as written in Egypt and the Gulf, and the Levantine names that are one word:
/// "24 نيسان / أبريل 2020" gives both).
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januar",
        "jän",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "styczeń",
        "stycznia",
        "يناير",
    ],
    &[
        "february",
        "feb",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
        "februari",
        "luty",
        "lutego",
        "فبراير",
        "شباط",
    ],
    &[
        "march", "mar", "mars", "marzo", "märz", "marz", "março", "marco", "maart", "maret",
        "marca", "marzec", "مارس", "آذار",
    ],
    &[
        "april",
        "apr",
        "avril",
        "avr",
        "abril",
        "abr",
        "aprile",
        "kwiecień",
        "kwietnia",
        "أبريل",
        "ابريل",
        "إبريل",
        "نيسان",
    ],
    &[
        "may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "مايو", "أيار", "ايار",
    ],
    &[
        "june",
        "jun",
        "juin",
        "junio",
        "juni",
        "giugno",
        "giu",
        "junho",
        "czerwiec",
        "czerwca",
        "يونيو",
        "حزيران",
    ],
    &[
        "july",
        "jul",
        "juillet",
        "juil",
        "julio",
        "juli",
        "luglio",
        "lug",
        "julho",
        "lipiec",
        "lipca",
        "يوليو",
        "تموز",
        "تمّوز",
    ],
    &[
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "ago",
        "augustus",
        "agustus",
        "sierpień",
        "sierpnia",
        "أغسطس",
        "آب",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setembro",
        "settembre",
        "set",
        "wrzesień",
        "września",
        "سبتمبر",
        "أيلول",
        "ايلول",
    ],
    &[
        "october",
        "oct",
        "octobre",
        "octubre",
        "oktober",
        "okt",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "październik",
        "października",
        "أكتوبر",
    ],
    &[
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopad",
        "listopada",
        "نوفمبر",
    ],
    &[
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
        "desember",
        "grudzień",
        "grudnia",
        "ديسمبر",
    ],
];

pub(crate) fn month_of(word: &str) -> Option<u32> {
    // cheap refusals first: this runs on every word of every candidate dateline
    if word.len() > 32 || word.starts_with(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation())
    {
        return None;
    }
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|m| m as u32 + 1)
}

/// The first "2019年4月26日" (Japanese, Chinese) or "2019년 4월 26일" (Korean) in `s`.
fn cjk_date(s: &str) -> Option<(i32, u32, u32)> {
    fn digits(s: &str, from_end: bool) -> Option<(u32, usize)> {
        let t = if from_end {
            s.trim_end()
        } else {
            s.trim_start()
        };
        let n = if from_end {
            t.bytes().rev().take_while(u8::is_ascii_digit).count()
        } else {
            t.bytes().take_while(u8::is_ascii_digit).count()
        };
        let ds = if from_end { &t[t.len() - n..] } else { &t[..n] };
        (1..=4).contains(&n).then(|| Some((ds.parse().ok()?, n)))?
    }
    for (k, c) in s.char_indices().filter(|(_, c)| matches!(c, '年' | '년')) {
        let Some((y, 4)) = digits(&s[..k], true) else {
            continue;
        };
        let rest = s[k + c.len_utf8()..].trim_start();
        let Some((m, n)) = digits(rest, false) else {
            continue;
        };
        let rest = &rest[n..];
        let Some(rest) = rest
            .trim_start()
            .strip_prefix('月')
            .or_else(|| rest.trim_start().strip_prefix('월'))
        else {
            continue;
        };
        if let Some((d, _)) = digits(rest, false) {
            return Some((y as i32, m, d));
        }
    }
    None
}

/// A date as people write it: "5 March 2024", "March 5, 2024", "Mar. 5 2024 10:30",
/// "5. März 2024", "5 de marzo de 2024", "2024-03-05", "5.3.2024" (day first). The day is
/// what counts; a time in the text is ignored and the result is midnight UTC.
pub fn parse_human_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    let make = |y: i32, m: u32, d: u32| {
        if !(1990..=2100).contains(&y) {
            return None;
        }
        NaiveDate::from_ymd_opt(y, m, d)?
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(utc)
            .single()
    };
    if let Some((y, m, d)) = cjk_date(s) {
        return make(y, m, d);
    }
    // each word with the month it names
    let mut toks: Vec<(&str, Option<u32>)> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '·' | '(' | ')'))
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | ';')))
        .filter(|t| {
            !t.is_empty()
                && !["de", "del", "of", "the"]
                    .iter()
                    .any(|w| t.eq_ignore_ascii_case(w))
                // "24 نيسان / أبريل 2020": a month's two names side by side
                && !t.chars().all(|c| matches!(c, '/' | '-' | '–' | '—'))
        })
        .take(40)
        .map(|t| (t, month_of(t)))
        .collect();
    // a month's two names side by side count once
    toks.dedup_by(|b, a| a.1.is_some() && a.1 == b.1);
    let num = |t: &str| -> Option<u32> {
        let t = t
            .trim_end_matches('.')
            .trim_end_matches(|c: char| c.is_alphabetic());
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())?
    };
    for (i, &(t, month)) in toks.iter().enumerate() {
        // numeric forms
        let parts: Vec<&str> = t.split(['-', '/', '.']).filter(|p| !p.is_empty()).collect();
        if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() == 3 {
                if parts[0].len() == 4 {
                    if let Some(d) = make(n[0] as i32, n[1], n[2]) {
                        return Some(d);
                    }
                } else if parts[2].len() == 4 {
                    // "5.3.2024" is day first; with slashes only an unambiguous order counts:
                    // "22/11/2020" (day first), "11/22/2020" (month first), not "3/5/2024"
                    let (day, month) = if t.contains('.') || n[0] > 12 {
                        (n[0], n[1])
                    } else if n[1] > 12 {
                        (n[1], n[0])
                    } else {
                        continue;
                    };
                    if let Some(d) = make(n[2] as i32, month, day) {
                        return Some(d);
                    }
                }
            }
        }
        let Some(m) = month else { continue };
        let before = i
            .checked_sub(1)
            .and_then(|j| toks.get(j))
            .and_then(|t| num(t.0));
        let after = toks.get(i + 1).and_then(|t| num(t.0));
        let year_at = |j: usize| toks.get(j).and_then(|t| num(t.0)).filter(|y| *y >= 1990);
        // "5 March 2024" / "5. März 2024"
        if let (Some(d), Some(y)) = (before, year_at(i + 1))
            && let Some(r) = make(y as i32, m, d)
        {
            return Some(r);
        }
        // "March 5, 2024"
        if let (Some(d), Some(y)) = (after, year_at(i + 2))
            && let Some(r) = make(y as i32, m, d)
        {
            return Some(r);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> Metadata {
        let doc = scraper::Html::parse_document(html);
        read_metadata(&Dom::new(&doc), None)
    }

    #[test]
    fn json_ld_graph_and_type_array() {
        let html = r#"<html lang="en-GB"><head>
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"Site"},
          {"@type":["NewsArticle","Article"],"headline":"Toll rises to 52",
           "author":[{"@type":"Person","name":"Jane Doe"},{"name":"John Roe"}],
           "datePublished":"2026-01-05T10:00:00+01:00","dateModified":"2026-01-05T12:30:00Z",
           "publisher":{"@type":"Organization","name":"Daily Example"}}]}</script>
        <meta property="og:title" content="OG title"><link rel="canonical" href="https://ex.org/a">
        </head><body></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("Toll rises to 52"));
        assert_eq!(m.byline, vec!["Jane Doe", "John Roe"]);
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2026-01-05T10:00:00+01:00"
        );
        assert_eq!(
            m.modified.unwrap().to_rfc3339(),
            "2026-01-05T12:30:00+00:00"
        );
        assert_eq!(m.canonical_url.as_deref(), Some("https://ex.org/a"));
        assert_eq!(m.lang.as_deref(), Some("en-GB"));
        assert_eq!(m.site_name.as_deref(), Some("Daily Example"));
    }

    #[test]
    fn opengraph_and_time_fallbacks() {
        let html = r#"<html><head><title>T | Site</title>
        <meta property="og:title" content="The &ldquo;headline&rdquo;">
        <meta name="author" content="By Ann Lee and Bo Kim">
        <meta property="og:site_name" content="Site"></head>
        <body><time datetime="2025-12-24">Dec 24</time></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("The \"headline\""));
        assert_eq!(m.byline, vec!["Ann Lee", "Bo Kim"]);
        assert_eq!(m.published.unwrap().date_naive().to_string(), "2025-12-24");
    }

    #[test]
    fn meta_value_instead_of_content() {
        let html = r#"<html><head><title>Short title</title>
        <meta name="og:title" value="The long headline">
        <meta name="article:published_time" value="2016-12-29T01:32:00Z"></head><body></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("The long headline"));
        assert_eq!(
            m.published.unwrap().to_rfc3339(),
            "2016-12-29T01:32:00+00:00"
        );
    }

    #[test]
    fn dublin_core_creator_before_author() {
        let html = r#"<html><head><meta name="author" content="Site Owner">
        <meta property="dc:creator" content="Jane Doe"></head><body></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Jane Doe"]);
    }

    #[test]
    fn meta_author_naming_the_company_is_skipped() {
        let html = r#"<html><head><meta name="author" content="Condé Nast">
        <meta name="copyright" content="Copyright (c) Condé Nast 2022">
        <meta property="og:site_name" content="Wired">
        <meta property="article:author" content="Emma Grey Ellis"></head><body></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Emma Grey Ellis"]);
        let html = r#"<html><head><meta name="author" content="Us Weekly Staff">
        <meta property="og:site_name" content="Us Weekly"></head><body>
        <p class="byline">By Megan French</p></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Megan French"]);
        let html = r#"<html><head><meta name="author" content="mediagene Inc.">
        <meta name="author" content="Jane Doe"></head><body></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Jane Doe"]);
    }

    #[test]
    fn visible_byline_first_element_only_without_titles() {
        let html = r#"<html><head><meta property="og:site_name" content="CNN"></head><body>
        <h1>Headline</h1>
        <div class="byline"><span>By</span><a>Howard Blume</a><span>Staff Writer</span></div>
        <p>Text</p>
        <aside><div class="byline">By Other Person</div><div class="author">Third One</div></aside>
        </body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Howard Blume"]);
        let html = r#"<html><body><p class="byline">Sam Stein Senior Politics Editor,
        <span>CNN</span></p></body></html>"#
            .replace(
                "<html>",
                r#"<html><head><meta property="og:site_name" content="CNN"></head>"#,
            );
        assert_eq!(meta_of(&html).byline, vec!["Sam Stein"]);
        let html = r#"<html><body><div class="author"><a>Ikran Dahir</a><br>
        <span>BuzzFeed UK News Fellow</span><svg><text>Twitter</text></svg></div></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Ikran Dahir"]);
        let html = r#"<html><body><div class="byline"><a>Rebecca Hersher Twitter</a>
        <p>Link Copied</p></div></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Rebecca Hersher"]);
        let html = r#"<html><body><span class="author">Par Cécile Ducourtieux et <a>Jean Roe</a></span></body></html>"#;
        assert_eq!(meta_of(html).byline, vec!["Cécile Ducourtieux", "Jean Roe"]);
    }

    #[test]
    fn dates_from_title_attribute_and_rdf_comment() {
        let html = r#"<html><body><h1>H</h1><div class="news-time-ago" title="2020-09-20T14:20:02Z">3 hours ago</div></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2020-09-20T14:20:02+00:00"
        );
        let html = r#"<html><body><!--
        <rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description
          dc:title="Post" dc:date="2020-07-12T22:00:00+09:00" /></rdf:RDF>
        --><h1>Post</h1><p>Text</p></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2020-07-12T22:00:00+09:00"
        );
    }

    #[test]
    fn json_ld_name_or_headline_by_title() {
        let html = r#"<html><head><title>List of films featuring time loops - Wikipedia</title>
        <script type="application/ld+json">{"@type":"Article","name":"List of films featuring time loops",
        "headline":"Wikimedia list article"}</script></head><body></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("List of films featuring time loops")
        );
        // a `name` that is the site's own name loses to the headline
        let html = r#"<html><head><title>West Ham threatens the giants - Aktualne.cz</title>
        <meta property="og:site_name" content="Aktualne.cz">
        <script type="application/ld+json">{"@type":"NewsArticle","name":"Aktualne.cz",
        "headline":"West Ham threatens giants, Soucek overlooked"}</script></head><body></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("West Ham threatens giants, Soucek overlooked")
        );
    }

    #[test]
    fn h1_that_starts_the_title_beats_a_banner_h1() {
        let html = r#"<html><head><title>Evolve: Shared History — evolve extension for Mercurial</title></head>
        <body><h1>evolve extension for Mercurial</h1><h1>Evolve: Shared History</h1></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Evolve: Shared History")
        );
        // Sphinx appends a permalink mark to every heading: not part of the headline
        let html = r##"<html><head><title>Evolve: Shared History — evolve extension for Mercurial</title></head>
        <body><h1>evolve extension for Mercurial</h1><h1>Evolve: Shared History<a class="headerlink"
        href="#evolve" title="Permalink to this headline">¶</a></h1></body></html>"##;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Evolve: Shared History")
        );
    }

    #[test]
    fn display_headline_and_metadata_title_are_both_kept() {
        // the SEO title was rewritten, the h1 a reader sees was not (and vice versa)
        let html = r#"<html><head><title>Council approves budget cuts | Norwich Post</title>
        <meta property="og:site_name" content="Norwich Post">
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves £2.3m budget cuts"}</script>
        </head><body><header><h1>Norwich Post</h1></header>
        <article><h1>Leisure centres face cuts as councillors back savings plan</h1></article></body></html>"#;
        let m = meta_of(html);
        assert_eq!(
            m.headline.as_deref(),
            Some("Leisure centres face cuts as councillors back savings plan")
        );
        assert_eq!(
            m.title.as_deref(),
            Some("Council approves £2.3m budget cuts")
        );
        // an h1 that is a cut-down of the title is a label: the title is the headline
        let html = r#"<html><head><meta property="og:title" content="Lust for Youth: Lust for Youth">
        </head><body><article><h1>Lust for Youth</h1></article></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Lust for Youth: Lust for Youth")
        );
        let html = r#"<html><head><meta property="og:title" content="The 5 Biggest Decorating Mistakes Millennials Make">
        </head><body><article><h1>Millennial Decorating Mistakes</h1></article></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("The 5 Biggest Decorating Mistakes Millennials Make")
        );
        // a title that is the h1 plus a column or section label: the h1 is the headline
        let html = r#"<html><head><meta property="og:title" content="A Light Filled LA Loft — House Call">
        </head><body><article><h1>A Light Filled LA Loft</h1></article></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("A Light Filled LA Loft")
        );
        // a headline without spaces (Japanese) is credible by its characters
        let html = r#"<html><head><meta property="og:title" content="バルセロナ、マンＵに先勝…ＣＬ準々決勝第１戦 : スポーツ">
        </head><body><article><h1>バルセロナ、マンＵに先勝…ＣＬ準々決勝第１戦</h1></article></body></html>"#;
        assert!(
            meta_of(html)
                .headline
                .is_some_and(|h| !h.contains("スポーツ")),
        );
        // ... but not when the part after the separator is as long as the h1 (a subtitle)
        let html = r#"<html><head><meta property="og:title" content="Harbour plans: what the new pier means for ferries">
        </head><body><article><h1>Harbour plans</h1></article></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Harbour plans: what the new pier means for ferries")
        );
        // a display headline that says more than the title stays
        let html = r#"<html><head><meta property="og:title" content="Floods sweep the valley as rivers burst">
        </head><body><article><h1>Valley floods: thousands flee as rivers burst</h1></article></body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Valley floods: thousands flee as rivers burst")
        );
        // no credible h1 (a one-word section banner): the display headline is the title
        let html = r#"<html><head><meta property="og:title" content="Storm closes the coast road">
        </head><body><h1>News</h1></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("Storm closes the coast road"));
        assert_eq!(m.title.as_deref(), Some("Storm closes the coast road"));
    }

    #[test]
    fn fuller_h1_beats_a_cut_down_og_title() {
        let html = r#"<html><head><meta property="og:title" content="Aniston on the Tags on Her Coat">
        </head><body><h1>Aniston on the Tags on Her Céline Coat: 'I Wore It Four Times'</h1>
        </body></html>"#;
        assert_eq!(
            meta_of(html).headline.as_deref(),
            Some("Aniston on the Tags on Her Céline Coat: 'I Wore It Four Times'")
        );
        // a different <h1> is the display headline; the og:title stays the metadata title
        let html = r#"<html><head><meta property="og:title" content="This is a long title with a colon: Hello there">
        </head><body><h1>This is a long title with a colon: But the final text here is different</h1>
        </body></html>"#;
        let m = meta_of(html);
        assert_eq!(
            m.headline.as_deref(),
            Some("This is a long title with a colon: But the final text here is different")
        );
        assert_eq!(
            m.title.as_deref(),
            Some("This is a long title with a colon: Hello there")
        );
    }

    #[test]
    fn date_without_time_is_local_midnight_in_a_one_zone_language() {
        let html = r#"<html lang="ja"><body><h1>見出し</h1><p class="date">2019年4月4日</p></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2019-04-04T00:00:00+09:00"
        );
        // a time with its zone is kept as it is, and other languages keep UTC
        let html = r#"<html lang="ja"><head><meta property="article:published_time"
        content="2019-04-04T10:00:00Z"></head></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2019-04-04T10:00:00+00:00"
        );
        let html = r#"<html lang="de"><body><h1>Titel</h1><p class="date">4. April 2019</p></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2019-04-04T00:00:00+00:00"
        );
    }

    #[test]
    fn json_ld_in_cdata() {
        for wrap in [("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")] {
            let html = format!(
                r#"<html><head><meta property="og:title" content="Social title">
                <script type="application/ld+json">{}
                {{"@type":"NewsArticle","headline":"Real headline"}}
                {}</script></head><body></body></html>"#,
                wrap.0, wrap.1
            );
            assert_eq!(meta_of(&html).headline.as_deref(), Some("Real headline"));
        }
    }

    #[test]
    fn json_ld_with_trailing_garbage() {
        let html = r#"<html><head><script type="application/ld+json">
        {"@type":"NewsArticle","headline":"H","datePublished":"2020-10-26T18:10:00+01:00"}
        }</script></head><body></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().to_rfc3339(),
            "2020-10-26T18:10:00+01:00"
        );
    }

    #[test]
    fn visible_datelines_in_levantine_arabic_and_under_a_subheading() {
        // a date element classed "created", the month given in both Arabic names
        let html = r#"<html><body><h1>أميركا :50 الفا حصيلة الوفيات</h1>
        <div class="article_created">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</div>
        <p>نص</p></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().date_naive().to_string(),
            "2020-04-24"
        );
        // no <h1>: the dateline follows the subheading that is the headline
        let html = r#"<html><head><title>성금 기탁 줄 잇는다 - 대전일보</title></head><body>
        <h2 class="today_hot"></h2><h2 class="sub_tit">성금 기탁 줄 잇는다</h2>
        <div><span>이용민 기자 | </span> 2020-03-04 16:52:59</div><p>본문</p></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("성금 기탁 줄 잇는다"));
        assert_eq!(m.published.unwrap().date_naive().to_string(), "2020-03-04");
        // a date in a later subheading (a "most read" box) is not a dateline
        let html = r#"<html><head><title>Storm closes port - Gazette</title></head><body>
        <h2>Most read</h2><div>5 March 2024</div><h2>Storm closes port</h2>
        <p>The port closed.</p></body></html>"#;
        assert_eq!(meta_of(html).published, None);
        assert_eq!(
            parse_human_date("12 شباط 2021").unwrap().to_string(),
            "2021-02-12 00:00:00 +00:00"
        );
    }

    #[test]
    fn human_written_dates_in_metadata() {
        let html = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle",
        "datePublished":"Tue, Sep 15 2020 10:01:41 EDT"}</script></head><body></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().date_naive().to_string(),
            "2020-09-15"
        );
        let html = r#"<html><head><meta property="article:published_time"
        content="الأربعاء، 07 أكتوبر 2020 - 12:09 م"></head><body></body></html>"#;
        assert_eq!(
            meta_of(html).published.unwrap().date_naive().to_string(),
            "2020-10-07"
        );
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let html = r#"<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script></head><body><h1>H</h1></body></html>"#;
        let m = meta_of(html);
        assert_eq!(m.headline.as_deref(), Some("H"));
    }

    #[test]
    fn date_formats() {
        for s in [
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:00:00.123+0100",
            "2026-01-05 10:00:00",
            "2026-01-05",
            "Mon, 05 Jan 2026 10:00:00 GMT",
        ] {
            assert!(parse_datetime(s).is_some(), "{s}");
        }
        assert!(parse_datetime("yesterday").is_none());
        for (s, want) in [
            ("Published 5 March 2024, 10:30 GMT", "2024-03-05"),
            ("Updated: March 5, 2024 at 9:00 a.m. ET", "2024-03-05"),
            ("Mar. 5 2024", "2024-03-05"),
            ("5. März 2024", "2024-03-05"),
            ("5 de marzo de 2024", "2024-03-05"),
            ("le 5 mars 2024 à 10h", "2024-03-05"),
            ("2024-03-05", "2024-03-05"),
            ("05.03.2024 10:15", "2024-03-05"),
            ("22/11/2020 - 04:30", "2020-11-22"),
            ("11/22/2020", "2020-11-22"),
            ("公開日：2019年4月26日 10時", "2019-04-26"),
            ("2019年 3月 5日", "2019-03-05"),
            ("2020년 3월 4일 오후", "2020-03-04"),
            ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "2020-10-07"),
        ] {
            let d = parse_human_date(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.date_naive().to_string(), want, "{s}");
        }
        for s in [
            "48 comments",
            "May I help you",
            "Top 10 of 2024",
            "3/5/2024",
            "平成31年4月",
            "2019年度",
        ] {
            assert!(parse_human_date(s).is_none(), "{s}");
        }
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;

    #[test]
    fn site_names_glued_with_headline_separators_are_cut_only_when_they_are_the_site() {
        assert_eq!(
            clean_title(
                "メディア芸術祭賞、「チコちゃん」が受賞:朝日新聞デジタル",
                Some("朝日新聞デジタル")
            ),
            "メディア芸術祭賞、「チコちゃん」が受賞"
        );
        assert_eq!(
            clean_title(
                "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报",
                Some("好奇心日报")
            ),
            "这个约会软件，想用你和对方的相似好恶来帮你找对象"
        );
        // a colon or underscore inside the headline stays
        assert_eq!(
            clean_title("Brexit: what happens next", Some("Daily Example")),
            "Brexit: what happens next"
        );
        assert_eq!(
            clean_title("snake_case names explained", Some("Daily Example")),
            "snake_case names explained"
        );
        // the site in front
        assert_eq!(
            clean_title(
                "Daily Example - Floods sweep the valley",
                Some("Daily Example")
            ),
            "Floods sweep the valley"
        );
        // one word of the site's name in front is the headline's own kicker
        assert_eq!(
            clean_title(
                "Evolve: Shared Mutable History — evolve extension for Mercurial",
                Some("evolve extension for Mercurial")
            ),
            "Evolve: Shared Mutable History"
        );
    }

    #[test]
    fn an_h1_that_is_the_titles_last_segment_is_the_site_banner() {
        let h1s = vec!["好奇心日报".to_string()];
        assert_eq!(
            banner_site(
                "这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报",
                &h1s
            )
            .as_deref(),
            Some("好奇心日报")
        );
        // an <h1> that is the first segment is the post's own title, not a banner
        assert_eq!(
            banner_site("Mozilla - Wikipedia", &["Mozilla".to_string()]),
            None
        );
        // and the whole title is no banner either
        assert_eq!(banner_site("Floods", &["Floods".to_string()]), None);
        let page = r#"<html><head><title>这个约会软件，想用你和对方的相似好恶来帮你找对象_智能_好奇心日报</title></head>
            <body><h1><a href="/">好奇心日报</a></h1><article><h2>这个约会软件，想用你和对方的相似好恶来帮你找对象</h2>
            <p>正文。</p></article></body></html>"#;
        let doc = scraper::Html::parse_document(page);
        let m = read_metadata(&Dom::new(&doc), None);
        assert_eq!(m.site_name.as_deref(), Some("好奇心日报"));
        // (NFKC folds the full-width comma)
        assert_eq!(
            m.headline.as_deref(),
            Some("这个约会软件,想用你和对方的相似好恶来帮你找对象")
        );
    }
}
