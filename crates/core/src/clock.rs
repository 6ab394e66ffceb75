//! Time: one clock per desk (fixed in tests), instants stored in UTC, days in the center's zone.

use std::fmt;
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CommonError;
use crate::{Error, Result};

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp(Utc::now())
    }
}

/// A clock that only moves when told to.
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    pub fn at(rfc3339: &str) -> Self {
        FixedClock(Mutex::new(Timestamp::parse(rfc3339).expect("a valid RFC 3339 time")))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap();
        now.0 += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// An instant in UTC. Stored and sent as fixed-width text (`2026-11-23T14:05:00.123Z`),
/// so the database can compare and sort instants as plain strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
#[ts(export, type = "string")]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    const FORMAT: &'static str = "%Y-%m-%dT%H:%M:%S%.3fZ";

    pub fn parse(text: &str) -> Option<Timestamp> {
        DateTime::parse_from_rfc3339(text).ok().map(|t| Timestamp(t.with_timezone(&Utc)))
    }

    pub fn in_zone(&self, zone: Tz) -> DateTime<Tz> {
        self.0.with_timezone(&zone)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(Self::FORMAT))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 time"))
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Timestamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Timestamp::parse(text).ok_or_else(|| FromSqlError::Other(format!("bad time {text:?}").into()))
    }
}

/// The ways the desk names a day in what it writes for people (messages, files, PDF pages), in
/// the one style the window uses too (`ui/src/lib/time.ts`): US English, "Sat, Dec 5".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayStyle {
    /// "Sat, Dec 5"
    Short,
    /// "Dec 5, 2026"
    WithYear,
    /// "Saturday, December 5"
    Long,
    /// "December 5, 2026"
    LongWithYear,
    /// "Dec 5"
    DayMonth,
    /// "December 2026", the month `day` falls in
    Month,
}

/// `day` named in `style`.
pub fn named_day(day: NaiveDate, style: DayStyle) -> String {
    let pattern = match style {
        DayStyle::Short => "%a, %b %-d",
        DayStyle::WithYear => "%b %-d, %Y",
        DayStyle::Long => "%A, %B %-d",
        DayStyle::LongWithYear => "%B %-d, %Y",
        DayStyle::DayMonth => "%b %-d",
        DayStyle::Month => "%B %Y",
    };
    day.format(pattern).to_string()
}

/// A local date and time as the desk names it: "Sat, Dec 5, 6:00 PM".
pub fn named_time(at: NaiveDateTime) -> String {
    format!("{}, {}", named_day(at.date(), DayStyle::Short), named_clock(at.time()))
}

/// A wall-clock time as the desk names it: "6:00 PM".
pub fn named_clock(time: NaiveTime) -> String {
    time.format("%-I:%M %p").to_string()
}

/// A wall-clock time as forms give it and records keep it, `18:30`; `None` if it is not one.
pub(crate) fn typed_clock(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// The years of the days a desk holds. Past them no center's record falls, and a day's bounds
/// would no longer sort as text (year 10000 takes five digits): a report "to 9999-12-31" came
/// back empty instead of refused.
pub const HELD_YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// `day`, if it is one a desk holds ([`HELD_YEARS`]).
pub fn held_day(day: NaiveDate) -> Result<NaiveDate> {
    if HELD_YEARS.contains(&day.year()) {
        Ok(day)
    } else {
        Err(Error::Common(CommonError::DayNotHeld { day: day.to_string() }))
    }
}

/// The UTC instants a local day of the center starts and ends at: [start, end).
/// A day is not always 24 hours: daylight-saving changes make it 23 or 25.
pub fn day_bounds(day: NaiveDate, zone: Tz) -> Result<(Timestamp, Timestamp)> {
    let day = held_day(day)?;
    Ok((start_of_day(day, zone), start_of_day(day + Duration::days(1), zone)))
}

fn start_of_day(day: NaiveDate, zone: Tz) -> Timestamp {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Where a zone skips midnight (a few do on DST days), the day starts at the first
    // instant that exists after it.
    let local = zone
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(midnight + Duration::hours(1))).earliest())
        .expect("a day has a first hour");
    Timestamp(local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_day_is_named_in_the_one_style_the_window_uses() {
        let day: NaiveDate = "2026-12-05".parse().unwrap();
        let named: Vec<String> = [
            DayStyle::Short,
            DayStyle::WithYear,
            DayStyle::Long,
            DayStyle::LongWithYear,
            DayStyle::DayMonth,
            DayStyle::Month,
        ]
        .map(|style| named_day(day, style))
        .into();
        assert_eq!(
            named,
            ["Sat, Dec 5", "Dec 5, 2026", "Saturday, December 5", "December 5, 2026", "Dec 5", "December 2026"]
        );
        assert_eq!(named_time(day.and_hms_opt(18, 0, 0).unwrap()), "Sat, Dec 5, 6:00 PM");
    }
    use super::*;

    #[test]
    fn timestamps_are_fixed_width_so_they_sort_as_text() {
        let whole = Timestamp::parse("2026-11-23T14:05:00Z").unwrap();
        let fraction = Timestamp::parse("2026-11-23T14:05:00.5Z").unwrap();
        assert_eq!(whole.to_string(), "2026-11-23T14:05:00.000Z");
        assert_eq!(fraction.to_string(), "2026-11-23T14:05:00.500Z");
        assert!(whole.to_string() < fraction.to_string());
    }

    #[test]
    fn a_local_day_starts_at_local_midnight() {
        let chicago: Tz = "America/Chicago".parse().unwrap();
        let (start, end) = day_bounds(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), chicago).unwrap();
        assert_eq!(start.to_string(), "2026-11-23T06:00:00.000Z");
        assert_eq!(end.to_string(), "2026-11-24T06:00:00.000Z");
    }

    #[test]
    fn the_day_clocks_fall_back_lasts_25_hours() {
        let chicago: Tz = "America/Chicago".parse().unwrap();
        let (start, end) = day_bounds(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), chicago).unwrap();
        assert_eq!((end.0 - start.0).num_hours(), 25);
    }
}
