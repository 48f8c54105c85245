//! The one migration set for SQLite and PostgreSQL. Migrations are frozen history: they name tables
//! and columns with plain strings, never entity or domain types, and an applied migration is never
//! edited; a change is a new migration with a working `down`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_violations;
mod m20261122_000003_evidence;
mod m20261122_000004_discipline_cases;
mod m20261122_000005_complaints;
mod m20261122_000006_outbox;
mod m20261201_000007_letters;
mod m20261201_000008_commitments;
mod m20261201_000009_evaluations;
mod m20261201_000010_classification;
mod m20261201_000011_evaluation_years;
mod m20261207_000012_installation;

/// Applies congvu's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_violations::Migration),
            Box::new(m20261122_000003_evidence::Migration),
            Box::new(m20261122_000004_discipline_cases::Migration),
            Box::new(m20261122_000005_complaints::Migration),
            Box::new(m20261122_000006_outbox::Migration),
            Box::new(m20261201_000007_letters::Migration),
            Box::new(m20261201_000008_commitments::Migration),
            Box::new(m20261201_000009_evaluations::Migration),
            Box::new(m20261201_000010_classification::Migration),
            Box::new(m20261201_000011_evaluation_years::Migration),
            Box::new(m20261207_000012_installation::Migration),
        ]
    }
}
