//! Playing a finished plan on an inventory by the game's rules: what the world looks like
//! after it, or the first step the game would refuse. Tests use it to check plans; the
//! executor uses the same rules for what each step should leave behind.

use super::action::{Plan, Refusal};
use super::board::Board;
use crate::model::{CharacterId, Definitions, Inventory};

/// The inventory after every step of the plan, or the index and reason of the first step
/// the game would refuse.
pub fn simulate(
    inventory: &Inventory,
    definitions: &Definitions,
    plan: &Plan,
    in_activity: &[CharacterId],
) -> Result<Inventory, (usize, Refusal)> {
    let mut board = Board::new(inventory, definitions);
    board.in_activity = in_activity.iter().copied().collect();
    for (index, step) in plan.steps.iter().enumerate() {
        board
            .apply(&step.action)
            .map_err(|refusal| (index, refusal))?;
    }
    Ok(board.inventory)
}
