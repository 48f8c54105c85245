//! Evaluations over HTTP (brief §4.3, §11.4): a period's points under the regime that governs the
//! person (Decree 335/2025 for civil servants from 2026; Decree 90/2020 as amended, criteria
//! without points, for public employees until 30/6/2026), the civil servants' task score from
//! work products, one evaluation per person per stretch of time, the annual score by the unit's
//! rule skipping periods not evaluated, and scope.

use reqwest::StatusCode;
use serde_json::json;

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
