//! Evaluation of the date resolver (`claims::dates::find_dates`) against the English
//! DateTime specs of Microsoft Recognizers-Text (`shared/fixtures/numbers/recognizers-text`).
//!
//! Files: `DateExtractor.json` (spans only, no reference date: 2016-11-07 is used, as in the
//! Recognizers-Text tests), `DateParser.json` (span + past/future resolution) and
//! `DateTimeModel.json` (cases whose results are all `datetimeV2.date`). Each expected result
//! is put in a family from its text; a case is in scope when all its results are in in-scope
//! families (explicit month-day, numeric, weekday, relative day, day of month). The other
//! families are counted and listed with the reason they are skipped. Cases with no expected
//! result are reported separately (how many produce a mention anyway).
//!
//! Metrics per in-scope expected result: span exact (same start and text, case-insensitive),
//! span overlap, value strict (our `date` is one of the expected values — Recognizers-Text
//! lists the past and the future reading when the text does not decide, and either counts),
//! value lenient (our `date` or `alt` is one). Run: `cargo bench --bench recognizers_dates`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use factdiff::claims::DateContext;
use factdiff::claims::dates::find_dates;
use serde_json::Value;

struct Expected {
    start: usize,
    text: String,
    values: Vec<NaiveDate>,
}

#[derive(Default)]
struct Row {
    cases: usize,
    results: usize,
    span_exact: usize,
    span_overlap: usize,
    valued: usize,
    strict: usize,
    lenient: usize,
    negatives: usize,
    false_pos: usize,
    skipped: BTreeMap<&'static str, usize>,
}

const IN_SCOPE: [&str; 5] = [
    "explicit",
    "numeric",
    "weekday",
    "relative-day",
    "day-of-month",
];

fn reason(family: &str) -> &'static str {
    match family {
        "holiday" => "holidays are not resolved (no calendar of feasts)",
        "compositional" => {
            "arithmetic/compositional relative dates (\"2 weeks from\", \"tuesday of next week\", \"the 15th day of next month\")"
        }
        "spelled-out" => {
            "day numbers in words (\"the first of march\"); numbers are the number recogniser's"
        }
        "month-year" => "month or month-year alone is a period, not a day",
        "type" => "not a single date (time, date range, duration, set, datetime)",
        _ => "other forms (\"otd\", \"the day before\", compact codes)",
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn family(text: &str) -> &'static str {
    let w = words(text);
    let has = |x: &str| w.iter().any(|y| y == x);
    let any = |xs: &[&str]| xs.iter().any(|x| has(x));
    const MONTHS: [&str; 24] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ];
    const WEEKDAYS: [&str; 16] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
    ];
    const HOLIDAYS: [&str; 18] = [
        "christmas",
        "xmas",
        "easter",
        "thanksgiving",
        "patrick",
        "valentine",
        "halloween",
        "independence",
        "labor",
        "memorial",
        "mlk",
        "mother",
        "father",
        "veteran",
        "columbus",
        "boxing",
        "eve",
        "holiday",
    ];
    const SPELLED: [&str; 24] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "twentieth",
        "thirtieth",
        "twenty",
        "thirty",
        "hundred",
        "thousand",
        "eleven",
        "twelve",
        "fifteen",
        "thirteen",
        "fourteen",
        "nineteen",
    ];
    if any(&HOLIDAYS) || (has("new") && has("year")) {
        return "holiday";
    }
    let rel_simple = matches!(
        w.iter().map(|s| s.as_str()).collect::<Vec<_>>().as_slice(),
        ["yesterday"]
            | ["today"]
            | ["tomorrow"]
            | ["tonight"]
            | ["the", "day", "before", "yesterday"]
            | ["the", "day", "after", "tomorrow"]
            | [_, "day" | "days" | "week" | "weeks", "ago"]
    );
    if rel_simple {
        return "relative-day";
    }
    if any(&[
        "after",
        "before",
        "from",
        "since",
        "later",
        "ago",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "end",
        "start",
        "beginning",
        "within",
        "in",
        "of",
        "upcoming",
        "following",
        "same",
        "fortnight",
        "past",
        "previous",
        "coming",
        "weekend",
    ]) && !(any(&MONTHS)
        && has("of")
        && !any(&["next", "last", "this", "week", "month", "year"]))
        && !(has("in")
            && any(&MONTHS)
            && w.iter()
                .any(|x| x.len() == 4 && x.chars().all(|c| c.is_ascii_digit())))
    {
        return "compositional";
    }
    if any(&SPELLED)
        || w.iter().any(|x| {
            [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            ]
            .contains(&x.as_str())
        })
    {
        return "spelled-out";
    }
    let digit_word = |x: &String| x.chars().next().is_some_and(|c| c.is_ascii_digit());
    let has_day_digit = w.iter().any(|x| {
        let d: String = x.chars().take_while(|c| c.is_ascii_digit()).collect();
        !d.is_empty() && d.len() <= 2
    });
    if any(&MONTHS) {
        return if has_day_digit {
            "explicit"
        } else {
            "month-year"
        };
    }
    if w.iter().filter(|x| digit_word(x)).count() >= 2 {
        return "numeric";
    }
    if any(&WEEKDAYS) {
        return if has_day_digit {
            "day-of-month"
        } else {
            "weekday"
        };
    }
    if w.iter()
        .all(|x| digit_word(x) || ["the", "on"].contains(&x.as_str()))
        && has_day_digit
    {
        return if w
            .iter()
            .any(|x| x.len() >= 6 && x.chars().all(|c| c.is_ascii_digit()))
        {
            "other"
        } else {
            "day-of-month"
        };
    }
    "other"
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn reference(case: &Value) -> DateTime<FixedOffset> {
    let r = case["Context"]["ReferenceDateTime"]
        .as_str()
        .unwrap_or("2016-11-07T00:00:00");
    let r = r.get(..19).unwrap_or(r);
    let n = NaiveDateTime::parse_from_str(r, "%Y-%m-%dT%H:%M:%S").unwrap_or_else(|_| {
        NaiveDateTime::parse_from_str("2016-11-07T00:00:00", "%Y-%m-%dT%H:%M:%S").unwrap()
    });
    n.and_utc().fixed_offset()
}

/// The expected results of a case in one of the three formats, or the family that makes
/// it out of scope.
fn expected(file: &str, case: &Value) -> Result<Vec<Expected>, &'static str> {
    let mut out = Vec::new();
    for r in case["Results"].as_array().into_iter().flatten() {
        let text = r["Text"].as_str().unwrap_or("").to_string();
        let start = r["Start"].as_u64().unwrap_or(0) as usize;
        let mut values = Vec::new();
        match file {
            "DateTimeModel" => {
                if r["TypeName"].as_str() != Some("datetimeV2.date") {
                    return Err("type");
                }
                for v in r["Resolution"]["values"].as_array().into_iter().flatten() {
                    if let Some(d) = v["value"].as_str().and_then(date) {
                        values.push(d);
                    }
                }
            }
            "DateParser" => {
                for k in ["FutureResolution", "PastResolution"] {
                    if let Some(d) = r["Value"][k]["date"].as_str().and_then(date)
                        && !values.contains(&d)
                    {
                        values.push(d);
                    }
                }
            }
            _ => {
                if r["Type"].as_str() != Some("date") {
                    return Err("type");
                }
            }
        }
        let f = family(&text);
        if !IN_SCOPE.contains(&f) {
            return Err(f);
        }
        out.push(Expected {
            start,
            text,
            values,
        });
    }
    Ok(out)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/numbers/recognizers-text/DateTime/English");
    if !root.is_dir() {
        println!(
            "recognizers-text fixtures not found at {}; nothing to evaluate",
            root.display()
        );
        return;
    }
    let mut rows: Vec<(String, Row)> = Vec::new();
    let mut misses: Vec<String> = Vec::new();
    let mut all_inputs: Vec<(String, DateContext)> = Vec::new();
    for file in ["DateExtractor", "DateParser", "DateTimeModel"] {
        let path = root.join(format!("{file}.json"));
        let Ok(raw) = std::fs::read_to_string(&path) else {
            println!("missing {}", path.display());
            continue;
        };
        let cases: Vec<Value> = serde_json::from_str(raw.trim_start_matches('\u{feff}')).unwrap();
        let mut row = Row::default();
        for case in &cases {
            if case.get("NotSupportedByDesign").is_some() {
                *row.skipped.entry("not supported by design").or_default() += 1;
                continue;
            }
            let input = case["Input"].as_str().unwrap_or("");
            let ctx = DateContext {
                published: reference(case),
            };
            all_inputs.push((input.to_string(), ctx));
            let exp = match expected(file, case) {
                Ok(e) => e,
                Err(f) => {
                    *row.skipped.entry(f).or_default() += 1;
                    continue;
                }
            };
            let got = find_dates(input, Some(&ctx));
            if exp.is_empty() {
                row.negatives += 1;
                if !got.is_empty() {
                    row.false_pos += 1;
                    misses.push(format!(
                        "{file} FP: {input:?} -> {:?}",
                        got.iter().map(|m| &m.text).collect::<Vec<_>>()
                    ));
                }
                continue;
            }
            row.cases += 1;
            for e in &exp {
                row.results += 1;
                // char offsets of our spans (Recognizers-Text counts characters)
                let es = e.start;
                let ee = es + e.text.chars().count();
                let best = got.iter().max_by_key(|m| {
                    let ms = input[..m.span.start].chars().count();
                    let me = ms + m.text.chars().count();
                    me.min(ee).saturating_sub(ms.max(es))
                });
                let Some(m) = best else {
                    misses.push(format!("{file} MISS: {input:?} [{}]", e.text));
                    continue;
                };
                let ms = input[..m.span.start].chars().count();
                let me = ms + m.text.chars().count();
                if me.min(ee) <= ms.max(es) {
                    misses.push(format!(
                        "{file} MISS: {input:?} [{}] got [{}]",
                        e.text, m.text
                    ));
                    continue;
                }
                row.span_overlap += 1;
                if ms == es && m.text.to_lowercase() == e.text.to_lowercase() {
                    row.span_exact += 1;
                } else {
                    misses.push(format!(
                        "{file} SPAN: {input:?} [{}] got [{}]",
                        e.text, m.text
                    ));
                }
                if e.values.is_empty() {
                    continue;
                }
                row.valued += 1;
                let strict = m.date.is_some_and(|d| e.values.contains(&d));
                let lenient = strict || m.alt.is_some_and(|d| e.values.contains(&d));
                row.strict += usize::from(strict);
                row.lenient += usize::from(lenient);
                if !lenient {
                    misses.push(format!(
                        "{file} VALUE: {input:?} ref {} [{}] want {:?} got {:?}/{:?}",
                        ctx.published.date_naive(),
                        e.text,
                        e.values,
                        m.date,
                        m.alt
                    ));
                }
            }
        }
        rows.push((file.to_string(), row));
    }

    let pct = |a: usize, b: usize| {
        if b == 0 {
            "–".to_string()
        } else {
            format!("{:.1}% ({a}/{b})", 100.0 * a as f64 / b as f64)
        }
    };
    println!("## Date resolver vs Recognizers-Text (English DateTime)\n");
    println!(
        "| file | in-scope cases | results | span exact | span overlap | value strict | value lenient (date or alt) | negatives with a mention |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (f, r) in &rows {
        println!(
            "| {f} | {} | {} | {} | {} | {} | {} | {} |",
            r.cases,
            r.results,
            pct(r.span_exact, r.results),
            pct(r.span_overlap, r.results),
            pct(r.strict, r.valued),
            pct(r.lenient, r.valued),
            if r.negatives == 0 {
                "–".to_string()
            } else {
                format!("{}/{}", r.false_pos, r.negatives)
            }
        );
    }
    println!("\n### Skipped cases (out of scope)\n");
    println!("| file | family | cases | reason |");
    println!("|---|---|---|---|");
    for (f, r) in &rows {
        for (fam, n) in &r.skipped {
            println!("| {f} | {fam} | {n} | {} |", reason(fam));
        }
    }
    if std::env::var_os("DATES_VERBOSE").is_some() {
        println!("\n### Misses\n");
        for m in &misses {
            println!("- {m}");
        }
    } else {
        println!(
            "\n({} misses; set DATES_VERBOSE=1 to list them)",
            misses.len()
        );
    }

    // speed: every input, repeated
    let words: usize = all_inputs
        .iter()
        .map(|(s, _)| s.split_whitespace().count())
        .sum();
    let reps = 20;
    let t0 = Instant::now();
    let mut n = 0usize;
    for _ in 0..reps {
        for (s, c) in &all_inputs {
            n += find_dates(s, Some(c)).len();
        }
    }
    let el = t0.elapsed();
    let per_k = el.as_secs_f64() * 1e3 / (words * reps) as f64 * 1000.0;
    println!(
        "\nspeed: {:.3} ms per 1,000 words ({} inputs × {reps}, {n} mentions)",
        per_k,
        all_inputs.len()
    );
}
