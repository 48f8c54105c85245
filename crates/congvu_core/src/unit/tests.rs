use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn parse_reports_every_invalid_field() {
    let err = NewUnit::parse(&UnitInput {
        code: "Hưng Yên",
        name: " ",
        kind: "county",
        ..Default::default()
    })
    .unwrap_err();
    let DomainError::Invalid(fields) = err else {
        panic!("expected Invalid")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["code", "name", "kind", "valid_from"]);
}

/// Resolution 202/2025/QH15: no district may be valid from 1 July 2025.
#[test]
fn district_must_end_by_30_june_2025_resolution_202_2025() {
    let base = UnitInput {
        code: "H1",
        name: "Huyện Ân Thi",
        kind: "district",
        valid_from: Some(d(2000, 1, 1)),
        ..Default::default()
    };
    assert!(NewUnit::parse(&base).is_err());
    assert!(
        NewUnit::parse(&UnitInput {
            valid_to: Some(d(2025, 7, 1)),
            ..base.clone()
        })
        .is_err()
    );
    assert!(
        NewUnit::parse(&UnitInput {
            valid_to: Some(d(2025, 6, 30)),
            ..base
        })
        .is_ok()
    );
}

#[test]
fn successor_rules() {
    let old = Validity::new(d(2000, 1, 1), Some(d(2025, 6, 30))).unwrap();
    let new = Validity::new(d(2025, 7, 1), None).unwrap();
    assert!(check_successor(&old, &new, d(2025, 7, 1)).is_ok());
    assert!(check_successor(&old, &new, d(2025, 6, 30)).is_err());
    let open = Validity::new(d(2000, 1, 1), None).unwrap();
    assert!(check_successor(&open, &new, d(2025, 7, 1)).is_err());
}

#[test]
fn child_within_parent() {
    let parent = Validity::new(d(2025, 7, 1), None).unwrap();
    assert!(check_within_parent(&Validity::new(d(2025, 7, 1), None).unwrap(), &parent).is_ok());
    assert!(check_within_parent(&Validity::new(d(2025, 6, 1), None).unwrap(), &parent).is_err());
}
