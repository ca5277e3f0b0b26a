//! Quotes: text in quotation marks with its speaker.
//!
//! Marks: straight `"`, curly “ ” „, guillemets « », and single quotes ‘ ’ / `'` used as
//! quotes (headline and UK style) — a single mark opens only before a word after a space or
//! the sentence start and closes only after a word before a space, punctuation or the end, so
//! apostrophes ("don’t", "Ukraine’s", "the allies’ plan") are not taken for quotes. Double
//! quotes may run over several sentences; the quote belongs to the sentence it starts in.
//!
//! Speakers come from the words around the quote: `"…," X said`, `"…," said X`, `X said: "…"`,
//! `X said that "…"`, `X told reporters: "…"`, `according to X`, with any verb of
//! [`SPEECH_VERBS`](super::entities::lex::SPEECH_VERBS). Pronouns resolve to the last person
//! [`find_people`](super::entities::find_people) saw before them; a bare surname resolves to the
//! full name. Quotes of three words or fewer with no speaker (scare quotes) are skipped.

use super::QuoteMention;
use super::entities::find_people;
use super::entities::lex::{Tok, VERB_FILLERS, is_pronoun, is_speech_verb, tokens};
use crate::claims::PersonMention;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
    /// Straight `"`: opens or closes by position.
    Either,
}

/// Double-quote marks in `s`: (byte offset, byte length, role).
fn double_marks(s: &str) -> Vec<(usize, usize, Mark)> {
    s.char_indices()
        .filter_map(|(i, c)| {
            let m = match c {
                '“' | '„' | '«' => Mark::Open,
                '”' | '»' => Mark::Close,
                '"' => Mark::Either,
                _ => return None,
            };
            Some((i, c.len_utf8(), m))
        })
        .collect()
}

/// Single-quote pairs inside one sentence: (open offset, close offset), skipping apostrophes.
fn single_pairs(s: &str) -> Vec<(usize, usize)> {
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let (b, c) = cs[i];
        let prev = if i > 0 { Some(cs[i - 1].1) } else { None };
        let next = cs.get(i + 1).map(|x| x.1);
        let opens = matches!(c, '‘' | '\'')
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | ':'))
            && next.is_some_and(|n| n.is_alphanumeric());
        if !opens {
            i += 1;
            continue;
        }
        // Closing candidates: ’ or ' after a non-space, before a non-letter.
        let mut cands = Vec::new();
        for k in i + 2..cs.len() {
            let (cb, cc) = cs[k];
            if !matches!(cc, '’' | '\'') || (c == '\'' && cc != '\'' && cc != '’') {
                continue;
            }
            let p = cs[k - 1].1;
            let n = cs.get(k + 1).map(|x| x.1);
            if p.is_whitespace() || n.is_some_and(|n| n.is_alphanumeric()) {
                continue;
            }
            // "the allies’ plan": a plural possessive before a lower-case word.
            let possessive = p == 's'
                && n.is_some_and(char::is_whitespace)
                && cs.get(k + 2).is_some_and(|x| x.1.is_lowercase());
            cands.push((cb, possessive));
        }
        let pick = cands.iter().find(|c| !c.1).or(cands.first());
        if let Some(&(cb, _)) = pick {
            out.push((b, cb));
            i = cs.iter().position(|x| x.0 == cb).unwrap_or(cs.len()) + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn normalise(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '«' | '»' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.trim_matches(|c: char| c == '"' || c.is_whitespace());
    t.trim_end_matches([',', ' ']).trim().to_string()
}

/// Raw quote before speaker detection.
struct Raw {
    sentence: usize,
    open: usize,
    /// Sentence and byte offset of the closing mark's end (where the trailing context starts).
    close_sentence: usize,
    close_end: usize,
    span_end: usize,
    text: String,
}

fn scan(sentences: &[String]) -> Vec<Raw> {
    let mut out = Vec::new();
    // (sentence, mark start, mark end, opened by „)
    let mut open: Option<(usize, usize, usize, bool)> = None;
    for (si, s) in sentences.iter().enumerate() {
        let mut double_ranges: Vec<(usize, usize)> = Vec::new();
        let mut sent_start_open = open.map(|_| 0usize);
        for (pos, len, m) in double_marks(s) {
            match open {
                None => {
                    let before = s[..pos].chars().next_back();
                    let after = s[pos + len..].chars().next();
                    let can_open = match m {
                        Mark::Open | Mark::Either => true,
                        // A mis-typed ” used as an opener: after a space, before a word.
                        Mark::Close => {
                            before.is_none_or(char::is_whitespace)
                                && after.is_some_and(char::is_alphanumeric)
                        }
                    };
                    if can_open {
                        open = Some((si, pos, pos + len, &s[pos..pos + len] == "„"));
                        sent_start_open = Some(pos);
                    }
                }
                Some((osi, ostart, oend, low)) => {
                    let closes = match m {
                        Mark::Close | Mark::Either => true,
                        // „…“ (German), or “…“ typed twice in one sentence after a word.
                        Mark::Open => {
                            &s[pos..pos + len] == "“"
                                && (low
                                    || osi == si
                                        && s[..pos]
                                            .chars()
                                            .next_back()
                                            .is_some_and(|c| !c.is_whitespace()))
                        }
                    };
                    if !closes {
                        continue; // a re-opening mark at a new paragraph: the quote goes on
                    }
                    let mut text = String::new();
                    if osi == si {
                        text.push_str(&s[oend..pos]);
                    } else {
                        text.push_str(&sentences[osi][oend..]);
                        for mid in &sentences[osi + 1..si] {
                            text.push(' ');
                            text.push_str(mid);
                        }
                        text.push(' ');
                        text.push_str(&s[..pos]);
                    }
                    let span_end = if osi == si {
                        pos + len
                    } else {
                        sentences[osi].len()
                    };
                    out.push(Raw {
                        sentence: osi,
                        open: ostart,
                        close_sentence: si,
                        close_end: pos + len,
                        span_end,
                        text,
                    });
                    if osi == si {
                        double_ranges.push((ostart, pos + len));
                    } else {
                        double_ranges.push((0, pos + len));
                    }
                    open = None;
                }
            }
        }
        if let Some((osi, ostart, oend, _)) = open {
            if let Some(st) = sent_start_open {
                double_ranges.push((st, s.len()));
            }
            // Give up on a quote that has not closed after five sentences: it ends with its
            // first sentence.
            if si >= osi + 5 || si + 1 == sentences.len() {
                let s0 = &sentences[osi];
                out.push(Raw {
                    sentence: osi,
                    open: ostart,
                    close_sentence: osi,
                    close_end: s0.len(),
                    span_end: s0.len(),
                    text: s0[oend..].to_string(),
                });
                open = None;
            }
        }
        // Single quotes outside double-quoted text.
        for (a, b) in single_pairs(s) {
            if double_ranges.iter().any(|&(x, y)| a >= x && a < y) {
                continue;
            }
            out.push(Raw {
                sentence: si,
                open: a,
                close_sentence: si,
                close_end: b + s[b..].chars().next().map_or(1, char::len_utf8),
                span_end: b + s[b..].chars().next().map_or(1, char::len_utf8),
                text: s[a + s[a..].chars().next().map_or(1, char::len_utf8)..b].to_string(),
            });
        }
    }
    out.sort_by_key(|r| (r.sentence, r.open));
    out
}

/// Words that end a speaker phrase after the verb ("said Ann Lee on Monday").
const PHRASE_STOP: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "ahead",
    "after",
    "before",
    "when",
    "while",
    "who",
    "which",
    "that",
    "to",
    "as",
    "adding",
    "last",
    "this",
    "yesterday",
    "today",
    "tonight",
    "told",
    "and",
    "but",
    "because",
    "referring",
    "speaking",
    "later",
    "earlier",
    "recently",
    "with",
    "via",
    "from",
    "if",
    "describing",
    "calling",
    "noting",
    "said",
    "says",
];

struct Ctx<'a> {
    s: &'a str,
    t: Vec<Tok>,
}

impl Ctx<'_> {
    fn w(&self, i: usize) -> &str {
        self.t[i].text(self.s)
    }
    fn lw(&self, i: usize) -> String {
        self.w(i).to_lowercase()
    }
    fn phrase(&self, a: usize, b: usize) -> Option<(usize, String)> {
        if a >= b {
            return None;
        }
        let start = self.t[a].start;
        let text = self.s[start..self.t[b - 1].end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Some((start, tidy_speaker(&text)))
    }
    /// A speaker phrase starting at token `i` (forwards): words up to punctuation or a stop word.
    fn phrase_forward(&self, i: usize) -> Option<(usize, String)> {
        let mut j = i;
        while j < self.t.len() && self.t[j].word && j - i < 8 {
            let lw = self.lw(j);
            if j > i && PHRASE_STOP.contains(&lw.as_str()) {
                break;
            }
            j += 1;
        }
        self.phrase(i, j)
    }
    /// A speaker phrase ending just before token `end` (backwards), skipping fillers and an
    /// appositive between commas ("Ann Lee, the mayor, said").
    fn phrase_backward(&self, end: usize) -> Option<(usize, String)> {
        let mut e = end;
        while e > 0 && self.t[e - 1].word && VERB_FILLERS.contains(&self.lw(e - 1).as_str()) {
            e -= 1;
        }
        if e > 0 && self.w(e - 1) == "," {
            // skip the appositive
            let mut k = e - 1;
            while k > 0 && self.w(k - 1) != "," && e - k < 8 {
                k -= 1;
            }
            if k > 0 && self.w(k - 1) == "," {
                e = k - 1;
            } else {
                return None;
            }
            // and an age before it: "Mark Egan, 45, from Crawley, said"
            if e >= 2
                && self.t[e - 1].word
                && self.w(e - 1).bytes().all(|b| b.is_ascii_digit())
                && self.w(e - 2) == ","
            {
                e -= 2;
            }
        }
        let mut a = e;
        while a > 0 && self.t[a - 1].word && e - a < 8 {
            let lw = self.lw(a - 1);
            if matches!(
                lw.as_str(),
                "and"
                    | "but"
                    | "that"
                    | "as"
                    | "when"
                    | "while"
                    | "which"
                    | "so"
                    | "because"
                    | "where"
            ) {
                break;
            }
            a -= 1;
        }
        // "In a statement, the ministry said" is caught by the comma; a leading preposition
        // phrase without one ("On Monday the ministry said") is trimmed at "the".
        if a < e
            && matches!(
                self.lw(a).as_str(),
                "on" | "in" | "at" | "during" | "after" | "late" | "earlier"
            )
        {
            let det = (a..e).find(|&k| {
                matches!(self.lw(k).as_str(), "the" | "a" | "an") || lex_cap(self.w(k)) && k > a + 1
            });
            a = det?;
        }
        self.phrase(a, e)
    }
}

fn lex_cap(w: &str) -> bool {
    super::entities::lex::is_cap(w)
}

/// Group nouns written capitalised only because they start the sentence ("Officials said").
const GROUP_NOUNS: &[&str] = &[
    "officials",
    "diplomats",
    "police",
    "authorities",
    "witnesses",
    "residents",
    "analysts",
    "sources",
    "experts",
    "critics",
    "protesters",
    "lawmakers",
    "aides",
    "organisers",
    "organizers",
    "investigators",
    "prosecutors",
    "doctors",
    "officers",
    "troops",
    "soldiers",
    "rescuers",
    "observers",
    "negotiators",
    "ministers",
    "leaders",
    "campaigners",
    "economists",
];

fn tidy_speaker(p: &str) -> String {
    let p = p.trim_end_matches([',', '.', ':', ';']);
    let first = p.split(' ').next().unwrap_or("");
    if GROUP_NOUNS.contains(&first.to_lowercase().as_str()) {
        return format!("{}{}", first.to_lowercase(), &p[first.len()..]);
    }
    for det in ["The ", "A ", "An "] {
        if let Some(rest) = p.strip_prefix(det) {
            return format!("{}{rest}", det.to_lowercase());
        }
    }
    p.to_string()
}

/// Speaker from the words right after the closing mark.
fn speaker_after(sentences: &[String], r: &Raw) -> Option<(usize, usize, String)> {
    let s = &sentences[r.close_sentence];
    let rest_start = r.close_end.min(s.len());
    let ctx = Ctx { s, t: tokens(s) };
    let mut i = ctx.t.iter().position(|t| t.start >= rest_start)?;
    while i < ctx.t.len() && matches!(ctx.w(i), "," | "—" | "–" | "-") {
        i += 1;
    }
    if i >= ctx.t.len() || !ctx.t[i].word {
        return None;
    }
    // ", according to X"
    if ctx.lw(i) == "according" && i + 1 < ctx.t.len() && ctx.lw(i + 1) == "to" {
        return ctx
            .phrase_forward(i + 2)
            .map(|(p, t)| (r.close_sentence, p, t));
    }
    // ", said X"
    if is_speech_verb(ctx.w(i)) && ctx.lw(i) != "told" {
        return ctx
            .phrase_forward(i + 1)
            .map(|(p, t)| (r.close_sentence, p, t));
    }
    // ", X said"
    let mut j = i;
    while j < ctx.t.len() && ctx.t[j].word && j - i < 8 && !is_speech_verb(ctx.w(j)) {
        j += 1;
    }
    let mut v = j;
    if j < ctx.t.len() && !is_speech_verb(ctx.w(j)) {
        return None;
    }
    if j >= ctx.t.len() {
        return None;
    }
    // drop fillers between the phrase and the verb
    while v > i && VERB_FILLERS.contains(&ctx.lw(v - 1).as_str()) {
        v -= 1;
    }
    // A clause, not a speaker: `"…" is the slogan that officials said …`.
    if (i..v).any(|k| {
        let lw = ctx.lw(k);
        PHRASE_STOP.contains(&lw.as_str())
            || matches!(lw.as_str(), "is" | "was" | "are" | "were" | "be" | "been")
    }) {
        return None;
    }
    ctx.phrase(i, v).map(|(p, t)| (r.close_sentence, p, t))
}

/// Speaker from the words before the opening mark (`X said: "…"`).
fn speaker_before(sentences: &[String], r: &Raw) -> Option<(usize, usize, String)> {
    let s = &sentences[r.sentence];
    let prefix = &s[..r.open];
    let ctx = Ctx {
        s: prefix,
        t: tokens(prefix),
    };
    let n = ctx.t.len();
    if n == 0 {
        return None;
    }
    // last speech verb in the prefix, in its last clause
    let mut v = None;
    for k in (0..n).rev() {
        if !ctx.t[k].word && matches!(ctx.w(k), "." | ";" | "!" | "?") {
            break;
        }
        if ctx.t[k].word && is_speech_verb(ctx.w(k)) {
            v = Some(k);
            break;
        }
    }
    let v = v?;
    // The quote must follow the verb clause: "said:", "said,", "said that", "told reporters:".
    let tail_ok = n - v <= 8;
    if !tail_ok {
        return None;
    }
    ctx.phrase_backward(v).map(|(p, t)| (r.sentence, p, t))
}

fn according_to(s: &str) -> Option<(usize, String)> {
    let ctx = Ctx { s, t: tokens(s) };
    let k = (0..ctx.t.len().saturating_sub(1))
        .find(|&k| ctx.lw(k) == "according" && ctx.lw(k + 1) == "to")?;
    ctx.phrase_forward(k + 2)
}

/// The last person mentioned before (sentence, offset).
fn last_person(people: &[PersonMention], si: usize, at: usize) -> Option<String> {
    people
        .iter()
        .rev()
        .find(|p| p.sentence < si || p.sentence == si && p.span.start < at)
        .map(|p| p.name.clone())
}

/// Every quotation in the document's sentences, with its speaker.
pub fn find_quotes(sentences: &[String]) -> Vec<QuoteMention> {
    let raws = scan(sentences);
    if raws.is_empty() {
        return Vec::new();
    }
    // People are only needed to resolve pronouns and bare surnames: found on first need.
    let mut people: Option<Vec<PersonMention>> = None;
    let mut out = Vec::new();
    for r in &raws {
        let text = normalise(&r.text);
        if text.is_empty() {
            continue;
        }
        let found = speaker_after(sentences, r)
            .or_else(|| speaker_before(sentences, r))
            .or_else(|| according_to(&sentences[r.sentence]).map(|(p, t)| (r.sentence, p, t)));
        let speaker = found.and_then(|(si, pos, sp)| {
            if sp.is_empty() {
                None
            } else if is_pronoun(&sp) {
                last_person(
                    people.get_or_insert_with(|| find_people(sentences)),
                    si,
                    pos,
                )
            } else if !sp.contains(' ') {
                // a bare surname → the full name
                Some(
                    people
                        .get_or_insert_with(|| find_people(sentences))
                        .iter()
                        .find(|p| {
                            p.name.rsplit(' ').next() == Some(sp.as_str()) && p.name.contains(' ')
                        })
                        .map_or(sp, |p| p.name.clone()),
                )
            } else {
                Some(sp)
            }
        });
        if speaker.is_none() && text.split_whitespace().count() <= 3 {
            continue; // scare quotes
        }
        out.push(QuoteMention {
            sentence: r.sentence,
            span: r.open..r.span_end,
            text,
            speaker,
        });
    }
    out
}

#[cfg(test)]
mod tests;
