//! Emulation over HTTP: registrations, initiatives, inspections and investigations, the list of
//! who may be proposed for which title and why, awards and their revocation.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post};
use uuid::Uuid;

use super::common::{Items, Params};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::emulation;
use congvu_app::state::AppState;

mod wire;
pub use wire::*;

/// Registers a person or a unit for titles of a year (from 1 December of the year before to the
/// configured day; 422 `emulation.registration_closed` otherwise).
#[utoipa::path(post, path = "/api/v1/emulation/registrations", tag = "emulation", security(("bearer" = [])),
    request_body = RegistrationInput,
    responses((status = 201, body = RegistrationResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/registrations", data = "<body>")]
pub async fn register(
    state: &Managed<AppState>,
    auth: Authenticated,
    body: JsonBody<RegistrationInput>,
) -> Result<(Status, Json<RegistrationResponse>)> {
    let view = emulation::register(state, auth.actor(), body.0.parse()?).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Records a person's recognised initiative.
#[utoipa::path(post, path = "/api/v1/staff/{id}/initiatives", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = InitiativeInput,
    responses((status = 201, body = InitiativeResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/initiatives", data = "<body>")]
pub async fn initiative(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<InitiativeInput>,
) -> Result<(Status, Json<InitiativeResponse>)> {
    let view = emulation::add_initiative(state, auth.actor(), id.into(), body.0.parse()?).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Records an inspection or investigation concerning a person (it blocks proposals while it
/// runs).
#[utoipa::path(post, path = "/api/v1/staff/{id}/proceedings", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ProceedingInput,
    responses((status = 201, body = ProceedingResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/proceedings", data = "<body>")]
pub async fn proceeding(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ProceedingInput>,
) -> Result<(Status, Json<ProceedingResponse>)> {
    let view = emulation::open_proceeding(state, auth.actor(), id.into(), body.0.parse()?).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Records the end of an inspection or investigation.
#[utoipa::path(post, path = "/api/v1/proceedings/{id}/close", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = CloseInput,
    responses((status = 200, body = ProceedingResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/proceedings/<id>/close", data = "<body>")]
pub async fn close_proceeding(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CloseInput>,
) -> Result<Json<ProceedingResponse>> {
    Ok(Json(
        emulation::close_proceeding(state, auth.actor(), id.into(), body.0.into())
            .await?
            .into(),
    ))
}

/// Who in a unit may be proposed for which title in a year, every answer with its reasons and
/// sources; the collective titles; the CSTĐCS cap.
#[utoipa::path(get, path = "/api/v1/units/{id}/emulation", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, body = ProposalsResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/emulation?<year>")]
pub async fn proposals(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<Json<ProposalsResponse>> {
    let year = year_param(year)?;
    Ok(Json(
        emulation::proposals(state, auth.actor(), id.into(), year)
            .await?
            .into(),
    ))
}

/// Records an award decision (422 `emulation.not_eligible` names every unmet condition).
#[utoipa::path(post, path = "/api/v1/emulation/awards", tag = "emulation", security(("bearer" = [])),
    request_body = AwardInput,
    responses((status = 201, body = AwardResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/awards", data = "<body>")]
pub async fn award(
    state: &Managed<AppState>,
    auth: Authenticated,
    body: JsonBody<AwardInput>,
) -> Result<(Status, Json<AwardResponse>)> {
    let view = emulation::award(state, auth.actor(), body.0.parse()?).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Revokes an award, with its reason.
#[utoipa::path(post, path = "/api/v1/emulation/awards/{id}/revoke", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RevokeInput,
    responses((status = 200, body = AwardResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/awards/<id>/revoke", data = "<body>")]
pub async fn revoke(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<RevokeInput>,
) -> Result<Json<AwardResponse>> {
    Ok(Json(
        emulation::revoke(state, auth.actor(), id.into(), body.0.into())
            .await?
            .into(),
    ))
}

/// A person's awards, revoked ones included.
#[utoipa::path(get, path = "/api/v1/staff/{id}/awards", tag = "emulation", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<AwardResponse>), (status = 404, body = Problem)))]
#[get("/staff/<id>/awards")]
pub async fn awards(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<AwardResponse>>> {
    Ok(Json(
        emulation::awards_of(state, auth.actor(), id.into())
            .await?
            .into_iter()
            .map(AwardResponse::from)
            .collect(),
    ))
}

/// A required `year` query parameter.
pub(crate) fn year_param(year: Option<&str>) -> Result<i32> {
    let mut p = Params::default();
    let year = p.code(
        "year",
        year,
        |s| s.parse::<i32>().ok(),
        "a year such as 2026",
    );
    let year = p.required("year", year);
    p.finish()?;
    year.ok_or_else(|| Error::Internal("validated year missing".into()))
}
