//! `porchlight backup FILE`: a safe copy, even while the app is running; and `porchlight restore
//! FILE`: a backup put back, then a sync, so what the hub has had since comes back.

use std::path::Path;

use porchlight_core::access::Session;
use porchlight_core::{backup, sync, Desk};

use super::CliError;

pub fn run(desk: &mut Desk, operator: &Session, file: &Path) -> Result<(), CliError> {
    backup::to_file(desk, operator, file)?;
    println!("Backed up {} to {}.", desk.path().display(), file.display());
    Ok(())
}

pub fn restore(desk: &mut Desk, admin: &Session, file: &Path) -> Result<(), CliError> {
    backup::restore(desk, admin, file)?;
    println!("Put {} back in place of {}.", file.display(), desk.path().display());
    if sync::status(desk)?.hub_url.is_none() {
        println!("This desk is not connected to a hub: it now holds what the backup held.");
        return Ok(());
    }
    match sync::sync_now(desk, |_| {}) {
        Ok(report) => {
            println!("Synced: received {} changes made since the backup, this desk's own among them.", report.pulled)
        }
        Err(err) => println!("Not synced yet ({err}); what the hub has had since comes back at the next sync."),
    }
    Ok(())
}
