//! Letters and letterheads in storage. A letter's content, signature block and warnings are
//! versioned JSON documents private to this crate (`stored`); this module keeps them with the
//! workflow columns (state, number, PDF) and the per-body yearly counters that number letters
//! without gaps.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::ids::UnitId;
use congvu_core::letter::{Cause, Letterhead, State};
use congvu_core::policy::Reach;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{letter, letter_counter, letterhead};
use crate::{DbError, Page, scope};

mod stored;

pub use stored::{LetterApplicant, LetterContent, LetterDossier, LetterSignature, LetterWarning};

/// A letter without its PDF bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRecord {
    pub id: Uuid,
    pub unit: UnitId,
    pub cause: Cause,
    pub form_key: String,
    pub state: State,
    /// What the officer drafted.
    pub content: LetterContent,
    pub dossier_code: Option<String>,
    pub violation_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
    pub number_year: Option<i32>,
    pub number_seq: Option<i32>,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub issued_by: Option<Uuid>,
    /// The signature block given at issue.
    pub signature: Option<LetterSignature>,
    /// The unverified rules the letter broke, accepted with a warning at issue.
    pub warnings: Vec<LetterWarning>,
    pub pdf_sha256: Option<String>,
    pub revoke_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: Uuid,
    unit_id: Uuid,
    cause: String,
    form_key: String,
    state: String,
    content: String,
    dossier_code: Option<String>,
    violation_id: Option<Uuid>,
    complaint_id: Option<Uuid>,
    number_year: Option<i32>,
    number_seq: Option<i32>,
    number: Option<String>,
    issued_on: Option<NaiveDate>,
    issued_by: Option<Uuid>,
    signature: Option<String>,
    warnings: Option<String>,
    pdf_sha256: Option<String>,
    revoke_reason: Option<String>,
    created_by: Uuid,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const COLUMNS: [letter::Column; 21] = [
    letter::Column::Id,
    letter::Column::UnitId,
    letter::Column::Cause,
    letter::Column::FormKey,
    letter::Column::State,
    letter::Column::Content,
    letter::Column::DossierCode,
    letter::Column::ViolationId,
    letter::Column::ComplaintId,
    letter::Column::NumberYear,
    letter::Column::NumberSeq,
    letter::Column::Number,
    letter::Column::IssuedOn,
    letter::Column::IssuedBy,
    letter::Column::Signature,
    letter::Column::Warnings,
    letter::Column::PdfSha256,
    letter::Column::RevokeReason,
    letter::Column::CreatedBy,
    letter::Column::CreatedAt,
    letter::Column::UpdatedAt,
];

impl TryFrom<Row> for LetterRecord {
    type Error = DbError;

    fn try_from(r: Row) -> Result<Self, DbError> {
        Ok(Self {
            id: r.id,
            unit: UnitId::from_uuid(r.unit_id),
            cause: Cause::parse(&r.cause)
                .ok_or_else(|| DbError::corrupt("letter cause", &r.cause))?,
            form_key: r.form_key,
            state: State::parse(&r.state)
                .ok_or_else(|| DbError::corrupt("letter state", &r.state))?,
            content: stored::decode_content(&r.content)?,
            dossier_code: r.dossier_code,
            violation_id: r.violation_id,
            complaint_id: r.complaint_id,
            number_year: r.number_year,
            number_seq: r.number_seq,
            number: r.number,
            issued_on: r.issued_on,
            issued_by: r.issued_by,
            signature: r
                .signature
                .as_deref()
                .map(stored::decode_signature)
                .transpose()?,
            warnings: r
                .warnings
                .as_deref()
                .map(stored::decode_warnings)
                .transpose()?
                .unwrap_or_default(),
            pdf_sha256: r.pdf_sha256,
            revoke_reason: r.revoke_reason,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn visible(reach: &Reach) -> Condition {
    Condition::all().add(letter::Column::UnitId.in_subquery(scope::unit_ids(reach)))
}

/// A unit's letterhead.
pub async fn letterhead(
    db: &impl ConnectionTrait,
    unit: UnitId,
) -> Result<Option<Letterhead>, DbError> {
    let Some(m) = letterhead::Entity::find_by_id(unit.as_uuid())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Letterhead::new(
        m.parent.as_deref(),
        &m.body,
        &m.symbol,
        &m.place,
        &m.archive,
    )
    .map(Some)
    .map_err(|e| DbError::Corrupt(format!("letterhead: {e}")))
}

/// Sets a unit's letterhead.
pub async fn put_letterhead(
    txn: &impl ConnectionTrait,
    unit: UnitId,
    head: &Letterhead,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let model = letterhead::ActiveModel {
        unit_id: Set(unit.as_uuid()),
        parent: Set(head.parent.clone()),
        body: Set(head.body.clone()),
        symbol: Set(head.symbol.clone()),
        place: Set(head.place.clone()),
        archive: Set(head.archive.clone()),
        updated_at: Set(now),
    };
    letterhead::Entity::insert(model)
        .on_conflict(
            OnConflict::column(letterhead::Column::UnitId)
                .update_columns([
                    letterhead::Column::Parent,
                    letterhead::Column::Body,
                    letterhead::Column::Symbol,
                    letterhead::Column::Place,
                    letterhead::Column::Archive,
                    letterhead::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// What a draft holds.
#[derive(Debug, Clone)]
pub struct DraftRow<'a> {
    pub cause: Cause,
    pub form_key: &'a str,
    pub content: &'a LetterContent,
    pub dossier_code: Option<&'a str>,
    pub violation_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
}

/// Inserts a draft.
pub async fn insert(
    txn: &impl ConnectionTrait,
    id: Uuid,
    unit: UnitId,
    draft: &DraftRow<'_>,
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    letter::ActiveModel {
        id: Set(id),
        unit_id: Set(unit.as_uuid()),
        cause: Set(draft.cause.code().to_owned()),
        form_key: Set(draft.form_key.to_owned()),
        state: Set(State::Draft.code().to_owned()),
        content: Set(stored::encode_content(draft.content)?),
        dossier_code: Set(draft.dossier_code.map(str::to_owned)),
        violation_id: Set(draft.violation_id),
        complaint_id: Set(draft.complaint_id),
        number_year: Set(None),
        number_seq: Set(None),
        number: Set(None),
        issued_on: Set(None),
        issued_by: Set(None),
        signature: Set(None),
        warnings: Set(None),
        pdf: Set(None),
        html: Set(None),
        pdf_sha256: Set(None),
        revoke_reason: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Replaces a draft's content (the caller has checked it is a draft, under lock).
pub async fn update_draft(
    txn: &impl ConnectionTrait,
    id: Uuid,
    draft: &DraftRow<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let done = letter::Entity::update_many()
        .col_expr(letter::Column::Cause, Expr::value(draft.cause.code()))
        .col_expr(letter::Column::FormKey, Expr::value(draft.form_key))
        .col_expr(
            letter::Column::Content,
            Expr::value(stored::encode_content(draft.content)?),
        )
        .col_expr(letter::Column::DossierCode, Expr::value(draft.dossier_code))
        .col_expr(letter::Column::ViolationId, Expr::value(draft.violation_id))
        .col_expr(letter::Column::ComplaintId, Expr::value(draft.complaint_id))
        .col_expr(letter::Column::UpdatedAt, Expr::value(now))
        .filter(letter::Column::Id.eq(id))
        .filter(letter::Column::State.eq(State::Draft.code()))
        .exec(txn)
        .await?;
    changed(done.rows_affected)
}

fn changed(rows: u64) -> Result<(), DbError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(DbError::Conflict {
            constraint: "letter state changed meanwhile".into(),
        })
    }
}

async fn one(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
    lock: bool,
) -> Result<LetterRecord, DbError> {
    let mut select = letter::Entity::find_by_id(id)
        .filter(visible(reach))
        .select_only()
        .columns(COLUMNS);
    if lock {
        select = select.lock(sea_orm::sea_query::LockType::Update);
    }
    select
        .into_model::<Row>()
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?
        .try_into()
}

/// A letter in reach.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<LetterRecord, DbError> {
    one(db, reach, id, false).await
}

/// A letter in reach, locked for the rest of the transaction (`FOR UPDATE` on PostgreSQL;
/// SQLite's single writer already serialises).
pub async fn find_for_update(
    txn: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<LetterRecord, DbError> {
    one(txn, reach, id, true).await
}

/// Which letters a list shows.
#[derive(Debug, Clone, Default)]
pub struct LetterFilter {
    /// Letters of this unit and its sub-units.
    pub unit_path: Option<String>,
    pub state: Option<State>,
}

/// Letters in reach, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &LetterFilter,
    page: Page,
) -> Result<Vec<LetterRecord>, DbError> {
    let mut select = letter::Entity::find().filter(visible(reach));
    if let Some(path) = &filter.unit_path {
        select = select.filter(letter::Column::UnitId.in_subquery(scope::subtree_ids(path)));
    }
    if let Some(state) = filter.state {
        select = select.filter(letter::Column::State.eq(state.code()));
    }
    select
        .select_only()
        .columns(COLUMNS)
        .order_by_desc(letter::Column::CreatedAt)
        .order_by_desc(letter::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .into_model::<Row>()
        .all(db)
        .await?
        .into_iter()
        .map(LetterRecord::try_from)
        .collect()
}

/// Moves a letter from `from` to `to`; a letter no longer in `from` is a conflict.
pub async fn set_state(
    txn: &impl ConnectionTrait,
    id: Uuid,
    from: State,
    to: State,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    transition(txn, id, from, to, None, now).await
}

/// Revokes a letter with its reason.
pub async fn revoke(
    txn: &impl ConnectionTrait,
    id: Uuid,
    from: State,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    transition(txn, id, from, State::Revoked, Some(reason), now).await
}

async fn transition(
    txn: &impl ConnectionTrait,
    id: Uuid,
    from: State,
    to: State,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut update = letter::Entity::update_many()
        .col_expr(letter::Column::State, Expr::value(to.code()))
        .col_expr(letter::Column::UpdatedAt, Expr::value(now));
    if let Some(reason) = reason {
        update = update.col_expr(letter::Column::RevokeReason, Expr::value(reason));
    }
    let done = update
        .filter(letter::Column::Id.eq(id))
        .filter(letter::Column::State.eq(from.code()))
        .exec(txn)
        .await?;
    changed(done.rows_affected)
}

/// What issuing writes.
#[derive(Debug, Clone)]
pub struct IssueRow<'a> {
    /// The form in force on the issue date (it may differ from the draft's).
    pub form_key: &'a str,
    pub year: i32,
    pub seq: u32,
    pub number: &'a str,
    pub issued_on: NaiveDate,
    pub issued_by: Uuid,
    pub signature: &'a LetterSignature,
    pub warnings: &'a [LetterWarning],
    pub pdf: &'a [u8],
    pub pdf_sha256: &'a str,
    /// The same letter as HTML, kept so that it never changes after issue either.
    pub html: &'a str,
}

/// Issues a submitted letter: number, date, signer, PDF.
pub async fn issue(
    txn: &impl ConnectionTrait,
    id: Uuid,
    row: &IssueRow<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let seq = i32::try_from(row.seq).map_err(|_| DbError::Corrupt("number out of range".into()))?;
    let done = letter::Entity::update_many()
        .col_expr(letter::Column::State, Expr::value(State::Issued.code()))
        .col_expr(letter::Column::FormKey, Expr::value(row.form_key))
        .col_expr(letter::Column::NumberYear, Expr::value(row.year))
        .col_expr(letter::Column::NumberSeq, Expr::value(seq))
        .col_expr(letter::Column::Number, Expr::value(row.number))
        .col_expr(letter::Column::IssuedOn, Expr::value(row.issued_on))
        .col_expr(letter::Column::IssuedBy, Expr::value(row.issued_by))
        .col_expr(
            letter::Column::Signature,
            Expr::value(stored::encode_signature(row.signature)?),
        )
        .col_expr(
            letter::Column::Warnings,
            Expr::value(stored::encode_warnings(row.warnings)?),
        )
        .col_expr(letter::Column::Pdf, Expr::value(row.pdf.to_vec()))
        .col_expr(letter::Column::PdfSha256, Expr::value(row.pdf_sha256))
        .col_expr(letter::Column::Html, Expr::value(row.html))
        .col_expr(letter::Column::UpdatedAt, Expr::value(now))
        .filter(letter::Column::Id.eq(id))
        .filter(letter::Column::State.eq(State::Submitted.code()))
        .exec(txn)
        .await?;
    changed(done.rows_affected)
}

/// The next number of an issuing body in a year, taken inside the issuing transaction: the
/// counter row is created if missing, then incremented, which locks it on PostgreSQL until the
/// transaction ends (SQLite's single writer serialises anyway). A rolled-back issue gives its
/// number back, so numbers have no gaps.
pub async fn next_number(
    txn: &impl ConnectionTrait,
    unit: UnitId,
    year: i32,
) -> Result<u32, DbError> {
    letter_counter::Entity::insert(letter_counter::ActiveModel {
        unit_id: Set(unit.as_uuid()),
        year: Set(year),
        last: Set(0),
    })
    .on_conflict(
        OnConflict::columns([letter_counter::Column::UnitId, letter_counter::Column::Year])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    letter_counter::Entity::update_many()
        .col_expr(
            letter_counter::Column::Last,
            Expr::col(letter_counter::Column::Last).add(1),
        )
        .filter(letter_counter::Column::UnitId.eq(unit.as_uuid()))
        .filter(letter_counter::Column::Year.eq(year))
        .exec(txn)
        .await?;
    let row = letter_counter::Entity::find_by_id((unit.as_uuid(), year))
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    u32::try_from(row.last).map_err(|_| DbError::corrupt("letter counter", &row.last.to_string()))
}

/// Overdue letters of a body for a dossier that stand issued (not revoked), other than `except`:
/// each one re-set the return date.
pub async fn reappointments(
    txn: &impl ConnectionTrait,
    unit: UnitId,
    dossier_code: &str,
    except: Uuid,
) -> Result<u32, DbError> {
    let n = letter::Entity::find()
        .filter(letter::Column::UnitId.eq(unit.as_uuid()))
        .filter(letter::Column::DossierCode.eq(dossier_code))
        .filter(letter::Column::Cause.eq(Cause::Overdue.code()))
        .filter(
            letter::Column::State
                .is_in([State::Issued, State::Delivered, State::Printed].map(State::code)),
        )
        .filter(letter::Column::Id.ne(except))
        .count(txn)
        .await?;
    u32::try_from(n).map_err(|_| DbError::Corrupt("letter count".into()))
}

/// What an issued letter was issued as: number, PDF and HTML (all `None` before issue).
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub number: Option<String>,
    pub pdf: Option<Vec<u8>>,
    pub html: Option<String>,
}

/// The stored number, PDF and HTML of a letter in reach.
pub async fn rendered(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: Uuid,
) -> Result<Stored, DbError> {
    let m = letter::Entity::find_by_id(id)
        .filter(visible(reach))
        .one(db)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(Stored {
        number: m.number,
        pdf: m.pdf,
        html: m.html,
    })
}

/// The stored PDF of a standing (not revoked) letter, unscoped: for the mail relay.
pub async fn pdf_for_mail(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(String, Vec<u8>)>, DbError> {
    Ok(letter::Entity::find_by_id(id)
        .filter(letter::Column::State.ne(State::Revoked.code()))
        .one(db)
        .await?
        .and_then(|m| m.number.zip(m.pdf)))
}

/// Locks the issuing body's letterhead row for the rest of the transaction (`FOR UPDATE` on
/// PostgreSQL; SQLite's single writer already serialises): issues of one body, whatever their
/// year, then count a dossier's earlier letters one after another.
pub async fn lock_body(txn: &impl ConnectionTrait, unit: UnitId) -> Result<(), DbError> {
    letterhead::Entity::find_by_id(unit.as_uuid())
        .lock(sea_orm::sea_query::LockType::Update)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(())
}

/// The last number an issuing body gave in a year (0 before its first letter).
pub async fn last_number(
    db: &impl ConnectionTrait,
    unit: UnitId,
    year: i32,
) -> Result<u32, DbError> {
    let last = letter_counter::Entity::find_by_id((unit.as_uuid(), year))
        .one(db)
        .await?
        .map_or(0, |c| c.last);
    u32::try_from(last).map_err(|_| DbError::corrupt("letter counter", &last.to_string()))
}
