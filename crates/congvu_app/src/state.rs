//! What every request and command shares: the database, the clock, the configuration, the password
//! hasher, and the national data parsed once at start.

use congvu_core::assessment::AssessmentRules;
use congvu_core::calendar::WorkCalendar;
use congvu_core::complaint::ComplaintRules;
use congvu_core::discipline::{Consequences, DisciplineRules};
use congvu_core::legal::{self, Regime};
use congvu_core::letter::rules::LetterRules;
use congvu_db::Db;

use crate::auth::PasswordHasherPool;
use crate::clock::Clock;
use crate::config::AppConfig;
use crate::error::Error;
use crate::secrets::Secrets;

/// Shared application state (no HTTP types: the use cases, the command line and the HTTP layer
/// all hold it).
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub config: AppConfig,
    pub hasher: PasswordHasherPool,
    pub calendar: WorkCalendar,
    pub regimes: Vec<Regime>,
    pub discipline: DisciplineRules,
    pub consequences: Consequences,
    pub complaint_rules: ComplaintRules,
    pub letter_rules: LetterRules,
    /// Classification schemes, quotas and emulation titles (`data/assessment.toml`).
    pub assessment: AssessmentRules,
    /// Where the mail relay delivers: SMTP, or `.eml` files when no server is configured.
    pub mail: congvu_mail::Transport,
    /// Keys kept outside the database (receipt HMAC, identity sealing).
    pub secrets: Secrets,
    /// Failed sign-ins of this node, for the growing delays (`throttle`).
    pub login_throttle: std::sync::Arc<crate::throttle::LoginThrottle>,
}

impl AppState {
    /// Builds the state over a connected, migrated database with the configured keys (see
    /// `secrets`: on the embedded SQLite default `secrets.key` is created in the data directory
    /// on first run; on PostgreSQL keys must be given) and the configured mail transport: what
    /// the binary, the tests and the example do. The binary then checks the keys against the
    /// database's fingerprint (`service::keys::check`).
    pub fn open(db: Db, clock: Clock, config: AppConfig) -> Result<Self, Error> {
        let may_create = db.is_sqlite();
        let secrets = Secrets::configured(&config, may_create)?;
        let mail = congvu_mail::Transport::new(&config.mail_settings())
            .map_err(|e| Error::Internal(e.to_string()))?;
        Self::new(db, clock, config, secrets, mail)
    }

    /// Builds the state for reading only (`verify-audit`): the configured keys when they can be
    /// read, and otherwise keys made up in memory for this run; nothing is created or written (a
    /// node without keys does not get new ones by verifying).
    pub fn open_read_only(db: Db, clock: Clock, config: AppConfig) -> Result<Self, Error> {
        let secrets = Secrets::configured(&config, false).unwrap_or_else(|_| Secrets::ephemeral());
        let mail = congvu_mail::Transport::new(&config.mail_settings())
            .map_err(|e| Error::Internal(e.to_string()))?;
        Self::new(db, clock, config, secrets, mail)
    }

    /// Builds the state from its parts, touching nothing outside: no file is read or created and
    /// no connection opened (the shipped legal data is parsed from the binary).
    pub fn new(
        db: Db,
        clock: Clock,
        config: AppConfig,
        secrets: Secrets,
        mail: congvu_mail::Transport,
    ) -> Result<Self, Error> {
        Ok(Self {
            db,
            clock,
            hasher: PasswordHasherPool::new()?,
            calendar: WorkCalendar::national()?,
            regimes: legal::national_regimes()?,
            discipline: DisciplineRules::national()?,
            consequences: Consequences::national()?,
            complaint_rules: ComplaintRules::national()?,
            letter_rules: LetterRules::national()?,
            assessment: AssessmentRules::national()?,
            mail,
            secrets,
            login_throttle: std::sync::Arc::default(),
            config,
        })
    }
}
