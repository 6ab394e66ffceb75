//! Real desks syncing through a hub served on 127.0.0.1, on each store (a SQLite file, and a
//! throwaway PostgreSQL server): what the desk's sync engine does with the hub's answers.

use std::path::Path;
use std::sync::Arc;

use porchlight_core::accounts::AccountsError;
use porchlight_core::sync::seal::CenterKey;
use porchlight_core::sync::{HubConnection, SyncError, SyncPhase, SyncProgress};
use porchlight_core::{accounts, demo, front_desk, hub_link, people, sync, Desk};
use porchlight_testkit::{harbor_house, ADMIN_PASSWORD, OPERATOR};

/// The test acting on desks directly, as the admin CLI's operator does.
use porchlight_hub::{ConnectionLimits, Database, Store};
use porchlight_testkit::postgres::PostgresServer;

/// Each test, once on each store.
macro_rules! on_each_store {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $test() {
                super::$test(super::Backend::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $test() {
                super::$test(super::Backend::Postgres)
            })*
        }
    };
}

on_each_store!(
    a_desk_does_not_download_what_it_just_pushed_yet_misses_nothing_from_others,
    a_first_sync_of_a_long_history_ranks_and_finds_people_as_the_desk_that_wrote_them,
    a_batch_the_hub_refuses_stops_the_sync_with_its_reason_and_keeps_the_rest_waiting,
    a_new_desk_joins_a_center_through_its_hub_by_approval_and_another_by_the_recovery_words,
    two_desks_taking_attendance_for_one_session_offline_converge,
    two_desks_filling_the_last_place_offline_keep_both_and_show_the_shift_over_filled,
    after_a_full_sync_of_the_demo_center_the_hubs_file_holds_no_name_phone_note_or_pin_hash,
    an_existing_center_upgrades_in_place_and_its_readable_history_at_the_hub_is_sealed,
    revoking_a_lost_desk_and_changing_the_key_leaves_its_key_opening_nothing_at_the_hub,
    a_center_that_chose_to_publishes_last_months_figures_and_nothing_else,
    a_rogue_desk_can_neither_make_a_change_other_desks_apply_nor_put_in_a_key_of_its_own,
    a_desk_two_hours_from_the_hubs_clock_sends_and_makes_nothing_until_an_admin_takes_the_hubs_time,
    a_center_whose_key_an_older_desk_named_registers_its_verifier_at_the_next_sync,
    a_desk_whose_hub_numbered_the_centers_changes_again_pulls_them_all_again_and_misses_none,
    desks_heal_a_hub_put_back_from_a_backup_and_every_desk_ends_with_every_record,
    a_desk_that_connected_after_the_hubs_backup_connects_again_and_sends_what_the_hub_lost,
    a_desk_put_back_from_yesterdays_backup_ends_its_next_sync_with_every_record_of_today,
    an_idle_round_is_one_request_to_the_hub_and_rewrites_nothing_at_the_desk,
    a_desk_syncs_through_a_hub_of_the_version_before_by_asking_it_the_old_way,
    a_hub_lying_about_its_newest_change_and_waiting_desks_only_holds_changes_back_while_it_lies,
);

#[derive(Clone, Copy, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Hub {
    url: String,
    store: Arc<dyn Store>,
    database: Database,
    /// The center's key, which every desk these tests connect already holds (how a desk comes
    /// to hold it has tests of its own below).
    key: CenterKey,
    /// Every request the hub answered, as "METHOD /path".
    requests: Arc<std::sync::Mutex<Vec<String>>>,
    runtime: tokio::runtime::Runtime,
}

impl Hub {
    /// The changes the hub holds: entity, record id and fields, as stored.
    fn held_changes(&self) -> Vec<(String, String, String)> {
        const HELD: &str = "SELECT entity, record_id, fields FROM changes ORDER BY seq";
        match &self.database {
            Database::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                let mut statement = conn.prepare(HELD).unwrap();
                let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap();
                rows.map(Result::unwrap).collect()
            }
            Database::Postgres(url) => {
                let mut client = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
                let rows = client.query(HELD, &[]).unwrap();
                rows.iter().map(|row| (row.get(0), row.get(1), row.get(2))).collect()
            }
        }
    }

    /// Runs `sql` on the hub's database, as an operator's tool or a migration would.
    fn execute(&self, sql: &str) {
        match &self.database {
            Database::Sqlite(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap(),
            Database::Postgres(url) => {
                ::postgres::Client::connect(url, ::postgres::NoTls).unwrap().batch_execute(sql).unwrap()
            }
        }
    }

    /// The number the center's newest change took.
    fn last_seq(&self) -> i64 {
        const LAST: &str = "SELECT last_seq FROM centers";
        match &self.database {
            Database::Sqlite(path) => rusqlite::Connection::open(path).unwrap().query_row(LAST, [], |row| row.get(0)),
            Database::Postgres(url) => {
                Ok(::postgres::Client::connect(url, ::postgres::NoTls).unwrap().query_one(LAST, &[]).unwrap().get(0))
            }
        }
        .unwrap()
    }

    /// The hub as it was put back from a backup taken when its newest change was `last_seq`.
    fn put_back_to(&self, last_seq: i64) {
        self.execute(&format!("DELETE FROM changes WHERE seq > {last_seq}; UPDATE centers SET last_seq = {last_seq}"));
    }

    /// Every change the hub holds for its first center, as a desk would pull it.
    fn held_as_pulled(&self) -> Vec<porchlight_protocol::PulledChange> {
        let center = self.store.centers().unwrap().remove(0);
        let pulled = self.store.pull(&center.id, 0, porchlight_protocol::MAX_PULL_LIMIT).unwrap();
        pulled
            .changes
            .iter()
            .map(|change| serde_json::from_str(&serde_json::to_string(change).unwrap()).unwrap())
            .collect()
    }

    /// The hub's files as they lie on its disk: SQLite's database and write-ahead log, or the
    /// files of the hub's PostgreSQL database (after a checkpoint has written them out).
    fn raw_bytes(&self) -> Vec<u8> {
        match &self.database {
            Database::Sqlite(path) => {
                let mut bytes = std::fs::read(path).unwrap();
                bytes.extend(std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default());
                bytes
            }
            Database::Postgres(url) => {
                let mut client = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
                client.batch_execute("CHECKPOINT").unwrap();
                let oid: u32 = client
                    .query_one("SELECT oid FROM pg_database WHERE datname = current_database()", &[])
                    .unwrap()
                    .get(0);
                let folder = PostgresServer::shared().data_dir().join("base").join(oid.to_string());
                let mut bytes = Vec::new();
                for file in std::fs::read_dir(folder).unwrap() {
                    bytes.extend(std::fs::read(file.unwrap().path()).unwrap());
                }
                bytes
            }
        }
    }
}

fn hub(dir: &Path, backend: Backend) -> Hub {
    hub_with(dir, backend, ConnectionLimits::default())
}

fn hub_with(dir: &Path, backend: Backend, limits: ConnectionLimits) -> Hub {
    let (database, store) = hub_database(dir, backend);
    let (runtime, listener, url) = listening();
    runtime.spawn(porchlight_hub::serve(listener, None, store.clone(), limits, std::future::pending()));
    Hub { url, store, database, key: CenterKey::generate(), requests: Arc::default(), runtime }
}

/// A hub that notes every request it answers in [`Hub::requests`] (its API alone, without the
/// connection limits [`porchlight_hub::serve`] adds).
fn hub_noting_requests(dir: &Path, backend: Backend) -> Hub {
    hub_answering(dir, backend, Version::This)
}

#[derive(Clone, Copy, PartialEq)]
enum Version {
    This,
    /// Its answer about the center says nothing of where its log stands or who waits to join.
    Before,
    /// A hostile hub: once its answer about the center first names a newest change, it answers
    /// the next `lies` times that its log still stands there, and that three desks wait to join.
    Lying {
        lies: usize,
    },
}

/// [`hub_noting_requests`], answering as a hub of `version`.
fn hub_answering(dir: &Path, backend: Backend, version: Version) -> Hub {
    use axum::extract::Request;
    use axum::middleware::Next;

    let (database, store) = hub_database(dir, backend);
    let (runtime, listener, url) = listening();
    let requests = Arc::<std::sync::Mutex<Vec<String>>>::default();
    let noted = requests.clone();
    // The log a lying hub keeps answering with, and how many times it has.
    let lie = Arc::<std::sync::Mutex<(Option<serde_json::Value>, usize)>>::default();
    let noting = axum::middleware::from_fn(move |request: Request, next: Next| {
        let asked = format!("{} {}", request.method(), request.uri().path());
        noted.lock().unwrap().push(asked.clone());
        let lie = lie.clone();
        async move {
            let response = next.run(request).await;
            if version == Version::This || asked != "GET /v1/center" {
                return response;
            }
            let (mut parts, body) = response.into_parts();
            let mut center: serde_json::Value =
                serde_json::from_slice(&axum::body::to_bytes(body, usize::MAX).await.unwrap()).unwrap();
            let center = center.as_object_mut().unwrap();
            match version {
                Version::Lying { lies } => {
                    let (told, times) = &mut *lie.lock().unwrap();
                    match told {
                        None if !center["log"]["last_change_id"].is_null() => *told = Some(center["log"].clone()),
                        Some(log) if *times < lies => {
                            center.insert("log".into(), log.clone());
                            center.insert("waiting_to_join".into(), 3.into());
                            *times += 1;
                        }
                        _ => {}
                    }
                }
                _ => {
                    center.remove("log");
                    center.remove("waiting_to_join");
                }
            }
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            axum::response::Response::from_parts(parts, axum::body::Body::from(serde_json::to_vec(center).unwrap()))
        }
    });
    let app = porchlight_hub::api::router(store.clone()).layer(noting);
    runtime.spawn(async move { axum::serve(listener, app).await });
    Hub { url, store, database, key: CenterKey::generate(), requests, runtime }
}

/// A runtime for the hub, and a listener on a free port of 127.0.0.1 with its URL.
fn listening() -> (tokio::runtime::Runtime, tokio::net::TcpListener, String) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (runtime, listener, url)
}

fn hub_database(dir: &Path, backend: Backend) -> (Database, Arc<dyn Store>) {
    let database = match backend {
        Backend::Sqlite => Database::Sqlite(dir.join("hub.sqlite3")),
        Backend::Postgres => Database::Postgres(PostgresServer::fresh_database()),
    };
    let store = database.open().unwrap();
    (database, store)
}

fn desk(dir: &Path, name: &str, hub: &Hub) -> Desk {
    let mut desk = desk_without_key(dir, name, hub);
    sync::hold_center_key(&mut desk, &hub.key).unwrap();
    desk
}

/// A desk connected to the hub that holds no key yet: it settles the center's key itself.
fn desk_without_key(dir: &Path, name: &str, hub: &Hub) -> Desk {
    let mut desk = Desk::open_dir(&dir.join(name)).unwrap();
    let code = hub.store.new_enrollment_code(None).unwrap();
    hub_link::connect(&mut desk, &OPERATOR, &HubConnection::new(&hub.url, &code, name)).unwrap();
    desk
}

fn register(desk: &mut Desk, name: &str) -> String {
    let input = people::PersonInput { display_name: name.into(), ..Default::default() };
    people::register(desk, &OPERATOR, &input).unwrap().id
}

/// The front desk and the warmline on `hub`, each having registered a person and sent them:
/// Idris Calloway from the front desk, then Noor Haddad from the warmline, whom the front desk
/// has not pulled yet.
fn front_and_warmline_each_sent_a_person(dir: &Path, hub: &Hub) -> (Desk, Desk) {
    let mut front = desk(dir, "front", hub);
    let mut warmline = desk(dir, "warmline", hub);
    register(&mut front, "Idris Calloway");
    sync::sync_now(&mut front, |_| {}).unwrap();
    register(&mut warmline, "Noor Haddad");
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    (front, warmline)
}

/// Syncs and returns the progress reported while pulling.
fn sync_noting_pulls(desk: &mut Desk) -> Vec<SyncProgress> {
    let mut pulls = Vec::new();
    sync::sync_now(desk, |progress| {
        if progress.phase == SyncPhase::Pulling {
            pulls.push(progress);
        }
    })
    .unwrap();
    pulls
}

fn a_desk_does_not_download_what_it_just_pushed_yet_misses_nothing_from_others(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let mut warmline = desk(dir.path(), "warmline", &hub);

    for name in ["Dana A", "Dana B", "Dana C"] {
        register(&mut front, name);
    }
    let pulls = sync_noting_pulls(&mut front);
    assert!(pulls.iter().all(|p| p.total == 0 && p.done == 0), "nothing to pull back: {pulls:?}");

    let from_warmline = register(&mut warmline, "Sam W");
    sync_noting_pulls(&mut warmline);
    // The front desk now pushes while behind: the warmline's change sits before its own.
    let own = register(&mut front, "Dana D");
    let pulls = sync_noting_pulls(&mut front);
    // The warmline's four changes (it connected, its desk key, Sam W, his registration in the
    // audit log) and the echo of the front desk's own two (Dana D and hers).
    assert_eq!(pulls.last().map(|p| p.done), Some(6), "the warmline's changes and its own echo");
    assert_eq!(people::get(&mut front, &OPERATOR, &from_warmline).unwrap().display_name, "Sam W");

    sync_noting_pulls(&mut warmline);
    assert_eq!(people::get(&mut warmline, &OPERATOR, &own).unwrap().display_name, "Dana D");
    assert_eq!(front_desk::search(&warmline, &OPERATOR, "dana", 10).unwrap().len(), 4);
}

fn a_first_sync_of_a_long_history_ranks_and_finds_people_as_the_desk_that_wrote_them(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut first = desk(dir.path(), "first", &hub);
    // More changes than the bulk threshold and than people: the new desk rebuilds its search once.
    demo::seed(
        &mut first,
        &OPERATOR,
        demo::Size { people: 1_500, visits: 9_000, days: 90, groups: 0, ..demo::Size::EMPTY },
    )
    .unwrap();
    sync::sync_now(&mut first, |_| {}).unwrap();

    let mut joining = desk(dir.path(), "joining", &hub);
    let pulls = sync_noting_pulls(&mut joining);
    let last = pulls.last().unwrap();
    assert!(last.done == last.total && last.done >= 10_500, "the whole history, with progress: {last:?}");

    let last_seen_slots = |desk: &Desk| -> Vec<(String, i64)> {
        let conn = rusqlite::Connection::open(desk.path()).unwrap();
        let mut statement = conn.prepare("SELECT id, recency_rank / 1000000 FROM people ORDER BY id").unwrap();
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_eq!(last_seen_slots(&joining), last_seen_slots(&first), "everyone ranked by when they were last seen");

    let conn = rusqlite::Connection::open(joining.path()).unwrap();
    conn.execute("INSERT INTO people_search (people_search) VALUES ('integrity-check')", []).unwrap();
    let codes: Vec<String> = {
        let mut statement = conn.prepare("SELECT member_code FROM people ORDER BY id LIMIT 50").unwrap();
        let rows = statement.query_map([], |row| row.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    for code in codes {
        let found = front_desk::search(&joining, &OPERATOR, &code, 5).unwrap();
        assert_eq!(found.first().map(|m| m.member_code.as_str()), Some(code.as_str()));
    }
}

fn a_batch_the_hub_refuses_stops_the_sync_with_its_reason_and_keeps_the_rest_waiting(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut desk = desk(dir.path(), "front", &hub);
    demo::seed(&mut desk, &OPERATOR, demo::Size { people: 3_000, visits: 0, days: 30, groups: 0, ..demo::Size::EMPTY })
        .unwrap();
    // A change no hub accepts, in the second of three batches (as if the outbox were damaged).
    let conn = rusqlite::Connection::open(desk.path()).unwrap();
    conn.execute(
        "UPDATE outbox SET hlc = 'not a clock' WHERE position = (SELECT position FROM outbox LIMIT 1 OFFSET 1500)",
        [],
    )
    .unwrap();

    // A sync first publishes the desk's own key for receiving the center's (one more change).
    let waiting = sync::status(&desk).unwrap().pending_changes + 1;

    let err = sync::sync_now(&mut desk, |_| {}).unwrap_err();
    assert!(matches!(err, porchlight_core::Error::Sync(SyncError::HubRefused { status: 422, .. })), "{err}");
    let status = sync::status(&desk).unwrap();
    assert_eq!(status.pending_changes, waiting - 1_000, "the first batch went; the rest wait");
    assert_eq!(status.problem.map(|p| p.code), Some(err.code().to_owned()));
}

fn a_new_desk_joins_a_center_through_its_hub_by_approval_and_another_by_the_recovery_words(backend: Backend) {
    use porchlight_core::Error;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    // The center's first desk: it makes the center's key at its first sync.
    let mut front = Desk::open_dir(&dir.path().join("front")).unwrap();
    let code = hub.store.new_enrollment_code(None).unwrap();
    hub_link::join_center(&mut front, &HubConnection::new(&hub.url, &code, "Front desk")).unwrap();
    let center = harbor_house();
    let rosa = accounts::first_run(&mut front, &center).unwrap();
    register(&mut front, "Dana A");
    sync::sync_now(&mut front, |_| {}).unwrap();
    let status = sync::status(&front).unwrap();
    assert!(status.sealed && status.recovery_sheet_waiting, "{status:?}");
    let words = hub_link::recovery_sheet(&front, &rosa).unwrap().expect("shown until written down");
    assert_eq!(words.len(), 24);

    // A desk that has staff is connected by an admin, not joined; the code is not spent on it.
    let code = hub.store.new_enrollment_code(None).unwrap();
    let mut other_center = Desk::open_dir(&dir.path().join("other")).unwrap();
    accounts::first_run(&mut other_center, &center).unwrap();
    let refused = hub_link::join_center(&mut other_center, &HubConnection::new(&hub.url, &code, "Other")).unwrap_err();
    assert!(matches!(refused, Error::Accounts(AccountsError::AlreadySetUp)), "{refused}");
    assert_eq!(sync::status(&other_center).unwrap().hub_url, None);

    // The warmline room joins and waits, showing a code; nothing of the center reaches it yet.
    let mut warmline = Desk::open_dir(&dir.path().join("warmline")).unwrap();
    assert!(accounts::needs_first_run(&warmline).unwrap());
    let joined = hub_link::join_center(&mut warmline, &HubConnection::new(&hub.url, &code, "Warmline room")).unwrap();
    assert_eq!(joined.hub_url.as_deref(), Some(hub.url.as_str()));
    let waiting = sync::sync_now(&mut warmline, |_| {}).unwrap_err();
    let Error::Sync(SyncError::WaitingToJoin { code: shown }) = waiting else {
        panic!("waits to be let in: {waiting}")
    };
    let status = sync::status(&warmline).unwrap();
    assert_eq!((status.join_code.as_deref(), status.sealed), (Some(shown.as_str()), false));
    assert!(accounts::needs_first_run(&warmline).unwrap(), "nothing arrived before it was let in");
    let Error::Sync(SyncError::WaitingToJoin { code: again }) = sync::sync_now(&mut warmline, |_| {}).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(again, shown, "the same request, the same code, however often it syncs");

    // Rosa sees it at the front desk with the same code, and lets it in.
    sync::sync_now(&mut front, |_| {}).unwrap();
    let asks = sync::status(&front).unwrap().join_requests;
    assert_eq!(
        asks.iter().map(|ask| (ask.desk_name.as_str(), ask.code.as_str())).collect::<Vec<_>>(),
        [("Warmline room", shown.as_str())]
    );
    let after = hub_link::let_desk_in(&mut front, &rosa, &asks[0].request_id).unwrap();
    assert!(after.join_requests.is_empty());
    let gone = hub_link::let_desk_in(&mut front, &rosa, &asks[0].request_id).unwrap_err();
    assert!(matches!(gone, Error::Sync(SyncError::JoinRequestGone)), "{gone}");

    sync::sync_now(&mut warmline, |_| {}).unwrap();
    let status = sync::status(&warmline).unwrap();
    assert!(status.sealed && status.join_code.is_none() && !status.recovery_sheet_waiting, "{status:?}");
    assert!(!accounts::needs_first_run(&warmline).unwrap(), "the center's staff arrived");
    assert_eq!(porchlight_core::settings::get(&warmline).unwrap(), porchlight_core::settings::get(&front).unwrap());
    let rosa_id = rosa.account_id().unwrap();
    let choices = accounts::sign_in_choices(&warmline).unwrap();
    assert_eq!(choices.iter().map(|choice| choice.account_id.as_str()).collect::<Vec<_>>(), [rosa_id]);
    let signed_in = accounts::sign_in_with_password(&mut warmline, rosa_id, ADMIN_PASSWORD).unwrap();
    assert_eq!(front_desk::search(&warmline, &signed_in, "dana", 5).unwrap().len(), 1);
    let log = porchlight_core::audit::browse(&warmline, &signed_in, &Default::default()).unwrap();
    let joining = log.iter().find(|entry| entry.detail.starts_with("joined the center")).expect("the join is audited");
    assert_eq!((joining.account_name.as_str(), joining.desk_name.as_deref()), ("Desk setup", Some("Warmline room")));

    // Once joined, the desk is set up: it cannot join again, nor be set up as a center of its own.
    let again =
        hub_link::join_center(&mut warmline, &HubConnection::new(&hub.url, "any", "Warmline room")).unwrap_err();
    assert!(matches!(again, Error::Accounts(AccountsError::AlreadySetUp)), "{again}");
    assert!(matches!(accounts::first_run(&mut warmline, &center), Err(Error::Accounts(AccountsError::AlreadySetUp))));

    // A third desk joins with the recovery words instead, typed as they were written down.
    let mut group_room = Desk::open_dir(&dir.path().join("group-room")).unwrap();
    let code = hub.store.new_enrollment_code(None).unwrap();
    hub_link::join_center(&mut group_room, &HubConnection::new(&hub.url, &code, "Group room")).unwrap();
    assert!(matches!(sync::sync_now(&mut group_room, |_| {}), Err(Error::Sync(SyncError::WaitingToJoin { .. }))));
    let mistyped = words[..23].join(" ");
    let err = hub_link::recover_center_key(&mut group_room, None, &mistyped).unwrap_err();
    assert_eq!((err.field(), err.code()), (Some("recovery_words"), "not_recovery_words"), "{err}");
    let another_key = CenterKey::generate().words().join(" ");
    let err = hub_link::recover_center_key(&mut group_room, None, &another_key).unwrap_err();
    assert!(matches!(err, Error::Sync(SyncError::RecoveryWordsOfAnotherKey)), "{err}");
    let written: Vec<String> =
        words.iter().enumerate().map(|(n, word)| format!("{}. {}", n + 1, word.to_uppercase())).collect();
    hub_link::recover_center_key(&mut group_room, None, &written.join("\n")).unwrap();
    sync::sync_now(&mut group_room, |_| {}).unwrap();
    assert!(!accounts::needs_first_run(&group_room).unwrap());
    let signed_in = accounts::sign_in_with_password(&mut group_room, rosa_id, ADMIN_PASSWORD).unwrap();
    assert_eq!(front_desk::search(&group_room, &signed_in, "dana", 5).unwrap().len(), 1);
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert!(sync::status(&front).unwrap().join_requests.is_empty(), "the words withdrew its request to join");

    let log = porchlight_core::audit::browse(&front, &rosa, &Default::default()).unwrap();
    let let_in = log.iter().find(|entry| entry.event == "desk_let_in").expect("letting it in is audited");
    assert_eq!((let_in.detail.as_str(), let_in.account_name.as_str()), ("Warmline room", "Rosa M."));

    // The recovery sheet stops showing once Rosa has written it down.
    hub_link::recovery_sheet_written_down(&mut front, &rosa).unwrap();
    assert_eq!(hub_link::recovery_sheet(&front, &rosa).unwrap(), None);
}

/// Two desks open the same session while apart (each from its own expansion of the schedule),
/// take attendance and count heads; after sync both hold one session, one mark per person
/// (the later desk's), the later headcount (not the sum) and one visit per person present.
fn two_desks_taking_attendance_for_one_session_offline_converge(backend: Backend) {
    use porchlight_core::groups::attendance::{self, AttendanceState};
    use porchlight_core::groups::{self, sessions, GroupInput, Repeat, Schedule, Weekday};

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut room = desk(dir.path(), "Group room", &hub);
    let mut front = desk(dir.path(), "Front desk", &hub);
    let every_day = Schedule {
        repeat: Repeat::Weekly,
        weekdays: vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ],
        every_weeks: 1,
        weeks_of_month: vec![1],
        starts_on: room.today().unwrap() - chrono::Duration::days(1),
        ends_on: None,
        start_time: "00:30".into(),
        duration_minutes: 60,
        skipped: Vec::new(),
    };
    let input = GroupInput { name: "SMART Recovery".into(), ..Default::default() };
    groups::create(&mut room, &OPERATOR, &input, Some(&every_day)).unwrap();
    let (ann, ben) = (register(&mut room, "Ann B"), register(&mut room, "Ben C"));
    sync::sync_now(&mut room, |_| {}).unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();

    let today = |desk: &Desk| sessions::upcoming(desk, &OPERATOR).unwrap().remove(0).id;
    let session = today(&room);
    assert_eq!(today(&front), session, "both desks name the session alike");
    for (desk, ann_state, ben_state, heads) in [
        (&mut room, AttendanceState::Present, AttendanceState::Absent, 2),
        (&mut front, AttendanceState::Present, AttendanceState::Present, 3),
    ] {
        attendance::mark(desk, &OPERATOR, &session, &ann, ann_state).unwrap();
        attendance::mark(desk, &OPERATOR, &session, &ben, ben_state).unwrap();
        attendance::set_headcount(desk, &OPERATOR, &session, Some(heads)).unwrap();
    }
    sync::sync_now(&mut room, |_| {}).unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut room, |_| {}).unwrap();

    for desk in [&mut room, &mut front] {
        let roster = attendance::roster(desk, &OPERATOR, &session).unwrap();
        let states: Vec<_> = roster.people.iter().map(|p| (p.display_name.as_str(), p.state)).collect();
        assert_eq!(states, [("Ann B", AttendanceState::Present), ("Ben C", AttendanceState::Present)]);
        assert_eq!((roster.session.present, roster.session.anonymous_count), (2, Some(3)));
        let figures = porchlight_core::reports::today(desk, &OPERATOR).unwrap();
        assert_eq!((figures.visits, figures.unique_people), (2, 2), "one visit each, though both desks marked Ann");
    }
}

/// Two desks each give the last place on tomorrow's warmline shift to someone while apart:
/// both assignments survive the sync, and both desks show the shift over-filled for a
/// coordinator to resolve, rather than one volunteer silently losing a shift they were told of.
fn two_desks_filling_the_last_place_offline_keep_both_and_show_the_shift_over_filled(backend: Backend) {
    use porchlight_core::volunteers::shifts::{self, Coverage};
    use porchlight_core::volunteers::templates::{self, OneOffInput};
    use porchlight_core::volunteers::{assignments, WARMLINE_ROLE};
    use porchlight_testkit::line_volunteer;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut office = desk(dir.path(), "Office", &hub);
    let mut front = desk(dir.path(), "Front desk", &hub);
    let tomorrow = office.today().unwrap() + chrono::Duration::days(1);
    let shift = OneOffInput {
        name: "Evening line".into(),
        role_id: WARMLINE_ROLE.into(),
        starts_at_local: format!("{tomorrow}T18:00"),
        ends_at_local: format!("{tomorrow}T21:00"),
        needed_min: 1,
        needed_ideal: None,
        location: None,
    };
    templates::add_one_off(&mut office, &OPERATOR, &shift).unwrap();
    let ana = line_volunteer(&mut office, "Ana P.", "2030-01-01");
    let ben = line_volunteer(&mut office, "Ben R.", "2030-01-01");
    sync::sync_now(&mut office, |_| {}).unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();

    let evening = |desk: &Desk| shifts::between(desk, &OPERATOR, tomorrow, tomorrow).unwrap().remove(0);
    let id = evening(&office).id;
    assert_eq!(evening(&front).id, id, "both desks name the shift alike");
    assert_eq!(assignments::assign(&mut office, &OPERATOR, &id, &ana).unwrap().coverage, Coverage::Covered);
    assert_eq!(assignments::assign(&mut front, &OPERATOR, &id, &ben).unwrap().coverage, Coverage::Covered);
    sync::sync_now(&mut office, |_| {}).unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut office, |_| {}).unwrap();
    for desk in [&office, &front] {
        let shift = evening(desk);
        let names: Vec<&str> = shift.holders.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["Ana P.", "Ben R."]);
        assert_eq!((shift.held, shift.coverage), (2, Coverage::Over));
    }
}

/// Every string of `sql` that is at least 4 characters long, from the desk's own database.
fn strings_in(desk_file: &Path, sql: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(desk_file).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    let rows = statement.query_map([], |row| row.get::<_, Option<String>>(0)).unwrap();
    rows.filter_map(Result::unwrap).filter(|text| text.chars().count() >= 4).collect()
}

fn after_a_full_sync_of_the_demo_center_the_hubs_file_holds_no_name_phone_note_or_pin_hash(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let size = demo::Size {
        people: 120,
        visits: 200,
        days: 30,
        groups: 2,
        calls: 40,
        call_days: 30,
        callers: 15,
        resources: 8,
        volunteers: 8,
        shift_templates: 2,
        shift_days: 14,
    };
    demo::seed(&mut front, &OPERATOR, size).unwrap();
    let forgotten = register(&mut front, "Quentin Zephyrine");
    sync::sync_now(&mut front, |_| {}).unwrap();
    let mut warmline = desk(dir.path(), "warmline", &hub);
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    people::forget(&mut front, &OPERATOR, &forgotten).unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();

    let desk_file = dir.path().join("front").join(porchlight_core::DATABASE_FILE_NAME);
    let mut secrets = strings_in(&desk_file, "SELECT display_name FROM people");
    for sql in [
        "SELECT phone FROM people",
        "SELECT email FROM people",
        "SELECT alias FROM people",
        "SELECT notes FROM warmline_calls",
        "SELECT text FROM warmline_caller_notes",
        "SELECT alias FROM warmline_callers",
        "SELECT pin_hash FROM accounts",
        "SELECT password_hash FROM accounts",
        "SELECT name FROM accounts",
    ] {
        secrets.extend(strings_in(&desk_file, sql));
    }
    secrets.push("Quentin Zephyrine".into());
    // Sealed values are base64url: a short word of its letters ("Bear", an alias) turns up in a
    // few megabytes of them by chance. A secret counts if it could not: a space, a dot, or length.
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    secrets.retain(|secret| secret.len() >= 8 || !secret.chars().all(base64url));
    assert!(
        secrets.len() > 150 && secrets.iter().any(|s| s.starts_with("$argon2")),
        "the demo's secrets: {}",
        secrets.len()
    );
    // Lossy: the bytes around a secret may be anything, but a secret's own UTF-8 stays whole.
    let bytes = String::from_utf8_lossy(&hub.raw_bytes()).into_owned();
    let found: Vec<&String> = secrets.iter().filter(|secret| bytes.contains(secret.as_str())).collect();
    assert!(found.is_empty(), "the hub's file holds {} of them, e.g. {:?}", found.len(), &found[..found.len().min(5)]);

    // Every value the hub holds is sealed, and the forgotten person's name was replaced in
    // every change to that record by the erasing change's value, unread.
    let rows: Vec<(String, String)> =
        hub.held_changes().into_iter().map(|(_, record_id, fields)| (record_id, fields)).collect();
    let mut names_of_forgotten = std::collections::BTreeSet::new();
    for (record_id, fields) in &rows {
        let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(fields).unwrap();
        for (field, value) in &fields {
            assert!(porchlight_protocol::sealed_with(value).is_some(), "{field} of {record_id} is readable: {value}");
        }
        if record_id == &forgotten {
            names_of_forgotten.extend(fields.get("display_name").map(ToString::to_string));
        }
    }
    assert!(rows.len() > 500, "{} changes", rows.len());
    assert_eq!(names_of_forgotten.len(), 1, "one sealed value left for the erased name: {names_of_forgotten:?}");
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert_ne!(people::get(&mut warmline, &OPERATOR, &forgotten).unwrap().display_name, "Quentin Zephyrine");
}

/// A center whose desks synced before sealing upgrades in place: the first desk to sync makes
/// the key and replaces the readable history at the hub with a sealed copy; the other desks are
/// let in and carry on, and the hub's file no longer holds a name it was sent.
fn an_existing_center_upgrades_in_place_and_its_readable_history_at_the_hub_is_sealed(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let connect = |name: &str| desk_without_key(dir.path(), name, &hub);
    let (mut front, mut group_room) = (connect("front"), connect("group-room"));
    // As desks synced before this version: readable at the hub.
    let names = ["Marisol Quintero", "Theodore Vance", "Yusuf Okonkwo"];
    let mut ids: Vec<String> = names[..2].iter().map(|name| register(&mut front, name)).collect();
    sync::sync_now_plain_for_comparison(&mut front).unwrap();
    ids.push(register(&mut group_room, names[2]));
    sync::sync_now_plain_for_comparison(&mut group_room).unwrap();
    sync::sync_now_plain_for_comparison(&mut front).unwrap();
    let held = String::from_utf8_lossy(&hub.raw_bytes()).into_owned();
    assert!(names.iter().all(|name| held.contains(name)), "readable before the upgrade");

    // The front desk upgrades first: it makes the key and seals the history, all at once.
    let mut phases = Vec::new();
    sync::sync_now(&mut front, |progress| phases.push(progress.phase)).unwrap();
    assert!(phases.contains(&SyncPhase::Sealing), "{phases:?}");
    let store = hub.store.centers().unwrap();
    assert!(store[0].key_id.is_some());
    // PostgreSQL keeps a replaced row's old version in its files until the table is rewritten
    // (VACUUM FULL, as the README's privacy notes say), so there what it holds is checked.
    // SQLite empties its write-ahead log at once, or, while a reader holds it, as soon as it can.
    let still_held = || {
        let bytes = match backend {
            Backend::Sqlite => String::from_utf8_lossy(&hub.raw_bytes()).into_owned(),
            Backend::Postgres => hub.held_changes().into_iter().map(|(_, _, fields)| fields).collect(),
        };
        names.iter().filter(|name| bytes.contains(**name)).collect::<Vec<_>>()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !still_held().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let left = still_held();
    assert!(left.is_empty(), "the hub's file still holds {left:?}");

    // The group room upgrades next: it waits to be let in, then carries on sealed.
    let Err(porchlight_core::Error::Sync(SyncError::WaitingToJoin { .. })) = sync::sync_now(&mut group_room, |_| {})
    else {
        panic!("the group room asks to join")
    };
    sync::sync_now(&mut front, |_| {}).unwrap();
    let ask = sync::status(&front).unwrap().join_requests.remove(0);
    hub_link::let_desk_in(&mut front, &OPERATOR, &ask.request_id).unwrap();
    let late = register(&mut front, "Wilhelmina Achterberg");
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut group_room, |_| {}).unwrap();
    assert_eq!(people::get(&mut group_room, &OPERATOR, &late).unwrap().display_name, "Wilhelmina Achterberg");
    assert_eq!(sync::status(&group_room).unwrap().unopened_changes, 0);
    // A desk set up afresh now opens the whole history, the part sealed late included.
    let mut newcomer = connect("newcomer");
    sync::hold_center_key(
        &mut newcomer,
        &CenterKey::from_words(&hub_link::recovery_sheet(&front, &OPERATOR).unwrap().unwrap().join(" ")).unwrap(),
    )
    .unwrap();
    sync::sync_now(&mut newcomer, |_| {}).unwrap();
    ids.push(late);
    let found: Vec<String> =
        ids.iter().map(|id| people::get(&mut newcomer, &OPERATOR, id).unwrap().display_name).collect();
    assert_eq!(found, [&names[..], &["Wilhelmina Achterberg"]].concat());
    assert!(!String::from_utf8_lossy(&hub.raw_bytes()).contains("Wilhelmina"), "sent sealed: in no file");
}

/// A laptop is lost: an admin revokes it from a desk and changes the center's key. The desks
/// still enrolled receive the new key sealed to them and carry on; the history at the hub is
/// sealed again with the new key, so the laptop's key opens nothing there, nor anything sent after.
fn revoking_a_lost_desk_and_changing_the_key_leaves_its_key_opening_nothing_at_the_hub(backend: Backend) {
    use porchlight_core::sync::seal;
    use porchlight_core::Error;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let connect = |name: &str| desk_without_key(dir.path(), name, &hub);
    let mut front = connect("front");
    register(&mut front, "Rosalind Featherstone");
    sync::sync_now(&mut front, |_| {}).unwrap();
    let words = hub_link::recovery_sheet(&front, &OPERATOR).unwrap().unwrap().join(" ");
    let old_key = CenterKey::from_words(&words).unwrap();
    let (mut warmline, mut laptop) = (connect("warmline"), connect("laptop"));
    for desk in [&mut warmline, &mut laptop] {
        hub_link::recover_center_key(desk, Some(&OPERATOR), &words).unwrap();
        sync::sync_now(desk, |_| {}).unwrap();
    }
    sync::sync_now(&mut front, |_| {}).unwrap();

    let desks = hub_link::center_desks(&front, &OPERATOR).unwrap();
    assert_eq!(
        desks.iter().map(|d| (d.name.as_str(), d.this_desk)).collect::<Vec<_>>(),
        [("front", true), ("warmline", false), ("laptop", false)]
    );
    let refused = hub_link::revoke_desk(&mut front, &OPERATOR, &desks[0].device_id, true).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::CannotRevokeThisDesk)), "{refused}");
    let status = hub_link::revoke_desk(&mut front, &OPERATOR, &desks[2].device_id, true).unwrap();
    assert!(status.recovery_sheet_waiting, "the new key's sheet waits to be written down");
    let new_words = hub_link::recovery_sheet(&front, &OPERATOR).unwrap().unwrap().join(" ");
    assert_ne!(new_words, words);
    let new_key = CenterKey::from_words(&new_words).unwrap();
    assert_eq!(hub.store.centers().unwrap()[0].key_id.as_deref(), Some(new_key.id()));
    let revoked = hub_link::center_desks(&front, &OPERATOR).unwrap();
    assert!(revoked[2].revoked_at.is_some() && revoked[1].revoked_at.is_none());

    // The warmline room collects the new key by itself, and the desks carry on.
    let late = register(&mut front, "Ignatius Fairweather");
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert!(sync::status(&warmline).unwrap().sealed);
    assert_eq!(people::get(&mut warmline, &OPERATOR, &late).unwrap().display_name, "Ignatius Fairweather");
    assert!(matches!(sync::sync_now(&mut laptop, |_| {}), Err(Error::Sync(SyncError::NotAuthorised))));

    // Every change at the hub is proven and opens with the new key, and none with the laptop's.
    let held = hub.held_as_pulled();
    let (mut opened, tried) = (0, held.len());
    for change in &held {
        assert!(seal::open_change(std::slice::from_ref(&old_key), change).is_err());
        opened += seal::open_change(std::slice::from_ref(&new_key), change).is_ok() as usize;
    }
    assert!(tried > 10 && opened == tried, "{opened} of {tried} changes open with the new key");
    let log = porchlight_core::audit::browse(&front, &OPERATOR, &Default::default()).unwrap();
    let entry = log.iter().find(|entry| entry.event == "desk_revoked").expect("audited");
    assert_eq!(entry.detail, "laptop; the center's key was changed");

    // The hub takes the laptop's side: lets it back in and names the old key again, and the
    // laptop changes the center's key to one of its own, proving its grants with the old key.
    hub.execute(&format!(
        "UPDATE devices SET revoked_at = NULL WHERE name = 'laptop';
         UPDATE centers SET key_id = '{}', key_verifier = NULL",
        old_key.id()
    ));
    hub_link::revoke_desk(&mut laptop, &OPERATOR, &desks[0].device_id, true).unwrap();
    let rogue_key = hub.store.centers().unwrap()[0].key_id.clone().unwrap();
    assert!(rogue_key != old_key.id() && rogue_key != new_key.id());
    register(&mut warmline, "Perpetua Oakenshield");
    let refused = sync::sync_now(&mut warmline, |_| {}).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::CenterKeyUntraced { .. })), "{refused}");
    let status = sync::status(&warmline).unwrap();
    assert_eq!(status.problem.map(|problem| problem.code).as_deref(), Some("center_key_untraced"));
    assert!(
        status.pending_changes >= 2,
        "Perpetua and her registration wait: nothing sent for the laptop's key to open"
    );
}

/// A center that chose to publish sends last month's figures at its sync: counts only, with
/// small counts hidden, the same as its own report says, and not again until they change. A
/// center that did not choose sends nothing.
fn a_center_that_chose_to_publishes_last_months_figures_and_nothing_else(backend: Backend) {
    use porchlight_core::{reports, settings};

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    demo::seed(&mut front, &OPERATOR, demo::Size { people: 60, visits: 400, days: 70, groups: 1, ..demo::Size::EMPTY })
        .unwrap();
    // The desk's round: a sync, then its figures.
    let sync_and_publish =
        |desk: &mut Desk| porchlight_core::round::run(desk, |_| {}).unwrap().synced.unwrap().unwrap().published;
    assert_eq!(sync_and_publish(&mut front), None, "off until an admin turns it on");

    let mut chosen = settings::report_settings(&front).unwrap();
    chosen.publish_to_network = true;
    settings::set_report_settings(&mut front, &OPERATOR, &chosen).unwrap();
    let month = sync_and_publish(&mut front).expect("published");
    assert_eq!(sync_and_publish(&mut front), None, "unchanged: not sent again");
    register(&mut front, "Today's Newcomer");
    assert_eq!(sync_and_publish(&mut front), None, "a change to this month leaves last month's as sent");

    let network = hub.store.network_figures(&month).unwrap();
    let published = network[0].figures.as_ref().expect("the center's figures");
    let first_day = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    assert_eq!(published, &reports::network::month_figures(&front, first_day).unwrap());
    assert!(matches!(published.visits, porchlight_protocol::Count::Exact(visits) if visits > 0), "{published:?}");
    let text = serde_json::to_string(published).unwrap();
    let names = porchlight_core::front_desk::search(&front, &OPERATOR, "a", 50).unwrap();
    assert!(!names.is_empty());
    for person in names {
        assert!(!text.contains(&person.display_name), "{} is in {text}", person.display_name);
    }
    let log = porchlight_core::audit::browse(&front, &OPERATOR, &Default::default()).unwrap();
    assert!(log.iter().any(|entry| entry.detail.contains("monthly figures published to the hub")), "audited");
}

/// The review's attack, played by an enrolled desk that holds no key (the hub's operator can do
/// the same): it forges a delete and an edit with a proof it cannot make, then names a center key
/// of its own at the hub in place of the center's and waits to be asked to join. The honest desk
/// applies neither change, says which desk sent them, never asks to join, and sends nothing
/// under the rogue key.
fn a_rogue_desk_can_neither_make_a_change_other_desks_apply_nor_put_in_a_key_of_its_own(backend: Backend) {
    use serde_json::json;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk_without_key(dir.path(), "front", &hub);
    let person = register(&mut front, "Marisol Quintero");
    sync::sync_now(&mut front, |_| {}).unwrap();
    let key_id = hub.store.centers().unwrap()[0].key_id.clone().expect("the front desk made the center's key");

    let code = hub.store.new_enrollment_code(None).unwrap();
    let enrolled: serde_json::Value = ureq::post(format!("{}/v1/devices", hub.url))
        .send_json(json!({"name": "Rogue", "enrollment_code": code}))
        .unwrap()
        .body_mut()
        .read_json()
        .unwrap();
    let (rogue_id, token) = (enrolled["device_id"].as_str().unwrap(), enrolled["token"].as_str().unwrap());
    let call = |method: &str, path: &str, body: serde_json::Value| {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", hub.url))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut response = agent.run(request).unwrap();
        (response.status().as_u16(), response.body_mut().read_json::<serde_json::Value>().unwrap_or_default())
    };

    // A delete stamped where no later edit can beat it, and a rename, each with a proof of the
    // right form that no key made.
    let stamp = format!("{:015}-00000", chrono::Utc::now().timestamp_millis() + 60_000);
    let forged_proof = format!("pa2.{key_id}.{}", "A".repeat(43));
    let delete = json!({"change_id": porchlight_core::new_id(), "entity": "person", "id": person, "op": "delete",
                        "fields": {}, "hlc": stamp, "auth": forged_proof});
    let (status, _) = call("POST", "/v1/changes", json!({ "changes": [delete] }));
    assert_eq!(status, 200, "the hub cannot tell: it checks only the form");
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert_eq!(people::get(&mut front, &OPERATOR, &person).unwrap().display_name, "Marisol Quintero");
    let status = sync::status(&front).unwrap();
    assert_eq!(status.unopened_changes, 1, "kept aside, never applied");
    let reported = &status.set_aside[0];
    assert_eq!((reported.device_id.as_str(), reported.entity.as_str()), (rogue_id, "person"));
    assert!(reported.reason.contains("no desk of this center proved it"), "{}", reported.reason);
    assert!(reported.received_at.is_some());

    // The acts the hub performs for the center are refused it: they need the center's signature.
    let rogue_key = CenterKey::generate();
    let front_id = sync::status(&front).unwrap().device_id.unwrap();
    let figures = json!({"month": "2026-11", "small_counts_below": 5, "visits": 9000, "people_served": 1,
        "anonymous_contacts": 0, "group_attendance": 0, "calls": 0, "calls_by_outcome": {}, "volunteer_hours": 0});
    let acts = [
        ("POST", "/v1/center/key".to_owned(), json!({"key_id": rogue_key.id(), "previous": key_id})),
        ("POST", format!("/v1/devices/{front_id}/revocation"), json!(null)),
        ("PUT", "/v1/figures/2026-11".to_owned(), figures),
        ("POST", "/v1/sealed-history/commit".to_owned(), json!(null)),
        ("POST", "/v1/key-grants".to_owned(), json!({"key_id": key_id, "grants": []})),
    ];
    for (method, path, body) in &acts {
        let (status, answer) = call(method, path, body.clone());
        assert_eq!((status, answer["error"]["code"].as_str()), (403, Some("not_signed_by_center")), "{path}: {answer}");
    }
    sync::sync_now(&mut front, |_| {}).expect("the front desk is still enrolled and seals with its key");

    // The hub's operator can still name a key of its own in the hub's database: the front desk
    // refuses to follow it.
    let rogue_caller = hub.store.authenticate(token).unwrap().unwrap();
    let claim = porchlight_protocol::ClaimKey {
        key_id: rogue_key.id().to_owned(),
        previous: Some(key_id.clone()),
        verifying_key: Some(rogue_key.verifying_key()),
    };
    assert!(matches!(hub.store.claim_key(&rogue_caller, &claim).unwrap(), porchlight_hub::store::KeyClaim::Taken(_)));
    register(&mut front, "Theodore Vance");
    let refused = sync::sync_now(&mut front, |_| {}).unwrap_err();
    assert!(matches!(refused, porchlight_core::Error::Sync(SyncError::CenterKeyUntraced { .. })), "{refused}");
    assert_eq!(sync::status(&front).unwrap().problem.unwrap().code, "center_key_untraced");
    let (_, asked) = call("GET", "/v1/join-requests", json!(null));
    assert_eq!(asked, json!({"requests": []}), "the front desk never asked to join");
    assert!(sync::status(&front).unwrap().pending_changes > 0, "Theodore waits: nothing sent under the rogue key");
    let held = hub.held_as_pulled();
    assert!(held.iter().all(|change| change.auth.as_deref().is_none_or(|auth| !auth.contains(rogue_key.id()))));
}

/// A center whose key an older desk named (without the verifying half of its signing key):
/// the first desk of this version to sync registers it, and from then on the hub refuses an
/// unsigned act for the center.
fn a_center_whose_key_an_older_desk_named_registers_its_verifier_at_the_next_sync(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let code = hub.store.new_enrollment_code(None).unwrap();
    let porchlight_hub::store::Enrollment::Enrolled { token, .. } = hub.store.enroll("Older desk", &code).unwrap()
    else {
        panic!("enrolled")
    };
    let older = hub.store.authenticate(&token).unwrap().unwrap();
    let claim = porchlight_protocol::ClaimKey { key_id: hub.key.id().to_owned(), previous: None, verifying_key: None };
    hub.store.claim_key(&older, &claim).unwrap();
    assert_eq!(hub.store.center_info(&older).unwrap().key_verifier, None);

    let mut front = desk(dir.path(), "front", &hub);
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert_eq!(hub.store.center_info(&older).unwrap().key_verifier, Some(hub.key.verifying_key()));
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let answer = agent
        .post(format!("{}/v1/sealed-history/commit", hub.url))
        .header("Authorization", format!("Bearer {token}"))
        .send_empty()
        .unwrap();
    assert_eq!(answer.status().as_u16(), 403, "the older desk's token alone no longer acts for the center");

    // Someone else registers first (an older center, before any desk of this version synced):
    // the desk stops and says so; the operator forgets that verifier, and the desk registers its own.
    hub.store.forget_verifier("main").unwrap();
    let rogue = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    let verifier = porchlight_protocol::acts::verifying_key_text(&rogue);
    let body = serde_json::json!({"key_id": hub.key.id(), "verifying_key": verifier}).to_string();
    let now = chrono::Utc::now().timestamp_millis();
    let signed =
        porchlight_protocol::acts::sign(&rogue, hub.key.id(), now, "POST", "/v1/center/verifier", body.as_bytes());
    let taken = agent
        .post(format!("{}/v1/center/verifier", hub.url))
        .header("Authorization", format!("Bearer {token}"))
        .header(porchlight_protocol::acts::SIGNATURE_HEADER, signed)
        .header("Content-Type", "application/json")
        .send(&body)
        .unwrap();
    assert_eq!(taken.status().as_u16(), 200);
    let stopped = sync::sync_now(&mut front, |_| {}).unwrap_err();
    assert!(matches!(stopped, porchlight_core::Error::Sync(SyncError::CenterVerifierNotOurs)), "{stopped}");
    hub.store.forget_verifier("main").unwrap();
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert_eq!(hub.store.center_info(&older).unwrap().key_verifier, Some(hub.key.verifying_key()));
    assert!(matches!(hub.store.forget_verifier("Nowhere"), Err(porchlight_hub::store::StoreError::NoSuchCenter(_))));
}

/// A desk two hours behind the hub (a donated PC's flat clock battery, or a hub lying about the
/// time: the desk cannot tell which). It still takes in what other desks send, however far ahead
/// of its clock, but sends nothing of its own and makes no change, and says why; once an admin takes the hub's time, what it kept
/// goes out stamped in the hub's time.
fn a_desk_two_hours_from_the_hubs_clock_sends_and_makes_nothing_until_an_admin_takes_the_hubs_time(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let two_hours_ago = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    std::fs::create_dir(dir.path().join("slow")).unwrap();
    let database = dir.path().join("slow").join(porchlight_core::DATABASE_FILE_NAME);
    let mut slow = Desk::open(&database, Arc::new(porchlight_core::FixedClock::at(&two_hours_ago))).unwrap();
    let code = hub.store.new_enrollment_code(None).unwrap();
    hub_link::connect(&mut slow, &OPERATOR, &HubConnection::new(&hub.url, &code, "slow")).unwrap();
    sync::hold_center_key(&mut slow, &hub.key).unwrap();
    let admin = accounts::first_run(&mut slow, &harbor_house()).unwrap();
    let kept = register(&mut slow, "Imani Okafor");
    let from_front = register(&mut front, "Wendell Price");
    sync::sync_now(&mut front, |_| {}).unwrap();

    let refused = sync::sync_now(&mut slow, |_| {}).unwrap_err();
    assert!(matches!(refused, porchlight_core::Error::Sync(SyncError::ClockInDoubt { .. })), "{refused}");
    let status = sync::status(&slow).unwrap();
    assert_eq!(status.clock_in_doubt.as_deref(), Some("2 h ahead of"));
    assert!(status.problem.as_ref().unwrap().message.contains("the hub's is 2 h ahead of it"));
    assert_eq!(status.problem.unwrap().code, "clock_in_doubt");
    assert!(status.pending_changes > 0, "what it made waits");
    // What the front desk sent is stamped two hours ahead of this desk's clock, and taken in
    // all the same: every desk holds the same changes.
    assert!(people::get(&mut slow, &OPERATOR, &from_front).is_ok());
    assert_eq!(status.unopened_changes, 0);
    let held: Vec<String> = hub.held_changes().into_iter().map(|(_, id, _)| id).collect();
    assert!(!held.contains(&kept), "nothing of its own reached the hub");
    let input = people::PersonInput { display_name: "Harriet Vo".into(), ..Default::default() };
    assert!(matches!(
        people::register(&mut slow, &OPERATOR, &input),
        Err(porchlight_core::Error::Sync(SyncError::ClockInDoubt { .. }))
    ));

    hub_link::accept_hub_time(&mut slow, &admin).unwrap();
    let after = register(&mut slow, "Harriet Vo");
    sync::sync_now(&mut slow, |_| {}).unwrap();
    let held = hub.held_as_pulled();
    assert!(held.iter().any(|change| change.id == kept), "what it kept is sent once the time is taken");
    let pushed = held.into_iter().find(|change| change.id == after).unwrap();
    let stamped_ms: i64 = pushed.hlc[..15].parse().unwrap();
    let off_by = (stamped_ms - chrono::Utc::now().timestamp_millis()).abs();
    assert!(off_by < 5 * 60_000, "stamped in the hub's time, not two hours back: {}", pushed.hlc);
}

/// From one address, twenty enrollment attempts and then one every ten seconds: a served hub
/// knows each caller's address, so one guesser is held up while other desks are not.
#[test]
fn one_address_guessing_enrollment_codes_is_refused_with_429_and_told_when_to_try_again() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), Backend::Sqlite);
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut answers = Vec::new();
    for n in 0..25 {
        let mut response = agent
            .post(format!("{}/v1/devices", hub.url))
            .send_json(serde_json::json!({"name": "Guess", "enrollment_code": format!("GUES-{n:04}")}))
            .unwrap();
        let retry_after = response.headers().get("retry-after").map(|value| value.to_str().unwrap().to_owned());
        answers.push((response.status().as_u16(), retry_after, response.body_mut().read_to_string().unwrap()));
    }
    assert!(answers[..20].iter().all(|(status, _, _)| *status == 401), "{answers:?}");
    assert!(answers[20..].iter().all(|(status, _, _)| *status == 429), "{answers:?}");
    let (_, retry_after, body) = &answers[24];
    let seconds: u64 = retry_after.as_deref().expect("Retry-After").parse().unwrap();
    assert!((1..=10).contains(&seconds) && body.contains("too_many_attempts"), "{seconds} {body}");
}

/// The review's attack on the hub's connections: 300 requests from one address, each sent only
/// in part (half a head, or a head and part of its body). The hub closes at once those past the
/// address's limit, and the rest when their time is up (a half-sent body is told 408); a desk
/// elsewhere syncs all the while.
#[test]
fn half_sent_requests_from_one_address_neither_keep_desks_out_nor_stay_open() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const SENT: usize = 300;
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(3),
        per_address: 16,
        ..ConnectionLimits::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_with(dir.path(), Backend::Sqlite, limits);
    let mut desk = desk(dir.path(), "front", &hub);
    let address: std::net::SocketAddr = hub.url.trim_start_matches("http://").parse().unwrap();
    let started = Instant::now();
    let closing = hub.runtime.block_on(async {
        let mut closing = Vec::new();
        for n in 0..SENT {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            let mut stream = socket.connect(address).await.unwrap();
            let part: &[u8] = if n % 2 == 0 {
                b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: "
            } else {
                b"POST /v1/changes HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"changes\": ["
            };
            // A connection already closed may refuse the write; what matters is when it closes.
            let _ = stream.write_all(part).await;
            closing.push(tokio::spawn(async move {
                let mut answer = Vec::new();
                let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
                assert!(read.is_ok(), "a half-sent request was still open after 30 s");
                (started.elapsed(), String::from_utf8_lossy(&answer).into_owned())
            }));
        }
        closing
    });

    register(&mut desk, "Anaya Brooks");
    let synced = sync::sync_now(&mut desk, |_| {}).unwrap();
    assert!(synced.pushed > 0, "a desk at another address syncs while the half-sent requests are open");
    assert!(started.elapsed() < limits.header_timeout, "and does not wait for them to be closed");

    let closed: Vec<(Duration, String)> = hub.runtime.block_on(async {
        let mut closed = Vec::with_capacity(SENT);
        for connection in closing {
            closed.push(connection.await.unwrap());
        }
        closed
    });
    let at_once = closed.iter().filter(|(after, _)| *after < limits.header_timeout).count();
    assert!(at_once >= SENT - limits.per_address, "{at_once} of {SENT} closed at once");
    assert!(closed.iter().all(|(after, _)| *after < Duration::from_secs(10)), "every one closed within its time");
    assert!(
        closed.iter().any(|(_, answer)| answer.starts_with("HTTP/1.1 408")),
        "a half-sent body is told its time ran out"
    );
}

/// A hub of an older version numbered the changes of all its centers together, so a desk's
/// cursor there counted other centers' changes too. Once the hub numbers each center's changes
/// apart, under a new history, the same number means another change: a desk that kept counting
/// would skip some for good. It sees the new history and pulls the whole history again.
fn a_desk_whose_hub_numbered_the_centers_changes_again_pulls_them_all_again_and_misses_none(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let mut warmline = desk(dir.path(), "warmline", &hub);
    register(&mut front, "Dana A");
    sync::sync_now(&mut front, |_| {}).unwrap();
    // The old numbering: other centers' changes took numbers between this center's.
    hub.execute("UPDATE changes SET seq = seq + 100; UPDATE centers SET last_seq = last_seq + 100");
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert_eq!(front_desk::search(&warmline, &OPERATOR, "dana", 10).unwrap().len(), 1);

    // The hub numbers the center's changes on their own, from 1, under a history of its own.
    hub.execute(&format!(
        "UPDATE changes SET seq = seq - 100; UPDATE centers SET last_seq = last_seq - 100, history = '{}'",
        uuid::Uuid::now_v7()
    ));
    for number in 0..60 {
        register(&mut front, &format!("Dana {number}"));
    }
    sync::sync_now(&mut front, |_| {}).unwrap();
    let report = sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert_eq!(front_desk::search(&warmline, &OPERATOR, "dana", 100).unwrap().len(), 61, "{report:?}");
    assert!(report.pulled > 120, "the whole history again: {report:?}");

    register(&mut front, "Dana Z");
    sync::sync_now(&mut front, |_| {}).unwrap();
    let report = sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert_eq!(report.pulled, 2, "then only what is new (her and her registration): {report:?}");
}

/// The hub is put back from a backup after the front desk sent people to it, and the warmline
/// room then sends people of its own, which take the numbers the lost changes had. The front
/// desk finds the hub holding less than it pulled (its newest number below the desk's cursor, or
/// another change at it), says so, takes everything the hub holds again, and sends back what the
/// hub lost; every desk, and a desk that joins afterwards, ends with every person.
fn desks_heal_a_hub_put_back_from_a_backup_and_every_desk_ends_with_every_record(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let mut warmline = desk(dir.path(), "warmline", &hub);
    for number in 0..10 {
        register(&mut front, &format!("Hollis {number}"));
    }
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    let count = |desk: &Desk, name: &str| front_desk::search(desk, &OPERATOR, name, 1000).unwrap().len();

    // Fewer changes from the warmline than the hub lost: the hub's newest number is below the
    // front desk's cursor. More: another change stands at the number the cursor is on.
    for (name, from_warmline) in [("Juniper", 30), ("Marigold", 60)] {
        let backup = hub.last_seq();
        for number in 0..50 {
            register(&mut front, &format!("{name} Front{number}"));
        }
        sync::sync_now(&mut front, |_| {}).unwrap();
        hub.put_back_to(backup);
        for number in 0..from_warmline {
            register(&mut warmline, &format!("{name} Warmline{number}"));
        }
        let sent = sync::sync_now(&mut warmline, |_| {}).unwrap();
        assert_eq!(sent.resent, 0, "the warmline lost nothing it knew of: {sent:?}");

        let healed = sync::sync_now(&mut front, |_| {}).unwrap();
        assert_eq!(healed.resent, 100, "her 50 people and their registrations, sent again: {healed:?}");
        assert_eq!(healed.pushed, 100, "{healed:?}");
        let status = sync::status(&front).unwrap();
        let went_back = status.hub_went_back.expect("the desk says the hub went back");
        assert_eq!(went_back.resent, Some(100));
        assert_eq!((status.pending_changes, status.problem), (0, None));
        assert_eq!(count(&front, name), 50 + from_warmline, "the warmline's people reach the front desk");

        sync::sync_now(&mut warmline, |_| {}).unwrap();
        assert_eq!(count(&warmline, name), 50 + from_warmline, "what the hub lost reaches the warmline");
        assert!(sync::status(&warmline).unwrap().hub_went_back.is_none(), "the warmline lost nothing");
        let quiet = sync::sync_now(&mut front, |_| {}).unwrap();
        assert_eq!((quiet.resent, quiet.pulled), (0, 0), "healed once: {quiet:?}");
    }

    let mut joining = desk(dir.path(), "joining", &hub);
    sync::sync_now(&mut joining, |_| {}).unwrap();
    for (name, people) in [("Hollis", 10), ("Juniper", 80), ("Marigold", 110)] {
        assert_eq!(count(&joining, name), people, "a desk joining afterwards holds every {name}");
    }
}

/// The hub is put back from a copy made before a desk connected: it no longer knows that desk,
/// which says so and how to go on. Connected again with a new code, the desk takes what the hub
/// holds and sends back what it lost, so a desk joining afterwards holds every person.
fn a_desk_that_connected_after_the_hubs_backup_connects_again_and_sends_what_the_hub_lost(backend: Backend) {
    use porchlight_core::Error;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    for number in 0..5 {
        register(&mut front, &format!("Hollis {number}"));
    }
    sync::sync_now(&mut front, |_| {}).unwrap();
    let backup = hub.last_seq();

    let mut late = desk(dir.path(), "late", &hub);
    for number in 0..20 {
        register(&mut late, &format!("Hollis Late{number}"));
    }
    sync::sync_now(&mut late, |_| {}).unwrap();
    hub.put_back_to(backup);
    hub.execute(
        "DELETE FROM enrollment_codes WHERE used_by IN (SELECT id FROM devices WHERE name = 'late');
         DELETE FROM key_grants WHERE device_id IN (SELECT id FROM devices WHERE name = 'late');
         DELETE FROM join_requests WHERE device_id IN (SELECT id FROM devices WHERE name = 'late');
         DELETE FROM devices WHERE name = 'late'",
    );

    let refused = sync::sync_now(&mut late, |_| {}).unwrap_err();
    assert!(matches!(refused, Error::Sync(SyncError::NotAuthorised)), "{refused}");
    assert!(refused.to_string().contains("put back from a copy made before this desk connected"), "{refused}");
    hub_link::disconnect(&mut late, &OPERATOR).unwrap();
    let code = hub.store.new_enrollment_code(None).unwrap();
    hub_link::connect(&mut late, &OPERATOR, &HubConnection::new(&hub.url, &code, "late")).unwrap();
    let sent = sync::sync_now(&mut late, |_| {}).unwrap();
    assert!(sent.resent >= 40, "its 20 people and their registrations: {sent:?}");

    let mut joining = desk(dir.path(), "joining", &hub);
    sync::sync_now(&mut joining, |_| {}).unwrap();
    assert_eq!(front_desk::search(&joining, &OPERATOR, "hollis", 100).unwrap().len(), 25);
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert_eq!(front_desk::search(&front, &OPERATOR, "hollis", 100).unwrap().len(), 25);
}

/// The front desk's file is put back from yesterday's backup. Its next sync brings back every
/// record made since, its own included (which the hub holds, and a desk otherwise leaves out as
/// already here), and what it makes afterwards goes out as usual.
fn a_desk_put_back_from_yesterdays_backup_ends_its_next_sync_with_every_record_of_today(backend: Backend) {
    use porchlight_core::backup;

    let dir = tempfile::tempdir().unwrap();
    let hub = hub(dir.path(), backend);
    let mut front = desk(dir.path(), "front", &hub);
    let mut warmline = desk(dir.path(), "warmline", &hub);
    for number in 0..3 {
        register(&mut front, &format!("Hollis Yesterday{number}"));
    }
    sync::sync_now(&mut front, |_| {}).unwrap();
    let yesterday = dir.path().join("yesterday.sqlite3");
    backup::to_file(&mut front, &OPERATOR, &yesterday).unwrap();

    for number in 0..5 {
        register(&mut front, &format!("Hollis Today{number}"));
    }
    sync::sync_now(&mut front, |_| {}).unwrap();
    register(&mut warmline, "Hollis Warmline");
    sync::sync_now(&mut warmline, |_| {}).unwrap();

    backup::restore(&mut front, &OPERATOR, &yesterday).unwrap();
    let count = |desk: &Desk| front_desk::search(desk, &OPERATOR, "hollis", 100).unwrap().len();
    assert_eq!(count(&front), 3, "yesterday's people only, until it syncs");
    sync::sync_now(&mut front, |_| {}).unwrap();
    assert_eq!(count(&front), 9, "its own five of today, and the warmline's");

    register(&mut front, "Hollis After");
    sync::sync_now(&mut front, |_| {}).unwrap();
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    assert_eq!(count(&warmline), 10);
    let log = porchlight_core::audit::browse(&front, &OPERATOR, &Default::default()).unwrap();
    assert!(log.iter().any(|entry| entry.event == "backup_restored"), "the putting back is in the log");
}

/// A round with nothing to do (no change at this desk, none at the hub) asks the hub one thing,
/// where the center, its key, the desks waiting to join and the newest change are all in one
/// answer, and writes nothing at the desk but when it synced and the time it has reached.
fn an_idle_round_is_one_request_to_the_hub_and_rewrites_nothing_at_the_desk(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_noting_requests(dir.path(), backend);
    let (mut front, mut warmline) = front_and_warmline_each_sent_a_person(dir.path(), &hub);
    sync::sync_now(&mut front, |_| {}).unwrap();

    hub.requests.lock().unwrap().clear();
    let written_before = front.rows_written();
    let started = std::time::Instant::now();
    const ROUNDS: u32 = 10;
    for _ in 0..ROUNDS {
        let report = sync::sync_now(&mut front, |_| {}).unwrap();
        assert_eq!((report.pushed, report.pulled), (0, 0));
    }
    let took = started.elapsed() / ROUNDS;
    let asked = std::mem::take(&mut *hub.requests.lock().unwrap());
    let written = (front.rows_written() - written_before) / u64::from(ROUNDS);
    eprintln!("an idle round: {} requests, {written} rows written, {took:?}", asked.len() / ROUNDS as usize);
    assert_eq!(asked, vec!["GET /v1/center"; ROUNDS as usize]);
    assert!(written <= 2, "{written} rows written each round");

    // Not idle: a change at another desk is pulled, and one here is sent.
    register(&mut warmline, "Tomas Reyes");
    sync::sync_now(&mut warmline, |_| {}).unwrap();
    register(&mut front, "Wen Okafor");
    let report = sync::sync_now(&mut front, |_| {}).unwrap();
    assert!(report.pushed > 0 && report.pulled > 0, "{report:?}");
    assert_eq!(front_desk::search(&front, &OPERATOR, "tomas", 10).unwrap().len(), 1);
}

/// The hub's answer about the center says where its log stands and whether desks wait to join,
/// and a desk trusts it to skip a pull or the list of join requests. A hostile hub that lies
/// there (its newest change frozen as it once was, three desks waiting where none do) can only
/// hold changes back while it lies, as it always could by answering empty pages: the desk
/// applies nothing the lie says, lists no desk to let in, and the next honest answer brings it
/// every change it lacked.
fn a_hub_lying_about_its_newest_change_and_waiting_desks_only_holds_changes_back_while_it_lies(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_answering(dir.path(), backend, Version::Lying { lies: 1 });
    let (mut front, _warmline) = front_and_warmline_each_sent_a_person(dir.path(), &hub);

    hub.requests.lock().unwrap().clear();
    let lied_to = sync::sync_now(&mut front, |_| {}).unwrap();
    let asked = std::mem::take(&mut *hub.requests.lock().unwrap());
    assert_eq!(asked, ["GET /v1/center", "GET /v1/join-requests"], "the lie was told and believed");
    assert_eq!(lied_to.pulled, 0, "{lied_to:?}");
    assert!(front_desk::search(&front, &OPERATOR, "noor", 10).unwrap().is_empty(), "held back while it lies");
    assert!(sync::status(&front).unwrap().join_requests.is_empty(), "no desk to let in");

    let honest = sync::sync_now(&mut front, |_| {}).unwrap();
    assert!(honest.pulled > 0, "{honest:?}");
    assert_eq!(front_desk::search(&front, &OPERATOR, "noor", 10).unwrap().len(), 1);
    assert_eq!(front_desk::search(&front, &OPERATOR, "idris", 10).unwrap().len(), 1);
}

/// A hub of the version before says nothing of its log or of desks waiting to join when asked
/// about the center: a desk of this version then asks it the old way (the list of join requests,
/// an empty push for the log and the time, a pull), and sends and receives as before.
fn a_desk_syncs_through_a_hub_of_the_version_before_by_asking_it_the_old_way(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_answering(dir.path(), backend, Version::Before);
    let (mut front, _warmline) = front_and_warmline_each_sent_a_person(dir.path(), &hub);
    let report = sync::sync_now(&mut front, |_| {}).unwrap();
    assert!(report.pulled > 0, "{report:?}");
    assert_eq!(front_desk::search(&front, &OPERATOR, "noor", 10).unwrap().len(), 1);

    hub.requests.lock().unwrap().clear();
    sync::sync_now(&mut front, |_| {}).unwrap();
    let asked = std::mem::take(&mut *hub.requests.lock().unwrap());
    assert_eq!(asked, ["GET /v1/center", "GET /v1/join-requests", "POST /v1/changes", "GET /v1/changes"]);
}
