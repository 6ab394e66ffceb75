//! The desk's link to its center's hub, as staff make it: an admin connects a desk, a new desk
//! joins its center before anyone is set up on it, an admin disconnects one. The syncing itself
//! is [`crate::sync`], which needs no one signed in.

use crate::access::AccessError;
use crate::access::{self, Action, Actor, Session};
use crate::accounts::AccountsError;
use crate::audit::{self, AuditEvent};
use crate::sync::error::SyncError;
use crate::sync::{self, HubConnection, JoinAsk, SyncStatus};
use crate::{accounts, Desk, Error, Result, Timestamp};

/// Enrols this desk with a hub using a one-time code from the hub's operator.
pub fn connect(desk: &mut Desk, session: &Session, connection: &HubConnection) -> Result<SyncStatus> {
    access::authorize(desk, session, Action::ConnectSync)?;
    let hub_url = sync::enroll(desk, connection)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        audit::record(tx, now, &actor, AuditEvent::SyncConnected, None, &hub_url)
    })?;
    sync::status(desk)
}

/// A new desk joining a center that already uses Porchlight, before anyone is set up on it.
/// The hub operator's one-time code is what lets it in; its first sync brings the center's
/// staff and settings, and then staff sign in as at any other desk. A desk that has staff is
/// connected by an admin instead ([`connect`]): joining is only ever the first thing a desk does.
pub fn join_center(desk: &mut Desk, connection: &HubConnection) -> Result<SyncStatus> {
    if !accounts::needs_first_run(desk)? {
        return Err(Error::Accounts(AccountsError::AlreadySetUp));
    }
    let hub_url = sync::enroll(desk, connection)?;
    desk.write(|tx, now| {
        audit::record(
            tx,
            now,
            &desk_setup(),
            AuditEvent::SyncConnected,
            None,
            &format!("joined the center at {hub_url}"),
        )
    })?;
    sync::status(desk)
}

/// Whether how sync stands may be shown: to staff with the right, and, on a desk joining its
/// center before anyone is set up on it, to the window with nobody signed in (who could be?):
/// how its first sync goes is all that window has to show.
pub fn may_see_sync_state(desk: &Desk, session: Option<&Session>) -> Result<()> {
    match session {
        Some(session) => access::authorize(desk, session, Action::SeeSyncState).map(drop),
        None if accounts::needs_first_run(desk)? => Ok(()),
        None => Err(Error::Access(AccessError::SignedOut)),
    }
}

/// Lets a desk that asks to join the center in: the center's keys go to it sealed, through the
/// hub. The admin first compares the code beside its name with the one the desk shows.
pub fn let_desk_in(desk: &mut Desk, session: &Session, request_id: &str) -> Result<SyncStatus> {
    access::authorize(desk, session, Action::ConnectSync)?;
    let desk_name = sync::let_desk_in(desk, request_id)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        audit::record(tx, now, &actor, AuditEvent::DeskLetIn, None, &desk_name)
    })?;
    sync::status(desk)
}

/// The desks waiting to be let in, asked of the hub now: the list the status keeps is only as
/// fresh as the last sync, and a desk that asked since would be missing from it.
pub fn join_requests(desk: &mut Desk, session: &Session) -> Result<Vec<JoinAsk>> {
    access::authorize(desk, session, Action::ConnectSync)?;
    sync::ask_join_requests(desk)
}

/// A desk waiting to join takes the center's key from its recovery words instead: the desk
/// joining before anyone is set up on it (no session), or one an admin connected.
pub fn recover_center_key(desk: &mut Desk, session: Option<&Session>, words: &str) -> Result<SyncStatus> {
    let actor = match session {
        Some(session) => access::authorize(desk, session, Action::ConnectSync)?,
        None if accounts::needs_first_run(desk)? => desk_setup(),
        None => return Err(Error::Access(AccessError::SignedOut)),
    };
    sync::recover_center_key(desk, words)?;
    desk.write(|tx, now| audit::record(tx, now, &actor, AuditEvent::CenterKeyRecovered, None, ""))?;
    sync::status(desk)
}

/// An admin takes the hub's time as right for this desk, whose own clock is far from it and
/// cannot be put right now (a locked-down donated PC): its stamps follow the hub's time from
/// now on, and it makes changes again. Audited with the gap taken.
pub fn accept_hub_time(desk: &mut Desk, session: &Session) -> Result<SyncStatus> {
    let computer = desk.computer_time();
    desk.write(|tx, _| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        if let Some(offset) = sync::accept_hub_time(tx, computer)? {
            let detail = format!("the hub's time, {} this computer's clock", sync::clock_gap(offset));
            let at = sync::trusted_time::trusted_now(tx, computer)?;
            audit::record(tx, at, &actor, AuditEvent::HubTimeAccepted, None, &detail)?;
        }
        Ok(())
    })?;
    sync::status(desk)
}

/// An admin says the computer's clock is right, after it was set back before a time this desk
/// had reached (a clock that ran ahead, then put right, on a desk with no hub to confirm it): the
/// desk dates and stamps by it again. Audited, at the time it reads.
pub fn trust_computer_clock(desk: &mut Desk, session: &Session) -> Result<SyncStatus> {
    let computer = desk.computer_time();
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        if sync::trusted_time::trust_computer_clock(tx, computer)? {
            audit::record(tx, now, &actor, AuditEvent::ComputerClockTrusted, None, "")?;
        }
        Ok(())
    })?;
    sync::status(desk)
}

/// Checks that `words` are the recovery words of a center key this desk holds: the way back in
/// for a center whose admins all forgot their passwords, on a desk whose own key sits in the
/// computer's keychain (which anyone signed in to the computer can use).
pub fn prove_with_recovery_words(desk: &Desk, words: &str) -> Result<()> {
    sync::words_of_a_held_key(desk, words)
}

/// The 24 recovery words of the center key this desk made, until an admin has written them
/// down; `None` after, or on a desk that did not make the key.
pub fn recovery_sheet(desk: &Desk, session: &Session) -> Result<Option<Vec<String>>> {
    access::authorize(desk, session, Action::ConnectSync)?;
    sync::recovery_sheet(desk.conn())
}

/// The admin has written the recovery words down (or printed them): the desk stops showing them.
pub fn recovery_sheet_written_down(desk: &mut Desk, session: &Session) -> Result<SyncStatus> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        sync::recovery_sheet_written(tx)?;
        audit::record(tx, now, &actor, AuditEvent::RecoverySheetWrittenDown, None, "")
    })?;
    sync::status(desk)
}

/// A desk of the center, as an admin sees it in Settings → Sync.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CenterDesk {
    pub device_id: String,
    pub name: String,
    pub enrolled_at: Option<Timestamp>,
    pub last_seen_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// The desk this list is shown on.
    pub this_desk: bool,
}

/// The center's desks, as the hub lists them (this asks the hub).
pub fn center_desks(desk: &Desk, session: &Session) -> Result<Vec<CenterDesk>> {
    access::authorize(desk, session, Action::ConnectSync)?;
    let own = sync::status(desk)?.device_id;
    Ok(sync::center_devices(desk)?
        .into_iter()
        .map(|device| CenterDesk {
            this_desk: own.as_deref() == Some(device.device_id.as_str()),
            enrolled_at: Timestamp::parse(&device.enrolled_at),
            last_seen_at: device.last_seen_at.as_deref().and_then(Timestamp::parse),
            revoked_at: device.revoked_at.as_deref().and_then(Timestamp::parse),
            device_id: device.device_id,
            name: device.name,
        })
        .collect())
}

/// Revokes a desk of the center (a lost or stolen laptop): the hub refuses it from now on. With
/// `change_key`, the center's key changes too: the desks still enrolled receive the new one
/// sealed to them, the history at the hub is sealed again with it, and the revoked desk's key
/// opens nothing there. The new key's recovery sheet is then shown to be written down.
pub fn revoke_desk(desk: &mut Desk, session: &Session, device_id: &str, change_key: bool) -> Result<SyncStatus> {
    access::authorize(desk, session, Action::ConnectSync)?;
    if sync::status(desk)?.device_id.as_deref() == Some(device_id) {
        return Err(Error::Sync(SyncError::CannotRevokeThisDesk));
    }
    let name = sync::revoke_desk(desk, device_id, change_key)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        let detail = if change_key { format!("{name}; the center's key was changed") } else { name };
        audit::record(tx, now, &actor, AuditEvent::DeskRevoked, None, &detail)
    })?;
    sync::status(desk)
}

fn desk_setup() -> Actor {
    Actor { account_id: None, name: "Desk setup".into(), roles: Vec::new() }
}

/// Forgets the hub. The desk keeps all its records and its unsent changes.
pub fn disconnect(desk: &mut Desk, session: &Session) -> Result<()> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ConnectSync)?;
        let hub_url = sync::hub_url(tx)?.unwrap_or_default();
        audit::record(tx, now, &actor, AuditEvent::SyncDisconnected, None, &hub_url)
    })?;
    sync::forget_hub(desk)
}

/// The staff account behind the newest change to a record, on whichever desk it was made:
/// `None` for a record only the desk itself or its command line changed.
pub fn changed_by(desk: &Desk, session: &Session, entity: &str, record_id: &str) -> Result<Option<String>> {
    access::authorize(desk, session, Action::SeeSyncState)?;
    sync::changed_by(desk.conn(), entity, record_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{set_up, TestDesk};

    #[test]
    fn how_sync_stands_shows_with_nobody_signed_in_only_on_a_desk_joining_its_center() {
        let mut desk = TestDesk::unenrolled("2026-12-05T15:00:00Z");
        may_see_sync_state(&desk, None).expect("a joining desk's window shows its first sync");
        let admin = set_up(&mut desk);
        assert!(matches!(may_see_sync_state(&desk, None), Err(Error::Access(AccessError::SignedOut))));
        may_see_sync_state(&desk, Some(&admin)).unwrap();
    }
}
