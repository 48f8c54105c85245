//! Yearly commitments: versioned templates (immutable once published, with their content hash),
//! campaigns (unit × year × template version), the append-only signing events with the scans of
//! paper signatures, the digests sent to unit heads, and a violation's citation of the commitment
//! item it breaks. Who is asked to sign is computed from employments, not stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000008_commitments"
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
                .table("commitment_templates")
                .col(pk_uuid("id"))
                .col(uuid("unit_id"))
                // The first version's id: every revision of a template shares it.
                .col(uuid("family_id"))
                .col(integer("version"))
                .col(integer("year"))
                .col(string_len("title", 300))
                .col(text("items"))
                .col(string_len("state", 16))
                .col(string_len_null("content_hash", 64))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(&mut fk("commitment_templates", "unit_id", "units"))
                .foreign_key(&mut fk("commitment_templates", "created_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "commitment_templates",
            &["family_id", "version"],
            true,
        ))
        .await?;
        m.create_index(index("commitment_templates", &["unit_id", "year"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("commitment_campaigns")
                .col(pk_uuid("id"))
                .col(uuid("unit_id"))
                .col(integer("year"))
                .col(uuid("template_id"))
                .col(date("launched_on"))
                .col(date("due_on"))
                // Days a person who joins after the launch has to sign, from the day they join.
                .col(integer("joiner_days"))
                .col(uuid("launched_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("commitment_campaigns", "unit_id", "units"))
                .foreign_key(&mut fk(
                    "commitment_campaigns",
                    "template_id",
                    "commitment_templates",
                ))
                .foreign_key(&mut fk("commitment_campaigns", "launched_by", "users"))
                .to_owned(),
        )
        .await?;
        // One campaign per unit and year.
        m.create_index(index("commitment_campaigns", &["unit_id", "year"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("commitment_events")
                .col(pk_uuid("id"))
                .col(uuid("campaign_id"))
                // Recording order within the campaign, assigned under the campaign's row lock.
                .col(big_integer("seq"))
                .col(uuid("person_id"))
                .col(string_len("kind", 16))
                .col(uuid_null("template_id"))
                .col(string_len_null("template_hash", 64))
                .col(date("on_date"))
                .col(boolean("paper"))
                .col(text_null("reason"))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .foreign_key(&mut fk(
                    "commitment_events",
                    "campaign_id",
                    "commitment_campaigns",
                ))
                .foreign_key(&mut fk("commitment_events", "person_id", "persons"))
                .foreign_key(&mut fk(
                    "commitment_events",
                    "template_id",
                    "commitment_templates",
                ))
                .foreign_key(&mut fk("commitment_events", "recorded_by", "users"))
                .to_owned(),
        )
        .await?;
        // A person's events in order (the `seq` in it keeps planners without statistics from
        // scanning the whole campaign through the `(campaign_id, seq)` index).
        m.create_index(index(
            "commitment_events",
            &["campaign_id", "person_id", "seq"],
            false,
        ))
        .await?;
        m.create_index(index("commitment_events", &["campaign_id", "seq"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("commitment_scans")
                .col(pk_uuid("event_id"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(string_len("sha256", 64))
                .col(blob("bytes"))
                .foreign_key(&mut fk("commitment_scans", "event_id", "commitment_events"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("commitment_digests")
                .col(uuid("campaign_id"))
                .col(uuid("unit_id"))
                .col(date("on_date"))
                .col(uuid("outbox_id"))
                .col(integer("outstanding"))
                .primary_key(
                    Index::create()
                        .col("campaign_id")
                        .col("unit_id")
                        .col("on_date"),
                )
                .foreign_key(&mut fk(
                    "commitment_digests",
                    "campaign_id",
                    "commitment_campaigns",
                ))
                .foreign_key(&mut fk("commitment_digests", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per ALTER and no foreign key to an existing table; the service
        // checks the campaign when a violation cites it.
        m.alter_table(
            Table::alter()
                .table("violations")
                .add_column(uuid_null("commitment_campaign_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("violations")
                .add_column(string_len_null("commitment_item_code", 20))
                .to_owned(),
        )
        .await?;
        // The template version whose item is cited: the citation is pinned like a code item.
        m.alter_table(
            Table::alter()
                .table("violations")
                .add_column(uuid_null("commitment_template_id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "commitment_template_id",
            "commitment_item_code",
            "commitment_campaign_id",
        ] {
            m.alter_table(
                Table::alter()
                    .table("violations")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            "commitment_digests",
            "commitment_scans",
            "commitment_events",
            "commitment_campaigns",
            "commitment_templates",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
