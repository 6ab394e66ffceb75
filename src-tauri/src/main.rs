// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod background_sync;
mod cli;
mod commands;
mod desk_key;
mod state;

use clap::Parser;

fn main() {
    keep_files_private();
    let args = cli::Args::parse();
    let data_dir = args.data_dir();
    let use_keychain = !args.no_keychain;
    let acting_as = args.acting_as.clone();
    match args.command {
        Some(command) => std::process::exit(cli::run(command, &data_dir, use_keychain, acting_as.as_deref())),
        None if args.blank_window => run_blank_window(),
        None => run_app(&data_dir, use_keychain),
    }
}

/// Everything this process creates, in the data folder or wherever a person saves a backup,
/// export or report, is readable by its user alone (folders 0700, files 0600): on a shared PC
/// another account must not read who came to a recovery center.
fn keep_files_private() {
    #[cfg(unix)]
    // SAFETY: umask only sets the calling process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// The same Tauri window, built the same way, on an empty page and with no desk: what the
/// footprint measurement (`make measure`) holds Porchlight's own cost against.
fn run_blank_window() {
    let mut context = context();
    for window in &mut context.config_mut().app.windows {
        window.url = tauri::WebviewUrl::External("about:blank".parse().expect("a valid URL"));
    }
    tauri::Builder::default().run(context).expect("the blank window could not start");
}

fn run_app(data_dir: &std::path::Path, use_keychain: bool) {
    paint_without_compositing();
    let key = state::KeySlot::default();
    let sync = background_sync::SyncState::new(data_dir, key.clone());
    tauri::Builder::default()
        .manage(state::DeskState::new(data_dir, key, use_keychain, sync.on_local_change()))
        .manage(sync.clone())
        // The folder chooser is opened by the desk's own command; the window is given none of
        // the plugin's commands (capabilities/default.json).
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            background_sync::start(app.handle().clone(), sync);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(context())
        .expect("the Porchlight window could not start");
}

/// WebKitGTK composites pages with OpenGL, which on a PC without a GPU driver it can use (many
/// donated desks, every virtual display) is Mesa's software rasteriser: measured under Xvfb, it
/// cost the web process about 120 MB and made each frame of the front desk slower to show. A page
/// of forms and lists needs no compositing. Someone who wants it anyway sets the variable to 0.
fn paint_without_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Before any thread starts: nothing else reads the environment concurrently.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// The window's configuration and the embedded UI, from `tauri.conf.json`.
fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}
