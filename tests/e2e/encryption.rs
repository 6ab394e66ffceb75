//! Encryption at rest with the real app: a desk from before encryption is encrypted in place
//! behind a passphrase an admin chooses, keeps every record, and opens only with it; the file
//! and its backups read as noise to anyone who copies them.

use std::path::Path;

use porchlight_core::people::{self, PersonInput};
use porchlight_core::{front_desk, Desk, DATABASE_FILE_NAME};
use porchlight_e2e::*;

/// What a plain SQLite open (anyone with a copy of the file) makes of it.
fn plain_sqlite_says(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    match conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)) {
        Ok(tables) => format!("readable: {tables} tables"),
        Err(err) => err.to_string(),
    }
}

/// Whether a process has `path` open (Linux: a link to it under `/proc/*/fd`).
fn held_open(path: &Path) -> bool {
    let Ok(processes) = std::fs::read_dir("/proc") else { return false };
    processes.filter_map(Result::ok).any(|process| {
        std::fs::read_dir(process.path().join("fd")).is_ok_and(|fds| {
            fds.filter_map(Result::ok).any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == path))
        })
    })
}

fn holds(path: &Path, text: &str) -> bool {
    std::fs::read(path).unwrap().windows(text.len()).any(|window| window == text.as_bytes())
}

fn backup_to(data_dir: &Path, passphrase: Option<&str>, file: &Path) -> (bool, String, String) {
    let env: Vec<_> = passphrase.map(|passphrase| ("PORCHLIGHT_DESK_PASSPHRASE", passphrase)).into_iter().collect();
    run_cli(data_dir, &env, &["backup", file.to_str().unwrap()])
}

async fn field_error(driver: &WebDriver, id: &str) -> String {
    let css = format!("#{id}");
    eventually(driver, id, || text_of(driver, &css)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_desk_is_encrypted_behind_a_passphrase_and_opens_only_with_it() {
    let data = tempfile::tempdir().unwrap();
    let database = data.path().join(DATABASE_FILE_NAME);
    {
        // A desk from before encryption, with someone on it.
        let mut desk = Desk::open_dir(data.path()).unwrap();
        let input = PersonInput {
            phone: Some("555-555-0199".into()),
            display_name: "Dana Private".into(),
            ..Default::default()
        };
        people::register(&mut desk, &OPERATOR, &input).unwrap();
    }
    assert!(holds(&database, "Dana Private"), "a plain desk holds names as text");

    let desktop = Desktop::start();
    let driver = desktop.launch(data.path()).await;
    let form = eventually(&driver, "the passphrase screen", || async {
        driver.find(By::Css("[data-testid=desk-key][data-mode=choose]")).await.ok()
    })
    .await;
    assert!(driver.find(By::Css("[data-testid=first-run]")).await.is_err(), "nothing before the key");

    // Too short, then two that differ: each refused beside its field, and nothing encrypted.
    let passphrase = driver.find(By::Css("[data-testid=desk-passphrase]")).await.unwrap();
    let again = driver.find(By::Css("[data-testid=desk-passphrase-again]")).await.unwrap();
    passphrase.send_keys("porchlight").await.unwrap();
    again.send_keys("porchlight").await.unwrap();
    driver.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
    assert!(field_error(&driver, "passphrase-error").await.contains("at least 12 characters"));
    passphrase.send_keys(DESK_PASSPHRASE).await.unwrap();
    again.send_keys("a porch light left off").await.unwrap();
    driver.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
    assert!(field_error(&driver, "passphrase_again-error").await.contains("not the same"));
    screenshot(&driver, "desk-passphrase-choose").await;
    assert!(holds(&database, "Dana Private"), "still plain: nothing was chosen");

    again.clear().await.unwrap();
    again.send_keys(DESK_PASSPHRASE).await.unwrap();
    form.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "first-run setup", || async { driver.find(By::Css("[data-testid=first-run]")).await.ok() })
        .await;
    set_up_center(&driver, ADMIN_PIN).await;
    wait_for_text(&driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;

    // Encrypted in place, every record kept; the file and a backup read as noise.
    assert_eq!(plain_sqlite_says(&database), "file is not a database");
    assert!(!holds(&database, "Dana Private"));
    let found = front_desk::search(&open_desk(data.path()).unwrap(), &OPERATOR, "dana", 5).unwrap();
    assert_eq!(found.len(), 1, "the person from before is still there");

    let backup = data.path().join("nightly.sqlite3");
    let (ok, _, err) = backup_to(data.path(), None, &backup);
    assert!(!ok && err.contains("passphrase") && err.contains("PORCHLIGHT_DESK_PASSPHRASE"), "{err}");
    assert!(!backup.exists());
    let (ok, _, err) = backup_to(data.path(), Some("a porch light left off"), &backup);
    assert!(!ok && err.contains("does not open"), "{err}");
    let (ok, out, err) = backup_to(data.path(), Some(DESK_PASSPHRASE), &backup);
    assert!(ok, "{err}");
    assert!(out.contains("Backed up"), "{out}");
    assert_eq!(plain_sqlite_says(&backup), "file is not a database");
    assert!(!holds(&backup, "Dana Private") && !holds(&backup, "555-555-0199"));
    driver.quit().await.unwrap();

    // The next start asks for the passphrase; a wrong one is refused beside the field and
    // changes nothing, the right one brings the lock screen.
    let driver = desktop.launch(data.path()).await;
    let passphrase = eventually(&driver, "the passphrase to open the desk", || async {
        driver.find(By::Css("[data-testid=desk-key][data-mode=enter] [data-testid=desk-passphrase]")).await.ok()
    })
    .await;
    let before = std::fs::read(&database).unwrap();
    passphrase.send_keys("a porch light left off").await.unwrap();
    driver.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
    assert!(field_error(&driver, "passphrase-error").await.contains("does not open this desk"));
    screenshot(&driver, "desk-passphrase-wrong").await;
    assert!(std::fs::read(&database).unwrap() == before, "a wrong passphrase changes nothing");
    assert!(driver.find(By::Css("[data-testid=lock-screen]")).await.is_err());

    passphrase.send_keys(DESK_PASSPHRASE).await.unwrap();
    driver.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
    eventually(&driver, "the lock screen", || async { driver.find(By::Css("[data-testid=lock-screen]")).await.ok() })
        .await;
    driver.quit().await.unwrap();
}

/// A page of the desk's file takes damage (a failing disk) where no screen reads: the check the
/// app runs when it starts finds it, the header says so on every screen, and Settings → Sync
/// says what to do.
#[tokio::test(flavor = "multi_thread")]
async fn a_desk_whose_file_took_damage_says_so_in_the_header_and_what_to_do() {
    let data = tempfile::tempdir().unwrap();
    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    // The day's automatic backup, made once the desk is open: whole, and encrypted with its key.
    let today = open_desk(data.path()).unwrap().today().unwrap();
    let automatic = data.path().join("backups").join(format!("porchlight-{today}.sqlite3"));
    eventually(&driver, "the day's automatic backup", || async { automatic.exists().then_some(()) }).await;
    let clock = std::sync::Arc::new(porchlight_core::SystemClock);
    let backed_up = Desk::open_keyed(&automatic, clock, desk_key(data.path())).unwrap();
    assert_eq!(backed_up.today().unwrap(), today);
    assert!(plain_sqlite_says(&automatic).contains("file is not a database"), "encrypted");
    drop(backed_up);
    driver.quit().await.unwrap();
    // The window closes a moment after its session does: until then it may still write the file.
    let database = data.path().join(DATABASE_FILE_NAME);
    let deadline = std::time::Instant::now() + PATIENCE;
    while held_open(&database) {
        assert!(std::time::Instant::now() < deadline, "the app still holds its database open");
        std::thread::yield_now();
    }

    // The page of a table nothing reads while the desk runs normally, found with the desk's key.
    let key = desk_key(data.path()).unwrap();
    let root: i64 = {
        let conn = rusqlite::Connection::open(&database).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex())).unwrap();
        // Every page in the file itself, none left newer in the write-ahead log.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        conn.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'sync_hub_holds'", [], |row| row.get(0))
            .unwrap()
    };
    let mut bytes = std::fs::read(&database).unwrap();
    bytes[(root as usize - 1) * 4096 + 500] ^= 0x5a;
    std::fs::write(&database, bytes).unwrap();

    let driver = desktop.open_app(data.path()).await;
    eventually(&driver, "the header to say the desk's data is damaged", || async {
        let text = text_of(&driver, "[data-testid=sync-indicator]").await?;
        text.starts_with("Desk data damaged").then_some(())
    })
    .await;
    click(&driver, "[data-testid=sync-indicator]").await;
    let note = eventually(&driver, "the damage explained", || text_of(&driver, "[data-testid=desk-damaged]")).await;
    assert!(note.contains("is damaged") && note.contains("Put back the last good backup"), "{note}");
    screenshot(&driver, "desk-damaged").await;
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "desk-damaged-960").await;
    assert_eq!(past_its_box(&driver, "[data-testid=desk-damaged]").await, Vec::<String>::new(), "at 960 px");
    driver.quit().await.unwrap();
}

/// An admin keeps the desk's backups on a drive they choose, from Settings: a folder that is no
/// full path is refused beside the field; the chosen one takes today's backup at once; and a
/// backup put back from the list brings the desk's records back to that day, the app open.
#[tokio::test(flavor = "multi_thread")]
async fn an_admin_keeps_backups_on_a_drive_they_choose_and_puts_one_back_from_settings() {
    let data = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let desktop = Desktop::start();
    let driver = desktop.open_app(data.path()).await;
    click(&driver, "[data-testid=sync-indicator]").await;
    let folder_field = in_view(&driver, "[data-testid=backup-folder]").await;
    folder_field.send_keys("porchlight-backups").await.unwrap();
    click(&driver, "[data-testid=backup-folder-save]").await;
    let refused =
        eventually(&driver, "the folder refused", || text_of(&driver, "[data-testid=backup-folder-error]")).await;
    assert!(refused.contains("write the folder's full path"), "{refused}");

    let folder = usb.path().join("porchlight-backups");
    set_value(&driver, "[data-testid=backup-folder]", folder.to_str().unwrap()).await;
    click(&driver, "[data-testid=backup-folder-save]").await;
    wait_for_text(&driver, "[data-testid=backups-note]", "Saved. Today's backup is there; one is made there each day.")
        .await;
    assert_eq!(texts_of(&driver, "[data-testid=backup]").await.len(), 1);
    let made: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(plain_sqlite_says(&folder.join(&made[0])).contains("file is not a database"), "encrypted");

    people::register(
        &mut open_desk(data.path()).unwrap(),
        &OPERATOR,
        &PersonInput { display_name: "Tess A.".into(), ..Default::default() },
    )
    .unwrap();
    click(&driver, "[data-testid=backup-restore]").await;
    screenshot(&driver, "backups").await;
    click(&driver, "[data-testid=backup-restore-confirm]").await;
    wait_for_text(&driver, "[data-testid=backups-note]", "Put back, and brought up to date.").await;
    let desk = open_desk(data.path()).unwrap();
    assert!(front_desk::search(&desk, &OPERATOR, "tess", 5).unwrap().is_empty(), "the desk is as it was that morning");
    resize_window(&driver, 960, 760).await;
    screenshot(&driver, "backups-960").await;
    assert_eq!(past_its_box(&driver, "[data-testid=backups]").await, Vec::<String>::new(), "at 960 px");
    driver.quit().await.unwrap();
}
