//! The control API tests use, under `/__sim/`. None of it is bungie.net; none of it is logged.
//!
//! | route | what |
//! |---|---|
//! | `GET /__sim/state` | every store and item, Xur, pending faults, simulated time |
//! | `POST /__sim/reset` | world, sessions, throttles, faults and log back to the start (`{"keepSessions":true}` keeps sign-ins) |
//! | `POST /__sim/session` | opens a bungie.net session for the player; answers its three cookies |
//! | `POST /__sim/activity` | `{"characterId":"…","inActivity":true}` |
//! | `POST /__sim/xur` | `{"present":false}` |
//! | `POST /__sim/maintenance` | `{"on":true}`: every Platform call answers 5 SystemDisabled |
//! | `POST /__sim/psn` | `{"captchaRequired":true}`: Sony's login answers a captcha |
//! | `GET/POST /__sim/faults` | pending faults / queue `{"kind":"html","count":2,"pathContains":"TransferItem"}` |
//! | `POST /__sim/clock` | `{"advanceSeconds":3601}` |
//! | `POST /__sim/postmaster` | `{"characterId":"…","itemHash":…,"quantity":1}`: an item drops into that postmaster (oldest lost when full) |
//! | `PATCH /__sim/items/{hash}` | `{"name":…,"description":…,"icon":…}`: edit an item definition |
//! | `GET/DELETE /__sim/log` | the request log / forget it |

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::config::FaultKind;
use crate::faults::QueuedFault;
use crate::platform::ids::Int64;
use crate::platform::rules;
use crate::state::{AppState, SimState};

/// The `/__sim/` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/state", get(state_get))
        .route("/reset", post(reset_post))
        .route("/session", post(session_post))
        .route("/activity", post(activity_post))
        .route("/xur", post(xur_post))
        .route("/maintenance", post(maintenance_post))
        .route("/psn", post(psn_post))
        .route("/faults", get(faults_get).post(faults_post))
        .route("/clock", post(clock_post))
        .route("/postmaster", post(postmaster_post))
        .route("/items/{hash}", patch(item_patch))
        .route("/log", get(log_get).delete(log_delete))
}

/// A control call that could not be done: 400 or 404 with a sentence saying why.
#[derive(Debug)]
struct ControlError(StatusCode, String);

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

/// A control body; a bad one is a 400 that says what was expected.
struct ControlBody<T>(T);

impl<T: serde::de::DeserializeOwned> axum::extract::FromRequest<AppState> for ControlBody<T> {
    type Rejection = ControlError;

    async fn from_request(
        request: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ControlError(StatusCode::BAD_REQUEST, e.to_string()))?;
        let text: &[u8] = if bytes.is_empty() { b"{}" } else { &bytes };
        serde_json::from_slice(text)
            .map(ControlBody)
            .map_err(|e| ControlError(StatusCode::BAD_REQUEST, format!("bad control request: {e}")))
    }
}

async fn state_get(State(state): State<AppState>) -> Json<Value> {
    let locked = state.lock();
    Json(json!({
        "world": locked.world,
        "mintedAtMs": locked.minted_at.as_millis() as u64,
        "clockMs": state.now().as_millis() as u64,
        "pendingFaults": locked.faults.pending().collect::<Vec<_>>(),
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResetRequest {
    #[serde(default)]
    keep_sessions: bool,
}

async fn reset_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<ResetRequest>,
) -> StatusCode {
    let mut locked = state.lock();
    let sessions = std::mem::take(&mut locked.sessions);
    locked.reset(&state.config);
    if request.keep_sessions {
        locked.sessions = sessions;
    }
    StatusCode::NO_CONTENT
}

async fn session_post(State(state): State<AppState>) -> Json<Value> {
    let mut locked = state.lock();
    let SimState {
        sessions,
        rng,
        world,
        ..
    } = &mut *locked;
    let cookies = sessions.open(world.account.bungie_membership_id, rng);
    Json(json!(cookies))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivityRequest {
    character_id: Int64,
    in_activity: bool,
}

async fn activity_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<ActivityRequest>,
) -> Result<StatusCode, ControlError> {
    let mut locked = state.lock();
    let world = &mut locked.world;
    let index = world
        .character_index(request.character_id.0)
        .ok_or_else(|| {
            ControlError(
                StatusCode::NOT_FOUND,
                format!("no character {}", request.character_id.0),
            )
        })?;
    world.characters[index].in_activity = request.in_activity;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct XurRequest {
    present: bool,
}

async fn xur_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<XurRequest>,
) -> StatusCode {
    state.lock().world.xur.present = request.present;
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct MaintenanceRequest {
    on: bool,
}

async fn maintenance_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<MaintenanceRequest>,
) -> StatusCode {
    state.lock().maintenance = request.on;
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PsnRequest {
    captcha_required: bool,
}

async fn psn_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<PsnRequest>,
) -> StatusCode {
    state
        .lock()
        .psn
        .set_captcha_required(request.captcha_required);
    StatusCode::NO_CONTENT
}

async fn faults_get(State(state): State<AppState>) -> Json<Value> {
    Json(json!(state.lock().faults.pending().collect::<Vec<_>>()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultsRequest {
    kind: FaultKind,
    #[serde(default = "one")]
    count: usize,
    #[serde(default)]
    path_contains: Option<String>,
}

fn one() -> usize {
    1
}

async fn faults_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<FaultsRequest>,
) -> Result<StatusCode, ControlError> {
    if request.count > 10_000 {
        return Err(ControlError(
            StatusCode::BAD_REQUEST,
            "count must be at most 10000".into(),
        ));
    }
    let fault = QueuedFault {
        kind: request.kind,
        path_contains: request.path_contains,
    };
    state
        .lock()
        .faults
        .queue(std::iter::repeat_n(fault, request.count));
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClockRequest {
    advance_seconds: f64,
}

async fn clock_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<ClockRequest>,
) -> Result<Json<Value>, ControlError> {
    let by = std::time::Duration::try_from_secs_f64(request.advance_seconds)
        .map_err(|e| ControlError(StatusCode::BAD_REQUEST, format!("advanceSeconds: {e}")))?;
    state.clock.advance(by);
    Ok(Json(json!({ "clockMs": state.now().as_millis() as u64 })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostmasterRequest {
    character_id: Int64,
    item_hash: u32,
    #[serde(default = "one_item")]
    quantity: i32,
}

fn one_item() -> i32 {
    1
}

async fn postmaster_post(
    State(state): State<AppState>,
    ControlBody(request): ControlBody<PostmasterRequest>,
) -> Result<Json<Value>, ControlError> {
    let now = state.now();
    let mut locked = state.lock();
    let mut changed = locked.world.clone();
    let character = changed
        .character_index(request.character_id.0)
        .ok_or_else(|| {
            ControlError(
                StatusCode::NOT_FOUND,
                format!("no character {}", request.character_id.0),
            )
        })?;
    let instance_id =
        rules::deliver_to_postmaster(&mut changed, character, request.item_hash, request.quantity)
            .map_err(|e| ControlError(StatusCode::BAD_REQUEST, e.message))?;
    locked.commit(changed, now);
    Ok(Json(
        json!({ "itemInstanceId": instance_id.map(|id| id.to_string()) }),
    ))
}

#[derive(Deserialize)]
struct ItemPatch {
    name: Option<String>,
    description: Option<String>,
    icon: Option<String>,
}

async fn item_patch(
    State(state): State<AppState>,
    Path(hash): Path<u32>,
    ControlBody(patch): ControlBody<ItemPatch>,
) -> Result<StatusCode, ControlError> {
    let mut locked = state.lock();
    let def = locked
        .world
        .definitions
        .items
        .get_mut(&hash)
        .ok_or_else(|| ControlError(StatusCode::NOT_FOUND, format!("no item definition {hash}")))?;
    if let Some(name) = patch.name {
        def.name = name;
    }
    if let Some(description) = patch.description {
        def.description = description;
    }
    if let Some(icon) = patch.icon {
        def.icon = icon;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn log_get(State(state): State<AppState>) -> Json<Value> {
    Json(json!(state.lock().log.entries()))
}

async fn log_delete(State(state): State<AppState>) -> StatusCode {
    state.lock().log.clear();
    StatusCode::NO_CONTENT
}
