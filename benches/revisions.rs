//! Revisions benchmark: factdiff's version-to-version verdicts scored against the hand-written
//! gold of the dev set's revision cases.
//!
//! `cargo bench --bench revisions [-- --case r07] [-- --quiet]`
//!
//! ```text
//! cargo bench --bench revisions                  # every case: tables + per-step diagnosis
//! cargo bench --bench revisions -- --case r07    # one case (r07, r7 or an id prefix; repeatable)
//! cargo bench --bench revisions -- --quiet       # only the results table
//! cargo bench --bench revisions -- --case r07 --quiet
//! ```
//!
//! (To build without running: `cargo bench --bench revisions --no-run`, then run the binary
//! it names with the same arguments.)
//!
//! # Data
//!
//! `<CARGO_MANIFEST_DIR>/../shared/fixtures/dev-set/revisions/<case>/` holds `v1.html`,
//! `v2.html`[, `v3.html`] and `gold.json` (format: the dev set's `README.txt`). When the
//! directory is missing the benchmark prints a notice and exits successfully. Nothing is copied
//! into the repository.
//!
//! # Pipeline (what the daemon does for a new version)
//!
//! 1. Every version is read and extracted with `factdiff::extract::extract_html(html,
//!    Some(url))`, `url` being the v1 page's `og:url` (the daemon tracks one URL for all
//!    versions; `https://dev-set.example/<case>` when a page has none).
//! 2. A step `prev → new` is judged as in `observe.rs`: no event when `new`'s
//!    `content_hash()` equals `prev`'s (the daemon stores no version then) or when `new` is
//!    flagged as broken (`broken_reason()`); otherwise
//!    `factdiff::compare::version_change(&base, &new)`, `base` being the last earlier version
//!    whose extraction was sound, and its `event_type()` (none / `article.changed` /
//!    `fact.changed`) and `facts` are the verdict. When the hash gate suppresses an event that
//!    `version_change` alone would have emitted, the diagnosis says so.
//!
//! # What is scored
//!
//! Per STEP. A two-version case has one step (the top level of `gold.json`, v1 → v2). A
//! three-version case is scored on its two `steps` (v1 → v2, v2 → v3); its top-level gold is
//! the NET change v1 → v3, scored separately as its own line ("net"), by judging v1 → v3
//! directly (the daemon never does that; it shows whether the facts survive being compared
//! across two edits).
//!
//! 1. **Fact-change precision and recall.** Every reported `FactChange` (one entry of
//!    `VersionChange::facts`) is matched one-to-one with a gold fact change (maximum bipartite
//!    matching over the compatible pairs). Secondary claims nested in a change (a possible
//!    future `also` field) are not separate reports: they are shown in the diagnosis and not
//!    counted. A pair is compatible when the kinds are in the same family and the values
//!    match on every side:
//!    - Families: gold `quantity` / `number` ↔ factdiff `quantity` / `number` / `duration`;
//!      `money`; `percent`; `date`; `quote`; `person`; `place`; `headline`. Anything else
//!      factdiff reports (e.g. `correction_note`) is in no family and is always unmatched.
//!    - Sides: a gold side exists when its value is not null / "" (added and removed facts
//!      have one side absent). The reported change must have exactly the same sides (a gold
//!      change reported as a removal plus an addition matches neither; a gold removal
//!      reported as a change to something else does not match), and each side must match:
//!    - Numbers, money, percent: equal within a relative 1e-6. A factdiff value is a number,
//!      a `{"min","max"}` interval (its centre: a point, or a hedged "about 39%"; an open
//!      end has no centre) or money
//!      `{"currency","amount"}` (the amount is used, the currency ignored: the gold has none).
//!    - Dates: the same ISO string.
//!    - Quote, place, headline: normalised text (lowercase, curly quotes straightened,
//!      whitespace collapsed, leading quote marks and trailing punctuation trimmed) of the
//!      gold value against factdiff's value (when a string) or its text; equal, or one
//!      contains the other at word boundaries (a quote may include or exclude a trailing
//!      clause, a place may be "near Redruth"). For quotes and headlines the shorter must have
//!      at least half the words of the longer, so a fragment does not pass for the quote.
//!    - Person: the gold value is "name, title, organisation" or a name. The gold name (before
//!      the first comma) must equal the name part (before the first comma) of factdiff's
//!      value or text, case-insensitively; and when the gold has a title, that side's title
//!      must appear in factdiff's text or value on the same side.
//!
//!    A reported change in the right family whose values do not match is a false positive
//!    AND its gold change is missed. The rules are deliberately strict on values (the value a
//!    subscriber is told must be the right one) and loose on text form (spans, glyphs, case).
//! 2. **Boilerplate-only steps** (gold `article_changed` false): steps that emitted ANY event.
//!    Target 0.
//! 3. **Meaning-preserving steps** (gold `article_changed` true, no gold fact change): steps
//!    that emitted `fact.changed`. Target 0.
//! 4. **article_changed agreement**: `event_type().is_some() == article_changed`, as accuracy.
//!
//! Every metric is reported for the even-numbered cases (r02, r04, …: the tuning half), the
//! odd-numbered cases (the held-out half) and all, for steps and for net separately; then
//! recall and precision per family (steps), then a per-step diagnosis: gold vs reported
//! verdict, each matched, missed and unmatched fact, and any unexpected event. Output goes to
//! stdout and to `<target>/bench-revisions/results.md` (`CARGO_TARGET_DIR` is honoured; a
//! filtered run says so in the file's header).

use std::fmt::Write as _;
#[path = "support/results.rs"]
mod results;
use std::path::{Path, PathBuf};
use std::time::Instant;

use factdiff::compare::{FactChange, FactSide, version_change};
use factdiff::extract::{Article, extract_html};
use serde::Deserialize;
use serde_json::Value as J;

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

struct Args {
    cases: Vec<String>,
    quiet: bool,
}

impl Args {
    fn parse() -> Self {
        let mut args = Args {
            cases: Vec::new(),
            quiet: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if a == "--quiet" || a == "-q" {
                args.quiet = true;
            } else if a == "--case" {
                match it.next() {
                    Some(c) => args.cases.push(c),
                    None => eprintln!("revisions bench: --case needs a case id (e.g. r07)"),
                }
            } else if let Some(c) = a.strip_prefix("--case=") {
                args.cases.push(c.to_string());
            } else if a == "--bench" || a == "--" {
                // `--bench` is passed by `cargo bench` to every bench binary; a second `--`
                // comes from `cargo bench --bench revisions -- --case r07 -- --quiet`
            } else {
                eprintln!("revisions bench: ignoring argument {a:?}");
            }
        }
        args
    }

    /// `--case r07` (or `r7`, `7`) selects case number 7; anything else is a prefix of the
    /// case id (`--case r07-tin`).
    fn wants(&self, id: &str, num: u32) -> bool {
        self.cases.is_empty()
            || self.cases.iter().any(|c| {
                let digits = c.strip_prefix(['r', 'R']).unwrap_or(c);
                match digits.parse::<u32>() {
                    Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => n == num,
                    _ => id.starts_with(c.as_str()),
                }
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Gold
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
struct GoldFact {
    kind: String,
    #[serde(default)]
    before: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    before_value: J,
    #[serde(default)]
    after_value: J,
}

#[derive(Debug, Clone, Deserialize)]
struct GoldStepRaw {
    from: String,
    to: String,
    article_changed: bool,
    fact_changes: Vec<GoldFact>,
}

#[derive(Debug, Clone, Deserialize)]
struct GoldFile {
    case: String,
    article_changed: bool,
    fact_changes: Vec<GoldFact>,
    versions: Vec<String>,
    #[serde(default)]
    steps: Vec<GoldStepRaw>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Step,
    Net,
}

/// One comparison to judge: `from → to` with its gold.
#[derive(Debug, Clone)]
struct GoldStep {
    from: String,
    to: String,
    scope: Scope,
    article_changed: bool,
    facts: Vec<GoldFact>,
}

struct Case {
    id: String,
    num: u32,
    dir: PathBuf,
    versions: Vec<String>,
    steps: Vec<GoldStep>,
}

fn load_case(dir: &Path) -> Result<Case, String> {
    let path = dir.join("gold.json");
    let raw = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let g: GoldFile = serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", path.display()))?;
    let num: u32 = g
        .case
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .map_err(|_| format!("{}: no case number in {:?}", path.display(), g.case))?;
    if g.versions.len() < 2 {
        return Err(format!("{}: fewer than two versions", path.display()));
    }
    let first = g.versions[0].clone();
    let last = g.versions[g.versions.len() - 1].clone();
    let top = |scope| GoldStep {
        from: first.clone(),
        to: last.clone(),
        scope,
        article_changed: g.article_changed,
        facts: g.fact_changes.clone(),
    };
    let steps = if g.steps.is_empty() {
        vec![top(Scope::Step)]
    } else {
        let mut s: Vec<GoldStep> = g
            .steps
            .iter()
            .map(|s| GoldStep {
                from: s.from.clone(),
                to: s.to.clone(),
                scope: Scope::Step,
                article_changed: s.article_changed,
                facts: s.fact_changes.clone(),
            })
            .collect();
        s.push(top(Scope::Net));
        s
    };
    Ok(Case {
        id: g.case,
        num,
        dir: dir.to_path_buf(),
        versions: g.versions,
        steps,
    })
}

// ---------------------------------------------------------------------------------------------
// Running factdiff
// ---------------------------------------------------------------------------------------------

fn og_url(html: &str) -> Option<String> {
    let re = regex::Regex::new(
        r#"(?is)<meta[^>]+property\s*=\s*["']og:url["'][^>]*content\s*=\s*["']([^"']+)["']"#,
    )
    .expect("og:url pattern");
    re.captures(html).map(|c| c[1].to_string())
}

/// Extracted versions of one case, in order; `Err` holds why a version has no article.
fn extract_versions(case: &Case) -> Vec<(String, Result<Article, String>)> {
    let pages: Vec<(String, Result<String, String>)> = case
        .versions
        .iter()
        .map(|v| {
            let p = case.dir.join(v);
            (
                v.clone(),
                std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display())),
            )
        })
        .collect();
    let url = pages
        .iter()
        .find_map(|(_, h)| h.as_ref().ok().and_then(|h| og_url(h)))
        .unwrap_or_else(|| format!("https://dev-set.example/{}", case.id));
    pages
        .into_iter()
        .map(|(v, h)| {
            let a = h.and_then(|h| {
                extract_html(&h, Some(&url)).map_err(|e| format!("extraction failed: {e}"))
            });
            (v, a)
        })
        .collect()
}

/// The verdict on one step.
struct Verdict {
    event: Option<&'static str>,
    facts: Vec<FactChange>,
    notes: Vec<String>,
    /// What the diff holds, one line per field or sentence change (for the diagnosis).
    diff: Vec<String>,
}

/// The diff's field and sentence changes in a line each, read from its JSON form (so the
/// bench does not depend on the diff types' shape).
fn diff_lines(diff: &factdiff::diff::VersionDiff) -> Vec<String> {
    let Ok(j) = serde_json::to_value(diff) else {
        return Vec::new();
    };
    let s = |v: Option<&J>| match v {
        Some(J::String(t)) => format!("{:?}", short(t, 100)),
        Some(J::Null) | None => "—".into(),
        Some(v) => short(&v.to_string(), 100),
    };
    let cosmetic = |v: &J| {
        if v.get("cosmetic") == Some(&J::Bool(true)) {
            " (cosmetic)"
        } else {
            ""
        }
    };
    let mut out = Vec::new();
    for f in j.get("fields").and_then(J::as_array).into_iter().flatten() {
        out.push(format!(
            "field {}{}: {} → {}",
            f.get("field").and_then(J::as_str).unwrap_or("?"),
            cosmetic(f),
            s(f.get("before")),
            s(f.get("after")),
        ));
    }
    for c in j
        .get("sentences")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        out.push(match c.get("op").and_then(J::as_str).unwrap_or("?") {
            "edited" => format!(
                "edited{}: {} → {}",
                cosmetic(c),
                s(c.get("before")),
                s(c.get("after"))
            ),
            op => format!("{op}: {}", s(c.get("text"))),
        });
    }
    out
}

/// Judges `versions[to]` against the versions before it, as the daemon would; `from` is the
/// version it follows (for a net comparison, the first one: intermediate versions skipped).
fn judge(versions: &[(String, Result<Article, String>)], from: usize, to: usize) -> Verdict {
    let mut notes = Vec::new();
    let none = |notes| Verdict {
        event: None,
        facts: Vec::new(),
        notes,
        diff: Vec::new(),
    };
    let new = match &versions[to].1 {
        Ok(a) => a,
        Err(e) => {
            notes.push(format!("{}: {e} (no event)", versions[to].0));
            return none(notes);
        }
    };
    if let Ok(latest) = &versions[from].1
        && latest.content_hash() == new.content_hash()
    {
        // The daemon stores no version; say what version_change alone would have said.
        let vc = version_change(latest, new);
        if let Some(t) = vc.event_type() {
            let mut d = diff_lines(&vc.diff);
            d.extend(
                vc.facts
                    .iter()
                    .map(|c| format!("fact {}", reported_line(c))),
            );
            notes.push(format!(
                "content hash unchanged, so no event; version_change alone would emit {t} ({})",
                d.join("; ")
            ));
        }
        return none(notes);
    }
    if let Some(r) = new.broken_reason() {
        notes.push(format!(
            "{} flagged as broken ({r}): no event",
            versions[to].0
        ));
        return none(notes);
    }
    // Last earlier version (up to `from`) whose extraction was sound.
    let base = (0..=from).rev().find_map(|i| match &versions[i].1 {
        Ok(a) if a.broken_reason().is_none() => Some((i, a)),
        _ => None,
    });
    let Some((bi, base)) = base else {
        notes.push("no sound earlier version: article.new, no change event".into());
        return none(notes);
    };
    if bi != from {
        notes.push(format!(
            "{} is not sound; compared with {}",
            versions[from].0, versions[bi].0
        ));
    }
    let vc = version_change(base, new);
    Verdict {
        event: vc.event_type(),
        diff: diff_lines(&vc.diff),
        facts: vc.facts,
        notes,
    }
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

fn gold_family(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "quantity" | "number" => "number",
        "money" => "money",
        "percent" => "percent",
        "date" => "date",
        "quote" => "quote",
        "person" => "person",
        "place" => "place",
        "headline" => "headline",
        _ => return None,
    })
}

fn reported_family(kind: &str) -> Option<&'static str> {
    match kind {
        "duration" => Some("number"),
        k => gold_family(k),
    }
}

const FAMILIES: [&str; 8] = [
    "number", "money", "percent", "date", "quote", "person", "place", "headline",
];

/// Lowercase, curly quotes straightened, whitespace collapsed, leading quote marks and
/// trailing punctuation trimmed.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => out.push('"'),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    let trailing = |c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '…')
    };
    out.trim_end_matches(trailing)
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\'' || c == '"')
        .to_string()
}

/// `needle` occurs in `hay` with no letter or digit right before or after it.
fn contains_at_word_boundary(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(i, m)| {
        let before_ok = hay[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = hay[i + m.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        before_ok && after_ok
    })
}

/// Normalised texts equal, or one contains the other at word boundaries (for quotes and
/// headlines, only when the shorter has at least half the words of the longer).
fn texts_match(gold: &str, got: &str, family: &str) -> bool {
    let (g, r) = (norm(gold), norm(got));
    if g.is_empty() || r.is_empty() {
        return false;
    }
    if g == r {
        return true;
    }
    let (short, long) = if g.len() <= r.len() {
        (&g, &r)
    } else {
        (&r, &g)
    };
    if matches!(family, "quote" | "headline") {
        let (ws, wl) = (
            short.split_whitespace().count(),
            long.split_whitespace().count(),
        );
        if 2 * ws < wl {
            return false;
        }
    }
    contains_at_word_boundary(long, short)
}

/// A factdiff number value as one point: a number, a degenerate interval, or money's amount.
fn point(v: &J) -> Option<f64> {
    match v {
        J::Number(n) => n.as_f64(),
        J::Object(o) => {
            if let Some(a) = o.get("amount") {
                return point(a);
            }
            // a point, or the centre of a bounded interval: "about 39%" is [33.15, 44.85]
            // around 39 (open ends, "more than 27", have no point)
            let (min, max) = (o.get("min")?.as_f64()?, o.get("max")?.as_f64()?);
            Some((min + max) / 2.0)
        }
        _ => None,
    }
}

fn numbers_equal(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

fn gold_side_present(v: &J) -> bool {
    match v {
        J::Null => false,
        J::String(s) => !s.trim().is_empty(),
        _ => true,
    }
}

/// The name part of a person value or text: before the first comma.
fn name_part(s: &str) -> String {
    norm(s.split(',').next().unwrap_or(""))
}

fn side_matches(family: &str, gold: &J, got: &FactSide) -> bool {
    let got_str = got.value.as_str();
    match family {
        "number" | "money" | "percent" => match (gold.as_f64(), point(&got.value)) {
            (Some(g), Some(r)) => numbers_equal(g, r),
            _ => false,
        },
        "date" => match (gold.as_str(), got_str) {
            (Some(g), Some(r)) => g.trim() == r.trim(),
            _ => false,
        },
        "quote" | "place" | "headline" => {
            let Some(g) = gold.as_str() else {
                return false;
            };
            got_str.is_some_and(|r| texts_match(g, r, family)) || texts_match(g, &got.text, family)
        }
        "person" => {
            let Some(g) = gold.as_str() else {
                return false;
            };
            let mut parts = g.split(',').map(str::trim);
            let name = norm(parts.next().unwrap_or(""));
            let title = parts.next().map(norm).filter(|t| !t.is_empty());
            let name_ok = !name.is_empty()
                && (got_str.is_some_and(|r| name_part(r) == name) || name_part(&got.text) == name);
            let title_ok = title.is_none_or(|t| {
                contains_at_word_boundary(&norm(&got.text), &t)
                    || got_str.is_some_and(|r| contains_at_word_boundary(&norm(r), &t))
            });
            name_ok && title_ok
        }
        _ => false,
    }
}

fn compatible(g: &GoldFact, r: &FactChange) -> bool {
    let (Some(fam), Some(rfam)) = (gold_family(&g.kind), reported_family(&r.kind)) else {
        return false;
    };
    if fam != rfam {
        return false;
    }
    let side = |gt: &str, gv: &J, rs: &Option<FactSide>| match (
        gold_side_present(gv) || !gt.trim().is_empty(),
        rs,
    ) {
        (false, None) => true,
        (true, Some(s)) => side_matches(fam, gv, s),
        _ => false,
    };
    side(&g.before, &g.before_value, &r.before) && side(&g.after, &g.after_value, &r.after)
}

/// Maximum one-to-one matching (Kuhn's augmenting paths; a handful of facts per step).
/// Returns, for each reported change, the gold change it is matched to.
fn max_matching(compat: &[Vec<bool>], n_rep: usize) -> Vec<Option<usize>> {
    fn augment(
        g: usize,
        compat: &[Vec<bool>],
        seen: &mut [bool],
        gold_of_rep: &mut [Option<usize>],
    ) -> bool {
        for r in 0..seen.len() {
            if compat[g][r] && !seen[r] {
                seen[r] = true;
                if gold_of_rep[r].is_none_or(|g2| augment(g2, compat, seen, gold_of_rep)) {
                    gold_of_rep[r] = Some(g);
                    return true;
                }
            }
        }
        false
    }
    let mut gold_of_rep = vec![None; n_rep];
    for g in 0..compat.len() {
        let mut seen = vec![false; n_rep];
        augment(g, compat, &mut seen, &mut gold_of_rep);
    }
    gold_of_rep
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

struct StepResult {
    case: String,
    num: u32,
    gold: GoldStep,
    verdict: Verdict,
    /// For each reported change, the gold change it matched.
    gold_of_rep: Vec<Option<usize>>,
}

impl StepResult {
    fn matched(&self) -> usize {
        self.gold_of_rep.iter().flatten().count()
    }
    fn gold_event(&self) -> &'static str {
        match (self.gold.article_changed, self.gold.facts.is_empty()) {
            (false, _) => "none",
            (true, true) => "article.changed",
            (true, false) => "fact.changed",
        }
    }
    fn boilerplate(&self) -> bool {
        !self.gold.article_changed
    }
    fn meaning_preserving(&self) -> bool {
        self.gold.article_changed && self.gold.facts.is_empty()
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    steps: usize,
    gold: usize,
    reported: usize,
    matched: usize,
    boiler: usize,
    boiler_events: usize,
    mp: usize,
    mp_fact_events: usize,
    agree: usize,
}

impl Tally {
    fn add(&mut self, s: &StepResult) {
        self.steps += 1;
        self.gold += s.gold.facts.len();
        self.reported += s.verdict.facts.len();
        self.matched += s.matched();
        if s.boilerplate() {
            self.boiler += 1;
            self.boiler_events += usize::from(s.verdict.event.is_some());
        }
        if s.meaning_preserving() {
            self.mp += 1;
            self.mp_fact_events += usize::from(s.verdict.event == Some("fact.changed"));
        }
        self.agree += usize::from(s.verdict.event.is_some() == s.gold.article_changed);
    }
}

fn ratio(n: usize, d: usize) -> String {
    if d == 0 {
        "n/a".into()
    } else {
        format!("{:.3}", n as f64 / d as f64)
    }
}

fn f1(t: &Tally) -> String {
    if t.reported == 0 || t.gold == 0 || t.matched == 0 {
        return if t.gold == 0 && t.reported == 0 {
            "n/a".into()
        } else {
            "0.000".into()
        };
    }
    let (p, r) = (
        t.matched as f64 / t.reported as f64,
        t.matched as f64 / t.gold as f64,
    );
    format!("{:.3}", 2.0 * p * r / (p + r))
}

fn split_of(num: u32) -> &'static str {
    if num.is_multiple_of(2) {
        "tuning (even)"
    } else {
        "held-out (odd)"
    }
}

fn table(results: &[StepResult]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| split | scope | steps | gold facts | reported | matched | precision | recall | F1 | \
         boilerplate steps with an event | meaning-preserving steps with fact.changed | \
         article_changed agreement |"
    );
    let _ = writeln!(
        s,
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (scope, scope_name) in [(Scope::Step, "steps"), (Scope::Net, "net v1→v3")] {
        for split in ["tuning (even)", "held-out (odd)", "all"] {
            let mut t = Tally::default();
            for r in results
                .iter()
                .filter(|r| r.gold.scope == scope && (split == "all" || split_of(r.num) == split))
            {
                t.add(r);
            }
            if t.steps == 0 {
                continue;
            }
            let _ = writeln!(
                s,
                "| {split} | {scope_name} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {} / {} | \
                 {} ({} / {}) |",
                t.steps,
                t.gold,
                t.reported,
                t.matched,
                ratio(t.matched, t.reported),
                ratio(t.matched, t.gold),
                f1(&t),
                t.boiler_events,
                t.boiler,
                t.mp_fact_events,
                t.mp,
                ratio(t.agree, t.steps),
                t.agree,
                t.steps
            );
        }
    }
    s
}

fn family_table(results: &[StepResult]) -> String {
    #[derive(Default)]
    struct F {
        gold: usize,
        found: usize,
        reported: usize,
        right: usize,
    }
    let mut fams: Vec<(&str, F)> = FAMILIES.iter().map(|f| (*f, F::default())).collect();
    fams.push(("other", F::default()));
    let idx = |fam: Option<&str>| {
        let f = fam.unwrap_or("other");
        FAMILIES
            .iter()
            .position(|x| *x == f)
            .unwrap_or(FAMILIES.len())
    };
    for r in results.iter().filter(|r| r.gold.scope == Scope::Step) {
        for (i, g) in r.gold.facts.iter().enumerate() {
            let f = &mut fams[idx(gold_family(&g.kind))].1;
            f.gold += 1;
            f.found += usize::from(r.gold_of_rep.contains(&Some(i)));
        }
        for (j, c) in r.verdict.facts.iter().enumerate() {
            let f = &mut fams[idx(reported_family(&c.kind))].1;
            f.reported += 1;
            f.right += usize::from(r.gold_of_rep[j].is_some());
        }
    }
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| family (steps, all cases) | gold | found | recall | reported | right | precision |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    for (name, f) in fams {
        if f.gold == 0 && f.reported == 0 {
            continue;
        }
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {} | {} | {} | {} |",
            f.gold,
            f.found,
            ratio(f.found, f.gold),
            f.reported,
            f.right,
            ratio(f.right, f.reported)
        );
    }
    s
}

fn short(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

fn json_short(v: &J) -> String {
    match v {
        J::String(s) => format!("{:?}", short(s, 90)),
        J::Null => "—".into(),
        v => short(&v.to_string(), 90),
    }
}

fn gold_side(text: &str, value: &J) -> String {
    let v = json_short(value);
    if text.trim().is_empty() {
        return v;
    }
    let t = format!("{:?}", short(text, 90));
    match value.as_str() {
        Some(sv) if norm(sv) == norm(text) => v,
        _ => format!("{t} ({v})"),
    }
}

fn gold_line(g: &GoldFact) -> String {
    format!(
        "{} {} → {}",
        g.kind,
        gold_side(&g.before, &g.before_value),
        gold_side(&g.after, &g.after_value)
    )
}

fn side_line(s: &Option<FactSide>) -> String {
    match s {
        None => "—".into(),
        Some(s) => {
            let v = json_short(&s.value);
            let t = format!("{:?}", short(&s.text, 90));
            if v == t { t } else { format!("{t} ({v})") }
        }
    }
}

fn reported_line(c: &FactChange) -> String {
    let mut s = format!(
        "{} [slot {}] {} → {} [{}]",
        c.kind,
        c.slot,
        side_line(&c.before),
        side_line(&c.after),
        c.label.as_str()
    );
    // Secondary claims nested in the change (a possible `also` field): shown, not counted.
    if let Ok(J::Object(o)) = serde_json::to_value(c)
        && let Some(J::Array(also)) = o.get("also")
        && !also.is_empty()
    {
        let _ = write!(s, " (+{} secondary, not counted)", also.len());
    }
    s
}

fn diagnosis(results: &[StepResult]) -> String {
    let mut s = String::new();
    for r in results {
        let scope = match r.gold.scope {
            Scope::Step => "",
            Scope::Net => " (net)",
        };
        let event = r.verdict.event.unwrap_or("none");
        let ok = r.matched() == r.gold.facts.len()
            && r.matched() == r.verdict.facts.len()
            && event == r.gold_event();
        let _ = writeln!(
            s,
            "{} {} {}→{}{scope} [{}] gold: {} ({} fact(s)) | reported: {} ({} fact(s)) | \
             matched {}",
            if ok { "ok  " } else { "FAIL" },
            r.case,
            r.gold.from.trim_end_matches(".html"),
            r.gold.to.trim_end_matches(".html"),
            split_of(r.num),
            r.gold_event(),
            r.gold.facts.len(),
            event,
            r.verdict.facts.len(),
            r.matched(),
        );
        let unexpected = if r.boilerplate() && r.verdict.event.is_some() {
            let _ = writeln!(
                s,
                "    ! unexpected event on a boilerplate-only step: {event}"
            );
            true
        } else if r.meaning_preserving() && r.verdict.event == Some("fact.changed") {
            let _ = writeln!(
                s,
                "    ! unexpected fact.changed on a meaning-preserving step"
            );
            true
        } else {
            false
        };
        if unexpected {
            // What made the event: the diff, briefly.
            const MAX: usize = 6;
            for d in r.verdict.diff.iter().take(MAX) {
                let _ = writeln!(s, "      diff: {d}");
            }
            if r.verdict.diff.len() > MAX {
                let _ = writeln!(s, "      diff: … {} more", r.verdict.diff.len() - MAX);
            }
        } else if r.gold.article_changed && r.verdict.event.is_none() {
            let _ = writeln!(s, "    ! no event, but the article text changed");
        }
        for n in &r.verdict.notes {
            let _ = writeln!(s, "    note: {n}");
        }
        for (j, c) in r.verdict.facts.iter().enumerate() {
            if let Some(i) = r.gold_of_rep[j] {
                let _ = writeln!(
                    s,
                    "    matched:    {}  ~ gold {}",
                    reported_line(c),
                    gold_line(&r.gold.facts[i])
                );
            }
        }
        for (i, g) in r.gold.facts.iter().enumerate() {
            if !r.gold_of_rep.contains(&Some(i)) {
                let _ = writeln!(s, "    missed:     {}", gold_line(g));
            }
        }
        for (j, c) in r.verdict.facts.iter().enumerate() {
            if r.gold_of_rep[j].is_none() {
                let _ = writeln!(s, "    unmatched:  {}", reported_line(c));
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

fn main() {
    let args = Args::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/dev-set");
    let rev = root.join("revisions");
    if !rev.is_dir() {
        println!(
            "revisions bench: dev set not found at {} — nothing to do",
            rev.display()
        );
        return;
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&rev)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("gold.json").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut cases = Vec::new();
    for d in &dirs {
        match load_case(d) {
            Ok(c) if args.wants(&c.id, c.num) => cases.push(c),
            Ok(_) => {}
            Err(e) => eprintln!("revisions bench: skipping {e}"),
        }
    }
    if cases.is_empty() {
        println!(
            "revisions bench: no case matches {:?} in {}",
            args.cases,
            rev.display()
        );
        return;
    }

    let t0 = Instant::now();
    let mut results = Vec::new();
    for case in &cases {
        let versions = extract_versions(case);
        let pos = |v: &str| versions.iter().position(|(n, _)| n == v);
        for g in &case.steps {
            let (Some(from), Some(to)) = (pos(&g.from), pos(&g.to)) else {
                eprintln!(
                    "revisions bench: {}: step {} → {} names a version not in \"versions\"",
                    case.id, g.from, g.to
                );
                continue;
            };
            let verdict = judge(&versions, from, to);
            let compat: Vec<Vec<bool>> = g
                .facts
                .iter()
                .map(|gf| verdict.facts.iter().map(|r| compatible(gf, r)).collect())
                .collect();
            let gold_of_rep = max_matching(&compat, verdict.facts.len());
            results.push(StepResult {
                case: case.id.clone(),
                num: case.num,
                gold: g.clone(),
                verdict,
                gold_of_rep,
            });
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    // Steps first (case order), then the net comparisons.
    results.sort_by_key(|r| (r.gold.scope == Scope::Net, r.num));

    let table = table(&results);
    let families = family_table(&results);
    let diag = diagnosis(&results);
    let filter = if args.cases.is_empty() {
        String::new()
    } else {
        format!(" — filtered to {}", args.cases.join(", "))
    };
    let mut report = String::new();
    let _ = writeln!(
        report,
        "# Revisions benchmark{filter}\n\n{} case(s), {} step(s) + {} net comparison(s); \
         extraction + judging took {secs:.2} s.\n",
        cases.len(),
        results
            .iter()
            .filter(|r| r.gold.scope == Scope::Step)
            .count(),
        results
            .iter()
            .filter(|r| r.gold.scope == Scope::Net)
            .count(),
    );
    let _ = writeln!(report, "{table}");
    let _ = writeln!(report, "{families}");
    let _ = writeln!(report, "## Per-step diagnosis\n\n```text\n{diag}```");

    if args.quiet {
        print!("{table}");
    } else {
        println!("{report}");
    }
    results::write_results("revisions", &report);
}
