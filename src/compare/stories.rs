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

use std::collections::{HashMap, HashSet};

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

// ---------------------------------------------------------------------------------------------
// Index

#[derive(Debug, Clone, Default)]
struct Counts<K: std::hash::Hash + Eq>(HashMap<K, u32>);

impl<K: std::hash::Hash + Eq + Copy> Counts<K> {
    fn add(&mut self, ks: &[K]) {
        for k in ks {
            *self.0.entry(*k).or_default() += 1;
        }
    }
    fn sub(&mut self, ks: &[K]) {
        for k in ks {
            if let Some(c) = self.0.get_mut(k) {
                *c -= 1;
                if *c == 0 {
                    self.0.remove(k);
                }
            }
        }
    }
    fn has(&self, k: &K) -> bool {
        self.0.contains_key(k)
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, Default)]
struct FacetCounts {
    cities: Counts<u64>,
    areas: Counts<u64>,
    countries: Counts<u64>,
    people: Counts<u64>,
    dates: Counts<i32>,
}

impl FacetCounts {
    fn add(&mut self, f: &Facets) {
        self.cities.add(&f.cities);
        self.areas.add(&f.areas);
        self.countries.add(&f.countries);
        self.people.add(&f.people);
        self.dates.add(&f.dates);
    }
    fn sub(&mut self, f: &Facets) {
        self.cities.sub(&f.cities);
        self.areas.sub(&f.areas);
        self.countries.sub(&f.countries);
        self.people.sub(&f.people);
        self.dates.sub(&f.dates);
    }
}

#[derive(Debug, Clone, Default)]
struct Story {
    docs: Vec<DocId>,
    terms: HashMap<u64, f32>,
    entities: HashMap<u64, f32>,
    lead: FacetCounts,
    all: FacetCounts,
    /// Time span of the dated members (Unix seconds).
    span: Option<(i64, i64)>,
}

#[derive(Debug, Clone)]
struct Entry {
    doc: StoryDoc,
    story: StoryId,
    /// Insertion order (for snapshots).
    seq: u64,
}

/// Sketch values indexed for wire-copy candidates (the smallest ones).
const SKETCH_INDEXED: usize = 8;

/// A posting list that holds a single id inline (most sketch values belong to one text).
#[derive(Debug, Clone)]
enum Post {
    One(DocId),
    Many(Vec<DocId>),
}

impl Post {
    fn as_slice(&self) -> &[DocId] {
        match self {
            Post::One(d) => std::slice::from_ref(d),
            Post::Many(v) => v,
        }
    }
}

/// The online story clusterer (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct StoryIndex {
    params: Params,
    docs: HashMap<DocId, Entry>,
    stories: HashMap<StoryId, Story>,
    /// term and entity key → doc ids, in insertion order.
    postings: HashMap<u64, Vec<DocId>>,
    /// MinHash sketch value → doc ids.
    bands: HashMap<u64, Post>,
    must: HashMap<DocId, HashSet<DocId>>,
    cannot: HashMap<DocId, HashSet<DocId>>,
    next_story: u64,
    seq: u64,
}

fn link(map: &mut HashMap<DocId, HashSet<DocId>>, a: DocId, b: DocId) {
    if a != b {
        map.entry(a).or_default().insert(b);
        map.entry(b).or_default().insert(a);
    }
}

fn unlink(map: &mut HashMap<DocId, HashSet<DocId>>, a: DocId, b: DocId) {
    for (x, y) in [(a, b), (b, a)] {
        if let Some(s) = map.get_mut(&x) {
            s.remove(&y);
            if s.is_empty() {
                map.remove(&x);
            }
        }
    }
}

impl StoryIndex {
    pub fn new() -> Self {
        Self::with_params(Params::default())
    }

    pub fn with_params(params: Params) -> Self {
        StoryIndex {
            params,
            ..Default::default()
        }
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    pub fn story_of(&self, doc: DocId) -> Option<StoryId> {
        self.docs.get(&doc).map(|e| e.story)
    }

    /// Members of a story, in the order they joined.
    pub fn members(&self, story: StoryId) -> &[DocId] {
        self.stories.get(&story).map_or(&[], |s| &s.docs)
    }

    /// All stories (unordered).
    pub fn stories(&self) -> impl Iterator<Item = (StoryId, &[DocId])> {
        self.stories.iter().map(|(id, s)| (*id, s.docs.as_slice()))
    }

    pub fn doc(&self, id: DocId) -> Option<&StoryDoc> {
        self.docs.get(&id).map(|e| &e.doc)
    }

    fn idf(&self, k: u64) -> f32 {
        let df = self.postings.get(&k).map_or(0, Vec::len) as f32;
        ((self.docs.len() as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// Adds a document (a new version of a known id replaces the old one: remove, then add)
    /// and assigns it to a story.
    pub fn add(&mut self, doc: StoryDoc) -> Assignment {
        // A document alone in its story that opens a new one keeps its story id: a new
        // version of a split-off article stays in "its" story.
        let alone = self
            .story_of(doc.id)
            .filter(|s| self.members(*s).len() == 1);
        self.remove_doc(doc.id);
        let mut a = self.assign(&doc);
        if let Some(prev) = alone.filter(|_| !a.joined) {
            if a.story.0 + 1 == self.next_story {
                self.next_story -= 1;
            }
            a.story = prev;
        }
        self.insert(doc, a.story);
        a
    }

    /// Forgets a document (its manual constraints are kept, should it come back). Returns the
    /// story it was in; a story left empty is dropped.
    pub fn remove(&mut self, id: DocId) -> Option<StoryId> {
        self.remove_doc(id)
    }

    fn assign(&mut self, doc: &StoryDoc) -> Assignment {
        // 1. Manual must-links decide.
        if let Some(story) = self.must.get(&doc.id).and_then(|ps| {
            let mut ps: Vec<DocId> = ps.iter().copied().collect();
            ps.sort();
            ps.into_iter().find_map(|p| self.story_of(p))
        }) {
            return Assignment {
                story,
                score: 1.0,
                joined: true,
                wire_copy_of: None,
                manual: true,
            };
        }
        let blocked: HashSet<StoryId> = self
            .cannot
            .get(&doc.id)
            .map(|ps| ps.iter().filter_map(|p| self.story_of(*p)).collect())
            .unwrap_or_default();
        // 2. Wire copies.
        let sk = &doc.features.sketch;
        if !sk.is_empty() {
            // Candidates share one of the smallest hashes (two texts with Jaccard J have the
            // same minimum with probability J); the full sketches then estimate J.
            let mut shared: HashSet<DocId> = HashSet::new();
            for v in sk.iter().take(SKETCH_INDEXED) {
                shared.extend(self.bands.get(v).map_or(&[][..], Post::as_slice));
            }
            let mut shared: Vec<DocId> = shared.into_iter().collect();
            shared.sort();
            let mut best: Option<(f32, u64, DocId)> = None;
            for d in shared {
                let e = &self.docs[&d];
                let j = sketch_jaccard(sk, &e.doc.features.sketch);
                // A recycled template ("leaders met in Brussels on …") about another date or
                // place is not a copy: the vetoes and the time window apply here too.
                let st = &self.stories[&e.story];
                if j >= self.params.wire_jaccard
                    && !blocked.contains(&e.story)
                    && self.days_apart(doc.published, st) <= self.params.window_days
                    && self.penalty(&doc.features, st) == 1.0
                    && best.is_none_or(|b| j > b.0 || (j == b.0 && e.seq < b.1))
                {
                    best = Some((j, e.seq, d));
                }
            }
            if let Some((j, _, d)) = best {
                return Assignment {
                    story: self.docs[&d].story,
                    score: j,
                    joined: true,
                    wire_copy_of: Some(d),
                    manual: false,
                };
            }
        }
        // 3. Candidates through the postings, scored.
        let cands = self.candidates(doc);
        let mut best: Option<(f32, StoryId)> = None;
        for s in cands {
            if blocked.contains(&s) {
                continue;
            }
            let sc = self.score(doc, s);
            if best.is_none_or(|b| sc > b.0 || (sc == b.0 && s < b.1)) {
                best = Some((sc, s));
            }
        }
        match best {
            Some((sc, s)) if sc >= self.params.threshold => Assignment {
                story: s,
                score: sc,
                joined: true,
                wire_copy_of: None,
                manual: false,
            },
            _ => {
                let s = StoryId(self.next_story);
                self.next_story += 1;
                Assignment {
                    story: s,
                    score: best.map_or(0.0, |b| b.0),
                    joined: false,
                    wire_copy_of: None,
                    manual: false,
                }
            }
        }
    }

    fn within_window(&self, a: Option<DateTime<Utc>>, story: &Story) -> bool {
        self.days_apart(a, story) <= self.params.window_days
    }

    fn days_apart(&self, a: Option<DateTime<Utc>>, story: &Story) -> f64 {
        match (a, story.span) {
            (Some(a), Some((lo, hi))) => {
                let t = a.timestamp();
                let d = if t < lo {
                    lo - t
                } else if t > hi {
                    t - hi
                } else {
                    0
                };
                d as f64 / 86_400.0
            }
            _ => 0.0,
        }
    }

    /// Candidate stories: the postings of the document's most specific keys (highest TF·IDF
    /// terms, highest-IDF entities), most recent postings first, counted per story.
    fn candidates(&self, doc: &StoryDoc) -> Vec<StoryId> {
        let p = &self.params;
        let n = self.docs.len();
        // Keys in more than 5% of the documents (with a floor for small stores) are too common
        // to retrieve by: every story shares them.
        let max_df = (n / 20).max(200);
        let mut tq: Vec<(f32, u64)> = doc
            .features
            .terms
            .iter()
            .filter(|(k, _)| self.postings.get(k).is_some_and(|v| v.len() <= max_df))
            .map(|(k, w)| (w * self.idf(*k), *k))
            .collect();
        tq.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        tq.truncate(p.query_terms);
        let mut eq: Vec<(f32, u64)> = doc
            .features
            .entities
            .iter()
            .filter(|(k, _)| self.postings.get(k).is_some_and(|v| v.len() <= max_df))
            .map(|(k, w)| (w * self.idf(*k), *k))
            .collect();
        eq.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        eq.truncate(p.query_entities);
        let mut hits: HashMap<StoryId, u32> = HashMap::new();
        let mut seen_story_ok: HashMap<StoryId, bool> = HashMap::new();
        for (_, k) in tq.iter().chain(eq.iter()) {
            let post = &self.postings[k];
            for d in post.iter().rev().take(p.postings_per_key) {
                let s = self.docs[d].story;
                let ok = *seen_story_ok
                    .entry(s)
                    .or_insert_with(|| self.within_window(doc.published, &self.stories[&s]));
                if ok {
                    *hits.entry(s).or_default() += 1;
                }
            }
        }
        let mut c: Vec<(u32, StoryId)> = hits.into_iter().map(|(s, h)| (h, s)).collect();
        c.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        c.truncate(p.max_candidates);
        c.into_iter().map(|(_, s)| s).collect()
    }

    /// Score of `doc` against a story (see the module docs).
    fn score(&self, doc: &StoryDoc, sid: StoryId) -> f32 {
        self.explain(doc, sid).map_or(0.0, |e| e.score)
    }

    /// The parts of `doc`'s score against a story (None for an unknown story): for a review
    /// screen ("why is this article in this story?") and for tuning.
    pub fn explain(&self, doc: &StoryDoc, sid: StoryId) -> Option<ScoreParts> {
        let p = &self.params;
        let st = self.stories.get(&sid)?;
        let f = &doc.features;
        let cos_t = self.cosine(&f.terms, &st.terms).unwrap_or(0.0);
        let cos_e = self.cosine(&f.entities, &st.entities);
        let text = match cos_e {
            Some(e) => p.term_weight * cos_t + (1.0 - p.term_weight) * e,
            None => cos_t,
        };
        let days = self.days_apart(doc.published, st);
        let decay: f64 = if days <= p.full_days {
            1.0
        } else if days > p.window_days {
            0.0
        } else {
            let x = (days - p.full_days) / p.half_days;
            1.0 / (1.0 + x * x)
        };
        let decay = decay as f32;
        let penalty = self.penalty(f, st);
        Some(ScoreParts {
            terms: cos_t,
            entities: cos_e,
            days_apart: days as f32,
            decay,
            penalty,
            score: text * decay * penalty,
        })
    }

    /// IDF-weighted cosine of a document's weights against a story's sums; `None` when either
    /// side is empty.
    fn cosine(&self, doc: &[(u64, f32)], story: &HashMap<u64, f32>) -> Option<f32> {
        let (mut dot, mut nd) = (0.0f32, 0.0f32);
        for (k, w) in doc {
            let idf = self.idf(*k);
            let x = w * idf;
            nd += x * x;
            if let Some(y) = story.get(k) {
                dot += x * y * idf;
            }
        }
        let ns: f32 = story
            .iter()
            .map(|(k, y)| {
                let v = y * self.idf(*k);
                v * v
            })
            .sum();
        (nd > 0.0 && ns > 0.0).then(|| dot / (nd.sqrt() * ns.sqrt()))
    }

    /// The vetoes: lead facets of each side against all facets of the other.
    fn penalty(&self, f: &Features, st: &Story) -> f32 {
        let p = &self.params;
        // Both sides name something of the kind, and neither side's lead shares it with the
        // other's text.
        fn disjoint(
            lead_a: &[u64],
            all_a: &[u64],
            lead_b: &Counts<u64>,
            all_b: &Counts<u64>,
        ) -> bool {
            !lead_a.is_empty()
                && !lead_b.is_empty()
                && !lead_a.iter().any(|k| all_b.has(k))
                && !all_a.iter().any(|k| lead_b.has(k))
        }
        let mut pen = 1.0;
        // two cities, unless they are adjacent (one urban area: outlets name either)
        let cities = disjoint(
            &f.lead.cities,
            &f.all.cities,
            &st.lead.cities,
            &st.all.cities,
        ) && (f.lead.areas.is_empty()
            || st.lead.areas.is_empty()
            || disjoint(&f.lead.areas, &f.all.areas, &st.lead.areas, &st.all.areas));
        let no_city = f.lead.cities.is_empty() || st.lead.cities.is_empty();
        let countries = disjoint(
            &f.lead.countries,
            &f.all.countries,
            &st.lead.countries,
            &st.all.countries,
        );
        if cities || (no_city && countries) {
            pen *= p.place_penalty;
        }
        if disjoint(
            &f.lead.people,
            &f.all.people,
            &st.lead.people,
            &st.all.people,
        ) {
            pen *= p.people_penalty;
        }
        // Explicit dates: every lead date far from every date on the other side.
        let far = |lead_a: &[i32], b: &Counts<i32>| {
            !lead_a.is_empty()
                && !b.is_empty()
                && lead_a
                    .iter()
                    .all(|d| b.0.keys().all(|e| (d - e).abs() > p.date_gap_days))
        };
        let story_lead: Vec<i32> = st.lead.dates.0.keys().copied().collect();
        let doc_all = Counts(f.all.dates.iter().map(|d| (*d, 1)).collect());
        if far(&f.lead.dates, &st.all.dates) && far(&story_lead, &doc_all) {
            pen *= p.date_penalty;
        }
        pen
    }

    fn insert(&mut self, doc: StoryDoc, story: StoryId) {
        let id = doc.id;
        let f = &doc.features;
        for (k, _) in &f.terms {
            self.postings.entry(*k).or_default().push(id);
        }
        for (k, _) in &f.entities {
            self.postings.entry(*k).or_default().push(id);
        }
        for v in f.sketch.iter().take(SKETCH_INDEXED) {
            match self.bands.entry(*v) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(Post::One(id));
                }
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let p = e.get_mut();
                    *p = match std::mem::replace(p, Post::Many(Vec::new())) {
                        Post::One(d) => Post::Many(vec![d, id]),
                        Post::Many(mut v) => {
                            v.push(id);
                            Post::Many(v)
                        }
                    };
                }
            }
        }
        let st = self.stories.entry(story).or_default();
        st.docs.push(id);
        for (k, w) in &f.terms {
            *st.terms.entry(*k).or_default() += w;
        }
        for (k, w) in &f.entities {
            *st.entities.entry(*k).or_default() += w;
        }
        st.lead.add(&f.lead);
        st.all.add(&f.all);
        if let Some(t) = doc.published.map(|t| t.timestamp()) {
            st.span = Some(st.span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
        }
        self.next_story = self.next_story.max(story.0 + 1);
        self.seq += 1;
        self.docs.insert(
            id,
            Entry {
                doc,
                story,
                seq: self.seq,
            },
        );
    }

    fn detach(st: &mut Story, f: &Features) {
        for (k, w) in &f.terms {
            if let Some(v) = st.terms.get_mut(k) {
                *v -= w;
                if *v <= 1e-6 {
                    st.terms.remove(k);
                }
            }
        }
        for (k, w) in &f.entities {
            if let Some(v) = st.entities.get_mut(k) {
                *v -= w;
                if *v <= 1e-6 {
                    st.entities.remove(k);
                }
            }
        }
        st.lead.sub(&f.lead);
        st.all.sub(&f.all);
    }

    fn recompute_span(&mut self, sid: StoryId) {
        if let Some(st) = self.stories.get(&sid) {
            let span = st
                .docs
                .iter()
                .filter_map(|d| self.docs.get(d)?.doc.published.map(|t| t.timestamp()))
                .fold(None, |s: Option<(i64, i64)>, t| {
                    Some(s.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
                });
            if let Some(st) = self.stories.get_mut(&sid) {
                st.span = span;
            }
        }
    }

    fn remove_doc(&mut self, id: DocId) -> Option<StoryId> {
        let e = self.docs.remove(&id)?;
        let f = &e.doc.features;
        let keys = f.terms.iter().chain(f.entities.iter()).map(|t| t.0);
        for k in keys {
            if let Some(v) = self.postings.get_mut(&k) {
                v.retain(|d| *d != id);
                if v.is_empty() {
                    self.postings.remove(&k);
                }
            }
        }
        for bk in f.sketch.iter().take(SKETCH_INDEXED) {
            let gone = match self.bands.get_mut(bk) {
                Some(Post::One(d)) => *d == id,
                Some(p @ Post::Many(_)) => {
                    if let Post::Many(v) = p {
                        v.retain(|d| *d != id);
                        if let [d] = v[..] {
                            *p = Post::One(d);
                        }
                    }
                    matches!(p, Post::Many(v) if v.is_empty())
                }
                None => false,
            };
            if gone {
                self.bands.remove(bk);
            }
        }
        if let Some(st) = self.stories.get_mut(&e.story) {
            st.docs.retain(|d| *d != id);
            Self::detach(st, f);
            if st.docs.is_empty() {
                self.stories.remove(&e.story);
            } else {
                self.recompute_span(e.story);
            }
        }
        Some(e.story)
    }

    /// Moves a document to another story (no re-scoring).
    fn move_doc(&mut self, id: DocId, to: StoryId) {
        if let Some(e) = self.docs.get(&id).cloned() {
            self.remove_doc(id);
            self.insert(e.doc, to);
        }
    }

    /// Manual merge: every document of `b` moves into `a`, and each is must-linked to `a`'s
    /// first document (any cannot-link between the two sides is lifted). Returns the merged
    /// story, or None when either story is unknown.
    pub fn merge(&mut self, a: StoryId, b: StoryId) -> Option<StoryId> {
        if a == b {
            return self.stories.contains_key(&a).then_some(a);
        }
        let anchor = *self.stories.get(&a)?.docs.first()?;
        let moved = self.stories.get(&b)?.docs.clone();
        let stay = self.stories[&a].docs.clone();
        for &d in &moved {
            for &s in &stay {
                unlink(&mut self.cannot, d, s);
            }
            link(&mut self.must, d, anchor);
            self.move_doc(d, a);
        }
        Some(a)
    }

    /// Manual split: the document leaves its story for a new one of its own, cannot-linked to
    /// every document left behind (and its must-links to them are lifted). Returns the new
    /// story.
    pub fn split(&mut self, doc: DocId) -> Option<StoryId> {
        let old = self.story_of(doc)?;
        let others: Vec<DocId> = self.stories[&old]
            .docs
            .iter()
            .copied()
            .filter(|d| *d != doc)
            .collect();
        // Documents must-linked to the leaver (a merge anchor) stay must-linked to each other.
        let linked: Vec<DocId> = others
            .iter()
            .copied()
            .filter(|o| self.must.get(&doc).is_some_and(|m| m.contains(o)))
            .collect();
        for &o in &others {
            unlink(&mut self.must, doc, o);
            link(&mut self.cannot, doc, o);
        }
        if let Some((&first, rest)) = linked.split_first() {
            for &p in rest {
                link(&mut self.must, p, first);
            }
        }
        let new = StoryId(self.next_story);
        self.next_story += 1;
        self.move_doc(doc, new);
        Some(new)
    }

    /// Puts a document into a given story without scoring (replacing an earlier copy of it):
    /// how a process catches up with assignments another process wrote to the store.
    pub fn place(&mut self, doc: StoryDoc, story: StoryId) {
        self.remove_doc(doc.id);
        self.insert(doc, story);
        self.next_story = self.next_story.max(story.0 + 1);
    }

    /// Replaces the manual constraints (they are few; the store holds the truth).
    pub fn set_links(&mut self, must: &[(DocId, DocId)], cannot: &[(DocId, DocId)]) {
        self.must.clear();
        self.cannot.clear();
        for &(a, b) in must {
            link(&mut self.must, a, b);
        }
        for &(a, b) in cannot {
            link(&mut self.cannot, a, b);
        }
    }

    /// The manual constraints as sorted (a < b) pairs: (must-link, cannot-link).
    pub fn links(&self) -> (Links, Links) {
        let pairs = |m: &HashMap<DocId, HashSet<DocId>>| {
            let mut v: Vec<(DocId, DocId)> = m
                .iter()
                .flat_map(|(a, bs)| bs.iter().filter(move |b| a < *b).map(move |b| (*a, *b)))
                .collect();
            v.sort();
            v
        };
        (pairs(&self.must), pairs(&self.cannot))
    }

    /// The next story id this index would open; never below `at_least` afterwards (story ids
    /// are allocated by the store across processes).
    pub fn reserve_story_ids(&mut self, at_least: u64) -> u64 {
        self.next_story = self.next_story.max(at_least);
        self.next_story
    }

    /// The state to persist.
    pub fn snapshot(&self) -> StoryState {
        let mut docs: Vec<&Entry> = self.docs.values().collect();
        docs.sort_by_key(|e| e.seq);
        let (must_link, cannot_link) = self.links();
        StoryState {
            params: self.params.clone(),
            docs: docs.into_iter().map(|e| (e.doc.clone(), e.story)).collect(),
            must_link,
            cannot_link,
            next_story: self.next_story,
        }
    }

    /// Rebuilds an index from a snapshot (documents go back into their stories as stored).
    pub fn from_state(state: StoryState) -> Self {
        let mut ix = StoryIndex::with_params(state.params);
        for (d, s) in state.docs {
            ix.insert(d, s);
        }
        for (a, b) in state.must_link {
            link(&mut ix.must, a, b);
        }
        for (a, b) in state.cannot_link {
            link(&mut ix.cannot, a, b);
        }
        ix.next_story = ix.next_story.max(state.next_story);
        ix
    }

    /// Approximate heap bytes held by the index (capacities of its tables and vectors).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        fn map_bytes<K, V>(m: &HashMap<K, V>) -> usize {
            m.capacity() * (size_of::<K>() + size_of::<V>() + 1)
        }
        let facets = |f: &Facets| {
            (f.cities.capacity() + f.countries.capacity() + f.people.capacity()) * 8
                + f.dates.capacity() * 4
        };
        let fc = |f: &FacetCounts| {
            map_bytes(&f.cities.0)
                + map_bytes(&f.countries.0)
                + map_bytes(&f.people.0)
                + map_bytes(&f.dates.0)
        };
        let docs: usize = map_bytes(&self.docs)
            + self
                .docs
                .values()
                .map(|e| {
                    let f = &e.doc.features;
                    e.doc.outlet.capacity()
                        + f.terms.capacity() * size_of::<(u64, f32)>()
                        + f.entities.capacity() * size_of::<(u64, f32)>()
                        + f.sketch.capacity() * 8
                        + facets(&f.lead)
                        + facets(&f.all)
                })
                .sum::<usize>();
        let stories: usize = map_bytes(&self.stories)
            + self
                .stories
                .values()
                .map(|s| {
                    s.docs.capacity() * 8
                        + map_bytes(&s.terms)
                        + map_bytes(&s.entities)
                        + fc(&s.lead)
                        + fc(&s.all)
                })
                .sum::<usize>();
        let post = |m: &HashMap<u64, Vec<DocId>>| {
            map_bytes(m) + m.values().map(|v| v.capacity() * 8).sum::<usize>()
        };
        let bands = map_bytes(&self.bands)
            + self
                .bands
                .values()
                .map(|p| match p {
                    Post::One(_) => 0,
                    Post::Many(v) => v.capacity() * 8,
                })
                .sum::<usize>();
        docs + stories + post(&self.postings) + bands
    }
}

#[cfg(test)]
mod tests;
