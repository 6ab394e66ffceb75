//! A clearly fictional demo center, for exploring Porchlight and for the benchmarks.
//! Seeded, so the same size always gives the same center.

use chrono::{Duration, TimeZone};
use rusqlite::params;

use crate::access::{self, Action, Role, Session};
use crate::accounts::{self, AccountInput};
use crate::front_desk;
use crate::groups::attendance::{self, AttendanceState};
use crate::groups::{self, sessions, AttendanceMode, Category, GroupInput, Repeat, Schedule, Weekday};
use crate::people::{self, PersonInput};
use crate::volunteers::{self, templates::TemplateInput};
use crate::warmline::calls::{self, CallInput, Outcome};
use crate::warmline::follow_ups::FollowUpInput;
use crate::{new_id, services, settings, visits, Desk, Error, Result, Timestamp};

pub const DEMO_CENTER_NAME: &str = "Lantern House (fictional demo)";

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub people: usize,
    pub visits: usize,
    /// Visits and group sessions are spread over this many days before today.
    pub days: i64,
    /// Groups meeting over those days and the next weeks, with their attendance.
    pub groups: usize,
    /// The warmline: calls over `call_days` before now, from this many repeat callers (and
    /// anonymous ones), referring to a directory of this many resources.
    pub calls: usize,
    pub call_days: i64,
    pub callers: usize,
    pub resources: usize,
    /// Volunteers (drawn from the people), on this many shift templates with shifts over
    /// `shift_days` before today and the next four weeks.
    pub volunteers: usize,
    pub shift_templates: usize,
    pub shift_days: i64,
}

impl Size {
    /// A small center's last four months, and six months of its warmline: what `porchlight demo` seeds.
    pub const SMALL: Size = Size {
        people: 400,
        visits: 6_000,
        days: 120,
        groups: 8,
        calls: 1_500,
        call_days: 183,
        callers: 120,
        resources: 40,
        volunteers: 40,
        shift_templates: 8,
        shift_days: 120,
    };
    /// Ten years of a large center and five of a busy warmline: what the benchmarks measure.
    pub const LARGE: Size = Size {
        people: 20_000,
        visits: 300_000,
        days: 3_650,
        groups: 60,
        calls: 60_000,
        call_days: 1_826,
        callers: 3_000,
        resources: 400,
        volunteers: 300,
        shift_templates: 40,
        shift_days: 1_095,
    };
    /// Nothing at all, for a size that names only what it needs: `Size { people: 50, ..Size::EMPTY }`.
    pub const EMPTY: Size = Size {
        people: 0,
        visits: 0,
        days: 0,
        groups: 0,
        calls: 0,
        call_days: 0,
        callers: 0,
        resources: 0,
        volunteers: 0,
        shift_templates: 0,
        shift_days: 0,
    };
}

const FIRST_NAMES: &[&str] = &[
    "Alex", "Ana", "Andre", "Ari", "Bea", "Ben", "Carla", "Cam", "Dana", "Dan", "Deshawn", "Eli", "Elena", "Emeka",
    "Fatima", "Finn", "Grace", "Gus", "Hana", "Hector", "Iris", "Isaac", "Jada", "José", "Jordan", "Kai", "Keisha",
    "Lena", "Luis", "Maria", "Marcus", "Mei", "Nadia", "Noah", "Omar", "Pat", "Priya", "Quinn", "Rosa", "Ray", "Renée",
    "Sam", "Sofia", "Tariq", "Tess", "Uma", "Vic", "Wes", "Xavi", "Yara", "Zoë", "Chloé", "Björn", "Siobhan", "Tomás",
];
const ALIASES: &[&str] = &["Sunny", "Doc", "Red", "Moose", "Birdie", "Coach", "Smiley", "Ace", "Sparrow", "Tex"];
const LANGUAGES: &[&str] = &["English", "Spanish", "Vietnamese", "Somali", "Haitian Creole"];

/// Fills an empty desk with fictional people and visits. Refuses a desk that has people.
pub fn seed(desk: &mut Desk, session: &Session, size: Size) -> Result<()> {
    access::authorize(desk, session, Action::MakeDemo)?;
    let has_people: bool = desk.conn().query_row("SELECT EXISTS (SELECT 1 FROM people)", [], |r| r.get(0))?;
    if has_people {
        return Err(Error::DemoNeedsEmptyDesk);
    }
    let time_zone = settings::get(desk)?.time_zone;
    settings::update(desk, session, &settings::Settings { center_name: DEMO_CENTER_NAME.into(), time_zone })?;
    let zone = desk.zone()?;
    let today = desk.today()?;
    let catalog: Vec<String> = services::list(desk, session, false)?.into_iter().map(|s| s.id).collect();
    let mut rng = fastrand::Rng::with_seed(size.people as u64 * 31 + size.visits as u64);

    let person_ids = desk.write(|tx, now| {
        // Everyone registered before the history begins, as a real center's people were.
        let registered = Timestamp(now.0 - Duration::days(size.days + 1));
        let mut person_ids = Vec::with_capacity(size.people);
        for n in 0..size.people {
            let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
            // Fictional numbers (555-0100 to 555-0199) in many area codes: a few households share one.
            let area = 200 + (n * 7919) % 800;
            let initial = (b'A' + rng.u8(..26)) as char;
            let input = PersonInput {
                display_name: format!("{first} {initial}."),
                alias: rng.bool().then(|| ALIASES[rng.usize(..ALIASES.len())].to_owned()).filter(|_| rng.u8(..4) == 0),
                phone: (rng.u8(..3) == 0).then(|| format!("{area}-555-01{:02}", rng.u8(..100))),
                email: None,
                birth_year: (rng.u8(..2) == 0).then(|| rng.i32(1950..2006)),
                pronouns: None,
                preferred_language: (rng.u8(..5) == 0).then(|| LANGUAGES[rng.usize(..LANGUAGES.len())].to_owned()),
                contact_consent: rng.bool(),
            };
            person_ids.push(people::insert(tx, registered, &input, None)?.id);
        }

        let mut history = Vec::with_capacity(size.visits);
        for _ in 0..size.visits {
            let day = today - Duration::days(rng.i64(1..=size.days));
            let opening = day.and_hms_opt(9, 0, 0).expect("9 am exists");
            let local = opening + Duration::minutes(rng.i64(0..8 * 60));
            let Some(checked_in) = zone.from_local_datetime(&local).earliest() else { continue };
            let checked_in = Timestamp(checked_in.to_utc());
            // A few regulars come most days; most people come now and then.
            let person = match rng.u8(..100) {
                0..15 => None,
                15..55 => Some(&person_ids[rng.usize(..person_ids.len().div_ceil(10))]),
                _ => Some(&person_ids[rng.usize(..person_ids.len())]),
            };
            let used: Vec<String> =
                (0..rng.usize(1..=2)).map(|_| catalog[rng.usize(..catalog.len())].clone()).collect();
            let checked_out = Timestamp(checked_in.0 + Duration::minutes(rng.i64(15..180)));
            history.push((checked_in, person, used, checked_out));
        }
        // Stored in the order they happened, as a desk that kept them day by day holds them:
        // a period's visits then sit together in the file, as they would at a real center.
        history.sort_by_key(|(checked_in, ..)| *checked_in);
        for (checked_in, person, used, checked_out) in history {
            let visit = visits::insert(tx, checked_in, person.map(String::as_str), &used)?;
            visits::close_at(tx, &visit.id, checked_out)?;
        }
        Ok(person_ids)
    })?;
    seed_groups(desk, session, size, &person_ids, &mut rng)?;
    let takers = seed_warmline(desk, session, size, &mut rng)?;
    seed_volunteers(desk, session, size, &person_ids, &takers, &mut rng)?;

    // A few people in the building right now, so the front desk does not open empty.
    for person in front_desk::search(desk, session, "a", 3)? {
        visits::check_in(desk, session, &person.id, &catalog[..1])?;
    }
    Ok(())
}

/// The demo's facilitators, whom anyone exploring the demo can sign in as.
pub const DEMO_FACILITATORS: &[(&str, &str)] = &[("Jordan K.", "3907"), ("Sam T.", "5172"), ("Priya N.", "6284")];

struct DemoGroup {
    name: &'static str,
    category: Category,
    mode: AttendanceMode,
    room: &'static str,
    capacity: Option<u32>,
    repeat: Repeat,
    weekdays: &'static [Weekday],
    every_weeks: u16,
    start_time: &'static str,
    minutes: u32,
}

#[rustfmt::skip]
const DEMO_GROUPS: &[DemoGroup] = {
    use AttendanceMode::*;
    use Category::*;
    use Weekday::*;
    const WEEKLY: Repeat = Repeat::Weekly;
    &[
        DemoGroup { name: "SMART Recovery", category: MutualHelp, mode: Named, room: "Room B", capacity: None, repeat: WEEKLY, weekdays: &[Tuesday], every_weeks: 1, start_time: "18:00", minutes: 90 },
        DemoGroup { name: "All Recovery Meeting", category: MutualHelp, mode: Headcount, room: "Main room", capacity: None, repeat: WEEKLY, weekdays: &[Monday, Wednesday, Friday], every_weeks: 1, start_time: "12:00", minutes: 60 },
        DemoGroup { name: "Family Support Circle", category: FamilySupport, mode: Named, room: "Room A", capacity: Some(12), repeat: WEEKLY, weekdays: &[Thursday], every_weeks: 2, start_time: "18:30", minutes: 90 },
        DemoGroup { name: "Budgeting Basics", category: Class, mode: Named, room: "Classroom", capacity: Some(12), repeat: Repeat::Monthly, weekdays: &[Saturday], every_weeks: 1, start_time: "10:00", minutes: 120 },
        DemoGroup { name: "Stress Reduction and Mindfulness", category: Class, mode: Named, room: "Room A", capacity: Some(15), repeat: WEEKLY, weekdays: &[Wednesday], every_weeks: 1, start_time: "16:00", minutes: 60 },
        DemoGroup { name: "Job-Search Skills", category: Class, mode: Named, room: "Computer lab", capacity: Some(10), repeat: WEEKLY, weekdays: &[Monday], every_weeks: 1, start_time: "10:00", minutes: 90 },
        DemoGroup { name: "Recovery Dharma", category: MutualHelp, mode: Headcount, room: "Room B", capacity: None, repeat: WEEKLY, weekdays: &[Sunday], every_weeks: 1, start_time: "17:00", minutes: 75 },
        DemoGroup { name: "Women's Recovery Circle", category: MutualHelp, mode: Named, room: "Room A", capacity: None, repeat: WEEKLY, weekdays: &[Saturday], every_weeks: 1, start_time: "13:00", minutes: 90 },
    ]
};

/// Groups of every kind over the history and the next weeks: attendance with regulars and
/// walk-ins, headcounts, a cancelled session and a substitute facilitator.
fn seed_groups(
    desk: &mut Desk,
    session: &Session,
    size: Size,
    person_ids: &[String],
    rng: &mut fastrand::Rng,
) -> Result<()> {
    if size.groups == 0 || person_ids.is_empty() {
        return Ok(());
    }
    let mut facilitators = Vec::new();
    for (name, pin) in DEMO_FACILITATORS {
        let input = AccountInput {
            name: (*name).into(),
            roles: vec![Role::Facilitator],
            pin: (*pin).into(),
            ..Default::default()
        };
        facilitators.push(accounts::create(desk, session, &input)?.id);
    }
    let today = desk.today()?;
    let starts_on = today - Duration::days(size.days);
    let mut group_ids = Vec::new();
    for n in 0..size.groups {
        let kind = &DEMO_GROUPS[n % DEMO_GROUPS.len()];
        let round = n / DEMO_GROUPS.len();
        let name = if round == 0 { kind.name.to_owned() } else { format!("{} {}", kind.name, round + 1) };
        let input = GroupInput {
            name,
            description: None,
            category: Some(kind.category),
            attendance_mode: Some(kind.mode),
            room: Some(kind.room.into()),
            capacity: kind.capacity,
            service_id: None,
            facilitator_ids: vec![facilitators[n % facilitators.len()].clone()],
        };
        let schedule = Schedule {
            repeat: kind.repeat,
            weekdays: kind.weekdays.to_vec(),
            every_weeks: kind.every_weeks,
            weeks_of_month: vec![1],
            starts_on,
            ends_on: None,
            start_time: kind.start_time.into(),
            duration_minutes: kind.minutes,
            skipped: Vec::new(),
        };
        group_ids.push(groups::create(desk, session, &input, Some(&schedule))?.id);
    }

    let past = sessions::between_in(desk, None, starts_on, today, None)?;
    let now = desk.now();
    // A few regulars at each group, drawn from the people who come most; walk-ins from anyone.
    let regulars: Vec<Vec<&String>> = group_ids
        .iter()
        .map(|_| (0..25).map(|_| &person_ids[rng.usize(..person_ids.len().div_ceil(5))]).collect())
        .collect();
    desk.write(|tx, _| {
        for on in past.iter().filter(|on| on.starts_at < now) {
            let group = group_ids.iter().position(|id| *id == on.group_id).unwrap_or_default();
            sessions::materialize(tx, &on.id)?;
            let marked_at = on.ends_at;
            if on.attendance_mode == AttendanceMode::Headcount {
                tx.execute(
                    "UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1",
                    params![on.id, rng.u32(4..16)],
                )?;
                continue;
            }
            for person in &regulars[group] {
                match rng.u8(..100) {
                    0..65 => attendance::insert_history(tx, on, person, AttendanceState::Present, marked_at)?,
                    65..80 => attendance::insert_history(tx, on, person, AttendanceState::Absent, marked_at)?,
                    _ => {}
                }
            }
            if rng.u8(..10) < 3 {
                let walk_in = &person_ids[rng.usize(..person_ids.len())];
                attendance::insert_history(tx, on, walk_in, AttendanceState::Present, marked_at)?;
            }
            if rng.u8(..10) < 3 {
                tx.execute(
                    "UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1",
                    params![on.id, rng.u32(1..4)],
                )?;
            }
        }
        Ok(())
    })?;

    // SMART Recovery: one session did not meet three weeks ago, and one is cancelled ahead;
    // the Family Support Circle's next session has a substitute.
    let smart =
        sessions::of_group(desk, session, &group_ids[0], today - Duration::days(21), today + Duration::days(28))?;
    if let (Some(missed), Some(ahead)) = (smart.first(), smart.iter().rev().nth(1)) {
        let (missed, ahead) = (missed.id.clone(), ahead.id.clone());
        sessions::cancel(desk, session, &missed, "Facilitator ill")?;
        sessions::cancel(desk, session, &ahead, "Center closed for the holiday")?;
    }
    if let Some(family) = group_ids.get(2) {
        let next = sessions::of_group(desk, session, family, today, today + Duration::days(28))?;
        if let Some(next) = next.first() {
            sessions::set_substitute(desk, session, &next.id, Some(&facilitators[0]))?;
        }
    }
    Ok(())
}

/// The demo's warmline volunteers and coordinator, whom anyone exploring the demo can sign in as.
pub const DEMO_WARMLINE: &[(&str, &str, Role)] = &[
    ("Casey L.", "4719", Role::Warmline),
    ("Morgan D.", "8352", Role::Warmline),
    ("Avery S.", "2964", Role::Coordinator),
];

const CALLER_ALIASES: &[&str] = &[
    "Birdie", "Sunny", "Moose", "Sparrow", "Tex", "Lucky", "Ziggy", "Pepper", "Dusty", "Rain", "Scout", "Willow",
    "Jazz", "Nova", "Bear", "Cricket", "Indigo", "Robin", "Sky", "Maple",
];
const RESOURCE_KINDS: &[(&str, &str)] = &[
    ("Food", "Food Pantry"),
    ("Housing", "Housing Help Desk"),
    ("Mental health", "Counseling Center"),
    ("Employment", "Job Center"),
    ("Legal", "Legal Aid Clinic"),
    ("Transportation", "Ride Line"),
    ("Treatment", "Recovery Clinic"),
    ("Family", "Family Resource Center"),
];
const PLACES: &[&str] =
    &["Eastside", "Riverside", "North End", "Harbor", "Hillcrest", "Old Town", "Westgate", "Maple Park"];
const CALL_NOTES: &[&str] = &[
    "Feeling isolated since moving; talked about the Tuesday meeting.",
    "Cravings after a hard day at work. Walked through the urge-surfing tool.",
    "Worried about a family member's drinking. Shared the family support circle.",
    "Lost housing voucher paperwork; gave 2-1-1 and the housing desk.",
    "Wanted someone to listen. Long pause, then talked about their dog.",
    "Asked about treatment options without insurance.",
    "Six months sober today and wanted to share it.",
    "Grief around the holidays; talked about what helped last year.",
];
const WHAT_HELPS: &[&str] = &[
    "Asking about their garden first.",
    "Letting silences sit; they come back to it.",
    "Short calls: they prefer to call again rather than stay on long.",
    "Talking through the next small step, not the whole week.",
];

/// The warmline's history: calls of every type and outcome from repeat and anonymous callers,
/// referrals, follow-ups done and open, "what helps" and flags, and a few records on legal
/// hold, so retention has both something to erase and something to keep.
/// The warmline volunteers' accounts, who take the calls, are returned.
fn seed_warmline(desk: &mut Desk, session: &Session, size: Size, rng: &mut fastrand::Rng) -> Result<Vec<String>> {
    if size.calls == 0 && size.callers == 0 && size.resources == 0 {
        return Ok(Vec::new());
    }
    let mut takers = Vec::new();
    for (name, pin, role) in DEMO_WARMLINE {
        let input = AccountInput { name: (*name).into(), roles: vec![*role], pin: (*pin).into(), ..Default::default() };
        let account = accounts::create(desk, session, &input)?;
        takers.push(access::Actor { account_id: Some(account.id), name: account.name, roles: vec![*role] });
    }
    let catalog = crate::warmline::catalog_in(desk.conn(), false)?;
    let (support, non_data): (Vec<_>, Vec<_>) =
        catalog.call_types.iter().partition(|t| t.kind == crate::warmline::CallKind::Support);
    let zone = desk.zone()?;
    let now = desk.now();
    let today = desk.today()?;
    desk.write(|tx, _| {
        let started = Timestamp(now.0 - Duration::days(size.call_days + 1));
        let mut resource_ids: Vec<String> = (1..=4).map(|n| format!("01933b00-0000-7000-8003-{n:012x}")).collect();
        for n in 0..size.resources {
            let (category, kind) = RESOURCE_KINDS[n % RESOURCE_KINDS.len()];
            let place = PLACES[(n / RESOURCE_KINDS.len()) % PLACES.len()];
            let round = n / (RESOURCE_KINDS.len() * PLACES.len());
            let name = if round == 0 { format!("{place} {kind}") } else { format!("{place} {kind} {}", round + 1) };
            let id = new_id();
            tx.prepare_cached(
                "INSERT INTO warmline_resources (id, name, category, phone, hours, created_at, retired_at)
                 VALUES (?1, ?2, ?3, ?4, 'Mon-Fri 9-5', ?5, ?6)",
            )?
            .execute(params![id, name, category, format!("555-01{:02}", n % 100), started, (n % 25 == 24).then_some(now)])?;
            if n % 25 != 24 {
                resource_ids.push(id);
            }
        }
        let mut caller_ids = Vec::with_capacity(size.callers);
        for n in 0..size.callers {
            let alias = CALLER_ALIASES[n % CALLER_ALIASES.len()];
            let round = n / CALLER_ALIASES.len();
            let alias = if round == 0 { alias.to_owned() } else { format!("{alias} {}", round + 1) };
            let id = new_id();
            tx.prepare_cached("INSERT INTO warmline_callers (id, alias, created_at) VALUES (?1, ?2, ?3)")?
                .execute(params![id, alias, started])?;
            if n % 5 == 0 {
                tx.prepare_cached(
                    "INSERT INTO warmline_caller_notes (id, caller_id, text, written_at, written_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    new_id(),
                    id,
                    WHAT_HELPS[n % WHAT_HELPS.len()],
                    Timestamp(now.0 - Duration::days(rng.i64(1..=size.call_days.max(1)))),
                    takers[0].account_id
                ])?;
            }
            if n % 17 == 3 {
                tx.prepare_cached(
                    "INSERT INTO warmline_caller_flags (id, caller_id, text, until, created_at, created_by)
                     VALUES (?1, ?2, 'Keep calls to 15 minutes', ?3, ?4, ?5)",
                )?
                .execute(params![new_id(), id, (today + Duration::days(30)).to_string(), now, takers[2].account_id])?;
            }
            caller_ids.push(id);
        }

        let topics: Vec<&str> = catalog.topics.iter().map(|t| t.id.as_str()).collect();
        // Logged in the order they were taken, as a real line's are (so their ids follow time).
        let mut starts: Vec<Timestamp> = (0..size.calls)
            .filter_map(|_| {
                let day = today - Duration::days(rng.i64(0..size.call_days.max(1)));
                // Busiest in the evening, when other help is closed.
                let hour = [9, 10, 11, 13, 14, 15, 16, 17, 18, 18, 19, 19, 20, 20, 21, 21, 22, 23][rng.usize(..18)];
                let local = day.and_hms_opt(hour, rng.u32(..60), 0).expect("a time of day");
                let start = Timestamp(zone.from_local_datetime(&local).earliest()?.to_utc());
                (start.0 <= now.0 - Duration::hours(1)).then_some(start)
            })
            .collect();
        starts.sort();
        for (n, start) in starts.into_iter().enumerate() {
            let taker = &takers[rng.usize(..2)];
            let call = if rng.u8(..100) < 22 {
                let kind = &non_data[rng.usize(..non_data.len())];
                let ended_at = Timestamp(start.0 + Duration::seconds(rng.i64(5..90)));
                CallInput { ended_at: Some(ended_at), ..CallInput::of_type(&kind.id, start) }
            } else {
                let kind = if rng.u8(..10) < 8 { &support[0] } else { &support[support.len() - 1] };
                let ended_at = Timestamp(start.0 + Duration::minutes(rng.i64(3..45)));
                let outcome = match rng.u8(..100) {
                    0..55 => Outcome::SupportiveListening,
                    55..82 => Outcome::InformationOrReferral,
                    82..96 => Outcome::FollowUpRequested,
                    96..99 => Outcome::TransferredToCrisisLine,
                    _ => Outcome::EmergencyServices,
                };
                let follow_up = (outcome == Outcome::FollowUpRequested).then(|| FollowUpInput {
                    due_at: Timestamp(ended_at.0 + Duration::hours(rng.i64(2..48))),
                    request: Some("Call back to check in".into()),
                    callback_number: Some(format!("555-02{:02}", rng.u8(..100))),
                });
                CallInput {
                    caller_id: match rng.u8(..10) {
                        0..4 => None,
                        // A few regulars call most; most callers now and then.
                        4..7 => caller_ids.get(rng.usize(..caller_ids.len().div_ceil(20).max(1))).cloned(),
                        _ => caller_ids.get(rng.usize(..caller_ids.len().max(1))).cloned(),
                    },
                    ended_at: Some(ended_at),
                    topic_ids: (0..rng.usize(1..=3)).map(|_| topics[rng.usize(..topics.len())].to_owned()).collect(),
                    resource_ids: if outcome == Outcome::InformationOrReferral || rng.u8(..4) == 0 {
                        (0..rng.usize(1..=2)).map(|_| resource_ids[rng.usize(..resource_ids.len())].clone()).collect()
                    } else {
                        Vec::new()
                    },
                    outcome: Some(outcome),
                    escalated: outcome.escalates(),
                    escalation_reason: outcome.escalates().then(|| "Spoke of not wanting to be here; warm transfer".into()),
                    notes: Some(CALL_NOTES[n % CALL_NOTES.len()].into()),
                    follow_up,
                    ..CallInput::of_type(&kind.id, start)
                }
            };
            let logged_at = call.ended_at.unwrap_or(start);
            let id = calls::insert(tx, logged_at, taker, &call)?;
            // Follow-ups asked for more than a day ago were made.
            if call.follow_up.is_some() && logged_at.0 < now.0 - Duration::days(2) {
                tx.prepare_cached(
                    "UPDATE warmline_follow_ups SET completed_at = due_at, completed_by = ?2,
                         completion_note = 'Reached them; doing better' WHERE call_id = ?1",
                )?
                .execute(params![id, taker.account_id])?;
            }
            if n % 400 == 7 {
                tx.prepare_cached("UPDATE warmline_calls SET held_reason = 'Records request 2026-114', held_at = ?2 WHERE id = ?1")?
                    .execute(params![id, now])?;
            }
        }
        if let Some(held) = caller_ids.get(1) {
            tx.execute(
                "UPDATE warmline_callers SET held_reason = 'Court order 26-CV-0412', held_at = ?2 WHERE id = ?1",
                params![held, now],
            )?;
        }
        Ok(takers[..2].iter().filter_map(|taker| taker.account_id.clone()).collect())
    })
}

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
fn seed_volunteers(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;

    #[test]
    fn the_demo_center_is_fictional_and_filled() {
        let mut desk = desk_at("2026-11-23T18:00:00Z");
        seed(&mut desk, &OPERATOR, Size { people: 50, visits: 400, days: 30, groups: 8, ..Size::SMALL }).unwrap();
        assert_eq!(settings::get(&desk).unwrap().center_name, DEMO_CENTER_NAME);
        let people: i64 = desk.conn().query_row("SELECT COUNT(*) FROM people", [], |r| r.get(0)).unwrap();
        let visits: i64 = desk.conn().query_row("SELECT COUNT(*) FROM visits", [], |r| r.get(0)).unwrap();
        assert_eq!(people, 52, "50, and Casey and Morgan, who volunteer on the line");
        assert!(visits >= 400, "{visits}");
        assert!(!crate::visits::here_now(&desk, &OPERATOR).unwrap().is_empty());
        let found = front_desk::search(&desk, &OPERATOR, "a", 20).unwrap();
        let seen: Vec<_> = found.iter().filter(|m| m.here_since.is_none()).map(|m| m.last_visit_at).collect();
        assert!(seen.windows(2).all(|pair| pair[0] >= pair[1]), "search ranks by last visit: {seen:?}");
        assert!(matches!(seed(&mut desk, &OPERATOR, Size::SMALL), Err(Error::DemoNeedsEmptyDesk)));

        let count = |sql: &str| desk.conn().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM center_groups"), 8);
        assert_eq!(count("SELECT COUNT(*) FROM center_groups WHERE attendance_mode = 'headcount'"), 2);
        assert!(count("SELECT COUNT(*) FROM attendance WHERE state = 'present'") > 100);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE cancelled = 1"), 2);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE substitute_id IS NOT NULL"), 1);
        let ahead = groups::sessions::upcoming(&desk, &OPERATOR).unwrap();
        assert!(ahead.len() > 8, "the next week's sessions: {}", ahead.len());
        assert!(accounts::needs_first_run(&desk).unwrap(), "the demo's facilitators are no admin");

        assert_eq!(count("SELECT COUNT(*) FROM volunteers"), 40);
        assert_eq!(count("SELECT COUNT(*) FROM shift_templates"), 8);
        let alerts = volunteers::credentials::alerts(&desk, &OPERATOR).unwrap();
        let expired = alerts.iter().filter(|a| a.standing == volunteers::credentials::Standing::Expired).count();
        assert_eq!(expired, 1, "one volunteer's background check ran out: {alerts:?}");
        assert!(count("SELECT COUNT(*) FROM shift_assignments WHERE no_show = 1") > 5);
        assert!(count("SELECT COUNT(*) FROM shift_assignments WHERE clocked_out_at IS NOT NULL") > 20);
        let gaps = volunteers::shifts::gaps(&desk, &OPERATOR).unwrap();
        assert!(gaps.iter().any(|g| g.warmline), "warmline gaps ahead");
        let week = volunteers::shifts::between(
            &desk,
            &OPERATOR,
            desk.today().unwrap(),
            desk.today().unwrap() + Duration::days(6),
        )
        .unwrap();
        assert!(
            week.iter().filter(|s| !s.coverage.is_gap()).count() > week.len() / 2,
            "most shifts this week are held"
        );
        let kinds = count("SELECT COUNT(DISTINCT call_type_id) FROM warmline_calls");
        assert_eq!(kinds, 7, "every call type");
        assert_eq!(count("SELECT COUNT(DISTINCT outcome) FROM warmline_calls"), 5, "every outcome");
        assert!(count("SELECT COUNT(*) FROM warmline_calls") > 1_400);
        assert!(count("SELECT COUNT(*) FROM warmline_calls WHERE held_at IS NOT NULL") >= 3);
        assert!(count("SELECT COUNT(*) FROM warmline_follow_ups WHERE completed_at IS NULL") > 0);
        let old_notes = "SELECT COUNT(*) FROM warmline_calls WHERE notes IS NOT NULL AND started_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-90 days')";
        let erasable = desk
            .conn()
            .query_row(&old_notes.replace("'now'", "'2026-11-23T18:00:00Z'"), [], |r| r.get::<_, i64>(0))
            .unwrap();
        assert!(erasable > 300, "retention has old notes to erase: {erasable}");
    }
}
