//! What a player asks for: intents, as the popup and context menu send them (serde-tagged by
//! `kind`, camelCase fields, int64 ids as strings).

use serde::{Deserialize, Serialize};

use crate::model::{CharacterId, ItemId, Location};
use crate::tagged::needed;

/// Where an item should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum Destination {
    /// The vault.
    Vault,
    /// A character.
    Character(CharacterId),
}

impl Serialize for Destination {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if !serializer.is_human_readable() {
            return Destination::serialize(self, serializer);
        }
        match self {
            Destination::Vault => serializer.serialize_str("vault"),
            Destination::Character(id) => serializer.collect_str(id),
        }
    }
}

impl<'de> Deserialize<'de> for Destination {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if !deserializer.is_human_readable() {
            return Destination::deserialize(deserializer);
        }
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

/// Which item an intent means: an instance (`itemId`), or an uninstanced stack by hash and
/// place (`itemHash` and `from`). Its serde form is the derived one, for the binary form intents
/// are kept in; in JSON an intent carries it as those flat fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemRef {
    /// An instanced item.
    Instance {
        /// Its instance id.
        id: ItemId,
    },
    /// A stack of an uninstanced item.
    Stack {
        /// The item hash.
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

/// One thing the player asked for, as `{"kind": "move" | "equip" | ..., ...}` with each kind's
/// camelCase fields (the others are `null` when written, as the private `tagged` module explains).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum Intent {
    /// Move an item (or part of a stack) to the vault or a character, optionally equipping it.
    Move {
        /// The item.
        item: ItemRef,
        /// Where to.
        to: Destination,
        /// How many of a stack (all when absent).
        amount: Option<i32>,
        /// Equip it there (characters only; `false` when absent).
        equip: bool,
    },
    /// Equip an item on a character (moving it there first if needed).
    Equip {
        /// The item.
        item: ItemRef,
        /// Who equips it.
        character_id: CharacterId,
    },
    /// Lock or unlock an item.
    Lock {
        /// The item.
        item: ItemRef,
        /// Locked or not.
        locked: bool,
    },
    /// Pull an item from its character's postmaster.
    Pull {
        /// The item.
        item: ItemRef,
    },
    /// Pull everything that can be pulled from a character's postmaster.
    CollectPostmaster {
        /// Whose postmaster.
        character_id: CharacterId,
    },
    /// Move every item a search matches to a destination.
    MoveMatching {
        /// The search, in the search language.
        query: String,
        /// Where to.
        to: Destination,
    },
    /// Equip a set of items on a character, moving them there first.
    ApplyLoadout {
        /// Who.
        character_id: CharacterId,
        /// The items to equip.
        item_ids: Vec<ItemId>,
    },
}

impl Intent {
    /// An intent from its JSON (as the popup and the menu send it).
    pub fn from_json(json: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(json)
    }

    /// A list of intents from its JSON.
    pub fn list_from_json(json: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_slice(json)
    }
}

crate::tagged::wire_in_text!(Intent, IntentWire);

/// An intent as it is written and read: the kind, and every kind's fields (see
/// [`crate::tagged`]).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntentWire {
    kind: IntentKind,
    item_id: Option<ItemId>,
    item_hash: Option<u32>,
    from: Option<Location>,
    to: Option<Destination>,
    amount: Option<i32>,
    #[serde(default)]
    equip: bool,
    character_id: Option<CharacterId>,
    locked: Option<bool>,
    query: Option<String>,
    item_ids: Option<Vec<ItemId>>,
}

/// The `kind` of an intent.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum IntentKind {
    Move,
    Equip,
    Lock,
    Pull,
    CollectPostmaster,
    MoveMatching,
    ApplyLoadout,
}

impl IntentWire {
    /// The wire of an intent of `kind`, without fields yet.
    fn bare(kind: IntentKind) -> Self {
        Self {
            kind,
            item_id: None,
            item_hash: None,
            from: None,
            to: None,
            amount: None,
            equip: false,
            character_id: None,
            locked: None,
            query: None,
            item_ids: None,
        }
    }

    /// The wire of an intent of `kind` about `item`.
    fn about(kind: IntentKind, item: ItemRef) -> Self {
        let (item_id, item_hash, from) = match item {
            ItemRef::Instance { id } => (Some(id), None, None),
            ItemRef::Stack { hash, from } => (None, Some(hash), Some(from)),
        };
        Self {
            item_id,
            item_hash,
            from,
            ..Self::bare(kind)
        }
    }

    /// The item named by `itemId`, or by `itemHash` and `from`.
    fn item(&self, what: &str) -> Result<ItemRef, String> {
        match (self.item_id, self.item_hash, self.from) {
            (Some(id), _, _) => Ok(ItemRef::Instance { id }),
            (None, Some(hash), Some(from)) => Ok(ItemRef::Stack { hash, from }),
            _ => Err(format!("{what} needs `itemId`, or `itemHash` and `from`")),
        }
    }
}

impl From<Intent> for IntentWire {
    fn from(intent: Intent) -> Self {
        match intent {
            Intent::Move {
                item,
                to,
                amount,
                equip,
            } => Self {
                to: Some(to),
                amount,
                equip,
                ..Self::about(IntentKind::Move, item)
            },
            Intent::Equip { item, character_id } => Self {
                character_id: Some(character_id),
                ..Self::about(IntentKind::Equip, item)
            },
            Intent::Lock { item, locked } => Self {
                locked: Some(locked),
                ..Self::about(IntentKind::Lock, item)
            },
            Intent::Pull { item } => Self::about(IntentKind::Pull, item),
            Intent::CollectPostmaster { character_id } => Self {
                character_id: Some(character_id),
                ..Self::bare(IntentKind::CollectPostmaster)
            },
            Intent::MoveMatching { query, to } => Self {
                query: Some(query),
                to: Some(to),
                ..Self::bare(IntentKind::MoveMatching)
            },
            Intent::ApplyLoadout {
                character_id,
                item_ids,
            } => Self {
                character_id: Some(character_id),
                item_ids: Some(item_ids),
                ..Self::bare(IntentKind::ApplyLoadout)
            },
        }
    }
}

impl TryFrom<IntentWire> for Intent {
    type Error = String;

    fn try_from(wire: IntentWire) -> Result<Self, String> {
        let what = match wire.kind {
            IntentKind::Move => "a move intent",
            IntentKind::Equip => "an equip intent",
            IntentKind::Lock => "a lock intent",
            IntentKind::Pull => "a pull intent",
            IntentKind::CollectPostmaster => "a collect_postmaster intent",
            IntentKind::MoveMatching => "a move_matching intent",
            IntentKind::ApplyLoadout => "an apply_loadout intent",
        };
        Ok(match wire.kind {
            IntentKind::Move => Intent::Move {
                item: wire.item(what)?,
                to: needed(wire.to, what, "to")?,
                amount: wire.amount,
                equip: wire.equip,
            },
            IntentKind::Equip => Intent::Equip {
                item: wire.item(what)?,
                character_id: needed(wire.character_id, what, "characterId")?,
            },
            IntentKind::Lock => Intent::Lock {
                item: wire.item(what)?,
                locked: needed(wire.locked, what, "locked")?,
            },
            IntentKind::Pull => Intent::Pull {
                item: wire.item(what)?,
            },
            IntentKind::CollectPostmaster => Intent::CollectPostmaster {
                character_id: needed(wire.character_id, what, "characterId")?,
            },
            IntentKind::MoveMatching => Intent::MoveMatching {
                query: needed(wire.query, what, "query")?,
                to: needed(wire.to, what, "to")?,
            },
            IntentKind::ApplyLoadout => Intent::ApplyLoadout {
                character_id: needed(wire.character_id, what, "characterId")?,
                item_ids: needed(wire.item_ids, what, "itemIds")?,
            },
        })
    }
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

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        let stack = ItemRef::Stack {
            hash: 7,
            from: Location::Postmaster(CharacterId(3)),
        };
        let instance = ItemRef::Instance { id: ItemId(11) };
        let intents = [
            Intent::Move {
                item: stack,
                to: Destination::Character(CharacterId(2)),
                amount: Some(4),
                equip: false,
            },
            Intent::Equip {
                item: instance,
                character_id: CharacterId(2),
            },
            Intent::Lock {
                item: instance,
                locked: false,
            },
            Intent::Pull { item: stack },
            Intent::CollectPostmaster {
                character_id: CharacterId(3),
            },
            Intent::MoveMatching {
                query: "is:exotic".into(),
                to: Destination::Vault,
            },
            Intent::ApplyLoadout {
                character_id: CharacterId(2),
                item_ids: vec![ItemId(11)],
            },
        ];
        for intent in intents {
            let text = serde_json::to_string(&intent).expect("serializes");
            assert_eq!(serde_json::from_str::<Intent>(&text).expect(&text), intent);
            // And in the binary form runs are kept in.
            let bytes = postcard::to_allocvec(&intent).expect("serializes");
            assert_eq!(postcard::from_bytes::<Intent>(&bytes), Ok(intent));
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        let error = |text: &str| {
            serde_json::from_str::<Intent>(text)
                .expect_err(text)
                .to_string()
        };
        assert!(error(r#"{"kind":"lock","itemId":"1"}"#).contains("a lock intent needs `locked`"));
        assert!(
            error(r#"{"kind":"move","itemHash":5,"to":"vault"}"#)
                .contains("a move intent needs `itemId`, or `itemHash` and `from`")
        );
        assert!(error(r#"{"kind":"fly","itemId":"1"}"#).contains("unknown variant `fly`"));
        assert!(error(r#"{"itemId":"1"}"#).contains("missing field `kind`"));
    }
}
