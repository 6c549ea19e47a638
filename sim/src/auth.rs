//! Who is calling: the API key check, bungie.net cookie sessions (`bungled`, `bungleatk`,
//! `bungledid` plus `X-CSRF`), and OAuth bearer tokens.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use rand::Rng;
use serde::Serialize;

use crate::envelope::{self, PlatformError};
use crate::state::SimState;

/// How a request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// No credentials.
    None,
    /// bungie.net session cookies.
    Cookie,
    /// An OAuth bearer token.
    Bearer,
}

/// The signed-in caller of a Platform request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The bungie.net membership id.
    pub bungie_membership_id: i64,
    /// How they signed in.
    pub kind: AuthKind,
}

/// The three bungie.net cookies of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionCookies {
    /// `bungled`: also the value `X-CSRF` must carry.
    pub bungled: String,
    /// `bungleatk`: the session's secret (HttpOnly).
    pub bungleatk: String,
    /// `bungledid`: the device id.
    pub bungledid: String,
}

/// bungie.net's live cookie sessions, keyed by `bungleatk`.
#[derive(Debug, Default)]
pub struct Sessions {
    by_token: HashMap<String, (SessionCookies, i64)>,
}

impl Sessions {
    /// Opens a session for a member and returns its cookies.
    pub fn open(&mut self, bungie_membership_id: i64, rng: &mut impl Rng) -> SessionCookies {
        let cookies = SessionCookies {
            bungled: random_token(rng, 19, "0123456789"),
            bungleatk: random_token(
                rng,
                48,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            ),
            bungledid: format!("B{}", random_token(rng, 24, "0123456789abcdef")),
        };
        self.by_token.insert(
            cookies.bungleatk.clone(),
            (cookies.clone(), bungie_membership_id),
        );
        cookies
    }

    /// Ends every session.
    pub fn clear(&mut self) {
        self.by_token.clear();
    }

    /// The member whose session these cookies are, without the `X-CSRF` check: for the
    /// website's pages, which browsers load without `X-CSRF`.
    pub fn member_by_cookies(&self, cookies: &HashMap<&str, &str>) -> Option<i64> {
        self.session(cookies).ok().map(|(_, member)| member)
    }

    /// Ends the session these cookies are, if they are one (signing out).
    pub fn close(&mut self, cookies: &HashMap<&str, &str>) {
        if let Ok((session, _)) = self.session(cookies) {
            let token = session.bungleatk.clone();
            self.by_token.remove(&token);
        }
    }

    /// The session all three cookies belong to, and its member.
    fn session(
        &self,
        cookies: &HashMap<&str, &str>,
    ) -> Result<(&SessionCookies, i64), PlatformError> {
        let token = cookies.get("bungleatk").ok_or_else(signed_out)?;
        let (session, member) = self.by_token.get(*token).ok_or_else(signed_out)?;
        if cookies.get("bungled") != Some(&session.bungled.as_str())
            || cookies.get("bungledid") != Some(&session.bungledid.as_str())
        {
            return Err(signed_out());
        }
        Ok((session, *member))
    }

    /// The member whose session these cookies and this `X-CSRF` prove.
    fn member(
        &self,
        cookies: &HashMap<&str, &str>,
        csrf: Option<&str>,
    ) -> Result<i64, PlatformError> {
        let (session, member) = self.session(cookies)?;
        if csrf != Some(session.bungled.as_str()) {
            return Err(PlatformError::new(
                envelope::WEB_AUTH_REQUIRED,
                "Please sign-in to continue. (X-CSRF must equal the bungled cookie.)",
            ));
        }
        Ok(member)
    }
}

/// The 99 answer for a caller with no valid session.
fn signed_out() -> PlatformError {
    PlatformError::new(envelope::WEB_AUTH_REQUIRED, "Please sign-in to continue.")
}

/// A random string of `len` characters from `alphabet`.
pub fn random_token(rng: &mut impl Rng, len: usize, alphabet: &str) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    (0..len)
        .map(|_| chars[rng.random_range(0..chars.len())])
        .collect()
}

/// The cookies a request carries, by name.
pub fn request_cookies(headers: &HeaderMap) -> HashMap<&str, &str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .collect()
}

/// The bearer token of a request, if it sends one.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// How a request tries to authenticate, before checking it: a bearer token wins over cookies.
pub fn auth_kind(headers: &HeaderMap) -> AuthKind {
    if bearer_token(headers).is_some() {
        AuthKind::Bearer
    } else if request_cookies(headers).contains_key("bungleatk") {
        AuthKind::Cookie
    } else {
        AuthKind::None
    }
}

/// Checks that the request carries the simulator's API key (2102 missing, 2101 unknown).
pub fn check_api_key(headers: &HeaderMap, api_key: &str) -> Result<(), PlatformError> {
    match headers
        .get("x-api-key")
        .map(|v| v.to_str().unwrap_or_default())
    {
        None | Some("") => Err(PlatformError::new(
            envelope::API_KEY_MISSING,
            "An API key is required for this request: send it in the X-API-Key header.",
        )),
        Some(key) if key == api_key => Ok(()),
        Some(_) => Err(PlatformError::new(
            envelope::API_INVALID_KEY,
            "The API key is invalid or has expired.",
        )),
    }
}

/// The signed-in caller, by bearer token or cookie session.
pub fn authenticate(
    state: &SimState,
    headers: &HeaderMap,
    now: Duration,
) -> Result<Caller, PlatformError> {
    if let Some(token) = bearer_token(headers) {
        let member = state.oauth.member_for_access_token(token, now)?;
        return Ok(Caller {
            bungie_membership_id: member,
            kind: AuthKind::Bearer,
        });
    }
    let csrf = headers.get("x-csrf").and_then(|v| v.to_str().ok());
    let member = state.sessions.member(&request_cookies(headers), csrf)?;
    Ok(Caller {
        bungie_membership_id: member,
        kind: AuthKind::Cookie,
    })
}
