//! The congvu domain: administrative units, staff and their employment over time, legal bases and
//! regimes, Vietnam's working calendar, codes of conduct, access policy and the audit hash chain.
//!
//! Everything here is pure: no I/O, no async, no clock (instants and dates are parameters), no
//! persistence or HTTP types. National data (calendars, regimes, code sets) ships as TOML files
//! compiled into the crate and parsed into private raw structs; domain types are not serialisable.

pub mod assessment;
pub mod audit;
pub mod calendar;
pub mod codeset;
pub mod commitment;
pub mod complaint;
pub mod discipline;
pub mod emulation;
pub mod error;
pub mod ids;
pub mod import;
pub mod legal;
pub mod letter;
pub mod policy;
pub mod sniff;
pub mod staff;
pub mod text;
pub mod unit;
pub mod violation;

pub use error::{DomainError, FieldError};
