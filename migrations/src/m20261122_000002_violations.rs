//! Violations of code items (pinned to the code set version), their state transitions with
//! reasons, and notes with a visibility tier.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_violations"
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

fn index(table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{}_{}", table, cols.join("_")))
        .table(table);
    for col in cols {
        stmt.col(*col);
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("violations")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                .col(uuid("unit_id"))
                .col(uuid("code_set_id"))
                .col(string_len("item_code", 16))
                .col(string_len("source", 32))
                .col(date("started_on"))
                .col(date_null("ended_on"))
                .col(date("discovered_on"))
                .col(string_len_null("place", 255))
                .col(string_len("consequence", 16))
                .col(text("description"))
                .col(string_len("state", 32))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("violations", "person_id", "persons"))
                .foreign_key(&mut fk("violations", "unit_id", "units"))
                .foreign_key(&mut fk("violations", "code_set_id", "code_sets"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("violations", &["unit_id", "state"]))
            .await?;
        m.create_index(index("violations", &["person_id"])).await?;

        m.create_table(
            Table::create()
                .table("violation_transitions")
                .col(pk_uuid("id"))
                .col(uuid("violation_id"))
                .col(string_len("from_state", 32))
                .col(string_len("to_state", 32))
                .col(text("reason"))
                .col(uuid("actor_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk(
                    "violation_transitions",
                    "violation_id",
                    "violations",
                ))
                .foreign_key(&mut fk("violation_transitions", "actor_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("violation_transitions", &["violation_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("violation_notes")
                .col(pk_uuid("id"))
                .col(uuid("violation_id"))
                .col(string_len("visibility", 16))
                .col(text("body"))
                .col(uuid("author_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("violation_notes", "violation_id", "violations"))
                .foreign_key(&mut fk("violation_notes", "author_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("violation_notes", &["violation_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["violation_notes", "violation_transitions", "violations"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
