//! What every request and command shares: the database, the clock, the configuration, the password
//! hasher, and the national data parsed once at start.

use congvu_core::calendar::WorkCalendar;
use congvu_core::discipline::{Consequences, DisciplineRules};
use congvu_core::legal::{self, Regime};
use congvu_db::Db;

use crate::auth::PasswordHasherPool;
use crate::clock::Clock;
use crate::config::AppConfig;
use crate::error::Error;

/// Shared application state (no HTTP types: services and the CLI use it too).
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
}

impl AppState {
    /// Builds the state over a connected, migrated database.
    pub fn new(db: Db, clock: Clock, config: AppConfig) -> Result<Self, Error> {
        Ok(Self {
            db,
            clock,
            config,
            hasher: PasswordHasherPool::new()?,
            calendar: WorkCalendar::national()?,
            regimes: legal::national_regimes()?,
            discipline: DisciplineRules::national()?,
            consequences: Consequences::national()?,
        })
    }
}
