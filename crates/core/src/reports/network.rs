//! A center's monthly figures for the network that funds it: when an admin has chosen to
//! publish them (Settings → Reports, off until then, audited), each sync sends the last
//! complete month's figures to the hub, again whenever they change (a visit entered late).
//! Counts only, plain, with small counts hidden as in printed reports: no person, caller or
//! volunteer is in them, and the hub keeps them apart from the sealed records.

use chrono::{Datelike, Months, NaiveDate};
use porchlight_protocol::{Count, MonthFigures};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::center::{self, Report};
use super::files::{file_value, shown_count};
use super::Period;
use crate::same_person::Identities;
use crate::sync::{self, state, SyncReport};
use crate::{encryption, settings, Desk, Result};

/// The last figures sent for a month, by their hash, so unchanged ones are not sent again.
fn published_key(month: &str) -> String {
    format!("published_figures_{month}")
}

/// The month before the one `today` is in.
pub fn last_complete_month(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).expect("every month has a first day");
    first.checked_sub_months(Months::new(1)).expect("a month before")
}

/// The center's figures for the month starting `first_day`, small counts hidden below the
/// center's threshold.
pub fn month_figures(desk: &Desk, first_day: NaiveDate) -> Result<MonthFigures> {
    let last_day = first_day.checked_add_months(Months::new(1)).expect("a month after").pred_opt().expect("a day");
    let period = Period { from: first_day, to: last_day };
    let report = center::make(desk, &Identities::load(desk.conn())?, period)?;
    let below = settings::report_settings(desk)?.small_counts_below;
    Ok(figures_of(&report, &first_day.format("%Y-%m").to_string(), below))
}

fn figures_of(report: &Report, month: &str, below: u32) -> MonthFigures {
    let hidden = file_value(report, Some(below));
    let count = |value: &Value| -> Count { serde_json::from_value(value.clone()).unwrap_or(Count::Exact(0)) };
    let anonymous =
        report.anonymous_contacts.visits + report.anonymous_contacts.group_headcount + report.anonymous_contacts.calls;
    MonthFigures {
        month: month.to_owned(),
        small_counts_below: Some(below),
        visits: count(&hidden["visits"]["total"]),
        people_served: count(&hidden["people_served_unduplicated"]),
        anonymous_contacts: count(&shown_count(u64::from(anonymous), below)),
        group_attendance: count(&hidden["groups"]["attendance"]),
        calls: count(&hidden["warmline"]["calls"]),
        calls_by_outcome: hidden["warmline"]["by_outcome"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|row| Some((row["outcome"].as_str()?.to_owned(), count(&row["calls"]))))
            .collect(),
        volunteer_hours: report.volunteers.hours,
    }
}

/// Sends the last complete month's figures to the hub when the center publishes them and they
/// changed since last sent; the month sent, if any. After `synced`, a sync that sent and changed
/// nothing, a month already sent cannot have changed, so its figures are not worked out again.
/// A hub too old to take figures is left be.
pub fn publish_if_chosen(desk: &mut Desk, synced: &SyncReport) -> Result<Option<String>> {
    if !settings::report_settings(desk)?.publish_to_network {
        return Ok(None);
    }
    let first_day = last_complete_month(desk.today()?);
    let key = published_key(&first_day.format("%Y-%m").to_string());
    let sent_before = state::get(desk.conn(), &key)?;
    if sent_before.is_some() && synced.pushed == 0 && synced.changed == 0 {
        return Ok(None);
    }
    let figures = month_figures(desk, first_day)?;
    let text = serde_json::to_string(&figures).expect("figures serialise");
    let digest = encryption::hex(&Sha256::digest(text.as_bytes()));
    if sent_before.as_deref() == Some(digest.as_str()) {
        return Ok(None);
    }
    let hub = sync::connected_hub(desk.conn())?;
    if !hub.publish_figures(&figures)? {
        return Ok(None);
    }
    state::set(desk.conn(), &key, &digest)?;
    Ok(Some(figures.month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_complete_month_is_the_one_before_today() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        assert_eq!(last_complete_month(day("2026-12-04")), day("2026-11-01"));
        assert_eq!(last_complete_month(day("2027-01-01")), day("2026-12-01"));
    }
}
