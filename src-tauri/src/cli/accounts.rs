//! `porchlight accounts …`: the way back in when the center's only admin cannot sign in.

use clap::Subcommand;
use porchlight_core::access::Session;
use porchlight_core::accounts::{self, Account};
use porchlight_core::Desk;

use super::{read_secret, CliError, NEW_PASSWORD_ENV};

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Every account: name, roles, and whether it is locked or turned off.
    List,
    /// Unlock an account locked after too many wrong tries.
    Unlock { name: String },
    /// Set an account's password, typed twice at the terminal (or from PORCHLIGHT_NEW_PASSWORD).
    SetPassword { name: String },
}

pub fn run(desk: &mut Desk, operator: &Session, command: AccountsCommand) -> Result<(), CliError> {
    match command {
        AccountsCommand::List => {
            for account in accounts::list(desk, operator)? {
                let roles: Vec<_> = account.roles.iter().map(|role| role.as_str().replace('_', " ")).collect();
                let state = match (account.active, account.locked) {
                    (false, _) => "  (turned off)",
                    (true, true) => "  (locked)",
                    (true, false) => "",
                };
                println!("{}  {}{state}", account.name, roles.join(", "));
            }
        }
        AccountsCommand::Unlock { name } => {
            let account = account_named(desk, operator, &name)?;
            accounts::unlock(desk, operator, &account.id)?;
            println!("Unlocked {}.", account.name);
        }
        AccountsCommand::SetPassword { name } => {
            let account = account_named(desk, operator, &name)?;
            let password = read_secret("The new password", NEW_PASSWORD_ENV, true)?;
            accounts::set_password(desk, operator, &account.id, &password)?;
            println!("Set a new password for {}.", account.name);
        }
    }
    Ok(())
}

/// The account staff know by `name` (any case).
fn account_named(desk: &Desk, operator: &Session, name: &str) -> Result<Account, CliError> {
    let mut found: Vec<_> = accounts::list(desk, operator)?
        .into_iter()
        .filter(|account| account.name.trim().eq_ignore_ascii_case(name.trim()))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(CliError::Refused(format!(
            "No staff account is called \"{name}\"; `porchlight accounts list` shows them."
        ))),
        count => {
            Err(CliError::Refused(format!("{count} accounts are called \"{name}\"; rename one in the app first.")))
        }
    }
}
