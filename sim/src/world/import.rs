//! Loading a saved GetProfile envelope as the simulated account, with definitions synthesized
//! for every hash it holds.
//!
//! The envelope needs components 200 (Characters); 102 (ProfileInventories), 103
//! (ProfileCurrencies), 201 (CharacterInventories), 205 (CharacterEquipment) and 300 (item
//! instances, for power) are read when present. Every item of those components becomes one item
//! of the world: vault items go to the vault, other profile items to the account, a character's
//! Lost Items bucket to its postmaster, the rest of its inventory and its equipment to the
//! character. The account signs in with the sandbox credentials of the demo world, and Xur sells
//! a few of the profile's weapons and armor. How definitions are made up: see the private `synth`
//! module.

pub(crate) mod synth;
mod wire;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::buckets::{EQUIPPABLE, POSTMASTER, VAULT};
use super::defs::item_type::{ARMOR, WEAPON};
use super::standard::currency;
use super::{Character, Item, Loadout, Place, Sale, World, Xur, demo};
use synth::{ATTACK, DEFENSE, Imported};

/// The bungie.net membership id an imported account gets (the file does not carry one).
pub const IMPORTED_BUNGIE_MEMBERSHIP_ID: i64 = 14_000_002;
/// The display name an imported account gets.
pub const IMPORTED_DISPLAY_NAME: &str = "ImportedGuardian";
/// How many of the profile's weapons, and of its armor, Xur sells.
const XUR_SALES_PER_KIND: usize = 2;

/// Why a saved profile could not become a world.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// The file could not be read.
    #[error("cannot read the world file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not a GetProfile envelope the simulator understands.
    #[error("the world file {path} is not a GetProfile answer: {reason}")]
    Shape {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

/// Loads a saved GetProfile envelope as a world.
pub fn world_from_profile_file(path: &Path) -> Result<World, WorldError> {
    let bytes = std::fs::read(path).map_err(|source| WorldError::Read {
        path: path.to_owned(),
        source,
    })?;
    world_from_profile(&bytes).map_err(|reason| WorldError::Shape {
        path: path.to_owned(),
        reason,
    })
}

/// Builds a world from the bytes of a saved envelope, or says why they are not one.
fn world_from_profile(bytes: &[u8]) -> Result<World, String> {
    let profile = parse(bytes)?;
    let (mut characters, destiny_membership_id, membership_type) = characters(&profile)?;
    let index_of: BTreeMap<i64, usize> = characters
        .iter()
        .enumerate()
        .map(|(index, character)| (character.id, index))
        .collect();
    let instances = profile.item_components.instances.data.as_ref();
    let find_instance = |raw: &wire::Item| {
        raw.item_instance_id
            .and_then(|id| instances.and_then(|all| all.get(&id.0.to_string())))
    };
    let mut imported = Vec::new();
    let profile_lists = [
        (&profile.profile_inventory, false),
        (&profile.profile_currencies, true),
    ];
    for (list, currency) in profile_lists {
        for raw in list.data.iter().flat_map(|l| &l.items) {
            let place = if raw.bucket_hash == VAULT {
                Place::Vault
            } else {
                Place::Account
            };
            let instance = find_instance(raw);
            let item = item(raw, place, false, instance);
            imported.push(Imported {
                item,
                raw,
                instance,
                holder_class: None,
                currency,
            });
        }
    }
    let character_lists = [
        (
            "characterInventories",
            &profile.character_inventories,
            false,
        ),
        ("characterEquipment", &profile.character_equipment, true),
    ];
    for (component, lists, equipped) in character_lists {
        for (key, list) in lists.data.iter().flatten() {
            let index = key
                .parse()
                .ok()
                .and_then(|id: i64| index_of.get(&id).copied())
                .ok_or_else(|| {
                    format!("{component} has character `{key}`, which `characters` does not list")
                })?;
            let class = characters[index].class_type;
            for raw in &list.items {
                let in_postmaster = raw.bucket_hash == POSTMASTER && !equipped;
                let place = if in_postmaster {
                    Place::Postmaster(index)
                } else {
                    Place::Character(index)
                };
                let instance = find_instance(raw);
                let item = item(raw, place, equipped, instance);
                let holder_class = (!in_postmaster).then_some(class);
                imported.push(Imported {
                    item,
                    raw,
                    instance,
                    holder_class,
                    currency: false,
                });
            }
        }
    }
    check_consistency(&imported)?;
    let definitions = synth::definitions(&imported);
    let items: Vec<Item> = imported.into_iter().map(|one| one.item).collect();
    let next_instance_id = items
        .iter()
        .filter_map(|i| i.instance_id)
        .max()
        .map_or(1, |id| id + 1);
    let account = demo::sandbox_account(
        IMPORTED_BUNGIE_MEMBERSHIP_ID,
        destiny_membership_id,
        membership_type,
        IMPORTED_DISPLAY_NAME,
    );
    for (index, character) in characters.iter_mut().enumerate() {
        character.loadouts = vec![worn_loadout(&items, index)];
    }
    let xur = xur(&definitions);
    Ok(World {
        account,
        characters,
        items,
        definitions,
        xur,
        next_instance_id,
    })
}

/// Reads the envelope and its `Response`, refusing error answers and other JSON.
fn parse(bytes: &[u8]) -> Result<wire::Profile, String> {
    let envelope: wire::Envelope = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            format!("it is JSON but not a bungie.net envelope ({e}); save the whole answer of GetProfile")
        } else {
            format!("it is not JSON ({e}); save the body of a GetProfile answer as it came")
        }
    })?;
    if let Some(code) = envelope.error_code.filter(|code| *code != 1) {
        let status = envelope.error_status.unwrap_or_default();
        return Err(format!(
            "it is an error answer (ErrorCode {code} {status}), not a profile"
        ));
    }
    let response = envelope
        .response
        .ok_or("it has no `Response`; save the whole bungie.net envelope, not a part of it")?;
    serde_json::from_value(response)
        .map_err(|e| format!("its `Response` is not a DestinyProfileResponse: {e}"))
}

/// The characters, most recently played first, and the Destiny membership (id and type) of the
/// most recent one.
fn characters(profile: &wire::Profile) -> Result<(Vec<Character>, i64, i32), String> {
    let listed = profile
        .characters
        .as_ref()
        .and_then(|component| component.data.as_ref())
        .ok_or("it has no `Response.characters.data`; save GetProfile with components=200 (Characters) or more")?;
    if listed.is_empty() {
        return Err("`Response.characters.data` lists no characters".to_owned());
    }
    let mut characters = listed
        .values()
        .map(|raw| {
            if raw.class_type > 2 {
                return Err(format!(
                    "character {} has classType {}, not 0, 1 or 2",
                    raw.character_id.0, raw.class_type
                ));
            }
            let character = Character {
                id: raw.character_id.0,
                class_type: raw.class_type,
                race_type: raw.race_type,
                gender_type: raw.gender_type,
                emblem_hash: raw.emblem_hash,
                date_last_played: raw.date_last_played.clone(),
                minutes_played_total: raw.minutes_played_total.0,
                in_activity: false,
                loadouts: Vec::new(),
            };
            Ok((character, raw.membership_id.0, raw.membership_type))
        })
        .collect::<Result<Vec<_>, String>>()?;
    characters.sort_by(|(a, _, _), (b, _, _)| {
        b.date_last_played
            .cmp(&a.date_last_played)
            .then(a.id.cmp(&b.id))
    });
    let (_, membership_id, membership_type) = characters[0];
    let characters = characters
        .into_iter()
        .map(|(character, _, _)| character)
        .collect();
    Ok((characters, membership_id, membership_type))
}

/// One world item from the file's item at a place.
fn item(raw: &wire::Item, place: Place, equipped: bool, instance: Option<&wire::Instance>) -> Item {
    let bucket_hash = match place {
        Place::Vault => VAULT,
        Place::Postmaster(_) => POSTMASTER,
        Place::Character(_) | Place::Account => raw.bucket_hash,
    };
    let power = instance
        .and_then(|i| i.primary_stat.as_ref())
        .filter(|stat| stat.stat_hash == ATTACK || stat.stat_hash == DEFENSE)
        .map(|stat| stat.value);
    Item {
        instance_id: raw.item_instance_id.map(|id| id.0),
        hash: raw.item_hash,
        quantity: if raw.item_instance_id.is_some() {
            1
        } else {
            raw.quantity.max(1)
        },
        place,
        bucket_hash,
        equipped,
        locked: raw.state & 1 != 0,
        tracked: raw.state & 2 != 0,
        power,
    }
}

/// Refuses files the game could never have sent: an instance in two places, or two items
/// equipped in one bucket of a character.
fn check_consistency(imported: &[Imported]) -> Result<(), String> {
    let mut ids = HashSet::new();
    let mut worn = HashSet::new();
    for Imported { item, .. } in imported {
        if let Some(id) = item.instance_id
            && !ids.insert(id)
        {
            return Err(format!("the item instance {id} appears twice"));
        }
        if item.equipped && !worn.insert((item.place, item.bucket_hash)) {
            return Err(format!(
                "two items are equipped in bucket {} of one character",
                item.bucket_hash
            ));
        }
    }
    Ok(())
}

/// A loadout of the gear a character wears.
fn worn_loadout(items: &[Item], character: usize) -> Loadout {
    let item_ids = items
        .iter()
        .filter(|i| {
            i.place == Place::Character(character)
                && i.equipped
                && EQUIPPABLE.contains(&i.bucket_hash)
        })
        .filter_map(|i| i.instance_id)
        .collect();
    Loadout { item_ids }
}

/// Xur, selling the first few of the profile's weapons and armor for Legendary Shards.
fn xur(definitions: &super::Definitions) -> Xur {
    let offers = [(WEAPON, 29), (ARMOR, 23)]
        .into_iter()
        .flat_map(|(item_type, shards)| {
            definitions
                .items
                .values()
                .filter(move |def| def.item_type == item_type)
                .take(XUR_SALES_PER_KIND)
                .map(move |def| (def.hash, shards))
        });
    let sales = offers
        .enumerate()
        .map(|(index, (item_hash, shards))| Sale {
            vendor_item_index: index as i32,
            item_hash,
            quantity: 1,
            costs: vec![(currency::LEGENDARY_SHARDS, shards)],
        })
        .collect();
    Xur {
        present: true,
        location_index: 0,
        sales,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::Value;

    use super::*;

    /// The real profile DIM saved, from the workspace's sibling `shared` folder.
    const REAL_PROFILE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/real-data/profile-2021-05-28.json"
    );

    /// The real profile as a world and as raw JSON, or `None` (with a message) when `../shared`
    /// is absent.
    fn real_profile() -> Option<(World, Value)> {
        let path = Path::new(REAL_PROFILE);
        if !path.exists() {
            eprintln!("skipped: ../shared is absent ({REAL_PROFILE})");
            return None;
        }
        let world = world_from_profile_file(path).expect("the real profile imports");
        let text = std::fs::read_to_string(path).expect("the real profile reads");
        Some((
            world,
            serde_json::from_str(&text).expect("the real profile is JSON"),
        ))
    }

    /// Every item list of the raw profile with the character id it belongs to.
    fn raw_lists(raw: &Value) -> Vec<(Option<String>, &Vec<Value>)> {
        let response = &raw["Response"];
        let mut lists = Vec::new();
        for component in ["profileInventory", "profileCurrencies"] {
            lists.push((
                None,
                response[component]["data"]["items"]
                    .as_array()
                    .expect("items"),
            ));
        }
        for component in ["characterInventories", "characterEquipment"] {
            let by_character = response[component]["data"].as_object().expect("characters");
            for (id, list) in by_character {
                lists.push((Some(id.clone()), list["items"].as_array().expect("items")));
            }
        }
        lists
    }

    /// A file under the system temp folder, unique to this test run.
    fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("courier-sim-import-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).expect("the temp folder is writable");
        path
    }

    #[test]
    fn the_real_profile_imports_every_item_and_all_three_characters() {
        let Some((world, raw)) = real_profile() else {
            return;
        };
        assert_eq!(world.characters.len(), 3);
        let classes: HashSet<u8> = world.characters.iter().map(|c| c.class_type).collect();
        assert_eq!(classes.len(), 3);
        for pair in world.characters.windows(2) {
            assert!(pair[0].date_last_played >= pair[1].date_last_played);
        }
        assert_eq!(
            world.characters[0].id, 2305843009260802821,
            "the Hunter played last"
        );
        assert_eq!(world.characters[0].minutes_played_total, 75957);
        assert_eq!(world.account.destiny_membership_id, 4611686018433092312);
        assert_eq!(world.account.membership_type, 2);
        assert_eq!(world.account.email, demo::EMAIL);
        let lists = raw_lists(&raw);
        let in_file: usize = lists.iter().map(|(_, items)| items.len()).sum();
        assert!(
            in_file > 960,
            "the fixture has about 966 items and 6 currencies: {in_file}"
        );
        assert_eq!(world.items.len(), in_file);
        let vault_in_file = lists
            .iter()
            .flat_map(|(_, items)| items.iter())
            .filter(|i| i["bucketHash"] == VAULT)
            .count();
        assert_eq!(world.items_at(Place::Vault).count(), vault_in_file);
    }

    #[test]
    fn the_real_profile_keeps_what_each_character_wears_and_carries() {
        let Some((world, raw)) = real_profile() else {
            return;
        };
        let equipment = raw["Response"]["characterEquipment"]["data"]
            .as_object()
            .expect("equipment");
        for (index, character) in world.characters.iter().enumerate() {
            let worn = &equipment[&character.id.to_string()]["items"];
            let worn_count = world
                .items_at(Place::Character(index))
                .filter(|i| i.equipped)
                .count();
            assert_eq!(worn_count, worn.as_array().expect("items").len());
            let mut per_bucket: HashMap<u32, usize> = HashMap::new();
            for item in world
                .items_at(Place::Character(index))
                .filter(|i| i.equipped)
            {
                *per_bucket.entry(item.bucket_hash).or_default() += 1;
            }
            assert!(per_bucket.values().all(|&n| n == 1));
            assert!(world.light(index) > 1200, "power comes from the instances");
            assert!(!character.loadouts[0].item_ids.is_empty());
        }
        assert!(world.items_at(Place::Postmaster(0)).count() > 0);
        assert!(world.items.iter().any(|i| i.locked) && world.items.iter().any(|i| !i.locked));
    }

    #[test]
    fn the_real_profile_gets_consistent_definitions() {
        let Some((world, _)) = real_profile() else {
            return;
        };
        let mut used: HashMap<(Place, u32), usize> = HashMap::new();
        for item in &world.items {
            let def = world
                .definitions
                .items
                .get(&item.hash)
                .expect("every hash has a definition");
            assert!(
                world
                    .definitions
                    .buckets
                    .contains_key(&def.bucket_type_hash)
            );
            assert_eq!(def.instanced, item.instance_id.is_some());
            assert!(item.quantity <= def.max_stack_size);
            if matches!(item.place, Place::Character(_) | Place::Account) {
                assert_eq!(item.bucket_hash, def.bucket_type_hash, "{}", def.name);
            }
            if item.equipped {
                assert!(def.equippable);
            }
            *used.entry((item.place, item.bucket_hash)).or_default() += 1;
        }
        for ((place, bucket), count) in used {
            assert!(
                count <= world.capacity(bucket),
                "{place:?} {bucket}: {count}"
            );
        }
        assert_eq!(world.capacity(VAULT), 700);
        assert_eq!(world.capacity(POSTMASTER), 21);
        let shards = &world.definitions.items[&currency::LEGENDARY_SHARDS];
        assert_eq!(shards.name, "Legendary Shards");
        assert!(world.xur.present && !world.xur.sales.is_empty());
        for sale in &world.xur.sales {
            assert!(
                world.items.iter().any(|i| i.hash == sale.item_hash),
                "Xur sells the profile's items"
            );
        }
        let ids: Vec<i64> = world.items.iter().filter_map(|i| i.instance_id).collect();
        assert!(ids.iter().all(|&id| id < world.next_instance_id));
    }

    #[test]
    fn armor_seen_on_one_class_only_is_that_class() {
        let Some((world, _)) = real_profile() else {
            return;
        };
        for (index, character) in world.characters.iter().enumerate() {
            let helmet = world
                .items_at(Place::Character(index))
                .find(|i| i.equipped && i.bucket_hash == crate::world::buckets::HELMET)
                .expect("each character wears a helmet");
            let def = &world.definitions.items[&helmet.hash];
            assert_eq!(def.item_type, ARMOR);
            assert_eq!(def.class_type, character.class_type);
        }
    }

    #[test]
    fn a_missing_file_is_a_read_error() {
        let path = std::env::temp_dir().join("courier-sim-no-such-profile.json");
        let error = world_from_profile_file(&path).expect_err("nothing to read");
        assert!(matches!(error, WorldError::Read { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains("courier-sim-no-such-profile.json")
        );
    }

    #[test]
    fn garbage_is_a_shape_error_that_says_it_is_not_json() {
        let path = temp_file("garbage.json", b"\x00\xffnot json at all");
        let error = world_from_profile_file(&path).expect_err("garbage is refused");
        let _ = std::fs::remove_file(&path);
        let WorldError::Shape { reason, .. } = &error else {
            panic!("a shape error: {error}")
        };
        assert!(reason.contains("not JSON"), "{reason}");
    }

    #[test]
    fn an_envelope_without_characters_says_which_component_is_missing() {
        let body = br#"{"Response":{"profileInventory":{"data":{"items":[]}}},"ErrorCode":1,"ErrorStatus":"Success"}"#;
        let path = temp_file("no-characters.json", body);
        let error = world_from_profile_file(&path).expect_err("no characters is refused");
        let _ = std::fs::remove_file(&path);
        let WorldError::Shape { reason, .. } = &error else {
            panic!("a shape error: {error}")
        };
        assert!(
            reason.contains("characters") && reason.contains("200"),
            "{reason}"
        );
    }

    #[test]
    fn an_error_answer_and_other_json_are_refused_with_their_reason() {
        let cases: [(&[u8], &str); 3] = [
            (
                br#"{"Response":0,"ErrorCode":1601,"ErrorStatus":"DestinyAccountNotFound"}"#,
                "ErrorCode 1601",
            ),
            (br#"[1, 2, 3]"#, "not a bungie.net envelope"),
            (br#"{"ErrorCode":1}"#, "no `Response`"),
        ];
        for (body, expected) in cases {
            let error = world_from_profile(body).expect_err("refused");
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn a_small_profile_imports_with_its_postmaster_and_stacks() {
        let body = br#"{"ErrorCode":1,"Response":{
            "characters":{"data":{"11":{"membershipId":"4611686018400000099","membershipType":3,
                "characterId":"11","dateLastPlayed":"2021-01-01T00:00:00Z","minutesPlayedTotal":"5",
                "classType":2,"raceType":0,"genderType":1,"emblemHash":7}}},
            "profileInventory":{"data":{"items":[
                {"itemHash":100,"quantity":40,"bucketHash":138197802},
                {"itemHash":100,"quantity":3,"bucketHash":3313201758},
                {"itemHash":200,"itemInstanceId":"9","quantity":1,"bucketHash":138197802,"lockable":true,"state":1}]}},
            "characterInventories":{"data":{"11":{"items":[
                {"itemHash":300,"itemInstanceId":"10","quantity":1,"bucketHash":215593132,"transferStatus":2}]}}},
            "itemComponents":{"instances":{"data":{"9":{"primaryStat":{"statHash":1480404414,"value":1310},"damageType":1}}}}
        }}"#;
        let world = world_from_profile(body).expect("a small profile imports");
        assert_eq!(world.account.destiny_membership_id, 4611686018400000099);
        assert_eq!(world.account.membership_type, 3);
        assert_eq!(world.items.len(), 4);
        let defs = &world.definitions.items;
        assert_eq!(
            (defs[&100].max_stack_size, defs[&100].bucket_type_hash),
            (40, 3313201758)
        );
        assert_eq!(
            defs[&200].bucket_type_hash,
            crate::world::buckets::KINETIC,
            "a kinetic weapon from the vault"
        );
        assert!(defs[&200].lockable && defs[&200].equippable);
        assert!(defs[&300].non_transferrable);
        let weapon = &world.items[world.item_index(9).expect("instance 9")];
        assert_eq!(
            (weapon.place, weapon.power, weapon.locked),
            (Place::Vault, Some(1310), true)
        );
        let lost = &world.items[world.item_index(10).expect("instance 10")];
        assert_eq!(
            (lost.place, lost.bucket_hash),
            (Place::Postmaster(0), POSTMASTER)
        );
        assert_eq!(world.next_instance_id, 11);
    }

    #[test]
    fn two_items_worn_in_one_bucket_are_refused() {
        let body = br#"{"ErrorCode":1,"Response":{
            "characters":{"data":{"11":{"membershipId":"1","membershipType":2,"characterId":"11","classType":0}}},
            "characterEquipment":{"data":{"11":{"items":[
                {"itemHash":1,"itemInstanceId":"5","bucketHash":1498876634},
                {"itemHash":2,"itemInstanceId":"6","bucketHash":1498876634}]}}}
        }}"#;
        let error = world_from_profile(body).expect_err("two worn kinetics are refused");
        assert!(
            error.contains("two items are equipped in bucket 1498876634"),
            "{error}"
        );
    }
}
