//! Evaluations of the year (brief §4.3, §11.4): one row per person per period (month, quarter,
//! half-year or year) with the general and task scores in hundredths of a point and, for civil
//! servants scored from work products, the products; and each unit's rule for the annual score.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000009_evaluations"
    }
}

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("evaluations")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                // The unit the person worked in on the period's last day.
                .col(uuid("unit_id"))
                .col(integer("year"))
                .col(string_len("kind", 16))
                .col(integer("idx"))
                // The months the period covers (1–12), for the overlap check.
                .col(integer("month_from"))
                .col(integer("month_to"))
                .col(string_len("regime", 32))
                .col(integer("general"))
                .col(integer("tasks"))
                .col(text_null("products"))
                .col(uuid("evaluated_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("evaluations", "person_id", "persons"))
                .foreign_key(&mut fk("evaluations", "unit_id", "units"))
                .foreign_key(&mut fk("evaluations", "evaluated_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_evaluations_person_id_year_kind_idx")
                .table("evaluations")
                .col("person_id")
                .col("year")
                .col("kind")
                .col("idx")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_evaluations_unit_id_year")
                .table("evaluations")
                .col("unit_id")
                .col("year")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("assessment_settings")
                .col(pk_uuid("unit_id"))
                .col(string_len("aggregation", 16))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("assessment_settings", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["assessment_settings", "evaluations"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
