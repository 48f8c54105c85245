//! The end-to-end harness: boots the real congvu application on a loopback port over a fresh
//! database (a temporary SQLite file, or a new PostgreSQL database when
//! `CONGVU_TEST_POSTGRES_URL` is set) and talks to it with a real HTTP client.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test harness: a failed set-up step must stop the test"
)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::state::AppState;
use congvu_db::Db;
use reqwest::{Method, StatusCode};
use rocket::fairing::AdHoc;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

pub mod conformance;

pub use congvu_api;
pub use rocket;

/// Which database a test runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// SQLite always; PostgreSQL too when `CONGVU_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    match std::env::var("CONGVU_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => all.push(Backend::Postgres(url)),
        _ => {}
    }
    all
}

/// The fixed "now" of tests: 10 March 2026, 09:00 in Vietnam.
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 2, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A loopback port nothing listens on yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The password every test account gets.
pub const PASSWORD: &str = "mật-khẩu-thử-nghiệm-dài";

/// The shared world set-up ([`TestApp::province`]): ids of the units and root's token.
pub struct Province {
    pub root: String,
    pub province: String,
    pub ward: String,
    pub sibling: String,
}

/// A running application.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub state: AppState,
    pub backend: Backend,
    pub dir: tempfile::TempDir,
    pg_drop: Option<(String, String)>,
    shutdown: rocket::Shutdown,
}

/// An HTTP answer: status and JSON body (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Answer {
    /// The `code` of a problem document.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The fields a 422 lists.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn fresh_postgres(admin_url: &str) -> anyhow::Result<(String, String)> {
    let name = format!("congvu_t_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(admin_url).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    Ok((format!("{prefix}/{name}{query}"), name))
}

impl TestApp {
    /// Boots the application on `backend` with the test clock.
    pub async fn spawn(backend: &Backend) -> anyhow::Result<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Boots the application with a configuration adjusted by `adjust` (e.g. an SMTP server).
    pub async fn spawn_with(
        backend: &Backend,
        adjust: impl FnOnce(&mut AppConfig),
    ) -> anyhow::Result<Self> {
        Self::spawn_in(backend, tempfile::tempdir()?, adjust).await
    }

    /// Boots the application with its data directory at `dir` (e.g. on a small file system).
    pub async fn spawn_in(
        backend: &Backend,
        dir: tempfile::TempDir,
        adjust: impl FnOnce(&mut AppConfig),
    ) -> anyhow::Result<Self> {
        let (url, pg_drop) = match backend {
            Backend::Sqlite => (congvu_db::sqlite_url(&dir.path().join("congvu.db")), None),
            Backend::Postgres(admin) => {
                // Keys are never made up on PostgreSQL: this node (and the command line run in
                // its data directory) reads them from the data directory's key file.
                congvu_app::secrets::Secrets::generate()
                    .write_new(&dir.path().join("secrets.key"))?;
                let (url, name) = fresh_postgres(admin).await?;
                (url.clone(), Some((admin.clone(), name)))
            }
        };
        let mut config = AppConfig {
            data_dir: dir.path().to_path_buf(),
            database_url: Some(url.clone()),
            port: 0,
            ..AppConfig::default()
        };
        adjust(&mut config);
        let db = Db::connect_and_migrate(&url).await?;
        let state = AppState::open(db, Clock::fixed(test_now()), config)?;
        congvu_app::service::seed::national_data(&state).await?;
        let (tx, rx) = tokio::sync::oneshot::channel::<u16>();
        let tx = Mutex::new(Some(tx));
        let rocket =
            congvu_api::rocket(state.clone()).attach(AdHoc::on_liftoff("report port", move |r| {
                let port = r.config().port;
                let sender = tx.lock().ok().and_then(|mut t| t.take());
                Box::pin(async move {
                    if let Some(sender) = sender {
                        let _ = sender.send(port);
                    }
                })
            }));
        let rocket = rocket.ignite().await?;
        let shutdown = rocket.shutdown();
        tokio::spawn(rocket.launch());
        let port = rx.await?;
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
            state,
            backend: backend.clone(),
            dir,
            pg_drop,
            shutdown,
        })
    }

    /// Stops the server and removes a PostgreSQL test database.
    pub async fn finish(self) -> anyhow::Result<()> {
        self.shutdown.notify();
        self.state.db.clone().close().await?;
        if let Some((admin, name)) = self.pg_drop {
            let admin = sea_orm::Database::connect(admin.as_str()).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
            admin.close().await?;
        }
        Ok(())
    }

    /// The data directory (for the command line).
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Sends a request with an optional token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = res.text().await.unwrap_or_default();
        conformance::check(&method, path, status, &content_type, &text);
        Answer {
            status,
            content_type,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    /// Logs in and returns the token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let a = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "login {username}: {:?}", a.body);
        a.body["token"].as_str().expect("token").to_owned()
    }

    /// Creates the superadministrator `root` (as the command line does) and logs in.
    pub async fn root(&self) -> String {
        congvu_app::service::accounts::create_superadmin(&self.state, "root", PASSWORD)
            .await
            .expect("superadmin");
        self.login("root", PASSWORD).await
    }

    /// The usual world of the end-to-end tests: `root`, the province of Hưng Yên, its ward Phố
    /// Hiến and the commune Ân Thi beside it (a sibling unit, for out-of-scope checks).
    pub async fn province(&self) -> Province {
        let root = self.root().await;
        let province = self
            .unit(&root, "HY", "Tỉnh Hưng Yên", "province", None)
            .await;
        let ward = self
            .unit(&root, "HY-PH", "Phường Phố Hiến", "ward", Some(&province))
            .await;
        let sibling = self
            .unit(&root, "HY-AT", "Xã Ân Thi", "commune", Some(&province))
            .await;
        Province {
            root,
            province,
            ward,
            sibling,
        }
    }

    /// Creates a unit; returns its id.
    pub async fn unit(
        &self,
        token: &str,
        code: &str,
        name: &str,
        kind: &str,
        parent: Option<&str>,
    ) -> String {
        let a = self
            .post("/api/v1/units", token, json!({"code": code, "name": name, "kind": kind, "parent_id": parent, "valid_from": "2025-07-01", "reason": "thành lập"}))
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "unit {code}: {:?}", a.body);
        a.body["id"].as_str().expect("id").to_owned()
    }

    /// Creates an account holding `role` at `unit`, logs it in, returns (user id, token).
    pub async fn officer(
        &self,
        root: &str,
        username: &str,
        role: &str,
        unit: &str,
    ) -> (String, String) {
        let a = self
            .post(
                "/api/v1/users",
                root,
                json!({"username": username, "password": PASSWORD, "reason": "tài khoản cán bộ"}),
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::CREATED,
            "user {username}: {:?}",
            a.body
        );
        let id = a.body["id"].as_str().expect("id").to_owned();
        let g = self
            .post(
                &format!("/api/v1/users/{id}/grants"),
                root,
                json!({"unit_id": unit, "role": role, "reason": "phân quyền"}),
            )
            .await;
        assert_eq!(
            g.status,
            StatusCode::CREATED,
            "grant {username}: {:?}",
            g.body
        );
        let token = self.login(username, PASSWORD).await;
        (id, token)
    }

    /// Creates a staff member in `unit`; returns the person's id.
    pub async fn staff(&self, token: &str, code: &str, name: &str, unit: &str) -> String {
        let a = self
            .post(
                "/api/v1/staff",
                token,
                json!({"staff_code": code, "full_name": name, "reason": "tiếp nhận",
                       "employment": {"unit_id": unit, "category": "cong_chuc", "position": "Chuyên viên", "valid_from": "2025-07-01"}}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "staff {code}: {:?}", a.body);
        a.body["id"].as_str().expect("id").to_owned()
    }

    /// The id of the code set with `key` in force for `unit` on `on`.
    pub async fn code_set(&self, token: &str, unit: &str, key: &str, on: &str) -> String {
        let sets = self
            .get(&format!("/api/v1/units/{unit}/code-sets?on={on}"), token)
            .await;
        sets.body["items"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["key"] == key))
            .and_then(|s| s["id"].as_str())
            .unwrap_or_else(|| panic!("no code set {key} in force: {:?}", sets.body))
            .to_owned()
    }

    /// Runs a `congvu` command in-process against this app's data directory; (exit code, stdout).
    pub async fn cli(&self, args: &[&str], stdin: &str) -> (i32, String) {
        use clap::Parser;
        let data_dir: PathBuf = self.data_dir().to_path_buf();
        let mut argv = vec![
            "congvu".to_owned(),
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
            "--database-url".to_owned(),
            self.state.config.database_url(),
        ];
        argv.extend(args.iter().map(|a| (*a).to_owned()));
        let cli = congvu_cli::Cli::parse_from(argv);
        let mut input = std::io::Cursor::new(stdin.as_bytes().to_vec());
        let mut out = Vec::new();
        let code = match congvu_cli::execute(cli, &mut input, &mut out).await {
            Ok(code) => code,
            Err(e) => {
                out.extend_from_slice(format!("error: {e}").as_bytes());
                1
            }
        };
        (code, String::from_utf8_lossy(&out).into_owned())
    }
}

/// The text of a PDF by `pdftotext` (poppler-utils), or `None` where it is not installed, which
/// fails under `CI=true`.
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let file = tempfile::NamedTempFile::new().ok()?;
    std::fs::write(file.path(), pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .output();
    match out {
        Ok(o) => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI needs poppler-utils"
            );
            None
        }
    }
}
