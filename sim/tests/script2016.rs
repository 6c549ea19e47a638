//! A plain 2016-style Python script (standard library only, no Courier code) signs in through the
//! PSN pages, reads the profile, moves a vault item to a character and back, and locks it, all
//! against a simulator with bungie.net's throttles on.

mod support;

use std::path::PathBuf;

use courier_sim::SimConfig;
use serde_json::Value;

/// The script, in the workspace's `tests/scripts/`.
fn script_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/scripts/psn2016.py"
    ))
}

/// Whether `python3` can be started at all.
async fn python3_present() -> bool {
    tokio::process::Command::new("python3")
        .arg("--version")
        .output()
        .await
        .is_ok_and(|output| output.status.success())
}

/// The state dump's entry for the item with this instance id.
fn item_in<'a>(dump: &'a Value, instance_id: &str) -> &'a Value {
    dump["world"]["items"]
        .as_array()
        .expect("the state dump lists items")
        .iter()
        .find(|item| {
            item["instanceId"]
                .as_i64()
                .map(|id| id.to_string())
                .as_deref()
                == Some(instance_id)
        })
        .unwrap_or_else(|| panic!("the state dump has no item {instance_id}"))
}

/// How many logged requests went to a path ending with `suffix`, and their ErrorCodes.
fn calls_to(log: &[Value], suffix: &str) -> Vec<Option<i64>> {
    log.iter()
        .filter(|entry| {
            entry["path"]
                .as_str()
                .is_some_and(|path| path.ends_with(suffix))
        })
        .map(|entry| entry["errorCode"].as_i64())
        .collect()
}

#[tokio::test]
async fn the_2016_script_signs_in_moves_an_item_and_locks_it() {
    if !python3_present().await {
        println!("skipped: python3 is not installed, so the 2016 script cannot run");
        return;
    }
    // Strict throttles, as bungie.net has them: the script spaces its actions itself.
    let sim = support::sim_with(SimConfig::default()).await;
    let before = support::state(&sim).await;
    let account = &before["world"]["account"];
    let output = tokio::process::Command::new("python3")
        .arg(script_path())
        .args(["--base", sim.http_url(), "--api-key", sim.api_key()])
        .args([
            "--username",
            account["email"].as_str().expect("the player's email"),
        ])
        .args([
            "--password",
            account["password"].as_str().expect("the player's password"),
        ])
        .output()
        .await
        .expect("python3 runs the script");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the script failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
        output.status
    );
    let summary: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|error| panic!("the script's summary is not JSON ({error}): {stdout}"));
    let item_id = summary["itemId"]
        .as_str()
        .expect("the summary names the item it moved");

    let was = item_in(&before, item_id);
    assert_eq!(
        was["place"]["kind"], "vault",
        "the script picked a vault item"
    );
    assert_eq!(was["locked"], false, "the script picked an unlocked item");
    let after = support::state(&sim).await;
    let now = item_in(&after, item_id);
    assert_eq!(
        now["place"]["kind"], "vault",
        "the item is back in the vault: {now}"
    );
    assert_eq!(now["locked"], true, "the item is locked: {now}");
    assert_eq!(now["hash"], summary["itemHash"]);

    let log = support::log(&sim).await;
    assert_eq!(
        calls_to(&log, "/Actions/Items/TransferItem/"),
        vec![Some(1), Some(1)],
        "exactly two TransferItem calls, both successful"
    );
    assert_eq!(
        calls_to(&log, "/Actions/Items/SetLockState/"),
        vec![Some(1)],
        "exactly one SetLockState call, successful"
    );
    let signed_in = log.iter().any(|entry| {
        entry["path"] == "/en/User/SignIn/Psnid"
            && entry["query"]
                .as_str()
                .is_some_and(|query| query.contains("code="))
            && entry["status"] == 200
    });
    assert!(
        signed_in,
        "the script finished the PSN sign-in on bungie.net"
    );
    let platform: Vec<&Value> = log
        .iter()
        .filter(|entry| {
            entry["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/Platform/"))
        })
        .collect();
    assert!(
        platform.iter().all(|entry| entry["auth"] == "cookie"
            && entry["csrf"].is_string()
            && entry["csrf"] == entry["bungled"]),
        "every Platform call used the cookie session with X-CSRF = bungled: {platform:#?}"
    );
}
