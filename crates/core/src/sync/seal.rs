//! Sealing a synced field's value so that the hub relays it without being able to read it (issue
//! 18, first step: the format and the cipher, not yet wired into sync).
//!
//! Each field of a change is sealed on its own, so the hub can still replace one named field's
//! value when a person is forgotten, without reading any. A sealed value is text:
//!
//! ```text
//! pl1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>
//! ```
//!
//! - the cipher is XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`), with a fresh random
//!   192-bit nonce for every value, so two seals of the same value never look alike;
//! - the plaintext is the field's JSON value (a name, a number, `null`: each round-trips as it was);
//! - the associated data binds the value to its place (entity, record id, field name): a sealed
//!   value copied into another field or record does not open there;
//! - the key id says which center key sealed it, so a desk holding the keys of before and after a
//!   rotation opens both, and one without the key says so instead of guessing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde_json::Value;

const PREFIX: &str = "pl1";
const NONCE_BYTES: usize = 24;

/// One center key: 256 random bits and the id sealed values name it by.
#[derive(Clone)]
pub struct CenterKey {
    id: String,
    key: Key,
}

impl std::fmt::Debug for CenterKey {
    /// Never the key itself: a key in a log is a key given away.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl CenterKey {
    /// A new random key with a new id.
    pub fn generate() -> CenterKey {
        CenterKey { id: crate::new_id(), key: XChaCha20Poly1305::generate_key(&mut OsRng) }
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Why a sealed value did not open. Each is a change to keep aside and report, never to apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the value is not sealed")]
    NotSealed,
    #[error("sealed with key {0}, which this desk does not hold")]
    UnknownKey(String),
    #[error("the sealed value was altered, or belongs to another field or record")]
    Tampered,
}

/// What a sealed value is bound to.
fn place(entity: &str, record_id: &str, field: &str) -> Vec<u8> {
    format!("porchlight/{PREFIX}\0{entity}\0{record_id}\0{field}").into_bytes()
}

/// `value` sealed with `key` for `field` of the record `record_id` of type `entity`.
pub fn seal(key: &CenterKey, entity: &str, record_id: &str, field: &str, value: &Value) -> String {
    let plaintext = serde_json::to_vec(value).expect("a JSON value serialises");
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = place(entity, record_id, field);
    let sealed = XChaCha20Poly1305::new(&key.key)
        .encrypt(&nonce, Payload { msg: &plaintext, aad: &aad })
        .expect("sealing into memory does not fail");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    format!("{PREFIX}.{}.{}", key.id, URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether `text` has a sealed value's form (what the hub may check without any key).
pub fn is_sealed(text: &str) -> bool {
    parts(text).is_some()
}

fn parts(text: &str) -> Option<(&str, Vec<u8>)> {
    let mut pieces = text.splitn(3, '.');
    let (prefix, key_id, body) = (pieces.next()?, pieces.next()?, pieces.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
    (prefix == PREFIX && !key_id.is_empty() && bytes.len() > NONCE_BYTES).then_some((key_id, bytes))
}

/// The value sealed in `text` for that field of that record, with whichever of `keys` sealed it.
pub fn open(keys: &[CenterKey], entity: &str, record_id: &str, field: &str, text: &str) -> Result<Value, SealError> {
    let (key_id, bytes) = parts(text).ok_or(SealError::NotSealed)?;
    let key = keys.iter().find(|key| key.id == key_id).ok_or_else(|| SealError::UnknownKey(key_id.to_owned()))?;
    let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
    let aad = place(entity, record_id, field);
    let plaintext = XChaCha20Poly1305::new(&key.key)
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &aad })
        .map_err(|_| SealError::Tampered)?;
    serde_json::from_slice(&plaintext).map_err(|_| SealError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_of_value_opens_as_it_was_sealed_and_no_two_seals_look_alike() {
        let key = CenterKey::generate();
        for value in [json!("Dana P."), json!(1984), json!(null), json!(true), json!(["a", "b"])] {
            let sealed = seal(&key, "person", "p1", "display_name", &value);
            assert!(is_sealed(&sealed) && sealed.starts_with(&format!("pl1.{}.", key.id())), "{sealed}");
            assert_eq!(open(&[key.clone()], "person", "p1", "display_name", &sealed), Ok(value.clone()));
        }
        let (once, twice) =
            (seal(&key, "person", "p1", "phone", &json!("555")), seal(&key, "person", "p1", "phone", &json!("555")));
        assert_ne!(once, twice, "a fresh nonce every time");
        assert!(!once.contains("555"));
    }

    #[test]
    fn an_altered_moved_or_unknown_value_is_refused_never_guessed() {
        let (key, other) = (CenterKey::generate(), CenterKey::generate());
        let sealed = seal(&key, "person", "p1", "display_name", &json!("Dana P."));
        let keys = [key.clone()];
        assert_eq!(open(&keys, "person", "p2", "display_name", &sealed), Err(SealError::Tampered), "another record");
        assert_eq!(open(&keys, "person", "p1", "alias", &sealed), Err(SealError::Tampered), "another field");
        assert_eq!(
            open(&[other.clone()], "person", "p1", "display_name", &sealed),
            Err(SealError::UnknownKey(key.id().to_owned()))
        );
        let impostor = CenterKey { id: key.id().to_owned(), key: other.key };
        assert_eq!(
            open(&[impostor], "person", "p1", "display_name", &sealed),
            Err(SealError::Tampered),
            "same id, wrong key"
        );

        let mut bytes = parts(&sealed).unwrap().1;
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("pl1.{}.{}", key.id(), URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(open(&keys, "person", "p1", "display_name", &altered), Err(SealError::Tampered));
        for plain in ["Dana P.", "pl1..AAAA", "pl2.k.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""] {
            assert_eq!(open(&keys, "person", "p1", "display_name", plain), Err(SealError::NotSealed), "{plain:?}");
        }
    }

    #[test]
    fn a_desk_holding_the_keys_before_and_after_a_rotation_opens_both() {
        let (old, new) = (CenterKey::generate(), CenterKey::generate());
        let before = seal(&old, "visit", "v1", "person_id", &json!("p1"));
        let after = seal(&new, "visit", "v2", "person_id", &json!("p2"));
        let ring = [new.clone(), old.clone()];
        assert_eq!(open(&ring, "visit", "v1", "person_id", &before), Ok(json!("p1")));
        assert_eq!(open(&ring, "visit", "v2", "person_id", &after), Ok(json!("p2")));
        assert!(
            matches!(open(&[old], "visit", "v2", "person_id", &after), Err(SealError::UnknownKey(_))),
            "a revoked desk's key opens nothing after"
        );
        assert!(!format!("{new:?}").contains("key:"), "the key never prints");
    }
}
