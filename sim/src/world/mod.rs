//! The simulated account: who the player is, their characters, every item and where it sits,
//! the definitions that describe those items, and Xur's stock.
//!
//! A [`World`] is plain data. It is made by [`demo::demo_world`] (seeded) or loaded from a saved
//! GetProfile envelope by [`import::world_from_profile_file`], and changed only by the game rules
//! in `crate::platform::rules`. [`standard`] holds the manifest entries both kinds share.

pub mod defs;
pub mod demo;
pub mod import;
pub mod standard;
pub mod synthetic;

use serde::{Deserialize, Serialize};

pub use defs::{BucketDef, BucketScope, ClassDef, Definitions, ItemDef, VendorDef};

/// Well-known bucket hashes, as the real manifest has them.
pub mod buckets {
    /// Kinetic weapons.
    pub const KINETIC: u32 = 1498876634;
    /// Energy weapons.
    pub const ENERGY: u32 = 2465295065;
    /// Power (heavy) weapons.
    pub const POWER: u32 = 953998645;
    /// Helmet.
    pub const HELMET: u32 = 3448274439;
    /// Gauntlets.
    pub const GAUNTLETS: u32 = 3551918588;
    /// Chest armor.
    pub const CHEST: u32 = 14239492;
    /// Leg armor.
    pub const LEGS: u32 = 20886954;
    /// Class item.
    pub const CLASS_ITEM: u32 = 1585787867;
    /// Ghost shells.
    pub const GHOST: u32 = 4023194814;
    /// Account-wide consumables.
    pub const CONSUMABLES: u32 = 1469714392;
    /// Account-wide modifications.
    pub const MODIFICATIONS: u32 = 3313201758;
    /// The vault's General bucket.
    pub const VAULT: u32 = 138197802;
    /// A character's postmaster (Lost Items), first in, first out.
    pub const POSTMASTER: u32 = 215593132;
    /// Profile currencies (Glimmer, Legendary Shards, ...).
    pub const CURRENCIES: u32 = 2689798308;
    /// A character's emblems.
    pub const EMBLEMS: u32 = 4274335291;
    /// A character's engrams.
    pub const ENGRAMS: u32 = 375726501;
    /// A character's pursuits: quests and bounties.
    pub const PURSUITS: u32 = 1345459588;
    /// The character gear buckets that hold one equipped item each.
    pub const EQUIPPABLE: [u32; 9] = [
        KINETIC, ENERGY, POWER, HELMET, GAUNTLETS, CHEST, LEGS, CLASS_ITEM, GHOST,
    ];
}

/// Destiny's class types (`DestinyClass`).
pub mod class_type {
    /// Titan.
    pub const TITAN: u8 = 0;
    /// Hunter.
    pub const HUNTER: u8 = 1;
    /// Warlock.
    pub const WARLOCK: u8 = 2;
    /// Any class may use the item.
    pub const ANY: u8 = 3;
}

/// The vendor hash of Xur, Agent of the Nine.
pub const XUR_VENDOR_HASH: u32 = 2190858386;

/// The whole simulated account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct World {
    /// The signed-in player.
    pub account: Account,
    /// The player's characters, in the order the game lists them.
    pub characters: Vec<Character>,
    /// Every item the account holds, wherever it is.
    pub items: Vec<Item>,
    /// What the manifest says about items, buckets, classes and vendors.
    pub definitions: Definitions,
    /// Xur's presence and stock.
    pub xur: Xur,
    /// The next item instance id to hand out when a stack splits or an item appears.
    pub next_instance_id: i64,
}

/// The player behind the account and how they sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The bungie.net membership id (membershipType 254).
    pub bungie_membership_id: i64,
    /// The Destiny membership id on the platform.
    pub destiny_membership_id: i64,
    /// The platform (2 = PlayStation).
    pub membership_type: i32,
    /// The Bungie name before the `#`.
    pub display_name: String,
    /// The four-digit code after the `#`.
    pub display_name_code: i32,
    /// The PSN sign-in id.
    pub email: String,
    /// The PSN password.
    pub password: String,
    /// A valid Sony `npsso` cookie value for this player.
    pub npsso: String,
}

/// One character of the account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Character {
    /// The character id.
    pub id: i64,
    /// `DestinyClass`: 0 Titan, 1 Hunter, 2 Warlock.
    pub class_type: u8,
    /// `DestinyRace`: 0 Human, 1 Awoken, 2 Exo.
    pub race_type: u8,
    /// `DestinyGender`: 0 Male, 1 Female.
    pub gender_type: u8,
    /// The emblem the character wears.
    pub emblem_hash: u32,
    /// When the character was last played, as an RFC 3339 timestamp.
    pub date_last_played: String,
    /// Total minutes played on this character.
    pub minutes_played_total: i64,
    /// Whether the character is in an activity (then it cannot equip).
    pub in_activity: bool,
    /// The character's saved loadouts (component 206).
    pub loadouts: Vec<Loadout>,
}

/// A saved in-game loadout.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Loadout {
    /// The instance ids of the items it equips.
    pub item_ids: Vec<i64>,
}

/// Where an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "character")]
pub enum Place {
    /// In the vault.
    Vault,
    /// In an account-wide bucket (consumables, modifications, currencies).
    Account,
    /// On the character with this index into [`World::characters`] (inventory or equipped).
    Character(usize),
    /// In the postmaster of the character with this index.
    Postmaster(usize),
}

/// One item or stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The instance id of an instanced item; stacks of uninstanced items have none.
    pub instance_id: Option<i64>,
    /// The item definition hash.
    pub hash: u32,
    /// The stack size (1 for instanced items).
    pub quantity: i32,
    /// Where the item is.
    pub place: Place,
    /// The bucket it sits in now (the vault bucket when in the vault, the postmaster bucket when
    /// in the postmaster, else its definition's bucket).
    pub bucket_hash: u32,
    /// Whether the item is equipped on its character.
    pub equipped: bool,
    /// Whether the item is locked.
    pub locked: bool,
    /// Whether the item (a quest or bounty) is tracked.
    pub tracked: bool,
    /// The item's power level, for weapons and armor.
    pub power: Option<i32>,
}

/// Xur, the weekend vendor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Xur {
    /// Whether Xur is in the world this week.
    pub present: bool,
    /// Where he stands, as the game's location index.
    pub location_index: i32,
    /// What he sells.
    pub sales: Vec<Sale>,
}

/// One item a vendor sells.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sale {
    /// The vendor item index.
    pub vendor_item_index: i32,
    /// The item sold.
    pub item_hash: u32,
    /// How many come with one purchase.
    pub quantity: i32,
    /// What it costs: (currency item hash, quantity).
    pub costs: Vec<(u32, i32)>,
}

impl World {
    /// The index of the character with this id.
    pub fn character_index(&self, character_id: i64) -> Option<usize> {
        self.characters.iter().position(|c| c.id == character_id)
    }

    /// The index of the instanced item with this id.
    pub fn item_index(&self, instance_id: i64) -> Option<usize> {
        self.items
            .iter()
            .position(|i| i.instance_id == Some(instance_id))
    }

    /// Items at a place, in stored order.
    pub fn items_at(&self, place: Place) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.place == place)
    }

    /// How many slots of `bucket_hash` are used at `place` (each stack counts once; the equipped
    /// item counts too).
    pub fn slots_used(&self, place: Place, bucket_hash: u32) -> usize {
        self.items_at(place)
            .filter(|i| i.bucket_hash == bucket_hash)
            .count()
    }

    /// The capacity of a bucket from its definition, or `usize::MAX` when it is not defined.
    pub fn capacity(&self, bucket_hash: u32) -> usize {
        self.definitions
            .buckets
            .get(&bucket_hash)
            .map_or(usize::MAX, |b| b.item_count as usize)
    }

    /// The power a character shows: the mean power of its equipped weapons and armor.
    pub fn light(&self, character: usize) -> i32 {
        let powers: Vec<i32> = self
            .items_at(Place::Character(character))
            .filter(|i| i.equipped)
            .filter_map(|i| i.power)
            .collect();
        if powers.is_empty() {
            0
        } else {
            powers.iter().sum::<i32>() / powers.len() as i32
        }
    }

    /// Hands out a new, unused instance id.
    pub fn new_instance_id(&mut self) -> i64 {
        let id = self.next_instance_id;
        self.next_instance_id += 1;
        id
    }
}

/// Makes or loads the world a configuration asks for.
pub fn load(source: &crate::config::WorldSource, seed: u64) -> Result<World, import::WorldError> {
    match source {
        crate::config::WorldSource::Demo => Ok(demo::demo_world(seed)),
        crate::config::WorldSource::File(path) => import::world_from_profile_file(path),
    }
}
