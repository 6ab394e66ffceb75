//! Signing in at a desk: a PIN to switch staff at a shared desk, a password for admin work.
//! Wrong tries back off and then lock the account until an admin unlocks it.

use argon2::password_hash::PasswordHash;
use argon2::password_hash::PasswordVerifier;
use argon2::Argon2;
use chrono::Duration;
use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::access::AccessError;
use crate::access::{AccountRow, Session, SignInMethod};
use crate::accounts::AccountsError;
use crate::audit::{self, AuditEvent};
use crate::sync::outbox;
use crate::{Desk, Error, Result, Timestamp};

/// Who can sign in at this desk: a name to pick on the lock screen, nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SignInChoice {
    pub account_id: String,
    pub name: String,
    pub has_pin: bool,
    pub has_password: bool,
}

/// Wrong secrets in a row (at one desk) before the account locks; from the third on, the desk
/// also makes the next try wait.
const FAILURES_BEFORE_LOCK: usize = 5;
const FREE_FAILURES: usize = 2;
const FIRST_WAIT_SECONDS: i64 = 15;

/// The accounts that can sign in here, by name.
pub fn sign_in_choices(desk: &Desk) -> Result<Vec<SignInChoice>> {
    let mut statement = desk.conn().prepare_cached(
        "SELECT id, name, pin_hash IS NOT NULL, password_hash IS NOT NULL FROM accounts
         WHERE active = 1 ORDER BY name COLLATE NOCASE, id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(SignInChoice { account_id: row.get(0)?, name: row.get(1)?, has_pin: row.get(2)?, has_password: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Signs in with a PIN: how staff switch at a shared desk.
pub fn sign_in_with_pin(desk: &mut Desk, account_id: &str, pin: &str) -> Result<Session> {
    sign_in(desk, account_id, SignInMethod::Pin, pin)
}

/// Signs in with a password, which admin actions need.
pub fn sign_in_with_password(desk: &mut Desk, account_id: &str, password: &str) -> Result<Session> {
    sign_in(desk, account_id, SignInMethod::Password, password)
}

fn sign_in(desk: &mut Desk, account_id: &str, method: SignInMethod, secret: &str) -> Result<Session> {
    let account = AccountRow::load(desk.conn(), account_id)?;
    if !account.active {
        return Err(Error::Accounts(AccountsError::AccountTurnedOff));
    }
    if account.is_locked() {
        desk.write(|tx, now| {
            outbox::act_as(tx, account_id)?;
            audit::record(tx, now, &account.actor(), AuditEvent::SignInFailed, Some(account_id), "account is locked")
        })?;
        return Err(Error::Access(AccessError::AccountLocked));
    }
    if let Some(wait_until) = wait_until(&recent_failures(desk.conn(), &account)?) {
        let now = desk.now();
        if now < wait_until {
            return Err(Error::Accounts(AccountsError::TryAgainIn {
                seconds: (wait_until.0 - now.0).num_seconds().max(1),
            }));
        }
    }
    // Verifying is slow on purpose, so it happens before the write lock is taken.
    let hash = match method {
        SignInMethod::Pin => &account.pin_hash,
        SignInMethod::Password => &account.password_hash,
    };
    let right = hash.as_deref().is_some_and(|hash| verify(secret, hash));
    let (actor, with) = (account.actor(), method.described());
    if right {
        desk.write(|tx, now| {
            outbox::act_as(tx, account_id)?;
            tx.execute("DELETE FROM sign_in_failures WHERE account_id = ?1", [account_id])?;
            audit::record(tx, now, &actor, AuditEvent::SignedIn, Some(account_id), &format!("with {with}"))
        })?;
        return Ok(Session::signed_in(account_id, method));
    }
    // Whoever typed, the tries and the lock they lead to are made in this account's name.
    let failed = desk.write(|tx, now| {
        outbox::act_as(tx, account_id)?;
        tx.execute("INSERT INTO sign_in_failures (account_id, failed_at) VALUES (?1, ?2)", params![account_id, now])?;
        let failed = recent_failures(tx, &account)?.len();
        audit::record(tx, now, &actor, AuditEvent::SignInFailed, Some(account_id), &format!("wrong {with}"))?;
        if failed >= FAILURES_BEFORE_LOCK {
            tx.execute("UPDATE accounts SET locked_at = ?2 WHERE id = ?1", params![account_id, now])?;
            let detail = format!("after {failed} wrong tries");
            audit::record(tx, now, &actor, AuditEvent::AccountLocked, Some(account_id), &detail)?;
        }
        Ok(failed)
    })?;
    if failed >= FAILURES_BEFORE_LOCK {
        return Err(Error::Access(AccessError::AccountLocked));
    }
    let tries_left = FAILURES_BEFORE_LOCK - failed;
    Err(match method {
        SignInMethod::Pin => Error::Accounts(AccountsError::WrongPin { tries_left }),
        SignInMethod::Password => Error::Accounts(AccountsError::WrongPassword { tries_left }),
    })
}

/// The wrong tries at this desk since the account last signed in or was unlocked, oldest first.
/// A try in the same millisecond as the unlock came after it.
fn recent_failures(conn: &Connection, account: &AccountRow) -> Result<Vec<Timestamp>> {
    let mut statement = conn.prepare_cached(
        "SELECT failed_at FROM sign_in_failures WHERE account_id = ?1 AND failed_at >= COALESCE(?2, '')
         ORDER BY failed_at",
    )?;
    let rows = statement.query_map(params![account.id, account.unlocked_at], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Past the free tries, each wrong try doubles the wait before the next: 15 s, 30 s, ...
fn wait_until(failures: &[Timestamp]) -> Option<Timestamp> {
    let beyond_free = failures.len().checked_sub(FREE_FAILURES).filter(|n| *n > 0)?;
    let last = failures.last()?;
    Some(Timestamp(last.0 + Duration::seconds(FIRST_WAIT_SECONDS << (beyond_free - 1))))
}

fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
}
