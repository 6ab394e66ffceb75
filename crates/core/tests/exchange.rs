//! Exports, imports and backups, through the public API on real files.

use porchlight_core::access::AccessError;
use porchlight_core::export::{self, Days, Format};
use porchlight_core::import::ImportError;
use porchlight_core::people::{self, PersonInput};
use porchlight_core::reports::parse_day;
use porchlight_core::volunteers::VolunteersError;
use porchlight_core::{backup, front_desk, import, services, visits, CommonError, Desk, Error, DATABASE_FILE_NAME};
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
        Err(Error::Common(CommonError::DateRangeReversed))
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
    let Error::Import(ImportError::ImportRejected { rows }) = err else {
        panic!("expected ImportRejected, got {err:?}")
    };
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
    assert!(
        matches!(&again, Error::Import(ImportError::ImportRejected { rows }) if rows[0].message.contains("already in use")),
        "{again:?}"
    );

    let mut exported = Vec::new();
    export::people(&mut desk, &OPERATOR, Days::default(), Format::Csv, &mut exported).unwrap();
    let mut other = desk_at("2026-11-23T20:00:00Z");
    assert_eq!(import::people_csv(&mut other, &OPERATOR, exported.as_slice()).unwrap(), 2);
    assert!(front_desk::find_by_member_code(&other, &OPERATOR, "K7QM4X").unwrap().is_some());
}

/// A name typed as a formula is written as text, by OWASP's rule, so no spreadsheet runs it; the
/// file still reads back in as it was typed.
#[test]
fn a_csv_export_never_holds_a_formula_and_reads_back_in_as_typed() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let names = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "@SUM(A1:A9)", "+1+2", "-Ann", "Dana P."];
    for name in names {
        let input = people::PersonInput { display_name: name.into(), alias: Some("\t=1".into()), ..Default::default() };
        people::register(&mut desk, &OPERATOR, &input).unwrap();
    }
    let mut out = Vec::new();
    export::people(&mut desk, &OPERATOR, Days::default(), Format::Csv, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|column| column == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let risky = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    for row in &rows {
        assert!(row.iter().all(|cell| !risky(cell)), "a cell a spreadsheet would run: {row:?}");
    }
    let mut written: Vec<&str> = rows.iter().map(|row| &row[at("display_name")]).collect();
    written.sort_unstable();
    assert_eq!(
        written,
        ["'+1+2", "'-Ann", "'=HYPERLINK(\"http://evil.example\",\"Click\")", "'@SUM(A1:A9)", "Dana P."]
    );

    let mut other = desk_at("2026-11-23T20:00:00Z");
    assert_eq!(import::people_csv(&mut other, &OPERATOR, out.as_slice()).unwrap(), names.len());
    let mut json = Vec::new();
    export::people(&mut other, &OPERATOR, Days::default(), Format::Json, &mut json).unwrap();
    let people: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let mut read_back: Vec<String> =
        people.iter().map(|person| person["display_name"].as_str().unwrap().to_owned()).collect();
    read_back.sort_unstable();
    let mut typed: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    typed.sort_unstable();
    assert_eq!(read_back, typed);
}

#[test]
fn an_import_with_an_unknown_column_is_refused_at_line_one() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let err = import::people_csv(&mut desk, &OPERATOR, "display_name,diagnosis\nAnn,x\n".as_bytes()).unwrap_err();
    assert!(
        matches!(&err, Error::Import(ImportError::ImportRejected { rows }) if rows[0].line == 1 && rows[0].message.contains("diagnosis"))
    );
}

#[test]
fn an_import_naming_a_column_twice_is_refused_with_that_column_named() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let twice = "display_name,phone,Display Name\nAnn,555-0100,Annie\n";
    let err = import::people_csv(&mut desk, &OPERATOR, twice.as_bytes()).unwrap_err();
    let Error::Import(ImportError::ImportRejected { rows }) = &err else { panic!("{err}") };
    assert_eq!(rows[0].line, 1);
    assert!(rows[0].message.contains("\"display_name\" appears twice"), "{}", rows[0].message);
}

#[test]
fn a_backup_is_a_consistent_copy_and_never_overwrites() {
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Ann B".into(), ..Default::default() })
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let target = scratch.path().join("backup.sqlite3");
    backup::to_file(&mut desk, &OPERATOR, &target).unwrap();
    assert!(matches!(backup::to_file(&mut desk, &OPERATOR, &target), Err(Error::Common(CommonError::Io(_)))));

    let copy_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&target, copy_dir.path().join(DATABASE_FILE_NAME)).unwrap();
    let mut copy = Desk::open_dir(copy_dir.path()).unwrap();
    assert_eq!(count_people(&mut copy), 1);
    assert_eq!(porchlight_core::settings::get(&copy).unwrap().center_name, "Test Center");
}

/// The meeting calendar, read back by another program's library (Python's icalendar): every
/// session at 6 pm in Denver on both sides of the change back from daylight time, the
/// cancelled one marked so, and the groups, sessions and attendance exports agreeing with it.
/// A calendar as an independent reader (Python's icalendar, installed by `make setup`) sees it:
/// one line per event, `SUMMARY local-start UTC-offset STATUS LOCATION`, local in `zone`.
fn read_calendar_back(ics: &[u8], zone: &str) -> Vec<String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), ics).unwrap();
    let python = std::env::var("PORCHLIGHT_PYTHON")
        .unwrap_or_else(|_| format!("{}/../../target/schemathesis/bin/python", env!("CARGO_MANIFEST_DIR")));
    let read_back = std::process::Command::new(&python)
        .args(["-c", r#"
import sys, icalendar, zoneinfo
calendar = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
assert any(c.name == "VTIMEZONE" for c in calendar.walk()), "no VTIMEZONE"
for event in calendar.walk("VEVENT"):
    start = event.decoded("DTSTART")
    local = start.astimezone(zoneinfo.ZoneInfo(sys.argv[2]))
    print(event.get("SUMMARY"), local.strftime("%Y-%m-%d %H:%M"), start.utcoffset(), event.get("STATUS"), event.get("LOCATION", ""))
"#, &file.path().display().to_string(), zone])
        .output()
        .unwrap_or_else(|err| panic!("{python} (Python with icalendar, installed by `make setup`): {err}"));
    assert!(read_back.status.success(), "{}", String::from_utf8_lossy(&read_back.stderr));
    String::from_utf8_lossy(&read_back.stdout).lines().map(|line| line.trim_end().to_owned()).collect()
}

#[test]
fn the_meeting_calendar_reads_back_at_the_right_local_times_across_a_daylight_saving_change() {
    use porchlight_core::groups::attendance::{self, AttendanceState};
    use porchlight_core::groups::{self, sessions, AttendanceMode, GroupInput, Schedule};
    use porchlight_testkit::{smart_recovery, tuesdays};

    // Monday 23 November 2026 in Denver (the test kit's Chicago desk, moved).
    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let denver =
        porchlight_core::settings::Settings { center_name: "Harbor House".into(), time_zone: "America/Denver".into() };
    porchlight_core::settings::update(&mut desk, &OPERATOR, &denver).unwrap();
    let tuesdays = Schedule {
        ends_on: Some(parse_day("2026-11-24").unwrap()),
        skipped: vec![parse_day("2026-11-10").unwrap()],
        ..tuesdays("2026-10-20")
    };
    let smart = smart_recovery();
    let smart = groups::create(&mut desk, &OPERATOR, &smart, Some(&tuesdays)).unwrap();
    let quiet = GroupInput {
        name: "All Recovery".into(),
        attendance_mode: Some(AttendanceMode::Headcount),
        ..Default::default()
    };
    let quiet = groups::create(
        &mut desk,
        &OPERATOR,
        &quiet,
        Some(&Schedule { start_time: "12:00".into(), ..tuesdays.clone() }),
    )
    .unwrap();
    let all = sessions::of_group(
        &desk,
        &OPERATOR,
        &smart.id,
        parse_day("2026-10-01").unwrap(),
        parse_day("2026-12-31").unwrap(),
    )
    .unwrap();
    let days: Vec<&str> = all.iter().map(|s| &s.local_start[..10]).collect();
    assert_eq!(days, ["2026-10-20", "2026-10-27", "2026-11-03", "2026-11-17", "2026-11-24"]);
    sessions::cancel(&mut desk, &OPERATOR, &all[3].id, "Snow").unwrap();
    let ann =
        people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Ann B".into(), ..Default::default() })
            .unwrap();
    attendance::mark(&mut desk, &OPERATOR, &all[2].id, &ann.id, AttendanceState::Present).unwrap();
    let headcount = sessions::of_group(
        &desk,
        &OPERATOR,
        &quiet.id,
        parse_day("2026-11-03").unwrap(),
        parse_day("2026-11-03").unwrap(),
    )
    .unwrap();
    attendance::set_headcount(&mut desk, &OPERATOR, &headcount[0].id, Some(7)).unwrap();

    let mut ics = Vec::new();
    let days = Days { from: Some(parse_day("2026-10-01").unwrap()), to: Some(parse_day("2026-12-31").unwrap()) };
    assert_eq!(export::sessions_calendar(&mut desk, &OPERATOR, days, &mut ics).unwrap(), 10);
    let lines = read_calendar_back(&ics, "America/Denver");
    let smart: Vec<&str> = lines.iter().map(String::as_str).filter(|line| line.starts_with("SMART")).collect();
    assert_eq!(
        smart,
        [
            "SMART Recovery 2026-10-20 18:00 -1 day, 18:00:00 CONFIRMED Room B",
            "SMART Recovery 2026-10-27 18:00 -1 day, 18:00:00 CONFIRMED Room B",
            "SMART Recovery 2026-11-03 18:00 -1 day, 17:00:00 CONFIRMED Room B",
            "SMART Recovery 2026-11-17 18:00 -1 day, 17:00:00 CANCELLED Room B",
            "SMART Recovery 2026-11-24 18:00 -1 day, 17:00:00 CONFIRMED Room B",
        ],
        "6 pm local, UTC-6 before November 1 and UTC-7 after"
    );

    let mut csv_out = Vec::new();
    export::attendance(&mut desk, &OPERATOR, days, Format::Csv, &mut csv_out).unwrap();
    let text = String::from_utf8(csv_out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "session_id,group,date,person_id,state,headcount,session_cancelled");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].ends_with(&",All Recovery,2026-11-03,,anonymous,7,false".to_string()), "{text}");
    assert!(rows[1].ends_with(&format!(",SMART Recovery,2026-11-03,{},present,,false", ann.id)), "{text}");

    let mut json = Vec::new();
    export::sessions(&mut desk, &OPERATOR, days, Format::Json, &mut json).unwrap();
    let sessions: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let cancelled: Vec<&str> = sessions
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "cancelled")
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(cancelled, ["2026-11-17"]);
    let mut groups_csv = Vec::new();
    assert_eq!(export::groups(&mut desk, &OPERATOR, Format::Csv, &mut groups_csv).unwrap(), 2);
    assert!(String::from_utf8(groups_csv).unwrap().contains("RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"));
}

#[test]
fn warmline_exports_leave_the_notes_out_unless_an_admin_asks_for_them() {
    use porchlight_core::warmline::calls::{self, CallInput, Outcome};
    use porchlight_core::warmline::{callers, HANG_UP, PEER_SUPPORT};
    use porchlight_testkit::set_up;

    let mut desk = desk_at("2026-11-23T20:00:00Z");
    let admin = set_up(&mut desk);
    let birdie = callers::add(&mut desk, &admin, "Birdie, \"B\"").unwrap();
    callers::write_what_helps(&mut desk, &admin, &birdie.id, Some("Asking about Pickle the dog")).unwrap();
    let started = porchlight_core::Timestamp(desk.now().0 - chrono::Duration::minutes(15));
    let call = CallInput {
        caller_id: Some(birdie.id.clone()),
        topic_ids: vec!["01933b00-0000-7000-8002-000000000002".into(), "01933b00-0000-7000-8002-000000000001".into()],
        resource_ids: vec!["01933b00-0000-7000-8003-000000000002".into()],
        outcome: Some(Outcome::TransferredToCrisisLine),
        escalation_reason: Some("Warm transfer, Pickle mentioned".into()),
        notes: Some("Talked about Pickle,\nand her week".into()),
        ..CallInput::of_type(PEER_SUPPORT, started)
    };
    calls::log(&mut desk, &admin, &call).unwrap();
    calls::log(&mut desk, &admin, &CallInput::of_type(HANG_UP, started)).unwrap();

    let export_calls = |desk: &mut Desk, include_notes: bool| {
        let mut out = Vec::new();
        export::calls(desk, &admin, Days::default(), Format::Csv, include_notes, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let plain = export_calls(&mut desk, false);
    assert!(!plain.contains("Pickle"), "no notes without --include-notes: {plain}");
    let mut reader = csv::Reader::from_reader(plain.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("topics")], "Loneliness / isolation; Cravings / urges");
    assert_eq!(&rows[0][column("referrals")], "988 Suicide & Crisis Lifeline");
    assert_eq!(&rows[0][column("caller_alias")], "Birdie, \"B\"");
    assert_eq!(
        (&rows[0][column("escalated")], &rows[0][column("outcome")]),
        ("true", Outcome::TransferredToCrisisLine.label())
    );
    assert!(!rows[0][column("outcome")].contains('_'), "the outcome in words, not its code");
    assert_eq!((&rows[1][column("kind")], &rows[1][column("duration_seconds")]), ("non_data", "900"));

    let full = export_calls(&mut desk, true);
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_reader(full.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][column("notes")], "Talked about Pickle,\nand her week");

    let mut out = Vec::new();
    export::callers(&mut desk, &admin, Format::Json, false, &mut out).unwrap();
    let callers: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!((callers[0]["alias"].as_str(), callers[0]["calls"].as_u64()), (Some("Birdie, \"B\""), Some(1)));
    assert!(callers[0]["what_helps"].is_null());
    let pin_only = porchlight_core::accounts::sign_in_with_pin(
        &mut desk,
        admin.account_id().unwrap(),
        porchlight_testkit::ADMIN_PIN,
    )
    .unwrap();
    let refused = export::calls(&mut desk, &pin_only, Days::default(), Format::Csv, true, std::io::sink());
    assert!(
        matches!(refused, Err(Error::Access(AccessError::PasswordNeeded { .. }))),
        "notes leave the desk only by an admin's password"
    );
    let log = porchlight_core::audit::browse(&desk, &admin, &Default::default()).unwrap();
    let exported: Vec<&str> =
        log.iter().filter(|e| e.event == "warmline_exported").map(|e| e.detail.as_str()).collect();
    assert_eq!(exported, ["1 rows", "2 rows, with their notes", "2 rows"]);
}

#[test]
fn a_volunteers_calendar_reads_back_at_the_right_local_times_and_exports_hold_no_visits() {
    use porchlight_core::volunteers::{assignments, hours, shifts, templates};
    use porchlight_testkit::{line_volunteer, morning_line};

    // Monday 26 October 2026, 8 am in Chicago: the clocks go back on 1 November.
    let mut desk = desk_at("2026-10-26T13:00:00Z");
    let mut mondays = morning_line("2026-10-26");
    mondays.schedule.weekdays = vec![porchlight_core::groups::Weekday::Monday];
    mondays.location = Some("Phone room".into());
    templates::create(&mut desk, &OPERATOR, &mondays).unwrap();
    let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
    let ben = line_volunteer(&mut desk, "Ben R.", "2027-06-30");
    visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
    let three =
        shifts::between(&desk, &OPERATOR, parse_day("2026-10-26").unwrap(), parse_day("2026-11-09").unwrap()).unwrap();
    for shift in &three {
        assignments::assign(&mut desk, &OPERATOR, &shift.id, &ana).unwrap();
    }
    assignments::assign(&mut desk, &OPERATOR, &three[1].id, &ben).unwrap();

    let days = Days { from: Some(parse_day("2026-10-01").unwrap()), to: Some(parse_day("2026-11-30").unwrap()) };
    let mut ics = Vec::new();
    assert_eq!(export::shifts_calendar(&mut desk, &OPERATOR, days, Some(&ben), &mut ics).unwrap(), 1);
    assert_eq!(
        read_calendar_back(&ics, "America/Chicago"),
        ["Morning line (Warmline) 2026-11-02 09:00 -1 day, 18:00:00 CONFIRMED Phone room"]
    );
    let mut ics = Vec::new();
    assert_eq!(export::shifts_calendar(&mut desk, &OPERATOR, days, Some(&ana), &mut ics).unwrap(), 3);
    assert_eq!(
        read_calendar_back(&ics, "America/Chicago"),
        [
            "Morning line (Warmline) 2026-10-26 09:00 -1 day, 19:00:00 CONFIRMED Phone room",
            "Morning line (Warmline) 2026-11-02 09:00 -1 day, 18:00:00 CONFIRMED Phone room",
            "Morning line (Warmline) 2026-11-09 09:00 -1 day, 18:00:00 CONFIRMED Phone room",
        ],
        "9 am local, UTC-5 before November 1 and UTC-6 after"
    );
    let mut whole = Vec::new();
    export::shifts_calendar(&mut desk, &OPERATOR, days, None, &mut whole).unwrap();
    assert!(read_calendar_back(&whole, "America/Chicago").len() >= 5, "every Monday of the period");
    assert!(matches!(
        export::shifts_calendar(&mut desk, &OPERATOR, days, Some("nobody"), std::io::sink()),
        Err(Error::Volunteers(VolunteersError::VolunteerNotFound))
    ));

    desk.clock.advance(chrono::Duration::days(8));
    assignments::confirm_day(&mut desk, &OPERATOR, parse_day("2026-10-26").unwrap()).unwrap();
    assignments::confirm_day(&mut desk, &OPERATOR, parse_day("2026-11-02").unwrap()).unwrap();
    let mut csv_out = Vec::new();
    export::volunteer_hours(&mut desk, &OPERATOR, days, Format::Csv, &mut csv_out).unwrap();
    let text = String::from_utf8(csv_out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["date", "volunteer", "role", "source", "what", "minutes", "hours", "no_show", "volunteer_id", "record_id"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let confirmed: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (&r[0], &r[1], &r[6])).filter(|r| r.2 != "0.00").collect();
    assert_eq!(
        confirmed,
        [("2026-10-26", "Ana P.", "4.00"), ("2026-11-02", "Ana P.", "4.00"), ("2026-11-02", "Ben R.", "4.00")]
    );
    let figures =
        hours::figures(&desk, &OPERATOR, parse_day("2026-10-01").unwrap(), parse_day("2026-11-30").unwrap()).unwrap();
    assert_eq!(figures.total_minutes, 720);

    let mut json = Vec::new();
    export::volunteers(&mut desk, &OPERATOR, days, Format::Json, &mut json).unwrap();
    let volunteers: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let ana_row = &volunteers.as_array().unwrap()[0];
    assert_eq!((ana_row["name"].as_str(), ana_row["minutes"].as_u64()), (Some("Ana P."), Some(480)));
    assert_eq!(ana_row["roles"], "Warmline");
    assert!(ana_row["credentials"].as_str().unwrap().contains("Background check until 2027-06-30"));
    let keys: Vec<&String> = ana_row.as_object().unwrap().keys().collect();
    assert!(!keys.iter().any(|key| key.contains("visit") || key.contains("member")), "no visits: {keys:?}");

    let mut shifts_csv = Vec::new();
    export::shifts(&mut desk, &OPERATOR, days, Format::Csv, &mut shifts_csv).unwrap();
    let text = String::from_utf8(shifts_csv).unwrap();
    assert!(
        text.lines().nth(2).unwrap().contains(",Morning line,Warmline,Phone room,1,2,2,covered,false,,Ana P.; Ben R.,"),
        "{text}"
    );
}
