//! The `congvu` binary: parses the command line, sets up structured logs, runs the command.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use congvu_cli::{self as cli, Cli};
use tracing_subscriber::EnvFilter;

#[rocket::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    let filter = EnvFilter::try_from_env("CONGVU_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,rocket=error"));
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
