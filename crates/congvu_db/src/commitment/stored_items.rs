//! A template version's items as stored: a versioned JSON document private to this crate (issue
//! 19), `{"v": 1, "items": [...]}`, so the domain types stay free of serde. Rows written before
//! versioning are a bare list of the same items and still read.

use congvu_core::commitment::{Item, Source};
use congvu_core::legal::{Confidence, LegalBasis};
use serde::{Deserialize, Serialize};

use crate::{DbError, stored};

const WHAT: &str = "commitment items";
const CURRENT: u64 = 1;

#[derive(Serialize, Deserialize)]
struct V1 {
    #[serde(default)]
    items: Vec<StoredItem>,
}

/// The items as the current version stores them.
pub(super) fn items_json(items: &[Item]) -> Result<String, DbError> {
    stored::encode(
        WHAT,
        CURRENT,
        &V1 {
            items: items_v1(items),
        },
    )
}

/// The items of a stored document of any version this crate knows.
pub(super) fn items_from(json: &str) -> Result<Vec<Item>, DbError> {
    match stored::open(WHAT, json, 0)? {
        (0, body) => items_of(stored::read(WHAT, body)?),
        (1, body) => items_of(stored::read::<V1>(WHAT, body)?.items),
        (other, _) => Err(stored::unknown(WHAT, other)),
    }
}

/// How items are stored: a format of this crate, so the domain types stay free of serde.
#[derive(Serialize, Deserialize)]
struct StoredItem {
    code: String,
    text: String,
    set_key: Option<String>,
    item_code: Option<String>,
    basis: Option<StoredBasis>,
}

#[derive(Serialize, Deserialize)]
struct StoredBasis {
    document: String,
    article: Option<String>,
    confidence: String,
}

fn items_v1(items: &[Item]) -> Vec<StoredItem> {
    let stored: Vec<StoredItem> = items
        .iter()
        .map(|i| {
            let (set_key, item_code) = match &i.source {
                Source::CodeItem { set_key, item_code } => {
                    (Some(set_key.clone()), Some(item_code.clone()))
                }
                Source::Free => (None, None),
            };
            StoredItem {
                code: i.code.clone(),
                text: i.text.clone(),
                set_key,
                item_code,
                basis: i.basis.as_ref().map(|b| StoredBasis {
                    document: b.document.clone(),
                    article: b.article.clone(),
                    confidence: b.confidence.code().to_owned(),
                }),
            }
        })
        .collect();
    stored
}

fn items_of(stored: Vec<StoredItem>) -> Result<Vec<Item>, DbError> {
    stored
        .into_iter()
        .map(|s| {
            let basis = s
                .basis
                .map(|b| {
                    let confidence = Confidence::parse(&b.confidence)
                        .ok_or_else(|| DbError::corrupt("confidence", &b.confidence))?;
                    Ok::<_, DbError>(LegalBasis {
                        document: b.document,
                        article: b.article,
                        confidence,
                    })
                })
                .transpose()?;
            let source = match (s.set_key, s.item_code) {
                (Some(set_key), Some(item_code)) => Source::CodeItem { set_key, item_code },
                _ => Source::Free,
            };
            Ok(Item {
                code: s.code,
                text: s.text,
                source,
                basis,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed step must stop the test")]

    use super::*;

    fn items() -> Vec<Item> {
        vec![
            Item {
                code: "4XIN-1".into(),
                text: "Xin chào".into(),
                source: Source::CodeItem {
                    set_key: "4xin".into(),
                    item_code: "1".into(),
                },
                basis: Some(LegalBasis {
                    document: "Quyết định 1847/QĐ-TTg".into(),
                    article: None,
                    confidence: Confidence::parse("V").unwrap(),
                }),
            },
            Item {
                code: "RIENG-1".into(),
                text: "Cam kết riêng".into(),
                source: Source::Free,
                basis: None,
            },
        ]
    }

    #[test]
    fn items_round_trip_with_their_version() {
        let json = items_json(&items()).unwrap();
        assert!(json.contains(r#""v":1"#), "{json}");
        assert_eq!(items_from(&json).unwrap(), items());
    }

    /// Before versioning the items were stored as a bare list; those rows still read.
    #[test]
    fn the_unversioned_list_still_reads() {
        let legacy = r#"[{"code":"RIENG-1","text":"Cam kết riêng","set_key":null,"item_code":null,"basis":null}]"#;
        assert_eq!(items_from(legacy).unwrap(), items()[1..]);
        assert!(items_from(r#"{"v":5,"items":[]}"#).is_err());
    }
}
