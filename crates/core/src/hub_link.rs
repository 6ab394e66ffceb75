//! The desk's link to its center's hub, as staff make it: an admin connects a desk, a new desk
//! joins its center before anyone is set up on it, an admin disconnects one. The syncing itself
//! is [`crate::sync`], which needs no one signed in.

use crate::access::{self, Action, Actor, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::{self, HubConnection, SyncStatus};
use crate::{accounts, Desk, Error, Result};

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
        return Err(Error::AlreadySetUp);
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

/// A desk waiting to join takes the center's key from its recovery words instead: the desk
/// joining before anyone is set up on it (no session), or one an admin connected.
pub fn recover_center_key(desk: &mut Desk, session: Option<&Session>, words: &str) -> Result<SyncStatus> {
    let actor = match session {
        Some(session) => access::authorize(desk, session, Action::ConnectSync)?,
        None if accounts::needs_first_run(desk)? => desk_setup(),
        None => return Err(Error::SignedOut),
    };
    sync::recover_center_key(desk, words)?;
    desk.write(|tx, now| audit::record(tx, now, &actor, AuditEvent::CenterKeyRecovered, None, ""))?;
    sync::status(desk)
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
