//! The `code_items` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "code_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code_set_id: Uuid,
    pub position: i32,
    pub code: String,
    pub group_name: String,
    pub text_vi: String,
    pub text_en: Option<String>,
    pub document: String,
    pub article: Option<String>,
    pub confidence: String,
    pub default_severity: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
