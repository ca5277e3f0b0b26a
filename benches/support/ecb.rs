//! ECB+ corpus documents (token XML) as sentences. Shared by the stories benchmark and the
//! story tests (`#[path]`-included in both), so the two read the corpus the same way.

/// Sentences of an ECB+ document, tokens glued back with English spacing; sentence 0 is the
/// headline.
pub fn ecb_sentences(xml: &str) -> Vec<String> {
    let mut sents: Vec<Vec<String>> = Vec::new();
    for part in xml.split("<token ").skip(1) {
        let Some(s) = part
            .split("sentence=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        else {
            continue;
        };
        let Ok(si) = s.parse::<usize>() else { continue };
        let Some(tok) = part
            .split_once('>')
            .and_then(|(_, r)| r.split("</token>").next())
        else {
            continue;
        };
        let tok = tok
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
        while sents.len() <= si {
            sents.push(Vec::new());
        }
        sents[si].push(tok);
    }
    sents
        .iter()
        .map(|ts| {
            let mut s = String::new();
            for t in ts {
                let glue = matches!(
                    t.as_str(),
                    "," | "." | ":" | ";" | "!" | "?" | "'s" | "n't" | ")" | "''" | "%"
                ) || s.ends_with('(')
                    || s.ends_with("``");
                if !s.is_empty() && !glue {
                    s.push(' ');
                }
                s.push_str(t);
            }
            s.replace("``", "\"").replace("''", "\"")
        })
        .filter(|s| !s.trim().is_empty())
        .collect()
}
