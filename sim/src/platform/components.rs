//! The `?components=` list of Get calls: numbers or names, case-insensitive, comma separated.

use std::collections::BTreeSet;

use crate::envelope::{self, PlatformError};

/// The `DestinyComponentType`s the simulator can answer, with their numbers and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Component {
    /// 100 Profiles.
    Profiles,
    /// 102 ProfileInventories.
    ProfileInventories,
    /// 103 ProfileCurrencies.
    ProfileCurrencies,
    /// 200 Characters.
    Characters,
    /// 201 CharacterInventories.
    CharacterInventories,
    /// 205 CharacterEquipment.
    CharacterEquipment,
    /// 206 CharacterLoadouts.
    CharacterLoadouts,
    /// 300 ItemInstances.
    ItemInstances,
    /// 307 ItemCommonData.
    ItemCommonData,
    /// 400 Vendors.
    Vendors,
    /// 401 VendorCategories.
    VendorCategories,
    /// 402 VendorSales.
    VendorSales,
}

/// Every component the simulator knows, with number and name.
const KNOWN: [(Component, u32, &str); 12] = [
    (Component::Profiles, 100, "profiles"),
    (Component::ProfileInventories, 102, "profileinventories"),
    (Component::ProfileCurrencies, 103, "profilecurrencies"),
    (Component::Characters, 200, "characters"),
    (Component::CharacterInventories, 201, "characterinventories"),
    (Component::CharacterEquipment, 205, "characterequipment"),
    (Component::CharacterLoadouts, 206, "characterloadouts"),
    (Component::ItemInstances, 300, "iteminstances"),
    (Component::ItemCommonData, 307, "itemcommondata"),
    (Component::Vendors, 400, "vendors"),
    (Component::VendorCategories, 401, "vendorcategories"),
    (Component::VendorSales, 402, "vendorsales"),
];

/// Other valid `DestinyComponentType` numbers and names: accepted, answered with nothing.
const VALID_ELSEWHERE: [(u32, &str); 12] = [
    (0, "none"),
    (101, "vendorreceipts"),
    (104, "profileprogression"),
    (105, "platformsilver"),
    (202, "characterprogressions"),
    (203, "characterrenderdata"),
    (204, "characteractivities"),
    (301, "itemobjectives"),
    (302, "itemperks"),
    (304, "itemstats"),
    (305, "itemsockets"),
    (310, "itemreusableplugs"),
];

/// The components a request asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Components(BTreeSet<Component>);

impl Components {
    /// Parses `?components=`; an unknown name or number is ErrorCode 7.
    pub fn parse(list: Option<&str>) -> Result<Self, PlatformError> {
        let mut set = BTreeSet::new();
        for part in list
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let lower = part.to_ascii_lowercase();
            let number: Option<u32> = lower.parse().ok();
            let matches = |n: u32, name: &str| number == Some(n) || lower == name;
            if let Some((component, _, _)) = KNOWN.iter().find(|(_, n, name)| matches(*n, name)) {
                set.insert(*component);
            } else if !VALID_ELSEWHERE.iter().any(|(n, name)| matches(*n, name)) {
                return Err(PlatformError::new(
                    envelope::PARAMETER_PARSE_FAILURE,
                    format!(
                        "Unable to parse your parameters: {part:?} is not a DestinyComponentType."
                    ),
                ));
            }
        }
        Ok(Self(set))
    }

    /// Whether a component was asked for.
    pub fn has(&self, component: Component) -> bool {
        self.0.contains(&component)
    }
}

/// The raw `components` query value of a request's query string.
pub fn components_query(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "components")
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_mix() {
        let parsed =
            Components::parse(Some("100,CharacterInventories, 300,itemSockets")).expect("valid");
        assert!(parsed.has(Component::Profiles));
        assert!(parsed.has(Component::CharacterInventories));
        assert!(parsed.has(Component::ItemInstances));
        assert!(!parsed.has(Component::Characters));
        assert!(Components::parse(Some("100,Bogus")).is_err());
        assert!(Components::parse(Some("999")).is_err());
        assert_eq!(
            Components::parse(None).expect("empty"),
            Components::default()
        );
        assert_eq!(
            components_query(Some("a=1&components=200%2C205")).as_deref(),
            Some("200,205")
        );
    }
}
