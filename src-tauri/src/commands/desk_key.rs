//! Opening the desk's encrypted data: the first thing the window asks, before anyone signs in.

use porchlight_core::encryption;
use tauri::State;

use crate::desk_key::{self, KeyNeed};
use crate::state::{on_blocking_pool, DeskState};

use super::declare::commands;

commands! {
    /// `null` once the desk can open; otherwise what to ask for. A new desk gets its key kept in
    /// the keychain here, when the computer has one.
    shell fn desk_key_need[desk: State<'_, DeskState>]() -> Option<KeyNeed> {
        if desk.key.get().is_some() {
            return Ok(None);
        }
        let (data_dir, use_keychain, slot) = (desk.data_dir.clone(), desk.use_keychain, desk.key.clone());
        on_blocking_pool(move || {
            Ok::<_, porchlight_core::Error>(match desk_key::find(&data_dir, use_keychain)? {
                Ok(key) => {
                    slot.set(key);
                    None
                }
                Err(need) => Some(need),
            })
        })
        .await
    }

    shell fn unlock_desk[desk: State<'_, DeskState>](passphrase: String) -> () {
        let (data_dir, slot) = (desk.data_dir.clone(), desk.key.clone());
        on_blocking_pool(move || encryption::unlock_with_passphrase(&data_dir, &passphrase).map(|key| slot.set(key)))
            .await
    }

    shell fn choose_desk_passphrase[desk: State<'_, DeskState>](passphrase: String, passphrase_again: String) -> () {
        let (data_dir, slot) = (desk.data_dir.clone(), desk.key.clone());
        on_blocking_pool(move || {
            encryption::choose_passphrase(&data_dir, &passphrase, &passphrase_again).map(|key| slot.set(key))
        })
        .await
    }
}
