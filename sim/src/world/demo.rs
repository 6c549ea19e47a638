//! The demo world: one PlayStation player with three characters and a full, realistic
//! inventory, the same for the same seed.
//!
//! The definitions (the private `catalog` module) never change with the seed; the seed picks
//! what each character carries, what the vault and postmaster hold, the stack sizes, power levels
//! and Xur's stock.

mod catalog;

use std::ops::RangeInclusive;
use std::time::{Duration, UNIX_EPOCH};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::buckets::{
    CHEST, CONSUMABLES, ENERGY, EQUIPPABLE, GAUNTLETS, HELMET, KINETIC, LEGS, MODIFICATIONS,
    POSTMASTER, POWER, PURSUITS, VAULT,
};
use super::defs::item_type::{ARMOR, GHOST, WEAPON};
use super::defs::{Definitions, ItemDef, fnv1a};
use super::standard::currency;
use super::{Account, Character, Item, Loadout, Place, Sale, World, Xur, class_type};
use catalog::tier::{EXOTIC, LEGENDARY};

/// The sandbox player's PSN sign-in id.
pub const EMAIL: &str = "guardian@example.com";
/// The sandbox player's PSN password.
pub const PASSWORD: &str = "sandbox-password";
/// A Sony `npsso` cookie value that signs the sandbox player in.
pub const NPSSO: &str = "sandbox-npsso";
/// The demo player's bungie.net membership id.
pub const BUNGIE_MEMBERSHIP_ID: i64 = 14_000_001;
/// The demo player's Destiny membership id on PlayStation.
pub const DESTINY_MEMBERSHIP_ID: i64 = 4_611_686_018_400_000_001;
/// PlayStation, as `BungieMembershipType` numbers it.
pub const MEMBERSHIP_TYPE: i32 = 2;
/// The first character's id; the others follow it.
const FIRST_CHARACTER_ID: i64 = 2_305_843_009_300_000_001;
/// The first item instance id; the others follow it.
const FIRST_INSTANCE_ID: i64 = 6_917_529_000_000_000_001;
/// When the most recent character was last played, at the latest: 2024-06-13T18:00:00Z.
const LAST_PLAYED: u64 = 1_718_301_600;
/// How many items each character carries in each gear bucket, the equipped one included.
const ITEMS_PER_GEAR_BUCKET: RangeInclusive<usize> = 6..=9;
/// How many items the vault holds.
const VAULT_ITEMS: RangeInclusive<usize> = 440..=460;
/// The power of weapons and armor.
const POWER_LEVELS: RangeInclusive<i32> = 1800..=2010;

/// The three characters: class, race, gender, in the order the game lists them.
const CHARACTERS: [(u8, u8, u8); 3] = [
    (class_type::TITAN, 2, 0),
    (class_type::HUNTER, 1, 1),
    (class_type::WARLOCK, 0, 1),
];

/// The sandbox player's account: the credentials are the same in every world.
pub fn sandbox_account(
    bungie_membership_id: i64,
    destiny_membership_id: i64,
    membership_type: i32,
    display_name: &str,
) -> Account {
    Account {
        bungie_membership_id,
        destiny_membership_id,
        membership_type,
        display_name: display_name.to_owned(),
        display_name_code: 1234,
        email: EMAIL.to_owned(),
        password: PASSWORD.to_owned(),
        npsso: NPSSO.to_owned(),
    }
}

/// The demo world for a seed.
pub fn demo_world(seed: u64) -> World {
    let definitions = catalog::definitions();
    let mut stocker = Stocker {
        defs: &definitions,
        rng: ChaCha8Rng::seed_from_u64(seed),
        items: Vec::new(),
        next_instance_id: FIRST_INSTANCE_ID,
    };
    let mut characters = stocker.characters();
    for (index, character) in characters.iter_mut().enumerate() {
        stocker.stock_gear(index, character.class_type);
        stocker.stock_quests(index);
        stocker.stock_postmaster(index, character.class_type);
        character.loadouts = stocker.loadouts(index);
    }
    stocker.stock_account();
    stocker.stock_vault();
    let xur = stocker.xur();
    let Stocker {
        items,
        next_instance_id,
        ..
    } = stocker;
    World {
        account: sandbox_account(
            BUNGIE_MEMBERSHIP_ID,
            DESTINY_MEMBERSHIP_ID,
            MEMBERSHIP_TYPE,
            "SandboxGuardian",
        ),
        characters,
        items,
        definitions,
        xur,
        next_instance_id,
    }
}

/// Fills a world with items, drawing every choice from one seeded generator.
struct Stocker<'a> {
    defs: &'a Definitions,
    rng: ChaCha8Rng,
    items: Vec<Item>,
    next_instance_id: i64,
}

impl<'a> Stocker<'a> {
    /// The definitions that pass a filter, in hash order.
    fn pool(&self, keep: impl Fn(&ItemDef) -> bool) -> Vec<&'a ItemDef> {
        self.defs.items.values().filter(|def| keep(def)).collect()
    }

    /// Adds one item or stack at a place and returns its index.
    fn add(&mut self, def: &ItemDef, place: Place, quantity: i32) -> usize {
        let bucket_hash = match place {
            Place::Vault => VAULT,
            Place::Postmaster(_) => POSTMASTER,
            Place::Character(_) | Place::Account => def.bucket_type_hash,
        };
        let instance_id = def.instanced.then(|| {
            self.next_instance_id += 1;
            self.next_instance_id - 1
        });
        let power = is_gear(def).then(|| self.rng.random_range(POWER_LEVELS));
        let lock_chance = if def.tier_type == EXOTIC { 0.6 } else { 0.2 };
        let locked = def.lockable && self.rng.random_bool(lock_chance);
        self.items.push(Item {
            instance_id,
            hash: def.hash,
            quantity,
            place,
            bucket_hash,
            equipped: false,
            locked,
            tracked: false,
            power,
        });
        self.items.len() - 1
    }

    /// Adds a stack of a random size up to `most` (and the definition's stack size).
    fn add_stack(&mut self, def: &ItemDef, place: Place, most: i32) {
        let quantity = self
            .rng
            .random_range(1..=most.min(def.max_stack_size).max(1));
        self.add(def, place, quantity);
    }

    /// The three characters, most recently played first, without loadouts yet.
    fn characters(&mut self) -> Vec<Character> {
        let mut seconds_ago = self.rng.random_range(0..6 * 3600);
        (0..CHARACTERS.len())
            .zip(CHARACTERS)
            .map(|(index, (class, race_type, gender_type))| {
                let played = LAST_PLAYED - seconds_ago;
                seconds_ago += self.rng.random_range(86_400..10 * 86_400);
                let minutes = if index == 0 {
                    20_000..60_000
                } else {
                    1_000..20_000
                };
                Character {
                    id: FIRST_CHARACTER_ID + index as i64,
                    class_type: class,
                    race_type,
                    gender_type,
                    emblem_hash: fnv1a(catalog::EMBLEM_NAMES[index]),
                    date_last_played: rfc3339(played),
                    minutes_played_total: self.rng.random_range(minutes),
                    in_activity: false,
                    loadouts: Vec::new(),
                }
            })
            .collect()
    }

    /// Weapons, armor and ghosts for one character: 6 to 9 per bucket, one equipped in each,
    /// exactly one exotic weapon and one exotic armor piece equipped, maybe more exotics carried.
    fn stock_gear(&mut self, character: usize, class: u8) {
        let exotic_weapon_bucket = *[KINETIC, ENERGY, POWER]
            .choose(&mut self.rng)
            .unwrap_or(&KINETIC);
        let exotic_armor_bucket = *[HELMET, GAUNTLETS, CHEST, LEGS]
            .choose(&mut self.rng)
            .unwrap_or(&HELMET);
        for bucket in EQUIPPABLE {
            let (exotics, others): (Vec<_>, Vec<_>) = self
                .pool(|def| def.bucket_type_hash == bucket && usable_by(def, class))
                .into_iter()
                .partition(|def| def.tier_type == EXOTIC);
            let equip_exotic = bucket == exotic_weapon_bucket || bucket == exotic_armor_bucket;
            let carried_exotics =
                usize::from(equip_exotic) + usize::from(self.rng.random_bool(0.3));
            let count = self.rng.random_range(ITEMS_PER_GEAR_BUCKET);
            let exotics = pick(&mut self.rng, &exotics, carried_exotics);
            let others = pick(&mut self.rng, &others, count - exotics.len());
            // The first one chosen is the one equipped.
            let chosen = if equip_exotic {
                [exotics, others].concat()
            } else {
                [others, exotics].concat()
            };
            for (position, def) in chosen.into_iter().enumerate() {
                let index = self.add(def, Place::Character(character), 1);
                self.items[index].equipped = position == 0;
            }
        }
    }

    /// One to three quest steps, the first tracked.
    fn stock_quests(&mut self, character: usize) {
        let quests = self.pool(|def| def.bucket_type_hash == PURSUITS);
        let count = self.rng.random_range(1..=3);
        for (position, def) in pick(&mut self.rng, &quests, count).into_iter().enumerate() {
            let index = self.add(def, Place::Character(character), 1);
            self.items[index].tracked = position == 0;
        }
    }

    /// The first character's postmaster holds the side-effect engram, a stack and some gear;
    /// the others may hold a piece or two.
    fn stock_postmaster(&mut self, character: usize, class: u8) {
        let place = Place::Postmaster(character);
        let gear = self.pool(|def| is_gear(def) && usable_by(def, class));
        if character == 0 {
            for def in self.pool(|def| def.does_postmaster_pull_have_side_effects) {
                self.add(def, place, 1);
            }
            let stacks = self.pool(|def| !def.instanced && def.bucket_type_hash == CONSUMABLES);
            if let Some(def) = stacks.choose(&mut self.rng) {
                self.add_stack(def, place, 10);
            }
        }
        let count = if character == 0 {
            self.rng.random_range(3..=5)
        } else {
            self.rng.random_range(0..=2)
        };
        for def in pick(&mut self.rng, &gear, count) {
            self.add(def, place, 1);
        }
    }

    /// Saved loadouts: what the character wears, and sometimes a second set of non-exotics it
    /// carries.
    fn loadouts(&mut self, character: usize) -> Vec<Loadout> {
        let on_character: Vec<&Item> = self
            .items
            .iter()
            .filter(|item| item.place == Place::Character(character))
            .collect();
        let worn = on_character
            .iter()
            .filter(|item| item.equipped)
            .filter_map(|item| item.instance_id)
            .collect();
        let mut loadouts = vec![Loadout { item_ids: worn }];
        if self.rng.random_bool(0.5) {
            let item_ids = EQUIPPABLE
                .iter()
                .filter_map(|&bucket| {
                    let candidates: Vec<&&Item> = on_character
                        .iter()
                        .filter(|item| {
                            item.bucket_hash == bucket
                                && self
                                    .defs
                                    .items
                                    .get(&item.hash)
                                    .is_some_and(|def| def.tier_type != EXOTIC)
                        })
                        .collect();
                    candidates
                        .choose(&mut self.rng)
                        .and_then(|item| item.instance_id)
                })
                .collect();
            loadouts.push(Loadout { item_ids });
        }
        loadouts
    }

    /// Consumable, material and mod stacks in the account buckets, and the currencies.
    fn stock_account(&mut self) {
        for (bucket, count) in [(CONSUMABLES, 8..=12), (MODIFICATIONS, 10..=16)] {
            let stacks = self.pool(|def| {
                !def.instanced
                    && def.bucket_type_hash == bucket
                    && def.hash != currency::STRANGE_COIN
            });
            let count = self.rng.random_range(count);
            for def in pick(&mut self.rng, &stacks, count) {
                self.add_stack(def, Place::Account, def.max_stack_size);
            }
        }
        let currencies = [
            (currency::GLIMMER, 20_000..=250_000),
            (currency::LEGENDARY_SHARDS, 500..=9_000),
            (currency::STRANGE_COIN, 5..=400),
        ];
        for (hash, amount) in currencies {
            if let Some(def) = self.defs.items.get(&hash) {
                let quantity = self.rng.random_range(amount).min(def.max_stack_size);
                self.add(def, Place::Account, quantity);
            }
        }
    }

    /// About 450 items: some stacks, then weapons, armor of every class and ghosts.
    fn stock_vault(&mut self) {
        let total = self.rng.random_range(VAULT_ITEMS);
        let stacks = self.pool(|def| {
            !def.instanced
                && !def.non_transferrable
                && [CONSUMABLES, MODIFICATIONS].contains(&def.bucket_type_hash)
        });
        let stack_count = self.rng.random_range(6..=10);
        for def in pick(&mut self.rng, &stacks, stack_count) {
            self.add_stack(def, Place::Vault, def.max_stack_size);
        }
        let weapons = self.pool(|def| def.item_type == WEAPON);
        let armor = self.pool(|def| def.item_type == ARMOR);
        let ghosts = self.pool(|def| def.item_type == GHOST);
        let placed = self
            .items
            .iter()
            .filter(|item| item.place == Place::Vault)
            .count();
        for _ in placed..total {
            let roll = self.rng.random_range(0..100);
            let pool = match roll {
                0..50 => &weapons,
                50..92 => &armor,
                _ => &ghosts,
            };
            if let Some(def) = pool.choose(&mut self.rng) {
                self.add(def, Place::Vault, 1);
            }
        }
    }

    /// Xur with eight sales: an exotic weapon, an exotic armor piece per class, and four
    /// legendaries.
    fn xur(&mut self) -> Xur {
        let exotic_weapon = (
            self.pool(|def| def.item_type == WEAPON && def.tier_type == EXOTIC),
            1,
            vec![(currency::LEGENDARY_SHARDS, 29)],
        );
        let exotic_armor = CHARACTERS.map(|(class, _, _)| {
            (
                self.pool(|def| {
                    def.item_type == ARMOR && def.tier_type == EXOTIC && def.class_type == class
                }),
                1,
                vec![(currency::LEGENDARY_SHARDS, 23)],
            )
        });
        let legendary = |item_type| {
            (
                self.pool(|def| def.item_type == item_type && def.tier_type == LEGENDARY),
                2,
                vec![(currency::STRANGE_COIN, 1), (currency::GLIMMER, 10_000)],
            )
        };
        let offers = [exotic_weapon]
            .into_iter()
            .chain(exotic_armor)
            .chain([legendary(WEAPON), legendary(ARMOR)]);
        let mut sales = Vec::new();
        for (pool, count, costs) in offers {
            for def in pick(&mut self.rng, &pool, count) {
                sales.push(Sale {
                    vendor_item_index: sales.len() as i32,
                    item_hash: def.hash,
                    quantity: 1,
                    costs: costs.clone(),
                });
            }
        }
        Xur {
            present: true,
            location_index: self.rng.random_range(0..=2),
            sales,
        }
    }
}

/// Whether a definition is a weapon or armor piece (items with power).
fn is_gear(def: &ItemDef) -> bool {
    matches!(def.item_type, ARMOR | WEAPON)
}

/// Whether a character of `class` may use the item.
fn usable_by(def: &ItemDef, class: u8) -> bool {
    def.class_type == class || def.class_type == class_type::ANY
}

/// Up to `count` distinct definitions from a pool.
fn pick<'a>(rng: &mut ChaCha8Rng, pool: &[&'a ItemDef], count: usize) -> Vec<&'a ItemDef> {
    pool.choose_multiple(rng, count).copied().collect()
}

/// Seconds since the Unix epoch as an RFC 3339 timestamp (`2024-06-13T18:00:00Z`).
fn rfc3339(seconds: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(seconds)).to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::world::buckets::CLASS_ITEM;

    /// Seeds the rule checks run over.
    const SEEDS: [u64; 4] = [0, 1, 42, 20_240_613];

    fn def<'w>(world: &'w World, item: &Item) -> &'w ItemDef {
        world
            .definitions
            .items
            .get(&item.hash)
            .expect("every item has a definition")
    }

    fn each_world(check: impl Fn(&World)) {
        for seed in SEEDS {
            check(&demo_world(seed));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_world_and_another_seed_another() {
        let first = serde_json::to_value(demo_world(7)).expect("a world serializes");
        let again = serde_json::to_value(demo_world(7)).expect("a world serializes");
        let other = serde_json::to_value(demo_world(8)).expect("a world serializes");
        assert_eq!(first, again);
        assert_ne!(first["items"], other["items"]);
        assert_eq!(
            first["definitions"], other["definitions"],
            "definitions do not depend on the seed"
        );
    }

    #[test]
    fn the_account_is_the_sandbox_player_with_a_titan_a_hunter_and_a_warlock() {
        each_world(|world| {
            assert_eq!(world.account.email, "guardian@example.com");
            assert_eq!(world.account.password, "sandbox-password");
            assert_eq!(world.account.npsso, "sandbox-npsso");
            assert_eq!(world.account.membership_type, 2);
            let classes: Vec<u8> = world.characters.iter().map(|c| c.class_type).collect();
            assert_eq!(classes, [0, 1, 2]);
            let ids: HashSet<i64> = world.characters.iter().map(|c| c.id).collect();
            assert_eq!(ids.len(), 3);
            for pair in world.characters.windows(2) {
                assert!(
                    pair[0].date_last_played > pair[1].date_last_played,
                    "most recent first"
                );
            }
            for character in &world.characters {
                assert!(
                    character.date_last_played.ends_with('Z'),
                    "{}",
                    character.date_last_played
                );
                assert!(!character.in_activity);
                assert!(world.definitions.items.contains_key(&character.emblem_hash));
                assert!((1..=2).contains(&character.loadouts.len()));
            }
        });
    }

    #[test]
    fn each_character_carries_six_to_nine_items_per_gear_bucket_with_one_equipped() {
        each_world(|world| {
            for index in 0..world.characters.len() {
                for bucket in EQUIPPABLE {
                    let held: Vec<&Item> = world
                        .items_at(Place::Character(index))
                        .filter(|i| i.bucket_hash == bucket)
                        .collect();
                    assert!(
                        (6..=9).contains(&held.len()),
                        "bucket {bucket}: {}",
                        held.len()
                    );
                    assert_eq!(
                        held.iter().filter(|i| i.equipped).count(),
                        1,
                        "bucket {bucket}"
                    );
                }
            }
        });
    }

    #[test]
    fn each_character_has_exotics_but_wears_a_valid_set() {
        each_world(|world| {
            for (index, character) in world.characters.iter().enumerate() {
                let held: Vec<&ItemDef> = world
                    .items_at(Place::Character(index))
                    .map(|i| def(world, i))
                    .collect();
                for label in [catalog::EXOTIC_WEAPON, catalog::EXOTIC_ARMOR] {
                    assert!(
                        held.iter()
                            .any(|d| d.unique_label.as_deref() == Some(label)),
                        "{label}"
                    );
                }
                let mut labels = HashSet::new();
                for item in world
                    .items_at(Place::Character(index))
                    .filter(|i| i.equipped)
                {
                    if let Some(label) = &def(world, item).unique_label {
                        assert!(
                            labels.insert(label.clone()),
                            "two {label} equipped on {}",
                            character.id
                        );
                    }
                }
                assert_eq!(labels.len(), 2);
            }
        });
    }

    #[test]
    fn class_armor_sits_only_on_its_class() {
        each_world(|world| {
            for item in &world.items {
                let (Place::Character(index) | Place::Postmaster(index)) = item.place else {
                    continue;
                };
                let class = def(world, item).class_type;
                assert!(class == class_type::ANY || class == world.characters[index].class_type);
            }
            let class_items = world
                .items
                .iter()
                .filter(|i| def(world, i).bucket_type_hash == CLASS_ITEM);
            assert!(
                class_items
                    .clone()
                    .all(|i| def(world, i).class_type != class_type::ANY)
            );
        });
    }

    #[test]
    fn the_vault_holds_about_450_items_within_its_defined_capacity() {
        each_world(|world| {
            let vault: Vec<&Item> = world.items_at(Place::Vault).collect();
            assert_eq!(world.capacity(VAULT), 700);
            assert!(
                (400..=500).contains(&vault.len()),
                "about 450: {}",
                vault.len()
            );
            assert!(vault.iter().all(|i| i.bucket_hash == VAULT));
            let defs: Vec<&ItemDef> = vault.iter().map(|i| def(world, i)).collect();
            assert!(
                defs.iter().any(|d| d.item_type == WEAPON)
                    && defs.iter().any(|d| d.item_type == ARMOR)
            );
            assert!(defs.iter().any(|d| d.tier_type == EXOTIC));
            assert!(defs.iter().any(|d| !d.instanced), "some stacks");
            let classes: HashSet<u8> = defs
                .iter()
                .filter(|d| d.item_type == ARMOR)
                .map(|d| d.class_type)
                .collect();
            assert_eq!(classes.len(), 3, "armor of every class");
            assert!(defs.iter().all(|d| !d.non_transferrable));
        });
    }

    #[test]
    fn a_postmaster_holds_several_items_with_a_side_effect_pull_and_a_stack() {
        each_world(|world| {
            let postmaster: Vec<&Item> = world.items_at(Place::Postmaster(0)).collect();
            assert!(postmaster.len() >= 4 && postmaster.len() <= world.capacity(POSTMASTER));
            assert!(postmaster.iter().all(|i| i.bucket_hash == POSTMASTER));
            assert!(
                postmaster
                    .iter()
                    .any(|i| def(world, i).does_postmaster_pull_have_side_effects)
            );
            assert!(
                postmaster
                    .iter()
                    .any(|i| i.instance_id.is_none() && i.quantity >= 1)
            );
        });
    }

    #[test]
    fn the_account_buckets_hold_stacks_and_currencies() {
        each_world(|world| {
            let account: Vec<&Item> = world.items_at(Place::Account).collect();
            for bucket in [CONSUMABLES, MODIFICATIONS] {
                assert!(
                    account.iter().filter(|i| i.bucket_hash == bucket).count() >= 8,
                    "{bucket}"
                );
            }
            for hash in [
                currency::GLIMMER,
                currency::LEGENDARY_SHARDS,
                currency::STRANGE_COIN,
            ] {
                assert!(account.iter().any(|i| i.hash == hash), "{hash}");
            }
        });
    }

    #[test]
    fn every_item_is_defined_fits_its_stack_and_its_bucket() {
        each_world(|world| {
            let mut used: HashMap<(Place, u32), usize> = HashMap::new();
            for item in &world.items {
                let def = def(world, item);
                assert!(
                    world
                        .definitions
                        .buckets
                        .contains_key(&def.bucket_type_hash)
                );
                assert_eq!(item.instance_id.is_some(), def.instanced, "{}", def.name);
                assert!(
                    item.quantity >= 1 && item.quantity <= def.max_stack_size,
                    "{}",
                    def.name
                );
                assert_eq!(item.power.is_some(), is_gear(def));
                assert!(item.power.is_none_or(|p| (1800..=2010).contains(&p)));
                assert!(!item.locked || def.lockable);
                assert!(!item.tracked || def.trackable);
                assert!(!item.equipped || def.equippable);
                if matches!(item.place, Place::Character(_) | Place::Account) {
                    assert_eq!(item.bucket_hash, def.bucket_type_hash);
                }
                *used.entry((item.place, item.bucket_hash)).or_default() += 1;
            }
            for ((place, bucket), count) in used {
                assert!(
                    count <= world.capacity(bucket),
                    "{place:?} {bucket}: {count}"
                );
            }
        });
    }

    #[test]
    fn instance_ids_are_unique_and_below_the_next_one() {
        each_world(|world| {
            let ids: Vec<i64> = world.items.iter().filter_map(|i| i.instance_id).collect();
            let unique: HashSet<i64> = ids.iter().copied().collect();
            assert_eq!(ids.len(), unique.len());
            assert!(
                ids.iter()
                    .all(|&id| id >= FIRST_INSTANCE_ID && id < world.next_instance_id)
            );
        });
    }

    #[test]
    fn loadouts_name_the_characters_own_items_and_a_valid_set() {
        each_world(|world| {
            for (index, character) in world.characters.iter().enumerate() {
                let worn: Vec<i64> = world
                    .items_at(Place::Character(index))
                    .filter(|i| i.equipped && EQUIPPABLE.contains(&i.bucket_hash))
                    .filter_map(|i| i.instance_id)
                    .collect();
                assert_eq!(character.loadouts[0].item_ids, worn);
                for loadout in &character.loadouts {
                    let mut labels = HashSet::new();
                    for id in &loadout.item_ids {
                        let item =
                            &world.items[world.item_index(*id).expect("a loadout item exists")];
                        assert_eq!(item.place, Place::Character(index));
                        if let Some(label) = &def(world, item).unique_label {
                            assert!(labels.insert(label.clone()));
                        }
                    }
                }
            }
        });
    }

    #[test]
    fn quests_are_bound_and_one_is_tracked() {
        each_world(|world| {
            for index in 0..world.characters.len() {
                let quests: Vec<&Item> = world
                    .items_at(Place::Character(index))
                    .filter(|i| i.bucket_hash == PURSUITS)
                    .collect();
                assert!(!quests.is_empty());
                assert!(quests.iter().all(|i| def(world, i).non_transferrable));
                assert_eq!(quests.iter().filter(|i| i.tracked).count(), 1);
            }
        });
    }

    #[test]
    fn xur_sells_exotics_for_every_class_and_legendaries_for_defined_currencies() {
        each_world(|world| {
            assert!(world.xur.present);
            assert_eq!(world.xur.sales.len(), 8);
            let sold: Vec<&ItemDef> = world
                .xur
                .sales
                .iter()
                .map(|s| &world.definitions.items[&s.item_hash])
                .collect();
            assert!(
                sold.iter()
                    .any(|d| d.item_type == WEAPON && d.tier_type == EXOTIC)
            );
            for class in [0, 1, 2] {
                assert!(sold.iter().any(|d| d.item_type == ARMOR
                    && d.tier_type == EXOTIC
                    && d.class_type == class));
            }
            let indexes: HashSet<i32> = world
                .xur
                .sales
                .iter()
                .map(|s| s.vendor_item_index)
                .collect();
            assert_eq!(indexes.len(), 8);
            for (currency, amount) in world.xur.sales.iter().flat_map(|s| &s.costs) {
                assert!(world.definitions.items.contains_key(currency) && *amount > 0);
            }
            assert!(
                world
                    .definitions
                    .vendors
                    .contains_key(&crate::world::XUR_VENDOR_HASH)
            );
        });
    }

    #[test]
    fn the_catalog_has_no_hash_collisions_and_enough_variety() {
        let definitions = catalog::definitions();
        assert_eq!(
            catalog::item_definitions().count(),
            definitions.items.len(),
            "two names share a hash"
        );
        for hash in definitions.items.keys() {
            assert!(
                !definitions.buckets.contains_key(hash) && !definitions.classes.contains_key(hash)
            );
            assert!(!definitions.vendors.contains_key(hash));
        }
        for bucket in [KINETIC, ENERGY, POWER] {
            let in_bucket = || {
                definitions
                    .items
                    .values()
                    .filter(move |d| d.bucket_type_hash == bucket)
            };
            assert!(in_bucket().filter(|d| d.tier_type < EXOTIC).count() >= 15);
            assert!(in_bucket().filter(|d| d.tier_type == EXOTIC).count() >= 3);
            assert!(in_bucket().all(|d| d.class_type == class_type::ANY && d.item_type == WEAPON));
        }
        for def in definitions.items.values() {
            let hex = def
                .icon
                .strip_prefix("/common/destiny2_content/icons/")
                .and_then(|rest| rest.strip_suffix(".jpg"))
                .expect("icons live under the content path");
            assert!(
                hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}",
                def.icon
            );
            let exotic_gear = def.tier_type == EXOTIC && is_gear(def);
            assert_eq!(def.unique_label.is_some(), exotic_gear, "{}", def.name);
            assert!(!def.instanced || def.max_stack_size == 1, "{}", def.name);
        }
    }
}
