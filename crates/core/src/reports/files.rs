//! The report as the files funders take: JSON for scripts, one tidy CSV table a spreadsheet
//! pivots, an xlsx workbook with a sheet per section, and a PDF for the board. All four are
//! written from one JSON value of the [`Report`], so they cannot disagree; small counts about
//! people are hidden in that value once, before any of them is written.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use porchlight_protocol::spreadsheet::safe_cell;
use serde_json::{Map, Value};

use super::center::{self, Report};
use super::{pdf, Period};
use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::error::CommonError;
use crate::reports::ReportsError;
use crate::same_person::Identities;
use crate::{settings, Desk, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

/// The paper a PDF is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// US Letter where the center's zone is in the Americas' letter-paper countries, A4 elsewhere.
    pub fn for_zone(zone: &str) -> Paper {
        let letter = ["America/", "US/", "Canada/", "Pacific/Honolulu"];
        if letter.iter().any(|prefix| zone.starts_with(prefix)) {
            Paper::Letter
        } else {
            Paper::A4
        }
    }
}

/// How a report file is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FileOptions {
    pub format: ReportFormat,
    /// Counts about people from 1 up to the center's threshold are written as "fewer than N".
    pub suppress_small: bool,
    /// `None`: the paper of the center's part of the world.
    pub paper: Option<Paper>,
}

/// Counts that are not about people, and so are never hidden.
const NOT_ABOUT_PEOPLE: [&str; 4] = ["sessions_held", "sessions_cancelled", "shifts", "shifts_filled"];

/// The report's file for `from..=to` into `out`, audited as made by `session`.
pub fn write(
    desk: &mut Desk,
    session: &Session,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    options: FileOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let bytes = make(desk, session, from, to, options)?;
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

/// The report's file for `from..=to` saved at `path`: refused if it exists unless `replace`.
/// The file appears whole or not at all: it is written beside its place and renamed at the end.
pub fn save(
    desk: &mut Desk,
    session: &Session,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    options: FileOptions,
    path: &Path,
    replace: bool,
) -> Result<()> {
    access::authorize(desk, session, Action::RunReports)?;
    if path.exists() && !replace {
        return Err(Error::Reports(ReportsError::OutputExists { path: path.display().to_string() }));
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let unusable = |reason: &str| {
        Error::Reports(ReportsError::ReportFolderUnusable { folder: folder.to_owned(), reason: reason.to_owned() })
    };
    if !folder.is_dir() {
        return Err(unusable("there is no such folder (a drive taken out, or a name mistyped?)"));
    }
    // Said with the place and in words, so that a person knows which folder and what to do.
    let at = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            unusable("Porchlight may not write there; choose a folder of your own")
        }
        std::io::ErrorKind::StorageFull => unusable("the disk is full"),
        _ => Error::Common(CommonError::Io(std::io::Error::new(err.kind(), format!("{}: {err}", path.display())))),
    };
    let mut partial = tempfile::NamedTempFile::new_in(folder).map_err(at)?;
    let bytes = make(desk, session, from, to, options)?;
    partial.write_all(&bytes).map_err(at)?;
    partial.as_file().sync_all().map_err(at)?;
    partial.persist(path).map_err(|err| at(err.error))?;
    Ok(())
}

/// The file's bytes: made in memory (a ten-year report is a few hundred kilobytes), then audited.
fn make(
    desk: &mut Desk,
    session: &Session,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    options: FileOptions,
) -> Result<Vec<u8>> {
    access::authorize(desk, session, Action::RunReports)?;
    let period = Period::checked(from, to, desk.today()?)?;
    let identities = Identities::load(desk.conn())?;
    let report = center::make(desk, &identities, period)?;
    let below = settings::report_settings(desk)?.small_counts_below;
    let value = file_value(&report, options.suppress_small.then_some(below));
    // Every file sets the period beside the one before it, as the screen and the PDF do.
    let previous = center::make(desk, &identities, period.previous())?;
    let previous = file_value(&previous, options.suppress_small.then_some(below));
    let bytes = match options.format {
        ReportFormat::Json => {
            let mut both = value;
            both.as_object_mut().expect("a report is an object").insert("previous".into(), previous);
            let mut text = serde_json::to_vec_pretty(&both).expect("a report serialises");
            text.push(b'\n');
            text
        }
        ReportFormat::Csv => csv(&value, &previous)?,
        ReportFormat::Xlsx => xlsx(&value, &previous)?,
        ReportFormat::Pdf => {
            let paper = options
                .paper
                .unwrap_or_else(|| Paper::for_zone(&settings::get(desk).map(|s| s.time_zone).unwrap_or_default()));
            pdf::render(&value, &previous, paper)?
        }
    };
    let format: &str = options.format.into();
    let detail = format!(
        "{from} to {to}, {format}{}",
        if options.suppress_small { ", small counts hidden" } else { ", exact counts" }
    );
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::RunReports)?;
        audit::record(tx, now, &actor, AuditEvent::ReportMade, None, &detail)
    })?;
    Ok(bytes)
}

/// The report as the file's JSON: its keys, `suppressed`, and with `hide_below` every count about
/// people from 1 to `hide_below - 1` as "fewer than `hide_below`".
pub fn file_value(report: &Report, hide_below: Option<u32>) -> Value {
    let mut value = serde_json::to_value(report).expect("a report serialises");
    if let Some(below) = hide_below {
        hide_small(&mut value, None, below);
    }
    let object = value.as_object_mut().expect("a report is an object");
    object.insert("suppressed".into(), hide_below.is_some().into());
    value
}

/// What a hidden count reads as.
pub fn fewer_than(below: u32) -> String {
    format!("fewer than {below}")
}

fn hide_small(value: &mut Value, key: Option<&str>, below: u32) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                hide_small(field, Some(name), below);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| hide_small(item, key, below)),
        Value::Number(number) => {
            let about_people = key.is_some_and(|key| !NOT_ABOUT_PEOPLE.contains(&key));
            if let Some(count) = number.as_u64().filter(|_| about_people) {
                *value = shown_count(count, below);
            }
        }
        _ => {}
    }
}

/// A count about people as the files show it: "fewer than `below`" from 1 to `below - 1`.
pub fn shown_count(count: u64, below: u32) -> Value {
    if (1..u64::from(below)).contains(&count) {
        Value::String(fewer_than(below))
    } else {
        count.into()
    }
}

/// One line of the tidy table: section, measure, breakdown, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub section: String,
    pub measure: String,
    pub breakdown: String,
    pub value: Value,
}

/// The report's value as tidy lines: a section's own figures have no breakdown; a list's items
/// are broken down by their name, each figure measured as `list.figure` (`by_service.visits`).
pub fn lines(value: &Value) -> Vec<Line> {
    let mut lines = Vec::new();
    let Some(report) = value.as_object() else { return lines };
    for (section, content) in in_order(report) {
        match content {
            Value::Object(fields) => section_lines(section, fields, &mut lines),
            scalar => lines.push(Line {
                section: "report".into(),
                measure: section.clone(),
                breakdown: String::new(),
                value: scalar.clone(),
            }),
        }
    }
    lines
}

fn section_lines(section: &str, fields: &Map<String, Value>, lines: &mut Vec<Line>) {
    for (measure, content) in in_order(fields) {
        match content {
            Value::Array(items) => {
                for item in items.iter().filter_map(Value::as_object) {
                    let (label, figures) = label_and_figures(item);
                    for (figure, value) in figures {
                        lines.push(Line {
                            section: section.into(),
                            measure: format!("{measure}.{figure}"),
                            breakdown: label.clone(),
                            value: value.clone(),
                        });
                    }
                }
            }
            scalar => lines.push(Line {
                section: section.into(),
                measure: measure.clone(),
                breakdown: String::new(),
                value: scalar.clone(),
            }),
        }
    }
}

/// A list item's name (its text fields, in order: "Monday 09") and its figures (the rest).
/// A hidden count is text too, so the name is read from the keys every item of a list shares
/// as text, not from what a value happens to be.
pub(crate) fn label_and_figures(item: &Map<String, Value>) -> (String, Vec<(&String, &Value)>) {
    let is_label = |key: &str| LABEL_KEYS.contains(&key);
    let fields = in_order(item);
    let label: Vec<&str> = fields.iter().filter(|(k, _)| is_label(k)).filter_map(|(_, v)| v.as_str()).collect();
    let figures = fields.into_iter().filter(|(k, _)| !is_label(k)).collect();
    (label.join(" "), figures)
}

/// The keys that name a list's items rather than count them.
const LABEL_KEYS: [&str; 12] =
    ["service", "day", "hour", "starting", "group", "type", "topic", "referral", "outcome", "role", "band", "language"];

fn csv(value: &Value, previous: &Value) -> Result<Vec<u8>> {
    let before = by_place(previous);
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["section", "measure", "breakdown", "value", "previous", "change"])?;
    for line in lines(value) {
        let earlier = before.get(&(line.section.clone(), line.measure.clone(), line.breakdown.clone()));
        let share = is_share(&line.measure);
        let change = earlier.and_then(|earlier| change(&line.measure, &line.value, earlier));
        let cells = [
            cell_text(&line.value, share),
            earlier.map(|earlier| cell_text(earlier, share)).unwrap_or_default(),
            // A number, so a spreadsheet can sort it and show it as a percentage: 0.400 is 40% more.
            change.map(|change| format!("{change:.3}")).unwrap_or_default(),
        ];
        let [value, previous, change] = cells;
        let cells = [line.section, line.measure, line.breakdown, value, previous, change];
        writer.write_record(cells.iter().map(|cell| safe_cell(cell).into_owned()))?;
    }
    writer.into_inner().map_err(|err| Error::Common(CommonError::Io(err.into_error())))
}

/// The figures of a report by section, measure and breakdown: where the one before is found.
fn by_place(value: &Value) -> HashMap<(String, String, String), Value> {
    lines(value).into_iter().map(|line| ((line.section, line.measure, line.breakdown), line.value)).collect()
}

/// Whether a figure is a share of a whole (`fill_rate`): shown as a percentage.
fn is_share(measure: &str) -> bool {
    measure.ends_with("_rate")
}

/// How much a count changed from the period before, as a fraction of it (0.25 for a quarter
/// more); none for a share, a hidden count, or a count that was 0 before.
fn change(measure: &str, now: &Value, before: &Value) -> Option<f64> {
    let (now, before) = (now.as_f64()?, before.as_f64()?);
    (!is_share(measure) && before != 0.0).then(|| (now - before) / before)
}

/// A value as a CSV cell: numbers as written (a share as a percentage), text as it is, nothing
/// for "none".
fn cell_text(value: &Value, share: bool) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) if share => format!("{:.1}%", number.as_f64().unwrap_or_default() * 100.0),
        other => other.to_string(),
    }
}

/// The report's sections and figures in the order people read them, with their names for people
/// rather than scripts. The JSON keeps its keys in any order; the tables follow this one.
const TITLES: [(&str, &str); 62] = [
    ("center", "Center"),
    ("period", "Period"),
    ("from", "From"),
    ("to", "To"),
    ("made_at", "Made at"),
    ("suppressed", "Small counts hidden"),
    ("people_served_unduplicated", "People served (unduplicated)"),
    ("visits", "Visits"),
    ("total", "Total visits"),
    ("unduplicated_people", "Unduplicated people"),
    ("anonymous", "Anonymous visits"),
    ("new_people", "New people (first visit ever)"),
    ("returning_people", "Returning people"),
    ("by_service", "By service"),
    ("by_weekday", "By day of the week"),
    ("by_hour_of_week", "By hour of the week"),
    ("trend", "Trend"),
    ("groups", "Groups"),
    ("sessions_held", "Sessions held"),
    ("sessions_cancelled", "Sessions cancelled"),
    ("attendance", "Attendance"),
    ("named_attendance", "Named attendance"),
    ("anonymous_attendance", "Anonymous attendance"),
    ("average_per_session", "Average per session"),
    ("first_time_attendees", "First-time attendees"),
    ("first_time", "First time"),
    ("by_group", "By group"),
    ("warmline", "Warmline"),
    ("calls", "Calls"),
    ("support_calls", "Support calls"),
    ("average_support_minutes", "Average support call (minutes)"),
    ("first_time_callers", "First-time callers"),
    ("repeat_callers", "Repeat callers"),
    ("anonymous_calls", "Anonymous calls"),
    ("escalations", "Escalations"),
    ("by_type", "By call type"),
    ("by_outcome", "By outcome"),
    ("by_topic", "By topic"),
    ("by_referral", "By referral"),
    ("volunteers", "Volunteers"),
    ("hours", "Hours"),
    ("active_volunteers", "Active volunteers"),
    ("shifts", "Shifts"),
    ("shifts_filled", "Shifts filled"),
    ("fill_rate", "Shifts filled (share)"),
    ("no_show_rate", "No-shows (share)"),
    ("uncovered_warmline_hours", "Warmline hours uncovered"),
    ("credentials_expired", "Credentials expired"),
    ("credentials_expiring", "Credentials expiring in 30 days"),
    ("by_role", "By role"),
    ("anonymous_contacts", "Anonymous contacts"),
    ("group_headcount", "Group headcounts"),
    ("who", "Who they are"),
    ("age_bands", "Age"),
    ("languages", "Preferred language"),
    ("people", "People"),
    ("service", "Service"),
    ("day", "Day"),
    ("hour", "Hour"),
    ("starting", "Starting"),
    ("group", "Group"),
    ("role", "Role"),
];

/// How a report names a key for people: "new_people" is "New people (first visit ever)".
pub(crate) fn title(key: &str) -> String {
    if let Some((_, known)) = TITLES.iter().find(|(k, _)| *k == key) {
        return (*known).to_owned();
    }
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// An object's fields in reading order ([`TITLES`]); keys it does not name come last.
pub(crate) fn in_order(fields: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let place = |key: &str| TITLES.iter().position(|(k, _)| *k == key).unwrap_or(TITLES.len());
    let mut ordered: Vec<_> = fields.iter().collect();
    ordered.sort_by_key(|(key, _)| place(key));
    ordered
}

/// The workbook: a first sheet naming the center and the period, then a sheet per section with
/// its own figures on top and each breakdown below as its own small table, each figure beside
/// the previous period's, and the change. Shares and changes are numbers shown as percentages.
fn xlsx(value: &Value, previous: &Value) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let failed = |err: rust_xlsxwriter::XlsxError| {
        Error::Reports(ReportsError::ReportFileFailed { format: "xlsx", reason: err.to_string() })
    };
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(14);
    let percent = Format::new().set_num_format("0.0%");
    let mut book = Workbook::new();
    let report = value.as_object().expect("a report is an object");
    let before = by_place(previous);
    let earlier =
        |section: &str, measure: String, breakdown: String| before.get(&(section.to_owned(), measure, breakdown));
    let put = |sheet: &mut Worksheet,
               row: u32,
               column: u16,
               value: &Value,
               share: bool|
     -> Result<(), rust_xlsxwriter::XlsxError> {
        match value {
            Value::Number(number) if share => {
                sheet.write_number_with_format(row, column, number.as_f64().unwrap_or_default(), &percent).map(drop)
            }
            Value::Number(number) => sheet.write_number(row, column, number.as_f64().unwrap_or_default()).map(drop),
            Value::Bool(yes) => sheet.write_boolean(row, column, *yes).map(drop),
            Value::Null => Ok(()),
            other => sheet.write_string(row, column, cell_text(other, false)).map(drop),
        }
    };
    // This period's figure, the previous period's, and the change, from `column` on.
    let put_three = |sheet: &mut Worksheet, row: u32, column: u16, key: &str, now: &Value, earlier: Option<&Value>| {
        let share = is_share(key);
        put(sheet, row, column, now, share)?;
        if let Some(earlier) = earlier {
            put(sheet, row, column + 1, earlier, share)?;
            if let Some(change) = change(key, now, earlier) {
                sheet.write_number_with_format(row, column + 2, change, &percent)?;
            }
        }
        Ok::<(), rust_xlsxwriter::XlsxError>(())
    };
    let three_heads = |sheet: &mut Worksheet, row: u32, column: u16, name: &str| {
        sheet.write_string_with_format(row, column, name, &bold)?;
        sheet.write_string_with_format(row, column + 1, "Previous period", &bold)?;
        sheet.write_string_with_format(row, column + 2, "Change", &bold)?;
        Ok::<(), rust_xlsxwriter::XlsxError>(())
    };

    let about = book.add_worksheet().set_name("Report").map_err(failed)?;
    about.write_string_with_format(0, 0, "Report", &heading).map_err(failed)?;
    let mut row = 1;
    for (key, field) in in_order(report).into_iter().filter(|(_, v)| !v.is_object()) {
        about.write_string(row, 0, title(key)).map_err(failed)?;
        put(about, row, 1, field, false).map_err(failed)?;
        row += 1;
    }
    let period = report.get("period").and_then(Value::as_object).map(in_order).unwrap_or_default();
    for (key, day) in &period {
        about.write_string(row, 0, title(key)).map_err(failed)?;
        put(about, row, 1, day, false).map_err(failed)?;
        row += 1;
    }
    for (key, _) in &period {
        let Some(day) = earlier("period", (*key).clone(), String::new()) else { continue };
        about.write_string(row, 0, format!("Previous period {}", title(key).to_lowercase())).map_err(failed)?;
        put(about, row, 1, day, false).map_err(failed)?;
        row += 1;
    }
    about.set_column_width(0, 34).map_err(failed)?;
    about.set_column_width(1, 34).map_err(failed)?;

    for (section, content) in in_order(report).into_iter().filter(|(key, v)| v.is_object() && *key != "period") {
        let fields = content.as_object().expect("filtered to objects");
        let sheet = book.add_worksheet().set_name(title(section)).map_err(failed)?;
        sheet.write_string_with_format(0, 0, title(section), &heading).map_err(failed)?;
        three_heads(sheet, 1, 1, "This period").map_err(failed)?;
        let mut row = 2;
        for (measure, field) in in_order(fields).into_iter().filter(|(_, v)| !v.is_array()) {
            sheet.write_string(row, 0, title(measure)).map_err(failed)?;
            let before = earlier(section, measure.clone(), String::new());
            put_three(sheet, row, 1, measure, field, before).map_err(failed)?;
            row += 1;
        }
        for (list, items) in in_order(fields).into_iter().filter_map(|(k, v)| v.as_array().map(|items| (k, items))) {
            row += 1;
            sheet.write_string_with_format(row, 0, title(list), &bold).map_err(failed)?;
            row += 1;
            let Some(first) = items.iter().find_map(Value::as_object) else {
                sheet.write_string(row, 0, "None in this period").map_err(failed)?;
                row += 1;
                continue;
            };
            let (_, figures) = label_and_figures(first);
            for (index, (figure, _)) in figures.iter().enumerate() {
                three_heads(sheet, row, 1 + 3 * index as u16, &title(figure)).map_err(failed)?;
            }
            row += 1;
            for item in items.iter().filter_map(Value::as_object) {
                let (label, figures) = label_and_figures(item);
                sheet.write_string(row, 0, label.as_str()).map_err(failed)?;
                for (index, (figure, value)) in figures.iter().enumerate() {
                    let before = earlier(section, format!("{list}.{figure}"), label.clone());
                    put_three(sheet, row, 1 + 3 * index as u16, figure, value, before).map_err(failed)?;
                }
                row += 1;
            }
        }
        sheet.set_column_width(0, 36).map_err(failed)?;
        sheet.set_column_range_width(1, 12, 16).map_err(failed)?;
    }
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{desk_at, OPERATOR};
    use crate::visits;

    fn day(text: &str) -> chrono::NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn small_counts_about_people_are_hidden_and_the_rest_kept_exact() {
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        for _ in 0..3 {
            visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        }
        let report = center::report(&desk, &OPERATOR, day("2026-11-23"), day("2026-11-23")).unwrap();
        let exact = file_value(&report, None);
        assert_eq!((exact["visits"]["total"].as_u64(), exact["suppressed"].as_bool()), (Some(3), Some(false)));
        let hidden = file_value(&report, Some(5));
        assert_eq!(hidden["visits"]["total"], "fewer than 5");
        assert_eq!(hidden["visits"]["anonymous"], "fewer than 5");
        assert_eq!(hidden["visits"]["unduplicated_people"], 0, "nothing is not a small count");
        assert_eq!(hidden["groups"]["sessions_held"], 0);
        assert_eq!(hidden["suppressed"], true);
        let tidy = lines(&hidden);
        let total = tidy.iter().find(|line| line.section == "visits" && line.measure == "total").unwrap();
        assert_eq!(total.value, "fewer than 5");
        let monday = tidy
            .iter()
            .find(|line| line.measure == "by_hour_of_week.visits" && line.breakdown == "Monday 14")
            .expect("the hour-of-week cells are named by day and hour");
        assert_eq!(monday.value, "fewer than 5");
    }

    #[test]
    fn a_name_typed_as_a_formula_is_text_in_the_csv_and_in_the_workbook() {
        use calamine::{Data, Reader, Xlsx};
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        let formula = "=HYPERLINK(\"http://x.example\",\"Open\")";
        let service = crate::services::add(&mut desk, &OPERATOR, formula).unwrap();
        for _ in 0..7 {
            visits::check_in_anonymous(&mut desk, &OPERATOR, std::slice::from_ref(&service.id)).unwrap();
        }
        let file = |desk: &mut Desk, format| {
            let mut out = Vec::new();
            let options = FileOptions { format, suppress_small: false, paper: None };
            write(desk, &OPERATOR, day("2026-11-01"), day("2026-11-23"), options, &mut out).unwrap();
            out
        };
        let csv = file(&mut desk, ReportFormat::Csv);
        let rows: Vec<csv::StringRecord> =
            csv::Reader::from_reader(csv.as_slice()).records().map(Result::unwrap).collect();
        let risky = |cell: &str| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        assert!(rows.iter().all(|row| row.iter().all(|cell| !risky(cell))), "a cell a spreadsheet would run");
        assert!(rows.iter().any(|row| row[2] == format!("'{formula}")), "the service, written as text");

        let mut book = Xlsx::new(std::io::Cursor::new(file(&mut desk, ReportFormat::Xlsx))).unwrap();
        let typed_as_text = book.sheet_names().into_iter().any(|name| {
            book.worksheet_range(&name).unwrap().rows().any(|row| row.contains(&Data::String(formula.into())))
        });
        assert!(typed_as_text, "a workbook's text cell holds the name, typed as text");
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(formulas.used_cells().all(|(_, _, formula)| formula.is_empty()), "no cell of {name} is a formula");
        }
    }

    #[test]
    fn the_four_files_say_the_same_and_a_workbook_reader_finds_numbers_as_numbers() {
        use calamine::{Data, Reader, Xlsx};
        // Five visits in the period before (9 to 31 October), seven in this one.
        let mut desk = desk_at("2026-10-20T20:00:00Z");
        for _ in 0..5 {
            visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        }
        desk.clock.advance(chrono::Duration::days(34));
        for _ in 0..7 {
            visits::check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        }
        let (from, to) = (day("2026-11-01"), day("2026-11-23"));
        let file = |desk: &mut Desk, format| {
            let mut out = Vec::new();
            let options = FileOptions { format, suppress_small: true, paper: None };
            write(desk, &OPERATOR, from, to, options, &mut out).unwrap();
            out
        };
        let json: Value = serde_json::from_slice(&file(&mut desk, ReportFormat::Json)).unwrap();
        assert_eq!((json["visits"]["total"].as_u64(), json["period"]["from"].as_str()), (Some(7), Some("2026-11-01")));
        assert_eq!(
            (json["previous"]["visits"]["total"].as_u64(), json["previous"]["period"]["from"].as_str()),
            (Some(5), Some("2026-10-09"))
        );

        let csv = String::from_utf8(file(&mut desk, ReportFormat::Csv)).unwrap();
        assert!(csv.starts_with("section,measure,breakdown,value,previous,change\n"), "{csv}");
        assert!(csv.contains("\nvisits,total,,7,5,0.400\n"), "beside the period before, and the change: {csv}");
        assert!(csv.contains("\nvolunteers,fill_rate,,,,\n"), "no share of no shifts: {csv}");
        assert_eq!(cell_text(&serde_json::json!(0.958), true), "95.8%", "a share as a percentage");
        assert!(csv.contains("\nvisits,by_hour_of_week.visits,Monday 14,7,"), "{csv}");
        let mut this_period = json.clone();
        this_period.as_object_mut().unwrap().remove("previous");
        assert_eq!(csv.lines().count(), lines(&this_period).len() + 1, "one line for each of the JSON's figures");

        let mut book = Xlsx::new(std::io::Cursor::new(file(&mut desk, ReportFormat::Xlsx))).unwrap();
        assert_eq!(book.sheet_names()[..2], ["Report", "Visits"]);
        let visits = book.worksheet_range("Visits").unwrap();
        let total = visits.rows().find(|row| row[0] == Data::String("Total visits".into())).unwrap();
        assert_eq!(
            total[1..4],
            [Data::Float(7.0), Data::Float(5.0), Data::Float(0.4)],
            "numbers, beside the period before"
        );
        let about = book.worksheet_range("Report").unwrap();
        assert!(about.rows().any(|row| row[1] == Data::String("Test Center".into())), "the center is named");

        let pdf = file(&mut desk, ReportFormat::Pdf);
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        let made = crate::audit::browse(&desk, &OPERATOR, &Default::default()).unwrap();
        assert_eq!(made.iter().filter(|entry| entry.event == "report_made").count(), 4, "every file is audited");
        assert!(made[0].detail.contains("2026-11-01 to 2026-11-23, pdf"), "{:?}", made[0].detail);
    }

    #[test]
    fn a_saved_file_is_whole_or_absent_and_never_replaces_one_by_accident() {
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("november.csv");
        let options = FileOptions { format: ReportFormat::Csv, suppress_small: false, paper: None };
        let save_now = |desk: &mut Desk, replace| {
            save(desk, &OPERATOR, day("2026-11-01"), day("2026-11-23"), options, &path, replace)
        };
        save_now(&mut desk, false).unwrap();
        assert!(matches!(save_now(&mut desk, false), Err(Error::Reports(ReportsError::OutputExists { .. }))));
        save_now(&mut desk, true).unwrap();
        let future = save(
            &mut desk,
            &OPERATOR,
            day("2026-11-01"),
            day("2026-12-01"),
            options,
            &folder.path().join("x.csv"),
            false,
        );
        assert!(matches!(future, Err(Error::Reports(ReportsError::ReportPeriodInFuture { .. }))));
        let nowhere = save(
            &mut desk,
            &OPERATOR,
            day("2026-11-01"),
            day("2026-11-02"),
            options,
            Path::new("/nonexistent/x.csv"),
            false,
        );
        let nowhere = nowhere.unwrap_err();
        assert_eq!(nowhere.field(), Some("report_folder"));
        assert_eq!(
            nowhere.to_string(),
            "Reports cannot be saved into /nonexistent: there is no such folder (a drive taken out, or a name \
             mistyped?)."
        );
        let names: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
        assert_eq!(names, ["november.csv"], "nothing half-written is left behind");
    }
}
