//! The `evaluations` table: one person's scores for one period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub kind: String,
    pub idx: i32,
    pub month_from: i32,
    pub month_to: i32,
    pub regime: String,
    pub general: i32,
    pub tasks: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub products: Option<String>,
    pub evaluated_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
