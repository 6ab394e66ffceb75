//! The center's report from the admin CLI on the demo center, as a director's script or a
//! funder's spreadsheet would take it: the four files agree with each other, and the
//! unduplicated figures agree with what the visit and attendance exports say when counted
//! here, independently. The workbook is read by another reader (calamine), and the PDF is read
//! and rendered to an image by poppler.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use porchlight_core::access::Session;
use porchlight_core::people::{self, PersonInput};
use porchlight_core::reports::{Period, Preset};
use porchlight_core::visits;
use porchlight_e2e::*;

/// The CLI as the center's admin runs it (on a desk with no admin yet, as the computer's user).
fn cli(data: &Path, args: &[&str]) -> (bool, String, String) {
    let env = [("PORCHLIGHT_DESK_PASSPHRASE", DESK_PASSPHRASE), ("PORCHLIGHT_ADMIN_PASSWORD", ADMIN_PASSWORD)];
    run_cli(data, &env, &[&["--as", ADMIN_NAME], args].concat())
}

/// The distinct values of `column` in a CSV export, blanks left out.
fn distinct(csv: &str, column: &str, keep: impl Fn(&csv::StringRecord, &csv::StringRecord) -> bool) -> HashSet<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = header.iter().position(|name| name == column).unwrap_or_else(|| panic!("{column} in {header:?}"));
    reader
        .records()
        .map(Result::unwrap)
        .filter(|row| keep(&header, row) && !row[at].is_empty())
        .map(|row| row[at].to_owned())
        .collect()
}

#[test]
fn last_months_report_agrees_in_every_file_and_with_the_exports_counted_independently() {
    let data = tempfile::tempdir().unwrap();
    let (ok, out, err) = cli(data.path(), &["demo"]);
    assert!(ok, "{out}{err}");
    let today = open_desk(data.path()).unwrap().today().unwrap();
    let month = Period::preset(Preset::LastMonth, today, 1);
    let (from, to) = (month.from.to_string(), month.to.to_string());
    let period = ["--from", from.as_str(), "--to", to.as_str()];

    let (ok, json, err) = cli(data.path(), &[&["report"][..], &period].concat());
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["suppressed"], false);
    assert_eq!((report["period"]["from"].as_str(), report["period"]["to"].as_str()), (Some(&*from), Some(&*to)));
    let served = report["people_served_unduplicated"].as_u64().unwrap();
    assert!(served > 100, "the demo center served people last month: {served}");

    let (ok, visits_csv, err) = cli(data.path(), &[&["export", "visits"][..], &period].concat());
    assert!(ok, "{err}");
    let (ok, attendance_csv, err) = cli(data.path(), &[&["export", "attendance"][..], &period].concat());
    assert!(ok, "{err}");
    let visitors = distinct(&visits_csv, "person_id", |_, _| true);
    let present = |header: &csv::StringRecord, row: &csv::StringRecord| {
        let value = |column: &str| header.iter().position(|name| name == column).map(|at| &row[at]);
        value("state") == Some("present") && value("session_cancelled") == Some("false")
    };
    let attendees = distinct(&attendance_csv, "person_id", present);
    assert_eq!(report["visits"]["unduplicated_people"].as_u64(), Some(visitors.len() as u64));
    assert_eq!(report["groups"]["unduplicated_people"].as_u64(), Some(attendees.len() as u64));
    assert_eq!(served, visitors.union(&attendees).count() as u64, "a person in both programs counted once");
    let visit_rows = csv::Reader::from_reader(visits_csv.as_bytes()).records().count() as u64;
    assert_eq!(report["visits"]["total"].as_u64(), Some(visit_rows));

    let (ok, tidy, err) = cli(data.path(), &[&["report", "--format", "csv"][..], &period].concat());
    assert!(ok, "{err}");
    assert!(tidy.contains(&format!("\nreport,people_served_unduplicated,,{served},")), "{tidy}");

    let book = data.path().join("report.xlsx");
    let book_arg = book.to_str().unwrap();
    let (ok, _, err) = cli(data.path(), &[&["report", "--format", "xlsx", "--output", book_arg][..], &period].concat());
    assert!(ok, "{err}");
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let front = workbook.worksheet_range("Report").unwrap();
    let cell = front
        .rows()
        .find(|row| row[0] == Data::String("People served (unduplicated)".into()))
        .map(|row| row[1].clone());
    assert_eq!(cell, Some(Data::Float(served as f64)), "stored as a number");

    let (ok, _, err) = cli(data.path(), &[&["report", "--format", "xlsx", "--output", book_arg][..], &period].concat());
    assert!(!ok && err.contains("already exists"), "an existing file is left alone: {err}");

    let pdf = data.path().join("report.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    let letter = [&["report", "--format", "pdf", "--paper", "letter", "--output", pdf_arg][..], &period].concat();
    let (ok, _, err) = cli(data.path(), &letter);
    assert!(ok, "{err}");
    let text = Command::new("pdftotext").args(["-layout", pdf_arg, "-"]).output().expect("poppler's pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    let line = text.lines().find(|line| line.contains("People served (unduplicated)")).unwrap_or_default();
    let thousands = |n: u64| if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() };
    assert!(line.contains(&thousands(served)), "the PDF says {served}: {line:?}");
    let image = data.path().join("page");
    let rendered = Command::new("pdftoppm")
        .args(["-r", "50", "-png", "-f", "1", "-l", "1", pdf_arg])
        .arg(&image)
        .status()
        .unwrap();
    assert!(rendered.success(), "poppler renders the PDF");
    let page = std::fs::read_dir(data.path()).unwrap().map(|e| e.unwrap().path()).find(|p| {
        p.file_name().unwrap().to_string_lossy().starts_with("page") && p.extension().is_some_and(|e| e == "png")
    });
    let page = page.expect("a rendered page");
    assert!(std::fs::metadata(&page).unwrap().len() > 10_000, "a page with charts and text on it");
    std::fs::copy(&page, artifacts_dir().join("report-pdf-page-1.png")).unwrap();

    let (ok, suppressed, _) = cli(data.path(), &[&["report", "--suppress-small"][..], &period].concat());
    assert!(ok);
    let suppressed: serde_json::Value = serde_json::from_str(&suppressed).unwrap();
    assert_eq!(suppressed["suppressed"], true);
    assert_eq!(suppressed["people_served_unduplicated"].as_u64(), Some(served), "large counts stay exact");

    for (args, says) in [
        (vec!["report", "--from", "2026-11-30", "--to", "2026-11-01"], "start date is after the end date"),
        (vec!["report", "--from", "2026-11-01", "--to", "2999-01-01"], "cannot reach past today"),
        (vec!["report", "--from", "2000-01-01", "--to", "2026-11-01"], "at most 10 years"),
        (vec!["report", "--from", "1 Nov", "--to", "2026-11-01"], "must look like 2026-11-23"),
    ] {
        let (ok, _, err) = cli(data.path(), &args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    let nowhere = data.path().join("no such folder").join("report.csv");
    let args = [&["report", "--format", "csv", "--output", nowhere.to_str().unwrap()][..], &period].concat();
    let (ok, _, err) = cli(data.path(), &args);
    assert!(!ok && err.contains("Reports cannot be saved into") && err.contains("there is no such folder"), "{err}");
}

/// Waits until the element matching `css` reads something containing `expected`.
async fn showing(driver: &WebDriver, css: &str, expected: &str) {
    eventually(driver, &format!("{css} to say {expected:?}"), || async {
        text_of(driver, css).await.filter(|text| text.contains(expected)).map(drop)
    })
    .await;
}

/// The people served that a saved workbook's first sheet gives, read back by `calamine`.
fn workbook_people_served(path: &Path) -> Option<f64> {
    use calamine::{Data, Reader};
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).ok()?;
    let front = workbook.worksheet_range("Report").ok()?;
    let row = front.rows().find(|row| row[0] == Data::String("People served (unduplicated)".into()))?;
    match row[1] {
        Data::Float(value) => Some(value),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coordinator_reads_last_month_saves_the_files_and_links_two_records_of_one_person() {
    let desktop = Desktop::start();
    let data = tempfile::tempdir().unwrap();
    // In the zone the app's first-run setup gives the center, so the demo's hours stay its hours.
    let (ok, out, err) = cli(data.path(), &["demo", "--time-zone", CENTER_TIME_ZONE]);
    assert!(ok, "{out}{err}");
    // Two registrations of one woman at two desks: the same phone.
    let twins = data.path().join("twins.csv");
    std::fs::write(
        &twins,
        "display_name,phone,birth_year\nRosa M.,555-201-7788,1979\nRosie Morales,(555) 201 7788,1979\n",
    )
    .unwrap();
    let (ok, out, err) = cli(data.path(), &["import", "people", twins.to_str().unwrap()]);
    assert!(ok, "{out}{err}");

    let driver = desktop.open_app(data.path()).await;
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, "Avery S.", Secret::Pin("2964")).await;
    eventually(&driver, "Avery's screens", || async {
        texts_of(&driver, "nav.screens button").await.contains(&"Reports".to_owned()).then_some(())
    })
    .await;
    press(&driver, "5").await;
    let painted: u64 = eventually(&driver, "last month's report with its charts painted", || async {
        let report = driver.find(By::Css("[data-testid=report]")).await.ok()?;
        report.attr("data-painted-ms").await.ok()??.parse().ok()
    })
    .await;
    eprintln!("Reports: last month chosen to charts painted in {painted} ms");
    for chart in ["chart-trend", "chart-services", "chart-visit-hours", "chart-call-hours"] {
        let drawn = driver.find_all(By::Css(format!("[data-testid={chart}] svg"))).await.unwrap();
        assert!(!drawn.is_empty(), "{chart} is drawn");
    }
    let served_on_screen: u64 =
        text_of(&driver, "[data-testid=people-served]").await.unwrap().replace(',', "").parse().unwrap();
    screenshot(&driver, "reports-last-month").await;
    in_view(&driver, "[data-testid=chart-services]").await;
    screenshot(&driver, "reports-visitors-charts").await;
    in_view(&driver, "[data-testid=chart-visit-hours]").await;
    screenshot(&driver, "reports-visit-hours").await;
    in_view(&driver, "[data-testid=chart-call-hours]").await;
    screenshot(&driver, "reports-warmline").await;

    let today = open_desk(data.path()).unwrap().today().unwrap();
    let month = Period::preset(Preset::LastMonth, today, 1);
    let period_text = text_of(&driver, "[data-testid=report-period]").await.unwrap();
    assert!(period_text.contains(&month.to.format("%Y").to_string()), "{period_text}");

    // A folder that is not there is named beside the field, in words, and nothing is saved.
    set_value(&driver, "[data-testid=report-folder]", "/media/usb-taken-out").await;
    click(&driver, "[data-testid=save-pdf]").await;
    wait_for_text(
        &driver,
        "[data-testid=report-folder-error]",
        "Reports cannot be saved into /media/usb-taken-out: there is no such folder (a drive taken out, or a name \
         mistyped?).",
    )
    .await;
    screenshot(&driver, "reports-folder-missing").await;
    // The system's folder chooser opens over the window with the question, and the folder
    // chosen there fills the field.
    let saved = tempfile::tempdir().unwrap();
    click(&driver, "[data-testid=report-folder-choose]").await;
    desktop.choose_folder_in_system_chooser("Where should the report files go?", saved.path());
    eventually(&driver, "the chosen folder in the field", || async {
        let field = driver.find(By::Css("[data-testid=report-folder]")).await.ok()?;
        (field.prop("value").await.ok()??.as_str() == saved.path().to_str()?).then_some(())
    })
    .await;
    for format in ["xlsx", "pdf"] {
        click(&driver, &format!("[data-testid=save-{format}]")).await;
        showing(&driver, "[data-testid=report-saved]", &format!(".{format}")).await;
    }
    screenshot(&driver, "reports-files-saved").await;
    let file = |extension: &str| {
        std::fs::read_dir(saved.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.extension().is_some_and(|e| e == extension))
            .unwrap_or_else(|| panic!("a saved .{extension}"))
    };
    assert_eq!(workbook_people_served(&file("xlsx")), Some(served_on_screen as f64), "the workbook agrees");
    let text = Command::new("pdftotext").args(["-layout"]).arg(file("pdf")).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let line = text.lines().find(|line| line.contains("People served (unduplicated)")).unwrap_or_default();
    let thousands = |n: u64| if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() };
    assert!(line.contains(&thousands(served_on_screen)), "the PDF agrees: {line:?}");
    let (from, to) = (month.from.to_string(), month.to.to_string());
    let (ok, json, err) = cli(data.path(), &["report", "--from", &from, "--to", &to]);
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["people_served_unduplicated"].as_u64(), Some(served_on_screen), "the CLI agrees");

    // A period in the future is refused beside the field, and the report on screen stays.
    set_value(&driver, "#report-to", "2999-01-01").await;
    click(&driver, "[data-testid=report-show]").await;
    showing(&driver, "[data-testid=report-to-error]", "cannot reach past today").await;
    assert_eq!(
        text_of(&driver, "[data-testid=people-served]").await.unwrap().replace(',', ""),
        served_on_screen.to_string()
    );

    resize_window(&driver, 960, 900).await;
    click(&driver, "[data-testid=preset-last_month]").await;
    eventually(&driver, "the report again at 960 px", || async {
        driver.find(By::Css("[data-testid=report][data-painted-ms]")).await.ok()
    })
    .await;
    let cut =
        cut_off(&driver, "nav.screens button, .presets button, table.figures th, table.figures td, .buttons button")
            .await;
    assert!(cut.is_empty(), "nothing cut off at 960 px: {cut:?}");
    screenshot(&driver, "reports-last-month-960").await;

    click(&driver, "[data-testid=reports-people]").await;
    let pair = eventually(&driver, "Rosa's two records offered as one person", || async {
        let pairs = texts_of(&driver, "[data-testid=likely-pair]").await;
        pairs.into_iter().find(|pair| pair.contains("Rosa M.") && pair.contains("Rosie Morales"))
    })
    .await;
    assert!(pair.contains("the same phone"), "{pair}");
    screenshot(&driver, "reports-same-person").await;
    let likely = driver.find_all(By::Css("[data-testid=likely-pair]")).await.unwrap();
    let mut rosa = None;
    for candidate in likely {
        if candidate.text().await.unwrap().contains("Rosie Morales") {
            rosa = Some(candidate);
            break;
        }
    }
    rosa.unwrap().find(By::Css("[data-testid=link-pair]")).await.unwrap().click().await.unwrap();
    showing(&driver, "[data-testid=linked-pair]", "Rosie Morales").await;
    screenshot(&driver, "reports-same-person-linked").await;
    let desk = open_desk(data.path()).unwrap();
    let stored = porchlight_core::same_person::overview(&desk, &Session::operator("e2e")).unwrap();
    assert_eq!(stored.linked.len(), 1, "one link, stored as its own record");
    drop(desk);

    // Every screen an admin reaches, with the demo center's records in it, by axe-core: nothing
    // serious or critical (WCAG 2.1 AA: names, labels, contrast, roles).
    // A busy morning: eight more people in the building than the demo's three.
    {
        let mut desk = open_desk(data.path()).unwrap();
        for n in 1..=8 {
            let input = PersonInput { display_name: format!("Morning {n}."), ..Default::default() };
            let person = people::register(&mut desk, &OPERATOR, &input).unwrap();
            visits::check_in(&mut desk, &OPERATOR, &person.id, &[]).unwrap();
        }
    }
    resize_window(&driver, 1280, 820).await;
    click(&driver, "[data-testid=lock]").await;
    unlock(&driver, ADMIN_NAME, Secret::Password(ADMIN_PASSWORD)).await;
    // At a desk's 1280 × 820, Here now shows nine of the eleven before it scrolls.
    let shown = eventually(&driver, "eleven here now", || async {
        let shown = driver
            .execute(
                "const list = document.querySelector('[data-testid=here-now] ul'); if (!list) return null;
                 const rows = [...list.querySelectorAll('[data-testid=here-row]')];
                 const bottom = Math.min(list.getBoundingClientRect().bottom, window.innerHeight);
                 return rows.length === 11 ? rows.filter((row) => row.getBoundingClientRect().bottom <= bottom + 1).length : null;",
                Vec::new(),
            )
            .await
            .ok()?;
        shown.json().as_u64()
    })
    .await;
    screenshot(&driver, "front-desk-busy-morning").await;
    assert!(shown >= 8, "{shown} of 11 in sight");
    let screens = ["front-desk", "groups", "warmline", "volunteers", "reports", "staff", "audit", "settings"];
    let mut problems = Vec::new();
    for screen in screens {
        click(&driver, &format!("[data-testid=nav-{screen}]")).await;
        eventually(&driver, &format!("the {screen} screen"), || async {
            let current = driver.find(By::Css(format!("[data-testid=nav-{screen}][aria-current=page]"))).await.ok()?;
            current.is_displayed().await.ok()?.then_some(())
        })
        .await;
        problems
            .extend(accessibility_problems(&driver).await.into_iter().map(|problem| format!("{screen}: {problem}")));
        screenshot(&driver, &format!("demo-{screen}")).await;
    }
    assert_eq!(problems, Vec::<String>::new(), "axe-core, serious and critical");

    // A year of the demo center's volunteer hours at the narrowest window: every figure whole
    // on its line, the "h" beside its number.
    resize_window(&driver, 960, 760).await;
    click(&driver, "[data-testid=nav-volunteers]").await;
    click(&driver, "[data-testid=volunteers-figures]").await;
    click(&driver, "[data-testid=figures-year]").await;
    eventually(&driver, "a year's volunteer hours", || async {
        text_of(&driver, "[data-testid=total-hours]").await.filter(|hours| hours.len() > 5)
    })
    .await;
    let figures = "[data-testid=volunteer-totals] .big, [data-testid=figure-volunteer] strong, \
                   [data-testid=figure-role] strong, [data-testid=figure-month] strong";
    assert_eq!(wrapped(&driver, figures).await, Vec::<String>::new());
    screenshot(&driver, "volunteers-figures-year-960").await;
    resize_window(&driver, 1280, 820).await;
}

/// An admin chooses, in Settings → Reports, to publish the center's monthly figures to the hub:
/// off until then, saved for the center, and described as counts only beside the box.
#[tokio::test(flavor = "multi_thread")]
async fn an_admin_chooses_to_publish_the_centers_figures_to_the_hub() {
    let data = tempfile::tempdir().unwrap();
    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    click(&driver, "[data-testid=nav-settings]").await;
    let publish = in_view(&driver, "[data-testid=publish-to-network]").await;
    assert!(!publish.is_selected().await.unwrap(), "off until an admin turns it on");
    let hint = text_of(&driver, "#publish-to-network-hint").await.unwrap();
    assert!(hint.contains("counts only") && hint.contains("No names"), "{hint}");
    publish.click().await.unwrap();
    click(&driver, "[data-testid=report-settings] button[type=submit]").await;
    wait_for_text(&driver, "[data-testid=report-settings] [role=status]", "Saved.").await;
    let chosen = porchlight_core::settings::report_settings(&open_desk(data.path()).unwrap()).unwrap();
    assert!(chosen.publish_to_network);
    screenshot(&driver, "report-settings-publish").await;
    resize_window(&driver, 960, 800).await;
    in_view(&driver, "[data-testid=publish-to-network]").await;
    assert_eq!(cut_off(&driver, "[data-testid=report-settings] *").await, Vec::<String>::new());
    screenshot(&driver, "report-settings-publish-960").await;
}
