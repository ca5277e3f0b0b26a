//! factdiff's side of the extraction benchmark (`benches/extraction/compare.py` drives it and
//! the peers). Reads a manifest of pages (JSON lines `{"id", "path", "url"}`), extracts each
//! page on one thread and writes one JSON line per page with what was extracted and how long
//! the extraction call took (charset decoding and HTML parsing included, file reading not).
//!
//! `cargo bench --bench extraction -- --manifest FILE --out FILE [--mode factdiff|parse-only]
//! [--repeat N]`
//!
//! In `factdiff` mode each record also has `parse_seconds`: the same page's parse timed just
//! before its extraction, so the extraction/parse ratio is measured pairwise; with
//! `--repeat N`, `min_seconds` / `min_parse_seconds` are the fastest of 1 + N alternating runs.
//!
//! `parse-only` times html5ever (via scraper) building the DOM and nothing else: the floor any
//! DOM-based extractor stands on, so extraction time can be reported as a ratio to it.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // `cargo bench` passes `--bench`; with no manifest there is nothing to do.
    let Some(manifest) = arg("--manifest") else {
        eprintln!(
            "extraction bench: run it through benches/extraction/compare.py (no --manifest given)"
        );
        return;
    };
    let out = arg("--out").unwrap_or_else(|| "/dev/stdout".into());
    let mode = arg("--mode").unwrap_or_else(|| "factdiff".into());
    // `--repeat N` times each page N more times after the first run. `seconds` stays the
    // first run (what a peer, timed once, is compared with); `min_seconds` and
    // `min_parse_seconds` are the fastest of all runs, parse and extraction alternating, for
    // the extraction/parse ratio: on a shared machine the minimum is the measurement least
    // disturbed by other processes.
    let repeat: usize = arg("--repeat").and_then(|r| r.parse().ok()).unwrap_or(0);
    let time = |f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        t.elapsed().as_secs_f64()
    };
    let parse = |bytes: &[u8]| {
        let (html, _) = factdiff::fetch::decode_body(bytes, None);
        let doc = scraper::Html::parse_document(&html);
        std::hint::black_box(&doc);
    };
    let input = BufReader::new(std::fs::File::open(&manifest).expect("manifest"));
    let mut w = BufWriter::new(std::fs::File::create(&out).expect("output file"));
    for line in input.lines() {
        let line = line.expect("manifest line");
        if line.trim().is_empty() {
            continue;
        }
        let page: serde_json::Value = serde_json::from_str(&line).expect("manifest JSON");
        let id = page["id"].as_str().unwrap_or_default();
        let url = page["url"].as_str();
        let bytes = std::fs::read(page["path"].as_str().expect("path")).expect("page file");
        let rec = match mode.as_str() {
            "parse-only" => serde_json::json!({"id": id, "seconds": time(&mut || parse(&bytes))}),
            _ => {
                // the parse of the same page, timed right before: a paired baseline for the
                // extraction/parse ratio that machine load cannot skew
                let mut res = None;
                let mut extract = || {
                    let (html, _) = factdiff::fetch::decode_body(&bytes, None);
                    res = Some(factdiff::extract::extract(&html, Some("text/html"), url));
                };
                let parse_secs = time(&mut || parse(&bytes));
                let secs = time(&mut extract);
                let (mut min_parse, mut min_secs) = (parse_secs, secs);
                for _ in 0..repeat {
                    min_parse = min_parse.min(time(&mut || parse(&bytes)));
                    min_secs = min_secs.min(time(&mut extract));
                }
                let res = res.expect("ran at least once");
                match res {
                    Ok(a) => serde_json::json!({
                        "id": id,
                        "seconds": secs,
                        "parse_seconds": parse_secs,
                        "min_seconds": min_secs,
                        "min_parse_seconds": min_parse,
                        "headline": a.headline,
                        "title": a.title,
                        "byline": a.byline,
                        "published": a.published.map(|d| d.to_rfc3339()),
                        "text": a.text(),
                        // identity of the version (a store's content hash): lets a change to
                        // text normalisation be checked for never creating a version
                        "hash": a.content_hash(),
                        "method": a.method,
                        "confidence": a.confidence,
                    }),
                    Err(e) => {
                        serde_json::json!({"id": id, "seconds": secs, "parse_seconds": parse_secs, "error": e.to_string(), "text": ""})
                    }
                }
            }
        };
        writeln!(w, "{rec}").expect("write");
    }
    w.flush().expect("flush");
}
