//! The form of a sealed field value, as the hub sees it: it can tell a sealed value from a
//! readable one, and which center key sealed it, without being able to open it. Desks seal and
//! open (`porchlight_core::sync::seal`); this module only knows the shape:
//!
//! ```text
//! pl1.<key id: 32 lowercase hex digits>.<base64url, no padding: 24-byte nonce ‖ ciphertext ‖ 16-byte tag>
//! ```

use serde_json::Value;

/// The format's name and version, the first part of every sealed value.
pub const SEALED_PREFIX: &str = "pl1";
/// A center key's id: 32 lowercase hexadecimal digits.
pub const KEY_ID_LENGTH: usize = 32;
/// The shortest body: a 24-byte nonce, at least one byte sealed and a 16-byte tag, in base64url.
const SHORTEST_BODY: usize = (24 + 1 + 16) * 4 / 3;

/// The id of the center key that sealed `value`, if `value` has a sealed value's form.
pub fn sealed_with(value: &Value) -> Option<&str> {
    sealed_text_with(value.as_str()?)
}

/// [`sealed_with`], for the text of a value.
pub fn sealed_text_with(text: &str) -> Option<&str> {
    let mut parts = text.splitn(3, '.');
    let (prefix, key_id, body) = (parts.next()?, parts.next()?, parts.next()?);
    let body_ok = body.len() >= SHORTEST_BODY
        && body.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    (prefix == SEALED_PREFIX && is_key_id(key_id) && body_ok).then_some(key_id)
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
        assert_eq!(sealed_with(&json!(format!("pl1.{key_id}.{body}"))), Some(key_id));
        for readable in [
            json!("Dana P."),
            json!(1984),
            json!(null),
            json!(format!("pl2.{key_id}.{body}")),
            json!(format!("pl1.{}.{body}", key_id.to_uppercase())),
            json!(format!("pl1.{key_id}.short")),
            json!(format!("pl1.{key_id}.{}+", "A".repeat(55))),
        ] {
            assert_eq!(sealed_with(&readable), None, "{readable}");
        }
    }
}
