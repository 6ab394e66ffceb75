//! The installers a center runs: the desk's .deb and .rpm and the hub's .deb, as
//! `packaging/bundle` makes them from the binaries under test (`make test`) or from the release
//! build (`make test-dist`). Each is read by Debian's, RPM's or systemd's own tools, and the
//! desk is started from its unpacked package.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use porchlight_e2e::*;

fn packages_dir() -> PathBuf {
    let dir = std::env::var_os("PORCHLIGHT_PACKAGES").map(PathBuf::from).expect(
        "PORCHLIGHT_PACKAGES names the packages to test (make test sets it; `make packages-for-test` makes them)",
    );
    assert!(dir.is_dir(), "{} is missing: `make packages-for-test` makes it", dir.display());
    dir
}

/// Release packages are stripped; packages of the debug build under test are not.
fn release_packages() -> bool {
    std::env::var("PORCHLIGHT_PACKAGES_PROFILE").as_deref() == Ok("release")
}

fn package(name_starts: &str, extension: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(packages_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(name_starts) && name.ends_with(extension)
        })
        .collect();
    assert_eq!(found.len(), 1, "one {name_starts}*{extension} in {}: {found:?}", packages_dir().display());
    found.into_iter().next().unwrap()
}

fn desk_deb() -> PathBuf {
    package(&format!("Porchlight_{}_", env!("CARGO_PKG_VERSION")), ".deb")
}

fn desk_rpm() -> PathBuf {
    package(&format!("Porchlight-{}-", env!("CARGO_PKG_VERSION")), ".rpm")
}

fn hub_deb() -> PathBuf {
    package(&format!("porchlight-hub_{}-", env!("CARGO_PKG_VERSION")), ".deb")
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|err| panic!("{program} runs: {err}"))
}

fn stdout_of(program: &str, args: &[&str]) -> String {
    let output = run(program, args);
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn unpacked(deb: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    stdout_of("dpkg-deb", &["-x", deb.to_str().unwrap(), root.path().to_str().unwrap()]);
    root
}

fn control_field(deb: &Path, field: &str) -> String {
    stdout_of("dpkg-deb", &["-f", deb.to_str().unwrap(), field]).trim().to_owned()
}

#[test]
fn lintian_finds_no_error_in_the_packages() {
    for deb in [desk_deb(), hub_deb()] {
        let mut args = vec!["--fail-on", "error", "--no-tag-display-limit"];
        if !release_packages() {
            // The debug build under test keeps its symbols; `make test-dist` checks the release build.
            args.extend(["--suppress-tags", "unstripped-binary-or-object"]);
        }
        args.push(deb.to_str().unwrap());
        let output = run("lintian", &args);
        let report = String::from_utf8_lossy(&output.stdout);
        println!("lintian {}:\n{report}", deb.display());
        assert!(output.status.success(), "lintian refused {}:\n{report}", deb.display());
        assert!(!report.lines().any(|line| line.starts_with("E: ")), "{report}");
    }
}

#[test]
fn the_desk_deb_declares_what_it_needs_and_installs_as_a_desktop_app() {
    let deb = desk_deb();
    assert_eq!(control_field(&deb, "Package"), "porchlight");
    assert_eq!(control_field(&deb, "Version"), env!("CARGO_PKG_VERSION"), "the workspace's version");
    let root = unpacked(&deb);
    let binary = root.path().join("usr/bin/porchlight");
    assert!(binary.is_file());

    // Every library package Debian's own tool finds the binary linked against is a dependency.
    let depends = control_field(&deb, "Depends");
    let needs = shared_library_packages(&binary);
    assert!(needs.iter().any(|package| package == "libwebkit2gtk-4.1-0"), "{needs:?}");
    for package in &needs {
        assert!(
            depends.split(',').any(|declared| declared.split_whitespace().next() == Some(package.as_str())),
            "{package} is needed by the binary but not in Depends: {depends}"
        );
    }

    let entry = std::fs::read_to_string(root.path().join("usr/share/applications/Porchlight.desktop")).unwrap();
    assert!(entry.lines().any(|line| line == "Categories=Office;"), "{entry}");
    assert!(entry.lines().any(|line| line == "Exec=porchlight"), "{entry}");
    assert!(entry.lines().any(|line| line == "Icon=porchlight"), "{entry}");
    for size in ["32x32", "128x128", "512x512"] {
        assert!(root.path().join(format!("usr/share/icons/hicolor/{size}/apps/porchlight.png")).is_file(), "{size}");
    }
    let copyright = std::fs::read_to_string(root.path().join("usr/share/doc/porchlight/copyright")).unwrap();
    assert!(copyright.contains("License: AGPL-3+") && copyright.contains("GNU AFFERO GENERAL PUBLIC LICENSE"));
}

/// The packages `dpkg-shlibdeps` says the binary's shared libraries come from.
fn shared_library_packages(binary: &Path) -> Vec<String> {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("debian")).unwrap();
    std::fs::write(work.path().join("debian/control"), "Source: check\n\nPackage: check\nArchitecture: any\n").unwrap();
    let output = Command::new("dpkg-shlibdeps").arg("-O").arg(binary).current_dir(work.path()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let substvars = String::from_utf8(output.stdout).unwrap();
    let depends = substvars.trim().strip_prefix("shlibs:Depends=").expect("a shlibs:Depends line");
    depends.split(',').map(|dependency| dependency.split_whitespace().next().unwrap().to_owned()).collect()
}

#[test]
fn the_desk_rpm_reads_back_with_rpm() {
    let rpm = desk_rpm();
    let rpm = rpm.to_str().unwrap();
    let summary = stdout_of("rpm", &["-qp", "--queryformat", "%{NAME} %{VERSION} %{LICENSE}", rpm]);
    assert_eq!(summary, format!("porchlight {} AGPL-3.0-or-later", env!("CARGO_PKG_VERSION")));
    let requires = stdout_of("rpm", &["-qpR", rpm]);
    for library in ["libwebkit2gtk-4.1.so.0()(64bit)", "libc.so.6()(64bit)", "libsoup-3.0.so.0()(64bit)"] {
        assert!(requires.lines().any(|line| line.trim() == library), "{library} in\n{requires}");
    }
    let files = stdout_of("rpm", &["-qpl", rpm]);
    for file in
        ["/usr/bin/porchlight", "/usr/share/applications/Porchlight.desktop", "/usr/share/licenses/porchlight/LICENSE"]
    {
        assert!(files.lines().any(|line| line == file), "{file} in\n{files}");
    }
}

/// The desk as a center installs it: unpacked from its .deb, started with no arguments, on a
/// computer whose keychain cannot be reached. Its UI is inside the binary, and its data goes to
/// the OS app-data folder.
#[tokio::test(flavor = "multi_thread")]
async fn the_installed_desk_opens_on_first_run_setup_with_its_data_in_the_app_data_folder() {
    let root = unpacked(&desk_deb());
    let home = tempfile::tempdir().unwrap();
    let data_home = home.path().join(".local/share");
    let no_session_bus = Path::new("unix:path=/nonexistent/bus");
    let desktop = Desktop::start_with_env(&[
        ("HOME", home.path()),
        ("XDG_DATA_HOME", &data_home),
        ("DBUS_SESSION_BUS_ADDRESS", no_session_bus),
    ]);
    let driver = desktop.launch_binary(&root.path().join("usr/bin/porchlight"), &[]).await;

    open_encrypted_desk(&driver).await;
    eventually(&driver, "first-run setup", || async { driver.find(By::Css("[data-testid=first-run]")).await.ok() })
        .await;
    let page = driver.current_url().await.unwrap();
    // WebKitGTK serves what is embedded in the binary as tauri://localhost; a dev server is http.
    assert_eq!(page.scheme(), "tauri", "the page comes from inside the binary, not a dev server: {page}");
    screenshot(&driver, "installed-desk-first-run").await;
    driver.quit().await.unwrap();

    let data_dir = data_home.join("org.porchlight.desk");
    let files: Vec<String> = std::fs::read_dir(&data_dir)
        .unwrap_or_else(|err| panic!("{} holds the desk: {err}", data_dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|name| name.ends_with(".sqlite3")), "the desk's database in {files:?}");
}

#[test]
fn the_hub_unit_passes_systemd_analyze_and_is_hardened() {
    let root = unpacked(&hub_deb());
    // `verify` resolves the unit's dependencies inside the root: give it the system's own units.
    let units = root.path().join("usr/lib/systemd/system");
    for entry in std::fs::read_dir("/usr/lib/systemd/system").unwrap() {
        let entry = entry.unwrap();
        let target = units.join(entry.file_name());
        if !target.exists() && entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
    let root_arg = format!("--root={}", root.path().display());
    let verify = run("systemd-analyze", &["verify", &root_arg, "porchlight-hub.service"]);
    let complaints = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success() && complaints.trim().is_empty(), "systemd-analyze verify:\n{complaints}");

    // systemd's own score of what the service could reach: 0 is locked down, 10 is root with
    // everything; "OK" ends at 4.9.
    let security =
        run("systemd-analyze", &["security", "--offline=yes", &root_arg, "--threshold=20", "porchlight-hub.service"]);
    let report = String::from_utf8_lossy(&security.stdout);
    assert!(security.status.success(), "{report}{}", String::from_utf8_lossy(&security.stderr));
    let exposure: f64 = report
        .lines()
        .find_map(|line| line.split("Overall exposure level for porchlight-hub.service: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|score| score.parse().ok())
        .unwrap_or_else(|| panic!("an exposure level in\n{report}"));
    assert!(exposure <= 2.0, "exposure {exposure}:\n{report}");

    let unit = std::fs::read_to_string(units.join("porchlight-hub.service")).unwrap();
    for line in [
        "User=porchlight-hub",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "StateDirectory=porchlight-hub",
        "LimitNOFILE=65536",
    ] {
        assert!(unit.lines().any(|unit_line| unit_line == line), "{line} in the unit");
    }
    let sysusers = std::fs::read_to_string(root.path().join("usr/lib/sysusers.d/porchlight-hub.conf")).unwrap();
    assert!(sysusers.lines().any(|line| line.starts_with("u porchlight-hub ")), "{sysusers}");
    let tmpfiles = std::fs::read_to_string(root.path().join("usr/lib/tmpfiles.d/porchlight-hub.conf")).unwrap();
    assert!(tmpfiles.contains("d /var/lib/porchlight-hub 0750 porchlight-hub porchlight-hub"), "{tmpfiles}");
}

/// Installing over an older version keeps the settings (a conffile dpkg never overwrites) and
/// the data (no maintainer script touches /var/lib/porchlight-hub, not even on purge).
#[test]
fn the_hub_package_keeps_settings_and_data_over_an_upgrade() {
    let deb = hub_deb();
    let control = tempfile::tempdir().unwrap();
    stdout_of("dpkg-deb", &["-e", deb.to_str().unwrap(), control.path().to_str().unwrap()]);
    let conffiles = std::fs::read_to_string(control.path().join("conffiles")).unwrap();
    assert_eq!(conffiles.trim(), "/etc/porchlight-hub/hub.toml");
    for script in ["preinst", "postinst", "prerm", "postrm"] {
        let Ok(text) = std::fs::read_to_string(control.path().join(script)) else { continue };
        assert!(!text.contains("/var/lib/porchlight-hub"), "{script} leaves the hub's data alone:\n{text}");
        assert!(!text.contains("rm -"), "{script} removes nothing:\n{text}");
        let syntax = run("sh", &["-n", control.path().join(script).to_str().unwrap()]);
        assert!(syntax.status.success(), "{script}: {}", String::from_utf8_lossy(&syntax.stderr));
    }
    let postinst = std::fs::read_to_string(control.path().join("postinst")).unwrap();
    let takes_group =
        postinst.find("chown root:porchlight-hub /etc/porchlight-hub/hub.toml").expect("the group reads it");
    let starts = postinst.find("deb-systemd-invoke $_dh_action porchlight-hub.service").expect("the service starts");
    assert!(takes_group < starts, "the service can read its settings when it first starts");
}

/// Every command of the installed hub reads the settings file the package ships, and a flag
/// still wins over it.
#[test]
fn every_hub_command_reads_the_settings_file() {
    let root = unpacked(&hub_deb());
    let hub = root.path().join("usr/bin/porchlight-hub");
    let shipped = std::fs::read_to_string(root.path().join("etc/porchlight-hub/hub.toml")).unwrap();
    let state = tempfile::tempdir().unwrap();
    let db = state.path().join("hub.sqlite3");
    let settings = state.path().join("hub.toml");
    let ours = shipped.replace("/var/lib/porchlight-hub/hub.sqlite3", db.to_str().unwrap());
    assert_ne!(ours, shipped, "the shipped file names the database in /var/lib/porchlight-hub");
    std::fs::write(&settings, ours).unwrap();

    let with_settings = |args: &[&str]| {
        let output = Command::new(&hub)
            .env("PORCHLIGHT_HUB_CONFIG", &settings)
            .env_remove("PORCHLIGHT_HUB_DB")
            .args(args)
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, code, stderr) = with_settings(&["enrollment-code"]);
    assert!(ok, "{stderr}");
    assert!(db.exists(), "the code went into the database the settings name");
    assert_eq!(code.trim().len(), "ABCD-EFGH".len(), "one code: {code}");
    let (ok, centers, stderr) = with_settings(&["centers", "list"]);
    assert!(ok && centers.contains("main"), "{centers}{stderr}");

    let elsewhere = state.path().join("elsewhere.sqlite3");
    let (ok, _, stderr) = with_settings(&["--db", elsewhere.to_str().unwrap(), "centers", "add", "Second Street"]);
    assert!(ok, "{stderr}");
    let (_, centers, _) = with_settings(&["centers", "list"]);
    assert!(!centers.contains("Second Street"), "the flag chose another database:\n{centers}");

    std::fs::write(&settings, "listn = \"0.0.0.0:8787\"\n").unwrap();
    let (ok, _, stderr) = with_settings(&["centers", "list"]);
    assert!(!ok && stderr.contains("listn") && stderr.contains(settings.to_str().unwrap()), "{stderr}");
}
