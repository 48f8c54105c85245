//! A real SMTP server on loopback for tests (`tests/support/smtp_sink.py`, Debian's
//! python3-aiosmtpd): it stores each message as an `.eml` file and answers as its mode file says
//! (250, 451, 550 or a stall before DATA).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tests::{Backend, TestApp};

const SINK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/support/smtp_sink.py");
const PYTHON: &str = "/usr/bin/python3";

pub(crate) fn sink_available() -> bool {
    let ok = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI needs python3-aiosmtpd (.ci/setup installs it)"
        );
        eprintln!("SKIPPED: python3-aiosmtpd is not installed (run .ci/setup)");
    }
    ok
}

/// The SMTP server of a test.
pub(crate) struct Sink {
    pub(crate) port: u16,
    pub(crate) dir: tempfile::TempDir,
    child: Option<Child>,
}

impl Sink {
    /// A port with nothing listening yet.
    pub(crate) fn down() -> Self {
        Self {
            port: tests::free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
        }
    }

    pub(crate) async fn up() -> Self {
        let mut s = Self::down();
        s.start().await;
        s
    }

    pub(crate) async fn start(&mut self) {
        let child = Command::new(PYTHON)
            .arg(SINK)
            .arg(self.port.to_string())
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP sink did not start");
    }

    pub(crate) fn mode(&self, mode: &str) {
        std::fs::write(self.dir.path().join("mode"), mode).unwrap();
    }

    pub(crate) fn messages(&self) -> Vec<String> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    pub(crate) async fn wait_stalled(&self) {
        for _ in 0..200 {
            if self.dir.path().join("stalled").exists() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the relay never reached DATA");
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub(crate) async fn app_with_sink(backend: &Backend, sink: &Sink) -> TestApp {
    let port = sink.port;
    TestApp::spawn_with(backend, |c| {
        c.smtp_host = Some("127.0.0.1".into());
        c.smtp_port = port;
        c.smtp_security = "none".into();
        c.smtp_timeout_seconds = 5;
        c.mail_lease_seconds = 60;
        c.mail_from = "congvu@hungyen.gov.vn".into();
    })
    .await
    .unwrap()
}
