use porchlight_core::visits::{self, OpenVisit, Visit};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn check_in(
    desk: State<'_, DeskState>,
    person_id: String,
    service_ids: Vec<String>,
) -> Result<Visit, CommandError> {
    desk.run_signed_in(move |desk, session| visits::check_in(desk, session, &person_id, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_in_anonymous(desk: State<'_, DeskState>, service_ids: Vec<String>) -> Result<Visit, CommandError> {
    desk.run_signed_in(move |desk, session| visits::check_in_anonymous(desk, session, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_out(desk: State<'_, DeskState>, visit_id: String) -> Result<Visit, CommandError> {
    desk.run_signed_in(move |desk, session| visits::check_out(desk, session, &visit_id)).await
}

/// A check-out made by mistake, taken back: the same visit open again.
#[tauri::command(rename_all = "snake_case")]
pub async fn undo_check_out(desk: State<'_, DeskState>, visit_id: String) -> Result<Visit, CommandError> {
    desk.run_signed_in(move |desk, session| visits::undo_check_out(desk, session, &visit_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_out_everyone(desk: State<'_, DeskState>) -> Result<usize, CommandError> {
    desk.run_signed_in(visits::check_out_everyone).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn undo_check_in(desk: State<'_, DeskState>, visit_id: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| visits::undo_check_in(desk, session, &visit_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_visit_services(
    desk: State<'_, DeskState>,
    visit_id: String,
    service_ids: Vec<String>,
) -> Result<Visit, CommandError> {
    desk.run_signed_in(move |desk, session| visits::set_services(desk, session, &visit_id, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn here_now(desk: State<'_, DeskState>) -> Result<Vec<OpenVisit>, CommandError> {
    desk.run_signed_in(|desk, session| visits::here_now(desk, session)).await
}
