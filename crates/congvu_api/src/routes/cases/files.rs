//! A case's documents: upload (minutes, self-criticism, convocation, …), list and download.

use super::*;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentResponse {
    /// minutes, self_criticism, report, convocation, council_decision, recommendation, decision,
    /// other
    pub kind: String,
    #[serde(flatten)]
    pub file: EvidenceResponse,
}

/// Uploads a document of the case (the body, with its media type in `Content-Type`); steps cite
/// documents by ID.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("kind" = String, Query), ("filename" = String, Query), ("reason" = String, Query)),
    request_body(content((crate::openapi::FileBody = "application/pdf"), (crate::openapi::FileBody = "image/jpeg"), (crate::openapi::FileBody = "image/png"), (crate::openapi::FileBody = "image/webp"), (crate::openapi::FileBody = "video/mp4"), (crate::openapi::FileBody = "audio/mpeg"), (crate::openapi::FileBody = "audio/mp4"), (crate::openapi::FileBody = "text/plain")), description = "the file's bytes; its `Content-Type` one of these"),
    responses((status = 201, body = DocumentResponse), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
#[post("/cases/<id>/documents?<kind>&<filename>&<reason>", data = "<data>")]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per path, query and body part"
)]
pub async fn add_document(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    kind: Option<&str>,
    filename: Option<&str>,
    reason: Option<&str>,
    content_type: Option<&ContentType>,
    data: Data<'_>,
) -> Result<(Status, Json<DocumentResponse>)> {
    let mut g = Gather::default();
    let kind = g.take(kind.and_then(DocumentKind::parse).ok_or_else(|| {
        Error::field(
            "kind",
            "unknown_value",
            "must be minutes, self_criticism, report, convocation, council_decision, recommendation, decision or other",
        )
    }))?;
    let name = g.take(
        congvu_core::violation::evidence_filename(filename.unwrap_or("")).map_err(Error::from),
    )?;
    let why = g.take(congvu_app::service::reason(reason))?;
    g.finish()?;
    let media = content_type
        .and_then(|c| congvu_core::violation::evidence_type(&c.to_string()))
        .ok_or_else(|| Error::UnsupportedType(congvu_core::violation::EVIDENCE_TYPES.join(", ")))?;
    let bytes = crate::routes::common::upload_body(state, data, "the file").await?;
    let (kind, file) = cases::add_document(
        state,
        auth.actor(),
        id.into(),
        parsed(kind)?,
        &parsed(name)?,
        media,
        crate::routes::common::sniffed(media, bytes)?,
        &parsed(why)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(DocumentResponse {
            kind,
            file: file.into(),
        }),
    ))
}

/// The documents of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<DocumentResponse>), (status = 404, body = Problem)))]
#[get("/cases/<id>/documents")]
pub async fn documents(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<DocumentResponse>>> {
    let docs = cases::documents(state, auth.actor(), id.into()).await?;
    Ok(Json(
        docs.into_iter()
            .map(|(kind, file)| DocumentResponse {
                kind,
                file: file.into(),
            })
            .collect(),
    ))
}

/// Downloads a document of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{document_id}", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("document_id" = Uuid, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
#[get("/cases/<id>/documents/<document_id>")]
pub async fn document_file(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    document_id: Uuid,
) -> Result<Download> {
    let (record, bytes) =
        cases::document_file(state, auth.actor(), id.into(), document_id.into()).await?;
    Ok(Download::new(record.filename, record.content_type, bytes))
}
