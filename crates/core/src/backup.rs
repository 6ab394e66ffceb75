//! Backups with SQLite's online backup: a consistent copy, safe while desks keep writing.

use std::path::Path;

use rusqlite::{backup::Backup, Connection};

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::{Desk, Error, Result};

/// Copies the whole database to `destination`, which must not exist yet, encrypted with the
/// desk's key when the desk has one. The copy is written beside it under a temporary name,
/// checked page by page, and renamed at the end, so a half-made or damaged backup never passes
/// for a whole one; a desk whose own file is damaged is told so ([`Error::DeskDataDamaged`]).
pub fn to_file(desk: &mut Desk, session: &Session, destination: &Path) -> Result<()> {
    access::authorize(desk, session, Action::Backup)?;
    if destination.exists() {
        return Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists; choose a new file name", destination.display()),
        )));
    }
    let partial = destination.with_extension("partial");
    let result = (|| -> Result<()> {
        let mut copy = Connection::open(&partial)?;
        if let Some(key) = desk.key() {
            key.apply(&copy)?;
        }
        let damaged = || Error::DeskDataDamaged { path: desk.path().to_owned() };
        Backup::new(desk.conn(), &mut copy)?.run_to_completion(1024, std::time::Duration::ZERO, None).map_err(
            |err| match err.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => damaged(),
                _ => err.into(),
            },
        )?;
        // A backup that does not read whole is no backup: checked before it takes its name.
        if !crate::store::problems_in(&copy, desk.key().is_some())?.is_empty() {
            return Err(damaged());
        }
        drop(copy);
        std::fs::rename(&partial, destination)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::Backup)?;
        audit::record(tx, now, &actor, AuditEvent::BackupMade, None, &destination.display().to_string())
    })
}
