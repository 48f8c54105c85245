//! The `letters` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "letters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub cause: String,
    pub form_key: String,
    pub state: String,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    pub dossier_code: Option<String>,
    pub violation_id: Option<Uuid>,
    pub complaint_id: Option<Uuid>,
    pub number_year: Option<i32>,
    pub number_seq: Option<i32>,
    pub number: Option<String>,
    pub issued_on: Option<Date>,
    pub issued_by: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub signature: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub warnings: Option<String>,
    #[sea_orm(column_type = "Blob", nullable)]
    pub pdf: Option<Vec<u8>>,
    #[sea_orm(column_type = "Text", nullable)]
    pub html: Option<String>,
    pub pdf_sha256: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub revoke_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
