//! Every answer the simulator gives is checked against `../shared/bungie-api/openapi.json`.
//!
//! First the validator proves itself on real bungie.net answers (they pass, mutated copies fail);
//! then a walk sends one valid request to every endpoint the simulator serves and validates each
//! answer against its operation's response schema, plus error envelopes and the manifest tables.

mod openapi_schema;
mod openapi_walk;
mod support;

use courier_sim::{SimConfig, ThrottleMode, WorldSource};
use openapi_schema::{SKIP_MESSAGE, Spec, problems, read_json, real_data_dir};
use openapi_walk::dump::{Pick, WorldDump, instance_id, plain_equippable};
use openapi_walk::{
    Call, Credentials, Expect, check_call, check_content_tables, check_walk_against_spec,
    uncovered_but_served,
};
use serde_json::{Value, json};

/// The spec, or `None` (after saying so) when the shared folder is absent.
fn spec_or_skip() -> Option<Spec> {
    let spec = Spec::load();
    if spec.is_none() {
        println!("{SKIP_MESSAGE}");
    }
    spec
}

/// A real fixture as a whole envelope (the linked-profiles capture is only its `Response`).
fn real_envelope(file: &str) -> Value {
    let fixture = read_json(&real_data_dir().join(file));
    if fixture.get("ErrorCode").is_some() {
        fixture
    } else {
        json!({
            "Response": fixture,
            "ErrorCode": 1,
            "ThrottleSeconds": 0,
            "ErrorStatus": "Success",
            "Message": "Ok",
            "MessageData": {},
        })
    }
}

/// Puts `value` at the JSON pointer `at`, which must exist.
fn mutate(document: &Value, at: &str, value: Value) -> Value {
    let mut copy = document.clone();
    *copy
        .pointer_mut(at)
        .unwrap_or_else(|| panic!("the fixture has nothing at {at}")) = value;
    copy
}

#[test]
fn real_answers_pass_and_mutated_copies_fail() {
    let Some(spec) = spec_or_skip() else {
        return;
    };
    let cases = [
        (
            "profile-2021-05-28.json",
            "Destiny2.GetProfile",
            vec![
                // An instance id sent as a number instead of a string of digits.
                (
                    "/Response/characterEquipment/data/2305843009260802821/items/0/itemInstanceId",
                    json!(6917529368861287826_i64),
                ),
                // A stack size sent as a string.
                (
                    "/Response/profileInventory/data/items/0/quantity",
                    json!("999"),
                ),
            ],
        ),
        (
            "vendors-2024-06-13.json",
            "Destiny2.GetVendors",
            vec![
                (
                    "/Response/sales/data/537912098/saleItems/2/quantity",
                    json!("5"),
                ),
                (
                    "/Response/sales/data/537912098/saleItems/2/itemHash",
                    json!(-1),
                ),
            ],
        ),
        (
            "linkedaccounts-2022-10-23.json",
            "Destiny2.GetLinkedProfiles",
            vec![
                (
                    "/Response/profiles/0/membershipId",
                    json!(4611686018433092312_i64),
                ),
                ("/Response/profiles/0/membershipType", json!(77)),
            ],
        ),
    ];
    for (file, operation, mutations) in cases {
        let validator = spec.validator(&spec.response_schema(operation));
        let real = real_envelope(file);
        let found = problems(&validator, &real);
        assert!(
            found.is_empty(),
            "{file} should satisfy {operation}: {found:#?}"
        );
        for (at, bad) in mutations {
            let found = problems(&validator, &mutate(&real, at, bad.clone()));
            assert!(
                found
                    .iter()
                    .any(|problem| problem.starts_with(&format!("at {at:?}"))),
                "{file} with {bad} at {at} should fail {operation} there, but the problems were {found:#?}"
            );
        }
    }
}

/// Every request of the walk, valid for the simulator's own data, in the order to send them.
fn walk_calls(world: &WorldDump) -> Vec<Call> {
    let membership_type = world.membership_type();
    let profile = format!(
        "/Destiny2/{membership_type}/Profile/{}",
        world.destiny_membership_id()
    );
    let character = |index: usize| world.character_id(index);
    let action = |index: usize, fields: Value| -> Value {
        let mut body =
            json!({ "characterId": character(index), "membershipType": membership_type });
        if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(fields.clone());
        }
        body
    };
    let transfer = |pick: &Pick, to_vault: bool| {
        action(
            pick.character,
            json!({
                "itemReferenceHash": pick.item["hash"],
                "stackSize": pick.item["quantity"],
                "transferToVault": to_vault,
                "itemId": instance_id(&pick.item),
            }),
        )
    };

    let to_character = world
        .find("vault", |item, def, index| {
            item["instanceId"].is_i64()
                && def["nonTransferrable"] == false
                && world.bucket(&def["bucketTypeHash"])["category"] == 3
                && world.class_fits(def, index)
                && world.has_room(def, index)
        })
        .expect("a vault item that fits on a character");
    let equipped = world
        .find("character", |item, _, _| item["equipped"] == true)
        .expect("an equipped item");
    let pull = world
        .find("postmaster", |_, def, index| {
            def["doesPostmasterPullHaveSideEffects"] == false && world.has_room(def, index)
        })
        .expect("a postmaster item without side effects");
    let equip = world
        .find("character", |item, def, index| {
            index == 1 && plain_equippable(item, def) && world.class_fits(def, index)
        })
        .expect("an unequipped item the second character can equip");
    let first_of_many = world
        .find("character", |item, def, index| {
            index == 2 && plain_equippable(item, def) && world.class_fits(def, index)
        })
        .expect("an unequipped item the third character can equip");
    let second_of_many = world
        .find("character", |item, def, index| {
            index == 2
                && item["bucketHash"] != first_of_many.item["bucketHash"]
                && plain_equippable(item, def)
                && world.class_fits(def, index)
        })
        .expect("an unequipped item of another bucket the third character can equip");
    let lock = world
        .find("vault", |item, def, _| {
            item["instanceId"].is_i64() && def["lockable"] == true && item["locked"] == false
        })
        .expect("an unlocked vault item");
    let track = world
        .find("character", |item, def, _| {
            item["instanceId"].is_i64() && def["trackable"] == true && item["tracked"] == false
        })
        .expect("an untracked quest or bounty");
    let entity = |table: &str, hash: &Value| format!("/Destiny2/Manifest/{table}/{hash}/");
    let class_hash = world.world["definitions"]["classes"]
        .as_object()
        .and_then(|classes| classes.keys().next().cloned())
        .expect("a class definition");
    let item_def = world.def(&to_character.item);
    let c0 = character(0);
    let vendor_components = "components=400,401,402";
    let xur = 2190858386_u32;

    vec![
        Call::get(
            "User.GetMembershipDataForCurrentUser",
            "/User/GetMembershipsForCurrentUser/".into(),
            Expect::Success(&["destinyMemberships", "bungieNetUser"]),
        ),
        Call::get(
            "Destiny2.GetLinkedProfiles",
            format!("{profile}/LinkedProfiles/"),
            Expect::Success(&["profiles", "bnetMembership"]),
        ),
        Call::get(
            "Destiny2.GetProfile",
            format!("{profile}/?components=100,102,103,200,201,205,206,300"),
            Expect::Success(&[
                "profile",
                "profileInventory",
                "profileCurrencies",
                "characters",
                "characterInventories",
                "characterEquipment",
                "characterLoadouts",
                "itemComponents",
            ]),
        ),
        Call::get(
            "Destiny2.GetCharacter",
            format!("{profile}/Character/{c0}/?components=200,201,205,206,300"),
            Expect::Success(&[
                "character",
                "inventory",
                "equipment",
                "loadouts",
                "itemComponents",
            ]),
        ),
        Call::get(
            "Destiny2.GetItem",
            format!(
                "{profile}/Item/{}/?components=300,307",
                instance_id(&equipped.item)
            ),
            Expect::Success(&["characterId", "item", "instance"]),
        ),
        Call::get(
            "Destiny2.GetVendors",
            format!("{profile}/Character/{c0}/Vendors/?{vendor_components}"),
            Expect::Success(&["vendors", "categories", "sales"]),
        ),
        Call::get(
            "Destiny2.GetVendor",
            format!("{profile}/Character/{c0}/Vendors/{xur}/?{vendor_components}"),
            Expect::Success(&["vendor", "categories", "sales"]),
        ),
        Call::get(
            "Destiny2.GetPublicVendors",
            format!("/Destiny2/Vendors/?{vendor_components}"),
            Expect::Success(&["vendors", "categories", "sales"]),
        ),
        Call::get(
            "Destiny2.GetDestinyManifest",
            "/Destiny2/Manifest/".into(),
            Expect::Success(&["version", "jsonWorldComponentContentPaths"]),
        ),
        Call::get(
            "Destiny2.GetDestinyEntityDefinition",
            entity("DestinyInventoryItemDefinition", &to_character.item["hash"]),
            Expect::Entity("Destiny.Definitions.DestinyInventoryItemDefinition"),
        ),
        Call::get(
            "Destiny2.GetDestinyEntityDefinition",
            entity(
                "DestinyInventoryBucketDefinition",
                &item_def["bucketTypeHash"],
            ),
            Expect::Entity("Destiny.Definitions.DestinyInventoryBucketDefinition"),
        ),
        Call::get(
            "Destiny2.GetDestinyEntityDefinition",
            format!("/Destiny2/Manifest/DestinyClassDefinition/{class_hash}/"),
            Expect::Entity("Destiny.Definitions.DestinyClassDefinition"),
        ),
        Call::get(
            "Destiny2.GetDestinyEntityDefinition",
            entity("DestinyVendorDefinition", &json!(xur)),
            Expect::Entity("Destiny.Definitions.DestinyVendorDefinition"),
        ),
        // Error envelopes, before anything moves.
        Call::get(
            "User.GetMembershipDataForCurrentUser",
            "/User/GetMembershipsForCurrentUser/".into(),
            Expect::Error(2102),
        )
        .with(Credentials::NoApiKey),
        Call::get(
            "User.GetMembershipDataForCurrentUser",
            "/User/GetMembershipsForCurrentUser/".into(),
            Expect::Error(99),
        )
        .with(Credentials::NoCsrf),
        Call::get(
            "Destiny2.GetItem",
            format!("{profile}/Item/1/?components=300"),
            Expect::Error(1623),
        ),
        Call::get(
            "Destiny2.GetVendor",
            format!("{profile}/Character/{c0}/Vendors/1/?{vendor_components}"),
            Expect::Error(1627),
        ),
        Call::post(
            "Destiny2.TransferItem",
            "/Destiny2/Actions/Items/TransferItem/",
            action(
                0,
                json!({ "itemReferenceHash": to_character.item["hash"], "stackSize": 1, "transferToVault": false, "itemId": "1" }),
            ),
            Expect::Error(1623),
        ),
        Call::post(
            "Destiny2.TransferItem",
            "/Destiny2/Actions/Items/TransferItem/",
            transfer(&equipped, true),
            Expect::Error(1656),
        ),
        // The actions, each valid and each on items no earlier action touched.
        Call::post(
            "Destiny2.TransferItem",
            "/Destiny2/Actions/Items/TransferItem/",
            transfer(&to_character, false),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.TransferItem",
            "/Destiny2/Actions/Items/TransferItem/",
            transfer(&to_character, true),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.PullFromPostmaster",
            "/Destiny2/Actions/Items/PullFromPostmaster/",
            action(
                pull.character,
                json!({ "itemReferenceHash": pull.item["hash"], "stackSize": pull.item["quantity"], "itemId": instance_id(&pull.item) }),
            ),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.EquipItem",
            "/Destiny2/Actions/Items/EquipItem/",
            action(
                equip.character,
                json!({ "itemId": instance_id(&equip.item) }),
            ),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.EquipItems",
            "/Destiny2/Actions/Items/EquipItems/",
            action(
                first_of_many.character,
                json!({ "itemIds": [instance_id(&first_of_many.item), instance_id(&second_of_many.item)] }),
            ),
            Expect::Success(&["equipResults"]),
        ),
        Call::post(
            "Destiny2.SetItemLockState",
            "/Destiny2/Actions/Items/SetLockState/",
            action(
                lock.character,
                json!({ "state": true, "itemId": instance_id(&lock.item) }),
            ),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.SetQuestTrackedState",
            "/Destiny2/Actions/Items/SetTrackedState/",
            action(
                track.character,
                json!({ "state": true, "itemId": instance_id(&track.item) }),
            ),
            Expect::Success(&[]),
        ),
        Call::post(
            "Destiny2.EquipLoadout",
            "/Destiny2/Actions/Loadouts/EquipLoadout/",
            action(0, json!({ "loadoutIndex": 0 })),
            Expect::Success(&[]),
        ),
    ]
}

/// How many problems a failing walk shows.
const SHOWN: usize = 60;

#[tokio::test]
async fn every_endpoint_answers_in_the_shape_of_the_spec() {
    let Some(spec) = spec_or_skip() else {
        return;
    };
    let sim = support::sim().await;
    let session = support::session(&sim).await;
    let dump = support::state(&sim).await;
    let world = WorldDump {
        world: &dump["world"],
    };
    let calls = walk_calls(&world);
    check_walk_against_spec(&spec, &calls);

    let mut found = Vec::new();
    for call in &calls {
        found.extend(check_call(&spec, &sim, &session, call).await);
    }
    let (_, manifest) = support::get(&sim, &session, "/Platform/Destiny2/Manifest/").await;
    found.extend(check_content_tables(&spec, &sim, &manifest).await);
    let covered: Vec<&str> = calls.iter().map(|call| call.operation).collect();
    found.extend(uncovered_but_served(&spec, &sim, &session, &world, &covered).await);
    assert_no_problems(&found);
}

/// Fails with the first [`SHOWN`] problems, if there are any.
fn assert_no_problems(found: &[String]) {
    assert!(
        found.is_empty(),
        "{} problems with the simulator's answers (the first {SHOWN}):\n{}",
        found.len(),
        found[..found.len().min(SHOWN)].join("\n")
    );
}

#[tokio::test]
async fn an_imported_real_profile_answers_in_the_shape_of_the_spec() {
    let Some(spec) = spec_or_skip() else {
        return;
    };
    let real_profile = real_data_dir().join("profile-2021-05-28.json");
    let sim = support::sim_with(SimConfig {
        world: WorldSource::File(real_profile),
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await;
    let session = support::session(&sim).await;
    let dump = support::state(&sim).await;
    let world = WorldDump {
        world: &dump["world"],
    };
    let profile = format!(
        "/Destiny2/{}/Profile/{}",
        world.membership_type(),
        world.destiny_membership_id()
    );
    let mut calls = vec![Call::get(
        "Destiny2.GetProfile",
        format!("{profile}/?components=100,102,103,200,201,205,206,300"),
        Expect::Success(&[
            "profile",
            "profileInventory",
            "characters",
            "itemComponents",
        ]),
    )];
    calls.extend((0..world.characters()).map(|index| {
        Call::get(
            "Destiny2.GetCharacter",
            format!(
                "{profile}/Character/{}/?components=200,201,205,206,300",
                world.character_id(index)
            ),
            Expect::Success(&["character", "inventory", "equipment", "itemComponents"]),
        )
    }));
    check_walk_against_spec(&spec, &calls);
    let mut found = Vec::new();
    for call in &calls {
        found.extend(check_call(&spec, &sim, &session, call).await);
    }
    let (_, manifest) = support::get(&sim, &session, "/Platform/Destiny2/Manifest/").await;
    found.extend(check_content_tables(&spec, &sim, &manifest).await);
    assert_no_problems(&found);
}
