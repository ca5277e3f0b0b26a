//! Throwaway databases for tests (unit and integration): each test creates its own uniquely
//! named database on the server named by `FACTDIFF_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and drops it afterwards. When no server
//! answers, [`TempDb::create`] prints a notice once and returns `None`, so the caller skips.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_postgres::NoTls;

/// The admin connection tests create databases with.
pub fn admin_url() -> String {
    std::env::var("FACTDIFF_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database that exists as long as this value.
pub struct TempDb {
    admin: String,
    name: String,
    /// `postgres://…/NAME` of the new database.
    pub url: String,
}

/// Runs `f` on a fresh thread with its own runtime (callable from sync and async tests).
fn on_own_runtime<T: Send + 'static>(
    f: impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("test runtime")
            .block_on(f())
    })
    .join()
    .expect("test database thread panicked")
}

async fn admin_exec(admin: String, sql: String) -> Result<(), String> {
    let (client, conn) =
        tokio_postgres::connect(&admin, NoTls).await.map_err(
            |e| match std::error::Error::source(&e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            },
        )?;
    let task = tokio::spawn(conn);
    let r = client.batch_execute(&sql).await.map_err(|e| e.to_string());
    drop(client);
    let _ = task.await;
    r
}

static SEQ: AtomicUsize = AtomicUsize::new(0);
static NOTICE: std::sync::Once = std::sync::Once::new();

impl TempDb {
    /// A new empty database, or `None` (with a notice on stderr) when no server answers.
    pub fn create() -> Option<TempDb> {
        let admin = admin_url();
        let name = format!(
            "factdiff_test_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed),
            fastrand::u32(..)
        );
        let (a, sql) = (admin.clone(), format!("CREATE DATABASE {name}"));
        match on_own_runtime(move || Box::pin(admin_exec(a, sql))) {
            Ok(()) => {}
            Err(e) => {
                // Written to stderr directly: the test harness captures eprintln! of passing
                // tests, and this notice must be seen.
                NOTICE.call_once(|| {
                    use std::io::Write as _;
                    let _ = writeln!(
                        std::io::stderr(),
                        "NOTICE: PostgreSQL tests skipped: cannot create a database via {} ({e}); \
                         start a server or set FACTDIFF_TEST_POSTGRES=postgres://…",
                        super::redact(&admin)
                    );
                });
                return None;
            }
        }
        let mut url = url::Url::parse(&admin).expect("admin URL parsed by the server already");
        url.set_path(&format!("/{name}"));
        Some(TempDb {
            admin,
            name,
            url: url.to_string(),
        })
    }

    /// Runs SQL on this database (e.g. to simulate a crash's lost rows).
    pub fn exec(&self, sql: &str) {
        let (url, sql) = (self.url.clone(), sql.to_string());
        on_own_runtime(move || Box::pin(admin_exec(url, sql))).expect("test SQL");
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let (a, sql) = (
            self.admin.clone(),
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
        if let Err(e) = on_own_runtime(move || Box::pin(admin_exec(a, sql))) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}
