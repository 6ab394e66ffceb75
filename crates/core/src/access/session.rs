//! Sessions: who is acting at a desk, and the check every operation makes of them. The check
//! reads the account as it is now, so a role taken away or an account locked on another desk
//! counts from the next operation on.

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Action, Role, Scope};
use crate::access::AccessError;
use crate::sync::entity::{List, Table};
use crate::sync::erasure::OnForget;
use crate::sync::outbox;
use crate::{Desk, Error, Result, Timestamp};

/// How the person at the desk proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SignInMethod {
    Pin,
    Password,
}

/// Who is acting at a desk, from a successful sign-in until the desk locks. It holds no roles:
/// those are read afresh for every operation. Only a sign-in makes one for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session(Acting);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Acting {
    Account {
        account_id: String,
        method: SignInMethod,
    },
    /// Someone at the computer's own command line: whoever can run the admin CLI on the data
    /// folder already holds the database, so they act as an admin, in their own name.
    Operator {
        os_user: String,
    },
}

impl SignInMethod {
    pub(crate) fn described(self) -> &'static str {
        match self {
            SignInMethod::Pin => "PIN",
            SignInMethod::Password => "password",
        }
    }
}

impl Session {
    /// The computer's own user running the admin CLI. The audit log names them.
    pub fn operator(os_user: &str) -> Session {
        Session(Acting::Operator { os_user: os_user.to_owned() })
    }

    /// Only a sign-in (in `accounts`) makes a session for an account.
    pub(crate) fn signed_in(account_id: &str, method: SignInMethod) -> Session {
        Session(Acting::Account { account_id: account_id.to_owned(), method })
    }

    /// The signed-in account; `None` for the command line's operator.
    pub fn account_id(&self) -> Option<&str> {
        match &self.0 {
            Acting::Account { account_id, .. } => Some(account_id),
            Acting::Operator { .. } => None,
        }
    }

    /// How the account signed in; `None` for the command line's operator.
    pub fn method(&self) -> Option<SignInMethod> {
        match &self.0 {
            Acting::Account { method, .. } => Some(*method),
            Acting::Operator { .. } => None,
        }
    }

    pub(crate) fn by_password(&self) -> bool {
        match &self.0 {
            Acting::Account { method, .. } => *method == SignInMethod::Password,
            Acting::Operator { .. } => true,
        }
    }
}

/// The acting account as [`authorize`] found it: who to record as having done a thing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Actor {
    /// `None` for the command line's operator, who has no account.
    pub account_id: Option<String>,
    pub name: String,
    pub roles: Vec<Role>,
}

/// The acting account, if its roles allow `action` on any record now; otherwise why not.
pub fn authorize(desk: &Desk, session: &Session, action: Action) -> Result<Actor> {
    check(desk.conn(), session, action, None)
}

/// [`authorize`] for a record that belongs to the account `owner` (its own PIN; next, a
/// volunteer's shift, the calls a volunteer took): a role whose scope is [`Scope::Own`] may
/// act on it only when the acting account is its owner.
pub fn authorize_own(desk: &Desk, session: &Session, action: Action, owner: Option<&str>) -> Result<Actor> {
    check(desk.conn(), session, action, Some(owner))
}

/// [`authorize`] inside a write: the changes the transaction records are marked as made by
/// the acting account, and travel to other desks marked so.
pub(crate) fn authorize_in(tx: &Transaction, session: &Session, action: Action) -> Result<Actor> {
    acting_in(tx, check(tx, session, action, None)?)
}

/// [`authorize_own`] inside a write.
pub(crate) fn authorize_own_in(
    tx: &Transaction,
    session: &Session,
    action: Action,
    owner: Option<&str>,
) -> Result<Actor> {
    acting_in(tx, check(tx, session, action, Some(owner))?)
}

fn acting_in(tx: &Transaction, actor: Actor) -> Result<Actor> {
    if let Some(account_id) = &actor.account_id {
        outbox::act_as(tx, account_id)?;
    }
    Ok(actor)
}

/// `owner` is `None` for an action on any record, `Some(owner)` for one on a record owned by
/// that account (or by no account).
fn check(conn: &Connection, session: &Session, action: Action, owner: Option<Option<&str>>) -> Result<Actor> {
    let (account_id, method) = match &session.0 {
        Acting::Account { account_id, method } => (account_id, *method),
        Acting::Operator { os_user } => {
            let name = format!("{os_user} (command line)");
            return Ok(Actor { account_id: None, name, roles: vec![Role::Admin] });
        }
    };
    let account = AccountRow::signed_in(conn, account_id)?;
    let in_scope = match (action.scope_for(&account.roles), owner) {
        (Some(Scope::Any), _) => true,
        (Some(Scope::Own), Some(owner)) => owner == Some(account_id.as_str()),
        (Some(Scope::Own), None) | (None, _) => false,
    };
    if !in_scope {
        return Err(Error::Access(AccessError::NotAllowed { action: action.describe() }));
    }
    if action.needs_password() && method != SignInMethod::Password {
        return Err(Error::Access(AccessError::PasswordNeeded { action: action.describe() }));
    }
    Ok(account.actor())
}

/// Who is signed in at the desk and what they may do now, for the window to show their name
/// and hide what their roles would refuse. Core still refuses it if the window does not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SignedIn {
    pub account_id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub method: SignInMethod,
    pub has_password: bool,
    /// The actions allowed now, with this sign-in: an admin who came in by PIN gets the
    /// admin-only ones after entering their password.
    pub allowed: Vec<Action>,
    /// The actions the roles allow that wait for the account's password (it signed in by PIN):
    /// the window shows their screens behind a password prompt.
    pub after_password: Vec<Action>,
}

/// The signed-in account as it is now, or why the session no longer holds.
pub fn signed_in(desk: &Desk, session: &Session) -> Result<SignedIn> {
    let Acting::Account { account_id, method } = &session.0 else {
        return Err(Error::Access(AccessError::SignedOut));
    };
    let account = AccountRow::signed_in(desk.conn(), account_id)?;
    let (allowed, after_password) = Action::ALL
        .iter()
        .copied()
        .filter(|action| action.allowed_for(&account.roles))
        .partition(|action| !action.needs_password() || *method == SignInMethod::Password);
    Ok(SignedIn {
        has_password: account.password_hash.is_some(),
        account_id: account.id,
        name: account.name,
        roles: account.roles,
        method: *method,
        allowed,
        after_password,
    })
}

/// An account row as stored, secrets included; never leaves core.
pub(crate) struct AccountRow {
    pub id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub person_id: Option<String>,
    pub pin_hash: Option<String>,
    pub password_hash: Option<String>,
    pub active: bool,
    pub locked_at: Option<Timestamp>,
    pub unlocked_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// An account whose holder's person record is forgotten stays, but no longer says whose it was.
/// Access reads who an account is and what its roles are, to decide what it may do: the
/// accounts tables are its own, and `accounts` writes them.
pub(crate) const ACCOUNTS: Table = Table {
    entity: "account",
    table: "accounts",
    describe: Some("SELECT name || ' (staff account)' FROM accounts WHERE id = ?1"),
    columns: &["name", "person_id", "pin_hash", "password_hash", "active", "locked_at", "unlocked_at", "created_at"],
    lists: &[List { field: "roles", table: "account_roles", parent_column: "account_id", value_column: "role" }],
    when_person_forgotten: OnForget::Unlink { person_column: "person_id" },
    ..Table::PLAIN
};

impl AccountRow {
    pub fn load(conn: &Connection, id: &str) -> Result<AccountRow> {
        let mut stored = conn
            .prepare_cached(
                "SELECT id, name, person_id, pin_hash, password_hash, active, locked_at, unlocked_at, created_at
                 FROM accounts WHERE id = ?1",
            )?
            .query_row([id], |row| {
                Ok(AccountRow {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    roles: Vec::new(),
                    person_id: row.get(2)?,
                    pin_hash: row.get(3)?,
                    password_hash: row.get(4)?,
                    active: row.get(5)?,
                    locked_at: row.get(6)?,
                    unlocked_at: row.get(7)?,
                    created_at: row.get(8)?,
                })
            })
            .optional()?
            .ok_or(Error::Access(AccessError::AccountNotFound))?;
        let mut statement = conn.prepare_cached("SELECT role FROM account_roles WHERE account_id = ?1")?;
        let roles = statement.query_map([id], |row| row.get::<_, String>(0))?;
        for role in roles {
            // A role a newer desk invented grants nothing here.
            stored.roles.extend(role?.parse::<Role>().ok());
        }
        stored.roles.sort();
        Ok(stored)
    }

    /// The account a session acts for, as it is now; why the session no longer holds if it
    /// was removed, turned off or locked (on any desk).
    fn signed_in(conn: &Connection, id: &str) -> Result<AccountRow> {
        let account = AccountRow::load(conn, id).map_err(|_| Error::Access(AccessError::SignedOut))?;
        if !account.active {
            return Err(Error::Access(AccessError::SignedOut));
        }
        if account.is_locked() {
            return Err(Error::Access(AccessError::AccountLocked));
        }
        Ok(account)
    }

    pub fn is_locked(&self) -> bool {
        self.locked_at.is_some_and(|locked| self.unlocked_at.is_none_or(|unlocked| locked > unlocked))
    }

    pub fn actor(&self) -> Actor {
        Actor { account_id: Some(self.id.clone()), name: self.name.clone(), roles: self.roles.clone() }
    }

    pub fn is_admin(&self) -> bool {
        self.active && self.roles.contains(&Role::Admin)
    }
}
