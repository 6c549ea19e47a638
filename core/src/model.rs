//! The inventory as Courier sees it: characters, items and where they are, plus the compact
//! definitions that name them. Everything else in core (planner, executor, search, Xur) works
//! on these types; the inventory parser builds them from GetProfile bytes.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::tagged::needed;

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
    /// A character's postmaster (Lost Items).
    pub const POSTMASTER: u32 = 215593132;
    /// The weapon buckets.
    pub const WEAPONS: [u32; 3] = [KINETIC, ENERGY, POWER];
    /// The armor buckets.
    pub const ARMOR: [u32; 5] = [HELMET, GAUNTLETS, CHEST, LEGS, CLASS_ITEM];
}

/// The vault's capacity when no bucket definition says otherwise.
pub const DEFAULT_VAULT_CAPACITY: u32 = 600;
/// A character gear bucket's capacity (equipped item included) when no definition says otherwise.
pub const DEFAULT_GEAR_CAPACITY: u32 = 10;
/// A postmaster's capacity.
pub const POSTMASTER_CAPACITY: u32 = 21;

/// A character id (int64, sent as a string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CharacterId(#[serde(with = "int64_string")] pub i64);

/// An item instance id (int64, sent as a string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(#[serde(with = "int64_string")] pub i64);

impl fmt::Display for CharacterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// int64 ids travel as JSON strings of digits (numbers are accepted too).
pub mod int64_string {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes the id as a string.
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string of digits or a number (without buffering the value, as an untagged enum
    /// would: ids are read thousands of times per profile).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(Int64Visitor)
    }

    /// Accepts an int64 as a number or as a string of digits.
    struct Int64Visitor;

    impl Visitor<'_> for Int64Visitor {
        type Value = i64;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("an int64 id, as a number or a string of digits")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value).map_err(|_| E::custom(format!("{value} is not an int64 id")))
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<i64, E> {
            parse(text).ok_or_else(|| E::custom(format!("{text:?} is not an int64 id")))
        }
    }

    /// An int64 written in decimal. Up to 19 plain digits (every id bungie.net sends) are read
    /// without overflow checks, which cost a 128-bit multiply per digit on wasm32; anything
    /// else goes through `str::parse`.
    pub fn parse(text: &str) -> Option<i64> {
        let digits = text.as_bytes();
        if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
            return text.parse().ok();
        }
        let value = digits
            .iter()
            .fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
        i64::try_from(value).ok()
    }
}

/// `DestinyClass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassType {
    /// 0.
    Titan,
    /// 1.
    Hunter,
    /// 2.
    Warlock,
    /// 3: any class (or unknown).
    Any,
}

impl ClassType {
    /// From the API's number.
    pub fn from_api(value: i64) -> Self {
        match value {
            0 => ClassType::Titan,
            1 => ClassType::Hunter,
            2 => ClassType::Warlock,
            _ => ClassType::Any,
        }
    }

    /// The class's name ("Titan"), or "Any".
    pub fn name(self) -> &'static str {
        match self {
            ClassType::Titan => "Titan",
            ClassType::Hunter => "Hunter",
            ClassType::Warlock => "Warlock",
            ClassType::Any => "Any",
        }
    }

    /// Whether an item of this class may be used by a character of `character`.
    pub fn allows(self, character: ClassType) -> bool {
        self == ClassType::Any || self == character
    }
}

/// `TierType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Unknown or none.
    Unknown,
    /// 2: basic.
    Basic,
    /// 3: common (uncommon).
    Common,
    /// 4: rare.
    Rare,
    /// 5: legendary.
    Legendary,
    /// 6: exotic.
    Exotic,
}

impl Tier {
    /// From the API's number.
    pub fn from_api(value: i64) -> Self {
        match value {
            2 => Tier::Basic,
            3 => Tier::Common,
            4 => Tier::Rare,
            5 => Tier::Legendary,
            6 => Tier::Exotic,
            _ => Tier::Unknown,
        }
    }
}

/// What kind of thing an item is, from `DestinyItemType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// 3.
    Weapon,
    /// 2.
    Armor,
    /// 24: ghost shells.
    Ghost,
    /// 9.
    Consumable,
    /// 19.
    Mod,
    /// 12: quest steps; 26 bounties.
    Quest,
    /// Anything else.
    Other,
}

impl ItemKind {
    /// From the API's number.
    pub fn from_api(value: i64) -> Self {
        match value {
            2 => ItemKind::Armor,
            3 => ItemKind::Weapon,
            9 => ItemKind::Consumable,
            12 | 26 => ItemKind::Quest,
            19 => ItemKind::Mod,
            24 => ItemKind::Ghost,
            _ => ItemKind::Other,
        }
    }
}

/// Where an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    tag = "kind",
    content = "characterId",
    try_from = "LocationWire"
)]
pub enum Location {
    /// In the vault.
    Vault,
    /// In an account-wide bucket (consumables, modifications).
    Account,
    /// On a character (inventory or equipped).
    Character(CharacterId),
    /// In a character's postmaster.
    Postmaster(CharacterId),
}

/// A location's JSON as it is read (see [`crate::tagged`]).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationWire {
    kind: LocationKind,
    character_id: Option<CharacterId>,
}

/// The `kind` of a location.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum LocationKind {
    Vault,
    Account,
    Character,
    Postmaster,
}

impl TryFrom<LocationWire> for Location {
    type Error = String;

    fn try_from(wire: LocationWire) -> Result<Self, String> {
        Ok(match wire.kind {
            LocationKind::Vault => Location::Vault,
            LocationKind::Account => Location::Account,
            LocationKind::Character => Location::Character(needed(
                wire.character_id,
                "a character location",
                "characterId",
            )?),
            LocationKind::Postmaster => Location::Postmaster(needed(
                wire.character_id,
                "a postmaster location",
                "characterId",
            )?),
        })
    }
}

/// One character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Character {
    /// The character id.
    pub id: CharacterId,
    /// Its class.
    pub class_type: ClassType,
    /// Its power level.
    pub light: i32,
    /// Its emblem's icon path.
    pub emblem_path: String,
    /// Its emblem's background path.
    pub emblem_background_path: String,
    /// When it was last played (RFC 3339).
    pub date_last_played: String,
}

/// One item or stack. Fields at their usual value (no instance id, a quantity of one, not
/// equipped, ...) are left out of its JSON, which keeps the inventory's text about a third
/// shorter; reading fills them back in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The instance id; uninstanced stacks have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<ItemId>,
    /// The definition hash.
    pub hash: u32,
    /// The stack size (1 for instanced items).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub quantity: i32,
    /// The bucket it sits in now (the vault bucket in the vault, the postmaster bucket there).
    pub bucket_hash: u32,
    /// Where it is.
    pub location: Location,
    /// Whether it is equipped.
    #[serde(default, skip_serializing_if = "is_false")]
    pub equipped: bool,
    /// Whether it is locked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub locked: bool,
    /// Whether it can be locked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub lockable: bool,
    /// `TransferStatuses` flags (1 equipped, 2 not transferable, 4 no room).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub transfer_status: u32,
    /// Its power, for weapons and armor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<i32>,
}

/// A stack of one, the usual quantity (and what a missing quantity means on the wire).
pub(crate) fn one() -> i32 {
    1
}

/// Whether a quantity is the usual one.
fn is_one(quantity: &i32) -> bool {
    *quantity == 1
}

/// Whether a flag is off.
fn is_false(flag: &bool) -> bool {
    !*flag
}

/// Whether a set of flags is empty.
fn is_zero(flags: &u32) -> bool {
    *flags == 0
}

/// The whole inventory of one Destiny account.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    /// The platform (`membershipType`).
    pub membership_type: i32,
    /// The Destiny membership id (a string on the wire, like every int64 id).
    #[serde(with = "int64_string")]
    pub membership_id: i64,
    /// The characters, most recently played first.
    pub characters: Vec<Character>,
    /// Every item the answer held.
    pub items: Vec<Item>,
    /// `responseMintedTimestamp` of the answer it was built from.
    pub minted: Option<String>,
}

/// Where a bucket lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BucketScope {
    /// One per character.
    Character,
    /// One for the account.
    Account,
}

impl BucketScope {
    /// From the API's `BucketScope` number (0 character, 1 account).
    pub fn from_api(value: i64) -> Self {
        match value {
            1 => BucketScope::Account,
            _ => BucketScope::Character,
        }
    }
}

/// What Courier needs of a DestinyInventoryBucketDefinition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketDef {
    /// The bucket's name.
    pub name: String,
    /// How many stacks it holds (equippable buckets count the equipped item).
    pub capacity: u32,
    /// Character or account.
    pub scope: BucketScope,
    /// `BucketCategory` (3 equippable, 2 currency, ...).
    pub category: i32,
}

/// What Courier needs of a DestinyInventoryItemDefinition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDef {
    /// The display name.
    pub name: String,
    /// The icon path.
    pub icon: String,
    /// The tier.
    pub tier: Tier,
    /// The kind of item.
    pub kind: ItemKind,
    /// "Hand Cannon", "Helmet", ...
    pub type_name: String,
    /// The bucket it goes to on a character or the account.
    pub bucket_hash: u32,
    /// The class that may use it.
    pub class_type: ClassType,
    /// Items sharing a label cannot be equipped together.
    pub unique_label: Option<String>,
    /// How many fit in one stack.
    pub max_stack: i32,
    /// Whether it can be equipped.
    pub equippable: bool,
    /// Whether it never leaves its character.
    pub non_transferrable: bool,
    /// Whether pulling it from the postmaster has side effects (the API refuses it).
    pub postmaster_side_effects: bool,
}

/// The compact definition tables. Empty is valid: everything then works on hashes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Definitions {
    /// Item definitions by hash.
    pub items: HashMap<u32, ItemDef>,
    /// Bucket definitions by hash.
    pub buckets: HashMap<u32, BucketDef>,
}

impl Definitions {
    /// The definition of an item's hash, if loaded.
    pub fn item(&self, hash: u32) -> Option<&ItemDef> {
        self.items.get(&hash)
    }

    /// The name to show for a hash: its definition's, or the hash itself.
    pub fn name(&self, hash: u32) -> String {
        self.item(hash)
            .map_or_else(|| format!("Item {hash}"), |d| d.name.clone())
    }

    /// A bucket's capacity, from its definition or the documented defaults.
    pub fn capacity(&self, bucket_hash: u32) -> u32 {
        match self.buckets.get(&bucket_hash) {
            Some(bucket) => bucket.capacity,
            None if bucket_hash == buckets::VAULT => DEFAULT_VAULT_CAPACITY,
            None if bucket_hash == buckets::POSTMASTER => POSTMASTER_CAPACITY,
            None => DEFAULT_GEAR_CAPACITY,
        }
    }
}

impl Inventory {
    /// The inventory from the JSON text [`Inventory::to_json`] writes.
    ///
    /// The inventory's (and the journal's) JSON is read and written only through core's own
    /// functions, so the wasm core holds one copy of that code rather than one per crate.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }

    /// The inventory as JSON text, for the extension to keep and hand back.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// The character with this id.
    pub fn character(&self, id: CharacterId) -> Option<&Character> {
        self.characters.iter().find(|c| c.id == id)
    }

    /// The instanced item with this id.
    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.iter().find(|i| i.instance_id == Some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_back_what_they_write() {
        for location in [
            Location::Vault,
            Location::Account,
            Location::Character(CharacterId(2305843009)),
            Location::Postmaster(CharacterId(7)),
        ] {
            let text = serde_json::to_string(&location).expect("serializes");
            assert_eq!(
                serde_json::from_str::<Location>(&text).expect(&text),
                location
            );
        }
        assert_eq!(
            serde_json::to_string(&Location::Character(CharacterId(7))).expect("serializes"),
            r#"{"kind":"character","characterId":"7"}"#
        );
    }

    #[test]
    fn a_character_location_without_its_character_is_refused() {
        let error =
            serde_json::from_str::<Location>(r#"{"kind":"postmaster"}"#).expect_err("no character");
        assert!(
            error
                .to_string()
                .contains("a postmaster location needs `characterId`"),
            "{error}"
        );
        assert!(serde_json::from_str::<Location>(r#"{"kind":"moon"}"#).is_err());
    }
}
