//! The report's wire shape: the use case's typed rows with codes and bare ids, as JSON and as
//! the CSV and chart read them.

use std::collections::BTreeMap;

use congvu_app::service::reports::{Distribution, ReportView, UnitRow};
use congvu_core::emulation::TitleKey;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::routes::classification::LevelCode;
use crate::routes::common::by_code;
use crate::routes::emulation::TitleCode;

/// How many people got each result.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct DistributionView {
    pub htxs: usize,
    pub htt: usize,
    pub ht: usize,
    pub kht: usize,
    pub not_rated: usize,
    pub undetermined: usize,
    /// The most HTXS the quota allows (per peer group, summed).
    pub htxs_allowed: usize,
}

impl From<Distribution> for DistributionView {
    fn from(d: Distribution) -> Self {
        Self {
            htxs: d.htxs,
            htt: d.htt,
            ht: d.ht,
            kht: d.kht,
            not_rated: d.not_rated,
            undetermined: d.undetermined,
            htxs_allowed: d.htxs_allowed,
        }
    }
}

impl DistributionView {
    /// Everyone counted.
    pub fn total(&self) -> usize {
        self.htxs + self.htt + self.ht + self.kht + self.not_rated + self.undetermined
    }
}

/// A decision's state in a report.
#[derive(ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    Draft,
    Final,
}

/// One unit's line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRowView {
    pub unit_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: String,
    /// 0 for the unit asked about, 1 for its children…
    pub depth: usize,
    /// `draft`, `final`, or none when the year is not opened.
    #[schema(value_type = Option<ReportState>)]
    pub state: Option<&'static str>,
    #[schema(value_type = Option<LevelCode>)]
    pub unit_level: Option<&'static str>,
    /// The unit's own people.
    pub own: DistributionView,
    /// The unit and every unit below it in reach.
    pub rolled_up: DistributionView,
    /// Breaches of the unit's own quota (HTXS over the share, head above the unit).
    pub breaches: usize,
    /// Title code → people who may be proposed (from the final decision).
    pub eligible: BTreeMap<&'static str, usize>,
    /// Collective titles the unit itself may be proposed for.
    #[schema(value_type = Vec<TitleCode>)]
    pub collective_eligible: Vec<&'static str>,
    /// People blocked by an open case, inspection, investigation or complaint.
    pub blocked: usize,
}

impl From<UnitRow> for UnitRowView {
    fn from(r: UnitRow) -> Self {
        Self {
            unit_id: r.unit.as_uuid(),
            parent_id: r.parent.map(|p| p.as_uuid()),
            code: r.code,
            name: r.name,
            depth: r.depth,
            state: r.state.map(|s| s.code()),
            unit_level: r.unit_level.map(|l| l.code()),
            own: r.own.into(),
            rolled_up: r.rolled_up.into(),
            breaches: r.breaches,
            eligible: by_code(&r.eligible, TitleKey::code),
            collective_eligible: r.collective_eligible.iter().map(|t| t.code()).collect(),
            blocked: r.blocked,
        }
    }
}

/// The report of a unit's subtree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportResponse {
    pub unit_id: Uuid,
    pub year: i32,
    pub rows: Vec<UnitRowView>,
}

impl From<ReportView> for ReportResponse {
    fn from(v: ReportView) -> Self {
        Self {
            unit_id: v.unit.as_uuid(),
            year: v.year,
            rows: v.rows.into_iter().map(UnitRowView::from).collect(),
        }
    }
}
