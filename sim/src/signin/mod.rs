//! The sign-in pages and flows: bungie.net's PSN sign-in, Sony's authorize and login, bungie.net's
//! OAuth authorization code flow, and the bits of bungie.net's website around them.

mod cookie;
mod expiring;
mod html;
pub mod oauth;
mod params;
pub mod psn;
pub mod site;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, IntoResponseParts, Response};

use crate::state::AppState;

/// The sign-in routes of both sides.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(psn::router())
        .merge(oauth::router())
        .merge(site::router())
}

/// A 302 redirect to `location`, with whatever other headers `parts` adds.
fn found(location: String, parts: impl IntoResponseParts) -> Response {
    (StatusCode::FOUND, parts, [(LOCATION, location)]).into_response()
}

/// `url` with `pairs` added to its query (after any query it has).
fn with_query(mut url: url::Url, pairs: &[(&str, &str)]) -> String {
    url.query_pairs_mut().extend_pairs(pairs);
    url.into()
}
