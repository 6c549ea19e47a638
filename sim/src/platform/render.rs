//! The JSON shapes of the world's parts as the Platform API sends them: item components,
//! item instances, characters, user info cards. int64 ids are strings; hashes are numbers.

use serde_json::{Value, json};

use crate::world::defs::icon_path;
use crate::world::{Character, Item, Place, World, class_type};

/// `DestinyClass` to the class definition hash.
pub fn class_hash(class: u8) -> u32 {
    match class {
        class_type::TITAN => 3655393761,
        class_type::HUNTER => 671679327,
        _ => 2271682572,
    }
}

/// `DestinyRace` to the race definition hash.
fn race_hash(race: u8) -> u32 {
    match race {
        0 => 3887404748,
        1 => 2803282938,
        _ => 898834093,
    }
}

/// `DestinyGender` to the gender definition hash.
fn gender_hash(gender: u8) -> u32 {
    match gender {
        0 => 3111576190,
        _ => 2204441813,
    }
}

/// `ItemLocation` of a place.
fn location(place: Place) -> i32 {
    match place {
        Place::Vault => 2,
        Place::Postmaster(_) => 4,
        Place::Character(_) | Place::Account => 1,
    }
}

/// `ItemState` flags of an item.
pub fn item_state(item: &Item) -> i32 {
    i32::from(item.locked) | (i32::from(item.tracked) << 1)
}

/// A `DestinyItemComponent`.
pub fn item_component(world: &World, item: &Item) -> Value {
    let def = world.definitions.items.get(&item.hash);
    let non_transferrable = def.is_some_and(|d| d.non_transferrable);
    let transfer_status = i32::from(item.equipped) | (i32::from(non_transferrable) << 1);
    let mut value = json!({
        "itemHash": item.hash,
        "quantity": item.quantity,
        "bindStatus": 0,
        "location": location(item.place),
        "bucketHash": item.bucket_hash,
        "transferStatus": transfer_status,
        "lockable": def.is_some_and(|d| d.lockable),
        "state": item_state(item),
        "dismantlePermission": if item.instance_id.is_some() { 2 } else { 0 },
        "isWrapper": false,
        "tooltipNotificationIndexes": [],
        "versionNumber": 0,
    });
    if let Some(id) = item.instance_id {
        value["itemInstanceId"] = json!(id.to_string());
    }
    value
}

/// A `DestinyItemInstanceComponent`, for items with an instance.
pub fn instance_component(world: &World, item: &Item) -> Value {
    let def = world.definitions.items.get(&item.hash);
    let is_weapon = def.is_some_and(|d| d.item_type == 3);
    let primary_stat = item.power.map(|power| {
        json!({
            // Attack for weapons, Defense for armor, as the real stat hashes.
            "statHash": if is_weapon { 1480404414_u32 } else { 3897883278_u32 },
            "value": power,
        })
    });
    let mut value = json!({
        "damageType": if is_weapon { 1 + (item.hash % 4) as i32 } else { 0 },
        "itemLevel": item.power.unwrap_or(0) / 10,
        "quality": 0,
        "isEquipped": item.equipped,
        "canEquip": def.is_some_and(|d| d.equippable),
        "equipRequiredLevel": 0,
        "unlockHashesRequiredToEquip": [],
        "cannotEquipReason": 0,
    });
    if let Some(stat) = primary_stat {
        value["primaryStat"] = stat;
    }
    value
}

/// A `DestinyCharacterComponent`.
pub fn character_component(world: &World, index: usize, character: &Character) -> Value {
    let light = world.light(index);
    json!({
        "membershipId": world.account.destiny_membership_id.to_string(),
        "membershipType": world.account.membership_type,
        "characterId": character.id.to_string(),
        "dateLastPlayed": character.date_last_played,
        "minutesPlayedThisSession": "0",
        "minutesPlayedTotal": character.minutes_played_total.to_string(),
        "light": light,
        "stats": { "1935470627": light },
        "raceHash": race_hash(character.race_type),
        "genderHash": gender_hash(character.gender_type),
        "classHash": class_hash(character.class_type),
        "raceType": character.race_type,
        "classType": character.class_type,
        "genderType": character.gender_type,
        "emblemPath": icon_path(character.emblem_hash),
        "emblemBackgroundPath": icon_path(character.emblem_hash.rotate_left(16)),
        "emblemHash": character.emblem_hash,
        "emblemColor": { "red": 40, "green": 60, "blue": 90, "alpha": 255 },
        "levelProgression": {
            "progressionHash": 1716568313_u32,
            "dailyProgress": 0,
            "dailyLimit": 0,
            "weeklyProgress": 0,
            "weeklyLimit": 0,
            "currentProgress": 0,
            "level": 50,
            "levelCap": 50,
            "stepIndex": 50,
            "progressToNextLevel": 0,
            "nextLevelAt": 0,
        },
        "baseCharacterLevel": 50,
        "percentToNextLevel": 0.0,
    })
}

/// A `UserInfoCard` for the world's Destiny membership.
pub fn destiny_user_info(world: &World) -> Value {
    let account = &world.account;
    json!({
        "LastSeenDisplayName": account.display_name,
        "LastSeenDisplayNameType": account.membership_type,
        "iconPath": "/img/theme/bungienet/icons/psnLogo.png",
        "crossSaveOverride": 0,
        "applicableMembershipTypes": [account.membership_type],
        "isPublic": false,
        "membershipType": account.membership_type,
        "membershipId": account.destiny_membership_id.to_string(),
        "displayName": account.display_name,
        "bungieGlobalDisplayName": account.display_name,
        "bungieGlobalDisplayNameCode": account.display_name_code,
    })
}

/// A `UserInfoCard` for the world's bungie.net membership (type 254).
pub fn bungie_user_info(world: &World) -> Value {
    let account = &world.account;
    json!({
        "supplementalDisplayName": format!("{}#{:04}", account.display_name, account.display_name_code),
        "iconPath": "/img/profile/avatars/default_avatar.gif",
        "crossSaveOverride": 0,
        "isPublic": false,
        "membershipType": 254,
        "membershipId": account.bungie_membership_id.to_string(),
        "displayName": account.display_name,
        "bungieGlobalDisplayName": account.display_name,
        "bungieGlobalDisplayNameCode": account.display_name_code,
    })
}

/// `{ "items": [...] }` for the items at one place, optionally filtered.
pub fn item_list<'a>(world: &'a World, items: impl Iterator<Item = &'a Item>) -> Value {
    json!({ "items": items.map(|item| item_component(world, item)).collect::<Vec<_>>() })
}

/// Whether an item belongs in `profileCurrencies` rather than `profileInventory`: it sits in
/// an account bucket whose definition is a currency bucket (category 2).
pub fn is_currency(world: &World, item: &Item) -> bool {
    item.place == Place::Account
        && world
            .definitions
            .buckets
            .get(&item.bucket_hash)
            .is_some_and(|bucket| bucket.category == 2)
}
