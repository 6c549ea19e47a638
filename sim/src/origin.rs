//! The origins the simulator writes into redirects: the configured `--bungie-origin` and
//! `--psn-origin`, or else the origin the request came in on.

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;

use crate::server::Scheme;
use crate::state::AppState;

/// The origins to use in the answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origins {
    /// Where bungie.net is (`https://www.bungie.net`).
    pub bungie: String,
    /// Where Sony's sign-in is (`https://auth.api.sonyentertainmentnetwork.com`).
    pub psn: String,
    /// Whether the request came in over TLS (then cookies are `Secure`).
    pub secure: bool,
}

impl FromRequestParts<AppState> for Origins {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let scheme = parts
            .extensions
            .get::<Scheme>()
            .copied()
            .unwrap_or(Scheme::Http);
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("127.0.0.1");
        let own = format!("{}://{host}", scheme.as_str());
        let config = &state.config;
        Ok(Self {
            bungie: config.bungie_origin.clone().unwrap_or_else(|| own.clone()),
            psn: config.psn_origin.clone().unwrap_or(own),
            secure: scheme == Scheme::Https,
        })
    }
}
