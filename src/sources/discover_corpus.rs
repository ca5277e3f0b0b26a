//! Runs the discovery parsers over the shared fixture corpus (`<manifest>/../shared/fixtures/
//! feeds`): feed-rs's own fixtures with their expected parse trees, trafilatura's and
//! crawler-commons' feeds and sitemaps, and feedparser's ~2,000 well- and ill-formed feeds.
//! Nothing is copied into the repository; the test skips with a notice when the corpus is
//! absent (e.g. in a plain checkout).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use super::discover::Discovered;
use super::feed::parse_feed;
use super::sitemap::{SitemapDoc, parse_sitemap};
use super::urlnorm::normalize_url;

const BASE: &str = "http://fixture.example/feed.xml";

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/feeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: discovery fixture corpus not found at {}",
            dir.display()
        );
        None
    }
}

/// Every regular file under `dir`, sorted, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses without letting a panic escape, so one bad file names itself instead of aborting.
fn feed_guarded(body: &[u8]) -> Result<Result<Vec<Discovered>, String>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        parse_feed(body, BASE).map_err(|e| e.to_string())
    }))
    .map_err(|_| ())
}

/// The article URLs an entry of a feed-rs `*.serde.json` tree could legitimately yield: its
/// non-enclosure links (resolved against the feed URL or, for RSS, the channel link) and its
/// id, normalised.
fn expected_candidates(entry: &serde_json::Value, bases: &[url::Url]) -> Vec<String> {
    let links = entry["links"].as_array().cloned().unwrap_or_default();
    let hrefs: Vec<String> = links
        .iter()
        .filter(|l| l["rel"].as_str().is_none_or(|r| r == "alternate"))
        .filter_map(|l| l["href"].as_str().map(str::to_string))
        .collect();
    let id = entry["id"].as_str().and_then(|id| normalize_url(id, None));
    let resolved = hrefs
        .iter()
        .flat_map(|h| bases.iter().filter_map(|b| normalize_url(h, Some(b))));
    resolved.chain(id).collect()
}

/// The feed URL and the feed's own links from the parse tree, as bases for relative links.
fn tree_bases(tree: &serde_json::Value) -> Vec<url::Url> {
    let base = url::Url::parse(BASE).unwrap();
    let links = tree["links"].as_array().cloned().unwrap_or_default();
    let own = links
        .iter()
        .filter_map(|l| l["href"].as_str())
        .filter_map(|h| base.join(h).ok());
    std::iter::once(base.clone()).chain(own).collect()
}

#[test]
fn feed_rs_fixtures_match_their_parse_trees() {
    let Some(root) = corpus() else { return };
    let (mut checked, mut items, mut expected_items) = (0, 0, 0);
    for path in files(&root.join("feed-rs/fixture")) {
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".serde.json") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        let got = feed_guarded(&body).unwrap_or_else(|()| panic!("panic on {name}"));
        let tree = Path::new(
            &name
                .replace(".xml", ".serde.json")
                .replace(".json.serde", ".serde"),
        )
        .to_path_buf();
        let tree = if name.ends_with(".json") {
            PathBuf::from(name.replace(".json", ".serde.json"))
        } else {
            tree
        };
        let Ok(tree) = std::fs::read(&tree) else {
            eprintln!(
                "feed-rs {name}: no parse tree; ours: {:?}",
                got.as_ref().map(Vec::len)
            );
            continue;
        };
        let tree: serde_json::Value = serde_json::from_slice(&tree).unwrap();
        let entries = tree["entries"].as_array().cloned().unwrap_or_default();
        let got = got.unwrap_or_else(|e| panic!("{name} has a parse tree but we failed: {e}"));
        let bases = tree_bases(&tree);
        let allowed: HashSet<String> = entries
            .iter()
            .flat_map(|e| expected_candidates(e, &bases))
            .collect();
        let with_link: HashSet<String> = entries
            .iter()
            .filter_map(|e| expected_candidates(e, &bases).into_iter().next())
            .collect();
        let with_link = with_link.len();
        for d in &got {
            assert!(
                allowed.contains(&d.url),
                "{name}: {} not among the expected links",
                d.url
            );
        }
        assert!(
            got.len() <= entries.len(),
            "{name}: more items than entries"
        );
        assert_eq!(
            got.len(),
            with_link,
            "{name}: distinct entry links vs items"
        );
        checked += 1;
        items += got.len();
        expected_items += entries.len();
    }
    eprintln!(
        "feed-rs fixtures: {checked} feeds checked, {items} items from {expected_items} entries"
    );
    assert!(checked >= 60);
}

/// Reads the `Expect:` line of a feedparser test file.
fn expectation(body: &[u8]) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(2048)]);
    head.lines()
        .find_map(|l| l.trim().strip_prefix("Expect:"))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// `X` from an expectation containing `entries[0]['link'] == 'X'`.
fn expected_first_link(expect: &str) -> Option<String> {
    let rest = expect.split("entries[0]['link'] == ").nth(1)?;
    let quote = rest.chars().next()?;
    rest[1..].split(quote).next().map(str::to_string)
}

/// Per-directory tallies of the feedparser run.
#[derive(Default, Debug)]
struct Tally {
    files: usize,
    ok: usize,
    expects_entries: usize,
    yields_items: usize,
    link_checks: usize,
    link_matches: usize,
    /// Files expecting entries whose item/entry carries link or GUID markup.
    linked: usize,
    linked_yield: usize,
}

/// Whether some `<item>`/`<entry>` of the file has `<link`, `<guid` or `rdf:about` markup: a
/// rough upper bound on the files that should yield an article URL.
fn has_link_markup(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    let start = text
        .find("<item")
        .or_else(|| text.find("<entry"))
        .unwrap_or(text.len());
    let items = &text[start..];
    ["<link", "<guid", "rdf:about=", "<id>http"]
        .iter()
        .any(|m| items.contains(m))
}

#[test]
fn feedparser_corpus_never_panics() {
    let Some(root) = corpus() else { return };
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut panics = Vec::new();
    let mut mismatches = Vec::new();
    let mut misses = Vec::new();
    let mut failures = Vec::new();
    let root = root.join("feedparser");
    for path in files(&root) {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !(rel.ends_with(".xml") || rel.ends_with(".json") || rel.ends_with(".rdf")) {
            continue;
        }
        let group = rel.split('/').take(2).collect::<Vec<_>>().join("/");
        let group = if rel.starts_with("wellformed") {
            group
        } else {
            rel.split('/').next().unwrap().into()
        };
        let body = std::fs::read(&path).unwrap();
        let t = tallies.entry(group).or_default();
        t.files += 1;
        let Ok(result) = feed_guarded(&body) else {
            panics.push(rel);
            continue;
        };
        t.ok += usize::from(result.is_ok());
        if let Err(e) = &result
            && (rel.starts_with("wellformed") || rel.starts_with("encoding"))
        {
            failures.push(format!("{rel}: {e}"));
        }
        let items = result.unwrap_or_default();
        let expect = expectation(&body);
        if expect.contains("entries[") {
            t.expects_entries += 1;
            t.yields_items += usize::from(!items.is_empty());
            if has_link_markup(&body) {
                t.linked += 1;
                t.linked_yield += usize::from(!items.is_empty());
                if items.is_empty() && rel.starts_with("wellformed") {
                    misses.push(rel.clone());
                }
            }
        }
        if let Some(link) = expected_first_link(&expect) {
            t.link_checks += 1;
            let want = normalize_url(&link, url::Url::parse(BASE).ok().as_ref());
            if items.first().map(|d| &d.url) == want.as_ref() {
                t.link_matches += 1;
            } else {
                mismatches.push(format!(
                    "{rel}: want {want:?}, got {:?}",
                    items.first().map(|d| &d.url)
                ));
            }
        }
    }
    let mut report = String::from(
        "feedparser: group files ok expects-entries yields>=1 link-checks link-matches\n",
    );
    let mut total = Tally::default();
    for (group, t) in &tallies {
        let _ = writeln!(
            report,
            "  {group:<28} {:>5} {:>5} {:>5} {:>5} {:>4} {:>4} {:>4} {:>4}",
            t.files,
            t.ok,
            t.expects_entries,
            t.yields_items,
            t.link_checks,
            t.link_matches,
            t.linked,
            t.linked_yield
        );
        if group.starts_with("wellformed") {
            total.files += t.files;
            total.ok += t.ok;
            total.expects_entries += t.expects_entries;
            total.yields_items += t.yields_items;
            total.link_checks += t.link_checks;
            total.link_matches += t.link_matches;
            total.linked += t.linked;
            total.linked_yield += t.linked_yield;
        }
    }
    let _ = writeln!(report, "  wellformed total: {total:?}");
    for m in &mismatches {
        let _ = writeln!(report, "  link mismatch {m}");
    }
    let _ = writeln!(report, "  linked but no item: {misses:?}");
    for f in &failures {
        let _ = writeln!(report, "  error {f}");
    }
    eprintln!("{report}");
    assert!(panics.is_empty(), "panicked on {panics:?}");
    assert!(total.files > 1500, "corpus unexpectedly small");
}

/// One line per sitemap/feed file of the crawler-commons and trafilatura sets.
fn describe_sitemap(body: &[u8], url: &str) -> String {
    match parse_sitemap(body, url) {
        Ok(SitemapDoc::Urls(pages)) => {
            let news = pages.iter().filter(|p| p.published.is_some()).count();
            let dated = pages.iter().filter(|p| p.updated.is_some()).count();
            format!("urls={} lastmod={dated} news={news}", pages.len())
        }
        Ok(SitemapDoc::Index(children)) => format!("index={}", children.len()),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn sitemap_and_feed_fixtures() {
    let Some(root) = corpus() else { return };
    let mut report = String::new();
    let mut outcome = BTreeMap::new();
    for dir in ["sitemaps-crawler-commons", "trafilatura"] {
        for path in files(&root.join(dir)) {
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            if rel.ends_with("LICENSE") || rel.ends_with("README.txt") {
                continue;
            }
            let body = std::fs::read(&path).unwrap();
            let is_feed = rel.contains("/rss/")
                || rel.ends_with(".rss")
                || rel.ends_with(".atom")
                || rel.ends_with(".json");
            let line = if is_feed {
                match feed_guarded(&body).unwrap_or_else(|()| panic!("panic on {rel}")) {
                    Ok(items) => format!("feed items={}", items.len()),
                    Err(e) => format!("ERR {e}"),
                }
            } else {
                describe_sitemap(&body, "https://fixture.example/sitemap.xml")
            };
            let _ = writeln!(report, "  {rel:<70} {line}");
            outcome.insert(rel, line);
        }
    }
    eprintln!("sitemap/feed fixtures:\n{report}");
    let get = |k: &str| outcome.get(k).map(String::as_str).unwrap_or("missing");
    let cc = "sitemaps-crawler-commons/sitemaps/";
    assert_eq!(get(&format!("{cc}sitemap.index.xml")), "index=15");
    assert!(get(&format!("{cc}extension/sitemap-news.xml")).contains("news="));
    assert!(get(&format!("{cc}extension/shinpaideshou-news-sitemap.xml")).contains("news="));
    for f in [
        "sitemap.txt",
        "sitemap-with-bom.txt",
        "sitemap.txt.gz",
        "xmlSitemap.gz",
        "sitemap.ns.xml",
        "sitemap.badns.xml",
        "atom.xml",
    ] {
        let line = get(&format!("{cc}{f}"));
        assert!(
            line.starts_with("urls=") && !line.starts_with("urls=0"),
            "{f}: {line}"
        );
    }
    for f in [
        "trafilatura/sitemap.xml",
        "trafilatura/sitemap.xml.gz",
        "trafilatura/feed1.atom",
        "trafilatura/feed2.rss",
        "trafilatura/feed.json",
    ] {
        let line = get(f);
        assert!(
            !line.starts_with("ERR") && !line.contains("items=0") && !line.starts_with("urls=0"),
            "{f}: {line}"
        );
    }
}
