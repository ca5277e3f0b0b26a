//! Page chrome that reaches the body as ordinary paragraphs (pure): bylines, datelines,
//! "Published/Updated/Last modified" stamps, read times, author bios, photo captions with
//! credits, sign-offs, "Via …" and copyright lines, kickers.
//!
//! The box-level rules in [`super::content`] drop chrome whose class or tag says what it is;
//! what is left here sits in a plain `<p>` inside the article container, so it is judged by
//! its *shape*: what a line's words are made of (dates, clock times, stamp words, names) and
//! where it stands (chrome comes first and last), never a site's wording. Article sentences
//! are safe by construction: every rule needs a line with no lowercase word outside its small
//! lexicon, or a fixed frame ("X is a reporter …") in the last blocks, or a credit at the end
//! of a short line.

use chrono::{DateTime, FixedOffset};

use super::metadata::month_of;

/// What the extractor already knows about the page, for the rules that need it.
#[derive(Debug, Default, Clone, Copy)]
pub struct PageFacts<'a> {
    /// Author names from the metadata.
    pub byline: &'a [String],
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
}

/// Why a paragraph is chrome (for tests and `extract --explain`-style debugging).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chrome {
    Copyright,
    Stamp,
    Dateline,
    Byline,
    Bio,
    Credit,
    SignOff,
    Syndication,
    Kicker,
}

/// Drops chrome paragraphs.
pub fn strip(paragraphs: Vec<String>, page: &PageFacts) -> Vec<String> {
    let keep = kept(&paragraphs, page);
    paragraphs
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// Which of the (normalised) paragraphs [`strip`] keeps, in order.
pub fn kept(paragraphs: &[String], page: &PageFacts) -> Vec<bool> {
    let n = paragraphs.len();
    // Chrome before the article starts: everything before the first real sentence.
    let lead = paragraphs
        .iter()
        .position(|p| is_sentence(p) && p.split_whitespace().count() >= 8)
        .unwrap_or(n);
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| classify(p, i, n, lead, page).is_none())
        .collect()
}

/// Whether paragraph `i` of `n` is chrome, and which kind. `lead` is the index of the first
/// sentence of the article.
pub fn classify(t: &str, i: usize, n: usize, lead: usize, page: &PageFacts) -> Option<Chrome> {
    let t = t.trim();
    // running text (more than 60 words) is never chrome: stop counting there
    let words = words_upto(t, 61);
    if words == 0 || words > 60 {
        return None;
    }
    // last blocks of the body: where bios, sign-offs and syndication lines stand
    let tail = i + 4 >= n;
    // The line-level rules need a lowercase copy; most article paragraphs show none of their
    // marks (a colon, a bar or slash, a "by", a ©, a leading "via"/"this"/…), so the copy is
    // made only for lines that might match: this runs on every paragraph of every page.
    let first = t
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(':')
        .to_ascii_lowercase();
    let maybe = LINE_MARKS.is_match(t) || in_list(LINE_LEADS, &first);
    if maybe {
        let low = t.to_lowercase();
        if copyright(t, &low, words) {
            return Some(Chrome::Copyright);
        }
        if credit(t, &low, words) {
            return Some(Chrome::Credit);
        }
        if sign_off(t, &low, words) {
            return Some(Chrome::SignOff);
        }
        if syndication(&low, words, tail) {
            return Some(Chrome::Syndication);
        }
    }
    // checked after the shape rules: "By X Published: <date>" is a stamp first
    let author = maybe && author_line(t, &t.to_lowercase(), words);
    if words <= 40
        && let Some(toks) = tokens(t)
    {
        if stamp(&toks) {
            return Some(Chrome::Stamp);
        }
        if dateline(t, &toks) {
            return Some(Chrome::Dateline);
        }
        if byline_line(t, &toks, page.byline) {
            return Some(Chrome::Byline);
        }
        if i < lead && kicker(t, words) {
            return Some(Chrome::Kicker);
        }
        if i < lead && own_stamp(t, &toks, page) {
            return Some(Chrome::Stamp);
        }
    }
    if author {
        return Some(Chrome::Byline);
    }
    if (tail || i < lead) && bio(t, page.byline) {
        return Some(Chrome::Bio);
    }
    None
}

/// Marks one of the line rules needs (a credit's colon, bar or slash, a ©, "by", "contributed",
/// "reserved" …), found in one pass.
static LINE_MARKS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build([
                ":",
                "|",
                "/",
                "©",
                " by ",
                "ontribut",
                "eserv",
                "orbehalten",
                "opyright",
                "(c)",
                "(C)",
                " via ",
                "riservati",
            ])
            .expect("static patterns")
    });

/// First words of the line rules that have no other mark: sign-offs and syndication lines.
const LINE_LEADS: &str = "by|von|par|por|door|przez|autor|autorin|author|verfasst|geschrieben|written|posted|published|veröffentlicht|erstellt|publié|écrit|escrito|publicado|pubblicato|scritto|reporting|additional|writing|editing|edited|compiled|research|fact-checking|graphics|via|this|originally|republished|source|copyright";

/// Words of `t` (runs of non-space separated by ASCII whitespace; page text has its other
/// spaces collapsed already), counting no further than `limit`: a byte scan, since this runs
/// on every paragraph of every page.
pub(crate) fn words_upto(t: &str, limit: usize) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for b in t.bytes() {
        if b.is_ascii_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
            if n >= limit {
                return n;
            }
        }
    }
    n
}

fn is_sentence(t: &str) -> bool {
    let t = t.trim_end().trim_end_matches(['"', '\'', ')']);
    t.ends_with(['.', '!', '?', '。', '？', '！'])
}

/// "© 2026 Keystone Wire. All rights reserved.", "Copyright 2026 Valley 9 News".
fn copyright(t: &str, low: &str, words: usize) -> bool {
    words <= 40
        && (t.starts_with('©')
            || low.starts_with("(c) ")
            || low.starts_with("copyright ")
            || low.contains("all rights reserved")
            || low.contains("alle rechte vorbehalten")
            || low.contains("tous droits réservés")
            || low.contains("todos los derechos reservados")
            || low.contains("tutti i diritti riservati"))
}

/// Words that introduce a picture credit ("Photograph: Name/Agency", "(Image: Name | Agency)").
const CREDIT_WORDS: &str = "photo|photos|photograph|photographs|photography|image|images|picture|pictures|pic|illustration|graphic|video|credit|credits|foto|fotos|bild|bilder|quelle|crédit|crédits|source photo";
/// Picture agencies whose name closes a caption ("… | Getty Images", "…/AFP via Getty Images").
const PICTURE_AGENCIES: &str = "getty images|getty|afp|reuters|ap|ap photo|pa|pa media|pa wire|epa|epa-efe|shutterstock|alamy|alamy stock photo|bloomberg|istock|istockphoto|xinhua|dpa|picture alliance|nurphoto|anadolu|anadolu agency|sopa images|lightrocket|sipa|imago|keystone|action images|rex|rex features|zuma|zuma press|corbis|unsplash|wikimedia commons";

/// A caption or credit line: ends with a credit ("… (Image: Jane Roe | Agency)",
/// "… Photograph: Name/Agency", "Name | Agency | Getty Images") or starts with one.
fn credit(t: &str, low: &str, words: usize) -> bool {
    if words > 50 {
        return false;
    }
    // the last "Word:" of the line introduces a credit
    let credit_colon = low.rmatch_indices(':').any(|(k, _)| {
        let before = low[..k].trim_end();
        let word_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == ' '))
            .map_or(0, |(s, c)| s + c.len_utf8());
        let lead = before[word_start..].trim();
        // "(Image:", "Photograph:", "Photo credit:" — at most two words before the colon
        let last2: Vec<&str> = lead.split(' ').rev().take(2).collect();
        let key = last2.iter().rev().copied().collect::<Vec<_>>().join(" ");
        let hit = in_list(CREDIT_WORDS, &key) || in_list(CREDIT_WORDS, last2[0]);
        // the credit itself is short and has no sentence in it
        let rest = low[k + 1..].trim();
        hit && !rest.is_empty()
            && rest.split_whitespace().count() <= 10
            && !rest.trim_end_matches([')', ']']).contains(". ")
            && (word_start == 0 || before[..word_start].ends_with(['(', '[', '.', '|', ' ']))
    });
    if credit_colon {
        return true;
    }
    // "… Ski star from Switzerland. © Agency / Name": a caption closed by its © credit
    if let Some(k) = t.rfind('©').filter(|&k| k > 0) {
        let rest = t[k + '©'.len_utf8()..].trim();
        if rest.split_whitespace().count() <= 8 && !rest.contains(". ") {
            return true;
        }
    }
    // "Name | Agency | Getty Images", "Name/AFP via Getty Images"
    let tail = low.trim_end_matches([')', ']', '.', ' ']);
    let agency_end = PICTURE_AGENCIES.split('|').any(|a| {
        tail.strip_suffix(a).is_some_and(|before| {
            let b = before.trim_end();
            b.ends_with(['|', '/']) || b.ends_with(" via") || b.ends_with('(')
        })
    });
    agency_end && (t.contains(" | ") || t.contains('/') || low.contains(" via "))
}

/// Wire sign-offs: "Reporting by X; Editing by Y", "X contributed to this report".
fn sign_off(t: &str, low: &str, words: usize) -> bool {
    const LEADS: [&str; 10] = [
        "reporting by ",
        "additional reporting by ",
        "writing by ",
        "editing by ",
        "edited by ",
        "compiled by ",
        "research by ",
        "reporting and writing by ",
        "fact-checking by ",
        "graphics by ",
    ];
    words <= 40
        && t.starts_with(|c: char| c.is_uppercase())
        && (LEADS.iter().any(|l| {
            // a name follows: "Reporting by Jane Roe", not "Reporting by the local paper"
            low.starts_with(l)
                && t.get(l.len()..)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_uppercase()))
        }) || low
            .trim_end_matches('.')
            .ends_with("contributed to this report")
            || low.trim_end_matches('.').ends_with("contributed reporting")
            || low
                .trim_end_matches('.')
                .ends_with("contributed to this story"))
}

/// "Via Keystone Wire.", "This article was originally published by …", "Source: …" at the
/// end.
fn syndication(low: &str, words: usize, tail: bool) -> bool {
    words <= 40
        && ((low.starts_with("via ") && (tail || words <= 6))
            || low.starts_with("this article was originally published")
            || low.starts_with("this article originally appeared")
            || low.starts_with("this story was originally published")
            || low.starts_with("this story originally appeared")
            || low.starts_with("originally published ")
            || low.starts_with("republished ")
            || (tail && words <= 15 && low.starts_with("source: ")))
}

/// One word of a short line, as the shape rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A calendar or clock part: ordinal, clock time, month, weekday, am/pm, time zone.
    Date,
    /// A plain number (a day, a year, the N of "N min read").
    Num,
    /// A stamp word: published, updated, last modified, posted, min read.
    Stamp,
    /// "N min read" style read time (the "read" of it).
    Read,
    /// A connective allowed in bylines and stamps: by, on, at, in, and, of.
    Filler,
    /// A capitalised word (a name, a place, a role, an agency).
    Cap,
}

const STAMP_WORDS: &str = "published|updated|update|last|modified|posted|edited|created|first|revised|veröffentlicht|aktualisiert|zuletzt|stand|geändert|publié|publie|mis|jour|modifié|actualizado|publicado|actualización|aggiornato|pubblicato|opublikowano|zaktualizowano|aktualizacja";
const READ_WORDS: &str =
    "read|reading|min|mins|minute|minutes|lesezeit|lesedauer|minuten|lecture|lectura|lettura";
const FILLERS: &str = "by|on|at|in|and|of|the|from|le|la|à|a|am|um|de|el|il|von|und|et|y|ago|time|hours|hour|just|now";
const ZONES: &str = "bst|gmt|utc|cet|cest|eet|eest|wet|west|est|edt|cst|cdt|mst|mdt|pst|pdt|akst|akdt|hst|aest|aedt|acst|acdt|awst|nzst|nzdt|ist|jst|kst|msk|sast|et|ct|mt|pt|mez|mesz|uhr|h";
const WEEKDAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo";

/// Every word list of this module as a set, keyed by the list's address: `in_list` runs on
/// every word of every short line, and splitting a list string each time was most of the
/// cost of this module.
static SETS: std::sync::LazyLock<
    rustc_hash::FxHashMap<usize, rustc_hash::FxHashSet<&'static str>>,
> = std::sync::LazyLock::new(|| {
    [
        FILLERS,
        STAMP_WORDS,
        READ_WORDS,
        ZONES,
        WEEKDAYS,
        ROLE_WORDS,
        BIO_VERBS,
        BIO_TRADES,
        LINE_LEADS,
        CREDIT_WORDS,
    ]
    .into_iter()
    .map(|l| (l.as_ptr() as usize, l.split('|').collect()))
    .collect()
});

fn in_list(list: &'static str, w: &str) -> bool {
    match SETS.get(&(list.as_ptr() as usize)) {
        Some(set) => set.contains(w),
        None => list.split('|').any(|x| x == w),
    }
}

/// A clock time or date in digits: "07.45", "16:20", "9:30am", "17th", "22/11/2020" (a plain
/// number is not one).
fn numeric_date(w: &str) -> bool {
    if w.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let w = w
        .trim_end_matches("am")
        .trim_end_matches("pm")
        .trim_end_matches("a.m")
        .trim_end_matches("p.m");
    let w = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s).filter(|r| r.len() <= 2))
        .unwrap_or(w);
    !w.is_empty()
        && w.starts_with(|c: char| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '/' | '-' | 'h'))
        && w.chars().filter(char::is_ascii_digit).count() <= 8
}

/// The words of a short line as [`Tok`]s; `None` as soon as one is prose ([`Tok::Other`]):
/// every shape rule needs a line without prose, and most lines give themselves away within
/// a few words, so this stops early (it runs on every short paragraph of every page).
fn tokens(t: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    for w in
        t.split(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•' | ',' | ';' | '(' | ')'))
    {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            out.push(Tok::Num);
            continue;
        }
        let low = w.to_lowercase();
        let bare = low.trim_end_matches('.');
        let tok = if in_list(FILLERS, bare) {
            Tok::Filler
        } else if in_list(STAMP_WORDS, bare) {
            Tok::Stamp
        } else if in_list(READ_WORDS, bare) {
            Tok::Read
        } else if numeric_date(&low)
            || in_list(ZONES, bare)
            || matches!(bare, "am" | "pm" | "a.m" | "p.m" | "a" | "p")
            || in_list(WEEKDAYS, bare)
            || month_of(bare).is_some()
        {
            Tok::Date
        } else if w.starts_with(|c: char| c.is_uppercase()) {
            Tok::Cap
        } else {
            return None;
        };
        out.push(tok);
    }
    Some(out)
}

/// A publication or update stamp, a read time, or a date line: "Mon 4 May 2026 07.15 BST",
/// "Last modified on Mon 4 May 2026 09.02 BST", "Published: 14:30, 3 June 2026 | Updated:
/// …", "Grace Whitmore in New York June 8 2026 5 min read". No prose word, and either a stamp
/// word or read time with a date part, or mostly date parts.
fn stamp(toks: &[Tok]) -> bool {
    let count = |k: Tok| toks.iter().filter(|&&x| x == k).count();
    let (date, num, stamp, read) = (
        count(Tok::Date),
        count(Tok::Num),
        count(Tok::Stamp),
        count(Tok::Read),
    );
    if count(Tok::Cap) > 8 {
        return false;
    }
    (stamp > 0 && date + num > 0)
        || (read > 0 && num > 0)
        || (date >= 2 && (date + num) * 2 >= toks.len())
}

/// A dateline standing alone: "SAINT-FONS, France, May 4 (Keystone Wire) -", "PHOENIX
/// (Valley 9)", "MESA, Ariz. (Valley 9)".
fn dateline(t: &str, toks: &[Tok]) -> bool {
    let first = t.split([',', ' ', '(']).next().unwrap_or("");
    let letters = first.chars().filter(|c| c.is_alphabetic()).count();
    let caps_place = letters >= 2 && first.chars().all(|c| !c.is_lowercase());
    let ends = t.trim_end();
    let agency = ends.contains('(') && ends.contains(')');
    caps_place
        && toks.len() <= 12
        && (agency || ends.ends_with(['-', ':']))
        && (ends.ends_with(['-', ':', ')']))
}

/// Words of roles in a byline line ("By Jane Roe, Senior Reporter").
const ROLE_WORDS: &str = "reporter|correspondent|editor|writer|staff|journalist|columnist|contributor|producer|senior|chief|political|health|business|sports|news|deputy|associate|special|local|democracy";

/// A byline standing alone: "By Jake Rudd Senior Reporter", "Tobias Lindgren in Stockholm".
fn byline_line(t: &str, toks: &[Tok], byline: &[String]) -> bool {
    if toks.is_empty() || toks.len() > 14 {
        return false;
    }
    if is_sentence(t) && !t.ends_with(['.', ':']) {
        return false;
    }
    let low = t.to_lowercase();
    let by = low.starts_with("by ") || low.starts_with("von ") || low.starts_with("par ");
    let names_author = byline.iter().any(|b| {
        let b = b.to_lowercase();
        b.split_whitespace().count() >= 2 && low.contains(&b)
    });
    let role_only = low
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| in_list(ROLE_WORDS, w) || in_list(FILLERS, w));
    (by && toks.len() >= 2) || names_author || (role_only && toks.len() <= 3)
}

/// Labels that introduce the author, in the languages of the corpora (data, not a site's
/// wording): "Verfasst von:", "Posted by", "Autor:", "Publié par".
const AUTHOR_LABELS: [&str; 22] = [
    "by",
    "von",
    "par",
    "por",
    "door",
    "przez",
    "autor",
    "autorin",
    "author",
    "verfasst von",
    "geschrieben von",
    "written by",
    "posted by",
    "published by",
    "veröffentlicht von",
    "erstellt von",
    "publié par",
    "écrit par",
    "escrito por",
    "publicado por",
    "pubblicato da",
    "scritto da",
];

/// An author label with a name and at most a date: "Verfasst von: mitundvoneinander | 31.
/// Dezember 2008", "Posted by admin on 3 May 2021", "Autor: przepisy.pl". The name may be a
/// lowercase user name, which the shape rules ([`tokens`]) read as prose. A labelled field
/// ("Autor:") holds only a name; an unlabelled one ("by") needs the date, so that "By 2030
/// emissions halve" stays.
fn author_line(t: &str, low: &str, words: usize) -> bool {
    if words > 14 || is_sentence(t) {
        return false;
    }
    let Some(rest) = AUTHOR_LABELS.iter().find_map(|m| {
        low.strip_prefix(m)
            .filter(|r| r.starts_with([' ', ':']) && !r.trim_start().is_empty())
    }) else {
        return false;
    };
    let labelled = rest.trim_start().starts_with(':');
    let rest = rest.trim_start_matches([' ', ':']);
    let mut name = 0;
    let mut after = rest;
    for w in rest.split_whitespace() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if w.starts_with(['|', '·', '•', '–', '—'])
            || bare.starts_with(|c: char| c.is_ascii_digit())
            || in_list(FILLERS, bare)
            || in_list(WEEKDAYS, bare)
            || month_of(bare).is_some()
        {
            break;
        }
        name += 1;
        after = after[after.find(w).map_or(0, |k| k + w.len())..].trim_start();
        if w.ends_with([',', '|']) {
            break;
        }
    }
    if name == 0 || name > 4 {
        return false;
    }
    let after = after.trim_start_matches(|c: char| !c.is_alphanumeric());
    if after.is_empty() {
        return labelled;
    }
    let dated = super::metadata::parse_human_date(after).is_some()
        || after
            .split_whitespace()
            .any(|w| numeric_date(w.trim_matches(|c: char| !c.is_alphanumeric())));
    dated
        && after.split_whitespace().all(|w| {
            !w.starts_with(|c: char| c.is_lowercase()) || {
                let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
                in_list(FILLERS, bare)
                    || in_list(STAMP_WORDS, bare)
                    || in_list(ZONES, bare)
                    || in_list(WEEKDAYS, bare)
                    || month_of(bare).is_some()
                    || numeric_date(bare)
            }
        })
}

/// A section label above the headline: "BREAKING", "TRAVEL CHAOS", "ELECTION 2026".
fn kicker(t: &str, words: usize) -> bool {
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    words <= 4 && letters >= 3 && t.chars().all(|c| !c.is_lowercase()) && !is_sentence(t)
}

/// Before the article starts, a short line holding the page's own publication or update day
/// in words ("Monday 4 May 2026", "17 February 2026") is its stamp.
fn own_stamp(t: &str, toks: &[Tok], page: &PageFacts) -> bool {
    if toks.len() > 12 {
        return false;
    }
    let Some(d) = super::metadata::parse_human_date(t) else {
        return false;
    };
    [page.published, page.modified]
        .into_iter()
        .flatten()
        .any(|p| p.date_naive() == d.date_naive())
}

/// Verbs that follow a name in an author bio.
const BIO_VERBS: &str = "is|was|has|covers|covered|writes|wrote|reports|reported|joined|started|lives|previously|worked|works|spent|edits|leads|heads";
/// Trades named in a bio without the byline ("Jane Roe is a freelance journalist …").
const BIO_TRADES: &str = "reporter|journalist|correspondent|editor|writer|columnist|contributor|producer|photographer|author|freelancer|blogger|critic|analyst";

/// An author bio: the byline's name followed by a bio verb ("Megan Tull is a reporter at …",
/// "Ruth Calloway has reported on …"), or a capitalised name with "is a … journalist".
fn bio(t: &str, byline: &[String]) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    let low: Vec<String> = words
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let verb_at = |k: usize| low.get(k).is_some_and(|w| in_list(BIO_VERBS, w));
    for b in byline {
        let name: Vec<String> = b.split_whitespace().map(str::to_lowercase).collect();
        if name.len() < 2 || name.len() > 4 {
            continue;
        }
        // the name, possibly twice (a name heading above the bio text)
        let mut k = 0;
        while low
            .get(k..k + name.len())
            .is_some_and(|s| s == name.as_slice())
        {
            k += name.len();
        }
        if k > 0 && verb_at(k) {
            return true;
        }
    }
    // "Jane Roe is a freelance journalist in Herefordshire who writes about …"
    let name_len = words
        .iter()
        .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
        .count();
    (2..=4).contains(&name_len)
        && matches!(low.get(name_len).map(String::as_str), Some("is" | "was"))
        && low
            .iter()
            .skip(name_len + 1)
            .take(8)
            .any(|w| in_list(BIO_TRADES, w.trim_end_matches('s')))
        && words.len() <= 50
}

#[cfg(test)]
mod tests;
