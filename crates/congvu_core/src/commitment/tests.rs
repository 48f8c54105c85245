//! Commitments: template content and its hash, standing from signing events, audience by
//! employment, counterparty, roll-up.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::audience::{Membership, Slice, counterparty, membership};
use super::rollup::{Counts, Node, rollup};
use super::signing::{Event, Standing, standing};
use super::*;
use crate::ids::UnitId;
use crate::legal::{Confidence, Validity};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("date"))
}

fn template(text: &str) -> TemplateContent {
    let basis = LegalBasis::new("Chỉ thị 26/CT-TTg", Some("mục 1"), Confidence::Verified)
        .unwrap_or_else(|e| panic!("{e}"));
    TemplateContent::parse(
        2026,
        "Bản cam kết thực hiện kỷ luật, kỷ cương hành chính năm 2026",
        &[
            ItemInput {
                code: "CK-01",
                text: "Không uống rượu, bia trong giờ làm việc, giờ nghỉ trưa của ngày làm việc",
                set_key: Some("ct26_2016"),
                item_code: Some("CT26-5"),
                basis: Some(&basis),
            },
            ItemInput {
                code: "CK-02",
                text,
                set_key: None,
                item_code: None,
                basis: None,
            },
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Brief §9.1 design: a signature acknowledges the exact text, so any change of text changes
/// the hash and a revision asks everyone to sign again.
#[test]
fn the_hash_pins_the_exact_text() {
    let a = template("Chấp hành nghiêm kỷ luật nếu vi phạm cam kết");
    let b = template("Chấp hành nghiêm kỷ luật nếu vi phạm cam kết.");
    assert_eq!(
        a.hash(),
        template("Chấp hành nghiêm kỷ luật nếu vi phạm cam kết").hash()
    );
    assert_ne!(a.hash(), b.hash());
    assert_eq!(a.hash().len(), 64);
}

#[test]
fn a_bad_template_reports_every_problem() {
    let err = TemplateContent::parse(
        1990,
        " ",
        &[
            ItemInput {
                code: "A",
                text: "x",
                set_key: None,
                item_code: None,
                basis: None,
            },
            ItemInput {
                code: "A",
                text: "",
                set_key: Some("5khong"),
                item_code: None,
                basis: None,
            },
        ],
    );
    match err {
        Err(DomainError::Invalid(errors)) => {
            let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(
                fields,
                [
                    "year",
                    "title",
                    "items[1].code",
                    "items[1].text",
                    "items[1].item_code"
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

fn signed(hash: &str, on: NaiveDate) -> Event {
    Event::Signed {
        on,
        template_hash: hash.into(),
        paper: false,
    }
}

#[test]
fn a_signature_counts_only_for_the_version_it_acknowledged() {
    let member = Membership::Member {
        since: d(2026, 1, 5),
    };
    let (v1, v2) = (template("a").hash(), template("b").hash());
    let due = d(2026, 1, 31);
    let events = vec![
        signed(&v1, d(2026, 1, 6)),
        Event::CounterSigned {
            on: d(2026, 1, 7),
            template_hash: v1.clone(),
        },
    ];
    assert_eq!(
        standing(member, &events, &v1, due, d(2026, 1, 8)),
        Standing::CounterSigned
    );
    // Revised to v2: everyone signs again.
    assert_eq!(
        standing(member, &events, &v2, due, d(2026, 1, 8)),
        Standing::Pending
    );
    assert_eq!(
        standing(member, &events, &v2, due, d(2026, 2, 1)),
        Standing::Overdue
    );
    let mut again = events.clone();
    again.push(signed(&v2, d(2026, 2, 2)));
    assert_eq!(
        standing(member, &again, &v2, due, d(2026, 2, 2)),
        Standing::Signed
    );
}

#[test]
fn a_withdrawal_undoes_the_signature_and_a_new_one_restores_it() {
    let member = Membership::Member {
        since: d(2026, 1, 5),
    };
    let v = template("a").hash();
    let mut events = vec![
        signed(&v, d(2026, 1, 6)),
        Event::Withdrawn { on: d(2026, 1, 7) },
    ];
    assert_eq!(
        standing(member, &events, &v, d(2026, 1, 31), d(2026, 1, 8)),
        Standing::Pending
    );
    // A counter-signature without a standing signature counts for nothing.
    events.push(Event::CounterSigned {
        on: d(2026, 1, 8),
        template_hash: v.clone(),
    });
    assert_eq!(
        standing(member, &events, &v, d(2026, 1, 31), d(2026, 1, 8)),
        Standing::Pending
    );
    events.push(Event::Signed {
        on: d(2026, 1, 9),
        template_hash: v.clone(),
        paper: true,
    });
    assert_eq!(
        standing(member, &events, &v, d(2026, 1, 31), d(2026, 1, 9)),
        Standing::Signed
    );
    let left = Membership::Left { on: d(2026, 1, 20) };
    assert_eq!(
        standing(left, &[], &v, d(2026, 1, 31), d(2026, 3, 1)),
        Standing::ClosedOut
    );
}

fn validity(from: NaiveDate, to: Option<NaiveDate>) -> Validity {
    Validity::new(from, to).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_audience_is_the_subtree_at_launch_plus_joiners_minus_leavers() {
    let launch = d(2026, 1, 5);
    let ward = "/p/w/";
    let at_launch = validity(d(2025, 7, 1), None);
    let joined = validity(d(2026, 3, 1), None);
    let left = validity(d(2025, 7, 1), Some(d(2026, 2, 28)));
    let elsewhere = validity(d(2025, 7, 1), None);
    let before = validity(d(2025, 7, 1), Some(d(2025, 12, 31)));
    let today = d(2026, 3, 10);
    let slice = |path, v| {
        vec![Slice {
            unit_path: path,
            validity: v,
        }]
    };
    assert_eq!(
        membership(&slice("/p/w/x/", &at_launch), ward, launch, today),
        Membership::Member { since: launch }
    );
    assert_eq!(
        membership(&slice(ward, &joined), ward, launch, today),
        Membership::Member {
            since: d(2026, 3, 1)
        }
    );
    assert_eq!(
        membership(&slice(ward, &left), ward, launch, today),
        Membership::Left { on: d(2026, 2, 28) }
    );
    assert_eq!(
        membership(&slice("/p/c/", &elsewhere), ward, launch, today),
        Membership::Outside
    );
    assert_eq!(
        membership(&slice(ward, &before), ward, launch, today),
        Membership::Outside
    );
    // Moved from the ward to a sibling commune: closed out in the ward's campaign.
    let moved = vec![
        Slice {
            unit_path: ward,
            validity: &left,
        },
        Slice {
            unit_path: "/p/c/",
            validity: &joined,
        },
    ];
    assert_eq!(
        membership(&moved, ward, launch, today),
        Membership::Left { on: d(2026, 2, 28) }
    );
}

/// Brief §9.1 [R]: an officer signs with the head of their unit; a head signs with the level above.
#[test]
fn staff_sign_with_their_head_and_heads_with_the_level_above() {
    let (unit, parent) = (
        UnitId::from_uuid(Uuid::from_u128(2)),
        UnitId::from_uuid(Uuid::from_u128(1)),
    );
    assert_eq!(counterparty(false, unit, Some(parent)), Some(unit));
    assert_eq!(counterparty(true, unit, Some(parent)), Some(parent));
    assert_eq!(counterparty(true, parent, None), None);
}

#[test]
fn completion_rolls_up_through_a_three_level_tree() {
    let id = |n: u128| UnitId::from_uuid(Uuid::from_u128(n));
    let nodes = [
        Node {
            unit: id(1),
            parent: None,
            depth: 0,
        },
        Node {
            unit: id(2),
            parent: Some(id(1)),
            depth: 1,
        },
        Node {
            unit: id(3),
            parent: Some(id(2)),
            depth: 2,
        },
        Node {
            unit: id(4),
            parent: Some(id(2)),
            depth: 2,
        },
        Node {
            unit: id(5),
            parent: Some(id(1)),
            depth: 1,
        },
    ];
    let mut own: HashMap<UnitId, Counts> = HashMap::new();
    for (unit, standings) in [
        (3, vec![Standing::Signed, Standing::Overdue]),
        (4, vec![Standing::CounterSigned]),
        (2, vec![Standing::Pending]),
        (5, vec![Standing::ClosedOut]),
    ] {
        let counts = own.entry(id(unit)).or_default();
        for s in standings {
            counts.add(s);
        }
    }
    let totals = rollup(&nodes, &own);
    let root = totals[&id(1)];
    assert_eq!(
        (
            root.signed,
            root.counter_signed,
            root.pending,
            root.overdue,
            root.closed_out
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(totals[&id(2)].outstanding(), 2);
    assert_eq!(totals[&id(3)].outstanding(), 1);
    assert_eq!(
        totals[&id(5)],
        Counts {
            closed_out: 1,
            ..Counts::default()
        }
    );
}

#[test]
fn progress_keeps_the_day_and_the_paper_of_the_standing_signature() {
    use super::signing::{Progress, Signature, progress, standing_of};
    let hash = template("A").hash();
    let events = vec![
        Event::Signed {
            on: d(2026, 1, 10),
            template_hash: hash.clone(),
            paper: true,
        },
        Event::CounterSigned {
            on: d(2026, 1, 12),
            template_hash: hash.clone(),
        },
    ];
    let p = progress(&events, &hash);
    assert_eq!(
        p,
        Progress {
            signed: Some(Signature {
                on: d(2026, 1, 10),
                paper: true
            }),
            counter_signed_on: Some(d(2026, 1, 12)),
        }
    );
    let member = Membership::Member {
        since: d(2026, 1, 5),
    };
    assert_eq!(
        standing_of(member, &p, d(2026, 1, 31), d(2026, 3, 1)),
        Standing::CounterSigned
    );
    // A counter-signature given before any signature of the version does not count.
    let early = vec![
        Event::CounterSigned {
            on: d(2026, 1, 9),
            template_hash: hash.clone(),
        },
        signed(&hash, d(2026, 1, 10)),
    ];
    assert_eq!(progress(&early, &hash).counter_signed_on, None);
    assert_eq!(
        Standing::parse("counter_signed"),
        Some(Standing::CounterSigned)
    );
    assert_eq!(Standing::parse("signed_twice"), None);
}

#[test]
fn a_campaign_is_launched_in_its_year_or_the_december_before_and_due_within_it() {
    // Brief §9.1: commitments are signed at the start of the year (start-of-year conference).
    assert!(check_campaign(2026, d(2026, 1, 5), d(2026, 1, 31)).is_ok());
    assert!(check_campaign(2026, d(2025, 12, 20), d(2026, 1, 15)).is_ok());
    let Err(DomainError::Invalid(errors)) = check_campaign(2026, d(2025, 11, 20), d(2025, 11, 10))
    else {
        panic!("expected the dates refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["year", "due_on", "due_on"]);
}

#[test]
fn a_scan_is_a_pdf_or_an_image() {
    assert_eq!(scan_type("application/pdf"), Some("application/pdf"));
    assert_eq!(scan_type("IMAGE/PNG; charset=binary"), Some("image/png"));
    assert_eq!(scan_type("text/html"), None);
}

#[test]
fn a_joiner_has_their_own_days_to_sign_and_is_not_overdue_on_the_first_day() {
    use super::signing::due_for;
    let launch = d(2026, 1, 5);
    let due = d(2026, 1, 31);
    let at_launch = Membership::Member { since: launch };
    assert_eq!(due_for(at_launch, launch, due, 30), due);
    let early_joiner = Membership::Member {
        since: d(2026, 1, 10),
    };
    assert_eq!(due_for(early_joiner, launch, due, 30), d(2026, 2, 9));
    let late_joiner = Membership::Member {
        since: d(2026, 6, 1),
    };
    assert_eq!(due_for(late_joiner, launch, due, 30), d(2026, 7, 1));
    let left = Membership::Left { on: d(2026, 3, 1) };
    assert_eq!(due_for(left, launch, due, 30), due);
}

#[test]
fn the_signature_standing_on_a_day_ignores_later_withdrawals_and_versions() {
    use super::signing::signature_on;
    let v1 = template("A").hash();
    let v2 = template("B").hash();
    let events = vec![
        signed(&v1, d(2026, 1, 10)),
        Event::Withdrawn { on: d(2026, 3, 1) },
        signed(&v2, d(2026, 3, 5)),
    ];
    assert_eq!(signature_on(&events, d(2026, 1, 9)), None);
    assert_eq!(signature_on(&events, d(2026, 2, 1)), Some(0));
    assert_eq!(signature_on(&events, d(2026, 3, 2)), None);
    assert_eq!(signature_on(&events, d(2026, 4, 1)), Some(2));
}
