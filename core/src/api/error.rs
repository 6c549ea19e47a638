//! [`ApiError`]: what went wrong with a Platform request, classified by what the caller must do,
//! each with a message a person can act on.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::classify;

/// The first wait of the backoff when bungie.net gives none.
const BACKOFF_START: Duration = Duration::from_secs(1);
/// The longest wait of the backoff.
const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// Why a Platform request failed. JavaScript tells the variants apart by `kind`
/// (snake_case); `message` says what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum ApiError {
    /// Not signed in, or the sign-in expired (99, 22, 2111, HTTP 401 and the like): sign in again.
    #[error("{message}")]
    SignedOut {
        /// The error code, when the answer had one (none for a bare HTTP 401).
        code: Option<i32>,
        /// What happened and what to do.
        message: String,
    },
    /// Too many requests (36, 35, 37, 51, 54 to 57, 1672): wait, then retry.
    #[error("{message}")]
    Throttled {
        /// The error code.
        code: i32,
        /// How long bungie.net asked to wait (`ThrottleSeconds`), when it said.
        #[serde(rename = "waitMs", with = "optional_millis")]
        wait: Option<Duration>,
        /// What happened and what to do.
        message: String,
    },
    /// bungie.net is down for maintenance (5 SystemDisabled).
    #[error("{message}")]
    Maintenance {
        /// What happened and what to do.
        message: String,
    },
    /// The destination has no room (1642).
    #[error("{message}")]
    NoRoom {
        /// What happened and what to do.
        message: String,
    },
    /// The item is not where the request says (1623): the inventory was stale.
    #[error("{message}")]
    NotFound {
        /// What happened and what to do.
        message: String,
    },
    /// The item is equipped, so it cannot move (1656).
    #[error("{message}")]
    Equipped {
        /// What happened and what to do.
        message: String,
    },
    /// Another equipped exotic shares the item's unique label (1641).
    #[error("{message}")]
    ExoticConflict {
        /// What happened and what to do.
        message: String,
    },
    /// The character is in an activity, where equipment cannot change (1671).
    #[error("{message}")]
    WrongPlace {
        /// What happened and what to do.
        message: String,
    },
    /// The item cannot be transferred (1660), or pulling it has side effects (1673).
    #[error("{message}")]
    NotTransferable {
        /// The error code.
        code: i32,
        /// What happened and what to do.
        message: String,
    },
    /// The API key (or the OAuth client) was refused (2101, 2102, 2103, 2107): a setup problem.
    #[error("{message}")]
    BadApiKey {
        /// The error code (none for the OAuth token endpoint, which has no codes).
        code: Option<i32>,
        /// What happened and what to do.
        message: String,
    },
    /// The answer was not JSON (an HTML outage page, an empty body).
    #[error("{message}")]
    NotJson {
        /// The HTTP status.
        status: u16,
        /// The start of the body, trimmed, to show what came instead.
        snippet: String,
        /// What happened and what to do.
        message: String,
    },
    /// The answer was JSON of the wrong shape (not an envelope, or a `Response` that does not
    /// match the expected type).
    #[error("{message}")]
    Unexpected {
        /// Why it did not fit (serde's reason).
        reason: String,
        /// What happened and what to do.
        message: String,
    },
    /// Any other error code, with its name and Bungie's message.
    #[error("{message}")]
    Other {
        /// The error code.
        code: i32,
        /// Its `PlatformErrorCodes` name.
        name: String,
        /// What happened (Bungie's message included) and what to do.
        message: String,
    },
}

impl ApiError {
    /// The variant's name as JavaScript sees it (`"signed_out"`, `"throttled"`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::SignedOut { .. } => "signed_out",
            ApiError::Throttled { .. } => "throttled",
            ApiError::Maintenance { .. } => "maintenance",
            ApiError::NoRoom { .. } => "no_room",
            ApiError::NotFound { .. } => "not_found",
            ApiError::Equipped { .. } => "equipped",
            ApiError::ExoticConflict { .. } => "exotic_conflict",
            ApiError::WrongPlace { .. } => "wrong_place",
            ApiError::NotTransferable { .. } => "not_transferable",
            ApiError::BadApiKey { .. } => "bad_api_key",
            ApiError::NotJson { .. } => "not_json",
            ApiError::Unexpected { .. } => "unexpected",
            ApiError::Other { .. } => "other",
        }
    }

    /// The platform error code behind it, if the answer had one.
    pub fn code(&self) -> Option<i32> {
        match self {
            ApiError::SignedOut { code, .. } | ApiError::BadApiKey { code, .. } => *code,
            ApiError::Throttled { code, .. }
            | ApiError::NotTransferable { code, .. }
            | ApiError::Other { code, .. } => Some(*code),
            ApiError::Maintenance { .. } => Some(classify::SYSTEM_DISABLED),
            ApiError::NoRoom { .. } => Some(classify::NO_ROOM),
            ApiError::NotFound { .. } => Some(classify::ITEM_NOT_FOUND),
            ApiError::Equipped { .. } => Some(classify::EQUIPPED),
            ApiError::ExoticConflict { .. } => Some(classify::EXOTIC_CONFLICT),
            ApiError::WrongPlace { .. } => Some(classify::WRONG_PLACE),
            ApiError::NotJson { .. } | ApiError::Unexpected { .. } => None,
        }
    }

    /// What happened and what to do, for a person.
    pub fn message(&self) -> &str {
        match self {
            ApiError::SignedOut { message, .. }
            | ApiError::Throttled { message, .. }
            | ApiError::Maintenance { message }
            | ApiError::NoRoom { message }
            | ApiError::NotFound { message }
            | ApiError::Equipped { message }
            | ApiError::ExoticConflict { message }
            | ApiError::WrongPlace { message }
            | ApiError::NotTransferable { message, .. }
            | ApiError::BadApiKey { message, .. }
            | ApiError::NotJson { message, .. }
            | ApiError::Unexpected { message, .. }
            | ApiError::Other { message, .. } => message,
        }
    }

    /// How long to wait before sending the same request again, after `attempt` earlier retries
    /// (0 for the first retry); `None` when retrying would not help.
    ///
    /// - `Throttled`: bungie.net's `ThrottleSeconds` when it gave one, else the backoff.
    /// - `NotJson` (an outage page or a broken answer, usually brief) and `Other` with a
    ///   transient code (UnhandledException, DestinyUnexpectedError, the timeouts): the backoff.
    /// - `Maintenance`: `None`. Maintenance lasts hours, not seconds; tell the person instead.
    /// - Everything else: `None`; the same request would get the same answer.
    ///
    /// The backoff is 1 s, doubling with each attempt, capped at 30 s. The caller bounds the
    /// number of attempts, and decides whether an action that may have happened is safe to repeat.
    pub fn retry_after(&self, attempt: u32) -> Option<Duration> {
        match self {
            ApiError::Throttled {
                wait: Some(wait), ..
            } => Some(*wait),
            ApiError::Throttled { wait: None, .. } | ApiError::NotJson { .. } => {
                Some(backoff(attempt))
            }
            ApiError::Other { code, .. } if classify::is_transient(*code) => Some(backoff(attempt)),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (exactly when [`ApiError::retry_after`] gives a wait).
    pub fn is_transient(&self) -> bool {
        self.retry_after(0).is_some()
    }
}

/// The wait before retry number `attempt` (from 0): 1 s doubling, capped at 30 s.
fn backoff(attempt: u32) -> Duration {
    BACKOFF_START
        .checked_mul(2u32.saturating_pow(attempt))
        .map_or(BACKOFF_CAP, |wait| wait.min(BACKOFF_CAP))
}

/// An optional wait as whole milliseconds (JavaScript has no `Duration`).
mod optional_millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .map(|wait| u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_millis))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn throttled(wait: Option<Duration>) -> ApiError {
        ApiError::Throttled {
            code: 36,
            wait,
            message: "slow down".into(),
        }
    }

    #[test]
    fn throttle_waits_are_bungies_when_given() {
        let error = throttled(Some(Duration::from_secs(10)));
        assert_eq!(error.retry_after(0), Some(Duration::from_secs(10)));
        assert_eq!(error.retry_after(7), Some(Duration::from_secs(10)));
        assert!(error.is_transient());
    }

    #[test]
    fn otherwise_the_backoff_doubles_up_to_its_cap() {
        let error = throttled(None);
        let waits: Vec<u64> = (0..8)
            .map(|attempt| error.retry_after(attempt).map_or(0, |w| w.as_secs()))
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(error.retry_after(u32::MAX), Some(BACKOFF_CAP));
    }

    #[test]
    fn outage_pages_and_transient_codes_back_off() {
        let outage = ApiError::NotJson {
            status: 503,
            snippet: "<html>".into(),
            message: "down".into(),
        };
        assert_eq!(outage.retry_after(1), Some(Duration::from_secs(2)));
        let unexpected = ApiError::Other {
            code: 1618,
            name: "DestinyUnexpectedError".into(),
            message: "oops".into(),
        };
        assert!(unexpected.is_transient());
    }

    #[test]
    fn maintenance_and_refusals_are_not_retried() {
        let refusals = [
            ApiError::Maintenance {
                message: String::new(),
            },
            ApiError::NoRoom {
                message: String::new(),
            },
            ApiError::Equipped {
                message: String::new(),
            },
            ApiError::SignedOut {
                code: Some(99),
                message: String::new(),
            },
            ApiError::Other {
                code: 1663,
                name: "DestinyItemActionForbidden".into(),
                message: String::new(),
            },
        ];
        for error in refusals {
            assert_eq!(error.retry_after(0), None, "{error:?}");
            assert!(!error.is_transient(), "{error:?}");
        }
    }

    #[test]
    fn serializes_with_a_kind_tag_for_javascript() {
        let value = serde_json::to_value(throttled(Some(Duration::from_millis(1500))))
            .expect("errors serialize");
        assert_eq!(
            value,
            json!({ "kind": "throttled", "code": 36, "waitMs": 1500, "message": "slow down" })
        );
        let back: ApiError = serde_json::from_value(value).expect("and read back");
        assert_eq!(back, throttled(Some(Duration::from_millis(1500))));
        let not_json = ApiError::NotJson {
            status: 503,
            snippet: "x".into(),
            message: "m".into(),
        };
        assert_eq!(
            serde_json::to_value(&not_json).expect("errors serialize")["kind"],
            json!(not_json.kind())
        );
    }

    #[test]
    fn display_is_the_message() {
        let error = ApiError::NoRoom {
            message: "The vault is full.".into(),
        };
        assert_eq!(error.to_string(), "The vault is full.");
        assert_eq!(error.message(), "The vault is full.");
        assert_eq!(error.code(), Some(1642));
    }
}
