//! Keyed values that stop being valid at a simulated instant: Sony sessions, grant codes,
//! pending sign-ins, OAuth codes and tokens.

use std::collections::HashMap;
use std::time::Duration;

use rand::Rng;

use crate::auth::random_token;

/// How long an expired entry is remembered, so it answers "expired" rather than "unknown".
const REMEMBER_EXPIRED: Duration = Duration::from_secs(24 * 60 * 60);

/// The characters of the keys this store hands out.
const KEY_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// The length of the keys this store hands out.
const KEY_LENGTH: usize = 32;

/// Why a key has no live value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Never issued, already used, revoked, or long forgotten.
    Unknown,
    /// Issued, but its lifetime is over.
    Expired,
}

impl Missing {
    /// `unknown` or `expired`, whichever this is: for telling a person which happened.
    pub fn either<T>(self, unknown: T, expired: T) -> T {
        match self {
            Missing::Unknown => unknown,
            Missing::Expired => expired,
        }
    }
}

/// Values under random keys, each valid until its own instant.
#[derive(Debug)]
pub struct Expiring<V> {
    entries: HashMap<String, (V, Duration)>,
}

impl<V> Default for Expiring<V> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
        }
    }
}

impl<V> Expiring<V> {
    /// Stores `value` under a new random key valid for `lifetime` from `now`, and returns the key.
    /// Entries expired for over a day are forgotten.
    pub fn issue(
        &mut self,
        value: V,
        lifetime: Duration,
        rng: &mut impl Rng,
        now: Duration,
    ) -> String {
        self.entries
            .retain(|_, (_, expires_at)| *expires_at + REMEMBER_EXPIRED > now);
        let key = random_token(rng, KEY_LENGTH, KEY_ALPHABET);
        self.entries.insert(key.clone(), (value, now + lifetime));
        key
    }

    /// The value of a key, if it is still valid at `now`.
    pub fn get(&self, key: &str, now: Duration) -> Result<&V, Missing> {
        match self.entries.get(key) {
            None => Err(Missing::Unknown),
            Some((_, expires_at)) if *expires_at <= now => Err(Missing::Expired),
            Some((value, _)) => Ok(value),
        }
    }

    /// Removes a key and returns its value if it was still valid at `now` (single use).
    pub fn take(&mut self, key: &str, now: Duration) -> Result<V, Missing> {
        let (value, expires_at) = self.entries.remove(key).ok_or(Missing::Unknown)?;
        if expires_at <= now {
            return Err(Missing::Expired);
        }
        Ok(value)
    }

    /// Forgets a key.
    pub fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn values_expire_and_are_taken_once() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut store = Expiring::default();
        let key = store.issue("grant", MINUTE, &mut rng, Duration::ZERO);
        assert_eq!(store.get(&key, MINUTE / 2), Ok(&"grant"));
        assert_eq!(store.get(&key, MINUTE), Err(Missing::Expired));
        assert_eq!(store.get("other", Duration::ZERO), Err(Missing::Unknown));
        assert_eq!(store.take(&key, MINUTE / 2), Ok("grant"));
        assert_eq!(store.take(&key, MINUTE / 2), Err(Missing::Unknown));
    }

    #[test]
    fn long_expired_entries_are_forgotten() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut store = Expiring::default();
        let old = store.issue(1, MINUTE, &mut rng, Duration::ZERO);
        let later = MINUTE + REMEMBER_EXPIRED;
        let new = store.issue(2, MINUTE, &mut rng, later);
        assert_ne!(old, new);
        assert_eq!(store.get(&old, later), Err(Missing::Unknown));
        assert_eq!(store.get(&new, later), Ok(&2));
    }
}
