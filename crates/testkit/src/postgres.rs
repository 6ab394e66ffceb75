//! A throwaway PostgreSQL server for tests of the hub's PostgreSQL store: Debian's `postgresql`
//! binaries, a cluster made with `initdb` in a temporary folder, listening on a free loopback
//! port. Tests share one server per process, started by the first that asks, each with a
//! database of its own; a test that stops its server starts one of its own. A server stops when
//! it is dropped, or when the test process ends, however it ends.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The superuser the cluster is made with; connections from loopback are trusted.
const ROLE: &str = "porchlight";

pub struct PostgresServer {
    bin: PathBuf,
    port: u16,
    data: PathBuf,
    /// Whether commits reach the disk before they are acknowledged, as on a real server.
    durable: bool,
}

static SERVER: OnceLock<PostgresServer> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);
static SERVERS: AtomicU32 = AtomicU32::new(0);

impl PostgresServer {
    /// The process's server, started on first use.
    pub fn shared() -> &'static PostgresServer {
        SERVER.get_or_init(PostgresServer::start)
    }

    /// A new, empty database on the shared server; its URL.
    pub fn fresh_database() -> String {
        Self::shared().new_database()
    }

    /// A new, empty database on this server; its URL.
    pub fn new_database(&self) -> String {
        let name = format!("hub_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::Relaxed));
        let created = Command::new(self.bin.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ROLE, &name])
            .output()
            .expect("createdb runs");
        assert!(created.status.success(), "createdb: {}", String::from_utf8_lossy(&created.stderr));
        self.url(&name)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{database}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's folder: its databases' files under `base/`, its write-ahead log.
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// Stops the server with the fast shutdown (clients are cut off), as a failing database
    /// server would go away; [`PostgresServer::restart`] brings it back on the same port.
    pub fn stop(&self) {
        let stopped = self
            .as_owner(Command::new(self.bin.join("pg_ctl")))
            .args(["stop", "-m", "fast", "-w", "-D"])
            .arg(&self.data)
            .output()
            .expect("pg_ctl runs");
        assert!(stopped.status.success(), "pg_ctl stop: {}", String::from_utf8_lossy(&stopped.stderr));
    }

    pub fn restart(&self) {
        self.launch();
        self.wait_until_ready();
    }

    /// A server of the test's own, for a test that stops it; it stops when dropped.
    pub fn start() -> PostgresServer {
        Self::start_as(false)
    }

    /// A server of its own that writes each commit to disk before acknowledging it, as
    /// PostgreSQL's defaults do: for measuring, where tests leave that out to save time.
    pub fn start_durable() -> PostgresServer {
        Self::start_as(true)
    }

    fn start_as(durable: bool) -> PostgresServer {
        let bin = debian_postgres_bin();
        let data = scratch_dir();
        let server = PostgresServer { bin, port: free_port(), data, durable };
        let made = server
            .as_owner(Command::new(server.bin.join("initdb")))
            .args(["--auth=trust", "--encoding=UTF8", "--no-sync", "--username", ROLE, "-D"])
            .arg(&server.data)
            .output()
            .expect("initdb runs (make test installs the postgresql package)");
        assert!(made.status.success(), "initdb: {}", String::from_utf8_lossy(&made.stderr));
        server.launch();
        server.wait_until_ready();
        server
    }

    /// Starts `postgres` from a thread that lives as long as the process: it is told to stop
    /// (SIGINT, the fast shutdown) when that thread ends, that is when the test process exits.
    fn launch(&self) {
        let mut command = self.as_owner(Command::new("setpriv"));
        command
            .arg("--pdeathsig=INT")
            .arg(self.bin.join("postgres"))
            .arg("-D")
            .arg(&self.data)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", &format!("port={}", self.port)])
            .args(["-c", &format!("fsync={}", self.durable), "-c", "max_connections=400", "-c", "shared_buffers=128MB"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", self.data.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (started, child) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("postgres-parent".into())
            .spawn(move || {
                let mut server = command.spawn().expect("postgres starts");
                started.send(server.id()).unwrap();
                let _ = server.wait();
                // Parked until the process exits, so the server is not told to stop before.
                loop {
                    std::thread::park();
                }
            })
            .unwrap();
        child.recv().expect("postgres was spawned");
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ROLE, "-d", "postgres", "-q"])
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return;
            }
            assert!(Instant::now() < deadline, "PostgreSQL did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// PostgreSQL refuses to run as root: as root, its commands run as an unprivileged user.
    fn as_owner(&self, mut command: Command) -> Command {
        if let Some((uid, gid)) = unprivileged_owner() {
            command.uid(uid).gid(gid).env("HOME", &self.data);
        }
        command
    }
}

/// Debian's newest PostgreSQL server binaries.
fn debian_postgres_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's postgresql package in /usr/lib/postgresql (make test installs it)")
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL server in /usr/lib/postgresql/*/bin").1
}

/// The user PostgreSQL runs as when the tests run as root: Debian's `postgres`, else `nobody`.
fn unprivileged_owner() -> Option<(u32, u32)> {
    if effective_uid() != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let ids_of = |name: &str| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                [user, _, uid, gid, ..] if *user == name => Some((uid.parse().ok()?, gid.parse().ok()?)),
                _ => None,
            }
        })
    };
    ids_of("postgres").or_else(|| ids_of("nobody"))
}

fn effective_uid() -> u32 {
    // The owner of /proc/self is the effective user; no libc call needed.
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map(|meta| meta.uid()).unwrap_or(u32::MAX)
}

/// A folder for the cluster, owned by whoever runs the server. Left by earlier runs' servers
/// (which stop when their process ends), folders of processes no longer running are removed.
impl Drop for PostgresServer {
    fn drop(&mut self) {
        let _ = self
            .as_owner(Command::new(self.bin.join("pg_ctl")))
            .args(["stop", "-m", "immediate", "-D"])
            .arg(&self.data)
            .output();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn scratch_dir() -> PathBuf {
    let parent = std::env::temp_dir().join("porchlight-test-postgres");
    std::fs::create_dir_all(&parent).unwrap();
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name.to_str().and_then(|name| name.split('-').next()?.parse::<u32>().ok());
            if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = parent.join(format!("{}-{}", std::process::id(), SERVERS.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).unwrap();
    if let Some((uid, gid)) = unprivileged_owner() {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    }
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
