//! The time a person worked in a year, for the six-months rule (brief §4.3; Decree 335/2025
//! Art. 14, 233/2026 Art. 14): the days employed in the year less the days on leave, counted in
//! whole calendar months per unbroken stretch (a stretch from 15 March to 14 April is one month),
//! with the days left over from all stretches added together at 30 days a month.

use chrono::{Months, NaiveDate};

/// A stretch of days, both ends included; `to` none means still running.
pub type Stretch = (NaiveDate, Option<NaiveDate>);

/// Whole months worked in `year`: employed in `employed`, not on leave in `leave`.
pub fn months_worked(employed: &[Stretch], leave: &[Stretch], year: i32) -> u32 {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return 0;
    };
    let len = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
    let mut worked = vec![false; len];
    mark(&mut worked, employed, first, last, true);
    mark(&mut worked, leave, first, last, false);
    let mut months = 0;
    let mut spare_days = 0;
    let mut i = 0;
    while i < len {
        if !worked[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < len && worked[i] {
            i += 1;
        }
        let (m, d) = whole_months(day(first, start), day(first, i - 1));
        months += m;
        spare_days += d;
    }
    months + spare_days / 30
}

fn day(first: NaiveDate, offset: usize) -> NaiveDate {
    first + chrono::Days::new(offset as u64)
}

fn mark(days: &mut [bool], stretches: &[Stretch], first: NaiveDate, last: NaiveDate, to: bool) {
    for (from, until) in stretches {
        let from = (*from).max(first);
        let until = until.unwrap_or(last).min(last);
        if from > until {
            continue;
        }
        let a = usize::try_from((from - first).num_days()).unwrap_or(0);
        let b = usize::try_from((until - first).num_days()).unwrap_or(0);
        for d in days.iter_mut().take(b + 1).skip(a) {
            *d = to;
        }
    }
}

/// Whole months from `from` through `to` (both included), and the days left over.
fn whole_months(from: NaiveDate, to: NaiveDate) -> (u32, u32) {
    let mut months = 0;
    loop {
        let next = from.checked_add_months(Months::new(months + 1));
        match next {
            Some(n) if n.pred_opt().is_some_and(|end| end <= to) => months += 1,
            _ => break,
        }
    }
    let covered_to = from.checked_add_months(Months::new(months)).unwrap_or(from);
    let spare = u32::try_from((to - covered_to).num_days() + 1).unwrap_or(0);
    (months, spare)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// Decree 335/2025 Art. 14: six whole months is enough, one day short is not.
    #[test]
    fn art14_first_half_is_six_months_and_a_day_short_is_five() {
        assert_eq!(
            months_worked(&[(d(2026, 1, 1), Some(d(2026, 6, 30)))], &[], 2026),
            6
        );
        assert_eq!(
            months_worked(&[(d(2026, 1, 1), Some(d(2026, 6, 29)))], &[], 2026),
            5
        );
        assert_eq!(months_worked(&[(d(2026, 7, 1), None)], &[], 2026), 6);
        assert_eq!(months_worked(&[(d(2025, 3, 1), None)], &[], 2026), 12);
    }

    /// Leave is not time worked; stretches on both sides of it add up, spare days at 30 a month.
    #[test]
    fn art14_leave_is_taken_out_and_spare_days_add_up() {
        let employed = [(d(2026, 1, 1), None)];
        let leave = [(d(2026, 3, 16), Some(d(2026, 12, 31)))];
        // 1 Jan – 15 Mar: two months and 15 days.
        assert_eq!(months_worked(&employed, &leave, 2026), 2);
        let two = [
            (d(2026, 1, 10), Some(d(2026, 4, 24))),
            (d(2026, 6, 10), Some(d(2026, 9, 24))),
        ];
        // Each stretch is three months and 15 days: 6 months and 30 days → 7.
        assert_eq!(months_worked(&two, &[], 2026), 7);
    }
}
