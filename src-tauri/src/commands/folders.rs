//! The system's own folder chooser, where the platform has one: staff pick a folder (a USB
//! drive, Documents) instead of typing its path. The folder chosen is only filled into the
//! field; saving into it is the field's own command, with its own checks.

use std::path::Path;

use tauri::Window;
use tauri_plugin_dialog::DialogExt;

use super::declare::commands;

commands! {
    /// The folder chosen, or `None` when the chooser was closed without one.
    shell fn choose_folder[window: Window](title: String, start: Option<String>) -> Option<String> {
        let mut chooser = window.dialog().file().set_title(title).set_parent(&window);
        if let Some(start) = start.filter(|start| Path::new(start).is_dir()) {
            chooser = chooser.set_directory(start);
        }
        // The chooser waits for the person; off the window's thread, so the window keeps painting.
        let picked = tauri::async_runtime::spawn_blocking(move || chooser.blocking_pick_folder()).await.ok().flatten();
        Ok(picked.and_then(|picked| picked.into_path().ok()).map(|path| path.display().to_string()))
    }
}
