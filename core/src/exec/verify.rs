//! Did an uncertain step happen? Compare the inventory before it with a fresh one.

use crate::model::{Inventory, Location};
use crate::plan::{Action, Step};

/// Whether the fresh inventory shows the step's effect, given the inventory before it.
pub fn happened(step: &Step, before: &Inventory, fresh: &Inventory) -> bool {
    match step.action {
        Action::Transfer {
            item_id: Some(id), ..
        }
        | Action::Pull {
            item_id: Some(id), ..
        } => fresh
            .item(id)
            .is_some_and(|item| item.location == step.expected),
        Action::Transfer {
            item_id: None,
            item_hash,
            amount,
            ..
        }
        | Action::Pull {
            item_id: None,
            item_hash,
            amount,
            ..
        } => {
            let held = |inventory: &Inventory, at: Location| -> i64 {
                inventory
                    .items
                    .iter()
                    .filter(|i| i.hash == item_hash && i.instance_id.is_none() && i.location == at)
                    .map(|i| i64::from(i.quantity))
                    .sum()
            };
            held(fresh, step.expected) - held(before, step.expected) >= i64::from(amount)
        }
        Action::Equip {
            item_id,
            character_id,
        } => fresh.item(item_id).is_some_and(|item| {
            item.equipped && item.location == Location::Character(character_id)
        }),
        Action::Lock {
            item_id, locked, ..
        } => fresh
            .item(item_id)
            .is_some_and(|item| item.locked == locked),
    }
}
