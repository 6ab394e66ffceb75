use std::path::{Path, PathBuf};

use porchlight_core::reports::center::{self, Comparison};
use porchlight_core::reports::files::{self, FileOptions, ReportFormat};
use porchlight_core::reports::{self, Figures, Period, Preset};
use porchlight_core::same_person::{self, SamePersonOverview};
use porchlight_core::settings::{self, ReportSettings};
use tauri::State;

use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn today_figures(desk: State<'_, DeskState>) -> Result<Figures, CommandError> {
    desk.run_signed_in(|desk, session| reports::today(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn report_period(desk: State<'_, DeskState>, preset: Preset) -> Result<Period, CommandError> {
    desk.run_signed_in(move |desk, session| reports::preset(desk, session, preset)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn center_report(desk: State<'_, DeskState>, from: String, to: String) -> Result<Comparison, CommandError> {
    desk.run_signed_in(move |desk, session| {
        center::compare(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    })
    .await
}

/// Where the screen offers to save reports: the computer's Downloads folder, else the home folder.
#[tauri::command(rename_all = "snake_case")]
pub fn default_report_folder() -> String {
    dirs::download_dir().or_else(dirs::home_dir).unwrap_or_else(|| PathBuf::from(".")).display().to_string()
}

/// Saves the report into `folder` under a name that says what it is, never over an earlier file
/// (" (2)" and on are added); returns the file's path.
#[tauri::command(rename_all = "snake_case")]
pub async fn save_report(
    desk: State<'_, DeskState>,
    from: String,
    to: String,
    options: FileOptions,
    folder: String,
) -> Result<String, CommandError> {
    desk.run_signed_in(move |desk, session| {
        let (from, to) = (reports::parse_day(&from)?, reports::parse_day(&to)?);
        let folder = Path::new(folder.trim());
        if !folder.is_absolute() {
            let reason = "write the folder's full path, or choose it".to_owned();
            return Err(porchlight_core::Error::ReportFolderUnusable { folder: folder.to_owned(), reason });
        }
        let center = settings::get(desk)?.center_name;
        let path = free_name(folder, &format!("{center} report {from} to {to}"), extension(options.format));
        files::save(desk, session, from, to, options, &path, false)?;
        Ok(path.display().to_string())
    })
    .await
}

fn extension(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Json => "json",
        ReportFormat::Csv => "csv",
        ReportFormat::Xlsx => "xlsx",
        ReportFormat::Pdf => "pdf",
    }
}

/// `folder/stem.extension`, or `stem (2).extension` and so on when that is taken. A name's
/// slashes become dashes: a center called "A/B" still saves into the chosen folder.
fn free_name(folder: &Path, stem: &str, extension: &str) -> PathBuf {
    let stem = stem.replace(['/', '\\'], "-");
    (1..)
        .map(|n| match n {
            1 => folder.join(format!("{stem}.{extension}")),
            n => folder.join(format!("{stem} ({n}).{extension}")),
        })
        .find(|path| !path.exists())
        .expect("some name is free")
}

#[tauri::command(rename_all = "snake_case")]
pub async fn same_person_overview(desk: State<'_, DeskState>) -> Result<SamePersonOverview, CommandError> {
    desk.run_signed_in(|desk, session| same_person::overview(desk, session)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn link_people(
    desk: State<'_, DeskState>,
    person_id: String,
    other_id: String,
) -> Result<SamePersonOverview, CommandError> {
    desk.run_signed_in(move |desk, session| {
        same_person::link(desk, session, &person_id, &other_id)?;
        same_person::overview(desk, session)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn keep_people_apart(
    desk: State<'_, DeskState>,
    person_id: String,
    other_id: String,
) -> Result<SamePersonOverview, CommandError> {
    desk.run_signed_in(move |desk, session| {
        same_person::keep_apart(desk, session, &person_id, &other_id)?;
        same_person::overview(desk, session)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn report_settings(desk: State<'_, DeskState>) -> Result<ReportSettings, CommandError> {
    desk.run_signed_in(|desk, _| settings::report_settings(desk)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_report_settings(
    desk: State<'_, DeskState>,
    input: ReportSettings,
) -> Result<ReportSettings, CommandError> {
    desk.run_signed_in(move |desk, session| settings::set_report_settings(desk, session, &input)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_report_never_takes_an_earlier_ones_name() {
        let folder = tempfile::tempdir().unwrap();
        let first = free_name(folder.path(), "A/B report 2026-11-01 to 2026-11-30", "pdf");
        assert_eq!(first.file_name().unwrap(), "A-B report 2026-11-01 to 2026-11-30.pdf");
        std::fs::write(&first, b"%PDF").unwrap();
        let second = free_name(folder.path(), "A/B report 2026-11-01 to 2026-11-30", "pdf");
        assert_eq!(second.file_name().unwrap(), "A-B report 2026-11-01 to 2026-11-30 (2).pdf");
    }
}
