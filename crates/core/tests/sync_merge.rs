//! How desks' changes meet: per-field last-writer-wins, tombstones, late arrivals, bad clocks.

use chrono::Duration;
use porchlight_core::access::{self, Action, Role};
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::audit::{self, AuditQuery};
use porchlight_core::consent::{self, ConsentKind};
use porchlight_core::people::{self, PeopleError, PersonInput};
use porchlight_core::sync::{self, HubConnection, Op, PulledChange, SyncError};
use porchlight_core::{front_desk, hub_link, services, settings, visits, Error, Timestamp};
use porchlight_testkit::{harbor_house, MemoryHub, TestDesk, ADMIN_PASSWORD, OPERATOR};

const FRONT: &str = "01934f2a-0000-7000-8000-00000000000a";
const GROUP_ROOM: &str = "01934f2a-0000-7000-8000-00000000000b";

/// The front desk and the group room, both enrolled with one hub, clocks at 15:00.
fn two_desks() -> (MemoryHub, TestDesk, TestDesk) {
    let front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    (MemoryHub::default(), front, TestDesk::new(GROUP_ROOM, "2026-11-23T15:00:00Z"))
}

/// Sam K., front desk, PIN 5827, added by `admin` at `desk`.
fn front_desk_volunteer(desk: &mut TestDesk, admin: &access::Session) -> accounts::Account {
    let sam =
        AccountInput { name: "Sam K.".into(), roles: vec![Role::FrontDesk], pin: "5827".into(), ..Default::default() };
    accounts::create(&mut desk.desk, admin, &sam).unwrap()
}

fn dan() -> PersonInput {
    PersonInput { display_name: "Dan R.".into(), ..Default::default() }
}

/// Dan's phone, as a desk edits it.
fn set_phone(desk: &mut TestDesk, id: &str, number: &str) {
    people::update(&mut desk.desk, &OPERATOR, id, &PersonInput { phone: Some(number.into()), ..dan() }).unwrap();
}

fn phone_of(desk: &mut TestDesk, id: &str) -> Option<String> {
    people::get(&mut desk.desk, &OPERATOR, id).unwrap().phone
}

#[test]
fn a_write_records_one_change_per_record_with_only_what_changed() {
    let mut desk = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let person = people::register(&mut desk.desk, &OPERATOR, &dan()).unwrap();
    let created = record_changes(&desk);
    assert_eq!(created.len(), 1);
    assert_eq!((created[0].entity.as_str(), created[0].op), ("person", Op::Upsert));
    assert_eq!(created[0].fields["display_name"], "Dan R.");
    assert!(created[0].fields.contains_key("member_code"));

    desk.clock.advance(Duration::minutes(1));
    let edited = PersonInput { phone: Some("555-555-0100".into()), ..dan() };
    people::update(&mut desk.desk, &OPERATOR, &person.id, &edited).unwrap();
    let service = services::list(&desk.desk, &OPERATOR, false).unwrap()[0].id.clone();
    let visit = visits::check_in(&mut desk.desk, &OPERATOR, &person.id, &[service.clone()]).unwrap();
    visits::undo_check_in(&mut desk.desk, &OPERATOR, &visit.id).unwrap();

    let changes = record_changes(&desk);
    assert_eq!(changes.len(), 4, "{changes:#?}");
    let mut edit_fields: Vec<&str> = changes[1].fields.keys().map(String::as_str).collect();
    edit_fields.sort();
    assert_eq!(edit_fields, ["phone", "updated_at"], "only the fields that changed travel");
    assert_eq!(
        (changes[2].entity.as_str(), changes[2].fields["service_ids"].clone()),
        ("visit", serde_json::json!([service]))
    );
    assert_eq!((changes[3].entity.as_str(), changes[3].op), ("visit", Op::Delete), "an undone check-in is a tombstone");
    let stamps: Vec<&str> = changes.iter().map(|c| c.hlc.as_str()).collect();
    assert!(stamps.windows(2).all(|pair| pair[0] < pair[1]), "stamps increase: {stamps:?}");
}

/// The desk's pending changes to people, visits and the rest, leaving out the audit entries
/// each operation also writes.
fn record_changes(desk: &TestDesk) -> Vec<sync::Change> {
    let pending = sync::pending_changes(&desk.desk, 100).unwrap();
    pending.into_iter().filter(|change| change.entity != "audit").collect()
}

#[test]
fn two_desks_see_each_others_people_and_visits() {
    let (mut hub, mut front, mut group_room) = two_desks();

    let ana = people::register(
        &mut front.desk,
        &OPERATOR,
        &PersonInput { display_name: "Ana M.".into(), ..Default::default() },
    )
    .unwrap();
    visits::check_in(&mut front.desk, &OPERATOR, &ana.id, &[]).unwrap();
    let ben = people::register(
        &mut group_room.desk,
        &OPERATOR,
        &PersonInput { display_name: "Ben T.".into(), ..Default::default() },
    )
    .unwrap();
    visits::check_in(&mut group_room.desk, &OPERATOR, &ben.id, &[]).unwrap();

    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);

    for desk in [&front, &group_room] {
        let here: Vec<String> =
            visits::here_now(&desk.desk, &OPERATOR).unwrap().into_iter().filter_map(|v| v.display_name).collect();
        assert_eq!(here.len(), 2, "{here:?}");
        assert_eq!(
            front_desk::search(&desk.desk, &OPERATOR, "ben", 5).unwrap()[0].id,
            ben.id,
            "synced people are searchable"
        );
    }
    assert_eq!(front.contents(), group_room.contents());
    assert_eq!(sync::status(&front.desk).unwrap().pending_changes, 0);
}

#[test]
fn edits_to_different_fields_of_one_person_both_survive() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);

    front.clock.advance(Duration::minutes(5));
    group_room.clock.advance(Duration::minutes(6));
    set_phone(&mut front, &person.id, "555-555-0100");
    let by_email = PersonInput { email: Some("dan@example.org".into()), ..dan() };
    people::update(&mut group_room.desk, &OPERATOR, &person.id, &by_email).unwrap();

    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    assert!(front.contents() == group_room.contents(), "both desks hold the same records");
    for desk in [&mut front, &mut group_room] {
        let merged = people::get(&mut desk.desk, &OPERATOR, &person.id).unwrap();
        assert_eq!(merged.phone.as_deref(), Some("555-555-0100"));
        assert_eq!(merged.email.as_deref(), Some("dan@example.org"));
    }
}

#[test]
fn a_deleted_visit_stays_deleted_unless_changed_after_the_delete() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let visit = visits::check_in_anonymous(&mut front.desk, &OPERATOR, &[]).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);

    // The group room checks the visit out a minute *before* the front desk undoes it.
    group_room.clock.advance(Duration::minutes(1));
    visits::check_out(&mut group_room.desk, &OPERATOR, &visit.id).unwrap();
    front.clock.advance(Duration::minutes(2));
    visits::undo_check_in(&mut front.desk, &OPERATOR, &visit.id).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    for desk in [&front, &group_room] {
        assert!(visits::get(&desk.desk, &OPERATOR, &visit.id).is_err(), "the later delete wins");
    }
    assert_eq!(front.contents(), group_room.contents());
}

#[test]
fn a_visit_that_arrives_before_its_person_waits_for_them() {
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let mut group_room = TestDesk::new(GROUP_ROOM, "2026-11-23T15:00:00Z");
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    visits::check_in(&mut front.desk, &OPERATOR, &person.id, &[]).unwrap();
    let mut hub = MemoryHub::default();
    hub.push_all(&mut front);

    let (page, next) = hub.page(0, 10);
    let the_visit = page.iter().find(|change| change.entity == "visit").unwrap().clone();
    sync::apply_pulled(&mut group_room.desk, &[the_visit], 0).unwrap();
    assert_eq!(sync::status(&group_room.desk).unwrap().waiting_records, 1, "the visit waits");
    assert!(visits::here_now(&group_room.desk, &OPERATOR).unwrap().is_empty());

    sync::apply_pulled(&mut group_room.desk, &page, next).unwrap();
    assert_eq!(sync::status(&group_room.desk).unwrap().waiting_records, 0);
    assert_eq!(visits::here_now(&group_room.desk, &OPERATOR).unwrap()[0].display_name.as_deref(), Some("Dan R."));
}

#[test]
fn records_that_cannot_be_stored_say_which_they_are_and_why() {
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let mut group_room = TestDesk::new(GROUP_ROOM, "2026-11-23T15:00:00Z");
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    let visit = visits::check_in(&mut front.desk, &OPERATOR, &person.id, &[]).unwrap();
    let mut hub = MemoryHub::default();
    hub.push_all(&mut front);
    let (page, _) = hub.page(0, 10);
    let change_to = |entity: &str| page.iter().find(|change| change.entity == entity).unwrap().clone();

    // The visit alone: it waits for its person.
    sync::apply_pulled(&mut group_room.desk, &[change_to("visit")], 0).unwrap();
    let status = sync::status(&group_room.desk).unwrap();
    assert_eq!(status.waiting_records, 1);
    assert_eq!((status.parked[0].entity.as_str(), status.parked[0].id.as_str()), ("visit", visit.id.as_str()));
    assert!(status.parked[0].reason.starts_with(&format!("waiting for person {}", person.id)), "{:?}", status.parked);

    // The person as an older desk would send them, with no member code: never storable as it is.
    let mut without_code = change_to("person");
    without_code.fields.remove("member_code");
    sync::apply_pulled(&mut group_room.desk, &[without_code], 0).unwrap();
    let status = sync::status(&group_room.desk).unwrap();
    assert_eq!(status.waiting_records, 2);
    let reasons: Vec<_> = status.parked.iter().map(|p| (p.entity.as_str(), p.reason.as_str())).collect();
    let person_reason = reasons.iter().find(|(entity, _)| *entity == "person").unwrap().1;
    assert!(person_reason.starts_with("missing required field member_code"), "{reasons:?}");
    let visit_reason = reasons.iter().find(|(entity, _)| *entity == "visit").unwrap().1;
    assert!(visit_reason.starts_with("waiting for person"), "{reasons:?}");

    // A change that gives the person a code stores both.
    sync::apply_pulled(&mut group_room.desk, &page, page.len() as u64).unwrap();
    let status = sync::status(&group_room.desk).unwrap();
    assert_eq!((status.waiting_records, status.parked.len()), (0, 0));
}

#[test]
fn a_desk_whose_clock_is_hours_ahead_does_not_win_every_conflict() {
    let mut hub = MemoryHub::default();
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let mut fast = TestDesk::new(GROUP_ROOM, "2026-11-23T20:00:00Z"); // five hours ahead
    let admin_id = accounts::first_run(&mut fast.desk, &harbor_house()).unwrap().account_id().unwrap().to_owned();
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    hub.sync(&mut front);
    hub.pull_all(&mut fast);

    // The fast desk edits while offline: its stamp says 20:01.
    fast.clock.advance(Duration::minutes(1));
    set_phone(&mut fast, &person.id, "555-555-0111");
    // Back online, it learns the hub's time (15:01) before pushing. Five hours apart, it cannot
    // tell which clock is wrong: it makes no change and sends nothing until someone decides.
    let hub_time = Timestamp::parse("2026-11-23T15:01:00Z").unwrap();
    assert_eq!(sync::correct_clock(&mut fast.desk, hub_time).unwrap(), 0);
    assert_eq!(sync::status(&fast.desk).unwrap().clock_in_doubt.as_deref(), Some("5 h behind"));
    let refused = people::update(&mut fast.desk, &OPERATOR, &person.id, &dan()).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::ClockInDoubt { .. })), "{refused}");
    assert!(refused.to_string().contains("the hub's is 5 h behind it"), "{refused}");
    // Signing in still works (its audit entry wins no edit), and an admin takes the hub's time:
    // the unsent edit is stamped again.
    let admin = accounts::sign_in_with_password(&mut fast.desk, &admin_id, ADMIN_PASSWORD).unwrap();
    let status = hub_link::accept_hub_time(&mut fast.desk, &admin).unwrap();
    assert_eq!(status.clock_in_doubt, None);
    let accepted = audit::browse(&fast.desk, &admin, &AuditQuery::default()).unwrap();
    assert!(accepted.iter().any(|entry| entry.detail == "the hub's time, 5 h behind this computer's clock"));
    assert_eq!(sync::correct_clock(&mut fast.desk, hub_time).unwrap(), 0, "the time it took holds at the next sync");
    assert_eq!(sync::status(&fast.desk).unwrap().clock_in_doubt, None);
    let pending = sync::pending_changes(&fast.desk, 10).unwrap();
    assert!(pending[0].hlc.as_str() < "001795460000000-00000", "stamped near 15:01 UTC, not 20:01: {}", pending[0].hlc);
    hub.sync(&mut fast);

    // The front desk's later edit, at 15:30, wins (half an hour passes at the fast desk too).
    front.clock.advance(Duration::minutes(30));
    fast.clock.advance(Duration::minutes(30));
    set_phone(&mut front, &person.id, "555-555-0199");
    hub.sync(&mut front);
    hub.sync(&mut fast);
    for desk in [&mut front, &mut fast] {
        assert_eq!(phone_of(desk, &person.id).as_deref(), Some("555-555-0199"));
    }
}

#[test]
fn a_stamp_from_far_in_the_future_is_taken_in_and_the_next_edit_anywhere_wins_over_it() {
    let mut hub = MemoryHub::default();
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let mut broken = TestDesk::new(GROUP_ROOM, "2026-11-24T03:00:00Z"); // twelve hours ahead, never corrected
    let rename = |name: &str| settings::Settings { center_name: name.into(), time_zone: "America/Chicago".into() };
    settings::update(&mut broken.desk, &OPERATOR, &rename("Harbor House")).unwrap();
    hub.push_all(&mut broken);
    hub.pull_all(&mut front);
    // Every desk takes it in, as the desk that made it holds it: they agree.
    assert_eq!(front.center_name(), "Harbor House");
    assert_eq!(sync::status(&front.desk).unwrap().unopened_changes, 0);

    // The front desk's next edit, three seconds later by its own clock, comes after the stamp it
    // has seen, and wins everywhere, though the broken clock still reads twelve hours on.
    front.clock.advance(Duration::seconds(3));
    settings::update(&mut front.desk, &OPERATOR, &rename("Harbor House Recovery Center")).unwrap();
    let stamp = &sync::pending_changes(&front.desk, 10).unwrap()[0].hlc;
    assert!(stamp.as_str() > "001795489200000-00000", "after the broken desk's 03:00 stamp: {stamp}");
    hub.sync(&mut front);
    hub.sync(&mut broken);
    assert_eq!(broken.center_name(), "Harbor House Recovery Center");
    assert_eq!(front.contents(), broken.contents());
}

#[test]
fn a_desk_whose_clock_was_put_right_after_taking_the_hubs_time_stamps_and_dates_its_next_edit_now() {
    let mut hub = MemoryHub::default();
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let mut fast = TestDesk::new(GROUP_ROOM, "2027-11-23T15:00:00Z"); // a year ahead
    let admin_id = accounts::first_run(&mut fast.desk, &harbor_house()).unwrap().account_id().unwrap().to_owned();
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    let hub_time = |desk: &TestDesk, ahead: Duration| Timestamp(desk.now().0 + ahead);
    hub.sync_agreeing(&mut front);
    // A year apart, the desk trusts neither clock until an admin takes the hub's.
    hub.sync_at(&mut fast, hub_time(&front, Duration::zero()));
    let admin = accounts::sign_in_with_password(&mut fast.desk, &admin_id, ADMIN_PASSWORD).unwrap();
    hub_link::accept_hub_time(&mut fast.desk, &admin).unwrap();
    assert_eq!(fast.today().unwrap().to_string(), "2026-11-23", "its day is the hub's");
    hub.sync_at(&mut fast, hub_time(&front, Duration::zero()));

    // Then someone puts the computer's clock right, and the desk edits before it syncs again.
    fast.clock.advance(-Duration::days(365));
    front.clock.advance(Duration::minutes(20));
    fast.clock.advance(Duration::minutes(20));
    set_phone(&mut front, &person.id, "555-555-0100");
    fast.clock.advance(Duration::seconds(3));
    set_phone(&mut fast, &person.id, "555-555-0133");
    assert_eq!(fast.now().to_string(), "2026-11-23T15:20:03.000Z", "the computer's clock, not a year back");
    let visit = visits::check_in(&mut fast.desk, &OPERATOR, &person.id, &[]).unwrap();
    assert_eq!(visit.checked_in_at.to_string(), "2026-11-23T15:20:03.000Z");

    // The edit made three seconds after the front desk's wins everywhere.
    hub.sync_agreeing(&mut front);
    hub.sync_at(&mut fast, hub_time(&front, Duration::zero()));
    hub.sync_agreeing(&mut front);
    assert_eq!(front.contents(), fast.contents());
    for desk in [&mut front, &mut fast] {
        assert_eq!(phone_of(desk, &person.id).as_deref(), Some("555-555-0133"));
    }
}

#[test]
fn a_hub_whose_clock_ran_a_year_ahead_and_was_put_right_leaves_desks_agreeing() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let admin_id = accounts::first_run(&mut front.desk, &harbor_house()).unwrap().account_id().unwrap().to_owned();
    let person = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    hub.sync_agreeing(&mut front);
    hub.sync_at(&mut group_room, front.now());
    let year_ahead = Timestamp(front.now().0 + Duration::days(365));

    // The hub's clock runs a year ahead. Both desks doubt it; an admin at the front desk takes
    // its time anyway, and the front desk's edits are stamped a year on.
    hub.sync_at(&mut front, year_ahead);
    hub.sync_at(&mut group_room, year_ahead);
    assert!(sync::status(&group_room.desk).unwrap().clock_in_doubt.is_some());
    let admin = accounts::sign_in_with_password(&mut front.desk, &admin_id, ADMIN_PASSWORD).unwrap();
    hub_link::accept_hub_time(&mut front.desk, &admin).unwrap();
    set_phone(&mut front, &person.id, "555-555-0100");
    hub.sync_at(&mut front, year_ahead);
    hub.sync_at(&mut group_room, year_ahead);
    assert_eq!(front.contents(), group_room.contents(), "the desk in doubt takes the year-ahead edit in");

    // The hub's clock is put right. The group room's next edit wins everywhere, though its
    // stamp's time is a year before the front desk's.
    hub.sync_agreeing(&mut front);
    hub.sync_agreeing(&mut group_room);
    assert_eq!(sync::status(&front.desk).unwrap().clock_in_doubt, None);
    assert_eq!(sync::status(&group_room.desk).unwrap().clock_in_doubt, None);
    group_room.clock.advance(Duration::minutes(1));
    set_phone(&mut group_room, &person.id, "555-555-0177");
    hub.sync_agreeing(&mut group_room);
    hub.sync_agreeing(&mut front);
    assert_eq!(front.contents(), group_room.contents());
    for desk in [&mut front, &mut group_room] {
        assert_eq!(phone_of(desk, &person.id).as_deref(), Some("555-555-0177"));
    }
}

#[test]
fn a_desk_whose_clock_reads_the_year_2000_says_so_and_dates_no_visit() {
    let mut desk = TestDesk::new(FRONT, "2000-01-01T09:00:00Z"); // a flat clock battery
    let person = people::register(&mut desk.desk, &OPERATOR, &dan()).unwrap_err();
    assert!(matches!(person, Error::Sync(SyncError::ClockWrong { .. })), "{person}");
    assert!(person.to_string().contains("reads the year 2000, which cannot be right"), "{person}");
    let wrong = sync::status(&desk.desk).unwrap().clock_wrong.unwrap();
    assert!(wrong.message.contains("the year 2000") && !wrong.set_back, "{wrong:?}");

    // A desk that worked in 2026 and whose clock then reset says the same, and makes no visit.
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let dan = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    front.clock.advance(-(front.now().0 - Timestamp::parse("2000-01-01T09:00:00Z").unwrap().0));
    let refused = visits::check_in(&mut front.desk, &OPERATOR, &dan.id, &[]).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::ClockWrong { .. })), "{refused}");
    assert!(!front.contents().iter().any(|row| row.starts_with("visit ")), "no visit was made");
}

#[test]
fn a_desk_whose_clock_was_set_back_says_so_until_a_hub_or_an_admin_vouches_for_it() {
    let mut hub = MemoryHub::default();
    let mut front = TestDesk::new(FRONT, "2026-11-23T15:00:00Z");
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let dan = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();
    front.clock.advance(-Duration::days(3));
    let wrong = sync::status(&front.desk).unwrap().clock_wrong.unwrap();
    assert_eq!(
        wrong.message,
        "This computer's clock was set back: it reads 3 days before a time this desk already reached."
    );
    assert!(wrong.set_back);
    let refused = visits::check_in(&mut front.desk, &OPERATOR, &dan.id, &[]).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::ClockWrong { .. })), "{refused}");

    // An admin says the computer's clock is right: the desk dates by it again.
    hub_link::trust_computer_clock(&mut front.desk, &admin).unwrap();
    assert_eq!(sync::status(&front.desk).unwrap().clock_wrong, None);
    let visit = visits::check_in(&mut front.desk, &OPERATOR, &dan.id, &[]).unwrap();
    assert_eq!(visit.checked_in_at.to_string(), "2026-11-20T15:00:00.000Z");
    let trusted = audit::browse(&front.desk, &admin, &AuditQuery::default()).unwrap();
    assert!(trusted.iter().any(|entry| entry.event == "computer_clock_trusted"));

    // Set back again, the next sync with a hub whose clock agrees puts it right too.
    front.clock.advance(-Duration::days(2));
    assert!(sync::status(&front.desk).unwrap().clock_wrong.is_some());
    hub.sync_agreeing(&mut front);
    assert_eq!(sync::status(&front.desk).unwrap().clock_wrong, None);
}

#[test]
fn changes_made_before_enrolling_are_claimed_and_ties_break_the_same_everywhere() {
    let mut hub = MemoryHub::default();
    let mut front = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    let mut group_room = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    // Same time, both first changes: the two stamps carry the same HLC.
    let rename = |name: &str| settings::Settings { center_name: name.into(), time_zone: "America/Chicago".into() };
    settings::update(&mut front.desk, &OPERATOR, &rename("Harbor House (front)")).unwrap();
    settings::update(&mut group_room.desk, &OPERATOR, &rename("Harbor House (group room)")).unwrap();
    assert_eq!(
        sync::pending_changes(&front.desk, 1).unwrap()[0].hlc,
        sync::pending_changes(&group_room.desk, 1).unwrap()[0].hlc
    );

    front.enroll(FRONT);
    group_room.enroll(GROUP_ROOM);
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    assert_eq!(front.center_name(), "Harbor House (group room)", "the larger device id breaks the tie");
    assert_eq!(front.contents(), group_room.contents());
}

#[test]
fn connecting_refuses_bad_input_beside_its_field_without_calling_any_hub() {
    let mut desk = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    let cases = [
        ("hub.example.org", "CODE", "Front desk", "hub_url"),
        ("ftp://hub.example.org", "CODE", "Front desk", "hub_url"),
        ("http://127.0.0.1:9", "  ", "Front desk", "enrollment_code"),
        ("http://127.0.0.1:9", "CODE", " ", "desk_name"),
    ];
    for (hub, code, name, field) in cases {
        let err = hub_link::connect(&mut desk.desk, &OPERATOR, &HubConnection::new(hub, code, name)).unwrap_err();
        assert_eq!(err.field(), Some(field), "{hub} {code:?} {name:?}: {err}");
    }
    let the_hubs_key = HubConnection {
        hub_certificate: Some("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".to_owned()),
        ..HubConnection::new("https://127.0.0.1:9", "CODE", "Front desk")
    };
    let err = hub_link::connect(&mut desk.desk, &OPERATOR, &the_hubs_key).unwrap_err();
    assert_eq!((err.code(), err.field()), ("hub_key_given_to_desk", Some("hub_certificate")));
    let not_a_certificate = HubConnection { hub_certificate: Some("hub.crt".to_owned()), ..the_hubs_key };
    let err = hub_link::connect(&mut desk.desk, &OPERATOR, &not_a_certificate).unwrap_err();
    assert_eq!((err.code(), err.field()), ("invalid_hub_certificate", Some("hub_certificate")));
    let unreachable =
        hub_link::connect(&mut desk.desk, &OPERATOR, &HubConnection::new("http://127.0.0.1:9", "CODE", "Front desk"));
    assert_eq!(unreachable.unwrap_err().code(), "hub_unreachable");
    assert_eq!(sync::status(&desk.desk).unwrap().hub_url, None, "nothing saved");
    assert_eq!(sync::sync_now(&mut desk.desk, |_| {}).unwrap_err().code(), "not_connected");
}

#[test]
fn plain_http_to_a_hub_on_another_computer_is_refused_unless_the_center_allows_it() {
    let mut desk = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    for hub in ["http://192.168.1.20:8787", "http://hub.lantern.lan", "http://0.0.0.0:9"] {
        let err =
            hub_link::connect(&mut desk.desk, &OPERATOR, &HubConnection::new(hub, "CODE", "Front desk")).unwrap_err();
        assert_eq!((err.code(), err.field()), ("plain_http_refused", Some("hub_url")), "{hub}");
    }
    // Past the rule, these fail only because no hub listens there.
    for hub in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"] {
        let err =
            hub_link::connect(&mut desk.desk, &OPERATOR, &HubConnection::new(hub, "CODE", "Front desk")).unwrap_err();
        assert_eq!(err.code(), "hub_unreachable", "{hub}");
    }
    let allowed =
        HubConnection { allow_plain_http: true, ..HubConnection::new("http://0.0.0.0:9", "CODE", "Front desk") };
    assert_eq!(hub_link::connect(&mut desk.desk, &OPERATOR, &allowed).unwrap_err().code(), "hub_unreachable");
}

#[test]
fn records_kept_before_sync_existed_become_changes_but_the_seeded_catalog_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(porchlight_core::DATABASE_FILE_NAME);
    {
        // A desk as the first release left it: schema version 1, a person and a visit.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/001_front_desk.sql")).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO settings (key, value) VALUES ('center_name', 'Harbor House'), ('time_zone', 'America/Chicago');
             INSERT INTO people (id, member_code, display_name, created_at, updated_at)
             VALUES ('01934f2a-0000-7000-8000-000000000101', 'K7Q2MX', 'Dan R.', '2026-11-20T15:00:00.000Z', '2026-11-20T15:00:00.000Z');
             INSERT INTO visits (id, person_id, checked_in_at)
             VALUES ('01934f2a-0000-7000-8000-000000000102', '01934f2a-0000-7000-8000-000000000101', '2026-11-20T15:05:00.000Z');",
        )
        .unwrap();
    }
    let desk = porchlight_core::Desk::open(
        &path,
        std::sync::Arc::new(porchlight_core::FixedClock::at("2026-11-23T15:00:00Z")),
    )
    .unwrap();
    let changes = sync::pending_changes(&desk, 100).unwrap();
    let entities: Vec<&str> = changes.iter().map(|c| c.entity.as_str()).collect();
    assert_eq!(entities, ["person", "visit", "settings"], "{changes:#?}");
    assert_eq!(changes[2].fields["center_name"], "Harbor House");
}

#[test]
fn staff_accounts_and_their_locks_travel_between_desks() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let sam = front_desk_volunteer(&mut front, &admin);
    hub.sync(&mut front);
    hub.sync(&mut group_room);

    assert!(!accounts::needs_first_run(&group_room.desk).unwrap(), "the center's accounts arrived");
    let session = accounts::sign_in_with_pin(&mut group_room.desk, &sam.id, "5827").unwrap();
    access::authorize(&group_room.desk, &session, Action::CheckIn).unwrap();

    // Time passes at both desks (a change stamped further ahead than a desk's clock waits aside).
    for _ in 0..5 {
        group_room.clock.advance(Duration::minutes(5));
        front.clock.advance(Duration::minutes(5));
        let _ = accounts::sign_in_with_pin(&mut group_room.desk, &sam.id, "9999");
    }
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    let locked = accounts::sign_in_with_pin(&mut front.desk, &sam.id, "5827").unwrap_err();
    assert_eq!(locked.code(), "account_locked", "a lock made at one desk holds at every desk");
    assert_eq!(access::authorize(&front.desk, &session, Action::CheckIn).unwrap_err().code(), "account_locked");

    front.clock.advance(Duration::hours(1));
    group_room.clock.advance(Duration::hours(1));
    accounts::unlock(&mut front.desk, &admin, &sam.id).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    accounts::sign_in_with_pin(&mut group_room.desk, &sam.id, "5827").expect("unlocked everywhere");
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    assert!(front.contents() == group_room.contents(), "the desks hold the same accounts and audit log");
}

#[test]
fn the_audit_log_travels_to_every_desk_and_no_desk_can_erase_it() {
    let (mut hub, mut front, mut group_room) = two_desks();
    accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    let choices = accounts::sign_in_choices(&group_room.desk).unwrap();
    let admin = choices.iter().find(|choice| choice.name == "Rosa M.").unwrap().account_id.clone();
    group_room.clock.advance(Duration::minutes(1));
    accounts::sign_in_with_pin(&mut group_room.desk, &admin, "0000").unwrap_err();
    group_room.clock.advance(Duration::minutes(1));
    let session = accounts::sign_in_with_password(&mut group_room.desk, &admin, ADMIN_PASSWORD).unwrap();
    hub.sync(&mut group_room);
    hub.sync(&mut front);

    front.clock.advance(Duration::minutes(5));
    let front_admin = accounts::sign_in_with_password(&mut front.desk, &admin, ADMIN_PASSWORD).unwrap();
    let at_front = audit::browse(&front.desk, &front_admin, &AuditQuery::default()).unwrap();
    let events: Vec<&str> = at_front.iter().map(|entry| entry.event.as_str()).collect();
    assert_eq!(events, ["signed_in", "signed_in", "sign_in_failed", "account_created"]);
    assert_eq!(at_front[2].detail, "wrong PIN", "the group room's failed sign-in reached the front desk");

    // A desk (faulty or tampered with) that sends a delete for an entry erases nothing.
    let original = hub.log.iter().find(|change| change.entity == "audit").unwrap().clone();
    let (millis, _) = original.hlc.split_once('-').unwrap();
    let erase = PulledChange {
        seq: hub.log.len() as u64 + 1,
        change_id: porchlight_core::new_id(),
        op: Op::Delete,
        fields: Default::default(),
        hlc: format!("{:015}-{:05}", millis.parse::<u64>().unwrap() + 60_000, 0),
        ..original.clone()
    };
    sync::apply_pulled(&mut group_room.desk, &[erase], hub.log.len() as u64 + 1).unwrap();
    let at_group_room = audit::browse(&group_room.desk, &session, &AuditQuery::default()).unwrap();
    assert!(at_group_room.iter().any(|entry| entry.id == original.id));
    assert_eq!(at_group_room.len(), at_front.len() - 1, "all but the front desk's last sign-in, not yet synced");
}

#[test]
fn consent_answers_from_two_desks_all_count_and_the_newest_of_each_kind_holds() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let dana = people::register(
        &mut front.desk,
        &OPERATOR,
        &PersonInput { display_name: "Dana R.".into(), ..Default::default() },
    )
    .unwrap();
    consent::record(&mut front.desk, &admin, &dana.id, ConsentKind::ContactBySms, true).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    let at_group_room =
        accounts::sign_in_with_password(&mut group_room.desk, admin.account_id().unwrap(), ADMIN_PASSWORD).unwrap();

    // Apart: the group room hears "email is fine" first; later the front desk hears "no more texts".
    group_room.clock.advance(Duration::minutes(5));
    consent::record(&mut group_room.desk, &at_group_room, &dana.id, ConsentKind::ContactByEmail, true).unwrap();
    front.clock.advance(Duration::minutes(10));
    consent::record(&mut front.desk, &admin, &dana.id, ConsentKind::ContactBySms, false).unwrap();
    assert!(
        !people::get(&mut front.desk, &OPERATOR, &dana.id).unwrap().contact_consent,
        "the front desk knows of no other way yet"
    );
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);

    for (desk, session) in [(&mut front, &admin), (&mut group_room, &at_group_room)] {
        let now = consent::current(&desk.desk, session, &dana.id).unwrap();
        let given: Vec<ConsentKind> = now.iter().filter(|consent| consent.given).map(|consent| consent.kind).collect();
        assert_eq!(given, [ConsentKind::ContactByEmail]);
        assert_eq!(consent::history(&desk.desk, session, &dana.id).unwrap().len(), 3);
        assert!(
            people::get(&mut desk.desk, &OPERATOR, &dana.id).unwrap().contact_consent,
            "email is still a way to reach Dana"
        );
    }
}

#[test]
fn who_made_a_change_travels_with_it_and_every_desk_agrees_on_the_latest() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let sam = front_desk_volunteer(&mut front, &admin);
    let at_front = accounts::sign_in_with_pin(&mut front.desk, &sam.id, "5827").unwrap();

    let person = people::register(&mut front.desk, &at_front, &dan()).unwrap();
    let pending = sync::pending_changes(&front.desk, 100).unwrap();
    let registered = pending.iter().find(|change| change.entity == "person").unwrap();
    assert_eq!(registered.by.as_deref(), Some(sam.id.as_str()), "the change names Sam");
    let by_operator =
        people::register(&mut front.desk, &OPERATOR, &PersonInput { display_name: "Lee T.".into(), ..dan() }).unwrap();
    let pending = sync::pending_changes(&front.desk, 100).unwrap();
    let operators = pending.iter().find(|change| change.id == by_operator.id).unwrap();
    assert_eq!(operators.by, None, "the command line is nobody's account");

    hub.sync(&mut front);
    hub.sync(&mut group_room);
    let changed_by =
        |desk: &TestDesk, session| hub_link::changed_by(&desk.desk, session, "person", &person.id).unwrap();
    let rosa = admin.account_id().unwrap().to_owned();
    let at_group_room = accounts::sign_in_with_password(&mut group_room.desk, &rosa, ADMIN_PASSWORD).unwrap();
    assert_eq!(changed_by(&group_room, &at_group_room).as_deref(), Some(sam.id.as_str()));

    // Apart: Sam edits the phone at 15:05, Rosa the email at the group room at 15:06.
    front.clock.advance(Duration::minutes(5));
    group_room.clock.advance(Duration::minutes(6));
    let phone = PersonInput { phone: Some("555-555-0100".into()), ..dan() };
    people::update(&mut front.desk, &at_front, &person.id, &phone).unwrap();
    let email = PersonInput { email: Some("dan@example.org".into()), ..dan() };
    people::update(&mut group_room.desk, &at_group_room, &person.id, &email).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);

    assert_eq!(changed_by(&front, &at_front).as_deref(), Some(rosa.as_str()), "the later change's author");
    assert_eq!(changed_by(&group_room, &at_group_room).as_deref(), Some(rosa.as_str()));
    assert!(front.contents() == group_room.contents(), "both desks hold the same records and authors");
}

#[test]
fn a_person_forgotten_at_one_desk_is_erased_everywhere_and_still_counted() {
    let (mut hub, mut front, mut group_room) = two_desks();
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let dana = PersonInput {
        display_name: "Dana Quill".into(),
        alias: Some("Dee".into()),
        phone: Some("555-555-0142".into()),
        email: Some("dana.quill@example.org".into()),
        birth_year: Some(1984),
        ..Default::default()
    };
    let person = people::register(&mut front.desk, &admin, &dana).unwrap();
    visits::check_in(&mut front.desk, &admin, &person.id, &[]).unwrap();
    consent::record(&mut front.desk, &admin, &person.id, ConsentKind::Photo, true).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);

    // The group room, not yet told, changes Dana's phone after the front desk forgets her.
    front.clock.advance(Duration::minutes(5));
    group_room.clock.advance(Duration::minutes(6));
    people::forget(&mut front.desk, &admin, &person.id).unwrap();
    let later = PersonInput { phone: Some("555-555-0199".into()), ..dana.clone() };
    people::update(&mut group_room.desk, &OPERATOR, &person.id, &later).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut group_room);
    hub.sync(&mut front);
    // Compared before anyone looks: looking at a record is itself logged.
    assert!(front.contents() == group_room.contents(), "both desks agree on the erased record");

    for desk in [&mut front, &mut group_room] {
        let erased = people::get(&mut desk.desk, &OPERATOR, &person.id).unwrap();
        assert_eq!(erased.display_name, people::FORGOTTEN_NAME);
        assert_eq!((erased.alias, erased.phone, erased.email, erased.birth_year), (None, None, None, None));
        assert_ne!(erased.member_code, person.member_code, "the card no longer leads to the record");
        assert!(consent::history(&desk.desk, &OPERATOR, &person.id).unwrap().is_empty());
        assert!(front_desk::search(&desk.desk, &OPERATOR, "dana", 10).unwrap().is_empty());
        assert!(front_desk::search(&desk.desk, &OPERATOR, "forgotten", 10).unwrap().is_empty());
        let figures = porchlight_core::reports::today(&desk.desk, &OPERATOR).unwrap();
        assert_eq!((figures.visits, figures.unique_people), (1, 1), "her visit still counts");
        assert!(matches!(
            people::update(&mut desk.desk, &OPERATOR, &person.id, &dana),
            Err(Error::People(PeopleError::PersonForgotten))
        ));
    }
    for desk in [&front, &group_room] {
        let kept = desk.contents().join("\n");
        for trace in ["Dana", "Quill", "Dee", "555-555-01", "example.org", "1984"] {
            assert!(!kept.contains(trace), "{trace} is still kept somewhere");
        }
    }
    for trace in ["Dana", "Quill", "555-555-01", "example.org"] {
        let held: Vec<_> = hub.log.iter().filter(|c| serde_json::to_string(c).unwrap().contains(trace)).collect();
        assert!(held.is_empty(), "{trace} is still at the hub: {held:?}");
    }
    let log =
        audit::browse(&front.desk, &admin, &AuditQuery { subject_id: Some(person.id.clone()), ..Default::default() });
    let forgotten = log.unwrap().into_iter().find(|entry| entry.event == "person_forgotten").expect("logged");
    assert_eq!(forgotten.detail, "", "the log says it happened, not what was erased");
}

#[test]
fn a_page_of_changes_says_which_record_types_it_changed_so_screens_reload_only_for_theirs() {
    let (mut hub, mut front, mut group_room) = two_desks();
    people::register(&mut front.desk, &OPERATOR, &PersonInput { display_name: "Dana P.".into(), ..Default::default() })
        .unwrap();
    hub.push_all(&mut front);
    let (page, next) = hub.page(0, 50);
    let applied = sync::apply_pulled(&mut group_room.desk, &page, next).unwrap();
    let names: Vec<&str> = applied.entities.iter().map(String::as_str).collect();
    assert_eq!(names, ["audit", "person"], "the person and the entry saying who registered them");
    let again = sync::apply_pulled(&mut group_room.desk, &page, next).unwrap();
    assert!(again.entities.is_empty(), "a page delivered twice changes nothing");
}

#[test]
fn a_group_s_first_timers_count_alike_on_the_desk_that_marked_and_the_one_that_received() {
    use porchlight_core::groups::attendance::{self, AttendanceState};
    use porchlight_core::groups::{self, figures, sessions};
    use porchlight_testkit::{smart_recovery, tuesdays};

    let (mut hub, mut front, mut room) = two_desks();
    let group = groups::create(&mut front.desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-11-03"))).unwrap();
    let ann =
        people::register(&mut front.desk, &OPERATOR, &PersonInput { display_name: "Ann B".into(), ..dan() }).unwrap();
    let dan_r = people::register(&mut front.desk, &OPERATOR, &dan()).unwrap();

    // Ann on the 3rd and the 17th, Dan first on the 17th; the group room hears of it by sync.
    let day = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
    let met = sessions::of_group(&front.desk, &OPERATOR, &group.id, day("2026-11-01"), day("2026-11-22")).unwrap();
    let [nov3, _, nov17] = &met[..] else { panic!("{met:?}") };
    for (on, person) in [(nov3, &ann), (nov17, &ann), (nov17, &dan_r)] {
        attendance::mark(&mut front.desk, &OPERATOR, &on.id, &person.id, AttendanceState::Present).unwrap();
    }
    hub.sync(&mut front);
    hub.sync(&mut room);

    for desk in [&front, &room] {
        let since_the_10th =
            figures::for_group(&desk.desk, &OPERATOR, &group.id, day("2026-11-10"), day("2026-11-22")).unwrap();
        assert_eq!(
            (since_the_10th.named_attendance, since_the_10th.unique_people, since_the_10th.first_time),
            (2, 2, 1),
            "Ann had come before the 10th; Dan had not"
        );
    }
}

#[test]
fn old_warmline_notes_are_erased_on_every_desk_and_at_the_hub_while_the_figures_and_held_records_stay() {
    use porchlight_core::warmline::calls::{self, CallInput, Outcome};
    use porchlight_core::warmline::follow_ups::FollowUpInput;
    use porchlight_core::warmline::retention::{self, HoldOn};
    use porchlight_core::warmline::{callers, figures, PEER_SUPPORT};

    let (mut hub, mut front, mut room) = two_desks();
    let start = |desk: &TestDesk, minutes: i64| Timestamp(desk.now().0 - Duration::minutes(minutes));
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let birdie = callers::add(&mut front.desk, &OPERATOR, "Birdie").unwrap();
    callers::write_what_helps(&mut front.desk, &OPERATOR, &birdie.id, Some("Likes talking about Quillfeather the cat"))
        .unwrap();
    let today = front.today().unwrap();
    callers::add_flag(&mut front.desk, &OPERATOR, &birdie.id, "Keep calls to 15 minutes", today).unwrap();
    let old_input = CallInput {
        caller_id: Some(birdie.id.clone()),
        outcome: Some(Outcome::TransferredToCrisisLine),
        escalated: true,
        escalation_reason: Some("Mentioned Marlowe bridge".into()),
        notes: Some("Spoke of Marlowe bridge and her sister Ottilie".into()),
        follow_up: Some(FollowUpInput {
            due_at: Timestamp(front.now().0 + Duration::hours(3)),
            request: Some("Ask Ottilie about the shelter".into()),
            callback_number: Some("555-555-0177".into()),
        }),
        ..CallInput::of_type(PEER_SUPPORT, start(&front, 30))
    };
    let old = calls::log(&mut front.desk, &admin, &old_input).unwrap();
    let held_input = CallInput {
        notes: Some("Subpoenaed: Wexford notes".into()),
        ..CallInput::of_type(PEER_SUPPORT, start(&front, 20))
    };
    let held = calls::log(&mut front.desk, &admin, &held_input).unwrap();
    let admin = accounts::sign_in_with_password(&mut front.desk, admin.account_id().unwrap(), ADMIN_PASSWORD).unwrap();
    retention::set_hold(&mut front.desk, &admin, HoldOn::Call, &held.summary.id, Some("Court order 24-118")).unwrap();
    hub.sync(&mut front);
    hub.sync(&mut room);
    let figures_before = figures::for_period(&front.desk, &OPERATOR, today, today).unwrap();

    // Ninety-one days on, the group room (not yet told) edits the old call's notes just as the
    // front desk's sweep erases them.
    for desk in [&mut front, &mut room] {
        desk.clock.advance(Duration::days(91));
    }
    let late_edit = CallInput { notes: Some("Marlowe bridge again".into()), follow_up: None, ..old_input.clone() };
    calls::update(&mut room.desk, &OPERATOR, &old.summary.id, &late_edit).unwrap();
    let swept = retention::sweep(&mut front.desk).unwrap();
    assert_eq!((swept.calls, swept.follow_ups, swept.caller_notes, swept.flags), (1, 1, 1, 1), "{swept:?}");
    assert_eq!(retention::sweep(&mut front.desk).unwrap().total(), 0, "a second sweep finds nothing left");
    hub.sync(&mut front);
    hub.sync(&mut room);
    hub.sync(&mut front);
    assert!(front.contents() == room.contents(), "both desks agree on what was erased");

    for desk in [&mut front, &mut room] {
        let erased = calls::get(&mut desk.desk, &OPERATOR, &old.summary.id).unwrap();
        assert_eq!((erased.notes.as_deref(), erased.notes_erased), (None, true));
        assert_eq!(erased.summary.escalation_reason, None);
        assert_eq!(
            (erased.summary.escalated, erased.summary.outcome),
            (true, Some(Outcome::TransferredToCrisisLine)),
            "coded fields stay"
        );
        assert_eq!(
            (erased.follow_ups[0].request.as_deref(), erased.follow_ups[0].callback_number.as_deref()),
            (None, None)
        );
        let kept = calls::get(&mut desk.desk, &OPERATOR, &held.summary.id).unwrap();
        assert_eq!(kept.notes.as_deref(), Some("Subpoenaed: Wexford notes"), "a call on legal hold keeps its notes");
        let profile = callers::profile(&mut desk.desk, &OPERATOR, &birdie.id).unwrap();
        assert_eq!((profile.what_helps, profile.call_count, profile.flags.len()), (None, 1, 0));
        let figures_after = figures::for_period(&desk.desk, &OPERATOR, today, today).unwrap();
        assert_eq!(figures_after, figures_before, "the figures count the coded fields, which stay");
    }
    for desk in [&front, &room] {
        let kept = desk.contents().join("\n");
        for trace in ["Marlowe", "Ottilie", "Quillfeather", "555-555-0177", "15 minutes"] {
            assert!(!kept.contains(trace), "{trace} is still kept somewhere");
        }
        assert!(kept.contains("Wexford"), "the held call's notes are kept");
    }
    for trace in ["Marlowe", "Ottilie", "Quillfeather", "555-555-0177"] {
        let held: Vec<_> = hub.log.iter().filter(|c| serde_json::to_string(c).unwrap().contains(trace)).collect();
        assert!(held.is_empty(), "{trace} is still at the hub: {held:?}");
    }
    let log = audit::browse(&front.desk, &admin, &AuditQuery::default()).unwrap();
    let erasure = log.iter().find(|entry| entry.event == "warmline_notes_erased").expect("the sweep is audited");
    assert_eq!(
        (erasure.account_name.as_str(), erasure.detail.as_str()),
        (
            "Retention",
            "older than 90 days: the notes of 1 calls, 1 follow-ups, 1 \"what helps\" notes, 1 flags, 0 handoff notes"
        )
    );
}

#[test]
fn two_desks_editing_one_caller_while_apart_keep_both_changes() {
    use porchlight_core::warmline::callers;
    use porchlight_core::warmline::retention::{self, HoldOn};

    let (mut hub, mut front, mut room) = two_desks();
    let admin = accounts::first_run(&mut front.desk, &harbor_house()).unwrap();
    let birdie = callers::add(&mut front.desk, &OPERATOR, "Birdie").unwrap();
    hub.sync(&mut front);
    hub.sync(&mut room);

    // Apart: the front desk's admin puts her on hold while the group room's volunteer renames
    // her (she asked to be called Wren) and writes what helps.
    let admin = accounts::sign_in_with_password(&mut front.desk, admin.account_id().unwrap(), ADMIN_PASSWORD).unwrap();
    retention::set_hold(&mut front.desk, &admin, HoldOn::Caller, &birdie.id, Some("Records request 7")).unwrap();
    room.clock.advance(Duration::minutes(1));
    callers::rename(&mut room.desk, &OPERATOR, &birdie.id, "Wren").unwrap();
    callers::write_what_helps(&mut room.desk, &OPERATOR, &birdie.id, Some("Short calls, then music")).unwrap();
    hub.sync(&mut room);
    hub.sync(&mut front);
    hub.sync(&mut room);
    assert!(front.contents() == room.contents(), "both desks hold the same caller");

    for desk in [&mut front, &mut room] {
        let profile = callers::profile(&mut desk.desk, &OPERATOR, &birdie.id).unwrap();
        assert_eq!(profile.alias, "Wren");
        assert_eq!(profile.held_reason.as_deref(), Some("Records request 7"));
        assert_eq!(profile.what_helps.as_deref(), Some("Short calls, then music"));
    }
}

/// A change sealed with a key this desk does not hold, or altered on the way, is kept aside and
/// counted, never applied in part; it is applied once the desk holds the key, and an altered one
/// stays aside.
#[test]
fn changes_that_do_not_open_are_kept_aside_and_counted_until_the_desk_holds_their_key() {
    use porchlight_core::sync::seal::CenterKey;

    let (mut hub, mut front, mut group_room) = two_desks();
    let key = CenterKey::generate();
    sync::hold_center_key(&mut front.desk, &key).unwrap();
    let dana =
        people::register(&mut front.desk, &OPERATOR, &PersonInput { display_name: "Dana P.".into(), ..dan() }).unwrap();
    let rafa =
        people::register(&mut front.desk, &OPERATOR, &PersonInput { display_name: "Rafa L.".into(), ..dan() }).unwrap();
    hub.push_all(&mut front);
    assert!(hub.log.iter().all(|change| !change.fields.values().any(|value| value == "Dana P.")), "sealed");

    // Someone at the hub moves Dana's sealed name into Rafa's record.
    let index = |id: &str| hub.log.iter().position(|change| change.id == id).unwrap();
    let dana_name = hub.log[index(&dana.id)].fields["display_name"].clone();
    let rafa_at = index(&rafa.id);
    hub.log[rafa_at].fields.insert("display_name".into(), dana_name);

    hub.pull_all(&mut group_room);
    let status = sync::status(&group_room.desk).unwrap();
    assert_eq!(status.unopened_changes, hub.log.len() as u64, "no key: all kept aside");
    assert_eq!(status.waiting_records, 0, "kept aside, not parked half-applied");
    assert!(matches!(
        people::get(&mut group_room.desk, &OPERATOR, &dana.id),
        Err(Error::People(PeopleError::PersonNotFound))
    ));

    sync::hold_center_key(&mut group_room.desk, &key).unwrap();
    hub.pull_all(&mut group_room);
    assert_eq!(people::get(&mut group_room.desk, &OPERATOR, &dana.id).unwrap().display_name, "Dana P.");
    let status = sync::status(&group_room.desk).unwrap();
    assert_eq!(status.unopened_changes, 1, "the altered change stays aside");
    assert!(!status.set_aside[0].waiting, "for good: it is not tried again at each sync");
    assert!(
        matches!(
            people::get(&mut group_room.desk, &OPERATOR, &rafa.id),
            Err(Error::People(PeopleError::PersonNotFound))
        ),
        "a change that does not open is not applied in part"
    );

    // A readable change the hub made up is not taken by a desk that holds the center's key.
    let dana_at = hub.log.iter().position(|change| change.id == dana.id).unwrap();
    let mut forged = hub.log[dana_at].clone();
    forged.seq = hub.log.len() as u64 + 1;
    forged.change_id = porchlight_core::new_id();
    forged.hlc = "009999999999999-00000".into();
    forged.fields = serde_json::from_value(serde_json::json!({ "display_name": "Mallory" })).unwrap();
    hub.log.push(forged);
    hub.pull_all(&mut group_room);
    assert_eq!(sync::status(&group_room.desk).unwrap().unopened_changes, 2);
    assert_eq!(people::get(&mut group_room.desk, &OPERATOR, &dana.id).unwrap().display_name, "Dana P.");
}
