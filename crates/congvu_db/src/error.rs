//! The crate's one error enum, built in one place from SeaORM's errors.

use sea_orm::{DbErr, SqlErr};

/// What a query can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row does not exist, or is outside the caller's reach.
    #[error("not found")]
    NotFound,
    /// A unique or foreign-key constraint refused the write.
    #[error("constraint violated: {constraint}")]
    Conflict { constraint: String },
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
        match err {
            DbErr::RecordNotFound(_) => Self::NotFound,
            DbErr::ConnectionAcquire(e) => Self::Unavailable(e.to_string()),
            DbErr::Conn(e) => Self::Unavailable(e.to_string()),
            other => Self::Unexpected(other),
        }
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
