//! `factdiff` binary: parse the command line, run, map errors to exit codes.

use clap::Parser;

/// glibc gives a thread that meets a locked arena an arena of its own (up to eight per core)
/// and rarely hands their free pages back: with the blocking threads of a cold pass's fetch
/// tasks, resident memory was twice the heap in use (heaptrack: 112 MB heap peak, 221 MB RSS
/// at 20,000 articles). Two arenas still let both cores allocate at once. Set before any
/// thread starts; `MALLOC_ARENA_MAX` in the environment still wins. Large blocks are mapped
/// at a fixed threshold (below).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; called before other threads exist.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
    // glibc raises its mmap threshold to the size of each large block freed (up to 32 MB),
    // after which such blocks come from the arenas and stay resident there. Stored claims
    // are decompressed into a 16 MiB buffer (`zstd::bulk::decompress`'s bound) per version:
    // after the first one, every later one was carved from the heap, and the heap kept up to
    // twice that above its top untrimmed. A fixed threshold (setting it turns the adjustment
    // off) maps each such block and returns it when freed: 17 MB less peak RSS at 20,000
    // articles. 4 MiB rather than glibc's initial 128 KiB: the same RSS, and blocks between
    // the two are not mapped and unmapped each time. `MALLOC_MMAP_THRESHOLD_` wins.
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: as above.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
        }
    }
}

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    limit_malloc_arenas();
    let cli = factdiff::cli::Cli::parse();
    if let Err(e) = factdiff::cli::main_with(cli) {
        if e.error.to_string() != "invalid config" {
            eprintln!("factdiff: {:#}", e.error);
        }
        std::process::exit(e.code);
    }
}
