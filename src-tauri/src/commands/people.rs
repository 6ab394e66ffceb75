use porchlight_core::people::{self, Person, PersonInput};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn get_person(desk: State<'_, DeskState>, id: String) -> Result<Person, CommandError> {
    desk.run_signed_in(move |desk, session| people::get(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn register_person(desk: State<'_, DeskState>, input: PersonInput) -> Result<Person, CommandError> {
    desk.run_signed_in(move |desk, session| people::register(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_person(desk: State<'_, DeskState>, id: String, input: PersonInput) -> Result<Person, CommandError> {
    desk.run_signed_in(move |desk, session| people::update(desk, session, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn forget_person(desk: State<'_, DeskState>, id: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| people::forget(desk, session, &id)).await
}
