use chrono::{NaiveDate, TimeZone};
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn vn() -> WorkCalendar {
    WorkCalendar::national().unwrap()
}

#[test]
fn shipped_calendar_covers_2024_to_2027() {
    assert_eq!(vn().covered_years(), (2024, 2027));
    assert!(matches!(
        vn().is_working_day(d(2028, 1, 3)),
        Err(DomainError::CalendarNotCovered(_))
    ));
}

/// Labour Code 2019 Art. 112 and the 2025 Tết notice: 27–31 January 2025 off, Monday 3 February worked.
#[test]
fn tet_at_ty_2025_labour_code_art_112() {
    let cal = vn();
    for day in 27..=31 {
        assert!(
            !cal.is_working_day(d(2025, 1, day)).unwrap(),
            "2025-01-{day}"
        );
    }
    assert!(cal.is_working_day(d(2025, 2, 3)).unwrap());
    // 5 working days after Friday 24 January 2025 cross the whole Tết break.
    assert_eq!(
        cal.add_working_days(d(2025, 1, 24), 5).unwrap(),
        d(2025, 2, 7)
    );
}

/// A make-up Saturday is worked: Saturday 26 April 2025 (swap for Friday 2 May).
#[test]
fn make_up_saturday_is_worked() {
    let cal = vn();
    assert!(cal.is_working_day(d(2025, 4, 26)).unwrap());
    assert!(!cal.is_working_day(d(2025, 5, 2)).unwrap());
    assert!(!cal.is_working_day(d(2025, 4, 27)).unwrap());
}

#[test]
fn unit_overrides_lay_over_national_days() {
    let cal = vn()
        .with_overrides([SpecialDay {
            date: d(2026, 11, 24),
            kind: DayKind::Holiday,
            name: "Ngày nghỉ của tỉnh".into(),
            confidence: Confidence::Verified,
        }])
        .unwrap();
    assert!(!cal.is_working_day(d(2026, 11, 24)).unwrap());
    assert!(vn().is_working_day(d(2026, 11, 24)).unwrap());
    let weekend_holiday = SpecialDay {
        date: d(2026, 11, 22),
        kind: DayKind::Holiday,
        name: "x".into(),
        confidence: Confidence::Verified,
    };
    assert!(vn().with_overrides([weekend_holiday]).is_err());
}

#[test]
fn vietnam_date_is_utc_plus_seven() {
    let late_utc = Utc.with_ymd_and_hms(2025, 12, 31, 17, 0, 0).unwrap();
    assert_eq!(vietnam_date(late_utc), d(2026, 1, 1));
    assert_eq!(
        vietnam_date(Utc.with_ymd_and_hms(2025, 12, 31, 16, 59, 59).unwrap()),
        d(2025, 12, 31)
    );
}

#[test]
fn month_arithmetic_clamps_to_month_end() {
    assert_eq!(add_months(d(2025, 3, 31), 1), Some(d(2025, 4, 30)));
    assert_eq!(add_months(d(2024, 2, 29), 12), Some(d(2025, 2, 28)));
    assert_eq!(add_months(d(2020, 9, 20), 60), Some(d(2025, 9, 20)));
}

fn covered_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 3)).prop_map(|offset| d(2024, 1, 1) + chrono::Duration::days(offset))
}

proptest! {
    #[test]
    fn adding_working_days_lands_on_a_working_day(start in covered_date(), n in 1u32..150) {
        let cal = vn();
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert!(cal.is_working_day(end).unwrap());
    }

    #[test]
    fn adding_working_days_is_monotonic(start in covered_date(), n in 0u32..150) {
        let cal = vn();
        prop_assert!(cal.add_working_days(start, n + 1).unwrap() > cal.add_working_days(start, n).unwrap());
    }

    #[test]
    fn adding_round_trips_with_counting(start in covered_date(), n in 0u32..150) {
        let cal = vn();
        let end = cal.add_working_days(start, n).unwrap();
        prop_assert_eq!(cal.working_days_between(start, end).unwrap(), n);
    }

    #[test]
    fn counting_never_counts_a_non_working_day(a in covered_date(), len in 0i64..60) {
        let cal = vn();
        let b = a + chrono::Duration::days(len);
        let mut manual = 0;
        let mut day = a;
        while day < b {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day).unwrap() { manual += 1; }
        }
        prop_assert_eq!(cal.working_days_between(a, b).unwrap(), manual);
    }
}
