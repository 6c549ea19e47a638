//! The Platform endpoints Courier uses: their spec names, whether they change the game, and the
//! spacing bungie.net wants between two calls of one endpoint by one user.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::request::Method;

/// One Platform endpoint Courier calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Endpoint {
    /// `GET /User/GetMembershipsForCurrentUser/`.
    GetMembershipsForCurrentUser,
    /// `GET /Destiny2/{membershipType}/Profile/{membershipId}/LinkedProfiles/`.
    GetLinkedProfiles,
    /// `GET /Destiny2/{membershipType}/Profile/{destinyMembershipId}/`.
    GetProfile,
    /// `GET .../Profile/{destinyMembershipId}/Character/{characterId}/`.
    GetCharacter,
    /// `GET .../Profile/{destinyMembershipId}/Item/{itemInstanceId}/`.
    GetItem,
    /// `POST /Destiny2/Actions/Items/TransferItem/`.
    TransferItem,
    /// `POST /Destiny2/Actions/Items/PullFromPostmaster/`.
    PullFromPostmaster,
    /// `POST /Destiny2/Actions/Items/EquipItem/`.
    EquipItem,
    /// `POST /Destiny2/Actions/Items/EquipItems/`.
    EquipItems,
    /// `POST /Destiny2/Actions/Items/SetLockState/`.
    SetLockState,
    /// `POST /Destiny2/Actions/Items/SetTrackedState/`.
    SetTrackedState,
    /// `POST /Destiny2/Actions/Loadouts/EquipLoadout/`.
    EquipLoadout,
    /// `GET .../Character/{characterId}/Vendors/`.
    GetVendors,
    /// `GET .../Character/{characterId}/Vendors/{vendorHash}/`.
    GetVendor,
    /// `GET /Destiny2/Vendors/`.
    GetPublicVendors,
    /// `GET /Destiny2/Manifest/`.
    GetDestinyManifest,
    /// `GET /Destiny2/Manifest/{entityType}/{hashIdentifier}/`.
    GetDestinyEntityDefinition,
}

/// The spacing bungie.net documents for the item actions (`ThrottleSecondsBetweenActionPerUser`).
const ITEM_ACTION_SPACING: Duration = Duration::from_millis(100);
/// The spacing for SetTrackedState and the loadout actions.
const SLOW_ACTION_SPACING: Duration = Duration::from_secs(1);

impl Endpoint {
    /// Every endpoint, in declaration order.
    pub const ALL: [Endpoint; 17] = [
        Endpoint::GetMembershipsForCurrentUser,
        Endpoint::GetLinkedProfiles,
        Endpoint::GetProfile,
        Endpoint::GetCharacter,
        Endpoint::GetItem,
        Endpoint::TransferItem,
        Endpoint::PullFromPostmaster,
        Endpoint::EquipItem,
        Endpoint::EquipItems,
        Endpoint::SetLockState,
        Endpoint::SetTrackedState,
        Endpoint::EquipLoadout,
        Endpoint::GetVendors,
        Endpoint::GetVendor,
        Endpoint::GetPublicVendors,
        Endpoint::GetDestinyManifest,
        Endpoint::GetDestinyEntityDefinition,
    ];

    /// The operation's name in the OpenAPI spec (its `operationId` after the service name).
    /// Three differ from the variant: SetLockState is `SetItemLockState`, SetTrackedState is
    /// `SetQuestTrackedState`, GetMembershipsForCurrentUser is `GetMembershipDataForCurrentUser`.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::GetMembershipsForCurrentUser => "GetMembershipDataForCurrentUser",
            Endpoint::GetLinkedProfiles => "GetLinkedProfiles",
            Endpoint::GetProfile => "GetProfile",
            Endpoint::GetCharacter => "GetCharacter",
            Endpoint::GetItem => "GetItem",
            Endpoint::TransferItem => "TransferItem",
            Endpoint::PullFromPostmaster => "PullFromPostmaster",
            Endpoint::EquipItem => "EquipItem",
            Endpoint::EquipItems => "EquipItems",
            Endpoint::SetLockState => "SetItemLockState",
            Endpoint::SetTrackedState => "SetQuestTrackedState",
            Endpoint::EquipLoadout => "EquipLoadout",
            Endpoint::GetVendors => "GetVendors",
            Endpoint::GetVendor => "GetVendor",
            Endpoint::GetPublicVendors => "GetPublicVendors",
            Endpoint::GetDestinyManifest => "GetDestinyManifest",
            Endpoint::GetDestinyEntityDefinition => "GetDestinyEntityDefinition",
        }
    }

    /// Whether the endpoint changes the game (an action: POST, throttled, one in flight per account).
    pub fn is_action(self) -> bool {
        matches!(
            self,
            Endpoint::TransferItem
                | Endpoint::PullFromPostmaster
                | Endpoint::EquipItem
                | Endpoint::EquipItems
                | Endpoint::SetLockState
                | Endpoint::SetTrackedState
                | Endpoint::EquipLoadout
        )
    }

    /// The HTTP method: POST for actions, GET for reads.
    pub fn method(self) -> Method {
        if self.is_action() {
            Method::Post
        } else {
            Method::Get
        }
    }

    /// The least time between two calls of this endpoint by one user: 0.1 s for the item
    /// actions, 1 s for SetTrackedState and EquipLoadout, zero for reads.
    pub fn spacing(self) -> Duration {
        match self {
            Endpoint::TransferItem
            | Endpoint::PullFromPostmaster
            | Endpoint::EquipItem
            | Endpoint::EquipItems
            | Endpoint::SetLockState => ITEM_ACTION_SPACING,
            Endpoint::SetTrackedState | Endpoint::EquipLoadout => SLOW_ACTION_SPACING,
            _ => Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_posts_with_the_documented_spacing() {
        let spaced: Vec<(Endpoint, u128)> = Endpoint::ALL
            .into_iter()
            .filter(|e| e.is_action())
            .map(|e| (e, e.spacing().as_millis()))
            .collect();
        assert_eq!(
            spaced,
            [
                (Endpoint::TransferItem, 100),
                (Endpoint::PullFromPostmaster, 100),
                (Endpoint::EquipItem, 100),
                (Endpoint::EquipItems, 100),
                (Endpoint::SetLockState, 100),
                (Endpoint::SetTrackedState, 1000),
                (Endpoint::EquipLoadout, 1000),
            ]
        );
        for endpoint in Endpoint::ALL {
            let expected = if endpoint.is_action() {
                Method::Post
            } else {
                Method::Get
            };
            assert_eq!(endpoint.method(), expected, "{endpoint:?}");
        }
    }

    #[test]
    fn reads_have_no_spacing() {
        for endpoint in Endpoint::ALL.into_iter().filter(|e| !e.is_action()) {
            assert_eq!(endpoint.spacing(), Duration::ZERO, "{endpoint:?}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Endpoint::ALL.len());
    }
}
