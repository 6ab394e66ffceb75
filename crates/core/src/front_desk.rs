//! The front desk's search: people found as a name, alias or member code is typed or scanned,
//! each with when they were last seen and whether they are in the building now. It reads people
//! and their visits together, so it sits above both domains.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::people::{normalize_member_code, PersonInput};
use crate::{text, visits, Desk, Result, Timestamp};

/// A search result: enough to pick the right person and see whether they are already in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PersonMatch {
    pub id: String,
    pub member_code: String,
    pub display_name: String,
    pub alias: Option<String>,
    pub last_visit_at: Option<Timestamp>,
    /// The open visit, when the person is in the building now.
    pub open_visit_id: Option<String>,
    pub here_since: Option<Timestamp>,
}

/// Type-ahead over display name, alias and member code, ignoring case and accents.
/// An exact member code comes first, then people by how recently they were seen; people already
/// in the building come last, as the desk is rarely checking them in again.
pub fn search(desk: &Desk, session: &Session, query: &str, limit: usize) -> Result<Vec<PersonMatch>> {
    access::authorize(desk, session, Action::SearchPeople)?;
    let Some(expression) = prefix_query(query) else {
        return Ok(Vec::new());
    };
    // A few extra, so that people already here can make way for those arriving.
    let candidates = limit + 8;
    let mut statement = desk.conn().prepare_cached(&format!(
        "SELECT {MATCH_COLUMNS}
         FROM (SELECT rowid AS rank FROM people_search WHERE people_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2) found
         JOIN people p ON p.recency_rank = found.rank
         WHERE p.forgotten_at IS NULL
         ORDER BY found.rank DESC"
    ))?;
    let mut matches = statement
        .query_map(params![expression, candidates as i64], match_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let exact = find_by_member_code(desk, session, query)?;
    if let Some(exact) = &exact {
        matches.retain(|found| found.id != exact.id);
    }
    for found in &mut matches {
        mark_if_here(desk.conn(), found)?;
    }
    matches.sort_by_key(|found| found.here_since.is_some());
    matches.splice(0..0, exact);
    matches.truncate(limit);
    Ok(matches)
}

const MATCH_COLUMNS: &str = "p.id, p.member_code, p.display_name, p.alias,
     (SELECT MAX(v.checked_in_at) FROM visits v WHERE v.person_id = p.id)";

fn match_from_row(row: &Row) -> rusqlite::Result<PersonMatch> {
    Ok(PersonMatch {
        id: row.get(0)?,
        member_code: row.get(1)?,
        display_name: row.get(2)?,
        alias: row.get(3)?,
        last_visit_at: row.get(4)?,
        open_visit_id: None,
        here_since: None,
    })
}

/// The person whose card carries `code` (as typed or scanned: any case, spaces or dashes).
pub fn find_by_member_code(desk: &Desk, session: &Session, code: &str) -> Result<Option<PersonMatch>> {
    access::authorize(desk, session, Action::SearchPeople)?;
    let Some(code) = normalize_member_code(code) else {
        return Ok(None);
    };
    let found = desk
        .conn()
        .prepare_cached(&format!(
            "SELECT {MATCH_COLUMNS} FROM people p WHERE p.member_code = ?1 AND p.forgotten_at IS NULL"
        ))?
        .query_row([&code], match_from_row)
        .optional()?;
    let Some(mut found) = found else {
        return Ok(None);
    };
    mark_if_here(desk.conn(), &mut found)?;
    Ok(Some(found))
}

fn mark_if_here(conn: &Connection, found: &mut PersonMatch) -> Result<()> {
    if let Some((visit_id, since)) = visits::open_visit(conn, &found.id)? {
        found.open_visit_id = Some(visit_id);
        found.here_since = Some(since);
    }
    Ok(())
}

/// Each word of the query as a quoted FTS5 prefix term; all must match.
fn prefix_query(query: &str) -> Option<String> {
    let words = text::fold(query);
    if words.is_empty() {
        return None;
    }
    Some(words.split(' ').map(|word| format!("\"{word}\"*")).collect::<Vec<_>>().join(" "))
}

/// Whether two folded names ([`text::fold`]) may be one person's, as typed by two people at two desks.
/// Edit distance, not Jaro-Winkler: the latter rates "Danielle Z" as "Daniel R" for the shared start.
/// Two different last initials ("Priya R" and "Priya O") are two people, however close the rest:
/// a first name and last initial is how most people here are named.
pub(crate) fn similar_names(a: &str, b: &str) -> bool {
    const SIMILAR: f64 = 0.8;
    fn initial(name: &str) -> Option<&str> {
        name.rsplit_once(' ').map(|(_, last)| last).filter(|last| last.chars().count() == 1)
    }
    if let (Some(x), Some(y)) = (initial(a), initial(b)) {
        if x != y {
            return false;
        }
    }
    strsim::normalized_damerau_levenshtein(a, b) >= SIMILAR
}

/// Existing people the new registration may be: a similar name or alias, or the same phone or email.
/// A hint for the person at the desk, never a refusal: two people may share a name.
pub fn possible_duplicates(
    desk: &Desk,
    session: &Session,
    input: &PersonInput,
    except_id: Option<&str>,
) -> Result<Vec<PersonMatch>> {
    access::authorize(desk, session, Action::RegisterPerson)?;
    const MOST: usize = 5;
    let name = text::fold(&input.display_name);
    let first_word = name.split(' ').next().unwrap_or_default();
    let mut hints = Vec::new();
    if !first_word.is_empty() {
        for candidate in search(desk, session, first_word, 200)? {
            let same_name = similar_names(&name, &text::fold(&candidate.display_name));
            let same_alias = match (&input.alias, &candidate.alias) {
                (Some(a), Some(b)) => text::fold(a) == text::fold(b),
                _ => false,
            };
            if same_name || same_alias {
                hints.push(candidate);
            }
        }
    }
    let contact_matches: Vec<String> = desk
        .conn()
        .prepare_cached(
            "SELECT member_code FROM people
             WHERE (?1 IS NOT NULL AND phone = ?1) OR (?2 IS NOT NULL AND email = ?2 COLLATE NOCASE)
             LIMIT 5",
        )?
        .query_map(params![input.phone.as_deref().map(str::trim), input.email.as_deref().map(str::trim)], |row| {
            row.get(0)
        })?
        .collect::<rusqlite::Result<_>>()?;
    for code in contact_matches {
        if !hints.iter().any(|hint| hint.member_code == code) {
            hints.extend(find_by_member_code(desk, session, &code)?);
        }
    }
    hints.retain(|hint| Some(hint.id.as_str()) != except_id);
    hints.truncate(MOST);
    Ok(hints)
}
