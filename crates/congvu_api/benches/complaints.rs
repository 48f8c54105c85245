//! Citizens' reports benchmark (not a test): public submissions per second and status checks per
//! second over the real HTTP server on SQLite, beside the raw single-row commit rate of the same
//! SQLite file, as a ratio. Prints figures; asserts nothing.
//!
//! `cargo bench -p congvu_api --bench complaints`. `CONGVU_BENCH_SECONDS` sets each phase
//! (default 10); `CONGVU_BENCH_CONCURRENCY` the clients (default 8).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use congvu_app::clock::Clock;
use congvu_app::config::AppConfig;
use congvu_app::state::AppState;
use congvu_db::Connection;
use congvu_db::Db;
use rocket::fairing::AdHoc;
use serde_json::json;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn raw_commits(state: &AppState, seconds: u64) -> anyhow::Result<f64> {
    let writer = state.db.begin().await?;
    writer
        .execute_unprepared(
            "CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        )
        .await?;
    writer.commit().await?;
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        let txn = state.db.begin().await?;
        txn.execute_unprepared(&format!(
            "INSERT INTO bench_rows (body) VALUES ('một dòng thử {n}')"
        ))
        .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

async fn phase<F, Fut>(seconds: u64, concurrency: u64, job: F) -> (f64, Vec<String>)
where
    F: Fn(u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Option<String>> + Send,
{
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (stop, job) = (stop.clone(), job.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            let mut i = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if let Some(v) = job(worker * 1_000_000 + i).await {
                    out.push(v);
                }
                i += 1;
            }
            out
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    (all.len() as f64 / started.elapsed().as_secs_f64(), all)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds = env_or("CONGVU_BENCH_SECONDS", 10);
    let concurrency = env_or("CONGVU_BENCH_CONCURRENCY", 8);
    let dir = tempfile::tempdir()?;
    let config = AppConfig {
        data_dir: dir.path().to_path_buf(),
        port: 0,
        public_submissions_per_hour: u32::MAX,
        public_status_per_minute: u32::MAX,
        public_wrong_receipts_per_day: u32::MAX,
        ..AppConfig::default()
    };
    let db = Db::connect_and_migrate(&config.database_url()).await?;
    let state = AppState::open(db, Clock::system(), config)?;
    congvu_app::service::seed::national_data(&state).await?;
    congvu_app::service::accounts::create_superadmin(&state, "bench", "mat-khau-do-hieu-nang-2026")
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
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "bench", "password": "mat-khau-do-hieu-nang-2026"}))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().unwrap_or_default().to_owned();
    client
        .post(format!("{base}/api/v1/units"))
        .bearer_auth(&token)
        .json(&json!({"code": "HY", "name": "Tỉnh Hưng Yên", "kind": "province", "valid_from": "2025-07-01", "reason": "benchmark"}))
        .send()
        .await?;

    let (submissions, receipts) = {
        let (client, base) = (client.clone(), base.clone());
        phase(seconds, concurrency, move |i| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let body = if i % 2 == 0 {
                    json!({"unit_code": "HY", "description": format!("Phản ánh thử số {i}: cán bộ gây phiền hà")})
                } else {
                    json!({"unit_code": "HY", "description": format!("Phản ánh thử số {i}"), "kind": "complaint",
                        "identity": {"name": "Nguyễn Văn Thử", "phone": "0912345678", "email": "thu@example.vn"}})
                };
                let res = client.post(format!("{base}/api/v1/public/complaints")).json(&body).send().await.ok()?;
                let v: serde_json::Value = res.json().await.ok()?;
                v["receipt"].as_str().map(str::to_owned)
            }
        })
        .await
    };
    let receipts = Arc::new(receipts);
    let (status, _) = {
        let (client, base, receipts) = (client.clone(), base.clone(), receipts.clone());
        phase(seconds, concurrency, move |i| {
            let (client, base, receipts) = (client.clone(), base.clone(), receipts.clone());
            async move {
                let receipt = receipts.get(i as usize % receipts.len().max(1))?.clone();
                let res = client
                    .post(format!("{base}/api/v1/public/complaints/status"))
                    .json(&json!({"receipt": receipt}))
                    .send()
                    .await
                    .ok()?;
                res.status().is_success().then_some(String::new())
            }
        })
        .await
    };
    shutdown.notify();
    let raw = raw_commits(&state, seconds).await?;
    println!("complaints benchmark, SQLite, {concurrency} clients, {seconds} s per phase");
    println!("  public submissions:      {submissions:>8.0} /s");
    println!("  status checks:           {status:>8.0} /s");
    println!(
        "  raw single-row commits:  {raw:>8.0} /s (same SQLite file, one row per transaction)"
    );
    println!("  submissions / raw:       {:>8.2}", submissions / raw);
    println!("  status checks / raw:     {:>8.2}", status / raw);
    Ok(())
}
