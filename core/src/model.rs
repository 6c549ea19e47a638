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

/// int64 ids travel as JSON strings of digits (numbers are accepted too); in the binary form the
/// inventory and journal are kept in ([`Inventory::to_bytes`]), as plain integers.
pub mod int64_string {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Writes the id as a string (as an integer in a binary form).
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(value)
        } else {
            serializer.serialize_i64(*value)
        }
    }

    /// Reads a string of digits or a number (without buffering the value, as an untagged enum
    /// would: ids are read thousands of times per profile); an integer in a binary form.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(Int64Visitor)
        } else {
            deserializer.deserialize_i64(Int64Visitor)
        }
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

/// Where an item is: `{"kind": "vault" | "account" | "character" | "postmaster", "characterId"}`,
/// the id `null` for the vault and account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self")]
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

crate::tagged::wire_in_text!(Location, LocationWire);

/// A location as it is written and read (see [`crate::tagged`]).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationWire {
    kind: LocationKind,
    character_id: Option<CharacterId>,
}

/// The `kind` of a location.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum LocationKind {
    Vault,
    Account,
    Character,
    Postmaster,
}

impl From<Location> for LocationWire {
    fn from(location: Location) -> Self {
        let (kind, character_id) = match location {
            Location::Vault => (LocationKind::Vault, None),
            Location::Account => (LocationKind::Account, None),
            Location::Character(id) => (LocationKind::Character, Some(id)),
            Location::Postmaster(id) => (LocationKind::Postmaster, Some(id)),
        };
        Self { kind, character_id }
    }
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

/// One item or stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The instance id; uninstanced stacks have none.
    pub instance_id: Option<ItemId>,
    /// The definition hash.
    pub hash: u32,
    /// The stack size (1 for instanced items).
    pub quantity: i32,
    /// The bucket it sits in now (the vault bucket in the vault, the postmaster bucket there).
    pub bucket_hash: u32,
    /// Where it is.
    pub location: Location,
    /// Whether it is equipped.
    pub equipped: bool,
    /// Whether it is locked.
    pub locked: bool,
    /// Whether it can be locked.
    pub lockable: bool,
    /// `TransferStatuses` flags (1 equipped, 2 not transferable, 4 no room).
    pub transfer_status: u32,
    /// Its power, for weapons and armor.
    pub power: Option<i32>,
}

/// A stack of one: what a missing quantity means in a GetProfile answer.
pub(crate) fn one() -> i32 {
    1
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
    /// How names are folded when a search compares them; not part of the tables' data.
    #[serde(skip)]
    pub case_fold: CaseFold,
}

/// Folds a name (or what a search looks for in it) so that case does not matter: lowercase, as
/// Unicode defines it. The default is Rust's own lowercasing with the `unicode-case` feature
/// (on by default), and ASCII letters only without it: the extension's wasm build leaves Rust's
/// case tables out (7 kB of its gzipped module) and folds with the JavaScript engine's
/// `toLowerCase`, which lowercases the same way.
#[derive(Clone, Copy)]
pub struct CaseFold(pub fn(&str) -> String);

impl CaseFold {
    /// `text`, folded.
    pub fn fold(self, text: &str) -> String {
        (self.0)(text)
    }
}

impl Default for CaseFold {
    fn default() -> Self {
        #[cfg(feature = "unicode-case")]
        return CaseFold(str::to_lowercase);
        #[cfg(not(feature = "unicode-case"))]
        return CaseFold(str::to_ascii_lowercase);
    }
}

impl fmt::Debug for CaseFold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CaseFold")
    }
}

impl PartialEq for CaseFold {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
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
    /// The inventory from the bytes [`Inventory::to_bytes`] writes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, postcard::Error> {
        postcard::from_bytes(bytes)
    }

    /// The inventory in its compact binary form (postcard), for the extension to keep and hand
    /// back: a sixth of its JSON, and read several times faster. Only core reads and writes it,
    /// so the wasm core holds one copy of that code.
    pub fn to_bytes(&self) -> Result<Vec<u8>, postcard::Error> {
        postcard::to_allocvec(self)
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
    fn the_vault_and_account_write_no_character() {
        assert_eq!(
            serde_json::to_string(&Location::Vault).expect("serializes"),
            r#"{"kind":"vault","characterId":null}"#
        );
        assert_eq!(
            serde_json::from_str::<Location>(r#"{"kind":"account"}"#).expect("reads"),
            Location::Account
        );
    }

    /// An inventory with each kind of place and every optional field both ways.
    fn varied_inventory() -> Inventory {
        let item = |instance_id, location, quantity, flags: bool, power| Item {
            instance_id,
            hash: 1_234_567_890,
            quantity,
            bucket_hash: 138_197_802,
            location,
            equipped: flags,
            locked: flags,
            lockable: !flags,
            transfer_status: u32::from(flags) * 2,
            power,
        };
        let titan = CharacterId(2_305_843_009_504_575_107);
        Inventory {
            membership_type: 2,
            membership_id: 4_611_686_018_433_092_312,
            characters: vec![Character {
                id: titan,
                class_type: ClassType::Titan,
                light: 1_810,
                emblem_path: "/common/emblem.jpg".into(),
                emblem_background_path: "/common/emblem-bg.jpg".into(),
                date_last_played: "2026-01-01T12:00:00Z".into(),
            }],
            items: vec![
                item(
                    Some(ItemId(6_917_529_137_866_000_001)),
                    Location::Character(titan),
                    1,
                    true,
                    Some(1_805),
                ),
                item(None, Location::Vault, 250, false, None),
                item(None, Location::Account, 9_999, false, None),
                item(
                    Some(ItemId(-1)),
                    Location::Postmaster(titan),
                    1,
                    false,
                    Some(0),
                ),
            ],
            minted: Some("2026-01-01T12:00:00.000Z".into()),
        }
    }

    #[test]
    fn an_inventory_reads_back_what_it_writes() {
        let inventory = varied_inventory();
        let bytes = inventory.to_bytes().expect("serializes");
        assert_eq!(Inventory::from_bytes(&bytes), Ok(inventory.clone()));
        let empty = Inventory::default();
        let bytes_of_empty = empty.to_bytes().expect("serializes");
        assert_eq!(Inventory::from_bytes(&bytes_of_empty), Ok(empty));
        // Ids are plain integers there, not text: the whole inventory is shorter than its JSON.
        let json = serde_json::to_vec(&inventory).expect("serializes");
        assert!(
            bytes.len() * 2 < json.len(),
            "{} vs {}",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn a_cut_or_foreign_inventory_is_refused() {
        let bytes = varied_inventory().to_bytes().expect("serializes");
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                Inventory::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        assert!(Inventory::from_bytes(br#"{"membershipType":2}"#).is_err());
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
