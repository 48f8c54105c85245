//! Audit chain verification (administrators).

use congvu_db::audit::Verification;
use rocket::serde::json::Json;
use rocket::{State, get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::{Problem, Result};
use congvu_app::service::audit::{self, AnchorLog, AuditCheck};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResponse {
    pub intact: bool,
    /// Events checked, when intact.
    pub events: Option<i64>,
    /// The first bad sequence number, when broken.
    pub first_bad_seq: Option<i64>,
    /// gap, digest_mismatch, hash_mismatch, link_mismatch, truncated, anchor_mismatch (the
    /// chain differs from a head anchored outside the database) or anchor_log_forged (a line of
    /// this node's anchor log fails its HMAC) or anchor_key_missing (an anchor log is there
    /// but no key to check it).
    pub problem: Option<String>,
    /// Heads anchored outside the database that the chain was compared with (none when this
    /// node keeps no anchor log).
    pub anchored_heads: Option<usize>,
}

impl From<AuditCheck> for VerifyResponse {
    fn from(c: AuditCheck) -> Self {
        let anchored_heads = match c.anchors {
            AnchorLog::Checked { heads, .. } => Some(heads),
            AnchorLog::Absent | AnchorLog::KeyMissing | AnchorLog::Forged { .. } => None,
        };
        let broken = |seq, problem: &str| Self {
            intact: false,
            events: None,
            first_bad_seq: seq,
            problem: Some(problem.into()),
            anchored_heads,
        };
        match (c.chain, c.anchors) {
            (_, AnchorLog::Forged { .. }) => broken(None, "anchor_log_forged"),
            (_, AnchorLog::KeyMissing) => broken(None, "anchor_key_missing"),
            (Verification::Broken(b), _) => broken(Some(b.seq), b.kind.code()),
            (Verification::Intact { events }, _) => Self {
                intact: true,
                events: Some(events),
                first_bad_seq: None,
                problem: None,
                anchored_heads,
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
