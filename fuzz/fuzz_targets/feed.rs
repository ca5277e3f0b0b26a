//! The feed reader (RSS, Atom, JSON Feed) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = factdiff::sources::feed::parse_feed(data, "https://news.example/feed.xml");
});
