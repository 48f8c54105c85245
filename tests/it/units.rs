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
        assert_eq!(again.status, StatusCode::CONFLICT);
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
