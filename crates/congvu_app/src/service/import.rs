//! Staff import from a UTF-8 CSV (with or without BOM) with header-named columns: every row is
//! validated, bad rows are reported with their line number and reasons, good rows are upserted by
//! staff code in transactions of 1,000 rows, and a second run of the same file changes nothing.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::{DateTime, Utc};
use congvu_core::FieldError;
use congvu_core::audit::NewAuditEvent;
use congvu_core::ids::{EmploymentId, PersonId, UnitId};
use congvu_core::import::{self, StaffRow};
use congvu_core::legal::Validity;
use congvu_core::staff::{self, NewEmployment, NewPerson};
use congvu_db::staff::{NewStaff, PersonRecord};
use uuid::Uuid;

use super::event;
use super::staff::{EmploymentChange, PersonChange};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Rows per transaction.
pub const BATCH: usize = 1000;

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub staff_code: Option<String>,
    pub errors: Vec<FieldError>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: Vec<RowError>,
}

struct Parsed {
    line: u64,
    row: StaffRow,
}

/// Imports a staff file. `progress` is told the number of data rows handled so far after each batch.
pub async fn staff(
    state: &AppState,
    input: impl Read,
    actor: &str,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        // csv-core strips a leading UTF-8 byte-order mark (spreadsheet exports add one).
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::field(
                "file",
                "unreadable",
                &format!("the header line is not UTF-8 CSV: {e}"),
            )
        })?
        .iter()
        .map(|h| congvu_core::text::normalize(h).to_lowercase())
        .collect();
    let missing: Vec<FieldError> = import::REQUIRED
        .iter()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .map(|c| FieldError::new(*c, "missing_column", "the header has no such column"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Validation(missing));
    }
    let has = |c: &str| headers.iter().any(|h| h == c);
    let present = Present {
        date_of_birth: has("date_of_birth"),
        email: has("email"),
        is_leader: has("is_leader"),
    };
    let mut report = ImportReport::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut batch: Vec<Parsed> = Vec::with_capacity(BATCH);
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                report.rows += 1;
                report.rejected.push(RowError {
                    line,
                    staff_code: None,
                    errors: vec![FieldError::new(
                        "",
                        "unreadable",
                        format!("not UTF-8 CSV: {e}"),
                    )],
                });
                continue;
            }
        }
        report.rows += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(line);
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
        };
        match import::parse_row(get) {
            Ok(row) if !seen.insert(row.person.staff_code.clone()) => {
                report.rejected.push(RowError {
                    line,
                    staff_code: Some(row.person.staff_code),
                    errors: vec![FieldError::new(
                        "staff_code",
                        "duplicate_in_file",
                        "this staff code appears earlier in the file",
                    )],
                })
            }
            Ok(row) => batch.push(Parsed { line, row }),
            Err(errors) => report.rejected.push(RowError {
                line,
                staff_code: get("staff_code").map(str::to_owned),
                errors,
            }),
        }
        if batch.len() == BATCH {
            write_batch(
                state,
                actor,
                std::mem::take(&mut batch),
                present,
                &mut report,
            )
            .await?;
            progress(report.rows);
        }
    }
    if !batch.is_empty() {
        write_batch(state, actor, batch, present, &mut report).await?;
    }
    progress(report.rows);
    report.rejected.sort_by_key(|r| r.line);
    Ok(report)
}

enum Outcome {
    Created,
    Updated,
    Unchanged,
    Rejected(Vec<FieldError>),
}

/// What a batch writes: new people in bulk, changes one by one, every audit event at the end.
#[derive(Default)]
struct Writes {
    new_people: Vec<(PersonId, EmploymentId, NewPerson, NewEmployment)>,
    events: Vec<NewAuditEvent>,
}

/// Which optional columns the file has: a column it lacks keeps what is stored, never erases it.
#[derive(Debug, Clone, Copy)]
struct Present {
    date_of_birth: bool,
    email: bool,
    is_leader: bool,
}

/// The row as it applies to a stored person: absent optional columns take the stored values.
fn keep_stored(row: &StaffRow, stored: Option<&PersonRecord>, present: Present) -> StaffRow {
    let mut row = row.clone();
    if let Some(person) = stored {
        if !present.date_of_birth {
            row.person.date_of_birth = person.date_of_birth;
        }
        if !present.email {
            row.person.email.clone_from(&person.email);
        }
        if !present.is_leader
            && let Some(open) = person
                .employments
                .iter()
                .find(|e| e.validity.to().is_none())
        {
            row.is_leader = open.is_leader;
        }
    }
    row
}

async fn write_batch(
    state: &AppState,
    actor: &str,
    batch: Vec<Parsed>,
    present: Present,
    report: &mut ImportReport,
) -> Result<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let unit_codes: Vec<String> = batch
        .iter()
        .map(|p| p.row.unit_code.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let units = congvu_db::unit::find_codes(&txn, &unit_codes).await?;
    let staff_codes: Vec<String> = batch
        .iter()
        .map(|p| p.row.person.staff_code.clone())
        .collect();
    let existing = congvu_db::staff::find_by_codes(&txn, &staff_codes).await?;
    let mut writes = Writes::default();
    for parsed in batch {
        let stored = existing.get(&parsed.row.person.staff_code);
        let outcome = upsert(
            &txn,
            actor,
            &keep_stored(&parsed.row, stored, present),
            &units,
            stored,
            now,
            &mut writes,
        )
        .await?;
        match outcome {
            Outcome::Created => report.created += 1,
            Outcome::Updated => report.updated += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Rejected(errors) => report.rejected.push(RowError {
                line: parsed.line,
                staff_code: Some(parsed.row.person.staff_code),
                errors,
            }),
        }
    }
    let people: Vec<NewStaff<'_>> = writes
        .new_people
        .iter()
        .map(|(id, employment_id, person, employment)| NewStaff {
            id: *id,
            person,
            employment_id: *employment_id,
            employment,
        })
        .collect();
    congvu_db::staff::insert_people(&txn, &people, now).await?;
    congvu_db::audit::append_all(&txn, writes.events, now).await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(())
}

const REASON: &str = "staff import";

async fn upsert(
    txn: &congvu_db::Transaction,
    actor: &str,
    row: &StaffRow,
    units: &HashMap<String, UnitId>,
    existing: Option<&PersonRecord>,
    now: DateTime<Utc>,
    writes: &mut Writes,
) -> Result<Outcome> {
    let Some(unit) = units.get(&row.unit_code).copied() else {
        return Ok(Outcome::Rejected(vec![FieldError::new(
            "unit_code",
            "unknown_unit",
            "no unit has this code",
        )]));
    };
    let employment = NewEmployment {
        unit,
        category: row.category,
        position: row.position.clone(),
        is_leader: row.is_leader,
        validity: Validity::new(row.valid_from, None)?,
    };
    let Some(person) = existing else {
        let id = PersonId::from_uuid(Uuid::now_v7());
        #[derive(serde::Serialize)]
        struct Change<'a> {
            person: PersonChange<'a>,
            employment: EmploymentChange<'a>,
        }
        let change = Change {
            person: PersonChange::of(&row.person),
            employment: EmploymentChange::of(&employment, None),
        };
        writes.events.push(event(
            actor,
            "staff.import.create",
            ("person", id.to_string()),
            REASON,
            &change,
        )?);
        writes.new_people.push((
            id,
            EmploymentId::from_uuid(Uuid::now_v7()),
            row.person.clone(),
            employment,
        ));
        return Ok(Outcome::Created);
    };
    let open = person
        .employments
        .iter()
        .find(|e| e.validity.to().is_none());
    let same_job = open.is_some_and(|e| {
        e.unit == unit
            && e.category == row.category
            && e.position == row.position
            && e.is_leader == row.is_leader
    });
    let plan = if same_job {
        None
    } else {
        match staff::plan_employment_change(&person.employments, employment) {
            Ok(plan) => Some(plan),
            Err(e) => {
                return Ok(Outcome::Rejected(vec![FieldError::new(
                    "valid_from",
                    "employment_conflict",
                    format!(
                        "{e}; a change of job needs a valid_from after the current slice starts"
                    ),
                )]));
            }
        }
    };
    let person_changed = congvu_db::staff::update_person(txn, person, &row.person, now).await?;
    if let Some(plan) = &plan {
        if let Some((slice, last_day)) = plan.close {
            congvu_db::staff::close_employment(txn, slice, last_day).await?;
        }
        congvu_db::staff::insert_employment(
            txn,
            EmploymentId::from_uuid(Uuid::now_v7()),
            person.id,
            &plan.insert,
            now,
        )
        .await?;
    }
    if !person_changed && plan.is_none() {
        return Ok(Outcome::Unchanged);
    }
    #[derive(serde::Serialize)]
    struct Change<'a> {
        person: Option<PersonChange<'a>>,
        employment: Option<EmploymentChange<'a>>,
    }
    let change = Change {
        person: person_changed.then(|| PersonChange::of(&row.person)),
        employment: plan
            .as_ref()
            .map(|p| EmploymentChange::of(&p.insert, p.close)),
    };
    writes.events.push(event(
        actor,
        "staff.import.update",
        ("person", person.id.to_string()),
        REASON,
        &change,
    )?);
    Ok(Outcome::Updated)
}
