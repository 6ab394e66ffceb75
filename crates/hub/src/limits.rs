//! What keeps an enrollment code from being guessed: attempts are limited per address and
//! overall (GCRA, from `governor`), and past the limit the hub answers 429 with how long to wait.
//!
//! A code is 8 characters from 31 (about 2^39.6), valid for 24 hours. At the overall limit, one
//! attempt every half second after a burst of 100, a day allows about 173,000 guesses: about one
//! chance in 5 million of finding one unused code before it expires. Behind a reverse proxy every
//! desk has the proxy's address, and the overall limit is what holds.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts from one address: 20 at once, then one every 10 seconds (a center setting up a
/// room full of desks does not notice).
const PER_ADDRESS_BURST: u32 = 20;
const PER_ADDRESS_EVERY: Duration = Duration::from_secs(10);
/// Attempts from everywhere together: 100 at once, then two a second.
const OVERALL_BURST: u32 = 100;
const OVERALL_EVERY: Duration = Duration::from_millis(500);
/// Addresses remembered before those long quiet are forgotten.
const ADDRESSES_KEPT: usize = 10_000;

pub struct EnrollmentLimits {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    overall: DefaultDirectRateLimiter,
}

impl Default for EnrollmentLimits {
    fn default() -> Self {
        let quota = |every: Duration, burst: u32| {
            Quota::with_period(every).expect("a period").allow_burst(NonZeroU32::new(burst).expect("a burst"))
        };
        EnrollmentLimits {
            per_address: RateLimiter::keyed(quota(PER_ADDRESS_EVERY, PER_ADDRESS_BURST)),
            overall: RateLimiter::direct(quota(OVERALL_EVERY, OVERALL_BURST)),
        }
    }
}

impl EnrollmentLimits {
    /// Counts an attempt from `address` (unknown when served without one); `Err` holds how long
    /// to wait when it is one too many.
    pub fn attempt(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let wait = |not_until: governor::NotUntil<_>| not_until.wait_time_from(DefaultClock::default().now());
        if let Some(address) = address {
            if self.per_address.len() > ADDRESSES_KEPT {
                self.per_address.retain_recent();
            }
            self.per_address.check_key(&address).map_err(wait)?;
        }
        self.overall.check().map_err(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_its_burst_then_waits_and_others_still_get_theirs() {
        let limits = EnrollmentLimits::default();
        let (one, other) = ("127.0.0.9".parse().unwrap(), "10.1.2.3".parse().unwrap());
        for _ in 0..PER_ADDRESS_BURST {
            limits.attempt(Some(one)).unwrap();
        }
        let wait = limits.attempt(Some(one)).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= PER_ADDRESS_EVERY, "{wait:?}");
        limits.attempt(Some(other)).expect("another address is not held up by the first");
    }

    #[test]
    fn all_addresses_together_are_held_to_the_overall_limit() {
        let limits = EnrollmentLimits::default();
        let refused = (0..OVERALL_BURST + 20)
            .filter(|n| limits.attempt(Some(IpAddr::from([10, 0, (n / 250) as u8, (n % 250) as u8]))).is_err())
            .count();
        assert!((19..=20).contains(&refused), "{refused} of {} refused", OVERALL_BURST + 20);
    }
}
