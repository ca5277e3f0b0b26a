//! Tokens of the number grammar: numbers, words and symbols with byte offsets, after one
//! regex pass blanks what is never a quantity (URLs, e-mail addresses, clock times).

use super::*;

pub(super) static EXCLUDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:https?://|www\.)\S+",
        r"|\S+@\S+\.[a-z]{2,}",
        r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\b\.?)?",
        r"|\b\d{1,2}(?:\.\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|o’clock)",
        // a clock time written with a point ("07.45 BST", "at 22.05", "22.05 hrs"): never a
        // quantity
        r"|\b(?:[01]?\d|2[0-3])[.:h][0-5]\d\s*(?:bst|gmt|utc|cet|cest|eet|eest|ist|[ecmp][sd]t|aest|aedt|hrs|h|uhr)\b",
        r"|\b(?:at|from|until|till|before|after|since|between)\s+(?:[01]\d|2[0-3])\.[0-5]\d\b(?:\s*(?:and|-|–)\s*(?:[01]\d|2[0-3])\.[0-5]\d\b)?",
        r"|\+\d[\d ().-]{6,}\d",
        r"|\(\d{3}\)\s*\d{3}[.-]\d{4}\b",
        r"|\b\d{3}[.-]\d{3}[.-]\d{4}\b",
        r"|\bv?\d+\.\d+\.\d+(?:\.\d+)*\b",
        r"|\bv\d+(?:\.\d+)?\b",
        r"|\b\d{4}-\d{2}-\d{2}\b",
        r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
        r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b",
        r"|\b(?:1[89]|20)\d{2}\s*[-–/]\s*(?:\d{2}|(?:1[89]|20)\d{2})\b",
        r"|\b\d+/\d+\b",
    ))
    .expect("static regex")
});

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tk {
    Num,
    Word,
    Sym,
}

#[derive(Debug)]
pub(super) struct Tok {
    pub(super) kind: Tk,
    pub(super) s: usize,
    pub(super) e: usize,
    /// lower-case text for words, raw text otherwise
    pub(super) low: String,
    /// first letter upper-case
    pub(super) cap: bool,
    /// whitespace (or sentence start) before the token
    pub(super) sp: bool,
    pub(super) excluded: bool,
}

pub(super) fn tokenize(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 4);
    let mut it = s.char_indices().peekable();
    let mut sp = true;
    let next_is_digit = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_digit());
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            sp = true;
            continue;
        }
        let (kind, e) = if c.is_ascii_digit() || (c == '.' && next_is_digit(i + 1) && sp) {
            let mut e = i + c.len_utf8();
            loop {
                match b.get(e) {
                    Some(d) if d.is_ascii_digit() => e += 1,
                    Some(b',' | b'.') if next_is_digit(e + 1) => e += 1,
                    _ => {
                        // digit groups joined by a (narrow) no-break or thin space
                        let rest = &s[e..];
                        let sep = ['\u{a0}', '\u{202f}', '\u{2009}']
                            .into_iter()
                            .find(|sc| rest.starts_with(*sc));
                        if let Some(sc) = sep {
                            let g = &rest[sc.len_utf8()..];
                            let digits = g.bytes().take_while(u8::is_ascii_digit).count();
                            if digits == 3 {
                                e += sc.len_utf8();
                                continue;
                            }
                        }
                        break;
                    }
                }
            }
            while it.peek().is_some_and(|&(j, _)| j < e) {
                it.next();
            }
            (Tk::Num, e)
        } else if c.is_alphabetic() {
            let mut e = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                let apostrophe = (d == '\'' || d == '’')
                    && s[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic);
                if d.is_alphabetic() || apostrophe {
                    e = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            (Tk::Word, e)
        } else {
            (Tk::Sym, i + c.len_utf8())
        };
        let text = &s[i..e];
        let low = if kind == Tk::Word {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        out.push(Tok {
            kind,
            s: i,
            e,
            cap: c.is_uppercase(),
            low,
            sp,
            excluded: false,
        });
        sp = false;
    }
    out
}

/// The value of a digit token ("800,000", "1.2", "3,5", "1.111,11", "40 000").
pub(super) fn parse_digits(t: &str) -> Option<f64> {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    let groups_of_3 = |sep: char| {
        let mut parts = t.split(sep);
        let first = parts.next().unwrap_or("");
        !first.is_empty()
            && first.len() <= 3
            && parts.all(|p| p.len() == 3 || p.split(['.', ',']).next().map(str::len) == Some(3))
    };
    let clean = if commas > 0 && dots > 0 {
        let lc = t.rfind(',').unwrap_or(0);
        let ld = t.rfind('.').unwrap_or(0);
        if ld > lc {
            t.replace(',', "")
        } else {
            t.replace('.', "").replace(',', ".")
        }
    } else if commas > 0 {
        if groups_of_3(',') || commas > 1 {
            t.replace(',', "")
        } else {
            t.replace(',', ".")
        }
    } else if dots > 1 {
        if groups_of_3('.') {
            t.replace('.', "")
        } else {
            return None;
        }
    } else {
        t
    };
    clean.parse().ok()
}
