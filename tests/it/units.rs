//! Units: tree, successors after the 2025 mergers, calendars.

use reqwest::StatusCode;
use serde_json::json;

use crate::each_backend;

/// Resolution 202/2025/QH15: merged units end on 30/6/2025 and keep their history through
/// successor links; a district cannot be valid from 1/7/2025.
#[tokio::test]
async fn merged_units_keep_history_through_successors_resolution_202_2025() {
    each_backend!(|app| {
        let root = app.root().await;
        let old = app.post("/api/v1/units", &root, json!({"code": "HY-OLD", "name": "Tỉnh Hưng Yên (cũ)", "kind": "province", "valid_from": "1997-01-01", "valid_to": "2025-06-30", "reason": "dữ liệu lịch sử"})).await;
        let old = old.body["id"].as_str().unwrap().to_owned();
        let district = app.post("/api/v1/units", &root, json!({"code": "HY-AT", "name": "Huyện Ân Thi", "kind": "district", "parent_id": old, "valid_from": "1997-01-01", "reason": "x"})).await;
        assert_eq!(district.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(district.body["errors"][0]["code"], "district_abolished");
        let new = app
            .unit(&root, "HY-NEW", "Tỉnh Hưng Yên", "province", None)
            .await;
        let early = app
            .post(
                &format!("/api/v1/units/{old}/successors"),
                &root,
                json!({"successor_id": new, "effective_on": "2025-06-30", "reason": "sáp nhập"}),
            )
            .await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(early.code(), "unit.successor_invalid");
        let link = app.post(&format!("/api/v1/units/{old}/successors"), &root, json!({"successor_id": new, "effective_on": "2025-07-01", "reason": "Nghị quyết 202/2025/QH15"})).await;
        assert_eq!(link.status, StatusCode::CREATED, "{:?}", link.body);
        let got = app.get(&format!("/api/v1/units/{new}"), &root).await;
        assert_eq!(got.body["successions"][0]["predecessor_id"], old.as_str());
        let valid_now = app.get("/api/v1/units?valid_on=2026-01-01", &root).await;
        let codes: Vec<&str> = valid_now.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["HY-NEW"]);
    });
}

/// Labour Code 2019 Art. 112 and the 2026 Tết notice: 16–20 February 2026 are not worked; a
/// province adds its own day, which its communes inherit.
#[tokio::test]
async fn unit_calendar_inherits_national_and_parent_days_labour_code_art_112() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "NA", "Tỉnh Nghệ An", "province", None)
            .await;
        let commune = app
            .unit(&root, "NA-DL", "Xã Đô Lương", "commune", Some(&province))
            .await;
        let tet = app
            .get(
                &format!("/api/v1/units/{commune}/calendar?from=2026-02-13&to=2026-02-23"),
                &root,
            )
            .await;
        assert_eq!(tet.status, StatusCode::OK, "{:?}", tet.body);
        let working: Vec<bool> = tet.body["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["working"].as_bool().unwrap())
            .collect();
        assert_eq!(
            working,
            [
                true, false, false, false, false, false, false, false, false, false, true
            ]
        );
        assert_eq!(tet.body["working_days"], 2);
        let deadline = app
            .get(
                &format!(
                    "/api/v1/units/{commune}/calendar/deadline?from=2026-02-13&working_days=1"
                ),
                &root,
            )
            .await;
        assert_eq!(deadline.body["date"], "2026-02-23");

        let day = app.post(&format!("/api/v1/units/{province}/calendar-days"), &root, json!({"date": "2026-03-12", "kind": "holiday", "name": "Ngày nghỉ của tỉnh", "reason": "Quyết định của UBND tỉnh"})).await;
        assert_eq!(day.status, StatusCode::CREATED, "{:?}", day.body);
        let again = app
            .post(
                &format!("/api/v1/units/{province}/calendar-days"),
                &root,
                json!({"date": "2026-03-12", "kind": "holiday", "name": "x", "reason": "x"}),
            )
            .await;
        // The day is already off for the unit: refused by the calendar check before the store.
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.body["errors"][0]["code"], "already_non_working");
        let other_kind = app
            .post(
                &format!("/api/v1/units/{province}/calendar-days"),
                &root,
                json!({"date": "2026-03-12", "kind": "workday", "name": "x", "reason": "x"}),
            )
            .await;
        assert_eq!(other_kind.status, StatusCode::CONFLICT);
        assert_eq!(other_kind.code(), "calendar.day_exists");
        let weekend = app
            .post(
                &format!("/api/v1/units/{province}/calendar-days"),
                &root,
                json!({"date": "2026-03-14", "kind": "holiday", "name": "x", "reason": "x"}),
            )
            .await;
        assert_eq!(weekend.status, StatusCode::UNPROCESSABLE_ENTITY);
        let inherited = app
            .get(
                &format!(
                    "/api/v1/units/{commune}/calendar/deadline?from=2026-03-11&working_days=1"
                ),
                &root,
            )
            .await;
        assert_eq!(inherited.body["date"], "2026-03-13");
        let uncovered = app
            .get(
                &format!(
                    "/api/v1/units/{commune}/calendar/deadline?from=2027-12-30&working_days=5"
                ),
                &root,
            )
            .await;
        assert_eq!(uncovered.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(uncovered.code(), "calendar.not_covered");
    });
}

#[tokio::test]
async fn duplicate_codes_conflict_and_roots_need_a_superadmin() {
    each_backend!(|app| {
        let root = app.root().await;
        let p = app
            .unit(&root, "QT", "Tỉnh Quảng Trị", "province", None)
            .await;
        let dup = app.post("/api/v1/units", &root, json!({"code": "qt", "name": "Khác", "kind": "province", "valid_from": "2025-07-01", "reason": "x"})).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        assert_eq!(dup.code(), "unit.code_taken");
        let (_, admin) = app.officer(&root, "admin.qt", "admin", &p).await;
        let top = app.post("/api/v1/units", &admin, json!({"code": "X", "name": "X", "kind": "province", "valid_from": "2025-07-01", "reason": "x"})).await;
        assert_eq!(top.status, StatusCode::FORBIDDEN);
        let sub = app.post("/api/v1/units", &admin, json!({"code": "QT-CC", "name": "Đặc khu Cồn Cỏ", "kind": "special_zone", "parent_id": p, "valid_from": "2025-07-01", "reason": "x"})).await;
        assert_eq!(sub.status, StatusCode::CREATED);
    });
}

/// A unit ends only once nobody works in it and its sub-units have ended; then it can be linked to
/// the unit that takes over (Resolution 202/2025/QH15 mergers).
#[tokio::test]
async fn closing_a_unit_requires_it_empty_then_allows_a_successor() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "TH", "Tỉnh Thanh Hóa", "province", None)
            .await;
        let old = app
            .unit(&root, "TH-X1", "Xã Cũ", "commune", Some(&province))
            .await;
        let new = app
            .unit(&root, "TH-X2", "Xã Mới", "commune", Some(&province))
            .await;
        let person = app.staff(&root, "TH-1", "Lê Văn Hùng", &old).await;
        let busy = app
            .post(
                &format!("/api/v1/units/{old}/close"),
                &root,
                json!({"valid_to": "2025-12-31", "reason": "sáp nhập"}),
            )
            .await;
        assert_eq!(busy.status, StatusCode::CONFLICT);
        assert_eq!(busy.code(), "unit.has_staff");
        app.post(&format!("/api/v1/staff/{person}/employments"), &root, json!({"unit_id": new, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-01-01", "reason": "sáp nhập"})).await;
        let closed = app
            .post(
                &format!("/api/v1/units/{old}/close"),
                &root,
                json!({"valid_to": "2025-12-31", "reason": "sáp nhập"}),
            )
            .await;
        assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
        assert_eq!(closed.body["valid_to"], "2025-12-31");
        let again = app
            .post(
                &format!("/api/v1/units/{old}/close"),
                &root,
                json!({"valid_to": "2025-12-31", "reason": "x"}),
            )
            .await;
        assert_eq!(again.code(), "unit.closed");
        let link = app
            .post(
                &format!("/api/v1/units/{old}/successors"),
                &root,
                json!({"successor_id": new, "effective_on": "2026-01-01", "reason": "sáp nhập"}),
            )
            .await;
        assert_eq!(link.status, StatusCode::CREATED, "{:?}", link.body);
        let parent = app
            .post(
                &format!("/api/v1/units/{province}/close"),
                &root,
                json!({"valid_to": "2026-06-30", "reason": "x"}),
            )
            .await;
        assert_eq!(parent.code(), "unit.has_open_sub_units");
        let missing = app
            .post(&format!("/api/v1/units/{new}/close"), &root, json!({}))
            .await;
        assert_eq!(missing.fields(), ["reason", "valid_to"]);
    });
}

/// A unit corrects the national calendar: the adjacent National Day holiday of 2026 is unverified
/// (U), so a province that works on 1 September marks it as a workday.
#[tokio::test]
async fn a_unit_can_work_a_projected_national_holiday() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "LS", "Tỉnh Lạng Sơn", "province", None)
            .await;
        let before = app
            .get(
                &format!(
                    "/api/v1/units/{province}/calendar/deadline?from=2026-08-31&working_days=1"
                ),
                &root,
            )
            .await;
        assert_eq!(before.body["date"], "2026-09-03");
        let fix = app.post(&format!("/api/v1/units/{province}/calendar-days"), &root, json!({"date": "2026-09-01", "kind": "workday", "name": "Làm việc theo thông báo", "reason": "thông báo của Bộ Nội vụ"})).await;
        assert_eq!(fix.status, StatusCode::CREATED, "{:?}", fix.body);
        let after = app
            .get(
                &format!(
                    "/api/v1/units/{province}/calendar/deadline?from=2026-08-31&working_days=1"
                ),
                &root,
            )
            .await;
        assert_eq!(after.body["date"], "2026-09-01");
        let bad = app
            .post(
                &format!("/api/v1/units/{province}/calendar-days"),
                &root,
                json!({"kind": "sometimes", "name": "", "reason": ""}),
            )
            .await;
        assert_eq!(bad.fields(), ["date", "kind", "name", "reason"]);
    });
}
