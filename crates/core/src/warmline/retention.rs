//! Notes that do not outlive their use. Each field of a call and a caller is coded (type,
//! topics, referrals, outcome, times: kept for the figures) or narrative (a call's notes and
//! escalation reason, "what helps", a flag's text, a follow-up's request, number and note, a
//! note left at the handoff).
//! Once the center's period is over (settings' `warmline_note_days`, 90 days unless set), the
//! [`sweep`] erases the narrative the way forgetting a person does: in the row, in changes not
//! sent yet and, by the erasing change, at the hub; and a record erased stays erased as
//! other desks' older edits arrive. A record on legal hold ([`set_hold`]) is kept until the
//! hold is lifted. The desk's round ([`crate::round`]) runs the sweep once a day.
//!
//! Ages: a call's narrative and its follow-ups' from when the call started and the follow-up
//! was asked for; "what helps" from when it was written; a flag from its last day (it is in
//! use until then) or its removal.

use std::collections::BTreeSet;

use chrono::Duration;
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Actor, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::{Entities, Fields};
use crate::sync::erasure;
use crate::warmline::WarmlineError;
use crate::{settings, text, Desk, Error, Result, Timestamp};

/// How many records' narrative one sweep erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Swept {
    pub calls: u32,
    pub follow_ups: u32,
    pub caller_notes: u32,
    pub flags: u32,
    pub handoff_notes: u32,
}

impl Swept {
    pub fn total(&self) -> u32 {
        self.calls + self.follow_ups + self.caller_notes + self.flags + self.handoff_notes
    }

    /// The record types the sweep erased narrative of, by their name on the wire.
    pub fn entities(&self) -> BTreeSet<String> {
        [
            (self.calls, super::calls::SYNCED.entity),
            (self.follow_ups, super::follow_ups::SYNCED.entity),
            (self.caller_notes, super::callers::NOTES.entity),
            (self.flags, super::callers::FLAGS.entity),
            (self.handoff_notes, super::handoff::NOTES.entity),
        ]
        .into_iter()
        .filter(|(erased, _)| *erased > 0)
        .map(|(_, entity)| entity.to_owned())
        .collect()
    }
}

/// What a legal hold is put on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HoldOn {
    /// A call, with its follow-ups.
    Call,
    /// A caller: their "what helps", flags and every call of theirs.
    Caller,
}

/// How many records of each kind one transaction of a sweep erases at most. A first sweep over
/// years of notes (or a period just shortened) is many short transactions (about 50 ms each at
/// scale), so the window's writes hardly wait on it (they give up after five seconds).
const BATCH: usize = 500;

impl std::ops::AddAssign for Swept {
    fn add_assign(&mut self, other: Swept) {
        self.calls += other.calls;
        self.follow_ups += other.follow_ups;
        self.caller_notes += other.caller_notes;
        self.flags += other.flags;
        self.handoff_notes += other.handoff_notes;
    }
}

/// Erases the narrative whose period is over, on this desk now and (once synced) everywhere.
/// Runs with nobody signed in; the audit log records what each transaction of it did, as counts.
pub fn sweep(desk: &mut Desk) -> Result<Swept> {
    let days = settings::warmline_note_days(desk)?;
    let cutoff = Timestamp(desk.now().0 - Duration::days(i64::from(days)));
    let cutoff_day = cutoff.in_zone(desk.zone()?).date_naive().to_string();
    let mut swept = Swept::default();
    loop {
        let batch = sweep_batch(desk, days, cutoff, &cutoff_day)?;
        swept += batch;
        let full = [batch.calls, batch.follow_ups, batch.caller_notes, batch.flags, batch.handoff_notes]
            .contains(&(BATCH as u32));
        if !full {
            break;
        }
    }
    if swept.total() > 0 {
        desk.compact_after_erasing()?;
    }
    Ok(swept)
}

fn sweep_batch(desk: &mut Desk, days: u32, cutoff: Timestamp, cutoff_day: &str) -> Result<Swept> {
    let entities = desk.entities();
    desk.write(|tx, now| {
        let swept = Swept {
            calls: erase_each(
                tx,
                entities,
                now,
                super::calls::SYNCED.entity,
                "UPDATE warmline_calls SET notes_erased_at = ?2 WHERE id = ?1",
                "SELECT k.id FROM warmline_calls k LEFT JOIN warmline_callers c ON c.id = k.caller_id
                 WHERE (notes IS NOT NULL OR escalation_reason IS NOT NULL) AND k.started_at < ?1
                   AND k.held_at IS NULL AND c.held_at IS NULL",
                params![cutoff],
            )?,
            follow_ups: erase_each(
                tx,
                entities,
                now,
                super::follow_ups::SYNCED.entity,
                "UPDATE warmline_follow_ups SET erased_at = ?2 WHERE id = ?1",
                "SELECT f.id FROM warmline_follow_ups f JOIN warmline_calls k ON k.id = f.call_id
                   LEFT JOIN warmline_callers c ON c.id = k.caller_id
                 WHERE (request IS NOT NULL OR callback_number IS NOT NULL OR completion_note IS NOT NULL)
                   AND f.created_at < ?1 AND k.held_at IS NULL AND c.held_at IS NULL",
                params![cutoff],
            )?,
            caller_notes: erase_each(
                tx,
                entities,
                now,
                super::callers::NOTES.entity,
                "UPDATE warmline_caller_notes SET erased_at = ?2 WHERE id = ?1",
                "SELECT n.id FROM warmline_caller_notes n JOIN warmline_callers c ON c.id = n.caller_id
                 WHERE text IS NOT NULL AND n.written_at < ?1 AND c.held_at IS NULL",
                params![cutoff],
            )?,
            flags: erase_each(
                tx,
                entities,
                now,
                super::callers::FLAGS.entity,
                "UPDATE warmline_caller_flags SET erased_at = ?2 WHERE id = ?1",
                "SELECT f.id FROM warmline_caller_flags f JOIN warmline_callers c ON c.id = f.caller_id
                 WHERE text IS NOT NULL AND (f.until < ?2 OR f.removed_at < ?1) AND c.held_at IS NULL",
                params![cutoff, cutoff_day],
            )?,
            handoff_notes: erase_each(
                tx,
                entities,
                now,
                super::handoff::NOTES.entity,
                "UPDATE warmline_handoff_notes SET erased_at = ?2 WHERE id = ?1",
                "SELECT id FROM warmline_handoff_notes WHERE text IS NOT NULL AND written_at < ?1",
                params![cutoff],
            )?,
        };
        if swept.total() > 0 {
            let detail = format!(
                "older than {days} days: the notes of {} calls, {} follow-ups, {} \"what helps\" notes, {} flags, {} handoff notes",
                swept.calls, swept.follow_ups, swept.caller_notes, swept.flags, swept.handoff_notes
            );
            audit::record(tx, now, &retention_actor(), AuditEvent::WarmlineNotesErased, None, &detail)?;
        }
        Ok(swept)
    })
}

/// The sweep acts for the center's policy, not for anyone signed in.
fn retention_actor() -> Actor {
    Actor { account_id: None, name: "Retention".to_owned(), roles: Vec::new() }
}

fn erase_each(
    tx: &Transaction,
    entities: Entities,
    now: Timestamp,
    entity: &str,
    mark: &str,
    due: &str,
    bound: impl rusqlite::Params,
) -> Result<u32> {
    let ids: Vec<String> = {
        let mut statement = tx.prepare_cached(&format!("{due} LIMIT {BATCH}"))?;
        let rows = statement.query_map(bound, |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let entity = entities.find(entity).expect("declared in the schema");
    let mut marked = tx.prepare_cached(mark)?;
    for id in &ids {
        marked.execute(params![id, now])?;
        erasure::erase_record(tx, entity, id, &Fields::new())?;
    }
    Ok(ids.len() as u32)
}

/// Puts a call or caller on legal hold, with the reason (a court order, an investigation), or
/// lifts the hold with `None`: from then on retention erases what is past its period.
pub fn set_hold(desk: &mut Desk, session: &Session, on: HoldOn, id: &str, reason: Option<&str>) -> Result<()> {
    let reason = match reason {
        Some(reason) => Some(
            text::optional(Some(reason), "hold_reason", "Reason", 300)?
                .ok_or(Error::Warmline(WarmlineError::HoldReasonRequired))?,
        ),
        None => None,
    };
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::HoldWarmlineRecords)?;
        let (table, missing) = match on {
            HoldOn::Call => ("warmline_calls", Error::Warmline(WarmlineError::CallNotFound)),
            HoldOn::Caller => ("warmline_callers", Error::Warmline(WarmlineError::CallerNotFound)),
        };
        let held_at = reason.as_ref().map(|_| now);
        let changed = tx.execute(
            &format!("UPDATE {table} SET held_reason = ?2, held_at = ?3 WHERE id = ?1"),
            params![id, reason, held_at],
        )?;
        if changed == 0 {
            return Err(missing);
        }
        let detail = match &reason {
            Some(reason) => format!("held: {reason}"),
            None => "hold lifted".to_owned(),
        };
        audit::record(tx, now, &actor, AuditEvent::WarmlineRecordHeld, Some(id), &detail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warmline::calls::{self, tests::line, CallInput};
    use crate::warmline::PEER_SUPPORT;

    #[test]
    fn a_first_sweep_over_many_notes_erases_them_all_in_short_transactions_each_audited() {
        let (mut desk, kim) = line();
        let calls = BATCH * 2 + 1;
        for n in 0..calls {
            let started_at = Timestamp(desk.now().0 - Duration::minutes(30 + n as i64));
            let input = CallInput {
                ended_at: Some(Timestamp(started_at.0 + Duration::minutes(10))),
                notes: Some(format!("Call {n}")),
                ..CallInput::of_type(PEER_SUPPORT, started_at)
            };
            calls::log(&mut desk, &kim, &input).unwrap();
        }
        desk.clock.advance(Duration::days(91));

        let swept = sweep(&mut desk).unwrap();
        assert_eq!(swept.calls as usize, calls);
        assert_eq!(sweep(&mut desk).unwrap().total(), 0, "nothing is left for the next sweep");
        let kept: i64 = desk
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM warmline_calls WHERE notes IS NOT NULL OR notes_erased_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 0);
        let erasures: Vec<String> = {
            let mut statement =
                desk.conn().prepare("SELECT detail FROM audit_log WHERE event = 'warmline_notes_erased'").unwrap();
            statement.query_map([], |row| row.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
        };
        assert_eq!(erasures.len(), 3, "one entry per transaction: {erasures:?}");
        assert!(erasures.iter().any(|detail| detail.contains("the notes of 1 calls")), "{erasures:?}");
    }

    #[test]
    fn forgetting_a_person_erases_what_was_written_about_their_linked_caller_unless_it_is_held() {
        use crate::people::{self, PersonInput};
        use crate::testkit::OPERATOR;
        use crate::warmline::callers;

        let (mut desk, kim) = line();
        let input = PersonInput { display_name: "Dana Quill".into(), ..Default::default() };
        let dana = people::register(&mut desk, &OPERATOR, &input).unwrap().id;
        let heron = callers::add(&mut desk, &kim, "Blue Heron").unwrap().id;
        let owl = callers::add(&mut desk, &kim, "Night Owl").unwrap().id;
        for caller in [&heron, &owl] {
            callers::link_person(&mut desk, &OPERATOR, caller, Some(&dana), true).unwrap();
            callers::write_what_helps(&mut desk, &kim, caller, Some("Talk about her garden")).unwrap();
        }
        let today = desk.today().unwrap();
        callers::add_flag(&mut desk, &OPERATOR, &heron, "Prefers a woman volunteer", today).unwrap();
        let started_at = Timestamp(desk.now().0 - Duration::minutes(20));
        let call = CallInput {
            caller_id: Some(heron.clone()),
            notes: Some("Worried about the court date".into()),
            ..CallInput::of_type(PEER_SUPPORT, started_at)
        };
        let call_id = calls::log(&mut desk, &kim, &call).unwrap().summary.id;
        set_hold(&mut desk, &OPERATOR, HoldOn::Caller, &owl, Some("Court order 2026-114")).unwrap();

        people::forget(&mut desk, &OPERATOR, &dana).unwrap();

        let heron_now = callers::profile(&mut desk, &kim, &heron).unwrap();
        assert_eq!(heron_now.what_helps, None);
        assert!(heron_now.flags.is_empty() && !heron_now.linked_to_person);
        let notes: Option<String> =
            desk.conn().query_row("SELECT notes FROM warmline_calls WHERE id = ?1", [&call_id], |r| r.get(0)).unwrap();
        assert_eq!(notes, None);
        let owl_now = callers::profile(&mut desk, &kim, &owl).unwrap();
        assert_eq!(owl_now.what_helps.as_deref(), Some("Talk about her garden"), "a legal hold keeps it");
        assert!(!owl_now.linked_to_person);
        let erasing: Vec<String> = {
            let mut statement = desk
                .conn()
                .prepare(
                    "SELECT entity FROM outbox WHERE erases LIKE '%text%' OR erases LIKE '%notes%' ORDER BY position",
                )
                .unwrap();
            let rows = statement.query_map([], |row| row.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(
            erasing,
            ["warmline_caller_note", "warmline_caller_flag", "warmline_call"],
            "the hub is told to erase each"
        );
    }
}
