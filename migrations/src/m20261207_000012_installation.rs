//! Facts about the installation that every node must agree on, one row per name: today the
//! fingerprint of the key ring receipts are hashed and identities sealed with (issue 20 §3), so a
//! node started with other keys refuses to start instead of silently sealing what no other node
//! can open.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000012_installation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("installation")
                .col(string_len("name", 64).primary_key())
                .col(text("value"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("installation").to_owned())
            .await
    }
}
