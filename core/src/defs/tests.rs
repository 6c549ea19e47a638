//! Tests of the definition tables: a hand-made manifest, hidden entities, the cache bytes, and
//! garbage.

use proptest::prelude::*;
use serde_json::json;

use super::{DefsError, FORMAT_VERSION, parse_bucket_table, parse_item_table};
use crate::model::{
    BucketDef, BucketScope, ClassType, Definitions, ItemDef, ItemKind, Tier, buckets,
};

const GJALLARHORN: u32 = 1363886209;
const HELMET: u32 = 3100;
const GLIMMER_BOX: u32 = 3200;
const BARE: u32 = 3300;
const REDACTED: u32 = 3400;
const BLACKLISTED: u32 = 3500;

/// An item table in the manifest's shape, with fields Courier does not read.
pub(super) fn item_table() -> Vec<u8> {
    json!({
        GJALLARHORN.to_string(): {
            "displayProperties": { "description": "Wolfpack rounds.", "name": "Gjallarhorn",
                "icon": "/common/destiny2_content/icons/gjallarhorn.jpg", "hasIcon": true },
            "itemTypeDisplayName": "Rocket Launcher",
            "inventory": { "maxStackSize": 1, "bucketTypeHash": buckets::POWER, "tierType": 6,
                "tierTypeName": "Exotic", "isInstanceItem": true, "recoveryBucketTypeHash": buckets::POSTMASTER },
            "stats": { "stats": { "4284893193": { "statHash": 4284893193_u32, "value": 20 } } },
            "sockets": { "socketEntries": [{ "socketTypeHash": 1, "reusablePlugItems": [] }] },
            "equippable": true,
            "equippingBlock": { "uniqueLabel": "exotic_weapon", "uniqueLabelHash": 1, "ammoType": 3 },
            "classType": 3, "itemType": 3, "itemSubType": 10,
            "nonTransferrable": false, "doesPostmasterPullHaveSideEffects": false,
            "hash": GJALLARHORN, "index": 1, "redacted": false, "blacklisted": false,
        },
        HELMET.to_string(): {
            "displayProperties": { "name": "Helm of \"Saint\u{2011}14\" \u{2605}", "icon": "/h.jpg" },
            "itemTypeDisplayName": "Helmet",
            "inventory": { "maxStackSize": 1, "bucketTypeHash": buckets::HELMET, "tierType": 5 },
            "equippable": true,
            "equippingBlock": { "uniqueLabel": "" },
            "classType": 0, "itemType": 2,
            "nonTransferrable": true,
        },
        GLIMMER_BOX.to_string(): {
            "displayProperties": { "name": "Glimmer Box" },
            "inventory": { "maxStackSize": 9999, "bucketTypeHash": buckets::CONSUMABLES, "tierType": 3 },
            "itemType": 9, "classType": 3,
            "doesPostmasterPullHaveSideEffects": true,
        },
        BARE.to_string(): { "hash": BARE },
        REDACTED.to_string(): { "displayProperties": { "name": "Classified" }, "redacted": true },
        BLACKLISTED.to_string(): { "displayProperties": { "name": "Old" }, "blacklisted": true },
    })
    .to_string()
    .into_bytes()
}

/// A bucket table in the manifest's shape.
fn bucket_table() -> Vec<u8> {
    json!({
        buckets::VAULT.to_string(): {
            "displayProperties": { "name": "General", "hasIcon": false },
            "scope": 1, "category": 3, "bucketOrder": 10, "itemCount": 700, "location": 2,
            "hasTransferDestination": true, "enabled": true, "fifo": false,
            "hash": buckets::VAULT, "index": 0, "redacted": false, "blacklisted": false,
        },
        buckets::KINETIC.to_string(): {
            "displayProperties": { "name": "Kinetic Weapons" },
            "scope": 0, "category": 3, "itemCount": 10,
        },
        "1": { "displayProperties": { "name": "Broken" }, "scope": 0, "category": 1, "itemCount": -5 },
        "2": { "displayProperties": { "name": "Hidden" }, "itemCount": 5, "redacted": true },
    })
    .to_string()
    .into_bytes()
}

fn definitions() -> Definitions {
    Definitions::from_tables(&item_table(), &bucket_table()).expect("the hand-made tables parse")
}

#[test]
fn items_keep_what_courier_needs() {
    let items = parse_item_table(&item_table()).expect("the item table parses");
    assert_eq!(
        items.len(),
        4,
        "redacted and blacklisted entities are left out"
    );
    assert!(!items.contains_key(&REDACTED) && !items.contains_key(&BLACKLISTED));

    assert_eq!(
        items[&GJALLARHORN],
        ItemDef {
            name: "Gjallarhorn".to_string(),
            icon: "/common/destiny2_content/icons/gjallarhorn.jpg".to_string(),
            tier: Tier::Exotic,
            kind: ItemKind::Weapon,
            type_name: "Rocket Launcher".to_string(),
            bucket_hash: buckets::POWER,
            class_type: ClassType::Any,
            unique_label: Some("exotic_weapon".to_string()),
            max_stack: 1,
            equippable: true,
            non_transferrable: false,
            postmaster_side_effects: false,
        }
    );

    let helmet = &items[&HELMET];
    assert_eq!(helmet.name, "Helm of \"Saint\u{2011}14\" \u{2605}");
    assert_eq!(
        helmet.unique_label, None,
        "an empty uniqueLabel is no label"
    );
    assert_eq!(
        (helmet.class_type, helmet.kind, helmet.tier),
        (ClassType::Titan, ItemKind::Armor, Tier::Legendary)
    );
    assert!(helmet.non_transferrable && helmet.equippable);

    let glimmer = &items[&GLIMMER_BOX];
    assert_eq!(glimmer.unique_label, None, "no equippingBlock");
    assert_eq!(
        (glimmer.max_stack, glimmer.kind),
        (9999, ItemKind::Consumable)
    );
    assert!(glimmer.postmaster_side_effects && !glimmer.equippable);
    assert_eq!(glimmer.icon, "");

    let bare = &items[&BARE];
    assert_eq!(
        (
            bare.name.as_str(),
            bare.bucket_hash,
            bare.max_stack,
            bare.tier
        ),
        ("", 0, 1, Tier::Unknown)
    );
    assert_eq!(
        (bare.class_type, bare.kind),
        (ClassType::Any, ItemKind::Other)
    );
}

#[test]
fn an_item_is_read_whatever_the_order_escapes_or_repeats_of_its_fields() {
    let table = br#"{"7": {"itemType": 2, "stats": {"a": [1, {"b": null}]},
        "display\u0050roperties": {"name": "Caf\u00e9", "description": "x"},
        "itemType": 3, "inventory": {"tierType": 6}, "classType": 1}}"#;
    let items = parse_item_table(table).expect("a table");
    let item = &items[&7];
    assert_eq!(item.name, "Café", "an escaped key and text");
    assert_eq!(
        item.kind,
        ItemKind::Weapon,
        "the last of a field given twice"
    );
    assert_eq!(item.tier, Tier::Exotic);
    assert_eq!(item.class_type, ClassType::Hunter);
    for wrong in [&br#"{"7": [1]}"#[..], br#"{"7": {"itemType": "three"}}"#] {
        let error = parse_item_table(wrong).expect_err("not an item definition");
        assert!(
            error.to_string().contains("DestinyInventoryItemDefinition"),
            "{error}"
        );
    }
}

#[test]
fn buckets_keep_capacity_scope_and_category() {
    let table = parse_bucket_table(&bucket_table()).expect("the bucket table parses");
    assert_eq!(table.len(), 3, "the redacted bucket is left out");
    assert_eq!(
        table[&buckets::VAULT],
        BucketDef {
            name: "General".to_string(),
            capacity: 700,
            scope: BucketScope::Account,
            category: 3,
        }
    );
    let kinetic = &table[&buckets::KINETIC];
    assert_eq!(
        (kinetic.capacity, kinetic.scope),
        (10, BucketScope::Character)
    );
    assert_eq!(table[&1].capacity, 0, "a negative itemCount holds nothing");

    let defs = definitions();
    assert_eq!(defs.capacity(buckets::VAULT), 700);
    assert_eq!(defs.name(GJALLARHORN), "Gjallarhorn");
}

#[test]
fn empty_tables_are_valid() {
    let defs = Definitions::from_tables(b"{}", b" { } ").expect("empty tables parse");
    assert_eq!(defs, Definitions::default());
}

#[test]
fn the_cache_round_trips_and_is_deterministic() {
    let defs = definitions();
    let bytes = defs.to_bytes();
    assert_eq!(bytes[0], FORMAT_VERSION);
    assert_eq!(Definitions::from_bytes(&bytes), Ok(defs.clone()));

    let mut rebuilt = Definitions::default();
    let mut entries: Vec<_> = defs.items.clone().into_iter().collect();
    entries.reverse();
    rebuilt.items.extend(entries);
    rebuilt.buckets = defs.buckets.clone();
    assert_eq!(
        rebuilt.to_bytes(),
        bytes,
        "the same definitions, the same bytes"
    );

    let empty = Definitions::default();
    assert_eq!(Definitions::from_bytes(&empty.to_bytes()), Ok(empty));
}

/// The cached layout of one item and one bucket. When this fails, the layout changed: bump
/// `FORMAT_VERSION` so old caches are refused, then update the bytes.
#[test]
fn the_cache_layout_is_pinned() {
    let mut defs = Definitions::default();
    defs.items.insert(
        7,
        ItemDef {
            name: "A".to_string(),
            icon: "/i".to_string(),
            tier: Tier::Exotic,
            kind: ItemKind::Weapon,
            type_name: "T".to_string(),
            bucket_hash: 9,
            class_type: ClassType::Warlock,
            unique_label: Some("u".to_string()),
            max_stack: 2,
            equippable: true,
            non_transferrable: false,
            postmaster_side_effects: true,
        },
    );
    defs.buckets.insert(
        8,
        BucketDef {
            name: "B".to_string(),
            capacity: 700,
            scope: BucketScope::Account,
            category: 3,
        },
    );
    assert_eq!(
        defs.to_bytes(),
        [
            1, // format version
            1, 7, 1, b'A', 2, b'/', b'i', 5, 0, 1, b'T', 9, 2, 1, 1, b'u', 4, 1, 0,
            1, // items
            1, 8, 1, b'B', 188, 5, 1, 6, // buckets
        ]
    );
}

#[test]
fn a_cache_of_another_version_is_refused() {
    let mut bytes = definitions().to_bytes();
    bytes[0] = FORMAT_VERSION.wrapping_add(1);
    let error = Definitions::from_bytes(&bytes).expect_err("another version is refused");
    assert_eq!(
        error,
        DefsError::CacheVersion {
            found: FORMAT_VERSION.wrapping_add(1),
            expected: FORMAT_VERSION,
        }
    );
    assert!(error.to_string().contains("rebuild the cache"), "{error}");
}

#[test]
fn a_damaged_cache_is_refused() {
    let bytes = definitions().to_bytes();
    let mut longer = bytes.clone();
    longer.push(0);
    let mut bad_tier = bytes.clone();
    bad_tier[1..].fill(0xff);
    for (what, damaged) in [
        ("empty", Vec::new()),
        ("cut short", bytes[..bytes.len() / 2].to_vec()),
        ("a byte too many", longer),
        ("overwritten", bad_tier),
    ] {
        match Definitions::from_bytes(&damaged) {
            Err(DefsError::CacheDamaged { detail }) => assert!(!detail.is_empty(), "{what}"),
            other => panic!("{what}: expected a damaged cache, got {other:?}"),
        }
    }
    for end in 1..bytes.len() {
        assert!(
            Definitions::from_bytes(&bytes[..end]).is_err(),
            "cut at {end}"
        );
    }
}

#[test]
fn garbage_tables_are_errors_naming_the_table() {
    let cases: [(&str, &[u8]); 9] = [
        ("empty", b""),
        ("HTML", b"<html><body>503 Service Unavailable</body></html>"),
        ("an array", b"[1, 2, 3]"),
        ("a key that is no hash", br#"{"gjallarhorn": {}}"#),
        ("a key beyond u32", br#"{"99999999999": {}}"#),
        ("an entity that is a number", br#"{"1": 5}"#),
        (
            "a name that is a number",
            br#"{"1": {"displayProperties": {"name": 5}}}"#,
        ),
        ("trailing text", br#"{"1": {}} and more"#),
        ("a flag that is a string", br#"{"1": {"redacted": "yes"}}"#),
    ];
    for (what, bytes) in cases {
        match parse_item_table(bytes) {
            Err(DefsError::Table { table, detail }) => {
                assert_eq!(table, "DestinyInventoryItemDefinition", "{what}");
                assert!(!detail.is_empty(), "{what}");
            }
            other => panic!("{what}: expected a table error, got {other:?}"),
        }
        match parse_bucket_table(bytes) {
            Err(error @ DefsError::Table { .. }) => {
                assert!(
                    error
                        .to_string()
                        .contains("DestinyInventoryBucketDefinition"),
                    "{what}"
                );
            }
            other => panic!("{what}: expected a table error, got {other:?}"),
        }
    }
}

#[test]
fn every_truncation_of_a_table_is_an_error() {
    let bytes = item_table();
    for end in 0..bytes.len() {
        assert!(parse_item_table(&bytes[..end]).is_err(), "cut at {end}");
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_item_table(&bytes);
        let _ = parse_bucket_table(&bytes);
        let _ = Definitions::from_bytes(&bytes);
    }

    #[test]
    fn json_like_text_never_panics(text in r#"[\[\]{}":,0-9a-zA-Z. -]{0,300}"#) {
        let _ = parse_item_table(text.as_bytes());
        let _ = parse_bucket_table(text.as_bytes());
    }
}
