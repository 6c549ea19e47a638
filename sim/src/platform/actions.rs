//! The action endpoints: TransferItem, PullFromPostmaster, EquipItem, EquipItems,
//! SetLockState, SetTrackedState and EquipLoadout. Each is signed in, throttled per user and
//! endpoint, and applied all or nothing through [`super::rules`].

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::ids::{Body, Int64};
use super::profile::character_not_found;
use super::rules::{self, Pull, Transfer};
use super::{check_membership, check_owner};
use crate::auth::Caller;
use crate::envelope::{PlatformResult, answer};
use crate::state::AppState;
use crate::throttle::ActionEndpoint;
use crate::world::World;

/// `DestinyItemTransferRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    item_reference_hash: u32,
    #[serde(default = "one")]
    stack_size: i32,
    transfer_to_vault: bool,
    #[serde(default = "zero")]
    item_id: Int64,
    character_id: Int64,
    membership_type: i32,
}

/// `DestinyPostmasterTransferRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullRequest {
    item_reference_hash: u32,
    #[serde(default = "one")]
    stack_size: i32,
    #[serde(default = "zero")]
    item_id: Int64,
    character_id: Int64,
    membership_type: i32,
}

/// `DestinyItemActionRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemActionRequest {
    item_id: Int64,
    character_id: Int64,
    membership_type: i32,
}

/// `DestinyItemSetActionRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemSetActionRequest {
    item_ids: Vec<Int64>,
    character_id: Int64,
    membership_type: i32,
}

/// `DestinyItemStateRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemStateRequest {
    state: bool,
    item_id: Int64,
    character_id: Int64,
    membership_type: i32,
}

/// `DestinyLoadoutActionRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadoutActionRequest {
    loadout_index: i32,
    character_id: Int64,
    membership_type: i32,
}

fn one() -> i32 {
    1
}

fn zero() -> Int64 {
    Int64(0)
}

/// Runs one action: ownership, throttle, character, then the rule on a copy of the world that
/// replaces it only when the rule succeeds. The throttle admission rides on the response so
/// the action counts as in flight until its answer leaves (after `--latency`).
fn act(
    state: &AppState,
    caller: Caller,
    endpoint: ActionEndpoint,
    membership_type: i32,
    character_id: i64,
    rule: impl FnOnce(&mut World, usize) -> PlatformResult,
) -> Response {
    let now = state.now();
    let mut locked = state.lock();
    let destiny_id = locked.world.account.destiny_membership_id;
    if let Err(error) = check_owner(&locked, &caller)
        .and_then(|()| check_membership(&locked, membership_type, destiny_id))
    {
        return error.into_response();
    }
    let admitted = match locked
        .throttle
        .admit(caller.bungie_membership_id, endpoint, now)
    {
        Ok(admitted) => admitted,
        Err(error) => return error.into_response(),
    };
    let mut changed = locked.world.clone();
    let result = changed
        .character_index(character_id)
        .ok_or_else(|| character_not_found(character_id))
        .and_then(|character| rule(&mut changed, character));
    if result.is_ok() {
        locked.commit(changed, now);
    }
    drop(locked);
    let mut response = answer(result);
    response.extensions_mut().insert(admitted);
    response
}

/// `POST /Platform/Destiny2/Actions/Items/TransferItem/`.
pub async fn transfer_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<TransferRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::item("TransferItem"),
        request.membership_type,
        request.character_id.0,
        |world, character| {
            rules::transfer(
                world,
                Transfer {
                    item_hash: request.item_reference_hash,
                    stack_size: request.stack_size,
                    to_vault: request.transfer_to_vault,
                    item_id: request.item_id.0,
                    character,
                },
            )
            .map(|()| json!(0))
        },
    )
}

/// `POST /Platform/Destiny2/Actions/Items/PullFromPostmaster/`.
pub async fn pull_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<PullRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::item("PullFromPostmaster"),
        request.membership_type,
        request.character_id.0,
        |world, character| {
            rules::pull(
                world,
                Pull {
                    item_hash: request.item_reference_hash,
                    stack_size: request.stack_size,
                    item_id: request.item_id.0,
                    character,
                },
            )
            .map(|()| json!(0))
        },
    )
}

/// `POST /Platform/Destiny2/Actions/Items/EquipItem/`.
pub async fn equip_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<ItemActionRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::item("EquipItem"),
        request.membership_type,
        request.character_id.0,
        |world, character| rules::equip(world, request.item_id.0, character).map(|()| json!(0)),
    )
}

/// `POST /Platform/Destiny2/Actions/Items/EquipItems/`: a result per item.
pub async fn equip_many_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<ItemSetActionRequest>,
) -> Response {
    let ids: Vec<i64> = request.item_ids.iter().map(|id| id.0).collect();
    act(
        &state,
        caller,
        ActionEndpoint::item("EquipItems"),
        request.membership_type,
        request.character_id.0,
        |world, character| {
            let results = rules::equip_many(world, &ids, character)?;
            let results: Vec<Value> = results
            .into_iter()
            .map(|(id, status)| json!({ "itemInstanceId": id.to_string(), "equipStatus": status }))
            .collect();
            Ok(json!({ "equipResults": results }))
        },
    )
}

/// `POST /Platform/Destiny2/Actions/Items/SetLockState/`.
pub async fn lock_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<ItemStateRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::item("SetLockState"),
        request.membership_type,
        request.character_id.0,
        |world, _| rules::set_lock(world, request.item_id.0, request.state).map(|()| json!(0)),
    )
}

/// `POST /Platform/Destiny2/Actions/Items/SetTrackedState/`.
pub async fn track_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<ItemStateRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::slow("SetTrackedState"),
        request.membership_type,
        request.character_id.0,
        |world, _| rules::set_tracked(world, request.item_id.0, request.state).map(|()| json!(0)),
    )
}

/// `POST /Platform/Destiny2/Actions/Loadouts/EquipLoadout/`.
pub async fn equip_loadout_post(
    State(state): State<AppState>,
    caller: Caller,
    Body(request): Body<LoadoutActionRequest>,
) -> Response {
    act(
        &state,
        caller,
        ActionEndpoint::slow("EquipLoadout"),
        request.membership_type,
        request.character_id.0,
        |world, character| {
            let index = usize::try_from(request.loadout_index).unwrap_or(usize::MAX);
            rules::equip_loadout(world, character, index).map(|()| json!(0))
        },
    )
}
