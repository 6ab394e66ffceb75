//! What a person has agreed to: to be contacted by phone, SMS or email, to be photographed, to
//! have their record shared with partner agencies. Each answer is kept with its date and who
//! recorded it; the newest answer of each kind is what holds, and the desk shows it at check-in.
//! The answers are kept with the person ([`people::CONSENTS`]), whose record works out "may we
//! contact you?" from them and whose forgetting erases them.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::{new_id, people, Desk, Result, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ConsentKind {
    ContactByPhone,
    ContactBySms,
    ContactByEmail,
    Photo,
    SharingWithPartners,
}

impl ConsentKind {
    pub const ALL: &'static [ConsentKind] = <ConsentKind as strum::VariantArray>::VARIANTS;

    /// The name it is stored and synced by: `contact_by_phone`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a person stands on one kind of consent. Never asked is the same as not given.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Consent {
    pub kind: ConsentKind,
    pub given: bool,
    /// When the answer that holds was recorded, and by whom; `None` if never asked.
    pub since: Option<Timestamp>,
    pub recorded_by_name: Option<String>,
}

/// One answer as it was recorded, for the history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConsentAnswer {
    pub id: String,
    /// A [`ConsentKind`] name (or one a newer desk asks about).
    pub kind: String,
    pub given: bool,
    pub recorded_at: Timestamp,
    pub recorded_by_name: String,
}

/// Records a person's answer on one kind of consent, and returns where they stand on every kind.
pub fn record(
    desk: &mut Desk,
    session: &Session,
    person_id: &str,
    kind: ConsentKind,
    given: bool,
) -> Result<Vec<Consent>> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::EditPerson)?;
        people::get_in(tx, person_id)?;
        people::ensure_not_forgotten(tx, person_id)?;
        tx.prepare_cached(
            "INSERT INTO consents (id, person_id, kind, given, recorded_at, recorded_by, recorded_by_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![new_id(), person_id, kind.as_str(), given, now, actor.account_id, actor.name])?;
        let detail = format!("{} {}", kind.as_str(), if given { "given" } else { "withdrawn" });
        audit::record(tx, now, &actor, AuditEvent::ConsentRecorded, Some(person_id), &detail)
    })?;
    current_in(desk.conn(), person_id)
}

/// Where a person stands on every kind of consent, as the desk shows it at check-in.
pub fn current(desk: &Desk, session: &Session, person_id: &str) -> Result<Vec<Consent>> {
    access::authorize(desk, session, Action::ViewPerson)?;
    people::get_in(desk.conn(), person_id)?;
    current_in(desk.conn(), person_id)
}

/// Every answer the person gave, newest first.
pub fn history(desk: &Desk, session: &Session, person_id: &str) -> Result<Vec<ConsentAnswer>> {
    access::authorize(desk, session, Action::ViewPerson)?;
    let mut statement = desk.conn().prepare_cached(
        "SELECT id, kind, given, recorded_at, recorded_by_name FROM consents WHERE person_id = ?1 AND kind != ?2
         ORDER BY recorded_at DESC, id DESC",
    )?;
    let rows = statement.query_map([person_id, people::ERASED_CONSENT_KIND], |row| {
        Ok(ConsentAnswer {
            id: row.get(0)?,
            kind: row.get(1)?,
            given: row.get(2)?,
            recorded_at: row.get(3)?,
            recorded_by_name: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn current_in(conn: &rusqlite::Connection, person_id: &str) -> Result<Vec<Consent>> {
    let mut newest = conn.prepare_cached(
        "SELECT given, recorded_at, recorded_by_name FROM consents WHERE person_id = ?1 AND kind = ?2
         ORDER BY recorded_at DESC, id DESC LIMIT 1",
    )?;
    let mut consents = Vec::new();
    for kind in ConsentKind::ALL.iter().copied() {
        let answer = newest
            .query_map(params![person_id, kind.as_str()], |row| {
                Ok((row.get::<_, bool>(0)?, row.get::<_, Timestamp>(1)?, row.get::<_, String>(2)?))
            })?
            .next()
            .transpose()?;
        consents.push(match answer {
            Some((given, since, by)) => Consent { kind, given, since: Some(since), recorded_by_name: Some(by) },
            None => Consent { kind, given: false, since: None, recorded_by_name: None },
        });
    }
    Ok(consents)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::access::{AccessError, Role};
    use crate::accounts::{self, AccountInput};
    use crate::audit::AuditQuery;
    use crate::people::{PeopleError, PersonInput};
    use crate::testkit::set_up;
    use crate::testkit::OPERATOR;
    use crate::testkit::{desk_at, TestDesk};
    use crate::Error;

    /// People's records work out "may we contact you?" from these kinds, in SQL of their own.
    #[test]
    fn the_contact_kinds_are_the_ones_a_persons_record_reads() {
        let contact = [ConsentKind::ContactByPhone, ConsentKind::ContactBySms, ConsentKind::ContactByEmail];
        for kind in ConsentKind::ALL.iter().copied() {
            let read = people::CONTACT_CONSENT_OF_PEOPLE.contains(&format!("'{}'", kind.as_str()));
            assert_eq!(read, contact.contains(&kind), "{kind:?}");
        }
    }

    struct Center {
        desk: TestDesk,
        admin: Session,
        front_desk: Session,
        person: String,
    }

    fn center() -> Center {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let admin = set_up(&mut desk);
        let input = AccountInput {
            name: "Sam K.".into(),
            roles: vec![Role::FrontDesk],
            pin: "5827".into(),
            ..Default::default()
        };
        let sam = accounts::create(&mut desk, &admin, &input).unwrap();
        let front_desk = accounts::sign_in_with_pin(&mut desk, &sam.id, "5827").unwrap();
        let person = people::register(
            &mut desk,
            &OPERATOR,
            &PersonInput { display_name: "Dana R.".into(), ..Default::default() },
        )
        .unwrap();
        Center { desk, admin, front_desk, person: person.id }
    }

    fn given(consents: &[Consent]) -> Vec<&str> {
        consents.iter().filter(|consent| consent.given).map(|consent| consent.kind.as_str()).collect()
    }

    #[test]
    fn the_newest_answer_of_each_kind_holds_and_the_history_keeps_them_all() {
        let Center { mut desk, admin, front_desk, person } = center();
        let never_asked = current(&desk, &front_desk, &person).unwrap();
        assert_eq!(never_asked.len(), 5);
        assert!(never_asked.iter().all(|consent| !consent.given && consent.since.is_none()));

        record(&mut desk, &front_desk, &person, ConsentKind::ContactBySms, true).unwrap();
        record(&mut desk, &front_desk, &person, ConsentKind::Photo, true).unwrap();
        desk.clock.advance(Duration::days(30));
        let now = record(&mut desk, &front_desk, &person, ConsentKind::Photo, false).unwrap();
        assert_eq!(given(&now), ["contact_by_sms"]);
        let photo = now.iter().find(|consent| consent.kind == ConsentKind::Photo).unwrap();
        assert_eq!(photo.since.unwrap().to_string(), "2026-12-23T15:00:00.000Z");
        assert_eq!(photo.recorded_by_name.as_deref(), Some("Sam K."));

        let answers = history(&desk, &front_desk, &person).unwrap();
        let answers: Vec<(&str, bool)> = answers.iter().map(|answer| (answer.kind.as_str(), answer.given)).collect();
        assert_eq!(answers, [("photo", false), ("photo", true), ("contact_by_sms", true)]);

        let consents =
            AuditQuery { subject_id: Some(person), event: Some(AuditEvent::ConsentRecorded), ..Default::default() };
        let log = audit::browse(&desk, &admin, &consents).unwrap();
        let details: Vec<&str> = log.iter().map(|entry| entry.detail.as_str()).collect();
        assert_eq!(details, ["photo withdrawn", "photo given", "contact_by_sms given"]);
    }

    #[test]
    fn forgetting_a_person_erases_their_answers_here_and_asks_the_hub_to_erase_them_too() {
        let Center { mut desk, admin, front_desk, person } = center();
        record(&mut desk, &front_desk, &person, ConsentKind::SharingWithPartners, true).unwrap();
        record(&mut desk, &front_desk, &person, ConsentKind::Photo, false).unwrap();
        people::forget(&mut desk, &admin, &person).unwrap();

        assert!(history(&desk, &admin, &person).unwrap().is_empty());
        let kept: Vec<(String, i64)> = {
            let mut statement = desk.conn().prepare("SELECT kind, given FROM consents WHERE person_id = ?1").unwrap();
            let rows = statement.query_map([&person], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(kept, [(people::ERASED_CONSENT_KIND.to_owned(), 0), (people::ERASED_CONSENT_KIND.to_owned(), 0)]);
        let asked: Vec<String> = {
            let mut statement = desk
                .conn()
                .prepare("SELECT erases FROM outbox WHERE entity = 'consent' AND erases IS NOT NULL")
                .unwrap();
            let rows = statement.query_map([], |row| row.get(0)).unwrap();
            rows.map(Result::unwrap).collect()
        };
        assert_eq!(asked.len(), 2, "each answer's change asks the hub to erase what it held");
        assert!(asked.iter().all(|fields| fields.contains("kind")), "{asked:?}");
    }

    #[test]
    fn may_we_contact_you_follows_the_contact_answers() {
        let Center { mut desk, front_desk, person, .. } = center();
        let contact_consent = |desk: &mut TestDesk| people::get(desk, &OPERATOR, &person).unwrap().contact_consent;
        record(&mut desk, &front_desk, &person, ConsentKind::Photo, true).unwrap();
        assert!(!contact_consent(&mut desk), "a photo is not contact");
        record(&mut desk, &front_desk, &person, ConsentKind::ContactByEmail, true).unwrap();
        assert!(contact_consent(&mut desk));
        record(&mut desk, &front_desk, &person, ConsentKind::ContactByPhone, true).unwrap();
        record(&mut desk, &front_desk, &person, ConsentKind::ContactByEmail, false).unwrap();
        assert!(contact_consent(&mut desk), "phone is still agreed");
        record(&mut desk, &front_desk, &person, ConsentKind::ContactByPhone, false).unwrap();
        assert!(!contact_consent(&mut desk));
    }

    #[test]
    fn only_roles_that_see_a_persons_record_see_or_record_consent() {
        let Center { mut desk, admin, person, .. } = center();
        let input = AccountInput {
            name: "Lee W.".into(),
            roles: vec![Role::Warmline],
            pin: "6093".into(),
            ..Default::default()
        };
        let lee = accounts::create(&mut desk, &admin, &input).unwrap();
        let warmline = accounts::sign_in_with_pin(&mut desk, &lee.id, "6093").unwrap();
        assert!(matches!(current(&desk, &warmline, &person), Err(Error::Access(AccessError::NotAllowed { .. }))));
        assert!(matches!(history(&desk, &warmline, &person), Err(Error::Access(AccessError::NotAllowed { .. }))));
        let refused = record(&mut desk, &warmline, &person, ConsentKind::Photo, true);
        assert!(matches!(refused, Err(Error::Access(AccessError::NotAllowed { .. }))));
        let unknown = record(&mut desk, &admin, "01933b00-0000-7000-8000-00000000dead", ConsentKind::Photo, true);
        assert!(matches!(unknown, Err(Error::People(PeopleError::PersonNotFound))));
        assert!(history(&desk, &admin, &person).unwrap().is_empty(), "nothing refused was kept");
    }
}
