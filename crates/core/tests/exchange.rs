//! Exports, imports and backups, through the public API on real files.

use porchlight_core::export::{self, Days, Format};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::reports::parse_day;
use porchlight_core::{backup, front_desk, import, services, visits, Desk, Error, DATABASE_FILE_NAME};
use porchlight_testkit::{desk_at, OPERATOR};

fn count_people(desk: &mut Desk) -> usize {
    let mut out = Vec::new();
    export::people(desk, &OPERATOR, Days::default(), Format::Json, &mut out).unwrap()
}

#[test]
fn a_csv_export_opens_cleanly_in_a_spreadsheet() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let tricky = PersonInput { display_name: "Ann \"Red\" O'Neil, Jr".into(), ..Default::default() };
    let ann = people::register(&mut desk, &OPERATOR, &tricky).unwrap();
    let two: Vec<String> = services::list(&desk, &OPERATOR, false).unwrap().into_iter().take(2).map(|s| s.id).collect();
    visits::check_in(&mut desk, &OPERATOR, &ann.id, &two).unwrap();
    visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();

    let mut out = Vec::new();
    assert_eq!(export::visits(&mut desk, &OPERATOR, Days::default(), Format::Csv, &mut out).unwrap(), 2);
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "date,checked_in,checked_out,minutes,anonymous,member_code,display_name,services,visit_id,person_id"
    );
    assert!(text.contains("\"Ann \"\"Red\"\" O'Neil, Jr\""), "RFC 4180 quoting: {text}");
    assert!(text.contains("2026-11-23,2026-11-23 14:00,,,false"), "local time in Chicago: {text}");
    assert!(text.contains("Peer coaching / mentoring; Support group"));

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), 2);
}

#[test]
fn exports_filter_by_local_day_and_json_is_valid() {
    let mut desk = desk_at("2026-11-20T20:00:00Z");
    visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
    desk.clock.advance(chrono::Duration::days(3));
    visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();

    let days = Days { from: Some(parse_day("2026-11-21").unwrap()), to: Some(parse_day("2026-11-23").unwrap()) };
    let mut out = Vec::new();
    assert_eq!(export::visits(&mut desk, &OPERATOR, days, Format::Json, &mut out).unwrap(), 1);
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["date"], "2026-11-23");
    assert_eq!(rows[0]["anonymous"], true);

    let mut empty = Vec::new();
    let nothing = Days { from: Some(parse_day("2020-01-01").unwrap()), to: Some(parse_day("2020-01-02").unwrap()) };
    export::people(&mut desk, &OPERATOR, nothing, Format::Csv, &mut empty).unwrap();
    assert!(
        String::from_utf8(empty).unwrap().starts_with("member_code,display_name,"),
        "an empty export keeps its header"
    );

    let reversed = Days { from: days.to, to: days.from };
    assert!(matches!(
        export::visits(&mut desk, &OPERATOR, reversed, Format::Csv, Vec::new()),
        Err(Error::DateRangeReversed)
    ));
}

#[test]
fn an_import_with_bad_rows_reports_each_by_line_and_imports_nothing() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let file = "display_name,email,birth_year,contact_consent\n\
                Ann B,ann@example.org,1980,yes\n\
                ,nobody@example.org,,\n\
                Cal D,not-an-email,,\n\
                Eve F,,eighteen,\n\
                Gus H,,,maybe\n\
                Ida J,,1990\n";
    let err = import::people_csv(&mut desk, &OPERATOR, file.as_bytes()).unwrap_err();
    let Error::ImportRejected(rows) = err else { panic!("expected ImportRejected, got {err:?}") };
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7], "{rows:?}");
    assert!(rows[0].message.contains("display name"), "{}", rows[0].message);
    assert!(rows[1].message.contains("email"));
    assert!(rows[2].message.contains("eighteen"));
    assert!(rows[3].message.contains("yes or no"));
    assert!(rows[4].message.contains("fields"));
    assert_eq!(count_people(&mut desk), 0);
}

#[test]
fn a_good_import_adds_everyone_and_an_export_reimports_elsewhere() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let file = "Display Name,Alias,Phone,Member Code,contact_consent\n\
                José R,Joe,555-010-1234,k7q-m4x,yes\n\
                Maria G,,,,no\n";
    assert_eq!(import::people_csv(&mut desk, &OPERATOR, file.as_bytes()).unwrap(), 2);
    let jose = front_desk::find_by_member_code(&desk, &OPERATOR, "K7QM4X").unwrap().expect("imported with its code");
    assert_eq!(jose.display_name, "José R");
    assert!(people::get(&mut desk, &OPERATOR, &jose.id).unwrap().contact_consent);

    let again = import::people_csv(&mut desk, &OPERATOR, file.as_bytes()).unwrap_err();
    assert!(matches!(&again, Error::ImportRejected(rows) if rows[0].message.contains("already in use")), "{again:?}");

    let mut exported = Vec::new();
    export::people(&mut desk, &OPERATOR, Days::default(), Format::Csv, &mut exported).unwrap();
    let mut other = desk_at("2026-11-23T20:00:00Z");
    assert_eq!(import::people_csv(&mut other, &OPERATOR, exported.as_slice()).unwrap(), 2);
    assert!(front_desk::find_by_member_code(&other, &OPERATOR, "K7QM4X").unwrap().is_some());
}

#[test]
fn an_import_with_an_unknown_column_is_refused_at_line_one() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let err = import::people_csv(&mut desk, &OPERATOR, "display_name,diagnosis\nAnn,x\n".as_bytes()).unwrap_err();
    assert!(matches!(&err, Error::ImportRejected(rows) if rows[0].line == 1 && rows[0].message.contains("diagnosis")));
}

#[test]
fn a_backup_is_a_consistent_copy_and_never_overwrites() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Ann B".into(), ..Default::default() })
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let target = scratch.path().join("backup.sqlite3");
    backup::to_file(&mut desk, &OPERATOR, &target).unwrap();
    assert!(matches!(backup::to_file(&mut desk, &OPERATOR, &target), Err(Error::Io(_))));

    let copy_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&target, copy_dir.path().join(DATABASE_FILE_NAME)).unwrap();
    let mut copy = Desk::open_dir(copy_dir.path()).unwrap();
    assert_eq!(count_people(&mut copy), 1);
    assert_eq!(porchlight_core::settings::get(&copy).unwrap().center_name, "Test Center");
}
