//! Liveness and readiness.

use rocket::http::Status;
use rocket::{State, get};

use crate::state::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "alive")))]
#[get("/healthz")]
pub fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, description = "ready"), (status = 503, description = "database unreachable")))]
#[get("/readyz")]
pub async fn readyz(state: &State<AppState>) -> (Status, &'static str) {
    if state.db.ping().await {
        (Status::Ok, "ready")
    } else {
        (Status::ServiceUnavailable, "database unreachable")
    }
}
