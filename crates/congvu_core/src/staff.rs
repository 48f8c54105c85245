//! Staff: people on the register and their employment as time slices (category, unit, position,
//! leader flag). Queries answer "what was true on date D"; changes never rewrite the past.

use chrono::NaiveDate;

use crate::error::{Collector, DomainError};
use crate::ids::{EmploymentId, UnitId};
use crate::legal::Validity;
use crate::text;

/// The personnel category (legal brief §0.4); it decides which regimes govern a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Cán bộ: elected or appointed to a term-limited post.
    CanBo,
    /// Công chức: civil servant.
    CongChuc,
    /// Viên chức: public employee of a public service unit.
    VienChuc,
    /// Người lao động: contract worker under the Labour Code.
    NguoiLaoDong,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Self::CanBo,
        Self::CongChuc,
        Self::VienChuc,
        Self::NguoiLaoDong,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::CanBo => "can_bo",
            Self::CongChuc => "cong_chuc",
            Self::VienChuc => "vien_chuc",
            Self::NguoiLaoDong => "nguoi_lao_dong",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A validated person record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub staff_code: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
}

/// Raw input for [`NewPerson::parse`].
#[derive(Debug, Clone, Default)]
pub struct PersonInput<'a> {
    pub staff_code: &'a str,
    pub full_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<&'a str>,
}

impl NewPerson {
    pub const STAFF_CODE_MAX: usize = 32;
    pub const NAME_MAX: usize = 150;

    pub fn parse(input: &PersonInput<'_>, errors: &mut Collector) -> Option<Self> {
        let staff_code = errors.take(text::code(
            "staff_code",
            input.staff_code,
            Self::STAFF_CODE_MAX,
        ));
        let full_name = errors.take(text::required("full_name", input.full_name, Self::NAME_MAX));
        let email = errors.take(text::email("email", input.email));
        Some(Self {
            staff_code: staff_code?,
            full_name: full_name?,
            date_of_birth: input.date_of_birth,
            email: email?,
        })
    }
}

/// One slice of employment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employment {
    pub id: EmploymentId,
    pub unit: UnitId,
    pub category: Category,
    pub position: String,
    pub is_leader: bool,
    pub validity: Validity,
}

/// A validated new employment slice (its unit must be checked to exist by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmployment {
    pub unit: UnitId,
    pub category: Category,
    pub position: String,
    pub is_leader: bool,
    pub validity: Validity,
}

/// Raw input for [`NewEmployment::parse`].
#[derive(Debug, Clone, Default)]
pub struct EmploymentInput<'a> {
    pub unit: Option<UnitId>,
    pub category: &'a str,
    pub position: &'a str,
    pub is_leader: bool,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl NewEmployment {
    pub const POSITION_MAX: usize = 150;

    pub fn parse(input: &EmploymentInput<'_>, errors: &mut Collector) -> Option<Self> {
        let category = Category::parse(input.category);
        if category.is_none() {
            errors.push(
                "category",
                "unknown_category",
                "must be one of: can_bo, cong_chuc, vien_chuc, nguoi_lao_dong",
            );
        }
        if input.unit.is_none() {
            errors.push("unit_id", "required", "must be given");
        }
        let position = errors.take(text::required(
            "position",
            input.position,
            Self::POSITION_MAX,
        ));
        let validity = match input.valid_from {
            Some(from) => errors.take(Validity::new(from, input.valid_to)),
            None => {
                errors.push("valid_from", "required", "must be given");
                None
            }
        };
        Some(Self {
            unit: input.unit?,
            category: category?,
            position: position?,
            is_leader: input.is_leader,
            validity: validity?,
        })
    }
}

/// The slice in force on `date`, if any.
pub fn employment_on(slices: &[Employment], date: NaiveDate) -> Option<&Employment> {
    slices.iter().find(|s| s.validity.contains(date))
}

/// What to store for an employment change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentChange {
    /// An open slice to close the day before the new one starts.
    pub close: Option<(EmploymentId, NaiveDate)>,
    pub insert: NewEmployment,
}

/// Plans a change from `new.validity.from()`: the open slice that started earlier is closed the day
/// before; any other overlap (a later slice, or a closed slice still running) is refused, so the
/// past is never rewritten silently.
pub fn plan_employment_change(
    existing: &[Employment],
    new: NewEmployment,
) -> Result<EmploymentChange, DomainError> {
    let start = new.validity.from();
    let mut close = None;
    for slice in existing {
        if !slice.validity.overlaps(&new.validity) {
            continue;
        }
        let closable = slice.validity.to().is_none() && slice.validity.from() < start;
        if !closable {
            return Err(DomainError::EmploymentConflict {
                existing_from: slice.validity.from(),
            });
        }
        let day_before = start.pred_opt().ok_or(DomainError::EmploymentConflict {
            existing_from: slice.validity.from(),
        })?;
        close = Some((slice.id, day_before));
    }
    Ok(EmploymentChange { close, insert: new })
}

#[cfg(test)]
mod tests;
