//! bungie.net's Platform API: memberships, profiles, items, actions and vendors.

use axum::Router;

use crate::state::AppState;

/// Every `/Platform/...` endpoint except OAuth's token endpoint.
pub fn router() -> Router<AppState> {
    Router::new()
}
