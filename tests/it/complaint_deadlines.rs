//! Worked cases of the legal clocks of citizens' reports (legal brief §7): each row is a report,
//! the clock asked, and the last day computed by hand on the national calendar (Tết 16–20/2/2026,
//! 27/4, 30/4, 1/5, 1–2/9/2026 and weekends off). Each is named after the article it exercises.

use chrono::NaiveDate;
use congvu_core::calendar::WorkCalendar;
use congvu_core::complaint::{Clock, ComplaintRules, Kind, ReportFacts, Variant, deadlines};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// (name, kind, variant, received, accepted, extensions, clock, expected last day)
type Row = (
    &'static str,
    Kind,
    Variant,
    NaiveDate,
    Option<NaiveDate>,
    u32,
    Clock,
    Option<NaiveDate>,
);

fn rows() -> Vec<Row> {
    use Clock::*;
    use Kind::*;
    use Variant::*;
    vec![
        // Feedback: forwarded within 5 working days (Decree 20/2008 Art. 9).
        // Fri 13/2 → 23, 24, 25, 26, 27/2 (16–20/2 is Tết).
        (
            "nd_20_2008_art_9_feedback_forwarded_in_5_working_days_across_tet",
            Feedback,
            Standard,
            d(2026, 2, 13),
            None,
            0,
            Forward,
            Some(d(2026, 2, 27)),
        ),
        // Thu 23/4 → 24/4, (27/4 off) 28, 29/4, (30/4, 1/5 off) 4, 5/5.
        (
            "nd_20_2008_art_9_feedback_across_hung_kings_30_4_and_1_5",
            Feedback,
            Standard,
            d(2026, 4, 23),
            None,
            0,
            Forward,
            Some(d(2026, 5, 5)),
        ),
        // Received on a Saturday: the count starts with Monday 9/3 → 13/3.
        (
            "nd_20_2008_art_9_feedback_received_on_a_saturday",
            Feedback,
            Standard,
            d(2026, 3, 7),
            None,
            0,
            Forward,
            Some(d(2026, 3, 13)),
        ),
        // Complaint acceptance, 10 working days before 1/7/2026 (Law Art. 27; Circular 07/2013).
        // Tue 10/2 → 11, 12, 13/2, 23, 24, 25, 26, 27/2, 2, 3/3.
        (
            "luat_khieu_nai_2011_art_27_acceptance_10_working_days_across_tet",
            Complaint,
            Standard,
            d(2026, 2, 10),
            None,
            0,
            Acceptance,
            Some(d(2026, 3, 3)),
        ),
        // Received 30/6/2026, still the 10-day rule → 1, 2, 3, 6, 7, 8, 9, 10, 13, 14/7.
        (
            "luat_khieu_nai_2011_art_27_received_30_june_2026_keeps_10_days",
            Complaint,
            Standard,
            d(2026, 6, 30),
            None,
            0,
            Acceptance,
            Some(d(2026, 7, 14)),
        ),
        // From 1/7/2026: 7 working days (Decree 124/2020 Art. 16(1) as amended by 155/2026).
        // Wed 1/7 → 2, 3, 6, 7, 8, 9, 10/7.
        (
            "nd_155_2026_art_10_acceptance_7_working_days_from_1_july_2026",
            Complaint,
            Standard,
            d(2026, 7, 1),
            None,
            0,
            Acceptance,
            Some(d(2026, 7, 10)),
        ),
        // Fri 28/8 → 31/8, (1–2/9 off) 3, 4, 7, 8, 9, 10/9.
        (
            "nd_155_2026_art_10_acceptance_across_national_day",
            Complaint,
            Standard,
            d(2026, 8, 28),
            None,
            0,
            Acceptance,
            Some(d(2026, 9, 10)),
        ),
        // Resolution from acceptance (Law Art. 28), in calendar days as shipped.
        (
            "luat_khieu_nai_2011_art_28_resolution_30_days",
            Complaint,
            Standard,
            d(2026, 2, 10),
            Some(d(2026, 3, 3)),
            0,
            Resolution,
            Some(d(2026, 4, 2)),
        ),
        (
            "luat_khieu_nai_2011_art_28_complex_resolution_45_days",
            Complaint,
            Complex,
            d(2026, 2, 10),
            Some(d(2026, 3, 3)),
            0,
            Resolution,
            Some(d(2026, 4, 17)),
        ),
        (
            "luat_khieu_nai_2011_art_28_remote_resolution_45_days",
            Complaint,
            Remote,
            d(2026, 2, 10),
            Some(d(2026, 3, 3)),
            0,
            Resolution,
            Some(d(2026, 4, 17)),
        ),
        (
            "luat_khieu_nai_2011_art_28_remote_complex_resolution_60_days",
            Complaint,
            RemoteComplex,
            d(2026, 2, 10),
            Some(d(2026, 3, 3)),
            0,
            Resolution,
            Some(d(2026, 5, 2)),
        ),
        // Not accepted yet: no resolution clock.
        (
            "luat_khieu_nai_2011_art_28_no_resolution_clock_before_acceptance",
            Complaint,
            Standard,
            d(2026, 2, 10),
            None,
            0,
            Resolution,
            None,
        ),
        // Denunciation, initial handling 7 working days (Law on Denunciations Art. 24(1)).
        // Thu 12/2 → 13/2, 23, 24, 25, 26, 27/2, 2/3.
        (
            "luat_to_cao_2018_art_24_1_initial_handling_7_working_days_across_tet",
            Denunciation,
            Standard,
            d(2026, 2, 12),
            None,
            0,
            InitialHandling,
            Some(d(2026, 3, 2)),
        ),
        // Verification at several places: 10 → … 2, 3, 4, 5/3.
        (
            "luat_to_cao_2018_art_24_1_several_places_10_working_days",
            Denunciation,
            SeveralPlaces,
            d(2026, 2, 12),
            None,
            0,
            InitialHandling,
            Some(d(2026, 3, 5)),
        ),
        // Forward within 5 working days (Art. 24(2)): Wed 30/12/2026 → 31/12, (1/1/2027 off) 4, 5, 6, 7/1.
        (
            "luat_to_cao_2018_art_24_2_forward_5_working_days_across_new_year",
            Denunciation,
            Standard,
            d(2026, 12, 30),
            None,
            0,
            Forward,
            Some(d(2027, 1, 7)),
        ),
        // Resolution 30 days from acceptance, +30 per extension, at most two (Art. 30).
        (
            "luat_to_cao_2018_art_30_resolution_30_days",
            Denunciation,
            Standard,
            d(2026, 2, 12),
            Some(d(2026, 3, 10)),
            0,
            Resolution,
            Some(d(2026, 4, 9)),
        ),
        (
            "luat_to_cao_2018_art_30_one_extension_complex",
            Denunciation,
            Standard,
            d(2026, 2, 12),
            Some(d(2026, 3, 10)),
            1,
            Resolution,
            Some(d(2026, 5, 9)),
        ),
        (
            "luat_to_cao_2018_art_30_two_extensions_especially_complex",
            Denunciation,
            Standard,
            d(2026, 2, 12),
            Some(d(2026, 3, 10)),
            2,
            Resolution,
            Some(d(2026, 6, 8)),
        ),
        (
            "luat_to_cao_2018_art_30_no_third_extension",
            Denunciation,
            Standard,
            d(2026, 2, 12),
            Some(d(2026, 3, 10)),
            3,
            Resolution,
            Some(d(2026, 6, 8)),
        ),
        // An anonymous tip is not a denunciation: no legal clock (Art. 25).
        (
            "luat_to_cao_2018_art_25_anonymous_tip_has_no_legal_clock",
            AnonymousTip,
            Standard,
            d(2026, 2, 12),
            None,
            0,
            InitialHandling,
            None,
        ),
    ]
}

#[test]
fn complaint_deadlines_match_hand_computed_dates() {
    let rules = ComplaintRules::national().unwrap();
    let calendar = WorkCalendar::national().unwrap();
    let mut failures = Vec::new();
    let all = rows();
    for (name, kind, variant, received_on, accepted_on, extensions, clock, expected) in &all {
        let facts = ReportFacts {
            kind: *kind,
            variant: *variant,
            received_on: *received_on,
            accepted_on: *accepted_on,
            extensions: *extensions,
        };
        let found = deadlines(&rules, facts, &calendar).map(|all| {
            all.into_iter()
                .find(|due| due.clock == *clock)
                .map(|due| due.due_on)
        });
        match found {
            Ok(found) if found == *expected => {}
            other => failures.push(format!("{name}: expected {expected:?}, found {other:?}")),
        }
    }
    assert!(all.len() >= 20, "a table of at least 20 worked cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
