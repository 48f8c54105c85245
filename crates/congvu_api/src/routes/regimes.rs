//! The legal regimes shipped with congvu: which decree governs whom, from when to when.

use chrono::NaiveDate;
use congvu_core::legal::{Regime, RegimeDomain, RegimeQuery, select};
use congvu_core::staff::Category;
use rocket::serde::json::Json;
use rocket::{State, get};
use serde::Serialize;
use utoipa::ToSchema;

use super::codesets::LegalBasisResponse;
use super::common::{Items, Params};
use crate::auth::Authenticated;
use crate::error::{Problem, Result};
use congvu_app::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct RegimeResponse {
    pub key: String,
    /// discipline, assessment, one_stop, complaints
    pub domain: String,
    pub name: String,
    pub legal_basis: LegalBasisResponse,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Empty: every category.
    pub categories: Vec<String>,
}

impl From<&Regime> for RegimeResponse {
    fn from(r: &Regime) -> Self {
        Self {
            key: r.key.clone(),
            domain: r.domain.code().into(),
            name: r.name.clone(),
            legal_basis: LegalBasisResponse {
                document: r.basis.document.clone(),
                article: r.basis.article.clone(),
                confidence: r.basis.confidence.code().into(),
            },
            valid_from: r.validity.from(),
            valid_to: r.validity.to(),
            categories: r.categories.iter().map(|c| c.code().to_owned()).collect(),
        }
    }
}

/// Every regime, or with `on` (and optionally `category`) those in force on that date.
#[utoipa::path(get, path = "/api/v1/regimes", tag = "legal", security(("bearer" = [])),
    params(("domain" = Option<String>, Query), ("category" = Option<String>, Query), ("on" = Option<NaiveDate>, Query)),
    responses((status = 200, body = Items<RegimeResponse>), (status = 422, body = Problem)))]
#[get("/regimes?<domain>&<category>&<on>")]
pub fn list(
    state: &State<AppState>,
    _auth: Authenticated,
    domain: Option<&str>,
    category: Option<&str>,
    on: Option<&str>,
) -> Result<Json<Items<RegimeResponse>>> {
    let mut p = Params::default();
    let on = p.date("on", on);
    let domain = p.code(
        "domain",
        domain,
        RegimeDomain::parse,
        "discipline, assessment, one_stop, complaints",
    );
    let category = p.code(
        "category",
        category,
        Category::parse,
        "can_bo, cong_chuc, vien_chuc, nguoi_lao_dong",
    );
    p.finish()?;
    let regimes = select(
        &state.regimes,
        RegimeQuery {
            domain,
            category,
            on,
        },
    );
    Ok(Json(regimes.into_iter().map(Into::into).collect()))
}
