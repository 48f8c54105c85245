//! Retention (issue 20 §8; docs/LEGAL.md, "Retention"): the daily purge destroys a complainant's
//! identity and masks their details in the report's texts after `retention_identity_years`,
//! deletes attachments after `retention_attachment_years`, dead sessions after
//! `retention_session_days`, and delivered mail's bodies after `retention_mail_days`; every step
//! is audited, and what is still within its period is left alone.

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::each_backend;

const NAME: &str = "Trần Thị Mai";

async fn report(app: &tests::TestApp, description: &str) -> (String, String) {
    let a = app
        .call(
            reqwest::Method::POST,
            "/api/v1/public/complaints",
            None,
            Some(json!({"unit_code": "HY", "description": description,
                "identity": {"name": NAME, "phone": "0912 345 678", "email": "mai@example.vn"}})),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let receipt = a.body["receipt"].as_str().unwrap().to_owned();
    let res = app
        .http
        .post(format!(
            "{}/api/v1/public/complaints/attachments?filename=a.txt",
            app.base
        ))
        .header("X-Receipt", &receipt)
        .header("Content-Type", "text/plain")
        .body("Biên bản làm việc")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let rows = congvu_db::entity::complaint::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    let id = rows
        .iter()
        .find(|r| r.description == description)
        .unwrap()
        .id
        .to_string();
    (id, receipt)
}

fn day(s: &str) -> chrono::DateTime<chrono::Utc> {
    format!("{s}T00:00:00Z").parse().unwrap()
}

/// Sets a report as ended on `on` (the purge reads the end from the stored row).
async fn ended_on(app: &tests::TestApp, id: &str, on: &str) {
    use congvu_db::entity::complaint;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::State, Expr::value("concluded"))
        .col_expr(
            complaint::Column::Conclusion,
            Expr::value(format!("Đã trả lời bà {NAME}")),
        )
        .col_expr(complaint::Column::UpdatedAt, Expr::value(day(on)))
        .filter(complaint::Column::Id.eq(uuid::Uuid::parse_str(id).unwrap()))
        .exec(app.state.db.writer())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_daily_purge_forgets_what_has_been_kept_long_enough_nd_13_2023() {
    each_backend!(|app| {
        let root = app.root().await;
        app.unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        // Ended in 2020 (past 5 years on 10 March 2026) and in 2025 (within).
        let (old, _) = report(&app, &format!("Tôi là {NAME}, cán bộ quát mắng tôi")).await;
        let (recent, _) = report(&app, &format!("Tôi là {NAME}, cán bộ đòi tiền")).await;
        ended_on(&app, &old, "2020-06-01").await;
        ended_on(&app, &recent, "2025-06-01").await;
        // A session that expired in 2025, one of today; delivered mail of 2025.
        let db = app.state.db.writer();
        let token = app.login("root", tests::PASSWORD).await;
        {
            use congvu_db::entity::session;
            session::Entity::update_many()
                .col_expr(session::Column::ExpiresAt, Expr::value(day("2025-01-01")))
                .filter(session::Column::TokenHash.eq(congvu_app::auth::token_hash(&root)))
                .exec(db)
                .await
                .unwrap();
        }
        congvu_db::entity::outbox::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            recipient_sealed: Set(vec![1, 2, 3]),
            subject: Set("Thư xin lỗi".into()),
            body: Set(format!("Kính gửi bà {NAME}")),
            state: Set("sent".into()),
            attempts: Set(1),
            next_attempt_at: Set(tests::test_now()),
            last_error: Set(None),
            created_at: Set(tests::test_now() - chrono::Duration::days(90)),
            sent_at: Set(Some(tests::test_now() - chrono::Duration::days(90))),
            letter_id: Set(None),
            claimed_until: Set(None),
        }
        .insert(db)
        .await
        .unwrap();

        let purged = congvu_app::retention::purge(&app.state).await.unwrap();
        assert_eq!(
            (
                purged.identities,
                purged.attachments,
                purged.sessions,
                purged.mail
            ),
            (1, 1, 1, 1)
        );
        let rows = congvu_db::entity::complaint::Entity::find()
            .all(app.state.db.reader())
            .await
            .unwrap();
        let get = |id: &str| rows.iter().find(|r| r.id.to_string() == id).unwrap();
        assert!(get(&old).identity_sealed.is_none());
        assert!(
            !get(&old).description.contains(NAME),
            "{}",
            get(&old).description
        );
        assert!(get(&old).description.contains(congvu_app::retention::MASK));
        assert!(!get(&old).conclusion.clone().unwrap().contains(NAME));
        // Within its period: untouched.
        assert!(get(&recent).identity_sealed.is_some());
        assert!(get(&recent).description.contains(NAME));
        let attachments = congvu_db::entity::complaint_attachment::Entity::find()
            .all(app.state.db.reader())
            .await
            .unwrap();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].complaint_id.to_string(), recent);
        let mail = congvu_db::entity::outbox::Entity::find()
            .all(app.state.db.reader())
            .await
            .unwrap();
        assert!(mail.iter().all(|m| !m.body.contains(NAME)));
        // The live session still works; audit names each step and the chain holds.
        assert_eq!(
            app.get("/api/v1/auth/me", &token).await.status,
            StatusCode::OK
        );
        let events = congvu_db::audit::for_object(app.state.db.reader(), "complaint", &old)
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.contains(&"complaint.identity_destroyed"),
            "{actions:?}"
        );
        assert!(
            actions.contains(&"complaint.attachments_deleted"),
            "{actions:?}"
        );
        let verified = app.get("/api/v1/audit/verify", &token).await;
        assert_eq!(verified.body["intact"], true);
        // A second run finds nothing more to do.
        let again = congvu_app::retention::purge(&app.state).await.unwrap();
        assert_eq!(again, congvu_app::retention::Purged::default());
    });
}

/// Issue 20 §8: a staff member takes away their own record (data subject's access, Decree
/// 13/2023 Art. 9 / Law 91/2025), as JSON and as a PDF in Vietnamese, including a violation
/// recorded about them that another officer's unit holds; an account with no staff record gets
/// 404; each export is audited.
#[tokio::test]
async fn a_staff_member_exports_their_own_record_nd_13_2023_art_9() {
    each_backend!(|app| {
        let tests::Province { root, ward, .. } = app.province().await;
        let person = app.staff(&root, "HY-77", "Nguyễn Văn Nam", &ward).await;
        let code_set = app.code_set(&root, &ward, "5khong", "2026-03-02").await;
        let (_, hr) = app.officer(&root, "hr.ph", "hr_officer", &ward).await;
        let v = app
            .post(
                "/api/v1/violations",
                &hr,
                json!({"person_id": person, "code_set_id": code_set, "item_code": "KHONG-1", "source": "citizen_complaint",
                    "started_on": "2026-03-02", "discovered_on": "2026-03-04", "consequence": "less_serious",
                    "description": "Yêu cầu bổ sung giấy tờ ngoài quy định", "reason": "phản ánh của công dân"}),
            )
            .await;
        assert_eq!(v.status, StatusCode::CREATED, "{:?}", v.body);
        let u = app
            .post(
                "/api/v1/users",
                &root,
                json!({"username": "nam.ph", "password": tests::PASSWORD, "person_id": person, "reason": "tài khoản"}),
            )
            .await;
        let id = u.body["id"].as_str().unwrap().to_owned();
        app.post(
            &format!("/api/v1/users/{id}/grants"),
            &root,
            json!({"unit_id": ward, "role": "staff", "reason": "phân quyền"}),
        )
        .await;
        let me = app.login("nam.ph", tests::PASSWORD).await;

        let record = app.get("/api/v1/me/record", &me).await;
        assert_eq!(record.status, StatusCode::OK, "{:?}", record.body);
        assert_eq!(record.body["person"]["full_name"], "Nguyễn Văn Nam");
        assert_eq!(
            record.body["discipline"]["violations"][0]["item_code"],
            "KHONG-1"
        );
        let pdf = app
            .http
            .get(format!("{}/api/v1/me/record.pdf", app.base))
            .bearer_auth(&me)
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        if let Some(text) = tests::pdf_text(&bytes) {
            assert!(text.contains("Nguyễn Văn Nam"), "{text}");
            assert!(text.contains("TRÍCH XUẤT HỒ SƠ CÁ NHÂN"), "{text}");
            assert!(text.contains("02/03/2026"), "{text}");
        }
        // An account without a staff record has no record to take.
        assert_eq!(
            app.get("/api/v1/me/record", &root).await.status,
            StatusCode::NOT_FOUND
        );
        let events = congvu_db::audit::for_object(app.state.db.reader(), "person", &person)
            .await
            .unwrap();
        let exports = events
            .iter()
            .filter(|e| e.action == "staff.record_export")
            .count();
        assert_eq!(exports, 2);
    });
}
