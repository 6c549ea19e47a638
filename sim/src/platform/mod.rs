//! bungie.net's Platform API: memberships, profiles, items, actions and vendors.
//!
//! Handlers authenticate with the [`Caller`] extractor, read or change the world under the
//! state lock, and answer through [`crate::envelope::answer`]. The game rules themselves live
//! in [`rules`], as plain functions over a [`crate::world::World`].

pub mod actions;
pub mod components;
pub mod ids;
pub mod profile;
pub mod render;
pub mod rules;
pub mod user;
pub mod vendors;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::{get, post};

use crate::auth::{self, Caller};
use crate::envelope::{self, PlatformError};
use crate::state::{AppState, SimState};

/// Every `/Platform/...` endpoint except OAuth's token endpoint, behind the platform gate.
pub fn router(state: AppState) -> Router<AppState> {
    const PROFILE: &str = "/Platform/Destiny2/{membershipType}/Profile/{destinyMembershipId}";
    Router::new()
        .route(
            "/Platform/User/GetMembershipsForCurrentUser/",
            get(user::memberships_get),
        )
        .route(
            "/Platform/Destiny2/{membershipType}/Profile/{destinyMembershipId}/LinkedProfiles/",
            get(user::linked_profiles_get),
        )
        .route(&format!("{PROFILE}/"), get(profile::profile_get))
        .route(
            &format!("{PROFILE}/Character/{{characterId}}/"),
            get(profile::character_get),
        )
        .route(
            &format!("{PROFILE}/Item/{{itemInstanceId}}/"),
            get(profile::item_get),
        )
        .route(
            &format!("{PROFILE}/Character/{{characterId}}/Vendors/"),
            get(vendors::vendors_get),
        )
        .route(
            &format!("{PROFILE}/Character/{{characterId}}/Vendors/{{vendorHash}}/"),
            get(vendors::vendor_get),
        )
        .route(
            "/Platform/Destiny2/Vendors/",
            get(vendors::public_vendors_get),
        )
        .route(
            "/Platform/Destiny2/Manifest/",
            get(crate::manifest::manifest_get),
        )
        .route(
            "/Platform/Destiny2/Manifest/{entityType}/{hashIdentifier}/",
            get(crate::manifest::entity_get),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/TransferItem/",
            post(actions::transfer_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/PullFromPostmaster/",
            post(actions::pull_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/EquipItem/",
            post(actions::equip_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/EquipItems/",
            post(actions::equip_many_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/SetLockState/",
            post(actions::lock_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Items/SetTrackedState/",
            post(actions::track_post),
        )
        .route(
            "/Platform/Destiny2/Actions/Loadouts/EquipLoadout/",
            post(actions::equip_loadout_post),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            crate::gate::platform_gate,
        ))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = PlatformError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let now = state.now();
        auth::authenticate(&state.lock(), &parts.headers, now)
    }
}

/// The caller, when the request is signed in at all (public endpoints answer either way, but
/// show private components only to the owner).
#[derive(Debug, Clone, Copy)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = PlatformError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if auth::auth_kind(&parts.headers) == auth::AuthKind::None {
            return Ok(Self(None));
        }
        Caller::from_request_parts(parts, state)
            .await
            .map(|c| Self(Some(c)))
    }
}

/// Checks that a path's membership is the world's Destiny account (1601 otherwise).
pub fn check_membership(
    state: &SimState,
    membership_type: i32,
    destiny_membership_id: i64,
) -> Result<(), PlatformError> {
    let account = &state.world.account;
    if membership_type == account.membership_type
        && destiny_membership_id == account.destiny_membership_id
    {
        Ok(())
    } else {
        Err(PlatformError::new(
            envelope::DESTINY_ACCOUNT_NOT_FOUND,
            format!(
                "We were unable to find your Destiny account information: no account {destiny_membership_id} on membership type {membership_type}."
            ),
        ))
    }
}

/// Checks that the caller owns the world's account (a caller can only act on their own).
pub fn check_owner(state: &SimState, caller: &Caller) -> Result<(), PlatformError> {
    if caller.bungie_membership_id == state.world.account.bungie_membership_id {
        Ok(())
    } else {
        Err(PlatformError::new(
            envelope::DESTINY_ACCOUNT_NOT_FOUND,
            "The signed-in user has no Destiny account here.",
        ))
    }
}
