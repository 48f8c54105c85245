//! Bulk writes (`congvu_db::bulk::insert`, which builds each multi-row INSERT while the one
//! before it runs): people with their slices (500 a statement), evaluations and classification
//! entries (1,000 a statement) must arrive whole, once each, across several statements, on both
//! backends; and a statement that fails while the next one is being built returns its own error
//! and, once the caller's transaction is rolled back, leaves nothing.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::assessment::{Level, Outcome, Period, PeriodKind, Points, Score};
use congvu_core::ids::{EmploymentId, PersonId, UnitId};
use congvu_core::legal::Validity;
use congvu_core::staff::{Category, NewEmployment, NewPerson};
use congvu_db::classification::{self as store, EntryRecord, RoundRecord, RoundState};
use congvu_db::evaluation::EvaluationRecord;
use congvu_db::staff::NewStaff;
use tests::TestApp;
use uuid::Uuid;

/// More than four statements of people (500 each) and more than two of entries (1,000 each):
/// if those chunk sizes grow past this, the tests below stop spanning several statements.
const PEOPLE: usize = 2_345;

/// A province, an emulation officer in it, and `PEOPLE` people employed there, inserted with
/// `staff::insert_people`; the people's rows are checked field by field.
async fn province_with_people(app: &TestApp) -> (UnitId, Uuid, Vec<PersonId>) {
    let root = app.root().await;
    let unit = app
        .unit(&root, "QN", "Tỉnh Quảng Ninh", "province", None)
        .await;
    let (officer, _) = app
        .officer(&root, "tdkt.qn", "emulation_officer", &unit)
        .await;
    let unit = UnitId::from_uuid(unit.parse().expect("unit id"));
    let from = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let people: Vec<NewPerson> = (0..PEOPLE)
        .map(|i| NewPerson {
            staff_code: format!("QN{i:05}"),
            full_name: format!("Vũ Thị \"Mai\" {i}"),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1 + (i % 28) as u32),
            email: None,
        })
        .collect();
    let slices: Vec<NewEmployment> = (0..PEOPLE)
        .map(|i| NewEmployment {
            unit,
            category: Category::CongChuc,
            position: format!("Chuyên viên {i}"),
            is_leader: i == 0,
            validity: Validity::new(from, None).expect("validity"),
        })
        .collect();
    let rows: Vec<NewStaff<'_>> = people
        .iter()
        .zip(&slices)
        .map(|(person, employment)| NewStaff {
            id: PersonId::from_uuid(Uuid::now_v7()),
            person,
            employment_id: EmploymentId::from_uuid(Uuid::now_v7()),
            employment,
        })
        .collect();
    let txn = app.state.db.begin().await.expect("txn");
    congvu_db::staff::insert_people(&txn, &rows, app.state.clock.now())
        .await
        .expect("people inserted");
    txn.commit().await.expect("commit");
    let ids: Vec<PersonId> = rows.iter().map(|r| r.id).collect();
    let stored = congvu_db::staff::people(app.state.db.reader(), &ids)
        .await
        .expect("people");
    assert_eq!(stored.len(), PEOPLE, "every person stored once");
    for p in &stored {
        let k = ids
            .iter()
            .position(|id| *id == p.id)
            .expect("a person inserted");
        assert_eq!(p.staff_code, people[k].staff_code);
        assert_eq!(p.full_name, people[k].full_name);
        assert_eq!(p.date_of_birth, people[k].date_of_birth);
        assert_eq!(p.employments.len(), 1, "one slice each");
        assert_eq!(p.employments[0].position, slices[k].position);
        assert_eq!(p.employments[0].is_leader, k == 0);
    }
    (unit, Uuid::parse_str(&officer).expect("user id"), ids)
}

fn round(unit: UnitId, version: i32, officer: Uuid, now: DateTime<Utc>) -> RoundRecord {
    RoundRecord {
        id: Uuid::now_v7(),
        unit,
        year: 2026,
        version,
        state: RoundState::Draft,
        unit_level: None,
        replaces: None,
        reason: "Đánh giá cuối năm".into(),
        created_by: officer,
        created_at: now,
        finalised_by: None,
        finalised_at: None,
    }
}

fn entries(round: &RoundRecord, people: &[PersonId], officer: Uuid) -> Vec<EntryRecord> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| EntryRecord {
            id: Uuid::now_v7(),
            round: round.id,
            person: *p,
            peer_group: format!("nhóm {}", i % 3),
            is_head: i == 0,
            computed: Outcome::Rated(Level::Htt),
            computed_reasons: Vec::new(),
            proposed: if i % 2 == 0 {
                Outcome::Rated(Level::Htt)
            } else {
                Outcome::NotRated
            },
            override_reason: (i % 2 == 1).then(|| format!("lý do {i}")),
            used_case: None,
            updated_by: Some(officer),
            updated_at: round.created_at,
        })
        .collect()
}

/// Stores a round with its entries in one transaction.
async fn store_round(app: &TestApp, round: &RoundRecord, made: &[EntryRecord]) {
    let txn = app.state.db.begin().await.expect("txn");
    store::insert_round(&txn, round).await.expect("round");
    store::insert_entries(&txn, made).await.expect("entries");
    txn.commit().await.expect("commit");
}

#[tokio::test]
async fn people_entries_and_evaluations_arrive_whole_across_statements() {
    crate::each_backend!(|app| {
        let (unit, officer, ids) = province_with_people(&app).await;
        let db = app.state.db.reader();
        let now = app.state.clock.now();

        let first = round(unit, 1, officer, now);
        let made = entries(&first, &ids, officer);
        store_round(&app, &first, &made).await;
        let mut stored = store::entries(db, first.id).await.expect("entries");
        stored.sort_by_key(|e| e.id);
        assert_eq!(stored, made, "every entry once, every field as written");

        // A year of months for the first 100 people: 1,200 rows, two statements.
        let months: Vec<EvaluationRecord> = ids[..100]
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                (1..=12).map(move |m| EvaluationRecord {
                    id: Uuid::now_v7(),
                    person: *p,
                    unit,
                    period: Period::new(PeriodKind::Month, 2026, m).expect("period"),
                    regime: "nd335_2025".into(),
                    score: Score {
                        general: Points(2000 + (i as u32 % 10) * 100),
                        tasks: Points(5000 + m * 100),
                    },
                    products: (m == 3).then(|| {
                        vec![congvu_core::assessment::tasks::Product {
                            units: 100 + i as u32,
                            done: true,
                            failed_reviews: 0,
                            delays: 0,
                            exempted_by: Some(format!("Trưởng phòng {i}")),
                        }]
                    }),
                    evaluated_by: officer,
                    created_at: now,
                })
            })
            .collect();
        let txn = app.state.db.begin().await.expect("txn");
        congvu_db::evaluation::insert_many(&txn, &months)
            .await
            .expect("evaluations");
        txn.commit().await.expect("commit");
        for (k, p) in ids[..100].iter().enumerate() {
            let year = congvu_db::evaluation::of_year(db, *p, 2026)
                .await
                .expect("evaluations");
            assert_eq!(year, months[k * 12..(k + 1) * 12], "person {k}'s year");
        }
        let nothing = congvu_db::evaluation::of_year(db, ids[100], 2026)
            .await
            .expect("evaluations");
        assert!(nothing.is_empty());
    });
}

#[tokio::test]
async fn a_failing_statement_returns_its_conflict_and_the_rollback_leaves_nothing() {
    crate::each_backend!(|app| {
        let (unit, officer, ids) = province_with_people(&app).await;
        let db = app.state.db.reader();
        let now = app.state.clock.now();
        let kept = round(unit, 1, officer, now);
        let kept_entries = entries(&kept, &ids, officer);
        store_round(&app, &kept, &kept_entries).await;

        // Entry 1,501, in the second of three statements, repeats the first person: it fails
        // while the third is being built.
        let second = round(unit, 2, officer, now);
        let mut clash = entries(&second, &ids, officer);
        clash[1_500].person = clash[0].person;
        let txn = app.state.db.begin().await.expect("txn");
        store::insert_round(&txn, &second).await.expect("round");
        let refused = store::insert_entries(&txn, &clash)
            .await
            .expect_err("a person twice in a round");
        assert!(
            refused.is_conflict_on("round_id") && refused.is_conflict_on("person_id"),
            "the unique index of a person's entry in a round: {refused:?}"
        );
        txn.rollback().await.expect("rollback");
        assert!(
            store::entries(db, second.id)
                .await
                .expect("entries")
                .is_empty()
        );
        assert!(matches!(
            store::find_round(db, second.id, false).await,
            Err(congvu_db::DbError::NotFound)
        ));
        let mut still = store::entries(db, kept.id).await.expect("entries");
        still.sort_by_key(|e| e.id);
        assert_eq!(still, kept_entries, "the other round untouched");
    });
}
