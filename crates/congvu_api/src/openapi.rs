//! The OpenAPI 3.1 document, generated from the route annotations.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    audit, auth, cases, classification, codesets, commitments, complaints, emulation, evaluations,
    health, letters, me, public, regimes, reports, staff, units, users, violations,
};

/// congvu's API description, served at `/api/v1/openapi.json` and shown at `/api/docs/`.
#[derive(OpenApi)]
#[openapi(
    info(title = "congvu", description = "Public-service culture (văn hóa công vụ) for Vietnamese state agencies: units, staff, codes of conduct, accounts and audit, violations and discipline cases, citizens' reports, apology letters."),
    paths(
        health::healthz, health::readyz,
        auth::login, auth::logout, auth::me,
        users::create, users::list, users::get, users::grant, users::revoke, users::disable, users::enable,
        units::create, units::list, units::get, units::tree, units::successors, units::add_successor, units::close,
        units::add_calendar_day, units::calendar, units::deadline, units::code_sets,
        staff::create, staff::list, staff::get, staff::change_employment,
        me::record, me::record_pdf,
        codesets::list, codesets::get, codesets::create, codesets::revise, codesets::publish, codesets::retire,
        audit::verify,
        regimes::list,
        violations::create, violations::list, violations::get, violations::transition, violations::add_note, violations::add_evidence, violations::evidence_file,
        cases::open, cases::list, cases::get, cases::step, cases::decide, cases::annul, cases::announce, cases::extend,
        cases::pause, cases::resume, cases::add_document, cases::documents, cases::document_file,
        cases::staff_discipline, cases::declare_relation, cases::relations,
        public::submit, public::status, public::message, public::attach,
        complaints::list, complaints::export, complaints::get, complaints::classify, complaints::forward,
        complaints::transition, complaints::note, complaints::request_identity, complaints::decide_identity, complaints::identity, complaints::extend, complaints::attachment,
        letters::put_letterhead, letters::get_letterhead, letters::create, letters::list, letters::get, letters::update,
        letters::submit, letters::send_back, letters::issue, letters::revoke, letters::printed, letters::file,
        letters::outbox, letters::retry,
        commitments::create_template, commitments::list_templates, commitments::get_template, commitments::update_template, commitments::publish_template, commitments::launch, commitments::list_campaigns, commitments::get_campaign, commitments::revise, commitments::completion, commitments::people, commitments::people_csv, commitments::signature, commitments::sign, commitments::paper_signature, commitments::counter_sign, commitments::withdraw, commitments::scan, commitments::digest, commitments::mine,
        evaluations::create, evaluations::year, evaluations::settings, evaluations::criteria,
        classification::open, classification::open_subtree, classification::list, classification::published, classification::get, classification::propose, classification::unit_level, classification::finalise, classification::recompute, classification::replace, classification::fact,
        emulation::register, emulation::initiative, emulation::proceeding, emulation::close_proceeding, emulation::proposals, emulation::award, emulation::revoke, emulation::awards,
        reports::report, reports::report_csv, reports::report_svg,
    ),
    modifiers(&BearerAuth, &ProblemResponses),
    tags(
        (name = "auth"), (name = "users"), (name = "units"), (name = "calendar"), (name = "staff"),
        (name = "code-sets"), (name = "audit"), (name = "legal"), (name = "violations"), (name = "cases"), (name = "public"), (name = "complaints"), (name = "letters"), (name = "commitments"), (name = "evaluations"), (name = "classification"), (name = "emulation"), (name = "reports"), (name = "health"),
    )
)]
pub struct ApiDoc;

/// A file sent as the whole request body (evidence, case documents, attachments, scans): raw
/// bytes of the declared media type, not JSON.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBody(#[allow(dead_code, reason = "documentation only")] Vec<u8>);

/// Declares the `bearer` security scheme the paths refer to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Makes every operation's error answers exact: a problem document is `application/problem+json`
/// (RFC 9457), and the statuses any operation of its kind can answer are listed even where its
/// annotation names only the ones particular to it. The end-to-end suite checks every answer
/// against the result (`tests/it/conformance.rs`).
struct ProblemResponses;

/// The statuses every operation may answer, whatever it does.
const ALWAYS: [(&str, &str); 3] = [
    (
        "422",
        "A path, query or header part is not valid, or a query parameter is unknown (`request.unprocessable`, naming the part), or the input breaks a rule (`validation.failed` with `errors`, or a named refusal).",
    ),
    (
        "500",
        "An unexpected fault (`internal`); nothing is half-saved.",
    ),
    (
        "503",
        "The database cannot be reached (`unavailable`); retry later.",
    ),
];

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let public = path.starts_with("/api/v1/public/") || path == "/api/v1/auth/login";
            let operations = [
                (false, &mut item.get),
                (true, &mut item.post),
                (true, &mut item.put),
                (true, &mut item.patch),
                (true, &mut item.delete),
            ];
            for (writes, operation) in operations {
                if let Some(operation) = operation.as_mut() {
                    problems_as_problem_json(operation);
                    let kind = OperationKind {
                        writes,
                        public,
                        has_path_parameters: path.contains('{'),
                    };
                    add_common_problems(operation, &kind);
                }
            }
        }
    }
}

/// What decides which common statuses an operation can answer.
struct OperationKind {
    writes: bool,
    public: bool,
    has_path_parameters: bool,
}

/// Documents the statuses an operation of this kind can answer and its annotation left out.
fn add_common_problems(operation: &mut Operation, kind: &OperationKind) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut extra: Vec<(&str, &str)> = ALWAYS.to_vec();
    if secured {
        extra.push(("401", "No valid bearer token (`auth.required`)."));
        extra.push((
            "403",
            "Visible to the caller, but their role does not allow the action (`forbidden`).",
        ));
    }
    if secured && kind.writes {
        extra.push(("409", "The change conflicts with the object's state or with stored data (a code naming which: see API.md)."));
    }
    if kind.has_path_parameters {
        extra.push(("404", "Nothing with this id exists within the caller's reach (`not_found`); out-of-scope objects are 404, never 403."));
    }
    if operation.request_body.is_some() {
        extra.push(("400", "The body is not well-formed JSON of the documented shape, or names an unknown field (`body.malformed`)."));
        extra.push(("413", "The body is over the size limit (`body.too_large`)."));
    }
    if kind.writes {
        extra.push((
            "507",
            "The server's storage is full (`storage_full`); nothing was saved.",
        ));
    }
    if kind.public {
        extra.push(("429", "Too many requests from this client (`rate_limited`); `Retry-After` says when to retry."));
    }
    for (status, description) in extra {
        if !operation.responses.responses.contains_key(status) {
            operation
                .responses
                .responses
                .insert(status.to_owned(), RefOr::T(problem_response(description)));
        }
    }
}

/// A response carrying a problem document.
fn problem_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// The media type of every error answer.
const PROBLEM_JSON: &str = "application/problem+json";

/// Re-labels the annotated error responses (`body = Problem`) with the media type the server sends.
fn problems_as_problem_json(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_problem = response.content.get("application/json").is_some_and(|c| {
            matches!(c, RefOr::T(c) if matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")))
        });
        if is_problem && let Some(content) = response.content.shift_remove("application/json") {
            response.content.insert(PROBLEM_JSON.to_owned(), content);
        }
    }
}
