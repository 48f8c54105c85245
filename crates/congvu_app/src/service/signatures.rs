//! Yearly commitments, part two: signing events. A staff member signs the exact text by its hash,
//! an HR officer records a paper signature with its scan, the counterparty head counter-signs,
//! and a signature is withdrawn with a reason. Each is a new event; none is ever edited. Events of
//! one campaign are serialised on the campaign row.

use chrono::NaiveDate;
use congvu_core::calendar::vietnam_date;
use congvu_core::commitment::audience::Membership;
use congvu_core::commitment::signing::Standing;
use congvu_core::error::Collector;
use congvu_core::ids::{CampaignId, PersonId, SignatureEventId, TemplateId, UserId};
use congvu_core::policy::{Action, Actor, Reach, Role};
use congvu_db::DbError;
use congvu_db::commitment::{Among, CampaignRecord, EventKind, EventRecord, TemplateRecord};
use congvu_db::unit::UnitRecord;
use serde::Serialize;
use uuid::Uuid;

use super::completion::{self, Member, PersonStanding, Setting, Tree};
use super::{event, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// Counter-signatures by the counterparty head.
#[derive(Debug, Clone)]
pub struct CounterSigning {
    pub people: Vec<PersonId>,
    /// The content hash of the template version read.
    pub template_hash: String,
}

/// A paper signature's facts (the scan is the request body).
#[derive(Debug, Clone)]
pub struct PaperInput {
    pub template_hash: String,
    pub signed_on: NaiveDate,
    pub filename: String,
    pub content_type: &'static str,
}

/// One signing event.
#[derive(Debug, Clone)]
pub struct EventView {
    pub id: SignatureEventId,
    pub kind: EventKind,
    pub on: NaiveDate,
    pub template: Option<TemplateId>,
    pub template_hash: Option<String>,
    pub paper: bool,
    /// Whether a scanned document is stored.
    pub scan: bool,
    pub reason: Option<String>,
    pub recorded_by: UserId,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// A person's standing and their events.
#[derive(Debug, Clone)]
pub struct SignatureView {
    pub campaign: CampaignId,
    pub standing: PersonStanding,
    pub events: Vec<EventView>,
}

/// A campaign locked for a signing event, with what deciding it needs.
struct Locked {
    txn: congvu_db::Transaction,
    campaign: CampaignRecord,
    template: TemplateRecord,
    root: UnitRecord,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
}

impl Locked {
    /// Locks a campaign found through `reach` (the signer's own campaign is found through all).
    async fn open(state: &AppState, reach: &Reach, id: Uuid) -> Result<Self> {
        let txn = state.db.begin().await?;
        let campaign = congvu_db::commitment::find_campaign(&txn, reach, id, true).await?;
        let template =
            congvu_db::commitment::find_template(&txn, &Reach::All, campaign.template, false)
                .await?;
        let root = congvu_db::unit::find(&txn, &Reach::All, campaign.unit).await?;
        let now = state.clock.now();
        Ok(Self {
            txn,
            campaign,
            template,
            root,
            today: vietnam_date(now),
            now,
        })
    }

    fn hash(&self) -> Result<&str> {
        completion::hash_of(&self.template)
    }

    async fn members(&self, persons: &[PersonId]) -> Result<Vec<Member>> {
        let setting = Setting {
            campaign: &self.campaign,
            subtree: &self.root.path,
            hash: self.hash()?,
            today: self.today,
        };
        completion::load(&self.txn, &setting, Among::Persons(persons)).await
    }

    /// The person as a member now, placed in a unit `reach` covers (a leaver, a stranger or a
    /// person outside the caller's units is 404).
    async fn member(&self, person: PersonId, reach: &Reach) -> Result<Member> {
        self.members(&[person])
            .await?
            .into_iter()
            .find(|m| {
                matches!(m.membership, Membership::Member { .. }) && reach.covers(&m.unit_path)
            })
            .ok_or_else(|| DbError::NotFound.into())
    }

    fn check_hash(&self, given: &str) -> Result<()> {
        let current = self.hash()?;
        if given == current {
            Ok(())
        } else {
            Err(Error::Conflict {
                code: "commitment.stale_template",
                detail: format!(
                    "the campaign asks for the template version with hash {current}; read it again and sign that"
                ),
            })
        }
    }

    /// A new event of this campaign, today, for the version asked for now.
    fn event(&self, actor: &Actor, person: PersonId, kind: EventKind) -> EventRecord {
        let versioned = kind != EventKind::Withdrawn;
        EventRecord {
            id: Uuid::now_v7(),
            campaign: self.campaign.id,
            person,
            kind,
            template: versioned.then_some(self.template.id),
            template_hash: versioned
                .then(|| self.template.content_hash.clone())
                .flatten(),
            on: self.today,
            paper: false,
            reason: None,
            recorded_by: actor.user.as_uuid(),
            recorded_at: self.now,
            seq: 0,
        }
    }

    /// Appends events (and a scan for the first) with their audit events, and commits.
    async fn commit(
        self,
        actor: &Actor,
        events: &[EventRecord],
        scan: Option<Scan>,
        reason: &str,
    ) -> Result<()> {
        congvu_db::commitment::insert_events(&self.txn, self.campaign.id, events).await?;
        let sha = match (scan, events.first()) {
            (Some(s), Some(first)) => Some(
                congvu_db::commitment::insert_scan(
                    &self.txn,
                    first.id,
                    &s.filename,
                    s.content_type,
                    s.bytes,
                )
                .await?,
            ),
            _ => None,
        };
        let audit = events
            .iter()
            .map(|e| {
                event(
                    who(actor),
                    &format!("commitment.{}", e.kind.code()),
                    ("commitment_event", e.id.to_string()),
                    reason,
                    &change(e, sha.as_deref()),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        congvu_db::audit::append_all(&self.txn, audit, self.now).await?;
        self.txn.commit().await.map_err(DbError::from)?;
        Ok(())
    }
}

/// A scanned paper signature.
struct Scan {
    filename: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

#[derive(Serialize)]
struct Change<'a> {
    campaign_id: Uuid,
    person_id: Uuid,
    kind: &'static str,
    template_hash: Option<&'a str>,
    on: NaiveDate,
    paper: bool,
    scan_sha256: Option<&'a str>,
}

fn change<'a>(e: &'a EventRecord, scan: Option<&'a str>) -> Change<'a> {
    Change {
        campaign_id: e.campaign,
        person_id: e.person.as_uuid(),
        kind: e.kind.code(),
        template_hash: e.template_hash.as_deref(),
        on: e.on,
        paper: e.paper,
        scan_sha256: scan,
    }
}

fn already_signed() -> Error {
    Error::Conflict {
        code: "commitment.already_signed",
        detail: "the current version is already signed".into(),
    }
}

/// The signed-in staff member signs the version the campaign asks for, acknowledging its hash.
pub async fn sign(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    template_hash: &str,
) -> Result<SignatureView> {
    let id = id.as_uuid();
    let person = actor.person.ok_or(Error::Forbidden(
        "your account is not linked to a staff record, so it has nothing to sign",
    ))?;
    let locked = Locked::open(state, &Reach::All, id).await?;
    let member = locked.member(person, &Reach::All).await?;
    locked.check_hash(template_hash)?;
    if member.progress.signed.is_some() {
        return Err(already_signed());
    }
    let e = locked.event(actor, person, EventKind::Signed);
    locked.commit(actor, &[e], None, "signed in congvu").await?;
    signature(state, actor, id.into(), person).await
}

/// An HR officer of the person's unit records the paper signature, with the scanned document.
pub async fn record_paper(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    person: PersonId,
    input: PaperInput,
    bytes: Vec<u8>,
) -> Result<SignatureView> {
    let id = id.as_uuid();
    let reach = actor.reach(Action::ViewCommitment);
    let locked = Locked::open(state, &reach, id).await?;
    let member = locked.member(person, &reach).await?;
    if !actor.may(Action::RecordSignature, &member.unit_path) {
        return Err(Error::Forbidden(
            "only an HR officer of the person's unit records a paper signature",
        ));
    }
    let mut errors = Collector::default();
    if input.signed_on > locked.today {
        errors.push(
            "signed_on",
            "in_future",
            "a paper signature is recorded after it is given",
        );
    }
    // Paper is often signed at the start-of-year conference, before the campaign is entered
    // here: any day from the December before the campaign's year counts.
    let earliest = NaiveDate::from_ymd_opt(locked.campaign.year - 1, 12, 1);
    if earliest.is_some_and(|first| input.signed_on < first) {
        errors.push(
            "signed_on",
            "out_of_year",
            "a paper signature for this year is given from the December before it",
        );
    }
    if bytes.is_empty() {
        errors.push("scan", "empty", "the scanned document is the request body");
    }
    // Not before the version existed, nor before the person was asked to sign.
    let published = locked.template.published_at.map(vietnam_date);
    if published.is_some_and(|day| input.signed_on < day) {
        errors.push(
            "signed_on",
            "before_publication",
            "the version was published later than this day",
        );
    }
    if let Membership::Member { since } = member.membership
        && input.signed_on < since
        && since > locked.campaign.launched_on
    {
        errors.push(
            "signed_on",
            "before_joining",
            "the person joined the campaign's units later than this day",
        );
    }
    errors.finish()?;
    locked.check_hash(&input.template_hash)?;
    if member.progress.signed.is_some() {
        return Err(already_signed());
    }
    let mut e = locked.event(actor, person, EventKind::Signed);
    e.on = input.signed_on;
    e.paper = true;
    let scan = Scan {
        filename: input.filename,
        content_type: input.content_type,
        bytes,
    };
    locked
        .commit(actor, &[e], Some(scan), "paper signature recorded")
        .await?;
    signature(state, actor, id.into(), person).await
}

/// The counterparty head counter-signs signatures of the current version, all or none.
pub async fn counter_sign(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    input: CounterSigning,
) -> Result<Vec<PersonStanding>> {
    let id = id.as_uuid();
    if input.people.is_empty() || input.people.len() > 500 {
        return Err(Error::field(
            "person_ids",
            "count",
            "1 to 500 people at a time",
        ));
    }
    let reach = actor.reach(Action::ViewCommitment);
    let locked = Locked::open(state, &reach, id).await?;
    locked.check_hash(&input.template_hash)?;
    let persons = input.people;
    let members = locked.members(&persons).await?;
    let tree = Tree::of(&locked.txn, &locked.root).await?;
    let mut errors = Collector::default();
    let mut events = Vec::with_capacity(persons.len());
    for (i, person) in persons.iter().enumerate() {
        let field = format!("person_ids[{i}]");
        let found = members.iter().find(|m| {
            m.person == *person
                && matches!(m.membership, Membership::Member { .. })
                && reach.covers(&m.unit_path)
        });
        let Some(m) = found else {
            errors.push(&field, "not_member", "not asked to sign in this campaign");
            continue;
        };
        let yours = tree
            .counterparty(m)
            .is_some_and(|u| actor.holds_at(Role::UnitHead, u));
        if actor.person == Some(m.person) {
            errors.push(
                &field,
                "self_counter_sign",
                "nobody counter-signs their own commitment",
            );
        } else if !yours {
            errors.push(
                &field,
                "not_counterparty",
                "you are not the head who counter-signs for this person",
            );
        } else if m.standing == Standing::CounterSigned {
            errors.push(&field, "already_counter_signed", "already counter-signed");
        } else if m.standing != Standing::Signed {
            errors.push(
                &field,
                "not_signed",
                "the person has not signed the current version",
            );
        } else if events.iter().any(|e: &EventRecord| e.person == *person) {
            errors.push(&field, "duplicate", "listed twice");
        } else {
            events.push(locked.event(actor, *person, EventKind::CounterSigned));
        }
    }
    errors.finish()?;
    let (campaign, subtree) = (locked.campaign.clone(), locked.root.path.clone());
    let template = locked.template.clone();
    locked
        .commit(actor, &events, None, "counter-signed")
        .await?;
    let setting = Setting {
        campaign: &campaign,
        subtree: &subtree,
        hash: completion::hash_of(&template)?,
        today: vietnam_date(state.clock.now()),
    };
    Ok(
        completion::load(state.db.reader(), &setting, Among::Persons(&persons))
            .await?
            .iter()
            .map(|m| completion::standing_view(m, tree.counterparty(m)))
            .collect(),
    )
}

/// Withdraws a person's standing signature (and its counter-signature), with a reason: by the
/// signer, or by an HR officer of their unit. The signature stays on record; a new one may follow.
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    person: PersonId,
    reason: Option<&str>,
) -> Result<SignatureView> {
    let id = id.as_uuid();
    let reason = super::reason(reason)?;
    let own = actor.person == Some(person);
    let reach = if own {
        Reach::All
    } else {
        actor.reach(Action::ViewCommitment)
    };
    let locked = Locked::open(state, &reach, id).await?;
    let member = locked.member(person, &reach).await?;
    if !own && !actor.may(Action::RecordSignature, &member.unit_path) {
        return Err(Error::Forbidden(
            "only the signer or an HR officer of their unit withdraws a signature",
        ));
    }
    if member.progress.signed.is_none() {
        return Err(Error::Conflict {
            code: "commitment.nothing_to_withdraw",
            detail: "no signature of the current version stands".into(),
        });
    }
    let mut e = locked.event(actor, person, EventKind::Withdrawn);
    e.reason = Some(reason.clone());
    locked.commit(actor, &[e], None, &reason).await?;
    signature(state, actor, id.into(), person).await
}

fn event_view(e: EventRecord, scanned: &[Uuid]) -> EventView {
    EventView {
        id: e.id.into(),
        kind: e.kind,
        on: e.on,
        template: e.template.map(TemplateId::from),
        template_hash: e.template_hash,
        paper: e.paper,
        scan: scanned.contains(&e.id),
        reason: e.reason,
        recorded_by: e.recorded_by.into(),
        recorded_at: e.recorded_at,
    }
}

/// A person's standing and events, for whoever may see them: the person, or an actor whose
/// reach covers the person's unit (anyone else: 404).
pub async fn signature(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    person: PersonId,
) -> Result<SignatureView> {
    let id = id.as_uuid();
    let own = actor.person == Some(person);
    let reach = if own {
        Reach::All
    } else {
        actor.reach(Action::ViewCommitment)
    };
    let campaign =
        congvu_db::commitment::find_campaign(state.db.reader(), &reach, id, false).await?;
    let template = congvu_db::commitment::find_template(
        state.db.reader(),
        &Reach::All,
        campaign.template,
        false,
    )
    .await?;
    let root = congvu_db::unit::find(state.db.reader(), &Reach::All, campaign.unit).await?;
    let setting = Setting {
        campaign: &campaign,
        subtree: &root.path,
        hash: completion::hash_of(&template)?,
        today: vietnam_date(state.clock.now()),
    };
    let member = completion::load(state.db.reader(), &setting, Among::Persons(&[person]))
        .await?
        .into_iter()
        .next()
        .filter(|m| own || reach.covers(&m.unit_path))
        .ok_or(DbError::NotFound)?;
    let counterparty = completion::counterparty_of(state.db.reader(), &member).await?;
    let events = congvu_db::commitment::events(
        state.db.reader(),
        id,
        campaign.launched_on,
        Among::Persons(&[person]),
    )
    .await?;
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let scanned = congvu_db::commitment::scanned(state.db.reader(), &ids).await?;
    Ok(SignatureView {
        campaign: id.into(),
        standing: completion::standing_view(&member, counterparty),
        events: events
            .into_iter()
            .map(|e| event_view(e, &scanned))
            .collect(),
    })
}

/// The scan of a paper signature, for whoever may see the person's signatures.
pub async fn scan(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    event_id: congvu_core::ids::SignatureEventId,
) -> Result<congvu_db::commitment::Scan> {
    let id = id.as_uuid();
    let event_id = event_id.as_uuid();
    let person = congvu_db::commitment::event_person(state.db.reader(), id, event_id)
        .await?
        .ok_or(DbError::NotFound)?;
    signature(state, actor, id.into(), person).await?;
    congvu_db::commitment::scan(state.db.reader(), event_id)
        .await?
        .ok_or_else(|| DbError::NotFound.into())
}

/// One of the signed-in person's campaigns: the text to sign and where they stand.
#[derive(Debug, Clone)]
pub struct MyCommitment {
    pub campaign: super::commitments::CampaignView,
    pub template: TemplateRecord,
    pub signature: SignatureView,
}

/// The campaigns the signed-in person is asked to sign (or was, before leaving), newest first.
pub async fn mine_all(state: &AppState, actor: &Actor) -> Result<Vec<MyCommitment>> {
    let Some(person) = actor.person else {
        return Ok(Vec::new());
    };
    let units = congvu_db::commitment::units_above(state.db.reader(), person).await?;
    let campaigns = congvu_db::commitment::list_campaigns(
        state.db.reader(),
        &Reach::All,
        Some(&units),
        None,
        congvu_db::Page {
            limit: 100,
            offset: 0,
        },
    )
    .await?;
    let mut out = Vec::new();
    for c in campaigns {
        let signature = match signature(state, actor, c.id.into(), person).await {
            Ok(s) => s,
            Err(Error::Db(DbError::NotFound)) => continue,
            Err(e) => return Err(e),
        };
        let template =
            congvu_db::commitment::find_template(state.db.reader(), &Reach::All, c.template, false)
                .await?;
        out.push(MyCommitment {
            campaign: super::commitments::campaign_view(c, &template)?,
            template,
            signature,
        });
    }
    Ok(out)
}
