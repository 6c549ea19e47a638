//! The Platform API against the demo world: envelope, API key, auth, components, and every
//! game rule with its real error code.

mod support;

use std::time::Duration;

use courier_sim::world::{Item, Place, World, buckets, class_type};
use courier_sim::{FaultKind, Sim, SimConfig, ThrottleMode};
use serde_json::{Value, json};
use support::{Session, client, get, post, session, sim, sim_with};

const TRANSFER: &str = "/Platform/Destiny2/Actions/Items/TransferItem/";
const EQUIP: &str = "/Platform/Destiny2/Actions/Items/EquipItem/";

/// A copy of the world as it is now.
fn world(sim: &Sim) -> World {
    sim.state().lock().world.clone()
}

fn profile_path(world: &World, components: &str) -> String {
    format!(
        "/Platform/Destiny2/{}/Profile/{}/?components={components}",
        world.account.membership_type, world.account.destiny_membership_id
    )
}

fn code(envelope: &Value) -> i64 {
    envelope["ErrorCode"]
        .as_i64()
        .expect("every answer has an ErrorCode")
}

/// The first item matching a predicate.
fn find(world: &World, what: &str, pred: impl Fn(&World, &Item) -> bool) -> Item {
    world
        .items
        .iter()
        .find(|i| pred(world, i))
        .cloned()
        .unwrap_or_else(|| panic!("the demo world has {what}"))
}

fn def<'a>(world: &'a World, item: &Item) -> &'a courier_sim::world::ItemDef {
    world
        .definitions
        .items
        .get(&item.hash)
        .expect("every item has a definition")
}

fn transfer_body(
    world: &World,
    item: &Item,
    to_vault: bool,
    character: usize,
    amount: i32,
) -> Value {
    json!({
        "itemReferenceHash": item.hash,
        "stackSize": amount,
        "transferToVault": to_vault,
        "itemId": item.instance_id.unwrap_or(0).to_string(),
        "characterId": world.characters[character].id.to_string(),
        "membershipType": world.account.membership_type,
    })
}

fn item_body(world: &World, item: &Item, character: usize) -> Value {
    json!({
        "itemId": item.instance_id.expect("an instanced item").to_string(),
        "characterId": world.characters[character].id.to_string(),
        "membershipType": world.account.membership_type,
    })
}

async fn signed_in() -> (Sim, Session) {
    let sim = sim().await;
    let session = session(&sim).await;
    (sim, session)
}

fn place_of(sim: &Sim, instance_id: i64) -> Place {
    let world = world(sim);
    world.items[world
        .item_index(instance_id)
        .expect("the item still exists")]
    .place
}

#[tokio::test]
async fn api_key_is_required_and_checked() {
    let sim = sim().await;
    let url = format!("{}/Platform/Destiny2/Manifest/", sim.http_url());
    let missing: Value = client()
        .get(&url)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&missing), 2102);
    assert_eq!(missing["ErrorStatus"], "ApiKeyMissingFromRequest");
    let wrong = client()
        .get(&url)
        .header("x-api-key", "nope")
        .send()
        .await
        .expect("answer");
    assert_eq!(wrong.status().as_u16(), 401);
    assert_eq!(code(&wrong.json().await.expect("json")), 2101);
    let right: Value = client()
        .get(&url)
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&right), 1);
    assert_eq!(right["ErrorStatus"], "Success");
    assert!(right["MessageData"].is_object());
}

#[tokio::test]
async fn paths_need_their_trailing_slash() {
    let sim = sim().await;
    let answer = client()
        .get(format!("{}/Platform/Destiny2/Manifest", sim.http_url()))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status().as_u16(), 301);
    assert_eq!(answer.headers()["location"], "/Platform/Destiny2/Manifest/");
}

#[tokio::test]
async fn cookie_session_needs_csrf_equal_to_bungled() {
    let (sim, session) = signed_in().await;
    let url = format!(
        "{}/Platform/User/GetMembershipsForCurrentUser/",
        sim.http_url()
    );
    let mut headers = session.headers(sim.api_key());
    headers.remove("x-csrf");
    let no_csrf = client()
        .get(&url)
        .headers(headers.clone())
        .send()
        .await
        .expect("answer");
    assert_eq!(no_csrf.status().as_u16(), 401);
    assert_eq!(code(&no_csrf.json().await.expect("json")), 99);
    headers.insert("x-csrf", "123".parse().expect("header"));
    let wrong: Value = client()
        .get(&url)
        .headers(headers)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&wrong), 99);
    let anonymous: Value = client()
        .get(&url)
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&anonymous), 99);
    let (status, me) = get(
        &sim,
        &session,
        "/Platform/User/GetMembershipsForCurrentUser/",
    )
    .await;
    assert_eq!(status, 200);
    let world = world(&sim);
    assert_eq!(
        me["Response"]["destinyMemberships"][0]["membershipId"],
        world.account.destiny_membership_id.to_string()
    );
    assert_eq!(
        me["Response"]["bungieNetUser"]["membershipId"],
        world.account.bungie_membership_id.to_string()
    );
}

#[tokio::test]
async fn profile_answers_only_the_components_asked_for_by_number_or_name() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let (_, answer) = get(&sim, &session, &profile_path(&world, "100,Characters")).await;
    let response = &answer["Response"];
    assert!(response["profile"]["data"]["userInfo"].is_object());
    assert_eq!(
        response["characters"]["data"]
            .as_object()
            .expect("characters")
            .len(),
        3
    );
    assert!(response.get("profileInventory").is_none());
    assert!(response.get("characterEquipment").is_none());
    assert!(response["responseMintedTimestamp"].is_string());

    let (_, full) = get(
        &sim,
        &session,
        &profile_path(&world, "102,103,200,201,205,206,300"),
    )
    .await;
    let response = &full["Response"];
    let vault_and_account = response["profileInventory"]["data"]["items"]
        .as_array()
        .expect("items")
        .len();
    let expected = world
        .items
        .iter()
        .filter(|i| {
            matches!(i.place, Place::Vault)
                || (i.place == Place::Account && i.bucket_hash != buckets::CURRENCIES)
        })
        .count();
    assert_eq!(vault_and_account, expected);
    let first_character = world.characters[0].id.to_string();
    let equipment = response["characterEquipment"]["data"][&first_character]["items"]
        .as_array()
        .expect("equipment");
    assert!(
        equipment.iter().all(|i| i["itemInstanceId"].is_string()),
        "int64 ids are strings"
    );
    assert!(equipment.len() >= 8);
    assert!(response["characterLoadouts"]["data"][&first_character]["loadouts"].is_array());
    let instances = response["itemComponents"]["instances"]["data"]
        .as_object()
        .expect("instances");
    assert_eq!(
        instances.len(),
        world
            .items
            .iter()
            .filter(|i| i.instance_id.is_some())
            .count()
    );

    let (_, bad) = get(&sim, &session, &profile_path(&world, "Bogus")).await;
    assert_eq!(code(&bad), 7);
}

#[tokio::test]
async fn private_components_need_the_owner() {
    let sim = sim().await;
    let world = world(&sim);
    let answer: Value = client()
        .get(format!(
            "{}{}",
            sim.http_url(),
            profile_path(&world, "102,200")
        ))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&answer), 1);
    assert!(answer["Response"]["profileInventory"].get("data").is_none());
    assert_eq!(answer["Response"]["profileInventory"]["privacy"], 2);
    assert!(answer["Response"]["characters"]["data"].is_object());
}

#[tokio::test]
async fn unknown_account_and_character_are_refused() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let (_, wrong_account) = get(
        &sim,
        &session,
        "/Platform/Destiny2/2/Profile/4611686018400999999/?components=100",
    )
    .await;
    assert_eq!(code(&wrong_account), 1601);
    let path = format!(
        "/Platform/Destiny2/2/Profile/{}/Character/2305843009999999999/?components=200",
        world.account.destiny_membership_id
    );
    assert_eq!(code(&get(&sim, &session, &path).await.1), 1620);
    let path = format!(
        "/Platform/Destiny2/2/Profile/{}/Character/abc/?components=200",
        world.account.destiny_membership_id
    );
    assert_eq!(code(&get(&sim, &session, &path).await.1), 7);
}

#[tokio::test]
async fn character_and_item_reads() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let character = &world.characters[1];
    let path = format!(
        "/Platform/Destiny2/2/Profile/{}/Character/{}/?components=200,201,205",
        world.account.destiny_membership_id, character.id
    );
    let (_, answer) = get(&sim, &session, &path).await;
    assert_eq!(
        answer["Response"]["character"]["data"]["classType"],
        character.class_type
    );
    assert!(answer["Response"]["equipment"]["data"]["items"].is_array());
    assert!(answer["Response"].get("itemComponents").is_none());

    let item = find(&world, "an instanced vault item", |_, i| {
        i.place == Place::Vault && i.instance_id.is_some()
    });
    let id = item.instance_id.expect("instanced");
    let path = format!(
        "/Platform/Destiny2/2/Profile/{}/Item/{id}/?components=300,307",
        world.account.destiny_membership_id
    );
    let (_, answer) = get(&sim, &session, &path).await;
    assert_eq!(
        answer["Response"]["item"]["data"]["itemInstanceId"],
        id.to_string()
    );
    assert_eq!(answer["Response"]["item"]["data"]["location"], 2);
    assert!(answer["Response"]["instance"]["data"].is_object());
    let path = format!(
        "/Platform/Destiny2/2/Profile/{}/Item/1/?components=300",
        world.account.destiny_membership_id
    );
    assert_eq!(code(&get(&sim, &session, &path).await.1), 1623);
}

#[tokio::test]
async fn moves_go_through_the_vault_and_back() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let hunter = world
        .characters
        .iter()
        .position(|c| c.class_type == class_type::HUNTER)
        .expect("a hunter");
    let warlock = world
        .characters
        .iter()
        .position(|c| c.class_type == class_type::WARLOCK)
        .expect("a warlock");
    let weapon = find(&world, "an unequipped hunter weapon", |w, i| {
        i.place == Place::Character(hunter)
            && !i.equipped
            && def(w, i).item_type == 3
            && w.slots_used(Place::Character(warlock), i.bucket_hash) < 10
    });
    let id = weapon.instance_id.expect("instanced");

    // Vault to a character needs the item in the vault: it is not, so 1623.
    let (_, direct) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &weapon, false, warlock, 1),
    )
    .await;
    assert_eq!(code(&direct), 1623);
    assert_eq!(place_of(&sim, id), Place::Character(hunter));

    let (_, to_vault) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &weapon, true, hunter, 1),
    )
    .await;
    assert_eq!(code(&to_vault), 1, "{to_vault}");
    assert_eq!(to_vault["Response"], 0);
    assert_eq!(place_of(&sim, id), Place::Vault);
    let (_, to_warlock) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &weapon, false, warlock, 1),
    )
    .await;
    assert_eq!(code(&to_warlock), 1, "{to_warlock}");
    assert_eq!(place_of(&sim, id), Place::Character(warlock));
    assert_eq!(
        world_item(&sim, id).bucket_hash,
        def(&world, &weapon).bucket_type_hash
    );
}

fn world_item(sim: &Sim, id: i64) -> Item {
    let world = world(sim);
    world.items[world.item_index(id).expect("exists")].clone()
}

#[tokio::test]
async fn equipped_items_cannot_move() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let equipped = find(&world, "an equipped weapon", |w, i| {
        i.equipped && def(w, i).item_type == 3
    });
    let Place::Character(holder) = equipped.place else {
        panic!("equipped items are on a character")
    };
    let (status, answer) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &equipped, true, holder, 1),
    )
    .await;
    assert_eq!(code(&answer), 1656);
    assert_eq!(
        answer["ErrorStatus"],
        "DestinyCannotPerformActionOnEquippedItem"
    );
    assert_eq!(status, 500);
    assert!(
        answer["Message"]
            .as_str()
            .expect("message")
            .contains("equip another")
    );
}

#[tokio::test]
async fn full_buckets_refuse_with_no_room() {
    let (sim, session) = signed_in().await;
    let mut world = world(&sim);
    // Fill the Titan's kinetic bucket to its capacity of 10 by moving vault kinetics there.
    let titan = world
        .characters
        .iter()
        .position(|c| c.class_type == class_type::TITAN)
        .expect("a titan");
    let capacity = world.capacity(buckets::KINETIC);
    assert_eq!(capacity, 10);
    let vault_kinetics: Vec<Item> = world
        .items
        .iter()
        .filter(|i| {
            i.place == Place::Vault
                && world
                    .definitions
                    .items
                    .get(&i.hash)
                    .is_some_and(|d| d.bucket_type_hash == buckets::KINETIC)
        })
        .cloned()
        .collect();
    let free = capacity - world.slots_used(Place::Character(titan), buckets::KINETIC);
    assert!(
        vault_kinetics.len() > free,
        "the vault has enough kinetic weapons to overfill"
    );
    for item in &vault_kinetics[..free] {
        let (_, answer) = post(
            &sim,
            &session,
            TRANSFER,
            transfer_body(&world, item, false, titan, 1),
        )
        .await;
        assert_eq!(code(&answer), 1, "{answer}");
    }
    let (_, full) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &vault_kinetics[free], false, titan, 1),
    )
    .await;
    assert_eq!(code(&full), 1642);
    assert_eq!(full["ErrorStatus"], "DestinyNoRoomInDestination");
    world = self::world(&sim);
    assert_eq!(
        world.slots_used(Place::Character(titan), buckets::KINETIC),
        10
    );
    assert_eq!(
        world
            .items_at(Place::Vault)
            .filter(|i| i.instance_id == vault_kinetics[free].instance_id)
            .count(),
        1
    );
}

#[tokio::test]
async fn full_vault_refuses_with_no_room() {
    let (sim, session) = signed_in().await;
    let world = {
        let mut locked = sim.state().lock();
        // Shrink the vault to what it holds now.
        let used = locked.world.slots_used(Place::Vault, buckets::VAULT) as i32;
        locked
            .world
            .definitions
            .buckets
            .get_mut(&buckets::VAULT)
            .expect("vault bucket")
            .item_count = used;
        locked.world.clone()
    };
    let item = find(&world, "an unequipped transferable weapon", |w, i| {
        matches!(i.place, Place::Character(_))
            && !i.equipped
            && def(w, i).item_type == 3
            && !def(w, i).non_transferrable
    });
    let Place::Character(holder) = item.place else {
        unreachable!()
    };
    let (_, answer) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &item, true, holder, 1),
    )
    .await;
    assert_eq!(code(&answer), 1642);
}

#[tokio::test]
async fn class_armor_stays_with_its_class() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let armor = find(&world, "titan armor in the vault", |w, i| {
        i.place == Place::Vault
            && def(w, i).item_type == 2
            && def(w, i).class_type == class_type::TITAN
    });
    let hunter = world
        .characters
        .iter()
        .position(|c| c.class_type == class_type::HUNTER)
        .expect("a hunter");
    let (_, answer) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &armor, false, hunter, 1),
    )
    .await;
    assert_eq!(code(&answer), 1663);
    // On the wrong class it cannot be equipped either: put one there behind the game's back.
    let id = armor.instance_id.expect("instanced");
    {
        let mut locked = sim.state().lock();
        let index = locked.world.item_index(id).expect("exists");
        locked.world.items[index].place = Place::Character(hunter);
        locked.world.items[index].bucket_hash = def(&world, &armor).bucket_type_hash;
    }
    let (_, equip) = post(&sim, &session, EQUIP, item_body(&world, &armor, hunter)).await;
    assert_eq!(code(&equip), 1640);
}

#[tokio::test]
async fn exotics_are_unique_by_label() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let (character, equipped_exotic) = world
        .items
        .iter()
        .find_map(|i| match i.place {
            Place::Character(c)
                if i.equipped
                    && def(&world, i).unique_label.as_deref() == Some("exotic_weapon") =>
            {
                Some((c, i.clone()))
            }
            _ => None,
        })
        .expect("some character has an exotic weapon equipped");
    let other = find(
        &world,
        "another exotic weapon in another bucket, on that character or in the vault",
        |w, i| {
            (i.place == Place::Character(character) || i.place == Place::Vault)
                && !i.equipped
                && def(w, i).unique_label.as_deref() == Some("exotic_weapon")
                && def(w, i).bucket_type_hash != equipped_exotic.bucket_hash
        },
    );
    if other.place == Place::Vault {
        let body = transfer_body(&world, &other, false, character, 1);
        let (_, moved) = post(&sim, &session, TRANSFER, body).await;
        assert_eq!(code(&moved), 1, "{moved}");
    }
    let (_, refused) = post(&sim, &session, EQUIP, item_body(&world, &other, character)).await;
    assert_eq!(code(&refused), 1641);
    assert!(!world_item(&sim, other.instance_id.expect("id")).equipped);
    // Equipping a legendary over the exotic first makes room.
    let legendary = find(
        &world,
        "a non-exotic weapon in the exotic's bucket",
        |w, i| {
            i.place == Place::Character(character)
                && !i.equipped
                && i.bucket_hash == equipped_exotic.bucket_hash
                && def(w, i).unique_label.is_none()
        },
    );
    assert_eq!(
        code(
            &post(
                &sim,
                &session,
                EQUIP,
                item_body(&world, &legendary, character)
            )
            .await
            .1
        ),
        1
    );
    assert_eq!(
        code(
            &post(&sim, &session, EQUIP, item_body(&world, &other, character))
                .await
                .1
        ),
        1
    );
    let after = self::world(&sim);
    let equipped_in_bucket: Vec<_> = after
        .items_at(Place::Character(character))
        .filter(|i| i.equipped && i.bucket_hash == def(&world, &other).bucket_type_hash)
        .collect();
    assert_eq!(equipped_in_bucket.len(), 1, "one equipped item per bucket");
    assert_eq!(equipped_in_bucket[0].instance_id, other.instance_id);
}

#[tokio::test]
async fn equipping_needs_the_item_on_the_character_and_no_activity() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let vault_weapon = find(&world, "a vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).item_type == 3
    });
    assert_eq!(
        code(
            &post(&sim, &session, EQUIP, item_body(&world, &vault_weapon, 0))
                .await
                .1
        ),
        1623
    );

    let spare = find(&world, "an unequipped weapon", |w, i| {
        matches!(i.place, Place::Character(_))
            && !i.equipped
            && def(w, i).item_type == 3
            && def(w, i).unique_label.is_none()
    });
    let Place::Character(holder) = spare.place else {
        unreachable!()
    };
    let control = client()
        .post(format!("{}/__sim/activity", sim.http_url()))
        .json(
            &json!({ "characterId": world.characters[holder].id.to_string(), "inActivity": true }),
        )
        .send()
        .await
        .expect("control");
    assert_eq!(control.status().as_u16(), 204);
    let (_, refused) = post(&sim, &session, EQUIP, item_body(&world, &spare, holder)).await;
    assert_eq!(code(&refused), 1671);
    assert!(
        refused["Message"]
            .as_str()
            .expect("message")
            .contains("orbit")
    );
    // Transfers still work in an activity.
    assert_eq!(
        code(
            &post(
                &sim,
                &session,
                TRANSFER,
                transfer_body(&world, &spare, true, holder, 1)
            )
            .await
            .1
        ),
        1
    );
}

#[tokio::test]
async fn equip_items_answers_per_item() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let character = 0;
    let spare = find(&world, "an unequipped legendary weapon", |w, i| {
        i.place == Place::Character(character)
            && !i.equipped
            && def(w, i).item_type == 3
            && def(w, i).unique_label.is_none()
    });
    let vault_item = find(&world, "a vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).item_type == 3
    });
    let body = json!({
        "itemIds": [spare.instance_id.expect("id").to_string(), vault_item.instance_id.expect("id").to_string()],
        "characterId": world.characters[character].id.to_string(),
        "membershipType": 2,
    });
    let (_, answer) = post(
        &sim,
        &session,
        "/Platform/Destiny2/Actions/Items/EquipItems/",
        body,
    )
    .await;
    assert_eq!(code(&answer), 1);
    let results = answer["Response"]["equipResults"]
        .as_array()
        .expect("results");
    assert_eq!(
        results[0]["itemInstanceId"],
        spare.instance_id.expect("id").to_string()
    );
    assert_eq!(results[0]["equipStatus"], 1);
    assert_eq!(results[1]["equipStatus"], 1623);
    assert!(world_item(&sim, spare.instance_id.expect("id")).equipped);
}

#[tokio::test]
async fn postmaster_pulls_and_side_effects() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let pull = "/Platform/Destiny2/Actions/Items/PullFromPostmaster/";
    let body = |item: &Item, character: usize| {
        json!({
            "itemReferenceHash": item.hash,
            "stackSize": item.quantity,
            "itemId": item.instance_id.unwrap_or(0).to_string(),
            "characterId": world.characters[character].id.to_string(),
            "membershipType": 2,
        })
    };
    let side_effect = find(&world, "a postmaster item with side effects", |w, i| {
        matches!(i.place, Place::Postmaster(_)) && def(w, i).does_postmaster_pull_have_side_effects
    });
    let Place::Postmaster(holder) = side_effect.place else {
        unreachable!()
    };
    let (_, refused) = post(&sim, &session, pull, body(&side_effect, holder)).await;
    assert_eq!(code(&refused), 1673);

    let plain = find(&world, "a plain postmaster item", |w, i| {
        matches!(i.place, Place::Postmaster(_)) && !def(w, i).does_postmaster_pull_have_side_effects
    });
    let Place::Postmaster(holder) = plain.place else {
        unreachable!()
    };
    let other = (holder + 1) % 3;
    assert_eq!(
        code(&post(&sim, &session, pull, body(&plain, other)).await.1),
        1623,
        "only from the holder's postmaster"
    );
    let (_, pulled) = post(&sim, &session, pull, body(&plain, holder)).await;
    assert_eq!(code(&pulled), 1, "{pulled}");
    let after = self::world(&sim);
    let postmaster_before = world.items_at(Place::Postmaster(holder)).count();
    assert_eq!(
        after.items_at(Place::Postmaster(holder)).count(),
        postmaster_before - 1
    );
}

#[tokio::test]
async fn stacks_split_and_merge() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let stack = find(
        &world,
        "an account consumable stack of at least 2",
        |w, i| {
            i.place == Place::Account
                && i.instance_id.is_none()
                && i.quantity >= 2
                && !def(w, i).non_transferrable
                && i.bucket_hash != buckets::CURRENCIES
        },
    );
    let half = stack.quantity / 2;
    let (_, answer) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &stack, true, 0, half),
    )
    .await;
    assert_eq!(code(&answer), 1, "{answer}");
    let after = self::world(&sim);
    let in_account: i32 = after
        .items_at(Place::Account)
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    let in_vault_before: i32 = world
        .items_at(Place::Vault)
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    let in_vault: i32 = after
        .items_at(Place::Vault)
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    assert_eq!(in_vault - in_vault_before, half);
    let in_account_before: i32 = world
        .items_at(Place::Account)
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    assert_eq!(in_account, in_account_before - half);
    // More than the stack holds is refused.
    let (_, too_many) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &stack, true, 0, stack.quantity * 10),
    )
    .await;
    assert_eq!(code(&too_many), 1622);
    // Back from the vault merges into the account stack.
    let mut vault_stack = after
        .items_at(Place::Vault)
        .find(|i| i.hash == stack.hash)
        .cloned()
        .expect("a vault stack");
    vault_stack.quantity = half;
    let (_, back) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &vault_stack, false, 0, half),
    )
    .await;
    assert_eq!(code(&back), 1, "{back}");
    let total: i32 = self::world(&sim)
        .items
        .iter()
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    let total_before: i32 = world
        .items
        .iter()
        .filter(|i| i.hash == stack.hash)
        .map(|i| i.quantity)
        .sum();
    assert_eq!(total, total_before, "nothing is lost or made");
}

#[tokio::test]
async fn non_transferrable_items_stay() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let stuck = find(&world, "a non-transferrable item on a character", |w, i| {
        matches!(i.place, Place::Character(_) | Place::Account)
            && !i.equipped
            && def(w, i).non_transferrable
    });
    let holder = match stuck.place {
        Place::Character(c) => c,
        _ => 0,
    };
    let (_, answer) = post(
        &sim,
        &session,
        TRANSFER,
        transfer_body(&world, &stuck, true, holder, stuck.quantity),
    )
    .await;
    assert_eq!(code(&answer), 1660);
}

#[tokio::test]
async fn only_lockable_items_lock_and_only_quests_track() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let lock = "/Platform/Destiny2/Actions/Items/SetLockState/";
    let body = |item: &Item, state: bool| json!({ "state": state, "itemId": item.instance_id.unwrap_or(0).to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });
    let gear = find(&world, "an unlocked vault weapon", |w, i| {
        i.place == Place::Vault && !i.locked && def(w, i).lockable
    });
    assert_eq!(
        code(&post(&sim, &session, lock, body(&gear, true)).await.1),
        1
    );
    assert!(world_item(&sim, gear.instance_id.expect("id")).locked);
    assert_eq!(
        code(&post(&sim, &session, lock, body(&gear, false)).await.1),
        1
    );
    assert!(!world_item(&sim, gear.instance_id.expect("id")).locked);
    if let Some(unlockable) = world
        .items
        .iter()
        .find(|i| i.instance_id.is_some() && !def(&world, i).lockable)
    {
        assert_eq!(
            code(&post(&sim, &session, lock, body(unlockable, true)).await.1),
            1663
        );
    }
    let track = "/Platform/Destiny2/Actions/Items/SetTrackedState/";
    assert_eq!(
        code(&post(&sim, &session, track, body(&gear, true)).await.1),
        1663
    );
    if let Some(quest) = world
        .items
        .iter()
        .find(|i| i.instance_id.is_some() && def(&world, i).trackable)
    {
        assert_eq!(
            code(&post(&sim, &session, track, body(quest, true)).await.1),
            1
        );
    }
}

#[tokio::test]
async fn loadouts_equip_all_or_nothing() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let character = world
        .characters
        .iter()
        .position(|c| !c.loadouts.is_empty())
        .expect("a character with a loadout");
    let body = |index: i32| json!({ "loadoutIndex": index, "characterId": world.characters[character].id.to_string(), "membershipType": 2 });
    let path = "/Platform/Destiny2/Actions/Loadouts/EquipLoadout/";
    assert_eq!(code(&post(&sim, &session, path, body(0)).await.1), 1);
    let after = self::world(&sim);
    for id in &world.characters[character].loadouts[0].item_ids {
        assert!(after.items[after.item_index(*id).expect("exists")].equipped);
    }
    assert_eq!(code(&post(&sim, &session, path, body(99)).await.1), 1622);
}

#[tokio::test]
async fn bad_bodies_are_parameter_errors() {
    let (sim, session) = signed_in().await;
    let (status, answer) = post(&sim, &session, TRANSFER, json!({ "itemId": "x" })).await;
    assert_eq!(status, 400);
    assert_eq!(code(&answer), 7);
    let (_, unknown) = post(&sim, &session, TRANSFER, json!({ "itemReferenceHash": 1, "stackSize": 1, "transferToVault": true, "itemId": "1", "characterId": "1", "membershipType": 2 })).await;
    assert_eq!(code(&unknown), 1620);
}

#[tokio::test]
async fn strict_throttle_spaces_actions_per_endpoint() {
    let sim = sim_with(SimConfig {
        throttle: ThrottleMode::Strict,
        ..SimConfig::default()
    })
    .await;
    let session = session(&sim).await;
    let world = world(&sim);
    let lock = "/Platform/Destiny2/Actions/Items/SetLockState/";
    let gear = find(&world, "a lockable vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).lockable
    });
    let body = |state: bool| json!({ "state": state, "itemId": gear.instance_id.expect("id").to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });
    assert_eq!(code(&post(&sim, &session, lock, body(true)).await.1), 1);
    let (status, throttled) = post(&sim, &session, lock, body(false)).await;
    assert_eq!(code(&throttled), 36, "a second call at once is too soon");
    assert_eq!(status, 429);
    assert!(throttled["ThrottleSeconds"].as_i64().expect("seconds") >= 1);
    assert!(
        world_item(&sim, gear.instance_id.expect("id")).locked,
        "the throttled call changed nothing"
    );
    // Waiting out the penalty (simulated time) lets it through.
    sim.state().clock.advance(Duration::from_secs(11));
    assert_eq!(code(&post(&sim, &session, lock, body(false)).await.1), 1);
    // Spaced calls pass.
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(code(&post(&sim, &session, lock, body(true)).await.1), 1);
}

#[tokio::test]
async fn one_action_in_flight_per_account() {
    let sim = sim_with(SimConfig {
        throttle: ThrottleMode::Strict,
        latency: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let session = session(&sim).await;
    let world = world(&sim);
    let items: Vec<Item> = world
        .items
        .iter()
        .filter(|i| i.place == Place::Vault && def(&world, i).lockable)
        .take(2)
        .cloned()
        .collect();
    let body = |item: &Item| json!({ "state": true, "itemId": item.instance_id.expect("id").to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });
    let lock = "/Platform/Destiny2/Actions/Items/SetLockState/";
    let equip_many = "/Platform/Destiny2/Actions/Items/EquipItems/";
    let first = post(&sim, &session, lock, body(&items[0]));
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        post(&sim, &session, equip_many, json!({ "itemIds": [], "characterId": world.characters[0].id.to_string(), "membershipType": 2 })).await
    };
    let ((_, a), (_, b)) = tokio::join!(first, second);
    assert_eq!(code(&a), 1);
    assert_eq!(
        code(&b),
        36,
        "another action of the account was still in flight"
    );
}

#[tokio::test]
async fn latency_delays_answers() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(150),
        ..SimConfig::default()
    })
    .await;
    let started = std::time::Instant::now();
    client()
        .get(format!("{}/Platform/Destiny2/Manifest/", sim.http_url()))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(150), "{elapsed:?}");
    // Not a timing assertion on the machine's speed: a wait rounded to a later millisecond
    // tick, or added after the answer's own work, would still pass; this catches a latency
    // applied twice.
    assert!(elapsed < Duration::from_millis(300), "{elapsed:?}");
}

async fn queue_fault(sim: &Sim, kind: &str, path: &str) {
    let answer = client()
        .post(format!("{}/__sim/faults", sim.http_url()))
        .json(&json!({ "kind": kind, "count": 1, "pathContains": path }))
        .send()
        .await
        .expect("control");
    assert_eq!(answer.status().as_u16(), 204);
}

#[tokio::test]
async fn each_fault_kind_answers_as_bungie_net_does() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let gear = find(&world, "a lockable vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).lockable && !i.locked
    });
    let id = gear.instance_id.expect("id");
    let lock = "/Platform/Destiny2/Actions/Items/SetLockState/";
    let body = json!({ "state": true, "itemId": id.to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });

    for (kind, expected_code, expected_status) in [
        ("throttle", 36, 429),
        ("game_server_throttle", 1672, 503),
        ("server_error", 3, 500),
    ] {
        queue_fault(&sim, kind, "SetLockState").await;
        let (status, answer) = post(&sim, &session, lock, body.clone()).await;
        assert_eq!(
            (code(&answer), status),
            (expected_code, expected_status),
            "{kind}"
        );
        assert!(!world_item(&sim, id).locked, "{kind} changes nothing");
    }

    queue_fault(&sim, "html", "SetLockState").await;
    let answer = client()
        .post(format!("{}{lock}", sim.http_url()))
        .headers(session.headers(sim.api_key()))
        .json(&body)
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.status().as_u16(), 503);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/html")
    );
    assert!(answer.text().await.expect("body").contains("<html>"));

    queue_fault(&sim, "drop", "SetLockState").await;
    let dropped = client()
        .post(format!("{}{lock}", sim.http_url()))
        .headers(session.headers(sim.api_key()))
        .json(&body)
        .send()
        .await;
    assert!(dropped.is_err(), "the connection closes without an answer");
    assert!(
        world_item(&sim, id).locked,
        "a dropped answer's action still took effect"
    );

    // Stale: the profile shows the account before the latest change, with its older timestamp.
    let path = profile_path(&world, "102");
    let (_, fresh) = get(&sim, &session, &path).await;
    queue_fault(&sim, "stale", "/Profile/").await;
    let (_, stale) = get(&sim, &session, &path).await;
    let locked_in = |answer: &Value| {
        answer["Response"]["profileInventory"]["data"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["itemInstanceId"].as_str() == Some(id.to_string().as_str()))
            .map(|i| i["state"].as_i64().expect("state") & 1 == 1)
            .expect("the item is in the vault")
    };
    assert!(locked_in(&fresh));
    assert!(!locked_in(&stale));
    assert!(
        stale["Response"]["responseMintedTimestamp"].as_str()
            < fresh["Response"]["responseMintedTimestamp"].as_str()
    );

    let log = support::log(&sim).await;
    let faults: Vec<&str> = log.iter().filter_map(|e| e["fault"].as_str()).collect();
    assert_eq!(
        faults,
        [
            "throttle",
            "game_server_throttle",
            "server_error",
            "html",
            "drop",
            "stale"
        ]
    );
    let dropped_entry = log.iter().find(|e| e["fault"] == "drop").expect("logged");
    assert_eq!(dropped_entry["status"], 0);
}

#[tokio::test]
async fn random_faults_follow_the_spec() {
    let config = SimConfig {
        throttle: ThrottleMode::Off,
        faults: "server_error=0.5".parse().expect("spec"),
        seed: 3,
        ..SimConfig::default()
    };
    let sim = sim_with(config).await;
    let mut errors = 0;
    for _ in 0..40 {
        let answer: Value = client()
            .get(format!("{}/Platform/Destiny2/Manifest/", sim.http_url()))
            .header("x-api-key", sim.api_key())
            .send()
            .await
            .expect("answer")
            .json()
            .await
            .expect("json");
        if code(&answer) == 3 {
            errors += 1;
        }
    }
    assert!((8..=32).contains(&errors), "{errors} of 40 at rate 0.5");
    let logged = support::log(&sim)
        .await
        .iter()
        .filter(|e| e["fault"] == FaultKind::ServerError.name())
        .count();
    assert_eq!(logged, errors);
}

#[tokio::test]
async fn xur_comes_and_goes() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let base = format!(
        "/Platform/Destiny2/2/Profile/{}/Character/{}",
        world.account.destiny_membership_id, world.characters[0].id
    );
    let (_, vendors) = get(
        &sim,
        &session,
        &format!("{base}/Vendors/?components=400,402"),
    )
    .await;
    assert!(vendors["Response"]["vendors"]["data"]["2190858386"].is_object());
    let sales = vendors["Response"]["sales"]["data"]["2190858386"]["saleItems"]
        .as_object()
        .expect("sales");
    assert_eq!(sales.len(), world.xur.sales.len());
    assert!(
        sales
            .values()
            .all(|s| s["costs"].as_array().is_some_and(|c| !c.is_empty()))
    );
    let (_, xur) = get(
        &sim,
        &session,
        &format!("{base}/Vendors/2190858386/?components=400,401,402"),
    )
    .await;
    assert_eq!(code(&xur), 1);
    assert_eq!(
        xur["Response"]["vendor"]["data"]["vendorHash"],
        2190858386_u32
    );
    let public: Value = client()
        .get(format!(
            "{}/Platform/Destiny2/Vendors/?components=400,401,402",
            sim.http_url()
        ))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert!(public["Response"]["sales"]["data"]["2190858386"]["saleItems"].is_object());

    client()
        .post(format!("{}/__sim/xur", sim.http_url()))
        .json(&json!({ "present": false }))
        .send()
        .await
        .expect("control");
    let (_, gone) = get(
        &sim,
        &session,
        &format!("{base}/Vendors/2190858386/?components=400"),
    )
    .await;
    assert_eq!(code(&gone), 1627);
    let (_, vendors) = get(&sim, &session, &format!("{base}/Vendors/?components=400")).await;
    assert!(
        vendors["Response"]["vendors"]["data"]
            .as_object()
            .expect("map")
            .is_empty()
    );
}

#[tokio::test]
async fn manifest_points_at_served_tables_and_icons() {
    let sim = sim().await;
    let manifest: Value = client()
        .get(format!("{}/Platform/Destiny2/Manifest/", sim.http_url()))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    let paths = &manifest["Response"]["jsonWorldComponentContentPaths"]["en"];
    let world = world(&sim);
    for table in [
        "DestinyInventoryItemDefinition",
        "DestinyInventoryBucketDefinition",
        "DestinyClassDefinition",
        "DestinyVendorDefinition",
    ] {
        let path = paths[table].as_str().expect("a content path");
        let content: Value = client()
            .get(format!("{}{path}", sim.http_url()))
            .send()
            .await
            .expect("answer")
            .json()
            .await
            .expect("json");
        assert!(!content.as_object().expect("a table").is_empty(), "{table}");
    }
    let items: Value = client()
        .get(format!(
            "{}{}",
            sim.http_url(),
            paths["DestinyInventoryItemDefinition"]
                .as_str()
                .expect("path")
        ))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(
        items.as_object().expect("table").len(),
        world.definitions.items.len()
    );
    let (hash, def) = world.definitions.items.iter().next().expect("a definition");
    let entity = &items[hash.to_string()];
    assert_eq!(entity["displayProperties"]["name"], def.name);
    assert_eq!(entity["inventory"]["bucketTypeHash"], def.bucket_type_hash);
    assert_eq!(entity["inventory"]["tierType"], def.tier_type);
    let vault = &client()
        .get(format!(
            "{}{}",
            sim.http_url(),
            paths["DestinyInventoryBucketDefinition"]
                .as_str()
                .expect("path")
        ))
        .send()
        .await
        .expect("answer")
        .json::<Value>()
        .await
        .expect("json")[buckets::VAULT.to_string()];
    assert_eq!(vault["itemCount"], 700);

    let single: Value = client()
        .get(format!(
            "{}/Platform/Destiny2/Manifest/DestinyInventoryItemDefinition/{hash}/",
            sim.http_url()
        ))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(single["Response"]["hash"], *hash);
    let missing: Value = client()
        .get(format!(
            "{}/Platform/Destiny2/Manifest/DestinyInventoryItemDefinition/1/",
            sim.http_url()
        ))
        .header("x-api-key", sim.api_key())
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(code(&missing), 1623);

    let icon = client()
        .get(format!("{}{}", sim.http_url(), def.icon))
        .send()
        .await
        .expect("answer");
    assert_eq!(icon.headers()["content-type"], "image/png");
    assert!(icon.bytes().await.expect("bytes").starts_with(b"\x89PNG"));
}

#[tokio::test]
async fn control_api_resets_and_logs() {
    let (sim, session) = signed_in().await;
    let world = world(&sim);
    let gear = find(&world, "a lockable vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).lockable && !i.locked
    });
    let body = json!({ "state": true, "itemId": gear.instance_id.expect("id").to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });
    post(
        &sim,
        &session,
        "/Platform/Destiny2/Actions/Items/SetLockState/",
        body,
    )
    .await;
    let log = support::log(&sim).await;
    let entry = log
        .iter()
        .find(|e| e["path"] == "/Platform/Destiny2/Actions/Items/SetLockState/")
        .expect("logged");
    assert_eq!(entry["method"], "POST");
    assert_eq!(entry["auth"], "cookie");
    assert_eq!(entry["csrf"], session.bungled);
    assert_eq!(entry["bungled"], session.bungled);
    assert_eq!(entry["errorCode"], 1);
    assert_eq!(
        entry["body"]["itemId"],
        gear.instance_id.expect("id").to_string()
    );
    let dump = support::state(&sim).await;
    assert!(
        dump["world"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["instanceId"] == json!(gear.instance_id) && i["locked"] == true)
    );

    let reset = client()
        .post(format!("{}/__sim/reset", sim.http_url()))
        .send()
        .await
        .expect("control");
    assert_eq!(reset.status().as_u16(), 204);
    assert!(!world_item(&sim, gear.instance_id.expect("id")).locked);
    assert!(support::log(&sim).await.is_empty());
    let (_, signed_out) = get(
        &sim,
        &session,
        "/Platform/User/GetMembershipsForCurrentUser/",
    )
    .await;
    assert_eq!(
        code(&signed_out),
        99,
        "reset ends sessions unless asked to keep them"
    );
}

#[tokio::test]
async fn the_postmaster_is_first_in_first_out() {
    let sim = sim().await;
    let world = world(&sim);
    let character = &world.characters[2];
    let hash = world
        .definitions
        .items
        .values()
        .find(|d| d.instanced && d.item_type == 3 && !d.does_postmaster_pull_have_side_effects)
        .expect("a weapon definition")
        .hash;
    let oldest = world.items_at(Place::Postmaster(2)).next().cloned();
    let capacity = world.capacity(buckets::POSTMASTER);
    assert_eq!(capacity, 21);
    let already = world.slots_used(Place::Postmaster(2), buckets::POSTMASTER);
    for _ in already..=capacity {
        let answer = client()
            .post(format!("{}/__sim/postmaster", sim.http_url()))
            .json(&json!({ "characterId": character.id.to_string(), "itemHash": hash }))
            .send()
            .await
            .expect("control");
        assert_eq!(answer.status().as_u16(), 200);
    }
    let after = self::world(&sim);
    assert_eq!(
        after.slots_used(Place::Postmaster(2), buckets::POSTMASTER),
        21
    );
    if let Some(oldest) = oldest {
        assert!(!after.items.contains(&oldest), "the oldest item fell out");
    }
    let bad = client()
        .post(format!("{}/__sim/postmaster", sim.http_url()))
        .json(&json!({ "characterId": character.id.to_string(), "itemHash": 1 }))
        .send()
        .await
        .expect("control");
    assert_eq!(bad.status().as_u16(), 400);
}

#[tokio::test]
async fn maintenance_answers_system_disabled_until_over() {
    let sim = sim().await;
    let manifest = || async {
        let answer = client()
            .get(format!("{}/Platform/Destiny2/Manifest/", sim.http_url()))
            .header("x-api-key", sim.api_key())
            .send()
            .await
            .expect("answer");
        (
            answer.status().as_u16(),
            answer.json::<Value>().await.expect("json"),
        )
    };
    let toggle = |on: bool| {
        client()
            .post(format!("{}/__sim/maintenance", sim.http_url()))
            .json(&json!({ "on": on }))
            .send()
    };
    toggle(true).await.expect("control");
    let (status, down) = manifest().await;
    assert_eq!((status, code(&down)), (503, 5));
    assert_eq!(down["ErrorStatus"], "SystemDisabled");
    toggle(false).await.expect("control");
    assert_eq!(code(&manifest().await.1), 1);
}

#[tokio::test]
async fn a_client_that_leaves_during_the_latency_does_not_block_the_account() {
    let sim = sim_with(SimConfig {
        throttle: ThrottleMode::Strict,
        latency: Duration::from_millis(400),
        ..SimConfig::default()
    })
    .await;
    let session = session(&sim).await;
    let world = world(&sim);
    let gear = find(&world, "a lockable vault weapon", |w, i| {
        i.place == Place::Vault && def(w, i).lockable
    });
    let body = json!({ "state": true, "itemId": gear.instance_id.expect("id").to_string(), "characterId": world.characters[0].id.to_string(), "membershipType": 2 });
    let lock = format!(
        "{}/Platform/Destiny2/Actions/Items/SetLockState/",
        sim.http_url()
    );
    // The client gives up after 100 ms, while the answer is still held back.
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client");
    let gave_up = impatient
        .post(&lock)
        .headers(session.headers(sim.api_key()))
        .json(&body)
        .send()
        .await;
    assert!(gave_up.is_err());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (_, next) = post(
        &sim,
        &session,
        "/Platform/Destiny2/Actions/Items/SetLockState/",
        body,
    )
    .await;
    assert_eq!(
        code(&next),
        1,
        "the abandoned action no longer counts as in flight: {next}"
    );
}
