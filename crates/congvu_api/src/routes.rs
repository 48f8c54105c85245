//! HTTP routes, one module per resource, each with its request and response DTOs. The mount table
//! in `crate::rocket` is the HTTP codemap.

pub mod audit;
pub mod auth;
pub mod cases;
pub mod classification;
pub mod codesets;
pub mod commitments;
pub mod common;
pub mod complaints;
pub mod emulation;
pub mod evaluations;
pub mod health;
pub mod letters;
pub mod me;
pub mod pages;
pub mod public;
pub mod regimes;
pub mod reports;
pub mod staff;
pub mod units;
pub mod users;
pub mod violations;
