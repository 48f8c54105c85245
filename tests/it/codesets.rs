//! Codes of conduct: national sets shipped and in force; a unit's own version, published,
//! immutable, pinned by its hash.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::each_backend;

fn content(text: &str) -> Value {
    let mut body = draft("", text);
    body.as_object_mut().unwrap().remove("unit_id");
    body
}

fn draft(unit: &str, text: &str) -> Value {
    json!({"unit_id": unit, "key": "5khong", "title_vi": "5 không của tỉnh Hưng Yên", "title_en": "Hưng Yên's five don'ts",
        "document": "Kế hoạch 115/KH-UBND", "confidence": "V", "valid_from": "2026-01-01", "reason": "ban hành bộ quy tắc của tỉnh",
        "items": [{"code": "K1", "group": "5 không", "text_vi": text, "document": "Kế hoạch 115/KH-UBND", "default_severity": "less_serious"},
                  {"code": "K2", "group": "5 không", "text_vi": "Không để người dân đi lại nhiều lần", "document": "Kế hoạch 115/KH-UBND", "default_severity": "less_serious"}]})
}

/// Legal brief §1 and §2: the nationwide "5 không" and Decision 129/2007 are in force everywhere;
/// Decree 61/2018 Art. 5(1) only until 30/6/2025.
#[tokio::test]
async fn national_sets_are_in_force_by_date_5_khong_qd_129_2007_nd_61_2018() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let now = app
            .get(
                &format!("/api/v1/units/{unit}/code-sets?on=2026-03-10"),
                &root,
            )
            .await;
        let keys: Vec<&str> = now.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "4luon",
                "4xin",
                "5khong",
                "ct26_2016",
                "qd129_2007",
                "working_time"
            ]
        );
        let five = &now.body["items"][2];
        assert_eq!(five["items"].as_array().unwrap().len(), 5);
        assert_eq!(
            five["items"][0]["text_vi"],
            "Không cửa quyền, hách dịch, gây khó khăn, phiền hà"
        );
        assert_eq!(five["content_hash"].as_str().unwrap().len(), 64);
        let then = app
            .get(
                &format!("/api/v1/units/{unit}/code-sets?on=2025-06-30"),
                &root,
            )
            .await;
        assert!(
            then.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["key"] == "nd61_2018_art5")
        );
    });
}

#[tokio::test]
async fn a_published_unit_version_is_immutable_and_replaces_the_national_one_below_it() {
    each_backend!(|app| {
        let root = app.root().await;
        let province = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let ward = app
            .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let (_, head) = app.officer(&root, "head.hy", "unit_head", &province).await;
        let (_, hr) = app.officer(&root, "hr.hy", "hr_officer", &province).await;

        let created = app
            .post("/api/v1/code-sets", &hr, draft(&province, "Không trễ hẹn"))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
        assert_eq!(created.body["status"], "draft");
        assert_eq!(created.body["version"], 1);
        let id = created.body["id"].as_str().unwrap().to_owned();
        // A draft can be revised; an HR officer may not publish.
        let revised = app
            .put(
                &format!("/api/v1/code-sets/{id}"),
                &hr,
                content("Không trễ hẹn với người dân"),
            )
            .await;
        assert_eq!(revised.status, StatusCode::OK, "{:?}", revised.body);
        assert_eq!(
            app.post(
                &format!("/api/v1/code-sets/{id}/publish"),
                &hr,
                json!({"reason": "x"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let published = app
            .post(
                &format!("/api/v1/code-sets/{id}/publish"),
                &head,
                json!({"reason": "Quyết định ban hành"}),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
        let hash = published.body["content_hash"].as_str().unwrap().to_owned();

        // Immutable: revising again is 409 and changes nothing.
        let edit = app
            .put(
                &format!("/api/v1/code-sets/{id}"),
                &head,
                content("Sửa lén"),
            )
            .await;
        assert_eq!(edit.status, StatusCode::CONFLICT);
        assert_eq!(edit.code(), "codeset.immutable");
        let again = app.get(&format!("/api/v1/code-sets/{id}"), &head).await;
        assert_eq!(
            again.body["items"][0]["text_vi"],
            "Không trễ hẹn với người dân"
        );
        assert_eq!(again.body["content_hash"], hash.as_str());
        assert_eq!(
            app.post(
                &format!("/api/v1/code-sets/{id}/publish"),
                &head,
                json!({"reason": "x"})
            )
            .await
            .code(),
            "codeset.transition_invalid"
        );

        // The ward under the province now follows the province's version; the national one stays stored.
        let in_force = app
            .get(
                &format!("/api/v1/units/{ward}/code-sets?on=2026-03-10"),
                &root,
            )
            .await;
        let five = in_force.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "5khong")
            .unwrap()
            .clone();
        assert_eq!(five["unit_id"], province.as_str());
        assert_eq!(five["content_hash"], hash.as_str());
        // National sets cannot be edited through the API.
        let national = app
            .get("/api/v1/code-sets?national=true&key=5khong", &root)
            .await;
        let national_id = national.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            app.put(
                &format!("/api/v1/code-sets/{national_id}"),
                &root,
                content("x")
            )
            .await
            .status,
            StatusCode::CONFLICT
        );

        // A new version of the same key is version 2; retiring version 1 leaves the national set in force.
        let v2 = app
            .post("/api/v1/code-sets", &hr, draft(&province, "Phiên bản 2"))
            .await;
        assert_eq!(v2.body["version"], 2);
        assert_eq!(
            app.post(
                &format!("/api/v1/code-sets/{id}/retire"),
                &head,
                json!({"reason": "thay thế"})
            )
            .await
            .status,
            StatusCode::OK
        );
        let after = app
            .get(
                &format!("/api/v1/units/{ward}/code-sets?on=2026-03-10"),
                &root,
            )
            .await;
        let five = after.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "5khong")
            .unwrap()
            .clone();
        assert!(five["unit_id"].is_null());
    });
}

/// Legal brief §3.1: on 1 January 2026 a civil servant is under Decree 172/2025 and a public
/// employee still under Decree 112/2020 as amended; from 1 July 2026 under Decree 234/2026.
#[tokio::test]
async fn regimes_in_force_by_date_and_category_decree_172_2025_234_2026() {
    each_backend!(|app| {
        let root = app.root().await;
        let keys = |body: &Value| {
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["key"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let cc = app
            .get(
                "/api/v1/regimes?domain=discipline&category=cong_chuc&on=2026-01-01",
                &root,
            )
            .await;
        assert_eq!(keys(&cc.body), ["nd172_2025"]);
        let vc = app
            .get(
                "/api/v1/regimes?domain=discipline&category=vien_chuc&on=2026-01-01",
                &root,
            )
            .await;
        assert_eq!(keys(&vc.body), ["nd112_71_2023"]);
        let vc_later = app
            .get(
                "/api/v1/regimes?domain=discipline&category=vien_chuc&on=2026-07-01",
                &root,
            )
            .await;
        assert_eq!(keys(&vc_later.body), ["nd234_2026"]);
        assert_eq!(vc_later.body["items"][0]["legal_basis"]["confidence"], "V");
        let bad = app.get("/api/v1/regimes?category=boss", &root).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    });
}

/// A published version edited directly in the database no longer matches its hash and is reported,
/// never served as the code in force.
#[tokio::test]
async fn a_tampered_published_version_is_refused_not_served() {
    use sea_orm::ConnectionTrait;
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let national = app
            .get("/api/v1/code-sets?national=true&key=5khong", &root)
            .await;
        let id = national.body["items"][0]["id"].as_str().unwrap().to_owned();
        app.state
            .db
            .writer()
            .execute_unprepared(
                "UPDATE code_items SET text_vi = 'Được phép gây phiền hà' WHERE code = 'KHONG-1'",
            )
            .await
            .unwrap();
        let got = app.get(&format!("/api/v1/code-sets/{id}"), &root).await;
        assert_eq!(got.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(got.code(), "internal");
        assert!(
            !got.body.to_string().contains("phiền hà"),
            "no detail leaks"
        );
        assert_eq!(
            app.get(&format!("/api/v1/units/{unit}/code-sets"), &root)
                .await
                .status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    });
}
