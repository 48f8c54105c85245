//! The `discipline_cases` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: Uuid,
    pub competent_unit_id: Uuid,
    pub regime: String,
    #[sea_orm(column_type = "Text")]
    pub regime_reason: String,
    pub opened_on: Date,
    pub stage: String,
    pub extended_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub extension_reason: Option<String>,
    pub party_form: Option<String>,
    pub party_announced_on: Option<Date>,
    pub decision_number: Option<String>,
    pub decision_form: Option<String>,
    pub signer_id: Option<Uuid>,
    pub signed_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub annulled_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub annulment_ruling: Option<String>,
    pub ruling_on: Option<Date>,
    pub announced_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
