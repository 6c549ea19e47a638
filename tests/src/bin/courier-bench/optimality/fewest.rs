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

#[cfg(test)]
mod tests {
    use courier_core::model::{ItemId, Location};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::optimality::instance::case;

    #[test]
    fn a_goal_already_met_takes_no_action() {
        let case = case(&mut ChaCha8Rng::seed_from_u64(3));
        let item = &case.inventory.items[0];
        let goal = Goal::At(item.instance_id.expect("instanced"), item.location);
        assert_eq!(
            fewest_actions(&case.inventory, &case.definitions, goal, 4, 1_000),
            Fewest::Found(0)
        );
    }

    #[test]
    fn the_search_finds_the_shortest_sequence_and_no_shorter() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (case, id, holder) = std::iter::repeat_with(|| case(&mut rng))
            .find_map(|case| {
                // An unequipped item on a character, with room in the vault: one transfer.
                let item = case.inventory.items.iter().find(|item| {
                    !item.equipped && matches!(item.location, Location::Character(_))
                })?;
                let Location::Character(holder) = item.location else {
                    return None;
                };
                Some((case.clone(), item.instance_id?, holder))
            })
            .expect("a case with an unequipped item");
        let to_vault = Goal::At(id, Location::Vault);
        assert_eq!(
            fewest_actions(&case.inventory, &case.definitions, to_vault, 3, 100_000),
            Fewest::Found(1)
        );
        let equipped = Goal::Equipped(id, holder);
        assert_eq!(
            fewest_actions(&case.inventory, &case.definitions, equipped, 3, 100_000),
            Fewest::Found(1)
        );
        let missing = Goal::At(ItemId(999_999), Location::Vault);
        assert_eq!(
            fewest_actions(&case.inventory, &case.definitions, missing, 2, 100_000),
            Fewest::NoneWithin(2)
        );
        assert_eq!(
            fewest_actions(&case.inventory, &case.definitions, missing, 6, 10),
            Fewest::OverBudget
        );
    }
}
