//! The admin CLI as centers' scripts use it: the real binary, a temp desk, stdout and exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn porchlight(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porchlight"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("the porchlight binary runs")
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
}

#[test]
fn bad_dates_and_a_missing_file_are_clear_errors() {
    let desk = tempfile::tempdir().unwrap();
    let bad_date = porchlight(desk.path(), &["export", "visits", "--from", "11/23/2026"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(stderr(&bad_date).contains("2026-11-23"), "{}", stderr(&bad_date));

    let reversed = porchlight(desk.path(), &["export", "visits", "--from", "2026-11-23", "--to", "2026-11-01"]);
    assert!(stderr(&reversed).contains("after the end date"), "{}", stderr(&reversed));

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

    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&target, restored.path().join(porchlight_core::DATABASE_FILE_NAME)).unwrap();
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
