//! The parts of a GetProfile answer Courier reads, as serde structs that borrow from the input
//! bytes. Every field not named here (sockets, plug sets, stats, reusable plugs, ...) is skipped
//! without being built.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::model::{CharacterId, ItemId, int64_string};

/// A component block: `data` is absent when the component is private to someone else.
#[derive(Deserialize)]
pub(super) struct Component<T> {
    /// The component's content.
    pub data: Option<T>,
}

/// `DestinyProfileResponse`, the components Courier uses; each is `None` when the answer did
/// not carry it (or carried `null`).
#[derive(Default)]
pub(super) struct ProfileResponse<'a> {
    /// When bungie.net built this answer.
    pub response_minted_timestamp: Option<Cow<'a, str>>,
    /// Component 100.
    pub profile: Option<Component<ProfileData>>,
    /// Component 102: the vault and account-wide buckets.
    pub profile_inventory: Option<Component<ItemList>>,
    /// Component 103.
    pub profile_currencies: Option<Component<ItemList>>,
    /// Component 200, by character id.
    pub characters: Option<Component<BTreeMap<CharacterId, CharacterData<'a>>>>,
    /// Component 201 (inventory and postmaster), by character id.
    pub character_inventories: Option<Component<BTreeMap<CharacterId, ItemList>>>,
    /// Component 205, by character id.
    pub character_equipment: Option<Component<BTreeMap<CharacterId, ItemList>>>,
    /// Component 300 (`itemComponents.instances`), as each instance's power: the value of its
    /// primary stat (attack or defense).
    pub powers: HashMap<ItemId, i32>,
}

/// `DestinyProfileComponent`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProfileData {
    /// The Destiny membership this profile belongs to.
    pub user_info: Option<UserInfo>,
}

/// `UserInfoCard`, its membership alone.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserInfo {
    /// The Destiny membership id.
    #[serde(with = "int64_string")]
    pub membership_id: i64,
    /// The platform.
    pub membership_type: i32,
}

/// `DestinyCharacterComponent`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CharacterData<'a> {
    /// The owner's Destiny membership id.
    #[serde(with = "int64_string")]
    pub membership_id: i64,
    /// The owner's platform.
    pub membership_type: i32,
    /// RFC 3339.
    #[serde(borrow)]
    pub date_last_played: Cow<'a, str>,
    /// The character's power.
    pub light: i32,
    /// `DestinyClass`.
    pub class_type: i64,
    /// The emblem's icon.
    #[serde(borrow, default)]
    pub emblem_path: Cow<'a, str>,
    /// The emblem's background.
    #[serde(borrow, default)]
    pub emblem_background_path: Cow<'a, str>,
}

/// `{ "items": [...] }`.
#[derive(Deserialize)]
pub(super) struct ItemList {
    /// The items.
    pub items: Vec<ItemData>,
}

/// `DestinyItemComponent`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemData {
    /// The definition hash.
    pub item_hash: u32,
    /// Absent for uninstanced stacks.
    pub item_instance_id: Option<ItemId>,
    /// The stack size.
    #[serde(default = "crate::model::one")]
    pub quantity: i32,
    /// The bucket it sits in.
    pub bucket_hash: u32,
    /// `TransferStatuses` flags.
    #[serde(default)]
    pub transfer_status: u32,
    /// Whether it can be locked.
    #[serde(default)]
    pub lockable: bool,
    /// `ItemState` flags (1 locked).
    #[serde(default)]
    pub state: u32,
}

/// `DestinyStat`.
#[derive(Deserialize)]
pub(super) struct Stat {
    /// The stat's value.
    pub value: i32,
}
