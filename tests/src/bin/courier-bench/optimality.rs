//! `courier-bench plan-optimality`: courier-core's planner against the fewest actions an
//! exhaustive search finds, on random small inventories with full buckets ([`instance`]).
//!
//! For each case the planner plans the intent (making room allowed); its plan is played by the
//! game's rules and must meet the intent. The search ([`fewest`]) then looks for the shortest
//! sequence, up to the plan's own length (it always finds one by then). When the planner
//! refuses, the search looks up to [`REFUSED_DEPTH`] actions deep for a plan it missed.

mod fewest;
mod instance;

use courier_core::plan::{MakeRoom, PlanOptions, plan, simulate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use fewest::{Fewest, fewest_actions};
use instance::Case;

/// How deep the search looks for a plan the planner refused to make.
pub const REFUSED_DEPTH: usize = 6;
/// How many inventories one search may visit.
const BUDGET: usize = 2_000_000;

/// The totals over every case.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Cases generated.
    pub cases: usize,
    /// Cases the planner planned, with a plan that meets the intent by the game's rules.
    pub planned: usize,
    /// Actions in the planner's plans, over the planned cases.
    pub planner_actions: usize,
    /// The fewest actions the search found, over the same cases.
    pub fewest_actions: usize,
    /// Planned cases whose plan is longer than the fewest.
    pub longer: usize,
    /// The largest excess of one plan over the fewest, in actions.
    pub worst_excess: usize,
    /// Cases the planner refused although the search found a plan.
    pub missed: usize,
    /// Cases both refused (no plan within [`REFUSED_DEPTH`] actions).
    pub impossible: usize,
    /// Plans the game would refuse, or that do not meet the intent (planner bugs).
    pub invalid: usize,
    /// Cases the search could not decide within its budget.
    pub undecided: usize,
    /// Valid plans the search did not find again (its actions miss one the planner used).
    pub unreproduced: usize,
}

/// Runs `cases` cases made from `seed`.
pub fn run(cases: usize, seed: u64) -> Measured {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut measured = Measured {
        cases,
        ..Measured::default()
    };
    for _ in 0..cases {
        measured.add(&instance::case(&mut rng));
    }
    measured
}

impl Measured {
    fn add(&mut self, case: &Case) {
        let options = PlanOptions {
            make_room: MakeRoom::Allowed,
            ..PlanOptions::default()
        };
        let planned = plan(
            &case.inventory,
            &case.definitions,
            std::slice::from_ref(&case.intent),
            &options,
        );
        if !planned.is_complete() {
            match fewest_actions(
                &case.inventory,
                &case.definitions,
                case.goal,
                REFUSED_DEPTH,
                BUDGET,
            ) {
                Fewest::Found(_) => self.missed += 1,
                Fewest::NoneWithin(_) => self.impossible += 1,
                Fewest::OverBudget => self.undecided += 1,
            }
            return;
        }
        let played = simulate(&case.inventory, &case.definitions, &planned, &[]);
        if !played.is_ok_and(|end| case.goal.met(&end)) {
            self.invalid += 1;
            return;
        }
        let length = planned.steps.len();
        match fewest_actions(
            &case.inventory,
            &case.definitions,
            case.goal,
            length,
            BUDGET,
        ) {
            Fewest::Found(fewest) => {
                self.planned += 1;
                self.planner_actions += length;
                self.fewest_actions += fewest;
                if length > fewest {
                    self.longer += 1;
                    self.worst_excess = self.worst_excess.max(length - fewest);
                }
            }
            // The plan itself is a sequence of `length` legal actions that meets the goal.
            Fewest::NoneWithin(_) => self.unreproduced += 1,
            Fewest::OverBudget => self.undecided += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_counted_once_and_plans_are_never_shorter_than_the_fewest() {
        let measured = run(150, 3);
        let counted = measured.planned
            + measured.missed
            + measured.impossible
            + measured.invalid
            + measured.undecided
            + measured.unreproduced;
        assert_eq!(counted, 150);
        assert!(measured.planned > 100, "{measured:?}");
        assert!(
            measured.planner_actions >= measured.fewest_actions,
            "{measured:?}"
        );
        assert_eq!(
            run(150, 3).planner_actions,
            measured.planner_actions,
            "seeded"
        );
    }
}
