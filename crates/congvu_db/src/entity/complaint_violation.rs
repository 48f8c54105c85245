//! The `complaint_violations` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_violations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub complaint_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub violation_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
