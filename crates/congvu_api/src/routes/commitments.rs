//! Yearly commitments over HTTP: templates, campaigns, signing (online, on paper with a scan,
//! counter-signing, withdrawing), completion, the per-person list and its CSV, the digest to the
//! heads, and the signed-in person's own commitments.

use congvu_core::commitment::signing::Standing;
use rocket::data::Data;
use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{State as Managed, get, post, put};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::common::{Items, List, Params, csv_cell, csv_text};
use super::violations::Download;
use crate::auth::Authenticated;
use crate::body::JsonBody;
use crate::error::{Error, Problem, Result};
use congvu_app::service::commitments;
use congvu_app::service::completion as progress;
use congvu_app::service::signatures::{self, PaperInput};
use congvu_app::state::AppState;

mod wire;
pub use wire::*;

fn year(p: &mut Params, value: Option<&str>) -> Option<i32> {
    p.code(
        "year",
        value,
        |s| s.parse::<i32>().ok(),
        "a year such as 2026",
    )
}

fn standings() -> &'static str {
    "pending, overdue, signed, counter_signed, closed_out"
}

/// Drafts a commitment template version for a unit (a revision when `revises` is given).
#[utoipa::path(post, path = "/api/v1/units/{id}/commitment-templates", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = TemplateInput,
    responses((status = 201, body = TemplateView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/commitment-templates", data = "<body>")]
pub async fn create_template(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<TemplateInput>,
) -> Result<(Status, Json<TemplateView>)> {
    let created =
        commitments::create_template(state, auth.actor(), id.into(), body.0.parse()?).await?;
    Ok((Status::Created, Json(created.into())))
}

/// Template versions you can see (your units' and those above them).
#[utoipa::path(get, path = "/api/v1/commitment-templates", tag = "commitments", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query), ("year" = Option<i32>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<TemplateView>), (status = 422, body = Problem)))]
#[get("/commitment-templates?<unit_id>&<year>&<limit>&<offset>")]
pub async fn list_templates(
    state: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    year: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<TemplateView>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let year = self::year(&mut p, year);
    p.finish()?;
    let rows = commitments::list_templates(state, auth.actor(), unit, year, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(TemplateView::from).collect(),
        page,
    )))
}

/// One template version.
#[utoipa::path(get, path = "/api/v1/commitment-templates/{id}", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView), (status = 404, body = Problem)))]
#[get("/commitment-templates/<id>")]
pub async fn get_template(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<TemplateView>> {
    Ok(Json(
        commitments::get_template(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Replaces a draft's content (a published version never changes: 409).
#[utoipa::path(put, path = "/api/v1/commitment-templates/{id}", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = TemplateInput,
    responses((status = 200, body = TemplateView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/commitment-templates/<id>", data = "<body>")]
pub async fn update_template(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<TemplateInput>,
) -> Result<Json<TemplateView>> {
    Ok(Json(
        commitments::update_template(state, auth.actor(), id.into(), body.0.parse()?)
            .await?
            .into(),
    ))
}

/// Publishes a draft: it becomes immutable and gets its content hash.
#[utoipa::path(post, path = "/api/v1/commitment-templates/{id}/publish", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/commitment-templates/<id>/publish")]
pub async fn publish_template(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<TemplateView>> {
    Ok(Json(
        commitments::publish_template(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Launches a unit's campaign for a year (the unit head).
#[utoipa::path(post, path = "/api/v1/units/{id}/commitment-campaigns", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CampaignInput,
    responses((status = 201, body = CampaignResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/<id>/commitment-campaigns", data = "<body>")]
pub async fn launch(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CampaignInput>,
) -> Result<(Status, Json<CampaignResponse>)> {
    let created = commitments::launch(state, auth.actor(), id.into(), body.0.into()).await?;
    Ok((Status::Created, Json(created.into())))
}

/// Campaigns you can see.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns", tag = "commitments", security(("bearer" = [])),
    params(("unit_id" = Option<Uuid>, Query), ("year" = Option<i32>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<CampaignResponse>), (status = 422, body = Problem)))]
#[get("/commitment-campaigns?<unit_id>&<year>&<limit>&<offset>")]
pub async fn list_campaigns(
    state: &Managed<AppState>,
    auth: Authenticated,
    unit_id: Option<&str>,
    year: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<CampaignResponse>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let year = self::year(&mut p, year);
    p.finish()?;
    let rows = commitments::list_campaigns(state, auth.actor(), unit, year, page).await?;
    Ok(Json(List::new(
        rows.into_iter().map(CampaignResponse::from).collect(),
        page,
    )))
}

/// One campaign.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CampaignResponse), (status = 404, body = Problem)))]
#[get("/commitment-campaigns/<id>")]
pub async fn get_campaign(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<CampaignResponse>> {
    Ok(Json(
        commitments::get_campaign(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Moves a campaign to a later published version of its template; everyone signs again.
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/revise", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReviseInput,
    responses((status = 200, body = CampaignResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/commitment-campaigns/<id>/revise", data = "<body>")]
pub async fn revise(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<ReviseInput>,
) -> Result<Json<CampaignResponse>> {
    Ok(Json(
        commitments::revise(state, auth.actor(), id.into(), body.0.into())
            .await?
            .into(),
    ))
}

/// Completion per unit, rolled up through the tree, for the units in your reach.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}/completion", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("unit_id" = Option<Uuid>, Query, description = "this unit and the units below it")),
    responses((status = 200, body = CompletionResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/commitment-campaigns/<id>/completion?<unit_id>")]
pub async fn completion(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    unit_id: Option<&str>,
) -> Result<Json<CompletionResponse>> {
    let mut p = Params::default();
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    p.finish()?;
    Ok(Json(
        progress::completion(state, auth.actor(), id.into(), unit)
            .await?
            .into(),
    ))
}

fn people_filter(
    unit_id: Option<&str>,
    standing: Option<&str>,
    p: &mut Params,
) -> (Option<congvu_core::ids::UnitId>, Option<Standing>) {
    let unit = p.uuid("unit_id", unit_id).map(Into::into);
    let standing = p.code("standing", standing, Standing::parse, standings());
    (unit, standing)
}

/// Each person of the campaign in your reach and where they stand, by unit then name.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}/people", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("unit_id" = Option<Uuid>, Query), ("standing" = Option<String>, Query), ("limit" = Option<u64>, Query), ("offset" = Option<u64>, Query)),
    responses((status = 200, body = List<PersonStandingView>), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/commitment-campaigns/<id>/people?<unit_id>&<standing>&<limit>&<offset>")]
pub async fn people(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    unit_id: Option<&str>,
    standing: Option<&str>,
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<Json<List<PersonStandingView>>> {
    let mut p = Params::default();
    let page = p.page(limit, offset);
    let (unit, standing) = people_filter(unit_id, standing, &mut p);
    p.finish()?;
    let all = progress::people(state, auth.actor(), id.into(), unit, standing).await?;
    let start = usize::try_from(page.offset).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit).unwrap_or(0);
    let rows = all.into_iter().skip(start).take(take).collect();
    Ok(Json(List::new(standings_view(rows), page)))
}

/// The people list as CSV.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}/people.csv", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("unit_id" = Option<Uuid>, Query), ("standing" = Option<String>, Query)),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/commitment-campaigns/<id>/people.csv?<unit_id>&<standing>")]
pub async fn people_csv(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    unit_id: Option<&str>,
    standing: Option<&str>,
) -> Result<(ContentType, String)> {
    let mut p = Params::default();
    let (unit, standing) = people_filter(unit_id, standing, &mut p);
    p.finish()?;
    let rows =
        standings_view(progress::people(state, auth.actor(), id.into(), unit, standing).await?);
    let io = |e: csv::Error| Error::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "person_id",
        "staff_code",
        "full_name",
        "unit_id",
        "is_leader",
        "standing",
        "member_since",
        "left_on",
        "signed_on",
        "paper",
        "counter_signed_on",
        "counterparty_unit_id",
    ])
    .map_err(io)?;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in rows {
        w.write_record([
            r.person_id.to_string(),
            csv_cell(&r.staff_code),
            csv_cell(&r.full_name),
            r.unit_id.to_string(),
            r.is_leader.to_string(),
            r.standing.to_owned(),
            day(r.member_since),
            day(r.left_on),
            day(r.signed_on),
            r.paper.map(|p| p.to_string()).unwrap_or_default(),
            day(r.counter_signed_on),
            r.counterparty_unit_id
                .map(|u| u.to_string())
                .unwrap_or_default(),
        ])
        .map_err(io)?;
    }
    Ok((ContentType::CSV, csv_text(w)?))
}

/// A person's standing and signing events (the person, or anyone whose reach covers their unit).
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}/people/{person_id}", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("person_id" = Uuid, Path)),
    responses((status = 200, body = SignatureResponse), (status = 404, body = Problem)))]
#[get("/commitment-campaigns/<id>/people/<person_id>")]
pub async fn signature(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    person_id: Uuid,
) -> Result<Json<SignatureResponse>> {
    Ok(Json(
        signatures::signature(state, auth.actor(), id.into(), person_id.into())
            .await?
            .into(),
    ))
}

/// Signs the campaign's current template version as the signed-in staff member.
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/signatures", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = SignInput,
    responses((status = 201, body = SignatureResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/commitment-campaigns/<id>/signatures", data = "<body>")]
pub async fn sign(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<SignInput>,
) -> Result<(Status, Json<SignatureResponse>)> {
    let signed = signatures::sign(state, auth.actor(), id.into(), &body.0.template_hash).await?;
    Ok((Status::Created, Json(signed.into())))
}

/// Records a paper signature: the scan (PDF, JPEG or PNG) is the body, its type in
/// `Content-Type`; the signing day, the template hash printed on the form and the file name in
/// the query.
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/people/{person_id}/paper-signature", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("person_id" = Uuid, Path), ("signed_on" = String, Query), ("template_hash" = String, Query), ("filename" = String, Query)),
    request_body(content((crate::openapi::FileBody = "application/pdf"), (crate::openapi::FileBody = "image/jpeg"), (crate::openapi::FileBody = "image/png")), description = "the scan's bytes; its `Content-Type` one of these"),
    responses((status = 201, body = SignatureResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
#[post(
    "/commitment-campaigns/<id>/people/<person_id>/paper-signature?<signed_on>&<template_hash>&<filename>",
    data = "<data>"
)]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn paper_signature(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    person_id: Uuid,
    signed_on: Option<&str>,
    template_hash: Option<&str>,
    filename: Option<&str>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> Result<(Status, Json<SignatureResponse>)> {
    let mut p = Params::default();
    let signed_on = p.date("signed_on", signed_on);
    let signed_on = p.required("signed_on", signed_on);
    let template_hash = p.required("template_hash", template_hash);
    let name = match congvu_core::violation::evidence_filename(filename.unwrap_or("")) {
        Ok(name) => Some(name),
        Err(congvu_core::error::DomainError::Invalid(errors)) => {
            for e in errors {
                p.push(&e.field, e.code, &e.message);
            }
            None
        }
        Err(other) => return Err(other.into()),
    };
    p.finish()?;
    let (Some(signed_on), Some(template_hash), Some(filename)) = (signed_on, template_hash, name)
    else {
        return Err(Error::Internal("validated parameters missing".into()));
    };
    let media = content_type
        .and_then(|c| congvu_core::commitment::scan_type(&c.to_string()))
        .ok_or_else(|| Error::UnsupportedType(congvu_core::commitment::SCAN_TYPES.join(", ")))?;
    let bytes = super::common::upload_body(state, data, "the scan").await?;
    let input = PaperInput {
        template_hash: template_hash.to_owned(),
        signed_on,
        filename,
        content_type: media,
    };
    let recorded = signatures::record_paper(
        state,
        auth.actor(),
        id.into(),
        person_id.into(),
        input,
        super::common::sniffed(media, bytes)?,
    )
    .await?;
    Ok((Status::Created, Json(recorded.into())))
}

/// Counter-signs signatures of the current version, as the head who counter-signs for each
/// person (all or none).
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/counter-signatures", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = CounterSignInput,
    responses((status = 200, body = Items<PersonStandingView>), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/commitment-campaigns/<id>/counter-signatures", data = "<body>")]
pub async fn counter_sign(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<CounterSignInput>,
) -> Result<Json<Items<PersonStandingView>>> {
    Ok(Json(
        standings_view(
            signatures::counter_sign(state, auth.actor(), id.into(), body.0.into()).await?,
        )
        .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawRequest {
    #[schema(required, nullable = false, min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// Withdraws a person's standing signature with a reason (the signer, or an HR officer of their
/// unit); the record keeps both events.
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/people/{person_id}/withdrawals", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("person_id" = Uuid, Path)),
    request_body = WithdrawRequest,
    responses((status = 200, body = SignatureResponse), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post(
    "/commitment-campaigns/<id>/people/<person_id>/withdrawals",
    data = "<body>"
)]
pub async fn withdraw(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    person_id: Uuid,
    body: JsonBody<WithdrawRequest>,
) -> Result<Json<SignatureResponse>> {
    Ok(Json(
        signatures::withdraw(
            state,
            auth.actor(),
            id.into(),
            person_id.into(),
            body.0.reason.as_deref(),
        )
        .await?
        .into(),
    ))
}

/// Downloads the scan of a paper signature.
#[utoipa::path(get, path = "/api/v1/commitment-campaigns/{id}/events/{event_id}/scan", tag = "commitments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("event_id" = Uuid, Path)),
    responses((status = 200, description = "the scan", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/commitment-campaigns/<id>/events/<event_id>/scan")]
pub async fn scan(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    event_id: Uuid,
) -> Result<Download> {
    let s = signatures::scan(state, auth.actor(), id.into(), event_id.into()).await?;
    Ok(Download::new(s.filename, s.content_type, s.bytes))
}

/// Queues one digest message to each head whose people have not all signed.
#[utoipa::path(post, path = "/api/v1/commitment-campaigns/{id}/digest", tag = "commitments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = DigestResponse), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[post("/commitment-campaigns/<id>/digest")]
pub async fn digest(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<DigestResponse>> {
    Ok(Json(
        progress::digest(state, auth.actor(), id.into())
            .await?
            .into(),
    ))
}

/// Your own commitments: the text to sign and where you stand.
#[utoipa::path(get, path = "/api/v1/me/commitments", tag = "commitments", security(("bearer" = [])),
    responses((status = 200, body = Items<MyCommitmentView>)))]
#[get("/me/commitments")]
pub async fn mine(
    state: &Managed<AppState>,
    auth: Authenticated,
) -> Result<Json<Items<MyCommitmentView>>> {
    Ok(Json(
        signatures::mine_all(state, auth.actor())
            .await?
            .into_iter()
            .map(MyCommitmentView::from)
            .collect(),
    ))
}
