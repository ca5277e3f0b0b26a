//! `folder` sources: a directory watched with `notify` (debounced), plus a periodic rescan
//! as a safety net for missed events (network filesystems, overflowed inotify queues).
//! Every file created or modified is a version of the article named by the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::Ctx;
use crate::config::SourceConfig;
use crate::observe::{Observation, Observed, Seen};

/// Files we never treat as articles: hidden files, editor backups, partial downloads.
pub fn is_candidate(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !(name.starts_with('.')
        || name.ends_with('~')
        || [".tmp", ".part", ".swp", ".crdownload", ".partial"]
            .iter()
            .any(|s| name.ends_with(s)))
}

/// The article identity of a file: its absolute `file://` URL.
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    url::Url::from_file_path(&abs)
        .map(|u| u.to_string())
        .unwrap_or_else(|_| format!("file://{}", abs.display()))
}

fn content_type_for(path: &Path) -> Option<&'static str> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm" | "xhtml") => Some("text/html"),
        Some("txt" | "text" | "md") => Some("text/plain"),
        _ => None,
    }
}

/// Reads a file into an observation of the article `url` (the file's own URL unless given).
pub fn read_file(path: &Path, max_body: u64) -> Seen {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Seen::Failed {
                error: format!("cannot read {}: {e}", path.display()),
                status: None,
            };
        }
    };
    if meta.len() > max_body {
        return Seen::Failed {
            error: format!(
                "{} is {} bytes, over the {max_body}-byte fetch.max_body limit",
                path.display(),
                meta.len()
            ),
            status: None,
        };
    }
    let raw = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return Seen::Failed {
                error: format!("cannot read {}: {e}", path.display()),
                status: None,
            };
        }
    };
    if raw.iter().take(1024).any(|b| *b == 0) {
        return Seen::Failed {
            error: format!("{} is a binary file, not HTML or text", path.display()),
            status: None,
        };
    }
    let ct = content_type_for(path);
    let (body, _charset) = crate::fetch::decode_body(&raw, ct);
    Seen::Document {
        body,
        raw,
        content_type: ct.map(String::from),
        final_url: None,
        etag: None,
        last_modified: None,
        status: None,
    }
}

/// Records one file as a version.
pub async fn ingest(
    ctx: &Ctx,
    src: &SourceConfig,
    path: &Path,
    at: DateTime<Utc>,
) -> Result<Observed, crate::observe::ObserveError> {
    let started = std::time::Instant::now();
    let seen = read_file(path, ctx.config.fetch.max_body);
    let obs = Observation {
        schedule: None,
        source_health: true,
        site_rules: Default::default(),
        source: Some(src.name.clone()),
        outlet: src.outlet.clone(),
        url: file_url(path),
        use_canonical: false,
        at,
        seen,
        duration_ms: started.elapsed().as_millis() as u64,
        failing_after: ctx.config.fetch.failing_after,
        next_check_at: None,
    };
    ctx.observe(obs).await
}

/// Remembers size and mtime of each file so a rescan only re-reads what changed.
#[derive(Default)]
pub struct FileStates {
    files: HashMap<PathBuf, (SystemTime, u64)>,
}

/// Lists candidate files under `dir` (recursively, a few levels deep).
pub fn list_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, SystemTime, u64)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if depth == 0 => return Err(e),
            Err(_) => continue,
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() && depth < 4 && is_candidate(&p) {
                stack.push((p, depth + 1));
            } else if m.is_file() && is_candidate(&p) {
                out.push((p, m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Scans the folder and ingests new or changed files. Returns the number ingested.
pub async fn scan(ctx: &Ctx, src: &SourceConfig, state: &mut FileStates) -> usize {
    let dir = src.path.clone().unwrap_or_default();
    let files = match tokio::task::spawn_blocking({
        let dir = dir.clone();
        move || list_files(&dir)
    })
    .await
    .expect("scan task panicked")
    {
        Ok(f) => f,
        Err(e) => {
            let obs = Observation {
                schedule: None,
                source_health: true,
                site_rules: Default::default(),
                source: Some(src.name.clone()),
                outlet: src.outlet.clone(),
                url: file_url(&dir),
                use_canonical: false,
                at: Utc::now(),
                seen: Seen::Failed {
                    error: format!("cannot read folder {}: {e}", dir.display()),
                    status: None,
                },
                duration_ms: 0,
                failing_after: ctx.config.fetch.failing_after,
                next_check_at: None,
            };
            let _ = ctx.observe(obs).await;
            return 0;
        }
    };
    let mut n = 0;
    for (path, mtime, len) in files {
        if state.files.get(&path) == Some(&(mtime, len)) {
            continue;
        }
        state.files.insert(path.clone(), (mtime, len));
        if ingest(ctx, src, &path, Utc::now()).await.is_ok() {
            n += 1;
        }
    }
    n
}

/// Watches the folder until cancelled: file events (debounced) plus a periodic rescan.
pub async fn watch(ctx: Ctx, src: SourceConfig, cancel: CancellationToken) {
    use notify::RecursiveMode;
    let dir = src.path.clone().unwrap_or_default();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(source = %src.name, "cannot create folder {}: {e}", dir.display());
    }
    let mut state = FileStates::default();
    scan(&ctx, &src, &mut state).await;

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let debouncer =
        notify_debouncer_full::new_debouncer(Duration::from_millis(150), None, move |res| {
            let _ = tx.send(res);
        });
    let mut debouncer = match debouncer {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(source = %src.name, "file watching unavailable ({e}); relying on rescans");
            None
        }
    };
    if let Some(d) = debouncer.as_mut()
        && let Err(e) = d.watch(&dir, RecursiveMode::Recursive)
    {
        tracing::warn!(source = %src.name, "cannot watch {} ({e}); relying on rescans", dir.display());
    }
    let mut rescan = tokio::time::interval(ctx.config.schedule.folder_rescan);
    rescan.tick().await;
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = rescan.tick() => { scan(&ctx, &src, &mut state).await; }
            Some(res) = rx.recv() => {
                let paths: Vec<PathBuf> = match res {
                    Ok(events) => events.into_iter().flat_map(|e| e.event.paths).collect(),
                    Err(errs) => {
                        for e in errs { tracing::warn!(source = %src.name, "watch error: {e}"); }
                        Vec::new()
                    }
                };
                let mut paths: Vec<PathBuf> = paths.into_iter().filter(|p| is_candidate(p)).collect();
                paths.sort();
                paths.dedup();
                for p in paths {
                    let Ok(m) = std::fs::metadata(&p) else { continue };
                    if !m.is_file() { continue; }
                    let key = (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len());
                    if state.files.get(&p) == Some(&key) { continue; }
                    state.files.insert(p.clone(), key);
                    let _ = ingest(&ctx, &src, &p, Utc::now()).await;
                }
            }
        }
    }
    drop(debouncer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates() {
        assert!(is_candidate(Path::new("/x/story.html")));
        assert!(!is_candidate(Path::new("/x/.story.html.swp")));
        assert!(!is_candidate(Path::new("/x/story.html~")));
        assert!(!is_candidate(Path::new("/x/story.part")));
    }

    #[test]
    fn binary_and_oversized_files_are_errors() {
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("a.bin");
        std::fs::write(&bin, [0u8, 1, 2, 3]).unwrap();
        assert!(
            matches!(read_file(&bin, 100), Seen::Failed { error, .. } if error.contains("binary"))
        );
        let big = d.path().join("b.txt");
        std::fs::write(&big, vec![b'a'; 200]).unwrap();
        assert!(
            matches!(read_file(&big, 100), Seen::Failed { error, .. } if error.contains("max_body"))
        );
        let ok = d.path().join("c.txt");
        std::fs::write(&ok, "Headline\n\nBody.").unwrap();
        assert!(
            matches!(read_file(&ok, 100), Seen::Document { content_type: Some(ct), .. } if ct == "text/plain")
        );
    }
}
