//! What the window itself may do: call Porchlight's own commands and listen for its events,
//! and nothing else — no Tauri window, path or app commands, no content from anywhere else.

use porchlight_e2e::hub::HubProcess;
use porchlight_e2e::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn the_window_may_call_porchlights_commands_and_nothing_else() {
    let place = tempfile::tempdir().unwrap();
    let desktop = Desktop::start();
    let driver = desktop.open_app(&place.path().join("desk")).await;

    assert_eq!(invoke_from_page(&driver, "get_settings", json!({})).await, "allowed");
    let tauri_commands = [
        ("plugin:path|resolve_directory", json!({ "directory": 8 })),
        ("plugin:window|inner_size", json!({ "label": "main" })),
        ("plugin:window|set_title", json!({ "label": "main", "value": "Not Porchlight" })),
        ("plugin:window|close", json!({ "label": "main" })),
        ("plugin:webview|print", json!({ "label": "main" })),
        ("plugin:app|version", json!({})),
        ("plugin:event|emit", json!({ "event": "records-arrived", "payload": null })),
    ];
    for (command, args) in tauri_commands {
        let answer = invoke_from_page(&driver, command, args).await;
        assert!(answer.contains("not allowed"), "{command} must be refused by permission: {answer}");
    }

    // A server on this very computer, which a page without a content security policy could
    // reach (no-cors needs no permission from the server): the window must not.
    let hub = HubProcess::start(&place.path().join("hub.sqlite3"));
    let script = "const [url, done] = arguments;
        fetch(url, { mode: 'no-cors' }).then(() => done('loaded'), (e) => done('blocked: ' + e));";
    let answer = driver.execute_async(script, vec![json!(format!("{}/v1/health", hub.url))]).await.unwrap();
    let answer = answer.json().as_str().unwrap_or_default().to_owned();
    assert!(answer.starts_with("blocked"), "{answer}");

    // Still whole: the front desk answers after all of that.
    assert_eq!(invoke_from_page(&driver, "here_now", json!({})).await, "allowed");
    assert_eq!(driver.title().await.unwrap(), "Porchlight");
    driver.quit().await.unwrap();
}
