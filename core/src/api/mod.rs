//! The Bungie Platform API as Courier uses it: requests as data, and answers decoded into
//! `Result<T, ApiError>`. Nothing here sends anything: a driver sends an [`ApiRequest`] (with
//! [`ApiRequest::url`] and [`ApiRequest::headers`]) and hands the status, content type and body
//! to [`decode`].
//!
//! ```
//! use courier_core::api::{ApiRequest, Auth, Component, decode, UserMembershipData};
//!
//! let request = ApiRequest::get_profile(2, 4611686018433092312, &[Component::Profiles]);
//! assert_eq!(
//!     request.url("https://www.bungie.net"),
//!     "https://www.bungie.net/Platform/Destiny2/2/Profile/4611686018433092312/?components=100"
//! );
//! let headers = request.headers(&Auth::Bearer("token".into()), "api-key");
//! assert_eq!(headers[1], ("Authorization", "Bearer token".to_string()));
//!
//! let answer = br#"{"ErrorCode":99,"ThrottleSeconds":0,"ErrorStatus":"WebAuthRequired","Message":"Please sign-in to continue."}"#;
//! let error = decode::<UserMembershipData>(401, Some("application/json"), answer).unwrap_err();
//! assert_eq!(error.kind(), "signed_out");
//! ```

mod actions;
mod classify;
#[cfg(feature = "code-names")]
mod codes;
mod components;
mod encode;
mod endpoints;
mod envelope;
mod error;
mod oauth;
mod reads;
mod request;
mod responses;
#[cfg(test)]
mod spec_tests;

pub use actions::{
    DestinyItemActionRequest, DestinyItemSetActionRequest, DestinyItemStateRequest,
    DestinyItemTransferRequest, DestinyLoadoutActionRequest, DestinyPostmasterTransferRequest,
};
#[cfg(feature = "code-names")]
pub use classify::code_name;
#[cfg(feature = "code-names")]
pub use codes::CODES;
pub use components::Component;
pub use endpoints::Endpoint;
pub use envelope::{decode, decode_unit};
pub use error::ApiError;
pub use oauth::{OAuthClient, OAuthTokenRequest, OAuthTokens, TOKEN_PATH};
pub use request::{ApiRequest, Auth, Method};
pub use responses::{
    DestinyEquipItemResult, DestinyEquipItemResults, DestinyLinkedProfilesResponse,
    DestinyManifest, DestinyProfileUserInfoCard, GeneralUser, UserInfoCard, UserMembershipData,
};
