//! The time a desk trusts: what dates its visits, calls and shifts, and what its stamps start
//! from.
//!
//! A desk's trusted time is the computer's clock, moved by the hub's when a sync found the two
//! apart: within [`CLOCK_DOUBT_MS`] the desk follows the hub; further apart, it follows the hub
//! only once an admin took the hub's time. The desk's time is **in doubt**, and it dates nothing
//! and stamps no edit until someone puts it right ([`refuse_while_in_doubt`]), when
//!
//! - the hub's clock is further than [`CLOCK_DOUBT_MS`] from the computer's, and from the time an
//!   admin last took: one of the two is wrong, and the desk cannot tell which;
//! - it reads a day before Porchlight was made (a flat clock battery starts the year 2000);
//! - it reads more than [`WENT_BACK_MS`] before a time this desk already reached (the clock was
//!   set back); the next sync, or an admin who says the computer's clock is right, ends it.
//!
//! Stamps order edits and do not date them ([`porchlight_protocol::Hlc`]): a desk's stamp is
//! later than its trusted time and than every stamp it made or took in, and every desk takes in
//! every stamp alike, so desks holding the same changes hold the same values whatever their
//! clocks said.

use chrono::DateTime;
use porchlight_protocol::Hlc;
use rusqlite::{Connection, Transaction};

use super::state::{self, get, get_i64, set};
use crate::sync::error::SyncError;
use crate::{Error, Result, Timestamp};

/// How far apart the desk's clock and the hub's may be (or the hub's time and the time an admin
/// last took as right) before the desk trusts neither.
pub const CLOCK_DOUBT_MS: i64 = porchlight_protocol::MAX_AHEAD_MS as i64;

/// How far before a time it already reached a desk's clock may read before the desk says it
/// was set back: an hour leaves room for a clock put right by a few minutes.
pub const WENT_BACK_MS: i64 = 60 * 60 * 1000;

/// 2024-01-01T00:00:00Z. A computer's clock before it is wrong: Porchlight did not exist.
const BEFORE_PORCHLIGHT_MS: i64 = 1_704_067_200_000;

const CLOCK: &str = "clock";
const CLOCK_OFFSET_MS: &str = "clock_offset_ms";
/// The hub's time less this desk's, in ms, when the two were too far apart to tell which clock
/// is wrong; unset while they agree.
const CLOCK_IN_DOUBT_MS: &str = "clock_in_doubt_ms";
/// The offset an admin last took as right (the hub's time, far from the desk's own).
const CLOCK_OFFSET_ACCEPTED_MS: &str = "clock_offset_accepted_ms";
/// The latest trusted time at which this desk stamped or took in a change, or which a hub or
/// an admin confirmed: a clock reading well before it was set back.
const TIME_REACHED_MS: &str = "time_reached_ms";
/// The latest stamp that left this desk or reached it: stamps given again to unsent changes
/// start after it, so nothing already seen elsewhere comes to follow them.
const STAMP_FLOOR: &str = "stamp_floor";

/// Why a desk's time is in doubt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockDoubt {
    /// The hub's clock is this far ahead of the computer's (negative: behind), in ms.
    FarFromHub { offset_ms: i64 },
    /// The computer's clock reads before Porchlight was made.
    BeforePorchlight { reads: Timestamp },
    /// The computer's clock reads well before a time this desk already reached.
    WentBack { reads: Timestamp, reached: Timestamp },
}

/// The desk's trusted time, given what the computer's clock reads.
pub(crate) fn trusted_now(conn: &Connection, computer: Timestamp) -> Result<Timestamp> {
    let offset = get_i64(conn, CLOCK_OFFSET_MS)?;
    if offset == 0 {
        return Ok(computer);
    }
    let computer_ms = computer.0.timestamp_millis();
    let reached = get_i64(conn, TIME_REACHED_MS)?;
    // An offset taken for a clock that was since put right would date everything that far off.
    // The computer's own clock is right again when it agrees with the time the desk reached and
    // either the moved one went back before it, or the offset was taken for a clock that read
    // before Porchlight (a flat battery, since replaced).
    let agrees = computer_ms + CLOCK_DOUBT_MS >= reached;
    let moved_went_back = computer_ms + offset + CLOCK_DOUBT_MS < reached;
    let taken_for_a_flat_battery = offset > 0 && reached - offset < BEFORE_PORCHLIGHT_MS;
    let put_right = agrees && (moved_went_back || taken_for_a_flat_battery);
    Ok(if put_right { computer } else { at_ms(computer_ms + offset) })
}

/// Why the desk's time is in doubt, if it is, given its trusted time.
pub(crate) fn doubt(conn: &Connection, trusted: Timestamp) -> Result<Option<ClockDoubt>> {
    if let Some(offset_ms) = get(conn, CLOCK_IN_DOUBT_MS)?.and_then(|text| text.parse().ok()) {
        return Ok(Some(ClockDoubt::FarFromHub { offset_ms }));
    }
    let trusted_ms = trusted.0.timestamp_millis();
    if trusted_ms < BEFORE_PORCHLIGHT_MS - 24 * 60 * 60 * 1000 {
        return Ok(Some(ClockDoubt::BeforePorchlight { reads: trusted }));
    }
    let reached = get_i64(conn, TIME_REACHED_MS)?;
    if trusted_ms + WENT_BACK_MS < reached {
        return Ok(Some(ClockDoubt::WentBack { reads: trusted, reached: at_ms(reached) }));
    }
    Ok(None)
}

/// While the desk's time is in doubt, it stamps no change but the audit log's (entries are
/// only ever added, so a stamp there wins nothing) and staff accounts' (the lock that wrong PINs
/// bring must reach every desk even then): people can still sign in, and an admin can put the
/// time right.
pub(crate) fn refuse_while_in_doubt(tx: &Transaction, trusted: Timestamp, dirty: &[(String, String)]) -> Result<()> {
    const ALWAYS_STAMPED: &[&str] = &["audit", "account"];
    if dirty.iter().all(|(entity, _)| ALWAYS_STAMPED.contains(&entity.as_str())) {
        return Ok(());
    }
    match doubt(tx, trusted)? {
        Some(doubt) => Err(doubt.refusal()),
        None => Ok(()),
    }
}

impl ClockDoubt {
    /// What the person reads: how the clock stands.
    pub fn describe(self) -> String {
        match self {
            ClockDoubt::FarFromHub { offset_ms } => {
                format!("This computer's clock is far from the hub's (the hub's is {} it).", clock_gap(offset_ms))
            }
            ClockDoubt::BeforePorchlight { reads } => format!(
                "This computer's clock reads the year {}, which cannot be right (its clock battery may be flat).",
                reads.0.format("%Y")
            ),
            ClockDoubt::WentBack { reads, reached } => format!(
                "This computer's clock was set back: it reads {} before a time this desk already reached.",
                span((reached.0 - reads.0).num_milliseconds())
            ),
        }
    }

    fn refusal(self) -> Error {
        match self {
            ClockDoubt::FarFromHub { offset_ms } => Error::Sync(SyncError::ClockInDoubt { gap: clock_gap(offset_ms) }),
            wrong @ ClockDoubt::BeforePorchlight { .. } => Error::Sync(SyncError::ClockWrong {
                message: format!(
                    "{} This desk saves nothing dated by it: set the computer's date and time, then try again.",
                    wrong.describe()
                ),
            }),
            wrong @ ClockDoubt::WentBack { .. } => Error::Sync(SyncError::ClockWrong {
                message: format!(
                    "{} This desk saves nothing dated by it until the clock is put right: set the computer's date \
                     and time, then sync; or, if it reads right now (it ran ahead before), an admin says so in \
                     Settings → Sync.",
                    wrong.describe()
                ),
            }),
        }
    }
}

/// The desk's hybrid logical clock, loaded for one transaction and saved at its end.
pub(crate) struct DeskClock {
    pub hlc: Hlc,
    /// The desk's trusted time, in ms.
    pub wall_ms: u64,
    /// Empty until the desk is enrolled with a hub.
    pub device_id: String,
}

impl DeskClock {
    pub fn load(conn: &Connection, trusted: Timestamp) -> Result<DeskClock> {
        let hlc = get(conn, CLOCK)?.and_then(|text| text.parse().ok()).unwrap_or_default();
        let wall_ms = trusted.0.timestamp_millis().max(0) as u64;
        Ok(DeskClock { hlc, wall_ms, device_id: get(conn, state::DEVICE_ID)?.unwrap_or_default() })
    }

    pub fn tick(&mut self) -> Hlc {
        self.hlc = self.hlc.tick(self.wall_ms);
        self.hlc
    }

    /// Saves the clock, and notes the trusted time as reached.
    pub fn save(&self, conn: &Connection) -> Result<()> {
        set(conn, CLOCK, &self.hlc.to_string())?;
        let reached = get_i64(conn, TIME_REACHED_MS)?;
        if self.wall_ms as i64 > reached {
            set(conn, TIME_REACHED_MS, &self.wall_ms.to_string())?;
        }
        Ok(())
    }
}

/// Learns the hub's time (`offset_ms` ahead of the computer's clock). Beyond a minute, the desk
/// follows it; beyond [`CLOCK_DOUBT_MS`] from the computer's clock and from the time an admin last
/// took, the desk's time is in doubt. Whether it now is.
pub(crate) fn learn_hub_time(conn: &Connection, computer: Timestamp, offset_ms: i64) -> Result<bool> {
    // The Date header has whole seconds and the answer took time to arrive: ignore small gaps.
    const TOLERANCE_MS: i64 = 60_000;
    let accepted = get_i64(conn, CLOCK_OFFSET_ACCEPTED_MS)?;
    if offset_ms.abs() > CLOCK_DOUBT_MS && (offset_ms - accepted).abs() > CLOCK_DOUBT_MS {
        set(conn, CLOCK_IN_DOUBT_MS, &offset_ms.to_string())?;
        return Ok(true);
    }
    state::remove(conn, CLOCK_IN_DOUBT_MS)?;
    let followed = if offset_ms.abs() > TOLERANCE_MS { offset_ms } else { 0 };
    set(conn, CLOCK_OFFSET_MS, &followed.to_string())?;
    confirm(conn, computer, followed)?;
    Ok(false)
}

/// An admin takes the hub's time as right: the desk follows it from now on. The gap taken, if
/// the desk was in doubt of it.
pub(crate) fn accept_hub_time(conn: &Connection, computer: Timestamp) -> Result<Option<i64>> {
    let Some(offset) = get(conn, CLOCK_IN_DOUBT_MS)?.and_then(|text| text.parse::<i64>().ok()) else {
        return Ok(None);
    };
    set(conn, CLOCK_OFFSET_ACCEPTED_MS, &offset.to_string())?;
    set(conn, CLOCK_OFFSET_MS, &offset.to_string())?;
    state::remove(conn, CLOCK_IN_DOUBT_MS)?;
    confirm(conn, computer, offset)?;
    Ok(Some(offset))
}

/// An admin says the computer's clock is right, after it was set back: the time it reads now is
/// what the desk has reached. Whether the desk's time was in doubt of it.
pub(crate) fn trust_computer_clock(conn: &Connection, computer: Timestamp) -> Result<bool> {
    let went_back = matches!(doubt(conn, trusted_now(conn, computer)?)?, Some(ClockDoubt::WentBack { .. }));
    if went_back {
        set(conn, CLOCK_OFFSET_MS, "0")?;
        confirm(conn, computer, 0)?;
    }
    Ok(went_back)
}

/// A hub or an admin vouched for the computer's clock moved by `offset_ms`: it is the time this
/// desk has reached, even if the computer's clock once ran ahead of it.
fn confirm(conn: &Connection, computer: Timestamp, offset_ms: i64) -> Result<()> {
    set(conn, TIME_REACHED_MS, &(computer.0.timestamp_millis() + offset_ms).to_string())
}

/// The latest stamp that left this desk or reached it.
pub(crate) fn stamp_floor(conn: &Connection) -> Result<Hlc> {
    Ok(get(conn, STAMP_FLOOR)?.and_then(|text| text.parse().ok()).unwrap_or_default())
}

/// Notes stamps that left this desk or reached it.
pub(crate) fn raise_stamp_floor(conn: &Connection, stamps: impl IntoIterator<Item = Hlc>) -> Result<()> {
    let floor = stamp_floor(conn)?;
    let highest = stamps.into_iter().fold(floor, Hlc::max);
    if highest > floor {
        set(conn, STAMP_FLOOR, &highest.to_string())?;
    }
    Ok(())
}

/// Puts the clock at `to`, for stamps given again.
pub(crate) fn reset_clock(conn: &Connection, to: Hlc) -> Result<()> {
    set(conn, CLOCK, &to.to_string())
}

/// "2 h 5 min ahead of", "40 min behind": how the hub's clock stands to the desk's.
pub fn clock_gap(offset_ms: i64) -> String {
    format!("{} {}", span(offset_ms), if offset_ms > 0 { "ahead of" } else { "behind" })
}

/// "40 min", "2 h 5 min", "3 days": how long `ms` is, to the minute (to the day beyond two).
fn span(ms: i64) -> String {
    let minutes = (ms.unsigned_abs() + 30_000) / 60_000;
    match (minutes / 60, minutes % 60) {
        (hours, _) if hours >= 48 => format!("{} days", (hours + 12) / 24),
        (0, minutes) => format!("{minutes} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, minutes) => format!("{hours} h {minutes} min"),
    }
}

fn at_ms(ms: i64) -> Timestamp {
    Timestamp(DateTime::from_timestamp_millis(ms.max(0)).unwrap_or_default())
}
