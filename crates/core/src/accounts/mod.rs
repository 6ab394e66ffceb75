//! Staff accounts as admins manage them: who works at the center, their roles, their PINs and
//! passwords, and the person record of whoever holds one. What a role allows is the policy in
//! [`crate::access`]; signing in is [`sign_in`].

mod sign_in;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use sign_in::{sign_in_choices, sign_in_with_password, sign_in_with_pin, SignInChoice};

use crate::access::AccessError;
use crate::access::{
    authorize, authorize_in, authorize_own_in, AccountRow, Action, Actor, Role, Session, SignInMethod,
};
use crate::audit::{self, AuditEvent};
use crate::people::PeopleError;
use crate::sync::outbox;
use crate::{new_id, people, settings, text, Desk, Error, Result, Timestamp};

/// A staff account as admins see it. Secrets never leave core; only whether one is set.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// The person record of whoever holds the account (a peer volunteer who is also a member).
    pub person_id: Option<String>,
    /// That person's display name, for admins to see whom the account is linked to.
    pub person_name: Option<String>,
    pub has_pin: bool,
    pub has_password: bool,
    pub locked: bool,
    /// While locked: since when, and where the wrong PINs or passwords were typed.
    pub lock: Option<AccountLock>,
    pub active: bool,
    pub created_at: Timestamp,
}

/// How an account came to be locked, from the audit log every desk shares: so an admin can tell
/// one forgotten PIN from someone at a lock screen trying every name.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AccountLock {
    pub since: Timestamp,
    /// Tries to sign in that failed since the account was last unlocked: the wrong PINs or
    /// passwords, and every try while it was locked.
    pub failed_tries: u32,
    pub last_try_at: Option<Timestamp>,
    /// The desks they were typed at, by name (a desk not yet connected to a hub has none).
    pub desks: Vec<String>,
}

/// A new account. Admin accounts need a password; everyone needs a PIN to switch in at a desk.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct AccountInput {
    pub name: String,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub person_id: Option<String>,
    pub pin: String,
    #[serde(default)]
    pub password: Option<String>,
}

/// What first-run setup asks for: the center, and its first admin.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
#[ts(export)]
pub struct FirstRun {
    pub center_name: String,
    pub time_zone: String,
    pub admin_name: String,
    pub pin: String,
    pub password: String,
}

const NAME_MAX: usize = 60;
const PASSWORD_MIN: usize = 10;
/// True until the first admin exists: the desk shows first-run setup and nothing else.
pub fn needs_first_run(desk: &Desk) -> Result<bool> {
    needs_first_run_in(desk.conn())
}

/// Sets up a new desk: the center's name and time zone and its first admin, who is signed in.
pub fn first_run(desk: &mut Desk, input: &FirstRun) -> Result<Session> {
    let center = settings::Settings { center_name: input.center_name.clone(), time_zone: input.time_zone.clone() };
    let center = settings::validated(&center)?;
    let admin = AccountInput {
        name: input.admin_name.clone(),
        roles: vec![Role::Admin],
        person_id: None,
        pin: input.pin.clone(),
        password: Some(input.password.clone()),
    };
    let name = valid_name(&admin.name)?;
    let secrets = Secrets::of(&admin)?;
    let account_id = desk.write(|tx, now| {
        if !needs_first_run_in(tx)? {
            return Err(Error::Accounts(AccountsError::AlreadySetUp));
        }
        settings::write_all(tx, &center)?;
        let id = insert(tx, &name, &admin, &secrets, now)?;
        outbox::act_as(tx, &id)?;
        let actor = Actor { account_id: Some(id.clone()), name: name.clone(), roles: vec![Role::Admin] };
        audit::record(tx, now, &actor, AuditEvent::AccountCreated, Some(&id), "first admin, at setup")?;
        Ok(id)
    })?;
    Ok(Session::signed_in(&account_id, SignInMethod::Password))
}

/// Every account, active ones first, for admins.
pub fn list(desk: &Desk, session: &Session) -> Result<Vec<Account>> {
    authorize(desk, session, Action::ManageAccounts)?;
    let ids: Vec<String> = {
        let mut statement =
            desk.conn().prepare_cached("SELECT id FROM accounts ORDER BY active DESC, name COLLATE NOCASE, id")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.iter().map(|id| account(desk.conn(), id)).collect()
}

pub fn create(desk: &mut Desk, session: &Session, input: &AccountInput) -> Result<Account> {
    let name = valid_name(&input.name)?;
    let secrets = Secrets::of(input)?;
    let id = desk.write(|tx, now| {
        let actor = authorize_in(tx, session, Action::ManageAccounts)?;
        let id = insert(tx, &name, input, &secrets, now)?;
        let detail = format!("{name}: {}", roles_text(&secrets.roles));
        audit::record(tx, now, &actor, AuditEvent::AccountCreated, Some(&id), &detail)?;
        Ok(id)
    })?;
    account(desk.conn(), &id)
}

/// Renames an account or changes its roles. The last admin cannot give up being one.
pub fn update(desk: &mut Desk, session: &Session, id: &str, name: &str, roles: &[Role]) -> Result<Account> {
    let name = valid_name(name)?;
    let roles = valid_roles(roles)?;
    desk.write(|tx, now| {
        let actor = authorize_in(tx, session, Action::ManageAccounts)?;
        let account = AccountRow::load(tx, id)?;
        if account.is_admin() && !roles.contains(&Role::Admin) {
            ensure_another_admin(tx, id)?;
        }
        if roles.contains(&Role::Admin) && account.password_hash.is_none() {
            return Err(Error::Accounts(AccountsError::AdminNeedsPassword));
        }
        tx.execute("UPDATE accounts SET name = ?2 WHERE id = ?1", params![id, name])?;
        write_roles(tx, id, &roles)?;
        let mut changes = Vec::new();
        if account.name != name {
            changes.push(format!("name {} → {name}", account.name));
        }
        if account.roles != roles {
            changes.push(format!("roles {} → {}", roles_text(&account.roles), roles_text(&roles)));
        }
        if changes.is_empty() {
            return Ok(());
        }
        audit::record(tx, now, &actor, AuditEvent::AccountChanged, Some(id), &changes.join("; "))
    })?;
    account(desk.conn(), id)
}

/// Links an account to the person record of whoever holds it, or unlinks it (`None`).
pub fn link_person(desk: &mut Desk, session: &Session, id: &str, person_id: Option<&str>) -> Result<Account> {
    desk.write(|tx, now| {
        let actor = authorize_in(tx, session, Action::ManageAccounts)?;
        let account = AccountRow::load(tx, id)?;
        if account.person_id.as_deref() == person_id {
            return Ok(());
        }
        if let Some(person_id) = person_id {
            ensure_linkable(tx, person_id)?;
        }
        tx.execute("UPDATE accounts SET person_id = ?2 WHERE id = ?1", params![id, person_id])?;
        let detail =
            if person_id.is_some() { "linked to a person record" } else { "no longer linked to a person record" };
        audit::record(tx, now, &actor, AuditEvent::AccountChanged, Some(id), detail)
    })?;
    account(desk.conn(), id)
}

/// Turns an account off (it can no longer sign in) or back on. The last admin stays on.
pub fn set_active(desk: &mut Desk, session: &Session, id: &str, active: bool) -> Result<Account> {
    desk.write(|tx, now| {
        let actor = authorize_in(tx, session, Action::ManageAccounts)?;
        let account = AccountRow::load(tx, id)?;
        if !active && account.is_admin() {
            ensure_another_admin(tx, id)?;
        }
        tx.execute("UPDATE accounts SET active = ?2 WHERE id = ?1", params![id, active])?;
        let event = if active { AuditEvent::AccountTurnedOn } else { AuditEvent::AccountTurnedOff };
        audit::record(tx, now, &actor, event, Some(id), &account.name)
    })?;
    account(desk.conn(), id)
}

/// Lets a locked account sign in again, on every desk once synced.
pub fn unlock(desk: &mut Desk, session: &Session, id: &str) -> Result<Account> {
    desk.write(|tx, now| {
        let actor = authorize_in(tx, session, Action::ManageAccounts)?;
        let account = AccountRow::load(tx, id)?;
        tx.execute("UPDATE accounts SET unlocked_at = ?2 WHERE id = ?1", params![id, now])?;
        tx.execute("DELETE FROM sign_in_failures WHERE account_id = ?1", [id])?;
        audit::record(tx, now, &actor, AuditEvent::AccountUnlocked, Some(id), &account.name)
    })?;
    account(desk.conn(), id)
}

/// Sets an account's PIN: one's own at any time, anyone's as an admin (a forgotten PIN).
pub fn set_pin(desk: &mut Desk, session: &Session, id: &str, pin: &str) -> Result<()> {
    let hash = hash_secret(valid_pin(pin)?)?;
    store_secret(desk, session, id, SignInMethod::Pin, &hash)
}

/// Sets an account's password: one's own when signed in with it, anyone's as an admin.
pub fn set_password(desk: &mut Desk, session: &Session, id: &str, password: &str) -> Result<()> {
    let hash = hash_secret(valid_password(password)?)?;
    store_secret(desk, session, id, SignInMethod::Password, &hash)
}

fn store_secret(desk: &mut Desk, session: &Session, id: &str, secret: SignInMethod, hash: &str) -> Result<()> {
    desk.write(|tx, now| {
        let own = session.account_id() == Some(id);
        let actor = if own {
            authorize_own_in(tx, session, Action::ChangeOwnSecret, Some(id))?
        } else {
            authorize_in(tx, session, Action::ManageAccounts)?
        };
        let account = AccountRow::load(tx, id)?;
        // Someone who saw a PIN typed must not be able to turn it into the admin's password.
        let by_pin = !session.by_password();
        if own && secret == SignInMethod::Password && account.password_hash.is_some() && by_pin {
            return Err(Error::Access(AccessError::PasswordNeeded { action: "Changing your password" }));
        }
        let (column, event) = match secret {
            SignInMethod::Pin => ("pin_hash", AuditEvent::PinChanged),
            SignInMethod::Password => ("password_hash", AuditEvent::PasswordChanged),
        };
        tx.execute(&format!("UPDATE accounts SET {column} = ?2 WHERE id = ?1"), params![id, hash])?;
        audit::record(tx, now, &actor, event, Some(id), &account.name)
    })
}

/// Refuses PINs that are easy to guess at a glance or by habit: one digit repeated, runs
/// (1234, 9876), repeated pairs (1212), keypad lines (2580), and years (1990, 2024).
pub fn valid_pin(pin: &str) -> Result<&str> {
    let pin = pin.trim();
    if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Accounts(AccountsError::PinFormat));
    }
    let digits: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    let steps: Vec<i8> = digits.windows(2).map(|pair| (pair[1] - pair[0]).rem_euclid(10)).collect();
    let one_step = steps.iter().all(|step| *step == steps[0]) && [0, 1, 9].contains(&steps[0]);
    let repeats =
        |period: usize| pin.len().is_multiple_of(period) && digits.chunks(period).all(|c| c == &digits[..period]);
    let year = pin.len() == 4 && (pin.starts_with("19") || pin.starts_with("20"));
    const KEYPAD_AND_HABIT: [&str; 10] =
        ["2580", "0852", "1470", "0741", "3690", "0963", "1379", "9731", "1004", "1122"];
    if one_step || repeats(2) || (pin.len() > 4 && repeats(3)) || year || KEYPAD_AND_HABIT.contains(&pin) {
        return Err(Error::Accounts(AccountsError::WeakPin));
    }
    Ok(pin)
}

fn valid_password(password: &str) -> Result<&str> {
    if password.chars().count() < PASSWORD_MIN || password.chars().all(|c| password.starts_with(c)) {
        return Err(Error::Accounts(AccountsError::PasswordTooShort { min: PASSWORD_MIN }));
    }
    Ok(password)
}

fn valid_name(name: &str) -> Result<String> {
    text::optional(Some(name), "account_name", "Name", NAME_MAX)?
        .ok_or(Error::Accounts(AccountsError::AccountNameRequired))
}

fn valid_roles(roles: &[Role]) -> Result<Vec<Role>> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(Error::Accounts(AccountsError::RoleRequired));
    }
    Ok(roles)
}

/// An account's secrets, checked and hashed before its transaction opens: hashing is slow on
/// purpose and must not hold the database.
struct Secrets {
    roles: Vec<Role>,
    pin_hash: String,
    password_hash: Option<String>,
}

impl Secrets {
    fn of(input: &AccountInput) -> Result<Secrets> {
        let roles = valid_roles(&input.roles)?;
        let pin = valid_pin(&input.pin)?;
        let password = input.password.as_deref().filter(|password| !password.is_empty());
        if roles.contains(&Role::Admin) && password.is_none() {
            return Err(Error::Accounts(AccountsError::AdminNeedsPassword));
        }
        let password_hash = password.map(valid_password).transpose()?.map(hash_secret).transpose()?;
        Ok(Secrets { roles, pin_hash: hash_secret(pin)?, password_hash })
    }
}

fn insert(tx: &Transaction, name: &str, input: &AccountInput, secrets: &Secrets, now: Timestamp) -> Result<String> {
    if let Some(person_id) = &input.person_id {
        ensure_linkable(tx, person_id)?;
    }
    let id = new_id();
    tx.execute(
        "INSERT INTO accounts (id, name, person_id, pin_hash, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, name, input.person_id, secrets.pin_hash, secrets.password_hash, now],
    )?;
    write_roles(tx, &id, &secrets.roles)?;
    Ok(id)
}

/// An account links to a person who exists and was not forgotten: a staff name beside a
/// forgotten record would say again who it was.
fn ensure_linkable(tx: &Transaction, person_id: &str) -> Result<()> {
    if !tx.prepare_cached("SELECT 1 FROM people WHERE id = ?1")?.exists([person_id])? {
        return Err(Error::People(PeopleError::PersonNotFound));
    }
    people::ensure_not_forgotten(tx, person_id)
}

/// The account as admins see it, with the name of the person it is linked to.
fn account(conn: &Connection, id: &str) -> Result<Account> {
    let stored = AccountRow::load(conn, id)?;
    let person_name = match &stored.person_id {
        Some(person_id) => conn
            .prepare_cached("SELECT display_name FROM people WHERE id = ?1")?
            .query_row([person_id], |row| row.get(0))
            .optional()?,
        None => None,
    };
    let lock = match stored.locked_at {
        Some(since) if stored.is_locked() => Some(lock_of(conn, &stored.id, since, stored.unlocked_at)?),
        _ => None,
    };
    Ok(Account {
        locked: stored.is_locked(),
        lock,
        id: stored.id,
        name: stored.name,
        roles: stored.roles,
        person_id: stored.person_id,
        person_name,
        has_pin: stored.pin_hash.is_some(),
        has_password: stored.password_hash.is_some(),
        active: stored.active,
        created_at: stored.created_at,
    })
}

fn lock_of(conn: &Connection, id: &str, since: Timestamp, unlocked_at: Option<Timestamp>) -> Result<AccountLock> {
    let mut statement = conn.prepare_cached(
        "SELECT COUNT(*), MAX(at), group_concat(DISTINCT desk_name) FROM audit_log
         WHERE event = ?2 AND subject_id = ?1 AND at >= COALESCE(?3, '')",
    )?;
    let (failed_tries, last_try_at, desks): (u32, Option<Timestamp>, Option<String>) = statement
        .query_row(params![id, AuditEvent::SignInFailed.as_str(), unlocked_at], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let mut desks: Vec<String> = desks.iter().flat_map(|names| names.split(',')).map(str::to_owned).collect();
    desks.sort();
    Ok(AccountLock { since, failed_tries, last_try_at, desks })
}

fn roles_text(roles: &[Role]) -> String {
    roles.iter().map(|role| role.label()).collect::<Vec<_>>().join(", ")
}

fn write_roles(tx: &Transaction, id: &str, roles: &[Role]) -> Result<()> {
    tx.execute("DELETE FROM account_roles WHERE account_id = ?1", [id])?;
    let mut insert = tx.prepare_cached("INSERT INTO account_roles (account_id, role) VALUES (?1, ?2)")?;
    for role in roles {
        insert.execute([id, role.as_str()])?;
    }
    Ok(())
}

fn ensure_another_admin(tx: &Transaction, id: &str) -> Result<()> {
    let another = tx
        .prepare_cached(
            "SELECT 1 FROM accounts JOIN account_roles ON account_roles.account_id = accounts.id
             WHERE role = 'admin' AND active = 1 AND id != ?1",
        )?
        .exists([id])?;
    if !another {
        return Err(Error::Accounts(AccountsError::LastAdmin));
    }
    Ok(())
}

/// A desk with no admin is not set up yet: the demo's facilitators alone cannot run it.
pub(crate) fn needs_first_run_in(conn: &Connection) -> Result<bool> {
    Ok(!conn.prepare_cached("SELECT 1 FROM account_roles WHERE role = 'admin' LIMIT 1")?.exists([])?)
}

fn hash_secret(secret: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|_| Error::Accounts(AccountsError::SecretNotStored))?;
    Ok(hash.to_string())
}

crate::error::domain_errors! {
    /// What stops a staff account from being made, changed or signed in to.
    pub enum AccountsError, codes AccountsErrorCode {
        #[error("This desk is already set up; sign in instead.")]
        AlreadySetUp,
        #[error("A name is needed, as staff know this person (\"Ana P.\").")]
        AccountNameRequired in "account_name",
        #[error("Choose at least one role.")]
        RoleRequired in "roles",
        #[error("A PIN is 4 to 8 digits.")]
        PinFormat in "pin",
        #[error("That PIN is too easy to guess (like 1234, 0000, 1212 or a year). Choose digits without a pattern.")]
        WeakPin in "pin",
        #[error("A password needs at least {min} characters; a few words together are easy to remember.")]
        PasswordTooShort { min: usize } in "password",
        #[error("An admin account needs a password as well as a PIN.")]
        AdminNeedsPassword in "password",
        #[error("Wrong PIN. {}", tries_left_warning(*tries_left))]
        WrongPin { tries_left: usize } in "pin",
        #[error("Wrong password. {}", tries_left_warning(*tries_left))]
        WrongPassword { tries_left: usize } in "password",
        #[error("Too many wrong tries: wait {seconds} seconds before trying again.")]
        TryAgainIn { seconds: i64 },
        #[error("This account has been turned off; an admin can turn it back on.")]
        AccountTurnedOff,
        #[error("This is the only admin: make another account an admin first.")]
        LastAdmin,
        #[error("The secret could not be stored safely; nothing was changed.")]
        SecretNotStored,
    }
}

/// The warning after a wrong PIN or password: how many tries are left before the lock.
fn tries_left_warning(tries_left: usize) -> String {
    match tries_left {
        1 => "One more wrong try locks this account.".to_owned(),
        n => format!("{n} more wrong tries lock this account."),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::access::signed_in;
    use crate::testkit::{desk_at, TestDesk};
    use crate::testkit::{harbor_house as first_run_input, set_up, ADMIN_PASSWORD as PASSWORD, ADMIN_PIN as PIN};

    fn staff(desk: &mut Desk, admin: &Session, name: &str, roles: &[Role]) -> Account {
        let input = AccountInput { name: name.into(), roles: roles.to_vec(), pin: "5827".into(), ..Default::default() };
        create(desk, admin, &input).unwrap()
    }

    #[test]
    fn first_run_sets_up_the_center_and_its_admin_once() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        assert!(needs_first_run(&desk).unwrap());
        let admin = set_up(&mut desk);
        assert!(!needs_first_run(&desk).unwrap());
        assert_eq!(admin.method(), Some(SignInMethod::Password));
        let center = settings::get(&desk).unwrap();
        assert_eq!((center.center_name.as_str(), center.time_zone.as_str()), ("Harbor House", "America/Denver"));
        let actor = authorize(&desk, &admin, Action::ManageAccounts).unwrap();
        assert_eq!((actor.name.as_str(), actor.roles.as_slice()), ("Rosa M.", [Role::Admin].as_slice()));

        let again = FirstRun { admin_name: "Someone else".into(), ..first_run_input() };
        assert!(matches!(first_run(&mut desk, &again), Err(Error::Accounts(AccountsError::AlreadySetUp))));
        assert_eq!(sign_in_choices(&desk).unwrap().len(), 1);
    }

    #[test]
    fn an_account_links_to_its_holders_person_record_until_that_person_is_forgotten() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = staff(&mut desk, &admin, "Sam K.", &[Role::FrontDesk]);
        assert_eq!((sam.person_id.as_deref(), sam.person_name.as_deref()), (None, None));
        let dana = crate::people::PersonInput { display_name: "Dana P.".into(), ..Default::default() };
        let person = people::register(&mut desk, &admin, &dana).unwrap();

        let linked = link_person(&mut desk, &admin, &sam.id, Some(&person.id)).unwrap();
        assert_eq!((linked.person_id.as_deref(), linked.person_name.as_deref()), (Some(&*person.id), Some("Dana P.")));
        let listed = list(&desk, &admin).unwrap().into_iter().find(|account| account.id == sam.id).unwrap();
        assert_eq!(listed.person_name.as_deref(), Some("Dana P."));
        assert!(matches!(
            link_person(&mut desk, &admin, &sam.id, Some("nobody")),
            Err(Error::People(PeopleError::PersonNotFound))
        ));
        let log = audit::browse(&desk, &admin, &Default::default()).unwrap();
        let entry = log.iter().find(|entry| entry.event == "account_changed").unwrap();
        assert_eq!((entry.subject_id.as_deref(), entry.detail.as_str()), (Some(&*sam.id), "linked to a person record"));

        // Forgetting the person unlinks them, and nothing links to them again.
        people::forget(&mut desk, &admin, &person.id).unwrap();
        let after = list(&desk, &admin).unwrap().into_iter().find(|account| account.id == sam.id).unwrap();
        assert_eq!((after.person_id, after.person_name), (None, None));
        let again = link_person(&mut desk, &admin, &sam.id, Some(&person.id));
        assert!(matches!(again, Err(Error::People(PeopleError::PersonForgotten))), "{again:?}");
        let other = people::register(&mut desk, &admin, &dana).unwrap();
        link_person(&mut desk, &admin, &sam.id, Some(&other.id)).unwrap();
        assert_eq!(link_person(&mut desk, &admin, &sam.id, None).unwrap().person_id, None);
    }

    #[test]
    fn first_run_refuses_bad_input_beside_its_field_and_saves_nothing() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let cases = [
            (FirstRun { center_name: " ".into(), ..first_run_input() }, "center_name"),
            (FirstRun { time_zone: "Mars/Olympus".into(), ..first_run_input() }, "time_zone"),
            (FirstRun { admin_name: "".into(), ..first_run_input() }, "account_name"),
            (FirstRun { pin: "12a4".into(), ..first_run_input() }, "pin"),
            (FirstRun { pin: "1234".into(), ..first_run_input() }, "pin"),
            (FirstRun { password: "short".into(), ..first_run_input() }, "password"),
            (FirstRun { password: "".into(), ..first_run_input() }, "password"),
        ];
        for (input, field) in cases {
            let err = first_run(&mut desk, &input).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err}");
        }
        assert!(needs_first_run(&desk).unwrap());
        assert_eq!(settings::get(&desk).unwrap().center_name, "Test Center");
    }

    #[test]
    fn pins_that_are_easy_to_guess_are_refused() {
        for weak in ["0000", "1111", "1234", "4321", "7890", "3210", "1212", "0101", "123123", "2580", "1990", "2024"] {
            assert!(matches!(valid_pin(weak), Err(Error::Accounts(AccountsError::WeakPin))), "{weak}");
        }
        for malformed in ["123", "123456789", "12 34", "abcd", ""] {
            assert!(matches!(valid_pin(malformed), Err(Error::Accounts(AccountsError::PinFormat))), "{malformed:?}");
        }
        for fine in ["4831", "5827", "0419", "83920175"] {
            assert_eq!(valid_pin(fine).unwrap(), fine);
        }
    }

    #[test]
    fn secrets_are_stored_as_argon2_hashes_only() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        set_up(&mut desk);
        let (pin_hash, password_hash): (String, String) = desk
            .conn()
            .query_row("SELECT pin_hash, password_hash FROM accounts", [], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap();
        assert!(pin_hash.starts_with("$argon2id$") && !pin_hash.contains(PIN), "{pin_hash}");
        assert!(password_hash.starts_with("$argon2id$") && !password_hash.contains("horse"));
    }

    #[test]
    fn wrong_pins_back_off_then_lock_until_an_admin_unlocks() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = staff(&mut desk, &admin, "Sam K.", &[Role::FrontDesk]);
        let wrong = |desk: &mut TestDesk| sign_in_with_pin(desk, &sam.id, "9999").unwrap_err();

        assert!(matches!(wrong(&mut desk), Error::Accounts(AccountsError::WrongPin { tries_left: 4 })));
        assert!(matches!(wrong(&mut desk), Error::Accounts(AccountsError::WrongPin { tries_left: 3 })));
        assert!(matches!(wrong(&mut desk), Error::Accounts(AccountsError::WrongPin { tries_left: 2 })));
        // From the third wrong PIN on, the desk makes the next try wait, even with the right PIN.
        assert!(matches!(
            sign_in_with_pin(&mut desk, &sam.id, "5827"),
            Err(Error::Accounts(AccountsError::TryAgainIn { seconds: 15 }))
        ));
        desk.clock.advance(Duration::seconds(15));
        assert!(matches!(wrong(&mut desk), Error::Accounts(AccountsError::WrongPin { tries_left: 1 })));
        assert!(
            matches!(wrong(&mut desk), Error::Accounts(AccountsError::TryAgainIn { seconds: 30 })),
            "waiting does not count as a try"
        );
        desk.clock.advance(Duration::seconds(30));
        assert!(matches!(wrong(&mut desk), Error::Access(AccessError::AccountLocked)));

        desk.clock.advance(Duration::hours(1));
        assert!(
            matches!(sign_in_with_pin(&mut desk, &sam.id, "5827"), Err(Error::Access(AccessError::AccountLocked))),
            "time does not unlock"
        );
        assert!(
            matches!(wrong(&mut desk), Error::Access(AccessError::AccountLocked)),
            "a try while locked is noted too"
        );
        let listed = list(&desk, &admin).unwrap().into_iter().find(|account| account.id == sam.id).unwrap();
        let lock = listed.lock.expect("an admin sees how it locked");
        assert!(listed.locked);
        assert_eq!(lock.since.to_string(), "2026-11-23T15:00:45.000Z");
        assert_eq!(
            (lock.failed_tries, lock.last_try_at.unwrap().to_string().as_str()),
            (7, "2026-11-23T16:00:45.000Z")
        );
        unlock(&mut desk, &admin, &sam.id).unwrap();
        assert_eq!(list(&desk, &admin).unwrap().into_iter().find(|account| account.id == sam.id).unwrap().lock, None);
        let session = sign_in_with_pin(&mut desk, &sam.id, "5827").unwrap();
        assert_eq!(session.account_id().unwrap(), sam.id);
        assert!(
            matches!(wrong(&mut desk), Error::Accounts(AccountsError::WrongPin { tries_left: 4 })),
            "the count starts again"
        );
    }

    #[test]
    fn the_last_admin_cannot_stop_being_one() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let rosa = admin.account_id().unwrap().to_owned();
        assert!(matches!(
            update(&mut desk, &admin, &rosa, "Rosa M.", &[Role::FrontDesk]),
            Err(Error::Accounts(AccountsError::LastAdmin))
        ));
        assert!(matches!(set_active(&mut desk, &admin, &rosa, false), Err(Error::Accounts(AccountsError::LastAdmin))));

        let second = AccountInput {
            name: "Lee W.".into(),
            roles: vec![Role::Admin],
            pin: "5827".into(),
            password: Some("another long passphrase".into()),
            ..Default::default()
        };
        create(&mut desk, &admin, &second).unwrap();
        let demoted = update(&mut desk, &admin, &rosa, "Rosa M.", &[Role::FrontDesk, Role::Coordinator]).unwrap();
        assert_eq!(demoted.roles, [Role::Coordinator, Role::FrontDesk]);
        assert!(matches!(
            authorize(&desk, &admin, Action::ManageAccounts),
            Err(Error::Access(AccessError::NotAllowed { .. }))
        ));
    }

    #[test]
    fn a_session_is_held_to_the_account_as_it_is_now() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = staff(&mut desk, &admin, "Sam K.", &[Role::FrontDesk]);
        let session = sign_in_with_pin(&mut desk, &sam.id, "5827").unwrap();
        authorize(&desk, &session, Action::CheckIn).unwrap();

        update(&mut desk, &admin, &sam.id, "Sam K.", &[Role::Warmline]).unwrap();
        let refused = authorize(&desk, &session, Action::CheckIn).unwrap_err();
        assert_eq!(refused.to_string(), "Your roles do not allow checking people in.");

        set_active(&mut desk, &admin, &sam.id, false).unwrap();
        assert!(matches!(authorize(&desk, &session, Action::ReadCatalog), Err(Error::Access(AccessError::SignedOut))));
        assert!(!sign_in_choices(&desk).unwrap().iter().any(|choice| choice.account_id == sam.id));
        assert!(matches!(
            sign_in_with_pin(&mut desk, &sam.id, "5827"),
            Err(Error::Accounts(AccountsError::AccountTurnedOff))
        ));
    }

    #[test]
    fn admin_actions_need_the_password_not_the_pin() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let by_pin = sign_in_with_pin(&mut desk, admin.account_id().unwrap(), PIN).unwrap();
        authorize(&desk, &by_pin, Action::CheckIn).unwrap();
        assert!(matches!(
            authorize(&desk, &by_pin, Action::ManageAccounts),
            Err(Error::Access(AccessError::PasswordNeeded { .. }))
        ));
        let by_password = sign_in_with_password(&mut desk, admin.account_id().unwrap(), PASSWORD).unwrap();
        authorize(&desk, &by_password, Action::ManageAccounts).unwrap();
        assert!(matches!(
            sign_in_with_password(&mut desk, admin.account_id().unwrap(), PIN),
            Err(Error::Accounts(AccountsError::WrongPassword { tries_left: 4 }))
        ));
    }

    #[test]
    fn staff_change_their_own_pin_but_only_admins_change_others() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let sam = staff(&mut desk, &admin, "Sam K.", &[Role::Warmline]);
        let kim = staff(&mut desk, &admin, "Kim D.", &[Role::FrontDesk]);
        let session = sign_in_with_pin(&mut desk, &sam.id, "5827").unwrap();
        assert!(matches!(set_pin(&mut desk, &session, &sam.id, "0000"), Err(Error::Accounts(AccountsError::WeakPin))));
        set_pin(&mut desk, &session, &sam.id, "6093").unwrap();
        assert!(matches!(
            set_pin(&mut desk, &session, &kim.id, "6093"),
            Err(Error::Access(AccessError::NotAllowed { .. }))
        ));
        sign_in_with_pin(&mut desk, &sam.id, "6093").unwrap();
        set_pin(&mut desk, &admin, &kim.id, "7302").unwrap();
        sign_in_with_pin(&mut desk, &kim.id, "7302").unwrap();

        let admin_by_pin = sign_in_with_pin(&mut desk, admin.account_id().unwrap(), PIN).unwrap();
        let taken_over = set_password(&mut desk, &admin_by_pin, admin.account_id().unwrap(), "a password I chose");
        assert!(
            matches!(taken_over, Err(Error::Access(AccessError::PasswordNeeded { .. }))),
            "a seen PIN is not the admin's password"
        );
        set_password(&mut desk, &admin, admin.account_id().unwrap(), "a new long passphrase").unwrap();
        sign_in_with_password(&mut desk, admin.account_id().unwrap(), "a new long passphrase").unwrap();
    }

    #[test]
    fn the_window_learns_who_is_signed_in_and_what_they_may_do_with_that_sign_in() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let by_password = signed_in(&desk, &admin).unwrap();
        assert_eq!((by_password.name.as_str(), by_password.method), ("Rosa M.", SignInMethod::Password));
        assert_eq!(by_password.allowed.len(), Action::ALL.len());
        let by_pin = sign_in_with_pin(&mut desk, admin.account_id().unwrap(), PIN).unwrap();
        let by_pin = signed_in(&desk, &by_pin).unwrap();
        assert!(by_pin.allowed.contains(&Action::CheckIn) && !by_pin.allowed.contains(&Action::ManageAccounts));
        assert!(by_pin.after_password.contains(&Action::ManageAccounts) && by_password.after_password.is_empty());
        assert!(by_pin.has_password, "so the window can offer the password for admin screens");
        assert!(matches!(signed_in(&desk, &Session::operator("maria")), Err(Error::Access(AccessError::SignedOut))));
    }
}
