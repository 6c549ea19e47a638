//! What a run tells the player: progress while it runs, and at the end, for every intent, done
//! or failed with the reason, and where every item it touched ended up (with, for a failed
//! intent, why each item that did not get there did not).

use serde::{Deserialize, Serialize};

use super::journal::{Journal, StepState};
use crate::model::{Definitions, ItemId, Location};
use crate::plan::{Action, MovedAside};

/// How far a run is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Steps finished (done, failed or skipped).
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// What is happening now, in words.
    pub current: Option<String>,
    /// Whether the run is over.
    pub finished: bool,
}

/// Where an item ended up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemEnd {
    /// The instance, for instanced items.
    pub item_id: Option<ItemId>,
    /// The item hash.
    pub item_hash: u32,
    /// Where it is now, if it is still in the inventory.
    pub location: Option<Location>,
    /// Whether it is equipped there.
    pub equipped: bool,
    /// Why it is not where its intent wanted it, when that intent failed: the reason its last
    /// step failed, or that the step was never tried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<ItemFailure>,
}

/// Why one item of a failed intent did not get where it was going.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemFailure {
    /// What kind of failure (`ApiError::kind`, a planner refusal kind, or `not_tried`).
    pub kind: String,
    /// What a person can do about it.
    pub message: String,
}

/// The failure kind of an item whose step was left out after an earlier failure.
pub const NOT_TRIED: &str = "not_tried";

impl ItemFailure {
    /// The failure an item's last step shows, if it failed or was left out.
    fn of(last: &StepState) -> Option<Self> {
        match last {
            StepState::Failed { kind, message } => Some(Self {
                kind: kind.clone(),
                message: message.clone(),
            }),
            StepState::Skipped => Some(Self {
                kind: NOT_TRIED.into(),
                message: "Courier did not try this one, because an earlier step of the same request failed.".into(),
            }),
            _ => None,
        }
    }
}

/// How one intent ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentOutcome {
    /// Index of the intent.
    pub intent: usize,
    /// Whether everything it asked for happened.
    pub done: bool,
    /// The kind of failure, when it failed.
    pub kind: Option<String>,
    /// What a person can do about it, when it failed.
    pub message: Option<String>,
    /// Where every item it touched ended up.
    pub items: Vec<ItemEnd>,
}

/// The end of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// One entry per intent, in order.
    pub intents: Vec<IntentOutcome>,
    /// Items moved aside to make room or replaced in a slot.
    pub moved_aside: Vec<MovedAside>,
    /// Steps that bungie.net carried out.
    pub steps_done: usize,
}

impl Journal {
    /// The report of the run as it stands.
    pub fn report(&self) -> Report {
        let intents = (0..self.intents.len())
            .map(|intent| {
                let failure = self.failures.get(intent).cloned().flatten();
                let done = failure.is_none() && self.intent_done(intent);
                // Each item the intent touched, with the state of its last step.
                let mut touched: Vec<((Option<ItemId>, u32), &StepState)> = Vec::new();
                for entry in self.steps.iter().filter(|s| s.step.intent == intent) {
                    let key = match entry.step.action {
                        Action::Transfer {
                            item_id, item_hash, ..
                        }
                        | Action::Pull {
                            item_id, item_hash, ..
                        } => (item_id, item_hash),
                        Action::Equip { item_id, .. } | Action::Lock { item_id, .. } => {
                            (Some(item_id), entry.step.item_hash)
                        }
                    };
                    match touched.iter_mut().find(|(seen, _)| *seen == key) {
                        Some(slot) => slot.1 = &entry.state,
                        None => touched.push((key, &entry.state)),
                    }
                }
                let items = touched
                    .into_iter()
                    .map(|((item_id, item_hash), last)| ItemEnd {
                        failure: if done { None } else { ItemFailure::of(last) },
                        ..self.item_end(item_id, item_hash)
                    })
                    .collect();
                IntentOutcome {
                    intent,
                    done,
                    kind: failure.as_ref().map(|f| f.kind.clone()),
                    message: failure.map(|f| f.message),
                    items,
                }
            })
            .collect();
        Report {
            intents,
            moved_aside: self.moved_aside.clone(),
            steps_done: self
                .steps
                .iter()
                .filter(|s| s.state == StepState::Done)
                .count(),
        }
    }

    fn item_end(&self, item_id: Option<ItemId>, item_hash: u32) -> ItemEnd {
        let found = match item_id {
            Some(id) => self.inventory.item(id),
            None => self
                .inventory
                .items
                .iter()
                .find(|i| i.hash == item_hash && i.instance_id.is_none()),
        };
        ItemEnd {
            item_id,
            item_hash,
            location: found.map(|i| i.location),
            equipped: found.is_some_and(|i| i.equipped),
            failure: None,
        }
    }

    /// How far the run is.
    pub fn progress(&self, definitions: &Definitions) -> Progress {
        let finished_steps = self
            .steps
            .iter()
            .filter(|s| {
                matches!(
                    s.state,
                    StepState::Done | StepState::Failed { .. } | StepState::Skipped
                )
            })
            .count();
        let current = self.in_flight.and_then(|flight| flight.step).map(|index| {
            let step = &self.steps[index].step;
            let name = definitions.name(step.item_hash);
            match step.action {
                Action::Transfer { to_vault: true, .. } => format!("Moving {name} to the vault"),
                Action::Transfer { .. } => format!("Moving {name} to a character"),
                Action::Pull { .. } => format!("Pulling {name} from the postmaster"),
                Action::Equip { .. } => format!("Equipping {name}"),
                Action::Lock { locked: true, .. } => format!("Locking {name}"),
                Action::Lock { .. } => format!("Unlocking {name}"),
            }
        });
        Progress {
            done: finished_steps,
            total: self.steps.len(),
            current,
            finished: self.phase == super::journal::Phase::Finished,
        }
    }
}
