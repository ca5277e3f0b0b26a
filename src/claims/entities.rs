//! People and places.
//!
//! * [`find_places`] matches a sentence against the embedded gazetteer (ISO 3166-1 countries,
//!   ISO 3166-2 subdivisions, GeoNames cities ≥ 50,000 inhabitants and capitals; see
//!   `assets/gazetteer/LICENSE.md`) — case-sensitive, leftmost-longest, whole words. Small towns
//!   ("minor" places) count only after a locative word ("in", "near", "from" …); a match that
//!   is part of a longer capitalised name ("Paris Agreement", "Marco Rubio") is dropped.
//! * [`find_people`] finds capitalised names after titles and roles ("Prime Minister Keir
//!   Starmer", "spokesperson Ann Lee"), in apposition ("Ann Lee, the mayor,", "the mayor, Ann
//!   Lee,"), and in speaker position ("John Ellery said", "said John Ellery", "according to
//!   John Ellery"), then links later surname-only mentions to the full name.

mod gazetteer;
pub(crate) mod lex;

use std::ops::Range;

use self::gazetteer::GAZETTEER;
use self::lex::{
    Tok, has_possessive, is_cap, is_speech_verb, never_name, strip_possessive, tokens,
};
use super::{PersonMention, PlaceKind, PlaceMention};

/// Words after which a minor place (a town) is accepted.
const LOCATIVE: &[&str] = &[
    "in", "at", "near", "from", "to", "outside", "around", "towards", "toward", "into", "across",
    "of", "via", "through", "between", "inside", "on", "for", "over",
];

/// Capitalised words that may directly precede a place (sentence-initial function words and
/// compass modifiers are fine; any other capitalised word means a longer name).
const PRE_OK: &[&str] = &[
    "In",
    "At",
    "Near",
    "From",
    "To",
    "Outside",
    "Around",
    "Towards",
    "Into",
    "Across",
    "Of",
    "Via",
    "Through",
    "Between",
    "Inside",
    "On",
    "For",
    "Over",
    "The",
    "And",
    "But",
    "Or",
    "As",
    "While",
    "After",
    "Before",
    "Since",
    "Like",
    "Unlike",
    "With",
    "Without",
    "By",
    "Both",
    "Neither",
    "Either",
    "Even",
    "Only",
    "Also",
    "Meanwhile",
    "Elsewhere",
    "When",
    "If",
    "Then",
    "Across",
    "Beyond",
    "Within",
    "Against",
    "Including",
    "Until",
];

/// Capitalised words that may directly follow a city or subdivision ("Kyiv Mayor").
const POST_OK: &[&str] = &[
    "Mayor",
    "Governor",
    "Oblast",
    "Region",
    "Province",
    "City",
    "Police",
    "On",
    "In",
    "And",
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Defence",
    "Defense",
    "Chancellor",
];

fn prev_word(s: &str, at: usize) -> Option<&str> {
    let before = &s[..at];
    if !before.ends_with(' ') {
        return None;
    }
    let t = before.trim_end();
    let w = t.rsplit(|c: char| c.is_whitespace()).next()?;
    Some(w)
}

fn next_word(s: &str, at: usize) -> Option<&str> {
    let after = &s[at..];
    if !after.starts_with(' ') {
        return None;
    }
    after.split_whitespace().next()
}

/// Every place in `sentence` found in the gazetteer.
pub fn find_places(sentence: &str) -> Vec<PlaceMention> {
    let g = &*GAZETTEER;
    let mut out = Vec::new();
    // Every name starts with a capital: try an anchored match at each capitalised word start.
    let mut next_free = 0;
    let mut prev_char: Option<char> = None;
    for (at, c) in sentence.char_indices() {
        let starts_word = c.is_uppercase() && !prev_char.is_some_and(char::is_alphanumeric);
        prev_char = Some(c);
        if !starts_word || at < next_free {
            continue;
        }
        let Some(m) = gazetteer::match_at(sentence, at) else {
            continue;
        };
        let (s, e) = (m.start(), m.end());
        let before = sentence[..s].chars().next_back();
        let after = sentence[e..].chars().next();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '\'' || c == '’')
            || after.is_some_and(|c| c.is_alphanumeric())
        {
            continue;
        }
        // "U.S" must not match inside "U.S." (the longer form is a separate pattern).
        let place = g.places[g.pattern_place[m.pattern().as_usize()] as usize];
        let prev = prev_word(sentence, s);
        if let Some(p) = prev {
            let pw = p.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            if is_cap(pw) && !p.ends_with([',', ';', ':', ')']) && !PRE_OK.contains(&pw) {
                // Part of a longer name, unless the word before is itself a place.
                let is_place = gazetteer::match_at(pw, 0).is_some_and(|m2| m2.end() == pw.len());
                if !is_place {
                    continue;
                }
            }
        }
        if place.kind != PlaceKind::Country
            && let Some(n) = next_word(sentence, e)
        {
            let nw = n.trim_matches(|c: char| !c.is_alphanumeric());
            if is_cap(nw) && !POST_OK.contains(&nw) {
                continue;
            }
        }
        if !place.major {
            let ok = prev.is_some_and(|p| LOCATIVE.contains(&p.to_lowercase().as_str()));
            if !ok {
                continue;
            }
        }
        next_free = e;
        out.push(PlaceMention {
            span: s..e,
            text: sentence[s..e].to_string(),
            name: place.name.to_string(),
            kind: place.kind,
            country: Some(place.country.to_string()),
        });
    }
    out
}

/// Whether place `inner` lies in place `outer` (canonical names): Paris ⊂ France, Kyiv ⊂
/// Ukraine; a subdivision lies in its country; a place lies in itself.
pub fn place_within(inner: &str, outer: &str) -> bool {
    let g = &*GAZETTEER;
    let (Some(is), Some(os)) = (g.by_name.get(inner), g.by_name.get(outer)) else {
        return false;
    };
    if inner == outer {
        return true;
    }
    is.iter().any(|&i| {
        let ip = g.places[i as usize];
        os.iter().any(|&o| {
            let op = g.places[o as usize];
            op.kind == PlaceKind::Country
                && ip.kind != PlaceKind::Country
                && ip.country == op.country
        })
    })
}

/// Titles written before a name, longest first per start word: surface words (compared
/// case-insensitively) and the role they give (`None` for honorifics).
const TITLES: &[(&[&str], Option<&str>)] = &[
    (&["prime", "minister"], Some("prime minister")),
    (
        &["deputy", "prime", "minister"],
        Some("deputy prime minister"),
    ),
    (&["foreign", "minister"], Some("foreign minister")),
    (&["defence", "minister"], Some("defence minister")),
    (&["defense", "minister"], Some("defence minister")),
    (&["finance", "minister"], Some("finance minister")),
    (&["interior", "minister"], Some("interior minister")),
    (&["foreign", "secretary"], Some("foreign secretary")),
    (&["defense", "secretary"], Some("defence secretary")),
    (&["defence", "secretary"], Some("defence secretary")),
    (&["secretary", "of", "state"], Some("secretary of state")),
    (&["secretary", "general"], Some("secretary general")),
    (&["secretary-general"], Some("secretary general")),
    (&["vice", "president"], Some("vice president")),
    (&["chief", "executive"], Some("chief executive")),
    (
        &["national", "security", "adviser"],
        Some("national security adviser"),
    ),
    (
        &["national", "security", "advisor"],
        Some("national security adviser"),
    ),
    (&["special", "envoy"], Some("special envoy")),
    (&["president"], Some("president")),
    (&["chancellor"], Some("chancellor")),
    (&["mayor"], Some("mayor")),
    (&["governor"], Some("governor")),
    (&["gov."], Some("governor")),
    (&["senator"], Some("senator")),
    (&["sen."], Some("senator")),
    (&["rep."], Some("representative")),
    (&["representative"], Some("representative")),
    (&["minister"], Some("minister")),
    (&["secretary"], Some("secretary")),
    (&["general"], Some("general")),
    (&["gen."], Some("general")),
    (&["col."], Some("colonel")),
    (&["colonel"], Some("colonel")),
    (&["admiral"], Some("admiral")),
    (&["commander"], Some("commander")),
    (&["ambassador"], Some("ambassador")),
    (&["envoy"], Some("envoy")),
    (&["king"], Some("king")),
    (&["queen"], Some("queen")),
    (&["prince"], Some("prince")),
    (&["pope"], Some("pope")),
    (&["judge"], Some("judge")),
    (&["justice"], Some("justice")),
    (&["commissioner"], Some("commissioner")),
    (&["spokesperson"], Some("spokesperson")),
    (&["spokesman"], Some("spokesman")),
    (&["spokeswoman"], Some("spokeswoman")),
    (&["negotiator"], Some("negotiator")),
    (&["negotiators"], Some("negotiator")),
    (&["envoys"], Some("envoy")),
    (&["adviser"], Some("adviser")),
    (&["advisor"], Some("adviser")),
    (&["ceo"], Some("chief executive")),
    (&["chairman"], Some("chairman")),
    (&["chairwoman"], Some("chairwoman")),
    (&["professor"], Some("professor")),
    (&["prof."], Some("professor")),
    (&["dr."], Some("doctor")),
    (&["dr"], Some("doctor")),
    (&["mr"], None),
    (&["mr."], None),
    (&["mrs"], None),
    (&["mrs."], None),
    (&["ms"], None),
    (&["ms."], None),
];

/// Role nouns accepted in apposition ("Ann Lee, the mayor,").
const ROLE_HEADS: &[&str] = &[
    "president",
    "minister",
    "mayor",
    "chancellor",
    "senator",
    "governor",
    "secretary",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "executive",
    "ceo",
    "director",
    "ambassador",
    "envoy",
    "general",
    "commander",
    "adviser",
    "advisor",
    "chairman",
    "chairwoman",
    "chair",
    "leader",
    "head",
    "negotiator",
    "chief",
    "premier",
    "king",
    "queen",
    "official",
    "analyst",
    "professor",
    "economist",
    "founder",
    "lawyer",
    "attorney",
    "judge",
];

const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "bin", "al", "da", "di", "la", "le", "du", "del", "ibn",
];

struct Sent<'a> {
    s: &'a str,
    t: Vec<Tok>,
    /// Lower-cased token texts.
    lower: Vec<String>,
    places: Vec<Range<usize>>,
}

impl Sent<'_> {
    fn w(&self, i: usize) -> &str {
        self.t[i].text(self.s)
    }
    fn lw(&self, i: usize) -> &str {
        &self.lower[i]
    }
    fn in_place(&self, i: usize) -> bool {
        let t = self.t[i];
        self.places
            .iter()
            .any(|p| p.start < t.end && t.start < p.end)
    }
    /// A capitalised name run starting at token `i`: (end token exclusive, possessive ended it).
    fn name_run(&self, i: usize, max: usize) -> Option<usize> {
        let mut j = i;
        let mut words = 0;
        while j < self.t.len() && words < max {
            let tok = self.t[j];
            if !tok.word {
                break;
            }
            let w = self.w(j);
            let stem = strip_possessive(w);
            if is_cap(stem)
                && !never_name(stem)
                && !self.in_place(j)
                && !gazetteer::is_major_place_word(stem)
                && stem.chars().any(|c| c.is_lowercase())
                || is_initial(stem)
            {
                j += 1;
                words += 1;
                if has_possessive(w) {
                    break;
                }
            } else if words > 0
                && NAME_PARTICLES.contains(&w)
                && j + 1 < self.t.len()
                && is_cap(self.w(j + 1))
                && !never_name(self.w(j + 1))
            {
                j += 1;
            } else {
                break;
            }
        }
        (words > 0 && j > i).then_some(j)
    }
    fn name_text(&self, i: usize, j: usize) -> (Range<usize>, String) {
        let start = self.t[i].start;
        let last = self.t[j - 1];
        let end = last.start + strip_possessive(last.text(self.s)).len();
        (
            start..end,
            self.s[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
    fn title_at(&self, i: usize) -> Option<(usize, Option<&'static str>)> {
        let mut best: Option<(usize, Option<&'static str>)> = None;
        for (words, role) in TITLES {
            if i + words.len() > self.t.len() {
                continue;
            }
            if words
                .iter()
                .enumerate()
                .all(|(k, w)| self.t[i + k].word && self.lw(i + k) == *w)
                && best.is_none_or(|(n, _)| words.len() > n)
            {
                best = Some((words.len(), *role));
            }
        }
        best
    }
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// Every person in the document's sentences, linked by surname.
pub fn find_people(sentences: &[String]) -> Vec<PersonMention> {
    let mut out: Vec<PersonMention> = Vec::new();
    let mut known: Vec<String> = Vec::new(); // full names, in order of introduction
    for (si, s) in sentences.iter().enumerate() {
        let t = tokens(s);
        let sent = Sent {
            s,
            lower: t.iter().map(|x| x.text(s).to_lowercase()).collect(),
            t,
            places: find_places(s).into_iter().map(|p| p.span).collect(),
        };
        let mut found: Vec<(Range<usize>, usize, usize, Option<String>)> = Vec::new(); // span, tok i..j, role
        let n = sent.t.len();
        let mut i = 0;
        while i < n {
            // Title or role before a name.
            if sent.t[i].word
                && let Some((len, role)) = sent.title_at(i)
                && let Some(j) = sent.name_run(i + len, 4)
            {
                let (span, _) = sent.name_text(i + len, j);
                found.push((span, i + len, j, role.map(str::to_string)));
                // "negotiators Steve Witkoff and Jared Kushner"
                let plural = sent.lw(i + len - 1).ends_with('s');
                let mut k = j;
                while plural && k + 1 < n && matches!(sent.w(k), "and" | ",") {
                    match sent.name_run(k + 1, 4) {
                        Some(j2) if j2 - (k + 1) >= 2 => {
                            let (span2, _) = sent.name_text(k + 1, j2);
                            found.push((span2, k + 1, j2, role.map(str::to_string)));
                            k = j2;
                        }
                        _ => break,
                    }
                }
                i = k.max(j);
                continue;
            }
            i += 1;
        }
        // Apposition and speaker position over capitalised runs of two words or more.
        let mut i = 0;
        while i < n {
            let Some(j) = sent.name_run(i, 4).filter(|j| j - i >= 2) else {
                i += 1;
                continue;
            };
            if found.iter().any(|f| f.1 <= i && i < f.2) {
                i = j;
                continue;
            }
            let mut role = None;
            let mut person = false;
            // "Ann Lee, the mayor,"
            if j + 2 < n
                && sent.w(j) == ","
                && matches!(sent.lw(j + 1), "the" | "a" | "an" | "its" | "his" | "her")
            {
                let mut k = j + 2;
                while k < n && sent.t[k].word && k - j < 7 {
                    k += 1;
                }
                if k > j + 2 && ROLE_HEADS.contains(&sent.lw(k - 1)) {
                    let words: Vec<&str> = (j + 2..k)
                        .filter(|&x| !has_possessive(sent.w(x)))
                        .map(|x| sent.lw(x))
                        .collect();
                    role = Some(words.join(" "));
                    person = true;
                }
            }
            // "the mayor, Ann Lee,"
            if !person && i >= 3 && sent.w(i - 1) == "," && ROLE_HEADS.contains(&sent.lw(i - 2)) {
                let mut k = i - 2;
                while k > 0
                    && sent.t[k - 1].word
                    && !matches!(sent.lw(k - 1), "the" | "a" | "an")
                    && i - k < 5
                {
                    k -= 1;
                }
                if k > 0 && matches!(sent.lw(k - 1), "the" | "a" | "an") {
                    role = Some((k..i - 1).map(|x| sent.lw(x)).collect::<Vec<_>>().join(" "));
                    person = true;
                }
            }
            // "John Ellery said", "said John Ellery", "according to John Ellery"
            if !person {
                let mut k = j;
                while k < n
                    && sent.t[k].word
                    && lex::VERB_FILLERS.contains(&sent.lw(k))
                    && sent.lw(k) != "told"
                {
                    k += 1;
                }
                person = k < n && sent.t[k].word && is_speech_verb(sent.w(k))
                    || i >= 1 && sent.t[i - 1].word && is_speech_verb(sent.w(i - 1))
                    || i >= 2 && sent.lw(i - 2) == "according" && sent.lw(i - 1) == "to";
            }
            if person {
                let (span, _) = sent.name_text(i, j);
                found.push((span, i, j, role));
            }
            i = j;
        }
        // Known names and surname-only mentions.
        let mut i = 0;
        while i < n {
            if found.iter().any(|f| f.1 <= i && i < f.2) || !sent.t[i].word {
                i += 1;
                continue;
            }
            let Some(j) = sent.name_run(i, 4) else {
                i += 1;
                continue;
            };
            let (span, text) = sent.name_text(i, j);
            let hit = known.contains(&text)
                || j - i == 1
                    && known
                        .iter()
                        .any(|k| k.rsplit(' ').next() == Some(text.as_str()) && k.contains(' '));
            if hit {
                found.push((span, i, j, None));
            }
            i = j;
        }
        found.sort_by_key(|f| f.0.start);
        for (span, _, _, role) in found {
            let text: String = s[span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let name = resolve_name(&known, &text);
            if name == text && !known.contains(&text) {
                known.push(text.clone());
            }
            out.push(PersonMention {
                sentence: si,
                span,
                name,
                role,
            });
        }
    }
    // A surname met before its full name ("President Trump" … "Donald Trump"): link it too.
    for m in &mut out {
        if m.name.contains(' ') {
            continue;
        }
        let mut full = known
            .iter()
            .filter(|k| k.contains(' ') && k.rsplit(' ').next() == Some(m.name.as_str()));
        if let (Some(k), None) = (full.next(), full.next()) {
            m.name = k.clone();
        }
    }
    out
}

/// A surname-only (or shorter) mention → the full name introduced earlier with that surname.
fn resolve_name(known: &[String], text: &str) -> String {
    if known.iter().any(|k| k == text) {
        return text.to_string();
    }
    if !text.contains(' ')
        && let Some(k) = known
            .iter()
            .rev()
            .find(|k| k.contains(' ') && k.rsplit(' ').next() == Some(text))
    {
        return k.clone();
    }
    text.to_string()
}

#[cfg(test)]
mod tests;
