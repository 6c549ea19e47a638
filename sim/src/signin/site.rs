//! bungie.net's website around the sign-in: the home page (who is signed in), signing out, and
//! the three session cookies (`bungled`, `bungleatk`, `bungledid`) as bungie.net set them.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::get;

use super::cookie::{Cookie, Lifetime};
use super::html::{escape, link, page};
use super::psn::SIGN_IN_PATH;
use crate::auth::{SessionCookies, request_cookies};
use crate::origin::Origins;
use crate::state::AppState;

/// Where signing out is.
pub const SIGN_OUT_PATH: &str = "/en/User/SignOut";

/// How long the browser keeps the bungie.net cookies.
const SESSION_COOKIE_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// `GET /` and `GET /en/User/SignOut`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home_get))
        .route(SIGN_OUT_PATH, get(sign_out_get))
}

/// The `Set-Cookie` headers that leave a session's cookies in the browser.
pub fn session_cookie_headers(cookies: &SessionCookies, secure: bool) -> [(HeaderName, String); 3] {
    session_cookies(cookies, Lifetime::For(SESSION_COOKIE_LIFETIME)).map(|c| c.header(secure))
}

/// The three cookies of a session; only `bungleatk` is hidden from scripts.
fn session_cookies(cookies: &SessionCookies, lifetime: Lifetime) -> [Cookie<'_>; 3] {
    let cookie = |name, value, http_only| Cookie {
        name,
        value,
        http_only,
        lifetime,
    };
    [
        cookie("bungled", &cookies.bungled, false),
        cookie("bungleatk", &cookies.bungleatk, true),
        cookie("bungledid", &cookies.bungledid, false),
    ]
}

/// The home page: who is signed in, or a way to sign in.
async fn home_get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = {
        let guard = state.lock();
        guard
            .sessions
            .member_by_cookies(&request_cookies(&headers))
            .map(|member| {
                let account = &guard.world.account;
                (
                    format!("{}#{:04}", account.display_name, account.display_name_code),
                    member,
                )
            })
    };
    let body = match signed_in {
        Some((name, member)) => format!(
            "<p id=\"signed-in\">Signed in as {} (bungie.net membership {member}).</p>\n<p>{}</p>",
            escape(&name),
            link(SIGN_OUT_PATH, "Sign out")
        ),
        None => format!(
            "<p id=\"signed-out\">You are not signed in.</p>\n<p>{}</p>",
            link(SIGN_IN_PATH, "Sign in with PlayStation")
        ),
    };
    page(StatusCode::OK, "Bungie.net", &body)
}

/// Ends the session, deletes its cookies and goes home.
async fn sign_out_get(
    State(state): State<AppState>,
    origins: Origins,
    headers: HeaderMap,
) -> Response {
    state.lock().sessions.close(&request_cookies(&headers));
    let gone = SessionCookies {
        bungled: String::new(),
        bungleatk: String::new(),
        bungledid: String::new(),
    };
    let cleared = session_cookies(&gone, Lifetime::Cleared).map(|c| c.header(origins.secure));
    (
        StatusCode::FOUND,
        AppendHeaders(cleared),
        [(LOCATION, format!("{}/", origins.bungie))],
    )
        .into_response()
}
