use std::path::{Path, PathBuf};

use porchlight_core::reports::center::{self, Comparison};
use porchlight_core::reports::files::{self, FileOptions, ReportFormat};
use porchlight_core::reports::{self, Figures, Period, Preset, ReportsError};
use porchlight_core::same_person::{self, SamePersonOverview};
use porchlight_core::settings::{self, ReportSettings};


use super::declare::commands;

commands! {
    /// Where the screen offers to save reports: the computer's Downloads folder, else the home folder.
    shell fn default_report_folder[]() -> String {
        Ok(dirs::download_dir().or_else(dirs::home_dir).unwrap_or_else(|| PathBuf::from(".")).display().to_string())
    }

    signed_in fn today_figures() -> Figures = |desk, session| reports::today(desk, session);

    signed_in fn report_period(preset: Preset) -> Period = |desk, session| reports::preset(desk, session, preset);

    signed_in fn center_report(from: String, to: String) -> Comparison = |desk, session| {
        center::compare(desk, session, reports::parse_day(&from)?, reports::parse_day(&to)?)
    };

    /// Saves the report into `folder` under a name that says what it is, never over an earlier file
    /// (" (2)" and on are added); returns the file's path.
    signed_in fn save_report(
        from: String,
        to: String,
        options: FileOptions,
        folder: String,
    ) -> String = |desk, session| {
        let (from, to) = (reports::parse_day(&from)?, reports::parse_day(&to)?);
        let folder = Path::new(folder.trim());
        if !folder.is_absolute() {
            let reason = "write the folder's full path, or choose it".to_owned();
            return Err(porchlight_core::Error::Reports(ReportsError::ReportFolderUnusable { folder: folder.to_owned(), reason }));
        }
        let center = settings::get(desk)?.center_name;
        let path = free_name(folder, &format!("{center} report {from} to {to}"), extension(options.format));
        files::save(desk, session, from, to, options, &path, false)?;
        Ok(path.display().to_string())
    };

    signed_in fn same_person_overview() -> SamePersonOverview = |desk, session| same_person::overview(desk, session);

    signed_in fn link_people(person_id: String, other_id: String) -> SamePersonOverview = |desk, session| {
        same_person::link(desk, session, &person_id, &other_id)?;
        same_person::overview(desk, session)
    };

    signed_in fn keep_people_apart(person_id: String, other_id: String) -> SamePersonOverview = |desk, session| {
        same_person::keep_apart(desk, session, &person_id, &other_id)?;
        same_person::overview(desk, session)
    };

    signed_in fn report_settings() -> ReportSettings = |desk, _| settings::report_settings(desk);

    signed_in fn set_report_settings(input: ReportSettings) -> ReportSettings =
        |desk, session| settings::set_report_settings(desk, session, &input);
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
