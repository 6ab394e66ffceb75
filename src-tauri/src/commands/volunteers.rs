use porchlight_core::reports;
use porchlight_core::volunteers::assignments::{self, Candidate};
use porchlight_core::volunteers::credentials::{self, CredentialAlert, CredentialInput, HeldCredential};
use porchlight_core::volunteers::hours::{self, HoursInput, VolunteerFigures, VolunteerHours};
use porchlight_core::volunteers::shifts::{self, Shift};
use porchlight_core::volunteers::templates::{self, OneOffInput, ShiftTemplate, TemplateInput};
use porchlight_core::volunteers::{self, VolunteerCatalog, Volunteer, VolunteerInput, VolunteerSummary};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn volunteer_catalog(desk: State<'_, DeskState>) -> Result<VolunteerCatalog, CommandError> {
    desk.run_signed_in(|desk, session| volunteers::catalog(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_shift_role(
    desk: State<'_, DeskState>,
    name: String,
    warmline: bool,
    credential_ids: Vec<String>,
) -> Result<VolunteerCatalog, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::add_role(desk, session, &name, warmline, &credential_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_role_requirements(
    desk: State<'_, DeskState>,
    role_id: String,
    credential_ids: Vec<String>,
) -> Result<VolunteerCatalog, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::set_role_requirements(desk, session, &role_id, &credential_ids))
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_credential_kind(desk: State<'_, DeskState>, name: String) -> Result<VolunteerCatalog, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::add_credential_kind(desk, session, &name)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_volunteer_item_retired(
    desk: State<'_, DeskState>,
    id: String,
    retired: bool,
) -> Result<VolunteerCatalog, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::set_retired(desk, session, &id, retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_volunteers(desk: State<'_, DeskState>) -> Result<Vec<VolunteerSummary>, CommandError> {
    desk.run_signed_in(|desk, session| volunteers::list(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_volunteer(desk: State<'_, DeskState>, id: String) -> Result<Volunteer, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::get(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn my_volunteer_record(desk: State<'_, DeskState>) -> Result<Option<Volunteer>, CommandError> {
    desk.run_signed_in(|desk, session| volunteers::mine(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_volunteer(
    desk: State<'_, DeskState>,
    person_id: String,
    input: VolunteerInput,
) -> Result<Volunteer, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::save(desk, session, &person_id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_volunteer_active(
    desk: State<'_, DeskState>,
    id: String,
    active: bool,
) -> Result<Volunteer, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::set_active(desk, session, &id, active)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_blackout(
    desk: State<'_, DeskState>,
    volunteer_id: String,
    first_day: String,
    last_day: String,
) -> Result<Volunteer, CommandError> {
    desk.run_signed_in(move |desk, session| {
        volunteers::add_blackout(
            desk,
            session,
            &volunteer_id,
            reports::parse_day(&first_day)?,
            reports::parse_day(&last_day)?,
        )
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_blackout(desk: State<'_, DeskState>, blackout_id: String) -> Result<Volunteer, CommandError> {
    desk.run_signed_in(move |desk, session| volunteers::remove_blackout(desk, session, &blackout_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_credential(
    desk: State<'_, DeskState>,
    volunteer_id: String,
    input: CredentialInput,
) -> Result<Vec<HeldCredential>, CommandError> {
    desk.run_signed_in(move |desk, session| credentials::add(desk, session, &volunteer_id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_credential(
    desk: State<'_, DeskState>,
    credential_id: String,
) -> Result<Vec<HeldCredential>, CommandError> {
    desk.run_signed_in(move |desk, session| credentials::remove(desk, session, &credential_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn credential_alerts(desk: State<'_, DeskState>) -> Result<Vec<CredentialAlert>, CommandError> {
    desk.run_signed_in(|desk, session| credentials::alerts(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn list_shift_templates(desk: State<'_, DeskState>) -> Result<Vec<ShiftTemplate>, CommandError> {
    desk.run_signed_in(|desk, session| templates::list(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_shift_template(
    desk: State<'_, DeskState>,
    input: TemplateInput,
) -> Result<ShiftTemplate, CommandError> {
    desk.run_signed_in(move |desk, session| templates::create(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_shift_template(
    desk: State<'_, DeskState>,
    id: String,
    input: TemplateInput,
) -> Result<ShiftTemplate, CommandError> {
    desk.run_signed_in(move |desk, session| templates::update(desk, session, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn end_shift_template(desk: State<'_, DeskState>, id: String) -> Result<ShiftTemplate, CommandError> {
    desk.run_signed_in(move |desk, session| templates::end(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_one_off_shift(desk: State<'_, DeskState>, input: OneOffInput) -> Result<ShiftTemplate, CommandError> {
    desk.run_signed_in(move |desk, session| templates::add_one_off(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn facilitator_shifts_for_group(
    desk: State<'_, DeskState>,
    group_id: String,
    needed: u32,
) -> Result<ShiftTemplate, CommandError> {
    desk.run_signed_in(move |desk, session| templates::for_group(desk, session, &group_id, needed)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shifts_between(desk: State<'_, DeskState>, from: String, to: String) -> Result<Vec<Shift>, CommandError> {
    desk.run_signed_in(move |desk, session| {
        shifts::between(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_gaps(desk: State<'_, DeskState>) -> Result<Vec<Shift>, CommandError> {
    desk.run_signed_in(|desk, session| shifts::gaps(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_shift(desk: State<'_, DeskState>, shift_id: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| shifts::get(desk, session, &shift_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn cancel_shift(desk: State<'_, DeskState>, shift_id: String, reason: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| shifts::cancel(desk, session, &shift_id, &reason)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn restore_shift(desk: State<'_, DeskState>, shift_id: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| shifts::restore(desk, session, &shift_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_candidates(desk: State<'_, DeskState>, shift_id: String) -> Result<Vec<Candidate>, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::candidates(desk, session, &shift_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn assign_shift(
    desk: State<'_, DeskState>,
    shift_id: String,
    volunteer_id: String,
) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::assign(desk, session, &shift_id, &volunteer_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sign_up_for_shift(
    desk: State<'_, DeskState>,
    shift_id: String,
    volunteer_id: String,
) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::sign_up(desk, session, &shift_id, &volunteer_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn drop_shift(desk: State<'_, DeskState>, assignment_id: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::drop_shift(desk, session, &assignment_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn swap_shift(
    desk: State<'_, DeskState>,
    assignment_id: String,
    volunteer_id: String,
) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::swap(desk, session, &assignment_id, &volunteer_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn clock_in(desk: State<'_, DeskState>, assignment_id: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::clock_in(desk, session, &assignment_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn clock_out(desk: State<'_, DeskState>, assignment_id: String) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::clock_out(desk, session, &assignment_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn mark_no_show(
    desk: State<'_, DeskState>,
    assignment_id: String,
    comment: String,
) -> Result<Shift, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::mark_no_show(desk, session, &assignment_id, &comment)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn confirm_shift_day(desk: State<'_, DeskState>, day: String) -> Result<usize, CommandError> {
    desk.run_signed_in(move |desk, session| assignments::confirm_day(desk, session, reports::parse_day(&day)?)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn log_volunteer_hours(
    desk: State<'_, DeskState>,
    input: HoursInput,
) -> Result<VolunteerHours, CommandError> {
    desk.run_signed_in(move |desk, session| hours::log(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_volunteer_hours(desk: State<'_, DeskState>, hours_id: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| hours::remove(desk, session, &hours_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn volunteer_hours(
    desk: State<'_, DeskState>,
    volunteer_id: String,
    from: String,
    to: String,
) -> Result<VolunteerHours, CommandError> {
    desk.run_signed_in(move |desk, session| {
        hours::of_volunteer(desk, session, &volunteer_id, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn volunteer_figures(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
) -> Result<VolunteerFigures, CommandError> {
    desk.run_signed_in(move |desk, session| {
        hours::figures(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}
