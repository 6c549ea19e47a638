//! The sign-in pages and flows: bungie.net's PSN sign-in, Sony's authorize and login, and
//! bungie.net's OAuth authorization code flow.

pub mod oauth;
pub mod psn;

use axum::Router;

use crate::state::AppState;

/// The sign-in routes of both sides.
pub fn router() -> Router<AppState> {
    Router::new().merge(psn::router()).merge(oauth::router())
}
