//! `courier-bench transfers`: character-to-character moves of one weapon, back and forth between
//! two characters of the demo world, run by courier-core's executor against courier-sim with
//! bungie.net's throttles on (strict), sleeping out every wait in real time. Each move is two
//! TransferItem actions (to the vault, then out of it), and bungie.net wants 0.1 s between them,
//! so the floor is the number of actions times that spacing.

use std::time::Instant;

use anyhow::{Context as _, bail, ensure};
use courier_core::api::{Endpoint, code_name};
use courier_core::exec::Executor;
use courier_core::model::{ClassType, Definitions, Inventory, ItemId, Location, buckets};
use courier_core::plan::{Action, Destination, Intent, ItemRef, PlanOptions, plan};
use courier_sim::{SimConfig, ThrottleMode};
use courier_tests::{Signed, Waits, drive_with};
use serde::Serialize;

/// What one run measured.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Character-to-character moves asked for.
    pub moves: usize,
    /// Moves the run reported done.
    pub moves_done: usize,
    /// Actions in the plan (TransferItem calls, two per move).
    pub actions: usize,
    /// TransferItem requests the simulator answered (more than `actions` means retries).
    pub transfer_requests: usize,
    /// Seconds from the first poll of the executor to its report.
    pub seconds: f64,
    /// bungie.net's documented spacing between TransferItem calls, in seconds.
    pub spacing_seconds: f64,
    /// Answers with a throttle ErrorCode (36, 1672, ...), from the simulator's request log.
    pub throttled: usize,
}

/// Runs `moves` moves and measures them.
pub async fn run(moves: usize) -> anyhow::Result<Measured> {
    ensure!(moves > 0, "ask for at least one move");
    let signed = Signed::start(SimConfig {
        throttle: ThrottleMode::Strict,
        ..SimConfig::default()
    })
    .await;
    let inventory = signed.inventory().await;
    let definitions = signed.definitions().await;
    let intents = back_and_forth(&inventory, &definitions, moves)?;
    let planned = plan(&inventory, &definitions, &intents, &PlanOptions::default());
    let transfers = planned
        .steps
        .iter()
        .filter(|step| matches!(step.action, Action::Transfer { .. }))
        .count();
    ensure!(
        planned.is_complete() && transfers == planned.steps.len() && transfers == 2 * moves,
        "the planner did not plan {moves} moves as {} transfers: {planned:?}",
        2 * moves
    );
    signed.sim.state().lock().log.clear();
    let mut executor = Executor::new(&inventory, &definitions, intents, PlanOptions::default());
    let started = Instant::now();
    let report = drive_with(&signed, &mut executor, &definitions, Waits::Sleep, |_| true)
        .await
        .context("the run stopped before its report")?;
    let seconds = started.elapsed().as_secs_f64();
    let log = signed.sim.state().lock().log.entries().to_vec();
    let throttled = log
        .iter()
        .filter_map(|entry| entry.error_code)
        .filter(|&code| code_name(code).is_some_and(|name| name.contains("Throttle")))
        .count();
    Ok(Measured {
        moves,
        moves_done: report.intents.iter().filter(|intent| intent.done).count(),
        actions: transfers,
        transfer_requests: signed.logged("TransferItem").len(),
        seconds,
        spacing_seconds: Endpoint::TransferItem.spacing().as_secs_f64(),
        throttled,
    })
}

/// `moves` intents that move one unequipped weapon any class may use from its character to
/// another character with room in that bucket, and back, alternately.
fn back_and_forth(
    inventory: &Inventory,
    definitions: &Definitions,
    moves: usize,
) -> anyhow::Result<Vec<Intent>> {
    for item in &inventory.items {
        let (Some(id), Location::Character(holder)) = (item.instance_id, item.location) else {
            continue;
        };
        let Some(definition) = definitions.item(item.hash) else {
            continue;
        };
        let movable = !item.equipped
            && !definition.non_transferrable
            && definition.class_type == ClassType::Any
            && buckets::WEAPONS.contains(&definition.bucket_hash);
        if !movable {
            continue;
        }
        let Some(other) = inventory
            .characters
            .iter()
            .map(|character| character.id)
            .find(|&other| {
                other != holder
                    && slots_used(
                        inventory,
                        Location::Character(other),
                        definition.bucket_hash,
                    ) < definitions.capacity(definition.bucket_hash) as usize
            })
        else {
            continue;
        };
        return Ok((0..moves)
            .map(|index| move_to(id, if index % 2 == 0 { other } else { holder }))
            .collect());
    }
    bail!("the demo world has no unequipped weapon that another character has room for")
}

fn move_to(id: ItemId, to: courier_core::model::CharacterId) -> Intent {
    Intent::Move {
        item: ItemRef::Instance { id },
        to: Destination::Character(to),
        amount: None,
        equip: false,
    }
}

/// Items at a place in a bucket.
fn slots_used(inventory: &Inventory, location: Location, bucket: u32) -> usize {
    inventory
        .items
        .iter()
        .filter(|item| item.location == location && item.bucket_hash == bucket)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_moves_go_back_and_forth_as_two_transfers_each() {
        let signed = Signed::start(SimConfig {
            throttle: ThrottleMode::Off,
            ..SimConfig::default()
        })
        .await;
        let inventory = signed.inventory().await;
        let definitions = signed.definitions().await;
        let intents = back_and_forth(&inventory, &definitions, 4).expect("a weapon to move");
        let destinations: Vec<Destination> = intents
            .iter()
            .map(|intent| match intent {
                Intent::Move { to, .. } => *to,
                other => panic!("not a move: {other:?}"),
            })
            .collect();
        assert_ne!(destinations[0], destinations[1]);
        assert_eq!(destinations[0], destinations[2]);
        assert_eq!(destinations[1], destinations[3]);
        let planned = plan(&inventory, &definitions, &intents, &PlanOptions::default());
        assert!(planned.is_complete(), "{planned:?}");
        assert_eq!(planned.steps.len(), 8);
    }
}
