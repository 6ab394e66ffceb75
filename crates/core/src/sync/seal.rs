//! Sealing a synced change so that the hub relays it without being able to read it, and proving
//! that a holder of the center's key made it, so that neither the hub nor a desk without the key
//! can make, alter, move or replay one that other desks accept.
//!
//! Each field of a change is sealed on its own, so the hub can still replace one named field's
//! value when a person is forgotten, without reading any. A sealed value is text:
//!
//! ```text
//! pl2.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>
//! ```
//!
//! - the cipher is XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) under a key derived from
//!   the center key (HKDF-SHA-256), with a fresh random 192-bit nonce for every value;
//! - the plaintext is the field's JSON value padded with spaces to a fixed size ([`padded_len`]):
//!   every short value (a call's outcome, a person link, a date) seals to one length, and longer
//!   text to a power of two, so a value's length tells the hub little;
//! - the associated data binds the value to its place ([`Place`]): the entity, record id and
//!   field name, and the change's id and stamp. A value copied into another field, record or
//!   change does not open there. A value that erases a field (a person forgotten) is bound to
//!   the field alone, since the hub writes it into the earlier changes to that field;
//! - the key id says which center key sealed it, so a desk holding the keys of before and after
//!   a rotation opens both. It is worked out from the key (a hash), so the recovery words alone
//!   give back both.
//!
//! Every change also carries a proof ([`prove`]): `pa2.<key id>.<tag>`, HMAC-SHA-256 under
//! another key derived from the center key, over the change's id, entity, record id, op, stamp,
//! the desk that pushed it, the staff account behind it and its field names. Deletes, which seal
//! nothing, are proven too. A desk applies no change whose proof does not verify.
//!
//! The hub checks only the forms ([`porchlight_protocol::sealed`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use porchlight_protocol::sealed::{AUTH_PREFIX, EARLIER_SEALED_PREFIX, KEY_ID_LENGTH, SEALED_PREFIX as PREFIX};
use porchlight_protocol::{Change, Op, PulledChange, SealedChange};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

const NONCE_BYTES: usize = 24;
/// A center key's length: 256 bits.
pub const KEY_BYTES: usize = 32;

/// One center key: 256 random bits, the keys derived from them, and the id sealed values name
/// it by.
#[derive(Clone)]
pub struct CenterKey {
    id: String,
    key: Key,
    sealing: Key,
    proving: [u8; 32],
    /// Signs the acts the hub performs for the center ([`porchlight_protocol::acts`]).
    signing: ed25519_dalek::SigningKey,
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
        let derived = hkdf::Hkdf::<Sha256>::new(None, &bytes);
        let (mut sealing, mut proving, mut signing) = ([0u8; 32], [0u8; 32], [0u8; 32]);
        derived.expand(b"porchlight pl2 sealing", &mut sealing).expect("32 bytes is a valid HKDF length");
        derived.expand(b"porchlight pa2 proving", &mut proving).expect("32 bytes is a valid HKDF length");
        derived.expand(b"porchlight ps1 center signing", &mut signing).expect("32 bytes is a valid HKDF length");
        CenterKey {
            id: id[..KEY_ID_LENGTH].to_owned(),
            key: bytes.into(),
            sealing: sealing.into(),
            proving,
            signing: ed25519_dalek::SigningKey::from_bytes(&signing),
        }
    }

    /// The verifying half of this key's signing key, as the hub keeps it.
    pub fn verifying_key(&self) -> String {
        porchlight_protocol::acts::verifying_key_text(&self.signing)
    }

    /// The signature on an act the hub performs for the center: `method path` with `body`, now.
    pub(crate) fn sign_act(&self, method: &str, path: &str, body: &[u8]) -> String {
        let now_ms = chrono::Utc::now().timestamp_millis();
        porchlight_protocol::acts::sign(&self.signing, &self.id, now_ms, method, path, body)
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

    /// A tag over `message` under this key's proving key, for `purpose`.
    pub(crate) fn tag(&self, purpose: &str, message: &[u8]) -> [u8; 32] {
        self.mac(purpose, message).finalize().into_bytes().into()
    }

    /// Whether `tag` is this key's tag over `message` for `purpose`, compared in constant time.
    pub(crate) fn verifies(&self, purpose: &str, message: &[u8], tag: &[u8]) -> bool {
        self.mac(purpose, message).verify_slice(tag).is_ok()
    }

    fn mac(&self, purpose: &str, message: &[u8]) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&self.proving).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac
    }
}

/// Why a change from the hub is not applied. Each is a change to keep aside and report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("a value is readable, and this center's desks seal every value")]
    NotSealed,
    #[error("sealed with key {0}, which this desk does not hold")]
    UnknownKey(String),
    #[error("the sealed value was altered, or belongs to another field, record or change")]
    Tampered,
    #[error("no desk of this center proved it: it was made or altered by the hub or a desk without the key")]
    NotProven,
}

impl SealError {
    /// Whether the change may yet be applied here: its key may arrive. One never proven,
    /// altered, or readable never will be.
    pub fn may_open_later(&self) -> bool {
        matches!(self, SealError::UnknownKey(_))
    }
}

/// Where a sealed value belongs: it opens there and nowhere else.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// A field of one change to one record.
    InChange { entity: &'a str, record_id: &'a str, field: &'a str, change_id: &'a str, hlc: &'a str },
    /// What a field of a record says once erased: the hub writes it into every change to that field.
    Erased { entity: &'a str, record_id: &'a str, field: &'a str },
}

impl Place<'_> {
    fn associated_data(&self) -> Vec<u8> {
        match self {
            Place::InChange { entity, record_id, field, change_id, hlc } => {
                format!("porchlight/{PREFIX}\0value\0{entity}\0{record_id}\0{field}\0{change_id}\0{hlc}").into_bytes()
            }
            Place::Erased { entity, record_id, field } => {
                format!("porchlight/{PREFIX}\0erased\0{entity}\0{record_id}\0{field}").into_bytes()
            }
        }
    }
}

/// The size a value's JSON is padded to before sealing: 64 bytes for anything short (every
/// enumerated value, id, date and name), then the next power of two up to 4 KiB, then whole
/// 4 KiB steps.
pub fn padded_len(len: usize) -> usize {
    const STEP: usize = 4096;
    if len <= STEP {
        len.next_power_of_two().max(64)
    } else {
        len.div_ceil(STEP) * STEP
    }
}

/// `value` sealed with `key` for `place`.
pub fn seal(key: &CenterKey, place: Place, value: &Value) -> String {
    Sealer::new(key).seal(place, value)
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
        Sealer { key, cipher: XChaCha20Poly1305::new(&key.sealing), nonce_prefix, count: 0 }
    }

    pub fn key(&self) -> &'k CenterKey {
        self.key
    }

    pub fn seal(&mut self, place: Place, value: &Value) -> String {
        let mut plaintext = serde_json::to_vec(value).expect("a JSON value serialises");
        // JSON ignores trailing white space, so the padding needs no length to strip it.
        plaintext.resize(padded_len(plaintext.len()), b' ');
        let mut nonce = XNonce::default();
        nonce[..16].copy_from_slice(&self.nonce_prefix);
        nonce[16..].copy_from_slice(&self.count.to_be_bytes());
        self.count += 1;
        let aad = place.associated_data();
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

    /// Seals every value of `change` in its place and adds the proof, as the desk `device_id`
    /// pushes it.
    pub fn seal_change(&mut self, device_id: &str, change: &mut Change) {
        let Change { change_id, entity, id, hlc, fields, erase, .. } = &mut *change;
        for (field, value) in fields.iter_mut() {
            let place = if erase.contains(field) {
                Place::Erased { entity, record_id: id, field }
            } else {
                Place::InChange { entity, record_id: id, field, change_id, hlc }
            };
            *value = Value::String(self.seal(place, value));
        }
        let proven = Proven::of_change(change, device_id);
        change.auth = Some(prove(self.key, &proven));
    }
}

/// Whether `text` is a value sealed in the current form.
pub fn is_sealed(text: &str) -> bool {
    porchlight_protocol::sealed::sealed_text_with(text).is_some()
}

fn parts<'t>(text: &'t str, key_id: Option<&'t str>, prefix: &str) -> Option<(&'t str, Vec<u8>)> {
    let key_id = key_id?;
    let body = &text[prefix.len() + 1 + key_id.len() + 1..];
    let bytes = URL_SAFE_NO_PAD.decode(body).ok()?;
    (bytes.len() > NONCE_BYTES).then_some((key_id, bytes))
}

fn held<'k>(keys: &'k [CenterKey], key_id: &str) -> Result<&'k CenterKey, SealError> {
    keys.iter().find(|key| key.id == key_id).ok_or_else(|| SealError::UnknownKey(key_id.to_owned()))
}

fn decrypt(cipher_key: &Key, bytes: &[u8], aad: &[u8]) -> Result<Value, SealError> {
    let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
    let plaintext = XChaCha20Poly1305::new(cipher_key)
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .map_err(|_| SealError::Tampered)?;
    serde_json::from_slice(&plaintext).map_err(|_| SealError::Tampered)
}

/// The value sealed in `text` for `place`, with whichever of `keys` sealed it.
pub fn open(keys: &[CenterKey], place: Place, text: &str) -> Result<Value, SealError> {
    let (key_id, bytes) =
        parts(text, porchlight_protocol::sealed::sealed_text_with(text), PREFIX).ok_or(SealError::NotSealed)?;
    decrypt(&held(keys, key_id)?.sealing, &bytes, &place.associated_data())
}

/// A value of a change as it opens: in its own change's place, or as the center's erasure of
/// that field (which the hub writes into every change to it).
fn open_in_change(
    keys: &[CenterKey],
    change: &PulledChange,
    field: &str,
    text: &str,
) -> Result<(Value, bool), SealError> {
    let (entity, record_id) = (change.entity.as_str(), change.id.as_str());
    let own = Place::InChange { entity, record_id, field, change_id: &change.change_id, hlc: &change.hlc };
    match open(keys, own, text) {
        Err(SealError::Tampered) => {
            open(keys, Place::Erased { entity, record_id, field }, text).map(|value| (value, true))
        }
        opened => opened.map(|value| (value, false)),
    }
}

/// A value sealed before changes were proven (`pl1`, bound to its field only), opened only to
/// be sealed again in the current form.
fn open_earlier(
    keys: &[CenterKey],
    entity: &str,
    record_id: &str,
    field: &str,
    text: &str,
) -> Result<Value, SealError> {
    let key_id = porchlight_protocol::sealed::earlier_sealed_text_with(text);
    let (key_id, bytes) = parts(text, key_id, EARLIER_SEALED_PREFIX).ok_or(SealError::NotSealed)?;
    let aad = format!("porchlight/{EARLIER_SEALED_PREFIX}\0{entity}\0{record_id}\0{field}").into_bytes();
    decrypt(&held(keys, key_id)?.key, &bytes, &aad)
}

/// What a change's proof covers: all of it but its values, which their seals bind to it.
pub struct Proven<'a> {
    change_id: &'a str,
    entity: &'a str,
    record_id: &'a str,
    op: Op,
    hlc: &'a str,
    device_id: &'a str,
    by: Option<&'a str>,
    fields: Vec<&'a str>,
}

impl<'a> Proven<'a> {
    pub fn of_change(change: &'a Change, device_id: &'a str) -> Proven<'a> {
        Proven {
            change_id: &change.change_id,
            entity: &change.entity,
            record_id: &change.id,
            op: change.op,
            hlc: &change.hlc,
            device_id,
            by: change.by.as_deref(),
            fields: change.fields.keys().map(String::as_str).collect(),
        }
    }

    pub fn of_pulled(change: &'a PulledChange) -> Proven<'a> {
        Proven {
            change_id: &change.change_id,
            entity: &change.entity,
            record_id: &change.id,
            op: change.op,
            hlc: &change.hlc,
            device_id: &change.device_id,
            by: change.by.as_deref(),
            fields: change.fields.keys().map(String::as_str).collect(),
        }
    }

    /// Each part with its length before it, field names in order, so no two changes read alike.
    fn message(&self) -> Vec<u8> {
        let mut fields = self.fields.clone();
        fields.sort_unstable();
        let by = self.by.unwrap_or("");
        let parts =
            [self.change_id, self.entity, self.record_id, self.op.as_str(), self.hlc, self.device_id, by].into_iter();
        let mut message = Vec::with_capacity(256);
        for part in parts.chain(fields) {
            message.extend_from_slice(&(part.len() as u32).to_be_bytes());
            message.extend_from_slice(part.as_bytes());
        }
        message
    }
}

const CHANGE_PROOF: &str = "porchlight/pa2 change";

/// The proof that a holder of `key` made the change.
pub fn prove(key: &CenterKey, change: &Proven) -> String {
    let tag = key.tag(CHANGE_PROOF, &change.message());
    format!("{AUTH_PREFIX}.{}.{}", key.id, URL_SAFE_NO_PAD.encode(tag))
}

/// The key whose holder made the change, if `auth` proves it.
pub fn verify<'k>(keys: &'k [CenterKey], change: &Proven, auth: Option<&str>) -> Result<&'k CenterKey, SealError> {
    let auth = auth.ok_or(SealError::NotProven)?;
    let key_id = porchlight_protocol::sealed::auth_key_id(auth).ok_or(SealError::NotProven)?;
    let key = held(keys, key_id)?;
    let tag =
        URL_SAFE_NO_PAD.decode(&auth[AUTH_PREFIX.len() + 1 + key_id.len() + 1..]).map_err(|_| SealError::NotProven)?;
    key.verifies(CHANGE_PROOF, &change.message(), &tag).then_some(key).ok_or(SealError::NotProven)
}

/// A pulled change's values opened, once its proof verifies and every value opens in its place.
pub fn open_change(keys: &[CenterKey], change: &PulledChange) -> Result<Map<String, Value>, SealError> {
    verify(keys, &Proven::of_pulled(change), change.auth.as_deref())?;
    let mut fields = Map::with_capacity(change.fields.len());
    for (field, value) in &change.fields {
        let text = value.as_str().ok_or(SealError::NotSealed)?;
        fields.insert(field.clone(), open_in_change(keys, change, field, text)?.0);
    }
    Ok(fields)
}

/// What a change the hub holds becomes in a sealed copy of the center's history.
#[derive(Debug)]
pub enum Copy {
    /// Proven and sealed with the current key already.
    Current,
    /// Sealed again with the current key, and proven.
    Sealed(SealedChange),
    /// Nothing this desk holds opens it, or it was altered: the copy leaves it as it is, and no
    /// desk will apply it.
    SetAside(SealError),
}

/// A change of the center's history as the copy sealed with `sealer`'s key holds it. One proven
/// with an earlier key must verify under it. An unproven one (readable, from before the center
/// had a key, or `pl1`, from before changes were proven) is vouched for only up to
/// `unproven_up_to`: the history this desk took as it was before it learnt to ask for proofs.
pub fn sealed_copy(keys: &[CenterKey], sealer: &mut Sealer, change: &PulledChange, unproven_up_to: u64) -> Copy {
    let key = sealer.key();
    let current_form = |value: &Value| porchlight_protocol::sealed_with(value) == Some(key.id());
    let auth_key = change.auth.as_deref().and_then(porchlight_protocol::sealed::auth_key_id);
    if auth_key == Some(key.id()) && change.fields.values().all(current_form) {
        return Copy::Current;
    }
    let proven = Proven::of_pulled(change);
    match verify(keys, &proven, change.auth.as_deref()) {
        Ok(_) => {}
        Err(SealError::NotProven) if change.auth.is_none() && change.seq <= unproven_up_to => {}
        Err(err) => return Copy::SetAside(err),
    }
    let mut fields = Map::with_capacity(change.fields.len());
    for (field, value) in &change.fields {
        let (entity, record_id) = (change.entity.as_str(), change.id.as_str());
        let opened = match value.as_str() {
            Some(text) if is_sealed(text) => open_in_change(keys, change, field, text),
            Some(text) if porchlight_protocol::sealed::earlier_sealed_text_with(text).is_some() => {
                open_earlier(keys, entity, record_id, field, text).map(|value| (value, false))
            }
            // Only a change from before sealing, never a proven one, may hold a readable value.
            _ if change.auth.is_some() => Err(SealError::NotSealed),
            _ => Ok((value.clone(), false)),
        };
        let (value, erased) = match opened {
            Ok(opened) => opened,
            Err(err) => return Copy::SetAside(err),
        };
        let place = if erased {
            Place::Erased { entity, record_id, field }
        } else {
            Place::InChange { entity, record_id, field, change_id: &change.change_id, hlc: &change.hlc }
        };
        fields.insert(field.clone(), Value::String(sealer.seal(place, &value)));
    }
    Copy::Sealed(SealedChange { seq: change.seq, fields, auth: Some(prove(key, &proven)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CHANGE: &str = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0e";
    const HLC: &str = "001795432100123-00000";

    fn at<'a>(record_id: &'a str, field: &'a str) -> Place<'a> {
        Place::InChange { entity: "person", record_id, field, change_id: CHANGE, hlc: HLC }
    }

    #[test]
    fn every_kind_of_value_opens_as_it_was_sealed_and_no_two_seals_look_alike() {
        let key = CenterKey::generate();
        for value in [json!("Dana P."), json!(1984), json!(null), json!(true), json!(["a", "b"])] {
            let sealed = seal(&key, at("p1", "display_name"), &value);
            assert!(is_sealed(&sealed) && sealed.starts_with(&format!("pl2.{}.", key.id())), "{sealed}");
            assert_eq!(open(&[key.clone()], at("p1", "display_name"), &sealed), Ok(value.clone()));
        }
        let phone = json!("555-555-0100");
        let (once, twice) = (seal(&key, at("p1", "phone"), &phone), seal(&key, at("p1", "phone"), &phone));
        assert_ne!(once, twice, "a fresh nonce every time");
        // Long enough not to turn up by chance in the random key id and ciphertext ("555" did,
        // about once in a hundred runs).
        assert!(!once.contains("555-555-0100"));
    }

    #[test]
    fn a_sealed_values_length_tells_nothing_of_a_short_value_and_little_of_text() {
        let key = CenterKey::generate();
        let outcomes = ["listened", "referred", "emergency_services", "crisis_line", "hang_up", "wrong_number"];
        let mut lengths: Vec<usize> =
            outcomes.iter().map(|outcome| seal(&key, at("c1", "outcome"), &json!(outcome)).len()).collect();
        lengths.push(seal(&key, at("v1", "person_id"), &json!(null)).len());
        lengths.push(seal(&key, at("v1", "person_id"), &json!("01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0f")).len());
        assert!(lengths.iter().all(|length| *length == lengths[0]), "{lengths:?}");
        let note = |length: usize| seal(&key, at("c1", "notes"), &json!("x".repeat(length))).len();
        assert_eq!(note(200), note(250), "text pads to a power of two");
        assert_eq!(note(5000), note(8000), "then to 4 KiB steps");
        assert_eq!((padded_len(1), padded_len(64), padded_len(65), padded_len(4097)), (64, 64, 128, 8192));
    }

    #[test]
    fn an_altered_moved_or_unknown_value_is_refused_never_guessed() {
        let (key, other) = (CenterKey::generate(), CenterKey::generate());
        let sealed = seal(&key, at("p1", "display_name"), &json!("Dana P."));
        let keys = [key.clone()];
        assert_eq!(open(&keys, at("p2", "display_name"), &sealed), Err(SealError::Tampered), "another record");
        assert_eq!(open(&keys, at("p1", "alias"), &sealed), Err(SealError::Tampered), "another field");
        let later = Place::InChange {
            entity: "person",
            record_id: "p1",
            field: "display_name",
            change_id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d99",
            hlc: HLC,
        };
        assert_eq!(open(&keys, later, &sealed), Err(SealError::Tampered), "another change");
        let erased = Place::Erased { entity: "person", record_id: "p1", field: "display_name" };
        assert_eq!(open(&keys, erased, &sealed), Err(SealError::Tampered), "a value is not an erasure");
        assert_eq!(
            open(&[other.clone()], at("p1", "display_name"), &sealed),
            Err(SealError::UnknownKey(key.id().to_owned()))
        );
        let impostor = CenterKey { id: key.id().to_owned(), ..other };
        assert_eq!(
            open(&[impostor], at("p1", "display_name"), &sealed),
            Err(SealError::Tampered),
            "same id, wrong key"
        );

        let (key_id, mut bytes) = parts(&sealed, Some(key.id()), PREFIX).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("pl2.{key_id}.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(open(&keys, at("p1", "display_name"), &altered), Err(SealError::Tampered));
        for plain in ["Dana P.", "pl2..AAAA", "pl1.k.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""] {
            assert_eq!(open(&keys, at("p1", "display_name"), plain), Err(SealError::NotSealed), "{plain:?}");
        }
    }

    fn change(fields: Value) -> Change {
        Change {
            change_id: CHANGE.into(),
            entity: "person".into(),
            id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0f".into(),
            op: Op::Upsert,
            fields: fields.as_object().unwrap().clone(),
            hlc: HLC.into(),
            by: Some("01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d10".into()),
            erase: Vec::new(),
            auth: None,
        }
    }

    fn pulled(change: &Change, device_id: &str) -> PulledChange {
        PulledChange {
            seq: 1,
            device_id: device_id.into(),
            change_id: change.change_id.clone(),
            entity: change.entity.clone(),
            id: change.id.clone(),
            op: change.op,
            fields: change.fields.clone(),
            hlc: change.hlc.clone(),
            by: change.by.clone(),
            auth: change.auth.clone(),
        }
    }

    #[test]
    fn a_proof_covers_every_part_of_a_change_so_no_part_can_be_altered() {
        let key = CenterKey::generate();
        let mut sealed = change(json!({"display_name": "Dana P.", "phone": "555-0100"}));
        Sealer::new(&key).seal_change("desk-a", &mut sealed);
        let honest = pulled(&sealed, "desk-a");
        let keys = [key.clone()];
        assert_eq!(open_change(&keys, &honest).unwrap()["display_name"], json!("Dana P."));

        let mut altered: Vec<(&str, PulledChange)> = vec![
            ("op", PulledChange { op: Op::Delete, fields: Map::new(), ..honest.clone() }),
            ("stamp", PulledChange { hlc: "513800000000000-00000".into(), ..honest.clone() }),
            ("change id", PulledChange { change_id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d99".into(), ..honest.clone() }),
            ("desk", PulledChange { device_id: "desk-b".into(), ..honest.clone() }),
            ("by", PulledChange { by: None, ..honest.clone() }),
            ("record", PulledChange { id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d98".into(), ..honest.clone() }),
            ("entity", PulledChange { entity: "visit".into(), ..honest.clone() }),
            ("no proof", PulledChange { auth: None, ..honest.clone() }),
        ];
        let mut dropped = honest.clone();
        dropped.fields.remove("phone");
        altered.push(("a field dropped", dropped));
        let mut swapped = honest.clone();
        let phone = swapped.fields["phone"].clone();
        swapped.fields.insert("display_name".into(), phone);
        altered.push(("a value moved", swapped));
        for (what, change) in altered {
            assert!(open_change(&keys, &change).is_err(), "{what} altered, and it still opened");
        }
        let other = CenterKey::generate();
        let mut forged = change(json!({"display_name": "Someone else"}));
        Sealer::new(&other).seal_change("desk-a", &mut forged);
        assert!(matches!(open_change(&keys, &pulled(&forged, "desk-a")), Err(SealError::UnknownKey(_))));
        let impostor = CenterKey { id: key.id().to_owned(), ..other };
        let mut forged = change(json!({"display_name": "Someone else"}));
        Sealer::new(&impostor).seal_change("desk-a", &mut forged);
        assert_eq!(open_change(&keys, &pulled(&forged, "desk-a")), Err(SealError::NotProven));
    }

    #[test]
    fn an_erasure_opens_in_every_change_to_its_field_and_nowhere_else() {
        let key = CenterKey::generate();
        let keys = [key.clone()];
        let mut earlier = change(json!({"display_name": "Dana P.", "phone": "555-0100"}));
        Sealer::new(&key).seal_change("desk-a", &mut earlier);
        let mut erasing = change(json!({"display_name": "Forgotten person", "phone": null}));
        erasing.change_id = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d11".into();
        erasing.erase = vec!["display_name".into(), "phone".into()];
        Sealer::new(&key).seal_change("desk-b", &mut erasing);
        // What the hub does on erasing: the earlier change now says what the erasure says.
        let mut as_erased = pulled(&earlier, "desk-a");
        as_erased.fields = erasing.fields.clone();
        let opened = open_change(&keys, &as_erased).unwrap();
        assert_eq!((&opened["display_name"], &opened["phone"]), (&json!("Forgotten person"), &json!(null)));
        // ...but not in another record's change.
        let mut elsewhere = change(json!({"display_name": "Sam K."}));
        elsewhere.id = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d97".into();
        Sealer::new(&key).seal_change("desk-a", &mut elsewhere);
        let mut moved = pulled(&elsewhere, "desk-a");
        moved.fields.insert("display_name".into(), erasing.fields["display_name"].clone());
        assert_eq!(open_change(&keys, &moved), Err(SealError::Tampered));
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
        let sealed = seal(&key, at("p1", "alias"), &json!("Blue"));
        assert_eq!(open(&[recovered], at("p1", "alias"), &sealed), Ok(json!("Blue")));

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
        let before = seal(&old, at("v1", "person_id"), &json!("p1"));
        let after = seal(&new, at("v2", "person_id"), &json!("p2"));
        let ring = [new.clone(), old.clone()];
        assert_eq!(open(&ring, at("v1", "person_id"), &before), Ok(json!("p1")));
        assert_eq!(open(&ring, at("v2", "person_id"), &after), Ok(json!("p2")));
        assert!(
            matches!(open(&[old], at("v2", "person_id"), &after), Err(SealError::UnknownKey(_))),
            "a revoked desk's key opens nothing after"
        );
        assert!(!format!("{new:?}").contains("key:"), "the key never prints");
    }
}
