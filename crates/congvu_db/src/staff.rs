//! Staff: persons and their employment slices; scoped reads answer "who is in reach, employed how,
//! on date D".

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use congvu_core::ids::{EmploymentId, PersonId, UnitId};
use congvu_core::legal::Validity;
use congvu_core::policy::Reach;
use congvu_core::staff::{Category, Employment, NewEmployment, NewPerson};
use congvu_core::text;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::bulk::{self, Field};
use crate::entity::{employment, person};
use crate::unit::contains;
use crate::{DbError, Page, scope};

/// A stored person with their employment history (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: PersonId,
    pub staff_code: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub email: Option<String>,
    pub employments: Vec<Employment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whose rows a batched read keeps: people listed by id, or the people employed directly in some
/// units on a day, picked by the database itself so that a province's 100,000 ids need not travel
/// to it (each row of the read table is probed against the employments instead).
#[derive(Debug, Clone, Copy)]
pub enum Members<'a> {
    Persons(&'a [PersonId]),
    EmployedIn(&'a [UnitId], NaiveDate),
}

impl Members<'_> {
    /// Ids a statement binds at most (well under both backends' bound-parameter limits).
    const CHUNK: usize = 1000;
    /// Units a probe names at most.
    const UNITS: usize = 10_000;

    /// The conditions, one a statement, that between them keep every row whose `column` (a
    /// person id) names a member. When there are several, a row can pass two of them (a person
    /// employed in units of two chunks): callers drop the repeats.
    pub(crate) fn probes<C>(&self, column: C) -> Vec<Condition>
    where
        C: IntoColumnRef + Clone,
    {
        match *self {
            Members::Persons(persons) => persons
                .chunks(Self::CHUNK)
                .map(|chunk| {
                    Condition::all()
                        .add(Expr::col(column.clone()).is_in(chunk.iter().map(|p| p.as_uuid())))
                })
                .collect(),
            Members::EmployedIn(units, day) => units
                .chunks(Self::UNITS)
                .map(|chunk| Condition::all().add(employed_in(column.clone(), chunk, day)))
                .collect(),
        }
    }
}

/// `EXISTS` an employment of the person in `column` directly in one of `units` on `day`.
fn employed_in<C: IntoColumnRef>(column: C, units: &[UnitId], day: NaiveDate) -> Expr {
    const MEMBER: &str = "member";
    let valid_to = (MEMBER, employment::Column::ValidTo);
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(employment::Entity, MEMBER)
            .and_where(Expr::col((MEMBER, employment::Column::PersonId)).equals(column))
            .and_where(
                Expr::col((MEMBER, employment::Column::UnitId))
                    .is_in(units.iter().map(|u| u.as_uuid())),
            )
            .and_where(Expr::col((MEMBER, employment::Column::ValidFrom)).lte(day))
            .and_where(
                Expr::col(valid_to)
                    .is_null()
                    .or(Expr::col(valid_to).gte(day)),
            )
            .to_owned(),
    )
}

/// Filters for [`list`]; unit and category apply to the slice in force on `on`.
#[derive(Debug, Clone)]
pub struct StaffFilter {
    pub query: Option<String>,
    /// The path of a unit: staff employed in it or below it.
    pub unit_path: Option<String>,
    pub category: Option<Category>,
    pub on: NaiveDate,
}

/// Who may be seen: persons employed (at any time) in a unit in reach, plus the caller's own record.
fn visible(reach: &Reach, own: Option<PersonId>) -> Condition {
    if matches!(reach, Reach::All) {
        return Condition::all();
    }
    let mut cond = Condition::any().add(scope::person_in_reach(reach));
    if let Some(own) = own {
        cond = cond.add(person::Column::Id.eq(own.as_uuid()));
    }
    cond
}

/// Inserts a person.
pub async fn insert_person(
    txn: &impl ConnectionTrait,
    id: PersonId,
    new: &NewPerson,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    person_model(id, new, now).insert(txn).await?;
    Ok(())
}

/// Updates a person's own fields (not the staff code) when they differ from `current`; returns
/// whether anything changed.
pub async fn update_person(
    txn: &impl ConnectionTrait,
    current: &PersonRecord,
    new: &NewPerson,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let unchanged = current.full_name == new.full_name
        && current.date_of_birth == new.date_of_birth
        && current.email == new.email;
    if unchanged {
        return Ok(false);
    }
    person::Entity::update_many()
        .col_expr(person::Column::FullName, Expr::value(new.full_name.clone()))
        .col_expr(
            person::Column::NameFolded,
            Expr::value(text::fold(&new.full_name)),
        )
        .col_expr(person::Column::DateOfBirth, Expr::value(new.date_of_birth))
        .col_expr(person::Column::Email, Expr::value(new.email.clone()))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(current.id.as_uuid()))
        .exec(txn)
        .await?;
    Ok(true)
}

/// A person and their first employment slice, for [`insert_people`].
#[derive(Debug, Clone, Copy)]
pub struct NewStaff<'a> {
    pub id: PersonId,
    pub person: &'a NewPerson,
    pub employment_id: EmploymentId,
    pub employment: &'a NewEmployment,
}

/// Inserts many people with their first slices in a few statements (bulk import).
pub async fn insert_people(
    txn: &impl ConnectionTrait,
    rows: &[NewStaff<'_>],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    /// Rows per INSERT, far below both backends' bound-parameter limits.
    const CHUNK: usize = 500;
    // Every person before any slice: a slice's foreign key names its person.
    let mut people = rows.iter().map(|r| Ok(person_model(r.id, r.person, now)));
    crate::bulk::insert(txn, CHUNK, &mut people).await?;
    let mut slices = rows
        .iter()
        .map(|r| Ok(employment_model(r.employment_id, r.id, r.employment, now)));
    crate::bulk::insert(txn, CHUNK, &mut slices).await
}

fn person_model(id: PersonId, new: &NewPerson, now: DateTime<Utc>) -> person::ActiveModel {
    person::ActiveModel {
        id: Set(id.as_uuid()),
        staff_code: Set(new.staff_code.clone()),
        full_name: Set(new.full_name.clone()),
        name_folded: Set(text::fold(&new.full_name)),
        date_of_birth: Set(new.date_of_birth),
        email: Set(new.email.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn employment_model(
    id: EmploymentId,
    person: PersonId,
    new: &NewEmployment,
    now: DateTime<Utc>,
) -> employment::ActiveModel {
    employment::ActiveModel {
        id: Set(id.as_uuid()),
        person_id: Set(person.as_uuid()),
        unit_id: Set(new.unit.as_uuid()),
        category: Set(new.category.code().to_owned()),
        position: Set(new.position.clone()),
        is_leader: Set(new.is_leader),
        valid_from: Set(new.validity.from()),
        valid_to: Set(new.validity.to()),
        created_at: Set(now),
    }
}

/// Inserts an employment slice.
pub async fn insert_employment(
    txn: &impl ConnectionTrait,
    id: EmploymentId,
    person: PersonId,
    new: &NewEmployment,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    employment_model(id, person, new, now).insert(txn).await?;
    Ok(())
}

/// Closes a slice on `last_day`.
pub async fn close_employment(
    txn: &impl ConnectionTrait,
    id: EmploymentId,
    last_day: NaiveDate,
) -> Result<(), DbError> {
    let model = employment::Entity::find_by_id(id.as_uuid())
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    let mut model = model.into_active_model();
    model.valid_to = Set(Some(last_day));
    model.update(txn).await?;
    Ok(())
}

/// A person in reach (or the caller's own record), with history.
pub async fn find(
    db: &impl ConnectionTrait,
    reach: &Reach,
    own: Option<PersonId>,
    id: PersonId,
) -> Result<PersonRecord, DbError> {
    load_one(
        db,
        person::Entity::find_by_id(id.as_uuid()).filter(visible(reach, own)),
    )
    .await
}

/// A person in reach with their full history, locked for the rest of the transaction so an
/// employment change plans against the state it writes over.
pub async fn find_for_update(
    txn: &impl ConnectionTrait,
    reach: &Reach,
    own: Option<PersonId>,
    id: PersonId,
) -> Result<PersonRecord, DbError> {
    let select = person::Entity::find_by_id(id.as_uuid())
        .filter(visible(reach, own))
        .lock(sea_orm::sea_query::LockType::Update);
    load_one(txn, select).await
}

async fn load_one(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<person::Entity>,
) -> Result<PersonRecord, DbError> {
    let model = select.one(db).await?.ok_or(DbError::NotFound)?;
    with_employments(db, vec![model])
        .await?
        .pop()
        .ok_or(DbError::NotFound)
}

/// The person with this staff code, unscoped (import and uniqueness checks).
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    staff_code: &str,
) -> Result<Option<PersonRecord>, DbError> {
    let Some(model) = person::Entity::find()
        .filter(person::Column::StaffCode.eq(staff_code))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(with_employments(db, vec![model]).await?.pop())
}

/// Persons with these staff codes, unscoped, keyed by code (for batch import).
pub async fn find_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, PersonRecord>, DbError> {
    let models = person::Entity::find()
        .filter(person::Column::StaffCode.is_in(codes.iter().cloned()))
        .all(db)
        .await?;
    Ok(with_employments(db, models)
        .await?
        .into_iter()
        .map(|p| (p.staff_code.clone(), p))
        .collect())
}

/// Persons in reach, filtered, ordered by folded name; two queries whatever the page size.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    own: Option<PersonId>,
    filter: &StaffFilter,
    page: Page,
) -> Result<Vec<PersonRecord>, DbError> {
    let mut select = person::Entity::find().filter(visible(reach, own));
    if let Some(q) = filter
        .query
        .as_deref()
        .map(text::fold)
        .filter(|q| !q.is_empty())
    {
        select = select.filter(
            Condition::any()
                .add(person::Column::NameFolded.like(contains(&q)))
                .add(person::Column::StaffCode.like(contains(&q.to_uppercase()))),
        );
    }
    if filter.unit_path.is_some() || filter.category.is_some() {
        let mut slice = sea_orm::sea_query::Query::select();
        slice
            .column((employment::Entity, employment::Column::PersonId))
            .from(employment::Entity)
            .and_where(employment::Column::ValidFrom.lte(filter.on))
            .and_where(
                employment::Column::ValidTo
                    .is_null()
                    .or(employment::Column::ValidTo.gte(filter.on)),
            );
        if let Some(path) = &filter.unit_path {
            slice.and_where(employment::Column::UnitId.in_subquery(scope::subtree_ids(path)));
        }
        if let Some(category) = filter.category {
            slice.and_where(employment::Column::Category.eq(category.code()));
        }
        select = select.filter(person::Column::Id.in_subquery(slice.to_owned()));
    }
    let models = select
        .order_by_asc(person::Column::NameFolded)
        .order_by_asc(person::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    with_employments(db, models).await
}

async fn with_employments(
    db: &impl ConnectionTrait,
    models: Vec<person::Model>,
) -> Result<Vec<PersonRecord>, DbError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let mut by_person: HashMap<Uuid, Vec<Employment>> = HashMap::new();
    if !ids.is_empty() {
        let slices = employment::Entity::find()
            .filter(employment::Column::PersonId.is_in(ids))
            .order_by_asc(employment::Column::ValidFrom)
            .all(db)
            .await?;
        for s in slices {
            let person = s.person_id;
            by_person.entry(person).or_default().push(to_employment(s)?);
        }
    }
    Ok(models
        .into_iter()
        .map(|m| PersonRecord {
            employments: by_person.remove(&m.id).unwrap_or_default(),
            id: m.id.into(),
            staff_code: m.staff_code,
            full_name: m.full_name,
            date_of_birth: m.date_of_birth,
            email: m.email,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
        .collect())
}

fn to_employment(m: employment::Model) -> Result<Employment, DbError> {
    slice_of(
        m.id,
        m.unit_id,
        m.category,
        m.position,
        m.is_leader,
        m.valid_from,
        m.valid_to,
    )
}

/// The columns of an employment slice that [`Employment`] holds, plus its person, as a bulk
/// read writes them (see [`SLICE_FIELDS`]).
type SliceRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    String,
    String,
    bool,
    &'a str,
    Option<&'a str>,
);

const SLICE_FIELDS: [Field<employment::Column>; 8] = [
    Field::Uuid(employment::Column::Id),
    Field::Uuid(employment::Column::PersonId),
    Field::Uuid(employment::Column::UnitId),
    Field::Plain(employment::Column::Category),
    Field::Plain(employment::Column::Position),
    Field::Bool(employment::Column::IsLeader),
    Field::Plain(employment::Column::ValidFrom),
    Field::Plain(employment::Column::ValidTo),
];

/// An employment slice from its stored columns, checked as every read checks it (a known
/// category, a valid period).
fn slice_of(
    id: Uuid,
    unit: Uuid,
    category: String,
    position: String,
    is_leader: bool,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<Employment, DbError> {
    Ok(Employment {
        id: id.into(),
        unit: unit.into(),
        category: Category::parse(&category)
            .ok_or_else(|| DbError::corrupt("employment category", &category))?,
        position,
        is_leader,
        validity: Validity::new(from, to)
            .map_err(|_| DbError::corrupt("employment validity", &id.to_string()))?,
    })
}

/// A slice of a bulk read, with its person.
fn slice_of_row(row: SliceRow<'_>) -> Result<(PersonId, Employment), DbError> {
    let (id, person, unit, category, position, is_leader, from, to) = row;
    let to = to.map(bulk::date).transpose()?;
    let slice = slice_of(
        bulk::uuid(id)?,
        bulk::uuid(unit)?,
        category,
        position,
        is_leader,
        bulk::date(from)?,
        to,
    )?;
    Ok((PersonId::from_uuid(bulk::uuid(person)?), slice))
}

/// How many employment slices in `unit` run past `date`.
pub async fn employed_after(
    db: &impl ConnectionTrait,
    unit: congvu_core::ids::UnitId,
    date: NaiveDate,
) -> Result<u64, DbError> {
    use sea_orm::PaginatorTrait;
    Ok(employment::Entity::find()
        .filter(employment::Column::UnitId.eq(unit.as_uuid()))
        .filter(
            employment::Column::ValidTo
                .is_null()
                .or(employment::Column::ValidTo.gt(date)),
        )
        .count(db)
        .await?)
}

/// These people with all their employment slices (no reach check: the caller found them through
/// a unit it may see), in chunks.
pub async fn people(
    db: &impl ConnectionTrait,
    persons: &[PersonId],
) -> Result<Vec<PersonRecord>, DbError> {
    let mut out = Vec::with_capacity(persons.len());
    for chunk in persons.chunks(1000) {
        let ids: Vec<Uuid> = chunk.iter().map(|p| p.as_uuid()).collect();
        let models = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .order_by_asc(person::Column::FullName)
            .all(db)
            .await?;
        out.extend(with_employments(db, models).await?);
    }
    Ok(out)
}

/// The employment slices of the members (each person's oldest first), without their person
/// rows: what a classification reads of a member, in person-id order. With
/// [`Members::EmployedIn`], every slice of each person employed there on the day, so the caller
/// also learns who the members are without reading them apart.
pub async fn employments_of(
    db: &impl ConnectionTrait,
    members: Members<'_>,
) -> Result<Vec<(PersonId, Vec<Employment>)>, DbError> {
    let mut by_person: std::collections::BTreeMap<PersonId, Vec<Employment>> =
        std::collections::BTreeMap::new();
    if let Members::Persons(persons) = members {
        by_person.extend(persons.iter().map(|p| (*p, Vec::new())));
    }
    let mut seen = std::collections::HashSet::new();
    for probe in members.probes((employment::Entity, employment::Column::PersonId)) {
        let doc = bulk::rows(db, employment::Entity, &SLICE_FIELDS, probe).await?;
        for row in bulk::parse::<SliceRow<'_>>(&doc)? {
            let (person, slice) = slice_of_row(row)?;
            if seen.insert(slice.id) {
                by_person.entry(person).or_default().push(slice);
            }
        }
    }
    Ok(by_person
        .into_iter()
        .map(|(p, mut slices)| {
            slices.sort_by_key(|e| e.validity.from());
            (p, slices)
        })
        .collect())
}

/// The people employed directly in `unit` on `day`.
pub async fn members_on(
    db: &impl ConnectionTrait,
    unit: UnitId,
    day: NaiveDate,
) -> Result<Vec<PersonId>, DbError> {
    let rows: Vec<Uuid> = employment::Entity::find()
        .select_only()
        .column(employment::Column::PersonId)
        .filter(employment::Column::UnitId.eq(unit.as_uuid()))
        .filter(employment::Column::ValidFrom.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(employment::Column::ValidTo.is_null())
                .add(employment::Column::ValidTo.gte(day)),
        )
        .into_tuple()
        .all(db)
        .await?;
    let mut persons: Vec<PersonId> = rows.into_iter().map(PersonId::from_uuid).collect();
    persons.sort();
    persons.dedup();
    Ok(persons)
}
