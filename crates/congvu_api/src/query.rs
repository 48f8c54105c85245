//! Request parts a route does not take are refused, not ignored: a query parameter the matched
//! route does not declare is a 422 naming it (`GET /units?code=…` used to list every unit), and a
//! path segment that is not an identifier says which segment it is. The `Authenticated` guard runs
//! the query check for every officer route; the account-less API routes take the [`KnownQuery`]
//! guard (the citizens' pages do not: shared links carry tracking parameters). What was wrong is
//! kept in the request's local cache for the 422 catcher (`http::problem_catcher`). Every dynamic
//! path segment of congvu's routes is an identifier (a UUID), which `unparsed_segment` relies on.

use std::sync::Mutex;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};

/// The part of a request found wrong: (field, stable code, message).
#[derive(Debug, Default)]
pub struct WrongPart(pub Mutex<Option<(String, &'static str, String)>>);

/// The query parameters a route declares; `None` when it takes any (a trailing `<rest..>`).
fn declared(route_query: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    for segment in route_query.split('&').filter(|s| !s.is_empty()) {
        if segment.ends_with("..>") {
            return None;
        }
        let name = segment.trim_start_matches('<').trim_end_matches('>');
        names.push(name.split('=').next().unwrap_or(name));
    }
    Some(names)
}

/// The first query parameter of `req` that its matched route does not declare.
pub fn unknown_parameter(req: &Request<'_>) -> Option<String> {
    let route = req.route()?;
    let allowed = declared(route.uri.query().unwrap_or(""))?;
    req.query_fields()
        .map(|f| f.name.key_lossy().as_str().to_owned())
        .find(|name| !allowed.contains(&name.as_str()))
}

/// Refuses a request with an undeclared query parameter: records it for the catcher and answers
/// the status to fail the guard with.
pub fn check(req: &Request<'_>) -> Result<(), Status> {
    let Some(name) = unknown_parameter(req) else {
        return Ok(());
    };
    let message = format!("`{name}` is not a parameter of this request");
    record(req, name, "unknown_parameter", message);
    Err(Status::UnprocessableEntity)
}

/// Keeps what a failing guard found wrong, for the 422 answer to name.
pub fn record(req: &Request<'_>, field: String, code: &'static str, message: String) {
    if let Ok(mut slot) = req.local_cache(WrongPart::default).0.lock() {
        *slot = Some((field, code, message));
    }
}

/// A guard for routes without `Authenticated`: the query names only what the route declares.
#[derive(Debug, Clone, Copy)]
pub struct KnownQuery;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for KnownQuery {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        match check(req) {
            Ok(()) => Outcome::Success(Self),
            Err(status) => Outcome::Error((status, ())),
        }
    }
}

/// The dynamic path segment of the matched route whose value is not an identifier, as (name,
/// value): `GET /units/not-a-uuid` against `/units/<id>` is (`id`, `not-a-uuid`).
pub fn unparsed_segment(req: &Request<'_>) -> Option<(String, String)> {
    let route = req.route()?;
    let pattern: Vec<&str> = route
        .uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let actual: Vec<&str> = req.uri().path().segments().collect::<Vec<_>>();
    if pattern.len() != actual.len() {
        return None;
    }
    // Every dynamic path segment of congvu's routes is an identifier (a UUID): the one that is
    // not is the one that failed.
    pattern.iter().zip(actual).find_map(|(p, a)| {
        let name = p.strip_prefix('<')?.strip_suffix('>')?;
        uuid::Uuid::parse_str(a)
            .is_err()
            .then(|| (name.to_owned(), a.to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::declared;

    #[test]
    fn declared_names_come_from_the_route_query() {
        assert_eq!(
            declared("<unit_id>&<state>&<limit>&<offset>"),
            Some(vec!["unit_id", "state", "limit", "offset"])
        );
        assert_eq!(declared(""), Some(vec![]));
        assert_eq!(declared("<lang>&<rest..>"), None);
        assert_eq!(declared("format=csv&<year>"), Some(vec!["format", "year"]));
    }
}
