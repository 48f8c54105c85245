//! A unit's own calendar days (provincial holidays, local make-up days), laid over the national
//! calendar for the unit and its sub-units.

use chrono::{DateTime, Utc};
use congvu_core::calendar::{DayKind, SpecialDay};
use congvu_core::ids::UnitId;
use congvu_core::legal::Confidence;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::DbError;
use crate::entity::unit_calendar_day;

/// Stores a unit's day; a second entry for the same day is a conflict.
pub async fn insert_day(
    txn: &impl ConnectionTrait,
    unit: UnitId,
    day: &SpecialDay,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    unit_calendar_day::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(unit.as_uuid()),
        day: Set(day.date),
        kind: Set(day.kind.code().to_owned()),
        name: Set(day.name.clone()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The days of these units in the order given (ancestors first, so nearer units win when laid over).
pub async fn days_for(
    db: &impl ConnectionTrait,
    ancestry: &[UnitId],
) -> Result<Vec<(UnitId, SpecialDay)>, DbError> {
    let rows = unit_calendar_day::Entity::find()
        .filter(unit_calendar_day::Column::UnitId.is_in(ancestry.iter().map(|u| u.as_uuid())))
        .order_by_asc(unit_calendar_day::Column::Day)
        .all(db)
        .await?;
    let mut days = rows
        .into_iter()
        .map(|r| {
            let kind = DayKind::parse(&r.kind)
                .ok_or_else(|| DbError::corrupt("calendar day kind", &r.kind))?;
            Ok((
                UnitId::from(r.unit_id),
                SpecialDay {
                    date: r.day,
                    kind,
                    name: r.name,
                    confidence: Confidence::Verified,
                },
            ))
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    days.sort_by_key(|(unit, _)| ancestry.iter().position(|a| a == unit));
    Ok(days)
}
