//! What the right-click menu needs: the item hash behind a link to an item page, and which of
//! the player's copies of that item to act on.
//!
//! [`item_hash_from_url`] knows these pages (scheme `http` or `https`, `www.` optional, host
//! and path segments case-insensitive, query and fragment ignored):
//!
//! | site | path |
//! |---|---|
//! | light.gg | `/db/items/{hash}`, `/db/{language}/items/{hash}`, either with a trailing slug (`/db/items/1363886209/gjallarhorn/`) |
//! | bungie.net | `/{locale}/Explore/Detail/DestinyInventoryItemDefinition/{hash}`, also under `/7/` (the path Bungie's own pages link item details to) |
//! | data.destinysets.com | `/i/InventoryItem:{hash}`, with or without more segments after it |
//! | d2foundry.gg | `/w/{hash}` (perk choices ride in the query) |
//!
//! ```
//! use courier_core::links::item_hash_from_url;
//! assert_eq!(item_hash_from_url("https://www.light.gg/db/items/1363886209/gjallarhorn/"), Some(1363886209));
//! assert_eq!(item_hash_from_url("https://d2foundry.gg/w/1363886209?p=0,0"), Some(1363886209));
//! assert_eq!(item_hash_from_url("https://www.light.gg/god-roll/"), None);
//! ```

use std::cmp::Reverse;

use crate::model::{Inventory, Item};

/// The item definition hash a link to an item page names, or `None` for any other link.
pub fn item_hash_from_url(url: &str) -> Option<u32> {
    let (host, path) = host_and_path(url)?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host.as_str() {
        "light.gg" => light_gg(&segments),
        "bungie.net" => bungie_net(&segments),
        "data.destinysets.com" => destinysets(&segments),
        "d2foundry.gg" => d2foundry(&segments),
        _ => None,
    }
}

/// The host (lowercase, without `www.`, port or user) and the path (without query or
/// fragment) of an `http` or `https` URL.
fn host_and_path(url: &str) -> Option<(String, &str)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let host = match host.strip_prefix("www.") {
        Some(bare) => bare.to_string(),
        None => host,
    };
    Some((host, path))
}

/// `/db/items/{hash}` or `/db/{language}/items/{hash}`, with anything after it.
fn light_gg(segments: &[&str]) -> Option<u32> {
    match segments {
        [db, items, hash, ..] if is(db, "db") && is(items, "items") => parse_hash(hash),
        [db, _, items, hash, ..] if is(db, "db") && is(items, "items") => parse_hash(hash),
        _ => None,
    }
}

/// `[/7]/{locale}/Explore/Detail/DestinyInventoryItemDefinition/{hash}`.
fn bungie_net(segments: &[&str]) -> Option<u32> {
    let segments = match segments {
        [seven, rest @ ..] if *seven == "7" => rest,
        _ => segments,
    };
    match segments {
        [_, explore, detail, table, hash]
            if is(explore, "explore")
                && is(detail, "detail")
                && is(table, "destinyinventoryitemdefinition") =>
        {
            parse_hash(hash)
        }
        _ => None,
    }
}

/// `/i/InventoryItem:{hash}`, with anything after it.
fn destinysets(segments: &[&str]) -> Option<u32> {
    match segments {
        [i, entry, ..] if is(i, "i") => {
            let (table, hash) = entry.split_once(':')?;
            is(table, "inventoryitem").then(|| parse_hash(hash))?
        }
        _ => None,
    }
}

/// `/w/{hash}`.
fn d2foundry(segments: &[&str]) -> Option<u32> {
    match segments {
        [w, hash, ..] if is(w, "w") => parse_hash(hash),
        _ => None,
    }
}

/// Whether a path segment is `expected`, ignoring case.
fn is(segment: &str, expected: &str) -> bool {
    segment.eq_ignore_ascii_case(expected)
}

/// A hash: decimal digits only (no sign), fitting in 32 bits, not zero.
fn parse_hash(text: &str) -> Option<u32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|hash| *hash != 0)
}

/// The copy of item `hash` the menu should act on: the only one; of several, the unlocked one
/// with the most power (the first in inventory order on a tie); locked copies only when every
/// copy is locked. `None` when the player has none.
pub fn best_copy(inventory: &Inventory, hash: u32) -> Option<&Item> {
    inventory
        .items
        .iter()
        .filter(|item| item.hash == hash)
        .min_by_key(|item| (item.locked, Reverse(item.power)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharacterId, ItemId, Location, buckets};

    const GJALLARHORN: u32 = 1363886209;

    #[test]
    fn light_gg_item_pages_with_and_without_slug_or_language() {
        for url in [
            "https://www.light.gg/db/items/1363886209",
            "https://www.light.gg/db/items/1363886209/",
            "https://www.light.gg/db/items/1363886209/gjallarhorn/",
            "https://light.gg/db/items/1363886209/gjallarhorn/?p=1,2#perks",
            "https://www.light.gg/db/fr/items/1363886209/gjallarhorn/",
            "HTTPS://WWW.LIGHT.GG/DB/ITEMS/1363886209",
            "http://www.light.gg:443/db/items/1363886209",
        ] {
            assert_eq!(item_hash_from_url(url), Some(GJALLARHORN), "{url}");
        }
    }

    #[test]
    fn bungie_net_item_detail_pages() {
        for url in [
            "https://www.bungie.net/en/Explore/Detail/DestinyInventoryItemDefinition/1363886209",
            "https://www.bungie.net/zh-cht/Explore/Detail/DestinyInventoryItemDefinition/1363886209",
            "https://www.bungie.net/7/en/Explore/Detail/DestinyInventoryItemDefinition/1363886209/",
            "https://bungie.net/en/explore/detail/destinyinventoryitemdefinition/1363886209",
        ] {
            assert_eq!(item_hash_from_url(url), Some(GJALLARHORN), "{url}");
        }
    }

    #[test]
    fn destinysets_and_d2foundry_pages() {
        for url in [
            "https://data.destinysets.com/i/InventoryItem:1363886209",
            "https://data.destinysets.com/i/InventoryItem:1363886209/collectible",
            "https://d2foundry.gg/w/1363886209",
            "https://www.d2foundry.gg/w/1363886209?p=0,0,0,0&m=0&mw=0",
        ] {
            assert_eq!(item_hash_from_url(url), Some(GJALLARHORN), "{url}");
        }
    }

    #[test]
    fn other_links_name_no_item() {
        for url in [
            "",
            "not a url",
            "ftp://www.light.gg/db/items/1363886209",
            "https://www.light.gg/db/items/",
            "https://www.light.gg/db/items/hover/1363886209",
            "https://www.light.gg/db/items/gjallarhorn",
            "https://www.light.gg/db/items/-5",
            "https://www.light.gg/db/items/0",
            "https://www.light.gg/db/items/99999999999",
            "https://evil.example/db/items/1363886209",
            "https://light.gg.evil.example/db/items/1363886209",
            "https://www.bungie.net/7/en/News/Article/51457",
            "https://www.bungie.net/en/Explore/Detail/DestinyActivityDefinition/1363886209",
            "https://www.bungie.net/Platform/Destiny2/Manifest/DestinyInventoryItemDefinition/1363886209/",
            "https://data.destinysets.com/i/Record:1363886209",
            "https://data.destinysets.com/i/InventoryItem:",
            "https://d2foundry.gg/x/1363886209",
            "https://d2foundry.gg/w/",
        ] {
            assert_eq!(item_hash_from_url(url), None, "{url:?}");
        }
    }

    fn copy(id: i64, hash: u32, locked: bool, power: Option<i32>) -> Item {
        Item {
            instance_id: Some(ItemId(id)),
            hash,
            quantity: 1,
            bucket_hash: buckets::POWER,
            location: Location::Character(CharacterId(1)),
            equipped: false,
            locked,
            lockable: true,
            transfer_status: 0,
            power,
        }
    }

    fn inventory(items: Vec<Item>) -> Inventory {
        Inventory {
            items,
            ..Inventory::default()
        }
    }

    fn best_id(inventory: &Inventory, hash: u32) -> Option<i64> {
        best_copy(inventory, hash).and_then(|item| item.instance_id.map(|id| id.0))
    }

    #[test]
    fn one_copy_is_that_copy_locked_or_not() {
        let inventory = inventory(vec![copy(1, 7, true, Some(1800)), copy(2, 8, false, None)]);
        assert_eq!(best_id(&inventory, 7), Some(1));
        assert_eq!(best_id(&inventory, 8), Some(2));
        assert_eq!(best_id(&inventory, 9), None, "no copy");
    }

    #[test]
    fn of_several_the_most_powerful_unlocked_copy_wins() {
        let inventory = inventory(vec![
            copy(1, 7, true, Some(1900)),
            copy(2, 7, false, Some(1810)),
            copy(3, 7, false, Some(1850)),
            copy(4, 7, false, None),
            copy(5, 8, false, Some(2000)),
        ]);
        assert_eq!(
            best_id(&inventory, 7),
            Some(3),
            "the locked 1900 is passed over"
        );
    }

    #[test]
    fn locked_copies_count_only_when_all_are_locked() {
        let inventory = inventory(vec![
            copy(1, 7, true, Some(1800)),
            copy(2, 7, true, Some(1820)),
        ]);
        assert_eq!(best_id(&inventory, 7), Some(2));
    }

    #[test]
    fn ties_go_to_the_first_copy() {
        let inventory = inventory(vec![
            copy(1, 7, false, Some(1800)),
            copy(2, 7, false, Some(1800)),
        ]);
        assert_eq!(best_id(&inventory, 7), Some(1));
    }
}
