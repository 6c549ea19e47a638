//! The synchronous exports: reading a profile, the popup's snapshot, search, planning, starting
//! a run, and the context menu's look-ups. Each reads its arguments, calls core, and hands the
//! result back as a plain object; the inventory crosses as text ([`crate::stored`]).

use std::collections::HashSet;

use courier_core::exec::Executor;
use courier_core::links;
use courier_core::model::{Character, Inventory, ItemId};
use courier_core::plan::{self, Intent, MakeRoom, PlanOptions};
use courier_core::popup;
use courier_core::search::{self, Context, Query};
use js_sys::JsString;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::definitions;
use crate::error::CourierError;
use crate::js::{add_fields, from_js, from_js_with, object, to_js};
use crate::stored::{inventory_text, journal_text, read_inventory};

/// `parseProfile(bytes)`: the inventory in a GetProfile answer, as the text every other export
/// takes back ([`crate::stored`]).
#[wasm_bindgen(js_name = parseProfile)]
pub fn parse_profile(bytes: &[u8]) -> Result<JsString, CourierError> {
    inventory_text(&courier_core::inventory::parse_profile(bytes)?)
}

/// What the extension keeps of an inventory, besides its text.
#[derive(Serialize)]
struct Facts<'a> {
    /// `responseMintedTimestamp` of the answer it came from, to tell newer from older.
    minted: Option<&'a str>,
    /// The characters, most recently played first (for the menu's titles).
    characters: &'a [Character],
}

/// `{inventory, minted, characters}`: the inventory as the text the exports take back, and the
/// two facts the extension reads itself.
pub fn profile(inventory: &Inventory) -> Result<JsValue, CourierError> {
    let profile = to_js(
        "profile",
        &Facts {
            minted: inventory.minted.as_deref(),
            characters: &inventory.characters,
        },
    )?;
    add_fields(
        &profile,
        &[("inventory", inventory_text(inventory)?.into())],
    );
    Ok(profile)
}

/// `snapshot(inventory, signedIn, authMode, stale)`: everything the popup shows.
#[wasm_bindgen]
pub fn snapshot(
    inventory: &JsString,
    #[wasm_bindgen(js_name = signedIn)] signed_in: bool,
    #[wasm_bindgen(js_name = authMode)] auth_mode: &str,
    stale: bool,
) -> Result<JsValue, CourierError> {
    let inventory = read_inventory(inventory)?;
    let definitions = definitions::current();
    let snapshot = popup::snapshot(&inventory, &definitions, signed_in, auth_mode, stale);
    to_js("snapshot", &snapshot)
}

/// What a search matched.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Matches {
    /// How many items matched.
    count: usize,
    /// The instance ids of the matches that have one.
    item_ids: Vec<ItemId>,
    /// The distinct hashes of the matches, in inventory order.
    hashes: Vec<u32>,
}

/// `search(inventory, query)`: `{count, itemIds, hashes}` of the items the query matches; a
/// query that does not parse throws kind `search`, with the position in the message.
#[wasm_bindgen]
pub fn search(inventory: &JsString, query: &str) -> Result<JsValue, CourierError> {
    let inventory = read_inventory(inventory)?;
    let query = Query::parse(query)?;
    let definitions = definitions::current();
    let context = Context {
        inventory: &inventory,
        definitions: &definitions,
    };
    let matched = search::filter(query, &context);
    let mut seen = HashSet::new();
    let matches = Matches {
        count: matched.len(),
        item_ids: matched.iter().filter_map(|item| item.instance_id).collect(),
        hashes: matched
            .iter()
            .map(|item| item.hash)
            .filter(|hash| seen.insert(*hash))
            .collect(),
    };
    to_js("search result", &matches)
}

/// `plan(inventory, intent, makeRoom)`: the plan for one intent (`makeRoom` is `"never"` or
/// `"allowed"`): its steps, what it moves aside, and a refusal if it cannot be done.
#[wasm_bindgen]
pub fn plan(
    inventory: &JsString,
    intent: JsValue,
    #[wasm_bindgen(js_name = makeRoom, unchecked_param_type = "\"never\" | \"allowed\"")]
    make_room: JsValue,
) -> Result<JsValue, CourierError> {
    let inventory = read_inventory(inventory)?;
    let intent = from_js_with("intent", intent, Intent::from_json)?;
    let options = plan_options(make_room)?;
    let definitions = definitions::current();
    let planned = plan::plan(&inventory, &definitions, &[intent], &options);
    to_js("plan", &planned)
}

/// `startRun(inventory, intents, makeRoom)`: plans the intents and returns
/// `{journal, progress}`: the run's journal as text ([`crate::stored`]), for the extension to store and hand
/// to `stepRun`, and its progress (nothing done yet, of how many steps).
#[wasm_bindgen(js_name = startRun)]
pub fn start_run(
    inventory: &JsString,
    intents: JsValue,
    #[wasm_bindgen(js_name = makeRoom, unchecked_param_type = "\"never\" | \"allowed\"")]
    make_room: JsValue,
) -> Result<JsValue, CourierError> {
    let inventory = read_inventory(inventory)?;
    let intents = from_js_with("intents", intents, Intent::list_from_json)?;
    let options = plan_options(make_room)?;
    let definitions = definitions::current();
    let executor = Executor::new(&inventory, &definitions, intents, options);
    Ok(object(&[
        ("journal", journal_text(executor.journal())?.into()),
        (
            "progress",
            to_js("progress", &executor.progress(&definitions))?,
        ),
    ]))
}

/// The planner's options from the `makeRoom` argument.
fn plan_options(make_room: JsValue) -> Result<PlanOptions, CourierError> {
    let make_room: MakeRoom = from_js("makeRoom (\"never\" or \"allowed\")", make_room)?;
    Ok(PlanOptions {
        make_room,
        ..PlanOptions::default()
    })
}

/// `itemHashFromUrl(url)`: the item hash a link to a light.gg, bungie.net, data.destinysets.com
/// or d2foundry.gg item page names, or `null`.
#[wasm_bindgen(js_name = itemHashFromUrl)]
pub fn item_hash_from_url(url: &str) -> JsValue {
    links::item_hash_from_url(url).map_or(JsValue::NULL, JsValue::from)
}

/// `bestCopy(inventory, hash)`: the copy of that item the context menu acts on (the best
/// unlocked one by power), as the popup draws it, or `null` when the player has none.
#[wasm_bindgen(js_name = bestCopy)]
pub fn best_copy(inventory: &JsString, hash: u32) -> Result<JsValue, CourierError> {
    let inventory = read_inventory(inventory)?;
    match links::best_copy(&inventory, hash) {
        Some(item) => to_js("item", &popup::item_view(&definitions::current(), item)),
        None => Ok(JsValue::NULL),
    }
}
