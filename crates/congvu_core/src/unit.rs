//! Administrative and organisational units: a tree with kinds, codes, Vietnamese names, validity
//! intervals and successor links (units merged in 2025 keep their history).

use chrono::NaiveDate;

use crate::error::{Collector, DomainError};
use crate::ids::UnitId;
use crate::legal::Validity;
use crate::text;

/// The kinds of unit congvu knows (legal brief §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Đặc khu.
    SpecialZone,
    /// Sở, phòng, cơ quan chuyên môn.
    Department,
    /// Trung tâm Phục vụ hành chính công.
    ServiceCentre,
    /// Đơn vị sự nghiệp công lập.
    PublicServiceUnit,
    /// Huyện: historic, abolished from 1 July 2025.
    District,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        Self::Province,
        Self::Commune,
        Self::Ward,
        Self::SpecialZone,
        Self::Department,
        Self::ServiceCentre,
        Self::PublicServiceUnit,
        Self::District,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Commune => "commune",
            Self::Ward => "ward",
            Self::SpecialZone => "special_zone",
            Self::Department => "department",
            Self::ServiceCentre => "service_centre",
            Self::PublicServiceUnit => "public_service_unit",
            Self::District => "district",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The last day a district may be valid: the district level was abolished from 1 July 2025
/// (Resolution 202/2025/QH15; legal brief §10.1).
pub fn district_abolished_after() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 6, 30)
}

/// A validated request to create a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub validity: Validity,
}

/// Raw input for [`NewUnit::parse`].
#[derive(Debug, Clone, Default)]
pub struct UnitInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent: Option<UnitId>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl NewUnit {
    pub const CODE_MAX: usize = 32;
    pub const NAME_MAX: usize = 255;

    /// Checks every field and reports every problem at once.
    pub fn parse(input: &UnitInput<'_>) -> Result<Self, DomainError> {
        let mut errors = Collector::default();
        let code = errors.take(text::code("code", input.code, Self::CODE_MAX));
        let name = errors.take(text::required("name", input.name, Self::NAME_MAX));
        let kind = UnitKind::parse(input.kind);
        if kind.is_none() {
            errors.push("kind", "unknown_kind", "must be one of: province, commune, ward, special_zone, department, service_centre, public_service_unit, district");
        }
        let validity = match input.valid_from {
            Some(from) => errors.take(Validity::new(from, input.valid_to)),
            None => {
                errors.push("valid_from", "required", "must be given");
                None
            }
        };
        if let (Some(UnitKind::District), Some(validity)) = (kind, validity) {
            let open_after_abolition = match (validity.to(), district_abolished_after()) {
                (Some(to), Some(last)) => to > last,
                _ => true,
            };
            if open_after_abolition {
                errors.push("valid_to", "district_abolished", "a district must end on or before 2025-06-30 (Resolution 202/2025/QH15: district level abolished from 1 July 2025)");
            }
        }
        errors.finish()?;
        match (code, name, kind, validity) {
            (Some(code), Some(name), Some(kind), Some(validity)) => Ok(Self {
                code,
                name,
                kind,
                parent: input.parent,
                validity,
            }),
            _ => Err(DomainError::invalid("", "invalid", "invalid unit")),
        }
    }
}

/// Checks that a child's interval lies within its parent's.
pub fn check_within_parent(child: &Validity, parent: &Validity) -> Result<(), DomainError> {
    let starts_inside = child.from() >= parent.from();
    let ends_inside = match (child.to(), parent.to()) {
        (_, None) => true,
        (Some(c), Some(p)) => c <= p,
        (None, Some(_)) => false,
    };
    if starts_inside && ends_inside {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "valid_from",
            "outside_parent",
            "the unit's validity must lie within its parent's",
        ))
    }
}

/// Checks a successor link: the predecessor must have ended before the successor takes over, and
/// the successor must be valid on the day it takes over.
pub fn check_successor(
    predecessor: &Validity,
    successor: &Validity,
    effective: NaiveDate,
) -> Result<(), DomainError> {
    match predecessor.to() {
        None => Err(DomainError::SuccessorInvalid(
            "the predecessor is still valid; set its valid_to first",
        )),
        Some(end) if end >= effective => Err(DomainError::SuccessorInvalid(
            "the predecessor must end before the effective date",
        )),
        Some(_) if !successor.contains(effective) => Err(DomainError::SuccessorInvalid(
            "the successor must be valid on the effective date",
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests;
