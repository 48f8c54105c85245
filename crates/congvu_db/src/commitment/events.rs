//! The append-only signing events of a campaign (signed, counter-signed, withdrawn) and the paper
//! scans kept with them.

use super::*;

/// What kind of signing event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Signed,
    CounterSigned,
    Withdrawn,
}

impl EventKind {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Signed => "signed",
            Self::CounterSigned => "counter_signed",
            Self::Withdrawn => "withdrawn",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "signed" => Some(Self::Signed),
            "counter_signed" => Some(Self::CounterSigned),
            "withdrawn" => Some(Self::Withdrawn),
            _ => None,
        }
    }
}

/// A recorded signing event (a scan's bytes are fetched apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub id: Uuid,
    pub campaign: Uuid,
    /// Recording order within the campaign (set by [`insert_events`]).
    pub seq: i64,
    pub person: PersonId,
    pub kind: EventKind,
    pub template: Option<Uuid>,
    pub template_hash: Option<String>,
    pub on: NaiveDate,
    pub paper: bool,
    pub reason: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

fn event_record(m: commitment_event::Model) -> Result<EventRecord, DbError> {
    Ok(EventRecord {
        id: m.id,
        campaign: m.campaign_id,
        seq: m.seq,
        person: PersonId::from_uuid(m.person_id),
        kind: EventKind::parse(&m.kind).ok_or_else(|| DbError::corrupt("event kind", &m.kind))?,
        template: m.template_id,
        template_hash: m.template_hash,
        on: m.on_date,
        paper: m.paper,
        reason: m.reason,
        recorded_by: m.recorded_by,
        recorded_at: m.recorded_at,
    })
}

/// Appends signing events of one campaign after its last (never updated afterwards), numbering
/// them in order; the caller holds the campaign's row lock, so numbers are never taken twice.
pub async fn insert_events(
    txn: &impl ConnectionTrait,
    campaign: Uuid,
    events: &[EventRecord],
) -> Result<(), DbError> {
    /// Rows per INSERT: 12 columns each stays far below both backends' parameter limits.
    const CHUNK: usize = 500;
    let last: Option<i64> = commitment_event::Entity::find()
        .select_only()
        .column_as(commitment_event::Column::Seq.max(), "last")
        .filter(commitment_event::Column::CampaignId.eq(campaign))
        .into_tuple::<Option<i64>>()
        .one(txn)
        .await?
        .flatten();
    let mut next = last.unwrap_or(0);
    let mut rows = events.iter().map(|e| {
        next += 1;
        Ok(commitment_event::ActiveModel {
            id: Set(e.id),
            seq: Set(next),
            campaign_id: Set(campaign),
            person_id: Set(e.person.as_uuid()),
            kind: Set(e.kind.code().to_owned()),
            template_id: Set(e.template),
            template_hash: Set(e.template_hash.clone()),
            on_date: Set(e.on),
            paper: Set(e.paper),
            reason: Set(e.reason.clone()),
            recorded_by: Set(e.recorded_by),
            recorded_at: Set(e.recorded_at),
        })
    });
    crate::bulk::insert(txn, CHUNK, &mut rows).await
}

/// A campaign's events of `among` (launched on `launch`), in recording order.
pub async fn events(
    db: &impl ConnectionTrait,
    campaign: Uuid,
    launch: NaiveDate,
    among: Among<'_>,
) -> Result<Vec<EventRecord>, DbError> {
    let mut select =
        commitment_event::Entity::find().filter(commitment_event::Column::CampaignId.eq(campaign));
    match among {
        Among::Everyone => {}
        Among::Persons(persons) => {
            select = select.filter(
                commitment_event::Column::PersonId.is_in(persons.iter().map(|p| p.as_uuid())),
            );
        }
        Among::WorkedUnder(path) => {
            select = select
                .filter(commitment_event::Column::PersonId.in_subquery(worked_under(path, launch)));
        }
    }
    select
        .order_by_asc(commitment_event::Column::Seq)
        .all(db)
        .await?
        .into_iter()
        .map(event_record)
        .collect()
}

/// The scanned document of a paper signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// Stores the scan of a paper-signature event, with its SHA-256.
pub async fn insert_scan(
    txn: &impl ConnectionTrait,
    event: Uuid,
    filename: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<String, DbError> {
    let sha = hex::encode(Sha256::digest(&bytes));
    commitment_scan::ActiveModel {
        event_id: Set(event),
        filename: Set(filename.to_owned()),
        content_type: Set(content_type.to_owned()),
        sha256: Set(sha.clone()),
        bytes: Set(bytes),
    }
    .insert(txn)
    .await?;
    Ok(sha)
}

/// The scan of an event, if it has one.
pub async fn scan(db: &impl ConnectionTrait, event: Uuid) -> Result<Option<Scan>, DbError> {
    Ok(commitment_scan::Entity::find_by_id(event)
        .one(db)
        .await?
        .map(|m| Scan {
            filename: m.filename,
            content_type: m.content_type,
            sha256: m.sha256,
            bytes: m.bytes,
        }))
}

/// Which events have a scan (without loading the bytes).
pub async fn scanned(db: &impl ConnectionTrait, events: &[Uuid]) -> Result<Vec<Uuid>, DbError> {
    Ok(commitment_scan::Entity::find()
        .select_only()
        .column(commitment_scan::Column::EventId)
        .filter(commitment_scan::Column::EventId.is_in(events.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}
