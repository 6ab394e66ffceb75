use porchlight_core::front_desk::{self, PersonMatch};
use porchlight_core::people::PersonInput;
use tauri::State;

use crate::state::{CommandError, DeskState};

const RESULTS_SHOWN: usize = 8;

#[tauri::command(rename_all = "snake_case")]
pub async fn search_people(desk: State<'_, DeskState>, query: String) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| front_desk::search(desk, session, &query, RESULTS_SHOWN)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn find_member(desk: State<'_, DeskState>, code: String) -> Result<Option<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| front_desk::find_by_member_code(desk, session, &code)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn possible_duplicates(
    desk: State<'_, DeskState>,
    input: PersonInput,
    except_id: Option<String>,
) -> Result<Vec<PersonMatch>, CommandError> {
    desk.run_signed_in(move |desk, session| {
        front_desk::possible_duplicates(desk, session, &input, except_id.as_deref())
    })
    .await
}
