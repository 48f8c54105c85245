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
