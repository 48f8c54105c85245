//! Worked cases of year-end classification, quotas, task scoring and emulation titles, each named
//! after the article it encodes (legal brief §4, §5).

use chrono::NaiveDate;
use uuid::Uuid;

use super::quota::{Breach, Proposal, check_group, check_units};
use super::tasks::{Product, task_score};
use super::*;
use crate::emulation::{
    Blocker, CollectiveYear, Initiative, InitiativeScope, PersonHistory, TitleKey, award_amount,
};
use crate::ids::{PersonId, UnitId};

fn rules() -> AssessmentRules {
    AssessmentRules::national().unwrap_or_else(|e| panic!("{e}"))
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("date"))
}

fn scheme<'a>(r: &'a AssessmentRules, key: &str) -> &'a Scheme {
    r.scheme(key).unwrap_or_else(|| panic!("scheme {key}"))
}

fn score(general: u32, tasks: u32) -> Score {
    Score {
        general: Points(general),
        tasks: Points(tasks),
    }
}

fn year(total_points: u32) -> PersonYear<'static> {
    // Split a whole-point total between 30 general and the rest tasks.
    let general = total_points.min(30);
    PersonYear {
        year: 2026,
        score: Some(score(general * 100, (total_points - general) * 100)),
        months_worked: 12,
        ..PersonYear::default()
    }
}

fn level_of(r: &AssessmentRules, key: &str, p: &PersonYear<'_>) -> Outcome {
    r.classify(scheme(r, key), p).outcome
}

fn codes(c: &Classification) -> Vec<&'static str> {
    c.reasons.iter().map(|r| r.code).collect()
}

// ---- Thresholds (233/2026 Art. 12; 335/2025) ----

#[test]
fn nd233_2026_art12_ninety_points_is_htxs() {
    let r = rules();
    assert_eq!(
        level_of(&r, "nd233_2026", &year(90)),
        Outcome::Rated(Level::Htxs)
    );
}

#[test]
fn nd233_2026_art12_eighty_nine_and_a_half_is_htt() {
    let r = rules();
    let p = PersonYear {
        score: Some(score(3000, 5950)),
        ..year(0)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
}

#[test]
fn nd233_2026_art12_seventy_is_htt_and_sixty_nine_is_ht() {
    let r = rules();
    assert_eq!(
        level_of(&r, "nd233_2026", &year(70)),
        Outcome::Rated(Level::Htt)
    );
    assert_eq!(
        level_of(&r, "nd233_2026", &year(69)),
        Outcome::Rated(Level::Ht)
    );
}

#[test]
fn nd233_2026_art12_fifty_is_ht_and_below_is_kht() {
    let r = rules();
    assert_eq!(
        level_of(&r, "nd233_2026", &year(50)),
        Outcome::Rated(Level::Ht)
    );
    assert_eq!(
        level_of(&r, "nd233_2026", &year(49)),
        Outcome::Rated(Level::Kht)
    );
}

#[test]
fn nd335_2025_civil_servants_share_the_thresholds() {
    let r = rules();
    for (points, level) in [
        (95, Level::Htxs),
        (75, Level::Htt),
        (55, Level::Ht),
        (30, Level::Kht),
    ] {
        assert_eq!(
            level_of(&r, "nd335_2025", &year(points)),
            Outcome::Rated(level)
        );
    }
}

#[test]
fn nd233_2026_art12_general_criteria_are_out_of_30_and_tasks_out_of_70() {
    let r = rules();
    let s = scheme(&r, "nd233_2026");
    assert!(Score::new(Points::whole(30), Points::whole(70), s).is_ok());
    let Err(crate::error::DomainError::Invalid(errors)) =
        Score::new(Points::whole(31), Points::whole(71), s)
    else {
        panic!("out of range accepted");
    };
    assert_eq!(errors.len(), 2);
}

// ---- Disqualifiers (233/2026 Art. 12; §4.4) ----

fn reprimand(act: &str, on: NaiveDate) -> DisciplineFact {
    DisciplineFact {
        act: act.into(),
        form: crate::discipline::Form::KhienTrach,
        duty_related: true,
        effective_on: on,
        used_for_kht_in: None,
        at_former_unit: false,
        committed_on: on,
    }
}

#[test]
fn nd233_2026_art12_discipline_in_the_year_makes_kht_whatever_the_score() {
    let r = rules();
    let discipline = [reprimand("A1", d(2026, 5, 4))];
    let p = PersonYear {
        discipline: &discipline,
        ..year(96)
    };
    let c = r.classify(scheme(&r, "nd233_2026"), &p);
    assert_eq!(c.outcome, Outcome::Rated(Level::Kht));
    assert_eq!(codes(&c), ["disciplined_in_year"]);
    assert!(c.reasons[0].basis.contains("233/2026"));
}

#[test]
fn nd233_2026_art12_discipline_unrelated_to_duty_does_not_disqualify() {
    let r = rules();
    let mut fact = reprimand("A1", d(2026, 5, 4));
    fact.duty_related = false;
    let discipline = [fact];
    let p = PersonYear {
        discipline: &discipline,
        ..year(92)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htxs));
}

#[test]
fn nd233_2026_art12_discipline_of_another_year_does_not_disqualify() {
    let r = rules();
    let discipline = [reprimand("A1", d(2025, 12, 30))];
    let p = PersonYear {
        discipline: &discipline,
        ..year(80)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
}

#[test]
fn nd233_2026_art12_degeneration_conclusion_makes_kht() {
    let r = rules();
    let p = PersonYear {
        degeneration: true,
        ..year(91)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Kht));
}

#[test]
fn nd233_2026_art12_leader_of_a_unit_sanctioned_for_corruption_is_kht_unless_self_remedied() {
    let r = rules();
    let p = PersonYear {
        managed_unit_corruption: true,
        ..year(85)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Kht));
    let remedied = PersonYear {
        managed_unit_corruption: true,
        corruption_self_remedied: true,
        ..year(85)
    };
    assert_eq!(
        level_of(&r, "nd233_2026", &remedied),
        Outcome::Rated(Level::Htt)
    );
}

#[test]
fn nd233_2026_art14_a_violation_already_used_to_rate_kht_is_not_counted_again() {
    let r = rules();
    let mut fact = reprimand("A1", d(2026, 2, 10));
    fact.used_for_kht_in = Some(2025);
    let discipline = [fact];
    let p = PersonYear {
        discipline: &discipline,
        ..year(78)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
}

#[test]
fn nd233_2026_art14_party_and_administrative_discipline_for_one_act_count_once() {
    let r = rules();
    // Party discipline took effect in 2025, the administrative decision for the same act in 2026.
    let discipline = [
        reprimand("A7", d(2025, 11, 20)),
        reprimand("A7", d(2026, 1, 15)),
    ];
    let p = PersonYear {
        discipline: &discipline,
        ..year(75)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
    let in_2025 = PersonYear {
        year: 2025,
        discipline: &discipline,
        ..year(75)
    };
    assert_eq!(
        level_of(
            &r,
            "nd90_48_2023",
            &PersonYear {
                criteria: Some(all_done(0)),
                ..in_2025
            }
        ),
        Outcome::Rated(Level::Kht)
    );
}

#[test]
fn nd233_2026_art14_a_violation_at_a_former_organisation_counts_there() {
    let r = rules();
    // Committed at the old unit in 2025, decided by the new one in 2026: the old unit's 2025
    // rating answers for it, not the new unit's 2026 one.
    let mut fact = reprimand("A3", d(2026, 4, 1));
    fact.at_former_unit = true;
    fact.committed_on = d(2025, 10, 1);
    let discipline = [fact.clone()];
    let p = PersonYear {
        discipline: &discipline,
        ..year(88)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
    // Committed at the old unit earlier this year: the new unit rates the whole year
    // (233/2026 Art. 15(1)), so it counts here.
    fact.committed_on = d(2026, 2, 1);
    let this_year = [fact];
    let p = PersonYear {
        discipline: &this_year,
        ..year(88)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Kht));
}

#[test]
fn nd90_2020_before_decree_48_2023_every_decision_in_the_year_counts() {
    let r = rules();
    let mut fact = reprimand("A1", d(2022, 6, 1));
    fact.used_for_kht_in = Some(2021);
    fact.at_former_unit = true;
    fact.committed_on = d(2021, 6, 1);
    let discipline = [fact];
    let p = PersonYear {
        year: 2022,
        criteria: Some(all_done(60)),
        months_worked: 12,
        discipline: &discipline,
        ..PersonYear::default()
    };
    assert_eq!(level_of(&r, "nd90_2020", &p), Outcome::Rated(Level::Kht));
}

// ---- Fewer than six months (233/2026 Art. 14) ----

#[test]
fn nd233_2026_art14_fewer_than_six_months_is_not_rated() {
    let r = rules();
    let p = PersonYear {
        months_worked: 5,
        ..year(95)
    };
    let c = r.classify(scheme(&r, "nd233_2026"), &p);
    assert_eq!(c.outcome, Outcome::NotRated);
    assert_eq!(codes(&c), ["under_six_months"]);
}

#[test]
fn nd233_2026_art14_six_months_exactly_is_rated() {
    let r = rules();
    let p = PersonYear {
        months_worked: 6,
        ..year(72)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htt));
}

#[test]
fn nd233_2026_art14_maternity_leave_is_rated_on_the_time_worked() {
    let r = rules();
    let p = PersonYear {
        months_worked: 4,
        protected_leave: true,
        ..year(81)
    };
    let c = r.classify(scheme(&r, "nd233_2026"), &p);
    assert_eq!(c.outcome, Outcome::Rated(Level::Htt));
    assert_eq!(codes(&c), ["protected_leave", "score"]);
}

// ---- Historic criteria regime (Decree 90/2020 Art. 12–15) and regime switches ----

fn all_done(exceeded: u32) -> CriteriaResult {
    CriteriaResult {
        general_met: true,
        tasks_done_pct: 100,
        exceeded_pct: exceeded,
        shortfall_pct: 0,
        unmet_pct: 0,
    }
}

fn criteria_year(year: i32, c: CriteriaResult) -> PersonYear<'static> {
    PersonYear {
        year,
        criteria: Some(c),
        months_worked: 12,
        ..PersonYear::default()
    }
}

#[test]
fn nd90_2020_art12_all_done_with_half_exceeded_is_htxs() {
    let r = rules();
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, all_done(50))),
        Outcome::Rated(Level::Htxs)
    );
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, all_done(49))),
        Outcome::Rated(Level::Htt)
    );
}

#[test]
fn nd90_2020_art14_up_to_twenty_percent_shortfall_is_ht() {
    let r = rules();
    let c = CriteriaResult {
        shortfall_pct: 20,
        tasks_done_pct: 100,
        ..all_done(0)
    };
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, c)),
        Outcome::Rated(Level::Ht)
    );
    let worse = CriteriaResult {
        shortfall_pct: 21,
        ..c
    };
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, worse)),
        Outcome::Rated(Level::Kht)
    );
}

#[test]
fn nd90_2020_art14_ht_needs_every_task_done() {
    let r = rules();
    let c = CriteriaResult {
        tasks_done_pct: 70,
        unmet_pct: 30,
        ..all_done(0)
    };
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, c)),
        Outcome::Rated(Level::Kht)
    );
}

#[test]
fn nd90_2020_art15_more_than_half_of_criteria_unmet_is_kht() {
    let r = rules();
    let c = CriteriaResult {
        unmet_pct: 51,
        tasks_done_pct: 40,
        ..all_done(0)
    };
    assert_eq!(
        level_of(&r, "nd90_48_2023", &criteria_year(2025, c)),
        Outcome::Rated(Level::Kht)
    );
}

#[test]
fn regime_switch_a_public_employee_is_rated_by_criteria_in_2025_and_by_points_in_2026() {
    // regimes.toml: 90/2020 (as amended) governs public employees to 30/6/2026, Decree 233/2026
    // from 1/7/2026; the year-end rating of 2026 falls under 233/2026.
    let r = rules();
    let regimes = crate::legal::national_regimes().unwrap_or_else(|e| panic!("{e}"));
    let pick = |on| {
        crate::legal::regime_in_force(
            &regimes,
            crate::legal::RegimeDomain::Assessment,
            crate::staff::Category::VienChuc,
            on,
        )
        .map(|g| g.key.clone())
        .unwrap_or_default()
    };
    assert_eq!(pick(d(2025, 12, 1)), "nd90_48_2023");
    assert_eq!(pick(d(2026, 12, 1)), "nd233_2026");
    assert!(matches!(
        scheme(&r, &pick(d(2025, 12, 1))).method,
        Method::Criteria { .. }
    ));
    assert!(matches!(
        scheme(&r, &pick(d(2026, 12, 1))).method,
        Method::Points { .. }
    ));
}

// ---- Annual aggregation and periods (§11.4 item 17) ----

fn month(m: u32) -> Period {
    Period::new(PeriodKind::Month, 2026, m).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn nd233_2026_art12_5_the_annual_score_skips_missing_periods() {
    let months = [(month(1), score(2800, 6500)), (month(3), score(3000, 6000))];
    assert_eq!(annual(&months, Aggregation::Mean), Some(score(2900, 6250)));
    assert_eq!(
        annual(&months, Aggregation::Lowest),
        Some(score(3000, 6000))
    );
    assert_eq!(annual(&[], Aggregation::Mean), None);
}

#[test]
fn nd233_2026_art12_two_periods_of_ninety_average_to_ninety() {
    let r = rules();
    let months = [(month(1), score(2999, 6001)), (month(2), score(3000, 6000))];
    let a = annual(&months, Aggregation::Mean);
    assert_eq!(a.map(Score::total), Some(Points::whole(90)));
    let p = PersonYear {
        score: a,
        ..year(0)
    };
    assert_eq!(level_of(&r, "nd233_2026", &p), Outcome::Rated(Level::Htxs));
}

#[test]
fn nd233_2026_art12_5_a_half_year_weighs_six_months() {
    // H1 at 95 and July to December monthly at 88: (6 × 95 + 6 × 88) / 12 = 91.5.
    let h1 = Period::new(PeriodKind::HalfYear, 2026, 1).unwrap_or_else(|e| panic!("{e}"));
    let mut periods = vec![(h1, score(3000, 6500))];
    periods.extend((7..=12).map(|m| (month(m), score(2800, 6000))));
    assert_eq!(
        annual(&periods, Aggregation::Mean).map(Score::total),
        Some(Points(9150))
    );
}

#[test]
fn nd233_2026_art12_nothing_evaluated_is_undetermined_not_kht() {
    let r = rules();
    let p = PersonYear {
        score: None,
        ..year(0)
    };
    let c = r.classify(scheme(&r, "nd233_2026"), &p);
    assert_eq!(c.outcome, Outcome::Undetermined);
    assert_eq!(codes(&c), ["no_score"]);
}

#[test]
fn nd233_2026_art12_5_a_month_and_the_quarter_holding_it_overlap() {
    let march = Period::new(PeriodKind::Month, 2026, 3).unwrap_or_else(|e| panic!("{e}"));
    let q1 = Period::new(PeriodKind::Quarter, 2026, 1).unwrap_or_else(|e| panic!("{e}"));
    let q2 = Period::new(PeriodKind::Quarter, 2026, 2).unwrap_or_else(|e| panic!("{e}"));
    let h2 = Period::new(PeriodKind::HalfYear, 2026, 2).unwrap_or_else(|e| panic!("{e}"));
    assert!(march.overlaps(q1));
    assert!(!march.overlaps(q2));
    assert!(!q2.overlaps(h2));
    assert_eq!(q2.dates(), Some((d(2026, 4, 1), d(2026, 6, 30))));
    assert!(Period::new(PeriodKind::Quarter, 2026, 5).is_err());
}

mod scores_quotas_titles;
