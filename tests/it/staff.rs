//! Staff: employment over time answers "what was true on date D".

use reqwest::StatusCode;
use serde_json::json;

use crate::each_backend;

#[tokio::test]
async fn employment_change_closes_the_open_slice_and_history_answers_by_date() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let ward = app
            .unit(&root, "HY-TL", "Phường Tiên Lữ", "ward", Some(&province))
            .await;
        let school = app
            .unit(
                &root,
                "HY-THCS",
                "Trường THCS Tiên Lữ",
                "public_service_unit",
                Some(&province),
            )
            .await;
        let id = app.staff(&root, "HY-7", "Phạm Thị Hương", &ward).await;
        let moved = app.post(&format!("/api/v1/staff/{id}/employments"), &root, json!({
            "unit_id": school, "category": "vien_chuc", "position": "Phó Hiệu trưởng", "is_leader": true, "valid_from": "2026-01-01", "reason": "Quyết định điều động số 15"})).await;
        assert_eq!(moved.status, StatusCode::CREATED, "{:?}", moved.body);
        let slices = moved.body["employments"].as_array().unwrap();
        assert_eq!(slices.len(), 2);
        assert_eq!(slices[0]["valid_to"], "2025-12-31");
        let before = app
            .get(&format!("/api/v1/staff/{id}?on=2025-12-31"), &root)
            .await;
        assert_eq!(before.body["current"]["category"], "cong_chuc");
        let after = app
            .get(&format!("/api/v1/staff/{id}?on=2026-01-01"), &root)
            .await;
        assert_eq!(after.body["current"]["category"], "vien_chuc");
        assert_eq!(after.body["current"]["is_leader"], true);

        // Filters by unit and category apply to the slice in force on the date.
        let at_school = app
            .get(
                &format!("/api/v1/staff?unit_id={school}&on=2026-03-01"),
                &root,
            )
            .await;
        assert_eq!(at_school.body["items"].as_array().unwrap().len(), 1);
        let at_ward_now = app
            .get(
                &format!("/api/v1/staff?unit_id={ward}&on=2026-03-01"),
                &root,
            )
            .await;
        assert_eq!(at_ward_now.body["items"].as_array().unwrap().len(), 0);
        let at_ward_then = app
            .get(
                &format!("/api/v1/staff?unit_id={ward}&category=cong_chuc&on=2025-08-01"),
                &root,
            )
            .await;
        assert_eq!(at_ward_then.body["items"].as_array().unwrap().len(), 1);
        let in_province = app
            .get(
                &format!("/api/v1/staff?unit_id={province}&on=2026-03-01"),
                &root,
            )
            .await;
        assert_eq!(
            in_province.body["items"].as_array().unwrap().len(),
            1,
            "sub-units included"
        );

        // The past is never rewritten: a change starting on or before the open slice is refused.
        let rewrite = app.post(&format!("/api/v1/staff/{id}/employments"), &root, json!({
            "unit_id": ward, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2025-09-01", "reason": "x"})).await;
        assert_eq!(rewrite.status, StatusCode::CONFLICT);
        assert_eq!(rewrite.code(), "employment.conflict");
        let dup = app.post("/api/v1/staff", &root, json!({"staff_code": "hy-7", "full_name": "Người khác", "reason": "x",
            "employment": {"unit_id": ward, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2025-07-01"}})).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        assert_eq!(dup.code(), "staff.code_taken");
    });
}
