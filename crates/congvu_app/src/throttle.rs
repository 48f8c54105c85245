//! Sign-in throttling (issue 20 §5): growing delays after repeated failures, kept in memory and
//! bounded, so guessing passwords is slow without letting an attacker lock a real officer out.
//!
//! Failures are counted three ways, each forgotten an hour after its last failure:
//! - per account and address: after 5, each further attempt waits 1 s, 2 s, 4 s … up to 15 min
//!   after the last failure;
//! - per address, whatever the account (one address trying many accounts): the same after 20;
//! - per account, whatever the address (many addresses trying one account): the same after 20.
//!
//! The last two never hold back an address the account signed in from in the last 30 days, so
//! the officer at their usual desk (or behind their office's shared address) still gets in
//! while their account, or their address, is used in an attack.
//!
//! Every attempt is counted when it starts (`begin`, under the same lock as the check), so
//! attempts sent in parallel cannot all pass the check; a success gives its count back. A
//! refused attempt is not tried (no password is hashed) and answers 429 with `Retry-After`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Failures allowed per account and address before the delays start.
pub const FREE_PER_PAIR: u32 = 5;
/// Failures allowed per address, or per account from unfamiliar addresses, before the delays.
pub const FREE_PER_SIDE: u32 = 20;
/// The longest delay, in seconds.
pub const MAX_DELAY_SECONDS: i64 = 900;
/// How long a failure is remembered after the last one.
const FORGET_AFTER: Duration = Duration::hours(1);
/// How long an address stays familiar after a sign-in from it.
const FAMILIAR_FOR: Duration = Duration::days(30);
/// Entries kept per table at most (memory stays flat under many addresses).
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: DateTime<Utc>,
}

impl Failures {
    /// When the next attempt is allowed, if it must wait.
    fn wait(&self, free: u32, now: DateTime<Utc>) -> Option<Duration> {
        if self.count < free || now - self.last > FORGET_AFTER {
            return None;
        }
        let exponent = (self.count - free).min(10);
        let delay = Duration::seconds((1i64 << exponent).min(MAX_DELAY_SECONDS));
        let until = self.last + delay;
        (now < until).then(|| until - now)
    }
}

#[derive(Debug, Default)]
struct Tables {
    pairs: HashMap<(String, IpAddr), Failures>,
    addresses: HashMap<IpAddr, Failures>,
    accounts: HashMap<String, Failures>,
    familiar: HashMap<(String, IpAddr), DateTime<Utc>>,
}

/// The throttle, shared by every sign-in of a node.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    tables: Mutex<Tables>,
}

/// What a failure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Still within the free failures.
    Free,
    /// This failure starts the delays for the account or the address (worth an audit event).
    Throttled,
    /// Delays were already running.
    StillThrottled,
}

/// Adds one failure to a table entry, forgetting an old run; returns the new count.
fn bump<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, Failures>,
    key: K,
    now: DateTime<Utc>,
) -> u32 {
    let f = map.entry(key).or_insert(Failures {
        count: 0,
        last: now,
    });
    if now - f.last > FORGET_AFTER {
        f.count = 0;
    }
    f.count += 1;
    f.last = now;
    f.count
}

/// Keeps a table within bounds: forgotten entries go first, then the oldest.
fn prune<K: std::hash::Hash + Eq + Clone>(map: &mut HashMap<K, Failures>, now: DateTime<Utc>) {
    if map.len() <= MAX_ENTRIES {
        return;
    }
    map.retain(|_, f| now - f.last <= FORGET_AFTER);
    if map.len() > MAX_ENTRIES {
        let mut by_age: Vec<(K, DateTime<Utc>)> =
            map.iter().map(|(k, f)| (k.clone(), f.last)).collect();
        by_age.sort_by_key(|(_, last)| *last);
        for (k, _) in by_age.into_iter().take(map.len() - MAX_ENTRIES / 2) {
            map.remove(&k);
        }
    }
}

impl LoginThrottle {
    fn tables(&self) -> std::sync::MutexGuard<'_, Tables> {
        // A poisoned lock only means another sign-in panicked: the counts are still usable.
        self.tables
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts an attempt: the seconds to wait when `account` may not be tried from `address`
    /// now, else the attempt is counted (as a failure until `succeeded` says otherwise).
    pub fn begin(&self, account: &str, address: IpAddr, now: DateTime<Utc>) -> Result<(), u64> {
        let mut t = self.tables();
        let key = (account.to_owned(), address);
        let familiar = t
            .familiar
            .get(&key)
            .is_some_and(|at| now - *at <= FAMILIAR_FOR);
        let waits = [
            t.pairs.get(&key).and_then(|f| f.wait(FREE_PER_PAIR, now)),
            (!familiar)
                .then(|| t.addresses.get(&address))
                .flatten()
                .and_then(|f| f.wait(FREE_PER_SIDE, now)),
            (!familiar)
                .then(|| t.accounts.get(account))
                .flatten()
                .and_then(|f| f.wait(FREE_PER_SIDE, now)),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            // Whole seconds, rounded up: a client that waits that long is let through.
            let ms = wait.num_milliseconds().max(1);
            return Err(u64::try_from((ms + 999) / 1000).unwrap_or(1));
        }
        bump(&mut t.pairs, key, now);
        bump(&mut t.addresses, address, now);
        bump(&mut t.accounts, account.to_owned(), now);
        prune(&mut t.pairs, now);
        prune(&mut t.addresses, now);
        prune(&mut t.accounts, now);
        Ok(())
    }

    /// A started attempt failed: whether this failure started the delays (worth an audit event).
    pub fn failed(&self, account: &str, address: IpAddr) -> Counted {
        let t = self.tables();
        let count = |f: Option<&Failures>| f.map_or(0, |f| f.count);
        let pair = count(t.pairs.get(&(account.to_owned(), address)));
        let by_address = count(t.addresses.get(&address));
        let by_account = count(t.accounts.get(account));
        if pair == FREE_PER_PAIR || by_address == FREE_PER_SIDE || by_account == FREE_PER_SIDE {
            Counted::Throttled
        } else if pair > FREE_PER_PAIR || by_address > FREE_PER_SIDE || by_account > FREE_PER_SIDE {
            Counted::StillThrottled
        } else {
            Counted::Free
        }
    }

    /// A started attempt succeeded: its count is given back, the pair's failures are forgotten,
    /// and the address becomes familiar to the account. Others' failures against the account
    /// stay counted: a real sign-in does not give an attacker fresh tries.
    pub fn succeeded(&self, account: &str, address: IpAddr, now: DateTime<Utc>) {
        let mut t = self.tables();
        let key = (account.to_owned(), address);
        t.pairs.remove(&key);
        for f in [t.addresses.get_mut(&address)].into_iter().flatten() {
            f.count = f.count.saturating_sub(1);
        }
        for f in [t.accounts.get_mut(account)].into_iter().flatten() {
            f.count = f.count.saturating_sub(1);
        }
        t.familiar.insert(key, now);
        if t.familiar.len() > MAX_ENTRIES {
            t.familiar.retain(|_, at| now - *at <= FAMILIAR_FOR);
        }
    }

    /// Entries held, all tables together (for the memory benchmark and tests).
    pub fn entries(&self) -> usize {
        let t = self.tables();
        t.pairs.len() + t.addresses.len() + t.accounts.len() + t.familiar.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap_or_default()
    }

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    /// A failed attempt, begun and refused.
    fn fail(t: &LoginThrottle, account: &str, address: IpAddr, now: DateTime<Utc>) -> Counted {
        assert_eq!(
            t.begin(account, address, now),
            Ok(()),
            "{account} {address} at {now}"
        );
        t.failed(account, address)
    }

    #[test]
    fn five_failures_from_one_address_start_growing_delays() {
        let t = LoginThrottle::default();
        for s in 0..4 {
            assert_eq!(fail(&t, "cb.ph", ip(1), at(s)), Counted::Free);
        }
        assert_eq!(fail(&t, "cb.ph", ip(1), at(4)), Counted::Throttled);
        assert_eq!(t.begin("cb.ph", ip(1), at(4)), Err(1));
        assert_eq!(
            t.begin("cb.ph", ip(1), at(5)),
            Ok(()),
            "after the delay, one more try"
        );
        assert_eq!(t.failed("cb.ph", ip(1)), Counted::StillThrottled);
        assert_eq!(t.begin("cb.ph", ip(1), at(5)), Err(2), "the wait doubles");
        // Another address is not held back by this pair.
        assert_eq!(t.begin("cb.ph", ip(2), at(5)), Ok(()));
    }

    /// Attempts sent together are counted as they start: the sixth waits even before any of the
    /// first five has failed.
    #[test]
    fn parallel_attempts_cannot_all_pass_the_check() {
        let t = LoginThrottle::default();
        for _ in 0..5 {
            assert_eq!(t.begin("cb.ph", ip(1), at(0)), Ok(()));
        }
        assert!(t.begin("cb.ph", ip(1), at(0)).is_err());
    }

    #[test]
    fn attacks_do_not_lock_out_an_officer_at_their_usual_address() {
        let t = LoginThrottle::default();
        assert_eq!(t.begin("cb.ph", ip(200), at(0)), Ok(()));
        t.succeeded("cb.ph", ip(200), at(0));
        for n in 0..40 {
            // Refused once the account's delays start; counted while they are not.
            if t.begin("cb.ph", ip(n), at(10)).is_ok() {
                t.failed("cb.ph", ip(n));
            }
        }
        assert!(
            t.begin("cb.ph", ip(77), at(10)).is_err(),
            "a new address waits"
        );
        assert_eq!(
            t.begin("cb.ph", ip(200), at(10)),
            Ok(()),
            "the officer's usual address is not held back"
        );
        t.succeeded("cb.ph", ip(200), at(10));
        // Nor when others guess other accounts from the office's shared address.
        for n in 0..40 {
            let _ = t.begin(&format!("khac{n}"), ip(200), at(20));
        }
        assert_eq!(t.begin("cb.ph", ip(200), at(20)), Ok(()));
    }

    #[test]
    fn delays_stop_growing_and_failures_are_forgotten() {
        let t = LoginThrottle::default();
        let mut now = 0;
        for _ in 0..40 {
            while t.begin("x", ip(1), at(now)).is_err() {
                now += 1;
            }
            t.failed("x", ip(1));
        }
        let wait = t.begin("x", ip(1), at(now)).err().unwrap_or(0);
        assert!(wait <= MAX_DELAY_SECONDS as u64, "{wait}");
        assert_eq!(t.begin("x", ip(1), at(now + 3601)), Ok(()));
    }

    #[test]
    fn the_tables_stay_bounded_under_many_addresses() {
        let t = LoginThrottle::default();
        for n in 0..(MAX_ENTRIES as u32 + 5_000) {
            let address = IpAddr::from(n.to_be_bytes());
            let _ = t.begin("x", address, at(i64::from(n) / 1000));
        }
        assert!(t.entries() <= 3 * MAX_ENTRIES, "{}", t.entries());
    }
}
