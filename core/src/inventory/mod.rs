//! Building the inventory from the raw bytes of a GetProfile answer.
//!
//! [`parse_profile`] reads the envelope of `GET /Platform/Destiny2/{type}/Profile/{id}/` with
//! any of the components 100, 102, 103, 200, 201, 205 and 300 (each may be missing, or present
//! without data when it is private) into a [`model::Inventory`](crate::model::Inventory). A
//! structural scan finds the components; those Courier uses are parsed straight from their
//! bytes into small borrowed structs, and the rest (sockets, plug sets, reusable plugs, ...)
//! are jumped over without being parsed.
//!
//! ```
//! let answer = br#"{"Response": {"profileInventory": {"data": {"items": [
//!     {"itemHash": 1363886209, "itemInstanceId": "6917529", "quantity": 1, "bucketHash": 138197802}
//! ]}}}, "ErrorCode": 1, "ErrorStatus": "Success", "Message": "Ok"}"#;
//! let inventory = courier_core::inventory::parse_profile(answer).expect("a profile");
//! assert_eq!(inventory.items[0].location, courier_core::model::Location::Vault);
//! ```

mod build;
mod read;
mod wire;

#[cfg(test)]
mod tests;

use serde::de::IgnoredAny;

use crate::api::{self, ApiError};
use crate::model::Inventory;
use crate::scan;

/// Why a GetProfile answer could not become an inventory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The bytes are not (complete) JSON: an outage page, or a cut-off download.
    #[error(
        "the profile answer is not JSON ({detail}); bungie.net may be showing an outage page or \
         the download was cut short: try again in a few minutes"
    )]
    NotJson {
        /// What the JSON parser saw, with its position.
        detail: String,
    },
    /// bungie.net answered with an error envelope instead of the profile, classified by what
    /// the caller must do (sign in again, wait, ...).
    #[error("bungie.net refused the profile request: {0}")]
    Api(ApiError),
    /// The JSON is not shaped like a GetProfile answer.
    #[error(
        "the profile answer is not shaped like a GetProfile response ({0}); Courier cannot read \
         it: report this with the answer attached"
    )]
    Shape(String),
}

/// Builds the inventory from the raw bytes of a GetProfile envelope.
///
/// Components that are missing (not asked for, or private) leave their part of the inventory
/// empty. The membership comes from component 100 when present, else from the characters.
pub fn parse_profile(bytes: &[u8]) -> Result<Inventory, ProfileError> {
    if !scan::is_object_at(bytes, 0) {
        return Err(not_an_envelope(bytes));
    }
    let mut envelope = read::Envelope::default();
    let read = read::envelope(bytes, &mut envelope);
    match (read, envelope.code) {
        (Err(error @ ProfileError::NotJson { .. }), _) => Err(error),
        // An error envelope may carry a `Response` of another shape: its code comes first.
        (_, Some(code)) if code != SUCCESS => Err(refusal(bytes).unwrap_or_else(|| {
            ProfileError::Shape(format!(
                "an error envelope (ErrorCode {code}) whose other fields cannot be read"
            ))
        })),
        (Err(error), None) => Err(refusal(bytes).unwrap_or(error)),
        (Err(error), Some(_)) => Err(error),
        (Ok(()), None) => Err(ProfileError::Shape(
            "the answer has no ErrorCode".to_string(),
        )),
        (Ok(()), Some(_)) => envelope.response.map(build::inventory).ok_or_else(|| {
            ProfileError::Shape("the envelope says Success but carries no Response".to_string())
        }),
    }
}

impl From<scan::ScanError> for ProfileError {
    /// Text whose structure the scan could not follow is not (complete) JSON.
    fn from(error: scan::ScanError) -> Self {
        ProfileError::NotJson {
            detail: error.to_string(),
        }
    }
}

impl ProfileError {
    /// The error serde_json gave for a part of the answer: broken JSON, or the wrong shape.
    fn from_serde(error: &serde_json::Error) -> Self {
        if error.is_syntax() || error.is_eof() {
            ProfileError::NotJson {
                detail: error.to_string(),
            }
        } else {
            ProfileError::Shape(error.to_string())
        }
    }
}

/// Why text that does not start with an object is no envelope: not JSON at all (an outage
/// page, nothing), or JSON of another kind.
fn not_an_envelope(bytes: &[u8]) -> ProfileError {
    match serde_json::from_slice::<IgnoredAny>(bytes) {
        Err(error) => ProfileError::from_serde(&error),
        Ok(_) => ProfileError::Shape("the answer is JSON but not an object".to_string()),
    }
}

/// `PlatformErrorCodes.Success`.
const SUCCESS: i32 = 1;

/// The classified error of an error envelope, or `None` when the bytes are not one.
fn refusal(bytes: &[u8]) -> Option<ProfileError> {
    // serde reads a struct from an array too; only an object can be an envelope.
    if !bytes.trim_ascii_start().starts_with(b"{") {
        return None;
    }
    // The HTTP status only matters for answers without an envelope, which never get here.
    match api::decode::<IgnoredAny>(200, Some("application/json"), bytes) {
        Err(error) if error.code().is_some() => Some(ProfileError::Api(error)),
        _ => None,
    }
}
