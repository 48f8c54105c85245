//! Turns an actor's [`Reach`] into SQL conditions on unit paths, so every scoped query filters in
//! the database and out-of-scope rows never leave it.

use congvu_core::policy::Reach;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition};

use crate::entity::{employment, person, unit};

/// Units whose path starts with one of the reach's prefixes.
pub(crate) fn units(reach: &Reach) -> Condition {
    match reach {
        Reach::All => Condition::all(),
        Reach::Subtrees(prefixes) if prefixes.is_empty() => {
            Condition::all().add(Expr::val(1).eq(0))
        }
        Reach::Subtrees(prefixes) => prefixes.iter().fold(Condition::any(), |c, p| {
            c.add(unit::Column::Path.like(format!("{p}%")))
        }),
    }
}

/// The IDs of units in reach, as a sub-query.
pub(crate) fn unit_ids(reach: &Reach) -> SelectStatement {
    Query::select()
        .column(unit::Column::Id)
        .from(unit::Entity)
        .cond_where(units(reach))
        .to_owned()
}

/// Persons with any employment slice in a unit in reach: a correlated `EXISTS`, so a list ordered
/// by name stops after its page instead of first collecting every person in reach.
pub(crate) fn person_in_reach(reach: &Reach) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(employment::Entity)
            .inner_join(
                unit::Entity,
                Expr::col((unit::Entity, unit::Column::Id))
                    .equals((employment::Entity, employment::Column::UnitId)),
            )
            .and_where(
                Expr::col((employment::Entity, employment::Column::PersonId))
                    .equals((person::Entity, person::Column::Id)),
            )
            .cond_where(units(reach))
            .to_owned(),
    )
}

/// The IDs of a unit and every unit below it (by path prefix), as a sub-query: the filter behind
/// "in this unit and its sub-units".
pub(crate) fn subtree_ids(path: &str) -> SelectStatement {
    Query::select()
        .column((unit::Entity, unit::Column::Id))
        .from(unit::Entity)
        .and_where(unit::Column::Path.like(format!("{path}%")))
        .to_owned()
}
