//! The parts of a saved GetProfile envelope the import reads, as serde types. Unknown fields are
//! ignored; int64 values arrive as JSON strings (numbers are accepted too).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// The bungie.net envelope around any answer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Envelope {
    /// The answer itself, read as [`Profile`] once the envelope says it is a success.
    #[serde(default)]
    pub response: Option<Value>,
    /// `ErrorCode` (1 = Success).
    #[serde(default)]
    pub error_code: Option<i64>,
    /// `ErrorStatus` ("Success", "DestinyAccountNotFound", ...).
    #[serde(default)]
    pub error_status: Option<String>,
}

/// A `DestinyProfileResponse`, as far as the import needs it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Component 102: the vault and the account-wide buckets.
    #[serde(default)]
    pub profile_inventory: Component<ItemList>,
    /// Component 103: Glimmer, Legendary Shards and the other currencies.
    #[serde(default)]
    pub profile_currencies: Component<ItemList>,
    /// Component 200, keyed by character id.
    #[serde(default)]
    pub characters: Option<Component<BTreeMap<String, Character>>>,
    /// Component 201, keyed by character id: inventories and postmasters.
    #[serde(default)]
    pub character_inventories: Component<BTreeMap<String, ItemList>>,
    /// Component 205, keyed by character id: what each character wears.
    #[serde(default)]
    pub character_equipment: Component<BTreeMap<String, ItemList>>,
    /// Component 300 and friends.
    #[serde(default)]
    pub item_components: ItemComponents,
}

/// A component: its data, when the answer carries it.
#[derive(Debug, Deserialize)]
pub struct Component<T> {
    /// Absent when the component was not asked for or is private.
    #[serde(default = "none")]
    pub data: Option<T>,
}

/// `None`, as a serde default that needs no `T: Default`.
fn none<T>() -> Option<T> {
    None
}

impl<T> Default for Component<T> {
    fn default() -> Self {
        Self { data: None }
    }
}

/// `{ "items": [...] }`.
#[derive(Debug, Default, Deserialize)]
pub struct ItemList {
    /// The items.
    #[serde(default)]
    pub items: Vec<Item>,
}

/// A `DestinyCharacterComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Character {
    /// The Destiny membership that owns the character.
    pub membership_id: Int64,
    /// Its platform.
    pub membership_type: i32,
    /// The character id.
    pub character_id: Int64,
    /// RFC 3339.
    #[serde(default)]
    pub date_last_played: String,
    /// Total minutes played.
    #[serde(default)]
    pub minutes_played_total: Int64,
    /// `DestinyClass`.
    pub class_type: u8,
    /// `DestinyRace`.
    #[serde(default)]
    pub race_type: u8,
    /// `DestinyGender`.
    #[serde(default)]
    pub gender_type: u8,
    /// The emblem the character wears.
    #[serde(default)]
    pub emblem_hash: u32,
}

/// A `DestinyItemComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// The definition hash.
    pub item_hash: u32,
    /// The instance id of an instanced item.
    #[serde(default)]
    pub item_instance_id: Option<Int64>,
    /// The stack size.
    #[serde(default = "one")]
    pub quantity: i32,
    /// The bucket it sits in.
    pub bucket_hash: u32,
    /// `TransferStatuses` flags (2 = NotTransferrable).
    #[serde(default)]
    pub transfer_status: i32,
    /// Whether it can be locked.
    #[serde(default)]
    pub lockable: bool,
    /// `ItemState` flags (1 = Locked, 2 = Tracked).
    #[serde(default)]
    pub state: i32,
}

/// A stack of one, when the file leaves the quantity out.
fn one() -> i32 {
    1
}

/// The item components the import reads.
#[derive(Debug, Default, Deserialize)]
pub struct ItemComponents {
    /// Component 300, keyed by instance id.
    #[serde(default)]
    pub instances: Component<BTreeMap<String, Instance>>,
}

/// A `DestinyItemInstanceComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Instance {
    /// Attack for weapons, Defense for armor.
    #[serde(default)]
    pub primary_stat: Option<Stat>,
    /// `DamageType` (1 = Kinetic).
    #[serde(default)]
    pub damage_type: i32,
}

/// A `DestinyStat`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stat {
    /// Which stat.
    pub stat_hash: u32,
    /// Its value.
    pub value: i32,
}

/// An int64, which bungie.net sends as a JSON string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Int64Text")]
pub struct Int64(pub i64);

/// The two ways an int64 may be written.
#[derive(Deserialize)]
#[serde(untagged)]
enum Int64Text {
    Text(String),
    Number(i64),
}

impl TryFrom<Int64Text> for Int64 {
    type Error = String;

    fn try_from(value: Int64Text) -> Result<Self, String> {
        match value {
            Int64Text::Number(number) => Ok(Self(number)),
            Int64Text::Text(text) => text
                .parse()
                .map(Self)
                .map_err(|_| format!("`{text}` is not an int64")),
        }
    }
}
