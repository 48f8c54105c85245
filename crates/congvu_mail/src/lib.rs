//! Mail for congvu, and nothing else: [`message`] builds a message with a stable Message-ID and
//! its attachments, [`transport`] delivers it over SMTP or writes it as an `.eml` file, and
//! [`retry`] says when to try again. Queueing lives with the database (the outbox), not here.

pub mod message;
pub mod retry;
pub mod transport;

pub use message::{Attachment, Outgoing, mask, redact, valid_address, valid_mailbox};
pub use transport::{Security, Settings, Transport};

/// Why a message was not delivered. The text never holds the recipient's address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Retrying cannot help: a 5xx reply, an address that does not parse, a message that cannot
    /// be built.
    #[error("permanent: {0}")]
    Permanent(String),
    /// Worth retrying: a 4xx reply, a refused or dropped connection, a timeout, a TLS failure.
    #[error("temporary: {0}")]
    Temporary(String),
    /// The mail settings are unusable (found at start, not per message).
    #[error("mail settings: {0}")]
    Settings(String),
}

impl Error {
    /// Whether retrying is pointless.
    pub const fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_) | Self::Settings(_))
    }
}
