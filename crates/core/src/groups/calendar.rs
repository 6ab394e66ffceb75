//! The center's meeting calendar as RFC 5545, built with the `icalendar` crate: one `VEVENT`
//! per session at its local time with the center's `TZID`, and the `VTIMEZONE` that defines
//! it, so a calendar program shows each meeting at the right hour on both sides of a
//! daylight-saving change. Cancelled sessions stay, as `STATUS:CANCELLED`.

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus};

use super::sessions::GroupSession;
use crate::{Result, Timestamp};

/// Writes `sessions` as one calendar in `zone`.
pub(crate) fn write(
    sessions: &[GroupSession],
    zone: Tz,
    center_name: &str,
    now: Timestamp,
    mut out: impl Write,
) -> Result<()> {
    let years = sessions.iter().map(|s| s.starts_at.in_zone(zone).year());
    let (first, last) = (years.clone().min().unwrap_or(now.in_zone(zone).year()), years.max().unwrap_or(0));
    // The calendar starts as the parsed time zone definition: icalendar has no builder for one.
    let definition = format!("BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n", time_zone(zone, first - 1, last.max(first) + 1));
    let mut calendar: Calendar = icalendar::parser::read_calendar(&definition)
        .map_err(|reason| std::io::Error::other(format!("time zone definition: {reason}")))?
        .into();
    calendar.name(&format!("{center_name} groups"));
    for session in sessions {
        let local = |at: Timestamp| CalendarDateTime::WithTimezone {
            date_time: at.in_zone(zone).naive_local(),
            tzid: zone.name().to_owned(),
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@porchlight", session.id))
            .timestamp(now.0)
            .summary(&session.group_name)
            .starts(local(session.starts_at))
            .ends(local(session.ends_at))
            .status(if session.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if let Some(room) = &session.room {
            event.location(room);
        }
        let mut about = Vec::new();
        if let Some(substitute) = &session.substitute_name {
            about.push(format!("Facilitator: {substitute} (standing in)"));
        } else if !session.facilitators.is_empty() {
            about.push(format!("Facilitators: {}", session.facilitators.join(", ")));
        }
        if let Some(reason) = session.cancel_reason.as_ref().filter(|_| session.cancelled) {
            about.push(format!("Did not meet: {reason}"));
        }
        if !about.is_empty() {
            event.description(&about.join("\n"));
        }
        calendar.push(event.done());
    }
    out.write_all(calendar.done().to_string().as_bytes())?;
    Ok(())
}

/// The `VTIMEZONE` of `zone` for the years `from..=to`: each change of offset as an observance
/// of its own, found from the zone database (chrono-tz), not from rules written here.
fn time_zone(zone: Tz, from: i32, to: i32) -> String {
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", zone.name());
    let changes = changes_of(zone, from, to);
    if changes.is_empty() {
        let offset = zone.offset_from_utc_datetime(&utc_start_of(from));
        text.push_str(&observance("STANDARD", "19700101T000000", offset, offset));
    }
    for (at, before, after) in changes {
        let kind = if after.dst_offset().is_zero() { "STANDARD" } else { "DAYLIGHT" };
        let local_before = at + Duration::seconds(total_seconds(&before));
        text.push_str(&observance(kind, &local_before.format("%Y%m%dT%H%M%S").to_string(), before, after));
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

fn observance(kind: &str, start: &str, before: chrono_tz::TzOffset, after: chrono_tz::TzOffset) -> String {
    format!(
        "BEGIN:{kind}\r\nDTSTART:{start}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{}\r\nEND:{kind}\r\n",
        utc_offset(&before),
        utc_offset(&after),
        after.abbreviation().unwrap_or(""),
    )
}

type Change = (NaiveDateTime, chrono_tz::TzOffset, chrono_tz::TzOffset);

/// The instants (UTC) in `from..=to` at which `zone` changes its offset, to the second.
fn changes_of(zone: Tz, from: i32, to: i32) -> Vec<Change> {
    let offset_at = |at: NaiveDateTime| zone.offset_from_utc_datetime(&at);
    let mut changes = Vec::new();
    let mut day = utc_start_of(from);
    let end = utc_start_of(to + 1);
    while day < end {
        let next = day + Duration::days(1);
        let (before, after) = (offset_at(day), offset_at(next));
        if total_seconds(&before) != total_seconds(&after) {
            let (mut low, mut high) = (day, next);
            while high - low > Duration::seconds(1) {
                let middle = low + (high - low) / 2;
                if total_seconds(&offset_at(middle)) == total_seconds(&before) {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            changes.push((high, before, after));
        }
        day = next;
    }
    changes
}

fn utc_start_of(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1).expect("a year's first day").and_hms_opt(0, 0, 0).expect("midnight")
}

fn total_seconds(offset: &chrono_tz::TzOffset) -> i64 {
    (offset.base_utc_offset() + offset.dst_offset()).num_seconds()
}

fn utc_offset(offset: &chrono_tz::TzOffset) -> String {
    let seconds = total_seconds(offset);
    let sign = if seconds < 0 { '-' } else { '+' };
    format!("{sign}{:02}{:02}", seconds.abs() / 3600, seconds.abs() % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_zone_definition_has_each_change_of_a_year() {
        let denver: Tz = "America/Denver".parse().unwrap();
        let text = time_zone(denver, 2026, 2026);
        assert!(
            text.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0600\r\nTZNAME:MDT"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0700\r\nTZNAME:MST"
            ),
            "{text}"
        );
        let phoenix: Tz = "America/Phoenix".parse().unwrap();
        assert!(time_zone(phoenix, 2026, 2026)
            .contains("DTSTART:19700101T000000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0700"));
    }
}
