//! Citizens' reports, public side: submit without an account (named or anonymous), get a receipt
//! shown once, follow the report and add information with the receipt. The receipt is kept only as
//! a keyed hash; the identity only sealed; neither is logged or audited in clear.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::calendar::vietnam_date;
use congvu_core::complaint::intake::{Identity, NewReport};
use congvu_core::complaint::receipt::Receipt;
use congvu_core::complaint::{Due, Kind, ReportFacts, Variant, deadlines};
use congvu_core::ids::{PersonId, UnitId};
use congvu_core::policy::Reach;
use congvu_db::DbError;
use congvu_db::complaint::{ComplaintRecord, EventRecord, IdempotentAnswer};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record;
use crate::error::{Error, Result};
use crate::state::AppState;

/// The audit name of the public (no account).
const PUBLIC: &str = "public";
/// The idempotency scope of submissions.
const SCOPE: &str = "public.complaint";

/// The first answer to a submission: the only time the receipt is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Submitted {
    /// `1234-5678-9012-3456`.
    pub receipt: String,
    pub received_on: NaiveDate,
    pub kind: String,
}

/// What a citizen sees with their receipt.
#[derive(Debug, Clone)]
pub struct Status {
    pub record: ComplaintRecord,
    pub deadlines: Vec<Due>,
    pub timeline: Vec<EventRecord>,
}

/// The identity as sealed (JSON inside the AEAD).
#[derive(Serialize, Deserialize)]
pub(crate) struct SealedIdentity {
    pub(crate) name: String,
    pub(crate) address: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
}

impl From<&Identity> for SealedIdentity {
    fn from(i: &Identity) -> Self {
        Self {
            name: i.name.clone(),
            address: i.address.clone(),
            phone: i.phone.clone(),
            email: i.email.clone(),
        }
    }
}

/// Today in Vietnam.
pub fn today(state: &AppState) -> NaiveDate {
    vietnam_date(state.clock.now())
}

/// The unit a report goes to: the unit of the official named by badge number (where they work on
/// the day of receipt), else the unit named by code.
async fn route(
    state: &AppState,
    report: &NewReport,
    on: NaiveDate,
) -> Result<(UnitId, Option<PersonId>)> {
    let db = state.db.reader();
    if let Some(code) = &report.staff_code
        && let Some(person) = congvu_db::staff::find_by_code(db, code).await?
        && let Some(slice) = congvu_core::staff::employment_on(&person.employments, on)
    {
        return Ok((slice.unit, Some(person.id)));
    }
    if let Some(code) = &report.unit_code {
        match congvu_db::unit::find_by_code(db, &Reach::All, code).await {
            Ok(unit) if unit.validity.contains(on) => return Ok((unit.id, None)),
            Ok(_) | Err(DbError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::field(
        "unit_code",
        "not_found",
        "no office with this code, and no official with this badge number",
    ))
}

fn fresh_receipt() -> Receipt {
    let mut bytes = [0u8; 15];
    let mut out = [0u8; 15];
    // Rejection sampling keeps every digit uniform (bytes ≥ 250 would favour 0–5).
    let mut filled = 0;
    while filled < 15 {
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        for b in bytes {
            if b < 250 && filled < 15 {
                out[filled] = b % 10;
                filled += 1;
            }
        }
    }
    Receipt::from_random(out)
}

fn key_hash(key: &str) -> String {
    congvu_core::audit::digest_bytes(key.as_bytes())
}

/// Replays the first answer to an idempotent submission, or `None` when the key is new.
async fn replay(state: &AppState, key: &str, fingerprint: &str) -> Result<Option<Submitted>> {
    let hash = key_hash(key);
    let Some(stored) =
        congvu_db::complaint::idempotent_answer(state.db.reader(), SCOPE, &hash).await?
    else {
        return Ok(None);
    };
    if stored.request_hash != fingerprint {
        return Err(Error::Conflict {
            code: "idempotency.key_reused",
            detail: "this Idempotency-Key was used for a different submission".into(),
        });
    }
    let plain = state
        .secrets
        .open(&stored.response_sealed, hash.as_bytes())?;
    serde_json::from_slice(&plain)
        .map(Some)
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Files a report. With an `Idempotency-Key`, a retry of the same submission gets the first
/// answer (receipt included) instead of a second report.
pub async fn submit(
    state: &AppState,
    report: NewReport,
    idempotency: Option<(&str, &str)>,
) -> Result<Submitted> {
    if let Some((key, fingerprint)) = idempotency
        && let Some(first) = replay(state, key, fingerprint).await?
    {
        return Ok(first);
    }
    let now = state.clock.now();
    let received_on = vietnam_date(now);
    let (unit, subject) = route(state, &report, received_on).await?;
    let id = Uuid::now_v7();
    let identity_sealed = match &report.identity {
        Some(identity) => {
            let json = serde_json::to_vec(&SealedIdentity::from(identity))
                .map_err(|e| Error::Internal(e.to_string()))?;
            Some(state.secrets.seal(&json, id.as_bytes())?)
        }
        None => None,
    };
    let receipt = fresh_receipt();
    let record_ = ComplaintRecord {
        id,
        unit,
        subject_person: subject,
        subject_text: report.about.clone().or(report.staff_code.clone()),
        claimed: report.claimed,
        kind: report.kind,
        variant: Variant::Standard,
        state: "received".into(),
        description: report.description.clone(),
        occurred_on: report.occurred_on,
        place: report.place.clone(),
        dossier_code: report.dossier_code.clone(),
        anonymous: report.identity.is_none(),
        identity_sealed,
        notify: report.identity.as_ref().is_some_and(|i| i.email.is_some()),
        received_on,
        accepted_on: None,
        extensions: 0,
        outcome: None,
        conclusion: None,
        created_at: now,
    };
    let first = EventRecord {
        id: Uuid::now_v7(),
        kind: "received".into(),
        tier: "citizen".into(),
        body: "Đã tiếp nhận phản ánh của bạn.".into(),
        actor: None,
        at: now,
    };
    let answer = Submitted {
        receipt: receipt.to_string(),
        received_on,
        kind: report.kind.code().into(),
    };
    let txn = state.db.begin().await?;
    congvu_db::complaint::insert(
        &txn,
        &record_,
        &state.secrets.receipt_hash(&receipt.digits())?,
        &first,
    )
    .await?;
    if let Some((key, fingerprint)) = idempotency {
        let hash = key_hash(key);
        let sealed = state.secrets.seal(
            &serde_json::to_vec(&answer).map_err(|e| Error::Internal(e.to_string()))?,
            hash.as_bytes(),
        )?;
        let stored = congvu_db::complaint::store_answer(
            &txn,
            SCOPE,
            &hash,
            &IdempotentAnswer {
                request_hash: fingerprint.to_owned(),
                response_sealed: sealed,
                created_at: now,
            },
        )
        .await;
        if let Err(DbError::Conflict { .. }) = stored {
            // The same key won a race on another connection: drop this report, answer the first.
            drop(txn);
            return replay(state, key, fingerprint)
                .await?
                .ok_or_else(|| Error::Internal("an idempotent answer vanished".into()));
        }
        stored?;
    }
    audit_submission(&txn, &record_, now).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(answer)
}

async fn audit_submission(
    txn: &congvu_db::Transaction,
    r: &ComplaintRecord,
    now: DateTime<Utc>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Change<'a> {
        unit_id: Uuid,
        subject_person_id: Option<Uuid>,
        kind: &'a str,
        anonymous: bool,
    }
    // Neither the receipt nor the identity enters the audit payload.
    record(
        txn,
        PUBLIC,
        "complaint.submit",
        ("complaint", r.id.to_string()),
        "submitted by a citizen",
        &Change {
            unit_id: r.unit.as_uuid(),
            subject_person_id: r.subject_person.map(|p| p.as_uuid()),
            kind: r.kind.code(),
            anonymous: r.anonymous,
        },
        now,
    )
    .await
}

/// The report behind a typed receipt. A malformed, mistyped or unknown receipt is the same
/// `NotFound`.
async fn by_receipt(state: &AppState, typed: &str) -> Result<ComplaintRecord> {
    let receipt = Receipt::parse(typed).map_err(|_| Error::NotFound)?;
    let hashes = state.secrets.receipt_hashes(&receipt.digits())?;
    congvu_db::complaint::find_by_receipt(state.db.reader(), &hashes)
        .await
        .map_err(|e| match e {
            congvu_db::DbError::NotFound => Error::NotFound,
            other => Error::from(other),
        })
}

/// What the citizen sees: state, deadlines on the unit's calendar, and the citizen-tier timeline.
pub async fn status(state: &AppState, typed: &str) -> Result<Status> {
    let record = by_receipt(state, typed).await?;
    let unit = congvu_db::unit::find(state.db.reader(), &Reach::All, record.unit).await?;
    let calendar = super::units::calendar_for(state, &unit).await?;
    let deadlines = if record.kind == Kind::AnonymousTip {
        Vec::new()
    } else {
        deadlines(
            &state.complaint_rules,
            ReportFacts {
                kind: record.kind,
                variant: record.variant,
                received_on: record.received_on,
                accepted_on: record.accepted_on,
                extensions: record.extensions,
            },
            &calendar,
        )?
    };
    let timeline = congvu_db::complaint::events(state.db.reader(), record.id, &["citizen"]).await?;
    Ok(Status {
        record,
        deadlines,
        timeline,
    })
}

/// Adds information to a report with its receipt.
pub async fn add_message(state: &AppState, typed: &str, message: &str) -> Result<Status> {
    let report = by_receipt(state, typed).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::complaint::insert_event(
        &txn,
        report.id,
        &EventRecord {
            id: Uuid::now_v7(),
            kind: "citizen_message".into(),
            tier: "citizen".into(),
            body: message.to_owned(),
            actor: None,
            at: now,
        },
    )
    .await?;
    #[derive(Serialize)]
    struct Change {
        length: usize,
    }
    record(
        &txn,
        PUBLIC,
        "complaint.citizen_message",
        ("complaint", report.id.to_string()),
        "information added by the citizen",
        &Change {
            length: message.chars().count(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    status(state, typed).await
}

/// How many files a citizen may attach to one report.
pub const MAX_ATTACHMENTS: usize = 5;

/// Attaches a file to a report, with its receipt (the size and type are checked by the caller).
pub async fn attach(
    state: &AppState,
    typed: &str,
    filename: &str,
    content_type: &'static str,
    data: Vec<u8>,
) -> Result<congvu_db::violation::EvidenceRecord> {
    let report = by_receipt(state, typed).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if congvu_db::complaint::attachments(&txn, report.id)
        .await?
        .len()
        >= MAX_ATTACHMENTS
    {
        return Err(Error::Conflict {
            code: "complaint.too_many_attachments",
            detail: format!("at most {MAX_ATTACHMENTS} files per report"),
        });
    }
    let file = congvu_db::violation::EvidenceRecord {
        id: Uuid::now_v7(),
        filename: filename.to_owned(),
        content_type: content_type.to_owned(),
        size: i64::try_from(data.len()).map_err(|_| Error::TooLarge)?,
        sha256: congvu_core::audit::digest_bytes(&data),
        uploaded_by: Uuid::nil().into(),
        at: now,
    };
    congvu_db::complaint::insert_attachment(&txn, report.id, &file, data).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        attachment_id: Uuid,
        content_type: &'a str,
        size: i64,
        sha256: &'a str,
    }
    record(
        &txn,
        PUBLIC,
        "complaint.attachment",
        ("complaint", report.id.to_string()),
        "file attached by the citizen",
        &Change {
            attachment_id: file.id,
            content_type,
            size: file.size,
            sha256: &file.sha256,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(file)
}
