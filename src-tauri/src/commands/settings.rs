use porchlight_core::settings::{self, Settings};
use tauri::State;

use super::session::{session_view, SessionView};
use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn get_settings(desk: State<'_, DeskState>) -> Result<Settings, CommandError> {
    desk.run(|desk| settings::get(desk)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_settings(desk: State<'_, DeskState>, input: Settings) -> Result<Settings, CommandError> {
    desk.run_signed_in(move |desk, session| settings::update(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_lock_after(desk: State<'_, DeskState>, minutes: u32) -> Result<SessionView, CommandError> {
    desk.run_signed_in(move |desk, session| settings::set_lock_after_minutes(desk, session, minutes)).await?;
    session_view(desk).await
}
