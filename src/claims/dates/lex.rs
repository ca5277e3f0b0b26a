//! Tokens and word lists for the date resolver.
//!
//! A token is a run of letters, a run of ASCII digits, or one other non-space character, so
//! "3rd" is `3` + `rd`, "10am" is `10` + `am`, "Saturday's" is `Saturday` + `'` + `s`.

use chrono::Weekday;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Alpha,
    Digit,
    Punct(char),
}

#[derive(Debug, Clone)]
pub struct Tok {
    /// Byte range in the sentence.
    pub s: usize,
    pub e: usize,
    pub kind: TokKind,
    /// Lower-case text (empty for punctuation).
    pub low: String,
    /// Whitespace (or the sentence start) right before the token.
    pub gap: bool,
    /// The first letter is upper-case.
    pub cap: bool,
}

impl Tok {
    pub fn is(&self, w: &str) -> bool {
        self.kind == TokKind::Alpha && self.low == w
    }
    pub fn punct(&self) -> Option<char> {
        match self.kind {
            TokKind::Punct(c) => Some(c),
            _ => None,
        }
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == TokKind::Punct(c)
    }
    pub fn num(&self) -> Option<u32> {
        if self.kind == TokKind::Digit && self.low.len() <= 9 {
            self.low.parse().ok()
        } else {
            None
        }
    }
    pub fn digits(&self) -> usize {
        if self.kind == TokKind::Digit {
            self.low.len()
        } else {
            0
        }
    }
    pub fn is_apostrophe(&self) -> bool {
        matches!(self.kind, TokKind::Punct('\'' | '\u{2019}' | '\u{2018}'))
    }
}

pub fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut it = text.char_indices().peekable();
    let mut gap = true;
    while let Some((s, c)) = it.next() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        let (kind, mut e) = if c.is_alphabetic() {
            (TokKind::Alpha, s + c.len_utf8())
        } else if c.is_ascii_digit() {
            (TokKind::Digit, s + 1)
        } else {
            (TokKind::Punct(c), s + c.len_utf8())
        };
        if kind != TokKind::Punct(c) {
            while let Some(&(i, d)) = it.peek() {
                let same = match kind {
                    TokKind::Alpha => d.is_alphabetic(),
                    _ => d.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                e = i + d.len_utf8();
                it.next();
            }
        }
        let low = match kind {
            TokKind::Alpha => text[s..e].to_lowercase(),
            TokKind::Digit => text[s..e].to_string(),
            TokKind::Punct(_) => String::new(),
        };
        out.push(Tok {
            s,
            e,
            kind,
            low,
            gap,
            cap: c.is_uppercase(),
        });
        gap = false;
    }
    out
}

pub fn month(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Full weekday names only ("Sun" and "Sat" alone are too ambiguous).
pub fn weekday_full(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Full or abbreviated weekday, accepted only in front of an explicit date ("Wed 13th").
pub fn weekday_any(w: &str) -> Option<Weekday> {
    weekday_full(w).or(match w {
        "mon" => Some(Weekday::Mon),
        "tue" | "tues" => Some(Weekday::Tue),
        "wed" => Some(Weekday::Wed),
        "thu" | "thur" | "thurs" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    })
}

pub fn ordinal_suffix(w: &str) -> bool {
    matches!(w, "st" | "nd" | "rd" | "th")
}

/// Small cardinal numbers in words ("two days ago", "a week ago").
pub fn small_number(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "several" | "few" => return None,
        _ => return None,
    })
}

/// Words that make a following or preceding weekday part of a name, not a date
/// ("Good Friday", "the Sunday Times").
pub fn weekday_name_blocker_before(w: &str) -> bool {
    matches!(
        w,
        "good"
            | "black"
            | "cyber"
            | "ash"
            | "palm"
            | "easter"
            | "bloody"
            | "super"
            | "holy"
            | "maundy"
    )
}
pub fn weekday_name_blocker_after(w: &str) -> bool {
    matches!(
        w,
        "times"
            | "telegraph"
            | "express"
            | "mirror"
            | "post"
            | "mail"
            | "herald"
            | "observer"
            | "sport"
            | "people"
            | "independent"
            | "star"
            | "night"
            | "tribune"
            | "review"
    )
}

/// The event noun a word names or implies (verbs map to their event: "meet" → "meeting").
pub fn event_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "meeting" | "meetings" | "meet" | "meets" | "met" => "meeting",
        "summit" | "summits" => "summit",
        "talks" => "talks",
        "vote" | "votes" | "voted" | "voting" => "vote",
        "election" | "elections" => "election",
        "referendum" => "referendum",
        "conference" | "conferences" => "conference",
        "session" | "sessions" => "session",
        "hearing" | "hearings" | "testify" | "testified" => "hearing",
        "trial" => "trial",
        "verdict" => "verdict",
        "sentencing" => "sentencing",
        "ruling" => "ruling",
        "attack" | "attacks" | "attacked" => "attack",
        "strike" | "strikes" | "airstrike" | "airstrikes" => "strike",
        "ceremony" => "ceremony",
        "visit" | "visits" | "visited" => "visit",
        "rally" | "rallies" => "rally",
        "protest" | "protests" | "protested" => "protest",
        "match" | "game" => return Some(if w == "match" { "match" } else { "game" }),
        "speech" | "address" => "speech",
        "debate" => "debate",
        "launch" | "launched" => "launch",
        "funeral" => "funeral",
        "deadline" => "deadline",
        "ceasefire" | "truce" => "ceasefire",
        "signing" | "sign" | "signed" => "signing",
        "negotiations" | "negotiation" => "negotiations",
        "call" | "phone" => "call",
        "interview" => "interview",
        "announcement" | "announced" | "announce" => "announcement",
        "explosion" | "blast" => "explosion",
        "crash" | "crashed" => "crash",
        "shooting" => "shooting",
        "earthquake" | "quake" => "earthquake",
        "raid" | "raids" => "raid",
        "offensive" => "offensive",
        "inauguration" => "inauguration",
        "parade" => "parade",
        "festival" => "festival",
        "concert" => "concert",
        "briefing" => "briefing",
        "gathering" | "gather" | "gathered" => "gathering",
        "assembly" => "assembly",
        "forum" => "forum",
        "congress" => "congress",
        "convention" => "convention",
        "tournament" => "tournament",
        "final" => "final",
        "race" => "race",
        "poll" | "polls" => "poll",
        "release" | "released" => "release",
        "decision" => "decision",
        "event" => "event",
        "incident" => "incident",
        "arrest" | "arrested" => "arrest",
        "opening" => "opening",
        "deal" | "agreement" => return Some(if w == "deal" { "deal" } else { "agreement" }),
        _ => return None,
    })
}
