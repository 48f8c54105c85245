//! Citizens' reports, officers' side: the work list by days left, triage (classify, forward,
//! accept, reject), notes with a visibility tier, conclusion with its outcome and the violations
//! it proved, and the identity vault: an inspector asks with a motivation, the unit head decides,
//! and only then may that inspector open the identity — each opening an audit event. The person
//! complained about never sees the report, nor any request about it.

use std::collections::HashMap;

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::complaint::intake::Identity;
use congvu_core::complaint::{Due, Kind, Outcome, ReportFacts, State, Tier, Variant, deadlines};
use congvu_core::ids::UnitId;
use congvu_core::policy::{Action, Actor, Reach, Role};
use congvu_db::complaint::{
    ComplaintFilter, ComplaintRecord, EventRecord, IdentityRequestRecord, Viewer,
};
use congvu_db::{DbError, Page};
use serde::Serialize;
use uuid::Uuid;

use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

fn viewer<'a>(actor: &Actor, reach: &'a Reach) -> Viewer<'a> {
    Viewer {
        reach,
        person: actor.person,
    }
}

/// A report with its next deadline on the day asked.
#[derive(Debug, Clone)]
pub struct WorkItem {
    pub record: ComplaintRecord,
    pub next_due: Option<Due>,
}

/// A report as an officer reads it.
#[derive(Debug, Clone)]
pub struct Detail {
    pub record: ComplaintRecord,
    pub deadlines: Vec<Due>,
    pub timeline: Vec<EventRecord>,
    pub identity_requests: Vec<IdentityRequestRecord>,
    pub violations: Vec<Uuid>,
    /// Files the citizen attached (descriptions; download each by ID).
    pub attachments: Vec<congvu_db::violation::EvidenceRecord>,
}

async fn calendar_of(state: &AppState, unit: UnitId) -> Result<WorkCalendar> {
    let unit = congvu_db::unit::find(state.db.reader(), &Reach::All, unit).await?;
    super::units::calendar_for(state, &unit).await
}

fn clocks(state: &AppState, r: &ComplaintRecord, calendar: &WorkCalendar) -> Result<Vec<Due>> {
    if r.kind == Kind::AnonymousTip {
        return Ok(Vec::new());
    }
    Ok(deadlines(
        &state.complaint_rules,
        ReportFacts {
            kind: r.kind,
            variant: r.variant,
            received_on: r.received_on,
            accepted_on: r.accepted_on,
            extensions: r.extensions,
        },
        calendar,
    )?)
}

/// The deadline still open at the report's stage: the first-stage clocks while received, the
/// resolution once accepted, none when finished.
fn next_due(r: &ComplaintRecord, all: Vec<Due>) -> Option<Due> {
    use congvu_core::complaint::Clock;
    let wanted: &[Clock] = match State::parse(&r.state) {
        Some(State::Received) => &[Clock::Forward, Clock::Acceptance, Clock::InitialHandling],
        Some(State::Accepted) => &[Clock::Resolution],
        _ => &[],
    };
    all.into_iter()
        .filter(|d| wanted.contains(&d.clock))
        .min_by_key(|d| d.due_on)
}

/// The work list of the caller's units: reports by state, the nearest deadline first (overdue
/// ones first of all); reports without a clock last.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    filter_state: Option<State>,
    page: Page,
) -> Result<Vec<WorkItem>> {
    let reach = actor.reach(Action::ViewComplaint);
    let filter = ComplaintFilter {
        unit_path: super::unit_filter(state, actor, unit).await?,
        state: filter_state.map(|s| s.code().to_owned()),
    };
    let rows = congvu_db::complaint::list(state.db.reader(), &viewer(actor, &reach), &filter, page)
        .await?;
    let mut calendars: HashMap<UnitId, WorkCalendar> = HashMap::new();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = calendars.entry(r.unit) {
            slot.insert(calendar_of(state, r.unit).await?);
        }
        let calendar = calendars
            .get(&r.unit)
            .ok_or_else(|| Error::Internal("calendar cache".into()))?;
        let due = next_due(&r, clocks(state, &r, calendar)?);
        items.push(WorkItem {
            record: r,
            next_due: due,
        });
    }
    items.sort_by_key(|i| (i.next_due.is_none(), i.next_due.as_ref().map(|d| d.due_on)));
    Ok(items)
}

/// One report in reach (not about the caller).
pub async fn get(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
) -> Result<Detail> {
    let id = id.as_uuid();
    let reach = actor.reach(Action::ViewComplaint);
    let db = state.db.reader();
    let r = congvu_db::complaint::find(db, &viewer(actor, &reach), id, false).await?;
    let calendar = calendar_of(state, r.unit).await?;
    Ok(Detail {
        deadlines: clocks(state, &r, &calendar)?,
        timeline: congvu_db::complaint::officer_events(db, id, actor.user).await?,
        identity_requests: congvu_db::complaint::identity_requests(db, id).await?,
        violations: congvu_db::complaint::linked_violations(db, id).await?,
        attachments: congvu_db::complaint::attachments(db, id)
            .await?
            .into_iter()
            .map(|(f, _)| f)
            .collect(),
        record: r,
    })
}

/// Locks a report for a change by someone who may handle it.
async fn for_change(
    actor: &Actor,
    txn: &congvu_db::Transaction,
    id: Uuid,
    action: Action,
) -> Result<(ComplaintRecord, String)> {
    let reach = actor.reach(Action::ViewComplaint);
    let r = congvu_db::complaint::find(txn, &viewer(actor, &reach), id, true).await?;
    let unit = congvu_db::unit::find(txn, &Reach::All, r.unit).await?;
    if !actor.may(action, &unit.path) {
        return Err(Error::Forbidden(match action {
            Action::CustodyIdentity => {
                "only a unit head of the report's unit decides on identities"
            }
            _ => "only an inspector or unit head of the report's unit handles it",
        }));
    }
    Ok((r, unit.path))
}

/// A timeline entry by an officer.
fn entry(
    actor: &Actor,
    kind: &str,
    tier: Tier,
    body: String,
    now: chrono::DateTime<chrono::Utc>,
) -> EventRecord {
    EventRecord {
        id: Uuid::now_v7(),
        kind: kind.to_owned(),
        tier: tier.code().to_owned(),
        body,
        actor: Some(actor.user),
        at: now,
    }
}

/// Saves a changed report, its timeline entries and its audit event.
async fn save(
    state: &AppState,
    txn: &congvu_db::Transaction,
    actor: &Actor,
    r: &ComplaintRecord,
    entries: &[EventRecord],
    (action, reason): (&str, &str),
    change: &impl Serialize,
) -> Result<()> {
    let now = entries
        .first()
        .map(|e| e.at)
        .ok_or_else(|| Error::Internal("a change without a timeline entry".into()))?;
    congvu_db::complaint::update(txn, r, now).await?;
    for e in entries {
        congvu_db::complaint::insert_event(txn, r.id, e).await?;
    }
    // What the citizen may read changed: tell them, without the content, if they gave an address.
    if entries.iter().any(|e| e.tier == Tier::Citizen.code()) {
        crate::mail::notify_citizen(state, txn, r, now).await?;
    }
    record(
        txn,
        who(actor),
        action,
        ("complaint", r.id.to_string()),
        reason,
        change,
        now,
    )
    .await
}

/// Sets the kind and variant at triage (this sets the legal clocks). An anonymous report stays an
/// anonymous tip: the law's kinds need the sender's identity.
pub async fn classify(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    kind: Kind,
    variant: Variant,
    reason: &str,
) -> Result<Detail> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (mut r, _) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    if r.state != State::Received.code() {
        return Err(Error::Conflict {
            code: "complaint.not_received",
            detail: "a report is classified at triage, before it is accepted or rejected".into(),
        });
    }
    if r.anonymous && kind.needs_identity() {
        return Err(Error::Refused {
            code: "complaint.identity_required",
            detail: "an anonymous report is handled as an anonymous tip (Nghị định 20/2008/NĐ-CP Điều 7; Luật Tố cáo Điều 25)".into(),
        });
    }
    r.kind = kind;
    r.variant = variant;
    #[derive(Serialize)]
    struct Change {
        kind: &'static str,
        variant: &'static str,
    }
    let e = entry(
        actor,
        "classified",
        Tier::Internal,
        format!("{} ({})", kind.code(), variant.code()),
        now,
    );
    save(
        state,
        &txn,
        actor,
        &r,
        &[e],
        ("complaint.classify", reason),
        &Change {
            kind: kind.code(),
            variant: variant.code(),
        },
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// What a forward answers: where the report went, and the report itself while the caller still
/// reaches it (a report forwarded outside the caller's units is theirs no more).
#[derive(Debug, Clone)]
pub struct Forwarded {
    pub id: Uuid,
    pub to_unit: UnitId,
    pub to_unit_name: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub report: Option<Detail>,
}

/// Sends a report on to another unit (it is triaged there again), with a reason. The forward is
/// done once this answers Ok, even when the caller can no longer read the report.
pub async fn forward(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    to: UnitId,
    reason: &str,
) -> Result<Forwarded> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (mut r, _) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    if r.state != State::Received.code() {
        return Err(Error::Conflict {
            code: "complaint.not_received",
            detail: "only a report at triage is forwarded".into(),
        });
    }
    let target = congvu_db::unit::find(&txn, &Reach::All, to)
        .await
        .map_err(|_| Error::field("unit_id", "not_found", "no such unit"))?;
    if target.id == r.unit {
        return Err(Error::field(
            "unit_id",
            "same_unit",
            "the report is already there",
        ));
    }
    r.unit = target.id;
    #[derive(Serialize)]
    struct Change {
        to_unit_id: Uuid,
    }
    let citizen = entry(
        actor,
        "forwarded",
        Tier::Citizen,
        format!("Chuyển đến {} để xử lý theo thẩm quyền.", target.name),
        now,
    );
    let internal = entry(actor, "forwarded", Tier::Internal, reason.to_owned(), now);
    save(
        state,
        &txn,
        actor,
        &r,
        &[citizen, internal],
        ("complaint.forward", reason),
        &Change {
            to_unit_id: to.as_uuid(),
        },
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    // The caller may no longer reach the report after a forward: the answer says where it went
    // either way, and holds the report only while the caller may still read it.
    let report = match get(state, actor, id.into()).await {
        Ok(detail) => Some(detail),
        Err(Error::NotFound | Error::Db(DbError::NotFound)) => None,
        Err(other) => return Err(other),
    };
    Ok(Forwarded {
        id,
        to_unit: target.id,
        to_unit_name: target.name,
        at: now,
        report,
    })
}

/// What a conclusion says.
#[derive(Debug, Clone)]
pub struct Conclusion {
    pub outcome: Outcome,
    /// The conclusion the citizen reads.
    pub text: String,
    /// Violations of the person complained about that the report proved.
    pub violations: Vec<Uuid>,
}

/// Accepts or rejects a report at triage, or concludes an accepted one. Rejections and
/// conclusions carry a text the citizen reads; acceptance starts the resolution clock.
pub async fn transition(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    to: State,
    tier: Tier,
    reason: &str,
    conclusion: Option<Conclusion>,
) -> Result<Detail> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let today = congvu_core::calendar::vietnam_date(now);
    let txn = state.db.begin().await?;
    let (mut r, _) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    let from = State::parse(&r.state).ok_or_else(|| Error::Internal("stored state".into()))?;
    if !from.next().contains(&to) {
        return Err(Error::Conflict {
            code: "complaint.transition_invalid",
            detail: format!("a {} report cannot become {}", from.code(), to.code()),
        });
    }
    // What the citizen must be told is always at the citizen tier.
    let tier = if matches!(to, State::Rejected | State::Concluded) {
        Tier::Citizen
    } else {
        tier
    };
    r.state = to.code().to_owned();
    let mut linked = Vec::new();
    match (to, conclusion) {
        (State::Accepted, _) => r.accepted_on = Some(today),
        (State::Concluded, Some(c)) => {
            linked = proved_violations(&txn, actor, &r, &c).await?;
            r.outcome = Some(c.outcome.code().to_owned());
            r.conclusion = Some(c.text);
        }
        (State::Concluded, None) => {
            return Err(Error::field(
                "outcome",
                "required",
                "a conclusion states its outcome",
            ));
        }
        _ => {}
    }
    congvu_db::complaint::link_violations(&txn, id, &linked).await?;
    let body = match (&r.conclusion, to) {
        (Some(text), State::Concluded) => text.clone(),
        _ => reason.to_owned(),
    };
    #[derive(Serialize)]
    struct Change<'a> {
        from: &'static str,
        to: &'static str,
        tier: &'static str,
        outcome: Option<&'a str>,
        violations: &'a [Uuid],
    }
    let e = entry(actor, to.code(), tier, body, now);
    let change = Change {
        from: from.code(),
        to: to.code(),
        tier: tier.code(),
        outcome: r.outcome.as_deref(),
        violations: &linked,
    };
    save(
        state,
        &txn,
        actor,
        &r,
        &[e],
        ("complaint.transition", reason),
        &change,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// Checks the violations a conclusion links: confirmed-or-not violations of the person
/// complained about, visible to the officer; a (partly) substantiated report proves at least one.
async fn proved_violations(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    r: &ComplaintRecord,
    c: &Conclusion,
) -> Result<Vec<Uuid>> {
    let needs = matches!(
        c.outcome,
        Outcome::Substantiated | Outcome::PartlySubstantiated
    );
    if needs && c.violations.is_empty() {
        return Err(Error::field(
            "violations",
            "required",
            "a substantiated report names the violations it proved (record them first, source citizen_complaint)",
        ));
    }
    let reach = actor.reach(Action::ViewViolation);
    for v in &c.violations {
        let found = congvu_db::violation::find(txn, &reach, *v)
            .await
            .map_err(|_| {
                Error::field("violations", "not_found", "no such violation in your units")
            })?;
        if Some(found.person) != r.subject_person {
            return Err(Error::field(
                "violations",
                "other_person",
                "a linked violation is one of the person complained about",
            ));
        }
    }
    Ok(c.violations.clone())
}

/// Extends the resolution of an accepted report (a denunciation: at most twice, 30 days each),
/// decided with a reason and notified to the citizen (Law on Denunciations Art. 30).
pub async fn extend(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    reason: &str,
) -> Result<Detail> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (mut r, _) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    if r.state != State::Accepted.code() {
        return Err(Error::Conflict {
            code: "complaint.not_accepted",
            detail: "only an accepted report's resolution is extended".into(),
        });
    }
    congvu_core::complaint::may_extend(&state.complaint_rules, r.kind, r.extensions).map_err(
        |refusal| Error::Conflict {
            code: "complaint.extension_refused",
            detail: match refusal {
                congvu_core::complaint::ExtensionRefusal::NotExtendable => {
                    format!("a {} is not extended", r.kind.code())
                }
                congvu_core::complaint::ExtensionRefusal::Exhausted { max, basis } => format!(
                    "already extended {max} times ({})",
                    super::cases::cite(&basis)
                ),
            },
        },
    )?;
    r.extensions += 1;
    #[derive(Serialize)]
    struct Change {
        extensions: u32,
    }
    let citizen = entry(
        actor,
        "extended",
        Tier::Citizen,
        "Thời hạn giải quyết được gia hạn.".into(),
        now,
    );
    let internal = entry(actor, "extended", Tier::Internal, reason.to_owned(), now);
    save(
        state,
        &txn,
        actor,
        &r,
        &[citizen, internal],
        ("complaint.extend", reason),
        &Change {
            extensions: r.extensions,
        },
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// The files a citizen attached to a report in reach, with their bytes.
pub async fn attachments(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
) -> Result<Vec<(congvu_db::violation::EvidenceRecord, Vec<u8>)>> {
    let id = id.as_uuid();
    let reach = actor.reach(Action::ViewComplaint);
    congvu_db::complaint::find(state.db.reader(), &viewer(actor, &reach), id, false).await?;
    congvu_db::complaint::attachments(state.db.reader(), id)
        .await
        .map_err(Error::from)
}

/// Adds a note at a tier.
pub async fn note(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    tier: Tier,
    body: &str,
) -> Result<Detail> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (r, _) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    #[derive(Serialize)]
    struct Change {
        tier: &'static str,
    }
    // The text stays out of the audit payload: a personal note stays personal.
    let e = entry(actor, "note", tier, body.to_owned(), now);
    save(
        state,
        &txn,
        actor,
        &r,
        &[e],
        ("complaint.note", "note added"),
        &Change { tier: tier.code() },
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// An inspector asks to see the complainant's identity, with a motivation.
pub async fn request_identity(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    motivation: &str,
) -> Result<Detail> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (r, path) = for_change(actor, &txn, id, Action::HandleComplaint).await?;
    let inspector = actor
        .grants
        .iter()
        .any(|g| g.role == Role::Inspector && path.starts_with(&g.unit_path));
    if !inspector {
        return Err(Error::Forbidden(
            "only an inspector of the report's unit asks to see an identity",
        ));
    }
    if r.anonymous {
        return Err(Error::Conflict {
            code: "complaint.anonymous",
            detail: "the report was made without an identity".into(),
        });
    }
    let request = IdentityRequestRecord {
        id: Uuid::now_v7(),
        complaint: id,
        requester: actor.user,
        motivation: motivation.to_owned(),
        state: "pending".into(),
        decided_by: None,
        decision_reason: None,
        decided_at: None,
        created_at: now,
    };
    congvu_db::complaint::insert_identity_request(&txn, &request).await?;
    #[derive(Serialize)]
    struct Change {
        request_id: Uuid,
    }
    record(
        &txn,
        who(actor),
        "complaint.identity_request",
        ("complaint", id.to_string()),
        motivation,
        &Change {
            request_id: request.id,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// The custodian (a unit head of the report's unit) approves or refuses a request, with a reason.
pub async fn decide_identity(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
    request: congvu_core::ids::IdentityRequestId,
    approve: bool,
    reason: &str,
) -> Result<Detail> {
    let id = id.as_uuid();
    let request = request.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    for_change(actor, &txn, id, Action::CustodyIdentity).await?;
    let pending = congvu_db::complaint::identity_requests(&txn, id).await?;
    let found = pending
        .iter()
        .find(|q| q.id == request)
        .ok_or(Error::NotFound)?;
    if found.requester == actor.user {
        return Err(Error::Forbidden("nobody approves their own request"));
    }
    congvu_db::complaint::decide_identity_request(&txn, request, approve, actor.user, reason, now)
        .await
        .map_err(|e| match e {
            DbError::NotFound => Error::Conflict {
                code: "complaint.request_decided",
                detail: "the request was already decided".into(),
            },
            other => other.into(),
        })?;
    #[derive(Serialize)]
    struct Change {
        request_id: Uuid,
        approved: bool,
    }
    record(
        &txn,
        who(actor),
        "complaint.identity_decision",
        ("complaint", id.to_string()),
        reason,
        &Change {
            request_id: request,
            approved: approve,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get(state, actor, id.into()).await
}

/// Opens the complainant's identity for an inspector whose request was approved; every opening is
/// an audit event. Anyone else gets 404, as if there were nothing to open.
pub async fn identity(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::ComplaintId,
) -> Result<Identity> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let reach = actor.reach(Action::ViewComplaint);
    let r = congvu_db::complaint::find(&txn, &viewer(actor, &reach), id, false).await?;
    let approved = congvu_db::complaint::identity_requests(&txn, id)
        .await?
        .into_iter()
        .any(|q| q.requester == actor.user && q.state == "approved");
    let sealed = match (&r.identity_sealed, approved) {
        (Some(sealed), true) => sealed,
        _ => return Err(Error::NotFound),
    };
    let plain = state.secrets.open(sealed, id.as_bytes())?;
    let s: super::complaints::SealedIdentity =
        serde_json::from_slice(&plain).map_err(|e| Error::Internal(e.to_string()))?;
    #[derive(Serialize)]
    struct Change {
        viewer: Uuid,
    }
    record(
        &txn,
        who(actor),
        "complaint.identity_view",
        ("complaint", id.to_string()),
        "approved request",
        &Change {
            viewer: actor.user.as_uuid(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(Identity {
        name: s.name,
        address: s.address,
        phone: s.phone,
        email: s.email,
    })
}

/// Days left before `due`, counted from `on` (negative when overdue).
pub fn days_left(due: NaiveDate, on: NaiveDate) -> i64 {
    (due - on).num_days()
}
