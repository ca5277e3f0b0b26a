//! People and places.
//!
//! * [`find_places`] matches a sentence against the embedded gazetteer (ISO 3166-1 countries,
//!   ISO 3166-2 subdivisions, GeoNames cities ≥ 50,000 inhabitants and capitals; see
//!   `assets/gazetteer/LICENSE.md`) — case-sensitive, leftmost-longest, whole words, with or
//!   without accents ("Malmo" is Malmö). Small towns ("minor" places) count only after a
//!   locative word ("in", "near", "from" …); a match that is part of a longer capitalised name
//!   ("Paris Agreement", "Marco Rubio") is dropped. Towns too small for the gazetteer are
//!   [`PlaceKind::Town`]: a capitalised name of one to three words right after a word that says
//!   where something happened ("in Little Hadham", "near Stenungsund", "north of Great Ayton",
//!   "on the outskirts of Upton-upon-Severn", and "… and Camborne" after such a place) that is
//!   not an organisation, building, street or event ("at Leeds Crown Court", "in Downing
//!   Street", "in Paris Agreement talks"), a month, weekday, language or festival ("in March",
//!   "in English"), a possessive ("at Smith's house"), an employer ("worked at Ridgeway",
//!   "shares in Lindqvist"), nor in a title-case headline. [`NotTowns`] then drops the
//!   candidates the rest of the document shows to be people or companies: a person's name or
//!   part of it, a name followed by a company word ("Ridgeway Components") or a name that is
//!   the subject of a speech verb ("Veloka said" — "officials in Mesa said" is a place).
//!   Streets, buildings and courts are not towns by choice: the fact users follow is the town.
//!   [`fold_accents`] compares names across spellings.
//! * [`find_people`] finds capitalised names after titles and roles ("Prime Minister Keir
//!   Starmer", "chief operating officer Stuart Pell", "Wearside's sporting director Helen
//!   Mayall"), in apposition ("Ann Lee, the mayor,", "Stuart Pell, 51, the firm's former finance
//!   director,", "Dana Whitcomb, chief executive of Ridgeway Components,", "the mayor, Ann
//!   Lee,", "Ridgeway's chief executive, Dana Whitcomb,"), and in speaker position ("John Ellery
//!   said", "said John Ellery", "according to John Ellery"), then links later surname-only
//!   mentions to the full name. A role is `modifier* head` from word lists kept as data in
//!   [`lex`] ("chief" "operating" + "officer"), with an optional field ("head of security"),
//!   lower-case and with abbreviations spelled out ("CEO" → "chief executive"); words such as
//!   "former", "acting" or "interim" are not part of it. The organisation is the possessive
//!   owner ("Wearside's") or the name after "of"/"at"/"for"/"with"/"in" ("of Ridgeway
//!   Components"); "the firm's", "its" and other common nouns leave it unknown (the story's own
//!   organisation).

mod gazetteer;
pub(crate) mod lex;

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use self::gazetteer::GAZETTEER;
use self::lex::{
    ADJECTIVE_ENDINGS, AREA_NOUNS, COMPANY_WORDS, NOT_TOWN, NOT_TOWN_BEFORE_AT, NOT_TOWN_BEFORE_IN,
    ORG_WORDS, PERSON_DESCRIPTORS, ROLE_ABBREV, ROLE_FIELDS, ROLE_HEADS, ROLE_MODIFIERS, ROLE_STOP,
    ROLE_TIME, TOWN_CUES, TOWN_JOINERS, Tok, VERB_FILLERS, has_possessive, is_cap, is_speech_verb,
    never_name, strip_possessive, tokens,
};
use super::numbers::small_cardinal;
use super::{PersonMention, PlaceKind, PlaceMention};

/// `s` without accents, for comparing place names across spellings: canonical decomposition
/// with the combining marks dropped ("Malmö" → "Malmo", "São Paulo" → "Sao Paulo"), and the
/// letters that do not decompose spelled out (ø → o, æ → ae, œ → oe, ß → ss, ł → l, đ/ð → d,
/// þ → th, dotless ı → i). Case is kept.
pub fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("Ae"),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("Oe"),
            'ß' => out.push_str("ss"),
            'ẞ' => out.push_str("SS"),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' | 'ð' => out.push('d'),
            'Đ' | 'Ð' => out.push('D'),
            'þ' => out.push_str("th"),
            'Þ' => out.push_str("Th"),
            'ı' => out.push('i'),
            _ => out.push(c),
        }
    }
    out
}

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

/// Every place in `sentence`: gazetteer places and, after a locative cue, towns too small for
/// it ([`PlaceKind::Town`], canonical name as written). Filter the towns with [`NotTowns`]
/// when the whole document is at hand.
pub fn find_places(sentence: &str) -> Vec<PlaceMention> {
    let mut out = gazetteer_places(sentence);
    let towns = find_towns(sentence, &out);
    if !towns.is_empty() {
        out.extend(towns);
        out.sort_by_key(|p| p.span.start);
    }
    out
}

/// Every place in `sentence` found in the gazetteer.
fn gazetteer_places(sentence: &str) -> Vec<PlaceMention> {
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
        let Some((e, place_idx, folded)) = gazetteer::lookup_at(sentence, at) else {
            continue;
        };
        let s = at;
        let before = sentence[..s].chars().next_back();
        let after = sentence[e..].chars().next();
        // "Saint-Étienne" inside "Saint-Étienne-du-Rouvray" is another place
        let hyphenated = after == Some('-')
            && sentence[e + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '\'' || c == '’')
            || after.is_some_and(|c| c.is_alphanumeric())
            || hyphenated
        {
            continue;
        }
        // "U.S" must not match inside "U.S." (the longer form is a separate pattern).
        let place = g.places[place_idx as usize];
        let prev = prev_word(sentence, s);
        if let Some(p) = prev {
            let pw = p.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            if is_cap(pw) && !p.ends_with([',', ';', ':', ')']) && !PRE_OK.contains(&pw) {
                // Part of a longer name, unless the word before is itself a place.
                let is_place =
                    gazetteer::lookup_at(pw, 0).is_some_and(|(end, _, _)| end == pw.len());
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
        if !place.major || folded {
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

/// Words lower-cased, for cue matching.
fn lower_words(s: &str, t: &[Tok]) -> Vec<String> {
    t.iter().map(|x| x.text(s).to_lowercase()).collect()
}

/// Whether tokens before `i` end with a cue that marks a place ("in", "near", "north of",
/// "on the outskirts of") — and not an employer's or a company's ("worked at", "shares in",
/// "director at").
fn town_cue_before(s: &str, t: &[Tok], lower: &[String], i: usize) -> bool {
    // every cue ends in one of these
    if i == 0
        || !matches!(
            lower[i - 1].as_str(),
            "in" | "near" | "at" | "outside" | "of"
        )
    {
        return false;
    }
    TOWN_CUES.iter().any(|cue| {
        let k = cue.len();
        if i < k || !(i - k..i).all(|x| t[x].word && lower[x] == cue[k - 1 - (i - 1 - x)]) {
            return false;
        }
        if k == 1 && i >= 2 && t[i - 2].word {
            let before = lower[i - 2].as_str();
            let w = t[i - 2].text(s);
            // "director at Ridgeway" is an employer ("officials in Mesa" is a place)
            let not_place = match cue[0] {
                "at" => {
                    NOT_TOWN_BEFORE_AT.contains(&before) || role_word(w).is_some_and(|r| r.head)
                }
                "in" => NOT_TOWN_BEFORE_IN.contains(&before),
                _ => false,
            };
            if not_place {
                return false;
            }
        }
        true
    })
}

/// Whether a capitalised word can be part of a town's name (`first`: its first word).
fn town_word(w: &str, first: bool) -> bool {
    is_cap(w)
        && w.chars().any(char::is_lowercase)
        && !has_possessive(w)
        && !never_name(w)
        && !NOT_TOWN.contains(&w)
        && !COMPANY.contains(w)
        // "at Chief Constable …" (a modifier may name a town: "Dodge City", "Castle Douglas")
        && !role_word(w).is_some_and(|r| r.head)
        && (first || !ORG.contains(w))
}

/// A title-case line ("Fire At Chemical Plant Forces Evacuations"): capitals say nothing there.
fn title_case(s: &str, t: &[Tok]) -> bool {
    let long: Vec<&str> = t
        .iter()
        .filter(|x| x.word)
        .map(|x| x.text(s))
        .filter(|w| w.chars().count() > 3 && w.chars().all(char::is_alphabetic))
        .collect();
    long.len() >= 4 && long.iter().filter(|w| is_cap(w)).count() * 10 >= long.len() * 7
}

/// Towns too small for the gazetteer: a capitalised name of one to three words right after a
/// locative cue, or after "and"/"or" following a place in such a position.
fn find_towns(s: &str, gaz: &[PlaceMention]) -> Vec<PlaceMention> {
    let t = tokens(s);
    if t.is_empty() || title_case(s, &t) {
        return Vec::new();
    }
    let lower = lower_words(s, &t);
    let n = t.len();
    let mut out = Vec::new();
    // token index right after the last place that stood in a locative position
    let mut after_place: Option<usize> = None;
    let mut i = 0;
    while i < n {
        // names start with a capital
        if !t[i].word || !is_cap(t[i].text(s)) {
            i += 1;
            continue;
        }
        let cue = town_cue_before(s, &t, &lower, i)
            || i >= 1
                && matches!(lower[i - 1].as_str(), "and" | "or")
                && after_place == Some(i - 1);
        // "in the Southville area of Bristol", "near the Moss Side district": the noun after
        // the name says it is a place (checked once the name's run is known)
        let area_cue = !cue
            && i >= 2
            && lower[i - 1] == "the"
            && matches!(lower[i - 2].as_str(), "in" | "near" | "outside");
        if let Some(g) = gaz
            .iter()
            .find(|p| p.span.start <= t[i].start && t[i].start < p.span.end)
        {
            let end = (i..n).find(|&x| t[x].start >= g.span.end).unwrap_or(n);
            if cue {
                after_place = Some(end);
            }
            i = end.max(i + 1);
            continue;
        }
        if !cue && !area_cue {
            i += 1;
            continue;
        }
        // the capitalised run, joiners allowed inside ("Newcastle upon Tyne")
        let mut j = i;
        let mut caps = 0;
        while j < n && t[j].word && j - i < 7 {
            let w = t[j].text(s);
            if is_cap(w) {
                caps += 1;
                j += 1;
            } else if caps > 0
                && TOWN_JOINERS.contains(&w)
                && j + 1 < n
                && t[j + 1].word
                && is_cap(t[j + 1].text(s))
            {
                j += 1;
            } else {
                break;
            }
        }
        if area_cue && !(j < n && t[j].word && AREA_NOUNS.contains(&lower[j].as_str())) {
            i = j.max(i + 1);
            continue;
        }
        let words: Vec<&str> = (i..j).map(|x| t[x].text(s)).filter(|w| is_cap(w)).collect();
        let next_plain = j < n && t[j].word && plain_lower(t[j].text(s));
        let ok = (1..=3).contains(&caps)
            && words
                .iter()
                .enumerate()
                .all(|(k, w)| town_word(w, k == 0))
            // "in Paris Hilton": a big place's name starting a longer name
            && !(caps > 1 && gazetteer::is_major_place_word(words[0]))
            // "at Terminal 5", "in Ward 3"
            && !(j < n && t[j].text(s).starts_with(|c: char| c.is_ascii_digit()))
            // "in Cornish tin mine"
            && !(caps == 1
                && next_plain
                && !ROLE_STOP.contains(&lower[j].as_str())
                && ADJECTIVE_ENDINGS.iter().any(|e| words[0].ends_with(e)))
            // "in Mesa and Saguaro West in Glendale": a building in a place
            && !(!town_cue_before(s, &t, &lower, i)
                && j < n
                && matches!(lower[j].as_str(), "in" | "at" | "near"));
        if !ok {
            i = j.max(i + 1);
            continue;
        }
        let (start, end) = (t[i].start, t[j - 1].end);
        let text = &s[start..end];
        // a gazetteer place the gazetteer pass left out ("England and Wales": a minor
        // subdivision after "and") keeps its canonical name and kind
        let known = gazetteer::lookup_at(text, 0)
            .filter(|&(e, _, _)| e == text.len())
            .map(|(_, p, _)| GAZETTEER.places[p as usize]);
        out.push(PlaceMention {
            span: start..end,
            text: text.to_string(),
            name: known.map_or_else(
                || text.split_whitespace().collect::<Vec<_>>().join(" "),
                |p| p.name.to_string(),
            ),
            kind: known.map_or(PlaceKind::Town, |p| p.kind),
            country: known.map(|p| p.country.to_string()),
        });
        after_place = Some(j);
        i = j;
    }
    out
}

/// Whether token `j` starts a speech verb, possibly after fillers ("also said").
fn followed_by_speech(s: &str, t: &[Tok], lower: &[String], mut j: usize) -> bool {
    while j < t.len() && t[j].word && VERB_FILLERS.contains(&lower[j].as_str()) {
        if is_speech_verb(t[j].text(s)) {
            return true;
        }
        j += 1;
    }
    j < t.len() && t[j].word && is_speech_verb(t[j].text(s))
}

/// Names a document shows not to be towns: people's names and their parts (from
/// [`find_people`]), and names that anywhere in the document are followed by a company or club
/// word ("Ridgeway Components", "Wearside Athletic") or by a speech verb ("Veloka said").
#[derive(Debug, Clone, Default)]
pub struct NotTowns {
    names: HashSet<String>,
    /// (sentence, span) of every person mention.
    people: Vec<(usize, Range<usize>)>,
}

impl NotTowns {
    pub fn new(sentences: &[String], people: &[PersonMention]) -> Self {
        let mut names = HashSet::new();
        for p in people {
            names.insert(p.name.clone());
            names.extend(p.name.split(' ').map(str::to_string));
        }
        for s in sentences {
            let t = tokens(s);
            let lower = lower_words(s, &t);
            let n = t.len();
            let mut i = 0;
            while i < n {
                if !(t[i].word && is_cap(t[i].text(s))) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < n && t[j].word && never_name(t[j].text(s)) {
                    j += 1;
                }
                let i0 = j;
                while j < n && t[j].word && is_cap(t[j].text(s)) && j - i0 < 4 {
                    let w = t[j].text(s);
                    if COMPANY.contains(w) {
                        break;
                    }
                    j += 1;
                    if has_possessive(w) {
                        break;
                    }
                }
                if j > i0 {
                    let ends_possessive = has_possessive(t[j - 1].text(s));
                    let company = j < n && t[j].word && COMPANY.contains(t[j].text(s));
                    // "Veloka said", but not "officials in Mesa said"
                    let speaks = !ends_possessive
                        && followed_by_speech(s, &t, &lower, j)
                        && !town_cue_before(s, &t, &lower, i0);
                    if company || speaks {
                        let text = (i0..j)
                            .map(|x| strip_possessive(t[x].text(s)))
                            .collect::<Vec<_>>()
                            .join(" ");
                        names.insert(text);
                    }
                }
                i = j.max(i + 1);
            }
        }
        Self {
            names,
            people: people
                .iter()
                .map(|p| (p.sentence, p.span.clone()))
                .collect(),
        }
    }

    /// Whether place `p`, found in sentence `sentence`, is kept: every gazetteer place, and a
    /// town that is not a name the document shows to be a person or a company.
    pub fn keeps(&self, sentence: usize, p: &PlaceMention) -> bool {
        p.kind != PlaceKind::Town
            || !(self.names.contains(&p.name)
                || self.people.iter().any(|(si, sp)| {
                    *si == sentence && sp.start < p.span.end && p.span.start < sp.end
                }))
    }
}

/// The kind and country (ISO 3166-1 alpha-2) of a gazetteer place by its canonical name; the
/// most prominent when several places share the name. `None` for names the gazetteer does
/// not hold (small towns found by position).
pub fn place_info(name: &str) -> Option<(PlaceKind, &'static str)> {
    let g = &*GAZETTEER;
    let &first = g.by_name.get(name)?.first()?;
    let p = g.places[first as usize];
    Some((p.kind, p.country))
}

/// Whether the gazetteer's place of this canonical name is a major one (matched on its own:
/// a capital, a large city, a country), which has suburbs and districts of its own.
pub fn place_is_major(name: &str) -> bool {
    let g = &*GAZETTEER;
    g.by_name
        .get(name)
        .and_then(|v| v.first())
        .is_some_and(|&i| g.places[i as usize].major)
}

/// A city's latitude and longitude in degrees (canonical name), when the gazetteer has them.
pub fn place_at(name: &str) -> Option<(f32, f32)> {
    let g = &*GAZETTEER;
    g.by_name
        .get(name)?
        .iter()
        .find_map(|&i| g.places[i as usize].at)
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

const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "bin", "al", "da", "di", "la", "le", "du", "del", "ibn",
];

/// Words that open a noun phrase before a role ("the mayor", "its chief executive").
const DETERMINERS: &[&str] = &["the", "a", "an", "its", "his", "her", "their", "our"];

/// One token read as a role word.
#[derive(Debug, Clone, PartialEq)]
struct RoleWord {
    /// Normalised: lower-case, singular, abbreviations spelled out ("CEO" → "chief executive").
    text: Cow<'static, str>,
    /// Can end a role ("director", "officers", "CEO").
    head: bool,
    /// Written in the plural ("negotiators").
    plural: bool,
}

/// A role word in the lexicon: its normalised form and whether it can end a role.
#[derive(Debug, Clone, Copy)]
struct RoleEntry {
    text: &'static str,
    head: bool,
}

type FxMap<V> = rustc_hash::FxHashMap<&'static str, V>;
type FxSet = rustc_hash::FxHashSet<&'static str>;

fn fx_set(words: &'static [&'static str]) -> FxSet {
    words.iter().copied().collect()
}

/// Every role word by its lower-case form: heads, modifiers and abbreviations matched in any
/// case ("ceo", "cllr").
static ROLE_LEXICON: LazyLock<FxMap<RoleEntry>> = LazyLock::new(|| {
    let mut m = FxMap::default();
    for &w in ROLE_MODIFIERS {
        m.insert(
            w,
            RoleEntry {
                text: w,
                head: false,
            },
        );
    }
    for &w in ROLE_HEADS {
        m.insert(
            w,
            RoleEntry {
                text: w,
                head: true,
            },
        );
    }
    for &(k, v) in ROLE_ABBREV {
        if !k.chars().any(char::is_uppercase) {
            m.insert(k.trim_end_matches('.'), abbrev_entry(v));
        }
    }
    m
});
/// Abbreviations written with capitals, matched only as written ("DI", "PC").
static ROLE_ABBREV_EXACT: LazyLock<FxMap<RoleEntry>> = LazyLock::new(|| {
    ROLE_ABBREV
        .iter()
        .filter(|(k, _)| k.chars().any(char::is_uppercase))
        .map(|&(k, v)| (k.trim_end_matches('.'), abbrev_entry(v)))
        .collect()
});

fn abbrev_entry(v: &'static str) -> RoleEntry {
    let last = v.rsplit(' ').next().unwrap_or(v);
    RoleEntry {
        text: v,
        head: ROLE_HEADS.contains(&last),
    }
}

/// The word lists looked up on every token, as sets.
static TIME: LazyLock<FxSet> = LazyLock::new(|| fx_set(ROLE_TIME));
static COMPANY: LazyLock<FxSet> = LazyLock::new(|| fx_set(COMPANY_WORDS));
static ORG: LazyLock<FxSet> = LazyLock::new(|| fx_set(ORG_WORDS));
/// First words of [`TITLES`].
static TITLE_FIRST: LazyLock<FxSet> = LazyLock::new(|| TITLES.iter().map(|(w, _)| w[0]).collect());

/// `w` as a role word (a head, a modifier or an abbreviation), if it is one.
fn role_word(w: &str) -> Option<RoleWord> {
    let w = w.trim_end_matches('.');
    // every role word is short and made of letters (and hyphens)
    if w.len() < 2 || w.len() > 24 || !w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') {
        return None;
    }
    let found = |e: &RoleEntry, plural: bool| RoleWord {
        text: Cow::Borrowed(e.text),
        head: e.head,
        plural,
    };
    if w.bytes().any(|b| b.is_ascii_uppercase())
        && let Some(e) = ROLE_ABBREV_EXACT.get(w)
    {
        return Some(found(e, false));
    }
    let l: Cow<str> = if w.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(w.to_ascii_lowercase())
    } else {
        Cow::Borrowed(w)
    };
    let l = l.as_ref();
    if let Some(e) = ROLE_LEXICON.get(l) {
        return Some(found(e, false));
    }
    // plurals of heads ("negotiators", "bosses")
    if let Some(stem) = l.strip_suffix('s') {
        for stem in [stem, stem.strip_suffix('e').unwrap_or("")] {
            if let Some(e) = ROLE_LEXICON.get(stem)
                && e.head
                && (stem.len() + 1 == l.len()
                    || stem.ends_with(['s', 'x'])
                    || stem.ends_with("ch")
                    || stem.ends_with("sh"))
            {
                return Some(found(e, true));
            }
        }
    }
    // "vice-president", "deputy-director": every part a role word
    if l.contains('-') {
        let parts: Vec<RoleWord> = l.split('-').map(role_word).collect::<Option<_>>()?;
        let last = parts.last()?;
        return Some(RoleWord {
            text: Cow::Owned(
                parts
                    .iter()
                    .map(|p| p.text.as_ref())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            head: last.head,
            plural: last.plural,
        });
    }
    None
}

/// A lower-case word (letters and hyphens).
fn plain_lower(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// A role found by [`Sent::role`]: the token after it, the title, whether its head is plural.
struct Role {
    end: usize,
    title: String,
    plural: bool,
}

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
    fn word(&self, i: usize) -> bool {
        i < self.t.len() && self.t[i].word
    }
    fn in_place(&self, i: usize) -> bool {
        let t = self.t[i];
        self.places
            .iter()
            .any(|p| p.start < t.end && t.start < p.end)
    }
    /// Whether `stem` (token `j`, its possessive dropped) can be a word of a person's name.
    fn name_word(&self, j: usize, stem: &str, first: bool) -> bool {
        if !is_cap(stem) || !stem.chars().any(char::is_lowercase) || never_name(stem) {
            return false;
        }
        // "Mum-of-three" describes; "Smith-Jones", "al-Assad" name
        if stem
            .split('-')
            .skip(1)
            .any(|p| p.starts_with(char::is_lowercase) && !NAME_PARTICLES.contains(&p) && p != "el")
        {
            return false;
        }
        let org_word = COMPANY.contains(stem)
            // "Avonside General Hospital", "Premier League": not a name after a title
            || first && ORG.contains(stem);
        // "the Health and Safety Executive"
        let role_head = || role_word(stem).is_some_and(|r| r.head);
        !org_word && !role_head() && !self.in_place(j) && !gazetteer::is_major_place_word(stem)
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
            if self.name_word(j, stem, words == 0) || is_initial(stem) {
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
    /// An age right after a name ending before token `j` — "Name, 32," / "Name, 32." /
    /// "Name, aged 32" / "Name (32)" — and the home town that may follow it ("Anthony
    /// LaSalle, 36, of Bloomington"): (age, home, end of the last token read).
    fn age_after(&self, j: usize) -> Option<(u32, Option<String>, usize)> {
        let n = self.t.len();
        let (age, k) = match self.t.get(j).map(|_| self.w(j)) {
            // "Ann Lee (47)"
            Some("(") => {
                let a = small_cardinal(self.word(j + 1).then(|| self.w(j + 1))?)?;
                (j + 2 < n && self.w(j + 2) == ")").then_some((a, j + 3))?
            }
            Some(",") => {
                let aged = self.word(j + 1) && matches!(self.lw(j + 1), "aged" | "age");
                let k = j + 1 + usize::from(aged);
                let w = self.word(k).then(|| self.w(k))?;
                // digits, or a number word after "aged" ("aged sixty")
                if !aged && !w.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // the number ends its phrase ("Robert Buckley, 32, …"), not "Smith, 32 goals"
                if self.word(k + 1) {
                    return None;
                }
                (small_cardinal(w)?, k + 1)
            }
            _ => return None,
        };
        if !(1..=110).contains(&age) {
            return None;
        }
        let home = (k < n && self.w(k) == ",")
            .then(|| self.home_at(k + 1))
            .flatten();
        let end = match &home {
            Some((_, e)) => self.t[*e - 1].end,
            None => self.t[k - 1].end,
        };
        Some((age, home.map(|h| h.0), end))
    }

    /// "of Bloomington", "from Crawley": a capitalised run after "of" / "from" that ends its
    /// phrase and names no organisation ("of Acme Corp", "of the police" are not homes).
    fn home_at(&self, k: usize) -> Option<(String, usize)> {
        if !(self.word(k) && matches!(self.lw(k), "of" | "from")) {
            return None;
        }
        let start = k + 1;
        let mut e = start;
        while e - start < 4 && self.word(e) && is_cap(self.w(e)) && !never_name(self.w(e)) {
            e += 1;
        }
        if e == start
            || self.word(e)
            || (start..e).any(|x| ORG.contains(self.w(x)) || COMPANY.contains(self.w(x)))
        {
            return None;
        }
        Some((self.joined(start, e), e))
    }

    /// An age written before a name starting at token `i`: "32-year-old Robert Buckley",
    /// "Sixty-year-old Sharron Smith", "the 32-year-old Englishman Robert Buckley" (one
    /// descriptive word between).
    /// (age, start of the age word).
    fn age_before(&self, i: usize) -> Option<(u32, usize)> {
        (i.saturating_sub(2)..i).rev().find_map(|k| {
            if !self.word(k) {
                return None;
            }
            let w = self.lw(k);
            let num = w
                .strip_suffix("-year-old")
                .or_else(|| w.strip_suffix("-years-old"))?;
            // only a descriptor may stand between ("Englishman"), not a verb or a clause
            if k + 1 < i && !(self.word(k + 1) && self.w(k + 1).chars().all(char::is_alphabetic)) {
                return None;
            }
            small_cardinal(num)
                .filter(|a| (1..=110).contains(a))
                .map(|a| (a, self.t[k].start))
        })
    }

    /// Words `i..j` joined by single spaces, the possessive of the last one dropped.
    fn joined(&self, i: usize, j: usize) -> String {
        self.name_text(i, j).1
    }
    fn title_at(&self, i: usize) -> Option<(usize, Option<&'static str>)> {
        let mut best: Option<(usize, Option<&'static str>)> = None;
        let titles: &[(&[&str], Option<&str>)] = if TITLE_FIRST.contains(self.lw(i)) {
            TITLES
        } else {
            &[]
        };
        for (words, role) in titles {
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
        if best.is_none() && self.word(i) && PERSON_DESCRIPTORS.contains(&self.lw(i)) {
            best = Some((1, None));
        }
        best
    }

    /// A role starting at token `k`: `time* (modifier | head)* head`, then an optional field
    /// ("of security", "for roads and transport"). Time words ("former", "acting") are skipped
    /// and never part of the title. `loose` (after a determiner: "a public health official")
    /// also takes unknown lower-case words before the head, but then nothing may follow the
    /// head. Before a name (`!loose`) every word must be a role word and the role must end at
    /// its last one.
    fn role(&self, k: usize, loose: bool) -> Option<Role> {
        let n = self.t.len();
        let mut j = k;
        while self.word(j) && TIME.contains(self.lw(j)) {
            j += 1;
        }
        let mut words: Vec<String> = Vec::new();
        let mut head: Option<(usize, usize, bool)> = None; // (words, token end, plural)
        while self.word(j) && words.len() < 6 {
            let w = self.w(j);
            // "ex-council leader"
            let w = if words.is_empty() {
                w.strip_prefix("ex-").unwrap_or(w)
            } else {
                w
            };
            if let Some(r) = role_word(w) {
                words.push(r.text.into_owned());
                if r.head {
                    head = Some((words.len(), j + 1, r.plural));
                }
            } else if loose
                && plain_lower(w)
                && !ROLE_STOP.contains(&self.lw(j))
                && !is_speech_verb(w)
            {
                words.push(self.lw(j).to_string());
            } else {
                break;
            }
            j += 1;
        }
        let (h, mut end, plural) = head?;
        if h != words.len() {
            // "a police officer turned novelist"; before a name, trailing modifiers
            return None;
        }
        let mut title = words[..h].join(" ");
        // a field: "head of security", "minister for roads and transport"
        if end + 1 < n
            && matches!(self.lw(end), "of" | "for")
            && self.word(end + 1)
            && ROLE_FIELDS.contains(&self.lw(end + 1))
        {
            let prep = self.lw(end).to_string();
            let mut fields = vec![self.lw(end + 1).to_string()];
            let mut e = end + 2;
            while e + 1 < n
                && self.lw(e) == "and"
                && self.word(e + 1)
                && ROLE_FIELDS.contains(&self.lw(e + 1))
            {
                fields.push(self.lw(e + 1).to_string());
                e += 2;
            }
            title = format!("{title} {prep} {}", fields.join(" and "));
            end = e;
        }
        Some(Role { end, title, plural })
    }

    /// The organisation named after a role, from token `e`: "of Ridgeway Components", "at
    /// Ridgeway", "of operator Kernow Tin Minerals", "in the Crown Prosecution Service's fraud
    /// division". Returns the token after it. Nothing when the capitalised words qualify a
    /// common noun ("in the Andalucían regional government") or, after "in", are a place.
    fn org_after(&self, e: usize) -> Option<(usize, String)> {
        let n = self.t.len();
        if !self.word(e) || !matches!(self.lw(e), "of" | "at" | "for" | "in" | "with") {
            return None;
        }
        let prep = self.lw(e);
        let mut m = e + 1;
        if self.word(m) && self.lw(m) == "the" {
            m += 1;
        }
        // up to two common nouns before the name ("of operator Kernow Tin Minerals")
        let mut d = m;
        while self.word(d)
            && d - m < 2
            && plain_lower(self.w(d))
            && !ROLE_STOP.contains(&self.lw(d))
        {
            d += 1;
        }
        if self.word(d) && is_cap(self.w(d)) {
            m = d;
        }
        let start = m;
        let mut q = m;
        let mut last_cap = None;
        while self.word(q) && q - start < 7 {
            let w = self.w(q);
            if is_cap(w) && !(q == start && never_name(w) && !COMPANY.contains(w)) {
                last_cap = Some(q);
                q += 1;
                if has_possessive(w) {
                    break;
                }
            } else if last_cap.is_some()
                && matches!(w, "of" | "and" | "&" | "for" | "the")
                && q + 1 < n
                && self.word(q + 1)
                && is_cap(self.w(q + 1))
            {
                q += 1;
            } else {
                break;
            }
        }
        let lc = last_cap?;
        let end = lc + 1;
        if !has_possessive(self.w(lc))
            && self.word(end)
            && plain_lower(self.w(end))
            && !ROLE_STOP.contains(&self.lw(end))
            && !is_speech_verb(self.w(end))
        {
            return None;
        }
        let org = self.joined(start, end);
        if prep == "in" && gazetteer::lookup_at(&org, 0).is_some_and(|(e, _, _)| e == org.len()) {
            return None;
        }
        Some((end, org))
    }

    /// A possessive owner starting at token `k` ("Wearside's", "Wearside Athletic's", "the
    /// firm's", "city council's"): (the organisation if capitalised, the token after it).
    fn owner(&self, k: usize) -> Option<(Option<String>, usize)> {
        let mut p = k;
        while self.word(p) && p - k < 4 && !has_possessive(self.w(p)) {
            p += 1;
        }
        if !self.word(p) || !has_possessive(self.w(p)) {
            return None;
        }
        let caps = (k..=p).all(|x| is_cap(self.w(x)));
        let lower = (k..=p).all(|x| plain_lower(strip_possessive(self.w(x))));
        if caps && !never_name(strip_possessive(self.w(k))) {
            Some((Some(self.joined(k, p + 1)), p + 1))
        } else if lower && p - k < 3 {
            Some((None, p + 1))
        } else {
            None
        }
    }

    /// A role noun phrase at token `k`: `[determiner] [owner's] role [of/at Org]`, as in
    /// "the firm's former finance director", "Wearside's sporting director", "chief executive
    /// of Ridgeway Components", "a specialist prosecutor in the Crown Prosecution Service".
    /// Without a determiner or owner every word must be a role word. (token after, title, org)
    fn role_np(&self, k: usize) -> Option<(usize, String, Option<String>)> {
        let mut k = k;
        let mut loose = false;
        if self.word(k) && DETERMINERS.contains(&self.lw(k)) {
            loose = true;
            k += 1;
        }
        let mut org = None;
        if let Some((o, next)) = self.owner(k) {
            org = o;
            loose = true;
            k = next;
        }
        let r = self.role(k, loose)?;
        let (end, org2) = match self.org_after(r.end) {
            Some((e, o)) => (e, Some(o)),
            None => (r.end, None),
        };
        Some((end, r.title, org.or(org2)))
    }

    /// A role right before a name at `i` ("chief operating officer Stuart Pell", "Wearside's
    /// sporting director Helen Mayall", "Mayor Ann Lee", "Dr. Jane Roe"): (name start, title,
    /// org, plural).
    fn role_before_name(&self, i: usize) -> Option<(usize, Option<String>, Option<String>, bool)> {
        let titled = self.title_at(i).map(|(len, role)| {
            let plural = len == 1 && {
                let w = self.lw(i);
                w.ends_with('s') && !w.ends_with("ss") && !w.ends_with('.')
            };
            (i + len, role.map(str::to_string), plural)
        });
        let grammar = self
            .role(i, false)
            .map(|r| (r.end, Some(r.title), r.plural));
        let (start, title, plural) = match (titled, grammar) {
            (Some(a), Some(b)) => {
                if b.0 > a.0 {
                    b
                } else {
                    a
                }
            }
            (a, b) => a.or(b)?,
        };
        self.name_run(start, 4)?;
        // "Wearside's sporting director Helen Mayall"
        let org = (i >= 1 && has_possessive(self.w(i - 1)) && is_cap(self.w(i - 1)))
            .then(|| {
                let mut k = i - 1;
                while k > 0
                    && self.word(k - 1)
                    && is_cap(self.w(k - 1))
                    && !never_name(self.w(k - 1))
                {
                    k -= 1;
                }
                (!never_name(strip_possessive(self.w(k)))).then(|| self.joined(k, i))
            })
            .flatten();
        Some((start, title, org, plural))
    }

    /// "Name, [age,] role …" after a name ending before token `j`: (title, org).
    fn role_after(&self, j: usize) -> Option<(String, Option<String>)> {
        // "Steve Colley is a former council leader", "…, Steve Colley, was the mayor": a
        // copula and a determiner before the role noun phrase
        let mut c = j;
        if c < self.t.len() && self.w(c) == "," {
            c += 1;
        }
        if self.word(c)
            && matches!(self.lw(c), "is" | "was")
            && self.word(c + 1)
            && DETERMINERS.contains(&self.lw(c + 1))
            && let Some((end, title, org)) = self.role_np(c + 1)
            // the role ends its clause ("is a former council leader who quit"), not "is a
            // leader in the making"
            && (end >= self.t.len() || !self.word(end) || matches!(self.lw(end), "who" | "and" | "whose"))
        {
            return Some((title, org));
        }
        if !(j < self.t.len() && self.w(j) == ",") {
            return None;
        }
        let mut k = j + 1;
        // "Stuart Pell, 51, …"
        if self.word(k)
            && self.w(k).len() <= 3
            && self.w(k).chars().all(|c| c.is_ascii_digit())
            && k + 1 < self.t.len()
            && self.w(k + 1) == ","
        {
            k += 2;
        }
        self.role_np(k).map(|(_, title, org)| (title, org))
    }

    /// "… role, Name" for a name starting at token `i`: the nearest determiner or possessive
    /// owner before the comma from which a role noun phrase runs exactly to the comma ("the
    /// mayor, Ann Lee", "Ridgeway's chief executive, Dana Whitcomb", "the chief executive of
    /// Ridgeway, Dana Whitcomb").
    fn role_before_comma(&self, i: usize) -> Option<(String, Option<String>)> {
        if i < 3 || self.w(i - 1) != "," {
            return None;
        }
        let comma = i - 1;
        let lo = comma.saturating_sub(12);
        let mut b = comma - 1;
        while b > lo && self.t[b - 1].word {
            b -= 1;
        }
        for k in (b..comma - 1).rev() {
            let opens = DETERMINERS.contains(&self.lw(k)) || self.owner(k).is_some();
            if !opens {
                continue;
            }
            if let Some((end, title, org)) = self.role_np(k)
                && end == comma
            {
                return Some((title, org));
            }
        }
        None
    }
}

/// "32-year-old", "sixty-years-old".
fn is_age_word(w: &str) -> bool {
    w.ends_with("-year-old") || w.ends_with("-years-old")
}

/// A capitalised noun describing a person by origin ("Englishman", "Frenchwoman",
/// "Japanese"), which cannot start a name after an age. Short "-man" words and "-ian" are
/// given names too ("Norman", "Christian"), so they stay.
fn is_descriptor(lw: &str) -> bool {
    (lw.len() >= 8 && lw.ends_with("man")) || lw.ends_with("ese") || lw.ends_with("ean")
}

fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// One person found in a sentence: span, tokens `i..j` of the name, title, organisation.
struct Found {
    span: Range<usize>,
    i: usize,
    j: usize,
    role: Option<String>,
    org: Option<String>,
}

/// Every person in the document's sentences, linked by surname.
pub fn find_people(sentences: &[String]) -> Vec<PersonMention> {
    let mut out: Vec<PersonMention> = Vec::new();
    let mut known: Vec<String> = Vec::new(); // full names, in order of introduction
    for (si, s) in sentences.iter().enumerate() {
        let t = tokens(s);
        let sent = Sent {
            s,
            lower: lower_words(s, &t),
            t,
            places: gazetteer_places(s).into_iter().map(|p| p.span).collect(),
        };
        let mut found: Vec<Found> = Vec::new();
        let n = sent.t.len();
        let overlaps =
            |found: &[Found], i: usize, j: usize| found.iter().any(|f| f.i < j && i < f.j);
        let mut i = 0;
        while i < n {
            // Title or role before a name.
            if sent.t[i].word
                && let Some((start, role, org, plural)) = sent.role_before_name(i)
                && let Some(j) = sent.name_run(start, 4)
            {
                let (span, _) = sent.name_text(start, j);
                found.push(Found {
                    span,
                    i: start,
                    j,
                    role: role.clone(),
                    org: org.clone(),
                });
                // "negotiators Steve Witkoff and Jared Kushner"
                let mut k = j;
                while plural && k + 1 < n && matches!(sent.w(k), "and" | ",") {
                    match sent.name_run(k + 1, 4) {
                        Some(j2) if j2 - (k + 1) >= 2 => {
                            let (span2, _) = sent.name_text(k + 1, j2);
                            found.push(Found {
                                span: span2,
                                i: k + 1,
                                j: j2,
                                role: role.clone(),
                                org: org.clone(),
                            });
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
        // Apposition and speaker position over capitalised runs of two words or more (or a
        // known surname).
        let mut i = 0;
        while i < n {
            let Some(j) = sent.name_run(i, 4) else {
                i += 1;
                continue;
            };
            if overlaps(&found, i, j) {
                i = j;
                continue;
            }
            // "the 32-year-old Englishman Robert Buckley": the nationality is not a name
            if j - i >= 3 && i >= 1 && is_age_word(sent.lw(i - 1)) && is_descriptor(sent.lw(i)) {
                i += 1;
            }
            let surname = j - i == 1 && {
                let w = strip_possessive(sent.w(i));
                known
                    .iter()
                    .any(|k| k.contains(' ') && k.rsplit(' ').next() == Some(w))
            };
            if j - i < 2 && !surname {
                i = j;
                continue;
            }
            // "Ann Lee, the mayor,", "Stuart Pell, 51, the firm's former finance director,",
            // "Dana Whitcomb, chief executive of Ridgeway Components,"; then "the mayor, Ann
            // Lee,", "Ridgeway's chief executive, Dana Whitcomb,"
            let possessive = has_possessive(sent.w(j - 1));
            let appos = if possessive {
                None
            } else {
                sent.role_after(j).or_else(|| sent.role_before_comma(i))
            };
            // "Robert Buckley, 32," / "32-year-old Robert Buckley": an age names a person
            let mut person = appos.is_some()
                || (j - i >= 2 && (sent.age_after(j).is_some() || sent.age_before(i).is_some()));
            // "John Ellery said", "said John Ellery", "according to John Ellery"
            if !person {
                let mut k = j;
                // "Dean Watkins, 39, said"
                if k + 2 < n
                    && sent.w(k) == ","
                    && sent.w(k + 1).len() <= 3
                    && sent.w(k + 1).chars().all(|c| c.is_ascii_digit())
                    && sent.w(k + 2) == ","
                {
                    k += 3;
                }
                while k < n
                    && sent.t[k].word
                    && VERB_FILLERS.contains(&sent.lw(k))
                    && sent.lw(k) != "told"
                {
                    k += 1;
                }
                person = k < n && sent.t[k].word && is_speech_verb(sent.w(k))
                    || i >= 1 && sent.t[i - 1].word && is_speech_verb(sent.w(i - 1))
                    || i >= 2 && sent.lw(i - 2) == "according" && sent.lw(i - 1) == "to";
            }
            if person && (j - i >= 2 || surname) {
                let (span, _) = sent.name_text(i, j);
                let (role, org) = appos.map_or((None, None), |(r, o)| (Some(r), o));
                found.push(Found {
                    span,
                    i,
                    j,
                    role,
                    org,
                });
            }
            i = j;
        }
        // Known names and surname-only mentions.
        let mut i = 0;
        while i < n {
            if found.iter().any(|f| f.i <= i && i < f.j) || !sent.t[i].word {
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
                found.push(Found {
                    span,
                    i,
                    j,
                    role: None,
                    org: None,
                });
            }
            i = j;
        }
        found.sort_by_key(|f| f.span.start);
        for f in found {
            let text: String = s[f.span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let name = resolve_name(&known, &text);
            if name == text && !known.contains(&text) {
                known.push(text.clone());
            }
            let (age, home, attr_span) = match (sent.age_after(f.j), sent.age_before(f.i)) {
                (Some((age, home, end)), _) => (Some(age), home, Some(f.span.start..end)),
                (None, Some((age, start))) => (Some(age), None, Some(start..f.span.end)),
                (None, None) => (None, None, None),
            };
            out.push(PersonMention {
                sentence: si,
                span: f.span,
                name,
                role: f.role,
                org: f.org,
                age,
                home,
                attr_span,
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
