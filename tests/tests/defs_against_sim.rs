//! courier-core's readers against the simulator: the manifest tables it serves must read back
//! as its own world definitions, and its GetProfile answer as its own world, item for item.
//! Each check runs on the demo world and, when `../shared` is present, on the imported real
//! profile (whose definitions the simulator synthesizes).

use std::path::PathBuf;

use courier_core::model::{
    BucketDef, BucketScope, CharacterId, ClassType, Definitions, ItemDef, ItemId, ItemKind,
    Location, Tier, buckets,
};
use courier_core::{defs, inventory};
use courier_sim::world::{self, Place, World};
use courier_sim::{Sim, SimConfig, ThrottleMode, WorldSource};
use courier_tests::{http_client, open_session};
use serde_json::Value;

/// The worlds to check: the demo world, and the real profile when it is present.
fn worlds() -> Vec<WorldSource> {
    let real = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    ));
    if real.exists() {
        vec![WorldSource::Demo, WorldSource::File(real)]
    } else {
        eprintln!(
            "skipped the imported world: ../shared/real-data/profile-2021-05-28.json is absent"
        );
        vec![WorldSource::Demo]
    }
}

async fn start(world: WorldSource) -> Sim {
    Sim::start(SimConfig {
        world,
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts")
}

/// GETs a path of the simulator with these headers and returns the body, checking for 200.
async fn fetch(sim: &Sim, path: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut request = http_client().get(format!("{}{path}", sim.http_url()));
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("the simulator answers");
    assert_eq!(response.status(), 200, "GET {path}");
    response.bytes().await.expect("a body").to_vec()
}

/// The item and bucket tables, downloaded from the paths the manifest names.
async fn download_tables(sim: &Sim) -> Definitions {
    let api_key = [("x-api-key", sim.api_key().to_string())];
    let manifest: Value =
        serde_json::from_slice(&fetch(sim, "/Platform/Destiny2/Manifest/", &api_key).await)
            .expect("the manifest is JSON");
    let paths = &manifest["Response"]["jsonWorldComponentContentPaths"]["en"];
    let table = |name: &str| {
        paths[name]
            .as_str()
            .unwrap_or_else(|| panic!("the manifest names the {name} file"))
            .to_string()
    };
    let items = fetch(sim, &table(defs::ITEM_TABLE), &[]).await;
    let buckets = fetch(sim, &table(defs::BUCKET_TABLE), &[]).await;
    Definitions::from_tables(&items, &buckets).expect("the simulator's tables parse")
}

/// What core should make of one of the simulator's item definitions.
fn expected_item(def: &world::ItemDef) -> ItemDef {
    ItemDef {
        name: def.name.clone(),
        icon: def.icon.clone(),
        tier: Tier::from_api(def.tier_type.into()),
        kind: ItemKind::from_api(def.item_type.into()),
        type_name: def.item_type_display_name.clone(),
        bucket_hash: def.bucket_type_hash,
        class_type: ClassType::from_api(def.class_type.into()),
        // The manifest carries labels only in the equipping block of equippable items.
        unique_label: def
            .unique_label
            .clone()
            .filter(|label| def.equippable && !label.is_empty()),
        max_stack: def.max_stack_size,
        equippable: def.equippable,
        non_transferrable: def.non_transferrable,
        postmaster_side_effects: def.does_postmaster_pull_have_side_effects,
    }
}

/// What core should make of one of the simulator's bucket definitions.
fn expected_bucket(def: &world::BucketDef) -> BucketDef {
    BucketDef {
        name: def.name.clone(),
        capacity: u32::try_from(def.item_count).expect("a non-negative capacity"),
        scope: match def.scope {
            world::BucketScope::Character => BucketScope::Character,
            world::BucketScope::Account => BucketScope::Account,
        },
        category: def.category,
    }
}

#[tokio::test]
async fn the_manifest_tables_read_back_as_the_sims_definitions() {
    for source in worlds() {
        let sim = start(source.clone()).await;
        let parsed = download_tables(&sim).await;
        let truth = sim.state().lock().world.definitions.clone();

        assert_eq!(
            parsed.items.len(),
            truth.items.len(),
            "{source:?}: every item"
        );
        for (hash, def) in &truth.items {
            assert_eq!(
                parsed.item(*hash),
                Some(&expected_item(def)),
                "{source:?}: item {hash}"
            );
        }
        assert_eq!(
            parsed.buckets.len(),
            truth.buckets.len(),
            "{source:?}: every bucket"
        );
        for (hash, def) in &truth.buckets {
            assert_eq!(
                parsed.buckets.get(hash),
                Some(&expected_bucket(def)),
                "{source:?}: bucket {hash}"
            );
        }
        assert_eq!(
            parsed.capacity(buckets::VAULT),
            700,
            "{source:?}: the vault holds 700"
        );
        if source == WorldSource::Demo {
            assert!(
                parsed.items.values().any(|d| d.unique_label.is_some()),
                "the demo world's exotics carry unique labels"
            );
        }

        let cached = Definitions::from_bytes(&parsed.to_bytes()).expect("the cache reads back");
        assert_eq!(cached, parsed, "{source:?}: the cache round trip");
    }
}

/// One item as compared between the simulator's world and the parsed inventory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    instance_id: Option<i64>,
    hash: u32,
    quantity: i32,
    bucket_hash: u32,
    location: String,
    equipped: bool,
    locked: bool,
    lockable: bool,
    power: Option<i32>,
}

fn place_name(world: &World, place: Place) -> String {
    match place {
        Place::Vault => "vault".to_string(),
        Place::Account => "account".to_string(),
        Place::Character(i) => format!("character {}", world.characters[i].id),
        Place::Postmaster(i) => format!("postmaster {}", world.characters[i].id),
    }
}

fn location_name(location: Location) -> String {
    match location {
        Location::Vault => "vault".to_string(),
        Location::Account => "account".to_string(),
        Location::Character(id) => format!("character {id}"),
        Location::Postmaster(id) => format!("postmaster {id}"),
    }
}

fn world_items(world: &World) -> Vec<Seen> {
    let mut items: Vec<Seen> = world
        .items
        .iter()
        .map(|item| Seen {
            instance_id: item.instance_id,
            hash: item.hash,
            quantity: item.quantity,
            bucket_hash: item.bucket_hash,
            location: place_name(world, item.place),
            equipped: item.equipped,
            locked: item.locked,
            lockable: world
                .definitions
                .items
                .get(&item.hash)
                .is_some_and(|def| def.lockable),
            // Power travels in the instances component, which only instanced items have.
            power: item.instance_id.and(item.power),
        })
        .collect();
    items.sort();
    items
}

#[tokio::test]
async fn the_profile_answer_reads_back_as_the_sims_world() {
    for source in worlds() {
        let sim = start(source.clone()).await;
        let session = open_session(&sim).await;
        let headers = [
            ("x-api-key", sim.api_key().to_string()),
            ("cookie", session.cookie_header()),
            ("x-csrf", session.bungled.clone()),
        ];
        let world = sim.state().lock().world.clone();
        let path = format!(
            "/Platform/Destiny2/{}/Profile/{}/?components=100,102,103,200,201,205,300",
            world.account.membership_type, world.account.destiny_membership_id
        );
        let answer = fetch(&sim, &path, &headers).await;
        let parsed = inventory::parse_profile(&answer).expect("the simulator's profile parses");

        assert_eq!(
            (parsed.membership_id, parsed.membership_type),
            (
                world.account.destiny_membership_id,
                world.account.membership_type
            ),
            "{source:?}: the membership"
        );
        assert!(
            parsed.minted.is_some(),
            "{source:?}: responseMintedTimestamp"
        );

        assert_eq!(
            parsed.characters.len(),
            world.characters.len(),
            "{source:?}"
        );
        for (index, truth) in world.characters.iter().enumerate() {
            let character = parsed
                .character(CharacterId(truth.id))
                .unwrap_or_else(|| panic!("{source:?}: character {} is parsed", truth.id));
            assert_eq!(
                character.class_type,
                ClassType::from_api(truth.class_type.into())
            );
            assert_eq!(character.light, world.light(index), "{source:?}: light");
            assert_eq!(character.date_last_played, truth.date_last_played);
            assert_eq!(
                character.emblem_path,
                world::defs::icon_path(truth.emblem_hash)
            );
        }
        let played: Vec<&str> = parsed
            .characters
            .iter()
            .map(|c| c.date_last_played.as_str())
            .collect();
        assert!(
            played.windows(2).all(|pair| pair[0] >= pair[1]),
            "{source:?}: most recently played first: {played:?}"
        );

        let mut seen: Vec<Seen> = parsed
            .items
            .iter()
            .map(|item| Seen {
                instance_id: item.instance_id.map(|ItemId(id)| id),
                hash: item.hash,
                quantity: item.quantity,
                bucket_hash: item.bucket_hash,
                location: location_name(item.location),
                equipped: item.equipped,
                locked: item.locked,
                lockable: item.lockable,
                power: item.power,
            })
            .collect();
        seen.sort();
        let truth = world_items(&world);
        assert_eq!(seen.len(), truth.len(), "{source:?}: every item");
        assert_eq!(seen, truth, "{source:?}: item for item");
        assert!(
            seen.iter().any(|i| i.location.starts_with("postmaster"))
                && seen.iter().any(|i| i.equipped),
            "{source:?}: the world has postmaster and equipped items to compare"
        );
    }
}
