//! The hub fuzzed from its own OpenAPI document (schemathesis): whatever a client sends, the
//! answer is never a server error, and the hub is still up afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use porchlight_e2e::artifacts_dir;
use porchlight_e2e::hub::HubProcess;

/// Installed by `make test` into target/schemathesis (a Python venv).
fn schemathesis() -> PathBuf {
    let path = std::env::var_os("SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/schemathesis/bin/schemathesis"));
    assert!(path.exists(), "{} is missing: make test installs schemathesis from PyPI", path.display());
    path
}

#[test]
fn fuzzing_the_hub_from_its_openapi_document_finds_no_server_errors() {
    let dir = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&dir.path().join("hub.sqlite3"));
    let token = hub.enroll("Fuzzer");

    let output = Command::new(schemathesis())
        .args(["run", &format!("{}/v1/openapi.json", hub.url)])
        .args(["--checks", "not_a_server_error", "--max-examples", "80", "--seed", "20261123"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    std::fs::write(artifacts_dir().join("schemathesis.log"), report.as_bytes()).unwrap();
    assert!(
        output.status.success(),
        "schemathesis found problems (tests/artifacts/schemathesis.log):\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("/v1/changes"), "every operation was exercised: {report}");

    let health = ureq::get(format!("{}/v1/health", hub.url)).call().unwrap();
    assert_eq!(health.status(), 200, "the hub is still up");
}
