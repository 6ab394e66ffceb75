//! Porchlight's core: everything a desk does, as a plain Rust API over its own SQLite file.
//!
//! Start at [`Desk`]: it owns the connection and the clock. The modules are layered, each
//! using only those below it (the test `tests/layering.rs` keeps it so):
//!
//! - base: `error`, `clock`, `text`, `ids`
//! - the sync engine, `sync::{error, entity, record, outbox, inbox, erasure, state, client}`:
//!   works on connections, names no record type
//! - the store, `store` and `encryption`: the [`Desk`], its migrations and its one way to write
//! - `sync` itself: a desk's changes going out and coming in, with no one signed in
//! - access control, `access`: roles, actions and their scope, sessions
//! - `audit`
//! - shared by domains: `recurrence` (RFC 5545 schedules and their occurrences), `calendar`
//!   (iCalendar files) and `retirable` (the short lists a center configures)
//! - the domains, each holding its records, rules, SQL and tests: `settings`, `services`,
//!   `people`, `consent`, `visits`, `accounts` (staff), `hub_link` (the desk's link to its hub)
//! - `front_desk` (search with presence), then `groups` (sessions and attendance, which
//!   reach the front desk's visits), then `warmline` (calls, callers, referrals, retention),
//!   then `volunteers` (shifts for groups' facilitators and the warmline's hours, credited by
//!   the calls volunteers take)
//! - across domains: `export`, `import`, `reports`,
//!   `demo`, `backup`
//! - this file: the one place that names every record type and every migration;
//! - and above everything, for tests only: `testkit`.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
mod calendar;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod encryption;
mod error;
pub mod export;
pub mod front_desk;
pub mod groups;
pub mod hub_link;
mod ids;
pub mod import;
pub mod people;
mod recurrence;
pub mod reports;
mod retirable;
pub mod round;
pub mod same_person;
pub mod services;
pub mod settings;
mod store;
pub mod sync;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod text;
pub mod visits;
pub mod volunteers;
pub mod warmline;

use std::path::Path;
use std::sync::Arc;

pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
use encryption::DeskKey;
pub use error::{CommonError, CommonErrorCode, Error, ErrorCode, ErrorDetail, ImportRowError, Result};
pub use ids::new_id;
pub use recurrence::{RecurrenceError, RecurrenceErrorCode};
pub use retirable::{RetirableError, RetirableErrorCode};
pub use store::{ensure_writable, Desk, StoreError, StoreErrorCode, DATABASE_FILE_NAME};

use store::Schema;
use sync::entity::Entities;

/// Everything a desk's database holds. A new record type is one module with its `SYNCED`
/// declaration, one line in `entities`, its name in `porchlight_protocol::RECORD_TYPES`, and its
/// migration at the end of `migrations`.
pub(crate) static SCHEMA: Schema = Schema {
    migrations: &[
        include_str!("../migrations/001_front_desk.sql"),
        include_str!("../migrations/002_sync.sql"),
        include_str!("../migrations/003_search_upkeep.sql"),
        include_str!("../migrations/004_accounts.sql"),
        include_str!("../migrations/005_audit.sql"),
        include_str!("../migrations/006_consents.sql"),
        include_str!("../migrations/007_changed_by.sql"),
        include_str!("../migrations/008_forget.sql"),
        include_str!("../migrations/009_groups.sql"),
        include_str!("../migrations/010_attendance_by_group.sql"),
        include_str!("../migrations/011_warmline.sql"),
        include_str!("../migrations/012_outbox_by_record.sql"),
        include_str!("../migrations/013_volunteers.sql"),
        include_str!("../migrations/014_same_person.sql"),
        include_str!("../migrations/015_center_keys.sql"),
        include_str!("../migrations/016_proven_changes.sql"),
        include_str!("../migrations/017_hub_went_back.sql"),
        include_str!("../migrations/018_handoff_notes.sql"),
    ],
    // People come first: a desk that kept records before it could sync sends them before the
    // visits that refer to them.
    entities: Entities(&[
        &people::SYNCED,
        &same_person::SYNCED,
        &visits::SYNCED,
        &services::SYNCED,
        &settings::SYNCED,
        &access::ACCOUNTS,
        &audit::SYNCED,
        &people::CONSENTS,
        &groups::SYNCED,
        &groups::schedule::SYNCED,
        &groups::sessions::SYNCED,
        &groups::attendance::SYNCED,
        &warmline::CALL_TYPES,
        &warmline::TOPICS,
        &warmline::resources::SYNCED,
        &warmline::callers::SYNCED,
        &warmline::callers::NOTES,
        &warmline::callers::FLAGS,
        &warmline::calls::SYNCED,
        &warmline::follow_ups::SYNCED,
        &warmline::handoff::NOTES,
        &volunteers::ROLES,
        &volunteers::CREDENTIAL_KINDS,
        &volunteers::SYNCED,
        &volunteers::BLACKOUTS,
        &volunteers::credentials::SYNCED,
        &volunteers::templates::SYNCED,
        &volunteers::templates::SCHEDULES,
        &volunteers::shifts::SYNCED,
        &volunteers::assignments::SYNCED,
        &volunteers::hours::SYNCED,
        &sync::keys::DESK_KEYS,
    ]),
};

/// The names of the record types desks sync, in the order a desk sends them: what arrives
/// from other desks is named by these.
pub fn record_types() -> Vec<&'static str> {
    SCHEMA.entities.iter().map(|entity| entity.name()).collect()
}

impl Desk {
    /// Opens (creating if needed) the desk database in `dir`, on the system clock.
    pub fn open_dir(dir: &Path) -> Result<Desk> {
        Desk::open_dir_keyed(dir, None)
    }

    /// Opens the desk in `dir` encrypted with `key` (see [`Desk::open_keyed`]).
    pub fn open_dir_keyed(dir: &Path, key: Option<DeskKey>) -> Result<Desk> {
        ensure_writable(dir)?;
        Desk::open_keyed(&dir.join(DATABASE_FILE_NAME), Arc::new(SystemClock), key)
    }

    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Desk> {
        Desk::open_keyed(path, clock, None)
    }

    /// Opens a database encrypted with `key`. A plain database found there is encrypted in
    /// place first, safely (see [`encryption::encrypt_in_place`]). A wrong key changes nothing.
    pub fn open_keyed(path: &Path, clock: Arc<dyn Clock>, key: Option<DeskKey>) -> Result<Desk> {
        Desk::open_schema(path, clock, key, &SCHEMA)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn the_record_types_desks_sync_are_the_ones_the_hub_takes() {
        let declared: BTreeSet<&str> = super::SCHEMA.entities.iter().map(|entity| entity.name()).collect();
        let taken: BTreeSet<&str> = porchlight_protocol::RECORD_TYPES.iter().copied().collect();
        assert_eq!(declared, taken, "a record type the hub would refuse, or one no desk declares");
    }
}
