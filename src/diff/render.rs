//! Compact terminal rendering of a [`VersionDiff`]: a summary line, field changes, then one
//! line per changed sentence with its paragraph number (1-based, `¶3`) and a marker:
//! `+` added, `-` removed, `~` edited, `↕` moved. Inside edits, without colour, deleted words
//! are `[-word-]` and inserted ones `{+word+}`; with colour they are red struck-through and
//! bold green. Control characters in article text are shown as `\u{..}` escapes so a page
//! cannot inject terminal escape sequences.

use std::fmt::Write as _;

use super::{SentenceChange, VersionDiff, WordOp};

const RESET: &str = "\x1b[0m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const DELETED: &str = "\x1b[9;31m";
const INSERTED: &str = "\x1b[1;32m";

/// Renders `d` for a terminal; `color` adds ANSI styles. Ends with a newline.
pub fn render_text(d: &VersionDiff, color: bool) -> String {
    let paint = |style: &str, text: &str| {
        if color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    if d.is_empty() {
        out.push_str("no changes\n");
        return out;
    }

    let s = &d.stats;
    let counts: Vec<String> = [
        (s.edited, "edited"),
        (s.added, "added"),
        (s.removed, "removed"),
        (s.moved, "moved"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let mut summary = d.significance.as_str().to_owned();
    if !counts.is_empty() {
        let _ = write!(
            summary,
            ": {}, {} unchanged",
            counts.join(", "),
            s.unchanged
        );
    }
    let _ = writeln!(out, "{}", paint(DIM, &summary));

    for f in &d.fields {
        let value = |v: &Option<String>| v.as_deref().map_or("(none)".to_owned(), clean);
        let _ = writeln!(
            out,
            "{}: {} → {}{}",
            f.field.as_str(),
            paint(RED, &value(&f.before)),
            paint(GREEN, &value(&f.after)),
            if f.cosmetic { "  (cosmetic)" } else { "" }
        );
    }

    for change in &d.sentences {
        let (para, marker, body, note) = match change {
            SentenceChange::Added { para, text } => (
                *para,
                paint(GREEN, "+"),
                paint(GREEN, &clean(text)),
                String::new(),
            ),
            SentenceChange::Removed { para, text } => (
                *para,
                paint(RED, "-"),
                paint(RED, &clean(text)),
                String::new(),
            ),
            SentenceChange::Moved {
                para,
                old_para,
                text,
            } => (
                *para,
                paint(CYAN, "↕"),
                clean(text),
                format!("  (from ¶{})", old_para + 1),
            ),
            SentenceChange::Edited {
                para,
                words,
                cosmetic,
                ..
            } => {
                let mut body = String::new();
                for w in words {
                    let text = clean(&w.text);
                    match (w.op, color) {
                        (WordOp::Equal, _) => body.push_str(&text),
                        (WordOp::Delete, false) => {
                            let _ = write!(body, "[-{text}-]");
                        }
                        (WordOp::Insert, false) => {
                            let _ = write!(body, "{{+{text}+}}");
                        }
                        (WordOp::Delete, true) => body.push_str(&paint(DELETED, &text)),
                        (WordOp::Insert, true) => body.push_str(&paint(INSERTED, &text)),
                    }
                }
                let note = if *cosmetic { "  (cosmetic)" } else { "" };
                (*para, paint(YELLOW, "~"), body, note.to_owned())
            }
        };
        let note = if note.is_empty() {
            note
        } else {
            paint(DIM, &note)
        };
        let _ = writeln!(
            out,
            "{} {marker} {body}{note}",
            paint(DIM, &format!("¶{}", para + 1)),
        );
    }
    out
}

/// Escapes control characters (ESC, BEL, CR, …) so text cannot drive the terminal.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{DiffStats, Field, FieldChange, Significance, WordChange};
    use super::*;

    fn sample() -> VersionDiff {
        let word = |op, text: &str| WordChange {
            op,
            text: text.into(),
        };
        VersionDiff {
            significance: Significance::Wording,
            fields: vec![FieldChange {
                field: Field::Headline,
                before: Some("Storm hits".into()),
                after: Some("Storm kills 52".into()),
                cosmetic: false,
            }],
            sentences: vec![
                SentenceChange::Edited {
                    para: 0,
                    old_para: 0,
                    before: "Officials said 40 died.".into(),
                    after: "Officials said 52 died.".into(),
                    words: vec![
                        word(WordOp::Equal, "Officials said "),
                        word(WordOp::Delete, "40"),
                        word(WordOp::Insert, "52"),
                        word(WordOp::Equal, " died."),
                    ],
                    cosmetic: false,
                },
                SentenceChange::Added {
                    para: 1,
                    text: "New \x1b[2Jline.".into(),
                },
                SentenceChange::Removed {
                    para: 2,
                    text: "Old line.".into(),
                },
                SentenceChange::Moved {
                    para: 3,
                    old_para: 0,
                    text: "Moved line.".into(),
                },
            ],
            stats: DiffStats {
                added: 1,
                removed: 1,
                edited: 1,
                moved: 1,
                unchanged: 9,
            },
        }
    }

    #[test]
    fn plain_rendering() {
        assert_eq!(
            render_text(&sample(), false),
            "wording: 1 edited, 1 added, 1 removed, 1 moved, 9 unchanged\n\
             headline: Storm hits → Storm kills 52\n\
             ¶1 ~ Officials said [-40-]{+52+} died.\n\
             ¶2 + New \\u{1b}[2Jline.\n\
             ¶3 - Old line.\n\
             ¶4 ↕ Moved line.  (from ¶1)\n"
        );
        assert_eq!(render_text(&VersionDiff::default(), false), "no changes\n");
    }

    #[test]
    fn color_rendering() {
        let out = render_text(&sample(), true);
        assert!(out.contains(&format!(
            "Officials said {DELETED}40{RESET}{INSERTED}52{RESET} died."
        )));
        assert!(!out.contains("[-"));
        // The only ESC bytes are ours: the one from the article text is escaped.
        assert!(out.contains("\\u{1b}[2J"));
    }
}
