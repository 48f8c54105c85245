//! The rules a discipline step's particulars meet, apart from the order of the steps
//! ([`super::case::check_step`]): the self-criticism at the review meeting (234/2026 Art. 15), a
//! council's members listed once (Art. 14), the convocation's notice (Art. 16), the documents a
//! step needs, the Party-decision skip (Art. 2(6), Art. 18), the day a decision takes effect
//! (Art. 2(9)), the competent unit (Art. 12), the acts with no limitation period (Art. 5(3)) and
//! the kinds of document in a case file. Pure: the use cases fetch the facts and call these.

use chrono::NaiveDate;

use super::Form;
use super::case::{SkipToDecision, StepLimits, convocation_deadline};
use crate::calendar::WorkCalendar;
use crate::error::DomainError;
use crate::ids::{PersonId, UnitId};

/// The acts with no limitation period (234/2026 Art. 5(3), citing Law 129/2025 Art. 36) [V].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoLimitation {
    /// A Party member whose violation warrants expulsion (khai trừ).
    PartyExpulsion,
    /// Breaches of internal political protection (bảo vệ chính trị nội bộ).
    InternalPoliticalProtection,
    /// Acts harming national interests in defence, security or foreign affairs.
    NationalInterest,
    /// Using false or unlawful degrees, certificates or confirmations.
    FalseDegrees,
}

impl NoLimitation {
    pub const ALL: [Self; 4] = [
        Self::PartyExpulsion,
        Self::InternalPoliticalProtection,
        Self::NationalInterest,
        Self::FalseDegrees,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::PartyExpulsion => "party_expulsion",
            Self::InternalPoliticalProtection => "internal_political_protection",
            Self::NationalInterest => "national_interest",
            Self::FalseDegrees => "false_degrees",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.code() == code)
    }
}

/// The kinds of document in a case file: the minutes and self-criticism of the review meeting
/// (Art. 15), the report, the council's convocation and decision (Art. 16), the recommendation
/// (Art. 17), the decision (Art. 18), and anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Minutes,
    SelfCriticism,
    Report,
    Convocation,
    CouncilDecision,
    Recommendation,
    Decision,
    Other,
}

impl DocumentKind {
    pub const ALL: [Self; 8] = [
        Self::Minutes,
        Self::SelfCriticism,
        Self::Report,
        Self::Convocation,
        Self::CouncilDecision,
        Self::Recommendation,
        Self::Decision,
        Self::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Minutes => "minutes",
            Self::SelfCriticism => "self_criticism",
            Self::Report => "report",
            Self::Convocation => "convocation",
            Self::CouncilDecision => "council_decision",
            Self::Recommendation => "recommendation",
            Self::Decision => "decision",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A seat on the discipline council (234/2026 Art. 14): one chair, the others members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouncilRole {
    Chair,
    Member,
}

impl CouncilRole {
    pub const ALL: [Self; 2] = [Self::Chair, Self::Member];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::Member => "member",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Why the review meeting went ahead without the person (234/2026 Art. 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAbsence {
    /// Absent with a written request.
    WrittenRequest,
    /// Absent at the second convocation.
    SecondConvocation,
}

impl ReviewAbsence {
    pub const ALL: [Self; 2] = [Self::WrittenRequest, Self::SecondConvocation];

    pub const fn code(self) -> &'static str {
        match self {
            Self::WrittenRequest => "written_request",
            Self::SecondConvocation => "second_convocation",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// Why a step's particulars are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticularsError {
    /// The person present at the review meeting reads a self-criticism (Art. 15).
    SelfCriticismRequired,
    /// A council member is listed twice (Art. 14).
    MemberListedTwice,
    /// The convocation went out later than `latest` (`working_days` before the meeting, Art. 16).
    ConvocationLate {
        latest: NaiveDate,
        working_days: u32,
    },
    /// The step cites no document of this kind.
    DocumentRequired(DocumentKind),
    /// A Party-decision skip names the Party form and its announcement, and only it does.
    PartyParticulars,
    /// The decision would take effect before `earliest` (Art. 2(9)).
    EffectiveTooEarly { earliest: NaiveDate },
    /// The calendar does not cover the days the rule counts.
    Calendar(DomainError),
}

/// The review meeting (Art. 15): a person present reads a self-criticism; without them the
/// meeting goes ahead only for a reason the article names (the type says which).
pub fn check_review(
    self_criticism: bool,
    absent: Option<ReviewAbsence>,
) -> Result<(), ParticularsError> {
    if absent.is_none() && !self_criticism {
        return Err(ParticularsError::SelfCriticismRequired);
    }
    Ok(())
}

/// A council's members (Art. 14): each person once. (Their number, the chair and conflicts are
/// the procedure's, [`super::case::check_step`].)
pub fn check_council_members(members: &[PersonId]) -> Result<(), ParticularsError> {
    let mut sorted: Vec<PersonId> = members.to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).any(|w| w[0] == w[1]) {
        return Err(ParticularsError::MemberListedTwice);
    }
    Ok(())
}

/// The council's convocation (Art. 16): sent at least the limit's working days before the
/// meeting.
pub fn check_convocation(
    convened_on: NaiveDate,
    meeting: NaiveDate,
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<(), ParticularsError> {
    let latest =
        convocation_deadline(meeting, limits, calendar).map_err(ParticularsError::Calendar)?;
    if convened_on > latest {
        return Err(ParticularsError::ConvocationLate {
            latest,
            working_days: limits.convocation_before_meeting,
        });
    }
    Ok(())
}

/// The documents a step of this kind must cite: the minutes of the review meeting (Art. 15) and
/// of the council's meeting (Art. 16).
pub const fn documents_required(step: &str) -> &'static [DocumentKind] {
    match step.as_bytes() {
        b"hold_review" | b"hold_council" => &[DocumentKind::Minutes],
        _ => &[],
    }
}

/// Whether the kinds a step cites include every kind it needs.
pub fn check_documents(
    cited: &[DocumentKind],
    required: &[DocumentKind],
) -> Result<(), ParticularsError> {
    match required.iter().find(|k| !cited.contains(k)) {
        Some(missing) => Err(ParticularsError::DocumentRequired(*missing)),
        None => Ok(()),
    }
}

/// The skip straight to a decision: a Party decision (Art. 2(6), Art. 18) names the Party form
/// and the day it was announced; the other grounds name neither.
pub fn check_skip(why: SkipToDecision, party_named: bool) -> Result<(), ParticularsError> {
    if (why == SkipToDecision::PartyDecision) != party_named {
        return Err(ParticularsError::PartyParticulars);
    }
    Ok(())
}

/// The first day a decision may take effect (Art. 2(9)): its signing; with a Party decision about
/// the same act, the Party decision's announcement, except forced resignation, which counts from
/// the signing.
pub fn earliest_effective(
    form: Form,
    signed_on: NaiveDate,
    party_announced_on: Option<NaiveDate>,
) -> NaiveDate {
    match party_announced_on {
        Some(announced) if form != Form::BuocThoiViec => announced,
        _ => signed_on,
    }
}

/// Refuses a decision that takes effect before [`earliest_effective`].
pub fn check_effective_on(
    form: Form,
    signed_on: NaiveDate,
    party_announced_on: Option<NaiveDate>,
    effective_on: NaiveDate,
) -> Result<(), ParticularsError> {
    let earliest = earliest_effective(form, signed_on, party_announced_on);
    if effective_on < earliest {
        return Err(ParticularsError::EffectiveTooEarly { earliest });
    }
    Ok(())
}

/// The unit whose head decides (Art. 12): the unit using the person, or for a manager the unit
/// above it (the body that appoints them) when there is one.
pub fn competent_unit(unit: UnitId, parent: Option<UnitId>, manager: bool) -> UnitId {
    match (manager, parent) {
        (true, Some(parent)) => parent,
        _ => unit,
    }
}

#[cfg(test)]
mod tests;
