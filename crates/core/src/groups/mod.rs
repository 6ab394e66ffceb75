//! Groups and classes: SMART Recovery and All Recovery meetings, budgeting classes, family
//! support. A group has facilitators (staff accounts), a room, an attendance mode and a
//! schedule ([`schedule`]); its meetings are [`sessions`], each with its [`attendance`], and
//! [`figures`] count them for funders. A group is paused or ended, never deleted: its history
//! stays.

pub mod attendance;
pub mod figures;
pub mod schedule;
pub mod sessions;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::AccessError;
use crate::access::{self, Action, Actor, Scope, Session};
use crate::audit::{self, AuditEvent};
pub use crate::recurrence::{Repeat, Schedule, Weekday};
use crate::sync::entity::{List, Table};
use crate::{new_id, services, text, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Category {
    /// SMART Recovery, All Recovery, 12-step: peer-led meetings.
    MutualHelp,
    Class,
    FamilySupport,
    Other,
}

/// How a group's attendance is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum AttendanceMode {
    /// A roster of people, each present, absent or not recorded.
    Named,
    /// Confidential meetings: the desk records how many came, never who.
    Headcount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum GroupStatus {
    Active,
    /// Not meeting for now: no sessions are listed until it is active again.
    Paused,
    /// No longer meets; its sessions and attendance stay.
    Ended,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub category: Category,
    pub attendance_mode: AttendanceMode,
    pub room: Option<String>,
    pub capacity: Option<u32>,
    /// The service a visit records when someone attends.
    pub service_id: Option<String>,
    pub status: GroupStatus,
    pub facilitators: Vec<Facilitator>,
    /// When it meets now; `None` if it has no schedule yet.
    pub schedule: Option<Schedule>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facilitator {
    pub account_id: String,
    pub name: String,
}

/// A group as the coordinator's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupInput {
    pub name: String,
    pub description: Option<String>,
    pub category: Option<Category>,
    pub attendance_mode: Option<AttendanceMode>,
    pub room: Option<String>,
    pub capacity: Option<u32>,
    /// `None`: the category's service ("Support group" for meetings, the class service for classes).
    pub service_id: Option<String>,
    pub facilitator_ids: Vec<String>,
}

pub(crate) const SYNCED: Table = Table {
    entity: "group",
    table: "center_groups",
    describe: Some("SELECT name || ' (group)' FROM center_groups WHERE id = ?1"),
    columns: &[
        "name",
        "description",
        "category",
        "attendance_mode",
        "room",
        "capacity",
        "service_id",
        "status",
        "created_at",
    ],
    lists: &[List {
        field: "facilitator_ids",
        table: "group_facilitators",
        parent_column: "group_id",
        value_column: "account_id",
    }],
    ..Table::PLAIN
};

/// The seeded services a group's visits record by default (migration 001's fixed ids).
const SUPPORT_GROUP_SERVICE: &str = "01933b00-0000-7000-8000-000000000002";
const CLASS_SERVICE: &str = "01933b00-0000-7000-8000-000000000003";
const FAMILY_SUPPORT_SERVICE: &str = "01933b00-0000-7000-8000-000000000009";

impl Category {
    fn default_service(self) -> &'static str {
        match self {
            Category::MutualHelp | Category::Other => SUPPORT_GROUP_SERVICE,
            Category::Class => CLASS_SERVICE,
            Category::FamilySupport => FAMILY_SUPPORT_SERVICE,
        }
    }
}

struct Checked {
    name: String,
    description: Option<String>,
    category: Category,
    attendance_mode: AttendanceMode,
    room: Option<String>,
    capacity: Option<u32>,
    service_id: String,
}

impl GroupInput {
    fn checked(&self, tx: &Transaction) -> Result<Checked> {
        let name = text::optional(Some(&self.name), "group_name", "Group name", 80)?
            .ok_or(Error::Groups(GroupsError::GroupNameRequired))?;
        let category = self.category.unwrap_or(Category::MutualHelp);
        if self.capacity == Some(0) || self.capacity.is_some_and(|c| c > 10_000) {
            return Err(Error::Groups(GroupsError::InvalidCapacity));
        }
        let service_id = self.service_id.clone().unwrap_or_else(|| category.default_service().to_owned());
        services::ensure_active(tx, std::slice::from_ref(&service_id))?;
        let mut known = tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?;
        for account_id in &self.facilitator_ids {
            if !known.exists([account_id])? {
                return Err(Error::Access(AccessError::AccountNotFound));
            }
        }
        Ok(Checked {
            name,
            description: text::optional(self.description.as_deref(), "description", "Description", 500)?,
            category,
            attendance_mode: self.attendance_mode.unwrap_or(AttendanceMode::Named),
            room: text::optional(self.room.as_deref(), "room", "Room", 60)?,
            capacity: self.capacity,
            service_id,
        })
    }
}

/// Sets up a group, and its schedule if one is given.
pub fn create(desk: &mut Desk, session: &Session, input: &GroupInput, schedule: Option<&Schedule>) -> Result<Group> {
    let zone = desk.zone()?;
    let recurrence = schedule.map(|s| s.to_recurrence(zone)).transpose()?;
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageGroups)?;
        let group = input.checked(tx)?;
        ensure_name_free(tx, &group.name, None)?;
        let id = new_id();
        tx.prepare_cached(
            "INSERT INTO center_groups
                (id, name, description, category, attendance_mode, room, capacity, service_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            id,
            group.name,
            group.description,
            <&str>::from(group.category),
            <&str>::from(group.attendance_mode),
            group.room,
            group.capacity,
            group.service_id,
            now
        ])?;
        replace_facilitators(tx, &id, &input.facilitator_ids)?;
        if let (Some(recurrence), Some(schedule)) = (&recurrence, schedule) {
            schedule::OCCURRENCES.add(tx, now, &id, recurrence, schedule.duration_minutes)?;
        }
        audit::record(tx, now, &actor, AuditEvent::GroupChanged, Some(&id), &format!("created {}", group.name))?;
        Ok(id)
    })?;
    get_in(desk.conn(), &id)
}

/// Changes what a group is; its schedule and sessions stay as they are.
pub fn update(desk: &mut Desk, session: &Session, id: &str, input: &GroupInput) -> Result<Group> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageGroups)?;
        get_in(tx, id)?;
        let group = input.checked(tx)?;
        ensure_name_free(tx, &group.name, Some(id))?;
        tx.prepare_cached(
            "UPDATE center_groups SET name = ?2, description = ?3, category = ?4, attendance_mode = ?5,
                 room = ?6, capacity = ?7, service_id = ?8
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            group.name,
            group.description,
            <&str>::from(group.category),
            <&str>::from(group.attendance_mode),
            group.room,
            group.capacity,
            group.service_id
        ])?;
        replace_facilitators(tx, id, &input.facilitator_ids)?;
        audit::record(tx, now, &actor, AuditEvent::GroupChanged, Some(id), "edited")
    })?;
    get_in(desk.conn(), id)
}

/// Pauses, ends or restarts a group. Ending it ends its schedule now; its history stays.
pub fn set_status(desk: &mut Desk, session: &Session, id: &str, status: GroupStatus) -> Result<Group> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageGroups)?;
        get_in(tx, id)?;
        tx.execute("UPDATE center_groups SET status = ?2 WHERE id = ?1", params![id, <&str>::from(status)])?;
        if status == GroupStatus::Ended {
            schedule::OCCURRENCES.end_all(tx, id, now)?;
        }
        audit::record(tx, now, &actor, AuditEvent::GroupChanged, Some(id), <&str>::from(status))
    })?;
    get_in(desk.conn(), id)
}

/// Sets when a group meets from now on. Sessions that already met keep their times, and a
/// session that has attendance is never lost, whatever the new schedule says.
pub fn set_schedule(desk: &mut Desk, session: &Session, id: &str, schedule: &Schedule) -> Result<Group> {
    let recurrence = schedule.to_recurrence(desk.zone()?)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageGroups)?;
        get_in(tx, id)?;
        schedule::OCCURRENCES.end_all(tx, id, now)?;
        schedule::OCCURRENCES.add(tx, now, id, &recurrence, schedule.duration_minutes)?;
        audit::record(tx, now, &actor, AuditEvent::GroupChanged, Some(id), "schedule changed")
    })?;
    get_in(desk.conn(), id)
}

/// The groups the session may see (a facilitator: their own), active first, by name.
pub fn list(desk: &Desk, session: &Session) -> Result<Vec<Group>> {
    let actor = access::authorize_own(desk, session, Action::SeeSessions, session.account_id())?;
    let only = only_own(&actor, Action::SeeSessions);
    let ids: Vec<String> = {
        let mut statement = desk.conn().prepare_cached(
            "SELECT id FROM center_groups g
             WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = g.id AND f.account_id = ?1)
             ORDER BY status = 'ended', status = 'paused', name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([only], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.iter().map(|id| get_in(desk.conn(), id)).collect()
}

pub fn get(desk: &Desk, session: &Session, id: &str) -> Result<Group> {
    let group = get_in(desk.conn(), id)?;
    let own = session.account_id().filter(|account| group.facilitators.iter().any(|f| f.account_id == *account));
    access::authorize_own(desk, session, Action::SeeSessions, own)?;
    Ok(group)
}

/// The staff a coordinator may choose as a group's facilitators: every active account.
pub fn facilitator_choices(desk: &Desk, session: &Session) -> Result<Vec<Facilitator>> {
    access::authorize(desk, session, Action::ManageGroups)?;
    let mut statement =
        desk.conn().prepare_cached("SELECT id, name FROM accounts WHERE active = 1 ORDER BY name COLLATE NOCASE")?;
    let rows = statement.query_map([], |row| Ok(Facilitator { account_id: row.get(0)?, name: row.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Group> {
    let group = conn
        .prepare_cached(
            "SELECT id, name, description, category, attendance_mode, room, capacity, service_id, status, created_at
             FROM center_groups WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok(Group {
                id: row.get(0)?,
                name: row.get(1)?,
                description: row.get(2)?,
                category: text::parse_or(row.get::<_, String>(3)?, Category::Other),
                attendance_mode: text::parse_or(row.get::<_, String>(4)?, AttendanceMode::Named),
                room: row.get(5)?,
                capacity: row.get(6)?,
                service_id: row.get(7)?,
                status: text::parse_or(row.get::<_, String>(8)?, GroupStatus::Active),
                facilitators: Vec::new(),
                schedule: None,
                created_at: row.get(9)?,
            })
        })
        .optional()?
        .ok_or(Error::Groups(GroupsError::GroupNotFound))?;
    Ok(Group { facilitators: facilitators_of(conn, id)?, schedule: schedule::OCCURRENCES.newest(conn, id)?, ..group })
}

fn facilitators_of(conn: &Connection, group_id: &str) -> Result<Vec<Facilitator>> {
    let mut statement = conn.prepare_cached(
        "SELECT a.id, a.name FROM group_facilitators f JOIN accounts a ON a.id = f.account_id
         WHERE f.group_id = ?1 ORDER BY a.name COLLATE NOCASE",
    )?;
    let rows = statement.query_map([group_id], |row| Ok(Facilitator { account_id: row.get(0)?, name: row.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn replace_facilitators(tx: &Transaction, group_id: &str, account_ids: &[String]) -> Result<()> {
    tx.prepare_cached("DELETE FROM group_facilitators WHERE group_id = ?1")?.execute([group_id])?;
    let mut add =
        tx.prepare_cached("INSERT OR IGNORE INTO group_facilitators (group_id, account_id) VALUES (?1, ?2)")?;
    for account_id in account_ids {
        add.execute([group_id, account_id])?;
    }
    Ok(())
}

fn ensure_name_free(tx: &Transaction, name: &str, except_id: Option<&str>) -> Result<()> {
    let taken = tx
        .prepare_cached(
            "SELECT 1 FROM center_groups WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2 AND status != 'ended'",
        )?
        .exists(params![name, except_id])?;
    if taken {
        return Err(Error::Groups(GroupsError::DuplicateGroupName(name.to_owned())));
    }
    Ok(())
}

/// The account an actor's list is limited to when it holds `action` only for its own groups;
/// `None` when it sees every group's.
pub(crate) fn only_own(actor: &Actor, action: Action) -> Option<String> {
    match action.scope_for(&actor.roles) {
        Some(Scope::Own) => actor.account_id.clone(),
        _ => None,
    }
}

/// The signed-in account when it facilitates the group (the owner `authorize_own` is asked
/// about), `None` otherwise.
pub(crate) fn own_account<'a>(conn: &Connection, group_id: &str, session: &'a Session) -> Result<Option<&'a str>> {
    let account = session.account_id();
    Ok(if leads(conn, group_id, account)? { account } else { None })
}

/// Whether `account_id` facilitates the group.
pub(crate) fn leads(conn: &Connection, group_id: &str, account_id: Option<&str>) -> Result<bool> {
    let Some(account_id) = account_id else { return Ok(false) };
    Ok(conn
        .prepare_cached("SELECT 1 FROM group_facilitators WHERE group_id = ?1 AND account_id = ?2")?
        .exists([group_id, account_id])?)
}

crate::error::domain_errors! {
    /// What stops a group, its sessions or their attendance from being saved.
    pub enum GroupsError, codes GroupsErrorCode {
        #[error("A group needs a name.")]
        GroupNameRequired in "group_name",
        #[error("There is already a group called \"{0}\".")]
        DuplicateGroupName(String) in "group_name",
        #[error("That group no longer exists.")]
        GroupNotFound,
        #[error("Capacity is a number of people, 1 or more (leave it empty for no limit).")]
        InvalidCapacity in "capacity",
        #[error("That session is not on the schedule any more.")]
        SessionNotFound,
        #[error("This session was cancelled ({reason}), so it takes no attendance. Restore it first if it met after all.")]
        SessionCancelled { reason: String },
        #[error("This session meets on {day}: its attendance is taken on the day, as people come.")]
        SessionNotYet { day: String },
        #[error("This is a headcount-only meeting: it records how many came, never who.")]
        HeadcountOnly,
        #[error("A headcount is a number from 0 to 10000.")]
        InvalidHeadcount in "anonymous_count",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{desk_at, smart_recovery, tuesdays, OPERATOR};

    #[test]
    fn a_group_is_created_with_its_schedule_and_the_categorys_service() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let class = GroupInput { name: "Budgeting basics".into(), category: Some(Category::Class), ..smart_recovery() };
        let group = create(&mut desk, &OPERATOR, &class, Some(&tuesdays("2026-11-24"))).unwrap();
        assert_eq!(group.service_id.as_deref(), Some(CLASS_SERVICE));
        assert_eq!(group.schedule, Some(tuesdays("2026-11-24")));
        assert_eq!(group.status, GroupStatus::Active);
        assert!(matches!(
            create(&mut desk, &OPERATOR, &class, None),
            Err(Error::Groups(GroupsError::DuplicateGroupName(_)))
        ));
        let unnamed = GroupInput { name: "  ".into(), ..Default::default() };
        assert!(matches!(
            create(&mut desk, &OPERATOR, &unnamed, None),
            Err(Error::Groups(GroupsError::GroupNameRequired))
        ));
        let empty_room = GroupInput { capacity: Some(0), ..smart_recovery() };
        assert!(matches!(
            create(&mut desk, &OPERATOR, &empty_room, None),
            Err(Error::Groups(GroupsError::InvalidCapacity))
        ));
    }

    #[test]
    fn a_paused_or_ended_group_keeps_its_history() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let group = create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-10-06"))).unwrap();
        set_status(&mut desk, &OPERATOR, &group.id, GroupStatus::Ended).unwrap();
        let left: i64 = desk
            .conn()
            .query_row("SELECT COUNT(*) FROM group_occurrences WHERE group_id = ?1", [&group.id], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 7, "the Tuesdays from October 6 to November 17 stay, none after");
        let groups = list(&desk, &OPERATOR).unwrap();
        assert_eq!(groups[0].status, GroupStatus::Ended);
    }
}
