use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn council(on: NaiveDate) -> Step {
    Step::FormCouncil {
        on,
        members: 3,
        has_chair: true,
        conflicted: false,
    }
}

fn ballots(yes: u8, no: u8, form: Option<Form>) -> Ballots {
    Ballots {
        members: yes + no,
        discipline_yes: yes,
        discipline_no: no,
        form,
    }
}

fn run(steps: &[Step]) -> Result<Stage, StepError> {
    steps
        .iter()
        .try_fold(Stage::Opened, |stage, step| advance(&stage, step))
}

/// Decree 234/2026 Art. 13–18: review meeting → council → recommendation → decision; a decision
/// can later be annulled (Art. 22).
#[test]
fn the_three_steps_in_order_nd_234_2026_art_13_18() {
    let stage = run(&[
        Step::HoldReview { on: d(2026, 9, 1) },
        council(d(2026, 9, 4)),
        Step::HoldCouncil {
            on: d(2026, 9, 15),
            ballots: ballots(2, 1, Some(Form::KhienTrach)),
        },
        Step::Recommend { on: d(2026, 9, 18) },
        Step::Decide {
            on: d(2026, 9, 22),
            form: Form::KhienTrach,
        },
    ])
    .unwrap();
    assert_eq!(
        stage,
        Stage::Decided {
            on: d(2026, 9, 22),
            form: Form::KhienTrach
        }
    );
    assert!(matches!(
        advance(&stage, &Step::Annul { on: d(2026, 12, 1) }),
        Ok(Stage::Annulled { .. })
    ));
    assert!(matches!(
        advance(
            &stage,
            &Step::Decide {
                on: d(2026, 12, 1),
                form: Form::CanhCao
            }
        ),
        Err(StepError::OutOfOrder { .. })
    ));
}

/// Decree 234/2026 Art. 13 (brief §3.6): the review may be skipped (former unit, already
/// reviewed); review and council may be skipped (conviction, Party decision, a conclusion).
#[test]
fn legal_skip_edges_nd_234_2026_art_13() {
    let via_council = run(&[
        Step::SkipReview {
            on: d(2026, 9, 1),
            why: SkipReview::FormerUnit,
        },
        council(d(2026, 9, 3)),
    ])
    .unwrap();
    assert!(matches!(via_council, Stage::CouncilFormed { .. }));
    let direct = run(&[
        Step::SkipToDecision {
            on: d(2026, 9, 1),
            why: SkipToDecision::CourtConviction,
        },
        Step::Decide {
            on: d(2026, 9, 2),
            form: Form::BuocThoiViec,
        },
    ])
    .unwrap();
    assert!(matches!(
        direct,
        Stage::Decided {
            form: Form::BuocThoiViec,
            ..
        }
    ));
    assert!(matches!(
        run(&[Step::Decide {
            on: d(2026, 9, 1),
            form: Form::KhienTrach
        }]),
        Err(StepError::OutOfOrder { .. })
    ));
}

/// Decree 234/2026 Art. 14 and Art. 2(11): three members with a chair; no relative or interested
/// person.
#[test]
fn council_composition_and_conflicts_nd_234_2026_art_2_11_art_14() {
    let reviewed = Stage::Reviewed { on: d(2026, 9, 1) };
    let two = Step::FormCouncil {
        on: d(2026, 9, 2),
        members: 2,
        has_chair: true,
        conflicted: false,
    };
    assert!(matches!(
        advance(&reviewed, &two),
        Err(StepError::Council(_))
    ));
    let conflicted = Step::FormCouncil {
        on: d(2026, 9, 2),
        members: 3,
        has_chair: true,
        conflicted: true,
    };
    assert!(matches!(
        advance(&reviewed, &conflicted),
        Err(StepError::Council(_))
    ));
}

/// Decree 234/2026 Art. 15: two secret ballots, the form only after a majority for discipline;
/// a council against discipline leads to a conclusion of no violation.
#[test]
fn two_secret_ballots_nd_234_2026_art_15() {
    let formed = Stage::CouncilFormed { on: d(2026, 9, 2) };
    let on = d(2026, 9, 10);
    assert!(matches!(
        advance(
            &formed,
            &Step::HoldCouncil {
                on,
                ballots: ballots(1, 2, Some(Form::KhienTrach))
            }
        ),
        Err(StepError::Ballots(_))
    ));
    assert!(matches!(
        advance(
            &formed,
            &Step::HoldCouncil {
                on,
                ballots: ballots(2, 1, None)
            }
        ),
        Err(StepError::Ballots(_))
    ));
    let wrong_sum = Ballots {
        members: 3,
        discipline_yes: 1,
        discipline_no: 1,
        form: None,
    };
    assert!(matches!(
        advance(
            &formed,
            &Step::HoldCouncil {
                on,
                ballots: wrong_sum
            }
        ),
        Err(StepError::Ballots(_))
    ));
    let against = run(&[
        Step::HoldReview { on: d(2026, 9, 1) },
        council(d(2026, 9, 2)),
        Step::HoldCouncil {
            on,
            ballots: ballots(1, 2, None),
        },
        Step::Recommend { on: d(2026, 9, 11) },
        Step::ConcludeNoViolation { on: d(2026, 9, 14) },
    ])
    .unwrap();
    assert_eq!(against, Stage::NoViolation { on: d(2026, 9, 14) });
}

#[test]
fn a_step_cannot_be_dated_before_the_one_it_follows() {
    assert_eq!(
        advance(
            &Stage::Reviewed { on: d(2026, 9, 10) },
            &council(d(2026, 9, 9))
        ),
        Err(StepError::Backdated)
    );
}

/// Decree 234/2026 Art. 13(3): the review report is due within 3 working days — across Tết 2026
/// (16–20 February) a review on Friday 13 February is due on Wednesday 25 February.
#[test]
fn step_deadlines_in_working_days_across_tet_nd_234_2026_art_13() {
    let cal = WorkCalendar::national().unwrap();
    let due = next_deadline(
        &Stage::Reviewed { on: d(2026, 2, 13) },
        StepLimits::ND_234_2026,
        &cal,
    )
    .unwrap();
    assert_eq!(due, Some(("report_and_minutes", d(2026, 2, 25))));
    let decision = next_deadline(
        &Stage::Recommended {
            on: d(2026, 4, 24),
            form: None,
            conviction: false,
        },
        StepLimits::ND_234_2026,
        &cal,
    )
    .unwrap();
    // 27/4 (Hùng Kings, compensatory), 30/4 and 1/5 are off: 28, 29, 4, 5, 6 May.
    assert_eq!(decision, Some(("decision", d(2026, 5, 6))));
    // A council meeting on Tuesday 24 February 2026 needs the convocation by Tuesday 10 February.
    assert_eq!(
        convocation_deadline(d(2026, 2, 24), StepLimits::ND_234_2026, &cal).unwrap(),
        d(2026, 2, 10)
    );
}

fn step() -> impl Strategy<Value = Step> {
    let on = (0i64..60).prop_map(|n| d(2026, 9, 1) + chrono::Duration::days(n));
    let form = proptest::sample::select(super::super::Form::ALL.to_vec());
    prop_oneof![
        on.clone().prop_map(|on| Step::HoldReview { on }),
        on.clone().prop_map(|on| Step::SkipReview {
            on,
            why: SkipReview::AlreadyReviewed
        }),
        (on.clone(), 1u8..5, any::<bool>(), any::<bool>()).prop_map(
            |(on, members, has_chair, conflicted)| Step::FormCouncil {
                on,
                members,
                has_chair,
                conflicted
            }
        ),
        (
            on.clone(),
            0u8..4,
            0u8..4,
            proptest::option::of(form.clone())
        )
            .prop_map(|(on, y, n, form)| Step::HoldCouncil {
                on,
                ballots: Ballots {
                    members: y + n,
                    discipline_yes: y,
                    discipline_no: n,
                    form
                }
            }),
        on.clone().prop_map(|on| Step::Recommend { on }),
        on.clone().prop_map(|on| Step::SkipToDecision {
            on,
            why: SkipToDecision::PartyDecision
        }),
        (on.clone(), form).prop_map(|(on, form)| Step::Decide { on, form }),
        on.clone().prop_map(|on| Step::ConcludeNoViolation { on }),
        on.prop_map(|on| Step::Annul { on }),
    ]
}

proptest! {
    /// No sequence of allowed steps reaches an invalid case: a decision always follows a
    /// recommendation, a council vote always had a valid council, dates never go backwards, and a
    /// concluded or annulled case never moves again.
    #[test]
    fn no_sequence_of_allowed_steps_reaches_an_invalid_case(steps in proptest::collection::vec(step(), 0..25)) {
        let mut stage = Stage::Opened;
        for step in &steps {
            let Ok(next) = advance(&stage, step) else { continue };
            match (&stage, &next) {
                (Stage::Recommended { .. }, Stage::Decided { .. } | Stage::NoViolation { .. }) => {}
                (_, Stage::Decided { .. } | Stage::NoViolation { .. }) => prop_assert!(false, "decided without a recommendation"),
                (Stage::CouncilFormed { .. }, Stage::CouncilMet { discipline, form, .. }) => prop_assert_eq!(*discipline, form.is_some()),
                (_, Stage::CouncilMet { .. }) => prop_assert!(false, "a council met without being formed"),
                (Stage::NoViolation { .. } | Stage::Annulled { .. }, _) => prop_assert!(false, "a closed case moved"),
                _ => {}
            }
            if let (Some(a), Some(b)) = (stage.date(), next.date()) {
                prop_assert!(b >= a, "dates went backwards");
            }
            stage = next;
        }
    }
}

/// Issue 19: replaying history applies a recorded step without judging it. A council of two
/// (Nghị định 234/2026 Điều 14 wants three) and ballots that do not add up (Điều 16) are refused
/// when recorded, yet a stored one still leads where it led.
#[test]
fn apply_replays_what_check_step_refuses_today_nd_234_2026_art_14_16() {
    let reviewed = Stage::Reviewed { on: d(2026, 2, 5) };
    let two = Step::FormCouncil {
        on: d(2026, 2, 12),
        members: 2,
        has_chair: true,
        conflicted: false,
    };
    assert!(matches!(
        check_step(&reviewed, &two),
        Err(StepError::Council(_))
    ));
    let formed = apply(&reviewed, &two);
    assert_eq!(formed, Stage::CouncilFormed { on: d(2026, 2, 12) });
    let uneven = Step::HoldCouncil {
        on: d(2026, 2, 20),
        ballots: Ballots {
            members: 3,
            discipline_yes: 2,
            discipline_no: 0,
            form: Some(Form::KhienTrach),
        },
    };
    assert!(matches!(
        check_step(&formed, &uneven),
        Err(StepError::Ballots(_))
    ));
    let met = apply(&formed, &uneven);
    assert_eq!(
        met,
        Stage::CouncilMet {
            on: d(2026, 2, 20),
            discipline: true,
            form: Some(Form::KhienTrach),
        }
    );
    // What the council voted carries to the recommendation, as when it was checked.
    let recommended = apply(&met, &Step::Recommend { on: d(2026, 2, 25) });
    assert_eq!(
        recommended,
        Stage::Recommended {
            on: d(2026, 2, 25),
            form: Some(Form::KhienTrach),
            conviction: false,
        }
    );
}

proptest! {
    /// Whatever `advance` accepts, `apply` leads to the same stage: checking and applying split
    /// without changing the procedure.
    #[test]
    fn advance_is_check_then_apply(yes in 0u8..5, no in 0u8..5, members in 0u8..5, chair: bool, form: bool) {
        let reviewed = Stage::Reviewed { on: d(2026, 2, 5) };
        let council = Step::FormCouncil { on: d(2026, 2, 6), members, has_chair: chair, conflicted: false };
        if let Ok(next) = advance(&reviewed, &council) {
            prop_assert_eq!(next, apply(&reviewed, &council));
        }
        let formed = Stage::CouncilFormed { on: d(2026, 2, 6) };
        let meeting = Step::HoldCouncil {
            on: d(2026, 2, 9),
            ballots: Ballots { members: yes.saturating_add(no), discipline_yes: yes, discipline_no: no, form: form.then_some(Form::CanhCao) },
        };
        if let Ok(next) = advance(&formed, &meeting) {
            prop_assert_eq!(next, apply(&formed, &meeting));
        }
    }
}
