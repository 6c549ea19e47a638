//! The digest from hand-made answers of each kind, from the captured real GetVendors answer,
//! and from answers that say Xûr is away or that fail.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::*;
use crate::model::{ItemDef, ItemKind};

const NIGHTHAWK: u32 = 203_991_601;
const SUNSHOT: u32 = 2_907_129_556;
const HOSTILE: u32 = 1_111;
const SHARDS: u32 = 1_022_552_290;
const COINS: u32 = 800_069_450;
const OTHER_VENDOR: u32 = 863_940_356;

fn def(name: &str, tier: Tier, kind: ItemKind, type_name: &str, class_type: ClassType) -> ItemDef {
    ItemDef {
        name: name.to_string(),
        icon: format!("/common/destiny2_content/icons/{}.jpg", name.len()),
        tier,
        kind,
        type_name: type_name.to_string(),
        bucket_hash: 0,
        class_type,
        unique_label: None,
        max_stack: 1,
        equippable: kind != ItemKind::Consumable,
        non_transferrable: false,
        postmaster_side_effects: false,
    }
}

fn definitions() -> Definitions {
    let items = HashMap::from([
        (
            NIGHTHAWK,
            def(
                "Celestial Nighthawk",
                Tier::Exotic,
                ItemKind::Armor,
                "Helmet",
                ClassType::Hunter,
            ),
        ),
        (
            SUNSHOT,
            def(
                "Sunshot",
                Tier::Exotic,
                ItemKind::Weapon,
                "Hand Cannon",
                ClassType::Any,
            ),
        ),
        (
            HOSTILE,
            def(
                "<script>alert('x')</script> & Co",
                Tier::Legendary,
                ItemKind::Weapon,
                "Sword & Board",
                ClassType::Any,
            ),
        ),
        (
            SHARDS,
            def(
                "Legendary Shards",
                Tier::Basic,
                ItemKind::Consumable,
                "Material",
                ClassType::Any,
            ),
        ),
        (
            COINS,
            def(
                "Strange Coins",
                Tier::Basic,
                ItemKind::Consumable,
                "Currency",
                ClassType::Any,
            ),
        ),
    ]);
    Definitions {
        items,
        ..Definitions::default()
    }
}

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

fn error_envelope(code: i32, status: &str) -> Vec<u8> {
    json!({
        "ErrorCode": code,
        "ThrottleSeconds": 0,
        "ErrorStatus": status,
        "Message": "Bungie's words.",
        "MessageData": {},
    })
    .to_string()
    .into_bytes()
}

/// Xûr's three sales in the character shape, keyed by index (note "10" after "9").
fn character_sales() -> Value {
    json!({
        "9": { "vendorItemIndex": 9, "itemHash": SUNSHOT, "quantity": 1, "saleStatus": 0,
               "failureIndexes": [], "augments": 0, "apiPurchasable": false,
               "costs": [{ "itemHash": SHARDS, "quantity": 29, "hasConditionalVisibility": false }] },
        "10": { "vendorItemIndex": 10, "itemHash": NIGHTHAWK, "quantity": 1, "saleStatus": 8,
                "failureIndexes": [3], "augments": 0,
                "costs": [{ "itemHash": SHARDS, "quantity": 23, "hasConditionalVisibility": false },
                          { "itemHash": COINS, "quantity": 1, "hasConditionalVisibility": false }] },
        "2": { "vendorItemIndex": 2, "itemHash": HOSTILE, "quantity": 2, "costs": [] },
    })
}

/// The same sales in the public shape (no sale status, no failure indexes).
fn public_sales() -> Value {
    let mut sales = character_sales();
    for sale in sales.as_object_mut().expect("an object").values_mut() {
        let sale = sale.as_object_mut().expect("a sale object");
        for field in ["saleStatus", "failureIndexes", "augments"] {
            sale.remove(field);
        }
    }
    sales
}

fn vendor_component() -> Value {
    json!({ "vendorHash": XUR_VENDOR_HASH, "nextRefreshDate": "2024-06-18T17:00:00Z",
            "enabled": true, "canPurchase": true, "vendorLocationIndex": 1,
            "ackState": { "needsAck": false, "ackId": 0 } })
}

fn other_vendor() -> Value {
    json!({ "vendorHash": OTHER_VENDOR, "nextRefreshDate": "9999-12-31T23:59:59.999Z", "enabled": true })
}

fn get_vendor_answer() -> Vec<u8> {
    envelope(json!({
        "vendor": { "data": vendor_component(), "privacy": 1 },
        "categories": { "data": { "categories": [{ "displayCategoryIndex": 0, "itemIndexes": [2, 9, 10] }] }, "privacy": 1 },
        "sales": { "data": character_sales(), "privacy": 1 },
        "itemComponents": {},
    }))
}

/// A GetVendors or GetPublicVendors answer listing `listed` vendors, with Xûr's sales.
fn vendors_answer(listed: &[Value], sales: Value) -> Vec<u8> {
    let vendors: serde_json::Map<String, Value> = listed
        .iter()
        .map(|v| (v["vendorHash"].to_string(), v.clone()))
        .collect();
    envelope(json!({
        "vendorGroups": { "data": { "groups": [{ "vendorGroupHash": 3227191227_u32, "vendorHashes": [XUR_VENDOR_HASH] }] }, "privacy": 1 },
        "vendors": { "data": vendors, "privacy": 1 },
        "categories": { "data": {}, "privacy": 1 },
        "sales": { "data": {
            XUR_VENDOR_HASH.to_string(): { "saleItems": sales },
            OTHER_VENDOR.to_string(): { "saleItems": { "0": { "vendorItemIndex": 0, "itemHash": 77, "costs": [] } } },
        }, "privacy": 1 },
        "stringVariables": { "privacy": 1 },
    }))
}

fn digest(source: XurSource, body: &[u8]) -> XurDigest {
    XurDigest::from_answer(source, 200, Some("application/json"), body, &definitions())
        .unwrap_or_else(|e| panic!("{source:?} should give a digest: {e}"))
}

/// The digest every hand-made answer with Xûr present must give.
fn expected() -> XurDigest {
    let cost = |item_hash, name: &str, quantity| Cost {
        item_hash,
        name: name.to_string(),
        quantity,
    };
    let defs = definitions();
    let sale = |index, hash: u32, quantity, costs| {
        let d = defs.item(hash).expect("a test definition");
        XurSale {
            vendor_item_index: index,
            item_hash: hash,
            name: d.name.clone(),
            quantity,
            class_type: d.class_type,
            tier: d.tier,
            type_name: d.type_name.clone(),
            icon: d.icon.clone(),
            costs,
        }
    };
    XurDigest {
        present: true,
        refresh_date: Some("2024-06-18T17:00:00Z".to_string()),
        sales: vec![
            sale(2, HOSTILE, 2, vec![]),
            sale(9, SUNSHOT, 1, vec![cost(SHARDS, "Legendary Shards", 29)]),
            sale(
                10,
                NIGHTHAWK,
                1,
                vec![
                    cost(SHARDS, "Legendary Shards", 23),
                    cost(COINS, "Strange Coins", 1),
                ],
            ),
        ],
    }
}

#[test]
fn get_vendor_gives_the_sales_keyed_by_index_in_order() {
    assert_eq!(digest(XurSource::Vendor, &get_vendor_answer()), expected());
}

#[test]
fn get_vendors_gives_xurs_entry_of_the_lists() {
    let body = vendors_answer(&[other_vendor(), vendor_component()], character_sales());
    assert_eq!(digest(XurSource::CharacterVendors, &body), expected());
}

#[test]
fn get_public_vendors_gives_the_same_digest_from_the_public_shape() {
    let body = vendors_answer(&[vendor_component(), other_vendor()], public_sales());
    assert_eq!(digest(XurSource::PublicVendors, &body), expected());
}

#[test]
fn vendor_not_found_to_get_vendor_means_away() {
    let body = error_envelope(1627, "DestinyVendorNotFound");
    let got = XurDigest::from_answer(
        XurSource::Vendor,
        500,
        Some("application/json"),
        &body,
        &definitions(),
    );
    assert_eq!(got, Ok(XurDigest::absent()));
}

#[test]
fn missing_from_the_vendor_lists_means_away_even_with_his_old_sales() {
    for source in [XurSource::CharacterVendors, XurSource::PublicVendors] {
        let body = vendors_answer(&[other_vendor()], character_sales());
        assert_eq!(digest(source, &body), XurDigest::absent(), "{source:?}");
    }
}

#[test]
fn a_disabled_vendor_means_away() {
    let mut disabled = vendor_component();
    disabled["enabled"] = json!(false);
    let body = vendors_answer(&[disabled], character_sales());
    assert_eq!(
        digest(XurSource::CharacterVendors, &body),
        XurDigest::absent()
    );
}

#[test]
fn without_the_vendors_component_his_sales_decide() {
    let with_sales = envelope(
        json!({ "sales": { "data": { XUR_VENDOR_HASH.to_string(): { "saleItems": character_sales() } } } }),
    );
    let got = digest(XurSource::PublicVendors, &with_sales);
    assert!(got.present);
    assert_eq!(got.refresh_date, None);
    assert_eq!(got.sales, expected().sales);
    let without =
        envelope(json!({ "sales": { "data": { OTHER_VENDOR.to_string(): { "saleItems": {} } } } }));
    assert_eq!(
        digest(XurSource::PublicVendors, &without),
        XurDigest::absent()
    );
    let vendor_only = envelope(json!({ "vendor": { "data": vendor_component() } }));
    let got = digest(XurSource::Vendor, &vendor_only);
    assert!(got.present && got.sales.is_empty());
}

#[test]
fn other_failures_are_errors() {
    let defs = definitions();
    let signed_out = XurDigest::from_answer(
        XurSource::Vendor,
        401,
        None,
        &error_envelope(99, "WebAuthRequired"),
        &defs,
    );
    assert_eq!(signed_out.map_err(|e| e.kind()), Err("signed_out"));
    let maintenance = XurDigest::from_answer(
        XurSource::PublicVendors,
        503,
        None,
        &error_envelope(5, "SystemDisabled"),
        &defs,
    );
    assert_eq!(maintenance.map_err(|e| e.kind()), Err("maintenance"));
    // 1627 only means "away" for the one-vendor request.
    let lists = XurDigest::from_answer(
        XurSource::CharacterVendors,
        500,
        None,
        &error_envelope(1627, "DestinyVendorNotFound"),
        &defs,
    );
    assert_eq!(lists.map_err(|e| e.code()), Err(Some(1627)));
    let page = b"<html><body>Bungie.net is down for maintenance</body></html>";
    let outage = XurDigest::from_answer(XurSource::Vendor, 503, Some("text/html"), page, &defs);
    assert_eq!(outage.map_err(|e| e.kind()), Err("not_json"));
    let wrong = envelope(json!({ "sales": { "data": { "2": { "itemHash": "not a number" } } } }));
    let unexpected = XurDigest::from_answer(XurSource::Vendor, 200, None, &wrong, &defs);
    assert_eq!(unexpected.map_err(|e| e.kind()), Err("unexpected"));
}

#[test]
fn without_definitions_sales_show_hashes() {
    let got = XurDigest::from_answer(
        XurSource::Vendor,
        200,
        None,
        &get_vendor_answer(),
        &Definitions::default(),
    )
    .expect("a digest");
    let sunshot = &got.sales[1];
    assert_eq!(sunshot.name, format!("Item {SUNSHOT}"));
    assert_eq!(
        (sunshot.tier, sunshot.class_type),
        (Tier::Unknown, ClassType::Any)
    );
    assert_eq!(
        (sunshot.type_name.as_str(), sunshot.icon.as_str()),
        ("", "")
    );
    assert_eq!(sunshot.costs[0].name, format!("Item {SHARDS}"));
    assert!(
        got.to_text()
            .contains(&format!("Item {SUNSHOT} (Any class): 29 Item {SHARDS}"))
    );
}

#[test]
fn names_from_definitions_are_escaped_in_html_and_plain_in_text() {
    let got = digest(XurSource::Vendor, &get_vendor_answer());
    let html = got.to_html();
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co ×2</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Legendary Sword &amp; Board</td>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>Exotic Helmet</td><td>Hunter</td><td>23 Legendary Shards, 1 Strange Coins</td>"
        ),
        "{html}"
    );
    let text = got.to_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + got.sales.len(), "{text}");
    assert_eq!(lines[0], "Xûr is here until 2024-06-18T17:00:00Z, selling:");
    assert_eq!(
        lines[1],
        "<script>alert('x')</script> & Co ×2 (Legendary Sword & Board, Any class): free"
    );
    assert_eq!(
        lines[2],
        "Sunshot (Exotic Hand Cannon, Any class): 29 Legendary Shards"
    );
}

/// The captured GetVendors answer of Thursday 2024-06-13, or `None` (after saying so) when
/// `../shared` is absent.
fn real_answer() -> Option<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/vendors-2024-06-13.json"
    );
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            eprintln!("skipped: ../shared/real-data/vendors-2024-06-13.json is absent");
            None
        }
    }
}

#[test]
fn the_real_answer_of_a_thursday_has_xur_away_with_his_old_sales_left_in() {
    let Some(bytes) = real_answer() else { return };
    let raw: Value = serde_json::from_slice(&bytes).expect("the fixture is JSON");
    let xur = XUR_VENDOR_HASH.to_string();
    let vendors = raw["Response"]["vendors"]["data"]
        .as_object()
        .expect("a vendors map");
    assert_eq!(vendors.len(), 150);
    assert!(
        !vendors.contains_key(&xur),
        "Xûr is not among the listed vendors"
    );
    let lingering = raw["Response"]["sales"]["data"][&xur]["saleItems"]
        .as_object()
        .expect("his old sales");
    assert_eq!(lingering.len(), 17);

    let got = XurDigest::from_answer(
        XurSource::CharacterVendors,
        200,
        Some("application/json"),
        &bytes,
        &Definitions::default(),
    )
    .expect("the real answer gives a digest");
    assert_eq!(got, XurDigest::absent());
}

#[test]
fn the_real_answer_with_xur_listed_gives_his_seventeen_sales() {
    let Some(bytes) = real_answer() else { return };
    let mut raw: Value = serde_json::from_slice(&bytes).expect("the fixture is JSON");
    let mut listing = raw["Response"]["vendors"]["data"]["537912098"].clone();
    listing["vendorHash"] = json!(XUR_VENDOR_HASH);
    listing["nextRefreshDate"] = json!("2024-06-18T17:00:00Z");
    raw["Response"]["vendors"]["data"][XUR_VENDOR_HASH.to_string()] = listing;
    let body = serde_json::to_vec(&raw).expect("serializes");

    let got = XurDigest::from_answer(
        XurSource::CharacterVendors,
        200,
        None,
        &body,
        &Definitions::default(),
    )
    .expect("a digest");
    assert!(got.present);
    assert_eq!(got.refresh_date.as_deref(), Some("2024-06-18T17:00:00Z"));
    let indexes: Vec<i32> = got.sales.iter().map(|s| s.vendor_item_index).collect();
    assert_eq!(
        indexes,
        [
            6, 36, 55, 88, 94, 128, 160, 161, 163, 166, 167, 168, 169, 170, 171, 177, 181
        ]
    );
    let first = &got.sales[0];
    assert_eq!((first.item_hash, first.quantity), (1_824_496_861, 1));
    assert_eq!(
        first.costs,
        [Cost {
            item_hash: COINS,
            name: format!("Item {COINS}"),
            quantity: 71
        }]
    );
    assert_eq!(got.sales[2].quantity, 3);
    assert!(got.sales[6].costs.is_empty());
    assert_eq!(got.to_text().lines().count(), 18);
}
