//! The key ring against the database (issue 20 §3): a node checks at start that it holds the
//! installation's keys, and the operator rotates them.

use congvu_db::installation::{self, KEY_FINGERPRINT};
use serde_json::json;

use crate::error::{Error, Result};
use crate::secrets::{KeySource, Secrets};
use crate::state::AppState;

/// Checks this node's keys against the fingerprint in the database; the first node to start
/// stores its own. A node whose current key is not the installation's refuses to start: what it
/// sealed no other node could open, and it could not find receipts the others issued.
pub async fn check(state: &AppState) -> Result<()> {
    let ours = state.secrets.fingerprint();
    let stored =
        installation::claim(state.db.writer(), KEY_FINGERPRINT, &ours, state.clock.now()).await?;
    if stored == ours {
        return Ok(());
    }
    Err(mismatch(&ours, &stored, state.secrets.holds(&stored)))
}

/// The refusal of a node whose key is not the installation's.
fn mismatch(ours: &str, stored: &str, newer: bool) -> Error {
    let why = if newer {
        "its key file is newer than the database's (run `congvu keys rotate` with this key file to \
         finish the rotation, or restore the earlier file)"
    } else {
        "every node of an installation must be given the same keys (keys_file / CONGVU_KEYS_FILE \
         or CONGVU_KEYS)"
    };
    Error::Internal(format!(
        "keys: this node's key (fingerprint {ours}) is not the installation's (fingerprint \
         {stored}): {why}"
    ))
}

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct Rotated {
    pub previous: String,
    pub current: String,
    pub file: std::path::PathBuf,
}

/// Puts a fresh key in front of the ring in the key file and makes it the installation's key,
/// audited. The older keys stay in the file: what they sealed still opens, receipts they hashed
/// are still found. Other nodes must get the new file and restart (until then they refuse to
/// start again, and their seals remain readable).
pub async fn rotate(state: &AppState) -> Result<Rotated> {
    let KeySource::File(path) = Secrets::source(&state.config) else {
        return Err(Error::Internal(
            "keys: they come from CONGVU_KEYS; write them to a file, point keys_file at it, and \
             rotate that file"
                .into(),
        ));
    };
    let ours = state.secrets.fingerprint();
    let stored =
        installation::claim(state.db.writer(), KEY_FINGERPRINT, &ours, state.clock.now()).await?;
    // An earlier rotation wrote the file but did not commit: finish it with the file's key.
    let finishing = stored != ours && state.secrets.holds(&stored);
    if stored != ours && !finishing {
        return Err(mismatch(&ours, &stored, false));
    }
    let next = if finishing {
        state.secrets.clone()
    } else {
        state.secrets.rotated()
    };
    let (previous, current) = (stored, next.fingerprint());
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    if !installation::replace(&txn, KEY_FINGERPRINT, &previous, &current, now).await? {
        return Err(Error::Internal(
            "keys: the installation's key changed while rotating; nothing was changed".into(),
        ));
    }
    super::record(
        &txn,
        "operator",
        "keys.rotate",
        ("installation", KEY_FINGERPRINT.into()),
        "the operator rotated the keys",
        &json!({"previous": previous, "current": current}),
        now,
    )
    .await?;
    // The file is replaced before the commit: if the commit fails, the file holds the new key in
    // front and the old one behind it, and running this again finishes the rotation.
    if !finishing {
        next.replace_file(&path)?;
    }
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(Rotated {
        previous,
        current,
        file: path,
    })
}
