//! Yearly commitments, part one: template versions (drafted, published immutable with their hash,
//! revised as a new version) and campaigns (launched by a unit head for a year, moved to a revised
//! version). Signing is in [`super::signatures`], completion and digests in [`super::completion`].

use chrono::NaiveDate;
use congvu_core::calendar::vietnam_date;
use congvu_core::commitment::{self, ItemInput, TemplateContent};
use congvu_core::error::Collector;
use congvu_core::ids::{CampaignId, TemplateId, UnitId};
use congvu_core::legal::{Confidence, LegalBasis};
use congvu_core::policy::{Action, Actor, Reach};
use congvu_db::commitment::{CampaignRecord, NewTemplate, TemplateRecord, TemplateState};
use congvu_db::unit::UnitRecord;
use congvu_db::{DbError, Page};
use serde::Serialize;
use uuid::Uuid;

use super::{record, taken, unit_for, who};
use crate::error::{Error, Result};
use crate::state::AppState;

/// A template version as drafted.
#[derive(Debug, Clone)]
pub struct TemplateDraft {
    pub year: i32,
    pub title: String,
    pub items: Vec<DraftItem>,
    /// On creation: the published version this draft revises (same unit; it becomes version n+1).
    pub revises: Option<TemplateId>,
    /// Why, for the audit log; "draft" (on creation) or "draft revised" (on a change) when absent.
    pub reason: Option<String>,
}

/// One item as drafted.
#[derive(Debug, Clone, Default)]
pub struct DraftItem {
    /// Stable across versions ("CK-01"), so a violation can cite it.
    pub code: String,
    /// The text; for an item restating a code item, the code item's text when absent.
    pub text: Option<String>,
    /// The code set (key) of a restated code-of-conduct item.
    pub set_key: Option<String>,
    /// The restated item's code in that set.
    pub item_code: Option<String>,
    /// The item's legal basis; for a restated code item, the code item's basis when absent.
    pub legal_basis: Option<DraftBasis>,
}

/// A legal basis as drafted (checked with `LegalBasis::new`).
#[derive(Debug, Clone)]
pub struct DraftBasis {
    pub document: String,
    pub article: Option<String>,
    pub confidence: Confidence,
}

/// A campaign launch.
#[derive(Debug, Clone)]
pub struct Launch {
    pub year: i32,
    /// A published template version of this unit or a unit above it, for the same year.
    pub template: TemplateId,
    pub due_on: NaiveDate,
    /// Days someone who joins after the launch has to sign, from the day they join (default 30).
    pub joiner_days: Option<u32>,
    /// Why, for the audit log; "launched" when absent.
    pub reason: Option<String>,
}

/// The reason a change gives, or the plain word for what it is when it gives none.
fn given_reason(reason: Option<&str>, otherwise: &str) -> Result<String> {
    match reason {
        Some(_) => super::reason(reason),
        None => Ok(otherwise.to_owned()),
    }
}

/// Joiners' days when the launch does not say (congvu's choice, not law).
pub const DEFAULT_JOINER_DAYS: u32 = 30;

/// A campaign with the template version it asks to sign.
#[derive(Debug, Clone)]
pub struct CampaignView {
    pub id: CampaignId,
    pub unit: UnitId,
    pub year: i32,
    /// The template version everyone is asked to sign now.
    pub template: TemplateId,
    pub template_version: i32,
    /// The hash a signature must acknowledge.
    pub template_hash: String,
    pub launched_on: NaiveDate,
    pub due_on: NaiveDate,
    pub joiner_days: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Moving a campaign to a revised template version.
#[derive(Debug, Clone)]
pub struct Revision {
    pub template: TemplateId,
    pub reason: Option<String>,
}

fn view_reach(actor: &Actor) -> Reach {
    actor.reach(Action::ViewCommitment)
}

/// Any unit by id, whatever the actor's reach (for units already reached through a campaign).
pub(crate) async fn unit(state: &AppState, id: UnitId) -> Result<UnitRecord> {
    Ok(congvu_db::unit::find(state.db.reader(), &Reach::All, id).await?)
}

fn basis(errors: &mut Collector, i: usize, b: &DraftBasis) -> Option<LegalBasis> {
    errors.take(
        LegalBasis::new(&b.document, b.article.as_deref(), b.confidence).map_err(|e| match e {
            congvu_core::error::DomainError::Invalid(mut fields) => {
                for f in &mut fields {
                    f.field = format!("items[{i}].{}", f.field);
                }
                congvu_core::error::DomainError::Invalid(fields)
            }
            other => other,
        }),
    )
}

/// The code items a template may restate: those of the code sets in force at the unit on the
/// later of today and 1 January of the template's year.
async fn code_items(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<Vec<(String, congvu_core::codeset::CodeItem)>> {
    let today = vietnam_date(state.clock.now());
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let (_, sets) = super::codesets::in_force(state, actor, unit, today.max(start)).await?;
    Ok(sets
        .into_iter()
        .flat_map(|r| {
            let key = r.set.content.key.clone();
            r.set
                .content
                .items
                .into_iter()
                .map(move |i| (key.clone(), i))
        })
        .collect())
}

/// Validates a draft: restated items must name a code item in force (its text and basis fill
/// what the draft leaves out); every problem at once.
async fn content(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: &TemplateDraft,
) -> Result<TemplateContent> {
    let known = code_items(state, actor, unit, input.year).await?;
    let mut errors = Collector::default();
    let mut filled: Vec<(String, Option<LegalBasis>)> = Vec::with_capacity(input.items.len());
    for (i, item) in input.items.iter().enumerate() {
        let given = item
            .legal_basis
            .as_ref()
            .and_then(|b| basis(&mut errors, i, b));
        let restated = match (&item.set_key, &item.item_code) {
            (Some(set), Some(code)) => {
                let found = known
                    .iter()
                    .find(|(k, c)| k == set && &c.code == code)
                    .map(|(_, c)| c);
                if found.is_none() {
                    errors.push(
                        &format!("items[{i}].item_code"),
                        "unknown_item",
                        "no such item in the code sets in force for the unit",
                    );
                }
                found
            }
            _ => None,
        };
        let text = item
            .text
            .clone()
            .or_else(|| restated.map(|c| c.text_vi.clone()))
            .unwrap_or_default();
        filled.push((text, given.or_else(|| restated.map(|c| c.basis.clone()))));
    }
    let inputs: Vec<ItemInput<'_>> = input
        .items
        .iter()
        .zip(&filled)
        .map(|(item, (text, basis))| ItemInput {
            code: &item.code,
            text,
            set_key: item.set_key.as_deref(),
            item_code: item.item_code.as_deref(),
            basis: basis.as_ref(),
        })
        .collect();
    let parsed = TemplateContent::parse(input.year, &input.title, &inputs);
    let early = errors.finish();
    match (early, parsed) {
        (Ok(()), Ok(content)) => Ok(content),
        (
            Err(congvu_core::error::DomainError::Invalid(mut a)),
            Err(congvu_core::error::DomainError::Invalid(b)),
        ) => {
            a.extend(b);
            Err(congvu_core::error::DomainError::Invalid(a).into())
        }
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct TemplateChange<'a> {
    unit_id: Uuid,
    family_id: Uuid,
    version: i32,
    year: i32,
    title: &'a str,
    items: usize,
}

/// Drafts a template version for a unit (a revision when `revises` names a published version).
pub async fn create_template(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: TemplateDraft,
) -> Result<TemplateRecord> {
    let unit_record = unit_for(
        state,
        actor,
        unit,
        Action::ManageCommitment,
        "only a unit head, HR or emulation officer of the unit drafts its commitment templates",
    )
    .await?;
    let parsed = content(state, actor, unit, &input).await?;
    let id = Uuid::now_v7();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let (family, version) = match input.revises {
        Some(previous) => {
            let prior = congvu_db::commitment::find_template(
                &txn,
                &view_reach(actor),
                previous.as_uuid(),
                true,
            )
            .await
            .map_err(|_| Error::field("revises", "not_found", "no such template in your units"))?;
            if prior.unit != unit_record.id || prior.state != TemplateState::Published {
                return Err(Error::field(
                    "revises",
                    "not_revisable",
                    "a revision follows a published version of the same unit",
                ));
            }
            let last = congvu_db::commitment::last_version(&txn, prior.family).await?;
            (prior.family, last + 1)
        }
        None => (id, 1),
    };
    congvu_db::commitment::insert_template(
        &txn,
        &NewTemplate {
            id,
            unit,
            family,
            version,
            content: &parsed,
            created_by: actor.user.as_uuid(),
        },
        now,
    )
    .await
    .map_err(|e| {
        taken(
            e,
            "revises",
            "commitment.version_taken",
            "another revision was drafted at the same time",
        )
    })?;
    record(
        &txn,
        who(actor),
        "commitment_template.create",
        ("commitment_template", id.to_string()),
        &given_reason(input.reason.as_deref(), "draft")?,
        &TemplateChange {
            unit_id: unit.as_uuid(),
            family_id: family,
            version,
            year: parsed.year,
            title: &parsed.title,
            items: parsed.items.len(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get_template(state, actor, id.into()).await
}

/// A draft template version, locked, that the actor may change.
async fn draft_for_change(
    txn: &congvu_db::Transaction,
    actor: &Actor,
    id: Uuid,
) -> Result<TemplateRecord> {
    let current = congvu_db::commitment::find_template(txn, &view_reach(actor), id, true).await?;
    let unit = congvu_db::unit::find(txn, &Reach::All, current.unit).await?;
    if !actor.may(Action::ManageCommitment, &unit.path) {
        return Err(Error::Forbidden(
            "only a unit head, HR or emulation officer of the unit changes its commitment templates",
        ));
    }
    if current.state != TemplateState::Draft {
        return Err(Error::Conflict {
            code: "commitment.template_published",
            detail: "a published template never changes; draft a revision instead".into(),
        });
    }
    Ok(current)
}

/// Replaces a draft's content.
pub async fn update_template(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::TemplateId,
    input: TemplateDraft,
) -> Result<TemplateRecord> {
    let id = id.as_uuid();
    if input.revises.is_some() {
        return Err(Error::field(
            "revises",
            "not_allowed",
            "a draft's lineage is set when it is created",
        ));
    }
    let before =
        congvu_db::commitment::find_template(state.db.reader(), &view_reach(actor), id, false)
            .await?;
    let parsed = content(state, actor, before.unit, &input).await?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current = draft_for_change(&txn, actor, id).await?;
    congvu_db::commitment::update_template(&txn, id, &parsed, now).await?;
    record(
        &txn,
        who(actor),
        "commitment_template.update",
        ("commitment_template", id.to_string()),
        &given_reason(input.reason.as_deref(), "draft revised")?,
        &TemplateChange {
            unit_id: current.unit.as_uuid(),
            family_id: current.family,
            version: current.version,
            year: parsed.year,
            title: &parsed.title,
            items: parsed.items.len(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get_template(state, actor, id.into()).await
}

/// Publishes a draft: from now on it never changes, and its hash is what signers acknowledge.
pub async fn publish_template(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::TemplateId,
) -> Result<TemplateRecord> {
    let id = id.as_uuid();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current = draft_for_change(&txn, actor, id).await?;
    let hash = current.content.hash();
    congvu_db::commitment::publish_template(&txn, id, &hash, now).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        content_hash: &'a str,
        version: i32,
    }
    record(
        &txn,
        who(actor),
        "commitment_template.publish",
        ("commitment_template", id.to_string()),
        "published",
        &Change {
            content_hash: &hash,
            version: current.version,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get_template(state, actor, id.into()).await
}

/// A template version the actor sees.
pub async fn get_template(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::TemplateId,
) -> Result<TemplateRecord> {
    let id = id.as_uuid();
    Ok(
        congvu_db::commitment::find_template(state.db.reader(), &view_reach(actor), id, false)
            .await?,
    )
}

/// Template versions the actor sees, by unit and year.
pub async fn list_templates(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    year: Option<i32>,
    page: Page,
) -> Result<Vec<TemplateRecord>> {
    Ok(congvu_db::commitment::list_templates(
        state.db.reader(),
        &view_reach(actor),
        unit,
        year,
        page,
    )
    .await?)
}

/// A published version a campaign at `unit` may ask for: the unit's own or a unit's above it,
/// of the campaign's year.
async fn usable_template(
    txn: &impl congvu_db::Connection,
    unit: &UnitRecord,
    id: Uuid,
    year: i32,
) -> Result<TemplateRecord> {
    let found = congvu_db::commitment::find_template(
        txn,
        &Reach::Subtrees(vec![unit.path.clone()]),
        id,
        false,
    )
    .await
    .map_err(|_| {
        Error::field(
            "template_id",
            "not_found",
            "no such template at this unit or above it",
        )
    })?;
    let own_or_above = congvu_core::policy::path_units(&unit.path).contains(&found.unit);
    if !own_or_above {
        return Err(Error::field(
            "template_id",
            "not_found",
            "no such template at this unit or above it",
        ));
    }
    if found.state != TemplateState::Published {
        return Err(Error::field(
            "template_id",
            "not_published",
            "only a published template is signed",
        ));
    }
    if found.content.year != year {
        return Err(Error::field(
            "template_id",
            "other_year",
            "the template is for another year",
        ));
    }
    Ok(found)
}

/// Launches a unit's campaign for a year: everyone employed in the unit's subtree today is asked
/// to sign by the due date; people who join later are asked from the day they join.
pub async fn launch(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    input: Launch,
) -> Result<CampaignView> {
    let unit_record = unit_for(
        state,
        actor,
        unit,
        Action::LaunchCommitment,
        "only the unit's head (or a head above it) launches its commitment campaign",
    )
    .await?;
    let now = state.clock.now();
    let today = vietnam_date(now);
    commitment::check_campaign(input.year, today, input.due_on)?;
    let joiner_days = input.joiner_days.unwrap_or(DEFAULT_JOINER_DAYS);
    if !(1..=365).contains(&joiner_days) {
        return Err(Error::field("joiner_days", "out_of_range", "1 to 365 days"));
    }
    let id = Uuid::now_v7();
    let txn = state.db.begin().await?;
    let template =
        usable_template(&txn, &unit_record, input.template.as_uuid(), input.year).await?;
    // Launches in one tree run one at a time, so two overlapping ones cannot both pass.
    congvu_db::commitment::lock_tree(&txn, &unit_record.path).await?;
    if let Some(other) =
        congvu_db::commitment::overlapping(&txn, &unit_record.path, input.year).await?
    {
        return Err(Error::Conflict {
            code: if other.unit == unit {
                "commitment.campaign_exists"
            } else {
                "commitment.campaign_overlaps"
            },
            detail: "a campaign of this year already asks people of this unit to sign (at the unit, above it or below it)".into(),
        });
    }
    let campaign = CampaignRecord {
        id,
        unit,
        year: input.year,
        template: template.id,
        launched_on: today,
        due_on: input.due_on,
        joiner_days: i32::try_from(joiner_days).unwrap_or(30),
        launched_by: actor.user.as_uuid(),
        created_at: now,
        updated_at: now,
    };
    congvu_db::commitment::insert_campaign(&txn, &campaign)
        .await
        .map_err(|e| {
            taken(
                e,
                "year",
                "commitment.campaign_exists",
                "the unit already has a campaign for this year",
            )
        })?;
    #[derive(Serialize)]
    struct Change<'a> {
        unit_id: Uuid,
        year: i32,
        template_id: Uuid,
        template_hash: Option<&'a str>,
        launched_on: NaiveDate,
        due_on: NaiveDate,
    }
    record(
        &txn,
        who(actor),
        "commitment_campaign.launch",
        ("commitment_campaign", id.to_string()),
        &given_reason(input.reason.as_deref(), "launched")?,
        &Change {
            unit_id: unit.as_uuid(),
            year: input.year,
            template_id: template.id,
            template_hash: template.content_hash.as_deref(),
            launched_on: today,
            due_on: input.due_on,
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    campaign_view(campaign, &template)
}

/// Moves a campaign to a later published version of its template: everyone signs again.
pub async fn revise(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
    input: Revision,
) -> Result<CampaignView> {
    let id = id.as_uuid();
    let reason = super::reason(input.reason.as_deref())?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let current = congvu_db::commitment::find_campaign(&txn, &view_reach(actor), id, true).await?;
    let unit_record = congvu_db::unit::find(&txn, &Reach::All, current.unit).await?;
    if !actor.may(Action::LaunchCommitment, &unit_record.path) {
        return Err(Error::Forbidden(
            "only the unit's head (or a head above it) changes its campaign's template",
        ));
    }
    let before =
        congvu_db::commitment::find_template(&txn, &Reach::All, current.template, false).await?;
    let next = usable_template(&txn, &unit_record, input.template.as_uuid(), current.year).await?;
    if next.family != before.family || next.version <= before.version {
        return Err(Error::field(
            "template_id",
            "not_a_revision",
            "a campaign moves only to a later version of its template",
        ));
    }
    congvu_db::commitment::set_template(&txn, id, next.id, now).await?;
    #[derive(Serialize)]
    struct Change<'a> {
        from_template: Uuid,
        to_template: Uuid,
        to_hash: Option<&'a str>,
    }
    record(
        &txn,
        who(actor),
        "commitment_campaign.revise",
        ("commitment_campaign", id.to_string()),
        &reason,
        &Change {
            from_template: before.id,
            to_template: next.id,
            to_hash: next.content_hash.as_deref(),
        },
        now,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    get_campaign(state, actor, id.into()).await
}

/// The view of a campaign with its template.
pub(crate) fn campaign_view(c: CampaignRecord, t: &TemplateRecord) -> Result<CampaignView> {
    Ok(CampaignView {
        id: c.id.into(),
        unit: c.unit,
        year: c.year,
        template: t.id.into(),
        template_version: t.version,
        template_hash: t
            .content_hash
            .clone()
            .ok_or_else(|| Error::Internal("a campaign's template is not published".into()))?,
        launched_on: c.launched_on,
        due_on: c.due_on,
        joiner_days: c.joiner_days,
        created_at: c.created_at,
        updated_at: c.updated_at,
    })
}

/// A campaign the actor sees, with its template.
pub(crate) async fn campaign(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> Result<(CampaignRecord, TemplateRecord)> {
    let c = congvu_db::commitment::find_campaign(state.db.reader(), &view_reach(actor), id, false)
        .await?;
    let t = congvu_db::commitment::find_template(state.db.reader(), &Reach::All, c.template, false)
        .await?;
    Ok((c, t))
}

/// A campaign the actor sees.
pub async fn get_campaign(
    state: &AppState,
    actor: &Actor,
    id: congvu_core::ids::CampaignId,
) -> Result<CampaignView> {
    let id = id.as_uuid();
    let (c, t) = campaign(state, actor, id).await?;
    campaign_view(c, &t)
}

/// Campaigns the actor sees, by unit and year.
pub async fn list_campaigns(
    state: &AppState,
    actor: &Actor,
    unit: Option<UnitId>,
    year: Option<i32>,
    page: Page,
) -> Result<Vec<CampaignView>> {
    let units = unit.map(|u| vec![u]);
    let rows = congvu_db::commitment::list_campaigns(
        state.db.reader(),
        &view_reach(actor),
        units.as_deref(),
        year,
        page,
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let t =
            congvu_db::commitment::find_template(state.db.reader(), &Reach::All, c.template, false)
                .await?;
        out.push(campaign_view(c, &t)?);
    }
    Ok(out)
}
