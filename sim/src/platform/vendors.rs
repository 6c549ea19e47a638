//! GetVendors, GetVendor and GetPublicVendors: Xur's presence, stock and costs. When Xur is
//! away his vendor is missing from the lists and asking for it is 1627.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::components::{Component, Components, components_query};
use super::ids::parse_param;
use super::profile::character_not_found;
use super::{check_membership, check_owner};
use crate::auth::Caller;
use crate::envelope::{self, PlatformError, PlatformResult, answer};
use crate::state::{AppState, SimState};
use crate::world::{Sale, World, XUR_VENDOR_HASH};

/// Public vendor lists are keyed by this vendor group.
const XUR_CATEGORY_INDEX: i32 = 0;

/// Checks the path's membership and character for a character's vendors.
fn check_character(
    locked: &SimState,
    caller: &Caller,
    params: &HashMap<String, String>,
) -> Result<(), PlatformError> {
    let get = |name: &str| params.get(name).map_or("", String::as_str);
    check_owner(locked, caller)?;
    check_membership(
        locked,
        parse_param(get("membershipType"), "membershipType")?,
        parse_param(get("destinyMembershipId"), "destinyMembershipId")?,
    )?;
    let character_id: i64 = parse_param(get("characterId"), "characterId")?;
    locked
        .world
        .character_index(character_id)
        .map(|_| ())
        .ok_or_else(|| character_not_found(character_id))
}

/// The next weekly reset after now, as the vendor's refresh date.
fn next_refresh(state: &AppState) -> String {
    const WEEK_MS: u128 = 7 * 24 * 3600 * 1000;
    let now = state.clock.unix_millis(state.now());
    // Weekly reset: Tuesday 17:00 UTC; the Unix epoch was a Thursday.
    let offset = (5 * 24 + 17) * 3600 * 1000;
    let next = (now + WEEK_MS - offset) / WEEK_MS * WEEK_MS + offset;
    crate::clock::rfc3339_from_unix_millis(next)
}

/// A `DestinyVendorComponent` (public vendors get the same fields minus progression).
fn vendor_component(state: &AppState, world: &World) -> Value {
    json!({
        "vendorHash": XUR_VENDOR_HASH,
        "ackState": { "needsAck": false, "ackId": 0 },
        "nextRefreshDate": next_refresh(state),
        "enabled": true,
        "canPurchase": true,
        "vendorLocationIndex": world.xur.location_index,
    })
}

/// A `DestinyVendorSaleItemComponent`.
fn sale_component(sale: &Sale) -> Value {
    json!({
        "vendorItemIndex": sale.vendor_item_index,
        "itemHash": sale.item_hash,
        "quantity": sale.quantity,
        "costs": sale.costs.iter().map(|(hash, quantity)| json!({
            "itemHash": hash,
            "quantity": quantity,
            "hasConditionalVisibility": false,
        })).collect::<Vec<_>>(),
        "saleStatus": 0,
        "requiredUnlocks": [],
        "unlockStatuses": [],
        "failureIndexes": [],
        "augments": 0,
        "itemValueVisibility": [],
        "apiPurchasable": false,
    })
}

/// `{saleItems: {index: sale}}` of Xur's stock.
fn sales(world: &World) -> Value {
    let items: Map<String, Value> = world
        .xur
        .sales
        .iter()
        .map(|sale| (sale.vendor_item_index.to_string(), sale_component(sale)))
        .collect();
    json!({ "saleItems": items })
}

/// `DestinyVendorCategoriesComponent` of Xur's stock: one category with every sale.
fn categories(world: &World) -> Value {
    json!({
        "categories": [{
            "displayCategoryIndex": XUR_CATEGORY_INDEX,
            "itemIndexes": world.xur.sales.iter().map(|s| s.vendor_item_index).collect::<Vec<_>>(),
        }]
    })
}

/// The multi-vendor answer shape (GetVendors and GetPublicVendors): Xur when present.
fn vendor_lists(
    state: &AppState,
    world: &World,
    components: &Components,
    with_groups: bool,
) -> Value {
    let keyed = |value: Value| -> Value {
        let mut map = Map::new();
        if world.xur.present {
            map.insert(XUR_VENDOR_HASH.to_string(), value);
        }
        json!({ "data": map, "privacy": 1 })
    };
    let mut response = json!({});
    if with_groups {
        response["vendorGroups"] = json!({
            "data": { "groups": [{ "vendorGroupHash": 3_227_191_227_u32, "vendorHashes": if world.xur.present { vec![XUR_VENDOR_HASH] } else { vec![] } }] },
            "privacy": 1,
        });
    }
    if components.has(Component::Vendors) {
        response["vendors"] = keyed(vendor_component(state, world));
    }
    if components.has(Component::VendorCategories) {
        response["categories"] = keyed(categories(world));
    }
    if components.has(Component::VendorSales) {
        response["sales"] = keyed(sales(world));
    }
    response
}

fn components(query: Option<&str>) -> Result<Components, PlatformError> {
    Components::parse(components_query(query).as_deref())
}

/// `GET .../Character/{characterId}/Vendors/`.
pub async fn vendors_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    RawQuery(query): RawQuery,
) -> Response {
    let locked = state.lock();
    let result: PlatformResult = (|| {
        let components = components(query.as_deref())?;
        check_character(&locked, &caller, &params)?;
        Ok(vendor_lists(&state, &locked.world, &components, true))
    })();
    answer(result)
}

/// `GET .../Character/{characterId}/Vendors/{vendorHash}/`.
pub async fn vendor_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(params): Path<HashMap<String, String>>,
    RawQuery(query): RawQuery,
) -> Response {
    let locked = state.lock();
    let world = &locked.world;
    let result: PlatformResult = (|| {
        let components = components(query.as_deref())?;
        check_character(&locked, &caller, &params)?;
        let vendor_hash: u32 = parse_param(
            params.get("vendorHash").map_or("", String::as_str),
            "vendorHash",
        )?;
        if vendor_hash != XUR_VENDOR_HASH || !world.xur.present {
            return Err(PlatformError::new(
                envelope::DESTINY_VENDOR_NOT_FOUND,
                format!("The vendor {vendor_hash} is not available right now."),
            ));
        }
        let mut response = json!({});
        if components.has(Component::Vendors) {
            response["vendor"] = json!({ "data": vendor_component(&state, world), "privacy": 1 });
        }
        if components.has(Component::VendorCategories) {
            response["categories"] = json!({ "data": categories(world), "privacy": 1 });
        }
        if components.has(Component::VendorSales) {
            let sales: Map<String, Value> = world
                .xur
                .sales
                .iter()
                .map(|s| (s.vendor_item_index.to_string(), sale_component(s)))
                .collect();
            response["sales"] = json!({ "data": sales, "privacy": 1 });
        }
        Ok(response)
    })();
    answer(result)
}

/// `GET /Platform/Destiny2/Vendors/`: public stock, no sign-in needed.
pub async fn public_vendors_get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Response {
    let locked = state.lock();
    answer(
        components(query.as_deref())
            .map(|components| vendor_lists(&state, &locked.world, &components, true)),
    )
}
