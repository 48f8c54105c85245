//! Bad input gets a 422 problem document listing every invalid field, and nothing is stored.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::each_backend;

#[tokio::test]
async fn unit_creation_lists_every_invalid_field() {
    each_backend!(|app| {
        let root = app.root().await;
        let a = app.post("/api/v1/units", &root, json!({"code": "Hưng Yên", "name": "  ", "kind": "county", "valid_from": "2026-01-01", "valid_to": "2025-01-01"})).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(a.content_type, "application/problem+json");
        assert_eq!(a.code(), "validation.failed");
        assert_eq!(a.fields(), ["code", "kind", "name", "reason", "valid_to"]);
        let list = app.get("/api/v1/units", &root).await;
        assert_eq!(
            list.body["items"].as_array().unwrap().len(),
            0,
            "nothing stored"
        );
    });
}

#[tokio::test]
async fn staff_creation_lists_person_and_employment_fields() {
    each_backend!(|app| {
        let root = app.root().await;
        let a = app
            .post(
                "/api/v1/staff",
                &root,
                json!({"staff_code": "", "full_name": "Nguyễn Văn A", "email": "không-phải-email",
            "employment": {"category": "sếp", "position": ""}, "reason": "x"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
        assert_eq!(
            a.fields(),
            [
                "email",
                "employment.category",
                "employment.position",
                "employment.unit_id",
                "employment.valid_from",
                "staff_code"
            ]
        );
    });
}

/// Legal brief §11.1: every rule carries a legal basis; a code item without a document is refused.
#[tokio::test]
async fn code_set_items_are_validated_with_their_index() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "HN", "Thành phố Hà Nội", "province", None)
            .await;
        let a = app.post("/api/v1/code-sets", &root, json!({"unit_id": unit, "key": "5khong", "title_vi": "5 không", "document": "QĐ 1",
            "valid_from": "2026-01-01", "reason": "x",
            "items": [{"code": "K1", "group": "g", "text_vi": "t", "document": "", "default_severity": "less_serious"},
                      {"code": "K1", "group": "g", "text_vi": "t", "document": "d", "default_severity": "huge"}]})).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", a.body);
        assert_eq!(
            a.fields(),
            [
                "items[0].document",
                "items[1].code",
                "items[1].default_severity"
            ]
        );
    });
}

#[tokio::test]
async fn malformed_unknown_and_oversized_bodies_are_problems() {
    each_backend!(|app| {
        let root = app.root().await;
        let raw = app
            .http
            .post(format!("{}/api/v1/units", app.base))
            .bearer_auth(&root)
            .header("content-type", "application/json")
            .body("{\"code\":")
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
        assert_eq!(raw.headers()["content-type"], "application/problem+json");
        let unknown = app.post("/api/v1/units", &root, json!({"code": "X", "name": "X", "kind": "province", "valid_from": "2025-07-01", "reason": "x", "id": "spoofed"})).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(unknown.code(), "body.malformed");
        let huge = "x".repeat(300 * 1024);
        let big = app.post("/api/v1/units", &root, json!({"code": "X", "name": huge, "kind": "province", "valid_from": "2025-07-01", "reason": "x"})).await;
        assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(big.code(), "body.too_large");
        let page = app.get("/api/v1/units?limit=101", &root).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.fields(), ["limit"]);
        let nowhere = app
            .call(Method::GET, "/api/v1/nowhere", Some(&root), None)
            .await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(nowhere.content_type, "application/problem+json");
    });
}

/// All text input is NFC-normalised: an NFD name is stored as NFC and found without accents.
#[tokio::test]
async fn nfd_input_is_stored_nfc_and_found_accent_insensitively() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app.unit(&root, "DL", "Xã Đô Lương", "commune", None).await;
        let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} Đa\u{0300}o";
        let id = app.staff(&root, "DL-1", nfd, &unit).await;
        let got = app.get(&format!("/api/v1/staff/{id}"), &root).await;
        assert_eq!(got.body["full_name"], "Nguyễn Thị Đào");
        let found = app.get("/api/v1/staff?q=nguyen%20thi%20dao", &root).await;
        assert_eq!(found.body["items"].as_array().unwrap().len(), 1);
        let found_accented = app.get("/api/v1/staff?q=%C4%90%C3%80O", &root).await;
        assert_eq!(found_accented.body["items"].as_array().unwrap().len(), 1);
    });
}

#[tokio::test]
async fn every_bad_query_parameter_is_listed_at_once() {
    each_backend!(|app| {
        let root = app.root().await;
        let units = app
            .get(
                "/api/v1/units?kind=county&limit=0&valid_on=2026-13-01&parent_id=abc",
                &root,
            )
            .await;
        assert_eq!(units.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(units.fields(), ["limit", "kind", "parent_id", "valid_on"]);
        let staff = app
            .get("/api/v1/staff?category=boss&on=yesterday&offset=-1", &root)
            .await;
        assert_eq!(staff.fields(), ["offset", "on", "category"]);
        let unit = app
            .unit(&root, "HB", "Tỉnh Hòa Bình", "province", None)
            .await;
        let cal = app
            .get(
                &format!("/api/v1/units/{unit}/calendar?to=2026-01-01"),
                &root,
            )
            .await;
        assert_eq!(cal.fields(), ["from"]);
        let deadline = app
            .get(
                &format!("/api/v1/units/{unit}/calendar/deadline?working_days=-3"),
                &root,
            )
            .await;
        assert_eq!(deadline.fields(), ["from", "working_days"]);
    });
}

/// `%` and `_` in a search are literal characters, not wildcards.
#[tokio::test]
async fn search_wildcards_are_matched_literally() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "QN", "Tỉnh Quảng Ninh", "province", None)
            .await;
        app.staff(&root, "QN_01", "Vũ Văn Hải", &unit).await;
        app.staff(&root, "QNX01", "Vũ Thị Hà", &unit).await;
        let exact = app.get("/api/v1/staff?q=qn_01", &root).await;
        let codes: Vec<&str> = exact.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["staff_code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["QN_01"]);
        let percent = app.get("/api/v1/staff?q=%25", &root).await;
        assert_eq!(percent.body["items"].as_array().unwrap().len(), 0);
    });
}

/// Sends `head` and `sent` body bytes of a promised 200 and waits (at most 20 s) for the answer.
async fn stalled_body(app: &tests::TestApp, head: &str, sent: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("{head}Content-Length: 200\r\n\r\n").as_bytes())
        .await
        .unwrap();
    stream.write_all(sent).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "no answer within 20 s to a stalled body");
    String::from_utf8_lossy(&answer).into_owned()
}

/// Issue 20 §6: a request that promises a body and stalls is answered 408 `body.timeout` after
/// `body_read_seconds` (1 s here), for JSON bodies and uploads alike. (A body stalled before its
/// 14th byte is held by Rocket itself before any guard runs: see OPERATIONS.md, the reverse
/// proxy's `client_body_timeout`.)
#[tokio::test]
async fn a_stalled_body_is_answered_408() {
    each_backend!(
        |app| {
            let login = stalled_body(
                &app,
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
                br#"{"username": "root", "pass"#,
            )
            .await;
            assert!(login.starts_with("HTTP/1.1 408"), "{login}");
            assert!(login.contains("body.timeout"), "{login}");
            let upload = stalled_body(
                &app,
                "POST /api/v1/public/complaints/attachments?filename=a.pdf HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nX-Receipt: 1111-2222-3333-4444\r\n",
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            )
            .await;
            assert!(upload.starts_with("HTTP/1.1 408"), "{upload}");
        },
        |config| {
            config.body_read_seconds = 1;
        }
    );
}
