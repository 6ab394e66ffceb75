//! `porchlight demo`: a fictional center to explore, on an empty desk.

use std::path::Path;

use porchlight_core::access::Session;
use porchlight_core::{demo, Desk};

use super::CliError;

pub fn run(desk: &mut Desk, operator: &Session, data_dir: &Path) -> Result<(), CliError> {
    let size = demo::Size::SMALL;
    demo::seed(desk, operator, size)?;
    println!(
        "Seeded \"{}\" with {} fictional people and about {} visits in {}.",
        demo::DEMO_CENTER_NAME,
        size.people,
        size.visits,
        data_dir.display()
    );
    Ok(())
}
