//! Where the API reads the time: the system clock in production, a fixed instant in tests. The
//! domain never reads a clock; use cases receive `now` from here.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// The clock shared by the application.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock stopped at `at`, movable with [`Clock::set`].
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(Arc::new(Mutex::new(at))),
        }
    }

    /// Moves a fixed clock (no effect on the system clock).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.fixed
            && let Ok(mut guard) = fixed.lock()
        {
            *guard = at;
        }
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(fixed) => fixed.lock().map(|g| *g).unwrap_or_else(|_| Utc::now()),
            None => Utc::now(),
        }
    }
}
