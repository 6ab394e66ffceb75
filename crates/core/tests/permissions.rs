//! The permission matrix: every core operation, called by an account of each role, is allowed
//! exactly when the center's policy (`Action::allowed_for`) says so. The policy itself is pinned
//! by a written-out table in `accounts`; this test pins that each operation asks for the right
//! action, and that none forgets to ask.

use porchlight_core::access::AccessError;
use porchlight_core::access::{self, Action, Role, Scope, Session};
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::audit::{self, AuditQuery};
use porchlight_core::consent::{self, ConsentKind};
use porchlight_core::export::{self, Days, Format};
use porchlight_core::groups::attendance::{self, AttendanceState};
use porchlight_core::groups::sessions::{self, SessionMove};
use porchlight_core::groups::{self, figures, GroupInput, GroupStatus, Repeat, Schedule, Weekday};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::reports::files::{self as report_files, FileOptions, ReportFormat};
use porchlight_core::reports::{center, Preset};
use porchlight_core::settings::{self, Settings};
use porchlight_core::sync::HubConnection;
use porchlight_core::volunteers::credentials::{self, CredentialInput};
use porchlight_core::volunteers::hours::{self, HoursInput};
use porchlight_core::volunteers::templates::{self, OneOffInput};
use porchlight_core::volunteers::{self, assignments, shifts, VolunteerInput};
use porchlight_core::warmline::calls::{self, CallInput};
use porchlight_core::warmline::follow_ups::{self, FollowUpInput};
use porchlight_core::warmline::resources::{self, ResourceInput};
use porchlight_core::warmline::retention::{self, HoldOn};
use porchlight_core::warmline::{self, callers, handoff};
use porchlight_core::{
    backup, demo, front_desk, hub_link, import, reports, same_person, services, visits, Desk, Error, Timestamp,
};
use porchlight_testkit::{harbor_house, line_volunteer, morning_line, TestDesk, ADMIN_PASSWORD, ADMIN_PIN};

/// What the operations work on: a person, a visit and a service that exist.
struct Fixture {
    person_id: String,
    member_code: String,
    visit_id: String,
    service_id: String,
    own_account_id: String,
    other_account_id: String,
    /// Lee's group, and today's session of it: not the acting account's.
    group_id: String,
    session_id: String,
    /// A group the acting account facilitates, and today's session of it.
    own_group_id: String,
    own_session_id: String,
    /// A warmline caller, a call Lee took and one the acting account took, a resource and a follow-up.
    caller_id: String,
    call_id: String,
    own_call_id: String,
    resource_id: String,
    follow_up_id: String,
    flag_id: String,
    /// Volunteers: the acting account's own and another, the weekday morning line's shifts
    /// today (both on it), tomorrow (the acting account's, to drop) and in a week (open).
    volunteer: Volunteers,
    scratch: tempfile::TempDir,
}

struct Volunteers {
    own_id: String,
    other_id: String,
    template_id: String,
    today_shift_id: String,
    open_shift_id: String,
    own_today: String,
    other_today: String,
    own_tomorrow: String,
    own_blackout_id: String,
    other_blackout_id: String,
    credential_id: String,
    hours_id: String,
}

type Operation = fn(&mut Desk, &Session, &Fixture) -> porchlight_core::Result<()>;

fn dana() -> PersonInput {
    PersonInput { display_name: "Dana P.".into(), ..Default::default() }
}

/// Every public operation that acts for someone, with the action it must ask for.
fn operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("front_desk::search", Action::SearchPeople, |d, s, _| front_desk::search(d, s, "dan", 8).map(drop)),
        ("front_desk::find_by_member_code", Action::SearchPeople, |d, s, f| {
            front_desk::find_by_member_code(d, s, &f.member_code).map(drop)
        }),
        ("people::get", Action::ViewPerson, |d, s, f| people::get(d, s, &f.person_id).map(drop)),
        ("people::register", Action::RegisterPerson, |d, s, _| people::register(d, s, &dana()).map(drop)),
        ("front_desk::possible_duplicates", Action::RegisterPerson, |d, s, _| {
            front_desk::possible_duplicates(d, s, &dana(), None).map(drop)
        }),
        ("people::update", Action::EditPerson, |d, s, f| people::update(d, s, &f.person_id, &dana()).map(drop)),
        ("people::forget", Action::ForgetPerson, |d, s, f| people::forget(d, s, &f.person_id)),
        ("consent::record", Action::EditPerson, |d, s, f| {
            consent::record(d, s, &f.person_id, ConsentKind::Photo, false).map(drop)
        }),
        ("consent::current", Action::ViewPerson, |d, s, f| consent::current(d, s, &f.person_id).map(drop)),
        ("consent::history", Action::ViewPerson, |d, s, f| consent::history(d, s, &f.person_id).map(drop)),
        ("visits::check_in", Action::CheckIn, |d, s, f| visits::check_in(d, s, &f.person_id, &[]).map(drop)),
        ("visits::check_in_anonymous", Action::CheckIn, |d, s, _| visits::check_in_anonymous(d, s, &[]).map(drop)),
        ("visits::check_out", Action::CheckOut, |d, s, f| visits::check_out(d, s, &f.visit_id).map(drop)),
        ("visits::check_out_everyone", Action::CheckOut, |d, s, _| visits::check_out_everyone(d, s).map(drop)),
        ("visits::set_services", Action::CorrectVisit, |d, s, f| {
            visits::set_services(d, s, &f.visit_id, std::slice::from_ref(&f.service_id)).map(drop)
        }),
        ("visits::undo_check_in", Action::CorrectVisit, |d, s, f| visits::undo_check_in(d, s, &f.visit_id)),
        ("visits::undo_check_out", Action::CheckOut, |d, s, f| visits::undo_check_out(d, s, &f.visit_id).map(drop)),
        ("visits::get", Action::SeeWhoIsHere, |d, s, f| visits::get(d, s, &f.visit_id).map(drop)),
        ("visits::here_now", Action::SeeWhoIsHere, |d, s, _| visits::here_now(d, s).map(drop)),
        ("reports::today", Action::SeeTodaysFigures, |d, s, _| reports::today(d, s).map(drop)),
        ("services::list", Action::ReadCatalog, |d, s, _| services::list(d, s, false).map(drop)),
        ("services::add", Action::ManageServices, |d, s, _| services::add(d, s, "Haircuts").map(drop)),
        ("services::rename", Action::ManageServices, |d, s, f| {
            services::rename(d, s, &f.service_id, "Peer support (1:1)").map(drop)
        }),
        ("services::set_active", Action::ManageServices, |d, s, f| {
            services::set_active(d, s, &f.service_id, true).map(drop)
        }),
        ("services::reorder", Action::ManageServices, |d, s, f| {
            services::reorder(d, s, std::slice::from_ref(&f.service_id)).map(drop)
        }),
        ("settings::update", Action::ManageSettings, |d, s, _| {
            let center = Settings { center_name: "Harbor House".into(), time_zone: "America/Denver".into() };
            settings::update(d, s, &center).map(drop)
        }),
        ("hub_link::connect", Action::ConnectSync, |d, s, _| {
            // Nothing listens on port 9: an allowed connect gets as far as the network.
            hub_link::connect(d, s, &HubConnection::new("http://127.0.0.1:9", "AAAA-BBBB", "Front desk")).map(drop)
        }),
        ("hub_link::disconnect", Action::ConnectSync, |d, s, _| hub_link::disconnect(d, s)),
        // Not connected: an allowed call gets as far as finding no hub.
        ("hub_link::let_desk_in", Action::ConnectSync, |d, s, _| {
            hub_link::let_desk_in(d, s, &porchlight_core::new_id()).map(drop)
        }),
        ("hub_link::recover_center_key", Action::ConnectSync, |d, s, _| {
            hub_link::recover_center_key(d, Some(s), "not the words").map(drop)
        }),
        ("hub_link::join_requests", Action::ConnectSync, |d, s, _| hub_link::join_requests(d, s).map(drop)),
        ("hub_link::may_see_sync_state", Action::SeeSyncState, |d, s, _| hub_link::may_see_sync_state(d, Some(s))),
        ("hub_link::center_desks", Action::ConnectSync, |d, s, _| hub_link::center_desks(d, s).map(drop)),
        ("hub_link::revoke_desk", Action::ConnectSync, |d, s, _| {
            hub_link::revoke_desk(d, s, &porchlight_core::new_id(), true).map(drop)
        }),
        ("hub_link::recovery_sheet", Action::ConnectSync, |d, s, _| hub_link::recovery_sheet(d, s).map(drop)),
        ("hub_link::recovery_sheet_written_down", Action::ConnectSync, |d, s, _| {
            hub_link::recovery_sheet_written_down(d, s).map(drop)
        }),
        ("hub_link::accept_hub_time", Action::ConnectSync, |d, s, _| hub_link::accept_hub_time(d, s).map(drop)),
        ("hub_link::trust_computer_clock", Action::ConnectSync, |d, s, _| {
            hub_link::trust_computer_clock(d, s).map(drop)
        }),
        ("export::people", Action::ExportPeople, |d, s, _| {
            export::people(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("export::visits", Action::ExportVisits, |d, s, _| {
            export::visits(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("import::people_csv", Action::ImportPeople, |d, s, _| {
            import::people_csv(d, s, "display_name\nLee T.\n".as_bytes()).map(drop)
        }),
        ("backup::to_file", Action::Backup, |d, s, f| {
            backup::to_file(d, s, &f.scratch.path().join(porchlight_core::new_id()))
        }),
        ("backup::kept", Action::Backup, |d, s, _| backup::kept(d, s).map(drop)),
        ("backup::choose_folder", Action::Backup, |d, s, _| backup::choose_folder(d, s, None).map(drop)),
        ("backup::back_up_now", Action::Backup, |d, s, _| backup::back_up_now(d, s).map(drop)),
        // No backup is there: an allowed call gets as far as finding it unusable.
        ("backup::restore", Action::RestoreBackup, |d, s, f| {
            backup::restore(d, s, &f.scratch.path().join(porchlight_core::new_id()))
        }),
        ("demo::seed", Action::MakeDemo, |d, s, _| demo::seed(d, s, demo::Size::SMALL)),
        ("accounts::list", Action::ManageAccounts, |d, s, _| accounts::list(d, s).map(drop)),
        ("accounts::create", Action::ManageAccounts, |d, s, _| {
            let input = AccountInput {
                name: format!("Temp {}", porchlight_core::new_id()),
                roles: vec![Role::Facilitator],
                pin: "5927".into(),
                ..Default::default()
            };
            accounts::create(d, s, &input).map(drop)
        }),
        ("accounts::update", Action::ManageAccounts, |d, s, f| {
            accounts::update(d, s, &f.other_account_id, "Lee T.", &[Role::Facilitator]).map(drop)
        }),
        ("accounts::link_person", Action::ManageAccounts, |d, s, f| {
            accounts::link_person(d, s, &f.other_account_id, Some(&f.person_id)).map(drop)
        }),
        ("accounts::set_active", Action::ManageAccounts, |d, s, f| {
            accounts::set_active(d, s, &f.other_account_id, true).map(drop)
        }),
        ("accounts::unlock", Action::ManageAccounts, |d, s, f| accounts::unlock(d, s, &f.other_account_id).map(drop)),
        ("accounts::set_pin (someone else's)", Action::ManageAccounts, |d, s, f| {
            accounts::set_pin(d, s, &f.other_account_id, "5927")
        }),
        ("audit::browse", Action::ReadAuditLog, |d, s, _| audit::browse(d, s, &AuditQuery::default()).map(drop)),
        ("groups::create", Action::ManageGroups, |d, s, _| {
            groups::create(d, s, &group_named(&format!("Class {}", porchlight_core::new_id())), None).map(drop)
        }),
        ("groups::update", Action::ManageGroups, |d, s, f| {
            groups::update(d, s, &f.group_id, &group_named(&format!("SMART {}", porchlight_core::new_id()))).map(drop)
        }),
        ("groups::set_status", Action::ManageGroups, |d, s, f| {
            groups::set_status(d, s, &f.group_id, GroupStatus::Active).map(drop)
        }),
        ("groups::set_schedule", Action::ManageGroups, |d, s, f| {
            groups::set_schedule(d, s, &f.group_id, &weekly()).map(drop)
        }),
        ("groups::facilitator_choices", Action::ManageGroups, |d, s, _| groups::facilitator_choices(d, s).map(drop)),
        ("groups::get", Action::SeeSessions, |d, s, f| groups::get(d, s, &f.group_id).map(drop)),
        ("sessions::of_group", Action::SeeSessions, |d, s, f| {
            let today = d.today()?;
            sessions::of_group(d, s, &f.group_id, today, today).map(drop)
        }),
        ("sessions::move_session", Action::ManageGroups, |d, s, f| {
            let to = SessionMove { starts_at_local: format!("{}T19:00", d.today()?), room: None };
            sessions::move_session(d, s, &f.session_id, &to).map(drop)
        }),
        ("sessions::set_substitute", Action::ManageGroups, |d, s, f| {
            sessions::set_substitute(d, s, &f.session_id, Some(&f.other_account_id)).map(drop)
        }),
        ("sessions::cancel", Action::CancelSession, |d, s, f| sessions::cancel(d, s, &f.session_id, "Snow").map(drop)),
        ("sessions::restore", Action::CancelSession, |d, s, f| sessions::restore(d, s, &f.session_id).map(drop)),
        ("attendance::roster", Action::TakeAttendance, |d, s, f| attendance::roster(d, s, &f.session_id).map(drop)),
        ("attendance::mark", Action::TakeAttendance, |d, s, f| {
            attendance::mark(d, s, &f.session_id, &f.person_id, AttendanceState::Present).map(drop)
        }),
        ("attendance::set_headcount", Action::TakeAttendance, |d, s, f| {
            attendance::set_headcount(d, s, &f.session_id, Some(2)).map(drop)
        }),
        ("attendance::set_notes", Action::TakeAttendance, |d, s, f| {
            attendance::set_notes(d, s, &f.session_id, Some("Cravings"), None).map(drop)
        }),
        ("attendance::groups_of_person", Action::ViewPerson, |d, s, f| {
            attendance::groups_of_person(d, s, &f.person_id).map(drop)
        }),
        ("figures::for_group", Action::SeeGroupFigures, |d, s, f| {
            let today = d.today()?;
            figures::for_group(d, s, &f.group_id, today, today).map(drop)
        }),
        ("export::groups", Action::ExportGroups, |d, s, _| {
            export::groups(d, s, Format::Csv, std::io::sink()).map(drop)
        }),
        ("export::sessions", Action::ExportGroups, |d, s, _| {
            export::sessions(d, s, Days::default(), Format::Json, std::io::sink()).map(drop)
        }),
        ("export::sessions_calendar", Action::ExportGroups, |d, s, _| {
            export::sessions_calendar(d, s, Days::default(), std::io::sink()).map(drop)
        }),
        ("export::attendance", Action::ExportGroups, |d, s, _| {
            export::attendance(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
    ]
}

/// A support call that started ten minutes ago.
fn a_call(desk: &Desk) -> CallInput {
    CallInput::of_type(warmline::PEER_SUPPORT, Timestamp(desk.now().0 - chrono::Duration::minutes(10)))
}

fn in_an_hour(desk: &Desk) -> FollowUpInput {
    FollowUpInput {
        due_at: Timestamp(desk.now().0 + chrono::Duration::hours(1)),
        request: None,
        callback_number: Some("555-0100".into()),
    }
}

fn warmline_operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("warmline::catalog", Action::TakeCalls, |d, s, _| warmline::catalog(d, s, false).map(drop)),
        ("warmline::add_topic", Action::ManageWarmline, |d, s, _| {
            warmline::add_topic(d, s, &porchlight_core::new_id()).map(drop)
        }),
        ("warmline::set_retired", Action::ManageWarmline, |d, s, _| {
            warmline::set_retired(d, s, "01933b00-0000-7000-8002-00000000000c", false).map(drop)
        }),
        ("resources::find", Action::TakeCalls, |d, s, _| resources::find(d, s, "98", 8).map(drop)),
        ("resources::list", Action::TakeCalls, |d, s, _| resources::list(d, s, true).map(drop)),
        ("resources::add", Action::ManageWarmline, |d, s, _| {
            resources::add(d, s, &ResourceInput { name: porchlight_core::new_id(), ..Default::default() }).map(drop)
        }),
        ("resources::update", Action::ManageWarmline, |d, s, f| {
            resources::update(
                d,
                s,
                &f.resource_id,
                &ResourceInput { name: porchlight_core::new_id(), ..Default::default() },
            )
            .map(drop)
        }),
        ("resources::set_retired", Action::ManageWarmline, |d, s, f| {
            resources::set_retired(d, s, &f.resource_id, true).map(drop)
        }),
        ("callers::find", Action::TakeCalls, |d, s, _| callers::find(d, s, "bir", 8).map(drop)),
        ("callers::add", Action::TakeCalls, |d, s, _| callers::add(d, s, &porchlight_core::new_id()).map(drop)),
        ("callers::rename", Action::TakeCalls, |d, s, f| {
            callers::rename(d, s, &f.caller_id, &porchlight_core::new_id())
        }),
        ("callers::profile", Action::TakeCalls, |d, s, f| callers::profile(d, s, &f.caller_id).map(drop)),
        ("callers::write_what_helps", Action::TakeCalls, |d, s, f| {
            callers::write_what_helps(d, s, &f.caller_id, Some("Gardening")).map(drop)
        }),
        ("callers::add_flag", Action::ManageWarmline, |d, s, f| {
            let today = d.today()?;
            callers::add_flag(d, s, &f.caller_id, "Keep calls short", today).map(drop)
        }),
        ("callers::remove_flag", Action::ManageWarmline, |d, s, f| callers::remove_flag(d, s, &f.flag_id).map(drop)),
        ("callers::link_person", Action::ManageWarmline, |d, s, f| {
            callers::link_person(d, s, &f.caller_id, Some(&f.person_id), true)
        }),
        ("calls::start", Action::TakeCalls, |d, s, _| calls::start(d, s).map(drop)),
        ("calls::save_open", Action::TakeCalls, |d, s, _| {
            // Refused or not, the save below asks for itself.
            let _ = calls::start(d, s);
            calls::save_open(d, s, "{}").map(drop)
        }),
        ("calls::open_call", Action::TakeCalls, |d, s, _| calls::open_call(d, s).map(drop)),
        ("calls::discard_open", Action::TakeCalls, |d, s, _| calls::discard_open(d, s)),
        ("calls::finish", Action::TakeCalls, |d, s, _| {
            let call = a_call(d);
            calls::finish(d, s, &call).map(drop)
        }),
        ("calls::log", Action::TakeCalls, |d, s, _| {
            let call = a_call(d);
            calls::log(d, s, &call).map(drop)
        }),
        ("calls::takers", Action::TakeCalls, |d, s, _| calls::takers(d, s).map(drop)),
        ("calls::get", Action::TakeCalls, |d, s, f| calls::get(d, s, &f.call_id).map(drop)),
        ("calls::between", Action::TakeCalls, |d, s, _| {
            let today = d.today()?;
            calls::between(d, s, today, today).map(drop)
        }),
        ("calls::of_caller", Action::TakeCalls, |d, s, f| calls::of_caller(d, s, &f.caller_id).map(drop)),
        ("calls::update (another's)", Action::EditCall, |d, s, f| {
            let call = a_call(d);
            calls::update(d, s, &f.call_id, &call).map(drop)
        }),
        ("follow_ups::open", Action::TakeCalls, |d, s, _| follow_ups::open(d, s).map(drop)),
        ("follow_ups::add", Action::TakeCalls, |d, s, f| {
            let due = in_an_hour(d);
            follow_ups::add(d, s, &f.call_id, &due).map(drop)
        }),
        ("follow_ups::complete", Action::TakeCalls, |d, s, f| {
            follow_ups::complete(d, s, &f.follow_up_id, Some("Reached them")).map(drop)
        }),
        ("handoff::current", Action::TakeCalls, |d, s, _| handoff::current(d, s).map(drop)),
        ("handoff::leave_note", Action::TakeCalls, |d, s, _| {
            handoff::leave_note(d, s, "The 988 card is by the phone").map(drop)
        }),
        ("warmline::figures::for_period", Action::SeeWarmlineFigures, |d, s, _| {
            let today = d.today()?;
            warmline::figures::for_period(d, s, today, today).map(drop)
        }),
        ("retention::set_hold", Action::HoldWarmlineRecords, |d, s, f| {
            retention::set_hold(d, s, HoldOn::Caller, &f.caller_id, Some("Court order"))
        }),
        ("settings::set_warmline_note_days", Action::ManageSettings, |d, s, _| {
            settings::set_warmline_note_days(d, s, 60).map(drop)
        }),
        ("export::calls", Action::ExportWarmline, |d, s, _| {
            export::calls(d, s, Days::default(), Format::Csv, false, std::io::sink()).map(drop)
        }),
        ("export::callers", Action::ExportWarmline, |d, s, _| {
            export::callers(d, s, Format::Json, false, std::io::sink()).map(drop)
        }),
        ("export::resources", Action::ExportWarmline, |d, s, _| {
            export::resources(d, s, Format::Csv, std::io::sink()).map(drop)
        }),
        ("export::calls --include-notes", Action::ExportCallNotes, |d, s, _| {
            export::calls(d, s, Days::default(), Format::Json, true, std::io::sink()).map(drop)
        }),
        ("export::callers --include-notes", Action::ExportCallNotes, |d, s, _| {
            export::callers(d, s, Format::Csv, true, std::io::sink()).map(drop)
        }),
    ]
}

fn group_named(name: &str) -> GroupInput {
    GroupInput { name: name.into(), ..Default::default() }
}

/// Mondays at 7 am for a month: the fixture's desk stands on Monday 23 November 2026.
fn weekly() -> Schedule {
    Schedule {
        repeat: Repeat::Weekly,
        weekdays: vec![Weekday::Monday],
        every_weeks: 1,
        weeks_of_month: vec![1],
        starts_on: "2026-11-23".parse().unwrap(),
        ends_on: Some("2026-12-21".parse().unwrap()),
        start_time: "07:00".into(),
        duration_minutes: 60,
        skipped: Vec::new(),
    }
}

/// Operations on the acting account's own records, which a role whose scope is only its own
/// records may take.
fn operations_on_ones_own() -> Vec<(&'static str, Action, Operation)> {
    // Not set_password: changing a password one has asks for it whatever the roles (accounts' tests).
    vec![
        ("accounts::set_pin (one's own)", Action::ChangeOwnSecret, |d, s, f| {
            accounts::set_pin(d, s, &f.own_account_id, "6093")
        }),
        ("groups::list (one's own)", Action::SeeSessions, |d, s, _| groups::list(d, s).map(drop)),
        ("groups::get (one's own)", Action::SeeSessions, |d, s, f| groups::get(d, s, &f.own_group_id).map(drop)),
        ("sessions::upcoming (one's own)", Action::SeeSessions, |d, s, _| sessions::upcoming(d, s).map(drop)),
        ("sessions::cancel (one's own)", Action::CancelSession, |d, s, f| {
            sessions::cancel(d, s, &f.own_session_id, "Snow").map(drop)
        }),
        ("attendance::roster (one's own)", Action::TakeAttendance, |d, s, f| {
            attendance::roster(d, s, &f.own_session_id).map(drop)
        }),
        ("attendance::mark (one's own)", Action::TakeAttendance, |d, s, f| {
            attendance::mark(d, s, &f.own_session_id, &f.person_id, AttendanceState::Present).map(drop)
        }),
        ("attendance::set_headcount (one's own)", Action::TakeAttendance, |d, s, f| {
            attendance::set_headcount(d, s, &f.own_session_id, Some(1)).map(drop)
        }),
        ("attendance::set_notes (one's own)", Action::TakeAttendance, |d, s, f| {
            attendance::set_notes(d, s, &f.own_session_id, Some("Budgeting"), None).map(drop)
        }),
        ("figures::for_period (one's own)", Action::SeeGroupFigures, |d, s, _| {
            let today = d.today()?;
            figures::for_period(d, s, today, today).map(drop)
        }),
        ("calls::update (one's own)", Action::EditCall, |d, s, f| {
            let call = a_call(d);
            calls::update(d, s, &f.own_call_id, &call).map(drop)
        }),
        ("volunteers::catalog", Action::SeeShifts, |d, s, _| volunteers::catalog(d, s).map(drop)),
        ("volunteers::mine", Action::SeeShifts, |d, s, _| volunteers::mine(d, s).map(drop)),
        ("volunteers::get (one's own)", Action::SeeShifts, |d, s, f| {
            volunteers::get(d, s, &f.volunteer.own_id).map(drop)
        }),
        ("shifts::between (one's own)", Action::SeeShifts, |d, s, _| {
            let today = d.today()?;
            shifts::between(d, s, today, today).map(drop)
        }),
        ("shifts::get (one's own)", Action::SeeShifts, |d, s, f| {
            shifts::get(d, s, &f.volunteer.today_shift_id).map(drop)
        }),
        ("hours::of_volunteer (one's own)", Action::SeeShifts, |d, s, f| {
            let today = d.today()?;
            hours::of_volunteer(d, s, &f.volunteer.own_id, today, today).map(drop)
        }),
        ("volunteers::add_blackout (one's own)", Action::SignUpForShifts, |d, s, f| {
            let day = "2027-01-02".parse().unwrap();
            volunteers::add_blackout(d, s, &f.volunteer.own_id, day, day).map(drop)
        }),
        ("volunteers::remove_blackout (one's own)", Action::SignUpForShifts, |d, s, f| {
            volunteers::remove_blackout(d, s, &f.volunteer.own_blackout_id).map(drop)
        }),
        ("assignments::sign_up (oneself)", Action::SignUpForShifts, |d, s, f| {
            assignments::sign_up(d, s, &f.volunteer.open_shift_id, &f.volunteer.own_id).map(drop)
        }),
        ("assignments::drop_shift (one's own)", Action::SignUpForShifts, |d, s, f| {
            assignments::drop_shift(d, s, &f.volunteer.own_tomorrow).map(drop)
        }),
        ("assignments::clock_in (oneself)", Action::ClockShifts, |d, s, f| {
            assignments::clock_in(d, s, &f.volunteer.own_today).map(drop)
        }),
        ("assignments::clock_out (oneself)", Action::ClockShifts, |d, s, f| {
            assignments::clock_out(d, s, &f.volunteer.own_today).map(drop)
        }),
    ]
}

/// A center with Lee's account to act on, its admin, and `role`'s account signed in.
fn center_with(role: Role, by_password: bool) -> (TestDesk, Session, Session, Accounts) {
    let mut desk = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    let admin = accounts::first_run(&mut desk.desk, &harbor_house()).unwrap();
    let other = AccountInput {
        name: "Lee T.".into(),
        roles: vec![Role::Facilitator],
        pin: "7392".into(),
        ..Default::default()
    };
    let other = accounts::create(&mut desk.desk, &admin, &other).unwrap();
    let (session, own) = if role == Role::Admin {
        let id = admin.account_id().unwrap().to_owned();
        let session = if by_password {
            accounts::sign_in_with_password(&mut desk.desk, &id, ADMIN_PASSWORD)
        } else {
            accounts::sign_in_with_pin(&mut desk.desk, &id, ADMIN_PIN)
        };
        (session.unwrap(), id)
    } else {
        let input =
            AccountInput { name: format!("{role:?}"), roles: vec![role], pin: "2468".into(), ..Default::default() };
        let account = accounts::create(&mut desk.desk, &admin, &input).unwrap();
        (accounts::sign_in_with_pin(&mut desk.desk, &account.id, "2468").unwrap(), account.id)
    };
    (desk, admin, session, Accounts { own, other: other.id })
}

struct Accounts {
    own: String,
    other: String,
}

/// A person just checked in, made by the admin for the next operation to work on.
fn fixture(desk: &mut Desk, admin: &Session, accounts: &Accounts) -> Fixture {
    let person = people::register(desk, admin, &dana()).unwrap();
    let visit = visits::check_in(desk, admin, &person.id, &[]).unwrap();
    let mut group_of = |facilitator: &str| {
        let input =
            GroupInput { facilitator_ids: vec![facilitator.to_owned()], ..group_named(&porchlight_core::new_id()) };
        let group = groups::create(desk, admin, &input, Some(&weekly())).unwrap();
        let today = desk.today().unwrap();
        let session = sessions::of_group(desk, admin, &group.id, today, today).unwrap().remove(0);
        (group.id, session.id)
    };
    let (group_id, session_id) = group_of(&accounts.other);
    let (own_group_id, own_session_id) = group_of(&accounts.own);
    let caller = callers::add(desk, admin, &porchlight_core::new_id()).unwrap();
    let today = desk.today().unwrap();
    let flag = callers::add_flag(desk, admin, &caller.id, "Keep calls short", today).unwrap().flags.remove(0);
    let mut call_taken_by = |account: &str| {
        let input =
            CallInput { taken_by: Some(account.to_owned()), caller_id: Some(caller.id.clone()), ..a_call(desk) };
        calls::log(desk, admin, &input).unwrap().summary.id
    };
    let (call_id, own_call_id) = (call_taken_by(&accounts.other), call_taken_by(&accounts.own));
    let due = in_an_hour(desk);
    let follow_up = follow_ups::add(desk, admin, &call_id, &due).unwrap();
    let resource =
        resources::add(desk, admin, &ResourceInput { name: porchlight_core::new_id(), ..Default::default() }).unwrap();
    Fixture {
        person_id: person.id,
        member_code: person.member_code,
        visit_id: visit.id,
        service_id: services::list(desk, admin, false).unwrap()[0].id.clone(),
        own_account_id: accounts.own.clone(),
        other_account_id: accounts.other.clone(),
        group_id,
        session_id,
        own_group_id,
        own_session_id,
        caller_id: caller.id,
        call_id,
        own_call_id,
        resource_id: resource.id,
        follow_up_id: follow_up.id,
        flag_id: flag.id,
        volunteer: volunteers_of(desk, admin, &accounts.own),
        scratch: tempfile::tempdir().unwrap(),
    }
}

/// Two warmline volunteers, one of them the acting account's, on a fortnight of the morning line.
fn volunteers_of(desk: &mut Desk, admin: &Session, own_account: &str) -> Volunteers {
    let own_id = line_volunteer(desk, &format!("Own {}", porchlight_core::new_id()), "2030-01-01");
    accounts::link_person(desk, admin, own_account, Some(&own_id)).unwrap();
    let other_id = line_volunteer(desk, &format!("Other {}", porchlight_core::new_id()), "2030-01-01");
    let mut line = morning_line("2026-11-23");
    line.name = porchlight_core::new_id();
    line.schedule.ends_on = Some("2026-12-04".parse().unwrap());
    let template = templates::create(desk, admin, &line).unwrap();
    let today = desk.today().unwrap();
    let fortnight: Vec<shifts::Shift> = shifts::between(desk, admin, today, today + chrono::Duration::days(13))
        .unwrap()
        .into_iter()
        .filter(|shift| shift.template_id == template.id)
        .collect();
    let mut on = |shift: &shifts::Shift, volunteer: &str| {
        let held = assignments::assign(desk, admin, &shift.id, volunteer).unwrap();
        held.holders.into_iter().find(|h| h.volunteer_id == volunteer).unwrap().assignment_id
    };
    let (own_today, other_today) = (on(&fortnight[0], &own_id), on(&fortnight[0], &other_id));
    let own_tomorrow = on(&fortnight[1], &own_id);
    let away = |desk: &mut Desk, volunteer: &str| {
        let days = "2026-12-24".parse().unwrap();
        volunteers::add_blackout(desk, admin, volunteer, days, days).unwrap().blackouts.remove(0).id
    };
    let (own_blackout_id, other_blackout_id) = (away(desk, &own_id), away(desk, &other_id));
    let credential =
        CredentialInput { kind_id: volunteers::CONFIDENTIALITY_TRAINING.into(), issued_on: today, expires_on: None };
    let credential_id = credentials::add(desk, admin, &other_id, &credential)
        .unwrap()
        .into_iter()
        .find(|c| c.kind_id == volunteers::CONFIDENTIALITY_TRAINING)
        .unwrap()
        .id;
    let logged = HoursInput { volunteer_id: other_id.clone(), worked_on: today, minutes: 60, what: "Outreach".into() };
    let hours_id =
        hours::log(desk, admin, &logged).unwrap().entries.into_iter().find(|e| e.source == "logged").unwrap().id;
    Volunteers {
        own_id,
        other_id,
        template_id: template.id,
        today_shift_id: fortnight[0].id.clone(),
        open_shift_id: fortnight[5].id.clone(),
        own_today,
        other_today,
        own_tomorrow,
        own_blackout_id,
        other_blackout_id,
        credential_id,
        hours_id,
    }
}

fn one_off() -> OneOffInput {
    OneOffInput {
        name: "Health fair".into(),
        role_id: volunteers::DRIVER_ROLE.into(),
        starts_at_local: "2026-12-05T09:00".into(),
        ends_at_local: "2026-12-05T13:00".into(),
        needed_min: 2,
        needed_ideal: None,
        location: None,
    }
}

fn volunteer_operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("volunteers::add_role", Action::ManageVolunteers, |d, s, _| {
            volunteers::add_role(d, s, &porchlight_core::new_id(), false, &[]).map(drop)
        }),
        ("volunteers::set_role_requirements", Action::ManageVolunteers, |d, s, _| {
            volunteers::set_role_requirements(d, s, volunteers::DRIVER_ROLE, &[volunteers::BACKGROUND_CHECK.into()])
                .map(drop)
        }),
        ("volunteers::add_credential_kind", Action::ManageVolunteers, |d, s, _| {
            volunteers::add_credential_kind(d, s, &porchlight_core::new_id()).map(drop)
        }),
        ("volunteers::set_retired", Action::ManageVolunteers, |d, s, _| {
            volunteers::set_retired(d, s, volunteers::DRIVER_ROLE, false).map(drop)
        }),
        ("volunteers::save", Action::ManageVolunteers, |d, s, f| {
            let input = VolunteerInput { role_ids: vec![volunteers::WARMLINE_ROLE.into()], ..Default::default() };
            volunteers::save(d, s, &f.volunteer.other_id, &input).map(drop)
        }),
        ("volunteers::set_active", Action::ManageVolunteers, |d, s, f| {
            volunteers::set_active(d, s, &f.volunteer.other_id, true).map(drop)
        }),
        ("volunteers::list", Action::ManageVolunteers, |d, s, _| volunteers::list(d, s).map(drop)),
        ("volunteers::get (another's)", Action::SeeShifts, |d, s, f| {
            volunteers::get(d, s, &f.volunteer.other_id).map(drop)
        }),
        ("volunteers::add_blackout (another's)", Action::SignUpForShifts, |d, s, f| {
            let day = "2027-01-02".parse().unwrap();
            volunteers::add_blackout(d, s, &f.volunteer.other_id, day, day).map(drop)
        }),
        ("volunteers::remove_blackout (another's)", Action::SignUpForShifts, |d, s, f| {
            volunteers::remove_blackout(d, s, &f.volunteer.other_blackout_id).map(drop)
        }),
        ("credentials::add", Action::ManageVolunteers, |d, s, f| {
            let input = CredentialInput {
                kind_id: volunteers::BACKGROUND_CHECK.into(),
                issued_on: d.today()?,
                expires_on: None,
            };
            credentials::add(d, s, &f.volunteer.other_id, &input).map(drop)
        }),
        ("credentials::remove", Action::ManageVolunteers, |d, s, f| {
            credentials::remove(d, s, &f.volunteer.credential_id).map(drop)
        }),
        ("credentials::alerts", Action::ManageVolunteers, |d, s, _| credentials::alerts(d, s).map(drop)),
        ("templates::create", Action::ManageVolunteers, |d, s, _| {
            templates::create(d, s, &morning_line("2026-12-07")).map(drop)
        }),
        ("templates::add_one_off", Action::ManageVolunteers, |d, s, _| {
            templates::add_one_off(d, s, &one_off()).map(drop)
        }),
        ("templates::for_group", Action::ManageVolunteers, |d, s, f| {
            templates::for_group(d, s, &f.own_group_id, 1).map(drop)
        }),
        ("templates::update", Action::ManageVolunteers, |d, s, f| {
            templates::update(d, s, &f.volunteer.template_id, &morning_line("2026-11-23")).map(drop)
        }),
        ("templates::end", Action::ManageVolunteers, |d, s, f| {
            templates::end(d, s, &f.volunteer.template_id).map(drop)
        }),
        ("templates::list", Action::ManageVolunteers, |d, s, _| templates::list(d, s).map(drop)),
        ("shifts::gaps", Action::SeeShifts, |d, s, _| shifts::gaps(d, s).map(drop)),
        ("shifts::get (another's)", Action::SeeShifts, |d, s, f| {
            shifts::get(d, s, &f.volunteer.open_shift_id).map(drop)
        }),
        ("shifts::cancel", Action::ManageVolunteers, |d, s, f| {
            shifts::cancel(d, s, &f.volunteer.open_shift_id, "Closed").map(drop)
        }),
        ("shifts::restore", Action::ManageVolunteers, |d, s, f| {
            shifts::restore(d, s, &f.volunteer.open_shift_id).map(drop)
        }),
        ("assignments::candidates", Action::ManageVolunteers, |d, s, f| {
            assignments::candidates(d, s, &f.volunteer.open_shift_id).map(drop)
        }),
        ("assignments::assign", Action::ManageVolunteers, |d, s, f| {
            assignments::assign(d, s, &f.volunteer.open_shift_id, &f.volunteer.other_id).map(drop)
        }),
        ("assignments::sign_up (another)", Action::SignUpForShifts, |d, s, f| {
            assignments::sign_up(d, s, &f.volunteer.open_shift_id, &f.volunteer.other_id).map(drop)
        }),
        ("assignments::drop_shift (another's)", Action::SignUpForShifts, |d, s, f| {
            assignments::drop_shift(d, s, &f.volunteer.other_today).map(drop)
        }),
        ("assignments::swap", Action::ManageVolunteers, |d, s, f| {
            assignments::swap(d, s, &f.volunteer.own_tomorrow, &f.volunteer.other_id).map(drop)
        }),
        ("assignments::clock_in (another)", Action::ClockShifts, |d, s, f| {
            assignments::clock_in(d, s, &f.volunteer.other_today).map(drop)
        }),
        ("assignments::clock_out (another)", Action::ClockShifts, |d, s, f| {
            assignments::clock_out(d, s, &f.volunteer.other_today).map(drop)
        }),
        ("assignments::mark_no_show", Action::ManageVolunteers, |d, s, f| {
            assignments::mark_no_show(d, s, &f.volunteer.other_today, "No word").map(drop)
        }),
        ("assignments::confirm_day", Action::ManageVolunteers, |d, s, _| {
            let yesterday = d.today()? - chrono::Duration::days(1);
            assignments::confirm_day(d, s, yesterday).map(drop)
        }),
        ("hours::log", Action::ManageVolunteers, |d, s, f| {
            let input = HoursInput {
                volunteer_id: f.volunteer.other_id.clone(),
                worked_on: d.today()?,
                minutes: 30,
                what: "Training".into(),
            };
            hours::log(d, s, &input).map(drop)
        }),
        ("hours::remove", Action::ManageVolunteers, |d, s, f| hours::remove(d, s, &f.volunteer.hours_id)),
        ("hours::of_volunteer (another's)", Action::SeeShifts, |d, s, f| {
            let today = d.today()?;
            hours::of_volunteer(d, s, &f.volunteer.other_id, today, today).map(drop)
        }),
        ("hours::figures", Action::SeeVolunteerFigures, |d, s, _| {
            let today = d.today()?;
            hours::figures(d, s, today, today).map(drop)
        }),
        ("export::volunteers", Action::ExportVolunteers, |d, s, _| {
            export::volunteers(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("export::shifts", Action::ExportVolunteers, |d, s, _| {
            export::shifts(d, s, Days::default(), Format::Json, std::io::sink()).map(drop)
        }),
        ("export::shifts_calendar", Action::ExportVolunteers, |d, s, f| {
            export::shifts_calendar(d, s, Days::default(), Some(&f.volunteer.other_id), std::io::sink()).map(drop)
        }),
        ("export::volunteer_hours", Action::ExportVolunteers, |d, s, _| {
            export::volunteer_hours(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("reports::preset", Action::RunReports, |d, s, _| reports::preset(d, s, Preset::LastMonth).map(drop)),
        ("reports::center::compare", Action::RunReports, |d, s, _| {
            let today = d.today()?;
            center::compare(d, s, today, today).map(drop)
        }),
        ("reports::center::report", Action::RunReports, |d, s, _| {
            let today = d.today()?;
            center::report(d, s, today, today).map(drop)
        }),
        ("reports::files::write", Action::RunReports, |d, s, _| {
            let today = d.today()?;
            let options = FileOptions { format: ReportFormat::Csv, suppress_small: true, paper: None };
            report_files::write(d, s, today, today, options, &mut std::io::sink())
        }),
        ("reports::files::save", Action::RunReports, |d, s, f| {
            let today = d.today()?;
            let options = FileOptions { format: ReportFormat::Json, suppress_small: false, paper: None };
            report_files::save(d, s, today, today, options, &f.scratch.path().join("report.json"), true)
        }),
        ("same_person::overview", Action::LinkPeople, |d, s, _| same_person::overview(d, s).map(drop)),
        ("same_person::link", Action::LinkPeople, |d, s, f| {
            same_person::link(d, s, &f.person_id, &f.volunteer.other_id)
        }),
        ("same_person::keep_apart", Action::LinkPeople, |d, s, f| {
            same_person::keep_apart(d, s, &f.person_id, &f.volunteer.other_id)
        }),
        ("settings::set_report_settings", Action::ManageSettings, |d, s, _| {
            let input =
                settings::ReportSettings { fiscal_year_starts: 7, small_counts_below: 5, publish_to_network: true };
            settings::set_report_settings(d, s, &input).map(drop)
        }),
    ]
}

#[test]
fn every_operation_is_allowed_exactly_when_the_acting_roles_allow_it() {
    let mut wrong = Vec::new();
    let signed_in = Role::ALL.iter().map(|role| (*role, true)).chain([(Role::Admin, false)]);
    for (role, by_password) in signed_in {
        let (mut desk, admin, session, accounts) = center_with(role, by_password);
        let on_any = operations()
            .into_iter()
            .chain(warmline_operations())
            .chain(volunteer_operations())
            .map(|operation| (operation, false));
        for ((name, action, operation), ones_own) in
            on_any.chain(operations_on_ones_own().into_iter().map(|o| (o, true)))
        {
            let fixture = fixture(&mut desk.desk, &admin, &accounts);
            let result = operation(&mut desk.desk, &session, &fixture);
            let refused = matches!(
                result,
                Err(Error::Access(AccessError::NotAllowed { .. }) | Error::Access(AccessError::PasswordNeeded { .. }))
            );
            let in_scope = match action.scope_for(&[role]) {
                Some(Scope::Any) => true,
                Some(Scope::Own) => ones_own,
                None => false,
            };
            let should_be_allowed = in_scope && (by_password || !action_is_admin_only(action));
            if refused == should_be_allowed {
                let how = if by_password { "" } else { " signed in by PIN" };
                wrong.push(format!("{role:?}{how} {name}: {result:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "operations allowed or refused against the policy:\n{}", wrong.join("\n"));
}

/// Admin-only actions, which ask for the password rather than a PIN.
fn action_is_admin_only(action: Action) -> bool {
    Role::ALL.iter().filter(|role| **role != Role::Admin).all(|role| !action.allowed_for(&[*role]))
}

/// Every action for every role, on any record, on the account's own record and on another's:
/// refused or allowed exactly as the action's scope says.
#[test]
fn each_action_reaches_exactly_the_records_its_scope_allows() {
    let mut wrong = Vec::new();
    for role in Role::ALL.iter().copied() {
        let (desk, _admin, session, accounts) = center_with(role, true);
        for action in Action::ALL.iter().copied() {
            let scope = action.scope_for(&[role]);
            let cases = [
                ("any record", access::authorize(&desk.desk, &session, action), scope == Some(Scope::Any)),
                (
                    "its own",
                    access::authorize_own(&desk.desk, &session, action, Some(accounts.own.as_str())),
                    scope.is_some(),
                ),
                (
                    "another's",
                    access::authorize_own(&desk.desk, &session, action, Some(accounts.other.as_str())),
                    scope == Some(Scope::Any),
                ),
                ("nobody's", access::authorize_own(&desk.desk, &session, action, None), scope == Some(Scope::Any)),
            ];
            for (on, result, allowed) in cases {
                let refused = matches!(result, Err(Error::Access(AccessError::NotAllowed { .. })));
                if refused == allowed || (allowed && result.is_err()) {
                    wrong.push(format!("{role:?} {action:?} on {on}: {result:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "scopes not as the policy says:\n{}", wrong.join("\n"));
}
