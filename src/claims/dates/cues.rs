//! Tense cues and event nouns around a date mention.

use super::lex::{Tok, TokKind, event_word};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
}

/// A tense cue at token `at`; `near_only` cues (reporting verbs: "said", "announced") count
/// only right next to the date ("said on Monday", "Monday said"), since they date the report,
/// not the event it reports.
#[derive(Debug, Clone, Copy)]
pub struct Cue {
    pub at: usize,
    pub tense: Tense,
    pub near_only: bool,
}

fn is_copula_like(w: &str) -> bool {
    matches!(
        w,
        "be" | "is"
            | "are"
            | "am"
            | "being"
            | "appears"
            | "appear"
            | "appeared"
            | "seems"
            | "seem"
            | "seemed"
            | "remain"
            | "remains"
            | "remained"
            | "become"
            | "becomes"
            | "looks"
            | "get"
            | "gets"
            | "getting"
            | "stay"
            | "stays"
            | "staying"
    )
}

/// -ed words that are not past-tense verbs (or are future-leaning participles).
fn ed_exception(w: &str) -> bool {
    matches!(
        w,
        "need"
            | "hundred"
            | "united"
            | "based"
            | "scheduled"
            | "expected"
            | "planned"
            | "proposed"
            | "related"
            | "invited"
            | "alleged"
            | "armed"
            | "detailed"
            | "limited"
            | "advanced"
            | "interested"
            | "concerned"
            | "experienced"
            | "supposed"
            | "unexpected"
            | "indeed"
            | "speed"
            | "seed"
            | "breed"
            | "feed"
            | "bleed"
            | "naked"
            | "wicked"
            | "sacred"
            | "beloved"
            | "embed"
            | "exceed"
            | "proceed"
            | "succeed"
            | "agreed"
            | "red"
            | "shed"
            | "wed"
            | "bed"
            | "fled"
            | "led"
            | "sled"
            | "bred"
            | "tired"
            | "skilled"
            | "talented"
            | "crowded"
            | "isolated"
            | "dedicated"
            | "sophisticated"
            | "complicated"
            | "coordinated"
            | "renewed"
            | "bolstered"
            | "reduced"
            | "increased"
            | "required"
            | "aimed"
            | "designed"
            | "intended"
            | "slated"
            | "pledged"
            | "promised"
    )
}

fn reporting_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "told"
            | "announced"
            | "stated"
            | "added"
            | "confirmed"
            | "reported"
            | "wrote"
            | "tweeted"
            | "posted"
            | "declared"
            | "revealed"
            | "indicated"
            | "noted"
            | "claimed"
            | "insisted"
            | "warned"
            | "explained"
    )
}

fn irregular_past(w: &str) -> bool {
    matches!(
        w,
        "was"
            | "were"
            | "had"
            | "did"
            | "held"
            | "met"
            | "took"
            | "came"
            | "went"
            | "began"
            | "saw"
            | "gave"
            | "left"
            | "fell"
            | "rose"
            | "lost"
            | "made"
            | "spoke"
            | "struck"
            | "sent"
            | "brought"
            | "found"
            | "got"
            | "kept"
            | "flew"
            | "ran"
            | "chose"
            | "drew"
            | "broke"
            | "stood"
            | "sat"
            | "thought"
            | "felt"
            | "arrived"
            | "happened"
            | "occurred"
            | "ended"
            | "ago"
            | "earlier"
            | "previously"
            | "already"
            | "yesterday"
    )
}

/// Future verbs that a bare "to" marks as planned ("agreed to meet on Tuesday").
fn plan_verb(w: &str) -> bool {
    matches!(
        w,
        "meet"
            | "hold"
            | "vote"
            | "visit"
            | "sign"
            | "travel"
            | "attend"
            | "host"
            | "gather"
            | "announce"
            | "begin"
            | "start"
            | "open"
            | "launch"
            | "resume"
            | "decide"
            | "discuss"
            | "return"
            | "testify"
            | "speak"
            | "address"
            | "convene"
            | "release"
            | "publish"
            | "deliver"
            | "take"
            | "be"
            | "hear"
            | "rule"
            | "debate"
            | "fly"
            | "arrive"
            | "go"
            | "come"
            | "hold talks"
            | "present"
            | "unveil"
            | "close"
            | "end"
    )
}

pub fn find_cues(t: &[Tok]) -> Vec<Cue> {
    let mut out = Vec::new();
    let w = |i: usize| -> &str { t.get(i).map(|x| x.low.as_str()).unwrap_or("") };
    let mut i = 0;
    while i < t.len() {
        let tok = &t[i];
        if tok.kind != TokKind::Alpha {
            i += 1;
            continue;
        }
        let cur = tok.low.as_str();
        let prev = if i > 0 { w(i - 1) } else { "" };
        let prev2 = if i > 1 { w(i - 2) } else { "" };
        let next = w(i + 1);
        let mut push = |tense, near_only| {
            out.push(Cue {
                at: i,
                tense,
                near_only,
            })
        };
        match cur {
            "will" | "shall" | "upcoming" | "forthcoming" | "scheduled" | "slated" | "next"
            | "tomorrow" | "later" | "coming" => push(Tense::Future, false),
            "ll" if i > 0 && t[i - 1].is_apostrophe() => push(Tense::Future, false),
            "won" if t.get(i + 1).is_some_and(|x| x.is_apostrophe()) && w(i + 2) == "t" => {
                push(Tense::Future, false)
            }
            "would" => push(Tense::Future, true),
            "due" if matches!(prev, "is" | "are" | "was" | "were" | "be") => {
                push(Tense::Future, false)
            }
            "plans" | "plan" | "planned" | "planning" | "expected" | "expects" | "set"
            | "going" | "intends" | "aims" | "hopes"
                if next == "to" || next == "for" =>
            {
                push(Tense::Future, false)
            }
            "to" if plan_verb(next) => push(Tense::Future, false),
            // "will stay closed until at least Thursday": an end still ahead, unless the
            // clause is in the past ("was closed until Thursday")
            "until" | "till"
                if !(i.saturating_sub(4)..i)
                    .any(|k| matches!(w(k), "was" | "were" | "had" | "been" | "did")) =>
            {
                push(Tense::Future, false)
            }
            "last" | "previous" | "past" => push(Tense::Past, false),
            _ if reporting_verb(cur) && !matches!(prev, "be" | "been" | "being") => {
                push(Tense::Past, true)
            }
            "held" | "met" | "took" if matches!(prev, "be" | "being") || prev2 == "to" => {
                // "to be held", "will be held": no tense of its own
            }
            _ if irregular_past(cur) => push(Tense::Past, false),
            // "will be sentenced", "is aimed at", "appears aimed": not past
            _ if cur.len() >= 5
                && cur.ends_with("ed")
                && !ed_exception(cur)
                && !tok.cap
                && (prev == "been" || !(is_copula_like(prev) || prev == "to")) =>
            {
                push(Tense::Past, false)
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Tokens that end a clause for the tense and event searches.
pub fn is_clause_break(t: &Tok) -> bool {
    matches!(
        t.kind,
        TokKind::Punct(';' | '—' | '–' | '(' | ')' | '"' | '“' | '”')
    )
}

/// The tense the cues give a mention covering tokens `[a, b)`: the nearest cue within the
/// clause (ties go to the cue before).
pub fn tense_for(t: &[Tok], cues: &[Cue], a: usize, b: usize) -> Option<Tense> {
    let (mut lo, mut hi) = (a, b);
    while lo > 0 && !is_clause_break(&t[lo - 1]) {
        lo -= 1;
    }
    while hi < t.len() && !is_clause_break(&t[hi]) {
        hi += 1;
    }
    let mut best: Option<(usize, Tense)> = None;
    for c in cues {
        if c.at < lo || c.at >= hi || (c.at >= a && c.at < b) {
            continue;
        }
        let before = c.at < a;
        let dist = if before { a - c.at } else { c.at + 1 - b };
        if c.near_only && dist > 2 {
            continue;
        }
        // a cue after the date counts a little less than one before
        let score = dist * 2 + usize::from(!before);
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, c.tense));
        }
    }
    best.map(|(_, t)| t)
}

fn singular(w: &str) -> &str {
    w
}

/// The event noun a mention covering tokens `[a, b)` is about, if the sentence makes it clear:
/// "Monday's meeting", "the meeting on Monday", "the vote, scheduled for Thursday",
/// "will meet in Paris on Tuesday", "On Tuesday, leaders will meet".
pub fn event_for(
    t: &[Tok],
    a: usize,
    b: usize,
    possessive: bool,
    others: &[(usize, usize)],
) -> Option<String> {
    // possessive: "Saturday's (emergency) meeting"
    if possessive {
        for tok in t.iter().skip(b).take(3) {
            if tok.kind != TokKind::Alpha {
                break;
            }
            if let Some(e) = event_word(&tok.low) {
                return Some(e.to_string());
            }
        }
    }
    let blocked = |i: usize| others.iter().any(|&(s, e)| i >= s && i < e);
    // backwards, nearest first, up to 12 tokens inside the clause
    let mut i = a;
    let mut n = 0;
    while i > 0 && n < 12 {
        i -= 1;
        n += 1;
        let tok = &t[i];
        if is_clause_break(tok) || blocked(i) {
            break;
        }
        if tok.kind == TokKind::Alpha {
            if let Some(e) = event_word(&tok.low) {
                // "announced" names the event only when nothing else does; skip it here
                if tok.low != "announced" && tok.low != "announce" {
                    return Some(singular(e).to_string());
                }
            }
            if reporting_verb(&tok.low) {
                break;
            }
        }
    }
    // forwards from a clause-initial date: "On Tuesday, leaders will meet in Paris"
    let initial = a == 0 || (a == 1 && t[0].is("on")) || (a > 0 && is_clause_break(&t[a - 1]));
    if initial {
        for (k, tok) in t.iter().enumerate().skip(b).take(8) {
            if is_clause_break(tok) || blocked(k) {
                break;
            }
            if tok.kind == TokKind::Alpha
                && let Some(e) = event_word(&tok.low)
            {
                return Some(e.to_string());
            }
        }
    }
    None
}
