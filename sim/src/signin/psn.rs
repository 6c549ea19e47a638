//! The 2016 PlayStation Network sign-in, as bungie.net and Sony ran it.

use axum::Router;

use crate::state::AppState;

/// Sony's side of the sign-in: sessions (`JSESSIONID`) and grant codes.
#[derive(Debug, Default)]
pub struct PsnState {}

/// `/en/User/SignIn/Psnid`, `/2.0/oauth/authorize`, `/login.jsp`, `/login.do`.
pub fn router() -> Router<AppState> {
    Router::new()
}
