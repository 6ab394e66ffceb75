use porchlight_core::groups::attendance::{self, AttendanceState, GroupAttended, Roster};
use porchlight_core::groups::figures::{self, GroupFigures};
use porchlight_core::groups::sessions::{self, GroupSession, SessionMove};
use porchlight_core::groups::{self, Facilitator, Group, GroupInput, GroupStatus, Schedule};
use porchlight_core::reports;
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn list_groups(desk: State<'_, DeskState>) -> Result<Vec<Group>, CommandError> {
    desk.run_signed_in(|desk, session| groups::list(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_group(
    desk: State<'_, DeskState>,
    input: GroupInput,
    schedule: Option<Schedule>,
) -> Result<Group, CommandError> {
    desk.run_signed_in(move |desk, session| groups::create(desk, session, &input, schedule.as_ref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_group(desk: State<'_, DeskState>, id: String, input: GroupInput) -> Result<Group, CommandError> {
    desk.run_signed_in(move |desk, session| groups::update(desk, session, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_group_status(
    desk: State<'_, DeskState>,
    id: String,
    status: GroupStatus,
) -> Result<Group, CommandError> {
    desk.run_signed_in(move |desk, session| groups::set_status(desk, session, &id, status)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_group_schedule(
    desk: State<'_, DeskState>,
    id: String,
    schedule: Schedule,
) -> Result<Group, CommandError> {
    desk.run_signed_in(move |desk, session| groups::set_schedule(desk, session, &id, &schedule)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn facilitator_choices(desk: State<'_, DeskState>) -> Result<Vec<Facilitator>, CommandError> {
    desk.run_signed_in(|desk, session| groups::facilitator_choices(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn upcoming_sessions(desk: State<'_, DeskState>) -> Result<Vec<GroupSession>, CommandError> {
    desk.run_signed_in(|desk, session| sessions::upcoming(desk, session)).await
}

/// The sessions of local days `from..=to`: a week gone by, to take or fix its attendance.
#[tauri::command(rename_all = "snake_case")]
pub async fn sessions_between(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<Vec<GroupSession>, CommandError> {
    desk.run_signed_in(move |desk, session| {
        sessions::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_session(
    desk: State<'_, DeskState>,
    session_id: String,
    reason: String,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| sessions::cancel(desk, session, &session_id, &reason)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_session(desk: State<'_, DeskState>, session_id: String) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| sessions::restore(desk, session, &session_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn move_session(
    desk: State<'_, DeskState>,
    session_id: String,
    to: SessionMove,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| sessions::move_session(desk, session, &session_id, &to)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_session_substitute(
    desk: State<'_, DeskState>,
    session_id: String,
    account_id: Option<String>,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| sessions::set_substitute(desk, session, &session_id, account_id.as_deref()))
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn session_roster(desk: State<'_, DeskState>, session_id: String) -> Result<Roster, CommandError> {
    desk.run_signed_in(move |desk, session| attendance::roster(desk, session, &session_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn mark_attendance(
    desk: State<'_, DeskState>,
    session_id: String,
    person_id: String,
    state: AttendanceState,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| attendance::mark(desk, session, &session_id, &person_id, state)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_headcount(
    desk: State<'_, DeskState>,
    session_id: String,
    count: Option<u32>,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| attendance::set_headcount(desk, session, &session_id, count)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_session_notes(
    desk: State<'_, DeskState>,
    session_id: String,
    topic: Option<String>,
    note: Option<String>,
) -> Result<GroupSession, CommandError> {
    desk.run_signed_in(move |desk, session| {
        attendance::set_notes(desk, session, &session_id, topic.as_deref(), note.as_deref())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn groups_of_person(
    desk: State<'_, DeskState>,
    person_id: String,
) -> Result<Vec<GroupAttended>, CommandError> {
    desk.run_signed_in(move |desk, session| attendance::groups_of_person(desk, session, &person_id)).await
}

/// Figures for local days `from..=to` (`YYYY-MM-DD`), for the groups the session may see.
#[tauri::command(rename_all = "snake_case")]
pub async fn group_figures(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<Vec<GroupFigures>, CommandError> {
    desk.run_signed_in(move |desk, session| {
        figures::for_period(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}
