//! Violations over HTTP: recorded against a code item pinned to the version in force, verified
//! step by step with reasons, notes by visibility tier, scoped like everything else.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::each_backend;

struct World {
    root: String,
    ward: String,
    sibling: String,
    person: String,
    five_khong: String,
}

async fn world(app: &tests::TestApp) -> World {
    let tests::Province {
        root,
        ward,
        sibling,
        ..
    } = app.province().await;
    let person = app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
    let five_khong = app.code_set(&root, &ward, "5khong", "2026-03-02").await;
    World {
        root,
        ward,
        sibling,
        person,
        five_khong,
    }
}

fn report(w: &World) -> Value {
    json!({"person_id": w.person, "code_set_id": w.five_khong, "item_code": "KHONG-1", "source": "citizen_complaint",
        "started_on": "2026-03-02", "ended_on": "2026-03-02", "discovered_on": "2026-03-04", "place": "Bộ phận Một cửa",
        "consequence": "less_serious", "description": "Yêu cầu người dân bổ sung giấy tờ ngoài quy định, đi lại ba lần", "reason": "phản ánh của công dân"})
}

#[tokio::test]
async fn a_violation_is_verified_step_by_step_with_reasons() {
    each_backend!(|app| {
        let w = world(&app).await;
        let (_, hr) = app.officer(&w.root, "hr.ph", "hr_officer", &w.ward).await;
        let created = app.post("/api/v1/violations", &hr, report(&w)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        assert_eq!(created.body["state"], "reported");
        assert_eq!(created.body["unit_id"], w.ward.as_str());
        assert_eq!(created.body["code_set_id"], w.five_khong.as_str());
        let id = created.body["id"].as_str().unwrap().to_owned();

        let skip = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                &hr,
                json!({"to": "confirmed", "reason": "x"}),
            )
            .await;
        assert_eq!(skip.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(skip.body["errors"][0]["code"], "transition_not_allowed");
        for (to, why) in [
            ("under_verification", "xác minh"),
            ("confirmed", "đã xác minh, có biên bản"),
        ] {
            let a = app
                .post(
                    &format!("/api/v1/violations/{id}/transitions"),
                    &hr,
                    json!({"to": to, "reason": why}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        }
        let got = app.get(&format!("/api/v1/violations/{id}"), &hr).await;
        assert_eq!(got.body["state"], "confirmed");
        let reasons: Vec<&str> = got.body["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["xác minh", "đã xác minh, có biên bản"]);
        let no_reason = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                &hr,
                json!({"to": "dismissed"}),
            )
            .await;
        assert_eq!(no_reason.fields(), ["reason"]);

        let events = congvu_db::audit::for_object(app.state.db.reader(), "violation", &id)
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "violation.create",
                "violation.transition",
                "violation.transition"
            ]
        );

        let listed = app
            .get(
                &format!("/api/v1/violations?unit_id={}&state=confirmed", w.ward),
                &hr,
            )
            .await;
        assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
        let by_person = app
            .get(
                &format!("/api/v1/violations?person_id={}&from=2026-03-03", w.person),
                &hr,
            )
            .await;
        assert_eq!(
            by_person.body["items"].as_array().unwrap().len(),
            0,
            "the act started on 2 March"
        );
    });
}

#[tokio::test]
async fn notes_are_seen_by_their_tier() {
    each_backend!(|app| {
        let w = world(&app).await;
        let (_, hr) = app.officer(&w.root, "hr.ph", "hr_officer", &w.ward).await;
        let (_, inspector) = app.officer(&w.root, "tt.ph", "inspector", &w.ward).await;
        let id = app.post("/api/v1/violations", &hr, report(&w)).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.post(
            &format!("/api/v1/violations/{id}/notes"),
            &hr,
            json!({"visibility": "internal", "body": "Đã mời làm việc"}),
        )
        .await;
        let mine = app
            .post(
                &format!("/api/v1/violations/{id}/notes"),
                &hr,
                json!({"visibility": "personal", "body": "Nghi có người quen"}),
            )
            .await;
        assert_eq!(mine.status, StatusCode::CREATED);
        assert_eq!(mine.body["items"].as_array().unwrap().len(), 2);
        let seen = app
            .get(&format!("/api/v1/violations/{id}"), &inspector)
            .await;
        let bodies: Vec<&str> = seen.body["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["body"].as_str().unwrap())
            .collect();
        assert_eq!(bodies, ["Đã mời làm việc"]);
        let events = congvu_db::audit::for_object(app.state.db.reader(), "violation", &id)
            .await
            .unwrap();
        assert!(
            events
                .iter()
                .all(|e| !e.change.contains("Nghi có người quen")),
            "a personal note stays out of the audit payload"
        );
        // An inspector reads but does not move a violation.
        let moved = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                &inspector,
                json!({"to": "under_verification", "reason": "x"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::FORBIDDEN);
    });
}

#[tokio::test]
async fn a_sibling_units_officer_gets_404_on_every_violation_url() {
    each_backend!(|app| {
        let w = world(&app).await;
        let (_, hr) = app.officer(&w.root, "hr.ph", "hr_officer", &w.ward).await;
        let (_, other) = app
            .officer(&w.root, "hr.at", "hr_officer", &w.sibling)
            .await;
        let id = app.post("/api/v1/violations", &hr, report(&w)).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.get(&format!("/api/v1/violations/{id}"), &other)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let moved = app
            .post(
                &format!("/api/v1/violations/{id}/transitions"),
                &other,
                json!({"to": "under_verification", "reason": "x"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::NOT_FOUND);
        let note = app
            .post(
                &format!("/api/v1/violations/{id}/notes"),
                &other,
                json!({"visibility": "internal", "body": "x"}),
            )
            .await;
        assert_eq!(note.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get("/api/v1/violations", &other).await.body["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            app.get(&format!("/api/v1/violations?unit_id={}", w.ward), &other)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let against = app.post("/api/v1/violations", &other, report(&w)).await;
        assert_eq!(against.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(against.fields(), ["person_id"]);
    });
}

/// Decree 61/2018 Art. 5(1) ended on 30/6/2025: its items cannot be cited for an act of 2026; the
/// code item must exist; the person must have been employed on the day; dates are checked.
#[tokio::test]
async fn the_code_item_must_be_in_force_for_the_unit_on_the_day_nd_61_2018() {
    each_backend!(|app| {
        let w = world(&app).await;
        let old = app
            .get(
                "/api/v1/code-sets?national=true&key=nd61_2018_art5",
                &w.root,
            )
            .await
            .body["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut body = report(&w);
        body["code_set_id"] = json!(old);
        body["item_code"] = json!("5.1.A");
        let a = app.post("/api/v1/violations", &w.root, body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(a.body["errors"][0]["code"], "not_in_force");
        let mut unknown = report(&w);
        unknown["item_code"] = json!("KHONG-9");
        assert_eq!(
            app.post("/api/v1/violations", &w.root, unknown).await.body["errors"][0]["code"],
            "unknown_item"
        );
        let mut early = report(&w);
        early["started_on"] = json!("2025-06-01");
        early["ended_on"] = json!("2025-06-01");
        assert_eq!(
            app.post("/api/v1/violations", &w.root, early).await.body["errors"][0]["code"],
            "not_employed"
        );
        let bad = app.post("/api/v1/violations", &w.root, json!({"person_id": w.person, "source": "rumour", "started_on": "2026-03-09", "discovered_on": "2026-03-01", "consequence": "x", "reason": "x"})).await;
        assert_eq!(
            bad.fields(),
            [
                "code_set_id",
                "consequence",
                "description",
                "discovered_on",
                "item_code",
                "source"
            ]
        );
    });
}

async fn upload(
    app: &tests::TestApp,
    token: &str,
    id: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!(
            "{}/api/v1/violations/{id}/evidence?{query}",
            app.base
        ))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Evidence is stored with its size and SHA-256, typed from an allow-list, limited in size,
/// downloaded as an attachment, and scoped with its violation.
#[tokio::test]
async fn evidence_files_round_trip_with_their_hash_and_stay_in_scope() {
    each_backend!(|app| {
        let w = world(&app).await;
        let (_, hr) = app.officer(&w.root, "hr.ph", "hr_officer", &w.ward).await;
        let (_, inspector) = app.officer(&w.root, "tt.ph", "inspector", &w.ward).await;
        let (_, other) = app
            .officer(&w.root, "hr.at", "hr_officer", &w.sibling)
            .await;
        let id = app.post("/api/v1/violations", &hr, report(&w)).await.body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let content = "Biên bản làm việc ngày 04/3/2026: ông Nam thừa nhận sai phạm."
            .as_bytes()
            .to_vec();
        let query =
            "filename=bi%C3%AAn%20b%E1%BA%A3n.txt&reason=bi%C3%AAn%20b%E1%BA%A3n%20x%C3%A1c%20minh";
        let (status, stored) = upload(
            &app,
            &hr,
            &id,
            query,
            "text/plain; charset=utf-8",
            content.clone(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{stored:?}");
        assert_eq!(stored["filename"], "biên bản.txt");
        assert_eq!(stored["size"], content.len());
        assert_eq!(stored["sha256"], congvu_core::audit::digest_bytes(&content));
        let evidence_id = stored["id"].as_str().unwrap().to_owned();

        let detail = app
            .get(&format!("/api/v1/violations/{id}"), &inspector)
            .await;
        assert_eq!(detail.body["evidence"][0]["id"], evidence_id.as_str());
        let download = app
            .http
            .get(format!(
                "{}/api/v1/violations/{id}/evidence/{evidence_id}",
                app.base
            ))
            .bearer_auth(&inspector)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.headers()["content-type"], "text/plain");
        assert_eq!(
            download.headers()["content-disposition"],
            "attachment; filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.txt"
        );
        assert_eq!(download.bytes().await.unwrap().to_vec(), content);

        let (html, problem) = upload(
            &app,
            &hr,
            &id,
            "filename=x.html&reason=x",
            "text/html",
            b"<script>alert(1)</script>".to_vec(),
        )
        .await;
        assert_eq!(html, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(problem["code"], "evidence.type_not_allowed");
        // A Windows executable sent as a PDF is refused by its bytes (issue 20 §6), not stored.
        let (exe, problem) = upload(
            &app,
            &hr,
            &id,
            "filename=bien-ban.pdf&reason=x",
            "application/pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
        )
        .await;
        assert_eq!(exe, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(problem["code"], "upload.content_mismatch");
        let (missing, problem) = upload(&app, &hr, &id, "", "image/png", vec![1, 2, 3]).await;
        assert_eq!(missing, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["filename", "reason"]);
        let too_big = vec![0u8; 10 * 1024 * 1024 + 1];
        let (large, _) = upload(
            &app,
            &hr,
            &id,
            "filename=cam.mp4&reason=camera",
            "video/mp4",
            too_big,
        )
        .await;
        assert_eq!(large, StatusCode::PAYLOAD_TOO_LARGE);
        let (viewer, _) = upload(
            &app,
            &inspector,
            &id,
            "filename=a.png&reason=x",
            "image/png",
            b"\x89PNG\r\n\x1a\n".to_vec(),
        )
        .await;
        assert_eq!(viewer, StatusCode::FORBIDDEN);

        let (foreign, _) = upload(
            &app,
            &other,
            &id,
            "filename=a.png&reason=x",
            "image/png",
            b"\x89PNG\r\n\x1a\n".to_vec(),
        )
        .await;
        assert_eq!(foreign, StatusCode::NOT_FOUND);
        let foreign_download = app
            .get(
                &format!("/api/v1/violations/{id}/evidence/{evidence_id}"),
                &other,
            )
            .await;
        assert_eq!(foreign_download.status, StatusCode::NOT_FOUND);
        let events = congvu_db::audit::for_object(app.state.db.reader(), "violation", &id)
            .await
            .unwrap();
        assert_eq!(
            events
                .iter()
                .filter(|e| e.action == "violation.evidence")
                .count(),
            1,
            "refused uploads leave nothing"
        );
    });
}
