// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod background_sync;
mod cli;
mod commands;
mod state;

use clap::Parser;

fn main() {
    let args = cli::Args::parse();
    let data_dir = args.data_dir();
    match args.command {
        Some(command) => std::process::exit(cli::run(command, &data_dir)),
        None => run_app(&data_dir),
    }
}

fn run_app(data_dir: &std::path::Path) {
    let sync = background_sync::SyncState::new(data_dir);
    tauri::Builder::default()
        .manage(state::DeskState::new(data_dir))
        .manage(sync.clone())
        .setup(move |app| {
            background_sync::start(app.handle().clone(), sync);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("the Porchlight window could not start");
}
