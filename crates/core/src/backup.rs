//! Backups with SQLite's online backup: a consistent copy, safe while desks keep writing. An
//! admin makes one at will; the app also keeps a rotating set of its own, daily; and a backup
//! can be put back in place of the desk's data, which the next sync then brings up to date.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rusqlite::{backup::Backup, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::encryption::EncryptionError;
use crate::error::CommonError;
use crate::{Desk, Error, Result};

/// Copies the whole database to `destination`, which must not exist yet, encrypted with the
/// desk's key when the desk has one. The copy is written beside it under a temporary name,
/// checked page by page, and renamed at the end, so a half-made or damaged backup never passes
/// for a whole one; a desk whose own file is damaged is told so ([`Error::Encryption(EncryptionError::DeskDataDamaged)`]).
pub fn to_file(desk: &mut Desk, session: &Session, destination: &Path) -> Result<()> {
    access::authorize(desk, session, Action::Backup)?;
    if destination.exists() {
        return Err(Error::Common(CommonError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists; choose a new file name", destination.display()),
        ))));
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
        let damaged = || Error::Encryption(EncryptionError::DeskDataDamaged { path: desk.path().to_owned() });
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

/// The folder, inside the desk's data folder, where the app keeps its own backups unless an
/// admin chose another.
pub const AUTOMATIC_FOLDER: &str = "backups";
/// The last seven days' automatic backups are kept, and before them one for each of four weeks.
const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;

/// Where this desk keeps its automatic backups, and those it holds there, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Backups {
    pub folder: String,
    /// An admin chose the folder (else it is the one beside the desk's data).
    pub chosen: bool,
    /// The folder is there and takes a backup (a USB drive left out is not).
    pub reachable: bool,
    pub kept: Vec<KeptBackup>,
}

/// One automatic backup: the center's day it holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct KeptBackup {
    pub path: String,
    #[ts(type = "string")]
    pub day: NaiveDate,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The name of the automatic backup of a center's day.
fn automatic_name(day: NaiveDate) -> String {
    format!("porchlight-{day}.sqlite3")
}

/// The center's day an automatic backup's name gives.
fn automatic_day(name: &str) -> Option<NaiveDate> {
    name.strip_prefix("porchlight-")?.strip_suffix(".sqlite3")?.parse().ok()
}

/// Where this desk keeps its automatic backups, and whether an admin chose the folder (else it
/// is `backups` beside its data).
fn folder(desk: &Desk) -> Result<(PathBuf, bool)> {
    Ok(match crate::settings::backup_folder(desk.conn())? {
        Some(chosen) => (chosen, true),
        None => (beside_the_data(desk), false),
    })
}

fn beside_the_data(desk: &Desk) -> PathBuf {
    desk.path().parent().unwrap_or(Path::new(".")).join(AUTOMATIC_FOLDER)
}

/// This desk's automatic backups, for an admin.
pub fn kept(desk: &Desk, session: &Session) -> Result<Backups> {
    access::authorize(desk, session, Action::Backup)?;
    let (folder, chosen) = folder(desk)?;
    let mut kept: Vec<KeptBackup> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| {
                    let entry = entry.ok()?;
                    let day = automatic_day(&entry.file_name().to_string_lossy())?;
                    let bytes = entry.metadata().ok()?.len();
                    Some(KeptBackup { path: entry.path().display().to_string(), day, bytes })
                })
                .collect()
        })
        .unwrap_or_default();
    kept.sort_unstable_by_key(|backup| std::cmp::Reverse(backup.day));
    Ok(Backups {
        folder: folder.display().to_string(),
        chosen,
        reachable: folder.is_dir() && crate::store::ensure_writable(&folder).is_ok(),
        kept,
    })
}

/// An admin chooses where this desk keeps its automatic backups (`None`, or an empty path: beside
/// its data again). The folder must be a full path; it is made if missing, and today's backup is
/// made there at once, so a folder that cannot take one is refused with the reason.
pub fn choose_folder(desk: &mut Desk, session: &Session, chosen: Option<&str>) -> Result<Backups> {
    access::authorize(desk, session, Action::Backup)?;
    let chosen = chosen.map(str::trim).filter(|text| !text.is_empty()).map(PathBuf::from);
    let target = chosen.clone().unwrap_or_else(|| beside_the_data(desk));
    let unusable = |reason: String| Error::Backup(BackupError::BackupFolderUnusable { folder: target.clone(), reason });
    if !target.is_absolute() {
        return Err(unusable("write the folder's full path, such as /media/usb/porchlight-backups".into()));
    }
    std::fs::create_dir_all(&target).map_err(|err| unusable(err.to_string()))?;
    copy_checked(desk, &target.join(automatic_name(desk.today()?))).map_err(|err| unusable(err.to_string()))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::Backup)?;
        crate::settings::write_backup_folder(tx, chosen.as_deref())?;
        let detail = format!("automatic backups in {}", target.display());
        audit::record(tx, now, &actor, AuditEvent::SettingsChanged, None, &detail)
    })?;
    kept(desk, session)
}

/// An admin backs this desk up now: today's automatic backup is made again, as of now.
pub fn back_up_now(desk: &mut Desk, session: &Session) -> Result<Backups> {
    access::authorize(desk, session, Action::Backup)?;
    let todays = folder(desk)?.0.join(automatic_name(desk.today()?));
    if keep_automatic(desk)?.is_none() {
        copy_checked(desk, &todays)?;
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::Backup)?;
        audit::record(tx, now, &actor, AuditEvent::BackupMade, None, &todays.display().to_string())
    })?;
    kept(desk, session)
}

/// Keeps the desk's automatic backups: makes today's (the center's day), if there is none yet,
/// checked as every backup is; then keeps the newest seven and, before them, the newest of each
/// of four weeks, and removes the rest. The backup made now, if one was. The desk's own upkeep,
/// run by the app when it starts and then daily, with nobody signed in.
/// A chosen folder that is not there (a USB drive taken out) is not made again, on whatever disk
/// is there instead: that is refused.
pub fn keep_automatic(desk: &Desk) -> Result<Option<PathBuf>> {
    let (folder, chosen) = folder(desk)?;
    if chosen && !folder.is_dir() {
        let reason = "it is not there (a drive taken out?)".to_owned();
        return Err(Error::Backup(BackupError::BackupFolderUnusable { folder, reason }));
    }
    keep_in(desk, &folder)
}

fn keep_in(desk: &Desk, folder: &Path) -> Result<Option<PathBuf>> {
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

/// Puts `backup` in place of the desk's data, for an admin; the desk is open on it after. The
/// backup is checked first (it must open with this desk's key and read whole) and copied over
/// the database whole or not at all. Its sync cursor is where the desk stood when it was made,
/// so the next sync takes every change the hub has had since, this desk's own included (which a
/// desk otherwise leaves out as already here): nothing sent since is lost once it syncs. The
/// folder this desk keeps its backups in stays as it was.
pub fn restore(desk: &mut Desk, session: &Session, backup: &Path) -> Result<()> {
    access::authorize(desk, session, Action::RestoreBackup)?;
    let unusable = |reason: &str| {
        Error::Backup(BackupError::BackupUnusable { path: backup.to_owned(), reason: reason.to_owned() })
    };
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
        if !crate::store::problems_in(&copy, desk.key().is_some()).is_ok_and(|problems| problems.is_empty()) {
            return Err(unusable("it is damaged"));
        }
    }
    let chosen_folder = crate::settings::backup_folder(desk.conn())?;
    desk.reopen_after(|path| {
        let restoring = path.with_extension("restoring");
        std::fs::copy(backup, &restoring)?;
        std::fs::File::open(&restoring)?.sync_all()?;
        for log in ["-wal", "-shm"] {
            match std::fs::remove_file(format!("{}{log}", path.display())) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err.into()),
                _ => {}
            }
        }
        std::fs::rename(&restoring, path)?;
        if let Some(dir) = path.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })?;
    desk.write_unrecorded(|tx, _| crate::sync::apply_own_changes_at_next_pull(tx))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::RestoreBackup)?;
        // Where this computer keeps backups is the computer's, not the backup's.
        crate::settings::write_backup_folder(tx, chosen_folder.as_deref())?;
        audit::record(tx, now, &actor, AuditEvent::BackupRestored, None, &backup.display().to_string())
    })
}

crate::error::domain_errors! {
    /// What stops a backup from being kept or put back.
    pub enum BackupError, codes BackupErrorCode {
        #[error("The backup {path} cannot be put back: {reason}. Nothing was changed.")]
        BackupUnusable { path: PathBuf, reason: String },
        #[error("Backups cannot be kept in {folder}: {reason}.")]
        BackupFolderUnusable { folder: PathBuf, reason: String } in "backup_folder",
    }
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
            made.extend(keep_in(&desk, folder.path()).unwrap());
            assert_eq!(keep_in(&desk, folder.path()).unwrap(), None, "one a day");
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

    #[test]
    fn an_admin_keeps_backups_in_a_folder_they_choose_and_puts_one_back_in_place() {
        use crate::people::{self, PersonInput};
        use crate::testkit::OPERATOR;
        let mut desk = crate::testkit::desk_at("2026-11-23T18:00:00Z");
        let usb = tempfile::tempdir().unwrap();
        let beside = desk.path().parent().unwrap().join(AUTOMATIC_FOLDER);
        assert_eq!(kept(&desk, &OPERATOR).unwrap().folder, beside.display().to_string());

        // A folder that is no full path, or where a file stands, is refused beside the field.
        let refused = choose_folder(&mut desk, &OPERATOR, Some("porchlight-backups")).unwrap_err();
        assert_eq!(refused.field(), Some("backup_folder"));
        assert!(refused.to_string().contains("full path"), "{refused}");
        let a_file = usb.path().join("notes.txt");
        std::fs::write(&a_file, "").unwrap();
        let refused = choose_folder(&mut desk, &OPERATOR, a_file.to_str()).unwrap_err();
        assert!(matches!(refused, Error::Backup(BackupError::BackupFolderUnusable { .. })), "{refused}");

        // The chosen folder takes today's backup at once, and the daily ones after.
        let folder = usb.path().join("porchlight-backups");
        let backups = choose_folder(&mut desk, &OPERATOR, folder.to_str()).unwrap();
        assert!(backups.chosen && backups.reachable);
        assert_eq!(backups.kept.len(), 1);
        assert_eq!(backups.kept[0].day.to_string(), "2026-11-23");
        let monday = backups.kept[0].path.clone();
        people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Tess A.".into(), ..Default::default() })
            .unwrap();
        desk.clock.advance(Duration::days(1));
        assert!(keep_automatic(&desk).unwrap().unwrap().starts_with(&folder));
        let days: Vec<String> = kept(&desk, &OPERATOR).unwrap().kept.iter().map(|kept| kept.day.to_string()).collect();
        assert_eq!(days, ["2026-11-24", "2026-11-23"], "newest first");

        // Put back in place of the open desk: Monday's records, and the desk goes on working.
        restore(&mut desk, &OPERATOR, Path::new(&monday)).unwrap();
        assert!(crate::front_desk::search(&desk, &OPERATOR, "tess", 5).unwrap().is_empty());
        people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Uma B.".into(), ..Default::default() })
            .unwrap();
        let backups = back_up_now(&mut desk, &OPERATOR).unwrap();
        assert_eq!(backups.kept.len(), 2, "today's made again, not another");

        // A drive taken out: the folder is out of reach, and said to be.
        drop(usb);
        assert!(!kept(&desk, &OPERATOR).unwrap().reachable);
        assert!(keep_automatic(&desk).is_err());
        let backups = choose_folder(&mut desk, &OPERATOR, None).unwrap();
        assert!(!backups.chosen && backups.reachable);
    }
}
