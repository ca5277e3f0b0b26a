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

/// Every sentence of both versions as rows, in reading order: the old and the new sentences
/// are walked side by side, and the changes of `d` (found by their text) say which are
/// removed, added, edited or moved; removed sentences stay where they were in the old
/// version. `facts` values are highlighted on the side they belong to.
pub fn rows(old: &Article, new: &Article, d: &VersionDiff, facts: &[FactChange]) -> Vec<Row> {
    use std::collections::{HashMap, VecDeque};
    let lang = new.lang.as_deref().or(old.lang.as_deref());
    let olds = diff::split_sentences_lang(&old.paragraphs, lang);
    let news = diff::split_sentences_lang(&new.paragraphs, lang);
    let mut removed: HashMap<&str, VecDeque<&SentenceChange>> = HashMap::new();
    let mut added: HashMap<&str, VecDeque<&SentenceChange>> = HashMap::new();
    let mut moved: HashMap<&str, VecDeque<&SentenceChange>> = HashMap::new();
    let mut moved_old: HashMap<&str, usize> = HashMap::new();
    let mut edited: HashMap<&str, VecDeque<&SentenceChange>> = HashMap::new();
    let mut edited_old: HashMap<&str, usize> = HashMap::new();
    for c in &d.sentences {
        match c {
            SentenceChange::Removed { text, .. } => removed.entry(text).or_default().push_back(c),
            SentenceChange::Added { text, .. } => added.entry(text).or_default().push_back(c),
            SentenceChange::Moved { text, .. } => {
                moved.entry(text).or_default().push_back(c);
                *moved_old.entry(text).or_default() += 1;
            }
            SentenceChange::Edited { before, after, .. } => {
                edited.entry(after).or_default().push_back(c);
                *edited_old.entry(before).or_default() += 1;
            }
        }
    }
    let take = |m: &mut HashMap<&str, VecDeque<&SentenceChange>>, t: &str| {
        m.get_mut(t).and_then(VecDeque::pop_front).map(change_row)
    };
    let count = |m: &mut HashMap<&str, usize>, t: &str| match m.get_mut(t) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    };
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < olds.len() || j < news.len() {
        if let Some(o) = olds.get(i) {
            if let Some(r) = take(&mut removed, &o.text) {
                out.push(r);
                i += 1;
                continue;
            }
            if count(&mut moved_old, &o.text) {
                i += 1;
                continue;
            }
        }
        let Some(n) = news.get(j) else {
            i += 1;
            continue;
        };
        j += 1;
        if let Some(r) = take(&mut added, &n.text).or_else(|| take(&mut moved, &n.text)) {
            out.push(r);
            continue;
        }
        if let Some(r) = take(&mut edited, &n.text) {
            out.push(r);
            if olds.get(i).is_some_and(|o| count(&mut edited_old, &o.text)) {
                i += 1;
            }
            continue;
        }
        out.push(Row {
            op: "same",
            old: plain(&n.text),
            new: plain(&n.text),
            inline: plain(&n.text),
            para: n.para + 1,
            from_para: None,
            cosmetic: false,
        });
        if olds
            .get(i)
            .is_some_and(|o| edited_old.get(o.text.as_str()).is_none_or(|c| *c == 0))
        {
            i += 1;
        }
    }
    // Whatever could not be placed by its text (text cut differently) still shows, at the end.
    for m in [&mut removed, &mut added, &mut moved, &mut edited] {
        let mut rest: Vec<&SentenceChange> = m.drain().flat_map(|(_, q)| q).collect();
        rest.sort_by_key(|c| d.sentences.iter().position(|x| std::ptr::eq(x, *c)));
        out.extend(rest.into_iter().map(change_row));
    }
    let before: Vec<&str> = facts
        .iter()
        .filter_map(|f| f.before.as_ref().map(|s| s.text.as_str()))
        .collect();
    let after: Vec<&str> = facts
        .iter()
        .filter_map(|f| f.after.as_ref().map(|s| s.text.as_str()))
        .collect();
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
        let r = rows(&old, &new, &d, &facts);
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

#[cfg(test)]
mod order_tests {
    use super::*;

    fn article(paragraphs: &[&str]) -> Article {
        Article {
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            lang: Some("en".into()),
            method: "test".into(),
            confidence: 1.0,
            ..Article::default()
        }
    }

    /// A removed sentence stays where it was; a moved one shows once, where it is now.
    #[test]
    fn removed_and_moved_sentences_keep_their_places() {
        let old = article(&["One is here. Two is here.", "Three is here. Four is here."]);
        let new = article(&["Four is here. One is here.", "Three is here now."]);
        let d = diff::diff_articles(&old, &new);
        let r = rows(&old, &new, &d, &[]);
        let ops: Vec<(&str, String)> = r
            .iter()
            .map(|r| (r.op, r.inline.iter().map(|s| s.text.as_str()).collect()))
            .collect();
        let texts: Vec<&str> = ops.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts.iter().filter(|t| t.contains("Four")).count(),
            1,
            "{ops:?}"
        );
        let pos = |s: &str| texts.iter().position(|t| t.contains(s)).unwrap();
        assert!(pos("Two") < pos("Three"), "{ops:?}");
        assert_eq!(r[pos("Two")].op, "removed");
        assert_eq!(
            texts.iter().filter(|t| t.contains("One")).count(),
            1,
            "{ops:?}"
        );
        assert_eq!(r.len(), 4, "every sentence once: {ops:?}");
    }
}
