//! The story index's per-document and per-story records, shaped for memory: a daemon holds
//! every article of the story window (tens of thousands), nearly every story is one article,
//! and at 100,000 articles each byte per article is 100 KB.
//!
//! * [`Entry`]: a document's weights in one boxed slice and its facets and sketch in another
//!   (two allocations, not fourteen), its outlet and agency interned.
//! * [`Story::One`]: a story that has only ever had one document keeps no aggregates: its
//!   sums and facet counts would repeat the document's own weights and facets, so they are
//!   read from its entry ([`Agg`]). The second document turns it into [`Story::Many`] with
//!   the same aggregates the sums would have had (built by the same additions), so scores do
//!   not move.
//! * [`Bands`]: a sketch value's postings in 16 bytes when it belongs to one text (most).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{DocId, Facets, Features, StoryId};

/// Facet kinds, in the order each side's parts are stored.
pub(super) const CITIES: usize = 0;
pub(super) const AREAS: usize = 1;
pub(super) const COUNTRIES: usize = 2;
pub(super) const PEOPLE: usize = 3;
pub(super) const DATES: usize = 4;
const KINDS: usize = 5;

/// Dates (days from the common era) are kept among the u64 keys.
fn date_key(d: i32) -> u64 {
    d as i64 as u64
}

pub(super) fn date_of(k: u64) -> i32 {
    k as i64 as i32
}

fn parts_of(f: &Facets) -> [Vec<u64>; KINDS] {
    [
        f.cities.clone(),
        f.areas.clone(),
        f.countries.clone(),
        f.people.clone(),
        f.dates.iter().map(|&d| date_key(d)).collect(),
    ]
}

/// Names (outlets, agencies) interned to 32-bit ids: few distinct, one per document.
#[derive(Debug, Clone, Default)]
pub(super) struct Names {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Names {
    pub(super) fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        let name: Box<str> = name.into();
        self.names.push(name.clone());
        self.ids.insert(name, id);
        id
    }
    pub(super) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
    pub(super) fn heap_bytes(&self) -> usize {
        self.names.iter().map(|n| 2 * n.len() + 40).sum()
    }
}

/// No agency named.
pub(super) const NO_AGENCY: u32 = u32::MAX;

/// A document as held: interned keys, outlet and agency, two boxed slices.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) id: DocId,
    pub(super) story: StoryId,
    /// Insertion order (for snapshots and wire-copy ties).
    pub(super) seq: u64,
    pub(super) published: Option<DateTime<Utc>>,
    /// Terms then entities: (key id, weight), each part sorted by key id.
    weights: Box<[(u32, f32)]>,
    n_terms: u32,
    /// The lead's facet kinds, the whole text's, then the sketch.
    keys: Box<[u64]>,
    /// Where each facet part ends in `keys` (the sketch is the rest).
    ends: [u32; 2 * KINDS],
    pub(super) outlet: u32,
    /// Interned agency, or [`NO_AGENCY`].
    pub(super) agency: u32,
}

/// What [`Entry::new`] takes besides the features' keys.
pub(super) struct EntryHead {
    pub(super) id: DocId,
    pub(super) story: StoryId,
    pub(super) seq: u64,
    pub(super) published: Option<DateTime<Utc>>,
    pub(super) outlet: u32,
    pub(super) agency: u32,
}

impl Entry {
    /// `terms` and `entities` are already interned (and sorted by key id).
    pub(super) fn new(
        head: EntryHead,
        terms: Vec<(u32, f32)>,
        entities: Vec<(u32, f32)>,
        f: &Features,
    ) -> Self {
        let n_terms = terms.len() as u32;
        let mut weights = terms;
        weights.extend(entities);
        let mut keys = Vec::new();
        let mut ends = [0u32; 2 * KINDS];
        let parts = parts_of(&f.lead).into_iter().chain(parts_of(&f.all));
        for (i, p) in parts.enumerate() {
            keys.extend(p);
            ends[i] = keys.len() as u32;
        }
        keys.extend_from_slice(&f.sketch);
        Entry {
            id: head.id,
            story: head.story,
            seq: head.seq,
            published: head.published,
            weights: weights.into_boxed_slice(),
            n_terms,
            keys: keys.into_boxed_slice(),
            ends,
            outlet: head.outlet,
            agency: head.agency,
        }
    }
    pub(super) fn terms(&self) -> &[(u32, f32)] {
        &self.weights[..self.n_terms as usize]
    }
    pub(super) fn entities(&self) -> &[(u32, f32)] {
        &self.weights[self.n_terms as usize..]
    }
    fn part(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.keys[start..self.ends[i] as usize]
    }
    /// One facet kind of the headline and lead.
    pub(super) fn lead(&self, kind: usize) -> &[u64] {
        self.part(kind)
    }
    /// One facet kind of the whole text.
    pub(super) fn all(&self, kind: usize) -> &[u64] {
        self.part(KINDS + kind)
    }
    pub(super) fn sketch(&self) -> &[u64] {
        &self.keys[self.ends[2 * KINDS - 1] as usize..]
    }
    /// The facets of one side as added.
    pub(super) fn facets(&self, lead: bool) -> Facets {
        let at = if lead { 0 } else { KINDS };
        Facets {
            cities: self.part(at + CITIES).to_vec(),
            areas: self.part(at + AREAS).to_vec(),
            countries: self.part(at + COUNTRIES).to_vec(),
            people: self.part(at + PEOPLE).to_vec(),
            dates: self.part(at + DATES).iter().map(|&k| date_of(k)).collect(),
        }
    }
    /// Every list sorted, weights by strictly increasing key id: a story of this document
    /// alone can then be read from it as [`Story::One`] (binary searches, and the same sums).
    fn canonical(&self) -> bool {
        let strict = |w: &[(u32, f32)]| w.windows(2).all(|p| p[0].0 < p[1].0);
        strict(self.terms())
            && strict(self.entities())
            && (0..2 * KINDS).all(|i| self.part(i).is_sorted())
    }
    pub(super) fn heap_bytes(&self) -> usize {
        self.weights.len() * 8 + self.keys.len() * 8
    }
}

/// Occurrence counts of keys (a story's places, people, dates), sorted by key.
#[derive(Debug, Clone, Default)]
struct Counts(Vec<(u64, u32)>);

impl Counts {
    fn add(&mut self, ks: &[u64]) {
        for k in ks {
            match self.0.binary_search_by(|e| e.0.cmp(k)) {
                Ok(i) => self.0[i].1 += 1,
                Err(i) => self.0.insert(i, (*k, 1)),
            }
        }
    }
    fn sub(&mut self, ks: &[u64]) {
        for k in ks {
            if let Ok(i) = self.0.binary_search_by(|e| e.0.cmp(k)) {
                self.0[i].1 -= 1;
                if self.0[i].1 == 0 {
                    self.0.remove(i);
                }
            }
        }
        if self.0.capacity() > 2 * self.0.len() + 4 {
            self.0.shrink_to_fit();
        }
    }
}

/// Summed weights of a story's members per key id, sorted by id.
#[derive(Debug, Clone, Default)]
struct Sums(Vec<(u32, f32)>);

impl Sums {
    fn add(&mut self, ws: &[(u32, f32)]) {
        for &(id, w) in ws {
            match self.0.binary_search_by(|e| e.0.cmp(&id)) {
                Ok(i) => self.0[i].1 += w,
                Err(i) => self.0.insert(i, (id, w)),
            }
        }
    }
    fn sub(&mut self, ws: &[(u32, f32)]) {
        for &(id, w) in ws {
            if let Ok(i) = self.0.binary_search_by(|e| e.0.cmp(&id)) {
                self.0[i].1 -= w;
                if self.0[i].1 <= 1e-6 {
                    self.0.remove(i);
                }
            }
        }
        if self.0.capacity() > 2 * self.0.len() + 4 {
            self.0.shrink_to_fit();
        }
    }
}

/// The aggregates of a story that has had two documents or more.
#[derive(Debug, Clone, Default)]
pub(super) struct Group {
    pub(super) docs: Vec<DocId>,
    terms: Sums,
    entities: Sums,
    /// Lead facet counts by kind, then the whole text's.
    facets: [Counts; 2 * KINDS],
    /// Time span of the dated members (Unix seconds).
    pub(super) span: Option<(i64, i64)>,
}

impl Group {
    pub(super) fn add(&mut self, e: &Entry) {
        self.docs.push(e.id);
        self.terms.add(e.terms());
        self.entities.add(e.entities());
        for (i, c) in self.facets.iter_mut().enumerate() {
            c.add(e.part(i));
        }
        if let Some(t) = e.published.map(|t| t.timestamp()) {
            self.span = Some(self.span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
        }
    }
    /// Takes the document's aggregates out (the span is the caller's: it needs the others).
    pub(super) fn sub(&mut self, e: &Entry) {
        self.docs.retain(|d| *d != e.id);
        self.terms.sub(e.terms());
        self.entities.sub(e.entities());
        for (i, c) in self.facets.iter_mut().enumerate() {
            c.sub(e.part(i));
        }
    }
    fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Group>()
            + self.docs.capacity() * 8
            + (self.terms.0.capacity() + self.entities.0.capacity()) * 8
            + self
                .facets
                .iter()
                .map(|c| c.0.capacity() * 16)
                .sum::<usize>()
    }
}

/// A story: one document's own, or the aggregates of several.
#[derive(Debug, Clone)]
pub(super) enum Story {
    /// Has only ever had this document (a canonical one: [`Entry::canonical`]).
    One(DocId),
    Many(Box<Group>),
}

impl Story {
    /// The story `e` opens: [`Story::One`] unless its lists need the general aggregates.
    pub(super) fn of(e: &Entry) -> Self {
        if e.canonical() {
            Story::One(e.id)
        } else {
            let mut g = Group::default();
            g.add(e);
            Story::Many(Box::new(g))
        }
    }
    pub(super) fn docs(&self) -> &[DocId] {
        match self {
            Story::One(d) => std::slice::from_ref(d),
            Story::Many(g) => &g.docs,
        }
    }
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Story::One(_) => 0,
            Story::Many(g) => g.heap_bytes(),
        }
    }
}

/// A story's aggregates as scoring reads them.
#[derive(Clone, Copy)]
pub(super) enum Agg<'a> {
    One(&'a Entry),
    Many(&'a Group),
}

impl<'a> Agg<'a> {
    pub(super) fn terms(self) -> &'a [(u32, f32)] {
        match self {
            Agg::One(e) => e.terms(),
            Agg::Many(g) => &g.terms.0,
        }
    }
    pub(super) fn entities(self) -> &'a [(u32, f32)] {
        match self {
            Agg::One(e) => e.entities(),
            Agg::Many(g) => &g.entities.0,
        }
    }
    pub(super) fn lead(self, kind: usize) -> KeySet<'a> {
        match self {
            Agg::One(e) => KeySet::Plain(e.lead(kind)),
            Agg::Many(g) => KeySet::Counted(&g.facets[kind].0),
        }
    }
    pub(super) fn all(self, kind: usize) -> KeySet<'a> {
        match self {
            Agg::One(e) => KeySet::Plain(e.all(kind)),
            Agg::Many(g) => KeySet::Counted(&g.facets[KINDS + kind].0),
        }
    }
    pub(super) fn span(self) -> Option<(i64, i64)> {
        match self {
            Agg::One(e) => e.published.map(|t| (t.timestamp(), t.timestamp())),
            Agg::Many(g) => g.span,
        }
    }
}

/// The weight of key `id` in a list sorted by key id.
pub(super) fn weight_of(ws: &[(u32, f32)], id: u32) -> Option<f32> {
    ws.binary_search_by(|e| e.0.cmp(&id)).ok().map(|i| ws[i].1)
}

/// A sorted set of facet keys: a story's counts, or one document's list.
#[derive(Clone, Copy)]
pub(super) enum KeySet<'a> {
    Counted(&'a [(u64, u32)]),
    Plain(&'a [u64]),
}

impl KeySet<'_> {
    pub(super) fn has(&self, k: &u64) -> bool {
        match self {
            KeySet::Counted(c) => c.binary_search_by(|e| e.0.cmp(k)).is_ok(),
            KeySet::Plain(p) => p.binary_search(k).is_ok(),
        }
    }
    pub(super) fn is_empty(&self) -> bool {
        match self {
            KeySet::Counted(c) => c.is_empty(),
            KeySet::Plain(p) => p.is_empty(),
        }
    }
    pub(super) fn keys(&self) -> Vec<u64> {
        match self {
            KeySet::Counted(c) => c.iter().map(|e| e.0).collect(),
            KeySet::Plain(p) => p.to_vec(),
        }
    }
}

/// Top bit of a [`Bands`] value: the rest indexes `lists`.
const LISTED: u32 = 1 << 31;

/// MinHash sketch value → document slots. A value held by one text (nearly all) is stored
/// inline: 16 bytes a value instead of 32 for a map of vectors.
#[derive(Debug, Clone, Default)]
pub(super) struct Bands {
    map: HashMap<u64, u32>,
    lists: Vec<Vec<u32>>,
    free: Vec<u32>,
}

impl Bands {
    #[cfg(test)]
    pub(super) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub(super) fn get(&self, v: u64) -> &[u32] {
        match self.map.get(&v) {
            None => &[],
            Some(s) if s & LISTED != 0 => &self.lists[(s & !LISTED) as usize],
            Some(s) => std::slice::from_ref(s),
        }
    }
    pub(super) fn add(&mut self, v: u64, slot: u32) {
        debug_assert!(slot < LISTED, "slots stay below 2^31");
        match self.map.get(&v).copied() {
            None => {
                self.map.insert(v, slot);
            }
            Some(s) if s & LISTED != 0 => self.lists[(s & !LISTED) as usize].push(slot),
            Some(one) => {
                let l = match self.free.pop() {
                    Some(l) => {
                        self.lists[l as usize] = vec![one, slot];
                        l
                    }
                    None => {
                        self.lists.push(vec![one, slot]);
                        (self.lists.len() - 1) as u32
                    }
                };
                self.map.insert(v, l | LISTED);
            }
        }
    }
    pub(super) fn remove(&mut self, v: u64, slot: u32) {
        match self.map.get(&v).copied() {
            Some(s) if s & LISTED != 0 => {
                let l = (s & !LISTED) as usize;
                let list = &mut self.lists[l];
                list.retain(|d| *d != slot);
                match list[..] {
                    [] => {
                        self.map.remove(&v);
                    }
                    [one] => {
                        self.map.insert(v, one);
                    }
                    _ => return,
                }
                self.lists[l] = Vec::new();
                self.free.push(l as u32);
            }
            Some(s) if s == slot => {
                self.map.remove(&v);
            }
            _ => {}
        }
    }
    pub(super) fn heap_bytes(&self) -> usize {
        self.map.capacity() * 17
            + self.lists.capacity() * 24
            + self.lists.iter().map(|l| l.capacity() * 4).sum::<usize>()
            + self.free.capacity() * 4
    }
}
