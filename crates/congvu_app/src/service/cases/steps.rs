//! The steps of a case as the use cases take and show them, and the facts a step's particulars are
//! checked against (cited documents, the council's members and conflicts) before the state machine
//! sees it; the rules themselves are congvu_core's (`discipline::particulars`).

use super::Loaded;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use congvu_core::discipline::case::{Ballots, SkipReview, SkipToDecision, Step};
use congvu_core::discipline::particulars::{
    self, CouncilRole, DocumentKind, ParticularsError, ReviewAbsence,
};
use congvu_core::discipline::{CitationRule, Form, Procedure};
use congvu_core::ids::PersonId;
use congvu_db::case::{CouncilSeat, StepParticulars};
use serde::Serialize;
use uuid::Uuid;

/// A council member as recorded.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CouncilMember {
    pub person_id: Uuid,
    /// chair or member
    pub role: String,
}

/// A step's particulars: the use case's input (from the API's `StepBody`), and how a recorded
/// step is shown (serialised into the case view and the audit event). It is stored in
/// `congvu_db`'s own format (`StepParticulars`), never as this type.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepDetail {
    HoldReview {
        /// The person read a self-criticism.
        self_criticism: bool,
        /// Why the meeting went ahead without the person: written_request or second_convocation.
        absent: Option<String>,
        documents: Vec<Uuid>,
    },
    SkipReview {
        /// former_unit or already_reviewed
        why: String,
        documents: Vec<Uuid>,
    },
    FormCouncil {
        members: Vec<CouncilMember>,
        documents: Vec<Uuid>,
    },
    HoldCouncil {
        /// The day the convocation was sent.
        convened_on: NaiveDate,
        members_present: u8,
        discipline_yes: u8,
        discipline_no: u8,
        form: Option<String>,
        documents: Vec<Uuid>,
    },
    Recommend {
        documents: Vec<Uuid>,
    },
    SkipToDecision {
        /// conclusion_proposes_form, court_conviction or party_decision
        why: String,
        party_form: Option<String>,
        party_announced_on: Option<NaiveDate>,
        documents: Vec<Uuid>,
    },
    ConcludeNoViolation {
        documents: Vec<Uuid>,
    },
    Decide {
        form: String,
        number: String,
        effective_on: NaiveDate,
    },
    Annul {
        ruling: String,
        /// The day of the complaint decision or court ruling.
        ruling_on: NaiveDate,
    },
}

impl StepDetail {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Self::HoldReview { .. } => "hold_review",
            Self::SkipReview { .. } => "skip_review",
            Self::FormCouncil { .. } => "form_council",
            Self::HoldCouncil { .. } => "hold_council",
            Self::Recommend { .. } => "recommend",
            Self::SkipToDecision { .. } => "skip_to_decision",
            Self::ConcludeNoViolation { .. } => "conclude_no_violation",
            Self::Decide { .. } => "decide",
            Self::Annul { .. } => "annul",
        }
    }

    pub(super) fn documents(&self) -> &[Uuid] {
        match self {
            Self::HoldReview { documents, .. }
            | Self::SkipReview { documents, .. }
            | Self::FormCouncil { documents, .. }
            | Self::HoldCouncil { documents, .. }
            | Self::Recommend { documents }
            | Self::SkipToDecision { documents, .. }
            | Self::ConcludeNoViolation { documents } => documents,
            Self::Decide { .. } | Self::Annul { .. } => &[],
        }
    }

    /// The domain step this detail stands for on `on` (`conflicted` from the council check).
    pub(super) fn step(&self, on: NaiveDate, conflicted: bool) -> Result<Step> {
        let form = |code: &str| {
            Form::parse(code)
                .ok_or_else(|| Error::field("form", "unknown_form", "not a disciplinary form"))
        };
        Ok(match self {
            Self::HoldReview { .. } => Step::HoldReview { on },
            Self::SkipReview { why, .. } => Step::SkipReview {
                on,
                why: match why.as_str() {
                    "former_unit" => SkipReview::FormerUnit,
                    "already_reviewed" => SkipReview::AlreadyReviewed,
                    _ => {
                        return Err(Error::field(
                            "why",
                            "unknown_reason",
                            "must be former_unit or already_reviewed",
                        ));
                    }
                },
            },
            Self::FormCouncil { members, .. } => Step::FormCouncil {
                on,
                members: u8::try_from(members.len()).unwrap_or(u8::MAX),
                has_chair: members
                    .iter()
                    .filter(|m| CouncilRole::parse(&m.role) == Some(CouncilRole::Chair))
                    .count()
                    == 1,
                conflicted,
            },
            Self::HoldCouncil {
                members_present,
                discipline_yes,
                discipline_no,
                form: chosen,
                ..
            } => Step::HoldCouncil {
                on,
                ballots: Ballots {
                    members: *members_present,
                    discipline_yes: *discipline_yes,
                    discipline_no: *discipline_no,
                    form: chosen.as_deref().map(form).transpose()?,
                },
            },
            Self::Recommend { .. } => Step::Recommend { on },
            Self::SkipToDecision { why, .. } => Step::SkipToDecision {
                on,
                why: skip_to_decision(why)?,
            },
            Self::ConcludeNoViolation { .. } => Step::ConcludeNoViolation { on },
            Self::Decide { form: f, .. } => Step::Decide { on, form: form(f)? },
            Self::Annul { .. } => Step::Annul { on },
        })
    }
}

pub(super) fn skip_to_decision(why: &str) -> Result<SkipToDecision> {
    match why {
        "conclusion_proposes_form" => Ok(SkipToDecision::ConclusionProposesForm),
        "court_conviction" => Ok(SkipToDecision::CourtConviction),
        "party_decision" => Ok(SkipToDecision::PartyDecision),
        _ => Err(Error::field(
            "why",
            "unknown_reason",
            "must be conclusion_proposes_form, court_conviction or party_decision",
        )),
    }
}

/// Checks that the documents a step cites belong to the case, and that the kinds the step needs
/// (congvu_core's rule) are among them.
pub(super) async fn check_documents(
    txn: &congvu_db::Transaction,
    case: Uuid,
    cited: &[Uuid],
    required: &[DocumentKind],
    citations: &CitationRule,
) -> Result<()> {
    let stored = congvu_db::case::documents(txn, case).await?;
    let mut kinds = Vec::new();
    for id in cited {
        let (kind, _) = stored
            .iter()
            .find(|(_, d)| d.id == *id)
            .ok_or_else(|| Error::field("documents", "not_found", "not a document of this case"))?;
        kinds.extend(DocumentKind::parse(kind));
    }
    particulars::check_documents(&kinds, required).map_err(|e| refusal(e, citations))
}

/// Whether a council member is barred: the person themselves, or someone related to them by a
/// declared relationship (Art. 2(11)).
pub(super) async fn conflicted(
    txn: &congvu_db::Transaction,
    person: PersonId,
    members: &[CouncilMember],
) -> Result<bool> {
    let relations = congvu_db::case::relations(txn, person).await?;
    Ok(members.iter().any(|m| {
        let member: PersonId = m.person_id.into();
        member == person
            || relations
                .iter()
                .any(|r| r.person == member || r.relative == member)
    }))
}

/// Checks a step's particulars (congvu_core's rules, [`particulars`]) and the facts they refer
/// to before the state machine sees it; answers whether the council is conflicted.
pub(super) async fn check_step(
    txn: &congvu_db::Transaction,
    actor: &congvu_core::policy::Actor,
    l: &Loaded,
    on: NaiveDate,
    detail: &StepDetail,
) -> Result<bool> {
    let required = particulars::documents_required(detail.kind());
    let case = l.record.id;
    match detail {
        StepDetail::HoldReview {
            self_criticism,
            absent,
            ..
        } => {
            let absent = absent
                .as_deref()
                .map(|code| {
                    ReviewAbsence::parse(code).ok_or_else(|| {
                        Error::field(
                            "absent",
                            "unknown_reason",
                            "must be written_request or second_convocation",
                        )
                    })
                })
                .transpose()?;
            particulars::check_review(*self_criticism, absent)
                .map_err(|e| refusal(e, &l.citations))?;
        }
        StepDetail::FormCouncil { members, .. } => {
            let people: Vec<PersonId> = members.iter().map(|m| m.person_id.into()).collect();
            particulars::check_council_members(&people).map_err(|e| refusal(e, &l.citations))?;
            let reach = actor.reach(congvu_core::policy::Action::ViewStaff);
            for m in members {
                congvu_db::staff::find(txn, &reach, None, m.person_id.into())
                    .await
                    .map_err(|_| {
                        Error::field("members", "not_found", "no such staff member in your units")
                    })?;
                if CouncilRole::parse(&m.role).is_none() {
                    return Err(Error::field(
                        "members",
                        "unknown_role",
                        "a member's role is chair or member",
                    ));
                }
            }
            check_documents(txn, case, detail.documents(), required, &l.citations).await?;
            return conflicted(txn, l.record.person, members).await;
        }
        StepDetail::HoldCouncil { convened_on, .. } => {
            particulars::check_convocation(*convened_on, on, l.limits, &l.calendar)
                .map_err(|e| refusal(e, &l.citations))?;
        }
        StepDetail::SkipToDecision {
            why,
            party_form,
            party_announced_on,
            ..
        } => {
            particulars::check_skip(
                skip_to_decision(why)?,
                party_form.is_some() && party_announced_on.is_some(),
            )
            .map_err(|e| match e {
                ParticularsError::PartyParticulars => Error::field(
                    "party_form",
                    "party_decision",
                    "a Party decision skip names the Party form and the day it was announced, and only it does",
                ),
                other => refusal(other, &l.citations),
            })?;
            if let Some(code) = party_form
                && congvu_core::discipline::PartyForm::parse(code).is_none()
            {
                return Err(Error::field(
                    "party_form",
                    "unknown_form",
                    "must be khien_trach, canh_cao, cach_chuc or khai_tru",
                ));
            }
        }
        _ => {}
    }
    check_documents(txn, case, detail.documents(), required, &l.citations).await?;
    Ok(false)
}

/// A refusal of congvu_core's step rules as the API's problem, with the article it applies.
pub(super) fn refusal(e: ParticularsError, citations: &CitationRule) -> Error {
    match e {
        ParticularsError::SelfCriticismRequired => Error::Refused {
            code: "case.self_criticism_required",
            detail: format!(
                "the person present at the review meeting reads a self-criticism ({})",
                citations.cite(Procedure::SelfCriticism)
            ),
        },
        ParticularsError::MemberListedTwice => Error::Refused {
            code: "case.council_invalid",
            detail: format!(
                "a council member is listed twice ({})",
                citations.cite(Procedure::Council)
            ),
        },
        ParticularsError::ConvocationLate {
            latest,
            working_days,
        } => Error::Refused {
            code: "case.convocation_late",
            detail: format!(
                "the convocation is sent at least {working_days} working days before the meeting: by {} ({})",
                latest.format("%d/%m/%Y"),
                citations.cite(Procedure::Convocation)
            ),
        },
        ParticularsError::DocumentRequired(kind) => Error::Refused {
            code: "case.document_required",
            detail: format!("this step needs a document of kind {}", kind.code()),
        },
        ParticularsError::PartyParticulars => Error::field(
            "party_form",
            "party_decision",
            "a Party decision skip names the Party form and the day it was announced, and only it does",
        ),
        ParticularsError::EffectiveTooEarly { earliest } => Error::field(
            "effective_on",
            "too_early",
            &format!(
                "the decision cannot take effect before {} ({})",
                earliest.format("%d/%m/%Y"),
                citations.cite(Procedure::EffectiveDate)
            ),
        ),
        ParticularsError::Calendar(e) => e.into(),
    }
}

/// The request's step in its stored form (`congvu_db`'s, versioned and private to storage).
impl From<StepDetail> for StepParticulars {
    fn from(d: StepDetail) -> Self {
        match d {
            StepDetail::HoldReview {
                self_criticism,
                absent,
                documents,
            } => Self::HoldReview {
                self_criticism,
                absent,
                documents,
            },
            StepDetail::SkipReview { why, documents } => Self::SkipReview { why, documents },
            StepDetail::FormCouncil { members, documents } => Self::FormCouncil {
                members: members
                    .into_iter()
                    .map(|m| CouncilSeat {
                        person_id: m.person_id,
                        role: m.role,
                    })
                    .collect(),
                documents,
            },
            StepDetail::HoldCouncil {
                convened_on,
                members_present,
                discipline_yes,
                discipline_no,
                form,
                documents,
            } => Self::HoldCouncil {
                convened_on,
                members_present,
                discipline_yes,
                discipline_no,
                form,
                documents,
            },
            StepDetail::Recommend { documents } => Self::Recommend { documents },
            StepDetail::SkipToDecision {
                why,
                party_form,
                party_announced_on,
                documents,
            } => Self::SkipToDecision {
                why,
                party_form,
                party_announced_on,
                documents,
            },
            StepDetail::ConcludeNoViolation { documents } => {
                Self::ConcludeNoViolation { documents }
            }
            StepDetail::Decide {
                form,
                number,
                effective_on,
            } => Self::Decide {
                form,
                number,
                effective_on,
            },
            StepDetail::Annul { ruling, ruling_on } => Self::Annul { ruling, ruling_on },
        }
    }
}

/// A stored step as the case view shows it.
impl From<StepParticulars> for StepDetail {
    fn from(p: StepParticulars) -> Self {
        match p {
            StepParticulars::HoldReview {
                self_criticism,
                absent,
                documents,
            } => Self::HoldReview {
                self_criticism,
                absent,
                documents,
            },
            StepParticulars::SkipReview { why, documents } => Self::SkipReview { why, documents },
            StepParticulars::FormCouncil { members, documents } => Self::FormCouncil {
                members: members
                    .into_iter()
                    .map(|m| CouncilMember {
                        person_id: m.person_id,
                        role: m.role,
                    })
                    .collect(),
                documents,
            },
            StepParticulars::HoldCouncil {
                convened_on,
                members_present,
                discipline_yes,
                discipline_no,
                form,
                documents,
            } => Self::HoldCouncil {
                convened_on,
                members_present,
                discipline_yes,
                discipline_no,
                form,
                documents,
            },
            StepParticulars::Recommend { documents } => Self::Recommend { documents },
            StepParticulars::SkipToDecision {
                why,
                party_form,
                party_announced_on,
                documents,
            } => Self::SkipToDecision {
                why,
                party_form,
                party_announced_on,
                documents,
            },
            StepParticulars::ConcludeNoViolation { documents } => {
                Self::ConcludeNoViolation { documents }
            }
            StepParticulars::Decide {
                form,
                number,
                effective_on,
            } => Self::Decide {
                form,
                number,
                effective_on,
            },
            StepParticulars::Annul { ruling, ruling_on } => Self::Annul { ruling, ruling_on },
        }
    }
}
