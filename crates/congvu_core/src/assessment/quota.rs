//! The second phase of year-end classification: officers propose, then each unit's peer group is
//! checked against the caps before the head may finalise (brief §4.3 "cap on excellent", §11.4
//! item 20): HTXS at most 20% of those rated HTT (25% when the unit itself is HTXS), the head not
//! above the unit, and among units fewer than five at most one HTXS. Every breach is named.

use super::data::Quota;
use super::{Level, Outcome};
use crate::ids::{PersonId, UnitId};
use crate::text::Bilingual;

/// The peer group of everyone not put in another: the whole unit.
pub const DEFAULT_GROUP: &str = "all";

/// One proposed result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposal {
    pub person: PersonId,
    pub outcome: Outcome,
    /// The head of the unit (whose rating may not exceed the unit's).
    pub is_head: bool,
}

/// A breach of a cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    /// More HTXS than the share of HTT allows in a peer group.
    HtxsOverQuota {
        group: String,
        allowed: usize,
        proposed: usize,
        htt: usize,
        share_pct: u32,
    },
    /// The head is rated above the unit.
    HeadAboveUnit {
        person: PersonId,
        head: Level,
        unit: Level,
    },
    /// A head is proposed but the unit's own rating is not known yet.
    UnitNotRated { person: PersonId },
    /// More units HTXS than allowed among the units rated together.
    UnitsOverQuota {
        allowed: usize,
        proposed: usize,
        units: usize,
    },
}

impl Breach {
    pub const fn code(&self) -> &'static str {
        match self {
            Self::HtxsOverQuota { .. } => "quota.htxs_over_share",
            Self::HeadAboveUnit { .. } => "quota.head_above_unit",
            Self::UnitNotRated { .. } => "quota.unit_not_rated",
            Self::UnitsOverQuota { .. } => "quota.units_htxs_over_share",
        }
    }

    /// The breach as an officer reads it, in Vietnamese and English.
    pub fn message(&self) -> Bilingual {
        match self {
            Self::HtxsOverQuota {
                group,
                allowed,
                proposed,
                htt,
                share_pct,
            } => {
                let (nhom, group_en) = if group == DEFAULT_GROUP {
                    ("Toàn đơn vị".to_owned(), "the whole unit".to_owned())
                } else {
                    (format!("Nhóm {group}"), format!("group {group}"))
                };
                Bilingual::new(
                    format!(
                        "{nhom}: đề xuất {proposed} người hoàn thành xuất sắc nhiệm vụ, tối đa {allowed} người, bằng {share_pct}% số người được xếp loại hoàn thành tốt nhiệm vụ ({htt} người)"
                    ),
                    format!(
                        "{group_en}: {proposed} proposed “completed excellently”, at most {allowed} allowed ({share_pct}% of the {htt} rated “completed well”)"
                    ),
                )
            }
            Self::HeadAboveUnit { head, unit, .. } => Bilingual::new(
                format!(
                    "Người đứng đầu được đề xuất {} nhưng đơn vị chỉ được xếp loại {}",
                    head.label_vi(),
                    unit.label_vi()
                ),
                format!(
                    "the head is proposed {} but the unit is rated {}",
                    head.label_en(),
                    unit.label_en()
                ),
            ),
            Self::UnitNotRated { .. } => Bilingual::new(
                "Cần xếp loại đơn vị trước khi xếp loại người đứng đầu",
                "the unit's own rating is needed before its head's",
            ),
            Self::UnitsOverQuota {
                allowed,
                proposed,
                units,
            } => Bilingual::new(
                format!(
                    "{proposed} trên {units} đơn vị được đề xuất hoàn thành xuất sắc nhiệm vụ, tối đa {allowed}"
                ),
                format!(
                    "{proposed} of {units} units proposed “completed excellently”, at most {allowed} allowed"
                ),
            ),
        }
    }
}

fn count(proposals: &[Proposal], level: Level) -> usize {
    proposals
        .iter()
        .filter(|p| p.outcome == Outcome::Rated(level))
        .count()
}

/// Checks one peer group of a unit (people with similar tasks, rated together): the HTXS share
/// (the larger share when the unit itself is HTXS) and the head against the unit's rating.
pub fn check_group(
    quota: &Quota,
    group: &str,
    proposals: &[Proposal],
    unit_level: Option<Level>,
) -> Vec<Breach> {
    let mut breaches = Vec::new();
    let htt = count(proposals, Level::Htt);
    let htxs = count(proposals, Level::Htxs);
    let share_pct = if unit_level == Some(Level::Htxs) {
        quota.htxs_share_if_unit_excellent_pct
    } else {
        quota.htxs_share_of_htt_pct
    };
    let allowed = htt * share_pct as usize / 100;
    if htxs > allowed {
        breaches.push(Breach::HtxsOverQuota {
            group: group.to_owned(),
            allowed,
            proposed: htxs,
            htt,
            share_pct,
        });
    }
    for p in proposals.iter().filter(|p| p.is_head) {
        let Some(head) = p.outcome.level() else {
            continue;
        };
        match unit_level {
            None => breaches.push(Breach::UnitNotRated { person: p.person }),
            Some(unit) if head.above(unit) => breaches.push(Breach::HeadAboveUnit {
                person: p.person,
                head,
                unit,
            }),
            Some(_) => {}
        }
    }
    breaches
}

/// Checks units rated together (the units of one managing body): fewer than five → at most one
/// HTXS; otherwise HTXS at most the share of units rated HTT.
pub fn check_units(quota: &Quota, units: &[(UnitId, Level)]) -> Vec<Breach> {
    let proposed = units.iter().filter(|(_, l)| *l == Level::Htxs).count();
    let allowed = if units.len() < quota.small_group_below {
        quota.small_group_max_htxs
    } else {
        let htt = units.iter().filter(|(_, l)| *l == Level::Htt).count();
        htt * quota.htxs_share_of_htt_pct as usize / 100
    };
    if proposed > allowed {
        vec![Breach::UnitsOverQuota {
            allowed,
            proposed,
            units: units.len(),
        }]
    } else {
        Vec::new()
    }
}
