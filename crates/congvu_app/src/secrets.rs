//! Keys kept outside the database: the HMAC key receipts are hashed with and the key that seals
//! complainants' identities (and mail recipients), as a ring of key pairs. The first pair hashes
//! and seals; the others, older, still match receipts and open what they sealed, so a key can be
//! rotated without losing anything (issue 20 §3).
//!
//! Where the ring comes from (`AppConfig`): `CONGVU_KEYS` (the text itself), else `keys_file`,
//! else `<data_dir>/secrets.key`. The text is one pair per line (or separated by commas): 128 hex
//! digits, the receipt key then the identity key; a single line is the format of earlier
//! releases. Only on the embedded SQLite default does congvu create the file on first start; on
//! PostgreSQL, where several nodes share one database, keys must be given, and every node must
//! hold the same ring (its fingerprint is kept in the database and checked at start).
//!
//! A database copy without the keys reveals neither receipts nor identities. Keys never appear in
//! `Debug` output or logs.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::AppConfig;
use crate::error::Error;

/// One pair of keys.
#[derive(Clone)]
struct KeyPair {
    receipt: [u8; 32],
    identity: [u8; 32],
    /// The first 4 bytes of the fingerprint: written before each value this pair seals.
    id: [u8; 4],
}

impl KeyPair {
    fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != 64 {
            return Err(Error::Internal(
                "keys: each key must be 128 hex digits (64 bytes)".into(),
            ));
        }
        let mut receipt = [0; 32];
        let mut identity = [0; 32];
        receipt.copy_from_slice(&bytes[..32]);
        identity.copy_from_slice(&bytes[32..]);
        Ok(Self::from_keys(receipt, identity))
    }

    fn from_keys(receipt: [u8; 32], identity: [u8; 32]) -> Self {
        let mut pair = Self {
            receipt,
            identity,
            id: [0; 4],
        };
        let fingerprint = pair.fingerprint_bytes();
        pair.id.copy_from_slice(&fingerprint[..4]);
        pair
    }

    fn random() -> Self {
        let mut receipt = [0u8; 32];
        let mut identity = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut receipt);
        rand::rngs::OsRng.fill_bytes(&mut identity);
        Self::from_keys(receipt, identity)
    }

    fn fingerprint_bytes(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"congvu key fingerprint v1\0");
        h.update(self.receipt);
        h.update(self.identity);
        h.finalize().into()
    }

    fn hex(&self) -> String {
        format!(
            "{}{}",
            hex::encode(self.receipt),
            hex::encode(self.identity)
        )
    }

    fn receipt_hash(&self, digits: &str) -> Result<String, Error> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.receipt)
            .map_err(|e| Error::Internal(e.to_string()))?;
        mac.update(digits.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    fn open(&self, nonce_and_body: &[u8], bound_to: &[u8]) -> Option<Vec<u8>> {
        if nonce_and_body.len() < NONCE {
            return None;
        }
        let (nonce, body) = nonce_and_body.split_at(NONCE);
        ChaCha20Poly1305::new(&self.identity.into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: bound_to,
                },
            )
            .ok()
    }
}

/// The key ring: the current pair first, then older pairs that still open.
#[derive(Clone)]
pub struct Secrets {
    pairs: Vec<KeyPair>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secrets(****)")
    }
}

const NONCE: usize = 12;
/// What starts a value sealed by this release: the tag, then the sealing pair's id.
const TAG: &[u8; 2] = b"K1";

/// Where a configuration's keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `CONGVU_KEYS` / `keys` in the configuration.
    Inline,
    /// A key file: `keys_file`, or `secrets.key` in the data directory.
    File(PathBuf),
}

impl Secrets {
    /// The ring the configuration names. `may_create`: on the embedded SQLite default the data
    /// directory's file is created with fresh keys when missing; otherwise a missing key is an
    /// error telling how to make one.
    pub fn configured(config: &AppConfig, may_create: bool) -> Result<Self, Error> {
        match Self::source(config) {
            KeySource::Inline => {
                let text = config.keys.as_ref().map(|k| k.0.as_str()).unwrap_or("");
                Self::parse(text)
            }
            KeySource::File(path) => match std::fs::read_to_string(&path) {
                Ok(text) => Self::parse(&text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                    config.ensure_data_dir()?;
                    let fresh = Self::generate();
                    fresh.write_new(&path)?;
                    Ok(fresh)
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    Err(Error::Internal(format!(
                        "keys: {} does not exist. On PostgreSQL every node must use the same keys: \
                         create them once with `congvu keys generate > FILE` and give every node \
                         the file (keys_file / CONGVU_KEYS_FILE) or its text (CONGVU_KEYS)",
                        path.display()
                    )))
                }
                Err(e) => Err(Error::Internal(format!(
                    "keys: cannot read {}: {e}",
                    path.display()
                ))),
            },
        }
    }

    /// Where `config` says the keys are.
    pub fn source(config: &AppConfig) -> KeySource {
        if config.keys.as_ref().is_some_and(|k| !k.0.trim().is_empty()) {
            return KeySource::Inline;
        }
        KeySource::File(
            config
                .keys_file
                .clone()
                .unwrap_or_else(|| config.data_dir.join("secrets.key")),
        )
    }

    /// A ring of one fresh pair.
    pub fn generate() -> Self {
        Self {
            pairs: vec![KeyPair::random()],
        }
    }

    /// Fresh random keys held in memory only, for a run that reads and never keeps what it
    /// hashes or seals.
    pub fn ephemeral() -> Self {
        Self::generate()
    }

    /// The ring with a fresh pair in front: it seals from now on, the others still open.
    pub fn rotated(&self) -> Self {
        let mut pairs = vec![KeyPair::random()];
        pairs.extend(self.pairs.iter().cloned());
        Self { pairs }
    }

    /// The ring from its text (one pair of 128 hex digits per line or per comma).
    pub fn from_hex(text: &str) -> Result<Self, Error> {
        Self::parse(text)
    }

    fn parse(text: &str) -> Result<Self, Error> {
        let pairs = text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|entry| {
                let bytes = hex::decode(entry)
                    .map_err(|_| Error::Internal("keys: the key text is not hex".into()))?;
                KeyPair::from_bytes(&bytes)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if pairs.is_empty() {
            return Err(Error::Internal("keys: no key given".into()));
        }
        Ok(Self { pairs })
    }

    /// The ring as its text: one pair per line, the current first.
    pub fn to_text(&self) -> String {
        self.pairs.iter().map(|p| p.hex() + "\n").collect()
    }

    /// Writes the ring to a new file readable by its owner only (mode 0600), synced.
    pub fn write_new(&self, path: &Path) -> Result<(), Error> {
        write_private(path, &self.to_text())
    }

    /// Replaces the key file by this ring at once (a new file renamed over the old), so a crash
    /// leaves one whole ring or the other.
    pub fn replace_file(&self, path: &Path) -> Result<(), Error> {
        let next = path.with_extension("key.next");
        let _ = std::fs::remove_file(&next);
        self.write_new(&next)?;
        std::fs::rename(&next, path).map_err(|e| {
            Error::Internal(format!(
                "cannot replace the key file {}: {e}",
                path.display()
            ))
        })?;
        if let Some(dir) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// The fingerprint of the current pair (hex, 16 digits): stored in the database, shown in
    /// messages; it reveals nothing of the keys.
    pub fn fingerprint(&self) -> String {
        self.pairs
            .first()
            .map(|p| hex::encode(&p.fingerprint_bytes()[..8]))
            .unwrap_or_default()
    }

    /// Whether a pair of this ring has `fingerprint`.
    pub fn holds(&self, fingerprint: &str) -> bool {
        self.pairs
            .iter()
            .any(|p| hex::encode(&p.fingerprint_bytes()[..8]) == fingerprint)
    }

    fn current(&self) -> Result<&KeyPair, Error> {
        self.pairs
            .first()
            .ok_or_else(|| Error::Internal("keys: the ring is empty".into()))
    }

    /// HMAC-SHA-256 of a receipt's digits under the current key, hex: what the database keeps.
    pub fn receipt_hash(&self, digits: &str) -> Result<String, Error> {
        self.current()?.receipt_hash(digits)
    }

    /// The receipt's hash under every key of the ring, current first: a receipt issued before a
    /// rotation is still found.
    pub fn receipt_hashes(&self, digits: &str) -> Result<Vec<String>, Error> {
        self.pairs.iter().map(|p| p.receipt_hash(digits)).collect()
    }

    /// Seals `plain` for the object `bound_to` (the AEAD's associated data) with the current key:
    /// `K1` ‖ key id ‖ nonce ‖ ciphertext.
    pub fn seal(&self, plain: &[u8], bound_to: &[u8]) -> Result<Vec<u8>, Error> {
        let pair = self.current()?;
        let cipher = ChaCha20Poly1305::new(&pair.identity.into());
        let mut nonce = [0u8; NONCE];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: bound_to,
                },
            )
            .map_err(|_| Error::Internal("sealing failed".into()))?;
        let mut out = Vec::with_capacity(TAG.len() + 4 + NONCE + sealed.len());
        out.extend_from_slice(TAG);
        out.extend_from_slice(&pair.id);
        out.extend_from_slice(&nonce);
        out.extend(sealed);
        Ok(out)
    }

    /// Opens what [`seal`](Self::seal) produced for the same object, with whichever key of the
    /// ring sealed it (values from releases before key ids are tried with every key); a tampered
    /// or moved value fails.
    pub fn open(&self, sealed: &[u8], bound_to: &[u8]) -> Result<Vec<u8>, Error> {
        if let Some(rest) = sealed.strip_prefix(TAG.as_slice())
            && rest.len() >= 4
        {
            let (id, body) = rest.split_at(4);
            if let Some(plain) = self
                .pairs
                .iter()
                .filter(|p| p.id == id)
                .find_map(|p| p.open(body, bound_to))
            {
                return Ok(plain);
            }
        }
        self.pairs
            .iter()
            .find_map(|p| p.open(sealed, bound_to))
            .ok_or_else(|| {
                Error::Internal(
                    "a sealed value failed authentication (tampered, or sealed with a key this \
                     node does not hold)"
                        .into(),
                )
            })
    }
}

/// Writes `text` to a new file readable by its owner only (mode 0600), synced: key files.
pub(crate) fn write_private(path: &Path, text: &str) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::Internal(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn config_in(dir: &Path) -> AppConfig {
        AppConfig {
            data_dir: dir.to_path_buf(),
            ..AppConfig::default()
        }
    }

    #[test]
    fn keys_are_created_once_and_seal_round_trips_bound_to_its_object() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_in(dir.path());
        let a = Secrets::configured(&config, true).unwrap();
        let b = Secrets::configured(&config, true).unwrap();
        assert_eq!(a.receipt_hash("1").unwrap(), b.receipt_hash("1").unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join("secrets.key");
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sealed = a.seal(b"Nguyen Van A", b"case-1").unwrap();
        assert_eq!(b.open(&sealed, b"case-1").unwrap(), b"Nguyen Van A");
        assert!(b.open(&sealed, b"case-2").is_err());
        assert_eq!(format!("{a:?}"), "Secrets(****)");
    }

    /// Issue 20 §3: without a key file and without permission to create one (PostgreSQL), the
    /// start is refused with a message that tells how to make the keys.
    #[test]
    fn missing_keys_are_not_made_up_where_nodes_share_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let err = Secrets::configured(&config_in(dir.path()), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("congvu keys generate"), "{err}");
        assert!(!dir.path().join("secrets.key").exists());
    }

    /// Issue 20 §3: the environment's keys win over the file; the same text gives the same
    /// fingerprint on every node.
    #[test]
    fn inline_keys_win_and_fingerprints_agree() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Secrets::generate();
        let config = AppConfig {
            keys: Some(crate::config::Password(ring.to_text())),
            ..config_in(dir.path())
        };
        assert_eq!(Secrets::source(&config), KeySource::Inline);
        let read = Secrets::configured(&config, true).unwrap();
        assert_eq!(read.fingerprint(), ring.fingerprint());
        assert!(!dir.path().join("secrets.key").exists());
    }

    /// Issue 20 §3: after a rotation the new key seals and hashes; what the old key sealed still
    /// opens and receipts it hashed are still found; a ring without the old key cannot open them.
    #[test]
    fn a_rotated_ring_seals_with_the_new_key_and_opens_with_the_old() {
        let old = Secrets::generate();
        let sealed_before = old.seal(b"Tran Thi Mai", b"report-1").unwrap();
        let hash_before = old.receipt_hash("123").unwrap();
        let new = old.rotated();
        assert_ne!(new.fingerprint(), old.fingerprint());
        assert!(new.holds(&old.fingerprint()));
        assert_eq!(
            new.open(&sealed_before, b"report-1").unwrap(),
            b"Tran Thi Mai"
        );
        assert!(new.receipt_hashes("123").unwrap().contains(&hash_before));
        let sealed_after = new.seal(b"Le Van B", b"report-2").unwrap();
        assert!(old.open(&sealed_after, b"report-2").is_err());
        let only_new = Secrets::from_hex(new.to_text().lines().next().unwrap()).unwrap();
        assert!(only_new.open(&sealed_before, b"report-1").is_err());
        assert_eq!(
            only_new.open(&sealed_after, b"report-2").unwrap(),
            b"Le Van B"
        );
    }

    /// Values sealed before key ids (nonce ‖ ciphertext) still open.
    #[test]
    fn values_sealed_by_earlier_releases_still_open() {
        let ring = Secrets::generate();
        let pair = ring.current().unwrap();
        let cipher = ChaCha20Poly1305::new(&pair.identity.into());
        let nonce = [7u8; NONCE];
        let mut legacy = nonce.to_vec();
        legacy.extend(
            cipher
                .encrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: b"old".as_slice(),
                        aad: b"x".as_slice(),
                    },
                )
                .unwrap(),
        );
        assert_eq!(ring.open(&legacy, b"x").unwrap(), b"old");
    }
}
