//! Apology letters: each unit's letterhead, the letters with their content, signature, number and
//! rendered PDF and HTML, the per-body yearly number counters that make numbering gap-free, and a link from
//! an outbox message to the letter it carries and the lease of the relay sending it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000007_letters"
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
                .table("letterheads")
                .col(pk_uuid("unit_id"))
                .col(string_len_null("parent", 300))
                .col(string_len("body", 300))
                .col(string_len("symbol", 20))
                .col(string_len("place", 100))
                .col(string_len("archive", 50))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("letterheads", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("letters")
                .col(pk_uuid("id"))
                .col(uuid("unit_id"))
                .col(string_len("cause", 32))
                .col(string_len("form_key", 64))
                .col(string_len("state", 16))
                .col(text("content"))
                .col(string_len_null("dossier_code", 100))
                .col(uuid_null("violation_id"))
                .col(uuid_null("complaint_id"))
                .col(integer_null("number_year"))
                .col(integer_null("number_seq"))
                .col(string_len_null("number", 64))
                .col(date_null("issued_on"))
                .col(uuid_null("issued_by"))
                .col(text_null("signature"))
                .col(text_null("warnings"))
                .col(blob_null("pdf"))
                .col(text_null("html"))
                .col(string_len_null("pdf_sha256", 64))
                .col(text_null("revoke_reason"))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("letters", "unit_id", "units"))
                .foreign_key(&mut fk("letters", "violation_id", "violations"))
                .foreign_key(&mut fk("letters", "complaint_id", "complaints"))
                .foreign_key(&mut fk("letters", "issued_by", "users"))
                .foreign_key(&mut fk("letters", "created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("letters", &["unit_id", "state"], false))
            .await?;
        m.create_index(index("letters", &["unit_id", "dossier_code"], false))
            .await?;
        // Decree 30/2020 Art. 15: one number per issuing body per year, never two letters on it.
        m.create_index(index(
            "letters",
            &["unit_id", "number_year", "number_seq"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("letter_counters")
                .col(uuid("unit_id"))
                .col(integer("year"))
                .col(integer("last"))
                .primary_key(Index::create().col("unit_id").col("year"))
                .foreign_key(&mut fk("letter_counters", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        // SQLite cannot add a foreign key to an existing table; the relay joins on it instead.
        // SQLite also adds one column per ALTER.
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(uuid_null("letter_id"))
                .to_owned(),
        )
        .await?;
        // The lease of the relay that claimed the message (none when it is not being sent).
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(timestamp_with_time_zone_null("claimed_until"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox", &["letter_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_outbox_letter_id")
                .table("outbox")
                .to_owned(),
        )
        .await?;
        for column in ["claimed_until", "letter_id"] {
            m.alter_table(
                Table::alter()
                    .table("outbox")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for table in ["letter_counters", "letters", "letterheads"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
