//! Keys kept outside the database: the HMAC key receipts are hashed with and the key that seals
//! complainants' identities. Read from `<data_dir>/secrets.key` (hex, two 32-byte keys), created
//! on first start with owner-only permissions. A database copy without this file reveals neither
//! receipts nor identities. Keys never appear in `Debug` output or logs.

use std::fmt;
use std::io::Write;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::Error;

/// The two keys.
#[derive(Clone)]
pub struct Secrets {
    receipt: [u8; 32],
    identity: [u8; 32],
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secrets(****)")
    }
}

const NONCE: usize = 12;

impl Secrets {
    /// Reads the key file, or creates it (mode 0600) with fresh random keys.
    pub fn load_or_create(path: &Path) -> Result<Self, Error> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(text.trim()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 64];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options
                    .open(path)
                    .map_err(|e| Error::Internal(format!("cannot create the key file: {e}")))?;
                file.write_all(hex::encode(bytes).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Error::Internal(format!("cannot write the key file: {e}")))?;
                Self::parse(&hex::encode(bytes))
            }
            Err(e) => Err(Error::Internal(format!("cannot read the key file: {e}"))),
        }
    }

    /// Fresh random keys held in memory only, for a run that reads and never keeps what it
    /// hashes or seals.
    pub fn ephemeral() -> Self {
        let mut out = Self {
            receipt: [0; 32],
            identity: [0; 32],
        };
        rand::rngs::OsRng.fill_bytes(&mut out.receipt);
        rand::rngs::OsRng.fill_bytes(&mut out.identity);
        out
    }

    /// The keys from their hex text (128 hex digits: the receipt key, then the identity key), as
    /// the key file holds them; for a program that keeps its keys elsewhere.
    pub fn from_hex(hex_text: &str) -> Result<Self, Error> {
        Self::parse(hex_text.trim())
    }

    fn parse(hex_text: &str) -> Result<Self, Error> {
        let bytes =
            hex::decode(hex_text).map_err(|_| Error::Internal("the key file is not hex".into()))?;
        let (receipt, identity) = match bytes.len() {
            64 => bytes.split_at(32),
            _ => return Err(Error::Internal("the key file must hold 64 bytes".into())),
        };
        let mut out = Self {
            receipt: [0; 32],
            identity: [0; 32],
        };
        out.receipt.copy_from_slice(receipt);
        out.identity.copy_from_slice(identity);
        Ok(out)
    }

    /// HMAC-SHA-256 of a receipt's digits, hex: what the database keeps.
    pub fn receipt_hash(&self, digits: &str) -> Result<String, Error> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.receipt)
            .map_err(|e| Error::Internal(e.to_string()))?;
        mac.update(digits.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// Seals `plain` for the object `bound_to` (the AEAD's associated data): nonce ‖ ciphertext.
    pub fn seal(&self, plain: &[u8], bound_to: &[u8]) -> Result<Vec<u8>, Error> {
        let cipher = ChaCha20Poly1305::new(&self.identity.into());
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
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(out)
    }

    /// Opens what [`seal`](Self::seal) produced for the same object; a tampered or moved value
    /// fails.
    pub fn open(&self, sealed: &[u8], bound_to: &[u8]) -> Result<Vec<u8>, Error> {
        if sealed.len() < NONCE {
            return Err(Error::Internal("sealed value too short".into()));
        }
        let (nonce, body) = sealed.split_at(NONCE);
        ChaCha20Poly1305::new(&self.identity.into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: bound_to,
                },
            )
            .map_err(|_| Error::Internal("a sealed identity failed authentication".into()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn keys_are_created_once_and_seal_round_trips_bound_to_its_object() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.key");
        let a = Secrets::load_or_create(&path).unwrap();
        let b = Secrets::load_or_create(&path).unwrap();
        assert_eq!(a.receipt_hash("1").unwrap(), b.receipt_hash("1").unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sealed = a.seal(b"Nguyen Van A", b"case-1").unwrap();
        assert_eq!(b.open(&sealed, b"case-1").unwrap(), b"Nguyen Van A");
        assert!(b.open(&sealed, b"case-2").is_err());
        assert_eq!(format!("{a:?}"), "Secrets(****)");
    }
}
