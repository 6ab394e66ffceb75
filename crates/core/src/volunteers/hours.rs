//! Volunteer hours: what each held shift credits, and hours given outside shifts. A shift
//! credits its clocked time when the volunteer clocked in and out; its scheduled length when the
//! coordinator confirmed the day, when they clocked in only, or when they logged a warmline call
//! during it (the call is their presence); nothing for a no-show. Worked out when read, so every
//! desk agrees once synced. The [`figures`] count hours, fill rate, no-shows, the warmline's
//! uncovered hours and credentials for funders.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::credentials::{self, Standing};
use super::shifts::{self, TOOK_CALLS};
use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::day_bounds;
use crate::clock::{named_day, DayStyle};
use crate::error::CommonError;
use crate::sync::entity::Table;
use crate::volunteers::VolunteersError;
use crate::{new_id, text, Desk, Error, Result, Timestamp};

pub(crate) const SYNCED: Table = Table {
    entity: "volunteer_hours",
    table: "volunteer_hours",
    columns: &["volunteer_id", "worked_on", "minutes", "what", "logged_at", "logged_by", "removed_at"],
    ..Table::PLAIN
};

/// The minutes assignment `x` on shift `s` credits.
pub(crate) fn credited_minutes() -> String {
    format!(
        "CASE WHEN x.state != 'held' OR x.no_show = 1 THEN 0
            WHEN x.clocked_in_at IS NOT NULL AND x.clocked_out_at IS NOT NULL
                THEN CAST(ROUND((julianday(x.clocked_out_at) - julianday(x.clocked_in_at)) * 1440) AS INTEGER)
            WHEN x.confirmed_at IS NOT NULL OR x.clocked_in_at IS NOT NULL OR {TOOK_CALLS}
                THEN CAST(ROUND((julianday(s.ends_at) - julianday(s.starts_at)) * 1440) AS INTEGER)
            ELSE 0 END"
    )
}

/// Hours given outside a shift, as the coordinator logs them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HoursInput {
    pub volunteer_id: String,
    #[ts(type = "string")]
    pub worked_on: NaiveDate,
    pub minutes: u32,
    /// "Outreach at the health fair".
    pub what: String,
}

/// One line of a volunteer's hours.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HoursEntry {
    /// The assignment or the logged hours.
    pub id: String,
    #[ts(type = "string")]
    pub day: NaiveDate,
    pub minutes: u32,
    /// The shift's name, or what the logged hours were for.
    pub what: String,
    /// `shift` or `logged`.
    pub source: String,
    pub no_show: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteerHours {
    pub volunteer_id: String,
    pub total_minutes: u32,
    /// `2026-11` and its minutes, oldest first.
    pub by_month: Vec<Tally>,
    pub entries: Vec<HoursEntry>,
}

/// A name and its minutes (or count).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Tally {
    pub id: String,
    pub name: String,
    pub minutes: u32,
}

/// What funders and the board ask of the volunteer program, for a period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteerFigures {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub total_minutes: u32,
    pub volunteers_active: u32,
    pub by_volunteer: Vec<Tally>,
    pub by_role: Vec<Tally>,
    pub by_month: Vec<Tally>,
    /// Shifts that have started (not cancelled), and those held by at least their minimum.
    pub shifts: u32,
    pub shifts_filled: u32,
    /// Held places of started shifts, and those marked no-show.
    pub places_due: u32,
    pub no_shows: u32,
    /// The warmline's minutes with nobody (or too few) on shift, by week (its Monday's date).
    pub uncovered_warmline_by_week: Vec<Tally>,
    pub credentials_expired: u32,
    pub credentials_expiring: u32,
}

impl VolunteerFigures {
    /// Shifts filled to their minimum, of those that started: 0 to 1.
    pub fn fill_rate(&self) -> f64 {
        ratio(self.shifts_filled, self.shifts)
    }

    pub fn no_show_rate(&self) -> f64 {
        ratio(self.no_shows, self.places_due)
    }
}

fn ratio(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

/// The first and last day of `day`'s month.
pub(crate) fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).expect("every month has a first");
    let next = first.checked_add_months(chrono::Months::new(1)).expect("a month ahead");
    (first, next - Duration::days(1))
}

/// Logs hours given outside a shift.
pub fn log(desk: &mut Desk, session: &Session, input: &HoursInput) -> Result<VolunteerHours> {
    if input.worked_on > desk.today()? {
        return Err(Error::Volunteers(VolunteersError::HoursInFuture));
    }
    if !(15..=24 * 60).contains(&input.minutes) {
        return Err(Error::Volunteers(VolunteersError::HoursOutOfRange));
    }
    let what = text::optional(Some(&input.what), "what", "What it was", 120)?
        .ok_or(Error::Volunteers(VolunteersError::HoursWhatRequired))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        super::ensure_volunteer(tx, &input.volunteer_id)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO volunteer_hours (id, volunteer_id, worked_on, minutes, what, logged_at, logged_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, input.volunteer_id, input.worked_on, input.minutes, what, now, actor.account_id],
        )?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::HoursLogged,
            Some(&input.volunteer_id),
            &format!("{} minutes", input.minutes),
        )
    })?;
    let (from, to) = month_of(input.worked_on);
    of_volunteer_in(desk, &input.volunteer_id, from, to)
}

/// Takes back hours logged by mistake.
pub fn remove(desk: &mut Desk, session: &Session, hours_id: &str) -> Result<()> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let volunteer_id: String = tx
            .query_row("SELECT volunteer_id FROM volunteer_hours WHERE id = ?1", [hours_id], |row| row.get(0))
            .optional()?
            .ok_or(Error::Volunteers(VolunteersError::HoursNotFound))?;
        tx.execute("UPDATE volunteer_hours SET removed_at = ?2 WHERE id = ?1", params![hours_id, now])?;
        audit::record(tx, now, &actor, AuditEvent::HoursLogged, Some(&volunteer_id), "hours removed")
    })
}

/// A volunteer's hours on the local days `from..=to`: a coordinator anyone's, a volunteer their own.
pub fn of_volunteer(
    desk: &Desk,
    session: &Session,
    volunteer_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<VolunteerHours> {
    access::authorize_own(desk, session, Action::SeeShifts, super::own_account(desk.conn(), volunteer_id, session)?)?;
    of_volunteer_in(desk, volunteer_id, from, to)
}

fn of_volunteer_in(desk: &Desk, volunteer_id: &str, from: NaiveDate, to: NaiveDate) -> Result<VolunteerHours> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    super::ensure_volunteer(desk.conn(), volunteer_id)?;
    let entries: Vec<HoursEntry> = credited(desk, from, to, Some(volunteer_id))?
        .into_iter()
        .map(|c| HoursEntry {
            id: c.id,
            day: c.day,
            minutes: c.minutes,
            what: c.what,
            source: if c.logged { "logged" } else { "shift" }.to_owned(),
            no_show: c.no_show,
        })
        .collect();
    let mut by_month: BTreeMap<String, u32> = BTreeMap::new();
    for entry in &entries {
        *by_month.entry(entry.day.format("%Y-%m").to_string()).or_default() += entry.minutes;
    }
    Ok(VolunteerHours {
        volunteer_id: volunteer_id.to_owned(),
        total_minutes: entries.iter().map(|e| e.minutes).sum(),
        by_month: by_month
            .into_iter()
            .map(|(month, minutes)| {
                let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").expect("a month we wrote");
                Tally { id: month, name: named_day(first, DayStyle::Month), minutes }
            })
            .collect(),
        entries,
    })
}

/// One credit of time: a held place on a shift, or hours logged.
pub(crate) struct Credit {
    pub id: String,
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub role_id: String,
    pub role_name: String,
    /// The local day of the shift, or the day the hours were given.
    pub day: NaiveDate,
    pub minutes: u32,
    pub what: String,
    pub logged: bool,
    pub no_show: bool,
}

/// Every credit on the local days `from..=to` (of one volunteer, or all), oldest first.
pub(crate) fn credited(desk: &Desk, from: NaiveDate, to: NaiveDate, volunteer_id: Option<&str>) -> Result<Vec<Credit>> {
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    // Two statements, each planned on its own index: one volunteer's credits are found by
    // volunteer, everyone's by the shifts' times (CROSS JOIN keeps SQLite from starting at the
    // hundred thousand assignments instead).
    let (shifts_then_assignments, one) = match volunteer_id {
        Some(_) => ("shift_assignments x JOIN shifts s ON s.id = x.shift_id", "x.volunteer_id = ?5"),
        None => ("shifts s CROSS JOIN shift_assignments x ON x.shift_id = s.id", "?5 IS NULL"),
    };
    let logged_one = if volunteer_id.is_some() { "h.volunteer_id = ?5" } else { "?5 IS NULL" };
    let sql = format!(
        "SELECT x.id, x.volunteer_id, p.display_name, t.role_id, ro.name, s.starts_at, {credited}, t.name, 0, x.no_show, NULL
         FROM {shifts_then_assignments}
         JOIN shift_templates t ON t.id = s.template_id JOIN shift_roles ro ON ro.id = t.role_id
         JOIN people p ON p.id = x.volunteer_id
         WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND x.state = 'held' AND s.cancelled = 0 AND {one}
         UNION ALL
         SELECT h.id, h.volunteer_id, p.display_name, '', '', h.worked_on || 'T12:00:00.000Z', h.minutes, h.what, 1, 0, h.worked_on
         FROM volunteer_hours h JOIN people p ON p.id = h.volunteer_id
         WHERE h.worked_on >= ?3 AND h.worked_on <= ?4 AND h.removed_at IS NULL AND {logged_one}
         ORDER BY 6, 3 COLLATE NOCASE, 1",
        credited = credited_minutes()
    );
    let mut statement = desk.conn().prepare_cached(&sql)?;
    let rows = statement.query_map(params![start, end, from, to, volunteer_id], |row| {
        let starts_at: Timestamp = row.get(5)?;
        let worked_on: Option<NaiveDate> = row.get(10)?;
        Ok(Credit {
            day: worked_on.unwrap_or_else(|| starts_at.in_zone(zone).date_naive()),
            id: row.get(0)?,
            volunteer_id: row.get(1)?,
            volunteer_name: row.get(2)?,
            role_id: row.get(3)?,
            role_name: row.get(4)?,
            minutes: row.get(6)?,
            what: row.get(7)?,
            logged: row.get(8)?,
            no_show: row.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Minutes credited to each volunteer on the local days of `(from, to)`: summed by SQLite, the
/// shifts found by their times, for the list of who could take a shift (the fewest hours first).
pub(crate) fn minutes_by_volunteer(desk: &Desk, (from, to): (NaiveDate, NaiveDate)) -> Result<HashMap<String, u32>> {
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    let sql = format!(
        "SELECT x.volunteer_id, SUM({credited}) FROM shifts s CROSS JOIN shift_assignments x ON x.shift_id = s.id
         WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND x.state = 'held' AND s.cancelled = 0
         GROUP BY x.volunteer_id
         UNION ALL
         SELECT volunteer_id, SUM(minutes) FROM volunteer_hours
         WHERE worked_on >= ?3 AND worked_on <= ?4 AND removed_at IS NULL GROUP BY volunteer_id",
        credited = credited_minutes()
    );
    let mut statement = desk.conn().prepare_cached(&sql)?;
    let rows = statement
        .query_map(params![start, end, from, to], |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)))?;
    let mut minutes = HashMap::new();
    for row in rows {
        let (volunteer_id, credited) = row?;
        *minutes.entry(volunteer_id).or_default() += credited;
    }
    Ok(minutes)
}

/// The row of the hours by role that holds hours logged outside any shift.
pub const LOGGED_OUTSIDE_A_SHIFT: &str = "Logged outside a shift";

/// The volunteer program's figures for the local days `from..=to`.
pub fn figures(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<VolunteerFigures> {
    access::authorize(desk, session, Action::SeeVolunteerFigures)?;
    figures_in(desk, from, to)
}

pub(crate) fn figures_in(desk: &Desk, from: NaiveDate, to: NaiveDate) -> Result<VolunteerFigures> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let now = desk.now();
    let credits = credited(desk, from, to, None)?;
    let tally = |key: &dyn Fn(&Credit) -> Option<(String, String)>| {
        let mut totals: BTreeMap<String, (String, u32)> = BTreeMap::new();
        for credit in &credits {
            if let Some((id, name)) = key(credit) {
                totals.entry(id).or_insert((name, 0)).1 += credit.minutes;
            }
        }
        let mut list: Vec<Tally> =
            totals.into_iter().map(|(id, (name, minutes))| Tally { id, name, minutes }).collect();
        list.sort_by(|a, b| b.minutes.cmp(&a.minutes).then(a.name.cmp(&b.name)));
        list
    };
    let by_volunteer = tally(&|c| Some((c.volunteer_id.clone(), c.volunteer_name.clone())));
    // Hours logged outside a shift have a row of their own, so the roles add up to the total.
    let by_role = tally(&|c| {
        Some(match c.logged {
            true => (LOGGED_OUTSIDE_A_SHIFT.to_owned(), LOGGED_OUTSIDE_A_SHIFT.to_owned()),
            false => (c.role_id.clone(), c.role_name.clone()),
        })
    });
    let mut by_month = tally(&|c| Some((c.day.format("%Y-%m").to_string(), named_day(c.day, DayStyle::Month))));
    by_month.sort_by(|a, b| a.id.cmp(&b.id));

    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    let started = shifts::tallies_between(desk.conn(), start, end, now)?;
    let mut uncovered: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for shift in started.iter().filter(|shift| shift.warmline && shift.gap) {
        let day = shift.starts_at.in_zone(zone).date_naive();
        let monday = day - Duration::days(day.weekday().num_days_from_monday().into());
        *uncovered.entry(monday).or_default() += shift.minutes;
    }
    let today = desk.today()?;
    let alerts = credentials::alerts_in(desk.conn(), today)?;
    Ok(VolunteerFigures {
        from,
        to,
        total_minutes: credits.iter().map(|c| c.minutes).sum(),
        volunteers_active: by_volunteer.iter().filter(|t| t.minutes > 0).count() as u32,
        by_volunteer,
        by_role,
        by_month,
        shifts: started.len() as u32,
        shifts_filled: started.iter().filter(|shift| !shift.gap).count() as u32,
        places_due: started.iter().map(|shift| shift.places).sum(),
        no_shows: started.iter().map(|shift| shift.no_shows).sum(),
        uncovered_warmline_by_week: uncovered
            .into_iter()
            .map(|(monday, minutes)| Tally {
                id: monday.to_string(),
                name: format!("Week of {}", named_day(monday, DayStyle::WithYear)),
                minutes,
            })
            .collect(),
        credentials_expired: alerts.iter().filter(|a| a.standing == Standing::Expired).count() as u32,
        credentials_expiring: alerts.iter().filter(|a| a.standing == Standing::ExpiringSoon).count() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::accounts::{self, AccountInput};
    use crate::testkit::{desk_at, line_volunteer, morning_line, OPERATOR};
    use crate::volunteers::{assignments, templates};
    use crate::warmline::{calls, PEER_SUPPORT};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_warmline_call_during_the_shift_counts_as_presence_and_the_figures_add_up() {
        // Monday 23 November 2026, 8 am in Chicago.
        let mut desk = desk_at("2026-11-23T14:00:00Z");
        templates::create(&mut desk, &OPERATOR, &morning_line("2026-11-23")).unwrap();
        let week = shifts::between_in(&desk, day("2026-11-23"), day("2026-11-27")).unwrap();
        let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
        let ben = line_volunteer(&mut desk, "Ben R.", "2027-06-30");
        let account = AccountInput {
            name: "Ana P.".into(),
            roles: vec![Role::Warmline],
            pin: "5927".into(),
            ..Default::default()
        };
        let account = accounts::create(&mut desk, &OPERATOR, &account).unwrap();
        accounts::link_person(&mut desk, &OPERATOR, &account.id, Some(&ana)).unwrap();
        assignments::assign(&mut desk, &OPERATOR, &week[0].id, &ana).unwrap();
        let tuesday = assignments::assign(&mut desk, &OPERATOR, &week[1].id, &ben).unwrap();

        // Ana takes a call at 10 on Monday; Ben does not come on Tuesday; Wednesday nobody is on.
        desk.clock.advance(Duration::hours(2));
        let call = calls::CallInput {
            taken_by: Some(account.id.clone()),
            ..calls::CallInput::of_type(PEER_SUPPORT, desk.now())
        };
        calls::log(&mut desk, &OPERATOR, &call).unwrap();
        desk.clock.advance(Duration::days(1));
        assignments::mark_no_show(&mut desk, &OPERATOR, &tuesday.holders[0].assignment_id, "No word").unwrap();
        desk.clock.advance(Duration::days(2));
        let figures = figures(&desk, &OPERATOR, day("2026-11-23"), day("2026-11-29")).unwrap();
        assert_eq!(figures.total_minutes, 240, "Monday's four hours, by the call");
        assert_eq!((figures.by_volunteer[0].name.as_str(), figures.by_volunteer[0].minutes), ("Ana P.", 240));
        assert_eq!(figures.by_role[0].name, "Warmline");
        // Ben did not come: Tuesday was not covered, and counts with Wednesday and Thursday.
        assert_eq!((figures.shifts, figures.shifts_filled), (4, 1), "Monday to Thursday started");
        assert_eq!((figures.places_due, figures.no_shows), (2, 1));
        assert_eq!(figures.uncovered_warmline_by_week[0].minutes, 3 * 240, "Tuesday, Wednesday and Thursday");
        assert!((figures.fill_rate() - 0.25).abs() < 1e-9);

        log(
            &mut desk,
            &OPERATOR,
            &HoursInput {
                volunteer_id: ben.clone(),
                worked_on: day("2026-11-25"),
                minutes: 90,
                what: "Outreach".into(),
            },
        )
        .unwrap();
        let mut bad = |input: HoursInput| log(&mut desk, &OPERATOR, &input).unwrap_err().code();
        let hours = |worked_on: &str, minutes: u32, what: &str| HoursInput {
            volunteer_id: ben.clone(),
            worked_on: day(worked_on),
            minutes,
            what: what.into(),
        };
        assert_eq!(bad(hours("2026-12-01", 60, "Later")), "hours_in_future");
        assert_eq!(bad(hours("2026-11-25", 0, "Nothing")), "hours_out_of_range");
        assert_eq!(bad(hours("2026-11-25", 60, " ")), "hours_what_required");
        let bens = of_volunteer(&desk, &OPERATOR, &ben, day("2026-11-01"), day("2026-11-30")).unwrap();
        assert_eq!(bens.total_minutes, 90);
        assert_eq!(bens.entries.len(), 2, "the no-show stays in his record, at 0");
        assert!(bens.entries.iter().any(|e| e.no_show && e.minutes == 0));

        // Hours logged outside a shift have their row: the roles add up to the total.
        let figures = super::figures(&desk, &OPERATOR, day("2026-11-23"), day("2026-11-29")).unwrap();
        let by_role: Vec<(&str, u32)> = figures.by_role.iter().map(|t| (t.name.as_str(), t.minutes)).collect();
        assert_eq!(by_role, [("Warmline", 240), (LOGGED_OUTSIDE_A_SHIFT, 90)]);
        assert_eq!(figures.by_role.iter().map(|t| t.minutes).sum::<u32>(), figures.total_minutes);
    }
}
