//! Turns the parsed components of a profile into the [`Inventory`] model: characters ordered by
//! when they were last played, and every item with its location.

use std::collections::BTreeMap;

use super::wire::{CharacterData, Component, ItemData, ItemList, ProfileResponse};
use crate::model::{Character, CharacterId, ClassType, Inventory, Item, Location, buckets};
use crate::order;

/// `ItemState` bit: the item is locked.
const LOCKED: u32 = 1;

/// Builds the inventory from whatever components the answer carried.
pub(super) fn inventory(response: ProfileResponse<'_>) -> Inventory {
    let (membership_id, membership_type) = membership(&response);
    let characters = characters(data(response.characters).unwrap_or_default());
    let item = |wire: &ItemData, location: Location, equipped: bool| Item {
        instance_id: wire.item_instance_id,
        hash: wire.item_hash,
        quantity: wire.quantity,
        bucket_hash: wire.bucket_hash,
        location,
        equipped,
        locked: wire.state & LOCKED != 0,
        lockable: wire.lockable,
        transfer_status: wire.transfer_status,
        power: wire
            .item_instance_id
            .and_then(|id| response.powers.get(&id).copied()),
    };

    let mut items = Vec::new();
    for wire in list(response.profile_inventory) {
        let location = if wire.bucket_hash == buckets::VAULT {
            Location::Vault
        } else {
            Location::Account
        };
        items.push(item(&wire, location, false));
    }
    for wire in list(response.profile_currencies) {
        items.push(item(&wire, Location::Account, false));
    }
    for (id, list) in in_character_order(response.character_inventories, &characters) {
        for wire in list.items {
            let location = if wire.bucket_hash == buckets::POSTMASTER {
                Location::Postmaster(id)
            } else {
                Location::Character(id)
            };
            items.push(item(&wire, location, false));
        }
    }
    for (id, list) in in_character_order(response.character_equipment, &characters) {
        for wire in list.items {
            items.push(item(&wire, Location::Character(id), true));
        }
    }

    Inventory {
        membership_type,
        membership_id,
        characters,
        items,
        minted: response
            .response_minted_timestamp
            .map(std::borrow::Cow::into_owned),
    }
}

/// A component's data, when the component was asked for and may be seen.
fn data<T>(component: Option<Component<T>>) -> Option<T> {
    component.and_then(|component| component.data)
}

/// The items of a profile-wide item list component.
fn list(component: Option<Component<ItemList>>) -> Vec<ItemData> {
    data(component).map(|list| list.items).unwrap_or_default()
}

/// The characters, most recently played first (bungie.net writes UTC timestamps of one form,
/// so they order as text); ties go to the lower id.
fn characters(data: BTreeMap<CharacterId, CharacterData<'_>>) -> Vec<Character> {
    let mut characters: Vec<Character> = data
        .into_iter()
        .map(|(id, character)| Character {
            id,
            class_type: ClassType::from_api(character.class_type),
            light: character.light,
            emblem_path: character.emblem_path.into_owned(),
            emblem_background_path: character.emblem_background_path.into_owned(),
            date_last_played: character.date_last_played.into_owned(),
        })
        .collect();
    order::sort_by(&mut characters, |a, b| {
        b.date_last_played.cmp(&a.date_last_played)
    });
    characters
}

/// The Destiny membership: from the profile component when present, else from a character
/// (all of them belong to it); `(0, 0)` when the answer has neither.
fn membership(response: &ProfileResponse<'_>) -> (i64, i32) {
    let from_profile = response
        .profile
        .as_ref()
        .and_then(|component| component.data.as_ref())
        .and_then(|profile| profile.user_info.as_ref())
        .map(|info| (info.membership_id, info.membership_type));
    let from_characters = || {
        let character = response
            .characters
            .as_ref()?
            .data
            .as_ref()?
            .values()
            .next()?;
        Some((character.membership_id, character.membership_type))
    };
    from_profile.or_else(from_characters).unwrap_or_default()
}

/// A per-character component's entries, in the order of `characters`; characters the
/// characters component did not list come last, by id.
fn in_character_order(
    component: Option<Component<BTreeMap<CharacterId, ItemList>>>,
    characters: &[Character],
) -> Vec<(CharacterId, ItemList)> {
    let mut entries: Vec<(CharacterId, ItemList)> =
        data(component).unwrap_or_default().into_iter().collect();
    let position = |id: CharacterId| {
        characters
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(usize::MAX)
    };
    order::sort_by(&mut entries, |(a, _), (b, _)| {
        position(*a).cmp(&position(*b))
    });
    entries
}
