//! Year-end classification over HTTP: open a unit's year, read and change proposals, give the
//! unit's own rating, finalise, replace, read the published result, and record the facts the
//! classification reads.

use super::common::Items;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State as Managed, get, patch, post, put};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::emulation::year_param;
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Problem, Result};
use congvu_app::service::classification;
use congvu_app::state::AppState;

mod wire;
pub use wire::*;

/// A step that needs only its reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

/// Opens a unit's year-end classification: every member's result computed from their
/// evaluations, discipline, months worked, leave and conclusions, as a draft (409
/// `classification.exists` when the year has a draft or final round).
#[utoipa::path(post, path = "/api/v1/units/{id}/classifications", tag = "classification", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = OpenInput,
    responses((status = 201, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/classifications", data = "<body>")]
pub async fn open(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<OpenInput>,
) -> Result<(Status, Json<RoundResponse>)> {
    let view = classification::open(state, auth.actor(), id.into(), body.0.into()).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Opens the year of a unit and of every unit below it the caller manages, in one transaction
/// (units whose year is already open are skipped); each opened round as `open` would make it.
#[utoipa::path(post, path = "/api/v1/units/{id}/classifications/subtree", tag = "classification", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = OpenInput,
    responses((status = 201, body = SubtreeResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/classifications/subtree", data = "<body>")]
pub async fn open_subtree(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<OpenInput>,
) -> Result<(Status, Json<SubtreeResponse>)> {
    let view = classification::open_subtree(state, auth.actor(), id.into(), body.0.into()).await?;
    Ok((Status::Created, Json(view.into())))
}

/// The rounds of a unit's year, oldest first, with their counts and breaches (entries left out).
#[utoipa::path(get, path = "/api/v1/units/{id}/classifications", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, body = Items<RoundResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/classifications?<year>")]
pub async fn list(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<Json<Items<RoundResponse>>> {
    let year = year_param(year)?;
    Ok(Json(
        classification::list(state, auth.actor(), id.into(), year)
            .await?
            .into_iter()
            .map(RoundResponse::from)
            .collect(),
    ))
}

/// A unit's final result of a year, names and levels only: for its members and those who see
/// its evaluations.
#[utoipa::path(get, path = "/api/v1/units/{id}/classifications/published", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, body = PublishedResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/classifications/published?<year>")]
pub async fn published(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<Json<PublishedResponse>> {
    let year = year_param(year)?;
    Ok(Json(
        classification::published(state, auth.actor(), id.into(), year)
            .await?
            .into(),
    ))
}

/// A round with every entry, its reasons and sources, and every breach of the quotas.
#[utoipa::path(get, path = "/api/v1/classifications/{id}", tag = "classification", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = RoundResponse), (status = 404, body = Problem)))]
#[get("/classifications/<id>")]
pub async fn get(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<RoundResponse>> {
    Ok(Json(
        classification::show(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Changes one person's entry in a draft (a result other than the computed one needs a reason).
#[utoipa::path(patch, path = "/api/v1/classifications/{id}/entries/{person}", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("person" = Uuid, Path)), request_body = EntryInput,
    responses((status = 200, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[patch("/classifications/<id>/entries/<person>", data = "<body>")]
pub async fn propose(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    person: Uuid,
    body: JsonBody<EntryInput>,
) -> Result<Json<RoundResponse>> {
    Ok(Json(
        classification::propose(
            state,
            auth.actor(),
            id.into(),
            person.into(),
            body.0.parse()?,
        )
        .await?
        .into(),
    ))
}

/// Gives a draft the unit's own rating (by the managing body).
#[utoipa::path(put, path = "/api/v1/classifications/{id}/unit-level", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = UnitLevelInput,
    responses((status = 200, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/classifications/<id>/unit-level", data = "<body>")]
pub async fn unit_level(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<UnitLevelInput>,
) -> Result<Json<RoundResponse>> {
    Ok(Json(
        classification::set_unit_level(state, auth.actor(), id.into(), body.0.parse()?)
            .await?
            .into(),
    ))
}

/// Finalises a valid draft (the unit's own head); 422 `classification.invalid` names every
/// breach otherwise. Each person is notified by mail.
#[utoipa::path(post, path = "/api/v1/classifications/{id}/finalise", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 200, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/classifications/<id>/finalise", data = "<body>")]
pub async fn finalise(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReasonBody>,
) -> Result<Json<RoundResponse>> {
    Ok(Json(
        classification::finalise(state, auth.actor(), id.into(), body.0.reason.as_deref())
            .await?
            .into(),
    ))
}

/// Recomputes a draft from the records as they are now; overridden proposals are kept.
#[utoipa::path(post, path = "/api/v1/classifications/{id}/recompute", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 200, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/classifications/<id>/recompute", data = "<body>")]
pub async fn recompute(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReasonBody>,
) -> Result<Json<RoundResponse>> {
    Ok(Json(
        classification::recompute(state, auth.actor(), id.into(), body.0.reason.as_deref())
            .await?
            .into(),
    ))
}

/// Opens the replacement of a final round: a draft linked to it, in force once finalised.
#[utoipa::path(post, path = "/api/v1/classifications/{id}/replace", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 201, body = RoundResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/classifications/<id>/replace", data = "<body>")]
pub async fn replace(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReasonBody>,
) -> Result<(Status, Json<RoundResponse>)> {
    let view =
        classification::replace(state, auth.actor(), id.into(), body.0.reason.as_deref()).await?;
    Ok((Status::Created, Json(view.into())))
}

/// Records leave or a conclusion the classification reads.
#[utoipa::path(post, path = "/api/v1/staff/{id}/assessment-facts", tag = "classification", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = FactInput,
    responses((status = 201, body = FactResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/assessment-facts", data = "<body>")]
pub async fn fact(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<FactInput>,
) -> Result<(Status, Json<FactResponse>)> {
    let view = classification::record_fact(state, auth.actor(), id.into(), body.0.parse()?).await?;
    Ok((Status::Created, Json(view.into())))
}
