//! Accounts and role grants (administrators).

use chrono::{DateTime, Utc};
use congvu_core::policy::Role;
use congvu_db::account::UserRecord;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{Gather, List, page, parsed};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::auth::check_password;
use congvu_app::service::{accounts, reason};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantResponse {
    pub role: String,
    pub unit_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub username: String,
    pub superadmin: bool,
    pub person_id: Option<Uuid>,
    pub disabled: bool,
    pub grants: Vec<GrantResponse>,
    pub created_at: DateTime<Utc>,
}

impl From<UserRecord> for UserResponse {
    fn from(u: UserRecord) -> Self {
        Self {
            id: u.id.as_uuid(),
            username: u.username,
            superadmin: u.superadmin,
            person_id: u.person.map(|p| p.as_uuid()),
            disabled: u.disabled,
            grants: u
                .grants
                .into_iter()
                .map(|g| GrantResponse {
                    role: g.role.code().into(),
                    unit_id: g.unit.as_uuid(),
                })
                .collect(),
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 3, max = 64))]
    pub username: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 12, max = 256))]
    pub password: Option<String>,
    /// Links the account to a staff record (a staff member reads their own record).
    pub person_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub unit_id: Option<Uuid>,
    /// One of admin, unit_head, hr_officer, emulation_officer, inspector, one_stop_officer, staff.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub role: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

fn role(code: Option<&str>) -> Result<Role> {
    Role::parse(code.unwrap_or("")).ok_or_else(|| {
        Error::field(
            "role",
            "unknown_role",
            "must be one of admin, unit_head, hr_officer, emulation_officer, inspector, one_stop_officer, staff",
        )
    })
}

/// Creates an account (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses((status = 201, body = UserResponse), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/users", data = "<body>")]
pub async fn create(
    state: &State<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateUserRequest>,
) -> Result<(Status, Json<UserResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let username = g.take(accounts::username(req.username.as_deref().unwrap_or("")))?;
    g.take(check_password(
        req.password.as_deref().unwrap_or(""),
        req.username.as_deref().unwrap_or(""),
    ))?;
    g.finish()?;
    let user = accounts::create_user(
        state,
        auth.actor(),
        &parsed(username)?,
        req.password.as_deref().unwrap_or(""),
        req.person_id.map(Into::into),
        &parsed(reason)?,
    )
    .await?;
    Ok((Status::Created, Json(user.into())))
}

/// Accounts holding a role in the administrator's units.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<UserResponse>), (status = 403, body = Problem)))]
#[get("/users?<limit>&<offset>")]
pub async fn list(
    state: &State<AppState>,
    auth: Authenticated,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<UserResponse>>> {
    let page = page(limit, offset)?;
    let users = accounts::list_users(state, auth.actor(), page).await?;
    Ok(Json(List::new(
        users.into_iter().map(Into::into).collect(),
        page,
    )))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = UserResponse), (status = 404, body = Problem)))]
#[get("/users/<id>")]
pub async fn get(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<UserResponse>> {
    Ok(Json(
        accounts::get_user(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Grants a role at a unit (covers its sub-units).
#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = GrantRequest,
    responses((status = 201, body = UserResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/users/<id>/grants", data = "<body>")]
pub async fn grant(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<GrantRequest>,
) -> Result<(Status, Json<UserResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let role = g.take(role(req.role.as_deref()))?;
    let reason = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let (role, reason) = (parsed(role)?, parsed(reason)?);
    let unit = req
        .unit_id
        .ok_or_else(|| Error::field("unit_id", "required", "must be given"))?;
    let user = accounts::grant(state, auth.actor(), id.into(), unit.into(), role, &reason).await?;
    Ok((Status::Created, Json(user.into())))
}

/// Revokes a role at a unit.
#[utoipa::path(post, path = "/api/v1/users/{id}/grants/revoke", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = GrantRequest,
    responses((status = 204, description = "revoked"), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[post("/users/<id>/grants/revoke", data = "<body>")]
pub async fn revoke(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<GrantRequest>,
) -> Result<Status> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let role = g.take(role(req.role.as_deref()))?;
    let reason = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let (role, reason) = (parsed(role)?, parsed(reason)?);
    let unit = req
        .unit_id
        .ok_or_else(|| Error::field("unit_id", "required", "must be given"))?;
    accounts::revoke(state, auth.actor(), id.into(), unit.into(), role, &reason).await?;
    Ok(Status::NoContent)
}

/// Why an account is disabled or enabled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountReasonRequest {
    #[schema(required, nullable = false, min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// Disables an account (an administrator of its units, never their own): every token of it stops
/// working at once and it cannot sign in until enabled again.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = AccountReasonRequest,
    responses((status = 200, body = UserResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/users/<id>/disable", data = "<body>")]
pub async fn disable(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<AccountReasonRequest>,
) -> Result<Json<UserResponse>> {
    let reason = reason(body.0.reason.as_deref())?;
    let user = accounts::set_enabled(state, auth.actor(), id.into(), false, &reason).await?;
    Ok(Json(user.into()))
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = AccountReasonRequest,
    responses((status = 200, body = UserResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/users/<id>/enable", data = "<body>")]
pub async fn enable(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<AccountReasonRequest>,
) -> Result<Json<UserResponse>> {
    let reason = reason(body.0.reason.as_deref())?;
    let user = accounts::set_enabled(state, auth.actor(), id.into(), true, &reason).await?;
    Ok(Json(user.into()))
}
