//! One person, counted once: unduplicated figures are only as good as the people list. Two
//! records that the desk finds alike (similar names, one alias, the same phone or email, from
//! any desk's registrations) are offered to a coordinator as a likely pair; linked, they count as
//! one person in every unduplicated figure while each keeps its own history. Nothing is merged:
//! a link is a record of its own, it syncs, and unlinking puts the two back apart.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::front_desk::similar_names;
use crate::people::PeopleError;
use crate::recurrence::derived_id;
use crate::sync::entity::Table;
use crate::{text, Desk, Error, Result, Timestamp};

pub(crate) const SYNCED: Table = Table {
    entity: "person_link",
    table: "person_links",
    columns: &["person_id", "other_id", "same", "decided_at"],
    ..Table::PLAIN
};

/// One side of a pair, with enough to tell the two apart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PairSide {
    pub id: String,
    pub member_code: String,
    pub display_name: String,
    pub alias: Option<String>,
    pub registered_at: Timestamp,
    pub visits: u32,
    pub last_visit_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Pair {
    pub person: PairSide,
    pub other: PairSide,
    /// Why the desk thinks they may be one person, in words ("the same phone").
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SamePersonOverview {
    /// The likeliest pairs first (a shared phone or email before a similar name), at most [`MOST_PAIRS`].
    pub likely: Vec<Pair>,
    /// How many likely pairs there are in all.
    pub likely_total: u32,
    /// Pairs linked as one person, newest decision first.
    pub linked: Vec<Pair>,
}

/// How many likely pairs one look shows: a coordinator works down the list.
pub const MOST_PAIRS: usize = 100;

/// Who counts as whom: each record linked to others maps to one id of its cluster (links chain:
/// A with B and B with C are one person), so a set of ids counts people, not records.
#[derive(Debug, Default)]
pub(crate) struct Identities {
    canonical: HashMap<String, String>,
    members: HashMap<String, Vec<String>>,
}

impl Identities {
    pub(crate) fn load(conn: &Connection) -> Result<Identities> {
        let mut statement = conn.prepare_cached("SELECT person_id, other_id FROM person_links WHERE same = 1")?;
        let links = statement
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Union-find over the few linked records; the smallest id names the cluster.
        let mut parent: HashMap<String, String> = HashMap::new();
        fn root(parent: &HashMap<String, String>, id: &str) -> String {
            let mut at = id;
            while let Some(up) = parent.get(at).filter(|up| *up != at) {
                at = up;
            }
            at.to_owned()
        }
        for (a, b) in &links {
            let (ra, rb) = (root(&parent, a), root(&parent, b));
            let (low, high) = if ra <= rb { (ra, rb) } else { (rb, ra) };
            parent.insert(high, low.clone());
            parent.entry(low.clone()).or_insert(low);
        }
        let mut identities = Identities::default();
        for id in parent.keys() {
            let cluster = root(&parent, id);
            identities.members.entry(cluster.clone()).or_default().push(id.clone());
            identities.canonical.insert(id.clone(), cluster);
        }
        for members in identities.members.values_mut() {
            members.sort();
        }
        Ok(identities)
    }

    /// The id `person_id` counts as.
    pub(crate) fn of<'a>(&'a self, person_id: &'a str) -> &'a str {
        self.canonical.get(person_id).map(String::as_str).unwrap_or(person_id)
    }

    /// Every record of the person `canonical_id` names (itself alone when unlinked).
    pub(crate) fn records<'a>(&'a self, canonical_id: &'a str) -> Vec<&'a str> {
        match self.members.get(canonical_id) {
            Some(members) => members.iter().map(String::as_str).collect(),
            None => vec![canonical_id],
        }
    }

    /// Adds `person_id` to `seen` as the person it counts as, allocating only for a new one.
    pub(crate) fn insert(&self, seen: &mut HashSet<String>, person_id: &str) {
        let id = self.of(person_id);
        if !seen.contains(id) {
            seen.insert(id.to_owned());
        }
    }
}

/// The likely pairs not yet decided, and the pairs linked as one person.
pub fn overview(desk: &Desk, session: &Session) -> Result<SamePersonOverview> {
    access::authorize(desk, session, Action::LinkPeople)?;
    let conn = desk.conn();
    let decided: HashSet<(String, String)> = conn
        .prepare_cached("SELECT person_id, other_id FROM person_links")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let pairs = likely_pairs(conn)?;
    let undecided: Vec<_> = pairs.into_iter().filter(|(key, _)| !decided.contains(key)).collect();
    let likely_total = undecided.len() as u32;
    let mut likely = Vec::new();
    for ((person_id, other_id), reasons) in undecided.into_iter().take(MOST_PAIRS) {
        likely.push(Pair { person: side(conn, &person_id)?, other: side(conn, &other_id)?, reasons });
    }
    let linked_ids: Vec<(String, String)> = conn
        .prepare_cached("SELECT person_id, other_id FROM person_links WHERE same = 1 ORDER BY decided_at DESC")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut linked = Vec::new();
    for (person_id, other_id) in linked_ids {
        linked.push(Pair { person: side(conn, &person_id)?, other: side(conn, &other_id)?, reasons: Vec::new() });
    }
    Ok(SamePersonOverview { likely, likely_total, linked })
}

/// Links two records as one person.
pub fn link(desk: &mut Desk, session: &Session, person_id: &str, other_id: &str) -> Result<()> {
    decide(desk, session, person_id, other_id, true)
}

/// Marks two records as two people (so the pair is not offered again), or unlinks a linked pair.
pub fn keep_apart(desk: &mut Desk, session: &Session, person_id: &str, other_id: &str) -> Result<()> {
    decide(desk, session, person_id, other_id, false)
}

fn decide(desk: &mut Desk, session: &Session, person_id: &str, other_id: &str, same: bool) -> Result<()> {
    if person_id == other_id {
        return Err(Error::SamePerson(SamePersonError::LinkToItself));
    }
    let (first, second) = if person_id < other_id { (person_id, other_id) } else { (other_id, person_id) };
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::LinkPeople)?;
        for id in [first, second] {
            if !tx.prepare_cached("SELECT 1 FROM people WHERE id = ?1")?.exists([id])? {
                return Err(Error::People(PeopleError::PersonNotFound));
            }
        }
        let id = derived_id(&format!("same person {first} {second}"), "");
        tx.execute(
            "INSERT INTO person_links (id, person_id, other_id, same, decided_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET same = excluded.same, decided_at = excluded.decided_at",
            params![id, first, second, same, now],
        )?;
        let (event, detail) = if same {
            (AuditEvent::PeopleLinked, format!("linked with {second}"))
        } else {
            (AuditEvent::PeopleKeptApart, format!("kept apart from {second}"))
        };
        audit::record(tx, now, &actor, event, Some(first), &detail)
    })
}

fn side(conn: &Connection, id: &str) -> Result<PairSide> {
    conn.prepare_cached(
        "SELECT p.id, p.member_code, p.display_name, p.alias, p.created_at,
                (SELECT COUNT(*) FROM visits v WHERE v.person_id = p.id),
                (SELECT MAX(v.checked_in_at) FROM visits v WHERE v.person_id = p.id)
         FROM people p WHERE p.id = ?1",
    )?
    .query_row([id], |row| {
        Ok(PairSide {
            id: row.get(0)?,
            member_code: row.get(1)?,
            display_name: row.get(2)?,
            alias: row.get(3)?,
            registered_at: row.get(4)?,
            visits: row.get(5)?,
            last_visit_at: row.get(6)?,
        })
    })
    .optional()?
    .ok_or(Error::People(PeopleError::PersonNotFound))
}

/// Two records' ids, and why they look like one person.
type LikelyPair = ((String, String), Vec<String>);

/// Every pair of people (ids in order) who may be one, with the reasons, likeliest first (then
/// the newest registrations, where a second record of someone most often appears): the same
/// phone or email, or a similar name or the same alias with the same year of birth. A name or
/// alias alone is no evidence here: a center's "Dan R."s and "Sunny"s are mostly different
/// people, and at 20,000 people they alone make millions of pairs. Names are compared only
/// within the same first word and year.
fn likely_pairs(conn: &Connection) -> Result<Vec<LikelyPair>> {
    struct Known {
        id: String,
        name: String,
        alias: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        birth_year: Option<i32>,
    }
    let people: Vec<Known> = conn
        .prepare_cached(
            "SELECT id, display_name, alias, phone, email, birth_year FROM people WHERE forgotten_at IS NULL",
        )?
        .query_map([], |row| {
            Ok(Known {
                id: row.get(0)?,
                name: text::fold(&row.get::<_, String>(1)?),
                alias: row.get::<_, Option<String>>(2)?.map(|alias| text::fold(&alias)).filter(|a| !a.is_empty()),
                phone: row
                    .get::<_, Option<String>>(3)?
                    .map(|phone| phone.chars().filter(char::is_ascii_digit).collect()),
                email: row.get::<_, Option<String>>(4)?.map(|email| email.trim().to_lowercase()),
                birth_year: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut reasons: BTreeMap<(usize, usize), Vec<&'static str>> = BTreeMap::new();
    let mut note = |a: usize, b: usize, reason: &'static str| {
        let key = if people[a].id < people[b].id { (a, b) } else { (b, a) };
        let list = reasons.entry(key).or_default();
        if !list.contains(&reason) {
            list.push(reason);
        }
    };
    let mut by_key = |key: &dyn Fn(&Known) -> Option<String>, reason: &'static str| {
        let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, person) in people.iter().enumerate() {
            if let Some(value) = key(person).filter(|value| !value.is_empty()) {
                buckets.entry(value).or_default().push(at);
            }
        }
        for bucket in buckets.values() {
            for (n, &a) in bucket.iter().enumerate() {
                for &b in &bucket[n + 1..] {
                    note(a, b, reason);
                }
            }
        }
    };
    by_key(&|p| p.phone.clone(), "the same phone");
    by_key(&|p| p.email.clone(), "the same email");
    by_key(
        &|p| p.alias.clone().zip(p.birth_year).map(|(alias, year)| format!("{year} {alias}")),
        "the same alias and year of birth",
    );
    let mut by_first_word_and_year: HashMap<(&str, i32), Vec<usize>> = HashMap::new();
    for (at, person) in people.iter().enumerate() {
        if let (Some(word), Some(year)) = (person.name.split(' ').next().filter(|w| !w.is_empty()), person.birth_year) {
            by_first_word_and_year.entry((word, year)).or_default().push(at);
        }
    }
    for bucket in by_first_word_and_year.values() {
        for (n, &a) in bucket.iter().enumerate() {
            for &b in &bucket[n + 1..] {
                if similar_names(&people[a].name, &people[b].name) {
                    let same = people[a].name == people[b].name;
                    note(
                        a,
                        b,
                        if same { "the same name and year of birth" } else { "similar names, the same year of birth" },
                    );
                }
            }
        }
    }
    let mut pairs: Vec<((String, String), Vec<String>)> = reasons
        .into_iter()
        .map(|((a, b), why)| {
            ((people[a].id.clone(), people[b].id.clone()), why.into_iter().map(str::to_owned).collect())
        })
        .collect();
    // A shared phone or email says more than a name; more reasons say more than one.
    let weight = |why: &[String]| why.iter().map(|w| if w.contains("year of birth") { 1 } else { 3 }).sum::<usize>();
    pairs.sort_by(|(a_ids, a), (b_ids, b)| weight(b).cmp(&weight(a)).then(b_ids.1.cmp(&a_ids.1)));
    Ok(pairs)
}

crate::error::domain_errors! {
    /// What stops two records from being linked as one person.
    pub enum SamePersonError, codes SamePersonErrorCode {
        #[error("A record cannot be linked with itself.")]
        LinkToItself,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{register, PersonInput};
    use crate::testkit::{desk_at, OPERATOR};

    fn person(desk: &mut Desk, name: &str, phone: Option<&str>) -> String {
        let input = PersonInput {
            display_name: name.into(),
            phone: phone.map(Into::into),
            birth_year: Some(1984),
            ..Default::default()
        };
        register(desk, &OPERATOR, &input).unwrap().id
    }

    #[test]
    fn alike_records_are_offered_until_decided_and_links_chain_into_one_person() {
        let mut desk = desk_at("2026-11-23T20:00:00Z");
        let dan = person(&mut desk, "Daniel R", Some("555-123-4567"));
        let danny = person(&mut desk, "Daniel R.", None);
        let phone_twin = person(&mut desk, "D Ramos", Some("(555) 123 4567"));
        person(&mut desk, "Maria S", None);
        let other_dan = PersonInput { display_name: "Daniel R".into(), birth_year: Some(1962), ..Default::default() };
        register(&mut desk, &OPERATOR, &other_dan).unwrap();
        register(&mut desk, &OPERATOR, &PersonInput { display_name: "Daniel R".into(), ..Default::default() }).unwrap();

        let overview = overview(&desk, &OPERATOR).unwrap();
        let pairs: Vec<(&str, &str, &[String])> = overview
            .likely
            .iter()
            .map(|pair| (pair.person.id.as_str(), pair.other.id.as_str(), pair.reasons.as_slice()))
            .collect();
        assert_eq!(overview.likely_total, 2, "a name alone, or with another year of birth, is no evidence: {pairs:?}");
        assert_eq!(pairs[0].2, ["the same phone"], "a shared phone comes first");
        assert_eq!(pairs[1].2, ["the same name and year of birth"]);

        link(&mut desk, &OPERATOR, &dan, &danny).unwrap();
        link(&mut desk, &OPERATOR, &phone_twin, &dan).unwrap();
        let overview = super::overview(&desk, &OPERATOR).unwrap();
        assert_eq!((overview.likely_total, overview.linked.len()), (0, 2));
        let identities = Identities::load(desk.conn()).unwrap();
        let one = identities.of(&dan);
        assert!([identities.of(&danny), identities.of(&phone_twin)].iter().all(|id| *id == one));
        assert_eq!(identities.records(one).len(), 3);

        keep_apart(&mut desk, &OPERATOR, &danny, &dan).unwrap();
        let identities = Identities::load(desk.conn()).unwrap();
        assert_ne!(identities.of(&danny), identities.of(&dan), "unlinked, they are two again");
        assert_eq!(identities.of(&phone_twin), identities.of(&dan));
        assert!(matches!(
            link(&mut desk, &OPERATOR, &dan, &dan),
            Err(Error::SamePerson(SamePersonError::LinkToItself))
        ));
        assert!(matches!(link(&mut desk, &OPERATOR, &dan, "nobody"), Err(Error::People(PeopleError::PersonNotFound))));
    }
}
