//! congvu's use cases as a library: each use case runs in one transaction over the database
//! (`congvu_db`), applies the domain's rules (`congvu_core`), appends its audit event and queues
//! its mail. Here too: the application state, the configuration, the mail relay, password hashing
//! and the clock. No HTTP: the API (`congvu_api`), the command line (`congvu_cli`) and a batch job
//! all call the same functions, so scope, validation and audit are the same for each.
//!
//! ```text
//! let db = congvu_db::Db::connect_and_migrate(&config.database_url()).await?;
//! let state = congvu_app::AppState::open(db, Clock::system(), config)?;
//! congvu_app::service::seed::national_data(&state).await?;
//! let year = congvu_app::service::classification::open(&state, &actor, input).await?;
//! ```

pub mod anchor;
pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod mail;
pub mod retention;
pub mod secrets;
pub mod service;
pub mod state;
pub mod throttle;

pub use error::{Error, Result};
pub use state::AppState;
