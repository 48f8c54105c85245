//! Staff: create, get, list with accent-insensitive search, change employment.

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::calendar::vietnam_date;
use congvu_core::error::Collector;
use congvu_core::staff::{
    Category, Employment, EmploymentInput, NewEmployment, NewPerson, PersonInput, employment_on,
};
use congvu_db::staff::PersonRecord;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{State, get, post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::common::{Gather, List, Params, date, parsed};
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::{reason, staff};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    /// can_bo, cong_chuc, vien_chuc, nguoi_lao_dong
    pub category: String,
    pub position: String,
    pub is_leader: bool,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl From<&Employment> for EmploymentResponse {
    fn from(e: &Employment) -> Self {
        Self {
            id: e.id.as_uuid(),
            unit_id: e.unit.as_uuid(),
            category: e.category.code().into(),
            position: e.position.clone(),
            is_leader: e.is_leader,
            valid_from: e.validity.from(),
            valid_to: e.validity.to(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonResponse {
    pub id: Uuid,
    pub staff_code: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    /// The slice in force on the requested date (default: today in Vietnam).
    pub current: Option<EmploymentResponse>,
    /// Every slice, oldest first.
    pub employments: Vec<EmploymentResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PersonResponse {
    pub fn new(p: PersonRecord, on: NaiveDate) -> Self {
        Self {
            current: employment_on(&p.employments, on).map(Into::into),
            employments: p.employments.iter().map(Into::into).collect(),
            id: p.id.as_uuid(),
            staff_code: p.staff_code,
            full_name: p.full_name,
            date_of_birth: p.date_of_birth,
            email: p.email,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub unit_id: Option<Uuid>,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub category: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 150))]
    pub position: Option<String>,
    #[serde(default)]
    pub is_leader: bool,
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl EmploymentRequest {
    fn input(&self) -> EmploymentInput<'_> {
        EmploymentInput {
            unit: self.unit_id.map(Into::into),
            category: self.category.as_deref().unwrap_or(""),
            position: self.position.as_deref().unwrap_or(""),
            is_leader: self.is_leader,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStaffRequest {
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 32))]
    pub staff_code: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 150))]
    pub full_name: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    #[validate(length(max = 254))]
    pub email: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, nested)]
    pub employment: Option<EmploymentRequest>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeEmploymentRequest {
    /// Checked by the domain parse (flattened fields have no JSON path of their own).
    #[serde(flatten)]
    pub employment: EmploymentRequest,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Parses a person and their first employment, reporting every invalid field of both; employment
/// fields are reported under `employment.`.
fn parse_person(
    person: &PersonInput<'_>,
    employment: &EmploymentInput<'_>,
) -> Result<(NewPerson, NewEmployment)> {
    let mut errors = Collector::default();
    let p = NewPerson::parse(person, &mut errors);
    let mut employment_errors = Collector::default();
    let e = NewEmployment::parse(employment, &mut employment_errors);
    let mut fields = match errors.finish() {
        Err(congvu_core::DomainError::Invalid(f)) => f,
        _ => Vec::new(),
    };
    if let Err(congvu_core::DomainError::Invalid(f)) = employment_errors.finish() {
        fields.extend(f.into_iter().map(|mut f| {
            f.field = format!("employment.{}", f.field);
            f
        }));
    }
    match (p, e) {
        (Some(p), Some(e)) if fields.is_empty() => Ok((p, e)),
        _ => Err(Error::Validation(fields)),
    }
}

/// Adds a person with their first employment.
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])), request_body = CreateStaffRequest,
    responses((status = 201, body = PersonResponse), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff", data = "<body>")]
pub async fn create(
    state: &State<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateStaffRequest>,
) -> Result<(Status, Json<PersonResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let person = PersonInput {
        staff_code: req.staff_code.as_deref().unwrap_or(""),
        full_name: req.full_name.as_deref().unwrap_or(""),
        date_of_birth: req.date_of_birth,
        email: req.email.as_deref(),
    };
    let employment = req
        .employment
        .as_ref()
        .map(EmploymentRequest::input)
        .unwrap_or_default();
    let (new_person, new_employment) = g.take(parse_person(&person, &employment))?.unzip();
    g.finish()?;
    let created = staff::create(
        state,
        auth.actor(),
        parsed(new_person)?,
        parsed(new_employment)?,
        &parsed(reason)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(PersonResponse::new(
            created,
            vietnam_date(state.clock.now()),
        )),
    ))
}

/// Staff you can see; `unit_id` and `category` apply to the slice in force on `on`.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    params(("q" = Option<String>, Query, description = "accent-insensitive name or staff-code search"), ("unit_id" = Option<Uuid>, Query, description = "the unit and its sub-units"),
        ("category" = Option<String>, Query), ("on" = Option<NaiveDate>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<PersonResponse>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/staff?<q>&<unit_id>&<category>&<on>&<limit>&<offset>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn list(
    state: &State<AppState>,
    auth: Authenticated,
    q: Option<&str>,
    unit_id: Option<&str>,
    category: Option<&str>,
    on: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<PersonResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let on = p
        .date("on", on)
        .unwrap_or_else(|| vietnam_date(state.clock.now()));
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let category = p.code(
        "category",
        category,
        Category::parse,
        "can_bo, cong_chuc, vien_chuc, nguoi_lao_dong",
    );
    p.finish()?;
    let rows = staff::list(
        state,
        auth.actor(),
        q.map(str::to_owned),
        unit,
        category,
        on,
        page,
    )
    .await?;
    Ok(Json(List::new(
        rows.into_iter()
            .map(|p| PersonResponse::new(p, on))
            .collect(),
        page,
    )))
}

/// One person with their employment history.
#[utoipa::path(get, path = "/api/v1/staff/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = PersonResponse), (status = 404, body = Problem)))]
#[get("/staff/<id>?<on>")]
pub async fn get(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    on: Option<&str>,
) -> Result<Json<PersonResponse>> {
    let on = date("on", on)?.unwrap_or_else(|| vietnam_date(state.clock.now()));
    Ok(Json(PersonResponse::new(
        staff::get(state, auth.actor(), id.into()).await?,
        on,
    )))
}

/// Starts a new employment slice (transfer, promotion, change of category) from `valid_from`;
/// the open slice ends the day before.
#[utoipa::path(post, path = "/api/v1/staff/{id}/employments", tag = "staff", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ChangeEmploymentRequest,
    responses((status = 201, body = PersonResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/employments", data = "<body>")]
pub async fn change_employment(
    state: &State<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ChangeEmploymentRequest>,
) -> Result<(Status, Json<PersonResponse>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let reason = g.take(reason(req.reason.as_deref()))?;
    let mut errors = Collector::default();
    let new = NewEmployment::parse(&req.employment.input(), &mut errors);
    g.take(errors.finish().map_err(Error::from))?;
    g.finish()?;
    let person = staff::change_employment(
        state,
        auth.actor(),
        id.into(),
        parsed(new)?,
        &parsed(reason)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(PersonResponse::new(person, vietnam_date(state.clock.now()))),
    ))
}
