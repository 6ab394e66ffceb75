//! Porchlight's core: everything a desk does, as a plain Rust API over its own SQLite file.
//!
//! Start at [`Desk`]: it owns the connection and the clock. Each domain module
//! (`accounts`, `people`, `visits`, `services`, `settings`, `reports`) holds its records, its rules
//! and its SQL, and takes the desk it works on explicitly.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod clock;
pub mod consent;
pub mod demo;
pub mod encryption;
mod error;
pub mod export;
pub mod import;
pub mod people;
pub mod reports;
pub mod services;
pub mod settings;
mod store;
pub mod sync;
mod text;
pub mod visits;

pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use error::{Error, ImportRowError, Result};
pub use store::{ensure_writable, Desk, DATABASE_FILE_NAME};

/// Every record's id: a UUIDv7, so ids sort by creation time on every desk.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
