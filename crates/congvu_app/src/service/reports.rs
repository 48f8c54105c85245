//! Year-end reports (brief §4.3, §5; issue 7): for a unit and every unit below it in the caller's
//! reach, the classification distribution of its newest decision (final, or the draft being
//! prepared) against the HTXS quota, rolled up the tree; the titles its people may be proposed for
//! and how many are blocked (the routes render it as JSON, CSV or an SVG chart).

use std::collections::{BTreeMap, HashMap};

use congvu_core::assessment::quota::Proposal;
use congvu_core::assessment::{Level, Outcome};
use congvu_core::emulation::TitleKey;
use congvu_core::ids::UnitId;
use congvu_core::policy::{Action, Actor};
use congvu_db::classification::{self as rounds, EntryRecord, RoundRecord, RoundState};
use congvu_db::unit::UnitRecord;
use uuid::Uuid;

use crate::error::Result;
use crate::state::AppState;

/// How many people got each result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Distribution {
    pub htxs: usize,
    pub htt: usize,
    pub ht: usize,
    pub kht: usize,
    pub not_rated: usize,
    pub undetermined: usize,
    /// The most HTXS the quota allows (per peer group, summed).
    pub htxs_allowed: usize,
}

impl Distribution {
    fn add(&mut self, o: &Distribution) {
        self.htxs += o.htxs;
        self.htt += o.htt;
        self.ht += o.ht;
        self.kht += o.kht;
        self.not_rated += o.not_rated;
        self.undetermined += o.undetermined;
        self.htxs_allowed += o.htxs_allowed;
    }

    pub fn total(&self) -> usize {
        self.htxs + self.htt + self.ht + self.kht + self.not_rated + self.undetermined
    }
}

/// One unit's line.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub unit: UnitId,
    pub parent: Option<UnitId>,
    pub code: String,
    pub name: String,
    /// 0 for the unit asked about, 1 for its children…
    pub depth: usize,
    /// The newest decision's state (draft or final), none when the year is not opened.
    pub state: Option<RoundState>,
    pub unit_level: Option<Level>,
    /// The unit's own people.
    pub own: Distribution,
    /// The unit and every unit below it in reach.
    pub rolled_up: Distribution,
    /// Breaches of the unit's own quota (HTXS over the share, head above the unit).
    pub breaches: usize,
    /// Title → people who may be proposed (from the final decision).
    pub eligible: BTreeMap<TitleKey, usize>,
    /// Collective titles the unit itself may be proposed for.
    pub collective_eligible: Vec<TitleKey>,
    /// People blocked by an open case, inspection, investigation or complaint.
    pub blocked: usize,
}

/// The report of a unit's subtree.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub unit: UnitId,
    pub year: i32,
    pub rows: Vec<UnitRow>,
}

fn distribution(state: &AppState, round: &RoundRecord, entries: &[EntryRecord]) -> Distribution {
    let mut d = Distribution::default();
    let mut groups: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        match e.proposed {
            Outcome::Rated(Level::Htxs) => d.htxs += 1,
            Outcome::Rated(Level::Htt) => {
                d.htt += 1;
                *groups.entry(&e.peer_group).or_insert(0) += 1;
            }
            Outcome::Rated(Level::Ht) => d.ht += 1,
            Outcome::Rated(Level::Kht) => d.kht += 1,
            Outcome::NotRated => d.not_rated += 1,
            Outcome::Undetermined => d.undetermined += 1,
        }
    }
    let q = &state.assessment.quota;
    let share = if round.unit_level == Some(Level::Htxs) {
        q.htxs_share_if_unit_excellent_pct
    } else {
        q.htxs_share_of_htt_pct
    } as usize;
    d.htxs_allowed = groups.values().map(|htt| htt * share / 100).sum();
    d
}

fn own_breaches(state: &AppState, round: &RoundRecord, entries: &[EntryRecord]) -> usize {
    let mut groups: BTreeMap<&str, Vec<Proposal>> = BTreeMap::new();
    for e in entries {
        groups.entry(&e.peer_group).or_default().push(Proposal {
            person: e.person,
            outcome: e.proposed,
            is_head: e.is_head,
        });
    }
    groups
        .iter()
        .map(|(g, p)| {
            congvu_core::assessment::quota::check_group(
                &state.assessment.quota,
                g,
                p,
                round.unit_level,
            )
            .len()
        })
        .sum()
}

/// The report of `unit` and the units below it in the caller's reach.
pub async fn report(
    state: &AppState,
    actor: &Actor,
    unit: UnitId,
    year: i32,
) -> Result<ReportView> {
    let db = state.db.reader();
    let reach = actor.reach(Action::ViewEvaluation);
    let root = congvu_db::unit::find(db, &reach, unit).await?;
    let units = congvu_db::unit::subtree(db, &reach, &root).await?;
    let ids: Vec<UnitId> = units.iter().map(|u| u.id).collect();
    let mut newest: HashMap<UnitId, RoundRecord> = HashMap::new();
    for r in rounds::rounds_of_units(db, &ids, year).await? {
        if r.state != RoundState::Replaced {
            newest.entry(r.unit).or_insert(r);
        }
    }
    let round_ids: Vec<Uuid> = newest.values().map(|r| r.id).collect();
    let mut by_round: HashMap<Uuid, Vec<EntryRecord>> = HashMap::new();
    for e in rounds::entries_of_rounds(db, &round_ids).await? {
        by_round.entry(e.round).or_default().push(e);
    }
    let mut rows: Vec<UnitRow> = Vec::with_capacity(units.len());
    for u in &units {
        rows.push(unit_row(state, db, u, &root, newest.get(&u.id), &by_round, year).await?);
    }
    roll_up(&mut rows, &units);
    Ok(ReportView {
        unit: root.id,
        year,
        rows,
    })
}

async fn unit_row(
    state: &AppState,
    db: &impl congvu_db::Connection,
    u: &UnitRecord,
    root: &UnitRecord,
    round: Option<&RoundRecord>,
    by_round: &HashMap<Uuid, Vec<EntryRecord>>,
    year: i32,
) -> Result<UnitRow> {
    let none = Vec::new();
    let entries = round.and_then(|r| by_round.get(&r.id)).unwrap_or(&none);
    let own = round.map_or_else(Distribution::default, |r| distribution(state, r, entries));
    let (eligible, collective_eligible, blocked) = match round {
        Some(r) if r.state == RoundState::Final => {
            let view = super::emulation::unit_view(state, db, u, year).await?;
            (
                view.eligible,
                view.collective
                    .iter()
                    .filter(|a| a.eligible)
                    .map(|a| a.title)
                    .collect(),
                view.blocked,
            )
        }
        _ => (BTreeMap::new(), Vec::new(), 0),
    };
    Ok(UnitRow {
        unit: u.id,
        parent: u.parent,
        code: u.code.clone(),
        name: u.name.clone(),
        depth: congvu_core::policy::path_units(&u.path).len()
            - congvu_core::policy::path_units(&root.path).len(),
        state: round.map(|r| r.state),
        unit_level: round.and_then(|r| r.unit_level),
        own,
        rolled_up: own,
        breaches: round.map_or(0, |r| own_breaches(state, r, entries)),
        eligible,
        collective_eligible,
        blocked,
    })
}

/// Adds each unit's own figures to every unit above it in the report.
fn roll_up(rows: &mut [UnitRow], units: &[UnitRecord]) {
    let index: HashMap<UnitId, usize> = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    for (i, u) in units.iter().enumerate() {
        let own = rows[i].own;
        let mut parent = u.parent;
        while let Some(p) = parent {
            let Some(&j) = index.get(&p) else {
                break;
            };
            rows[j].rolled_up.add(&own);
            parent = units[j].parent;
        }
    }
}
