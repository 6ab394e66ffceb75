//! The whole center's report for a period: visitors, groups, the warmline, volunteers, the
//! people served across every program (each counted once, however many programs they used and
//! however many linked records they have), and who they are, where they said. Each program's
//! figures come from that program's own counting; this module only brings them together.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Timelike, Weekday};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::Period;
use crate::access::{self, Action, Session};
use crate::clock::day_bounds;
use crate::same_person::Identities;
use crate::volunteers::hours;
use crate::warmline::figures as warmline_figures;
use crate::{groups, services, settings, Desk, Result, Timestamp};

/// A period's report beside the one of equal length before it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Comparison {
    pub current: Report,
    pub previous: Report,
}

/// Field names are the report file's keys (see [`super::files`]): scripts read them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Report {
    pub center: String,
    pub period: Period,
    pub made_at: Timestamp,
    pub visits: VisitsSection,
    pub groups: GroupsSection,
    pub warmline: WarmlineSection,
    pub volunteers: VolunteersSection,
    /// Named people who had a visit or attended a group, each counted once.
    pub people_served_unduplicated: u32,
    /// Contacts without a name, shown beside the people served and never added into them.
    pub anonymous_contacts: AnonymousContacts,
    pub who: WhoSection,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VisitsSection {
    pub total: u32,
    pub unduplicated_people: u32,
    pub anonymous: u32,
    /// People whose first visit ever was in the period, and those who had come before.
    pub new_people: u32,
    pub returning_people: u32,
    pub by_service: Vec<ServiceRow>,
    pub by_weekday: Vec<WeekdayRow>,
    /// Every hour of the week, Monday 00 first: 168 cells.
    pub by_hour_of_week: Vec<VisitHour>,
    /// Days (a period up to a month), weeks (up to 13 weeks) or months, each by its first day.
    pub trend: Vec<TrendRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ServiceRow {
    pub service: String,
    pub visits: u32,
    pub unduplicated_people: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WeekdayRow {
    pub day: String,
    pub visits: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VisitHour {
    pub day: String,
    /// `"09"`: the hour starting then, in the center's zone.
    pub hour: String,
    pub visits: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TrendRow {
    /// The week's Monday or the month's first day (`2026-11-02`), clipped to the period.
    pub starting: String,
    pub visits: u32,
    pub unduplicated_people: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupsSection {
    pub sessions_held: u32,
    pub sessions_cancelled: u32,
    /// Everyone at the held sessions: the named marked present and the anonymous headcounts.
    pub attendance: u32,
    pub named_attendance: u32,
    pub anonymous_attendance: u32,
    /// Attendance per session held; `None` without any.
    pub average_per_session: Option<f64>,
    pub unduplicated_people: u32,
    /// People at a group for the first time ever.
    pub first_time_attendees: u32,
    pub by_group: Vec<GroupRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupRow {
    pub group: String,
    pub sessions_held: u32,
    pub sessions_cancelled: u32,
    pub attendance: u32,
    pub anonymous_attendance: u32,
    pub average_per_session: Option<f64>,
    pub unduplicated_people: u32,
    pub first_time: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WarmlineSection {
    pub calls: u32,
    pub support_calls: u32,
    pub by_type: Vec<TypeRow>,
    pub by_topic: Vec<TopicRow>,
    pub by_referral: Vec<ReferralRow>,
    pub by_outcome: Vec<OutcomeRow>,
    /// The mean support call, in minutes to one decimal; `None` without any.
    pub average_support_minutes: Option<f64>,
    /// Callers whose first call ever was in the period, and callers who had called before.
    pub first_time_callers: u32,
    pub repeat_callers: u32,
    pub anonymous_calls: u32,
    pub escalations: u32,
    pub by_hour_of_week: Vec<CallHour>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TypeRow {
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub call_type: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TopicRow {
    pub topic: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReferralRow {
    pub referral: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OutcomeRow {
    pub outcome: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallHour {
    pub day: String,
    pub hour: String,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct VolunteersSection {
    pub hours: f64,
    pub by_role: Vec<RoleRow>,
    pub active_volunteers: u32,
    pub shifts: u32,
    pub shifts_filled: u32,
    /// Shifts filled to their minimum, of those that started, 0 to 1; `None` without any.
    pub fill_rate: Option<f64>,
    pub no_show_rate: Option<f64>,
    pub uncovered_warmline_hours: f64,
    /// Credentials already expired, and those expiring in the next 30 days, as of the report's making.
    pub credentials_expired: u32,
    pub credentials_expiring: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RoleRow {
    pub role: String,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AnonymousContacts {
    pub visits: u32,
    pub group_headcount: u32,
    pub calls: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WhoSection {
    /// Of the people served: age at the period's end from the year of birth; "Not given" always listed.
    pub age_bands: Vec<BandRow>,
    pub languages: Vec<LanguageRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BandRow {
    pub band: String,
    pub people: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LanguageRow {
    pub language: String,
    pub people: u32,
}

pub const NOT_GIVEN: &str = "Not given";

/// The report for `period` beside the period before it, for those who run reports.
pub fn compare(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Comparison> {
    access::authorize(desk, session, Action::RunReports)?;
    let period = Period::checked(from, to, desk.today()?)?;
    let identities = Identities::load(desk.conn())?;
    Ok(Comparison { current: make(desk, &identities, period)?, previous: make(desk, &identities, period.previous())? })
}

/// The report for `period` alone, for those who run reports.
pub fn report(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    access::authorize(desk, session, Action::RunReports)?;
    let period = Period::checked(from, to, desk.today()?)?;
    make(desk, &Identities::load(desk.conn())?, period)
}

pub(crate) fn make(desk: &Desk, identities: &Identities, period: Period) -> Result<Report> {
    let (from, to) = (period.from, period.to);
    let (visits, visitors) = visitors(desk, identities, period)?;
    let counted = groups::figures::count(desk, identities, None, None, from, to)?;
    let groups = groups_section(&counted);
    let warmline = warmline_section(warmline_figures::count(desk, from, to)?);
    let volunteers = volunteers_section(hours::figures_in(desk, from, to)?);
    let mut served = visitors;
    served.extend(counted.people);
    let anonymous_contacts = AnonymousContacts {
        visits: visits.anonymous,
        group_headcount: groups.anonymous_attendance,
        calls: warmline.anonymous_calls,
    };
    Ok(Report {
        center: settings::get(desk)?.center_name,
        period,
        made_at: desk.now(),
        who: who(desk, identities, &served, to)?,
        people_served_unduplicated: served.len() as u32,
        anonymous_contacts,
        visits,
        groups,
        warmline,
        volunteers,
    })
}

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

fn day_name(day: Weekday) -> String {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
    .to_owned()
}

/// The 168 cells of a week, Monday 00 first, from counts by weekday (Monday 0) and hour.
fn hours_of_week<T>(counts: &[[u32; 24]; 7], cell: impl Fn(String, String, u32) -> T) -> Vec<T> {
    WEEKDAYS
        .iter()
        .zip(counts)
        .flat_map(|(day, hours)| hours.iter().enumerate().map(move |(hour, n)| (day, hour, *n)))
        .map(|(day, hour, n)| cell(day_name(*day), format!("{hour:02}"), n))
        .collect()
}

/// The first day of each trend step: days for up to a month, weeks (from Monday) for up to
/// 13 weeks, months beyond.
fn trend_steps(period: Period) -> Vec<NaiveDate> {
    let (daily, weekly) = (period.days() <= 31, period.days() <= 91);
    let mut step = if daily {
        period.from
    } else if weekly {
        period.from - Duration::days(period.from.weekday().num_days_from_monday().into())
    } else {
        period.from.with_day(1).expect("every month has a first")
    };
    let mut steps = Vec::new();
    while step <= period.to {
        steps.push(step.max(period.from));
        step = match (daily, weekly) {
            (true, _) => step + Duration::days(1),
            (_, true) => step + Duration::days(7),
            _ => step + chrono::Months::new(1),
        };
    }
    steps
}

/// The visits of the period, and the people (as `identities` counts them) who came.
fn visitors(desk: &Desk, identities: &Identities, period: Period) -> Result<(VisitsSection, HashSet<String>)> {
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(period.from, zone)?.0, day_bounds(period.to, zone)?.1);
    let conn = desk.conn();
    let steps = trend_steps(period);
    let mut trend: Vec<(u32, HashSet<String>)> = vec![(0, HashSet::new()); steps.len()];
    let mut by_hour = [[0u32; 24]; 7];
    let (mut total, mut anonymous) = (0, 0);
    let mut people = HashSet::new();
    let mut per_service: HashMap<String, (u32, HashSet<String>)> = HashMap::new();
    // One pass: each visit of the period by its time, with its services by the visit's key, a
    // row per service (one with none for a visit without). Rows of one visit come together.
    let mut statement = conn.prepare_cached(
        "SELECT v.rowid, v.checked_in_at, v.person_id, vs.service_id
         FROM visits v LEFT JOIN visit_services vs ON vs.visit_id = v.id
         WHERE v.checked_in_at >= ?1 AND v.checked_in_at < ?2",
    )?;
    let mut rows = statement.query(params![start, end])?;
    let mut last_visit = None;
    while let Some(row) = rows.next()? {
        let person = row.get_ref(2)?.as_str_or_null().map_err(rusqlite::Error::from)?;
        let visit: i64 = row.get(0)?;
        if last_visit != Some(visit) {
            last_visit = Some(visit);
            let local = row.get::<_, Timestamp>(1)?.in_zone(zone);
            total += 1;
            by_hour[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
            let step = steps.partition_point(|first| *first <= local.date_naive()).saturating_sub(1);
            let bucket = &mut trend[step];
            bucket.0 += 1;
            match person {
                None => anonymous += 1,
                Some(person) => {
                    identities.insert(&mut people, person);
                    identities.insert(&mut bucket.1, person);
                }
            }
        }
        let Some(service) = row.get_ref(3)?.as_str_or_null().map_err(rusqlite::Error::from)? else { continue };
        let entry = match per_service.get_mut(service) {
            Some(entry) => entry,
            None => per_service.entry(service.to_owned()).or_default(),
        };
        entry.0 += 1;
        if let Some(person) = person {
            identities.insert(&mut entry.1, person);
        }
    }
    let by_service = services::list_in(conn, true)?
        .into_iter()
        .filter_map(|service| {
            let (visits, people) = per_service.remove(&service.id).unwrap_or_default();
            (service.active || visits > 0).then_some(ServiceRow {
                service: service.name,
                visits,
                unduplicated_people: people.len() as u32,
            })
        })
        .collect();

    let records: Vec<Vec<&str>> = people.iter().map(|person| identities.records(person)).collect();
    let new_people: u32 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM json_each(?1) p WHERE NOT EXISTS (
                SELECT 1 FROM json_each(p.value) r CROSS JOIN visits v ON v.person_id = r.value
                WHERE v.checked_in_at < ?2)",
        )?
        .query_row(params![serde_json::to_string(&records).expect("ids serialise"), start], |row| row.get(0))?;

    let visitors = VisitsSection {
        total,
        unduplicated_people: people.len() as u32,
        anonymous,
        new_people,
        returning_people: people.len() as u32 - new_people,
        by_service,
        by_weekday: WEEKDAYS
            .iter()
            .zip(&by_hour)
            .map(|(day, hours)| WeekdayRow { day: day_name(*day), visits: hours.iter().sum() })
            .collect(),
        by_hour_of_week: hours_of_week(&by_hour, |day, hour, visits| VisitHour { day, hour, visits }),
        trend: steps
            .iter()
            .zip(trend)
            .map(|(first, (visits, people))| TrendRow {
                starting: first.to_string(),
                visits,
                unduplicated_people: people.len() as u32,
            })
            .collect(),
    };
    Ok((visitors, people))
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn per(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| one_decimal(f64::from(part) / f64::from(whole)))
}

fn groups_section(counted: &groups::figures::Counted) -> GroupsSection {
    let sum = |field: fn(&groups::figures::GroupFigures) -> u32| counted.by_group.iter().map(field).sum::<u32>();
    let (held, attendance) = (sum(|g| g.sessions_held), sum(|g| g.total_attendance));
    GroupsSection {
        sessions_held: held,
        sessions_cancelled: sum(|g| g.sessions_cancelled),
        attendance,
        named_attendance: sum(|g| g.named_attendance),
        anonymous_attendance: sum(|g| g.anonymous_attendance),
        average_per_session: per(attendance, held),
        unduplicated_people: counted.people.len() as u32,
        first_time_attendees: counted.first_time,
        by_group: counted
            .by_group
            .iter()
            .map(|g| GroupRow {
                group: g.group_name.clone(),
                sessions_held: g.sessions_held,
                sessions_cancelled: g.sessions_cancelled,
                attendance: g.total_attendance,
                anonymous_attendance: g.anonymous_attendance,
                // Each group's own figures already hold it; none is "none" here, not 0.
                average_per_session: (g.sessions_held > 0).then_some(g.average_per_session),
                unduplicated_people: g.unique_people,
                first_time: g.first_time,
            })
            .collect(),
    }
}

fn warmline_section(figures: warmline_figures::WarmlineFigures) -> WarmlineSection {
    let mut by_hour = [[0u32; 24]; 7];
    for (day, hours) in figures.by_hour_of_week.iter().enumerate().take(7) {
        for (hour, calls) in hours.iter().enumerate().take(24) {
            by_hour[day][hour] = *calls;
        }
    }
    WarmlineSection {
        calls: figures.calls,
        support_calls: figures.support_calls,
        by_type: figures.by_type.into_iter().map(|c| TypeRow { call_type: c.name, calls: c.calls }).collect(),
        by_topic: figures.by_topic.into_iter().map(|c| TopicRow { topic: c.name, calls: c.calls }).collect(),
        by_referral: figures
            .by_referral
            .into_iter()
            .map(|c| ReferralRow { referral: c.name, calls: c.calls })
            .collect(),
        by_outcome: figures
            .by_outcome
            .into_iter()
            .map(|c| OutcomeRow { outcome: c.outcome.label().to_owned(), calls: c.calls })
            .collect(),
        average_support_minutes: figures.average_support_seconds.map(|seconds| one_decimal(f64::from(seconds) / 60.0)),
        first_time_callers: figures.first_time_calls,
        repeat_callers: figures.callers.saturating_sub(figures.first_time_calls),
        anonymous_calls: figures.anonymous_calls,
        escalations: figures.escalations,
        by_hour_of_week: hours_of_week(&by_hour, |day, hour, calls| CallHour { day, hour, calls }),
    }
}

fn hours_of(minutes: u32) -> f64 {
    (f64::from(minutes) / 60.0 * 100.0).round() / 100.0
}

fn volunteers_section(figures: hours::VolunteerFigures) -> VolunteersSection {
    let rate =
        |part: u32, whole: u32| (whole > 0).then(|| (f64::from(part) / f64::from(whole) * 1000.0).round() / 1000.0);
    VolunteersSection {
        hours: hours_of(figures.total_minutes),
        by_role: figures.by_role.iter().map(|t| RoleRow { role: t.name.clone(), hours: hours_of(t.minutes) }).collect(),
        active_volunteers: figures.volunteers_active,
        shifts: figures.shifts,
        shifts_filled: figures.shifts_filled,
        fill_rate: rate(figures.shifts_filled, figures.shifts),
        no_show_rate: rate(figures.no_shows, figures.places_due),
        uncovered_warmline_hours: hours_of(figures.uncovered_warmline_by_week.iter().map(|t| t.minutes).sum()),
        credentials_expired: figures.credentials_expired,
        credentials_expiring: figures.credentials_expiring,
    }
}

const AGE_BANDS: [(&str, i32); 7] = [
    ("Under 18", 0),
    ("18 to 24", 18),
    ("25 to 34", 25),
    ("35 to 44", 35),
    ("45 to 54", 45),
    ("55 to 64", 55),
    ("65 and over", 65),
];

/// Age bands and languages of the people served, from what any of each person's records gives.
fn who(desk: &Desk, identities: &Identities, served: &HashSet<String>, on: NaiveDate) -> Result<WhoSection> {
    let records: Vec<&str> = served.iter().flat_map(|person| identities.records(person)).collect();
    let mut given: HashMap<String, (Option<i32>, Option<String>)> = HashMap::new();
    let mut statement = desk.conn().prepare_cached(
        "SELECT id, birth_year, NULLIF(TRIM(preferred_language), '') FROM people
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut rows = statement.query([serde_json::to_string(&records).expect("ids serialise")])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let entry = given.entry(identities.of(&id).to_owned()).or_default();
        entry.0 = entry.0.or(row.get(1)?);
        entry.1 = entry.1.take().or(row.get(2)?);
    }
    let mut bands = vec![0u32; AGE_BANDS.len() + 1];
    // Languages as typed at several desks ("spanish", "Spanish "): one row each, the first spelling.
    let mut languages: Vec<(String, String, u32)> = Vec::new();
    let mut not_given = 0;
    for person in served {
        let (birth_year, language) = given.get(person).cloned().unwrap_or_default();
        let band = match birth_year {
            Some(year) => AGE_BANDS.iter().rposition(|(_, from)| on.year() - year >= *from).unwrap_or(0),
            None => AGE_BANDS.len(),
        };
        bands[band] += 1;
        match language {
            None => not_given += 1,
            Some(language) => {
                let key = language.to_lowercase();
                match languages.iter_mut().find(|(k, _, _)| *k == key) {
                    Some(row) => row.2 += 1,
                    None => languages.push((key, language, 1)),
                }
            }
        }
    }
    languages.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    Ok(WhoSection {
        age_bands: AGE_BANDS
            .iter()
            .map(|(band, _)| *band)
            .chain([NOT_GIVEN])
            .zip(bands)
            .map(|(band, people)| BandRow { band: band.to_owned(), people })
            .collect(),
        languages: languages
            .into_iter()
            .map(|(_, language, people)| LanguageRow { language, people })
            .chain([LanguageRow { language: NOT_GIVEN.to_owned(), people: not_given }])
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::attendance::{mark, AttendanceState};
    use crate::groups::sessions;
    use crate::people::{self, register, PersonInput};
    use crate::same_person;
    use crate::testkit::{desk_at, smart_recovery, tuesdays, OPERATOR};
    use crate::visits;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn person(desk: &mut Desk, name: &str, birth_year: Option<i32>, language: Option<&str>) -> String {
        let input = PersonInput {
            display_name: name.into(),
            birth_year,
            preferred_language: language.map(Into::into),
            ..Default::default()
        };
        register(desk, &OPERATOR, &input).unwrap().id
    }

    #[test]
    fn a_person_is_counted_once_across_programs_and_linked_records_until_unlinked() {
        // Tuesday 24 November 2026, 8 pm in Chicago: the group met at 6.
        let mut desk = desk_at("2026-11-25T02:00:00Z");
        groups::create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-11-03"))).unwrap();
        let tonight = sessions::between(&desk, &OPERATOR, day("2026-11-24"), day("2026-11-24")).unwrap();
        let ann = person(&mut desk, "Ann B", Some(1990), Some("Spanish"));
        let ann_again = person(&mut desk, "Ann Bee", None, Some("spanish "));
        let cal = person(&mut desk, "Cal D", Some(2010), None);
        visits::check_in(&mut desk, &OPERATOR, &ann, &[]).unwrap();
        mark(&mut desk, &OPERATOR, &tonight[0].id, &ann, AttendanceState::Present).unwrap();
        mark(&mut desk, &OPERATOR, &tonight[0].id, &ann_again, AttendanceState::Present).unwrap();
        visits::check_in(&mut desk, &OPERATOR, &cal, &[]).unwrap();
        visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        let month = |desk: &Desk| report(desk, &OPERATOR, day("2026-11-01"), day("2026-11-24")).unwrap();

        let apart = month(&desk);
        assert_eq!(apart.people_served_unduplicated, 3, "Ann visited and came to the group: once; Ann Bee; Cal");
        // Marked present without being checked in, Ann Bee is checked in by the roster.
        assert_eq!((apart.visits.total, apart.visits.unduplicated_people, apart.visits.anonymous), (4, 3, 1));
        assert_eq!((apart.groups.unduplicated_people, apart.groups.first_time_attendees), (2, 2));
        assert_eq!(apart.anonymous_contacts.visits, 1, "anonymous contacts stand beside, never inside");

        same_person::link(&mut desk, &OPERATOR, &ann, &ann_again).unwrap();
        let linked = month(&desk);
        assert_eq!((linked.people_served_unduplicated, linked.visits.unduplicated_people), (2, 2));
        assert_eq!(linked.groups.unduplicated_people, 1);
        assert_eq!(linked.groups.by_group[0].unduplicated_people, 1, "each group's figures count people too");
        assert_eq!(linked.groups.attendance, 2, "attendance is marks, not people");
        let bands: Vec<(&str, u32)> = linked.who.age_bands.iter().map(|b| (b.band.as_str(), b.people)).collect();
        assert!(bands.contains(&("35 to 44", 1)) && bands.contains(&("Under 18", 1)), "{bands:?}");
        assert!(bands.contains(&(NOT_GIVEN, 0)), "'not given' is always a row");
        let languages: Vec<(&str, u32)> =
            linked.who.languages.iter().map(|l| (l.language.as_str(), l.people)).collect();
        assert_eq!(languages, [("Spanish", 1), (NOT_GIVEN, 1)]);

        same_person::keep_apart(&mut desk, &OPERATOR, &ann, &ann_again).unwrap();
        assert_eq!(month(&desk).people_served_unduplicated, 3, "unlinked, counted twice again");

        people::forget(&mut desk, &OPERATOR, &cal).unwrap();
        let after = month(&desk);
        assert_eq!(
            (after.people_served_unduplicated, after.visits.unduplicated_people),
            (3, 3),
            "a forgotten person still counts"
        );
    }

    #[test]
    fn visits_count_on_the_centers_day_across_the_clocks_going_back_and_against_the_previous_period() {
        // Chicago's clocks go back at 2 am on Sunday 1 November 2026: that day is 25 hours long.
        let mut desk = desk_at("2026-10-30T15:00:00Z");
        let dan = person(&mut desk, "Dan R", None, None);
        visits::check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap();
        let at = |desk: &mut crate::testkit::TestDesk, when: &str| {
            let now = desk.now().0;
            desk.clock.advance(chrono::DateTime::parse_from_rfc3339(when).unwrap().to_utc() - now);
            visits::check_in_anonymous(desk, &OPERATOR, &[]).unwrap();
        };
        at(&mut desk, "2026-11-01T04:30:00Z"); // 23:30 on 31 October (CDT)
        at(&mut desk, "2026-11-01T05:30:00Z"); // 00:30 on 1 November (CDT)
        at(&mut desk, "2026-11-02T05:30:00Z"); // 23:30 on 1 November (CST)
        at(&mut desk, "2026-11-02T06:30:00Z"); // 00:30 on 2 November
        desk.clock.advance(Duration::days(1));
        let first = report(&desk, &OPERATOR, day("2026-11-01"), day("2026-11-01")).unwrap();
        assert_eq!(first.visits.total, 2);
        assert_eq!(
            first.visits.by_hour_of_week.iter().find(|h| h.day == "Sunday" && h.hour == "23").unwrap().visits,
            1
        );
        let both = compare(&desk, &OPERATOR, day("2026-11-01"), day("2026-11-02")).unwrap();
        assert_eq!(both.previous.period, Period { from: day("2026-10-30"), to: day("2026-10-31") });
        assert_eq!((both.current.visits.total, both.previous.visits.total), (3, 2));
        assert_eq!(
            (both.current.visits.new_people, both.previous.visits.new_people),
            (0, 1),
            "Dan first came in October"
        );
    }

    #[test]
    fn an_empty_desk_reports_nothing_without_dividing_by_zero() {
        let desk = desk_at("2026-11-25T02:00:00Z");
        let empty = report(&desk, &OPERATOR, day("2026-01-01"), day("2026-11-24")).unwrap();
        assert_eq!((empty.visits.total, empty.people_served_unduplicated), (0, 0));
        assert_eq!(
            (empty.groups.average_per_session, empty.volunteers.fill_rate, empty.warmline.average_support_minutes),
            (None, None, None)
        );
        assert_eq!(empty.visits.trend.len(), 11, "a month each from January");
        assert_eq!(empty.visits.by_hour_of_week.len(), 168);
    }
}
