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

/// The year end reads employment slices in bulk, as one JSON document the database builds
/// (`congvu_db::bulk`): it must give exactly the slices the ordinary read gives, on both
/// backends, for text that JSON escapes, closed and open slices, leaders and not, and people
/// picked by id or by where they work on a day.
#[tokio::test]
async fn the_bulk_slice_read_equals_the_ordinary_read() {
    use chrono::NaiveDate;
    use congvu_core::ids::{PersonId, UnitId};
    use congvu_db::staff::Members;

    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "LC", "Tỉnh Lào Cai", "province", None)
            .await;
        let ward = app
            .unit(&root, "LC-SP", "Phường Sa Pa", "ward", Some(&province))
            .await;
        let hoa = app.staff(&root, "LC-1", "Giàng Thị Hoa", &ward).await;
        let tung = app.staff(&root, "LC-2", "Lò Văn Tùng", &province).await;
        let moved = app
            .post(
                &format!("/api/v1/staff/{hoa}/employments"),
                &root,
                json!({"unit_id": province, "category": "cong_chuc",
                    "position": "Trưởng phòng \"Văn hóa\" \\ Thể thao\t(kiêm)",
                    "is_leader": true, "valid_from": "2026-02-01",
                    "reason": "Quyết định bổ nhiệm số 7"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::CREATED, "{:?}", moved.body);
        let ids: Vec<PersonId> = [&hoa, &tung]
            .iter()
            .map(|p| PersonId::from_uuid(p.parse().expect("person id")))
            .collect();
        let db = app.state.db.reader();
        let mut ordinary: Vec<_> = congvu_db::staff::people(db, &ids)
            .await
            .expect("people")
            .into_iter()
            .map(|p| (p.id, p.employments))
            .collect();
        ordinary.sort_by_key(|p| p.0);
        assert_eq!(ordinary.len(), 2);
        assert_eq!(ordinary.iter().map(|p| p.1.len()).sum::<usize>(), 3);
        let by_id = congvu_db::staff::employments_of(db, Members::Persons(&ids))
            .await
            .expect("bulk by id");
        assert_eq!(by_id, ordinary);

        // Picked by the database: both work in the province on 1 March, only Hoa's old slice
        // was in the ward, and on 1 January only she was there.
        let units = [province, ward].map(|u| UnitId::from_uuid(u.parse().expect("unit id")));
        let march = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        let there = congvu_db::staff::employments_of(db, Members::EmployedIn(&units[..1], march))
            .await
            .expect("bulk by unit");
        assert_eq!(there, ordinary);
        let january = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let in_ward =
            congvu_db::staff::employments_of(db, Members::EmployedIn(&units[1..], january))
                .await
                .expect("bulk by unit");
        assert_eq!(in_ward.len(), 1);
        assert_eq!(in_ward.first(), ordinary.iter().find(|p| p.0 == ids[0]));
    });
}
