//! The manifest tables the simulator serves, as compact records, and their JSON in the shape
//! of the real `Destiny*Definition` entities.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// `DestinyItemType` values the worlds use.
pub mod item_type {
    /// No particular type.
    pub const NONE: i32 = 0;
    /// Currency.
    pub const CURRENCY: i32 = 1;
    /// Armor.
    pub const ARMOR: i32 = 2;
    /// Weapon.
    pub const WEAPON: i32 = 3;
    /// Engram.
    pub const ENGRAM: i32 = 8;
    /// Consumable (and material).
    pub const CONSUMABLE: i32 = 9;
    /// Quest step.
    pub const QUEST_STEP: i32 = 12;
    /// Emblem.
    pub const EMBLEM: i32 = 14;
    /// Mod.
    pub const MOD: i32 = 19;
    /// Ghost shell.
    pub const GHOST: i32 = 24;
}

/// Every definition the world knows, keyed by hash.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Definitions {
    /// DestinyInventoryItemDefinition.
    pub items: BTreeMap<u32, ItemDef>,
    /// DestinyInventoryBucketDefinition.
    pub buckets: BTreeMap<u32, BucketDef>,
    /// DestinyClassDefinition.
    pub classes: BTreeMap<u32, ClassDef>,
    /// DestinyVendorDefinition.
    pub vendors: BTreeMap<u32, VendorDef>,
}

/// What the simulator knows of one item definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemDef {
    /// The definition hash.
    pub hash: u32,
    /// The display name.
    pub name: String,
    /// The flavour text.
    pub description: String,
    /// The icon path under `/common/destiny2_content/icons/`.
    pub icon: String,
    /// `TierType`: 2 basic, 3 common, 4 rare, 5 legendary (superior), 6 exotic.
    pub tier_type: i32,
    /// `DestinyItemType`: 2 armor, 3 weapon, 9 consumable, 19 mod, ...
    pub item_type: i32,
    /// `DestinyItemSubType`.
    pub item_sub_type: i32,
    /// What the game calls the kind of item ("Hand Cannon", "Helmet").
    pub item_type_display_name: String,
    /// The bucket the item goes to on a character or the account.
    pub bucket_type_hash: u32,
    /// `DestinyClass` that may use it (3 = any).
    pub class_type: u8,
    /// How many fit in one stack.
    pub max_stack_size: i32,
    /// Whether each copy has its own instance.
    pub instanced: bool,
    /// Whether the item can be equipped.
    pub equippable: bool,
    /// Whether the item can be locked.
    pub lockable: bool,
    /// Whether the item is a quest step or bounty that can be tracked.
    pub trackable: bool,
    /// Items sharing a non-empty label cannot be equipped together ("exotic_weapon").
    pub unique_label: Option<String>,
    /// Whether the item can never leave the character that has it.
    pub non_transferrable: bool,
    /// Whether pulling it from the postmaster does something in the game (then the API refuses).
    pub does_postmaster_pull_have_side_effects: bool,
}

/// Where a bucket lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BucketScope {
    /// One per character.
    Character,
    /// One for the whole account.
    Account,
}

/// What the simulator knows of one inventory bucket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketDef {
    /// The bucket hash.
    pub hash: u32,
    /// Its name ("Kinetic Weapons").
    pub name: String,
    /// How many stacks it holds (for equippable buckets, including the equipped one).
    pub item_count: i32,
    /// Character or account scope.
    pub scope: BucketScope,
    /// `BucketCategory`: 0 invisible, 1 item, 2 currency, 3 equippable, 4 ignored.
    pub category: i32,
    /// `ItemLocation`: 1 inventory, 2 vault, 4 postmaster.
    pub location: i32,
    /// Whether the oldest item falls out when the bucket overflows (the postmaster).
    pub fifo: bool,
}

/// What the simulator knows of one class.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassDef {
    /// The class hash.
    pub hash: u32,
    /// `DestinyClass`.
    pub class_type: u8,
    /// "Titan", "Hunter", "Warlock".
    pub name: String,
}

/// What the simulator knows of one vendor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VendorDef {
    /// The vendor hash.
    pub hash: u32,
    /// The vendor's name.
    pub name: String,
    /// A line about the vendor.
    pub subtitle: String,
    /// The vendor's icon path.
    pub icon: String,
}

/// The `displayProperties` block every definition carries.
fn display_properties(name: &str, description: &str, icon: &str) -> Value {
    json!({
        "description": description,
        "name": name,
        "icon": icon,
        "hasIcon": !icon.is_empty(),
    })
}

impl ItemDef {
    /// The tier name the game shows for [`ItemDef::tier_type`].
    pub fn tier_type_name(&self) -> &'static str {
        match self.tier_type {
            6 => "Exotic",
            5 => "Legendary",
            4 => "Rare",
            3 => "Common",
            2 => "Basic",
            _ => "Unknown",
        }
    }

    /// The entity as a `DestinyInventoryItemDefinition`.
    pub fn to_json(&self, index: usize) -> Value {
        let label = self.unique_label.clone().unwrap_or_default();
        let mut entity = json!({
            "displayProperties": display_properties(&self.name, &self.description, &self.icon),
            "itemTypeDisplayName": self.item_type_display_name,
            "itemTypeAndTierDisplayName": format!("{} {}", self.tier_type_name(), self.item_type_display_name),
            "inventory": {
                "maxStackSize": self.max_stack_size,
                "bucketTypeHash": self.bucket_type_hash,
                "recoveryBucketTypeHash": super::buckets::POSTMASTER,
                "tierTypeHash": tier_type_hash(self.tier_type),
                "isInstanceItem": self.instanced,
                "nonTransferrableOriginal": self.non_transferrable,
                "tierTypeName": self.tier_type_name(),
                "tierType": self.tier_type,
                "expirationTooltip": "",
                "isExpirationTooltipWrapped": false,
                "suppressExpirationWhenObjectivesComplete": true,
            },
            "equippable": self.equippable,
            "classType": self.class_type,
            "itemType": self.item_type,
            "itemSubType": self.item_sub_type,
            "nonTransferrable": self.non_transferrable,
            "doesPostmasterPullHaveSideEffects": self.does_postmaster_pull_have_side_effects,
            "allowActions": true,
            "isWrapper": false,
            "hash": self.hash,
            "index": index,
            "redacted": false,
            "blacklisted": false,
        });
        // bungie.net leaves the block out for items that cannot be equipped (never null).
        if self.equippable {
            entity["equippingBlock"] = json!({
                "uniqueLabel": label,
                "uniqueLabelHash": if label.is_empty() { 0 } else { fnv1a(&label) },
                "equipmentSlotTypeHash": self.bucket_type_hash,
                "attributes": 0,
                "equippingSoundHash": 0,
                "hornSoundHash": 0,
                "ammoType": 0,
                "displayStrings": [],
            });
        }
        entity
    }
}

impl BucketDef {
    /// The entity as a `DestinyInventoryBucketDefinition`.
    pub fn to_json(&self, index: usize) -> Value {
        json!({
            "displayProperties": display_properties(&self.name, "", ""),
            "scope": match self.scope { BucketScope::Character => 0, BucketScope::Account => 1 },
            "category": self.category,
            "bucketOrder": index as i32 * 10,
            "itemCount": self.item_count,
            "location": self.location,
            "hasTransferDestination": self.category == 3 || self.location == 2,
            "enabled": true,
            "fifo": self.fifo,
            "hash": self.hash,
            "index": index,
            "redacted": false,
            "blacklisted": false,
        })
    }
}

impl ClassDef {
    /// The entity as a `DestinyClassDefinition`.
    pub fn to_json(&self, index: usize) -> Value {
        json!({
            "classType": self.class_type,
            "displayProperties": display_properties(&self.name, "", ""),
            "genderedClassNamesByGenderHash": {
                "3111576190": self.name,
                "2204441813": self.name,
            },
            "hash": self.hash,
            "index": index,
            "redacted": false,
            "blacklisted": false,
        })
    }
}

impl VendorDef {
    /// The entity as a `DestinyVendorDefinition`.
    pub fn to_json(&self, index: usize) -> Value {
        json!({
            "displayProperties": {
                "description": self.subtitle,
                "name": self.name,
                "icon": self.icon,
                "hasIcon": true,
                "subtitle": self.subtitle,
                "largeIcon": self.icon,
                "originalIcon": self.icon,
                "smallTransparentIcon": self.icon,
                "mapIcon": self.icon,
                "largeTransparentIcon": self.icon,
                "requirementsDisplay": [],
            },
            "vendorProgressionType": 0,
            "buyString": "Purchase",
            "sellString": "Sell",
            "displayItemHash": 0,
            "inhibitBuying": false,
            "inhibitSelling": true,
            "factionHash": 0,
            "resetIntervalMinutes": 10080,
            "resetOffsetMinutes": 1020,
            "failureStrings": [],
            "unlockRanges": [],
            "vendorIdentifier": self.name.to_uppercase().replace(' ', "_"),
            "vendorBanner": "",
            "enabled": true,
            "visible": true,
            "consolidateCategories": false,
            "actions": [],
            "categories": [],
            "originalCategories": [],
            "displayCategories": [],
            "interactions": [],
            "inventoryFlyouts": [],
            "itemList": [],
            "services": [],
            "acceptedItems": [],
            "returnWithVendorRequest": false,
            "locations": [],
            "groups": [],
            "ignoreSaleItemHashes": [],
            "hash": self.hash,
            "index": index,
            "redacted": false,
            "blacklisted": false,
        })
    }
}

/// The `DestinyItemTierTypeDefinition` hash of a tier, as the real manifest numbers them.
fn tier_type_hash(tier_type: i32) -> u32 {
    match tier_type {
        6 => 2759499571,
        5 => 4008398120,
        4 => 2127292149,
        3 => 2395677314,
        _ => 3340296461,
    }
}

/// The 32-bit FNV-1a hash, used to make stable hashes from names.
pub fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// A stable icon path for a hash, in the real form `/common/destiny2_content/icons/<32 hex>.jpg`.
pub fn icon_path(hash: u32) -> String {
    let digest: String = (0..4)
        .map(|part| format!("{:08x}", fnv1a(&format!("{hash}/{part}"))))
        .collect();
    format!("/common/destiny2_content/icons/{digest}.jpg")
}

impl Definitions {
    /// One manifest table as the JSON object the content path serves: hash (as a string) to entity.
    pub fn table_json(&self, table: &str) -> Option<Value> {
        fn collect<T>(map: &BTreeMap<u32, T>, render: impl Fn(&T, usize) -> Value) -> Value {
            Value::Object(
                map.iter()
                    .enumerate()
                    .map(|(index, (hash, def))| (hash.to_string(), render(def, index)))
                    .collect(),
            )
        }
        Some(match table {
            "DestinyInventoryItemDefinition" => collect(&self.items, ItemDef::to_json),
            "DestinyInventoryBucketDefinition" => collect(&self.buckets, BucketDef::to_json),
            "DestinyClassDefinition" => collect(&self.classes, ClassDef::to_json),
            "DestinyVendorDefinition" => collect(&self.vendors, VendorDef::to_json),
            _ => return None,
        })
    }

    /// One entity, as `GetDestinyEntityDefinition` answers it.
    pub fn entity_json(&self, table: &str, hash: u32) -> Option<Value> {
        fn find<T>(
            map: &BTreeMap<u32, T>,
            hash: u32,
            render: impl Fn(&T, usize) -> Value,
        ) -> Option<Value> {
            map.keys()
                .position(|h| *h == hash)
                .and_then(|index| map.get(&hash).map(|def| render(def, index)))
        }
        match table {
            "DestinyInventoryItemDefinition" => find(&self.items, hash, ItemDef::to_json),
            "DestinyInventoryBucketDefinition" => find(&self.buckets, hash, BucketDef::to_json),
            "DestinyClassDefinition" => find(&self.classes, hash, ClassDef::to_json),
            "DestinyVendorDefinition" => find(&self.vendors, hash, VendorDef::to_json),
            _ => None,
        }
    }

    /// The names of the tables the simulator serves.
    pub const TABLES: [&'static str; 4] = [
        "DestinyInventoryItemDefinition",
        "DestinyInventoryBucketDefinition",
        "DestinyClassDefinition",
        "DestinyVendorDefinition",
    ];
}
