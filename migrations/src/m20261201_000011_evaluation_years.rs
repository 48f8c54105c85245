//! A per-person, per-year summary of the evaluations, kept beside them so that the year end reads
//! one row a person instead of one a period: the month-weighted sums of the general part and of
//! the total, and the months evaluated (the mean rule's inputs, brief §4.3). Written in the same
//! transaction as each evaluation; backfilled here from the evaluations already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000011_evaluation_years"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("evaluation_years")
                .col(uuid("person_id"))
                .col(integer("year"))
                // Σ general × months of each period, in hundredths of a point.
                .col(big_integer("general_weighted"))
                // Σ (general + tasks) × months of each period.
                .col(big_integer("total_weighted"))
                // Σ months of each period.
                .col(big_integer("months"))
                .primary_key(Index::create().col("person_id").col("year"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_evaluation_years_person_id")
                        .from("evaluation_years", "person_id")
                        .to("persons", "id")
                        .on_delete(ForeignKeyAction::Restrict)
                        .on_update(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO evaluation_years (person_id, year, general_weighted, total_weighted, months) \
                 SELECT person_id, year, \
                        SUM(general * (month_to - month_from + 1)), \
                        SUM((general + tasks) * (month_to - month_from + 1)), \
                        SUM(month_to - month_from + 1) \
                 FROM evaluations GROUP BY person_id, year",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("evaluation_years").to_owned())
            .await?;
        Ok(())
    }
}
