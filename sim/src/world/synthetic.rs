//! A synthetic DestinyInventoryItemDefinition table, for benchmarks that need a manifest file
//! the size of the real one: `count` seeded definitions of weapons, armor, ghosts, mods,
//! consumables, emblems and quest steps, each written by [`ItemDef::to_json`] and filled out with
//! the blocks real entities carry (stats, sockets, quality, value, talent grid, ...; see
//! [`blocks`]), so an entity is about 2 KB as in the real manifest.
//!
//! ```
//! let mut table = Vec::new();
//! courier_sim::world::synthetic::write_item_table(3, 7, &mut table).expect("written to memory");
//! let parsed: serde_json::Value = serde_json::from_slice(&table).expect("JSON");
//! assert_eq!(parsed.as_object().map(|o| o.len()), Some(3));
//! ```

mod blocks;

use std::collections::BTreeSet;
use std::io::{self, Write};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::buckets::{
    CHEST, CLASS_ITEM, CONSUMABLES, EMBLEMS, ENERGY, GAUNTLETS, GHOST, HELMET, KINETIC, LEGS,
    MODIFICATIONS, POWER, PURSUITS,
};
use super::class_type;
use super::defs::item_type::{
    ARMOR, CONSUMABLE, EMBLEM, GHOST as GHOST_SHELL, MOD, QUEST_STEP, WEAPON,
};
use super::defs::{ItemDef, icon_path};

/// What kind of item a definition is, which decides its bucket and its blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A weapon of one of the three weapon buckets.
    Weapon,
    /// An armor piece of one of the five armor buckets.
    Armor,
    /// A ghost shell.
    Ghost,
    /// A weapon or armor mod (a plug).
    Mod,
    /// A consumable or material stack.
    Consumable,
    /// An emblem.
    Emblem,
    /// A quest step.
    Quest,
}

/// The kinds with their share of the table: plugs (mods, shaders, ornaments) and pursuits
/// outnumber gear in the real manifest.
const KIND_WEIGHTS: [(Kind, u32); 7] = [
    (Kind::Weapon, 8),
    (Kind::Armor, 8),
    (Kind::Ghost, 1),
    (Kind::Mod, 42),
    (Kind::Consumable, 18),
    (Kind::Emblem, 4),
    (Kind::Quest, 19),
];

/// Weapon buckets with the sub types (`DestinyItemSubType`) and names they hold.
const WEAPON_BUCKETS: [(u32, &[(i32, &str)]); 3] = [
    (
        KINETIC,
        &[
            (9, "Hand Cannon"),
            (13, "Pulse Rifle"),
            (14, "Scout Rifle"),
            (6, "Auto Rifle"),
        ],
    ),
    (
        ENERGY,
        &[
            (12, "Sniper Rifle"),
            (7, "Shotgun"),
            (17, "Sidearm"),
            (24, "Submachine Gun"),
        ],
    ),
    (
        POWER,
        &[
            (10, "Rocket Launcher"),
            (11, "Fusion Rifle"),
            (18, "Sword"),
            (23, "Grenade Launcher"),
        ],
    ),
];

/// Armor buckets with their display names.
const ARMOR_BUCKETS: [(u32, &str); 5] = [
    (HELMET, "Helmet"),
    (GAUNTLETS, "Gauntlets"),
    (CHEST, "Chest Armor"),
    (LEGS, "Leg Armor"),
    (CLASS_ITEM, "Class Item"),
];

/// Syllables the made-up names are built from.
const SYLLABLES: [&str; 24] = [
    "ar", "ka", "thu", "vel", "mor", "ix", "sol", "dra", "en", "qua", "ris", "tal", "ven", "gor",
    "ely", "sha", "ni", "orb", "cai", "fel", "lum", "zer", "pho", "wyn",
];

/// Words the flavour texts are built from.
const WORDS: [&str; 20] = [
    "light", "dark", "the", "of", "city", "hive", "wall", "last", "echo", "storm", "guardian",
    "forge", "sun", "void", "arc", "traveler", "memory", "promise", "edge", "tower",
];

/// Writes a table of `count` definitions made from `seed` to `out`: one JSON object from hash
/// (as a string) to entity, as `jsonWorldComponentContentPaths` files are. The same seed always
/// writes the same bytes.
pub fn write_item_table(count: usize, seed: u64, out: &mut impl Write) -> io::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let hashes = unique_hashes(count, &mut rng);
    out.write_all(b"{")?;
    for (index, hash) in hashes.into_iter().enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        let kind = pick_kind(&mut rng);
        let definition = definition(hash, kind, &mut rng);
        let mut entity = definition.to_json(index);
        blocks::fill(&mut entity, &definition, kind, &mut rng);
        serde_json::to_writer(&mut *out, &hash.to_string())?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, &entity)?;
    }
    out.write_all(b"}\n")
}

/// `count` distinct non-zero hashes, in ascending order like the real files.
fn unique_hashes(count: usize, rng: &mut ChaCha8Rng) -> BTreeSet<u32> {
    let mut hashes = BTreeSet::new();
    while hashes.len() < count {
        hashes.insert(rng.random_range(1..=u32::MAX));
    }
    hashes
}

fn pick_kind(rng: &mut ChaCha8Rng) -> Kind {
    let total: u32 = KIND_WEIGHTS.iter().map(|(_, weight)| weight).sum();
    let mut roll = rng.random_range(0..total);
    for (kind, weight) in KIND_WEIGHTS {
        if roll < weight {
            return kind;
        }
        roll -= weight;
    }
    Kind::Weapon
}

/// A made-up name of two or three syllables, capitalized, sometimes with a suffix.
fn name(rng: &mut ChaCha8Rng) -> String {
    let parts = rng.random_range(2..=3);
    let mut name: String = (0..parts)
        .filter_map(|_| SYLLABLES.choose(rng).copied())
        .collect();
    if let Some(first) = name.get(..1).map(str::to_uppercase) {
        name.replace_range(..1, &first);
    }
    if rng.random_bool(0.2) {
        name.push_str(&format!(
            " {}-{}",
            ["Mk.", "SR", "PR", "v"][rng.random_range(0..4)],
            rng.random_range(1..99)
        ));
    }
    name
}

/// A sentence of a number of made-up words in the range `words`.
fn sentence(rng: &mut ChaCha8Rng, words: std::ops::Range<usize>) -> String {
    let words = rng.random_range(words);
    let text: Vec<&str> = (0..words)
        .filter_map(|_| WORDS.choose(rng).copied())
        .collect();
    let mut text = text.join(" ");
    if let Some(first) = text.get(..1).map(str::to_uppercase) {
        text.replace_range(..1, &first);
    }
    text.push('.');
    text
}

/// The simulator's record of one definition of a kind.
fn definition(hash: u32, kind: Kind, rng: &mut ChaCha8Rng) -> ItemDef {
    let tier_type = match rng.random_range(0..20) {
        0..=1 => 6,
        2..=11 => 5,
        12..=15 => 4,
        16..=18 => 3,
        _ => 2,
    };
    let mut def = ItemDef {
        hash,
        name: name(rng),
        description: sentence(rng, 4..10),
        icon: icon_path(hash),
        tier_type,
        item_type: WEAPON,
        item_sub_type: 0,
        item_type_display_name: String::new(),
        bucket_type_hash: KINETIC,
        class_type: class_type::ANY,
        max_stack_size: 1,
        instanced: true,
        equippable: true,
        lockable: true,
        trackable: false,
        unique_label: None,
        non_transferrable: false,
        does_postmaster_pull_have_side_effects: false,
    };
    match kind {
        Kind::Weapon => {
            let (bucket, types) = WEAPON_BUCKETS[rng.random_range(0..WEAPON_BUCKETS.len())];
            let (sub_type, type_name) = types[rng.random_range(0..types.len())];
            def.bucket_type_hash = bucket;
            def.item_sub_type = sub_type;
            def.item_type_display_name = type_name.to_owned();
            def.unique_label = (tier_type == 6).then(|| "exotic_weapon".to_owned());
        }
        Kind::Armor => {
            let (bucket, type_name) = ARMOR_BUCKETS[rng.random_range(0..ARMOR_BUCKETS.len())];
            def.item_type = ARMOR;
            def.bucket_type_hash = bucket;
            def.item_type_display_name = type_name.to_owned();
            def.class_type = rng.random_range(class_type::TITAN..=class_type::WARLOCK);
            def.unique_label = (tier_type == 6).then(|| "exotic_armor".to_owned());
        }
        Kind::Ghost => {
            def.item_type = GHOST_SHELL;
            def.bucket_type_hash = GHOST;
            def.item_type_display_name = "Ghost Shell".to_owned();
        }
        Kind::Mod => {
            def.item_type = MOD;
            def.bucket_type_hash = MODIFICATIONS;
            def.item_type_display_name = "Weapon Mod".to_owned();
            stack(&mut def, 99);
        }
        Kind::Consumable => {
            def.item_type = CONSUMABLE;
            def.bucket_type_hash = CONSUMABLES;
            def.item_type_display_name = "Material".to_owned();
            stack(&mut def, 9999);
        }
        Kind::Emblem => {
            def.item_type = EMBLEM;
            def.bucket_type_hash = EMBLEMS;
            def.item_type_display_name = "Emblem".to_owned();
        }
        Kind::Quest => {
            def.item_type = QUEST_STEP;
            def.bucket_type_hash = PURSUITS;
            def.item_type_display_name = "Quest Step".to_owned();
            def.equippable = false;
            def.trackable = true;
            def.non_transferrable = true;
            def.does_postmaster_pull_have_side_effects = rng.random_bool(0.1);
        }
    }
    def
}

/// Makes a definition an uninstanced, unequippable stack of up to `max` items.
fn stack(def: &mut ItemDef, max: i32) {
    def.max_stack_size = max;
    def.instanced = false;
    def.equippable = false;
    def.lockable = false;
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    fn table(count: usize, seed: u64) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_item_table(count, seed, &mut bytes).expect("written to memory");
        bytes
    }

    #[test]
    fn the_table_maps_each_hash_to_its_entity() {
        let parsed: Value = serde_json::from_slice(&table(500, 1)).expect("JSON");
        let entities = parsed.as_object().expect("an object from hash to entity");
        assert_eq!(entities.len(), 500);
        let mut indexes = BTreeSet::new();
        for (hash, entity) in entities {
            assert_eq!(
                entity["hash"].as_u64().map(|h| h.to_string()).as_deref(),
                Some(hash.as_str())
            );
            indexes.extend(entity["index"].as_u64());
            assert!(
                entity["displayProperties"]["name"]
                    .as_str()
                    .is_some_and(|n| !n.is_empty())
            );
            assert!(entity["inventory"]["bucketTypeHash"].is_u64());
            assert!(entity["inventory"]["tierType"].is_i64());
            assert!(entity["inventory"]["maxStackSize"].is_i64());
            assert!(entity["itemType"].is_i64() && entity["classType"].is_u64());
            assert_eq!(entity["redacted"], false);
            if entity["equippable"] == true {
                assert!(
                    entity["equippingBlock"]["uniqueLabel"].is_string(),
                    "{entity}"
                );
            }
        }
        assert_eq!(indexes, (0..500).collect(), "each entity has its own index");
    }

    #[test]
    fn entities_are_about_two_kilobytes_like_the_real_ones() {
        let count = 2_000;
        let average = table(count, 3).len() / count;
        assert!(
            (1_800..=2_600).contains(&average),
            "{average} bytes per entity"
        );
    }

    #[test]
    fn the_seed_decides_the_bytes() {
        assert_eq!(table(50, 9), table(50, 9));
        assert_ne!(table(50, 9), table(50, 10));
    }

    #[test]
    fn every_kind_is_present_with_its_bucket() {
        let parsed: Value = serde_json::from_slice(&table(2_000, 5)).expect("JSON");
        let buckets: BTreeSet<u64> = parsed
            .as_object()
            .expect("an object")
            .values()
            .filter_map(|entity| entity["inventory"]["bucketTypeHash"].as_u64())
            .collect();
        for bucket in [
            KINETIC,
            ENERGY,
            POWER,
            HELMET,
            CLASS_ITEM,
            GHOST,
            MODIFICATIONS,
            CONSUMABLES,
            EMBLEMS,
            PURSUITS,
        ] {
            assert!(
                buckets.contains(&u64::from(bucket)),
                "no item of bucket {bucket}"
            );
        }
    }

    #[test]
    fn an_empty_table_is_an_empty_object() {
        assert_eq!(table(0, 1), b"{}\n");
    }
}
