//! Accounts: login and logout, users, role grants, and the first superadmin from the command line.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use congvu_core::ids::{PersonId, UnitId, UserId};
use congvu_core::policy::{Action, Actor, Reach, Role};
use congvu_core::text;
use congvu_db::Page;
use congvu_db::account::{NewUser, UserRecord};
use serde::Serialize;
use uuid::Uuid;

use super::{record, taken, who};
use crate::auth::{self, check_password};
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::throttle::Counted;

/// A session handed to the client once.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Usernames: 3–64 characters of lower-case letters, digits, `.`, `_`, `-`.
pub fn username(input: &str) -> Result<String> {
    let value = text::normalize(input).to_lowercase();
    let ok = (3..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(value)
    } else {
        Err(Error::field(
            "username",
            "invalid_username",
            "must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-'",
        ))
    }
}

/// Checks a password and opens a session. Unknown user and wrong password answer alike.
pub async fn login(
    state: &AppState,
    username_input: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<Session> {
    let name = text::normalize(username_input).to_lowercase();
    // Requests without a known address share one.
    let address = client.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    state
        .login_throttle
        .begin(&name, address, state.clock.now())
        .map_err(|retry_after| Error::Throttled { retry_after })?;
    let stored = congvu_db::account::credentials(state.db.reader(), &name).await?;
    let (user, hash) = match stored {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let ok = state
        .hasher
        .verify(auth::password_nfc(password), hash)
        .await?;
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!(target: "security", event = "login_failed", "login failed");
        login_failed(state, &name, address).await?;
        return Err(Error::InvalidCredentials);
    };
    state
        .login_throttle
        .succeeded(&name, address, state.clock.now());
    let now = state.clock.now();
    let expires_at = now + Duration::hours(i64::from(state.config.token_ttl_hours));
    let (token, token_hash) = auth::new_token();
    let txn = state.db.begin().await?;
    congvu_db::account::insert_session(&txn, &token_hash, user, now, expires_at).await?;
    #[derive(Serialize)]
    struct Change {
        expires_at: DateTime<Utc>,
    }
    record(
        &txn,
        &name,
        "session.create",
        ("user", user.to_string()),
        "login",
        &Change { expires_at },
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    tracing::info!(target: "security", event = "login", user = %user, "login succeeded");
    Ok(Session { token, expires_at })
}

/// Counts a failed sign-in; the failure that starts the delays is audited (the username tried,
/// never the password or the address).
async fn login_failed(state: &AppState, name: &str, address: IpAddr) -> Result<()> {
    let now = state.clock.now();
    if state.login_throttle.failed(name, address) != Counted::Throttled {
        return Ok(());
    }
    tracing::warn!(target: "security", event = "login_throttled", "sign-ins throttled");
    let txn = state.db.begin().await?;
    record(
        &txn,
        SIGN_IN,
        "auth.throttled",
        ("username", name.to_owned()),
        "repeated failed sign-ins",
        &serde_json::json!({}),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(())
}

/// The audit name of the sign-in throttle.
const SIGN_IN: &str = "congvu-sign-in";

/// Revokes the session of this token.
pub async fn logout(state: &AppState, actor: &Actor, token_hash: &str) -> Result<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let user = congvu_db::account::revoke_session(&txn, token_hash, now).await?;
    record(
        &txn,
        who(actor),
        "session.revoke",
        ("user", user.to_string()),
        "logout",
        &serde_json::json!({}),
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    tracing::info!(target: "security", event = "logout", user = %user, "session revoked");
    Ok(())
}

#[derive(Serialize)]
struct UserChange<'a> {
    username: &'a str,
    superadmin: bool,
    person_id: Option<Uuid>,
}

/// Creates an account. Admins (of any unit) and superadmins may; only the command line creates
/// superadmins.
pub async fn create_user(
    state: &AppState,
    actor: &Actor,
    username_input: &str,
    password: &str,
    person: Option<PersonId>,
    reason: &str,
) -> Result<UserRecord> {
    if !actor.holds_any(Action::ManageGrants) {
        return Err(Error::Forbidden("only administrators create accounts"));
    }
    let username = username(username_input)?;
    check_password(password, &username)?;
    if let Some(person) = person {
        congvu_db::staff::find(
            state.db.reader(),
            &actor.reach(Action::ViewStaff),
            actor.person,
            person,
        )
        .await
        .map_err(|_| {
            Error::field(
                "person_id",
                "not_found",
                "no such staff record in your units",
            )
        })?;
    }
    let hash = state.hasher.hash(auth::password_nfc(password)).await?;
    let id = UserId::from_uuid(Uuid::now_v7());
    insert_user(
        state,
        who(actor),
        id,
        &NewUser {
            username: &username,
            password_hash: &hash,
            superadmin: false,
            person,
        },
        reason,
    )
    .await?;
    congvu_db::account::find_user(state.db.reader(), &Reach::All, id)
        .await
        .map_err(Error::from)
}

/// The actor a bearer token stands for while its session lives: `None` for an unknown, expired or
/// revoked token. The token is looked up by its hash only.
pub async fn actor_for_token(state: &AppState, token: &str) -> Result<Option<Actor>> {
    congvu_db::account::actor_for_session(
        state.db.reader(),
        &auth::token_hash(token.trim()),
        state.clock.now(),
    )
    .await
    .map_err(Error::from)
}

/// Creates a superadmin (command line only; the operator is the actor).
pub async fn create_superadmin(
    state: &AppState,
    username_input: &str,
    password: &str,
) -> Result<UserId> {
    let username = username(username_input)?;
    check_password(password, &username)?;
    let hash = state.hasher.hash(auth::password_nfc(password)).await?;
    let id = UserId::from_uuid(Uuid::now_v7());
    insert_user(
        state,
        "cli",
        id,
        &NewUser {
            username: &username,
            password_hash: &hash,
            superadmin: true,
            person: None,
        },
        "account created from the command line",
    )
    .await?;
    Ok(id)
}

async fn insert_user(
    state: &AppState,
    actor: &str,
    id: UserId,
    new: &NewUser<'_>,
    reason: &str,
) -> Result<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::account::insert_user(&txn, id, new, now)
        .await
        .map_err(|e| taken(e, "username", "user.username_taken", "is already used"))?;
    let change = UserChange {
        username: new.username,
        superadmin: new.superadmin,
        person_id: new.person.map(|p| p.as_uuid()),
    };
    record(
        &txn,
        actor,
        "user.create",
        ("user", id.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(())
}

#[derive(Serialize)]
struct GrantChange {
    user_id: Uuid,
    unit_id: Uuid,
    role: &'static str,
}

/// Grants `role` at `unit` to a user; the unit must be one the admin manages.
pub async fn grant(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    unit: UnitId,
    role: Role,
    reason: &str,
) -> Result<UserRecord> {
    let target_unit =
        congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), unit).await?;
    if !actor.may(Action::ManageGrants, &target_unit.path) {
        return Err(Error::Forbidden(
            "only an administrator of the unit grants roles there",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    grantee_in_scope(&txn, actor, user).await?;
    congvu_db::account::insert_grant(&txn, Uuid::now_v7(), user, unit, role, now)
        .await
        .map_err(|e| {
            taken(
                e,
                "role",
                "grant.exists",
                "the user already holds this role at this unit",
            )
        })?;
    let change = GrantChange {
        user_id: user.as_uuid(),
        unit_id: unit.as_uuid(),
        role: role.code(),
    };
    record(
        &txn,
        who(actor),
        "grant.create",
        ("user", user.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    congvu_db::account::find_user(state.db.reader(), &actor.reach(Action::ManageGrants), user)
        .await
        .map_err(Error::from)
}

/// The account a grant goes to must be one the actor may see (404 otherwise, as for a read): one
/// holding a role in the actor's units, or a new account holding none yet (what an
/// administrator creates and then grants). The superadministrator's account, and accounts of
/// other units only, are out of scope for a unit's administrator.
async fn grantee_in_scope(txn: &congvu_db::Transaction, actor: &Actor, user: UserId) -> Result<()> {
    let reach = actor.reach(Action::ManageGrants);
    let target = congvu_db::account::find_user(txn, &Reach::All, user).await?;
    if matches!(reach, Reach::All) {
        return Ok(());
    }
    if target.superadmin {
        return Err(congvu_db::DbError::NotFound.into());
    }
    if target.grants.is_empty() {
        return Ok(());
    }
    congvu_db::account::find_user(txn, &reach, user).await?;
    Ok(())
}

/// Disables an account (every live session revoked with it: its tokens stop working at once) or
/// enables it again: an administrator of the account's units, never their own account; a unit's
/// administrator cannot reach the superadministrator's account (404).
pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    enabled: bool,
    reason: &str,
) -> Result<UserRecord> {
    if !actor.holds_any(Action::ManageGrants) {
        return Err(Error::Forbidden(
            "only administrators disable or enable accounts",
        ));
    }
    if actor.user == user {
        return Err(Error::Forbidden(
            "nobody disables or enables their own account",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    wholly_in_scope(&txn, actor, user).await?;
    let revoked = congvu_db::account::set_disabled(&txn, user, !enabled, now).await?;
    enabled_event(&txn, who(actor), user, enabled, revoked, reason, now).await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    congvu_db::account::find_user(state.db.reader(), &Reach::All, user)
        .await
        .map_err(Error::from)
}

/// An account an administrator may disable or enable: every role it holds is in the
/// administrator's units (404 otherwise). An account holding no role, or the superadministrator's,
/// is the superadministrator's to disable (an off-boarded account stays off).
async fn wholly_in_scope(txn: &congvu_db::Transaction, actor: &Actor, user: UserId) -> Result<()> {
    let reach = actor.reach(Action::ManageGrants);
    if matches!(reach, Reach::All) {
        return Ok(());
    }
    let target = congvu_db::account::find_user(txn, &Reach::All, user).await?;
    let covered = !target.superadmin
        && !target.grants.is_empty()
        && target.grants.iter().all(|g| reach.covers(&g.unit_path));
    if covered {
        Ok(())
    } else {
        Err(congvu_db::DbError::NotFound.into())
    }
}

/// Disables or enables an account by its username, as the operator at the command line.
pub async fn operator_set_enabled(
    state: &AppState,
    username_input: &str,
    enabled: bool,
) -> Result<UserRecord> {
    let name = username(username_input)?;
    let target = congvu_db::account::find_by_username(state.db.reader(), &name)
        .await?
        .ok_or(Error::NotFound)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let revoked = congvu_db::account::set_disabled(&txn, target, !enabled, now).await?;
    enabled_event(
        &txn,
        OPERATOR,
        target,
        enabled,
        revoked,
        "command line",
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    congvu_db::account::find_user(state.db.reader(), &Reach::All, target)
        .await
        .map_err(Error::from)
}

/// The audit name of the operator at the command line.
const OPERATOR: &str = "operator";

/// The audit event of a disabled or enabled account.
async fn enabled_event(
    txn: &congvu_db::Transaction,
    actor: &str,
    user: UserId,
    enabled: bool,
    sessions_revoked: u64,
    reason: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    record(
        txn,
        actor,
        if enabled {
            "user.enable"
        } else {
            "user.disable"
        },
        ("user", user.to_string()),
        reason,
        &serde_json::json!({ "sessions_revoked": sessions_revoked }),
        now,
    )
    .await
}

/// Revokes a grant.
pub async fn revoke(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    unit: UnitId,
    role: Role,
    reason: &str,
) -> Result<()> {
    let target_unit =
        congvu_db::unit::find(state.db.reader(), &actor.reach(Action::ViewUnit), unit).await?;
    if !actor.may(Action::ManageGrants, &target_unit.path) {
        return Err(Error::Forbidden(
            "only an administrator of the unit revokes roles there",
        ));
    }
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    congvu_db::account::delete_grant(&txn, user, unit, role).await?;
    let change = GrantChange {
        user_id: user.as_uuid(),
        unit_id: unit.as_uuid(),
        role: role.code(),
    };
    record(
        &txn,
        who(actor),
        "grant.revoke",
        ("user", user.to_string()),
        reason,
        &change,
        now,
    )
    .await?;
    txn.commit().await.map_err(congvu_db::DbError::from)?;
    Ok(())
}

/// A user the admin can see.
pub async fn get_user(state: &AppState, actor: &Actor, id: UserId) -> Result<UserRecord> {
    if actor.user == id {
        return congvu_db::account::find_user(state.db.reader(), &Reach::All, id)
            .await
            .map_err(Error::from);
    }
    congvu_db::account::find_user(state.db.reader(), &actor.reach(Action::ManageGrants), id)
        .await
        .map_err(Error::from)
}

/// Users the admin can see.
pub async fn list_users(state: &AppState, actor: &Actor, page: Page) -> Result<Vec<UserRecord>> {
    if !actor.holds_any(Action::ManageGrants) {
        return Err(Error::Forbidden("only administrators list accounts"));
    }
    congvu_db::account::list_users(state.db.reader(), &actor.reach(Action::ManageGrants), page)
        .await
        .map_err(Error::from)
}
