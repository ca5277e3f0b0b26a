//! The story index's tables, kept compact: a daemon holds every article of the story window
//! (tens of thousands), and most stories are one article, so per-document and per-story
//! overhead is what the memory is made of.
//!
//! * Term and entity keys (64-bit hashes) are interned to 32-bit ids in one table that also
//!   holds each key's postings, so a document's weights are 8 bytes each and IDF is an array
//!   read. An id whose postings empty is freed and reused: a long-running daemon that evicts
//!   old articles does not grow with every word it ever saw.
//! * Documents live in a slab (32-bit slots; postings and wire-copy bands hold slots), in the
//!   compact records of [`super::tables`]: two boxed slices each, outlet and agency interned.
//! * A story's aggregates are sorted vectors, not hash maps, and a story that has only ever
//!   had one document has none: its document's own weights and facets are read instead.
//!
//! Behaviour is the one documented in the parent module; only the representation differs
//! (cosines sum a story's weights in key-id order instead of hash order, which moves scores
//! by float rounding only).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::tables::{
    AREAS, Agg, Bands, CITIES, COUNTRIES, DATES, Entry, EntryHead, Group, KeySet, NO_AGENCY, Names,
    PEOPLE, Story, date_of, weight_of,
};
use super::{
    Assignment, DocId, Features, Links, Params, ScoreParts, StoryDoc, StoryId, StoryState,
    sketch_jaccard,
};

/// Sketch values indexed for wire-copy candidates (the smallest ones).
const SKETCH_INDEXED: usize = 8;

/// Interned term and entity keys with their postings (document slots in insertion order).
#[derive(Debug, Clone, Default)]
pub(super) struct Keys {
    pub(super) ids: HashMap<u64, u32>,
    rows: Vec<(u64, Vec<u32>)>,
    pub(super) free: Vec<u32>,
}

impl Keys {
    fn id(&self, key: u64) -> Option<u32> {
        self.ids.get(&key).copied()
    }
    fn intern(&mut self, key: u64) -> u32 {
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.rows[id as usize] = (key, Vec::new());
                id
            }
            None => {
                self.rows.push((key, Vec::new()));
                (self.rows.len() - 1) as u32
            }
        };
        self.ids.insert(key, id);
        id
    }
    fn key(&self, id: u32) -> u64 {
        self.rows[id as usize].0
    }
    fn post(&self, id: u32) -> &[u32] {
        &self.rows[id as usize].1
    }
    fn df(&self, id: Option<u32>) -> usize {
        id.map_or(0, |id| self.rows[id as usize].1.len())
    }
    /// Drops `slot` from a key's postings; the key is freed when none are left.
    fn unpost(&mut self, id: u32, slot: u32) {
        let (key, post) = &mut self.rows[id as usize];
        if post.is_empty() {
            // already freed: a key listed twice by one document
            return;
        }
        post.retain(|d| *d != slot);
        if post.is_empty() {
            let key = *key;
            *post = Vec::new();
            self.ids.remove(&key);
            self.free.push(id);
        } else if post.capacity() > 2 * post.len() + 4 {
            post.shrink_to_fit();
        }
    }
}

/// The online story clusterer (see the parent module's docs).
#[derive(Debug, Clone, Default)]
pub struct StoryIndex {
    params: Params,
    /// Document id → slot in `entries`.
    slots: HashMap<DocId, u32>,
    entries: Vec<Option<Entry>>,
    free_slots: Vec<u32>,
    outlets: Names,
    agencies: Names,
    stories: HashMap<StoryId, Story>,
    /// Term and entity keys → slots, in insertion order.
    pub(super) keys: Keys,
    /// MinHash sketch value → slots.
    pub(super) bands: Bands,
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
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn story_count(&self) -> usize {
        self.stories.len()
    }

    fn entry(&self, id: DocId) -> Option<&Entry> {
        self.entries[*self.slots.get(&id)? as usize].as_ref()
    }

    fn at(&self, slot: u32) -> &Entry {
        self.entries[slot as usize]
            .as_ref()
            .expect("postings hold live slots")
    }

    pub fn story_of(&self, doc: DocId) -> Option<StoryId> {
        self.entry(doc).map(|e| e.story)
    }

    /// Members of a story, in the order they joined.
    pub fn members(&self, story: StoryId) -> &[DocId] {
        self.stories.get(&story).map_or(&[], Story::docs)
    }

    /// All stories (unordered).
    pub fn stories(&self) -> impl Iterator<Item = (StoryId, &[DocId])> {
        self.stories.iter().map(|(id, s)| (*id, s.docs()))
    }

    /// A story's aggregates (its document's own when it has only ever had one).
    fn agg(&self, story: StoryId) -> Option<Agg<'_>> {
        Some(match self.stories.get(&story)? {
            Story::One(d) => Agg::One(self.entry(*d)?),
            Story::Many(g) => Agg::Many(g),
        })
    }

    /// A document as it was added (rebuilt from the compact form).
    pub fn doc(&self, id: DocId) -> Option<StoryDoc> {
        self.entry(id).map(|e| self.unpack(e))
    }

    /// A document's publication time (no copy of its features).
    pub fn published(&self, id: DocId) -> Option<DateTime<Utc>> {
        self.entry(id)?.published
    }

    fn unpack(&self, e: &Entry) -> StoryDoc {
        let keyed = |ws: &[(u32, f32)]| {
            let mut v: Vec<(u64, f32)> = ws.iter().map(|&(i, w)| (self.keys.key(i), w)).collect();
            v.sort_by_key(|t| t.0);
            v
        };
        StoryDoc {
            id: e.id,
            outlet: self.outlets.name(e.outlet).to_string(),
            published: e.published,
            features: Features {
                terms: keyed(e.terms()),
                entities: keyed(e.entities()),
                lead: e.facets(true),
                all: e.facets(false),
                sketch: e.sketch().to_vec(),
                agency: (e.agency != NO_AGENCY).then(|| self.agencies.name(e.agency).to_string()),
            },
        }
    }

    fn idf_of(&self, id: Option<u32>) -> f32 {
        let df = self.keys.df(id) as f32;
        ((self.len() as f32 + 1.0) / (df + 1.0)).ln() + 1.0
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
            let mut shared: HashSet<u32> = HashSet::new();
            for v in sk.iter().take(SKETCH_INDEXED) {
                shared.extend(self.bands.get(*v));
            }
            let mut best: Option<(f32, u64, DocId)> = None;
            for slot in shared {
                let e = self.at(slot);
                let j = sketch_jaccard(sk, e.sketch());
                // A recycled template ("leaders met in Brussels on …") about another date or
                // place is not a copy: the vetoes and the time window apply here too.
                let st = self.agg(e.story).expect("a live document's story");
                if j >= self.params.wire_jaccard
                    && !blocked.contains(&e.story)
                    && self.days_apart(doc.published, st) <= self.params.window_days
                    && self.penalty(&doc.features, st) == 1.0
                    && best.is_none_or(|b| j > b.0 || (j == b.0 && e.seq < b.1))
                {
                    best = Some((j, e.seq, e.id));
                }
            }
            if let Some((j, _, d)) = best {
                return Assignment {
                    story: self.entry(d).expect("a live document").story,
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

    fn within_window(&self, a: Option<DateTime<Utc>>, story: Agg<'_>) -> bool {
        self.days_apart(a, story) <= self.params.window_days
    }

    fn days_apart(&self, a: Option<DateTime<Utc>>, story: Agg<'_>) -> f64 {
        match (a, story.span()) {
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
        let n = self.len();
        // Keys in more than 5% of the documents (with a floor for small stores) are too common
        // to retrieve by: every story shares them.
        let max_df = (n / 20).max(200);
        let query = |ws: &[(u64, f32)], take: usize| {
            let mut q: Vec<(f32, u64, u32)> = ws
                .iter()
                .filter_map(|&(k, w)| {
                    let id = self.keys.id(k)?;
                    (self.keys.df(Some(id)) <= max_df).then(|| (w * self.idf_of(Some(id)), k, id))
                })
                .collect();
            q.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            q.truncate(take);
            q
        };
        let tq = query(&doc.features.terms, p.query_terms);
        let eq = query(&doc.features.entities, p.query_entities);
        let mut hits: HashMap<StoryId, u32> = HashMap::new();
        let mut seen_story_ok: HashMap<StoryId, bool> = HashMap::new();
        for &(_, _, id) in tq.iter().chain(eq.iter()) {
            for &slot in self.keys.post(id).iter().rev().take(p.postings_per_key) {
                let s = self.at(slot).story;
                let ok = *seen_story_ok.entry(s).or_insert_with(|| {
                    self.within_window(doc.published, self.agg(s).expect("a live story"))
                });
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
        let st = self.agg(sid)?;
        let f = &doc.features;
        let cos_t = self.cosine(&f.terms, st.terms()).unwrap_or(0.0);
        let cos_e = self.cosine(&f.entities, st.entities());
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
    fn cosine(&self, doc: &[(u64, f32)], story: &[(u32, f32)]) -> Option<f32> {
        let (mut dot, mut nd) = (0.0f32, 0.0f32);
        for &(k, w) in doc {
            let id = self.keys.id(k);
            let idf = self.idf_of(id);
            let x = w * idf;
            nd += x * x;
            if let Some(y) = id.and_then(|id| weight_of(story, id)) {
                dot += x * y * idf;
            }
        }
        let ns: f32 = story
            .iter()
            .map(|&(id, y)| {
                let v = y * self.idf_of(Some(id));
                v * v
            })
            .sum();
        (nd > 0.0 && ns > 0.0).then(|| dot / (nd.sqrt() * ns.sqrt()))
    }

    /// The vetoes: lead facets of each side against all facets of the other.
    fn penalty(&self, f: &Features, st: Agg<'_>) -> f32 {
        let p = &self.params;
        // Both sides name something of the kind, and neither side's lead shares it with the
        // other's text.
        fn disjoint(lead_a: &[u64], all_a: &[u64], lead_b: KeySet, all_b: KeySet) -> bool {
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
            st.lead(CITIES),
            st.all(CITIES),
        ) && (f.lead.areas.is_empty()
            || st.lead(AREAS).is_empty()
            || disjoint(&f.lead.areas, &f.all.areas, st.lead(AREAS), st.all(AREAS)));
        let no_city = f.lead.cities.is_empty() || st.lead(CITIES).is_empty();
        let countries = disjoint(
            &f.lead.countries,
            &f.all.countries,
            st.lead(COUNTRIES),
            st.all(COUNTRIES),
        );
        if cities || (no_city && countries) {
            pen *= p.place_penalty;
        }
        if disjoint(
            &f.lead.people,
            &f.all.people,
            st.lead(PEOPLE),
            st.all(PEOPLE),
        ) {
            pen *= p.people_penalty;
        }
        // Explicit dates: every lead date far from every date on the other side.
        let far = |lead_a: &[i32], b: &[i32]| {
            !lead_a.is_empty()
                && !b.is_empty()
                && lead_a
                    .iter()
                    .all(|d| b.iter().all(|e| (d - e).abs() > p.date_gap_days))
        };
        let dates = |k: KeySet| -> Vec<i32> { k.keys().into_iter().map(date_of).collect() };
        let story_lead = dates(st.lead(DATES));
        let story_all = dates(st.all(DATES));
        if far(&f.lead.dates, &story_all) && far(&story_lead, &f.all.dates) {
            pen *= p.date_penalty;
        }
        pen
    }

    fn insert(&mut self, doc: StoryDoc, story: StoryId) {
        let StoryDoc {
            id,
            outlet,
            published,
            features: f,
        } = doc;
        let slot = match self.free_slots.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        let mut intern = |ws: &[(u64, f32)]| -> Vec<(u32, f32)> {
            let mut v: Vec<(u32, f32)> = ws
                .iter()
                .map(|&(k, w)| {
                    let kid = self.keys.intern(k);
                    self.keys.rows[kid as usize].1.push(slot);
                    (kid, w)
                })
                .collect();
            v.sort_by_key(|t| t.0);
            v
        };
        let terms = intern(&f.terms);
        let entities = intern(&f.entities);
        for v in f.sketch.iter().take(SKETCH_INDEXED) {
            self.bands.add(*v, slot);
        }
        let head = EntryHead {
            id,
            story,
            seq: self.seq + 1,
            published,
            outlet: self.outlets.id(&outlet),
            agency: f
                .agency
                .as_deref()
                .map_or(NO_AGENCY, |a| self.agencies.id(a)),
        };
        let e = Entry::new(head, terms, entities, &f);
        match self.stories.get_mut(&story) {
            None => {
                self.stories.insert(story, Story::of(&e));
            }
            Some(Story::Many(g)) => g.add(&e),
            Some(st @ Story::One(_)) => {
                // The second document: the aggregates as adding both would have built them.
                let Story::One(first) = *st else {
                    unreachable!()
                };
                let mut g = Group::default();
                if let Some(fe) = self
                    .slots
                    .get(&first)
                    .and_then(|&s| self.entries[s as usize].as_ref())
                {
                    g.add(fe);
                }
                g.add(&e);
                *st = Story::Many(Box::new(g));
            }
        }
        self.next_story = self.next_story.max(story.0 + 1);
        self.seq += 1;
        self.entries[slot as usize] = Some(e);
        self.slots.insert(id, slot);
    }

    fn recompute_span(&mut self, sid: StoryId) {
        if let Some(Story::Many(g)) = self.stories.get(&sid) {
            let span = g
                .docs
                .iter()
                .filter_map(|d| self.entry(*d)?.published.map(|t| t.timestamp()))
                .fold(None, |s: Option<(i64, i64)>, t| {
                    Some(s.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
                });
            if let Some(Story::Many(g)) = self.stories.get_mut(&sid) {
                g.span = span;
            }
        }
    }

    fn remove_doc(&mut self, id: DocId) -> Option<StoryId> {
        let slot = self.slots.remove(&id)?;
        let e = self.entries[slot as usize].take()?;
        self.free_slots.push(slot);
        // The story first: its sums are keyed by ids the postings may free below.
        match self.stories.get_mut(&e.story) {
            Some(Story::One(d)) if *d == id => {
                self.stories.remove(&e.story);
            }
            Some(Story::Many(g)) => {
                g.sub(&e);
                if g.docs.is_empty() {
                    self.stories.remove(&e.story);
                } else {
                    self.recompute_span(e.story);
                }
            }
            _ => {}
        }
        for &(kid, _) in e.terms().iter().chain(e.entities()) {
            self.keys.unpost(kid, slot);
        }
        for &bk in e.sketch().iter().take(SKETCH_INDEXED) {
            self.bands.remove(bk, slot);
        }
        Some(e.story)
    }

    /// Moves a document to another story (no re-scoring).
    fn move_doc(&mut self, id: DocId, to: StoryId) {
        if let Some(d) = self.doc(id) {
            self.remove_doc(id);
            self.insert(d, to);
        }
    }

    /// Manual merge: every document of `b` moves into `a`, and each is must-linked to `a`'s
    /// first document (any cannot-link between the two sides is lifted). Returns the merged
    /// story, or None when either story is unknown.
    pub fn merge(&mut self, a: StoryId, b: StoryId) -> Option<StoryId> {
        if a == b {
            return self.stories.contains_key(&a).then_some(a);
        }
        let anchor = *self.stories.get(&a)?.docs().first()?;
        let moved = self.stories.get(&b)?.docs().to_vec();
        let stay = self.stories[&a].docs().to_vec();
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
            .docs()
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
        let mut docs: Vec<&Entry> = self.entries.iter().flatten().collect();
        docs.sort_by_key(|e| e.seq);
        let (must_link, cannot_link) = self.links();
        StoryState {
            params: self.params.clone(),
            docs: docs
                .into_iter()
                .map(|e| (self.unpack(e), e.story))
                .collect(),
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
        let entries = self.entries.capacity() * size_of::<Option<Entry>>()
            + self
                .entries
                .iter()
                .flatten()
                .map(Entry::heap_bytes)
                .sum::<usize>();
        let stories =
            map_bytes(&self.stories) + self.stories.values().map(Story::heap_bytes).sum::<usize>();
        let keys = map_bytes(&self.keys.ids)
            + self.keys.rows.capacity() * size_of::<(u64, Vec<u32>)>()
            + self
                .keys
                .rows
                .iter()
                .map(|r| r.1.capacity() * 4)
                .sum::<usize>();
        map_bytes(&self.slots)
            + entries
            + stories
            + keys
            + self.bands.heap_bytes()
            + self.outlets.heap_bytes()
            + self.agencies.heap_bytes()
    }
}
