//! bungie.net's OAuth 2.0 authorization code flow: `/en/OAuth/Authorize` (sign in, approve) and
//! `/Platform/App/OAuth/token/` (codes and refresh tokens for access tokens).
//!
//! Codes are single-use and last 5 simulated minutes; access tokens last 3600 simulated seconds;
//! refresh tokens, for confidential clients only, last 90 days and are revoked when used.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{OriginalUri, RawQuery, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand::Rng;
use serde_json::{Value, json};
use url::Url;
use url::form_urlencoded::byte_serialize;

use super::expiring::{Expiring, Missing};
use super::html::{PageError, escape, link, page};
use super::params::Params;
use super::psn::SIGN_IN_PATH;
use super::{found, with_query};
use crate::auth::request_cookies;
use crate::config::{OAuthClient, SimConfig};
use crate::envelope::{self, PlatformError};
use crate::state::{AppState, SimState};

/// bungie.net's authorize page.
const AUTHORIZE_PATH: &str = "/en/OAuth/Authorize";

/// How long an authorization code can be exchanged.
const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How long an access token is accepted.
const ACCESS_LIFETIME: Duration = Duration::from_secs(3600);

/// How long a refresh token can be used.
const REFRESH_LIFETIME: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// Issued codes, access tokens and refresh tokens.
#[derive(Debug, Default)]
pub struct OAuthState {
    /// Authorization codes not yet exchanged.
    codes: Expiring<Grant>,
    /// Access tokens, each for a member.
    access_tokens: Expiring<i64>,
    /// Refresh tokens not yet used.
    refresh_tokens: Expiring<Grant>,
}

/// What a code or refresh token stands for: a member's consent to one client.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Grant {
    client_id: String,
    member: i64,
}

impl OAuthState {
    /// The member an access token belongs to, if it is valid at `now`: 99 WebAuthRequired for a
    /// token this bungie.net never issued, 2111 AccessTokenHasExpired for an expired one.
    pub fn member_for_access_token(
        &self,
        token: &str,
        now: Duration,
    ) -> Result<i64, PlatformError> {
        self.access_tokens
            .get(token, now)
            .copied()
            .map_err(|missing| match missing {
                Missing::Unknown => PlatformError::new(
                    envelope::WEB_AUTH_REQUIRED,
                    "Please sign-in to continue. (The bearer token is not one bungie.net issued: sign in again through /en/OAuth/Authorize.)",
                ),
                Missing::Expired => PlatformError::new(
                    envelope::ACCESS_TOKEN_EXPIRED,
                    "The access token has expired. Get a new one from /Platform/App/OAuth/token/ with grant_type=refresh_token, or sign in again through /en/OAuth/Authorize.",
                ),
            })
    }

    /// Exchanges a code (single use) issued to `client_id` for its member.
    fn redeem_code(
        &mut self,
        client_id: &str,
        code: &str,
        now: Duration,
    ) -> Result<i64, TokenError> {
        let grant = self.codes.take(code, now).map_err(|missing| {
            TokenError::invalid_grant(missing.either(
                "The authorization code is unknown or was already used: each code can be exchanged once.",
                "The authorization code has expired: exchange it within 5 minutes of the redirect.",
            ))
        })?;
        grant.member_for(client_id, "authorization code")
    }

    /// Uses up a refresh token issued to `client_id` and answers its member.
    fn redeem_refresh(
        &mut self,
        client_id: &str,
        token: &str,
        now: Duration,
    ) -> Result<i64, TokenError> {
        let grant = self.refresh_tokens.take(token, now).map_err(|missing| {
            TokenError::invalid_grant(missing.either(
                "The refresh token is unknown or was already used: each refresh token works once, and the answer carries the next one.",
                "The refresh token has expired (they last 90 days): sign in again through /en/OAuth/Authorize.",
            ))
        })?;
        grant.member_for(client_id, "refresh token")
    }

    /// A new access token (and, for a confidential client, a refresh token) for a member.
    fn issue_tokens(
        &mut self,
        client: &OAuthClient,
        member: i64,
        rng: &mut impl Rng,
        now: Duration,
    ) -> Value {
        let access = self.access_tokens.issue(member, ACCESS_LIFETIME, rng, now);
        let mut answer = json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_LIFETIME.as_secs(),
            "membership_id": member.to_string(),
        });
        if is_confidential(client) {
            let grant = Grant {
                client_id: client.id.clone(),
                member,
            };
            let refresh = self.refresh_tokens.issue(grant, REFRESH_LIFETIME, rng, now);
            answer["refresh_token"] = json!(refresh);
            answer["refresh_expires_in"] = json!(REFRESH_LIFETIME.as_secs());
        }
        answer
    }
}

impl Grant {
    /// The member, when the grant was made to `client_id`.
    fn member_for(&self, client_id: &str, what: &str) -> Result<i64, TokenError> {
        if self.client_id != client_id {
            return Err(TokenError::invalid_grant(format!(
                "This {what} was issued to another client."
            )));
        }
        Ok(self.member)
    }
}

/// Whether a client has a secret (and so gets refresh tokens).
fn is_confidential(client: &OAuthClient) -> bool {
    !client.secret.is_empty()
}

/// The OAuth routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(AUTHORIZE_PATH, get(authorize_get).post(authorize_post))
        .route("/Platform/App/OAuth/token/", post(token_post))
}

/// The registered client an authorize request names, checked.
fn authorize_client<'a>(
    config: &'a SimConfig,
    params: &Params,
) -> Result<&'a OAuthClient, PageError> {
    let bad = |message: String| {
        PageError::bad_request("Bungie.net cannot authorize this application", message)
    };
    let client_id = params.get("client_id").ok_or_else(|| {
        bad("client_id is missing: send the id of a registered application.".to_string())
    })?;
    let client = config
        .oauth_clients
        .iter()
        .find(|client| client.id == client_id)
        .ok_or_else(|| {
            bad(format!(
                "client_id {client_id} is not a registered application."
            ))
        })?;
    if let Some(redirect) = params.get("redirect_uri")
        && redirect != client.redirect
    {
        return Err(bad(format!(
            "redirect_uri {redirect} is not the one registered for this application ({}).",
            client.redirect
        )));
    }
    Ok(client)
}

/// The authorize page: a way to sign in, or the approval form for a signed-in player.
async fn authorize_get(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let params = Params::from_query(query.as_deref());
    let client = authorize_client(&state.config, &params)?;
    if params.get("response_type") != Some("code") {
        return Err(PageError::bad_request(
            "Bungie.net cannot authorize this application",
            "response_type must be code: bungie.net supports the authorization code flow only.",
        ));
    }
    let signed_in = state
        .lock()
        .sessions
        .member_by_cookies(&request_cookies(&headers))
        .is_some();
    if !signed_in {
        let here = uri
            .path_and_query()
            .map_or(AUTHORIZE_PATH, |pq| pq.as_str());
        let sign_in = format!(
            "{SIGN_IN_PATH}?bru={}",
            byte_serialize(here.as_bytes()).collect::<String>()
        );
        let body = format!(
            "<p>Sign in to let this application use your Bungie.net account.</p>\n<p id=\"sign-in\">{}</p>",
            link(&sign_in, "Sign in with PlayStation")
        );
        return Ok(page(StatusCode::OK, "Sign in to Bungie.net", &body));
    }
    let mut hidden = vec![
        ("client_id", client.id.as_str()),
        ("redirect_uri", client.redirect.as_str()),
    ];
    if let Some(state) = params.get("state") {
        hidden.push(("state", state));
    }
    let fields: String = hidden
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                escape(value)
            )
        })
        .collect();
    let body = format!(
        "<p>Application {} wants to read and move the items of your Destiny account.</p>\n\
<form method=\"post\" action=\"{AUTHORIZE_PATH}\">\n{fields}<button type=\"submit\" id=\"approve\">Approve</button>\n</form>",
        escape(&client.id)
    );
    Ok(page(StatusCode::OK, "Authorize application", &body))
}

/// Approval: a code for the signed-in player, sent to the application's redirect.
async fn authorize_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = Params::from_form(&body);
    let client = authorize_client(&state.config, &form)?;
    let redirect = Url::parse(&client.redirect).map_err(|_| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "This application is misconfigured",
            format!(
                "The redirect registered for {} ({}) is not an absolute URL; fix --oauth-client.",
                client.id, client.redirect
            ),
        )
    })?;
    let now = state.now();
    let code = {
        let mut guard = state.lock();
        let SimState {
            sessions,
            oauth,
            rng,
            ..
        } = &mut *guard;
        let member = sessions
            .member_by_cookies(&request_cookies(&headers))
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::UNAUTHORIZED,
                    "Sign in to Bungie.net",
                    "You are not signed in on Bungie.net, so there is no account to approve this application for.",
                )
                .with_link(SIGN_IN_PATH, "Sign in with PlayStation")
            })?;
        let grant = Grant {
            client_id: client.id.clone(),
            member,
        };
        oauth.codes.issue(grant, CODE_LIFETIME, rng, now)
    };
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = form.get("state") {
        pairs.push(("state", state));
    }
    Ok(found(with_query(redirect, &pairs), ()))
}

/// An OAuth error answer (RFC 6749 section 5.2), always HTTP 400.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TokenError {
    error: &'static str,
    description: String,
}

impl TokenError {
    fn invalid_request(description: impl Into<String>) -> Self {
        Self {
            error: "invalid_request",
            description: description.into(),
        }
    }

    fn invalid_client(description: impl Into<String>) -> Self {
        Self {
            error: "invalid_client",
            description: description.into(),
        }
    }

    fn invalid_grant(description: impl Into<String>) -> Self {
        Self {
            error: "invalid_grant",
            description: description.into(),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        (
            StatusCode::BAD_REQUEST,
            [(CACHE_CONTROL, "no-store")],
            Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response()
    }
}

/// The client a token request authenticates as: HTTP Basic, or `client_id`/`client_secret`
/// form fields; a public client sends only its id.
fn token_client<'a>(
    config: &'a SimConfig,
    headers: &HeaderMap,
    form: &Params,
) -> Result<&'a OAuthClient, TokenError> {
    let (id, secret) = match headers.get(AUTHORIZATION) {
        Some(value) => basic_credentials(value.to_str().unwrap_or_default()).ok_or_else(|| {
            TokenError::invalid_client(
                "The Authorization header must be Basic base64(client_id:client_secret).",
            )
        })?,
        None => (
            form.get("client_id")
                .ok_or_else(|| {
                    TokenError::invalid_client(
                        "No client: send client_id (and client_secret for a confidential client) as form fields or HTTP Basic.",
                    )
                })?
                .to_string(),
            form.get("client_secret").unwrap_or_default().to_string(),
        ),
    };
    let client = config
        .oauth_clients
        .iter()
        .find(|client| client.id == id)
        .ok_or_else(|| {
            TokenError::invalid_client(format!("client_id {id} is not a registered application."))
        })?;
    if secret != client.secret {
        return Err(TokenError::invalid_client(if is_confidential(client) {
            "The client_secret is wrong for this client_id."
        } else {
            "This client is public: send only its client_id, no secret."
        }));
    }
    Ok(client)
}

/// `client_id` and `client_secret` from an HTTP Basic `Authorization` value.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let encoded = value.strip_prefix("Basic ")?.trim();
    let decoded = String::from_utf8(BASE64.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// The token endpoint: a code or a refresh token for a new access token.
async fn token_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, TokenError> {
    let form = Params::from_form(&body);
    let client = token_client(&state.config, &headers, &form)?;
    let grant_type = form.get("grant_type").ok_or_else(|| {
        TokenError::invalid_request(
            "grant_type is missing: send authorization_code or refresh_token.",
        )
    })?;
    let now = state.now();
    let mut guard = state.lock();
    let SimState { oauth, rng, .. } = &mut *guard;
    let member = match grant_type {
        "authorization_code" => {
            let code = form.get("code").ok_or_else(|| {
                TokenError::invalid_request("code is missing: send the code the redirect carried.")
            })?;
            oauth.redeem_code(&client.id, code, now)?
        }
        "refresh_token" => {
            if !is_confidential(client) {
                return Err(TokenError::invalid_grant(
                    "Public clients get no refresh tokens: sign in again through /en/OAuth/Authorize.",
                ));
            }
            let token = form
                .get("refresh_token")
                .ok_or_else(|| TokenError::invalid_request("refresh_token is missing."))?;
            oauth.redeem_refresh(&client.id, token, now)?
        }
        other => {
            return Err(TokenError {
                error: "unsupported_grant_type",
                description: format!(
                    "grant_type {other} is not supported: use authorization_code or refresh_token."
                ),
            });
        }
    };
    let answer = oauth.issue_tokens(client, member, rng, now);
    drop(guard);
    Ok(([(CACHE_CONTROL, "no-store")], Json(answer)).into_response())
}
