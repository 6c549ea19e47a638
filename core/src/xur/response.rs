//! The parts of the vendor answers the digest reads, as the OpenAPI spec names them
//! (`Destiny.Responses.DestinyVendorResponse`, `DestinyVendorsResponse`,
//! `DestinyPublicVendorsResponse`). Unknown fields are ignored; of the maps keyed by vendor hash
//! only Xur's entry is built, every other vendor is skipped as it is read.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::XUR_VENDOR_HASH;

/// GetVendor's `Response`: one vendor's components.
#[derive(Debug, Deserialize)]
pub(super) struct VendorResponse {
    /// Component 400 (Vendors).
    #[serde(default)]
    pub vendor: Option<Component<VendorComponent>>,
    /// Component 402 (VendorSales), keyed by vendorItemIndex.
    #[serde(default)]
    pub sales: Option<Component<SaleItems>>,
}

/// GetVendors' and GetPublicVendors' `Response`: components keyed by vendor hash. The fields
/// the digest reads have the same shape in both.
#[derive(Debug, Deserialize)]
pub(super) struct VendorsResponse {
    /// Component 400 (Vendors): which vendors are here.
    #[serde(default)]
    pub vendors: Option<Component<XurEntry<VendorComponent>>>,
    /// Component 402 (VendorSales).
    #[serde(default)]
    pub sales: Option<Component<XurEntry<SaleItemSet>>>,
}

/// A component: its `data` is missing when it is private or disabled.
#[derive(Debug, Deserialize)]
pub(super) struct Component<T> {
    /// The component's content (a missing field reads as `None`).
    pub data: Option<T>,
}

/// `DestinyVendorComponent` / `DestinyPublicVendorComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct VendorComponent {
    /// When the stock rotates.
    #[serde(default)]
    pub next_refresh_date: Option<String>,
    /// Whether the vendor is accessible now (the spec: else "they may not actually be visible
    /// in the world").
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl Default for VendorComponent {
    /// A vendor known to be here, with nothing else known.
    fn default() -> Self {
        VendorComponent {
            next_refresh_date: None,
            enabled: true,
        }
    }
}

/// Sale items keyed by vendorItemIndex (a string of digits on the wire), in index order.
pub(super) type SaleItems = BTreeMap<i32, SaleItem>;

/// `PersonalDestinyVendorSaleItemSetComponent` / `PublicDestinyVendorSaleItemSetComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SaleItemSet {
    /// The sales.
    #[serde(default)]
    pub sale_items: SaleItems,
}

/// `DestinyVendorSaleItemComponent` / `DestinyPublicVendorSaleItemComponent`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SaleItem {
    /// The index into the vendor definition's item list.
    pub vendor_item_index: i32,
    /// The item sold.
    pub item_hash: u32,
    /// How many come with one purchase.
    #[serde(default = "one")]
    pub quantity: i32,
    /// What it costs.
    #[serde(default)]
    pub costs: Vec<ItemQuantity>,
}

fn one() -> i32 {
    1
}

/// `DestinyItemQuantity`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemQuantity {
    /// The currency item.
    pub item_hash: u32,
    /// How much of it.
    pub quantity: i32,
}

/// Of a map keyed by vendor hash, Xur's entry; the other entries are skipped without being built.
#[derive(Debug)]
pub(super) struct XurEntry<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for XurEntry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntryVisitor<T> {
            type Value = XurEntry<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map keyed by vendor hash")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut xur = None;
                while let Some(vendor_hash) = map.next_key::<u32>()? {
                    if vendor_hash == XUR_VENDOR_HASH {
                        xur = Some(map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(XurEntry(xur))
            }
        }

        deserializer.deserialize_map(EntryVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_xurs_entry_is_kept_and_others_may_be_anything() {
        let text = r#"{"1": {"not": "a vendor"}, "2190858386": {"enabled": false}, "3": [1, 2]}"#;
        let entry: XurEntry<VendorComponent> = serde_json::from_str(text).expect("a vendor map");
        let xur = entry.0.expect("Xur's entry");
        assert!(!xur.enabled);
        assert_eq!(xur.next_refresh_date, None);
        let none: XurEntry<VendorComponent> = serde_json::from_str("{}").expect("an empty map");
        assert!(none.0.is_none());
    }

    #[test]
    fn keys_that_are_not_vendor_hashes_are_refused() {
        let result = serde_json::from_str::<XurEntry<IgnoredAny>>(r#"{"xur": {}}"#);
        assert!(result.is_err());
    }

    #[test]
    fn sale_items_are_ordered_by_their_numeric_index() {
        let text = r#"{"10": {"vendorItemIndex": 10, "itemHash": 5}, "9": {"vendorItemIndex": 9, "itemHash": 4}}"#;
        let sales: SaleItems = serde_json::from_str(text).expect("sale items");
        let order: Vec<i32> = sales.keys().copied().collect();
        assert_eq!(order, [9, 10]);
        assert_eq!(sales[&9].quantity, 1, "quantity defaults to one");
    }
}
