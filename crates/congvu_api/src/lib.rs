//! The congvu HTTP API (Rocket 0.5): routes, guards, problem+json, OpenAPI, rate limits and the
//! citizens' pages. `rocket()` builds the application over a ready [`AppState`]; the `congvu`
//! binary (`congvu_cli`) configures, migrates, seeds and serves.
//!
//! Only this crate knows HTTP: routes turn requests into use-case calls (`congvu_app`) and their
//! answers into responses; the use cases hold no Rocket types.

pub mod auth;
pub mod body;
pub mod client;
pub mod csrf;
pub mod error;
pub mod http;
pub mod limits;
pub mod openapi;
pub mod query;
pub mod routes;

use rocket::config::LogLevel;
use rocket::data::{Limits, ToByteUnit};
use rocket::{Build, Rocket, catchers, routes};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use congvu_app::AppState;
pub use error::{Error, Result};
use limits::PublicLimits;

/// The mounted application. `address` and `port` come from the state's configuration.
pub fn rocket(state: AppState) -> Rocket<Build> {
    let config = rocket::Config {
        address: state
            .config
            .address
            .parse()
            .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
        port: state.config.port,
        log_level: LogLevel::Off,
        ip_header: None,
        cli_colors: false,
        limits: Limits::default().limit("json", state.config.json_limit_bytes.bytes()),
        ..rocket::Config::release_default()
    };
    use routes::{
        audit, auth, cases, classification, codesets, commitments, complaints, emulation,
        evaluations, health, letters, public, regimes, reports, staff, units, users, violations,
    };
    let limits = PublicLimits::new(limits::LimitSettings {
        submissions_per_hour: state.config.public_submissions_per_hour,
        checks_per_minute: state.config.public_status_per_minute,
        wrong_receipts_per_day: state.config.public_wrong_receipts_per_day,
    });
    // Validated when the configuration was loaded; an entry that fails here trusts nothing.
    let proxies = client::TrustedProxies::new(
        state.config.trusted_proxies().unwrap_or_default(),
        state
            .config
            .client_address_header
            .eq_ignore_ascii_case("forwarded"),
    );
    rocket::custom(config)
        .manage(state)
        .manage(limits)
        .manage(proxies)
        .attach(http::RequestLog)
        .attach(http::SecurityHeaders)
        .mount("/", routes![health::healthz, health::readyz])
        .mount(
            "/",
            routes![
                routes::pages::stylesheet,
                routes::pages::report_form,
                routes::pages::report_submit,
                routes::pages::status_page,
                routes::pages::status_submit,
            ],
        )
        .mount(
            "/api/v1",
            routes![
                auth::login,
                auth::logout,
                auth::me,
                users::create,
                users::list,
                users::get,
                users::grant,
                users::revoke,
                users::disable,
                users::enable,
                units::create,
                units::list,
                units::get,
                units::tree,
                units::successors,
                units::add_successor,
                units::close,
                units::add_calendar_day,
                units::calendar,
                units::deadline,
                units::code_sets,
                staff::create,
                staff::list,
                staff::get,
                staff::change_employment,
                routes::me::record,
                routes::me::record_pdf,
                codesets::list,
                codesets::get,
                codesets::create,
                codesets::revise,
                codesets::publish,
                codesets::retire,
                audit::verify,
                regimes::list,
                violations::create,
                violations::list,
                violations::get,
                violations::transition,
                violations::add_note,
                violations::add_evidence,
                violations::evidence_file,
                cases::open,
                cases::list,
                cases::get,
                cases::step,
                cases::decide,
                cases::annul,
                cases::announce,
                cases::extend,
                cases::pause,
                cases::resume,
                cases::add_document,
                cases::documents,
                cases::document_file,
                cases::staff_discipline,
                cases::declare_relation,
                cases::relations,
                public::submit,
                public::status,
                public::message,
                public::attach,
                complaints::list,
                complaints::export,
                complaints::get,
                complaints::classify,
                complaints::forward,
                complaints::transition,
                complaints::note,
                complaints::request_identity,
                complaints::decide_identity,
                complaints::identity,
                complaints::extend,
                complaints::attachment,
                letters::put_letterhead,
                letters::get_letterhead,
                letters::create,
                letters::list,
                letters::get,
                letters::update,
                letters::submit,
                letters::send_back,
                letters::issue,
                letters::revoke,
                letters::printed,
                letters::file,
                letters::outbox,
                letters::retry,
                commitments::create_template,
                commitments::list_templates,
                commitments::get_template,
                commitments::update_template,
                commitments::publish_template,
                commitments::launch,
                commitments::list_campaigns,
                commitments::get_campaign,
                commitments::revise,
                commitments::completion,
                commitments::people,
                commitments::people_csv,
                commitments::signature,
                commitments::sign,
                commitments::paper_signature,
                commitments::counter_sign,
                commitments::withdraw,
                commitments::scan,
                commitments::digest,
                commitments::mine,
                evaluations::create,
                evaluations::year,
                evaluations::settings,
                evaluations::criteria,
                classification::open,
                classification::open_subtree,
                classification::list,
                classification::published,
                classification::get,
                classification::propose,
                classification::unit_level,
                classification::finalise,
                classification::recompute,
                classification::replace,
                classification::fact,
                emulation::register,
                emulation::initiative,
                emulation::proceeding,
                emulation::close_proceeding,
                emulation::proposals,
                emulation::award,
                emulation::revoke,
                emulation::awards,
                reports::report,
                reports::report_csv,
                reports::report_svg,
            ],
        )
        .mount(
            "/",
            SwaggerUi::new("/api/docs/<_..>")
                .url("/api/v1/openapi.json", openapi::ApiDoc::openapi()),
        )
        .register("/", catchers![http::problem_catcher])
}
