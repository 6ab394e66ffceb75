//! Importing people from a spreadsheet's CSV: every row checked first, then all or nothing.

use std::collections::HashSet;
use std::io::Read;

use porchlight_protocol::spreadsheet::cell_text;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::front_desk;
use crate::people::{self, normalize_member_code, PersonInput};
use crate::{Desk, Error, ImportRowError, Result};

/// Columns an import understands. `display_name` is required; `registered_at` and `id` are
/// accepted and ignored so that a people export from another desk imports as it is.
const COLUMNS: &[&str] = &[
    "display_name",
    "alias",
    "phone",
    "email",
    "birth_year",
    "pronouns",
    "preferred_language",
    "contact_consent",
    "member_code",
    "registered_at",
    "id",
];

/// Imports every row of `csv` as a new person, or none if any row is wrong.
/// Returns how many people were imported.
pub fn people_csv(desk: &mut Desk, session: &Session, csv: impl Read) -> Result<usize> {
    access::authorize(desk, session, Action::ImportPeople)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(csv);
    let header_error = |message: String| {
        Error::Import(ImportError::ImportRejected { rows: vec![ImportRowError { line: 1, message }] })
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(|err| header_error(format!("the header row could not be read: {err}")))?
        .iter()
        .map(|name| name.trim().to_lowercase().replace(' ', "_"))
        .collect();
    if let Some(unknown) = header.iter().find(|name| !COLUMNS.contains(&name.as_str())) {
        return Err(header_error(format!("unknown column \"{unknown}\" (known columns: {})", COLUMNS.join(", "))));
    }
    if let Some(twice) = header.iter().enumerate().find(|(index, name)| header[..*index].contains(name)) {
        return Err(header_error(format!("the column \"{}\" appears twice: keep one", twice.1)));
    }
    if !header.iter().any(|name| name == "display_name") {
        return Err(header_error("a display_name column is required".into()));
    }
    let column = |name: &str| header.iter().position(|h| h == name);

    let now = desk.now();
    let mut errors = Vec::new();
    let mut ready = Vec::new();
    let mut codes_in_file = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                errors.push(ImportRowError { line, message: csv_problem(&err) });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| column(name).and_then(|i| record.get(i)).filter(|v| !v.is_empty()).map(cell_text);
        match row_to_person(&cell, now) {
            Ok((person, code)) => {
                if let Some(code) = &code {
                    if !codes_in_file.insert(code.clone()) {
                        errors.push(ImportRowError {
                            line,
                            message: format!("member code {code} appears twice in the file"),
                        });
                        continue;
                    }
                    if front_desk::find_by_member_code(desk, session, code)?.is_some() {
                        errors.push(ImportRowError {
                            line,
                            message: format!("member code {code} is already in use here"),
                        });
                        continue;
                    }
                }
                ready.push((person, code));
            }
            Err(message) => errors.push(ImportRowError { line, message }),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Import(ImportError::ImportRejected { rows: errors }));
    }
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ImportPeople)?;
        for (person, code) in &ready {
            people::insert(tx, now, person, code.as_deref())?;
        }
        audit::record(tx, now, &actor, AuditEvent::PeopleImported, None, &format!("{} people", ready.len()))?;
        Ok(ready.len())
    })
}

fn row_to_person<'a>(
    cell: &impl Fn(&str) -> Option<&'a str>,
    now: crate::Timestamp,
) -> Result<(PersonInput, Option<String>), String> {
    let birth_year = match cell("birth_year") {
        Some(text) => Some(text.parse::<i32>().map_err(|_| format!("birth_year \"{text}\" is not a year"))?),
        None => None,
    };
    let contact_consent = match cell("contact_consent").map(str::to_lowercase).as_deref() {
        None | Some("no" | "n" | "false" | "0") => false,
        Some("yes" | "y" | "true" | "1") => true,
        Some(other) => return Err(format!("contact_consent \"{other}\" should be yes or no")),
    };
    let member_code = match cell("member_code") {
        Some(text) => Some(normalize_member_code(text).ok_or_else(|| format!("member code \"{text}\" is not valid"))?),
        None => None,
    };
    let input = PersonInput {
        display_name: cell("display_name").unwrap_or_default().to_owned(),
        alias: cell("alias").map(str::to_owned),
        phone: cell("phone").map(str::to_owned),
        email: cell("email").map(str::to_owned),
        birth_year,
        pronouns: cell("pronouns").map(str::to_owned),
        preferred_language: cell("preferred_language").map(str::to_owned),
        contact_consent,
    };
    let person = input.validated(now).map_err(|err| err.to_string())?;
    Ok((person, member_code))
}

fn csv_problem(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text (save the file as CSV UTF-8)".into(),
        _ => err.to_string(),
    }
}

crate::error::domain_errors! {
    /// What stops a file from being imported.
    pub enum ImportError, codes ImportErrorCode {
        #[error("The file has {} problem(s); nothing was imported.", rows.len())]
        ImportRejected { rows: Vec<ImportRowError> },
    }
}
