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

mod context;
mod lexicon;
mod quantity;
#[cfg(test)]
mod tests;
mod tokens;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Interval, NumKind, NumberMention, UnitClass};
use context::*;
use lexicon::*;
use quantity::*;
use tokens::*;

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
    /// tokens after the unit that belong to the figure ("a mile *and a half*"): where the
    /// mention ends when that unit is read
    after_unit: Option<usize>,
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
            after_unit: None,
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
        if let Some(k) = q.after_unit.filter(|_| unit_end > tail) {
            unit_end = k;
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
}
