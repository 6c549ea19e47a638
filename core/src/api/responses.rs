//! The typed `Response`s Courier reads: memberships, linked profiles, the manifest and
//! EquipItems results. Unknown fields are ignored; int64 ids are read from strings (or numbers).
//! (GetProfile is parsed from bytes by `crate::inventory`, vendors by `crate::xur`.)

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::classify::Refusal;
use super::error::ApiError;
use crate::model::{ItemId, int64_string};

/// `User.UserInfoCard`: one membership, on a platform or on bungie.net (type 254).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfoCard {
    /// The platform (`BungieMembershipType`: 1 Xbox, 2 PlayStation, 3 Steam, 254 bungie.net).
    pub membership_type: i32,
    /// The membership id.
    #[serde(with = "int64_string")]
    pub membership_id: i64,
    /// The platform display name.
    #[serde(default)]
    pub display_name: String,
    /// The Bungie name before the `#`.
    #[serde(default)]
    pub bungie_global_display_name: String,
    /// The four digits after the `#`.
    #[serde(default)]
    pub bungie_global_display_name_code: Option<i16>,
}

impl UserInfoCard {
    /// The Bungie name (`Name#0123`), or the display name when there is no code.
    pub fn bungie_name(&self) -> String {
        match self.bungie_global_display_name_code {
            Some(code) if !self.bungie_global_display_name.is_empty() => {
                format!("{}#{code:04}", self.bungie_global_display_name)
            }
            _ => self.display_name.clone(),
        }
    }
}

/// `User.GeneralUser`, the parts Courier shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneralUser {
    /// The bungie.net membership id.
    #[serde(with = "int64_string")]
    pub membership_id: i64,
    /// The bungie.net display name.
    #[serde(default)]
    pub display_name: String,
}

/// `User.UserMembershipData`: the answer of GetMembershipsForCurrentUser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserMembershipData {
    /// The Destiny memberships linked to the account.
    pub destiny_memberships: Vec<UserInfoCard>,
    /// With cross save, the membership that plays (`None` without cross save).
    #[serde(default, with = "optional_int64")]
    pub primary_membership_id: Option<i64>,
    /// The bungie.net account.
    pub bungie_net_user: GeneralUser,
}

impl UserMembershipData {
    /// The membership Courier should use: the cross save primary if there is one, else the first.
    pub fn primary(&self) -> Option<&UserInfoCard> {
        self.primary_membership_id
            .and_then(|id| {
                self.destiny_memberships
                    .iter()
                    .find(|m| m.membership_id == id)
            })
            .or_else(|| self.destiny_memberships.first())
    }
}

/// `Destiny.Responses.DestinyProfileUserInfoCard`: a Destiny account found through links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyProfileUserInfoCard {
    /// The membership.
    #[serde(flatten)]
    pub card: UserInfoCard,
    /// When it was last played (RFC 3339).
    #[serde(default)]
    pub date_last_played: Option<String>,
    /// Whether cross save plays this account.
    #[serde(default)]
    pub is_cross_save_primary: bool,
}

/// `Destiny.Responses.DestinyLinkedProfilesResponse`: the answer of GetLinkedProfiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyLinkedProfilesResponse {
    /// The Destiny accounts that answered.
    #[serde(default)]
    pub profiles: Vec<DestinyProfileUserInfoCard>,
    /// The bungie.net account they are linked to.
    #[serde(default)]
    pub bnet_membership: Option<UserInfoCard>,
}

/// `Destiny.Config.DestinyManifest`: the manifest version and where the definitions are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyManifest {
    /// Changes whenever the definitions do (a cache key).
    pub version: String,
    /// For each language, each definition table's JSON file path.
    #[serde(default)]
    pub json_world_component_content_paths: HashMap<String, HashMap<String, String>>,
}

impl DestinyManifest {
    /// The path of one table's JSON in one language, e.g. (`"en"`, `"DestinyInventoryItemDefinition"`).
    pub fn table_path(&self, language: &str, table: &str) -> Option<&str> {
        self.json_world_component_content_paths
            .get(language)?
            .get(table)
            .map(String::as_str)
    }
}

/// `Destiny.DestinyEquipItemResults`: the answer of EquipItems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyEquipItemResults {
    /// One result per item asked for.
    pub equip_results: Vec<DestinyEquipItemResult>,
}

/// `Destiny.DestinyEquipItemResult`: whether one item was equipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyEquipItemResult {
    /// The item.
    pub item_instance_id: ItemId,
    /// A platform error code: 1 when it was equipped.
    pub equip_status: i32,
}

impl DestinyEquipItemResult {
    /// `Ok` when the item was equipped, else why not.
    pub fn outcome(&self) -> Result<(), ApiError> {
        if self.equip_status == 1 {
            return Ok(());
        }
        Err(Refusal {
            code: self.equip_status,
            throttle_seconds: 0,
            status: "",
            message: "",
        }
        .into_error())
    }
}

/// An optional int64 id as a JSON string (or number, or null).
mod optional_int64 {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::int64_string;

    /// One int64 id, for reading inside an `Option`.
    #[derive(Deserialize)]
    struct Id(#[serde(with = "int64_string")] i64);

    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(id) => int64_string::serialize(id, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        Ok(Option::<Id>::deserialize(deserializer)?.map(|Id(id)| id))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::api::envelope::decode;

    fn envelope(response: serde_json::Value) -> Vec<u8> {
        json!({ "Response": response, "ErrorCode": 1, "ThrottleSeconds": 0, "ErrorStatus": "Success", "Message": "Ok", "MessageData": {} })
            .to_string()
            .into_bytes()
    }

    #[test]
    fn memberships_with_cross_save() {
        let body = envelope(json!({
            "destinyMemberships": [
                { "membershipType": 1, "membershipId": "4611686018429726245", "displayName": "Xbox", "crossSaveOverride": 2 },
                { "membershipType": 2, "membershipId": "4611686018433092312", "displayName": "VidBoi-BMC",
                  "bungieGlobalDisplayName": "VidBoi", "bungieGlobalDisplayNameCode": 926, "iconPath": "/x.png" }
            ],
            "primaryMembershipId": "4611686018433092312",
            "bungieNetUser": { "membershipId": "7094", "displayName": "VidBoi", "about": "", "isDeleted": false },
        }));
        let data: UserMembershipData = decode(200, None, &body).expect("memberships");
        assert_eq!(data.primary_membership_id, Some(4611686018433092312));
        assert_eq!(data.bungie_net_user.membership_id, 7094);
        let primary = data.primary().expect("a primary");
        assert_eq!(
            (primary.membership_type, primary.bungie_name().as_str()),
            (2, "VidBoi#0926")
        );
        assert_eq!(data.destiny_memberships[0].bungie_name(), "Xbox");
    }

    #[test]
    fn memberships_without_cross_save_use_the_first() {
        let body = envelope(json!({
            "destinyMemberships": [{ "membershipType": 3, "membershipId": "12" }],
            "primaryMembershipId": null,
            "bungieNetUser": { "membershipId": "5" },
        }));
        let data: UserMembershipData = decode(200, None, &body).expect("memberships");
        assert_eq!(data.primary_membership_id, None);
        assert_eq!(data.primary().map(|m| m.membership_id), Some(12));
        let round: UserMembershipData =
            serde_json::from_value(serde_json::to_value(&data).expect("serializes"))
                .expect("reads back");
        assert_eq!(round, data);
    }

    #[test]
    fn real_linked_profiles() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/real-data/linkedaccounts-2022-10-23.json"
        );
        let Ok(bytes) = std::fs::read(path) else {
            println!("skipped: ../shared/real-data/linkedaccounts-2022-10-23.json is absent");
            return;
        };
        // The fixture is the bare Response object: wrap it in the envelope bungie.net sends.
        let response: serde_json::Value =
            serde_json::from_slice(&bytes).expect("the fixture is JSON");
        let linked: DestinyLinkedProfilesResponse =
            decode(200, None, &envelope(response)).expect("linked profiles");
        assert_eq!(linked.profiles.len(), 1);
        let profile = &linked.profiles[0];
        assert_eq!(profile.card.membership_type, 2);
        assert_eq!(profile.card.membership_id, 4611686018433092312);
        assert_eq!(profile.card.bungie_name(), "VidBoi#9226");
        assert!(profile.is_cross_save_primary);
        assert_eq!(
            profile.date_last_played.as_deref(),
            Some("2022-09-18T07:22:25Z")
        );
        let bnet = linked
            .bnet_membership
            .as_ref()
            .expect("a bungie.net membership");
        assert_eq!((bnet.membership_type, bnet.membership_id), (254, 7094));
    }

    #[test]
    fn manifest_table_paths() {
        let body = envelope(json!({
            "version": "226291.26.11.01.1730-1",
            "mobileWorldContentPaths": { "en": "/x.content" },
            "jsonWorldComponentContentPaths": { "en": { "DestinyInventoryItemDefinition": "/common/items.json" } },
        }));
        let manifest: DestinyManifest = decode(200, None, &body).expect("a manifest");
        assert_eq!(manifest.version, "226291.26.11.01.1730-1");
        assert_eq!(
            manifest.table_path("en", "DestinyInventoryItemDefinition"),
            Some("/common/items.json")
        );
        assert_eq!(
            manifest.table_path("fr", "DestinyInventoryItemDefinition"),
            None
        );
        assert_eq!(manifest.table_path("en", "DestinyClassDefinition"), None);
    }

    #[test]
    fn equip_results_say_which_items_failed_and_why() {
        let body = envelope(json!({ "equipResults": [
            { "itemInstanceId": "6917529000000000001", "equipStatus": 1 },
            { "itemInstanceId": "6917529000000000002", "equipStatus": 1641 },
        ]}));
        let results: DestinyEquipItemResults = decode(200, None, &body).expect("equip results");
        assert_eq!(
            results.equip_results[0].item_instance_id,
            ItemId(6917529000000000001)
        );
        assert_eq!(results.equip_results[0].outcome(), Ok(()));
        let refused = results.equip_results[1]
            .outcome()
            .expect_err("an exotic conflict");
        assert_eq!(refused.kind(), "exotic_conflict");
    }
}
