//! Simulated time: real elapsed time plus whatever the control API has skipped ahead, so tests
//! can expire tokens and throttles without waiting.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The simulator's clock.
#[derive(Debug)]
pub struct SimClock {
    started: Instant,
    started_wall: SystemTime,
    skipped: Mutex<Duration>,
}

impl SimClock {
    /// A clock that starts now.
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            started_wall: SystemTime::now(),
            skipped: Mutex::new(Duration::ZERO),
        }
    }

    /// Simulated time since the simulator started.
    pub fn now(&self) -> Duration {
        self.started.elapsed() + *self.skipped.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves simulated time forward.
    pub fn advance(&self, by: Duration) {
        *self.skipped.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// Simulated wall-clock time for a simulated instant, in milliseconds since the Unix epoch.
    pub fn unix_millis(&self, at: Duration) -> u128 {
        (self.started_wall + at)
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
    }

    /// Simulated wall-clock time for a simulated instant, as RFC 3339 (`2026-12-01T06:13:14.123Z`).
    pub fn rfc3339(&self, at: Duration) -> String {
        rfc3339_from_unix_millis(self.unix_millis(at))
    }
}

impl Default for SimClock {
    fn default() -> Self {
        Self::new()
    }
}

/// Formats milliseconds since the Unix epoch as an RFC 3339 UTC timestamp with milliseconds.
pub fn rfc3339_from_unix_millis(millis: u128) -> String {
    let at = UNIX_EPOCH + Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX));
    humantime::format_rfc3339_millis(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339_from_unix_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_from_unix_millis(1_622_186_523_456),
            "2021-05-28T07:22:03.456Z"
        );
        assert_eq!(
            rfc3339_from_unix_millis(951_782_400_000),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn advancing_moves_time_forward() {
        let clock = SimClock::new();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= before + Duration::from_secs(3600));
    }
}
