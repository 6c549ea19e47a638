//! The rows courier-bench measures natively, in release: `transfer_throughput` (50
//! character-to-character moves by courier-core's executor against courier-sim with strict
//! throttles, against the floor of the actions times the documented spacing) and
//! `plan_optimality` (the planner's actions against the fewest an exhaustive search finds, over
//! 1,000 random small inventories with full buckets).

use std::process::Command;

use anyhow::Result;
use serde::Deserialize;

use super::report::{Goal, Measurement, Spec};
use super::{Bench, json_output};

/// Moves in `transfer_throughput`.
const MOVES: usize = 50;
/// Inventories in `plan_optimality`.
const CASES: usize = 1_000;
/// Their seed.
const SEED: u64 = 1;

/// The row of [`transfers`].
pub const TRANSFER_ROWS: [Spec; 1] = [Spec {
    name: "transfer_throughput",
    unit: "s",
    goal: Goal::RatioAtMostAndNone {
        ratio: 1.05,
        what: "throttled answers",
    },
}];

/// The row of [`optimality`].
pub const OPTIMALITY_ROWS: [Spec; 1] = [Spec {
    name: "plan_optimality",
    unit: "actions",
    goal: Goal::RatioAtMostAndNone {
        ratio: 1.0,
        what: "missed or invalid plans",
    },
}];

/// What `courier-bench transfers` prints.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transfers {
    moves: usize,
    moves_done: usize,
    actions: usize,
    transfer_requests: usize,
    seconds: f64,
    spacing_seconds: f64,
    throttled: usize,
}

/// What `courier-bench plan-optimality` prints.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Optimality {
    cases: usize,
    planned: usize,
    planner_actions: usize,
    fewest_actions: usize,
    longer: usize,
    worst_excess: usize,
    missed: usize,
    impossible: usize,
    invalid: usize,
    undecided: usize,
    unreproduced: usize,
}

/// `transfer_throughput`.
pub fn transfers(bench: &Bench) -> Result<Vec<Measurement>> {
    let measured: Transfers = json_output(Command::new(&bench.built.bench).args([
        "transfers",
        "--moves",
        &MOVES.to_string(),
    ]))?;
    let floor = measured.actions as f64 * measured.spacing_seconds;
    let detail = format!(
        "{} of {} moves done, {} TransferItem actions ({} requests), {} throttled answers; floor = {} actions x {} s",
        measured.moves_done,
        measured.moves,
        measured.actions,
        measured.transfer_requests,
        measured.throttled,
        measured.actions,
        measured.spacing_seconds
    );
    Ok(vec![
        TRANSFER_ROWS[0]
            .measured(measured.seconds, Some(floor))
            .with_seen(measured.throttled)
            .with_detail(detail),
    ])
}

/// `plan_optimality`.
pub fn optimality(bench: &Bench) -> Result<Vec<Measurement>> {
    let measured: Optimality = json_output(Command::new(&bench.built.bench).args([
        "plan-optimality",
        "--cases",
        &CASES.to_string(),
        "--seed",
        &SEED.to_string(),
    ]))?;
    let detail = format!(
        "{} cases: {} planned ({} longer than the fewest, worst by {}), {} refused where a plan exists, {} impossible for both, {} invalid plans, {} undecided, {} not reproduced by the search",
        measured.cases,
        measured.planned,
        measured.longer,
        measured.worst_excess,
        measured.missed,
        measured.impossible,
        measured.invalid,
        measured.undecided,
        measured.unreproduced
    );
    Ok(vec![
        OPTIMALITY_ROWS[0]
            .measured(
                measured.planner_actions as f64,
                Some(measured.fewest_actions as f64),
            )
            .with_seen(measured.missed + measured.invalid)
            .with_detail(detail),
    ])
}
