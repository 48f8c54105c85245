//! App-wide HTTP concerns: the problem+json catcher, the request log, and security headers.

use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::{Data, Request, Response, catch};

use crate::body::BodyFailure;
use crate::error::{Problem, ProblemField};
use crate::query::{self, WrongPart};

/// Every error status without a handler-made body gets a problem document.
#[catch(default)]
pub fn problem_catcher(status: Status, req: &Request<'_>) -> Problem {
    let body_failure = req
        .local_cache(BodyFailure::default)
        .0
        .lock()
        .ok()
        .and_then(|g| g.clone());
    match (status.code, body_failure) {
        (413, _) => Problem::new(
            status,
            "body.too_large",
            "the request body is over the limit",
        ),
        (408, _) => Problem::new(
            status,
            "body.timeout",
            "the request body did not arrive in time",
        ),
        (400 | 422, Some(why)) => Problem::new(Status::BadRequest, "body.malformed", why),
        (400, None) => Problem::new(status, "request.malformed", "the request is malformed"),
        (401, _) => Problem::new(status, "auth.required", "a valid bearer token is required"),
        (403, _) => Problem::new(status, "forbidden", "not allowed"),
        (404, _) => Problem::new(status, "not_found", "no such object"),
        (405, _) => Problem::new(status, "method_not_allowed", "method not allowed"),
        (422, None) => unprocessable(req),
        (503, _) => Problem::new(
            status,
            "unavailable",
            "the service is unavailable; retry later",
        ),
        (code, _) if code >= 500 => Problem::new(status, "internal", "an internal error occurred"),
        _ => Problem::new(status, "error", status.reason_lossy()),
    }
}

/// A 422 that no handler made. What a guard recorded (an undeclared query parameter, a bad
/// `Idempotency-Key`) or a path segment that is not an identifier is named in the answer; any
/// other stays generic. An identifier with an extension the route does not serve
/// (`/code-sets/{id}.pdf`) is a representation that does not exist: 404.
fn unprocessable(req: &Request<'_>) -> Problem {
    let recorded = req
        .local_cache(WrongPart::default)
        .0
        .lock()
        .ok()
        .and_then(|g| g.clone());
    let (field, code, message) = match (recorded, query::unparsed_segment(req)) {
        (Some(part), _) => part,
        (None, Some((_, value)))
            if value
                .rsplit_once('.')
                .is_some_and(|(id, _)| uuid::Uuid::parse_str(id).is_ok()) =>
        {
            return Problem::new(Status::NotFound, "not_found", "no such object");
        }
        (None, Some((name, _))) => (
            name.clone(),
            "invalid",
            format!("the path segment `{name}` must be an identifier (a UUID)"),
        ),
        (None, None) => {
            return Problem::new(
                Status::UnprocessableEntity,
                "request.unprocessable",
                "the request could not be processed",
            );
        }
    };
    let mut problem = Problem::new(
        Status::UnprocessableEntity,
        "request.unprocessable",
        format!("{field}: {message}"),
    );
    problem.errors = vec![ProblemField {
        field,
        code: code.to_owned(),
        message,
    }];
    problem
}

/// Logs method, route name, status and latency of each request. Never the URI (a query string may
/// carry personal data), the client address or headers.
pub struct RequestLog;

struct Started(Instant);

#[rocket::async_trait]
impl Fairing for RequestLog {
    fn info(&self) -> Info {
        Info {
            name: "request log",
            kind: Kind::Request | Kind::Response,
        }
    }

    async fn on_request(&self, req: &mut Request<'_>, _: &mut Data<'_>) {
        req.local_cache(|| Started(Instant::now()));
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let started = req.local_cache(|| Started(Instant::now())).0;
        let route = req.route().and_then(|r| r.name.as_deref()).unwrap_or("-");
        tracing::info!(
            target: "http",
            method = %req.method(),
            route,
            status = res.status().code,
            micros = started.elapsed().as_micros() as u64,
            "request"
        );
    }
}

/// Security headers on every response; API responses are never cached and never framed.
pub struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("Referrer-Policy", "no-referrer"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        let path = req.uri().path();
        if path.starts_with("/citizen") {
            // Citizens' pages: their own stylesheet and forms, nothing else, from nowhere else.
            res.set_header(Header::new(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            ));
            res.set_header(Header::new("Cache-Control", "no-store"));
        } else if path.starts_with("/api/v1/letters/") && path.ends_with(".html") {
            // A letter for printing: its own inline stylesheet, nothing else.
            res.set_header(Header::new(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
            ));
            res.set_header(Header::new("Cache-Control", "no-store"));
        } else if path.starts_with("/api/docs") {
            // Swagger UI: its own scripts and stylesheets (vendored, no inline script); it sets
            // inline styles and data: images, and fetches the OpenAPI document from here.
            res.set_header(Header::new(
                "Content-Security-Policy",
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                 form-action 'none'; frame-ancestors 'none'",
            ));
        } else {
            res.set_header(Header::new(
                "Content-Security-Policy",
                "default-src 'none'; frame-ancestors 'none'",
            ));
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}
