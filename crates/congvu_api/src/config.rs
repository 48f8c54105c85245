//! Configuration: defaults, then `congvu.toml` in the data directory, then `CONGVU_*` environment
//! variables, then command-line flags. Validated once at start.

use std::path::{Path, PathBuf};

use rocket::figment::Figment;
use rocket::figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Everything congvu reads at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppConfig {
    /// Where the SQLite file, the configuration file and generated files live.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; unset means `sqlite://<data_dir>/congvu.db`.
    pub database_url: Option<String>,
    pub address: String,
    pub port: u16,
    /// Lifetime of a login token, in hours.
    pub token_ttl_hours: u32,
    /// Maximum JSON request body, in bytes.
    pub json_limit_bytes: u64,
    /// Maximum evidence file, in bytes.
    pub evidence_limit_bytes: u64,
    /// Public complaint submissions allowed per client address per hour.
    pub public_submissions_per_hour: u32,
    /// Public status checks allowed per client address per minute.
    pub public_status_per_minute: u32,
    /// Public status checks allowed per receipt prefix (first four digits) per minute, all
    /// clients together.
    pub public_status_per_prefix_per_minute: u32,
    /// The SMTP server the outbox relay sends through; unset keeps messages queued.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// STARTTLS to the SMTP server (off only for a server on loopback).
    pub smtp_starttls: bool,
    /// The sender address of congvu's mail.
    pub mail_from: String,
    /// The public address of this server, for links in mail.
    pub public_url: String,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("congvu-data"),
            database_url: None,
            address: "127.0.0.1".into(),
            port: 8000,
            token_ttl_hours: 12,
            json_limit_bytes: 256 * 1024,
            evidence_limit_bytes: 10 * 1024 * 1024,
            public_submissions_per_hour: 20,
            public_status_per_minute: 10,
            public_status_per_prefix_per_minute: 30,
            smtp_host: None,
            smtp_port: 587,
            smtp_starttls: true,
            mail_from: "congvu@localhost".into(),
            public_url: "http://127.0.0.1:8000".into(),
        }
    }
}

/// Values given as flags; they override everything else.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

impl AppConfig {
    /// Loads the layered configuration. The data directory itself may come from the environment
    /// or a flag, so it is resolved first and the file is read from it.
    pub fn load(overrides: &Overrides) -> Result<Self, Error> {
        let data_dir = overrides
            .data_dir
            .clone()
            .or_else(|| std::env::var_os("CONGVU_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| Self::default().data_dir);
        let figment = Figment::from(Serialized::defaults(Self::default()))
            .merge(Toml::file(data_dir.join("congvu.toml")))
            // DESIGN.md: a plain DATABASE_URL selects the database; CONGVU_DATABASE_URL wins over it.
            .merge(Env::raw().only(&["database_url"]))
            .merge(Env::prefixed("CONGVU_").ignore(&["test_postgres_url"]))
            .merge(Serialized::defaults(overrides));
        let mut config: Self = figment
            .extract()
            .map_err(|e| Error::Internal(format!("configuration: {e}")))?;
        config.data_dir = data_dir;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.token_ttl_hours == 0 || self.token_ttl_hours > 24 * 30 {
            return Err(Error::Internal(
                "configuration: token_ttl_hours must be 1 to 720".into(),
            ));
        }
        if self.json_limit_bytes < 1024 {
            return Err(Error::Internal(
                "configuration: json_limit_bytes must be at least 1024".into(),
            ));
        }
        Ok(())
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => congvu_db::sqlite_url(&self.data_dir.join("congvu.db")),
        }
    }

    /// Creates the data directory if needed.
    pub fn ensure_data_dir(&self) -> Result<&Path, Error> {
        std::fs::create_dir_all(&self.data_dir).map_err(|e| {
            Error::Internal(format!(
                "cannot create data directory {}: {e}",
                self.data_dir.display()
            ))
        })?;
        Ok(&self.data_dir)
    }
}

#[cfg(test)]
mod tests;
