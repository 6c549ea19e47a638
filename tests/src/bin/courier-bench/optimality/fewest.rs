//! The fewest actions that meet a goal, by breadth-first search over every sequence of the
//! actions the planner may use (TransferItem to and from the vault, EquipItem), each played by
//! courier-core's own rules ([`Board::apply`]), so an action the game would refuse is never
//! taken. Inventories already seen are not explored again.

use std::collections::HashSet;

use courier_core::model::{CharacterId, Definitions, Inventory, Location};
use courier_core::plan::Action;
use courier_core::plan::board::Board;

use super::instance::Goal;

/// What the search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fewest {
    /// The goal is met after this many actions and no fewer.
    Found(usize),
    /// No sequence of at most this many actions meets the goal.
    NoneWithin(usize),
    /// The search stopped after visiting its budget of inventories.
    OverBudget,
}

/// Searches sequences of at most `max_depth` actions, visiting at most `budget` inventories.
pub fn fewest_actions(
    inventory: &Inventory,
    definitions: &Definitions,
    goal: Goal,
    max_depth: usize,
    budget: usize,
) -> Fewest {
    let mut seen = HashSet::from([key(inventory)]);
    let mut level = vec![inventory.clone()];
    for depth in 0..=max_depth {
        if level.iter().any(|state| goal.met(state)) {
            return Fewest::Found(depth);
        }
        if depth == max_depth {
            break;
        }
        let mut next = Vec::new();
        for state in &level {
            for action in actions(state) {
                let mut board = Board::new(state, definitions);
                if board.apply(&action).is_err() || !seen.insert(key(&board.inventory)) {
                    continue;
                }
                if seen.len() > budget {
                    return Fewest::OverBudget;
                }
                next.push(board.inventory);
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    Fewest::NoneWithin(max_depth)
}

/// Every action worth trying on an inventory of instanced gear: each unequipped item on a
/// character to the vault or equipped there, each vault item to each character.
fn actions(inventory: &Inventory) -> Vec<Action> {
    let characters: Vec<CharacterId> = inventory.characters.iter().map(|c| c.id).collect();
    let mut actions = Vec::new();
    for item in &inventory.items {
        let Some(id) = item.instance_id else { continue };
        let transfer = |to_vault, character_id| Action::Transfer {
            item_id: Some(id),
            item_hash: item.hash,
            amount: item.quantity,
            to_vault,
            character_id,
        };
        match item.location {
            Location::Character(holder) if !item.equipped => {
                actions.push(transfer(true, holder));
                actions.push(Action::Equip {
                    item_id: id,
                    character_id: holder,
                });
            }
            Location::Vault => {
                actions.extend(characters.iter().map(|&to| transfer(false, to)));
            }
            _ => {}
        }
    }
    actions
}

/// Where every item is and whether it is equipped, in item order (moves keep instanced items
/// in place in the list), as the identity of an inventory.
fn key(inventory: &Inventory) -> Vec<(Location, bool)> {
    inventory
        .items
        .iter()
        .map(|item| (item.location, item.equipped))
        .collect()
}
