//! When to try a temporary failure again: exponential backoff from a base delay, capped, with
//! jitter so that many messages failing together do not all come back at the same second.

use std::time::Duration;

/// The longest wait between two attempts.
pub const CAP: Duration = Duration::from_secs(6 * 3600);

/// The wait after the `attempts`-th failed attempt (1 for the first): `base · 2^(attempts−1)`,
/// capped at [`CAP`], then scaled into its upper half by `unit` (a random number in `[0, 1)`,
/// passed in so that this stays a pure function).
pub fn backoff(attempts: u32, base: Duration, unit: f64) -> Duration {
    let doubling = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
    let full = base.saturating_mul(doubling).min(CAP);
    full.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_the_base_within_the_jitter_band() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(1, base, 1.0), Duration::from_secs(30));
        assert_eq!(backoff(1, base, 0.0), Duration::from_secs(15));
        assert_eq!(backoff(2, base, 1.0), Duration::from_secs(60));
        assert_eq!(backoff(4, base, 1.0), Duration::from_secs(240));
        for attempts in 1..40 {
            for unit in [0.0, 0.3, 0.99] {
                let d = backoff(attempts, base, unit);
                let full = backoff(attempts, base, 1.0);
                assert!(d * 2 >= full && d <= full, "{attempts} {unit}");
                assert!(d <= CAP);
            }
        }
    }

    #[test]
    fn the_wait_never_exceeds_the_cap() {
        assert_eq!(backoff(50, Duration::from_secs(30), 1.0), CAP);
        assert_eq!(backoff(u32::MAX, Duration::from_secs(1), 1.0), CAP);
    }
}
