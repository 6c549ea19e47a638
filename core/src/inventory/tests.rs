//! Tests of the GetProfile parser: a hand-made answer, private and missing components, error
//! envelopes, garbage, and the real profile of 2021-05-28.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{ProfileError, parse_profile};
use crate::api::ApiError;
use crate::model::{CharacterId, ClassType, Inventory, Item, ItemId, Location, buckets};

const HUNTER: i64 = 2305843009260802821;
const WARLOCK: i64 = 2305843009260802822;

/// A success envelope around `response`.
fn envelope(response: Value) -> Vec<u8> {
    json!({
        "Response": response,
        "ErrorCode": 1,
        "ThrottleSeconds": 0,
        "ErrorStatus": "Success",
        "Message": "Ok",
        "MessageData": {},
    })
    .to_string()
    .into_bytes()
}

fn character(class_type: i64, light: i32, last_played: &str) -> Value {
    json!({
        "membershipId": "4611686018433092312",
        "membershipType": 2,
        "characterId": "0",
        "dateLastPlayed": last_played,
        "light": light,
        "classType": class_type,
        "emblemPath": format!("/icons/emblem-{class_type}.jpg"),
        "emblemBackgroundPath": format!("/icons/background-{class_type}.jpg"),
        "stats": { "1935470627": light },
        "levelProgression": { "level": 50 },
    })
}

/// A profile with every component Courier reads, plus parts it skips.
fn full_profile() -> Value {
    json!({
        "responseMintedTimestamp": "2021-05-28T07:30:00Z",
        "profile": { "privacy": 1, "data": {
            "userInfo": { "membershipId": "4611686018433092312", "membershipType": 2, "displayName": "Guardian" },
            "characterIds": [HUNTER.to_string(), WARLOCK.to_string()],
        }},
        "profileInventory": { "privacy": 2, "data": { "items": [
            { "itemHash": 100, "itemInstanceId": "9001", "quantity": 1, "bucketHash": buckets::VAULT,
              "transferStatus": 0, "lockable": true, "state": 1, "tooltipNotificationIndexes": [] },
            { "itemHash": 101, "quantity": 42, "bucketHash": buckets::CONSUMABLES,
              "transferStatus": 0, "lockable": false, "state": 0, "unknownField": { "deep": [1, 2] } },
        ]}},
        "profileCurrencies": { "privacy": 2, "data": { "items": [
            { "itemHash": 3159615086_u32, "quantity": 239469, "bucketHash": 2689798308_u32, "transferStatus": 2 },
        ]}},
        "characters": { "privacy": 1, "data": {
            WARLOCK.to_string(): character(2, 1262, "2021-05-11T05:42:12Z"),
            HUNTER.to_string(): character(1, 1314, "2021-05-28T07:22:03Z"),
        }},
        "characterInventories": { "privacy": 2, "data": {
            WARLOCK.to_string(): { "items": [
                { "itemHash": 200, "itemInstanceId": "9002", "quantity": 1, "bucketHash": buckets::KINETIC, "lockable": true, "state": 4 },
                { "itemHash": 201, "quantity": 3, "bucketHash": buckets::POSTMASTER, "transferStatus": 0 },
            ]},
            HUNTER.to_string(): { "items": [] },
        }},
        "characterEquipment": { "privacy": 1, "data": {
            HUNTER.to_string(): { "items": [
                { "itemHash": 300, "itemInstanceId": "9003", "quantity": 1, "bucketHash": buckets::HELMET,
                  "transferStatus": 1, "lockable": true, "state": 5 },
            ]},
        }},
        "characterPlugSets": { "data": { HUNTER.to_string(): { "plugs": { "1": [{ "plugItemHash": 5 }] } } } },
        "itemComponents": {
            "instances": { "privacy": 1, "data": {
                "9001": { "primaryStat": { "statHash": 1480404414, "value": 1310 }, "damageType": 1 },
                "9003": { "primaryStat": { "statHash": 3897883278_u32, "value": 1300 } },
                "9002": { "damageType": 0 },
            }},
            "sockets": { "data": { "9001": { "sockets": [{ "plugHash": 1, "isEnabled": true }] } } },
            "reusablePlugs": { "data": {} },
        },
    })
}

fn parse(response: Value) -> Inventory {
    parse_profile(&envelope(response)).expect("the hand-made profile parses")
}

fn by_hash(inventory: &Inventory, hash: u32) -> &Item {
    inventory
        .items
        .iter()
        .find(|item| item.hash == hash)
        .unwrap_or_else(|| panic!("item {hash} is in the inventory"))
}

#[test]
fn every_component_lands_in_the_model() {
    let inventory = parse(full_profile());
    let hunter = CharacterId(HUNTER);
    let warlock = CharacterId(WARLOCK);

    assert_eq!(inventory.membership_id, 4611686018433092312);
    assert_eq!(inventory.membership_type, 2);
    assert_eq!(inventory.minted.as_deref(), Some("2021-05-28T07:30:00Z"));

    let ids: Vec<CharacterId> = inventory.characters.iter().map(|c| c.id).collect();
    assert_eq!(ids, [hunter, warlock], "most recently played first");
    let first = &inventory.characters[0];
    assert_eq!(first.class_type, ClassType::Hunter);
    assert_eq!(first.light, 1314);
    assert_eq!(first.emblem_path, "/icons/emblem-1.jpg");
    assert_eq!(first.emblem_background_path, "/icons/background-1.jpg");
    assert_eq!(first.date_last_played, "2021-05-28T07:22:03Z");

    assert_eq!(inventory.items.len(), 6);
    let vault = by_hash(&inventory, 100);
    assert_eq!(vault.location, Location::Vault);
    assert_eq!(vault.instance_id, Some(ItemId(9001)));
    assert!(vault.locked && vault.lockable && !vault.equipped);
    assert_eq!(vault.power, Some(1310));

    let consumable = by_hash(&inventory, 101);
    assert_eq!(consumable.location, Location::Account);
    assert_eq!((consumable.quantity, consumable.instance_id), (42, None));
    assert!(!consumable.locked && !consumable.lockable);
    assert_eq!(consumable.power, None);

    let glimmer = by_hash(&inventory, 3159615086);
    assert_eq!(glimmer.location, Location::Account);
    assert_eq!(glimmer.transfer_status, 2);

    let kinetic = by_hash(&inventory, 200);
    assert_eq!(kinetic.location, Location::Character(warlock));
    assert!(!kinetic.locked, "state 4 (masterwork) is not the lock bit");
    assert_eq!(kinetic.power, None, "its instance has no primary stat");

    let lost = by_hash(&inventory, 201);
    assert_eq!(lost.location, Location::Postmaster(warlock));
    assert_eq!(lost.bucket_hash, buckets::POSTMASTER);

    let helmet = by_hash(&inventory, 300);
    assert_eq!(helmet.location, Location::Character(hunter));
    assert!(helmet.equipped && helmet.locked);
    assert_eq!((helmet.transfer_status, helmet.power), (1, Some(1300)));
}

#[test]
fn membership_comes_from_the_characters_without_the_profile_component() {
    let mut response = full_profile();
    response["profile"] = Value::Null;
    let inventory = parse(response);
    assert_eq!(
        (inventory.membership_id, inventory.membership_type),
        (4611686018433092312, 2)
    );
}

#[test]
fn missing_and_private_components_leave_their_part_empty() {
    let inventory = parse(json!({
        "profileInventory": { "privacy": 2 },
        "characterInventories": { "privacy": 2 },
        "characterEquipment": { "privacy": 1, "data": {
            HUNTER.to_string(): { "items": [
                { "itemHash": 300, "itemInstanceId": "9003", "quantity": 1, "bucketHash": buckets::HELMET },
            ]},
        }},
    }));
    assert!(inventory.characters.is_empty());
    assert_eq!((inventory.membership_id, inventory.membership_type), (0, 0));
    assert_eq!(inventory.minted, None);
    assert_eq!(inventory.items.len(), 1);
    assert_eq!(
        inventory.items[0].location,
        Location::Character(CharacterId(HUNTER))
    );
    assert_eq!(inventory.items[0].power, None);

    let empty = parse(json!({}));
    assert_eq!(empty, Inventory::default());
}

#[test]
fn an_error_envelope_is_the_classified_api_error() {
    let maintenance = "This system is temporarily disabled for maintenance.";
    for response in [None, Some(json!(0)), Some(json!({})), Some(json!("down"))] {
        let mut answer = json!({
            "ErrorCode": 5,
            "ThrottleSeconds": 0,
            "ErrorStatus": "SystemDisabled",
            "Message": maintenance,
            "MessageData": {},
        });
        if let Some(response) = response {
            answer["Response"] = response;
        }
        let error = parse_profile(answer.to_string().as_bytes()).expect_err("code 5 is an error");
        let ProfileError::Api(api @ ApiError::Maintenance { .. }) = &error else {
            panic!("expected maintenance, got {error:?}");
        };
        assert!(api.message().contains(maintenance), "{api:?}");
        assert!(error.to_string().contains(maintenance), "{error}");
    }

    let signed_out = br#"{"ErrorCode": 99, "ThrottleSeconds": 0, "ErrorStatus": "WebAuthRequired",
        "Message": "Please sign-in to continue.", "MessageData": {}}"#;
    let error = parse_profile(signed_out).expect_err("code 99 is an error");
    assert!(
        matches!(&error, ProfileError::Api(api) if api.kind() == "signed_out" && api.code() == Some(99)),
        "{error:?}"
    );
    let throttled = br#"{"ErrorCode": 36, "ThrottleSeconds": 10, "ErrorStatus": "ThrottleLimitExceededMomentarily",
        "Message": "Slow down.", "Response": []}"#;
    let error = parse_profile(throttled).expect_err("code 36 is an error");
    assert!(
        matches!(&error, ProfileError::Api(api) if api.retry_after(0) == Some(std::time::Duration::from_secs(10))),
        "{error:?}"
    );
}

#[test]
fn an_outage_page_is_not_json() {
    let page = b"<!DOCTYPE html><html><body>Bungie.net is down for maintenance</body></html>";
    let error = parse_profile(page).expect_err("HTML is not a profile");
    assert!(matches!(error, ProfileError::NotJson { .. }), "{error:?}");
    assert!(error.to_string().contains("try again"), "{error}");
    assert!(matches!(
        parse_profile(b""),
        Err(ProfileError::NotJson { .. })
    ));
}

#[test]
fn every_truncation_of_an_answer_is_an_error() {
    let bytes = envelope(full_profile());
    for end in 0..bytes.len() {
        let error = parse_profile(&bytes[..end]).expect_err("a cut-off answer is an error");
        assert!(
            matches!(error, ProfileError::NotJson { .. }),
            "cut at {end}: {error:?}"
        );
    }
}

#[test]
fn json_of_the_wrong_shape_is_a_shape_error() {
    let mut wrong_hash = full_profile();
    wrong_hash["profileInventory"]["data"]["items"][0]["itemHash"] = json!("one hundred");
    let mut bad_id = full_profile();
    bad_id["profileInventory"]["data"]["items"][0]["itemInstanceId"] = json!("not-an-id");
    let mut bad_key = full_profile();
    bad_key["characterEquipment"]["data"] = json!({ "hunter": { "items": [] } });
    let mut items_object = full_profile();
    items_object["profileCurrencies"]["data"]["items"] = json!({});
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("an empty object", b"{}".to_vec()),
        ("an array", b"[1, 2]".to_vec()),
        ("a number", b"7".to_vec()),
        (
            "a success without Response",
            br#"{"ErrorCode": 1}"#.to_vec(),
        ),
        (
            "a string ErrorCode",
            br#"{"ErrorCode": "1", "Response": {}}"#.to_vec(),
        ),
        ("a string item hash", envelope(wrong_hash)),
        ("a bad instance id", envelope(bad_id)),
        ("a bad character key", envelope(bad_key)),
        ("items as an object", envelope(items_object)),
    ];
    for (what, bytes) in cases {
        match parse_profile(&bytes) {
            Err(ProfileError::Shape(detail)) => assert!(!detail.is_empty(), "{what}"),
            other => panic!("{what}: expected a shape error, got {other:?}"),
        }
    }
}

#[test]
fn deep_nesting_in_skipped_parts_is_fine_and_in_read_parts_an_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let skipped = format!(r#"{{"Response": {{"unread": {deep}}}, "ErrorCode": 1}}"#);
    assert_eq!(parse_profile(skipped.as_bytes()), Ok(Inventory::default()));
    let read = format!(r#"{{"Response": {{"profileInventory": {deep}}}, "ErrorCode": 1}}"#);
    assert!(parse_profile(read.as_bytes()).is_err());
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_profile(&bytes);
    }

    #[test]
    fn json_like_text_never_panics(text in r#"[\[\]{}":,0-9a-zA-Z. -]{0,300}"#) {
        let _ = parse_profile(text.as_bytes());
    }

    #[test]
    fn any_value_in_place_of_a_component_is_handled(
        field in prop::sample::select(vec![
            "profile", "profileInventory", "profileCurrencies", "characters",
            "characterInventories", "characterEquipment", "itemComponents",
            "responseMintedTimestamp",
        ]),
        value in arbitrary_json(),
    ) {
        let mut response = full_profile();
        response[field] = value;
        let _ = parse_profile(&envelope(response));
    }
}

/// Small JSON values of every kind, nested a little.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-zA-Z0-9]{0,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// The real profile of 2021-05-28 (DIM's fixture), when `../shared` is present.
fn real_profile() -> Option<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    );
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipped: ../shared/real-data/profile-2021-05-28.json is absent");
            None
        }
    }
}

/// What the file says one item is, read independently of the parser.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Expected {
    instance_id: Option<i64>,
    hash: u32,
    quantity: i32,
    bucket_hash: u32,
    location: String,
    equipped: bool,
    locked: bool,
    lockable: bool,
    transfer_status: u32,
    power: Option<i32>,
}

fn expected_items(file: &Value) -> Vec<Expected> {
    let response = &file["Response"];
    let instances = &response["itemComponents"]["instances"]["data"];
    let number = |value: &Value| value.as_u64().expect("a number") as u32;
    let entry = |item: &Value, location: String, equipped: bool| {
        let id = item["itemInstanceId"].as_str();
        Expected {
            instance_id: id.map(|id| id.parse().expect("an int64 id")),
            hash: number(&item["itemHash"]),
            quantity: item["quantity"].as_i64().expect("a quantity") as i32,
            bucket_hash: number(&item["bucketHash"]),
            location,
            equipped,
            locked: number(&item["state"]) & 1 == 1,
            lockable: item["lockable"].as_bool().expect("lockable"),
            transfer_status: number(&item["transferStatus"]),
            power: id.and_then(|id| {
                instances[id]["primaryStat"]["value"]
                    .as_i64()
                    .map(|v| v as i32)
            }),
        }
    };
    let items = |component: &Value| component["items"].as_array().expect("items").clone();
    let mut expected = Vec::new();
    for item in items(&response["profileInventory"]["data"]) {
        let place = if number(&item["bucketHash"]) == buckets::VAULT {
            "vault"
        } else {
            "account"
        };
        expected.push(entry(&item, place.to_string(), false));
    }
    for item in items(&response["profileCurrencies"]["data"]) {
        expected.push(entry(&item, "account".to_string(), false));
    }
    for (id, list) in response["characterInventories"]["data"]
        .as_object()
        .expect("inventories")
    {
        for item in items(list) {
            let postmaster = number(&item["bucketHash"]) == buckets::POSTMASTER;
            let place = if postmaster {
                format!("postmaster {id}")
            } else {
                format!("character {id}")
            };
            expected.push(entry(&item, place, false));
        }
    }
    for (id, list) in response["characterEquipment"]["data"]
        .as_object()
        .expect("equipment")
    {
        for item in items(list) {
            expected.push(entry(&item, format!("character {id}"), true));
        }
    }
    expected
}

fn described(item: &Item) -> Expected {
    Expected {
        instance_id: item.instance_id.map(|id| id.0),
        hash: item.hash,
        quantity: item.quantity,
        bucket_hash: item.bucket_hash,
        location: match item.location {
            Location::Vault => "vault".to_string(),
            Location::Account => "account".to_string(),
            Location::Character(id) => format!("character {id}"),
            Location::Postmaster(id) => format!("postmaster {id}"),
        },
        equipped: item.equipped,
        locked: item.locked,
        lockable: item.lockable,
        transfer_status: item.transfer_status,
        power: item.power,
    }
}

#[test]
fn the_real_profile_parses_completely() {
    let Some(bytes) = real_profile() else { return };
    let file: Value = serde_json::from_slice(&bytes).expect("the fixture is JSON");
    let inventory = parse_profile(&bytes).expect("the real profile parses");

    let mut expected = expected_items(&file);
    let mut actual: Vec<Expected> = inventory.items.iter().map(described).collect();
    assert_eq!(expected.len(), 972, "the fixture holds 972 items");
    expected.sort();
    actual.sort();
    assert_eq!(actual, expected, "every item, with its location and flags");

    let hunter = CharacterId(2305843009260802821);
    let warlock = CharacterId(2305843009260802822);
    let titan = CharacterId(2305843009260802823);
    let classes: Vec<(CharacterId, ClassType, i32)> = inventory
        .characters
        .iter()
        .map(|c| (c.id, c.class_type, c.light))
        .collect();
    assert_eq!(
        classes,
        [
            (hunter, ClassType::Hunter, 1314),
            (titan, ClassType::Titan, 1265),
            (warlock, ClassType::Warlock, 1262),
        ],
        "three characters, most recently played first"
    );
    assert_eq!(
        (inventory.membership_id, inventory.membership_type),
        (4611686018433092312, 2)
    );

    let mut counts: HashMap<(Location, bool), usize> = HashMap::new();
    for item in &inventory.items {
        *counts.entry((item.location, item.equipped)).or_default() += 1;
    }
    let count = |location, equipped| counts.get(&(location, equipped)).copied().unwrap_or(0);
    assert_eq!(count(Location::Vault, false), 467);
    assert_eq!(count(Location::Account, false), 86 + 6);
    for (id, carried, equipped, lost) in [
        (hunter, 182, 17, 8),
        (warlock, 77, 16, 6),
        (titan, 85, 17, 5),
    ] {
        assert_eq!(
            count(Location::Character(id), false),
            carried,
            "{id} carried"
        );
        assert_eq!(
            count(Location::Character(id), true),
            equipped,
            "{id} equipped"
        );
        assert_eq!(
            count(Location::Postmaster(id), false),
            lost,
            "{id} postmaster"
        );
    }

    let instanced = inventory
        .items
        .iter()
        .filter(|i| i.instance_id.is_some())
        .count();
    let powered = inventory.items.iter().filter(|i| i.power.is_some()).count();
    assert_eq!((instanced, powered), (842, 703));
    assert_eq!(inventory.items.iter().filter(|i| i.locked).count(), 146);
}
