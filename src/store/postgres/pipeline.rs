//! Many statements in one round trip: a write that used to wait for the server after each of
//! its ~15 statements (and again to prepare each) sends them all at once, in order, and
//! reads the answers afterwards. tokio-postgres pipelines requests that are in flight
//! together on one connection; the statements are prepared first (from the connection's
//! cache, so usually no round trip) so that none of them is held back by its own prepare
//! and overtaken by the next.

use futures_util::future::{join_all, try_join_all};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

pub(super) type Param<'a> = &'a (dyn ToSql + Sync);

/// Statements to run in order in one round trip (optionally inside `BEGIN` … `COMMIT`).
#[derive(Default)]
pub(super) struct Batch<'a> {
    stmts: Vec<(&'a str, Vec<Param<'a>>)>,
}

/// The first statement that failed (its index in the batch) and why.
pub(super) struct Failed {
    pub index: usize,
    pub error: tokio_postgres::Error,
}

impl From<tokio_postgres::Error> for Failed {
    fn from(error: tokio_postgres::Error) -> Self {
        Failed {
            index: usize::MAX,
            error,
        }
    }
}

/// How a batch is framed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Frame {
    /// No transaction: independent reads.
    Bare,
    /// `BEGIN` first; the caller checks the answers and ends the transaction.
    Open,
    /// `BEGIN` first and `COMMIT` last: only for batches whose every check is a server
    /// error, since PostgreSQL answers `COMMIT` of a failed transaction with a rollback.
    Committed,
}

impl<'a> Batch<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement; returns its index in the answers.
    pub fn push(&mut self, sql: &'a str, params: Vec<Param<'a>>) -> usize {
        self.stmts.push((sql, params));
        self.stmts.len() - 1
    }

    /// The statements, for running them one by one inside a transaction already open.
    pub fn stmts(&self) -> impl Iterator<Item = (&'a str, &[Param<'a>])> {
        self.stmts.iter().map(|(sql, p)| (*sql, &p[..]))
    }

    /// Sends the whole batch and returns every statement's rows, or the first failure (the
    /// transaction is then rolled back, or left failed for [`Frame::Open`]'s caller to roll
    /// back).
    pub async fn run(
        &self,
        c: &deadpool_postgres::Object,
        frame: Frame,
    ) -> Result<Vec<Vec<Row>>, Failed> {
        let prepared =
            try_join_all(self.stmts.iter().map(|(sql, _)| c.prepare_cached(sql))).await?;
        let begin = async {
            match frame {
                Frame::Bare => Ok(()),
                _ => c.batch_execute("BEGIN").await,
            }
        };
        let queries = join_all(
            prepared
                .iter()
                .zip(&self.stmts)
                .map(|(st, (_, p))| c.query(st, p)),
        );
        let commit = async {
            match frame {
                Frame::Committed => c.batch_execute("COMMIT").await,
                Frame::Open | Frame::Bare => Ok(()),
            }
        };
        // `join!` polls in argument order, and each future sends its request on its first
        // poll: the server receives BEGIN, the statements in order, then COMMIT.
        let (begun, answers, committed) = futures_util::join!(begin, queries, commit);
        begun?;
        let mut rows = Vec::with_capacity(answers.len());
        for (index, a) in answers.into_iter().enumerate() {
            match a {
                Ok(r) => rows.push(r),
                Err(error) => return Err(Failed { index, error }),
            }
        }
        committed?;
        Ok(rows)
    }
}
