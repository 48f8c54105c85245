//! The crate's one error enum, built in one place from SeaORM's errors.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// What a query can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row does not exist, or is outside the caller's reach.
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("constraint violated: {constraint}")]
    Conflict { constraint: String },
    /// The disk (or the database's size cap) is full: the write was not stored.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// The database could not be reached in time.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A stored value no longer maps to the domain (an edited row, a bad enum code).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Anything else from the driver.
    #[error(transparent)]
    Unexpected(DbErr),
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(msg)) => {
                return Self::Conflict { constraint: msg };
            }
            Some(SqlErr::ForeignKeyConstraintViolation(msg)) => {
                return Self::Conflict { constraint: msg };
            }
            _ => {}
        }
        if is_storage_full(&err) {
            return Self::StorageFull(err.to_string());
        }
        match err {
            DbErr::RecordNotFound(_) => Self::NotFound,
            DbErr::ConnectionAcquire(e) => Self::Unavailable(e.to_string()),
            DbErr::Conn(e) => Self::Unavailable(e.to_string()),
            other => Self::Unexpected(other),
        }
    }
}

/// SQLite's SQLITE_FULL (13) and PostgreSQL's `disk_full` (SQLSTATE 53100).
fn is_storage_full(err: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))
    | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    match &**e {
        sea_orm::sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("13" | "53100"))
        }
        _ => false,
    }
}

impl DbError {
    /// A row whose stored text no longer parses into the domain.
    pub(crate) fn corrupt(what: &str, value: &str) -> Self {
        Self::Corrupt(format!("{what}: {value:?}"))
    }

    /// Whether a conflict names this constraint or column (backends word messages differently).
    pub fn is_conflict_on(&self, needle: &str) -> bool {
        matches!(self, Self::Conflict { constraint } if constraint.contains(needle))
    }
}
