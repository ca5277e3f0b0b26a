//! rs-trafilatura's side of benches/extraction/throughput.py: extract every file named on
//! stdin (one path a line) with N worker threads, and print one summary line of JSON:
//! {"pages", "errors", "chars", "seconds"} (seconds = wall time of the extraction, file
//! reading included, process start-up excluded; the caller also times the whole process).
//!
//!     rs-trafilatura-runner THREADS < LIST
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() {
    let threads: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2)
        .max(1);
    let paths: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let chars = AtomicUsize::new(0);
    let t0 = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = paths.get(i) else { break };
                let ok = std::fs::read(p)
                    .ok()
                    .and_then(|b| rs_trafilatura::extract_bytes(&b).ok());
                match ok {
                    Some(r) => {
                        chars.fetch_add(r.content_text.chars().count(), Ordering::Relaxed);
                    }
                    None => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let secs = t0.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{{\"pages\":{},\"errors\":{},\"chars\":{},\"seconds\":{secs:.4}}}",
        paths.len(),
        errors.load(Ordering::Relaxed),
        chars.load(Ordering::Relaxed)
    );
}
