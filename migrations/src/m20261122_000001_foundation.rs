//! Foundation tables: units, successors, unit calendar days, persons, employments, users, role
//! grants, sessions, code sets and items, the audit chain and its head.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000001_foundation"
    }
}

/// Tables in creation order; dropped in reverse.
const TABLES: [&str; 12] = [
    "units",
    "unit_successors",
    "unit_calendar_days",
    "persons",
    "employments",
    "users",
    "role_grants",
    "sessions",
    "code_sets",
    "code_items",
    "audit_events",
    "audit_head",
];

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
    stmt.name(format!(
        "{}_{}_{}",
        if unique { "uq" } else { "ix" },
        table,
        cols.join("_")
    ))
    .table(table);
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("units")
                .col(pk_uuid("id"))
                .col(string_len_uniq("code", 32))
                .col(string_len("name", 255))
                .col(string_len("name_folded", 255))
                .col(string_len("kind", 32))
                .col(uuid_null("parent_id"))
                .col(string_len_uniq("path", 1024))
                .col(date("valid_from"))
                .col(date_null("valid_to"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("units", "parent_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("units", &["parent_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("unit_successors")
                .col(pk_uuid("id"))
                .col(uuid("predecessor_id"))
                .col(uuid("successor_id"))
                .col(date("effective_on"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("unit_successors", "predecessor_id", "units"))
                .foreign_key(&mut fk("unit_successors", "successor_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "unit_successors",
            &["predecessor_id", "successor_id"],
            true,
        ))
        .await?;
        m.create_index(index("unit_successors", &["successor_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("unit_calendar_days")
                .col(pk_uuid("id"))
                .col(uuid("unit_id"))
                .col(date("day"))
                .col(string_len("kind", 16))
                .col(string_len("name", 255))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("unit_calendar_days", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("unit_calendar_days", &["unit_id", "day"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("persons")
                .col(pk_uuid("id"))
                .col(string_len_uniq("staff_code", 32))
                .col(string_len("full_name", 150))
                .col(string_len("name_folded", 150))
                .col(date_null("date_of_birth"))
                .col(string_len_null("email", 254))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("persons", &["name_folded"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("employments")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                .col(uuid("unit_id"))
                .col(string_len("category", 32))
                .col(string_len("position", 150))
                .col(boolean("is_leader"))
                .col(date("valid_from"))
                .col(date_null("valid_to"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("employments", "person_id", "persons"))
                .foreign_key(&mut fk("employments", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("employments", &["person_id", "valid_from"], true))
            .await?;
        m.create_index(index("employments", &["unit_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(pk_uuid("id"))
                .col(string_len_uniq("username", 64))
                .col(string_len("password_hash", 255))
                .col(boolean("superadmin"))
                .col(uuid_null("person_id"))
                .col(boolean("disabled"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("users", "person_id", "persons"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("role_grants")
                .col(pk_uuid("id"))
                .col(uuid("user_id"))
                .col(uuid("unit_id"))
                .col(string_len("role", 32))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("role_grants", "user_id", "users"))
                .foreign_key(&mut fk("role_grants", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("role_grants", &["user_id", "unit_id", "role"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("sessions")
                .col(string_len("token_hash", 64).primary_key())
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("code_sets")
                .col(pk_uuid("id"))
                .col(string_len("key", 40))
                .col(string_len("scope", 40))
                .col(uuid_null("unit_id"))
                .col(integer("version"))
                .col(string_len("status", 16))
                .col(string_len("title_vi", 255))
                .col(string_len_null("title_en", 255))
                .col(boolean("normative"))
                .col(string_len("document", 200))
                .col(string_len_null("article", 200))
                .col(string_len("confidence", 1))
                .col(date("valid_from"))
                .col(date_null("valid_to"))
                .col(string_len_null("content_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone_null("retired_at"))
                .foreign_key(&mut fk("code_sets", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("code_sets", &["key", "scope", "version"], true))
            .await?;
        m.create_index(index("code_sets", &["unit_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("code_items")
                .col(pk_uuid("id"))
                .col(uuid("code_set_id"))
                .col(integer("position"))
                .col(string_len("code", 16))
                .col(string_len("group_name", 100))
                .col(text("text_vi"))
                .col(text_null("text_en"))
                .col(string_len("document", 200))
                .col(string_len_null("article", 200))
                .col(string_len("confidence", 1))
                .col(string_len("default_severity", 16))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_code_items_code_set_id")
                        .from("code_items", "code_set_id")
                        .to("code_sets", "id")
                        .on_delete(ForeignKeyAction::Cascade)
                        .on_update(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("code_items", &["code_set_id", "code"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("audit_events")
                .col(big_integer("seq").primary_key())
                .col(timestamp_with_time_zone("at"))
                .col(string_len("actor", 100))
                .col(string_len("action", 100))
                .col(string_len("object_type", 50))
                .col(string_len("object_id", 100))
                .col(text("reason"))
                .col(text("change"))
                .col(string_len("digest", 64))
                .col(string_len("prev_hash", 64))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_events", &["object_type", "object_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string_len("hash", 64))
                .to_owned(),
        )
        .await?;
        let genesis = "0".repeat(64);
        let mut head = Query::insert();
        head.into_table("audit_head").columns(["id", "seq", "hash"]);
        head.values([1.into(), 0i64.into(), genesis.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?;
        m.exec_stmt(head).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).to_owned()).await?;
        }
        Ok(())
    }
}
