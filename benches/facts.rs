//! Fact-diff mutation benchmark and speed benchmark.
//!
//! `cargo bench --bench facts [-- --quick]`
//!
//! Real articles (the five seeds and English news-like pages from the extraction fixtures,
//! extracted with factdiff's own extractor) are mutated with exactly ONE edit of a known type
//! at a known place, and `extract_claims` + `fact_changes` are run on (original, variant):
//!
//! * **fact edits** (number, number word, money, percentage, date, weekday, place, person,
//!   quote, quote removal, negation) must be reported: a change of the right kind in the edited
//!   sentence. A fact edit is only counted when the original already had a claim of that kind
//!   at the edited place, so recall measures the diff, not how much of the source text the
//!   recognisers cover; that coverage is reported separately ("recognised" column).
//! * **meaning-preserving edits** (typos, punctuation, quote glyphs, paragraph re-splits,
//!   synonyms, re-ordering, whitespace) must report nothing.
//!
//! Metrics: recall and precision of the reported changes on fact edits, false alarms per 100
//! meaning-preserving edits, and the time of claims (both versions) + fact diff per 1,000
//! words on one thread. Tables go to stdout and to `<target>/bench-facts/results.md`.
//!
//! The fixtures live outside the repository (`<CARGO_MANIFEST_DIR>/../shared/fixtures`); when
//! they are absent the benchmark prints a notice and exits successfully.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, NaiveDate};
use factdiff::claims::{Claim, DocClaims, Kind, extract_claims};
use factdiff::compare::{FactChange, fact_changes};
use factdiff::diff::{Sentence, split_sentences_lang};
use factdiff::extract::Article;
use fastrand::Rng;
use regex::Regex;

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

struct Settings {
    /// Most articles in the corpus (the seeds included).
    cap: usize,
    /// Variants per edit type per article.
    per_type: usize,
    /// Timed repetitions per article (the median counts).
    repeats: usize,
}

impl Settings {
    fn from_args() -> Self {
        let quick = std::env::args().any(|a| a == "--quick");
        if quick {
            Settings {
                cap: 20,
                per_type: 1,
                repeats: 3,
            }
        } else {
            Settings {
                cap: 60,
                per_type: 2,
                repeats: 7,
            }
        }
    }
}

#[path = "corpus/mod.rs"]
mod corpus;
use corpus::{Doc, load_corpus, noon};

// ---------------------------------------------------------------------------------------------
// Edit types
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EType {
    // fact edits
    Number,
    NumberWord,
    Money,
    Percent,
    Date,
    Weekday,
    Place,
    Person,
    PersonSpelling,
    Quote,
    QuoteRemoved,
    Negation,
    // meaning-preserving edits
    Typo,
    TypoInQuote,
    Punctuation,
    QuoteGlyphs,
    ResplitSplit,
    ResplitMerge,
    Synonym,
    Reorder,
    Whitespace,
}

const ALL_TYPES: [EType; 21] = [
    EType::Number,
    EType::NumberWord,
    EType::Money,
    EType::Percent,
    EType::Date,
    EType::Weekday,
    EType::Place,
    EType::Person,
    EType::PersonSpelling,
    EType::Quote,
    EType::QuoteRemoved,
    EType::Negation,
    EType::Typo,
    EType::TypoInQuote,
    EType::Punctuation,
    EType::QuoteGlyphs,
    EType::ResplitSplit,
    EType::ResplitMerge,
    EType::Synonym,
    EType::Reorder,
    EType::Whitespace,
];

impl EType {
    fn name(self) -> &'static str {
        match self {
            EType::Number => "number",
            EType::NumberWord => "number word",
            EType::Money => "money",
            EType::Percent => "percentage",
            EType::Date => "date",
            EType::Weekday => "weekday",
            EType::Place => "place",
            EType::Person => "person (other surname)",
            EType::PersonSpelling => "person (spelling)",
            EType::Quote => "quote words",
            EType::QuoteRemoved => "quote removed",
            EType::Negation => "negation",
            EType::Typo => "typo",
            EType::TypoInQuote => "typo inside a quote",
            EType::Punctuation => "punctuation",
            EType::QuoteGlyphs => "quote glyphs",
            EType::ResplitSplit => "re-split (split paragraph)",
            EType::ResplitMerge => "re-split (merge paragraphs)",
            EType::Synonym => "synonym",
            EType::Reorder => "re-ordering",
            EType::Whitespace => "whitespace",
        }
    }

    fn is_fact(self) -> bool {
        self <= EType::Negation
    }

    /// Claim kinds that make a target "recognised" for a fact edit.
    fn kinds(self) -> &'static [Kind] {
        match self {
            EType::Number | EType::NumberWord => &[Kind::Quantity, Kind::Duration],
            EType::Money => &[Kind::Money],
            EType::Percent => &[Kind::Percent],
            EType::Date | EType::Weekday => &[Kind::Date],
            EType::Place => &[Kind::Place],
            EType::Person | EType::PersonSpelling => &[Kind::Person],
            EType::Quote | EType::QuoteRemoved => &[Kind::Quote],
            EType::Negation => &[
                Kind::Quantity,
                Kind::Money,
                Kind::Percent,
                Kind::Duration,
                Kind::Date,
                Kind::Place,
            ],
            _ => &[],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists and patterns
// ---------------------------------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
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
/// Number words that are edited (never "one": "no one", "one of").
const NUMBER_WORDS: [&str; 26] = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];
/// Countries and cities the edits look for (an independent list, so the coverage of the
/// place gazetteer can be measured) …
const COUNTRIES: [&str; 52] = [
    "Ukraine",
    "Russia",
    "France",
    "Germany",
    "Britain",
    "United Kingdom",
    "United States",
    "China",
    "Japan",
    "India",
    "Brazil",
    "Canada",
    "Mexico",
    "Italy",
    "Spain",
    "Poland",
    "Turkey",
    "Iran",
    "Israel",
    "Syria",
    "Egypt",
    "Kenya",
    "Nigeria",
    "Australia",
    "Belgium",
    "Netherlands",
    "Sweden",
    "Norway",
    "Finland",
    "Denmark",
    "Greece",
    "Pakistan",
    "Afghanistan",
    "Iraq",
    "Venezuela",
    "Argentina",
    "Chile",
    "Colombia",
    "South Africa",
    "South Korea",
    "North Korea",
    "Vietnam",
    "Indonesia",
    "Ireland",
    "Portugal",
    "Switzerland",
    "Austria",
    "Hungary",
    "Romania",
    "Belarus",
    "Saudi Arabia",
    "Lebanon",
];
const CITIES: [&str; 50] = [
    "Kyiv",
    "Moscow",
    "Paris",
    "London",
    "Berlin",
    "New York",
    "Los Angeles",
    "Chicago",
    "Boston",
    "San Francisco",
    "Seattle",
    "Tokyo",
    "Beijing",
    "Shanghai",
    "Rome",
    "Madrid",
    "Warsaw",
    "Brussels",
    "Geneva",
    "Vienna",
    "Istanbul",
    "Cairo",
    "Toronto",
    "Sydney",
    "Mumbai",
    "Delhi",
    "Houston",
    "Miami",
    "Atlanta",
    "Dallas",
    "Denver",
    "Philadelphia",
    "Detroit",
    "Baghdad",
    "Tehran",
    "Jerusalem",
    "Odesa",
    "Kharkiv",
    "Lviv",
    "Minsk",
    "Amsterdam",
    "Stockholm",
    "Dublin",
    "Lisbon",
    "Athens",
    "Oslo",
    "Helsinki",
    "Copenhagen",
    "Prague",
    "Budapest",
];
/// … and what they are replaced with (the first one the article does not mention).
const NEW_COUNTRIES: [&str; 6] = ["Portugal", "Norway", "Chile", "Kenya", "Vietnam", "Canada"];
const NEW_CITIES: [&str; 6] = ["Lisbon", "Oslo", "Lima", "Nairobi", "Hanoi", "Toronto"];
const NEW_SURNAMES: [&str; 6] = [
    "Kowalczyk",
    "Brennan",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
];
/// Words put into a quote in place of one of its words.
const QUOTE_WORDS: [&str; 6] = [
    "difficult",
    "important",
    "necessary",
    "impossible",
    "serious",
    "uncertain",
];
/// Capitalised words that do not make the next capitalised word a surname.
const NOT_FIRST_NAMES: [&str; 58] = [
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "For",
    "From",
    "With",
    "By",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Secretary",
    "General",
    "Chief",
    "Mayor",
    "Governor",
    "Senator",
    "Sen",
    "Rep",
    "Gen",
    "New",
    "United",
    "North",
    "South",
    "East",
    "West",
    "Saint",
    "St",
    "This",
    "That",
    "It",
    "He",
    "She",
    "They",
    "We",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "Some",
    "More",
    "Most",
];

/// Compiled patterns.
struct Pats {
    number: Regex,
    number_word: Regex,
    money: Regex,
    money_word: Regex,
    percent: Regex,
    month_day: Regex,
    day_month: Regex,
    weekday: Regex,
    places: Regex,
    cap_word: Regex,
    quote: Regex,
    aux: Regex,
    long_word: Regex,
    mid_word: Regex,
    synonyms: Vec<(Regex, &'static str)>,
}

impl Pats {
    fn new() -> Self {
        let months = MONTHS.join("|");
        let month_abbr = r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.";
        let num = r"\d+(?:,\d{3})*(?:\.\d+)?";
        let mut places: Vec<&str> = COUNTRIES.iter().chain(CITIES.iter()).copied().collect();
        // longest first, so "South Korea" wins over "Korea"-like prefixes
        places.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let re = |s: &str| Regex::new(s).expect("valid pattern");
        Pats {
            number: re(num),
            number_word: re(&format!(r"(?i)\b(?:{})\b", NUMBER_WORDS.join("|"))),
            money: re(&format!(
                r"(?:US\$|C\$|A\$|\$|€|£|¥)\s?({num})(?:\s?(?:million|billion|trillion|bn|m)\b)?"
            )),
            money_word: re(&format!(
                r"\b({num})\s(?:(?:million|billion|trillion)\s)?(?:dollars|euros|pounds|yen)\b"
            )),
            percent: re(&format!(r"({num})\s?(?:%|percent\b|per cent\b)")),
            month_day: re(&format!(r"\b(?:{months}|{month_abbr})\s(\d{{1,2}})\b")),
            day_month: re(&format!(r"\b(\d{{1,2}})\s(?:{months})\b")),
            weekday: re(&format!(r"\b(?:{})\b", WEEKDAYS.join("|"))),
            places: re(&format!(r"\b(?:{})\b", places.join("|"))),
            cap_word: re(r"\p{Lu}[\p{Ll}'’-]*\p{Ll}"),
            quote: re(r#"["“]([^"“”]{12,})["”]"#),
            aux: re(r"\b(?:is|are|was|were|has|have|had|will|would) "),
            long_word: re(r"\b\p{Ll}{8,}\b"),
            mid_word: re(r"\b\p{Ll}{4,7}\b"),
            synonyms: vec![
                (re(r"\bsaid\b"), "stated"),
                (re(r"\bsays\b"), "states"),
                (re(r"\babout (\d)"), "around $1"),
                (re(r"\bmore than (\d)"), "over $1"),
                (re(r"\bnearly\b"), "almost"),
                (re(r"\bapproximately\b"), "about"),
                (re(r"\broughly\b"), "about"),
                (re(r"\balso\b"), "additionally"),
            ],
        }
    }

    /// Byte ranges of dates (and years) in a sentence, which number edits leave alone.
    fn date_spans(&self, s: &str) -> Vec<Range<usize>> {
        self.month_day
            .find_iter(s)
            .chain(self.day_month.find_iter(s))
            .map(|m| m.range())
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

/// How a variant's paragraphs differ from the original's.
#[derive(Debug, Clone)]
enum Change {
    /// One sentence of one paragraph rewritten (or removed: `new` is `None`).
    Sentence {
        para: usize,
        old: String,
        new: Option<String>,
    },
    /// One paragraph replaced wholesale (glyphs, whitespace).
    Paragraph { para: usize, new: String },
    /// A paragraph split in two at a byte offset.
    Split { para: usize, at: usize },
    /// A paragraph merged with the next.
    Merge { para: usize },
    /// A paragraph swapped with the next.
    Swap { para: usize },
}

/// One candidate edit.
#[derive(Debug, Clone)]
struct Edit {
    change: Change,
    /// For fact edits: the original had a claim of the edit's kind where the edit is.
    recognised: bool,
    /// For fact edits: the kind of change expected (that of the claim edited).
    expect: Option<Kind>,
    /// Also accepted: a quote change, when the edit falls inside a recognised quote.
    alt: Option<Kind>,
    /// What was done, e.g. "40 → 52".
    desc: String,
}

/// An edit inside one sentence: `range` of the sentence replaced by `repl`.
struct SentenceEdit {
    range: Range<usize>,
    repl: String,
    expect: Option<Kind>,
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The kind of the first claim (of one of `kinds`) overlapping `r`.
fn claim_at(claims: &[&Claim], r: &Range<usize>, kinds: &[Kind]) -> Option<Kind> {
    claims
        .iter()
        .find(|c| kinds.contains(&c.kind) && overlaps(&c.span, r))
        .map(|c| c.kind)
}

/// A different number written the same way: as many decimals, thousands commas kept
/// ("40" → "52", "4.1" → "3.9", "1,200" → "1,450").
fn change_number(s: &str, rng: &mut Rng) -> Option<String> {
    let commas = s.contains(',');
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    if frac.len() > 4 || int.len() > 12 || (int.len() > 1 && int.starts_with('0')) {
        return None;
    }
    let n: u64 = format!("{int}{frac}").parse().ok()?;
    let step = (n / 3).clamp(1, 1_000_000_000);
    let delta = 1 + rng.u64(0..step);
    let m = if n > delta && rng.bool() {
        n - delta
    } else {
        n + delta
    };
    let scale = 10u64.pow(frac.len() as u32);
    let mut int_s = (m / scale).to_string();
    if commas && int_s.len() > 3 {
        let digits: Vec<char> = int_s.chars().collect();
        let mut g = String::new();
        for (k, c) in digits.iter().enumerate() {
            if k > 0 && (digits.len() - k).is_multiple_of(3) {
                g.push(',');
            }
            g.push(*c);
        }
        int_s = g;
    }
    Some(if frac.is_empty() {
        int_s
    } else {
        format!("{int_s}.{:0w$}", m % scale, w = frac.len())
    })
}

/// Keeps the capitalisation of `like` ("Fifteen" → "Twelve").
fn same_case(word: &str, like: &str) -> String {
    if like.chars().next().is_some_and(char::is_uppercase) {
        let mut c = word.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// Whether byte `pos` of `s` lies between quotation marks.
fn in_quote(s: &str, pos: usize) -> bool {
    s[..pos]
        .chars()
        .filter(|c| matches!(c, '"' | '“' | '”'))
        .count()
        % 2
        == 1
}

/// Every candidate edit of type `t` inside sentence `s` (index `i`); `text` is the whole
/// article (replacements avoid names it already mentions).
fn sentence_edits(
    t: EType,
    s: &str,
    claims: &[&Claim],
    text: &str,
    p: &Pats,
    rng: &mut Rng,
) -> Vec<SentenceEdit> {
    let mut out = Vec::new();
    let byte_before = |r: &Range<usize>| s[..r.start].chars().next_back();
    let byte_after = |r: &Range<usize>| s[r.end..].chars().next();
    let num_edit = |out: &mut Vec<SentenceEdit>, r: Range<usize>, rng: &mut Rng| {
        if let Some(n) = change_number(&s[r.clone()], rng) {
            out.push(SentenceEdit {
                range: r,
                repl: n,
                expect: None,
            });
        }
    };
    match t {
        EType::Number => {
            let dates = p.date_spans(s);
            for m in p.number.find_iter(s) {
                let r = m.range();
                let before = byte_before(&r);
                let after = byte_after(&r);
                let rest = s[r.end..].to_lowercase();
                let plain_year = m.as_str().len() == 4
                    && m.as_str()
                        .parse::<u32>()
                        .is_ok_and(|y| (1800..=2100).contains(&y));
                let money_after = rest.starts_with(" million dollars")
                    || rest.starts_with(" dollars")
                    || rest.starts_with(" euros")
                    || rest.starts_with(" pounds");
                if before.is_some_and(|c| c.is_alphanumeric() || "$€£¥.,:/-#'".contains(c))
                    || after.is_some_and(|c| c.is_alphanumeric() || "%:/-".contains(c))
                    || rest.starts_with(" percent")
                    || rest.starts_with(" per cent")
                    || money_after
                    || plain_year
                    || dates.iter().any(|d| overlaps(d, &r))
                {
                    continue;
                }
                num_edit(&mut out, r, rng);
            }
        }
        EType::NumberWord => {
            for m in p.number_word.find_iter(s) {
                let r = m.range();
                if byte_before(&r) == Some('-') || byte_after(&r) == Some('-') {
                    continue;
                }
                let w = m.as_str().to_lowercase();
                let pick = loop {
                    let c = NUMBER_WORDS[rng.usize(..NUMBER_WORDS.len())];
                    if c != w {
                        break c;
                    }
                };
                out.push(SentenceEdit {
                    range: r,
                    repl: same_case(pick, m.as_str()),
                    expect: None,
                });
            }
        }
        EType::Money => {
            for re in [&p.money, &p.money_word] {
                for c in re.captures_iter(s) {
                    let g = c.get(1).expect("amount group");
                    num_edit(&mut out, g.range(), rng);
                }
            }
        }
        EType::Percent => {
            for c in p.percent.captures_iter(s) {
                let g = c.get(1).expect("number group");
                if byte_before(&g.range()).is_some_and(|c| c.is_alphanumeric() || c == '.') {
                    continue;
                }
                num_edit(&mut out, g.range(), rng);
            }
        }
        EType::Date => {
            for re in [&p.month_day, &p.day_month] {
                for c in re.captures_iter(s) {
                    let g = c.get(1).expect("day group");
                    let d: u32 = g.as_str().parse().unwrap_or(0);
                    if !(1..=31).contains(&d) {
                        continue;
                    }
                    let nd = if d < 28 { d + 1 } else { d - 1 };
                    out.push(SentenceEdit {
                        range: g.range(),
                        repl: nd.to_string(),
                        expect: None,
                    });
                }
            }
        }
        EType::Weekday => {
            let dates = p.date_spans(s);
            for m in p.weekday.find_iter(s) {
                // "Tuesday 15 October 2019": the explicit date decides, the weekday is redundant
                if dates
                    .iter()
                    .any(|d| d.start >= m.end() && d.start <= m.end() + 3)
                {
                    continue;
                }
                let k = WEEKDAYS.iter().position(|w| *w == m.as_str()).unwrap_or(0);
                out.push(SentenceEdit {
                    range: m.range(),
                    repl: WEEKDAYS[(k + 1) % 7].to_string(),
                    expect: None,
                });
            }
        }
        EType::Place => {
            for m in p.places.find_iter(s) {
                let pool = if COUNTRIES.contains(&m.as_str()) {
                    &NEW_COUNTRIES
                } else {
                    &NEW_CITIES
                };
                if let Some(new) = pool.iter().find(|x| !text.contains(**x)) {
                    out.push(SentenceEdit {
                        range: m.range(),
                        repl: new.to_string(),
                        expect: None,
                    });
                }
            }
        }
        EType::Person | EType::PersonSpelling => {
            // A surname: a capitalised word right after a capitalised word that can start a
            // name ("Volodymyr Zelensky"; not "President Zelensky" or "New York").
            let caps: Vec<regex::Match> = p.cap_word.find_iter(s).collect();
            let stop = |w: &str| {
                NOT_FIRST_NAMES.contains(&w)
                    || MONTHS.contains(&w)
                    || WEEKDAYS.contains(&w)
                    || p.places.is_match(w)
            };
            for pair in caps.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if &s[a.end()..b.start()] != " " || stop(a.as_str()) || stop(b.as_str()) {
                    continue;
                }
                let surname = b.as_str();
                let repl = if t == EType::Person {
                    match NEW_SURNAMES.iter().find(|x| !text.contains(**x)) {
                        Some(x) => x.to_string(),
                        None => continue,
                    }
                } else {
                    // one interior letter changed: vowel for vowel, consonant for consonant
                    let chars: Vec<char> = surname.chars().collect();
                    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_alphabetic()) {
                        continue;
                    }
                    let k = 1 + rng.usize(..chars.len() - 2);
                    let pool = if "aeiou".contains(chars[k]) {
                        "aeiou"
                    } else {
                        "bcdfgklmnprstvz"
                    };
                    let cands: Vec<char> = pool.chars().filter(|c| *c != chars[k]).collect();
                    let mut new = chars.clone();
                    new[k] = cands[rng.usize(..cands.len())];
                    new.into_iter().collect()
                };
                out.push(SentenceEdit {
                    range: b.range(),
                    repl,
                    expect: None,
                });
            }
        }
        EType::Quote => {
            for c in p.quote.captures_iter(s) {
                let g = c.get(1).expect("quoted group");
                if g.as_str().split_whitespace().count() < 4 {
                    continue;
                }
                let words: Vec<regex::Match> = p
                    .long_word
                    .find_iter(g.as_str())
                    .chain(p.mid_word.find_iter(g.as_str()))
                    .collect();
                if words.is_empty() {
                    continue;
                }
                let w = words[rng.usize(..words.len())];
                let repl = QUOTE_WORDS
                    .iter()
                    .find(|q| **q != w.as_str())
                    .expect("a different word");
                out.push(SentenceEdit {
                    range: g.start() + w.start()..g.start() + w.end(),
                    repl: repl.to_string(),
                    expect: None,
                });
            }
        }
        EType::QuoteRemoved if p.quote.is_match(s) => {
            out.push(SentenceEdit {
                range: 0..s.len(),
                repl: String::new(),
                expect: None,
            });
        }
        EType::Negation => {
            for m in p.aux.find_iter(s) {
                let end = m.end();
                let rest = &s[end..];
                let next = rest.split_whitespace().next().unwrap_or("").to_lowercase();
                if ["not", "no", "never", "n't", "neither", "nor"].contains(&next.as_str()) {
                    continue;
                }
                // a fact later in the same clause: a digit, number word, month, weekday or
                // place before the next comma, semicolon or dash
                let clause_end = rest.find([',', ';', '—', '–']).map_or(s.len(), |k| end + k);
                let clause = &s[end..clause_end];
                let has_fact = clause.chars().any(|c| c.is_ascii_digit())
                    || p.number_word.is_match(clause)
                    || p.weekday.is_match(clause)
                    || p.month_day.is_match(clause)
                    || p.places.is_match(clause);
                if !has_fact {
                    continue;
                }
                // the claim negated: the first in the clause (expected kind)
                let expect = claims
                    .iter()
                    .filter(|c| {
                        EType::Negation.kinds().contains(&c.kind)
                            && !c.negated
                            && c.span.start >= end
                            && c.span.start < clause_end
                    })
                    .min_by_key(|c| c.span.start)
                    .map(|c| c.kind);
                out.push(SentenceEdit {
                    range: end..end,
                    repl: "not ".into(),
                    expect,
                });
            }
        }
        EType::Typo | EType::TypoInQuote => {
            for m in p.long_word.find_iter(s) {
                let w = m.as_str();
                if (t == EType::TypoInQuote) != in_quote(s, m.start())
                    || NUMBER_WORDS.contains(&w)
                    || !w.is_ascii()
                {
                    continue;
                }
                let b = w.as_bytes();
                // swap two different adjacent interior letters
                let ks: Vec<usize> = (1..b.len() - 2).filter(|&k| b[k] != b[k + 1]).collect();
                if ks.is_empty() {
                    continue;
                }
                let k = ks[rng.usize(..ks.len())];
                let mut nb = b.to_vec();
                nb.swap(k, k + 1);
                out.push(SentenceEdit {
                    range: m.range(),
                    repl: String::from_utf8(nb).expect("ascii"),
                    expect: None,
                });
            }
        }
        EType::Punctuation => {
            for (k, _) in s.match_indices(", ") {
                let repl = if rng.bool() { " " } else { " — " };
                out.push(SentenceEdit {
                    range: k..k + 2,
                    repl: repl.into(),
                    expect: None,
                });
            }
            for dash in [" — ", " – "] {
                for (k, _) in s.match_indices(dash) {
                    out.push(SentenceEdit {
                        range: k..k + dash.len(),
                        repl: ", ".into(),
                        expect: None,
                    });
                }
            }
        }
        EType::Synonym => {
            for (re, repl) in &p.synonyms {
                for c in re.captures_iter(s) {
                    let m = c.get(0).expect("match");
                    // words inside a quote are the quote: changing them is a fact edit
                    if in_quote(s, m.start()) {
                        continue;
                    }
                    let mut r = String::new();
                    c.expand(repl, &mut r);
                    out.push(SentenceEdit {
                        range: m.range(),
                        repl: r,
                        expect: None,
                    });
                }
            }
        }
        _ => {}
    }
    out
}

/// Every candidate edit of type `t` in a document.
fn candidates(
    t: EType,
    doc: &Doc,
    orig: &DocClaims,
    sents: &[Sentence],
    p: &Pats,
    rng: &mut Rng,
) -> Vec<Edit> {
    let paras = &doc.article.paragraphs;
    let text = doc.article.text();
    let mut out = Vec::new();
    match t {
        EType::QuoteGlyphs => {
            for (k, para) in paras.iter().enumerate() {
                if !para.contains(['"', '\'', '“', '”', '’']) {
                    continue;
                }
                let mut open = true;
                let new: String = para
                    .chars()
                    .map(|c| match c {
                        '"' => {
                            open = !open;
                            if open { '”' } else { '“' }
                        }
                        '\'' => '’',
                        '“' | '”' => '"',
                        '’' => '\'',
                        c => c,
                    })
                    .collect();
                out.push(Edit {
                    change: Change::Paragraph { para: k, new },
                    recognised: true,
                    expect: None,
                    alt: None,
                    desc: "straight ↔ curly quotes in a paragraph".into(),
                });
            }
        }
        EType::Whitespace => {
            for (k, para) in paras.iter().enumerate() {
                let spaces: Vec<usize> = para.match_indices(' ').map(|(i, _)| i).collect();
                if spaces.is_empty() {
                    continue;
                }
                let at = spaces[rng.usize(..spaces.len())];
                let new = format!(" {}  {} ", &para[..at], &para[at + 1..]);
                out.push(Edit {
                    change: Change::Paragraph { para: k, new },
                    recognised: true,
                    expect: None,
                    alt: None,
                    desc: "double space, padding".into(),
                });
            }
        }
        EType::ResplitSplit => {
            for w in sents.windows(2) {
                if w[0].para != w[1].para {
                    continue;
                }
                let para = &paras[w[1].para];
                let Some(start) = para.find(w[0].text.as_str()) else {
                    continue;
                };
                let Some(at) = para[start..]
                    .find(w[1].text.as_str())
                    .map(|k| start + k)
                    .filter(|&k| k > 0)
                else {
                    continue;
                };
                out.push(Edit {
                    change: Change::Split {
                        para: w[1].para,
                        at,
                    },
                    recognised: true,
                    expect: None,
                    alt: None,
                    desc: format!("paragraph split before \"{}\"", short(&w[1].text)),
                });
            }
        }
        EType::ResplitMerge | EType::Reorder => {
            for k in 0..paras.len().saturating_sub(1) {
                let ends = paras[k]
                    .trim_end()
                    .ends_with(['.', '!', '?', '"', '”', ')']);
                if paras[k].split_whitespace().count() < 5
                    || paras[k + 1].split_whitespace().count() < 5
                    || (t == EType::ResplitMerge && !ends)
                {
                    continue;
                }
                let (change, desc) = if t == EType::ResplitMerge {
                    (Change::Merge { para: k }, "two paragraphs merged")
                } else {
                    (Change::Swap { para: k }, "two paragraphs swapped")
                };
                out.push(Edit {
                    change,
                    recognised: true,
                    expect: None,
                    alt: None,
                    desc: desc.into(),
                });
            }
        }
        _ => {
            for (i, sent) in sents.iter().enumerate() {
                let s = sent.text.as_str();
                let claims: Vec<&Claim> = orig.claims.iter().filter(|c| c.sentence == i).collect();
                for e in sentence_edits(t, s, &claims, &text, p, rng) {
                    let removal = t == EType::QuoteRemoved;
                    let new = format!("{}{}{}", &s[..e.range.start], e.repl, &s[e.range.end..]);
                    let expect = if t == EType::Negation {
                        e.expect
                    } else if t == EType::QuoteRemoved {
                        claims
                            .iter()
                            .any(|c| c.kind == Kind::Quote)
                            .then_some(Kind::Quote)
                    } else if t.is_fact() {
                        claim_at(&claims, &e.range, t.kinds())
                    } else {
                        None
                    };
                    let desc = if removal {
                        "sentence with a quote removed".to_string()
                    } else if e.range.is_empty() {
                        format!("inserted \"{}\"", e.repl.trim())
                    } else {
                        format!("\"{}\" → \"{}\"", &s[e.range.clone()], e.repl)
                    };
                    out.push(Edit {
                        change: Change::Sentence {
                            para: sent.para,
                            old: s.to_string(),
                            new: (!removal).then_some(new),
                        },
                        recognised: !t.is_fact() || expect.is_some(),
                        expect,
                        alt: (t.is_fact()
                            && in_quote(s, e.range.start)
                            && claims.iter().any(|c| c.kind == Kind::Quote))
                        .then_some(Kind::Quote),
                        desc,
                    });
                }
            }
        }
    }
    out
}

/// The original article with one edit applied (`None` when the edit cannot be placed).
fn apply(article: &Article, change: &Change) -> Option<Article> {
    let mut a = article.clone();
    let paras = &mut a.paragraphs;
    match change {
        Change::Sentence { para, old, new } => {
            let p = paras.get(*para)?;
            let k = p.find(old.as_str())?;
            let rest = &p[k + old.len()..];
            let replaced = match new {
                Some(n) => format!("{}{n}{rest}", &p[..k]),
                None => format!("{} {}", p[..k].trim_end(), rest.trim_start())
                    .trim()
                    .to_string(),
            };
            if replaced.is_empty() {
                paras.remove(*para);
            } else {
                paras[*para] = replaced;
            }
        }
        Change::Paragraph { para, new } => *paras.get_mut(*para)? = new.clone(),
        Change::Split { para, at } => {
            let p = paras.get(*para)?.clone();
            let (x, y) = p.split_at(*at);
            paras[*para] = x.trim_end().to_string();
            paras.insert(para + 1, y.trim_start().to_string());
        }
        Change::Merge { para } => {
            let next = paras.remove(para + 1);
            let p = paras.get_mut(*para)?;
            p.push(' ');
            p.push_str(&next);
        }
        Change::Swap { para } => paras.swap(*para, para + 1),
    }
    Some(a)
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

/// Whether a reported sentence is the edited one (equal, or one contains the other when the
/// sentence splitter cut the edited text differently).
fn same_sentence(reported: Option<&str>, edited: Option<&str>) -> bool {
    match (reported, edited) {
        (Some(r), Some(e)) => {
            r == e || (r.len() >= 20 && e.len() >= 20 && (r.contains(e) || e.contains(r)))
        }
        _ => false,
    }
}

/// Whether a reported change is about the edited sentence.
fn touches(c: &FactChange, change: &Change) -> bool {
    match change {
        Change::Sentence { old, new, .. } => {
            same_sentence(c.sentence_before.as_deref(), Some(old))
                || same_sentence(c.sentence_after.as_deref(), new.as_deref())
        }
        _ => false,
    }
}

/// Whether a reported change's text holds the edited sentence: a quote that starts in an
/// earlier sentence and runs through the edited one.
fn quotes_edit(c: &FactChange, change: &Change) -> bool {
    let Change::Sentence { old, new, .. } = change else {
        return false;
    };
    let inner = |s: &str| s.trim_matches(['"', '“', '”', ' ']).to_string();
    let holds = |side: &Option<factdiff::compare::FactSide>, s: &str| {
        let s = inner(s);
        s.len() >= 20 && side.as_ref().is_some_and(|x| x.text.contains(&s))
    };
    holds(&c.before, old) || new.as_deref().is_some_and(|n| holds(&c.after, n))
}

#[derive(Default, Clone)]
struct Stats {
    /// Articles where the type had no target at all.
    no_target: usize,
    /// Targets found in the text, and those a recogniser had a claim of the right kind for.
    targets: usize,
    recognised: usize,
    /// Variants evaluated (recognised targets only, for fact edits).
    variants: usize,
    /// Fact edits: variants with a matching reported change.
    hits: usize,
    /// Fact edits: reported changes, those that match the edit (sentence or kind), and those
    /// in the edited sentence.
    reported: usize,
    correct: usize,
    correct_strict: usize,
    /// Meaning-preserving edits: variants with at least one reported change.
    alarms: usize,
    /// Edits whose sentence could not be found in its paragraph.
    unplaced: usize,
    /// Variants where extracting the claims panicked.
    panics: usize,
}

/// One example for the report.
struct Example {
    etype: EType,
    doc: String,
    desc: String,
    sentence: String,
    reported: Vec<String>,
}

impl Example {
    fn render(&self) -> String {
        let rep = if self.reported.is_empty() {
            "nothing".to_string()
        } else {
            self.reported.join("; ")
        };
        format!(
            "- **{}** ({}) {} in \"{}\" — reported: {}",
            self.etype.name(),
            self.doc,
            self.desc,
            short_n(&self.sentence, 160),
            short_n(&rep, 400)
        )
    }
}

fn short_n(s: &str, n: usize) -> String {
    let mut t: String = s.chars().take(n).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

fn describe(c: &FactChange) -> String {
    format!("[{}] {}", c.kind, c.describe())
}

/// Stable per-article, per-type seed (FNV-1a).
fn seed(name: &str, t: EType) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(t.name().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "–".into()
    } else {
        format!("{:.3}", n as f64 / d as f64)
    }
}

/// Panic messages from the code under test (the last one, taken by [`claims`]).
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// `extract_claims`, with a panic caught and returned as its message (a crash is a result to
/// report, not a reason to stop the benchmark).
fn claims(a: &Article, published: Option<DateTime<FixedOffset>>) -> Result<DocClaims, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_claims(a, published)
    }))
    .map_err(|_| {
        LAST_PANIC
            .lock()
            .ok()
            .and_then(|mut g| g.take())
            .unwrap_or_else(|| "panic".into())
    })
}

// ---------------------------------------------------------------------------------------------
// Speed
// ---------------------------------------------------------------------------------------------

/// Median time (ms) of claims for both versions plus the fact diff.
fn time_pair(
    old: &Article,
    new: &Article,
    published: Option<DateTime<FixedOffset>>,
    n: usize,
) -> f64 {
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let start = Instant::now();
            let (Ok(a), Ok(b)) = (claims(old, published), claims(new, published)) else {
                return f64::NAN;
            };
            let c = fact_changes(&a, &b);
            std::hint::black_box(&c);
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// A 1,000-word article made of the corpus's first paragraphs (cut at exactly 1,000 words).
fn thousand_words(docs: &[Doc]) -> Article {
    let mut paras = Vec::new();
    let mut words = 0;
    'outer: for d in docs {
        for p in &d.article.paragraphs {
            let w: Vec<&str> = p.split_whitespace().collect();
            if words + w.len() >= 1000 {
                paras.push(w[..1000 - words].join(" "));
                break 'outer;
            }
            words += w.len();
            paras.push(p.clone());
        }
    }
    Article {
        headline: Some("Benchmark article".into()),
        paragraphs: paras,
        lang: Some("en".into()),
        ..Article::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

/// Which recognisers return anything yet (the others are still stubs).
fn recogniser_status() -> String {
    use factdiff::claims::{DateContext, dates, entities, numbers, quotes};
    let ctx = DateContext {
        published: noon(NaiveDate::from_ymd_opt(2026, 1, 2).expect("date")),
    };
    let s = |b: bool| if b { "merged" } else { "STUB" };
    let sents = vec![
        "\"We will rebuild the bridge quickly,\" Mayor Ann Lee said in Paris.".to_string(),
        "President Volodymyr Zelensky met 27 leaders on Tuesday, January 6.".to_string(),
    ];
    format!(
        "numbers: {}, dates: {}, quotes: {}, people: {}, places: {}",
        s(!numbers::find_numbers(&sents[1]).is_empty()),
        s(!dates::find_dates(&sents[1], Some(&ctx)).is_empty()),
        s(!quotes::find_quotes(&sents).is_empty()),
        s(!entities::find_people(&sents).is_empty()),
        s(!entities::find_places(&sents[0]).is_empty()),
    )
}

fn main() {
    let settings = Settings::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if !root.join("seeds").is_dir() && !root.join("extraction").is_dir() {
        println!(
            "facts bench: fixtures not found at {} — nothing to do",
            root.display()
        );
        return;
    }
    let p = Pats::new();
    let t0 = Instant::now();
    let docs = load_corpus(&root, settings.cap);
    let load_secs = t0.elapsed().as_secs_f64();
    let status = recogniser_status();
    let total_words: usize = docs.iter().map(|d| d.words).sum();

    let mut stats: BTreeMap<EType, Stats> = BTreeMap::new();
    let mut misses: Vec<Example> = Vec::new();
    let mut alarms: Vec<Example> = Vec::new();
    let mut strays: Vec<Example> = Vec::new();
    let mut speed: Vec<f64> = Vec::new();

    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut g) = LAST_PANIC.lock() {
            *g = Some(info.to_string());
        }
    }));
    let mut panics: Vec<String> = Vec::new();
    let mut panicked_docs = 0usize;

    for doc in &docs {
        let orig = match claims(&doc.article, doc.published) {
            Ok(c) => c,
            Err(msg) => {
                panicked_docs += 1;
                panics.push(format!("{}: {msg}", doc.name));
                continue;
            }
        };
        let sents = split_sentences_lang(&doc.article.paragraphs, doc.article.lang.as_deref());
        let mut timed_variant: Option<Article> = None;
        for t in ALL_TYPES {
            let st = stats.entry(t).or_default();
            let mut rng = Rng::with_seed(seed(&doc.name, t));
            let cands = candidates(t, doc, &orig, &sents, &p, &mut rng);
            if cands.is_empty() {
                st.no_target += 1;
                continue;
            }
            st.targets += cands.len();
            let mut usable: Vec<Edit> = cands.into_iter().filter(|e| e.recognised).collect();
            st.recognised += usable.len();
            rng.shuffle(&mut usable);
            let mut taken = 0;
            for e in usable {
                if taken == settings.per_type {
                    break;
                }
                let Some(variant) = apply(&doc.article, &e.change) else {
                    st.unplaced += 1;
                    continue;
                };
                taken += 1;
                st.variants += 1;
                let new = match claims(&variant, doc.published) {
                    Ok(c) => c,
                    Err(msg) => {
                        st.panics += 1;
                        panics.push(format!("{} ({}): {msg}", doc.name, t.name()));
                        continue;
                    }
                };
                let changes = fact_changes(&orig, &new);
                let sentence = match &e.change {
                    Change::Sentence { old, .. } => old.clone(),
                    _ => String::new(),
                };
                let example = |reported: Vec<String>| Example {
                    etype: t,
                    doc: doc.name.clone(),
                    desc: e.desc.clone(),
                    sentence: sentence.clone(),
                    reported,
                };
                if t.is_fact() {
                    if timed_variant.is_none() {
                        timed_variant = Some(variant.clone());
                    }
                    let expect = e.expect.map(Kind::as_str);
                    let alt = e.alt.map(Kind::as_str);
                    let kind_ok = |c: &FactChange| [expect, alt].contains(&Some(c.kind.as_str()));
                    let hit = changes.iter().any(|c| touches(c, &e.change) && kind_ok(c));
                    st.hits += usize::from(hit);
                    st.reported += changes.len();
                    for c in &changes {
                        let on_sentence = touches(c, &e.change);
                        st.correct_strict += usize::from(on_sentence);
                        if on_sentence || kind_ok(c) || quotes_edit(c, &e.change) {
                            st.correct += 1;
                        } else {
                            strays.push(example(vec![describe(c)]));
                        }
                    }
                    if !hit {
                        misses.push(example(changes.iter().map(describe).collect()));
                    }
                } else if !changes.is_empty() {
                    st.alarms += 1;
                    alarms.push(example(changes.iter().map(describe).collect()));
                }
            }
        }
        // speed: the original against a fact-edited version of itself
        let new = timed_variant.unwrap_or_else(|| doc.article.clone());
        let ms = time_pair(&doc.article, &new, doc.published, settings.repeats);
        if ms.is_finite() {
            speed.push(ms * 1000.0 / doc.words.max(1) as f64);
        }
    }

    let synthetic = thousand_words(&docs);
    let mut synthetic_new = synthetic.clone();
    if let Some(p0) = synthetic_new.paragraphs.first_mut() {
        p0.push_str(" Officials said 52 people were injured on Tuesday.");
    }
    let synthetic_ms = time_pair(&synthetic, &synthetic_new, None, 21);

    let report = render(
        &settings,
        &docs,
        total_words,
        load_secs,
        &status,
        &stats,
        &misses,
        &alarms,
        &strays,
        &speed,
        synthetic_ms,
    );
    let mut report = report;
    let variant_panics: usize = stats.values().map(|s| s.panics).sum();
    let _ = writeln!(
        report,
        "## Panics\n\n{panicked_docs} article(s) and {variant_panics} variant(s) panicked in extract_claims (left out above).\n"
    );
    for m in panics.iter().take(5) {
        let _ = writeln!(report, "- {}", short_n(m, 300));
    }
    println!("{report}");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out_dir = target.join("bench-facts");
    if std::fs::create_dir_all(&out_dir).is_ok()
        && std::fs::write(out_dir.join("results.md"), &report).is_ok()
    {
        eprintln!("written to {}", out_dir.join("results.md").display());
    }
}

/// The markdown report.
#[allow(clippy::too_many_arguments)]
fn render(
    settings: &Settings,
    docs: &[Doc],
    total_words: usize,
    load_secs: f64,
    status: &str,
    stats: &BTreeMap<EType, Stats>,
    misses: &[Example],
    alarms: &[Example],
    strays: &[Example],
    speed: &[f64],
    synthetic_ms: f64,
) -> String {
    let mut o = String::new();
    let count = |prefix: &str| docs.iter().filter(|d| d.name.starts_with(prefix)).count();
    let _ = writeln!(o, "# Fact-diff mutation benchmark\n");
    let _ = writeln!(
        o,
        "Corpus: {} articles ({} seeds, {} postlight, {} readability), {} words, loaded in {:.1} s; \
         {} variant(s) per edit type per article.  \nRecognisers: {status}\n",
        docs.len(),
        count("seeds/"),
        count("postlight/"),
        count("readability/"),
        total_words,
        load_secs,
        settings.per_type,
    );

    // fact edits
    let _ = writeln!(o, "## Fact edits (must be reported)\n");
    let _ = writeln!(
        o,
        "| edit | no target (articles) | targets | recognised | coverage | variants | found | recall | reported | correct | precision | same-sentence precision |"
    );
    let _ = writeln!(o, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    let mut tot = Stats::default();
    for (t, s) in stats.iter().filter(|(t, _)| t.is_fact()) {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            t.name(),
            s.no_target,
            s.targets,
            s.recognised,
            pct(s.recognised, s.targets),
            s.variants,
            s.hits,
            pct(s.hits, s.variants),
            s.reported,
            s.correct,
            pct(s.correct, s.reported),
            pct(s.correct_strict, s.reported),
        );
        tot.targets += s.targets;
        tot.recognised += s.recognised;
        tot.variants += s.variants;
        tot.hits += s.hits;
        tot.reported += s.reported;
        tot.correct += s.correct;
        tot.correct_strict += s.correct_strict;
    }
    let _ = writeln!(
        o,
        "| **total** | | {} | {} | {} | {} | {} | **{}** | {} | {} | **{}** | {} |\n",
        tot.targets,
        tot.recognised,
        pct(tot.recognised, tot.targets),
        tot.variants,
        tot.hits,
        pct(tot.hits, tot.variants),
        tot.reported,
        tot.correct,
        pct(tot.correct, tot.reported),
        pct(tot.correct_strict, tot.reported),
    );
    let _ = writeln!(
        o,
        "*targets*: places in the text where the edit applies; *recognised*: targets where the \
         original already had a claim of that kind (only those are edited and counted); *found*: \
         variants with a reported change of the right kind (or a quote change, for an edit \
         inside a quote) in the edited sentence; *correct*: \
         reported changes in the edited sentence, of the edited kind, or a quote running through the edited sentence; *same-sentence precision* counts only the first.\n"
    );

    // meaning-preserving edits
    let _ = writeln!(o, "## Meaning-preserving edits (must report nothing)\n");
    let _ = writeln!(
        o,
        "| edit | no target (articles) | targets | variants | with a change | false alarms / 100 |"
    );
    let _ = writeln!(o, "|---|--:|--:|--:|--:|--:|");
    let (mut pv, mut pa) = (0, 0);
    for (t, s) in stats.iter().filter(|(t, _)| !t.is_fact()) {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {:.1} |",
            t.name(),
            s.no_target,
            s.targets,
            s.variants,
            s.alarms,
            per100(s.alarms, s.variants),
        );
        pv += s.variants;
        pa += s.alarms;
    }
    let _ = writeln!(
        o,
        "| **total** | | | {pv} | {pa} | **{:.1}** |\n",
        per100(pa, pv)
    );

    // speed
    let med = quantile(speed, 0.5);
    let p90 = quantile(speed, 0.9);
    let _ = writeln!(o, "## Speed (one thread)\n");
    let _ = writeln!(
        o,
        "claims(old) + claims(new) + fact_changes, median of {} runs per article, per 1,000 words.\n",
        settings.repeats
    );
    let _ = writeln!(o, "| measure | ms |\n|---|--:|");
    let _ = writeln!(
        o,
        "| median per 1,000 words ({} articles) | {med:.2} |",
        speed.len()
    );
    let _ = writeln!(o, "| p90 per 1,000 words | {p90:.2} |");
    let _ = writeln!(
        o,
        "| 1,000-word article (median of 21) | {synthetic_ms:.2} |\n"
    );

    // targets
    let recall = ratio(tot.hits, tot.variants);
    let precision = ratio(tot.correct, tot.reported);
    let fa = per100(pa, pv);
    let ok = |b: bool| if b { "yes" } else { "**no**" };
    let _ = writeln!(o, "## Targets\n");
    let _ = writeln!(o, "| metric | value | target | met |\n|---|--:|--:|---|");
    let _ = writeln!(
        o,
        "| recall (fact edits) | {} | ≥ 0.85 | {} |",
        pct(tot.hits, tot.variants),
        ok(recall >= 0.85)
    );
    let _ = writeln!(
        o,
        "| precision (reported changes) | {} | ≥ 0.95 | {} |",
        pct(tot.correct, tot.reported),
        ok(tot.reported > 0 && precision >= 0.95)
    );
    let _ = writeln!(
        o,
        "| false alarms / 100 meaning-preserving edits | {fa:.1} | ≤ 1 | {} |",
        ok(fa <= 1.0)
    );
    let _ = writeln!(
        o,
        "| ms per 1,000 words (median) | {med:.2} | < 20 | {} |\n",
        ok(med < 20.0)
    );

    // examples
    let pick = |v: &[Example], n: usize| -> Vec<String> {
        // spread over edit types: at most 2 per type first
        let mut per: BTreeMap<EType, usize> = BTreeMap::new();
        v.iter()
            .filter(|e| {
                let k = per.entry(e.etype).or_default();
                *k += 1;
                *k <= 2
            })
            .take(n)
            .map(Example::render)
            .collect()
    };
    for (title, v, n) in [
        ("Missed fact edits", misses, 16),
        ("False alarms on meaning-preserving edits", alarms, 16),
        ("Reported changes unrelated to the fact edit", strays, 8),
    ] {
        let _ = writeln!(o, "## {title} ({} in all; examples)\n", v.len());
        for line in pick(v, n) {
            let _ = writeln!(o, "{line}");
        }
        let _ = writeln!(o);
    }
    o
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

fn per100(n: usize, d: usize) -> f64 {
    100.0 * ratio(n, d)
}
