//! The wire shapes of commitments: template and campaign bodies parsed into the use cases'
//! inputs (confidence tags to enums, ids to typed ids), and templates, campaigns, completion,
//! standings, signatures and digests as JSON.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_app::service::commitments::{
    CampaignView, DraftBasis, DraftItem, Launch, Revision, TemplateDraft,
};
use congvu_app::service::completion::{CompletionView, DigestView, PersonStanding, UnitCompletion};
use congvu_app::service::signatures::{CounterSigning, EventView, MyCommitment, SignatureView};
use congvu_core::commitment::Source;
use congvu_core::commitment::rollup::Counts;
use congvu_core::legal::Confidence;
use congvu_db::commitment::TemplateRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::routes::common::Params;

/// A confidence tag of the legal brief: verified, secondary, reported or unverified.
#[derive(ToSchema)]
pub enum ConfidenceCode {
    V,
    S,
    R,
    U,
}

/// Where a person stands in a campaign.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandingCode {
    Pending,
    Overdue,
    Signed,
    CounterSigned,
    ClosedOut,
}

/// What a signing event is.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKindCode {
    Signed,
    CounterSigned,
    Withdrawn,
}

/// What a digest did for one head.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigestResultCode {
    Queued,
    NoHead,
    NoEmail,
    AlreadySentToday,
}

/// A template version as drafted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    pub year: i32,
    pub title: String,
    pub items: Vec<TemplateItemInput>,
    /// On creation: the published version this draft revises (same unit; it becomes version n+1).
    pub revises: Option<Uuid>,
    /// Why, for the audit log; "draft" (on creation) or "draft revised" (on a change) when absent.
    pub reason: Option<String>,
}

/// One item as drafted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateItemInput {
    /// Stable across versions ("CK-01"), so a violation can cite it.
    pub code: String,
    /// The text; for an item restating a code item, the code item's text when absent.
    pub text: Option<String>,
    /// The code set (key) of a restated code-of-conduct item.
    pub set_key: Option<String>,
    /// The restated item's code in that set.
    pub item_code: Option<String>,
    /// The item's legal basis; for a restated code item, the code item's basis when absent.
    pub legal_basis: Option<BasisInput>,
}

/// A legal basis as given and shown.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BasisInput {
    pub document: String,
    pub article: Option<String>,
    #[schema(value_type = ConfidenceCode)]
    pub confidence: String,
}

impl TemplateInput {
    /// The draft with its confidence tags parsed (one 422 naming every unknown tag).
    pub fn parse(self) -> Result<TemplateDraft> {
        let mut p = Params::default();
        let mut items = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.into_iter().enumerate() {
            let legal_basis = item.legal_basis.and_then(|b| {
                let field = format!("items[{i}].legal_basis.confidence");
                let confidence = Confidence::parse(&b.confidence);
                if confidence.is_none() {
                    p.push(&field, "unknown", "V, S, R or U");
                }
                Some(DraftBasis {
                    document: b.document,
                    article: b.article,
                    confidence: confidence?,
                })
            });
            items.push(DraftItem {
                code: item.code,
                text: item.text,
                set_key: item.set_key,
                item_code: item.item_code,
                legal_basis,
            });
        }
        p.finish()?;
        Ok(TemplateDraft {
            year: self.year,
            title: self.title,
            items,
            revises: self.revises.map(Into::into),
            reason: self.reason,
        })
    }
}

/// An item as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    pub code: String,
    pub text: String,
    pub set_key: Option<String>,
    pub item_code: Option<String>,
    pub legal_basis: Option<BasisInput>,
}

/// A template version as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub id: Uuid,
    pub unit_id: Uuid,
    /// The first version's id, shared by every revision.
    pub family_id: Uuid,
    pub version: i32,
    /// `draft` or `published`.
    pub state: &'static str,
    pub year: i32,
    pub title: String,
    pub items: Vec<ItemView>,
    /// SHA-256 of the content, set on publication: what a signature acknowledges.
    pub content_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<TemplateRecord> for TemplateView {
    fn from(r: TemplateRecord) -> Self {
        Self {
            id: r.id,
            unit_id: r.unit.as_uuid(),
            family_id: r.family,
            version: r.version,
            state: r.state.code(),
            year: r.content.year,
            title: r.content.title,
            items: r
                .content
                .items
                .into_iter()
                .map(|i| {
                    let (set_key, item_code) = match i.source {
                        Source::CodeItem { set_key, item_code } => (Some(set_key), Some(item_code)),
                        Source::Free => (None, None),
                    };
                    ItemView {
                        code: i.code,
                        text: i.text,
                        set_key,
                        item_code,
                        legal_basis: i.basis.map(|b| BasisInput {
                            document: b.document,
                            article: b.article,
                            confidence: b.confidence.code().to_owned(),
                        }),
                    }
                })
                .collect(),
            content_hash: r.content_hash,
            created_at: r.created_at,
            published_at: r.published_at,
        }
    }
}

/// A campaign launch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    pub year: i32,
    /// A published template version of this unit or a unit above it, for the same year.
    pub template_id: Uuid,
    pub due_on: NaiveDate,
    /// Days someone who joins after the launch has to sign, from the day they join (default 30).
    pub joiner_days: Option<u32>,
    /// Why, for the audit log; "launched" when absent.
    pub reason: Option<String>,
}

impl From<CampaignInput> for Launch {
    fn from(c: CampaignInput) -> Self {
        Self {
            year: c.year,
            template: c.template_id.into(),
            due_on: c.due_on,
            joiner_days: c.joiner_days,
            reason: c.reason,
        }
    }
}

/// Moving a campaign to a revised template version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseInput {
    pub template_id: Uuid,
    pub reason: Option<String>,
}

impl From<ReviseInput> for Revision {
    fn from(r: ReviseInput) -> Self {
        Self {
            template: r.template_id.into(),
            reason: r.reason,
        }
    }
}

/// A campaign as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    /// The template version everyone is asked to sign now.
    pub template_id: Uuid,
    pub template_version: i32,
    /// The hash a signature must acknowledge.
    pub template_hash: String,
    pub launched_on: NaiveDate,
    pub due_on: NaiveDate,
    pub joiner_days: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CampaignView> for CampaignResponse {
    fn from(c: CampaignView) -> Self {
        Self {
            id: c.id.as_uuid(),
            unit_id: c.unit.as_uuid(),
            year: c.year,
            template_id: c.template.as_uuid(),
            template_version: c.template_version,
            template_hash: c.template_hash,
            launched_on: c.launched_on,
            due_on: c.due_on,
            joiner_days: c.joiner_days,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Counts as shown.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct CountsView {
    pub pending: u64,
    pub overdue: u64,
    pub signed: u64,
    pub counter_signed: u64,
    pub closed_out: u64,
    /// Pending plus overdue.
    pub outstanding: u64,
}

impl From<Counts> for CountsView {
    fn from(c: Counts) -> Self {
        Self {
            pending: c.pending,
            overdue: c.overdue,
            signed: c.signed,
            counter_signed: c.counter_signed,
            closed_out: c.closed_out,
            outstanding: c.outstanding(),
        }
    }
}

/// One unit's completion.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitCompletionView {
    pub unit_id: Uuid,
    pub code: String,
    pub name: String,
    pub parent_id: Option<Uuid>,
    /// 0 for the campaign's unit.
    pub depth: usize,
    /// People placed in this unit itself.
    pub own: CountsView,
    /// This unit and every unit below it.
    pub total: CountsView,
}

impl From<UnitCompletion> for UnitCompletionView {
    fn from(u: UnitCompletion) -> Self {
        Self {
            unit_id: u.unit.as_uuid(),
            code: u.code,
            name: u.name,
            parent_id: u.parent.map(|p| p.as_uuid()),
            depth: u.depth,
            own: u.own.into(),
            total: u.total.into(),
        }
    }
}

/// A campaign's completion at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionResponse {
    pub campaign_id: Uuid,
    pub as_of: NaiveDate,
    pub due_on: NaiveDate,
    pub template_hash: String,
    /// Units in your reach, parents before children.
    pub units: Vec<UnitCompletionView>,
}

impl From<CompletionView> for CompletionResponse {
    fn from(c: CompletionView) -> Self {
        Self {
            campaign_id: c.campaign.as_uuid(),
            as_of: c.as_of,
            due_on: c.due_on,
            template_hash: c.template_hash,
            units: c.units.into_iter().map(UnitCompletionView::from).collect(),
        }
    }
}

/// A person's standing in a campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonStandingView {
    pub person_id: Uuid,
    pub staff_code: String,
    pub full_name: String,
    pub unit_id: Uuid,
    pub is_leader: bool,
    #[schema(value_type = StandingCode)]
    pub standing: &'static str,
    /// The day they were first asked to sign (the launch, or the day they joined).
    pub member_since: Option<NaiveDate>,
    /// For a leaver: their last day in the campaign's units.
    pub left_on: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    /// Whether the standing signature is on paper.
    pub paper: Option<bool>,
    pub counter_signed_on: Option<NaiveDate>,
    /// The unit whose head counter-signs (none for the top leader).
    pub counterparty_unit_id: Option<Uuid>,
}

impl From<PersonStanding> for PersonStandingView {
    fn from(p: PersonStanding) -> Self {
        Self {
            person_id: p.person.as_uuid(),
            staff_code: p.staff_code,
            full_name: p.full_name,
            unit_id: p.unit.as_uuid(),
            is_leader: p.is_leader,
            standing: p.standing.code(),
            member_since: p.member_since,
            left_on: p.left_on,
            signed_on: p.signed_on,
            paper: p.paper,
            counter_signed_on: p.counter_signed_on,
            counterparty_unit_id: p.counterparty_unit.map(|u| u.as_uuid()),
        }
    }
}

/// What a digest did for one head.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestLineView {
    /// The unit whose head the digest is for.
    pub unit_id: Uuid,
    /// People who have not signed and whose counterparty that head is.
    pub outstanding: u64,
    /// `queued`, or why not.
    #[schema(value_type = DigestResultCode)]
    pub result: &'static str,
}

/// The digest of a campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigestResponse {
    pub campaign_id: Uuid,
    pub queued: u64,
    pub heads: Vec<DigestLineView>,
}

impl From<DigestView> for DigestResponse {
    fn from(d: DigestView) -> Self {
        Self {
            campaign_id: d.campaign.as_uuid(),
            queued: d.queued,
            heads: d
                .heads
                .into_iter()
                .map(|h| DigestLineView {
                    unit_id: h.unit.as_uuid(),
                    outstanding: h.outstanding,
                    result: h.result.code(),
                })
                .collect(),
        }
    }
}

/// A signature given online.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInput {
    /// The content hash of the template version read and signed.
    pub template_hash: String,
}

/// Counter-signatures by the counterparty head.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterSignInput {
    pub person_ids: Vec<Uuid>,
    pub template_hash: String,
}

impl From<CounterSignInput> for CounterSigning {
    fn from(c: CounterSignInput) -> Self {
        Self {
            people: c.person_ids.into_iter().map(Into::into).collect(),
            template_hash: c.template_hash,
        }
    }
}

/// One signing event as shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventResponse {
    pub id: Uuid,
    #[schema(value_type = EventKindCode)]
    pub kind: &'static str,
    pub on: NaiveDate,
    pub template_id: Option<Uuid>,
    pub template_hash: Option<String>,
    pub paper: bool,
    /// Whether a scanned document is stored (download at `…/events/{id}/scan`).
    pub scan: bool,
    pub reason: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

impl From<EventView> for EventResponse {
    fn from(e: EventView) -> Self {
        Self {
            id: e.id.as_uuid(),
            kind: e.kind.code(),
            on: e.on,
            template_id: e.template.map(|t| t.as_uuid()),
            template_hash: e.template_hash,
            paper: e.paper,
            scan: e.scan,
            reason: e.reason,
            recorded_by: e.recorded_by.as_uuid(),
            recorded_at: e.recorded_at,
        }
    }
}

/// A person's standing and their events.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureResponse {
    pub campaign_id: Uuid,
    #[serde(flatten)]
    pub standing: PersonStandingView,
    pub events: Vec<EventResponse>,
}

impl From<SignatureView> for SignatureResponse {
    fn from(s: SignatureView) -> Self {
        Self {
            campaign_id: s.campaign.as_uuid(),
            standing: s.standing.into(),
            events: s.events.into_iter().map(EventResponse::from).collect(),
        }
    }
}

/// One of the signed-in person's campaigns: the text to sign and where they stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCommitmentView {
    pub campaign: CampaignResponse,
    pub template: TemplateView,
    pub signature: SignatureResponse,
}

impl From<MyCommitment> for MyCommitmentView {
    fn from(m: MyCommitment) -> Self {
        Self {
            campaign: m.campaign.into(),
            template: m.template.into(),
            signature: m.signature.into(),
        }
    }
}

/// Standings as the wire shows them.
pub fn standings_view(rows: Vec<PersonStanding>) -> Vec<PersonStandingView> {
    rows.into_iter().map(PersonStandingView::from).collect()
}
