//! The audit log: sign-ins and failures, account and role changes, and (as each capability
//! records them) views of sensitive records, exports and edits. Entries are written in the same
//! transaction as what they record, sync to every desk, and are never changed or removed.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

use crate::access::{self, Action, Actor, Session};
use crate::error::CommonError;
use crate::sync::entity::{self, Entity, Fields};
use crate::sync::error::SyncError;
use crate::sync::record::RecordState;
use crate::{clock, new_id, sync, Desk, Error, Result, Timestamp};

/// What happened. Stored and synced by its snake_case name; a name a newer desk invented is
/// kept and shown as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum AuditEvent {
    SignedIn,
    SignInFailed,
    AccountLocked,
    AccountUnlocked,
    AccountCreated,
    AccountChanged,
    AccountTurnedOff,
    AccountTurnedOn,
    PinChanged,
    PasswordChanged,
    ConsentRecorded,
    PersonViewed,
    PersonRegistered,
    PersonEdited,
    PeopleExported,
    VisitsExported,
    PeopleImported,
    BackupMade,
    BackupRestored,
    SyncConnected,
    SyncDisconnected,
    SettingsChanged,
    PersonForgotten,
    GroupChanged,
    SessionChanged,
    RosterViewed,
    AttendanceMarked,
    GroupsExported,
    CallEdited,
    CallNotesViewed,
    CallerProfileViewed,
    CallerLinked,
    WarmlineChanged,
    WarmlineRecordHeld,
    WarmlineNotesErased,
    WarmlineExported,
    VolunteerChanged,
    CredentialChanged,
    ShiftsChanged,
    ShiftAssigned,
    ShiftReleased,
    ShiftAttendance,
    HoursLogged,
    VolunteersExported,
    PeopleLinked,
    PeopleKeptApart,
    ReportMade,
    DeskLetIn,
    CenterKeyRecovered,
    RecoverySheetWrittenDown,
    DeskRevoked,
    HubTimeAccepted,
    ComputerClockTrusted,
    CheckedIn,
    CheckedOut,
    CheckInUndone,
    CheckOutUndone,
    EveryoneCheckedOut,
    VisitServicesChanged,
}

impl AuditEvent {
    /// The name it is stored and synced by: `signed_in`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One line of the log as admins browse it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: String,
    pub at: Timestamp,
    /// An [`AuditEvent`] name.
    pub event: String,
    pub account_id: Option<String>,
    pub account_name: String,
    pub subject_id: Option<String>,
    /// The record it concerns, in words: the person's name, a group and its day, a caller's alias.
    pub subject: Option<String>,
    pub detail: String,
    pub desk_name: Option<String>,
}

/// Which entries to show. Days are the center's local days, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct AuditQuery {
    #[serde(default)]
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub event: Option<AuditEvent>,
    #[serde(default)]
    pub subject_id: Option<String>,
}

/// How many entries one page of the log holds.
pub const PAGE: usize = 200;

/// Records that `actor` did `event` to `subject_id`, inside the transaction doing it.
pub(crate) fn record(
    tx: &Transaction,
    now: Timestamp,
    actor: &Actor,
    event: AuditEvent,
    subject_id: Option<&str>,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (id, at, event, account_id, account_name, subject_id, detail, desk_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new_id(),
        now,
        event.as_str(),
        actor.account_id,
        actor.name,
        subject_id,
        detail,
        sync::desk_name(tx)?
    ])?;
    Ok(())
}

/// The newest entries first, at most [`PAGE`], for admins.
pub fn browse(desk: &Desk, session: &Session, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
    access::authorize(desk, session, Action::ReadAuditLog)?;
    let zone = desk.zone()?;
    let from = query.from.map(|day| clock::day_bounds(day, zone).map(|(start, _)| start)).transpose()?;
    let to = query.to.map(|day| clock::day_bounds(day, zone).map(|(_, end)| end)).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from >= to {
            return Err(Error::Common(CommonError::DateRangeReversed));
        }
    }
    let mut statement = desk.conn().prepare_cached(
        "SELECT id, at, event, account_id, account_name, subject_id, detail, desk_name FROM audit_log
         WHERE at >= COALESCE(?1, '') AND (?2 IS NULL OR at < ?2)
           AND (?3 IS NULL OR account_id = ?3) AND (?4 IS NULL OR event = ?4) AND (?5 IS NULL OR subject_id = ?5)
         ORDER BY at DESC, id DESC LIMIT ?6",
    )?;
    let rows = statement.query_map(
        params![from, to, query.account_id, query.event.map(AuditEvent::as_str), query.subject_id, PAGE as i64],
        entry_from_row,
    )?;
    let mut entries: Vec<AuditEntry> = rows.collect::<rusqlite::Result<_>>()?;
    let mut named: HashMap<String, Option<String>> = HashMap::new();
    for entry in &mut entries {
        let Some(id) = &entry.subject_id else { continue };
        if !named.contains_key(id) {
            let words = desk.entities().iter().find_map(|entity| entity.describe(desk.conn(), id).transpose());
            named.insert(id.clone(), words.transpose()?);
        }
        entry.subject = named[id].clone();
    }
    Ok(entries)
}

fn entry_from_row(row: &Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        event: row.get(2)?,
        account_id: row.get(3)?,
        account_name: row.get(4)?,
        subject_id: row.get(5)?,
        subject: None,
        detail: row.get(6)?,
        desk_name: row.get(7)?,
    })
}

/// Audit entries sync like any record, except that they only ever arrive: an entry already
/// held is never rewritten, and a delete from another desk erases nothing.
pub(crate) struct SyncedAudit;
pub(crate) const SYNCED: SyncedAudit = SyncedAudit;
const COLUMNS: [&str; 7] = ["at", "event", "account_id", "account_name", "subject_id", "detail", "desk_name"];

impl Entity for SyncedAudit {
    fn name(&self) -> &'static str {
        "audit"
    }

    fn watch_sql(&self) -> String {
        entity::watch("audit", "audit_log", &COLUMNS, |row| format!("{row}.id"))
    }

    fn read(&self, conn: &Connection, id: &str) -> Result<Option<Fields>> {
        let entry = conn
            .prepare_cached(
                "SELECT id, at, event, account_id, account_name, subject_id, detail, desk_name
                 FROM audit_log WHERE id = ?1",
            )?
            .query_row([id], entry_from_row)
            .optional()?;
        let Some(entry) = entry else { return Ok(None) };
        let values = [
            Some(entry.at.to_string()),
            Some(entry.event),
            entry.account_id,
            Some(entry.account_name),
            entry.subject_id,
            Some(entry.detail),
            entry.desk_name,
        ];
        Ok(Some(COLUMNS.iter().zip(values).map(|(column, value)| ((*column).to_owned(), value.into())).collect()))
    }

    fn write(&self, conn: &Connection, id: &str, record: &RecordState, held_before: bool) -> Result<()> {
        if held_before {
            return Ok(());
        }
        let text = |field: &'static str| match record.value(field) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(text)) => Ok(Some(text.as_str())),
            Some(_) => Err(Error::Sync(SyncError::UnusableSyncedValue { entity: "audit", field })),
        };
        let required = |field: &'static str| {
            text(field)?.ok_or(Error::Sync(SyncError::UnusableSyncedValue { entity: "audit", field }))
        };
        // Stored in the fixed-width form whatever the sender wrote, so entries sort by time.
        let at = Timestamp::parse(required("at")?)
            .ok_or(Error::Sync(SyncError::UnusableSyncedValue { entity: "audit", field: "at" }))?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO audit_log (id, at, event, account_id, account_name, subject_id, detail, desk_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            at,
            required("event")?,
            text("account_id")?,
            required("account_name")?,
            text("subject_id")?,
            text("detail")?.unwrap_or_default(),
            text("desk_name")?
        ])?;
        Ok(())
    }

    fn remove(&self, _conn: &Connection, _id: &str) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::access::{AccessError, Role};
    use crate::accounts::{self, AccountInput};
    use crate::testkit::{desk_at, TestDesk};
    use crate::testkit::{set_up, ADMIN_PIN};

    fn events(entries: &[AuditEntry]) -> Vec<(&str, &str, &str)> {
        entries.iter().map(|e| (e.event.as_str(), e.account_name.as_str(), e.detail.as_str())).collect()
    }

    fn sam(desk: &mut TestDesk, admin: &Session) -> String {
        let input = AccountInput {
            name: "Sam K.".into(),
            roles: vec![Role::FrontDesk],
            pin: "5827".into(),
            ..Default::default()
        };
        accounts::create(desk, admin, &input).unwrap().id
    }

    /// Entries are stored and synced by these names, and the window filters by them (serde's).
    #[test]
    fn each_event_is_stored_by_the_name_the_window_knows_it_by() {
        for event in <AuditEvent as strum::VariantArray>::VARIANTS {
            assert_eq!(serde_json::to_value(event).unwrap(), event.as_str(), "{event:?}");
        }
        assert_eq!(AuditEvent::SignInFailed.as_str(), "sign_in_failed");
    }

    #[test]
    fn views_edits_exports_imports_and_backups_are_logged_with_nothing_of_the_data() {
        use crate::export::{Days, Format};
        use crate::people::PersonInput;
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let dana =
            PersonInput { display_name: "Dana P.".into(), phone: Some("555-555-0142".into()), ..Default::default() };
        let person = crate::people::register(&mut desk, &admin, &dana).unwrap();
        crate::people::get(&mut desk, &admin, &person.id).unwrap();
        crate::people::update(&mut desk, &admin, &person.id, &PersonInput { alias: Some("Dee".into()), ..dana })
            .unwrap();
        crate::export::people(&mut desk, &admin, Days::default(), Format::Csv, std::io::sink()).unwrap();
        crate::export::visits(&mut desk, &admin, Days::default(), Format::Json, std::io::sink()).unwrap();
        crate::import::people_csv(&mut desk, &admin, "display_name\nLee T.\nMo K.\n".as_bytes()).unwrap();
        let backup_dir = tempfile::tempdir().unwrap();
        crate::backup::to_file(&mut desk, &admin, &backup_dir.path().join("harbor.sqlite3")).unwrap();
        let operator = Session::operator("maria");
        crate::export::visits(&mut desk, &operator, Days::default(), Format::Csv, std::io::sink()).unwrap();

        let log = browse(&desk, &admin, &AuditQuery::default()).unwrap();
        let mut logged: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.event.as_str(), e.account_name.as_str()))
            .filter(|(e, _)| *e != "account_created")
            .collect();
        logged.reverse();
        assert_eq!(
            logged,
            [
                ("person_registered", "Rosa M."),
                ("person_viewed", "Rosa M."),
                ("person_edited", "Rosa M."),
                ("people_exported", "Rosa M."),
                ("visits_exported", "Rosa M."),
                ("people_imported", "Rosa M."),
                ("backup_made", "Rosa M."),
                ("visits_exported", "maria (command line)"),
            ]
        );
        let about_dana: Vec<&AuditEntry> = log.iter().filter(|e| e.subject_id.as_deref() == Some(&person.id)).collect();
        assert_eq!(about_dana.len(), 3, "registered, viewed, edited");
        assert!(log.iter().all(|e| !e.detail.contains("Dana") && !e.detail.contains("555")), "no personal data");
        assert!(log.iter().any(|e| e.event == "people_imported" && e.detail == "2 people"));
        assert!(log.iter().any(|e| e.account_id.is_none() && e.account_name == "maria (command line)"));
    }

    #[test]
    fn account_events_are_logged_with_who_did_them_and_never_a_secret() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = sam(&mut desk, &admin);
        desk.clock.advance(Duration::minutes(1));
        accounts::sign_in_with_pin(&mut desk, &sam, "9999").unwrap_err();
        desk.clock.advance(Duration::minutes(1));
        accounts::sign_in_with_pin(&mut desk, &sam, "5827").unwrap();
        desk.clock.advance(Duration::minutes(1));
        accounts::update(&mut desk, &admin, &sam, "Sam K.", &[Role::Warmline]).unwrap();
        desk.clock.advance(Duration::minutes(1));
        accounts::set_pin(&mut desk, &admin, &sam, "6093").unwrap();
        desk.clock.advance(Duration::minutes(1));
        accounts::set_active(&mut desk, &admin, &sam, false).unwrap();

        let log = browse(&desk, &admin, &AuditQuery::default()).unwrap();
        assert_eq!(
            events(&log),
            [
                ("account_turned_off", "Rosa M.", "Sam K."),
                ("pin_changed", "Rosa M.", "Sam K."),
                ("account_changed", "Rosa M.", "roles Front desk → Warmline"),
                ("signed_in", "Sam K.", "with PIN"),
                ("sign_in_failed", "Sam K.", "wrong PIN"),
                ("account_created", "Rosa M.", "Sam K.: Front desk"),
                ("account_created", "Rosa M.", "first admin, at setup"),
            ]
        );
        assert!(log[..6].iter().all(|entry| entry.subject_id.as_deref() == Some(sam.as_str())));
        let everything: String = log.iter().map(|entry| format!("{entry:?}")).collect();
        for secret in ["9999", "5827", "6093", ADMIN_PIN, "horse"] {
            assert!(!everything.contains(secret), "{secret} must never be logged");
        }
    }

    #[test]
    fn a_lock_and_the_tries_on_a_locked_account_are_logged() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = sam(&mut desk, &admin);
        for _ in 0..6 {
            desk.clock.advance(Duration::minutes(5));
            accounts::sign_in_with_pin(&mut desk, &sam, "9999").unwrap_err();
        }
        accounts::unlock(&mut desk, &admin, &sam).unwrap();
        let log = browse(&desk, &admin, &AuditQuery { subject_id: Some(sam), ..Default::default() }).unwrap();
        assert_eq!(
            events(&log[..4]),
            [
                ("account_unlocked", "Rosa M.", "Sam K."),
                ("sign_in_failed", "Sam K.", "account is locked"),
                ("account_locked", "Sam K.", "after 5 wrong tries"),
                ("sign_in_failed", "Sam K.", "wrong PIN"),
            ]
        );
    }

    #[test]
    fn the_log_refuses_any_change_or_removal() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        set_up(&mut desk);
        for sql in ["UPDATE audit_log SET detail = 'nothing happened'", "DELETE FROM audit_log"] {
            let err = desk.conn().execute(sql, []).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(desk.conn().query_row("SELECT COUNT(*) FROM audit_log", [], |row| row.get::<_, i64>(0)).unwrap(), 1);
    }

    #[test]
    fn admins_browse_by_day_account_and_event_with_their_password() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = sam(&mut desk, &admin);
        // 22:30 in Denver on the 23rd is already the 24th in UTC.
        desk.clock.advance(Duration::hours(14) + Duration::minutes(30));
        let session = accounts::sign_in_with_pin(&mut desk, &sam, "5827").unwrap();
        desk.clock.advance(Duration::days(1));
        accounts::sign_in_with_pin(&mut desk, &sam, "5827").unwrap();

        let day = |text: &str| Some(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap());
        let on_the_23rd = AuditQuery { from: day("2026-11-23"), to: day("2026-11-23"), ..Default::default() };
        let found = browse(&desk, &admin, &on_the_23rd).unwrap();
        assert_eq!(
            events(&found),
            [
                ("signed_in", "Sam K.", "with PIN"),
                ("account_created", "Rosa M.", "Sam K.: Front desk"),
                ("account_created", "Rosa M.", "first admin, at setup"),
            ],
            "the sign-in at 22:30 local time belongs to the 23rd"
        );
        let sams_sign_ins =
            AuditQuery { account_id: Some(sam.clone()), event: Some(AuditEvent::SignedIn), ..Default::default() };
        assert_eq!(browse(&desk, &admin, &sams_sign_ins).unwrap().len(), 2);
        let reversed = AuditQuery { from: day("2026-11-24"), to: day("2026-11-23"), ..Default::default() };
        assert!(matches!(browse(&desk, &admin, &reversed), Err(Error::Common(CommonError::DateRangeReversed))));

        assert!(matches!(
            browse(&desk, &session, &AuditQuery::default()),
            Err(Error::Access(AccessError::NotAllowed { .. }))
        ));
        let admin_by_pin = accounts::sign_in_with_pin(&mut desk, admin.account_id().unwrap(), ADMIN_PIN).unwrap();
        assert!(matches!(
            browse(&desk, &admin_by_pin, &AuditQuery::default()),
            Err(Error::Access(AccessError::PasswordNeeded { .. }))
        ));
    }
}
