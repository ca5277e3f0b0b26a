//! Stories across outlets (pure): online clustering of articles into stories.
//!
//! * [`features`] turns an article (and its claims) into [`Features`]: TF weights of the
//!   headline (counted twice) and the lead (first content sentences, boilerplate lines skipped),
//!   an entity set (people by surname, places by canonical name, other capitalised names), the
//!   places / people / explicit dates of the lead and of the whole text (for the vetoes), a
//!   bottom-k MinHash sketch of word 4-shingles (wire copies; a SimHash flips too many bits
//!   when a short wire text gets a new first line) and a news agency named in the byline or
//!   dateline.
//! * [`StoryIndex`] keeps an inverted index key → postings (doc ids) over terms and entities,
//!   document frequencies for IDF, and one aggregate ("centroid") per story. [`StoryIndex::add`]
//!   retrieves candidate stories through the postings of the new document's most specific
//!   keys (never a scan of all documents), scores each candidate
//!
//!   ```text
//!   score = (0.6·cos(TF-IDF terms) + 0.4·cos(IDF entities)) · time decay · veto penalties
//!   ```
//!
//!   and joins the best story at or above [`Params::threshold`], else opens a new story. A
//!   near-identical text (estimated shingle Jaccard ≥ [`Params::wire_jaccard`], candidates
//!   found through postings of the sketch values) is a wire copy: it joins its original's story
//!   and is flagged.
//! * Vetoes ("similar but different event"): the text of another strike or another summit is
//!   as similar as the text of the same one, so we look at what differs — the *lead* places,
//!   people and dates of the new article against *all* of the story's, and the story's lead
//!   against all of the article's (symmetric, so a follow-up that mentions the original place
//!   only further down is not vetoed). Both sides must name something of the kind and share
//!   nothing: different cities (or, with no city on one side, different countries) multiply
//!   the score by [`Params::place_penalty`]; explicit event dates more than
//!   [`Params::date_gap_days`] apart by [`Params::date_penalty`]; different lead people by
//!   [`Params::people_penalty`] (softer: a follow-up often quotes new people).
//! * Manual decisions: [`StoryIndex::merge`] and [`StoryIndex::split`] record must-link and
//!   cannot-link constraints between documents; every later assignment (new articles and new
//!   versions of old ones) respects them, so the choice sticks.
//! * Persistence: [`StoryIndex::snapshot`] gives a serde [`StoryState`] (documents with their
//!   features and story, the constraints, the next story id); [`StoryIndex::from_state`]
//!   rebuilds the index from it without re-scoring.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use crate::claims::entities::{self, find_places};
use crate::claims::{DocClaims, HEADLINE, Kind, PlaceKind, Value};
use crate::extract::Article;

/// A document id (the store's version or article id).
pub type DocId = i64;

/// Side of the map cells that tell adjacent towns (about 5.5 km north–south): two cities in
/// the same or neighbouring cells are one area for the city veto.
pub const AREA_DEG: f32 = 0.05;

/// Manual constraints as sorted (a < b) document pairs.
pub type Links = Vec<(DocId, DocId)>;

/// A story id (stable across snapshots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StoryId(pub u64);

/// Places, people and explicit dates of one part of an article (hashed keys, sorted, unique).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub cities: Vec<u64>,
    /// Map cells of the cities ([`AREA_DEG`] square; in `all`, also the eight around each),
    /// so that adjacent towns ("Widnes" / "Runcorn", across one river) do not count as two
    /// places. Empty in snapshots written before it existed: the city veto then applies.
    #[serde(default)]
    pub areas: Vec<u64>,
    pub countries: Vec<u64>,
    pub people: Vec<u64>,
    /// Days from the common era (`NaiveDate::num_days_from_ce`).
    pub dates: Vec<i32>,
}

/// What clustering needs to know about one article version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// (term key, TF weight) of the headline (×2) and lead, sorted by key.
    pub terms: Vec<(u64, f32)>,
    /// (entity key, weight) of people, places and proper-noun words, sorted by key: weight 2
    /// when named in the headline or lead, 1 when only further down.
    pub entities: Vec<(u64, f32)>,
    /// Of the headline and lead.
    pub lead: Facets,
    /// Of the whole text.
    pub all: Facets,
    /// Bottom-k MinHash sketch of the whole text's word 4-shingles (sorted ascending; empty
    /// when the text is too short to tell a copy).
    pub sketch: Vec<u64>,
    /// News agency named in the byline or dateline ("AP", "Reuters", "AFP" …).
    pub agency: Option<String>,
}

/// One article version as clustered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDoc {
    pub id: DocId,
    pub outlet: String,
    pub published: Option<DateTime<Utc>>,
    pub features: Features,
}

/// Where [`StoryIndex::add`] put a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub story: StoryId,
    /// Score against the joined story (best candidate's score for a new story; 1 when a
    /// manual must-link decided).
    pub score: f32,
    /// Joined an existing story (false: a new story was opened).
    pub joined: bool,
    /// The earlier document this one is a near-identical copy of.
    pub wire_copy_of: Option<DocId>,
    /// Placed by a manual must-link constraint.
    pub manual: bool,
}

/// What a score is made of (see [`StoryIndex::explain`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreParts {
    /// Cosine of the TF-IDF headline+lead vectors.
    pub terms: f32,
    /// Cosine of the IDF-weighted entity vectors (None when either side has no entity).
    pub entities: Option<f32>,
    /// Days from the document to the story's time span.
    pub days_apart: f32,
    pub decay: f32,
    /// Product of the veto penalties (1 = no veto).
    pub penalty: f32,
    pub score: f32,
}

/// Tuning (defaults documented in the module docs and measured in `benches/stories.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub threshold: f32,
    pub term_weight: f32,
    /// Full weight within this many days of the story's time span.
    pub full_days: f64,
    /// Beyond `full_days`, weight 1/(1+(extra/half_days)²): ½ at `full_days + half_days`.
    pub half_days: f64,
    /// Stories further apart in time than this are not candidates.
    pub window_days: f64,
    pub place_penalty: f32,
    pub date_penalty: f32,
    pub people_penalty: f32,
    pub date_gap_days: i32,
    /// Estimated shingle Jaccard at or above which a text is a wire copy.
    pub wire_jaccard: f32,
    /// Query keys taken from the new document: terms and entities with the highest IDF·TF.
    pub query_terms: usize,
    pub query_entities: usize,
    /// Most recent postings read per key.
    pub postings_per_key: usize,
    /// Candidate stories scored.
    pub max_candidates: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            threshold: 0.22,
            term_weight: 0.6,
            full_days: 3.0,
            half_days: 14.0,
            window_days: 30.0,
            place_penalty: 0.25,
            date_penalty: 0.25,
            people_penalty: 0.5,
            date_gap_days: 3,
            wire_jaccard: 0.5,
            query_terms: 12,
            query_entities: 8,
            postings_per_key: 400,
            max_candidates: 40,
        }
    }
}

/// Persistable state: everything needed to rebuild a [`StoryIndex`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryState {
    pub params: Params,
    /// Documents in insertion order, with their story.
    pub docs: Vec<(StoryDoc, StoryId)>,
    pub must_link: Vec<(DocId, DocId)>,
    pub cannot_link: Vec<(DocId, DocId)>,
    pub next_story: u64,
}

// ---------------------------------------------------------------------------------------------
// Features

const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "from",
    "this",
    "have",
    "has",
    "had",
    "was",
    "were",
    "are",
    "been",
    "being",
    "its",
    "his",
    "her",
    "their",
    "they",
    "them",
    "she",
    "him",
    "who",
    "whom",
    "which",
    "what",
    "when",
    "where",
    "why",
    "how",
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "might",
    "must",
    "shall",
    "not",
    "but",
    "also",
    "said",
    "says",
    "say",
    "told",
    "after",
    "before",
    "about",
    "into",
    "over",
    "under",
    "more",
    "most",
    "some",
    "such",
    "than",
    "then",
    "there",
    "these",
    "those",
    "our",
    "out",
    "off",
    "one",
    "two",
    "all",
    "any",
    "each",
    "other",
    "new",
    "just",
    "now",
    "only",
    "very",
    "while",
    "during",
    "against",
    "between",
    "through",
    "per",
    "via",
    "did",
    "does",
    "doing",
    "yet",
    "because",
    "until",
    "since",
    "amid",
    "according",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "year",
    "years",
    "day",
    "days",
    "today",
    "yesterday",
    "tomorrow",
    "time",
    "people",
    "mr",
    "mrs",
    "ms",
    "like",
    "get",
    "got",
    "make",
    "made",
    "many",
    "much",
    "your",
    "you",
    "we",
    "us",
    "it",
    "is",
    "be",
    "on",
    "in",
    "at",
    "to",
    "of",
    "as",
    "by",
    "or",
    "an",
    "a",
    "if",
    "so",
    "no",
    "up",
    "do",
    "he",
    "my",
    "me",
    "am",
    "re",
    "ve",
    "ll",
    "don",
    "didn",
    "doesn",
    "isn",
    "wasn",
    "here",
    "still",
    "even",
    "both",
    "own",
    "same",
    "few",
    "further",
    "again",
    "once",
    "least",
    "well",
    "back",
    "first",
    "last",
    "including",
    "news",
    "report",
    "reported",
    "reports",
    "according",
    "statement",
    "thing",
    "things",
    "way",
    "lot",
    "around",
    "among",
];

const AGENCIES: &[(&str, &str)] = &[
    ("Associated Press", "AP"),
    ("(AP)", "AP"),
    ("Reuters", "Reuters"),
    ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"),
    ("dpa", "dpa"),
    ("PA Media", "PA"),
    ("ANSA", "ANSA"),
    ("EFE", "EFE"),
    ("Xinhua", "Xinhua"),
    ("Ukrinform", "Ukrinform"),
    ("Interfax", "Interfax"),
];

fn key(ns: &str, s: &str) -> u64 {
    let mut buf = String::with_capacity(ns.len() + 1 + s.len());
    buf.push_str(ns);
    buf.push(':');
    buf.push_str(s);
    xxh3_64(buf.as_bytes())
}

/// Lower-case word tokens (letters and digits), apostrophe-s dropped.
fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            let w = w.trim_matches(|c| c == '\'' || c == '’');
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            squeeze(&w.to_lowercase())
        })
        .filter(|w| !w.is_empty())
}

/// Doubled letters collapsed, so transliteration variants meet ("Zelenskyy"/"Zelensky").
fn squeeze(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut prev = None;
    for c in w.chars() {
        if Some(c) != prev || !c.is_alphabetic() {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// Capitalised words that are not names (months come from the date lexicon).
const NOT_NAMES: &[&str] = &[
    "president",
    "minister",
    "prime",
    "mayor",
    "chancelor",
    "secretary",
    "general",
    "governor",
    "senator",
    "officials",
    "police",
    "government",
];

/// A crude English stem: enough to meet "strikes"/"strike", "talks"/"talk".
fn stem(w: &str) -> &str {
    if w.len() > 4 && w.ends_with("ies") {
        return &w[..w.len() - 2];
    }
    if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        return &w[..w.len() - 1];
    }
    w
}

fn is_term(w: &str) -> bool {
    w.chars().count() >= 3 && w.chars().any(char::is_alphabetic) && !STOP.contains(&w)
}

fn is_capword(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase) && w.chars().count() >= 2
}

/// Proper-noun words: capitalised words not at the start of a sentence (unless followed by
/// another capitalised word), months, titles and function words left out; lower-cased and
/// squeezed like terms. Single words rather than whole names, so "President Volodymyr
/// Zelenskyy" and "Ukrainian President Volodymyr Zelensky" share "volodymyr" and "zelensky".
fn cap_names(sentence: &str, out: &mut Vec<String>) {
    let toks: Vec<&str> = sentence
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let mut i = 0;
    while i < toks.len() {
        if !is_capword(toks[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < toks.len() && is_capword(toks[i]) {
            i += 1;
        }
        if start == 0 && i - start == 1 {
            continue;
        }
        for w in &toks[start..i] {
            for w in words(w) {
                if w.chars().count() >= 2
                    && !STOP.contains(&w.as_str())
                    && !NOT_NAMES.contains(&w.as_str())
                    && crate::claims::dates::lex::month(&w).is_none()
                {
                    out.push(w);
                }
            }
        }
    }
}

/// Most words capitalised: a title-case headline, whose capitals say nothing about names.
fn title_case(s: &str) -> bool {
    let ws: Vec<&str> = s.split_whitespace().collect();
    ws.len() >= 4 && ws.iter().filter(|w| is_capword(w)).count() * 10 >= ws.len() * 6
}

/// Sketch size of [`Features::sketch`].
pub const SKETCH: usize = 32;

fn sketch(text: &str) -> Vec<u64> {
    let ws: Vec<String> = words(text).collect();
    if ws.len() < 25 {
        return Vec::new();
    }
    let hs: Vec<u64> = ws
        .windows(4)
        .map(|sh| xxh3_64(sh.join(" ").as_bytes()))
        .collect();
    let mut hs = sorted_unique(hs);
    hs.truncate(SKETCH);
    hs
}

/// Estimated Jaccard similarity of two texts from their bottom-k sketches: of the k smallest
/// hashes of the union, the share found in both.
pub fn sketch_jaccard(a: &[u64], b: &[u64]) -> f32 {
    let k = SKETCH.min(a.len().max(b.len()));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut taken, mut both) = (0, 0, 0, 0);
    while taken < k && (i < a.len() || j < b.len()) {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), None) => i += 1,
            _ => j += 1,
        }
        taken += 1;
    }
    both as f32 / taken.max(1) as f32
}

fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Lead: the first content sentences (at least six words: site boilerplate lines such as "No
/// Result" or a language switcher are skipped), up to 4 sentences / 100 words.
fn lead_indices(sentences: &[String]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut words = 0;
    for (i, s) in sentences.iter().enumerate() {
        let n = s.split_whitespace().count();
        if n < 6 {
            continue;
        }
        out.push(i);
        words += n;
        if out.len() >= 4 || words >= 100 {
            break;
        }
    }
    out
}

/// Surname key of a person's name ("Volodymyr Zelenskyy" and "Zelensky" meet).
fn surname(name: &str) -> String {
    // a person claim's value may carry a role: "Dana Whitcomb, chief executive, Ridgeway"
    let last = crate::claims::person_name(name)
        .split_whitespace()
        .next_back()
        .unwrap_or(name)
        .trim_matches(|c: char| !c.is_alphanumeric());
    squeeze(&last.to_lowercase())
}

/// The features of an article version (`claims` from [`crate::claims::extract_claims`] on
/// the same version).
pub fn features(article: &Article, claims: &DocClaims) -> Features {
    // compared normalised, as the claims are (glyphs say nothing about the story)
    let article = &article.normalized();
    let headline = article
        .headline
        .as_deref()
        .or(claims.headline.as_deref())
        .unwrap_or("");
    let sentences = &claims.sentences;
    let lead = lead_indices(sentences);
    let is_lead = |i: usize| i == HEADLINE || lead.contains(&i);

    // Terms.
    let mut tf: HashMap<u64, f32> = HashMap::new();
    let mut add_terms = |s: &str, w: f32| {
        for word in words(s) {
            if is_term(&word) {
                *tf.entry(key("t", stem(&word))).or_default() += w;
            }
        }
    };
    add_terms(headline, 2.0);
    for &i in &lead {
        add_terms(&sentences[i], 1.0);
    }
    let mut terms: Vec<(u64, f32)> = tf.into_iter().collect();
    terms.sort_by_key(|t| t.0);

    // Entities and facets.
    let mut ents: HashMap<u64, f32> = HashMap::new();
    let mut entity = |k: u64, lead: bool| {
        let w = ents.entry(k).or_default();
        *w = w.max(if lead { 2.0 } else { 1.0 });
    };
    let (mut lead_f, mut all_f) = (Facets::default(), Facets::default());
    let texts = std::iter::once((HEADLINE, headline))
        .chain(sentences.iter().map(String::as_str).enumerate())
        .take(60);
    for (i, s) in texts {
        if i != HEADLINE || !title_case(headline) {
            let mut names = Vec::new();
            cap_names(s, &mut names);
            for n in &names {
                entity(key("n", n), is_lead(i));
            }
        }
        // towns found only by their position are for facts, not for grouping: their names
        // are already in the proper-noun words above, and a false one ("at Sunward") would
        // pull unrelated reports together
        for p in find_places(s)
            .into_iter()
            .filter(|p| p.kind != PlaceKind::Town)
        {
            let k = key("l", &p.name);
            let c = p.country.as_deref().map(|c| key("c", c));
            for (ring, f) in [
                (1, Some(&mut all_f)),
                (0, is_lead(i).then_some(&mut lead_f)),
            ]
            .into_iter()
            .filter_map(|(r, f)| Some((r, f?)))
            {
                if p.kind == PlaceKind::City {
                    f.cities.push(k);
                }
                if p.kind == PlaceKind::City
                    && let Some((lat, lon)) = entities::place_at(&p.name)
                {
                    let (y, x) = (
                        (lat / AREA_DEG).floor() as i32,
                        (lon / AREA_DEG).floor() as i32,
                    );
                    // the lead names its cell; the whole text its cell and the ones around
                    for dy in -ring..=ring {
                        for dx in -ring..=ring {
                            f.areas.push(key("g", &format!("{},{}", y + dy, x + dx)));
                        }
                    }
                }
                if let Some(c) = c {
                    f.countries.push(c);
                }
            }
            entity(k, is_lead(i));
        }
    }
    // sentences holding a quotation: a person named there without a role is a witness or a
    // passer-by ("Dad-of-two Mark Egan, 45, said: …"), whom each outlet picks for itself
    let quoting: Vec<usize> = claims
        .claims
        .iter()
        .filter(|c| c.kind == Kind::Quote)
        .map(|c| c.sentence)
        .collect();
    for c in &claims.claims {
        match (&c.kind, &c.value) {
            // a person counts once per mention, not again for their age or home town
            (Kind::Person, Value::Text { text }) if !crate::claims::is_person_attribute(c) => {
                let k = key("p", &surname(text));
                all_f.people.push(k);
                let vox_pop = c.slot == "name" && quoting.contains(&c.sentence);
                if vox_pop {
                    continue;
                }
                entity(k, is_lead(c.sentence));
                if is_lead(c.sentence) {
                    lead_f.people.push(k);
                }
            }
            (Kind::Date, Value::Date { date: Some(d), .. }) if !c.negated => {
                let d = d.num_days_from_ce();
                all_f.dates.push(d);
                if is_lead(c.sentence) {
                    lead_f.dates.push(d);
                }
            }
            _ => {}
        }
    }
    for f in [&mut lead_f, &mut all_f] {
        f.cities = sorted_unique(std::mem::take(&mut f.cities));
        f.areas = sorted_unique(std::mem::take(&mut f.areas));
        f.countries = sorted_unique(std::mem::take(&mut f.countries));
        f.people = sorted_unique(std::mem::take(&mut f.people));
        f.dates = sorted_unique(std::mem::take(&mut f.dates));
    }

    let mut entities: Vec<(u64, f32)> = ents.into_iter().collect();
    entities.sort_by_key(|e| e.0);
    let body = article.paragraphs.join("\n");
    let dateline: String = article
        .byline
        .iter()
        .map(String::as_str)
        .chain(article.paragraphs.iter().take(2).map(|p| {
            let end = p.char_indices().nth(200).map_or(p.len(), |(i, _)| i);
            &p[..end]
        }))
        .collect::<Vec<_>>()
        .join(" ");
    let agency = AGENCIES
        .iter()
        .find(|(pat, _)| {
            dateline.match_indices(pat).any(|(at, _)| {
                let before = dateline[..at].chars().next_back();
                let after = dateline[at + pat.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .map(|(_, a)| a.to_string());
    Features {
        terms,
        entities,
        lead: lead_f,
        all: all_f,
        sketch: sketch(&body),
        agency,
    }
}

mod index;
mod tables;
pub use index::StoryIndex;

#[cfg(test)]
mod tests;
