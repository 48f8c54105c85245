//! Worked cases of the discipline rules (legal brief §3), one table, each named after the article
//! it exercises. Every case runs; a failure names the case and what was found.

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::discipline::case::{Stage, StepLimits, convocation_deadline, next_deadline};
use congvu_core::discipline::{
    ClockState, Consequence, Consequences, DisciplineRules, Form, Pause, Postponement,
    ViolationFacts, case_regime, effect_ends, handling_clock, is_repeat, limitation_clock,
    postpones, suggest,
};
use congvu_core::legal::{RegimeDomain, national_regimes, regime_in_force};
use congvu_core::staff::Category::{self, CanBo, CongChuc, NguoiLaoDong, VienChuc};

type Outcome = Result<(), String>;

/// A named worked case.
type Case = (&'static str, fn() -> Outcome);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn check<T: PartialEq + std::fmt::Debug>(found: T, expected: T) -> Outcome {
    if found == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, found {found:?}"))
    }
}

fn rules() -> DisciplineRules {
    DisciplineRules::national().unwrap()
}

fn regime_on(category: Category, on: NaiveDate) -> String {
    regime_in_force(
        &national_regimes().unwrap(),
        RegimeDomain::Discipline,
        category,
        on,
    )
    .map(|r| r.key.clone())
    .unwrap_or_default()
}

fn allowed(category: Category, leader: bool, on: NaiveDate, form: Form) -> bool {
    rules()
        .check_form(&regime_on(category, on), category, leader, form)
        .is_ok()
}

fn suggested(
    category: Category,
    leader: bool,
    violations: &[ViolationFacts],
    in_effect: Option<Form>,
) -> Option<Form> {
    let r = rules();
    let ladder = r.ladder(&regime_on(category, d(2026, 9, 1)), category, leader)?;
    suggest(ladder, violations, in_effect).map(|s| s.form)
}

fn facts(consequence: Consequence) -> ViolationFacts {
    ViolationFacts {
        consequence,
        repeat_of: None,
        mitigating: false,
        aggravating: false,
    }
}

fn months(regime: &str, reprimand: bool) -> u32 {
    let rule = rules().limitation(regime).cloned().unwrap();
    if reprimand {
        rule.reprimand_months
    } else {
        rule.other_months
    }
}

fn handling(discovered: NaiveDate, extended: bool, pauses: &[Pause], on: NaiveDate) -> ClockState {
    let rule = rules().handling("nd234_2026").cloned().unwrap();
    handling_clock(&rule, discovered, extended, pauses, on).unwrap()
}

fn running(last_day: NaiveDate, on: NaiveDate) -> ClockState {
    ClockState::Running {
        last_day,
        days_left: (last_day - on).num_days(),
    }
}

fn cases() -> Vec<Case> {
    vec![
        // §3.1–3.2: forms by category, leader flag and date.
        (
            "nd_112_2020_civil_servant_ha_bac_luong_allowed_on_2025_06_30",
            || {
                check(
                    allowed(CongChuc, false, d(2025, 6, 30), Form::HaBacLuong),
                    true,
                )
            },
        ),
        (
            "nd_172_2025_civil_servant_ha_bac_luong_refused_from_2025_07_01",
            || {
                check(
                    allowed(CongChuc, false, d(2025, 7, 1), Form::HaBacLuong),
                    false,
                )
            },
        ),
        (
            "nd_112_2020_leader_giang_chuc_allowed_on_2025_06_30",
            || {
                check(
                    allowed(CongChuc, true, d(2025, 6, 30), Form::GiangChuc),
                    true,
                )
            },
        ),
        (
            "nd_172_2025_leader_giang_chuc_refused_from_2025_07_01",
            || {
                check(
                    allowed(CongChuc, true, d(2025, 7, 1), Form::GiangChuc),
                    false,
                )
            },
        ),
        ("nd_172_2025_leader_cach_chuc_allowed", || {
            check(allowed(CongChuc, true, d(2025, 9, 1), Form::CachChuc), true)
        }),
        ("nd_172_2025_non_leader_cach_chuc_refused", || {
            check(
                allowed(CongChuc, false, d(2025, 9, 1), Form::CachChuc),
                false,
            )
        }),
        ("nd_234_2026_art_7_employee_cach_chuc_refused", || {
            check(
                allowed(VienChuc, false, d(2026, 9, 1), Form::CachChuc),
                false,
            )
        }),
        ("nd_234_2026_art_7_manager_cach_chuc_allowed", || {
            check(allowed(VienChuc, true, d(2026, 9, 1), Form::CachChuc), true)
        }),
        (
            "nd_234_2026_art_25_public_employee_under_112_until_2026_06_30",
            || {
                check(
                    regime_on(VienChuc, d(2026, 6, 30)),
                    "nd112_71_2023".to_owned(),
                )
            },
        ),
        ("nd_234_2026_public_employee_from_2026_07_01", || {
            check(regime_on(VienChuc, d(2026, 7, 1)), "nd234_2026".to_owned())
        }),
        ("nd_172_2025_cadre_bai_nhiem_allowed", || {
            check(allowed(CanBo, false, d(2025, 9, 1), Form::BaiNhiem), true)
        }),
        (
            "labour_code_contract_worker_has_no_discipline_ladder",
            || check(regime_on(NguoiLaoDong, d(2026, 9, 1)), String::new()),
        ),
        // §3.4: limitation periods.
        (
            "nd_234_2026_art_5_1_reprimand_level_60_months_running",
            || {
                check(
                    limitation_clock(
                        d(2026, 8, 1),
                        &[],
                        Some(months("nd234_2026", true)),
                        &[],
                        d(2031, 8, 1),
                    )
                    .unwrap(),
                    running(d(2031, 8, 1), d(2031, 8, 1)),
                )
            },
        ),
        (
            "nd_234_2026_art_5_1_reprimand_level_60_months_passed_next_day",
            || {
                check(
                    limitation_clock(
                        d(2026, 8, 1),
                        &[],
                        Some(months("nd234_2026", true)),
                        &[],
                        d(2031, 8, 2),
                    )
                    .unwrap(),
                    ClockState::Breached {
                        last_day: d(2031, 8, 1),
                    },
                )
            },
        ),
        ("nd_234_2026_art_5_1_heavier_forms_120_months", || {
            check(months("nd234_2026", false), 120)
        }),
        ("law_52_2019_art_53_before_reform_24_months", || {
            check(months("nd112_71_2023", true), 24)
        }),
        ("law_52_2019_art_53_before_reform_60_months", || {
            check(months("nd112_71_2023", false), 60)
        }),
        ("nd_234_2026_art_5_3_false_degree_no_limitation", || {
            check(
                limitation_clock(d(2001, 1, 1), &[], None, &[], d(2026, 9, 1)).unwrap(),
                ClockState::Unlimited,
            )
        }),
        ("nd_234_2026_art_5_2_new_violation_inside_restarts", || {
            check(
                limitation_clock(
                    d(2026, 8, 1),
                    &[d(2029, 1, 15)],
                    Some(60),
                    &[],
                    d(2033, 1, 1),
                )
                .unwrap(),
                running(d(2034, 1, 15), d(2033, 1, 1)),
            )
        }),
        (
            "nd_234_2026_art_5_2_new_violation_after_end_does_not_revive",
            || {
                check(
                    limitation_clock(
                        d(2026, 8, 1),
                        &[d(2031, 8, 2)],
                        Some(60),
                        &[],
                        d(2031, 9, 1),
                    )
                    .unwrap(),
                    ClockState::Breached {
                        last_day: d(2031, 8, 1),
                    },
                )
            },
        ),
        ("nd_234_2026_art_5_6_maternity_pause_pushes_back", || {
            let pause = [Pause {
                from: d(2027, 3, 1),
                to: Some(d(2027, 8, 27)),
            }];
            check(
                limitation_clock(d(2026, 8, 1), &[], Some(60), &pause, d(2031, 8, 2)).unwrap(),
                running(d(2032, 1, 28), d(2031, 8, 2)),
            )
        }),
        (
            "nd_234_2026_art_5_6_open_criminal_proceedings_stop_the_clock",
            || {
                check(
                    limitation_clock(
                        d(2026, 8, 1),
                        &[],
                        Some(60),
                        &[Pause {
                            from: d(2026, 10, 1),
                            to: None,
                        }],
                        d(2032, 1, 1),
                    )
                    .unwrap(),
                    ClockState::Paused {
                        since: d(2026, 10, 1),
                    },
                )
            },
        ),
        ("civil_code_2015_art_148_month_end_clamped", || {
            check(
                limitation_clock(d(2028, 2, 29), &[], Some(60), &[], d(2033, 2, 1)).unwrap(),
                running(d(2033, 2, 28), d(2033, 2, 1)),
            )
        }),
        // §3.5: handling limit.
        ("nd_234_2026_art_5_5_90_days_from_discovery", || {
            check(
                handling(d(2026, 9, 1), false, &[], d(2026, 11, 1)),
                running(d(2026, 11, 30), d(2026, 11, 1)),
            )
        }),
        ("nd_234_2026_art_5_5_150_days_after_extension", || {
            check(
                handling(d(2026, 9, 1), true, &[], d(2026, 12, 1)),
                running(d(2027, 1, 29), d(2026, 12, 1)),
            )
        }),
        ("nd_234_2026_art_5_6_complaint_period_paused", || {
            check(
                handling(
                    d(2026, 9, 1),
                    false,
                    &[Pause {
                        from: d(2026, 9, 10),
                        to: Some(d(2026, 9, 19)),
                    }],
                    d(2026, 12, 1),
                ),
                running(d(2026, 12, 10), d(2026, 12, 1)),
            )
        }),
        (
            "nd_234_2026_art_5_5_passed_limit_does_not_end_limitation",
            || {
                let limit = handling(d(2026, 9, 1), false, &[], d(2026, 12, 15));
                let limitation =
                    limitation_clock(d(2026, 8, 25), &[], Some(60), &[], d(2026, 12, 15)).unwrap();
                check(
                    (
                        matches!(limit, ClockState::Breached { .. }),
                        matches!(limitation, ClockState::Running { .. }),
                    ),
                    (true, true),
                )
            },
        ),
        // §3.7: postponement.
        ("nd_172_2025_maternity_postpones", || {
            check(postpones(Postponement::MaternityOrInfant, false), true)
        }),
        ("nd_172_2025_maternity_written_request_exception", || {
            check(postpones(Postponement::MaternityOrInfant, true), false)
        }),
        (
            "nd_172_2025_grave_illness_postpones_even_on_request",
            || check(postpones(Postponement::GraveIllness, true), true),
        ),
        ("nd_234_2026_art_3_criminal_proceedings_postpone", || {
            check(postpones(Postponement::CriminalProceedings, false), true)
        }),
        // §3.3: the suggested form.
        ("nd_234_2026_art_8_first_less_serious_khien_trach", || {
            check(
                suggested(VienChuc, false, &[facts(Consequence::LessSerious)], None),
                Some(Form::KhienTrach),
            )
        }),
        ("nd_234_2026_art_9_first_serious_canh_cao", || {
            check(
                suggested(VienChuc, false, &[facts(Consequence::Serious)], None),
                Some(Form::CanhCao),
            )
        }),
        (
            "nd_234_2026_art_9_repeat_after_khien_trach_canh_cao",
            || {
                let repeat = ViolationFacts {
                    repeat_of: Some(Form::KhienTrach),
                    ..facts(Consequence::LessSerious)
                };
                check(
                    suggested(VienChuc, false, &[repeat], None),
                    Some(Form::CanhCao),
                )
            },
        ),
        (
            "nd_234_2026_art_10_very_serious_remorseful_manager_cach_chuc",
            || {
                let v = ViolationFacts {
                    mitigating: true,
                    ..facts(Consequence::VerySerious)
                };
                check(suggested(VienChuc, true, &[v], None), Some(Form::CachChuc))
            },
        ),
        (
            "nd_234_2026_art_11_very_serious_aggravated_buoc_thoi_viec",
            || {
                let v = ViolationFacts {
                    aggravating: true,
                    ..facts(Consequence::VerySerious)
                };
                check(
                    suggested(VienChuc, true, &[v], None),
                    Some(Form::BuocThoiViec),
                )
            },
        ),
        (
            "nd_234_2026_art_2_2_several_violations_one_highest_form",
            || {
                check(
                    suggested(
                        CongChuc,
                        false,
                        &[facts(Consequence::LessSerious), facts(Consequence::Serious)],
                        None,
                    ),
                    Some(Form::CanhCao),
                )
            },
        ),
        (
            "nd_234_2026_art_2_3_in_effect_heavier_one_level_above_current",
            || {
                check(
                    suggested(
                        CongChuc,
                        true,
                        &[facts(Consequence::LessSerious)],
                        Some(Form::CanhCao),
                    ),
                    Some(Form::CachChuc),
                )
            },
        ),
        (
            "nd_234_2026_art_2_3_new_heavier_one_level_above_new",
            || {
                check(
                    suggested(
                        CongChuc,
                        false,
                        &[facts(Consequence::Serious)],
                        Some(Form::KhienTrach),
                    ),
                    Some(Form::BuocThoiViec),
                )
            },
        ),
        ("nd_234_2026_art_2_3_top_form_stays_top", || {
            check(
                suggested(
                    CongChuc,
                    false,
                    &[facts(Consequence::LessSerious)],
                    Some(Form::BuocThoiViec),
                ),
                Some(Form::BuocThoiViec),
            )
        }),
        // §3.8: effect and repeat.
        ("nd_234_2026_art_2_9_effect_ends_after_12_months", || {
            check(
                effect_ends(d(2026, 9, 15), rules().effect_months),
                Some(d(2027, 9, 14)),
            )
        }),
        ("nd_234_2026_art_2_8_repeat_within_12_months", || {
            check(is_repeat(d(2026, 9, 15), d(2027, 9, 14), 12), true)
        }),
        ("nd_234_2026_art_2_8_not_repeat_after_12_months", || {
            check(is_repeat(d(2026, 9, 15), d(2027, 9, 15), 12), false)
        }),
        // §3.1: transition between regimes.
        ("nd_234_2026_art_24_case_opened_under_new_decree", || {
            let regimes = national_regimes().unwrap();
            check(
                case_regime(&regimes, VienChuc, d(2026, 5, 1), d(2026, 7, 10), None)
                    .map(|(r, _)| r.key.clone()),
                Some("nd234_2026".to_owned()),
            )
        }),
        (
            "nd_234_2026_art_24_old_rule_when_recorded_more_favourable",
            || {
                let regimes = national_regimes().unwrap();
                let chosen = case_regime(
                    &regimes,
                    VienChuc,
                    d(2026, 5, 1),
                    d(2026, 7, 10),
                    Some("thời hiệu 2 năm có lợi hơn"),
                );
                check(
                    chosen.map(|(r, _)| r.key.clone()),
                    Some("nd112_71_2023".to_owned()),
                )
            },
        ),
        (
            "nd_234_2026_art_24_override_without_effect_inside_one_regime",
            || {
                let regimes = national_regimes().unwrap();
                check(
                    case_regime(&regimes, VienChuc, d(2026, 8, 1), d(2026, 9, 1), Some("x"))
                        .map(|(r, _)| r.key.clone()),
                    Some("nd234_2026".to_owned()),
                )
            },
        ),
        // §3.8: knock-on consequences.
        (
            "law_2010_art_56_public_employee_canh_cao_delays_raise_6_months",
            || {
                check(
                    Consequences::national()
                        .unwrap()
                        .of("nd112_71_2023", VienChuc, Form::CanhCao)
                        .salary_raise_delay_months,
                    Some(6),
                )
            },
        ),
        (
            "current_consequences_unverified_are_unknown_not_guessed",
            || {
                check(
                    Consequences::national()
                        .unwrap()
                        .of("nd234_2026", VienChuc, Form::CanhCao)
                        .salary_raise_delay_months,
                    None,
                )
            },
        ),
        (
            "nd_233_2026_khien_trach_disqualifies_the_year_classification",
            || {
                check(
                    Consequences::national()
                        .unwrap()
                        .of("nd234_2026", VienChuc, Form::KhienTrach)
                        .disqualifies_classification,
                    true,
                )
            },
        ),
        // §3.6: step deadlines in working days.
        (
            "nd_234_2026_art_13_review_report_3_working_days_across_tet",
            || {
                check(
                    next_deadline(
                        &Stage::Reviewed { on: d(2026, 2, 13) },
                        StepLimits::ND_234_2026,
                        &WorkCalendar::national().unwrap(),
                    )
                    .unwrap(),
                    Some(("report_and_minutes", d(2026, 2, 25))),
                )
            },
        ),
        (
            "nd_234_2026_art_15_convocation_5_working_days_before_across_national_day",
            || {
                check(
                    convocation_deadline(
                        d(2026, 9, 7),
                        StepLimits::ND_234_2026,
                        &WorkCalendar::national().unwrap(),
                    )
                    .unwrap(),
                    d(2026, 8, 27),
                )
            },
        ),
    ]
}

#[test]
fn at_least_forty_worked_cases_of_the_discipline_rules_hold() {
    let table = cases();
    assert!(table.len() >= 40, "{} worked cases", table.len());
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(name, case)| case().err().map(|why| format!("{name}: {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} worked cases fail:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}
