use chrono::NaiveDate;
use uuid::Uuid;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn slice(from: NaiveDate, to: Option<NaiveDate>, cat: Category) -> Employment {
    Employment {
        id: EmploymentId::from_uuid(Uuid::new_v4()),
        unit: UnitId::from_uuid(Uuid::nil()),
        category: cat,
        position: "Chuyên viên".into(),
        is_leader: false,
        validity: Validity::new(from, to).unwrap(),
    }
}

fn new(from: NaiveDate) -> NewEmployment {
    NewEmployment {
        unit: UnitId::from_uuid(Uuid::nil()),
        category: Category::CongChuc,
        position: "Trưởng phòng".into(),
        is_leader: true,
        validity: Validity::new(from, None).unwrap(),
    }
}

#[test]
fn what_was_true_on_a_date() {
    let slices = vec![
        slice(d(2020, 1, 1), Some(d(2024, 12, 31)), Category::VienChuc),
        slice(d(2025, 1, 1), None, Category::CongChuc),
    ];
    assert_eq!(
        employment_on(&slices, d(2024, 6, 1)).unwrap().category,
        Category::VienChuc
    );
    assert_eq!(
        employment_on(&slices, d(2025, 1, 1)).unwrap().category,
        Category::CongChuc
    );
    assert!(employment_on(&slices, d(2019, 1, 1)).is_none());
}

#[test]
fn change_closes_the_open_slice_the_day_before() {
    let open = slice(d(2020, 1, 1), None, Category::CongChuc);
    let plan = plan_employment_change(std::slice::from_ref(&open), new(d(2026, 3, 1))).unwrap();
    assert_eq!(plan.close, Some((open.id, d(2026, 2, 28))));
}

#[test]
fn change_never_rewrites_the_past() {
    let open = slice(d(2020, 1, 1), None, Category::CongChuc);
    assert!(plan_employment_change(std::slice::from_ref(&open), new(d(2020, 1, 1))).is_err());
    let closed = slice(d(2020, 1, 1), Some(d(2026, 12, 31)), Category::CongChuc);
    assert!(plan_employment_change(&[closed], new(d(2026, 3, 1))).is_err());
    assert_eq!(
        plan_employment_change(&[], new(d(2026, 3, 1)))
            .unwrap()
            .close,
        None
    );
}

#[test]
fn person_parse_collects_all_errors() {
    let mut errors = Collector::default();
    let person = NewPerson::parse(
        &PersonInput {
            staff_code: "",
            full_name: "",
            date_of_birth: None,
            email: Some("x"),
        },
        &mut errors,
    );
    assert!(person.is_none());
    let DomainError::Invalid(fields) = errors.finish().unwrap_err() else {
        panic!()
    };
    assert_eq!(fields.len(), 3);
}
