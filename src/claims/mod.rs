//! claims (pure): the facts a version asserts — quantities, money, percentages, durations,
//! dates, quotes, people and places — each with a *slot* (what is asserted about what) and a
//! normalised *value*, so versions can be compared fact by fact. See `docs/CLAIMS.md`.
//!
//! The recognisers work on one sentence at a time (quotes and people on the whole document,
//! for multi-sentence quotes and pronouns) and never do I/O; [`extract_claims`] runs them over
//! a version's sentences and builds the claims.

pub mod build;
pub mod dates;
pub mod entities;
pub mod numbers;
pub mod quotes;
pub mod stored;

use std::ops::Range;

pub use build::{
    Claim, DocClaims, HEADLINE, PERSON_AGE, PERSON_HOME, Value, extract_claims,
    is_person_attribute, person_name, with_claims,
};

use serde::{Deserialize, Serialize};

/// What kind of fact a claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Quantity,
    Money,
    Percent,
    Duration,
    Date,
    Quote,
    Person,
    Place,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quantity => "quantity",
            Kind::Money => "money",
            Kind::Percent => "percent",
            Kind::Duration => "duration",
            Kind::Date => "date",
            Kind::Quote => "quote",
            Kind::Person => "person",
            Kind::Place => "place",
        }
    }
}

/// What a counted noun is, so counts of different things are never compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitClass {
    /// countries, nations, states, delegations, allies
    Party,
    /// leaders, presidents, ministers, heads of state
    Leader,
    /// people, civilians, soldiers, passengers, residents, children …
    Person,
    /// seconds … years
    Time,
    Money,
    Percent,
    /// km, miles, metres …
    Distance,
    /// kg, tonnes …
    Weight,
    /// anything else, keyed by its head noun
    Other,
}

/// A number as an interval: "52" is [52, 52]; "about 30" ≈ [25.5, 34.5]; "more than 27" is
/// (27, ∞) stored as [27 + ε, ∞]; "dozens" is [24, 99].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub min: f64,
    pub max: f64,
}

impl Interval {
    pub fn exact(v: f64) -> Self {
        Self { min: v, max: v }
    }
    pub fn is_point(&self) -> bool {
        self.min == self.max
    }
    pub fn overlaps(&self, o: &Interval) -> bool {
        self.min <= o.max && o.min <= self.max
    }
}

/// One number mention in a sentence (see [`numbers::find_numbers`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberMention {
    /// Byte range in the sentence, covering modifiers ("more than 27", "about $4.1 billion").
    pub span: Range<usize>,
    pub text: String,
    pub value: Interval,
    /// A precise figure ("52", "1.2 million", "thirty-five"), not a vague or bounded one.
    pub exact: bool,
    pub kind: NumKind,
    /// The counted noun, lower-case singular ("delegation", "person"), if found.
    pub head: Option<String>,
    pub class: UnitClass,
    /// The role of the counted things when a verb or noun gives one: "killed", "injured",
    /// "arrested", "missing", "evacuated", "voted" … (lower-case).
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NumKind {
    Count,
    /// ISO 4217 code when known ("USD", "EUR", "GBP"), else the symbol as written.
    Money {
        currency: String,
    },
    Percent,
    /// Unit normalised to "seconds" | "minutes" | "hours" | "days" | "weeks" | "months" | "years".
    Duration {
        unit: String,
    },
}

/// One date mention in a sentence (see [`dates::find_dates`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateMention {
    pub span: Range<usize>,
    pub text: String,
    /// The resolved day; `None` when it cannot be resolved (no publication date for a weekday).
    pub date: Option<chrono::NaiveDate>,
    /// The other candidate when no tense cue decides between the previous and the next
    /// occurrence of a weekday (lower confidence).
    pub alt: Option<chrono::NaiveDate>,
    pub time: Option<chrono::NaiveTime>,
    pub confidence: f32,
    /// The event noun the date is about, lower-case ("meeting", "vote", "summit"), if found.
    pub event: Option<String>,
}

/// What the date resolver needs to know about the article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateContext {
    pub published: chrono::DateTime<chrono::FixedOffset>,
}

/// One quotation (see [`quotes::find_quotes`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteMention {
    /// Index of the sentence where the quote starts.
    pub sentence: usize,
    /// Byte range in that sentence (of the quoted text including the marks, or to the
    /// sentence end when the quote continues).
    pub span: Range<usize>,
    /// The quoted words, normalised (straight quotes, single spaces, no outer marks).
    pub text: String,
    /// The speaker as named ("Mayor Ann Lee", "the ministry"), pronouns resolved.
    pub speaker: Option<String>,
}

/// One person (see [`entities::find_people`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonMention {
    pub sentence: usize,
    pub span: Range<usize>,
    /// Full name as first introduced in the document ("John Ellery"); later surname-only
    /// mentions link to it.
    pub name: String,
    /// Title or role as given in this mention, lower-case, without "former"/"acting" …
    /// ("mayor", "chief operating officer"; "CEO" is "chief executive").
    pub role: Option<String>,
    /// The organisation the role is held in, when named ("Wearside" in "Wearside's sporting
    /// director", "Ridgeway Components" in "chief executive of Ridgeway Components"); `None`
    /// for "the firm's", "its" … (the story's own organisation) and when no role is given.
    pub org: Option<String>,
    /// The age this mention gives ("Robert Buckley, 32", "32-year-old Robert Buckley",
    /// "Sharron Smith, age 61", "Ann Lee (47)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Where the person is from, as this mention gives it after an age ("Anthony LaSalle,
    /// 36, of Bloomington"): the usual wire form for victims, suspects and witnesses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// Byte range of the mention with its age and home ("Robert Buckley, 32, of Bristol",
    /// "32-year-old Robert Buckley"): the text of the age and home claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attr_span: Option<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Country,
    Subdivision,
    City,
    /// A town too small for the gazetteer, recognised by its position ("near Stenungsund"):
    /// name as written, no country, lower confidence.
    Town,
}

/// One place (see [`entities::find_places`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub span: Range<usize>,
    pub text: String,
    /// Canonical name ("Kyiv" for "Kiev", "Malmö" for "Malmo"; a town's name as written).
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 of the country it is in (or is).
    pub country: Option<String>,
}
