//! A case step's particulars as stored: a versioned JSON document private to this crate, apart
//! from the API's request body (issue 19). Reading is tolerant: a field added later defaults, a
//! field dropped later is ignored, and the rows written before versioning (no `v`) read as
//! version 1. Nothing here checks a rule: stored history is applied, never re-judged.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{DbError, stored};

/// The document's name in errors.
const WHAT: &str = "case step";

/// A seat on a discipline council, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilSeat {
    pub person_id: Uuid,
    /// `chair` or `member`, as recorded.
    pub role: String,
}

/// What a recorded step holds beside its kind and date. Codes (forms, reasons) are kept as they
/// were recorded; the use cases read them into domain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepParticulars {
    HoldReview {
        self_criticism: bool,
        absent: Option<String>,
        documents: Vec<Uuid>,
    },
    SkipReview {
        why: String,
        documents: Vec<Uuid>,
    },
    FormCouncil {
        members: Vec<CouncilSeat>,
        documents: Vec<Uuid>,
    },
    HoldCouncil {
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
        ruling_on: NaiveDate,
    },
}

/// The version this crate writes.
const CURRENT: u64 = 1;

/// Version 1 of the stored document: `{"v": 1, "kind": "...", ...}`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum V1 {
    HoldReview {
        #[serde(default)]
        self_criticism: bool,
        #[serde(default)]
        absent: Option<String>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    SkipReview {
        why: String,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    FormCouncil {
        #[serde(default)]
        members: Vec<SeatV1>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    HoldCouncil {
        convened_on: NaiveDate,
        members_present: u8,
        discipline_yes: u8,
        discipline_no: u8,
        #[serde(default)]
        form: Option<String>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    Recommend {
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    SkipToDecision {
        why: String,
        #[serde(default)]
        party_form: Option<String>,
        #[serde(default)]
        party_announced_on: Option<NaiveDate>,
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    ConcludeNoViolation {
        #[serde(default)]
        documents: Vec<Uuid>,
    },
    Decide {
        form: String,
        #[serde(default)]
        number: String,
        effective_on: NaiveDate,
    },
    Annul {
        #[serde(default)]
        ruling: String,
        ruling_on: NaiveDate,
    },
}

#[derive(Serialize, Deserialize)]
struct SeatV1 {
    person_id: Uuid,
    role: String,
}

/// The stored document of `step`, in the current version.
pub(crate) fn encode(step: &StepParticulars) -> Result<String, DbError> {
    stored::encode(WHAT, CURRENT, &V1::from(step.clone()))
}

/// Reads a stored document of any version this crate knows.
pub(crate) fn decode(json: &str) -> Result<StepParticulars, DbError> {
    match stored::open(WHAT, json, 1)? {
        (1, body) => stored::read::<V1>(WHAT, body).map(Into::into),
        (other, _) => Err(stored::unknown(WHAT, other)),
    }
}

impl From<StepParticulars> for V1 {
    fn from(s: StepParticulars) -> Self {
        use StepParticulars as P;
        match s {
            P::HoldReview {
                self_criticism,
                absent,
                documents,
            } => Self::HoldReview {
                self_criticism,
                absent,
                documents,
            },
            P::SkipReview { why, documents } => Self::SkipReview { why, documents },
            P::FormCouncil { members, documents } => Self::FormCouncil {
                members: members
                    .into_iter()
                    .map(|m| SeatV1 {
                        person_id: m.person_id,
                        role: m.role,
                    })
                    .collect(),
                documents,
            },
            P::HoldCouncil {
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
            P::Recommend { documents } => Self::Recommend { documents },
            P::SkipToDecision {
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
            P::ConcludeNoViolation { documents } => Self::ConcludeNoViolation { documents },
            P::Decide {
                form,
                number,
                effective_on,
            } => Self::Decide {
                form,
                number,
                effective_on,
            },
            P::Annul { ruling, ruling_on } => Self::Annul { ruling, ruling_on },
        }
    }
}

impl From<V1> for StepParticulars {
    fn from(s: V1) -> Self {
        match s {
            V1::HoldReview {
                self_criticism,
                absent,
                documents,
            } => Self::HoldReview {
                self_criticism,
                absent,
                documents,
            },
            V1::SkipReview { why, documents } => Self::SkipReview { why, documents },
            V1::FormCouncil { members, documents } => Self::FormCouncil {
                members: members
                    .into_iter()
                    .map(|m| CouncilSeat {
                        person_id: m.person_id,
                        role: m.role,
                    })
                    .collect(),
                documents,
            },
            V1::HoldCouncil {
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
            V1::Recommend { documents } => Self::Recommend { documents },
            V1::SkipToDecision {
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
            V1::ConcludeNoViolation { documents } => Self::ConcludeNoViolation { documents },
            V1::Decide {
                form,
                number,
                effective_on,
            } => Self::Decide {
                form,
                number,
                effective_on,
            },
            V1::Annul { ruling, ruling_on } => Self::Annul { ruling, ruling_on },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed step must stop the test")]

    use super::*;

    fn day(d: &str) -> NaiveDate {
        d.parse().unwrap()
    }

    #[test]
    fn every_kind_round_trips_and_is_written_with_its_version() {
        let doc = Uuid::now_v7();
        let all = [
            StepParticulars::HoldReview {
                self_criticism: true,
                absent: None,
                documents: vec![doc],
            },
            StepParticulars::SkipReview {
                why: "former_unit".into(),
                documents: vec![],
            },
            StepParticulars::FormCouncil {
                members: vec![CouncilSeat {
                    person_id: doc,
                    role: "chair".into(),
                }],
                documents: vec![],
            },
            StepParticulars::HoldCouncil {
                convened_on: day("2026-02-01"),
                members_present: 3,
                discipline_yes: 2,
                discipline_no: 1,
                form: Some("canh_cao".into()),
                documents: vec![doc],
            },
            StepParticulars::Recommend { documents: vec![] },
            StepParticulars::SkipToDecision {
                why: "party_decision".into(),
                party_form: Some("canh_cao".into()),
                party_announced_on: Some(day("2026-02-02")),
                documents: vec![],
            },
            StepParticulars::ConcludeNoViolation { documents: vec![] },
            StepParticulars::Decide {
                form: "khien_trach".into(),
                number: "12/QĐ-UBND".into(),
                effective_on: day("2026-03-01"),
            },
            StepParticulars::Annul {
                ruling: "Bản án 01/2026".into(),
                ruling_on: day("2026-04-01"),
            },
        ];
        for step in all {
            let json = encode(&step).unwrap();
            assert!(json.contains(r#""v":1"#), "{json}");
            assert_eq!(decode(&json).unwrap(), step);
        }
    }

    /// Rows written before the format was versioned carry no `v` and read as version 1; a field
    /// the format no longer has is ignored, one it gained later defaults.
    #[test]
    fn unversioned_rows_and_changed_fields_still_read() {
        let legacy =
            r#"{"kind":"hold_review","self_criticism":true,"absent":null,"quorum_rule":"2019"}"#;
        assert_eq!(
            decode(legacy).unwrap(),
            StepParticulars::HoldReview {
                self_criticism: true,
                absent: None,
                documents: vec![],
            }
        );
        assert!(decode(r#"{"v":7,"kind":"recommend"}"#).is_err());
        assert!(decode(r#"{"kind":"no_such_step"}"#).is_err());
        assert!(decode("[1]").is_err());
    }
}
