//! The credentials a volunteer holds (peer specialist certification, warmline training, a
//! background check, CPR), each with the day it was issued and the day it expires. A renewal is
//! a new record beside the old one; what counts for a kind is the one that runs latest. Only
//! coordinators and admins read them.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::Table;
use crate::volunteers::VolunteersError;
use crate::{new_id, Desk, Error, Result};

/// How soon before it expires a credential is flagged.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Standing {
    Current,
    /// Expires within [`EXPIRING_WITHIN_DAYS`].
    ExpiringSoon,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HeldCredential {
    pub id: String,
    pub kind_id: String,
    pub kind_name: String,
    #[ts(type = "string")]
    pub issued_on: NaiveDate,
    #[ts(type = "string | null")]
    pub expires_on: Option<NaiveDate>,
    pub standing: Standing,
    /// A later credential of the same kind replaces this one.
    pub superseded: bool,
}

/// A credential expired or expiring soon, on the coordinator's first screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CredentialAlert {
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub kind_id: String,
    pub kind_name: String,
    #[ts(type = "string")]
    pub expires_on: NaiveDate,
    pub standing: Standing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CredentialInput {
    pub kind_id: String,
    #[ts(type = "string")]
    pub issued_on: NaiveDate,
    #[ts(type = "string | null")]
    pub expires_on: Option<NaiveDate>,
}

pub(crate) const SYNCED: Table = Table {
    entity: "volunteer_credential",
    table: "volunteer_credentials",
    columns: &["volunteer_id", "kind_id", "issued_on", "expires_on", "recorded_at", "removed_at"],
    ..Table::PLAIN
};

pub(crate) fn standing(expires_on: Option<NaiveDate>, on: NaiveDate) -> Standing {
    match expires_on {
        Some(day) if day < on => Standing::Expired,
        Some(day) if day <= on + Duration::days(EXPIRING_WITHIN_DAYS) => Standing::ExpiringSoon,
        _ => Standing::Current,
    }
}

/// Records a credential a volunteer holds.
pub fn add(
    desk: &mut Desk,
    session: &Session,
    volunteer_id: &str,
    input: &CredentialInput,
) -> Result<Vec<HeldCredential>> {
    let today = desk.today()?;
    crate::clock::held_day(input.issued_on)?;
    input.expires_on.map(crate::clock::held_day).transpose()?;
    if input.issued_on > today {
        return Err(Error::Volunteers(VolunteersError::CredentialIssuedInFuture));
    }
    if input.expires_on.is_some_and(|expires| expires < input.issued_on) {
        return Err(Error::Volunteers(VolunteersError::CredentialExpiresBeforeIssued));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        super::ensure_volunteer(tx, volunteer_id)?;
        let name: String = tx
            .query_row(
                "SELECT name FROM credential_kinds WHERE id = ?1 AND retired_at IS NULL",
                [&input.kind_id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(Error::Volunteers(VolunteersError::RoleNotOffered))?;
        tx.execute(
            "INSERT INTO volunteer_credentials (id, volunteer_id, kind_id, issued_on, expires_on, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![new_id(), volunteer_id, input.kind_id, input.issued_on, input.expires_on, now],
        )?;
        audit::record(tx, now, &actor, AuditEvent::CredentialChanged, Some(volunteer_id), &format!("{name} recorded"))
    })?;
    held_in(desk.conn(), volunteer_id, today)
}

/// Takes back a credential recorded by mistake.
pub fn remove(desk: &mut Desk, session: &Session, credential_id: &str) -> Result<Vec<HeldCredential>> {
    let volunteer_id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let volunteer_id: String = tx
            .query_row("SELECT volunteer_id FROM volunteer_credentials WHERE id = ?1", [credential_id], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or(Error::Volunteers(VolunteersError::CredentialNotFound))?;
        tx.execute("UPDATE volunteer_credentials SET removed_at = ?2 WHERE id = ?1", params![credential_id, now])?;
        audit::record(tx, now, &actor, AuditEvent::CredentialChanged, Some(&volunteer_id), "credential removed")?;
        Ok(volunteer_id)
    })?;
    held_in(desk.conn(), &volunteer_id, desk.today()?)
}

/// Credentials expired or expiring within 30 days, soonest first: for each active volunteer
/// and kind, the one that runs latest, if that is not enough.
pub fn alerts(desk: &Desk, session: &Session) -> Result<Vec<CredentialAlert>> {
    access::authorize(desk, session, Action::ManageVolunteers)?;
    alerts_in(desk.conn(), desk.today()?)
}

pub(crate) fn alerts_in(conn: &Connection, today: NaiveDate) -> Result<Vec<CredentialAlert>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.volunteer_id, p.display_name, c.kind_id, k.name, MAX(c.expires_on)
         FROM volunteer_credentials c
         JOIN volunteers v ON v.id = c.volunteer_id AND v.active = 1
         JOIN people p ON p.id = c.volunteer_id
         JOIN credential_kinds k ON k.id = c.kind_id AND k.retired_at IS NULL
         WHERE c.removed_at IS NULL
         GROUP BY c.volunteer_id, c.kind_id
         HAVING COUNT(*) = COUNT(c.expires_on) AND MAX(c.expires_on) <= ?1
         ORDER BY MAX(c.expires_on), p.display_name COLLATE NOCASE",
    )?;
    let soon = today + Duration::days(EXPIRING_WITHIN_DAYS);
    let rows = statement.query_map([soon], |row| {
        let expires_on: NaiveDate = row.get(4)?;
        Ok(CredentialAlert {
            volunteer_id: row.get(0)?,
            volunteer_name: row.get(1)?,
            kind_id: row.get(2)?,
            kind_name: row.get(3)?,
            standing: standing(Some(expires_on), today),
            expires_on,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A volunteer's credentials, newest of each kind first.
pub(crate) fn held_in(conn: &Connection, volunteer_id: &str, today: NaiveDate) -> Result<Vec<HeldCredential>> {
    let mut statement = conn.prepare_cached(
        "SELECT c.id, c.kind_id, k.name, c.issued_on, c.expires_on
         FROM volunteer_credentials c JOIN credential_kinds k ON k.id = c.kind_id
         WHERE c.volunteer_id = ?1 AND c.removed_at IS NULL
         ORDER BY k.position, c.expires_on IS NULL DESC, c.expires_on DESC, c.issued_on DESC",
    )?;
    let rows = statement.query_map([volunteer_id], |row| {
        let expires_on: Option<NaiveDate> = row.get(4)?;
        Ok(HeldCredential {
            id: row.get(0)?,
            kind_id: row.get(1)?,
            kind_name: row.get(2)?,
            issued_on: row.get(3)?,
            expires_on,
            standing: standing(expires_on, today),
            superseded: false,
        })
    })?;
    let mut held: Vec<HeldCredential> = rows.collect::<rusqlite::Result<_>>()?;
    let mut seen = std::collections::HashSet::new();
    for credential in &mut held {
        credential.superseded = !seen.insert(credential.kind_id.clone());
    }
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{self, PersonInput};
    use crate::testkit::{desk_at, OPERATOR};
    use crate::volunteers::{self, VolunteerInput, BACKGROUND_CHECK, WARMLINE_TRAINING};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn expired_and_expiring_credentials_are_flagged_until_renewed() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let person =
            people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Jo K.".into(), ..Default::default() })
                .unwrap();
        volunteers::save(&mut desk, &OPERATOR, &person.id, &VolunteerInput::default()).unwrap();
        let check = |issued: &str, expires: &str| CredentialInput {
            kind_id: BACKGROUND_CHECK.into(),
            issued_on: day(issued),
            expires_on: Some(day(expires)),
        };
        add(&mut desk, &OPERATOR, &person.id, &check("2024-11-01", "2026-11-01")).unwrap();
        let training = CredentialInput {
            kind_id: WARMLINE_TRAINING.into(),
            issued_on: day("2026-01-10"),
            expires_on: Some(day("2026-12-10")),
        };
        add(&mut desk, &OPERATOR, &person.id, &training).unwrap();
        let flagged = alerts(&desk, &OPERATOR).unwrap();
        let standings: Vec<(&str, Standing)> = flagged.iter().map(|a| (a.kind_name.as_str(), a.standing)).collect();
        assert_eq!(standings, [("Background check", Standing::Expired), ("Warmline training", Standing::ExpiringSoon)]);

        let held = add(&mut desk, &OPERATOR, &person.id, &check("2026-11-20", "2028-11-20")).unwrap();
        assert!(held.iter().any(|c| c.superseded && c.expires_on == Some(day("2026-11-01"))));
        let flagged = alerts(&desk, &OPERATOR).unwrap();
        assert_eq!(flagged.len(), 1, "the renewed check is no longer flagged: {flagged:?}");

        assert!(matches!(
            add(&mut desk, &OPERATOR, &person.id, &check("2026-11-20", "2026-11-19")),
            Err(Error::Volunteers(VolunteersError::CredentialExpiresBeforeIssued))
        ));
        assert!(matches!(
            add(&mut desk, &OPERATOR, &person.id, &check("2026-12-01", "2027-12-01")),
            Err(Error::Volunteers(VolunteersError::CredentialIssuedInFuture))
        ));
    }
}
