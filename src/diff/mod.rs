//! diff (pure): old version × new version → field changes, sentence alignment
//! (added / removed / edited / moved), word diff inside edited sentences, and a significance.
//!
//! Alignment: versions are split into sentences (paragraph boundaries are ignored, so a
//! paragraph re-split is no change; runs of sentences whose text is identical once whitespace
//! is ignored but cut differently — paragraphs merged without a full stop — are no change
//! either); identical sentences are aligned with a patience diff;
//! an identical sentence removed in one place and added in another is *moved*; remaining
//! removed/added sentences are paired as *edited* when their word-multiset Dice coefficient is
//! ≥ 0.5, best pairs first, only within ±10 sentences of where the old sentence would sit in
//! the new version (so the pairing is O(n) in article length).
//!
//! Significance (`factual` is only ever set by the claims layer):
//! - `cosmetic` when every change is cosmetic: whitespace, punctuation, letter case, typo
//!   fixes (see [`is_cosmetic_change`]), paragraph re-splits, and re-ordering — a moved sentence
//!   is text that is still there word for word, so moves alone never make a diff `wording`;
//!   changes of `modified`, and of `published` within the same calendar day (CMSs bump these;
//!   they are reported in `fields` but do not raise the significance); a headline or byline
//!   change that is itself cosmetic (e.g. title-casing).
//! - `wording` otherwise: any sentence added or removed, any non-cosmetic edit (a digit, a
//!   word added/removed/replaced), a headline/byline wording change, a `published` date moved
//!   to another day.

mod align;
mod render;
mod sentences;

use serde::{Deserialize, Serialize};

use crate::extract::Article;

pub use align::{is_cosmetic_change, word_diff};
pub use render::render_text;
pub use sentences::{Sentence, split_sentences, split_sentences_lang};

/// How much a new version matters. Ordered: `Cosmetic < Wording < Factual`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Significance {
    #[default]
    Cosmetic,
    Wording,
    /// Set by the claims layer when a claim changed; never produced by this module.
    Factual,
}

impl Significance {
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::Cosmetic => "cosmetic",
            Significance::Wording => "wording",
            Significance::Factual => "factual",
        }
    }
}

/// Article metadata fields that are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Headline,
    /// The metadata headline (`og:title`, JSON-LD): a change is wording, never a fact.
    Title,
    Byline,
    Published,
    Modified,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Headline => "headline",
            Field::Title => "title",
            Field::Byline => "byline",
            Field::Published => "published",
            Field::Modified => "modified",
        }
    }
}

/// A metadata change. Bylines are joined with `", "`, dates are RFC 3339; `null` = absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub before: Option<String>,
    pub after: Option<String>,
    pub cosmetic: bool,
}

/// One entry of the ordered change list (reading order of the new version; removed sentences
/// where they used to be). `para` indexes `paragraphs` of the new version (of the old one for
/// `removed`); `old_para` is the paragraph in the old version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum SentenceChange {
    Added {
        para: usize,
        text: String,
    },
    Removed {
        para: usize,
        text: String,
    },
    Edited {
        para: usize,
        old_para: usize,
        before: String,
        after: String,
        words: Vec<WordChange>,
        cosmetic: bool,
    },
    Moved {
        para: usize,
        old_para: usize,
        text: String,
    },
}

/// One run of a word diff; see [`word_diff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordChange {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Equal,
    Insert,
    Delete,
}

/// Sentence counts. `unchanged + edited + moved + added` = sentences of the new version;
/// `unchanged + edited + moved + removed` = sentences of the old version unless some text was
/// only cut into sentences differently (`unchanged` counts the new version's sentences).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiffStats {
    pub added: usize,
    pub removed: usize,
    pub edited: usize,
    pub moved: usize,
    pub unchanged: usize,
}

/// Everything that changed between two versions of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VersionDiff {
    pub significance: Significance,
    pub fields: Vec<FieldChange>,
    pub sentences: Vec<SentenceChange>,
    pub stats: DiffStats,
}

impl VersionDiff {
    /// No change at all (not even a cosmetic one).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.sentences.is_empty()
    }
}

/// Diffs two versions of one article. Both are split with the new version's language (falling
/// back to the old one's) so a changed `lang` cannot re-split unchanged text. Both are compared
/// normalised ([`Article::normalized`]): a version stored with straightened quotes and one
/// keeping the page's curly ones differ only where the words do.
pub fn diff_articles(old: &Article, new: &Article) -> VersionDiff {
    let (old, new) = (&old.normalized(), &new.normalized());
    let lang = new.lang.as_deref().or(old.lang.as_deref());
    let old_sentences = split_sentences_lang(&old.paragraphs, lang);
    let new_sentences = split_sentences_lang(&new.paragraphs, lang);
    let (sentences, stats) = align::align(&old_sentences, &new_sentences);
    let fields = field_changes(old, new);
    let wording = fields.iter().any(|f| !f.cosmetic)
        || sentences.iter().any(|c| match c {
            SentenceChange::Added { .. } | SentenceChange::Removed { .. } => true,
            SentenceChange::Edited { cosmetic, .. } => !cosmetic,
            SentenceChange::Moved { .. } => false,
        });
    VersionDiff {
        significance: if wording {
            Significance::Wording
        } else {
            Significance::Cosmetic
        },
        fields,
        sentences,
        stats,
    }
}

fn field_changes(old: &Article, new: &Article) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(sentences::collapse_whitespace)
            .filter(|s| !s.is_empty())
    };
    let (before, after) = (text(&old.headline), text(&new.headline));
    if before != after {
        let cosmetic = matches!((&before, &after), (Some(a), Some(b)) if is_cosmetic_change(a, b));
        out.push(FieldChange {
            field: Field::Headline,
            before,
            after,
            cosmetic,
        });
    }

    // A title appearing where an older stored version had none is the extractor learning a
    // field, not the page changing.
    if old.title.is_some() {
        let (before, after) = (text(&old.title), text(&new.title));
        if before != after {
            let cosmetic =
                matches!((&before, &after), (Some(a), Some(b)) if is_cosmetic_change(a, b));
            out.push(FieldChange {
                field: Field::Title,
                before,
                after,
                cosmetic,
            });
        }
    }

    let names = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|s| sentences::collapse_whitespace(s))
            .filter(|s| !s.is_empty())
            .collect()
    };
    let (before, after) = (names(&old.byline), names(&new.byline));
    if before != after {
        let mut sorted = (before.clone(), after.clone());
        sorted.0.sort();
        sorted.1.sort();
        let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join(", "));
        let cosmetic = !before.is_empty()
            && !after.is_empty()
            && (sorted.0 == sorted.1 || is_cosmetic_change(&before.join(", "), &after.join(", ")));
        out.push(FieldChange {
            field: Field::Byline,
            before: join(before),
            after: join(after),
            cosmetic,
        });
    }

    for (field, before, after) in [
        (Field::Published, old.published, new.published),
        (Field::Modified, old.modified, new.modified),
    ] {
        // DateTime equality compares instants: a re-stated offset is no change.
        if before != after {
            let cosmetic = match (field, before, after) {
                (Field::Published, Some(a), Some(b)) => a.date_naive() == b.date_naive(),
                (Field::Published, _, _) => false,
                _ => true,
            };
            out.push(FieldChange {
                field,
                before: before.map(|d| d.to_rfc3339()),
                after: after.map(|d| d.to_rfc3339()),
                cosmetic,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn article(headline: &str, paragraphs: &[&str]) -> Article {
        Article {
            headline: Some(headline.into()),
            byline: vec!["Ann Writer".into()],
            lang: Some("en".into()),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            method: "test".into(),
            confidence: 1.0,
            ..Article::default()
        }
    }

    const P1: &str = "A storm hit the coast on Monday. Officials said 40 people died.";
    const P2: &str = "Mr. Smith, the mayor, asked residents to stay home. Roads were closed.";
    const P3: &str = "Power was restored by evening. Schools will reopen on Thursday.";

    fn base() -> Article {
        article("Storm hits coast", &[P1, P2, P3])
    }

    #[test]
    fn identical_is_empty() {
        let d = diff_articles(&base(), &base());
        assert!(d.is_empty());
        assert_eq!(d.significance, Significance::Cosmetic);
        assert_eq!(d.stats.unchanged, 6);
    }

    #[test]
    fn number_change_is_a_wording_edit() {
        let mut new = base();
        new.paragraphs[0] = P1.replace("40", "52");
        let d = diff_articles(&base(), &new);
        assert_eq!(d.significance, Significance::Wording);
        assert_eq!(d.stats.edited, 1);
        assert_eq!(d.sentences.len(), 1);
        let SentenceChange::Edited {
            para,
            words,
            cosmetic,
            before,
            after,
            ..
        } = &d.sentences[0]
        else {
            panic!("{:?}", d.sentences)
        };
        assert_eq!((*para, *cosmetic), (0, false));
        assert_eq!(before, "Officials said 40 people died.");
        assert_eq!(after, "Officials said 52 people died.");
        let changed: Vec<_> = words
            .iter()
            .filter(|w| w.op != WordOp::Equal)
            .map(|w| (w.op, w.text.as_str()))
            .collect();
        assert_eq!(changed, [(WordOp::Delete, "40"), (WordOp::Insert, "52")]);
    }

    #[test]
    fn headline_change() {
        let mut new = base();
        new.headline = Some("Storm kills 52 on coast".into());
        let d = diff_articles(&base(), &new);
        assert_eq!(d.significance, Significance::Wording);
        assert!(d.sentences.is_empty());
        assert_eq!(
            d.fields,
            [FieldChange {
                field: Field::Headline,
                before: Some("Storm hits coast".into()),
                after: Some("Storm kills 52 on coast".into()),
                cosmetic: false,
            }]
        );
        new.headline = Some("Storm Hits Coast".into());
        let d = diff_articles(&base(), &new);
        assert_eq!(
            (d.fields.len(), d.significance),
            (1, Significance::Cosmetic)
        );
    }

    #[test]
    fn metadata_title_is_a_wording_field_and_learning_it_is_no_change() {
        let mut old = base();
        let mut new = old.clone();
        new.title = Some("Floods sweep the valley, 40 dead".into());
        // a version stored before titles were extracted has none: no change
        assert!(diff_articles(&old, &new).is_empty());
        old.title = Some("Floods sweep the valley".into());
        let d = diff_articles(&old, &new);
        assert_eq!(d.fields.len(), 1);
        assert_eq!(
            (d.fields[0].field, d.significance),
            (Field::Title, Significance::Wording)
        );
    }

    #[test]
    fn byline_and_dates() {
        let mut old = base();
        old.published = Some(DateTime::parse_from_rfc3339("2024-10-14T09:00:00-04:00").unwrap());
        old.modified = old.published;
        let mut new = old.clone();
        // Same instants in another offset: no change.
        new.published = Some(DateTime::parse_from_rfc3339("2024-10-14T13:00:00Z").unwrap());
        assert!(diff_articles(&old, &new).is_empty());
        new.modified = Some(DateTime::parse_from_rfc3339("2024-10-14T15:00:00Z").unwrap());
        let d = diff_articles(&old, &new);
        assert_eq!(
            (d.fields[0].field, d.significance),
            (Field::Modified, Significance::Cosmetic)
        );
        new.published = Some(DateTime::parse_from_rfc3339("2024-10-13T09:00:00-04:00").unwrap());
        assert_eq!(
            diff_articles(&old, &new).significance,
            Significance::Wording
        );
        let mut new = old.clone();
        new.byline = vec!["Ann Writer".into(), "Bo Reporter".into()];
        let d = diff_articles(&old, &new);
        assert_eq!(
            d.fields[0].after.as_deref(),
            Some("Ann Writer, Bo Reporter")
        );
        assert_eq!(d.significance, Significance::Wording);
    }

    #[test]
    fn sentence_added_and_removed() {
        let mut new = base();
        new.paragraphs[1] = format!("{P2} A shelter opened downtown.");
        new.paragraphs[2] = "Schools will reopen on Thursday.".into();
        let d = diff_articles(&base(), &new);
        assert_eq!(d.significance, Significance::Wording);
        // Adjacent removal and addition: the removal is listed first, as in a unified diff.
        assert_eq!(
            d.sentences,
            [
                SentenceChange::Removed {
                    para: 2,
                    text: "Power was restored by evening.".into()
                },
                SentenceChange::Added {
                    para: 1,
                    text: "A shelter opened downtown.".into()
                },
            ]
        );
        assert_eq!(
            (d.stats.added, d.stats.removed, d.stats.unchanged),
            (1, 1, 5)
        );
    }

    #[test]
    fn moved_paragraph_is_cosmetic() {
        let new = article("Storm hits coast", &[P2, P3, P1]);
        let d = diff_articles(&base(), &new);
        assert_eq!(d.stats.moved, 2);
        assert_eq!(d.stats.unchanged, 4);
        assert!(d.sentences.iter().all(|c| matches!(
            c,
            SentenceChange::Moved {
                para: 2,
                old_para: 0,
                ..
            }
        )));
        assert_eq!(d.significance, Significance::Cosmetic);
    }

    #[test]
    fn paragraph_resplit_is_no_change() {
        let joined = format!("{P1} {P2}");
        let new = article(
            "Storm hits coast",
            &[
                &joined,
                "Power was restored by evening.",
                "",
                "Schools will reopen on Thursday.",
            ],
        );
        let d = diff_articles(&base(), &new);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn merged_paragraphs_without_full_stop_are_no_change() {
        let old = article(
            "t",
            &["Live updates", "Storm hits the coast. More soon.", "End"],
        );
        let new = article(
            "t",
            &["Live updates Storm hits the coast.", "More soon. End"],
        );
        let d = diff_articles(&old, &new);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(d.stats.unchanged, 3);
        // A real edit next to a re-cut is still reported.
        let new = article(
            "t",
            &["Live updates Storm hits the coast.", "More later. End"],
        );
        let d = diff_articles(&old, &new);
        assert_eq!(
            (d.stats.edited, d.stats.added + d.stats.removed),
            (1, 0),
            "{d:?}"
        );
    }

    #[test]
    fn punctuation_only_is_cosmetic() {
        let mut new = base();
        new.paragraphs[1] = P2.replace("Mr. Smith, the mayor,", "Mr. Smith - the mayor -");
        let d = diff_articles(&base(), &new);
        assert_eq!(d.stats.edited, 1);
        assert!(matches!(
            d.sentences[0],
            SentenceChange::Edited { cosmetic: true, .. }
        ));
        assert_eq!(d.significance, Significance::Cosmetic);
    }

    #[test]
    fn typo_fix_is_cosmetic() {
        let old = article("t", &["The goverment said roads were closed."]);
        let new = article("t", &["The government said roads were closed."]);
        let d = diff_articles(&old, &new);
        assert_eq!(
            (d.stats.edited, d.significance),
            (1, Significance::Cosmetic)
        );
        let new = article("t", &["The government said roads were not closed."]);
        assert_eq!(
            diff_articles(&old, &new).significance,
            Significance::Wording
        );
    }

    #[test]
    fn thousand_sentences_is_fast() {
        let para = |i: usize, tag: &str| {
            format!(
                "Report {i} {tag} says the council met on day {}. Item {i} was approved by {} votes.",
                i % 31,
                i % 17
            )
        };
        let old: Vec<String> = (0..500).map(|i| para(i, "alpha")).collect();
        // Every paragraph touched: a fully rewritten article is the worst case for pairing.
        let new: Vec<String> = (0..500).map(|i| para(i + 7, "beta")).collect();
        let (old, new) = (
            article("h", &old.iter().map(String::as_str).collect::<Vec<_>>()),
            article("h", &new.iter().map(String::as_str).collect::<Vec<_>>()),
        );
        let start = std::time::Instant::now();
        let d = diff_articles(&old, &new);
        let elapsed = start.elapsed();
        let s = d.stats;
        assert_eq!(s.unchanged + s.edited + s.moved + s.removed, 1000);
        assert_eq!(s.unchanged + s.edited + s.moved + s.added, 1000);
        assert!(elapsed.as_secs_f64() < 5.0, "{elapsed:?}");
    }

    #[test]
    fn serde_round_trip() {
        let mut new = base();
        new.headline = Some("Storm kills 52".into());
        new.paragraphs[0] = P1.replace("40", "52");
        new.paragraphs.push("A new closing line.".into());
        let mut d = diff_articles(&base(), &new);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["significance"], "wording");
        assert_eq!(json["fields"][0]["field"], "headline");
        assert_eq!(json["sentences"][0]["op"], "edited");
        assert_eq!(json["sentences"][0]["words"][1]["op"], "delete");
        assert_eq!(json["sentences"][1]["op"], "added");
        assert_eq!(json["stats"]["added"], 1);
        let back: VersionDiff = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
        d.significance = Significance::Factual;
        assert!(serde_json::to_string(&d).unwrap().contains("\"factual\""));
        let empty: VersionDiff = serde_json::from_str("{}").unwrap();
        assert!(empty.is_empty());
    }
}
