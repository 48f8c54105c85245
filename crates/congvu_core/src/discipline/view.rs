//! What a discipline case shows at a glance on a day, computed from its dated facts (nothing
//! stored): the limitation clock of each violation and of the case, the handling clock, the forms
//! allowed, the suggested form with its reasons, the next step's deadline, and whether a decision
//! with a given form may be taken now.

use chrono::NaiveDate;

use super::case::{Stage, StepLimits, next_deadline};
use super::{
    ClockState, DisciplineRules, Form, FormRefusal, Ladder, PartyDecision, Pause, Suggestion,
    ViolationFacts, handling_clock, limitation_clock, party_equivalent, pushed_end, state, suggest,
};
use crate::calendar::WorkCalendar;
use crate::error::DomainError;
use crate::staff::Category;
use crate::text::Bilingual;

/// One violation of the case, as the clocks and the form rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseViolation {
    /// The day the limitation counts from: the end of the act, or the conclusion when unknown.
    pub counted_from: NaiveDate,
    pub discovered_on: NaiveDate,
    pub facts: ViolationFacts,
    /// One of the acts with no limitation period (234/2026 Art. 5(3)).
    pub no_limitation: bool,
}

/// Everything the view is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub regime: String,
    pub category: Category,
    pub leader: bool,
    pub violations: Vec<CaseViolation>,
    /// Later violations by the same person (they restart the limitation, Art. 5(2)).
    pub later_violations: Vec<NaiveDate>,
    /// The form of a decision still in effect, if any (escalation, Art. 2(3)).
    pub in_effect: Option<Form>,
    /// Whether the handling limit was extended by decision (150 days).
    pub extended: bool,
    pub pauses: Vec<Pause>,
    pub stage: Stage,
    /// A Party decision about the same acts (Art. 2(6)).
    pub party: Option<PartyDecision>,
}

/// The case on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub allowed_forms: Vec<Form>,
    pub suggestion: Option<Suggestion>,
    /// One clock per violation, in the order given.
    pub limitations: Vec<ClockState>,
    pub handling: ClockState,
    /// The handling limit has passed: the authority answers for the delay (Art. 5(5)).
    pub accountability: bool,
    pub next_step: Option<(&'static str, NaiveDate)>,
    /// The 30 days after a Party decision's announcement, stopped by the same pauses.
    pub party_deadline: Option<ClockState>,
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// The form is not open to this person under the case's regime.
    Form(FormRefusal),
    /// The limitation period of every violation has passed.
    TimeBarred,
}

/// The person's ladder on `on`, without the forms abolished by then.
fn ladder(
    rules: &DisciplineRules,
    facts: &CaseFacts,
    on: NaiveDate,
) -> Result<Ladder, DomainError> {
    rules
        .ladder_on(&facts.regime, facts.category, facts.leader, on)
        .ok_or_else(|| {
            DomainError::invalid(
                "regime",
                "no_ladder",
                "no disciplinary forms are defined for this person under the case's regime",
            )
        })
}

/// The months of limitation a violation has, by the form it merits alone.
fn limitation_months(
    rules: &DisciplineRules,
    facts: &CaseFacts,
    ladder: &Ladder,
    v: &CaseViolation,
) -> Option<u32> {
    if v.no_limitation {
        return None;
    }
    let rule = rules.limitation(&facts.regime)?;
    let merits = suggest(ladder, std::slice::from_ref(&v.facts), None).map(|s| s.form);
    Some(if merits == Some(Form::KhienTrach) {
        rule.reprimand_months
    } else {
        rule.other_months
    })
}

/// Computes the view of a case on `on`.
pub fn view(
    rules: &DisciplineRules,
    facts: &CaseFacts,
    calendar: &WorkCalendar,
    limits: StepLimits,
    on: NaiveDate,
) -> Result<CaseView, DomainError> {
    let ladder = &ladder(rules, facts, on)?;
    let limitations = facts
        .violations
        .iter()
        .map(|v| {
            limitation_clock(
                v.counted_from,
                &facts.later_violations,
                limitation_months(rules, facts, ladder, v),
                &facts.pauses,
                on,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let handling_rule = rules.handling(&facts.regime).ok_or_else(|| {
        DomainError::invalid(
            "regime",
            "no_handling_rule",
            "no handling limit is defined for the case's regime",
        )
    })?;
    let discovered = facts
        .violations
        .iter()
        .map(|v| v.discovered_on)
        .min()
        .unwrap_or(on);
    let handling = handling_clock(handling_rule, discovered, facts.extended, &facts.pauses, on)?;
    // A time-barred violation is no longer disciplined: it does not weigh on the form.
    let violations: Vec<ViolationFacts> = facts
        .violations
        .iter()
        .zip(&limitations)
        .filter(|(_, clock)| !matches!(clock, ClockState::Breached { .. }))
        .map(|(v, _)| v.facts)
        .collect();
    let party_deadline = match facts.party {
        Some(p) if !facts.stage.is_final() => {
            let nominal = p.announced_on + chrono::Duration::days(i64::from(rules.party_days));
            let end = pushed_end(p.announced_on, nominal, &facts.pauses)
                .map_err(|()| DomainError::CalendarNotCovered(p.announced_on))?;
            Some(state(end, &facts.pauses, on))
        }
        _ => None,
    };
    Ok(CaseView {
        allowed_forms: ladder.forms.clone(),
        suggestion: suggestion(rules, ladder, facts, &violations),
        party_deadline,
        limitations,
        accountability: matches!(handling, ClockState::Breached { .. }) && !facts.stage.is_final(),
        handling,
        next_step: next_deadline(&facts.stage, limits, calendar)?,
    })
}

/// The suggested form: from the violations (Art. 8–11, 2(2), 2(3)), or, when a Party decision
/// exists, the administrative form commensurate with it (Art. 2(6)).
fn suggestion(
    rules: &DisciplineRules,
    ladder: &Ladder,
    facts: &CaseFacts,
    violations: &[ViolationFacts],
) -> Option<Suggestion> {
    let from_acts = suggest(ladder, violations, facts.in_effect);
    if matches!(
        facts.stage,
        Stage::Recommended {
            conviction: true,
            ..
        }
    ) {
        let form = if ladder.rank(Form::BuocThoiViec).is_some() {
            Form::BuocThoiViec
        } else {
            *ladder.forms.last()?
        };
        let mut reasons = from_acts.map(|s| s.reasons).unwrap_or_default();
        reasons.push((
            Bilingual::new(
                "Bị phạt tù không được hưởng án treo hoặc bị kết án về tội tham nhũng: buộc thôi việc",
                "a prison sentence without suspension or a corruption conviction: forced resignation",
            ),
            crate::legal::LegalBasis {
                document: "Nghị định 234/2026/NĐ-CP".into(),
                article: Some("Điều 7 khoản 3; Điều 18".into()),
                confidence: crate::legal::Confidence::Verified,
            },
        ));
        return Some(Suggestion { form, reasons });
    }
    let Some(party) = facts.party else {
        return from_acts;
    };
    let (form, why) = party_equivalent(ladder, party.form)?;
    let mut reasons = from_acts.map(|s| s.reasons).unwrap_or_default();
    reasons.push((
        Bilingual::new(
            format!("Đã có quyết định kỷ luật của Đảng. {}", why.vi),
            format!("a Party decision exists: {}", why.en),
        ),
        rules.party_basis.clone(),
    ));
    Some(Suggestion { form, reasons })
}

/// Whether a decision with `form` may be taken on `on`: the form must be open to the person
/// and not abolished by then (the refusal names the rule), and at least one violation must still be within its limitation
/// period. A passed handling limit does not forbid it (Art. 5(5)).
pub fn may_decide(
    rules: &DisciplineRules,
    facts: &CaseFacts,
    form: Form,
    on: NaiveDate,
) -> Result<(), DecisionRefusal> {
    rules
        .check_form_on(&facts.regime, facts.category, facts.leader, form, on)
        .map_err(DecisionRefusal::Form)?;
    let ladder = &rules
        .ladder_on(&facts.regime, facts.category, facts.leader, on)
        .ok_or(DecisionRefusal::Form(FormRefusal::NoLadder))?;
    let open = facts.violations.iter().any(|v| {
        let months = limitation_months(rules, facts, ladder, v);
        !matches!(
            limitation_clock(
                v.counted_from,
                &facts.later_violations,
                months,
                &facts.pauses,
                on
            ),
            Ok(ClockState::Breached { .. }) | Err(_)
        )
    });
    if open {
        Ok(())
    } else {
        Err(DecisionRefusal::TimeBarred)
    }
}

#[cfg(test)]
mod tests;
