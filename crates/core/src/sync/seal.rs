//! Sealing a synced field's value so that the hub relays it without being able to read it.
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
//!   rotation opens both, and one without the key says so instead of guessing. It is worked out
//!   from the key (a hash), so the recovery words alone give back both.
//!
//! The hub checks only the form ([`porchlight_protocol::sealed_with`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use porchlight_protocol::sealed::{KEY_ID_LENGTH, SEALED_PREFIX as PREFIX};
use serde_json::Value;
use sha2::{Digest, Sha256};

const NONCE_BYTES: usize = 24;
/// A center key's length: 256 bits.
pub const KEY_BYTES: usize = 32;

/// One center key: 256 random bits and the id sealed values name it by.
#[derive(Clone)]
pub struct CenterKey {
    id: String,
    key: Key,
}

/// Recovery words that are not a center key: a word not on the list, too few or too many, or
/// one written down wrong (the last word carries a checksum).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotRecoveryWords(String);

impl std::fmt::Debug for CenterKey {
    /// Never the key itself: a key in a log is a key given away.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterKey").field("id", &self.id).finish_non_exhaustive()
    }
}

impl CenterKey {
    /// A new random key.
    pub fn generate() -> CenterKey {
        CenterKey::from_bytes(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// The key these 32 bytes are; its id is a hash of them.
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> CenterKey {
        let digest = Sha256::new().chain_update(b"porchlight center key id\0").chain_update(bytes).finalize();
        let id: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        CenterKey { id: id[..KEY_ID_LENGTH].to_owned(), key: bytes.into() }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The key itself, for the desk's encrypted database and for sealing to a joining desk.
    pub(crate) fn bytes(&self) -> [u8; KEY_BYTES] {
        self.key.into()
    }

    /// The key as the 24 words of the recovery sheet (BIP-39, English).
    pub fn words(&self) -> Vec<String> {
        let mnemonic = bip39::Mnemonic::from_entropy(&self.bytes()).expect("32 bytes make 24 words");
        mnemonic.words().map(str::to_owned).collect()
    }

    /// The key written down as words: any case, spaces, commas, numbers and line breaks between
    /// them are fine.
    pub fn from_words(text: &str) -> Result<CenterKey, NotRecoveryWords> {
        let words: Vec<String> =
            text.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect();
        if words.len() != 24 {
            return Err(NotRecoveryWords(format!("The recovery sheet has 24 words; {} were typed.", words.len())));
        }
        let mnemonic = bip39::Mnemonic::parse_normalized(&words.join(" ")).map_err(|err| {
            NotRecoveryWords(match err {
                bip39::Error::UnknownWord(index) => {
                    format!(
                        "Word {} (\"{}\") is not on the recovery sheet's list; check its spelling.",
                        index + 1,
                        words[index]
                    )
                }
                bip39::Error::InvalidChecksum => {
                    "These words do not fit together: one of them is probably written or typed wrong.".to_owned()
                }
                other => other.to_string(),
            })
        })?;
        let (entropy, length) = mnemonic.to_entropy_array();
        let bytes: [u8; KEY_BYTES] =
            entropy[..length].try_into().map_err(|_| NotRecoveryWords("not 24 words".into()))?;
        Ok(CenterKey::from_bytes(bytes))
    }
}

/// Why a sealed value did not open. Each is a change to keep aside and report, never to apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("a value is readable, and this center's desks seal every value")]
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
    Sealer::new(key).seal(entity, record_id, field, value)
}

/// Seals many values with one key: the cipher is set up once, and each value's 192-bit nonce is
/// this sealer's own random 128 bits followed by a count, so no two values share a nonce without
/// asking the operating system for randomness every time (a first sync seals 100,000 changes).
pub struct Sealer<'k> {
    key: &'k CenterKey,
    cipher: XChaCha20Poly1305,
    nonce_prefix: [u8; 16],
    count: u64,
}

impl<'k> Sealer<'k> {
    pub fn new(key: &'k CenterKey) -> Sealer<'k> {
        let mut nonce_prefix = [0u8; 16];
        nonce_prefix.copy_from_slice(&XChaCha20Poly1305::generate_nonce(&mut OsRng)[..16]);
        Sealer { key, cipher: XChaCha20Poly1305::new(&key.key), nonce_prefix, count: 0 }
    }

    pub fn key(&self) -> &'k CenterKey {
        self.key
    }

    pub fn seal(&mut self, entity: &str, record_id: &str, field: &str, value: &Value) -> String {
        let plaintext = serde_json::to_vec(value).expect("a JSON value serialises");
        let mut nonce = XNonce::default();
        nonce[..16].copy_from_slice(&self.nonce_prefix);
        nonce[16..].copy_from_slice(&self.count.to_be_bytes());
        self.count += 1;
        let aad = place(entity, record_id, field);
        let sealed = self
            .cipher
            .encrypt(&nonce, Payload { msg: &plaintext, aad: &aad })
            .expect("sealing into memory does not fail");
        let mut bytes = Vec::with_capacity(NONCE_BYTES + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        let mut text = String::with_capacity(PREFIX.len() + KEY_ID_LENGTH + 2 + bytes.len() * 4 / 3 + 4);
        text.push_str(PREFIX);
        text.push('.');
        text.push_str(&self.key.id);
        text.push('.');
        URL_SAFE_NO_PAD.encode_string(bytes, &mut text);
        text
    }
}

/// Whether `text` has a sealed value's form (what the hub may check without any key).
pub fn is_sealed(text: &str) -> bool {
    porchlight_protocol::sealed::sealed_text_with(text).is_some()
}

fn parts(text: &str) -> Option<(&str, Vec<u8>)> {
    let key_id = porchlight_protocol::sealed::sealed_text_with(text)?;
    let body = &text[PREFIX.len() + 1 + key_id.len() + 1..];
    let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
    (bytes.len() > NONCE_BYTES).then_some((key_id, bytes))
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
        let phone = json!("555-555-0100");
        let (once, twice) = (seal(&key, "person", "p1", "phone", &phone), seal(&key, "person", "p1", "phone", &phone));
        assert_ne!(once, twice, "a fresh nonce every time");
        // Long enough not to turn up by chance in the random key id and ciphertext ("555" did,
        // about once in a hundred runs).
        assert!(!once.contains("555-555-0100"));
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
    fn the_recovery_words_give_back_the_key_and_its_id_and_catch_a_wrong_word() {
        let key = CenterKey::generate();
        let words = key.words();
        assert_eq!(words.len(), 24);
        let written =
            words.iter().enumerate().map(|(n, w)| format!("{}. {}", n + 1, w.to_uppercase())).collect::<Vec<_>>();
        let typed = written.join(",\n");
        let recovered = CenterKey::from_words(&typed).unwrap();
        assert_eq!((recovered.id(), recovered.bytes()), (key.id(), key.bytes()));
        let sealed = seal(&key, "person", "p1", "alias", &json!("Blue"));
        assert_eq!(open(&[recovered], "person", "p1", "alias", &sealed), Ok(json!("Blue")));

        let short = CenterKey::from_words(&words[..23].join(" ")).unwrap_err();
        assert!(short.0.contains("23 were typed"), "{short}");
        let mut misspelt = words.clone();
        misspelt[4] = "zzzz".into();
        assert!(CenterKey::from_words(&misspelt.join(" ")).unwrap_err().0.contains("Word 5 (\"zzzz\")"));
        let fixed = CenterKey::from_bytes([7; KEY_BYTES]).words();
        let mut swapped = fixed.clone();
        swapped.swap(0, 23);
        let err = CenterKey::from_words(&swapped.join(" ")).unwrap_err();
        assert!(err.0.contains("do not fit together"), "{err}");
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
