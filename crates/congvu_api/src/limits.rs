//! Rate limits of the public endpoints (GCRA via `governor`): submissions and status checks per
//! client address, and status checks per receipt prefix across all clients, so guessing receipts
//! is refused (429 with `Retry-After`) long before a meaningful part of the 10^15 space is tried.
//! Client addresses live only in these in-memory tables; they are never logged or stored.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::Error;

/// The limiters, shared by every request.
#[derive(Clone)]
pub struct PublicLimits {
    submissions: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    status: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    prefixes: Arc<DefaultKeyedRateLimiter<String>>,
}

impl std::fmt::Debug for PublicLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicLimits")
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl PublicLimits {
    /// Limiters allowing `submissions_per_hour` submissions and `status_per_minute` status checks
    /// per client, and `prefix_per_minute` checks per receipt prefix.
    pub fn new(submissions_per_hour: u32, status_per_minute: u32, prefix_per_minute: u32) -> Self {
        let hourly = Quota::per_hour(
            NonZeroU32::new(submissions_per_hour.max(1)).unwrap_or(NonZeroU32::MIN),
        );
        Self {
            submissions: Arc::new(RateLimiter::keyed(hourly)),
            status: Arc::new(RateLimiter::keyed(per_minute(status_per_minute))),
            prefixes: Arc::new(RateLimiter::keyed(per_minute(prefix_per_minute))),
        }
    }

    /// Counts a submission from `client`.
    pub fn submission(&self, client: Option<IpAddr>) -> Result<(), Error> {
        check(&self.submissions, &client_key(client))
    }

    /// Counts a status check from `client` for a receipt starting with `prefix`.
    pub fn status(&self, client: Option<IpAddr>, prefix: &str) -> Result<(), Error> {
        check(&self.status, &client_key(client))?;
        check(&self.prefixes, &prefix.to_owned())
    }
}

/// Requests without a known address share one bucket.
fn client_key(client: Option<IpAddr>) -> IpAddr {
    client.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), Error> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        Error::RateLimited(wait.as_secs().max(1))
    })
}
