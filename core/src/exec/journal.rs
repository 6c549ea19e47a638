//! The executor's whole state, serializable after every step, and its transitions.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::verify;
use super::{
    MAX_ATTEMPTS, MAX_STALE_REFRESHES, MAX_THROTTLES, Outgoing, SPACING_MARGIN, STALE_RETRY,
};
use crate::api::{ApiError, ApiRequest, Endpoint};
use crate::api::{
    DestinyItemActionRequest, DestinyItemStateRequest, DestinyItemTransferRequest,
    DestinyPostmasterTransferRequest,
};
use crate::model::{Definitions, Inventory};
use crate::plan::board::Board;
use crate::plan::{Action, Intent, MakeRoom, MovedAside, Plan, PlanOptions, Refusal, Step, plan};

/// The journal format; a journal of another version is refused. Version 1 was JSON; version 2
/// was postcard with intents, locations and actions as their wire structs; version 3 is postcard
/// with them in their derived form ([`crate::tagged`]), led by this number.
pub const JOURNAL_VERSION: u32 = 3;

/// Where a step is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Not sent yet.
    Pending,
    /// Sent; no answer yet.
    InFlight,
    /// bungie.net said it happened (or a fresh profile showed it did).
    Done,
    /// It may or may not have happened; a fresh profile will tell.
    Uncertain {
        /// Why it is uncertain.
        reason: String,
    },
    /// It did not happen, and will not be tried again.
    Failed {
        /// What kind of failure (`ApiError::kind`, or a planner refusal kind).
        kind: String,
        /// What a person can do about it.
        message: String,
    },
    /// Left out because an earlier step of its intent failed.
    Skipped,
}

/// A step with its bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalStep {
    /// The planned step.
    pub step: Step,
    /// Where it is.
    pub state: StepState,
    /// How many times it was sent.
    pub attempts: u32,
    /// How many throttle answers it got.
    pub throttles: u32,
}

/// Why a profile is being fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refresh {
    /// To see whether an uncertain step happened.
    Verify {
        /// The step.
        step: usize,
    },
    /// Because bungie.net said the inventory was stale: re-plan what is left.
    Replan {
        /// The step that was refused.
        step: usize,
        /// The refusal's kind.
        kind: String,
        /// The refusal's message.
        message: String,
    },
    /// At the end of a run with failures, to report where everything really is.
    Reconcile,
}

/// What the executor is doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Sending steps.
    Running,
    /// Fetching a profile.
    Refresh {
        /// Why.
        refresh: Refresh,
        /// Failed or stale fetches so far.
        tries: u32,
    },
    /// Done.
    Finished,
}

/// The request in flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Flight {
    /// Its id.
    pub id: u64,
    /// The step it sends, or `None` for a profile fetch.
    pub step: Option<usize>,
}

/// How an intent ended, when it ended badly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentFailure {
    /// The kind of failure.
    pub kind: String,
    /// What a person can do about it.
    pub message: String,
}

/// Everything the executor knows. Serialize it after every call; resume from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    /// Format version.
    pub version: u32,
    /// What was asked.
    pub intents: Vec<Intent>,
    /// May it make room.
    pub make_room: MakeRoom,
    /// The inventory as the executor believes it is now.
    pub inventory: Inventory,
    /// Every step planned so far, in order.
    pub steps: Vec<JournalStep>,
    /// Items moved aside, as planned.
    pub moved_aside: Vec<MovedAside>,
    /// Per intent: why it failed, if it did.
    pub failures: Vec<Option<IntentFailure>>,
    /// What the executor is doing.
    pub phase: Phase,
    /// The request in flight.
    pub in_flight: Option<Flight>,
    /// The next request id.
    pub next_id: u64,
    /// When each endpoint was last sent to, by name.
    pub last_sent: Vec<(String, Duration)>,
    /// How long each endpoint's last answer took to come back, by name.
    pub round_trips: Vec<(String, Duration)>,
    /// Nothing is sent before this.
    pub wait_until: Option<Duration>,
    /// Whether the run already re-planned after a stale inventory.
    pub replanned: bool,
    /// Whether anything went wrong (then the run ends with a reconciling refresh).
    pub troubled: bool,
    /// Whether the run ended with a reconciling refresh already.
    pub reconciled: bool,
    /// `responseMintedTimestamp` of the last profile accepted.
    pub last_minted: Option<String>,
    /// Set when resumed: spacing restarts from the first poll.
    pub restarted: bool,
}

impl Journal {
    /// A journal for a fresh run.
    pub fn start(
        inventory: Inventory,
        intents: Vec<Intent>,
        options: PlanOptions,
        planned: Plan,
    ) -> Self {
        let failures = planned
            .intents
            .iter()
            .map(|i| i.refusal.as_ref().map(refusal_failure))
            .collect();
        Self {
            version: JOURNAL_VERSION,
            intents,
            make_room: options.make_room,
            last_minted: inventory.minted.clone(),
            inventory,
            steps: planned.steps.into_iter().map(pending).collect(),
            moved_aside: planned.moved_aside,
            failures,
            phase: Phase::Running,
            in_flight: None,
            next_id: 1,
            last_sent: Vec::new(),
            round_trips: Vec::new(),
            wait_until: None,
            replanned: false,
            troubled: false,
            reconciled: false,
            restarted: false,
        }
    }

    /// Reads a stored journal.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, JournalError> {
        let unreadable = |error: postcard::Error| JournalError::Unreadable(error.to_string());
        let (version, _) = postcard::take_from_bytes::<u32>(bytes).map_err(unreadable)?;
        if version != JOURNAL_VERSION {
            return Err(JournalError::Version(version));
        }
        postcard::from_bytes(bytes).map_err(unreadable)
    }

    /// The journal in its compact binary form (postcard, like the inventory), to store.
    pub fn to_bytes(&self) -> Result<Vec<u8>, JournalError> {
        postcard::to_allocvec(self).map_err(|error| JournalError::Unreadable(error.to_string()))
    }

    /// After a restart: what was in flight may have happened; times from the old clock mean nothing.
    pub(super) fn after_restart(&mut self) {
        if let Some(Flight {
            step: Some(step), ..
        }) = self.in_flight.take()
        {
            self.ambiguous(step, "Courier stopped while this step was being sent");
        }
        for step in &mut self.steps {
            if step.state == StepState::InFlight {
                step.state = StepState::Uncertain {
                    reason: "Courier stopped while this step was being sent".into(),
                };
            }
        }
        if let Some(index) = self
            .steps
            .iter()
            .position(|s| matches!(s.state, StepState::Uncertain { .. }))
        {
            self.phase = Phase::Refresh {
                refresh: Refresh::Verify { step: index },
                tries: 0,
            };
        }
        self.wait_until = None;
        self.last_sent.clear();
        self.round_trips.clear();
        self.restarted = true;
    }

    /// The first step to send, skipping those of failed intents.
    pub(super) fn next_step(&mut self) -> Option<usize> {
        for index in 0..self.steps.len() {
            if self.steps[index].state != StepState::Pending {
                continue;
            }
            if self
                .failures
                .get(self.steps[index].step.intent)
                .is_some_and(Option::is_some)
            {
                self.steps[index].state = StepState::Skipped;
                continue;
            }
            return Some(index);
        }
        None
    }

    /// When an endpoint may be sent to again: its documented spacing after the last send, plus
    /// the margin. The margin is the last answer's round trip when that was shorter than
    /// [`SPACING_MARGIN`]: that request reached bungie.net before its answer left, so waiting
    /// its round trip more guarantees the spacing as bungie.net counts it, however the network
    /// delays either request. After a restart the old send times are unknown, so the first
    /// action waits one spacing from now.
    pub(super) fn ready_at(&mut self, endpoint: Endpoint, now: Duration) -> Option<Duration> {
        if self.restarted && endpoint.is_action() {
            self.restarted = false;
            self.last_sent = vec![(endpoint.name().to_string(), now)];
        }
        self.last_sent
            .iter()
            .find(|(name, _)| name == endpoint.name())
            .map(|(_, at)| *at + endpoint.spacing() + self.margin(endpoint.name()))
    }

    /// The margin added to `endpoint`'s spacing (see [`Journal::ready_at`]).
    fn margin(&self, endpoint: &str) -> Duration {
        self.round_trips
            .iter()
            .find(|(name, _)| name == endpoint)
            .map_or(SPACING_MARGIN, |(_, round_trip)| {
                (*round_trip).min(SPACING_MARGIN)
            })
    }

    /// Records a request as sent and hands it out.
    pub(super) fn send(
        &mut self,
        request: ApiRequest,
        step: Option<usize>,
        now: Duration,
    ) -> Outgoing {
        if self.restarted {
            self.restarted = false;
            if request.endpoint.is_action() {
                // After a restart the old send times are unknown: wait one spacing first.
                self.last_sent
                    .push((request.endpoint.name().to_string(), now));
                self.wait_until = Some(now + request.endpoint.spacing() + SPACING_MARGIN);
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.in_flight = Some(Flight { id, step });
        if let Some(index) = step {
            let entry = &mut self.steps[index];
            entry.state = StepState::InFlight;
            entry.attempts += 1;
            let name = request.endpoint.name().to_string();
            self.last_sent.retain(|(n, _)| *n != name);
            self.last_sent.push((name, now));
        }
        Outgoing { id, request }
    }

    /// The flight `id`, answered (or failed) at `now`, if it is the one in flight. An action's
    /// round trip is recorded for its endpoint: with one request in flight, the endpoint sent
    /// to last is the flight's.
    pub(super) fn take_flight(&mut self, id: u64, now: Duration) -> Option<Flight> {
        let flight = match self.in_flight {
            Some(flight) if flight.id == id => self.in_flight.take()?,
            _ => return None,
        };
        if flight.step.is_some()
            && let Some((name, sent_at)) = self.last_sent.last().cloned()
        {
            self.round_trips.retain(|(n, _)| *n != name);
            self.round_trips.push((name, now.saturating_sub(sent_at)));
        }
        Some(flight)
    }

    /// bungie.net said the step happened.
    pub(super) fn step_done(&mut self, definitions: &Definitions, index: usize) {
        self.steps[index].state = StepState::Done;
        let mut board = Board::new(&self.inventory, definitions);
        if board.apply(&self.steps[index].step.action).is_ok() {
            self.inventory = board.inventory;
        } else {
            // The belief no longer matches the game: look before going on.
            self.troubled = true;
            self.phase = Phase::Refresh {
                refresh: Refresh::Reconcile,
                tries: 0,
            };
            self.reconciled = false;
        }
    }

    /// A throttle answer: wait, then send the same step again.
    pub(super) fn throttled(&mut self, index: usize, error: &ApiError, now: Duration) {
        let entry = &mut self.steps[index];
        entry.throttles += 1;
        entry.attempts = entry.attempts.saturating_sub(1);
        if entry.throttles > MAX_THROTTLES {
            return self.step_failed(index, error);
        }
        entry.state = StepState::Pending;
        let wait = error
            .retry_after(entry.throttles)
            .unwrap_or(Duration::from_secs(1));
        self.wait_until = Some(now + wait);
    }

    /// An answer (or a restart) that does not say whether the step happened.
    pub(super) fn ambiguous(&mut self, index: usize, reason: &str) {
        self.troubled = true;
        self.steps[index].state = StepState::Uncertain {
            reason: reason.to_string(),
        };
        self.phase = Phase::Refresh {
            refresh: Refresh::Verify { step: index },
            tries: 0,
        };
    }

    /// bungie.net says the inventory was stale (no room, not found): re-plan once.
    pub(super) fn stale(&mut self, index: usize, error: &ApiError) {
        self.troubled = true;
        if self.replanned {
            return self.step_failed(index, error);
        }
        self.steps[index].state = StepState::Failed {
            kind: error.kind().into(),
            message: error.to_string(),
        };
        self.phase = Phase::Refresh {
            refresh: Refresh::Replan {
                step: index,
                kind: error.kind().into(),
                message: error.to_string(),
            },
            tries: 0,
        };
    }

    /// The step failed for good: its intent fails with the reason.
    pub(super) fn step_failed(&mut self, index: usize, error: &ApiError) {
        self.fail_step(index, error.kind(), &error.to_string());
    }

    fn fail_step(&mut self, index: usize, kind: &str, message: &str) {
        self.troubled = true;
        self.steps[index].state = StepState::Failed {
            kind: kind.into(),
            message: message.into(),
        };
        let intent = self.steps[index].step.intent;
        if let Some(slot) = self.failures.get_mut(intent) {
            slot.get_or_insert(IntentFailure {
                kind: kind.into(),
                message: message.into(),
            });
        }
        self.phase = Phase::Running;
    }

    /// Nothing more can be done (signed out, bad key, maintenance): every open intent fails.
    pub(super) fn abort(&mut self, error: &ApiError) {
        self.troubled = true;
        let done_intents: Vec<bool> = (0..self.intents.len())
            .map(|i| self.intent_done(i))
            .collect();
        for entry in &mut self.steps {
            match entry.state {
                StepState::InFlight => {
                    entry.state = StepState::Failed {
                        kind: error.kind().into(),
                        message: error.to_string(),
                    }
                }
                StepState::Pending => entry.state = StepState::Skipped,
                _ => {}
            }
        }
        for (intent, slot) in self.failures.iter_mut().enumerate() {
            if slot.is_none() && !done_intents[intent] {
                *slot = Some(IntentFailure {
                    kind: error.kind().into(),
                    message: error.to_string(),
                });
            }
        }
        self.reconciled = true;
        self.phase = Phase::Finished;
    }

    /// A profile fetch failed or was unreadable: try again a few times.
    pub(super) fn profile_failed(&mut self, now: Duration) {
        let Phase::Refresh { refresh, tries } = self.phase.clone() else {
            return;
        };
        if tries + 1 < MAX_STALE_REFRESHES {
            self.phase = Phase::Refresh {
                refresh,
                tries: tries + 1,
            };
            self.wait_until = Some(now + STALE_RETRY * (tries + 1));
            return;
        }
        match refresh {
            Refresh::Verify { step } => {
                let message = "bungie.net did not answer, and Courier could not check whether this step happened; refresh and look before trying again.";
                self.fail_step(step, "unconfirmed", message);
                self.abort_unconfirmed();
            }
            Refresh::Replan {
                step,
                kind,
                message,
            } => self.fail_step(step, &kind, &message),
            Refresh::Reconcile => {
                self.reconciled = true;
                self.phase = Phase::Finished;
            }
        }
    }

    /// After a step that could not be confirmed nothing else is sent: the plan may be off.
    fn abort_unconfirmed(&mut self) {
        for entry in &mut self.steps {
            if entry.state == StepState::Pending {
                entry.state = StepState::Skipped;
            }
        }
        for (intent, slot) in self.failures.iter_mut().enumerate() {
            let open = self
                .steps
                .iter()
                .any(|s| s.step.intent == intent && s.state == StepState::Skipped);
            if slot.is_none() && open {
                *slot = Some(IntentFailure {
                    kind: "unconfirmed".into(),
                    message: "Courier stopped because it could not confirm an earlier step.".into(),
                });
            }
        }
        self.reconciled = true;
        self.phase = Phase::Finished;
    }

    /// A profile arrived: check it is fresh, then verify, re-plan or reconcile.
    pub(super) fn profile_arrived(
        &mut self,
        definitions: &Definitions,
        fresh: Inventory,
        now: Duration,
    ) {
        let Phase::Refresh { refresh, tries } = self.phase.clone() else {
            return;
        };
        let not_newer = match (&fresh.minted, &self.last_minted) {
            (Some(new), Some(old)) => new <= old,
            _ => false,
        };
        // A copy not newer than the last one is stale; after a few, bungie.net keeps
        // answering an old copy, and the executor goes by it anyway.
        if not_newer && tries + 1 < MAX_STALE_REFRESHES {
            self.phase = Phase::Refresh {
                refresh,
                tries: tries + 1,
            };
            self.wait_until = Some(now + STALE_RETRY);
            return;
        }
        let before = std::mem::replace(&mut self.inventory, fresh);
        self.last_minted = self.inventory.minted.clone().or(self.last_minted.take());
        match refresh {
            Refresh::Verify { step } => {
                let happened = verify::happened(&self.steps[step].step, &before, &self.inventory);
                let entry = &mut self.steps[step];
                if happened {
                    entry.state = StepState::Done;
                } else if entry.attempts < MAX_ATTEMPTS {
                    entry.state = StepState::Pending;
                    self.wait_until = Some(now + Duration::from_millis(250) * entry.attempts);
                } else {
                    let message = format!(
                        "bungie.net failed {MAX_ATTEMPTS} times in a row; try again later."
                    );
                    return self.fail_step(step, "unavailable", &message);
                }
                self.phase = Phase::Running;
            }
            Refresh::Replan {
                step,
                kind,
                message,
            } => {
                self.replanned = true;
                self.replan(definitions, step, &kind, &message);
                self.phase = Phase::Running;
            }
            Refresh::Reconcile => {
                self.reconciled = true;
                self.phase = Phase::Running;
            }
        }
    }

    /// Plans again every intent that is not finished, from the fresh inventory.
    fn replan(
        &mut self,
        definitions: &Definitions,
        refused_step: usize,
        kind: &str,
        message: &str,
    ) {
        let open: Vec<usize> = (0..self.intents.len())
            .filter(|&i| self.failures[i].is_none() && !self.intent_done_except(i, refused_step))
            .collect();
        // The refused step is replaced by whatever the new plan does.
        self.steps[refused_step].state = StepState::Skipped;
        for entry in &mut self.steps {
            if open.contains(&entry.step.intent) && entry.state == StepState::Pending {
                entry.state = StepState::Skipped;
            }
        }
        let intents: Vec<Intent> = open.iter().map(|&i| self.intents[i].clone()).collect();
        let options = PlanOptions {
            make_room: self.make_room,
            in_activity: Vec::new(),
        };
        let fresh = plan(&self.inventory, definitions, &intents, &options);
        for planned in &fresh.intents {
            let original = open[planned.intent];
            if let Some(refusal) = &planned.refusal {
                let message = format!("{message} After a refresh: {refusal}");
                self.failures[original] = Some(IntentFailure {
                    kind: kind.into(),
                    message,
                });
            }
        }
        for mut step in fresh.steps {
            step.intent = open[step.intent];
            self.steps.push(pending(step));
        }
        self.moved_aside.extend(fresh.moved_aside);
    }

    fn intent_done_except(&self, intent: usize, except: usize) -> bool {
        self.steps
            .iter()
            .enumerate()
            .filter(|(i, s)| s.step.intent == intent && *i != except)
            .all(|(_, s)| s.state == StepState::Done)
            && self
                .steps
                .get(except)
                .is_none_or(|s| s.step.intent != intent)
    }

    /// Whether every step of an intent is done (and the intent was not refused).
    pub fn intent_done(&self, intent: usize) -> bool {
        self.failures.get(intent).is_some_and(Option::is_none)
            && self
                .steps
                .iter()
                .filter(|s| s.step.intent == intent && s.state != StepState::Skipped)
                .all(|s| s.state == StepState::Done)
    }

    /// No step is left to send: reconcile once if anything went wrong, then finish.
    pub(super) fn finish(&mut self) {
        if self.troubled && !self.reconciled {
            self.phase = Phase::Refresh {
                refresh: Refresh::Reconcile,
                tries: 0,
            };
        } else {
            self.phase = Phase::Finished;
        }
    }
}

/// A pending journal step.
fn pending(step: Step) -> JournalStep {
    JournalStep {
        step,
        state: StepState::Pending,
        attempts: 0,
        throttles: 0,
    }
}

/// A planner refusal as an intent failure.
fn refusal_failure(refusal: &Refusal) -> IntentFailure {
    IntentFailure {
        kind: refusal.kind().to_string(),
        message: refusal.to_string(),
    }
}

/// The API request for a step.
pub fn request_for(step: &Step, membership_type: i32) -> ApiRequest {
    match step.action {
        Action::Transfer {
            item_id,
            item_hash,
            amount,
            to_vault,
            character_id,
        } => ApiRequest::transfer_item(&DestinyItemTransferRequest {
            item_reference_hash: item_hash,
            stack_size: amount,
            transfer_to_vault: to_vault,
            item_id,
            character_id,
            membership_type,
        }),
        Action::Pull {
            item_id,
            item_hash,
            amount,
            character_id,
        } => ApiRequest::pull_from_postmaster(&DestinyPostmasterTransferRequest {
            item_reference_hash: item_hash,
            stack_size: amount,
            item_id,
            character_id,
            membership_type,
        }),
        Action::Equip {
            item_id,
            character_id,
        } => ApiRequest::equip_item(&DestinyItemActionRequest {
            item_id,
            character_id,
            membership_type,
        }),
        Action::Lock {
            item_id,
            character_id,
            locked,
        } => ApiRequest::set_lock_state(&DestinyItemStateRequest {
            state: locked,
            item_id,
            character_id,
            membership_type,
        }),
    }
}

/// Why a journal could not be resumed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// It is not a journal.
    #[error(
        "The stored run cannot be read ({0}); it was discarded. Check your inventory before running again."
    )]
    Unreadable(String),
    /// It comes from another version of Courier.
    #[error(
        "The stored run comes from another version of Courier (journal version {0}); it was discarded."
    )]
    Version(u32),
}
