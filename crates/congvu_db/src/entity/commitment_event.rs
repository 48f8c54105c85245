//! The `commitment_events` table: signing events, appended and never changed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitment_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub seq: i64,
    pub person_id: Uuid,
    pub kind: String,
    pub template_id: Option<Uuid>,
    pub template_hash: Option<String>,
    pub on_date: Date,
    pub paper: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub recorded_by: Uuid,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
