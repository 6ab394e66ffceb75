//! The short lists a center configures (the warmline's call types and topics, volunteers' shift
//! roles and credential kinds): each item has a name unique among those offered and is retired,
//! never deleted, so the records that used it keep it. Each table has `name`, `position` and
//! `retired_at`.

use rusqlite::{params, Transaction};

use crate::{text, Error, Result, Timestamp};

/// A list item's name, trimmed; refused when empty or past 60 characters.
pub(crate) fn name(name: &str) -> Result<String> {
    text::optional(Some(name), "name", "Name", 60)?.ok_or(Error::Retirable(RetirableError::NameRequired))
}

/// Refuses a name an offered item of `table` already has, whatever its case.
pub(crate) fn ensure_unused(tx: &Transaction, table: &str, name: &str) -> Result<()> {
    let sql = format!("SELECT 1 FROM {table} WHERE name = ?1 COLLATE NOCASE AND retired_at IS NULL");
    if tx.prepare_cached(&sql)?.exists([name])? {
        return Err(Error::Retirable(RetirableError::DuplicateName(name.to_owned())));
    }
    Ok(())
}

/// Retires item `id` of whichever of `tables` holds it (keeping when it was first retired), or
/// offers it again. False when none holds it.
pub(crate) fn set_retired(tx: &Transaction, tables: &[&str], id: &str, retired: bool, now: Timestamp) -> Result<bool> {
    let mut changed = 0;
    for table in tables {
        changed += tx.execute(
            &format!("UPDATE {table} SET retired_at = CASE WHEN ?2 THEN COALESCE(retired_at, ?3) END WHERE id = ?1"),
            params![id, retired, now],
        )?;
    }
    Ok(changed > 0)
}

crate::error::domain_errors! {
    /// What stops an entry of a list the center keeps (call types, roles, resources) from being saved.
    pub enum RetirableError, codes RetirableErrorCode {
        #[error("A name is needed.")]
        NameRequired in "name",
        #[error("There is already one called \"{0}\".")]
        DuplicateName(String) in "name",
    }
}
