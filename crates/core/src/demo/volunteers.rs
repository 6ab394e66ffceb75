//! The demo center's volunteers: roles, shift templates, shifts filled and hours worked.

use chrono::Duration;
use rusqlite::params;

use crate::access::Session;
use crate::accounts::{self};
use crate::groups::{Repeat, Schedule, Weekday};
use crate::people::{self, PersonInput};
use crate::volunteers::{self, templates::TemplateInput};
use crate::{new_id, Desk, Result, Timestamp};

use super::{Size, DEMO_WARMLINE};

struct DemoTemplate {
    name: &'static str,
    role_id: &'static str,
    weekdays: &'static [Weekday],
    start_time: &'static str,
    end_time: &'static str,
    needed: (u32, u32),
}

#[rustfmt::skip]
const DEMO_TEMPLATES: &[DemoTemplate] = {
    use volunteers::{DRIVER_ROLE, FACILITATION_ROLE, FRONT_DESK_ROLE, WARMLINE_ROLE};
    use Weekday::*;
    const WEEKDAYS: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];
    const EVERY_DAY: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday];
    &[
        DemoTemplate { name: "Warmline evenings", role_id: WARMLINE_ROLE, weekdays: EVERY_DAY, start_time: "18:00", end_time: "22:00", needed: (1, 2) },
        DemoTemplate { name: "Warmline days", role_id: WARMLINE_ROLE, weekdays: WEEKDAYS, start_time: "10:00", end_time: "14:00", needed: (1, 2) },
        DemoTemplate { name: "Front desk mornings", role_id: FRONT_DESK_ROLE, weekdays: WEEKDAYS, start_time: "09:00", end_time: "13:00", needed: (1, 3) },
        DemoTemplate { name: "Front desk afternoons", role_id: FRONT_DESK_ROLE, weekdays: WEEKDAYS, start_time: "13:00", end_time: "17:00", needed: (1, 3) },
        DemoTemplate { name: "Warmline weekends", role_id: WARMLINE_ROLE, weekdays: &[Saturday, Sunday], start_time: "12:00", end_time: "16:00", needed: (1, 2) },
        DemoTemplate { name: "Treatment rides", role_id: DRIVER_ROLE, weekdays: &[Tuesday, Thursday], start_time: "08:00", end_time: "12:00", needed: (1, 2) },
        DemoTemplate { name: "Facilitate SMART Recovery", role_id: FACILITATION_ROLE, weekdays: &[Tuesday], start_time: "17:45", end_time: "19:45", needed: (1, 2) },
        DemoTemplate { name: "Saturday front desk", role_id: FRONT_DESK_ROLE, weekdays: &[Saturday], start_time: "10:00", end_time: "14:00", needed: (1, 3) },
    ]
};

/// The demo's volunteers: front-desk people with roles and credentials (some expiring soon,
/// one expired), shift templates for every role, shifts over the history and the next four
/// weeks held, clocked, confirmed or missed, hours logged outside shifts, and gaps ahead,
/// warmline ones among them. Casey and Morgan, who take the demo's calls, are volunteers too.
pub(super) fn seed_volunteers(
    desk: &mut Desk,
    session: &Session,
    size: Size,
    person_ids: &[String],
    takers: &[String],
    rng: &mut fastrand::Rng,
) -> Result<()> {
    if size.volunteers == 0 || size.shift_templates == 0 || person_ids.is_empty() {
        return Ok(());
    }
    let today = desk.today()?;
    let starts_on = today - Duration::days(size.shift_days);
    for n in 0..size.shift_templates {
        let kind = &DEMO_TEMPLATES[n % DEMO_TEMPLATES.len()];
        let round = n / DEMO_TEMPLATES.len();
        // A center with forty templates runs them every day, with more hands on each.
        let (weekdays, needed) = if round == 0 {
            (kind.weekdays.to_vec(), kind.needed)
        } else {
            (<Weekday as strum::VariantArray>::VARIANTS.to_vec(), (kind.needed.0 + 1, kind.needed.1 + 1))
        };
        let input = TemplateInput {
            name: if round == 0 { kind.name.to_owned() } else { format!("{} {}", kind.name, round + 1) },
            role_id: kind.role_id.into(),
            schedule: Schedule {
                repeat: Repeat::Weekly,
                weekdays,
                every_weeks: 1,
                weeks_of_month: vec![1],
                starts_on,
                ends_on: None,
                start_time: kind.start_time.into(),
                duration_minutes: 0,
                skipped: Vec::new(),
            },
            end_time: kind.end_time.into(),
            needed_min: needed.0,
            needed_ideal: Some(needed.1),
            location: None,
        };
        volunteers::templates::create(desk, session, &input)?;
    }

    // Casey and Morgan take the demo's calls, so the calls they log count as their presence.
    let mut volunteer_ids: Vec<String> = Vec::new();
    for (account_id, (name, _, _)) in takers.iter().zip(DEMO_WARMLINE) {
        let person =
            people::register(desk, session, &PersonInput { display_name: (*name).into(), ..Default::default() })?;
        accounts::link_person(desk, session, account_id, Some(&person.id))?;
        volunteer_ids.push(person.id);
    }
    let mut step = person_ids.len() / size.volunteers.max(1);
    step = step.max(1);
    volunteer_ids
        .extend(person_ids.iter().step_by(step).take(size.volunteers.saturating_sub(volunteer_ids.len())).cloned());

    let roles = [
        volunteers::WARMLINE_ROLE,
        volunteers::FRONT_DESK_ROLE,
        volunteers::FACILITATION_ROLE,
        volunteers::DRIVER_ROLE,
    ];
    let catalog = volunteers::catalog_in(desk.conn())?;
    let zone = desk.zone()?;
    let now = desk.now();
    let first = starts_on - Duration::days(rng.i64(30..400));
    desk.write(|tx, at| {
        let mut fills: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
        for (n, id) in volunteer_ids.iter().enumerate() {
            // The line's own volunteers, and the third, whose background check has run out.
            let own: Vec<&str> = if n <= 2 {
                vec![volunteers::WARMLINE_ROLE]
            } else {
                let first_role = roles[rng.usize(..roles.len())];
                let mut own = vec![first_role];
                if rng.u8(..3) == 0 {
                    own.push(roles[(roles.iter().position(|r| *r == first_role).unwrap_or(0) + 1) % roles.len()]);
                }
                own
            };
            // Drivers say when they can drive: the rides' mornings.
            let availability = (own == [volunteers::DRIVER_ROLE]).then(|| {
                let windows: Vec<volunteers::Available> = [Weekday::Tuesday, Weekday::Thursday]
                    .into_iter()
                    .map(|weekday| volunteers::Available { weekday, from: "07:00".into(), to: "13:00".into() })
                    .collect();
                serde_json::to_string(&windows).expect("plain data")
            });
            let preference = ["phone", "text", "email", "in_person"][rng.usize(..4)];
            tx.prepare_cached(
                "INSERT INTO volunteers (id, started_on, contact_preference, availability, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, first, preference, availability, at])?;
            for role_id in &own {
                tx.prepare_cached("INSERT INTO volunteer_shift_roles (volunteer_id, role_id) VALUES (?1, ?2)")?
                    .execute(params![id, role_id])?;
                fills.entry(role_id).or_default().push(id);
            }
            // What their roles ask for, each renewed a year at a time; a few run out within a
            // month, and the third volunteer's background check ran out last week.
            let kinds: std::collections::BTreeSet<&String> = catalog
                .roles
                .iter()
                .filter(|role| own.contains(&role.id.as_str()))
                .flat_map(|role| &role.required_credential_ids)
                .collect();
            for kind in kinds {
                let expires_on = if n == 2 && kind == volunteers::BACKGROUND_CHECK {
                    today - Duration::days(6)
                } else if rng.u8(..20) == 0 {
                    today + Duration::days(rng.i64(3..28))
                } else {
                    today + Duration::days(rng.i64(40..700))
                };
                for years_back in (0..=(size.shift_days / 365 + 1)).rev() {
                    let expires = expires_on - Duration::days(365 * years_back);
                    tx.prepare_cached(
                        "INSERT INTO volunteer_credentials (id, volunteer_id, kind_id, issued_on, expires_on, recorded_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![new_id(), id, kind, expires - Duration::days(365), expires, at])?;
                }
            }
            if rng.u8(..4) == 0 {
                tx.prepare_cached(
                    "INSERT INTO volunteer_hours (id, volunteer_id, worked_on, minutes, what, logged_at)
                     VALUES (?1, ?2, ?3, ?4, 'Community outreach event', ?5)",
                )?
                .execute(params![new_id(), id, today - Duration::days(rng.i64(1..=size.shift_days.max(1))), 60 * rng.u32(1..=4), at])?;
            }
        }

        // Every shift from the start to four weeks ahead: the past mostly held, nearer weeks
        // less so, and some left open; warmline evenings ahead have gaps to show.
        let end = crate::clock::day_bounds(today + Duration::days(28), zone)?.1;
        let start = crate::clock::day_bounds(starts_on, zone)?.0;
        let all = volunteers::shifts::between_times(tx, start, end)?;
        let mut busy: std::collections::HashMap<(String, chrono::NaiveDate), Vec<(Timestamp, Timestamp)>> =
            std::collections::HashMap::new();
        for shift in all {
            let ahead = shift.starts_at > now;
            let open_chance = if ahead { if shift.warmline { 30 } else { 20 } } else { 6 };
            if rng.u8(..100) < open_chance {
                continue;
            }
            let Some(pool) = fills.get(shift.role_id.as_str()).filter(|pool| !pool.is_empty()) else { continue };
            let day = shift.starts_at.in_zone(zone).date_naive();
            let wanted = rng.u32(shift.needed_min..=shift.needed_ideal);
            let mut placed = 0;
            for _ in 0..wanted * 3 {
                if placed == wanted {
                    break;
                }
                let volunteer = pool[rng.usize(..pool.len())];
                if ahead && volunteer_ids.get(2).is_some_and(|expired| expired == volunteer) {
                    continue;
                }
                let taken = busy.entry((volunteer.to_owned(), day)).or_default();
                if taken.iter().any(|(s, e)| *s < shift.ends_at && *e > shift.starts_at) {
                    continue;
                }
                taken.push((shift.starts_at, shift.ends_at));
                volunteers::shifts::materialize(tx, &shift.id)?;
                let id = volunteers::assignments::assignment_id(&shift, volunteer);
                let assigned_at = Timestamp(shift.starts_at.0 - Duration::days(rng.i64(2..21)));
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO shift_assignments (id, shift_id, volunteer_id, state, came_by, assigned_at)
                     VALUES (?1, ?2, ?3, 'held', ?4, ?5)",
                )?
                .execute(params![id, shift.id, volunteer, if rng.bool() { "assigned" } else { "signed_up" }, assigned_at])?;
                placed += 1;
                if shift.ends_at > now {
                    continue;
                }
                match rng.u8(..100) {
                    0..5 => {
                        let why = ["No word from them", "Called in sick an hour before", "Car trouble"][rng.usize(..3)];
                        tx.prepare_cached("UPDATE shift_assignments SET no_show = 1, no_show_comment = ?2 WHERE id = ?1")?
                            .execute(params![id, why])?;
                    }
                    5..25 => {
                        let clocked_in = Timestamp(shift.starts_at.0 + Duration::minutes(rng.i64(-10..10)));
                        let clocked_out = Timestamp(shift.ends_at.0 + Duration::minutes(rng.i64(-15..20)));
                        tx.prepare_cached("UPDATE shift_assignments SET clocked_in_at = ?2, clocked_out_at = ?3 WHERE id = ?1")?
                            .execute(params![id, clocked_in, clocked_out])?;
                    }
                    _ => {
                        tx.prepare_cached("UPDATE shift_assignments SET confirmed_at = ?2 WHERE id = ?1")?
                            .execute(params![id, shift.ends_at])?;
                    }
                }
            }
        }
        Ok(())
    })
}
