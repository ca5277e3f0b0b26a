//! Text normalisation, in two strengths.
//!
//! - [`faithful_text`] is what factdiff stores and shows: the page's own glyphs (typographic
//!   quotes, dashes, apostrophes, ellipses) in NFC, cleaned only of what no reader sees
//!   (whitespace runs, NBSPs, soft hyphens, zero-width characters). Journalists quote it.
//! - [`normalize_text`] is what factdiff compares: NFKC, straight quotes, one dash style. The
//!   same article rendered with curly or straight quotes or other dash glyphs normalises to
//!   the same string, so cosmetic noise never creates a version. It is applied to faithful
//!   text wherever identity is decided (the content hash, diffs, claims, story comparison);
//!   `normalize_text(&faithful_text(s)) == normalize_text(s)`, so hashes of versions stored
//!   before the faithful text existed still match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Normalises one paragraph: NFKC, straight quotes, one dash style, no invisible
/// characters, single spaces, trimmed.
pub fn normalize_text(s: &str) -> String {
    // ASCII is its own NFKC form: skip the (comparatively slow) normaliser for it.
    if s.is_ascii() {
        // most page text: only spaces, controls and the backtick change
        let mapped: String = s
            .bytes()
            .map(|b| match b {
                b'`' => '\'',
                b if b.is_ascii_whitespace() || b.is_ascii_control() => ' ',
                b => b as char,
            })
            .collect();
        return collapse_spaces(&mapped);
    }
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        map_chars(s.chars(), s.len(), None)
    } else {
        map_chars(s.nfkc(), s.len(), None)
    }
}

/// The normaliser's character map; with `faithful`, also writes the faithful form of the
/// same characters there (uncollapsed), in the same pass.
fn map_chars(
    chars: impl Iterator<Item = char>,
    cap: usize,
    mut faithful: Option<&mut String>,
) -> String {
    let mut out = String::with_capacity(cap);
    let mut prev: Option<char> = None;
    let mut chars = chars.peekable();
    let mut held = String::new();
    while let Some(c) = chars.next() {
        if let Some(f) = faithful.as_deref_mut() {
            faithful_push(f, c, chars.peek().copied(), &mut held);
        }
        let mapped: &str = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}'
            | '\u{00B4}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => "\"",
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => "-",
            '\u{2013}' | '\u{2014}' | '\u{2015}' => {
                // A dash between digits is a range ("20–25"); elsewhere it is punctuation.
                let digit_before = prev.is_some_and(|p| p.is_ascii_digit());
                let digit_after = chars.peek().is_some_and(|n| n.is_ascii_digit());
                if digit_before && digit_after {
                    "-"
                } else {
                    " - "
                }
            }
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
            c if c.is_whitespace() || c.is_control() => " ",
            _ => {
                out.push(c);
                prev = Some(c);
                continue;
            }
        };
        out.push_str(mapped);
        prev = mapped.chars().last().or(prev);
    }
    collapse_spaces(&out)
}

/// Collapses runs of spaces and trims; also removes a space before `, . ; : ! ?`
/// that some templates insert.
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            let punct_only = word
                .chars()
                .all(|c| matches!(c, ',' | '.' | ';' | ':' | '!' | '?'));
            if !punct_only {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

/// Characters no reader sees: soft hyphen, zero-width space/joiners, word joiner, BOM.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// One paragraph as the page writes it: NFC, whitespace (NBSP included) and controls as single
/// spaces, invisible characters removed, trimmed; quotes, dashes and compatibility characters
/// (ellipsis, ligatures, "m²") kept.
pub fn faithful_text(s: &str) -> String {
    if s.is_ascii() {
        let mapped: String = s
            .bytes()
            .map(|b| {
                if b.is_ascii_whitespace() || b.is_ascii_control() {
                    ' '
                } else {
                    b as char
                }
            })
            .collect();
        return collapse_spaces(&mapped);
    }
    let mut out = String::with_capacity(s.len());
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        faithful_chars(s.chars(), &mut out);
    } else {
        faithful_chars(s.nfc(), &mut out);
    }
    collapse_spaces(&out)
}

fn faithful_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut chars = chars.peekable();
    let mut held = String::new();
    while let Some(c) = chars.next() {
        faithful_push(out, c, chars.peek().copied(), &mut held);
    }
}

/// Writes the faithful form of `c` (followed by `next`) to `out`; `held` keeps a run of
/// invisible characters until it is known whether they may go.
fn faithful_push(out: &mut String, c: char, next: Option<char>, held: &mut String) {
    if invisible(c) {
        held.push(c);
        // Removed unless that would let NFKC join the characters around it differently
        // from the page's own (a combining mark after it, a dash before it): then
        // `normalize_text` of this text would differ from that of the page's.
        if next.is_none_or(|n| !invisible(n)) {
            let after_dash = out.ends_with(['\u{2013}', '\u{2014}', '\u{2015}']);
            if after_dash || next.is_some_and(joins_backward) {
                out.push_str(held);
            }
            held.clear();
        }
    } else if c.is_whitespace() || c.is_control() {
        out.push(' ');
    } else {
        out.push(c);
    }
}

/// Whether `c` might compose with, or reorder against, the character before it.
fn joins_backward(c: char) -> bool {
    !(c.is_ascii()
        || c.is_whitespace()
        || c.is_control()
        || canonical_combining_class(c) == 0
            && unicode_normalization::is_nfkc_quick(std::iter::once(c))
                == unicode_normalization::IsNormalized::Yes)
}

/// A paragraph's faithful and normalised forms ([`faithful_text`], [`normalize_text`]),
/// in one pass over the text when it is already NFKC (most page text).
pub fn both_forms(s: &str) -> (String, String) {
    if s.is_ascii() {
        let faithful = faithful_text(s);
        let norm = if faithful.contains('`') {
            normalize_text(&faithful)
        } else {
            faithful.clone()
        };
        return (faithful, norm);
    }
    if unicode_normalization::is_nfkc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        // NFKC text is NFC too: both forms come from the same characters
        let mut faithful = String::with_capacity(s.len());
        let norm = map_chars(s.chars(), s.len(), Some(&mut faithful));
        (collapse_spaces(&faithful), norm)
    } else {
        (faithful_text(s), normalize_text(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_dashes_spaces() {
        // the ASCII path: controls and whitespace runs are one space, a backtick an apostrophe
        assert_eq!(
            normalize_text("\tIt`s\r\n  done \x0b, said\x07 she ."),
            "It's done, said she."
        );
        assert_eq!(
            normalize_text("  \u{201C}Hello,\u{201D}\u{00A0}she   said\u{2019}s "),
            "\"Hello,\" she said's"
        );
        assert_eq!(
            normalize_text("talks\u{2014}which began"),
            "talks - which began"
        );
        assert_eq!(normalize_text("talks \u{2013} which"), "talks - which");
        assert_eq!(normalize_text("20\u{2013}25 people"), "20-25 people");
        assert_eq!(normalize_text("co\u{00AD}operate\u{200B}"), "cooperate");
        assert_eq!(normalize_text("ﬁne \u{FF11}\u{FF12}"), "fine 12");
        assert_eq!(normalize_text("end .\tNext"), "end. Next");
    }

    #[test]
    fn cosmetic_variants_normalise_equal() {
        let a = "Ukraine\u{2019}s allies \u{2014} \u{201C}ready\u{201D} \u{2026}";
        let b = "Ukraine's  allies - \"ready\" ...";
        assert_eq!(normalize_text(a), normalize_text(b));
    }

    #[test]
    fn faithful_text_keeps_the_pages_glyphs() {
        assert_eq!(
            faithful_text(
                "  \u{201C}Don\u{2019}t\u{201D}\u{00A0}\u{2014} she said\u{2026} 5\u{202F}m\u{00B2} "
            ),
            "\u{201C}Don\u{2019}t\u{201D} \u{2014} she said\u{2026} 5 m\u{00B2}"
        );
        assert_eq!(
            faithful_text("co\u{00AD}operate\u{200B} now"),
            "cooperate now"
        );
        // decomposed accents are composed (NFC), compatibility forms kept
        assert_eq!(
            faithful_text("Malmo\u{0308} \u{FB01}ne"),
            "Malm\u{00F6} \u{FB01}ne"
        );
        assert_eq!(faithful_text("\tIt`s\r\n  done ."), "It`s done.");
        assert_eq!(
            both_forms("\u{201E}Ja\u{201C} \u{2013} 20\u{2013}25"),
            (
                "\u{201E}Ja\u{201C} \u{2013} 20\u{2013}25".into(),
                "\"Ja\" - 20-25".into()
            )
        );
    }

    /// What makes a version is unchanged: the normalised form of the faithful text is the
    /// normalised form of the page's text, even where an invisible character stands between
    /// characters NFKC would otherwise join, or after a dash before a digit.
    #[test]
    fn normalising_faithful_text_equals_normalising_the_page() {
        for s in [
            "\u{201C}Hello,\u{201D}\u{00A0}she   said\u{2019}s \u{2014} fine\u{2026}",
            "e\u{00AD}\u{0301} and e\u{200B}\u{0301}",
            "\u{1100}\u{200D}\u{1161}",
            "20\u{2013}\u{00AD}25 and 20\u{00AD}\u{2013}25 and \u{2014}\u{200B}\u{FF13}",
            "a\u{0301}\u{200B}\u{0316} x",
            "\u{00AD}\u{0301}start",
            "\u{FF11}\u{FF12}\u{2013}\u{FF13} \u{00B4} ` \u{2033}",
            "end \u{00AD}, next \u{200B}. \u{3000}wide",
            "\u{0928}\u{200D}\u{094D}\u{0937} \u{09C7}\u{200C}\u{09BE}",
        ] {
            assert_eq!(
                normalize_text(&faithful_text(s)),
                normalize_text(s),
                "{s:?}"
            );
            let (f, n) = both_forms(s);
            assert_eq!(
                (f.as_str(), n.as_str()),
                (faithful_text(s).as_str(), normalize_text(s).as_str())
            );
        }
    }
}
