//! `factdiff copy --to postgres://…`: a SQLite store into an empty PostgreSQL database.
//!
//! Every table that holds history is copied row for row with its ids (so URLs, API cursors
//! and event ids stay valid), in one transaction with binary `COPY`, then each table is read
//! back from both sides in key order and compared by row count and a hash of every value.
//! The source is migrated first, so both sides have the same columns; `workers` and
//! `host_turns` (runtime state) are not copied.

use std::path::Path;

use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use xxhash_rust::xxh3::Xxh3;

use super::{PgStore, redact};
use crate::store::{Result, SqliteStore, StoreError};

/// Tables in foreign-key order, with the key that orders their rows on both sides.
const TABLES: &[(&str, &str)] = &[
    ("sources", "id"),
    ("articles", "id"),
    ("article_aliases", "url"),
    ("versions", "id"),
    ("fetches", "id"),
    ("events", "seq"),
    ("outbox", "id"),
    ("delivery_attempts", "id"),
    ("story_members", "article_id"),
    ("story_links", "a, b"),
    ("story_meta", "id"),
    ("story_findings", "id"),
    ("fact_changes", "id"),
];

/// Tables whose `id` (events: `seq`) is an identity to move past the copied rows.
const IDENTITIES: &[(&str, &str)] = &[
    ("sources", "id"),
    ("articles", "id"),
    ("versions", "id"),
    ("fetches", "id"),
    ("events", "seq"),
    ("outbox", "id"),
    ("delivery_attempts", "id"),
    ("story_findings", "id"),
    ("fact_changes", "id"),
];

/// One table's verification.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCopy {
    pub table: String,
    pub source_rows: i64,
    pub target_rows: i64,
    /// xxh3 of every value of every row, in key order (the source's).
    pub hash: u64,
    pub target_hash: u64,
    pub matches: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyReport {
    pub tables: Vec<TableCopy>,
    pub verified: bool,
}

/// A value as PostgreSQL stores it (SQLite's integers become booleans where the column is).
#[derive(Debug)]
enum Val {
    Null(Type),
    Int(i64),
    Bool(bool),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Val {
    fn from_sqlite(v: rusqlite::types::ValueRef<'_>, ty: &Type) -> Result<Val> {
        use rusqlite::types::ValueRef as R;
        let bad =
            |what: &str| StoreError::Corrupt(format!("cannot copy {what} into a {ty} column"));
        Ok(match (v, ty) {
            (R::Null, t) => Val::Null(t.clone()),
            (R::Integer(i), t) if *t == Type::INT8 => Val::Int(i),
            (R::Integer(i), t) if *t == Type::BOOL => Val::Bool(i != 0),
            (R::Integer(i), t) if *t == Type::FLOAT8 => Val::Float(i as f64),
            (R::Integer(i), t) if *t == Type::TEXT => Val::Text(i.to_string()),
            (R::Real(f), t) if *t == Type::FLOAT8 => Val::Float(f),
            (R::Text(s), t) if *t == Type::TEXT => {
                Val::Text(String::from_utf8_lossy(s).into_owned())
            }
            (R::Text(s), t) if *t == Type::BYTEA => Val::Bytes(s.to_vec()),
            (R::Blob(b), t) if *t == Type::BYTEA => Val::Bytes(b.to_vec()),
            (R::Real(_), _) => return Err(bad("a real")),
            (R::Integer(_), _) => return Err(bad("an integer")),
            (R::Text(_), _) => return Err(bad("text")),
            (R::Blob(_), _) => return Err(bad("a blob")),
        })
    }

    fn from_pg(r: &tokio_postgres::Row, i: usize, ty: &Type) -> Val {
        let null = || Val::Null(ty.clone());
        match *ty {
            Type::INT8 => r.get::<_, Option<i64>>(i).map_or_else(null, Val::Int),
            Type::BOOL => r.get::<_, Option<bool>>(i).map_or_else(null, Val::Bool),
            Type::FLOAT8 => r.get::<_, Option<f64>>(i).map_or_else(null, Val::Float),
            Type::BYTEA => r.get::<_, Option<Vec<u8>>>(i).map_or_else(null, Val::Bytes),
            _ => r.get::<_, Option<String>>(i).map_or_else(null, Val::Text),
        }
    }

    fn sql(&self) -> &(dyn ToSql + Sync) {
        const NO_INT: Option<i64> = None;
        const NO_BOOL: Option<bool> = None;
        const NO_FLOAT: Option<f64> = None;
        const NO_TEXT: Option<String> = None;
        const NO_BYTES: Option<Vec<u8>> = None;
        match self {
            Val::Null(t) if *t == Type::INT8 => &NO_INT,
            Val::Null(t) if *t == Type::BOOL => &NO_BOOL,
            Val::Null(t) if *t == Type::FLOAT8 => &NO_FLOAT,
            Val::Null(t) if *t == Type::BYTEA => &NO_BYTES,
            Val::Null(_) => &NO_TEXT,
            Val::Int(i) => i,
            Val::Bool(b) => b,
            Val::Float(f) => f,
            Val::Text(s) => s,
            Val::Bytes(b) => b,
        }
    }

    fn hash(&self, h: &mut Xxh3) {
        match self {
            Val::Null(_) => h.update(&[0]),
            Val::Int(i) => {
                h.update(&[1]);
                h.update(&i.to_le_bytes());
            }
            Val::Bool(b) => h.update(&[2, *b as u8]),
            Val::Float(f) => {
                h.update(&[3]);
                h.update(&f.to_bits().to_le_bytes());
            }
            Val::Text(s) => {
                h.update(&[4]);
                h.update(&(s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
            Val::Bytes(b) => {
                h.update(&[5]);
                h.update(&(b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }
}

/// The columns both sides have, with the PostgreSQL type (events' `seq` is SQLite's rowid).
async fn columns(
    src: &rusqlite::Connection,
    c: &deadpool_postgres::Object,
    table: &str,
) -> Result<Vec<(String, Type)>> {
    let mut st = src.prepare(&format!("PRAGMA table_info({table})"))?;
    let mut names: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<_>>()?;
    if table == "events" {
        names.insert(0, "seq".into());
    }
    let types = c
        .query(
            "SELECT column_name::text, udt_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
            &[&table],
        )
        .await?;
    let ty = |name: &str| {
        types
            .iter()
            .find(|r| r.get::<_, &str>(0) == name)
            .map(|r| match r.get::<_, &str>(1) {
                "int8" => Type::INT8,
                "bool" => Type::BOOL,
                "float8" => Type::FLOAT8,
                "bytea" => Type::BYTEA,
                _ => Type::TEXT,
            })
    };
    let cols: Vec<_> = names
        .into_iter()
        .filter_map(|n| ty(&n).map(|t| (n, t)))
        .collect();
    if cols.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "table {table} missing on one side"
        )));
    }
    Ok(cols)
}

/// The SQLite SELECT of `cols` in key order.
fn sqlite_select(table: &str, key: &str, cols: &[(String, Type)]) -> String {
    let list: Vec<&str> = cols
        .iter()
        .map(|(n, _)| {
            if table == "events" && n == "seq" {
                "rowid"
            } else {
                n.as_str()
            }
        })
        .collect();
    let key = if table == "events" { "rowid" } else { key };
    format!("SELECT {} FROM {table} ORDER BY {key}", list.join(", "))
}

/// Copies the SQLite store at `path` into the empty PostgreSQL database at `url`, then
/// verifies it.
pub fn sqlite_to_postgres(path: &Path, url: &str) -> Result<CopyReport> {
    // Brings the source's schema to this build's, so both sides have the same columns.
    drop(SqliteStore::open(path)?);
    let src =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let pg = PgStore::open(url, true)?;
    pg.run(async {
        let mut c = pg.client().await?;
        let used: i64 = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM sources) + (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM events)",
                &[],
            )
            .await?
            .get(0);
        if used > 0 {
            return Err(StoreError::Open {
                path: redact(url),
                why: format!(
                    "the target database already holds data ({used} sources, articles and events); \
                     copy into a new, empty database"
                ),
            });
        }
        let mut plan = Vec::new();
        for (table, key) in TABLES {
            plan.push((*table, *key, columns(&src, &c, table).await?));
        }
        let tx = c.transaction().await?;
        tx.execute("DELETE FROM story_meta", &[]).await?;
        for (table, key, cols) in &plan {
            let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
            let types: Vec<Type> = cols.iter().map(|(_, t)| t.clone()).collect();
            let sink = tx
                .copy_in(&format!("COPY {table} ({}) FROM STDIN BINARY", names.join(", ")))
                .await?;
            let writer = BinaryCopyInWriter::new(sink, &types);
            let mut writer = std::pin::pin!(writer);
            let mut st = src.prepare(&sqlite_select(table, key, cols))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let vals = (0..cols.len())
                    .map(|i| Val::from_sqlite(r.get_ref(i)?, &cols[i].1))
                    .collect::<Result<Vec<_>>>()?;
                let refs: Vec<&(dyn ToSql + Sync)> = vals.iter().map(Val::sql).collect();
                writer.as_mut().write(&refs).await?;
            }
            writer.finish().await?;
        }
        for (table, col) in IDENTITIES {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', '{col}'),
                        GREATEST(COALESCE(MAX({col}), 0), 1), COALESCE(MAX({col}), 0) > 0) FROM {table}"
                ),
                &[],
            )
            .await?;
        }
        tx.commit().await?;

        let mut tables = Vec::new();
        for (table, key, cols) in &plan {
            let (source_rows, hash) = {
                let mut h = Xxh3::new();
                let mut n = 0i64;
                let mut st = src.prepare(&sqlite_select(table, key, cols))?;
                let mut rows = st.query([])?;
                while let Some(r) = rows.next()? {
                    for (i, (_, ty)) in cols.iter().enumerate() {
                        Val::from_sqlite(r.get_ref(i)?, ty)?.hash(&mut h);
                    }
                    n += 1;
                }
                (n, h.digest())
            };
            let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
            let rows = c
                .query(
                    &format!("SELECT {} FROM {table} ORDER BY {key}", names.join(", ")),
                    &[],
                )
                .await?;
            let mut h = Xxh3::new();
            for r in &rows {
                for (i, (_, ty)) in cols.iter().enumerate() {
                    Val::from_pg(r, i, ty).hash(&mut h);
                }
            }
            let target_hash = h.digest();
            let target_rows = rows.len() as i64;
            tables.push(TableCopy {
                table: table.to_string(),
                source_rows,
                target_rows,
                hash,
                target_hash,
                matches: source_rows == target_rows && hash == target_hash,
            });
        }
        let verified = tables.iter().all(|t| t.matches);
        Ok(CopyReport { tables, verified })
    })
}
