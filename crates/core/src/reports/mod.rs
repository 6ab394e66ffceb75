//! The center's figures: today's at the front desk, and the whole center's report for any
//! period (see [`center`]), as the screen shows it and as the files funders take ([`files`]).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::error::CommonError;
use crate::same_person::Identities;
use crate::{clock::day_bounds, services, settings, Desk, Error, Result};

pub mod center;
pub mod files;
pub mod network;
mod pdf;

/// Local days in the center's time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Period {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
}

/// The periods a director picks from, besides any two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    LastQuarter,
    ThisFiscalYear,
    LastFiscalYear,
}

/// The longest period one report covers.
pub const MOST_YEARS: u32 = 10;

impl Period {
    /// `from..=to` as a report may cover it on `today`: in order, not past today, at most [`MOST_YEARS`].
    pub fn checked(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<Period> {
        if from > to {
            return Err(Error::Common(CommonError::DateRangeReversed));
        }
        if to > today {
            return Err(Error::Reports(ReportsError::ReportPeriodInFuture { today: today.to_string() }));
        }
        if from.checked_add_months(Months::new(12 * MOST_YEARS)).is_some_and(|limit| to >= limit) {
            return Err(Error::Reports(ReportsError::ReportPeriodTooLong { years: MOST_YEARS }));
        }
        Ok(Period { from, to })
    }

    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of equal length just before: whole calendar months before whole months (a
    /// quarter before a quarter), otherwise as many days.
    pub fn previous(self) -> Period {
        if let Some(months) = self.whole_months() {
            let from = self.from.checked_sub_months(Months::new(months)).expect("within the calendar");
            return Period { from, to: self.from.pred_opt().expect("within the calendar") };
        }
        let to = self.from.pred_opt().expect("within the calendar");
        Period { from: to - chrono::Duration::days(self.days() - 1), to }
    }

    /// How many calendar months the period is, when it is whole months from a first to a last day.
    fn whole_months(self) -> Option<u32> {
        let after = self.to.succ_opt()?;
        if self.from.day() != 1 || after.day() != 1 {
            return None;
        }
        let months = (after.year() - self.from.year()) * 12 + after.month() as i32 - self.from.month() as i32;
        u32::try_from(months).ok()
    }

    /// The preset's days on `today`, with the fiscal year starting in month `fiscal_start`
    /// (quarters follow the fiscal year). "This" periods run to today.
    pub fn preset(preset: Preset, today: NaiveDate, fiscal_start: u32) -> Period {
        let month_start = today.with_day(1).expect("every month has a first");
        let back = |months: u32| month_start.checked_sub_months(Months::new(months)).expect("within the calendar");
        let day_before = |day: NaiveDate| day.pred_opt().expect("within the calendar");
        // Months since the fiscal year began, counting this one as 0.
        let into_year = (today.month() + 12 - fiscal_start.clamp(1, 12)) % 12;
        let year_start = back(into_year);
        let quarter_start = back(into_year % 3);
        match preset {
            Preset::ThisMonth => Period { from: month_start, to: today },
            Preset::LastMonth => Period { from: back(1), to: day_before(month_start) },
            Preset::ThisQuarter => Period { from: quarter_start, to: today },
            Preset::LastQuarter => Period {
                from: quarter_start.checked_sub_months(Months::new(3)).expect("within the calendar"),
                to: day_before(quarter_start),
            },
            Preset::ThisFiscalYear => Period { from: year_start, to: today },
            Preset::LastFiscalYear => Period {
                from: year_start.checked_sub_months(Months::new(12)).expect("within the calendar"),
                to: day_before(year_start),
            },
        }
    }
}

/// The preset's days on the center's today, with its fiscal year. Anyone who may run reports.
pub fn preset(desk: &Desk, session: &Session, preset: Preset) -> Result<Period> {
    access::authorize(desk, session, Action::RunReports)?;
    Ok(Period::preset(preset, desk.today()?, settings::report_settings(desk)?.fiscal_year_starts))
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Figures {
    /// First and last local day covered, inclusive (`2026-11-23`).
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub visits: u32,
    /// Distinct known people: the unduplicated count funders ask for.
    pub unique_people: u32,
    pub anonymous_visits: u32,
    /// Every current service (zero included), then retired ones that were used.
    pub by_service: Vec<ServiceCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ServiceCount {
    pub service_id: String,
    pub name: String,
    pub visits: u32,
}

pub fn today(desk: &Desk, session: &Session) -> Result<Figures> {
    access::authorize(desk, session, Action::SeeTodaysFigures)?;
    let today = desk.today()?;
    for_days(desk, today, today)
}

/// Figures for visits that began on the local days `from..=to`.
fn for_days(desk: &Desk, from: NaiveDate, to: NaiveDate) -> Result<Figures> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let (start, _) = day_bounds(from, zone)?;
    let (_, end) = day_bounds(to, zone)?;
    let conn = desk.conn();
    let (visits, anonymous_visits) = conn
        .prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(person_id IS NULL), 0)
         FROM visits WHERE checked_in_at >= ?1 AND checked_in_at < ?2",
        )?
        .query_row([start, end], |row| Ok((row.get(0)?, row.get(1)?)))?;
    // People, not records: two records linked as one person are one of today's people.
    let identities = Identities::load(conn)?;
    let mut people = HashSet::new();
    let mut statement = conn.prepare_cached(
        "SELECT DISTINCT person_id FROM visits WHERE checked_in_at >= ?1 AND checked_in_at < ?2 AND person_id IS NOT NULL",
    )?;
    let mut rows = statement.query([start, end])?;
    while let Some(row) = rows.next()? {
        identities.insert(&mut people, row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
    }
    let unique_people = people.len() as u32;

    let mut used: HashMap<String, u32> = conn
        .prepare_cached(
            "SELECT vs.service_id, COUNT(*) FROM visits v JOIN visit_services vs ON vs.visit_id = v.id
             WHERE v.checked_in_at >= ?1 AND v.checked_in_at < ?2 GROUP BY vs.service_id",
        )?
        .query_map([start, end], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let by_service = services::list_in(conn, true)?
        .into_iter()
        .filter_map(|service| {
            let visits = used.remove(&service.id).unwrap_or(0);
            (service.active || visits > 0).then_some(ServiceCount {
                service_id: service.id,
                name: service.name,
                visits,
            })
        })
        .collect();
    Ok(Figures { from, to, visits, unique_people, anonymous_visits, by_service })
}

/// Parses a `YYYY-MM-DD` date as typed by a person or a script.
pub fn parse_day(text: &str) -> Result<NaiveDate> {
    crate::clock::held_day(
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Reports(ReportsError::InvalidDate(text.to_owned())))?,
    )
}

crate::error::domain_errors! {
    /// What stops a report from covering its period or being saved as a file.
    pub enum ReportsError, codes ReportsErrorCode {
        #[error("A date must look like 2026-11-23, not \"{0}\".")]
        InvalidDate(String),
        #[error("Reports cannot be saved into {folder}: {reason}.")]
        ReportFolderUnusable { folder: PathBuf, reason: String } in "report_folder",
        #[error("A report cannot reach past today ({today}): choose a period that has happened.")]
        ReportPeriodInFuture { today: String } in "to",
        #[error("A report covers at most {years} years; choose a shorter period.")]
        ReportPeriodTooLong { years: u32 } in "to",
        #[error("{path} already exists; choose a new file name, or replace it on purpose (--force).")]
        OutputExists { path: String } in "output",
        #[error("Could not make the {format} file: {reason}")]
        ReportFileFailed { format: &'static str, reason: String },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{register, PersonInput};
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;
    use crate::visits;
    use chrono::Duration;

    #[test]
    fn todays_figures_count_visits_people_anonymous_and_services() {
        // 14:00 in Chicago on the 23rd.
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        let services: Vec<String> =
            services::list(&desk, &OPERATOR, false).unwrap().into_iter().map(|s| s.id).collect();
        let dan = register(&mut desk, &OPERATOR, &PersonInput { display_name: "Dan R".into(), ..Default::default() })
            .unwrap();
        let first = visits::check_in(&mut desk, &OPERATOR, &dan.id, &services[..2]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &first.id).unwrap();
        visits::check_in(&mut desk, &OPERATOR, &dan.id, &services[..1]).unwrap();
        visits::check_in_anonymous(&mut desk, &OPERATOR, &services[1..2]).unwrap();

        let figures = today(&desk, &OPERATOR).unwrap();
        assert_eq!((figures.visits, figures.unique_people, figures.anonymous_visits), (3, 1, 1));
        assert_eq!(figures.by_service[0].visits, 2);
        assert_eq!(figures.by_service[1].visits, 2);
        assert_eq!(figures.by_service[2].visits, 0);
        assert_eq!(figures.by_service.len(), 12, "every current service is listed");
    }

    #[test]
    fn two_records_linked_as_one_person_are_one_of_todays_people() {
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        let named = |desk: &mut Desk, name: &str| {
            register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap().id
        };
        let (rosa, rosie) = (named(&mut desk, "Rosa M."), named(&mut desk, "Rosie M."));
        visits::check_in(&mut desk, &OPERATOR, &rosa, &[]).unwrap();
        visits::check_in(&mut desk, &OPERATOR, &rosie, &[]).unwrap();
        assert_eq!(today(&desk, &OPERATOR).unwrap().unique_people, 2);
        crate::same_person::link(&mut desk, &OPERATOR, &rosa, &rosie).unwrap();
        assert_eq!(today(&desk, &OPERATOR).unwrap().unique_people, 1);
    }

    #[test]
    fn a_late_evening_visit_counts_on_the_local_day_not_the_utc_day() {
        // 23:30 in Chicago on the 23rd is 05:30 UTC on the 24th.
        let mut desk = desk_at("2026-11-24T05:30:00Z");
        visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        let on_23rd = for_days(&desk, parse_day("2026-11-23").unwrap(), parse_day("2026-11-23").unwrap()).unwrap();
        let on_24th = for_days(&desk, parse_day("2026-11-24").unwrap(), parse_day("2026-11-24").unwrap()).unwrap();
        assert_eq!((on_23rd.visits, on_24th.visits), (1, 0));

        // Half an hour later it is the 24th in Chicago, and that day starts empty.
        desk.clock.advance(Duration::minutes(31));
        assert_eq!(today(&desk, &OPERATOR).unwrap().visits, 0);
    }

    #[test]
    fn dates_are_parsed_strictly_and_ranges_must_run_forward() {
        let desk = desk_at("2026-11-23T20:00:00Z");
        assert!(matches!(parse_day("23/11/2026"), Err(Error::Reports(ReportsError::InvalidDate(_)))));
        let (a, b) = (parse_day("2026-11-23").unwrap(), parse_day("2026-11-01").unwrap());
        assert!(matches!(for_days(&desk, a, b), Err(Error::Common(CommonError::DateRangeReversed))));
    }

    fn days(from: &str, to: &str) -> Period {
        Period { from: parse_day(from).unwrap(), to: parse_day(to).unwrap() }
    }

    #[test]
    fn presets_follow_the_fiscal_year_and_the_previous_period_is_as_long() {
        let today = parse_day("2026-12-03").unwrap();
        let july = 7;
        assert_eq!(Period::preset(Preset::ThisMonth, today, july), days("2026-12-01", "2026-12-03"));
        assert_eq!(Period::preset(Preset::LastMonth, today, july), days("2026-11-01", "2026-11-30"));
        assert_eq!(Period::preset(Preset::ThisQuarter, today, july), days("2026-10-01", "2026-12-03"));
        assert_eq!(Period::preset(Preset::LastQuarter, today, july), days("2026-07-01", "2026-09-30"));
        assert_eq!(Period::preset(Preset::ThisFiscalYear, today, july), days("2026-07-01", "2026-12-03"));
        assert_eq!(Period::preset(Preset::LastFiscalYear, today, july), days("2025-07-01", "2026-06-30"));
        // A fiscal year starting in February puts December in the year's fourth quarter, Nov to Jan.
        assert_eq!(Period::preset(Preset::ThisQuarter, today, 2), days("2026-11-01", "2026-12-03"));
        assert_eq!(Period::preset(Preset::LastFiscalYear, today, 1), days("2025-01-01", "2025-12-31"));

        assert_eq!(
            days("2026-11-01", "2026-11-30").previous(),
            days("2026-10-01", "2026-10-31"),
            "a month before a month"
        );
        assert_eq!(days("2026-03-01", "2026-03-31").previous(), days("2026-02-01", "2026-02-28"));
        assert_eq!(days("2026-07-01", "2026-09-30").previous(), days("2026-04-01", "2026-06-30"), "a quarter before");
        assert_eq!(days("2026-12-01", "2026-12-03").previous(), days("2026-11-28", "2026-11-30"), "as many days");
    }

    #[test]
    fn a_report_period_is_in_order_not_in_the_future_and_at_most_ten_years() {
        let today = parse_day("2026-12-03").unwrap();
        let check = |from: &str, to: &str| Period::checked(parse_day(from).unwrap(), parse_day(to).unwrap(), today);
        assert!(matches!(check("2026-11-30", "2026-11-01"), Err(Error::Common(CommonError::DateRangeReversed))));
        assert!(matches!(
            check("2026-12-01", "2026-12-04"),
            Err(Error::Reports(ReportsError::ReportPeriodInFuture { .. }))
        ));
        assert!(matches!(
            check("2016-12-03", "2026-12-03"),
            Err(Error::Reports(ReportsError::ReportPeriodTooLong { years: 10 }))
        ));
        assert_eq!(check("2016-12-04", "2026-12-03").unwrap().days(), 3652);
    }
}
