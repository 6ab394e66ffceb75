use porchlight_core::groups::attendance::{self, AttendanceState, GroupAttended, Roster};
use porchlight_core::groups::figures::{self, GroupFigures};
use porchlight_core::groups::sessions::{self, GroupSession, SessionMove};
use porchlight_core::groups::{self, Facilitator, Group, GroupInput, GroupStatus, Schedule};
use porchlight_core::reports;


use super::declare::commands;

commands! {
    signed_in fn list_groups() -> Vec<Group> = |desk, session| groups::list(desk, session);

    signed_in fn create_group(input: GroupInput, schedule: Option<Schedule>) -> Group =
        |desk, session| groups::create(desk, session, &input, schedule.as_ref());

    signed_in fn update_group(id: String, input: GroupInput) -> Group =
        |desk, session| groups::update(desk, session, &id, &input);

    signed_in fn set_group_status(id: String, status: GroupStatus) -> Group =
        |desk, session| groups::set_status(desk, session, &id, status);

    signed_in fn set_group_schedule(id: String, schedule: Schedule) -> Group =
        |desk, session| groups::set_schedule(desk, session, &id, &schedule);

    signed_in fn facilitator_choices() -> Vec<Facilitator> = |desk, session| groups::facilitator_choices(desk, session);

    signed_in fn upcoming_sessions() -> Vec<GroupSession> = |desk, session| sessions::upcoming(desk, session);

    /// The sessions of local days `from..=to`: a week gone by, to take or fix its attendance.
    signed_in fn sessions_between(from: String, to: String) -> Vec<GroupSession> = |desk, session| {
        sessions::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    signed_in fn cancel_session(session_id: String, reason: String) -> GroupSession =
        |desk, session| sessions::cancel(desk, session, &session_id, &reason);

    signed_in fn restore_session(session_id: String) -> GroupSession =
        |desk, session| sessions::restore(desk, session, &session_id);

    signed_in fn move_session(session_id: String, to: SessionMove) -> GroupSession =
        |desk, session| sessions::move_session(desk, session, &session_id, &to);

    signed_in fn set_session_substitute(session_id: String, account_id: Option<String>) -> GroupSession =
        |desk, session| sessions::set_substitute(desk, session, &session_id, account_id.as_deref());

    signed_in fn session_roster(session_id: String) -> Roster =
        |desk, session| attendance::roster(desk, session, &session_id);

    signed_in fn mark_attendance(session_id: String, person_id: String, state: AttendanceState) -> GroupSession =
        |desk, session| attendance::mark(desk, session, &session_id, &person_id, state);

    signed_in fn set_headcount(session_id: String, count: Option<u32>) -> GroupSession =
        |desk, session| attendance::set_headcount(desk, session, &session_id, count);

    signed_in fn set_session_notes(
        session_id: String,
        topic: Option<String>,
        note: Option<String>,
    ) -> GroupSession = |desk, session| {
        attendance::set_notes(desk, session, &session_id, topic.as_deref(), note.as_deref())
    };

    signed_in fn groups_of_person(person_id: String) -> Vec<GroupAttended> =
        |desk, session| attendance::groups_of_person(desk, session, &person_id);

    /// Figures for local days `from..=to` (`YYYY-MM-DD`), for the groups the session may see.
    signed_in fn group_figures(from: String, to: String) -> Vec<GroupFigures> = |desk, session| {
        figures::for_period(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };
}
