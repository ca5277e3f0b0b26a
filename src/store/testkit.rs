//! The store contract suite's harness: every behavioural store test is written once against
//! `&dyn Store` and instantiated for SQLite and for PostgreSQL by [`store_tests!`].

use std::ops::Deref;

use super::Store;

/// A fresh store of one backend, with what it needs to stay alive (a temp dir or database).
pub struct TestStore {
    store: Box<dyn Store>,
    backend: Backend,
}

enum Backend {
    Sqlite(tempfile::TempDir),
    #[cfg(feature = "postgres")]
    Postgres(super::postgres::testing::TempDb),
}

impl TestStore {
    pub fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().unwrap();
        let store = super::SqliteStore::open(&dir.path().join("s.db")).unwrap();
        TestStore {
            store: Box::new(store),
            backend: Backend::Sqlite(dir),
        }
    }

    /// `None` (tests skip, with a notice) when no PostgreSQL server answers.
    #[cfg(feature = "postgres")]
    pub fn postgres() -> Option<TestStore> {
        let db = super::postgres::testing::TempDb::create()?;
        let store = super::PgStore::open(&db.url, true).unwrap();
        Some(TestStore {
            store: Box::new(store),
            backend: Backend::Postgres(db),
        })
    }

    /// Raw SQL on the store's database, behind the store's back (to simulate crashes).
    pub fn exec(&self, sql: &str) {
        match &self.backend {
            Backend::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
                c.execute_batch(sql).unwrap();
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.exec(sql),
        }
    }

    /// A second, independent handle on the same database (another process, a restart).
    pub fn reopen(&self) -> Box<dyn Store> {
        match &self.backend {
            Backend::Sqlite(dir) => {
                Box::new(super::SqliteStore::open(&dir.path().join("s.db")).unwrap())
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => Box::new(super::PgStore::open(&db.url, true).unwrap()),
        }
    }
}

impl Deref for TestStore {
    type Target = dyn Store;
    fn deref(&self) -> &(dyn Store + 'static) {
        self.store.as_ref()
    }
}

/// Runs each named `fn(&TestStore)` on SQLite and on PostgreSQL (skipped without a server).
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[test] fn $name() { super::$name(&$crate::store::testkit::TestStore::sqlite()) } )*
        }
        #[cfg(feature = "postgres")]
        mod on_postgres {
            $( #[test] fn $name() {
                if let Some(s) = $crate::store::testkit::TestStore::postgres() { super::$name(&s) }
            } )*
        }
    };
}
pub(crate) use store_tests;
