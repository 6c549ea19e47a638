//! The reads the worker does outside a run: the player's profile, the manifest's definitions,
//! and Xûr. Each sends core's requests through [`Connection`] and decodes with core.

use courier_core::api::{ApiRequest, DestinyManifest, UserInfoCard, UserMembershipData, decode};
use courier_core::defs::{BUCKET_TABLE, ITEM_TABLE};
use courier_core::exec::PROFILE_COMPONENTS;
use courier_core::inventory;
use courier_core::xur::{XUR_COMPONENTS, XUR_VENDOR_HASH, XurDigest, XurSource};
use js_sys::JsString;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::definitions::{self, DefinitionsBuilder};
use crate::error::CourierError;
use crate::http::{Answer, Connection};
use crate::js::{self, add_fields, object, to_js};
use crate::stored::read_inventory;
use crate::views;

/// The manifest language Courier reads.
const LANGUAGE: &str = "en";

/// `fetchProfile(connection)`: the signed-in player's inventory, as
/// `{inventory, minted, characters, membership}`: the inventory as the text the other
/// exports take, when bungie.net minted the answer, the characters and the membership.
/// bungie.net's refusals reject with the ApiError's kind (`signed_out`, ...).
#[wasm_bindgen(js_name = fetchProfile)]
pub async fn fetch_profile(connection: JsValue) -> Result<JsValue, CourierError> {
    let connection = Connection::from_js(connection)?;
    let membership = match connection.membership.clone() {
        Some(membership) => membership,
        None => membership(&connection).await?,
    };
    let request = ApiRequest::get_profile(
        membership.membership_type,
        membership.membership_id,
        &PROFILE_COMPONENTS,
    );
    let answer = connection.send_or_explain(&request).await?;
    let inventory = inventory::parse_profile(&answer.body)?;
    let profile = views::profile(&inventory)?;
    add_fields(
        &profile,
        &[("membership", to_js("membership", &membership)?)],
    );
    Ok(profile)
}

/// The Destiny membership of the signed-in account.
async fn membership(connection: &Connection) -> Result<UserInfoCard, CourierError> {
    let memberships: UserMembershipData =
        read(connection, &ApiRequest::get_memberships_for_current_user()).await?;
    memberships.primary().cloned().ok_or_else(|| {
        CourierError::new(
            "no_membership",
            "This bungie.net account has no Destiny 2 membership; link a platform account on bungie.net first.",
        )
    })
}

/// Sends a request and decodes its `Response`.
async fn read<T: serde::de::DeserializeOwned>(
    connection: &Connection,
    request: &ApiRequest,
) -> Result<T, CourierError> {
    let Answer {
        status,
        content_type,
        body,
    } = connection.send_or_explain(request).await?;
    Ok(decode(status, content_type.as_deref(), &body)?)
}

/// `fetchDefinitions(connection, cachedVersion?)`: `null` when the manifest is still at
/// `cachedVersion`; else downloads the item table (read chunk by chunk as it arrives) and the
/// bucket table, loads the definitions, and resolves to `{version, bytes}`.
#[wasm_bindgen(js_name = fetchDefinitions)]
pub async fn fetch_definitions(
    connection: JsValue,
    #[wasm_bindgen(js_name = cachedVersion)] cached_version: Option<String>,
) -> Result<JsValue, CourierError> {
    let connection = Connection::from_js(connection)?;
    let manifest: DestinyManifest = read(&connection, &ApiRequest::get_destiny_manifest()).await?;
    if cached_version.as_deref() == Some(manifest.version.as_str()) {
        return Ok(JsValue::NULL);
    }
    let table = |name: &str| {
        manifest.table_path(LANGUAGE, name).ok_or_else(|| {
            CourierError::new(
                "definitions",
                format!("The manifest lists no {name} table in {LANGUAGE:?}; try again later."),
            )
        })
    };
    let mut builder = DefinitionsBuilder::new();
    connection
        .content(table(ITEM_TABLE)?, |chunk| builder.push(chunk))
        .await?;
    let mut buckets = Vec::new();
    connection
        .content(table(BUCKET_TABLE)?, |chunk| {
            buckets.extend_from_slice(chunk);
            Ok(())
        })
        .await?;
    let bytes = builder.finish(&buckets)?;
    Ok(object(&[
        ("version", JsValue::from_str(&manifest.version)),
        ("bytes", js::bytes(&bytes)),
    ]))
}

/// `fetchXur(connection, inventory?)`: Xûr's digest, as the most recently played character
/// sees him when an inventory is given, else from the public vendors.
#[wasm_bindgen(js_name = fetchXur)]
pub async fn fetch_xur(
    connection: JsValue,
    inventory: Option<JsString>,
) -> Result<JsValue, CourierError> {
    let connection = Connection::from_js(connection)?;
    let inventory = inventory.as_ref().map(read_inventory).transpose()?;
    let character = inventory
        .as_ref()
        .and_then(|inventory| Some((inventory, inventory.characters.first()?)));
    let (source, request) = match character {
        Some((inventory, character)) => (
            XurSource::Vendor,
            ApiRequest::get_vendor(
                inventory.membership_type,
                inventory.membership_id,
                character.id,
                XUR_VENDOR_HASH,
                &XUR_COMPONENTS,
            ),
        ),
        None => (
            XurSource::PublicVendors,
            ApiRequest::get_public_vendors(&XUR_COMPONENTS),
        ),
    };
    let answer = connection.send_or_explain(&request).await?;
    let digest = XurDigest::from_answer(
        source,
        answer.status,
        answer.content_type.as_deref(),
        &answer.body,
        &definitions::current(),
    )?;
    to_js("Xûr's digest", &digest)
}
