//! Registering for titles at the start of the year, and recording initiatives.

use super::*;

/// Registers a person or a unit for titles of a year, within the registration window.
pub async fn register(
    state: &AppState,
    actor: &Actor,
    input: Registration,
) -> Result<RegistrationView> {
    let subject = input.subject.subject();
    let reason = crate::service::reason(input.reason.as_deref())?;
    if input.titles.is_empty() {
        return Err(Error::field("titles", "required", "at least one title"));
    }
    if input.titles.len() > TitleKey::ALL.len() {
        return Err(Error::field("titles", "too_many", "at most six titles"));
    }
    let mut titles = input
        .titles
        .iter()
        .enumerate()
        .map(|(i, t)| title_for(&format!("titles[{i}]"), *t, subject))
        .collect::<Result<Vec<_>>>()?;
    titles.sort_by_key(|t| t.code());
    titles.dedup();
    // Who registers comes first: an unknown subject, or one outside the caller's units, is 404
    // whatever the day.
    let txn = state.db.begin().await?;
    subject_unit(state, &txn, actor, input.subject).await?;
    if !state.assessment.registration_open(input.year, today(state)) {
        let (m, d) = state.assessment.registration_until;
        return Err(Error::Refused {
            code: "emulation.registration_closed",
            detail: format!(
                "registrations for {} are taken from 1/12/{} to {d}/{m}/{} ({})",
                input.year,
                input.year - 1,
                input.year,
                state.assessment.registration_basis.cite()
            ),
        });
    }
    let now = state.clock.now();
    let rows: Vec<RegistrationRecord> = titles
        .iter()
        .map(|t| RegistrationRecord {
            id: Uuid::now_v7(),
            subject_kind: input.subject.kind_code().to_owned(),
            subject: input.subject.as_uuid(),
            year: input.year,
            title: t.code().to_owned(),
            created_by: actor.user.as_uuid(),
            created_at: now,
        })
        .collect();
    store::insert_registrations(&txn, &rows)
        .await
        .map_err(|e| {
            crate::service::taken(
                e,
                "titles",
                "emulation.registered",
                "already registered for this title this year",
            )
        })?;
    record(
        &txn,
        who(actor),
        "emulation.register",
        (input.subject.kind_code(), input.subject.as_uuid().to_string()),
        &reason,
        &serde_json::json!({ "year": input.year, "titles": titles.iter().map(|t| t.code()).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    let all = store::registrations(&txn, &[input.subject.as_uuid()], input.year).await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(RegistrationView {
        subject: input.subject,
        year: input.year,
        titles: all.iter().filter_map(|(_, t)| TitleKey::parse(t)).collect(),
    })
}

/// Records a recognised initiative of a person.
pub async fn add_initiative(
    state: &AppState,
    actor: &Actor,
    person: PersonId,
    input: NewInitiative,
) -> Result<InitiativeView> {
    let scope = input.scope;
    let title = congvu_core::text::required("title", &input.title, 500)?;
    let decision = congvu_core::text::required("decision", &input.decision, 500)?;
    let reason = crate::service::reason(input.reason.as_deref())?;
    if !(2000..=chrono::Datelike::year(&today(state))).contains(&input.year) {
        return Err(Error::field("year", "out_of_range", "2000 to this year"));
    }
    let txn = state.db.begin().await?;
    person_for(state, &txn, actor, person, Action::ManageEmulation).await?;
    let i = InitiativeRecord {
        id: Uuid::now_v7(),
        person,
        year: input.year,
        scope: scope.code().to_owned(),
        title,
        decision,
        created_by: actor.user.as_uuid(),
        created_at: state.clock.now(),
    };
    store::insert_initiative(&txn, &i).await?;
    record(
        &txn,
        who(actor),
        "emulation.initiative",
        ("person", person.to_string()),
        &reason,
        &serde_json::json!({ "year": i.year, "scope": i.scope, "title": i.title, "decision": i.decision }),
        i.created_at,
    )
    .await?;
    txn.commit().await.map_err(DbError::from)?;
    Ok(InitiativeView {
        id: i.id.into(),
        person,
        year: i.year,
        scope,
        title: i.title,
        decision: i.decision,
    })
}
