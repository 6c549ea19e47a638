//! The entries of the real manifest that every world shares: the standard inventory buckets with
//! their capacities, the three classes, Xur's vendor definition and the currencies vendors charge.

use super::buckets::{
    CHEST, CLASS_ITEM, CONSUMABLES, CURRENCIES, EMBLEMS, ENERGY, ENGRAMS, GAUNTLETS, GHOST, HELMET,
    KINETIC, LEGS, MODIFICATIONS, POSTMASTER, POWER, PURSUITS, VAULT,
};
use super::defs::{BucketDef, BucketScope, ClassDef, ItemDef, VendorDef, icon_path};
use super::{XUR_VENDOR_HASH, class_type};

/// Currency item hashes, as the real manifest numbers them.
pub mod currency {
    /// Glimmer.
    pub const GLIMMER: u32 = 3159615086;
    /// Legendary Shards.
    pub const LEGENDARY_SHARDS: u32 = 1022552290;
    /// Strange Coins (a consumable Xur takes).
    pub const STRANGE_COIN: u32 = 800069450;
}

/// One row of the bucket table: hash, name, capacity, scope, category, location, fifo.
type BucketRow = (u32, &'static str, i32, BucketScope, i32, i32, bool);

/// The standard buckets with their real hashes and capacities.
const BUCKETS: [BucketRow; 17] = {
    use BucketScope::{Account, Character};
    [
        (KINETIC, "Kinetic Weapons", 10, Character, 3, 1, false),
        (ENERGY, "Energy Weapons", 10, Character, 3, 1, false),
        (POWER, "Power Weapons", 10, Character, 3, 1, false),
        (HELMET, "Helmet", 10, Character, 3, 1, false),
        (GAUNTLETS, "Gauntlets", 10, Character, 3, 1, false),
        (CHEST, "Chest Armor", 10, Character, 3, 1, false),
        (LEGS, "Leg Armor", 10, Character, 3, 1, false),
        (CLASS_ITEM, "Class Armor", 10, Character, 3, 1, false),
        (GHOST, "Ghost", 10, Character, 3, 1, false),
        (EMBLEMS, "Emblems", 10, Character, 3, 1, false),
        (ENGRAMS, "Engrams", 10, Character, 1, 1, false),
        (PURSUITS, "Pursuits", 63, Character, 1, 1, false),
        (POSTMASTER, "Lost Items", 21, Character, 1, 4, true),
        (CONSUMABLES, "Consumables", 50, Account, 1, 1, false),
        (MODIFICATIONS, "Modifications", 50, Account, 1, 1, false),
        (VAULT, "General", 700, Account, 1, 2, false),
        (CURRENCIES, "Currencies", 10, Account, 2, 1, false),
    ]
};

/// Builds a bucket definition from its table row.
fn bucket_def(row: &BucketRow) -> BucketDef {
    let (hash, name, item_count, scope, category, location, fifo) = *row;
    BucketDef {
        hash,
        name: name.to_owned(),
        item_count,
        scope,
        category,
        location,
        fifo,
    }
}

/// Every standard bucket definition.
pub fn buckets() -> impl Iterator<Item = BucketDef> {
    BUCKETS.iter().map(bucket_def)
}

/// The standard definition of one bucket, when the simulator knows it.
pub fn bucket(hash: u32) -> Option<BucketDef> {
    BUCKETS.iter().find(|row| row.0 == hash).map(bucket_def)
}

/// The three classes with their real hashes.
pub fn classes() -> [ClassDef; 3] {
    [
        (3655393761, class_type::TITAN, "Titan"),
        (671679327, class_type::HUNTER, "Hunter"),
        (2271682572, class_type::WARLOCK, "Warlock"),
    ]
    .map(|(hash, class_type, name)| ClassDef {
        hash,
        class_type,
        name: name.to_owned(),
    })
}

/// A vendor definition with an icon derived from its hash.
pub fn vendor(hash: u32, name: &str, subtitle: &str) -> VendorDef {
    VendorDef {
        hash,
        name: name.to_owned(),
        subtitle: subtitle.to_owned(),
        icon: icon_path(hash),
    }
}

/// Xur's vendor definition.
pub fn xur() -> VendorDef {
    vendor(XUR_VENDOR_HASH, "Xûr", "Agent of the Nine")
}

/// The currencies vendors charge in, with their real hashes and names.
pub fn currencies() -> [ItemDef; 3] {
    use super::defs::item_type::{CONSUMABLE, CURRENCY};
    #[rustfmt::skip]
    let rows = [
        (currency::GLIMMER, "Glimmer", 3, CURRENCIES, CURRENCY, 250_000),
        (currency::LEGENDARY_SHARDS, "Legendary Shards", 5, CURRENCIES, CURRENCY, 99_999),
        (currency::STRANGE_COIN, "Strange Coin", 6, CONSUMABLES, CONSUMABLE, 9_999),
    ];
    rows.map(
        |(hash, name, tier_type, bucket_type_hash, item_type, max_stack_size)| ItemDef {
            hash,
            name: name.to_owned(),
            description: format!("{name}, spent at vendors across the system."),
            icon: icon_path(hash),
            tier_type,
            item_type,
            item_sub_type: 0,
            item_type_display_name: "Currency".to_owned(),
            bucket_type_hash,
            class_type: class_type::ANY,
            max_stack_size,
            instanced: false,
            equippable: false,
            lockable: false,
            trackable: false,
            unique_label: None,
            non_transferrable: bucket_type_hash == CURRENCIES,
            does_postmaster_pull_have_side_effects: false,
        },
    )
}
