use porchlight_core::settings::{self, Settings};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::DeskState;

use super::declare::commands;

commands! {
    shell fn desk_info[desk: State<'_, DeskState>]() -> DeskInfo {
        let data_dir = desk.data_dir.display().to_string();
        desk.run(move |desk| {
            Ok(DeskInfo { data_dir, settings: settings::get(desk)?, today: desk.today()?.to_string() })
        })
            .await
    }
}

/// What the window needs to know about the desk it opened on.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DeskInfo {
    pub data_dir: String,
    pub settings: Settings,
    /// The center's local day, `2026-11-23`.
    pub today: String,
}
