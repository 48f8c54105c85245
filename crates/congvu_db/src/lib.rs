//! Persistence for congvu: SeaORM entities, migrations on connect, query functions and the audit
//! chain. This is the only crate that knows SQL. Query functions take `&impl ConnectionTrait` so the
//! use case that calls them owns the transaction; scoped reads take the caller's [`Reach`].
//!
//! [`Reach`]: congvu_core::policy::Reach

pub mod account;
pub mod audit;
mod bulk;
pub mod calendar;
pub mod case;
pub mod classification;
pub mod codeset;
pub mod commitment;
pub mod complaint;
pub mod emulation;
pub mod entity;
mod error;
pub mod evaluation;
pub mod installation;
pub mod letter;
pub mod outbox;
pub mod retention;
mod scope;
pub mod staff;
mod stored;
pub mod unit;
pub mod violation;

use std::time::Duration;

use futures_util::future::BoxFuture;
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::sqlx::sqlite::{SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{Connection as _, Executor as _};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration_api::MigratorTrait;

pub use error::DbError;
pub use sea_orm::{ConnectionTrait as Connection, DatabaseTransaction as Transaction};

// The migrations crate re-exports sea-orm-migration; alias it so the name says what it is.
use migrations as sea_orm_migration_api;

/// A page request: `limit` ≤ 100 rows after `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u64,
    pub offset: u64,
}

impl Page {
    pub const MAX_LIMIT: u64 = 100;
    /// The largest offset SQL takes (a signed 64-bit integer); a larger one made the query builder
    /// panic (issue 20 §6).
    pub const MAX_OFFSET: u64 = u64::MAX >> 1;
}

/// The database handles: one writer and a reader pool. On SQLite the writer is a single connection
/// (SQLite has one writer; write transactions begin IMMEDIATE so they never fail to upgrade), and
/// readers are `query_only`. On PostgreSQL both are the same pool.
#[derive(Debug, Clone)]
pub struct Db {
    writer: DatabaseConnection,
    reader: DatabaseConnection,
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`), without migrating.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            let writer = Database::connect(sqlite_options(url, 1, false)).await?;
            let reader = Database::connect(sqlite_options(url, 4, true)).await?;
            Ok(Self { writer, reader })
        } else {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(5))
                .sqlx_logging(false)
                .map_sqlx_postgres_pool_opts(|o| o.after_release(postgres_released_clean));
            let pool = Database::connect(options).await?;
            Ok(Self {
                writer: pool.clone(),
                reader: pool,
            })
        }
    }

    /// Connects and applies pending migrations.
    pub async fn connect_and_migrate(url: &str) -> Result<Self, DbError> {
        let db = Self::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// How many migrations are not applied yet.
    pub async fn pending_migrations(&self) -> Result<usize, DbError> {
        Ok(migrations::Migrator::get_pending_migrations(&self.writer)
            .await?
            .len())
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), DbError> {
        migrations::Migrator::up(&self.writer, None).await?;
        Ok(())
    }

    /// The connection for reads outside a transaction.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.reader
    }

    /// The writer connection (migrations, maintenance).
    pub fn writer(&self) -> &DatabaseConnection {
        &self.writer
    }

    /// Which backend this is.
    pub fn backend(&self) -> DatabaseBackend {
        self.writer.get_database_backend()
    }

    /// Whether this is the embedded SQLite database (one node).
    pub fn is_sqlite(&self) -> bool {
        self.backend() == DatabaseBackend::Sqlite
    }

    /// Begins a write transaction (IMMEDIATE on SQLite).
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        Ok(self.writer.begin_with_options(options).await?)
    }

    /// Whether the writer can write now, for readiness (`/readyz`). On SQLite it opens a write
    /// transaction (`BEGIN IMMEDIATE`, which takes the database's write lock) and rolls it back; it
    /// does not prove there is room on the disk, which a write only learns at commit. On PostgreSQL
    /// it asks, outside any transaction, whether the server takes writes (not a standby, not
    /// read-only by default).
    pub async fn can_write(&self) -> Result<(), DbError> {
        if self.backend() == DatabaseBackend::Postgres {
            let row = self
                .writer
                .query_one_raw(sea_orm::Statement::from_string(
                    DatabaseBackend::Postgres,
                    "SELECT pg_is_in_recovery() AS standby, \
                     current_setting('default_transaction_read_only') AS read_only",
                ))
                .await?
                .ok_or_else(|| DbError::Unavailable("no answer to the readiness query".into()))?;
            let standby = row.try_get::<bool>("", "standby")?;
            let read_only = row.try_get::<String>("", "read_only")?;
            if standby || read_only != "off" {
                return Err(DbError::Unavailable("the database is read-only".to_owned()));
            }
            return Ok(());
        }
        let txn = self.begin().await?;
        txn.rollback().await?;
        Ok(())
    }

    /// Closes both pools (flushes SQLite's WAL on the last connection).
    pub async fn close(self) -> Result<(), DbError> {
        self.reader.close().await?;
        self.writer.close().await?;
        Ok(())
    }
}

/// Keeps the SQLite writer's connection only if no transaction is left open on it.
///
/// When SQLite rolls a whole transaction back by itself (SQLITE_FULL on a full disk, IOERR or
/// NOMEM, from a COMMIT or from a statement without a statement journal), the ROLLBACK the driver
/// sends when the transaction is dropped fails, and sqlx goes on counting the connection as inside
/// a transaction. Its next "transactions" are then savepoints: they still commit until one rolls
/// back, which leaves SQLite's transaction open, and from then on every write was acknowledged
/// and lost (issue 20 §1). So on every release `BEGIN; ROLLBACK` runs on the connection (sqlx's
/// worker runs commands in order, so a rollback queued by a dropped transaction has finished by
/// then, and SQLite refuses the `BEGIN` inside a transaction) and sqlx's count must be zero. A
/// connection failing either check is closed, and the pool opens a fresh one.
fn sqlite_released_clean(
    conn: &mut SqliteConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sea_orm::sqlx::Error>> {
    Box::pin(async move {
        let probe = match conn.execute("BEGIN").await {
            Ok(_) => conn.execute("ROLLBACK").await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(error) = probe {
            tracing::warn!(%error, "closing the database writer's connection: SQLite holds a transaction open on it");
            return Ok(false);
        }
        if conn.is_in_transaction() {
            tracing::warn!(
                "closing the database writer's connection: the driver counts a transaction SQLite has ended"
            );
            return Ok(false);
        }
        Ok(true)
    })
}

/// Keeps a pooled PostgreSQL connection only if sqlx counts no transaction open on it. sqlx's
/// PostgreSQL driver queues its rollback and lowers the count at once, so this holds today; it
/// guards against a driver that would not (issue 20 §1).
fn postgres_released_clean(
    conn: &mut PgConnection,
    _: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sea_orm::sqlx::Error>> {
    Box::pin(async move {
        if conn.is_in_transaction() {
            tracing::warn!("closing a database connection left inside a transaction");
            return Ok(false);
        }
        Ok(true)
    })
}

fn sqlite_options(url: &str, connections: u32, read_only: bool) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            let o = o
                .create_if_missing(!read_only)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(5))
                // 64 MiB of page cache a connection instead of SQLite's 2 MiB: the year end of a
                // province reads and writes indexes of 100,000 rows (docs/OPERATIONS.md).
                .pragma("cache_size", "-65536")
                .foreign_keys(true);
            if read_only {
                o.pragma("query_only", "ON")
            } else {
                o
            }
        });
    if !read_only {
        options.map_sqlx_sqlite_pool_opts(|o| o.after_release(sqlite_released_clean));
    }
    options
}

/// `sqlite://<path>?mode=rwc` for a file.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}
