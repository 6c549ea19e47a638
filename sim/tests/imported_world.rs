//! `--world FILE`: a saved real GetProfile answer becomes the simulated account, and the
//! simulator serves it back item for item.

mod support;

use std::path::PathBuf;

use courier_sim::{SimConfig, ThrottleMode, WorldSource};
use serde_json::Value;

/// The real profile fixture, when `../shared` is there.
fn real_profile() -> Option<PathBuf> {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    ));
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: ../shared/real-data/profile-2021-05-28.json is absent (a fresh clone without the shared folder)"
        );
        None
    }
}

/// Every item component of a profile answer's item lists, as (instance id or hash, bucket).
fn item_keys(response: &Value) -> Vec<(String, u64)> {
    let mut keys = Vec::new();
    let mut push = |items: &Value| {
        for item in items["items"].as_array().into_iter().flatten() {
            let key = item["itemInstanceId"]
                .as_str()
                .map_or_else(|| format!("hash {}", item["itemHash"]), str::to_string);
            keys.push((key, item["bucketHash"].as_u64().unwrap_or_default()));
        }
    };
    push(&response["profileInventory"]["data"]);
    push(&response["profileCurrencies"]["data"]);
    for component in ["characterInventories", "characterEquipment"] {
        for lists in response[component]["data"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            push(lists);
        }
    }
    keys.sort();
    keys
}

#[tokio::test]
async fn a_real_profile_is_served_back_item_for_item() {
    let Some(path) = real_profile() else { return };
    let original: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("readable")).expect("JSON");
    let sim = support::sim_with(SimConfig {
        world: WorldSource::File(path),
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let session = support::session(&sim).await;
    let characters = original["Response"]["characters"]["data"]
        .as_object()
        .expect("characters");
    let membership_id = characters.values().next().expect("a character")["membershipId"]
        .as_str()
        .expect("id");
    let (_, served) = support::get(
        &sim,
        &session,
        &format!(
            "/Platform/Destiny2/2/Profile/{membership_id}/?components=102,103,200,201,205,300"
        ),
    )
    .await;
    assert_eq!(served["ErrorCode"], 1, "{}", served["Message"]);
    assert_eq!(
        item_keys(&served["Response"]),
        item_keys(&original["Response"])
    );
    let served_characters = served["Response"]["characters"]["data"]
        .as_object()
        .expect("characters");
    for (id, character) in characters {
        assert_eq!(served_characters[id]["classType"], character["classType"]);
    }
}
