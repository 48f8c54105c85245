//! Discipline cases: the confirmed violations considered together, the procedure's steps (replayed
//! through the domain's state machine on read), pauses of the clocks, the decision, its annulment,
//! the documents of each step, and the relationships staff declare (for the council's
//! conflict-of-interest check).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000004_discipline_cases"
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

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{}_{}", table, cols.join("_")))
        .table(table);
    if unique {
        stmt.unique();
    }
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
                .table("discipline_cases")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                .col(uuid("unit_id"))
                .col(uuid("competent_unit_id"))
                .col(string_len("regime", 32))
                .col(text("regime_reason"))
                .col(date("opened_on"))
                .col(string_len("stage", 32))
                .col(date_null("extended_on"))
                .col(text_null("extension_reason"))
                .col(string_len_null("party_form", 16))
                .col(date_null("party_announced_on"))
                .col(string_len_null("decision_number", 64))
                .col(string_len_null("decision_form", 32))
                .col(uuid_null("signer_id"))
                .col(date_null("signed_on"))
                .col(date_null("effective_on"))
                .col(date_null("annulled_on"))
                .col(text_null("annulment_ruling"))
                .col(date_null("ruling_on"))
                .col(date_null("announced_on"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("discipline_cases", "person_id", "persons"))
                .foreign_key(&mut fk("discipline_cases", "unit_id", "units"))
                .foreign_key(&mut fk("discipline_cases", "competent_unit_id", "units"))
                .foreign_key(&mut fk("discipline_cases", "signer_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("discipline_cases", &["unit_id", "stage"], false))
            .await?;
        m.create_index(index("discipline_cases", &["person_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("case_violations")
                .col(uuid("case_id"))
                .col(uuid("violation_id"))
                .col(boolean("mitigating"))
                .col(boolean("aggravating"))
                .col(string_len_null("no_limitation", 32))
                .primary_key(Index::create().col("case_id").col("violation_id"))
                .foreign_key(&mut fk("case_violations", "case_id", "discipline_cases"))
                .foreign_key(&mut fk("case_violations", "violation_id", "violations"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_violations", &["violation_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("case_steps")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(integer("seq"))
                .col(string_len("kind", 32))
                .col(date("on_date"))
                .col(text("detail"))
                .col(text("reason"))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("case_steps", "case_id", "discipline_cases"))
                .foreign_key(&mut fk("case_steps", "recorded_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_steps", &["case_id", "seq"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("case_pauses")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(string_len("reason", 32))
                .col(boolean("asked_in_writing"))
                .col(date("from_date"))
                .col(date_null("to_date"))
                .col(text("note"))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("case_pauses", "case_id", "discipline_cases"))
                .foreign_key(&mut fk("case_pauses", "recorded_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_pauses", &["case_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("case_documents")
                .col(pk_uuid("id"))
                .col(uuid("case_id"))
                .col(string_len("kind", 32))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(blob("data"))
                .col(uuid("uploaded_by"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("case_documents", "case_id", "discipline_cases"))
                .foreign_key(&mut fk("case_documents", "uploaded_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_documents", &["case_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("person_relations")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                .col(uuid("relative_id"))
                .col(string_len("kind", 32))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("person_relations", "person_id", "persons"))
                .foreign_key(&mut fk("person_relations", "relative_id", "persons"))
                .foreign_key(&mut fk("person_relations", "recorded_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "person_relations",
            &["person_id", "relative_id"],
            true,
        ))
        .await?;
        m.create_index(index("person_relations", &["relative_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "person_relations",
            "case_documents",
            "case_pauses",
            "case_steps",
            "case_violations",
            "discipline_cases",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
