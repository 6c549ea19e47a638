//! [`Secret`]: a password or an npsso cookie, held only in memory and never shown.

use std::fmt;

use serde::{Deserialize, Deserializer};
use zeroize::Zeroizing;

/// A secret string (a PSN password or an `npsso` cookie value). Its memory is zeroed when it is
/// dropped; `Debug` and `Display` print `***`; it can be read from a message (`Deserialize`) but
/// never written (`Serialize` is deliberately not implemented).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret; the string moves in and is zeroed when the `Secret` drops.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_its_value() {
        let secret = Secret::new("hunter2-NEVER-LOG-ME".to_string());
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(***)");
        assert_eq!(secret.expose(), "hunter2-NEVER-LOG-ME");
    }

    #[test]
    fn reads_from_json() {
        let secret: Secret = serde_json::from_str("\"s3cret\"").expect("a JSON string");
        assert_eq!(secret.expose(), "s3cret");
        assert!(!secret.is_empty());
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }
}
