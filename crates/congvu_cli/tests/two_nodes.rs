//! Two `congvu serve` processes on one PostgreSQL database with one key file (issue 20 §3): a
//! report filed through node 1 is found by its receipt through node 2, and its complainant's
//! identity, sealed on node 1, opens on node 2 after approval. A third node with other keys
//! refuses to start and says why; after `congvu keys rotate` the old receipts and identities still
//! open and a node with the old file is refused. Runs when `CONGVU_TEST_POSTGRES_URL` is set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step must stop the test"
)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

mod common;
use common::{BIN, PASSWORD, free_port};
const NAME: &str = "Trần Thị Mai";

/// Kills a server when the test ends, however it ends.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn congvu(data: &Path, url: &str, keys: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--data-dir")
        .arg(data)
        .args(["--database-url", url])
        .args(args)
        .env("CONGVU_KEYS_FILE", keys)
        .env_remove("CONGVU_KEYS")
        .env_remove("CONGVU_DATABASE_URL")
        .env_remove("DATABASE_URL");
    c
}

fn run(mut c: Command, stdin: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

async fn serve(data: &Path, url: &str, keys: &Path) -> (Node, String) {
    let port = free_port();
    let child = congvu(data, url, keys, &["serve", "--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let node = Node(child);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..150 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (node, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("node at {base} did not become ready");
}

/// A `serve` that must refuse to start because its keys are not the installation's.
fn refused_start(data: &Path, url: &str, keys: &Path) {
    let port = free_port().to_string();
    let out = run(congvu(data, url, keys, &["serve", "--port", &port]), "");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("is not the installation's"), "{said}");
}

/// The status of a report, by its receipt, through the node at `base`.
async fn assert_found(http: &reqwest::Client, base: &str, receipt: &Value) {
    let body = json!({ "receipt": receipt });
    let status = call(
        http,
        format!("{base}/api/v1/public/complaints/status"),
        None,
        body,
    )
    .await;
    assert!(status["state"].is_string(), "{status}");
}

async fn call(http: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut req = http.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn get(http: &reqwest::Client, url: String, token: &str) -> (u16, Value) {
    let res = http.get(url).bearer_auth(token).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn login(http: &reqwest::Client, base: &str, username: &str) -> String {
    let body = call(
        http,
        format!("{base}/api/v1/auth/login"),
        None,
        json!({"username": username, "password": PASSWORD}),
    )
    .await;
    body["token"].as_str().unwrap().to_owned()
}

/// An officer holding `role` at `unit`, signed in through `base`.
async fn officer(
    http: &reqwest::Client,
    base: &str,
    root: &str,
    name: &str,
    role: &str,
    unit: &str,
) -> String {
    let user = call(
        http,
        format!("{base}/api/v1/users"),
        Some(root),
        json!({"username": name, "password": PASSWORD, "reason": "tài khoản"}),
    )
    .await;
    let id = user["id"].as_str().unwrap();
    call(
        http,
        format!("{base}/api/v1/users/{id}/grants"),
        Some(root),
        json!({"unit_id": unit, "role": role, "reason": "phân quyền"}),
    )
    .await;
    login(http, base, name).await
}

#[tokio::test]
async fn two_nodes_with_one_key_share_receipts_and_identities_and_other_keys_are_refused() {
    let Ok(admin_url) = std::env::var("CONGVU_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs this test on PostgreSQL: set CONGVU_TEST_POSTGRES_URL"
        );
        return;
    };
    let (url, db_name) = common::fresh_database(&admin_url, "nodes").await;
    let scratch = tempfile::tempdir().unwrap();
    let keys = scratch.path().join("congvu.keys");
    let (d1, d2, d3) = (
        scratch.path().join("node1"),
        scratch.path().join("node2"),
        scratch.path().join("node3"),
    );

    // Without keys a PostgreSQL node refuses to start and tells how to make them.
    let refused = run(congvu(&d1, &url, &keys, &["migrate"]), "");
    assert!(
        refused.status.success(),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let refused = run(congvu(&d1, &url, &keys, &["serve", "--port", "1"]), "");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("congvu keys generate"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(!d1.join("secrets.key").exists() && !keys.exists());

    let generated = run(congvu(&d1, &url, &keys, &["keys", "generate"]), "");
    assert!(generated.status.success());
    std::fs::write(&keys, &generated.stdout).unwrap();
    let created = run(
        congvu(
            &d1,
            &url,
            &keys,
            &["admin", "create", "--username", "admin", "--password-stdin"],
        ),
        &format!("{PASSWORD}\n"),
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let (node1, one) = serve(&d1, &url, &keys).await;
    let (node2, two) = serve(&d2, &url, &keys).await;
    let http = reqwest::Client::new();
    let root = login(&http, &one, "admin").await;
    let unit = call(
        &http,
        format!("{one}/api/v1/units"),
        Some(&root),
        json!({"code": "HY", "name": "Tỉnh Hưng Yên", "kind": "province", "valid_from": "2025-07-01", "reason": "thành lập"}),
    )
    .await;
    let unit = unit["id"].as_str().unwrap().to_owned();
    let inspector = officer(&http, &one, &root, "tt.hy", "inspector", &unit).await;
    let head = officer(&http, &one, &root, "ct.hy", "unit_head", &unit).await;

    // Filed through node 1 …
    let submitted = call(
        &http,
        format!("{one}/api/v1/public/complaints"),
        None,
        json!({"unit_code": "HY", "description": "Cán bộ gợi ý nộp tiền để hồ sơ được giải quyết nhanh",
            "kind": "denunciation", "identity": {"name": NAME, "phone": "0912 345 678"}}),
    )
    .await;
    let receipt = submitted["receipt"].clone();
    // … found by receipt through node 2.
    assert_found(&http, &two, &receipt).await;

    // The identity, sealed on node 1, opens on node 2 after approval there.
    let (_, listed) = get(&http, format!("{two}/api/v1/complaints"), &head).await;
    let id = listed["items"][0]["id"].as_str().unwrap().to_owned();
    let asked = call(
        &http,
        format!("{two}/api/v1/complaints/{id}/identity-requests"),
        Some(&inspector),
        json!({"reason": "cần đối chất, xác minh lời khai của người tố cáo"}),
    )
    .await;
    let request = asked["identity_requests"][0]["id"].as_str().unwrap();
    call(
        &http,
        format!("{two}/api/v1/complaints/{id}/identity-requests/{request}/decision"),
        Some(&head),
        json!({"approve": true, "reason": "cần thiết cho xác minh"}),
    )
    .await;
    let (code, shown) = get(
        &http,
        format!("{two}/api/v1/complaints/{id}/identity"),
        &inspector,
    )
    .await;
    assert_eq!((code, shown["name"].as_str()), (200, Some(NAME)), "{shown}");

    // A node given other keys refuses to start, naming both fingerprints.
    let other = scratch.path().join("other.keys");
    std::fs::write(
        &other,
        run(congvu(&d3, &url, &other, &["keys", "generate"]), "").stdout,
    )
    .unwrap();
    refused_start(&d3, &url, &other);

    // Rotation: the old key file is kept aside; node 2 restarts with the rotated file.
    let old_keys = scratch.path().join("old.keys");
    std::fs::copy(&keys, &old_keys).unwrap();
    drop(node2);
    let rotated = run(congvu(&d2, &url, &keys, &["keys", "rotate"]), "");
    assert!(
        rotated.status.success(),
        "{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert_eq!(std::fs::read_to_string(&keys).unwrap().lines().count(), 2);
    // A rotation whose database step was lost (the file written, the commit not): nodes with the
    // new file are refused until `keys rotate` is run again, which finishes it.
    let said = String::from_utf8_lossy(&rotated.stdout).into_owned();
    let previous = said
        .split("(was ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap();
    let db = sea_orm::Database::connect(url.as_str()).await.unwrap();
    db.execute_unprepared(&format!(
        "UPDATE installation SET value = '{previous}' WHERE name = 'key_fingerprint'"
    ))
    .await
    .unwrap();
    db.close().await.unwrap();
    let port = free_port().to_string();
    let newer = run(congvu(&d2, &url, &keys, &["serve", "--port", &port]), "");
    assert!(String::from_utf8_lossy(&newer.stderr).contains("newer than the database's"));
    let finished = run(congvu(&d2, &url, &keys, &["keys", "rotate"]), "");
    assert!(
        finished.status.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert_eq!(std::fs::read_to_string(&keys).unwrap().lines().count(), 2);
    let (_node2, two) = serve(&d2, &url, &keys).await;
    // The receipt issued under the old key is still found, the identity still opens.
    assert_found(&http, &two, &receipt).await;
    let (code, shown) = get(
        &http,
        format!("{two}/api/v1/complaints/{id}/identity"),
        &inspector,
    )
    .await;
    assert_eq!((code, shown["name"].as_str()), (200, Some(NAME)));
    // A report sealed under the new key is found too.
    let newer = call(
        &http,
        format!("{two}/api/v1/public/complaints"),
        None,
        json!({"unit_code": "HY", "description": "Cán bộ không đeo thẻ công chức khi tiếp dân"}),
    )
    .await;
    assert_found(&http, &two, &newer["receipt"]).await;
    // A node restarted with the old file is refused.
    drop(node1);
    refused_start(&d1, &url, &old_keys);

    drop(_node2);
    let admin = sea_orm::Database::connect(admin_url.as_str())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"))
        .await
        .unwrap();
}
