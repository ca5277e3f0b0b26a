//! Where a benchmark leaves its report: `<target>/bench-<name>/results.md` (shared by the
//! benches that write one).

use std::path::{Path, PathBuf};

/// Writes `report` to `<CARGO_TARGET_DIR or ./target>/bench-<name>/results.md` and says where.
pub fn write_results(name: &str, report: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out_dir = target.join(format!("bench-{name}"));
    let file = out_dir.join("results.md");
    if std::fs::create_dir_all(&out_dir).is_ok() && std::fs::write(&file, report).is_ok() {
        eprintln!("written to {}", file.display());
    }
}
