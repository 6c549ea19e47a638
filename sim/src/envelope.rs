//! bungie.net's response envelope and the platform errors the simulator answers, each with the
//! real `PlatformErrorCodes` number, name and HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A `PlatformErrorCodes` value the simulator uses: number, name, HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The numeric code (`ErrorCode`).
    pub code: i32,
    /// The identifier (`ErrorStatus`).
    pub name: &'static str,
    /// The HTTP status bungie.net answers it with.
    pub status: StatusCode,
}

macro_rules! codes {
    ($($konst:ident = $code:literal, $name:literal, $status:ident;)*) => {
        $(
            #[doc = concat!("`", $name, "` (", stringify!($code), ").")]
            pub const $konst: ErrorCode = ErrorCode { code: $code, name: $name, status: StatusCode::$status };
        )*
    };
}

codes! {
    SUCCESS = 1, "Success", OK;
    UNHANDLED_EXCEPTION = 3, "UnhandledException", INTERNAL_SERVER_ERROR;
    SYSTEM_DISABLED = 5, "SystemDisabled", SERVICE_UNAVAILABLE;
    PARAMETER_PARSE_FAILURE = 7, "ParameterParseFailure", BAD_REQUEST;
    NOT_FOUND = 13, "NotFound", NOT_FOUND;
    THROTTLE_MOMENTARILY = 36, "ThrottleLimitExceededMomentarily", TOO_MANY_REQUESTS;
    WEB_AUTH_REQUIRED = 99, "WebAuthRequired", UNAUTHORIZED;
    DESTINY_ACCOUNT_NOT_FOUND = 1601, "DestinyAccountNotFound", NOT_FOUND;
    DESTINY_CHARACTER_NOT_FOUND = 1620, "DestinyCharacterNotFound", NOT_FOUND;
    DESTINY_INVALID_REQUEST = 1622, "DestinyInvalidRequest", BAD_REQUEST;
    DESTINY_ITEM_NOT_FOUND = 1623, "DestinyItemNotFound", NOT_FOUND;
    DESTINY_VENDOR_NOT_FOUND = 1627, "DestinyVendorNotFound", NOT_FOUND;
    DESTINY_ITEM_UNEQUIPPABLE = 1640, "DestinyItemUnequippable", INTERNAL_SERVER_ERROR;
    DESTINY_UNIQUE_EQUIP_RESTRICTED = 1641, "DestinyItemUniqueEquipRestricted", INTERNAL_SERVER_ERROR;
    DESTINY_NO_ROOM = 1642, "DestinyNoRoomInDestination", INTERNAL_SERVER_ERROR;
    DESTINY_EQUIPPED = 1656, "DestinyCannotPerformActionOnEquippedItem", INTERNAL_SERVER_ERROR;
    DESTINY_NOT_TRANSFERRABLE = 1660, "DestinyItemNotTransferrable", INTERNAL_SERVER_ERROR;
    DESTINY_ACTION_FORBIDDEN = 1663, "DestinyItemActionForbidden", INTERNAL_SERVER_ERROR;
    DESTINY_WRONG_LOCATION = 1671, "DestinyCannotPerformActionAtThisLocation", INTERNAL_SERVER_ERROR;
    DESTINY_GAME_SERVER_THROTTLE = 1672, "DestinyThrottledByGameServer", SERVICE_UNAVAILABLE;
    DESTINY_SIDE_EFFECTS = 1673, "DestinyItemNotTransferrableHasSideEffects", INTERNAL_SERVER_ERROR;
    API_INVALID_KEY = 2101, "ApiInvalidOrExpiredKey", UNAUTHORIZED;
    API_KEY_MISSING = 2102, "ApiKeyMissingFromRequest", UNAUTHORIZED;
    ACCESS_TOKEN_EXPIRED = 2111, "AccessTokenHasExpired", UNAUTHORIZED;
}

/// A platform error as bungie.net sends it: a code, a message and, when throttled, a wait.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformError {
    /// The error code.
    pub code: ErrorCode,
    /// Bungie's `Message`.
    pub message: String,
    /// Seconds to wait before trying again (`ThrottleSeconds`).
    pub throttle_seconds: i32,
}

impl PlatformError {
    /// An error with a message and no wait.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            throttle_seconds: 0,
        }
    }

    /// A throttle answer telling the caller how long to wait.
    pub fn throttled(code: ErrorCode, seconds: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            throttle_seconds: seconds,
        }
    }

    /// The envelope body of this error.
    pub fn body(&self) -> Value {
        json!({
            "ErrorCode": self.code.code,
            "ThrottleSeconds": self.throttle_seconds,
            "ErrorStatus": self.code.name,
            "Message": self.message,
            "MessageData": {},
        })
    }
}

impl IntoResponse for PlatformError {
    fn into_response(self) -> Response {
        let mut response = (self.code.status, axum::Json(self.body())).into_response();
        response.extensions_mut().insert(LoggedCode(self.code.code));
        response
    }
}

/// The `ErrorCode` of a Platform answer, kept on the response for the request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedCode(pub i32);

/// The HTTP answer for a Platform handler's result: the envelope, with its code logged.
pub fn answer(result: PlatformResult) -> Response {
    match result {
        Ok(response) => {
            let mut response = axum::Json(success(response)).into_response();
            response.extensions_mut().insert(LoggedCode(SUCCESS.code));
            response
        }
        Err(error) => error.into_response(),
    }
}

/// The result of a Platform handler: the `Response` value, or an error.
pub type PlatformResult = Result<Value, PlatformError>;

/// Wraps a successful `Response` in the envelope.
pub fn success(response: Value) -> Value {
    json!({
        "Response": response,
        "ErrorCode": SUCCESS.code,
        "ThrottleSeconds": 0,
        "ErrorStatus": SUCCESS.name,
        "Message": "Ok",
        "MessageData": {},
    })
}

/// The HTML page bungie.net shows during an outage, in place of JSON.
pub const OUTAGE_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Bungie.net - Service Unavailable</title></head>\
<body><h1>Bungie.net is temporarily unavailable</h1><p>We are working to bring it back. Please try again later.</p></body></html>\n";
