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

/// Whether two folded names ([`text::fold`]) may be one person's, as typed by two people at two
/// desks. Two different last initials ("Priya R" and "Priya O") are two people, however close the
/// rest: a first name and last initial is how most people here are named; two last names must
/// be close in spelling. First names are one when one is a nickname of the other ("Tess" and
/// "Teresa") or they are close by Jaro-Winkler, which weighs a shared start ("Marie" and
/// "Maria", "Jon" and "John").
pub(crate) fn similar_names(a: &str, b: &str) -> bool {
    const SAME_LAST_NAME: f64 = 0.8;
    let (first_a, last_a) = a.split_once(' ').unwrap_or((a, ""));
    let (first_b, last_b) = b.split_once(' ').unwrap_or((b, ""));
    if !last_a.is_empty() && !last_b.is_empty() {
        if last_a.chars().next() != last_b.chars().next() {
            return false;
        }
        let full = |last: &str| last.chars().count() > 1;
        if full(last_a) && full(last_b) && strsim::normalized_damerau_levenshtein(last_a, last_b) < SAME_LAST_NAME {
            return false;
        }
    }
    same_first_name(first_a, first_b)
}

/// Whether two folded first names are one person's name, spelled or shortened two ways. The
/// feminine and masculine forms of a name ("Juan" and "Juana", "Mario" and "Maria") are two.
fn same_first_name(a: &str, b: &str) -> bool {
    const SIMILAR: f64 = 0.9;
    a == b || nicknames::of_one_name(a, b) || (!paired_forms(a, b) && strsim::jaro_winkler(a, b) >= SIMILAR)
}

/// "Juan" and "Juana", "Paul" and "Paula", "Julio" and "Julia": one name's two forms.
fn paired_forms(a: &str, b: &str) -> bool {
    let plus_a = |short: &str, long: &str| long.strip_suffix('a') == Some(short);
    let o_and_a = |x: &str, y: &str| x.strip_suffix('o').is_some_and(|stem| y.strip_suffix('a') == Some(stem));
    plus_a(a, b) || plus_a(b, a) || o_and_a(a, b) || o_and_a(b, a)
}

/// Names and the short forms people go by, in English and Spanish: "Tess" is Teresa's, and
/// "Pepe" José's. Each group is one name.
mod nicknames {
    const GROUPS: &[&[&str]] = &[
        &["teresa", "tess", "tessa", "terry", "teri", "tere"],
        &["rosa", "rose", "rosie", "rosita", "rosalind", "rosemary"],
        &["robert", "rob", "robbie", "bob", "bobby", "bert", "roberto", "beto"],
        &["william", "will", "bill", "billy", "willy", "liam", "guillermo", "memo"],
        &["james", "jim", "jimmy", "jamie", "diego", "santiago"],
        &["michael", "mike", "mikey", "mick", "miguel"],
        &["david", "dave", "davey"],
        &["daniel", "dan", "danny"],
        &["thomas", "tom", "tommy", "tomas"],
        &["anthony", "tony", "antonio", "tono"],
        &["elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "elisa", "isabel", "chabela"],
        &["katherine", "catherine", "kate", "katie", "kathy", "cathy", "kat", "catalina"],
        &["jennifer", "jen", "jenny"],
        &["christopher", "chris", "topher", "cristobal"],
        &["christine", "christina", "chris", "tina", "cristina"],
        &["samuel", "sam", "sammy"],
        &["samantha", "sam", "sammy"],
        &["alexander", "alex", "xander", "alejandro", "alex", "ale"],
        &["alexandra", "alex", "lexi", "sandra", "alejandra"],
        &["patrick", "pat", "paddy"],
        &["patricia", "pat", "patty", "trish", "tricia", "paty"],
        &["margaret", "maggie", "meg", "peggy", "marge", "margarita", "rita"],
        &["susan", "sue", "suzy", "susie", "susana"],
        &["joseph", "joe", "joey", "jose", "pepe"],
        &["john", "jack", "johnny", "jon", "juan", "juanito"],
        &["nicholas", "nick", "nicky", "nico", "nicolas"],
        &["steven", "stephen", "steve", "esteban"],
        &["benjamin", "ben", "benny", "benji"],
        &["gregory", "greg"],
        &["matthew", "matt", "mateo"],
        &["richard", "rick", "ricky", "rich", "dick", "ricardo"],
        &["charles", "charlie", "chuck", "carlos"],
        &["edward", "ed", "eddie", "ted", "eduardo", "lalo"],
        &["andrew", "andy", "drew", "andres"],
        &["timothy", "tim", "timmy"],
        &["francis", "frank", "frankie", "francisco", "paco", "pancho"],
        &["frances", "fran", "frankie", "francisca", "paquita"],
        &["guadalupe", "lupe", "lupita"],
        &["dolores", "lola", "lolita"],
        &["jesus", "chuy"],
        &["ignacio", "nacho"],
        &["enrique", "quique", "henry", "hank", "harry"],
        &["graciela", "chela", "grace", "gracie"],
        &["maria", "mari", "maru", "mary", "marie", "molly", "mia"],
        &["victoria", "vicky", "tori", "vicki"],
        &["deborah", "debbie", "deb"],
        &["rebecca", "becky", "becca", "rebeca"],
        &["abigail", "abby", "gail"],
        &["kimberly", "kim"],
        &["jessica", "jess", "jessie"],
        &["gabriel", "gabe", "gabi"],
        &["gabriela", "gabby", "gabi"],
        &["raymond", "ray", "ramon"],
        &["lawrence", "larry", "lorenzo"],
        &["leonard", "leo", "lenny", "leonardo"],
        &["ronald", "ron", "ronnie"],
        &["donald", "don", "donnie"],
        &["kenneth", "ken", "kenny"],
        &["douglas", "doug"],
        &["jacqueline", "jackie", "jacky"],
        &["cynthia", "cindy"],
        &["pamela", "pam"],
        &["barbara", "barb", "barbie"],
        &["dorothy", "dot", "dottie", "dolly"],
        &["eleanor", "ellie", "nell", "nora", "leonor"],
        &["alfredo", "alfred", "alfie", "fredo"],
        &["frederick", "fred", "freddy"],
        &["manuel", "manny", "manolo"],
        &["rafael", "rafa", "ralph"],
        &["fernando", "nando", "fer"],
        &["jorge", "george", "georgie"],
        &["geoffrey", "jeffrey", "geoff", "jeff"],
        &["sean", "shawn", "shaun"],
    ];

    /// Whether `a` and `b` (folded) are forms of one name.
    pub(super) fn of_one_name(a: &str, b: &str) -> bool {
        GROUPS.iter().any(|group| group.contains(&a) && group.contains(&b))
    }
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
    let alias = input.alias.as_deref().map(text::fold).filter(|alias| !alias.is_empty());
    let mut hints = Vec::new();
    if !name.is_empty() || alias.is_some() {
        // Every person is a candidate: a shortened name ("Tess") shares no prefix with the one
        // registered ("Teresa"), so the search index cannot narrow them. Most recent first.
        let mut statement = desk.conn().prepare_cached(
            "SELECT id, display_name, alias FROM people WHERE forgotten_at IS NULL ORDER BY recency_rank DESC",
        )?;
        let people = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<String>>(2)?))
        })?;
        let mut found = Vec::new();
        for person in people {
            let (id, display_name, their_alias) = person?;
            let same_name = !name.is_empty() && similar_names(&name, &text::fold(&display_name));
            let same_alias = alias.is_some() && their_alias.as_deref().map(text::fold) == alias;
            if same_name || same_alias {
                found.push(id);
                if found.len() > MOST {
                    break;
                }
            }
        }
        let mut one = desk.conn().prepare_cached(&format!("SELECT {MATCH_COLUMNS} FROM people p WHERE p.id = ?1"))?;
        for id in found {
            let mut hint = one.query_row([id], match_from_row)?;
            mark_if_here(desk.conn(), &mut hint)?;
            hints.push(hint);
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

#[cfg(test)]
mod tests {
    use super::similar_names;
    use crate::text;

    /// Pairs of names as two desks typed them, each labelled: one person, or two. Made from what
    /// a center's sign-in sheets hold: nicknames, Spanish short forms, accents, typos, a last
    /// initial, and the near names of different people the hint must leave alone.
    const LABELLED: &[(&str, &str, bool)] = &[
        ("Marie Q.", "Maria Q.", true),
        ("Rosie G.", "Rosa G.", true),
        ("Teresa B.", "Tess B.", true),
        ("Daniel R.", "Danny R.", true),
        ("Dan R", "Daniel R", true),
        ("Jon P.", "John P.", true),
        ("Bob T.", "Robert T.", true),
        ("Bill M.", "William M.", true),
        ("Liz K.", "Elizabeth K.", true),
        ("Katie S.", "Katherine S.", true),
        ("Jenny L.", "Jennifer L.", true),
        ("Pepe G.", "José G.", true),
        ("Lupe M.", "Guadalupe M.", true),
        ("Chuy R.", "Jesús R.", true),
        ("Paco D.", "Francisco D.", true),
        ("Lola V.", "Dolores V.", true),
        ("Nacho A.", "Ignacio A.", true),
        ("Beto H.", "Roberto H.", true),
        ("Memo C.", "Guillermo C.", true),
        ("José L.", "Jose L.", true),
        ("Andrés F.", "Andres F.", true),
        ("Mike W.", "Michael W.", true),
        ("Miguel W.", "Michael W.", true),
        ("Steve N.", "Stephen N.", true),
        ("Stephen N.", "Steven N.", true),
        ("Catherine O.", "Katherine O.", true),
        ("Geoffrey J.", "Jeffrey J.", true),
        ("Sara T.", "Sarah T.", true),
        ("Ana P.", "Anna P.", true),
        ("Debbie F.", "Deborah F.", true),
        ("Becky H.", "Rebecca H.", true),
        ("Alex M.", "Alexander M.", true),
        ("Alejandro M.", "Alex M.", true),
        ("Jackie D.", "Jacqueline D.", true),
        ("Tony B.", "Anthony B.", true),
        ("Chris E.", "Christopher E.", true),
        ("Danielle Z.", "Daniele Z.", true),
        ("Mohammed A.", "Mohamed A.", true),
        ("Aaliyah S.", "Aliyah S.", true),
        ("Shawn K.", "Sean K.", true),
        ("Daniel R.", "Daniel P.", false),
        ("Priya R.", "Priya O.", false),
        ("Danielle Z.", "Daniel R.", false),
        ("John R.", "Joan R.", false),
        ("Marco T.", "Maria T.", false),
        ("Mark T.", "Marta T.", false),
        ("Ana P.", "Ava P.", false),
        ("Rosa G.", "Rosalia M.", false),
        ("Tess B.", "Tessa K.", false),
        ("Juan C.", "Juana C.", false),
        ("Carlos V.", "Carla V.", false),
        ("Luis F.", "Luisa F.", false),
        ("Mateo S.", "Marta S.", false),
        ("Sam W.", "Pam W.", false),
        ("Ben T.", "Ken T.", false),
        ("Ray H.", "Roy H.", false),
        ("Dolores V.", "Lorena V.", false),
        ("Jesse M.", "Jessica N.", false),
        ("Gabriel A.", "Raquel A.", false),
        ("Emma L.", "Emily L.", false),
        ("Liam P.", "Lila P.", false),
        ("Noah B.", "Nora B.", false),
        ("Olivia G.", "Oliver G.", false),
        ("Hannah K.", "Anna K.", false),
        ("Eric D.", "Erica D.", false),
        ("Ashley F.", "Ashton F.", false),
        ("Jordan M.", "Jordyn S.", false),
        ("Kayla R.", "Kyle R.", false),
        ("Andrea N.", "Andrew N.", false),
        ("Paula C.", "Paul C.", false),
    ];

    #[test]
    fn names_of_one_person_are_hinted_and_names_of_two_people_are_left_alone() {
        let (mut found_right, mut found_wrong, mut missed) = (0, 0, 0);
        let mut wrong = Vec::new();
        for (a, b, one_person) in LABELLED {
            let hinted = similar_names(&text::fold(a), &text::fold(b));
            match (hinted, *one_person) {
                (true, true) => found_right += 1,
                (true, false) => found_wrong += 1,
                (false, true) => missed += 1,
                (false, false) => {}
            }
            if hinted != *one_person {
                wrong.push(format!("{a} / {b}: {}", if hinted { "hinted" } else { "missed" }));
            }
        }
        let precision = f64::from(found_right) / f64::from(found_right + found_wrong);
        let recall = f64::from(found_right) / f64::from(found_right + missed);
        eprintln!("{} labelled pairs: precision {precision:.3}, recall {recall:.3}; wrong: {wrong:?}", LABELLED.len());
        assert!(precision >= 0.9 && recall >= 0.9, "precision {precision:.3}, recall {recall:.3}: {wrong:?}");
    }
}
