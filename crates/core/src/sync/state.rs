//! The desk's own sync bookkeeping, in `sync_state`: its hub link and pull cursor (its clock is
//! [`super::trusted_time`]'s).

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

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
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?)
}

pub(crate) fn get_u64(conn: &Connection, key: &str) -> Result<u64> {
    Ok(get(conn, key)?.and_then(|text| text.parse().ok()).unwrap_or(0))
}

pub(crate) fn get_i64(conn: &Connection, key: &str) -> Result<i64> {
    Ok(get(conn, key)?.and_then(|text| text.parse().ok()).unwrap_or(0))
}

/// Sets `key` to `value`; a value that is already so is left unwritten (a sync with nothing
/// to do rewrites nothing).
pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

pub(crate) fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?.execute([key])?;
    Ok(())
}
