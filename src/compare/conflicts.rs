//! Cross-outlet claim alignment and outcomes (`claim.conflict`, docs/CLAIMS.md "Across
//! outlets").
//!
//! 1. **Event mentions**: every trigger word ("meeting", "summit", "talks", "vote", "strike",
//!    "attack" …) in a sentence is a mention of an event of that type. The claims of the sentence
//!    are given to the nearest mention (a date whose event noun names the trigger wins); a
//!    mention takes the first date and the first *locative* place ("in Paris", "hosted by Paris")
//!    given to it, and the participant roles ("advisers", "leaders", "ministers" …) and names
//!    (people, "the Coalition of the Willing") written next to it.
//! 2. **Events**: mentions of all outlets are clustered (complete linkage): same type family;
//!    explicit dates more than 3 days apart, places in different countries (or different cities)
//!    and disjoint participant roles veto — unless the two sentences are near copies of each
//!    other (then the difference is what is compared). A merge needs positive evidence: the same
//!    or next day, contained places, shared participants. A mention with no features at all
//!    ("the meeting will focus on …") refers to its outlet's last featured mention of that type
//!    within three sentences. Claims in sentences without a mention belong to the story-level
//!    "general" event, where only counts with a counted noun and money/percentages with a head
//!    are compared (never dates, places or durations), and where a disjoint pair from dissimilar
//!    sentences is at most a tension.
//! 3. **Compare within (event, slot)**, each outlet once (its most confident claim; negated
//!    claims, quotes and people are not compared): the values agreeing with the most outlets
//!    (ties: the most precise value) are the consensus; every other outlet is judged against it
//!    and the loudest outcome is the finding's. Outcomes: *agree*, *compatible* (overlap; a
//!    containing place; related unit classes such as leaders vs countries), *refinement* (an
//!    exact value inside a much wider one: "dozens" → 43), *tension* (disjoint, one side vague
//!    or bounded, or only related classes, or an ambiguous weekday), *conflict* (disjoint, both
//!    exact, same class), *stale* (a running total reported earlier and lower), *disputed*
//!    (disjoint values attributed to different named parties). Round numbers carry a 2.5 % halo
//!    (800,000 vs 790,000 is compatible).
//!
//! Severity = slot importance (casualties 1.0 > event date/place 0.8 > money 0.6 > participants
//! 0.5 > duration/percent 0.4 > generic 0.3) × gap size × confidence × outcome weight, in [0, 1].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::claims::{Claim, DocClaims, HEADLINE, Kind, UnitClass, Value, entities};
use judge::*;

/// One outlet's article in a story.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletDoc {
    pub outlet: String,
    pub url: String,
    pub published: DateTime<FixedOffset>,
    pub claims: DocClaims,
}

/// A wire copy reports the same facts as its original: the same (slot, value) claims, in any
/// order. Then it counts once in a story; a copy that changed a fact is compared like any
/// outlet (an edited agency text).
pub fn same_facts(a: &DocClaims, b: &DocClaims) -> bool {
    fn facts(d: &DocClaims) -> Vec<(&str, String)> {
        let mut f: Vec<(&str, String)> = d
            .claims
            .iter()
            .map(|c| (c.slot.as_str(), format!("{:?}", c.value)))
            .collect();
        f.sort();
        f
    }
    facts(a) == facts(b)
}

/// How the outlets' values for one (event, slot) relate. Ordered from quiet to loud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Agree,
    Compatible,
    Refinement,
    Stale,
    Tension,
    Disputed,
    Conflict,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Agree => "agree",
            Outcome::Compatible => "compatible",
            Outcome::Refinement => "refinement",
            Outcome::Stale => "stale",
            Outcome::Tension => "tension",
            Outcome::Disputed => "disputed",
            Outcome::Conflict => "conflict",
        }
    }

    /// Worth telling anyone: not agree / compatible.
    pub fn reportable(self) -> bool {
        self > Outcome::Compatible
    }

    fn weight(self) -> f32 {
        match self {
            Outcome::Agree | Outcome::Compatible => 0.0,
            Outcome::Refinement => 0.1,
            Outcome::Stale => 0.2,
            Outcome::Tension => 0.35,
            Outcome::Disputed => 0.7,
            Outcome::Conflict => 1.0,
        }
    }
}

/// One outlet's claim in a finding (`claims[]` of `claim.conflict`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingClaim {
    pub outlet: String,
    pub article_url: String,
    pub text: String,
    pub value: serde_json::Value,
    pub sentence: String,
}

/// The judgement of one (event, slot) across the outlets of a story. Serialises to the
/// `claim.conflict` payload (DESIGN "Events"): `story`, `slot`, `outcome`, `severity`,
/// `explanation`, `claims`; `event`, `consensus` and `outlier` are for callers only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Set by the caller ([`Finding::with_story`]); empty from [`compare_story`].
    #[serde(default)]
    pub story: String,
    /// "meeting in Paris on 2026-01-06", or "general".
    #[serde(skip)]
    pub event: String,
    pub slot: String,
    pub outcome: Outcome,
    pub severity: f32,
    pub explanation: String,
    /// One per outlet, consensus first.
    pub claims: Vec<FindingClaim>,
    /// The consensus value as written, when there is one.
    #[serde(skip)]
    pub consensus: Option<String>,
    /// The outlet that departs from the consensus.
    #[serde(skip)]
    pub outlier: Option<String>,
}

impl Finding {
    pub fn with_story(mut self, story: &str) -> Self {
        self.story = story.to_string();
        self
    }

    /// Stable identity: event, slot and every outlet's value. Emit `claim.conflict` once per
    /// key and `claim.resolved` when a key disappears.
    pub fn key(&self) -> String {
        let mut parts: Vec<String> = self
            .claims
            .iter()
            .map(|c| format!("{}={}", c.outlet, c.value))
            .collect();
        parts.sort();
        let s = format!(
            "{}\u{1f}{}\u{1f}{}",
            self.event,
            self.slot,
            parts.join("\u{1f}")
        );
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(s.as_bytes()))
    }
}

/// Judges every (event, slot) that at least two outlets report. Deterministic: loudest
/// outcome first, then severity, event and slot.
pub fn compare_story(docs: &[OutletDoc]) -> Vec<Finding> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[a].outlet.cmp(&docs[b].outlet).then(a.cmp(&b)));
    let mut fixed: Vec<OutletDoc> = docs.iter().map(reresolve_weekdays).collect();
    fixed.iter_mut().for_each(align::add_anniversaries);
    fixed.iter_mut().for_each(add_times);
    for d in &mut fixed {
        let cs = std::mem::take(&mut d.claims.claims);
        let sentences = &d.claims;
        let cs: Vec<Claim> = cs
            .into_iter()
            .map(measures::normalise)
            .map(|c| {
                let before = sentences
                    .sentence(c.sentence)
                    .get(..c.span.start)
                    .unwrap_or("");
                measures::population(c, before)
            })
            .collect();
        d.claims.claims = cs;
    }
    let docs = &fixed[..];
    let mut prepared: Vec<Prepared> = docs.iter().map(prepare).collect();
    let mains: Vec<MainEvent> = docs.iter().map(main_event).collect();
    // asked for every pair of attributes and mentions: decided once per pair of documents
    let n = docs.len();
    let apart_of: Vec<bool> = (0..n * n)
        .map(|i| different_main_events(&mains[i / n], &mains[i % n]))
        .collect();
    let apart = |a: usize, b: usize| apart_of[a * n + b];
    let events = cluster(&mut prepared, &order, &apart);
    let labels: Vec<String> = events.iter().map(|e| event_label(&prepared, e)).collect();
    let main_of = main_event_groups(docs.len(), &order, &apart);

    // (event, slot) -> doc -> candidate claims
    let mut groups: BTreeMap<(EventKey, String), BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
    for &d in &order {
        let p = &prepared[d];
        for (ci, c) in docs[d].claims.claims.iter().enumerate() {
            let ev = p.claim_event[ci].and_then(|m| p.mentions[m].cluster);
            // participants only: the other kinds are aligned as attributes (align.rs)
            if c.kind != Kind::Quantity
                || !matches!(c.class, Some(UnitClass::Party | UnitClass::Leader))
            {
                continue;
            }
            let Some(slot) = slot_of(c, ev.is_none(), p.locative[ci] == Where::In) else {
                continue;
            };
            let key = ev.map_or(EventKey::General(main_of[d]), EventKey::Event);
            groups
                .entry((key, slot))
                .or_default()
                .entry(d)
                .or_default()
                .push(ci);
        }
    }

    let mut out = Vec::new();
    // dates, places, durations, money and percentages: attributes aligned by event frame
    let locative: Vec<Vec<Where>> = prepared.iter().map(|p| p.locative.clone()).collect();
    let attrs = align::attributes(docs, &locative);
    for group in align::align(docs, &attrs, &apart) {
        let sides: Vec<Side> = group
            .iter()
            .map(|&k| {
                let a = &attrs[k];
                Side::new(&docs[a.doc], a.doc, &docs[a.doc].claims.claims[a.claim])
            })
            .collect();
        let fam = attrs[group[0]].family;
        let slot = match fam {
            // the claim's own slot ("duration (years)", "nurse", "amount"), as stored findings know it
            align::Family::Duration | align::Family::Count | align::Family::Money => {
                sides[0].claim.slot.clone()
            }
            f => f.slot().to_string(),
        };
        if let Some(f) = judge_group(&align::label(&attrs, &group), &slot, &sides, false) {
            out.push(f);
        }
    }
    // who said a quotation, a person's role: compared per quotation and per person
    let people_groups: Vec<people::Group> = people::speaker_groups(docs)
        .into_iter()
        .chain(people::role_groups(docs))
        .chain(people::attribute_groups(docs))
        .collect();
    for (slot, label, says) in &people_groups {
        let sides: Vec<Side> = says
            .iter()
            .map(|s| Side::new(&docs[s.doc], s.doc, &s.claim))
            .collect();
        if let Some(f) = judge_group(label, slot, &sides, false) {
            out.push(f);
        }
    }
    for ((ev, slot), per_doc) in groups {
        if per_doc.len() < 2 {
            continue;
        }
        let sides: Vec<Side> = per_doc
            .iter()
            .map(|(&d, cands)| {
                let ci = *cands
                    .iter()
                    .max_by(|&&a, &&b| {
                        let (ca, cb) = (&docs[d].claims.claims[a], &docs[d].claims.claims[b]);
                        rank(ca)
                            .total_cmp(&rank(cb))
                            // earliest wins a tie
                            .then(b.cmp(&a))
                    })
                    .expect("non-empty");
                Side::new(&docs[d], d, &docs[d].claims.claims[ci])
            })
            .collect();
        let (general, label) = match ev {
            EventKey::General(_) => (true, "general".to_string()),
            EventKey::Event(e) => (false, labels[e].clone()),
        };
        if let Some(f) = judge_group(&label, &slot, &sides, general) {
            out.push(f);
        }
    }
    out.sort_by(|a, b| {
        b.outcome
            .cmp(&a.outcome)
            .then(b.severity.total_cmp(&a.severity))
            .then(a.event.cmp(&b.event))
            .then(a.slot.cmp(&b.slot))
    });
    out
}

// ---------------------------------------------------------------------------------------------
// event mentions

/// Trigger words and their type family.
const TRIGGERS: &[(&str, &str)] = &[
    ("meeting", "meeting"),
    ("meetings", "meeting"),
    ("meet", "meeting"),
    ("meets", "meeting"),
    ("summit", "meeting"),
    ("summits", "meeting"),
    ("talks", "meeting"),
    ("gathering", "meeting"),
    ("conference", "meeting"),
    ("consultations", "meeting"),
    ("negotiations", "meeting"),
    ("vote", "vote"),
    ("votes", "vote"),
    ("voted", "vote"),
    ("election", "vote"),
    ("elections", "vote"),
    ("referendum", "vote"),
    ("ballot", "vote"),
    ("attack", "attack"),
    ("attacks", "attack"),
    ("attacked", "attack"),
    ("strike", "attack"),
    ("strikes", "attack"),
    ("airstrike", "attack"),
    ("bombing", "attack"),
    ("shelling", "attack"),
    ("explosion", "attack"),
    ("blast", "attack"),
    ("raid", "attack"),
    ("shooting", "attack"),
    ("visit", "visit"),
    ("visited", "visit"),
    ("visiting", "visit"),
    ("trip", "visit"),
    ("crash", "accident"),
    ("collision", "accident"),
    ("derailment", "accident"),
    ("fire", "disaster"),
    ("wildfire", "disaster"),
    ("earthquake", "disaster"),
    ("quake", "disaster"),
    ("flood", "disaster"),
    ("floods", "disaster"),
    ("flooding", "disaster"),
    ("storm", "disaster"),
    ("hurricane", "disaster"),
    ("protest", "protest"),
    ("protests", "protest"),
    ("rally", "protest"),
    ("demonstration", "protest"),
    ("ceremony", "ceremony"),
    ("funeral", "ceremony"),
    ("inauguration", "ceremony"),
    ("launch", "launch"),
    ("trial", "trial"),
    ("hearing", "trial"),
];

/// The participant roles a sentence names ("advisers", "leaders").
fn roles_in(s: &str) -> BTreeSet<&'static str> {
    words(s)
        .into_iter()
        .filter_map(|(_, w)| ROLES.iter().find(|(r, _)| *r == w.as_str()).map(|r| r.1))
        .collect()
}

/// Participant roles written next to a trigger.
const ROLES: &[(&str, &str)] = &[
    ("adviser", "advisers"),
    ("advisers", "advisers"),
    ("advisor", "advisers"),
    ("advisors", "advisers"),
    ("leader", "leaders"),
    ("leaders", "leaders"),
    ("heads", "leaders"),
    ("presidents", "leaders"),
    ("premiers", "leaders"),
    ("minister", "ministers"),
    ("ministers", "ministers"),
    ("negotiator", "negotiators"),
    ("negotiators", "negotiators"),
    ("envoys", "negotiators"),
    ("lawmakers", "lawmakers"),
    ("legislators", "lawmakers"),
    ("parliament", "lawmakers"),
    ("senators", "lawmakers"),
    ("chiefs", "military"),
    ("generals", "military"),
    ("commanders", "military"),
];

/// Group names that identify participants.
const GROUPS: &[&str] = &[
    "coalition of the willing",
    "nato",
    "g7",
    "g20",
    "european union",
    "united nations",
    "security council",
];

/// Words that make the next place the event's place.
const LOCATIVE_CUES: &[&str] = &["in", "at", "hosted by", "held in", "host", "venue"];

/// How a place claim relates to its event ([`place_cue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Where {
    No,
    In,
    Near,
}

#[derive(Debug, Clone)]
struct Mention {
    sent: usize,
    span: Range<usize>,
    family: &'static str,
    word: String,
    date: Option<NaiveDate>,
    place: Option<String>,
    roles: BTreeSet<&'static str>,
    names: BTreeSet<String>,
    /// The content words of its sentence (shared by the sentence's mentions).
    words: Rc<BTreeSet<String>>,
    /// For a featureless mention: the featured mention of the same doc it refers to.
    refers: Option<usize>,
    cluster: Option<usize>,
}

impl Mention {
    fn featured(&self) -> bool {
        self.date.is_some()
            || self.place.is_some()
            || !self.roles.is_empty()
            || !self.names.is_empty()
    }
}

/// One document's mentions and the mention each claim is linked to.
struct Prepared {
    mentions: Vec<Mention>,
    claim_event: Vec<Option<usize>>,
    /// Where a place claim says the event is: after a locative cue ("in Runcorn") or
    /// near it ("near Moranbah"); `No` for every other claim.
    locative: Vec<Where>,
}

/// Sentence order with the headline first.
fn sent_order(idx: usize) -> usize {
    if idx == HEADLINE { 0 } else { idx + 1 }
}

/// Lower-case words with byte ranges.
fn words(s: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in s.char_indices() {
        let w = ch.is_alphanumeric() || ((ch == '-' || ch == '\'') && start.is_some());
        match (w, start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a..i, s[a..i].trim_end_matches(['-', '\'']).to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((
            a..s.len(),
            s[a..].trim_end_matches(['-', '\'']).to_lowercase(),
        ));
    }
    out
}

const STOP: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "was", "were", "are", "has", "have",
    "had", "will", "would", "its", "their", "his", "her", "they", "which", "who", "but", "not",
    "also", "been", "said", "says", "about", "more", "than", "into", "over", "after", "before",
    "there", "what", "when", "where", "how", "all", "any", "can", "could", "should", "may", "our",
    "out", "one", "two", "new",
];

fn content_words(s: &str) -> BTreeSet<String> {
    words(s)
        .into_iter()
        .map(|(_, w)| w)
        .filter(|w| {
            w.len() >= 3 && !STOP.contains(&w.as_str()) && !w.chars().any(|c| c.is_ascii_digit())
        })
        .collect()
}

fn dice(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * a.intersection(b).count() as f32 / (a.len() + b.len()) as f32
}

/// Distance from a claim span to a mention span (a claim after its trigger is closer).
fn distance(claim: &Range<usize>, m: &Range<usize>) -> usize {
    if claim.start >= m.end {
        claim.start - m.end
    } else if claim.end <= m.start {
        (m.start - claim.end) * 3 / 2
    } else {
        0
    }
}

/// An event word ([`frames::predicates`]) at most [`CLAUSE_REACH`] bytes before `at`, with no
/// clause break (comma, semicolon, dash) in between.
fn clause_event_before(s: &str, at: usize) -> bool {
    const CLAUSE_REACH: usize = 60;
    let lo = at.saturating_sub(CLAUSE_REACH);
    crate::compare::frames::predicates(s)
        .iter()
        .filter(|(r, _)| r.start >= lo && r.end <= at)
        .any(|(r, _)| {
            !s.get(r.end..at)
                .unwrap_or(",")
                .contains([',', ';', '—', '–'])
        })
}

fn prepare(doc: &OutletDoc) -> Prepared {
    let dc = &doc.claims;
    let mut by_sent: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in dc.claims.iter().enumerate() {
        by_sent.entry(c.sentence).or_default().push(i);
    }
    let mut sent_ids: Vec<usize> = (0..dc.sentences.len()).collect();
    if dc.headline.is_some() {
        sent_ids.insert(0, HEADLINE);
    }
    let mut mentions: Vec<Mention> = Vec::new();
    let mut claim_event = vec![None; dc.claims.len()];
    let mut locative = vec![Where::No; dc.claims.len()];
    for &si in &sent_ids {
        let s = dc.sentence(si);
        let toks = words(s);
        let first = mentions.len();
        let mut sent_words: Option<Rc<BTreeSet<String>>> = None;
        for (k, (r, w)) in toks.iter().enumerate() {
            let Some(&(_, family)) = TRIGGERS.iter().find(|(t, _)| t == w) else {
                continue;
            };
            // "strike" as a noun of labour disputes, "fire" as a verb … are left as they are:
            // the family only has to agree across outlets.
            let _ = k;
            mentions.push(Mention {
                sent: sent_order(si),
                span: r.clone(),
                family,
                word: w.clone(),
                date: None,
                place: None,
                roles: BTreeSet::new(),
                names: BTreeSet::new(),
                words: sent_words
                    .get_or_insert_with(|| Rc::new(content_words(s)))
                    .clone(),
                refers: None,
                cluster: None,
            });
        }
        let here = first..mentions.len();
        let claims = by_sent.get(&si).cloned().unwrap_or_default();
        for &ci in &claims {
            let c = &dc.claims[ci];
            if c.kind == Kind::Place {
                locative[ci] = place_cue(s, &c.span);
            }
        }
        if here.is_empty() {
            continue;
        }
        // claims to the nearest mention; a date naming its event noun goes to that noun
        for &ci in &claims {
            let c = &dc.claims[ci];
            let noun = c.slot.strip_prefix("date of ").map(str::to_string);
            let best = here
                .clone()
                .min_by_key(|&m| {
                    let named = noun.as_ref().is_some_and(|n| names(&mentions[m], n));
                    (!named, distance(&c.span, &mentions[m].span), m)
                })
                .expect("non-empty");
            let names_mention = |n: &String| here.clone().any(|m| names(&mentions[m], n));
            // a date of another event ("his speech last Sunday") is not the mention's date
            if noun.as_ref().is_some_and(|n| !names_mention(n)) {
                continue;
            }
            // a place far from the mention, or a possessive one ("in Ukraine's strategy"), is not
            // where it happens
            if c.kind == Kind::Place {
                // near its trigger, or right after an event word of its own clause ("the
                // blaze broke out just after 6pm at the site in Runcorn")
                let near = distance(&c.span, &mentions[best].span) <= 60
                    || clause_event_before(s, c.span.start);
                let possessive =
                    s[c.span.end..].starts_with("'s") || s[c.span.end..].starts_with("’s");
                if !near || possessive {
                    locative[ci] = Where::No;
                }
            }
            claim_event[ci] = Some(best);
            let m = &mut mentions[best];
            match (&c.kind, &c.value) {
                (Kind::Date, Value::Date { date: Some(d), .. })
                    if m.date.is_none() && !c.negated =>
                {
                    m.date = Some(*d);
                }
                (Kind::Place, Value::Text { text })
                    if locative[ci] == Where::In && m.place.is_none() =>
                {
                    m.place = Some(text.clone());
                }
                (Kind::Person, Value::Text { text }) => {
                    m.names.insert(surname(text));
                }
                _ => {}
            }
        }
        // participant roles and groups: in the window between the neighbouring triggers
        for m in here.clone() {
            let lo = if m > here.start {
                mentions[m - 1].span.end
            } else {
                0
            };
            let hi = if m + 1 < here.end {
                mentions[m + 1].span.start
            } else {
                s.len()
            };
            let lo = lo.max(mentions[m].span.start.saturating_sub(60));
            let hi = hi.min(mentions[m].span.end + 90);
            let window: Vec<&String> = toks
                .iter()
                .filter(|(r, _)| r.start >= lo && r.end <= hi)
                .map(|(_, w)| w)
                .collect();
            let text = window
                .iter()
                .map(|w| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let mut roles = BTreeSet::new();
            for w in &window {
                if let Some(&(_, role)) = ROLES.iter().find(|(r, _)| *r == w.as_str()) {
                    roles.insert(role);
                }
            }
            let mut names = BTreeSet::new();
            for g in GROUPS {
                if format!(" {text} ").contains(&format!(" {g} ")) {
                    names.insert((*g).to_string());
                }
            }
            mentions[m].roles = roles;
            mentions[m].names.extend(names);
        }
    }
    // featureless mentions refer to the last featured mention of their family (3 sentences)
    for i in 0..mentions.len() {
        if mentions[i].featured() {
            continue;
        }
        let (sent, family) = (mentions[i].sent, mentions[i].family);
        mentions[i].refers = (0..i).rev().find(|&j| {
            mentions[j].featured()
                && mentions[j].family == family
                && mentions[j].refers.is_none()
                && sent.saturating_sub(mentions[j].sent) <= 3
        });
    }
    for e in claim_event.iter_mut() {
        if let Some(m) = *e
            && !mentions[m].featured()
        {
            *e = mentions[m].refers;
        }
    }
    Prepared {
        mentions,
        claim_event,
        locative,
    }
}

/// A date's event noun names this mention: the same word or the same trigger family.
fn names(m: &Mention, noun: &str) -> bool {
    m.word == noun
        || m.word.trim_end_matches('s') == noun
        || TRIGGERS.iter().any(|(t, f)| *t == noun && *f == m.family)
}

fn surname(name: &str) -> String {
    // a person claim's value may carry a role: "Dana Whitcomb, chief executive, Ridgeway"
    let name = crate::claims::person_name(name);
    name.split_whitespace()
        .last()
        .unwrap_or(name)
        .to_lowercase()
        .replace("yy", "y") // Zelenskyy / Zelensky
}

/// What a place claim at `span` says of where its event is. `In`: a locative cue right before
/// it ("in Paris", "hosted by Paris", "held in the French …"), or "in the"/"at the" when the
/// place names a part of a larger one ("in the Southville area of Bristol", "at the Wembley
/// end"). `Near`: "near Moranbah", "close to Dysart", "on the outskirts of Leeds": a
/// different fact (the nearest town) from where it is, compared only with other `Near` places.
fn place_cue(s: &str, span: &Range<usize>) -> Where {
    let before = s.get(..span.start).unwrap_or("").to_lowercase();
    let w = words(&before);
    let last: Vec<&str> = w.iter().rev().take(4).map(|(_, w)| w.as_str()).collect();
    let tail = |n: usize| {
        last.iter()
            .take(n)
            .rev()
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    // the cue must touch the place: "in Paris" counts, "in 2019, Paris" does not
    let touches = |n: usize| {
        w.len() >= n && {
            let (r, _) = &w[w.len() - n];
            before[r.start..]
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        }
    };
    if (1..=4).any(|n| NEAR_CUES.contains(&tail(n).as_str()) && touches(n)) {
        return Where::Near;
    }
    if LOCATIVE_CUES.contains(&tail(1).as_str()) || LOCATIVE_CUES.contains(&tail(2).as_str()) {
        return Where::In;
    }
    let after = s.get(span.end..).unwrap_or("").to_lowercase();
    let next = words(&after).into_iter().next().map(|(_, w)| w);
    if matches!(tail(2).as_str(), "in the" | "at the")
        && next.is_some_and(|n| AREA_NOUNS.contains(&n.as_str()))
    {
        return Where::In;
    }
    Where::No
}

/// Cues that put a place beside the event, not at it.
const NEAR_CUES: &[&str] = &[
    "near",
    "nr",
    "close to",
    "outskirts of",
    "on the outskirts of",
    "just outside",
];

/// Nouns that make "the X <noun>" a part of a larger place ("the Southville area of Bristol").
const AREA_NOUNS: &[&str] = &[
    "area",
    "district",
    "suburb",
    "neighbourhood",
    "neighborhood",
    "borough",
    "quarter",
    "region",
    "section",
    "part",
    "province",
    "county",
    "village",
    "town",
    "city",
];

/// Works around the date resolver taking tense cues from the whole sentence: a bare weekday
/// ("on Monday", "Saturday's") is resolved again from the cues of its own clause (between dashes,
/// semicolons or colons): a future cue only → the next occurrence, a past cue only → the
/// previous one (the publication day itself when it is that weekday).
fn reresolve_weekdays(doc: &OutletDoc) -> OutletDoc {
    const FUTURE: &[&str] = &[
        " will ",
        "'ll ",
        " to be held",
        " scheduled",
        " expected",
        " planned",
        " upcoming",
        " aimed at",
        " ahead of",
        " groundwork for",
        " due to",
        " set to",
        " next ",
        " plans to",
    ];
    const PAST: &[&str] = &[
        " held",
        " met ",
        " took place",
        " was ",
        " were ",
        " last ",
        " ago",
        " had ",
        " did ",
    ];
    // verbs whose past is their base form: after "it", "he" or "she" without an "s" they can
    // only be past ("On Wednesday it shut from 1pm")
    const SAME_PAST: &[&str] = &[
        "shut", "cut", "hit", "put", "set", "let", "cost", "hurt", "quit", "split", "spread",
        "burst", "cast", "read",
    ];
    let mut out = doc.clone();
    let pub_day = doc.published.date_naive();
    for c in out.claims.claims.iter_mut() {
        if c.kind != Kind::Date {
            continue;
        }
        let bare = c
            .text
            .to_lowercase()
            .trim_start_matches("on ")
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_string();
        let Ok(target) = bare.parse::<chrono::Weekday>() else {
            continue;
        };
        let s = doc.claims.sentence(c.sentence);
        // a coordinated clause is a clause of its own ("it shut from 1pm, and the ministry
        // said it will do the same again")
        let seps = ["—", "–", ";", ":", " - ", ", and ", ", but ", ", while "];
        let head = &s[..c.span.start.min(s.len())];
        let start = seps
            .iter()
            .filter_map(|p| head.rfind(p).map(|i| i + p.len()))
            .max()
            .unwrap_or(0);
        let tail = &s[c.span.end.min(s.len())..];
        let end = seps
            .iter()
            .filter_map(|p| tail.find(p))
            .min()
            .map_or(s.len(), |i| c.span.end + i);
        let clause = format!(" {} ", s[start..end].to_lowercase().replace('’', "'"));
        let past = PAST.iter().any(|k| clause.contains(k))
            || ["it", "he", "she"].iter().any(|p| {
                SAME_PAST
                    .iter()
                    .any(|v| clause.contains(&format!(" {p} {v} ")))
            });
        // a present tense with a weekday looks ahead in news ("is sworn in on Tuesday", "plays
        // on Saturday"); the historical present is rare
        let present = [" is ", " are "].iter().any(|k| clause.contains(k));
        let future = FUTURE.iter().any(|k| clause.contains(k)) || (present && !past);
        let from = chrono::Datelike::weekday(&pub_day).num_days_from_monday() as i64;
        let to = target.num_days_from_monday() as i64;
        let day = match (future, past) {
            (true, false) => pub_day + chrono::Duration::days((to - from).rem_euclid(7)),
            (false, true) => pub_day - chrono::Duration::days((from - to).rem_euclid(7)),
            _ => continue,
        };
        c.value = Value::Date {
            date: Some(day),
            alt: None,
        };
    }
    out
}

// ---------------------------------------------------------------------------------------------
// events

/// Which event a claim is compared in: a clustered event mention, or the story-level "general"
/// event of one group of documents about the same main event ([`main_event_groups`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EventKey {
    Event(usize),
    General(usize),
}

/// Sentences of a document's lead after the headline.
const LEAD_SENTENCES: usize = 3;

/// What a document says about its main event: the places, explicit dates and people of its
/// lead (headline and first sentences), and those of its whole text. A story can hold reports
/// of two similar but different events (another strike, another summit, last year's quake on
/// the same island); their leads then name different places, dates or people.
#[derive(Debug, Default)]
struct MainEvent {
    lead_words: BTreeSet<String>,
    lead_places: Vec<String>,
    places: Vec<String>,
    lead_dates: Vec<NaiveDate>,
    dates: Vec<NaiveDate>,
    lead_people: BTreeSet<String>,
    people: BTreeSet<String>,
}

fn main_event(doc: &OutletDoc) -> MainEvent {
    let dc = &doc.claims;
    let in_lead = |i: usize| i == HEADLINE || i < LEAD_SENTENCES;
    let mut m = MainEvent::default();
    let lead_text = std::iter::once(HEADLINE)
        .chain(0..LEAD_SENTENCES)
        .map(|i| dc.sentence(i))
        .collect::<Vec<_>>()
        .join(" ");
    m.lead_words = content_words(&lead_text);
    for c in dc.claims.iter().filter(|c| !c.negated) {
        let lead = in_lead(c.sentence);
        match (&c.kind, &c.value) {
            (Kind::Place, Value::Text { text }) => {
                if lead {
                    m.lead_places.push(text.clone());
                }
                m.places.push(text.clone());
            }
            (Kind::Date, Value::Date { date: Some(d), .. }) => {
                if lead {
                    m.lead_dates.push(*d);
                }
                m.dates.push(*d);
            }
            (Kind::Person, Value::Text { text }) => {
                if lead {
                    m.lead_people.insert(surname(text));
                }
                m.people.insert(surname(text));
            }
            _ => {}
        }
    }
    m
}

/// Explicit dates more than this many days apart are different events (CLAIMS.md).
const EVENT_DAYS: i64 = 3;

/// Two documents report different main events: their leads are not near copies (then the
/// difference is what is compared), and for dates, places or people both leads name some and
/// neither lead shares one with the other's whole text (a follow-up that names the original
/// place or day further down is not vetoed). Places are shared when they may be one place
/// ([`place_relation`]: a state and a town of its country may be; two towns are not).
fn different_main_events(a: &MainEvent, b: &MainEvent) -> bool {
    if dice(&a.lead_words, &b.lead_words) >= NEAR_COPY {
        return false;
    }
    fn apart<T>(
        lead_a: &[T],
        all_a: &[T],
        lead_b: &[T],
        all_b: &[T],
        same: impl Fn(&T, &T) -> bool,
    ) -> bool {
        !lead_a.is_empty()
            && !lead_b.is_empty()
            && !lead_a.iter().any(|x| all_b.iter().any(|y| same(x, y)))
            && !lead_b.iter().any(|x| all_a.iter().any(|y| same(x, y)))
    }
    let near = |x: &NaiveDate, y: &NaiveDate| (*x - *y).num_days().abs() <= EVENT_DAYS;
    let people = |m: &MainEvent| -> (Vec<String>, Vec<String>) {
        (
            m.lead_people.iter().cloned().collect(),
            m.people.iter().cloned().collect(),
        )
    };
    let ((la, aa), (lb, ab)) = (people(a), people(b));
    apart(&a.lead_dates, &a.dates, &b.lead_dates, &b.dates, near)
        || apart(
            &a.lead_places,
            &a.places,
            &b.lead_places,
            &b.places,
            |x, y| place_relation(x, y) != Outcome::Conflict,
        )
        || apart(&la, &aa, &lb, &ab, |x, y| x == y)
}

/// Groups the documents by main event (complete linkage in `order`: a document joins the first
/// group it is not apart from any member of), as the index of each document's group. The
/// "general" event is per group: figures of two reports of different events are never compared.
fn main_event_groups(
    n: usize,
    order: &[usize],
    apart: &dyn Fn(usize, usize) -> bool,
) -> Vec<usize> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut of = vec![0; n];
    for &d in order {
        let k = match groups.iter().position(|g| g.iter().all(|&e| !apart(d, e))) {
            Some(k) => k,
            None => {
                groups.push(Vec::new());
                groups.len() - 1
            }
        };
        groups[k].push(d);
        of[d] = k;
    }
    of
}

/// Content-word Dice at or above which two sentences (or leads) are near copies of each other.
const NEAR_COPY: f32 = 0.6;

/// Two places given for one event: `Compatible` when one contains the other, or when a town
/// and a region of the same country are given (the gazetteer knows countries' subdivisions but
/// not which town lies in which); `Tension` when a region, or a major city, or any town set
/// against a venue or district, faces a name the gazetteer does not know (see
/// [`known_against_unknown`]); `Conflict` for two different places of one level (two towns, two
/// regions, two countries), of different countries, or two names it does not know.
fn place_relation(a: &str, b: &str) -> Outcome {
    use crate::claims::PlaceKind::{Country, Subdivision};
    if places_compatible(a, b) {
        return Outcome::Compatible;
    }
    let (ia, ib) = (entities::place_info(a), entities::place_info(b));
    let region = |k: crate::claims::PlaceKind| matches!(k, Country | Subdivision);
    match (ia, ib) {
        (Some((ka, ca)), Some((kb, cb))) => {
            if ka != kb && (region(ka) || region(kb)) && ca == cb {
                Outcome::Compatible
            } else {
                Outcome::Conflict
            }
        }
        (Some((k, _)), None) | (None, Some((k, _))) if region(k) => Outcome::Tension,
        (Some(_), None) => known_against_unknown(a, b),
        (None, Some(_)) => known_against_unknown(b, a),
        (None, None) => Outcome::Conflict,
    }
}

/// A place the gazetteer knows against a name it does not: a venue, street or district
/// (a word of [`LANDMARK_WORDS`]: "Stade de Suisse" / "Bern", "Place Vendome" / "Paris") or any
/// name against a major city, which has suburbs and districts the gazetteer does not list
/// ("Malibu" / "Los Angeles", "Williamsburg" / "New York"), may lie in it: a tension. A
/// town-shaped name against a smaller town is another town ("Mold" / "Wrexham"): a conflict.
fn known_against_unknown(known: &str, unknown: &str) -> Outcome {
    let landmark = unknown
        .split(|c: char| !c.is_alphabetic())
        .any(|w| LANDMARK_WORDS.contains(&w.to_lowercase().as_str()));
    if landmark || entities::place_is_major(known) {
        Outcome::Tension
    } else {
        Outcome::Conflict
    }
}

/// Words that make a place name a site within a town rather than a town.
const LANDMARK_WORDS: &[&str] = &[
    "airport",
    "arena",
    "avenue",
    "boulevard",
    "bridge",
    "building",
    "castle",
    "cathedral",
    "center",
    "centre",
    "church",
    "club",
    "college",
    "court",
    "district",
    "estadio",
    "field",
    "gardens",
    "ground",
    "hall",
    "harbor",
    "harbour",
    "heights",
    "hospital",
    "hotel",
    "house",
    "lane",
    "mall",
    "market",
    "museum",
    "palace",
    "park",
    "piazza",
    "place",
    "platz",
    "plaza",
    "port",
    "quarter",
    "road",
    "rue",
    "school",
    "square",
    "stade",
    "stadio",
    "stadium",
    "station",
    "street",
    "theater",
    "theatre",
    "tower",
    "university",
    "village",
];

fn places_compatible(a: &str, b: &str) -> bool {
    a == b || entities::place_within(a, b) || entities::place_within(b, a)
}

/// Veto and evidence for two mentions being one event.
fn link(a: &Mention, b: &Mention) -> Option<u32> {
    if a.family != b.family {
        return None;
    }
    let strong = dice(&a.words, &b.words) >= NEAR_COPY;
    let mut score = if strong { 3 } else { 0 };
    if let (Some(x), Some(y)) = (a.date, b.date) {
        let days = (x - y).num_days().abs();
        if days > 3 && !strong {
            return None;
        }
        score += match days {
            0 | 1 => 2,
            2 | 3 => 1,
            _ => 0,
        };
    }
    if let (Some(x), Some(y)) = (&a.place, &b.place) {
        if places_compatible(x, y) {
            score += 2;
        } else if !strong {
            return None;
        }
    }
    if !a.roles.is_empty() && !b.roles.is_empty() {
        if a.roles.is_disjoint(&b.roles) {
            if !strong {
                return None;
            }
        } else {
            score += 1;
        }
    }
    if !a.names.is_disjoint(&b.names) {
        score += 1;
    }
    Some(score)
}

/// Clusters of (doc, mention); sets `cluster` on every mention (featureless ones through the
/// mention they refer to). Mentions of documents `apart` (about different main events) are
/// never one event unless their sentences are near copies.
fn cluster(
    prepared: &mut [Prepared],
    order: &[usize],
    apart: &dyn Fn(usize, usize) -> bool,
) -> Vec<Vec<(usize, usize)>> {
    let mut clusters: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut assign: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for &d in order {
        for (mi, m) in prepared[d].mentions.iter().enumerate() {
            if !m.featured() {
                continue;
            }
            let mut best: Option<(u32, usize)> = None;
            for (k, members) in clusters.iter().enumerate() {
                let mut total = 0;
                let mut ok = true;
                let mut evidence = false;
                for &(d2, m2) in members {
                    let m2 = &prepared[d2].mentions[m2];
                    if d2 != d && apart(d, d2) && dice(&m.words, &m2.words) < NEAR_COPY {
                        ok = false;
                        break;
                    }
                    match link(m, m2) {
                        None => {
                            ok = false;
                            break;
                        }
                        Some(s) => {
                            total += s;
                            evidence |= s >= 2;
                        }
                    }
                }
                if ok && evidence && best.is_none_or(|(t, _)| total > t) {
                    best = Some((total, k));
                }
            }
            let k = match best {
                Some((_, k)) => k,
                None => {
                    clusters.push(Vec::new());
                    clusters.len() - 1
                }
            };
            clusters[k].push((d, mi));
            assign.insert((d, mi), k);
        }
    }
    for (&(d, mi), &k) in &assign {
        prepared[d].mentions[mi].cluster = Some(k);
    }
    for p in prepared.iter_mut() {
        for mi in 0..p.mentions.len() {
            if let Some(r) = p.mentions[mi].refers {
                p.mentions[mi].cluster = p.mentions[r].cluster;
            }
        }
    }
    clusters
}

fn event_label(prepared: &[Prepared], members: &[(usize, usize)]) -> String {
    let ms: Vec<&Mention> = members
        .iter()
        .map(|&(d, m)| &prepared[d].mentions[m])
        .collect();
    let family = ms[0].family;
    let mut places: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dates: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &ms {
        if let Some(p) = &m.place {
            *places.entry(p).or_default() += 1;
        }
        if let Some(d) = m.date {
            *dates.entry(d).or_default() += 1;
        }
        for r in &m.roles {
            *roles.entry(r).or_default() += 1;
        }
    }
    fn top<K: Ord + Copy>(m: &BTreeMap<K, usize>) -> Option<K> {
        m.iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
            .map(|(k, _)| *k)
    }
    let mut label = family.to_string();
    if let Some(r) = top(&roles) {
        label = format!("{r}' {family}");
    }
    if let Some(p) = top(&places) {
        label.push_str(&format!(" in {p}"));
    }
    if let Some(d) = top(&dates) {
        label.push_str(&format!(" on {d}"));
    }
    label
}

// ---------------------------------------------------------------------------------------------
// slots

fn add_times(doc: &mut OutletDoc) {
    with_times(&mut doc.claims);
}

/// Adds every time of day the document gives ("at about 1:00 am Sunday", "from midday") as a
/// claim of its own (kind date, slot [`clock::SLOT`], value the minute of the day) beside the
/// day it may belong to: outlets that agree on the day can disagree on the hour. A weekday
/// that could be either of two weeks makes the day uncertain, not the hour: the time keeps a
/// plain assertion's confidence, and the day's negation and planning. Idempotent; the
/// comparison calls it on its own copy (benchmarks call it to see what is compared).
pub fn with_times(dc: &mut DocClaims) {
    let mut new = Vec::new();
    let sentences = dc
        .headline
        .iter()
        .map(|h| (HEADLINE, h))
        .chain(dc.sentences.iter().enumerate());
    for (si, s) in sentences {
        for mut t in clock::claims_of(s, si, 0.7) {
            let mut same_day = dc.claims.iter().filter(|c| {
                c.sentence == si
                    && c.kind == Kind::Date
                    && c.span.start < t.span.end
                    && t.span.start < c.span.end
            });
            if same_day.clone().any(|c| c.slot == clock::SLOT) {
                continue;
            }
            if let Some(d) = same_day.next() {
                t.negated = d.negated;
                t.planned = d.planned;
            }
            new.push(t);
        }
    }
    dc.claims.extend(new);
}

/// Running totals: a later, higher figure is an update, not a conflict.
const RUNNING: &[&str] = &[
    "deaths",
    "dead",
    "injured",
    "wounded",
    "arrested",
    "detained",
    "missing",
    "displaced",
    "evacuated",
    "rescued",
];

/// The slot a claim is compared in, or `None` when it is not compared (quotes, people,
/// negated claims; in the general event also dates, places, durations and head-less figures).
fn slot_of(c: &Claim, general: bool, locative: bool) -> Option<String> {
    if c.negated {
        return None;
    }
    match c.kind {
        Kind::Quote | Kind::Person => None,
        Kind::Date => (!general).then(|| "date".to_string()),
        Kind::Place => (!general && locative).then(|| "place".to_string()),
        Kind::Duration => (!general).then(|| c.slot.clone()),
        Kind::Quantity => match c.class {
            Some(UnitClass::Party | UnitClass::Leader) => Some("participants".into()),
            _ if c.slot == "number" => (!general).then(|| c.slot.clone()),
            _ => Some(c.slot.clone()),
        },
        Kind::Money | Kind::Percent => (!general || c.slot.contains('(')).then(|| c.slot.clone()),
    }
}

/// Which of an outlet's claims in a slot speaks for it: the most confident, a resolved
/// unambiguous date before an ambiguous one.
fn rank(c: &Claim) -> f32 {
    let mut r = c.confidence;
    if let Value::Date { date, alt } = &c.value {
        if date.is_none() {
            r -= 1.0;
        }
        if alt.is_some() {
            r -= 0.2;
        }
    }
    r
}

fn importance(slot: &str, kind: Kind) -> f32 {
    // a quotation put in the wrong mouth is among the worst errors a report can make
    if slot == "quote speaker" {
        return 0.9;
    }
    if slot.starts_with("role of ") {
        return 0.6;
    }
    if RUNNING.contains(&slot) || slot == "killed" {
        1.0
    } else if slot == "date" || slot == "place" || slot == clock::SLOT {
        0.8
    } else if kind == Kind::Money || slot == "nearest place" {
        0.6
    } else if slot == "participants" {
        0.5
    } else if matches!(kind, Kind::Duration | Kind::Percent) {
        0.4
    } else {
        0.3
    }
}

mod align;
mod clock;
mod judge;
mod measures;
mod people;
#[cfg(test)]
mod tests;
