//! Dates: metadata formats, dates as people write them in many languages, the URL path,//! and the visible dateline near the headline.

use super::{Dom, Seen, clean_inline};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// A class or id that names a publication date ("post-date", "article__published", "timestamp").
pub(super) fn date_attr(v: &str) -> bool {
    static WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            // a DFA: these run on every class and id of every page
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build([
                "date", "time", "publish", "posted", "dateline", "created", "update", "modif",
            ])
            .expect("static patterns")
    });
    if v.len() < 4 {
        return false;
    }
    let (mut yes, mut no) = (false, false);
    for m in WORDS.find_overlapping_iter(v) {
        match m.pattern().as_usize() {
            6 | 7 => no = true,
            _ => yes = true,
        }
    }
    yes && !no
}

/// The first date in the visible page: elements classed as dates, then the text right after
/// the headline (a dateline such as "Published 5 March 2024"): the first `<h1>`, or on a page
/// without one the subheading that reads as the headline. Text is capped per element so a
/// whole article body is never scanned.
pub(super) fn visible_date(
    dom: &Dom,
    seen: &Seen,
    headline: Option<&str>,
) -> Option<DateTime<FixedOffset>> {
    let capped = |i: usize| {
        let t = dom.text_of(i);
        let end = t.char_indices().nth(160).map_or(t.len(), |(k, _)| k);
        t[..end].to_string()
    };
    seen.dated
        .iter()
        .find_map(|&i| {
            let n = &dom.nodes[i];
            // a relative "3 hours ago" often carries the instant in its `title`
            ["datetime", "content", "title"]
                .iter()
                .find_map(|a| n.attr(a).and_then(parse_datetime))
                .or_else(|| parse_human_date(&capped(i)))
        })
        .or_else(|| {
            let anchor = seen.h1.first().copied().or_else(|| {
                let h = clean_inline(headline?);
                seen.headings
                    .iter()
                    .copied()
                    .find(|&i| !h.is_empty() && clean_inline(&dom.text_of(i)) == h)
            })?;
            dom.nodes[anchor..]
                .iter()
                .filter_map(|n| n.text())
                .filter(|t| t.trim().len() >= 6)
                .take(40)
                .find_map(|t| parse_human_date(&t.chars().take(160).collect::<String>()))
        })
}

/// The UTC offset of a language spoken in a single time zone without daylight saving time:
/// Japanese and Korean (+09:00), Chinese (+08:00: mainland, Taiwan, Hong Kong, Singapore).
pub(super) fn lang_offset(lang: &str) -> Option<FixedOffset> {
    let primary = lang.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    match primary.as_str() {
        "ja" | "ko" => FixedOffset::east_opt(9 * 3600),
        "zh" => FixedOffset::east_opt(8 * 3600),
        _ => None,
    }
}

/// A date in the URL path: `/2024/03/05/`, `/2024-03-05/`, `/20240305/`.
pub(super) fn url_date(url: &str) -> Option<DateTime<FixedOffset>> {
    let path = url.split(['?', '#']).next()?;
    let parts: Vec<&str> = path.split(['/', '-', '_', '.']).collect();
    let utc = FixedOffset::east_opt(0)?;
    let at = |y: &str, mo: &str, d: &str| -> Option<DateTime<FixedOffset>> {
        let (y, mo, d): (i32, u32, u32) = (y.parse().ok()?, mo.parse().ok()?, d.parse().ok()?);
        if !(1995..=2100).contains(&y) || !(1..=12).contains(&mo) {
            return None;
        }
        NaiveDate::from_ymd_opt(y, mo, d)?
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(utc)
            .single()
    };
    for w in parts.windows(3) {
        if w[0].len() == 4
            && (1..=2).contains(&w[1].len())
            && (1..=2).contains(&w[2].len())
            && let Some(d) = at(w[0], w[1], w[2])
        {
            return Some(d);
        }
    }
    parts
        .iter()
        .filter(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|p| at(&p[..4], &p[4..6], &p[6..]))
}

/// Parses the date formats seen in article metadata. Times without an offset are taken as
/// UTC; a date alone is midnight UTC.
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return n.and_local_timezone(utc).single();
        }
    }
    let date_part = s.get(..10).unwrap_or(s);
    for f in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(date_part, f) {
            return d.and_hms_opt(0, 0, 0)?.and_local_timezone(utc).single();
        }
    }
    None
}

/// Month names in the languages of the world news we see most (lowercase, accents kept;
/// Arabic as written in Egypt and the Gulf, and the Levantine names that are one word:
/// "24 نيسان / أبريل 2020" gives both).
pub(super) const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "jan",
        "janvier",
        "janv",
        "enero",
        "ene",
        "januar",
        "jän",
        "gennaio",
        "gen",
        "janeiro",
        "januari",
        "styczeń",
        "stycznia",
        "يناير",
    ],
    &[
        "february",
        "feb",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "februar",
        "febbraio",
        "fevereiro",
        "februari",
        "luty",
        "lutego",
        "فبراير",
        "شباط",
    ],
    &[
        "march", "mar", "mars", "marzo", "märz", "marz", "março", "marco", "maart", "maret",
        "marca", "marzec", "مارس", "آذار",
    ],
    &[
        "april",
        "apr",
        "avril",
        "avr",
        "abril",
        "abr",
        "aprile",
        "kwiecień",
        "kwietnia",
        "أبريل",
        "ابريل",
        "إبريل",
        "نيسان",
    ],
    &[
        "may", "mai", "mayo", "maggio", "maio", "mei", "maj", "maja", "مايو", "أيار", "ايار",
    ],
    &[
        "june",
        "jun",
        "juin",
        "junio",
        "juni",
        "giugno",
        "giu",
        "junho",
        "czerwiec",
        "czerwca",
        "يونيو",
        "حزيران",
    ],
    &[
        "july",
        "jul",
        "juillet",
        "juil",
        "julio",
        "juli",
        "luglio",
        "lug",
        "julho",
        "lipiec",
        "lipca",
        "يوليو",
        "تموز",
        "تمّوز",
    ],
    &[
        "august",
        "aug",
        "août",
        "aout",
        "agosto",
        "ago",
        "augustus",
        "agustus",
        "sierpień",
        "sierpnia",
        "أغسطس",
        "آب",
    ],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setembro",
        "settembre",
        "set",
        "wrzesień",
        "września",
        "سبتمبر",
        "أيلول",
        "ايلول",
    ],
    &[
        "october",
        "oct",
        "octobre",
        "octubre",
        "oktober",
        "okt",
        "ottobre",
        "ott",
        "outubro",
        "out",
        "październik",
        "października",
        "أكتوبر",
    ],
    &[
        "november",
        "nov",
        "novembre",
        "noviembre",
        "novembro",
        "listopad",
        "listopada",
        "نوفمبر",
    ],
    &[
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dezember",
        "dez",
        "dicembre",
        "dezembro",
        "desember",
        "grudzień",
        "grudnia",
        "ديسمبر",
    ],
];

pub(crate) fn month_of(word: &str) -> Option<u32> {
    // cheap refusals first: this runs on every word of every candidate dateline
    if word.len() > 32 || word.starts_with(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation())
    {
        return None;
    }
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|m| m as u32 + 1)
}

/// The first "2019年4月26日" (Japanese, Chinese) or "2019년 4월 26일" (Korean) in `s`.
pub(super) fn cjk_date(s: &str) -> Option<(i32, u32, u32)> {
    fn digits(s: &str, from_end: bool) -> Option<(u32, usize)> {
        let t = if from_end {
            s.trim_end()
        } else {
            s.trim_start()
        };
        let n = if from_end {
            t.bytes().rev().take_while(u8::is_ascii_digit).count()
        } else {
            t.bytes().take_while(u8::is_ascii_digit).count()
        };
        let ds = if from_end { &t[t.len() - n..] } else { &t[..n] };
        (1..=4).contains(&n).then(|| Some((ds.parse().ok()?, n)))?
    }
    for (k, c) in s.char_indices().filter(|(_, c)| matches!(c, '年' | '년')) {
        let Some((y, 4)) = digits(&s[..k], true) else {
            continue;
        };
        let rest = s[k + c.len_utf8()..].trim_start();
        let Some((m, n)) = digits(rest, false) else {
            continue;
        };
        let rest = &rest[n..];
        let Some(rest) = rest
            .trim_start()
            .strip_prefix('月')
            .or_else(|| rest.trim_start().strip_prefix('월'))
        else {
            continue;
        };
        if let Some((d, _)) = digits(rest, false) {
            return Some((y as i32, m, d));
        }
    }
    None
}

/// A date as people write it: "5 March 2024", "March 5, 2024", "Mar. 5 2024 10:30",
/// "5. März 2024", "5 de marzo de 2024", "2024-03-05", "5.3.2024" (day first). The day is
/// what counts; a time in the text is ignored and the result is midnight UTC.
pub fn parse_human_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    let make = |y: i32, m: u32, d: u32| {
        if !(1990..=2100).contains(&y) {
            return None;
        }
        NaiveDate::from_ymd_opt(y, m, d)?
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(utc)
            .single()
    };
    if let Some((y, m, d)) = cjk_date(s) {
        return make(y, m, d);
    }
    // each word with the month it names
    let mut toks: Vec<(&str, Option<u32>)> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '|' | '·' | '(' | ')'))
        .map(|t| t.trim_matches(|c: char| matches!(c, ',' | ':' | ';')))
        .filter(|t| {
            !t.is_empty()
                && !["de", "del", "of", "the"]
                    .iter()
                    .any(|w| t.eq_ignore_ascii_case(w))
                // "24 نيسان / أبريل 2020": a month's two names side by side
                && !t.chars().all(|c| matches!(c, '/' | '-' | '–' | '—'))
        })
        .take(40)
        .map(|t| (t, month_of(t)))
        .collect();
    // a month's two names side by side count once
    toks.dedup_by(|b, a| a.1.is_some() && a.1 == b.1);
    let num = |t: &str| -> Option<u32> {
        let t = t
            .trim_end_matches('.')
            .trim_end_matches(|c: char| c.is_alphabetic());
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())?
    };
    for (i, &(t, month)) in toks.iter().enumerate() {
        // numeric forms
        let parts: Vec<&str> = t.split(['-', '/', '.']).filter(|p| !p.is_empty()).collect();
        if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            if n.len() == 3 {
                if parts[0].len() == 4 {
                    if let Some(d) = make(n[0] as i32, n[1], n[2]) {
                        return Some(d);
                    }
                } else if parts[2].len() == 4 {
                    // "5.3.2024" is day first; with slashes only an unambiguous order counts:
                    // "22/11/2020" (day first), "11/22/2020" (month first), not "3/5/2024"
                    let (day, month) = if t.contains('.') || n[0] > 12 {
                        (n[0], n[1])
                    } else if n[1] > 12 {
                        (n[1], n[0])
                    } else {
                        continue;
                    };
                    if let Some(d) = make(n[2] as i32, month, day) {
                        return Some(d);
                    }
                }
            }
        }
        let Some(m) = month else { continue };
        let before = i
            .checked_sub(1)
            .and_then(|j| toks.get(j))
            .and_then(|t| num(t.0));
        let after = toks.get(i + 1).and_then(|t| num(t.0));
        let year_at = |j: usize| toks.get(j).and_then(|t| num(t.0)).filter(|y| *y >= 1990);
        // "5 March 2024" / "5. März 2024"
        if let (Some(d), Some(y)) = (before, year_at(i + 1))
            && let Some(r) = make(y as i32, m, d)
        {
            return Some(r);
        }
        // "March 5, 2024"
        if let (Some(d), Some(y)) = (after, year_at(i + 2))
            && let Some(r) = make(y as i32, m, d)
        {
            return Some(r);
        }
    }
    None
}
