//! Recurring times, for every domain that has them (a group's meetings, a volunteer shift
//! template): a schedule is kept as an RFC 5545 recurrence with its time zone (`DTSTART;TZID=…`,
//! `RRULE`, `EXDATE`), the form every calendar program reads, and expanded by the `rrule`
//! crate, so daylight-saving changes keep the local time and month ends, the 5th and the last
//! weekday follow the RFC rather than date arithmetic written here.
//!
//! Each domain expands its recurrences once into an index of occurrences each desk keeps for
//! itself (like the people search index), so "this week" is a query, not ten years of
//! expansion ([`Index`]). An occurrence is named by what it belongs to and its local start
//! ([`derived_id`]), so two desks that expand the same rule hold the same occurrence.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, NWeekday, RRuleSet};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::{day_bounds, typed_clock};
use crate::sync::entity::Upkeep;
use crate::{Error, Result, Timestamp};

/// How often a schedule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Repeat {
    /// A single meeting on the start date.
    Once,
    /// On the chosen weekdays, every `every_weeks` weeks.
    Weekly,
    /// On the chosen weeks' weekday of each month (the 2nd and 4th Tuesday; `-1`: the last).
    Monthly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Monday => chrono::Weekday::Mon,
            Weekday::Tuesday => chrono::Weekday::Tue,
            Weekday::Wednesday => chrono::Weekday::Wed,
            Weekday::Thursday => chrono::Weekday::Thu,
            Weekday::Friday => chrono::Weekday::Fri,
            Weekday::Saturday => chrono::Weekday::Sat,
            Weekday::Sunday => chrono::Weekday::Sun,
        }
    }

    fn of(day: chrono::Weekday) -> Weekday {
        <Weekday as strum::VariantArray>::VARIANTS[day.num_days_from_monday() as usize]
    }

    /// The RFC 5545 `BYDAY` code: `TU`.
    fn code(self) -> &'static str {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][self.to_chrono().num_days_from_monday() as usize]
    }
}

/// Nothing recurring lasts longer than a day: a meeting or shift that does is a mistake.
pub(crate) const LONGEST_MINUTES: u32 = 24 * 60;
/// How far ahead the occurrences are expanded; each desk extends it as the days go by.
const HORIZON_DAYS: i64 = 400;
/// The most occurrences one schedule may have before its horizon: daily for years is not a group.
const MOST_OCCURRENCES: u16 = 20_000;

/// A schedule as a coordinator sets it, in the center's local time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Schedule {
    pub repeat: Repeat,
    /// Weekly: the days it meets. Monthly: the one weekday (the first given).
    pub weekdays: Vec<Weekday>,
    /// Weekly: 1 every week, 2 every other week, ...
    pub every_weeks: u16,
    /// Monthly: which of its weekdays, 1 to 5 for the 1st to 5th, -1 for the last; one or more.
    pub weeks_of_month: Vec<i8>,
    #[ts(type = "string")]
    pub starts_on: NaiveDate,
    #[ts(type = "string | null")]
    pub ends_on: Option<NaiveDate>,
    /// Local start time, `18:30`.
    pub start_time: String,
    pub duration_minutes: u32,
    /// Dates it does not meet (holidays).
    #[ts(type = "Array<string>")]
    pub skipped: Vec<NaiveDate>,
}

impl Schedule {
    /// The RFC 5545 text of this schedule in `zone`: checked, and sure to yield a session.
    pub(crate) fn to_recurrence(&self, zone: Tz) -> Result<String> {
        let start_time = parse_time(&self.start_time)?;
        if self.duration_minutes == 0 || self.duration_minutes > LONGEST_MINUTES {
            return Err(Error::Recurrence(RecurrenceError::InvalidDuration { max: LONGEST_MINUTES }));
        }
        if let Some(ends_on) = self.ends_on {
            if ends_on < self.starts_on {
                return Err(Error::Recurrence(RecurrenceError::ScheduleEndsBeforeStart));
            }
        }
        let local = |day: NaiveDate| day.and_time(start_time).format("%Y%m%dT%H%M%S").to_string();
        let mut rule = match self.repeat {
            Repeat::Once => "FREQ=DAILY;COUNT=1".to_owned(),
            Repeat::Weekly => {
                if self.weekdays.is_empty() {
                    return Err(Error::Recurrence(RecurrenceError::WeekdaysRequired));
                }
                if !(1..=52).contains(&self.every_weeks) {
                    return Err(Error::Recurrence(RecurrenceError::InvalidInterval));
                }
                let days: Vec<&str> = <Weekday as strum::VariantArray>::VARIANTS
                    .iter()
                    .filter(|day| self.weekdays.contains(day))
                    .map(|day| day.code())
                    .collect();
                format!("FREQ=WEEKLY;INTERVAL={};BYDAY={}", self.every_weeks, days.join(","))
            }
            Repeat::Monthly => {
                let day = self.weekdays.first().ok_or(Error::Recurrence(RecurrenceError::WeekdaysRequired))?;
                let mut weeks = self.weeks_of_month.clone();
                if weeks.is_empty() || weeks.iter().any(|week| !matches!(week, 1..=5 | -1)) {
                    return Err(Error::Recurrence(RecurrenceError::InvalidWeekOfMonth));
                }
                // In order, the last after the others: BYDAY=2TU,4TU,-1TU.
                weeks.sort_by_key(|week| if *week < 0 { i8::MAX } else { *week });
                weeks.dedup();
                let days: Vec<String> = weeks.iter().map(|week| format!("{week}{}", day.code())).collect();
                format!("FREQ=MONTHLY;BYDAY={}", days.join(","))
            }
        };
        if let (Some(ends_on), false) = (self.ends_on, self.repeat == Repeat::Once) {
            let (_, end) = day_bounds(ends_on, zone)?;
            let until = end.0 - Duration::seconds(1);
            rule.push_str(&format!(";UNTIL={}", until.format("%Y%m%dT%H%M%SZ")));
        }
        let mut text = format!("DTSTART;TZID={}:{}\nRRULE:{rule}", zone.name(), local(self.starts_on));
        if !self.skipped.is_empty() {
            let mut skipped = self.skipped.clone();
            skipped.sort();
            skipped.dedup();
            let dates: Vec<String> = skipped.into_iter().map(local).collect();
            text.push_str(&format!("\nEXDATE;TZID={}:{}", zone.name(), dates.join(",")));
        }
        let set = parse(&text)?;
        if set.clone().all(1).dates.is_empty() {
            return Err(Error::Recurrence(RecurrenceError::ScheduleYieldsNothing));
        }
        Ok(text)
    }

    /// The schedule a stored recurrence says, as the coordinator's form shows it.
    pub(crate) fn from_recurrence(text: &str, duration_minutes: u32) -> Result<Schedule> {
        let set = parse(text)?;
        let start = set.get_dt_start().naive_local();
        let zone = zone_of(&set);
        let rule = set.get_rrule().first().ok_or_else(|| unusable(text))?;
        let mut weekdays: Vec<Weekday> = Vec::new();
        for day in rule.get_by_weekday() {
            let (NWeekday::Every(day) | NWeekday::Nth(_, day)) = day;
            if !weekdays.contains(&Weekday::of(*day)) {
                weekdays.push(Weekday::of(*day));
            }
        }
        let mut weeks_of_month: Vec<i8> = rule
            .get_by_weekday()
            .iter()
            .filter_map(|day| match day {
                NWeekday::Nth(n, _) => Some(*n as i8),
                NWeekday::Every(_) => None,
            })
            .collect();
        if weeks_of_month.is_empty() {
            weeks_of_month.push(1);
        }
        let repeat = match (rule.get_freq(), rule.get_count()) {
            (_, Some(1)) => Repeat::Once,
            (Frequency::Monthly, _) => Repeat::Monthly,
            _ => Repeat::Weekly,
        };
        let ends_on = rule.get_until().map(|until| until.with_timezone(&zone).date_naive());
        Ok(Schedule {
            repeat,
            weekdays,
            every_weeks: rule.get_interval(),
            weeks_of_month,
            starts_on: start.date(),
            ends_on,
            start_time: start.format("%H:%M").to_string(),
            duration_minutes,
            skipped: set.get_exdate().iter().map(|at| at.naive_local().date()).collect(),
        })
    }
}

/// One meeting a schedule yields, in UTC and as its local start (which names it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Occurrence {
    pub local_start: NaiveDateTime,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

/// The meetings of a recurrence that start in `[from, to)`, in order, each lasting its length in
/// wall-clock time.
pub(crate) fn expand(text: &str, duration_minutes: u32, from: Timestamp, to: Timestamp) -> Result<Vec<Occurrence>> {
    let set = parse(text)?;
    let local_zone = zone_of(&set);
    let zone = rrule::Tz::Tz(local_zone);
    let (after, before) = (from.0.with_timezone(&zone), to.0.with_timezone(&zone));
    // `after` and `before` are inclusive; a meeting at exactly `to` belongs to the next window.
    let dates = set.after(after).before(before).all(MOST_OCCURRENCES).dates;
    Ok(dates
        .into_iter()
        .filter(|at| at.with_timezone(&Utc) < to.0)
        .map(|at| {
            // It ends at the wall-clock time its length reaches, as people read "22:00 to 06:00":
            // across a daylight-saving change that night, an hour more or less of it passes.
            let local_end = at.naive_local() + Duration::minutes(duration_minutes.into());
            Occurrence {
                local_start: at.naive_local(),
                starts_at: Timestamp(at.with_timezone(&Utc)),
                ends_at: local_to_utc(local_end, local_zone),
            }
        })
        .collect())
}

/// The recurrence ended just before `at`, for a schedule replaced from then on. `None` if no
/// meeting of it is left before `at`.
pub(crate) fn ended_before(text: &str, at: Timestamp) -> Result<Option<String>> {
    let set = parse(text)?;
    let start = set.get_dt_start().with_timezone(&Utc);
    if start >= at.0 {
        return Ok(None);
    }
    if text.contains("COUNT=") {
        // A one-off that has met stays as it was (RFC 5545 allows no UNTIL beside COUNT).
        return Ok(Some(text.to_owned()));
    }
    let until = (at.0 - Duration::seconds(1)).format("%Y%m%dT%H%M%SZ").to_string();
    let lines: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix("RRULE:") {
            Some(rule) => {
                let parts: Vec<&str> = rule.split(';').filter(|part| !part.starts_with("UNTIL=")).collect();
                let kept_until =
                    rule.split(';').find_map(|part| part.strip_prefix("UNTIL=")).filter(|old| *old < until.as_str());
                format!("RRULE:{};UNTIL={}", parts.join(";"), kept_until.unwrap_or(&until))
            }
            None => line.to_owned(),
        })
        .collect();
    let ended = lines.join("\n");
    parse(&ended)?;
    Ok(Some(ended))
}

fn parse(text: &str) -> Result<RRuleSet> {
    text.parse::<RRuleSet>().map_err(|_| unusable(text))
}

fn unusable(text: &str) -> Error {
    Error::Recurrence(RecurrenceError::UnusableRecurrence(text.lines().next().unwrap_or_default().to_owned()))
}

fn zone_of(set: &RRuleSet) -> Tz {
    match set.get_dt_start().timezone() {
        rrule::Tz::Tz(zone) => zone,
        rrule::Tz::Local(_) => Tz::UTC,
    }
}

/// A local time as forms give it, `18:30`.
pub(crate) fn parse_time(text: &str) -> Result<NaiveTime> {
    typed_clock(text).ok_or_else(|| Error::Recurrence(RecurrenceError::InvalidTime(text.to_owned())))
}

/// The local start a session is named by, `2026-12-01T18:00`, as stored and synced.
pub(crate) fn local_start_text(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M").to_string()
}

/// Where a domain keeps the occurrences of its recurrences, and how each is named. Its
/// recurrences' table has `id`, `recurrence`, `duration_minutes` and this desk's own
/// `expanded_until`, plus the column naming what they belong to (`owner_column`); the index has
/// `(occurrence_id, schedule_id, owner_id, local_start, starts_at, ends_at)`, and a trigger empties
/// a recurrence's occurrences when its text changes, here or on another desk.
pub(crate) struct Index {
    pub recurrences: &'static str,
    pub owner_column: &'static str,
    pub occurrences: &'static str,
    pub occurrence_id: fn(owner_id: &str, local_start: &str) -> String,
}

impl Upkeep for Index {
    fn on_open(&self, tx: &Transaction, now: Timestamp) -> Result<()> {
        self.expand_pending(tx, now)
    }

    fn after_sync(&self, tx: &Transaction) -> Result<()> {
        // Upkeep after a sync has no desk clock; the computer's is what the desk runs on.
        self.expand_pending(tx, Timestamp(Utc::now()))
    }
}

impl Index {
    /// Expands every recurrence not yet expanded through `now`'s horizon.
    pub(crate) fn expand_pending(&self, conn: &Connection, now: Timestamp) -> Result<()> {
        let horizon = Timestamp(now.0 + Duration::days(HORIZON_DAYS));
        let pending: Vec<(String, String, String, u32, Option<Timestamp>)> = {
            let mut statement = conn.prepare_cached(&format!(
                "SELECT id, {}, recurrence, duration_minutes, expanded_until FROM {}
                 WHERE expanded_until IS NULL OR expanded_until < ?1",
                self.owner_column, self.recurrences
            ))?;
            // Once a day is soon enough to look further ahead.
            let stale = Timestamp(horizon.0 - Duration::days(1));
            let rows = statement
                .query_map([stale], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut insert = conn
            .prepare_cached(&format!("INSERT OR IGNORE INTO {} VALUES (?1, ?2, ?3, ?4, ?5, ?6)", self.occurrences))?;
        let mut done =
            conn.prepare_cached(&format!("UPDATE {} SET expanded_until = ?2 WHERE id = ?1", self.recurrences))?;
        for (schedule_id, owner_id, recurrence, duration, expanded_until) in pending {
            let from = expanded_until.unwrap_or(Timestamp(Utc.with_ymd_and_hms(1900, 1, 1, 0, 0, 0).unwrap()));
            // A recurrence another program sent that cannot be read expands to nothing, not an
            // error that would stop every desk from opening.
            let occurrences = expand(&recurrence, duration, from, horizon).unwrap_or_default();
            for occurrence in occurrences {
                let local_start = local_start_text(occurrence.local_start);
                let id = (self.occurrence_id)(&owner_id, &local_start);
                insert.execute(params![
                    id,
                    schedule_id,
                    owner_id,
                    local_start,
                    occurrence.starts_at,
                    occurrence.ends_at
                ])?;
            }
            done.execute(params![schedule_id, horizon])?;
        }
        Ok(())
    }
}

impl Index {
    /// Adds a recurrence to `owner_id` (a group, a shift template) and expands it.
    pub(crate) fn add(
        &self,
        tx: &Transaction,
        now: Timestamp,
        owner_id: &str,
        recurrence: &str,
        duration: u32,
    ) -> Result<()> {
        tx.prepare_cached(&format!(
            "INSERT INTO {} (id, {}, recurrence, duration_minutes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            self.recurrences, self.owner_column
        ))?
        .execute(params![crate::new_id(), owner_id, recurrence, duration, now])?;
        self.expand_pending(tx, now)
    }

    /// Ends each recurrence of `owner_id` at `now`: one that has not begun is removed, one that
    /// has keeps its occurrences before `now`.
    pub(crate) fn end_all(&self, tx: &Transaction, owner_id: &str, now: Timestamp) -> Result<()> {
        let current: Vec<(String, String)> = {
            let mut statement = tx.prepare_cached(&format!(
                "SELECT id, recurrence FROM {} WHERE {} = ?1",
                self.recurrences, self.owner_column
            ))?;
            let rows = statement.query_map([owner_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (schedule_id, recurrence) in current {
            match ended_before(&recurrence, now)? {
                Some(ended) if ended == recurrence => {}
                Some(ended) => {
                    let sql = format!("UPDATE {} SET recurrence = ?2 WHERE id = ?1", self.recurrences);
                    tx.execute(&sql, params![schedule_id, ended])?;
                }
                None => {
                    tx.execute(&format!("DELETE FROM {} WHERE id = ?1", self.recurrences), [&schedule_id])?;
                }
            }
        }
        self.expand_pending(tx, now)
    }

    /// The newest recurrence of `owner_id`, as its form shows it: the one in force from now on.
    pub(crate) fn newest(&self, conn: &Connection, owner_id: &str) -> Result<Option<Schedule>> {
        let newest: Option<(String, u32)> = conn
            .prepare_cached(&format!(
                "SELECT recurrence, duration_minutes FROM {} WHERE {} = ?1 ORDER BY created_at DESC, id DESC LIMIT 1",
                self.recurrences, self.owner_column
            ))?
            .query_row([owner_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        newest.map(|(text, minutes)| Schedule::from_recurrence(&text, minutes)).transpose()
    }
}

/// A UUIDv7 derived from `name`, with the time of the local start `at` (`2026-12-01T18:00`):
/// the same on every desk that names the same thing.
pub(crate) fn derived_id(name: &str, at: &str) -> String {
    let millis = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
        .map(|local| local.and_utc().timestamp_millis().max(0) as u64)
        .unwrap_or_default();
    let hash = Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes());
    let random: [u8; 10] = hash.as_bytes()[6..16].try_into().expect("ten bytes");
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid().to_string()
}

/// A local date and time in `zone` as UTC; a time the clocks skip moves on by the gap.
pub(crate) fn local_to_utc(local: NaiveDateTime, zone: Tz) -> Timestamp {
    let at = zone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .expect("an hour after a gap exists");
    Timestamp(at.with_timezone(&Utc))
}

crate::error::domain_errors! {
    /// What makes a schedule (a group's meetings, a shift template) one that cannot be kept.
    pub enum RecurrenceError, codes RecurrenceErrorCode {
        #[error("The schedule ends before it starts: the end date must be on or after the start date.")]
        ScheduleEndsBeforeStart in "ends_on",
        #[error("This schedule never meets: no chosen weekday falls between its start and end dates.")]
        ScheduleYieldsNothing in "schedule",
        #[error("Choose at least one weekday.")]
        WeekdaysRequired in "weekdays",
        #[error("Every 1 to 52 weeks.")]
        InvalidInterval in "every_weeks",
        #[error("Choose one or more of the 1st to 5th and the last weekday of the month.")]
        InvalidWeekOfMonth in "weeks_of_month",
        #[error("A time must look like 18:30, not \"{0}\".")]
        InvalidTime(String) in "start_time",
        #[error("A session lasts 1 minute to {max} minutes.")]
        InvalidDuration { max: u32 } in "duration_minutes",
        #[error("A schedule another desk sent cannot be read ({0}).")]
        UnusableRecurrence(String),
        #[error("Say why the session did not meet.")]
        CancelReasonRequired in "cancel_reason",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denver() -> Tz {
        "America/Denver".parse().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn weekly(days: &[Weekday], starts_on: &str, time: &str) -> Schedule {
        Schedule {
            repeat: Repeat::Weekly,
            weekdays: days.to_vec(),
            every_weeks: 1,
            weeks_of_month: vec![1],
            starts_on: day(starts_on),
            ends_on: None,
            start_time: time.into(),
            duration_minutes: 90,
            skipped: Vec::new(),
        }
    }

    fn local_starts(schedule: &Schedule, from: &str, to: &str) -> Vec<String> {
        let text = schedule.to_recurrence(denver()).unwrap();
        expand(&text, schedule.duration_minutes, at(from), at(to))
            .unwrap()
            .into_iter()
            .map(|o| local_start_text(o.local_start))
            .collect()
    }

    #[test]
    fn a_weekly_schedule_is_stored_as_rfc_5545_with_its_time_zone() {
        let mut schedule = weekly(&[Weekday::Thursday, Weekday::Tuesday], "2026-12-01", "18:00");
        schedule.skipped = vec![day("2026-12-24")];
        schedule.ends_on = Some(day("2027-06-30"));
        let text = schedule.to_recurrence(denver()).unwrap();
        assert_eq!(
            text,
            "DTSTART;TZID=America/Denver:20261201T180000\n\
             RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,TH;UNTIL=20270701T055959Z\n\
             EXDATE;TZID=America/Denver:20261224T180000"
        );
        assert_eq!(
            Schedule::from_recurrence(&text, 90).unwrap(),
            Schedule { weekdays: vec![Weekday::Tuesday, Weekday::Thursday], ..schedule }
        );
    }

    #[test]
    fn the_local_time_holds_across_both_daylight_saving_changes() {
        let schedule = weekly(&[Weekday::Sunday], "2026-10-25", "09:30");
        let text = schedule.to_recurrence(denver()).unwrap();
        let utc: Vec<String> = expand(&text, 90, at("2026-10-20T00:00:00Z"), at("2027-03-20T00:00:00Z"))
            .unwrap()
            .into_iter()
            .filter(|o| {
                ["2026-10-25", "2026-11-01", "2027-03-07", "2027-03-14"].contains(&&*o.local_start.date().to_string())
            })
            .map(|o| o.starts_at.to_string())
            .collect();
        // Mountain daylight time is UTC-6, standard time UTC-7: 9:30 local each Sunday.
        assert_eq!(
            utc,
            [
                "2026-10-25T15:30:00.000Z",
                "2026-11-01T16:30:00.000Z",
                "2027-03-07T16:30:00.000Z",
                "2027-03-14T15:30:00.000Z",
            ]
        );
    }

    #[test]
    fn every_other_week_and_skipped_dates() {
        let mut schedule = weekly(&[Weekday::Monday], "2026-11-02", "12:00");
        schedule.every_weeks = 2;
        schedule.skipped = vec![day("2026-11-30")];
        assert_eq!(
            local_starts(&schedule, "2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z"),
            ["2026-11-02T12:00", "2026-11-16T12:00", "2026-12-14T12:00", "2026-12-28T12:00",]
        );
    }

    #[test]
    fn monthly_on_the_fifth_and_the_last_weekday() {
        let monthly = |weeks: &[i8]| Schedule {
            repeat: Repeat::Monthly,
            weekdays: vec![Weekday::Friday],
            weeks_of_month: weeks.to_vec(),
            ..weekly(&[], "2026-01-01", "19:00")
        };
        // Fridays of 2026: January has five (the 30th), February four (the 27th is the last).
        assert_eq!(
            local_starts(&monthly(&[5]), "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"),
            ["2026-01-30T19:00", "2026-05-29T19:00",]
        );
        assert_eq!(
            local_starts(&monthly(&[-1]), "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z"),
            ["2026-01-30T19:00", "2026-02-27T19:00", "2026-03-27T19:00",]
        );
    }

    #[test]
    fn monthly_on_the_second_and_fourth_tuesday() {
        let schedule = Schedule {
            repeat: Repeat::Monthly,
            weekdays: vec![Weekday::Tuesday],
            weeks_of_month: vec![4, 2, 4],
            ..weekly(&[], "2026-12-01", "18:00")
        };
        let text = schedule.to_recurrence(denver()).unwrap();
        assert!(text.contains("RRULE:FREQ=MONTHLY;BYDAY=2TU,4TU"), "{text}");
        assert_eq!(
            local_starts(&schedule, "2026-12-01T00:00:00Z", "2027-02-01T00:00:00Z"),
            ["2026-12-08T18:00", "2026-12-22T18:00", "2027-01-12T18:00", "2027-01-26T18:00"]
        );
        let read_back = Schedule::from_recurrence(&text, 90).unwrap();
        assert_eq!((read_back.weeks_of_month, read_back.weekdays), (vec![2, 4], vec![Weekday::Tuesday]));
        let none = Schedule { weeks_of_month: vec![], ..schedule.clone() };
        assert!(matches!(none.to_recurrence(denver()), Err(Error::Recurrence(RecurrenceError::InvalidWeekOfMonth))));
    }

    #[test]
    fn a_session_past_midnight_is_one_session_on_the_day_it_starts() {
        let mut schedule = weekly(&[Weekday::Saturday], "2026-12-05", "23:00");
        schedule.duration_minutes = 120;
        let text = schedule.to_recurrence(denver()).unwrap();
        let found = expand(&text, 120, at("2026-12-05T00:00:00Z"), at("2026-12-08T00:00:00Z")).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(local_start_text(found[0].local_start), "2026-12-05T23:00");
        assert_eq!(found[0].ends_at.to_string(), "2026-12-06T08:00:00.000Z", "1 am Sunday, local");
    }

    #[test]
    fn a_one_off_meets_once() {
        let schedule = Schedule { repeat: Repeat::Once, ..weekly(&[], "2026-12-12", "10:00") };
        let text = schedule.to_recurrence(denver()).unwrap();
        assert_eq!(local_starts(&schedule, "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"), ["2026-12-12T10:00"]);
        assert_eq!(Schedule::from_recurrence(&text, 90).unwrap().repeat, Repeat::Once);
    }

    #[test]
    fn impossible_schedules_are_refused_with_the_reason() {
        let mut reversed = weekly(&[Weekday::Monday], "2026-12-10", "18:00");
        reversed.ends_on = Some(day("2026-12-01"));
        assert!(matches!(
            reversed.to_recurrence(denver()),
            Err(Error::Recurrence(RecurrenceError::ScheduleEndsBeforeStart))
        ));

        // A Tuesday-only schedule within one Wednesday-to-Monday week never meets.
        let mut empty = weekly(&[Weekday::Tuesday], "2026-12-02", "18:00");
        empty.ends_on = Some(day("2026-12-07"));
        assert!(matches!(
            empty.to_recurrence(denver()),
            Err(Error::Recurrence(RecurrenceError::ScheduleYieldsNothing))
        ));

        let no_days = weekly(&[], "2026-12-02", "18:00");
        assert!(matches!(no_days.to_recurrence(denver()), Err(Error::Recurrence(RecurrenceError::WeekdaysRequired))));
        let bad_time = weekly(&[Weekday::Monday], "2026-12-02", "6pm");
        assert!(matches!(bad_time.to_recurrence(denver()), Err(Error::Recurrence(RecurrenceError::InvalidTime(_)))));
        let endless = Schedule { duration_minutes: 0, ..weekly(&[Weekday::Monday], "2026-12-02", "18:00") };
        assert!(matches!(
            endless.to_recurrence(denver()),
            Err(Error::Recurrence(RecurrenceError::InvalidDuration { .. }))
        ));
    }

    #[test]
    fn a_schedule_ended_before_a_moment_keeps_its_earlier_meetings() {
        let schedule = weekly(&[Weekday::Tuesday], "2026-11-03", "18:00");
        let text = schedule.to_recurrence(denver()).unwrap();
        let ended = ended_before(&text, at("2026-11-20T00:00:00Z")).unwrap().unwrap();
        let found = expand(&ended, 90, at("2026-11-01T00:00:00Z"), at("2027-01-01T00:00:00Z")).unwrap();
        let days: Vec<String> = found.iter().map(|o| o.local_start.date().to_string()).collect();
        assert_eq!(days, ["2026-11-03", "2026-11-10", "2026-11-17"]);
        assert_eq!(ended_before(&text, at("2026-11-01T00:00:00Z")).unwrap(), None, "not begun: replaced whole");
    }
}
