//! What a player asks for: intents, as the popup and context menu send them (serde-tagged by
//! `kind`, camelCase fields, int64 ids as strings).

use serde::{Deserialize, Serialize};

use crate::model::{CharacterId, ItemId, Location};

/// Where an item should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    /// The vault.
    Vault,
    /// A character.
    Character(CharacterId),
}

impl Serialize for Destination {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Destination::Vault => serializer.serialize_str("vault"),
            Destination::Character(id) => serializer.collect_str(id),
        }
    }
}

impl<'de> Deserialize<'de> for Destination {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "vault" {
            return Ok(Destination::Vault);
        }
        text.parse::<i64>()
            .map(|id| Destination::Character(CharacterId(id)))
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{text:?} is neither \"vault\" nor a character id"
                ))
            })
    }
}

/// Which item an intent means: an instance, or an uninstanced stack by hash and place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", untagged)]
pub enum ItemRef {
    /// An instanced item.
    Instance {
        /// Its instance id.
        #[serde(rename = "itemId")]
        id: ItemId,
    },
    /// A stack of an uninstanced item.
    Stack {
        /// The item hash.
        #[serde(rename = "itemHash")]
        hash: u32,
        /// Where the stack is.
        from: Location,
    },
}

/// Whether the planner may move other items out of the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MakeRoom {
    /// Never: a full destination is a refusal.
    #[default]
    Never,
    /// Allowed: the least valuable unprotected item moves aside, and the plan lists it.
    Allowed,
}

/// One thing the player asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Intent {
    /// Move an item (or part of a stack) to the vault or a character, optionally equipping it.
    #[serde(rename_all = "camelCase")]
    Move {
        /// The item.
        #[serde(flatten)]
        item: ItemRef,
        /// Where to.
        to: Destination,
        /// How many of a stack (all when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        amount: Option<i32>,
        /// Equip it there (characters only).
        #[serde(default)]
        equip: bool,
    },
    /// Equip an item on a character (moving it there first if needed).
    #[serde(rename_all = "camelCase")]
    Equip {
        /// The item.
        #[serde(flatten)]
        item: ItemRef,
        /// Who equips it.
        character_id: CharacterId,
    },
    /// Lock or unlock an item.
    #[serde(rename_all = "camelCase")]
    Lock {
        /// The item.
        #[serde(flatten)]
        item: ItemRef,
        /// Locked or not.
        locked: bool,
    },
    /// Pull an item from its character's postmaster.
    #[serde(rename_all = "camelCase")]
    Pull {
        /// The item.
        #[serde(flatten)]
        item: ItemRef,
    },
    /// Pull everything that can be pulled from a character's postmaster.
    #[serde(rename_all = "camelCase")]
    CollectPostmaster {
        /// Whose postmaster.
        character_id: CharacterId,
    },
    /// Move every item a search matches to a destination.
    #[serde(rename_all = "camelCase")]
    MoveMatching {
        /// The search, in the search language.
        query: String,
        /// Where to.
        to: Destination,
    },
    /// Equip a set of items on a character, moving them there first.
    #[serde(rename_all = "camelCase")]
    ApplyLoadout {
        /// Who.
        character_id: CharacterId,
        /// The items to equip.
        item_ids: Vec<ItemId>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intents_read_the_popup_json() {
        let parse = |text: &str| serde_json::from_str::<Intent>(text).expect(text);
        assert_eq!(
            parse(r#"{"kind":"move","itemId":"6917529","to":"vault"}"#),
            Intent::Move {
                item: ItemRef::Instance {
                    id: ItemId(6917529)
                },
                to: Destination::Vault,
                amount: None,
                equip: false
            }
        );
        assert_eq!(
            parse(r#"{"kind":"move","itemId":"1","to":"2305843009","equip":true,"amount":1}"#),
            Intent::Move {
                item: ItemRef::Instance { id: ItemId(1) },
                to: Destination::Character(CharacterId(2305843009)),
                amount: Some(1),
                equip: true
            }
        );
        assert_eq!(
            parse(
                r#"{"kind":"move","itemHash":5,"from":{"kind":"account"},"to":"vault","amount":3}"#
            ),
            Intent::Move {
                item: ItemRef::Stack {
                    hash: 5,
                    from: Location::Account
                },
                to: Destination::Vault,
                amount: Some(3),
                equip: false
            }
        );
        assert_eq!(
            parse(r#"{"kind":"apply_loadout","characterId":"7","itemIds":["1","2"]}"#),
            Intent::ApplyLoadout {
                character_id: CharacterId(7),
                item_ids: vec![ItemId(1), ItemId(2)]
            }
        );
        assert_eq!(
            parse(r#"{"kind":"move_matching","query":"is:weapon is:rare","to":"vault"}"#),
            Intent::MoveMatching {
                query: "is:weapon is:rare".into(),
                to: Destination::Vault
            }
        );
        assert!(
            serde_json::from_str::<Intent>(r#"{"kind":"move","itemId":"1","to":"mars"}"#).is_err()
        );
        let round = Intent::Lock {
            item: ItemRef::Instance { id: ItemId(9) },
            locked: true,
        };
        assert_eq!(
            parse(&serde_json::to_string(&round).expect("serializes")),
            round
        );
    }
}
