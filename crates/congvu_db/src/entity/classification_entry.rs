//! The `classification_entries` table: one person's result in a round.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "classification_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub person_id: Uuid,
    pub peer_group: String,
    pub is_head: bool,
    pub computed: String,
    #[sea_orm(column_type = "Text")]
    pub computed_reasons: String,
    pub proposed: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub override_reason: Option<String>,
    pub used_case_id: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
