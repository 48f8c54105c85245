//! The `complaints` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub receipt_hash: String,
    pub unit_id: Uuid,
    pub subject_person_id: Option<Uuid>,
    pub subject_text: Option<String>,
    pub claimed_kind: Option<String>,
    pub kind: String,
    pub variant: String,
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub occurred_on: Option<Date>,
    pub place: Option<String>,
    pub dossier_code: Option<String>,
    pub anonymous: bool,
    #[sea_orm(column_type = "Blob", nullable)]
    pub identity_sealed: Option<Vec<u8>>,
    pub notify: bool,
    pub received_on: Date,
    pub accepted_on: Option<Date>,
    pub extensions: i32,
    pub outcome: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conclusion: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
