//! Task scores from work products, the HTXS quotas, and emulation titles, each test named after its article.

use super::*;

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
