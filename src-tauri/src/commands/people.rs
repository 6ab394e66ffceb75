use porchlight_core::people::{self, Person, PersonInput, PersonMatch};
use tauri::State;

use crate::state::{CommandError, DeskState};

const RESULTS_SHOWN: usize = 8;

#[tauri::command(rename_all = "snake_case")]
pub async fn search_people(desk: State<'_, DeskState>, query: String) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| people::search(desk, session, &query, RESULTS_SHOWN)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn find_member(desk: State<'_, DeskState>, code: String) -> Result<Option<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| people::find_by_member_code(desk, session, &code)).await
}

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
pub async fn possible_duplicates(
    desk: State<'_, DeskState>,
    input: PersonInput,
    except_id: Option<String>,
) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| people::possible_duplicates(desk, session, &input, except_id.as_deref()))
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn forget_person(desk: State<'_, DeskState>, id: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| people::forget(desk, session, &id)).await
}
