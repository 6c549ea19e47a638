//! Xûr's stock as a digest: whether he is here, what he sells and for what, rendered as HTML
//! (for the email and the popup) and as plain text.
//!
//! The digest is built from the raw bytes of any of the three answers that carry his stock
//! (ask for [`XUR_COMPONENTS`]: 400, 401 and 402):
//!
//! | [`XurSource`] | request | Xûr is here when |
//! |---|---|---|
//! | `Vendor` | `GET .../Character/{id}/Vendors/2190858386/` | the answer succeeds (1627 DestinyVendorNotFound: he is away) |
//! | `CharacterVendors` | `GET .../Character/{id}/Vendors/` | his hash is among the listed vendors |
//! | `PublicVendors` | `GET /Platform/Destiny2/Vendors/` | his hash is among the listed vendors |
//!
//! A vendor whose component says `enabled: false` counts as away. When the answer has no
//! vendors component (component 400 was not asked for), his sales decide. bungie.net can keep
//! sending an away vendor's last sales (the captured answer of 2024-06-13 does): an away Xûr's
//! digest has no sales. Names come from the definitions when loaded, else `Item <hash>`.
//!
//! ```
//! use courier_core::model::Definitions;
//! use courier_core::xur::{XurDigest, XurSource};
//!
//! let body = br#"{"ErrorCode": 1627, "ErrorStatus": "DestinyVendorNotFound",
//!     "Message": "The Vendor you requested was not found.", "ThrottleSeconds": 0}"#;
//! let digest = XurDigest::from_answer(XurSource::Vendor, 500, None, body, &Definitions::default())
//!     .expect("an away Xûr is not an error");
//! assert!(!digest.present);
//! assert_eq!(digest.to_text(), "Xûr is not here this week.");
//! ```

mod render;
mod response;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError, Component};
use crate::model::{ClassType, Definitions, Tier};
use response::{SaleItem, SaleItems, VendorComponent, VendorResponse, VendorsResponse};

/// The vendor hash of Xûr, Agent of the Nine.
pub const XUR_VENDOR_HASH: u32 = 2190858386;

/// The components to ask for: the vendor (is he here, until when), its categories, its sales.
pub const XUR_COMPONENTS: [Component; 3] = [
    Component::Vendors,
    Component::VendorCategories,
    Component::VendorSales,
];

/// `DestinyVendorNotFound`: the vendor is not in the world now.
const VENDOR_NOT_FOUND: i32 = 1627;

/// Which answer the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum XurSource {
    /// GetVendor for Xûr's hash, for one character.
    Vendor,
    /// GetVendors, for one character.
    CharacterVendors,
    /// GetPublicVendors, no sign-in needed.
    PublicVendors,
}

/// Whether Xûr is here and what he sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XurDigest {
    /// Whether Xûr is in the world now.
    pub present: bool,
    /// When his stock changes (his vendor component's `nextRefreshDate`), when known.
    pub refresh_date: Option<String>,
    /// His sales in vendor item order; empty when he is away.
    pub sales: Vec<XurSale>,
}

/// One item Xûr sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XurSale {
    /// The index into his vendor definition's item list.
    pub vendor_item_index: i32,
    /// The item's definition hash.
    pub item_hash: u32,
    /// Its name, or `Item <hash>` without definitions.
    pub name: String,
    /// How many come with one purchase.
    pub quantity: i32,
    /// The class that may use it (`Any` also when unknown).
    pub class_type: ClassType,
    /// Its tier (`Unknown` without definitions).
    pub tier: Tier,
    /// "Hand Cannon", "Helmet", ... (empty without definitions).
    pub type_name: String,
    /// Its icon path (empty without definitions).
    pub icon: String,
    /// What it costs.
    pub costs: Vec<Cost>,
}

/// One currency and amount a sale costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    /// The currency item's hash.
    pub item_hash: u32,
    /// Its name, or `Item <hash>` without definitions.
    pub name: String,
    /// How much of it.
    pub quantity: i32,
}

impl XurDigest {
    /// The digest of an away Xûr.
    pub fn absent() -> XurDigest {
        XurDigest {
            present: false,
            refresh_date: None,
            sales: Vec::new(),
        }
    }

    /// Builds the digest from the HTTP status, `Content-Type` and raw body of one vendor answer.
    /// 1627 to GetVendor means Xûr is away; every other failure is the answer's [`ApiError`].
    pub fn from_answer(
        source: XurSource,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        definitions: &Definitions,
    ) -> Result<XurDigest, ApiError> {
        let (vendor, sales) = match source {
            XurSource::Vendor => {
                match api::decode::<VendorResponse>(status, content_type, body) {
                    Ok(response) => (
                        // A successful GetVendor answer is Xûr himself, even without component 400.
                        Some(response.vendor.and_then(|c| c.data).unwrap_or_default()),
                        response.sales.and_then(|c| c.data),
                    ),
                    Err(error) if error.code() == Some(VENDOR_NOT_FOUND) => (None, None),
                    Err(error) => return Err(error),
                }
            }
            XurSource::CharacterVendors | XurSource::PublicVendors => {
                let response = api::decode::<VendorsResponse>(status, content_type, body)?;
                let sales = response
                    .sales
                    .and_then(|c| c.data)
                    .and_then(|entry| entry.0)
                    .map(|set| set.sale_items);
                let vendor = match response.vendors.and_then(|c| c.data) {
                    Some(listed) => listed.0,
                    // Without the vendors component, sales are all there is to go by.
                    None => sales.as_ref().map(|_| VendorComponent::default()),
                };
                (vendor, sales)
            }
        };
        Ok(match vendor {
            Some(vendor) if vendor.enabled => XurDigest {
                present: true,
                refresh_date: vendor.next_refresh_date,
                sales: sales_of(sales.unwrap_or_default(), definitions),
            },
            _ => XurDigest::absent(),
        })
    }
}

/// The sales, named from the definitions, in vendor item order.
fn sales_of(items: SaleItems, definitions: &Definitions) -> Vec<XurSale> {
    items
        .into_values()
        .map(|item| sale(item, definitions))
        .collect()
}

fn sale(item: SaleItem, definitions: &Definitions) -> XurSale {
    let def = definitions.item(item.item_hash);
    XurSale {
        vendor_item_index: item.vendor_item_index,
        item_hash: item.item_hash,
        name: definitions.name(item.item_hash),
        quantity: item.quantity,
        class_type: def.map_or(ClassType::Any, |d| d.class_type),
        tier: def.map_or(Tier::Unknown, |d| d.tier),
        type_name: def.map(|d| d.type_name.clone()).unwrap_or_default(),
        icon: def.map(|d| d.icon.clone()).unwrap_or_default(),
        costs: item
            .costs
            .into_iter()
            .map(|cost| Cost {
                item_hash: cost.item_hash,
                name: definitions.name(cost.item_hash),
                quantity: cost.quantity,
            })
            .collect(),
    }
}
