//! The warmline as a volunteer keeps it while on the phone: the real app on a real desk database,
//! over WebDriver, killed mid-call and started again.

use std::path::Path;
use std::process::Command;

use chrono::Duration;
use porchlight_core::access::Role;
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::warmline::calls::{self, CallInput};
use porchlight_core::warmline::{callers, CallKind, PEER_SUPPORT};
use porchlight_core::{Desk, Timestamp};
use porchlight_e2e::*;

const CASEY: &str = "Casey L.";
const CASEY_PIN: &str = "4719";
const FRANKIE: &str = "Frankie P.";
const FRANKIE_PIN: &str = "6130";

/// Casey volunteers on the line and Frankie works the front desk; Birdie has called once before,
/// and a coordinator left her a flag and a note on what helps.
fn set_up_line(data_dir: &Path) {
    let mut desk = open_desk(data_dir).unwrap();
    let account = |desk: &mut Desk, name: &str, role: Role, pin: &str| {
        let input = AccountInput { name: name.into(), roles: vec![role], pin: pin.into(), ..Default::default() };
        accounts::create(desk, &OPERATOR, &input).unwrap().id
    };
    let casey = account(&mut desk, CASEY, Role::Warmline, CASEY_PIN);
    account(&mut desk, FRANKIE, Role::FrontDesk, FRANKIE_PIN);
    let birdie = callers::add(&mut desk, &OPERATOR, "Birdie").unwrap().id;
    let three_days_ago = Timestamp(chrono::Utc::now() - Duration::days(3));
    let earlier = CallInput {
        ended_at: Some(Timestamp(three_days_ago.0 + Duration::minutes(20))),
        caller_id: Some(birdie.clone()),
        taken_by: Some(casey),
        ..CallInput::of_type(PEER_SUPPORT, three_days_ago)
    };
    calls::log(&mut desk, &OPERATOR, &earlier).unwrap();
    callers::write_what_helps(&mut desk, &OPERATOR, &birdie, Some("Talking about her garden")).unwrap();
    let until = desk.today().unwrap() + Duration::days(10);
    callers::add_flag(&mut desk, &OPERATOR, &birdie, "Keep calls to 15 minutes", until).unwrap();
}

async fn call_state(driver: &WebDriver, state: &str) {
    eventually(driver, &format!("the call form {state}"), || async {
        let form = driver.find(By::Css("[data-testid=call-form]")).await.ok()?;
        (form.attr("data-state").await.ok()??.as_str() == state).then_some(())
    })
    .await;
}

/// Picks the first match the type-ahead `testid` offers for `typed`, once it shows `expected`.
async fn pick(driver: &WebDriver, testid: &str, typed: &str, expected: &str) {
    let field = in_view(driver, &format!("[data-testid={testid}]")).await;
    field.send_keys(typed).await.unwrap();
    offered(driver, testid, expected).await;
    field.send_keys(Key::Enter).await.unwrap();
}

/// Waits until the type-ahead `testid` offers `expected` first.
async fn offered(driver: &WebDriver, testid: &str, expected: &str) {
    eventually(driver, &format!("{expected} offered"), || async {
        text_of(driver, &format!("[data-testid={testid}-match]")).await.filter(|text| text.contains(expected))
    })
    .await;
}

/// Keys as the person types them, to whatever has the focus.
async fn keys_to(driver: &WebDriver, keys: impl Into<TypingData>) {
    driver.action_chain().send_keys(keys).perform().await.unwrap();
}

/// Ends the app as a power cut would: no chance to save anything more.
fn kill_app(data_dir: &Path) {
    let killed = Command::new("pkill").args(["-KILL", "-f", &data_dir.display().to_string()]).status().unwrap();
    assert!(killed.success(), "the app was running on {}", data_dir.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_volunteer_logs_calls_by_keyboard_and_a_call_survives_the_app_being_killed() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let driver = desktop.open_app(data.path()).await;
    driver.quit().await.unwrap();
    set_up_line(data.path());

    // Casey signs in with a PIN and lands on the line: no front desk, no people directory.
    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;
    unlock(&driver, CASEY, Secret::Pin(CASEY_PIN)).await;
    call_state(&driver, "idle").await;
    assert_eq!(texts_of(&driver, "nav.screens button").await, ["Warmline"]);
    assert!(driver.find(By::Css("[data-testid=search]")).await.is_err(), "no front desk on the line");
    assert_eq!(
        texts_of(&driver, "[data-testid=warmline] [role=tab]").await,
        ["Calls", "Callbacks", "Shift handoff", "Figures"],
        "a volunteer sees the line's figures (they hold no notes), never its setup"
    );
    screenshot(&driver, "warmline-idle").await;

    // A support call by keyboard alone, its keys counted: Alt+C starts it with the usual type
    // chosen, the caller's first letters and Enter, two topics, a referral and the outcome.
    let mut keys = 0;
    press(&driver, "c").await;
    keys += 1;
    call_state(&driver, "running").await;
    let focused_is = |testid: &'static str| {
        let driver = &driver;
        async move {
            eventually(driver, &format!("{testid} focused"), || async {
                let focused = driver.active_element().await.ok()?;
                (focused.attr("data-testid").await.ok()??.as_str() == testid).then_some(())
            })
            .await
        }
    };
    focused_is("caller-search").await;
    keys_to(&driver, "bir").await;
    keys += 3;
    offered(&driver, "caller-search", "Birdie").await;
    keys_to(&driver, Key::Enter).await;
    keys += 1;
    eventually(&driver, "Birdie's one call before", || async {
        text_of(&driver, "[data-testid=caller-history]").await.filter(|text| text.starts_with("1 call before, last on"))
    })
    .await;
    let banner =
        eventually(&driver, "Birdie's banner", || async { text_of(&driver, "[data-testid=caller-banner]").await })
            .await;
    assert!(banner.contains("Keep calls to 15 minutes") && banner.contains("Talking about her garden"), "{banner}");
    screenshot(&driver, "warmline-caller-banner").await;
    focused_is("topic").await;
    keys_to(&driver, " ").await;
    keys_to(&driver, Key::Right).await;
    keys_to(&driver, " ").await;
    keys += 3;
    keys_to(&driver, Key::Tab).await;
    keys += 1;
    focused_is("referral-search").await;
    keys_to(&driver, "988").await;
    keys += 3;
    offered(&driver, "referral-search", "988 Suicide").await;
    keys_to(&driver, Key::Enter).await;
    keys += 1;
    wait_for_text(&driver, "[data-testid=referral]", "988 Suicide & Crisis Lifeline ×").await;
    // Past the referral's remove button to the outcome; the arrow chooses the second.
    keys_to(&driver, Key::Tab).await;
    keys_to(&driver, Key::Tab).await;
    keys += 2;
    focused_is("outcome").await;
    keys_to(&driver, Key::Down).await;
    keys += 1;
    eventually(&driver, "the outcome chosen", || async {
        let chosen = driver.find(By::Css("[data-testid=outcome][data-outcome=information_or_referral]")).await.ok()?;
        chosen.is_selected().await.ok()?.then_some(())
    })
    .await;
    let topics: Vec<String> = {
        let mut ticked = Vec::new();
        for topic in driver.find_all(By::Css("[data-testid=topic]")).await.unwrap() {
            if topic.is_selected().await.unwrap() {
                ticked.push(topic.attr("data-topic").await.unwrap().unwrap());
            }
        }
        ticked
    };
    assert_eq!(topics, ["Loneliness / isolation", "Cravings / urges"]);
    type_into(&driver, "[data-testid=call-notes]", "Talked through the weekend; gave her the 988 number to keep.")
        .await;
    screenshot(&driver, "warmline-call").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "warmline-call-960").await;
    let cut = cut_off(
        &driver,
        "[data-testid=call-form] label, [data-testid=call-form] legend, [data-testid=caller-banner] p",
    )
    .await;
    assert_eq!(cut, Vec::<String>::new());
    resize_window(&driver, 1280, 820).await;

    // Alt+E ends it (the length can still be corrected), Alt+E again logs it.
    press(&driver, "e").await;
    call_state(&driver, "ended").await;
    press(&driver, "e").await;
    keys += 2;
    call_state(&driver, "idle").await;
    eprintln!("a support call by keyboard: {keys} keys, the notes' words apart");
    assert!(keys < 20, "{keys} keys");
    eventually(&driver, "the call logged", || async {
        text_of(&driver, "[data-testid=call-logged]").await.filter(|text| text.contains("Peer support with Birdie"))
    })
    .await;

    // A hang-up is one click, and keeps nothing but its type.
    click(&driver, "[data-testid=non-data-call][data-type='Hang-up']").await;
    eventually(&driver, "two calls today", || async {
        (driver.find_all(By::Css("[data-testid=today-call]")).await.ok()?.len() == 2).then_some(())
    })
    .await;

    // Both are in the shift handoff.
    click(&driver, "[data-testid=warmline-handoff]").await;
    let handoff = eventually(&driver, "the handoff", || async {
        let calls = texts_of(&driver, "[data-testid=handoff-call]").await;
        (calls.len() == 2).then_some(calls)
    })
    .await;
    assert!(handoff[0].contains("Hang-up"), "{handoff:?}");
    assert!(
        handoff[1].contains("Birdie") && handoff[1].contains("repeat") && handoff[1].contains("988"),
        "{handoff:?}"
    );
    screenshot(&driver, "warmline-handoff").await;

    // A call in progress when the app is killed comes back with its timer and what was typed.
    click(&driver, "[data-testid=warmline-call]").await;
    press(&driver, "c").await;
    call_state(&driver, "running").await;
    click(&driver, "[data-testid=call-type][data-type='Peer support']").await;
    type_into(&driver, "[data-testid=call-notes]", "Still on the line when the power went").await;
    eventually(&driver, "the draft kept", || async {
        let saved = driver.find(By::Css("[data-testid=draft-saved]")).await.ok()?;
        (saved.attr("data-saved").await.ok()??.as_str() == "true").then_some(())
    })
    .await;
    kill_app(data.path());
    let _ = driver.quit().await;

    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;
    unlock(&driver, CASEY, Secret::Pin(CASEY_PIN)).await;
    call_state(&driver, "running").await;
    let restored = eventually(&driver, "the notes restored", || async {
        let notes = driver.find(By::Css("[data-testid=call-notes]")).await.ok()?;
        notes.prop("value").await.ok()?.filter(|value| !value.is_empty())
    })
    .await;
    assert_eq!(restored, "Still on the line when the power went");
    let chosen = driver.find(By::Css("[data-testid=call-type][data-type='Peer support']")).await.unwrap();
    assert_eq!(chosen.prop("checked").await.unwrap().as_deref(), Some("true"));
    let timer = text_of(&driver, "[data-testid=call-timer]").await.unwrap();
    assert_ne!(timer, "0:00", "the timer runs from the call's start, not the restart");
    screenshot(&driver, "warmline-restored").await;

    // The caller asks for a callback tomorrow morning: it waits in the queue until someone makes it.
    click(&driver, "[data-testid=follow-up-wanted]").await;
    let tomorrow = open_desk(data.path()).unwrap().today().unwrap() + Duration::days(1);
    // The time is typed as said, in digits; the field shows it the 12-hour way.
    set_value(&driver, "[data-testid=follow-up-due]", &tomorrow.to_string()).await;
    type_into(&driver, "[data-testid=follow-up-due-time]", "1030am").await;
    eventually(&driver, "the callback's time read", || async {
        let field = driver.find(By::Css("[data-testid=follow-up-due-time]")).await.ok()?;
        (field.attr("data-value").await.ok()??.as_str() == "10:30").then_some(())
    })
    .await;
    type_into(&driver, "[data-testid=follow-up-request]", "The housing list").await;
    press(&driver, "e").await;
    call_state(&driver, "ended").await;
    press(&driver, "e").await;
    wait_for_text(&driver, "[data-testid=follow-up-number-error]", "A callback needs the number to call.").await;
    call_state(&driver, "ended").await;
    type_into(&driver, "[data-testid=follow-up-number]", "555-0188").await;
    press(&driver, "e").await;
    call_state(&driver, "idle").await;
    click(&driver, "[data-testid=warmline-follow-ups]").await;
    let waiting =
        eventually(&driver, "the callback waiting", || async { text_of(&driver, "[data-testid=follow-up]").await })
            .await;
    assert!(
        waiting.contains("Anonymous caller")
            && waiting.contains("The housing list")
            && waiting.contains("555-0188")
            && waiting.contains("10:30 AM"),
        "{waiting}"
    );
    screenshot(&driver, "warmline-callbacks").await;
    click(&driver, "[data-testid=follow-up-complete]").await;
    type_into(&driver, "[data-testid=follow-up-note]", "Read her the list").await;
    click(&driver, "[data-testid=follow-up-done]").await;
    eventually(&driver, "no callbacks waiting", || async {
        driver.find(By::Css("[data-testid=no-follow-ups]")).await.ok()
    })
    .await;
    click(&driver, "[data-testid=warmline-call]").await;

    // An escalation without a reason is refused beside the field, and nothing is logged.
    press(&driver, "c").await;
    call_state(&driver, "running").await;
    click(&driver, "[data-testid=call-type][data-type='Peer support']").await;
    click(&driver, "[data-testid=outcome][data-outcome=transferred_to_crisis_line]").await;
    press(&driver, "e").await;
    press(&driver, "e").await;
    eventually(&driver, "the missing reason", || async {
        text_of(&driver, "[data-testid=escalation-error]").await.filter(|text| !text.is_empty())
    })
    .await;
    call_state(&driver, "ended").await;
    screenshot(&driver, "warmline-escalation-refused").await;
    type_into(&driver, "[data-testid=escalation-reason]", "Talked about ending it; warm transfer to 988").await;
    click(&driver, "[data-testid=log-call]").await;
    call_state(&driver, "idle").await;
    click(&driver, "[data-testid=warmline-handoff]").await;
    wait_for_text(
        &driver,
        "[data-testid=handoff-escalation] [data-testid=escalation-reason-shown]",
        "Talked about ending it; warm transfer to 988",
    )
    .await;
    screenshot(&driver, "warmline-handoff-escalation").await;

    // The callback made earlier is in the handoff, and a note left for the next volunteer (an
    // empty one is refused beside its field) is there for them.
    wait_for_text(&driver, "[data-testid=handoff-callback-made] .how", "Read her the list").await;
    click(&driver, "[data-testid=handoff-note-leave]").await;
    wait_for_text(&driver, "[data-testid=handoff-note-error]", "Write what the next volunteer should know.").await;
    type_into(&driver, "[data-testid=handoff-note-text]", "Birdie may call back about the bus.").await;
    click(&driver, "[data-testid=handoff-note-leave]").await;
    eventually(&driver, "the note left", || async {
        text_of(&driver, "[data-testid=handoff-note]")
            .await
            .filter(|note| note.contains("Birdie may call back") && note.contains(CASEY))
    })
    .await;
    screenshot(&driver, "warmline-handoff-note").await;
    assert_eq!(accessibility_problems(&driver).await, Vec::<String>::new(), "the handoff, by axe-core");
    resize_window(&driver, 960, 760).await;
    assert_eq!(cut_off(&driver, "[data-testid=handoff] h2, [data-testid=handoff] button").await, Vec::<String>::new());
    screenshot(&driver, "warmline-handoff-960").await;
    resize_window(&driver, 1280, 820).await;

    // Birdie's call, corrected field by field: a topic forgotten, and the outcome. The day before
    // is one click away (a call taken at 11:50 pm is corrected after midnight).
    click(&driver, "[data-testid=warmline-call]").await;
    click(&driver, "[data-testid=calls-day-before]").await;
    eventually(&driver, "the day before's calls", || async {
        text_of(&driver, "#today-title").await?.starts_with("Calls of ").then_some(())
    })
    .await;
    screenshot(&driver, "warmline-calls-of-a-day").await;
    // Or every call with her, whatever day: today's first, then the one three days ago.
    pick(&driver, "caller-calls-search", "Bird", "Birdie").await;
    wait_for_text(&driver, "[data-testid=calls-title]", "Calls with Birdie").await;
    let hers = eventually(&driver, "Birdie's calls", || async {
        let rows = texts_of(&driver, "[data-testid=today-call]").await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    assert!(hers.iter().all(|row| row.contains("Birdie")), "{hers:?}");
    assert!(hers[0].contains("repeat") && hers[1].contains("first call"), "{hers:?}");
    screenshot(&driver, "warmline-calls-of-a-caller").await;
    assert_eq!(accessibility_problems(&driver).await, Vec::<String>::new(), "a caller's calls, by axe-core");
    click(&driver, "[data-testid=today-call]").await;
    click(&driver, "[data-testid=call-edit]").await;
    click(&driver, "[data-testid=edit-topic][data-topic='Grief']").await;
    driver
        .execute(
            "const select = document.querySelector('[data-testid=edit-outcome]');
             select.value = 'supportive_listening'; select.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await
        .unwrap();
    screenshot(&driver, "warmline-call-correction").await;
    click(&driver, "[data-testid=edit-save]").await;
    eventually(&driver, "the correction saved", || async {
        driver.find(By::Css("[data-testid=call-correction]")).await.is_err().then_some(())
    })
    .await;
    // The correction shows in her list at once, and Today goes back to the day's calls.
    eventually(&driver, "the correction in her list", || async {
        text_of(&driver, "[data-testid=today-call]").await.filter(|row| row.contains("Grief"))
    })
    .await;
    click(&driver, "[data-testid=calls-today]").await;
    wait_for_text(&driver, "[data-testid=calls-title]", "Today's calls").await;

    // The front desk never reaches the line, by the bar, by Alt+3 or by asking the desk directly.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, FRANKIE, Secret::Pin(FRANKIE_PIN)).await;
    eventually(&driver, "the front desk", || async { driver.find(By::Css("[data-testid=search]")).await.ok() }).await;
    assert!(!texts_of(&driver, "nav.screens button").await.contains(&"Warmline".to_owned()));
    press(&driver, "3").await;
    assert!(driver.find(By::Css("[data-testid=warmline]")).await.is_err(), "Alt+3 opens nothing for the front desk");
    let refused =
        invoke_from_page(&driver, "calls_between", serde_json::json!({ "from": "2026-01-01", "to": "2030-01-01" }))
            .await;
    assert!(refused.starts_with("refused: ") && refused.contains("not_allowed"), "{refused}");

    // The admin sees today's calls in the line's figures.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, ADMIN_NAME, Secret::Pin(ADMIN_PIN)).await;
    eventually(&driver, "the admin's front desk", || async { driver.find(By::Css("[data-testid=search]")).await.ok() })
        .await;
    press(&driver, "3").await;
    click(&driver, "[data-testid=warmline-figures]").await;
    wait_for_text(&driver, "[data-testid=figure-calls]", "5").await;
    wait_for_text(&driver, "[data-testid=figure-non-data-calls]", "1").await;
    wait_for_text(&driver, "[data-testid=figure-escalations]", "1").await;
    let topics = texts_of(&driver, "[data-testid=figure-topic]").await;
    assert!(
        topics.contains(&"Cravings / urges 1".to_owned()) && topics.contains(&"Loneliness / isolation 1".to_owned()),
        "{topics:?}"
    );
    let referrals = texts_of(&driver, "[data-testid=figure-referral]").await;
    assert_eq!(referrals, ["988 Suicide & Crisis Lifeline 1"]);
    screenshot(&driver, "warmline-figures").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "warmline-figures-960").await;
    click(&driver, "[data-testid=warmline-setup]").await;
    eventually(&driver, "the line's setup", || async {
        (driver.find_all(By::Css("[data-testid=setup-resource]")).await.ok()?.len() >= 4).then_some(())
    })
    .await;
    screenshot(&driver, "warmline-setup-960").await;
    resize_window(&driver, 1280, 820).await;
    driver.quit().await.unwrap();

    // What the desk holds: the support call whole, the hang-up with its type alone.
    let desk = open_desk(data.path()).unwrap();
    let today = desk.today().unwrap();
    let logged = calls::between(&desk, &OPERATOR, today, today).unwrap();
    assert_eq!(logged.len(), 4, "{logged:?}");
    let hang_up = logged.iter().find(|call| call.kind == CallKind::NonData).unwrap();
    assert!(
        hang_up.caller_id.is_none() && hang_up.topics.is_empty() && !hang_up.has_notes && hang_up.outcome.is_none()
    );
    let birdie = logged.iter().find(|call| call.caller_alias.as_deref() == Some("Birdie")).unwrap();
    let topics: Vec<&str> = birdie.topics.iter().map(|topic| topic.name.as_str()).collect();
    assert_eq!(topics.len(), 3, "two, and Grief by the correction: {topics:?}");
    assert!(topics.contains(&"Grief"), "{topics:?}");
    assert_eq!(birdie.outcome, Some(calls::Outcome::SupportiveListening), "corrected");
    assert_eq!(birdie.referrals[0].name, "988 Suicide & Crisis Lifeline");
    assert_eq!(birdie.first_time, Some(false));
    assert!(logged.iter().any(|call| call.has_notes && call.caller_id.is_none()), "the restored call, logged");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_centers_line_has_six_months_of_calls_for_its_coordinator() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let (ok, out, err) = run_cli(data.path(), &[("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE)], &["demo"]);
    assert!(ok && out.contains("Avery S. (coordinator, PIN 2964)"), "{out}{err}");
    let driver = desktop.open_app(data.path()).await;
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, "Avery S.", Secret::Pin("2964")).await;
    eventually(&driver, "Avery's screens", || async {
        texts_of(&driver, "nav.screens button").await.contains(&"Warmline".to_owned()).then_some(())
    })
    .await;
    press(&driver, "3").await;
    click(&driver, "[data-testid=warmline-figures]").await;
    click(&driver, "[data-testid=warmline-figures-panel] .period button:last-of-type").await;
    let calls: u32 = eventually(&driver, "a year of the demo's calls", || async {
        text_of(&driver, "[data-testid=figure-calls]").await?.parse().ok().filter(|calls: &u32| *calls >= 1000)
    })
    .await;
    let non_data: u32 = text_of(&driver, "[data-testid=figure-non-data-calls]").await.unwrap().parse().unwrap();
    assert!(non_data > 0 && non_data < calls, "every kind of call: {non_data} of {calls}");
    assert!(texts_of(&driver, "[data-testid=figure-outcome]").await.len() == 5, "every outcome is listed");
    screenshot(&driver, "warmline-demo-figures").await;
    resize_window(&driver, 960, 760).await;
    let cut =
        cut_off(&driver, "[data-testid=figure-topic] .name, [data-testid=figure-referral] .name, .numbers dt").await;
    assert_eq!(cut, Vec::<String>::new());
    screenshot(&driver, "warmline-demo-figures-960").await;
    click(&driver, "[data-testid=warmline-setup]").await;
    eventually(&driver, "the demo's directory", || async {
        (driver.find_all(By::Css("[data-testid=setup-resource]")).await.ok()?.len() >= 40).then_some(())
    })
    .await;
    screenshot(&driver, "warmline-demo-setup-960").await;

    // Maple is linked to her front-desk record only once Avery says she agreed to it.
    pick(&driver, "setup-caller", "maple", "Maple").await;
    pick(&driver, "link-person-search", "a", "").await;
    click(&driver, "[data-testid=link-person]").await;
    wait_for_text(
        &driver,
        "#consent-error",
        "Link a caller to a person only with the person's consent, given to you now.",
    )
    .await;
    click(&driver, "[data-testid=link-consent]").await;
    click(&driver, "[data-testid=link-person]").await;
    eventually(&driver, "Maple linked", || async { driver.find(By::Css("[data-testid=unlink-person]")).await.ok() })
        .await;
    screenshot(&driver, "warmline-demo-caller-linked").await;
    driver.quit().await.unwrap();
    let mut desk = open_desk(data.path()).unwrap();
    let linked: Vec<String> = callers::find(&desk, &OPERATOR, "Maple", 20)
        .unwrap()
        .into_iter()
        .filter(|maple| callers::profile(&mut desk, &OPERATOR, &maple.id).unwrap().linked_to_person)
        .map(|maple| maple.alias)
        .collect();
    assert_eq!(linked.len(), 1, "the one Maple picked, and only with consent: {linked:?}");
}
