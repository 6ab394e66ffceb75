use porchlight_core::visits::{self, OpenVisit, Visit};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn check_in(
    desk: State<'_, DeskState>,
    person_id: String,
    service_ids: Vec<String>,
) -> Result<Visit, CommandError> {
    desk.run(move |desk| visits::check_in(desk, &person_id, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_in_anonymous(desk: State<'_, DeskState>, service_ids: Vec<String>) -> Result<Visit, CommandError> {
    desk.run(move |desk| visits::check_in_anonymous(desk, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_out(desk: State<'_, DeskState>, visit_id: String) -> Result<Visit, CommandError> {
    desk.run(move |desk| visits::check_out(desk, &visit_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn check_out_everyone(desk: State<'_, DeskState>) -> Result<usize, CommandError> {
    desk.run(visits::check_out_everyone).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn undo_check_in(desk: State<'_, DeskState>, visit_id: String) -> Result<(), CommandError> {
    desk.run(move |desk| visits::undo_check_in(desk, &visit_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_visit_services(
    desk: State<'_, DeskState>,
    visit_id: String,
    service_ids: Vec<String>,
) -> Result<Visit, CommandError> {
    desk.run(move |desk| visits::set_services(desk, &visit_id, &service_ids)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn here_now(desk: State<'_, DeskState>) -> Result<Vec<OpenVisit>, CommandError> {
    desk.run(|desk| visits::here_now(desk)).await
}
