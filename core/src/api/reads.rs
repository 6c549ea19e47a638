//! Builders for the read endpoints: memberships, profiles, characters, items, vendors and the
//! manifest. Each returns an [`ApiRequest`] (GET, no body).

use super::components::{Component, components_query};
use super::endpoints::Endpoint;
use super::request::{ApiRequest, platform_path};
use crate::model::{CharacterId, ItemId};

impl ApiRequest {
    /// A GET of `segments` under `/Platform/` with these query pairs.
    fn read(
        endpoint: Endpoint,
        segments: &[&str],
        query: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        Self {
            method: endpoint.method(),
            path: platform_path(segments),
            query: query.into_iter().collect(),
            body: None,
            endpoint,
        }
    }

    /// A GET under `/Platform/Destiny2/{membershipType}/Profile/{membershipId}/`.
    fn profile_read(
        endpoint: Endpoint,
        membership_type: i32,
        membership_id: i64,
        rest: &[&str],
        components: &[Component],
    ) -> Self {
        let (membership_type, membership_id) =
            (membership_type.to_string(), membership_id.to_string());
        let mut segments = vec!["Destiny2", &membership_type, "Profile", &membership_id];
        segments.extend_from_slice(rest);
        Self::read(endpoint, &segments, components_query(components))
    }

    /// `GetMembershipsForCurrentUser`: the signed-in player's bungie.net and Destiny memberships.
    pub fn get_memberships_for_current_user() -> Self {
        Self::read(
            Endpoint::GetMembershipsForCurrentUser,
            &["User", "GetMembershipsForCurrentUser"],
            None,
        )
    }

    /// `GetLinkedProfiles` of a membership (a Destiny one, or bungie.net's with type 254);
    /// `get_all_memberships` also lists accounts cross save hides.
    pub fn get_linked_profiles(
        membership_type: i32,
        membership_id: i64,
        get_all_memberships: bool,
    ) -> Self {
        let query =
            get_all_memberships.then(|| ("getAllMemberships".to_string(), "true".to_string()));
        let (membership_type, membership_id) =
            (membership_type.to_string(), membership_id.to_string());
        Self::read(
            Endpoint::GetLinkedProfiles,
            &[
                "Destiny2",
                &membership_type,
                "Profile",
                &membership_id,
                "LinkedProfiles",
            ],
            query,
        )
    }

    /// `GetProfile` of a Destiny account with these components.
    pub fn get_profile(membership_type: i32, membership_id: i64, components: &[Component]) -> Self {
        Self::profile_read(
            Endpoint::GetProfile,
            membership_type,
            membership_id,
            &[],
            components,
        )
    }

    /// `GetCharacter`: one character of a Destiny account.
    pub fn get_character(
        membership_type: i32,
        membership_id: i64,
        character: CharacterId,
        components: &[Component],
    ) -> Self {
        let character = character.to_string();
        Self::profile_read(
            Endpoint::GetCharacter,
            membership_type,
            membership_id,
            &["Character", &character],
            components,
        )
    }

    /// `GetItem`: one item instance of a Destiny account.
    pub fn get_item(
        membership_type: i32,
        membership_id: i64,
        item: ItemId,
        components: &[Component],
    ) -> Self {
        let item = item.to_string();
        Self::profile_read(
            Endpoint::GetItem,
            membership_type,
            membership_id,
            &["Item", &item],
            components,
        )
    }

    /// `GetVendors`: every vendor as this character sees them.
    pub fn get_vendors(
        membership_type: i32,
        membership_id: i64,
        character: CharacterId,
        components: &[Component],
    ) -> Self {
        let character = character.to_string();
        Self::profile_read(
            Endpoint::GetVendors,
            membership_type,
            membership_id,
            &["Character", &character, "Vendors"],
            components,
        )
    }

    /// `GetVendor`: one vendor (e.g. Xur, 2190858386) as this character sees it.
    pub fn get_vendor(
        membership_type: i32,
        membership_id: i64,
        character: CharacterId,
        vendor_hash: u32,
        components: &[Component],
    ) -> Self {
        let (character, vendor_hash) = (character.to_string(), vendor_hash.to_string());
        Self::profile_read(
            Endpoint::GetVendor,
            membership_type,
            membership_id,
            &["Character", &character, "Vendors", &vendor_hash],
            components,
        )
    }

    /// `GetPublicVendors`: vendor stock anyone may see, signed in or not.
    pub fn get_public_vendors(components: &[Component]) -> Self {
        Self::read(
            Endpoint::GetPublicVendors,
            &["Destiny2", "Vendors"],
            components_query(components),
        )
    }

    /// `GetDestinyManifest`: the manifest version and where its definition files are.
    pub fn get_destiny_manifest() -> Self {
        Self::read(
            Endpoint::GetDestinyManifest,
            &["Destiny2", "Manifest"],
            None,
        )
    }

    /// `GetDestinyEntityDefinition`: one definition, e.g. (`"DestinyInventoryItemDefinition"`, hash).
    pub fn get_destiny_entity_definition(entity_type: &str, hash: u32) -> Self {
        let hash = hash.to_string();
        Self::read(
            Endpoint::GetDestinyEntityDefinition,
            &["Destiny2", "Manifest", entity_type, &hash],
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    const ID: i64 = 4611686018433092312;

    fn query(request: &ApiRequest) -> Vec<(&str, &str)> {
        request
            .query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    fn assert_read(
        request: &ApiRequest,
        endpoint: Endpoint,
        path: &str,
        expected_query: &[(&str, &str)],
    ) {
        assert_eq!(request.endpoint, endpoint);
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.path, path);
        assert_eq!(query(request), expected_query);
        assert_eq!(request.body, None);
    }

    #[test]
    fn memberships_for_the_current_user() {
        assert_read(
            &ApiRequest::get_memberships_for_current_user(),
            Endpoint::GetMembershipsForCurrentUser,
            "/Platform/User/GetMembershipsForCurrentUser/",
            &[],
        );
    }

    #[test]
    fn linked_profiles_with_and_without_all_memberships() {
        assert_read(
            &ApiRequest::get_linked_profiles(254, 7094, false),
            Endpoint::GetLinkedProfiles,
            "/Platform/Destiny2/254/Profile/7094/LinkedProfiles/",
            &[],
        );
        assert_read(
            &ApiRequest::get_linked_profiles(2, ID, true),
            Endpoint::GetLinkedProfiles,
            "/Platform/Destiny2/2/Profile/4611686018433092312/LinkedProfiles/",
            &[("getAllMemberships", "true")],
        );
    }

    #[test]
    fn profile_with_components() {
        assert_read(
            &ApiRequest::get_profile(
                2,
                ID,
                &[
                    Component::Profiles,
                    Component::ProfileInventories,
                    Component::ItemInstances,
                ],
            ),
            Endpoint::GetProfile,
            "/Platform/Destiny2/2/Profile/4611686018433092312/",
            &[("components", "100,102,300")],
        );
        assert_read(
            &ApiRequest::get_profile(3, 1, &[]),
            Endpoint::GetProfile,
            "/Platform/Destiny2/3/Profile/1/",
            &[],
        );
    }

    #[test]
    fn character_and_item() {
        assert_read(
            &ApiRequest::get_character(
                2,
                ID,
                CharacterId(2305843009300000001),
                &[Component::Characters],
            ),
            Endpoint::GetCharacter,
            "/Platform/Destiny2/2/Profile/4611686018433092312/Character/2305843009300000001/",
            &[("components", "200")],
        );
        assert_read(
            &ApiRequest::get_item(
                2,
                ID,
                ItemId(6917529000000000001),
                &[Component::ItemInstances, Component::ItemCommonData],
            ),
            Endpoint::GetItem,
            "/Platform/Destiny2/2/Profile/4611686018433092312/Item/6917529000000000001/",
            &[("components", "300,307")],
        );
    }

    #[test]
    fn vendors_vendor_and_public_vendors() {
        let sales = [
            Component::Vendors,
            Component::VendorCategories,
            Component::VendorSales,
        ];
        assert_read(
            &ApiRequest::get_vendors(2, ID, CharacterId(22), &sales),
            Endpoint::GetVendors,
            "/Platform/Destiny2/2/Profile/4611686018433092312/Character/22/Vendors/",
            &[("components", "400,401,402")],
        );
        assert_read(
            &ApiRequest::get_vendor(2, ID, CharacterId(22), 2190858386, &sales),
            Endpoint::GetVendor,
            "/Platform/Destiny2/2/Profile/4611686018433092312/Character/22/Vendors/2190858386/",
            &[("components", "400,401,402")],
        );
        assert_read(
            &ApiRequest::get_public_vendors(&sales),
            Endpoint::GetPublicVendors,
            "/Platform/Destiny2/Vendors/",
            &[("components", "400,401,402")],
        );
    }

    #[test]
    fn manifest_and_entity_definition() {
        assert_read(
            &ApiRequest::get_destiny_manifest(),
            Endpoint::GetDestinyManifest,
            "/Platform/Destiny2/Manifest/",
            &[],
        );
        assert_read(
            &ApiRequest::get_destiny_entity_definition(
                "DestinyInventoryItemDefinition",
                1363886209,
            ),
            Endpoint::GetDestinyEntityDefinition,
            "/Platform/Destiny2/Manifest/DestinyInventoryItemDefinition/1363886209/",
            &[],
        );
    }

    #[test]
    fn entity_types_cannot_escape_their_path_segment() {
        let request = ApiRequest::get_destiny_entity_definition("../User/x?y", 1);
        assert_eq!(
            request.path,
            "/Platform/Destiny2/Manifest/..%2FUser%2Fx%3Fy/1/"
        );
    }
}
