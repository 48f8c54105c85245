//! The `code_sets` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "code_sets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub key: String,
    pub scope: String,
    pub unit_id: Option<Uuid>,
    pub version: i32,
    pub status: String,
    pub title_vi: String,
    pub title_en: Option<String>,
    pub normative: bool,
    pub document: String,
    pub article: Option<String>,
    pub confidence: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub content_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
