//! Desks syncing through a real porchlight-hub process on 127.0.0.1: real desk databases, the
//! real `porchlight sync` CLI, a hub killed with SIGKILL half-way (on SQLite and on PostgreSQL),
//! and a PostgreSQL server going away under a push.

use std::path::Path;
use std::sync::mpsc;

use porchlight_core::export::{self, Days, Format};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::sync::SyncError;
use porchlight_core::{demo, sync, visits, Desk};
use porchlight_e2e::hub::{HubCertificate, HubDatabase, HubProcess};
use porchlight_e2e::{open_desk, run_cli, run_cli_reading, DESK_PASSPHRASE, OPERATOR};
use porchlight_testkit::postgres::PostgresServer;

struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        Place { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

/// The desk in `dir`: plain while only the test has written it, encrypted once the CLI has
/// opened it (the CLI encrypts a plain desk in place, as the app does).
fn open(dir: &Path) -> Desk {
    open_desk(dir).unwrap()
}

fn porchlight(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    run_cli(data_dir, &[("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE)], args)
}

fn connect(hub: &HubProcess, data_dir: &Path, name: &str) {
    let code = hub.enrollment_code();
    let (ok, out, err) = porchlight(data_dir, &["sync", "connect", "--hub", &hub.url, "--code", &code, "--name", name]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("Connected \"{name}\"")), "{out}");
}

/// The recovery sheet of the center key `first` made at its first sync, as its CLI prints it.
fn recovery_words(first: &Path) -> String {
    let (ok, out, err) = porchlight(first, &["sync", "recovery-sheet"]);
    assert!(ok && out.contains("Write these 24 words down"), "{out}{err}");
    let words: Vec<&str> = out
        .lines()
        .filter(|line| line.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .flat_map(str::split_whitespace)
        .filter(|token| token.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert_eq!(words.len(), 24, "{out}");
    words.join(" ")
}

/// `desk` joins the center `first` set up, with the recovery words `first` shows.
fn join_with_recovery_words(first: &Path, desk: &Path) {
    // The words come on standard input, never as an argument (which shell history and the
    // process list would keep).
    let words = recovery_words(first);
    let env = [("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE)];
    let (ok, out, err) = run_cli_reading(desk, &env, &["sync", "recover"], Some(&words));
    assert!(ok && out.contains("now holds the center's key"), "{out}{err}");
    let (ok, _, err) = porchlight(desk, &["sync", "recover", "--words", &words]);
    assert!(!ok && err.contains("--words"), "the words are refused as an argument: {err}");
}

fn sync_now(data_dir: &Path) -> String {
    let (ok, out, err) = porchlight(data_dir, &["sync", "now"]);
    assert!(ok, "sync now failed: {err}");
    out
}

fn register_and_check_in(desk: &mut Desk, name: &str) -> String {
    let person =
        people::register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap();
    visits::check_in(desk, &OPERATOR, &person.id, &[]).unwrap();
    person.id
}

/// Changes waiting to go out, leaving out the audit entries each operation also writes and the
/// desk's key for receiving the center's (as `HubProcess::stored_changes` does).
fn record_changes_pending(desk: &Desk) -> u64 {
    let pending = sync::pending_changes(desk, 1_000_000).unwrap();
    pending.iter().filter(|change| !["audit", "desk_key"].contains(&change.entity.as_str())).count() as u64
}

fn here_now(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        visits::here_now(&open(dir), &OPERATOR).unwrap().into_iter().filter_map(|v| v.display_name).collect();
    names.sort();
    names
}

/// Everything a report or export would show: people and visits, as CSV.
fn exported(dir: &Path) -> (String, String) {
    let mut desk = open(dir);
    let (mut people_csv, mut visits_csv) = (Vec::new(), Vec::new());
    export::people(&mut desk, &OPERATOR, Days { from: None, to: None }, Format::Csv, &mut people_csv).unwrap();
    export::visits(&mut desk, &OPERATOR, Days { from: None, to: None }, Format::Csv, &mut visits_csv).unwrap();
    (String::from_utf8(people_csv).unwrap(), String::from_utf8(visits_csv).unwrap())
}

#[test]
fn two_desks_check_people_in_offline_then_see_each_others_visits() {
    let place = Place::new();
    let hub = HubProcess::start(&place.path("hub.sqlite3"));
    let (front, group_room) = (place.path("front"), place.path("group-room"));
    register_and_check_in(&mut open(&front), "Ana M.");
    register_and_check_in(&mut open(&group_room), "Ben T.");

    connect(&hub, &front, "Front desk");
    connect(&hub, &group_room, "Group room");
    // Ana and her visit, and three audit entries: her registration, her check-in, and the desk
    // connecting.
    let (_, status, _) = porchlight(&front, &["sync", "status"]);
    assert!(status.contains("Waiting to send: 5 changes"), "{status}");
    // And the desk's own public key, published by its first sealed sync.
    assert!(sync_now(&front).contains("Sent 6 changes"));
    // The group room waits to be let in until it holds the key the front desk just made.
    let (ok, _, waiting) = porchlight(&group_room, &["sync", "now"]);
    assert!(!ok && waiting.contains("waiting to be let into the center"), "{waiting}");
    let (_, status, _) = porchlight(&group_room, &["sync", "status"]);
    assert!(status.contains("Changes:         waiting to be let in; code "), "{status}");
    let code = status.split("waiting to be let in; code ").nth(1).unwrap().lines().next().unwrap().trim().to_owned();
    // The front desk has not synced since the group room asked; its admin's CLI asks the hub.
    let (ok, waiting, err) = porchlight(&front, &["sync", "join-requests"]);
    assert!(ok && waiting.contains(&code) && waiting.contains("Group room"), "{waiting}{err}");
    let (ok, out, err) = porchlight(&front, &["sync", "let-in", &code]);
    assert!(ok && out.contains("Let \"Group room\" in."), "{out}{err}");
    let report = sync_now(&group_room);
    assert!(report.contains("received 6"), "{report}");
    sync_now(&front);

    let (_, status, _) = porchlight(&front, &["sync", "status"]);
    assert!(status.contains("Waiting to send: 0 changes"), "{status}");
    assert!(status.contains("Changes:         sealed with the center's key"), "{status}");
    assert!(status.contains("Problem:         none"), "{status}");
    assert_eq!(here_now(&front), ["Ana M.", "Ben T."]);
    assert_eq!(here_now(&group_room), ["Ana M.", "Ben T."]);
    assert_eq!(exported(&front), exported(&group_room));
}

#[test]
fn concurrent_edits_to_different_fields_of_one_person_both_survive() {
    let place = Place::new();
    let hub = HubProcess::start(&place.path("hub.sqlite3"));
    let (front, warmline) = (place.path("front"), place.path("warmline"));
    connect(&hub, &front, "Front desk");
    connect(&hub, &warmline, "Warmline room");
    let dan = PersonInput { display_name: "Dan R.".into(), ..Default::default() };
    let id = people::register(&mut open(&front), &OPERATOR, &dan).unwrap().id;
    sync_now(&front);
    join_with_recovery_words(&front, &warmline);
    sync_now(&warmline);

    people::update(
        &mut open(&front),
        &OPERATOR,
        &id,
        &PersonInput { phone: Some("555-555-0100".into()), ..dan.clone() },
    )
    .unwrap();
    people::update(&mut open(&warmline), &OPERATOR, &id, &PersonInput { pronouns: Some("he/him".into()), ..dan })
        .unwrap();
    sync_now(&front);
    sync_now(&warmline);
    sync_now(&front);

    for dir in [&front, &warmline] {
        let merged = people::get(&mut open(dir), &OPERATOR, &id).unwrap();
        assert_eq!((merged.phone.as_deref(), merged.pronouns.as_deref()), (Some("555-555-0100"), Some("he/him")));
    }
}

/// The hub's files as they lie while it is stopped: its database and write-ahead log.
fn hub_files(db: &Path) -> [std::path::PathBuf; 2] {
    [db.to_owned(), db.with_extension("sqlite3-wal")]
}

/// The hub's file is put back from the copy made the night before, after the front desk sent
/// people to it; the warmline room then sends people of its own, which take the numbers the lost
/// changes had. The front desk's next `sync now` says the hub held less than before and sends
/// back what it lost, `sync status` says when, and every desk, and one connecting afterwards,
/// ends with every person.
#[test]
fn a_hub_put_back_from_last_nights_copy_loses_no_person_once_the_desks_sync() {
    let place = Place::new();
    let db = place.path("hub.sqlite3");
    let mut hub = HubProcess::start(&db);
    let (front, warmline, newcomer) = (place.path("front"), place.path("warmline"), place.path("newcomer"));
    let register = |dir: &Path, name: &str| {
        people::register(&mut open(dir), &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() })
            .unwrap();
    };
    connect(&hub, &front, "Front desk");
    connect(&hub, &warmline, "Warmline room");
    for name in ["Ana M.", "Ben T.", "Cal D."] {
        register(&front, name);
    }
    sync_now(&front);
    join_with_recovery_words(&front, &warmline);
    sync_now(&warmline);

    hub.kill_hard();
    let copies = hub_files(&place.path("last-night.sqlite3"));
    for (file, copy) in hub_files(&db).iter().zip(&copies) {
        if file.exists() {
            std::fs::copy(file, copy).unwrap();
        }
    }
    hub.restart();
    for name in ["Dee K.", "Eli P.", "Fay L.", "Gus O.", "Hal B."] {
        register(&front, name);
    }
    sync_now(&front);
    hub.kill_hard();
    for (file, copy) in hub_files(&db).iter().zip(&copies) {
        let _ = std::fs::remove_file(file);
        if copy.exists() {
            std::fs::copy(copy, file).unwrap();
        }
    }
    hub.restart();

    register(&warmline, "Ida V.");
    register(&warmline, "Jo W.");
    sync_now(&warmline);
    let healed = sync_now(&front);
    assert!(
        healed.contains("The hub held less than before (put back from a backup, or replaced): 10 changes it had lost"),
        "the five people and their registrations: {healed}"
    );
    let (_, status, _) = porchlight(&front, &["sync", "status"]);
    assert!(status.contains("Hub went back:   on "), "{status}");
    assert!(status.contains("sent back 10 changes it had lost"), "{status}");
    assert!(status.contains("Waiting to send: 0 changes") && status.contains("Problem:         none"), "{status}");

    sync_now(&warmline);
    connect(&hub, &newcomer, "Newcomer");
    join_with_recovery_words(&front, &newcomer);
    sync_now(&newcomer);
    let (people_here, _) = exported(&front);
    assert_eq!(people_here.lines().count(), 1 + 10, "every person, once: {people_here}");
    assert_eq!(exported(&warmline), exported(&front));
    assert_eq!(exported(&newcomer), exported(&front));
}

#[test]
fn a_hub_killed_mid_push_and_mid_pull_loses_and_doubles_nothing() {
    let place = Place::new();
    killed_mid_push_and_mid_pull(&place, HubDatabase::Sqlite(place.path("hub.sqlite3")));
}

#[test]
fn a_hub_on_postgresql_killed_mid_push_and_mid_pull_loses_and_doubles_nothing() {
    killed_mid_push_and_mid_pull(&Place::new(), HubDatabase::Postgres(PostgresServer::fresh_database()));
}

/// A front desk with enough changes that the hub can die with most of a push, and of a pull,
/// still to come (the desk keeps one batch and one page in flight ahead of the one it writes);
/// returns how many it made.
fn front_desk_with_a_long_history(front: &Path) -> u64 {
    let mut desk = open(front);
    demo::seed(
        &mut desk,
        &OPERATOR,
        demo::Size { people: 1_200, visits: 15_000, days: 60, groups: 0, ..demo::Size::EMPTY },
    )
    .unwrap();
    let made = record_changes_pending(&desk);
    assert!(made > 3 * sync::MAX_PULL_LIMIT as u64, "enough for four pages: {made}");
    made
}

fn killed_mid_push_and_mid_pull(place: &Place, database: HubDatabase) {
    let mut hub = HubProcess::start_with(database);
    let (front, newcomer) = (place.path("front"), place.path("newcomer"));
    let made = front_desk_with_a_long_history(&front);
    connect(&hub, &front, "Front desk");

    // Mid-push: the hub dies as soon as the first batch is in; the rest of the push fails.
    let failed = run_and_stop_after_first_progress(&front, || hub.kill_hard());
    assert!(matches!(failed, Err(porchlight_core::Error::Sync(SyncError::HubUnreachable { .. }))), "{failed:?}");
    let (stored, distinct) = hub.stored_changes();
    assert!(stored > 0 && stored < made, "cut off half-way: {stored} of {made}");
    assert_eq!(stored, distinct);
    let status = sync::status(&open(&front)).unwrap();
    assert_eq!(status.problem.map(|p| p.code).as_deref(), Some("hub_unreachable"));

    hub.restart();
    sync_now(&front);
    assert_eq!(hub.stored_changes(), (made, made), "every change stored exactly once");
    assert_eq!(sync::status(&open(&front)).unwrap().pending_changes, 0);

    // Mid-pull: a new desk's first sync pages through the history; the hub dies after page one.
    connect(&hub, &newcomer, "Newcomer");
    join_with_recovery_words(&front, &newcomer);
    let failed = run_and_stop_after_first_progress(&newcomer, || hub.kill_hard());
    assert!(failed.is_err(), "{failed:?}");
    assert_ne!(exported(&newcomer), exported(&front), "only part of the history arrived");

    hub.restart();
    let report = sync_now(&newcomer);
    assert!(report.contains("received"), "{report}");
    assert_eq!(exported(&newcomer), exported(&front), "the same people and visits, none lost, none doubled");
    assert_eq!(hub.stored_changes(), (made, made));
}

/// Runs `sync now` on a worker thread and calls `stop` (SIGKILL to the hub, say) the moment the
/// first batch or page has gone through, while the next request is on its way.
fn run_and_stop_after_first_progress(
    data_dir: &Path,
    stop: impl FnOnce(),
) -> porchlight_core::Result<sync::SyncReport> {
    let (progressed, first_progress) = mpsc::channel();
    let (killed, hub_is_dead) = mpsc::channel();
    let dir = data_dir.to_owned();
    let worker = std::thread::spawn(move || {
        let mut desk = open(&dir);
        let mut first = true;
        sync::sync_now(&mut desk, |_| {
            // The desk waits here, its first batch or page done, until the hub is gone.
            if std::mem::take(&mut first) {
                let _ = progressed.send(());
                let _ = hub_is_dead.recv();
            }
        })
    });
    first_progress.recv().expect("the sync made progress before the hub died");
    stop();
    killed.send(()).unwrap();
    worker.join().unwrap()
}

/// The PostgreSQL server stops while a desk pushes (the hub itself stays up): the hub refuses
/// the batch whole with 503, which the desk takes as a hub it cannot reach now and retries
/// later; nothing of that batch is stored. Once the server is back, the next sync stores every
/// change once.
#[test]
fn postgresql_going_away_mid_push_refuses_the_batch_whole_and_the_desk_retries() {
    let place = Place::new();
    let server = PostgresServer::start();
    let hub = HubProcess::start_with(HubDatabase::Postgres(server.new_database()));
    let front = place.path("front");
    let made = front_desk_with_a_long_history(&front);
    connect(&hub, &front, "Front desk");

    let failed = run_and_stop_after_first_progress(&front, || server.stop());
    assert!(matches!(failed, Err(porchlight_core::Error::Sync(SyncError::HubUnreachable { .. }))), "{failed:?}");
    let status = sync::status(&open(&front)).unwrap();
    assert_eq!(status.problem.map(|p| p.code).as_deref(), Some("hub_unreachable"));

    server.restart();
    let (stored, distinct) = hub.stored_changes();
    assert!(stored > 0 && stored < made, "the first batches only: {stored} of {made}");
    assert_eq!(stored, distinct);
    // Whole batches: what the desk still has waiting is exactly what the hub did not store.
    assert_eq!(record_changes_pending(&open(&front)), made - stored, "nothing half-stored");
    sync_now(&front);
    assert_eq!(hub.stored_changes(), (made, made), "every change stored exactly once");
}

#[test]
fn desks_sync_over_tls_with_the_hubs_own_certificate_and_refuse_a_stranger() {
    let place = Place::new();
    let ours = HubCertificate::make(place.dir.path(), "hub");
    let stranger = HubCertificate::make(place.dir.path(), "stranger");
    let hub = HubProcess::start_tls(&place.path("hub.sqlite3"), &ours);
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);
    let connect_with = |data_dir: &Path, certificate: Option<&Path>| {
        let code = hub.enrollment_code();
        let mut args = vec!["sync", "connect", "--hub", &hub.url, "--code", &code, "--name", "Front desk"];
        let certificate = certificate.map(|path| path.to_str().unwrap());
        if let Some(path) = certificate {
            args.extend(["--hub-certificate", path]);
        }
        porchlight(data_dir, &args)
    };

    // No public authority signed the hub's certificate, and a different one is not the hub's.
    let front = place.path("front");
    for certificate in [None, Some(stranger.certificate.as_path())] {
        let (ok, _, err) = connect_with(&front, certificate);
        assert!(!ok);
        assert!(err.contains("did not show a certificate this desk trusts"), "{err}");
        assert_eq!(sync::status(&open(&front)).unwrap().hub_url, None, "nothing saved");
    }

    let (ok, _, err) = connect_with(&front, Some(&ours.certificate));
    assert!(ok, "{err}");
    let group_room = place.path("group-room");
    assert!(connect_with(&group_room, Some(&ours.certificate)).0);
    register_and_check_in(&mut open(&front), "Tam R.");
    sync_now(&front);
    join_with_recovery_words(&front, &group_room);
    sync_now(&group_room);
    assert_eq!(here_now(&group_room), ["Tam R."]);
    assert_eq!(hub.stored_changes(), (2, 2));
}

#[test]
fn a_revoked_desk_is_told_it_is_not_authorised() {
    let place = Place::new();
    let hub = HubProcess::start(&place.path("hub.sqlite3"));
    let front = place.path("front");
    connect(&hub, &front, "Front desk");
    sync_now(&front);
    let device_id = sync::status(&open(&front)).unwrap().device_id.unwrap();
    let listed = String::from_utf8(hub.operator(&["devices", "list"])).unwrap();
    assert!(listed.contains(&device_id) && listed.contains("Front desk"), "{listed}");

    hub.revoke(&device_id);
    register_and_check_in(&mut open(&front), "Cy P.");
    let (ok, _, err) = porchlight(&front, &["sync", "now"]);
    assert!(!ok);
    assert!(err.contains("no longer accepts this desk"), "{err}");
    let status = sync::status(&open(&front)).unwrap();
    assert_eq!(status.problem.map(|p| p.code).as_deref(), Some("not_authorised"));
    assert_eq!(record_changes_pending(&open(&front)), 2, "the desk keeps its unsent changes");
    let (_, shown, _) = porchlight(&front, &["sync", "status"]);
    assert!(shown.contains("Problem:         The hub no longer accepts this desk"), "{shown}");
}

#[test]
fn the_hub_stops_cleanly_on_sigterm_and_keeps_what_it_stored() {
    let place = Place::new();
    let mut hub = HubProcess::start(&place.path("hub.sqlite3"));
    let front = place.path("front");
    register_and_check_in(&mut open(&front), "Dee K.");
    connect(&hub, &front, "Front desk");
    sync_now(&front);
    assert!(hub.terminate(), "exit status 0 after SIGTERM");
    hub.restart();
    assert_eq!(hub.stored_changes(), (2, 2));
    let (ok, _, err) = porchlight(&front, &["sync", "now"]);
    assert!(ok, "{err}");
}

#[test]
fn sync_status_names_each_record_it_cannot_store_and_why() {
    let place = Place::new();
    let hub = HubProcess::start(&place.path("hub.sqlite3"));
    let front = place.path("front");
    connect(&hub, &front, "Front desk");
    let (person_id, visit_id) = hub.send_incomplete_records(None);
    sync_now(&front);

    let (ok, status, err) = porchlight(&front, &["sync", "status"]);
    assert!(ok, "{err}");
    assert!(status.contains("Not yet stored:  2 records from other desks:"), "{status}");
    let line_of = |id: &str| status.lines().find(|line| line.contains(id)).unwrap_or_default().to_owned();
    let person = line_of(&person_id);
    assert!(person.contains(&format!("person {person_id}: missing required field member_code")), "{status}");
    assert!(line_of(&visit_id).contains(&format!("visit {visit_id}: waiting for person")), "{status}");
}

/// An operator's typo or a database server that is down: every command, `serve` included, says
/// what it could not reach and exits 1 within seconds, instead of waiting.
#[test]
fn a_database_url_that_does_not_connect_is_a_clear_error_and_never_a_wait() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let refused = format!("postgres://porchlight:secret@127.0.0.1:{closed_port}/hub");
    for (url, expected) in [
        (refused.as_str(), "cannot reach the hub's database"),
        ("mysql://hub@127.0.0.1/hub", "expected postgres://user@host/database or sqlite://PATH"),
        ("postgres://hub@127.0.0.1:notaport/hub", "not a database URL porchlight-hub understands"),
    ] {
        for command in [&["enrollment-code"][..], &["serve", "--listen", "127.0.0.1:0"]] {
            let started = std::time::Instant::now();
            let output = std::process::Command::new(porchlight_e2e::hub::hub_binary())
                .args(command)
                .args(["--database-url", url])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{command:?} {url}: {stderr}");
            assert!(stderr.contains(expected), "{command:?} {url}: {stderr}");
            assert!(!stderr.contains("secret"), "the password stays out of messages: {stderr}");
            assert!(started.elapsed() < std::time::Duration::from_secs(15), "{command:?} waited");
        }
    }
}

/// A center's hub outgrows its SQLite file. `migrate --from-sqlite` is interrupted half-way
/// (SIGKILL) and leaves the PostgreSQL database as it was; run again, it moves everything, and
/// the hub restarted on PostgreSQL serves both desks from where they were: nothing is sent or
/// received again, and what is new flows as before.
#[test]
fn a_hub_moved_from_sqlite_to_postgresql_serves_its_desks_without_a_resync() {
    use std::io::BufRead;

    let place = Place::new();
    let sqlite = place.path("hub.sqlite3");
    let mut hub = HubProcess::start(&sqlite);
    let (front, group_room) = (place.path("front"), place.path("group-room"));
    let made = front_desk_with_a_long_history(&front);
    connect(&hub, &front, "Front desk");
    sync_now(&front);
    connect(&hub, &group_room, "Group room");
    join_with_recovery_words(&front, &group_room);
    // Each desk up to date with the other's changes before the move.
    for desk in [&group_room, &front, &group_room] {
        sync_now(desk);
    }
    hub.terminate();

    let target = PostgresServer::fresh_database();
    let moving = || {
        std::process::Command::new(porchlight_e2e::hub::hub_binary())
            .args(["migrate", "--from-sqlite", sqlite.to_str().unwrap(), "--database-url", &target])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut interrupted = moving();
    let mut lines = std::io::BufReader::new(interrupted.stdout.take().unwrap()).lines();
    // Killed as soon as it starts copying (its tables made, inside its transaction): thousands
    // of rows are still to go, so it cannot have finished.
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Moving the hub to PostgreSQL: 0 of "), "{first}");
    interrupted.kill().unwrap();
    interrupted.wait().unwrap();
    let mut client = postgres::Client::connect(&target, postgres::NoTls).unwrap();
    let tables: i64 = client
        .query_one("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "an interrupted move leaves the database as it was");

    let finished = moving().wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&finished.stdout);
    assert!(finished.status.success(), "{said}{}", String::from_utf8_lossy(&finished.stderr));
    assert!(said.contains("(100%)") && said.contains("Moved 1 center, 2 desks and "), "{said}");
    let again = moving().wait_with_output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a hub"), "moved once only");

    hub.restart_with(HubDatabase::Postgres(target));
    assert_eq!(hub.stored_changes(), (made, made), "every change, once");
    for desk in [&front, &group_room] {
        let report = sync_now(desk);
        assert!(report.contains("Sent 0 changes") && report.contains("received 0"), "no resync: {report}");
    }
    let late = register_and_check_in(&mut open(&front), "Wilhelmina Achterberg");
    sync_now(&front);
    let report = sync_now(&group_room);
    let received: u64 =
        report.split("received ").nth(1).and_then(|rest| rest.split(',').next()).unwrap().parse().unwrap();
    assert!((2..10).contains(&received), "the person, the visit and their audit entries only: {report}");
    assert_eq!(people::get(&mut open(&group_room), &OPERATOR, &late).unwrap().display_name, "Wilhelmina Achterberg");
}

/// A desk enrolled without the key forges a delete of a person; the hub takes it (it checks
/// only the form). The desk does not apply it, and `sync status` names it, who sent it and why.
#[test]
fn sync_status_lists_a_change_no_desk_of_the_center_proved_and_the_desk_never_applies_it() {
    let place = Place::new();
    let hub = HubProcess::start(&place.path("hub.sqlite3"));
    let front = place.path("front");
    connect(&hub, &front, "Front desk");
    let person = register_and_check_in(&mut open(&front), "Dee K.");
    sync_now(&front);
    let rogue = hub.forge_delete("person", &person);
    sync_now(&front);

    assert_eq!(people::get(&mut open(&front), &OPERATOR, &person).unwrap().display_name, "Dee K.");
    let (ok, status, err) = porchlight(&front, &["sync", "status"]);
    assert!(ok, "{err}");
    assert!(status.contains("Set aside:       1 change from this hub, not applied here:"), "{status}");
    let line = status.lines().find(|line| line.contains(&rogue)).unwrap_or_default();
    assert!(line.contains("person from desk") && line.contains("no desk of this center proved it"), "{status}");
}

/// `porchlight` on `data_dir` with the computer's clock reading what libfaketime's `FAKETIME`
/// says.
fn porchlight_at(data_dir: &Path, faketime: &str, args: &[&str]) -> (bool, String, String) {
    let clock = porchlight_e2e::faketime_env(faketime);
    let mut env: Vec<(&str, &str)> = clock.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    env.push(("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE));
    run_cli(data_dir, &env, args)
}

/// Clocks gone wrong, with the real binaries under libfaketime. The hub's clock runs a year
/// ahead: both desks doubt it, and an admin at the front desk takes its time anyway, so the
/// front desk's edit goes out stamped a year on; the warmline room, still in doubt, takes it in.
/// Then the hub's clock is put right, and the warmline room's next edit wins everywhere. Then the
/// warmline computer's clock resets to the year 2000: it says so, and saves nothing.
#[test]
fn clocks_that_run_ahead_reset_and_are_put_right_leave_the_desks_agreeing() {
    let place = Place::new();
    let mut hub = HubProcess::start_with_clock(&place.path("hub.sqlite3"), "+365d");
    let (front, warmline) = (place.path("front"), place.path("warmline"));
    connect(&hub, &front, "Front desk");
    connect(&hub, &warmline, "Warmline room");
    let dan = people::register(
        &mut open(&front),
        &OPERATOR,
        &PersonInput { display_name: "Dan R.".into(), ..Default::default() },
    )
    .unwrap()
    .id;
    let (ok, _, err) = porchlight(&front, &["sync", "now"]);
    assert!(!ok && err.contains("the hub's is 365 days ahead of it"), "{err}");
    let (_, status, _) = porchlight(&front, &["sync", "status"]);
    assert!(status.contains("Clock:           the hub's is 365 days ahead of this computer's"), "{status}");

    let (ok, out, err) = porchlight(&front, &["sync", "accept-hub-time"]);
    assert!(ok && out.contains("365 days ahead of this computer's clock"), "{out}{err}");
    sync_now(&front);
    join_with_recovery_words(&front, &warmline);
    let (ok, _, err) = porchlight(&warmline, &["sync", "now"]);
    assert!(!ok && err.contains("far from the hub's"), "the warmline room doubts the hub too: {err}");
    let phone = |dir: &Path, number: &str| {
        let input = PersonInput { display_name: "Dan R.".into(), phone: Some(number.into()), ..Default::default() };
        people::update(&mut open(dir), &OPERATOR, &dan, &input).unwrap();
    };
    phone(&front, "555-555-0100");
    sync_now(&front);
    let _ = porchlight(&warmline, &["sync", "now"]);
    assert_eq!(exported(&warmline).0, exported(&front).0, "the desk in doubt takes the year-ahead edit in");

    hub.restart_on_time();
    sync_now(&front);
    sync_now(&warmline);
    phone(&warmline, "555-555-0177");
    sync_now(&warmline);
    sync_now(&front);
    let (people_here, _) = exported(&front);
    assert!(
        people_here.contains("555-555-0177"),
        "the later edit won, though its stamp's time is a year before: {people_here}"
    );
    assert_eq!(exported(&warmline), exported(&front));

    let year_2000 = "@2000-01-01 09:00:00";
    let (_, status, _) = porchlight_at(&warmline, year_2000, &["sync", "status"]);
    assert!(status.contains("This computer's clock reads the year 2000, which cannot be right"), "{status}");
    let newcomers = place.path("newcomers.csv");
    std::fs::write(&newcomers, "display_name\nEve S.\n").unwrap();
    let (ok, _, err) = porchlight_at(&warmline, year_2000, &["import", "people", newcomers.to_str().unwrap()]);
    assert!(!ok && err.contains("saves nothing dated by it: set the computer's date and time"), "{err}");
    let (ok, _, err) = porchlight_at(&warmline, year_2000, &["sync", "now"]);
    assert!(!ok && err.contains("far from the hub's"), "{err}");
    sync_now(&warmline);
    assert_eq!(exported(&warmline), exported(&front), "nothing was dated in the year 2000");
}

/// A small tmpfs the test mounts for the hub's database, unmounted when dropped; `None` where
/// this machine does not let the test mount one (it needs root).
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path, megabytes: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        mounted.then(|| SmallDisk(at.to_owned()))
    }

    /// Bytes still free on it.
    fn free(&self) -> u64 {
        let out = std::process::Command::new("df").args(["--output=avail", "-B1"]).arg(&self.0).output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The hub's disk fills up (a 48 MB tmpfs, all but a little taken by another file): the desk's
/// push is refused whole, `/v1/health` answers 507 `hub_disk_full`, and the desk says "the hub's
/// disk is full" in `sync now` and `sync status`. Once the operator frees space, the same changes
/// go through, none lost or doubled, and a second desk receives every person.
#[test]
fn a_hub_whose_disk_is_full_says_so_and_takes_the_changes_once_there_is_room() {
    let place = Place::new();
    let Some(disk) = SmallDisk::mount(&place.path("disk"), 48) else {
        eprintln!("skipped: mounting a small tmpfs needs root, which this run does not have");
        return;
    };
    let hub = HubProcess::start(&disk.0.join("hub.sqlite3"));
    let (front, warmline) = (place.path("front"), place.path("warmline"));
    connect(&hub, &front, "Front desk");
    sync_now(&front);
    let filler = disk.0.join("filler");
    std::fs::write(&filler, vec![0u8; (disk.free() - 48 * 1024) as usize]).unwrap();
    {
        let mut desk = open(&front);
        for n in 0..400 {
            let input = PersonInput { display_name: format!("Visitor {n} {}", "x".repeat(40)), ..Default::default() };
            people::register(&mut desk, &OPERATOR, &input).unwrap();
        }
    }

    let (ok, _, err) = porchlight(&front, &["sync", "now"]);
    assert!(!ok && err.contains("The hub's disk is full"), "{err}");
    let (_, status, _) = porchlight(&front, &["sync", "status"]);
    assert!(status.contains("Problem:         The hub's disk is full"), "{status}");
    assert!(status.contains("Waiting to send: "), "{status}");
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut health = agent.get(format!("{}/v1/health", hub.url)).call().unwrap();
    assert_eq!(health.status().as_u16(), 507);
    assert!(health.body_mut().read_to_string().unwrap().contains("hub_disk_full"));
    assert_eq!(hub.stored_changes().0, 0, "nothing of the refused push was kept");

    std::fs::remove_file(&filler).unwrap();
    sync_now(&front);
    assert_eq!(agent.get(format!("{}/v1/health", hub.url)).call().unwrap().status().as_u16(), 200);
    let (stored, distinct) = hub.stored_changes();
    assert_eq!((stored, distinct), (400, 400), "each person once");
    connect(&hub, &warmline, "Warmline room");
    join_with_recovery_words(&front, &warmline);
    sync_now(&warmline);
    assert_eq!(exported(&warmline), exported(&front));
}
