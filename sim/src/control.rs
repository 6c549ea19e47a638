//! The control API tests use, under `/__sim/`: state dump, reset, activities, Xur, queued
//! faults, the clock and the request log.

use axum::Router;

use crate::state::AppState;

/// The `/__sim/` routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
