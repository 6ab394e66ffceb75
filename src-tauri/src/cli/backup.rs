//! `porchlight backup FILE`: a safe copy, even while the app is running.

use std::path::Path;

use porchlight_core::access::Session;
use porchlight_core::{backup, Desk};

use super::CliError;

pub fn run(desk: &mut Desk, operator: &Session, file: &Path) -> Result<(), CliError> {
    backup::to_file(desk, operator, file)?;
    println!("Backed up {} to {}.", desk.path().display(), file.display());
    Ok(())
}
