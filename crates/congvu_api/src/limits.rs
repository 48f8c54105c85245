//! Rate limits of the public endpoints: submissions and receipt checks per client, and a daily
//! budget of wrong receipts per client, so guessing receipts stays infeasible while a citizen with
//! the right receipt is never refused because of someone else's guesses (issue 20 §4).
//!
//! Each limit is a GCRA (generic cell rate algorithm: one "theoretical arrival time" per key) in a
//! bounded least-recently-used table, so memory stays flat however many addresses call. When a
//! table is full, the client seen longest ago is forgotten only if its bucket has refilled;
//! otherwise newcomers share one overflow bucket, so cycling through more addresses than the table
//! holds buys no fresh bursts. IPv6 clients are counted per /64 (one subscriber's block), and per
//! /48 for the daily budget of wrong receipts; IPv4 clients per address. Client addresses live only in these in-memory
//! tables; they are never logged or stored.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hashlink::LruCache;

use crate::error::Error;

/// Keys kept per table at most: about 64 bytes each, so a few MiB per table.
pub const TABLE_CAPACITY: usize = 50_000;

/// Who is counted: an IPv4 address, an IPv6 /64, or every client whose address is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(u32),
    V6(u64),
    Unknown,
    /// Every newcomer while the table is full of clients still limited.
    Overflow,
}

impl ClientKey {
    /// The key of a client address.
    pub fn of(client: Option<IpAddr>) -> Self {
        match client.map(|ip| ip.to_canonical()) {
            Some(IpAddr::V4(v4)) => Self::V4(u32::from(v4)),
            Some(IpAddr::V6(v6)) => Self::V6((u128::from(v6) >> 64) as u64),
            None => Self::Unknown,
        }
    }

    /// The key of a client counted coarsely: an IPv6 client per /48 (a site's whole block).
    pub fn coarse(client: Option<IpAddr>) -> Self {
        match Self::of(client) {
            Self::V6(prefix64) => Self::V6(prefix64 >> 16 << 16),
            other => other,
        }
    }
}

/// One limit: `burst` events at once, refilled one per `interval`.
#[derive(Debug)]
struct Table {
    interval: Duration,
    tolerance: Duration,
    arrivals: Mutex<LruCache<ClientKey, Instant>>,
}

impl Table {
    /// `n` events per `period`, all of them allowed at once.
    fn new(n: u32, period: Duration, capacity: usize) -> Self {
        let n = n.max(1);
        let interval = period / n;
        Self {
            interval,
            tolerance: interval * (n - 1),
            arrivals: Mutex::new(LruCache::new(capacity.max(1))),
        }
    }

    /// How long `key` must wait before its next event, if it must.
    fn wait(&self, arrival: Option<Instant>, now: Instant) -> Option<Duration> {
        let tat = arrival.map_or(now, |t| t.max(now));
        let ahead = tat - now;
        (ahead > self.tolerance).then(|| ahead - self.tolerance)
    }

    /// Where `key` is counted: itself, unless it is new and the table is full of clients whose
    /// buckets have not refilled; then the shared overflow bucket.
    fn slot(arrivals: &LruCache<ClientKey, Instant>, key: ClientKey, now: Instant) -> ClientKey {
        if arrivals.contains_key(&key) || arrivals.len() < arrivals.capacity() {
            return key;
        }
        match arrivals.iter().next() {
            Some((_, tat)) if *tat > now => ClientKey::Overflow,
            _ => key,
        }
    }

    /// Counts an event of `key` at `now`, or says how long it must wait.
    fn take(&self, key: ClientKey, now: Instant) -> Result<(), Duration> {
        let mut arrivals = self.arrivals.lock().map_err(|_| Duration::from_secs(1))?;
        let key = Self::slot(&arrivals, key, now);
        let arrival = arrivals.get(&key).copied();
        if let Some(wait) = self.wait(arrival, now) {
            return Err(wait);
        }
        let tat = arrival.map_or(now, |t| t.max(now));
        arrivals.insert(key, tat + self.interval);
        Ok(())
    }

    /// Whether `key` could have an event at `now`, without counting one.
    fn peek(&self, key: ClientKey, now: Instant) -> Result<(), Duration> {
        let mut arrivals = self.arrivals.lock().map_err(|_| Duration::from_secs(1))?;
        let key = Self::slot(&arrivals, key, now);
        let arrival = arrivals.get(&key).copied();
        self.wait(arrival, now).map_or(Ok(()), Err)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.arrivals.lock().map(|a| a.len()).unwrap_or(0)
    }
}

/// The numbers of the public limits (from the configuration).
#[derive(Debug, Clone, Copy)]
pub struct LimitSettings {
    pub submissions_per_hour: u32,
    pub checks_per_minute: u32,
    pub wrong_receipts_per_day: u32,
}

/// The limiters, shared by every request of a node.
#[derive(Debug)]
pub struct PublicLimits {
    submissions: Table,
    checks: Table,
    wrong_receipts: Table,
}

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(86_400);

fn refused(wait: Duration) -> Error {
    Error::RateLimited(wait.as_secs_f64().ceil().max(1.0) as u64)
}

impl PublicLimits {
    /// Limiters with the configured numbers and tables of [`TABLE_CAPACITY`] keys.
    pub fn new(settings: LimitSettings) -> Self {
        Self::with_capacity(settings, TABLE_CAPACITY)
    }

    fn with_capacity(s: LimitSettings, capacity: usize) -> Self {
        Self {
            submissions: Table::new(s.submissions_per_hour, HOUR, capacity),
            checks: Table::new(s.checks_per_minute, MINUTE, capacity),
            wrong_receipts: Table::new(s.wrong_receipts_per_day, DAY, capacity),
        }
    }

    /// Counts a submission from `client`.
    pub fn submission(&self, client: Option<IpAddr>) -> Result<(), Error> {
        self.submissions
            .take(ClientKey::of(client), Instant::now())
            .map_err(refused)
    }

    /// Counts a use of a receipt by `client` (a status check, a message, an attachment): refused
    /// when the client checks too often, or has used up its wrong receipts of the day. Nobody
    /// else's guesses count here.
    pub fn receipt_use(&self, client: Option<IpAddr>) -> Result<(), Error> {
        let now = Instant::now();
        self.wrong_receipts
            .peek(ClientKey::coarse(client), now)
            .map_err(refused)?;
        self.checks
            .take(ClientKey::of(client), now)
            .map_err(refused)
    }

    /// Counts a receipt that matched no report against `client`'s daily budget.
    pub fn wrong_receipt(&self, client: Option<IpAddr>) {
        // Over budget already: the next use is refused by `receipt_use` anyway.
        let _ = self
            .wrong_receipts
            .take(ClientKey::coarse(client), Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn settings() -> LimitSettings {
        LimitSettings {
            submissions_per_hour: 20,
            checks_per_minute: 10,
            wrong_receipts_per_day: 50,
        }
    }

    #[test]
    fn gcra_allows_the_burst_then_one_per_interval() {
        let t = Table::new(10, MINUTE, 100);
        let start = Instant::now();
        let key = ClientKey::V4(1);
        for _ in 0..10 {
            assert!(t.take(key, start).is_ok());
        }
        let wait = t.take(key, start).unwrap_err();
        assert_eq!(wait, Duration::from_secs(6));
        assert!(t.take(key, start + Duration::from_secs(6)).is_ok());
        assert!(t.take(key, start + Duration::from_secs(6)).is_err());
        // Another client is not affected.
        assert!(t.take(ClientKey::V4(2), start).is_ok());
    }

    #[test]
    fn peek_does_not_count() {
        let t = Table::new(1, DAY, 100);
        let now = Instant::now();
        let key = ClientKey::V4(7);
        for _ in 0..5 {
            assert!(t.peek(key, now).is_ok());
        }
        assert!(t.take(key, now).is_ok());
        assert!(t.peek(key, now).is_err());
    }

    /// Issue 20 §4: a million distinct addresses leave each table at its capacity, and those
    /// beyond it share the overflow bucket instead of getting fresh bursts (review finding).
    #[test]
    fn tables_stay_bounded_under_a_million_addresses() {
        let limits = PublicLimits::with_capacity(settings(), 10_000);
        let mut refused = 0u32;
        for i in 0..1_000_000u32 {
            let ip = IpAddr::V4(Ipv4Addr::from(i));
            refused += u32::from(limits.submission(Some(ip)).is_err());
            let _ = limits.receipt_use(Some(ip));
            limits.wrong_receipt(Some(ip));
        }
        for table in [&limits.submissions, &limits.checks, &limits.wrong_receipts] {
            assert!(table.len() <= 10_001, "{}", table.len());
        }
        // The first 10,000 submitted in their own buckets (a submission keeps a bucket limited
        // for 3 minutes); of the rest only the overflow bucket's burst of 20 got through.
        assert_eq!(refused, 1_000_000 - 10_000 - 20);
    }

    /// A full table forgets a client whose bucket has refilled, not one still limited.
    #[test]
    fn a_full_table_forgets_only_refilled_clients() {
        let t = Table::new(1, MINUTE, 2);
        let now = Instant::now();
        assert!(t.take(ClientKey::V4(1), now).is_ok());
        assert!(t.take(ClientKey::V4(2), now).is_ok());
        // Full of limited clients: a newcomer lands in the overflow bucket …
        assert!(t.take(ClientKey::V4(3), now).is_ok());
        assert!(t.take(ClientKey::V4(4), now).is_err());
        // … and once they have refilled, newcomers get their own again.
        let later = now + Duration::from_secs(61);
        assert!(t.take(ClientKey::V4(5), later).is_ok());
        assert!(t.take(ClientKey::V4(6), later).is_ok());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a: Ipv6Addr = "2001:db8:1:2::1".parse().unwrap();
        let b: Ipv6Addr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: Ipv6Addr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ClientKey::of(Some(a.into())), ClientKey::of(Some(b.into())));
        assert_ne!(ClientKey::of(Some(a.into())), ClientKey::of(Some(c.into())));
        // An IPv4 client seen through an IPv6 socket is the same IPv4 client.
        let mapped: Ipv6Addr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(
            ClientKey::of(Some(mapped.into())),
            ClientKey::of(Some(Ipv4Addr::new(192, 0, 2, 7).into()))
        );
    }

    /// Issue 20 §4: wrong receipts use up only the guessing client's budget.
    #[test]
    fn wrong_receipts_count_against_their_client_only() {
        let limits = PublicLimits::new(LimitSettings {
            checks_per_minute: 1000,
            ..settings()
        });
        let guesser = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)));
        for _ in 0..50 {
            limits.receipt_use(guesser).unwrap();
            limits.wrong_receipt(guesser);
        }
        assert!(matches!(
            limits.receipt_use(guesser),
            Err(Error::RateLimited(s)) if s > 60
        ));
        let citizen = Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9)));
        assert!(limits.receipt_use(citizen).is_ok());
    }
}
