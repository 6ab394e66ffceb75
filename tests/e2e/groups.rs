//! Groups as a facilitator takes attendance: the real app on a real desk database, over WebDriver.

use chrono::Duration;
use porchlight_core::access::Role;
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::groups::attendance::{self, AttendanceState};
use porchlight_core::groups::{self, sessions, AttendanceMode, GroupInput, Repeat, Schedule, Weekday};
use porchlight_core::people::{self, PersonInput};
use porchlight_core::reports;
use porchlight_e2e::*;

const JORDAN: &str = "Jordan K.";
const JORDAN_PIN: &str = "3907";

/// Every day from three weeks ago at 00:05, so today always has a session, whenever this runs.
fn every_day(starts_on: chrono::NaiveDate) -> Schedule {
    Schedule {
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
        starts_on,
        ends_on: None,
        start_time: "00:05".into(),
        duration_minutes: 90,
        skipped: Vec::new(),
    }
}

/// Jordan facilitates SMART Recovery (by name; Ann and Cal came last week) and All Recovery
/// (headcount only); Walker has never been.
fn set_up_groups(data_dir: &std::path::Path) {
    let mut desk = open_desk(data_dir).unwrap();
    let jordan = AccountInput {
        name: JORDAN.into(),
        roles: vec![Role::Facilitator],
        pin: JORDAN_PIN.into(),
        ..Default::default()
    };
    let jordan = accounts::create(&mut desk, &OPERATOR, &jordan).unwrap().id;
    let today = desk.today().unwrap();
    let schedule = every_day(today - Duration::days(21));
    let smart = GroupInput {
        name: "SMART Recovery".into(),
        room: Some("Room B".into()),
        capacity: Some(12),
        facilitator_ids: vec![jordan.clone()],
        ..Default::default()
    };
    let smart = groups::create(&mut desk, &OPERATOR, &smart, Some(&schedule)).unwrap();
    let all_recovery = GroupInput {
        name: "All Recovery".into(),
        attendance_mode: Some(AttendanceMode::Headcount),
        room: Some("Main room".into()),
        facilitator_ids: vec![jordan],
        ..Default::default()
    };
    groups::create(&mut desk, &OPERATOR, &all_recovery, Some(&schedule)).unwrap();
    let person = |desk: &mut porchlight_core::Desk, name: &str| {
        people::register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap().id
    };
    let (ann, cal) = (person(&mut desk, "Ann Regular"), person(&mut desk, "Cal Regular"));
    person(&mut desk, "Walker Newcomb");
    let last_week = today - Duration::days(7);
    let past = sessions::of_group(&desk, &OPERATOR, &smart.id, last_week, last_week).unwrap().remove(0);
    for regular in [&ann, &cal] {
        attendance::mark(&mut desk, &OPERATOR, &past.id, regular, AttendanceState::Present).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_facilitator_takes_attendance_and_the_front_desk_counts_the_visits() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let driver = desktop.open_app(data.path()).await;
    driver.quit().await.unwrap();
    set_up_groups(data.path());
    let visits_before = reports::today(&open_desk(data.path()).unwrap(), &OPERATOR).unwrap().visits;

    // Jordan signs in with a PIN and lands on their sessions, not the front desk.
    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;
    unlock(&driver, JORDAN, Secret::Pin(JORDAN_PIN)).await;
    let sessions = eventually(&driver, "Jordan's sessions", || async {
        let found = driver.find_all(By::Css("[data-testid=session]")).await.ok()?;
        (found.len() >= 2).then_some(found)
    })
    .await;
    let nav = texts_of(&driver, "nav.screens button").await;
    assert_eq!(nav, ["Groups"], "a facilitator sees only their screens: {nav:?}");
    assert!(driver.find(By::Css("[data-testid=search]")).await.is_err(), "no front desk for a facilitator");
    screenshot(&driver, "groups-week").await;

    // Today's SMART Recovery: the two regulars from last week, marked present by a key and a click.
    let mut smart = None;
    for session in sessions {
        if session.attr("data-group").await.unwrap().as_deref() == Some("SMART Recovery") {
            smart = Some(session);
            break;
        }
    }
    smart.expect("today's SMART Recovery").click().await.unwrap();
    let rows = eventually(&driver, "the roster of regulars", || async {
        let rows = texts_of(&driver, "[data-testid=roster-row] .name").await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert_eq!(rows, ["Ann Regular", "Cal Regular"]);
    let ann_absent = driver.find(By::Css("[data-testid=roster-row] [data-testid=mark-absent]")).await.unwrap();
    ann_absent.send_keys("p").await.unwrap();
    wait_for_text(&driver, "[data-testid=session-total]", "1").await;
    let second = driver.find_all(By::Css("[data-testid=roster-row] [data-testid=mark-present]")).await.unwrap();
    second[1].click().await.unwrap();
    wait_for_text(&driver, "[data-testid=session-total]", "2").await;

    // A walk-in, found by the front desk's search, and three more who give no name.
    let search = driver.find(By::Css("[data-testid=walk-in-search]")).await.unwrap();
    search.send_keys("walk").await.unwrap();
    eventually(&driver, "Walker in the search", || async {
        text_of(&driver, "[data-testid=walk-in-result]").await.filter(|text| text.contains("Walker"))
    })
    .await;
    search.send_keys(Key::Enter).await.unwrap();
    wait_for_text(&driver, "[data-testid=session-total]", "3").await;
    let headcount = driver.find(By::Css("[data-testid=headcount]")).await.unwrap();
    headcount.send_keys("3").await.unwrap();
    headcount.send_keys(Key::Tab).await.unwrap();
    wait_for_text(&driver, "[data-testid=session-total]", "6").await;
    let states = eventually(&driver, "three marked present", || async {
        let mut states = Vec::new();
        for row in driver.find_all(By::Css("[data-testid=roster-row]")).await.ok()? {
            states.push(row.attr("data-state").await.ok()??);
        }
        (states.iter().filter(|state| *state == "present").count() == 3).then_some(states)
    })
    .await;
    assert_eq!(states.len(), 3, "{states:?}");
    let attended: u32 = eventually(&driver, "the month's figures", || async {
        text_of(&driver, "[data-testid=figure-attendance]").await?.parse().ok().filter(|n: &u32| *n >= 6)
    })
    .await;
    assert!(attended >= 6, "today's six at least: {attended}");
    screenshot(&driver, "groups-attendance").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "groups-attendance-960").await;
    assert_eq!(
        cut_off(&driver, "[data-testid=roster-row] .name, [data-testid=session] .name").await,
        Vec::<String>::new()
    );
    resize_window(&driver, 1280, 820).await;

    // The headcount-only meeting records a number and never a name.
    let all_recovery = driver.find(By::Css("[data-testid=session][data-group='All Recovery']")).await.unwrap();
    all_recovery.click().await.unwrap();
    eventually(&driver, "the headcount-only meeting", || async {
        text_of(&driver, "[data-testid=attendance] h2").await.filter(|title| title == "All Recovery")
    })
    .await;
    assert!(driver.find(By::Css("[data-testid=walk-in-search]")).await.is_err(), "no names here");
    assert!(driver.find_all(By::Css("[data-testid=roster-row]")).await.unwrap().is_empty());
    for _ in 0..9 {
        driver.find(By::Css("[data-testid=headcount-more]")).await.unwrap().click().await.unwrap();
    }
    wait_for_text(&driver, "[data-testid=session-total]", "9").await;
    screenshot(&driver, "groups-headcount-only").await;

    // Tomorrow's meeting takes no attendance yet: marking ahead made visits today for people not
    // in the building.
    let smart_days = driver.find_all(By::Css("[data-testid=session][data-group='SMART Recovery']")).await.unwrap();
    smart_days[1].click().await.unwrap();
    let not_yet = eventually(&driver, "tomorrow's meeting not open yet", || async {
        text_of(&driver, "[data-testid=session-not-yet]").await
    })
    .await;
    assert!(not_yet.starts_with("Attendance opens on the day: "), "{not_yet}");
    for mark in driver.find_all(By::Css("[data-testid=roster-row] [data-testid=mark-present]")).await.unwrap() {
        assert!(!mark.is_enabled().await.unwrap(), "no mark ahead of the day");
    }
    assert!(driver.find(By::Css("[data-testid=walk-in-search]")).await.is_err(), "no walk-ins ahead of the day");
    screenshot(&driver, "groups-session-not-yet").await;

    // Last week is one click back: its meeting and the two who came, to fix a mark after the night.
    click(&driver, "[data-testid=sessions-earlier]").await;
    eventually(&driver, "last week's sessions", || async {
        text_of(&driver, "#week-title").await?.starts_with("Sessions of ").then_some(())
    })
    .await;
    let last_week = eventually(&driver, "last week's SMART Recovery", || async {
        driver
            .find_all(By::Css("[data-testid=session][data-group='SMART Recovery']"))
            .await
            .ok()
            .filter(|found| found.len() == 7)
    })
    .await;
    last_week[0].click().await.unwrap();
    let states = eventually(&driver, "the two who came last week", || async {
        let mut states = Vec::new();
        for row in driver.find_all(By::Css("[data-testid=roster-row]")).await.ok()? {
            states.push(row.attr("data-state").await.ok()??);
        }
        (states.len() >= 2).then_some(states)
    })
    .await;
    assert_eq!(states.iter().filter(|state| *state == "present").count(), 2, "{states:?}");
    screenshot(&driver, "groups-earlier-week").await;
    click(&driver, "[data-testid=sessions-later]").await;
    wait_for_text(&driver, "#week-title", "Sessions this week").await;

    // The front desk's today counts the three people marked present, once each.
    driver.find(By::Css("[data-testid=lock]")).await.unwrap().click().await.unwrap();
    unlock(&driver, ADMIN_NAME, Secret::Pin(ADMIN_PIN)).await;
    wait_for_text(&driver, "[data-testid=figure-visits]", &(visits_before + 3).to_string()).await;
    screenshot(&driver, "front-desk-after-groups").await;

    // An admin's every screen fits one row of the bar at the narrowest window.
    resize_window(&driver, 960, 760).await;
    driver.execute("window.scrollTo(0, 0)", Vec::new()).await.unwrap();
    let bar = driver
        .execute(
            "return [...document.querySelectorAll('nav.screens button')].map((b) => {
                const r = b.getBoundingClientRect(); return [b.textContent.trim(), r.top, r.right]; })",
            Vec::new(),
        )
        .await
        .unwrap();
    let bar: Vec<(String, f64, f64)> = serde_json::from_value(bar.json().clone()).unwrap();
    let labels: Vec<&str> = bar.iter().map(|(label, _, _)| label.as_str()).collect();
    assert_eq!(labels, ["Front desk", "Groups", "Warmline", "Volunteers", "Reports", "Staff", "Audit log", "Settings"]);
    assert!(bar.iter().all(|(_, top, right)| *top == bar[0].1 && *right <= 960.0), "one row, nothing hidden: {bar:?}");
    screenshot(&driver, "admin-screens-960").await;
    resize_window(&driver, 1280, 820).await;

    // An admin sets a class up; a schedule with no weekday is refused beside it, nothing saved.
    driver.find(By::Css("[data-testid=nav-groups]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=groups-setup]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the two groups", || async {
        (driver.find_all(By::Css("[data-testid=group-row]")).await.ok()?.len() == 2).then_some(())
    })
    .await;
    screenshot(&driver, "groups-setup").await;
    driver.find(By::Css("[data-testid=new-group]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=group-name]")).await.unwrap().send_keys("Budgeting Basics").await.unwrap();
    driver.find(By::Css("[data-testid=day-tuesday]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=save-group]")).await.unwrap().click().await.unwrap();
    wait_for_text(&driver, "[data-testid=schedule-error]", "Choose at least one weekday.").await;
    screenshot(&driver, "group-form-refused").await;
    driver.find(By::Css("[data-testid=day-thursday]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=save-group]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the new class listed", || async {
        (driver.find_all(By::Css("[data-testid=group-row]")).await.ok()?.len() == 3).then_some(())
    })
    .await;

    // A family night on the 2nd and 4th Tuesday of each month.
    driver.find(By::Css("[data-testid=new-group]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=group-name]")).await.unwrap().send_keys("Family Night").await.unwrap();
    driver
        .execute(
            "const select = document.querySelector('[data-testid=repeat]');
             select.value = 'monthly'; select.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    for week in ["week-of-month-1", "week-of-month-2", "week-of-month-4"] {
        click(&driver, &format!("[data-testid={week}]")).await;
    }
    screenshot(&driver, "group-form-monthly").await;
    driver.find(By::Css("[data-testid=save-group]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the family night listed", || async {
        (driver.find_all(By::Css("[data-testid=group-row]")).await.ok()?.len() == 4).then_some(())
    })
    .await;
    driver.quit().await.unwrap();

    let desk = open_desk(data.path()).unwrap();
    let today = desk.today().unwrap();
    let held = sessions::between(&desk, &OPERATOR, today, today).unwrap();
    let counted: Vec<(String, u32, Option<u32>)> = held
        .into_iter()
        .filter(|s| s.group_name != "Budgeting Basics")
        .map(|s| (s.group_name, s.present, s.anonymous_count))
        .collect();
    assert_eq!(counted, [("All Recovery".to_owned(), 0, Some(9)), ("SMART Recovery".to_owned(), 3, Some(3))]);
    let class = groups::list(&desk, &OPERATOR).unwrap().into_iter().find(|g| g.name == "Budgeting Basics").unwrap();
    assert_eq!(class.schedule.unwrap().weekdays, [Weekday::Thursday], "saved as corrected, once");
    let family = groups::list(&desk, &OPERATOR).unwrap().into_iter().find(|g| g.name == "Family Night").unwrap();
    let monthly = family.schedule.unwrap();
    assert_eq!(
        (monthly.repeat, monthly.weekdays, monthly.weeks_of_month),
        (Repeat::Monthly, vec![Weekday::Tuesday], vec![2, 4])
    );
}

/// Attendance at one key a person: a roster of 24 opens with its first name focused, and each
/// P marks that person present and moves to the next name.
#[tokio::test(flavor = "multi_thread")]
async fn a_roster_of_twenty_four_is_taken_with_one_key_a_person() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let driver = desktop.open_app(data.path()).await;
    {
        let mut desk = open_desk(data.path()).unwrap();
        let today = desk.today().unwrap();
        let input = GroupInput { name: "Roll Call".into(), ..Default::default() };
        let group = groups::create(&mut desk, &OPERATOR, &input, Some(&every_day(today - Duration::days(14)))).unwrap();
        let last_week =
            sessions::of_group(&desk, &OPERATOR, &group.id, today - Duration::days(7), today - Duration::days(7))
                .unwrap()
                .remove(0);
        for n in 1..=24 {
            let person = PersonInput { display_name: format!("Regular {n:02}"), ..Default::default() };
            let id = people::register(&mut desk, &OPERATOR, &person).unwrap().id;
            attendance::mark(&mut desk, &OPERATOR, &last_week.id, &id, AttendanceState::Present).unwrap();
        }
    }
    press(&driver, "2").await;
    let today = eventually(&driver, "today's Roll Call", || async {
        driver.find(By::Css("[data-testid=session][data-group='Roll Call']")).await.ok()
    })
    .await;
    today.click().await.unwrap();
    eventually(&driver, "the roster of 24, its first name focused", || async {
        let rows = driver.find_all(By::Css("[data-testid=roster-row]")).await.ok()?;
        let focused = driver.active_element().await.ok()?;
        (rows.len() == 24 && focused.attr("data-testid").await.ok()??.starts_with("mark-")).then_some(())
    })
    .await;
    let keys = "p".repeat(24);
    driver.action_chain().send_keys(&keys).perform().await.unwrap();
    wait_for_text(&driver, "[data-testid=session-total]", "24").await;
    let present = driver.find_all(By::Css("[data-testid=roster-row][data-state=present]")).await.unwrap().len();
    assert_eq!(present, 24, "{} keys for 24 people", keys.len());
    eprintln!("attendance: 24 people marked with {} keys", keys.len());
    screenshot(&driver, "groups-roster-of-24").await;
    driver.quit().await.unwrap();
}
