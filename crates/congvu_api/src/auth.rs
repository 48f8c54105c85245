//! The request guard that turns a bearer token into the domain's [`Actor`]: the token's hash is
//! looked up among the live sessions (`congvu_app::auth` makes and hashes tokens).

use congvu_app::auth::token_hash;
use congvu_app::service::accounts;
use congvu_app::state::AppState;
use congvu_core::policy::Actor;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

/// The authenticated caller: built only by its request guard, handed to every use case.
#[derive(Debug, Clone)]
pub struct Authenticated {
    actor: Actor,
    token_hash: String,
}

impl Authenticated {
    /// Who is calling, as the domain sees it.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The hash of the token used (for logout).
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// For the command line and tests: act as a known actor without a token.
    pub fn from_actor(actor: Actor) -> Self {
        Self {
            actor,
            token_hash: String::new(),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Authenticated {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let Some(token) = req
            .headers()
            .get_one("Authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        let Some(state) = req.rocket().state::<AppState>() else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        let hash = token_hash(token.trim());
        match accounts::actor_for_token(state, token).await {
            // Authenticated first, then the query: an unknown parameter is refused (422) before
            // the handler runs, so nothing is done on a request the caller mistyped.
            Ok(Some(actor)) => match crate::query::check(req) {
                Ok(()) => Outcome::Success(Self {
                    actor,
                    token_hash: hash,
                }),
                Err(status) => Outcome::Error((status, ())),
            },
            Ok(None) => Outcome::Error((Status::Unauthorized, ())),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Outcome::Error((Status::ServiceUnavailable, ()))
            }
        }
    }
}
