//! Cross-outlet conflict benchmark.
//!
//! `cargo bench --bench conflicts [-- --quick]`
//!
//! Story sets from real articles (the five seeds and English news-like pages from the extraction
//! fixtures, extracted with factdiff's own extractor): each article is published as three
//! "outlets" — two unchanged copies (`a`, `b`) and one variant (`c`) with ONE controlled edit
//! at a place the unchanged story already aligns (a claim in an *agree* finding of three plain
//! copies, so the benchmark measures alignment and judgement, not recogniser coverage):
//!
//! * **expected conflict / disputed** (`c` must be named the outlier): a changed count, a
//!   changed weekday, a changed explicit day, a changed place; a changed count attributed to a
//!   different named party ("According to Moscow, …" against "According to Kyiv, …": disputed).
//! * **expected no conflict**: compatible rephrasings of a count ("about N", "more than N-3",
//!   "dozens of" for 24–99, "nearly N+1"), and the unchanged story itself.
//!
//! A finding counts as flagged when its outcome is *conflict* or *disputed*. Precision = flagged
//! findings that are the expected one (the edited slot, outlier `c`) / all flagged; recall =
//! expected edits flagged. Targets: precision ≥ 0.9, recall ≥ 0.8. The table goes to stdout.
//!
//! The fixtures live outside the repository (`<CARGO_MANIFEST_DIR>/../shared/fixtures`); when
//! they are absent the benchmark prints a notice and exits successfully.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use factdiff::claims::{Claim, DocClaims, Kind, Value, extract_claims};
use factdiff::compare::conflicts::{Finding, Outcome, OutletDoc, compare_story};
use factdiff::extract::Article;

#[path = "corpus/mod.rs"]
mod corpus;
use corpus::{load_corpus, noon};

// ---------------------------------------------------------------------------------------------
// Stories and edits
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EType {
    Count,
    Weekday,
    Day,
    Place,
    Speaker,
    About,
    MoreThan,
    Dozens,
    Unchanged,
}

impl EType {
    fn name(self) -> &'static str {
        match self {
            EType::Count => "changed count",
            EType::Weekday => "changed weekday",
            EType::Day => "changed explicit day",
            EType::Place => "changed place",
            EType::Speaker => "changed count, other named party",
            EType::About => "\"about N\"",
            EType::MoreThan => "\"more than N-3\"",
            EType::Dozens => "\"dozens of\"",
            EType::Unchanged => "unchanged copies",
        }
    }
    fn expects_flag(self) -> bool {
        matches!(
            self,
            EType::Count | EType::Weekday | EType::Day | EType::Place | EType::Speaker
        )
    }
}

const TYPES: [EType; 8] = [
    EType::Count,
    EType::Weekday,
    EType::Day,
    EType::Place,
    EType::Speaker,
    EType::About,
    EType::MoreThan,
    EType::Dozens,
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn outlet(name: &str, published: DateTime<FixedOffset>, claims: DocClaims) -> OutletDoc {
    OutletDoc {
        outlet: name.into(),
        url: format!("https://{name}.example/story"),
        published,
        claims,
    }
}

/// The article with `sentence` rewritten by `f` (in the first paragraph that holds it).
fn rewrite(article: &Article, sentence: &str, f: impl Fn(&str) -> String) -> Option<Article> {
    let mut out = article.clone();
    let p = out.paragraphs.iter_mut().find(|p| p.contains(sentence))?;
    let new = f(sentence);
    if new == sentence {
        return None;
    }
    *p = p.replacen(sentence, &new, 1);
    Some(out)
}

fn splice(s: &str, span: &std::ops::Range<usize>, new: &str) -> String {
    format!("{}{}{}", &s[..span.start], new, &s[span.end..])
}

fn lc_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("I ") => f.to_lowercase().collect::<String>() + c.as_str(),
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

fn exact_count(c: &Claim) -> Option<u64> {
    match c.value {
        Value::Number { min, max, exact } if exact && min == max && min.fract() == 0.0 => {
            (1.0..1e9).contains(&min).then_some(min as u64)
        }
        _ => None,
    }
}

/// The new text of the edited sentence for one edit type at one aligned claim.
fn edit_sentence(t: EType, s: &str, c: &Claim) -> Option<String> {
    let span = &c.span;
    match t {
        EType::Count => {
            c.kind.eq(&Kind::Quantity).then_some(())?;
            let n = exact_count(c)?;
            Some(splice(s, span, &(n * 2 + 5).to_string()))
        }
        EType::Speaker => {
            c.kind.eq(&Kind::Quantity).then_some(())?;
            let n = exact_count(c)?;
            let edited = splice(s, span, &(n * 2 + 5).to_string());
            Some(format!("According to Moscow, {}", lc_first(&edited)))
        }
        EType::About | EType::MoreThan | EType::Dozens => {
            c.kind.eq(&Kind::Quantity).then_some(())?;
            let n = exact_count(c)?;
            let new = match t {
                EType::About if n >= 10 => format!("about {n}"),
                EType::MoreThan if n >= 10 => format!("more than {}", n - 3),
                EType::Dozens if (24..=99).contains(&n) => {
                    // "43 countries" -> "dozens of countries"
                    let after = &s[span.end..];
                    after.starts_with(' ').then_some(())?;
                    "dozens of".to_string()
                }
                _ => return None,
            };
            Some(splice(s, span, &new))
        }
        EType::Weekday => {
            (c.kind == Kind::Date).then_some(())?;
            let text = &s[span.clone()];
            let (k, w) = WEEKDAYS
                .iter()
                .enumerate()
                .find(|(_, w)| text.contains(*w))?;
            let at = span.start + text.find(w)?;
            let new = WEEKDAYS[(k + 2) % 7];
            Some(splice(s, &(at..at + w.len()), new))
        }
        EType::Day => {
            let Value::Date { date: Some(d), .. } = c.value else {
                return None;
            };
            (c.kind == Kind::Date && d.day() <= 24).then_some(())?;
            let text = &s[span.clone()];
            if WEEKDAYS.iter().any(|w| text.contains(w)) {
                return None;
            }
            let day = d.day().to_string();
            // the day number as written (not part of the year)
            let rel = text
                .match_indices(&day)
                .find(|(i, _)| {
                    let before = text[..*i].chars().last();
                    let after = text[i + day.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_digit())
                        && !after.is_some_and(|c| c.is_ascii_digit())
                })?
                .0;
            let at = span.start + rel;
            Some(splice(s, &(at..at + day.len()), &(d.day() + 4).to_string()))
        }
        EType::Place => {
            (c.kind == Kind::Place).then_some(())?;
            let Value::Text { text } = &c.value else {
                return None;
            };
            let new = ["Madrid", "Warsaw", "Nairobi"].into_iter().find(|p| {
                !factdiff::claims::entities::place_within(p, text)
                    && !factdiff::claims::entities::place_within(text, p)
                    && *p != text.as_str()
            })?;
            Some(splice(s, span, new))
        }
        EType::Unchanged => None,
    }
}

fn flagged(f: &Finding) -> bool {
    matches!(f.outcome, Outcome::Conflict | Outcome::Disputed)
}

#[derive(Default, Clone, Copy)]
struct Row {
    stories: usize,
    expected: usize,
    detected: usize,
    flags: usize,
    false_flags: usize,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (cap, per_type) = if quick { (15, 1) } else { (60, 3) };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if !root.join("seeds").is_dir() && !root.join("extraction").is_dir() {
        println!(
            "notice: {} absent; conflicts benchmark skipped",
            root.display()
        );
        return;
    }
    let docs = load_corpus(&root, cap);
    let mut rows: BTreeMap<EType, Row> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut false_flags: Vec<String> = Vec::new();
    let started = Instant::now();
    let mut compared = 0usize;
    let fallback = noon(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"));
    for doc in &docs {
        let published = doc.published.unwrap_or(fallback);
        let base = extract_claims(&doc.article, Some(published));
        let copies = |c: DocClaims| {
            vec![
                outlet("a", published, base.clone()),
                outlet("b", published, base.clone()),
                outlet("c", published, c),
            ]
        };
        let control = compare_story(&copies(base.clone()));
        compared += 1;
        let row = rows.entry(EType::Unchanged).or_default();
        row.stories += 1;
        for f in control.iter().filter(|f| flagged(f)) {
            row.flags += 1;
            row.false_flags += 1;
            false_flags.push(format!("{} unchanged: {}", doc.name, f.explanation));
        }
        // aligned sites: outlet c's claim in every agree finding
        let mut sites: Vec<(String, &Claim)> = Vec::new();
        for f in control.iter().filter(|f| f.outcome == Outcome::Agree) {
            let Some(fc) = f.claims.iter().find(|c| c.outlet == "c") else {
                continue;
            };
            if let Some(c) = base.claims.iter().find(|c| {
                c.text == fc.text
                    && base.sentence(c.sentence) == fc.sentence
                    && c.value.to_json() == fc.value
            }) {
                sites.push((f.slot.clone(), c));
            }
        }
        for t in TYPES {
            let mut done = 0;
            for (slot, c) in &sites {
                if done >= per_type {
                    break;
                }
                let s = base.sentence(c.sentence);
                let Some(new_s) = edit_sentence(t, s, c) else {
                    continue;
                };
                let Some(variant) = rewrite(&doc.article, s, |_| new_s.clone()) else {
                    continue;
                };
                let vclaims = extract_claims(&variant, Some(published));
                let mut story = copies(vclaims);
                if t == EType::Speaker {
                    let Some(kyiv) = rewrite(&doc.article, s, |s| {
                        format!("According to Kyiv, {}", lc_first(s))
                    }) else {
                        continue;
                    };
                    let kc = extract_claims(&kyiv, Some(published));
                    story[0].claims = kc.clone();
                    story[1].claims = kc;
                }
                done += 1;
                let findings = compare_story(&story);
                compared += 1;
                let row = rows.entry(t).or_default();
                row.stories += 1;
                let mut hit = false;
                for f in findings.iter().filter(|f| flagged(f)) {
                    row.flags += 1;
                    let expected = t.expects_flag()
                        && !hit
                        && f.outlier.as_deref() == Some("c")
                        && (f.slot == *slot || t == EType::Speaker)
                        && f.claims.iter().any(|fc| {
                            fc.outlet == "c"
                                && fc
                                    .sentence
                                    .contains(&new_s[new_s.len().saturating_sub(40)..])
                        });
                    if expected {
                        hit = true;
                    } else {
                        row.false_flags += 1;
                        false_flags.push(format!("{} {}: {}", doc.name, t.name(), f.explanation));
                    }
                }
                if t.expects_flag() {
                    row.expected += 1;
                    if hit {
                        row.detected += 1;
                    } else {
                        let best = findings
                            .iter()
                            .filter(|f| {
                                f.claims
                                    .iter()
                                    .any(|fc| fc.outlet == "c" && fc.sentence == new_s)
                            })
                            .map(|f| format!("[{}] {}", f.outcome.as_str(), f.explanation))
                            .next()
                            .unwrap_or_else(|| "no finding".into());
                        misses.push(format!("{} {}: «{}» → {}", doc.name, t.name(), new_s, best));
                    }
                }
            }
        }
    }
    let elapsed = started.elapsed();

    println!(
        "## Conflicts benchmark ({} articles, {} stories of 3 outlets)\n",
        docs.len(),
        compared
    );
    println!("| edit | stories | expected | detected | flagged | false flags |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = Row::default();
    for (t, r) in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            t.name(),
            r.stories,
            r.expected,
            r.detected,
            r.flags,
            r.false_flags
        );
        total.stories += r.stories;
        total.expected += r.expected;
        total.detected += r.detected;
        total.flags += r.flags;
        total.false_flags += r.false_flags;
    }
    let precision = if total.flags == 0 {
        1.0
    } else {
        (total.flags - total.false_flags) as f64 / total.flags as f64
    };
    let recall = if total.expected == 0 {
        0.0
    } else {
        total.detected as f64 / total.expected as f64
    };
    println!(
        "| **all** | {} | {} | {} | {} | {} |\n",
        total.stories, total.expected, total.detected, total.flags, total.false_flags
    );
    println!("| metric | value | target |");
    println!("|---|---:|---:|");
    println!("| conflict precision | {precision:.3} | ≥ 0.9 |");
    println!("| conflict recall | {recall:.3} | ≥ 0.8 |");
    println!(
        "| time per story (claims of the variant + compare) | {:.2} ms | |",
        elapsed.as_secs_f64() * 1000.0 / compared.max(1) as f64
    );
    if !misses.is_empty() {
        println!("\n### Missed ({})\n", misses.len());
        for m in misses.iter().take(25) {
            println!("- {m}");
        }
    }
    if !false_flags.is_empty() {
        println!("\n### False flags ({})\n", false_flags.len());
        for m in false_flags.iter().take(25) {
            println!("- {m}");
        }
    }
    let _ = (Path::new("."), NaiveDateTime::default());
}
