//! Checks and folds for the short texts people type at the desk.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

use crate::error::CommonError;
use crate::{Error, Result};

/// Trims `value`; `None` when nothing is left, `TooLong` past `max` characters.
pub fn optional(value: Option<&str>, field: &'static str, label: &'static str, max: usize) -> Result<Option<String>> {
    let typed = value.map(|value| without_hidden_controls(value, false)).unwrap_or_default();
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(Error::Common(CommonError::TooLong { field, label, max }));
    }
    Ok(Some(collapse_spaces(trimmed)))
}

/// A multi-line text someone writes (a call's notes): trimmed, line breaks kept, `None` when
/// nothing is left, `TooLong` past `max` characters.
pub fn note(value: Option<&str>, field: &'static str, label: &'static str, max: usize) -> Result<Option<String>> {
    let typed = value.map(|value| without_hidden_controls(value, true)).unwrap_or_default();
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(Error::Common(CommonError::TooLong { field, label, max }));
    }
    Ok(Some(trimmed.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")))
}

/// `text` matched literally (its `%`, `_` and `\` as themselves) by `LIKE ... ESCAPE '\'`.
pub fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A stored name a newer desk may have invented (a role, a category) reads as `fallback`.
pub fn parse_or<T: std::str::FromStr>(text: String, fallback: T) -> T {
    text.parse().unwrap_or(fallback)
}

/// `text` without the characters that show nothing yet change what is shown or stored: control
/// characters (NUL among them; a tab becomes a space, and a note keeps its line breaks), and the
/// bidirectional overrides, embeddings and isolates that can make a name read backwards or hide
/// part of it. Right-to-left letters, and the left-to-right and right-to-left marks that help
/// them, are kept.
fn without_hidden_controls(text: &str, keep_lines: bool) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' if keep_lines => Some(c),
            '\t' => Some(' '),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower case without accents or punctuation: "José  R." and "jose r" fold alike.
pub fn fold(text: &str) -> String {
    let letters: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    collapse_spaces(&letters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("  José   R. "), "jose r");
        assert_eq!(fold("ÉMILE"), "emile");
        assert_eq!(fold("Zoë-Ann"), "zoe ann");
    }

    #[test]
    fn a_note_keeps_its_lines() {
        let written = note(Some("  Talked about work.\r\n\nWants a call Friday.  \n"), "notes", "Notes", 50);
        assert_eq!(written.unwrap().as_deref(), Some("Talked about work.\n\nWants a call Friday."));
        assert_eq!(note(Some(" \n "), "notes", "Notes", 50).unwrap(), None);
    }

    #[test]
    fn hidden_controls_are_dropped_and_right_to_left_names_kept() {
        let typed = Some("Ana\u{0} M.\u{202E}olleh\u{2066}");
        assert_eq!(optional(typed, "name", "Name", 40).unwrap().as_deref(), Some("Ana M.olleh"));
        assert_eq!(optional(Some("\u{0}\u{202D}"), "name", "Name", 40).unwrap(), None, "nothing left is nothing typed");
        assert_eq!(
            optional(Some("מרים\u{200F} כהן"), "name", "Name", 40).unwrap().as_deref(),
            Some("מרים\u{200F} כהן")
        );
        assert_eq!(optional(Some("مريم\tأحمد"), "name", "Name", 40).unwrap().as_deref(), Some("مريم أحمد"));
        let written = note(Some("Called.\u{7}\nWill call back\u{202E}."), "notes", "Notes", 50).unwrap();
        assert_eq!(written.as_deref(), Some("Called.\nWill call back."));
    }

    #[test]
    fn optional_text_is_trimmed_and_bounded() {
        assert_eq!(optional(Some("  "), "alias", "Alias", 5).unwrap(), None);
        assert_eq!(optional(Some(" Big   Mike "), "alias", "Alias", 20).unwrap().as_deref(), Some("Big Mike"));
        assert!(matches!(
            optional(Some("abcdef"), "alias", "Alias", 5),
            Err(Error::Common(CommonError::TooLong { max: 5, .. }))
        ));
    }
}
