//! App-wide HTTP concerns: the problem+json catcher, the request log, and security headers.

use std::time::Instant;

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Status};
use rocket::{Data, Request, Response, catch};

use crate::body::BodyFailure;
use crate::error::Problem;

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
        (400 | 422, Some(why)) => Problem::new(Status::BadRequest, "body.malformed", why),
        (400, None) => Problem::new(status, "request.malformed", "the request is malformed"),
        (401, _) => Problem::new(status, "auth.required", "a valid bearer token is required"),
        (403, _) => Problem::new(status, "forbidden", "not allowed"),
        (404, _) => Problem::new(status, "not_found", "no such object"),
        (405, _) => Problem::new(status, "method_not_allowed", "method not allowed"),
        (422, None) => Problem::new(
            status,
            "request.unprocessable",
            "the request could not be processed",
        ),
        (503, _) => Problem::new(
            status,
            "unavailable",
            "the service is unavailable; retry later",
        ),
        (code, _) if code >= 500 => Problem::new(status, "internal", "an internal error occurred"),
        _ => Problem::new(status, "error", status.reason_lossy()),
    }
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
        } else if !path.starts_with("/api/docs") {
            res.set_header(Header::new(
                "Content-Security-Policy",
                "default-src 'none'; frame-ancestors 'none'",
            ));
            res.set_header(Header::new("Cache-Control", "no-store"));
        }
    }
}
