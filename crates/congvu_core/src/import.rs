//! Staff import rows: one CSV record (header-named columns) parsed into a person and an employment,
//! with every problem of the row reported. Reading the file is the caller's business.

use chrono::NaiveDate;

use crate::error::{Collector, DomainError, FieldError};
use crate::staff::{Category, NewPerson, PersonInput};
use crate::text;

/// The columns a staff file may have; `REQUIRED` must be present in the header.
pub const COLUMNS: [&str; 9] = [
    "staff_code",
    "full_name",
    "date_of_birth",
    "email",
    "unit_code",
    "category",
    "position",
    "is_leader",
    "valid_from",
];
pub const REQUIRED: [&str; 6] = [
    "staff_code",
    "full_name",
    "unit_code",
    "category",
    "position",
    "valid_from",
];

/// A valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub person: NewPerson,
    pub unit_code: String,
    pub category: Category,
    pub position: String,
    pub is_leader: bool,
    pub valid_from: NaiveDate,
}

/// Parses one record; `get` returns a column's value (absent columns give `None`).
pub fn parse_row<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<StaffRow, Vec<FieldError>> {
    let mut errors = Collector::default();
    let date_of_birth = errors.take(optional_date("date_of_birth", get("date_of_birth")));
    let person = NewPerson::parse(
        &PersonInput {
            staff_code: get("staff_code").unwrap_or(""),
            full_name: get("full_name").unwrap_or(""),
            date_of_birth: date_of_birth.flatten(),
            email: get("email"),
        },
        &mut errors,
    );
    let unit_code = errors.take(text::code("unit_code", get("unit_code").unwrap_or(""), 32));
    let category = Category::parse(text::normalize(get("category").unwrap_or("")).as_str());
    if category.is_none() {
        errors.push(
            "category",
            "unknown_category",
            "must be one of: can_bo, cong_chuc, vien_chuc, nguoi_lao_dong",
        );
    }
    let position = errors.take(text::required(
        "position",
        get("position").unwrap_or(""),
        150,
    ));
    let is_leader = errors.take(boolean("is_leader", get("is_leader")));
    let valid_from = match errors.take(optional_date("valid_from", get("valid_from"))) {
        Some(Some(d)) => Some(d),
        Some(None) => {
            errors.push("valid_from", "required", "must be given");
            None
        }
        None => None,
    };
    match errors.finish() {
        Err(DomainError::Invalid(fields)) => Err(fields),
        Err(other) => Err(vec![FieldError::new("", "invalid", other.to_string())]),
        Ok(()) => match (person, unit_code, category, position, is_leader, valid_from) {
            (
                Some(person),
                Some(unit_code),
                Some(category),
                Some(position),
                Some(is_leader),
                Some(valid_from),
            ) => Ok(StaffRow {
                person,
                unit_code,
                category,
                position,
                is_leader,
                valid_from,
            }),
            _ => Err(vec![FieldError::new("", "invalid", "invalid row")]),
        },
    }
}

/// `YYYY-MM-DD` or the Vietnamese `DD/MM/YYYY`; empty means absent.
pub fn optional_date(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, DomainError> {
    let value = text::normalize(value.unwrap_or(""));
    if value.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(&value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&value, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| {
            DomainError::invalid(
                field,
                "invalid_date",
                "must be a date as YYYY-MM-DD or DD/MM/YYYY",
            )
        })
}

fn boolean(field: &str, value: Option<&str>) -> Result<bool, DomainError> {
    match text::fold(value.unwrap_or("")).as_str() {
        "" | "false" | "0" | "no" | "khong" => Ok(false),
        "true" | "1" | "yes" | "co" => Ok(true),
        _ => Err(DomainError::invalid(
            field,
            "invalid_boolean",
            "must be true/false, 1/0 or có/không",
        )),
    }
}

#[cfg(test)]
mod tests;
