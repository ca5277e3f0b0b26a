//! Times of day as attributes of an event, for comparison across outlets (pure).
//!
//! The claims layer reads "1:30 a.m. Sunday" as a day: two outlets that agree on the day but
//! not on the hour ("about 1:00 am Sunday" / "approximately 1:30 a.m. Sunday", "closed from
//! midday" / "shut from 1pm") looked alike. Here each clock time of a sentence becomes a claim
//! of its own (slot [`SLOT`], value "HH:MM" with the hedge's slack and the zone when given:
//! "01:30 ±5 min", "18:41 UTC-08:00"), aligned like a date and judged by minutes: two times
//! conflict when they are further apart than their hedges and everyday rounding allow.
//!
//! Game clocks and durations ("with 10:03 to play", "6:00 minutes remaining") are not times
//! of day: a 24-hour "HH:MM" counts only after a time preposition and never before words of
//! a clock that runs down.

use crate::claims::{Claim, Kind, Value};

/// The slot of every time-of-day claim.
pub(crate) const SLOT: &str = "time";

/// Minutes two times may differ by for rounding in everyday speech ("3 p.m." / "3:10 p.m.").
const ROUNDING: i32 = 10;
/// How far a hedge ("about", "around") reaches either side of its time: "about 1:00" and
/// "about 1:30" are two reports of the hour, "about 3 p.m." and "3:10 p.m." one.
const HEDGE: i32 = 5;
/// "shortly after 3 p.m.": within the next 20 minutes (centre 10 minutes on, slack 10).
const BEFORE_AFTER: i32 = 10;

/// A time of day: its centre in minutes after midnight and how far either side it may lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    pub minute: i32,
    pub slack: i32,
    /// UTC offset in minutes when the text names a zone ("PST", "GMT").
    pub offset: Option<i32>,
}

impl Clock {
    /// The value text, readable as it stands in a finding: "01:30", "01:30 ±5 min" for a
    /// hedge, "18:41 UTC-08:00" when the text names a zone.
    pub(crate) fn encode(self) -> String {
        let m = self.minute.rem_euclid(1440);
        let mut s = format!("{:02}:{:02}", m / 60, m % 60);
        if self.slack > 0 {
            s.push_str(&format!(" ±{} min", self.slack));
        }
        if let Some(o) = self.offset {
            let sign = if o < 0 { '-' } else { '+' };
            s.push_str(&format!(
                " UTC{sign}{:02}:{:02}",
                o.abs() / 60,
                o.abs() % 60
            ));
        }
        s
    }

    fn decode(s: &str) -> Option<Clock> {
        let hm = |t: &str| -> Option<i32> {
            let (h, m) = t.split_once(':')?;
            Some(h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?)
        };
        let (body, offset) = match s.split_once(" UTC") {
            Some((b, o)) => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                (b, Some(sign * hm(&o[1..])?))
            }
            None => (s, None),
        };
        let (at, slack) = match body.split_once(" ±") {
            Some((at, sl)) => (at, sl.strip_suffix(" min")?.parse().ok()?),
            None => (body, 0),
        };
        Some(Clock {
            minute: hm(at)?,
            slack,
            offset,
        })
    }
}

/// Minutes between two times on the clock face (a time just before midnight is near one just
/// after it).
fn apart(a: i32, b: i32) -> i32 {
    let d = (a - b).rem_euclid(1440);
    d.min(1440 - d)
}

/// Whether two encoded times can be one moment: within both hedges plus rounding. `None` when
/// they cannot be compared (one in a named zone, the other not).
pub(crate) fn compatible(x: &str, y: &str) -> Option<bool> {
    let (a, b) = (Clock::decode(x)?, Clock::decode(y)?);
    // one time in a named zone, the other in nobody knows which (the place's own, mostly):
    // "13:36 GMT" and "5:11 p.m." in Tehran are one moment
    let (ma, mb) = match (a.offset, b.offset) {
        (Some(oa), Some(ob)) => (a.minute - oa, b.minute - ob),
        (None, None) => (a.minute, b.minute),
        _ => return None,
    };
    Some(apart(ma, mb) <= a.slack + b.slack + ROUNDING)
}

/// Minutes between two encoded times, for a finding's severity.
pub(crate) fn gap(x: &str, y: &str) -> f32 {
    match (Clock::decode(x), Clock::decode(y)) {
        (Some(a), Some(b)) => apart(a.minute, b.minute) as f32,
        _ => 0.0,
    }
}

/// The time a [`SLOT`] value shows: "01:30", "about 01:30".
pub(crate) fn show(x: &str) -> String {
    match Clock::decode(x) {
        Some(c) => {
            let m = c.minute.rem_euclid(1440);
            let hm = format!("{:02}:{:02}", m / 60, m % 60);
            if c.slack > 0 {
                format!("about {hm}")
            } else {
                hm
            }
        }
        None => x.to_string(),
    }
}

/// Zones that news copy names after a time, with their UTC offsets in minutes.
const ZONES: &[(&str, i32)] = &[
    ("utc", 0),
    ("gmt", 0),
    ("bst", 60),
    ("cet", 60),
    ("cest", 120),
    ("eet", 120),
    ("eest", 180),
    ("est", -300),
    ("edt", -240),
    ("cst", -360),
    ("cdt", -300),
    ("mst", -420),
    ("mdt", -360),
    ("pst", -480),
    ("pdt", -420),
];

/// Hedges before a time, with the shift of its centre and its slack in minutes.
const HEDGES: &[(&str, i32, i32)] = &[
    ("shortly before", -BEFORE_AFTER, BEFORE_AFTER),
    ("just before", -BEFORE_AFTER, BEFORE_AFTER),
    ("shortly after", BEFORE_AFTER, BEFORE_AFTER),
    ("just after", BEFORE_AFTER, BEFORE_AFTER),
    ("soon after", BEFORE_AFTER, BEFORE_AFTER),
    ("approximately", 0, HEDGE),
    ("approx", 0, HEDGE),
    ("roughly", 0, HEDGE),
    ("around", 0, HEDGE),
    ("about", 0, HEDGE),
    ("circa", 0, HEDGE),
    ("some", 0, HEDGE),
];

/// Words before a time that make a bare 24-hour "HH:MM" a time of day.
const TIME_PREPOSITIONS: &[&str] = &[
    "at",
    "from",
    "between",
    "until",
    "till",
    "by",
    "since",
    "before",
    "after",
    "around",
    "about",
    "approximately",
    "and",
    "to",
];

/// Words after a figure that make it a clock that runs down or a duration, not a time of day.
const NOT_TIME_AFTER: &[&str] = &[
    "remaining",
    "left",
    "minutes",
    "minute",
    "seconds",
    "second",
    "mins",
    "min",
    "hours",
    "into",
    "in",
];

/// Every time of day a sentence gives: (byte range of the time as written, the time).
/// The range starts at the number and ends after its am/pm marker or zone.
pub(crate) fn find(s: &str) -> Vec<(std::ops::Range<usize>, Clock)> {
    let low = s.to_ascii_lowercase();
    let b = low.as_bytes();
    let mut out = Vec::new();
    let word_at = |i: usize| i == 0 || !b[i - 1].is_ascii_alphanumeric();
    let mut i = 0;
    while i < b.len() {
        // named times (an ASCII letter is always a char boundary)
        let named = b[i]
            .is_ascii_alphabetic()
            .then(|| {
                [("midday", 720), ("noon", 720), ("midnight", 1440)]
                    .into_iter()
                    .find(|(w, _)| {
                        low[i..].starts_with(w)
                            && word_at(i)
                            && !low[i + w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
                    })
            })
            .flatten();
        if let Some((w, m)) = named {
            out.push((i..i + w.len(), clock_at(&low, i, i + w.len(), m)));
            i += w.len();
            continue;
        }
        if !b[i].is_ascii_digit() || !word_at(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let Ok(h) = low[i..j].parse::<i32>() else {
            i = j;
            continue;
        };
        let mut minute = 0;
        let mut k = j;
        let mut colon = false;
        if matches!(b.get(k), Some(b':' | b'.'))
            && b.get(k + 1).is_some_and(u8::is_ascii_digit)
            && b.get(k + 2).is_some_and(u8::is_ascii_digit)
            && !b.get(k + 3).is_some_and(u8::is_ascii_digit)
        {
            minute = low[k + 1..k + 3].parse().unwrap_or(0);
            colon = b[k] == b':';
            k += 3;
        }
        // a decimal ("5.9") or a longer figure is not a time
        if j - i > 2
            || minute >= 60
            || b.get(k).is_some_and(|c| matches!(c, b'.' | b',' | b':'))
                && b.get(k + 1).is_some_and(u8::is_ascii_digit)
        {
            i = k.max(j);
            continue;
        }
        let rest = &low[k..];
        let trimmed = rest.trim_start();
        let meridiem = ["a.m.", "p.m.", "a.m", "p.m", "am", "pm"]
            .into_iter()
            .find(|m| {
                trimmed.starts_with(m)
                    && !trimmed[m.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
            });
        let end;
        let at;
        if let Some(m) = meridiem {
            if !(1..=12).contains(&h) {
                i = k;
                continue;
            }
            let pm = m.starts_with('p');
            let h24 = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            at = h24 * 60 + minute;
            end = k + (rest.len() - trimmed.len()) + m.len();
        } else if colon && h < 24 {
            // "18:41", "at 12:00": only after a time preposition, never a game clock
            let before = low[..i].trim_end();
            let prev = before
                .rsplit(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or("");
            let next = trimmed
                .split(|c: char| !c.is_ascii_alphabetic())
                .next()
                .unwrap_or("");
            let zoned = ZONES.iter().any(|(z, _)| *z == next) || next == "local" || next == "hrs";
            // "with 10:03 to play" / "to go" runs down; "from 12:00 to 17:00" is a span
            let runs_down = next == "to"
                && trimmed[2..]
                    .trim_start()
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .next()
                    .is_some_and(|w| matches!(w, "play" | "go"));
            if !(TIME_PREPOSITIONS.contains(&prev) || zoned)
                || NOT_TIME_AFTER.contains(&next)
                || runs_down
            {
                i = k;
                continue;
            }
            at = h * 60 + minute;
            end = k;
        } else {
            i = k.max(j);
            continue;
        }
        let c = clock_at(&low, i, end, at);
        // the zone is part of the time ("3am local time": "time" is not an event word here)
        let tail = &low[end..];
        let t2 = tail.trim_start();
        let zone_len = ZONES
            .iter()
            .map(|(z, _)| *z)
            .chain(["local time", "hrs", "hours"])
            .find(|z| {
                t2.starts_with(z) && !t2[z.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
            })
            .map_or(0, |z| tail.len() - t2.len() + z.len());
        out.push((i..end + zone_len, c));
        i = end.max(i + 1);
    }
    out
}

/// The clock at `at` minutes for the time written at `start..end`: the hedge before it and
/// the zone after it.
fn clock_at(low: &str, start: usize, end: usize, at: i32) -> Clock {
    let before = low[..start].trim_end();
    let before = before.strip_suffix(" at").unwrap_or(before).trim_end();
    let hedge = HEDGES.iter().find(|(h, _, _)| {
        before.ends_with(h)
            && before[..before.len() - h.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    });
    let (shift, slack) = hedge.map_or((0, 0), |(_, s, k)| (*s, *k));
    let after = low[end..].trim_start();
    let offset = ZONES
        .iter()
        .find(|(z, _)| {
            after.starts_with(z) && !after[z.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        })
        .map(|(_, o)| *o);
    Clock {
        minute: at + shift,
        slack,
        offset,
    }
}

/// Whether the time at `start` ends a span ("from 1pm to 5pm", "between 12:00 and 17:00"):
/// the span's start speaks for it.
fn ends_a_span(low: &str, start: usize) -> bool {
    let before = low[..start].trim_end();
    let prev = before
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    matches!(prev, "to" | "until" | "till" | "and")
        || before.ends_with('-')
        || before.ends_with('–')
}

/// One time-of-day claim per time a sentence gives (not the end of a span), to be compared
/// as an attribute of the event of its clause.
pub(crate) fn claims_of(sentence: &str, si: usize, confidence: f32) -> Vec<Claim> {
    let low = sentence.to_ascii_lowercase();
    find(sentence)
        .into_iter()
        .filter(|(r, _)| !ends_a_span(&low, r.start))
        .map(|(r, c)| Claim {
            kind: Kind::Date,
            slot: SLOT.to_string(),
            class: None,
            text: sentence[r.clone()].to_string(),
            value: Value::Text { text: c.encode() },
            sentence: si,
            span: r,
            negated: false,
            planned: false,
            speaker: None,
            confidence,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(s: &str) -> Vec<String> {
        find(s).into_iter().map(|(_, c)| c.encode()).collect()
    }

    #[test]
    fn twelve_hour_times_with_and_without_minutes() {
        assert_eq!(times("He was stopped at 1:30 a.m. Sunday."), ["01:30"]);
        assert_eq!(
            times("The shooting took place just after 8:30pm Thursday"),
            ["20:40 ±10 min"]
        );
        assert_eq!(times("A man died about 11am on Friday."), ["11:00 ±5 min"]);
        assert_eq!(times("at 12 a.m. and 12 pm"), ["00:00", "12:00"]);
        assert_eq!(times("It shut from 1pm to 5pm."), ["13:00", "17:00"]);
    }

    #[test]
    fn named_times_and_zones() {
        assert_eq!(
            times("The site closed from midday on Wednesday."),
            ["12:00"]
        );
        assert_eq!(times("arrested shortly before midnight"), ["23:50 ±10 min"]);
        assert_eq!(times("at 6:41pm PST this evening"), ["18:41 UTC-08:00"]);
        assert_eq!(times("in the afternoon"), Vec::<String>::new());
    }

    #[test]
    fn twenty_four_hour_times_need_a_time_preposition() {
        assert_eq!(
            times("the gates shut between 12:00 and 17:00"),
            ["12:00", "17:00"]
        );
        assert_eq!(times("She died at 18:41 this evening"), ["18:41"]);
        assert_eq!(
            times("the site shut from 12:00 to 17:00"),
            ["12:00", "17:00"]
        );
        assert!(times("he scored at 2:10 to go").is_empty());
        // a game clock, a score, a ratio, a decimal: not times of day
        assert!(times("with 10:03 to play in the third quarter").is_empty());
        assert!(times("with 6:00 minutes remaining in the third quarter").is_empty());
        assert!(times("Colts won 20:13 in Kansas City").is_empty());
        assert!(times("a magnitude of 5.9 on the Richter scale").is_empty());
        assert!(times("he ran 3:45.20 for the 1500").is_empty());
    }

    #[test]
    fn hedged_times_a_half_hour_apart_conflict_rounding_does_not() {
        let c = |a: &str, b: &str| {
            let x = find(a)[0].1.encode();
            let y = find(b)[0].1.encode();
            compatible(&x, &y).expect("comparable")
        };
        assert!(!c(
            "at about 1:00 am Sunday",
            "approximately 1:30 a.m Sunday"
        ));
        assert!(c(
            "Gunfire was reported at about 3 p.m.",
            "the shooting occurred about 3:10 p.m."
        ));
        assert!(!c("at about 3 p.m.", "at about 3:30 p.m."));
        assert!(c("shortly before midnight", "around midnight Friday"));
        assert!(!c("closed from midday", "shut from 1pm"));
        assert!(c("closed from noon", "at 12:00"));
        // one moment in two zones
        assert!(c("at 6:41pm PST", "at 02:41 GMT"));
        assert!(!c("at 6:41pm PST", "at 6:41pm GMT"));
        let z = |a: &str| find(a)[0].1.encode();
        assert_eq!(compatible(&z("at 13:36 GMT"), &z("at 5:11 p.m.")), None);
    }

    #[test]
    fn local_time_is_part_of_the_time() {
        let f = find("the roof gave way shortly before 3am local time.");
        assert_eq!(f.len(), 1);
        assert_eq!(
            &"the roof gave way shortly before 3am local time."[f[0].0.clone()],
            "3am local time"
        );
    }

    #[test]
    fn the_end_of_a_span_is_not_a_claim() {
        let cs = claims_of("It shut from 1pm to 5pm on Wednesday.", 0, 0.8);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].text, "1pm");
        let cs = claims_of("open between 12:00 and 17:00", 0, 0.8);
        assert_eq!(cs.len(), 1);
        assert_eq!(
            show(match &cs[0].value {
                Value::Text { text } => text,
                _ => unreachable!(),
            }),
            "12:00"
        );
    }
}
