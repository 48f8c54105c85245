//! Vietnam's working calendar: weekends, public holidays and make-up working days as shipped data
//! (`data/calendar-vn.toml`), extendable per unit; working-day and calendar-month arithmetic on
//! dates in Vietnam time (UTC+7, no daylight saving).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, Utc, Weekday};
use serde::Deserialize;

use crate::error::DomainError;
use crate::legal::Confidence;

/// Whether a day is worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// Not worked although it may be a weekday (holiday, compensatory day, swapped day).
    Holiday,
    /// Worked although it is a weekend day (make-up day).
    Workday,
}

impl DayKind {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::Workday => "workday",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "holiday" => Some(Self::Holiday),
            "workday" => Some(Self::Workday),
            _ => None,
        }
    }
}

/// A day whose working status differs from the weekday rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    pub confidence: Confidence,
}

/// A working calendar: the weekday rule plus special days, over a covered range of years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    covered_from: i32,
    covered_to: i32,
    special: BTreeMap<NaiveDate, SpecialDay>,
}

/// Vietnam's offset from UTC: +7 hours, all year.
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The calendar date in Vietnam at an instant.
pub fn vietnam_date(instant: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS) {
        Some(offset) => instant.with_timezone(&offset).date_naive(),
        None => instant.date_naive(),
    }
}

/// `date` plus `months` calendar months; the day is clamped to the end of a shorter month
/// (31 March + 1 month = 30 April). `None` only past chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

impl WorkCalendar {
    /// Vietnam's national calendar as shipped.
    pub fn national() -> Result<Self, DomainError> {
        #[derive(Deserialize)]
        struct File {
            covered_from: i32,
            covered_to: i32,
            day: Vec<Raw>,
        }
        #[derive(Deserialize)]
        struct Raw {
            date: toml::value::Datetime,
            kind: String,
            name: String,
            confidence: String,
        }
        const FILE: &str = "data/calendar-vn.toml";
        let file: File = toml::from_str(include_str!("../data/calendar-vn.toml")).map_err(|e| {
            DomainError::ShippedData {
                file: FILE,
                message: e.to_string(),
            }
        })?;
        let mut calendar = Self {
            covered_from: file.covered_from,
            covered_to: file.covered_to,
            special: BTreeMap::new(),
        };
        for raw in file.day {
            let date =
                crate::legal::toml_date(&raw.date).map_err(|message| DomainError::ShippedData {
                    file: FILE,
                    message,
                })?;
            let bad = |message: String| DomainError::ShippedData {
                file: FILE,
                message,
            };
            let kind = DayKind::parse(&raw.kind)
                .ok_or_else(|| bad(format!("unknown kind {}", raw.kind)))?;
            let confidence = Confidence::parse(&raw.confidence)
                .ok_or_else(|| bad(format!("unknown confidence {}", raw.confidence)))?;
            let day = SpecialDay {
                date,
                kind,
                name: raw.name,
                confidence,
            };
            calendar
                .check_day(&day)
                .map_err(|e| DomainError::ShippedData {
                    file: FILE,
                    message: e.to_string(),
                })?;
            calendar.special.insert(day.date, day);
        }
        Ok(calendar)
    }

    /// The first and last years covered.
    pub const fn covered_years(&self) -> (i32, i32) {
        (self.covered_from, self.covered_to)
    }

    /// This calendar with a unit's own days laid over it (later entries win).
    pub fn with_overrides(
        &self,
        days: impl IntoIterator<Item = SpecialDay>,
    ) -> Result<Self, DomainError> {
        let mut calendar = self.clone();
        for day in days {
            calendar.check_day(&day)?;
            calendar.special.insert(day.date, day);
        }
        Ok(calendar)
    }

    /// A special day must be inside the covered years and must change something against the
    /// calendar as it stands: a holiday on a day now worked, or a workday on a day now off. So a
    /// unit can also correct a national day (e.g. work a projected holiday that was not declared).
    pub fn check_day(&self, day: &SpecialDay) -> Result<(), DomainError> {
        let working = self.is_working_day(day.date)?;
        match day.kind {
            DayKind::Holiday if !working => Err(DomainError::invalid(
                "date",
                "already_non_working",
                "the day is already not worked",
            )),
            DayKind::Workday if working => Err(DomainError::invalid(
                "date",
                "already_working",
                "the day is already worked",
            )),
            _ => Ok(()),
        }
    }

    fn covered(&self, date: NaiveDate) -> Result<(), DomainError> {
        if (self.covered_from..=self.covered_to).contains(&date.year()) {
            Ok(())
        } else {
            Err(DomainError::CalendarNotCovered(date))
        }
    }

    /// Whether staff work on `date`.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, DomainError> {
        self.covered(date)?;
        Ok(match self.special.get(&date) {
            Some(day) => day.kind == DayKind::Workday,
            None => !is_weekend(date),
        })
    }

    /// The special days in `[from, to]`.
    pub fn special_days(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &SpecialDay> {
        self.special.range(from..=to).map(|(_, d)| d)
    }

    /// The `n`-th working day after `start` (`start` itself not counted); `start` when `n` is 0.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, DomainError> {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date
                .succ_opt()
                .ok_or(DomainError::CalendarNotCovered(date))?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// How many working days lie in `(from, to]`; 0 when `to` ≤ `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, DomainError> {
        let mut count = 0;
        let mut date = from;
        while date < to {
            date = date
                .succ_opt()
                .ok_or(DomainError::CalendarNotCovered(date))?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests;
