//! Least knowledge: an officer of unit A sees A and its sub-units, and nothing of sibling B —
//! every object of B is 404 and no list or filter shows B's rows.

use reqwest::StatusCode;
use serde_json::json;

use crate::each_backend;

#[tokio::test]
async fn officer_of_a_gets_404_for_every_object_of_sibling_b() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let a = app
            .unit(&root, "HY-A", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let a_child = app
            .unit(
                &root,
                "HY-A-1",
                "Trung tâm Phục vụ hành chính công phường Phố Hiến",
                "service_centre",
                Some(&a),
            )
            .await;
        let b = app
            .unit(&root, "HY-B", "Xã Ân Thi", "commune", Some(&province))
            .await;
        let staff_a = app.staff(&root, "A-001", "Nguyễn Thị Lan", &a_child).await;
        let staff_b = app.staff(&root, "B-001", "Trần Văn Bình", &b).await;
        let set_b = app.post("/api/v1/code-sets", &root, json!({
            "unit_id": b, "key": "5khong", "title_vi": "5 không của xã Ân Thi", "document": "Quyết định 12/QĐ-UBND",
            "valid_from": "2026-01-01", "reason": "ban hành",
            "items": [{"code": "K1", "group": "5 không", "text_vi": "Không trễ hẹn", "document": "QĐ 12", "default_severity": "less_serious"}]
        })).await;
        assert_eq!(set_b.status, StatusCode::CREATED, "{:?}", set_b.body);
        let set_b = set_b.body["id"].as_str().unwrap().to_owned();

        let (_, officer) = app.officer(&root, "hr.a", "hr_officer", &a).await;

        // In scope: A, its sub-unit, A's staff.
        assert_eq!(
            app.get(&format!("/api/v1/units/{a}"), &officer)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/api/v1/units/{a_child}"), &officer)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/api/v1/staff/{staff_a}"), &officer)
                .await
                .status,
            StatusCode::OK
        );

        // Out of scope: every object of B, and the parent province, is 404 with a problem body.
        for path in [
            format!("/api/v1/units/{b}"),
            format!("/api/v1/units/{b}/tree"),
            format!("/api/v1/units/{b}/successors"),
            format!("/api/v1/units/{b}/code-sets"),
            format!("/api/v1/units/{b}/calendar?from=2026-03-01&to=2026-03-31"),
            format!("/api/v1/units/{b}/calendar/deadline?from=2026-03-02&working_days=5"),
            format!("/api/v1/units/{province}"),
            format!("/api/v1/staff/{staff_b}"),
            format!("/api/v1/code-sets/{set_b}"),
            format!("/api/v1/staff?unit_id={b}"),
            format!("/api/v1/code-sets?unit_id={b}"),
        ] {
            let a = app.get(&path, &officer).await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}: {:?}", a.body);
            assert_eq!(a.code(), "not_found", "{path}");
        }
        // Writes aimed at B are 404 as well, and change nothing.
        let move_b = app.post(&format!("/api/v1/staff/{staff_b}/employments"), &officer, json!({
            "unit_id": a, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2026-04-01", "reason": "điều động"})).await;
        assert_eq!(move_b.status, StatusCode::NOT_FOUND);
        let sub_of_b = app.post("/api/v1/units", &officer, json!({"code": "HY-B-9", "name": "Thôn", "kind": "department", "parent_id": b, "valid_from": "2025-07-01", "reason": "x"})).await;
        assert_eq!(sub_of_b.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(sub_of_b.fields(), ["parent_id"]);
        let publish_b = app
            .post(
                &format!("/api/v1/code-sets/{set_b}/publish"),
                &officer,
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(publish_b.status, StatusCode::NOT_FOUND);

        // Lists show none of B's rows.
        let units = app.get("/api/v1/units?limit=100", &officer).await;
        let codes: Vec<&str> = units.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["HY-A", "HY-A-1"]);
        let staff = app.get("/api/v1/staff?limit=100", &officer).await;
        let staff_codes: Vec<&str> = staff.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["staff_code"].as_str().unwrap())
            .collect();
        assert_eq!(staff_codes, ["A-001"]);
        let search_b = app.get("/api/v1/staff?q=binh", &officer).await;
        assert_eq!(search_b.body["items"].as_array().unwrap().len(), 0);
        let sets = app.get("/api/v1/code-sets?limit=100", &officer).await;
        assert!(
            sets.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["unit_id"].is_null()),
            "only national sets: {:?}",
            sets.body
        );
        let tree = app.get(&format!("/api/v1/units/{a}/tree"), &officer).await;
        assert_eq!(tree.body["items"].as_array().unwrap().len(), 2);
    });
}

#[tokio::test]
async fn staff_role_reads_own_record_only_and_cannot_manage() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "DB", "Tỉnh Điện Biên", "province", None)
            .await;
        let me = app.staff(&root, "DB-1", "Lò Văn Minh", &unit).await;
        let other = app.staff(&root, "DB-2", "Quàng Thị Hoa", &unit).await;
        let created = app.post("/api/v1/users", &root, json!({"username": "minh", "password": tests::PASSWORD, "person_id": me, "reason": "tài khoản"})).await;
        let id = created.body["id"].as_str().unwrap().to_owned();
        app.post(
            &format!("/api/v1/users/{id}/grants"),
            &root,
            json!({"unit_id": unit, "role": "staff", "reason": "x"}),
        )
        .await;
        let token = app.login("minh", tests::PASSWORD).await;
        assert_eq!(
            app.get(&format!("/api/v1/staff/{me}"), &token).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/api/v1/staff/{other}"), &token)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // The unit and its code of conduct are visible; managing staff is forbidden.
        assert_eq!(
            app.get(&format!("/api/v1/units/{unit}/code-sets"), &token)
                .await
                .status,
            StatusCode::OK
        );
        let add = app.post("/api/v1/staff", &token, json!({"staff_code": "DB-3", "full_name": "Cà Văn Tú", "reason": "x",
            "employment": {"unit_id": unit, "category": "vien_chuc", "position": "Giáo viên", "valid_from": "2025-07-01"}})).await;
        assert_eq!(add.status, StatusCode::FORBIDDEN);
        assert_eq!(add.content_type, "application/problem+json");
    });
}

/// Nothing about sibling B leaks through another object: a user's grants at B, a succession link
/// to a unit of B, or a transferred person's post in B.
#[tokio::test]
async fn grants_successions_and_later_posts_in_b_stay_hidden_from_a() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let a = app
            .unit(&root, "HY-A", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let b = app
            .unit(&root, "HY-B", "Xã Ân Thi", "commune", Some(&province))
            .await;
        let (_, admin_a) = app.officer(&root, "admin.a", "admin", &a).await;
        let (_, hr_a) = app.officer(&root, "hr.a", "hr_officer", &a).await;

        // A user holding roles in A and B: A's admin sees only the grant at A.
        let (both, _) = app.officer(&root, "both", "hr_officer", &a).await;
        app.post(
            &format!("/api/v1/users/{both}/grants"),
            &root,
            json!({"unit_id": b, "role": "inspector", "reason": "x"}),
        )
        .await;
        let seen = app.get(&format!("/api/v1/users/{both}"), &admin_a).await;
        assert_eq!(seen.status, StatusCode::OK);
        let units: Vec<&str> = seen.body["grants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["unit_id"].as_str().unwrap())
            .collect();
        assert_eq!(units, [a.as_str()]);
        let listed = app.get("/api/v1/users", &admin_a).await;
        assert!(
            !listed.body.to_string().contains(&b),
            "no grant at B in the list"
        );
        assert_eq!(
            app.get(&format!("/api/v1/users/{both}"), &root).await.body["grants"]
                .as_array()
                .unwrap()
                .len(),
            2
        );

        // A succession from a unit of B to A's unit is visible to root, not to A's officer.
        let b_old = app
            .post(
                "/api/v1/units",
                &root,
                json!({"code": "HY-B-OLD", "name": "Thôn cũ", "kind": "department", "parent_id": b,
            "valid_from": "2025-07-01", "valid_to": "2025-12-31", "reason": "x"}),
            )
            .await
            .body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let link = app
            .post(
                &format!("/api/v1/units/{b_old}/successors"),
                &root,
                json!({"successor_id": a, "effective_on": "2026-01-01", "reason": "sáp nhập"}),
            )
            .await;
        assert_eq!(link.status, StatusCode::CREATED, "{:?}", link.body);
        assert_eq!(
            app.get(&format!("/api/v1/units/{a}"), &root).await.body["successions"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            app.get(&format!("/api/v1/units/{a}"), &hr_a).await.body["successions"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            app.get(&format!("/api/v1/units/{a}/successors"), &hr_a)
                .await
                .body["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );

        // Someone moves from A to B: A keeps their history with A, not their post in B.
        let person = app.staff(&root, "HY-9", "Đỗ Thị Mai", &a).await;
        let moved = app.post(&format!("/api/v1/staff/{person}/employments"), &root, json!({
            "unit_id": b, "category": "cong_chuc", "position": "Phó Chủ tịch", "is_leader": true, "valid_from": "2026-02-01", "reason": "điều động"})).await;
        assert_eq!(moved.status, StatusCode::CREATED);
        let from_a = app.get(&format!("/api/v1/staff/{person}"), &hr_a).await;
        assert_eq!(from_a.status, StatusCode::OK);
        let slices = from_a.body["employments"].as_array().unwrap();
        assert_eq!(slices.len(), 1);
        assert_eq!(slices[0]["unit_id"], a.as_str());
        assert!(
            from_a.body["current"].is_null(),
            "the current post is in B: {:?}",
            from_a.body["current"]
        );
        assert!(!from_a.body.to_string().contains(&b));
    });
}

/// Out of scope is 404 for writes too (issue 20 §5): an administrator of ward A cannot grant a
/// role at A to an account that holds roles only in sibling B, nor to the superadministrator's
/// account (both 404, nothing granted, no username shown); a new account holding no role yet is
/// theirs to grant.
#[tokio::test]
async fn granting_to_an_account_out_of_scope_is_404() {
    each_backend!(|app| {
        let w = app.province().await;
        let (_, admin_a) = app.officer(&w.root, "qt.ph", "admin", &w.ward).await;
        let (b_user, _) = app
            .officer(&w.root, "cb.at", "hr_officer", &w.sibling)
            .await;
        let root_id = app.get("/api/v1/auth/me", &w.root).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for target in [&b_user, &root_id] {
            assert_eq!(
                app.get(&format!("/api/v1/users/{target}"), &admin_a)
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
            let g = app
                .post(
                    &format!("/api/v1/users/{target}/grants"),
                    &admin_a,
                    json!({"unit_id": w.ward, "role": "unit_head", "reason": "x"}),
                )
                .await;
            assert_eq!(g.status, StatusCode::NOT_FOUND, "{:?}", g.body);
            assert!(g.body.get("username").is_none(), "{:?}", g.body);
        }
        let seen_by_root = app.get(&format!("/api/v1/users/{b_user}"), &w.root).await;
        assert_eq!(
            seen_by_root.body["grants"].as_array().unwrap().len(),
            1,
            "nothing was granted: {:?}",
            seen_by_root.body
        );
        let fresh = app
            .post(
                "/api/v1/users",
                &admin_a,
                json!({"username": "moi.ph", "password": tests::PASSWORD, "reason": "tài khoản"}),
            )
            .await;
        assert_eq!(fresh.status, StatusCode::CREATED, "{:?}", fresh.body);
        let fresh_id = fresh.body["id"].as_str().unwrap();
        let g = app
            .post(
                &format!("/api/v1/users/{fresh_id}/grants"),
                &admin_a,
                json!({"unit_id": w.ward, "role": "staff", "reason": "x"}),
            )
            .await;
        assert_eq!(g.status, StatusCode::CREATED, "{:?}", g.body);
    });
}
