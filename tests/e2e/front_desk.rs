//! The front desk as staff use it: the real app, on a real desk database, driven over WebDriver.

use std::sync::Arc;

use porchlight_core::consent;
use porchlight_core::people::{self, PersonInput};
use porchlight_core::settings::{self, Settings};
use porchlight_core::{front_desk, reports, services, visits, Desk, FixedClock, DATABASE_FILE_NAME};
use porchlight_e2e::*;

fn person(name: &str) -> PersonInput {
    PersonInput { display_name: name.into(), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_is_registered_checked_in_with_two_services_checked_out_and_counted_after_a_restart() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let driver = desktop.open_app(data.path()).await;
    screenshot(&driver, "front-desk-empty").await;

    driver.find(By::Css("[data-testid=register-newcomer]")).await.unwrap().click().await.unwrap();
    let name = driver.find(By::Css("[data-testid=display-name]")).await.unwrap();
    name.send_keys("Rosa T.").await.unwrap();
    screenshot(&driver, "register-form").await;
    driver.find(By::Css("[data-testid=register-and-check-in]")).await.unwrap().click().await.unwrap();

    let panel = eventually(&driver, "the check-in confirmation", || async {
        let text = text_of(&driver, "[data-testid=visit-panel] h2").await?;
        text.contains("Rosa T. checked in").then_some(text)
    })
    .await;
    assert!(panel.starts_with('✓'), "{panel}");
    let code = text_of(&driver, "[data-testid=new-member-code] strong").await.expect("the new member code is shown");
    assert!(porchlight_core::people::normalize_member_code(&code).is_some(), "{code}");

    let toggles = driver.find_all(By::Css("[data-testid=service-toggle]")).await.unwrap();
    assert_eq!(toggles.len(), 12, "the seeded catalog is offered");
    toggles[0].click().await.unwrap();
    eventually(&driver, "the first service to be saved", || async {
        let row = text_of(&driver, "[data-testid=here-row]").await?;
        row.contains("Peer coaching / mentoring").then_some(())
    })
    .await;
    toggles[4].click().await.unwrap();
    let row = eventually(&driver, "both services on the visit", || async {
        let row = text_of(&driver, "[data-testid=here-row]").await?;
        row.contains("Housing support").then_some(row)
    })
    .await;
    assert!(row.contains("Rosa T.") && row.contains("Peer coaching / mentoring, Housing support"), "{row}");
    // The eleventh service has a key too: Shift and 1.
    let panel = driver.find(By::Css("[data-testid=visit-panel]")).await.unwrap();
    panel.send_keys(Key::Shift + "1").await.unwrap();
    eventually(&driver, "Outreach marked by Shift+1", || async {
        text_of(&driver, "[data-testid=here-row]").await?.contains("Outreach").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=here-count]", "1").await;
    screenshot(&driver, "front-desk-checked-in").await;
    // At a desk's 1280 × 820 the search box stays above the panel, whole, and Done is in sight.
    let in_sight = "[data-testid=search], [data-testid=visit-panel], [data-testid=visit-done]";
    assert_eq!(out_of_view(&driver, in_sight).await, Vec::<String>::new());

    // Every service's whole name can be read, at the default size and at the narrowest.
    let services =
        "[data-testid=visit-panel] label.service, [data-testid=here-row] .services, [data-testid=here-row] .since, \
                    [data-testid=figure-service] .name";
    assert!(texts_of(&driver, services).await.iter().any(|name| name.contains("Employment or education support")));
    assert_eq!(cut_off(&driver, services).await, Vec::<String>::new(), "at the default window size");
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "front-desk-checked-in-960").await;
    assert_eq!(cut_off(&driver, services).await, Vec::<String>::new(), "at 960 px wide");
    resize_window(&driver, 1280, 820).await;

    // Consent is on the check-in panel: nothing asked yet, then "texts are fine" recorded.
    wait_for_text(&driver, "[data-testid=consent-not-asked]", "not asked yet").await;
    driver.find(By::Css("[data-testid=consent-panel] summary")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=consent-yes-contact_by_sms]")).await.unwrap().click().await.unwrap();
    wait_for_text(&driver, "[data-testid=consent-contact_by_sms]", "Text messages: yes").await;
    wait_for_text(&driver, "[data-testid=consent-not-asked]", "4 not asked").await;
    screenshot(&driver, "consent-at-check-in").await;

    driver.find(By::Css("[data-testid=visit-done]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=check-out]")).await.unwrap().click().await.unwrap();
    wait_for_text(&driver, "[data-testid=here-count]", "0").await;
    driver.quit().await.unwrap();

    // Restart on the same data dir: the visit is in today's figures.
    let driver = desktop.open_app(data.path()).await;
    wait_for_text(&driver, "[data-testid=figure-visits]", "1").await;
    wait_for_text(&driver, "[data-testid=figure-people]", "1").await;
    assert_eq!(
        texts_of(&driver, "[data-testid=figure-service]").await,
        ["Peer coaching / mentoring 1", "Housing support 1", "Outreach 1"]
    );
    screenshot(&driver, "front-desk-after-restart").await;
    driver.quit().await.unwrap();

    // And the desk's own database agrees.
    let desk = open_desk(data.path()).unwrap();
    let figures = reports::today(&desk, &OPERATOR).unwrap();
    assert_eq!((figures.visits, figures.unique_people, figures.anonymous_visits), (1, 1, 0));
    assert!(visits::here_now(&desk, &OPERATOR).unwrap().is_empty(), "checked out");
    let rosa = front_desk::search(&desk, &OPERATOR, "Rosa T", 1).unwrap().remove(0);
    let consents = consent::current(&desk, &OPERATOR, &rosa.id).unwrap();
    let sms = consents.iter().find(|c| c.kind == consent::ConsentKind::ContactBySms).unwrap();
    assert!(sms.given && sms.recorded_by_name.as_deref() == Some(ADMIN_NAME), "{sms:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_code_then_enter_checks_that_person_in_and_three_letters_find_a_regular() {
    let data = tempfile::tempdir().unwrap();
    let (walt_code, walter_code, wally_id) = {
        let clock = Arc::new(FixedClock::at(&(chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339()));
        let mut desk = Desk::open(&data.path().join(DATABASE_FILE_NAME), clock.clone()).unwrap();
        let walt = people::register(&mut desk, &OPERATOR, &person("Walt Q.")).unwrap();
        let wally = people::register(&mut desk, &OPERATOR, &person("Wally B.")).unwrap();
        let walter = people::register(&mut desk, &OPERATOR, &person("Walter Z.")).unwrap();
        // Wally came yesterday, so he is the regular who ranks first for "wal".
        clock.advance(chrono::Duration::days(1));
        let yesterday = visits::check_in(&mut desk, &OPERATOR, &wally.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &yesterday.id).unwrap();
        (walt.member_code, walter.member_code, wally.id)
    };

    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    let search = driver.find(By::Css("[data-testid=search]")).await.unwrap();

    // A keyboard-wedge scanner types the code and presses Enter.
    search.send_keys(walt_code.clone() + Key::Enter).await.unwrap();
    eventually(&driver, "Walt to be checked in by his code", || async {
        text_of(&driver, "[data-testid=visit-panel] h2").await?.contains("Walt Q. checked in").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=here-count]", "1").await;

    // Walt's card again: he is here already, and the next card scanned starts in an empty box.
    let search = driver.find(By::Css("[data-testid=search]")).await.unwrap();
    search.send_keys(walt_code.clone() + Key::Enter).await.unwrap();
    eventually(&driver, "Walt said to be here already", || async {
        text_of(&driver, "[data-testid=notice]").await?.contains("Walt Q. is already checked in").then_some(())
    })
    .await;
    search.send_keys(walter_code + Key::Enter).await.unwrap();
    eventually(&driver, "Walter to be checked in by the next card", || async {
        text_of(&driver, "[data-testid=visit-panel] h2").await?.contains("Walter Z. checked in").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=here-count]", "2").await;

    // The next visitor is at the desk: typing a name while the services panel has focus
    // goes to the search box, and no service is marked by it.
    driver.find(By::Css("[data-testid=visit-panel]")).await.unwrap().send_keys("wal").await.unwrap();
    let search = driver.find(By::Css("[data-testid=search]")).await.unwrap();
    eventually(&driver, "the typed letters in the search box", || async {
        (search.value().await.ok().flatten().as_deref() == Some("wal")).then_some(())
    })
    .await;
    eventually(&driver, "Wally to rank first", || async {
        text_of(&driver, "[data-testid=search-result]").await?.contains("Wally B.").then_some(())
    })
    .await;
    screenshot(&driver, "search-results").await;
    search.send_keys(Key::Enter).await.unwrap();
    eventually(&driver, "Wally to be checked in with three letters and Enter", || async {
        text_of(&driver, "[data-testid=visit-panel] h2").await?.contains("Wally B. checked in").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=here-count]", "3").await;
    driver.quit().await.unwrap();

    let desk = open_desk(data.path()).unwrap();
    let here = visits::here_now(&desk, &OPERATOR).unwrap();
    assert_eq!(here.len(), 3);
    assert!(here.iter().any(|v| v.person_id.as_deref() == Some(wally_id.as_str())));
    assert!(here.iter().all(|v| v.service_ids.is_empty()), "typing a name marked no service");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_shown_next_to_its_field_and_nothing_is_saved() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut desk = open_desk(data.path()).unwrap();
        settings::update(
            &mut desk,
            &OPERATOR,
            &Settings { center_name: CENTER_NAME.into(), time_zone: CENTER_TIME_ZONE.into() },
        )
        .unwrap();
    }
    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    wait_for_text(&driver, "[data-testid=center-name]", "Harbor House").await;

    driver.find(By::Css("[data-testid=register-newcomer]")).await.unwrap().click().await.unwrap();
    driver.find(By::Css("[data-testid=display-name]")).await.unwrap().send_keys("Nia P.").await.unwrap();
    driver.find(By::Css("[data-testid=field-email]")).await.unwrap().send_keys("nia@").await.unwrap();
    driver.find(By::Css("[data-testid=register-and-check-in]")).await.unwrap().click().await.unwrap();
    let error = eventually(&driver, "the email error", || text_of(&driver, "[data-testid=error-email]")).await;
    assert!(error.contains("email"), "{error}");
    screenshot(&driver, "register-form-error").await;

    // Emptied with Backspace, as a person would (WebDriver's clear fires no input event).
    let name = driver.find(By::Css("[data-testid=display-name]")).await.unwrap();
    for _ in 0.."Nia P.".len() {
        name.send_keys(Key::Backspace).await.unwrap();
    }
    driver.find(By::Css("[data-testid=register-only]")).await.unwrap().click().await.unwrap();
    let error =
        eventually(&driver, "the display name error", || text_of(&driver, "[data-testid=error-display_name]")).await;
    assert!(error.contains("display name"), "{error}");
    driver.quit().await.unwrap();

    let desk = open_desk(data.path()).unwrap();
    assert!(front_desk::search(&desk, &OPERATOR, "nia", 5).unwrap().is_empty(), "nothing half-saved");
    assert_eq!(services::list(&desk, &OPERATOR, false).unwrap().len(), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_desk_that_cannot_open_says_why_instead_of_showing_a_blank_window() {
    let temp = tempfile::tempdir().unwrap();
    let not_a_folder = temp.path().join("not-a-folder");
    std::fs::write(&not_a_folder, b"a file where the data folder should be").unwrap();

    let desktop = Desktop::start();
    let driver = desktop.launch(&not_a_folder.join("desk")).await;
    let alert = eventually(&driver, "the explanation", || text_of(&driver, "[role=alert]")).await;
    assert!(alert.contains("could not open"), "{alert}");
    assert!(alert.contains("not-a-folder"), "names the folder: {alert}");
    screenshot(&driver, "desk-cannot-open").await;
    assert_eq!(std::fs::read(&not_a_folder).unwrap(), b"a file where the data folder should be", "nothing overwritten");

    // The person moves the stray file away and tries again: the desk opens, no restart needed.
    std::fs::rename(&not_a_folder, temp.path().join("moved-aside")).unwrap();
    driver.find(By::Css("[data-testid=try-again]")).await.unwrap().click().await.unwrap();
    sign_in_as_admin(&driver).await;
    eventually(&driver, "the front desk after trying again", || async {
        driver.find(By::Css("[data-testid=search]")).await.ok()
    })
    .await;
    driver.quit().await.unwrap();
    assert!(not_a_folder.join("desk").join(DATABASE_FILE_NAME).exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_forgets_a_person_and_their_visit_still_counts() {
    let data = tempfile::tempdir().unwrap();
    let dana = {
        let mut desk = open_desk(data.path()).unwrap();
        let input = PersonInput { phone: Some("555-555-0142".into()), ..person("Dana Quill") };
        let dana = people::register(&mut desk, &OPERATOR, &input).unwrap();
        let visit = visits::check_in(&mut desk, &OPERATOR, &dana.id, &[]).unwrap();
        visits::check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        dana
    };
    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    // Back from a break, the admin unlocks with their PIN: forgetting someone asks the password too.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, ADMIN_NAME, Secret::Pin(ADMIN_PIN)).await;
    let search = eventually(&driver, "the front desk again", || async {
        driver.find(By::Css("[data-testid=search]")).await.ok()
    })
    .await;
    search.send_keys("Quill").await.unwrap();
    let edit =
        eventually(&driver, "Dana found", || async { driver.find(By::Css("[data-testid=edit-person]")).await.ok() })
            .await;
    edit.click().await.unwrap();
    let forget = eventually(&driver, "the forget button", || async {
        driver.find(By::Css("[data-testid=forget-person]")).await.ok()
    })
    .await;
    forget.click().await.unwrap();
    // The safe answer has the focus: one Enter keeps the record.
    eventually(&driver, "Keep their record focused", || async {
        let focused = driver.active_element().await.ok()?;
        (focused.attr("data-testid").await.ok()??.as_str() == "keep-record").then_some(())
    })
    .await;
    let confirm = driver.find(By::Css("[data-testid=confirm-forget]")).await.unwrap();
    screenshot(&driver, "forget-person").await;
    confirm.click().await.unwrap();
    let password = eventually(&driver, "the password asked on the page", || async {
        driver.find(By::Css("[data-testid=forget-password]")).await.ok()
    })
    .await;
    password.send_keys(ADMIN_PASSWORD).await.unwrap();
    screenshot(&driver, "forget-person-password").await;
    click(&driver, "[data-testid=confirm-forget-password]").await;
    eventually(&driver, "the search again", || async {
        let notice = text_of(&driver, "[role=status]").await.unwrap_or_default();
        notice.contains("Forgotten").then_some(())
    })
    .await;
    wait_for_text(&driver, "[data-testid=figure-visits]", "1").await;
    driver.find(By::Css("[data-testid=search]")).await.unwrap().send_keys("Quill").await.unwrap();
    eventually(&driver, "nobody found", || async {
        driver.find(By::Css("[data-testid=search-result]")).await.is_err().then_some(())
    })
    .await;
    driver.quit().await.unwrap();

    let mut desk = open_desk(data.path()).unwrap();
    let erased = people::get(&mut desk, &OPERATOR, &dana.id).unwrap();
    assert_eq!((erased.display_name.as_str(), erased.phone), (people::FORGOTTEN_NAME, None));
    assert_eq!(reports::today(&desk, &OPERATOR).unwrap().visits, 1, "the visit still counts");
    drop(desk);
    let file = std::fs::read(data.path().join(DATABASE_FILE_NAME)).unwrap();
    let found = |needle: &str| file.windows(needle.len()).any(|window| window == needle.as_bytes());
    assert!(!found("Quill") && !found("555-555-0142"), "nothing of Dana is left in the database file");
}
