//! The OpenAPI 3.1 document, generated from the route annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    audit, auth, cases, classification, codesets, commitments, complaints, emulation, evaluations,
    health, letters, public, regimes, reports, staff, units, users, violations,
};

/// congvu's API description, served at `/api/v1/openapi.json` and shown at `/api/docs/`.
#[derive(OpenApi)]
#[openapi(
    info(title = "congvu", description = "Public-service culture (văn hóa công vụ) for Vietnamese state agencies: units, staff, codes of conduct, accounts and audit, violations and discipline cases, citizens' reports, apology letters."),
    paths(
        health::healthz, health::readyz,
        auth::login, auth::logout, auth::me,
        users::create, users::list, users::get, users::grant, users::revoke,
        units::create, units::list, units::get, units::tree, units::successors, units::add_successor, units::close,
        units::add_calendar_day, units::calendar, units::deadline, units::code_sets,
        staff::create, staff::list, staff::get, staff::change_employment,
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
    modifiers(&BearerAuth),
    tags(
        (name = "auth"), (name = "users"), (name = "units"), (name = "calendar"), (name = "staff"),
        (name = "code-sets"), (name = "audit"), (name = "legal"), (name = "violations"), (name = "cases"), (name = "public"), (name = "complaints"), (name = "letters"), (name = "commitments"), (name = "evaluations"), (name = "classification"), (name = "emulation"), (name = "reports"), (name = "health"),
    )
)]
pub struct ApiDoc;

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
