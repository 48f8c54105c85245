//! The `emulation_awards` table: a title awarded, and its revocation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "emulation_awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_kind: String,
    pub subject_id: Uuid,
    pub year: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub decision: String,
    pub decided_on: Date,
    pub amount: Option<i64>,
    pub historic: bool,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub revoked_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub revoke_reason: Option<String>,
    pub revoked_by: Option<Uuid>,
    pub active_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
