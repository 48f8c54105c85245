//! Year-end reports over HTTP: a unit's subtree as JSON, CSV (one row per unit, own and
//! rolled-up figures) or an SVG chart of the classification distribution against the quota.

use plotters::prelude::*;
use rocket::http::ContentType;
use rocket::serde::json::Json;
use rocket::{State as Managed, get};
use uuid::Uuid;

use super::common::{csv_cell, csv_text};
use super::emulation::year_param;
use crate::auth::Authenticated;
use crate::error::{Error, Problem, Result};
use congvu_app::service::reports;
use congvu_app::state::AppState;

mod wire;
pub use wire::*;

/// The classification distribution of a unit and every unit below it in reach, own and rolled up,
/// against the HTXS quota; title proposals and blockers from the final decisions.
#[utoipa::path(get, path = "/api/v1/units/{id}/assessment-report", tag = "reports", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, body = ReportResponse), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/assessment-report?<year>")]
pub async fn report(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<Json<ReportResponse>> {
    let year = year_param(year)?;
    Ok(Json(
        reports::report(state, auth.actor(), id.into(), year)
            .await?
            .into(),
    ))
}

/// The report as CSV (UTF-8 with a BOM, one row per unit).
#[utoipa::path(get, path = "/api/v1/units/{id}/assessment-report.csv", tag = "reports", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/assessment-report.csv?<year>")]
pub async fn report_csv(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<(ContentType, String)> {
    let year = year_param(year)?;
    let r: ReportResponse = reports::report(state, auth.actor(), id.into(), year)
        .await?
        .into();
    Ok((ContentType::CSV, csv(&r)?))
}

/// The distribution as an SVG chart: a stacked bar for the unit and each unit directly below it,
/// rolled up, with a mark where the HTXS segment may end at most.
#[utoipa::path(get, path = "/api/v1/units/{id}/assessment-report.svg", tag = "reports", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("year" = i32, Query)),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/<id>/assessment-report.svg?<year>")]
pub async fn report_svg(
    state: &Managed<AppState>,
    auth: Authenticated,
    id: Uuid,
    year: Option<&str>,
) -> Result<(ContentType, String)> {
    let year = year_param(year)?;
    let r: ReportResponse = reports::report(state, auth.actor(), id.into(), year)
        .await?
        .into();
    Ok((ContentType::SVG, svg(&r)?))
}

/// The report as CSV rows (one per unit, own and rolled-up figures).
fn csv(report: &ReportResponse) -> Result<String> {
    let io = |e: csv::Error| Error::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    let levels = ["htxs", "htt", "ht", "kht", "not_rated", "undetermined"];
    let mut header: Vec<String> = ["unit_id", "code", "name", "depth", "state", "unit_level"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    header.extend(levels.iter().map(|l| format!("own_{l}")));
    header.push("own_htxs_allowed".into());
    header.extend(levels.iter().map(|l| format!("total_{l}")));
    header.push("total_htxs_allowed".into());
    header.extend(
        [
            "breaches",
            "eligible_ldtt",
            "eligible_cstdcs",
            "eligible_cstd_tinh",
            "eligible_cstd_toan_quoc",
            "collective_eligible",
            "blocked",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    w.write_record(&header).map_err(io)?;
    let figures = |d: &DistributionView| {
        [
            d.htxs,
            d.htt,
            d.ht,
            d.kht,
            d.not_rated,
            d.undetermined,
            d.htxs_allowed,
        ]
        .map(|n| n.to_string())
    };
    for r in &report.rows {
        let mut row = vec![
            r.unit_id.to_string(),
            csv_cell(&r.code),
            csv_cell(&r.name),
            r.depth.to_string(),
            r.state.unwrap_or("").to_owned(),
            r.unit_level.unwrap_or("").to_owned(),
        ];
        row.extend(figures(&r.own));
        row.extend(figures(&r.rolled_up));
        row.push(r.breaches.to_string());
        for t in ["ldtt", "cstdcs", "cstd_tinh", "cstd_toan_quoc"] {
            row.push(r.eligible.get(t).copied().unwrap_or(0).to_string());
        }
        row.push(r.collective_eligible.join(" "));
        row.push(r.blocked.to_string());
        w.write_record(&row).map_err(io)?;
    }
    csv_text(w)
}

/// The colours of the levels in the chart.
const COLOURS: [(&str, RGBColor); 6] = [
    ("HTXS", RGBColor(0x1b, 0x5e, 0x20)),
    ("HTT", RGBColor(0x43, 0xa0, 0x47)),
    ("HT", RGBColor(0xfb, 0xc0, 0x2d)),
    ("KHT", RGBColor(0xc6, 0x28, 0x28)),
    ("Không xếp loại", RGBColor(0x9e, 0x9e, 0x9e)),
    ("Chưa xác định", RGBColor(0x60, 0x7d, 0x8b)),
];

/// An SVG chart of the distribution: one stacked bar per unit (the unit asked about, then each
/// unit directly below it, rolled up), with a mark at the HTXS the quota allows.
fn svg(report: &ReportResponse) -> Result<String> {
    let bars: Vec<&UnitRowView> = report.rows.iter().filter(|r| r.depth <= 1).collect();
    let height = 90 + 34 * u32::try_from(bars.len()).unwrap_or(0);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, height)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<std::io::Error>| Error::Internal(e.to_string());
        root.fill(&WHITE).map_err(err)?;
        let title = format!(
            "Xếp loại chất lượng năm {} (theo đơn vị, cộng dồn)",
            report.year
        );
        root.draw_text(
            &title,
            &("sans-serif", 18).into_font().color(&BLACK),
            (10, 10),
        )
        .map_err(err)?;
        for (i, (name, colour)) in COLOURS.iter().enumerate() {
            let x = 10 + 140 * i32::try_from(i).unwrap_or(0);
            root.draw(&Rectangle::new([(x, 40), (x + 14, 54)], colour.filled()))
                .map_err(err)?;
            root.draw_text(
                name,
                &("sans-serif", 13).into_font().color(&BLACK),
                (x + 18, 40),
            )
            .map_err(err)?;
        }
        let (left, width) = (260i32, 600f64);
        for (i, r) in bars.iter().enumerate() {
            let y = 70 + 34 * i32::try_from(i).unwrap_or(0);
            let d = &r.rolled_up;
            let label = format!("{} ({})", r.name, d.total());
            root.draw_text(
                &label,
                &("sans-serif", 13).into_font().color(&BLACK),
                (10, y + 6),
            )
            .map_err(err)?;
            let total = d.total().max(1) as f64;
            let mut x = left;
            let parts = [d.htxs, d.htt, d.ht, d.kht, d.not_rated, d.undetermined];
            for (n, (_, colour)) in parts.iter().zip(COLOURS.iter()) {
                let w = (*n as f64 / total * width).round() as i32;
                if w > 0 {
                    root.draw(&Rectangle::new([(x, y), (x + w, y + 24)], colour.filled()))
                        .map_err(err)?;
                }
                x += w;
            }
            // The quota: where the HTXS segment may end at most.
            let allowed = left + (d.htxs_allowed as f64 / total * width).round() as i32;
            root.draw(&PathElement::new(
                vec![(allowed, y - 3), (allowed, y + 27)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(out)
}
