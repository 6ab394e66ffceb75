use porchlight_core::services::{self, Service};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn list_services(desk: State<'_, DeskState>, include_retired: bool) -> Result<Vec<Service>, CommandError> {
    desk.run_signed_in(move |desk, session| services::list(desk, session, include_retired)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_service(desk: State<'_, DeskState>, name: String) -> Result<Service, CommandError> {
    desk.run_signed_in(move |desk, session| services::add(desk, session, &name)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rename_service(desk: State<'_, DeskState>, id: String, name: String) -> Result<Service, CommandError> {
    desk.run_signed_in(move |desk, session| services::rename(desk, session, &id, &name)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_service_active(desk: State<'_, DeskState>, id: String, active: bool) -> Result<Service, CommandError> {
    desk.run_signed_in(move |desk, session| services::set_active(desk, session, &id, active)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn reorder_services(desk: State<'_, DeskState>, ids: Vec<String>) -> Result<Vec<Service>, CommandError> {
    desk.run_signed_in(move |desk, session| services::reorder(desk, session, &ids)).await
}
