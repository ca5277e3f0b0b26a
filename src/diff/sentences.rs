//! Text units of a version: sentences (via `sentencex`) and word tokens (UAX #29 word bounds).

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

/// One sentence of an article version; `para` indexes `Article::paragraphs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub text: String,
    pub para: usize,
}

/// Splits paragraphs into sentences with English rules (see [`split_sentences_lang`]).
pub fn split_sentences(paragraphs: &[String]) -> Vec<Sentence> {
    split_sentences_lang(paragraphs, None)
}

/// Splits paragraphs into sentences using the rules of `lang` (a BCP 47 tag such as `"en-GB"`;
/// unknown or missing languages use `sentencex`'s fallbacks, ultimately English).
///
/// Sentences never cross paragraph boundaries; whitespace inside a sentence is collapsed to
/// single spaces; a piece without any letter or digit (a stray `"…"` or `"”"`) is glued to the
/// sentence before it; a paragraph the segmenter returns nothing for is kept whole.
pub fn split_sentences_lang(paragraphs: &[String], lang: Option<&str>) -> Vec<Sentence> {
    let code = language_code(lang);
    let mut out: Vec<Sentence> = Vec::new();
    for (para, text) in paragraphs.iter().enumerate() {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let first = out.len();
        let mut prev_ended_with_space = false;
        for piece in sentencex::segment(&code, text) {
            let collapsed = collapse_whitespace(piece);
            if collapsed.is_empty() {
                prev_ended_with_space = true;
                continue;
            }
            let has_word = collapsed.chars().any(char::is_alphanumeric);
            let glue = !has_word && out.len() > first;
            match out.last_mut() {
                Some(last) if glue => {
                    if prev_ended_with_space {
                        last.text.push(' ');
                    }
                    last.text.push_str(&collapsed);
                }
                _ => out.push(Sentence {
                    text: collapsed,
                    para,
                }),
            }
            prev_ended_with_space = piece.ends_with(char::is_whitespace);
        }
        if out.len() == first {
            out.push(Sentence {
                text: collapse_whitespace(text),
                para,
            });
        }
    }
    out
}

/// `"en-US"`, `"EN_gb"` → `"en"`; anything that is not a plausible language subtag → `"en"`.
fn language_code(lang: Option<&str>) -> String {
    let primary = lang
        .and_then(|l| l.trim().split(['-', '_']).next())
        .unwrap_or("")
        .to_ascii_lowercase();
    if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        primary
    } else {
        "en".to_owned()
    }
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A word, number or punctuation mark; whitespace is not a token but remembered as
/// `space_before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub space_before: bool,
}

/// UAX #29 word bounds without whitespace: `"1,000"`, `"3.5"`, `"don't"` stay one token, each
/// punctuation mark is its own token, and a unary sign glued to a number (`"-5"`) is kept with it.
pub(crate) fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut space = false;
    for (start, piece) in s.split_word_bound_indices() {
        if piece.chars().all(char::is_whitespace) {
            space = true;
            continue;
        }
        let glue_sign = !space
            && piece.starts_with(|c: char| c.is_ascii_digit())
            && out
                .last()
                .is_some_and(|t| matches!(t.text, "-" | "+" | "\u{2212}"))
            && {
                let n = out.len();
                let sign = &out[n - 1];
                sign.space_before || n == 1 || !out[n - 2].text.chars().any(char::is_alphanumeric)
            };
        if glue_sign {
            let begin = *starts.last().unwrap_or(&start);
            if let Some(last) = out.last_mut() {
                last.text = &s[begin..start + piece.len()];
            }
        } else {
            out.push(Token {
                text: piece,
                space_before: space,
            });
            starts.push(start);
        }
        space = false;
    }
    out
}

/// Lower-cased word keys (tokens containing a letter or digit) used for similarity.
pub(crate) fn word_keys(s: &str) -> impl Iterator<Item = String> + '_ {
    tokenize(s)
        .into_iter()
        .filter(|t| t.text.chars().any(char::is_alphanumeric))
        .map(|t| t.text.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    fn texts(s: &[Sentence]) -> Vec<&str> {
        s.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let s = split_sentences(&paras(&[
            "Mr. Smith said the U.S. toll rose in Oct. 2024. Then he left.",
        ]));
        assert_eq!(
            texts(&s),
            [
                "Mr. Smith said the U.S. toll rose in Oct. 2024.",
                "Then he left."
            ]
        );
    }

    #[test]
    fn paragraph_indices_and_blank_paragraphs() {
        let s = split_sentences(&paras(&["One. Two.", "  ", "Three"]));
        assert_eq!(texts(&s), ["One.", "Two.", "Three"]);
        assert_eq!(s.iter().map(|s| s.para).collect::<Vec<_>>(), [0, 0, 2]);
    }

    #[test]
    fn other_languages_fall_back() {
        let p = paras(&["这是第一句。这是第二句！"]);
        assert_eq!(split_sentences_lang(&p, Some("zh-Hans")).len(), 2);
        for lang in [None, Some("en-US"), Some("EN_gb"), Some("xx"), Some("!!")] {
            assert_eq!(
                split_sentences_lang(&paras(&["Hello there. Bye."]), lang).len(),
                2
            );
        }
        assert_eq!(language_code(Some("de-AT")), "de");
        assert_eq!(language_code(Some("1234")), "en");
    }

    #[test]
    fn punctuation_only_piece_is_glued() {
        let s = split_sentences(&paras(&["...", "Wait... what?"]));
        assert!(s.iter().all(|s| !s.text.is_empty()));
        assert_eq!(s[0].text, "...");
    }

    #[test]
    fn tokens_keep_numbers_and_punctuation() {
        let t: Vec<_> = tokenize("The toll, 1,000 (3.5%), fell -5 in 2020-21.")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            [
                "The", "toll", ",", "1,000", "(", "3.5", "%", ")", ",", "fell", "-5", "in", "2020",
                "-", "21", "."
            ]
        );
        let sp: Vec<_> = tokenize("a, b")
            .into_iter()
            .map(|t| t.space_before)
            .collect();
        assert_eq!(sp, [false, false, true]);
    }
}
