//! Every officer endpoint of a citizen's report walked as each role — the accused official (who
//! here is even an inspector of the unit), a sibling unit's inspector, an HR officer, a staff
//! member, the unit head and an inspector before and after approval — asserting the complainant's
//! identity appears only where allowed (Law on Denunciations Art. 47–48; legal brief §7.3).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::each_backend;

const NAME: &str = "Trần Thị Mai";
const PHONE: &str = "0912 345 678";
const EMAIL: &str = "mai@example.vn";

fn leaks(body: &Value) -> bool {
    let text = body.to_string();
    [NAME, PHONE, EMAIL].iter().any(|s| text.contains(s))
}

/// An account linked to a staff member, holding `role` at `unit`.
async fn linked(
    app: &tests::TestApp,
    root: &str,
    username: &str,
    person: &str,
    role: &str,
    unit: &str,
) -> String {
    let u = app
        .post(
            "/api/v1/users",
            root,
            json!({"username": username, "password": tests::PASSWORD, "person_id": person, "reason": "tài khoản"}),
        )
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{:?}", u.body);
    let id = u.body["id"].as_str().unwrap();
    let g = app
        .post(
            &format!("/api/v1/users/{id}/grants"),
            root,
            json!({"unit_id": unit, "role": role, "reason": "phân quyền"}),
        )
        .await;
    assert_eq!(g.status, StatusCode::CREATED, "{:?}", g.body);
    app.login(username, tests::PASSWORD).await
}

#[tokio::test]
async fn the_identity_is_shown_only_to_the_approved_inspector_luat_to_cao_art_48() {
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
        let accused = app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
        let clerk = app.staff(&root, "HY-78", "Lê Thị Thu", &ward).await;
        let accused_token = linked(&app, &root, "nam.ph", &accused, "inspector", &ward).await;
        let staff_token = linked(&app, &root, "thu.ph", &clerk, "staff", &ward).await;
        let (_, inspector) = app.officer(&root, "tt.ph", "inspector", &ward).await;
        let (_, head) = app.officer(&root, "ct.ph", "unit_head", &ward).await;
        let (_, hr) = app.officer(&root, "hr.ph", "hr_officer", &ward).await;
        let (_, sibling_inspector) = app.officer(&root, "tt.at", "inspector", &sibling).await;

        let submitted = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints",
                None,
                Some(json!({"staff_code": "HY-77", "description": "Cán bộ gợi ý nộp tiền để hồ sơ được giải quyết nhanh",
                    "kind": "denunciation", "identity": {"name": NAME, "phone": PHONE, "email": EMAIL}})),
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::CREATED,
            "{:?}",
            submitted.body
        );
        let receipt = submitted.body["receipt"].as_str().unwrap().to_owned();
        let listed = app.get("/api/v1/complaints", &head).await;
        let id = listed.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(listed.body["items"][0]["unit_id"], ward.as_str());

        // Nobody but officers of the ward sees the report; the accused never does.
        for (who, token) in [
            ("accused", &accused_token),
            ("sibling", &sibling_inspector),
            ("hr", &hr),
            ("staff", &staff_token),
        ] {
            let list = app.get("/api/v1/complaints", token).await;
            assert!(
                list.status == StatusCode::OK && list.body["items"] == json!([]),
                "{who}: {:?}",
                list.body
            );
            for path in [
                format!("/api/v1/complaints/{id}"),
                format!("/api/v1/complaints/{id}/identity"),
            ] {
                let a = app.get(&path, token).await;
                assert_eq!(a.status, StatusCode::NOT_FOUND, "{who} {path}");
                assert!(!leaks(&a.body));
            }
            let a = app
                .post(
                    &format!("/api/v1/complaints/{id}/identity-requests"),
                    token,
                    json!({"motivation": "x"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::NOT_FOUND, "{who}");
        }
        let csv = app
            .http
            .get(format!("{}/api/v1/complaints/export.csv", app.base))
            .bearer_auth(&head)
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}'), "a UTF-8 BOM first");
        assert!(csv.contains(&id) && !csv.contains(NAME) && !csv.contains(PHONE));

        // The inspector and the head see the report, never the identity by default.
        for token in [&inspector, &head] {
            let a = app.get(&format!("/api/v1/complaints/{id}"), token).await;
            assert_eq!(a.status, StatusCode::OK);
            assert!(!leaks(&a.body), "{:?}", a.body);
            assert_eq!(a.body["kind"], "denunciation");
            assert_eq!(
                app.get(&format!("/api/v1/complaints/{id}/identity"), token)
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
        // Law on Denunciations Art. 24(1): initial handling within 7 working days of 10/3/2026.
        let got = app
            .get(&format!("/api/v1/complaints/{id}"), &inspector)
            .await;
        let initial = got.body["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["clock"] == "initial_handling")
            .unwrap();
        // 11, 12, 13, 16, 17, 18, 19 March.
        assert_eq!(initial["due_on"], "2026-03-19");

        // Ask, decide, view.
        let by_head = app
            .post(
                &format!("/api/v1/complaints/{id}/identity-requests"),
                &head,
                json!({"motivation": "x"}),
            )
            .await;
        assert_eq!(by_head.status, StatusCode::FORBIDDEN);
        let asked = app
            .post(
                &format!("/api/v1/complaints/{id}/identity-requests"),
                &inspector,
                json!({"reason": "cần đối chất, xác minh lời khai của người tố cáo"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{:?}", asked.body);
        let request = asked.body["identity_requests"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let self_approval = app
            .post(
                &format!("/api/v1/complaints/{id}/identity-requests/{request}/decision"),
                &inspector,
                json!({"approve": true, "reason": "x"}),
            )
            .await;
        assert_eq!(self_approval.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get(&format!("/api/v1/complaints/{id}/identity"), &inspector)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let approved = app
            .post(
                &format!("/api/v1/complaints/{id}/identity-requests/{request}/decision"),
                &head,
                json!({"approve": true, "reason": "cần thiết cho xác minh"}),
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
        assert!(!leaks(&approved.body));
        let again = app
            .post(
                &format!("/api/v1/complaints/{id}/identity-requests/{request}/decision"),
                &head,
                json!({"approve": false, "reason": "x"}),
            )
            .await;
        assert_eq!(again.code(), "complaint.request_decided");
        let shown = app
            .get(&format!("/api/v1/complaints/{id}/identity"), &inspector)
            .await;
        assert_eq!(shown.status, StatusCode::OK);
        assert_eq!(shown.body["name"], NAME);
        assert_eq!(shown.body["phone"], PHONE);
        // Only to that inspector: the head, the accused and the others still get 404.
        for token in [&head, &accused_token, &sibling_inspector, &hr, &staff_token] {
            assert_eq!(
                app.get(&format!("/api/v1/complaints/{id}/identity"), token)
                    .await
                    .status,
                StatusCode::NOT_FOUND
            );
        }
        let events = congvu_db::audit::for_object(app.state.db.reader(), "complaint", &id)
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "complaint.submit",
                "complaint.identity_request",
                "complaint.identity_decision",
                "complaint.identity_view"
            ]
        );

        // Triage and conclusion: the citizen reads the conclusion with the receipt.
        let personal = app
            .post(
                &format!("/api/v1/complaints/{id}/notes"),
                &inspector,
                json!({"tier": "personal", "body": "ghi chú riêng"}),
            )
            .await;
        assert_eq!(personal.status, StatusCode::CREATED);
        let head_view = app.get(&format!("/api/v1/complaints/{id}"), &head).await;
        assert!(
            !head_view.body.to_string().contains("ghi chú riêng"),
            "a personal note stays personal"
        );
        let accepted = app
            .post(
                &format!("/api/v1/complaints/{id}/transitions"),
                &inspector,
                json!({"to": "accepted", "tier": "citizen", "reason": "đủ điều kiện thụ lý"}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
        assert_eq!(accepted.body["accepted_on"], "2026-03-10");
        // Law on Denunciations Art. 30: 30 days from acceptance, two extensions of 30 at most.
        for _ in 0..2 {
            let e = app
                .post(
                    &format!("/api/v1/complaints/{id}/extensions"),
                    &inspector,
                    json!({"reason": "vụ việc phức tạp"}),
                )
                .await;
            assert_eq!(e.status, StatusCode::OK, "{:?}", e.body);
        }
        let third = app
            .post(
                &format!("/api/v1/complaints/{id}/extensions"),
                &inspector,
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(third.code(), "complaint.extension_refused");
        let extended = app
            .get(&format!("/api/v1/complaints/{id}"), &inspector)
            .await;
        let resolution = extended.body["deadlines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["clock"] == "resolution")
            .unwrap();
        // 10/3 + 30 + 2 × 30 days.
        assert_eq!(resolution["due_on"], "2026-06-08");
        let no_violation = app
            .post(&format!("/api/v1/complaints/{id}/transitions"), &inspector,
                json!({"to": "concluded", "reason": "x", "outcome": "substantiated", "conclusion": "Tố cáo đúng."}))
            .await;
        assert_eq!(no_violation.fields(), ["violations"]);
        let sets = app
            .get(
                &format!("/api/v1/units/{ward}/code-sets?on=2026-03-09"),
                &root,
            )
            .await;
        let five = sets.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "5khong")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let violation = app
            .post("/api/v1/violations", &hr, json!({"person_id": accused, "code_set_id": five, "item_code": "KHONG-2", "source": "citizen_complaint",
                "started_on": "2026-03-09", "ended_on": "2026-03-09", "discovered_on": "2026-03-10", "consequence": "serious",
                "description": "Gợi ý nộp tiền ngoài quy định", "reason": "từ tố cáo của công dân"}))
            .await;
        assert_eq!(
            violation.status,
            StatusCode::CREATED,
            "{:?}",
            violation.body
        );
        let violation = violation.body["id"].as_str().unwrap().to_owned();
        let concluded = app
            .post(&format!("/api/v1/complaints/{id}/transitions"), &inspector,
                json!({"to": "concluded", "reason": "đã xác minh", "outcome": "substantiated",
                    "conclusion": "Nội dung tố cáo là đúng; cán bộ bị xử lý theo quy định.", "violation_ids": [violation]}))
            .await;
        assert_eq!(concluded.status, StatusCode::OK, "{:?}", concluded.body);
        assert_eq!(concluded.body["violation_ids"], json!([violation]));
        let status = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints/status",
                None,
                Some(json!({"receipt": receipt})),
            )
            .await;
        assert_eq!(status.body["state"], "concluded");
        let texts: Vec<&str> = status.body["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        assert!(
            texts.contains(&"Nội dung tố cáo là đúng; cán bộ bị xử lý theo quy định."),
            "{texts:?}"
        );
        assert!(!texts.contains(&"ghi chú riêng"));
    });
}
