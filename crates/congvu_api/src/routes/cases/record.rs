//! A staff member's discipline record (violations, cases, decisions with their effect and repeat
//! window) and the relationships staff declare for the council's conflict check.

use super::*;

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionEntryResponse {
    pub case_id: Uuid,
    #[serde(flatten)]
    pub decision: DecisionResponse,
    /// In effect on the day asked.
    pub in_effect: bool,
    /// expires (ends by itself after `effect_last_day`), superseded (by a later decision) or
    /// pending (a new violation during the period: lasts until the decision on it).
    pub effect_end: Option<String>,
    pub effect_last_day: Option<NaiveDate>,
    /// A new violation of the same kind up to this day is a repeat offence.
    pub repeat_window_until: Option<NaiveDate>,
    pub item_codes: Vec<String>,
    pub consequences: Option<ConsequencesResponse>,
}

impl From<DecisionEntry> for DecisionEntryResponse {
    fn from(e: DecisionEntry) -> Self {
        let (end, last) = match e.effect {
            Some(EffectEnd::Expires(d)) => (Some("expires"), Some(d)),
            Some(EffectEnd::Superseded(d)) => (Some("superseded"), Some(d)),
            Some(EffectEnd::Pending) => (Some("pending"), None),
            None => (None, None),
        };
        Self {
            case_id: e.case,
            decision: DecisionResponse {
                number: e.decision.number,
                form: e.decision.form.code().into(),
                signer_id: e.decision.signer.as_uuid(),
                signed_on: e.decision.signed_on,
                effective_on: e.decision.effective_on,
            },
            in_effect: e.in_effect,
            effect_end: end.map(Into::into),
            effect_last_day: last,
            repeat_window_until: e.repeat_window_until,
            item_codes: e.item_codes,
            consequences: e.knock.as_ref().map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffDisciplineResponse {
    pub person_id: Uuid,
    pub on: NaiveDate,
    pub violations: Vec<ViolationResponse>,
    pub cases: Vec<CaseSummaryResponse>,
    /// Decisions that stand (not annulled), each with its effect on the day asked.
    pub decisions: Vec<DecisionEntryResponse>,
    /// The decisions in effect on the day asked.
    pub in_effect: Vec<Uuid>,
    /// Decisions whose repeat-offence window is open on the day asked.
    pub repeat_window_open: Vec<Uuid>,
}

impl From<StaffRecord> for StaffDisciplineResponse {
    fn from(r: StaffRecord) -> Self {
        let in_effect = r
            .decisions
            .iter()
            .filter(|d| d.in_effect)
            .map(|d| d.case)
            .collect();
        let repeat_window_open = r
            .decisions
            .iter()
            .filter(|d| {
                d.decision.effective_on <= r.on
                    && d.repeat_window_until.is_some_and(|until| r.on <= until)
            })
            .map(|d| d.case)
            .collect();
        Self {
            person_id: r.person.as_uuid(),
            on: r.on,
            violations: r.violations.into_iter().map(Into::into).collect(),
            cases: r.cases.iter().map(Into::into).collect(),
            decisions: r.decisions.into_iter().map(Into::into).collect(),
            in_effect,
            repeat_window_open,
        }
    }
}

/// A staff member's discipline record on `on` (default today): violations, cases, decisions in
/// effect, repeat-offence windows.
#[utoipa::path(get, path = "/api/v1/staff/{id}/discipline", tag = "cases", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = StaffDisciplineResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/staff/<id>/discipline?<on>")]
pub async fn staff_discipline(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    on: Option<&str>,
) -> Result<Json<StaffDisciplineResponse>> {
    let mut p = Params::default();
    let day = p.date("on", on);
    p.finish()?;
    let day = day.unwrap_or_else(|| cases::today(state));
    Ok(Json(
        cases::staff_record(state, auth.actor(), id.into(), day)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelationResponse {
    pub id: Uuid,
    pub person_id: Uuid,
    pub relative_id: Uuid,
    pub kind: String,
    pub recorded_by: Uuid,
    pub at: DateTime<Utc>,
}

impl From<RelationRecord> for RelationResponse {
    fn from(r: RelationRecord) -> Self {
        Self {
            id: r.id,
            person_id: r.person.as_uuid(),
            relative_id: r.relative.as_uuid(),
            kind: r.kind,
            recorded_by: r.recorded_by.as_uuid(),
            at: r.at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationRequest {
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub relative_id: Option<Uuid>,
    /// spouse, parent, parent_in_law, adoptive_parent, child, sibling, aunt_or_uncle,
    /// spouse_sibling, sibling_spouse, interested
    #[schema(required, nullable = false)]
    #[validate(required)]
    pub kind: Option<String>,
    #[schema(required, nullable = false)]
    #[validate(required, length(min = 1, max = 2000))]
    pub reason: Option<String>,
}

/// Declares a relationship between two staff members (bars one from the other's council).
#[utoipa::path(post, path = "/api/v1/staff/{id}/relations", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = RelationRequest,
    responses((status = 201, body = Items<RelationResponse>), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/staff/<id>/relations", data = "<body>")]
pub async fn declare_relation(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    body: JsonBody<RelationRequest>,
) -> Result<(Status, Json<Items<RelationResponse>>)> {
    let req = body.0;
    let mut g = Gather::dto(&req);
    let why = g.take(reason(req.reason.as_deref()))?;
    let kind = g.take(code_of(
        "kind",
        req.kind.as_deref(),
        &cases::RELATION_KINDS,
        "not a relationship kind of Art. 2(11)",
    ))?;
    g.finish()?;
    let relative = req
        .relative_id
        .ok_or_else(|| Error::Internal("validated fields missing".into()))?;
    let rows = cases::declare_relation(
        state,
        auth.actor(),
        id.into(),
        relative.into(),
        &parsed(kind)?,
        &parsed(why)?,
    )
    .await?;
    Ok((
        Status::Created,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// The relationships declared by or about a staff member.
#[utoipa::path(get, path = "/api/v1/staff/{id}/relations", tag = "cases", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Items<RelationResponse>), (status = 404, body = Problem)))]
#[get("/staff/<id>/relations")]
pub async fn relations(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
) -> Result<Json<Items<RelationResponse>>> {
    let rows = cases::relations(state, auth.actor(), id.into()).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
