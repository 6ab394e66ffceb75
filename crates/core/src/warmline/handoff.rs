//! The shift handoff: what the volunteer coming on needs from the shift so far, escalations
//! first, and the notes volunteers left for whoever comes on next. The shift is the last four
//! hours or the time since the volunteer signed in, whichever is longer (a day at most).

use chrono::Duration;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::calls::{self, CallSummary};
use super::follow_ups::{self, FollowUp};
use crate::access::{self, Action, Session};
use crate::audit::AuditEvent;
use crate::sync::entity::Table;
use crate::sync::erasure::{Erased, OnForget, Personal};
use crate::warmline::WarmlineError;
use crate::{new_id, text, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Handoff {
    pub since: Timestamp,
    /// The escalated calls since then, newest first: they head the handoff.
    pub escalations: Vec<CallSummary>,
    /// Every call since then, newest first, escalations included.
    pub calls: Vec<CallSummary>,
    /// The callbacks still to make, whenever they were asked for, soonest due first.
    pub open_follow_ups: Vec<FollowUp>,
    /// The callbacks made since then, the latest first: nobody makes one twice.
    pub done_follow_ups: Vec<FollowUp>,
    /// What volunteers left for the next one on the line in the last day, newest first.
    pub notes: Vec<HandoffNote>,
}

/// A few lines left for whoever comes on the line next ("Birdie may call back about the bus").
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HandoffNote {
    pub id: String,
    pub text: String,
    pub written_at: Timestamp,
    pub written_by_name: Option<String>,
}

pub(crate) const NOTES: Table = Table {
    entity: "warmline_handoff_note",
    table: "warmline_handoff_notes",
    columns: &["text", "written_at", "written_by", "erased_at"],
    personal: &[Personal { field: "text", erased: Erased::Null }],
    erased_marker: Some("erased_at"),
    // About the line's shift, not about a person the front desk knows: retention erases it.
    when_person_forgotten: OnForget::Keep,
    ..Table::PLAIN
};

const NOTE_MAX: usize = 1_000;

const SHIFT_HOURS: i64 = 4;
const LONGEST_SHIFT_HOURS: i64 = 24;

pub fn current(desk: &Desk, session: &Session) -> Result<Handoff> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let now = desk.now();
    let four_hours_ago = Timestamp(now.0 - Duration::hours(SHIFT_HOURS));
    let day_ago = Timestamp(now.0 - Duration::hours(LONGEST_SHIFT_HOURS));
    let signed_in: Option<Timestamp> = match session.account_id() {
        Some(account_id) => desk
            .conn()
            .prepare_cached(
                "SELECT at FROM audit_log WHERE at >= ?1 AND event = ?2 AND account_id = ?3 ORDER BY at DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![day_ago, AuditEvent::SignedIn.as_str(), account_id], |row| row.get(0))
            .optional()?,
        None => None,
    };
    let since = signed_in.map_or(four_hours_ago, |at| at.min(four_hours_ago));
    let calls = calls::summaries_since(desk.conn(), since, None)?;
    Ok(Handoff {
        since,
        escalations: calls.iter().filter(|call| call.escalated).cloned().collect(),
        calls,
        open_follow_ups: follow_ups::open_in(desk.conn())?,
        done_follow_ups: follow_ups::done_since(desk.conn(), since)?,
        notes: notes_since(desk.conn(), day_ago)?,
    })
}

/// Leaves a note for whoever comes on the line next.
pub fn leave_note(desk: &mut Desk, session: &Session, note: &str) -> Result<HandoffNote> {
    let note = text::note(Some(note), "handoff_note", "Note", NOTE_MAX)?
        .ok_or(Error::Warmline(WarmlineError::HandoffNoteRequired))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        let id = new_id();
        tx.prepare_cached(
            "INSERT INTO warmline_handoff_notes (id, text, written_at, written_by) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(rusqlite::params![id, note, now, actor.account_id])?;
        Ok(HandoffNote { id, text: note, written_at: now, written_by_name: Some(actor.name) })
    })
}

fn notes_since(conn: &Connection, since: Timestamp) -> Result<Vec<HandoffNote>> {
    let mut statement = conn.prepare_cached(
        "SELECT n.id, n.text, n.written_at, a.name FROM warmline_handoff_notes n
         LEFT JOIN accounts a ON a.id = n.written_by
         WHERE n.written_at >= ?1 AND n.text IS NOT NULL ORDER BY n.written_at DESC, n.id DESC",
    )?;
    let rows = statement.query_map([since], |row| {
        Ok(HandoffNote { id: row.get(0)?, text: row.get(1)?, written_at: row.get(2)?, written_by_name: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warmline::calls::{tests::line, CallInput};
    use crate::warmline::follow_ups::FollowUpInput;
    use crate::warmline::{retention, PEER_SUPPORT};

    #[test]
    fn the_next_volunteer_reads_the_note_left_and_the_callbacks_already_made() {
        let (mut desk, kim) = line();
        assert!(matches!(
            leave_note(&mut desk, &kim, "  \n "),
            Err(Error::Warmline(WarmlineError::HandoffNoteRequired))
        ));
        let started_at = Timestamp(desk.now().0 - Duration::minutes(40));
        let call = calls::log(&mut desk, &kim, &CallInput::of_type(PEER_SUPPORT, started_at)).unwrap();
        let due = FollowUpInput {
            due_at: Timestamp(desk.now().0 + Duration::minutes(30)),
            request: Some("The bus pass".into()),
            callback_number: Some("555-0101".into()),
        };
        let asked = follow_ups::add(&mut desk, &kim, &call.summary.id, &due).unwrap();
        let waiting = follow_ups::add(&mut desk, &kim, &call.summary.id, &due).unwrap();
        follow_ups::complete(&mut desk, &kim, &asked.id, Some("Told her the office hours")).unwrap();
        let note =
            leave_note(&mut desk, &kim, "Birdie may call back about the bus.\nThe 988 card is by the phone.").unwrap();
        assert_eq!(note.written_by_name.as_deref(), Some("Kim W."));

        desk.clock.advance(Duration::hours(2));
        let handoff = current(&desk, &kim).unwrap();
        assert_eq!(handoff.notes, [note.clone()]);
        let done: Vec<&str> = handoff.done_follow_ups.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(done, [asked.id.as_str()], "made this shift");
        assert_eq!(handoff.open_follow_ups.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), [waiting.id.as_str()]);

        // A day on, the note is no longer the handoff's; once the period is over it is erased.
        desk.clock.advance(Duration::hours(23));
        assert!(current(&desk, &kim).unwrap().notes.is_empty());
        desk.clock.advance(Duration::days(91));
        assert_eq!(retention::sweep(&mut desk).unwrap().handoff_notes, 1);
        let text: Option<String> = desk
            .conn()
            .query_row("SELECT text FROM warmline_handoff_notes WHERE id = ?1", [&note.id], |row| row.get(0))
            .unwrap();
        assert_eq!(text, None);
    }
}
