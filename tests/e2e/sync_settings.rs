//! Sync as staff see it: connecting a desk from Settings, the header's sync state, and
//! another desk's visitors arriving — the real app, a real hub process, real desk databases.

use porchlight_core::people::{self, PersonInput};
use porchlight_core::sync::{HubConnection, SyncError};
use porchlight_core::{hub_link, reports, sync, visits};
use porchlight_e2e::hub::{HubCertificate, HubProcess};
use porchlight_e2e::*;

async fn type_into(driver: &WebDriver, testid: &str, text: &str) {
    let input = in_view(driver, &format!("[data-testid={testid}]")).await;
    input.send_keys(Key::Control + "a").await.unwrap();
    input.send_keys(Key::Backspace).await.unwrap();
    input.send_keys(text).await.unwrap();
}

async fn click(driver: &WebDriver, testid: &str) {
    porchlight_e2e::click(driver, &format!("[data-testid={testid}]")).await;
}

async fn indicator_reads(driver: &WebDriver, prefix: &str) -> String {
    eventually(driver, &format!("the sync indicator to read {prefix:?}"), || async {
        let text = text_of(driver, "[data-testid=sync-indicator]").await?;
        text.starts_with(prefix).then_some(text)
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_connects_from_settings_shows_its_sync_state_and_receives_another_desks_visitors() {
    let place = tempfile::tempdir().unwrap();
    let mut hub = HubProcess::start(&place.path().join("hub.sqlite3"));
    let (front, group_room) = (place.path().join("front"), place.path().join("group-room"));
    let ben_id = {
        let mut other = open_desk(&group_room).unwrap();
        let ben = people::register(
            &mut other,
            &OPERATOR,
            &PersonInput { display_name: "Ben T.".into(), ..Default::default() },
        )
        .unwrap();
        visits::check_in(&mut other, &OPERATOR, &ben.id, &[]).unwrap();
        hub_link::connect(&mut other, &OPERATOR, &HubConnection::new(&hub.url, &hub.enrollment_code(), "Group room"))
            .unwrap();
        sync::sync_now(&mut other, |_| {}).unwrap();
        ben.id
    };

    let desktop = Desktop::start();
    let driver = desktop.open_app(&front).await;
    indicator_reads(&driver, "Not syncing").await;
    click(&driver, "sync-indicator").await;

    // Mistakes are explained beside the field they concern, and nothing is saved.
    type_into(&driver, "hub-url-input", "hub.example.org").await;
    type_into(&driver, "enrollment-code-input", "AAAA-AAAA").await;
    type_into(&driver, "desk-name-input", "Front desk").await;
    click(&driver, "sync-connect").await;
    wait_for_text(
        &driver,
        "[data-testid=error-hub_url]",
        "A hub address looks like https://hub.example.org or http://127.0.0.1:8787.",
    )
    .await;
    screenshot(&driver, "sync-connect-error").await;
    type_into(&driver, "hub-url-input", &hub.url).await;
    click(&driver, "sync-connect").await;
    let refused = eventually(&driver, "the enrollment code to be refused", || async {
        text_of(&driver, "[data-testid=error-enrollment_code]").await
    })
    .await;
    assert!(refused.contains("did not accept that enrollment code"), "{refused}");
    assert_eq!(sync::status(&open_desk(&front).unwrap()).unwrap().hub_url, None);

    type_into(&driver, "enrollment-code-input", &hub.enrollment_code()).await;
    click(&driver, "sync-connect").await;
    // The group room made the center's key: this desk waits, showing the code to compare.
    let code =
        eventually(&driver, "the desk to wait to be let in", || text_of(&driver, "[data-testid=join-code]")).await;
    indicator_reads(&driver, "Waiting to be let in").await;
    wait_for_text(&driver, "[data-testid=sync-sealed]", "Waiting for the center's key").await;
    screenshot(&driver, "sync-settings-waiting-to-join").await;
    assert_eq!(sync::status(&open_desk(&front).unwrap()).unwrap().join_code.as_deref(), Some(code.as_str()));

    // At the group room, an admin sees the front desk asking with the same code, and lets it in.
    {
        let mut other = open_desk(&group_room).unwrap();
        sync::sync_now(&mut other, |_| {}).unwrap();
        let asks = sync::status(&other).unwrap().join_requests;
        assert_eq!(
            asks.iter().map(|ask| (ask.desk_name.as_str(), ask.code.as_str())).collect::<Vec<_>>(),
            [("Front desk", code.as_str())]
        );
        hub_link::let_desk_in(&mut other, &OPERATOR, &asks[0].request_id).unwrap();
    }
    click(&driver, "sync-now").await;
    eventually(&driver, "the desk to be let in and synced", || async {
        let state = text_of(&driver, "[data-testid=sync-state]").await?;
        state.starts_with("Synced").then_some(())
    })
    .await;
    indicator_reads(&driver, "Synced").await;
    wait_for_text(&driver, "[data-testid=sync-hub]", &hub.url).await;
    wait_for_text(
        &driver,
        "[data-testid=sync-sealed]",
        "Sealed with the center's key: the hub cannot read what this desk sends",
    )
    .await;
    screenshot(&driver, "sync-settings-connected").await;

    // Another program sends a person without a member code and the visit of someone it never
    // sent: Settings names each record that waits, and why.
    // A program given the center's key (from the group room's recovery sheet) seals what it sends.
    let words = hub_link::recovery_sheet(&open_desk(&group_room).unwrap(), &OPERATOR).unwrap().unwrap().join(" ");
    let key = porchlight_core::sync::seal::CenterKey::from_words(&words).unwrap();
    let (person_id, visit_id) = hub.send_incomplete_records(Some(&key));
    click(&driver, "sync-now").await;
    let waiting = eventually(&driver, "the records that cannot be stored yet", || async {
        let rows = texts_of(&driver, "[data-testid=sync-parked-record]").await;
        (rows.len() == 2).then_some(rows)
    })
    .await;
    let reason_for = |id: &str| waiting.iter().find(|row| row.contains(id)).cloned().unwrap_or_default();
    assert!(reason_for(&person_id).contains("missing required field member_code"), "{waiting:?}");
    assert!(reason_for(&visit_id).contains("waiting for person"), "{waiting:?}");
    in_view(&driver, "[data-testid=sync-parked]").await;
    screenshot(&driver, "sync-settings-waiting-records").await;

    // A desk enrolled without the key forges a delete of Ben: the hub takes it, the desk sets it
    // aside and says which desk sent it and why.
    let rogue = hub.forge_delete("person", &ben_id);
    click(&driver, "sync-now").await;
    let set_aside = eventually(&driver, "the forged change to be listed as set aside", || async {
        let rows = texts_of(&driver, "[data-testid=sync-set-aside]").await;
        (!rows.is_empty()).then_some(rows)
    })
    .await;
    assert!(set_aside[0].starts_with("person from desk") && set_aside[0].contains(&rogue[..8]), "{set_aside:?}");
    assert!(set_aside[0].contains("no desk of this center proved it"), "{set_aside:?}");
    // Found by search, which (unlike opening the record) writes nothing for the audit log to send.
    let found = porchlight_core::front_desk::search(&open_desk(&front).unwrap(), &OPERATOR, "Ben", 5).unwrap();
    assert!(found.iter().any(|person| person.id == ben_id), "never applied");
    in_view(&driver, "[data-testid=sync-unopened]").await;
    screenshot(&driver, "sync-settings-set-aside").await;
    resize_window(&driver, 960, 760).await;
    in_view(&driver, "[data-testid=sync-unopened]").await;
    screenshot(&driver, "sync-settings-set-aside-960").await;
    let set_aside_list = "[data-testid=sync-set-aside]";
    assert_eq!(cut_off(&driver, set_aside_list).await, Vec::<String>::new(), "at 960 px wide");
    let answers = "[data-testid=sync-unopened], [data-testid=sync-parked]";
    assert_eq!(past_its_box(&driver, answers).await, Vec::<String>::new(), "inside the card at 960 px");
    resize_window(&driver, 1280, 820).await;

    // The group room's visitor is in the building list at the front desk.
    driver.find(By::Css("body")).await.unwrap().send_keys(Key::Alt + "1").await.unwrap();
    eventually(&driver, "Ben from the other desk under here now", || async {
        let rows = texts_of(&driver, "[data-testid=here-row]").await;
        rows.iter().any(|row| row.contains("Ben T.")).then_some(())
    })
    .await;

    // A check-in here reaches the hub within a few seconds, well inside the 30-second interval:
    // the write wakes the desk's sync (no poll looks for it).
    let before = hub.stored_changes().0;
    click(&driver, "anonymous-visit").await;
    let sent = std::time::Instant::now();
    eventually_within(&driver, "the visit at the hub", std::time::Duration::from_secs(5), || async {
        (hub.stored_changes().0 > before).then_some(())
    })
    .await;
    eprintln!("a check-in reached the hub {} ms after the click", sent.elapsed().as_millis());

    // The hub goes away; a check-in at the desk still works and waits to be sent. Its operator
    // copies its file meanwhile, as a nightly backup would.
    hub.kill_hard();
    let hub_files = |dir: &std::path::Path| ["hub.sqlite3", "hub.sqlite3-wal"].map(|name| dir.join(name));
    let backup = place.path().join("backup");
    std::fs::create_dir(&backup).unwrap();
    for (file, copy) in hub_files(place.path()).iter().zip(hub_files(&backup)) {
        if file.exists() {
            std::fs::copy(file, copy).unwrap();
        }
    }
    click(&driver, "anonymous-visit").await;
    // The header may say "Hub unreachable" before it counts the visit: wait for both.
    // Two changes: the visit, and the audit entry of its check-in.
    eventually(&driver, "the header to read hub unreachable with 2 changes waiting", || async {
        let text = text_of(&driver, "[data-testid=sync-indicator]").await?;
        (text.starts_with("Hub unreachable") && text.contains("2 changes waiting")).then_some(())
    })
    .await;
    driver.execute("window.scrollTo(0, 0)", Vec::new()).await.unwrap();
    screenshot(&driver, "header-hub-unreachable").await;

    // The hub last said its time was two hours ahead of this desk's (a flat clock battery here,
    // or a hub lying): the desk trusts neither, makes no change, and says so plainly.
    let two_hours_on = porchlight_core::Timestamp(chrono::Utc::now() + chrono::Duration::hours(2));
    sync::correct_clock(&mut open_desk(&front).unwrap(), two_hours_on).unwrap();
    click(&driver, "sync-indicator").await;
    click(&driver, "sync-now").await;
    indicator_reads(&driver, "Clock differs from hub").await;
    let note = eventually(&driver, "the clock note", || text_of(&driver, "[data-testid=sync-clock]")).await;
    assert!(note.contains("the hub's is 2 h ahead of it") && note.contains("makes no change"), "{note}");
    in_view(&driver, "[data-testid=sync-clock]").await;
    screenshot(&driver, "sync-settings-clock").await;
    resize_window(&driver, 960, 760).await;
    in_view(&driver, "[data-testid=sync-clock]").await;
    screenshot(&driver, "sync-settings-clock-960").await;
    assert_eq!(
        past_its_box(&driver, "[data-testid=sync-clock]").await,
        Vec::<String>::new(),
        "inside the card at 960 px"
    );
    resize_window(&driver, 1280, 820).await;
    driver.find(By::Css("body")).await.unwrap().send_keys(Key::Alt + "1").await.unwrap();
    click(&driver, "anonymous-visit").await;
    let refused = eventually(&driver, "the check-in refused", || text_of(&driver, "[data-testid=notice]")).await;
    assert!(refused.contains("clock is far from the hub's"), "{refused}");
    screenshot(&driver, "front-desk-clock-refused").await;
    click(&driver, "sync-indicator").await;
    click(&driver, "sync-accept-hub-time").await;
    eventually(&driver, "the clock note gone", || async {
        driver.find(By::Css("[data-testid=sync-clock]")).await.is_err().then_some(())
    })
    .await;
    assert_eq!(sync::status(&open_desk(&front).unwrap()).unwrap().clock_in_doubt, None);

    // It comes back: the desk catches up on its own.
    hub.restart();
    indicator_reads(&driver, "Synced").await;

    // The hub is put back from the copy, which lacks the visit: the desk finds the hub holding
    // less than it had, sends the visit again, and says so.
    hub.kill_hard();
    for (file, copy) in hub_files(place.path()).iter().zip(hub_files(&backup)) {
        let _ = std::fs::remove_file(file);
        if copy.exists() {
            std::fs::copy(copy, file).unwrap();
        }
    }
    hub.restart();
    click(&driver, "sync-now").await;
    let went_back =
        eventually(&driver, "the hub going back noted", || text_of(&driver, "[data-testid=sync-hub-went-back]")).await;
    assert!(went_back.contains("the hub held less than before (put back from a backup"), "{went_back}");
    assert!(
        went_back.contains("This desk sent back the 3 changes it had lost"),
        "the visit, and the audit entries of its check-in and of the hub's time taken: {went_back}"
    );
    indicator_reads(&driver, "Synced").await;
    eventually(&driver, "the center's desks listed again once the hub is back", || async {
        (!texts_of(&driver, "[data-testid=center-desk]").await.is_empty()).then_some(())
    })
    .await;
    in_view(&driver, "[data-testid=sync-hub-went-back]").await;
    screenshot(&driver, "sync-settings-hub-went-back").await;
    resize_window(&driver, 960, 760).await;
    in_view(&driver, "[data-testid=sync-hub-went-back]").await;
    screenshot(&driver, "sync-settings-hub-went-back-960").await;
    assert_eq!(
        past_its_box(&driver, "[data-testid=sync-hub-went-back]").await,
        Vec::<String>::new(),
        "inside the card at 960 px"
    );
    driver.quit().await.unwrap();

    let mut other = open_desk(&group_room).unwrap();
    sync::sync_now(&mut other, |_| {}).unwrap();
    assert_eq!(
        reports::today(&other, &OPERATOR).unwrap().anonymous_visits,
        2,
        "the front desk's two visits (one sent at once, one while the hub was away) reached the group room"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_refuses_plain_http_across_the_network_and_trusts_a_hub_by_its_pasted_certificate() {
    let place = tempfile::tempdir().unwrap();
    let tls = HubCertificate::make(place.path(), "hub");
    let hub = HubProcess::start_tls(&place.path().join("hub.sqlite3"), &tls);
    let front = place.path().join("front");
    let desktop = Desktop::start();
    let driver = desktop.open_app(&front).await;
    click(&driver, "sync-indicator").await;

    type_into(&driver, "hub-url-input", "http://192.168.1.20:8787").await;
    type_into(&driver, "enrollment-code-input", &hub.enrollment_code()).await;
    type_into(&driver, "desk-name-input", "Front desk").await;
    let allow = driver.find(By::Css("[data-testid=allow-plain-http]")).await.unwrap();
    assert!(!allow.is_selected().await.unwrap(), "unencrypted is never the default");
    click(&driver, "sync-connect").await;
    let refused = eventually(&driver, "plain HTTP to be refused", || async {
        text_of(&driver, "[data-testid=error-hub_url]").await
    })
    .await;
    assert!(refused.contains("unencrypted"), "{refused}");
    screenshot(&driver, "sync-connect-plain-http").await;

    // The hub's certificate is its own: not trusted until the desk is given it.
    type_into(&driver, "hub-url-input", &hub.url).await;
    assert!(driver.find_all(By::Css("[data-testid=allow-plain-http]")).await.unwrap().is_empty());
    click(&driver, "sync-connect").await;
    let untrusted = eventually(&driver, "the hub's certificate to be refused", || async {
        text_of(&driver, "[data-testid=error-hub_certificate]").await
    })
    .await;
    assert!(untrusted.contains("did not show a certificate this desk trusts"), "{untrusted}");
    assert_eq!(sync::status(&open_desk(&front).unwrap()).unwrap().hub_url, None);
    screenshot(&driver, "sync-connect-untrusted").await;

    type_into(&driver, "hub-certificate-input", &std::fs::read_to_string(&tls.certificate).unwrap()).await;
    click(&driver, "sync-connect").await;
    eventually(&driver, "the desk to be connected over TLS and synced", || async {
        let state = text_of(&driver, "[data-testid=sync-state]").await?;
        state.starts_with("Synced").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=sync-hub]", &hub.url).await;
    driver.quit().await.unwrap();
    assert_eq!(sync::status(&open_desk(&front).unwrap()).unwrap().hub_url.as_deref(), Some(hub.url.as_str()));
}

/// A center's desks from their first start: the first joins an empty hub and sets the center up
/// there; the next joins and its staff sign in with the PINs they already have.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_desk_joins_its_center_through_the_hub_and_the_centers_staff_sign_in_there() {
    let place = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&place.path().join("hub.sqlite3"));
    let (front, warmline) = (place.path().join("front"), place.path().join("warmline"));
    let desktop = Desktop::start();

    // The first desk: the hub holds no center yet, so it is set up here and goes to the hub.
    let driver = desktop.launch(&front).await;
    open_encrypted_desk(&driver).await;
    join_through_the_window(&driver, &hub.url, &hub.enrollment_code(), "Front desk").await;
    let set_up_here = eventually(&driver, "the hub found empty", || async {
        driver.find(By::Css("[data-testid=set-up-here]")).await.ok()
    })
    .await;
    screenshot(&driver, "first-run-join-empty-hub").await;
    set_up_here.click().await.unwrap();
    eventually(&driver, "the setup form", || async {
        driver.find(By::Css("[data-testid=setup-connected]")).await.ok()
    })
    .await;
    set_up_center(&driver, ADMIN_PIN).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
    people::register(
        &mut open_desk(&front).unwrap(),
        &OPERATOR,
        &PersonInput { display_name: "Dana A.".into(), ..Default::default() },
    )
    .unwrap();
    eventually(&driver, "the front desk to have sent everything", || async {
        let status = sync::status(&open_desk(&front).ok()?).ok()?;
        (status.pending_changes == 0 && status.last_synced_at.is_some()).then_some(())
    })
    .await;
    driver.quit().await.unwrap();

    // The next desk joins: no setup of its own. It waits to be let in, showing a code.
    let driver = desktop.launch(&warmline).await;
    open_encrypted_desk(&driver).await;
    join_through_the_window(&driver, &hub.url, "WRONG-CODE", "Warmline room").await;
    let refused =
        eventually(&driver, "the code refused", || text_of(&driver, "[data-testid=error-enrollment_code]")).await;
    assert!(refused.contains("did not accept that enrollment code"), "{refused}");
    screenshot(&driver, "first-run-join-refused").await;
    type_into(&driver, "enrollment-code-input", &hub.enrollment_code()).await;
    click(&driver, "sync-connect").await;
    let code =
        eventually(&driver, "the desk to wait to be let in", || text_of(&driver, "[data-testid=join-code]")).await;
    // Twenty digits in five groups: too many for a hub to grind a key pair that shows the same.
    assert!(code.len() == 24 && code.chars().filter(char::is_ascii_digit).count() == 20, "{code:?}");
    assert_eq!(past_its_box(&driver, "[data-testid=join-code]").await, Vec::<String>::new(), "inside the card");
    screenshot(&driver, "join-waiting-for-approval").await;
    resize_window(&driver, 960, 760).await;
    assert_eq!(past_its_box(&driver, "[data-testid=join-code]").await, Vec::<String>::new(), "at 960 px wide");
    screenshot(&driver, "join-waiting-for-approval-960").await;
    driver.quit().await.unwrap();

    // At the front desk, Rosa writes down the recovery sheet and lets the warmline room in.
    let driver = desktop.launch(&front).await;
    sign_in_as_admin(&driver).await;
    press(&driver, "9").await;
    click(&driver, "recovery-show").await;
    let words: Vec<String> = eventually(&driver, "the recovery words", || async {
        let shown = texts_of(&driver, "[data-testid=recovery-word]").await;
        (shown.len() == 24).then_some(shown)
    })
    .await
    .iter()
    .map(|numbered| numbered.split_whitespace().last().unwrap_or_default().to_owned())
    .collect();
    in_view(&driver, "[data-testid=recovery-sheet]").await;
    screenshot(&driver, "recovery-sheet").await;
    let asked = eventually(&driver, "the warmline room asking to join", || async {
        let desks = texts_of(&driver, "[data-testid=join-request-desk]").await;
        (desks == ["Warmline room"]).then_some(())
    });
    asked.await;
    wait_for_text(&driver, "[data-testid=join-request-code]", &code).await;
    in_view(&driver, "[data-testid=join-requests]").await;
    screenshot(&driver, "join-approval").await;
    resize_window(&driver, 960, 800).await;
    let words_and_codes =
        "[data-testid=recovery-word], [data-testid=join-request-code], [data-testid=join-request-desk]";
    assert_eq!(cut_off(&driver, words_and_codes).await, Vec::<String>::new(), "at 960 px wide");
    assert_eq!(past_its_box(&driver, words_and_codes).await, Vec::<String>::new(), "inside its card at 960 px");
    in_view(&driver, "[data-testid=join-requests]").await;
    screenshot(&driver, "join-approval-960").await;
    click(&driver, "let-in").await;
    eventually(&driver, "the request answered", || async {
        driver.find(By::Css("[data-testid=join-requests]")).await.is_err().then_some(())
    })
    .await;
    click(&driver, "recovery-written").await;
    eventually(&driver, "the sheet put away", || async {
        driver.find(By::Css("[data-testid=recovery-sheet]")).await.is_err().then_some(())
    })
    .await;
    driver.quit().await.unwrap();

    // The warmline room, opened again, is let in: the center's name and staff arrive.
    let driver = desktop.launch(&warmline).await;
    open_encrypted_desk(&driver).await;
    eventually(&driver, "the lock screen with the center's staff", || async {
        driver.find(By::Css("[data-testid=lock-screen]")).await.ok()
    })
    .await;
    wait_for_text(&driver, "[data-testid=center-name]", CENTER_NAME).await;
    screenshot(&driver, "joined-lock-screen").await;
    unlock(&driver, ADMIN_NAME, Secret::Pin(ADMIN_PIN)).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
    let search = driver.find(By::Css("[data-testid=search]")).await.unwrap();
    search.send_keys("dana").await.unwrap();
    eventually(&driver, "Dana from the front desk found here", || async {
        text_of(&driver, "[data-testid=search-result]").await?.contains("Dana A.").then_some(())
    })
    .await;
    driver.quit().await.unwrap();

    let joined = open_desk(&warmline).unwrap();
    assert_eq!(sync::status(&joined).unwrap().desk_name.as_deref(), Some("Warmline room"));
    assert_eq!(porchlight_core::settings::get(&joined).unwrap().center_name, CENTER_NAME);
    assert!(sync::status(&joined).unwrap().sealed);

    // A third desk joins with the recovery words, as a center with no desk left would.
    let group_room = place.path().join("group-room");
    let driver = desktop.launch(&group_room).await;
    open_encrypted_desk(&driver).await;
    join_through_the_window(&driver, &hub.url, &hub.enrollment_code(), "Group room").await;
    eventually(&driver, "the desk to wait to be let in", || text_of(&driver, "[data-testid=join-code]")).await;
    click(&driver, "recover-open").await;
    let mut mistyped = words.clone();
    mistyped[6] = "octopuss".into();
    type_into(&driver, "recovery-words-input", &mistyped.join(" ")).await;
    click(&driver, "recover-submit").await;
    let refused =
        eventually(&driver, "the misspelt word named", || text_of(&driver, "[data-testid=error-recovery_words]")).await;
    assert!(refused.contains("Word 7 (\"octopuss\")"), "{refused}");
    screenshot(&driver, "join-recovery-words-refused").await;
    let typed: Vec<String> = words.iter().enumerate().map(|(n, word)| format!("{}. {word}", n + 1)).collect();
    type_into(&driver, "recovery-words-input", &typed.join("\n")).await;
    click(&driver, "recover-submit").await;
    eventually(&driver, "the lock screen with the center's staff", || async {
        driver.find(By::Css("[data-testid=lock-screen]")).await.ok()
    })
    .await;
    wait_for_text(&driver, "[data-testid=center-name]", CENTER_NAME).await;
    driver.quit().await.unwrap();
    assert!(sync::status(&open_desk(&group_room).unwrap()).unwrap().sealed);

    // The group room's laptop is stolen: at the front desk Rosa revokes it and changes the key.
    let driver = desktop.launch(&front).await;
    sign_in_as_admin(&driver).await;
    press(&driver, "9").await;
    let names = eventually(&driver, "the center's three desks", || async {
        let names = texts_of(&driver, "[data-testid=center-desk-name]").await;
        (names.len() == 3).then_some(names)
    })
    .await;
    assert_eq!(names, ["Front desk", "Warmline room", "Group room"]);
    let revoke_buttons = driver.find_all(By::Css("[data-testid=revoke-desk]")).await.unwrap();
    assert_eq!(revoke_buttons.len(), 2, "this desk cannot revoke itself");
    revoke_buttons[1].click().await.unwrap();
    in_view(&driver, "[data-testid=revoke-confirm]").await;
    screenshot(&driver, "revoke-desk-confirm").await;
    click(&driver, "revoke-desk-confirm").await;
    let done = eventually(&driver, "the desk revoked", || text_of(&driver, "[data-testid=revoke-note]")).await;
    assert!(done.starts_with("Group room is revoked and the center has a new key"), "{done}");
    in_view(&driver, "[data-testid=recovery-sheet]").await;
    screenshot(&driver, "revoke-desk-done").await;
    driver.quit().await.unwrap();

    let refused = sync::sync_now(&mut open_desk(&group_room).unwrap(), |_| {}).unwrap_err();
    assert!(matches!(refused, porchlight_core::Error::Sync(SyncError::NotAuthorised)), "{refused}");
    let mut warmline_desk = open_desk(&warmline).unwrap();
    sync::sync_now(&mut warmline_desk, |_| {}).unwrap();
    assert!(sync::status(&warmline_desk).unwrap().sealed, "the warmline room collected the new key");
}

/// On first-run setup, takes the path for a desk joining its center and connects with `code`.
async fn join_through_the_window(driver: &WebDriver, hub_url: &str, code: &str, desk_name: &str) {
    eventually(driver, "first-run setup", || async { driver.find(By::Css("[data-testid=first-run]")).await.ok() })
        .await;
    click(driver, "setup-path-join").await;
    type_into(driver, "hub-url-input", hub_url).await;
    type_into(driver, "enrollment-code-input", code).await;
    type_into(driver, "desk-name-input", desk_name).await;
    screenshot(driver, "first-run-join").await;
    click(driver, "sync-connect").await;
}

/// A desktop whose apps' clocks read what libfaketime's `FAKETIME` says.
fn desktop_at(faketime: &str) -> Desktop {
    let clock = faketime_env(faketime);
    let env: Vec<(&str, &std::path::Path)> =
        clock.iter().map(|(name, value)| (name.as_str(), std::path::Path::new(value))).collect();
    Desktop::start_with_env(&env)
}

/// The computer's clock resets to the year 2000 (a flat clock battery): the header says so on
/// every screen, Settings → Sync says what to do, and registering a newcomer is refused with
/// the reason. Then the clock reads three days back (it ran ahead before, and was put right):
/// the desk says so until an admin says the clock is right, and then registers again.
#[tokio::test(flavor = "multi_thread")]
async fn a_desk_whose_computer_clock_is_wrong_says_so_and_saves_nothing_dated_by_it() {
    let data = tempfile::tempdir().unwrap();
    {
        let desktop = Desktop::start();
        let driver = desktop.open_app(data.path()).await;
        driver.quit().await.unwrap();
    }

    let desktop = desktop_at("@2000-01-01 09:00:00");
    let driver = desktop.open_app(data.path()).await;
    indicator_reads(&driver, "Computer's clock is wrong").await;
    click(&driver, "register-newcomer").await;
    type_into(&driver, "display-name", "Rosa T.").await;
    click(&driver, "register-and-check-in").await;
    let refused =
        eventually(&driver, "registering to be refused", || text_of(&driver, ".field-error[role=alert]")).await;
    assert!(refused.contains("reads the year 2000, which cannot be right"), "{refused}");
    screenshot(&driver, "clock-wrong-register").await;
    click(&driver, "sync-indicator").await;
    let note = eventually(&driver, "the clock explained", || text_of(&driver, "[data-testid=sync-clock-wrong]")).await;
    assert!(note.contains("the year 2000") && note.contains("Set the computer's date and time"), "{note}");
    assert!(
        driver.find(By::Css("[data-testid=sync-trust-computer-clock]")).await.is_err(),
        "a clock in 2000 is never right"
    );
    screenshot(&driver, "clock-wrong").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "clock-wrong-960").await;
    assert_eq!(past_its_box(&driver, "[data-testid=sync-clock-wrong]").await, Vec::<String>::new(), "at 960 px");
    driver.quit().await.unwrap();
    drop(desktop);

    let desktop = desktop_at("-3d");
    let driver = desktop.open_app(data.path()).await;
    indicator_reads(&driver, "Computer's clock is wrong").await;
    click(&driver, "sync-indicator").await;
    let note = eventually(&driver, "the clock explained", || text_of(&driver, "[data-testid=sync-clock-wrong]")).await;
    assert!(note.contains("was set back: it reads 3 days before a time this desk already reached"), "{note}");
    screenshot(&driver, "clock-set-back").await;
    click(&driver, "sync-trust-computer-clock").await;
    indicator_reads(&driver, "Not syncing").await;
    assert!(driver.find(By::Css("[data-testid=sync-clock-wrong]")).await.is_err());
    driver.quit().await.unwrap();
}
