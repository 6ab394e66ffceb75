use porchlight_core::settings::{self, Settings};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::{CommandError, DeskState};

/// What the window needs to know about the desk it opened on.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeskInfo {
    pub data_dir: String,
    pub settings: Settings,
    /// The center's local day, `2026-11-23`.
    pub today: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desk_info(desk: State<'_, DeskState>) -> Result<DeskInfo, CommandError> {
    let data_dir = desk.data_dir.display().to_string();
    desk.run(move |desk| Ok(DeskInfo { data_dir, settings: settings::get(desk)?, today: desk.today()?.to_string() }))
        .await
}
