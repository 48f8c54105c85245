//! Worked cases of the discipline rules (legal brief §3), one table, each named after the article
//! it exercises. Every case runs; a failure names the case and what was found.

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::discipline::case::{
    Stage, StepLimits, convocation_deadline, next_deadline, step_due,
};
use congvu_core::discipline::view::{self, CaseFacts, CaseView, CaseViolation};
use congvu_core::discipline::{
    ClockState, Consequence, Consequences, DisciplineRules, EffectEnd, Form, PartyDecision,
    PartyForm, Pause, Postponement, ViolationFacts, case_regime, effect_end, effect_ends,
    handling_clock, is_repeat, limitation_clock, party_equivalent, postpones, suggest,
};
use congvu_core::legal::{Confidence, LegalBasis, RegimeDomain, national_regimes, regime_in_force};
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

/// The administrative form commensurate with a Party form on the person's ladder under `regime`.
fn party_form(regime: &str, category: Category, leader: bool, party: PartyForm) -> Option<Form> {
    let r = rules();
    let ladder = r.ladder(regime, category, leader)?;
    party_equivalent(ladder, party).map(|(form, _)| form)
}

/// How a decision effective on `effective_on` ends under the shipped effect period (12 months).
fn effect(
    effective_on: NaiveDate,
    later_acts: &[NaiveDate],
    next_decision: Option<NaiveDate>,
) -> Option<EffectEnd> {
    effect_end(
        effective_on,
        rules().effect_months,
        later_acts,
        next_decision,
    )
}

/// How the decision ends, and whether it is in effect on each of `days`.
fn effect_on(
    effective_on: NaiveDate,
    later_acts: &[NaiveDate],
    next_decision: Option<NaiveDate>,
    days: &[NaiveDate],
) -> (Option<EffectEnd>, Vec<bool>) {
    let end = effect(effective_on, later_acts, next_decision);
    let covered = days
        .iter()
        .map(|day| end.is_some_and(|e| e.covers(effective_on, *day)))
        .collect();
    (end, covered)
}

/// The view on `on` of a case with one violation (act ended 1/8/2026, found 1/9/2026) and a Party
/// decision about it, on the national calendar with the regime's own step limits.
fn party_case(
    regime: &str,
    category: Category,
    leader: bool,
    violation: ViolationFacts,
    party: PartyDecision,
    pauses: &[Pause],
    on: NaiveDate,
) -> CaseView {
    let case = CaseFacts {
        regime: regime.to_owned(),
        category,
        leader,
        violations: vec![CaseViolation {
            counted_from: d(2026, 8, 1),
            discovered_on: d(2026, 9, 1),
            facts: violation,
            no_limitation: false,
        }],
        later_violations: Vec::new(),
        in_effect: None,
        extended: false,
        pauses: pauses.to_vec(),
        stage: Stage::Opened,
        party: Some(party),
    };
    let r = rules();
    let limits = r.steps(regime).unwrap().limits;
    view::view(&r, &case, &WorkCalendar::national().unwrap(), limits, on).unwrap()
}

/// The suggested form, how many reasons lead to it, and the source of the last one.
fn party_suggestion(view: &CaseView) -> Option<(Form, usize, LegalBasis)> {
    let s = view.suggestion.as_ref()?;
    Some((s.form, s.reasons.len(), s.reasons.last()?.1.clone()))
}

/// `[party]` of data/discipline.toml, written out by hand.
fn art_2_6() -> LegalBasis {
    LegalBasis {
        document: "Nghị định 234/2026/NĐ-CP".into(),
        article: Some("Điều 2 khoản 6".into()),
        confidence: Confidence::Verified,
    }
}

/// The Party deadline on `on` for a public employee's case whose Party khiển trách was announced
/// on `announced_on`.
fn party_deadline(announced_on: NaiveDate, pauses: &[Pause], on: NaiveDate) -> Option<ClockState> {
    party_case(
        "nd234_2026",
        VienChuc,
        false,
        facts(Consequence::LessSerious),
        PartyDecision {
            form: PartyForm::KhienTrach,
            announced_on,
        },
        pauses,
        on,
    )
    .party_deadline
}

/// The deadline of the step that leaves `stage`, with `regime`'s limits, on the national calendar.
fn due(stage: Stage, regime: &str) -> Option<NaiveDate> {
    step_due(
        &stage,
        rules().steps(regime).unwrap().limits,
        &WorkCalendar::national().unwrap(),
    )
    .unwrap()
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
        // §3.3: a Party decision about the same act (Art. 2(6)).
        (
            "nd_234_2026_art_2_6_khai_tru_employee_highest_form_buoc_thoi_viec",
            || {
                // Ladder khiển trách, cảnh cáo, buộc thôi việc: the highest is buộc thôi việc.
                check(
                    party_form("nd234_2026", VienChuc, false, PartyForm::KhaiTru),
                    Some(Form::BuocThoiViec),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_khai_tru_manager_highest_form_not_cach_chuc",
            || {
                // The manager's ladder has cách chức too, but buộc thôi việc stays on top.
                check(
                    party_form("nd234_2026", VienChuc, true, PartyForm::KhaiTru),
                    Some(Form::BuocThoiViec),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_cach_chuc_employee_without_post_canh_cao",
            || {
                check(
                    party_form("nd234_2026", VienChuc, false, PartyForm::CachChuc),
                    Some(Form::CanhCao),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_cach_chuc_manager_cach_chuc",
            || {
                check(
                    party_form("nd234_2026", VienChuc, true, PartyForm::CachChuc),
                    Some(Form::CachChuc),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_khien_trach_and_canh_cao_same_name",
            || {
                check(
                    (
                        party_form("nd234_2026", VienChuc, false, PartyForm::KhienTrach),
                        party_form("nd234_2026", VienChuc, true, PartyForm::CanhCao),
                    ),
                    (Some(Form::KhienTrach), Some(Form::CanhCao)),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_nd_172_2025_party_cach_chuc_civil_servant_without_post_canh_cao",
            || {
                check(
                    party_form("nd172_2025", CongChuc, false, PartyForm::CachChuc),
                    Some(Form::CanhCao),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_nd_172_2025_party_cach_chuc_civil_servant_leader_cach_chuc",
            || {
                check(
                    party_form("nd172_2025", CongChuc, true, PartyForm::CachChuc),
                    Some(Form::CachChuc),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_nd_172_2025_khai_tru_civil_servant_leader_buoc_thoi_viec",
            || {
                check(
                    party_form("nd172_2025", CongChuc, true, PartyForm::KhaiTru),
                    Some(Form::BuocThoiViec),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_nd_172_2025_khai_tru_cadre_bai_nhiem",
            || {
                // A cadre's ladders end with bãi nhiệm, with or without a post.
                check(
                    (
                        party_form("nd172_2025", CanBo, false, PartyForm::KhaiTru),
                        party_form("nd172_2025", CanBo, true, PartyForm::KhaiTru),
                    ),
                    (Some(Form::BaiNhiem), Some(Form::BaiNhiem)),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_nd_172_2025_party_cach_chuc_cadre_without_post_canh_cao",
            || {
                // Ladder khiển trách, cảnh cáo, bãi nhiệm: no cách chức, and no post to lose.
                check(
                    party_form("nd172_2025", CanBo, false, PartyForm::CachChuc),
                    Some(Form::CanhCao),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_view_khai_tru_suggests_highest_form_citing_the_party_rule",
            || {
                let v = party_case(
                    "nd234_2026",
                    VienChuc,
                    false,
                    facts(Consequence::Serious),
                    PartyDecision {
                        form: PartyForm::KhaiTru,
                        announced_on: d(2026, 9, 14),
                    },
                    &[],
                    d(2026, 9, 20),
                );
                // The act alone merits cảnh cáo (Art. 9, one reason); the Party's khai trừ gives
                // buộc thôi việc, with a second reason citing `[party]`.
                check(
                    (party_suggestion(&v), rules().party_basis),
                    (Some((Form::BuocThoiViec, 2, art_2_6())), art_2_6()),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_view_nd_172_2025_party_cach_chuc_without_post_overrides_acts",
            || {
                let v = party_case(
                    "nd172_2025",
                    CongChuc,
                    false,
                    facts(Consequence::VerySerious),
                    PartyDecision {
                        form: PartyForm::CachChuc,
                        announced_on: d(2026, 9, 14),
                    },
                    &[],
                    d(2026, 9, 20),
                );
                // The act alone merits buộc thôi việc (Art. 11); the Party form commands cảnh cáo.
                check(party_suggestion(&v), Some((Form::CanhCao, 2, art_2_6())))
            },
        ),
        (
            "nd_234_2026_art_2_6_decision_due_30_days_after_announcement",
            || {
                // 14/9 + 30 calendar days: 16 to 30/9, 14 more to 14/10 (a Wednesday).
                check(
                    (
                        rules().party_days,
                        party_deadline(d(2026, 9, 14), &[], d(2026, 9, 20)),
                    ),
                    (30, Some(running(d(2026, 10, 14), d(2026, 9, 20)))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_deadline_passed_on_day_31",
            || {
                check(
                    party_deadline(d(2026, 9, 14), &[], d(2026, 10, 15)),
                    Some(ClockState::Breached {
                        last_day: d(2026, 10, 14),
                    }),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_deadline_pushed_back_by_a_pause",
            || {
                // 21/9–4/10 paused: 14 days, so 14/10 + 14 = 28/10.
                let pause = [Pause {
                    from: d(2026, 9, 21),
                    to: Some(d(2026, 10, 4)),
                }];
                check(
                    party_deadline(d(2026, 9, 14), &pause, d(2026, 10, 20)),
                    Some(running(d(2026, 10, 28), d(2026, 10, 20))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_deadline_pause_found_after_pushing",
            || {
                // 20–21/10 starts after the nominal 14/10 but before the pushed 28/10: counted
                // days 15–20/9 (6), 5–19/10 (15), 22–30/10 (9) = 30, so the last day is 30/10.
                let pauses = [
                    Pause {
                        from: d(2026, 9, 21),
                        to: Some(d(2026, 10, 4)),
                    },
                    Pause {
                        from: d(2026, 10, 20),
                        to: Some(d(2026, 10, 21)),
                    },
                ];
                check(
                    party_deadline(d(2026, 9, 14), &pauses, d(2026, 10, 22)),
                    Some(running(d(2026, 10, 30), d(2026, 10, 22))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_deadline_ignores_a_pause_over_before_announcement",
            || {
                let pause = [Pause {
                    from: d(2026, 3, 1),
                    to: Some(d(2026, 8, 27)),
                }];
                check(
                    party_deadline(d(2026, 9, 14), &pause, d(2026, 9, 20)),
                    Some(running(d(2026, 10, 14), d(2026, 9, 20))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_6_party_deadline_stopped_by_an_open_pause",
            || {
                check(
                    party_deadline(
                        d(2026, 9, 14),
                        &[Pause {
                            from: d(2026, 10, 1),
                            to: None,
                        }],
                        d(2026, 11, 1),
                    ),
                    Some(ClockState::Paused {
                        since: d(2026, 10, 1),
                    }),
                )
            },
        ),
        // §3.8: how a decision's effect ends (Art. 2(9)).
        (
            "nd_234_2026_art_2_9_expires_after_exactly_12_months_across_leap_day",
            || {
                // 1/3/2027 + 12 months = 1/3/2028; the day before is 29/2/2028 (leap year).
                check(
                    effect_on(d(2027, 3, 1), &[], None, &[d(2028, 2, 29), d(2028, 3, 1)]),
                    (Some(EffectEnd::Expires(d(2028, 2, 29))), vec![true, false]),
                )
            },
        ),
        (
            "nd_234_2026_art_2_9_not_in_effect_before_effective_date",
            || {
                check(
                    effect_on(d(2026, 9, 15), &[], None, &[d(2026, 9, 14), d(2026, 9, 15)]),
                    (Some(EffectEnd::Expires(d(2027, 9, 14))), vec![false, true]),
                )
            },
        ),
        (
            "nd_234_2026_art_2_9_new_act_on_last_day_keeps_it_pending",
            || {
                // An act on 14/9/2027, the last of the 12 months: still in effect a year later.
                check(
                    effect_on(
                        d(2026, 9, 15),
                        &[d(2027, 9, 14)],
                        None,
                        &[d(2027, 9, 15), d(2028, 9, 15)],
                    ),
                    (Some(EffectEnd::Pending), vec![true, true]),
                )
            },
        ),
        (
            "nd_234_2026_art_2_9_act_after_the_period_does_not_revive",
            || {
                check(
                    effect(d(2026, 9, 15), &[d(2027, 9, 15)], None),
                    Some(EffectEnd::Expires(d(2027, 9, 14))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_9_act_before_effective_date_is_not_new",
            || {
                check(
                    effect(d(2026, 9, 15), &[d(2026, 6, 1)], None),
                    Some(EffectEnd::Expires(d(2027, 9, 14))),
                )
            },
        ),
        (
            "nd_234_2026_art_2_9_superseded_after_nominal_end_by_decision_on_new_act",
            || {
                // Act 20/8/2027 inside the period; the decision on it takes effect 10/11/2027, so
                // the earlier one lasts until 9/11/2027, beyond its nominal 14/9/2027.
                check(
                    effect_on(
                        d(2026, 9, 15),
                        &[d(2027, 8, 20)],
                        Some(d(2027, 11, 10)),
                        &[d(2027, 11, 9), d(2027, 11, 10)],
                    ),
                    (
                        Some(EffectEnd::Superseded(d(2027, 11, 9))),
                        vec![true, false],
                    ),
                )
            },
        ),
        ("nd_234_2026_art_2_9_superseded_inside_the_period", || {
            check(
                effect(d(2026, 9, 15), &[d(2027, 1, 10)], Some(d(2027, 4, 1))),
                Some(EffectEnd::Superseded(d(2027, 3, 31))),
            )
        }),
        (
            "nd_234_2026_art_2_9_later_decision_without_new_act_in_period_does_not_extend",
            || {
                // The act of 1/10/2027 is after the period; its decision (1/12/2027) does not
                // reach back over an effect that already ended on 14/9/2027.
                check(
                    effect(d(2026, 9, 15), &[d(2027, 10, 1)], Some(d(2027, 12, 1))),
                    Some(EffectEnd::Expires(d(2027, 9, 14))),
                )
            },
        ),
        // §3.6: step deadlines per regime, from data.
        (
            "nd_234_2026_art_13_14_council_due_8_working_days_after_review_across_tet",
            || {
                // Review Wed 11/2/2026: Thu 12 (1), Fri 13 (2), weekend, Tết 16–20, weekend,
                // 23–27/2 (3–7), Mon 2/3 (8).
                check(
                    due(Stage::Reviewed { on: d(2026, 2, 11) }, "nd234_2026"),
                    Some(d(2026, 3, 2)),
                )
            },
        ),
        (
            "nd_234_2026_art_13_14_council_due_after_review_on_last_day_before_tet",
            || {
                // Review Fri 13/2/2026: 23–27/2 (1–5), 2–4/3 (6–8).
                check(
                    due(Stage::Reviewed { on: d(2026, 2, 13) }, "nd234_2026"),
                    Some(d(2026, 3, 4)),
                )
            },
        ),
        (
            "nd_172_2025_council_due_after_review_across_tet_same_figures",
            || {
                // Unverified figures, equal to 234/2026's: 3 + 5 working days.
                check(
                    due(Stage::Reviewed { on: d(2026, 2, 11) }, "nd172_2025"),
                    Some(d(2026, 3, 2)),
                )
            },
        ),
        (
            "nd_234_2026_art_13_18_decision_15_working_days_after_conviction_across_tet",
            || {
                // Fri 6/2/2026: 9–13/2 (1–5), Tết, 23–27/2 (6–10), 2–6/3 (11–15).
                check(
                    due(
                        Stage::Recommended {
                            on: d(2026, 2, 6),
                            form: None,
                            conviction: true,
                        },
                        "nd234_2026",
                    ),
                    Some(d(2026, 3, 6)),
                )
            },
        ),
        ("nd_234_2026_art_13_18_step_limits_verified", || {
            let r = rules();
            let steps = r.steps("nd234_2026").unwrap();
            check(
                (steps.limits, steps.basis.confidence),
                (
                    StepLimits {
                        report_after_review: 3,
                        council_after_report: 5,
                        convocation_before_meeting: 5,
                        recommendation_after_meeting: 5,
                        decision_after_recommendation: 5,
                        decision_after_conviction: 15,
                        announcement_after_annulment: 10,
                    },
                    Confidence::Verified,
                ),
            )
        }),
        ("nd_172_2025_step_limits_unverified", || {
            check(
                rules().steps("nd172_2025").map(|s| s.basis.confidence),
                Some(Confidence::Unverified),
            )
        }),
        ("nd_233_2026_assessment_regime_has_no_step_limits", || {
            check(rules().steps("nd233_2026").is_none(), true)
        }),
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
