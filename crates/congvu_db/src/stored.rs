//! The envelope of the JSON documents this crate keeps in text columns: `{"v": N, ...}`, private
//! to the crate and apart from the API's bodies (issue 19). A row written before versioning (no
//! `v`) reads as the version the caller names for it. Errors name the document and the kind of
//! failure (with the line and column when the text is not JSON at all), never its text: documents
//! hold citizens' words.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::DbError;

/// `value` as a stored document of `version`: its JSON object with `v` added.
pub(crate) fn encode<T: Serialize>(what: &str, version: u64, value: &T) -> Result<String, DbError> {
    let mut doc = serde_json::to_value(value).map_err(|e| broken(what, &e))?;
    match &mut doc {
        Value::Object(fields) => {
            fields.insert("v".to_owned(), Value::from(version));
            Ok(doc.to_string())
        }
        _ => Err(DbError::Corrupt(format!("{what}: not an object"))),
    }
}

/// A stored document split into its version (`unversioned` when it has none) and its body.
pub(crate) fn open(what: &str, json: &str, unversioned: u64) -> Result<(u64, Value), DbError> {
    let mut doc: Value = serde_json::from_str(json).map_err(|e| broken(what, &e))?;
    let version = match &mut doc {
        Value::Object(fields) => match fields.remove("v") {
            None => Some(unversioned),
            Some(v) => v.as_u64(),
        },
        _ => Some(unversioned),
    };
    version
        .map(|v| (v, doc))
        .ok_or_else(|| DbError::Corrupt(format!("{what}: a version that is not a number")))
}

/// The body of a stored document read as one version's shape.
pub(crate) fn read<T: DeserializeOwned>(what: &str, body: Value) -> Result<T, DbError> {
    serde_json::from_value(body).map_err(|e| broken(what, &e))
}

/// A version this build does not know (written by a newer one).
pub(crate) fn unknown(what: &str, version: u64) -> DbError {
    DbError::Corrupt(format!("{what}: unknown format version {version}"))
}

/// A serde failure without the text it quotes.
fn broken(what: &str, e: &serde_json::Error) -> DbError {
    let at = if e.line() > 0 {
        format!(" at line {} column {}", e.line(), e.column())
    } else {
        String::new()
    };
    DbError::Corrupt(format!("{what}: does not read ({:?}){at}", e.classify()))
}
