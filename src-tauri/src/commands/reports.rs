use porchlight_core::reports::{self, Figures};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn today_figures(desk: State<'_, DeskState>) -> Result<Figures, CommandError> {
    desk.run_signed_in(|desk, session| reports::today(desk, session)).await
}
