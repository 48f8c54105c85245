//! Login, logout, and who am I.

use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::common::validate;
use super::users::UserResponse;
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Problem, Result};
use crate::query::KnownQuery;
use congvu_app::service::accounts;
use congvu_app::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 64))]
    pub username: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 256))]
    pub password: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Opaque bearer token; send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Exchanges a username and password for a bearer token. Repeated failures for an account or
/// from an address are slowed with growing delays (429 with `Retry-After`; see
/// `congvu_app::throttle`).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
#[post("/auth/login", data = "<body>")]
pub async fn login(
    _known: KnownQuery,
    state: &State<AppState>,
    client: crate::client::ClientAddr,
    body: JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>> {
    let req = body.0;
    validate(&req)?;
    let session = accounts::login(
        state,
        req.username.as_deref().unwrap_or(""),
        req.password.as_deref().unwrap_or(""),
        client.0,
    )
    .await?;
    Ok(Json(LoginResponse {
        token: session.token,
        expires_at: session.expires_at,
    }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "revoked"), (status = 401, body = Problem)))]
#[post("/auth/logout")]
pub async fn logout(state: &State<AppState>, auth: Authenticated) -> Result<Status> {
    accounts::logout(state, auth.actor(), auth.token_hash()).await?;
    Ok(Status::NoContent)
}

/// The caller's account and grants.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = Problem)))]
#[get("/auth/me")]
pub async fn me(state: &State<AppState>, auth: Authenticated) -> Result<Json<UserResponse>> {
    let user = accounts::get_user(state, auth.actor(), auth.actor().user).await?;
    Ok(Json(user.into()))
}
