//! The form of a sealed field value and of a change's proof, as the hub sees them: it can tell a
//! sealed value from a readable one, and which center key sealed it, without being able to open
//! it. Desks seal, prove and open (`porchlight_core::sync::seal`); this module only knows shapes:
//!
//! ```text
//! value:  pl2.<key id: 32 lowercase hex digits>.<base64url, no padding: 24-byte nonce ‖ ciphertext ‖ 16-byte tag>
//! proof:  pa2.<key id>.<base64url, no padding: 32-byte HMAC-SHA-256 tag>
//! ```
//!
//! `pl1` values (sealed before changes carried a proof, bound only to their field) are still
//! recognised, so that a desk can seal such a history again in the current form.

use serde_json::Value;

/// The format's name and version, the first part of every sealed value.
pub const SEALED_PREFIX: &str = "pl2";
/// Values sealed before changes were proven: opened only to be sealed again.
pub const EARLIER_SEALED_PREFIX: &str = "pl1";
/// The first part of a change's proof.
pub const AUTH_PREFIX: &str = "pa2";
/// A center key's id: 32 lowercase hexadecimal digits.
pub const KEY_ID_LENGTH: usize = 32;
/// The shortest body: a 24-byte nonce, at least one byte sealed and a 16-byte tag, in base64url.
const SHORTEST_BODY: usize = (24 + 1 + 16) * 4 / 3;
/// A proof's tag: 32 bytes in base64url without padding.
const AUTH_TAG_LENGTH: usize = 43;

/// The id of the center key that sealed `value`, if `value` has a sealed value's form.
pub fn sealed_with(value: &Value) -> Option<&str> {
    sealed_text_with(value.as_str()?)
}

/// [`sealed_with`], for the text of a value.
pub fn sealed_text_with(text: &str) -> Option<&str> {
    with_prefix(text, SEALED_PREFIX)
}

/// The key id of a value sealed in the earlier form (`pl1`).
pub fn earlier_sealed_text_with(text: &str) -> Option<&str> {
    with_prefix(text, EARLIER_SEALED_PREFIX)
}

fn with_prefix<'t>(text: &'t str, expected: &str) -> Option<&'t str> {
    let (key_id, body) = key_id_and_body(text, expected)?;
    (body.len() >= SHORTEST_BODY).then_some(key_id)
}

fn key_id_and_body<'t>(text: &'t str, expected: &str) -> Option<(&'t str, &'t str)> {
    let mut parts = text.splitn(3, '.');
    let (prefix, key_id, body) = (parts.next()?, parts.next()?, parts.next()?);
    let body_ok = body.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    (prefix == expected && is_key_id(key_id) && body_ok).then_some((key_id, body))
}

/// The id of the center key a change's proof was made with, if `auth` has a proof's form.
pub fn auth_key_id(auth: &str) -> Option<&str> {
    let (key_id, tag) = key_id_and_body(auth, AUTH_PREFIX)?;
    (tag.len() == AUTH_TAG_LENGTH).then_some(key_id)
}

/// Whether `text` is a center key's id.
pub fn is_key_id(text: &str) -> bool {
    text.len() == KEY_ID_LENGTH && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_sealed_form_names_a_key() {
        let key_id = "0123456789abcdef0123456789abcdef";
        let body = "A".repeat(55);
        assert_eq!(sealed_with(&json!(format!("pl2.{key_id}.{body}"))), Some(key_id));
        assert_eq!(earlier_sealed_text_with(&format!("pl1.{key_id}.{body}")), Some(key_id));
        for readable in [
            json!("Dana P."),
            json!(1984),
            json!(null),
            json!(format!("pl1.{key_id}.{body}")),
            json!(format!("pl3.{key_id}.{body}")),
            json!(format!("pl2.{}.{body}", key_id.to_uppercase())),
            json!(format!("pl2.{key_id}.short")),
            json!(format!("pl2.{key_id}.{}+", "A".repeat(55))),
        ] {
            assert_eq!(sealed_with(&readable), None, "{readable}");
        }
    }

    #[test]
    fn a_proof_names_its_key_and_has_a_whole_tag() {
        let key_id = "0123456789abcdef0123456789abcdef";
        assert_eq!(auth_key_id(&format!("pa2.{key_id}.{}", "A".repeat(43))), Some(key_id));
        for bad in [
            format!("pa2.{key_id}.{}", "A".repeat(42)),
            format!("pl2.{key_id}.{}", "A".repeat(43)),
            format!("pa2.{key_id}.{}=", "A".repeat(42)),
            "pa2..AAAA".to_owned(),
        ] {
            assert_eq!(auth_key_id(&bad), None, "{bad}");
        }
    }
}
