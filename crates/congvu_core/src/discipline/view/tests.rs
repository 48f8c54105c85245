use chrono::NaiveDate;

use super::*;
use crate::discipline::Consequence;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn violation(
    counted_from: NaiveDate,
    discovered_on: NaiveDate,
    consequence: Consequence,
) -> CaseViolation {
    CaseViolation {
        counted_from,
        discovered_on,
        facts: ViolationFacts {
            consequence,
            repeat_of: None,
            mitigating: false,
            aggravating: false,
        },
        no_limitation: false,
    }
}

fn case(violations: Vec<CaseViolation>, stage: Stage) -> CaseFacts {
    CaseFacts {
        regime: "nd234_2026".into(),
        category: Category::VienChuc,
        leader: false,
        violations,
        later_violations: vec![],
        in_effect: None,
        extended: false,
        pauses: vec![],
        stage,
        party: None,
    }
}

fn show(facts: &CaseFacts, on: NaiveDate) -> CaseView {
    view(
        &DisciplineRules::national().unwrap(),
        facts,
        &WorkCalendar::national().unwrap(),
        StepLimits::ND_234_2026,
        on,
    )
    .unwrap()
}

/// Decree 234/2026 Art. 5: a less-serious act gets the 60-month period, a serious one 120; the
/// handling limit runs from the first discovery.
#[test]
fn each_violation_gets_the_period_of_the_form_it_merits_nd_234_2026_art_5() {
    let facts = case(
        vec![
            violation(d(2026, 7, 10), d(2026, 8, 1), Consequence::LessSerious),
            violation(d(2026, 7, 20), d(2026, 8, 5), Consequence::Serious),
        ],
        Stage::Reviewed { on: d(2026, 9, 8) },
    );
    let v = show(&facts, d(2026, 9, 9));
    assert!(
        matches!(v.limitations[0], ClockState::Running { last_day, .. } if last_day == d(2031, 7, 10))
    );
    assert!(
        matches!(v.limitations[1], ClockState::Running { last_day, .. } if last_day == d(2036, 7, 20))
    );
    assert!(
        matches!(v.handling, ClockState::Running { last_day, .. } if last_day == d(2026, 10, 30))
    );
    assert_eq!(v.suggestion.unwrap().form, Form::CanhCao);
    assert_eq!(
        v.allowed_forms,
        [Form::KhienTrach, Form::CanhCao, Form::BuocThoiViec]
    );
    assert_eq!(v.next_step, Some(("report_and_minutes", d(2026, 9, 11))));
    assert!(!v.accountability);
}

/// Decree 234/2026 Art. 5(5): a passed handling limit flags accountability but does not forbid a
/// decision while the limitation runs; a time-barred case cannot be decided.
#[test]
fn a_late_case_is_flagged_but_still_decidable_a_time_barred_one_is_not_nd_234_2026_art_5_5() {
    let facts = case(
        vec![violation(
            d(2026, 7, 10),
            d(2026, 8, 1),
            Consequence::LessSerious,
        )],
        Stage::Recommended {
            on: d(2026, 12, 1),
            form: None,
            conviction: false,
        },
    );
    let rules = DisciplineRules::national().unwrap();
    assert!(show(&facts, d(2026, 12, 2)).accountability);
    assert_eq!(
        may_decide(&rules, &facts, Form::KhienTrach, d(2026, 12, 2)),
        Ok(())
    );
    assert!(matches!(
        may_decide(&rules, &facts, Form::CachChuc, d(2026, 12, 2)),
        Err(DecisionRefusal::Form(FormRefusal::NotAllowed { .. }))
    ));
    assert_eq!(
        may_decide(&rules, &facts, Form::KhienTrach, d(2031, 7, 11)),
        Err(DecisionRefusal::TimeBarred)
    );
}
