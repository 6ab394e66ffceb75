//! A real porchlight-hub process on 127.0.0.1, for sync tests: started on a free port with a
//! SQLite file or a PostgreSQL database, killed with SIGKILL when a test says so, restarted on
//! the same port and database.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use porchlight_core::sync::seal::{self, CenterKey};

pub struct HubProcess {
    child: Option<Child>,
    pub url: String,
    port: u16,
    database: HubDatabase,
    tls: Option<HubCertificate>,
    /// libfaketime's setting for the hub's clock (`+365d`), or `None` for the real time.
    clock: Option<String>,
}

/// Where a hub keeps what it relays.
#[derive(Clone)]
pub enum HubDatabase {
    Sqlite(PathBuf),
    Postgres(String),
}

impl HubDatabase {
    /// How `porchlight-hub` is told.
    fn args(&self) -> Vec<std::ffi::OsString> {
        match self {
            HubDatabase::Sqlite(path) => vec!["--db".into(), path.into()],
            HubDatabase::Postgres(url) => vec!["--database-url".into(), url.into()],
        }
    }
}

/// A self-signed certificate made by `porchlight-hub tls-certificate`, as an operator would.
#[derive(Clone)]
pub struct HubCertificate {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

impl HubCertificate {
    /// Writes `NAME.crt` and `NAME.key` into `dir`, for 127.0.0.1 and localhost.
    pub fn make(dir: &Path, name: &str) -> HubCertificate {
        let made =
            HubCertificate { certificate: dir.join(format!("{name}.crt")), key: dir.join(format!("{name}.key")) };
        let output = Command::new(hub_binary())
            .args(["tls-certificate", "--host", "127.0.0.1", "--host", "localhost", "--tls-cert"])
            .arg(&made.certificate)
            .arg("--tls-key")
            .arg(&made.key)
            .output()
            .unwrap();
        assert!(output.status.success(), "tls-certificate: {}", String::from_utf8_lossy(&output.stderr));
        made
    }
}

impl HubProcess {
    /// Starts a hub on a free port with its SQLite database at `db`.
    pub fn start(db: &Path) -> HubProcess {
        HubProcess::start_with(HubDatabase::Sqlite(db.to_owned()))
    }

    /// Starts a hub on a free port with `database`.
    pub fn start_with(database: HubDatabase) -> HubProcess {
        HubProcess::start_on(database, 0, None, None)
    }

    /// Starts a hub whose clock is off as libfaketime's `FAKETIME` says (`+365d`).
    pub fn start_with_clock(db: &Path, faketime: &str) -> HubProcess {
        HubProcess::start_on(HubDatabase::Sqlite(db.to_owned()), 0, None, Some(faketime.to_owned()))
    }

    /// Starts a hub that serves HTTPS with `tls`.
    pub fn start_tls(db: &Path, tls: &HubCertificate) -> HubProcess {
        HubProcess::start_on(HubDatabase::Sqlite(db.to_owned()), 0, Some(tls.clone()), None)
    }

    fn start_on(database: HubDatabase, port: u16, tls: Option<HubCertificate>, clock: Option<String>) -> HubProcess {
        let log =
            std::fs::OpenOptions::new().create(true).append(true).open(super::artifacts_dir().join("hub.log")).unwrap();
        let mut command = Command::new(hub_binary());
        command.args(["serve", "--listen", &format!("127.0.0.1:{port}")]).args(database.args());
        if let Some(tls) = &tls {
            command.arg("--tls-cert").arg(&tls.certificate).arg("--tls-key").arg(&tls.key);
        }
        if let Some(faketime) = &clock {
            command.envs(super::faketime_env(faketime));
        }
        let mut child = command.stdout(Stdio::piped()).stderr(log).spawn().expect("porchlight-hub runs");
        // The hub prints its address once it is listening: that line is the readiness signal.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("porchlight-hub listening on ")
            .unwrap_or_else(|| panic!("the hub did not start (see tests/artifacts/hub.log): {line:?}"))
            .to_owned();
        let port = url.rsplit(':').next().unwrap().parse().unwrap();
        HubProcess { child: Some(child), url, port, database, tls, clock }
    }

    /// SIGKILL: no shutdown, no flush; whatever was in flight is cut off.
    pub fn kill_hard(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// SIGTERM, as a service manager stops it; returns whether it exited cleanly.
    pub fn terminate(&mut self) -> bool {
        let Some(mut child) = self.child.take() else { return false };
        Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        child.wait().unwrap().success()
    }

    /// Starts again on the same port with another database, as after moving the hub to it.
    pub fn restart_with(&mut self, database: HubDatabase) {
        self.kill_hard();
        *self = HubProcess::start_on(database, self.port, self.tls.clone(), self.clock.clone());
    }

    /// Starts again on the same port and database, as an operator's service manager would.
    pub fn restart(&mut self) {
        self.kill_hard();
        *self = HubProcess::start_on(self.database.clone(), self.port, self.tls.clone(), self.clock.clone());
    }

    /// Starts again on the same port and database with its clock put right.
    pub fn restart_on_time(&mut self) {
        self.clock = None;
        self.restart();
    }

    /// `porchlight-hub enrollment-code`, as the operator runs it.
    pub fn enrollment_code(&self) -> String {
        String::from_utf8(self.operator(&["enrollment-code"])).unwrap().trim().to_owned()
    }

    /// Enrols a client as `name` over HTTP, as any program may (`POST /v1/devices` with a fresh
    /// code); returns its bearer token.
    pub fn enroll(&self, name: &str) -> String {
        self.enroll_device(name).1
    }

    /// [`HubProcess::enroll`], with the device id the hub gave: (device id, token).
    pub fn enroll_device(&self, name: &str) -> (String, String) {
        let enrolled: serde_json::Value = ureq::post(format!("{}/v1/devices", self.url))
            .send_json(serde_json::json!({"name": name, "enrollment_code": self.enrollment_code()}))
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        let text = |name: &str| enrolled[name].as_str().expect("the hub answers with ids").to_owned();
        (text("device_id"), text("token"))
    }

    /// Sends, as a program other than Porchlight would, a person with no member code and a visit of
    /// a person nobody sent; sealed with `key` when the center seals (a program given its key).
    /// Returns their ids.
    pub fn send_incomplete_records(&self, key: Option<&CenterKey>) -> (String, String) {
        let (device_id, token) = self.enroll_device("Another program");
        let now = chrono::Utc::now();
        let hlc = format!("{:015}-00000", now.timestamp_millis());
        let at = porchlight_core::Timestamp(now).to_string();
        let (person_id, visit_id) = (porchlight_core::new_id(), porchlight_core::new_id());
        let change = |entity: &str, id: &str, fields: serde_json::Value| {
            let mut change = porchlight_core::sync::Change {
                change_id: porchlight_core::new_id(),
                entity: entity.to_owned(),
                id: id.to_owned(),
                op: porchlight_core::sync::Op::Upsert,
                fields: fields.as_object().unwrap().clone(),
                hlc: hlc.clone(),
                by: None,
                erase: Vec::new(),
                auth: None,
            };
            if let Some(key) = key {
                seal::Sealer::new(key).seal_change(&device_id, &mut change);
            }
            change
        };
        let changes = [
            change(
                "person",
                &person_id,
                serde_json::json!({"display_name": "Cal D.", "created_at": at, "updated_at": at}),
            ),
            change(
                "visit",
                &visit_id,
                serde_json::json!({"person_id": porchlight_core::new_id(), "checked_in_at": at}),
            ),
        ];
        ureq::post(format!("{}/v1/changes", self.url))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(serde_json::json!({ "changes": changes }))
            .unwrap();
        (person_id, visit_id)
    }

    /// What a desk enrolled with an ordinary code, holding no key, can send (the hub's operator
    /// can do the same): a delete of the record, stamped now, with a proof of the right form
    /// that no key made. Returns the rogue's device id.
    pub fn forge_delete(&self, entity: &str, id: &str) -> String {
        let (device_id, token) = self.enroll_device("Rogue");
        let bearer = format!("Bearer {token}");
        let center: serde_json::Value = ureq::get(format!("{}/v1/center", self.url))
            .header("Authorization", &bearer)
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        let key_id = center["key_id"].as_str().expect("the center has a key");
        let hlc = format!("{:015}-00000", chrono::Utc::now().timestamp_millis());
        let delete = serde_json::json!({"change_id": porchlight_core::new_id(), "entity": entity, "id": id,
                                        "op": "delete", "fields": {}, "hlc": hlc,
                                        "auth": format!("pa2.{key_id}.{}", "A".repeat(43))});
        ureq::post(format!("{}/v1/changes", self.url))
            .header("Authorization", &bearer)
            .send_json(serde_json::json!({ "changes": [delete] }))
            .unwrap();
        device_id
    }

    /// `porchlight-hub devices revoke ID`.
    pub fn revoke(&self, device_id: &str) {
        self.operator(&["devices", "revoke", device_id]);
    }

    /// `porchlight-hub ARGS` on this hub's database, as its operator runs it on the hub's machine
    /// (whose clock it shares).
    pub fn operator(&self, args: &[&str]) -> Vec<u8> {
        let mut command = Command::new(hub_binary());
        command.args(args).args(self.database.args());
        if let Some(faketime) = &self.clock {
            command.envs(super::faketime_env(faketime));
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "porchlight-hub {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    }

    /// (changes stored, distinct change ids): equal when nothing was stored twice.
    /// How many changes to people, visits and the rest the hub stores, and how many distinct:
    /// the audit entries every desk also writes (a sync connected, an export) are left out.
    pub fn stored_changes(&self) -> (u64, u64) {
        // The records people made: not the audit entries, nor each desk's key for receiving the center's.
        let sql = "SELECT COUNT(*), COUNT(DISTINCT change_id) FROM changes WHERE entity NOT IN ('audit', 'desk_key')";
        let (stored, distinct): (i64, i64) = match &self.database {
            HubDatabase::Sqlite(path) => rusqlite::Connection::open(path)
                .unwrap()
                .query_row(sql, [], |row| Ok((row.get(0)?, row.get(1)?)))
                .unwrap(),
            HubDatabase::Postgres(url) => {
                let row = postgres::Client::connect(url, postgres::NoTls).unwrap().query_one(sql, &[]).unwrap();
                (row.get(0), row.get(1))
            }
        };
        (stored as u64, distinct as u64)
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

/// The hub binary (`cargo build -p porchlight-hub`; make test builds it).
pub fn hub_binary() -> PathBuf {
    let path = std::env::var_os("PORCHLIGHT_HUB")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/porchlight-hub"));
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build -p porchlight-hub` (make test does)",
        path.display()
    );
    path
}
