#![allow(clippy::unwrap_used, reason = "a failed step must stop the test")]

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn nd_234_2026_art_15_a_person_present_reads_a_self_criticism() {
    assert_eq!(
        check_review(false, None),
        Err(ParticularsError::SelfCriticismRequired)
    );
    assert_eq!(check_review(true, None), Ok(()));
    // Absent with a written request, or at the second convocation: the meeting goes ahead.
    for absent in ReviewAbsence::ALL {
        assert_eq!(check_review(false, Some(absent)), Ok(()));
    }
    assert_eq!(ReviewAbsence::parse("ill"), None);
}

#[test]
fn nd_234_2026_art_14_a_council_member_is_listed_once() {
    let (a, b, c) = (
        PersonId::from_uuid(Uuid::from_u128(1)),
        PersonId::from_uuid(Uuid::from_u128(2)),
        PersonId::from_uuid(Uuid::from_u128(3)),
    );
    assert_eq!(check_council_members(&[a, b, c]), Ok(()));
    assert_eq!(
        check_council_members(&[a, b, a]),
        Err(ParticularsError::MemberListedTwice)
    );
}

#[test]
fn nd_234_2026_art_16_the_convocation_goes_out_five_working_days_before_the_meeting() {
    let cal = WorkCalendar::national().unwrap();
    // A meeting on Tuesday 24 February 2026: the convocation by Tuesday 10 February.
    let meeting = d(2026, 2, 24);
    assert_eq!(
        check_convocation(d(2026, 2, 10), meeting, StepLimits::ND_234_2026, &cal),
        Ok(())
    );
    assert_eq!(
        check_convocation(d(2026, 2, 11), meeting, StepLimits::ND_234_2026, &cal),
        Err(ParticularsError::ConvocationLate {
            latest: d(2026, 2, 10),
            working_days: 5
        })
    );
    // A meeting the calendar does not cover is an error, not a pass.
    assert!(matches!(
        check_convocation(d(1990, 1, 1), d(1990, 1, 20), StepLimits::ND_234_2026, &cal),
        Err(ParticularsError::Calendar(_))
    ));
}

#[test]
fn nd_234_2026_art_15_16_meetings_cite_their_minutes() {
    for step in ["hold_review", "hold_council"] {
        let needed = documents_required(step);
        assert_eq!(needed, [DocumentKind::Minutes]);
        assert_eq!(
            check_documents(&[DocumentKind::Report], needed),
            Err(ParticularsError::DocumentRequired(DocumentKind::Minutes))
        );
        assert_eq!(
            check_documents(&[DocumentKind::Report, DocumentKind::Minutes], needed),
            Ok(())
        );
    }
    assert!(documents_required("recommend").is_empty());
    assert_eq!(check_documents(&[], documents_required("decide")), Ok(()));
}

#[test]
fn nd_234_2026_art_2_6_a_party_decision_skip_names_the_party_form_and_only_it_does() {
    assert_eq!(check_skip(SkipToDecision::PartyDecision, true), Ok(()));
    assert_eq!(
        check_skip(SkipToDecision::PartyDecision, false),
        Err(ParticularsError::PartyParticulars)
    );
    assert_eq!(
        check_skip(SkipToDecision::CourtConviction, true),
        Err(ParticularsError::PartyParticulars)
    );
    assert_eq!(
        check_skip(SkipToDecision::ConclusionProposesForm, false),
        Ok(())
    );
}

#[test]
fn nd_234_2026_art_2_9_effect_counts_from_the_party_decision_except_forced_resignation() {
    let (signed, announced) = (d(2026, 3, 10), d(2026, 3, 2));
    // Without a Party decision: from the signing.
    assert_eq!(
        check_effective_on(Form::CanhCao, signed, None, d(2026, 3, 9)),
        Err(ParticularsError::EffectiveTooEarly { earliest: signed })
    );
    // With one: from its announcement, even before the signing.
    assert_eq!(
        check_effective_on(Form::CanhCao, signed, Some(announced), announced),
        Ok(())
    );
    assert_eq!(
        check_effective_on(Form::CanhCao, signed, Some(announced), d(2026, 3, 1)),
        Err(ParticularsError::EffectiveTooEarly {
            earliest: announced
        })
    );
    // Forced resignation counts from the signing regardless.
    assert_eq!(
        earliest_effective(Form::BuocThoiViec, signed, Some(announced)),
        signed
    );
}

#[test]
fn nd_234_2026_art_12_a_managers_case_is_decided_by_the_unit_above() {
    let (unit, parent) = (
        UnitId::from_uuid(Uuid::from_u128(10)),
        UnitId::from_uuid(Uuid::from_u128(1)),
    );
    assert_eq!(competent_unit(unit, Some(parent), true), parent);
    assert_eq!(competent_unit(unit, Some(parent), false), unit);
    // The top of the tree decides its own.
    assert_eq!(competent_unit(unit, None, true), unit);
}

#[test]
fn nd_234_2026_art_5_3_four_acts_have_no_limitation_period() {
    let codes: Vec<&str> = NoLimitation::ALL.iter().map(|n| n.code()).collect();
    assert_eq!(
        codes,
        [
            "party_expulsion",
            "internal_political_protection",
            "national_interest",
            "false_degrees"
        ]
    );
    for n in NoLimitation::ALL {
        assert_eq!(NoLimitation::parse(n.code()), Some(n));
    }
    for k in DocumentKind::ALL {
        assert_eq!(DocumentKind::parse(k.code()), Some(k));
    }
    for r in CouncilRole::ALL {
        assert_eq!(CouncilRole::parse(r.code()), Some(r));
    }
    assert_eq!(NoLimitation::parse("murder"), None);
}
