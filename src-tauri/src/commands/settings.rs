use porchlight_core::settings::{self, Settings};
use tauri::State;

use super::session::{session_view, SessionView};
use crate::state::DeskState;

use super::declare::commands;

commands! {
    desk fn get_settings() -> Settings = |desk| settings::get(desk);

    signed_in fn update_settings(input: Settings) -> Settings = |desk, session| settings::update(desk, session, &input);

    shell fn set_lock_after[desk: State<'_, DeskState>](minutes: u32) -> SessionView {
        desk.run_signed_in(move |desk, session| settings::set_lock_after_minutes(desk, session, minutes)).await?;
        session_view(desk).await
    }
}
