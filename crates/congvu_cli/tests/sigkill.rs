//! The fault suite's "SIGKILL under intake" (issue 20, done-when): a real `congvu serve`, on its
//! embedded SQLite default and on PostgreSQL (when `CONGVU_TEST_POSTGRES_URL` is set), takes citizens' reports from 8 concurrent clients and is killed with
//! SIGKILL at a random moment, 20 rounds. After each restart every unanswered request is retried
//! with its idempotency key. Then every acknowledged report must be stored once: the figures
//! (acknowledged, found, lost, duplicated) are printed for docs/OPERATIONS.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step must stop the test"
)]

mod common;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::{BIN, free_port};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

const ROUNDS: usize = 20;
const CLIENTS: usize = 8;

/// Where the node keeps its data: the SQLite default in `data`, or a PostgreSQL database with its
/// key file.
struct Target {
    data: std::path::PathBuf,
    postgres: Option<(String, std::path::PathBuf)>,
}

impl Target {
    fn congvu(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(&self.data);
        if let Some((url, keys)) = &self.postgres {
            c.args(["--database-url", url])
                .env("CONGVU_KEYS_FILE", keys);
        }
        c.args(args)
            .env_remove("CONGVU_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .env_remove("CONGVU_KEYS")
            .env("CONGVU_PUBLIC_SUBMISSIONS_PER_HOUR", "100000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn serve(&self, port: u16) -> Child {
        self.congvu(&["serve", "--port", &port.to_string()])
            .spawn()
            .unwrap()
    }

    /// The database as a separate reader sees it.
    fn url(&self) -> String {
        match &self.postgres {
            Some((url, _)) => url.clone(),
            None => format!("sqlite://{}?mode=ro", self.data.join("congvu.db").display()),
        }
    }
}

async fn ready(http: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{base} did not become ready");
}

/// Files report `key`; true when the server answered 201 (acknowledged).
async fn file(http: &reqwest::Client, base: &str, key: &str) -> bool {
    http.post(format!("{base}/api/v1/public/complaints"))
        .header("Idempotency-Key", key)
        .json(&json!({"unit_code": "HY", "description": format!("Phản ánh số {key}: cán bộ không tiếp dân")}))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .is_ok_and(|r| r.status().as_u16() == 201)
}

/// Sends reports from `CLIENTS` tasks until the server dies; answers the acknowledged keys and
/// the keys sent without an answer.
async fn load(base: String, round: usize) -> (Vec<String>, Vec<String>) {
    let http = Arc::new(reqwest::Client::new());
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let (http, base) = (http.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let (mut acked, mut unanswered) = (Vec::new(), Vec::new());
            for i in 0.. {
                let key = format!("r{round}-c{c}-{i}");
                if file(&http, &base, &key).await {
                    acked.push(key);
                } else {
                    unanswered.push(key);
                    break;
                }
            }
            (acked, unanswered)
        }));
    }
    let (mut acked, mut unanswered) = (Vec::new(), Vec::new());
    for t in tasks {
        let (a, u) = t.await.unwrap();
        acked.extend(a);
        unanswered.extend(u);
    }
    (acked, unanswered)
}

#[tokio::test]
async fn sigkill_under_intake_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Target {
        data: dir.path().to_path_buf(),
        postgres: None,
    };
    suite(&sqlite, "SQLite").await;
    let Ok(admin_url) = std::env::var("CONGVU_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs this test on PostgreSQL too: set CONGVU_TEST_POSTGRES_URL"
        );
        return;
    };
    let (url, name) = common::fresh_database(&admin_url, "sigkill").await;
    let pg_dir = tempfile::tempdir().unwrap();
    let keys = pg_dir.path().join("congvu.keys");
    let postgres = Target {
        data: pg_dir.path().join("data"),
        postgres: Some((url, keys.clone())),
    };
    let generated = postgres
        .congvu(&["keys", "generate"])
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    std::fs::write(&keys, generated.stdout).unwrap();
    assert!(postgres.congvu(&["migrate"]).status().unwrap().success());
    suite(&postgres, "PostgreSQL").await;
    common::drop_database(&admin_url, &name).await;
}

/// Twenty rounds of load and SIGKILL against `target`; asserts nothing acknowledged is lost or
/// stored twice and prints the figures.
async fn suite(target: &Target, label: &str) {
    let http = reqwest::Client::new();
    // A unit to report to: a superadministrator from the command line, the unit through the API.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut admin = target
        .congvu(&["admin", "create", "--username", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    writeln!(admin.stdin.take().unwrap(), "{}", common::PASSWORD).unwrap();
    assert!(admin.wait().unwrap().success());
    let mut server = target.serve(port);
    ready(&http, &base).await;
    let login: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap();
    let unit = http
        .post(format!("{base}/api/v1/units"))
        .bearer_auth(token)
        .json(&json!({"code": "HY", "name": "Tỉnh Hưng Yên", "kind": "province", "valid_from": "2025-07-01", "reason": "thành lập"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unit.status().as_u16(), 201);

    let mut acknowledged: Vec<String> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut retried = 0;
    for round in 0..ROUNDS {
        if round > 0 {
            server = target.serve(port);
            ready(&http, &base).await;
        }
        // Requests cut off by the last kill are retried with their keys first.
        for key in std::mem::take(&mut pending) {
            assert!(file(&http, &base, &key).await, "retry of {key}");
            acknowledged.push(key);
            retried += 1;
        }
        let loader = tokio::spawn(load(base.clone(), round));
        // Killed 100–700 ms into the load (a different moment each round).
        let wait = 100 + (round as u64 * 7919) % 600;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill().unwrap();
        server.wait().unwrap();
        let (acked, unanswered) = loader.await.unwrap();
        acknowledged.extend(acked);
        pending.extend(unanswered);
    }
    // One last start: the pending retries, then the count.
    let server = Guard(target.serve(port));
    ready(&http, &base).await;
    for key in std::mem::take(&mut pending) {
        assert!(file(&http, &base, &key).await, "retry of {key}");
        acknowledged.push(key);
    }
    let db = sea_orm::Database::connect(target.url()).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT description FROM complaints",
        ))
        .await
        .unwrap();
    let mut stored: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let text: String = row.try_get::<String>("", "description").unwrap();
        let key = text
            .strip_prefix("Phản ánh số ")
            .and_then(|t| t.split(':').next())
            .unwrap()
            .to_owned();
        *stored.entry(key).or_default() += 1;
    }
    let found = acknowledged
        .iter()
        .filter(|k| stored.contains_key(*k))
        .count();
    let lost = acknowledged.len() - found;
    let duplicated = stored.values().filter(|n| **n > 1).count();
    eprintln!(
        "FAULT SIGKILL under intake ({label}): {ROUNDS} rounds, {CLIENTS} clients: acknowledged {}, found {found}, lost {lost}, duplicated {duplicated} ({retried} cut off by a kill and retried with their key)",
        acknowledged.len()
    );
    assert!(acknowledged.len() > ROUNDS, "the load ran");
    assert_eq!(lost, 0);
    assert_eq!(duplicated, 0);
    db.close().await.unwrap();
    drop(server);
}

/// Kills the last server when the test ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
