//! Date mentions in one sentence, resolved against the publication date (`docs/CLAIMS.md`,
//! "Values" → Dates). Pure: no I/O, no allocation beyond the tokens and the result.
//!
//! What is recognised (case-insensitive, a weekday in front of any explicit form is kept in
//! the span and used to pick the year):
//! - explicit dates: "January 3rd", "Jan. 3", "3 January 2026", "the 3rd of January",
//!   "Tuesday, January 6", "Monday 5 Jan", "2026-01-06", "06/01/2026", "6.1.2026";
//! - a day alone: "on the 5th" (publication month, nearest), "Monday 21", "Wed 13th";
//!   a second day after a date: "January 6th and 7th";
//! - relative days: "yesterday", "today", "tonight", "last night", "this morning",
//!   "tomorrow", "the day before yesterday", "the day after tomorrow", "two days ago",
//!   "a week ago", "three months ago";
//! - weekdays: "Monday", "on Monday", "Monday's meeting", "this Friday", "next Tuesday",
//!   "last Monday", "coming Thursday";
//! - weeks and weekends: "last week", "this week", "next week" (date = the Monday of that
//!   week, low confidence), "the weekend", "this weekend", "last weekend" (date = the Saturday);
//! - times, attached to the date they follow or precede ("Tuesday at 10am",
//!   "9:30 p.m. ET on Monday"), else to the only date of the sentence; a time with no date in
//!   the sentence is a mention with `date: None`. Time zones are not converted.
//!
//! Not reported: a bare year ("in 2025": context, not a date), a month alone or with a year
//! ("in January", "January 2026": a period), durations ("for three days": numbers), "in two
//! weeks", holidays, date ranges.
//!
//! Year choice: a month-day without a year takes the year that puts it nearest the
//! publication date ("December 28" on 2 Jan 2026 → 2025-12-28), preferring a year whose
//! weekday matches when one is written. Weekdays: the publication weekday is that day unless
//! "next"/"last"; otherwise the tense cues of the clause (see [`cues`]) pick the next or the
//! previous occurrence; with no cue, `date` is the nearer one and `alt` the other.
//! Ambiguous numeric dates (both parts ≤ 12) are read month/day (US) with the day/month
//! reading as `alt`, at low confidence.

mod cues;
pub(crate) mod lex;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};

use self::cues::{Tense, event_for, find_cues, tense_for};
use self::lex::{Tok, TokKind, tokenize};
use super::{DateContext, DateMention};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    None,
    Next,
    Last,
    This,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum What {
    Full(NaiveDate),
    /// A month and day without a year.
    MonthDay {
        month: u32,
        day: u32,
        wd: Option<Weekday>,
    },
    /// A day of an unnamed month ("on the 5th", "Monday 21").
    Day {
        day: u32,
        wd: Option<Weekday>,
    },
    /// Two numbers that are month/day (or day/month).
    Numeric {
        a: u32,
        b: u32,
        year: Option<i32>,
    },
    /// Days from the publication date.
    Offset(i64),
    /// Months from the publication date ("three months ago").
    MonthOffset(i32),
    Weekday {
        wd: Weekday,
        m: Modifier,
    },
    /// The Monday of the week `n` weeks from the publication week.
    Week(i64),
    Weekend(Modifier),
    /// A time with no date.
    TimeOnly,
    /// Days from the day the narrative last named ("the next day", "later that day", "two
    /// days earlier"): resolved only against such a day (see [`find_dates_after`]).
    Anchored(i64),
}

impl What {
    /// Names one day (not a week, a weekend, a month or a time alone).
    fn is_day(&self) -> bool {
        !matches!(
            self,
            What::Week(_) | What::Weekend(_) | What::MonthOffset(_) | What::TimeOnly
        )
    }
}

#[derive(Debug, Clone)]
struct Cand {
    a: usize,
    b: usize,
    what: What,
    conf: f32,
    possessive: bool,
    time: Option<NaiveTime>,
}

/// Every date mention in `sentence`, in order and non-overlapping, resolved against the
/// publication date when `ctx` is given (without it only dates with a written year resolve).
pub fn find_dates(sentence: &str, ctx: Option<&DateContext>) -> Vec<DateMention> {
    find_dates_after(sentence, ctx, None)
}

/// [`find_dates`], with `anchor` the day the text last named before this sentence (see
/// [`narrative_anchor`]): "the next day", "later that day", "two days earlier" resolve against
/// the nearest day named before them in the sentence, else against `anchor`; with neither they
/// are not reported (a day counted from an unknown day is no date).
pub fn find_dates_after(
    sentence: &str,
    ctx: Option<&DateContext>,
    anchor: Option<NaiveDate>,
) -> Vec<DateMention> {
    if !sentence.bytes().any(|c| c.is_ascii_digit()) && !has_date_word(sentence) {
        return Vec::new();
    }
    let t = tokenize(sentence);
    let mut cands = scan(&t);
    attach_times(&t, &mut cands);
    if cands.is_empty() {
        return Vec::new();
    }
    let cues = find_cues(&t);
    let spans: Vec<(usize, usize)> = cands.iter().map(|c| (c.a, c.b)).collect();
    let pub_date = ctx.map(|c| c.published.date_naive());
    let mut last_day = anchor;
    // the token after the day `last_day` was named at (0: named before this sentence)
    let mut since = 0;
    let in_cand = |i: usize| spans.iter().any(|&(a, b)| (a..b).contains(&i));
    let mut out = Vec::with_capacity(cands.len());
    for (k, c) in cands.iter().enumerate() {
        let (date, alt, conf) = match c.what {
            What::Anchored(n) => {
                let moved = (since..c.a).any(|i| !in_cand(i) && coarse_at(&t, i));
                match last_day {
                    Some(a) if !moved => (add_days(a, n), None, c.conf),
                    _ => continue,
                }
            }
            _ => {
                let tense = tense_for(&t, &cues, c.a, c.b);
                resolve(&c.what, pub_date, tense, c.conf)
            }
        };
        if c.what.is_day() && alt.is_none() && date.is_some() {
            last_day = date;
            since = c.b;
        }
        let others: Vec<(usize, usize)> = spans
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, s)| *s)
            .collect();
        let event = event_for(&t, c.a, c.b, c.possessive, &others);
        let span = t[c.a].s..t[c.b - 1].e;
        out.push(DateMention {
            text: sentence[span.clone()].to_string(),
            span,
            date,
            alt,
            time: c.time,
            confidence: conf,
            event,
        });
    }
    out
}

/// The day a narrative names last by the end of `sentence` (whose mentions are `found`),
/// given the one before it (`prev`): the last mention naming one day; none when the sentence,
/// after that, moves to a coarser time ("in 2005", "in March", "last year": "the next day"
/// after it has no day to count from).
pub fn narrative_anchor(
    sentence: &str,
    found: &[DateMention],
    prev: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let t = tokenize(sentence);
    let day = found
        .iter()
        .rev()
        .find(|m| m.date.is_some() && m.alt.is_none() && m.confidence >= 0.5);
    let from = day.map_or(0, |m| m.span.end);
    let inside = |at: usize| found.iter().any(|m| m.span.contains(&at));
    let coarse = (0..t.len()).any(|i| t[i].s >= from && !inside(t[i].s) && coarse_at(&t, i));
    if coarse {
        return None;
    }
    day.and_then(|m| m.date).or(prev)
}

/// A time coarser than a day at token `i`: a year ("in 2005"), a month ("in March"), "last
/// year", "that month".
fn coarse_at(t: &[Tok], i: usize) -> bool {
    let x = &t[i];
    let year = x.digits() == 4 && x.num().is_some_and(|n| (1900..=2100).contains(&n));
    let month = x.cap && lex::month(&x.low).is_some() && x.low.len() > 3;
    let period = matches!(x.low.as_str(), "month" | "year")
        && matches!(
            alpha(t, i.wrapping_sub(1)),
            "last" | "this" | "next" | "that"
        );
    year || month || period
}

/// Cheap pre-filter: any word that can start a mention without digits.
fn has_date_word(s: &str) -> bool {
    const KEYS: [&str; 14] = [
        "day",
        "omorrow", // Tomorrow
        "onight",  // Tonight
        "week",
        "ago",
        "night",
        "morning",
        "afternoon",
        "evening",
        "noon",
        "midnight",
        "DAY",
        "Day",
        "eek", // Week
    ];
    KEYS.iter().any(|k| s.contains(k))
}

// ---------------------------------------------------------------------------------------
// recognition

fn scan(t: &[Tok]) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if let Some(c) = explicit(t, i)
            .or_else(|| numeric(t, i, false))
            .or_else(|| relative(t, i))
            .or_else(|| weekday(t, i))
            .or_else(|| day_alone(t, i, out.last()))
        {
            i = c.b;
            out.push(c);
        } else {
            i += 1;
        }
    }
    out
}

fn cand(a: usize, b: usize, what: What, conf: f32) -> Cand {
    Cand {
        a,
        b,
        what,
        conf,
        possessive: false,
        time: None,
    }
}

fn alpha(t: &[Tok], i: usize) -> &str {
    match t.get(i) {
        Some(x) if x.kind == TokKind::Alpha => &x.low,
        _ => "",
    }
}

/// A day number at `i` (1–31, one or two digits) with an optional glued ordinal suffix;
/// returns (day, next index).
fn day_at(t: &[Tok], i: usize) -> Option<(u32, usize)> {
    let tok = t.get(i)?;
    if tok.digits() == 0 || tok.digits() > 2 {
        return None;
    }
    let d = tok.num()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let mut j = i + 1;
    if let Some(n) = t.get(j)
        && n.kind == TokKind::Alpha
        && !n.gap
    {
        if lex::ordinal_suffix(&n.low) {
            j += 1;
        } else {
            return None; // "10am", "5km"
        }
    }
    // not part of a bigger number or a time: "3,000", "3.5", "9:30", "3%"
    if let Some(n) = t.get(j)
        && !n.gap
        && matches!(n.kind, TokKind::Punct(',' | '.' | ':' | '%' | '/' | '-'))
        && t.get(j + 1)
            .is_some_and(|m| m.kind == TokKind::Digit && !m.gap)
    {
        return None;
    }
    if t.get(j).is_some_and(|n| n.is_punct('%')) {
        return None;
    }
    Some((d, j))
}

/// A four-digit year (1000–2999) at `i`, optionally after a comma; returns (year, next).
fn year_at(t: &[Tok], i: usize) -> Option<(i32, usize)> {
    let mut j = i;
    if t.get(j).is_some_and(|x| x.is_punct(',')) {
        j += 1;
    }
    let tok = t.get(j)?;
    if tok.digits() != 4 {
        return None;
    }
    let y = tok.num()? as i32;
    if !(1000..3000).contains(&y) {
        return None;
    }
    // "2026," fine; "2026-27", "2,026" no
    if let Some(n) = t.get(j + 1)
        && !n.gap
        && matches!(n.kind, TokKind::Punct(',' | '.' | '-' | '/'))
        && t.get(j + 2)
            .is_some_and(|m| m.kind == TokKind::Digit && !m.gap)
    {
        return None;
    }
    Some((y, j + 1))
}

/// A month name at `i` with an optional abbreviation dot; returns (month, next).
fn month_at(t: &[Tok], i: usize) -> Option<(u32, usize)> {
    let tok = t.get(i)?;
    if tok.kind != TokKind::Alpha {
        return None;
    }
    let m = lex::month(&tok.low)?;
    let mut j = i + 1;
    if tok.low.len() <= 4 && t.get(j).is_some_and(|x| x.is_punct('.') && !x.gap) {
        j += 1;
    }
    Some((m, j))
}

/// Explicit dates, with an optional weekday in front.
fn explicit(t: &[Tok], i: usize) -> Option<Cand> {
    let mut j = i;
    let mut wd = None;
    // "this Friday 5/12", "next Friday (Jun 15)" keep the modifier; the written date decides
    let k = usize::from(
        matches!(alpha(t, i), "this" | "next" | "last" | "coming")
            && lex::weekday_full(alpha(t, i + 1)).is_some(),
    );
    if let Some(w) = lex::weekday_any(alpha(t, i + k)) {
        j = i + k + 1;
        if t.get(j).is_some_and(|x| x.is_punct('.')) && t[i + k].low.len() <= 4 {
            j += 1;
        }
        if t.get(j).is_some_and(|x| x.is_punct(',')) {
            j += 1;
        }
        if t.get(j).is_some_and(|x| x.is("the")) && day_at(t, j + 1).is_some() {
            j += 1;
        }
        wd = Some(w);
    }
    let r = month_day(t, j)
        .or_else(|| day_month(t, j))
        .or_else(|| iso(t, j))
        .or_else(|| {
            if wd.is_some() {
                numeric(t, j, true)
            } else {
                None
            }
        });
    match r {
        Some(mut c) => {
            if wd.is_some() {
                c.a = i;
                match &mut c.what {
                    What::MonthDay { wd: w, .. } => *w = wd,
                    What::Full(d) if Some(d.weekday()) != wd => c.conf -= 0.2,
                    _ => {}
                }
            }
            Some(c)
        }
        None if wd.is_some() => {
            // "Monday 21", "Wed 13th", "Monday the 5th"
            let w = wd?;
            let (d, k) = day_at(t, j)?;
            // "Monday 5 people": a day number must not be followed by a noun
            if let Some(n) = t.get(k)
                && n.kind == TokKind::Alpha
                && !is_function_word(&n.low)
            {
                return None;
            }
            Some(cand(
                i,
                k,
                What::Day {
                    day: d,
                    wd: Some(w),
                },
                0.7,
            ))
        }
        None => None,
    }
}

/// "January 3rd", "Jan. 3, 2026", "October, 1st", "Oct-2".
fn month_day(t: &[Tok], i: usize) -> Option<Cand> {
    let (m, mut j) = month_at(t, i)?;
    if t.get(j).is_some_and(|x| {
        x.is_punct(',')
            || ((x.is_punct('-') || x.is_punct('/')) && !x.gap && t[j - 1].low.len() <= 4)
    }) {
        j += 1;
    }
    let (d, mut k) = day_at(t, j)?;
    // "May 5 people" is unlikely, but "March 3 miles" etc.: reject a following counted noun
    if let Some(n) = t.get(k)
        && n.kind == TokKind::Alpha
        && matches!(
            n.low.as_str(),
            "percent" | "per" | "people" | "times" | "points" | "km" | "miles"
        )
    {
        return None;
    }
    if lex::month(&t[i].low) == Some(5) && t[i].low == "may" && !t[i].cap && t[j].low.len() == 1 {
        // "may 5" in lower case is probably the modal with a number
        return None;
    }
    let mut year = None;
    if let Some((y, n)) = year_at(t, k) {
        year = Some(y);
        k = n;
    } else if let Some(n) = t.get(k)
        && (n.is("of") || n.is("in"))
        && let Some((y, n2)) = year_at(t, k + 1)
    {
        year = Some(y);
        k = n2;
    }
    Some(full_or_md(i, k, m, d, year))
}

fn full_or_md(a: usize, b: usize, m: u32, d: u32, year: Option<i32>) -> Cand {
    match year {
        Some(y) => match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => cand(a, b, What::Full(date), 0.95),
            None => cand(
                a,
                b,
                What::MonthDay {
                    month: m,
                    day: d,
                    wd: None,
                },
                0.3,
            ),
        },
        None => cand(
            a,
            b,
            What::MonthDay {
                month: m,
                day: d,
                wd: None,
            },
            0.85,
        ),
    }
}

/// "3 January 2026", "3 Jan", "04th Jan 2019", "the 3rd of January".
fn day_month(t: &[Tok], i: usize) -> Option<Cand> {
    let mut j = i;
    if t.get(j).is_some_and(|x| x.is("the")) {
        j += 1;
    }
    // "$12 December 27": the 12 is money
    if j > 0 && matches!(t[j - 1].kind, TokKind::Punct('$' | '€' | '£' | '¥')) {
        return None;
    }
    let (d, mut k) = day_at(t, j)?;
    let ordinal = k > j + 1;
    if t.get(k).is_some_and(|x| x.is("of")) {
        k += 1;
    } else if j > i && !ordinal {
        return None; // "the 3 January"? rare; keep "the" only with ordinals/of
    }
    if t.get(k).is_some_and(|x| x.is_punct('-') && !x.gap) {
        k += 1;
    }
    let (m, mut k) = month_at(t, k)?;
    if t[k - 1].low == "may" && !t[k - 1].cap && !ordinal {
        return None;
    }
    let mut year = None;
    if let Some((y, n)) = year_at(t, k).or_else(|| {
        // "23-2020", "28 june in 2020", "fourth of july of 1995"
        if t.get(k)
            .is_some_and(|x| x.is("in") || x.is("of") || (x.is_punct('-') && !x.gap))
        {
            year_at(t, k + 1)
        } else {
            None
        }
    }) {
        year = Some(y);
        k = n;
    }
    let a = if j > i { i } else { j };
    Some(full_or_md(a, k, m, d, year))
}

/// "2026-01-06", "2018-7-6".
fn iso(t: &[Tok], i: usize) -> Option<Cand> {
    let y = t.get(i)?;
    if y.digits() != 4 {
        return None;
    }
    let sep = t.get(i + 1)?.punct()?;
    if !matches!(sep, '-' | '/' | '.') {
        return None;
    }
    let m = t.get(i + 2)?;
    let s2 = t.get(i + 3)?;
    let d = t.get(i + 4)?;
    if t[i + 1].gap || m.gap || s2.gap || d.gap || s2.punct() != Some(sep) {
        return None;
    }
    if !(1..=2).contains(&m.digits()) || !(1..=2).contains(&d.digits()) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.num()? as i32, m.num()?, d.num()?)?;
    Some(cand(i, i + 5, What::Full(date), 0.95))
}

/// "06/01/2026", "6.1.2026", "22/04" (the last only after "on"/"by"…).
fn numeric(t: &[Tok], i: usize, after_weekday: bool) -> Option<Cand> {
    let x = t.get(i)?;
    if !(1..=2).contains(&x.digits()) {
        return None;
    }
    if i > 0 && !x.gap && matches!(t[i - 1].kind, TokKind::Digit | TokKind::Punct(_)) {
        return None;
    }
    let sep = t.get(i + 1)?.punct()?;
    if !matches!(sep, '/' | '.' | '-') || t[i + 1].gap {
        return None;
    }
    let yv = t.get(i + 2)?;
    if yv.gap || !(1..=2).contains(&yv.digits()) {
        return None;
    }
    let (a, b) = (x.num()?, yv.num()?);
    let mut k = i + 3;
    let mut year = None;
    if let (Some(s2), Some(yt)) = (t.get(k), t.get(k + 1))
        && s2.punct() == Some(sep)
        && !s2.gap
        && !yt.gap
        && (yt.digits() == 4 || yt.digits() == 2)
    {
        let y = yt.num()? as i32;
        // two-digit years: up to 35 are this century ("1/6/26"), later ones the last ("5/5/89")
        year = Some(match (yt.digits(), y) {
            (2, 0..=35) => 2000 + y,
            (2, _) => 1900 + y,
            _ => y,
        });
        k += 2;
    }
    // no glued continuation ("1/2/3/4", "1.2.3")
    if t.get(k)
        .is_some_and(|n| !n.gap && (n.kind == TokKind::Digit || n.punct() == Some(sep)))
    {
        return None;
    }
    if year.is_none() && !after_weekday {
        if sep != '/' {
            return None;
        }
        let prev = if i > 0 { alpha(t, i - 1) } else { "" };
        if !matches!(
            prev,
            "on" | "by" | "until" | "till" | "from" | "since" | "before" | "after"
        ) {
            return None;
        }
    }
    if (a > 12 && b > 12) || a == 0 || b == 0 || a > 31 || b > 31 {
        return None;
    }
    Some(cand(i, k, What::Numeric { a, b, year }, 0.9))
}

/// yesterday, today, tomorrow, tonight, last night, N days ago, last/this/next week, weekend.
fn relative(t: &[Tok], i: usize) -> Option<Cand> {
    let w0 = alpha(t, i);
    let w1 = alpha(t, i + 1);
    let w2 = alpha(t, i + 2);
    let w3 = alpha(t, i + 3);
    let one = |what, conf| Some(cand(i, i + 1, what, conf));
    if let Some(c) = anchored(t, i) {
        return Some(c);
    }
    match w0 {
        "yesterday" => return one(What::Offset(-1), 0.95),
        "today" => return one(What::Offset(0), 0.9),
        "tonight" => return one(What::Offset(0), 0.9),
        "tomorrow" => return one(What::Offset(1), 0.95),
        "the" if w1 == "day" && w2 == "before" && w3 == "yesterday" => {
            return Some(cand(i, i + 4, What::Offset(-2), 0.9));
        }
        "the" if w1 == "day" && w2 == "after" && w3 == "tomorrow" => {
            return Some(cand(i, i + 4, What::Offset(2), 0.9));
        }
        "last" if w1 == "night" => return Some(cand(i, i + 2, What::Offset(-1), 0.85)),
        "this" if matches!(w1, "morning" | "afternoon" | "evening") => {
            return Some(cand(i, i + 2, What::Offset(0), 0.8));
        }
        "last" | "this" | "next" | "past" | "previous" | "coming" if w1 == "week" => {
            let n = match w0 {
                "this" => 0,
                "next" | "coming" => 1,
                _ => -1,
            };
            return Some(cand(i, i + 2, What::Week(n), 0.3));
        }
        "last" | "this" | "next" | "the" | "past" | "coming" if w1 == "weekend" => {
            let m = match w0 {
                "last" | "past" => Modifier::Last,
                "next" | "coming" => Modifier::Next,
                "this" => Modifier::This,
                _ => Modifier::None,
            };
            return Some(cand(i, i + 2, What::Weekend(m), 0.4));
        }
        _ => {}
    }
    // "two days ago", "3 weeks ago", "a year ago"
    let n = if let Some(n) = lex::small_number(w0) {
        n
    } else if (1..=3).contains(&t.get(i)?.digits()) {
        i64::from(t[i].num()?)
    } else {
        return None;
    };
    if w2 != "ago" {
        return None;
    }
    let what = match w1 {
        "day" | "days" => What::Offset(-n),
        "week" | "weeks" => What::Offset(-7 * n),
        "month" | "months" => What::MonthOffset(-(n as i32)),
        "year" | "years" => What::MonthOffset(-12 * (n as i32)),
        _ => return None,
    };
    let conf = if matches!(what, What::Offset(_)) {
        0.85
    } else {
        0.5
    };
    Some(cand(i, i + 3, what, conf))
}

/// A day counted from the day the narrative last named: "the next day", "the following
/// morning", "the day before", "the previous night", "later that day", "that same night",
/// "on the same day", "two days later", "a day earlier". A bare "that morning" is left out: it
/// often points back past the day last named ("during his arraignment Wednesday, witnesses
/// described what they saw that morning" — the morning of the shooting).
fn anchored(t: &[Tok], i: usize) -> Option<Cand> {
    const PART: &[&str] = &["day", "morning", "afternoon", "evening", "night"];
    let w = |k: usize| alpha(t, i + k);
    let part = |k: usize| PART.contains(&w(k));
    // "the day before" is relative to what follows when a noun phrase follows ("the day
    // before the final", "the day before his death")
    let ends = |k: usize| {
        let x = w(k);
        x.is_empty() || matches!(x, "and" | "but" | "when" | "as" | "while" | "after")
    };
    let c = |len: usize, n: i64| Some(cand(i, i + len, What::Anchored(n), 0.6));
    match (w(0), w(1), w(2)) {
        ("the", "next" | "following", _) if part(2) => c(3, 1),
        ("the", "same", _) if part(2) => c(3, 0),
        ("the", "previous", _) if part(2) => c(3, -1),
        ("the", "day" | "night", "before") if ends(3) => c(3, -1),
        ("later" | "earlier", "that", _) if part(2) => c(3, 0),
        ("later" | "earlier", "the", "same") if part(3) => c(4, 0),
        ("that", "same", _) if part(2) => c(3, 0),
        _ => {
            // "two days later", "a day earlier", "a week later"
            let n = match w(0) {
                "a" | "one" => 1,
                x => lex::small_number(x)?,
            };
            // days only: "three weeks later" is a looser figure, closer to a duration
            if !matches!(w(1), "day" | "days") {
                return None;
            }
            match w(2) {
                "later" => c(3, n),
                "earlier" | "before" if ends(3) => c(3, -n),
                _ => None,
            }
        }
    }
}

/// "Monday", "Monday's", "next Tuesday", "last Monday", "this Friday", "coming Thursday".
fn weekday(t: &[Tok], i: usize) -> Option<Cand> {
    let (m, k) = match alpha(t, i) {
        "next" | "coming" | "upcoming" => (Modifier::Next, i + 1),
        "last" | "previous" | "past" => (Modifier::Last, i + 1),
        "this" => (Modifier::This, i + 1),
        _ => (Modifier::None, i),
    };
    let wd = lex::weekday_full(alpha(t, k))?;
    if k > 0 && lex::weekday_name_blocker_before(alpha(t, k - 1)) {
        return None;
    }
    if t.get(k + 1).is_some_and(|x| x.cap) && lex::weekday_name_blocker_after(alpha(t, k + 1)) {
        return None;
    }
    let mut b = k + 1;
    let mut possessive = false;
    if t.get(b).is_some_and(|x| x.is_apostrophe() && !x.gap) && alpha(t, b + 1) == "s" {
        possessive = true;
        b += 2;
    }
    let conf = if m == Modifier::None { 0.8 } else { 0.85 };
    let mut c = cand(i, b, What::Weekday { wd, m }, conf);
    c.possessive = possessive;
    // "Monday night/morning" keeps the day
    if matches!(alpha(t, b), "night" | "morning" | "afternoon" | "evening") && !possessive {
        c.b = b + 1;
    }
    Some(c)
}

fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "but"
            | "in"
            | "at"
            | "on"
            | "to"
            | "for"
            | "of"
            | "with"
            | "from"
            | "by"
            | "the"
            | "a"
            | "an"
            | "when"
            | "as"
            | "after"
            | "before"
            | "until"
            | "that"
            | "this"
            | "is"
            | "was"
            | "will"
            | "were"
            | "are"
            | "he"
            | "she"
            | "they"
            | "it"
            | "we"
    )
}

/// "on the 5th" (a day of the publication month); "January 6th and 7th" (the month of the
/// date before).
fn day_alone(t: &[Tok], i: usize, prev: Option<&Cand>) -> Option<Cand> {
    // "and 7th" right after a month-day
    if let Some(p) = prev
        && p.b + 1 == i
        && matches!(alpha(t, p.b), "and" | "or")
        && let (d, k) = day_at(t, i)?
        && k == i + 2
        && !t
            .get(k)
            .is_some_and(|x| x.kind == TokKind::Alpha && !is_function_word(&x.low))
    {
        let what = match p.what {
            What::MonthDay { month, .. } => What::MonthDay {
                month,
                day: d,
                wd: None,
            },
            What::Full(date) => match NaiveDate::from_ymd_opt(date.year(), date.month(), d) {
                Some(x) => What::Full(x),
                None => return None,
            },
            _ => return None,
        };
        return Some(cand(i, k, what, p.conf - 0.05));
    }
    if !t.get(i)?.is("the") {
        return None;
    }
    let prep = if i > 0 { alpha(t, i - 1) } else { "" };
    if !matches!(
        prep,
        "on" | "by" | "until" | "since" | "from" | "before" | "after" | "till" | "for"
    ) {
        return None;
    }
    let (d, k) = day_at(t, i + 1)?;
    if k != i + 3 {
        return None; // needs an ordinal suffix
    }
    if let Some(n) = t.get(k)
        && n.kind == TokKind::Alpha
        && !is_function_word(&n.low)
    {
        return None; // "the 5th anniversary"
    }
    Some(cand(i, k, What::Day { day: d, wd: None }, 0.6))
}

// ---------------------------------------------------------------------------------------
// times

/// A time at `i`: "9:30 p.m. ET", "10am", "10 a.m.", "at 14:00", "at noon".
fn time_at(t: &[Tok], i: usize) -> Option<(NaiveTime, usize)> {
    let tok = t.get(i)?;
    let prev = if i > 0 { alpha(t, i - 1) } else { "" };
    let at_prep = matches!(
        prev,
        "at" | "by" | "from" | "until" | "till" | "around" | "about"
    );
    if tok.kind == TokKind::Alpha {
        return match tok.low.as_str() {
            "noon" | "midday" if at_prep => Some((NaiveTime::from_hms_opt(12, 0, 0)?, i + 1)),
            "midnight" if at_prep => Some((NaiveTime::from_hms_opt(0, 0, 0)?, i + 1)),
            _ => None,
        };
    }
    if !(1..=2).contains(&tok.digits()) {
        return None;
    }
    if i > 0 && !tok.gap && matches!(t[i - 1].kind, TokKind::Digit | TokKind::Punct(_)) {
        return None;
    }
    let mut h = tok.num()?;
    let mut min = 0;
    let mut j = i + 1;
    let mut colon = false;
    if t.get(j)
        .is_some_and(|x| (x.is_punct(':') || x.is_punct('.')) && !x.gap)
        && t.get(j + 1).is_some_and(|x| x.digits() == 2 && !x.gap)
    {
        colon = t[j].is_punct(':');
        min = t[j + 1].num()?;
        j += 2;
    }
    // am / pm / a.m. / p.m.
    let mut ampm = None;
    match alpha(t, j) {
        "am" | "pm" => {
            ampm = Some(t[j].low == "pm");
            j += 1;
            if t.get(j).is_some_and(|x| x.is_punct('.') && !x.gap) {
                j += 1;
            }
        }
        "a" | "p" if t.get(j + 1).is_some_and(|x| x.is_punct('.')) && alpha(t, j + 2) == "m" => {
            ampm = Some(t[j].low == "p");
            j += 3;
            if t.get(j).is_some_and(|x| x.is_punct('.') && !x.gap) {
                j += 1;
            }
        }
        _ => {}
    }
    match ampm {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = match (pm, h) {
                (false, 12) => 0,
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, h) => h,
            };
        }
        None if colon && (at_prep || prev.is_empty()) => {}
        None => return None,
    }
    if t.get(j).is_some_and(|x| {
        x.kind == TokKind::Alpha
            && matches!(
                x.low.as_str(),
                "et" | "est"
                    | "edt"
                    | "ct"
                    | "cst"
                    | "cdt"
                    | "pt"
                    | "pst"
                    | "pdt"
                    | "gmt"
                    | "utc"
                    | "bst"
                    | "cet"
                    | "cest"
                    | "eet"
                    | "eest"
                    | "msk"
                    | "ist"
                    | "jst"
            )
            && x.low.len() <= 4
            && t[j].s > 0
    }) && t[j].cap
    {
        j += 1;
    }
    Some((NaiveTime::from_hms_opt(h, min, 0)?, j))
}

/// Attach times to the adjacent date ("Tuesday at 10am", "10am on Tuesday"), else to the only
/// date of the sentence; a lone time becomes its own mention.
fn attach_times(t: &[Tok], cands: &mut Vec<Cand>) {
    let mut times = Vec::new();
    let mut i = 0;
    let mut ci = 0;
    while i < t.len() {
        while ci < cands.len() && cands[ci].b <= i {
            ci += 1;
        }
        if ci < cands.len() && cands[ci].a <= i {
            i = cands[ci].b;
            continue;
        }
        if let Some((tm, j)) = time_at(t, i) {
            times.push((i, j, tm));
            i = j;
        } else {
            i += 1;
        }
    }
    if times.is_empty() {
        return;
    }
    let single = cands.len() == 1;
    for (a, b, tm) in times {
        // the "at" before the time
        let a0 = if a > 0 && matches!(alpha(t, a - 1), "at" | "by" | "around") {
            a - 1
        } else {
            a
        };
        // date right before: "Tuesday at 10am", "Jan 3, 9:30 p.m."
        if let Some(c) = cands
            .iter_mut()
            .find(|c| c.time.is_none() && (c.b == a0 || (c.b + 1 == a0 && t[c.b].is_punct(','))))
        {
            c.time = Some(tm);
            c.b = b;
            continue;
        }
        // date right after: "10am on Tuesday", "9:30 p.m. ET Monday"
        if let Some(c) = cands.iter_mut().find(|c| {
            c.time.is_none() && (c.a == b || (c.a == b + 1 && matches!(alpha(t, b), "on" | ",")))
        }) {
            c.time = Some(tm);
            c.a = a0;
            continue;
        }
        if single && cands[0].time.is_none() {
            cands[0].time = Some(tm);
            continue;
        }
        let mut c = cand(a0, b, What::TimeOnly, 0.3);
        c.time = Some(tm);
        let pos = cands.iter().position(|x| x.a > a0).unwrap_or(cands.len());
        cands.insert(pos, c);
    }
}

// ---------------------------------------------------------------------------------------
// resolution

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

fn dist(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days().abs()
}

/// The nearest of the candidates to `p`, preferring ones whose weekday is `wd`.
fn nearest(
    p: NaiveDate,
    cands: impl Iterator<Item = NaiveDate>,
    wd: Option<Weekday>,
) -> Option<(NaiveDate, bool)> {
    cands
        .map(|d| (d, wd.is_none_or(|w| d.weekday() == w)))
        .min_by_key(|&(d, ok)| (!ok, dist(d, p)))
}

/// Previous (`back`) or next occurrence of `wd` strictly before/after `p`.
fn occurrence(p: NaiveDate, wd: Weekday, forward: bool) -> NaiveDate {
    let pw = p.weekday().num_days_from_monday() as i64;
    let w = wd.num_days_from_monday() as i64;
    if forward {
        let mut n = (w - pw).rem_euclid(7);
        if n == 0 {
            n = 7;
        }
        add_days(p, n).unwrap_or(p)
    } else {
        let mut n = (pw - w).rem_euclid(7);
        if n == 0 {
            n = 7;
        }
        add_days(p, -n).unwrap_or(p)
    }
}

type Resolved = (Option<NaiveDate>, Option<NaiveDate>, f32);

fn resolve(what: &What, p: Option<NaiveDate>, tense: Option<Tense>, conf: f32) -> Resolved {
    match *what {
        What::Full(d) => (Some(d), None, conf),
        What::Numeric { a, b, year } => resolve_numeric(a, b, year, p, conf),
        What::TimeOnly => (None, None, conf),
        _ => match p {
            None => (None, None, conf * 0.5),
            Some(p) => resolve_relative(what, p, tense, conf),
        },
    }
}

fn resolve_numeric(a: u32, b: u32, year: Option<i32>, p: Option<NaiveDate>, conf: f32) -> Resolved {
    // (month, day) readings, US first
    let mut readings: Vec<(u32, u32)> = Vec::new();
    if a <= 12 {
        readings.push((a, b));
    }
    if b <= 12 && a != b {
        readings.push((b, a));
    }
    let ambiguous = readings.len() == 2;
    let dates: Vec<Option<NaiveDate>> = readings
        .iter()
        .map(|&(m, d)| match (year, p) {
            (Some(y), _) => NaiveDate::from_ymd_opt(y, m, d),
            (None, Some(p)) => nearest(
                p,
                (p.year() - 1..=p.year() + 1).filter_map(|y| NaiveDate::from_ymd_opt(y, m, d)),
                None,
            )
            .map(|x| x.0),
            (None, None) => None,
        })
        .collect();
    let first = dates.first().copied().flatten();
    let second = dates.get(1).copied().flatten();
    match (first, second) {
        (Some(x), Some(y)) if ambiguous => (Some(x), Some(y), 0.4),
        (Some(x), _) => (
            Some(x),
            None,
            if year.is_some() { conf } else { conf - 0.2 },
        ),
        (None, Some(y)) => (Some(y), None, 0.4),
        (None, None) => (None, None, 0.2),
    }
}

fn resolve_relative(what: &What, p: NaiveDate, tense: Option<Tense>, conf: f32) -> Resolved {
    match *what {
        What::Offset(n) => (add_days(p, n), None, conf),
        What::MonthOffset(n) => (add_months(p, n), None, conf),
        What::Week(n) => {
            let monday = add_days(p, -(p.weekday().num_days_from_monday() as i64));
            (monday.and_then(|m| add_days(m, 7 * n)), None, conf)
        }
        What::MonthDay { month, day, wd } => {
            let years = p.year() - 1..=p.year() + 1;
            match nearest(
                p,
                years.filter_map(|y| NaiveDate::from_ymd_opt(y, month, day)),
                wd,
            ) {
                Some((d, ok)) => (Some(d), None, if ok { conf } else { conf - 0.2 }),
                None => (None, None, 0.2),
            }
        }
        What::Day { day, wd } => {
            let months = (-6..=6).filter_map(|k| {
                let first = add_months(p.with_day(1)?, k)?;
                NaiveDate::from_ymd_opt(first.year(), first.month(), day)
            });
            match nearest(p, months, wd) {
                Some((d, ok)) => (Some(d), None, if ok { conf } else { conf * 0.5 }),
                None => (None, None, 0.2),
            }
        }
        What::Weekday { wd, m } => resolve_weekday(p, wd, m, tense, conf),
        What::Weekend(m) => {
            let (d, alt, c) = resolve_weekday(p, Weekday::Sat, m, tense, conf);
            // on a Sunday, "the weekend" is the one ending today
            if p.weekday() == Weekday::Sun && m != Modifier::Next && tense != Some(Tense::Future) {
                return (add_days(p, -1), None, c);
            }
            (d, alt, c)
        }
        What::Full(_) | What::Numeric { .. } | What::TimeOnly | What::Anchored(_) => {
            (None, None, conf)
        }
    }
}

fn resolve_weekday(
    p: NaiveDate,
    wd: Weekday,
    m: Modifier,
    tense: Option<Tense>,
    conf: f32,
) -> Resolved {
    let same = p.weekday() == wd;
    let next = occurrence(p, wd, true);
    let prev = occurrence(p, wd, false);
    match m {
        Modifier::Next => (Some(next), None, conf),
        Modifier::Last => (Some(prev), None, conf),
        Modifier::This if same => (Some(p), None, conf),
        Modifier::This => match tense {
            // "this Friday" is within the current week, which usually means ahead
            Some(Tense::Past) => (Some(prev), None, conf * 0.9),
            _ => (Some(next), None, conf * 0.9),
        },
        Modifier::None if same => (Some(p), None, conf),
        Modifier::None => match tense {
            Some(Tense::Future) => (Some(next), None, conf),
            Some(Tense::Past) => (Some(prev), None, conf),
            None => {
                let (a, b) = if dist(next, p) < dist(prev, p) {
                    (next, prev)
                } else {
                    (prev, next)
                };
                (Some(a), Some(b), conf * 0.6)
            }
        },
    }
}

#[cfg(test)]
mod tests;
