//! The audit chain: every change is recorded with actor and reason; tampering with one row makes
//! `congvu verify-audit` and the admin endpoint name that row.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::each_backend;

#[tokio::test]
async fn chain_verifies_and_an_edited_row_is_named_by_the_cli_and_the_endpoint() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "DB", "Tỉnh Điện Biên", "province", None)
            .await;
        app.staff(&root, "DB-1", "Lò Văn Minh", &unit).await;
        app.staff(&root, "DB-2", "Quàng Thị Hoa", &unit).await;

        let ok = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.body["intact"], true);
        let events = ok.body["events"].as_i64().unwrap();
        assert!(events >= 10, "seed + user + unit + staff: {events}");
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("intact: {events} events")), "{out}");

        // Every change names its actor and carries its reason.
        let rows = congvu_db::audit::for_object(app.state.db.reader(), "unit", &unit)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].actor, "root");
        assert_eq!(rows[0].reason, "thành lập");

        // Someone edits one row directly in the database.
        let target = events - 2;
        app.state
            .db
            .writer()
            .execute_unprepared(&format!(
                "UPDATE audit_events SET reason = 'sửa lén' WHERE seq = {target}"
            ))
            .await
            .unwrap();
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("broken at seq {target}: hash_mismatch")),
            "{out}"
        );
        let broken = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(broken.body["intact"], false);
        assert_eq!(broken.body["first_bad_seq"], target);
    });
}

#[tokio::test]
async fn deleted_or_truncated_rows_are_named() {
    each_backend!(|app| {
        let root = app.root().await;
        app.unit(&root, "LC", "Tỉnh Lai Châu", "province", None)
            .await;
        app.unit(&root, "HP", "Thành phố Hải Phòng", "province", None)
            .await;
        let last: i64 = app.get("/api/v1/audit/verify", &root).await.body["events"]
            .as_i64()
            .unwrap();
        app.state
            .db
            .writer()
            .execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {last}"))
            .await
            .unwrap();
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 1);
        assert!(
            out.contains(&format!("broken at seq {last}: truncated")),
            "{out}"
        );
        app.state
            .db
            .writer()
            .execute_unprepared("DELETE FROM audit_events WHERE seq = 3")
            .await
            .unwrap();
        let (_, out) = app.cli(&["verify-audit"], "").await;
        assert!(out.contains("broken at seq 3: gap"), "{out}");
    });
}

#[tokio::test]
async fn only_administrators_verify_and_every_change_requires_a_reason() {
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "CB", "Tỉnh Cao Bằng", "province", None)
            .await;
        let (_, hr) = app.officer(&root, "hr.cb", "hr_officer", &unit).await;
        assert_eq!(
            app.get("/api/v1/audit/verify", &hr).await.status,
            StatusCode::FORBIDDEN
        );
        let no_reason = app.post("/api/v1/units", &root, json!({"code": "CB-1", "name": "Xã", "kind": "commune", "parent_id": unit, "valid_from": "2025-07-01"})).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_reason.fields(), ["reason"]);
    });
}

/// Concurrent writers never break the chain: sequence numbers stay dense and every link holds
/// (the `audit_head` row lock on PostgreSQL, the single writer on SQLite).
#[tokio::test]
async fn concurrent_changes_keep_the_chain_dense_and_intact() {
    each_backend!(|app| {
        let root = app.root().await;
        let before = app.get("/api/v1/audit/verify", &root).await.body["events"]
            .as_i64()
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..24 {
            let (http, base, token) = (app.http.clone(), app.base.clone(), root.clone());
            tasks.push(tokio::spawn(async move {
                http.post(format!("{base}/api/v1/units"))
                    .bearer_auth(token)
                    .json(&json!({"code": format!("T{i:02}"), "name": format!("Tỉnh {i}"), "kind": "province", "valid_from": "2025-07-01", "reason": "song song"}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), StatusCode::CREATED);
        }
        let after = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(after.body["intact"], true, "{:?}", after.body);
        assert_eq!(after.body["events"].as_i64().unwrap(), before + 24);
    });
}

/// Issue 20 §7: someone with the database edits a row and recomputes every later hash and the
/// head, so the chain alone verifies; the head anchored outside the database (HMAC-signed log in
/// the data directory) no longer matches and `verify-audit` says so. An edited anchor line is
/// named too.
#[tokio::test]
async fn a_recomputed_chain_is_caught_by_the_anchor_log() {
    use congvu_db::entity::audit_event;
    use sea_orm::{EntityTrait, QueryOrder};
    each_backend!(|app| {
        let root = app.root().await;
        let unit = app
            .unit(&root, "DB", "Tỉnh Điện Biên", "province", None)
            .await;
        app.staff(&root, "DB-1", "Lò Văn Minh", &unit).await;
        // What `serve` does every few seconds.
        let anchors = congvu_app::anchor::Anchors::configured(&app.state.config, true)
            .unwrap()
            .unwrap();
        let anchored = congvu_app::anchor::anchor_head(&app.state, &anchors, None)
            .await
            .unwrap()
            .unwrap();
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("anchor log: 1 signed heads"), "{out}");

        // The editor rewrites seq 3 and recomputes the chain after it, and the head.
        let db = app.state.db.writer();
        let rows = audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Seq)
            .all(db)
            .await
            .unwrap();
        let mut prev = rows[1].hash.clone();
        let q = |s: &str| s.replace('\'', "''");
        for row in rows.into_iter().skip(2) {
            let mut e = congvu_core::audit::AuditEvent {
                seq: row.seq,
                at: row.at,
                actor: row.actor,
                action: row.action,
                object_type: row.object_type,
                object_id: row.object_id,
                reason: row.reason,
                change: row.change,
                digest: row.digest,
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            if e.seq == 3 {
                e.reason = "sửa lén".into();
            }
            e.hash = congvu_core::audit::chain_hash(&e);
            db.execute_unprepared(&format!(
                "UPDATE audit_events SET reason = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {}",
                q(&e.reason),
                e.prev_hash,
                e.hash,
                e.seq
            ))
            .await
            .unwrap();
            prev = e.hash;
        }
        db.execute_unprepared(&format!("UPDATE audit_head SET hash = '{prev}'"))
            .await
            .unwrap();
        // The chain alone cannot tell …
        assert!(matches!(
            congvu_db::audit::verify(app.state.db.reader())
                .await
                .unwrap(),
            congvu_db::audit::Verification::Intact { .. }
        ));
        // … the anchor can, on the command line and through the API.
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("broken at seq {anchored}: anchor_mismatch")),
            "{out}"
        );
        let api = app.get("/api/v1/audit/verify", &root).await;
        assert_eq!(api.body["problem"], "anchor_mismatch");
        assert_eq!(api.body["anchored_heads"], 1);

        // An edited anchor line fails its HMAC.
        let log = app.data_dir().join(congvu_app::anchor::LOG_FILE);
        let text = std::fs::read_to_string(&log).unwrap();
        let forged = text.replacen(&format!(" {anchored} "), &format!(" {} ", anchored - 1), 1);
        std::fs::write(&log, forged).unwrap();
        let (code, out) = app.cli(&["verify-audit"], "").await;
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("anchor log edited: line 1"), "{out}");
        let (code, printed) = app.cli(&["audit-anchors"], "").await;
        assert_eq!(code, 0);
        assert!(printed.starts_with("v1 "), "{printed}");
    });
}
