//! The shift handoff: what the volunteer coming on needs from the shift so far, escalations
//! first. Until volunteer shifts exist, the shift is the last four hours or the time since
//! the volunteer signed in, whichever is longer (a day at most).

use chrono::Duration;
use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use super::calls::{self, CallSummary};
use super::follow_ups::{self, FollowUp};
use crate::access::{self, Action, Session};
use crate::audit::AuditEvent;
use crate::{Desk, Result, Timestamp};

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
}

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
    })
}
