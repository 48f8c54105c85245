//! Bulk reads of many narrow rows as one JSON document the database builds, and bulk inserts
//! whose next statement is built while the one before it runs.
//!
//! Reads. The driver hands every row across a channel and copies every value of it with an
//! allocation (sqlx-sqlite: a flume hop a row, `sqlite3_value_dup` a column); for a province's
//! year end, 100,000 employment slices and 100,000 yearly sums, that was most of the time, while
//! SQLite itself reads them in a tenth of it (docs/OPERATIONS.md, "Year-end classification at
//! scale"). Here the database aggregates the rows into one JSON array of arrays
//! (`json_group_array` on SQLite, `json_agg` on PostgreSQL) and the caller parses it with serde,
//! borrowing strings from the document.
//!
//! Values arrive as each backend writes them: a UUID as 32 hex digits (SQLite, which stores it
//! as 16 bytes) or hyphenated (PostgreSQL), both of which [`uuid`] parses; a date as
//! `YYYY-MM-DD`; a boolean as `true`/`false` on both.
//!
//! Writes. [`insert`] builds the active models and SQL of the next multi-row INSERT while the
//! one before it runs. On SQLite the statement runs on the driver's worker thread, so the two
//! overlap on a second core; converting a statement's values into the driver's arguments still
//! happens between statements. On PostgreSQL the overlap is partial: a statement not yet prepared
//! waits for the server's description before its rows are sent, and a large bind may not leave
//! in one write.

use sea_orm::sea_query::{Condition, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityName, EntityTrait, Iden, QueryTrait,
    Statement,
};

use crate::DbError;

/// How a column is written into the document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field<C> {
    /// A UUID: a string, in either backend's form.
    Uuid(C),
    /// A boolean: `true` or `false`.
    Bool(C),
    /// Text, numbers and dates (`YYYY-MM-DD`) as they are.
    Plain(C),
}

impl<C: Iden> Field<C> {
    fn sql(&self, table: &str, backend: DbBackend) -> String {
        let (Self::Uuid(c) | Self::Bool(c) | Self::Plain(c)) = self;
        let col = format!("\"{table}\".\"{}\"", c.to_string());
        match (self, backend) {
            (Self::Uuid(_), DbBackend::Sqlite) => format!("lower(hex({col}))"),
            (Self::Bool(_), DbBackend::Sqlite) => {
                format!("CASE WHEN {col} THEN json('true') ELSE json('false') END")
            }
            _ => col,
        }
    }
}

/// The rows of `table` that `condition` keeps, as one JSON array of arrays of `fields` (`[]` when
/// none). The caller deserialises it; the order of rows is unspecified.
pub(crate) async fn rows<E: EntityName, C: Iden>(
    db: &impl ConnectionTrait,
    table: E,
    fields: &[Field<C>],
    condition: Condition,
) -> Result<String, DbError> {
    let backend = db.get_database_backend();
    let name = table.table_name();
    let values = fields
        .iter()
        .map(|f| f.sql(name, backend))
        .collect::<Vec<_>>()
        .join(", ");
    let aggregate = match backend {
        DbBackend::Postgres => format!("json_agg(json_build_array({values}))::text"),
        _ => format!("json_group_array(json_array({values}))"),
    };
    let select = Query::select()
        .expr(Expr::cust(aggregate))
        .from(table)
        .cond_where(condition)
        .to_owned();
    let Some(row) = db.query_one_raw(backend.build(&select)).await? else {
        return Ok("[]".into());
    };
    let doc: Option<String> = row.try_get_by_index(0)?;
    Ok(doc.unwrap_or_else(|| "[]".into()))
}

/// Parses a document of [`rows`] into borrowed tuples.
pub(crate) fn parse<'a, T: serde::Deserialize<'a>>(doc: &'a str) -> Result<Vec<T>, DbError> {
    serde_json::from_str(doc).map_err(|e| DbError::Corrupt(format!("bulk read: {e}")))
}

/// A UUID as either backend writes it into a document.
pub(crate) fn uuid(s: &str) -> Result<uuid::Uuid, DbError> {
    uuid::Uuid::try_parse(s).map_err(|_| DbError::corrupt("uuid", s))
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date(s: &str) -> Result<chrono::NaiveDate, DbError> {
    s.parse().map_err(|_| DbError::corrupt("date", s))
}

/// Inserts `rows`, `chunk` a statement, in the iterator's order. Each statement is built (its
/// rows drawn from the iterator) while the one before it runs; the first failure, of a row or of
/// a statement, ends the insert and is returned, leaving the rows of earlier statements for the
/// caller's transaction to roll back. (`rows` is a trait object so that the callers' futures,
/// which Rocket needs to be `Send`, hold no closure type over a borrowed row:
/// rust-lang/rust#64552.)
pub(crate) async fn insert<A>(
    db: &impl ConnectionTrait,
    chunk: usize,
    rows: &mut (dyn Iterator<Item = Result<A, DbError>> + Send),
) -> Result<(), DbError>
where
    A: ActiveModelTrait,
{
    let backend = db.get_database_backend();
    let mut build = || -> Result<Option<Statement>, DbError> {
        let models = (&mut *rows)
            .take(chunk.max(1))
            .collect::<Result<Vec<A>, _>>()?;
        Ok((!models.is_empty())
            .then(|| backend.build(&A::Entity::insert_many(models).into_query())))
    };
    let mut ready = build()?;
    while let Some(statement) = ready {
        // `join` polls the statement first (sqlx-sqlite hands it to its worker on that poll),
        // then builds the next, and returns once both are done; a statement's error wins.
        let (ran, next) =
            futures_util::future::join(db.execute_raw(statement), async { build() }).await;
        ran?;
        ready = next?;
    }
    Ok(())
}
