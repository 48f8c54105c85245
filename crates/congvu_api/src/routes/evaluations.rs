//! Evaluations over HTTP: record a period's scores for a person (or a historic year's criteria
//! results), read a person's year with its annual score, and set a unit's rule for the annual
//! score.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::common::Params;
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::evaluations;
use congvu_app::state::AppState;
use congvu_core::assessment::Aggregation;

mod wire;
pub use wire::*;

/// Records one period's evaluation of a person (a unit head, HR or emulation officer of their
/// unit); a duplicate or overlapping period is 409 `evaluation.overlaps`.
#[utoipa::path(post, path = "/api/v1/staff/{id}/evaluations", tag = "evaluations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = EvaluationInput,
    responses((status = 201, body = EvaluationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/evaluations", data = "<body>")]
pub async fn create(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<EvaluationInput>,
) -> Result<(Status, Json<EvaluationView>)> {
    let created = evaluations::create(state, auth.actor(), id.into(), body.0.parse()?).await?;
    Ok((Status::Created, Json(created.into())))
}

/// A person's evaluations of a year and the annual score by their unit's rule (periods not
/// evaluated are skipped, not counted as zero).
#[utoipa::path(get, path = "/api/v1/staff/{id}/evaluations", tag = "evaluations", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, body = YearResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/staff/<id>/evaluations?<year>")]
pub async fn year(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<Json<YearResponse>> {
    let mut p = Params::default();
    let year = p.code(
        "year",
        year,
        |s| s.parse::<i32>().ok(),
        "a year such as 2026",
    );
    let year = p.required("year", year);
    p.finish()?;
    let year = year.ok_or_else(|| Error::Internal("validated year missing".into()))?;
    Ok(Json(
        evaluations::year(state, auth.actor(), id.into(), year)
            .await?
            .into(),
    ))
}

/// A unit's assessment rules.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentSettings {
    /// `mean` (default) or `lowest`: how the periods make the annual score.
    #[schema(value_type = AggregationCode)]
    pub aggregation: String,
}

/// Sets how a unit, and the units below it without a rule of their own, aggregate the periods.
#[utoipa::path(put, path = "/api/v1/units/{id}/assessment-settings", tag = "evaluations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = AssessmentSettings,
    responses((status = 200, body = AssessmentSettings), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/units/<id>/assessment-settings", data = "<body>")]
pub async fn settings(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<AssessmentSettings>,
) -> Result<Json<AssessmentSettings>> {
    let mut p = Params::default();
    let rule = p.code(
        "aggregation",
        Some(&body.0.aggregation),
        Aggregation::parse,
        "mean, lowest",
    );
    p.finish()?;
    let rule = rule.ok_or_else(|| Error::Internal("validated rule missing".into()))?;
    let rule = evaluations::set_aggregation(state, auth.actor(), id.into(), rule).await?;
    Ok(Json(AssessmentSettings {
        aggregation: rule.code().to_owned(),
    }))
}

/// Records a person's year under Decree 90/2020's criteria, for a year that regime governed them
/// (422 `points_regime` otherwise; 409 `evaluation.criteria_recorded` for a second one).
#[utoipa::path(post, path = "/api/v1/staff/{id}/criteria-results", tag = "evaluations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CriteriaInput,
    responses((status = 201, body = CriteriaView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/criteria-results", data = "<body>")]
pub async fn criteria(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CriteriaInput>,
) -> Result<(Status, Json<CriteriaView>)> {
    let view = evaluations::record_criteria(state, auth.actor(), id.into(), body.0.into()).await?;
    Ok((Status::Created, Json(view.into())))
}
