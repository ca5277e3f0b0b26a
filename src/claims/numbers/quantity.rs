//! Quantities: the modifier ("about", "more than"), the figure in digits or words with its
//! scale and fraction, and a currency written before it.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mod {
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

pub(super) const MODIFIERS: &[(&[&str], Mod)] = &[
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

impl Parser<'_> {
    // ---- quantities ----

    /// Modifier phrase at `i` → (modifier, index after it).
    pub(super) fn modifier(&self, i: usize) -> (Mod, usize) {
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
    pub(super) fn number_words(&self, i: usize) -> Option<(f64, usize, bool)> {
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

    /// The end of a singular unit word at `j` ("mile", "hour", "kilometre"), the unit of a
    /// written fraction ("half a mile", "an hour and a half").
    pub(super) fn unit_word(&self, j: usize) -> Option<usize> {
        let w = self.w(j);
        let unit = duration_unit(w).is_some() || measure_unit(w).is_some();
        (unit && w.len() > 2 && !w.ends_with('s') && !matches!(w, "min" | "sec" | "ton"))
            .then_some(j + 1)
    }

    /// "and a half", "and three quarters" after a number.
    pub(super) fn and_fraction(&self, j: usize) -> Option<(f64, usize)> {
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
    pub(super) fn scale_after(&self, mut j: usize) -> (f64, usize) {
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
    pub(super) fn quantity(&self, i: usize) -> Result<Option<Q>, usize> {
        let Some(tok) = self.t.get(i) else {
            return Ok(None);
        };
        match tok.kind {
            Tk::Num => self.digit_quantity(i),
            Tk::Word => Ok(self.word_quantity(i)),
            Tk::Sym => Ok(self.symbol_fraction(i)),
        }
    }

    pub(super) fn symbol_fraction(&self, i: usize) -> Option<Q> {
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

    pub(super) fn digit_quantity(&self, i: usize) -> Result<Option<Q>, usize> {
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

    pub(super) fn word_quantity(&self, i: usize) -> Option<Q> {
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
            ("half", "a" | "an") => (0.5, i + 2),
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
                // "half a mile", "half an hour": the unit is read after the figure
                return self.unit_word(j).map(|_| Q::point(0.5, j));
            }
            // "a mile and a half", "an hour and a half": 1.5 of the unit, the "and a half"
            // kept in the mention
            if let Some(u) = self.unit_word(j)
                && let Some((f, k)) = self.and_fraction(u)
            {
                let mut q = Q::point(1.0 + f, j);
                q.after_unit = Some(k);
                return Some(q);
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
    pub(super) fn glued_metres(&self, i: usize, j: usize) -> bool {
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
    pub(super) fn currency_before(&self, i: usize) -> Option<(String, usize)> {
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
}
