//! Attribute alignment across outlets that paraphrase each other (issue 15).
//!
//! Event clustering keyed by dates and places cannot compare the very date or place outlets
//! disagree on. Here an event's date, place, duration, money and percentages are *attributes*:
//! a claim is tied to the event words of its clause ([`super::super::frames`]: "votes",
//! "ballot", "walked out", "the blaze"), and two outlets' claims of one kind are aligned when
//! their event words share a frame (or, for money and percentages, their sentences say the same
//! thing about the same things). Each outlet speaks once per aligned group; the groups are
//! judged like any (event, slot).
//!
//! What keeps other events apart: a different frame ("the last bargaining session" is not "the
//! vote"), dates more than [`WINDOW_DAYS`] apart (a background event, not a disputed day), and a
//! claim marked as background by its clause ("the previous strike", "in 2014").

use std::collections::{BTreeMap, BTreeSet};

use std::rc::Rc;

use super::{OutletDoc, Where, content_words};
use crate::claims::{Claim, Kind, UnitClass, Value, entities};
use crate::compare::frames;

/// Two dates further apart than this are two occurrences, not one disputed day.
pub(super) const WINDOW_DAYS: i64 = 7;
/// Dates further apart than this need the sentences to say the same of the same people.
const NEAR_DAYS: i64 = 2;
/// Event words this far (bytes) from a claim belong to another clause.
const REACH: usize = 70;
/// Words this close (bytes) to a value say what it measures.
const KEY_REACH: usize = 18;
/// The nearest event words of a claim that count.
const MAX_PREDS: usize = 4;

/// What kind of attribute a claim gives, for alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Family {
    Date,
    /// A time of day ([`super::clock`]), beside the day.
    Time,
    Place,
    /// The town an event is near ("the mine near Moranbah"): compared only with other such.
    Near,
    /// Time since the previous such event ("first in 12 years", "since 2014").
    Anniversary,
    Duration,
    Money,
    Percent,
    /// A count of one kind of thing (its head noun or role: "nurse", "flight", "injured").
    Count,
}

impl Family {
    pub(super) fn slot(self) -> &'static str {
        match self {
            Family::Date => "date",
            Family::Time => super::clock::SLOT,
            Family::Place => "place",
            Family::Near => "nearest place",
            Family::Anniversary => "years since the last one",
            Family::Duration => "duration",
            Family::Money => "money",
            Family::Percent => "percentage",
            Family::Count => "count",
        }
    }
}

/// One claim as an attribute of the events its clause names.
pub(super) struct Attr {
    pub doc: usize,
    pub claim: usize,
    pub family: Family,
    /// Unit of a duration ("duration (days)"), so days are never aligned with years.
    unit: String,
    /// Event words of the claim's clause, nearest first, with their senses.
    preds: Vec<(&'static str, frames::Frame)>,
    /// Every event word of the sentence, for agreeing values.
    all_preds: Rc<Vec<frames::Frame>>,
    /// Content words of the claim's clause, as lemmas where the lexicon has them.
    near: Bag,
    /// The words right next to the value: what it measures ("turnout", "fee", "contract").
    key: Bag,
    /// Those words as things, so a "deal" meets a "contract".
    key_things: Vec<frames::Thing>,
    /// What a count counts, as a thing, so "rifles" meet "guns".
    unit_thing: Option<frames::Thing>,
    /// Content words of the whole sentence.
    words: Rc<Bag>,
    /// Capitalised words of the sentence (its names).
    names: Rc<Bag>,
    /// Every capitalised word of the sentence, its first included ("Qeshm, with a population
    /// of …"), lower-cased, stop words left out.
    capitals: Rc<Bag>,
    /// What else the sentence says of its event, to tell two occurrences apart.
    sig: Signature,
    /// The date right next to a count ("12 dead by Sunday"): the point of a running total.
    /// A date further away dates another event of the sentence ("six miners trapped since
    /// the roof collapsed in the early hours of Monday").
    anchor: Option<Value>,
    /// The place a distance is measured from ("1,500 km south of Tehran").
    reference: Option<String>,
    /// A time of day whose sentence gives another ("kicked off at 3pm, and fans were evacuated
    /// at 5pm"): it belongs to the event word nearest to it.
    crowded: bool,
    /// A measurement whose outlet gives its dimension one value only (every distance of the
    /// report overlaps this one): the report measures one thing, not a game's many yards.
    sole_measure: bool,
}

/// The other attributes a sentence gives its event: when, where, who.
#[derive(Default)]
struct Signature {
    date: Option<Value>,
    place: Option<String>,
    roles: BTreeSet<&'static str>,
    people: BTreeSet<String>,
}

impl Signature {
    /// The sentence's when / where / who, the claim's own value first.
    fn of(doc: &OutletDoc, own: usize, locative: &[Where]) -> Self {
        let mut sig = Signature::default();
        let me = &doc.claims.claims[own];
        let sentence = me.sentence;
        // the claim's own value, else the nearest in its sentence ("held in Kyiv … a meeting
        // on Monday in France": Monday's place is France)
        let dist = |c: &Claim| {
            if c.span.start >= me.span.end {
                c.span.start - me.span.end
            } else {
                me.span.start.saturating_sub(c.span.end)
            }
        };
        let mut order: Vec<usize> = (0..doc.claims.claims.len())
            .filter(|&ci| doc.claims.claims[ci].sentence == sentence && ci != own)
            .collect();
        order.sort_by_key(|&ci| dist(&doc.claims.claims[ci]));
        order.insert(0, own);
        let mut date_set = false;
        for ci in order {
            let c = &doc.claims.claims[ci];
            if c.negated {
                continue;
            }
            match c.kind {
                Kind::Date if sig.date.is_none() && !date_set => {
                    // "on Wednesday and Thursday": the sentence is about both days, so no
                    // one of them tells this occurrence from another outlet's
                    if coordinated(doc, ci) {
                        date_set = true;
                    } else if matches!(c.value, Value::Date { date: Some(_), .. }) {
                        sig.date = Some(c.value.clone());
                    }
                }
                Kind::Place if sig.place.is_none() && locative[ci] == Where::In => {
                    if let Value::Text { text } = &c.value {
                        sig.place = Some(text.clone());
                    }
                }
                _ => {}
            }
        }
        sig
    }

    /// How many of when / where / who differ between two sentences that both give them.
    fn differences(&self, o: &Signature) -> usize {
        let date = matches!((&self.date, &o.date), (Some(a), Some(b)) if !a.same(b));
        let place = matches!((&self.place, &o.place), (Some(a), Some(b))
            if super::place_relation(a, b) == super::Outcome::Conflict);
        let roles =
            !self.roles.is_empty() && !o.roles.is_empty() && self.roles.is_disjoint(&o.roles);
        let people =
            !self.people.is_empty() && !o.people.is_empty() && self.people.is_disjoint(&o.people);
        usize::from(date) + usize::from(place) + usize::from(roles || people)
    }

    /// Something besides the disputed attribute says this is one occurrence: the same place,
    /// the same date, or a participant in common.
    fn shares(&self, o: &Signature, family: Family) -> bool {
        let place = family != Family::Place
            && matches!((&self.place, &o.place), (Some(a), Some(b))
                if super::place_relation(a, b) == super::Outcome::Compatible);
        let date = family != Family::Date
            && matches!((&self.date, &o.date), (Some(a), Some(b)) if a.same(b));
        place || date || !self.roles.is_disjoint(&o.roles) || !self.people.is_disjoint(&o.people)
    }
}

fn family(c: &Claim, locative: Where) -> Option<Family> {
    // a present-tense weekday ("is sworn in on Tuesday") reads at 0.48: still a claim
    if c.negated || c.confidence < 0.4 {
        return None;
    }
    Some(match c.kind {
        Kind::Date if c.slot == super::clock::SLOT => Family::Time,
        Kind::Date => Family::Date,
        Kind::Place if locative == Where::In => Family::Place,
        Kind::Place if locative == Where::Near => Family::Near,
        Kind::Duration if c.slot == ANNIVERSARY_SLOT => Family::Anniversary,
        Kind::Duration => Family::Duration,
        Kind::Money => Family::Money,
        Kind::Percent => Family::Percent,
        // participants (countries, leaders) are compared in event mentions; a bare number
        // ("seven", no counted noun) is nobody's fact
        Kind::Quantity
            if c.slot != "number"
                && !matches!(c.class, Some(UnitClass::Party | UnitClass::Leader)) =>
        {
            Family::Count
        }
        _ => return None,
    })
}

/// A set of words as sorted hashes: intersections are a merge, with no string compares.
#[derive(Default)]
pub(super) struct Bag(Vec<u64>);

impl Bag {
    fn of<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Bag {
        let mut v: Vec<u64> = words
            .into_iter()
            .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_ref().as_bytes()))
            .collect();
        v.sort_unstable();
        v.dedup();
        Bag(v)
    }

    fn common(&self, o: &Bag) -> usize {
        let (a, b) = (&self.0, &o.0);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    fn dice(&self, o: &Bag) -> f32 {
        if self.0.is_empty() || o.0.is_empty() {
            return 0.0;
        }
        2.0 * self.common(o) as f32 / (self.0.len() + o.0.len()) as f32
    }
}

/// What every claim of one sentence shares, computed once per sentence.
struct SentenceFeatures {
    preds: Vec<(std::ops::Range<usize>, &'static str)>,
    frames: Rc<Vec<frames::Frame>>,
    words: Rc<Bag>,
    names: Rc<Bag>,
    capitals: Rc<Bag>,
    roles: BTreeSet<&'static str>,
    people: BTreeSet<String>,
}

/// The date claim `ci` is one of a list of days ("on Wednesday and Thursday", "Monday, Tuesday
/// or Friday", "from Monday to Wednesday"): another resolved date of its sentence is joined
/// to it by nothing but a conjunction, a comma or "to".
fn coordinated(doc: &OutletDoc, ci: usize) -> bool {
    let claims = &doc.claims.claims;
    let c = &claims[ci];
    let s = doc.claims.sentence(c.sentence);
    let joined = |a: usize, b: usize| {
        let between = s.get(a..b).unwrap_or("x").trim().trim_matches(',').trim();
        matches!(
            between,
            "" | "and" | "or" | "to" | "through" | "and on" | "or on" | "-" | "–"
        )
    };
    claims.iter().enumerate().any(|(k, o)| {
        k != ci
            && o.kind == Kind::Date
            && o.sentence == c.sentence
            && matches!(o.value, Value::Date { date: Some(_), .. })
            && (joined(c.span.end, o.span.start) || joined(o.span.end, c.span.start))
    })
}

/// A duration ending at `end` is followed by a bare "later", "earlier" or "prior" ("two years
/// later", "forty years prior"): it places a moment in the story, it is not how long an event
/// lasted. "Two weeks before the shooting" or "prior to the vote" stay: how long before a named
/// event is a fact of its own.
fn is_offset(s: &str, end: usize) -> bool {
    let mut next = s
        .get(end..)
        .unwrap_or("")
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase);
    match next.next().as_deref() {
        Some("later" | "earlier") => true,
        Some("prior") => next.next().as_deref() != Some("to"),
        _ => false,
    }
}

/// The noun phrase a place at `at` locates is marked as another instance of its thing ("its
/// smaller plant in Teesside", "another site in Leeds", "a second factory near Hull", "an
/// earlier fire at its plant in Widnes"): within the four words before the place, in its
/// clause. "A former warehouse in Bedminster" is the same warehouse, used otherwise.
pub(super) fn of_another(s: &str, at: usize) -> bool {
    const ANOTHER: &[&str] = &[
        "another", "other", "second", "third", "smaller", "larger", "bigger", "sister", "rival",
        "earlier", "previous", "separate",
    ];
    let lo = at.saturating_sub(60);
    let before = s.get(floor(s, lo)..at).unwrap_or("");
    let clause = before
        .rsplit([',', ';', '—', '–', '(', ':'])
        .next()
        .unwrap_or("");
    clause
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .rev()
        .take(5)
        .any(|w| ANOTHER.contains(&w.to_lowercase().as_str()))
}

/// The words of the names of the people a document mentions, lower-case ("bettie", "page").
fn name_words(doc: &OutletDoc) -> BTreeSet<String> {
    doc.claims
        .claims
        .iter()
        .filter(|c| c.kind == Kind::Person)
        .filter_map(|c| match &c.value {
            Value::Text { text } => Some(crate::claims::person_name(text)),
            _ => None,
        })
        .flat_map(|n| n.split_whitespace())
        .filter(|w| w.len() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// The word at `r` is written capitalised and is part of a person's name in the document
/// (an event word that is also a surname: Page, Strike, Rally, Fox).
pub(super) fn is_name(s: &str, r: &std::ops::Range<usize>, named: &BTreeSet<String>) -> bool {
    let text = s.get(r.clone()).unwrap_or("");
    let first = text.split_whitespace().next().unwrap_or("");
    first.starts_with(char::is_uppercase) && named.contains(&first.to_lowercase())
}

/// Slot given to anniversary durations by [`add_anniversaries`].
pub(super) const ANNIVERSARY_SLOT: &str = "years since the last one";

/// The attributes of every outlet's claims.
pub(super) fn attributes(docs: &[OutletDoc], locative: &[Vec<Where>]) -> Vec<Attr> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let mut cache: BTreeMap<usize, Rc<SentenceFeatures>> = BTreeMap::new();
        let named = name_words(doc);
        for (ci, c) in doc.claims.claims.iter().enumerate() {
            let Some(fam) = family(c, locative[d][ci]) else {
                continue;
            };
            let s = doc.claims.sentence(c.sentence);
            // "forty years prior", "a few years later": how far back a moment lies, not how
            // long an event lasted
            if fam == Family::Duration && is_offset(s, c.span.end) {
                continue;
            }
            // "its smaller plant in Teesside", "another site in Leeds": where another one is
            if matches!(fam, Family::Place | Family::Near) && of_another(s, c.span.start) {
                continue;
            }
            let sf = cache
                .entry(c.sentence)
                .or_insert_with(|| {
                    // "Page" in "Bettie Page" names a person, not an event
                    let preds: Vec<_> = frames::predicates(s)
                        .into_iter()
                        .filter(|(r, _)| !is_name(s, r, &named))
                        .collect();
                    let frames = preds
                        .iter()
                        .filter_map(|(_, l)| frames::Frame::of(l))
                        .collect();
                    Rc::new(SentenceFeatures {
                        preds,
                        frames: Rc::new(frames),
                        words: Rc::new(Bag::of(content_words(s))),
                        names: Rc::new(Bag::of(super::sentence_names(s))),
                        capitals: Rc::new(Bag::of(capitals(s))),
                        roles: super::roles_in(s),
                        people: super::sentence_people(s),
                    })
                })
                .clone();
            let lo = c.span.start.saturating_sub(REACH);
            let hi = (c.span.end + REACH).min(s.len());
            let phrase = counted_phrase(s, c, fam);
            let mut preds: Vec<(usize, &'static str)> = sf
                .preds
                .iter()
                .filter(|(r, _)| r.end > lo && r.start < hi)
                .filter(|(r, _)| r.end <= c.span.start || r.start >= c.span.end)
                .filter(|(r, _)| !phrase.as_ref().is_some_and(|p| p.contains(&r.start)))
                .map(|(r, l)| {
                    let dist = if r.start >= c.span.end {
                        r.start - c.span.end
                    } else {
                        c.span.start - r.end
                    };
                    (dist, *l)
                })
                .collect();
            // "date of vote": the claims layer already named the event
            if let Some(noun) = c.slot.strip_prefix("date of ")
                && let Some(l) = frames::lemma(noun)
            {
                preds.push((0, l));
            }
            preds.sort();
            let mut seen = BTreeSet::new();
            let preds: Vec<(&'static str, frames::Frame)> = preds
                .into_iter()
                .map(|(_, l)| l)
                .filter(|l| seen.insert(*l))
                .filter_map(|l| frames::Frame::of(l).map(|f| (l, f)))
                .take(MAX_PREDS)
                .collect();
            let (a, b) = (floor(s, lo), ceil(s, hi));
            let (ka, kb) = (
                floor(s, c.span.start.saturating_sub(KEY_REACH)),
                ceil(s, (c.span.end + KEY_REACH).min(s.len())),
            );
            let own = content_words(&c.text);
            let key_words: Vec<String> = lemmas(content_words(&s[ka..kb]))
                .into_iter()
                .filter(|w| !own.contains(w))
                .collect();
            let anchor = doc
                .claims
                .claims
                .iter()
                .filter(|o| o.sentence == c.sentence && o.kind == Kind::Date && !o.negated)
                .filter(|o| matches!(o.value, Value::Date { date: Some(_), .. }))
                .filter(|o| o.span.start < hi && o.span.end > lo)
                .min_by_key(|o| o.span.start.abs_diff(c.span.start))
                .map(|o| o.value.clone());
            let mut sig = Signature::of(doc, ci, &locative[d]);
            sig.roles = sf.roles.clone();
            sig.people = sf.people.clone();
            out.push(Attr {
                doc: d,
                claim: ci,
                family: fam,
                unit: c.slot.clone(),
                preds,
                all_preds: sf.frames.clone(),
                near: Bag::of(lemmas(content_words(&s[a..b]))),
                key_things: key_words
                    .iter()
                    .filter_map(|w| frames::Thing::of(w))
                    .collect(),
                key: Bag::of(key_words),
                unit_thing: (fam == Family::Count)
                    .then(|| frames::Thing::of(frames::qualified(&c.slot).1))
                    .flatten(),
                words: sf.words.clone(),
                names: sf.names.clone(),
                capitals: sf.capitals.clone(),
                sig,
                anchor,
                reference: super::measures::is_measurement(c)
                    .then(|| {
                        let places: Vec<(std::ops::Range<usize>, &str)> = doc
                            .claims
                            .claims
                            .iter()
                            .filter(|p| p.sentence == c.sentence && p.kind == Kind::Place)
                            .filter_map(|p| match &p.value {
                                Value::Text { text } => Some((p.span.clone(), text.as_str())),
                                _ => None,
                            })
                            .collect();
                        super::measures::reference_place(s, c.span.end, &places).map(str::to_string)
                    })
                    .flatten(),
                crowded: fam == Family::Time
                    && doc.claims.claims.iter().enumerate().any(|(o, x)| {
                        o != ci
                            && x.sentence == c.sentence
                            && x.kind == Kind::Date
                            && x.slot == super::clock::SLOT
                    }),
                sole_measure: false,
            });
        }
    }
    let interval = |a: &Attr| match docs[a.doc].claims.claims[a.claim].value {
        Value::Number { min, max, .. } => Some((min, max)),
        _ => None,
    };
    let sole: Vec<bool> = out
        .iter()
        .map(|a| {
            let c = &docs[a.doc].claims.claims[a.claim];
            let Some((lo, hi)) = interval(a).filter(|_| super::measures::is_measurement(c)) else {
                return false;
            };
            out.iter()
                .filter(|b| b.doc == a.doc && b.unit == a.unit)
                .all(|b| interval(b).is_some_and(|(l, h)| l <= hi && lo <= h))
        })
        .collect();
    for (a, s) in out.iter_mut().zip(sole) {
        a.sole_measure = s;
    }
    out
}

/// Capitalised words of a sentence, its first included, lower-cased, stop words left out.
fn capitals(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !super::STOP.contains(&w.as_str()))
        .collect()
}

/// Words as lexicon lemmas where it has them ("estimated" → "estimate"), else with a plural
/// "s" dropped, so paraphrases' words meet.
fn lemmas(ws: BTreeSet<String>) -> BTreeSet<String> {
    ws.into_iter()
        .map(|w| match frames::lemma(&w) {
            Some(l) => l.to_string(),
            None => w
                .strip_suffix('s')
                .filter(|x| x.len() > 3)
                .map_or(w.clone(), str::to_string),
        })
        .collect()
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Letters and digits only, lower-case: how a model designator is found in any spelling.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Nouns that name what happened to the counted ("12 deaths", "52 arrests"): as a count's
/// own noun they are its event word.
const OUTCOME_NOUNS: &[&str] = &[
    "death",
    "fatality",
    "injury",
    "arrest",
    "case",
    "vote",
    "body",
    "evacuee",
    "infection",
    "casualty",
    "killing",
    "conviction",
    "eviction",
];

/// The bytes of a count's noun phrase after its figure: "seven AK-47 *assault rifles*",
/// "three *machine guns*", "six *fire engines*". Words there modify or name the counted
/// thing and are never the event, whatever else they can mean ("assault", "rifle" as a
/// verb, "fire"), unless the noun itself names the outcome ("12 deaths").
fn counted_phrase(s: &str, c: &Claim, fam: Family) -> Option<std::ops::Range<usize>> {
    if fam != Family::Count {
        return None;
    }
    let noun = frames::qualified(&c.slot).1;
    let last = noun.rsplit(' ').next().filter(|w| w.len() >= 3)?;
    let stem = last.strip_suffix('y').unwrap_or(last);
    let end = ceil(s, (c.span.end + 48).min(s.len()));
    let tail = &s[c.span.end..end];
    let low = tail.to_ascii_lowercase();
    let at = low.find(stem)?;
    // the phrase ends at the noun; it may not cross a clause break
    if tail[..at].contains([',', ';', ':', '(', ')']) {
        return None;
    }
    let word_end = low[at..]
        .find(|ch: char| !ch.is_alphanumeric())
        .map_or(low.len(), |e| at + e);
    let keep_noun = OUTCOME_NOUNS.contains(&last);
    let stop = if keep_noun { at } else { word_end };
    Some(c.span.end..c.span.end + stop)
}

fn ceil(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Two attributes that can never be one fact: other kinds, one outlet, other units, dates
/// outside the window, or two of when / where / who differing.
fn vetoed(
    a: &Attr,
    b: &Attr,
    ca: &Claim,
    cb: &Claim,
    apart: &dyn Fn(usize, usize) -> bool,
) -> bool {
    if a.family != b.family || a.doc == b.doc {
        return true;
    }
    // figures of reports about two different main events (a strike in Lyon, another in
    // Marseille), unless the sentence itself says where
    if matches!(a.family, Family::Count | Family::Money | Family::Percent)
        && (a.sig.place.is_none() || b.sig.place.is_none())
        && apart(a.doc, b.doc)
    {
        return true;
    }
    // days are never years; rifles may be guns, never pistols
    let one_kind = frames::same_counted(&a.unit, &b.unit, |x, y| {
        match (a.unit_thing, b.unit_thing) {
            (Some(p), Some(q)) => p.same(q),
            _ => x == y,
        }
    });
    if matches!(a.family, Family::Duration | Family::Count) && !one_kind {
        return true;
    }
    // distances from two different places are two facts
    if matches!((&a.reference, &b.reference), (Some(x), Some(y))
        if super::place_relation(x, y) == super::Outcome::Conflict)
    {
        return true;
    }
    // the hour of another day is the hour of another occurrence (or the day is what differs)
    if a.family == Family::Time
        && matches!((&a.sig.date, &b.sig.date), (Some(x), Some(y)) if !x.same(y))
    {
        return true;
    }
    // a count at another date is another point of a running total, not a disagreement
    if a.family == Family::Count
        && matches!((&a.anchor, &b.anchor), (Some(x), Some(y)) if !x.same(y))
    {
        return true;
    }
    if let (
        Value::Date {
            date: Some(x),
            alt: None,
        },
        Value::Date {
            date: Some(y),
            alt: None,
        },
    ) = (&ca.value, &cb.value)
        && (*x - *y).num_days().abs() > WINDOW_DAYS
    {
        return true;
    }
    // one attribute may be disputed; when two differ, these are two occurrences
    a.sig.differences(&b.sig) >= 2
}

/// How strongly two outlets' attributes look like one fact; `None` when they cannot be.
fn affinity(
    a: &Attr,
    b: &Attr,
    ca: &Claim,
    cb: &Claim,
    apart: &dyn Fn(usize, usize) -> bool,
) -> Option<f32> {
    if vetoed(a, b, ca, cb, apart) {
        return None;
    }
    let pairs = || {
        a.preds.iter().enumerate().flat_map(|(i, x)| {
            b.preds
                .iter()
                .enumerate()
                .map(move |(j, y)| (i, j, x.1, y.1))
        })
    };
    // a date or a place dates or places the event word nearest to it, on one side at least
    // ("in his address last Sunday, he said meetings …": Sunday is the address's day)
    // "the incident" stands for whatever event the other names, weakly, when it is the event
    // word nearest to its claim ("a critical juncture" further on does not)
    let generic = |i: usize, j: usize, x: frames::Frame, y: frames::Frame| {
        (i == 0 && x.is_generic()) || (j == 0 && y.is_generic())
    };
    let nearest = pairs()
        .filter(|&(i, j, _, _)| i == 0 || j == 0)
        .any(|(i, j, x, y)| x.meets(y) || generic(i, j, x, y));
    // a sentence that gives two hours of one day ("kicked off at 3pm, and fans were
    // evacuated at 5pm"): each hour belongs to the event word nearest to it
    // (an hour of the same day: any event word of its clause will do — "driving … at about
    // 1:00 am Sunday … when the cops stopped him" / "stopped for speeding … at 1:30 a.m.
    // Sunday")
    let own_clause = |i: usize, j: usize| (i == 0 || !a.crowded) && (j == 0 || !b.crowded);
    let same_day = matches!((&a.sig.date, &b.sig.date), (Some(x), Some(y)) if x.same(y));
    let nearest_time = pairs()
        .filter(|&(i, j, _, _)| own_clause(i, j) && (same_day || i == 0 || j == 0))
        .any(|(i, j, x, y)| x.meets(y) || generic(i, j, x, y));
    let frame = pairs()
        .filter_map(|(i, j, x, y)| {
            let w = if x.meets(y) {
                1.0
            } else if generic(i, j, x, y) {
                0.5
            } else {
                return None;
            };
            Some(w / (1.0 + 0.25 * (i + j) as f32))
        })
        .fold(0.0f32, f32::max);
    let ctx = a.words.dice(&b.words);
    let near = a.near.common(&b.near);
    // a term is named by its kind of agreement ("a four-year deal" / "a five-year
    // contract"); an amount or a rate only by its own word (a fee is not a wage, a turnout
    // in an election is not one in a referendum)
    let keyed = a.key.common(&b.key) > 0
        || (a.family == Family::Duration
            && a.key_things
                .iter()
                .any(|x| b.key_things.iter().any(|y| x.related(*y))));
    // the event word nearest to each claim is the same frame ("a medical on Wednesday" / "a
    // medical on Thursday"), or the sentences share words, a place, a date or a participant
    let evidence = frame >= 1.0 || ctx >= 0.25 || a.sig.shares(&b.sig, a.family);
    // a figure is one fact only when the sentences say the same of the same people: "19
    // seasons with the club" is not "four seasons as director", Thompson's rounds are not
    // Rahman's
    let people_agree =
        a.sig.people.is_subset(&b.sig.people) || b.sig.people.is_subset(&a.sig.people);
    let same_fact =
        people_agree && (ctx >= super::NEAR_COPY || (ctx >= 0.25 && a.names.common(&b.names) > 0));
    // days further apart need more than a shared frame to be one occurrence
    let far_dates = matches!(
        (&ca.value, &cb.value),
        (Value::Date { date: Some(x), .. }, Value::Date { date: Some(y), .. })
            if (*x - *y).num_days().abs() > NEAR_DAYS
    );
    let ok = match a.family {
        Family::Date if far_dates => nearest && same_fact,
        // the same day or place only adds support: any event word of the two sentences will do
        Family::Date | Family::Place | Family::Near | Family::Time if ca.value.same(&cb.value) => {
            (nearest || shared_anywhere(a, b)) && evidence
        }
        Family::Time => nearest_time && evidence,
        Family::Date | Family::Place | Family::Near => nearest && evidence,
        Family::Anniversary => frame > 0.0 || ctx >= 0.15,
        // figures: prison terms, careers, economic rates share frames with other figures
        Family::Duration => (people_agree && keyed) || (frame > 0.0 && same_fact),
        // a distance or a weight, the only one of its kind in both reports, is one fact when
        // the event words nearest to both figures meet ("fell 700 metres" / "fell about
        // 2,000ft"); other counts need the sentences to say the same
        // a distance from one named place is one fact, however the event is phrased around
        // it ("lies 1,500 kilometers south of Tehran" / "is located 1,150 kilometers
        // southeast of Tehran")
        Family::Count if a.reference.is_some() && b.reference.is_some() => people_agree,
        // how many live in a place is a fact about the place the sentences name ("Qeshm
        // island, home to 120,000 people" / "Qeshm …, with a population of 120,000")
        Family::Count if a.unit == super::measures::POPULATION => {
            a.capitals.common(&b.capitals) > 0
        }
        Family::Count if a.sole_measure && b.sole_measure => frame >= 1.0 && people_agree,
        // a report of many distances (a game's yards): the nearest event words too
        Family::Count if super::measures::is_measurement(ca) => frame >= 1.0 && same_fact,
        Family::Count => frame > 0.0 && same_fact,
        // an amount, a rate or a term is named by the words right next to it ("a turnout of
        // 31.6%" / "turnout was 36.1 per cent"; "a fee of £32m" / "the fee is £35m")
        Family::Percent => people_agree && (keyed || ((frame > 0.0 || near >= 2) && same_fact)),
        Family::Money => people_agree && (keyed || (frame > 0.0 && near >= 1) || near >= 2),
    };
    ok.then_some(frame + ctx + 0.1 * near.min(3) as f32)
}

/// Weight of a [`salient_counts`] edge: below every sentence-level edge, so it only joins
/// what the sentences could not.
const SALIENT_WEIGHT: f32 = 0.01;
/// Sentences (headline included) that make a story's lead.
const LEAD_SENTENCES: usize = 3;

/// Counts of the thing a story is about, across outlets that phrase its event differently
/// ("drilling towards six miners" / "five miners trapped", "12 guns recovered" / "seven
/// rifles seized"): outlets rarely share the event word for a toll, but they name what it
/// counts. Two counts pair when
/// * they count one specific kind of thing (never "people" or a bare number: every story
///   counts people for many reasons),
/// * that thing is in both outlets' leads and named again further on (the story is about
///   it, not a side detail),
/// * each outlet gives that thing one value only (an outlet that counts miners twice, trapped
///   and injured, leaves its counts to its sentences),
/// * and nothing vetoes them as one fact (other dates, other people, another main event).
fn salient_counts(
    docs: &[OutletDoc],
    attrs: &[Attr],
    apart: &dyn Fn(usize, usize) -> bool,
) -> Vec<(f32, usize, usize)> {
    let claim = |a: &Attr| &docs[a.doc].claims.claims[a.claim];
    let broad: Vec<frames::Thing> = ["person", "people"]
        .iter()
        .filter_map(|w| frames::Thing::of(w))
        .collect();
    // a model ("AK-47", "AK 47") is specific by itself, in any spelling; "other" things are
    // never what a story is about
    let model = |a: &Attr| match frames::qualified(&a.unit).0 {
        Some(q) if q != frames::OTHER => Some(squash(q)),
        _ => None,
    };
    let plain = |a: &Attr| frames::qualified(&a.unit).0.is_none();
    let specific = |a: &Attr| {
        a.family == Family::Count
            && (model(a).is_some()
                || plain(a)
                    && a.unit_thing
                        .is_some_and(|t| !broad.iter().any(|b| b.same(t))))
    };
    // the story is about it: named in the lead and again further on. Each sentence's things
    // are read once per document (only documents with a specific count need them).
    let mut sentence_things: BTreeMap<usize, Vec<(bool, Vec<frames::Thing>)>> = BTreeMap::new();
    for a in attrs.iter().filter(|a| specific(a) && plain(a)) {
        sentence_things.entry(a.doc).or_insert_with(|| {
            let d = &docs[a.doc].claims;
            let lead = d.headline.iter().count() + LEAD_SENTENCES;
            d.headline
                .iter()
                .chain(d.sentences.iter())
                .enumerate()
                .map(|(k, s)| {
                    let things = content_words(s)
                        .iter()
                        .filter_map(|w| frames::Thing::of(w))
                        .collect();
                    (k < lead, things)
                })
                .collect()
        });
    }
    let in_lead = |doc: usize, t: frames::Thing| {
        let Some(sents) = sentence_things.get(&doc) else {
            return false;
        };
        let names = |x: &&(bool, Vec<frames::Thing>)| x.1.iter().any(|y| y.same(t));
        sents.iter().filter(|x| x.0).any(|x| names(&x))
            && sents.iter().filter(names).nth(1).is_some()
    };
    let single_valued = |i: usize, t: frames::Thing| {
        let a = &attrs[i];
        attrs
            .iter()
            .filter(|b| b.doc == a.doc && specific(b) && plain(b))
            .filter(|b| b.unit_thing.is_some_and(|u| u.same(t)))
            .all(|b| claim(b).value.same(&claim(a).value))
    };
    let model_single_valued = |i: usize, m: &str| {
        let a = &attrs[i];
        attrs
            .iter()
            .filter(|b| b.doc == a.doc && b.family == Family::Count)
            .filter(|b| model(b).as_deref() == Some(m))
            .all(|b| claim(b).value.same(&claim(a).value))
    };
    let cands: Vec<usize> = (0..attrs.len())
        .filter(|&i| specific(&attrs[i]))
        .filter(|&i| match model(&attrs[i]) {
            // a model is specific enough to be the story's wherever it is named
            Some(m) => model_single_valued(i, &m),
            None => {
                let t = attrs[i].unit_thing.expect("specific");
                in_lead(attrs[i].doc, t) && single_valued(i, t)
            }
        })
        .collect();
    let mut out = Vec::new();
    for (k, &i) in cands.iter().enumerate() {
        for &j in &cands[k + 1..] {
            let (a, b) = (&attrs[i], &attrs[j]);
            let people_agree =
                a.sig.people.is_subset(&b.sig.people) || b.sig.people.is_subset(&a.sig.people);
            if people_agree && !vetoed(a, b, claim(a), claim(b), apart) {
                out.push((SALIENT_WEIGHT, i, j));
            }
        }
    }
    out
}

/// Two places of one report where one lies within the other ("in Cheshire", "in Runcorn"):
/// the same claim at two scales, not two values.
fn nested_places(a: &Claim, b: &Claim) -> bool {
    match (&a.value, &b.value) {
        (Value::Text { text: x }, Value::Text { text: y })
            if a.kind == Kind::Place && b.kind == Kind::Place =>
        {
            entities::place_within(x, y) || entities::place_within(y, x)
        }
        _ => false,
    }
}

/// The two sentences share an event frame anywhere, not only near the claims.
fn shared_anywhere(a: &Attr, b: &Attr) -> bool {
    a.all_preds
        .iter()
        .any(|x| b.all_preds.iter().any(|y| x.meets(*y)))
}

/// Groups of aligned attributes (indices into `attrs`), each with one value per outlet (its
/// first claim speaks for it) and at least two outlets. Strongest pairs first; two groups merge only when no pair across
/// them is vetoed (so a preparatory meeting never joins the main one through a third report).
pub(super) fn align(
    docs: &[OutletDoc],
    attrs: &[Attr],
    apart: &dyn Fn(usize, usize) -> bool,
) -> Vec<Vec<usize>> {
    let claim = |a: &Attr| &docs[a.doc].claims.claims[a.claim];
    let mut edges: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..attrs.len() {
        for j in i + 1..attrs.len() {
            if let Some(w) = affinity(
                &attrs[i],
                &attrs[j],
                claim(&attrs[i]),
                claim(&attrs[j]),
                apart,
            ) {
                edges.push((w, i, j));
            }
        }
    }
    edges.extend(salient_counts(docs, attrs, apart));
    edges.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut group: Vec<usize> = (0..attrs.len()).collect();
    let mut members: BTreeMap<usize, Vec<usize>> = (0..attrs.len()).map(|i| (i, vec![i])).collect();
    for (_, i, j) in edges {
        let (gi, gj) = (group[i], group[j]);
        if gi == gj {
            continue;
        }
        // an outlet may be in a group twice only with one value ("on Tuesday" and "today's
        // meeting" of one report): it agrees with itself, and speaks once when judged
        let clash = members[&gi].iter().any(|&x| {
            members[&gj].iter().any(|&y| {
                let (ax, ay) = (&attrs[x], &attrs[y]);
                if ax.doc == ay.doc {
                    return ax.family != ay.family
                        || !(claim(ax).value.same(&claim(ay).value)
                            || nested_places(claim(ax), claim(ay)));
                }
                vetoed(ax, ay, claim(ax), claim(ay), apart)
            })
        });
        if clash {
            continue;
        }
        let moved = members.remove(&gj).unwrap_or_default();
        for &k in &moved {
            group[k] = gi;
        }
        members.get_mut(&gi).expect("group").extend(moved);
    }
    members
        .into_values()
        .map(|mut m| {
            // an outlet speaks with its most specific place ("in Runcorn", not "in Cheshire")
            let wider = |k: usize| {
                m.iter().any(|&o| {
                    attrs[o].doc == attrs[k].doc && o != k && {
                        let (ck, co) = (claim(&attrs[k]), claim(&attrs[o]));
                        nested_places(ck, co) && !ck.value.same(&co.value) && {
                            let (Value::Text { text: a }, Value::Text { text: b }) =
                                (&ck.value, &co.value)
                            else {
                                return false;
                            };
                            entities::place_within(b, a)
                        }
                    }
                })
            };
            let mut keyed: Vec<(usize, bool, usize, usize)> = m
                .iter()
                .map(|&k| (attrs[k].doc, wider(k), attrs[k].claim, k))
                .collect();
            keyed.sort();
            m = keyed.into_iter().map(|x| x.3).collect();
            m.dedup_by_key(|&mut k| attrs[k].doc);
            m
        })
        .filter(|m| m.len() >= 2)
        .collect()
}

/// The event label of an aligned group: its most common event word, and the place most of
/// its sentences give when the place is not the value compared ("meeting in Paris").
pub(super) fn label(attrs: &[Attr], group: &[usize]) -> String {
    fn most<'a>(xs: impl Iterator<Item = &'a str>) -> Option<&'a str> {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for x in xs {
            *count.entry(x).or_default() += 1;
        }
        count
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(x, _)| x)
    }
    let word = most(
        group
            .iter()
            .filter_map(|&k| attrs[k].preds.first().map(|p| p.0)),
    )
    .unwrap_or("general");
    // the place most sentences give; between as many, the most specific (Paris, not France)
    let places: Vec<&str> = group
        .iter()
        .filter_map(|&k| attrs[k].sig.place.as_deref())
        .collect();
    let count = |p: &str| places.iter().filter(|&&q| q == p).count();
    let inner = |p: &str| {
        places
            .iter()
            .any(|&q| q != p && entities::place_within(p, q))
    };
    let place = (!matches!(attrs[group[0]].family, Family::Place | Family::Near))
        .then(|| {
            places.iter().copied().max_by(|a, b| {
                (count(a), inner(a))
                    .cmp(&(count(b), inner(b)))
                    .then(b.cmp(a))
            })
        })
        .flatten();
    match place {
        Some(p) => format!("{word} in {p}"),
        None => word.to_string(),
    }
}

/// "first … since 2014", "first … in 12 years", "first … in a generation": the time since the
/// previous such event, in years before the outlet's publication, as a duration claim with the
/// [`ANNIVERSARY_SLOT`] (an existing "12 years" claim of such a sentence is re-slotted).
pub(super) fn add_anniversaries(doc: &mut OutletDoc) {
    use chrono::Datelike;
    let year = doc.published.year();
    let dc = &mut doc.claims;
    let mut new = Vec::new();
    for (si, s) in dc.sentences.iter().enumerate() {
        let low = s.to_lowercase();
        if !anniversary_cue(&low) {
            continue;
        }
        // "in N years" already read as a duration
        let mut had = false;
        for c in dc.claims.iter_mut().filter(|c| c.sentence == si) {
            if c.kind == Kind::Duration && c.slot == "duration (years)" {
                let before = low.get(..c.span.start).unwrap_or("");
                if before.trim_end().ends_with(" in") || before.trim_end().ends_with(" for") {
                    c.slot = ANNIVERSARY_SLOT.to_string();
                    had = true;
                }
            }
        }
        if had {
            continue;
        }
        let mut add = |span: std::ops::Range<usize>, min: f64, max: f64, exact: bool| {
            new.push(Claim {
                kind: Kind::Duration,
                slot: ANNIVERSARY_SLOT.to_string(),
                class: Some(UnitClass::Time),
                text: s[span.clone()].to_string(),
                value: Value::Number { min, max, exact },
                sentence: si,
                span,
                negated: false,
                planned: false,
                speaker: None,
                confidence: 0.7,
            });
        };
        if let Some(i) = low.find("since ") {
            let y = &low[i + 6..];
            let digits: String = y.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.len() == 4
                && let Ok(then) = digits.parse::<i32>()
                && then < year
                && year - then < 200
            {
                let n = f64::from(year - then);
                add(i..i + 10, n, n, true);
                continue;
            }
        }
        if let Some(i) = low.find("in a generation") {
            add(i..i + 15, 20.0, 30.0, false);
        }
    }
    dc.claims.extend(new);
}

/// A sentence that measures time since the last such event: "the first … in 12 years", "the
/// worst since 1998", "the most intense … in 50 years", "not since 2007".
fn anniversary_cue(low: &str) -> bool {
    const CUES: &[&str] = &["first", "last time", "most ", "not since", "never"];
    CUES.iter().any(|c| low.contains(c))
        || low.split(|c: char| !c.is_alphabetic()).any(|w| {
            // a superlative: "worst", "biggest", "largest", "hottest", "deadliest"
            w == "worst"
                || w == "best"
                || (w.len() > 5 && w.ends_with("est") && !NOT_SUPERLATIVE.contains(&w))
        })
}

/// Words ending in "-est" that are not superlatives.
const NOT_SUPERLATIVE: &[&str] = &[
    "interest", "protest", "forest", "request", "contest", "arrest", "suggest", "harvest",
    "honest", "modest", "manifest", "earnest", "latest", "digest", "invest", "conquest",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::extract_claims;
    use crate::extract::extract_plain;
    use chrono::DateTime;

    fn doc(outlet: &str, date: &str, text: &str) -> OutletDoc {
        let p = DateTime::parse_from_rfc3339(&format!("{date}T12:00:00+00:00")).unwrap();
        OutletDoc {
            outlet: outlet.into(),
            url: format!("https://{outlet}.example/a"),
            published: p,
            claims: extract_claims(&extract_plain(text), Some(p)),
        }
    }

    #[test]
    fn since_a_year_is_years_before_publication() {
        let mut d = doc(
            "a",
            "2026-06-02",
            "It is the first strike at the firm since 2014, the union said.",
        );
        add_anniversaries(&mut d);
        let c = d
            .claims
            .claims
            .iter()
            .find(|c| c.slot == ANNIVERSARY_SLOT)
            .expect("anniversary");
        assert_eq!(c.text, "since 2014");
        assert!(c.value.same(&Value::Number {
            min: 12.0,
            max: 12.0,
            exact: true
        }));
    }

    #[test]
    fn a_generic_event_noun_stands_for_the_event() {
        use crate::compare::conflicts::{Outcome, compare_story};
        let a = doc(
            "a",
            "2026-06-03",
            "Smoke rose from the blaze at the Halton industrial estate on Tuesday.",
        );
        let b = doc(
            "b",
            "2026-06-03",
            "Residents were evacuated after the incident at the Halton industrial estate on Monday.",
        );
        let fs = compare_story(&[a, b]);
        // one event: the two days are compared (the weekdays' tense makes it a tension)
        assert!(
            fs.iter()
                .any(|f| f.slot == "date" && f.claims.len() == 2 && f.outcome >= Outcome::Tension),
            "{fs:#?}"
        );
    }

    #[test]
    fn a_term_is_named_by_its_kind_of_agreement() {
        use crate::compare::conflicts::{Outcome, compare_story};
        let a = doc(
            "a",
            "2026-08-03",
            "The striker will put pen to paper on a four-year deal with the club.",
        );
        let b = doc(
            "b",
            "2026-08-03",
            "He is expected to sign a five-year contract at the ground.",
        );
        let fs = compare_story(&[a, b]);
        assert!(
            fs.iter()
                .any(|f| f.slot.starts_with("duration") && f.outcome == Outcome::Conflict),
            "{fs:#?}"
        );
        // a prison term is another kind of thing
        let c = doc(
            "c",
            "2026-08-03",
            "His agent once served a four-year sentence for fraud.",
        );
        let d = doc(
            "d",
            "2026-08-03",
            "He is expected to sign a five-year contract at the ground.",
        );
        let fs = compare_story(&[c, d]);
        assert!(
            fs.iter().all(|f| !f.slot.starts_with("duration")),
            "{fs:#?}"
        );
    }

    #[test]
    fn a_count_of_rifles_meets_a_count_of_guns_not_of_pistols() {
        use crate::compare::conflicts::{Outcome, compare_story};
        let text = |n: &str, what: &str| {
            format!(
                "Navy commandos seized {n} {what} from the pirates on the captured ship on Tuesday."
            )
        };
        let fs = compare_story(&[
            doc("a", "2026-08-03", &text("seven", "rifles")),
            doc("b", "2026-08-03", &text("12", "guns")),
        ]);
        assert!(fs.iter().any(|f| f.outcome == Outcome::Conflict), "{fs:#?}");
        let fs = compare_story(&[
            doc("a", "2026-08-03", &text("seven", "rifles")),
            doc("b", "2026-08-03", &text("12", "pistols")),
        ]);
        assert!(fs.iter().all(|f| f.outcome != Outcome::Conflict), "{fs:#?}");
    }

    #[test]
    fn counts_of_the_thing_a_story_is_about_meet_across_event_words() {
        use crate::compare::conflicts::{Outcome, compare_story};
        let a = || {
            doc(
                "a",
                "2026-03-02",
                "Rescuers race to reach trapped miners in Queensland. Rescue teams were drilling \
                 towards six miners on Monday night, the company said.",
            )
        };
        let b = doc(
            "b",
            "2026-03-02",
            "Miners trapped after roof collapse at Queensland pit. Five miners were pulled alive \
             from the shaft after the collapse, officials said.",
        );
        let fs = compare_story(&[a(), b]);
        assert!(
            fs.iter()
                .any(|f| f.slot.contains("miner") && f.outcome == Outcome::Conflict),
            "{fs:#?}"
        );
        // an outlet that counts miners twice (trapped and injured) leaves its counts to its
        // sentences: its five trapped are not the other's six
        let c = doc(
            "c",
            "2026-03-02",
            "Miners trapped after roof collapse at Queensland pit. Two miners were pulled alive \
             from the shaft, and five miners are still trapped, officials said.",
        );
        let fs = compare_story(&[a(), c]);
        assert!(fs.iter().all(|f| f.outcome != Outcome::Conflict), "{fs:#?}");
        // a thing the story is not about (not in its lead) is a side detail
        let d = doc(
            "d",
            "2026-03-02",
            "Roof collapse at Queensland pit. A convoy of five trucks was pulled out of the \
             shaft area after the collapse, officials said.",
        );
        let e = doc(
            "e",
            "2026-03-02",
            "Roof collapse at Queensland pit. Crews were drilling with six trucks on Monday \
             night, the company said.",
        );
        let fs = compare_story(&[d, e]);
        assert!(fs.iter().all(|f| f.outcome != Outcome::Conflict), "{fs:#?}");
    }

    #[test]
    fn a_models_count_is_compared_with_the_same_model_and_other_things_apart() {
        use crate::compare::conflicts::{Outcome, compare_story};
        let a = doc(
            "a",
            "2026-03-02",
            "Navy frigate stops pirate attack in the Gulf of Aden. Sailors seized seven AK-47 \
             assault rifles from the pirates' boat. They also seized three other rifles, the \
             navy said.",
        );
        let b = doc(
            "b",
            "2026-03-02",
            "Pirates held after attack on cargo ship in the Gulf of Aden. Sailors seized 12 AK 47 \
             guns from the pirates' boat. They also seized two other rifles, officials said.",
        );
        let fs = compare_story(&[a, b]);
        let conflict = |unit: &str, x: &str, y: &str| {
            fs.iter().any(|f| {
                f.outcome == Outcome::Conflict
                    && f.slot.ends_with(unit)
                    && f.explanation.contains(x)
                    && f.explanation.contains(y)
            })
        };
        // "assault" and "rifles" inside the counted phrase are not event words, and the model
        // names the thing whatever noun follows it
        assert!(
            conflict("ak-47 rifle", "seven", "12") || conflict("ak-47 gun", "seven", "12"),
            "{fs:#?}"
        );
        assert!(conflict("other rifle", "three", "two"), "{fs:#?}");
        // the AK-47s are never the other rifles
        assert!(
            !conflict("rifle", "seven", "two") && !conflict("rifle", "three", "12"),
            "{fs:#?}"
        );
    }

    #[test]
    fn a_word_inside_a_counted_phrase_is_not_its_event() {
        let c = |text: &str, slot: &str| Claim {
            kind: Kind::Quantity,
            slot: slot.into(),
            class: None,
            text: text.into(),
            value: Value::Text {
                text: String::new(),
            },
            sentence: 0,
            span: 0..0,
            negated: false,
            planned: false,
            speaker: None,
            confidence: 1.0,
        };
        let s = "seven AK-47 assault rifles were seized";
        let mut claim = c("seven", "ak-47 rifle");
        claim.span = 0..5;
        let p = counted_phrase(s, &claim, Family::Count).expect("a phrase");
        assert_eq!(&s[p.clone()], " AK-47 assault rifles");
        // a noun naming the outcome stays the count's event word: "12 deaths"
        let s = "12 deaths were reported";
        let mut claim = c("12", "death");
        claim.span = 0..2;
        let p = counted_phrase(s, &claim, Family::Count).expect("a phrase");
        assert!(!p.contains(&s.find("deaths").unwrap()), "{p:?}");
        // never across a clause
        let s = "seven, the navy said, assault rifles";
        let mut claim = c("seven", "rifle");
        claim.span = 0..5;
        assert!(counted_phrase(s, &claim, Family::Count).is_none());
    }

    #[test]
    fn a_superlative_since_a_year_is_an_anniversary() {
        let mut d = doc(
            "a",
            "2026-07-20",
            "It is the hottest July spell the country has had since 2007, forecasters said.",
        );
        add_anniversaries(&mut d);
        assert!(d.claims.claims.iter().any(|c| c.slot == ANNIVERSARY_SLOT));
    }

    #[test]
    fn a_since_year_without_first_is_no_anniversary() {
        let mut d = doc(
            "a",
            "2026-06-02",
            "The firm has been based in the town since 2014, the union said.",
        );
        add_anniversaries(&mut d);
        assert!(d.claims.claims.iter().all(|c| c.slot != ANNIVERSARY_SLOT));
    }
}
