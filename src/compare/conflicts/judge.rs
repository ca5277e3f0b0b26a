//! Judging one aligned group of outlets' claims: the outcome of each pair (agree, compatible,
//! refinement, stale, tension, disputed, conflict), the group's consensus and outlier, its
//! severity and an explanation of why the values cannot all be true; and who a sentence
//! attributes a figure to. Split from `conflicts.rs` along this seam.

use super::*;

// ---------------------------------------------------------------------------------------------
// judging

pub(super) struct Side<'a> {
    pub(super) outlet: &'a str,
    pub(super) url: &'a str,
    pub(super) published: DateTime<FixedOffset>,
    pub(super) claim: &'a Claim,
    pub(super) sentence: &'a str,
    pub(super) words: BTreeSet<String>,
    /// Names in the sentence ([`sentence_names`]).
    pub(super) names: BTreeSet<String>,
    /// Surnames of the people the sentence names (person claims), lower-cased.
    pub(super) people: BTreeSet<String>,
    pub(super) party: Option<String>,
}

impl<'a> Side<'a> {
    pub(super) fn new(doc: &'a OutletDoc, _d: usize, claim: &'a Claim) -> Self {
        let sentence = doc.claims.sentence(claim.sentence);
        Side {
            outlet: &doc.outlet,
            url: &doc.url,
            published: doc.published,
            claim,
            sentence,
            words: content_words(sentence),
            names: sentence_names(sentence),
            people: sentence_people(sentence),
            party: attribution(sentence, claim.span.start),
        }
    }

    fn json(&self) -> FindingClaim {
        FindingClaim {
            outlet: self.outlet.to_string(),
            article_url: self.url.to_string(),
            text: self.claim.text.clone(),
            value: self.claim.value.to_json(),
            sentence: self.sentence.to_string(),
        }
    }

    /// Interval with the round-number halo.
    fn interval(&self) -> Option<(f64, f64, bool)> {
        let (min, max, exact) = match &self.claim.value {
            Value::Number { min, max, exact }
            | Value::Money {
                min, max, exact, ..
            } => (*min, *max, *exact),
            _ => return None,
        };
        if min == max && exact && is_round(min) {
            let h = min.abs() * 0.025;
            return Some((min - h, max + h, exact));
        }
        Some((min, max, exact && min == max))
    }

    /// Precision for picking a consensus among ties: exact and narrow first.
    fn width(&self) -> f64 {
        match &self.claim.value {
            Value::Number { min, max, .. } | Value::Money { min, max, .. } => max - min,
            Value::Date { alt: Some(_), .. } => 1.0,
            _ => 0.0,
        }
    }
}

/// At most two significant digits and at least 100: "800,000", "1,200", "30,000".
pub(super) fn is_round(v: f64) -> bool {
    if !v.is_finite() || v.abs() < 100.0 || v.fract() != 0.0 {
        return false;
    }
    let mut n = v.abs() as u64;
    let mut zeros = 0;
    while n.is_multiple_of(10) {
        n /= 10;
        zeros += 1;
    }
    zeros >= 1 && n < 100
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Firm {
    /// A point ("52") or a one-sided bound ("more than 20", "under 32").
    Exact,
    /// A narrow hedge ("about 300", "almost 30").
    Hedge,
    /// A vague range ("dozens", "thousands", "a few hundred").
    Vague,
}

pub(super) fn firmness(min: f64, max: f64, exact: bool) -> Firm {
    if exact || min == max || !max.is_finite() || min <= 0.0 {
        Firm::Exact
    } else if (max - min) / max <= 0.35 {
        Firm::Hedge
    } else {
        Firm::Vague
    }
}

/// The judgement of one pair and the gap size in [0, 1].
pub(super) fn judge_pair(a: &Side, b: &Side, slot: &str, general: bool) -> (Outcome, f32) {
    if a.claim.value.same(&b.claim.value) {
        return (Outcome::Agree, 0.0);
    }
    let parties_differ = matches!((&a.party, &b.party), (Some(x), Some(y)) if x != y);
    let related_classes = a.claim.class != b.claim.class;
    let (outcome, gap) = match (&a.claim.value, &b.claim.value) {
        (
            Value::Date {
                date: Some(x),
                alt: xa,
            },
            Value::Date {
                date: Some(y),
                alt: ya,
            },
        ) => {
            let days = (*x - *y).num_days().abs() as f32;
            let gap = (0.6 + 0.1 * days).min(1.0);
            // a present-tense weekday reads at 0.48 ("is sworn in on Tuesday"): still a day
            if xa.is_some()
                || ya.is_some()
                || a.claim.confidence < 0.45
                || b.claim.confidence < 0.45
            {
                (Outcome::Tension, gap)
            } else {
                (Outcome::Conflict, gap)
            }
        }
        (Value::Date { .. }, Value::Date { .. }) => return (Outcome::Compatible, 0.0),
        (Value::Text { text: x }, Value::Text { text: y }) if slot == clock::SLOT => {
            if clock::compatible(x, y) != Some(false) {
                return (Outcome::Compatible, 0.0);
            }
            (Outcome::Conflict, (0.5 + clock::gap(x, y) / 120.0).min(1.0))
        }
        (Value::Text { text: x }, Value::Text { text: y }) if slot == "quote speaker" => {
            if people::same_person(x, y) {
                return (Outcome::Compatible, 0.0);
            }
            (Outcome::Conflict, 0.9)
        }
        // one person's age: two reports may differ by the birthdays between their dates (27 in
        // 2005, 29 at the 2007 trial), never by more, nor the other way round
        (Value::Text { text: x }, Value::Text { text: y }) if slot.starts_with("age of ") => {
            let (Ok(p), Ok(q)) = (x.parse::<i64>(), y.parse::<i64>()) else {
                return (Outcome::Compatible, 0.0);
            };
            let years = (a.published - b.published).num_days() as f64 / 365.25;
            let d = (p - q) as f64;
            if years.floor() <= d && d <= years.ceil() {
                return (Outcome::Compatible, 0.0);
            }
            (Outcome::Conflict, 0.7)
        }
        (Value::Text { text: x }, Value::Text { text: y }) if slot.starts_with("role of ") => {
            if people::roles_compatible(x, y) {
                return (Outcome::Compatible, 0.0);
            }
            if people::role_is_vague(x) || people::role_is_vague(y) {
                return (Outcome::Tension, 0.5);
            }
            (Outcome::Conflict, 0.8)
        }
        (Value::Text { text: x }, Value::Text { text: y }) => match place_relation(x, y) {
            Outcome::Conflict => (Outcome::Conflict, 0.9),
            o => return (o, 0.0),
        },
        (Value::Money { currency: x, .. }, Value::Money { currency: y, .. }) if x != y => {
            return (Outcome::Compatible, 0.0);
        }
        _ => {
            let (Some((amin, amax, aex)), Some((bmin, bmax, bex))) = (a.interval(), b.interval())
            else {
                return (Outcome::Compatible, 0.0);
            };
            // two hedges are two estimates: "about 28,000" and "around 38,000" differ by their
            // centres, not by the gap between their halos
            // (and a hedge against a figure by how far the figure is from its centre)
            let (af, bf) = (firmness(amin, amax, aex), firmness(bmin, bmax, bex));
            let point = |f: Firm, exact: bool| f == Firm::Hedge || (f == Firm::Exact && exact);
            if (af == Firm::Hedge || bf == Firm::Hedge)
                && point(af, aex)
                && point(bf, bex)
                && !related_classes
            {
                let (ca, cb) = ((amin + amax) / 2.0, (bmin + bmax) / 2.0);
                let rel = (ca - cb).abs() / ca.abs().max(cb.abs()).max(1.0);
                if rel > 0.2 {
                    return (Outcome::Conflict, (0.4 + rel).min(1.0) as f32);
                }
                if af == Firm::Hedge && bf == Firm::Hedge {
                    return (Outcome::Compatible, 0.0);
                }
            }
            if amin <= bmax && bmin <= amax {
                // overlap: an exact value inside a much wider interval is a refinement
                let (aw, bw) = (amax - amin, bmax - bmin);
                let inside =
                    |imin: f64, imax: f64, omin: f64, omax: f64| imin >= omin && imax <= omax;
                let refine = !related_classes
                    && ((aex && inside(amin, amax, bmin, bmax) && bw > 3.0 * aw.max(1.0))
                        || (bex && inside(bmin, bmax, amin, amax) && aw > 3.0 * bw.max(1.0)));
                return if refine {
                    (Outcome::Refinement, 0.2)
                } else {
                    (Outcome::Compatible, 0.0)
                };
            }
            let dist = if amax < bmin {
                bmin - amax
            } else {
                amin - bmax
            };
            let scale = [amin, amax, bmin, bmax]
                .iter()
                .filter(|v| v.is_finite())
                .fold(1.0f64, |m, v| m.max(v.abs()));
            let gap = (0.4 + dist / scale).min(1.0) as f32;
            if RUNNING.contains(&slot) {
                let (lo, hi) = if amax < bmin { (a, b) } else { (b, a) };
                if lo.published < hi.published {
                    return (
                        if parties_differ {
                            Outcome::Disputed
                        } else {
                            Outcome::Stale
                        },
                        gap,
                    );
                }
            }
            // A bound ("more than 20") and a narrow hedge ("about 300") are claims too: far
            // outside them is a conflict. Vague ranges ("thousands", "a few hundred") and a
            // near miss of a hedge are a tension.
            let (af, bf) = (firmness(amin, amax, aex), firmness(bmin, bmax, bex));
            let near_miss = (af == Firm::Hedge || bf == Firm::Hedge) && dist / scale < 0.25;
            // a bound that only just excludes the figure ("more than four minutes" / "four
            // minutes"), or a figure one step off a round one ("10 minutes" / "nine minutes"):
            // within the rounding of everyday speech
            let touching = dist / scale < 0.01;
            let rounded = |v: f64, ex: bool| ex && v >= 5.0 && v.fract() == 0.0 && v % 5.0 == 0.0;
            let off_round = aex
                && bex
                && (rounded(amin, aex) || rounded(bmin, bex))
                && dist <= 1.0
                && dist / scale <= 0.1;
            if related_classes
                || af == Firm::Vague
                || bf == Firm::Vague
                || near_miss
                || touching
                || off_round
            {
                (Outcome::Tension, gap)
            } else {
                (Outcome::Conflict, gap)
            }
        }
    };
    let mut outcome = outcome;
    // (for a quotation the speaker is the value itself, not a party to it)
    if parties_differ && outcome >= Outcome::Tension && slot != "quote speaker" {
        outcome = Outcome::Disputed;
    }
    // the general event: a disjoint pair from sentences that say different things is not
    // known to be about one fact
    if general && outcome >= Outcome::Tension && !same_fact(a, b) {
        return (Outcome::Compatible, 0.0);
    }
    (outcome, gap)
}

/// Two figures outside any event mention are about one fact only when their sentences are
/// near copies, or overlap (content-word Dice ≥ 0.25) *and* name someone or something in
/// common. A counted noun alone ("19 seasons" of one man against "four seasons" of another,
/// "404 yards" of one running back against "716 yards" of another) is not one fact, and other
/// reports in the same story often cite figures of a similar earlier event. Nor are two
/// sentences that each name a person the other does not ("Klitschko stopped Thompson in six
/// rounds" against "Klitschko stopped Rahman in seven rounds": two fights).
pub(super) fn same_fact(a: &Side, b: &Side) -> bool {
    if !a.people.is_subset(&b.people) && !b.people.is_subset(&a.people) {
        return false;
    }
    let d = dice(&a.words, &b.words);
    d >= NEAR_COPY || (d >= 0.25 && !a.names.is_disjoint(&b.names))
}

/// Who a sentence is about: the last word (lower-cased) of each run of capitalised words
/// that is not a place of the gazetteer, a title, a month or a weekday ("Tony Thompson" →
/// "thompson", "Thompson" → "thompson"; "President Macron" → "macron"; "Gulf of Aden",
/// "Saturday" → nothing). A lone capitalised first word of the sentence is not a name.
/// A model or code, never a name: a word holding digits ("AK-47", "F16") or a short
/// all-capital word right before a figure ("AK 47 guns", "MH 370").
fn is_designator(s: &str, r: &Range<usize>) -> bool {
    let raw = &s[r.clone()];
    let after = s[r.end..].trim_start_matches(['-', ' ']);
    raw.bytes().any(|b| b.is_ascii_digit())
        || (raw.len() <= 4
            && raw.bytes().all(|b| b.is_ascii_uppercase())
            && after.starts_with(|c: char| c.is_ascii_digit()))
}

pub(super) fn sentence_people(s: &str) -> BTreeSet<String> {
    let places: Vec<Range<usize>> = entities::find_places(s)
        .into_iter()
        .map(|p| p.span)
        .collect();
    let ws = words(s);
    let cap = |i: usize| {
        let (r, w) = &ws[i];
        let raw = &s[r.clone()];
        raw.starts_with(char::is_uppercase)
            && w.len() >= 2
            && !STOP.contains(&w.as_str())
            && !entities::lex::never_name(raw)
            && !places.iter().any(|p| p.start <= r.start && r.end <= p.end)
            && !is_designator(s, r)
    };
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < ws.len() {
        if !cap(i) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < ws.len() && cap(j) && s[ws[j - 1].0.end..ws[j].0.start].trim().is_empty() {
            j += 1;
        }
        if j - i >= 2 || i > 0 {
            out.insert(ws[j - 1].1.clone());
        }
        i = j;
    }
    out
}

/// Capitalised words after a sentence's first word, lower-cased: the names it mentions.
pub(super) fn sentence_names(s: &str) -> BTreeSet<String> {
    words(s)
        .into_iter()
        .skip(1)
        .filter(|(r, w)| {
            s[r.clone()].starts_with(char::is_uppercase)
                && w.len() >= 2
                && !STOP.contains(&w.as_str())
        })
        .map(|(_, w)| w)
        .collect()
}

pub(super) fn judge_group(
    event: &str,
    slot: &str,
    sides: &[Side],
    general: bool,
) -> Option<Finding> {
    // groups of equal values
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, s) in sides.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| sides[g[0]].claim.value.same(&s.claim.value))
        {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    let cons_idx = (0..groups.len())
        .min_by(|&x, &y| {
            let (gx, gy) = (&groups[x], &groups[y]);
            let (sx, sy) = (&sides[gx[0]], &sides[gy[0]]);
            gy.len()
                .cmp(&gx.len())
                .then(sx.width().total_cmp(&sy.width()))
                .then(sy.published.cmp(&sx.published))
                .then(sx.outlet.cmp(sy.outlet))
        })
        .expect("sides");
    let cons = &groups[cons_idx];
    let rep = &sides[cons[0]];
    let kind = rep.claim.kind;
    // the worst pair: (outcome, severity, the side judged, the side it was judged against)
    let mut worst: Option<(Outcome, f32, usize, usize)> = None;
    for (i, s) in sides.iter().enumerate() {
        if cons.contains(&i) {
            continue;
        }
        let (o, gap) = judge_pair(rep, s, slot, general);
        let conf = rep.claim.confidence.min(s.claim.confidence);
        let sev = (importance(slot, kind) * gap * conf * o.weight()).clamp(0.0, 1.0);
        if worst.is_none_or(|(wo, ws, _, _)| (o, sev) > (wo, ws)) {
            worst = Some((o, sev, i, cons[0]));
        }
    }
    // a vague consensus ("a few hundred") holds every figure inside it, but two of those
    // figures can still contradict each other ("356" / "365 votes")
    let vague_rep = rep
        .interval()
        .is_some_and(|(lo, hi, ex)| firmness(lo, hi, ex) == Firm::Vague);
    if vague_rep {
        let others: Vec<usize> = (0..sides.len()).filter(|i| !cons.contains(i)).collect();
        for (x, &i) in others.iter().enumerate() {
            for &j in &others[x + 1..] {
                let (a, b) = (&sides[i], &sides[j]);
                if a.claim.value.same(&b.claim.value) {
                    continue;
                }
                let (o, gap) = judge_pair(a, b, slot, general);
                let conf = a.claim.confidence.min(b.claim.confidence);
                let sev = (importance(slot, kind) * gap * conf * o.weight()).clamp(0.0, 1.0);
                if worst.is_none_or(|(wo, ws, _, _)| (o, sev) > (wo, ws)) {
                    worst = Some((o, sev, j, i));
                }
            }
        }
    }
    let (outcome, severity, out_i, against) = match worst {
        None => (Outcome::Agree, 0.0, None, cons[0]),
        Some((o, s, i, a)) => (o, s, Some(i), a),
    };
    // an outlier only against a real majority (not when two figures inside a vague
    // consensus contradict each other)
    let majority =
        groups.iter().filter(|g| g.len() >= cons.len()).count() == 1 && cons.contains(&against);
    let outlier = out_i.filter(|_| outcome.reportable() && majority);

    let mut claims: Vec<FindingClaim> = cons.iter().map(|&i| sides[i].json()).collect();
    for (i, s) in sides.iter().enumerate() {
        if !cons.contains(&i) {
            claims.push(s.json());
        }
    }
    let names = |g: &[usize]| {
        g.iter()
            .map(|&i| sides[i].outlet)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let n = |k: usize| {
        if k == 1 {
            "1 outlet".to_string()
        } else {
            format!("{k} outlets")
        }
    };
    let says = |s: &Side| {
        let by = s
            .party
            .as_ref()
            .map(|p| format!(" (according to {p})"))
            .unwrap_or_default();
        format!("{} says {}{by}", s.outlet, show(s.claim))
    };
    let explanation = match (outcome, outlier) {
        (Outcome::Agree, _) => format!(
            "{event} — {slot}: {} agree: {}",
            n(sides.len()),
            show(rep.claim)
        ),
        (Outcome::Disputed, _) => {
            let others: Vec<String> = sides
                .iter()
                .enumerate()
                .filter(|(i, _)| !cons.contains(i))
                .map(|(_, s)| says(s))
                .collect();
            format!(
                "{event} — {slot}: disputed between sources: {}; {}",
                says(rep),
                others.join("; ")
            )
        }
        (o, Some(i)) => format!(
            "{event} — {slot}: {}: {} ({}): {}; outlier: {}",
            o.as_str(),
            n(cons.len()),
            names(cons),
            show(rep.claim),
            says(&sides[i])
        ),
        (o, None) => {
            let all: Vec<String> = sides.iter().map(says).collect();
            format!("{event} — {slot}: {}: {}", o.as_str(), all.join("; "))
        }
    };
    // why the values cannot all be true, and the two sentences
    let explanation = match out_i.filter(|_| outcome.reportable()) {
        Some(i) => format!(
            "{explanation}. {}",
            why(slot, outcome, &sides[against], &sides[i])
        ),
        None => explanation,
    };
    Some(Finding {
        story: String::new(),
        event: event.to_string(),
        slot: slot.to_string(),
        outcome,
        severity,
        explanation,
        claims,
        consensus: Some(rep.claim.text.clone()),
        outlier: outlier.map(|i| sides[i].outlet.to_string()),
    })
}

/// Why two outlets' values cannot both hold (or why they are only in tension), with the
/// sentences they come from.
pub(super) fn why(slot: &str, outcome: Outcome, a: &Side, b: &Side) -> String {
    let (x, y) = (show(a.claim), show(b.claim));
    let reason = match outcome {
        Outcome::Stale => format!(
            "{} reported the lower figure earlier: a running total, not a contradiction",
            if a.published <= b.published {
                a.outlet
            } else {
                b.outlet
            }
        ),
        Outcome::Tension | Outcome::Refinement => {
            format!(
                "{x} and {y} differ, but one of them is vague, hedged or a less certain reading"
            )
        }
        _ if slot == "quote speaker" => format!(
            "one quotation cannot have two speakers: {} credits it to {}, {} to {}",
            a.outlet,
            value_text(a.claim),
            b.outlet,
            value_text(b.claim)
        ),
        _ if slot == clock::SLOT => {
            format!("{x} and {y} are different times of day for one event")
        }
        _ if slot.starts_with("role of ") => format!(
            "{} cannot be both {} and {} (neither title contains the other)",
            &slot["role of ".len()..],
            value_text(a.claim),
            value_text(b.claim)
        ),
        _ => match a.claim.kind {
            Kind::Date => format!("{x} and {y} are different days for one event"),
            Kind::Place => format!("{x} and {y} are different places, neither within the other"),
            _ => format!("{x} and {y} do not overlap for the same fact at the same time"),
        },
    };
    let quote = |s: &Side| {
        let t: String = s.sentence.chars().take(160).collect();
        let more = if s.sentence.chars().count() > 160 {
            "…"
        } else {
            ""
        };
        format!("{}: “{t}{more}”", s.outlet)
    };
    format!("Why: {reason}. {} / {}", quote(a), quote(b))
}

pub(super) fn value_text(c: &Claim) -> String {
    match &c.value {
        Value::Text { text } => text.clone(),
        _ => c.text.clone(),
    }
}

/// A value in words: "Tuesday 6 Jan (2026-01-06)", "“more than 27 leaders” (> 27)".
pub(super) fn show(c: &Claim) -> String {
    let num = |min: f64, max: f64| {
        let f = |v: f64| {
            if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            }
        };
        if min == max {
            f(min)
        } else if max.is_infinite() {
            format!("≥ {}", f(min.floor()))
        } else {
            format!("{}–{}", f(min), f(max))
        }
    };
    match &c.value {
        Value::Text { text } if c.slot == clock::SLOT => {
            format!("“{}” ({})", c.text, clock::show(text))
        }
        Value::Date { date: Some(d), .. } => format!("{} ({d})", d.format("%A %-d %b")),
        Value::Number { min, max, .. } | Value::Money { min, max, .. } => {
            format!("“{}” ({})", c.text, num(*min, *max))
        }
        Value::Text { text } => text.clone(),
        Value::Date { date: None, .. } => format!("“{}”", c.text),
    }
}

// ---------------------------------------------------------------------------------------------
// attribution

pub(super) const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "claimed",
    "claims",
    "claim",
    "told",
    "reported",
    "reports",
    "stated",
    "insisted",
    "insists",
    "estimated",
    "estimates",
    "announced",
    "announces",
    "added",
];

pub(super) const NOT_PARTIES: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "the",
    "a",
    "an",
    "this",
    "that",
    "officials",
    "police",
    "source",
    "sources",
];

/// The named party a claim is attributed to: "according to Moscow", "Kyiv says", ", said
/// Ann Lee" — the nearest to `at`, as a lower-case last word (a surname).
pub(super) fn attribution(s: &str, at: usize) -> Option<String> {
    let toks = words(s);
    let orig = |r: &Range<usize>| &s[r.clone()];
    let cap = |r: &Range<usize>| orig(r).chars().next().is_some_and(char::is_uppercase);
    let mut found: Vec<(usize, String)> = Vec::new();
    for (k, (r, w)) in toks.iter().enumerate() {
        let after_run = |from: usize| {
            let mut j = from;
            while toks.get(j).is_some_and(|(r, w)| w == "the" && !cap(r)) {
                j += 1;
            }
            let mut last = None;
            while let Some((r, _)) = toks.get(j).filter(|(r, _)| cap(r)) {
                last = Some(orig(r).to_string());
                j += 1;
            }
            last
        };
        if w == "according" && toks.get(k + 1).is_some_and(|(_, w)| w == "to") {
            if let Some(p) = after_run(k + 2) {
                found.push((r.start, p));
            }
        } else if SPEECH.contains(&w.as_str()) {
            // "Kyiv says", "Mr. Zelensky has said"
            let mut j = k;
            while j > 0 && matches!(toks[j - 1].1.as_str(), "has" | "have" | "had" | "also") {
                j -= 1;
            }
            if j > 0 && cap(&toks[j - 1].0) {
                found.push((r.start, orig(&toks[j - 1].0).to_string()));
            } else if let Some(p) = after_run(k + 1) {
                found.push((r.start, p));
            }
        }
    }
    found
        .into_iter()
        .map(|(pos, p)| (pos, p.trim_end_matches(['\'', '’']).to_string()))
        .filter(|(_, p)| !NOT_PARTIES.contains(&p.to_lowercase().as_str()))
        .min_by_key(|(pos, _)| pos.abs_diff(at))
        .map(|(_, p)| surname(&p))
}
