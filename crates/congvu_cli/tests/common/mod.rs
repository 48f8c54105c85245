//! What the binary's tests share: the binary, the administrator's password, a free port.

#![allow(dead_code, reason = "each test binary uses its own part")]

/// The `congvu` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_congvu");
/// A password strong enough for the strength check.
pub const PASSWORD: &str = "mật-khẩu-quản-trị-bí-mật-2026";

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// A fresh PostgreSQL database next to `admin_url`'s, named for `what` and this process: its URL
/// and its name.
pub async fn fresh_database(admin_url: &str, what: &str) -> (String, String) {
    use sea_orm::ConnectionTrait;
    let name = format!("congvu_{what}_{}", std::process::id());
    drop_database(admin_url, &name).await;
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("admin connection");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("database created");
    let _ = admin.close().await;
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    (format!("{prefix}/{name}{query}"), name)
}

/// Drops a test database, connections and all.
pub async fn drop_database(admin_url: &str, name: &str) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("admin connection");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("database dropped");
    let _ = admin.close().await;
}
