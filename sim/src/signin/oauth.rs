//! bungie.net's OAuth 2.0 authorization code flow: `/en/OAuth/Authorize` and
//! `/Platform/App/OAuth/token/`.

use std::time::Duration;

use axum::Router;

use crate::envelope::{self, PlatformError};
use crate::state::AppState;

/// Issued codes, access tokens and refresh tokens.
#[derive(Debug, Default)]
pub struct OAuthState {}

impl OAuthState {
    /// The member an access token belongs to, if it is valid at `now`.
    pub fn member_for_access_token(
        &self,
        _token: &str,
        _now: Duration,
    ) -> Result<i64, PlatformError> {
        Err(PlatformError::new(
            envelope::WEB_AUTH_REQUIRED,
            "Please sign-in to continue.",
        ))
    }
}

/// The OAuth routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
