//! The citizen who gave an email address is told when what they may read changes — through the
//! outbox, to a real SMTP server on loopback (aiosmtpd), with no case content in the mail. Skipped
//! with a message where aiosmtpd is absent, except under `CI=true`.

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

/// Debian's `python3-aiosmtpd` command.
const AIOSMTPD: &str = "/usr/bin/aiosmtpd";

fn aiosmtpd_present() -> bool {
    std::path::Path::new(AIOSMTPD).exists()
}

#[tokio::test]
async fn a_status_change_mails_the_citizen_without_case_content() {
    if !aiosmtpd_present() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs python3-aiosmtpd (.ci/setup installs it)"
        );
        eprintln!("SKIPPED: python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd)");
        return;
    }
    for backend in tests::backends() {
        let port = tests::free_port();
        let sink_dir = tempfile::tempdir().unwrap();
        let sink_log = sink_dir.path().join("mail.log");
        let mut sink = Command::new(AIOSMTPD)
            .args(["-n", "-l", &format!("127.0.0.1:{port}")])
            .stdout(std::fs::File::create(&sink_log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut up = false;
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "aiosmtpd did not start");
        let app = tests::TestApp::spawn_with(&backend, |c| {
            c.smtp_host = Some("127.0.0.1".into());
            c.smtp_port = port;
            c.smtp_security = "none".into();
            c.mail_from = "congvu@hungyen.gov.vn".into();
            c.public_url = "https://congvu.hungyen.gov.vn".into();
        })
        .await
        .unwrap();
        let root = app.root().await;
        let unit = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let (_, inspector) = app.officer(&root, "tt.hy", "inspector", &unit).await;
        let description = "Cán bộ Nguyễn Văn Nam đòi 500.000 đồng";
        let submitted = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints",
                None,
                Some(
                    json!({"unit_code": "HY", "description": description, "kind": "complaint",
                    "identity": {"name": "Phạm Thị Hoa", "email": "hoa.pham@example.vn"}}),
                ),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::CREATED);
        let receipt = submitted.body["receipt"].as_str().unwrap().to_owned();
        let anonymous = app
            .call(
                reqwest::Method::POST,
                "/api/v1/public/complaints",
                None,
                Some(json!({"unit_code": "HY", "description": "ẩn danh"})),
            )
            .await;
        assert_eq!(anonymous.status, StatusCode::CREATED);
        let list = app.get("/api/v1/complaints", &inspector).await;
        for item in list.body["items"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap();
            let to = if item["anonymous"] == true {
                "rejected"
            } else {
                "accepted"
            };
            let a = app
                .post(
                    &format!("/api/v1/complaints/{id}/transitions"),
                    &inspector,
                    json!({"to": to, "tier": "citizen", "reason": "đã xem xét"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        }
        // Internal notes do not mail anyone.
        let pass = congvu_app::mail::drain(&app.state).await.unwrap();
        assert_eq!(
            (pass.sent, pass.failed),
            (1, 0),
            "one mail: the named complainant's"
        );
        assert_eq!(
            congvu_app::mail::drain(&app.state).await.unwrap(),
            congvu_app::mail::Pass::default(),
            "sent once"
        );
        let mut log = String::new();
        for _ in 0..50 {
            log = std::fs::read_to_string(&sink_log).unwrap_or_default();
            if log.contains("hoa.pham@example.vn") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            log.contains("RCPT TO") || log.contains("hoa.pham@example.vn"),
            "{log}"
        );
        assert!(
            log.contains("https://congvu.hungyen.gov.vn/citizen/status"),
            "{log}"
        );
        let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
        for secret in [
            description,
            "500.000",
            receipt.as_str(),
            digits.as_str(),
            "Phạm Thị Hoa",
        ] {
            assert!(!log.contains(secret), "the mail carries {secret}");
        }
        app.finish().await.unwrap();
        let _ = sink.kill();
        let _ = sink.wait();
    }
}

/// A server that accepts and never greets (a tarpit) does not stop the mail (issue 20 §2): the
/// relay's pass ends, every queued message gets its attempt, counted as a temporary failure with
/// a retry scheduled, and none is left waiting with no attempt. Before the fix the first delivery
/// waited for ever (lettre bounds only the connect).
#[tokio::test]
async fn a_silent_smtp_server_defers_every_message_instead_of_holding_the_relay() {
    for backend in tests::backends() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tarpit = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let app = tests::TestApp::spawn_with(&backend, |c| {
            c.smtp_host = Some("127.0.0.1".into());
            c.smtp_port = port;
            c.smtp_security = "none".into();
            c.smtp_timeout_seconds = 1;
        })
        .await
        .unwrap();
        let root = app.root().await;
        let unit = app
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let (_, inspector) = app.officer(&root, "tt.hy", "inspector", &unit).await;
        for n in 0..2 {
            let submitted = app
                .call(
                    reqwest::Method::POST,
                    "/api/v1/public/complaints",
                    None,
                    Some(json!({"unit_code": "HY", "description": format!("phản ánh {n}"),
                        "kind": "complaint",
                        "identity": {"name": "Phạm Thị Hoa", "email": format!("hoa{n}@example.vn")}})),
                )
                .await;
            assert_eq!(submitted.status, StatusCode::CREATED);
        }
        let list = app.get("/api/v1/complaints", &inspector).await;
        for item in list.body["items"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap();
            let a = app
                .post(
                    &format!("/api/v1/complaints/{id}/transitions"),
                    &inspector,
                    json!({"to": "accepted", "tier": "citizen", "reason": "đã xem xét"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        }
        // The outer bound only detects a hang: each delivery is cut off after six timeouts.
        let pass = tokio::time::timeout(
            Duration::from_secs(120),
            congvu_app::mail::drain(&app.state),
        )
        .await
        .expect("the relay hung on a silent server")
        .unwrap();
        assert_eq!(
            (pass.sent, pass.deferred, pass.failed),
            (0, 2, 0),
            "{pass:?}"
        );
        let queued = congvu_db::outbox::list(
            app.state.db.reader(),
            None,
            None,
            congvu_db::Page {
                limit: 10,
                offset: 0,
            },
        )
        .await
        .unwrap();
        assert_eq!(queued.len(), 2);
        for m in &queued {
            assert_eq!(m.attempts, 1, "{m:?}");
            assert_eq!(m.state, "pending", "{m:?}");
            assert!(
                m.next_attempt_at > m.created_at,
                "a retry is scheduled: {m:?}"
            );
            let why = m.last_error.as_deref().unwrap_or_default();
            assert!(why.contains("did not finish"), "{why}");
            assert!(
                !why.contains("@example.vn"),
                "no address in the error: {why}"
            );
        }
        tarpit.abort();
    }
}
