//! The fields Courier reads of DestinyInventoryItemDefinition and
//! DestinyInventoryBucketDefinition, as structs that borrow from the table's bytes, and their
//! conversion to the compact [`ItemDef`] and [`BucketDef`]. Everything else is skipped.

use std::borrow::Cow;

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::table::Entity;
use crate::model::{BucketDef, BucketScope, ClassType, ItemDef, ItemKind, Tier};

/// `DestinyDisplayPropertiesDefinition`.
#[derive(Default, Deserialize)]
struct DisplayProperties<'a> {
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    icon: Cow<'a, str>,
}

/// `DestinyInventoryItemDefinition`: a missing field reads as its default (a missing class as
/// any class), every other field is skipped, and of a field given twice the last counts. Read by
/// [`ItemEntityVisitor`] rather than derived: the derived reader also reads the entity as a
/// sequence and names each field through an enum, which the item table never needs, and it was
/// 0.8 kB of the gzipped wasm module.
#[derive(Default)]
pub(super) struct ItemEntity<'a> {
    display_properties: DisplayProperties<'a>,
    item_type_display_name: Cow<'a, str>,
    inventory: InventoryBlock,
    item_type: i64,
    /// Missing means any class.
    class_type: Option<i64>,
    equippable: bool,
    equipping_block: Option<EquippingBlock<'a>>,
    non_transferrable: bool,
    does_postmaster_pull_have_side_effects: bool,
    redacted: bool,
    blacklisted: bool,
}

/// A key or a text, borrowed from the table's bytes unless it has escapes.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de> Deserialize<'de> for ItemEntity<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ItemEntityVisitor)
    }
}

/// Reads an [`ItemEntity`] field by field.
struct ItemEntityVisitor;

impl<'de> Visitor<'de> for ItemEntityVisitor {
    type Value = ItemEntity<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an item definition (an object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemEntity<'de>, A::Error> {
        let mut entity = ItemEntity::default();
        while let Some(Text(key)) = map.next_key()? {
            match key.as_ref() {
                "displayProperties" => entity.display_properties = map.next_value()?,
                "itemTypeDisplayName" => {
                    entity.item_type_display_name = map.next_value::<Text<'de>>()?.0;
                }
                "inventory" => entity.inventory = map.next_value()?,
                "itemType" => entity.item_type = map.next_value()?,
                "classType" => entity.class_type = map.next_value()?,
                "equippable" => entity.equippable = map.next_value()?,
                "equippingBlock" => entity.equipping_block = map.next_value()?,
                "nonTransferrable" => entity.non_transferrable = map.next_value()?,
                "doesPostmasterPullHaveSideEffects" => {
                    entity.does_postmaster_pull_have_side_effects = map.next_value()?;
                }
                "redacted" => entity.redacted = map.next_value()?,
                "blacklisted" => entity.blacklisted = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(entity)
    }
}

/// `DestinyItemInventoryBlockDefinition`.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InventoryBlock {
    #[serde(default)]
    tier_type: i64,
    #[serde(default)]
    bucket_type_hash: u32,
    /// Missing means one per stack.
    max_stack_size: Option<i32>,
}

/// `DestinyEquippingBlockDefinition`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EquippingBlock<'a> {
    #[serde(borrow, default)]
    unique_label: Option<Cow<'a, str>>,
}

impl<'de> Entity<'de> for ItemEntity<'de> {
    type Def = ItemDef;

    fn into_def(self) -> Option<ItemDef> {
        if self.redacted || self.blacklisted {
            return None;
        }
        Some(ItemDef {
            name: self.display_properties.name.into_owned(),
            icon: self.display_properties.icon.into_owned(),
            tier: Tier::from_api(self.inventory.tier_type),
            kind: ItemKind::from_api(self.item_type),
            type_name: self.item_type_display_name.into_owned(),
            bucket_hash: self.inventory.bucket_type_hash,
            class_type: self.class_type.map_or(ClassType::Any, ClassType::from_api),
            unique_label: self
                .equipping_block
                .and_then(|block| block.unique_label)
                .filter(|label| !label.is_empty())
                .map(Cow::into_owned),
            max_stack: self.inventory.max_stack_size.unwrap_or(1),
            equippable: self.equippable,
            non_transferrable: self.non_transferrable,
            postmaster_side_effects: self.does_postmaster_pull_have_side_effects,
        })
    }
}

/// `DestinyInventoryBucketDefinition`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BucketEntity<'a> {
    #[serde(borrow, default)]
    display_properties: DisplayProperties<'a>,
    #[serde(default)]
    item_count: i64,
    #[serde(default)]
    scope: i64,
    #[serde(default)]
    category: i32,
    #[serde(default)]
    redacted: bool,
    #[serde(default)]
    blacklisted: bool,
}

impl<'de> Entity<'de> for BucketEntity<'de> {
    type Def = BucketDef;

    fn into_def(self) -> Option<BucketDef> {
        if self.redacted || self.blacklisted {
            return None;
        }
        Some(BucketDef {
            name: self.display_properties.name.into_owned(),
            // Out-of-range counts saturate: a negative count holds nothing.
            capacity: u32::try_from(self.item_count.max(0)).unwrap_or(u32::MAX),
            scope: BucketScope::from_api(self.scope),
            category: self.category,
        })
    }
}
