//! 100,000 changes pushed from one desk and pulled into another through a hub on loopback,
//! against the ceiling: the same rows bulk-inserted into a bare SQLite table.
//!
//! `cargo bench -p porchlight-hub --bench sync_throughput`; criterion reports changes/second.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use porchlight_core::sync::seal::CenterKey;
use porchlight_core::sync::HubConnection;
use porchlight_core::{demo, hub_link, sync, Desk, SystemClock, DATABASE_FILE_NAME};
use porchlight_hub::{SqliteStore, Store};
use porchlight_testkit::OPERATOR;

/// About 100,000 changes: 10,000 people and 90,000 visits.
const SIZE: demo::Size = demo::Size { people: 10_000, visits: 90_000, days: 365, groups: 0, ..demo::Size::EMPTY };
/// What `cargo test --benches` runs (criterion's test mode: one iteration, to show it still works).
const TEST_SIZE: demo::Size = demo::Size { people: 200, visits: 1_000, days: 30, groups: 0, ..demo::Size::EMPTY };

/// `cargo bench` passes `--bench`; `cargo test --benches` does not.
fn measuring() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

struct Template {
    _dir: tempfile::TempDir,
    desk: PathBuf,
    changes: Vec<sync::Change>,
    key: CenterKey,
}

/// One desk full of unsent changes, made once and copied for every run.
fn template() -> Template {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE_NAME);
    let mut desk = Desk::open(&path, Arc::new(SystemClock)).unwrap();
    demo::seed(&mut desk, &OPERATOR, if measuring() { SIZE } else { TEST_SIZE }).unwrap();
    let changes = sync::pending_changes(&desk, usize::MAX).unwrap();
    drop(desk); // the last connection closing folds the WAL into the file
    Template { _dir: dir, desk: path, changes, key: CenterKey::generate() }
}

struct Run {
    _dir: tempfile::TempDir,
    sender: Desk,
    receiver: Desk,
    /// What each desk has to send once connected: the template's changes, and each desk's
    /// own audit entry saying it was connected.
    sender_pending: u64,
    receiver_pending: u64,
    _runtime: tokio::runtime::Runtime,
}

/// A fresh hub on 127.0.0.1, a copy of the full desk and an empty desk, both enrolled; holding
/// the center's key when `sealed`.
fn prepare(template: &Template, sealed: bool) -> Run {
    let key = &template.key;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("hub.sqlite3")).unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(porchlight_hub::serve(listener, None, store.clone(), Default::default(), std::future::pending()));

    let open = |name: &str, from: Option<&Path>| {
        let desk_dir = dir.path().join(name);
        std::fs::create_dir_all(&desk_dir).unwrap();
        if let Some(from) = from {
            std::fs::copy(from, desk_dir.join(DATABASE_FILE_NAME)).unwrap();
        }
        let mut desk = Desk::open_dir(&desk_dir).unwrap();
        hub_link::connect(
            &mut desk,
            &OPERATOR,
            &HubConnection::new(&url, &store.new_enrollment_code(None).unwrap(), name),
        )
        .unwrap();
        if sealed {
            sync::hold_center_key(&mut desk, key).unwrap();
        }
        desk
    };
    let sender = open("sender", Some(&template.desk));
    let receiver = open("receiver", None);
    let sender_pending = sync::status(&sender).unwrap().pending_changes;
    let receiver_pending = sync::status(&receiver).unwrap().pending_changes;
    assert_eq!(
        sender_pending,
        template.changes.len() as u64 + 1,
        "the template's changes and the connection's audit entry"
    );
    Run { _dir: dir, sender, receiver, sender_pending, receiver_pending, _runtime: runtime }
}

fn through_the_hub(c: &mut Criterion) {
    let template = template();
    let mut group = c.benchmark_group("sync");
    group.sample_size(10);
    // Each change is pushed once and pulled once; the two audit entries are noise at this size.
    group.throughput(Throughput::Elements(template.changes.len() as u64));

    // Sealed, as every center syncs; and as before sealing, the same run without keys.
    for (name, sealed) in
        [("push and pull through the hub, sealed", true), ("push and pull through the hub, plain", false)]
    {
        group.bench_function(name, |b| {
            b.iter_batched(
                || prepare(&template, sealed),
                |mut run| {
                    let sync_now = |desk: &mut Desk| match sealed {
                        true => sync::sync_now(desk, |_| {}),
                        false => sync::sync_now_plain_for_comparison(desk),
                    };
                    let pushed = sync_now(&mut run.sender).unwrap();
                    let pulled = sync_now(&mut run.receiver).unwrap();
                    // The receiver sends its own entry and pulls all that the sender sent; sealed,
                    // each desk also publishes its own key for receiving the center's.
                    let published = sealed as u64;
                    let expected = (run.sender_pending + published, run.receiver_pending + published);
                    assert_eq!((pushed.pushed, pulled.pushed), expected);
                    assert_eq!(pulled.pulled, run.sender_pending + published);
                    assert!(pulled.changed >= template.changes.len() as u64, "{pulled:?}");
                    run
                },
                BatchSize::PerIteration,
            )
        });
    }

    group.bench_function("bare SQLite insert of the same rows (ceiling)", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let conn = rusqlite::Connection::open(dir.path().join("bare.sqlite3")).unwrap();
                conn.execute_batch(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                     CREATE TABLE changes (seq INTEGER PRIMARY KEY, change_id TEXT NOT NULL UNIQUE, entity TEXT NOT NULL,
                                           record_id TEXT NOT NULL, op TEXT NOT NULL, fields TEXT NOT NULL, hlc TEXT NOT NULL) STRICT;",
                )
                .unwrap();
                (dir, conn)
            },
            |(dir, mut conn)| {
                let tx = conn.transaction().unwrap();
                {
                    let mut insert = tx
                        .prepare("INSERT INTO changes (change_id, entity, record_id, op, fields, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                        .unwrap();
                    for change in &template.changes {
                        let fields = serde_json::Value::Object(change.fields.clone()).to_string();
                        insert
                            .execute((&change.change_id, &change.entity, &change.id, change.op.as_str(), fields, &change.hlc))
                            .unwrap();
                    }
                }
                tx.commit().unwrap();
                (dir, conn)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, through_the_hub);
criterion_main!(benches);
