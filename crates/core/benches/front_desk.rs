//! The front desk at the scale of a large center after ten years: 20,000 people, 300,000 visits.
//! Targets: search-as-you-type and a check-in each under 1 ms median.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use porchlight_core::access::Session;
use porchlight_core::accounts::{self, FirstRun};
use porchlight_core::{demo, front_desk, visits, Desk};
use porchlight_testkit::harbor_house;

/// `cargo bench` passes `--bench`; `cargo test --benches` (criterion's test mode, one iteration,
/// to show the benchmark still works) does not, and gets a small desk.
fn size() -> demo::Size {
    if std::env::args().any(|arg| arg == "--bench") {
        demo::Size::LARGE
    } else {
        demo::Size {
            people: 300,
            visits: 2_000,
            days: 30,
            groups: 8,
            calls: 2_000,
            call_days: 365,
            callers: 150,
            resources: 40,
            volunteers: 40,
            shift_templates: 8,
            shift_days: 60,
        }
    }
}

/// A seeded desk and a signed-in admin, so every operation pays for its permission check.
fn seeded_desk() -> (tempfile::TempDir, Desk, Session) {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open_dir(dir.path()).unwrap();
    let center = FirstRun { center_name: "Bench House".into(), time_zone: "America/Chicago".into(), ..harbor_house() };
    let session = accounts::first_run(&mut desk, &center).unwrap();
    let started = Instant::now();
    demo::seed(&mut desk, &session, size()).unwrap();
    eprintln!("seeded {:?} in {:.1?}", size(), started.elapsed());
    (dir, desk, session)
}

fn front_desk(c: &mut Criterion) {
    let (_dir, mut desk, session) = seeded_desk();
    let code = front_desk::search(&desk, &session, "dan", 1).unwrap()[0].member_code.clone();

    let mut search = c.benchmark_group("search as you type");
    for typed in ["d", "da", "dan", "dan r", code.as_str()] {
        let label = if typed == code { "member code" } else { typed };
        search.bench_function(label, |b| b.iter(|| front_desk::search(&desk, &session, typed, 8).unwrap()));
    }
    search.finish();

    let everyone: Vec<String> = {
        let mut ids = Vec::new();
        for letter in 'a'..='z' {
            ids.extend(
                front_desk::search(&desk, &session, &letter.to_string(), 20_000).unwrap().into_iter().map(|m| m.id),
            );
        }
        ids.sort();
        ids.dedup();
        ids
    };
    // As in the app: the window's connection leaves folding the log to a background one.
    desk.leave_log_folding_to_another_connection().unwrap();
    let folding = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let folder = {
        let (folding, dir) = (folding.clone(), desk.path().parent().unwrap().to_owned());
        std::thread::spawn(move || {
            let background = Desk::open_dir(&dir).unwrap();
            while folding.load(std::sync::atomic::Ordering::Relaxed) {
                background.fold_log().unwrap();
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    let mut writes = c.benchmark_group("check-in write");
    writes.bench_function("check in a person (one transaction)", |b| {
        let mut next = 0;
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let person = &everyone[next % everyone.len()];
                next += 1;
                let started = Instant::now();
                let visit = visits::check_in(&mut desk, &session, person, &[]);
                spent += started.elapsed();
                // Check out outside the timing, so the next round finds them free again.
                if let Ok(visit) = visit {
                    visits::check_out(&mut desk, &session, &visit.id).unwrap();
                }
            }
            spent
        })
    });
    writes.finish();
    groups(c, &mut desk, &session, &everyone);
    warmline(c, &mut desk, &session);
    volunteers(c, &mut desk, &session);
    reports(c, &mut desk, &session);
    folding.store(false, std::sync::atomic::Ordering::Relaxed);
    folder.join().unwrap();
}

/// A facilitator's and a coordinator's week, a roster, one mark, a year's figures: on the same
/// seeded desk (at scale, 60 groups over ten years).
fn groups(c: &mut Criterion, desk: &mut Desk, admin: &Session, everyone: &[String]) {
    use porchlight_core::groups::attendance::{self, AttendanceState};
    use porchlight_core::groups::{figures, sessions};

    let (name, pin) = demo::DEMO_FACILITATORS[0];
    let jordan = accounts::list(desk, admin).unwrap().into_iter().find(|a| a.name == name).unwrap().id;
    let facilitator = accounts::sign_in_with_pin(desk, &jordan, pin).unwrap();
    let today = desk.today().unwrap();
    let rows = porchlight_core::export::attendance(
        desk,
        admin,
        porchlight_core::export::Days::default(),
        porchlight_core::export::Format::Csv,
        std::io::sink(),
    )
    .unwrap();
    eprintln!("{rows} attendance rows (marks and headcounts)");

    let mut week = c.benchmark_group("groups");
    week.bench_function("this week's sessions, facilitator", |b| {
        b.iter(|| sessions::upcoming(desk, &facilitator).unwrap())
    });
    week.bench_function("this week's sessions, coordinator", |b| b.iter(|| sessions::upcoming(desk, admin).unwrap()));
    let named = sessions::between(desk, &facilitator, today - chrono::Duration::days(7), today)
        .unwrap()
        .into_iter()
        .rev()
        .find(|s| s.attendance_mode == porchlight_core::groups::AttendanceMode::Named && !s.cancelled)
        .expect("a named session this past week");
    week.bench_function("open a roster", |b| b.iter(|| attendance::roster(desk, &facilitator, &named.id).unwrap()));
    let person = &everyone[0];
    let mut present = false;
    week.bench_function("mark one person", |b| {
        b.iter(|| {
            present = !present;
            let state = if present { AttendanceState::Present } else { AttendanceState::Absent };
            attendance::mark(desk, &facilitator, &named.id, person, state).unwrap()
        })
    });
    week.bench_function("a year's figures, every group", |b| {
        b.iter(|| figures::for_period(desk, admin, today - chrono::Duration::days(365), today).unwrap())
    });
    week.finish();
}

/// A volunteer's call (type-ahead, logging it) and a coordinator's year of figures, then the
/// retention sweep: on the same seeded desk (at scale, 60,000 calls over five years).
fn warmline(c: &mut Criterion, desk: &mut Desk, admin: &Session) {
    use porchlight_core::warmline::calls::{self, CallInput, Outcome};
    use porchlight_core::warmline::{callers, figures, resources, retention, PEER_SUPPORT};

    let (name, pin, _) = demo::DEMO_WARMLINE[0];
    let casey = accounts::list(desk, admin).unwrap().into_iter().find(|a| a.name == name).unwrap().id;
    let volunteer = accounts::sign_in_with_pin(desk, &casey, pin).unwrap();
    let today = desk.today().unwrap();
    let birdie = callers::find(desk, &volunteer, "birdie", 1).unwrap().remove(0);
    let food = resources::find(desk, &volunteer, "food", 1).unwrap().remove(0);

    let mut line = c.benchmark_group("warmline");
    for typed in ["b", "bi", "birdie 1"] {
        line.bench_function(format!("caller type-ahead \"{typed}\""), |b| {
            b.iter(|| callers::find(desk, &volunteer, typed, 8).unwrap())
        });
    }
    for typed in ["f", "food", "eastside ho"] {
        line.bench_function(format!("resource type-ahead \"{typed}\""), |b| {
            b.iter(|| resources::find(desk, &volunteer, typed, 8).unwrap())
        });
    }
    line.bench_function("log a support call (one transaction)", |b| {
        b.iter(|| {
            let call = CallInput {
                caller_id: Some(birdie.id.clone()),
                topic_ids: vec![
                    "01933b00-0000-7000-8002-000000000001".into(),
                    "01933b00-0000-7000-8002-000000000005".into(),
                ],
                resource_ids: vec![food.id.clone()],
                outcome: Some(Outcome::InformationOrReferral),
                notes: Some("Talked about the food pantry's hours.".into()),
                ..CallInput::of_type(
                    PEER_SUPPORT,
                    porchlight_core::Timestamp(desk.now().0 - chrono::Duration::minutes(12)),
                )
            };
            calls::log(desk, &volunteer, &call).unwrap()
        })
    });
    line.bench_function("a year's warmline figures", |b| {
        b.iter(|| figures::for_period(desk, admin, today - chrono::Duration::days(365), today).unwrap())
    });
    let started = Instant::now();
    let first = retention::sweep(desk).unwrap();
    eprintln!("first retention sweep: {first:?} in {:.1?}", started.elapsed());
    line.bench_function("retention sweep, every call checked", |b| b.iter(|| retention::sweep(desk).unwrap()));
    line.finish();
}

/// A coordinator's first screen (the week with coverage, the next 7 days' gaps), the list of who
/// could take a shift, and one assignment with every check: on the same seeded desk (at scale,
/// 300 volunteers on 40 templates over three years).
fn volunteers(c: &mut Criterion, desk: &mut Desk, admin: &Session) {
    use porchlight_core::volunteers::{assignments, shifts};

    let today = desk.today().unwrap();
    let held: i64 = porchlight_core::export::volunteer_hours(
        desk,
        admin,
        porchlight_core::export::Days::default(),
        porchlight_core::export::Format::Csv,
        std::io::sink(),
    )
    .unwrap() as i64;
    eprintln!("{held} hours rows (held shifts and hours logged)");
    let week = shifts::between(desk, admin, today, today + chrono::Duration::days(6)).unwrap();
    let open = week
        .iter()
        .find(|shift| shift.starts_at > desk.now() && shift.held < shift.needed_ideal && !shift.cancelled)
        .expect("a shift this week with room")
        .clone();
    let candidates = assignments::candidates(desk, admin, &open.id).unwrap();
    let someone =
        candidates.iter().find(|c| c.refusal.is_none()).expect("someone who could take it").volunteer_id.clone();

    let mut coverage = c.benchmark_group("volunteers");
    coverage.bench_function("the week with coverage", |b| {
        b.iter(|| shifts::between(desk, admin, today, today + chrono::Duration::days(6)).unwrap())
    });
    coverage.bench_function("the next 7 days' gaps", |b| b.iter(|| shifts::gaps(desk, admin).unwrap()));
    coverage.bench_function("who could take one shift", |b| {
        b.iter(|| assignments::candidates(desk, admin, &open.id).unwrap())
    });
    coverage.bench_function("assign one volunteer, every check (one transaction)", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                let shift = assignments::assign(desk, admin, &open.id, &someone).unwrap();
                spent += started.elapsed();
                // Dropped outside the timing, so the next round finds the place free again.
                let mine = shift.holders.iter().find(|h| h.volunteer_id == someone).unwrap();
                assignments::drop_shift(desk, admin, &mine.assignment_id).unwrap();
            }
            spent
        })
    });
    coverage.finish();
}

/// The center's report, as the Reports screen asks for it (the period beside the one before) and
/// as a file takes it (the period alone), for last month and the last twelve months, on the same
/// seeded desk. Targets: a month under 50 ms median, a year under 300 ms.
fn reports(c: &mut Criterion, desk: &mut Desk, admin: &Session) {
    use porchlight_core::reports::{center, Period, Preset};

    let today = desk.today().unwrap();
    let month = Period::preset(Preset::LastMonth, today, 1);
    let year = Period { from: today - chrono::Duration::days(364), to: today };
    let people = porchlight_core::same_person::overview(desk, admin).unwrap();
    eprintln!("likely pairs of people at scale: {} ({} shown)", people.likely_total, people.likely.len());
    let mut report = c.benchmark_group("reports");
    report.sample_size(20);
    for (label, period) in [("a month", month), ("a year", year)] {
        report.bench_function(format!("{label}'s report"), |b| {
            b.iter(|| center::report(desk, admin, period.from, period.to).unwrap())
        });
        report.bench_function(format!("{label}'s report beside the one before (the screen)"), |b| {
            b.iter(|| center::compare(desk, admin, period.from, period.to).unwrap())
        });
    }
    report.bench_function("likely pairs of people", |b| {
        b.iter(|| porchlight_core::same_person::overview(desk, admin).unwrap())
    });
    report.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = front_desk
}
criterion_main!(benches);
