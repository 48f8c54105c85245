//! The signed-in staff member's own record, whole, as JSON and as a PDF to keep (issue 20 §8:
//! a data subject's access to their personal data).

use rocket::http::ContentType;
use rocket::serde::json::Json;
use rocket::{State as Managed, get};
use serde::Serialize;
use utoipa::ToSchema;

use super::cases::StaffDisciplineResponse;
use super::commitments::MyCommitmentView;
use super::evaluations::YearResponse;
use super::staff::PersonResponse;
use super::violations::Download;
use crate::auth::Authenticated;
use crate::error::{Problem, Result};
use congvu_app::service::my_record::{self, MyRecord};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct MyRecordResponse {
    /// The day the record was taken (decisions in effect are as of this day).
    pub on: chrono::NaiveDate,
    pub person: PersonResponse,
    pub discipline: StaffDisciplineResponse,
    /// Every year with evaluations, oldest first.
    pub evaluations: Vec<YearResponse>,
    pub commitments: Vec<MyCommitmentView>,
}

impl From<MyRecord> for MyRecordResponse {
    fn from(r: MyRecord) -> Self {
        Self {
            on: r.on,
            person: PersonResponse::new(r.person, r.on),
            discipline: r.discipline.into(),
            evaluations: r.evaluations.into_iter().map(Into::into).collect(),
            commitments: r.commitments.into_iter().map(Into::into).collect(),
        }
    }
}

/// Everything congvu holds about you: employment, violations, discipline, evaluations,
/// commitments. 404 for an account not linked to a staff record. Audited.
#[utoipa::path(get, path = "/api/v1/me/record", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = MyRecordResponse), (status = 401, body = Problem), (status = 404, body = Problem)))]
#[get("/me/record")]
pub async fn record(
    state: &Managed<AppState>,
    auth: Authenticated,
) -> Result<Json<MyRecordResponse>> {
    Ok(Json(my_record::export(state, auth.actor()).await?.into()))
}

/// The same record as a PDF (Vietnamese, dates as 07/12/2026), to print or keep.
#[utoipa::path(get, path = "/api/v1/me/record.pdf", tag = "staff", security(("bearer" = [])),
    responses((status = 200, description = "the record as PDF", content((crate::openapi::FileBody = "application/pdf"))), (status = 401, body = Problem), (status = 404, body = Problem)))]
#[get("/me/record.pdf")]
pub async fn record_pdf(state: &Managed<AppState>, auth: Authenticated) -> Result<Download> {
    let record = my_record::export(state, auth.actor()).await?;
    let name = format!("ho-so-{}.pdf", record.person.staff_code);
    let bytes = my_record::pdf(&record)?;
    Ok(Download::new(name, ContentType::PDF.to_string(), bytes))
}
