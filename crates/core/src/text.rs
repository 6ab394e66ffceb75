//! Checks and folds for the short texts people type at the desk.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

use crate::{Error, Result};

/// Trims `value`; `None` when nothing is left, `TooLong` past `max` characters.
pub fn optional(value: Option<&str>, field: &'static str, label: &'static str, max: usize) -> Result<Option<String>> {
    let trimmed = value.map(str::trim).unwrap_or_default();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(Error::TooLong { field, label, max });
    }
    Ok(Some(collapse_spaces(trimmed)))
}

/// A multi-line text someone writes (a call's notes): trimmed, line breaks kept, `None` when
/// nothing is left, `TooLong` past `max` characters.
pub fn note(value: Option<&str>, field: &'static str, label: &'static str, max: usize) -> Result<Option<String>> {
    let trimmed = value.map(str::trim).unwrap_or_default();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(Error::TooLong { field, label, max });
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
    fn optional_text_is_trimmed_and_bounded() {
        assert_eq!(optional(Some("  "), "alias", "Alias", 5).unwrap(), None);
        assert_eq!(optional(Some(" Big   Mike "), "alias", "Alias", 20).unwrap().as_deref(), Some("Big Mike"));
        assert!(matches!(optional(Some("abcdef"), "alias", "Alias", 5), Err(Error::TooLong { max: 5, .. })));
    }
}
