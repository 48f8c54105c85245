//! The audit chain anchored outside the database (issue 20 §7). Whoever can edit the database can
//! also recompute every later hash and the head, so the chain alone proves only that nobody who
//! could not write SQL changed it. The anchor log closes that: `serve` appends the committed head
//! (sequence number and hash), with an HMAC under a key kept outside the database, to
//! `<data_dir>/audit-anchors.log` every few seconds while the chain grows; `verify-audit` checks
//! every line's HMAC and that the chain in the database still has each anchored hash at its
//! sequence number. A rewritten chain, or one cut short, no longer matches.
//!
//! The key comes from `audit_anchor_key` (`CONGVU_AUDIT_ANCHOR_KEY`, 64 hex digits), else from
//! `<data_dir>/anchor.key`, created (mode 0600) on the first `serve`. Each node keeps its own log
//! of the heads it saw. The log is plain text: ship it off the machine (`congvu audit-anchors`
//! prints it) for an anchor even the machine's administrator cannot rewrite.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::config::AppConfig;
use crate::error::Error;
use crate::secrets::write_private;
use crate::state::AppState;

/// The log's file name in the data directory.
pub const LOG_FILE: &str = "audit-anchors.log";
const KEY_FILE: &str = "anchor.key";
const VERSION: &str = "v1";
/// What stands for a sequence number anchored with two different hashes: matches no row.
const CONFLICT: &str = "conflicting anchors";

/// The anchoring key and the log it signs.
#[derive(Clone)]
pub struct Anchors {
    key: [u8; 32],
    log: PathBuf,
}

impl std::fmt::Debug for Anchors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchors")
            .field("log", &self.log)
            .finish_non_exhaustive()
    }
}

/// An anchored head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

/// What reading the log found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogCheck {
    /// Every line signed by the key: the anchored hash per sequence number.
    Signed(BTreeMap<i64, String>),
    /// A line whose HMAC does not verify (1-based line number): the log was edited.
    Forged { line: usize },
}

impl Anchors {
    /// The configured key and the data directory's log. `may_create`: create `anchor.key` when
    /// no key is configured and the file is missing (`serve`); otherwise `None` then.
    pub fn configured(config: &AppConfig, may_create: bool) -> Result<Option<Self>, Error> {
        let log = config.data_dir.join(LOG_FILE);
        if let Some(text) = config.audit_anchor_key.as_ref().map(|k| k.0.trim()) {
            return Ok(Some(Self {
                key: parse_key(text)?,
                log,
            }));
        }
        let path = config.data_dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(Self {
                key: parse_key(text.trim())?,
                log,
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                config.ensure_data_dir()?;
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                write_private(&path, &hex::encode(key))?;
                Ok(Some(Self { key, log }))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::Internal(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// The log's path.
    pub fn log(&self) -> &Path {
        &self.log
    }

    /// The HMAC over one line's fields, ready to finalise or to verify a tag against.
    fn mac(&self, seq: i64, hash: &str, at: &str) -> Result<Hmac<Sha256>, Error> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .map_err(|e| Error::Internal(e.to_string()))?;
        mac.update(format!("{VERSION}|{seq}|{hash}|{at}").as_bytes());
        Ok(mac)
    }

    /// Appends an anchor line and syncs it to disk.
    pub fn append(&self, anchor: &Anchor) -> Result<(), Error> {
        let at = anchor.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mac = hex::encode(
            self.mac(anchor.seq, &anchor.hash, &at)?
                .finalize()
                .into_bytes(),
        );
        let line = format!("{VERSION} {} {} {at} {mac}\n", anchor.seq, anchor.hash);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| Error::Internal(format!("cannot open {}: {e}", self.log.display())))?;
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| Error::Internal(format!("cannot write {}: {e}", self.log.display())))
    }

    /// Reads the log (a missing log is empty) and checks every line's HMAC.
    pub fn read(&self) -> Result<LogCheck, Error> {
        let file = match std::fs::File::open(&self.log) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LogCheck::Signed(BTreeMap::new()));
            }
            Err(e) => {
                return Err(Error::Internal(format!(
                    "cannot read {}: {e}",
                    self.log.display()
                )));
            }
        };
        let mut anchored = BTreeMap::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Error::Internal(format!("anchor log: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            match self.parse_line(&line)? {
                // Two signed heads for one sequence number (the head anchored again after the
                // chain was rewritten): neither can be believed, so nothing the chain holds
                // matches.
                Some((seq, hash)) => match anchored.get(&seq) {
                    Some(known) if *known != hash => {
                        anchored.insert(seq, CONFLICT.to_owned());
                    }
                    Some(_) => {}
                    None => {
                        anchored.insert(seq, hash);
                    }
                },
                None => return Ok(LogCheck::Forged { line: i + 1 }),
            }
        }
        Ok(LogCheck::Signed(anchored))
    }

    /// A line's sequence number and hash when its HMAC verifies.
    fn parse_line(&self, line: &str) -> Result<Option<(i64, String)>, Error> {
        let parts: Vec<&str> = line.split(' ').collect();
        let [VERSION, seq, hash, at, mac] = parts.as_slice() else {
            return Ok(None);
        };
        let Ok(seq) = seq.parse::<i64>() else {
            return Ok(None);
        };
        let Ok(tag) = hex::decode(mac) else {
            return Ok(None);
        };
        // Compared in constant time (the `hmac` crate's verify).
        let signed = self.mac(seq, hash, at)?.verify_slice(&tag).is_ok();
        Ok(signed.then(|| (seq, (*hash).to_owned())))
    }
}

fn parse_key(text: &str) -> Result<[u8; 32], Error> {
    let bytes = hex::decode(text)
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| {
            Error::Internal("audit_anchor_key: must be 64 hex digits (32 bytes)".into())
        })?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// Anchors the current head when it moved since `last`; answers the head anchored (or `last`).
pub async fn anchor_head(
    state: &AppState,
    anchors: &Anchors,
    last: Option<i64>,
) -> Result<Option<i64>, Error> {
    let (seq, hash) = congvu_db::audit::head(state.db.reader()).await?;
    if seq == 0 || last == Some(seq) {
        return Ok(last);
    }
    anchors.append(&Anchor {
        seq,
        hash,
        at: state.clock.now(),
    })?;
    Ok(Some(seq))
}

/// Anchors the head every `every` while `serve` runs.
pub fn spawn(state: AppState, anchors: Anchors, every: Duration) {
    tokio::spawn(async move {
        let mut last = None;
        loop {
            match anchor_head(&state, &anchors, last).await {
                Ok(seq) => last = seq,
                Err(e) => tracing::warn!("audit anchor: {e}"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn anchors(dir: &Path) -> Anchors {
        let config = AppConfig {
            data_dir: dir.to_path_buf(),
            ..AppConfig::default()
        };
        Anchors::configured(&config, true).unwrap().unwrap()
    }

    #[test]
    fn a_signed_log_reads_back_and_an_edited_line_is_forged() {
        let dir = tempfile::tempdir().unwrap();
        let a = anchors(dir.path());
        for (seq, hash) in [(3, "aa"), (9, "bb")] {
            a.append(&Anchor {
                seq,
                hash: hash.into(),
                at: Utc::now(),
            })
            .unwrap();
        }
        let LogCheck::Signed(read) = a.read().unwrap() else {
            panic!("signed");
        };
        assert_eq!(read.get(&9).map(String::as_str), Some("bb"));
        // The key file is reused, and the log verifies with it.
        assert_eq!(anchors(dir.path()).read().unwrap(), LogCheck::Signed(read));
        let text = std::fs::read_to_string(a.log()).unwrap();
        std::fs::write(a.log(), text.replace(" bb ", " cc ")).unwrap();
        assert_eq!(a.read().unwrap(), LogCheck::Forged { line: 2 });
    }

    /// Review finding: the head anchored again with another hash (after a rewrite and a restart)
    /// does not replace the earlier anchor; the sequence number matches nothing.
    #[test]
    fn two_hashes_for_one_head_match_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = anchors(dir.path());
        for hash in ["genuine", "forged"] {
            a.append(&Anchor {
                seq: 7,
                hash: hash.into(),
                at: Utc::now(),
            })
            .unwrap();
        }
        let LogCheck::Signed(read) = a.read().unwrap() else {
            panic!("signed");
        };
        assert_eq!(read.get(&7).map(String::as_str), Some(CONFLICT));
    }
}
