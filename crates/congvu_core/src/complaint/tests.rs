use chrono::NaiveDate;
use proptest::prelude::*;

use super::receipt::{Receipt, ReceiptError};
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Damm's published example: 572 has check digit 4.
#[test]
fn damm_check_digit_matches_the_published_example() {
    let r = Receipt::from_random([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 7, 2]);
    assert_eq!(r.digits(), "0000000000005724");
    assert_eq!(r.to_string(), "0000-0000-0000-5724");
    assert_eq!(Receipt::parse("0000 0000 0000 5724"), Ok(r));
    assert_eq!(
        Receipt::parse("0000-0000-0000-5723"),
        Err(ReceiptError::Check)
    );
    assert_eq!(
        Receipt::parse("0000-0000-0000-572"),
        Err(ReceiptError::Shape)
    );
    assert_eq!(
        Receipt::parse("0000-0000-0000-57241"),
        Err(ReceiptError::Shape)
    );
    assert_eq!(
        Receipt::parse("0000-0000-0000-572a"),
        Err(ReceiptError::Shape)
    );
}

#[test]
fn a_receipt_never_prints_itself_in_debug() {
    let r = Receipt::from_random([1; 15]);
    assert_eq!(format!("{r:?}"), "Receipt(****)");
    assert_eq!(r.prefix(), "1111");
}

proptest! {
    /// Every receipt built reads back; any single wrong digit and any swap of two different
    /// neighbouring digits is caught by the check digit.
    #[test]
    fn typos_are_caught(random in proptest::array::uniform15(0u8..10), at in 0usize..16, by in 1u8..10, swap in 0usize..15) {
        let r = Receipt::from_random(random);
        let digits = r.digits();
        prop_assert_eq!(Receipt::parse(&r.to_string()), Ok(r.clone()));
        let mut wrong: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        wrong[at] = (wrong[at] + by) % 10;
        let typed: String = wrong.iter().map(|d| char::from(b'0' + d)).collect();
        prop_assert_eq!(Receipt::parse(&typed), Err(ReceiptError::Check));
        let mut swapped: Vec<u8> = digits.bytes().collect();
        if swapped[swap] != swapped[swap + 1] {
            swapped.swap(swap, swap + 1);
            let typed = String::from_utf8(swapped).unwrap();
            prop_assert_eq!(Receipt::parse(&typed), Err(ReceiptError::Check));
        }
    }
}

#[test]
fn the_shipped_rules_parse_and_every_kind_with_identity_has_a_first_clock() {
    let rules = ComplaintRules::national().unwrap();
    let day = d(2026, 3, 2);
    assert!(
        rules
            .rule(Kind::Feedback, Clock::Forward, Variant::Standard, day)
            .is_some()
    );
    assert!(
        rules
            .rule(Kind::Complaint, Clock::Acceptance, Variant::Standard, day)
            .is_some()
    );
    assert!(
        rules
            .rule(
                Kind::Denunciation,
                Clock::InitialHandling,
                Variant::Standard,
                day
            )
            .is_some()
    );
    assert!(Clock::ALL.iter().all(|c| {
        rules
            .rule(Kind::AnonymousTip, *c, Variant::Standard, day)
            .is_none()
    }));
}

/// Law on Denunciations Art. 30: at most two extensions.
#[test]
fn a_denunciation_is_extended_at_most_twice_luat_to_cao_art_30() {
    let rules = ComplaintRules::national().unwrap();
    assert_eq!(may_extend(&rules, Kind::Denunciation, 0), Ok(()));
    assert_eq!(may_extend(&rules, Kind::Denunciation, 1), Ok(()));
    assert!(matches!(
        may_extend(&rules, Kind::Denunciation, 2),
        Err(ExtensionRefusal::Exhausted { max: 2, .. })
    ));
    assert_eq!(
        may_extend(&rules, Kind::Complaint, 0),
        Err(ExtensionRefusal::NotExtendable)
    );
}

mod intake {
    use super::super::Kind;
    use super::super::intake::{IdentityInput, NewReport, ReportInput};
    use super::d;

    fn input<'a>() -> ReportInput<'a> {
        ReportInput {
            unit_code: Some("hy-ph"),
            description: "  Cán bộ yêu cầu nộp thêm tiền ngoài quy định ",
            ..ReportInput::default()
        }
    }

    /// Decree 20/2008 Art. 7 and Law on Denunciations Art. 25: without an identity a report is an
    /// anonymous tip, whatever the citizen calls it.
    #[test]
    fn an_anonymous_report_is_an_anonymous_tip_luat_to_cao_art_25() {
        let r = NewReport::parse(
            &ReportInput {
                kind: Some("denunciation"),
                ..input()
            },
            d(2026, 3, 10),
        )
        .unwrap();
        assert_eq!(r.kind, Kind::AnonymousTip);
        assert_eq!(r.claimed, Some(Kind::Denunciation));
        assert_eq!(r.unit_code.as_deref(), Some("HY-PH"));
        assert_eq!(r.description, "Cán bộ yêu cầu nộp thêm tiền ngoài quy định");
        let named = NewReport::parse(
            &ReportInput {
                identity: Some(IdentityInput {
                    name: "Trần Văn Bình",
                    email: Some("binh@example.vn"),
                    ..IdentityInput::default()
                }),
                ..input()
            },
            d(2026, 3, 10),
        )
        .unwrap();
        assert_eq!(named.kind, Kind::Feedback);
        assert_eq!(format!("{:?}", named.identity), "Some(Identity(****))");
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let err = NewReport::parse(
            &ReportInput {
                unit_code: None,
                description: " ",
                occurred_on: Some(d(2026, 3, 11)),
                kind: Some("anonymous_tip"),
                identity: Some(IdentityInput {
                    name: "",
                    phone: Some("09x"),
                    email: Some("not-an-email"),
                    ..IdentityInput::default()
                }),
                ..input()
            },
            d(2026, 3, 10),
        )
        .unwrap_err();
        let crate::DomainError::Invalid(fields) = err else {
            panic!("{err:?}")
        };
        let mut names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "description",
                "identity.email",
                "identity.name",
                "identity.phone",
                "kind",
                "occurred_on",
                "unit_code"
            ]
        );
    }
}
