//! Volunteer scheduling as a coordinator and the front desk use it: the real app on a real desk
//! database, over WebDriver. The line's hours are published, their gaps seen and one closed,
//! a volunteer whose background check ran out is refused with the reason, and the front desk
//! clocks the one on shift in and out.

use std::path::Path;

use chrono::Duration;
use porchlight_core::access::Role;
use porchlight_core::accounts::{self, AccountInput};
use porchlight_core::volunteers::hours::{self, HoursInput};
use porchlight_core::volunteers::shifts;
use porchlight_core::Desk;
use porchlight_e2e::*;
use porchlight_testkit::line_volunteer;

const AVERY: &str = "Avery S.";
const AVERY_PIN: &str = "2964";
const FRANKIE: &str = "Frankie P.";
const FRANKIE_PIN: &str = "6130";
const ANA: &str = "Ana P.";
const ANA_PIN: &str = "5183";

/// Avery coordinates and Frankie works the front desk. Ana volunteers on the line with her
/// training and background check current, signs in with her own staff account, and gave an
/// hour and a half at an outreach event today; Ben's background check ran out last week.
fn set_up_volunteers(data_dir: &Path) {
    let mut desk = open_desk(data_dir).unwrap();
    let account = |desk: &mut Desk, name: &str, role: Role, pin: &str| {
        let input = AccountInput { name: name.into(), roles: vec![role], pin: pin.into(), ..Default::default() };
        accounts::create(desk, &OPERATOR, &input).unwrap();
    };
    account(&mut desk, AVERY, Role::Coordinator, AVERY_PIN);
    account(&mut desk, FRANKIE, Role::FrontDesk, FRANKIE_PIN);
    let today = desk.today().unwrap();
    let ana = line_volunteer(&mut desk, "Ana P.", &(today + Duration::days(300)).to_string());
    line_volunteer(&mut desk, "Ben R.", &(today - Duration::days(7)).to_string());
    let input =
        AccountInput { name: ANA.into(), roles: vec![Role::Warmline], pin: ANA_PIN.into(), ..Default::default() };
    let account = accounts::create(&mut desk, &OPERATOR, &input).unwrap();
    accounts::link_person(&mut desk, &OPERATOR, &account.id, Some(&ana)).unwrap();
    let outreach = HoursInput { volunteer_id: ana, worked_on: today, minutes: 90, what: "Outreach event".into() };
    hours::log(&mut desk, &OPERATOR, &outreach).unwrap();
}

async fn gaps(driver: &WebDriver) -> usize {
    driver.find_all(By::Css("[data-testid=gap]")).await.map(|gaps| gaps.len()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coordinator_covers_the_line_and_the_front_desk_clocks_the_volunteer_in_and_out() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    let driver = desktop.open_app(data.path()).await;
    driver.quit().await.unwrap();
    set_up_volunteers(data.path());

    // Avery signs in and lands on coverage: nothing published yet, so no gap.
    let driver = desktop.launch(data.path()).await;
    open_encrypted_desk(&driver).await;
    unlock(&driver, AVERY, Secret::Pin(AVERY_PIN)).await;
    eventually(&driver, "coverage first", || async { driver.find(By::Css("[data-testid=no-gaps]")).await.ok() }).await;
    assert!(texts_of(&driver, "nav.screens button").await.contains(&"Volunteers".to_owned()));
    eventually(&driver, "Ben's lapsed check on the first screen", || async {
        texts_of(&driver, "[data-testid=credential-alert]")
            .await
            .iter()
            .any(|alert| alert.contains("Ben R."))
            .then_some(())
    })
    .await;

    // The line's hours, every day, all day: a minimum of none is refused beside its field.
    click(&driver, "[data-testid=volunteers-setup]").await;
    click(&driver, "[data-testid=add-line-hours]").await;
    // No day is ticked to begin with: each of the seven is one click.
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] {
        assert!(!in_view(&driver, &format!("[data-testid=template-day-{day}]")).await.is_selected().await.unwrap());
        click(&driver, &format!("[data-testid=template-day-{day}]")).await;
    }
    set_value(&driver, "[data-testid=template-start]", "00:00").await;
    set_value(&driver, "[data-testid=template-end]", "23:59").await;
    set_value(&driver, "[data-testid=template-min]", "0").await;
    click(&driver, "[data-testid=template-save]").await;
    wait_for_text(&driver, "[data-testid=template-min-error]", "A shift needs at least 1 volunteer.").await;
    screenshot(&driver, "volunteers-line-hours-refused").await;
    set_value(&driver, "[data-testid=template-min]", "1").await;
    click(&driver, "[data-testid=template-save]").await;
    eventually(&driver, "the line's hours published", || async {
        driver.find(By::Css("[data-testid=line-template]")).await.ok()
    })
    .await;
    screenshot(&driver, "volunteers-setup").await;

    // The hours change from tomorrow on (today's shift stays as published): the form opens on
    // the template as it stands.
    click(&driver, "[data-testid=template-edit]").await;
    eventually(&driver, "the form on the line's hours", || async {
        let name = driver.find(By::Css("[data-testid=template-name]")).await.ok()?;
        (name.prop("value").await.ok()??.as_str() == "Warmline hours").then_some(())
    })
    .await;
    assert!(in_view(&driver, "[data-testid=template-day-sunday]").await.is_selected().await.unwrap());
    let tomorrow = open_desk(data.path()).unwrap().today().unwrap() + Duration::days(1);
    set_value(&driver, "[data-testid=template-day]", &tomorrow.to_string()).await;
    set_value(&driver, "[data-testid=template-end]", "22:00").await;
    screenshot(&driver, "volunteers-template-change").await;
    assert_eq!(accessibility_problems(&driver).await, Vec::<String>::new(), "the template form, by axe-core");
    resize_window(&driver, 960, 760).await;
    assert_eq!(
        cut_off(&driver, "[data-testid=template-form] label, [data-testid=template-form] input").await,
        Vec::<String>::new()
    );
    screenshot(&driver, "volunteers-template-change-960").await;
    resize_window(&driver, 1280, 820).await;
    click(&driver, "[data-testid=template-save]").await;
    eventually(&driver, "the line's new hours", || async {
        text_of(&driver, "[data-testid=line-template]").await.filter(|row| row.contains("to 10:00 PM"))
    })
    .await;
    assert_eq!(driver.find_all(By::Css("[data-testid=line-template]")).await.unwrap().len(), 1);

    // The center's credentials are its own list: a name it has is refused beside the field.
    type_into(&driver, "[data-testid=kind-name]", "cpr").await;
    click(&driver, "[data-testid=add-kind]").await;
    wait_for_text(&driver, "[data-testid=kind-name-error]", "There is already one called \"cpr\".").await;
    set_value(&driver, "[data-testid=kind-name]", "Food handler card").await;
    click(&driver, "[data-testid=add-kind]").await;
    wait_for_text(&driver, "[data-testid=roles-notice]", "Food handler card can be recorded now.").await;
    screenshot(&driver, "volunteers-roles-setup").await;

    // Every day ahead is a gap on the line, today's first.
    click(&driver, "[data-testid=volunteers-coverage]").await;
    let before = eventually(&driver, "the line's gaps", || async {
        let count = gaps(&driver).await;
        (count >= 7).then_some(count)
    })
    .await;
    let first = text_of(&driver, "[data-testid=gap]").await.unwrap();
    assert!(first.starts_with("Warmline hours Warmline "), "{first}");
    let line_first = driver.find(By::Css("[data-testid=gap]")).await.unwrap().attr("data-warmline").await.unwrap();
    assert_eq!(line_first.as_deref(), Some("true"));
    screenshot(&driver, "volunteers-coverage-gaps").await;

    // Assigning someone lists Ana, and Ben with the reason he cannot take it.
    click(&driver, "[data-testid=gap-assign]").await;
    let ben = eventually(&driver, "Ben's refusal", || async {
        text_of(&driver, "[data-testid=candidate][data-name='Ben R.'] [data-testid=candidate-refusal]").await
    })
    .await;
    assert!(ben.starts_with("Cannot: Ben R.'s Background check expired on "), "{ben}");
    assert!(driver
        .find(By::Css("[data-testid=candidate][data-name='Ben R.'] [data-testid=candidate-assign]"))
        .await
        .is_err());
    screenshot(&driver, "volunteers-assign").await;
    click(&driver, "[data-testid=candidate][data-name='Ana P.'] [data-testid=candidate-assign]").await;
    eventually(&driver, "today's line covered", || async {
        let panel = driver.find(By::Css("[data-testid=shift-panel]")).await.ok()?;
        (panel.attr("data-coverage").await.ok()??.as_str() == "covered").then_some(())
    })
    .await;
    eventually(&driver, "the gap closed", || async { (gaps(&driver).await == before - 1).then_some(()) }).await;
    screenshot(&driver, "volunteers-shift-covered").await;
    // Confirming the day's hours says what it did beside the button.
    click(&driver, "[data-testid=confirm-today]").await;
    wait_for_text(
        &driver,
        "[data-testid=confirm-today-result]",
        "Every shift that ended today is already accounted for.",
    )
    .await;

    // At 960 px every shift row and gap reads whole.
    resize_window(&driver, 960, 760).await;
    let cut =
        cut_off(&driver, "[data-testid=gap] strong, [data-testid=week-shift] .name, [data-testid=week-shift] .state")
            .await;
    assert_eq!(cut, Vec::<String>::new());
    screenshot(&driver, "volunteers-coverage-960").await;
    resize_window(&driver, 1280, 820).await;

    // The front desk clocks Ana in when she comes and out when she goes.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, FRANKIE, Secret::Pin(FRANKIE_PIN)).await;
    wait_for_text(&driver, "[data-testid=on-shift][data-name='Ana P.'] [data-testid=on-shift-clock]", "Clock in").await;
    click(&driver, "[data-testid=on-shift-clock]").await;
    wait_for_text(&driver, "[data-testid=on-shift][data-name='Ana P.'] [data-testid=on-shift-clock]", "Clock out")
        .await;
    click(&driver, "[data-testid=on-shift-clock]").await;
    eventually(&driver, "Ana clocked out", || async {
        text_of(&driver, "[data-testid=on-shift][data-name='Ana P.']").await.filter(|text| text.contains("out at"))
    })
    .await;
    screenshot(&driver, "front-desk-on-shift").await;

    // Ana, signed in on her own account, takes tomorrow's open place on the line herself.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, ANA, Secret::Pin(ANA_PIN)).await;
    eventually(&driver, "Ana's screens", || async {
        (texts_of(&driver, "nav.screens button").await == ["Warmline", "My shifts"]).then_some(())
    })
    .await;
    click(&driver, "[data-testid=nav-my-shifts]").await;
    eventually(&driver, "her shift today", || async {
        (driver.find_all(By::Css("[data-testid=my-shift]")).await.ok()?.len() == 1).then_some(())
    })
    .await;
    click(&driver, "[data-testid=open-shift] [data-testid=sign-up]").await;
    eventually(&driver, "two shifts of her own", || async {
        (driver.find_all(By::Css("[data-testid=my-shift]")).await.ok()?.len() == 2).then_some(())
    })
    .await;
    assert!(text_of(&driver, "[data-testid=my-shifts-notice]").await.unwrap().starts_with("You are on Warmline hours"));
    screenshot(&driver, "volunteers-my-shifts").await;

    // Avery sees Ana's hours: the outreach event and her shift.
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, AVERY, Secret::Pin(AVERY_PIN)).await;
    click(&driver, "[data-testid=volunteers-people]").await;
    click(&driver, "[data-testid=volunteer-row][data-name='Ana P.']").await;
    eventually(&driver, "Ana's hours", || async {
        text_of(&driver, "[data-testid=volunteer-profile] h3:last-of-type")
            .await
            .filter(|text| text == "Hours this year: 1.5 h")
    })
    .await;
    screenshot(&driver, "volunteers-profile").await;
    click(&driver, "[data-testid=volunteers-figures]").await;
    wait_for_text(&driver, "[data-testid=total-hours]", "1.5 h").await;
    screenshot(&driver, "volunteers-figures").await;
    driver.quit().await.unwrap();

    let desk = open_desk(data.path()).unwrap();
    let today = desk.today().unwrap();
    let held = shifts::between(&desk, &OPERATOR, today, today).unwrap().remove(0);
    let ana = &held.holders[0];
    assert_eq!(ana.name, "Ana P.");
    assert!(ana.clocked_in_at.is_some() && ana.clocked_out_at.is_some(), "clocked in and out at the front desk");
    let tomorrow = today + Duration::days(1);
    let signed_up = shifts::between(&desk, &OPERATOR, tomorrow, tomorrow).unwrap().remove(0);
    assert_eq!((signed_up.holders[0].name.as_str(), signed_up.holders[0].came_by.as_str()), ("Ana P.", "signed_up"));
}
