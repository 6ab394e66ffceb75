//! The admin CLI as centers' scripts use it: the real binary, a temp desk, stdout and exit codes.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Every desk these tests make is kept with this passphrase, as a center's script would give it.
const DESK_PASSPHRASE: &str = "a porch light left on";

/// The CLI as a script runs it: no terminal, no keychain, the desk passphrase in its variable.
fn porchlight(data_dir: &Path, args: &[&str]) -> Output {
    porchlight_with(data_dir, Some(DESK_PASSPHRASE), args)
}

fn porchlight_with(data_dir: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_porchlight"));
    command.arg("--data-dir").arg(data_dir).arg("--no-keychain").args(args).stdin(Stdio::null());
    command.env_remove("PORCHLIGHT_DESK_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("PORCHLIGHT_DESK_PASSPHRASE", passphrase);
    }
    command.output().expect("the porchlight binary runs")
}

/// The files in `dir` that plain SQLite (no key) opens and reads as a database.
fn readable_without_the_key(dir: &Path) -> Vec<String> {
    let mut readable = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let Ok(conn) = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else {
            continue;
        };
        let opened = conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0));
        // An empty file also "opens": it holds nothing, so it cannot leak anything.
        if opened.is_ok() && std::fs::metadata(&path).unwrap().len() > 0 {
            readable.push(path.display().to_string());
        }
    }
    readable
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn import_then_export_round_trips_people_as_csv_and_json() {
    let desk = tempfile::tempdir().unwrap();
    let file = desk.path().join("people.csv");
    std::fs::write(&file, "display_name,alias,contact_consent\nAnn B.,Annie,yes\n\"O'Neil, Jr\",,no\n").unwrap();

    let imported = porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert_eq!(stdout(&imported).trim(), "Imported 2 people.");

    let csv = porchlight(desk.path(), &["export", "people"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let text = stdout(&csv);
    assert!(text.starts_with("member_code,display_name,alias,"), "{text}");
    assert!(text.contains("\"O'Neil, Jr\""), "{text}");

    let json = porchlight(desk.path(), &["export", "people", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["alias"], "Annie");
}

#[test]
fn a_bad_import_exits_non_zero_names_each_line_and_imports_nothing() {
    let desk = tempfile::tempdir().unwrap();
    let file = desk.path().join("people.csv");
    std::fs::write(&file, "display_name,email\nAnn B.,ann@example.org\n,x@example.org\nCal D.,cal@\n").unwrap();

    let imported = porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]);
    assert_eq!(imported.status.code(), Some(1));
    let report = stderr(&imported);
    assert!(report.contains("line 3:") && report.contains("line 4:"), "{report}");
    assert!(!report.contains("line 2:"), "{report}");

    let export = porchlight(desk.path(), &["export", "people", "--format", "json"]);
    assert_eq!(stdout(&export).trim(), "[\n]");

    // A file wrong on every one of 20,000 rows: the first 50 and how many more.
    let rows: String = (0..20_000).map(|row| format!(",person{row}@example.org\n")).collect();
    std::fs::write(&file, format!("display_name,email\n{rows}")).unwrap();
    let imported = porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]);
    let report = stderr(&imported);
    assert!(report.starts_with("porchlight: the file has 20000 problem(s); nothing was imported:"), "{report}");
    assert_eq!(report.lines().filter(|line| line.starts_with("  line ")).count(), 50, "{report}");
    assert!(report.trim_end().ends_with("and 19950 more"), "{report}");
}

#[test]
fn bad_dates_and_a_missing_file_are_clear_errors() {
    let desk = tempfile::tempdir().unwrap();
    let bad_date = porchlight(desk.path(), &["export", "visits", "--from", "11/23/2026"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(stderr(&bad_date).contains("2026-11-23"), "{}", stderr(&bad_date));

    let reversed = porchlight(desk.path(), &["export", "visits", "--from", "2026-11-23", "--to", "2026-11-01"]);
    assert!(stderr(&reversed).contains("after the end date"), "{}", stderr(&reversed));

    // A day no record can fall on is refused, not answered with nothing.
    for what in ["people", "visits", "calls"] {
        let far = porchlight(desk.path(), &["export", what, "--to", "9999-12-31"]);
        assert_eq!(far.status.code(), Some(1), "export {what}");
        assert!(
            stderr(&far).contains("9999-12-31 is outside the days Porchlight keeps (the years 1900 to 2999)"),
            "{}",
            stderr(&far)
        );
        assert!(stdout(&far).is_empty(), "export {what}");
    }
    let ancient = porchlight(desk.path(), &["report", "--from", "0001-01-01", "--to", "2026-11-23"]);
    assert!(stderr(&ancient).contains("0001-01-01 is outside the days"), "{}", stderr(&ancient));

    let missing = porchlight(desk.path(), &["import", "people", "/nonexistent/people.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("/nonexistent/people.csv"), "{}", stderr(&missing));
}

#[test]
fn a_backup_opens_as_a_desk_and_is_never_overwritten() {
    let desk = tempfile::tempdir().unwrap();
    assert!(porchlight(desk.path(), &["demo"]).status.success());
    let target = desk.path().join("backup.sqlite3");
    let backup = porchlight(desk.path(), &["backup", target.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", stderr(&backup));

    let again = porchlight(desk.path(), &["backup", target.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"));

    // A passphrase desk's backup is restored beside the same desk-key.json (README).
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&target, restored.path().join(porchlight_core::DATABASE_FILE_NAME)).unwrap();
    let key_note = porchlight_core::encryption::KEY_NOTE_FILE_NAME;
    std::fs::copy(desk.path().join(key_note), restored.path().join(key_note)).unwrap();
    let visits = porchlight(restored.path(), &["export", "visits", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&visits.stdout).unwrap();
    assert!(rows.as_array().unwrap().len() > 1000, "the demo's visits are in the backup");
}

#[test]
fn sync_on_a_desk_with_no_hub_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let status = porchlight(dir.path(), &["sync", "status"]);
    assert!(status.status.success());
    assert!(stdout(&status).starts_with("Not connected to a hub."), "{}", stdout(&status));

    let now = porchlight(dir.path(), &["sync", "now"]);
    assert_eq!(now.status.code(), Some(1));
    assert!(stderr(&now).contains("not connected to a hub"), "{}", stderr(&now));

    let bad =
        porchlight(dir.path(), &["sync", "connect", "--hub", "hub.example.org", "--code", "X", "--name", "Front"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("A hub address looks like"), "{}", stderr(&bad));
}

#[test]
fn every_subcommand_on_a_new_folder_encrypts_the_desk_before_writing_it() {
    let work = tempfile::tempdir().unwrap();
    let people = work.path().join("people.csv");
    std::fs::write(&people, "display_name\nAnn B.\n").unwrap();
    let backup = work.path().join("backup.sqlite3");
    let subcommands: &[&[&str]] = &[
        &["import", "people", people.to_str().unwrap()],
        &["demo"],
        &["export", "people"],
        &["export", "visits", "--format", "json"],
        &["backup", backup.to_str().unwrap()],
        &["sync", "status"],
        &["accounts", "list"],
    ];
    for args in subcommands {
        let desk = tempfile::tempdir().unwrap();
        let run = porchlight(desk.path(), args);
        assert!(run.status.success(), "{args:?}: {}", stderr(&run));
        assert!(desk.path().join(porchlight_core::DATABASE_FILE_NAME).exists(), "{args:?} made the desk");
        assert_eq!(readable_without_the_key(desk.path()), Vec::<String>::new(), "{args:?}");
        let key_note = std::fs::read_to_string(desk.path().join(porchlight_core::encryption::KEY_NOTE_FILE_NAME));
        assert!(key_note.unwrap().contains("passphrase"), "{args:?} noted where the key is kept");
    }
    assert_eq!(readable_without_the_key(work.path()), Vec::<String>::new(), "the backup is encrypted too");

    // The desk then opens with its passphrase, and only with it.
    let desk = tempfile::tempdir().unwrap();
    assert!(porchlight(desk.path(), &["import", "people", people.to_str().unwrap()]).status.success());
    let wrong = porchlight_with(desk.path(), Some("not the desk's passphrase"), &["export", "people"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(stderr(&wrong).contains("passphrase does not open"), "{}", stderr(&wrong));
    assert!(stdout(&porchlight(desk.path(), &["export", "people"])).contains("Ann B."));
}

#[test]
fn a_new_desk_with_no_passphrase_to_choose_is_refused_and_nothing_is_written() {
    let desk = tempfile::tempdir().unwrap();
    let refused = porchlight_with(desk.path(), None, &["demo"]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.contains("PORCHLIGHT_DESK_PASSPHRASE") && message.contains("encrypted"), "{message}");
    assert_eq!(std::fs::read_dir(desk.path()).unwrap().count(), 0, "nothing was written");

    let short = porchlight_with(desk.path(), Some("too short"), &["demo"]);
    assert_eq!(short.status.code(), Some(1));
    assert!(stderr(&short).contains("at least 12 characters"), "{}", stderr(&short));
    assert_eq!(std::fs::read_dir(desk.path()).unwrap().count(), 0, "nothing was written");
}

#[test]
fn the_audit_log_names_the_system_account_even_where_user_is_not_set() {
    let desk = tempfile::tempdir().unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_porchlight"))
        .arg("--data-dir")
        .arg(desk.path())
        .args(["--no-keychain", "demo"])
        .env_remove("USER")
        .env_remove("USERNAME")
        .env_remove("LOGNAME")
        .env("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));

    let id = Command::new("id").arg("-un").output().expect("id(1) names the account running the tests");
    let account = String::from_utf8(id.stdout).unwrap().trim().to_owned();
    let key = porchlight_core::encryption::unlock_with_passphrase(desk.path(), DESK_PASSPHRASE).unwrap();
    let opened = porchlight_core::Desk::open_dir_keyed(desk.path(), Some(key)).unwrap();
    let entries = porchlight_core::audit::browse(&opened, &porchlight_testkit::OPERATOR, &Default::default()).unwrap();
    let names: Vec<_> = entries.iter().map(|entry| entry.account_name.as_str()).collect();
    assert!(names.contains(&format!("{account} (command line)").as_str()), "{names:?}");
    assert!(!names.iter().any(|name| name.contains("unknown user")), "{names:?}");
}

/// Once the center has an admin, the command line reveals and changes records only for an
/// admin who signs in by name and password; backing up and syncing stay open to whoever opens
/// the desk.
#[test]
fn once_a_center_has_an_admin_the_command_line_acts_only_for_one_who_signs_in() {
    use porchlight_testkit::{harbor_house, ADMIN_NAME, ADMIN_PASSWORD};

    let dir = tempfile::tempdir().unwrap();
    assert!(porchlight(dir.path(), &["demo"]).status.success());
    {
        let key = porchlight_core::encryption::unlock_with_passphrase(dir.path(), DESK_PASSPHRASE).unwrap();
        let mut desk = porchlight_core::Desk::open_dir_keyed(dir.path(), Some(key)).unwrap();
        porchlight_core::accounts::first_run(&mut desk, &harbor_house()).unwrap();
    }

    for refused in
        [&["export", "people"][..], &["report", "--from", "2026-11-01", "--to", "2026-11-02"], &["accounts", "list"]]
    {
        let output = porchlight(dir.path(), refused);
        assert!(!output.status.success(), "{refused:?} without signing in");
        assert!(stderr(&output).contains("--as NAME"), "{}", stderr(&output));
        assert!(stdout(&output).is_empty(), "nothing revealed");
    }
    let backup = dir.path().join("before.porchlight-backup");
    assert!(porchlight(dir.path(), &["backup", backup.to_str().unwrap()]).status.success());
    assert!(porchlight(dir.path(), &["sync", "status"]).status.success());

    let as_admin = |password: &str, args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_porchlight"));
        command.arg("--data-dir").arg(dir.path()).args(["--no-keychain", "--as", ADMIN_NAME]).args(args);
        command.env("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE).env("PORCHLIGHT_ADMIN_PASSWORD", password);
        command.stdin(Stdio::null()).output().unwrap()
    };
    let wrong = as_admin("not the password", &["export", "people"]);
    assert!(!wrong.status.success() && stderr(&wrong).contains("4 more"), "{}", stderr(&wrong));
    let exported = as_admin(ADMIN_PASSWORD, &["export", "people"]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(stdout(&exported).lines().count() > 100, "the demo's people");

    let key = porchlight_core::encryption::unlock_with_passphrase(dir.path(), DESK_PASSPHRASE).unwrap();
    let desk = porchlight_core::Desk::open_dir_keyed(dir.path(), Some(key)).unwrap();
    let entries = porchlight_core::audit::browse(&desk, &porchlight_testkit::OPERATOR, &Default::default()).unwrap();
    let exported_by: Vec<_> = entries
        .iter()
        .filter(|entry| entry.event == porchlight_core::audit::AuditEvent::PeopleExported.as_str())
        .map(|entry| entry.account_name.as_str())
        .collect();
    assert_eq!(exported_by, [ADMIN_NAME], "the export is the admin's in the audit log");
}

#[test]
fn warmline_exports_hold_no_notes_unless_include_notes_is_given() {
    let desk = tempfile::tempdir().unwrap();
    let demo = porchlight(desk.path(), &["demo", "--time-zone", "America/Denver"]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let plain = porchlight(desk.path(), &["export", "calls"]);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let plain = stdout(&plain);
    let mut reader = csv::Reader::from_reader(plain.as_bytes());
    let header = reader.headers().unwrap().clone();
    let notes = header.iter().position(|h| h == "notes").expect("a notes column, empty");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 1_000, "six months of calls: {}", rows.len());
    assert!(rows.iter().all(|row| row[notes].is_empty()), "no call's notes without --include-notes");
    assert!(!plain.contains("urge-surfing"), "no note anywhere in the file");

    let with_notes = stdout(&porchlight(desk.path(), &["export", "calls", "--include-notes", "--format", "json"]));
    let calls: serde_json::Value = serde_json::from_str(&with_notes).unwrap();
    assert!(calls
        .as_array()
        .unwrap()
        .iter()
        .any(|call| call["notes"].as_str().is_some_and(|n| n.contains("urge-surfing"))));

    let callers = stdout(&porchlight(desk.path(), &["export", "callers", "--format", "json"]));
    let callers: serde_json::Value = serde_json::from_str(&callers).unwrap();
    assert!(callers.as_array().unwrap().iter().all(|caller| caller["what_helps"].is_null() && caller["flags"] == ""));
    let resources = stdout(&porchlight(desk.path(), &["export", "resources"]));
    assert!(resources.lines().any(|line| line.contains(",988 Suicide & Crisis Lifeline,")), "{resources}");

    let refused = porchlight(desk.path(), &["export", "people", "--include-notes"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--include-notes is for calls and callers only"), "{}", stderr(&refused));
}

#[test]
fn volunteer_exports_keep_their_contract_and_one_volunteers_shifts_are_a_calendar() {
    let desk = tempfile::tempdir().unwrap();
    let demo = porchlight(desk.path(), &["demo", "--time-zone", "America/Denver"]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let volunteers = porchlight(desk.path(), &["export", "volunteers", "--format", "json"]);
    assert!(volunteers.status.success(), "{}", stderr(&volunteers));
    let volunteers: serde_json::Value = serde_json::from_str(&stdout(&volunteers)).unwrap();
    let volunteers = volunteers.as_array().unwrap();
    assert_eq!(volunteers.len(), 40);
    let header = stdout(&porchlight(desk.path(), &["export", "volunteers"]));
    assert_eq!(
        header.lines().next().unwrap(),
        "volunteer_id,name,roles,started_on,contact_preference,active,staff_account,credentials,minutes",
        "the export's columns, and never a visit"
    );
    let casey = volunteers.iter().find(|v| v["name"] == "Casey L.").expect("Casey volunteers on the line");
    assert_eq!(casey["staff_account"], "Casey L.");

    let shifts = porchlight(desk.path(), &["export", "shifts", "--from", "2026-01-01", "--to", "2030-12-31"]);
    assert!(shifts.status.success(), "{}", stderr(&shifts));
    let shifts = stdout(&shifts);
    assert!(
        shifts.starts_with("date,starts,ends,shift,role,location,needed_min,needed_ideal,held,coverage,"),
        "{shifts}"
    );
    assert!(shifts.lines().any(|line| line.contains(",Warmline evenings,Warmline,") && line.contains(",uncovered,")));

    let hours = porchlight(desk.path(), &["export", "hours", "--format", "csv"]);
    let hours = stdout(&hours);
    let mut reader = csv::Reader::from_reader(hours.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["date", "volunteer", "role", "source", "what", "minutes", "hours", "no_show", "volunteer_id", "record_id"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() > 500, "four months of shifts: {}", rows.len());
    assert!(rows.iter().any(|row| &row[3] == "logged") && rows.iter().any(|row| &row[7] == "true"));

    let calendar = porchlight(
        desk.path(),
        &["export", "shifts", "--format", "ics", "--volunteer", casey["volunteer_id"].as_str().unwrap()],
    );
    assert!(calendar.status.success(), "{}", stderr(&calendar));
    let calendar = stdout(&calendar);
    assert!(calendar.contains("BEGIN:VTIMEZONE") && calendar.contains("TZID:America/Denver"));
    assert!(calendar.contains("SUMMARY:Warmline") && calendar.matches("BEGIN:VEVENT").count() > 5);
    assert!(calendar.contains("X-WR-CALNAME:Lantern House (fictional demo) shifts: Casey L."), "{calendar}");

    for (args, says) in [
        (&["export", "hours", "--format", "ics"][..], "--format ics is for sessions and shifts only"),
        (&["export", "shifts", "--volunteer", "x"][..], "--volunteer is for `export shifts --format ics`"),
        (&["export", "shifts", "--format", "ics", "--volunteer", "nobody"][..], "That person is not a volunteer yet."),
    ] {
        let refused = porchlight(desk.path(), args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(stderr(&refused).contains(says), "{args:?}: {}", stderr(&refused));
    }
}

/// On a shared PC another account must not read the desk: its folder is 0700 and every file the
/// desk writes, there or wherever a backup or report is saved, 0600. A folder an older version
/// left open to others is closed again when the desk is next opened.
#[cfg(unix)]
#[test]
fn the_desks_folder_and_every_file_it_writes_are_its_users_alone() {
    use std::os::unix::fs::PermissionsExt;

    let place = tempfile::tempdir().unwrap();
    let dir = place.path().join("desk");
    assert!(porchlight(&dir, &["demo"]).status.success());
    let backup = place.path().join("backup.sqlite3");
    assert!(porchlight(&dir, &["backup", backup.to_str().unwrap()]).status.success());
    let report = place.path().join("report.csv");
    let made = porchlight(
        &dir,
        &[
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--format",
            "csv",
            "--output",
            report.to_str().unwrap(),
        ],
    );
    assert!(made.status.success(), "{}", stderr(&made));

    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the desk's folder");
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).filter(|path| path.is_file()).collect();
    assert!(files.iter().any(|path| path.ends_with(porchlight_core::encryption::KEY_NOTE_FILE_NAME)), "{files:?}");
    files.extend([backup, report]);
    for file in &files {
        assert_eq!(mode(file), 0o600, "{} is open to others", file.display());
    }

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(porchlight(&dir, &["sync", "status"]).status.success());
    assert_eq!(mode(&dir), 0o700, "closed again");
}

/// What a person reads at the terminal when the desk will not open: one sentence of ours, not
/// SQLCipher's own error lines; a damaged file is not called a wrong passphrase, and an emptied
/// one is not opened as a new desk for an import to fill.
#[test]
fn a_desk_that_will_not_open_says_why_in_one_sentence() {
    let desk = tempfile::tempdir().unwrap();
    assert!(porchlight(desk.path(), &["demo"]).status.success());
    let wrong = porchlight_with(desk.path(), Some("not the porch light"), &["sync", "status"]);
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(
        stderr(&wrong).trim(),
        "porchlight: That passphrase does not open this desk's data. Nothing was changed; try again."
    );

    let database = desk.path().join(porchlight_core::DATABASE_FILE_NAME);
    let mut bytes = std::fs::read(&database).unwrap();
    bytes[300] ^= 0x5a;
    std::fs::write(&database, &bytes).unwrap();
    let damaged = porchlight(desk.path(), &["sync", "status"]);
    assert!(stderr(&damaged).contains("data at") && stderr(&damaged).contains("is damaged"), "{}", stderr(&damaged));
    assert!(!stderr(&damaged).contains("ERROR CORE"), "{}", stderr(&damaged));

    std::fs::write(&database, b"").unwrap();
    let file = desk.path().join("people.csv");
    std::fs::write(&file, "display_name\nAnn B.\n").unwrap();
    let emptied = porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]);
    assert_eq!(emptied.status.code(), Some(1));
    assert!(
        stderr(&emptied).contains("is missing or empty, though this desk kept its records there"),
        "{}",
        stderr(&emptied)
    );
    assert_eq!(std::fs::metadata(&database).unwrap().len(), 0, "nothing written into it");
}

/// `porchlight restore FILE` puts a backup back: the desk holds what the backup held (a desk
/// with no hub has nowhere to take the rest from, and says so), and a damaged backup is refused
/// with nothing changed.
#[test]
fn a_backup_put_back_with_restore_is_what_the_desk_holds_and_a_damaged_one_is_refused() {
    let desk = tempfile::tempdir().unwrap();
    let file = desk.path().join("people.csv");
    std::fs::write(&file, "display_name\nAnn B.\nCal D.\n").unwrap();
    assert!(porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]).status.success());
    let backup = desk.path().join("monday.sqlite3");
    assert!(porchlight(desk.path(), &["backup", backup.to_str().unwrap()]).status.success());
    std::fs::write(&file, "display_name\nDee K.\n").unwrap();
    assert!(porchlight(desk.path(), &["import", "people", file.to_str().unwrap()]).status.success());

    let mut damaged = std::fs::read(&backup).unwrap();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    let damaged_copy = desk.path().join("damaged.sqlite3");
    std::fs::write(&damaged_copy, damaged).unwrap();
    let refused = porchlight(desk.path(), &["restore", damaged_copy.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("cannot be put back: it is damaged. Nothing was changed."),
        "{}",
        stderr(&refused)
    );
    let people = |desk: &Path| {
        stdout(&porchlight(desk, &["export", "people", "--format", "json"])).matches("\"display_name\"").count()
    };
    assert_eq!(people(desk.path()), 3, "nothing changed");

    let restored = porchlight(desk.path(), &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(stdout(&restored).contains("not connected to a hub"), "{}", stdout(&restored));
    assert_eq!(people(desk.path()), 2, "what the backup held");
}
