//! The JSON body guard: reads at most the configured limit, parses with serde (unknown fields are
//! refused by the DTOs), and keeps the reason for a failure where the problem catcher finds it, so a
//! bad body gets a clear problem document.

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::http::Status;
use rocket::request::Request;
use serde::de::DeserializeOwned;

use crate::error::Error;
use congvu_app::state::AppState;

/// A request body parsed from JSON.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// The reason the last body failed, read by the catchers.
#[derive(Debug, Default)]
pub struct BodyFailure(pub std::sync::Mutex<Option<String>>);

fn fail<'r, T>(req: &'r Request<'_>, status: Status, why: String) -> data::Outcome<'r, T, Error> {
    if let Ok(mut slot) = req.local_cache(BodyFailure::default).0.lock() {
        *slot = Some(why.clone());
    }
    let error = if status == Status::PayloadTooLarge {
        Error::TooLarge
    } else {
        Error::BadBody(why)
    };
    data::Outcome::Error((status, error))
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned> FromData<'r> for JsonBody<T> {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self, Error> {
        let state = req.rocket().state::<AppState>();
        let limit = state
            .map(|s| s.config.json_limit_bytes)
            .unwrap_or(256 * 1024);
        let within = state.map_or(std::time::Duration::from_secs(30), |s| {
            s.config.body_read_timeout()
        });
        let read = tokio::time::timeout(within, data.open(limit.bytes()).into_bytes()).await;
        let Ok(read) = read else {
            return fail(
                req,
                Status::RequestTimeout,
                "the request body did not arrive in time".into(),
            );
        };
        let bytes = match read {
            Ok(b) if b.is_complete() => b.into_inner(),
            Ok(_) => {
                return fail(
                    req,
                    Status::PayloadTooLarge,
                    "the request body is over the limit".into(),
                );
            }
            Err(e) => {
                return fail(
                    req,
                    Status::BadRequest,
                    format!("the request body could not be read: {e}"),
                );
            }
        };
        match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => data::Outcome::Success(JsonBody(value)),
            Err(e) => fail(
                req,
                Status::BadRequest,
                format!("the request body is not valid JSON for this endpoint: {e}"),
            ),
        }
    }
}
