//! Fault injection: random faults at seeded rates (`--faults`), and exact faults queued by the
//! control API for the next matching requests.

use std::collections::VecDeque;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use crate::config::{FaultKind, FaultRates};

/// What kind of Platform request a fault may hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    /// A read (profile, vendors, manifest, memberships).
    Read,
    /// A read of the account's profile or a character (can be stale).
    ProfileRead,
    /// An item or loadout action.
    Action,
}

impl FaultKind {
    /// Whether this fault can hit a request of this class.
    pub fn applies_to(self, class: RequestClass) -> bool {
        match self {
            FaultKind::Stale => class == RequestClass::ProfileRead,
            FaultKind::GameServerThrottle => class == RequestClass::Action,
            FaultKind::Throttle | FaultKind::ServerError | FaultKind::Html | FaultKind::Drop => {
                true
            }
        }
    }
}

/// A fault queued by the control API.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QueuedFault {
    /// The fault to inject.
    pub kind: FaultKind,
    /// Only requests whose path contains this text take it (any Platform request if absent).
    #[serde(default)]
    pub path_contains: Option<String>,
}

/// Random and queued faults.
#[derive(Debug)]
pub struct Faults {
    rates: FaultRates,
    rng: ChaCha8Rng,
    queued: VecDeque<QueuedFault>,
}

impl Faults {
    /// Faults at these rates, drawn from a generator seeded with `seed`.
    pub fn new(rates: FaultRates, seed: u64) -> Self {
        Self {
            rates,
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xFA17_FA17),
            queued: VecDeque::new(),
        }
    }

    /// Queues faults for the next matching requests, in order.
    pub fn queue(&mut self, faults: impl IntoIterator<Item = QueuedFault>) {
        self.queued.extend(faults);
    }

    /// Faults still waiting for a request.
    pub fn pending(&self) -> impl Iterator<Item = &QueuedFault> {
        self.queued.iter()
    }

    /// The fault, if any, this request gets: the first queued fault that fits it, else a
    /// random draw for each configured kind.
    pub fn pick(&mut self, path: &str, class: RequestClass) -> Option<FaultKind> {
        let fits = |fault: &QueuedFault| {
            fault.kind.applies_to(class)
                && fault
                    .path_contains
                    .as_deref()
                    .is_none_or(|p| path.contains(p))
        };
        if let Some(index) = self.queued.iter().position(fits) {
            return self.queued.remove(index).map(|fault| fault.kind);
        }
        let mut hit = None;
        for &(kind, rate) in &self.rates.rates {
            // Draw for every kind so one request's outcome never shifts the next one's draws.
            let roll: f64 = self.rng.random();
            if hit.is_none() && kind.applies_to(class) && roll < rate {
                hit = Some(kind);
            }
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_faults_go_to_the_first_matching_request() {
        let mut faults = Faults::new(FaultRates::default(), 1);
        faults.queue([
            QueuedFault {
                kind: FaultKind::Stale,
                path_contains: None,
            },
            QueuedFault {
                kind: FaultKind::Html,
                path_contains: Some("TransferItem".into()),
            },
        ]);
        assert_eq!(
            faults.pick(
                "/Platform/Destiny2/Actions/Items/EquipItem/",
                RequestClass::Action
            ),
            None
        );
        assert_eq!(
            faults.pick(
                "/Platform/Destiny2/Actions/Items/TransferItem/",
                RequestClass::Action
            ),
            Some(FaultKind::Html)
        );
        assert_eq!(
            faults.pick("/Platform/Destiny2/2/Profile/1/", RequestClass::ProfileRead),
            Some(FaultKind::Stale)
        );
        assert_eq!(faults.pending().count(), 0);
    }

    #[test]
    fn random_faults_follow_their_rate_and_seed() {
        let rates: FaultRates = "server_error=0.25".parse().expect("spec");
        let draw = |seed| {
            let mut faults = Faults::new(rates.clone(), seed);
            (0..4000)
                .map(|_| faults.pick("/Platform/x/", RequestClass::Read).is_some())
                .collect::<Vec<_>>()
        };
        let hits = draw(7).iter().filter(|h| **h).count();
        assert!(
            (800..1200).contains(&hits),
            "{hits} hits of 4000 at rate 0.25"
        );
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }
}
