//! The body of `POST /cases/{id}/steps`: one procedural step, tagged by `kind`, as the OpenAPI
//! document describes it (a `oneOf` of seven shapes). Decisions and annulments have their own
//! endpoints and are not steps here (a body naming `decide` or `annul` is 400 `body.malformed`). `documents` may be left out when a step cites none. Codes
//! travel as strings and are checked by the use case (422 naming the field, as everywhere); the
//! small enums here only tell the document which codes exist.

use chrono::NaiveDate;
use congvu_app::service::cases::{CouncilMember, StepDetail};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A member of the discipline council (Nghị định 234/2026 Điều 14).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouncilMemberBody {
    pub person_id: Uuid,
    #[schema(value_type = CouncilRole)]
    pub role: String,
}

/// A council member's role.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum CouncilRole {
    Chair,
    Member,
}

/// Why the review meeting went ahead without the person (Điều 15).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum Absence {
    WrittenRequest,
    SecondConvocation,
}

/// Why the review meeting is skipped (Điều 13).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum SkipReviewWhy {
    FormerUnit,
    AlreadyReviewed,
}

/// Why the procedure goes straight to a decision (Điều 13).
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum SkipToDecisionWhy {
    ConclusionProposesForm,
    CourtConviction,
    PartyDecision,
}

/// A disciplinary form.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum FormCode {
    KhienTrach,
    CanhCao,
    HaBacLuong,
    GiangChuc,
    CachChuc,
    BaiNhiem,
    BuocThoiViec,
}

/// A Party discipline form.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "schema only: the codes a field takes")]
pub enum PartyFormCode {
    KhienTrach,
    CanhCao,
    CachChuc,
    KhaiTru,
}

/// One procedural step of a discipline case.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepBody {
    /// Step 1: the review meeting; its minutes among `documents`.
    HoldReview {
        /// The person read a self-criticism (required when present).
        self_criticism: bool,
        #[serde(default)]
        #[schema(value_type = Option<Absence>)]
        absent: Option<String>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// Step 1 skipped for a legal reason.
    SkipReview {
        #[schema(value_type = SkipReviewWhy)]
        why: String,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// Step 2a: the council, three members with one chair, none related to the person.
    FormCouncil {
        members: Vec<CouncilMemberBody>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// Step 2c: the council's meeting and its secret ballots; its minutes among `documents`.
    HoldCouncil {
        /// The day the convocation was sent.
        convened_on: NaiveDate,
        members_present: u8,
        discipline_yes: u8,
        discipline_no: u8,
        /// The form voted, after a majority for discipline.
        #[serde(default)]
        #[schema(value_type = Option<FormCode>)]
        form: Option<String>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// Step 3a: the recommendation to the competent authority.
    Recommend {
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// Straight to a decision; a Party decision names its form and the day it was announced.
    SkipToDecision {
        #[schema(value_type = SkipToDecisionWhy)]
        why: String,
        #[serde(default)]
        #[schema(value_type = Option<PartyFormCode>)]
        party_form: Option<String>,
        #[serde(default)]
        party_announced_on: Option<NaiveDate>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    /// The competent head concludes there was no violation.
    ConcludeNoViolation {
        #[serde(default)]
        documents: Vec<Uuid>,
    },
}

/// The use case's input for this body.
impl From<StepBody> for StepDetail {
    fn from(b: StepBody) -> Self {
        match b {
            StepBody::HoldReview {
                self_criticism,
                absent,
                documents,
            } => Self::HoldReview {
                self_criticism,
                absent,
                documents,
            },
            StepBody::SkipReview { why, documents } => Self::SkipReview { why, documents },
            StepBody::FormCouncil { members, documents } => Self::FormCouncil {
                members: members
                    .into_iter()
                    .map(|m| CouncilMember {
                        person_id: m.person_id,
                        role: m.role,
                    })
                    .collect(),
                documents,
            },
            StepBody::HoldCouncil {
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
            StepBody::Recommend { documents } => Self::Recommend { documents },
            StepBody::SkipToDecision {
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
            StepBody::ConcludeNoViolation { documents } => Self::ConcludeNoViolation { documents },
        }
    }
}

/// A recorded step's particulars as shown: the seven step kinds a body can name, and a decision
/// and an annulment (recorded through their own endpoints), tagged by `kind` like the body.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepDetailView {
    HoldReview {
        self_criticism: bool,
        #[schema(value_type = Option<Absence>)]
        absent: Option<String>,
        documents: Vec<Uuid>,
    },
    SkipReview {
        #[schema(value_type = SkipReviewWhy)]
        why: String,
        documents: Vec<Uuid>,
    },
    FormCouncil {
        members: Vec<CouncilMemberBody>,
        documents: Vec<Uuid>,
    },
    HoldCouncil {
        convened_on: NaiveDate,
        members_present: u8,
        discipline_yes: u8,
        discipline_no: u8,
        #[schema(value_type = Option<FormCode>)]
        form: Option<String>,
        documents: Vec<Uuid>,
    },
    Recommend {
        documents: Vec<Uuid>,
    },
    SkipToDecision {
        #[schema(value_type = SkipToDecisionWhy)]
        why: String,
        #[schema(value_type = Option<PartyFormCode>)]
        party_form: Option<String>,
        party_announced_on: Option<NaiveDate>,
        documents: Vec<Uuid>,
    },
    ConcludeNoViolation {
        documents: Vec<Uuid>,
    },
    /// The decision (`POST /cases/{id}/decision`).
    Decide {
        #[schema(value_type = FormCode)]
        form: String,
        number: String,
        effective_on: NaiveDate,
    },
    /// The annulment on a ruling (`POST /cases/{id}/annulment`).
    Annul {
        ruling: String,
        /// The day of the complaint decision or court ruling.
        ruling_on: NaiveDate,
    },
}

impl From<&StepDetail> for StepDetailView {
    fn from(d: &StepDetail) -> Self {
        let d = d.clone();
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
                    .map(|m| CouncilMemberBody {
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
