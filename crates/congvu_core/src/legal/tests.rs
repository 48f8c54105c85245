use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn validity_contains_and_overlaps() {
    let a = Validity::new(d(2025, 1, 1), Some(d(2025, 6, 30))).unwrap();
    let b = Validity::new(d(2025, 7, 1), None).unwrap();
    assert!(a.contains(d(2025, 6, 30)));
    assert!(!a.contains(d(2025, 7, 1)));
    assert!(!a.overlaps(&b));
    assert!(Validity::new(d(2025, 6, 30), None).unwrap().overlaps(&a));
    assert!(Validity::new(d(2025, 2, 1), Some(d(2025, 1, 1))).is_err());
}

/// Legal brief §3.1: Decree 112/2020 governs public employees until 30/6/2026; Decree 172/2025
/// governs cadres and civil servants from 1/7/2025; Decree 234/2026 public employees from 1/7/2026.
#[test]
fn discipline_regime_by_date_and_category_decree_112_172_234() {
    let regimes = national_regimes().unwrap();
    let pick = |cat, date| {
        regime_in_force(&regimes, RegimeDomain::Discipline, cat, date).map(|r| r.key.as_str())
    };
    assert_eq!(pick(Category::CongChuc, d(2021, 1, 1)), Some("nd112_2020"));
    assert_eq!(
        pick(Category::CongChuc, d(2025, 6, 30)),
        Some("nd112_71_2023")
    );
    assert_eq!(pick(Category::CongChuc, d(2025, 7, 1)), Some("nd172_2025"));
    assert_eq!(pick(Category::CanBo, d(2026, 9, 1)), Some("nd172_2025"));
    assert_eq!(
        pick(Category::VienChuc, d(2025, 7, 1)),
        Some("nd112_71_2023")
    );
    assert_eq!(
        pick(Category::VienChuc, d(2026, 6, 30)),
        Some("nd112_71_2023")
    );
    assert_eq!(pick(Category::VienChuc, d(2026, 7, 1)), Some("nd234_2026"));
    assert_eq!(pick(Category::NguoiLaoDong, d(2026, 7, 1)), None);
}

#[test]
fn regimes_of_one_domain_and_category_never_overlap() {
    let regimes = national_regimes().unwrap();
    for a in &regimes {
        for b in &regimes {
            if std::ptr::eq(a, b) || a.domain != b.domain {
                continue;
            }
            let share = a.categories.is_empty()
                || b.categories.is_empty()
                || a.categories.iter().any(|c| b.categories.contains(c));
            assert!(
                !(share && a.validity.overlaps(&b.validity)),
                "{} overlaps {}",
                a.key,
                b.key
            );
        }
    }
}
