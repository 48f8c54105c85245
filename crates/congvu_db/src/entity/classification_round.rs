//! The `classification_rounds` table: one decision on a unit's year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "classification_rounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub version: i32,
    pub state: String,
    pub unit_level: Option<String>,
    pub replaces_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub finalised_by: Option<Uuid>,
    pub finalised_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
