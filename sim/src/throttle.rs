//! bungie.net's action throttles: per user and per endpoint, a minimum spacing between calls
//! (0.1 s for item actions, 1 s for tracking and loadouts), and one action in flight per account.
//! Breaking either earns ErrorCode 36 with a `ThrottleSeconds` wait, during which that endpoint
//! refuses the user.

use std::collections::HashMap;
use std::time::Duration;

use crate::config::ThrottleMode;
use crate::envelope::{self, PlatformError};

/// How long a user who broke a throttle must wait, as bungie.net tells it.
pub const PENALTY: Duration = Duration::from_secs(10);

/// An action endpoint and its documented spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionEndpoint {
    /// The endpoint's name (`TransferItem`).
    pub name: &'static str,
    /// `ThrottleSecondsBetweenActionPerUser`.
    pub spacing: Duration,
}

impl ActionEndpoint {
    /// An item action, spaced 0.1 s.
    pub const fn item(name: &'static str) -> Self {
        Self {
            name,
            spacing: Duration::from_millis(100),
        }
    }

    /// A tracking or loadout action, spaced 1 s.
    pub const fn slow(name: &'static str) -> Self {
        Self {
            name,
            spacing: Duration::from_secs(1),
        }
    }
}

/// Per-user throttle bookkeeping.
#[derive(Debug)]
pub struct Throttle {
    mode: ThrottleMode,
    /// (member, endpoint) -> when the last accepted call arrived.
    last_call: HashMap<(i64, &'static str), Duration>,
    /// (member, endpoint) -> refused until then.
    penalty_until: HashMap<(i64, &'static str), Duration>,
    /// Members with an action being answered right now.
    in_flight: HashMap<i64, &'static str>,
}

/// Proof that an action was admitted; hand it back with [`Throttle::finish`].
#[derive(Debug, Clone)]
#[must_use = "an admitted action must be finished"]
pub struct Admitted {
    member: i64,
    counted: bool,
}

impl Throttle {
    /// Throttles in the given mode.
    pub fn new(mode: ThrottleMode) -> Self {
        Self {
            mode,
            last_call: HashMap::new(),
            penalty_until: HashMap::new(),
            in_flight: HashMap::new(),
        }
    }

    /// Admits an action call arriving at `now`, or refuses it with 36.
    pub fn admit(
        &mut self,
        member: i64,
        endpoint: ActionEndpoint,
        now: Duration,
    ) -> Result<Admitted, PlatformError> {
        if self.mode == ThrottleMode::Off {
            return Ok(Admitted {
                member,
                counted: false,
            });
        }
        let key = (member, endpoint.name);
        if let Some(until) = self.penalty_until.get(&key).copied().filter(|u| *u > now) {
            return Err(refusal(
                until - now,
                endpoint.name,
                "you were throttled and must wait",
            ));
        }
        if let Some(other) = self.in_flight.get(&member) {
            let reason = format!("another action ({other}) for this account is still in progress");
            return Err(self.penalize(key, now, endpoint.name, &reason));
        }
        if let Some(last) = self.last_call.get(&key).copied()
            && now < last + endpoint.spacing
        {
            let reason = format!(
                "actions must be at least {} ms apart",
                endpoint.spacing.as_millis()
            );
            return Err(self.penalize(key, now, endpoint.name, &reason));
        }
        self.last_call.insert(key, now);
        self.in_flight.insert(member, endpoint.name);
        Ok(Admitted {
            member,
            counted: true,
        })
    }

    /// Marks an admitted action as answered.
    pub fn finish(&mut self, admitted: Admitted) {
        if admitted.counted {
            self.in_flight.remove(&admitted.member);
        }
    }

    fn penalize(
        &mut self,
        key: (i64, &'static str),
        now: Duration,
        endpoint: &str,
        reason: &str,
    ) -> PlatformError {
        self.penalty_until.insert(key, now + PENALTY);
        refusal(PENALTY, endpoint, reason)
    }
}

/// The 36 answer with the wait rounded up to whole seconds.
fn refusal(wait: Duration, endpoint: &str, reason: &str) -> PlatformError {
    let seconds = wait.as_millis().div_ceil(1000).max(1) as i32;
    PlatformError::throttled(
        envelope::THROTTLE_MOMENTARILY,
        seconds,
        format!("{endpoint}: {reason}; try again in {seconds} s."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANSFER: ActionEndpoint = ActionEndpoint::item("TransferItem");
    const EQUIP: ActionEndpoint = ActionEndpoint::item("EquipItem");
    fn ms(millis: u64) -> Duration {
        Duration::from_millis(millis)
    }

    #[test]
    fn spacing_is_per_user_and_per_endpoint() {
        let mut throttle = Throttle::new(ThrottleMode::Strict);
        let a = throttle.admit(1, TRANSFER, ms(0)).expect("first call");
        throttle.finish(a);
        let b = throttle.admit(1, EQUIP, ms(10)).expect("other endpoint");
        throttle.finish(b);
        let c = throttle.admit(2, TRANSFER, ms(20)).expect("other user");
        throttle.finish(c);
        let refused = throttle.admit(1, TRANSFER, ms(50)).expect_err("too soon");
        assert_eq!(refused.code.code, 36);
        assert_eq!(refused.throttle_seconds, 10);
        // The penalty holds even after the spacing has passed.
        assert!(throttle.admit(1, TRANSFER, ms(500)).is_err());
        assert!(throttle.admit(1, TRANSFER, ms(10_050)).is_ok());
    }

    #[test]
    fn one_action_in_flight_per_account() {
        let mut throttle = Throttle::new(ThrottleMode::Strict);
        let first = throttle.admit(1, TRANSFER, ms(0)).expect("first");
        assert_eq!(
            throttle
                .admit(1, EQUIP, ms(200))
                .expect_err("busy")
                .code
                .code,
            36
        );
        throttle.finish(first);
    }

    #[test]
    fn spaced_calls_pass_and_off_disables() {
        let mut throttle = Throttle::new(ThrottleMode::Strict);
        for i in 0..5 {
            let a = throttle.admit(1, TRANSFER, ms(i * 100)).expect("spaced");
            throttle.finish(a);
        }
        let mut off = Throttle::new(ThrottleMode::Off);
        for _ in 0..5 {
            let a = off.admit(1, TRANSFER, ms(0)).expect("off");
            off.finish(a);
        }
    }
}
