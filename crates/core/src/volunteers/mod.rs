//! Volunteer scheduling. A volunteer is a front-desk person with volunteer details (the same
//! record, so someone can be both; their visits never show here, nor these details at the
//! front desk): the [`ShiftRole`]s they fill, availability and days away. They hold
//! [`credentials`] that roles ask for; [`templates`] publish recurring [`shifts`] for a role,
//! each needing so many volunteers; [`assignments`] put volunteers on them and record who came;
//! [`hours`] counts it all for funders.
//!
//! This module holds the lists a center configures (shift roles and credential kinds, retired,
//! never deleted) and the volunteers themselves.

pub mod assignments;
pub mod credentials;
pub mod hours;
pub mod shifts;
pub mod templates;

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Actor, Scope, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::typed_clock;
use crate::error::CommonError;
use crate::recurrence::Weekday;
use crate::sync::entity::{List, Table};
use crate::sync::erasure::{Erased, OnForget, Personal};
use crate::{new_id, people, retirable, text, Desk, Error, Result, Timestamp};

/// The seeded shift roles (migration 013), by their ids, the same on every desk.
pub const FRONT_DESK_ROLE: &str = "01933b00-0000-7000-8004-000000000001";
pub const WARMLINE_ROLE: &str = "01933b00-0000-7000-8004-000000000002";
pub const FACILITATION_ROLE: &str = "01933b00-0000-7000-8004-000000000003";
pub const DRIVER_ROLE: &str = "01933b00-0000-7000-8004-000000000004";
/// The seeded credential kinds the seeded roles ask for.
pub const WARMLINE_TRAINING: &str = "01933b00-0000-7000-8005-000000000002";
pub const BACKGROUND_CHECK: &str = "01933b00-0000-7000-8005-000000000003";
pub const CONFIDENTIALITY_TRAINING: &str = "01933b00-0000-7000-8005-000000000006";

/// What a shift is for: front desk, warmline hours, facilitation, driving.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ShiftRole {
    pub id: String,
    pub name: String,
    /// Its shifts are the warmline's opening hours: their gaps come first.
    pub warmline: bool,
    /// The credential kinds a volunteer needs, current on the shift's day, to fill it.
    pub required_credential_ids: Vec<String>,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CredentialKind {
    pub id: String,
    pub name: String,
    pub retired: bool,
}

/// The roles and credential kinds, in the center's order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteerCatalog {
    pub roles: Vec<ShiftRole>,
    pub credential_kinds: Vec<CredentialKind>,
}

pub(crate) const ROLES: Table = Table {
    entity: "shift_role",
    table: "shift_roles",
    columns: &["name", "warmline", "position", "retired_at"],
    lists: &[List {
        field: "required_credential_ids",
        table: "shift_role_credentials",
        parent_column: "role_id",
        value_column: "kind_id",
    }],
    ..Table::PLAIN
};

pub(crate) const CREDENTIAL_KINDS: Table = Table {
    entity: "credential_kind",
    table: "credential_kinds",
    columns: &["name", "position", "retired_at"],
    ..Table::PLAIN
};

/// How a volunteer would rather be reached about shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ContactPreference {
    Phone,
    Text,
    Email,
    InPerson,
}

/// When a volunteer can come on one weekday, local times `09:00` to `17:00`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Available {
    pub weekday: Weekday,
    pub from: String,
    pub to: String,
}

/// A volunteer's details as the coordinator's form sends them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VolunteerInput {
    pub role_ids: Vec<String>,
    /// `None`: today.
    #[ts(type = "string | null")]
    pub started_on: Option<NaiveDate>,
    pub contact_preference: Option<ContactPreference>,
    /// `None`: any time. Several windows on one day are allowed.
    pub availability: Option<Vec<Available>>,
    pub notes: Option<String>,
}

/// Days a volunteer is away, both ends included.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Blackout {
    pub id: String,
    #[ts(type = "string")]
    pub first_day: NaiveDate,
    #[ts(type = "string")]
    pub last_day: NaiveDate,
}

/// A volunteer as the coordinator sees them. Never their visits.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Volunteer {
    /// The person's id.
    pub id: String,
    pub name: String,
    /// The staff account they sign in with, if they have one.
    pub account_name: Option<String>,
    pub role_ids: Vec<String>,
    #[ts(type = "string")]
    pub started_on: NaiveDate,
    pub contact_preference: Option<ContactPreference>,
    pub availability: Option<Vec<Available>>,
    pub notes: Option<String>,
    pub active: bool,
    /// Away days from today on.
    pub blackouts: Vec<Blackout>,
    /// Empty unless the session may manage volunteers: nobody else reads credentials.
    pub credentials: Vec<credentials::HeldCredential>,
}

/// One line of the coordinator's list of volunteers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteerSummary {
    pub id: String,
    pub name: String,
    pub role_ids: Vec<String>,
    pub active: bool,
    /// Credentials expired or expiring within 30 days.
    pub credential_alerts: u32,
    /// Hours credited this calendar month, in minutes.
    pub minutes_this_month: u32,
}

/// A volunteer's details travel field by field; what they fill is a list. Forgetting the
/// person erases how to reach them, when they are free and the coordinator's notes, and their
/// days away; their shifts and hours stay in every count.
pub(crate) const SYNCED: Table = Table {
    entity: "volunteer",
    table: "volunteers",
    columns: &["started_on", "contact_preference", "availability", "notes", "active", "created_at"],
    lists: &[List {
        field: "role_ids",
        table: "volunteer_shift_roles",
        parent_column: "volunteer_id",
        value_column: "role_id",
    }],
    personal: &[
        Personal { field: "contact_preference", erased: Erased::Null },
        Personal { field: "availability", erased: Erased::Null },
        Personal { field: "notes", erased: Erased::Null },
    ],
    when_person_forgotten: OnForget::EraseRecord,
    ..Table::PLAIN
};

pub(crate) const BLACKOUTS: Table = Table {
    entity: "volunteer_blackout",
    table: "volunteer_blackouts",
    columns: &["volunteer_id", "first_day", "last_day", "created_at", "removed_at"],
    when_person_forgotten: OnForget::DeleteRows { person_column: "volunteer_id" },
    ..Table::PLAIN
};

/// The shift roles and credential kinds; every signed-in role that sees shifts needs their names.
pub fn catalog(desk: &Desk, session: &Session) -> Result<VolunteerCatalog> {
    access::authorize_own(desk, session, Action::SeeShifts, session.account_id())?;
    catalog_in(desk.conn())
}

pub(crate) fn catalog_in(conn: &Connection) -> Result<VolunteerCatalog> {
    let mut roles = conn.prepare_cached(
        "SELECT r.id, r.name, r.warmline, r.retired_at IS NOT NULL,
            (SELECT group_concat(kind_id) FROM (SELECT kind_id FROM shift_role_credentials c
                WHERE c.role_id = r.id ORDER BY kind_id))
         FROM shift_roles r ORDER BY r.position, r.name COLLATE NOCASE",
    )?;
    let roles = roles.query_map([], |row| {
        Ok(ShiftRole {
            id: row.get(0)?,
            name: row.get(1)?,
            warmline: row.get(2)?,
            retired: row.get(3)?,
            required_credential_ids: split_ids(row.get(4)?),
        })
    })?;
    let mut kinds = conn.prepare_cached(
        "SELECT id, name, retired_at IS NOT NULL FROM credential_kinds ORDER BY position, name COLLATE NOCASE",
    )?;
    let kinds =
        kinds.query_map([], |row| Ok(CredentialKind { id: row.get(0)?, name: row.get(1)?, retired: row.get(2)? }))?;
    Ok(VolunteerCatalog {
        roles: roles.collect::<rusqlite::Result<_>>()?,
        credential_kinds: kinds.collect::<rusqlite::Result<_>>()?,
    })
}

/// A comma-joined list of ids (`group_concat`) as a list.
pub(crate) fn split_ids(joined: Option<String>) -> Vec<String> {
    joined.map(|ids| ids.split(',').map(str::to_owned).collect()).unwrap_or_default()
}

/// Adds a shift role at the end of the list, with the credentials it asks for.
pub fn add_role(
    desk: &mut Desk,
    session: &Session,
    name: &str,
    warmline: bool,
    required_credential_ids: &[String],
) -> Result<VolunteerCatalog> {
    let name = retirable::name(name)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        retirable::ensure_unused(tx, "shift_roles", &name)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO shift_roles (id, name, warmline, position)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM shift_roles))",
            params![id, name, warmline],
        )?;
        replace_requirements(tx, &id, required_credential_ids)?;
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(&id), &format!("role {name} added"))
    })?;
    catalog_in(desk.conn())
}

/// Sets the credentials a role asks for, from the next assignment on (those made stay).
pub fn set_role_requirements(
    desk: &mut Desk,
    session: &Session,
    role_id: &str,
    credential_ids: &[String],
) -> Result<VolunteerCatalog> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        if !tx.prepare_cached("SELECT 1 FROM shift_roles WHERE id = ?1")?.exists([role_id])? {
            return Err(Error::Volunteers(VolunteersError::RoleNotOffered));
        }
        replace_requirements(tx, role_id, credential_ids)?;
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(role_id), "credentials asked for")
    })?;
    catalog_in(desk.conn())
}

fn replace_requirements(tx: &Transaction, role_id: &str, credential_ids: &[String]) -> Result<()> {
    let mut known = tx.prepare_cached("SELECT 1 FROM credential_kinds WHERE id = ?1 AND retired_at IS NULL")?;
    for kind_id in credential_ids {
        if !known.exists([kind_id])? {
            return Err(Error::Volunteers(VolunteersError::RoleNotOffered));
        }
    }
    tx.prepare_cached("DELETE FROM shift_role_credentials WHERE role_id = ?1")?.execute([role_id])?;
    let mut add =
        tx.prepare_cached("INSERT OR IGNORE INTO shift_role_credentials (role_id, kind_id) VALUES (?1, ?2)")?;
    for kind_id in credential_ids {
        add.execute([role_id, kind_id])?;
    }
    Ok(())
}

/// Adds a credential kind the center keeps track of.
pub fn add_credential_kind(desk: &mut Desk, session: &Session, name: &str) -> Result<VolunteerCatalog> {
    let name = retirable::name(name)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        retirable::ensure_unused(tx, "credential_kinds", &name)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO credential_kinds (id, name, position)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM credential_kinds))",
            params![id, name],
        )?;
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(&id), &format!("credential {name} added"))
    })?;
    catalog_in(desk.conn())
}

/// Retires a shift role or credential kind (no longer offered; history keeps it), or offers it again.
pub fn set_retired(desk: &mut Desk, session: &Session, id: &str, retired: bool) -> Result<VolunteerCatalog> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        if !retirable::set_retired(tx, &["shift_roles", "credential_kinds"], id, retired, now)? {
            return Err(Error::Volunteers(VolunteersError::RoleNotOffered));
        }
        let detail = if retired { "retired" } else { "offered again" };
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(id), detail)
    })?;
    catalog_in(desk.conn())
}

struct CheckedVolunteer {
    started_on: NaiveDate,
    contact_preference: Option<&'static str>,
    availability: Option<String>,
    notes: Option<String>,
}

impl VolunteerInput {
    fn checked(&self, tx: &Transaction, today: NaiveDate) -> Result<CheckedVolunteer> {
        let mut offered = tx.prepare_cached("SELECT 1 FROM shift_roles WHERE id = ?1 AND retired_at IS NULL")?;
        for role_id in &self.role_ids {
            if !offered.exists([role_id])? {
                return Err(Error::Volunteers(VolunteersError::RoleNotOffered));
            }
        }
        let availability = match &self.availability {
            None => None,
            Some(windows) => {
                for window in windows {
                    let (from, to) = (parse_time(&window.from)?, parse_time(&window.to)?);
                    if from >= to {
                        return Err(Error::Volunteers(VolunteersError::InvalidAvailability));
                    }
                }
                Some(serde_json::to_string(windows).expect("plain data serialises"))
            }
        };
        Ok(CheckedVolunteer {
            started_on: crate::clock::held_day(self.started_on.unwrap_or(today))?,
            contact_preference: self.contact_preference.map(<&str>::from),
            availability,
            notes: text::note(self.notes.as_deref(), "notes", "Notes", 1000)?,
        })
    }
}

fn parse_time(text: &str) -> Result<NaiveTime> {
    typed_clock(text).ok_or(Error::Volunteers(VolunteersError::InvalidAvailability))
}

/// Makes a front-desk person a volunteer, or changes their volunteer details.
pub fn save(desk: &mut Desk, session: &Session, person_id: &str, input: &VolunteerInput) -> Result<Volunteer> {
    let today = desk.today()?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        people::ensure_not_forgotten(tx, person_id)?;
        let volunteer = input.checked(tx, today)?;
        let existed = tx.prepare_cached("SELECT 1 FROM volunteers WHERE id = ?1")?.exists([person_id])?;
        tx.prepare_cached(
            "INSERT INTO volunteers (id, started_on, contact_preference, availability, notes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET started_on = excluded.started_on,
                contact_preference = excluded.contact_preference, availability = excluded.availability,
                notes = excluded.notes",
        )?
        .execute(params![
            person_id,
            volunteer.started_on,
            volunteer.contact_preference,
            volunteer.availability,
            volunteer.notes,
            now
        ])?;
        tx.prepare_cached("DELETE FROM volunteer_shift_roles WHERE volunteer_id = ?1")?.execute([person_id])?;
        let mut add =
            tx.prepare_cached("INSERT OR IGNORE INTO volunteer_shift_roles (volunteer_id, role_id) VALUES (?1, ?2)")?;
        for role_id in &input.role_ids {
            add.execute([person_id, role_id])?;
        }
        let detail = if existed { "details changed" } else { "became a volunteer" };
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(person_id), detail)
    })?;
    get_in(desk, person_id, true)
}

/// Marks a volunteer as volunteering or not; an inactive one is offered for no shift.
pub fn set_active(desk: &mut Desk, session: &Session, id: &str, active: bool) -> Result<Volunteer> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        if tx.execute("UPDATE volunteers SET active = ?2 WHERE id = ?1", params![id, active])? == 0 {
            return Err(Error::Volunteers(VolunteersError::VolunteerNotFound));
        }
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::VolunteerChanged,
            Some(id),
            if active { "active" } else { "inactive" },
        )
    })?;
    get_in(desk, id, true)
}

/// A volunteer's details: a coordinator any volunteer's with their credentials, a volunteer
/// their own without.
pub fn get(desk: &Desk, session: &Session, id: &str) -> Result<Volunteer> {
    let actor = access::authorize_own(desk, session, Action::SeeShifts, own_account(desk.conn(), id, session)?)?;
    get_in(desk, id, Action::ManageVolunteers.scope_for(&actor.roles) == Some(Scope::Any))
}

/// The signed-in account's own volunteer record, if it has one.
pub fn mine(desk: &Desk, session: &Session) -> Result<Option<Volunteer>> {
    let Some(id) = volunteer_of(desk.conn(), session.account_id())? else { return Ok(None) };
    get(desk, session, &id).map(Some)
}

pub(crate) fn get_in(desk: &Desk, id: &str, with_credentials: bool) -> Result<Volunteer> {
    let conn = desk.conn();
    let today = desk.today()?;
    let volunteer = conn
        .prepare_cached(
            "SELECT v.id, p.display_name, (SELECT name FROM accounts a WHERE a.person_id = v.id AND a.active = 1
                ORDER BY a.created_at LIMIT 1),
                (SELECT group_concat(role_id) FROM (SELECT role_id FROM volunteer_shift_roles r
                    WHERE r.volunteer_id = v.id ORDER BY role_id)),
                v.started_on, v.contact_preference, v.availability, v.notes, v.active
             FROM volunteers v JOIN people p ON p.id = v.id WHERE v.id = ?1",
        )?
        .query_row([id], |row| {
            Ok(Volunteer {
                id: row.get(0)?,
                name: row.get(1)?,
                account_name: row.get(2)?,
                role_ids: split_ids(row.get(3)?),
                started_on: row.get(4)?,
                contact_preference: row.get::<_, Option<String>>(5)?.and_then(|text| text.parse().ok()),
                availability: row.get::<_, Option<String>>(6)?.and_then(|json| serde_json::from_str(&json).ok()),
                notes: row.get(7)?,
                active: row.get(8)?,
                blackouts: Vec::new(),
                credentials: Vec::new(),
            })
        })
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::VolunteerNotFound))?;
    let mut blackouts = conn.prepare_cached(
        "SELECT id, first_day, last_day FROM volunteer_blackouts
         WHERE volunteer_id = ?1 AND removed_at IS NULL AND last_day >= ?2 ORDER BY first_day",
    )?;
    let blackouts = blackouts
        .query_map(params![id, today], |row| {
            Ok(Blackout { id: row.get(0)?, first_day: row.get(1)?, last_day: row.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let credentials = if with_credentials { credentials::held_in(conn, id, today)? } else { Vec::new() };
    Ok(Volunteer { blackouts, credentials, ..volunteer })
}

/// Every volunteer, active first, by name, with how their credentials and hours stand.
pub fn list(desk: &Desk, session: &Session) -> Result<Vec<VolunteerSummary>> {
    access::authorize(desk, session, Action::ManageVolunteers)?;
    let today = desk.today()?;
    let alerts = credentials::alerts_in(desk.conn(), today)?;
    let minutes = hours::minutes_by_volunteer(desk, hours::month_of(today))?;
    let mut statement = desk.conn().prepare_cached(
        "SELECT v.id, p.display_name, v.active,
            (SELECT group_concat(role_id) FROM (SELECT role_id FROM volunteer_shift_roles r
                WHERE r.volunteer_id = v.id ORDER BY role_id))
         FROM volunteers v JOIN people p ON p.id = v.id
         ORDER BY v.active DESC, p.display_name COLLATE NOCASE, v.id",
    )?;
    let rows = statement.query_map([], |row| {
        let id: String = row.get(0)?;
        Ok(VolunteerSummary {
            credential_alerts: alerts.iter().filter(|alert| alert.volunteer_id == id).count() as u32,
            minutes_this_month: minutes.get(&id).copied().unwrap_or(0),
            id,
            name: row.get(1)?,
            active: row.get(2)?,
            role_ids: split_ids(row.get(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records days a volunteer is away: a coordinator for anyone, a volunteer for themselves.
pub fn add_blackout(
    desk: &mut Desk,
    session: &Session,
    volunteer_id: &str,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Result<Volunteer> {
    if last_day < first_day {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    desk.write(|tx, now| {
        let actor = authorize_for(tx, session, Action::SignUpForShifts, volunteer_id)?;
        ensure_volunteer(tx, volunteer_id)?;
        tx.execute(
            "INSERT INTO volunteer_blackouts (id, volunteer_id, first_day, last_day, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![new_id(), volunteer_id, first_day, last_day, now],
        )?;
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(volunteer_id), "days away added")
    })?;
    get_in(desk, volunteer_id, false)
}

pub fn remove_blackout(desk: &mut Desk, session: &Session, blackout_id: &str) -> Result<Volunteer> {
    let volunteer_id: String = desk
        .conn()
        .query_row("SELECT volunteer_id FROM volunteer_blackouts WHERE id = ?1", [blackout_id], |row| row.get(0))
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::VolunteerNotFound))?;
    desk.write(|tx, now| {
        let actor = authorize_for(tx, session, Action::SignUpForShifts, &volunteer_id)?;
        tx.execute("UPDATE volunteer_blackouts SET removed_at = ?2 WHERE id = ?1", params![blackout_id, now])?;
        audit::record(tx, now, &actor, AuditEvent::VolunteerChanged, Some(&volunteer_id), "days away removed")
    })?;
    get_in(desk, &volunteer_id, false)
}

pub(crate) fn ensure_volunteer(conn: &Connection, id: &str) -> Result<()> {
    if conn.prepare_cached("SELECT 1 FROM volunteers WHERE id = ?1")?.exists([id])? {
        Ok(())
    } else {
        Err(Error::Volunteers(VolunteersError::VolunteerNotFound))
    }
}

/// The volunteer record (the person) an account signs in for, if it has one.
pub(crate) fn volunteer_of(conn: &Connection, account_id: Option<&str>) -> Result<Option<String>> {
    let Some(account_id) = account_id else { return Ok(None) };
    Ok(conn
        .prepare_cached("SELECT v.id FROM accounts a JOIN volunteers v ON v.id = a.person_id WHERE a.id = ?1")?
        .query_row([account_id], |row| row.get(0))
        .optional()?)
}

/// The signed-in account when it is `volunteer_id`'s own (the owner `authorize_own` is asked
/// about), `None` otherwise.
pub(crate) fn own_account<'a>(conn: &Connection, volunteer_id: &str, session: &'a Session) -> Result<Option<&'a str>> {
    let own = volunteer_of(conn, session.account_id())?.is_some_and(|mine| mine == volunteer_id);
    Ok(if own { session.account_id() } else { None })
}

/// [`access::authorize_own_in`] for an action on `volunteer_id`'s shifts or days.
pub(crate) fn authorize_for(tx: &Transaction, session: &Session, action: Action, volunteer_id: &str) -> Result<Actor> {
    access::authorize_own_in(tx, session, action, own_account(tx, volunteer_id, session)?)
}

crate::error::domain_errors! {
    /// What stops a volunteer's record, a shift, an assignment or their hours from being saved.
    pub enum VolunteersError, codes VolunteersErrorCode {
        #[error("That volunteer role or credential is no longer offered.")]
        RoleNotOffered in "role_id",
        #[error("That person is not a volunteer yet.")]
        VolunteerNotFound,
        #[error("Your account is not linked to a volunteer record; ask a coordinator to link it.")]
        NoVolunteerRecord,
        #[error("{name} is not volunteering now (marked inactive).")]
        VolunteerInactive { name: String } in "volunteer_id",
        #[error("Availability needs a start before its end on each day (\"09:00\" to \"17:00\").")]
        InvalidAvailability in "availability",
        #[error("A credential cannot expire before it was issued.")]
        CredentialExpiresBeforeIssued in "expires_on",
        #[error("A credential cannot be issued in the future.")]
        CredentialIssuedInFuture in "issued_on",
        #[error("That credential is not on this desk.")]
        CredentialNotFound,
        #[error("A shift ends after it starts: check the end time.")]
        ShiftEndsBeforeStart in "end_time",
        #[error("A shift lasts at most {max_hours} hours.")]
        ShiftTooLong { max_hours: u32 } in "end_time",
        #[error("A shift needs at least 1 volunteer.")]
        NeededAtLeastOne in "needed_min",
        #[error("The ideal number cannot be below the minimum ({min}).")]
        IdealBelowMinimum { min: u32 } in "needed_ideal",
        #[error("This schedule's shifts overlap each other ({at}): shorten the shift or space the days.")]
        TemplateOverlapsItself { at: String } in "schedule",
        #[error("That shift template is not on this desk.")]
        TemplateNotFound,
        #[error("That shift is not on the schedule.")]
        ShiftNotFound,
        #[error("That assignment is not on this desk.")]
        AssignmentNotFound,
        #[error("{name} is not signed up for the {role} role.")]
        NotInRole { name: String, role: String } in "volunteer_id",
        #[error("{name} has no {credential}, which {role} shifts need.")]
        CredentialMissing { name: String, credential: String, role: String } in "volunteer_id",
        #[error("{name}'s {credential} expired on {expired_on}, before this shift on {shift_day}.")]
        CredentialExpired { name: String, credential: String, expired_on: String, shift_day: String } in "volunteer_id",
        #[error("{name} is already on {other}, which overlaps this shift.")]
        ShiftOverlaps { name: String, other: String } in "volunteer_id",
        #[error("{name} is unavailable on {day}: {why}.")]
        VolunteerUnavailable { name: String, day: String, why: String } in "volunteer_id",
        #[error("This shift is full ({needed} needed).")]
        ShiftFull { needed: u32 },
        #[error("This shift has already ended.")]
        ShiftEnded,
        #[error("This shift is cancelled ({reason}).")]
        ShiftCancelled { reason: String },
        #[error("{name} is already on this shift.")]
        AlreadyOnShift { name: String } in "volunteer_id",
        #[error("A shift can be dropped until {hours} hours before it starts; ask a coordinator now.")]
        DropTooLate { hours: u32 },
        #[error("This volunteer no longer holds this shift.")]
        NotHoldingShift,
        #[error("Clock in first: there is no clock-in to clock out from.")]
        NotClockedIn,
        #[error("Already clocked in at {at}.")]
        AlreadyClockedIn { at: Timestamp },
        #[error("Clocking in opens {minutes} minutes before the shift starts.")]
        TooEarlyToClockIn { minutes: u32 },
        #[error("This shift has not started yet.")]
        ShiftNotStarted,
        #[error("Hours cannot be logged for a day still to come.")]
        HoursInFuture in "worked_on",
        #[error("Hours are 0.25 to 24 on one day.")]
        HoursOutOfRange in "minutes",
        #[error("Say what the hours were for.")]
        HoursWhatRequired in "what",
        #[error("Say what happened, for the volunteer's record (\"no word from them\", \"called in sick late\").")]
        NoShowCommentRequired in "no_show_comment",
        #[error("Those hours are not on this desk.")]
        HoursNotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::PersonInput;
    use crate::testkit::{desk_at, OPERATOR};

    #[test]
    fn a_person_becomes_a_volunteer_with_roles_availability_and_days_away() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let casey = people::register(
            &mut desk,
            &OPERATOR,
            &PersonInput { display_name: "Casey L.".into(), ..Default::default() },
        )
        .unwrap();
        let input = VolunteerInput {
            role_ids: vec![WARMLINE_ROLE.into(), FRONT_DESK_ROLE.into()],
            contact_preference: Some(ContactPreference::Text),
            availability: Some(vec![Available { weekday: Weekday::Monday, from: "09:00".into(), to: "13:00".into() }]),
            ..Default::default()
        };
        let volunteer = save(&mut desk, &OPERATOR, &casey.id, &input).unwrap();
        assert_eq!((volunteer.id.as_str(), volunteer.name.as_str()), (casey.id.as_str(), "Casey L."));
        assert_eq!(volunteer.started_on.to_string(), "2026-11-23");
        assert_eq!(volunteer.role_ids.len(), 2);
        assert_eq!(volunteer.availability.as_ref().unwrap()[0].from, "09:00");

        let backwards = VolunteerInput {
            availability: Some(vec![Available { weekday: Weekday::Monday, from: "13:00".into(), to: "09:00".into() }]),
            ..input.clone()
        };
        assert!(matches!(
            save(&mut desk, &OPERATOR, &casey.id, &backwards),
            Err(Error::Volunteers(VolunteersError::InvalidAvailability))
        ));
        assert_eq!(get(&desk, &OPERATOR, &casey.id).unwrap().availability, input.availability, "nothing half-saved");

        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let away = add_blackout(&mut desk, &OPERATOR, &casey.id, day("2026-12-24"), day("2026-12-26")).unwrap();
        assert_eq!(away.blackouts.len(), 1);
        assert!(matches!(
            add_blackout(&mut desk, &OPERATOR, &casey.id, day("2026-12-26"), day("2026-12-24")),
            Err(Error::Common(CommonError::DateRangeReversed))
        ));
        let list = list(&desk, &OPERATOR).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, "Casey L.");
    }

    #[test]
    fn forgetting_a_volunteer_erases_how_to_reach_them_and_keeps_their_hours() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let jo =
            people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Jo K.".into(), ..Default::default() })
                .unwrap();
        let input = VolunteerInput {
            role_ids: vec![DRIVER_ROLE.into()],
            contact_preference: Some(ContactPreference::Phone),
            availability: Some(vec![Available { weekday: Weekday::Tuesday, from: "07:00".into(), to: "13:00".into() }]),
            notes: Some("Prefers early rides".into()),
            ..Default::default()
        };
        save(&mut desk, &OPERATOR, &jo.id, &input).unwrap();
        let day = "2026-12-24".parse().unwrap();
        add_blackout(&mut desk, &OPERATOR, &jo.id, day, day).unwrap();
        let outreach = hours::HoursInput {
            volunteer_id: jo.id.clone(),
            worked_on: "2026-11-20".parse().unwrap(),
            minutes: 120,
            what: "Rides".into(),
        };
        hours::log(&mut desk, &OPERATOR, &outreach).unwrap();

        people::forget(&mut desk, &OPERATOR, &jo.id).unwrap();
        let forgotten = get(&desk, &OPERATOR, &jo.id).unwrap();
        assert_eq!((forgotten.contact_preference, forgotten.availability, forgotten.notes), (None, None, None));
        assert!(forgotten.blackouts.is_empty());
        assert_eq!(forgotten.name, people::FORGOTTEN_NAME);
        let kept =
            hours::of_volunteer(&desk, &OPERATOR, &jo.id, "2026-11-01".parse().unwrap(), "2026-11-30".parse().unwrap())
                .unwrap();
        assert_eq!(kept.total_minutes, 120, "their hours stay in every count");
    }
}
