//! Cross-outlet comparison on real paraphrased reporting: factdiff's story findings scored
//! against two hand-annotated gold sets.
//!
//! ```text
//! cargo bench --bench outlets                       # both sets: tables + per-story diagnosis
//! cargo bench --bench outlets -- --set dev          # only the dev set (or --set ecb)
//! cargo bench --bench outlets -- --story s03        # one story (s03, s3, 3 or a name prefix;
//!                                                   #   ECB+: 20, 20_ecb, 20_ecbplus; repeatable)
//! cargo bench --bench outlets -- --quiet            # only the tables
//! ```
//!
//! (To build without running: `cargo bench --bench outlets --no-run`, then run the binary it
//! names with the same arguments.) The report goes to stdout and, in full (diagnosis included
//! even with `--quiet`), to `target/bench-outlets/results.md`.
//!
//! # Data
//!
//! Both live outside the repository, under `<CARGO_MANIFEST_DIR>/../shared/fixtures`; a set
//! that is absent is skipped with a notice (exit status 0).
//!
//! 1. **Dev set** `dev-set/stories/<story>/`: 10 fictional stories, each 4–5 outlet pages
//!    (`<outlet>.html`), a `distractor.html` about a similar but different event, and
//!    `gold.json` with `conflicts`, `compatible` and `different_events` (format and conventions:
//!    the set's `README.txt`). A gold item's *kind* is its slot prefix (`count`, `date`,
//!    `place`, `quote speaker`, `role`, `money`, `duration`, `percent`, `time`);
//!    `different_events` items have none (`-`).
//! 2. **ECB+ facts** `events/ecbplus-facts/`: real ECB+ documents (`texts/N/<stem>.txt`), their
//!    publication dates (`meta/N.json`) and hand annotations (`gold/N.json`: `conflicts`,
//!    `compatible`, `stale`, `different_events`, each item with a `kind`).
//!
//! # Pipeline (what the daemon does for a story)
//!
//! * **Dev set**: every page (the outlets and the distractor) is extracted with
//!   `factdiff::extract::extract_html(html, Some(og:url))`, published at its own
//!   `datePublished` (else its modified stamp), claims from `factdiff::claims::extract_claims`
//!   against that time. The pages of one story *and its distractor* are clustered together in a
//!   fresh `StoryIndex` (default `Params`, as the daemon and `benches/stories.rs` do), added in
//!   publication order, each with `features(article, claims)`; every resulting story of ≥ 2
//!   pages is compared with `compare_story`, one `OutletDoc` per page (outlet = file stem,
//!   `distractor` for the distractor). As in the daemon, a wire copy whose original is in the
//!   same story and reports the same facts is left out of the comparison. The report says
//!   whether the distractor was kept apart (its story holds no outlet page) and whether all
//!   outlet pages ended up in one story.
//! * **ECB+**: each sub-topic (`N_*ecb` or `N_*ecbplus` documents of topic N) is one story, as
//!   in the ECB+ rows of `benches/stories.rs`, so no clustering; each document is its own outlet
//!   (its stem). A document is read as the daemon reads a plain-text article:
//!   `factdiff::extract::extract_plain` on the text, without line 1 when that is the source URL
//!   (ecbplus documents; it becomes the article URL). Publication time: noon UTC of
//!   `meta/`'s `published`; an undated document gets the median date of its sub-topic's dated
//!   documents, and a sub-topic with no dated document at all (every ecb sub-topic) gets
//!   2008-12-15 (the ECB documents were collected around the end of 2008; all documents of the
//!   sub-topic then share one time, so their relative dates resolve consistently).
//!
//! # Matching a factdiff claim to a gold claim
//!
//! Texts are compared normalised: NFKD without combining marks (accents), curly quotes and
//! dashes straightened, lower case, whitespace runs collapsed; claim and gold texts also lose
//! sentence punctuation and quote marks at their ends (a claim text can be "10 July."). A
//! factdiff claim (of the gold claim's outlet) matches a gold claim when
//! * **at the text** (strong): the gold text occurs in the claim's text, or the claim's text
//!   occurs in the gold text *and* the gold text is in the claim's sentence (or the sentence
//!   in the gold text, or they overlap across a sentence split). When several claims match at
//!   the text, only those whose kind fits the gold kind are kept, if there are any
//!   (count/quantity/number → quantity; age → quantity, duration; date → date; time → date,
//!   quantity, duration; place → place; quote speaker, role, person → quote, person; money;
//!   percent; duration → duration, quantity, date), and of those, when there are several, the
//!   ones whose value fits the gold value (so "14 AK-47 rifles, 31 magazines and 923 rounds"
//!   stands for 14 in the rifles item, not for 923);
//! * **in the sentence** (weak, used only when the outlet has no strong match for that gold
//!   claim): the gold text occurs in the claim's sentence and the claim is a quote or a person
//!   of a gold kind that fits (quote speaker, role, person, or no kind). This is what lets a
//!   quotation claim stand for a "quote speaker" gold claim whose text is the speaker's name.
//!   For a "quote speaker" gold claim the quotations of its sentence are added to a strong
//!   match too (the speaker's name is also a person claim, but the finding holds the quote).
//!
//! A factdiff `FindingClaim` stands for a factdiff claim when outlet, text and sentence are
//! equal (its value may be re-resolved by the comparison).
//!
//! # Scoring
//!
//! A finding is **flagged** when its outcome is `conflict` or `disputed` (the loud outcomes of
//! `compare::conflicts::Outcome`; `tension`, `stale`, `refinement`, `compatible` and `agree` are
//! not flagged).
//!
//! * Two gold claims **disagree** when their values cannot both hold: numbers and clock times
//!   as intervals (`approx` = ±5 % or ±5 minutes; `approx` with `lt`/`lte` = [0.9·N, N), with
//!   `gt`/`gte` = (N, 1.1·N]) that do not overlap; dates unless one is a prefix of the other
//!   (`2026-05` / `2026-05-12`) or a weekday name names the date's weekday; strings unless equal
//!   (accents ignored), one a word-prefix of the other ("cabinet member for roads [and
//!   transport]") or equal without a leading house number ("2088 philip street, …").
//! * A gold conflict is **found** when a flagged finding holds claims matching two of its gold
//!   claims, from different outlets, whose gold values disagree (so one on each side of the
//!   disagreement) and whose factdiff values differ (factdiff itself put them on different
//!   sides: when the finding names an outlier, one of the two is the outlier's).
//! * A flagged finding is **false** when it holds claims matching two claims (different
//!   outlets) of a `compatible`, `stale` or `different_events` item and factdiff's values for
//!   them differ (one of them the outlier's, when the finding names one). It is **unexplained** when it neither finds a gold conflict nor is false (the
//!   diagnosis lists the gold items it touches, if any): a real disagreement the gold does not
//!   list (the ECB+ notes name several left out on purpose) or noise. A finding can both find a
//!   conflict and be false (e.g. it also mixes in a background event's figure).
//! * Rates: conflict recall, overall and per kind; false findings per 30 `compatible` +
//!   `different_events` items (dev set) and per 20 `stale` + `compatible` + `different_events`
//!   items (ECB+); the number of gold false-alarm items hit at least once.
//! * Table columns: *flagged findings* (all loud findings), *finding a conflict* (flagged
//!   findings that find at least one gold conflict), *false* (flagged findings that are
//!   false), *false items hit* (distinct gold false-alarm items matched by a false finding, out
//!   of all such items), *unexplained*, *all findings* (every outcome, agree included).
//! * Splits: dev stories with an even number (s02, s04, …: tuning) and odd (s01, s03, …: held
//!   out); ECB+ topics with an even and an odd number. Each is reported separately, plus all.
//!
//! # Why a conflict is missed
//!
//! For each pair of disagreeing gold claims (different outlets) the furthest stage it reached is
//! taken, and the conflict's category is the furthest over its pairs:
//! 1. *lost in extraction*: a gold text is not in factdiff's article text (headline, title,
//!    paragraphs);
//! 2. *not recognised*: the text is there but no factdiff claim matches it, or only claims of
//!    a kind that does not fit (a quotation holding the phrase, a date inside a place phrase);
//! 3. *split by clustering* (dev set): the two outlets ended up in different stories;
//! 4. *never compared*: recognised only as claims the comparison skips by design (quotes,
//!    people, negated claims);
//! 5. *not compared*: recognised, in no finding, and not compared even when its page is
//!    compared with an identical copy of itself (the *probe*): in the story-level "general"
//!    event (a sentence without an event mention) dates, places, durations, bare "number"
//!    figures and head-less money/percentages are not compared, a place must be locative, and
//!    an outlet speaks in an (event, slot) with one claim only (the most confident). The table
//!    breaks these down by reason: date / duration / place, "bare number", "money without
//!    head", and "quantity outvoted" (a counted figure, compared everywhere, that lost to
//!    another claim of its page);
//! 6. *alone in its (event, slot)*: recognised and comparable (the probe compares it, and the
//!    diagnosis shows its event / slot there), but in the story no other outlet has a claim in
//!    that (event, slot);
//! 7. *different findings*: both sides in findings, but in different events or slots;
//! 8. *same value*: aligned in one finding, but factdiff read the same value on both sides;
//! 9. *judged not a conflict*: aligned with different values, outcome agree/compatible/
//!    refinement/stale/tension (counted by outcome);
//! 10. *found*.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
#[path = "support/results.rs"]
mod results;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use factdiff::claims::{Claim, DocClaims, HEADLINE, Kind, extract_claims};
use factdiff::compare::conflicts::{Finding, Outcome, OutletDoc, compare_story, same_facts};
use factdiff::compare::stories::{DocId, StoryDoc, StoryIndex, features};
use factdiff::extract::{Article, extract_html, extract_plain};
use serde_json::Value as J;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Set {
    Dev,
    Ecb,
}

impl Set {
    fn name(self) -> &'static str {
        match self {
            Set::Dev => "dev set",
            Set::Ecb => "ECB+",
        }
    }
}

struct Args {
    stories: Vec<String>,
    quiet: bool,
    set: Option<Set>,
}

impl Args {
    fn parse() -> Self {
        let mut args = Args {
            stories: Vec::new(),
            quiet: false,
            set: None,
        };
        let mut it = std::env::args().skip(1);
        let set = |s: &str| match s {
            "dev" => Some(Set::Dev),
            "ecb" | "ecb+" | "ecbplus" => Some(Set::Ecb),
            _ => {
                eprintln!("outlets bench: --set takes dev or ecb, not {s:?}");
                None
            }
        };
        while let Some(a) = it.next() {
            if a == "--quiet" || a == "-q" {
                args.quiet = true;
            } else if a == "--story" {
                match it.next() {
                    Some(s) => args.stories.push(s),
                    None => eprintln!("outlets bench: --story needs a story id (e.g. s03)"),
                }
            } else if let Some(s) = a.strip_prefix("--story=") {
                args.stories.push(s.to_string());
            } else if a == "--set" {
                args.set = it.next().and_then(|s| set(&s));
            } else if let Some(s) = a.strip_prefix("--set=") {
                args.set = set(s);
            } else if a == "--bench" || a == "--" {
                // `--bench` is passed by `cargo bench` to every bench binary
            } else {
                eprintln!("outlets bench: ignoring argument {a:?}");
            }
        }
        args
    }

    fn wants_set(&self, s: Set) -> bool {
        self.set.is_none_or(|x| x == s)
    }

    /// Dev story `s03-phoenix…` (number 3): `s03`, `s3`, `3` or a prefix of the name.
    fn wants_dev(&self, name: &str, num: u32) -> bool {
        self.stories.is_empty()
            || self.stories.iter().any(|s| {
                let digits = s.strip_prefix(['s', 'S']).unwrap_or(s);
                match digits.parse::<u32>() {
                    Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => n == num,
                    _ => name.starts_with(s.as_str()),
                }
            })
    }

    /// ECB+ sub-topic `20_ecbplus`: `20` (both sub-topics) or the full id.
    fn wants_ecb(&self, topic: u32, id: &str) -> bool {
        self.stories.is_empty()
            || self
                .stories
                .iter()
                .any(|s| s.parse::<u32>().is_ok_and(|n| n == topic) || s == id)
    }
}

// ---------------------------------------------------------------------------------------------
// Stories, documents, gold
// ---------------------------------------------------------------------------------------------

struct Doc {
    outlet: String,
    url: String,
    published: DateTime<FixedOffset>,
    /// Where `published` came from.
    when: &'static str,
    article: Article,
    claims: DocClaims,
    /// Normalised article text (headline, title, paragraphs).
    text: String,
    /// Normalised headline and sentences, as `claims.sentences` (headline separately).
    head: String,
    sents: Vec<String>,
    /// The story (cluster) the page was put in, as a small index.
    cluster: usize,
    /// Left out of the comparison: a wire copy of this outlet reporting the same facts.
    wire_copy_of: Option<String>,
    /// Per claim: the (event / slot) it is compared in when the page is compared with an
    /// identical copy of itself; `None` when it is not compared even then.
    probe: Vec<Option<String>>,
}

impl Doc {
    fn new(
        outlet: String,
        url: String,
        article: Article,
        published: DateTime<FixedOffset>,
        when: &'static str,
    ) -> Self {
        // compared as factdiff compares it (its claims' sentences are normalised too)
        let article = article.normalized();
        let mut claims = extract_claims(&article, Some(published));
        // the times of day the comparison adds beside the days, so findings on them match
        factdiff::compare::conflicts::with_times(&mut claims);
        let mut text = String::new();
        for t in article
            .headline
            .iter()
            .chain(article.title.iter())
            .chain(article.paragraphs.iter())
        {
            text.push_str(t);
            text.push('\n');
        }
        let text = norm(&text);
        let head = norm(claims.headline.as_deref().unwrap_or(""));
        let sents = claims.sentences.iter().map(|s| norm(s)).collect();
        let probe = probe(&outlet, &url, published, &claims);
        Doc {
            outlet,
            url,
            published,
            when,
            article,
            claims,
            text,
            head,
            sents,
            cluster: 0,
            wire_copy_of: None,
            probe,
        }
    }

    fn norm_sentence(&self, i: usize) -> &str {
        if i == HEADLINE {
            &self.head
        } else {
            self.sents.get(i).map_or("", String::as_str)
        }
    }
}

/// Compares a page with an identical copy of itself: every claim the comparison would compare
/// (and that speaks for its outlet in its (event, slot)) lands in an *agree* finding. Returns
/// that finding's "event / slot" per claim.
fn probe(
    outlet: &str,
    url: &str,
    published: DateTime<FixedOffset>,
    claims: &DocClaims,
) -> Vec<Option<String>> {
    let od = |o: String| OutletDoc {
        outlet: o,
        url: url.to_string(),
        published,
        claims: claims.clone(),
    };
    let findings = compare_story(&[od(outlet.to_string()), od(format!("{outlet}\u{1}copy"))]);
    claims
        .claims
        .iter()
        .map(|c| {
            let sentence = claims.sentence(c.sentence);
            findings
                .iter()
                .find(|f| {
                    f.claims.iter().any(|fc| {
                        fc.outlet == outlet && fc.text == c.text && fc.sentence == sentence
                    })
                })
                .map(|f| format!("{} / {}", short(&f.event, 50), f.slot))
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum List {
    Conflict,
    Compatible,
    Stale,
    DifferentEvents,
}

impl List {
    fn name(self) -> &'static str {
        match self {
            List::Conflict => "conflict",
            List::Compatible => "compatible",
            List::Stale => "stale",
            List::DifferentEvents => "different_events",
        }
    }
}

struct GClaim {
    outlet: String,
    text: String,
    norm: String,
    value: J,
    gv: Gv,
}

struct Item {
    list: List,
    /// Slot prefix (dev) or `kind` (ECB+); `-` when none.
    kind: String,
    slot: String,
    note: String,
    claims: Vec<GClaim>,
}

struct Story {
    id: String,
    set: Set,
    /// Even-numbered: the tuning half.
    tuning: bool,
    docs: Vec<Doc>,
    items: Vec<Item>,
    has_distractor: bool,
    /// (cluster, finding), every finding of every compared story.
    findings: Vec<(usize, Finding)>,
    problems: Vec<String>,
}

impl Story {
    fn doc_of(&self, outlet: &str) -> Option<usize> {
        self.docs.iter().position(|d| d.outlet == outlet)
    }
}

fn js(v: &J, k: &str) -> String {
    v.get(k).and_then(J::as_str).unwrap_or("").to_string()
}

fn gclaims(v: &J, outlet_key: &str) -> Vec<GClaim> {
    v.get("claims")
        .and_then(J::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| {
                    let text = js(c, "text");
                    let value = c.get("value").cloned().unwrap_or(J::Null);
                    GClaim {
                        outlet: js(c, outlet_key),
                        norm: trim_punct(&norm(&text)).to_string(),
                        text,
                        gv: gv(&value),
                        value,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn og_url(html: &str) -> Option<String> {
    let re = regex::Regex::new(
        r#"(?is)<meta[^>]+property\s*=\s*["']og:url["'][^>]*content\s*=\s*["']([^"']+)["']"#,
    )
    .expect("og:url pattern");
    re.captures(html).map(|c| c[1].to_string())
}

fn noon(d: NaiveDate) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).expect("noon"))
        .fixed_offset()
}

fn load_dev(root: &Path, args: &Args) -> Vec<Story> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("gold.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut out = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let num: u32 = name
            .trim_start_matches('s')
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if !args.wants_dev(&name, num) {
            continue;
        }
        let gold: J = match std::fs::read_to_string(dir.join("gold.json"))
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
        {
            Ok(g) => g,
            Err(e) => {
                eprintln!("outlets bench: {name}: gold.json: {e}");
                continue;
            }
        };
        let mut problems = Vec::new();
        let mut pages: Vec<(String, PathBuf)> = gold
            .get("outlets")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
            .map(|o| (o.to_string(), dir.join(format!("{o}.html"))))
            .collect();
        let distractor = gold.get("distractor").and_then(J::as_str);
        if let Some(d) = distractor {
            pages.push(("distractor".into(), dir.join(d)));
        }
        let mut docs = Vec::new();
        for (outlet, path) in pages {
            let html = match std::fs::read_to_string(&path) {
                Ok(h) => h,
                Err(e) => {
                    problems.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            let url = og_url(&html).unwrap_or_else(|| format!("https://{outlet}.example/{name}"));
            let article = match extract_html(&html, Some(&url)) {
                Ok(a) => a,
                Err(e) => {
                    problems.push(format!("{outlet}: extraction failed: {e}"));
                    continue;
                }
            };
            let (published, when) = match (article.published, article.modified) {
                (Some(p), _) => (p, "datePublished"),
                (None, Some(m)) => (m, "modified"),
                (None, None) => (
                    noon(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")),
                    "fallback 2026-01-01",
                ),
            };
            docs.push(Doc::new(outlet, url, article, published, when));
        }
        let mut items = Vec::new();
        for (key, list) in [
            ("conflicts", List::Conflict),
            ("compatible", List::Compatible),
            ("different_events", List::DifferentEvents),
        ] {
            for v in gold.get(key).and_then(J::as_array).into_iter().flatten() {
                let slot = js(v, "slot");
                let kind = slot
                    .split_once(':')
                    .map_or("-".to_string(), |(k, _)| k.trim().to_string());
                let note = [js(v, "note"), js(v, "why")].join(" ").trim().to_string();
                items.push(Item {
                    list,
                    kind,
                    slot: if slot.is_empty() {
                        "different events".into()
                    } else {
                        slot
                    },
                    note,
                    claims: gclaims(v, "outlet"),
                });
            }
        }
        out.push(Story {
            id: name,
            set: Set::Dev,
            tuning: num.is_multiple_of(2),
            docs,
            items,
            has_distractor: distractor.is_some(),
            findings: Vec::new(),
            problems,
        });
    }
    out
}

fn load_ecb(root: &Path, args: &Args) -> Vec<Story> {
    let mut topics: Vec<u32> = std::fs::read_dir(root.join("texts"))
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_string_lossy().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    topics.sort();
    let fallback = noon(NaiveDate::from_ymd_opt(2008, 12, 15).expect("date"));
    let mut out = Vec::new();
    for topic in topics {
        let read_json = |p: PathBuf| -> Result<J, String> {
            std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: {e}", p.display()))
                .and_then(|s| serde_json::from_str(&s).map_err(|e| format!("{}: {e}", p.display())))
        };
        let gold = match read_json(root.join(format!("gold/{topic}.json"))) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("outlets bench: ECB+ topic {topic}: {e}");
                continue;
            }
        };
        let meta = read_json(root.join(format!("meta/{topic}.json"))).unwrap_or(J::Null);
        let published: BTreeMap<String, NaiveDate> = meta
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let d = NaiveDate::parse_from_str(m.get("published")?.as_str()?, "%Y-%m-%d");
                Some((js(m, "doc"), d.ok()?))
            })
            .collect();
        let mut stems: Vec<String> = std::fs::read_dir(root.join(format!("texts/{topic}")))
            .map(|d| {
                d.flatten()
                    .filter_map(|e| {
                        e.file_name()
                            .to_string_lossy()
                            .strip_suffix(".txt")
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let doc_num = |s: &str| -> u32 {
            s.split('_')
                .nth(1)
                .map(|r| r.trim_end_matches(char::is_alphabetic))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        stems.sort_by_key(|s| (doc_num(s), s.clone()));
        for sub in ["ecb", "ecbplus"] {
            let id = format!("{topic}_{sub}");
            if !args.wants_ecb(topic, &id) {
                continue;
            }
            let in_sub = |s: &str| {
                if sub == "ecb" {
                    s.ends_with("ecb")
                } else {
                    s.ends_with("ecbplus")
                }
            };
            let members: Vec<&String> = stems.iter().filter(|s| in_sub(s)).collect();
            let mut dated: Vec<NaiveDate> = members
                .iter()
                .filter_map(|s| published.get(*s).copied())
                .collect();
            dated.sort();
            let median = dated.get(dated.len() / 2).copied();
            let mut docs = Vec::new();
            let mut problems = Vec::new();
            for stem in members {
                let path = root.join(format!("texts/{topic}/{stem}.txt"));
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        problems.push(format!("{}: {e}", path.display()));
                        continue;
                    }
                };
                let first = text.lines().next().unwrap_or("").trim();
                let (url, body) = if first.starts_with("http://") || first.starts_with("https://") {
                    (
                        first.to_string(),
                        text.split_once('\n').map_or("", |(_, r)| r).to_string(),
                    )
                } else {
                    (format!("https://ecb.example/{stem}"), text.clone())
                };
                let mut article = extract_plain(&body);
                article.canonical_url = Some(url.clone());
                let (p, when) = match (published.get(stem.as_str()), median) {
                    (Some(d), _) => (noon(*d), "meta"),
                    (None, Some(m)) => (noon(m), "sub-topic median"),
                    (None, None) => (fallback, "fallback 2008-12-15"),
                };
                article.published = Some(p);
                docs.push(Doc::new(stem.clone(), url, article, p, when));
            }
            let mut items = Vec::new();
            for (key, list) in [
                ("conflicts", List::Conflict),
                ("compatible", List::Compatible),
                ("stale", List::Stale),
                ("different_events", List::DifferentEvents),
            ] {
                for v in gold.get(key).and_then(J::as_array).into_iter().flatten() {
                    let claims = gclaims(v, "doc");
                    if !claims.first().is_some_and(|c| in_sub(&c.outlet)) {
                        continue;
                    }
                    let k = js(v, "kind");
                    items.push(Item {
                        list,
                        kind: if k.is_empty() { "-".into() } else { k },
                        slot: js(v, "slot"),
                        note: js(v, "why"),
                        claims,
                    });
                }
            }
            out.push(Story {
                id,
                set: Set::Ecb,
                tuning: topic.is_multiple_of(2),
                docs,
                items,
                has_distractor: false,
                findings: Vec::new(),
                problems,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Running factdiff on a story
// ---------------------------------------------------------------------------------------------

/// Clusters the dev pages (one fresh index per story, publication order) and compares every
/// story of ≥ 2 pages; ECB+ sub-topics are one story each.
fn run(st: &mut Story) {
    if st.set == Set::Dev {
        let mut order: Vec<usize> = (0..st.docs.len()).collect();
        order.sort_by(|&a, &b| {
            st.docs[a]
                .published
                .cmp(&st.docs[b].published)
                .then(st.docs[a].outlet.cmp(&st.docs[b].outlet))
        });
        let mut ix = StoryIndex::new();
        let mut wire: Vec<Option<usize>> = vec![None; st.docs.len()];
        for &i in &order {
            let d = &st.docs[i];
            let a = ix.add(StoryDoc {
                id: i as DocId,
                outlet: d.outlet.clone(),
                published: Some(d.published.with_timezone(&Utc)),
                features: features(&d.article, &d.claims),
            });
            wire[i] = a.wire_copy_of.map(|w| w as usize);
        }
        let mut ids: Vec<u64> = Vec::new();
        for &i in &order {
            let s = ix.story_of(i as DocId).map_or(u64::MAX, |s| s.0);
            if !ids.contains(&s) {
                ids.push(s);
            }
            st.docs[i].cluster = ids.iter().position(|x| *x == s).unwrap_or(0);
        }
        // The daemon leaves out a wire copy whose original is in the story with the same facts.
        for (i, w) in wire.iter().enumerate() {
            if let Some(o) = *w
                && st.docs[o].cluster == st.docs[i].cluster
                && same_facts(&st.docs[o].claims, &st.docs[i].claims)
            {
                st.docs[i].wire_copy_of = Some(st.docs[o].outlet.clone());
            }
        }
    }
    let clusters: BTreeSet<usize> = st.docs.iter().map(|d| d.cluster).collect();
    for c in clusters {
        let mut outlet_docs: Vec<OutletDoc> = st
            .docs
            .iter()
            .filter(|d| d.cluster == c && d.wire_copy_of.is_none())
            .map(|d| OutletDoc {
                outlet: d.outlet.clone(),
                url: d.url.clone(),
                published: d.published,
                claims: d.claims.clone(),
            })
            .collect();
        if outlet_docs.len() < 2 {
            continue;
        }
        outlet_docs.sort_by(|a, b| a.outlet.cmp(&b.outlet).then(a.url.cmp(&b.url)));
        for f in compare_story(&outlet_docs) {
            st.findings.push((c, f));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Normalisation and gold values
// ---------------------------------------------------------------------------------------------

fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Without sentence punctuation and quote marks at either end ("10 July." → "10 July").
fn trim_punct(s: &str) -> &str {
    s.trim_matches(|c: char| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '(' | ')'
        )
    })
    .trim()
}

/// A gold value, for telling whether two claims disagree.
#[derive(Debug, Clone, PartialEq)]
enum Gv {
    /// Closed interval (open ends shrunk by a hair).
    Num(f64, f64),
    /// Minutes since midnight, as an interval.
    Time(f64, f64),
    /// "YYYY-MM-DD", "YYYY-MM" or "YYYY".
    Date(String),
    /// 0 = Monday.
    Weekday(u32),
    Text(String),
    Unknown,
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn hhmm(s: &str) -> Option<f64> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.len() <= 5).then_some((h * 60 + m) as f64)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b[i].is_ascii_digit());
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

fn gv(v: &J) -> Gv {
    match v {
        J::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            Gv::Num(x, x)
        }
        J::String(s) => {
            if let Some(m) = hhmm(s) {
                Gv::Time(m, m)
            } else if is_iso_date(s) {
                Gv::Date(s.clone())
            } else if let Some(w) = WEEKDAYS.iter().position(|w| *w == s.to_lowercase()) {
                Gv::Weekday(w as u32)
            } else {
                Gv::Text(norm(s))
            }
        }
        J::Object(o) => {
            let mut time = false;
            let num = |x: &J, time: &mut bool| match x {
                J::Number(n) => n.as_f64(),
                J::String(s) => {
                    *time = true;
                    hhmm(s)
                }
                _ => None,
            };
            let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
            let mut approx = None;
            let (mut upper, mut lower) = (false, false);
            for (k, x) in o {
                let Some(n) = num(x, &mut time) else {
                    return Gv::Unknown;
                };
                let hair = 1e-9 * n.abs().max(1.0);
                match k.as_str() {
                    "approx" => approx = Some(n),
                    "gt" => {
                        lo = lo.max(n + hair);
                        lower = true;
                    }
                    "gte" => {
                        lo = lo.max(n);
                        lower = true;
                    }
                    "lt" => {
                        hi = hi.min(n - hair);
                        upper = true;
                    }
                    "lte" => {
                        hi = hi.min(n);
                        upper = true;
                    }
                    _ => return Gv::Unknown,
                }
            }
            if let Some(n) = approx {
                let (tight, loose) = if time {
                    (5.0, 30.0)
                } else {
                    (0.05 * n.abs(), 0.1 * n.abs())
                };
                match (lower, upper) {
                    (false, false) => {
                        lo = n - tight;
                        hi = n + tight;
                    }
                    // "almost N", "nearly N"
                    (false, true) => lo = lo.max(n - loose),
                    // "just over N"
                    (true, false) => hi = hi.min(n + loose),
                    (true, true) => {}
                }
            }
            if time {
                Gv::Time(lo, hi)
            } else {
                Gv::Num(lo, hi)
            }
        }
        _ => Gv::Unknown,
    }
}

/// Without leading house numbers: "2088 philip street, new bedford" → "philip street, …".
fn strip_number(s: &str) -> &str {
    let mut t = s;
    while let Some((w, rest)) = t.split_once(' ') {
        if w.chars().all(|c| c.is_ascii_digit()) {
            t = rest;
        } else {
            break;
        }
    }
    t
}

fn word_prefix(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.starts_with(short)
        && long[short.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// The two gold values cannot both be true.
fn disagree(a: &Gv, b: &Gv) -> bool {
    match (a, b) {
        (Gv::Num(a0, a1), Gv::Num(b0, b1)) | (Gv::Time(a0, a1), Gv::Time(b0, b1)) => {
            a1 < b0 || b1 < a0
        }
        (Gv::Date(x), Gv::Date(y)) => !(x.starts_with(y.as_str()) || y.starts_with(x.as_str())),
        (Gv::Weekday(w), Gv::Date(d)) | (Gv::Date(d), Gv::Weekday(w)) => {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .is_ok_and(|d| d.weekday().num_days_from_monday() != *w)
        }
        (Gv::Weekday(x), Gv::Weekday(y)) => x != y,
        (Gv::Text(x), Gv::Text(y)) => {
            !(x == y
                || word_prefix(x, y)
                || strip_number(x) == strip_number(y)
                || word_prefix(strip_number(x), strip_number(y)))
        }
        (Gv::Unknown, _) | (_, Gv::Unknown) => false,
        _ => true,
    }
}

/// The factdiff kinds that fit a gold kind.
fn kind_fits(gold: &str, c: &Claim) -> bool {
    use Kind::*;
    let k = c.kind;
    // a person's age and home town are person claims (`age` / `home` slots)
    let person_attr = |slot: &str| k == Person && c.slot == slot;
    match gold {
        "count" | "quantity" | "number" => k == Quantity,
        "age" => matches!(k, Quantity | Duration) || person_attr(factdiff::claims::PERSON_AGE),
        "date" => k == Date,
        "time" => matches!(k, Date | Quantity | Duration),
        "place" => k == Place || person_attr(factdiff::claims::PERSON_HOME),
        "quote speaker" | "quote_speaker" | "role" | "person" => matches!(k, Quote | Person),
        "money" => k == Money,
        "percent" => k == Percent,
        "duration" => matches!(k, Duration | Quantity | Date),
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/// The factdiff claims (indices into its outlet's `claims.claims`) standing for one gold claim.
#[derive(Default, Clone)]
struct Matched {
    doc: Option<usize>,
    claims: Vec<usize>,
    strong: bool,
    /// Some matched claim is of a kind that fits the gold kind.
    fits: bool,
    /// The gold text is in factdiff's article text.
    in_text: bool,
}

/// The sentence holds the gold text, the gold text holds the sentence, or they overlap across a
/// sentence split by at least half the gold text.
fn located(sentence: &str, gold: &str) -> bool {
    if sentence.is_empty() || gold.is_empty() {
        return false;
    }
    if sentence.contains(gold) || gold.contains(sentence) {
        return true;
    }
    let need = (gold.len() / 2).max(8);
    let cut = |k: usize| gold.is_char_boundary(k);
    (need..gold.len()).any(|k| {
        (cut(k) && sentence.ends_with(&gold[..k]))
            || (cut(gold.len() - k) && sentence.starts_with(&gold[gold.len() - k..]))
    })
}

fn match_claim(st: &Story, item_kind: &str, g: &GClaim) -> Matched {
    let Some(d) = st.doc_of(&g.outlet) else {
        return Matched::default();
    };
    let doc = &st.docs[d];
    let mut m = Matched {
        doc: Some(d),
        in_text: doc.text.contains(&g.norm),
        ..Matched::default()
    };
    let mut weak = Vec::new();
    for (i, c) in doc.claims.claims.iter().enumerate() {
        let t = trim_punct(&norm(&c.text)).to_string();
        let s = doc.norm_sentence(c.sentence);
        if t.is_empty() {
            continue;
        }
        if t.contains(&g.norm) || (g.norm.contains(&t) && located(s, &g.norm)) {
            m.claims.push(i);
        } else if s.contains(&g.norm)
            && matches!(c.kind, Kind::Quote | Kind::Person)
            && kind_fits(item_kind, c)
        {
            weak.push(i);
        }
    }
    if m.claims.is_empty() {
        m.claims = weak.clone();
    } else {
        m.strong = true;
        // Of several claims at the text, those of a fitting kind (when there are any), and of
        // those the ones whose value fits the gold value (when there are any).
        let claims = &doc.claims.claims;
        if m.claims.iter().any(|&i| kind_fits(item_kind, &claims[i])) {
            m.claims.retain(|&i| kind_fits(item_kind, &claims[i]));
            m.fits = true;
        }
        if m.claims.len() > 1 && m.claims.iter().any(|&i| value_fits(&claims[i], &g.gv)) {
            m.claims.retain(|&i| value_fits(&claims[i], &g.gv));
        }
    }
    if !m.strong && !m.claims.is_empty() {
        m.fits = true;
    }
    // A speaker's name stands for the quotation its sentence attributes to them: a "quote
    // speaker" finding holds the quotation, whose speaker is the value compared.
    if item_kind.starts_with("quote") && m.strong {
        let claims = &doc.claims.claims;
        m.claims
            .extend(weak.iter().filter(|&&i| claims[i].kind == Kind::Quote));
    }
    m
}

/// A factdiff claim's value is (about) the gold value: a number or money amount overlapping
/// the gold interval (1 % slack), the same date or weekday, or the same text. Only used to
/// prefer one of several claims at a gold text.
fn value_fits(c: &Claim, g: &Gv) -> bool {
    let v = c.value.to_json();
    let v = v.get("amount").cloned().unwrap_or(v);
    let interval = |v: &J| -> Option<(f64, f64)> {
        match v {
            J::Number(n) => n.as_f64().map(|x| (x, x)),
            J::Object(o) => Some((
                o.get("min")
                    .and_then(J::as_f64)
                    .unwrap_or(f64::NEG_INFINITY),
                o.get("max").and_then(J::as_f64).unwrap_or(f64::INFINITY),
            )),
            _ => None,
        }
    };
    match g {
        Gv::Num(lo, hi) => interval(&v).is_some_and(|(a, b)| {
            let slack = 0.01 * lo.abs().max(hi.abs()).min(f64::MAX);
            a <= hi + slack && lo - slack <= b
        }),
        Gv::Date(d) => v
            .as_str()
            .is_some_and(|x| x.starts_with(d.as_str()) || d.starts_with(x)),
        Gv::Weekday(w) => v.as_str().is_some_and(|x| {
            NaiveDate::parse_from_str(x, "%Y-%m-%d")
                .is_ok_and(|d| d.weekday().num_days_from_monday() == *w)
        }),
        Gv::Text(t) => {
            let x = norm(v.as_str().unwrap_or(""));
            !x.is_empty() && (x.contains(t.as_str()) || t.contains(x.as_str()))
        }
        Gv::Time(..) | Gv::Unknown => false,
    }
}

/// The finding's claim (index into `f.claims`) standing for factdiff claim `ci` of doc `d`.
fn held(st: &Story, f: &Finding, d: usize, ci: usize) -> Option<usize> {
    let doc = &st.docs[d];
    let c = &doc.claims.claims[ci];
    let sentence = doc.claims.sentence(c.sentence);
    f.claims
        .iter()
        .position(|fc| fc.outlet == doc.outlet && fc.text == c.text && fc.sentence == sentence)
}

/// The finding's claim standing for a gold claim, if any.
fn held_gold(st: &Story, f: &Finding, m: &Matched) -> Option<usize> {
    let d = m.doc?;
    m.claims.iter().find_map(|&ci| held(st, f, d, ci))
}

fn flagged(f: &Finding) -> bool {
    matches!(f.outcome, Outcome::Conflict | Outcome::Disputed)
}

/// The kind of the factdiff claim a finding claim stands for.
fn kind_of(st: &Story, fc: &factdiff::compare::conflicts::FindingClaim) -> Option<Kind> {
    let doc = &st.docs[st.doc_of(&fc.outlet)?];
    doc.claims
        .claims
        .iter()
        .find(|c| c.text == fc.text && doc.claims.sentence(c.sentence) == fc.sentence)
        .map(|c| c.kind)
}

/// Why a claim the probe does not compare is left out, in a few words. Dates, durations and
/// places: just the kind (outside any event mention, a non-locative place, or outvoted). A
/// figure without a counted noun: "bare number"; money or a percentage without a head
/// ("amount", "percentage"): "… without head" (both not compared outside an event mention).
/// A counted figure (compared everywhere): "… outvoted" (another claim of its page spoke in
/// its (event, slot)). `None` for quotes, people and negated claims (never compared).
fn not_compared_label(doc: &Doc, ci: usize) -> Option<String> {
    let c = &doc.claims.claims[ci];
    if c.negated || matches!(c.kind, Kind::Quote | Kind::Person) || doc.probe[ci].is_some() {
        return None;
    }
    Some(match c.kind {
        Kind::Quantity if c.slot == "number" => "bare number".into(),
        Kind::Money | Kind::Percent if !c.slot.contains('(') => {
            format!("{} without head", c.kind.as_str())
        }
        Kind::Quantity | Kind::Money | Kind::Percent => format!("{} outvoted", c.kind.as_str()),
        k => k.as_str().to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Stage {
    Lost,
    NotRecognised,
    Clustering,
    NeverCompared,
    NotCompared,
    Alone,
    DifferentFindings,
    SameValue,
    NotFlagged,
    Found,
}

const STAGES: [Stage; 10] = [
    Stage::Lost,
    Stage::NotRecognised,
    Stage::Clustering,
    Stage::NeverCompared,
    Stage::NotCompared,
    Stage::Alone,
    Stage::DifferentFindings,
    Stage::SameValue,
    Stage::NotFlagged,
    Stage::Found,
];

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Lost => "gold text lost in extraction",
            Stage::NotRecognised => "claim not recognised (or only as an unrelated kind)",
            Stage::Clustering => "outlets split by story clustering",
            Stage::NeverCompared => "recognised only as quote/person/negated (never compared)",
            Stage::NotCompared => {
                "recognised, not compared (general-event rule, or outvoted in its slot)"
            }
            Stage::Alone => "recognised and comparable, alone in its (event, slot)",
            Stage::DifferentFindings => "recognised and compared, in different events or slots",
            Stage::SameValue => "aligned in one finding, same value read on both sides",
            Stage::NotFlagged => "aligned with different values, judged not a conflict",
            Stage::Found => "found",
        }
    }
}

struct ConflictEval {
    item: usize,
    stage: Stage,
    /// For `NotFlagged`: the outcome of the closest finding.
    outcome: Option<Outcome>,
    /// For `NotCompared`: why the claims were not compared ([`not_compared_label`]).
    kinds: Option<BTreeSet<String>>,
}

struct FindingEval {
    finding: usize,
    finds: Vec<usize>,
    false_items: Vec<usize>,
    touches: Vec<usize>,
}

struct StoryEval {
    matched: Vec<Vec<Matched>>,
    conflicts: Vec<ConflictEval>,
    flagged: Vec<FindingEval>,
    /// (distractor kept apart, all outlet pages in one story); dev only.
    separation: Option<(bool, bool)>,
}

fn evaluate(st: &Story) -> StoryEval {
    let matched: Vec<Vec<Matched>> = st
        .items
        .iter()
        .map(|it| {
            it.claims
                .iter()
                .map(|g| match_claim(st, &it.kind, g))
                .collect()
        })
        .collect();
    // Flagged findings against every item.
    let mut flagged_evals = Vec::new();
    for (fi, (_, f)) in st.findings.iter().enumerate() {
        if !flagged(f) {
            continue;
        }
        let mut fe = FindingEval {
            finding: fi,
            finds: Vec::new(),
            false_items: Vec::new(),
            touches: Vec::new(),
        };
        for (ii, it) in st.items.iter().enumerate() {
            let held: Vec<Option<usize>> =
                matched[ii].iter().map(|m| held_gold(st, f, m)).collect();
            if held.iter().any(Option::is_some) {
                fe.touches.push(ii);
            }
            let mut hit = false;
            for a in 0..it.claims.len() {
                for b in a + 1..it.claims.len() {
                    let (ga, gb) = (&it.claims[a], &it.claims[b]);
                    if ga.outlet == gb.outlet {
                        continue;
                    }
                    let (Some(x), Some(y)) = (held[a], held[b]) else {
                        continue;
                    };
                    if f.claims[x].outlet == f.claims[y].outlet
                        || f.claims[x].value == f.claims[y].value
                    {
                        continue;
                    }
                    // a finding that names its outlier sets only the outlier against the
                    // others: two consensus-side claims are not put against each other
                    if f.outlier
                        .as_ref()
                        .is_some_and(|o| *o != f.claims[x].outlet && *o != f.claims[y].outlet)
                    {
                        continue;
                    }
                    if it.list != List::Conflict || disagree(&ga.gv, &gb.gv) {
                        hit = true;
                    }
                }
            }
            if hit {
                if it.list == List::Conflict {
                    fe.finds.push(ii);
                } else {
                    fe.false_items.push(ii);
                }
            }
        }
        flagged_evals.push(fe);
    }
    // Each gold conflict: the furthest stage over its disagreeing pairs.
    let mut conflicts = Vec::new();
    for (ii, it) in st.items.iter().enumerate() {
        if it.list != List::Conflict {
            continue;
        }
        let ms = &matched[ii];
        let holding = |m: &Matched| -> Vec<usize> {
            st.findings
                .iter()
                .enumerate()
                .filter(|(_, (_, f))| held_gold(st, f, m).is_some())
                .map(|(i, _)| i)
                .collect()
        };
        let never = |m: &Matched| {
            m.doc.is_some_and(|d| {
                m.claims.iter().all(|&ci| {
                    let c = &st.docs[d].claims.claims[ci];
                    c.negated || matches!(c.kind, Kind::Quote | Kind::Person)
                })
            })
        };
        let probed = |m: &Matched| {
            m.doc
                .is_some_and(|d| m.claims.iter().any(|&ci| st.docs[d].probe[ci].is_some()))
        };
        let mut best = (Stage::Lost, None);
        for a in 0..it.claims.len() {
            for b in a + 1..it.claims.len() {
                let (ga, gb) = (&it.claims[a], &it.claims[b]);
                if ga.outlet == gb.outlet || !disagree(&ga.gv, &gb.gv) {
                    continue;
                }
                let (ma, mb) = (&ms[a], &ms[b]);
                let side = |m: &Matched| {
                    if m.claims.is_empty() || !m.fits {
                        Some(if m.in_text {
                            Stage::NotRecognised
                        } else {
                            Stage::Lost
                        })
                    } else {
                        None
                    }
                };
                let stage = match (side(ma), side(mb)) {
                    (Some(x), Some(y)) => (x.min(y), None),
                    (Some(x), None) | (None, Some(x)) => (x, None),
                    (None, None) => {
                        let (da, db) = (ma.doc.expect("doc"), mb.doc.expect("doc"));
                        if st.docs[da].cluster != st.docs[db].cluster {
                            (Stage::Clustering, None)
                        } else {
                            let (fa, fb) = (holding(ma), holding(mb));
                            let lonely = |fs: &Vec<usize>, m: &Matched| {
                                fs.is_empty().then(|| {
                                    if never(m) {
                                        Stage::NeverCompared
                                    } else if probed(m) {
                                        Stage::Alone
                                    } else {
                                        Stage::NotCompared
                                    }
                                })
                            };
                            match (lonely(&fa, ma), lonely(&fb, mb)) {
                                (Some(x), Some(y)) => (x.min(y), None),
                                (Some(x), None) | (None, Some(x)) => (x, None),
                                (None, None) => {
                                    let mut s = (Stage::DifferentFindings, None);
                                    for fi in fa.iter().filter(|i| fb.contains(i)) {
                                        let f = &st.findings[*fi].1;
                                        let x = held_gold(st, f, ma).expect("held");
                                        let y = held_gold(st, f, mb).expect("held");
                                        let differ = f.claims[x].value != f.claims[y].value;
                                        let here = if !differ {
                                            (Stage::SameValue, None)
                                        } else if flagged(f) {
                                            (Stage::Found, None)
                                        } else {
                                            (Stage::NotFlagged, Some(f.outcome))
                                        };
                                        if here.0 > s.0 {
                                            s = here;
                                        }
                                    }
                                    s
                                }
                            }
                        }
                    }
                };
                if stage.0 > best.0 || (stage.0 == best.0 && stage.1 > best.1) {
                    best = stage;
                }
            }
        }
        // The kinds of the recognised claims of the sides that were not compared.
        let kinds = (best.0 == Stage::NotCompared).then(|| {
            let mut ks: BTreeSet<String> = BTreeSet::new();
            for m in ms.iter().filter(|m| !probed(m) && holding(m).is_empty()) {
                if let Some(d) = m.doc {
                    for &ci in &m.claims {
                        if let Some(l) = not_compared_label(&st.docs[d], ci) {
                            ks.insert(l);
                        }
                    }
                }
            }
            ks
        });
        conflicts.push(ConflictEval {
            item: ii,
            stage: best.0,
            outcome: best.1,
            kinds,
        });
    }
    let separation = (st.set == Set::Dev).then(|| {
        let outlet_clusters: BTreeSet<usize> = st
            .docs
            .iter()
            .filter(|d| d.outlet != "distractor")
            .map(|d| d.cluster)
            .collect();
        let apart = st
            .docs
            .iter()
            .find(|d| d.outlet == "distractor")
            .is_none_or(|d| !outlet_clusters.contains(&d.cluster));
        (apart, outlet_clusters.len() == 1)
    });
    StoryEval {
        matched,
        conflicts,
        flagged: flagged_evals,
        separation,
    }
}

// ---------------------------------------------------------------------------------------------
// Totals and tables
// ---------------------------------------------------------------------------------------------

#[derive(Default, Clone)]
struct Totals {
    stories: usize,
    conflicts: usize,
    found: usize,
    false_pool: usize,
    false_findings: usize,
    false_items_hit: usize,
    flagged: usize,
    found_findings: usize,
    unexplained: usize,
    findings: usize,
    distractors: usize,
    apart: usize,
    together: usize,
    per_kind: BTreeMap<String, (usize, usize)>,
    stages: BTreeMap<Stage, usize>,
    not_flagged: BTreeMap<Outcome, usize>,
    not_compared: BTreeMap<String, usize>,
    /// (stage, gold kind) → conflicts.
    stage_kind: BTreeMap<(Stage, String), usize>,
}

impl Totals {
    fn add(&mut self, st: &Story, ev: &StoryEval) {
        self.stories += 1;
        self.findings += st.findings.len();
        for c in &ev.conflicts {
            self.conflicts += 1;
            let found = c.stage == Stage::Found;
            self.found += usize::from(found);
            let k = self
                .per_kind
                .entry(st.items[c.item].kind.clone())
                .or_default();
            k.0 += usize::from(found);
            k.1 += 1;
            *self.stages.entry(c.stage).or_default() += 1;
            *self
                .stage_kind
                .entry((c.stage, st.items[c.item].kind.clone()))
                .or_default() += 1;
            if let Some(o) = c.outcome {
                *self.not_flagged.entry(o).or_default() += 1;
            }
            for k in c.kinds.iter().flatten() {
                *self.not_compared.entry(k.clone()).or_default() += 1;
            }
        }
        self.false_pool += st.items.iter().filter(|i| i.list != List::Conflict).count();
        let mut hit: BTreeSet<usize> = BTreeSet::new();
        for fe in &ev.flagged {
            self.flagged += 1;
            if !fe.finds.is_empty() {
                self.found_findings += 1;
            }
            if !fe.false_items.is_empty() {
                self.false_findings += 1;
                hit.extend(fe.false_items.iter().copied());
            }
            if fe.finds.is_empty() && fe.false_items.is_empty() {
                self.unexplained += 1;
            }
        }
        self.false_items_hit += hit.len();
        if let Some((apart, together)) = ev.separation {
            self.distractors += usize::from(st.has_distractor);
            self.apart += usize::from(apart && st.has_distractor);
            self.together += usize::from(together);
        }
    }
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.2}", a as f64 / b as f64)
    }
}

fn results_table(rows: &[(Set, &str, Totals)]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| set | split | stories | gold conflicts | found | recall | flagged findings | finding a conflict | false | false per 30 (dev) / 20 (ECB+) items | false items hit / items | unexplained | all findings | distractor kept apart | outlets in one story |"
    );
    let _ = writeln!(
        s,
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (set, split, t) in rows {
        let per = if *set == Set::Dev { 30.0 } else { 20.0 };
        let rate = if t.false_pool == 0 {
            "–".to_string()
        } else {
            format!("{:.1}", t.false_findings as f64 * per / t.false_pool as f64)
        };
        let (apart, together) = if *set == Set::Dev {
            (
                format!("{}/{}", t.apart, t.distractors),
                format!("{}/{}", t.together, t.stories),
            )
        } else {
            ("–".into(), "– (one story per sub-topic)".into())
        };
        let _ = writeln!(
            s,
            "| {} | {split} | {} | {} | {} | {} | {} | {} | {} | {rate} | {}/{} | {} | {} | {apart} | {together} |",
            set.name(),
            t.stories,
            t.conflicts,
            t.found,
            ratio(t.found, t.conflicts),
            t.flagged,
            t.found_findings,
            t.false_findings,
            t.false_items_hit,
            t.false_pool,
            t.unexplained,
            t.findings,
        );
    }
    s
}

fn kind_table(set: Set, cols: &[(&str, &Totals)]) -> String {
    let mut kinds: BTreeSet<&String> = BTreeSet::new();
    for (_, t) in cols {
        kinds.extend(t.per_kind.keys());
    }
    let mut s = String::new();
    let _ = write!(s, "| {} kind |", set.name());
    for (n, _) in cols {
        let _ = write!(s, " {n} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "|---|{}", "---:|".repeat(cols.len()));
    for k in kinds {
        let _ = write!(s, "| {k} |");
        for (_, t) in cols {
            match t.per_kind.get(k) {
                Some((f, n)) => {
                    let _ = write!(s, " {f}/{n} ({}) |", ratio(*f, *n));
                }
                None => {
                    let _ = write!(s, " – |");
                }
            }
        }
        let _ = writeln!(s);
    }
    s
}

fn stage_table(cols: &[(String, &Totals)]) -> String {
    let mut s = String::new();
    let _ = write!(s, "| why (furthest stage reached) |");
    for (n, _) in cols {
        let _ = write!(s, " {n} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "|---|{}", "---:|".repeat(cols.len()));
    for stage in STAGES {
        let _ = write!(s, "| {} |", stage.label());
        for (_, t) in cols {
            let _ = write!(s, " {} |", t.stages.get(&stage).copied().unwrap_or(0));
        }
        let _ = writeln!(s);
    }
    let _ = write!(s, "| ↳ judged not a conflict, by outcome |");
    for (_, t) in cols {
        let parts = t
            .not_flagged
            .iter()
            .map(|(o, n)| format!("{} {n}", o.as_str()));
        let _ = write!(s, " {} |", list_cell(parts));
    }
    let _ = writeln!(s);
    let _ = write!(
        s,
        "| ↳ not compared, by reason (a conflict counts under each of its sides' reasons) |"
    );
    for (_, t) in cols {
        let parts = t.not_compared.iter().map(|(k, n)| format!("{k} {n}"));
        let _ = write!(s, " {} |", list_cell(parts));
    }
    let _ = writeln!(s);
    s
}

/// Stage × gold kind for one set (all splits).
fn stage_kind_table(set: Set, t: &Totals) -> String {
    let kinds: BTreeSet<&String> = t.per_kind.keys().collect();
    let mut s = String::new();
    let _ = write!(s, "| {} stage \\ kind |", set.name());
    for k in &kinds {
        let _ = write!(s, " {k} |");
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "|---|{}", "---:|".repeat(kinds.len()));
    for stage in STAGES {
        if !t.stages.contains_key(&stage) {
            continue;
        }
        let _ = write!(s, "| {} |", stage.label());
        for k in &kinds {
            match t.stage_kind.get(&(stage, (*k).clone())) {
                Some(n) => {
                    let _ = write!(s, " {n} |");
                }
                None => {
                    let _ = write!(s, " · |");
                }
            }
        }
        let _ = writeln!(s);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Diagnosis
// ---------------------------------------------------------------------------------------------

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn claim_line(c: &Claim) -> String {
    let neg = if c.negated { " negated" } else { "" };
    format!(
        "{} \"{}\" = {} «{}»{neg}",
        c.kind.as_str(),
        c.slot,
        c.value.to_json(),
        short(&c.text, 60)
    )
}

fn finding_head(f: &Finding) -> String {
    format!(
        "[{}] {} / {}",
        f.outcome.as_str(),
        short(&f.event, 50),
        f.slot
    )
}

fn finding_claims(st: &Story, f: &Finding) -> String {
    f.claims
        .iter()
        .map(|fc| {
            let k = kind_of(st, fc).map_or("?", Kind::as_str);
            format!("{}={} ({k}) «{}»", fc.outlet, fc.value, short(&fc.text, 40))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn diagnosis(st: &Story, ev: &StoryEval) -> String {
    let mut s = String::new();
    let half = if st.tuning { "tuning" } else { "held out" };
    let _ = writeln!(s, "### {} ({half})\n", st.id);
    for p in &st.problems {
        let _ = writeln!(s, "- problem: {p}");
    }
    // Pages and stories.
    let mut pages = Vec::new();
    for d in &st.docs {
        let wire = d
            .wire_copy_of
            .as_ref()
            .map(|o| format!(", wire copy of {o}, left out"))
            .unwrap_or_default();
        pages.push(format!(
            "{} (story {}, {} {}, {} claims{wire})",
            d.outlet,
            d.cluster,
            d.when,
            d.published.format("%Y-%m-%d %H:%M"),
            d.claims.claims.len()
        ));
    }
    if st.set == Set::Dev {
        let _ = writeln!(s, "- pages: {}", pages.join("; "));
        if let Some((apart, together)) = ev.separation {
            let _ = writeln!(
                s,
                "- distractor kept apart: {}; all outlet pages in one story: {}",
                if apart { "yes" } else { "NO" },
                if together { "yes" } else { "NO" }
            );
        }
    } else {
        let dated = st.docs.iter().filter(|d| d.when == "meta").count();
        let _ = writeln!(
            s,
            "- {} documents ({} dated in meta/, others: {})",
            st.docs.len(),
            dated,
            st.docs
                .iter()
                .find(|d| d.when != "meta")
                .map_or("–", |d| d.when)
        );
    }
    let nflag = ev.flagged.len();
    let _ = writeln!(s, "- findings: {} ({} flagged)\n", st.findings.len(), nflag);
    // Gold conflicts.
    for c in &ev.conflicts {
        let it = &st.items[c.item];
        let verdict = match (c.stage, c.outcome) {
            (Stage::Found, _) => "FOUND".to_string(),
            (Stage::NotFlagged, Some(o)) => format!("MISSED: {} ({})", c.stage.label(), o.as_str()),
            (stage, _) => match &c.kinds {
                Some(k) => format!(
                    "MISSED: {} ({})",
                    stage.label(),
                    k.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
                None => format!("MISSED: {}", stage.label()),
            },
        };
        let _ = writeln!(s, "- **{verdict}** — {}", it.slot);
        if !it.note.is_empty() {
            let _ = writeln!(s, "  - gold note: {}", it.note);
        }
        let mut related: BTreeSet<usize> = BTreeSet::new();
        for (g, m) in it.claims.iter().zip(&ev.matched[c.item]) {
            let _ = write!(s, "  - {} «{}» = {}", g.outlet, g.text, g.value);
            let Some(d) = m.doc else {
                let _ = writeln!(s, " → page missing");
                continue;
            };
            let doc = &st.docs[d];
            if m.claims.is_empty() {
                let _ = writeln!(
                    s,
                    " → {}",
                    if m.in_text {
                        "no factdiff claim (text present)"
                    } else {
                        "text NOT in factdiff's article text"
                    }
                );
                continue;
            }
            let _ = writeln!(
                s,
                " → {}{}:",
                if m.strong {
                    "at the text"
                } else {
                    "in the sentence only"
                },
                if m.fits {
                    ""
                } else {
                    " (no claim of a fitting kind)"
                }
            );
            for &ci in &m.claims {
                let c = &doc.claims.claims[ci];
                let fs: Vec<String> = st
                    .findings
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, f))| held(st, f, d, ci).is_some())
                    .map(|(i, (_, f))| {
                        related.insert(i);
                        format!("#{i} {}", finding_head(f))
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "    - {} → {}",
                    claim_line(c),
                    if fs.is_empty() {
                        match (&doc.probe[ci], not_compared_label(doc, ci)) {
                            (Some(p), _) => {
                                format!("in no finding (alone; against its own copy: {p})")
                            }
                            (None, Some(l)) => {
                                format!(
                                    "in no finding (not compared even against its own copy: {l})"
                                )
                            }
                            (None, None) => "in no finding (never compared)".into(),
                        }
                    } else {
                        fs.join(" | ")
                    }
                );
            }
        }
        for i in related {
            let f = &st.findings[i].1;
            let _ = writeln!(
                s,
                "  - #{i} {}: {}",
                finding_head(f),
                short(&f.explanation, 160)
            );
            let _ = writeln!(s, "    - {}", finding_claims(st, f));
        }
    }
    // Flagged findings that are false or unexplained.
    for fe in &ev.flagged {
        let f = &st.findings[fe.finding].1;
        let what = if !fe.false_items.is_empty() {
            if fe.finds.is_empty() {
                "FALSE"
            } else {
                "FALSE (also finds a conflict)"
            }
        } else if fe.finds.is_empty() {
            "UNEXPLAINED"
        } else {
            continue;
        };
        let _ = writeln!(
            s,
            "- **{what}** #{} {}: {}",
            fe.finding,
            finding_head(f),
            short(&f.explanation, 200)
        );
        let _ = writeln!(s, "  - {}", finding_claims(st, f));
        for &ii in &fe.false_items {
            let it = &st.items[ii];
            let _ = writeln!(
                s,
                "  - matches {} «{}»: {}",
                it.list.name(),
                short(&it.slot, 80),
                short(&it.note, 160)
            );
        }
        if fe.false_items.is_empty() {
            for &ii in &fe.touches {
                let it = &st.items[ii];
                let _ = writeln!(
                    s,
                    "  - touches {} «{}» (one side only or same values)",
                    it.list.name(),
                    short(&it.slot, 80)
                );
            }
        }
    }
    let _ = writeln!(s);
    s
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

fn main() {
    let args = Args::parse();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    let dev_root = fixtures.join("dev-set/stories");
    let ecb_root = fixtures.join("events/ecbplus-facts");
    let mut stories: Vec<Story> = Vec::new();
    let mut notices = Vec::new();
    let t0 = Instant::now();
    if args.wants_set(Set::Dev) {
        if dev_root.is_dir() {
            stories.extend(load_dev(&dev_root, &args));
        } else {
            notices.push(format!("dev set not found at {}", dev_root.display()));
        }
    }
    if args.wants_set(Set::Ecb) {
        if ecb_root.join("gold").is_dir() && ecb_root.join("texts").is_dir() {
            stories.extend(load_ecb(&ecb_root, &args));
        } else {
            notices.push(format!("ECB+ facts not found at {}", ecb_root.display()));
        }
    }
    for n in &notices {
        println!("notice: {n}; skipped");
    }
    if stories.is_empty() {
        println!(
            "outlets bench: no story to score (filters: {:?})",
            args.stories
        );
        return;
    }
    let load = t0.elapsed();
    let t1 = Instant::now();
    for st in stories.iter_mut() {
        run(st);
    }
    let compare = t1.elapsed();
    let evals: Vec<StoryEval> = stories.iter().map(evaluate).collect();

    // Totals per set and split.
    let mut rows: Vec<(Set, &str, Totals)> = Vec::new();
    for set in [Set::Dev, Set::Ecb] {
        if !stories.iter().any(|s| s.set == set) {
            continue;
        }
        let (even, odd) = if set == Set::Dev {
            ("even (tuning)", "odd (held out)")
        } else {
            ("even topics", "odd topics")
        };
        let mut t = [Totals::default(), Totals::default(), Totals::default()];
        for (st, ev) in stories.iter().zip(&evals).filter(|(s, _)| s.set == set) {
            t[if st.tuning { 0 } else { 1 }].add(st, ev);
            t[2].add(st, ev);
        }
        let [a, b, c] = t;
        rows.push((set, even, a));
        rows.push((set, odd, b));
        rows.push((set, "all", c));
    }

    let mut tables = String::new();
    let filter = if args.stories.is_empty() {
        String::new()
    } else {
        format!(" — filtered to {}", args.stories.join(", "))
    };
    let _ = writeln!(
        tables,
        "# Outlets benchmark: cross-outlet findings vs gold{filter}\n\n{} stories; reading + extraction + claims + self-comparison probe {:.2} s, clustering + comparison {:.2} s. Flagged = outcome conflict or disputed.\n",
        stories.len(),
        load.as_secs_f64(),
        compare.as_secs_f64()
    );
    let _ = writeln!(tables, "{}", results_table(&rows));
    for set in [Set::Dev, Set::Ecb] {
        let cols: Vec<(&str, &Totals)> = rows
            .iter()
            .filter(|r| r.0 == set)
            .map(|r| (r.1, &r.2))
            .collect();
        if !cols.is_empty() {
            let _ = writeln!(tables, "{}", kind_table(set, &cols));
        }
    }
    let stage_cols: Vec<(String, &Totals)> = rows
        .iter()
        .map(|r| (format!("{} {}", r.0.name(), r.1), &r.2))
        .collect();
    let _ = writeln!(
        tables,
        "Gold conflicts by the furthest stage reached (why missed):\n\n{}",
        stage_table(&stage_cols)
    );
    for (set, split, t) in &rows {
        if *split == "all" {
            let _ = writeln!(tables, "{}", stage_kind_table(*set, t));
        }
    }

    let mut diag = String::new();
    for (st, ev) in stories.iter().zip(&evals) {
        diag.push_str(&diagnosis(st, ev));
    }
    let report = format!("{tables}\n## Per-story diagnosis\n\n{diag}");
    if args.quiet {
        print!("{tables}");
    } else {
        print!("{report}");
    }
    results::write_results("outlets", &report);
}

/// A table cell listing "label count" parts, or "–" when there are none.
fn list_cell(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    if parts.is_empty() {
        "–".into()
    } else {
        parts.join(", ")
    }
}
