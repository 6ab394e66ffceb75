//! `porchlight import people FILE`: every row checked first, then all or nothing.

use std::path::Path;

use clap::ValueEnum;
use porchlight_core::access::Session;
use porchlight_core::{import, CommonError, Desk, Error};

use super::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub enum Importable {
    People,
}

pub fn run(desk: &mut Desk, operator: &Session, what: Importable, file: &Path) -> Result<(), CliError> {
    let Importable::People = what;
    let csv = std::fs::File::open(file).map_err(|err| {
        Error::Common(CommonError::Io(std::io::Error::new(err.kind(), format!("{}: {err}", file.display()))))
    })?;
    let imported = import::people_csv(desk, operator, std::io::BufReader::new(csv))?;
    println!("Imported {imported} people.");
    Ok(())
}
