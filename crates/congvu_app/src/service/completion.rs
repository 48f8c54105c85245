//! Yearly commitments, part three: who a campaign asks to sign and where each stands, computed on
//! read from employments and the signing events (so joiners appear and leavers close out without
//! any bookkeeping); the completion roll-up through the unit tree; the per-person list and its
//! CSV; and the digest to each head of who has not signed, one message per head, via the outbox.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use congvu_core::calendar::vietnam_date;
use congvu_core::commitment::audience::{self, Membership, Slice};
use congvu_core::commitment::rollup::{self, Counts, Node};
use congvu_core::commitment::signing::{self, Event, Progress, Standing};
use congvu_core::ids::{CampaignId, PersonId, UnitId};
use congvu_core::legal::Validity;
use congvu_core::policy::{Action, Actor, Reach};
use congvu_db::DbError;
use congvu_db::commitment::{
    Among, CampaignRecord, EventKind, EventRecord, SliceRow, TemplateRecord,
};
use congvu_db::outbox::{self, Message};
use congvu_db::unit::UnitRecord;
use uuid::Uuid;

use super::commitments::{campaign, unit};
use super::{record, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// One person a campaign concerns (a member now, or one who left since the launch).
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub person: PersonId,
    pub staff_code: String,
    pub full_name: String,
    /// The unit they work in today (or last worked in, for a leaver).
    pub unit: UnitId,
    pub unit_path: String,
    pub is_leader: bool,
    pub membership: Membership,
    pub progress: Progress,
    pub standing: Standing,
}

/// The facts a campaign's standings are computed from.
pub(crate) struct Setting<'a> {
    pub campaign: &'a CampaignRecord,
    pub subtree: &'a str,
    pub hash: &'a str,
    pub today: NaiveDate,
}

fn domain_event(e: &EventRecord) -> Event {
    let hash = e.template_hash.clone().unwrap_or_default();
    match e.kind {
        EventKind::Signed => Event::Signed {
            on: e.on,
            template_hash: hash,
            paper: e.paper,
        },
        EventKind::CounterSigned => Event::CounterSigned {
            on: e.on,
            template_hash: hash,
        },
        EventKind::Withdrawn => Event::Withdrawn { on: e.on },
    }
}

/// The slice that places a person: the one running today (a leader's first), else their last.
fn placing(rows: &[SliceRow], today: NaiveDate) -> Option<&SliceRow> {
    let running = |r: &&SliceRow| r.valid_from <= today && r.valid_to.is_none_or(|to| to >= today);
    rows.iter()
        .filter(running)
        .max_by_key(|r| r.is_leader)
        .or_else(|| {
            rows.iter()
                .filter(|r| r.valid_from <= today)
                .max_by_key(|r| r.valid_to)
        })
}

/// Folds slices (ordered by person) and events into members; people outside the campaign are left
/// out.
pub(crate) fn members(
    setting: &Setting<'_>,
    slices: &[SliceRow],
    events: &[EventRecord],
) -> Result<Vec<Member>> {
    let mut by_person: HashMap<PersonId, Vec<Event>> = HashMap::new();
    for e in events {
        by_person.entry(e.person).or_default().push(domain_event(e));
    }
    let mut out = Vec::new();
    for rows in slices.chunk_by(|a, b| a.person_id == b.person_id) {
        let validities = rows
            .iter()
            .map(|r| {
                Validity::new(r.valid_from, r.valid_to).map_err(|_| {
                    Error::Internal("an employment slice ends before it starts".into())
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let view: Vec<Slice<'_>> = rows
            .iter()
            .zip(&validities)
            .map(|(r, v)| Slice {
                unit_path: &r.unit_path,
                validity: v,
            })
            .collect();
        let membership = audience::membership(
            &view,
            setting.subtree,
            setting.campaign.launched_on,
            setting.today,
        );
        if membership == Membership::Outside {
            continue;
        }
        let Some(place) = placing(rows, setting.today) else {
            continue;
        };
        let person = PersonId::from_uuid(place.person_id);
        let progress = signing::progress(
            by_person.get(&person).map_or(&[][..], Vec::as_slice),
            setting.hash,
        );
        out.push(Member {
            person,
            staff_code: place.staff_code.clone(),
            full_name: place.full_name.clone(),
            unit: UnitId::from_uuid(place.unit_id),
            unit_path: place.unit_path.clone(),
            is_leader: place.is_leader,
            membership,
            standing: signing::standing_of(
                membership,
                &progress,
                signing::due_for(
                    membership,
                    setting.campaign.launched_on,
                    setting.campaign.due_on,
                    u32::try_from(setting.campaign.joiner_days).unwrap_or(0),
                ),
                setting.today,
            ),
            progress,
        });
    }
    Ok(out)
}

/// The members of a campaign among `among`, read inside `db`.
pub(crate) async fn load(
    db: &impl congvu_db::Connection,
    setting: &Setting<'_>,
    among: Among<'_>,
) -> Result<Vec<Member>> {
    let launch = setting.campaign.launched_on;
    let slices = congvu_db::commitment::slices(db, setting.subtree, launch, among).await?;
    let events = congvu_db::commitment::events(db, setting.campaign.id, launch, among).await?;
    members(setting, &slices, &events)
}

/// A campaign's unit tree: each unit's parent (the campaign unit's own parent included, for its
/// head's counterparty) and the nodes of the roll-up.
pub(crate) struct Tree {
    pub units: Vec<UnitRecord>,
    pub parent: HashMap<UnitId, Option<UnitId>>,
}

impl Tree {
    /// Reads the tree under `root` through `db` (a transaction's own connection when one is open,
    /// so a locked campaign never waits on a second connection).
    pub(crate) async fn of(db: &impl congvu_db::Connection, root: &UnitRecord) -> Result<Self> {
        let units = congvu_db::unit::subtree(db, &Reach::All, root).await?;
        let parent = units.iter().map(|u| (u.id, u.parent)).collect();
        Ok(Self { units, parent })
    }

    /// The unit whose head counter-signs for a member.
    pub(crate) fn counterparty(&self, m: &Member) -> Option<UnitId> {
        audience::counterparty(
            m.is_leader,
            m.unit,
            self.parent.get(&m.unit).copied().flatten(),
        )
    }
}

/// The unit whose head counter-signs for one member, reading only the member's unit.
pub(crate) async fn counterparty_of(
    db: &impl congvu_db::Connection,
    m: &Member,
) -> Result<Option<UnitId>> {
    let parent = congvu_db::unit::find(db, &Reach::All, m.unit).await?.parent;
    Ok(audience::counterparty(m.is_leader, m.unit, parent))
}

/// One unit's completion.
#[derive(Debug, Clone)]
pub struct UnitCompletion {
    pub unit: UnitId,
    pub code: String,
    pub name: String,
    pub parent: Option<UnitId>,
    /// 0 for the campaign's unit.
    pub depth: usize,
    /// People placed in this unit itself.
    pub own: Counts,
    /// This unit and every unit below it.
    pub total: Counts,
}

/// A campaign's completion at a glance.
#[derive(Debug, Clone)]
pub struct CompletionView {
    pub campaign: CampaignId,
    pub as_of: NaiveDate,
    pub due_on: NaiveDate,
    pub template_hash: String,
    /// Units in your reach, parents before children.
    pub units: Vec<UnitCompletion>,
}

/// Everything a read of a campaign's progress needs.
pub(crate) struct Loaded {
    pub campaign: CampaignRecord,
    pub template: TemplateRecord,
    pub root: UnitRecord,
    pub members: Vec<Member>,
    pub today: NaiveDate,
    /// The path the read is focused on.
    pub under: String,
}

pub(crate) fn hash_of(t: &TemplateRecord) -> Result<&str> {
    t.content_hash
        .as_deref()
        .ok_or_else(|| Error::Internal("a campaign's template is not published".into()))
}

/// Loads a campaign the actor sees, the path a read is focused on (a unit filter inside the
/// campaign and the actor's reach, else 404; the campaign's unit by default), and the members
/// the read needs: everyone when the actor reaches the whole campaign, else only the people who
/// worked under the focus or the one part of the campaign the actor reaches.
pub(crate) async fn loaded(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    unit_filter: Option<UnitId>,
) -> Result<Loaded> {
    let (c, t) = campaign(state, actor, id).await?;
    let root = unit(state, c.unit).await?;
    let under = focus(state, actor, &root, unit_filter).await?;
    let today = vietnam_date(state.clock.now());
    let reach = actor.reach(Action::ViewCommitment);
    let narrow = if under != root.path {
        Some(under.clone())
    } else if reach.covers(&root.path) {
        None
    } else {
        match &reach {
            Reach::Subtrees(prefixes) => {
                let inside: Vec<&String> = prefixes
                    .iter()
                    .filter(|p| p.starts_with(&root.path))
                    .collect();
                match inside[..] {
                    [one] => Some(one.clone()),
                    _ => None,
                }
            }
            Reach::All => None,
        }
    };
    let members = {
        let setting = Setting {
            campaign: &c,
            subtree: &root.path,
            hash: hash_of(&t)?,
            today,
        };
        let among = narrow
            .as_deref()
            .map_or(Among::Everyone, Among::WorkedUnder);
        load(state.db.reader(), &setting, among).await?
    };
    Ok(Loaded {
        campaign: c,
        template: t,
        root,
        members,
        today,
        under,
    })
}

/// The path of a unit filter inside the campaign and the actor's reach (else 404).
async fn focus(
    state: &AppState,
    actor: &Actor,
    root: &UnitRecord,
    unit: Option<UnitId>,
) -> Result<String> {
    match unit {
        Some(u) => {
            let found =
                congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewCommitment), u)
                    .await?;
            if found.path.starts_with(&root.path) {
                Ok(found.path)
            } else {
                Err(DbError::NotFound.into())
            }
        }
        None => Ok(root.path.clone()),
    }
}

/// Completion per unit, rolled up, for the units of the campaign in the actor's reach (under
/// `unit` when given).
pub async fn completion(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    unit: Option<UnitId>,
) -> Result<CompletionView> {
    let id = id.as_uuid();
    let l = loaded(state, actor, id, unit).await?;
    let under = l.under.clone();
    let tree = Tree::of(state.db.reader(), &l.root).await?;
    let root_depth = l.root.path.matches('/').count();
    let nodes: Vec<Node> = tree
        .units
        .iter()
        .map(|u| Node {
            unit: u.id,
            parent: u.parent,
            depth: u.path.matches('/').count() - root_depth,
        })
        .collect();
    let mut own: HashMap<UnitId, Counts> = HashMap::new();
    for m in &l.members {
        own.entry(m.unit).or_default().add(m.standing);
    }
    let totals = rollup::rollup(&nodes, &own);
    let reach = actor.reach(Action::ViewCommitment);
    let units = tree
        .units
        .iter()
        .zip(&nodes)
        .filter(|(u, _)| reach.covers(&u.path) && u.path.starts_with(&under))
        .map(|(u, n)| UnitCompletion {
            unit: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            parent: u.parent,
            depth: n.depth,
            own: own.get(&u.id).copied().unwrap_or_default(),
            total: totals.get(&u.id).copied().unwrap_or_default(),
        })
        .collect();
    Ok(CompletionView {
        campaign: l.campaign.id.into(),
        as_of: l.today,
        due_on: l.campaign.due_on,
        template_hash: hash_of(&l.template)?.to_owned(),
        units,
    })
}

/// A person's standing in a campaign.
#[derive(Debug, Clone)]
pub struct PersonStanding {
    pub person: PersonId,
    pub staff_code: String,
    pub full_name: String,
    pub unit: UnitId,
    pub is_leader: bool,
    pub standing: Standing,
    /// The day they were first asked to sign (the launch, or the day they joined).
    pub member_since: Option<NaiveDate>,
    /// For a leaver: their last day in the campaign's units.
    pub left_on: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    /// Whether the standing signature is on paper.
    pub paper: Option<bool>,
    pub counter_signed_on: Option<NaiveDate>,
    /// The unit whose head counter-signs (none for the top leader).
    pub counterparty_unit: Option<UnitId>,
}

pub(crate) fn standing_view(m: &Member, counterparty: Option<UnitId>) -> PersonStanding {
    let (member_since, left_on) = match m.membership {
        Membership::Member { since } => (Some(since), None),
        Membership::Left { on } => (None, Some(on)),
        Membership::Outside => (None, None),
    };
    PersonStanding {
        person: m.person,
        staff_code: m.staff_code.clone(),
        full_name: m.full_name.clone(),
        unit: m.unit,
        is_leader: m.is_leader,
        standing: m.standing,
        member_since,
        left_on,
        signed_on: m.progress.signed.map(|s| s.on),
        paper: m.progress.signed.map(|s| s.paper),
        counter_signed_on: m.progress.counter_signed_on,
        counterparty_unit: counterparty,
    }
}

/// Every person of the campaign in the actor's reach (under `unit`, with `standing`), by unit
/// path then name.
pub async fn people(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    unit: Option<UnitId>,
    standing: Option<Standing>,
) -> Result<Vec<PersonStanding>> {
    let id = id.as_uuid();
    let l = loaded(state, actor, id, unit).await?;
    let under = l.under.clone();
    let tree = Tree::of(state.db.reader(), &l.root).await?;
    let reach = actor.reach(Action::ViewCommitment);
    let mut rows: Vec<&Member> = l
        .members
        .iter()
        .filter(|m| reach.covers(&m.unit_path) && m.unit_path.starts_with(&under))
        .filter(|m| standing.is_none_or(|s| s == m.standing))
        .collect();
    rows.sort_by(|a, b| {
        (&a.unit_path, !a.is_leader, &a.full_name, a.person).cmp(&(
            &b.unit_path,
            !b.is_leader,
            &b.full_name,
            b.person,
        ))
    });
    Ok(rows
        .into_iter()
        .map(|m| standing_view(m, tree.counterparty(m)))
        .collect())
}

/// What a digest did for one head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestOutcome {
    Queued,
    /// The unit has no head today.
    NoHead,
    /// The head has no e-mail address.
    NoEmail,
    /// The head was already sent today's digest.
    AlreadySentToday,
}

impl DigestOutcome {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::NoHead => "no_head",
            Self::NoEmail => "no_email",
            Self::AlreadySentToday => "already_sent_today",
        }
    }
}

/// What a digest did for one head.
#[derive(Debug, Clone)]
pub struct DigestLine {
    /// The unit whose head the digest is for.
    pub unit: UnitId,
    /// People who have not signed and whose counterparty that head is.
    pub outstanding: u64,
    pub result: DigestOutcome,
}

/// The digest of a campaign.
#[derive(Debug, Clone)]
pub struct DigestView {
    pub campaign: CampaignId,
    pub queued: u64,
    pub heads: Vec<DigestLine>,
}

fn digest_text(c: &CampaignRecord, unit: &str, people: &[&Member]) -> (String, String) {
    let subject = format!(
        "Cam kết năm {}: {} người chưa ký ({unit})",
        c.year,
        people.len()
    );
    let mut body = format!(
        "Danh sách người chưa ký bản cam kết năm {} mà đồng chí ký xác nhận, hạn {}:\n\n",
        c.year,
        c.due_on.format("%d/%m/%Y")
    );
    for m in people {
        let state = match m.standing {
            Standing::Overdue => "quá hạn",
            _ => "chưa ký",
        };
        body.push_str(&format!("- {} ({}): {state}\n", m.full_name, m.staff_code));
    }
    body.push_str("\nThư này do congvu gửi tự động; mỗi ngày một thư cho mỗi thủ trưởng.\n");
    (subject, body)
}

/// The outstanding members grouped by the unit whose head counter-signs for them, in unit order.
fn by_head<'m>(members: &'m [Member], tree: &Tree) -> Vec<(UnitId, Vec<&'m Member>)> {
    let mut groups: HashMap<UnitId, Vec<&Member>> = HashMap::new();
    for m in members.iter().filter(|m| m.standing.is_outstanding()) {
        if let Some(head) = tree.counterparty(m) {
            groups.entry(head).or_default().push(m);
        }
    }
    let mut out: Vec<(UnitId, Vec<&Member>)> = groups.into_iter().collect();
    out.sort_by_key(|(u, _)| u.as_uuid());
    out
}

/// What a digest knows of the heads before it writes: who leads each unit today, and who got
/// today's digest already.
struct Heads {
    leaders: HashMap<UnitId, (PersonId, Option<String>)>,
    sent: std::collections::HashSet<UnitId>,
}

/// Queues one head's digest, unless they have no address or already got today's.
async fn queue_digest(
    state: &AppState,
    txn: &congvu_db::Transaction,
    l: &Loaded,
    heads: &Heads,
    head_unit: (UnitId, &str),
    people: &[&Member],
) -> Result<DigestOutcome> {
    let (unit_id, unit_name) = head_unit;
    if heads.sent.contains(&unit_id) {
        return Ok(DigestOutcome::AlreadySentToday);
    }
    let email = match heads.leaders.get(&unit_id) {
        None => return Ok(DigestOutcome::NoHead),
        Some((_, None)) => return Ok(DigestOutcome::NoEmail),
        Some((_, Some(email))) => email,
    };
    let (subject, body) = digest_text(&l.campaign, unit_name, people);
    let message = Uuid::now_v7();
    outbox::enqueue(
        txn,
        &Message {
            id: message,
            recipient_sealed: state.secrets.seal(email.as_bytes(), message.as_bytes())?,
            subject,
            body,
            attempts: 0,
            letter_id: None,
        },
        state.clock.now(),
    )
    .await?;
    congvu_db::commitment::insert_digest(
        txn,
        l.campaign.id,
        unit_id,
        l.today,
        message,
        people.len() as u64,
    )
    .await
    .map_err(|e| {
        super::taken(
            e,
            "campaign_id",
            "commitment.digest_running",
            "another digest of this campaign is being sent; ask again",
        )
    })?;
    Ok(DigestOutcome::Queued)
}

/// Queues one message to each head whose people have not all signed: the head of the member's
/// unit for staff, the head above for unit heads. A head without an e-mail address, a unit
/// without a head today, or a head already sent today's digest is reported, not mailed. A person
/// heading two units gets one message for each.
pub async fn digest(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
) -> Result<DigestView> {
    let id = id.as_uuid();
    let l = loaded(state, actor, id, None).await?;
    if !actor.may(Action::ManageCommitment, &l.root.path) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the campaign's unit sends its digest",
        ));
    }
    let tree = Tree::of(state.db.reader(), &l.root).await?;
    let mut names: HashMap<UnitId, String> =
        tree.units.iter().map(|u| (u.id, u.name.clone())).collect();
    if let Some(parent) = l.root.parent {
        names.insert(parent, unit(state, parent).await?.name);
    }
    let groups = by_head(&l.members, &tree);
    let heads_known = Heads {
        leaders: congvu_db::commitment::heads_under(
            state.db.reader(),
            &l.root.path,
            l.root.parent,
            l.today,
        )
        .await?,
        sent: congvu_db::commitment::digests_sent(state.db.reader(), id, l.today).await?,
    };
    let txn = state.db.begin().await?;
    let mut heads = Vec::with_capacity(groups.len());
    let mut queued = 0;
    for (unit_id, people) in &groups {
        let name = names.get(unit_id).map_or("", String::as_str);
        let result = queue_digest(state, &txn, &l, &heads_known, (*unit_id, name), people).await?;
        queued += u64::from(result == DigestOutcome::Queued);
        heads.push(DigestLine {
            unit: *unit_id,
            outstanding: people.len() as u64,
            result,
        });
    }
    record(
        &txn,
        who(actor),
        "commitment_campaign.digest",
        ("commitment_campaign", id.to_string()),
        "digest",
        &serde_json::json!({ "queued": queued, "heads": heads.len() }),
        state.clock.now(),
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(DigestView {
        campaign: id.into(),
        queued,
        heads,
    })
}

/// Checks a violation's citation of a commitment item inside the violation's transaction (the
/// campaign row locked, so no withdrawal slips in between) and answers the template version it
/// pins: the campaign is one the recording officer sees, of the year of the act; the person was
/// a member on the day the act started, and a signature stood that day — whatever happened since
/// (a later withdrawal or revision does not undo it); the version that signature acknowledged has
/// the item (brief §11.8: a breach of a commitment item links to the incident).
pub(crate) async fn check_citation(
    txn: &impl congvu_db::Connection,
    reach: &Reach,
    person: PersonId,
    started_on: NaiveDate,
    citation: &congvu_db::violation::Citation,
) -> Result<Uuid> {
    let field = "commitment.campaign_id";
    let not_found = || {
        Error::field(
            field,
            "not_found",
            "no campaign of yours the person is part of",
        )
    };
    let c = match congvu_db::commitment::find_campaign(txn, reach, citation.campaign, true).await {
        Ok(c) => c,
        Err(DbError::NotFound) => return Err(not_found()),
        Err(other) => return Err(other.into()),
    };
    if c.year != started_on.year() {
        return Err(Error::field(
            field,
            "other_year",
            "the act started in another year than the campaign's",
        ));
    }
    let current = congvu_db::commitment::find_template(txn, &Reach::All, c.template, false).await?;
    let root = congvu_db::unit::find(txn, &Reach::All, c.unit).await?;
    let setting = Setting {
        campaign: &c,
        subtree: &root.path,
        hash: hash_of(&current)?,
        today: started_on,
    };
    let member = load(txn, &setting, Among::Persons(&[person]))
        .await?
        .into_iter()
        .next()
        .filter(|m| reach.covers(&m.unit_path))
        .ok_or_else(not_found)?;
    if !matches!(member.membership, Membership::Member { .. }) {
        return Err(Error::field(
            field,
            "not_member",
            "the person was not in the campaign's units when the act started",
        ));
    }
    let events =
        congvu_db::commitment::events(txn, c.id, c.launched_on, Among::Persons(&[person])).await?;
    let folded: Vec<Event> = events.iter().map(domain_event).collect();
    let signed = signing::signature_on(&folded, started_on)
        .and_then(|i| events.get(i))
        .and_then(|e| e.template)
        .ok_or_else(|| {
            Error::field(
                field,
                "not_signed",
                "no signature of this commitment stood when the act started",
            )
        })?;
    let version = congvu_db::commitment::find_template(txn, &Reach::All, signed, false).await?;
    if !version
        .content
        .items
        .iter()
        .any(|i| i.code == citation.item_code)
    {
        return Err(Error::field(
            "commitment.item_code",
            "unknown_item",
            "the version the person signed has no such item",
        ));
    }
    Ok(version.id)
}
