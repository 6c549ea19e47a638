//! GetMembershipsForCurrentUser and GetLinkedProfiles: who the player is on bungie.net and
//! which Destiny account they play.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::check_owner;
use super::ids::parse_param;
use super::render::{bungie_user_info, destiny_user_info};
use crate::auth::Caller;
use crate::envelope::{self, PlatformError, answer};
use crate::state::AppState;
use crate::world::World;

/// The bungie.net membership type.
const BUNGIE_NEXT: i32 = 254;

/// `GET /Platform/User/GetMembershipsForCurrentUser/`.
pub async fn memberships_get(State(state): State<AppState>, caller: Caller) -> Response {
    let locked = state.lock();
    answer(check_owner(&locked, &caller).map(|()| {
        let world = &locked.world;
        json!({
            "destinyMemberships": [destiny_user_info(world)],
            "primaryMembershipId": world.account.destiny_membership_id.to_string(),
            "bungieNetUser": bungie_net_user(world),
        })
    }))
}

/// A `GeneralUser` for the player.
fn bungie_net_user(world: &World) -> Value {
    let account = &world.account;
    json!({
        "membershipId": account.bungie_membership_id.to_string(),
        "uniqueName": format!("{}#{:04}", account.display_name, account.display_name_code),
        "displayName": account.display_name,
        "profilePicture": 70_190,
        "profileTheme": 0,
        "userTitle": 0,
        "successMessageFlags": "0",
        "isDeleted": false,
        "about": "",
        "firstAccess": "2017-09-06T17:00:00.000Z",
        "lastUpdate": "2026-11-01T12:00:00.000Z",
        "psnDisplayName": account.display_name,
        "showActivity": true,
        "locale": "en",
        "localeInheritDefault": true,
        "showGroupMessaging": true,
        "profilePicturePath": "/img/profile/avatars/default_avatar.gif",
        "profileThemeName": "default",
        "userTitleDisplay": "Newbie",
        "statusText": "",
        "statusDate": "0001-01-01T00:00:00Z",
        "cachedBungieGlobalDisplayName": account.display_name,
        "cachedBungieGlobalDisplayNameCode": account.display_name_code,
    })
}

/// `GET /Platform/Destiny2/{membershipType}/Profile/{membershipId}/LinkedProfiles/`: the
/// membership may be the Destiny one or the bungie.net one (type 254).
pub async fn linked_profiles_get(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let locked = state.lock();
    let world = &locked.world;
    let result = (|| {
        let membership_type: i32 = parse_param(
            params.get("membershipType").map_or("", String::as_str),
            "membershipType",
        )?;
        let membership_id: i64 = parse_param(
            params.get("destinyMembershipId").map_or("", String::as_str),
            "membershipId",
        )?;
        let account = &world.account;
        let known = (membership_type == account.membership_type
            && membership_id == account.destiny_membership_id)
            || (membership_type == BUNGIE_NEXT && membership_id == account.bungie_membership_id);
        if !known {
            return Err(PlatformError::new(
                envelope::DESTINY_ACCOUNT_NOT_FOUND,
                format!(
                    "No Destiny account is linked to membership {membership_id} of type {membership_type}."
                ),
            ));
        }
        let mut profile = destiny_user_info(world);
        profile["dateLastPlayed"] = json!(
            world
                .characters
                .iter()
                .map(|c| c.date_last_played.clone())
                .max()
                .unwrap_or_default()
        );
        profile["isOverridden"] = json!(false);
        profile["isCrossSavePrimary"] = json!(false);
        Ok(json!({
            "profiles": [profile],
            "bnetMembership": bungie_user_info(world),
            "profilesWithErrors": [],
        }))
    })();
    answer(result)
}
