//! Callers who call again, each known by the alias they chose: no real name, and never a
//! front-desk person unless a coordinator links the two with the person's consent. A caller's
//! profile holds what volunteers need on the next call: how often and when they called, open
//! follow-ups, a short "what helps" note and flags that expire ("keep calls to 15 minutes").
//!
//! "What helps" is one record per writing, and a flag one record each, so retention can erase
//! an old one everywhere for good while a newer one is written and kept.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::people::PeopleError;
use crate::sync::entity::{Fields, Table};
use crate::sync::erasure::{self, Erased, OnForget, Personal};
use crate::warmline::WarmlineError;
use crate::{new_id, text, Desk, Error, Result, Timestamp};

/// A caller as the type-ahead offers them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallerMatch {
    pub id: String,
    pub alias: String,
    pub call_count: u32,
    pub last_call_at: Option<Timestamp>,
}

/// What a volunteer sees of a caller, as the banner on a call and on the profile.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallerProfile {
    pub id: String,
    pub alias: String,
    pub call_count: u32,
    pub first_call_at: Option<Timestamp>,
    pub last_call_at: Option<Timestamp>,
    pub open_follow_ups: u32,
    pub what_helps: Option<String>,
    pub what_helps_written_at: Option<Timestamp>,
    /// The flags in force today, soonest to end first.
    pub flags: Vec<CallerFlag>,
    pub held_reason: Option<String>,
    /// Linked to a front-desk person (by a coordinator, with consent): who is never shown here.
    pub linked_to_person: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallerFlag {
    pub id: String,
    pub text: String,
    /// The last day it holds, in the center's zone.
    #[ts(type = "string")]
    pub until: NaiveDate,
}

pub(crate) const SYNCED: Table = Table {
    entity: "warmline_caller",
    table: "warmline_callers",
    describe: Some("SELECT 'caller ' || alias FROM warmline_callers WHERE id = ?1"),
    columns: &["alias", "created_at", "person_id", "held_reason", "held_at"],
    when_person_forgotten: OnForget::Unlink { person_column: "person_id" },
    ..Table::PLAIN
};

pub(crate) const NOTES: Table = Table {
    entity: "warmline_caller_note",
    table: "warmline_caller_notes",
    columns: &["caller_id", "text", "written_at", "written_by", "erased_at"],
    personal: &[Personal { field: "text", erased: Erased::Null }],
    erased_marker: Some("erased_at"),
    when_person_forgotten: OnForget::EraseRows {
        select: "SELECT n.id FROM warmline_caller_notes n JOIN warmline_callers c ON c.id = n.caller_id
                 WHERE c.person_id = ?1 AND n.text IS NOT NULL AND c.held_at IS NULL",
    },
    ..Table::PLAIN
};

pub(crate) const FLAGS: Table = Table {
    entity: "warmline_caller_flag",
    table: "warmline_caller_flags",
    columns: &["caller_id", "text", "until", "created_at", "created_by", "removed_at", "erased_at"],
    personal: &[Personal { field: "text", erased: Erased::Null }],
    erased_marker: Some("erased_at"),
    when_person_forgotten: OnForget::EraseRows {
        select: "SELECT f.id FROM warmline_caller_flags f JOIN warmline_callers c ON c.id = f.caller_id
                 WHERE c.person_id = ?1 AND f.text IS NOT NULL AND c.held_at IS NULL",
    },
    ..Table::PLAIN
};

const ALIAS_MAX: usize = 40;
/// A flag is a short-term agreement: a longer one is written again when it ends.
const FLAG_DAYS_MAX: i64 = 366;

/// Callers whose alias holds `query`, those starting with it first: the caller field's type-ahead.
pub fn find(desk: &Desk, session: &Session, query: &str, limit: usize) -> Result<Vec<CallerMatch>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let query = text::like_escaped(query.trim());
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = desk.conn().prepare_cached(
        "SELECT c.id, c.alias,
                (SELECT COUNT(*) FROM warmline_calls k WHERE k.caller_id = c.id),
                (SELECT MAX(started_at) FROM warmline_calls k WHERE k.caller_id = c.id)
         FROM (SELECT id, alias FROM warmline_callers WHERE alias LIKE '%' || ?1 || '%' ESCAPE '\\'
               ORDER BY alias NOT LIKE ?1 || '%' ESCAPE '\\', alias, id LIMIT ?2) c",
    )?;
    let rows = statement.query_map(params![query, limit as i64], |row| {
        Ok(CallerMatch { id: row.get(0)?, alias: row.get(1)?, call_count: row.get(2)?, last_call_at: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A new caller with the alias they chose; an alias in use is refused with the caller who has it.
pub fn add(desk: &mut Desk, session: &Session, alias: &str) -> Result<CallerMatch> {
    let alias = checked_alias(alias)?;
    let id = desk.write(|tx, now| {
        access::authorize_in(tx, session, Action::TakeCalls)?;
        ensure_alias_free(tx, &alias, None)?;
        let id = new_id();
        tx.prepare_cached("INSERT INTO warmline_callers (id, alias, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![id, alias, now])?;
        Ok(id)
    })?;
    Ok(CallerMatch { id, alias, call_count: 0, last_call_at: None })
}

/// A caller chose another alias.
pub fn rename(desk: &mut Desk, session: &Session, caller_id: &str, alias: &str) -> Result<()> {
    let alias = checked_alias(alias)?;
    desk.write(|tx, _| {
        access::authorize_in(tx, session, Action::TakeCalls)?;
        ensure_exists(tx, caller_id)?;
        ensure_alias_free(tx, &alias, Some(caller_id))?;
        tx.execute("UPDATE warmline_callers SET alias = ?2 WHERE id = ?1", params![caller_id, alias])?;
        Ok(())
    })
}

/// The caller's profile. Opening it is audited: it holds what volunteers wrote about them.
pub fn profile(desk: &mut Desk, session: &Session, caller_id: &str) -> Result<CallerProfile> {
    let today = desk.today()?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        let profile = profile_in(tx, caller_id, today)?;
        audit::record(tx, now, &actor, AuditEvent::CallerProfileViewed, Some(caller_id), "")?;
        Ok(profile)
    })
}

pub(crate) fn profile_in(conn: &Connection, caller_id: &str, today: NaiveDate) -> Result<CallerProfile> {
    let mut profile = conn
        .prepare_cached(
            "SELECT c.id, c.alias, c.created_at, c.held_reason, c.person_id IS NOT NULL,
                    (SELECT COUNT(*) FROM warmline_calls k WHERE k.caller_id = c.id),
                    (SELECT MIN(started_at) FROM warmline_calls k WHERE k.caller_id = c.id),
                    (SELECT MAX(started_at) FROM warmline_calls k WHERE k.caller_id = c.id),
                    (SELECT COUNT(*) FROM warmline_follow_ups f JOIN warmline_calls k ON k.id = f.call_id
                     WHERE k.caller_id = c.id AND f.completed_at IS NULL)
             FROM warmline_callers c WHERE c.id = ?1",
        )?
        .query_row([caller_id], |row| {
            Ok(CallerProfile {
                id: row.get(0)?,
                alias: row.get(1)?,
                created_at: row.get(2)?,
                held_reason: row.get(3)?,
                linked_to_person: row.get(4)?,
                call_count: row.get(5)?,
                first_call_at: row.get(6)?,
                last_call_at: row.get(7)?,
                open_follow_ups: row.get(8)?,
                what_helps: None,
                what_helps_written_at: None,
                flags: Vec::new(),
            })
        })
        .optional()?
        .ok_or(Error::Warmline(WarmlineError::CallerNotFound))?;
    let newest: Option<(String, Timestamp)> = conn
        .prepare_cached(
            "SELECT text, written_at FROM warmline_caller_notes WHERE caller_id = ?1
             ORDER BY written_at DESC, id DESC LIMIT 1",
        )?
        .query_row([caller_id], |row| Ok((row.get::<_, Option<String>>(0)?, row.get(1)?)))
        .optional()?
        .and_then(|(text, at)| text.map(|text| (text, at)));
    (profile.what_helps, profile.what_helps_written_at) = newest.map_or((None, None), |(t, at)| (Some(t), Some(at)));
    let mut flags = conn.prepare_cached(
        "SELECT id, text, until FROM warmline_caller_flags
         WHERE caller_id = ?1 AND until >= ?2 AND removed_at IS NULL AND text IS NOT NULL
         ORDER BY until, created_at",
    )?;
    let rows = flags.query_map(params![caller_id, today.to_string()], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get::<_, String>(2)?))
    })?;
    for row in rows {
        let (id, text, until) = row?;
        // A day a newer desk wrote otherwise is shown as no flag rather than a wrong one.
        if let Ok(until) = until.parse() {
            profile.flags.push(CallerFlag { id, text, until });
        }
    }
    Ok(profile)
}

/// Writes what helps this caller, replacing what was written before (which is erased at once:
/// nobody needs yesterday's version). `None` clears it.
pub fn write_what_helps(
    desk: &mut Desk,
    session: &Session,
    caller_id: &str,
    what_helps: Option<&str>,
) -> Result<CallerProfile> {
    let what_helps = text::note(what_helps, "what_helps", "What helps", 500)?;
    let today = desk.today()?;
    let entities = desk.entities();
    let profile = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        ensure_exists(tx, caller_id)?;
        let earlier: Vec<String> = {
            let mut statement =
                tx.prepare_cached("SELECT id FROM warmline_caller_notes WHERE caller_id = ?1 AND text IS NOT NULL")?;
            let rows = statement.query_map([caller_id], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let notes = entities.find(NOTES.entity).expect("declared in the schema");
        for id in earlier {
            tx.execute("UPDATE warmline_caller_notes SET erased_at = ?2 WHERE id = ?1", params![id, now])?;
            erasure::erase_record(tx, notes, &id, &Fields::new())?;
        }
        if let Some(what_helps) = &what_helps {
            tx.prepare_cached(
                "INSERT INTO warmline_caller_notes (id, caller_id, text, written_at, written_by) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![new_id(), caller_id, what_helps, now, actor.account_id])?;
        }
        profile_in(tx, caller_id, today)
    })?;
    desk.compact_after_erasing()?;
    Ok(profile)
}

/// Flags a caller for volunteers, through `until` (today to a year ahead): a coordinator's agreement.
pub fn add_flag(
    desk: &mut Desk,
    session: &Session,
    caller_id: &str,
    flag: &str,
    until: NaiveDate,
) -> Result<CallerProfile> {
    let flag = text::optional(Some(flag), "flag_text", "Flag", 120)?
        .ok_or(Error::Warmline(WarmlineError::FlagTextRequired))?;
    let today = desk.today()?;
    if until < today || until > today + Duration::days(FLAG_DAYS_MAX) {
        return Err(Error::Warmline(WarmlineError::FlagUntilOutOfRange));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        ensure_exists(tx, caller_id)?;
        tx.prepare_cached(
            "INSERT INTO warmline_caller_flags (id, caller_id, text, until, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![new_id(), caller_id, flag, until.to_string(), now, actor.account_id])?;
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(caller_id), "caller flagged")?;
        profile_in(tx, caller_id, today)
    })
}

/// Ends a flag before its day.
pub fn remove_flag(desk: &mut Desk, session: &Session, flag_id: &str) -> Result<CallerProfile> {
    let today = desk.today()?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        let caller_id: String = tx
            .query_row("SELECT caller_id FROM warmline_caller_flags WHERE id = ?1", [flag_id], |row| row.get(0))
            .optional()?
            .ok_or(Error::Warmline(WarmlineError::CallerNotFound))?;
        tx.execute(
            "UPDATE warmline_caller_flags SET removed_at = COALESCE(removed_at, ?2) WHERE id = ?1",
            params![flag_id, now],
        )?;
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(&caller_id), "caller flag removed")?;
        profile_in(tx, caller_id.as_str(), today)
    })
}

/// Links a caller to a front-desk person, which only a coordinator may do and only with the
/// person's consent given now; `None` unlinks them.
pub fn link_person(
    desk: &mut Desk,
    session: &Session,
    caller_id: &str,
    person_id: Option<&str>,
    consent_given: bool,
) -> Result<()> {
    if person_id.is_some() && !consent_given {
        return Err(Error::Warmline(WarmlineError::LinkNeedsConsent));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        ensure_exists(tx, caller_id)?;
        if let Some(person_id) = person_id {
            let forgotten: Option<Option<String>> = tx
                .query_row("SELECT forgotten_at FROM people WHERE id = ?1", [person_id], |row| row.get(0))
                .optional()?;
            match forgotten {
                None => return Err(Error::People(PeopleError::PersonNotFound)),
                Some(Some(_)) => return Err(Error::People(PeopleError::PersonForgotten)),
                Some(None) => {}
            }
        }
        tx.execute("UPDATE warmline_callers SET person_id = ?2 WHERE id = ?1", params![caller_id, person_id])?;
        let detail = if person_id.is_some() { "linked with the person's consent" } else { "unlinked" };
        audit::record(tx, now, &actor, AuditEvent::CallerLinked, Some(caller_id), detail)
    })
}

fn checked_alias(alias: &str) -> Result<String> {
    text::optional(Some(alias), "alias", "Alias", ALIAS_MAX)?.ok_or(Error::Warmline(WarmlineError::AliasRequired))
}

fn ensure_alias_free(tx: &Transaction, alias: &str, except_id: Option<&str>) -> Result<()> {
    let holder: Option<String> = tx
        .prepare_cached(
            "SELECT id FROM warmline_callers WHERE alias = ?1 AND id IS NOT ?2 ORDER BY created_at LIMIT 1",
        )?
        .query_row(params![alias, except_id], |row| row.get(0))
        .optional()?;
    match holder {
        Some(caller_id) => Err(Error::Warmline(WarmlineError::AliasTaken { alias: alias.to_owned(), caller_id })),
        None => Ok(()),
    }
}

pub(crate) fn ensure_exists(conn: &Connection, caller_id: &str) -> Result<()> {
    if conn.prepare_cached("SELECT 1 FROM warmline_callers WHERE id = ?1")?.exists([caller_id])? {
        Ok(())
    } else {
        Err(Error::Warmline(WarmlineError::CallerNotFound))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{desk_at, OPERATOR};

    #[test]
    fn an_alias_in_use_offers_the_caller_who_has_it() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let birdie = add(&mut desk, &OPERATOR, " Birdie ").unwrap();
        add(&mut desk, &OPERATOR, "Big Bird").unwrap();
        let err = add(&mut desk, &OPERATOR, "birdie").unwrap_err();
        assert_eq!((err.code(), err.field()), ("alias_taken", Some("alias")));
        assert_eq!(err.detail()["caller_id"], birdie.id);
        assert!(matches!(add(&mut desk, &OPERATOR, "  "), Err(Error::Warmline(WarmlineError::AliasRequired))));
        let found: Vec<String> = find(&desk, &OPERATOR, "bi", 8).unwrap().into_iter().map(|c| c.alias).collect();
        assert_eq!(found, ["Big Bird", "Birdie"]);
        let found: Vec<String> = find(&desk, &OPERATOR, "rd", 8).unwrap().into_iter().map(|c| c.alias).collect();
        assert_eq!(found, ["Big Bird", "Birdie"], "anywhere in the alias");
    }

    #[test]
    fn flags_hold_through_their_day_and_what_helps_replaces_what_was_written() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let sunny = add(&mut desk, &OPERATOR, "Sunny").unwrap();
        let today = desk.today().unwrap();
        add_flag(&mut desk, &OPERATOR, &sunny.id, "Keep calls to 15 minutes", today + Duration::days(2)).unwrap();
        let err = add_flag(&mut desk, &OPERATOR, &sunny.id, "Old", today - Duration::days(1)).unwrap_err();
        assert_eq!(err.field(), Some("until"));
        write_what_helps(&mut desk, &OPERATOR, &sunny.id, Some("Talking about her garden.")).unwrap();
        let profile = write_what_helps(&mut desk, &OPERATOR, &sunny.id, Some("Asking about her dog.")).unwrap();
        assert_eq!(profile.what_helps.as_deref(), Some("Asking about her dog."));
        assert_eq!(profile.flags.len(), 1);
        let kept: i64 = desk
            .conn()
            .query_row("SELECT COUNT(*) FROM warmline_caller_notes WHERE text IS NOT NULL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kept, 1, "the earlier note is erased, not kept as history");

        desk.clock.advance(Duration::days(3));
        let later = super::profile(&mut desk, &OPERATOR, &sunny.id).unwrap();
        assert!(later.flags.is_empty(), "the flag ended two days on");
    }
}
