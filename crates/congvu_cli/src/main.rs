//! The `congvu` binary: parses the command line, sets up structured logs, runs the command.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use congvu_cli::{self as cli, Cli};
use tracing_subscriber::EnvFilter;

/// The log directive that silences Rocket's per-request server messages.
const QUIET_ROCKET_SERVER: &str = "rocket::server=off";

#[rocket::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    // Rocket logs an unmatched request with its whole URI, query string included ("No matching
    // routes for GET /x?phone=…"); its server target is silenced whatever CONGVU_LOG says, and
    // congvu's own request line (method, route, status, latency, never the URI) stands for it.
    let filter = EnvFilter::try_from_env("CONGVU_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,rocket=error"));
    let filter = match QUIET_ROCKET_SERVER.parse() {
        Ok(quiet) => filter.add_directive(quiet),
        Err(_) => filter,
    };
    tracing_subscriber::fmt()
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let mut stdin = std::io::BufReader::new(std::io::stdin());
    let mut stdout = std::io::stdout();
    match cli::execute(args, &mut stdin, &mut stdout).await {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            // The operator at the command line sees the cause, which the HTTP API never shows.
            eprintln!("error: {e}");
            for field in e.fields() {
                eprintln!("  {}: {}", field.field, field.message);
            }
            ExitCode::from(1)
        }
    }
}
