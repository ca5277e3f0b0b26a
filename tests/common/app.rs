//! Runs the real `factdiff` binary against a config in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct App {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

pub const BIN: &str = env!("CARGO_BIN_EXE_factdiff");

impl App {
    /// A config whose store lives in the temp dir; `extra` is appended verbatim.
    pub fn new(extra: &str) -> App {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("factdiff.toml");
        let app = App { dir, config };
        app.write_config(extra);
        app
    }

    pub fn write_config(&self, extra: &str) {
        let text = format!(
            "[storage]\nurl = \"sqlite://{}\"\n\n{extra}\n",
            self.dir.path().join("store.db").display()
        );
        std::fs::write(&self.config, text).unwrap();
    }

    /// Like [`write_config`](Self::write_config) with the store at `store` instead.
    pub fn write_config_with_store(&self, store: &Path, extra: &str) {
        let text = format!(
            "[storage]\nurl = \"sqlite://{}\"\n\n{extra}\n",
            store.display()
        );
        std::fs::write(&self.config, text).unwrap();
    }

    pub fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("-c")
            .arg(&self.config)
            .args(args)
            .current_dir(self.dir.path());
        c.env_remove("FACTDIFF_CONFIG")
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "factdiff {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }

    /// Starts `factdiff run` with stderr captured to a log file in the temp dir.
    pub fn spawn(&self) -> Child {
        let log = std::fs::File::create(self.path("daemon.log")).unwrap();
        self.command(&["run"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("daemon.log")).unwrap_or_default()
    }

    /// Versions stored for the article at `url` (0 if unknown).
    pub fn version_count(&self, url: &str) -> i64 {
        let out = self.run(&["history", url, "--json"]);
        if !out.status.success() {
            return 0;
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["versions"].as_array().map_or(0, |a| a.len() as i64)
    }
}

pub struct Daemon(pub Child);

impl std::ops::Deref for Daemon {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Daemon {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn signal(child: &Child, sig: i32) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Waits for the child to exit; kills it after `timeout`.
pub fn wait_exit(child: &mut Child, timeout: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    None
}

/// `../shared/fixtures` if present (a user's clone has no `../shared`).
pub fn shared_fixtures() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("NOTICE: ../shared/fixtures not found; skipping the tests that use it");
        None
    }
}
