//! Staff accounts, for admins. Core refuses anyone else.

use porchlight_core::access::Role;
use porchlight_core::accounts::{self, Account, AccountInput};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn list_accounts(desk: State<'_, DeskState>) -> Result<Vec<Account>, CommandError> {
    desk.run_signed_in(|desk, session| accounts::list(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_account(desk: State<'_, DeskState>, input: AccountInput) -> Result<Account, CommandError> {
    desk.run_signed_in(move |desk, session| accounts::create(desk, session, &input)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_account(
    desk: State<'_, DeskState>,
    id: String,
    name: String,
    roles: Vec<Role>,
) -> Result<Account, CommandError> {
    desk.run_signed_in(move |desk, session| accounts::update(desk, session, &id, &name, &roles)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn link_account_person(
    desk: State<'_, DeskState>,
    id: String,
    person_id: Option<String>,
) -> Result<Account, CommandError> {
    desk.run_signed_in(move |desk, session| accounts::link_person(desk, session, &id, person_id.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_account_active(desk: State<'_, DeskState>, id: String, active: bool) -> Result<Account, CommandError> {
    desk.run_signed_in(move |desk, session| accounts::set_active(desk, session, &id, active)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlock_account(desk: State<'_, DeskState>, id: String) -> Result<Account, CommandError> {
    desk.run_signed_in(move |desk, session| accounts::unlock(desk, session, &id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_account_pin(desk: State<'_, DeskState>, id: String, pin: String) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| accounts::set_pin(desk, session, &id, &pin)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_account_password(
    desk: State<'_, DeskState>,
    id: String,
    password: String,
) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| accounts::set_password(desk, session, &id, &password)).await
}
