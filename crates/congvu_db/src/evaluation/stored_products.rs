//! The work products an evaluation's task score was computed from, as stored: a versioned JSON
//! document private to this crate, apart from the API's body (issue 19). Version 1 keeps each
//! product's weight in hundredths, as the rule computes with it. The rows written before
//! versioning are the request body itself, a bare list with the weight in points (`1.5`), and
//! still read.

use congvu_core::assessment::tasks::Product;
use serde::{Deserialize, Serialize};

use crate::{DbError, stored};

const WHAT: &str = "evaluation products";
const CURRENT: u64 = 1;

#[derive(Serialize, Deserialize)]
struct V1 {
    #[serde(default)]
    products: Vec<ProductV1>,
}

#[derive(Serialize, Deserialize)]
struct ProductV1 {
    /// Converted units, in hundredths.
    units: u32,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    failed_reviews: u32,
    #[serde(default)]
    delays: u32,
    #[serde(default)]
    exempted_by: Option<String>,
}

/// The unversioned rows: the request body, weights in points with two decimals at most.
#[derive(Deserialize)]
struct Legacy {
    units: f64,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    failed_reviews: u32,
    #[serde(default)]
    delays: u32,
    #[serde(default)]
    exempted_by: Option<String>,
}

pub(super) fn encode(products: &[Product]) -> Result<String, DbError> {
    let doc = V1 {
        products: products
            .iter()
            .map(|p| ProductV1 {
                units: p.units,
                done: p.done,
                failed_reviews: p.failed_reviews,
                delays: p.delays,
                exempted_by: p.exempted_by.clone(),
            })
            .collect(),
    };
    stored::encode(WHAT, CURRENT, &doc)
}

pub(super) fn decode(json: &str) -> Result<Vec<Product>, DbError> {
    match stored::open(WHAT, json, 0)? {
        (0, body) => stored::read::<Vec<Legacy>>(WHAT, body)?
            .into_iter()
            .map(from_legacy)
            .collect(),
        (1, body) => Ok(stored::read::<V1>(WHAT, body)?
            .products
            .into_iter()
            .map(|p| Product {
                units: p.units,
                done: p.done,
                failed_reviews: p.failed_reviews,
                delays: p.delays,
                exempted_by: p.exempted_by,
            })
            .collect()),
        (other, _) => Err(stored::unknown(WHAT, other)),
    }
}

fn from_legacy(p: Legacy) -> Result<Product, DbError> {
    let hundredths = (p.units * 100.0).round();
    if !(0.0..=f64::from(u32::MAX)).contains(&hundredths) {
        return Err(DbError::Corrupt(format!("{WHAT}: a weight out of range")));
    }
    Ok(Product {
        // In range (checked above) and whole (rounded): the cast loses nothing.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        units: hundredths as u32,
        done: p.done,
        failed_reviews: p.failed_reviews,
        delays: p.delays,
        exempted_by: p.exempted_by,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a failed step must stop the test")]

    use super::*;

    #[test]
    fn products_round_trip_in_hundredths_with_their_version() {
        let products = vec![
            Product {
                units: 150,
                done: true,
                failed_reviews: 1,
                delays: 0,
                exempted_by: None,
            },
            Product {
                units: 25,
                done: false,
                failed_reviews: 0,
                delays: 2,
                exempted_by: Some("Trưởng phòng".into()),
            },
        ];
        let json = encode(&products).unwrap();
        assert!(json.contains(r#""v":1"#), "{json}");
        assert_eq!(decode(&json).unwrap(), products);
    }

    /// Before versioning the request body was stored: weights in points, fields defaulted.
    #[test]
    fn the_unversioned_request_body_still_reads() {
        let legacy = r#"[{"units":1.5,"done":true,"failed_reviews":0,"delays":1,"exempted_by":null},{"units":0.25,"done":false}]"#;
        let read = decode(legacy).unwrap();
        assert_eq!(read[0].units, 150);
        assert_eq!(read[0].delays, 1);
        assert_eq!(read[1].units, 25);
        assert!(!read[1].done);
        assert!(decode(r#"{"v":9,"products":[]}"#).is_err());
        assert!(decode(r#"[{"units":-1}]"#).is_err());
    }
}
