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

// ---- Task score (335/2025) ----

fn product(units: u32, done: bool, failed: u32, delays: u32) -> Product {
    Product {
        units,
        done,
        failed_reviews: failed,
        delays,
        exempted_by: None,
    }
}

#[test]
fn nd335_2025_all_products_on_time_and_accepted_score_70() {
    let r = rules();
    let s = task_score(
        &r.task_scoring,
        &[product(200, true, 0, 0), product(100, true, 0, 0)],
        70,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.points, Points::whole(70));
}

#[test]
fn nd335_2025_each_failed_review_and_each_delay_deducts_25_percent() {
    let r = rules();
    // One product: one failed review (quality 75%) and two delays (timeliness 50%).
    let s = task_score(&r.task_scoring, &[product(100, true, 1, 2)], 70)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (s.quantity, s.quality, s.timeliness),
        (10_000, 7_500, 5_000)
    );
    // Equal weights: 70 × (100 + 75 + 50) / 300 = 52.5 points.
    assert_eq!(s.points, Points(5250));
}

#[test]
fn nd335_2025_an_objective_cause_confirmed_by_the_authority_exempts_the_deduction() {
    let r = rules();
    let mut p = product(100, true, 1, 1);
    p.exempted_by = Some("Giám đốc Sở Nội vụ".into());
    let s = task_score(&r.task_scoring, &[p], 70).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.points, Points::whole(70));
}

#[test]
fn nd335_2025_an_undone_product_counts_against_all_three_shares() {
    let r = rules();
    let s = task_score(
        &r.task_scoring,
        &[product(300, true, 0, 0), product(100, false, 0, 0)],
        70,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.quantity, 7_500);
    assert_eq!(s.points, Points(5250));
}

// ---- Quotas (233/2026 Art. 12(6)–(7), Art. 7) ----

fn proposals(htxs: usize, htt: usize) -> Vec<Proposal> {
    let mut out = Vec::new();
    for _ in 0..htxs {
        out.push(Proposal {
            person: PersonId::from_uuid(Uuid::new_v4()),
            outcome: Outcome::Rated(Level::Htxs),
            is_head: false,
        });
    }
    for _ in 0..htt {
        out.push(Proposal {
            person: PersonId::from_uuid(Uuid::new_v4()),
            outcome: Outcome::Rated(Level::Htt),
            is_head: false,
        });
    }
    out
}

#[test]
fn nd233_2026_art12_6_htxs_at_most_20_percent_of_htt() {
    let r = rules();
    assert!(check_group(&r.quota, "chuyen_vien", &proposals(2, 10), None).is_empty());
    let breaches = check_group(&r.quota, "chuyen_vien", &proposals(3, 10), None);
    assert_eq!(breaches.len(), 1);
    assert_eq!(breaches[0].code(), "quota.htxs_over_share");
    assert!(matches!(
        breaches[0],
        Breach::HtxsOverQuota {
            allowed: 2,
            proposed: 3,
            ..
        }
    ));
}

#[test]
fn nd233_2026_art12_6_twenty_five_percent_when_the_unit_itself_is_htxs() {
    let r = rules();
    assert!(check_group(&r.quota, "g", &proposals(3, 12), Some(Level::Htxs)).is_empty());
    assert!(!check_group(&r.quota, "g", &proposals(3, 12), Some(Level::Htt)).is_empty());
}

#[test]
fn nd233_2026_art12_6_fewer_than_five_htt_leaves_no_htxs() {
    let r = rules();
    let breaches = check_group(&r.quota, "g", &proposals(1, 4), None);
    assert!(matches!(
        breaches[..],
        [Breach::HtxsOverQuota { allowed: 0, .. }]
    ));
}

#[test]
fn nd233_2026_art12_7_the_head_is_not_rated_above_the_unit() {
    let r = rules();
    let mut group = proposals(1, 10);
    group[0].is_head = true;
    let breaches = check_group(&r.quota, "lanh_dao", &group, Some(Level::Htt));
    assert_eq!(breaches.len(), 1);
    assert_eq!(breaches[0].code(), "quota.head_above_unit");
    assert!(check_group(&r.quota, "lanh_dao", &group, Some(Level::Htxs)).is_empty());
    assert_eq!(
        check_group(&r.quota, "lanh_dao", &group, None)[0].code(),
        "quota.unit_not_rated"
    );
}

#[test]
fn nd233_2026_art7_fewer_than_five_units_at_most_one_htxs() {
    let r = rules();
    let unit = |l| (UnitId::from_uuid(Uuid::new_v4()), l);
    let four = [
        unit(Level::Htxs),
        unit(Level::Htxs),
        unit(Level::Htt),
        unit(Level::Htt),
    ];
    assert_eq!(
        check_units(&r.quota, &four)[0].code(),
        "quota.units_htxs_over_share"
    );
    assert!(check_units(&r.quota, &four[1..]).is_empty());
    let mut ten: Vec<(UnitId, Level)> = (0..10).map(|_| unit(Level::Htt)).collect();
    ten.push(unit(Level::Htxs));
    ten.push(unit(Level::Htxs));
    assert!(
        check_units(&r.quota, &ten).is_empty(),
        "20% of 10 HTT units is 2"
    );
}

// ---- Emulation titles (Law 2022 Art. 21–24, 27–28; Decree 98/2023) ----

fn history<'a>(
    registered: &'a [TitleKey],
    level: Level,
    awards: &'a [(i32, TitleKey)],
    initiatives: &'a [Initiative],
) -> PersonHistory<'a> {
    PersonHistory {
        registered,
        level: Some(level),
        recruited_on: Some(d(2020, 3, 1)),
        awards,
        initiatives,
        blockers: &[],
    }
}

fn failing(a: &crate::emulation::Answer) -> Vec<&'static str> {
    a.reasons
        .iter()
        .filter(|r| !r.met)
        .map(|r| r.code)
        .collect()
}

#[test]
fn law_2022_art24_ldtt_needs_htt_or_better() {
    let r = rules();
    let reg = [TitleKey::Ldtt];
    let ok = r.eligible(TitleKey::Ldtt, 2026, &history(&reg, Level::Htt, &[], &[]));
    assert!(ok.is_some_and(|a| a.eligible));
    let ht = r
        .eligible(TitleKey::Ldtt, 2026, &history(&reg, Level::Ht, &[], &[]))
        .unwrap_or_else(|| panic!("answer"));
    assert!(!ht.eligible);
    assert_eq!(failing(&ht), ["classification"]);
}

#[test]
fn circular_01_2024_no_ldtt_within_six_months_of_recruitment() {
    let r = rules();
    let reg = [TitleKey::Ldtt];
    let mut h = history(&reg, Level::Htxs, &[], &[]);
    h.recruited_on = Some(d(2026, 8, 1));
    let a = r
        .eligible(TitleKey::Ldtt, 2026, &h)
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["recruited_six_months"]);
    h.recruited_on = Some(d(2026, 7, 1));
    assert!(
        r.eligible(TitleKey::Ldtt, 2026, &h)
            .is_some_and(|a| a.eligible)
    );
}

#[test]
fn brief_5_6_unregistered_people_are_not_proposed() {
    let r = rules();
    let a = r
        .eligible(TitleKey::Ldtt, 2026, &history(&[], Level::Htxs, &[], &[]))
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["registered"]);
}

#[test]
fn law_2022_art23_cstdcs_needs_ldtt_and_a_recognised_initiative() {
    let r = rules();
    let reg = [TitleKey::Ldtt, TitleKey::Cstdcs];
    let without = r
        .eligible(
            TitleKey::Cstdcs,
            2026,
            &history(&reg, Level::Htxs, &[], &[]),
        )
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&without), ["initiative"]);
    let initiative = [Initiative {
        year: 2026,
        scope: InitiativeScope::Unit,
    }];
    assert!(
        r.eligible(
            TitleKey::Cstdcs,
            2026,
            &history(&reg, Level::Htxs, &[], &initiative)
        )
        .is_some_and(|a| a.eligible)
    );
    let ht = r
        .eligible(
            TitleKey::Cstdcs,
            2026,
            &history(&reg, Level::Ht, &[], &initiative),
        )
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&ht), ["requires_title"]);
}

#[test]
fn law_2022_art23_the_cstdcs_cap_is_data() {
    let r = rules();
    assert_eq!(r.cstdcs_cap(20), Some(3));
    let rule = r.title(TitleKey::Cstdcs).unwrap_or_else(|| panic!("rule"));
    assert_eq!(
        rule.cap_confidence,
        Some(crate::legal::Confidence::Unverified)
    );
}

#[test]
fn law_2022_art22_provincial_fighter_needs_three_consecutive_cstdcs() {
    let r = rules();
    let reg = [TitleKey::CstdTinh];
    let province = [Initiative {
        year: 2025,
        scope: InitiativeScope::Province,
    }];
    let two = [(2025, TitleKey::Cstdcs)];
    let three = [(2024, TitleKey::Cstdcs), (2025, TitleKey::Cstdcs)];
    // The current year's CSTĐCS conditions hold (HTXS, an initiative this year at unit level or
    // above) and with two earlier years the streak is three.
    let this_year = [
        province[0],
        Initiative {
            year: 2026,
            scope: InitiativeScope::Unit,
        },
    ];
    let a = r
        .eligible(
            TitleKey::CstdTinh,
            2026,
            &history(&reg, Level::Htxs, &two, &this_year),
        )
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["streak"]);
    assert!(
        r.eligible(
            TitleKey::CstdTinh,
            2026,
            &history(&reg, Level::Htxs, &three, &this_year)
        )
        .is_some_and(|a| a.eligible)
    );
    // A gap breaks the streak.
    let gap = [(2023, TitleKey::Cstdcs), (2025, TitleKey::Cstdcs)];
    assert!(
        !r.eligible(
            TitleKey::CstdTinh,
            2026,
            &history(&reg, Level::Htxs, &gap, &this_year)
        )
        .is_some_and(|a| a.eligible)
    );
}

#[test]
fn law_2022_art21_national_fighter_needs_two_consecutive_provincial_titles_and_a_national_initiative()
 {
    let r = rules();
    let reg = [TitleKey::CstdToanQuoc];
    let awards = [(2025, TitleKey::CstdTinh), (2026, TitleKey::CstdTinh)];
    let provincial = [Initiative {
        year: 2026,
        scope: InitiativeScope::Province,
    }];
    let a = r
        .eligible(
            TitleKey::CstdToanQuoc,
            2026,
            &history(&reg, Level::Htxs, &awards, &provincial),
        )
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["initiative"]);
    let national = [Initiative {
        year: 2025,
        scope: InitiativeScope::National,
    }];
    assert!(
        r.eligible(
            TitleKey::CstdToanQuoc,
            2026,
            &history(&reg, Level::Htxs, &awards, &national)
        )
        .is_some_and(|a| a.eligible)
    );
}

#[test]
fn decree_98_2023_art4_an_open_discipline_case_or_complaint_blocks_every_title() {
    let r = rules();
    let reg = [TitleKey::Ldtt];
    let mut h = history(&reg, Level::Htxs, &[], &[]);
    let blockers = [Blocker::DisciplineCase, Blocker::ComplaintOrDenunciation];
    h.blockers = &blockers;
    let a = r
        .eligible(TitleKey::Ldtt, 2026, &h)
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(
        failing(&a),
        ["open_discipline_case", "complaint_being_resolved"]
    );
    assert!(a.reasons.iter().any(|w| w.basis.contains("98/2023")));
}

#[test]
fn law_2022_art28_advanced_collective_needs_more_than_half_ldtt_and_no_warning() {
    let r = rules();
    let reg = [TitleKey::TtLdtt];
    let year = CollectiveYear {
        registered: &reg,
        level: Some(Level::Htt),
        members: 10,
        members_completed: 10,
        members_ldtt: 6,
        ..CollectiveYear::default()
    };
    assert!(
        r.collective_eligible(TitleKey::TtLdtt, &year)
            .is_some_and(|a| a.eligible)
    );
    let half = CollectiveYear {
        members_ldtt: 5,
        ..year.clone()
    };
    let a = r
        .collective_eligible(TitleKey::TtLdtt, &half)
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["ldtt_share"]);
    let warned = CollectiveYear {
        heaviest_member_discipline: Some(crate::discipline::Form::CanhCao),
        ..year.clone()
    };
    let a = r
        .collective_eligible(TitleKey::TtLdtt, &warned)
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(failing(&a), ["no_member_disciplined"]);
    let reprimanded = CollectiveYear {
        heaviest_member_discipline: Some(crate::discipline::Form::KhienTrach),
        ..year
    };
    assert!(
        r.collective_eligible(TitleKey::TtLdtt, &reprimanded)
            .is_some_and(|a| a.eligible)
    );
}

#[test]
fn law_2022_art27_excellent_collective_needs_htxs_all_completed_70_percent_ldtt_and_a_cstdcs() {
    let r = rules();
    let reg = [TitleKey::TtLdxs];
    let year = CollectiveYear {
        registered: &reg,
        level: Some(Level::Htxs),
        members: 10,
        members_completed: 10,
        members_ldtt: 7,
        members_cstdcs: 1,
        ..CollectiveYear::default()
    };
    assert!(
        r.collective_eligible(TitleKey::TtLdxs, &year)
            .is_some_and(|a| a.eligible)
    );
    let short = CollectiveYear {
        members_completed: 9,
        members_ldtt: 6,
        members_cstdcs: 0,
        level: Some(Level::Htt),
        ..year
    };
    let a = r
        .collective_eligible(TitleKey::TtLdxs, &short)
        .unwrap_or_else(|| panic!("answer"));
    assert_eq!(
        failing(&a),
        [
            "ldtt_share",
            "all_completed",
            "collective_excellent",
            "member_cstdcs"
        ]
    );
}

#[test]
fn decree_98_2023_art54_awards_are_multiples_of_the_base_salary_on_the_decision_date() {
    let r = rules();
    let ldtt = r.title(TitleKey::Ldtt).unwrap_or_else(|| panic!("rule"));
    let national = r
        .title(TitleKey::CstdToanQuoc)
        .unwrap_or_else(|| panic!("rule"));
    // 0.3 × 1,800,000 before 1/7/2024; 0.3 × 2,340,000 after.
    assert_eq!(
        award_amount(ldtt, &r.base_salaries, d(2024, 6, 30)),
        Some(540_000)
    );
    assert_eq!(
        award_amount(ldtt, &r.base_salaries, d(2024, 7, 1)),
        Some(702_000)
    );
    assert_eq!(
        award_amount(national, &r.base_salaries, d(2025, 1, 10)),
        Some(10_530_000)
    );
    // Tập thể lao động tiên tiến: the multiple was not read [U].
    let tt = r.title(TitleKey::TtLdtt).unwrap_or_else(|| panic!("rule"));
    assert_eq!(award_amount(tt, &r.base_salaries, d(2025, 1, 10)), None);
    assert_eq!(award_amount(ldtt, &r.base_salaries, d(2020, 1, 1)), None);
    // After the last base salary known to congvu, no amount rather than a stale one.
    assert_eq!(award_amount(ldtt, &r.base_salaries, d(2026, 12, 1)), None);
}

#[test]
fn the_shipped_figures_parse_and_every_assessment_regime_has_a_scheme() {
    let r = rules();
    let regimes = crate::legal::national_regimes().unwrap_or_else(|e| panic!("{e}"));
    for g in regimes
        .iter()
        .filter(|g| g.domain == crate::legal::RegimeDomain::Assessment)
    {
        assert!(r.scheme(&g.key).is_some(), "no scheme for {}", g.key);
    }
    assert_eq!(r.titles.len(), TitleKey::ALL.len());
}
