//! The procedure of a discipline case as a state machine (legal brief §3.6): review meeting,
//! council, recommendation, decision — with the legal skip edges — and the step deadlines in
//! working days. Transitions are pure: they take the case and a step, and return the next case or
//! the reason the step is not allowed now.

use chrono::NaiveDate;

use super::Form;
use crate::calendar::WorkCalendar;
use crate::error::DomainError;

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Violations gathered, nothing held yet.
    Opened,
    /// Step 1 held; its report and minutes are due within 3 working days.
    Reviewed { on: NaiveDate },
    /// Step 1 skipped for a legal reason; the council comes next.
    ReviewSkipped { on: NaiveDate, why: SkipReview },
    /// Step 2a: the council is formed.
    CouncilFormed { on: NaiveDate },
    /// Step 2c: the council met and voted.
    CouncilMet {
        on: NaiveDate,
        discipline: bool,
        form: Option<Form>,
    },
    /// Step 3a: the recommendation reached the competent authority (or, after a skip, the
    /// conclusion that replaces it; `conviction` when it is a court judgment, which has its own
    /// decision deadline).
    Recommended {
        on: NaiveDate,
        form: Option<Form>,
        conviction: bool,
    },
    /// Step 3b: decided with a form.
    Decided { on: NaiveDate, form: Form },
    /// Step 3b: concluded that there was no violation.
    NoViolation { on: NaiveDate },
    /// The decision was annulled after a complaint or ruling.
    Annulled { on: NaiveDate },
}

/// Why the procedure may skip steps (234/2026 Art. 13; brief §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReview {
    /// The violation was committed at a former unit and found after transfer.
    FormerUnit,
    /// A competent authority already decided, or a review was held under other law and accepted.
    AlreadyReviewed,
}

/// Why the procedure may go straight to a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipToDecision {
    /// A competent body's conclusion already proposes a form.
    ConclusionProposesForm,
    /// A prison sentence without suspension, or a corruption conviction.
    CourtConviction,
    /// A Party discipline decision exists.
    PartyDecision,
}

/// The two secret ballots of the council, stored as counts only (no names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ballots {
    pub members: u8,
    pub discipline_yes: u8,
    pub discipline_no: u8,
    /// The form chosen by the second ballot, when the first said yes.
    pub form: Option<Form>,
}

/// A step of the procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    HoldReview {
        on: NaiveDate,
    },
    SkipReview {
        on: NaiveDate,
        why: SkipReview,
    },
    FormCouncil {
        on: NaiveDate,
        members: u8,
        has_chair: bool,
        conflicted: bool,
    },
    HoldCouncil {
        on: NaiveDate,
        ballots: Ballots,
    },
    Recommend {
        on: NaiveDate,
    },
    SkipToDecision {
        on: NaiveDate,
        why: SkipToDecision,
    },
    Decide {
        on: NaiveDate,
        form: Form,
    },
    ConcludeNoViolation {
        on: NaiveDate,
    },
    Annul {
        on: NaiveDate,
    },
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// Not a step that follows the current stage.
    OutOfOrder {
        stage: &'static str,
        step: &'static str,
    },
    /// The council needs three members including a chair, none conflicted (Art. 2(11), Art. 14).
    Council(&'static str),
    /// The ballots do not add up, or a form was chosen without a majority for discipline.
    Ballots(&'static str),
    /// A step dated before the one it follows.
    Backdated,
}

impl Stage {
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Reviewed { .. } => "reviewed",
            Self::ReviewSkipped { .. } => "review_skipped",
            Self::CouncilFormed { .. } => "council_formed",
            Self::CouncilMet { .. } => "council_met",
            Self::Recommended { .. } => "recommended",
            Self::Decided { .. } => "decided",
            Self::NoViolation { .. } => "no_violation",
            Self::Annulled { .. } => "annulled",
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::Opened => None,
            Self::Reviewed { on }
            | Self::CouncilFormed { on }
            | Self::Decided { on, .. }
            | Self::NoViolation { on }
            | Self::Annulled { on } => Some(*on),
            Self::CouncilMet { on, .. }
            | Self::Recommended { on, .. }
            | Self::ReviewSkipped { on, .. } => Some(*on),
        }
    }

    /// Whether the case is over (decided, concluded or annulled).
    pub const fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Decided { .. } | Self::NoViolation { .. } | Self::Annulled { .. }
        )
    }
}

impl Step {
    const fn code(&self) -> &'static str {
        match self {
            Self::HoldReview { .. } => "hold_review",
            Self::SkipReview { .. } => "skip_review",
            Self::FormCouncil { .. } => "form_council",
            Self::HoldCouncil { .. } => "hold_council",
            Self::Recommend { .. } => "recommend",
            Self::SkipToDecision { .. } => "skip_to_decision",
            Self::Decide { .. } => "decide",
            Self::ConcludeNoViolation { .. } => "conclude_no_violation",
            Self::Annul { .. } => "annul",
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::HoldReview { on }
            | Self::SkipReview { on, .. }
            | Self::FormCouncil { on, .. }
            | Self::HoldCouncil { on, .. }
            | Self::Recommend { on }
            | Self::Decide { on, .. }
            | Self::ConcludeNoViolation { on }
            | Self::Annul { on }
            | Self::SkipToDecision { on, .. } => Some(*on),
        }
    }
}

/// The stage after `step`, or why the step is not allowed now: the step is checked against the
/// procedure's rules ([`check_step`]), then applied ([`apply`]).
pub fn advance(stage: &Stage, step: &Step) -> Result<Stage, StepError> {
    check_step(stage, step)?;
    Ok(apply(stage, step))
}

/// The stage a recorded step leads to, without judging it. Replaying a case's stored history
/// applies what was recorded under the rules of its day and never re-checks it against today's
/// (issue 19): a council formed when the rules allowed it stays formed if the rules change.
pub fn apply(stage: &Stage, step: &Step) -> Stage {
    match *step {
        Step::HoldReview { on } => Stage::Reviewed { on },
        Step::SkipReview { on, why } => Stage::ReviewSkipped { on, why },
        Step::FormCouncil { on, .. } => Stage::CouncilFormed { on },
        Step::HoldCouncil { on, ballots } => Stage::CouncilMet {
            on,
            discipline: ballots.discipline_yes > ballots.discipline_no,
            form: ballots.form,
        },
        Step::Recommend { on } => Stage::Recommended {
            on,
            form: match stage {
                Stage::CouncilMet { form, .. } => *form,
                _ => None,
            },
            conviction: false,
        },
        Step::SkipToDecision { on, why } => Stage::Recommended {
            on,
            form: None,
            conviction: why == SkipToDecision::CourtConviction,
        },
        Step::Decide { on, form } => Stage::Decided { on, form },
        Step::ConcludeNoViolation { on } => Stage::NoViolation { on },
        Step::Annul { on } => Stage::Annulled { on },
    }
}

/// Whether `step` may follow `stage` under today's procedure (234/2026 Art. 13–18): the order of
/// the steps, the council's make-up (Art. 2(11), Art. 14), its ballots (Art. 16), and dates that
/// do not go back.
pub fn check_step(stage: &Stage, step: &Step) -> Result<(), StepError> {
    if let (Some(before), Some(after)) = (stage.date(), step.date())
        && after < before
    {
        return Err(StepError::Backdated);
    }
    let out_of_order = || StepError::OutOfOrder {
        stage: stage.code(),
        step: step.code(),
    };
    match (stage, step) {
        (Stage::Opened, Step::HoldReview { .. } | Step::SkipReview { .. }) => Ok(()),
        (
            Stage::Reviewed { .. } | Stage::ReviewSkipped { .. },
            Step::FormCouncil {
                members,
                has_chair,
                conflicted,
                ..
            },
        ) => {
            if *members != 3 {
                return Err(StepError::Council("a council has exactly three members"));
            }
            if !has_chair {
                return Err(StepError::Council("a council has a chair"));
            }
            if *conflicted {
                return Err(StepError::Council(
                    "a relative of the person, or anyone with an interest in the violation, may not sit on the council",
                ));
            }
            Ok(())
        }
        (Stage::CouncilFormed { .. }, Step::HoldCouncil { ballots, .. }) => {
            if ballots.members < 3 {
                return Err(StepError::Ballots(
                    "the quorum is three members including the chair",
                ));
            }
            if u16::from(ballots.discipline_yes) + u16::from(ballots.discipline_no)
                != u16::from(ballots.members)
            {
                return Err(StepError::Ballots("every member present casts one ballot"));
            }
            let discipline = ballots.discipline_yes > ballots.discipline_no;
            if !discipline && ballots.form.is_some() {
                return Err(StepError::Ballots(
                    "the form is voted only after a majority for discipline",
                ));
            }
            if discipline && ballots.form.is_none() {
                return Err(StepError::Ballots(
                    "after a majority for discipline the council votes on the form",
                ));
            }
            Ok(())
        }
        (Stage::CouncilMet { .. }, Step::Recommend { .. })
        | (
            Stage::Opened | Stage::Reviewed { .. } | Stage::ReviewSkipped { .. },
            Step::SkipToDecision { .. },
        )
        | (Stage::Recommended { .. }, Step::Decide { .. } | Step::ConcludeNoViolation { .. })
        | (Stage::Decided { .. }, Step::Annul { .. }) => Ok(()),
        _ => Err(out_of_order()),
    }
}

/// Working-day limits of the steps (234/2026 Art. 13–18; brief §3.6). The figures of 172/2025 were
/// not read: they are the same constants only until a regime's own data says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepLimits {
    pub report_after_review: u32,
    pub council_after_report: u32,
    pub convocation_before_meeting: u32,
    pub recommendation_after_meeting: u32,
    pub decision_after_recommendation: u32,
    /// Forced resignation after a final court judgment (step 3c).
    pub decision_after_conviction: u32,
    /// Public announcement after a decision is annulled as wrongful (Art. 22(2)).
    pub announcement_after_annulment: u32,
}

impl StepLimits {
    /// Decree 234/2026: 3, 5, 5, 5 and 5 working days; 15 after a conviction; announcement of a
    /// wrongful decision within 10. The shipped data (`data/discipline.toml`) holds the same
    /// figures per regime; this constant serves tests.
    pub const ND_234_2026: Self = Self {
        report_after_review: 3,
        council_after_report: 5,
        convocation_before_meeting: 5,
        recommendation_after_meeting: 5,
        decision_after_recommendation: 5,
        decision_after_conviction: 15,
        announcement_after_annulment: 10,
    };
}

/// The next step's deadline on the unit's calendar, if the stage has one.
pub fn next_deadline(
    stage: &Stage,
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<Option<(&'static str, NaiveDate)>, DomainError> {
    let due = |what, from: NaiveDate, days| {
        calendar
            .add_working_days(from, days)
            .map(|d| Some((what, d)))
    };
    match stage {
        Stage::Reviewed { on } => due("report_and_minutes", *on, limits.report_after_review),
        Stage::ReviewSkipped { on, .. } => due("council", *on, limits.council_after_report),
        Stage::CouncilMet { on, .. } => {
            due("recommendation", *on, limits.recommendation_after_meeting)
        }
        Stage::Recommended {
            on,
            conviction: true,
            ..
        } => due("decision", *on, limits.decision_after_conviction),
        Stage::Recommended { on, .. } => due("decision", *on, limits.decision_after_recommendation),
        Stage::Annulled { on } => due("announcement", *on, limits.announcement_after_annulment),
        _ => Ok(None),
    }
}

/// The deadline of the step that leaves `stage` (for judging whether a recorded step was late).
/// After the review meeting that is the council: the report is due within 3 working days and the
/// council within 5 after receiving it, so at the latest 8 working days after the meeting.
pub fn step_due(
    stage: &Stage,
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<Option<NaiveDate>, DomainError> {
    match stage {
        Stage::Reviewed { on } => calendar
            .add_working_days(
                *on,
                limits.report_after_review + limits.council_after_report,
            )
            .map(Some),
        other => Ok(next_deadline(other, limits, calendar)?.map(|(_, d)| d)),
    }
}

/// The latest day a convocation may be sent for a council meeting on `meeting` (at least
/// `convocation_before_meeting` working days before).
pub fn convocation_deadline(
    meeting: NaiveDate,
    limits: StepLimits,
    calendar: &WorkCalendar,
) -> Result<NaiveDate, DomainError> {
    let mut day = meeting;
    let mut left = limits.convocation_before_meeting;
    while left > 0 {
        day = day.pred_opt().ok_or(DomainError::CalendarNotCovered(day))?;
        if calendar.is_working_day(day)? {
            left -= 1;
        }
    }
    Ok(day)
}

#[cfg(test)]
mod tests;
