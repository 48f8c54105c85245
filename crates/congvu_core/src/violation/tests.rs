use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn input<'a>() -> ViolationInput<'a> {
    ViolationInput {
        item_code: "khong-1",
        source: "citizen_complaint",
        started_on: Some(d(2026, 9, 1)),
        ended_on: Some(d(2026, 9, 1)),
        discovered_on: Some(d(2026, 9, 3)),
        place: Some("Bộ phận Một cửa"),
        consequence: "less_serious",
        description: "Gây khó khăn, yêu cầu người dân đi lại nhiều lần",
    }
}

#[test]
fn a_good_violation_parses_with_normalised_fields() {
    let v = NewViolation::parse(&input(), d(2026, 9, 10)).unwrap();
    assert_eq!(v.item_code, "KHONG-1");
    assert_eq!(v.source, Source::CitizenComplaint);
    assert_eq!(v.limitation_starts(), Some(d(2026, 9, 1)));
}

#[test]
fn every_bad_field_and_date_order_is_reported() {
    let bad = ViolationInput {
        item_code: "",
        source: "rumour",
        started_on: Some(d(2026, 9, 5)),
        ended_on: Some(d(2026, 9, 1)),
        discovered_on: Some(d(2026, 9, 20)),
        consequence: "huge",
        description: " ",
        ..input()
    };
    let DomainError::Invalid(fields) = NewViolation::parse(&bad, d(2026, 9, 10)).unwrap_err()
    else {
        panic!()
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        names,
        [
            "item_code",
            "source",
            "consequence",
            "description",
            "ended_on",
            "discovered_on"
        ]
    );
}

/// The life of a violation: reported → under verification → confirmed | dismissed.
#[test]
fn transitions_follow_the_life_of_a_violation() {
    assert_eq!(
        transition(State::Reported, State::UnderVerification),
        Ok(State::UnderVerification)
    );
    assert!(transition(State::Reported, State::Confirmed).is_err());
    assert_eq!(
        transition(State::UnderVerification, State::Dismissed),
        Ok(State::Dismissed)
    );
    assert!(transition(State::Confirmed, State::Dismissed).is_err());
}

proptest! {
    /// No sequence of allowed transitions leaves a final state or skips verification.
    #[test]
    fn no_transition_sequence_reaches_an_invalid_state(steps in proptest::collection::vec(proptest::sample::select(State::ALL.to_vec()), 0..20)) {
        let mut state = State::Reported;
        let mut verified = false;
        for to in steps {
            if let Ok(next) = transition(state, to) {
                prop_assert!(!matches!(state, State::Confirmed | State::Dismissed));
                verified |= next == State::UnderVerification;
                if matches!(next, State::Confirmed | State::Dismissed) {
                    prop_assert!(verified);
                }
                state = next;
            }
        }
    }
}
