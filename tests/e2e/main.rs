//! The end-to-end tests, in one binary: each links the WebDriver client, TLS and SQLCipher, and
//! one link of them instead of seven keeps the build's time and disk in bounds.

mod accounts;
mod encryption;
mod footprint;
mod front_desk;
mod groups;
mod hardening;
mod hub_fuzz;
mod installers;
mod reports;
mod sync;
mod sync_settings;
mod volunteers;
mod warmline;
