//! The desk's own sync bookkeeping, in `sync_state`: its hub link, pull cursor and clock.

use porchlight_protocol::Hlc;
use rusqlite::{Connection, OptionalExtension};

use crate::{Result, Timestamp};

pub(crate) const HUB_URL: &str = "hub_url";
pub(crate) const DEVICE_ID: &str = "device_id";
pub(crate) const TOKEN: &str = "token";
pub(crate) const DESK_NAME: &str = "desk_name";
pub(crate) const LAST_PULLED_SEQ: &str = "last_pulled_seq";
/// The id of the change numbered [`LAST_PULLED_SEQ`] at the hub, when this desk knows it: the
/// hub's answer names the change it holds there, and another one shows it went back.
pub(crate) const LAST_PULLED_CHANGE: &str = "last_pulled_change";
/// The history the cursor counts in: the hub names the numbering of the center's changes.
pub(crate) const HUB_HISTORY: &str = "hub_history";
/// Set while the desk pulls the whole history again to learn what the hub holds: `noticed`
/// when the hub went back (or is another), `quiet` when it numbered the same changes again.
pub(crate) const CHECKING_WHAT_HUB_HOLDS: &str = "checking_what_hub_holds";
/// When the desk last found the hub holding less than it had, and how many changes it then
/// sent again.
pub(crate) const HUB_WENT_BACK_AT: &str = "hub_went_back_at";
pub(crate) const HUB_LOST_RESENT: &str = "hub_lost_resent";
/// Set once a backup was put back: the next full pull applies this desk's own changes too,
/// which the backup may not hold (otherwise they are left out as already here).
pub(crate) const APPLY_OWN_CHANGES: &str = "apply_own_changes";
pub(crate) const LAST_SYNCED_AT: &str = "last_synced_at";
pub(crate) const PROBLEM_CODE: &str = "problem_code";
pub(crate) const PROBLEM_MESSAGE: &str = "problem_message";
pub(crate) const HUB_CERTIFICATE: &str = "hub_certificate";
pub(crate) const ALLOW_PLAIN_HTTP: &str = "allow_plain_http";
pub(crate) const FUTURE_STAMPS_SEEN: &str = "future_stamps_seen";
/// The hub's last seq when this desk first synced knowing to ask for proofs: the unproven
/// history it vouches for when it seals the center's history again; 0 once that is done.
pub(crate) const UNPROVEN_HISTORY_UP_TO: &str = "unproven_history_up_to";
const CLOCK: &str = "clock";
const CLOCK_OFFSET_MS: &str = "clock_offset_ms";
/// The hub's time less this desk's, in ms, when the two were too far apart to tell which clock
/// is wrong; unset while they agree.
const CLOCK_IN_DOUBT_MS: &str = "clock_in_doubt_ms";
/// The offset an admin last took as right (the hub's time, far from the desk's own).
const CLOCK_OFFSET_ACCEPTED_MS: &str = "clock_offset_accepted_ms";

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

pub(crate) fn get_u64(conn: &Connection, key: &str) -> Result<u64> {
    Ok(get(conn, key)?.and_then(|text| text.parse().ok()).unwrap_or(0))
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

pub(crate) fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?.execute([key])?;
    Ok(())
}

/// The desk's hybrid logical clock, loaded for one transaction and saved at its end.
pub(crate) struct DeskClock {
    pub hlc: Hlc,
    /// Wall time corrected by what the hub's clock says (zero until a hub says otherwise).
    pub wall_ms: u64,
    /// Empty until the desk is enrolled with a hub.
    pub device_id: String,
}

impl DeskClock {
    pub fn load(conn: &Connection, now: Timestamp) -> Result<DeskClock> {
        let hlc = get(conn, CLOCK)?.and_then(|text| text.parse().ok()).unwrap_or_default();
        let offset = clock_offset(conn)?;
        let wall_ms = (now.0.timestamp_millis() + offset).max(0) as u64;
        Ok(DeskClock { hlc, wall_ms, device_id: get(conn, DEVICE_ID)?.unwrap_or_default() })
    }

    pub fn tick(&mut self) -> Hlc {
        self.hlc = self.hlc.tick(self.wall_ms);
        self.hlc
    }

    pub fn save(&self, conn: &Connection) -> Result<()> {
        set(conn, CLOCK, &self.hlc.to_string())
    }
}

/// How far the hub's clock is ahead of ours, in ms, kept so stamps follow the hub's time.
pub(crate) fn set_clock_offset(conn: &Connection, offset_ms: i64) -> Result<()> {
    set(conn, CLOCK_OFFSET_MS, &offset_ms.to_string())
}

pub(crate) fn clock_offset(conn: &Connection) -> Result<i64> {
    Ok(get(conn, CLOCK_OFFSET_MS)?.and_then(|text| text.parse().ok()).unwrap_or(0))
}

/// How far the hub's clock was from this desk's when they were too far apart to trust.
pub(crate) fn clock_in_doubt(conn: &Connection) -> Result<Option<i64>> {
    Ok(get(conn, CLOCK_IN_DOUBT_MS)?.and_then(|text| text.parse().ok()))
}

pub(crate) fn set_clock_in_doubt(conn: &Connection, offset_ms: Option<i64>) -> Result<()> {
    match offset_ms {
        Some(offset_ms) => set(conn, CLOCK_IN_DOUBT_MS, &offset_ms.to_string()),
        None => remove(conn, CLOCK_IN_DOUBT_MS),
    }
}

pub(crate) fn clock_offset_accepted(conn: &Connection) -> Result<i64> {
    Ok(get(conn, CLOCK_OFFSET_ACCEPTED_MS)?.and_then(|text| text.parse().ok()).unwrap_or(0))
}

pub(crate) fn accept_clock_offset(conn: &Connection, offset_ms: i64) -> Result<()> {
    set(conn, CLOCK_OFFSET_ACCEPTED_MS, &offset_ms.to_string())?;
    set_clock_offset(conn, offset_ms)?;
    set_clock_in_doubt(conn, None)
}

/// Puts the clock back to `to` (a clock that ran ahead of the hub's time).
pub(crate) fn reset_clock(conn: &Connection, to: Hlc) -> Result<()> {
    set(conn, CLOCK, &to.to_string())
}

/// "2 h 5 min ahead of", "40 min behind": how the hub's clock stands to the desk's.
pub fn clock_gap(offset_ms: i64) -> String {
    let minutes = (offset_ms.unsigned_abs() + 30_000) / 60_000;
    let amount = match (minutes / 60, minutes % 60) {
        (0, minutes) => format!("{minutes} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, minutes) => format!("{hours} h {minutes} min"),
    };
    format!("{amount} {}", if offset_ms > 0 { "ahead of" } else { "behind" })
}
