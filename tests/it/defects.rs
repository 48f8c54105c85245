//! Defects a new user met (issue 19), each shown fixed over HTTP on both backends.

use reqwest::StatusCode;
use serde_json::json;

use crate::each_backend;

/// A unit head forwards a report at triage to a sibling ward outside their units: the forward
/// happened, and the answer says so (200, where it went, no report body since it is no longer
/// theirs), not 404. The sibling's head then finds it (Decree 20/2008 Art. 9: a report outside a
/// unit's remit is forwarded to the competent one).
#[tokio::test]
async fn a_forward_out_of_the_callers_units_answers_where_it_went() {
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
        app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
        let (_, head) = app.officer(&root, "ct.ph", "unit_head", &ward).await;
        let (_, sibling_head) = app.officer(&root, "ct.at", "unit_head", &sibling).await;
        let submitted = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints",
                None,
                Some(json!({"staff_code": "HY-77", "description": "Cán bộ hẹn trả kết quả nhiều lần không đúng hẹn",
                    "kind": "feedback"})),
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::CREATED,
            "{:?}",
            submitted.body
        );
        let listed = app.get("/api/v1/complaints", &head).await;
        let id = listed.body["items"][0]["id"].as_str().unwrap().to_owned();

        let forwarded = app
            .post(
                &format!("/api/v1/complaints/{id}/forward"),
                &head,
                json!({"unit_id": sibling, "reason": "thuộc thẩm quyền của xã Ân Thi"}),
            )
            .await;
        assert_eq!(forwarded.status, StatusCode::OK, "{:?}", forwarded.body);
        assert_eq!(forwarded.body["id"], id.as_str());
        assert_eq!(forwarded.body["unit_id"], sibling.as_str());
        assert_eq!(forwarded.body["unit_name"], "Xã Ân Thi");
        assert!(forwarded.body["report"].is_null(), "{:?}", forwarded.body);
        let gone = app.get(&format!("/api/v1/complaints/{id}"), &head).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        let there = app
            .get(&format!("/api/v1/complaints/{id}"), &sibling_head)
            .await;
        assert_eq!(there.status, StatusCode::OK, "{:?}", there.body);
        assert_eq!(there.body["unit_id"], sibling.as_str());

        // The province's head reaches both wards: the answer carries the report.
        let (_, province_head) = app.officer(&root, "ct.hy", "unit_head", &province).await;
        let back = app
            .post(
                &format!("/api/v1/complaints/{id}/forward"),
                &province_head,
                json!({"unit_id": ward, "reason": "trả về phường để xử lý"}),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK, "{:?}", back.body);
        assert_eq!(back.body["report"]["unit_id"], ward.as_str());
    });
}

/// Registering for an emulation title (Law on Emulation and Commendation 2022; the window of
/// `data/assessment.toml`, 1/12 to 31/3): an unknown person is 404 whatever the day, not
/// `registration_closed`; a known person outside the window is refused with the window's rule.
#[tokio::test]
async fn registering_an_unknown_person_is_404_not_registration_closed() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "NA", "Tỉnh Nghệ An", "province", None)
            .await;
        let person = app.staff(&root, "NA-1", "Hồ Thị Vân", &unit).await;
        let (_, officer) = app
            .officer(&root, "td.na", "emulation_officer", &unit)
            .await;
        for year in [2026, 2030] {
            let unknown = app
                .post(
                    "/api/v1/emulation/registrations",
                    &officer,
                    json!({"subject_kind": "person", "subject_id": uuid::Uuid::new_v4(), "year": year,
                           "titles": ["ldtt"], "reason": "đăng ký thi đua"}),
                )
                .await;
            assert_eq!(
                unknown.status,
                StatusCode::NOT_FOUND,
                "{year}: {:?}",
                unknown.body
            );
        }
        let closed = app
            .post(
                "/api/v1/emulation/registrations",
                &officer,
                json!({"subject_kind": "person", "subject_id": person, "year": 2030,
                       "titles": ["ldtt"], "reason": "đăng ký thi đua"}),
            )
            .await;
        assert_eq!(
            closed.code(),
            "emulation.registration_closed",
            "{:?}",
            closed.body
        );
    });
}

/// Every change carries a reason: an inspector's request to see a complainant's identity takes
/// `reason` (Law on Denunciations 2018 Art. 47–48: the identity is opened only on an approved,
/// logged request), and a request without one names the field.
#[tokio::test]
async fn an_identity_request_takes_a_reason() {
    each_backend!(|app| {
        let root = app.root().await;
        let ward = app
            .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", None)
            .await;
        app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
        let (_, inspector) = app.officer(&root, "tt.ph", "inspector", &ward).await;
        let submitted = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints",
                None,
                Some(json!({"staff_code": "HY-77", "description": "Cán bộ gợi ý nộp tiền để hồ sơ nhanh hơn",
                    "kind": "denunciation", "identity": {"name": "Trần Thị Mai", "phone": "0912 345 678"}})),
            )
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::CREATED,
            "{:?}",
            submitted.body
        );
        let listed = app.get("/api/v1/complaints", &inspector).await;
        let id = listed.body["items"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/complaints/{id}/identity-requests");
        let missing = app.post(&path, &inspector, json!({})).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.fields(), ["reason"]);
        let asked = app
            .post(
                &path,
                &inspector,
                json!({"reason": "cần đối chất lời khai của người tố cáo"}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{:?}", asked.body);
        assert_eq!(
            asked.body["identity_requests"][0]["motivation"],
            "cần đối chất lời khai của người tố cáo"
        );
    });
}

/// A query parameter the endpoint does not take is refused with 422 naming it, never ignored (an
/// ignored `code=` listed every unit; an ignored `limit=` sent 20,008 entries); a path segment
/// that is not an identifier is named; an identifier with a file extension the resource does not
/// serve is 404.
#[tokio::test]
async fn unknown_query_parameters_and_bad_path_segments_are_named() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let listed = app.get("/api/v1/units?q=hung&limit=5", &root).await;
        assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);

        let unknown = app.get("/api/v1/units?code=HY", &root).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unknown.code(), "request.unprocessable");
        assert_eq!(unknown.fields(), ["code"]);
        assert_eq!(unknown.body["errors"][0]["code"], "unknown_parameter");
        let on_a_resource = app
            .get(&format!("/api/v1/units/{unit}?limit=10"), &root)
            .await;
        assert_eq!(on_a_resource.fields(), ["limit"]);
        // Without a token the answer is still 401: the query is checked after authentication.
        let anonymous = app
            .call(reqwest::Method::GET, "/api/v1/units?code=HY", None, None)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        let bad_id = app.get("/api/v1/units/not-a-uuid", &root).await;
        assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_id.fields(), ["id"]);
        assert!(
            bad_id.body["detail"].as_str().unwrap().contains("id"),
            "{:?}",
            bad_id.body
        );
        let sets = app.get("/api/v1/code-sets?limit=1", &root).await;
        let set = sets.body["items"][0]["id"].as_str().unwrap().to_owned();
        let pdf = app
            .get(&format!("/api/v1/code-sets/{set}.pdf"), &root)
            .await;
        assert_eq!(pdf.status, StatusCode::NOT_FOUND, "{:?}", pdf.body);
        assert_eq!(pdf.code(), "not_found");
    });
}

/// The reasons of stored audit events with this action, oldest first.
async fn audit_reasons(app: &tests::TestApp, action: &str) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    let db = app.state.db.reader();
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT reason FROM audit_events WHERE action = $1 ORDER BY seq"
        }
        _ => "SELECT reason FROM audit_events WHERE action = ? ORDER BY seq",
    };
    db.query_all_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [action.into()],
    ))
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get::<String>("", "reason").unwrap())
    .collect()
}

/// Drafting a commitment template and launching a campaign take a `reason`, kept in the audit
/// log (every change carries one); without it the event says what happened. The yearly
/// commitment itself is Directive 26/CT-TTg's signing of the year's code of conduct.
#[tokio::test]
async fn commitment_templates_and_campaigns_take_a_reason() {
    each_backend!(|app| {
        let root = app.root().await;
        let p = app
            .unit(&root, "TH", "Tỉnh Thanh Hóa", "province", None)
            .await;
        let (_, head) = app.officer(&root, "ct.th", "unit_head", &p).await;
        let template = app
            .post(
                &format!("/api/v1/units/{p}/commitment-templates"),
                &head,
                json!({"year": 2026, "title": "Bản cam kết năm 2026",
                       "items": [{"code": "CK-01", "text": "Chấp hành kỷ luật, kỷ cương hành chính"}],
                       "reason": "theo Chỉ thị 26/CT-TTg"}),
            )
            .await;
        assert_eq!(template.status, StatusCode::CREATED, "{:?}", template.body);
        let id = template.body["id"].as_str().unwrap().to_owned();
        let changed = app
            .put(
                &format!("/api/v1/commitment-templates/{id}"),
                &head,
                json!({"year": 2026, "title": "Bản cam kết thực hiện văn hóa công vụ năm 2026",
                       "items": [{"code": "CK-01", "text": "Chấp hành kỷ luật, kỷ cương hành chính"}]}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
        let published = app
            .post(
                &format!("/api/v1/commitment-templates/{id}/publish"),
                &head,
                json!({}),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
        let campaign = app
            .post(
                &format!("/api/v1/units/{p}/commitment-campaigns"),
                &head,
                json!({"year": 2026, "template_id": id, "due_on": "2026-03-31",
                       "reason": "phát động ký cam kết đầu năm"}),
            )
            .await;
        assert_eq!(campaign.status, StatusCode::CREATED, "{:?}", campaign.body);
        assert_eq!(
            audit_reasons(&app, "commitment_template.create").await,
            ["theo Chỉ thị 26/CT-TTg"]
        );
        assert_eq!(
            audit_reasons(&app, "commitment_template.update").await,
            ["draft revised"]
        );
        assert_eq!(
            audit_reasons(&app, "commitment_campaign.launch").await,
            ["phát động ký cam kết đầu năm"]
        );
    });
}

/// The account-less API refuses parameters it does not take too, and a request guard's 422 names
/// its own part (a too-long `Idempotency-Key`), never a query parameter.
#[tokio::test]
async fn the_public_api_names_what_it_refuses() {
    each_backend!(|app| {
        let status = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints/status?ma=1",
                None,
                Some(json!({"receipt": "0000-0000-0000-0000"})),
            )
            .await;
        assert_eq!(status.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status.fields(), ["ma"]);
        let long_key = app
            .http
            .post(format!("{}/api/v1/public/complaints", app.base))
            .header("Idempotency-Key", "k".repeat(300))
            .json(&json!({"unit_code": "X", "description": "Cán bộ đến muộn"}))
            .send()
            .await
            .unwrap();
        assert_eq!(long_key.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = long_key.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "Idempotency-Key", "{body}");
    });
}

/// An offset past what SQL takes (2^63) made all eleven list endpoints answer 500, a panic in
/// the query builder (issue 20 §6): it is 422 naming `offset`, and the largest one SQL takes
/// answers an empty page.
#[tokio::test]
async fn an_offset_past_what_sql_takes_is_422_on_every_list() {
    each_backend!(|app| {
        let root = app.root().await;
        for list in [
            "units",
            "staff",
            "users",
            "code-sets",
            "cases",
            "violations",
            "letters",
            "outbox",
            "complaints",
            "commitment-templates",
            "commitment-campaigns",
        ] {
            let over = app
                .get(&format!("/api/v1/{list}?offset=9223372036854775808"), &root)
                .await;
            assert_eq!(
                over.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{list}: {:?}",
                over.body
            );
            assert_eq!(over.fields(), ["offset"], "{list}");
            let last = app
                .get(&format!("/api/v1/{list}?offset=9223372036854775807"), &root)
                .await;
            assert_eq!(last.status, StatusCode::OK, "{list}: {:?}", last.body);
            assert_eq!(last.body["items"], json!([]), "{list}");
        }
    });
}

/// Issue 19: the application state is built from its parts without touching anything outside: a
/// program passes its keys and mail transport, and no data directory or key file appears.
#[tokio::test]
async fn the_state_is_built_from_its_parts_without_side_effects() {
    let scratch = tempfile::tempdir().unwrap();
    let data_dir = scratch.path().join("never-created");
    let url = congvu_db::sqlite_url(&scratch.path().join("congvu.db"));
    let db = congvu_db::Db::connect_and_migrate(&url).await.unwrap();
    let config = congvu_app::config::AppConfig {
        data_dir: data_dir.clone(),
        database_url: Some(url),
        ..congvu_app::config::AppConfig::default()
    };
    let hex_keys = "ab".repeat(64);
    let secrets = congvu_app::secrets::Secrets::from_hex(&hex_keys).unwrap();
    let mail = congvu_mail::Transport::new(&config.mail_settings()).unwrap();
    let state = congvu_app::AppState::new(
        db,
        congvu_app::clock::Clock::fixed(tests::test_now()),
        config,
        secrets,
        mail,
    )
    .unwrap();
    assert!(
        !data_dir.exists(),
        "AppState::new created the data directory"
    );
    // The keys in use are the ones passed in.
    let again = congvu_app::secrets::Secrets::from_hex(&hex_keys).unwrap();
    assert_eq!(
        state.secrets.receipt_hash("123456789012345").unwrap(),
        again.receipt_hash("123456789012345").unwrap()
    );
    assert!(congvu_app::secrets::Secrets::from_hex("abc").is_err());
    state.db.close().await.unwrap();
}

/// Reading never writes: the state `verify-audit` opens reads the key file when there and
/// otherwise holds keys in memory, so a node without `secrets.key` does not get new keys by
/// verifying (a review finding on issue 19's constructor change).
#[tokio::test]
async fn the_read_only_state_creates_no_key_file() {
    let scratch = tempfile::tempdir().unwrap();
    let data_dir = scratch.path().join("elsewhere");
    let url = congvu_db::sqlite_url(&scratch.path().join("congvu.db"));
    let db = congvu_db::Db::connect_and_migrate(&url).await.unwrap();
    let config = congvu_app::config::AppConfig {
        data_dir: data_dir.clone(),
        database_url: Some(url),
        ..congvu_app::config::AppConfig::default()
    };
    let state = congvu_app::AppState::open_read_only(
        db,
        congvu_app::clock::Clock::fixed(tests::test_now()),
        config,
    )
    .unwrap();
    assert!(
        !data_dir.exists(),
        "the read-only state created the data directory"
    );
    state.db.close().await.unwrap();
}
