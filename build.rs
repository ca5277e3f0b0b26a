//! Fingerprints the code that decides a version's claims (`src/claims`, the sentence
//! splitter, text normalisation, the gazetteer), so claims stored with a version by one build
//! are used by another only when both would extract the same claims (`claims::stored`).
//! Any edit to those files, a comment included, makes stored claims stale: safe, and
//! `factdiff reprocess` rewrites them.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

const INPUTS: &[&str] = &[
    "src/claims",
    "src/diff/sentences.rs",
    "src/extract/normalize.rs",
    "assets/gazetteer",
    "Cargo.lock",
];

fn files(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .expect("read_dir")
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for e in entries {
            files(&e, out);
        }
    } else {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut all = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        files(Path::new(input), &mut all);
    }
    // FNV-1a, 64 bits: stable across toolchains (std's hasher is not promised to be)
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for f in &all {
        h.write(f.to_string_lossy().as_bytes());
        h.write(&std::fs::read(f).expect("read input"));
    }
    println!("cargo:rustc-env=FACTDIFF_CLAIMS_RULES={:016x}", h.finish());
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
