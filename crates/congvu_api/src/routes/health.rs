//! Liveness and readiness.

use std::time::Duration;

use rocket::http::Status;
use rocket::{State, get};

use congvu_app::state::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "alive")))]
#[get("/healthz")]
pub fn healthz() -> &'static str {
    "ok"
}

/// How long readiness waits for the writer: a busy moment of other writes passes; a probe with a
/// shorter timeout of its own (Kubernetes' default is 1 s) gives up first, which reads as not
/// ready too.
const READY_WITHIN: Duration = Duration::from_secs(2);

/// The database takes writes: on SQLite the writer opens a write transaction and rolls it back
/// within two seconds; on PostgreSQL the server is neither a standby nor read-only. A full disk is
/// not seen here: writes answer 507 then.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, description = "ready: the database takes writes"), (status = 503, description = "the database is unreachable, read-only or its write lock is held elsewhere")))]
#[get("/readyz")]
pub async fn readyz(state: &State<AppState>) -> (Status, &'static str) {
    match tokio::time::timeout(READY_WITHIN, state.db.can_write()).await {
        Ok(Ok(())) => (Status::Ok, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: the writer cannot write");
            (Status::ServiceUnavailable, "database cannot take writes")
        }
        Err(_) => {
            tracing::warn!("not ready: the writer did not answer within 2 s");
            (Status::ServiceUnavailable, "database cannot take writes")
        }
    }
}
