//! The claims recognisers (numbers, dates, places, people, quotes) on arbitrary text: each
//! line a paragraph, the first the headline, dates resolved against a fixed publication time.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let article = factdiff::extract::Article {
        headline: lines.next().map(str::to_string),
        paragraphs: lines.map(str::to_string).collect(),
        ..Default::default()
    };
    let published = chrono::DateTime::parse_from_rfc3339("2026-03-04T09:00:00+01:00").ok();
    let _ = factdiff::claims::extract_claims(&article, published);
    for sentence in text.lines() {
        let _ = factdiff::claims::numbers::find_numbers(sentence);
        let _ = factdiff::claims::entities::find_places(sentence);
    }
});
