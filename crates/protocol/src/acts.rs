//! Acts the hub performs for a center: revoking a desk, changing the center's key, letting a
//! desk in, handing the keys on after a change, sealing the history again and publishing the
//! center's figures. Each request for one is signed with the **center's signing key**, an
//! Ed25519 key that every holder of the center key derives from it and nobody else can; the
//! center gives the hub only its verifying half, with its key. So a desk enrolled with a code but
//! never let in (or one revoked when the key changed) cannot do any of them, whatever its token.
//!
//! The signature travels in the [`SIGNATURE_HEADER`] as `ps1.<key id>.<unix ms>.<signature>`
//! and covers the key id, the time, the method, the path and a SHA-256 of the body, so it cannot
//! be moved to another act; the hub takes it within [`FRESH_MS`] of its own time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The header that carries an act's signature.
pub const SIGNATURE_HEADER: &str = "porchlight-center-signature";
const PREFIX: &str = "ps1";
/// How far from the hub's time a signed act may be stamped.
pub const FRESH_MS: i64 = 10 * 60 * 1000;

/// Why the hub refuses a signed act.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActRefused {
    #[error("this act needs the center's signature, and the request has none")]
    Unsigned,
    #[error("the center's signature does not read as ps1.<key id>.<unix ms>.<signature>")]
    Malformed,
    #[error("signed with key {0}, which is not the center's key now")]
    OtherKey(String),
    #[error("signed at a time more than ten minutes from the hub's")]
    Stale,
    #[error("the signature does not verify: not made by a holder of the center's key, or for another act")]
    Forged,
}

/// What an act's signature covers.
fn message(key_id: &str, at_ms: i64, method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut message = b"porchlight/ps1 act\0".to_vec();
    for part in [key_id.as_bytes(), at_ms.to_string().as_bytes(), method.as_bytes(), path.as_bytes()] {
        message.extend_from_slice(&(part.len() as u32).to_be_bytes());
        message.extend_from_slice(part);
    }
    message.extend_from_slice(&Sha256::digest(body));
    message
}

/// The header value that signs the act `method path` with `body`, at `at_ms`.
pub fn sign(signing: &SigningKey, key_id: &str, at_ms: i64, method: &str, path: &str, body: &[u8]) -> String {
    let signature = signing.sign(&message(key_id, at_ms, method, path, body));
    format!("{PREFIX}.{key_id}.{at_ms}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// A verifying key as the center registers it: 32 bytes, base64url.
pub fn verifying_key_text(signing: &SigningKey) -> String {
    URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes())
}

/// Whether `text` reads as a verifying key.
pub fn is_verifying_key(text: &str) -> bool {
    verifying_key(text).is_some()
}

fn verifying_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Checks that `header` signs this act with the key whose id is `key_id` and whose verifying
/// half is `verifier`, within [`FRESH_MS`] of `now_ms`.
pub fn verify(
    verifier: &str,
    key_id: &str,
    header: Option<&str>,
    now_ms: i64,
    method: &str,
    path: &str,
    body: &[u8],
) -> Result<(), ActRefused> {
    let header = header.ok_or(ActRefused::Unsigned)?;
    let mut parts = header.splitn(4, '.');
    let (Some(PREFIX), Some(signed_with), Some(at), Some(signature)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ActRefused::Malformed);
    };
    if signed_with != key_id {
        return Err(ActRefused::OtherKey(signed_with.to_owned()));
    }
    let at_ms: i64 = at.parse().map_err(|_| ActRefused::Malformed)?;
    if (now_ms - at_ms).abs() > FRESH_MS {
        return Err(ActRefused::Stale);
    }
    let signature: [u8; 64] =
        URL_SAFE_NO_PAD.decode(signature).ok().and_then(|bytes| bytes.try_into().ok()).ok_or(ActRefused::Malformed)?;
    let verifier = verifying_key(verifier).ok_or(ActRefused::Forged)?;
    verifier
        .verify(&message(key_id, at_ms, method, path, body), &Signature::from_bytes(&signature))
        .map_err(|_| ActRefused::Forged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_act_verifies_only_as_it_was_signed_by_the_centers_key_and_only_while_fresh() {
        let (center, rogue) = (SigningKey::from_bytes(&[7; 32]), SigningKey::from_bytes(&[9; 32]));
        let verifier = verifying_key_text(&center);
        let key_id = "3f2a9c0d4b1e8f7a6c5d2e1f0a9b8c7d";
        let path = "/v1/devices/0193/revocation";
        let signed = sign(&center, key_id, 1_000_000, "POST", path, b"{}");
        let check = |header: Option<&str>, now: i64, path: &str, body: &[u8]| {
            verify(&verifier, key_id, header, now, "POST", path, body)
        };
        assert_eq!(check(Some(&signed), 1_000_000 + 60_000, path, b"{}"), Ok(()));
        assert_eq!(check(None, 1_000_000, path, b"{}"), Err(ActRefused::Unsigned));
        assert_eq!(check(Some(&signed), 1_000_000, "/v1/devices/0194/revocation", b"{}"), Err(ActRefused::Forged));
        assert_eq!(check(Some(&signed), 1_000_000, path, b"{\"x\":1}"), Err(ActRefused::Forged));
        assert_eq!(check(Some(&signed), 1_000_000 + FRESH_MS + 1, path, b"{}"), Err(ActRefused::Stale));
        let forged = sign(&rogue, key_id, 1_000_000, "POST", path, b"{}");
        assert_eq!(check(Some(&forged), 1_000_000, path, b"{}"), Err(ActRefused::Forged));
        let other = sign(&center, "0".repeat(32).as_str(), 1_000_000, "POST", path, b"{}");
        assert!(matches!(check(Some(&other), 1_000_000, path, b"{}"), Err(ActRefused::OtherKey(_))));
        assert_eq!(check(Some("ps1.nonsense"), 1_000_000, path, b"{}"), Err(ActRefused::Malformed));
    }
}
