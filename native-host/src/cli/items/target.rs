//! What the flags name: a character (`titan`, `hunter`, `warlock` or an id), a destination
//! (those or `vault`), and the items a search matches.

use courier_core::model::{CharacterId, ClassType, Item};
use courier_core::plan::{Destination, ItemRef};
use courier_core::search::{Context, Query, filter};

use super::Order;
use super::words::Words;

/// The destination `spec` names: `vault` or a character.
pub fn destination(
    words: &Words<'_>,
    spec: &str,
    order: &mut Order,
) -> anyhow::Result<Destination> {
    if spec.eq_ignore_ascii_case("vault") {
        return Ok(Destination::Vault);
    }
    character(words, spec, order).map(Destination::Character)
}

/// The character `spec` names: a class (the most recently played of two of that class, with a
/// note saying so) or a character id of this account.
pub fn character(words: &Words<'_>, spec: &str, order: &mut Order) -> anyhow::Result<CharacterId> {
    let characters = &words.inventory.characters;
    let class = match spec.to_ascii_lowercase().as_str() {
        "titan" => Some(ClassType::Titan),
        "hunter" => Some(ClassType::Hunter),
        "warlock" => Some(ClassType::Warlock),
        _ => None,
    };
    let known = || {
        characters
            .iter()
            .map(|c| words.character(c.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(class) = class {
        let mut of_class: Vec<_> = characters
            .iter()
            .filter(|c| c.class_type == class)
            .collect();
        // RFC 3339 timestamps of one format sort as they read.
        of_class.sort_by(|a, b| b.date_last_played.cmp(&a.date_last_played));
        return match of_class.as_slice() {
            [] => anyhow::bail!(
                "this account has no {}; its characters: {}",
                class.name(),
                known()
            ),
            [only] => Ok(only.id),
            [newest, ..] => {
                order.note(format!(
                    "{} {}s: using {} (played most recently); give a character id to pick another",
                    of_class.len(),
                    class.name(),
                    words.character(newest.id)
                ));
                Ok(newest.id)
            }
        };
    }
    let id: i64 = spec
        .parse()
        .map_err(|_| anyhow::anyhow!("{spec:?} is not titan, hunter, warlock or a character id"))?;
    characters
        .iter()
        .find(|c| c.id == CharacterId(id))
        .map(|c| c.id)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "this account has no character {id}; its characters: {}",
                known()
            )
        })
}

/// The items a search matches, in inventory order; a search that does not parse is an error
/// that points at the problem, and one that matches nothing is an error too.
pub fn matching<'a>(words: &Words<'a>, text: &str) -> anyhow::Result<Vec<&'a Item>> {
    let query = Query::parse(text).map_err(|error| {
        let caret = " ".repeat(error.position);
        anyhow::anyhow!(
            "the search does not parse: {}\n  {text}\n  {caret}^",
            error.message
        )
    })?;
    let context = Context {
        inventory: words.inventory,
        definitions: words.definitions,
    };
    let items = filter(query, &context);
    anyhow::ensure!(
        !items.is_empty(),
        "nothing in the inventory matches {text:?}"
    );
    Ok(items)
}

/// How an intent names an item: its instance, or its stack by hash and place.
pub fn reference(item: &Item) -> ItemRef {
    match item.instance_id {
        Some(id) => ItemRef::Instance { id },
        None => ItemRef::Stack {
            hash: item.hash,
            from: item.location,
        },
    }
}

#[cfg(test)]
mod tests {
    use courier_core::model::{Character, Definitions, Inventory, Location};

    use super::*;

    fn played(id: i64, class_type: ClassType, played: &str) -> Character {
        Character {
            id: CharacterId(id),
            class_type,
            light: 0,
            emblem_path: String::new(),
            emblem_background_path: String::new(),
            date_last_played: played.into(),
        }
    }

    fn inventory() -> Inventory {
        Inventory {
            characters: vec![
                played(1, ClassType::Titan, "2024-06-01T10:00:00Z"),
                played(2, ClassType::Hunter, "2024-06-02T10:00:00Z"),
                played(3, ClassType::Titan, "2024-06-03T10:00:00Z"),
            ],
            ..Inventory::default()
        }
    }

    #[test]
    fn classes_ids_and_the_vault_name_characters() {
        let (inventory, definitions) = (inventory(), Definitions::default());
        let words = Words::new(&inventory, &definitions);
        let mut order = Order::default();
        assert_eq!(
            destination(&words, "VAULT", &mut order).expect("the vault"),
            Destination::Vault
        );
        assert_eq!(
            character(&words, "hunter", &mut order).expect("one hunter"),
            CharacterId(2)
        );
        assert_eq!(
            character(&words, "1", &mut order).expect("an id"),
            CharacterId(1)
        );
        assert!(order.notes.is_empty(), "{:?}", order.notes);
        assert_eq!(
            character(&words, "Titan", &mut order).expect("two titans"),
            CharacterId(3),
            "the most recently played"
        );
        assert_eq!(
            order.notes,
            ["2 Titans: using Titan 3 (played most recently); give a character id to pick another"]
        );
    }

    #[test]
    fn unknown_characters_list_the_known_ones() {
        let (inventory, definitions) = (inventory(), Definitions::default());
        let words = Words::new(&inventory, &definitions);
        let mut order = Order::default();
        let error = |spec: &str, order: &mut Order| {
            character(&words, spec, order).expect_err(spec).to_string()
        };
        assert_eq!(
            error("warlock", &mut order),
            "this account has no Warlock; its characters: Titan 1, Hunter 2, Titan 3"
        );
        assert_eq!(
            error("4", &mut order),
            "this account has no character 4; its characters: Titan 1, Hunter 2, Titan 3"
        );
        assert_eq!(
            error("the tower", &mut order),
            "\"the tower\" is not titan, hunter, warlock or a character id"
        );
    }

    #[test]
    fn stacks_are_named_by_hash_and_place() {
        let item = Item {
            instance_id: None,
            hash: 5,
            quantity: 3,
            bucket_hash: 0,
            location: Location::Account,
            equipped: false,
            locked: false,
            lockable: false,
            transfer_status: 0,
            power: None,
        };
        assert_eq!(
            reference(&item),
            ItemRef::Stack {
                hash: 5,
                from: Location::Account
            }
        );
    }
}
