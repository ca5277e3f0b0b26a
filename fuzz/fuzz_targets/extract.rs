//! The extractor on arbitrary documents: HTML and plain text, through to the claims read
//! from what it extracted and the decoder that turned the bytes into text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, _) = factdiff::fetch::decode_body(data, Some("text/html"));
    if let Ok(article) = factdiff::extract::extract(&text, Some("text/html"), Some("https://news.example/a/1")) {
        let _ = factdiff::claims::extract_claims(&article, None);
    }
    let _ = factdiff::extract::extract(&text, Some("text/plain"), None);
});
