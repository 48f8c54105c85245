//! Units: create, get, list, tree, successors, the unit's working calendar, and its codes in force.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::calendar::{DayKind, vietnam_date};
use congvu_core::unit::{NewUnit, UnitInput, UnitKind};
use congvu_db::unit::{SuccessorRecord, UnitFilter, UnitRecord};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::codesets::CodeSetResponse;
use super::common::{Gather, Items, List, Params, date, parsed};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::{codesets, reason, units};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitResponse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// province, commune, ward, special_zone, department, service_centre, public_service_unit, district
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl From<UnitRecord> for UnitResponse {
    fn from(u: UnitRecord) -> Self {
        Self {
            id: u.id.as_uuid(),
            code: u.code,
            name: u.name,
            kind: u.kind.code().into(),
            parent_id: u.parent.map(|p| p.as_uuid()),
            valid_from: u.validity.from(),
            valid_to: u.validity.to(),
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuccessorResponse {
    pub predecessor_id: Uuid,
    pub successor_id: Uuid,
    pub effective_on: NaiveDate,
}

impl From<SuccessorRecord> for SuccessorResponse {
    fn from(s: SuccessorRecord) -> Self {
        Self {
            predecessor_id: s.predecessor.as_uuid(),
            successor_id: s.successor.as_uuid(),
            effective_on: s.effective_on,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitDetailResponse {
    #[serde(flatten)]
    pub unit: UnitResponse,
    /// Links where this unit is the predecessor or the successor.
    pub successions: Vec<SuccessorResponse>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnitRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 32))]
    pub code: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 255))]
    pub name: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    pub parent_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuccessorRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub successor_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub effective_on: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub date: Option<NaiveDate>,
    /// `holiday` (not worked) or `workday` (a weekend day worked).
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 255))]
    pub name: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub working: bool,
    /// Why the day differs from the weekday rule, if it does.
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarResponse {
    pub unit_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub working_days: u32,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarDeadlineResponse {
    pub from: NaiveDate,
    pub working_days: u32,
    /// The `working_days`-th working day after `from`.
    pub date: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InForceResponse {
    pub unit_id: Uuid,
    pub on: NaiveDate,
    /// The code sets in force for the unit on `on`.
    pub items: Vec<CodeSetResponse>,
}

/// Creates a unit (a sub-unit of one you manage; top-level units need a superadministrator).
#[utoipa::path(post, path = "/api/v1/units", tag = "units", security(("bearer" = [])), request_body = CreateUnitRequest,
    responses((status = 201, body = UnitResponse), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units", data = "<body>")]
pub async fn create(
    state: &State<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateUnitRequest>,
) -> Result<(Status, Json<UnitResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let input = UnitInput {
        code: req.code.as_deref().unwrap_or(""),
        name: req.name.as_deref().unwrap_or(""),
        kind: req.kind.as_deref().unwrap_or(""),
        parent: req.parent_id.map(Into::into),
        valid_from: req.valid_from,
        valid_to: req.valid_to,
    };
    let new = g.take(NewUnit::parse(&input).map_err(Error::from))?;
    g.finish()?;
    let unit = units::create(state, auth.actor(), parsed(new)?, &parsed(reason)?).await?;
    Ok((Status::Created, Json(unit.into())))
}

/// Units you can see.
#[utoipa::path(get, path = "/api/v1/units", tag = "units", security(("bearer" = [])),
    params(("parent_id" = Option<Uuid>, Query), ("kind" = Option<String>, Query), ("q" = Option<String>, Query, description = "accent-insensitive name search"),
        ("valid_on" = Option<NaiveDate>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<UnitResponse>), (status = 422, body = Problem)))]
#[get("/units?<parent_id>&<kind>&<q>&<valid_on>&<limit>&<offset>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn list(
    state: &State<AppState>,
    auth: Authenticated,
    parent_id: Option<&str>,
    kind: Option<&str>,
    q: Option<&str>,
    valid_on: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<UnitResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let kind = p.code("kind", kind, UnitKind::parse, "province, commune, ward, special_zone, department, service_centre, public_service_unit, district");
    let filter = UnitFilter {
        parent: p.uuid("parent_id", parent_id).map(Into::into),
        kind,
        query: q.map(str::to_owned),
        valid_on: p.date("valid_on", valid_on),
    };
    p.finish()?;
    let rows = units::list(state, auth.actor(), &filter, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(Into::into).collect(),
        page,
    )))
}

/// One unit with its successions.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = UnitDetailResponse), (status = 404, body = Problem)))]
#[get("/units/<id>")]
pub async fn get(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<UnitDetailResponse>> {
    let unit = units::get(state, auth.actor(), id.into()).await?;
    let successions = units::successors(state, auth.actor(), id.into()).await?;
    Ok(Json(UnitDetailResponse {
        unit: unit.into(),
        successions: successions.into_iter().map(Into::into).collect(),
    }))
}

/// The unit and every sub-unit you can see, parents before children.
#[utoipa::path(get, path = "/api/v1/units/{id}/tree", tag = "units", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<UnitResponse>), (status = 404, body = Problem)))]
#[get("/units/<id>/tree")]
pub async fn tree(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<UnitResponse>>> {
    Ok(Json(
        units::tree(state, auth.actor(), id.into())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The unit's succession links.
#[utoipa::path(get, path = "/api/v1/units/{id}/successors", tag = "units", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<SuccessorResponse>), (status = 404, body = Problem)))]
#[get("/units/<id>/successors")]
pub async fn successors(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<SuccessorResponse>>> {
    Ok(Json(
        units::successors(state, auth.actor(), id.into())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Records that another unit takes over from this one (a 2025 merger, for example).
#[utoipa::path(post, path = "/api/v1/units/{id}/successors", tag = "units", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = SuccessorRequest,
    responses((status = 201, body = SuccessorResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/successors", data = "<body>")]
pub async fn add_successor(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<SuccessorRequest>,
) -> Result<(Status, Json<SuccessorResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let (Some(successor), Some(effective_on)) = (req.successor_id, req.effective_on) else {
        return Err(Error::Internal("validated fields missing".into()));
    };
    let link = units::add_successor(
        state,
        auth.actor(),
        id.into(),
        successor.into(),
        effective_on,
        &parsed(reason)?,
    )
    .await?;
    Ok((Status::Created, Json(link.into())))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseUnitRequest {
    /// The unit's last valid day.
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub valid_to: Option<NaiveDate>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Ends a unit (for instance the day before a merger takes effect); its sub-units must have ended
/// and nobody may be employed in it after that day.
#[utoipa::path(post, path = "/api/v1/units/{id}/close", tag = "units", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CloseUnitRequest,
    responses((status = 200, body = UnitResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/close", data = "<body>")]
pub async fn close(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CloseUnitRequest>,
) -> Result<Json<UnitResponse>> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    g.finish()?;
    let valid_to = req
        .valid_to
        .ok_or_else(|| Error::Internal("validated field missing".into()))?;
    Ok(Json(
        units::close(state, auth.actor(), id.into(), valid_to, &parsed(reason)?)
            .await?
            .into(),
    ))
}

/// Adds a day to the unit's own calendar (it applies to sub-units too).
#[utoipa::path(post, path = "/api/v1/units/{id}/calendar-days", tag = "calendar", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CalendarDayRequest,
    responses((status = 201, body = CalendarDay), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/calendar-days", data = "<body>")]
pub async fn add_calendar_day(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CalendarDayRequest>,
) -> Result<(Status, Json<CalendarDay>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let kind = g.take(
        DayKind::parse(req.kind.as_deref().unwrap_or(""))
            .ok_or_else(|| Error::field("kind", "unknown_kind", "must be holiday or workday")),
    )?;
    let name = g.take(
        congvu_core::text::required("name", req.name.as_deref().unwrap_or(""), 255)
            .map_err(Error::from),
    )?;
    g.finish()?;
    let date = req
        .date
        .ok_or_else(|| Error::Internal("validated field missing".into()))?;
    let day = units::add_calendar_day(
        state,
        auth.actor(),
        id.into(),
        date,
        parsed(kind)?,
        parsed(name)?,
        &parsed(reason)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(CalendarDay {
            date: day.date,
            working: day.kind == DayKind::Workday,
            name: Some(day.name),
        }),
    ))
}

/// The unit's working calendar between two dates (at most 366 days).
#[utoipa::path(get, path = "/api/v1/units/{id}/calendar", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("from" = NaiveDate, Query), ("to" = NaiveDate, Query)),
    responses((status = 200, body = CalendarResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/calendar?<from>&<to>")]
pub async fn calendar(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Json<CalendarResponse>> {
    let mut p = Params::default();
    let from = p.date("from", from);
    let to = p.date("to", to);
    let (from, to) = (p.required("from", from), p.required("to", to));
    if let (Some(from), Some(to)) = (from, to)
        && (to < from || (to - from).num_days() > 366)
    {
        p.push(
            "to",
            "out_of_range",
            "must be on or after from, at most 366 days later",
        );
    }
    p.finish()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::Internal("validated parameters missing".into()));
    };
    let cal = units::calendar(state, auth.actor(), id.into()).await?;
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let working = cal.is_working_day(day)?;
        let name = cal.special_days(day, day).next().map(|d| d.name.clone());
        days.push(CalendarDay {
            date: day,
            working,
            name,
        });
        day = day
            .succ_opt()
            .ok_or(Error::field("to", "out_of_range", "date overflow"))?;
    }
    let working_days = cal.working_days_between(from.pred_opt().unwrap_or(from), to)?;
    Ok(Json(CalendarResponse {
        unit_id: id,
        from,
        to,
        working_days,
        days,
    }))
}

/// The date `working_days` working days after `from` on the unit's calendar.
#[utoipa::path(get, path = "/api/v1/units/{id}/calendar/deadline", tag = "calendar", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("from" = NaiveDate, Query), ("working_days" = u32, Query)),
    responses((status = 200, body = CalendarDeadlineResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/calendar/deadline?<from>&<working_days>")]
pub async fn deadline(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    from: Option<&str>,
    working_days: Option<&str>,
) -> Result<Json<CalendarDeadlineResponse>> {
    let mut p = Params::default();
    let from = p.date("from", from);
    let from = p.required("from", from);
    let n = working_days
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n <= 1000);
    if n.is_none() {
        p.push(
            "working_days",
            "out_of_range",
            "must be a whole number from 0 to 1000",
        );
    }
    p.finish()?;
    let (Some(from), Some(n)) = (from, n) else {
        return Err(Error::Internal("validated parameters missing".into()));
    };
    let cal = units::calendar(state, auth.actor(), id.into()).await?;
    Ok(Json(CalendarDeadlineResponse {
        from,
        working_days: n,
        date: cal.add_working_days(from, n)?,
    }))
}

/// The code sets in force for the unit on a date (default: today in Vietnam): the unit's own
/// versions, then its ancestors', then the national ones.
#[utoipa::path(get, path = "/api/v1/units/{id}/code-sets", tag = "code-sets", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = InForceResponse), (status = 404, body = Problem)))]
#[get("/units/<id>/code-sets?<on>")]
pub async fn code_sets(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    on: Option<&str>,
) -> Result<Json<InForceResponse>> {
    let on = date("on", on)?.unwrap_or_else(|| vietnam_date(state.clock.now()));
    let (unit, sets) = codesets::in_force(state, auth.actor(), id.into(), on).await?;
    Ok(Json(InForceResponse {
        unit_id: unit.id.as_uuid(),
        on,
        items: sets.into_iter().map(Into::into).collect(),
    }))
}
