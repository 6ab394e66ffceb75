//! Calendars as RFC 5545, built with the `icalendar` crate, for every domain that has times to
//! put in one (groups' sessions, volunteers' shifts): one `VEVENT` per [`Event`] at its local
//! time with the center's `TZID`, and the `VTIMEZONE` that defines it, so a calendar program
//! shows each at the right hour on both sides of a daylight-saving change. Cancelled events
//! stay, as `STATUS:CANCELLED`.

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus};

use crate::{Result, Timestamp};

/// One entry of a calendar.
pub(crate) struct Event {
    /// Stable across exports, so a calendar program updates the event instead of adding another.
    pub id: String,
    pub summary: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub location: Option<String>,
    pub description: Vec<String>,
    pub cancelled: bool,
}

/// Who wrote the calendar, as RFC 5545's `PRODID` says it.
const PRODUCT: &str = "-//Porchlight//Porchlight desk//EN";

/// Writes `events` as one calendar named `name`, in `zone`.
pub(crate) fn write(events: &[Event], zone: Tz, name: &str, now: Timestamp, mut out: impl Write) -> Result<()> {
    let years = events.iter().map(|s| s.starts_at.in_zone(zone).year());
    let (first, last) = (years.clone().min().unwrap_or(now.in_zone(zone).year()), years.max().unwrap_or(0));
    let mut calendar = Calendar::new();
    calendar.properties.retain(|property| property.key() != "PRODID");
    calendar.append_property(("PRODID", PRODUCT));
    calendar.name(name);
    for item in events {
        let local = |at: Timestamp| CalendarDateTime::WithTimezone {
            date_time: at.in_zone(zone).naive_local(),
            tzid: zone.name().to_owned(),
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@porchlight", item.id))
            .timestamp(now.0)
            .summary(&item.summary)
            .starts(local(item.starts_at))
            .ends(local(item.ends_at))
            .status(if item.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
        if let Some(location) = &item.location {
            event.location(location);
        }
        if !item.description.is_empty() {
            event.description(&item.description.join("\n"));
        }
        calendar.push(event.done());
    }
    // The time zone goes in as written here: icalendar has no VTIMEZONE, and would give any
    // other component a UID and a DTSTAMP that RFC 5545 does not allow there.
    let text = calendar.done().to_string();
    let at = text.find("BEGIN:VEVENT").or_else(|| text.find("END:VCALENDAR")).unwrap_or(text.len());
    let (head, rest) = text.split_at(at);
    out.write_all(head.as_bytes())?;
    out.write_all(time_zone(zone, first - 1, last.max(first) + 1).as_bytes())?;
    out.write_all(rest.as_bytes())?;
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

    /// RFC 5545's rules for what each component must, may once, and may not hold, checked on
    /// the text as written: a calendar a lenient reader takes may still be refused by a strict one.
    fn check_rfc5545(text: &str) -> std::result::Result<(), String> {
        if !text.ends_with("\r\n") || text.replace("\r\n", "").contains('\n') {
            return Err("lines end in CRLF".into());
        }
        if let Some(long) = text.split("\r\n").find(|line| line.len() > 75) {
            return Err(format!("a line longer than 75 octets: {long}"));
        }
        let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
        // Each component's properties by name, innermost last.
        let mut open: Vec<(String, Vec<String>)> = Vec::new();
        let mut seen_calendar = false;
        for line in unfolded.split("\r\n").filter(|line| !line.is_empty()) {
            let name = line.split([':', ';']).next().unwrap_or_default().to_ascii_uppercase();
            let value = line.split_once(':').map(|(_, value)| value).unwrap_or_default();
            match name.as_str() {
                "BEGIN" => open.push((value.to_owned(), Vec::new())),
                "END" => {
                    let (kind, properties) = open.pop().ok_or("END without BEGIN")?;
                    if kind != value {
                        return Err(format!("BEGIN:{kind} ended by END:{value}"));
                    }
                    let count = |name: &str| properties.iter().filter(|p| *p == name).count();
                    let (once, never): (&[&str], &[&str]) = match kind.as_str() {
                        "VCALENDAR" => (&["VERSION", "PRODID"], &[]),
                        "VEVENT" => (&["UID", "DTSTAMP", "DTSTART"], &[]),
                        "VTIMEZONE" => (&["TZID"], &["UID", "DTSTAMP"]),
                        "STANDARD" | "DAYLIGHT" => (&["DTSTART", "TZOFFSETTO", "TZOFFSETFROM"], &["UID", "DTSTAMP"]),
                        _ => (&[], &[]),
                    };
                    if let Some(missing) = once.iter().find(|name| count(name) != 1) {
                        return Err(format!("{kind} holds {missing} {} times, not once", count(missing)));
                    }
                    if let Some(banned) = never.iter().find(|name| count(name) > 0) {
                        return Err(format!("{kind} holds {banned}, which RFC 5545 does not allow there"));
                    }
                    seen_calendar |= kind == "VCALENDAR";
                }
                _ => open.last_mut().ok_or("a property outside any component")?.1.push(name),
            }
        }
        if !open.is_empty() || !seen_calendar {
            return Err("not one whole VCALENDAR".into());
        }
        if unfolded.contains("VERSION:") && !unfolded.contains("VERSION:2.0\r\n") {
            return Err("VERSION is not 2.0".into());
        }
        Ok(())
    }

    #[test]
    fn a_calendar_holds_what_rfc_5545_requires_and_nothing_it_forbids() {
        let denver: Tz = "America/Denver".parse().unwrap();
        let event = |id: &str, at: &str| Event {
            id: id.into(),
            summary: "SMART Recovery, a long title that runs well past seventy-five octets on one line".into(),
            starts_at: Timestamp::parse(at).unwrap(),
            ends_at: Timestamp::parse(at).unwrap(),
            location: Some("Room 2".into()),
            description: vec!["Bring a friend".into()],
            cancelled: false,
        };
        let now = Timestamp::parse("2026-11-23T15:00:00Z").unwrap();
        for events in [vec![], vec![event("a", "2026-11-24T01:00:00Z"), event("b", "2027-03-10T01:00:00Z")]] {
            let mut out = Vec::new();
            write(&events, denver, "Harbor House groups", now, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            check_rfc5545(&text).unwrap_or_else(|why| panic!("{why}:\n{text}"));
            assert!(text.contains("PRODID:-//Porchlight//Porchlight desk//EN\r\n"), "{text}");
            let mut again = Vec::new();
            write(&events, denver, "Harbor House groups", now, &mut again).unwrap();
            assert_eq!(String::from_utf8(again).unwrap(), text, "the same calendar written twice is the same text");
        }
    }

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
