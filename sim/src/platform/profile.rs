//! GetProfile, GetCharacter and GetItem: the account as components, only those asked for.
//!
//! Private components (inventories, currencies, loadouts) carry data only for the signed-in
//! owner; everyone else gets their privacy flag alone. A fresh answer is minted when it is made
//! (`responseMintedTimestamp` = now); a request that drew the `stale` fault is answered from the
//! copy of the account before its latest change, minted just before that change.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::components::{Component, Components, components_query};
use super::ids::parse_param;
use super::render::{
    character_component, destiny_user_info, instance_component, is_currency, item_component,
    item_list,
};
use super::{MaybeCaller, check_membership, check_owner};
use crate::envelope::{self, PlatformError, PlatformResult, answer};
use crate::gate::Stale;
use crate::state::{AppState, SimState};
use crate::world::{Item, Place, World};

/// `DestinyComponentPrivacySetting`: 1 public, 2 private.
const PUBLIC: i32 = 1;
const PRIVATE: i32 = 2;

/// Path parameters, parsed by hand so a bad one is ErrorCode 7 with its name.
type Params = Path<HashMap<String, String>>;

/// What a request may see of the world.
struct View<'a> {
    world: &'a World,
    minted_at: std::time::Duration,
    owner: bool,
}

/// Resolves membership, ownership and staleness for a read.
fn view<'a>(
    state: &'a SimState,
    params: &HashMap<String, String>,
    caller: MaybeCaller,
    stale: bool,
    now: std::time::Duration,
) -> Result<View<'a>, PlatformError> {
    let membership_type = parse_param(param(params, "membershipType"), "membershipType")?;
    let destiny_id = parse_param(param(params, "destinyMembershipId"), "destinyMembershipId")?;
    check_membership(state, membership_type, destiny_id)?;
    let owner = match caller.0 {
        Some(caller) => check_owner(state, &caller).is_ok(),
        None => false,
    };
    let (world, minted_at) = match (&state.previous, stale) {
        (Some(world), true) => (
            world,
            state
                .minted_at
                .saturating_sub(std::time::Duration::from_millis(1)),
        ),
        _ => (&state.world, now),
    };
    Ok(View {
        world,
        minted_at,
        owner,
    })
}

/// A path parameter by name (empty when the route has no such parameter).
fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> &'a str {
    params.get(name).map_or("", String::as_str)
}

/// A component block: `{data, privacy}`, with data only when it may be shown.
fn block(data: Value, privacy: i32, shown: bool) -> Value {
    if shown {
        json!({ "data": data, "privacy": privacy })
    } else {
        json!({ "privacy": privacy })
    }
}

/// The inventory (not equipped) and postmaster items of one character.
fn character_inventory(world: &World, index: usize) -> impl Iterator<Item = &Item> {
    world.items.iter().filter(move |item| {
        (item.place == Place::Character(index) && !item.equipped)
            || item.place == Place::Postmaster(index)
    })
}

/// The equipped items of one character.
fn character_equipment(world: &World, index: usize) -> impl Iterator<Item = &Item> {
    world
        .items_at(Place::Character(index))
        .filter(|item| item.equipped)
}

/// `DestinyLoadoutsComponent` of one character.
fn loadouts(world: &World, index: usize) -> Value {
    let loadouts: Vec<Value> = world.characters[index]
        .loadouts
        .iter()
        .enumerate()
        .map(|(slot, loadout)| {
            json!({
                "colorHash": 3871954967_u32,
                "iconHash": 797325440_u32.wrapping_add(slot as u32),
                "nameHash": 1015962452_u32.wrapping_add(slot as u32),
                "items": loadout.item_ids.iter().map(|id| json!({
                    "itemInstanceId": id.to_string(),
                    "plugItemHashes": [],
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "loadouts": loadouts })
}

/// `itemComponents.instances` for these items.
fn instances<'a>(world: &'a World, items: impl Iterator<Item = &'a Item>) -> Value {
    let data: Map<String, Value> = items
        .filter_map(|item| {
            item.instance_id
                .map(|id| (id.to_string(), instance_component(world, item)))
        })
        .collect();
    json!({ "instances": { "data": data, "privacy": PUBLIC } })
}

/// Runs a read handler against the state.
fn read(state: &AppState, build: impl FnOnce(&SimState) -> PlatformResult) -> Response {
    answer(build(&state.lock()))
}

/// `GET /Platform/Destiny2/{membershipType}/Profile/{destinyMembershipId}/`.
pub async fn profile_get(
    State(state): State<AppState>,
    Path(params): Params,
    RawQuery(query): RawQuery,
    caller: MaybeCaller,
    stale: Option<axum::Extension<Stale>>,
) -> Response {
    read(&state, |locked| {
        let components = Components::parse(components_query(query.as_deref()).as_deref())?;
        let view = view(locked, &params, caller, stale.is_some(), state.now())?;
        Ok(profile_response(&state, &view, &components))
    })
}

/// The `DestinyProfileResponse` of a view.
fn profile_response(state: &AppState, view: &View<'_>, components: &Components) -> Value {
    let world = view.world;
    let characters = 0..world.characters.len();
    let per_character = |render: &dyn Fn(usize) -> Value| -> Value {
        Value::Object(
            characters
                .clone()
                .map(|index| (world.characters[index].id.to_string(), render(index)))
                .collect(),
        )
    };
    let mut response = json!({
        "responseMintedTimestamp": state.clock.rfc3339(view.minted_at),
        "secondaryComponentsMintedTimestamp": state.clock.rfc3339(view.minted_at),
    });
    if components.has(Component::Profiles) {
        response["profile"] = block(
            json!({
                "userInfo": destiny_user_info(world),
                "dateLastPlayed": world.characters.iter().map(|c| c.date_last_played.clone()).max().unwrap_or_default(),
                "versionsOwned": 2_147_483_647,
                "characterIds": world.characters.iter().map(|c| c.id.to_string()).collect::<Vec<_>>(),
                "seasonHashes": [],
                "eventCardHashesOwned": [],
                "currentSeasonRewardPowerCap": 2010,
                "activeEventCardHash": 0,
                "currentGuardianRank": 6,
                "lifetimeHighestGuardianRank": 8,
                "renewedGuardianRank": 0,
            }),
            PUBLIC,
            true,
        );
    }
    if components.has(Component::ProfileInventories) {
        let items = world.items.iter().filter(|i| {
            (i.place == Place::Vault || i.place == Place::Account) && !is_currency(world, i)
        });
        response["profileInventory"] = block(item_list(world, items), PRIVATE, view.owner);
    }
    if components.has(Component::ProfileCurrencies) {
        let items = world.items.iter().filter(|i| is_currency(world, i));
        response["profileCurrencies"] = block(item_list(world, items), PRIVATE, view.owner);
    }
    if components.has(Component::Characters) {
        response["characters"] = block(
            per_character(&|i| character_component(world, i, &world.characters[i])),
            PUBLIC,
            true,
        );
    }
    if components.has(Component::CharacterInventories) {
        response["characterInventories"] = block(
            per_character(&|i| item_list(world, character_inventory(world, i))),
            PRIVATE,
            view.owner,
        );
    }
    if components.has(Component::CharacterEquipment) {
        response["characterEquipment"] = block(
            per_character(&|i| item_list(world, character_equipment(world, i))),
            PUBLIC,
            true,
        );
    }
    if components.has(Component::CharacterLoadouts) {
        response["characterLoadouts"] =
            block(per_character(&|i| loadouts(world, i)), PRIVATE, view.owner);
    }
    if components.has(Component::ItemInstances) {
        let visible = world.items.iter().filter(|item| {
            view.owner || (matches!(item.place, Place::Character(_)) && item.equipped)
        });
        response["itemComponents"] = instances(world, visible);
    }
    response
}

/// `GET .../Profile/{destinyMembershipId}/Character/{characterId}/`.
pub async fn character_get(
    State(state): State<AppState>,
    Path(params): Params,
    RawQuery(query): RawQuery,
    caller: MaybeCaller,
    stale: Option<axum::Extension<Stale>>,
) -> Response {
    read(&state, |locked| {
        let components = Components::parse(components_query(query.as_deref()).as_deref())?;
        let view = view(locked, &params, caller, stale.is_some(), state.now())?;
        let character_id = parse_param(param(&params, "characterId"), "characterId")?;
        let world = view.world;
        let index = world
            .character_index(character_id)
            .ok_or_else(|| character_not_found(character_id))?;
        let mut response = json!({});
        if components.has(Component::Characters) {
            response["character"] = block(
                character_component(world, index, &world.characters[index]),
                PUBLIC,
                true,
            );
        }
        if components.has(Component::CharacterInventories) {
            response["inventory"] = block(
                item_list(world, character_inventory(world, index)),
                PRIVATE,
                view.owner,
            );
        }
        if components.has(Component::CharacterEquipment) {
            response["equipment"] = block(
                item_list(world, character_equipment(world, index)),
                PUBLIC,
                true,
            );
        }
        if components.has(Component::CharacterLoadouts) {
            response["loadouts"] = block(loadouts(world, index), PRIVATE, view.owner);
        }
        if components.has(Component::ItemInstances) {
            let items = world.items.iter().filter(|item| {
                matches!(item.place, Place::Character(i) | Place::Postmaster(i) if i == index)
                    && (view.owner || item.equipped)
            });
            response["itemComponents"] = instances(world, items);
        }
        Ok(response)
    })
}

/// The 1620 answer for an unknown character.
pub fn character_not_found(character_id: i64) -> PlatformError {
    PlatformError::new(
        envelope::DESTINY_CHARACTER_NOT_FOUND,
        format!("The character {character_id} was not found on this account."),
    )
}

/// `GET .../Profile/{destinyMembershipId}/Item/{itemInstanceId}/`.
pub async fn item_get(
    State(state): State<AppState>,
    Path(params): Params,
    RawQuery(query): RawQuery,
    caller: MaybeCaller,
) -> Response {
    read(&state, |locked| {
        let components = Components::parse(components_query(query.as_deref()).as_deref())?;
        let view = view(locked, &params, caller, false, state.now())?;
        let instance_id = parse_param(param(&params, "itemInstanceId"), "itemInstanceId")?;
        let world = view.world;
        let item = world
            .item_index(instance_id)
            .map(|index| &world.items[index])
            .filter(|item| view.owner || item.equipped)
            .ok_or_else(|| {
                PlatformError::new(
                    envelope::DESTINY_ITEM_NOT_FOUND,
                    format!("The item {instance_id} was not found on this account."),
                )
            })?;
        let mut response = json!({});
        if let Place::Character(index) | Place::Postmaster(index) = item.place {
            response["characterId"] = json!(world.characters[index].id.to_string());
        }
        if components.has(Component::ItemCommonData) {
            response["item"] = block(item_component(world, item), PUBLIC, true);
        }
        if components.has(Component::ItemInstances) {
            response["instance"] = block(instance_component(world, item), PUBLIC, true);
        }
        Ok(response)
    })
}
