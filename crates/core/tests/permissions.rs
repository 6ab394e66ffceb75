//! The permission matrix: every core operation, called by an account of each role, is allowed
//! exactly when the center's policy (`Action::allowed_for`) says so. The policy itself is pinned
//! by a written-out table in `accounts`; this test pins that each operation asks for the right
//! action, and that none forgets to ask.

use porchlight_core::access::{self, Action, Role, Scope, Session};
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::audit::{self, AuditQuery};
use porchlight_core::consent::{self, ConsentKind};
use porchlight_core::export::{self, Days, Format};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::settings::{self, Settings};
use porchlight_core::sync::HubConnection;
use porchlight_core::{backup, demo, front_desk, hub_link, import, reports, services, visits, Desk, Error};
use porchlight_testkit::{harbor_house, TestDesk, ADMIN_PASSWORD, ADMIN_PIN};

/// What the operations work on: a person, a visit and a service that exist.
struct Fixture {
    person_id: String,
    member_code: String,
    visit_id: String,
    service_id: String,
    own_account_id: String,
    other_account_id: String,
    scratch: tempfile::TempDir,
}

type Operation = fn(&mut Desk, &Session, &Fixture) -> porchlight_core::Result<()>;

fn dana() -> PersonInput {
    PersonInput { display_name: "Dana P.".into(), ..Default::default() }
}

/// Every public operation that acts for someone, with the action it must ask for.
fn operations() -> Vec<(&'static str, Action, Operation)> {
    vec![
        ("front_desk::search", Action::SearchPeople, |d, s, _| front_desk::search(d, s, "dan", 8).map(drop)),
        ("front_desk::find_by_member_code", Action::SearchPeople, |d, s, f| {
            front_desk::find_by_member_code(d, s, &f.member_code).map(drop)
        }),
        ("people::get", Action::ViewPerson, |d, s, f| people::get(d, s, &f.person_id).map(drop)),
        ("people::register", Action::RegisterPerson, |d, s, _| people::register(d, s, &dana()).map(drop)),
        ("front_desk::possible_duplicates", Action::RegisterPerson, |d, s, _| {
            front_desk::possible_duplicates(d, s, &dana(), None).map(drop)
        }),
        ("people::update", Action::EditPerson, |d, s, f| people::update(d, s, &f.person_id, &dana()).map(drop)),
        ("people::forget", Action::ForgetPerson, |d, s, f| people::forget(d, s, &f.person_id)),
        ("consent::record", Action::EditPerson, |d, s, f| {
            consent::record(d, s, &f.person_id, ConsentKind::Photo, false).map(drop)
        }),
        ("consent::current", Action::ViewPerson, |d, s, f| consent::current(d, s, &f.person_id).map(drop)),
        ("consent::history", Action::ViewPerson, |d, s, f| consent::history(d, s, &f.person_id).map(drop)),
        ("visits::check_in", Action::CheckIn, |d, s, f| visits::check_in(d, s, &f.person_id, &[]).map(drop)),
        ("visits::check_in_anonymous", Action::CheckIn, |d, s, _| visits::check_in_anonymous(d, s, &[]).map(drop)),
        ("visits::check_out", Action::CheckOut, |d, s, f| visits::check_out(d, s, &f.visit_id).map(drop)),
        ("visits::check_out_everyone", Action::CheckOut, |d, s, _| visits::check_out_everyone(d, s).map(drop)),
        ("visits::set_services", Action::CorrectVisit, |d, s, f| {
            visits::set_services(d, s, &f.visit_id, std::slice::from_ref(&f.service_id)).map(drop)
        }),
        ("visits::undo_check_in", Action::CorrectVisit, |d, s, f| visits::undo_check_in(d, s, &f.visit_id)),
        ("visits::get", Action::SeeWhoIsHere, |d, s, f| visits::get(d, s, &f.visit_id).map(drop)),
        ("visits::here_now", Action::SeeWhoIsHere, |d, s, _| visits::here_now(d, s).map(drop)),
        ("reports::today", Action::SeeTodaysFigures, |d, s, _| reports::today(d, s).map(drop)),
        ("services::list", Action::ReadCatalog, |d, s, _| services::list(d, s, false).map(drop)),
        ("services::add", Action::ManageServices, |d, s, _| services::add(d, s, "Haircuts").map(drop)),
        ("services::rename", Action::ManageServices, |d, s, f| {
            services::rename(d, s, &f.service_id, "Peer support (1:1)").map(drop)
        }),
        ("services::set_active", Action::ManageServices, |d, s, f| {
            services::set_active(d, s, &f.service_id, true).map(drop)
        }),
        ("services::reorder", Action::ManageServices, |d, s, f| {
            services::reorder(d, s, std::slice::from_ref(&f.service_id)).map(drop)
        }),
        ("settings::update", Action::ManageSettings, |d, s, _| {
            let center = Settings { center_name: "Harbor House".into(), time_zone: "America/Denver".into() };
            settings::update(d, s, &center).map(drop)
        }),
        ("hub_link::connect", Action::ConnectSync, |d, s, _| {
            // Nothing listens on port 9: an allowed connect gets as far as the network.
            hub_link::connect(d, s, &HubConnection::new("http://127.0.0.1:9", "AAAA-BBBB", "Front desk")).map(drop)
        }),
        ("hub_link::disconnect", Action::ConnectSync, |d, s, _| hub_link::disconnect(d, s)),
        ("export::people", Action::ExportPeople, |d, s, _| {
            export::people(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("export::visits", Action::ExportVisits, |d, s, _| {
            export::visits(d, s, Days::default(), Format::Csv, std::io::sink()).map(drop)
        }),
        ("import::people_csv", Action::ImportPeople, |d, s, _| {
            import::people_csv(d, s, "display_name\nLee T.\n".as_bytes()).map(drop)
        }),
        ("backup::to_file", Action::Backup, |d, s, f| {
            backup::to_file(d, s, &f.scratch.path().join(porchlight_core::new_id()))
        }),
        ("demo::seed", Action::MakeDemo, |d, s, _| demo::seed(d, s, demo::Size::SMALL)),
        ("accounts::list", Action::ManageAccounts, |d, s, _| accounts::list(d, s).map(drop)),
        ("accounts::create", Action::ManageAccounts, |d, s, _| {
            let input = AccountInput {
                name: format!("Temp {}", porchlight_core::new_id()),
                roles: vec![Role::Facilitator],
                pin: "5927".into(),
                ..Default::default()
            };
            accounts::create(d, s, &input).map(drop)
        }),
        ("accounts::update", Action::ManageAccounts, |d, s, f| {
            accounts::update(d, s, &f.other_account_id, "Lee T.", &[Role::Facilitator]).map(drop)
        }),
        ("accounts::link_person", Action::ManageAccounts, |d, s, f| {
            accounts::link_person(d, s, &f.other_account_id, Some(&f.person_id)).map(drop)
        }),
        ("accounts::set_active", Action::ManageAccounts, |d, s, f| {
            accounts::set_active(d, s, &f.other_account_id, true).map(drop)
        }),
        ("accounts::unlock", Action::ManageAccounts, |d, s, f| accounts::unlock(d, s, &f.other_account_id).map(drop)),
        ("accounts::set_pin (someone else's)", Action::ManageAccounts, |d, s, f| {
            accounts::set_pin(d, s, &f.other_account_id, "5927")
        }),
        ("audit::browse", Action::ReadAuditLog, |d, s, _| audit::browse(d, s, &AuditQuery::default()).map(drop)),
    ]
}

/// Operations on the acting account's own records, which a role whose scope is only its own
/// records may take.
fn operations_on_ones_own() -> Vec<(&'static str, Action, Operation)> {
    // Not set_password: changing a password one has asks for it whatever the roles (accounts' tests).
    vec![("accounts::set_pin (one's own)", Action::ChangeOwnSecret, |d, s, f| {
        accounts::set_pin(d, s, &f.own_account_id, "6093")
    })]
}

/// A center with Lee's account to act on, its admin, and `role`'s account signed in.
fn center_with(role: Role, by_password: bool) -> (TestDesk, Session, Session, Accounts) {
    let mut desk = TestDesk::unenrolled("2026-11-23T15:00:00Z");
    let admin = accounts::first_run(&mut desk.desk, &harbor_house()).unwrap();
    let other = AccountInput {
        name: "Lee T.".into(),
        roles: vec![Role::Facilitator],
        pin: "7392".into(),
        ..Default::default()
    };
    let other = accounts::create(&mut desk.desk, &admin, &other).unwrap();
    let (session, own) = if role == Role::Admin {
        let id = admin.account_id().unwrap().to_owned();
        let session = if by_password {
            accounts::sign_in_with_password(&mut desk.desk, &id, ADMIN_PASSWORD)
        } else {
            accounts::sign_in_with_pin(&mut desk.desk, &id, ADMIN_PIN)
        };
        (session.unwrap(), id)
    } else {
        let input =
            AccountInput { name: format!("{role:?}"), roles: vec![role], pin: "2468".into(), ..Default::default() };
        let account = accounts::create(&mut desk.desk, &admin, &input).unwrap();
        (accounts::sign_in_with_pin(&mut desk.desk, &account.id, "2468").unwrap(), account.id)
    };
    (desk, admin, session, Accounts { own, other: other.id })
}

struct Accounts {
    own: String,
    other: String,
}

/// A person just checked in, made by the admin for the next operation to work on.
fn fixture(desk: &mut Desk, admin: &Session, accounts: &Accounts) -> Fixture {
    let person = people::register(desk, admin, &dana()).unwrap();
    let visit = visits::check_in(desk, admin, &person.id, &[]).unwrap();
    Fixture {
        person_id: person.id,
        member_code: person.member_code,
        visit_id: visit.id,
        service_id: services::list(desk, admin, false).unwrap()[0].id.clone(),
        own_account_id: accounts.own.clone(),
        other_account_id: accounts.other.clone(),
        scratch: tempfile::tempdir().unwrap(),
    }
}

#[test]
fn every_operation_is_allowed_exactly_when_the_acting_roles_allow_it() {
    let mut wrong = Vec::new();
    let signed_in = Role::ALL.iter().map(|role| (*role, true)).chain([(Role::Admin, false)]);
    for (role, by_password) in signed_in {
        let (mut desk, admin, session, accounts) = center_with(role, by_password);
        let on_any = operations().into_iter().map(|operation| (operation, false));
        for ((name, action, operation), ones_own) in
            on_any.chain(operations_on_ones_own().into_iter().map(|o| (o, true)))
        {
            let fixture = fixture(&mut desk.desk, &admin, &accounts);
            let result = operation(&mut desk.desk, &session, &fixture);
            let refused = matches!(result, Err(Error::NotAllowed { .. } | Error::PasswordNeeded { .. }));
            let in_scope = match action.scope_for(&[role]) {
                Some(Scope::Any) => true,
                Some(Scope::Own) => ones_own,
                None => false,
            };
            let should_be_allowed = in_scope && (by_password || !action_is_admin_only(action));
            if refused == should_be_allowed {
                let how = if by_password { "" } else { " signed in by PIN" };
                wrong.push(format!("{role:?}{how} {name}: {result:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "operations allowed or refused against the policy:\n{}", wrong.join("\n"));
}

/// Admin-only actions, which ask for the password rather than a PIN.
fn action_is_admin_only(action: Action) -> bool {
    Role::ALL.iter().filter(|role| **role != Role::Admin).all(|role| !action.allowed_for(&[*role]))
}

/// Every action for every role, on any record, on the account's own record and on another's:
/// refused or allowed exactly as the action's scope says.
#[test]
fn each_action_reaches_exactly_the_records_its_scope_allows() {
    let mut wrong = Vec::new();
    for role in Role::ALL.iter().copied() {
        let (desk, _admin, session, accounts) = center_with(role, true);
        for action in Action::ALL.iter().copied() {
            let scope = action.scope_for(&[role]);
            let cases = [
                ("any record", access::authorize(&desk.desk, &session, action), scope == Some(Scope::Any)),
                (
                    "its own",
                    access::authorize_own(&desk.desk, &session, action, Some(accounts.own.as_str())),
                    scope.is_some(),
                ),
                (
                    "another's",
                    access::authorize_own(&desk.desk, &session, action, Some(accounts.other.as_str())),
                    scope == Some(Scope::Any),
                ),
                ("nobody's", access::authorize_own(&desk.desk, &session, action, None), scope == Some(Scope::Any)),
            ];
            for (on, result, allowed) in cases {
                let refused = matches!(result, Err(Error::NotAllowed { .. }));
                if refused == allowed || (allowed && result.is_err()) {
                    wrong.push(format!("{role:?} {action:?} on {on}: {result:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "scopes not as the policy says:\n{}", wrong.join("\n"));
}
