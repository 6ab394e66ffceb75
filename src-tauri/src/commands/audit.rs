use porchlight_core::audit::{self, AuditEntry, AuditQuery};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn browse_audit(desk: State<'_, DeskState>, query: AuditQuery) -> Result<Vec<AuditEntry>, CommandError> {
    desk.run_signed_in(move |desk, session| audit::browse(desk, session, &query)).await
}
