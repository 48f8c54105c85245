//! End-to-end tests: each drives the real application over HTTP (and the real command line), on
//! SQLite and, when `CONGVU_TEST_POSTGRES_URL` is set, on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a failed step must stop the test"
)]

mod audit;
mod auth;
mod browser;
mod bulk;
mod cases;
mod classification;
mod codesets;
mod commitments;
mod complaint_deadlines;
mod complaint_mail;
mod complaint_roles;
mod db_scope;
mod defects;
mod durability;
mod emulation;
mod evaluations;
mod import;
mod letters;
mod migrations;
mod openapi;
mod public_complaints;
mod retention;
mod scope;
mod sink;
mod staff;
mod tidy;
mod units;
mod validation;
mod violations;
mod worked_cases;

/// Runs a scenario once per backend, each on a fresh application.
#[macro_export]
macro_rules! each_backend {
    (|$app:ident| $body:block) => {
        for backend in tests::backends() {
            let $app = tests::TestApp::spawn(&backend).await.expect("app starts");
            $body
            $app.finish().await.expect("app stops");
        }
    };
    (|$app:ident| $body:block, |$config:ident| $adjust:block) => {
        for backend in tests::backends() {
            let $app = tests::TestApp::spawn_with(&backend, |$config| $adjust)
                .await
                .expect("app starts");
            $body
            $app.finish().await.expect("app stops");
        }
    };
}
