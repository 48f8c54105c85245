use std::collections::HashMap;

use super::*;

fn row(pairs: &[(&'static str, &'static str)]) -> Result<StaffRow, Vec<FieldError>> {
    let map: HashMap<&str, &str> = pairs.iter().copied().collect();
    parse_row(|k| map.get(k).copied())
}

#[test]
fn a_good_row_with_vietnamese_dates_and_flags() {
    let r = row(&[
        ("staff_code", "hy-0001"),
        ("full_name", "Nguyễn Thị Lan"),
        ("date_of_birth", "05/09/1990"),
        ("unit_code", "hy-tl"),
        ("category", "cong_chuc"),
        ("position", "Chuyên viên"),
        ("is_leader", "Không"),
        ("valid_from", "2025-07-01"),
    ])
    .unwrap();
    assert_eq!(r.person.staff_code, "HY-0001");
    assert_eq!(r.person.date_of_birth.unwrap().to_string(), "1990-09-05");
    assert!(!r.is_leader);
}

#[test]
fn a_bad_row_lists_every_problem() {
    let errs = row(&[
        ("staff_code", "x y"),
        ("category", "boss"),
        ("valid_from", "31-12-2025"),
        ("is_leader", "maybe"),
    ])
    .unwrap_err();
    let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
    for f in [
        "staff_code",
        "full_name",
        "unit_code",
        "category",
        "position",
        "is_leader",
        "valid_from",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
}
