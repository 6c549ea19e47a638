//! What a plan is made of: API actions with their expected effect, the items moved aside to
//! make room, and why a plan could not be made.

use serde::{Deserialize, Serialize};

use crate::model::{CharacterId, ItemId, Location};
use crate::tagged::needed;

/// One API action: `{"action": "transfer" | "pull" | "equip" | "lock", ...}` with each kind's
/// camelCase fields (the others are `null` when written, as the private `tagged` module explains).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub enum Action {
    /// `TransferItem`: between a character (or account bucket) and the vault.
    Transfer {
        /// The instance, for instanced items.
        item_id: Option<ItemId>,
        /// `itemReferenceHash`.
        item_hash: u32,
        /// `stackSize`.
        amount: i32,
        /// `transferToVault`.
        to_vault: bool,
        /// The holder when going to the vault, the destination otherwise.
        character_id: CharacterId,
    },
    /// `PullFromPostmaster`.
    Pull {
        /// The instance, for instanced items.
        item_id: Option<ItemId>,
        /// `itemReferenceHash`.
        item_hash: u32,
        /// `stackSize`.
        amount: i32,
        /// Whose postmaster.
        character_id: CharacterId,
    },
    /// `EquipItem`.
    Equip {
        /// The item.
        item_id: ItemId,
        /// Who equips it.
        character_id: CharacterId,
    },
    /// `SetLockState`.
    Lock {
        /// The item.
        item_id: ItemId,
        /// A character of the account (any will do).
        character_id: CharacterId,
        /// Locked or not.
        locked: bool,
    },
}

crate::tagged::wire_in_text!(Action, ActionWire);

/// An action as it is written and read (see [`crate::tagged`]).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionWire {
    action: ActionKind,
    item_id: Option<ItemId>,
    item_hash: Option<u32>,
    amount: Option<i32>,
    to_vault: Option<bool>,
    character_id: CharacterId,
    locked: Option<bool>,
}

/// The `action` of an action.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ActionKind {
    Transfer,
    Pull,
    Equip,
    Lock,
}

impl From<Action> for ActionWire {
    fn from(action: Action) -> Self {
        let bare = |action, character_id| Self {
            action,
            item_id: None,
            item_hash: None,
            amount: None,
            to_vault: None,
            character_id,
            locked: None,
        };
        match action {
            Action::Transfer {
                item_id,
                item_hash,
                amount,
                to_vault,
                character_id,
            } => Self {
                item_id,
                item_hash: Some(item_hash),
                amount: Some(amount),
                to_vault: Some(to_vault),
                ..bare(ActionKind::Transfer, character_id)
            },
            Action::Pull {
                item_id,
                item_hash,
                amount,
                character_id,
            } => Self {
                item_id,
                item_hash: Some(item_hash),
                amount: Some(amount),
                ..bare(ActionKind::Pull, character_id)
            },
            Action::Equip {
                item_id,
                character_id,
            } => Self {
                item_id: Some(item_id),
                ..bare(ActionKind::Equip, character_id)
            },
            Action::Lock {
                item_id,
                character_id,
                locked,
            } => Self {
                item_id: Some(item_id),
                locked: Some(locked),
                ..bare(ActionKind::Lock, character_id)
            },
        }
    }
}

impl TryFrom<ActionWire> for Action {
    type Error = String;

    fn try_from(wire: ActionWire) -> Result<Self, String> {
        let character_id = wire.character_id;
        Ok(match wire.action {
            ActionKind::Transfer => {
                let what = "a transfer";
                Action::Transfer {
                    item_id: wire.item_id,
                    item_hash: needed(wire.item_hash, what, "itemHash")?,
                    amount: needed(wire.amount, what, "amount")?,
                    to_vault: needed(wire.to_vault, what, "toVault")?,
                    character_id,
                }
            }
            ActionKind::Pull => {
                let what = "a pull";
                Action::Pull {
                    item_id: wire.item_id,
                    item_hash: needed(wire.item_hash, what, "itemHash")?,
                    amount: needed(wire.amount, what, "amount")?,
                    character_id,
                }
            }
            ActionKind::Equip => Action::Equip {
                item_id: needed(wire.item_id, "an equip", "itemId")?,
                character_id,
            },
            ActionKind::Lock => {
                let what = "a lock";
                Action::Lock {
                    item_id: needed(wire.item_id, what, "itemId")?,
                    character_id,
                    locked: needed(wire.locked, what, "locked")?,
                }
            }
        })
    }
}

/// Why a step is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// It does what was asked.
    Requested,
    /// It moves another item aside to make room.
    MakeRoom,
    /// It equips a replacement so an equipped item can leave.
    ReplaceEquipped,
    /// It unequips a conflicting exotic by equipping something else in its slot.
    ResolveExotic,
}

/// One step: an action, which intent it serves, why, and what it should leave behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The API action.
    pub action: Action,
    /// Index of the intent this step serves.
    pub intent: usize,
    /// Why it is here.
    pub purpose: Purpose,
    /// The item it acts on, by instance or stack.
    pub item_hash: u32,
    /// Where the item should be after it.
    pub expected: Location,
}

/// An item outside the request that the plan touches, listed before anything runs: moved
/// out of the way to make room, or equipped in place of an item that must leave its slot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MovedAside {
    /// The instance, for instanced items.
    pub item_id: Option<ItemId>,
    /// The item hash.
    pub item_hash: u32,
    /// Where it was.
    pub from: Location,
    /// Where it ends up.
    pub to: Location,
    /// Why: making room, replacing an equipped item, or replacing a clashing exotic.
    pub purpose: Purpose,
}

/// Why a plan (or part of one) cannot be made. Each says what a person can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// The item is not in the inventory.
    #[error("{what} is not in your inventory any more; refresh and try again.")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The destination is full and making room was not allowed (or nothing could move).
    #[error("{place} is full. Allow Courier to make room, or move something out first.")]
    NoRoom {
        /// Which place and bucket.
        place: String,
    },
    /// The item cannot be transferred.
    #[error("{name} cannot be transferred: it stays on the character that has it.")]
    NotTransferable {
        /// The item's name.
        name: String,
    },
    /// The item belongs to another class.
    #[error("{name} is {class} gear and cannot go to a {character_class}.")]
    WrongClass {
        /// The item's name.
        name: String,
        /// The item's class.
        class: String,
        /// The character's class.
        character_class: String,
    },
    /// The character is in an activity, so it cannot change equipment.
    #[error("That character is in an activity. Return to orbit or a social space to equip items.")]
    InActivity,
    /// The item cannot be equipped.
    #[error("{name} cannot be equipped.")]
    NotEquippable {
        /// The item's name.
        name: String,
    },
    /// An equipped item must stay because nothing can take its place.
    #[error(
        "{name} is equipped and there is nothing else to equip in its slot; put another item in that slot first."
    )]
    NoReplacement {
        /// The item's name.
        name: String,
    },
    /// The postmaster item can only be pulled in the game.
    #[error("{name} does something when pulled from the postmaster; pull it in the game.")]
    SideEffects {
        /// The item's name.
        name: String,
    },
    /// The item is not where the intent says (e.g. pulling an item that is not in a postmaster).
    #[error("{name} is not {expected}.")]
    WrongPlace {
        /// The item's name.
        name: String,
        /// Where it would have to be.
        expected: String,
    },
    /// The intent itself is malformed (a bad amount, an unknown character, a bad search).
    #[error("{reason}")]
    Invalid {
        /// What is wrong.
        reason: String,
    },
}

impl Refusal {
    /// Its kind, as its JSON's `kind` names it (`no_room`, `wrong_class`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Refusal::NotFound { .. } => "not_found",
            Refusal::NoRoom { .. } => "no_room",
            Refusal::NotTransferable { .. } => "not_transferable",
            Refusal::WrongClass { .. } => "wrong_class",
            Refusal::InActivity => "in_activity",
            Refusal::NotEquippable { .. } => "not_equippable",
            Refusal::NoReplacement { .. } => "no_replacement",
            Refusal::SideEffects { .. } => "side_effects",
            Refusal::WrongPlace { .. } => "wrong_place",
            Refusal::Invalid { .. } => "invalid",
        }
    }
}

/// The outcome of planning one intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentPlan {
    /// Index into the plan's intents.
    pub intent: usize,
    /// `None` when planned, or why not.
    pub refusal: Option<Refusal>,
    /// Items the intent covered but leaves alone, with why (for bulk intents).
    pub skipped: Vec<Skipped>,
}

/// An item a bulk intent leaves alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    /// The instance, for instanced items.
    pub item_id: Option<ItemId>,
    /// The item hash.
    pub item_hash: u32,
    /// Why it is left alone.
    pub reason: Refusal,
}

/// A plan: every step in order, what moves aside, and how each intent fared.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The API actions, in the order they must run.
    pub steps: Vec<Step>,
    /// Items moved out of the way to make room (the player sees these before anything runs).
    pub moved_aside: Vec<MovedAside>,
    /// One entry per intent, in order.
    pub intents: Vec<IntentPlan>,
}

impl Plan {
    /// Whether every intent was planned.
    pub fn is_complete(&self) -> bool {
        self.intents.iter().all(|i| i.refusal.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_what_they_write() {
        let character_id = CharacterId(5);
        for action in [
            Action::Transfer {
                item_id: None,
                item_hash: 3,
                amount: 20,
                to_vault: true,
                character_id,
            },
            Action::Pull {
                item_id: Some(ItemId(8)),
                item_hash: 3,
                amount: 1,
                character_id,
            },
            Action::Equip {
                item_id: ItemId(8),
                character_id,
            },
            Action::Lock {
                item_id: ItemId(8),
                character_id,
                locked: true,
            },
        ] {
            let text = serde_json::to_string(&action).expect("serializes");
            assert_eq!(serde_json::from_str::<Action>(&text).expect(&text), action);
            // And in the binary form runs are kept in.
            let bytes = postcard::to_allocvec(&action).expect("serializes");
            assert_eq!(postcard::from_bytes::<Action>(&bytes), Ok(action));
        }
        let error = serde_json::from_str::<Action>(r#"{"action":"equip","characterId":"5"}"#)
            .expect_err("no item");
        assert!(
            error.to_string().contains("an equip needs `itemId`"),
            "{error}"
        );
    }

    #[test]
    fn a_refusal_kind_is_its_json_tag() {
        let name = || "Ace of Spades".to_string();
        for refusal in [
            Refusal::NotFound { what: name() },
            Refusal::NoRoom { place: name() },
            Refusal::NotTransferable { name: name() },
            Refusal::WrongClass {
                name: name(),
                class: "Hunter".into(),
                character_class: "Titan".into(),
            },
            Refusal::InActivity,
            Refusal::NotEquippable { name: name() },
            Refusal::NoReplacement { name: name() },
            Refusal::SideEffects { name: name() },
            Refusal::WrongPlace {
                name: name(),
                expected: "in a postmaster".into(),
            },
            Refusal::Invalid { reason: name() },
        ] {
            let json = serde_json::to_value(&refusal).expect("serializes");
            assert_eq!(json["kind"], refusal.kind(), "{refusal:?}");
        }
    }
}
