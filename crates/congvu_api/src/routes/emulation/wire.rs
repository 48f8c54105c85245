//! The wire shapes of emulation: request bodies parsed into the use cases' domain inputs (codes
//! to enums, ids to typed ids, one 422 listing every bad code), and the answers as JSON.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use congvu_app::service::emulation::{
    AwardView, Awardee, Closing, InitiativeView, NewAward, NewInitiative, NewProceeding,
    PersonAnswers, ProceedingView, ProposalsView, Registration, RegistrationView, Revoking,
};
use congvu_core::emulation::{Answer, InitiativeScope, ProceedingKind, TitleKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;
use crate::routes::common::{Params, by_code, parsed};

/// Whom a registration or award is for.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Person,
    Unit,
}

/// A title: `ldtt`, `cstdcs`, `cstd_tinh`, `cstd_toan_quoc` for a person; `tt_ldtt`, `tt_ldxs`
/// for a unit.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TitleCode {
    Ldtt,
    Cstdcs,
    CstdTinh,
    CstdToanQuoc,
    TtLdtt,
    TtLdxs,
}

/// The level that recognised an initiative's effect.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeCode {
    Unit,
    Province,
    National,
}

/// An inspection or an investigation.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProceedingKindCode {
    Inspection,
    Investigation,
}

/// The person or unit named by `subject_kind` and `subject_id`.
fn awardee(p: &mut Params, kind: &str, id: Uuid) -> Option<Awardee> {
    p.code(
        "subject_kind",
        Some(kind),
        |k| match k {
            "person" => Some(Awardee::Person(id.into())),
            "unit" => Some(Awardee::Unit(id.into())),
            _ => None,
        },
        "person, unit",
    )
}

fn title(p: &mut Params, field: &str, code: &str) -> Option<TitleKey> {
    let all: Vec<&str> = TitleKey::ALL.iter().map(|t| t.code()).collect();
    p.code(field, Some(code), TitleKey::parse, &all.join(", "))
}

/// Registering a person or a collective for titles of a year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    #[schema(value_type = SubjectKind)]
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    #[schema(value_type = Vec<TitleCode>)]
    pub titles: Vec<String>,
    pub reason: Option<String>,
}

impl RegistrationInput {
    pub fn parse(self) -> Result<Registration> {
        let mut p = Params::default();
        let subject = awardee(&mut p, &self.subject_kind, self.subject_id);
        let titles: Vec<Option<TitleKey>> = self
            .titles
            .iter()
            .enumerate()
            .map(|(i, t)| title(&mut p, &format!("titles[{i}]"), t))
            .collect();
        p.finish()?;
        Ok(Registration {
            subject: parsed(subject)?,
            year: self.year,
            titles: titles.into_iter().map(parsed).collect::<Result<_>>()?,
            reason: self.reason,
        })
    }
}

/// A subject's registrations of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationResponse {
    #[schema(value_type = SubjectKind)]
    pub subject_kind: &'static str,
    pub subject_id: Uuid,
    pub year: i32,
    #[schema(value_type = Vec<TitleCode>)]
    pub titles: Vec<&'static str>,
}

impl From<RegistrationView> for RegistrationResponse {
    fn from(v: RegistrationView) -> Self {
        Self {
            subject_kind: v.subject.kind_code(),
            subject_id: v.subject.as_uuid(),
            year: v.year,
            titles: v.titles.iter().map(|t| t.code()).collect(),
        }
    }
}

/// A recognised initiative.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeInput {
    pub year: i32,
    #[schema(value_type = ScopeCode)]
    pub scope: String,
    pub title: String,
    /// The recognising decision.
    pub decision: String,
    pub reason: Option<String>,
}

impl InitiativeInput {
    pub fn parse(self) -> Result<NewInitiative> {
        let mut p = Params::default();
        let scope = p.code(
            "scope",
            Some(&self.scope),
            InitiativeScope::parse,
            "unit, province, national",
        );
        p.finish()?;
        Ok(NewInitiative {
            year: self.year,
            scope: parsed(scope)?,
            title: self.title,
            decision: self.decision,
            reason: self.reason,
        })
    }
}

/// An initiative as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitiativeResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub year: i32,
    #[schema(value_type = ScopeCode)]
    pub scope: &'static str,
    pub title: String,
    pub decision: String,
}

impl From<InitiativeView> for InitiativeResponse {
    fn from(v: InitiativeView) -> Self {
        Self {
            id: v.id.as_uuid(),
            person_id: v.person.as_uuid(),
            year: v.year,
            scope: v.scope.code(),
            title: v.title,
            decision: v.decision,
        }
    }
}

/// An inspection or investigation concerning a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProceedingInput {
    #[schema(value_type = ProceedingKindCode)]
    pub kind: String,
    pub opened_on: NaiveDate,
    pub reference: String,
    pub reason: Option<String>,
}

impl ProceedingInput {
    pub fn parse(self) -> Result<NewProceeding> {
        let mut p = Params::default();
        let kind = p.code(
            "kind",
            Some(&self.kind),
            ProceedingKind::parse,
            "inspection, investigation",
        );
        p.finish()?;
        Ok(NewProceeding {
            kind: parsed(kind)?,
            opened_on: self.opened_on,
            reference: self.reference,
            reason: self.reason,
        })
    }
}

/// The end of a proceeding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub closed_on: NaiveDate,
    pub reason: Option<String>,
}

impl From<CloseInput> for Closing {
    fn from(c: CloseInput) -> Self {
        Self {
            closed_on: c.closed_on,
            reason: c.reason,
        }
    }
}

/// A proceeding as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProceedingResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    #[schema(value_type = ProceedingKindCode)]
    pub kind: &'static str,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub reference: String,
}

impl From<ProceedingView> for ProceedingResponse {
    fn from(v: ProceedingView) -> Self {
        Self {
            id: v.id.as_uuid(),
            person_id: v.person.as_uuid(),
            kind: v.kind.code(),
            opened_on: v.opened_on,
            closed_on: v.closed_on,
            reference: v.reference,
        }
    }
}

/// Recording an award decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    #[schema(value_type = SubjectKind)]
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    #[schema(value_type = TitleCode)]
    pub title: String,
    /// The decision's number and signer.
    pub decision: String,
    pub decided_on: NaiveDate,
    /// A title awarded before congvu kept that year's records (for the streaks): its
    /// eligibility is not recomputed, and it is refused once the subject has a final
    /// classification of that year in congvu.
    #[serde(default)]
    pub historic: bool,
    pub reason: Option<String>,
}

impl AwardInput {
    pub fn parse(self) -> Result<NewAward> {
        let mut p = Params::default();
        let subject = awardee(&mut p, &self.subject_kind, self.subject_id);
        let title = title(&mut p, "title", &self.title);
        p.finish()?;
        Ok(NewAward {
            subject: parsed(subject)?,
            year: self.year,
            title: parsed(title)?,
            decision: self.decision,
            decided_on: self.decided_on,
            historic: self.historic,
            reason: self.reason,
        })
    }
}

/// An award as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardResponse {
    pub id: Uuid,
    #[schema(value_type = SubjectKind)]
    pub subject_kind: &'static str,
    pub subject_id: Uuid,
    pub year: i32,
    #[schema(value_type = TitleCode)]
    pub title: &'static str,
    pub decision: String,
    pub decided_on: NaiveDate,
    /// Đồng: the title's multiple of the base salary in force on `decided_on` (Decree 98/2023
    /// Art. 54); none when either is not known.
    pub amount: Option<i64>,
    pub historic: bool,
    pub revoked_on: Option<NaiveDate>,
    pub revoke_reason: Option<String>,
}

impl From<AwardView> for AwardResponse {
    fn from(v: AwardView) -> Self {
        Self {
            id: v.id.as_uuid(),
            subject_kind: v.subject.kind_code(),
            subject_id: v.subject.as_uuid(),
            year: v.year,
            title: v.title.code(),
            decision: v.decision,
            decided_on: v.decided_on,
            amount: v.amount,
            historic: v.historic,
            revoked_on: v.revoked_on,
            revoke_reason: v.revoke_reason,
        }
    }
}

/// Revoking an award.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    pub revoked_on: NaiveDate,
    pub reason: Option<String>,
}

impl From<RevokeInput> for Revoking {
    fn from(r: RevokeInput) -> Self {
        Self {
            revoked_on: r.revoked_on,
            reason: r.reason,
        }
    }
}

/// One condition of an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhyView {
    pub code: &'static str,
    pub met: bool,
    /// The condition in Vietnamese.
    pub message: String,
    /// The condition in English.
    pub message_en: String,
    pub basis: String,
}

/// Whether a subject may be proposed for a title, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    #[schema(value_type = TitleCode)]
    pub title: &'static str,
    pub eligible: bool,
    pub reasons: Vec<WhyView>,
}

impl From<Answer> for AnswerView {
    fn from(a: Answer) -> Self {
        Self {
            title: a.title.code(),
            eligible: a.eligible,
            reasons: a
                .reasons
                .into_iter()
                .map(|r| WhyView {
                    code: r.code,
                    met: r.met,
                    message: r.message,
                    message_en: r.message_en,
                    basis: r.basis,
                })
                .collect(),
        }
    }
}

/// A person's answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonAnswersView {
    pub person_id: Uuid,
    pub full_name: String,
    /// The year's final classification: `htxs`, `htt`, `ht`, `kht`, `not_rated` or
    /// `undetermined`.
    pub classification: &'static str,
    /// Codes of what blocks any proposal now: `open_discipline_case`, `inspection`,
    /// `investigation`, `complaint_being_resolved`.
    pub blockers: Vec<&'static str>,
    pub answers: Vec<AnswerView>,
}

impl From<PersonAnswers> for PersonAnswersView {
    fn from(p: PersonAnswers) -> Self {
        Self {
            person_id: p.person.as_uuid(),
            full_name: p.full_name,
            classification: p.classification.code(),
            blockers: p.blockers.iter().map(|b| b.code()).collect(),
            answers: p.answers.into_iter().map(AnswerView::from).collect(),
        }
    }
}

/// Who in a unit may be proposed for which title in a year, and why the others may not.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalsResponse {
    pub unit_id: Uuid,
    pub year: i32,
    /// The final classification the answers read (none: the year is not finalised, nobody is
    /// rated).
    pub classification_id: Option<Uuid>,
    pub people: Vec<PersonAnswersView>,
    pub collective: Vec<AnswerView>,
    /// Title code → people who may be proposed.
    pub eligible: BTreeMap<&'static str, usize>,
    /// People with at least one blocker.
    pub blocked: usize,
    /// How many CSTĐCS the unit may propose (a share of its LĐTT, data [U]).
    pub cstdcs_cap: Option<u32>,
}

impl From<ProposalsView> for ProposalsResponse {
    fn from(v: ProposalsView) -> Self {
        Self {
            unit_id: v.unit.as_uuid(),
            year: v.year,
            classification_id: v.classification.map(|r| r.as_uuid()),
            eligible: by_code(&v.eligible, TitleKey::code),
            people: v.people.into_iter().map(PersonAnswersView::from).collect(),
            collective: v.collective.into_iter().map(AnswerView::from).collect(),
            blocked: v.blocked,
            cstdcs_cap: v.cstdcs_cap,
        }
    }
}
