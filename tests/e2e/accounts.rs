//! Staff at a shared desk: first-run setup, signing in by PIN, the idle lock, what a front-desk
//! account can and cannot reach, and wrong PINs locking an account. The real app, real files.

use std::time::Duration;

use porchlight_core::access::AccessError;
use porchlight_core::access::Role;
use porchlight_core::accounts::{self, AccountInput, AccountsError};
use porchlight_core::people::{self, PersonInput};
use porchlight_e2e::*;
use serde_json::json;

const SAM: &str = "Sam K.";
const SAM_PIN: &str = "5827";

/// Adds Sam, a front-desk volunteer, as an admin would (through core, on the desk's own file).
fn add_front_desk_volunteer(data_dir: &std::path::Path) -> String {
    let mut desk = open_desk(data_dir).unwrap();
    let input =
        AccountInput { name: SAM.into(), roles: vec![Role::FrontDesk], pin: SAM_PIN.into(), ..Default::default() };
    accounts::create(&mut desk, &OPERATOR, &input).unwrap().id
}

async fn visible_text(driver: &WebDriver) -> String {
    driver.find(By::Css("body")).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_desk_is_set_up_then_locks_when_idle_and_a_front_desk_volunteer_cannot_reach_admin_work() {
    let data = tempfile::tempdir().unwrap();
    let desktop = Desktop::start();
    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;

    // First run: nothing but setup. A weak PIN is refused beside its field and nothing is saved.
    eventually(&driver, "first-run setup", || async { driver.find(By::Css("[data-testid=first-run]")).await.ok() })
        .await;
    assert!(driver.find(By::Css("[data-testid=search]")).await.is_err(), "no data screen before setup");
    let center_name = driver.find(By::Css("[data-testid=setup-center-name]")).await.unwrap();
    assert_eq!(center_name.prop("value").await.unwrap().as_deref(), Some(""), "nothing to delete first");
    let placeholder = center_name.attr("placeholder").await.unwrap();
    assert_eq!(placeholder.as_deref(), Some("Our recovery community center"));
    set_up_center(&driver, "1234").await;
    let error = eventually(&driver, "the PIN to be refused", || text_of(&driver, "[data-testid=error-pin]")).await;
    assert!(error.contains("too easy to guess"), "{error}");
    screenshot(&driver, "first-run-weak-pin").await;
    assert!(accounts::needs_first_run(&open_desk(data.path()).unwrap()).unwrap(), "nothing was saved");

    set_up_center(&driver, ADMIN_PIN).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
    wait_for_text(&driver, "[data-testid=center-name]", CENTER_NAME).await;
    eventually(&driver, "the front desk", || async { driver.find(By::Css("[data-testid=search]")).await.ok() }).await;

    // People are registered, so the lock screen has records it must not show. Sam, whom the
    // admin is about to add as a volunteer, is a member of the center too.
    let register = |name: &str| {
        let input = PersonInput { display_name: name.into(), ..Default::default() };
        people::register(&mut open_desk(data.path()).unwrap(), &OPERATOR, &input).unwrap()
    };
    register("Dana Private");
    let sams_record = register("Sam Kowalski");

    // The admin adds Sam, a front-desk volunteer. A weak PIN is refused beside its field.
    driver.find(By::Css("[data-testid=nav-staff]")).await.unwrap().click().await.unwrap();
    let name =
        eventually(&driver, "the staff form", || async { driver.find(By::Css("[data-testid=staff-name]")).await.ok() })
            .await;
    name.send_keys(SAM).await.unwrap();
    driver.find(By::Css("[data-testid=staff-person-search]")).await.unwrap().send_keys("kowal").await.unwrap();
    let choice = eventually(&driver, "Sam's own record found", || async {
        driver.find(By::Css("[data-testid=staff-person-choice]")).await.ok()
    })
    .await;
    choice.click().await.unwrap();
    wait_for_text(&driver, "[data-testid=staff-person]", "Linked to Sam Kowalski Unlink").await;
    screenshot(&driver, "staff-linked-to-a-member").await;
    driver.find(By::Css("[data-testid=staff-pin]")).await.unwrap().send_keys("1111").await.unwrap();
    driver.find(By::Css("[data-testid=staff-save]")).await.unwrap().click().await.unwrap();
    let error = eventually(&driver, "the weak PIN refused", || text_of(&driver, "[data-testid=staff-error-pin]")).await;
    assert!(error.contains("too easy to guess"), "{error}");
    let pin = driver.find(By::Css("[data-testid=staff-pin]")).await.unwrap();
    pin.clear().await.unwrap();
    pin.send_keys(SAM_PIN).await.unwrap();
    driver.find(By::Css("[data-testid=staff-save]")).await.unwrap().click().await.unwrap();
    wait_for_text(&driver, "[data-testid=staff-note]", "Sam K. can now sign in with their PIN.").await;
    let rows = texts_of(&driver, "[data-testid=staff-row]").await;
    assert!(
        rows.iter().any(|row| row.contains(SAM) && row.contains("Front desk") && row.contains("Active")),
        "{rows:?}"
    );
    screenshot(&driver, "staff").await;
    let staff = accounts::list(&open_desk(data.path()).unwrap(), &OPERATOR).unwrap();
    let sam = staff.iter().find(|account| account.name == SAM).unwrap();
    assert_eq!(sam.person_id.as_deref(), Some(sams_record.id.as_str()), "the link survived the refused PIN");

    // The admin sets this desk to lock after one idle minute.
    driver.find(By::Css("[data-testid=nav-settings]")).await.unwrap().click().await.unwrap();
    let minutes = eventually(&driver, "the lock setting", || async {
        driver.find(By::Css("[data-testid=lock-after-input]")).await.ok()
    })
    .await;
    minutes.clear().await.unwrap();
    minutes.send_keys("0").await.unwrap();
    driver.find(By::Css("[data-testid=save-lock-after]")).await.unwrap().click().await.unwrap();
    let error = eventually(&driver, "0 minutes refused", || text_of(&driver, "[data-testid=error-lock_after]")).await;
    assert!(error.contains("1 to 60"), "{error}");
    minutes.clear().await.unwrap();
    minutes.send_keys("1").await.unwrap();
    driver.find(By::Css("[data-testid=save-lock-after]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the setting saved", || async {
        let saved = porchlight_core::settings::lock_after_minutes(&open_desk(data.path()).ok()?).ok()?;
        (saved == 1).then_some(())
    })
    .await;

    // Nobody touches the desk: it locks, and the lock screen shows names and nothing else.
    eventually_within(&driver, "the idle lock", Duration::from_secs(90), || async {
        driver.find(By::Css("[data-testid=lock-screen]")).await.ok()
    })
    .await;
    screenshot(&driver, "lock-screen").await;
    let shown = visible_text(&driver).await;
    assert!(!shown.contains("Dana Private") && !shown.contains("Kowalski"), "no visitor on the lock screen: {shown}");
    assert!(shown.contains(SAM) && shown.contains(ADMIN_NAME), "{shown}");
    let refused = invoke_from_page(&driver, "here_now", json!({})).await;
    assert!(refused.contains("signed_out"), "a locked desk answers nothing about anyone: {refused}");

    // Sam signs in by PIN: the front desk, but no Settings, and core refuses admin work anyway.
    unlock(&driver, SAM, Secret::Pin(SAM_PIN)).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", SAM).await;
    eventually(&driver, "Sam's front desk", || async { driver.find(By::Css("[data-testid=search]")).await.ok() }).await;
    assert!(driver.find(By::Css("[data-testid=nav-settings]")).await.is_err(), "no Settings for the front desk");
    driver.find(By::Css("body")).await.unwrap().send_keys(Key::Alt + "9").await.unwrap();
    assert!(driver.find(By::Css("[data-testid=center-name-input]")).await.is_err(), "Alt+9 opens nothing");
    screenshot(&driver, "front-desk-volunteer").await;
    let settings = json!({ "input": { "center_name": "Taken over", "time_zone": "UTC" } });
    let refused = invoke_from_page(&driver, "update_settings", settings).await;
    assert!(refused.contains("not_allowed"), "core refuses what the window hides: {refused}");
    let refused = invoke_from_page(&driver, "sync_disconnect", json!({})).await;
    assert!(refused.contains("not_allowed"), "{refused}");
    assert_eq!(porchlight_core::settings::get(&open_desk(data.path()).unwrap()).unwrap().center_name, CENTER_NAME);

    // Locking on demand, for switching user.
    driver.find(By::Css("[data-testid=lock]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the lock screen", || async { driver.find(By::Css("[data-testid=lock-screen]")).await.ok() })
        .await;

    // The admin switches in by PIN: the front desk is open to her, admin screens ask for her password.
    unlock(&driver, ADMIN_NAME, Secret::Pin(ADMIN_PIN)).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
    driver.find(By::Css("[data-testid=nav-settings]")).await.unwrap().click().await.unwrap();
    let password = eventually(&driver, "the password prompt", || async {
        driver.find(By::Css("[data-testid=admin-password]")).await.ok()
    })
    .await;
    screenshot(&driver, "admin-password-prompt").await;
    password.send_keys(ADMIN_PASSWORD).await.unwrap();
    driver.find(By::Css("[data-testid=admin-password-submit]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "Settings after the password", || async {
        driver.find(By::Css("[data-testid=center-name-input]")).await.ok()
    })
    .await;
    driver.quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_pins_back_off_then_lock_the_account_until_an_admin_unlocks_it() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut desk = open_desk(data.path()).unwrap();
        accounts::first_run(&mut desk, &harbor_house()).unwrap();
    }
    let sam = add_front_desk_volunteer(data.path());
    let desktop = Desktop::start();
    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;

    let wrong_pin = |message: &'static str| {
        let driver = driver.clone();
        async move {
            let input = driver.find(By::Css("[data-testid=sign-in-pin]")).await.unwrap();
            input.send_keys("9372").await.unwrap();
            driver.find(By::Css("[data-testid=sign-in]")).await.unwrap().click().await.unwrap();
            eventually(&driver, message, || async {
                let error = text_of(&driver, "[data-testid=sign-in-error]").await?;
                error.contains(message).then_some(error)
            })
            .await
        }
    };
    unlock(&driver, SAM, Secret::Pin("9372")).await;
    let first = eventually(&driver, "the first wrong PIN", || text_of(&driver, "[data-testid=sign-in-error]")).await;
    assert!(first.contains("Wrong PIN. 4 more"), "{first}");
    wrong_pin("Wrong PIN. 3 more").await;
    wrong_pin("Wrong PIN. 2 more").await;
    // After three wrong tries the desk makes each next try wait longer: 15 s, then 30 s.
    let waiting = wrong_pin("wait ").await;
    let seconds: u32 = waiting.split_whitespace().find_map(|word| word.parse().ok()).expect("a wait in seconds");
    assert!((1..=15).contains(&seconds), "{waiting}");
    screenshot(&driver, "sign-in-back-off").await;
    for expected in ["Wrong PIN. One more", "locked"] {
        eventually_within(&driver, expected, Duration::from_secs(90), || async {
            let input = driver.find(By::Css("[data-testid=sign-in-pin]")).await.ok()?;
            input.send_keys("9372").await.ok()?;
            driver.find(By::Css("[data-testid=sign-in]")).await.ok()?.click().await.ok()?;
            let error = eventually(&driver, "an answer", || text_of(&driver, "[data-testid=sign-in-error]")).await;
            if error.contains(expected) {
                return Some(());
            }
            // Still waiting out the back-off: try again in a few seconds.
            tokio::time::sleep(Duration::from_secs(3)).await;
            None
        })
        .await;
    }
    screenshot(&driver, "sign-in-locked").await;
    let locked = accounts::list(&open_desk(data.path()).unwrap(), &OPERATOR).unwrap();
    assert!(locked.iter().any(|account| account.id == sam && account.locked), "the lock is on the account itself");

    // Even the right PIN is refused until an admin unlocks the account.
    unlock(&driver, SAM, Secret::Pin(SAM_PIN)).await;
    eventually(&driver, "the right PIN refused too", || async {
        text_of(&driver, "[data-testid=sign-in-error]").await?.contains("locked").then_some(())
    })
    .await;

    // The admin signs in, finds Sam locked, unlocks him, and reads what happened in the log.
    unlock(&driver, ADMIN_NAME, Secret::Password(ADMIN_PASSWORD)).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
    driver.find(By::Css("[data-testid=nav-staff]")).await.unwrap().click().await.unwrap();
    let unlock_button = eventually(&driver, "Sam shown as locked", || async {
        driver.find(By::Css("[data-testid=staff-unlock]")).await.ok()
    })
    .await;
    let rows = texts_of(&driver, "[data-testid=staff-row]").await;
    assert!(rows.iter().any(|row| row.contains(SAM) && row.contains("Locked")), "{rows:?}");
    let story = text_of(&driver, "[data-testid=staff-lock-story]").await.expect("how Sam came to be locked");
    assert!(story.starts_with("6 failed tries, locked "), "{story}");
    screenshot(&driver, "staff-locked").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "staff-locked-960").await;
    assert_eq!(past_its_box(&driver, "[data-testid=staff-list]").await, Vec::<String>::new(), "at 960 px wide");
    resize_window(&driver, 1280, 800).await;
    unlock_button.click().await.unwrap();
    wait_for_text(&driver, "[data-testid=staff-note]", "Sam K. is unlocked.").await;

    driver.find(By::Css("[data-testid=nav-audit]")).await.unwrap().click().await.unwrap();
    let entries = eventually(&driver, "the audit log", || async {
        let rows = texts_of(&driver, "[data-testid=audit-entry]").await;
        rows.iter().any(|row| row.contains("Account unlocked")).then_some(rows)
    })
    .await;
    let locked = entries.iter().find(|row| row.contains("Account locked")).expect("the lock is in the log");
    assert!(locked.contains(SAM) && locked.contains("after 5 wrong tries"), "{locked}");
    assert_eq!(entries.iter().filter(|row| row.contains("Sign-in failed")).count(), 6, "{entries:?}");
    // The period it opens on ends on the center's today (Denver), whatever the computer's zone.
    let today = open_desk(data.path()).unwrap().today().unwrap();
    let shown_to = driver.find(By::Css("#audit-to")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(shown_to.as_deref(), Some(today.format("%Y-%m-%d").to_string().as_str()));
    let shown_from = driver.find(By::Css("#audit-from")).await.unwrap().prop("value").await.unwrap();
    let week_ago = today - chrono::Days::new(6);
    assert_eq!(shown_from.as_deref(), Some(week_ago.format("%Y-%m-%d").to_string().as_str()));
    screenshot(&driver, "audit-log").await;

    driver.find(By::Css("[data-testid=lock]")).await.unwrap().click().await.unwrap();
    unlock(&driver, SAM, Secret::Pin(SAM_PIN)).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", SAM).await;
    driver.quit().await.unwrap();
}

/// The command line acts for an admin who signs in, and the way back in for a center whose only
/// admin forgot their password and locked themselves out needs the desk passphrase typed.
#[test]
fn the_cli_unlocks_an_account_and_sets_a_forgotten_password() {
    let data = tempfile::tempdir().unwrap();
    let rosa = {
        let mut desk = open_desk(data.path()).unwrap();
        accounts::first_run(&mut desk, &harbor_house()).unwrap().account_id().unwrap().to_owned()
    };
    add_front_desk_volunteer(data.path());
    {
        // Rosa guesses at her password until the account locks, waiting out each back-off.
        // A few minutes ago, so the waits it skips end before the CLI's unlock now.
        let started = chrono::Utc::now() - chrono::Duration::minutes(5);
        let clock = std::sync::Arc::new(porchlight_core::FixedClock::at(&started.to_rfc3339()));
        let database = data.path().join(porchlight_core::DATABASE_FILE_NAME);
        let mut desk = porchlight_core::Desk::open(&database, clock.clone()).unwrap();
        loop {
            match accounts::sign_in_with_password(&mut desk, &rosa, "not it at all") {
                Err(porchlight_core::Error::Access(AccessError::AccountLocked)) => break,
                Err(porchlight_core::Error::Accounts(AccountsError::TryAgainIn { seconds })) => {
                    clock.advance(chrono::Duration::seconds(seconds))
                }
                Err(_) => {}
                Ok(_) => unreachable!("a wrong password signed in"),
            }
        }
    }
    // The desk is encrypted, as the app leaves it; the script gives the passphrase.
    porchlight_core::encryption::choose_passphrase(data.path(), DESK_PASSPHRASE, DESK_PASSPHRASE).unwrap();
    let desk_passphrase = ("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE);

    // Listing accounts needs an admin signed in, and the only one is locked out.
    let (ok, _, err) = run_cli(data.path(), &[desk_passphrase], &["accounts", "list"]);
    assert!(!ok && err.contains("--as NAME") && err.contains("PORCHLIGHT_ADMIN_PASSWORD"), "{err}");
    let rosa_with = |password| [desk_passphrase, ("PORCHLIGHT_ADMIN_PASSWORD", password)];
    let (ok, _, err) = run_cli(data.path(), &rosa_with(ADMIN_PASSWORD), &["--as", "Rosa M.", "accounts", "list"]);
    assert!(!ok && err.contains("locked"), "{err}");
    let (ok, _, err) = run_cli(data.path(), &rosa_with(ADMIN_PASSWORD), &["--as", "Sam K.", "accounts", "list"]);
    assert!(!ok && err.contains("Sam K. has no password"), "{err}");

    // The way back in: whoever typed the desk passphrase may set her password and unlock her.

    let (ok, _, err) = run_cli(data.path(), &[desk_passphrase], &["accounts", "set-password", "Rosa"]);
    assert!(!ok && err.contains("No staff account is called \"Rosa\""), "{err}");
    let (ok, _, err) = run_cli(data.path(), &[desk_passphrase], &["accounts", "set-password", "rosa m."]);
    assert!(!ok && err.contains("new password is needed") && err.contains("PORCHLIGHT_NEW_PASSWORD"), "{err}");
    let short = [desk_passphrase, ("PORCHLIGHT_NEW_PASSWORD", "short")];
    let (ok, _, err) = run_cli(data.path(), &short, &["accounts", "set-password", "rosa m."]);
    assert!(!ok && err.contains("at least"), "{err}");

    let new_password = "lantern on the porch step";
    let (ok, out, err) = run_cli(
        data.path(),
        &[desk_passphrase, ("PORCHLIGHT_NEW_PASSWORD", new_password)],
        &["accounts", "set-password", "rosa m."],
    );
    assert!(ok && out.contains("Set a new password for Rosa M."), "{out}{err}");
    let (ok, out, err) = run_cli(data.path(), &[desk_passphrase], &["accounts", "unlock", "Rosa M."]);
    assert!(ok && out.contains("Unlocked Rosa M."), "{out}{err}");
    let (ok, out, err) = run_cli(data.path(), &rosa_with(new_password), &["--as", "rosa m.", "accounts", "list"]);
    assert!(ok, "{err}");
    assert!(out.contains("Rosa M.  admin\n") && out.contains("Sam K.  front desk\n"), "{out}");

    let mut desk = open_desk(data.path()).unwrap();
    assert!(accounts::sign_in_with_password(&mut desk, &rosa, ADMIN_PASSWORD).is_err(), "the old password is gone");
    let session = accounts::sign_in_with_password(&mut desk, &rosa, new_password).unwrap();
    let audit = porchlight_core::audit::browse(&desk, &session, &Default::default()).unwrap();
    let by_cli: Vec<_> = audit.iter().filter(|entry| entry.account_name.contains("(command line)")).collect();
    assert!(by_cli.len() >= 2, "the CLI's changes are audited in the operator's name: {audit:?}");
}
