//! Citizens' reports about staff conduct: the report (its receipt kept only as a keyed hash, the
//! complainant's identity only sealed), its timeline with a visibility tier on each entry, and the
//! idempotency keys of public submissions (the first answer kept sealed for a retry), inspectors'
//! requests to see an identity with the custodian's decision, and the violations a report proved.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000005_complaints"
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
                .table("complaints")
                .col(pk_uuid("id"))
                .col(string_len("receipt_hash", 64))
                .col(uuid("unit_id"))
                .col(uuid_null("subject_person_id"))
                .col(string_len_null("subject_text", 255))
                .col(string_len_null("claimed_kind", 16))
                .col(string_len("kind", 16))
                .col(string_len("variant", 16))
                .col(string_len("state", 32))
                .col(text("description"))
                .col(date_null("occurred_on"))
                .col(string_len_null("place", 255))
                .col(string_len_null("dossier_code", 64))
                .col(boolean("anonymous"))
                .col(blob_null("identity_sealed"))
                .col(boolean("notify"))
                .col(date("received_on"))
                .col(date_null("accepted_on"))
                .col(integer("extensions"))
                .col(string_len_null("outcome", 32))
                .col(text_null("conclusion"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("complaints", "unit_id", "units"))
                .foreign_key(&mut fk("complaints", "subject_person_id", "persons"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("complaints", &["receipt_hash"], true))
            .await?;
        m.create_index(index("complaints", &["unit_id", "state"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("complaint_events")
                .col(pk_uuid("id"))
                .col(uuid("complaint_id"))
                .col(string_len("kind", 32))
                .col(string_len("tier", 16))
                .col(text("body"))
                .col(uuid_null("actor_id"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("complaint_events", "complaint_id", "complaints"))
                .foreign_key(&mut fk("complaint_events", "actor_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("complaint_events", &["complaint_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("identity_requests")
                .col(pk_uuid("id"))
                .col(uuid("complaint_id"))
                .col(uuid("requester_id"))
                .col(text("motivation"))
                .col(string_len("state", 16))
                .col(uuid_null("decided_by"))
                .col(text_null("decision_reason"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("identity_requests", "complaint_id", "complaints"))
                .foreign_key(&mut fk("identity_requests", "requester_id", "users"))
                .foreign_key(&mut fk("identity_requests", "decided_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("identity_requests", &["complaint_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("complaint_violations")
                .col(uuid("complaint_id"))
                .col(uuid("violation_id"))
                .primary_key(Index::create().col("complaint_id").col("violation_id"))
                .foreign_key(&mut fk(
                    "complaint_violations",
                    "complaint_id",
                    "complaints",
                ))
                .foreign_key(&mut fk(
                    "complaint_violations",
                    "violation_id",
                    "violations",
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("complaint_attachments")
                .col(pk_uuid("id"))
                .col(uuid("complaint_id"))
                .col(string_len("filename", 255))
                .col(string_len("content_type", 100))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(blob("data"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk(
                    "complaint_attachments",
                    "complaint_id",
                    "complaints",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("complaint_attachments", &["complaint_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("idempotency_keys")
                .col(pk_uuid("id"))
                .col(string_len("scope", 64))
                .col(string_len("key_hash", 64))
                .col(string_len("request_hash", 64))
                .col(blob("response_sealed"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("idempotency_keys", &["scope", "key_hash"], true))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "idempotency_keys",
            "complaint_attachments",
            "complaint_violations",
            "identity_requests",
            "complaint_events",
            "complaints",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
