//! Figures for the center's local days: total visits, unduplicated people, anonymous
//! headcount, and visits per service.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::{clock::day_bounds, services, Desk, Error, Result};

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
        return Err(Error::DateRangeReversed);
    }
    let zone = desk.zone()?;
    let (start, _) = day_bounds(from, zone);
    let (_, end) = day_bounds(to, zone);
    let conn = desk.conn();
    let (visits, unique_people, anonymous_visits) = conn
        .prepare_cached(
            "SELECT COUNT(*), COUNT(DISTINCT person_id), COALESCE(SUM(person_id IS NULL), 0)
         FROM visits WHERE checked_in_at >= ?1 AND checked_in_at < ?2",
        )?
        .query_row([start, end], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;

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
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| Error::InvalidDate(text.to_owned()))
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
        assert!(matches!(parse_day("23/11/2026"), Err(Error::InvalidDate(_))));
        let (a, b) = (parse_day("2026-11-23").unwrap(), parse_day("2026-11-01").unwrap());
        assert!(matches!(for_days(&desk, a, b), Err(Error::DateRangeReversed)));
    }
}
