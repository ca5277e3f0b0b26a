//! Text normalisation: the same article rendered with curly or straight quotes, NBSPs,
//! soft hyphens, zero-width characters or different dash glyphs must normalise to the same
//! string, so that cosmetic noise never creates a version.

use unicode_normalization::UnicodeNormalization;

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
        map_chars(s.chars(), s.len())
    } else {
        map_chars(s.nfkc(), s.len())
    }
}

fn map_chars(chars: impl Iterator<Item = char>, cap: usize) -> String {
    let mut out = String::with_capacity(cap);
    let mut prev: Option<char> = None;
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
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

/// Normalises a list of paragraphs, dropping the ones that become empty.
pub fn normalize_paragraphs<I: IntoIterator<Item = S>, S: AsRef<str>>(paras: I) -> Vec<String> {
    paras
        .into_iter()
        .map(|p| normalize_text(p.as_ref()))
        .filter(|p| !p.is_empty())
        .collect()
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
    fn drops_empty_paragraphs() {
        assert_eq!(
            normalize_paragraphs(["a", " \u{200B} ", "b"]),
            vec!["a", "b"]
        );
    }
}
