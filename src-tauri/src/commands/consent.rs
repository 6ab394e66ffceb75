use porchlight_core::consent::{self, Consent, ConsentKind};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn person_consent(desk: State<'_, DeskState>, person_id: String) -> Result<Vec<Consent>, CommandError> {
    desk.run_signed_in(move |desk, session| consent::current(desk, session, &person_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn record_consent(
    desk: State<'_, DeskState>,
    person_id: String,
    kind: ConsentKind,
    given: bool,
) -> Result<Vec<Consent>, CommandError> {
    desk.run_signed_in(move |desk, session| consent::record(desk, session, &person_id, kind, given)).await
}
