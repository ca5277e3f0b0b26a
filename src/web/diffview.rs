//! Two versions of an article as rows for a side-by-side or inline view (pure).
//!
//! [`crate::diff`] lists only the changes, in reading order of the new version with removed
//! sentences where they used to be. The view walks the new version's sentences and threads
//! the changes through them, so unchanged text is shown as context around each change. Words
//! are marked from the word diff, and the values of changed facts are highlighted on top.

use serde::Serialize;

use crate::compare::FactChange;
use crate::diff::{self, SentenceChange, VersionDiff, WordOp};
use crate::extract::Article;

/// A run of text with its role; templates escape `text` and use `class` as a CSS class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seg {
    pub text: String,
    /// "" plain, "del" deleted words, "ins" inserted words; a changed value is "fact", "fact
    /// del" or "fact ins".
    pub class: &'static str,
}

/// One row: the old side, the new side, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// same | edited | added | removed | moved
    pub op: &'static str,
    pub old: Vec<Seg>,
    pub new: Vec<Seg>,
    /// Both sides in one run (deleted and inserted words in place), for the inline view.
    pub inline: Vec<Seg>,
    /// 1-based paragraph of the new version (of the old one for removed sentences).
    pub para: usize,
    /// For moved sentences: the 1-based paragraph it came from.
    pub from_para: Option<usize>,
    pub cosmetic: bool,
}

fn plain(text: &str) -> Vec<Seg> {
    vec![Seg {
        text: text.to_string(),
        class: "",
    }]
}

/// Splits the segments of `segs` whose class is in `classes` where one of `values` occurs as
/// whole words, marking the occurrence as a fact (values are the before/after texts of
/// changed facts).
pub fn highlight(segs: Vec<Seg>, values: &[&str], classes: &[&str]) -> Vec<Seg> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    let mut out = segs;
    for v in values.iter().filter(|v| !v.is_empty()) {
        let mut next = Vec::with_capacity(out.len());
        for s in out {
            if !classes.contains(&s.class) {
                next.push(s);
                continue;
            }
            let mark = match s.class {
                "del" => "fact del",
                "ins" => "fact ins",
                _ => "fact",
            };
            let text = s.text.as_str();
            let mut last = 0;
            for (i, _) in text.match_indices(*v) {
                let end = i + v.len();
                if i < last
                    || !boundary(text[..i].chars().next_back())
                    || !boundary(text[end..].chars().next())
                {
                    continue;
                }
                if i > last {
                    next.push(Seg {
                        text: text[last..i].to_string(),
                        class: s.class,
                    });
                }
                next.push(Seg {
                    text: v.to_string(),
                    class: mark,
                });
                last = end;
            }
            if last < text.len() {
                next.push(Seg {
                    text: text[last..].to_string(),
                    class: s.class,
                });
            }
        }
        out = next;
    }
    out
}

/// The two sides of an edited sentence from its word diff.
fn word_sides(words: &[diff::WordChange]) -> (Vec<Seg>, Vec<Seg>) {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for w in words {
        let seg = |class| Seg {
            text: w.text.clone(),
            class,
        };
        match w.op {
            WordOp::Equal => {
                old.push(seg(""));
                new.push(seg(""));
            }
            WordOp::Delete => old.push(seg("del")),
            WordOp::Insert => new.push(seg("ins")),
        }
    }
    (old, new)
}

fn change_row(c: &SentenceChange) -> Row {
    match c {
        SentenceChange::Added { para, text } => Row {
            op: "added",
            old: vec![],
            new: vec![Seg {
                text: text.clone(),
                class: "ins",
            }],
            inline: vec![Seg {
                text: text.clone(),
                class: "ins",
            }],
            para: para + 1,
            from_para: None,
            cosmetic: false,
        },
        SentenceChange::Removed { para, text } => Row {
            op: "removed",
            old: vec![Seg {
                text: text.clone(),
                class: "del",
            }],
            new: vec![],
            inline: vec![Seg {
                text: text.clone(),
                class: "del",
            }],
            para: para + 1,
            from_para: None,
            cosmetic: false,
        },
        SentenceChange::Edited {
            para,
            words,
            cosmetic,
            ..
        } => {
            let (old, new) = word_sides(words);
            let inline = words
                .iter()
                .map(|w| Seg {
                    text: w.text.clone(),
                    class: match w.op {
                        WordOp::Equal => "",
                        WordOp::Delete => "del",
                        WordOp::Insert => "ins",
                    },
                })
                .collect();
            Row {
                op: "edited",
                old,
                new,
                inline,
                para: para + 1,
                from_para: None,
                cosmetic: *cosmetic,
            }
        }
        SentenceChange::Moved {
            para,
            old_para,
            text,
        } => Row {
            op: "moved",
            old: plain(text),
            new: plain(text),
            inline: plain(text),
            para: para + 1,
            from_para: Some(old_para + 1),
            cosmetic: true,
        },
    }
}

/// The text a change shows in the new version, if any.
fn new_text(c: &SentenceChange) -> Option<&str> {
    match c {
        SentenceChange::Added { text, .. } | SentenceChange::Moved { text, .. } => Some(text),
        SentenceChange::Edited { after, .. } => Some(after),
        SentenceChange::Removed { .. } => None,
    }
}

/// Every sentence of `new` as a row, with the changes of `d` threaded in; `facts` values are
/// highlighted on the side they belong to.
pub fn rows(new: &Article, d: &VersionDiff, facts: &[FactChange]) -> Vec<Row> {
    let sentences = diff::split_sentences_lang(&new.paragraphs, new.lang.as_deref());
    let before: Vec<&str> = facts
        .iter()
        .filter_map(|f| f.before.as_ref().map(|s| s.text.as_str()))
        .collect();
    let after: Vec<&str> = facts
        .iter()
        .filter_map(|f| f.after.as_ref().map(|s| s.text.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut changes = d.sentences.iter().peekable();
    for s in &sentences {
        while let Some(c) = changes.next_if(|c| matches!(c, SentenceChange::Removed { .. })) {
            out.push(change_row(c));
        }
        match changes.next_if(|c| new_text(c) == Some(s.text.as_str())) {
            Some(c) => out.push(change_row(c)),
            None => out.push(Row {
                op: "same",
                old: plain(&s.text),
                new: plain(&s.text),
                inline: plain(&s.text),
                para: s.para + 1,
                from_para: None,
                cosmetic: false,
            }),
        }
    }
    // Whatever could not be placed (text cut differently) still shows, at the end.
    out.extend(changes.map(change_row));
    for r in &mut out {
        if r.op != "same" && r.op != "moved" {
            r.old = highlight(std::mem::take(&mut r.old), &before, &["", "del"]);
            r.new = highlight(std::mem::take(&mut r.new), &after, &["", "ins"]);
            let inline = highlight(std::mem::take(&mut r.inline), &before, &["del"]);
            r.inline = highlight(inline, &after, &["", "ins"]);
        }
    }
    out
}

/// Rows with only the changes and `context` unchanged rows around each; the rest collapse
/// into one "n unchanged sentences" row (`op` = "gap", the count in `para`).
pub fn with_context(rows: Vec<Row>, context: usize) -> Vec<Row> {
    let n = rows.len();
    let keep: Vec<bool> = (0..n)
        .map(|i| {
            let lo = i.saturating_sub(context);
            let hi = (i + context).min(n.saturating_sub(1));
            (lo..=hi).any(|j| rows[j].op != "same")
        })
        .collect();
    let mut out = Vec::new();
    let mut gap = 0;
    for (r, k) in rows.into_iter().zip(keep) {
        if k {
            if gap > 0 {
                out.push(gap_row(gap));
                gap = 0;
            }
            out.push(r);
        } else {
            gap += 1;
        }
    }
    if gap > 0 {
        out.push(gap_row(gap));
    }
    out
}

fn gap_row(n: usize) -> Row {
    Row {
        op: "gap",
        old: vec![],
        new: vec![],
        inline: vec![],
        para: n,
        from_para: None,
        cosmetic: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(paragraphs: &[&str]) -> Article {
        Article {
            headline: Some("h".into()),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            lang: Some("en".into()),
            method: "test".into(),
            confidence: 1.0,
            ..Article::default()
        }
    }

    #[test]
    fn changes_are_threaded_through_the_new_text() {
        let old = article(&[
            "A storm hit the coast. Officials said 40 people died.",
            "Roads were closed.",
        ]);
        let new = article(&[
            "A storm hit the coast. Officials said 52 people died.",
            "A shelter opened.",
        ]);
        let d = diff::diff_articles(&old, &new);
        let facts = vec![FactChange {
            kind: "quantity".into(),
            slot: "deaths".into(),
            before: Some(crate::compare::FactSide {
                text: "40".into(),
                value: 40.into(),
            }),
            after: Some(crate::compare::FactSide {
                text: "52".into(),
                value: 52.into(),
            }),
            sentence_before: None,
            sentence_after: None,
            label: crate::compare::Label::Update,
            correction_note: None,
            also: vec![],
            sentences: vec![],
        }];
        let r = rows(&new, &d, &facts);
        let ops: Vec<&str> = r.iter().map(|r| r.op).collect();
        assert_eq!(ops, ["same", "edited", "removed", "added"]);
        let marked = |segs: &[Seg], class| {
            segs.iter()
                .filter(|s| s.class == class)
                .map(|s| s.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(marked(&r[1].old, "fact del"), ["40"]);
        assert_eq!(marked(&r[1].new, "fact ins"), ["52"]);
        assert_eq!(marked(&r[1].inline, "fact del"), ["40"]);
        assert_eq!(marked(&r[1].inline, "fact ins"), ["52"]);
        let all: String = r[1].new.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(all, "Officials said 52 people died.");
        let short = with_context(r, 0);
        assert_eq!(short[0].op, "gap");
        assert_eq!(short[0].para, 1);
    }

    #[test]
    fn highlight_marks_every_occurrence_once() {
        let s = highlight(plain("5 of 15 said 5"), &["5"], &[""]);
        let facts = s.iter().filter(|x| x.class == "fact").count();
        assert_eq!(facts, 2);
        let text: String = s.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(text, "5 of 15 said 5");
    }
}
