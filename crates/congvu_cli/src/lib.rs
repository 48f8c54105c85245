//! The `congvu` command line: `serve`, `migrate`, `admin create`, `import staff`, `verify-audit`,
//! `worker`.
//! [`execute`] runs a parsed command with explicit input and output, so tests drive it in-process.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use congvu_db::Db;
use congvu_db::audit::Verification;

use congvu_app::clock::Clock;
use congvu_app::config::{AppConfig, Overrides};
use congvu_app::error::{Error, Result};
use congvu_app::service;
use congvu_app::state::AppState;

/// congvu: public-service culture for Vietnamese state agencies.
#[derive(Debug, Parser)]
#[command(name = "congvu", version, about)]
pub struct Cli {
    /// Data directory (SQLite file, congvu.toml); default ./congvu-data or $CONGVU_DATA_DIR.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL (postgres://… or sqlite://…); default: the SQLite file in the data directory.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, seed national data and serve the HTTP API.
    Serve {
        /// Port to listen on (default 8000 or $CONGVU_PORT).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply pending database migrations and seed national data.
    Migrate,
    /// Administration.
    Admin(AdminArgs),
    /// Import data files.
    Import(ImportArgs),
    /// Recompute the audit hash chain; exits 1 naming the first bad row if it was tampered with.
    VerifyAudit,
    /// Run the mail relay alone (no HTTP), until interrupted. Several may run on PostgreSQL;
    /// `serve` runs one itself.
    Worker,
    /// The keys receipts are hashed and identities sealed with.
    Keys(KeysArgs),
    /// Print this node's audit anchor log (signed heads of the chain), to keep a copy elsewhere.
    AuditAnchors,
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print a fresh key ring (for a key file, or CONGVU_KEYS); touches nothing.
    Generate,
    /// Put a fresh key in front of the key file's ring and make it the installation's key; the
    /// older keys stay to open what they sealed. Then give every node the new file and restart it.
    Rotate,
}

#[derive(Debug, Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    pub command: AdminCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a superadministrator account.
    Create {
        #[arg(long)]
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable an account: every token of it stops working and it cannot sign in.
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub command: ImportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import staff from a UTF-8 CSV file with a header line (see docs/OPERATIONS.md).
    Staff { file: PathBuf },
}

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_ROWS_REJECTED: i32 = 2;

/// Connects, migrates and seeds: what `congvu migrate` does, and what every command does first
/// on the embedded SQLite default.
pub async fn prepare(config: AppConfig) -> Result<AppState> {
    config.ensure_data_dir()?;
    let db = Db::connect_and_migrate(&config.database_url()).await?;
    let state = AppState::open(db, Clock::system(), config)?;
    service::seed::national_data(&state).await?;
    Ok(state)
}

/// `congvu migrate`: on PostgreSQL the release step needs no keys (it seals nothing), so it
/// runs with the configured keys when given and keys of its own otherwise; on SQLite it is
/// [`prepare`].
async fn migrate(config: AppConfig) -> Result<AppState> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        return prepare(config).await;
    }
    let db = Db::connect_and_migrate(&url).await?;
    let state = AppState::open_read_only(db, Clock::system(), config)?;
    service::seed::national_data(&state).await?;
    Ok(state)
}

/// The state for a command that works on the data. On SQLite it migrates and seeds (the embedded
/// default needs no other step). On PostgreSQL, where several nodes may start at once, migration
/// is the explicit release step `congvu migrate`, and a database behind it is refused. Either
/// way the node's keys must be the installation's (`service::keys::check`).
pub async fn open(config: AppConfig) -> Result<AppState> {
    let state = open_unchecked(config).await?;
    service::keys::check(&state).await?;
    Ok(state)
}

/// [`open`] without the key check: for `keys rotate`, which finishes an interrupted rotation
/// (a key file newer than the database) and checks the keys itself.
async fn open_unchecked(config: AppConfig) -> Result<AppState> {
    let url = config.database_url();
    let state = if url.starts_with("sqlite:") {
        prepare(config).await?
    } else {
        let db = Db::connect(&url).await?;
        let pending = db.pending_migrations().await?;
        if pending > 0 {
            return Err(Error::Internal(format!(
                "the database is {pending} migration(s) behind: run `congvu migrate` first"
            )));
        }
        AppState::open(db, Clock::system(), config)?
    };
    Ok(state)
}

/// Connects without changing anything (verification must not write before it reads).
async fn open_read_only(config: AppConfig) -> Result<AppState> {
    let url = config.database_url();
    if url.starts_with("sqlite:")
        && !config.data_dir.join("congvu.db").exists()
        && config.database_url.is_none()
    {
        return Err(Error::Internal(format!(
            "no database in {}",
            config.data_dir.display()
        )));
    }
    let db = Db::connect(&url).await?;
    AppState::open_read_only(db, Clock::system(), config)
}

/// Runs a command. `serve` returns only when the server stops.
/// `admin disable` and `admin enable`: as the operator, audited.
async fn set_enabled(
    config: AppConfig,
    username: &str,
    enabled: bool,
    out: &mut impl Write,
) -> Result<i32> {
    let state = open(config).await?;
    let user = service::accounts::operator_set_enabled(&state, username, enabled).await?;
    let what = if enabled {
        "enabled"
    } else {
        "disabled (its sessions revoked)"
    };
    writeln!(out, "account {} {what}", user.username).map_err(io)?;
    state.db.close().await?;
    Ok(EXIT_OK)
}

pub async fn execute(cli: Cli, stdin: &mut impl BufRead, out: &mut impl Write) -> Result<i32> {
    let port = match &cli.command {
        Command::Serve { port } => *port,
        _ => None,
    };
    let config = AppConfig::load(&Overrides {
        data_dir: cli.data_dir.clone(),
        port,
        database_url: cli.database_url.clone(),
    })?;
    match cli.command {
        Command::Serve { .. } => serve(config, out).await,
        Command::Migrate => {
            let state = migrate(config).await?;
            writeln!(out, "database migrated and national data seeded").map_err(io)?;
            state.db.close().await?;
            Ok(EXIT_OK)
        }
        Command::Admin(AdminArgs {
            command: AdminCommand::Create { username, .. },
        }) => {
            let mut password = String::new();
            stdin.read_line(&mut password).map_err(io)?;
            let password = password.trim_end_matches(['\n', '\r']);
            let state = open(config).await?;
            let id = service::accounts::create_superadmin(&state, &username, password).await?;
            writeln!(out, "created superadministrator {username} ({id})").map_err(io)?;
            state.db.close().await?;
            Ok(EXIT_OK)
        }
        Command::Admin(AdminArgs {
            command: AdminCommand::Disable { username },
        }) => set_enabled(config, &username, false, out).await,
        Command::Admin(AdminArgs {
            command: AdminCommand::Enable { username },
        }) => set_enabled(config, &username, true, out).await,
        Command::Import(ImportArgs {
            command: ImportCommand::Staff { file },
        }) => import_staff(config, &file, out).await,
        Command::Worker => {
            let state = open(config).await?;
            writeln!(out, "congvu mail relay running; Ctrl-C stops it").map_err(io)?;
            congvu_app::retention::spawn_daily(state.clone());
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            congvu_app::mail::run(state.clone(), std::time::Duration::from_secs(2), stop).await;
            state.db.close().await?;
            Ok(EXIT_OK)
        }
        Command::Keys(KeysArgs {
            command: KeysCommand::Generate,
        }) => {
            write!(
                out,
                "{}",
                congvu_app::secrets::Secrets::generate().to_text()
            )
            .map_err(io)?;
            Ok(EXIT_OK)
        }
        Command::Keys(KeysArgs {
            command: KeysCommand::Rotate,
        }) => {
            let state = open_unchecked(config).await?;
            let rotated = service::keys::rotate(&state).await?;
            writeln!(
                out,
                "key rotated: fingerprint {} (was {}), written to {}; give every node this file \
                 and restart it",
                rotated.current,
                rotated.previous,
                rotated.file.display()
            )
            .map_err(io)?;
            state.db.close().await?;
            Ok(EXIT_OK)
        }
        Command::VerifyAudit => {
            let state = open_read_only(config).await?;
            let check = service::audit::verify_unchecked(&state).await?;
            state.db.close().await?;
            report_audit(&check, out)
        }
        Command::AuditAnchors => {
            let Some(anchors) = congvu_app::anchor::Anchors::configured(&config, false)? else {
                writeln!(out, "no anchor key in {}", config.data_dir.display()).map_err(io)?;
                return Ok(EXIT_FAILED);
            };
            match std::fs::read_to_string(anchors.log()) {
                Ok(text) => write!(out, "{text}").map_err(io)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
            Ok(EXIT_OK)
        }
    }
}

/// Prints what `verify-audit` found; exit 1 on anything wrong.
fn report_audit(check: &service::audit::AuditCheck, out: &mut impl Write) -> Result<i32> {
    use service::audit::AnchorLog;
    match &check.anchors {
        AnchorLog::Absent => writeln!(
            out,
            "no anchor log on this node: the chain alone is checked"
        ),
        AnchorLog::Checked { heads, last } => writeln!(
            out,
            "anchor log: {heads} signed heads{}",
            last.map(|s| format!(", the last at seq {s}"))
                .unwrap_or_default()
        ),
        AnchorLog::Forged { line } => {
            writeln!(out, "anchor log edited: line {line} fails its HMAC")
        }
        AnchorLog::KeyMissing => writeln!(
            out,
            "anchor log present but no anchor key (audit_anchor_key or anchor.key): cannot check it"
        ),
    }
    .map_err(io)?;
    match &check.chain {
        Verification::Intact { events } => {
            writeln!(out, "audit chain intact: {events} events").map_err(io)?;
        }
        Verification::Broken(b) => {
            writeln!(
                out,
                "audit chain broken at seq {}: {}",
                b.seq,
                b.kind.code()
            )
            .map_err(io)?;
        }
    }
    Ok(if check.intact() { EXIT_OK } else { EXIT_FAILED })
}

async fn serve(config: AppConfig, out: &mut impl Write) -> Result<i32> {
    let state = open(config).await?;
    if !congvu_db::account::has_superadmin(state.db.reader()).await? {
        writeln!(
            out,
            "no administrator yet: run `congvu admin create --username admin --password-stdin`"
        )
        .map_err(io)?;
    }
    writeln!(
        out,
        "congvu listening on http://{}:{} (API docs at /api/docs/)",
        state.config.address, state.config.port
    )
    .map_err(io)?;
    congvu_app::mail::spawn_relay(state.clone());
    congvu_app::retention::spawn_daily(state.clone());
    if let Some(anchors) = congvu_app::anchor::Anchors::configured(&state.config, true)? {
        congvu_app::anchor::spawn(
            state.clone(),
            anchors,
            std::time::Duration::from_secs(state.config.audit_anchor_seconds),
        );
    }
    congvu_api::rocket(state)
        .launch()
        .await
        .map_err(|e| Error::Internal(format!("server: {e}")))?;
    Ok(EXIT_OK)
}

async fn import_staff(
    config: AppConfig,
    file: &std::path::Path,
    out: &mut impl Write,
) -> Result<i32> {
    let reader = std::fs::File::open(file).map_err(|e| {
        Error::field(
            "file",
            "unreadable",
            &format!("cannot open {}: {e}", file.display()),
        )
    })?;
    let total = count_lines(file).unwrap_or(0);
    let state = open(config).await?;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let report = service::import::staff(
        &state,
        std::io::BufReader::new(reader),
        "cli:import",
        |done| bar.set_position(done),
    )
    .await?;
    bar.finish_and_clear();
    state.db.close().await?;
    writeln!(
        out,
        "{} rows: {} created, {} updated, {} unchanged, {} rejected",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.rejected.len()
    )
    .map_err(io)?;
    for row in &report.rejected {
        let reasons: Vec<String> = row
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        writeln!(
            out,
            "line {} ({}): {}",
            row.line,
            row.staff_code.as_deref().unwrap_or("-"),
            reasons.join("; ")
        )
        .map_err(io)?;
    }
    Ok(if report.rejected.is_empty() {
        EXIT_OK
    } else {
        EXIT_ROWS_REJECTED
    })
}

fn count_lines(file: &std::path::Path) -> std::io::Result<u64> {
    let mut reader = std::fs::File::open(file)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
    Ok(lines.saturating_sub(1))
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(format!("output: {e}"))
}
