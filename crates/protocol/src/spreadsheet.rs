//! Text a spreadsheet must not take for a formula. Every CSV file Porchlight writes, at a desk or
//! at the hub, holds text that other people typed (a name, a topic, a group, an outcome a desk
//! published): one beginning `=HYPERLINK(…)` or `@SUM(…)` would run as a formula where a
//! spreadsheet opens the file. OWASP's rule: a cell beginning with `=`, `+`, `-`, `@`, a tab or
//! a carriage return gets a leading `'`, which spreadsheets show as text. A number is left as it
//! is (`-3` is not a formula). Workbooks need none of this: their text cells are typed as text.

use std::borrow::Cow;

/// `text` as a CSV cell that no spreadsheet runs.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.parse::<f64>().is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// What a cell written by [`safe_cell`] said, for reading a file Porchlight wrote back in.
pub fn cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(text) if safe_cell(text) == cell => text,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_shown_as_text_and_numbers_stay_numbers() {
        for risky in ["=HYPERLINK(\"http://x\",\"click\")", "@SUM(A1:A9)", "+1+1", "-2+3", "\t=1", "\r=1", "-"] {
            assert_eq!(safe_cell(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Dana P.", "-3", "-2.5", "+4", "1e3", "", "a=b", "'quoted"] {
            assert_eq!(safe_cell(plain), plain, "{plain:?}");
        }
        for text in ["=1+1", "@SUM(A1)", "-Ann", "Dana P.", "'quoted", "-3"] {
            assert_eq!(cell_text(&safe_cell(text)), text, "read back as written: {text:?}");
        }
    }
}
