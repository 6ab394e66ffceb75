//! What every end-to-end test needs: a virtual display, tauri-driver, the real app binary,
//! temp desks, and polling with a deadline (never sleeps as synchronisation).
//!
//! Tests run on tokio's multi-thread runtime: a WebDriver dropped by a failing test quits its
//! session from `Drop`, which would deadlock a current-thread runtime.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

pub mod hub;

pub use thirtyfour::prelude::*;

/// How long anything a person would wait for may take before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub use porchlight_testkit::{
    harbor_house, ADMIN_NAME, ADMIN_PASSWORD, ADMIN_PIN, CENTER_NAME, CENTER_TIME_ZONE, OPERATOR,
};

/// The passphrase every test desk is encrypted with. Tests run the app with `--no-keychain`, so
/// a desk always asks for it, whatever keychain the machine running them has.
pub const DESK_PASSPHRASE: &str = "a porch light left on";

/// The key of the test desk in `dir`, if the app has encrypted it.
pub fn desk_key(dir: &Path) -> Option<porchlight_core::encryption::DeskKey> {
    use porchlight_core::encryption;
    encryption::key_keeping(dir)
        .unwrap()
        .map(|_| encryption::unlock_with_passphrase(dir, DESK_PASSPHRASE).expect("the test desk's passphrase"))
}

/// Opens the desk in `dir` as the CLI would: with its key once the app has encrypted it.
pub fn open_desk(dir: &Path) -> porchlight_core::Result<porchlight_core::Desk> {
    porchlight_core::Desk::open_dir_keyed(dir, desk_key(dir))
}

/// Runs the admin CLI on `data_dir` as a script would: no terminal to type at, `--no-keychain`,
/// secrets only from `env`. Returns (success, stdout, stderr).
pub fn run_cli(data_dir: &Path, env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    run_cli_reading(data_dir, env, args, None)
}

/// [`run_cli`], with `input` on its standard input (as a script pipes it a file).
pub fn run_cli_reading(
    data_dir: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    input: Option<&str>,
) -> (bool, String, String) {
    let mut command = Command::new(app_binary());
    command.arg("--data-dir").arg(data_dir).arg("--no-keychain").args(args);
    command
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.env_remove("PORCHLIGHT_DESK_PASSPHRASE").env_remove("PORCHLIGHT_NEW_PASSWORD").envs(env.iter().copied());
    let mut child = command.spawn().unwrap();
    if let Some(input) = input {
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (output.status.success(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// What makes a program see the time libfaketime's `FAKETIME` says (`+365d`, `@2000-01-01
/// 09:00:00`): its wall clock only, so its timers and timeouts still run in real time.
pub fn faketime_env(faketime: &str) -> Vec<(String, String)> {
    // Debian puts it under the machine's multiarch folder (make test installs `faketime`).
    let library = std::fs::read_dir("/usr/lib")
        .unwrap()
        .map(|entry| entry.unwrap().path().join("faketime/libfaketime.so.1"))
        .find(|path| path.exists())
        .expect("libfaketime is installed (make test installs the faketime package)");
    vec![
        ("LD_PRELOAD".into(), library.display().to_string()),
        ("FAKETIME".into(), faketime.into()),
        ("FAKETIME_DONT_FAKE_MONOTONIC".into(), "1".into()),
        ("FAKETIME_NO_CACHE".into(), "1".into()),
    ]
}

/// What axe-core (Deque's accessibility engine, from the UI's packages) finds on the page as it is
/// now that is serious or critical: each rule broken, what it asks, and where.
pub async fn accessibility_problems(driver: &WebDriver) -> Vec<String> {
    static AXE: OnceLock<String> = OnceLock::new();
    let axe = AXE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err} (make test runs npm ci)", path.display()))
    });
    driver.execute(axe, Vec::new()).await.unwrap();
    let found = driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then((result) => done(result.violations
                 .filter((rule) => rule.impact === 'serious' || rule.impact === 'critical')
                 .map((rule) => `${rule.id}: ${rule.help} at ${rule.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('; ')}`)))
               .catch((err) => done([`axe did not run: ${err}`]));",
            Vec::new(),
        )
        .await
        .unwrap();
    serde_json::from_value(found.json().clone()).unwrap()
}

/// One desktop at a time: two WebKit windows at once are slow on a 2-core machine.
static DESKTOP: Mutex<()> = Mutex::new(());

/// A virtual display with tauri-driver listening on it, for one test.
pub struct Desktop {
    pub display: String,
    driver_port: u16,
    processes: Vec<Child>,
    _one_at_a_time: MutexGuard<'static, ()>,
}

impl Desktop {
    pub fn start() -> Desktop {
        Self::start_with_env(&[])
    }

    /// A desktop whose apps see `env` too (tauri-driver passes its environment on to them).
    pub fn start_with_env(env: &[(&str, &Path)]) -> Desktop {
        let guard = DESKTOP.lock().unwrap_or_else(PoisonError::into_inner);
        let mut processes = Vec::new();
        let display = free_display();
        processes.push(
            Command::new("Xvfb")
                .args([display.as_str(), "-screen", "0", "1366x900x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .expect("Xvfb runs (make test installs the xvfb package)"),
        );
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{}", &display[1..]));
        poll_blocking("the virtual display to start", || socket.exists());

        let driver_port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(artifacts_dir().join("tauri-driver.log")).unwrap();
        processes.push(
            Command::new(tauri_driver())
                .args(["--port", &driver_port.to_string(), "--native-port", &native_port.to_string()])
                .env("DISPLAY", &display)
                .envs(env.iter().copied())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .process_group(0)
                .spawn()
                .expect("tauri-driver runs (make test installs it with cargo install)"),
        );
        // tauri-driver forwards each session to WebKitWebDriver: both must be listening.
        poll_blocking("tauri-driver to listen", || {
            [driver_port, native_port].iter().all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok())
        });
        Desktop { display, driver_port, processes, _one_at_a_time: guard }
    }

    /// Opens the real Porchlight window on the desk in `data_dir`, signs the admin in (setting
    /// the center up first on a new desk), and waits for the front desk.
    pub async fn open_app(&self, data_dir: &Path) -> WebDriver {
        let driver = self.launch(data_dir).await;
        sign_in_as_admin(&driver).await;
        eventually(&driver, "the front desk to appear", || async {
            driver.find(By::Css("[data-testid=search]")).await.ok()
        })
        .await;
        driver
    }

    /// Answers the system's folder chooser titled `title`, once it is open over the window, by
    /// typing `folder` into its location field (Ctrl+L) as a person would, and Enter. The
    /// chooser is no web page: xdotool reaches it, as the keyboard would. A chooser still
    /// drawing itself can drop the keys: they are typed again, up to three times, until it closes.
    pub fn choose_folder_in_system_chooser(&self, title: &str, folder: &Path) {
        let xdotool = |args: &[&str]| {
            let out = Command::new("xdotool").args(args).env("DISPLAY", &self.display).output().expect("xdotool runs");
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        };
        let open = || xdotool(&["search", "--onlyvisible", "--name", title]).lines().next().map(str::to_owned);
        let mut window = String::new();
        poll_blocking("the system's folder chooser to open", || {
            window = open().unwrap_or_default();
            !window.is_empty()
        });
        for _attempt in 0..3 {
            xdotool(&["windowfocus", "--sync", &window]);
            xdotool(&["key", "--window", &window, "--clearmodifiers", "ctrl+l"]);
            xdotool(&["type", "--window", &window, "--delay", "40", &format!("{}/", folder.display())]);
            xdotool(&["key", "--window", &window, "Return"]);
            let deadline = Instant::now() + Duration::from_secs(5);
            while open().is_some() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            if open().is_none() {
                return;
            }
        }
        panic!("the system's folder chooser did not take {}", folder.display());
    }

    /// Starts the real Porchlight window on `data_dir`, whatever it then shows.
    pub async fn launch(&self, data_dir: &Path) -> WebDriver {
        let data_dir = data_dir.display().to_string();
        self.launch_with(&["--data-dir", &data_dir, "--no-keychain"]).await
    }

    /// Starts the app binary with `args` under WebDriver.
    pub async fn launch_with(&self, args: &[&str]) -> WebDriver {
        self.launch_binary(&app_binary(), args).await
    }

    /// Starts `binary` (an app installed from a package, say) with `args` under WebDriver.
    pub async fn launch_binary(&self, binary: &Path, args: &[&str]) -> WebDriver {
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), serde_json::json!({ "application": binary, "args": args }));
        WebDriver::new(format!("http://127.0.0.1:{}", self.driver_port), caps)
            .await
            .expect("a WebDriver session with the app")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self.processes.iter_mut().rev() {
            // Each runs in its own process group: this also ends WebKitWebDriver and any app left open.
            let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", child.id())]).status();
            let _ = child.wait();
        }
    }
}

/// The app binary built with the UI embedded (`cargo build -p porchlight --features tauri/custom-protocol`).
pub fn app_binary() -> PathBuf {
    let path = std::env::var_os("PORCHLIGHT_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/porchlight"));
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p porchlight --features tauri/custom-protocol` (make test does)",
        path.display()
    );
    path.canonicalize().unwrap()
}

fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    let installed = cargo_home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        "tauri-driver".into()
    }
}

/// Where tests leave screenshots and logs for a person to look at.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves what the window shows now. WebKit hands back its last painted frame, so this first
/// waits for two animation frames: the state the test just asserted is then on screen.
///
/// The app paints without compositing, and then WebKit's WebDriver screenshot waits for the
/// window's next paint: on a screen where nothing changes (an error, the lock screen) it would
/// wait forever. A one-pixel mark in the corner, nearly transparent, repaints every 30 ms while
/// the screenshot is taken, and is removed after.
pub async fn screenshot(driver: &WebDriver, name: &str) {
    driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const mark = document.createElement('div');
             mark.id = 'screenshot-paint-nudge';
             mark.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none';
             document.body.append(mark);
             let on = false;
             window.__screenshotNudge = setInterval(() => {
               on = !on;
               mark.style.background = on ? 'rgba(0,0,0,0.01)' : 'transparent';
             }, 30);
             requestAnimationFrame(() => requestAnimationFrame(() => done()));",
            Vec::new(),
        )
        .await
        .expect("the window paints");
    driver.screenshot(&artifacts_dir().join(format!("{name}.png"))).await.expect("a screenshot");
    driver
        .execute(
            "clearInterval(window.__screenshotNudge); document.getElementById('screenshot-paint-nudge')?.remove();",
            Vec::new(),
        )
        .await
        .expect("the mark is removed");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn free_display() -> String {
    (90..400)
        .find(|n| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists() && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        })
        .map(|n| format!(":{n}"))
        .expect("a free X display number")
}

fn poll_blocking(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls `check` until it gives a value, or fails the test after [`PATIENCE`], leaving a
/// screenshot of what the window showed instead.
pub async fn eventually<T, F, Fut>(driver: &WebDriver, what: &str, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    eventually_within(driver, what, PATIENCE, check).await
}

/// As [`eventually`], for what takes longer by design (an idle lock, a back-off).
pub async fn eventually_within<T, F, Fut>(driver: &WebDriver, what: &str, patience: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + patience;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if Instant::now() > deadline {
            let name: String = what.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
            let _ = driver.screenshot(&artifacts_dir().join(format!("timed-out-{name}.png"))).await;
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whichever the window shows, first-run setup or the lock screen: gets the admin signed in with
/// their password, as admin screens need.
pub async fn sign_in_as_admin(driver: &WebDriver) {
    open_encrypted_desk(driver).await;
    let new_desk = eventually(driver, "first-run setup or the lock screen", || async {
        if driver.find(By::Css("[data-testid=first-run]")).await.is_ok() {
            return Some(true);
        }
        driver.find(By::Css("[data-testid=lock-screen]")).await.ok().map(|_| false)
    })
    .await;
    if new_desk {
        set_up_center(driver, ADMIN_PIN).await;
    } else {
        unlock(driver, ADMIN_NAME, Secret::Password(ADMIN_PASSWORD)).await;
    }
    wait_for_text(driver, "[data-testid=signed-in-as]", ADMIN_NAME).await;
}

/// On the desk-key screen the app shows first: chooses [`DESK_PASSPHRASE`] for a new desk, or
/// types it to open one already encrypted.
pub async fn open_encrypted_desk(driver: &WebDriver) {
    let form = eventually(driver, "the desk passphrase screen", || async {
        driver.find(By::Css("[data-testid=desk-key]")).await.ok()
    })
    .await;
    let choosing = form.attr("data-mode").await.unwrap().as_deref() == Some("choose");
    driver.find(By::Css("[data-testid=desk-passphrase]")).await.unwrap().send_keys(DESK_PASSPHRASE).await.unwrap();
    if choosing {
        let again = driver.find(By::Css("[data-testid=desk-passphrase-again]")).await.unwrap();
        again.send_keys(DESK_PASSPHRASE).await.unwrap();
    }
    driver.find(By::Css("[data-testid=desk-key-submit]")).await.unwrap().click().await.unwrap();
}

/// Fills in first-run setup as Harbor House with Rosa M. as its admin, and submits it.
pub async fn set_up_center(driver: &WebDriver, pin: &str) {
    let fields = [
        ("setup-center-name", CENTER_NAME),
        ("setup-time-zone", CENTER_TIME_ZONE),
        ("setup-admin-name", ADMIN_NAME),
        ("setup-pin", pin),
        ("setup-password", ADMIN_PASSWORD),
        ("setup-repeat-password", ADMIN_PASSWORD),
    ];
    for (testid, value) in fields {
        let input = driver.find(By::Css(format!("[data-testid={testid}]"))).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    driver.find(By::Css("[data-testid=setup-submit]")).await.unwrap().click().await.unwrap();
}

pub enum Secret<'a> {
    Pin(&'a str),
    Password(&'a str),
}

/// On the lock screen: picks `name` and types their PIN or password.
pub async fn unlock(driver: &WebDriver, name: &str, secret: Secret<'_>) {
    let choice = eventually(driver, "the name on the lock screen", || async {
        for button in driver.find_all(By::Css("[data-testid=sign-in-as]")).await.ok()? {
            if button.text().await.ok()? == name {
                return Some(button);
            }
        }
        None
    })
    .await;
    choice.click().await.unwrap();
    let (field, value) = match secret {
        Secret::Pin(pin) => ("sign-in-pin", pin),
        Secret::Password(password) => {
            driver.find(By::Css("[data-testid=use-password]")).await.unwrap().click().await.unwrap();
            ("sign-in-password", password)
        }
    };
    let input = eventually(driver, "the secret field", || async {
        driver.find(By::Css(format!("[data-testid={field}]"))).await.ok()
    })
    .await;
    input.send_keys(value).await.unwrap();
    driver.find(By::Css("[data-testid=sign-in]")).await.unwrap().click().await.unwrap();
}

/// Invokes `command` from inside the page, as a script injected into it would: `allowed`, or
/// `refused: ` and the reason (the desk's error as JSON).
pub async fn invoke_from_page(driver: &WebDriver, command: &str, args: serde_json::Value) -> String {
    let script = "const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args).then(() => done('allowed'),
            (e) => done('refused: ' + (typeof e === 'string' ? e : JSON.stringify(e))));";
    let answer = driver.execute_async(script, vec![serde_json::json!(command), args]).await.unwrap();
    answer.json().as_str().unwrap_or_default().to_owned()
}

/// The text of the first element matching `css`, white space folded; `None` while there is no
/// such element or it shows no text yet, so that `eventually` over it waits for the text a test
/// needs, not for an element the page has drawn before filling it.
pub async fn text_of(driver: &WebDriver, css: &str) -> Option<String> {
    texts_of(driver, css).await.into_iter().next().filter(|text| !text.is_empty())
}

/// The text of every element matching `css`, white space folded. This reads `textContent`:
/// WebKit's WebDriver reports no visible text for elements styled `overflow: hidden`.
pub async fn texts_of(driver: &WebDriver, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in driver.find_all(By::Css(css)).await.unwrap_or_default() {
        let text = element.prop("textContent").await.ok().flatten().unwrap_or_default();
        texts.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    texts
}

/// The texts `script` (given `css` as its one argument) returns: the layout checks below.
async fn texts_found(driver: &WebDriver, script: &str, css: &str) -> Vec<String> {
    let answer = driver.execute(script, vec![serde_json::json!(css)]).await.unwrap();
    serde_json::from_value(answer.json().clone()).unwrap()
}

/// The text of each element matching `css` whose content does not fit its box: cut off by
/// `overflow: hidden`, or spilling past its edge. Empty when every word can be read.
pub async fn cut_off(driver: &WebDriver, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])]
        .filter((element) => element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1)
        .map((element) => element.textContent.trim().replace(/\\s+/g, ' '));";
    texts_found(driver, script, css).await
}

/// The text of each element matching `css` that the page lays out on more than one line: a
/// figure's "h" wrapped under its number, say.
pub async fn wrapped(driver: &WebDriver, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])].filter((element) => {
            const range = document.createRange(); range.selectNodeContents(element);
            return new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.bottom))).size > 1; })
        .map((element) => element.textContent.trim());";
    texts_found(driver, script, css).await
}

/// The text of each element matching `css` not wholly inside the window as it is scrolled now:
/// what a person at the desk would have to scroll to see.
pub async fn out_of_view(driver: &WebDriver, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])]
        .filter((element) => { const box = element.getBoundingClientRect();
            return box.top < 0 || box.bottom > window.innerHeight || box.left < 0 || box.right > window.innerWidth; })
        .map((element) => element.textContent.trim().replace(/\\s+/g, ' ') || element.outerHTML.slice(0, 80));";
    texts_found(driver, script, css).await
}

/// The text of each element matching `css` that reaches past the right edge of the element it
/// sits in: cut off where its box clips it, or spilling over its card where it does not.
pub async fn past_its_box(driver: &WebDriver, css: &str) -> Vec<String> {
    let script = "return [...document.querySelectorAll(arguments[0])]
        .filter((element) => element.getBoundingClientRect().right > element.parentElement.getBoundingClientRect().right + 1)
        .map((element) => element.textContent.trim().replace(/\\s+/g, ' '));";
    texts_found(driver, script, css).await
}

/// Resizes the window to `width` × `height` and waits for the page to lay itself out again.
pub async fn resize_window(driver: &WebDriver, width: u32, height: u32) {
    driver.set_window_rect(0, 0, width, height).await.unwrap();
    eventually(driver, "the window to take its new width", || async {
        let inner = driver.execute("return window.innerWidth;", Vec::new()).await.ok()?;
        let inner = inner.json().as_u64()?;
        (inner.abs_diff(width as u64) <= 20).then_some(())
    })
    .await;
}

/// Waits until the element matching `css` shows exactly `expected`.
pub async fn wait_for_text(driver: &WebDriver, css: &str, expected: &str) {
    let what = format!("{css} to read {expected:?}");
    eventually(driver, &what, || async { (text_of(driver, css).await.as_deref() == Some(expected)).then_some(()) })
        .await;
}

/// The element matching `css`, once there, scrolled to the middle of the window: a sticky bar
/// (the warmline's running call) stays over the top of a form, and WebKit's driver would click it.
pub async fn in_view(driver: &WebDriver, css: &str) -> WebElement {
    let element = eventually(driver, css, || async { driver.find(By::Css(css)).await.ok() }).await;
    driver
        .execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json().unwrap()])
        .await
        .unwrap();
    element
}

pub async fn click(driver: &WebDriver, css: &str) {
    in_view(driver, css).await.click().await.unwrap();
}

pub async fn type_into(driver: &WebDriver, css: &str, text: &str) {
    in_view(driver, css).await.send_keys(text).await.unwrap();
}

/// Sets a field's value as a person's typing would leave it (a time or date input, which
/// WebKit's driver cannot type into reliably), and tells the page it changed.
pub async fn set_value(driver: &WebDriver, css: &str, value: &str) {
    let field = in_view(driver, css).await;
    driver
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![field.to_json().unwrap(), serde_json::json!(value)],
        )
        .await
        .unwrap();
}

/// Alt and `keys`, as a person at the desk presses them: Alt+5 opens Reports.
pub async fn press(driver: &WebDriver, keys: &str) {
    driver.find(By::Css("body")).await.unwrap().send_keys(Key::Alt + keys).await.unwrap();
}
