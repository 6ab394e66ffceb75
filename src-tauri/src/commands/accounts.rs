//! Staff accounts, for admins. Core refuses anyone else.

use porchlight_core::access::Role;
use porchlight_core::accounts::{self, Account, AccountInput};


use super::declare::commands;

commands! {
    signed_in fn list_accounts() -> Vec<Account> = |desk, session| accounts::list(desk, session);

    signed_in fn create_account(input: AccountInput) -> Account =
        |desk, session| accounts::create(desk, session, &input);

    signed_in fn update_account(id: String, name: String, roles: Vec<Role>) -> Account =
        |desk, session| accounts::update(desk, session, &id, &name, &roles);

    signed_in fn link_account_person(id: String, person_id: Option<String>) -> Account =
        |desk, session| accounts::link_person(desk, session, &id, person_id.as_deref());

    signed_in fn set_account_active(id: String, active: bool) -> Account =
        |desk, session| accounts::set_active(desk, session, &id, active);

    signed_in fn unlock_account(id: String) -> Account = |desk, session| accounts::unlock(desk, session, &id);

    signed_in fn set_account_pin(id: String, pin: String) -> () =
        |desk, session| accounts::set_pin(desk, session, &id, &pin);

    signed_in fn set_account_password(id: String, password: String) -> () =
        |desk, session| accounts::set_password(desk, session, &id, &password);
}
