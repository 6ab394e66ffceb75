//! Property: however the hub's log reaches them (pages duplicated, reordered, dropped and
//! retried; pushes retried), desks that have all synced hold identical data.

use chrono::Duration;
use porchlight_core::groups::attendance::{self, AttendanceState};
use porchlight_core::groups::{self, sessions, GroupInput, Repeat, Schedule, Weekday};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::sync::{Op, PulledChange, SyncError};
use porchlight_core::volunteers::credentials::{self, CredentialInput};
use porchlight_core::volunteers::{self, assignments, shifts, templates, VolunteerInput};
use porchlight_core::warmline::calls::{self, CallInput, Outcome};
use porchlight_core::warmline::{callers, retention, HANG_UP, PEER_SUPPORT};
use porchlight_core::{accounts, front_desk, hub_link, same_person, services, settings, sync, visits, Timestamp};
use porchlight_protocol::Hlc;
use porchlight_testkit::{morning_line, MemoryHub, TestDesk, OPERATOR};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Register {
        desk: usize,
        name: u8,
    },
    Edit {
        desk: usize,
        pick: usize,
        field: u8,
        value: u8,
    },
    CheckIn {
        desk: usize,
        pick: usize,
        service: u8,
    },
    CheckOut {
        desk: usize,
        pick: usize,
    },
    Undo {
        desk: usize,
        pick: usize,
    },
    RenameService {
        desk: usize,
        pick: usize,
        name: u8,
    },
    RenameCenter {
        desk: usize,
        name: u8,
    },
    /// A group meeting every day, so its sessions are open on every desk that has heard of it.
    CreateGroup {
        desk: usize,
        name: u8,
    },
    /// One person's mark on one of this week's sessions, as a facilitator takes it.
    Mark {
        desk: usize,
        session: usize,
        person: usize,
        state: u8,
    },
    Headcount {
        desk: usize,
        session: usize,
        count: u8,
    },
    /// A warmline caller, by an alias another desk may also give out while apart.
    NewCaller {
        desk: usize,
        alias: u8,
    },
    LogCall {
        desk: usize,
        caller: usize,
        topic: u8,
        kind: u8,
    },
    EditCall {
        desk: usize,
        pick: usize,
        value: u8,
    },
    WhatHelps {
        desk: usize,
        caller: usize,
        value: u8,
    },
    /// A person becomes a volunteer (on two desks at once, one record), with the credentials
    /// the roles ask for.
    MakeVolunteer {
        desk: usize,
        person: usize,
        roles: u8,
    },
    /// Two records linked as one person, or kept apart: two desks may decide one pair differently.
    SamePerson {
        desk: usize,
        person: usize,
        other: usize,
        same: bool,
    },
    /// A template of weekday shifts from this week on.
    PublishShifts {
        desk: usize,
        hour: u8,
    },
    /// A volunteer on one of this week's shifts: two desks may fill its last place while apart.
    Assign {
        desk: usize,
        shift: usize,
        volunteer: usize,
    },
    /// Drop, clock in, clock out, mark a no-show, or swap a held shift.
    ChangeAssignment {
        desk: usize,
        pick: usize,
        how: u8,
    },
    /// A hundred days pass (at every desk: one clock far ahead of the others is another
    /// question, see sync_merge) and one desk's retention sweep runs.
    Sweep {
        desk: usize,
    },
    /// Push pending changes; `retry` pushes the same batch again before acknowledging.
    Push {
        desk: usize,
        retry: bool,
    },
    /// Deliver one page of the hub's log, possibly mangled.
    Deliver {
        desk: usize,
        limit: usize,
        delivery: Delivery,
    },
    Wait {
        desk: usize,
        millis: u16,
    },
    /// The hub, or a desk without the center's key, puts a change of its own making into the
    /// log: one of the held changes replayed, turned into a delete, claimed by another desk, or
    /// given another record's sealed values.
    Forge {
        pick: usize,
        how: u8,
    },
}

#[derive(Debug, Clone, Copy)]
enum Delivery {
    InOrder,
    Reversed,
    Twice,
    /// Lost on the way: the cursor does not move and the page comes again later.
    Dropped,
}

fn step(desks: usize) -> impl Strategy<Value = Step> {
    let desk = 0..desks;
    prop_oneof![
        3 => (desk.clone(), any::<u8>()).prop_map(|(desk, name)| Step::Register { desk, name }),
        3 => (desk.clone(), any::<usize>(), 0..4u8, any::<u8>()).prop_map(|(desk, pick, field, value)| Step::Edit { desk, pick, field, value }),
        3 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, pick, service)| Step::CheckIn { desk, pick, service }),
        2 => (desk.clone(), any::<usize>()).prop_map(|(desk, pick)| Step::CheckOut { desk, pick }),
        1 => (desk.clone(), any::<usize>()).prop_map(|(desk, pick)| Step::Undo { desk, pick }),
        1 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, pick, name)| Step::RenameService { desk, pick, name }),
        1 => (desk.clone(), any::<u8>()).prop_map(|(desk, name)| Step::RenameCenter { desk, name }),
        1 => (desk.clone(), any::<u8>()).prop_map(|(desk, name)| Step::CreateGroup { desk, name }),
        3 => (desk.clone(), any::<usize>(), any::<usize>(), 0..3u8).prop_map(|(desk, session, person, state)| Step::Mark { desk, session, person, state }),
        1 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, session, count)| Step::Headcount { desk, session, count }),
        1 => (desk.clone(), any::<u8>()).prop_map(|(desk, alias)| Step::NewCaller { desk, alias }),
        3 => (desk.clone(), any::<usize>(), any::<u8>(), any::<u8>()).prop_map(|(desk, caller, topic, kind)| Step::LogCall { desk, caller, topic, kind }),
        2 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, pick, value)| Step::EditCall { desk, pick, value }),
        1 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, caller, value)| Step::WhatHelps { desk, caller, value }),
        1 => desk.clone().prop_map(|desk| Step::Sweep { desk }),
        2 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, person, roles)| Step::MakeVolunteer { desk, person, roles }),
        1 => (desk.clone(), any::<u8>()).prop_map(|(desk, hour)| Step::PublishShifts { desk, hour }),
        2 => (desk.clone(), any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(desk, person, other, same)| Step::SamePerson { desk, person, other, same }),
        3 => (desk.clone(), any::<usize>(), any::<usize>()).prop_map(|(desk, shift, volunteer)| Step::Assign { desk, shift, volunteer }),
        2 => (desk.clone(), any::<usize>(), any::<u8>()).prop_map(|(desk, pick, how)| Step::ChangeAssignment { desk, pick, how }),
        3 => (desk.clone(), any::<bool>()).prop_map(|(desk, retry)| Step::Push { desk, retry }),
        4 => (desk.clone(), 1..6usize, prop_oneof![Just(Delivery::InOrder), Just(Delivery::Reversed), Just(Delivery::Twice), Just(Delivery::Dropped)])
            .prop_map(|(desk, limit, delivery)| Step::Deliver { desk, limit, delivery }),
        2 => (desk, any::<u16>()).prop_map(|(desk, millis)| Step::Wait { desk, millis: millis % 3000 }),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(pick, how)| Step::Forge { pick, how }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (3..=5usize).prop_flat_map(|desks| (Just(desks), prop::collection::vec(step(desks), 10..80)))
}

fn device_id(index: usize) -> String {
    format!("01934f2a-0000-7000-8000-0000000000{index:02}")
}

fn pick<T: Clone>(items: &[T], pick: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[pick % items.len()].clone())
}

fn warmline_callers(desk: &porchlight_core::Desk) -> Vec<String> {
    let mut ids: Vec<String> = "aeiou"
        .chars()
        .flat_map(|letter| callers::find(desk, &OPERATOR, &letter.to_string(), 1_000).unwrap())
        .map(|caller| caller.id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn warmline_calls(desk: &porchlight_core::Desk) -> Vec<String> {
    let day = |text: &str| text.parse().unwrap();
    let mut ids: Vec<String> = calls::between(desk, &OPERATOR, day("2026-01-01"), day("2028-12-31"))
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    ids
}

fn run(desks: &mut [TestDesk], hub: &mut MemoryHub, taker: &str, step: &Step) {
    let names = ["Ana", "Ben", "Cruz", "Dee", "Eli", "Fay"];
    match *step {
        Step::Register { desk, name } => {
            let input =
                PersonInput { display_name: format!("{} {}", names[name as usize % 6], name), ..Default::default() };
            people::register(&mut desks[desk].desk, &OPERATOR, &input).unwrap();
        }
        Step::Edit { desk, pick: which, field, value } => {
            let d = &mut desks[desk].desk;
            let ids: Vec<String> =
                front_desk::search(d, &OPERATOR, "", 1000).unwrap().into_iter().map(|p| p.id).collect();
            let all = all_people(d);
            let Some(id) = pick(&all, which).or_else(|| pick(&ids, which)) else { return };
            let person = people::get(d, &OPERATOR, &id).unwrap();
            let mut input = PersonInput {
                display_name: person.display_name,
                alias: person.alias,
                phone: person.phone,
                email: person.email,
                birth_year: person.birth_year,
                pronouns: person.pronouns,
                preferred_language: person.preferred_language,
                contact_consent: person.contact_consent,
            };
            match field {
                0 => input.display_name = format!("{} {value}", names[value as usize % 6]),
                1 => input.alias = Some(format!("alias {value}")),
                2 => input.phone = Some(format!("555-555-0{value:03}")),
                _ => input.contact_consent = value % 2 == 0,
            }
            people::update(d, &OPERATOR, &id, &input).unwrap();
        }
        Step::CheckIn { desk, pick: which, service } => {
            let d = &mut desks[desk].desk;
            let catalog = services::list(d, &OPERATOR, false).unwrap();
            let service = vec![catalog[service as usize % catalog.len()].id.clone()];
            match pick(&all_people(d), which) {
                Some(id) if which % 4 != 0 => {
                    let _ = visits::check_in(d, &OPERATOR, &id, &service); // already here: refused, fine
                }
                _ => {
                    visits::check_in_anonymous(d, &OPERATOR, &service).unwrap();
                }
            }
        }
        Step::CheckOut { desk, pick: which } => {
            let d = &mut desks[desk].desk;
            if let Some(visit) = pick(&visits::here_now(d, &OPERATOR).unwrap(), which) {
                visits::check_out(d, &OPERATOR, &visit.visit_id).unwrap();
            }
        }
        Step::Undo { desk, pick: which } => {
            let d = &mut desks[desk].desk;
            if let Some(visit) = pick(&visits::here_now(d, &OPERATOR).unwrap(), which) {
                visits::undo_check_in(d, &OPERATOR, &visit.visit_id).unwrap();
            }
        }
        Step::RenameService { desk, pick: which, name } => {
            let d = &mut desks[desk].desk;
            let service = pick(&services::list(d, &OPERATOR, true).unwrap(), which).unwrap();
            let _ = services::rename(d, &OPERATOR, &service.id, &format!("Service {name}"));
            // a taken name is refused
        }
        Step::RenameCenter { desk, name } => {
            let d = &mut desks[desk].desk;
            let input =
                settings::Settings { center_name: format!("Center {name}"), time_zone: "America/Chicago".into() };
            settings::update(d, &OPERATOR, &input).unwrap();
        }
        Step::CreateGroup { desk, name } => {
            let every_day = Schedule {
                repeat: Repeat::Weekly,
                weekdays: vec![Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday],
                every_weeks: 1,
                weeks_of_month: vec![1],
                starts_on: "2026-11-20".parse().unwrap(),
                ends_on: Some("2026-12-31".parse().unwrap()),
                start_time: "18:00".into(),
                duration_minutes: 60,
                skipped: Vec::new(),
            };
            let input = GroupInput { name: format!("Group {}", name % 4), ..Default::default() };
            // A name this desk already has is refused, fine.
            let _ = groups::create(&mut desks[desk].desk, &OPERATOR, &input, Some(&every_day));
        }
        Step::Mark { desk, session, person, state } => {
            let d = &mut desks[desk].desk;
            let (Some(on), Some(person)) = (pick(&this_weeks_sessions(d), session), pick(&all_people(d), person))
            else {
                return;
            };
            let state =
                [AttendanceState::Present, AttendanceState::Absent, AttendanceState::NotRecorded][state as usize];
            attendance::mark(d, &OPERATOR, &on.id, &person, state).unwrap();
        }
        Step::Headcount { desk, session, count } => {
            let d = &mut desks[desk].desk;
            if let Some(on) = pick(&this_weeks_sessions(d), session) {
                attendance::set_headcount(d, &OPERATOR, &on.id, Some(u32::from(count % 20))).unwrap();
            }
        }
        Step::NewCaller { desk, alias } => {
            // An alias this desk already has is refused, fine.
            let _ =
                callers::add(&mut desks[desk].desk, &OPERATOR, &format!("{} {}", names[alias as usize % 6], alias % 8));
        }
        Step::LogCall { desk, caller, topic, kind } => {
            let d = &mut desks[desk].desk;
            let started = Timestamp(d.now().0 - Duration::minutes(10));
            let call_type = [PEER_SUPPORT, HANG_UP][kind as usize % 2];
            let input = CallInput {
                caller_id: pick(&warmline_callers(d), caller).filter(|_| kind % 3 != 0),
                taken_by: Some(taker.to_owned()),
                topic_ids: vec![format!("01933b00-0000-7000-8002-{:012x}", topic % 12 + 1)],
                notes: Some(format!("Call notes {topic}")),
                ..CallInput::of_type(call_type, started)
            };
            calls::log(d, &OPERATOR, &input).unwrap();
        }
        Step::EditCall { desk, pick: which, value } => {
            let d = &mut desks[desk].desk;
            let Some(id) = pick(&warmline_calls(d), which) else { return };
            let call = calls::get(d, &OPERATOR, &id).unwrap();
            let input = CallInput {
                caller_id: call.summary.caller_id.clone(),
                topic_ids: vec![format!("01933b00-0000-7000-8002-{:012x}", value % 12 + 1)],
                outcome: Some(Outcome::ALL[value as usize % 3]),
                notes: Some(format!("Edited {value}")),
                ..CallInput::of_type(&call.summary.call_type_id, call.summary.started_at)
            };
            calls::update(d, &OPERATOR, &id, &input).unwrap();
        }
        Step::WhatHelps { desk, caller, value } => {
            let d = &mut desks[desk].desk;
            if let Some(id) = pick(&warmline_callers(d), caller) {
                callers::write_what_helps(d, &OPERATOR, &id, Some(&format!("Helps {value}"))).unwrap();
            }
        }
        Step::SamePerson { desk, person, other, same } => {
            let d = &mut desks[desk].desk;
            let people = all_people(d);
            let (Some(person), Some(other)) = (pick(&people, person), pick(&people, other)) else { return };
            if person != other {
                let decided = if same {
                    same_person::link(d, &OPERATOR, &person, &other)
                } else {
                    same_person::keep_apart(d, &OPERATOR, &person, &other)
                };
                decided.unwrap();
            }
        }
        Step::MakeVolunteer { desk, person, roles } => {
            let d = &mut desks[desk].desk;
            let Some(person) = pick(&all_people(d), person) else { return };
            let role_ids = match roles % 3 {
                0 => vec![volunteers::WARMLINE_ROLE.to_owned()],
                1 => vec![volunteers::FRONT_DESK_ROLE.to_owned()],
                _ => vec![volunteers::WARMLINE_ROLE.to_owned(), volunteers::FRONT_DESK_ROLE.to_owned()],
            };
            let input = VolunteerInput { role_ids, ..Default::default() };
            if volunteers::save(d, &OPERATOR, &person, &input).is_err() {
                return; // a forgotten person, fine
            }
            let issued_on = d.today().unwrap() - Duration::days(30);
            for kind in
                [volunteers::WARMLINE_TRAINING, volunteers::BACKGROUND_CHECK, volunteers::CONFIDENTIALITY_TRAINING]
            {
                let input = CredentialInput {
                    kind_id: kind.into(),
                    issued_on,
                    expires_on: Some(issued_on + Duration::days(365 + roles as i64)),
                };
                credentials::add(d, &OPERATOR, &person, &input).unwrap();
            }
        }
        Step::PublishShifts { desk, hour } => {
            let d = &mut desks[desk].desk;
            let mut line = morning_line(&d.today().unwrap().to_string());
            line.name = format!("Line {}", hour % 4);
            line.schedule.start_time = format!("{:02}:00", 8 + hour % 8);
            line.end_time = format!("{:02}:00", 10 + hour % 8);
            line.schedule.ends_on = Some(d.today().unwrap() + Duration::days(20));
            if hour % 2 == 0 {
                line.role_id = volunteers::FRONT_DESK_ROLE.into();
            }
            templates::create(d, &OPERATOR, &line).unwrap();
        }
        Step::Assign { desk, shift, volunteer } => {
            let d = &mut desks[desk].desk;
            let (Some(shift), Some(volunteer)) =
                (pick(&this_weeks_shifts(d), shift), pick(&all_volunteers(d), volunteer))
            else {
                return;
            };
            // Refused for a reason it names (full, overlapping, not in the role): fine.
            let _ = assignments::assign(d, &OPERATOR, &shift.id, &volunteer);
        }
        Step::ChangeAssignment { desk, pick: which, how } => {
            let d = &mut desks[desk].desk;
            let held: Vec<String> =
                this_weeks_shifts(d).iter().flat_map(|s| s.holders.iter().map(|h| h.assignment_id.clone())).collect();
            let Some(id) = pick(&held, which) else { return };
            // Refused for a reason it names (not started, not clocked in): fine.
            let _ = match how % 5 {
                0 => assignments::drop_shift(d, &OPERATOR, &id),
                1 => assignments::clock_in(d, &OPERATOR, &id),
                2 => assignments::clock_out(d, &OPERATOR, &id),
                3 => assignments::mark_no_show(d, &OPERATOR, &id, "No word"),
                _ => match pick(&all_volunteers(d), which / 7) {
                    Some(to) => assignments::swap(d, &OPERATOR, &id, &to),
                    None => return,
                },
            };
        }
        Step::Sweep { desk } => {
            for each in desks.iter() {
                each.clock.advance(Duration::days(100));
            }
            retention::sweep(&mut desks[desk].desk).unwrap();
        }
        Step::Push { desk, retry } => {
            let d = &mut desks[desk];
            let batch = sync::pending_changes(&d.desk, 7).unwrap();
            hub.push(&d.device_id, &batch);
            if retry {
                assert_eq!(hub.push(&d.device_id, &batch), 0, "a retried push stores nothing twice");
            }
            sync::acknowledge(&mut d.desk, &batch).unwrap();
        }
        Step::Deliver { desk, limit, delivery } => {
            let d = &mut desks[desk];
            let (mut page, next) = hub.page(d.cursor, limit);
            match delivery {
                Delivery::Dropped => return,
                Delivery::Reversed => page.reverse(),
                Delivery::InOrder | Delivery::Twice => {}
            }
            sync::apply_pulled(&mut d.desk, &page, next).unwrap();
            if let Delivery::Twice = delivery {
                sync::apply_pulled(&mut d.desk, &page, next).unwrap();
            }
            d.cursor = next;
        }
        Step::Wait { desk, millis } => desks[desk].clock.advance(Duration::milliseconds(millis as i64)),
        Step::Forge { pick: which, how } => {
            let (Some(held), Some(other)) = (pick(&hub.log, which), pick(&hub.log, which / 7)) else { return };
            let stamp: Hlc = held.hlc.parse().unwrap();
            let mut forged = PulledChange {
                seq: hub.log.len() as u64 + 1,
                change_id: porchlight_core::new_id(),
                hlc: Hlc::new(stamp.millis, stamp.counter.saturating_add(1)).to_string(),
                ..held.clone()
            };
            match how % 4 {
                0 => {
                    forged.op = Op::Delete;
                    forged.fields.clear();
                }
                1 => {}
                2 => forged.device_id = device_id((how as usize / 4) % desks.len()),
                _ => forged.fields = other.fields.clone(),
            }
            hub.log.push(forged);
        }
    }
}

/// The sessions of the last seven days, today's included: attendance is taken on the day or after.
fn this_weeks_sessions(desk: &porchlight_core::Desk) -> Vec<sessions::GroupSession> {
    let today = desk.today().unwrap();
    sessions::between(desk, &OPERATOR, today - Duration::days(6), today).unwrap()
}

fn this_weeks_shifts(desk: &porchlight_core::Desk) -> Vec<volunteers::shifts::Shift> {
    let today = desk.today().unwrap();
    shifts::between(desk, &OPERATOR, today, today + Duration::days(7)).unwrap()
}

fn all_volunteers(desk: &porchlight_core::Desk) -> Vec<String> {
    volunteers::list(desk, &OPERATOR).unwrap().into_iter().map(|v| v.id).collect()
}

fn all_people(desk: &porchlight_core::Desk) -> Vec<String> {
    let mut ids: Vec<String> =
        front_desk::search(desk, &OPERATOR, "", 10_000).unwrap().into_iter().map(|p| p.id).collect();
    if ids.is_empty() {
        for letter in ["a", "b", "c", "d", "e", "f"] {
            ids.extend(front_desk::search(desk, &OPERATOR, letter, 10_000).unwrap().into_iter().map(|p| p.id));
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn desks_converge_however_changes_travel((count, steps) in scenario()) {
        let mut hub = MemoryHub::default();
        let mut desks: Vec<TestDesk> =
            (0..count).map(|i| TestDesk::new(&device_id(i), "2026-11-23T15:00:00Z")).collect();
        // Sealing on: every desk holds the center's key, and the hub relays only sealed values.
        let key = sync::seal::CenterKey::generate();
        for desk in desks.iter_mut() {
            sync::hold_center_key(&mut desk.desk, &key).unwrap();
        }
        // The warmline volunteer who takes every call, known to every desk before they start.
        let kim = accounts::AccountInput { name: "Kim W.".into(), roles: vec![porchlight_core::access::Role::Warmline], pin: "2468".into(), ..Default::default() };
        let taker = accounts::create(&mut desks[0].desk, &OPERATOR, &kim).unwrap().id;
        hub.push_all(&mut desks[0]);
        for desk in desks.iter_mut() {
            hub.pull_all(desk);
        }
        for step in &steps {
            run(&mut desks, &mut hub, &taker, step);
        }
        for desk in desks.iter_mut() {
            hub.push_all(desk);
        }
        for desk in desks.iter_mut() {
            hub.pull_all(desk);
        }
        let first = desks[0].contents();
        prop_assert!(!first.iter().any(|row| row.starts_with("\"parked\"")), "nothing left waiting: {first:#?}");
        let readable = hub.log.iter().flat_map(|change| change.fields.values())
            .filter(|value| !value.as_str().is_some_and(sync::seal::is_sealed))
            .count();
        prop_assert_eq!(readable, 0, "the hub holds only sealed values");
        for desk in &desks[1..] {
            prop_assert_eq!(&desk.contents(), &first);
        }
        // Nothing the hub made up was applied: each desk kept aside every forged change but
        // those claiming to be its own (which it never applies again).
        let forged: Vec<&PulledChange> =
            hub.log.iter().filter(|change| sync::seal::open_change(std::slice::from_ref(&key), change).is_err()).collect();
        for desk in &desks {
            let status = sync::status(&desk.desk).unwrap();
            prop_assert_eq!(status.pending_changes, 0);
            let not_its_own = forged.iter().filter(|change| change.device_id != desk.device_id).count() as u64;
            prop_assert_eq!(status.unopened_changes, not_its_own);
        }
    }
}

/// What happens to one desk's clock, or the hub's, in [`desks_converge_whatever_their_clocks_say`].
#[derive(Debug, Clone)]
enum ClockStep {
    /// One person's phone, as a desk edits it.
    Edit {
        desk: usize,
        value: u8,
    },
    RenameCenter {
        desk: usize,
        name: u8,
    },
    CheckIn {
        desk: usize,
    },
    /// The desk's computer clock moves by this many seconds (or to the year 2000: `None`).
    Jump {
        desk: usize,
        by: Option<i64>,
    },
    /// Someone sets the desk's computer clock right.
    PutRight {
        desk: usize,
    },
    /// The hub's clock moves, or is set right (`0`).
    HubClock {
        off_by: i64,
    },
    /// The desk learns the hub's time, sends unless its time is in doubt, and takes in all.
    Sync {
        desk: usize,
    },
    AcceptHubTime {
        desk: usize,
    },
    TrustComputerClock {
        desk: usize,
    },
    /// Time passes everywhere.
    Wait {
        seconds: u16,
    },
}

const YEAR: i64 = 365 * 24 * 3600;
const JUMPS: &[Option<i64>] =
    &[Some(4 * 60), Some(2 * 3600), Some(YEAR), Some(-2 * 3600), Some(-3 * 24 * 3600), Some(-YEAR), None];

fn clock_step(desks: usize) -> impl Strategy<Value = ClockStep> {
    let desk = 0..desks;
    prop_oneof![
        4 => (desk.clone(), any::<u8>()).prop_map(|(desk, value)| ClockStep::Edit { desk, value }),
        2 => (desk.clone(), any::<u8>()).prop_map(|(desk, name)| ClockStep::RenameCenter { desk, name }),
        2 => desk.clone().prop_map(|desk| ClockStep::CheckIn { desk }),
        2 => (desk.clone(), prop::sample::select(JUMPS)).prop_map(|(desk, by)| ClockStep::Jump { desk, by }),
        2 => desk.clone().prop_map(|desk| ClockStep::PutRight { desk }),
        1 => prop::sample::select(&[0, 0, 20 * 60, 6 * 3600, YEAR, -YEAR][..]).prop_map(|off_by| ClockStep::HubClock { off_by }),
        5 => desk.clone().prop_map(|desk| ClockStep::Sync { desk }),
        1 => desk.clone().prop_map(|desk| ClockStep::AcceptHubTime { desk }),
        1 => desk.clone().prop_map(|desk| ClockStep::TrustComputerClock { desk }),
        2 => (1..600u16).prop_map(|seconds| ClockStep::Wait { seconds }),
    ]
}

/// The desks of a clock scenario: each desk's computer clock is the real time moved by its
/// own error, and so is the hub's.
struct Clocks {
    real: Timestamp,
    desk_off_by: Vec<Duration>,
    hub_off_by: Duration,
}

impl Clocks {
    fn set(&mut self, desk: &TestDesk, index: usize, off_by: Duration) {
        desk.clock.advance(off_by - self.desk_off_by[index]);
        self.desk_off_by[index] = off_by;
    }

    fn hub_time(&self) -> Timestamp {
        Timestamp(self.real.0 + self.hub_off_by)
    }
}

/// An edit refused because the desk's time is in doubt is the only refusal a clock may cause.
fn unless_clock_in_doubt<T>(result: Result<T, porchlight_core::Error>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(
            porchlight_core::Error::Sync(SyncError::ClockInDoubt { .. })
            | porchlight_core::Error::Sync(SyncError::ClockWrong { .. }),
        ) => None,
        Err(other) => panic!("refused for another reason: {other}"),
    }
}

fn phone_of(desk: &mut TestDesk, id: &str) -> Option<String> {
    people::get(&mut desk.desk, &OPERATOR, id).unwrap().phone
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Desks whose clocks, and the hub's, run ahead, fall back, reset to the year 2000 and are
    /// put right, hold the same values once all have synced, date no visit by a time in doubt,
    /// and the next edit made anywhere after that wins everywhere.
    #[test]
    fn desks_converge_whatever_their_clocks_say(
        (count, steps) in (2..=4usize).prop_flat_map(|desks| (Just(desks), prop::collection::vec(clock_step(desks), 5..60)))
    ) {
        let start = "2026-11-23T15:00:00Z";
        let mut hub = MemoryHub::default();
        let mut desks: Vec<TestDesk> = (0..count).map(|i| TestDesk::new(&device_id(i), start)).collect();
        let mut clocks = Clocks { real: Timestamp::parse(start).unwrap(), desk_off_by: vec![Duration::zero(); count], hub_off_by: Duration::zero() };
        let dan = people::register(&mut desks[0].desk, &OPERATOR, &PersonInput { display_name: "Dan R.".into(), ..Default::default() }).unwrap().id;
        for desk in desks.iter_mut() {
            hub.sync_at(desk, clocks.hub_time());
        }
        let mut visits_made = Vec::new();
        for step in &steps {
            match *step {
                ClockStep::Edit { desk, value } => {
                    let input = PersonInput { display_name: "Dan R.".into(), phone: Some(format!("555-555-0{value:03}")), ..Default::default() };
                    unless_clock_in_doubt(people::update(&mut desks[desk].desk, &OPERATOR, &dan, &input));
                }
                ClockStep::RenameCenter { desk, name } => {
                    let input = settings::Settings { center_name: format!("Center {name}"), time_zone: "America/Chicago".into() };
                    unless_clock_in_doubt(settings::update(&mut desks[desk].desk, &OPERATOR, &input));
                }
                ClockStep::CheckIn { desk } => {
                    if let Some(visit) = unless_clock_in_doubt(visits::check_in_anonymous(&mut desks[desk].desk, &OPERATOR, &[])) {
                        visits_made.push((visit.checked_in_at, clocks.real));
                    }
                }
                ClockStep::Jump { desk, by } => {
                    let off_by = match by {
                        Some(seconds) => clocks.desk_off_by[desk] + Duration::seconds(seconds),
                        None => Timestamp::parse("2000-01-01T00:00:00Z").unwrap().0 - clocks.real.0,
                    };
                    clocks.set(&desks[desk], desk, off_by);
                }
                ClockStep::PutRight { desk } => clocks.set(&desks[desk], desk, Duration::zero()),
                ClockStep::HubClock { off_by } => clocks.hub_off_by = Duration::seconds(off_by),
                ClockStep::Sync { desk } => hub.sync_at(&mut desks[desk], clocks.hub_time()),
                ClockStep::AcceptHubTime { desk } => {
                    hub_link::accept_hub_time(&mut desks[desk].desk, &OPERATOR).unwrap();
                }
                ClockStep::TrustComputerClock { desk } => {
                    hub_link::trust_computer_clock(&mut desks[desk].desk, &OPERATOR).unwrap();
                }
                ClockStep::Wait { seconds } => {
                    clocks.real = Timestamp(clocks.real.0 + Duration::seconds(seconds.into()));
                    for desk in &desks {
                        desk.clock.advance(Duration::seconds(seconds.into()));
                    }
                }
            }
        }
        // No visit is dated by a clock that cannot be right: none before Porchlight was made.
        for (dated, real) in &visits_made {
            prop_assert!(dated.0.format("%Y").to_string().as_str() >= "2024", "dated {dated}, really {real}");
        }

        // Every clock is put right, and every desk syncs twice.
        for (index, desk) in desks.iter().enumerate().take(count) {
            clocks.set(desk, index, Duration::zero());
        }
        clocks.hub_off_by = Duration::zero();
        for _ in 0..2 {
            for desk in desks.iter_mut() {
                hub.sync_at(desk, clocks.hub_time());
                let status = sync::status(&desk.desk).unwrap();
                prop_assert_eq!(status.clock_in_doubt, None);
                prop_assert_eq!(status.clock_wrong, None);
            }
        }
        let first = desks[0].contents();
        for desk in &desks[1..] {
            prop_assert_eq!(&desk.contents(), &first);
        }
        // The next edit, at the last desk, wins everywhere, whatever stamps came before it.
        clocks.real = Timestamp(clocks.real.0 + Duration::seconds(1));
        for desk in &desks {
            desk.clock.advance(Duration::seconds(1));
        }
        let last = count - 1;
        let input = PersonInput { display_name: "Dan R.".into(), phone: Some("555-555-0999".into()), ..Default::default() };
        people::update(&mut desks[last].desk, &OPERATOR, &dan, &input).unwrap();
        for desk in desks.iter_mut().rev() {
            hub.sync_at(desk, clocks.hub_time());
        }
        for desk in desks.iter_mut() {
            prop_assert_eq!(phone_of(desk, &dan), Some("555-555-0999".to_owned()));
        }
    }
}
