//! Configuration: defaults, then `congvu.toml` in the data directory, then `CONGVU_*` environment
//! variables, then command-line flags. Validated once at start.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
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
    /// Public status checks (and messages, attachments) allowed per client address per minute.
    pub public_status_per_minute: u32,
    /// Receipts matching no report allowed per client address per day; past it the client's
    /// receipt checks are refused until the budget refills.
    pub public_wrong_receipts_per_day: u32,
    /// Reverse proxies (addresses or CIDR blocks) whose `Forwarded` / `X-Forwarded-For` headers
    /// name the client; from any other peer those headers are ignored.
    pub trusted_proxies: Vec<String>,
    /// The one header the trusted proxies write the client's address in: `X-Forwarded-For`
    /// (default) or `Forwarded`. The other is never read (a client could have sent it).
    pub client_address_header: String,
    /// The SMTP server the outbox relay sends through; unset writes each message as an `.eml`
    /// file under `<data_dir>/mail` instead.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (only for a relay on loopback).
    pub smtp_security: String,
    /// SMTP login, when the server wants one.
    pub smtp_username: Option<String>,
    #[serde(skip_serializing)]
    pub smtp_password: Option<Password>,
    /// Seconds to connect and for each SMTP reply.
    pub smtp_timeout_seconds: u64,
    /// First retry delay of a temporary failure; doubles per attempt (capped at 6 h, jittered).
    pub mail_retry_base_seconds: u64,
    /// Attempts before a message is marked failed (an administrator may retry it).
    pub mail_max_attempts: u32,
    /// How long a relay holds a claimed message before another relay may take it over.
    pub mail_lease_seconds: u64,
    /// The sender address of congvu's mail.
    pub mail_from: String,
    /// The public address of this server, for links in mail.
    pub public_url: String,
    /// The key ring as text (`CONGVU_KEYS`): one pair of 128 hex digits per line or comma, the
    /// current first. Wins over `keys_file`.
    #[serde(skip_serializing)]
    pub keys: Option<Password>,
    /// The key file; unset means `<data_dir>/secrets.key` (created on first start on SQLite only).
    pub keys_file: Option<PathBuf>,
    /// The key of the audit anchor log (`CONGVU_AUDIT_ANCHOR_KEY`, 64 hex digits): each committed
    /// audit head is written there with its HMAC; unset means `<data_dir>/anchor.key`.
    #[serde(skip_serializing)]
    pub audit_anchor_key: Option<Password>,
    /// How often `serve` anchors the audit head when it moved, in seconds.
    pub audit_anchor_seconds: u64,
    /// Seconds a request body may take to arrive before the answer is 408.
    pub body_read_seconds: u64,
    /// Years after a report ended (rejected or concluded) when its complainant's identity is
    /// destroyed and their name, phone, e-mail and address are masked in its texts (docs/LEGAL.md,
    /// retention; to confirm per agency).
    pub retention_identity_years: u32,
    /// Years after a report ended when its attachments are deleted.
    pub retention_attachment_years: u32,
    /// Days after a session expired or was revoked when it is deleted.
    pub retention_session_days: u32,
    /// Days after a message was delivered when its body and recipient are cleared.
    pub retention_mail_days: u32,
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
            public_wrong_receipts_per_day: 50,
            trusted_proxies: Vec::new(),
            client_address_header: "X-Forwarded-For".into(),
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            smtp_timeout_seconds: 10,
            mail_retry_base_seconds: 30,
            mail_max_attempts: 10,
            mail_lease_seconds: 120,
            mail_from: "congvu@localhost".into(),
            public_url: "http://127.0.0.1:8000".into(),
            keys: None,
            keys_file: None,
            audit_anchor_key: None,
            audit_anchor_seconds: 10,
            body_read_seconds: 30,
            retention_identity_years: 5,
            retention_attachment_years: 5,
            retention_session_days: 30,
            retention_mail_days: 30,
        }
    }
}

/// A password read from the configuration: shown as `***` by `Debug`, never serialised.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
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
        if congvu_mail::Security::parse(&self.smtp_security).is_none() {
            return Err(Error::Internal(
                "configuration: smtp_security must be starttls, tls or none".into(),
            ));
        }
        if !congvu_mail::valid_mailbox(&self.mail_from) {
            return Err(Error::Internal(
                "configuration: mail_from must be an address (or Name <address>)".into(),
            ));
        }
        // A delivery is cut off after EXCHANGES timeouts: the lease outlasts it, so a stuck
        // delivery is never taken twice.
        let longest_send = self
            .smtp_timeout_seconds
            .saturating_mul(u64::from(congvu_mail::transport::EXCHANGES));
        if self.mail_max_attempts == 0 || self.mail_lease_seconds < longest_send {
            return Err(Error::Internal(
                "configuration: mail_max_attempts must be at least 1 and mail_lease_seconds at \
                 least six SMTP timeouts"
                    .into(),
            ));
        }
        self.trusted_proxies()?;
        if !["x-forwarded-for", "forwarded"]
            .contains(&self.client_address_header.to_ascii_lowercase().as_str())
        {
            return Err(Error::Internal(
                "configuration: client_address_header must be X-Forwarded-For or Forwarded".into(),
            ));
        }
        if self.body_read_seconds == 0 {
            return Err(Error::Internal(
                "configuration: body_read_seconds must be at least 1".into(),
            ));
        }
        if self.audit_anchor_seconds == 0 {
            return Err(Error::Internal(
                "configuration: audit_anchor_seconds must be at least 1".into(),
            ));
        }
        if self.json_limit_bytes < 1024 {
            return Err(Error::Internal(
                "configuration: json_limit_bytes must be at least 1024".into(),
            ));
        }
        Ok(())
    }

    /// The trusted proxies as networks (a plain address is a network of one).
    pub fn trusted_proxies(&self) -> Result<Vec<ipnet::IpNet>, Error> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                let p = p.trim();
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        Error::Internal(format!(
                            "configuration: trusted_proxies: {p:?} is not an address or CIDR block"
                        ))
                    })
            })
            .collect()
    }

    /// How long a request body may take to arrive.
    pub fn body_read_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.body_read_seconds)
    }

    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => congvu_db::sqlite_url(&self.data_dir.join("congvu.db")),
        }
    }

    /// The mail transport settings: SMTP when a host is set, `.eml` files otherwise.
    pub fn mail_settings(&self) -> congvu_mail::Settings {
        congvu_mail::Settings {
            host: self.smtp_host.clone().filter(|h| !h.is_empty()),
            port: self.smtp_port,
            security: congvu_mail::Security::parse(&self.smtp_security)
                .unwrap_or(congvu_mail::Security::StartTls),
            username: self.smtp_username.clone(),
            password: self.smtp_password.as_ref().map(|p| p.0.clone()),
            timeout: std::time::Duration::from_secs(self.smtp_timeout_seconds),
            drop_dir: self.data_dir.join("mail"),
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
