//! Backups with SQLite's online backup: a consistent copy, safe while desks keep writing. An
//! admin makes one at will; the app also keeps a rotating set of its own, daily; and a backup
//! can be put back in place of the desk's data, which the next sync then brings up to date.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
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
    copy_checked(desk, destination)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::Backup)?;
        audit::record(tx, now, &actor, AuditEvent::BackupMade, None, &destination.display().to_string())
    })
}

/// The copy itself: written under a temporary name, read back whole, then named.
fn copy_checked(desk: &Desk, destination: &Path) -> Result<()> {
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
    result
}

/// The folder, inside the desk's data folder, where the app keeps its own backups.
pub const AUTOMATIC_FOLDER: &str = "backups";
/// The last seven days' automatic backups are kept, and before them one for each of four weeks.
const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;

/// The name of the automatic backup of a center's day.
fn automatic_name(day: NaiveDate) -> String {
    format!("porchlight-{day}.sqlite3")
}

/// The center's day an automatic backup's name gives.
fn automatic_day(name: &str) -> Option<NaiveDate> {
    name.strip_prefix("porchlight-")?.strip_suffix(".sqlite3")?.parse().ok()
}

/// Keeps the desk's automatic backups in `folder`: makes today's (the center's day), if there is
/// none yet, checked as every backup is; then keeps the newest seven and, before them, the newest
/// of each of four weeks, and removes the rest. The backup made now, if one was. The desk's own
/// upkeep, run by the app when it starts and then daily, with nobody signed in.
pub fn keep_automatic(desk: &Desk, folder: &Path) -> Result<Option<PathBuf>> {
    std::fs::create_dir_all(folder)?;
    let today = desk.today()?;
    let todays = folder.join(automatic_name(today));
    let made = if todays.exists() {
        None
    } else {
        copy_checked(desk, &todays)?;
        Some(todays)
    };
    let mut days: Vec<NaiveDate> = std::fs::read_dir(folder)?
        .filter_map(|entry| automatic_day(&entry.ok()?.file_name().to_string_lossy()))
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    let mut weeks_kept = Vec::new();
    for (index, day) in days.iter().enumerate() {
        let week = (day.iso_week().year(), day.iso_week().week());
        let kept = index < DAILY_KEPT || (!weeks_kept.contains(&week) && weeks_kept.len() < WEEKLY_KEPT);
        if index >= DAILY_KEPT && kept {
            weeks_kept.push(week);
        }
        if !kept {
            std::fs::remove_file(folder.join(automatic_name(*day)))?;
        }
    }
    Ok(made)
}

/// Puts `backup` in place of the desk's data, for an admin, and returns the desk opened on it.
/// The backup is checked first (it must open with this desk's key and read whole) and copied
/// over the database whole or not at all. Its sync cursor is where the desk stood when it was
/// made, so the next sync takes every change the hub has had since, this desk's own included
/// (which a desk otherwise leaves out as already here): nothing made since is lost once it syncs.
pub fn restore(desk: Desk, session: &Session, backup: &Path) -> Result<Desk> {
    access::authorize(&desk, session, Action::RestoreBackup)?;
    let unusable = |reason: &str| Error::BackupUnusable { path: backup.to_owned(), reason: reason.to_owned() };
    {
        let copy = Connection::open_with_flags(backup, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|_| unusable("it cannot be opened"))?;
        if let Some(key) = desk.key() {
            key.apply(&copy)?;
        }
        let version: i64 = copy
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|_| unusable("it does not open with this desk's key"))?;
        if version == 0 {
            return Err(unusable("it is not a Porchlight desk's backup"));
        }
        if !crate::store::problems_in(&copy, desk.key().is_some()).map_or(false, |problems| problems.is_empty()) {
            return Err(unusable("it is damaged"));
        }
    }
    let (path, clock, key) = (desk.path().to_owned(), desk.clock(), desk.key().cloned());
    drop(desk);
    let restoring = path.with_extension("restoring");
    std::fs::copy(backup, &restoring)?;
    std::fs::File::open(&restoring)?.sync_all()?;
    for log in ["-wal", "-shm"] {
        match std::fs::remove_file(format!("{}{log}", path.display())) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
            _ => {}
        }
    }
    std::fs::rename(&restoring, &path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    let mut desk = Desk::open_keyed(&path, clock, key)?;
    desk.write_unrecorded(|tx, _| crate::sync::apply_own_changes_at_next_pull(tx))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::RestoreBackup)?;
        audit::record(tx, now, &actor, AuditEvent::BackupRestored, None, &backup.display().to_string())
    })?;
    Ok(desk)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn automatic_backups_keep_the_last_week_daily_and_four_weeks_before_it_weekly() {
        let desk = crate::testkit::desk_at("2026-11-01T18:00:00Z");
        let folder = tempfile::tempdir().unwrap();
        let mut made = Vec::new();
        for _ in 0..40 {
            made.extend(keep_automatic(&desk, folder.path()).unwrap());
            assert_eq!(keep_automatic(&desk, folder.path()).unwrap(), None, "one a day");
            desk.clock.advance(Duration::days(1));
        }
        assert_eq!(made.len(), 40);
        let mut kept: Vec<String> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        kept.sort();
        // 1 Nov to 10 Dec (Chicago): the last seven days, then the newest of each of four
        // weeks before them (Monday to Sunday: the 3rd, a Thursday, is its week's newest left).
        let days = ["11-15", "11-22", "11-29", "12-03", "12-04", "12-05", "12-06", "12-07", "12-08", "12-09", "12-10"];
        let expected: Vec<String> = days.iter().map(|day| format!("porchlight-2026-{day}.sqlite3")).collect();
        assert_eq!(kept, expected);
        // Each opens as a desk: a real backup, not a name.
        let newest = folder.path().join("porchlight-2026-12-10.sqlite3");
        let clock = std::sync::Arc::new(crate::FixedClock::at("2026-12-10T18:00:00Z"));
        assert_eq!(Desk::open(&newest, clock).unwrap().today().unwrap().to_string(), "2026-12-10");
    }
}
