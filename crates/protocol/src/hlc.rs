//! The hybrid logical clock: wall-clock milliseconds that never run backwards, plus a counter
//! for events in the same millisecond. Printed fixed-width so stamps sort as text.
//!
//! A stamp orders edits; it does not date them. A desk's stamp is later than its trusted time
//! and than every stamp it has made or taken in, so an edit made after seeing another always
//! wins over it, whatever any clock said. Every desk takes in every stamp the same way, so
//! desks that hold the same changes hold the same values. A clock ahead can only win against
//! edits made before its stamps reached the desk that made them.

use std::fmt;
use std::str::FromStr;

/// How far apart two clocks may be and still both be taken as right: a desk further than this
/// from the hub's time, or a stamp further than this ahead of a desk's, shows a clock is wrong.
pub const MAX_AHEAD_MS: u64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc {
    /// Unix time in milliseconds, at most [`Hlc::MAX_MILLIS`].
    pub millis: u64,
    pub counter: u16,
}

impl Hlc {
    /// The start of the year 3000. No desk stamps later: a stamp past it is refused everywhere
    /// alike, and every stamp before it leaves room for later ones.
    pub const MAX_MILLIS: u64 = 32_503_680_000_000;
    /// `001795432100123-00042`: 15 digits of milliseconds, a dash, 5 digits of counter.
    pub const TEXT_LEN: usize = 21;

    pub fn new(millis: u64, counter: u16) -> Hlc {
        Hlc { millis: millis.min(Self::MAX_MILLIS), counter }
    }

    /// The stamp for a local event at wall time `wall_ms`: later than every stamp seen so far.
    pub fn tick(self, wall_ms: u64) -> Hlc {
        if wall_ms > self.millis {
            Hlc::new(wall_ms, 0)
        } else {
            self.next_counter(self.counter)
        }
    }

    /// Advances past a stamp received from another desk, however far ahead of `wall_ms` it is:
    /// this desk's next edit comes after the one it has seen.
    pub fn receive(self, remote: Hlc, wall_ms: u64) -> Hlc {
        let millis = self.millis.max(remote.millis).max(wall_ms);
        match (millis == self.millis, millis == remote.millis) {
            (true, true) => Hlc { millis, ..self }.next_counter(self.counter.max(remote.counter)),
            (true, false) => self.next_counter(self.counter),
            (false, true) => remote.next_counter(remote.counter),
            (false, false) => Hlc::new(millis, 0),
        }
    }

    /// Whether this stamp is further ahead of `wall_ms` than two right clocks can be.
    pub fn is_ahead_of(self, wall_ms: u64) -> bool {
        self.millis > wall_ms.saturating_add(MAX_AHEAD_MS)
    }

    fn next_counter(self, counter: u16) -> Hlc {
        match counter.checked_add(1) {
            Some(counter) => Hlc { counter, ..self },
            // 65,536 events in one millisecond: borrow the next millisecond.
            None => Hlc::new(self.millis + 1, 0),
        }
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}-{:05}", self.millis, self.counter)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHlc;

impl fmt::Display for InvalidHlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an hlc looks like 001795432100123-00042 (15-digit milliseconds, dash, 5-digit counter)")
    }
}

impl FromStr for Hlc {
    type Err = InvalidHlc;

    fn from_str(text: &str) -> Result<Hlc, InvalidHlc> {
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == Self::TEXT_LEN
            && bytes[15] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 15 || b.is_ascii_digit());
        if !well_formed {
            return Err(InvalidHlc);
        }
        let millis: u64 = text[..15].parse().map_err(|_| InvalidHlc)?;
        let counter: u16 = text[16..].parse().map_err(|_| InvalidHlc)?;
        if millis > Self::MAX_MILLIS {
            return Err(InvalidHlc);
        }
        Ok(Hlc { millis, counter })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_print_fixed_width_and_sort_as_text() {
        let early = Hlc::new(1_795_432_100_123, 42);
        let late = Hlc::new(1_795_432_100_124, 0);
        assert_eq!(early.to_string(), "001795432100123-00042");
        assert!(early.to_string() < late.to_string());
        assert_eq!(early.to_string().parse::<Hlc>(), Ok(early));
    }

    #[test]
    fn malformed_stamps_are_refused() {
        for bad in [
            "",
            "1795432100123-42",
            "001795432100123-70000",
            "001795432100123_00042",
            "999999999999999-00000",
            "00179543210012a-00042",
        ] {
            assert_eq!(bad.parse::<Hlc>(), Err(InvalidHlc), "{bad}");
        }
    }

    #[test]
    fn the_clock_never_runs_backwards() {
        let clock = Hlc::new(1000, 0);
        assert_eq!(clock.tick(2000), Hlc::new(2000, 0));
        assert_eq!(clock.tick(500), Hlc::new(1000, 1), "a wall clock set back does not move stamps back");
        assert_eq!(Hlc::new(1000, u16::MAX).tick(1000), Hlc::new(1001, 0));
    }

    #[test]
    fn receiving_moves_past_the_remote_stamp() {
        let local = Hlc::new(1000, 3);
        assert_eq!(local.receive(Hlc::new(1500, 7), 1200), Hlc::new(1500, 8));
        assert_eq!(local.receive(Hlc::new(1000, 9), 900), Hlc::new(1000, 10));
        assert_eq!(local.receive(Hlc::new(900, 9), 2000), Hlc::new(2000, 0));
    }

    #[test]
    fn a_stamp_far_in_the_future_is_taken_in_so_the_next_edit_comes_after_it() {
        let local = Hlc::new(1_000_000, 0);
        let hours_ahead = Hlc::new(1_000_000 + 3 * 3600 * 1000, 0);
        assert!(hours_ahead.is_ahead_of(1_000_000));
        let taken_in = local.receive(hours_ahead, 1_000_000);
        assert!(taken_in.tick(1_000_001) > hours_ahead);
        let minutes_ahead = Hlc::new(1_000_000 + 9 * 60 * 1000, 0);
        assert!(!minutes_ahead.is_ahead_of(1_000_000));
    }

    #[test]
    fn no_stamp_is_later_than_the_year_3000() {
        assert_eq!(Hlc::new(u64::MAX, 0).millis, Hlc::MAX_MILLIS);
        assert_eq!(format!("{:015}-00000", Hlc::MAX_MILLIS + 1).parse::<Hlc>(), Err(InvalidHlc));
        assert!(format!("{:015}-00000", Hlc::MAX_MILLIS).parse::<Hlc>().is_ok());
    }
}
