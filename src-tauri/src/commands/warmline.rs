use porchlight_core::warmline::callers::{self, CallerMatch, CallerProfile};
use porchlight_core::warmline::calls::{self, Call, CallInput, CallSummary, OpenCall};
use porchlight_core::warmline::figures::{self, WarmlineFigures};
use porchlight_core::warmline::follow_ups::{self, FollowUp, FollowUpInput};
use porchlight_core::warmline::handoff::{self, Handoff, HandoffNote};
use porchlight_core::warmline::resources::{self, Resource, ResourceInput};
use porchlight_core::warmline::retention::{self, HoldOn};
use porchlight_core::warmline::{self, CallKind, CallType, Catalog, Topic};
use porchlight_core::{reports, settings};
use tauri::State;

use crate::state::{CommandError, DeskState};

/// How many matches a type-ahead offers.
const TYPE_AHEAD: usize = 8;

#[tauri::command(rename_all = "snake_case")]
pub async fn warmline_catalog(desk: State<'_, DeskState>, with_retired: bool) -> Result<Catalog, CommandError> {
    desk.run_signed_in(move |desk, session| warmline::catalog(desk, session, with_retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_call_type(desk: State<'_, DeskState>, name: String, kind: CallKind) -> Result<CallType, CommandError> {
    desk.run_signed_in(move |desk, session| warmline::add_call_type(desk, session, &name, kind)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_topic(desk: State<'_, DeskState>, name: String) -> Result<Topic, CommandError> {
    desk.run_signed_in(move |desk, session| warmline::add_topic(desk, session, &name)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_warmline_item_retired(
    desk: State<'_, DeskState>,
    id: String,
    retired: bool,
) -> Result<Catalog, CommandError> {
    desk.run_signed_in(move |desk, session| warmline::set_retired(desk, session, &id, retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn find_resources(desk: State<'_, DeskState>, query: String) -> Result<Vec<Resource>, CommandError> {
    desk.run_signed_in(move |desk, session| resources::find(desk, session, &query, TYPE_AHEAD)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_resources(desk: State<'_, DeskState>, with_retired: bool) -> Result<Vec<Resource>, CommandError> {
    desk.run_signed_in(move |desk, session| resources::list(desk, session, with_retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_resource(desk: State<'_, DeskState>, input: ResourceInput) -> Result<Resource, CommandError> {
    desk.run_signed_in(move |desk, session| resources::add(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_resource(
    desk: State<'_, DeskState>,
    id: String,
    input: ResourceInput,
) -> Result<Resource, CommandError> {
    desk.run_signed_in(move |desk, session| resources::update(desk, session, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_resource_retired(
    desk: State<'_, DeskState>,
    id: String,
    retired: bool,
) -> Result<Resource, CommandError> {
    desk.run_signed_in(move |desk, session| resources::set_retired(desk, session, &id, retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn find_callers(desk: State<'_, DeskState>, query: String) -> Result<Vec<CallerMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| callers::find(desk, session, &query, TYPE_AHEAD)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_caller(desk: State<'_, DeskState>, alias: String) -> Result<CallerMatch, CommandError> {
    desk.run_signed_in(move |desk, session| callers::add(desk, session, &alias)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rename_caller(desk: State<'_, DeskState>, id: String, alias: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| callers::rename(desk, session, &id, &alias)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn caller_profile(desk: State<'_, DeskState>, id: String) -> Result<CallerProfile, CommandError> {
    desk.run_signed_in(move |desk, session| callers::profile(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn write_what_helps(
    desk: State<'_, DeskState>,
    caller_id: String,
    text: Option<String>,
) -> Result<CallerProfile, CommandError> {
    desk.run_signed_in(move |desk, session| callers::write_what_helps(desk, session, &caller_id, text.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_caller_flag(
    desk: State<'_, DeskState>,
    caller_id: String,
    text: String,
    until: String,
) -> Result<CallerProfile, CommandError> {
    desk.run_signed_in(move |desk, session| {
        let until = reports::parse_day(&until).map_err(|_| porchlight_core::Error::FlagUntilOutOfRange)?;
        callers::add_flag(desk, session, &caller_id, &text, until)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_caller_flag(desk: State<'_, DeskState>, flag_id: String) -> Result<CallerProfile, CommandError> {
    desk.run_signed_in(move |desk, session| callers::remove_flag(desk, session, &flag_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn link_caller_person(
    desk: State<'_, DeskState>,
    caller_id: String,
    person_id: Option<String>,
    consent_given: bool,
) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| {
        callers::link_person(desk, session, &caller_id, person_id.as_deref(), consent_given)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn start_call(desk: State<'_, DeskState>) -> Result<OpenCall, CommandError> {
    desk.run_signed_in(|desk, session| calls::start(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_open_call(desk: State<'_, DeskState>, draft: String) -> Result<OpenCall, CommandError> {
    desk.run_signed_in(move |desk, session| calls::save_open(desk, session, &draft)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_call(desk: State<'_, DeskState>) -> Result<Option<OpenCall>, CommandError> {
    desk.run_signed_in(|desk, session| calls::open_call(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn discard_open_call(desk: State<'_, DeskState>) -> Result<(), CommandError> {
    desk.run_signed_in(|desk, session| calls::discard_open(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn finish_call(desk: State<'_, DeskState>, input: CallInput) -> Result<Call, CommandError> {
    desk.run_signed_in(move |desk, session| calls::finish(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn log_call(desk: State<'_, DeskState>, input: CallInput) -> Result<Call, CommandError> {
    desk.run_signed_in(move |desk, session| calls::log(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn call_takers(desk: State<'_, DeskState>) -> Result<Vec<calls::Named>, CommandError> {
    desk.run_signed_in(|desk, session| calls::takers(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_call(desk: State<'_, DeskState>, id: String) -> Result<Call, CommandError> {
    desk.run_signed_in(move |desk, session| calls::get(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_call(desk: State<'_, DeskState>, id: String, input: CallInput) -> Result<Call, CommandError> {
    desk.run_signed_in(move |desk, session| calls::update(desk, session, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn calls_between(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<Vec<CallSummary>, CommandError> {
    desk.run_signed_in(move |desk, session| {
        calls::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn leave_handoff_note(desk: State<'_, DeskState>, note: String) -> Result<HandoffNote, CommandError> {
    desk.run_signed_in(move |desk, session| handoff::leave_note(desk, session, &note)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn caller_calls(desk: State<'_, DeskState>, caller_id: String) -> Result<Vec<CallSummary>, CommandError> {
    desk.run_signed_in(move |desk, session| calls::of_caller(desk, session, &caller_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn open_follow_ups(desk: State<'_, DeskState>) -> Result<Vec<FollowUp>, CommandError> {
    desk.run_signed_in(|desk, session| follow_ups::open(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_follow_up(
    desk: State<'_, DeskState>,
    call_id: String,
    input: FollowUpInput,
) -> Result<FollowUp, CommandError> {
    desk.run_signed_in(move |desk, session| follow_ups::add(desk, session, &call_id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn complete_follow_up(
    desk: State<'_, DeskState>,
    id: String,
    note: Option<String>,
) -> Result<FollowUp, CommandError> {
    desk.run_signed_in(move |desk, session| follow_ups::complete(desk, session, &id, note.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_handoff(desk: State<'_, DeskState>) -> Result<Handoff, CommandError> {
    desk.run_signed_in(|desk, session| handoff::current(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn warmline_figures(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<WarmlineFigures, CommandError> {
    desk.run_signed_in(move |desk, session| {
        figures::for_period(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_warmline_hold(
    desk: State<'_, DeskState>,
    on: HoldOn,
    id: String,
    reason: Option<String>,
) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| retention::set_hold(desk, session, on, &id, reason.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn warmline_note_days(desk: State<'_, DeskState>) -> Result<u32, CommandError> {
    desk.run_signed_in(|desk, _| settings::warmline_note_days(desk)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_warmline_note_days(desk: State<'_, DeskState>, days: u32) -> Result<u32, CommandError> {
    desk.run_signed_in(move |desk, session| settings::set_warmline_note_days(desk, session, days)).await
}
