//! The limitation and handling clocks (234/2026 Art. 5): end dates computed from dated facts,
//! pushed by pauses, and where a clock stands on a day.

use super::*;

/// A closed or open interval of days during which a clock stands still (a "not yet considered"
/// status, criminal proceedings, a complaint against the decision; §3.4 Art. 5(6), §3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDate,
    /// `None` while the pause lasts.
    pub to: Option<NaiveDate>,
}

/// Where a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Running; the last day of the period, and the days left counted from `on`.
    Running { last_day: NaiveDate, days_left: i64 },
    /// The period has passed.
    Breached { last_day: NaiveDate },
    /// Stopped by a pause that has not ended.
    Paused { since: NaiveDate },
    /// No limit applies (the listed exceptions of §3.4).
    Unlimited,
}

/// The last day of a period that starts the day after `start` and lasts until `nominal_end`,
/// pushed back by every paused day inside it (pauses found by pushing are counted too). `None` if
/// an open pause stops the clock.
pub(super) fn pushed_end(
    start: NaiveDate,
    nominal_end: NaiveDate,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, ()> {
    let mut end = nominal_end;
    loop {
        let mut paused = 0i64;
        for p in pauses {
            if p.from > end {
                continue;
            }
            let Some(to) = p.to else { return Ok(None) };
            let from = p.from.max(start + Duration::days(1));
            if to >= from {
                paused += (to.min(end) - from).num_days() + 1;
            }
        }
        let next = nominal_end + Duration::days(paused);
        if next == end {
            return Ok(Some(end));
        }
        end = next;
        if end.years_since(nominal_end).unwrap_or(0) > 200 {
            return Err(());
        }
    }
}

pub(super) fn state(end: Option<NaiveDate>, pauses: &[Pause], on: NaiveDate) -> ClockState {
    match end {
        None => ClockState::Paused {
            since: pauses
                .iter()
                .filter(|p| p.to.is_none())
                .map(|p| p.from)
                .min()
                .unwrap_or(on),
        },
        Some(last_day) if on > last_day => ClockState::Breached { last_day },
        Some(last_day) => ClockState::Running {
            last_day,
            days_left: (last_day - on).num_days(),
        },
    }
}

/// The limitation clock of a violation (§3.4): `months` from the time of the violation (its end
/// when known), restarted by a later violation inside the period, stopped by pauses.
pub fn limitation_clock(
    violation_at: NaiveDate,
    later_violations: &[NaiveDate],
    months: Option<u32>,
    pauses: &[Pause],
    on: NaiveDate,
) -> Result<ClockState, DomainError> {
    let Some(months) = months else {
        return Ok(ClockState::Unlimited);
    };
    let mut start = violation_at;
    let mut sorted = later_violations.to_vec();
    sorted.sort();
    for later in sorted {
        let end = period_end(start, months, pauses)?;
        // A new violation committed inside the running period restarts it from that day.
        if later > start && end.is_none_or(|e| later <= e) {
            start = later;
        }
    }
    Ok(state(period_end(start, months, pauses)?, pauses, on))
}

fn period_end(
    start: NaiveDate,
    months: u32,
    pauses: &[Pause],
) -> Result<Option<NaiveDate>, DomainError> {
    let nominal =
        calendar::add_months(start, months).ok_or(DomainError::CalendarNotCovered(start))?;
    pushed_end(start, nominal, pauses).map_err(|()| DomainError::CalendarNotCovered(start))
}

/// The handling clock (§3.5): `limit_days` (or `extended_days` after a recorded extension) from
/// discovery, stopped by pauses. A passed limit flags accountability; it does not forbid a
/// decision while the limitation period runs.
pub fn handling_clock(
    rule: &HandlingRule,
    discovered_on: NaiveDate,
    extended: bool,
    pauses: &[Pause],
    on: NaiveDate,
) -> Result<ClockState, DomainError> {
    let days = if extended {
        rule.extended_days
    } else {
        rule.limit_days
    };
    let nominal = discovered_on + Duration::days(i64::from(days));
    let end = pushed_end(discovered_on, nominal, pauses)
        .map_err(|()| DomainError::CalendarNotCovered(discovered_on))?;
    Ok(state(end, pauses, on))
}
