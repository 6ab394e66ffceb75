//! People the center knows: registered with only what they choose to give, found by typing.

use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::{Fields, Table, Upkeep};
use crate::sync::erasure::{self, Erased, OnForget, Personal};
use crate::{new_id, text, Desk, Error, Result, Timestamp};

/// What a person chooses to tell the desk. Only the display name is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    /// First name and last initial, or an alias: whatever the person goes by here.
    pub display_name: String,
    pub alias: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_year: Option<i32>,
    pub pronouns: Option<String>,
    pub preferred_language: Option<String>,
    /// "May we contact you?"
    pub contact_consent: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: String,
    /// Short code on the person's card; typing or scanning it checks them in.
    pub member_code: String,
    pub display_name: String,
    pub alias: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_year: Option<i32>,
    pub pronouns: Option<String>,
    pub preferred_language: Option<String>,
    pub contact_consent: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const NAME_MAX: usize = 60;
const EARLIEST_BIRTH_YEAR: i32 = 1900;

impl PersonInput {
    /// The input trimmed and checked, or the first thing wrong with it.
    pub fn validated(&self, now: Timestamp) -> Result<PersonInput> {
        let display_name = text::optional(Some(&self.display_name), "display_name", "Display name", NAME_MAX)?
            .ok_or(Error::People(PeopleError::DisplayNameRequired))?;
        let phone = text::optional(self.phone.as_deref(), "phone", "Phone", 30)?;
        if let Some(phone) = &phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !allowed || !(7..=15).contains(&digits) {
                return Err(Error::People(PeopleError::InvalidPhone));
            }
        }
        let email = text::optional(self.email.as_deref(), "email", "Email", 254)?;
        if let Some(email) = &email {
            if !looks_like_email(email) {
                return Err(Error::People(PeopleError::InvalidEmail));
            }
        }
        let this_year = now.0.year();
        if let Some(year) = self.birth_year {
            if !(EARLIEST_BIRTH_YEAR..=this_year).contains(&year) {
                return Err(Error::People(PeopleError::InvalidBirthYear { min: EARLIEST_BIRTH_YEAR, max: this_year }));
            }
        }
        Ok(PersonInput {
            display_name,
            alias: text::optional(self.alias.as_deref(), "alias", "Alias", NAME_MAX)?,
            phone,
            email,
            birth_year: self.birth_year,
            pronouns: text::optional(self.pronouns.as_deref(), "pronouns", "Pronouns", 30)?,
            preferred_language: text::optional(
                self.preferred_language.as_deref(),
                "preferred_language",
                "Preferred language",
                40,
            )?,
            contact_consent: self.contact_consent,
        })
    }
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
                && domain.split('.').count() >= 2
                && domain.split('.').all(|part| !part.is_empty())
        }
        None => false,
    }
}

/// How people travel between desks. `recency_rank` is each desk's own search order, not synced.
/// Forgetting a person erases every field that could identify them; their member code is
/// replaced by a new one.
pub(crate) const SYNCED: Table = Table {
    entity: "person",
    table: "people",
    describe: Some("SELECT CASE WHEN forgotten_at IS NULL THEN display_name ELSE 'Someone forgotten' END FROM people WHERE id = ?1"),
    columns: &[
        "member_code",
        "display_name",
        "alias",
        "phone",
        "email",
        "birth_year",
        "pronouns",
        "preferred_language",
        "contact_consent",
        "created_at",
        "updated_at",
        "forgotten_at",
    ],
    personal: &[
        Personal { field: "member_code", erased: Erased::Fresh },
        Personal { field: "display_name", erased: Erased::Text(FORGOTTEN_NAME) },
        Personal { field: "alias", erased: Erased::Null },
        Personal { field: "phone", erased: Erased::Null },
        Personal { field: "email", erased: Erased::Null },
        Personal { field: "birth_year", erased: Erased::Null },
        Personal { field: "pronouns", erased: Erased::Null },
        Personal { field: "preferred_language", erased: Erased::Null },
        Personal { field: "contact_consent", erased: Erased::No },
    ],
    when_person_forgotten: OnForget::EraseRecord,
    erased_marker: Some("forgotten_at"),
    kept_before_sync: Some("SELECT id FROM people ORDER BY created_at"),
    upkeep: &SearchUpkeep,
    ..Table::PLAIN
};

/// What an answer of a forgotten person says in place of its kind.
pub(crate) const ERASED_CONSENT_KIND: &str = "erased";

/// A person's answers on consent ([`crate::consent`] records and reads them), kept with the person:
/// their record reads "may we contact you?" from them. A forgotten person's answers go with
/// them: what they were asked and what they said is erased on every desk and at the hub; when,
/// and who asked, stay.
pub(crate) const CONSENTS: Table = Table {
    entity: "consent",
    table: "consents",
    columns: &["person_id", "kind", "given", "recorded_at", "recorded_by", "recorded_by_name"],
    personal: &[
        Personal { field: "kind", erased: Erased::Text(ERASED_CONSENT_KIND) },
        Personal { field: "given", erased: Erased::No },
    ],
    when_person_forgotten: OnForget::EraseRows { select: "SELECT id FROM consents WHERE person_id = ?1" },
    ..Table::PLAIN
};

/// "May we contact you?" (`contact_consent` in people exports and imports) for a row of
/// `people`: true while the newest answer of any contact kind is yes. For someone never asked
/// kind by kind, it is what was said at registration or import. Worked out when read, never
/// stored, so answers merged from several desks always agree with it. Its kinds are the
/// contact kinds of `consent`, which a test there holds to this text.
pub(crate) const CONTACT_CONSENT_OF_PEOPLE: &str = "COALESCE(
    (SELECT MAX(answer.given) FROM consents answer
     WHERE answer.person_id = people.id
       AND answer.kind IN ('contact_by_phone', 'contact_by_sms', 'contact_by_email')
       AND NOT EXISTS (SELECT 1 FROM consents newer
                       WHERE newer.person_id = answer.person_id AND newer.kind = answer.kind
                         AND (newer.recorded_at, newer.id) > (answer.recorded_at, answer.id))),
    people.contact_consent)";

/// The name a forgotten person's visits are listed under.
pub const FORGOTTEN_NAME: &str = "Forgotten person";

/// Erases who a person was, on every desk once synced: name, alias, contact details, year of
/// birth, pronouns, language, member code and consent answers. Their visits stay in every
/// count, tied to a record nobody can name. Edits made anywhere later cannot bring anything
/// back. The audit log records that it happened, never what was erased.
pub fn forget(desk: &mut Desk, session: &Session, id: &str) -> Result<()> {
    let entities = desk.entities();
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ForgetPerson)?;
        let forgotten: Option<Option<Timestamp>> =
            tx.query_row("SELECT forgotten_at FROM people WHERE id = ?1", [id], |row| row.get(0)).optional()?;
        match forgotten {
            None => return Err(Error::People(PeopleError::PersonNotFound)),
            Some(Some(_)) => return Err(Error::People(PeopleError::PersonForgotten)),
            Some(None) => {}
        }
        tx.execute("UPDATE people SET forgotten_at = ?2, updated_at = ?2 WHERE id = ?1", params![id, now])?;
        let fresh = Fields::from_iter([("member_code".to_owned(), unused_member_code(tx)?.into())]);
        // Their consent answers go too, and what was written about a warmline caller linked to
        // them; a staff account or caller they were linked to no longer says whose it was.
        erasure::forget_person(tx, entities, id, &fresh, now)?;
        audit::record(tx, now, &actor, AuditEvent::PersonForgotten, Some(id), "")
    })?;
    desk.compact_after_erasing()
}

pub fn register(desk: &mut Desk, session: &Session, input: &PersonInput) -> Result<Person> {
    let input = input.validated(desk.now())?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::RegisterPerson)?;
        let person = insert(tx, now, &input, None)?;
        audit::record(tx, now, &actor, AuditEvent::PersonRegistered, Some(&person.id), "")?;
        Ok(person)
    })
}

/// Inserts an already-validated person; a member code is made up unless one is given.
pub(crate) fn insert(
    tx: &Transaction,
    now: Timestamp,
    input: &PersonInput,
    member_code: Option<&str>,
) -> Result<Person> {
    let id = new_id();
    let member_code = match member_code {
        Some(code) => code.to_owned(),
        None => unused_member_code(tx)?,
    };
    tx.prepare_cached(
        "INSERT INTO people (id, member_code, display_name, alias, phone, email, birth_year, pronouns,
                             preferred_language, contact_consent, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        id,
        member_code,
        input.display_name,
        input.alias,
        input.phone,
        input.email,
        input.birth_year,
        input.pronouns,
        input.preferred_language,
        input.contact_consent,
        now
    ])?;
    get_in(tx, &id)
}

pub fn update(desk: &mut Desk, session: &Session, id: &str, input: &PersonInput) -> Result<Person> {
    let input = input.validated(desk.now())?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::EditPerson)?;
        ensure_not_forgotten(tx, id)?;
        let changed = tx.execute(
            "UPDATE people SET display_name = ?2, alias = ?3, phone = ?4, email = ?5, birth_year = ?6,
                    pronouns = ?7, preferred_language = ?8, contact_consent = ?9, updated_at = ?10
             WHERE id = ?1",
            params![
                id,
                input.display_name,
                input.alias,
                input.phone,
                input.email,
                input.birth_year,
                input.pronouns,
                input.preferred_language,
                input.contact_consent,
                now
            ],
        )?;
        if changed == 0 {
            return Err(Error::People(PeopleError::PersonNotFound));
        }
        audit::record(tx, now, &actor, AuditEvent::PersonEdited, Some(id), "")?;
        get_in(tx, id)
    })
}

/// A person's whole record. Looking is itself recorded in the audit log.
pub fn get(desk: &mut Desk, session: &Session, id: &str) -> Result<Person> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ViewPerson)?;
        let person = get_in(tx, id)?;
        audit::record(tx, now, &actor, AuditEvent::PersonViewed, Some(id), "")?;
        Ok(person)
    })
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Person> {
    let contact_consent = CONTACT_CONSENT_OF_PEOPLE;
    conn.prepare_cached(&format!(
        "SELECT id, member_code, display_name, alias, phone, email, birth_year, pronouns, preferred_language,
                {contact_consent}, created_at, updated_at
         FROM people WHERE id = ?1"
    ))?
    .query_row([id], person_from_row)
    .optional()?
    .ok_or(Error::People(PeopleError::PersonNotFound))
}

fn person_from_row(row: &Row) -> rusqlite::Result<Person> {
    Ok(Person {
        id: row.get(0)?,
        member_code: row.get(1)?,
        display_name: row.get(2)?,
        alias: row.get(3)?,
        phone: row.get(4)?,
        email: row.get(5)?,
        birth_year: row.get(6)?,
        pronouns: row.get(7)?,
        preferred_language: row.get(8)?,
        contact_consent: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

/// How many people the desk knows.
fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM people", [], |row| row.get::<_, i64>(0))? as u64)
}

/// The search index and ranking, kept row by row by the triggers of migration 003, except
/// while a long history arrives. Catching up afterwards ranks people by their visits, which is
/// the visits' upkeep ([`catch_up_search`]).
struct SearchUpkeep;

impl Upkeep for SearchUpkeep {
    /// Rebuilding costs about one write per person: worth it when more changes come than that.
    fn before_catch_up(&self, tx: &Transaction, incoming: u64) -> Result<bool> {
        if incoming <= count(tx)? {
            return Ok(false);
        }
        defer_search_upkeep(tx)?;
        Ok(true)
    }

    /// No old segment of the index may still hold a forgotten person's words.
    fn after_erasing(&self, conn: &Connection) -> Result<()> {
        conn.execute("INSERT INTO people_search (people_search) VALUES ('optimize')", [])?;
        Ok(())
    }
}

/// Noted in `sync_state` while the search index and ranking are not kept row by row (see
/// migration 003): writing a long history is several times faster without that upkeep.
const SEARCH_INDEX_STALE: &str = "search_index_stale";

/// Stops keeping the search index and ranking up to date with each write, until
/// [`catch_up_search`] rebuilds them once.
pub(crate) fn defer_search_upkeep(tx: &Transaction) -> Result<()> {
    tx.execute("INSERT OR IGNORE INTO sync_state (key, value) VALUES (?1, '1')", [SEARCH_INDEX_STALE])?;
    Ok(())
}

/// If upkeep was deferred: ranks everyone by when they were last seen (registered, or checked
/// in as `last_visits` says: SQL giving `person_id, last_visit` rows), as the triggers would
/// have, and rebuilds the search index. True if it had to.
pub(crate) fn catch_up_search(tx: &Transaction, last_visits: &str) -> Result<bool> {
    let stale: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM sync_state WHERE key = ?1)", [SEARCH_INDEX_STALE], |row| {
            row.get(0)
        })?;
    if !stale {
        return Ok(false);
    }
    // Ranks are the rowid: everyone steps aside to a negative one first, so no new rank
    // collides with an old one still in place.
    tx.execute_batch(&format!(
        "CREATE TEMP TABLE people_ranked (id TEXT PRIMARY KEY, rank INTEGER NOT NULL) WITHOUT ROWID;
         INSERT INTO temp.people_ranked (id, rank)
         SELECT id, slot + ROW_NUMBER() OVER (PARTITION BY slot ORDER BY id) - 1 AS rank
         FROM (SELECT p.id, CAST(MAX(unixepoch(p.created_at, 'subsec'),
                                     COALESCE(unixepoch(v.last_visit, 'subsec'), 0)) * 1000 AS INTEGER) * 1000000 AS slot
               FROM people p LEFT JOIN ({last_visits}) v ON v.person_id = p.id);
         UPDATE people SET recency_rank = -recency_rank;
         UPDATE people SET recency_rank = (SELECT rank FROM temp.people_ranked ranked WHERE ranked.id = people.id);
         DROP TABLE temp.people_ranked;
         INSERT INTO people_search (people_search) VALUES ('rebuild');"
    ))?;
    tx.execute("DELETE FROM sync_state WHERE key = ?1", [SEARCH_INDEX_STALE])?;
    Ok(true)
}

/// Member codes avoid letters that read like digits (I, L, O, U) and always mix letters and
/// digits, so a code never looks like a name typed into the search box. They start with a
/// letter, so a card scanned while the services panel has focus is not taken for the number
/// keys that mark services.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH: usize = 6;

/// A code as the desk stores it, or `None` if `text` cannot be one.
pub fn normalize_member_code(text: &str) -> Option<String> {
    let code: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let valid = code.len() == CODE_LENGTH
        && code.bytes().all(|b| CODE_ALPHABET.contains(&b))
        && code.bytes().next().is_some_and(|b| CODE_LETTERS.contains(&b))
        && code.bytes().any(|b| b.is_ascii_digit());
    valid.then_some(code)
}

/// A forgotten person's record takes no edits and no consent answers: nothing can bring back
/// who they were.
pub(crate) fn ensure_not_forgotten(conn: &Connection, id: &str) -> Result<()> {
    let forgotten: bool = conn
        .query_row("SELECT forgotten_at IS NOT NULL FROM people WHERE id = ?1", [id], |row| row.get(0))
        .optional()?
        .unwrap_or(false);
    if forgotten {
        return Err(Error::People(PeopleError::PersonForgotten));
    }
    Ok(())
}

fn unused_member_code(tx: &Transaction) -> Result<String> {
    let mut taken = tx.prepare_cached("SELECT 1 FROM people WHERE member_code = ?1")?;
    loop {
        let first = CODE_LETTERS[fastrand::usize(..CODE_LETTERS.len())] as char;
        let rest = (1..CODE_LENGTH).map(|_| CODE_ALPHABET[fastrand::usize(..CODE_ALPHABET.len())] as char);
        let code: String = std::iter::once(first).chain(rest).collect();
        if normalize_member_code(&code).is_some() && !taken.exists([&code])? {
            return Ok(code);
        }
    }
}

crate::error::domain_errors! {
    /// What stops a person's record from being saved or found.
    pub enum PeopleError, codes PeopleErrorCode {
        #[error("A display name is needed: a first name and last initial, or an alias.")]
        DisplayNameRequired in "display_name",
        #[error("That email address doesn't look right (it needs an @ and a domain).")]
        InvalidEmail in "email",
        #[error("A phone number needs 7 to 15 digits.")]
        InvalidPhone in "phone",
        #[error("Year of birth must be between {min} and {max}.")]
        InvalidBirthYear { min: i32, max: i32 } in "birth_year",
        #[error("No person with that id or member code.")]
        PersonNotFound,
        #[error("This person was forgotten at the center's request: their record cannot be changed.")]
        PersonForgotten,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_desk::{find_by_member_code, possible_duplicates, search};
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;
    use crate::visits;

    fn named(name: &str) -> PersonInput {
        PersonInput { display_name: name.into(), ..Default::default() }
    }

    #[test]
    fn a_display_name_is_all_that_is_required() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let person = register(&mut desk, &OPERATOR, &named("  Dan   R. ")).unwrap();
        assert_eq!(person.display_name, "Dan R.");
        assert_eq!(person.alias, None);
        assert!(normalize_member_code(&person.member_code).is_some());
        assert_eq!(get(&mut desk, &OPERATOR, &person.id).unwrap(), person);
    }

    #[test]
    fn bad_input_is_refused_with_the_field_it_concerns() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let cases = [
            (named("   "), "display_name"),
            (named(&"x".repeat(61)), "display_name"),
            (PersonInput { email: Some("dan@".into()), ..named("Dan") }, "email"),
            (PersonInput { email: Some("dan at home".into()), ..named("Dan") }, "email"),
            (PersonInput { phone: Some("555".into()), ..named("Dan") }, "phone"),
            (PersonInput { phone: Some("call me".into()), ..named("Dan") }, "phone"),
            (PersonInput { birth_year: Some(1850), ..named("Dan") }, "birth_year"),
            (PersonInput { birth_year: Some(2027), ..named("Dan") }, "birth_year"),
            (PersonInput { alias: Some("y".repeat(61)), ..named("Dan") }, "alias"),
        ];
        for (input, field) in cases {
            let err = register(&mut desk, &OPERATOR, &input).unwrap_err();
            assert_eq!(err.field(), Some(field), "{input:?} gave {err}");
        }
        let count: i64 = desk.conn().query_row("SELECT COUNT(*) FROM people", [], |r| r.get(0)).unwrap();
        assert_eq!(count, 0, "nothing half-written");
    }

    #[test]
    fn optional_details_are_kept() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let input = PersonInput {
            display_name: "Maria G".into(),
            alias: Some("Mari".into()),
            phone: Some("+1 (555) 010-2030".into()),
            email: Some("maria@example.org".into()),
            birth_year: Some(1987),
            pronouns: Some("she/her".into()),
            preferred_language: Some("Spanish".into()),
            contact_consent: true,
        };
        let person = register(&mut desk, &OPERATOR, &input).unwrap();
        assert_eq!(person.phone.as_deref(), Some("+1 (555) 010-2030"));
        assert_eq!(person.birth_year, Some(1987));
        assert!(person.contact_consent);

        let edited =
            update(&mut desk, &OPERATOR, &person.id, &PersonInput { contact_consent: false, ..input }).unwrap();
        assert!(!edited.contact_consent);
        assert_eq!(edited.member_code, person.member_code);
    }

    #[test]
    fn search_ignores_case_and_accents_and_matches_alias_and_code() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let jose = register(&mut desk, &OPERATOR, &named("José R")).unwrap();
        let mike =
            register(&mut desk, &OPERATOR, &PersonInput { alias: Some("Big Mike".into()), ..named("Michael T") })
                .unwrap();
        register(&mut desk, &OPERATOR, &named("Joanne K")).unwrap();

        let names = |query: &str| -> Vec<String> {
            search(&desk, &OPERATOR, query, 10).unwrap().into_iter().map(|m| m.display_name).collect()
        };
        assert_eq!(names("jose"), ["José R"]);
        assert_eq!(names("JOSÉ r"), ["José R"]);
        assert_eq!(names("big"), ["Michael T"]);
        assert_eq!(names(&mike.member_code.to_lowercase()), ["Michael T"]);
        assert_eq!(names("jo").len(), 2);
        assert!(names("\"*)(").is_empty(), "search syntax in the query is harmless");
        assert_eq!(find_by_member_code(&desk, &OPERATOR, &jose.member_code).unwrap().unwrap().id, jose.id);
    }

    #[test]
    fn people_seen_recently_rank_first() {
        let mut desk = desk_at("2026-11-20T15:00:00Z");
        let never = register(&mut desk, &OPERATOR, &named("Dana A")).unwrap();
        let long_ago = register(&mut desk, &OPERATOR, &named("Dana B")).unwrap();
        let recent = register(&mut desk, &OPERATOR, &named("Dana C")).unwrap();
        let visit = visits::check_in(&mut desk, &OPERATOR, &long_ago.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        desk.clock.advance(chrono::Duration::days(2));
        visits::check_in(&mut desk, &OPERATOR, &recent.id, &[]).unwrap();

        let here = search(&desk, &OPERATOR, "dana", 10).unwrap();
        let ids: Vec<_> = here.iter().map(|m| m.id.clone()).collect();
        assert_eq!(
            ids,
            [long_ago.id.clone(), never.id.clone(), recent.id.clone()],
            "someone in the building comes last"
        );
        assert!(here[2].here_since.is_some());
        assert!(here[0].here_since.is_none());

        visits::check_out(&mut desk, &OPERATOR, here[2].open_visit_id.as_ref().unwrap()).unwrap();
        let ids: Vec<_> = search(&desk, &OPERATOR, "dana", 10).unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(ids, [recent.id, long_ago.id, never.id]);
    }

    #[test]
    fn the_search_index_stays_consistent_through_edits_and_visits() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = register(&mut desk, &OPERATOR, &named("Dan R")).unwrap();
        update(&mut desk, &OPERATOR, &dan.id, &PersonInput { alias: Some("Danny".into()), ..named("Daniel R") })
            .unwrap();
        let visit = visits::check_in(&mut desk, &OPERATOR, &dan.id, &[]).unwrap();
        visits::undo_check_in(&mut desk, &OPERATOR, &visit.id).unwrap();
        visits::check_in(&mut desk, &OPERATOR, &dan.id, &[]).unwrap();
        desk.conn().execute("INSERT INTO people_search (people_search) VALUES ('integrity-check')", []).unwrap();
        assert_eq!(search(&desk, &OPERATOR, "danny", 5).unwrap()[0].display_name, "Daniel R");
        assert!(search(&desk, &OPERATOR, "dan r", 5).unwrap().len() == 1);
    }

    #[test]
    fn search_deferred_during_a_long_write_ranks_and_finds_as_if_kept_row_by_row() {
        let mut desk = desk_at("2026-11-20T15:00:00Z");
        let never = register(&mut desk, &OPERATOR, &named("Dana A")).unwrap();
        desk.write_unrecorded(|tx, _| defer_search_upkeep(tx)).unwrap();
        let long_ago = register(&mut desk, &OPERATOR, &named("Dana B")).unwrap();
        let recent = register(&mut desk, &OPERATOR, &named("Dana C")).unwrap();
        update(&mut desk, &OPERATOR, &never.id, &named("Dana Old")).unwrap();
        let visit = visits::check_in(&mut desk, &OPERATOR, &long_ago.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        desk.clock.advance(chrono::Duration::days(2));
        let undone = visits::check_in(&mut desk, &OPERATOR, &never.id, &[]).unwrap();
        visits::undo_check_in(&mut desk, &OPERATOR, &undone.id).unwrap();
        let visit = visits::check_in(&mut desk, &OPERATOR, &recent.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        let indexed: Vec<_> = search(&desk, &OPERATOR, "dana", 10).unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(indexed, vec![never.id.clone()], "only who was indexed before upkeep was deferred");

        let last_visits = visits::LAST_VISITS;
        assert!(desk.write_unrecorded(|tx, _| catch_up_search(tx, last_visits)).unwrap());
        assert!(!desk.write_unrecorded(|tx, _| catch_up_search(tx, last_visits)).unwrap(), "once is enough");
        desk.conn().execute("INSERT INTO people_search (people_search) VALUES ('integrity-check')", []).unwrap();
        let ids: Vec<_> = search(&desk, &OPERATOR, "dana", 10).unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(
            ids,
            [recent.id.clone(), long_ago.id.clone(), never.id.clone()],
            "newest seen first; an undone visit does not count"
        );
        assert_eq!(search(&desk, &OPERATOR, "dana old", 5).unwrap().len(), 1);

        // Kept row by row again once caught up.
        let visit = visits::check_in(&mut desk, &OPERATOR, &never.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        assert_eq!(search(&desk, &OPERATOR, "dana", 10).unwrap()[0].id, never.id);
    }

    #[test]
    fn a_desk_closed_while_search_was_deferred_catches_up_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::DATABASE_FILE_NAME);
        let clock = std::sync::Arc::new(crate::FixedClock::at("2026-11-20T15:00:00Z"));
        let mut desk = Desk::open(&path, clock.clone()).unwrap();
        desk.write_unrecorded(|tx, _| defer_search_upkeep(tx)).unwrap();
        register(&mut desk, &OPERATOR, &named("Dana A")).unwrap();
        drop(desk);

        let desk = Desk::open(&path, clock).unwrap();
        assert_eq!(search(&desk, &OPERATOR, "dana", 5).unwrap().len(), 1);
    }

    #[test]
    fn many_people_registered_in_the_same_millisecond_all_get_a_rank() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        desk.write(|tx, now| {
            for n in 0..2_500 {
                insert(tx, now, &named(&format!("Pat {n}")), None)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(search(&desk, &OPERATOR, "pat", 10).unwrap().len(), 10);
    }

    #[test]
    fn an_older_visit_recorded_late_does_not_move_a_person_up() {
        let mut desk = desk_at("2026-11-20T15:00:00Z");
        let ann = register(&mut desk, &OPERATOR, &named("Dana A")).unwrap();
        let bea = register(&mut desk, &OPERATOR, &named("Dana B")).unwrap();
        desk.clock.advance(chrono::Duration::days(1));
        visits::check_in(&mut desk, &OPERATOR, &ann.id, &[]).unwrap();
        // Another desk's visit of Bea from last week arrives now (as sync will deliver it).
        let last_week = Timestamp::parse("2026-11-13T15:00:00Z").unwrap();
        desk.write(|tx, _| visits::insert(tx, last_week, Some(&bea.id), &[])).unwrap();
        // By id: a search for "dana a" also matches a member code that starts with A.
        for visit in visits::here_now(&desk, &OPERATOR).unwrap() {
            visits::check_out(&mut desk, &OPERATOR, &visit.visit_id).unwrap();
        }

        let ids: Vec<_> = search(&desk, &OPERATOR, "dana", 10).unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(ids, [ann.id, bea.id]);
    }

    #[test]
    fn similar_names_and_shared_contacts_are_hinted_as_duplicates() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = register(&mut desk, &OPERATOR, &named("Daniel R.")).unwrap();
        let sam = register(&mut desk, &OPERATOR, &PersonInput { phone: Some("555-010-9999".into()), ..named("Sam P") })
            .unwrap();

        let hint = |input: PersonInput| -> Vec<String> {
            possible_duplicates(&desk, &OPERATOR, &input, None).unwrap().into_iter().map(|m| m.id).collect()
        };
        assert_eq!(hint(named("daniel r")), [dan.id.clone()]);
        assert_eq!(hint(named("Danièl R")), [dan.id.clone()]);
        assert!(hint(named("Danielle Z")).is_empty());
        assert!(hint(named("Daniel P.")).is_empty(), "another last initial is another person");
        assert_eq!(hint(PersonInput { phone: Some("555-010-9999".into()), ..named("Samuel Q") }), [sam.id.clone()]);
        assert!(possible_duplicates(&desk, &OPERATOR, &named("Daniel R"), Some(&dan.id)).unwrap().is_empty());
    }

    #[test]
    fn member_codes_are_normalized_as_typed_or_scanned() {
        assert_eq!(normalize_member_code(" k7q-m4x ").as_deref(), Some("K7QM4X"));
        assert_eq!(normalize_member_code("DANIEL"), None, "a name is not a code");
        assert_eq!(normalize_member_code("K7QM4"), None);
        assert_eq!(normalize_member_code("K7QM4O"), None, "O is not in the alphabet");
        assert_eq!(normalize_member_code("7KQM4X"), None, "a code starts with a letter");
    }

    #[test]
    fn a_forgotten_person_leaves_no_trace_in_the_database_file() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let input = PersonInput {
            display_name: "Dana Quill".into(),
            alias: Some("Zephyrine".into()),
            phone: Some("555-555-0142".into()),
            ..Default::default()
        };
        // Enough neighbours that the search index and tables span many pages.
        for n in 0..300 {
            register(
                &mut desk,
                &OPERATOR,
                &PersonInput { display_name: format!("Neighbour {n}"), ..Default::default() },
            )
            .unwrap();
        }
        let dana = register(&mut desk, &OPERATOR, &input).unwrap();
        visits::check_in(&mut desk, &OPERATOR, &dana.id, &[]).unwrap();
        forget(&mut desk, &OPERATOR, &dana.id).unwrap();
        assert!(matches!(forget(&mut desk, &OPERATOR, &dana.id), Err(Error::People(PeopleError::PersonForgotten))));
        assert!(matches!(
            update(&mut desk, &OPERATOR, &dana.id, &input),
            Err(Error::People(PeopleError::PersonForgotten))
        ));

        let path = desk.path().to_owned();
        let mut files = vec![std::fs::read(&path).unwrap()];
        files.extend(std::fs::read(path.with_extension("sqlite3-wal")).ok());
        for trace in ["Quill", "Zephyrine", "555-555-0142"] {
            let held = files.iter().any(|file| file.windows(trace.len()).any(|window| window == trace.as_bytes()));
            assert!(!held, "{trace} is still in the desk's files");
        }
    }
}
