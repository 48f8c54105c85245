//! Who a campaign asks to sign: everyone employed in the launching unit's subtree on the launch
//! date, plus those who join the subtree later; those who leave it are closed out. And whom each
//! signs with: staff with the head of their unit, a head with the head of the unit above
//! (brief §9.1: commune chairmen sign with the provincial chairman).

use chrono::NaiveDate;

use crate::ids::UnitId;
use crate::legal::Validity;

/// A person's relation to a campaign on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// Expected to sign; `since` is the launch date or the day they joined the subtree.
    Member { since: NaiveDate },
    /// Was a member; `on` is their last day in the subtree.
    Left { on: NaiveDate },
    /// Never in the campaign's units since its launch.
    Outside,
}

/// One employment slice as the audience sees it: the unit's path and the slice's validity.
#[derive(Debug, Clone, Copy)]
pub struct Slice<'a> {
    pub unit_path: &'a str,
    pub validity: &'a Validity,
}

/// The person's membership on `today` of a campaign launched on `launch` at the unit with path
/// `subtree` (a unit path covers its sub-units by prefix).
pub fn membership(
    slices: &[Slice<'_>],
    subtree: &str,
    launch: NaiveDate,
    today: NaiveDate,
) -> Membership {
    let inside: Vec<&Validity> = slices
        .iter()
        .filter(|s| s.unit_path.starts_with(subtree))
        .map(|s| s.validity)
        .collect();
    if inside.iter().any(|v| v.contains(today)) {
        let since = if inside.iter().any(|v| v.contains(launch)) {
            launch
        } else {
            inside
                .iter()
                .map(|v| v.from())
                .filter(|from| *from > launch)
                .min()
                .unwrap_or(launch)
        };
        return Membership::Member { since };
    }
    let last = inside
        .iter()
        .filter(|v| v.to().is_none_or(|to| to >= launch) && v.from() <= today)
        .filter_map(|v| v.to())
        .max();
    match last {
        Some(on) if on < today => Membership::Left { on },
        _ => Membership::Outside,
    }
}

/// The unit whose head counter-signs: the person's own unit for staff, the unit above for a
/// head (none above the root: the top leader's commitment has no counterparty in congvu).
pub fn counterparty(is_leader: bool, unit: UnitId, parent: Option<UnitId>) -> Option<UnitId> {
    if is_leader { parent } else { Some(unit) }
}
