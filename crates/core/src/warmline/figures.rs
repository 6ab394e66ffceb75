//! The warmline's figures for any period, as funders ask for them: calls per day and by hour
//! of the week, by type, topic, referral and outcome, how long support calls last, first-time
//! and repeat callers, escalations. Counted from the coded fields only, so they stay the same
//! after retention erases the notes.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Timelike};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::calls::Outcome;
use super::CallKind;
use crate::access::{self, Action, Session};
use crate::clock::day_bounds;
use crate::error::CommonError;
use crate::{Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WarmlineFigures {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub calls: u32,
    pub support_calls: u32,
    pub non_data_calls: u32,
    /// Every day of the period, in order, with its calls.
    pub per_day: Vec<DayCount>,
    /// Calls by weekday (Monday first) and hour of the day, in the center's zone: 7 rows of 24.
    pub by_hour_of_week: Vec<Vec<u32>>,
    pub by_type: Vec<Count>,
    /// Support calls by topic; a call with two topics counts under both.
    pub by_topic: Vec<Count>,
    pub by_referral: Vec<Count>,
    pub by_outcome: Vec<OutcomeCount>,
    /// The mean length of support calls, in seconds; `None` without any.
    pub average_support_seconds: Option<u32>,
    /// Support calls that were their caller's first call ever, and the other calls of known callers.
    pub first_time_calls: u32,
    pub repeat_calls: u32,
    pub anonymous_calls: u32,
    /// Different callers who called in the period.
    pub callers: u32,
    pub escalations: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DayCount {
    #[ts(type = "string")]
    pub day: NaiveDate,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Count {
    pub id: String,
    pub name: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub calls: u32,
}

/// The figures for the center's days `from` to `to`, both included.
pub fn for_period(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<WarmlineFigures> {
    access::authorize(desk, session, Action::SeeWarmlineFigures)?;
    count(desk, from, to)
}

pub(crate) fn count(desk: &Desk, from: NaiveDate, to: NaiveDate) -> Result<WarmlineFigures> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    let conn = desk.conn();

    // Each first call of the callers who called in the period, read from the callers' index.
    let first_calls: HashMap<String, Timestamp> = {
        let mut statement = conn.prepare_cached(
            "SELECT c.caller_id, (SELECT MIN(f.started_at) FROM warmline_calls f WHERE f.caller_id = c.caller_id)
             FROM (SELECT DISTINCT caller_id FROM warmline_calls
                   WHERE started_at >= ?1 AND started_at < ?2 AND caller_id IS NOT NULL) c",
        )?;
        let rows = statement.query_map(params![start, end], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let days = usize::try_from((to - from).num_days() + 1).unwrap_or_default();
    let mut figures = WarmlineFigures {
        from,
        to,
        per_day: (0..days).map(|n| DayCount { day: from + chrono::Duration::days(n as i64), calls: 0 }).collect(),
        by_hour_of_week: vec![vec![0; 24]; 7],
        ..Default::default()
    };
    // The few call types are looked up here, not joined on each of a year's calls.
    let call_types = super::catalog_in(conn, true)?.call_types;
    let type_index: HashMap<&str, usize> = call_types.iter().enumerate().map(|(n, t)| (t.id.as_str(), n)).collect();
    let mut by_type = vec![0u32; call_types.len()];
    let mut by_outcome = [0u32; Outcome::ALL.len()];
    let mut support_seconds: u64 = 0;
    let mut callers: HashSet<String> = HashSet::new();
    let mut statement = conn.prepare_cached(
        "SELECT started_at, call_type_id, caller_id, duration_seconds, escalated, outcome
         FROM warmline_calls WHERE started_at >= ?1 AND started_at < ?2",
    )?;
    let mut rows = statement.query(params![start, end])?;
    while let Some(row) = rows.next()? {
        let Some(&type_at) = type_index.get(text_at(row, 1)?.unwrap_or_default()) else { continue };
        by_type[type_at] += 1;
        if let Some(outcome) = text_at(row, 5)? {
            if let Some(at) = Outcome::ALL.iter().position(|o| <&str>::from(*o) == outcome) {
                by_outcome[at] += 1;
            }
        }
        let started_at: Timestamp = row.get(0)?;
        let local = started_at.in_zone(zone);
        figures.calls += 1;
        if let Some(day) =
            usize::try_from((local.date_naive() - from).num_days()).ok().and_then(|n| figures.per_day.get_mut(n))
        {
            day.calls += 1;
        }
        figures.by_hour_of_week[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
        if call_types[type_at].kind == CallKind::NonData {
            figures.non_data_calls += 1;
            continue;
        }
        figures.support_calls += 1;
        support_seconds += row.get::<_, i64>(3)?.max(0) as u64;
        figures.escalations += u32::from(row.get::<_, bool>(4)?);
        match text_at(row, 2)? {
            None => figures.anonymous_calls += 1,
            Some(caller_id) => {
                if first_calls.get(caller_id) == Some(&started_at) {
                    figures.first_time_calls += 1;
                } else {
                    figures.repeat_calls += 1;
                }
                if !callers.contains(caller_id) {
                    callers.insert(caller_id.to_owned());
                }
            }
        }
    }
    figures.callers = callers.len() as u32;
    figures.average_support_seconds =
        (figures.support_calls > 0).then(|| (support_seconds / u64::from(figures.support_calls)) as u32);

    let counts = |sql: &str| -> Result<Vec<Count>> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map(params![start, end], |row| {
            Ok(Count { id: row.get(0)?, name: row.get(1)?, calls: row.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    figures.by_type = call_types
        .into_iter()
        .zip(by_type)
        .filter(|(_, calls)| *calls > 0)
        .map(|(t, calls)| Count { calls, id: t.id, name: t.name })
        .collect();
    // Counted from the lists' own index of their call's start (kept by triggers), then named.
    figures.by_topic = counts(
        "SELECT t.id, t.name, n.calls FROM
            (SELECT topic_id, COUNT(*) AS calls FROM warmline_call_topics
             WHERE started_at >= ?1 AND started_at < ?2 GROUP BY topic_id) n
         JOIN warmline_topics t ON t.id = n.topic_id ORDER BY n.calls DESC, t.position",
    )?;
    figures.by_referral = counts(
        "SELECT r.id, r.name, n.calls FROM
            (SELECT resource_id, COUNT(*) AS calls FROM warmline_call_referrals
             WHERE started_at >= ?1 AND started_at < ?2 GROUP BY resource_id) n
         JOIN warmline_resources r ON r.id = n.resource_id ORDER BY n.calls DESC, r.name COLLATE NOCASE",
    )?;
    figures.by_outcome =
        Outcome::ALL.iter().zip(by_outcome).map(|(outcome, calls)| OutcomeCount { outcome: *outcome, calls }).collect();
    Ok(figures)
}

/// A text column read in place: a year of calls without allocating each one's ids.
fn text_at<'row>(row: &'row rusqlite::Row, index: usize) -> rusqlite::Result<Option<&'row str>> {
    row.get_ref(index)?
        .as_str_or_null()
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err)))
}
