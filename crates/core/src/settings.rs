//! The center's own settings: its name and the time zone that decides what "today" is.

use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::{self, Entity, Fields, Upkeep};
use crate::sync::error::SyncError;
use crate::sync::record::RecordState;
use crate::{text, Desk, Error, Result, Timestamp};

const CENTER_NAME: &str = "center_name";
const TIME_ZONE: &str = "time_zone";
const DEFAULT_CENTER_NAME: &str = "Our recovery community center";
/// Kept by each desk for itself: the group room may lock sooner than the front desk.
const LOCK_AFTER_MINUTES: &str = "lock_after_minutes";
pub const DEFAULT_LOCK_AFTER_MINUTES: u32 = 5;
const LOCK_AFTER_LIMITS: std::ops::RangeInclusive<u32> = 1..=60;
/// Where this desk keeps its automatic backups, when an admin chose a folder (a USB drive):
/// each desk its own, as the folder is on its computer.
const BACKUP_FOLDER: &str = "backup_folder";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    pub center_name: String,
    /// An IANA zone name such as `America/Chicago`.
    pub time_zone: String,
}

/// The center's settings travel as one record with this fixed id, the same on every desk.
const RECORD_ID: &str = "01933b00-0000-7000-8000-000000000000";

/// Settings sync as one `settings` record with a field per key. Keys not named here stay
/// on this desk.
pub(crate) struct SyncedSettings;
pub(crate) const SYNCED: SyncedSettings = SyncedSettings;
const SYNCED_KEYS: [&str; 5] = [CENTER_NAME, TIME_ZONE, WARMLINE_NOTE_DAYS, FISCAL_YEAR_STARTS, SMALL_COUNTS_BELOW];

/// How long the warmline's narrative (call notes, "what helps", flags) is kept: the same on
/// every desk, so it is erased everywhere alike. Empty until an admin sets it.
const WARMLINE_NOTE_DAYS: &str = "warmline_note_days";
pub const DEFAULT_WARMLINE_NOTE_DAYS: u32 = 90;
const WARMLINE_NOTE_DAYS_LIMITS: std::ops::RangeInclusive<u32> = 7..=3_650;

/// The month (1 to 12) the center's fiscal year starts in, and the count under which a number
/// about people leaves the desk as "fewer than N": center-wide, so every desk's reports agree.
const FISCAL_YEAR_STARTS: &str = "fiscal_year_starts";
const SMALL_COUNTS_BELOW: &str = "small_counts_below";
/// "1" when the center sends its monthly figures (counts only) to the hub for its network.
const PUBLISH_TO_NETWORK: &str = "publish_to_network";
const SMALL_COUNTS_LIMITS: std::ops::RangeInclusive<u32> = 2..=20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportSettings {
    pub fiscal_year_starts: u32,
    pub small_counts_below: u32,
    /// Whether each sync sends the last month's figures (counts only, small ones hidden) to
    /// the hub, for the network's report. Off until an admin turns it on.
    pub publish_to_network: bool,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings { fiscal_year_starts: 1, small_counts_below: 5, publish_to_network: false }
    }
}

impl Entity for SyncedSettings {
    fn name(&self) -> &'static str {
        "settings"
    }

    fn watch_sql(&self) -> String {
        entity::watch("settings", "settings", &[], |_| format!("'{RECORD_ID}'"))
    }

    fn read(&self, conn: &Connection, _id: &str) -> Result<Option<Fields>> {
        let mut fields = Fields::new();
        for key in SYNCED_KEYS {
            fields.insert(key.to_owned(), read(conn, key)?.into());
        }
        Ok(Some(fields))
    }

    fn write(&self, conn: &Connection, _id: &str, record: &RecordState, _held_before: bool) -> Result<()> {
        for key in SYNCED_KEYS {
            let Some(value) = record.value(key) else {
                continue;
            };
            let value =
                value.as_str().ok_or(Error::Sync(SyncError::UnusableSyncedValue { entity: "settings", field: key }))?;
            if key == TIME_ZONE && value.parse::<Tz>().is_err() {
                return Err(Error::Sync(SyncError::UnusableSyncedValue { entity: "settings", field: key }));
            }
            write(conn, key, value)?;
        }
        Ok(())
    }

    fn remove(&self, _conn: &Connection, _id: &str) -> Result<()> {
        Ok(())
    }

    fn upkeep(&self) -> &'static dyn Upkeep {
        &Defaults
    }

    /// The default settings are the same on every desk: worth sending once someone named the center.
    fn kept_before_sync(&self, conn: &Connection) -> Result<Vec<String>> {
        Ok(if changed_from_defaults(conn)? { vec![RECORD_ID.to_owned()] } else { Vec::new() })
    }
}

/// A new desk fills in its settings' defaults for itself.
struct Defaults;

impl Upkeep for Defaults {
    fn on_open(&self, tx: &Transaction, _now: Timestamp) -> Result<()> {
        fill_defaults(tx)
    }
}

/// True when someone has set the center's name (so settings are worth sending).
fn changed_from_defaults(conn: &Connection) -> Result<bool> {
    Ok(read(conn, CENTER_NAME)? != DEFAULT_CENTER_NAME)
}

impl Desk {
    /// The center's time zone, from its settings.
    pub fn zone(&self) -> Result<Tz> {
        let name = read(self.conn(), TIME_ZONE)?;
        name.parse().map_err(|_| Error::Settings(SettingsError::UnknownTimeZone(name)))
    }

    /// The center's local day, which is what "today" means at the desk.
    pub fn today(&self) -> Result<NaiveDate> {
        Ok(self.now().in_zone(self.zone()?).date_naive())
    }
}

/// Whether someone has named the center (first-run setup, the demo, an import from a named
/// desk): until then first-run setup starts with an empty name field.
pub fn center_named(desk: &Desk) -> Result<bool> {
    changed_from_defaults(desk.conn())
}

/// The center's name and time zone. Anyone may read them, signed in or not: the lock screen
/// shows them, and they say nothing about anybody.
pub fn get(desk: &Desk) -> Result<Settings> {
    Ok(Settings { center_name: read(desk.conn(), CENTER_NAME)?, time_zone: read(desk.conn(), TIME_ZONE)? })
}

pub fn update(desk: &mut Desk, session: &Session, input: &Settings) -> Result<Settings> {
    let input = validated(input)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageSettings)?;
        write_all(tx, &input)?;
        audit::record(tx, now, &actor, AuditEvent::SettingsChanged, None, "")
    })?;
    get(desk)
}

/// How long this desk may sit untouched before it locks. Anyone may read it: the window
/// needs it before anyone signs in.
pub fn lock_after_minutes(desk: &Desk) -> Result<u32> {
    let stored = read(desk.conn(), LOCK_AFTER_MINUTES)?;
    Ok(stored.parse().ok().filter(|minutes| LOCK_AFTER_LIMITS.contains(minutes)).unwrap_or(DEFAULT_LOCK_AFTER_MINUTES))
}

pub fn set_lock_after_minutes(desk: &mut Desk, session: &Session, minutes: u32) -> Result<u32> {
    if !LOCK_AFTER_LIMITS.contains(&minutes) {
        return Err(Error::Settings(SettingsError::LockAfterOutOfRange {
            min: *LOCK_AFTER_LIMITS.start(),
            max: *LOCK_AFTER_LIMITS.end(),
        }));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageSettings)?;
        write(tx, LOCK_AFTER_MINUTES, &minutes.to_string())?;
        audit::record(tx, now, &actor, AuditEvent::SettingsChanged, None, &format!("lock after {minutes} minutes"))
    })?;
    Ok(minutes)
}

/// The folder an admin chose for this desk's automatic backups, if any.
pub(crate) fn backup_folder(conn: &Connection) -> Result<Option<std::path::PathBuf>> {
    Ok(Some(read(conn, BACKUP_FOLDER)?).filter(|folder| !folder.is_empty()).map(Into::into))
}

pub(crate) fn write_backup_folder(conn: &Connection, folder: Option<&std::path::Path>) -> Result<()> {
    write(conn, BACKUP_FOLDER, &folder.map(|folder| folder.display().to_string()).unwrap_or_default())
}

/// How many days the warmline's notes are kept before they are erased everywhere.
pub fn warmline_note_days(desk: &Desk) -> Result<u32> {
    let stored = read(desk.conn(), WARMLINE_NOTE_DAYS)?;
    Ok(stored
        .parse()
        .ok()
        .filter(|days| WARMLINE_NOTE_DAYS_LIMITS.contains(days))
        .unwrap_or(DEFAULT_WARMLINE_NOTE_DAYS))
}

pub fn set_warmline_note_days(desk: &mut Desk, session: &Session, days: u32) -> Result<u32> {
    if !WARMLINE_NOTE_DAYS_LIMITS.contains(&days) {
        let (min, max) = (*WARMLINE_NOTE_DAYS_LIMITS.start(), *WARMLINE_NOTE_DAYS_LIMITS.end());
        return Err(Error::Settings(SettingsError::RetentionOutOfRange { min, max }));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageSettings)?;
        write(tx, WARMLINE_NOTE_DAYS, &days.to_string())?;
        let detail = format!("warmline notes kept {days} days");
        audit::record(tx, now, &actor, AuditEvent::SettingsChanged, None, &detail)
    })?;
    Ok(days)
}

/// How the center's reports count: anyone who may run reports needs them, and they name nobody.
pub fn report_settings(desk: &Desk) -> Result<ReportSettings> {
    let default = ReportSettings::default();
    let read_number = |key| -> Result<Option<u32>> { Ok(read(desk.conn(), key)?.parse().ok()) };
    Ok(ReportSettings {
        fiscal_year_starts: read_number(FISCAL_YEAR_STARTS)?
            .filter(|month| (1..=12).contains(month))
            .unwrap_or(default.fiscal_year_starts),
        small_counts_below: read_number(SMALL_COUNTS_BELOW)?
            .filter(|below| SMALL_COUNTS_LIMITS.contains(below))
            .unwrap_or(default.small_counts_below),
        publish_to_network: read(desk.conn(), PUBLISH_TO_NETWORK)? == "1",
    })
}

pub fn set_report_settings(desk: &mut Desk, session: &Session, input: &ReportSettings) -> Result<ReportSettings> {
    if !(1..=12).contains(&input.fiscal_year_starts) {
        return Err(Error::Settings(SettingsError::FiscalYearStartOutOfRange));
    }
    if !SMALL_COUNTS_LIMITS.contains(&input.small_counts_below) {
        let (min, max) = (*SMALL_COUNTS_LIMITS.start(), *SMALL_COUNTS_LIMITS.end());
        return Err(Error::Settings(SettingsError::SmallCountOutOfRange { min, max }));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageSettings)?;
        write(tx, FISCAL_YEAR_STARTS, &input.fiscal_year_starts.to_string())?;
        write(tx, SMALL_COUNTS_BELOW, &input.small_counts_below.to_string())?;
        write(tx, PUBLISH_TO_NETWORK, if input.publish_to_network { "1" } else { "0" })?;
        let detail = format!(
            "fiscal year starts in month {}, counts under {} hidden, monthly figures {} to the hub",
            input.fiscal_year_starts,
            input.small_counts_below,
            if input.publish_to_network { "published" } else { "not published" }
        );
        audit::record(tx, now, &actor, AuditEvent::SettingsChanged, None, &detail)
    })?;
    report_settings(desk)
}

/// The settings trimmed and checked, or the first thing wrong with them.
pub(crate) fn validated(input: &Settings) -> Result<Settings> {
    let center_name = text::optional(Some(&input.center_name), "center_name", "Center name", 80)?
        .ok_or(Error::Settings(SettingsError::CenterNameRequired))?;
    let time_zone = zone_named(input.time_zone.trim())?;
    Ok(Settings { center_name, time_zone })
}

/// The time zone `typed` names: its full name in any case ("America/Chicago"), or a city the zone
/// database names it by ("Chicago", "new york"), when only one zone has that city.
fn zone_named(typed: &str) -> Result<String> {
    if let Ok(zone) = typed.parse::<Tz>() {
        return Ok(zone.name().to_owned());
    }
    let city = typed.replace(' ', "_").to_lowercase();
    let mut matching = chrono_tz::TZ_VARIANTS.iter().filter(|zone| {
        let name = zone.name().to_lowercase();
        name == city || (name.contains('/') && name.rsplit('/').next() == Some(city.as_str()))
    });
    match (matching.next(), matching.next()) {
        (Some(zone), None) if !city.is_empty() => Ok(zone.name().to_owned()),
        _ => Err(Error::Settings(SettingsError::UnknownTimeZone(typed.to_owned()))),
    }
}

pub(crate) fn write_all(conn: &Connection, input: &Settings) -> Result<()> {
    write(conn, CENTER_NAME, &input.center_name)?;
    write(conn, TIME_ZONE, &input.time_zone)
}

/// A new desk starts in the computer's own time zone, which is right for nearly every center.
fn fill_defaults(tx: &Transaction) -> Result<()> {
    let system_zone = iana_time_zone::get_timezone()
        .ok()
        .filter(|name| name.parse::<Tz>().is_ok())
        .unwrap_or_else(|| "UTC".to_owned());
    for (key, value) in [(CENTER_NAME, DEFAULT_CENTER_NAME), (TIME_ZONE, system_zone.as_str())] {
        tx.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?1, ?2)", params![key, value])?;
    }
    Ok(())
}

fn read(conn: &Connection, key: &str) -> Result<String> {
    let value = conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?;
    Ok(value.unwrap_or_default())
}

fn write(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

crate::error::domain_errors! {
    /// What stops the center's settings from being saved.
    pub enum SettingsError, codes SettingsErrorCode {
        #[error("A center name is needed.")]
        CenterNameRequired in "center_name",
        #[error("\"{0}\" is not a time zone Porchlight knows (try one like America/Chicago).")]
        UnknownTimeZone(String) in "time_zone",
        #[error("Lock the desk after {min} to {max} minutes without use.")]
        LockAfterOutOfRange { min: u32, max: u32 } in "lock_after_minutes",
        #[error("Keep warmline notes {min} to {max} days.")]
        RetentionOutOfRange { min: u32, max: u32 } in "warmline_note_days",
        #[error("Fiscal years start in a month from 1 to 12.")]
        FiscalYearStartOutOfRange in "fiscal_year_starts",
        #[error("Small counts are hidden below a number from {min} to {max}.")]
        SmallCountOutOfRange { min: u32, max: u32 } in "small_counts_below",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{AccessError, Role};
    use crate::accounts::{self, AccountInput};
    use crate::testkit::desk_at;
    use crate::testkit::{set_up, OPERATOR};

    #[test]
    fn settings_are_validated_and_kept() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let bad_zone = Settings { center_name: "Harbor House".into(), time_zone: "Mars/Olympus".into() };
        assert!(matches!(
            update(&mut desk, &OPERATOR, &bad_zone),
            Err(Error::Settings(SettingsError::UnknownTimeZone(_)))
        ));
        let no_name = Settings { center_name: "  ".into(), time_zone: "America/Denver".into() };
        assert!(matches!(
            update(&mut desk, &OPERATOR, &no_name),
            Err(Error::Settings(SettingsError::CenterNameRequired))
        ));
        assert_eq!(get(&desk).unwrap().center_name, "Test Center", "a refused update changes nothing");

        let good = Settings { center_name: " Harbor House ".into(), time_zone: "America/Denver".into() };
        let saved = update(&mut desk, &OPERATOR, &good).unwrap();
        assert_eq!(saved, Settings { center_name: "Harbor House".into(), time_zone: "America/Denver".into() });

        // A city is enough when only one zone is named by it.
        for (typed, zone) in
            [("Chicago", "America/Chicago"), ("new york", "America/New_York"), ("america/boise", "America/Boise")]
        {
            let city = Settings { center_name: "Harbor House".into(), time_zone: typed.into() };
            assert_eq!(update(&mut desk, &OPERATOR, &city).unwrap().time_zone, zone, "{typed}");
        }
    }

    #[test]
    fn a_new_desk_has_no_center_name_of_its_own_until_one_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open_dir(dir.path()).unwrap();
        assert!(!center_named(&desk).unwrap(), "first-run setup starts with an empty name");
        let named = Settings { center_name: "Harbor House".into(), time_zone: "America/Denver".into() };
        update(&mut desk, &OPERATOR, &named).unwrap();
        assert!(center_named(&desk).unwrap());
    }

    #[test]
    fn today_is_the_centers_local_day() {
        // 03:00 UTC on the 24th is still the evening of the 23rd in Chicago.
        let desk = desk_at("2026-11-24T03:00:00Z");
        assert_eq!(desk.today().unwrap().to_string(), "2026-11-23");
    }

    #[test]
    fn each_desk_locks_after_five_idle_minutes_unless_an_admin_says_otherwise() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        assert_eq!(lock_after_minutes(&desk).unwrap(), DEFAULT_LOCK_AFTER_MINUTES);
        for refused in [0, 61] {
            let err = set_lock_after_minutes(&mut desk, &admin, refused).unwrap_err();
            assert_eq!((err.code(), err.field()), ("lock_after_out_of_range", Some("lock_after_minutes")));
        }
        assert_eq!(set_lock_after_minutes(&mut desk, &admin, 2).unwrap(), 2);
        assert_eq!(lock_after_minutes(&desk).unwrap(), 2);

        let front = AccountInput {
            name: "Sam K.".into(),
            roles: vec![Role::FrontDesk],
            pin: "5827".into(),
            ..Default::default()
        };
        let front = accounts::create(&mut desk, &admin, &front).unwrap();
        let sam = accounts::sign_in_with_pin(&mut desk, &front.id, "5827").unwrap();
        assert!(matches!(
            set_lock_after_minutes(&mut desk, &sam, 30),
            Err(Error::Access(AccessError::NotAllowed { .. }))
        ));
        assert_eq!(lock_after_minutes(&desk).unwrap(), 2);
        let pending = crate::sync::pending_changes(&desk, 100).unwrap();
        let synced = pending.iter().filter(|change| change.entity == "settings");
        assert!(
            synced.flat_map(|change| change.fields.keys()).all(|field| field != LOCK_AFTER_MINUTES),
            "each desk keeps its own"
        );
    }
}
