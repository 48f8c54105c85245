//! Audit chain verification (administrators).

use congvu_db::audit::Verification;
use rocket::serde::json::Json;
use rocket::{State, get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::{Problem, Result};
use congvu_app::service::audit;
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResponse {
    pub intact: bool,
    /// Events checked, when intact.
    pub events: Option<i64>,
    /// The first bad sequence number, when broken.
    pub first_bad_seq: Option<i64>,
    /// gap, digest_mismatch, hash_mismatch, link_mismatch or truncated.
    pub problem: Option<String>,
}

impl From<Verification> for VerifyResponse {
    fn from(v: Verification) -> Self {
        match v {
            Verification::Intact { events } => Self {
                intact: true,
                events: Some(events),
                first_bad_seq: None,
                problem: None,
            },
            Verification::Broken(b) => Self {
                intact: false,
                events: None,
                first_bad_seq: Some(b.seq),
                problem: Some(b.kind.code().into()),
            },
        }
    }
}

/// Recomputes the audit hash chain and names the first bad row.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])),
    responses((status = 200, body = VerifyResponse), (status = 403, body = Problem)))]
#[get("/audit/verify")]
pub async fn verify(state: &State<AppState>, auth: Authenticated) -> Result<Json<VerifyResponse>> {
    Ok(Json(audit::verify(state, auth.actor()).await?.into()))
}
