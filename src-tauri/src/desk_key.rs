//! Finding the key a desk's data is encrypted with, shared by the window and the CLI. A new desk
//! keeps a random key in the OS keychain when the computer has one it can reach; otherwise an
//! admin chooses a desk passphrase, typed each time the app starts.

use std::path::Path;

use porchlight_core::encryption::EncryptionError;
use porchlight_core::encryption::{self, DeskKey, KeyKeeping};
use porchlight_core::Error;
use serde::Serialize;
use ts_rs::TS;

/// The keychain entry's service; its user is the data folder, so each desk has its own key.
const KEYCHAIN_SERVICE: &str = "org.porchlight.desk";

/// What must be asked for before the desk opens.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "need", rename_all = "snake_case")]
pub enum KeyNeed {
    /// The desk has a passphrase: someone who knows it types it.
    EnterPassphrase,
    /// A new desk on a computer without a reachable keychain: an admin chooses a passphrase.
    ChoosePassphrase,
}

/// The key, or what must be asked for it. Never asks anyone: that is the caller's part. A key
/// kept in a keychain that cannot be reached now is an error: nothing else opens the desk.
pub fn find(data_dir: &Path, use_keychain: bool) -> Result<Result<DeskKey, KeyNeed>, Error> {
    porchlight_core::ensure_writable(data_dir)?;
    match encryption::key_keeping(data_dir)? {
        Some(KeyKeeping::Keychain) => Ok(Ok(from_keychain(data_dir)
            .map_err(|reason| Error::Encryption(EncryptionError::KeychainUnreachable { reason }))?)),
        Some(KeyKeeping::Passphrase { .. }) => Ok(Err(KeyNeed::EnterPassphrase)),
        None if !use_keychain => Ok(Err(KeyNeed::ChoosePassphrase)),
        None => match new_key_in_keychain(data_dir) {
            Ok(key) => {
                encryption::keep_in_keychain(data_dir, &key)?;
                Ok(Ok(key))
            }
            Err(_) => Ok(Err(KeyNeed::ChoosePassphrase)),
        },
    }
}

/// Under the folder's full path, so `--data-dir desk` from two places is not one entry.
fn entry(data_dir: &Path) -> keyring::Result<keyring::Entry> {
    let folder = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
    keyring::Entry::new(KEYCHAIN_SERVICE, &folder.display().to_string())
}

fn from_keychain(data_dir: &Path) -> Result<DeskKey, String> {
    let stored = entry(data_dir).and_then(|entry| entry.get_password()).map_err(|err| err.to_string())?;
    DeskKey::from_hex(&stored).map_err(|err| err.to_string())
}

/// A new key, stored in the keychain and read back: a keychain that takes a key and cannot
/// give it back would lose the desk at its next start.
fn new_key_in_keychain(data_dir: &Path) -> Result<DeskKey, String> {
    let key = DeskKey::generate();
    entry(data_dir).and_then(|entry| entry.set_password(&key.to_hex())).map_err(|err| err.to_string())?;
    match from_keychain(data_dir)? {
        stored if stored == key => Ok(key),
        _ => Err("the keychain gave back another key".into()),
    }
}
