use porchlight_core::people::{self, Person, PersonInput, PersonMatch};
use tauri::State;

use crate::state::{CommandError, DeskState};

const RESULTS_SHOWN: usize = 8;

#[tauri::command(rename_all = "snake_case")]
pub async fn search_people(desk: State<'_, DeskState>, query: String) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run(move |desk| people::search(desk, &query, RESULTS_SHOWN)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn find_member(desk: State<'_, DeskState>, code: String) -> Result<Option<PersonMatch>, CommandError> {
    desk.run(move |desk| people::find_by_member_code(desk, &code)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn get_person(desk: State<'_, DeskState>, id: String) -> Result<Person, CommandError> {
    desk.run(move |desk| people::get(desk, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn register_person(desk: State<'_, DeskState>, input: PersonInput) -> Result<Person, CommandError> {
    desk.run(move |desk| people::register(desk, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_person(desk: State<'_, DeskState>, id: String, input: PersonInput) -> Result<Person, CommandError> {
    desk.run(move |desk| people::update(desk, &id, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn possible_duplicates(
    desk: State<'_, DeskState>,
    input: PersonInput,
    except_id: Option<String>,
) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run(move |desk| people::possible_duplicates(desk, &input, except_id.as_deref())).await
}
