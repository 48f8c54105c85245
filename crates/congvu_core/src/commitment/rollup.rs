//! Completion at a glance: each unit's counts by standing, its own people plus every unit below
//! it, computed in one pass over the units (children before parents by depth).

use std::collections::HashMap;

use super::signing::Standing;
use crate::ids::UnitId;

/// How many people stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pending: u64,
    pub overdue: u64,
    pub signed: u64,
    pub counter_signed: u64,
    pub closed_out: u64,
}

impl Counts {
    /// Counts one person.
    pub fn add(&mut self, standing: Standing) {
        let slot = match standing {
            Standing::Pending => &mut self.pending,
            Standing::Overdue => &mut self.overdue,
            Standing::Signed => &mut self.signed,
            Standing::CounterSigned => &mut self.counter_signed,
            Standing::ClosedOut => &mut self.closed_out,
        };
        *slot += 1;
    }

    fn merge(&mut self, other: &Counts) {
        self.pending += other.pending;
        self.overdue += other.overdue;
        self.signed += other.signed;
        self.counter_signed += other.counter_signed;
        self.closed_out += other.closed_out;
    }

    /// People still expected to sign (pending or overdue).
    pub const fn outstanding(&self) -> u64 {
        self.pending + self.overdue
    }
}

/// One unit of the tree: its id, its parent and its depth (root 0).
#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub unit: UnitId,
    pub parent: Option<UnitId>,
    pub depth: usize,
}

/// Each unit's totals: its own counts plus those of all its descendants. Units without people
/// appear with their descendants' totals (or zero).
pub fn rollup(nodes: &[Node], own: &HashMap<UnitId, Counts>) -> HashMap<UnitId, Counts> {
    let mut order: Vec<&Node> = nodes.iter().collect();
    order.sort_by_key(|n| std::cmp::Reverse(n.depth));
    let mut totals: HashMap<UnitId, Counts> = nodes
        .iter()
        .map(|n| (n.unit, own.get(&n.unit).copied().unwrap_or_default()))
        .collect();
    for node in order {
        let Some(parent) = node.parent else {
            continue;
        };
        let mine = totals.get(&node.unit).copied().unwrap_or_default();
        if let Some(up) = totals.get_mut(&parent) {
            up.merge(&mine);
        }
    }
    totals
}
