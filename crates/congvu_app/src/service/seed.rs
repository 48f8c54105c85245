//! National data seeded on start: the shipped code sets, once, each with its audit event.

use congvu_core::codeset;

use super::record;
use crate::error::Result;
use crate::service::codesets::seed_change;
use crate::state::AppState;

/// Inserts shipped national code sets not yet stored; returns how many were inserted.
pub async fn national_data(state: &AppState) -> Result<usize> {
    let sets = codeset::national_sets()?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let inserted = congvu_db::codeset::seed_national(&txn, &sets, now).await?;
    for (id, set) in &inserted {
        record(
            &txn,
            "system",
            "codeset.seed",
            ("code_set", id.to_string()),
            "national data shipped with congvu",
            &seed_change(set),
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(inserted.len())
}
