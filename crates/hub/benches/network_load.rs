//! A statewide network under load: 100 centers × 3 desks on loopback, each desk pushing a small
//! batch of sealed changes and pulling what its center's other desks sent, round after round,
//! all at once; against the hub on SQLite and on PostgreSQL (a throwaway server).
//!
//! `cargo bench -p porchlight-hub --bench network_load` prints, for each store, the changes
//! stored per second, the p50/p99 latency of pushes and of pulls, and the errors; it fails when
//! a store is under 5,000 changes/s, over 250 ms at p99, answers with any error, or leaves any
//! desk of a center without every change of its center, or with one twice. Under `cargo test`
//! (`make test`) it runs a small network once, to show it still works.
//!
//! Each desk offers a batch every [`ROUND_INTERVAL`] (6,000 changes/s from the whole network);
//! a desk behind schedule goes again at once, so a hub that cannot keep up shows as fewer
//! changes per second and longer waits.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use porchlight_hub::{Database, Store};
use porchlight_testkit::postgres::PostgresServer;
use serde_json::{json, Value};

struct Scale {
    centers: usize,
    desks_per_center: usize,
    rounds: usize,
    batch: usize,
}

const FULL: Scale = Scale { centers: 100, desks_per_center: 3, rounds: 20, batch: 10 };
const SMOKE: Scale = Scale { centers: 4, desks_per_center: 3, rounds: 3, batch: 10 };
const ROUND_INTERVAL: Duration = Duration::from_millis(500);

const CHANGES_PER_SECOND_TARGET: f64 = 5_000.0;
const P99_TARGET: Duration = Duration::from_millis(250);

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let scale = if full { FULL } else { SMOKE };
    let mut failures = Vec::new();
    println!(
        "{} centers × {} desks, {} rounds of {} changes each, a batch offered every {} ms per desk",
        scale.centers,
        scale.desks_per_center,
        scale.rounds,
        scale.batch,
        ROUND_INTERVAL.as_millis()
    );
    println!(
        "{:<11} {:>10} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "store", "changes/s", "push p50", "push p99", "pull p50", "pull p99", "errors"
    );
    let dir = tempfile::tempdir().unwrap();
    let postgres = PostgresServer::start_durable();
    for (name, database) in [
        ("SQLite", Database::Sqlite(dir.path().join("hub.sqlite3"))),
        ("PostgreSQL", Database::Postgres(postgres.new_database())),
    ] {
        let result = run(&scale, database.open().unwrap());
        println!(
            "{:<11} {:>10.0} {:>9} {:>9} {:>9} {:>9} {:>7}",
            name,
            result.changes_per_second,
            millis(percentile(&result.push_latencies, 50)),
            millis(percentile(&result.push_latencies, 99)),
            millis(percentile(&result.pull_latencies, 50)),
            millis(percentile(&result.pull_latencies, 99)),
            result.errors.len()
        );
        failures.extend(result.errors.iter().take(3).map(|error| format!("{name}: {error}")));
        failures.extend(result.divergence.iter().map(|problem| format!("{name}: {problem}")));
        if full {
            if result.changes_per_second < CHANGES_PER_SECOND_TARGET {
                failures.push(format!(
                    "{name}: {:.0} changes/s, under {CHANGES_PER_SECOND_TARGET}",
                    result.changes_per_second
                ));
            }
            for (what, latencies) in [("push", &result.push_latencies), ("pull", &result.pull_latencies)] {
                let p99 = percentile(latencies, 99);
                if p99 > P99_TARGET {
                    failures.push(format!("{name}: {what} p99 {} over {}", millis(p99), millis(P99_TARGET)));
                }
            }
        }
    }
    assert!(failures.is_empty(), "the network under load:\n{}", failures.join("\n"));
}

struct Outcome {
    changes_per_second: f64,
    push_latencies: Vec<Duration>,
    pull_latencies: Vec<Duration>,
    errors: Vec<String>,
    /// Desks that do not hold exactly their center's changes, each once.
    divergence: Vec<String>,
}

/// What one desk did: the change ids it pushed and pulled, and how long each request took.
#[derive(Default)]
struct DeskLog {
    center: usize,
    pushed: Vec<String>,
    pulled: Vec<String>,
    push_latencies: Vec<Duration>,
    pull_latencies: Vec<Duration>,
    errors: Vec<String>,
}

fn run(scale: &Scale, store: Arc<dyn Store>) -> Outcome {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(porchlight_hub::serve(listener, None, store.clone(), Default::default(), std::future::pending()));

    // The network's centers and their desks, enrolled as the operator's codes would enrol them
    // (at once: over HTTP the hub would hold 300 enrollments from one address to its limit);
    // each center's key is named by its first desk, as a real one would.
    let mut tokens = Vec::new();
    for center in 0..scale.centers {
        let name = format!("Center {center:03}");
        store.add_center(&name).unwrap();
        let enrolled = (0..scale.desks_per_center).map(|desk| {
            let code = store.new_enrollment_code(Some(&name)).unwrap();
            match store.enroll(&format!("Desk {desk}"), &code).unwrap() {
                porchlight_hub::store::Enrollment::Enrolled { token, .. } => format!("Bearer {token}"),
                porchlight_hub::store::Enrollment::CodeRefused => panic!("a fresh code is taken"),
            }
        });
        tokens.push(enrolled.collect::<Vec<_>>());
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        // Each desk keeps its connection, as the desk's client does.
        .max_idle_connections(4 * scale.centers * scale.desks_per_center)
        .max_idle_connections_per_host(4 * scale.centers * scale.desks_per_center)
        .build()
        .into();
    let key_ids: Vec<String> = (0..scale.centers).map(|center| format!("{:032x}", 0xc0ffee00 + center)).collect();

    let started = Instant::now();
    let all_rounds_done = std::sync::Barrier::new(scale.centers * scale.desks_per_center);
    let logs: Vec<DeskLog> = std::thread::scope(|scope| {
        let mut desks = Vec::new();
        for (center, center_tokens) in tokens.iter().enumerate() {
            for (desk, token) in center_tokens.iter().enumerate() {
                let (agent, url, key_id) = (agent.clone(), url.as_str(), key_ids[center].as_str());
                let all_rounds_done = &all_rounds_done;
                desks.push(scope.spawn(move || {
                    let desk = Desk { center, desk, token, key_id };
                    run_desk(&agent, url, &desk, scale, started, all_rounds_done)
                }));
            }
        }
        desks.into_iter().map(|desk| desk.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    drop(runtime);

    let stored: usize = logs.iter().map(|log| log.pushed.len()).sum();
    let mut outcome = Outcome {
        changes_per_second: stored as f64 / elapsed.as_secs_f64(),
        push_latencies: logs.iter().flat_map(|log| log.push_latencies.iter().copied()).collect(),
        pull_latencies: logs.iter().flat_map(|log| log.pull_latencies.iter().copied()).collect(),
        errors: logs.iter().flat_map(|log| log.errors.iter().cloned()).collect(),
        divergence: Vec::new(),
    };
    let mut by_center: HashMap<usize, HashSet<&String>> = HashMap::new();
    for log in &logs {
        by_center.entry(log.center).or_default().extend(log.pushed.iter());
    }
    for (index, log) in logs.iter().enumerate() {
        let mut held: Vec<&String> = log.pulled.iter().collect();
        held.sort();
        let doubled = held.windows(2).filter(|pair| pair[0] == pair[1]).count();
        let held: HashSet<&String> = held.into_iter().collect();
        let center = &by_center[&log.center];
        if doubled > 0 || &held != center {
            outcome.divergence.push(format!(
                "desk {index} of center {}: {} changes pulled ({doubled} twice), its center has {}",
                log.center,
                log.pulled.len(),
                center.len()
            ));
        }
    }
    outcome.push_latencies.sort();
    outcome.pull_latencies.sort();
    outcome
}

/// A desk of the network: which center, which of its desks, its bearer token, the center's key id.
struct Desk<'a> {
    center: usize,
    desk: usize,
    token: &'a str,
    key_id: &'a str,
}

/// One desk: name the center's key (the first claim wins, as at a real center), then
/// push a batch and pull until up to date, each round; once every desk has done its rounds,
/// pull what the others sent last.
fn run_desk(
    agent: &ureq::Agent,
    url: &str,
    &Desk { center, desk, token, key_id }: &Desk,
    scale: &Scale,
    started: Instant,
    all_rounds_done: &std::sync::Barrier,
) -> DeskLog {
    let mut log = DeskLog { center, ..Default::default() };
    let claim = agent
        .post(format!("{url}/v1/center/key"))
        .header("authorization", token)
        .send_json(json!({"key_id": key_id}))
        .unwrap();
    assert!(claim.status().is_success(), "the key is named: {}", claim.status());

    let mut cursor = 0;
    // Desks start their rounds spread over the first interval, as desks' clocks are.
    let offset = ROUND_INTERVAL.mul_f64(((center * scale.desks_per_center + desk) % 97) as f64 / 97.0);
    for round in 0..scale.rounds {
        let due = started + offset + ROUND_INTERVAL * round as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let changes: Vec<Value> = (0..scale.batch)
            .map(|n| {
                json!({
                    "change_id": uuid::Uuid::now_v7().to_string(),
                    "entity": "visit",
                    "id": uuid::Uuid::now_v7().to_string(),
                    "op": "upsert",
                    "fields": {
                        "person_id": sealed(key_id, 60),
                        "services": sealed(key_id, 90),
                        "checked_in_at": sealed(key_id, 56),
                    },
                    "hlc": format!("{:015}-{n:05}", 1_795_432_100_000u64 + round as u64),
                    "auth": format!("pa2.{key_id}.{}", sealed_body(43)),
                })
            })
            .collect();
        let ids: Vec<String> = changes.iter().map(|change| change["change_id"].as_str().unwrap().to_owned()).collect();
        let began = Instant::now();
        let pushed = agent
            .post(format!("{url}/v1/changes"))
            .header("authorization", token)
            .send_json(json!({ "changes": changes }));
        match pushed {
            Ok(response) if response.status().is_success() => {
                log.push_latencies.push(began.elapsed());
                log.pushed.extend(ids);
            }
            Ok(mut response) => {
                let said = response.body_mut().read_to_string().unwrap_or_default();
                log.errors.push(format!("push: HTTP {}: {said}", response.status()));
            }
            Err(err) => log.errors.push(format!("push: {err}")),
        }
        pull_until_up_to_date(agent, url, token, &mut cursor, &mut log);
    }
    all_rounds_done.wait();
    pull_until_up_to_date(agent, url, token, &mut cursor, &mut log);
    log
}

fn pull_until_up_to_date(agent: &ureq::Agent, url: &str, token: &str, cursor: &mut u64, log: &mut DeskLog) {
    loop {
        let began = Instant::now();
        let response =
            agent.get(format!("{url}/v1/changes?since={cursor}&limit=500")).header("authorization", token).call();
        let mut response = match response {
            Ok(response) if response.status().is_success() => response,
            Ok(response) => return log.errors.push(format!("pull: HTTP {}", response.status())),
            Err(err) => return log.errors.push(format!("pull: {err}")),
        };
        let page: Value = response.body_mut().with_config().limit(64 << 20).read_json().unwrap();
        log.pull_latencies.push(began.elapsed());
        for change in page["changes"].as_array().unwrap() {
            log.pulled.push(change["change_id"].as_str().unwrap().to_owned());
        }
        *cursor = page["next"].as_u64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            return;
        }
    }
}

/// A value in the sealed form the hub requires once a center has a key (the hub checks the
/// form, never the contents); `length` characters of base64url, as a sealed short field is.
fn sealed(key_id: &str, length: usize) -> String {
    format!("pl2.{key_id}.{}", sealed_body(length))
}

/// `length` characters of base64url: the hub checks a sealed value's and a proof's form only.
fn sealed_body(length: usize) -> String {
    (0..length).map(|_| char::from(b'A' + fastrand::u8(0..26))).collect()
}

fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) * percent) / 100]
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
