//! Year-end classification and emulation (brief §4, §5, §11.4, §11.5): a unit's classification
//! rounds (a draft the officers propose in, finalised by the head, replaced by a later decision
//! linked to it) with one entry per person; the facts classification reads that live nowhere else
//! (leave, degeneration conclusions, a managed unit's corruption sanction); the criteria results
//! of the years Decree 90/2020 governed; emulation
//! registrations, recognised initiatives, inspections and investigations in progress, and awards
//! with their revocation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000010_classification"
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
    let mut i = Index::create();
    i.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table);
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

fn rounds() -> TableCreateStatement {
    Table::create()
        .table("classification_rounds")
        .col(pk_uuid("id"))
        .col(uuid("unit_id"))
        .col(integer("year"))
        // 1 for the first decision of the unit's year, +1 for each replacement.
        .col(integer("version"))
        // draft | final | replaced
        .col(string_len("state", 16))
        // The unit's own rating as its managing body gave it (a level code), once known.
        .col(string_len_null("unit_level", 8))
        .col(uuid_null("replaces_id"))
        .col(text("reason"))
        .col(uuid("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(uuid_null("finalised_by"))
        .col(timestamp_with_time_zone_null("finalised_at"))
        .foreign_key(&mut fk("classification_rounds", "unit_id", "units"))
        .foreign_key(&mut fk(
            "classification_rounds",
            "replaces_id",
            "classification_rounds",
        ))
        .foreign_key(&mut fk("classification_rounds", "created_by", "users"))
        .foreign_key(&mut fk("classification_rounds", "finalised_by", "users"))
        .to_owned()
}

fn entries() -> TableCreateStatement {
    Table::create()
        .table("classification_entries")
        .col(pk_uuid("id"))
        .col(uuid("round_id"))
        .col(uuid("person_id"))
        // People with similar tasks rated together (the quota's denominator).
        .col(string_len("peer_group", 64))
        .col(boolean("is_head"))
        // What congvu computed: an outcome code and its reasons (JSON owned by the db crate).
        .col(string_len("computed", 16))
        .col(text("computed_reasons"))
        .col(string_len("proposed", 16))
        .col(text_null("override_reason"))
        // The discipline case an override to KHT used, so the decision does not count again.
        .col(uuid_null("used_case_id"))
        .col(uuid_null("updated_by"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk(
            "classification_entries",
            "round_id",
            "classification_rounds",
        ))
        .foreign_key(&mut fk("classification_entries", "person_id", "persons"))
        .foreign_key(&mut fk(
            "classification_entries",
            "used_case_id",
            "discipline_cases",
        ))
        .to_owned()
}

fn facts() -> TableCreateStatement {
    Table::create()
        .table("assessment_facts")
        .col(pk_uuid("id"))
        .col(uuid("person_id"))
        .col(integer("year"))
        // leave_protected | leave_unpaid | degeneration | managed_unit_corruption |
        // corruption_self_remedied
        .col(string_len("kind", 32))
        .col(date_null("from_on"))
        .col(date_null("to_on"))
        // The document it rests on (decision number, conclusion…).
        .col(text("reference"))
        .col(uuid("recorded_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("assessment_facts", "person_id", "persons"))
        .foreign_key(&mut fk("assessment_facts", "recorded_by", "users"))
        .to_owned()
}

fn criteria_results() -> TableCreateStatement {
    Table::create()
        .table("criteria_results")
        .col(pk_uuid("id"))
        .col(uuid("person_id"))
        // The unit the person worked in at the year's end.
        .col(uuid("unit_id"))
        .col(integer("year"))
        .col(string_len("regime", 32))
        // Decree 90/2020's criteria, in percent.
        .col(boolean("general_met"))
        .col(integer("tasks_done_pct"))
        .col(integer("exceeded_pct"))
        .col(integer("shortfall_pct"))
        .col(integer("unmet_pct"))
        .col(uuid("recorded_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("criteria_results", "person_id", "persons"))
        .foreign_key(&mut fk("criteria_results", "unit_id", "units"))
        .foreign_key(&mut fk("criteria_results", "recorded_by", "users"))
        .to_owned()
}

fn registrations() -> TableCreateStatement {
    Table::create()
        .table("emulation_registrations")
        .col(pk_uuid("id"))
        // person | unit
        .col(string_len("subject_kind", 8))
        .col(uuid("subject_id"))
        .col(integer("year"))
        .col(string_len("title", 32))
        .col(uuid("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("emulation_registrations", "created_by", "users"))
        .to_owned()
}

fn initiatives() -> TableCreateStatement {
    Table::create()
        .table("initiatives")
        .col(pk_uuid("id"))
        .col(uuid("person_id"))
        .col(integer("year"))
        // unit | province | national
        .col(string_len("scope", 16))
        .col(text("title"))
        // The recognising decision.
        .col(text("decision"))
        .col(uuid("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("initiatives", "person_id", "persons"))
        .foreign_key(&mut fk("initiatives", "created_by", "users"))
        .to_owned()
}

fn proceedings() -> TableCreateStatement {
    Table::create()
        .table("proceedings")
        .col(pk_uuid("id"))
        .col(uuid("person_id"))
        // inspection | investigation
        .col(string_len("kind", 16))
        .col(date("opened_on"))
        .col(date_null("closed_on"))
        .col(text("reference"))
        .col(uuid("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("proceedings", "person_id", "persons"))
        .foreign_key(&mut fk("proceedings", "created_by", "users"))
        .to_owned()
}

fn awards() -> TableCreateStatement {
    Table::create()
        .table("emulation_awards")
        .col(pk_uuid("id"))
        .col(string_len("subject_kind", 8))
        .col(uuid("subject_id"))
        .col(integer("year"))
        .col(string_len("title", 32))
        .col(text("decision"))
        .col(date("decided_on"))
        // Đồng; none when the multiple or the base salary of the day is not known.
        .col(big_integer_null("amount"))
        // Recorded from the years before congvu kept the records (eligibility not recomputed).
        .col(boolean("historic"))
        .col(uuid("created_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(date_null("revoked_on"))
        .col(text_null("revoke_reason"))
        .col(uuid_null("revoked_by"))
        // subject/year/title while the award stands, null once revoked: a unique index on it
        // keeps one standing award per title and year on both backends (NULLs never collide).
        .col(string_len_null("active_key", 100))
        .foreign_key(&mut fk("emulation_awards", "created_by", "users"))
        .foreign_key(&mut fk("emulation_awards", "revoked_by", "users"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            rounds(),
            entries(),
            facts(),
            criteria_results(),
            registrations(),
            initiatives(),
            proceedings(),
            awards(),
        ] {
            m.create_table(table).await?;
        }
        for i in [
            index(
                "classification_rounds",
                &["unit_id", "year", "version"],
                true,
            ),
            index("classification_entries", &["round_id", "person_id"], true),
            index("classification_entries", &["person_id"], false),
            index("assessment_facts", &["person_id", "year"], false),
            index("criteria_results", &["person_id", "year"], true),
            index(
                "emulation_registrations",
                &["subject_id", "year", "title"],
                true,
            ),
            index("initiatives", &["person_id", "year"], false),
            index("proceedings", &["person_id"], false),
            index("emulation_awards", &["subject_id", "year", "title"], false),
            index("emulation_awards", &["active_key"], true),
        ] {
            m.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "emulation_awards",
            "proceedings",
            "initiatives",
            "emulation_registrations",
            "criteria_results",
            "assessment_facts",
            "classification_entries",
            "classification_rounds",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
