//! Where messages go: an SMTP server (plain on loopback, STARTTLS or implicit TLS, with optional
//! login and a timeout), or, when none is configured, `.eml` files in a directory so that a fresh
//! install keeps every message readable without a mail server.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::{Error, Outgoing};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS: only for a relay on loopback or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS (port 587); the upgrade is required.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Security {
    /// Parses `none`, `starttls` or `tls`.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
}

/// What a transport is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The SMTP server; `None` writes `.eml` files into `drop_dir` instead.
    pub host: Option<String>,
    pub port: u16,
    pub security: Security,
    /// Login, when the server wants one (only over TLS or to loopback, as the operator decides).
    pub username: Option<String>,
    pub password: Option<String>,
    /// For connecting and for each reply; a whole delivery is bounded by [`EXCHANGES`] of them.
    pub timeout: Duration,
    pub drop_dir: PathBuf,
}

/// The SMTP exchanges of one delivery (greeting, EHLO, STARTTLS or AUTH, MAIL, RCPT, DATA and
/// the message): a delivery gets this many timeouts in all. lettre's async transport bounds only
/// the connect (its issue #1027), so a server that accepts and never greets, or never answers
/// after DATA, would hold the relay for ever without this bound.
pub const EXCHANGES: u32 = 6;

/// A ready transport.
#[derive(Clone)]
pub enum Transport {
    /// Messages written as `<id>.eml` files.
    Files(PathBuf),
    Smtp {
        smtp: AsyncSmtpTransport<Tokio1Executor>,
        /// The most one delivery may take: [`EXCHANGES`] timeouts.
        limit: Duration,
    },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
            Self::Smtp { .. } => f.write_str("Transport::Smtp"),
        }
    }
}

impl Transport {
    /// Builds the transport the settings describe.
    pub fn new(settings: &Settings) -> Result<Self, Error> {
        let Some(host) = settings.host.as_deref() else {
            return Ok(Self::Files(settings.drop_dir.clone()));
        };
        let tls = |e: lettre::transport::smtp::Error| Error::Settings(format!("smtp: {e}"));
        let mut builder = match settings.security {
            Security::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(tls)?
            }
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(tls)?,
        };
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp {
            smtp: builder
                .port(settings.port)
                .timeout(Some(settings.timeout))
                .build(),
            limit: settings.timeout.saturating_mul(EXCHANGES),
        })
    }

    /// Delivers one message. A message written or accepted twice (after a crash between sending
    /// and recording it) keeps its Message-ID; as a file it simply replaces itself.
    pub async fn send(&self, message: &Outgoing) -> Result<(), Error> {
        let built = message.build()?;
        match self {
            Self::Files(dir) => write_file(dir, message, built.formatted()).await,
            Self::Smtp { smtp, limit } => {
                match tokio::time::timeout(*limit, smtp.send(built)).await {
                    Ok(sent) => sent.map(|_| ()).map_err(classify),
                    // A stuck server is a temporary failure: the message is tried again later.
                    Err(_) => Err(Error::Temporary(format!(
                        "the SMTP server did not finish the delivery within {} s",
                        limit.as_secs()
                    ))),
                }
            }
        }
    }
}

/// A 5xx reply is permanent; 4xx replies, connection, TLS and timeout failures are temporary.
fn classify(e: lettre::transport::smtp::Error) -> Error {
    if e.is_permanent() {
        Error::Permanent(e.to_string())
    } else {
        Error::Temporary(e.to_string())
    }
}

/// Writes `<id>.eml` through a temporary file and a rename, so a reader never sees half a
/// message.
async fn write_file(
    dir: &std::path::Path,
    message: &Outgoing,
    bytes: Vec<u8>,
) -> Result<(), Error> {
    let dir = dir.to_path_buf();
    let id = message.id;
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        let partial = dir.join(format!(".{id}.eml.partial"));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, dir.join(format!("{id}.eml")))
    })
    .await
    .map_err(|e| Error::Temporary(format!("mail file writer: {e}")))?
    .map_err(|e| Error::Temporary(format!("cannot write the mail file: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn message() -> Outgoing {
        Outgoing {
            id: Uuid::from_u128(7),
            from: "congvu@localhost".into(),
            to: "anh@example.vn".into(),
            subject: "Thư xin lỗi".into(),
            text: "Kính gửi Bà Ánh".into(),
            attachments: vec![],
        }
    }

    fn settings(host: Option<&str>, port: u16, dir: PathBuf) -> Settings {
        Settings {
            host: host.map(str::to_owned),
            port,
            security: Security::None,
            username: None,
            password: None,
            timeout: Duration::from_secs(2),
            drop_dir: dir,
        }
    }

    /// A server that accepts and never greets (a tarpit) fails the delivery as temporary within
    /// its bound, instead of holding the relay for ever (issue 20 §2; lettre #1027).
    #[tokio::test]
    async fn a_server_that_never_greets_is_a_temporary_failure_not_a_hang() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            loop {
                let (socket, _) = listener.accept().await.unwrap();
                open.push(socket);
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let mut s = settings(Some("127.0.0.1"), port, dir.path().to_path_buf());
        s.timeout = Duration::from_millis(200);
        let t = Transport::new(&s).unwrap();
        // The outer bound only detects a hang; the transport's own limit is 6 × 200 ms.
        let sent = tokio::time::timeout(Duration::from_secs(60), t.send(&message()))
            .await
            .expect("the delivery hung");
        match sent {
            Err(Error::Temporary(why)) => assert!(why.contains("did not finish"), "{why}"),
            other => panic!("expected a temporary failure, got {other:?}"),
        }
        held.abort();
    }

    #[tokio::test]
    async fn without_a_server_messages_become_eml_files_named_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let t = Transport::new(&settings(None, 25, dir.path().join("mail"))).unwrap();
        t.send(&message()).await.unwrap();
        t.send(&message()).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1, "a re-send replaces the same file");
        let eml = std::fs::read_to_string(
            dir.path()
                .join("mail")
                .join(format!("{}.eml", Uuid::from_u128(7))),
        )
        .unwrap();
        assert!(eml.contains("Message-ID: <00000000-0000-0000-0000-000000000007@congvu>"));
    }

    #[tokio::test]
    async fn a_refused_connection_is_temporary() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = Transport::new(&settings(Some("127.0.0.1"), port, PathBuf::new())).unwrap();
        assert!(matches!(t.send(&message()).await, Err(Error::Temporary(_))));
    }
}
