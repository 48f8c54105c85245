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
