//! From a platform error code to an [`ApiError`]: which codes mean what for the caller, and the
//! message each one gets.

use std::time::Duration;

#[cfg(feature = "code-names")]
use super::codes::CODES;
use super::error::ApiError;

/// `SystemDisabled`.
pub(crate) const SYSTEM_DISABLED: i32 = 5;
/// `DestinyItemNotFound`.
pub(crate) const ITEM_NOT_FOUND: i32 = 1623;
/// `DestinyItemUniqueEquipRestricted`.
pub(crate) const EXOTIC_CONFLICT: i32 = 1641;
/// `DestinyNoRoomInDestination`.
pub(crate) const NO_ROOM: i32 = 1642;
/// `DestinyCannotPerformActionOnEquippedItem`.
pub(crate) const EQUIPPED: i32 = 1656;
/// `DestinyCannotPerformActionAtThisLocation`.
pub(crate) const WRONG_PLACE: i32 = 1671;

/// What a code asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Sign in again.
    SignedOut,
    /// Wait, then retry.
    Throttled,
    /// bungie.net is down.
    Maintenance,
    /// Make room.
    NoRoom,
    /// Refresh the inventory.
    NotFound,
    /// Unequip first.
    Equipped,
    /// Unequip the other exotic.
    ExoticConflict,
    /// Leave the activity.
    WrongPlace,
    /// Move it in the game.
    NotTransferable,
    /// Fix Courier's setup.
    BadApiKey,
    /// Any other code that is worth retrying: a server hiccup or timeout.
    Transient,
}

/// Every code with a class, with its `PlatformErrorCodes` name (a test holds them equal to the
/// names of the full table).
pub(crate) const CLASSIFIED: &[(i32, &str, Class)] = &[
    (10, "AuthenticationInvalid", Class::SignedOut),
    (22, "WebAuthModuleAsyncFailed", Class::SignedOut),
    (99, "WebAuthRequired", Class::SignedOut),
    (2106, "AuthorizationCodeInvalid", Class::SignedOut),
    (2110, "RefreshTokenNotYetValid", Class::SignedOut),
    (2111, "AccessTokenHasExpired", Class::SignedOut),
    (2115, "OAuthAccessTokenExpired", Class::SignedOut),
    (2117, "ProvidedTokenNotValidRefreshToken", Class::SignedOut),
    (2118, "RefreshTokenExpired", Class::SignedOut),
    (2119, "AuthorizationRecordInvalid", Class::SignedOut),
    (2120, "TokenPreviouslyRevoked", Class::SignedOut),
    (2122, "AuthorizationCodeStale", Class::SignedOut),
    (2123, "AuthorizationRecordExpired", Class::SignedOut),
    (2124, "AuthorizationRecordRevoked", Class::SignedOut),
    (31, "ThrottleLimitExceeded", Class::Throttled),
    (35, "ThrottleLimitExceededMinutes", Class::Throttled),
    (36, "ThrottleLimitExceededMomentarily", Class::Throttled),
    (37, "ThrottleLimitExceededSeconds", Class::Throttled),
    (51, "PerEndpointRequestThrottleExceeded", Class::Throttled),
    (54, "PerApplicationThrottleExceeded", Class::Throttled),
    (
        55,
        "PerApplicationAnonymousThrottleExceeded",
        Class::Throttled,
    ),
    (
        56,
        "PerApplicationAuthenticatedThrottleExceeded",
        Class::Throttled,
    ),
    (57, "PerUserThrottleExceeded", Class::Throttled),
    (1672, "DestinyThrottledByGameServer", Class::Throttled),
    (SYSTEM_DISABLED, "SystemDisabled", Class::Maintenance),
    (NO_ROOM, "DestinyNoRoomInDestination", Class::NoRoom),
    (ITEM_NOT_FOUND, "DestinyItemNotFound", Class::NotFound),
    (
        EQUIPPED,
        "DestinyCannotPerformActionOnEquippedItem",
        Class::Equipped,
    ),
    (
        EXOTIC_CONFLICT,
        "DestinyItemUniqueEquipRestricted",
        Class::ExoticConflict,
    ),
    (
        WRONG_PLACE,
        "DestinyCannotPerformActionAtThisLocation",
        Class::WrongPlace,
    ),
    (1660, "DestinyItemNotTransferrable", Class::NotTransferable),
    (
        1673,
        "DestinyItemNotTransferrableHasSideEffects",
        Class::NotTransferable,
    ),
    (2101, "ApiInvalidOrExpiredKey", Class::BadApiKey),
    (2102, "ApiKeyMissingFromRequest", Class::BadApiKey),
    (2103, "ApplicationDisabled", Class::BadApiKey),
    (2107, "OriginHeaderDoesNotMatchKey", Class::BadApiKey),
    (3, "UnhandledException", Class::Transient),
    (27, "ExternalServiceTimeout", Class::Transient),
    (1618, "DestinyUnexpectedError", Class::Transient),
    (1626, "DestinyInternalError", Class::Transient),
    (1643, "DestinyServiceFailure", Class::Transient),
    (1651, "DestinyShardRelayClientTimeout", Class::Transient),
    (1652, "DestinyShardRelayProxyTimeout", Class::Transient),
];

/// The class of a code, if it has one.
fn class_of(code: i32) -> Option<Class> {
    CLASSIFIED
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, _, class)| class)
}

/// Whether a code is a server hiccup worth retrying.
pub(crate) fn is_transient(code: i32) -> bool {
    class_of(code) == Some(Class::Transient)
}

/// The `PlatformErrorCodes` name of a code (`"DestinyNoRoomInDestination"` for 1642).
#[cfg(feature = "code-names")]
pub fn code_name(code: i32) -> Option<&'static str> {
    CODES
        .binary_search_by_key(&code, |&(c, _)| c)
        .ok()
        .map(|index| CODES[index].1)
}

/// A code's name from the table, where it is built in.
#[cfg(feature = "code-names")]
fn tabled_name(code: i32) -> Option<&'static str> {
    code_name(code)
}

/// Built without the table, no name but the answer's.
#[cfg(not(feature = "code-names"))]
fn tabled_name(_code: i32) -> Option<&'static str> {
    None
}

/// What bungie.net said, from an error envelope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refusal<'a> {
    /// `ErrorCode`.
    pub code: i32,
    /// `ThrottleSeconds`.
    pub throttle_seconds: i32,
    /// `ErrorStatus`, the name the answer gave.
    pub status: &'a str,
    /// `Message`.
    pub message: &'a str,
}

impl Refusal<'_> {
    /// The error this refusal means for the caller.
    pub(crate) fn into_error(self) -> ApiError {
        let said = |guidance: &str| with_bungie_message(guidance, self.message);
        match class_of(self.code) {
            Some(Class::SignedOut) => ApiError::SignedOut {
                code: Some(self.code),
                message: said(SIGN_IN_AGAIN),
            },
            Some(Class::Throttled) => {
                let wait = u64::try_from(self.throttle_seconds)
                    .ok()
                    .filter(|&seconds| seconds > 0)
                    .map(Duration::from_secs);
                let guidance = match wait {
                    Some(wait) => format!(
                        "bungie.net is limiting how fast requests may come: wait {} s, then try again.",
                        wait.as_secs()
                    ),
                    None => "bungie.net is limiting how fast requests may come: wait a few seconds, then try again.".to_string(),
                };
                ApiError::Throttled {
                    code: self.code,
                    wait,
                    message: said(&guidance),
                }
            }
            Some(Class::Maintenance) => ApiError::Maintenance {
                message: said("bungie.net is down for maintenance; try again later."),
            },
            Some(Class::NoRoom) => ApiError::NoRoom {
                message: said(
                    "The destination is full: make room there (move something to the vault or another character), then try again.",
                ),
            },
            Some(Class::NotFound) => ApiError::NotFound {
                message: said(
                    "The item is not where Courier thought it was (it moved or is gone): refresh the inventory and try again.",
                ),
            },
            Some(Class::Equipped) => ApiError::Equipped {
                message: said(
                    "The item is equipped, and an equipped item cannot move: equip another item in its slot first.",
                ),
            },
            Some(Class::ExoticConflict) => ApiError::ExoticConflict {
                message: said(
                    "Another exotic of the same kind is already equipped: unequip that one first, then try again.",
                ),
            },
            Some(Class::WrongPlace) => ApiError::WrongPlace {
                message: said(
                    "Equipment cannot change while the character is in an activity: go to orbit or a social space (or log out), then try again.",
                ),
            },
            Some(Class::NotTransferable) => ApiError::NotTransferable {
                code: self.code,
                message: said(
                    "This item cannot be transferred from where it is (or pulling it from the postmaster has side effects): move it in the game.",
                ),
            },
            Some(Class::BadApiKey) => ApiError::BadApiKey {
                code: Some(self.code),
                message: said(BAD_API_KEY),
            },
            Some(Class::Transient) | None => self.other(),
        }
    }

    /// Any other code: its name and Bungie's message. The name is the one the answer gave
    /// (`ErrorStatus`, as current as bungie.net), else the table's where it is built in, else
    /// `Unknown`.
    fn other(self) -> ApiError {
        let answered = Some(self.status.trim()).filter(|status| !status.is_empty());
        let name = answered
            .or_else(|| tabled_name(self.code))
            .unwrap_or("Unknown")
            .to_string();
        let advice = if is_transient(self.code) {
            "this is usually temporary: try again in a moment."
        } else {
            "Courier cannot fix this by itself: if it keeps happening, report it."
        };
        let message = match self.message.trim() {
            "" => format!(
                "bungie.net refused the request with {name} ({}); {advice}",
                self.code
            ),
            said => format!(
                "bungie.net refused the request with {name} ({}): {said} ({advice})",
                self.code
            ),
        };
        ApiError::Other {
            code: self.code,
            name,
            message,
        }
    }
}

/// The guidance of every signed-out error.
pub(crate) const SIGN_IN_AGAIN: &str = "You are signed out of bungie.net, or the sign-in expired: sign in to bungie.net again, then retry.";

/// The guidance of every refused API key or client.
pub(crate) const BAD_API_KEY: &str = "bungie.net refused Courier's API key or client (missing, invalid, disabled, or not allowed from this origin): this is a Courier setup problem; update Courier or check its API key.";

/// Our guidance, then what bungie.net said when it said something.
pub(crate) fn with_bungie_message(guidance: &str, bungie: &str) -> String {
    match bungie.trim() {
        "" => guidance.to_string(),
        said => format!("{guidance} (bungie.net said: {said})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse(code: i32, throttle_seconds: i32) -> ApiError {
        Refusal {
            code,
            throttle_seconds,
            status: "",
            message: "Bungie says no.",
        }
        .into_error()
    }

    #[test]
    #[cfg(feature = "code-names")]
    fn the_code_table_is_sorted_and_unique() {
        assert_eq!(CODES.len(), 900);
        assert!(CODES.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    #[cfg(feature = "code-names")]
    fn every_classified_code_has_the_name_the_table_gives() {
        for &(code, name, _) in CLASSIFIED {
            assert_eq!(code_name(code), Some(name), "code {code}");
        }
        let mut codes: Vec<i32> = CLASSIFIED.iter().map(|&(c, _, _)| c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CLASSIFIED.len(), "a code is classified twice");
    }

    #[test]
    fn issue_3_codes_land_in_their_kinds() {
        let expected: &[(&[i32], &str)] = &[
            (&[99, 22, 2111], "signed_out"),
            (&[36, 35, 37, 51, 54, 55, 56, 57, 1672], "throttled"),
            (&[5], "maintenance"),
            (&[1642], "no_room"),
            (&[1623], "not_found"),
            (&[1656], "equipped"),
            (&[1641], "exotic_conflict"),
            (&[1671], "wrong_place"),
            (&[1660, 1673], "not_transferable"),
            (&[2101, 2102, 2107], "bad_api_key"),
            (&[1663, 1601, 7, 4008], "other"),
        ];
        for (codes, kind) in expected {
            for &code in *codes {
                let error = refuse(code, 0);
                assert_eq!(error.kind(), *kind, "code {code}");
                assert_eq!(error.code(), Some(code), "code {code}");
                let tagged = serde_json::to_value(&error).expect("errors serialize");
                assert_eq!(tagged["kind"], *kind, "code {code}");
            }
        }
    }

    #[test]
    fn messages_say_what_to_do_and_keep_bungies_words() {
        for &(code, _, _) in CLASSIFIED {
            let message = refuse(code, 0).message().to_string();
            assert!(
                message.contains("Bungie says no."),
                "code {code}: {message}"
            );
            assert!(
                message.len() > "Bungie says no.".len() + 40,
                "code {code}: {message}"
            );
        }
        assert!(
            refuse(5, 0)
                .message()
                .starts_with("bungie.net is down for maintenance; try again later.")
        );
        assert!(refuse(1642, 0).message().contains("make room"));
        assert!(
            refuse(99, 0)
                .message()
                .contains("sign in to bungie.net again")
        );
    }

    #[test]
    fn throttle_seconds_become_the_wait_only_when_positive() {
        let waits = [(10, Some(10)), (0, None), (-3, None)].map(|(seconds, expected)| {
            let ApiError::Throttled { wait, message, .. } = refuse(36, seconds) else {
                panic!("36 is a throttle");
            };
            assert_eq!(wait.map(|w| w.as_secs()), expected);
            message
        });
        assert!(waits[0].contains("wait 10 s"));
        assert!(waits[1].contains("wait a few seconds"));
    }

    #[test]
    #[cfg(feature = "code-names")]
    fn other_codes_without_a_status_carry_the_tables_name() {
        let forbidden = refuse(1663, 0);
        assert_eq!(
            forbidden,
            ApiError::Other {
                code: 1663,
                name: "DestinyItemActionForbidden".into(),
                message: "bungie.net refused the request with DestinyItemActionForbidden (1663): Bungie says no. (Courier cannot fix this by itself: if it keeps happening, report it.)".into(),
            }
        );
    }

    #[test]
    fn other_codes_carry_the_answers_name_before_the_tables() {
        let renamed = Refusal {
            code: 1663,
            throttle_seconds: 0,
            status: " DestinyItemActionRefused ",
            message: "",
        }
        .into_error();
        let ApiError::Other { name, .. } = renamed else {
            panic!("1663 is Other")
        };
        assert_eq!(name, "DestinyItemActionRefused");
        let unknown = Refusal {
            code: 99999,
            throttle_seconds: 0,
            status: "BrandNewError",
            message: "",
        }
        .into_error();
        assert_eq!(unknown.code(), Some(99999));
        let ApiError::Other { name, message, .. } = unknown else {
            panic!("an unknown code is Other")
        };
        assert_eq!(name, "BrandNewError");
        assert!(message.contains("BrandNewError (99999)"), "{message}");
        let ApiError::Other { name, .. } = Refusal {
            code: 99999,
            throttle_seconds: 0,
            status: " ",
            message: "",
        }
        .into_error() else {
            panic!("an unknown code is Other")
        };
        assert_eq!(name, "Unknown");
    }

    #[test]
    fn transient_codes_are_other_but_retried() {
        let error = refuse(1618, 0);
        assert_eq!(error.kind(), "other");
        assert!(error.is_transient());
        assert!(error.message().contains("try again in a moment"));
    }
}
