//! The `violations` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "violations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    pub code_set_id: Uuid,
    pub item_code: String,
    pub source: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub discovered_on: Date,
    pub place: Option<String>,
    pub consequence: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub commitment_campaign_id: Option<Uuid>,
    pub commitment_item_code: Option<String>,
    pub commitment_template_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
