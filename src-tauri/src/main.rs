// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod background_sync;
mod cli;
mod commands;
mod desk_key;
mod state;

use clap::Parser;

fn main() {
    let args = cli::Args::parse();
    let data_dir = args.data_dir();
    let use_keychain = !args.no_keychain;
    match args.command {
        Some(command) => std::process::exit(cli::run(command, &data_dir, use_keychain)),
        None => run_app(&data_dir, use_keychain),
    }
}

fn run_app(data_dir: &std::path::Path, use_keychain: bool) {
    let key = state::KeySlot::default();
    let sync = background_sync::SyncState::new(data_dir, key.clone());
    tauri::Builder::default()
        .manage(state::DeskState::new(data_dir, key, use_keychain))
        .manage(sync.clone())
        .setup(move |app| {
            background_sync::start(app.handle().clone(), sync);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("the Porchlight window could not start");
}
