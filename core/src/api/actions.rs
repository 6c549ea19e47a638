//! Builders for the action endpoints, with their request bodies named and shaped exactly as the
//! OpenAPI spec has them (camelCase fields, int64 ids as JSON strings).

use serde::{Deserialize, Serialize};

use super::endpoints::Endpoint;
use super::request::{ApiRequest, platform_path};
use crate::model::{CharacterId, ItemId};

/// `Destiny.Requests.DestinyItemTransferRequest`: between a character and the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyItemTransferRequest {
    /// The item's definition hash.
    pub item_reference_hash: u32,
    /// How many of a stack to move (1 for instanced items).
    pub stack_size: i32,
    /// To the vault (true) or out of it to the character (false).
    pub transfer_to_vault: bool,
    /// The instance; `None` (sent as `"0"`) for an uninstanced stack.
    #[serde(with = "instance_or_zero")]
    pub item_id: Option<ItemId>,
    /// The holder when going to the vault, the destination when leaving it.
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// `Destiny.Requests.Actions.DestinyPostmasterTransferRequest`: out of a postmaster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyPostmasterTransferRequest {
    /// The item's definition hash.
    pub item_reference_hash: u32,
    /// How many of a stack to pull.
    pub stack_size: i32,
    /// The instance; `None` (sent as `"0"`) for an uninstanced stack.
    #[serde(with = "instance_or_zero")]
    pub item_id: Option<ItemId>,
    /// Whose postmaster.
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// `Destiny.Requests.Actions.DestinyItemActionRequest`: one item on one character (EquipItem).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyItemActionRequest {
    /// The item.
    pub item_id: ItemId,
    /// The character.
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// `Destiny.Requests.Actions.DestinyItemSetActionRequest`: several items on one character (EquipItems).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyItemSetActionRequest {
    /// The items.
    pub item_ids: Vec<ItemId>,
    /// The character.
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// `Destiny.Requests.Actions.DestinyItemStateRequest`: lock or track an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyItemStateRequest {
    /// Locked (or tracked) when true.
    pub state: bool,
    /// The item.
    pub item_id: ItemId,
    /// A character of the account (the holder for character items).
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// `Destiny.Requests.Actions.DestinyLoadoutActionRequest`: an in-game loadout slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinyLoadoutActionRequest {
    /// Which of the character's loadouts (from 0).
    pub loadout_index: i32,
    /// The character.
    pub character_id: CharacterId,
    /// The account's platform.
    pub membership_type: i32,
}

/// An optional instance id as the API wants it: the id as a string, `"0"` for none.
mod instance_or_zero {
    use serde::{Deserializer, Serializer};

    use crate::model::{ItemId, int64_string};

    pub fn serialize<S: Serializer>(
        value: &Option<ItemId>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        int64_string::serialize(&value.map_or(0, |id| id.0), serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<ItemId>, D::Error> {
        int64_string::deserialize(deserializer).map(|id| (id != 0).then_some(ItemId(id)))
    }
}

impl ApiRequest {
    /// A POST of this JSON body to `/Platform/Destiny2/Actions/{group}/{operation}/`.
    fn action(endpoint: Endpoint, group: &str, body: &impl Serialize) -> Self {
        // Structs of numbers, strings and booleans always serialize: failure is a bug here.
        let body = serde_json::to_string(body).expect("an action body always serializes");
        Self {
            method: endpoint.method(),
            path: platform_path(["Destiny2", "Actions", group, path_name(endpoint)]),
            query: Vec::new(),
            body: Some(body),
            endpoint,
        }
    }

    /// `TransferItem`: character to vault or vault to character (never character to character).
    pub fn transfer_item(request: &DestinyItemTransferRequest) -> Self {
        Self::action(Endpoint::TransferItem, "Items", request)
    }

    /// `PullFromPostmaster`: from a character's postmaster to that character.
    pub fn pull_from_postmaster(request: &DestinyPostmasterTransferRequest) -> Self {
        Self::action(Endpoint::PullFromPostmaster, "Items", request)
    }

    /// `EquipItem`: equip one item the character carries.
    pub fn equip_item(request: &DestinyItemActionRequest) -> Self {
        Self::action(Endpoint::EquipItem, "Items", request)
    }

    /// `EquipItems`: equip several; the answer has a result per item.
    pub fn equip_items(request: &DestinyItemSetActionRequest) -> Self {
        Self::action(Endpoint::EquipItems, "Items", request)
    }

    /// `SetLockState`: lock (`state: true`) or unlock an item.
    pub fn set_lock_state(request: &DestinyItemStateRequest) -> Self {
        Self::action(Endpoint::SetLockState, "Items", request)
    }

    /// `SetTrackedState`: track (`state: true`) or untrack a quest or bounty.
    pub fn set_tracked_state(request: &DestinyItemStateRequest) -> Self {
        Self::action(Endpoint::SetTrackedState, "Items", request)
    }

    /// `EquipLoadout`: equip one of the character's in-game loadouts.
    pub fn equip_loadout(request: &DestinyLoadoutActionRequest) -> Self {
        Self::action(Endpoint::EquipLoadout, "Loadouts", request)
    }
}

/// The last path segment of an action: the variant's name (not the spec's operation name, which
/// differs for SetLockState and SetTrackedState).
fn path_name(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::SetLockState => "SetLockState",
        Endpoint::SetTrackedState => "SetTrackedState",
        other => other.name(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::api::request::Method;

    const CHARACTER: CharacterId = CharacterId(2305843009300000001);
    const ITEM: ItemId = ItemId(6917529000000000001);

    fn assert_action(request: &ApiRequest, endpoint: Endpoint, path: &str, body: Value) {
        assert_eq!(request.endpoint, endpoint);
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.path, path);
        assert!(request.query.is_empty());
        let sent: Value = serde_json::from_str(request.body.as_deref().unwrap_or_default())
            .expect("the body is JSON");
        assert_eq!(sent, body);
    }

    #[test]
    fn transfer_an_instanced_item_to_the_vault() {
        let request = ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: 1363886209,
            stack_size: 1,
            transfer_to_vault: true,
            item_id: Some(ITEM),
            character_id: CHARACTER,
            membership_type: 2,
        });
        assert_action(
            &request,
            Endpoint::TransferItem,
            "/Platform/Destiny2/Actions/Items/TransferItem/",
            json!({
                "itemReferenceHash": 1363886209u32,
                "stackSize": 1,
                "transferToVault": true,
                "itemId": "6917529000000000001",
                "characterId": "2305843009300000001",
                "membershipType": 2,
            }),
        );
    }

    #[test]
    fn transfer_part_of_a_stack_sends_item_id_zero() {
        let request = ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: 3159615086,
            stack_size: 25,
            transfer_to_vault: false,
            item_id: None,
            character_id: CHARACTER,
            membership_type: 3,
        });
        assert_action(
            &request,
            Endpoint::TransferItem,
            "/Platform/Destiny2/Actions/Items/TransferItem/",
            json!({
                "itemReferenceHash": 3159615086u32,
                "stackSize": 25,
                "transferToVault": false,
                "itemId": "0",
                "characterId": "2305843009300000001",
                "membershipType": 3,
            }),
        );
    }

    #[test]
    fn pull_from_postmaster() {
        let request = ApiRequest::pull_from_postmaster(&DestinyPostmasterTransferRequest {
            item_reference_hash: 1,
            stack_size: 2,
            item_id: Some(ITEM),
            character_id: CHARACTER,
            membership_type: 2,
        });
        assert_action(
            &request,
            Endpoint::PullFromPostmaster,
            "/Platform/Destiny2/Actions/Items/PullFromPostmaster/",
            json!({
                "itemReferenceHash": 1,
                "stackSize": 2,
                "itemId": "6917529000000000001",
                "characterId": "2305843009300000001",
                "membershipType": 2,
            }),
        );
    }

    #[test]
    fn equip_one_and_many() {
        let one = ApiRequest::equip_item(&DestinyItemActionRequest {
            item_id: ITEM,
            character_id: CHARACTER,
            membership_type: 2,
        });
        assert_action(
            &one,
            Endpoint::EquipItem,
            "/Platform/Destiny2/Actions/Items/EquipItem/",
            json!({ "itemId": "6917529000000000001", "characterId": "2305843009300000001", "membershipType": 2 }),
        );
        let many = ApiRequest::equip_items(&DestinyItemSetActionRequest {
            item_ids: vec![ITEM, ItemId(42)],
            character_id: CHARACTER,
            membership_type: 2,
        });
        assert_action(
            &many,
            Endpoint::EquipItems,
            "/Platform/Destiny2/Actions/Items/EquipItems/",
            json!({ "itemIds": ["6917529000000000001", "42"], "characterId": "2305843009300000001", "membershipType": 2 }),
        );
    }

    #[test]
    fn lock_and_track() {
        let state = DestinyItemStateRequest {
            state: true,
            item_id: ITEM,
            character_id: CHARACTER,
            membership_type: 2,
        };
        let body = json!({ "state": true, "itemId": "6917529000000000001", "characterId": "2305843009300000001", "membershipType": 2 });
        assert_action(
            &ApiRequest::set_lock_state(&state),
            Endpoint::SetLockState,
            "/Platform/Destiny2/Actions/Items/SetLockState/",
            body.clone(),
        );
        assert_action(
            &ApiRequest::set_tracked_state(&state),
            Endpoint::SetTrackedState,
            "/Platform/Destiny2/Actions/Items/SetTrackedState/",
            body,
        );
    }

    #[test]
    fn equip_loadout() {
        let request = ApiRequest::equip_loadout(&DestinyLoadoutActionRequest {
            loadout_index: 3,
            character_id: CHARACTER,
            membership_type: 2,
        });
        assert_action(
            &request,
            Endpoint::EquipLoadout,
            "/Platform/Destiny2/Actions/Loadouts/EquipLoadout/",
            json!({ "loadoutIndex": 3, "characterId": "2305843009300000001", "membershipType": 2 }),
        );
    }

    #[test]
    fn bodies_read_back_with_zero_as_no_instance() {
        let body: DestinyItemTransferRequest = serde_json::from_value(json!({
            "itemReferenceHash": 5, "stackSize": 3, "transferToVault": true,
            "itemId": "0", "characterId": "9", "membershipType": 2,
        }))
        .expect("a transfer body");
        assert_eq!(body.item_id, None);
        assert_eq!(body.character_id, CharacterId(9));
    }
}
