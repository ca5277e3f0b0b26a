//! The sitemap reader (XML, text, indexes, Google News, gzip) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = factdiff::sources::sitemap::parse_sitemap(data, "https://news.example/sitemap.xml");
});
