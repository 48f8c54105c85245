//! The real `congvu` binary, as the README runs it: `admin create` reading the password from
//! standard input, `serve` on a data directory, `verify-audit`. Also proves that neither the
//! password nor the bearer token reaches the logs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step must stop the test"
)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::{BIN, PASSWORD, free_port};

#[tokio::test]
async fn admin_serve_verify_and_no_secret_in_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();

    let mut admin = Command::new(BIN)
        .args([
            "--data-dir",
            data,
            "admin",
            "create",
            "--username",
            "admin",
            "--password-stdin",
        ])
        .env_remove("CONGVU_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(admin.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let created = admin.wait_with_output().unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("created superadministrator admin"));

    let port = free_port();
    let log_path = dir.path().join("serve.log");
    let server = Command::new(BIN)
        .args(["--data-dir", data, "serve", "--port", &port.to_string()])
        .env_remove("CONGVU_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("CONGVU_LOG")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut server = scopeguard(server);
    assert!(ready, "server did not become ready");

    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_owned();
    let me = http
        .get(format!("{base}/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(me.status().is_success());
    let wrong = http
        .get(format!("{base}/api/v1/units"))
        .bearer_auth("không-phải-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    // A citizen's report: neither the receipt, nor the identity, nor the client address is logged.
    let unit = http
        .post(format!("{base}/api/v1/units"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"code": "HY", "name": "Tỉnh Hưng Yên", "kind": "province", "valid_from": "2025-07-01", "reason": "thành lập"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unit.status().as_u16(), 201);
    let submitted: serde_json::Value = http
        .post(format!("{base}/api/v1/public/complaints"))
        .json(
            &serde_json::json!({"unit_code": "HY", "description": "Cán bộ đòi tiền bồi dưỡng",
            "identity": {"name": "Người Khiếu Nại Bí Mật", "phone": "0912345678"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let receipt = submitted["receipt"].as_str().unwrap().to_owned();
    let status = http
        .post(format!("{base}/api/v1/public/complaints/status"))
        .json(&serde_json::json!({"receipt": receipt}))
        .send()
        .await
        .unwrap();
    assert_eq!(status.status().as_u16(), 200);
    // An apology letter emailed to a citizen: the relay inside `serve` writes it as an .eml file
    // (no SMTP server configured) and logs the address masked, never whole, nor the name.
    let unit_id = unit.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let head_token = unit_head(&http, &base, &token, &unit_id).await;
    let call = |method: reqwest::Method, path: String, body: serde_json::Value| {
        http.request(method, format!("{base}{path}"))
            .bearer_auth(&head_token)
            .json(&body)
            .send()
    };
    let head = call(
        reqwest::Method::PUT,
        format!("/api/v1/units/{unit_id}/letterhead"),
        serde_json::json!({"body": "Sở Tư pháp", "symbol": "STP", "place": "Hưng Yên", "archive": "VP"}),
    )
    .await
    .unwrap();
    assert_eq!(head.status().as_u16(), 200);
    let letter: serde_json::Value = call(
        reqwest::Method::POST,
        format!("/api/v1/units/{unit_id}/letters"),
        serde_json::json!({"cause": "error_in_result",
            "applicant": {"salutation": "ba", "name": "Công Dân Bí Mật", "email": "cong.dan.bi.mat@example.vn"},
            "dossier": {"code": "HS-1", "procedure": "Chứng thực", "received_on": "2026-03-02", "due_on": "2026-03-04"},
            "error": "sai năm sinh", "remedy": "đã cấp lại"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let letter_id = letter["id"].as_str().unwrap().to_owned();
    let submitted = call(
        reqwest::Method::POST,
        format!("/api/v1/letters/{letter_id}/submit"),
        serde_json::Value::Null,
    )
    .await
    .unwrap();
    assert_eq!(submitted.status().as_u16(), 200);
    let issued = call(
        reqwest::Method::POST,
        format!("/api/v1/letters/{letter_id}/issue"),
        serde_json::json!({"authority": "own", "title": "Giám đốc", "name": "Lê Văn Hùng"}),
    )
    .await
    .unwrap();
    assert_eq!(issued.status().as_u16(), 200);
    let mail_dir = dir.path().join("mail");
    let mut eml = None;
    for _ in 0..100 {
        eml = std::fs::read_dir(&mail_dir)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| e.ok())
            .map(|e| std::fs::read_to_string(e.path()).unwrap());
        if eml.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let eml = eml.expect("the relay wrote the letter's mail");
    assert!(eml.contains("To: cong.dan.bi.mat@example.vn") && eml.contains("application/pdf"));

    let out = http
        .post(format!("{base}/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 204);

    // An unmatched URL with personal data in its query string (issue 20 §6: Rocket logged it).
    let unmatched = http
        .get(format!("{base}/khong/co/trang/nay?phone=0987654321"))
        .send()
        .await
        .unwrap();
    assert_eq!(unmatched.status().as_u16(), 404);

    server.0.kill().unwrap();
    server.0.wait().unwrap();
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        !logs.contains("0987654321") && !logs.contains("phone="),
        "a query string reached the logs: {logs}"
    );
    assert!(
        logs.contains("status=404"),
        "the unmatched request is still logged, without its URI: {logs}"
    );
    assert!(
        logs.contains("route=\"login\"") || logs.contains("route=login"),
        "request lines are logged: {logs}"
    );
    assert!(!logs.contains(&token), "the token reached the logs");
    assert!(!logs.contains(PASSWORD), "the password reached the logs");
    let digits: String = receipt.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !logs.contains(&receipt) && !logs.contains(&digits),
        "a receipt reached the logs"
    );
    assert!(
        !logs.contains("Người Khiếu Nại Bí Mật"),
        "an identity reached the logs"
    );
    assert!(!logs.contains("0912345678"), "an identity reached the logs");
    assert!(
        logs.contains("c***@example.vn"),
        "the relay logs the masked address: {logs}"
    );
    assert!(
        !logs.contains("cong.dan.bi.mat") && !logs.contains("Công Dân Bí Mật"),
        "a citizen's address or name reached the logs"
    );
    assert!(
        !logs.contains("127.0.0.1"),
        "a client address reached the logs"
    );
    assert!(
        !logs.contains("không-phải-token"),
        "a presented token reached the logs"
    );

    let verified = Command::new(BIN)
        .args(["--data-dir", data, "verify-audit"])
        .env_remove("CONGVU_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(String::from_utf8_lossy(&verified.stdout).contains("audit chain intact"));
}

/// Creates an account holding `unit_head` at `unit` and logs it in.
async fn unit_head(http: &reqwest::Client, base: &str, root: &str, unit: &str) -> String {
    let user: serde_json::Value = http
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(root)
        .json(
            &serde_json::json!({"username": "gd.stp", "password": PASSWORD, "reason": "giám đốc"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = user["id"].as_str().unwrap();
    let grant = http
        .post(format!("{base}/api/v1/users/{id}/grants"))
        .bearer_auth(root)
        .json(&serde_json::json!({"unit_id": unit, "role": "unit_head", "reason": "phân quyền"}))
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status().as_u16(), 201);
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "gd.stp", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["token"].as_str().unwrap().to_owned()
}

/// Kills the server if an assertion fails before the end.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn scopeguard(child: std::process::Child) -> Guard {
    Guard(child)
}
