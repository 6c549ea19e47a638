//! The action executor: a sans-I/O state machine that drives a plan to the end.
//!
//! A driver loops: [`Executor::poll`] says what to do (send this request, wait until then, or
//! done); the driver does it and hands back the answer with [`Executor::handle_response`] or
//! [`Executor::handle_failure`], always with the current time. The executor keeps one request in
//! flight, the documented spacing per endpoint, waits out throttles, retries transient failures
//! a bounded number of times, and never repeats a step that may have happened: after an
//! ambiguous failure it asks for a fresh profile and checks. Its whole state is a serializable
//! [`Journal`], written after every step, from which a killed driver resumes.
//!
//! ```
//! use std::time::Duration;
//! use courier_core::exec::{Executor, Poll};
//! use courier_core::model::{Definitions, Inventory};
//! use courier_core::plan::PlanOptions;
//! let definitions = Definitions::default();
//! let mut executor = Executor::new(&Inventory::default(), &definitions, Vec::new(), PlanOptions::default());
//! assert!(matches!(executor.poll(Duration::ZERO), Poll::Done(_)));
//! ```

pub mod journal;
pub mod report;
mod verify;

#[cfg(test)]
mod tests;

use std::time::Duration;

pub use journal::{Journal, JournalError, Phase, StepState};
pub use report::{IntentOutcome, ItemEnd, ItemFailure, NOT_TRIED, Progress, Report};

use crate::api::{ApiError, ApiRequest, Component};
use crate::inventory::parse_profile;
use crate::model::{Definitions, Inventory};
use crate::plan::{Intent, PlanOptions, Step, plan};

/// How many times one step is sent before it counts as failed (transient errors only).
pub const MAX_ATTEMPTS: u32 = 4;
/// How many throttle answers one step may get before it counts as failed.
pub const MAX_THROTTLES: u32 = 8;
/// How many profile refreshes in a row may be stale before the executor gives up checking.
pub const MAX_STALE_REFRESHES: u32 = 5;
/// The most added to each endpoint's documented spacing, for the jitter between send and
/// arrival; less when the endpoint's last round trip was shorter (see [`Journal`]'s `ready_at`).
pub const SPACING_MARGIN: Duration = Duration::from_millis(15);
/// How long to wait before asking again for a profile that came back stale.
pub const STALE_RETRY: Duration = Duration::from_millis(500);

/// The components the executor reads to check and re-plan.
pub const PROFILE_COMPONENTS: [Component; 6] = [
    Component::Profiles,
    Component::ProfileInventories,
    Component::Characters,
    Component::CharacterInventories,
    Component::CharacterEquipment,
    Component::ItemInstances,
];

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Poll {
    /// Send this request and hand back its answer with this id.
    Send(Outgoing),
    /// Nothing to send before this instant (the driver may sleep until then).
    Wait(Duration),
    /// Waiting for the answer to the request in flight.
    Pending,
    /// Finished: every intent is done or failed.
    Done(Report),
}

/// A request to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Hand this back with the answer.
    pub id: u64,
    /// The request.
    pub request: ApiRequest,
}

/// The executor. See the module documentation.
#[derive(Debug, Clone)]
pub struct Executor {
    journal: Journal,
}

impl Executor {
    /// Plans the intents against the inventory and gets ready to run them.
    pub fn new(
        inventory: &Inventory,
        definitions: &Definitions,
        intents: Vec<Intent>,
        options: PlanOptions,
    ) -> Self {
        let planned = plan(inventory, definitions, &intents, &options);
        Self {
            journal: Journal::start(inventory.clone(), intents, options, planned),
        }
    }

    /// Resumes from a journal. A step that was in flight when the driver stopped may have
    /// happened, so it is checked against a fresh profile before anything else is sent.
    pub fn resume(journal: Journal) -> Self {
        let mut journal = journal;
        journal.after_restart();
        Self { journal }
    }

    /// Picks up a journal stored by a driver whose clock is the wall clock, so its times still
    /// hold (a driver that stores the journal between cycles, like the extension's worker):
    /// waits, throttles and spacing carry on as recorded. Only a journal with a request in
    /// flight is [`Executor::resume`]d, since that request's answer can never arrive.
    pub fn continue_from(journal: Journal) -> Self {
        if journal.in_flight.is_some() {
            return Self::resume(journal);
        }
        Self { journal }
    }

    /// The journal to store after every call.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// How far the run is.
    pub fn progress(&self, definitions: &Definitions) -> Progress {
        self.journal.progress(definitions)
    }

    /// What to do next at `now`.
    pub fn poll(&mut self, now: Duration) -> Poll {
        let journal = &mut self.journal;
        if journal.in_flight.is_some() {
            return Poll::Pending;
        }
        if let Some(until) = journal.wait_until.filter(|until| *until > now) {
            return Poll::Wait(until);
        }
        journal.wait_until = None;
        match journal.phase.clone() {
            Phase::Finished => Poll::Done(journal.report()),
            Phase::Refresh { .. } => {
                let request = ApiRequest::get_profile(
                    journal.inventory.membership_type,
                    journal.inventory.membership_id,
                    &PROFILE_COMPONENTS,
                );
                Poll::Send(journal.send(request, None, now))
            }
            Phase::Running => match journal.next_step() {
                None => {
                    journal.finish();
                    self.poll(now)
                }
                Some(index) => {
                    let step = &journal.steps[index];
                    let request =
                        journal::request_for(&step.step, journal.inventory.membership_type);
                    let endpoint = request.endpoint;
                    if let Some(ready) =
                        journal.ready_at(endpoint, now).filter(|ready| *ready > now)
                    {
                        return Poll::Wait(ready);
                    }
                    Poll::Send(journal.send(request, Some(index), now))
                }
            },
        }
    }

    /// The answer to request `id`: HTTP status, content type and body bytes.
    pub fn handle_response(
        &mut self,
        definitions: &Definitions,
        id: u64,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        now: Duration,
    ) {
        let Some(flight) = self.journal.take_flight(id, now) else {
            return;
        };
        match flight.step {
            None => self.profile_answer(definitions, status, content_type, body, now),
            Some(index) => {
                let result = crate::api::decode_unit(status, content_type, body);
                self.step_answer(definitions, index, result, now);
            }
        }
    }

    /// Request `id` got no answer (connection dropped, timed out): it may or may not have
    /// happened.
    pub fn handle_failure(&mut self, id: u64, now: Duration) {
        let Some(flight) = self.journal.take_flight(id, now) else {
            return;
        };
        match flight.step {
            None => self.journal.profile_failed(now),
            Some(index) => self
                .journal
                .ambiguous(index, "the connection dropped before bungie.net answered"),
        }
    }

    fn step_answer(
        &mut self,
        definitions: &Definitions,
        index: usize,
        result: Result<(), ApiError>,
        now: Duration,
    ) {
        let journal = &mut self.journal;
        match result {
            Ok(()) => journal.step_done(definitions, index),
            Err(error) => match &error {
                ApiError::Throttled { .. } => journal.throttled(index, &error, now),
                ApiError::SignedOut { .. }
                | ApiError::BadApiKey { .. }
                | ApiError::Maintenance { .. } => journal.abort(&error),
                ApiError::NoRoom { .. } | ApiError::NotFound { .. } => journal.stale(index, &error),
                ApiError::NotJson { .. } | ApiError::Unexpected { .. } => {
                    journal.ambiguous(index, &error.to_string())
                }
                ApiError::Other { code, .. } if error.is_transient() || *code == 3 => {
                    journal.ambiguous(index, &error.to_string())
                }
                _ => journal.step_failed(index, &error),
            },
        }
    }

    fn profile_answer(
        &mut self,
        definitions: &Definitions,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
        now: Duration,
    ) {
        if let Ok(fresh) = parse_profile(body) {
            return self.journal.profile_arrived(definitions, fresh, now);
        }
        // Not a profile: what the envelope says decides between giving up and trying again.
        match crate::api::decode::<serde::de::IgnoredAny>(status, content_type, body) {
            Err(
                api @ (ApiError::SignedOut { .. }
                | ApiError::BadApiKey { .. }
                | ApiError::Maintenance { .. }),
            ) => self.journal.abort(&api),
            Err(api @ ApiError::Throttled { .. }) => {
                self.journal.wait_until = Some(now + api.retry_after(1).unwrap_or(STALE_RETRY));
            }
            _ => self.journal.profile_failed(now),
        }
    }

    /// The plan's steps and their states, for a preview or a progress view.
    pub fn steps(&self) -> impl Iterator<Item = (&Step, &StepState)> {
        self.journal.steps.iter().map(|s| (&s.step, &s.state))
    }
}
