//! `DestinyComponentType`: which parts of a profile, character, item or vendor a Get call returns.

use serde::{Deserialize, Serialize};

/// A component Courier asks for, with the number the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(i32)]
pub enum Component {
    /// 100: the profile summary (character ids).
    Profiles = 100,
    /// 102: the vault and account-wide buckets.
    ProfileInventories = 102,
    /// 103: profile currencies.
    ProfileCurrencies = 103,
    /// 200: characters (class, light, emblem, last played).
    Characters = 200,
    /// 201: what each character carries, postmaster included.
    CharacterInventories = 201,
    /// 205: what each character has equipped.
    CharacterEquipment = 205,
    /// 206: each character's saved loadouts.
    CharacterLoadouts = 206,
    /// 300: item instances (power, equip state).
    ItemInstances = 300,
    /// 307: common item data.
    ItemCommonData = 307,
    /// 400: vendors.
    Vendors = 400,
    /// 401: vendor categories.
    VendorCategories = 401,
    /// 402: vendor sales.
    VendorSales = 402,
}

impl Component {
    /// Every component Courier uses, by number.
    pub const ALL: [Component; 12] = [
        Component::Profiles,
        Component::ProfileInventories,
        Component::ProfileCurrencies,
        Component::Characters,
        Component::CharacterInventories,
        Component::CharacterEquipment,
        Component::CharacterLoadouts,
        Component::ItemInstances,
        Component::ItemCommonData,
        Component::Vendors,
        Component::VendorCategories,
        Component::VendorSales,
    ];

    /// The API's number for the component.
    pub fn number(self) -> i32 {
        self as i32
    }
}

/// The `components` query parameter (`components=100,102`), or nothing for no components.
pub(crate) fn components_query(components: &[Component]) -> Option<(String, String)> {
    if components.is_empty() {
        return None;
    }
    let numbers: Vec<String> = components.iter().map(|c| c.number().to_string()).collect();
    Some(("components".to_string(), numbers.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_sent_as_comma_separated_numbers() {
        assert_eq!(
            components_query(&[Component::Profiles, Component::ProfileInventories]),
            Some(("components".to_string(), "100,102".to_string()))
        );
        assert_eq!(components_query(&[]), None);
    }
}
