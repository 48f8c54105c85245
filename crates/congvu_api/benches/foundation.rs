//! Foundation benchmark (not a test): staff-import rows per second on SQLite, and login-then-read
//! requests per second against the real HTTP server. Prints figures; asserts nothing.
//!
//! `cargo bench -p congvu_api --bench foundation` (release build). `CONGVU_BENCH_ROWS` sets the
//! import size (default 100,000), `CONGVU_BENCH_SECONDS` each HTTP phase (default 10).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::state::AppState;
use congvu_db::Db;
use rocket::fairing::AdHoc;
use serde_json::json;

const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Ngọc"];
const GIVEN: [&str; 10] = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hương", "Khánh", "Lan", "Phúc", "Đào",
];
const UNITS: usize = 100;
const PASSWORD: &str = "mat-khau-do-hieu-nang-2026";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn staff_csv(rows: u64) -> String {
    let mut out = String::from(
        "\u{feff}staff_code,full_name,date_of_birth,email,unit_code,category,position,is_leader,valid_from\n",
    );
    for i in 0..rows as usize {
        let name = format!(
            "{} {} {}",
            FAMILY[i % 10],
            MIDDLE[(i / 10) % 6],
            GIVEN[(i / 60) % 10]
        );
        let category = ["cong_chuc", "vien_chuc", "can_bo", "nguoi_lao_dong"][i % 4];
        out.push_str(&format!(
            "NV{i:07},{name},{:02}/{:02}/{},,U{:03},{category},Chuyên viên,{},2025-07-01\n",
            1 + i % 28,
            1 + i % 12,
            1960 + i % 40,
            i % UNITS,
            if i % 25 == 0 { "có" } else { "không" }
        ));
    }
    out
}

async fn state_on(dir: &std::path::Path, port: u16) -> anyhow::Result<AppState> {
    let config = AppConfig {
        data_dir: dir.to_path_buf(),
        port,
        ..AppConfig::default()
    };
    let db = Db::connect_and_migrate(&config.database_url()).await?;
    let state = AppState::open(db, Clock::system(), config)?;
    congvu_app::service::seed::national_data(&state).await?;
    Ok(state)
}

async fn seed_units(state: &AppState) -> anyhow::Result<Vec<String>> {
    congvu_app::service::accounts::create_superadmin(state, "bench", PASSWORD).await?;
    let actor = bench_actor();
    let mut ids = Vec::new();
    let province = congvu_app::service::units::create(
        state,
        &actor,
        unit("P", "Tỉnh Thử nghiệm", "province", None)?,
        "benchmark",
    )
    .await?;
    for i in 0..UNITS {
        let u = congvu_app::service::units::create(
            state,
            &actor,
            unit(
                &format!("U{i:03}"),
                &format!("Xã số {i}"),
                "commune",
                Some(province.id),
            )?,
            "benchmark",
        )
        .await?;
        ids.push(u.id.to_string());
    }
    Ok(ids)
}

fn bench_actor() -> congvu_core::policy::Actor {
    congvu_core::policy::Actor {
        user: congvu_core::ids::UserId::from_uuid(uuid::Uuid::nil()),
        username: "bench".into(),
        superadmin: true,
        person: None,
        grants: vec![],
    }
}

fn unit(
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<congvu_core::ids::UnitId>,
) -> anyhow::Result<congvu_core::unit::NewUnit> {
    let from = chrono::NaiveDate::from_ymd_opt(2025, 7, 1);
    Ok(congvu_core::unit::NewUnit::parse(
        &congvu_core::unit::UnitInput {
            code,
            name,
            kind,
            parent,
            valid_from: from,
            valid_to: None,
        },
    )?)
}

async fn import_bench(rows: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = state_on(dir.path(), 0).await?;
    seed_units(&state).await?;
    let csv = staff_csv(rows);
    for run in ["first run (inserts)", "second run (unchanged)"] {
        let started = Instant::now();
        let report =
            congvu_app::service::import::staff(&state, csv.as_bytes(), "bench", |_| {}).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "import staff, {run}: {} rows in {secs:.2} s = {:.0} rows/s (created {}, unchanged {}, rejected {})",
            report.rows,
            report.rows as f64 / secs,
            report.created,
            report.unchanged,
            report.rejected.len()
        );
    }
    state.db.close().await?;
    Ok(())
}

async fn http_bench(seconds: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let state = state_on(dir.path(), 0).await?;
    seed_units(&state).await?;
    congvu_app::service::import::staff(&state, staff_csv(5_000).as_bytes(), "bench", |_| {})
        .await?;
    // A province HR officer: reads go through the scope filters a superadmin skips.
    let root = bench_actor();
    let province =
        congvu_db::unit::find_by_code(state.db.reader(), &congvu_core::policy::Reach::All, "P")
            .await?;
    let officer = congvu_app::service::accounts::create_user(
        &state,
        &root,
        "officer",
        PASSWORD,
        None,
        "benchmark",
    )
    .await?;
    congvu_app::service::accounts::grant(
        &state,
        &root,
        officer.id,
        province.id,
        congvu_core::policy::Role::HrOfficer,
        "benchmark",
    )
    .await?;
    let (tx, rx) = tokio::sync::oneshot::channel::<u16>();
    let tx = std::sync::Mutex::new(Some(tx));
    let rocket = congvu_api::rocket(state.clone()).attach(AdHoc::on_liftoff("port", move |r| {
        let port = r.config().port;
        let sender = tx.lock().ok().and_then(|mut t| t.take());
        Box::pin(async move {
            if let Some(s) = sender {
                let _ = s.send(port);
            }
        })
    }));
    let rocket = rocket.ignite().await?;
    let shutdown = rocket.shutdown();
    tokio::spawn(rocket.launch());
    let base = format!("http://127.0.0.1:{}", rx.await?);
    let client = reqwest::Client::new();
    for (label, user, path, concurrency, login_each_time) in [
        (
            "login then read staff (superadmin)",
            "bench",
            "/api/v1/staff?q=nguyen&limit=20",
            4,
            true,
        ),
        (
            "read staff with a token (superadmin)",
            "bench",
            "/api/v1/staff?q=nguyen&limit=20",
            16,
            false,
        ),
        (
            "read staff with a token (province HR officer, scoped)",
            "officer",
            "/api/v1/staff?q=nguyen&limit=20",
            16,
            false,
        ),
        (
            "read /auth/me with a token",
            "bench",
            "/api/v1/auth/me",
            16,
            false,
        ),
    ] {
        let read = format!("{base}{path}");
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        let started = Instant::now();
        for _ in 0..concurrency {
            let (client, base, read, stop) =
                (client.clone(), base.clone(), read.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut token = String::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    if login_each_time || token.is_empty() {
                        let res = client
                            .post(format!("{base}/api/v1/auth/login"))
                            .json(&json!({"username": user, "password": PASSWORD}))
                            .send()
                            .await;
                        let Ok(res) = res else { break };
                        let body: serde_json::Value = res.json().await.unwrap_or_default();
                        token = body["token"].as_str().unwrap_or_default().to_owned();
                    }
                    let ok = client
                        .get(&read)
                        .bearer_auth(&token)
                        .send()
                        .await
                        .map(|r| r.status().is_success())
                        .unwrap_or(false);
                    if ok {
                        latencies.push(t.elapsed());
                    }
                }
                latencies
            }));
        }
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await?);
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{label} (concurrency {concurrency}): {} requests in {secs:.1} s = {:.1} req/s, median {:.2} ms",
            all.len(),
            all.len() as f64 / secs,
            median(all).as_secs_f64() * 1000.0
        );
    }
    shutdown.notify();
    state.db.close().await?;
    Ok(())
}

#[rocket::main]
async fn main() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!("congvu foundation benchmark: {cores} cores, SQLite WAL + synchronous=FULL");
    import_bench(env_or("CONGVU_BENCH_ROWS", 100_000)).await?;
    http_bench(env_or("CONGVU_BENCH_SECONDS", 10)).await?;
    Ok(())
}
