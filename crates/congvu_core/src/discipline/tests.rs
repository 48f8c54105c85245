use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::legal::{RegimeDomain, national_regimes, regime_in_force};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn rules() -> DisciplineRules {
    DisciplineRules::national().unwrap()
}

/// The ladder of a person on a date: the regime chosen by date and category, then its ladder.
fn ladder_on(category: Category, leader: bool, on: NaiveDate) -> Ladder {
    let regimes = national_regimes().unwrap();
    let regime = regime_in_force(&regimes, RegimeDomain::Discipline, category, on).unwrap();
    rules()
        .ladder(&regime.key, category, leader)
        .unwrap()
        .clone()
}

fn less_serious() -> ViolationFacts {
    ViolationFacts {
        consequence: Consequence::LessSerious,
        repeat_of: None,
        mitigating: false,
        aggravating: false,
    }
}

#[test]
fn every_discipline_regime_has_ladders_limitation_and_handling() {
    let r = rules();
    for regime in national_regimes()
        .unwrap()
        .iter()
        .filter(|g| g.domain == RegimeDomain::Discipline)
    {
        assert!(r.limitation(&regime.key).is_some(), "{}", regime.key);
        assert!(r.handling(&regime.key).is_some(), "{}", regime.key);
        assert!(
            r.citations.iter().any(|c| c.regimes.contains(&regime.key)),
            "{} has no citations row",
            regime.key
        );
        for category in &regime.categories {
            assert!(
                r.ladder(&regime.key, *category, false).is_some()
                    || r.ladder(&regime.key, *category, true).is_some(),
                "{} {category:?}",
                regime.key
            );
        }
    }
}

/// A refusal cites the case's own regime: Decree 234/2026 Art. 15 for a public employee's
/// self-criticism; Decree 172/2025's articles were not read (brief §12 item 2), so a civil
/// servant's refusal names that decree and says so, never 234/2026.
#[test]
fn refusals_cite_the_cases_own_regime_nd_234_2026_art_15_and_nd_172_2025() {
    let r = rules();
    assert_eq!(
        r.cite("nd234_2026", Procedure::SelfCriticism),
        "Nghị định 234/2026/NĐ-CP, Điều 15"
    );
    assert_eq!(
        r.cite("nd234_2026", Procedure::OnceOnly),
        "Nghị định 234/2026/NĐ-CP, Điều 2 khoản 2"
    );
    let civil = r.cite("nd172_2025", Procedure::SelfCriticism);
    assert!(civil.starts_with("Nghị định 172/2025/NĐ-CP"), "{civil}");
    assert!(civil.contains("chưa đối chiếu"), "{civil}");
    assert!(!civil.contains("234/2026"), "{civil}");
    let row = r
        .citations
        .iter()
        .find(|c| c.regimes.iter().any(|g| g == "nd172_2025"))
        .unwrap();
    assert_eq!(
        row.confidence,
        Confidence::Unverified,
        "unread articles are tagged [U]"
    );
}

/// Law 80/2025 and Decree 172/2025: hạ bậc lương and giáng chức were abolished for civil servants
/// from 1 July 2025; before that date they were allowed.
#[test]
fn ha_bac_luong_and_giang_chuc_only_before_1_july_2025_nd_172_2025() {
    let before = ladder_on(Category::CongChuc, false, d(2025, 6, 30));
    assert!(before.rank(Form::HaBacLuong).is_some());
    let after = ladder_on(Category::CongChuc, false, d(2025, 7, 1));
    assert!(after.rank(Form::HaBacLuong).is_none());
    let leader_before = ladder_on(Category::CongChuc, true, d(2025, 6, 30));
    assert!(leader_before.rank(Form::GiangChuc).is_some());
    let refused = rules().check_form("nd172_2025", Category::CongChuc, true, Form::GiangChuc);
    let Err(FormRefusal::NotAllowed { allowed, rule }) = refused else {
        panic!("giáng chức must be refused")
    };
    assert_eq!(
        allowed,
        [
            Form::KhienTrach,
            Form::CanhCao,
            Form::CachChuc,
            Form::BuocThoiViec
        ]
    );
    assert_eq!(rule.document, "Nghị định 172/2025/NĐ-CP");
}

/// Decree 234/2026 Art. 7: a public employee without a management post cannot be dismissed from a post.
#[test]
fn cach_chuc_only_for_managers_nd_234_2026_art_7() {
    assert!(
        rules()
            .check_form("nd234_2026", Category::VienChuc, false, Form::CachChuc)
            .is_err()
    );
    assert!(
        rules()
            .check_form("nd234_2026", Category::VienChuc, true, Form::CachChuc)
            .is_ok()
    );
    assert_eq!(
        rules().check_form(
            "nd234_2026",
            Category::NguoiLaoDong,
            false,
            Form::KhienTrach
        ),
        Err(FormRefusal::NoLadder)
    );
}

/// Decree 234/2026 Art. 5(1)–(2): 60 months for a khiển trách-level act, 120 otherwise.
#[test]
fn limitation_60_and_120_months_nd_234_2026_art_5() {
    let rule = rules().limitation("nd234_2026").unwrap().clone();
    assert_eq!((rule.reprimand_months, rule.other_months), (60, 120));
    let reprimand = limitation_clock(
        d(2026, 8, 1),
        &[],
        Some(rule.reprimand_months),
        &[],
        d(2026, 9, 1),
    )
    .unwrap();
    assert_eq!(
        reprimand,
        ClockState::Running {
            last_day: d(2031, 8, 1),
            days_left: (d(2031, 8, 1) - d(2026, 9, 1)).num_days()
        }
    );
    let other = limitation_clock(
        d(2026, 8, 1),
        &[],
        Some(rule.other_months),
        &[],
        d(2036, 8, 2),
    )
    .unwrap();
    assert_eq!(
        other,
        ClockState::Breached {
            last_day: d(2036, 8, 1)
        }
    );
    // Before the 2025–2026 laws the periods were 2 and 5 years.
    assert_eq!(
        rules()
            .limitation("nd112_71_2023")
            .unwrap()
            .reprimand_months,
        24
    );
}

/// Decree 234/2026 Art. 5(3): false degrees and the other listed acts have no limitation period.
#[test]
fn no_limitation_for_the_listed_exceptions_nd_234_2026_art_5_3() {
    assert_eq!(
        limitation_clock(d(2010, 1, 1), &[], None, &[], d(2026, 1, 1)).unwrap(),
        ClockState::Unlimited
    );
}

/// Decree 234/2026 Art. 5(2): a new violation inside the period restarts it from the new date; one
/// after the period ended does not revive it.
#[test]
fn a_new_violation_inside_the_period_restarts_it_nd_234_2026_art_5_2() {
    let clock = limitation_clock(
        d(2026, 8, 1),
        &[d(2028, 3, 1)],
        Some(60),
        &[],
        d(2032, 1, 1),
    )
    .unwrap();
    assert_eq!(
        clock,
        ClockState::Running {
            last_day: d(2033, 3, 1),
            days_left: (d(2033, 3, 1) - d(2032, 1, 1)).num_days()
        }
    );
    let late = limitation_clock(
        d(2026, 8, 1),
        &[d(2031, 9, 1)],
        Some(60),
        &[],
        d(2032, 1, 1),
    )
    .unwrap();
    assert_eq!(
        late,
        ClockState::Breached {
            last_day: d(2031, 8, 1)
        }
    );
}

/// Decree 234/2026 Art. 5(6) and Art. 3: time "not yet considered" (e.g. maternity) is excluded.
#[test]
fn paused_days_push_the_limitation_back_nd_234_2026_art_5_6() {
    let pauses = [Pause {
        from: d(2027, 1, 1),
        to: Some(d(2027, 1, 10)),
    }];
    let clock = limitation_clock(d(2026, 8, 1), &[], Some(60), &pauses, d(2031, 8, 5)).unwrap();
    assert_eq!(
        clock,
        ClockState::Running {
            last_day: d(2031, 8, 11),
            days_left: 6
        }
    );
    let open = [Pause {
        from: d(2027, 1, 1),
        to: None,
    }];
    assert_eq!(
        limitation_clock(d(2026, 8, 1), &[], Some(60), &open, d(2031, 8, 5)).unwrap(),
        ClockState::Paused {
            since: d(2027, 1, 1)
        }
    );
}

/// Decree 234/2026 Art. 5(5): 90 days from discovery, 150 after an extension; pauses excluded.
#[test]
fn handling_limit_90_or_150_days_with_pauses_nd_234_2026_art_5_5() {
    let rule = rules().handling("nd234_2026").unwrap().clone();
    let plain = handling_clock(&rule, d(2026, 9, 1), false, &[], d(2026, 11, 30)).unwrap();
    assert_eq!(
        plain,
        ClockState::Running {
            last_day: d(2026, 11, 30),
            days_left: 0
        }
    );
    assert_eq!(
        handling_clock(&rule, d(2026, 9, 1), false, &[], d(2026, 12, 1)).unwrap(),
        ClockState::Breached {
            last_day: d(2026, 11, 30)
        }
    );
    let extended = handling_clock(&rule, d(2026, 9, 1), true, &[], d(2026, 12, 1)).unwrap();
    assert_eq!(
        extended,
        ClockState::Running {
            last_day: d(2027, 1, 29),
            days_left: 59
        }
    );
    let paused = [Pause {
        from: d(2026, 10, 1),
        to: Some(d(2026, 10, 20)),
    }];
    assert_eq!(
        handling_clock(&rule, d(2026, 9, 1), false, &paused, d(2026, 12, 1)).unwrap(),
        ClockState::Running {
            last_day: d(2026, 12, 20),
            days_left: 19
        }
    );
}

/// Decree 234/2026 Art. 8: a first, less serious violation → khiển trách.
#[test]
fn first_less_serious_is_khien_trach_nd_234_2026_art_8() {
    let ladder = ladder_on(Category::VienChuc, false, d(2026, 9, 1));
    assert_eq!(
        suggest(&ladder, &[less_serious()], None).unwrap().form,
        Form::KhienTrach
    );
}

/// Decree 234/2026 Art. 9: serious → cảnh cáo; a repeat after khiển trách → cảnh cáo.
#[test]
fn serious_or_repeat_is_canh_cao_nd_234_2026_art_9() {
    let ladder = ladder_on(Category::VienChuc, false, d(2026, 9, 1));
    let serious = ViolationFacts {
        consequence: Consequence::Serious,
        ..less_serious()
    };
    assert_eq!(
        suggest(&ladder, &[serious], None).unwrap().form,
        Form::CanhCao
    );
    let repeat = ViolationFacts {
        repeat_of: Some(Form::KhienTrach),
        ..less_serious()
    };
    assert_eq!(
        suggest(&ladder, &[repeat], None).unwrap().form,
        Form::CanhCao
    );
}

/// Decree 234/2026 Art. 10–11: very serious → cách chức for a remorseful manager, otherwise
/// buộc thôi việc (the only heavier form a non-manager has).
#[test]
fn very_serious_forms_nd_234_2026_art_10_11() {
    let manager = ladder_on(Category::VienChuc, true, d(2026, 9, 1));
    let remorseful = ViolationFacts {
        consequence: Consequence::VerySerious,
        mitigating: true,
        ..less_serious()
    };
    assert_eq!(
        suggest(&manager, &[remorseful], None).unwrap().form,
        Form::CachChuc
    );
    let aggravated = ViolationFacts {
        aggravating: true,
        ..remorseful
    };
    assert_eq!(
        suggest(&manager, &[aggravated], None).unwrap().form,
        Form::BuocThoiViec
    );
    let employee = ladder_on(Category::VienChuc, false, d(2026, 9, 1));
    assert_eq!(
        suggest(&employee, &[remorseful], None).unwrap().form,
        Form::BuocThoiViec
    );
}

/// Decree 234/2026 Art. 2(2): several violations considered together → one decision, the single
/// highest form.
#[test]
fn several_violations_take_the_highest_form_nd_234_2026_art_2_2() {
    let ladder = ladder_on(Category::CongChuc, false, d(2026, 9, 1));
    let serious = ViolationFacts {
        consequence: Consequence::Serious,
        ..less_serious()
    };
    let s = suggest(&ladder, &[less_serious(), serious, less_serious()], None).unwrap();
    assert_eq!(s.form, Form::CanhCao);
    assert!(
        s.reasons
            .iter()
            .any(|(_, b)| b.article.as_deref() == Some("Điều 2 khoản 2"))
    );
}

/// Decree 234/2026 Art. 2(3): a new violation while a decision is in effect → one level above the
/// heavier of the current and the merited form.
#[test]
fn escalation_while_a_decision_is_in_effect_nd_234_2026_art_2_3() {
    let ladder = ladder_on(Category::CongChuc, true, d(2026, 9, 1));
    // New act merits khiển trách (no heavier than current cảnh cáo) → one above cảnh cáo = cách chức.
    assert_eq!(
        suggest(&ladder, &[less_serious()], Some(Form::CanhCao))
            .unwrap()
            .form,
        Form::CachChuc
    );
    // New act merits cảnh cáo, heavier than current khiển trách → one above cảnh cáo.
    let serious = ViolationFacts {
        consequence: Consequence::Serious,
        ..less_serious()
    };
    assert_eq!(
        suggest(&ladder, &[serious], Some(Form::KhienTrach))
            .unwrap()
            .form,
        Form::CachChuc
    );
    // At the top the form stays at the top.
    assert_eq!(
        suggest(&ladder, &[less_serious()], Some(Form::BuocThoiViec))
            .unwrap()
            .form,
        Form::BuocThoiViec
    );
}

/// Decree 234/2026 Art. 2(8)–(9): in effect 12 months, then ending by itself; a repeat is the same
/// kind of violation within 12 months of the previous decision taking effect.
#[test]
fn effect_ends_after_12_months_and_repeat_window_nd_234_2026_art_2_8_9() {
    let r = rules();
    assert_eq!(
        effect_ends(d(2026, 3, 15), r.effect_months),
        Some(d(2027, 3, 14))
    );
    assert!(is_repeat(
        d(2026, 3, 15),
        d(2027, 3, 14),
        r.repeat_window_months
    ));
    assert!(!is_repeat(
        d(2026, 3, 15),
        d(2027, 3, 15),
        r.repeat_window_months
    ));
    assert!(!is_repeat(
        d(2026, 3, 15),
        d(2026, 3, 14),
        r.repeat_window_months
    ));
}

fn consequence() -> impl Strategy<Value = Consequence> {
    prop_oneof![
        Just(Consequence::LessSerious),
        Just(Consequence::Serious),
        Just(Consequence::VerySerious)
    ]
}

fn facts() -> impl Strategy<Value = ViolationFacts> {
    (
        consequence(),
        proptest::option::of(proptest::sample::select(Form::ALL.to_vec())),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(consequence, repeat_of, mitigating, aggravating)| ViolationFacts {
                consequence,
                repeat_of,
                mitigating,
                aggravating,
            },
        )
}

proptest! {
    /// A suggested form is always an allowed form on the person's ladder.
    #[test]
    fn a_suggested_form_is_always_allowed(
        ladder_index in 0usize..12,
        violations in proptest::collection::vec(facts(), 1..5),
        in_effect in proptest::option::of(proptest::sample::select(Form::ALL.to_vec())),
    ) {
        let r = rules();
        let ladder = &r.ladders[ladder_index % r.ladders.len()];
        let s = suggest(ladder, &violations, in_effect).unwrap();
        prop_assert!(ladder.rank(s.form).is_some(), "{:?} not on {:?}", s.form, ladder.forms);
    }

    /// A clock never counts a paused day: pushing back equals the paused days inside the period.
    #[test]
    fn pauses_push_the_deadline_back_day_for_day(start_offset in 0i64..400, pause_start in 1i64..80, pause_len in 0i64..30) {
        let rule = rules().handling("nd234_2026").unwrap().clone();
        let start = d(2026, 1, 1) + Duration::days(start_offset);
        let pause = Pause { from: start + Duration::days(pause_start), to: Some(start + Duration::days(pause_start + pause_len)) };
        let far = start + Duration::days(1000);
        let ClockState::Breached { last_day } = handling_clock(&rule, start, false, &[pause], far).unwrap() else {
            return Err(TestCaseError::fail("a 90-day clock must have ended 1,000 days later"));
        };
        prop_assert_eq!(last_day, start + Duration::days(90 + pause_len + 1));
    }
}

/// Decree 234/2026 Art. 2(3) with Art. 9: a repeat of a khiển trách-level act while that
/// khiển trách is still in effect is escalated once (→ cảnh cáo), not twice (→ buộc thôi việc).
#[test]
fn a_repeat_while_in_effect_is_escalated_once_nd_234_2026_art_2_3() {
    let ladder = ladder_on(Category::VienChuc, false, d(2026, 9, 1));
    let repeat = ViolationFacts {
        repeat_of: Some(Form::KhienTrach),
        ..less_serious()
    };
    let s = suggest(&ladder, &[repeat], Some(Form::KhienTrach)).unwrap();
    assert_eq!(s.form, Form::CanhCao);
    assert!(
        s.reasons
            .iter()
            .any(|(_, b)| b.article.as_deref() == Some("Điều 2 khoản 3"))
    );
    let serious = ViolationFacts {
        consequence: Consequence::Serious,
        ..less_serious()
    };
    // A new serious act (cảnh cáo on its own) while khiển trách is in effect: one above cảnh cáo.
    assert_eq!(
        suggest(&ladder, &[serious], Some(Form::KhienTrach))
            .unwrap()
            .form,
        Form::BuocThoiViec
    );
}

/// Law 80/2025 (brief §3.2): hạ bậc lương and giáng chức were abolished from 1 July 2025 — a case
/// kept on 112/2020 may not end in them after that day, and the refusal names the abolishing law.
#[test]
fn abolished_forms_are_refused_after_30_june_2025_law_80_2025() {
    let rules = DisciplineRules::national().unwrap();
    let regime = "nd112_71_2023";
    assert!(
        rules
            .check_form_on(
                regime,
                Category::CongChuc,
                true,
                Form::GiangChuc,
                d(2025, 6, 30)
            )
            .is_ok()
    );
    match rules.check_form_on(
        regime,
        Category::CongChuc,
        true,
        Form::GiangChuc,
        d(2025, 7, 1),
    ) {
        Err(FormRefusal::NotAllowed { allowed, rule }) => {
            assert!(!allowed.contains(&Form::GiangChuc));
            assert!(allowed.contains(&Form::CachChuc));
            assert!(rule.document.contains("80/2025"));
        }
        other => panic!("{other:?}"),
    }
    let ladder = rules
        .ladder_on(regime, Category::CongChuc, false, d(2026, 1, 1))
        .unwrap();
    assert_eq!(
        ladder.forms,
        [Form::KhienTrach, Form::CanhCao, Form::BuocThoiViec]
    );
}

/// Decree 234/2026 Art. 2(3) with a historic form in effect: hạ bậc lương placed on the 172/2025
/// ladder counts as cảnh cáo, so a new less-serious act is raised to buộc thôi việc.
#[test]
fn escalation_from_a_historic_form_nd_234_2026_art_2_3() {
    let rules = DisciplineRules::national().unwrap();
    let ladder = rules
        .ladder("nd172_2025", Category::CongChuc, false)
        .unwrap();
    assert_eq!(ladder.counterpart(Form::HaBacLuong), Some(Form::CanhCao));
    assert_eq!(ladder.counterpart(Form::KhienTrach), Some(Form::KhienTrach));
    let s = suggest(ladder, &[less_serious()], Some(Form::HaBacLuong)).unwrap();
    assert_eq!(s.form, Form::BuocThoiViec);
}
