//! The center's report from the admin CLI on the demo center, as a director's script or a
//! funder's spreadsheet would take it: the four files agree with each other, and the
//! unduplicated figures agree with what the visit and attendance exports say when counted
//! here, independently. The workbook is read by another reader (calamine), and the PDF is read
//! and rendered to an image by poppler.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use porchlight_core::reports::{Period, Preset};
use porchlight_e2e::*;

fn cli(data: &Path, args: &[&str]) -> (bool, String, String) {
    run_cli(data, &[("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE)], args)
}

/// The distinct values of `column` in a CSV export, blanks left out.
fn distinct(csv: &str, column: &str, keep: impl Fn(&csv::StringRecord, &csv::StringRecord) -> bool) -> HashSet<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = header.iter().position(|name| name == column).unwrap_or_else(|| panic!("{column} in {header:?}"));
    reader
        .records()
        .map(Result::unwrap)
        .filter(|row| keep(&header, row) && !row[at].is_empty())
        .map(|row| row[at].to_owned())
        .collect()
}

#[test]
fn last_months_report_agrees_in_every_file_and_with_the_exports_counted_independently() {
    let data = tempfile::tempdir().unwrap();
    let (ok, out, err) = cli(data.path(), &["demo"]);
    assert!(ok, "{out}{err}");
    let today = open_desk(data.path()).unwrap().today().unwrap();
    let month = Period::preset(Preset::LastMonth, today, 1);
    let (from, to) = (month.from.to_string(), month.to.to_string());
    let period = ["--from", from.as_str(), "--to", to.as_str()];

    let (ok, json, err) = cli(data.path(), &[&["report"][..], &period].concat());
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["suppressed"], false);
    assert_eq!((report["period"]["from"].as_str(), report["period"]["to"].as_str()), (Some(&*from), Some(&*to)));
    let served = report["people_served_unduplicated"].as_u64().unwrap();
    assert!(served > 100, "the demo center served people last month: {served}");

    let (ok, visits_csv, err) = cli(data.path(), &[&["export", "visits"][..], &period].concat());
    assert!(ok, "{err}");
    let (ok, attendance_csv, err) = cli(data.path(), &[&["export", "attendance"][..], &period].concat());
    assert!(ok, "{err}");
    let visitors = distinct(&visits_csv, "person_id", |_, _| true);
    let present = |header: &csv::StringRecord, row: &csv::StringRecord| {
        let value = |column: &str| header.iter().position(|name| name == column).map(|at| &row[at]);
        value("state") == Some("present") && value("session_cancelled") == Some("false")
    };
    let attendees = distinct(&attendance_csv, "person_id", present);
    assert_eq!(report["visits"]["unduplicated_people"].as_u64(), Some(visitors.len() as u64));
    assert_eq!(report["groups"]["unduplicated_people"].as_u64(), Some(attendees.len() as u64));
    assert_eq!(served, visitors.union(&attendees).count() as u64, "a person in both programs counted once");
    let visit_rows = csv::Reader::from_reader(visits_csv.as_bytes()).records().count() as u64;
    assert_eq!(report["visits"]["total"].as_u64(), Some(visit_rows));

    let (ok, tidy, err) = cli(data.path(), &[&["report", "--format", "csv"][..], &period].concat());
    assert!(ok, "{err}");
    assert!(tidy.contains(&format!("\nreport,people_served_unduplicated,,{served}\n")), "{tidy}");

    let book = data.path().join("report.xlsx");
    let book_arg = book.to_str().unwrap();
    let (ok, _, err) = cli(data.path(), &[&["report", "--format", "xlsx", "--output", book_arg][..], &period].concat());
    assert!(ok, "{err}");
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let front = workbook.worksheet_range("Report").unwrap();
    let cell = front
        .rows()
        .find(|row| row[0] == Data::String("People served (unduplicated)".into()))
        .map(|row| row[1].clone());
    assert_eq!(cell, Some(Data::Float(served as f64)), "stored as a number");

    let (ok, _, err) = cli(data.path(), &[&["report", "--format", "xlsx", "--output", book_arg][..], &period].concat());
    assert!(!ok && err.contains("already exists"), "an existing file is left alone: {err}");

    let pdf = data.path().join("report.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    let letter = [&["report", "--format", "pdf", "--paper", "letter", "--output", pdf_arg][..], &period].concat();
    let (ok, _, err) = cli(data.path(), &letter);
    assert!(ok, "{err}");
    let text = Command::new("pdftotext").args(["-layout", pdf_arg, "-"]).output().expect("poppler's pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    let line = text.lines().find(|line| line.contains("People served (unduplicated)")).unwrap_or_default();
    let thousands = |n: u64| if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() };
    assert!(line.contains(&thousands(served)), "the PDF says {served}: {line:?}");
    let image = data.path().join("page");
    let rendered =
        Command::new("pdftoppm").args(["-r", "50", "-png", "-f", "1", "-l", "1", pdf_arg]).arg(&image).status().unwrap();
    assert!(rendered.success(), "poppler renders the PDF");
    let page = std::fs::read_dir(data.path()).unwrap().map(|e| e.unwrap().path()).find(|p| {
        p.file_name().unwrap().to_string_lossy().starts_with("page") && p.extension().is_some_and(|e| e == "png")
    });
    let page = page.expect("a rendered page");
    assert!(std::fs::metadata(&page).unwrap().len() > 10_000, "a page with charts and text on it");
    std::fs::copy(&page, artifacts_dir().join("report-pdf-page-1.png")).unwrap();

    let (ok, suppressed, _) = cli(data.path(), &[&["report", "--suppress-small"][..], &period].concat());
    assert!(ok);
    let suppressed: serde_json::Value = serde_json::from_str(&suppressed).unwrap();
    assert_eq!(suppressed["suppressed"], true);
    assert_eq!(suppressed["people_served_unduplicated"].as_u64(), Some(served), "large counts stay exact");

    for (args, says) in [
        (vec!["report", "--from", "2026-11-30", "--to", "2026-11-01"], "start date is after the end date"),
        (vec!["report", "--from", "2026-11-01", "--to", "2999-01-01"], "cannot reach past today"),
        (vec!["report", "--from", "2000-01-01", "--to", "2026-11-01"], "at most 10 years"),
        (vec!["report", "--from", "1 Nov", "--to", "2026-11-01"], "must look like 2026-11-23"),
    ] {
        let (ok, _, err) = cli(data.path(), &args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    let nowhere = data.path().join("no such folder").join("report.csv");
    let args = [&["report", "--format", "csv", "--output", nowhere.to_str().unwrap()][..], &period].concat();
    let (ok, _, err) = cli(data.path(), &args);
    assert!(!ok && err.contains("Could not read or write a file"), "{err}");
}
