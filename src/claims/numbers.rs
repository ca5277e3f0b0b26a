//! The number grammar: every quantity, sum of money, percentage and duration in a sentence,
//! as an interval with its counted noun, unit class and role (see `docs/CLAIMS.md`, "Values").
//!
//! One tokenisation pass (numbers, words, symbols with byte offsets), one pre-pass of a single
//! compiled regex that blanks URLs, e-mail addresses, times, phone and version numbers and
//! numeric dates, then a left-to-right parse: `modifier? currency? quantity range? unit?`,
//! followed by the exclusion checks (identifiers, years, date parts, ages, ordinals, labels,
//! list numbering, scores, pronoun "one") and the head-noun / role search.
//!
//! Intervals: "about n" ±15 % (±20 % for one-significant-digit figures of 100 and more);
//! "nearly/almost/just under n" [0.9n, n); "more than/over n" (n, ∞) as [n+ε, ∞];
//! "at least n" [n, ∞]; "up to/as many as n" [0, n]; "fewer than/under n" [0, n);
//! ranges [a, b]; vague words fixed ranges ("dozens" 24–99, "tens of thousands"
//! 20,000–99,999, "decades" 20–99 years). Fractions ("two-thirds of voters", "half") are
//! proportions: kind `Percent`, value ×100. Money values are in units of the currency (pence
//! and cents as written); distances and weights keep the unit as written (normalised name in
//! `head`); durations keep their unit (decades and centuries become years).

mod lexicon;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Interval, NumKind, NumberMention, UnitClass};
use lexicon::*;

/// Every number mention in `sentence`, sorted by span start, non-overlapping.
/// A whole number below a thousand written in digits or words ("32", "sixty", "thirty-two",
/// "thirty two" is two tokens and not read): ages and other small counts read by other
/// recognisers.
pub fn small_cardinal(w: &str) -> Option<u32> {
    if !w.is_empty() && w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok();
    }
    let w = w.to_lowercase();
    if let Some(v) = small_number(&w).or_else(|| tens_word(&w)) {
        return Some(v as u32);
    }
    let (t, u) = w.split_once('-')?;
    match (tens_word(t), small_number(u)) {
        (Some(t), Some(u)) if (1.0..10.0).contains(&u) => Some((t + u) as u32),
        _ => None,
    }
}

pub fn find_numbers(sentence: &str) -> Vec<NumberMention> {
    let p = Parser::new(sentence);
    p.run()
}

static EXCLUDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:https?://|www\.)\S+",
        r"|\S+@\S+\.[a-z]{2,}",
        r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?",
        r"|\b\d{1,2}(?:\.\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|o’clock)",
        // a clock time written with a point ("07.45 BST", "at 22.05", "22.05 hrs"): never a
        // quantity
        r"|\b(?:[01]?\d|2[0-3])[.:h][0-5]\d\s*(?:bst|gmt|utc|cet|cest|eet|eest|ist|[ecmp][sd]t|aest|aedt|hrs|h|uhr)\b",
        r"|\b(?:at|from|until|till|before|after|since|between)\s+(?:[01]\d|2[0-3])\.[0-5]\d\b(?:\s*(?:and|-|–)\s*(?:[01]\d|2[0-3])\.[0-5]\d\b)?",
        r"|\+\d[\d ().-]{6,}\d",
        r"|\(\d{3}\)\s*\d{3}[.-]\d{4}\b",
        r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b",
        r"|\bv?\d+\.\d+\.\d+(?:\.\d+)*\b",
        r"|\bv\d+(?:\.\d+)?\b",
        r"|\b\d{4}-\d{2}-\d{2}\b",
        r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
        r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b",
        r"|\b(?:1[89]|20)\d{2}\s*[-–/]\s*(?:\d{2}|(?:1[89]|20)\d{2})\b",
        r"|\b\d+/\d+\b",
    ))
    .expect("static regex")
});

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tk {
    Num,
    Word,
    Sym,
}

#[derive(Debug)]
struct Tok {
    kind: Tk,
    s: usize,
    e: usize,
    /// lower-case text for words, raw text otherwise
    low: String,
    /// first letter upper-case
    cap: bool,
    /// whitespace (or sentence start) before the token
    sp: bool,
    excluded: bool,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 4);
    let mut it = s.char_indices().peekable();
    let mut sp = true;
    let next_is_digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            sp = true;
            continue;
        }
        let (kind, e) = if c.is_ascii_digit() || (c == '.' && next_is_digit(i + 1) && sp) {
            let mut e = i + c.len_utf8();
            loop {
                match b.get(e) {
                    Some(d) if d.is_ascii_digit() => e += 1,
                    Some(b',' | b'.') if next_is_digit(e + 1) => e += 1,
                    _ => {
                        // digit groups joined by a (narrow) no-break or thin space
                        let rest = &s[e..];
                        let sep = ['\u{a0}', '\u{202f}', '\u{2009}']
                            .into_iter()
                            .find(|sc| rest.starts_with(*sc));
                        if let Some(sc) = sep {
                            let g = &rest[sc.len_utf8()..];
                            let digits = g.bytes().take_while(u8::is_ascii_digit).count();
                            if digits == 3 {
                                e += sc.len_utf8();
                                continue;
                            }
                        }
                        break;
                    }
                }
            }
            while it.peek().is_some_and(|&(j, _)| j < e) {
                it.next();
            }
            (Tk::Num, e)
        } else if c.is_alphabetic() {
            let mut e = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                let apostrophe = (d == '\'' || d == '’')
                    && s[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic);
                if d.is_alphabetic() || apostrophe {
                    e = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            (Tk::Word, e)
        } else {
            (Tk::Sym, i + c.len_utf8())
        };
        let text = &s[i..e];
        let low = if kind == Tk::Word {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        out.push(Tok {
            kind,
            s: i,
            e,
            cap: c.is_uppercase(),
            low,
            sp,
            excluded: false,
        });
        sp = false;
    }
    out
}

/// The value of a digit token ("800,000", "1.2", "3,5", "1.111,11", "40 000").
fn parse_digits(t: &str) -> Option<f64> {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    let groups_of_3 = |sep: char| {
        let mut parts = t.split(sep);
        let first = parts.next().unwrap_or("");
        !first.is_empty()
            && first.len() <= 3
            && parts.all(|p| p.len() == 3 || p.split(['.', ',']).next().map(str::len) == Some(3))
    };
    let clean = if commas > 0 && dots > 0 {
        let lc = t.rfind(',').unwrap_or(0);
        let ld = t.rfind('.').unwrap_or(0);
        if ld > lc {
            t.replace(',', "")
        } else {
            t.replace('.', "").replace(',', ".")
        }
    } else if commas > 0 {
        if groups_of_3(',') || commas > 1 {
            t.replace(',', "")
        } else {
            t.replace(',', ".")
        }
    } else if dots > 1 {
        if groups_of_3('.') {
            t.replace('.', "")
        } else {
            return None;
        }
    } else {
        t
    };
    clean.parse().ok()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mod {
    None,
    About,
    Nearly,
    MoreThan,
    JustOver,
    AtLeast,
    UpTo,
    LessThan,
    Between,
}

const MODIFIERS: &[(&[&str], Mod)] = &[
    (&["more", "than"], Mod::MoreThan),
    (&["well", "over"], Mod::MoreThan),
    (&["well", "above"], Mod::MoreThan),
    (&["just", "over"], Mod::JustOver),
    (&["just", "above"], Mod::JustOver),
    (&["slightly", "more", "than"], Mod::JustOver),
    (&["over"], Mod::MoreThan),
    (&["above"], Mod::MoreThan),
    (&["upwards", "of"], Mod::MoreThan),
    (&["in", "excess", "of"], Mod::MoreThan),
    (&["exceeding"], Mod::MoreThan),
    (&["greater", "than"], Mod::MoreThan),
    (&["higher", "than"], Mod::MoreThan),
    (&["larger", "than"], Mod::MoreThan),
    (&["at", "least"], Mod::AtLeast),
    (&["no", "fewer", "than"], Mod::AtLeast),
    (&["no", "less", "than"], Mod::AtLeast),
    (&["not", "less", "than"], Mod::AtLeast),
    (&["a", "minimum", "of"], Mod::AtLeast),
    (&["up", "to"], Mod::UpTo),
    (&["as", "many", "as"], Mod::UpTo),
    (&["as", "much", "as"], Mod::UpTo),
    (&["at", "most"], Mod::UpTo),
    (&["no", "more", "than"], Mod::UpTo),
    (&["not", "more", "than"], Mod::UpTo),
    (&["a", "maximum", "of"], Mod::UpTo),
    (&["just", "under"], Mod::Nearly),
    (&["just", "below"], Mod::Nearly),
    (&["just", "shy", "of"], Mod::Nearly),
    (&["slightly", "less", "than"], Mod::Nearly),
    (&["nearly"], Mod::Nearly),
    (&["almost"], Mod::Nearly),
    (&["fewer", "than"], Mod::LessThan),
    (&["less", "than"], Mod::LessThan),
    (&["lower", "than"], Mod::LessThan),
    (&["smaller", "than"], Mod::LessThan),
    (&["under"], Mod::LessThan),
    (&["below"], Mod::LessThan),
    (&["about"], Mod::About),
    (&["around"], Mod::About),
    (&["roughly"], Mod::About),
    (&["approximately"], Mod::About),
    (&["approx"], Mod::About),
    (&["some"], Mod::About),
    (&["circa"], Mod::About),
    (&["close", "to"], Mod::About),
    (&["an", "estimated"], Mod::About),
    (&["estimated"], Mod::About),
    (&["between"], Mod::Between),
];

/// A parsed quantity before modifiers and units.
#[derive(Clone, Debug)]
struct Q {
    lo: f64,
    hi: f64,
    /// token index after the quantity
    end: usize,
    vague: bool,
    fraction: bool,
    /// the scale multiplier written ("million" → 1e6), 1 when none
    scale: f64,
    /// a bare integer digit token (no separators, no scale): candidate year / label
    plain_digits: Option<usize>,
    /// only the word "one"
    lone_one: bool,
    /// written in digits
    digits: bool,
    /// vague duration ("decades")
    vague_years: bool,
}

impl Q {
    fn point(v: f64, end: usize) -> Self {
        Q {
            lo: v,
            hi: v,
            end,
            vague: false,
            fraction: false,
            scale: 1.0,
            plain_digits: None,
            lone_one: false,
            digits: false,
            vague_years: false,
        }
    }
    fn vague(lo: f64, hi: f64, end: usize) -> Self {
        Q {
            vague: true,
            hi,
            ..Q::point(lo, end)
        }
    }
}

enum Outcome {
    Found(Box<NumberMention>, usize),
    Skip(usize),
    Nothing,
}

struct Parser<'a> {
    s: &'a str,
    t: Vec<Tok>,
}

const EPS_REL: f64 = 1e-9;

fn eps(n: f64) -> f64 {
    (n.abs() * EPS_REL).max(1e-9)
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Self {
        let mut t = tokenize(s);
        if s.bytes().any(|c| c.is_ascii_digit()) {
            let ranges: Vec<Range<usize>> = EXCLUDED
                .find_iter(s)
                // "at 12.50 per cent" is a rate, not half past noon
                .filter(|m| {
                    let after = s[m.end()..].trim_start();
                    !(after.starts_with('%')
                        || after.starts_with("per")
                        || after.starts_with("percent"))
                })
                .map(|m| m.range())
                .collect();
            if !ranges.is_empty() {
                for tok in &mut t {
                    if tok.kind == Tk::Num && ranges.iter().any(|r| r.contains(&tok.s)) {
                        tok.excluded = true;
                    }
                }
            }
        }
        Parser { s, t }
    }

    fn run(&self) -> Vec<NumberMention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            match self.mention_at(i) {
                Outcome::Found(m, next) => {
                    out.push(*m);
                    i = next.max(i + 1);
                }
                Outcome::Skip(next) => i = next.max(i + 1),
                Outcome::Nothing => i += 1,
            }
        }
        out
    }

    // ---- token helpers ----

    fn w(&self, i: usize) -> &str {
        match self.t.get(i) {
            Some(t) if t.kind == Tk::Word => &t.low,
            _ => "",
        }
    }
    fn sym(&self, i: usize) -> Option<char> {
        match self.t.get(i) {
            Some(t) if t.kind == Tk::Sym => t.low.chars().next(),
            _ => None,
        }
    }
    fn is_num(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Tk::Num)
    }
    /// token `i` exists and touches the previous token
    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.sp)
    }
    fn is_dash(&self, i: usize) -> bool {
        matches!(self.sym(i), Some('-' | '–' | '—' | '‑'))
    }
    fn cap_month(&self, i: usize) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.kind == Tk::Word && t.cap && is_month(&t.low))
    }
    fn raw(&self, i: usize) -> &str {
        &self.s[self.t[i].s..self.t[i].e]
    }

    // ---- quantities ----

    /// Modifier phrase at `i` → (modifier, index after it).
    fn modifier(&self, i: usize) -> (Mod, usize) {
        if self.t.get(i).is_none_or(|t| t.kind != Tk::Word) {
            return (Mod::None, i);
        }
        for (words, m) in MODIFIERS {
            if words.iter().enumerate().all(|(k, w)| self.w(i + k) == *w) {
                return (*m, i + words.len());
            }
        }
        (Mod::None, i)
    }

    /// Number words from `i` ("one hundred and twenty", "thirty-five", "two million").
    fn number_words(&self, i: usize) -> Option<(f64, usize, bool)> {
        let (mut total, mut cur) = (0.0f64, 0.0f64);
        let mut any = false;
        let mut big = false; // saw hundred / a scale (allows "and")
        let mut j = i;
        let mut end = i;
        let mut last_tens = false;
        loop {
            let w = self.w(j);
            let rem = cur % 100.0;
            if let Some(v) = small_number(w) {
                let ok = rem == 0.0 || (v < 10.0 && last_tens && rem % 10.0 == 0.0);
                if !ok || (v == 0.0 && any) {
                    break;
                }
                cur += v;
                any = true;
                last_tens = false;
                j += 1;
                end = j;
            } else if let Some(v) = tens_word(w) {
                if rem != 0.0 {
                    break;
                }
                cur += v;
                any = true;
                last_tens = true;
                j += 1;
                end = j;
                // "thirty-five", "fifty - two"
                if self.is_dash(j)
                    && let Some(u) = small_number(self.w(j + 1))
                    && (1.0..10.0).contains(&u)
                {
                    cur += u;
                    last_tens = false;
                    j += 2;
                    end = j;
                }
            } else if w == "hundred" && any && cur > 0.0 && rem < 100.0 && cur % 1000.0 < 100.0 {
                cur *= 100.0;
                big = true;
                last_tens = false;
                j += 1;
                end = j;
            } else if let Some(sc) = scale_word(w, false).filter(|&s| s >= 1e3)
                && any
                && w.len() > 3
            {
                total += cur.max(1.0) * sc;
                cur = 0.0;
                big = true;
                last_tens = false;
                j += 1;
                end = j;
            } else if w == "and"
                && any
                && big
                && (small_number(self.w(j + 1)).is_some() || tens_word(self.w(j + 1)).is_some())
                && denominator(self.w(j + 2)).is_none()
            {
                j += 1;
            } else {
                break;
            }
        }
        if !any {
            return None;
        }
        let lone_one = end == i + 1 && self.w(i) == "one";
        Some((total + cur, end, lone_one))
    }

    /// "and a half", "and three quarters" after a number.
    fn and_fraction(&self, j: usize) -> Option<(f64, usize)> {
        if self.w(j) != "and" {
            return None;
        }
        let n = match self.w(j + 1) {
            "a" | "an" | "one" => 1.0,
            w => small_number(w)?,
        };
        let d = denominator(self.w(j + 2))?;
        Some((n / d, j + 3))
    }

    /// Spaced scale words after a figure: "1.2 million", "3 hundred", "two dozen".
    fn scale_after(&self, mut j: usize) -> (f64, usize) {
        let mut sc = 1.0;
        while let Some(s) = scale_word(self.w(j), false)
            .or_else(|| matches!(self.w(j), "dozen" | "dozens").then_some(12.0))
        {
            if s == 1e2 && sc > 1.0 {
                break;
            }
            sc *= s;
            j += 1;
        }
        (sc, j)
    }

    /// A quantity starting at `i`, with the reason to skip its tokens when it is excluded.
    fn quantity(&self, i: usize) -> Result<Option<Q>, usize> {
        let Some(tok) = self.t.get(i) else {
            return Ok(None);
        };
        match tok.kind {
            Tk::Num => self.digit_quantity(i),
            Tk::Word => Ok(self.word_quantity(i)),
            Tk::Sym => Ok(self.symbol_fraction(i)),
        }
    }

    fn symbol_fraction(&self, i: usize) -> Option<Q> {
        let v = match self.sym(i)? {
            '½' => 0.5,
            '⅓' => 1.0 / 3.0,
            '⅔' => 2.0 / 3.0,
            '¼' => 0.25,
            '¾' => 0.75,
            '⅕' => 0.2,
            '⅙' => 1.0 / 6.0,
            '⅛' => 0.125,
            _ => return None,
        };
        let mut q = Q::point(v, i + 1);
        q.fraction = true;
        Some(q)
    }

    fn digit_quantity(&self, i: usize) -> Result<Option<Q>, usize> {
        let tok = &self.t[i];
        if tok.excluded {
            return Err(i + 1);
        }
        let text = &tok.low;
        let Some(mut v) = parse_digits(text) else {
            return Err(i + 1);
        };
        let mut j = i + 1;
        let mut scale = 1.0;
        // glued letters: scale suffix, unit, ordinal suffix or an identifier
        if self.t.get(j).is_some_and(|t| t.kind == Tk::Word && !t.sp) {
            let w = self.w(j);
            if let Some(s) = scale_word(w, true).filter(|_| !self.glued_metres(i, j)) {
                scale = s;
                j += 1;
            } else if matches!(w, "st" | "nd" | "rd" | "th" | "s" | "x" | "d")
                || (self.raw(j).len() == 1 && self.t[j].cap && !matches!(self.raw(j), "C" | "F"))
                || (measure_unit(w).is_none()
                    && duration_unit(w).is_none()
                    && currency_word(w).is_none()
                    && currency_code(self.raw(j)).is_none()
                    && !matches!(w, "km" | "kmh" | "mph" | "am" | "pm" | "bp")
                    && !matches!(self.raw(j), "C" | "F"))
            {
                return Err(j + 1);
            }
        }
        // digit fraction after a whole number: "10 1/2" is removed by the pre-pass; glued
        // vulgar fraction "2½"
        if let Some(f) = self.symbol_fraction(j).filter(|_| self.glued(j)) {
            v += f.lo;
            j += 1;
        }
        if scale == 1.0 {
            if let Some((f, k)) = self.and_fraction(j) {
                // "2 and a half million"
                if scale_word(self.w(k), false).is_some() {
                    v += f;
                    j = k;
                }
            }
            let (s, k) = self.scale_after(j);
            scale = s;
            j = k;
            // "3 million and a half"
            if scale >= 1e3
                && let Some((f, k)) = self.and_fraction(j)
            {
                v += f;
                j = k;
            }
        }
        let mut q = Q::point(v * scale, j);
        q.scale = scale;
        q.digits = true;
        if scale == 1.0 && text.bytes().all(|c| c.is_ascii_digit()) {
            q.plain_digits = Some(text.len());
        }
        Ok(Some(q))
    }

    fn word_quantity(&self, i: usize) -> Option<Q> {
        let w = self.w(i);
        let w1 = self.w(i + 1);
        // "half million", "(a) quarter million", "three quarters billion"
        {
            let (frac, k) = match (w, w1) {
                ("half", _) => (0.5, i + 1),
                ("quarter", _) => (0.25, i + 1),
                ("a", "quarter") => (0.25, i + 2),
                _ => match small_number(w).zip(denominator(w1)) {
                    Some((n, d)) if w1.ends_with('s') => (n / d, i + 2),
                    _ => (0.0, i),
                },
            };
            if frac > 0.0
                && let Some(sc) = scale_word(self.w(k), false).filter(|&s| s >= 1e3)
            {
                let mut q = Q::point(frac * sc, k + 1);
                q.scale = sc;
                return Some(q);
            }
        }
        // vague quantities
        let few = match (w, w1) {
            ("a", "few") => Some((2.0, 5.0, i + 2)),
            ("a", "couple") if self.w(i + 2) == "of" => Some((2.0, 3.0, i + 2)),
            ("a", "handful") if self.w(i + 2) == "of" => Some((2.0, 6.0, i + 2)),
            ("several", _) => Some((3.0, 9.0, i + 1)),
            _ => None,
        };
        if let Some((lo, hi, j)) = few {
            let (sc, k) = self.scale_after(j);
            let mut q = Q::vague(lo * sc, hi * sc, k);
            q.scale = sc;
            return Some(q);
        }
        if w == "dozens" {
            return Some(Q::vague(24.0, 99.0, i + 1));
        }
        if w == "scores" && w1 == "of" {
            return Some(Q::vague(40.0, 99.0, i + 1));
        }
        if w == "decades" {
            let mut q = Q::vague(20.0, 99.0, i + 1);
            q.vague_years = true;
            return Some(q);
        }
        if (w == "tens" || w == "hundreds")
            && w1 == "of"
            && let Some(s) = vague_scale(self.w(i + 2)).filter(|&s| s >= 1e3)
        {
            let (lo, hi) = if w == "tens" {
                (20.0, 99.999)
            } else {
                (200.0, 999.999)
            };
            let mut q = Q::vague(lo * s, (hi * s).round(), i + 3);
            q.scale = s;
            return Some(q);
        }
        if let Some(s) = vague_scale(w) {
            let mut q = Q::vague(2.0 * s, 10.0 * s - 1.0, i + 1);
            q.scale = s;
            return Some(q);
        }
        // "a dozen", "a hundred", "a million", "half a million", "half a dozen"
        let (pre, j) = match (w, w1) {
            ("a" | "an", _) => (1.0, i + 1),
            ("half", "a") => (0.5, i + 2),
            _ => (0.0, i),
        };
        if pre > 0.0 {
            let first = self.w(j);
            if first == "dozen" || (scale_word(first, false).is_some() && first.len() > 3) {
                let (sc, k) = self.scale_after(j);
                let mut q = Q::point(pre * sc, k);
                q.scale = sc;
                return Some(q);
            }
            if w == "half" {
                return None;
            }
            // "a third of", "a quarter of", "a half"
            if let Some(d) = denominator(first).filter(|_| !first.ends_with('s'))
                && (self.w(j + 1) == "of" || first == "half")
                && first != "halve"
            {
                let mut q = Q::point(1.0 / d, j + 1);
                q.fraction = true;
                return Some(q);
            }
            return None;
        }
        if w == "half" {
            // "half of", "half the", "half their" … ; "half a million" handled above
            if matches!(
                w1,
                "of" | "the" | "their" | "its" | "his" | "her" | "all" | "them" | "our"
            ) || (w1.is_empty() && self.t.get(i + 1).is_none())
            {
                let mut q = Q::point(0.5, i + 1);
                q.fraction = true;
                return Some(q);
            }
            return None;
        }
        // fractions with a numerator: "two-thirds", "three quarters", "one-third"
        if let Some(n) = small_number(w) {
            let k = if self.is_dash(i + 1) { i + 2 } else { i + 1 };
            let dw = self.w(k);
            if let Some(d) = denominator(dw)
                && dw != "half"
                && (dw.ends_with('s') || n == 1.0)
                && (n > 1.0 || k == i + 2 || self.w(k + 1) == "of")
            {
                let mut q = Q::point(n / d, k + 1);
                q.fraction = true;
                return Some(q);
            }
        }
        let (mut v, mut j, lone_one) = self.number_words(i)?;
        let mut lone = lone_one;
        if let Some((f, k)) = self.and_fraction(j) {
            // "one million and a half" is 1.5 million, "one and a half" 1.5
            let last = scale_word(self.w(j - 1), false).filter(|&s| s >= 1e3 && j > i + 1);
            match last {
                Some(s) if scale_word(self.w(k), false).is_none() => v += f * s,
                _ => v += f,
            }
            j = k;
            lone = false;
        }
        let (sc, k) = self.scale_after(j);
        if sc > 1.0 {
            lone = false;
        }
        let mut q = Q::point(v * sc, k);
        q.scale = sc;
        q.lone_one = lone;
        Some(q)
    }

    // ---- units ----

    /// A glued "m" after the figure at `i` (token `j`) is metres, not millions, when no currency
    /// stands before the figure and no noun follows: "fell about 600m.", "600m from the
    /// summit" — while "£600m", "600m people" stay millions.
    fn glued_metres(&self, i: usize, j: usize) -> bool {
        if self.w(j) != "m" || (i > 0 && self.currency_before(i - 1).is_some()) {
            return false;
        }
        match self.t.get(j + 1) {
            None => true,
            Some(t) if t.kind != Tk::Word => !matches!(self.sym(j + 1), Some('-' | '–')),
            Some(_) => matches!(
                self.w(j + 1),
                "from"
                    | "above"
                    | "below"
                    | "into"
                    | "down"
                    | "up"
                    | "away"
                    | "off"
                    | "high"
                    | "deep"
                    | "long"
                    | "wide"
                    | "tall"
                    | "to"
                    | "on"
                    | "in"
                    | "at"
                    | "and"
                    // a clause goes on: "fell about 600m while climbing", "600m before"
                    | "while"
                    | "when"
                    | "after"
                    | "before"
                    | "as"
                    | "during"
                    | "but"
                    | "onto"
                    | "towards"
                    | "toward"
                    | "across"
                    | "along"
                    | "through"
                    | "near"
                    | "beneath"
            ),
        }
    }

    /// Currency before the figure at `i` → (ISO code, index of the figure).
    fn currency_before(&self, i: usize) -> Option<(String, usize)> {
        let t = self.t.get(i)?;
        match t.kind {
            Tk::Sym => {
                let c = t.low.chars().next()?;
                let code = currency_symbol(c)?;
                Some((code.to_string(), i + 1))
            }
            Tk::Word => {
                if self.sym(i + 1) == Some('$') && self.glued(i + 1) {
                    let code = dollar_prefix(&t.low)?;
                    return Some((code.to_string(), i + 2));
                }
                // "U.S. $" — "u", ".", "s", ".", "$"
                if t.low == "u"
                    && self.sym(i + 1) == Some('.')
                    && self.w(i + 2) == "s"
                    && self.sym(i + 3) == Some('.')
                    && self.sym(i + 4) == Some('$')
                {
                    return Some(("USD".into(), i + 5));
                }
                let raw = self.raw(i);
                if let Some(code) = currency_code(raw) {
                    let j = if raw == "Rs" && self.sym(i + 1) == Some('.') {
                        i + 2
                    } else {
                        i + 1
                    };
                    return Some((code.to_string(), j));
                }
                None
            }
            Tk::Num => None,
        }
    }

    // ---- the mention ----

    fn mention_at(&self, i: usize) -> Outcome {
        let (mut md, after_mod) = self.modifier(i);
        let mut start = i;
        let (mut currency, qi) = match self.currency_before(after_mod) {
            Some((c, j)) => (Some(c), j),
            None => (None, after_mod),
        };
        let mut q = match self.quantity(qi) {
            Ok(Some(q)) => q,
            Ok(None) => return Outcome::Nothing,
            Err(skip) => {
                return if after_mod == i && currency.is_none() {
                    Outcome::Skip(skip)
                } else {
                    Outcome::Nothing
                };
            }
        };
        if md == Mod::About && self.w(i) == "some" && q.vague {
            // "some dozens": a determiner, not a modifier
            md = Mod::None;
            start = qi;
        }
        let mut end = q.end;
        let mut range = false;
        let mut sign = 1.0;
        if md == Mod::None && start == qi {
            let p = qi.wrapping_sub(1);
            if matches!(self.w(p), "minus" | "negative")
                || (self.is_dash(p)
                    && self.t[p].sp
                    && self.glued(qi)
                    && self.is_num(qi)
                    && !self.is_num(p.wrapping_sub(1)))
            {
                sign = -1.0;
                start = p;
            }
        }

        // ranges: "20-25", "20 to 25", "between 20 and 25"
        let joins = self.is_dash(end)
            || (self.w(end) == "to" && self.w(start.wrapping_sub(1)) != "from")
            || (self.w(end) == "and" && md == Mod::Between)
            || (matches!(md, Mod::Between | Mod::None) && self.w(end) == "through");
        let joiner = joins.then_some(end + 1);
        if let Some(k) = joiner {
            let cur2 = if currency.is_some() {
                self.currency_before(k).map(|(_, j)| j).unwrap_or(k)
            } else {
                k
            };
            if let Ok(Some(q2)) = self.quantity(cur2)
                && !q.vague
                && !q2.vague
                && q.digits == q2.digits
            {
                if self.is_dash(end) && self.is_score(start, q2.end, &q, &q2) {
                    return Outcome::Skip(q2.end);
                }
                let mut lo = q.lo;
                if q.scale == 1.0 && q2.scale > 1.0 {
                    lo *= q2.scale;
                }
                if lo <= q2.hi {
                    q.lo = lo;
                    q.hi = q2.hi;
                    q.scale = q2.scale;
                    q.plain_digits = None;
                    q.lone_one = false;
                    range = true;
                    end = q2.end;
                }
            }
        }
        if md == Mod::Between && !range {
            md = Mod::None;
            start = qi;
        }
        if self.is_dash(end) && self.is_num(end + 1) {
            // "1-2-3", a hyphenated code: skip
            return Outcome::Skip(end + 2);
        }

        // "or more" / "or less" / "or so"
        match (self.w(end), self.w(end + 1)) {
            ("or" | "and", "more" | "above" | "over") if md == Mod::None => {
                md = Mod::AtLeast;
                end += 2;
            }
            ("or" | "and", "less" | "fewer" | "under" | "below") if md == Mod::None => {
                md = Mod::UpTo;
                end += 2;
            }
            ("or", "so") if md == Mod::None => {
                md = Mod::About;
                end += 2;
            }
            _ => {}
        }
        let mut tail = end; // tokens after the number (before the unit)
        if matches!(self.w(end), "or" | "and") && end > q.end {
            tail = q.end;
        }

        // units
        let mut kind = NumKind::Count;
        let mut class = UnitClass::Other;
        let mut head: Option<String> = None;
        let mut value_mult = 1.0;
        let mut unit_end = tail;
        let mut percent_of = false;
        let mut head_plural = false;
        if let Some(c) = currency.take() {
            // "$5 million dollars" — eat a trailing currency word
            if currency_word(self.w(tail)) == Some(c.as_str()) {
                unit_end = tail + 1;
            }
            kind = NumKind::Money { currency: c };
            class = UnitClass::Money;
        } else if let Some(u) = self.percent_at(tail) {
            kind = NumKind::Percent;
            class = UnitClass::Percent;
            unit_end = u;
            percent_of = true;
        } else if let Some((code, u)) = self.currency_after(tail, &q) {
            kind = NumKind::Money { currency: code };
            class = UnitClass::Money;
            unit_end = u;
        } else if let Some((unit, mult, u)) = self.duration_at(tail) {
            if self.w(u) == "old"
                || (self.is_dash(u) && self.w(u + 1) == "old")
                || self.w(u) == "ago"
            {
                return Outcome::Skip(u + 1);
            }
            kind = NumKind::Duration { unit: unit.into() };
            class = UnitClass::Time;
            value_mult = mult;
            unit_end = u;
        } else if q.vague_years {
            kind = NumKind::Duration {
                unit: "years".into(),
            };
            class = UnitClass::Time;
        } else if let Some((cl, name, u)) = self.measure_at(tail) {
            class = cl;
            head = Some(name);
            unit_end = u;
        } else if q.fraction {
            kind = NumKind::Percent;
            class = UnitClass::Percent;
            value_mult = 100.0;
            percent_of = true;
        }
        let counting = kind == NumKind::Count && head.is_none();

        // exclusions that look around the number
        if let Some(skip) = self.excluded_context(start, qi, &q, unit_end, counting, md) {
            return Outcome::Skip(skip);
        }

        // head noun and role ("a magnitude-5.9 quake" counts no quakes)
        let mut role = None;
        let dashed = counting && self.noun_dash_before(start).is_some();
        if (counting || percent_of) && !dashed {
            let from = if self.w(unit_end) == "of" {
                unit_end + 1
            } else if percent_of {
                usize::MAX
            } else {
                unit_end
            };
            if from != usize::MAX {
                let from = if self.w(from) == "the" && !counting {
                    from + 1
                } else {
                    from
                };
                if let Some((h, hr, hend)) = self.head_at(from) {
                    head_plural = is_plural_form(&h) && !is_year_noun(&h);
                    if counting && let Some(code) = currency_word(&h).filter(|_| q.scale > 1.0) {
                        // "millions of dollars"
                        kind = NumKind::Money {
                            currency: code.into(),
                        };
                        class = UnitClass::Money;
                        unit_end = hend;
                    } else {
                        let sing = singular_head(&h);
                        if counting {
                            class = class_of(&sing);
                        }
                        head = Some(sing);
                        role = hr;
                        if counting {
                            role = role.or_else(|| self.role_after(hend));
                        }
                    }
                }
            }
        }
        // a figure named by a measure noun of its own: "a magnitude of 5.9", "a population of
        // 120,000", "a 6.1-magnitude quake", "a magnitude-5.9 quake"
        if counting
            && head.is_none()
            && let Some(n) = self.measure_noun(start, unit_end)
        {
            class = class_of(&n);
            head = Some(n);
        }
        if counting && kind == NumKind::Count {
            if q.lone_one && head.is_none() {
                return Outcome::Nothing;
            }
            if head.is_none() && role.is_none() {
                role = self.role_after(unit_end);
            }
            if role.is_none() {
                role = self.role_before(start);
            }
            if q.plain_digits == Some(4)
                && (1800.0..=2100.0).contains(&q.lo)
                && md == Mod::None
                && !range
                && (!head_plural || is_date_preposition(self.w(start.wrapping_sub(1))))
            {
                return Outcome::Skip(q.end);
            }
        }

        // the interval
        let (mut lo, mut hi) = (q.lo * value_mult * sign, q.hi * value_mult * sign);
        if lo > hi {
            std::mem::swap(&mut lo, &mut hi);
        }
        let (lo, hi) = match md {
            Mod::None | Mod::Between => (lo, hi),
            Mod::About => {
                let t = if is_round(lo) && lo >= 100.0 {
                    0.2
                } else {
                    0.15
                };
                (lo * (1.0 - t), hi * (1.0 + t))
            }
            Mod::Nearly => (lo * 0.9, hi - eps(hi)),
            Mod::MoreThan => (hi + eps(hi), f64::INFINITY),
            Mod::JustOver => (hi + eps(hi), hi * 1.1),
            Mod::AtLeast => (lo, f64::INFINITY),
            Mod::UpTo => (0.0, hi),
            Mod::LessThan => (0.0, lo - eps(lo)),
        };
        let exact = md == Mod::None && !q.vague && !range;
        let span_end = self.t[unit_end.max(q.end) - 1].e.max(self.t[end - 1].e);
        let span = self.t[start].s..span_end;
        let next = unit_end.max(end);
        if class == UnitClass::Money || class == UnitClass::Percent || class == UnitClass::Time {
            role = None;
        }
        Outcome::Found(
            Box::new(NumberMention {
                text: self.s[span.clone()].to_string(),
                span,
                value: Interval { min: lo, max: hi },
                exact,
                kind,
                head,
                class,
                role: role.map(str::to_string),
            }),
            next,
        )
    }

    fn is_score(&self, start: usize, end: usize, q: &Q, q2: &Q) -> bool {
        if !(q.lo.fract() == 0.0 && q2.lo.fract() == 0.0 && q.lo < 30.0 && q2.lo < 30.0) {
            return false;
        }
        let lo = start.saturating_sub(4);
        (lo..(end + 4).min(self.t.len())).any(|k| {
            matches!(
                self.w(k),
                "won"
                    | "win"
                    | "wins"
                    | "beat"
                    | "beats"
                    | "lost"
                    | "lose"
                    | "loses"
                    | "defeat"
                    | "defeated"
                    | "victory"
                    | "draw"
                    | "drew"
                    | "score"
                    | "scored"
                    | "scoreline"
                    | "lead"
                    | "led"
                    | "leading"
                    | "trailing"
                    | "thrashing"
                    | "routed"
                    | "goals"
                    | "sets"
                    | "final"
                    | "match"
                    | "game"
                    | "aggregate"
            )
        })
    }

    fn percent_at(&self, j: usize) -> Option<usize> {
        if self.sym(j) == Some('%') {
            return Some(j + 1);
        }
        let u = match (self.w(j), self.w(j + 1)) {
            ("per", "cent") => j + 2,
            ("percent" | "pc" | "pct" | "percents", _) => j + 1,
            ("percentage", "point" | "points") => j + 2,
            ("percentage", _) => j + 1,
            _ => return None,
        };
        if matches!(self.w(u), "point" | "points") && self.w(u - 1) != "point" {
            return Some(u + 1);
        }
        Some(u)
    }

    fn currency_after(&self, j: usize, q: &Q) -> Option<(String, usize)> {
        // "a 12-cent dividend", "one-yen bid"
        let j = if self.is_dash(j) && self.glued(j) && self.glued(j + 1) {
            j + 1
        } else {
            j
        };
        if let Some(c) = self.sym(j).and_then(currency_symbol) {
            return Some((c.into(), j + 1));
        }
        if let Some(t) = self.t.get(j)
            && t.kind == Tk::Word
            && let Some(code) = currency_code(self.raw(j))
        {
            return Some((code.into(), j + 1));
        }
        // qualifiers: "Australian dollars", "Hong Kong dollars", "Swiss francs"
        for k in 0..=2 {
            let w = self.w(j + k);
            if let Some(code) = currency_word(w) {
                if matches!(w, "pound" | "pounds")
                    && q.scale == 1.0
                    && self.w(j + k + 1) != "sterling"
                {
                    return None; // weight unless scaled or "sterling"
                }
                if matches!(w, "cent" | "cents" | "pence" | "penny") && k > 0 {
                    return None;
                }
                let code = if k > 0 {
                    currency_qualifier(self.w(j + k - 1), code)?
                } else {
                    code
                };
                let mut u = j + k + 1;
                if self.w(u) == "sterling" {
                    u += 1;
                }
                return Some((code.into(), u));
            }
            if k < 2 && (w.is_empty() || is_stop_word(w)) {
                return None;
            }
        }
        None
    }

    fn duration_at(&self, j: usize) -> Option<(&'static str, f64, usize)> {
        let k = if self.is_dash(j) && self.glued(j) {
            j + 1
        } else {
            j
        };
        let (unit, mult) = duration_unit(self.w(k))?;
        Some((unit, mult, k + 1))
    }

    fn measure_at(&self, j: usize) -> Option<(UnitClass, String, usize)> {
        let mut k = if self.is_dash(j) && self.glued(j) {
            j + 1
        } else {
            j
        };
        let area = matches!(self.w(k), "square" | "sq" | "cubic");
        if area {
            k += 1;
        }
        let w = self.w(k);
        if (w == "m" || w == "t" || w == "g") && !self.glued(k) && self.w(k + 1).len() > 1 {
            return None; // a spaced single letter followed by more words: not a unit
        }
        if matches!(w, "pound" | "pounds") && !self.glued(k) {
            return Some((UnitClass::Weight, "lb".into(), k + 1));
        }
        // a temperature: "46.8C", "104F" (glued capital), "47 Celsius"
        if self.glued(k) && matches!(self.raw(k), "C" | "F") {
            let name = if self.raw(k) == "C" { "°C" } else { "°F" };
            return Some((UnitClass::Other, name.into(), k + 1));
        }
        let (class, name) = measure_unit(w)?;
        if area {
            let pre = if self.w(k - 1) == "cubic" {
                "cubic"
            } else {
                "sq"
            };
            return Some((UnitClass::Other, format!("{pre} {name}"), k + 1));
        }
        if class == UnitClass::Distance
            && matches!((self.w(k + 1), self.w(k + 2)), ("an" | "per", "hour"))
        {
            let n = if name == "mile" { "mph" } else { "km/h" };
            return Some((UnitClass::Other, n.into(), k + 3));
        }
        Some((class, name.into(), k + 1))
    }

    /// Why the number at `qi` (mention from `start`) is not a quantity; the index to resume.
    fn excluded_context(
        &self,
        start: usize,
        qi: usize,
        q: &Q,
        unit_end: usize,
        counting: bool,
        md: Mod,
    ) -> Option<usize> {
        let resume = Some(unit_end.max(q.end));
        let prev = start.wrapping_sub(1);
        let first_digit = self.is_num(qi);
        // glued to letters or a code: "G7", "COVID-19", "F-16", "#5"
        if first_digit && start == qi {
            if self.glued(qi)
                && (self.t.get(prev).is_some_and(|t| t.kind == Tk::Word)
                    || matches!(self.sym(prev), Some('#' | '/' | ':' | '.' | '-' | '–')))
            {
                // a glued dash after a word ("F-16") or after a number ("737-800")
                let is_neg =
                    self.is_dash(prev) && self.t[prev].sp && !self.is_num(prev.wrapping_sub(1));
                if !is_neg && self.noun_dash_before(qi).is_none() {
                    return resume;
                }
            }
            // "9:30", "24/7" glued after
            if matches!(self.sym(q.end), Some(':' | '/')) && self.glued(q.end) {
                return Some(q.end + 2);
            }
        }
        // a label before: "page 5", "Flight 370", "No. 10", "Article 5", "Boeing 737"
        let (lab, before_lab) = if self.sym(prev) == Some('.') {
            (prev.wrapping_sub(1), true)
        } else {
            (prev, false)
        };
        if let Some(t) = self.t.get(lab)
            && t.kind == Tk::Word
            && (first_digit || !before_lab)
        {
            let lw = t.low.as_str();
            let labelled = is_label_word(lw) && (first_digit || lw == "number");
            let possessive = lw.ends_with("'s") || lw.ends_with("’s");
            let proper = t.cap
                && lab > 0
                && !possessive
                && !is_month(lw)
                && !is_weekday(lw)
                && !is_stop_word(lw)
                && self.modifier(lab).0 == Mod::None
                && first_digit
                && !self.is_sentence_start(lab);
            if (labelled || proper) && md == Mod::None && !matches!(lw, "day" | "week") {
                return resume;
            }
            if (lw == "day" || lw == "week") && first_digit && md == Mod::None && counting {
                return resume;
            }
            if matches!(lw, "aged" | "age" | "ages") {
                return resume;
            }
        }
        // date parts: "January 3", "3 Jan", "3rd of May", "May 2025"
        if first_digit && q.plain_digits.is_some() && md == Mod::None {
            let month_before = self.cap_month(prev)
                || (self.sym(prev) == Some('.') && self.cap_month(prev.wrapping_sub(1)));
            let month_after =
                self.cap_month(q.end) || (self.w(q.end) == "of" && self.cap_month(q.end + 1));
            if (month_before || month_after) && (q.lo <= 31.0 || q.plain_digits == Some(4)) {
                return resume;
            }
            // "January 3, 2026"
            if self.sym(prev) == Some(',')
                && self.is_num(prev.wrapping_sub(1))
                && self.cap_month(prev.wrapping_sub(2))
            {
                return resume;
            }
            // "(2)" list items and "1." at the start
            if self.sym(prev) == Some('(') && self.sym(q.end) == Some(')') && q.lo < 100.0 {
                return resume;
            }
            if qi == 0 && matches!(self.sym(q.end), Some('.' | ')')) && q.end + 1 < self.t.len() {
                return resume;
            }
            // ages after a name: "John Smith, 45, said"
            if self.sym(prev) == Some(',')
                && matches!(self.sym(q.end), Some(',' | ')'))
                && self.t.get(prev.wrapping_sub(1)).is_some_and(|t| t.cap)
                && q.lo < 120.0
                && counting
                && self.w(q.end + 1) != "and"
            {
                return resume;
            }
        }
        // pronoun "one": "the one", "no one", "one of the", "one another"
        if q.lone_one {
            let pw = self.w(prev);
            if matches!(
                pw,
                "the"
                    | "this"
                    | "that"
                    | "no"
                    | "any"
                    | "every"
                    | "each"
                    | "which"
                    | "a"
                    | "such"
                    | "another"
                    | "any."
            ) || matches!(
                self.w(q.end),
                "of" | "another"
                    | "day"
                    | "time"
                    | "point"
                    | "hand"
                    | "side"
                    | "way"
                    | "thing"
                    | "by"
                    | "off"
                    | "after"
            ) || (self.is_dash(q.end) && self.glued(q.end) && counting)
            {
                return resume;
            }
        }
        // ordinal words are never quantities themselves (guard for "first" etc.)
        if is_ordinal_word(self.w(qi)) && !q.fraction {
            return resume;
        }
        None
    }

    fn is_sentence_start(&self, i: usize) -> bool {
        (0..i).all(|k| self.t[k].kind == Tk::Sym)
    }

    /// The counted noun from `j`: (word as written lower-case, role if the noun gives one,
    /// index after it).
    fn head_at(&self, j: usize) -> Option<(String, Option<&'static str>, usize)> {
        let mut k = j;
        let mut skipped = 0;
        while skipped <= 3 {
            let t = self.t.get(k)?;
            if t.kind != Tk::Word {
                return None;
            }
            let w = t.low.as_str();
            if is_stop_word(w)
                || small_number(w).is_some()
                || tens_word(w).is_some()
                || scale_word(w, false).is_some()
            {
                return None;
            }
            if let Some(r) = role_word(w) {
                if matches!(
                    w,
                    "deaths"
                        | "fatalities"
                        | "injuries"
                        | "arrests"
                        | "cases"
                        | "votes"
                        | "bodies"
                        | "evacuees"
                        | "infections"
                ) {
                    return Some((w.to_string(), Some(r), k + 1));
                }
                return None;
            }
            // a model designator before the noun: "AK-47 rifles", "AK 47 guns", "F-16 jets"
            if t.cap && w.len() <= 4 {
                let m = if self.is_dash(k + 1) { k + 2 } else { k + 1 };
                if self.t.get(m).is_some_and(|x| x.kind == Tk::Num)
                    && self.t.get(m + 1).is_some_and(|x| x.kind == Tk::Word)
                {
                    skipped += 1;
                    k = m + 1;
                    continue;
                }
            }
            // a compound adjective "Russian-backed", "well-armed": skip all its parts
            if self.is_dash(k + 1)
                && self.glued(k + 1)
                && self.glued(k + 2)
                && !self.w(k + 2).is_empty()
            {
                k += 2;
                continue;
            }
            let plural = is_plural_form(w);
            let adjective = if t.cap {
                !plural || w.len() <= 3
            } else {
                is_adjective(w)
                    || (!plural
                        && [
                            "ed", "ing", "ian", "ese", "ish", "al", "ive", "ous", "ful", "ic", "ly",
                        ]
                        .iter()
                        .any(|s| w.ends_with(s))
                        && w.len() > 4)
            };
            if adjective {
                // an adjective alone before a stop ("52 dead") is no head
                skipped += 1;
                k += 1;
                continue;
            }
            // compounds: "police officers", "member states", "prime ministers", "heads of state"
            if matches!(w, "head" | "heads")
                && self.w(k + 1) == "of"
                && matches!(self.w(k + 2), "state" | "government")
            {
                return Some((format!("head of {}", self.w(k + 2)), None, k + 3));
            }
            let nx = self.w(k + 1);
            let known = matches!(
                (w, nx),
                ("prime", "minister" | "ministers")
                    | ("foreign", "minister" | "ministers")
                    | ("member", "state" | "states" | "countries" | "country")
                    | ("police", "officer" | "officers")
                    | ("asylum", "seeker" | "seekers")
            );
            if known {
                return Some((format!("{w} {nx}"), None, k + 2));
            }
            if !plural
                && !nx.is_empty()
                && self.t[k + 1].sp
                && is_plural_form(nx)
                && !is_stop_word(nx)
                && role_word(nx).is_none()
                && !nx.ends_with("ed")
            {
                return Some((nx.to_string(), role_word(nx), k + 2));
            }
            return Some((w.to_string(), None, k + 1));
        }
        None
    }

    fn role_after(&self, mut k: usize) -> Option<&'static str> {
        for _ in 0..6 {
            let w = self.w(k);
            if w.is_empty() {
                return None;
            }
            if let Some(r) = role_word(w) {
                return Some(r);
            }
            if !is_role_gap_after(w) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// A lower-case word joined to the figure at `qi` by a dash before it ("magnitude-5.9",
    /// "category-4"), never a code ("F-16", "COVID-19", "G-7": capitals or short).
    fn noun_dash_before(&self, qi: usize) -> Option<String> {
        let (dash, word) = (qi.checked_sub(1)?, qi.checked_sub(2)?);
        let raw = self.raw(word);
        (self.is_dash(dash)
            && self.glued(qi)
            && self.glued(dash)
            && self.t[word].kind == Tk::Word
            && raw.len() >= 5
            && raw.chars().all(|c| c.is_ascii_lowercase()))
        .then(|| singular_head(raw))
    }

    /// The noun that names a figure with no counted noun after it: a dashed compound ("a
    /// 6.1-magnitude quake", "a magnitude-5.9 quake", "a 40-page report") or a determiner +
    /// noun + "of" before it ("a magnitude of 5.9", "a population of 120,000").
    fn measure_noun(&self, start: usize, end: usize) -> Option<String> {
        const NOT_NOUNS: &[&str] = &["strong", "odd", "plus", "something", "year", "old"];
        let noun = |w: &str| {
            w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()) && !NOT_NOUNS.contains(&w)
        };
        if let Some(n) = self.noun_dash_before(start) {
            return Some(n);
        }
        if self.is_dash(end)
            && self.glued(end)
            && self.glued(end + 1)
            && self.t.get(end + 1).is_some_and(|t| t.kind == Tk::Word)
            && noun(self.w(end + 1))
            && !self.is_dash(end + 2)
        {
            return Some(singular_head(self.w(end + 1)));
        }
        let before = |k: usize| start.checked_sub(k).map_or("", |i| self.w(i));
        (before(1) == "of"
            && noun(before(2))
            && !is_stop_word(before(2))
            && matches!(
                before(3),
                "a" | "an" | "the" | "its" | "their" | "his" | "her"
            ))
        .then(|| singular_head(before(2)))
    }

    fn role_before(&self, start: usize) -> Option<&'static str> {
        let mut k = start;
        for _ in 0..6 {
            k = k.checked_sub(1)?;
            let w = self.w(k);
            if w.is_empty() {
                return None;
            }
            if let Some(r) = role_word(w) {
                return Some(r);
            }
            if !is_role_gap_before(w) {
                return None;
            }
        }
        None
    }
}

fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

fn is_date_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "since"
            | "by"
            | "until"
            | "till"
            | "from"
            | "of"
            | "during"
            | "before"
            | "after"
            | "early"
            | "late"
            | "mid"
            | "the"
            | "year"
            | "fiscal"
            | "summer"
            | "spring"
            | "winter"
            | "autumn"
            | "fall"
            | "through"
            | "circa"
            | "throughout"
    )
}

/// Plural nouns that follow a year attributively ("2024 elections").
fn is_year_noun(w: &str) -> bool {
    matches!(
        w,
        "elections"
            | "olympics"
            | "games"
            | "protests"
            | "riots"
            | "floods"
            | "polls"
            | "midterms"
            | "accounts"
            | "results"
            | "figures"
            | "levels"
            | "talks"
            | "attacks"
            | "sales"
            | "earnings"
            | "rules"
            | "standards"
            | "models"
            | "prices"
            | "estimates"
    )
}

/// Singular head, keeping compound heads' first word.
fn singular_head(h: &str) -> String {
    match h.rsplit_once(' ') {
        Some((a, b)) if !h.starts_with("head of") => format!("{a} {}", singular(b)),
        Some(_) => h.to_string(),
        None => singular(h),
    }
}

/// One significant digit ("30", "800,000").
fn is_round(v: f64) -> bool {
    if v <= 0.0 || v.fract() != 0.0 {
        return false;
    }
    let mut n = v as u64;
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    n < 10
}
