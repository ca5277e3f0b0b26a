//! The config reader on arbitrary text: every problem is a `Problem`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = factdiff::config::Config::parse(text, &|name| (name == "FUZZ_SET").then(|| "x".into()));
});
