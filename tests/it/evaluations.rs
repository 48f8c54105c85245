//! Evaluations over HTTP (brief §4.3, §11.4): a period's points under the regime that governs the
//! person (Decree 335/2025 for civil servants from 2026; Decree 90/2020 as amended, criteria
//! without points, for public employees until 30/6/2026), the civil servants' task score from
//! work products, one evaluation per person per stretch of time, the annual score by the unit's
//! rule skipping periods not evaluated, and scope.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::each_backend;

#[tokio::test]
async fn a_civil_servants_periods_make_the_annual_score_by_the_units_rule() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let ward = app
            .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let sibling = app
            .unit(&root, "HY-AT", "Xã Ân Thi", "commune", Some(&province))
            .await;
        let person = app.staff(&root, "HY-10", "Nguyễn Thị Lan", &ward).await;
        let (_, tdkt) = app
            .officer(&root, "tdkt.ph", "emulation_officer", &ward)
            .await;
        let (_, other) = app
            .officer(&root, "tdkt.at", "emulation_officer", &sibling)
            .await;
        let (_, head) = app.officer(&root, "ct.hy", "unit_head", &province).await;
        let path = format!("/api/v1/staff/{person}/evaluations");

        // January by scores; February's task score from work products (335/2025: one failed
        // review −25% quality, two delays −50% timeliness: 70 × (100 + 75 + 50) / 300 = 52.5).
        let jan = app
            .post(
                &path,
                &tdkt,
                json!({"kind": "month", "year": 2026, "index": 1, "general": 28, "tasks": 65, "reason": "đánh giá tháng 1"}),
            )
            .await;
        assert_eq!(jan.status, StatusCode::CREATED, "{:?}", jan.body);
        assert_eq!(jan.body["regime"], "nd335_2025");
        assert_eq!(jan.body["total"], 93.0);
        let feb = app
            .post(
                &path,
                &tdkt,
                json!({"kind": "month", "year": 2026, "index": 2, "general": 30, "reason": "đánh giá tháng 2",
                "products": [{"units": 1, "done": true, "failed_reviews": 1, "delays": 2}]}),
            )
            .await;
        assert_eq!(feb.status, StatusCode::CREATED, "{:?}", feb.body);
        assert_eq!(feb.body["tasks"], 52.5);

        // A reason is required; an exemption names who confirmed it.
        let unexplained = app
            .post(
                &path,
                &tdkt,
                json!({"kind": "month", "year": 2026, "index": 3, "general": 20, "tasks": 50}),
            )
            .await;
        assert_eq!(unexplained.fields(), ["reason"]);
        let anonymous = app
            .post(&path, &tdkt, json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 20,
                "products": [{"units": 1, "done": true, "failed_reviews": 1, "exempted_by": "  "}]}))
            .await;
        assert_eq!(
            anonymous.fields(),
            ["products[0].exempted_by"],
            "{:?}",
            anonymous.body
        );

        // One evaluation per stretch of time; a period not started yet; bad scores.
        let again = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 1, "general": 20, "tasks": 50}),
            )
            .await;
        assert_eq!(again.code(), "evaluation.overlaps");
        let quarter = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "quarter", "year": 2026, "index": 1, "general": 20, "tasks": 50}),
            )
            .await;
        assert_eq!(quarter.status, StatusCode::CONFLICT);
        assert_eq!(quarter.code(), "evaluation.overlaps");
        let future = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "quarter", "year": 2026, "index": 2, "general": 20, "tasks": 50}),
            )
            .await;
        assert_eq!(future.fields(), ["index"]);
        let over = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 31, "tasks": 71}),
            )
            .await;
        assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(over.fields(), ["general", "tasks"]);
        let both = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 20, "tasks": 50,
                "products": [{"units": 1, "done": true}]}),
            )
            .await;
        assert_eq!(both.fields(), ["tasks"]);
        let precise = app
            .post(
                &path,
                &tdkt,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 27.555, "tasks": 50}),
            )
            .await;
        assert_eq!(precise.fields(), ["general"]);

        // The annual score skips March (not evaluated): the mean of 93 and 82.5.
        let year = app.get(&format!("{path}?year=2026"), &tdkt).await;
        assert_eq!(year.status, StatusCode::OK, "{:?}", year.body);
        assert_eq!(year.body["aggregation"], "mean");
        assert_eq!(year.body["annual"]["total"], 87.75);
        assert_eq!(year.body["evaluations"].as_array().unwrap().len(), 2);
        // The products read back from storage as given (stored in hundredths, shown in units).
        assert_eq!(
            year.body["evaluations"][1]["products"],
            json!([{"units": 1.0, "done": true, "failed_reviews": 1, "delays": 2, "exempted_by": null}])
        );
        assert_eq!(year.body["evaluations"][0]["products"], Value::Null);
        // The province's rule (the lowest period) holds for the ward below it.
        let rule = app
            .put(
                &format!("/api/v1/units/{province}/assessment-settings"),
                &head,
                json!({"aggregation": "lowest"}),
            )
            .await;
        assert_eq!(rule.status, StatusCode::OK, "{:?}", rule.body);
        let year = app.get(&format!("{path}?year=2026"), &tdkt).await;
        assert_eq!(year.body["aggregation"], "lowest");
        assert_eq!(year.body["annual"]["total"], 82.5);
        let refused = app
            .put(
                &format!("/api/v1/units/{province}/assessment-settings"),
                &tdkt,
                json!({"aggregation": "mean"}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::NOT_FOUND,
            "the province is above the officer's reach"
        );

        // Another commune's officer neither sees nor records the person's evaluations.
        assert_eq!(
            app.get(&format!("{path}?year=2026"), &other).await.status,
            StatusCode::NOT_FOUND
        );
        let foreign = app
            .post(
                &path,
                &other,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 20, "tasks": 50}),
            )
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);

        // Nobody records their own evaluation.
        let own = app
            .post("/api/v1/users", &root, json!({"username": "lan.ph", "password": tests::PASSWORD, "person_id": person, "reason": "tài khoản"}))
            .await;
        let own_id = own.body["id"].as_str().unwrap().to_owned();
        app.post(
            &format!("/api/v1/users/{own_id}/grants"),
            &root,
            json!({"unit_id": ward, "role": "emulation_officer", "reason": "phân quyền"}),
        )
        .await;
        let lan = app.login("lan.ph", tests::PASSWORD).await;
        let mine = app
            .post(
                &path,
                &lan,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 30, "tasks": 70}),
            )
            .await;
        assert_eq!(mine.status, StatusCode::FORBIDDEN, "{:?}", mine.body);

        // After a transfer each unit sees the evaluations recorded in its own units only.
        let moved = app
            .post(&format!("/api/v1/staff/{person}/employments"), &root,
                json!({"unit_id": sibling, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-03-01", "reason": "điều động"}))
            .await;
        assert_eq!(moved.status, StatusCode::CREATED, "{:?}", moved.body);
        let march = app
            .post(
                &path,
                &other,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 3, "general": 25, "tasks": 55}),
            )
            .await;
        assert_eq!(march.status, StatusCode::CREATED, "{:?}", march.body);
        let seen = |a: &tests::Answer| -> Vec<u64> {
            a.body["evaluations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["index"].as_u64().unwrap())
                .collect()
        };
        assert_eq!(
            seen(&app.get(&format!("{path}?year=2026"), &other).await),
            [3]
        );
        assert_eq!(
            seen(&app.get(&format!("{path}?year=2026"), &tdkt).await),
            [1, 2]
        );
        assert_eq!(
            seen(&app.get(&format!("{path}?year=2026"), &lan).await),
            [1, 2, 3]
        );

        // A public employee in the first half of 2026 is still under Decree 90/2020 (criteria).
        let employee = app
            .post("/api/v1/staff", &root, json!({"staff_code": "HY-11", "full_name": "Trần Văn Nam", "reason": "tiếp nhận",
                "employment": {"unit_id": ward, "category": "vien_chuc", "position": "Giáo viên", "valid_from": "2025-07-01"}}))
            .await;
        assert_eq!(employee.status, StatusCode::CREATED, "{:?}", employee.body);
        let id = employee.body["id"].as_str().unwrap();
        let criteria = app
            .post(
                &format!("/api/v1/staff/{id}/evaluations"),
                &tdkt,
                json!({"reason": "đánh giá", "kind": "month", "year": 2026, "index": 2, "general": 25, "tasks": 60}),
            )
            .await;
        assert_eq!(
            criteria.body["errors"][0]["code"], "criteria_regime",
            "{:?}",
            criteria.body
        );
    });
}

/// The year end reads the mean rule's sums (brief §4.3: the annual score is the mean of the
/// periods evaluated, each weighted by its months, periods not evaluated skipped) from a yearly
/// summary kept beside the evaluations. It must equal a re-sum of the stored periods, both as the
/// inserts keep it and as the migration rebuilds it from the periods.
#[tokio::test]
async fn the_yearly_summary_equals_a_re_sum_of_the_periods_and_is_rebuilt_by_its_migration() {
    use congvu_core::ids::PersonId;
    use migrations::{Migrator, MigratorTrait};

    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "TN", "Tỉnh Thái Nguyên", "province", None)
            .await;
        let (_, tdkt) = app
            .officer(&root, "tdkt.tn", "emulation_officer", &province)
            .await;
        let lan = app.staff(&root, "TN-1", "Đỗ Thị Lan", &province).await;
        let minh = app.staff(&root, "TN-2", "Lý Văn Minh", &province).await;
        let none = app.staff(&root, "TN-3", "Hà Văn Nam", &province).await;
        for (person, kind, index, general, tasks) in [
            (&lan, "month", 1, 28.0, 65.0),
            (&lan, "month", 2, 30.0, 60.5),
            (&lan, "month", 3, 25.25, 50.0),
            (&minh, "quarter", 1, 29.0, 66.0),
        ] {
            let made = app
                .post(
                    &format!("/api/v1/staff/{person}/evaluations"),
                    &tdkt,
                    json!({"kind": kind, "year": 2026, "index": index, "general": general,
                        "tasks": tasks, "reason": "đánh giá định kỳ"}),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
        }
        let ids: Vec<PersonId> = [&lan, &minh, &none]
            .iter()
            .map(|p| PersonId::from_uuid(p.parse().expect("person id")))
            .collect();
        let db = app.state.db.writer();
        // The re-sum, from the periods as stored: Σ general × months, Σ total × months, months.
        let mut expected = Vec::new();
        for p in &ids {
            let periods = congvu_db::evaluation::of_year(db, *p, 2026)
                .await
                .expect("periods");
            if periods.is_empty() {
                continue;
            }
            let mut sums = (0, 0, 0);
            for e in periods {
                let (from, to) = e.period.months();
                let months = u64::from(to - from + 1);
                let general = u64::from(e.score.general.0);
                sums.0 += general * months;
                sums.1 += (general + u64::from(e.score.tasks.0)) * months;
                sums.2 += months;
            }
            expected.push((*p, sums.0, sums.1, sums.2));
        }
        expected.sort();
        assert_eq!(expected.len(), 2, "Nam has no evaluation and no row");
        // Lan: 2800 + 3000 + 2525 general over 3 months; Minh: a quarter of 2900 (×3).
        assert!(expected.iter().any(|s| s.1 == 8325 && s.3 == 3));
        assert!(expected.iter().any(|s| s.1 == 8700 && s.2 == 3 * 9500));
        assert_eq!(yearly_sums(db, &ids).await, expected);

        // The migration rebuilds it from the periods (undoing it and every later one).
        let since = Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == "m20261201_000011_evaluation_years")
            .expect("the summary's migration")
            + 1;
        Migrator::down(db, Some(since as u32)).await.expect("down");
        Migrator::up(db, None).await.expect("up again");
        assert_eq!(yearly_sums(db, &ids).await, expected);
    });
}

async fn yearly_sums(
    db: &impl sea_orm::ConnectionTrait,
    ids: &[congvu_core::ids::PersonId],
) -> Vec<(congvu_core::ids::PersonId, u64, u64, u64)> {
    let mut got =
        congvu_db::evaluation::mean_sums(db, congvu_db::staff::Members::Persons(ids), 2026)
            .await
            .expect("summary");
    got.sort();
    got
}
