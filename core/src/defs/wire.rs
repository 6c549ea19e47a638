//! The fields Courier reads of DestinyInventoryItemDefinition and
//! DestinyInventoryBucketDefinition, as structs that borrow from the table's bytes, and their
//! conversion to the compact [`ItemDef`] and [`BucketDef`]. Everything else is skipped.

use std::borrow::Cow;

use serde::Deserialize;

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

/// `DestinyInventoryItemDefinition`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemEntity<'a> {
    #[serde(borrow, default)]
    display_properties: DisplayProperties<'a>,
    #[serde(borrow, default)]
    item_type_display_name: Cow<'a, str>,
    #[serde(default)]
    inventory: InventoryBlock,
    #[serde(default)]
    item_type: i64,
    /// Missing means any class.
    class_type: Option<i64>,
    #[serde(default)]
    equippable: bool,
    #[serde(borrow, default)]
    equipping_block: Option<EquippingBlock<'a>>,
    #[serde(default)]
    non_transferrable: bool,
    #[serde(default)]
    does_postmaster_pull_have_side_effects: bool,
    #[serde(default)]
    redacted: bool,
    #[serde(default)]
    blacklisted: bool,
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
