//! The context of a figure: why it is not a quantity (years, date parts, ages, labels,
//! list numbers), its head noun and the role words around it.

use super::*;

impl Parser<'_> {
    /// Why the number at `qi` (mention from `start`) is not a quantity; the index to resume.
    pub(super) fn excluded_context(
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

    pub(super) fn is_sentence_start(&self, i: usize) -> bool {
        (0..i).all(|k| self.t[k].kind == Tk::Sym)
    }

    /// The counted noun from `j`: (word as written lower-case, role if the noun gives one,
    /// index after it).
    pub(super) fn head_at(&self, j: usize) -> Option<(String, Option<&'static str>, usize)> {
        let (mut model, mut other) = (None, false);
        let found = self.noun_at(j, &mut model, &mut other);
        // a model designator names the counted thing more precisely than any noun: "seven
        // AK-47s", "seven AK-47 assault rifles" and "12 AK 47 guns" all count AK-47s; "other"
        // things are not the things counted before them (the compare layer reads both
        // qualifiers: `compare::frames::qualified`)
        let model = model.or_else(|| other.then(|| "other".to_string()));
        match (model, found) {
            (Some(m), Some((n, _, end))) if n == "s" => Some((m, None, end)),
            (Some(m), Some((n, r, end))) => Some((format!("{m} {n}"), r, end)),
            (Some(m), None) if m != "other" => Some((m, None, j)),
            (_, found) => found,
        }
    }

    /// The counted noun from `j` on, skipping adjectives; a model designator ("AK-47",
    /// "F-16") on the way is put in `model` as "ak-47", "other" / "more" / "additional"
    /// set `other`.
    fn noun_at(
        &self,
        j: usize,
        model: &mut Option<String>,
        other: &mut bool,
    ) -> Option<(String, Option<&'static str>, usize)> {
        let mut k = j;
        let mut skipped = 0;
        while skipped <= 3 {
            let t = self.t.get(k)?;
            if t.kind != Tk::Word {
                return None;
            }
            let w = t.low.as_str();
            // "three other rifles", "two more people": things besides those counted before
            if matches!(w, "other" | "more" | "additional" | "further" | "extra")
                && self.t.get(k + 1).is_some_and(|x| x.kind == Tk::Word)
                && !is_stop_word(self.w(k + 1))
            {
                *other = true;
                skipped += 1;
                k += 1;
                continue;
            }
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
                    *model = Some(format!("{w}-{}", self.t[m].low));
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

    pub(super) fn role_after(&self, mut k: usize) -> Option<&'static str> {
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
    pub(super) fn noun_dash_before(&self, qi: usize) -> Option<String> {
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
    pub(super) fn measure_noun(&self, start: usize, end: usize) -> Option<String> {
        const NOT_NOUNS: &[&str] = &["strong", "odd", "plus", "something", "year", "old"];
        let noun = |w: &str| {
            w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()) && !NOT_NOUNS.contains(&w)
        };
        // "a mother of 13", "a father-of-three": a parent is counted by children
        let kin = |w: &str| match w {
            "mother" | "father" | "parent" | "mum" | "mom" | "dad" => Some("child"),
            "grandmother" | "grandfather" | "grandparent" | "grandma" | "grandpa" => {
                Some("grandchild")
            }
            _ => None,
        };
        let before = |k: usize| start.checked_sub(k).map_or("", |i| self.w(i));
        let dash_before = |k: usize| start.checked_sub(k).is_some_and(|i| self.is_dash(i));
        if before(1) == "of"
            && let Some(c) = kin(before(2))
        {
            return Some(c.into());
        }
        if dash_before(1)
            && before(2) == "of"
            && dash_before(3)
            && let Some(c) = kin(before(4))
        {
            return Some(c.into());
        }
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
        (before(1) == "of"
            && noun(before(2))
            && !is_stop_word(before(2))
            && matches!(
                before(3),
                "a" | "an" | "the" | "its" | "their" | "his" | "her"
            ))
        .then(|| singular_head(before(2)))
    }

    pub(super) fn role_before(&self, start: usize) -> Option<&'static str> {
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

pub(super) fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

pub(super) fn is_date_preposition(w: &str) -> bool {
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
pub(super) fn is_year_noun(w: &str) -> bool {
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
pub(super) fn singular_head(h: &str) -> String {
    match h.rsplit_once(' ') {
        Some((a, b)) if !h.starts_with("head of") => format!("{a} {}", singular(b)),
        Some(_) => h.to_string(),
        None => singular(h),
    }
}

/// One significant digit ("30", "800,000").
pub(super) fn is_round(v: f64) -> bool {
    if v <= 0.0 || v.fract() != 0.0 {
        return false;
    }
    let mut n = v as u64;
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    n < 10
}
