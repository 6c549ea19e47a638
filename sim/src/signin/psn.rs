//! The 2016 PlayStation Network sign-in, as bungie.net and Sony ran it.
//!
//! bungie.net's `GET /en/User/SignIn/Psnid` sends the browser to Sony's `/2.0/oauth/authorize`.
//! Sony answers a grant code at once when the browser has a valid `npsso` cookie or a signed-in
//! `JSESSIONID`; otherwise it sets a new `JSESSIONID` and shows `/login.jsp`, whose form posts to
//! `/login.do`. A good login sets a new, signed-in `JSESSIONID` and goes back to authorize, which
//! redirects to `/en/User/SignIn/Psnid?code=...` with header `X-NP-GRANT-CODE`; there bungie.net
//! sets its three session cookies on a 200 page that sends the browser on.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use url::Url;
use url::form_urlencoded::Serializer;

use super::cookie::{Cookie, Lifetime};
use super::expiring::Expiring;
use super::html::{PageError, escape, forwarding_page, link, page};
use super::params::Params;
use super::site::session_cookie_headers;
use super::{found, with_query};
use crate::auth::request_cookies;
use crate::origin::Origins;
use crate::state::{AppState, SimState};

/// bungie.net's PSN sign-in page, and the `redirect_uri` it registers with Sony.
pub const SIGN_IN_PATH: &str = "/en/User/SignIn/Psnid";

/// The client id bungie.net signs in to Sony with.
pub const BUNGIE_PSN_CLIENT_ID: &str = "4db3729d-4591-457a-807a-1cf01e60c3ac";

/// The scope bungie.net asks Sony for.
const PSN_SCOPE: &str = "psn:s2s";

/// Sony's session cookie.
const JSESSIONID: &str = "JSESSIONID";

/// The header Sony's authorize answers the grant code in.
const X_NP_GRANT_CODE: HeaderName = HeaderName::from_static("x-np-grant-code");

/// The query field that makes `login.jsp` say the credentials were wrong.
const AUTH_ERROR_FIELD: &str = "authentication_error";

/// How long a grant code can be exchanged.
const GRANT_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// How long a Sony `JSESSIONID` lasts.
const SONY_SESSION_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// How long bungie.net waits for a sign-in it started to come back.
const PENDING_SIGN_IN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Sony's side of the sign-in (sessions and grant codes), and bungie.net's pending sign-ins.
#[derive(Debug, Default)]
pub struct PsnState {
    /// Sony's `JSESSIONID`s and how far each got.
    sessions: Expiring<SonySession>,
    /// Grant codes, each for a bungie.net member.
    grants: Expiring<i64>,
    /// bungie.net's sign-ins under way: `state` to the path to return to (`bru`).
    pending: Expiring<String>,
    /// Whether `login.do` answers a captcha challenge instead of signing in.
    captcha_required: bool,
}

/// How far a Sony session got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SonySession {
    /// The login page was shown.
    SigningIn,
    /// The player signed in with their credentials.
    SignedIn,
}

impl PsnState {
    /// Makes `login.do` answer a captcha challenge (as Sony's does today) instead of signing in.
    pub fn set_captcha_required(&mut self, on: bool) {
        self.captcha_required = on;
    }
}

/// `/en/User/SignIn/Psnid`, `/2.0/oauth/authorize`, `/login.jsp`, `/login.do`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(SIGN_IN_PATH, get(psnid_get))
        .route("/2.0/oauth/authorize", get(authorize_get))
        .route("/login.jsp", get(login_page_get))
        .route("/login.do", post(login_post))
}

/// bungie.net's PSN sign-in: without `code` it starts one, with `code` it finishes it.
async fn psnid_get(
    State(state): State<AppState>,
    origins: Origins,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let params = Params::from_query(query.as_deref());
    match params.get("code") {
        None => start_sign_in(&state, &origins, params.get("bru").unwrap_or("/")),
        Some(code) => finish_sign_in(&state, &origins, code, params.get("state")),
    }
}

/// Remembers where to return to and sends the browser to Sony's authorize.
fn start_sign_in(state: &AppState, origins: &Origins, bru: &str) -> Result<Response, PageError> {
    if !is_same_site_path(bru) {
        return Err(PageError::bad_request(
            "Bungie.net could not start the sign-in",
            format!(
                "bru {bru:?} is not a path on this site: it must start with a single / (for example /en/OAuth/Authorize?client_id=...)."
            ),
        ));
    }
    let now = state.now();
    let token = {
        let mut guard = state.lock();
        let SimState { psn, rng, .. } = &mut *guard;
        psn.pending
            .issue(bru.to_string(), PENDING_SIGN_IN_LIFETIME, rng, now)
    };
    let query = Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", BUNGIE_PSN_CLIENT_ID)
        .append_pair("redirect_uri", &sign_in_url(origins))
        .append_pair("scope", PSN_SCOPE)
        .append_pair("request_locale", "en")
        .append_pair("state", &token)
        .finish();
    Ok(found(
        format!("{}/2.0/oauth/authorize?{query}", origins.psn),
        (),
    ))
}

/// Whether `path` stays on this site: `/...`, not `//host` or `/\host`, and URL-safe.
fn is_same_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.bytes().all(|b| b.is_ascii_graphic())
}

/// Exchanges the grant code for a bungie.net session and sets its cookies on this answer.
fn finish_sign_in(
    state: &AppState,
    origins: &Origins,
    code: &str,
    sign_in: Option<&str>,
) -> Result<Response, PageError> {
    let failed = |message: &str| {
        PageError::bad_request("Bungie.net could not sign you in", message)
            .with_link(sign_in_url(origins), "Sign in again")
    };
    let now = state.now();
    let mut guard = state.lock();
    let SimState {
        psn, sessions, rng, ..
    } = &mut *guard;
    let member = psn.grants.take(code, now).map_err(|missing| {
        failed(missing.either(
            "The PlayStation Network code is unknown or was already used: each code signs in once.",
            "The PlayStation Network code has expired: codes last 5 minutes.",
        ))
    })?;
    let sign_in = sign_in.ok_or_else(|| {
        failed("The sign-in came back without its state, so bungie.net cannot tell which sign-in it finishes.")
    })?;
    let bru = psn.pending.take(sign_in, now).map_err(|missing| {
        failed(missing.either(
            "This sign-in's state is unknown or was already used.",
            "This sign-in took over 30 minutes and has expired.",
        ))
    })?;
    let cookies = sessions.open(member, rng);
    drop(guard);
    let body = format!(
        "<p>You are signed in. Taking you on to {}.</p>",
        link(&bru, "where you were going")
    );
    Ok((
        AppendHeaders(session_cookie_headers(&cookies, origins.secure)),
        forwarding_page("Signed in", &bru, &body),
    )
        .into_response())
}

/// bungie.net's sign-in page as an absolute URL.
fn sign_in_url(origins: &Origins) -> String {
    format!("{}{SIGN_IN_PATH}", origins.bungie)
}

/// Sony's authorize query, checked: what `login.jsp` and `login.do` carry along.
#[derive(Debug, Clone)]
struct AuthorizeQuery {
    /// The query as sent, minus any `authentication_error` pair.
    raw: String,
    /// Where the grant code goes (bungie.net's sign-in page).
    redirect_uri: Url,
    /// bungie.net's state, handed back with the code.
    state: Option<String>,
}

impl AuthorizeQuery {
    /// Checks a query against bungie.net's registration with Sony.
    fn parse(query: &str) -> Result<Self, PageError> {
        let bad =
            |message: String| PageError::bad_request("Sony could not start the sign-in", message);
        if !query.bytes().all(|b| b.is_ascii_graphic() && b != b'#') {
            return Err(bad(
                "The sign-in query contains characters a URL query cannot carry.".to_string(),
            ));
        }
        let raw = query
            .split('&')
            .filter(|pair| pair.split('=').next() != Some(AUTH_ERROR_FIELD))
            .collect::<Vec<_>>()
            .join("&");
        let params = Params::from_query(Some(&raw));
        if params.get("response_type") != Some("code") {
            return Err(bad(
                "response_type must be code: this authorize endpoint hands out grant codes only."
                    .to_string(),
            ));
        }
        match params.get("client_id") {
            Some(BUNGIE_PSN_CLIENT_ID) => {}
            Some(other) => {
                return Err(bad(format!(
                    "client_id {other} is not a client Sony knows; bungie.net signs in as {BUNGIE_PSN_CLIENT_ID}."
                )));
            }
            None => return Err(bad("client_id is missing.".to_string())),
        }
        let redirect = params.get("redirect_uri").unwrap_or_default();
        let redirect_uri = Url::parse(redirect)
            .ok()
            .filter(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.path() == SIGN_IN_PATH
                    && url.query().is_none()
                    && url.fragment().is_none()
            })
            .ok_or_else(|| {
                bad(format!(
                    "redirect_uri {redirect:?} is not registered for this client: it must be bungie.net's {SIGN_IN_PATH}, with no query."
                ))
            })?;
        let state = params.get("state").map(str::to_string);
        Ok(Self {
            raw,
            redirect_uri,
            state,
        })
    }

    /// The redirect that hands a grant code back to bungie.net.
    fn grant_redirect(&self, grant: &str) -> Response {
        let mut pairs = vec![("code", grant)];
        if let Some(state) = &self.state {
            pairs.push(("state", state));
        }
        found(
            with_query(self.redirect_uri.clone(), &pairs),
            [(X_NP_GRANT_CODE, grant.to_string())],
        )
    }
}

/// The `Set-Cookie` of a Sony session.
fn session_cookie(id: &str, secure: bool) -> (HeaderName, String) {
    Cookie {
        name: JSESSIONID,
        value: id,
        http_only: true,
        lifetime: Lifetime::Session,
    }
    .header(secure)
}

/// Sony's authorize: a grant code for a signed-in browser, else a new session and the login page.
async fn authorize_get(
    State(state): State<AppState>,
    origins: Origins,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let query = AuthorizeQuery::parse(query.as_deref().unwrap_or_default())
        .map_err(|error| error.with_link(sign_in_url(&origins), "Start again"))?;
    let cookies = request_cookies(&headers);
    let now = state.now();
    let mut guard = state.lock();
    let SimState {
        psn, world, rng, ..
    } = &mut *guard;
    let npsso = world.account.npsso.as_str();
    let signed_in = (!npsso.is_empty() && cookies.get("npsso") == Some(&npsso))
        || cookies
            .get(JSESSIONID)
            .is_some_and(|id| psn.sessions.get(id, now) == Ok(&SonySession::SignedIn));
    if signed_in {
        let grant = psn
            .grants
            .issue(world.account.bungie_membership_id, GRANT_LIFETIME, rng, now);
        return Ok(query.grant_redirect(&grant));
    }
    let session = psn
        .sessions
        .issue(SonySession::SigningIn, SONY_SESSION_LIFETIME, rng, now);
    drop(guard);
    Ok(found(
        format!("{}/login.jsp?{}", origins.psn, query.raw),
        [session_cookie(&session, origins.secure)],
    ))
}

/// Sony's login form; its hidden `params` is the base64 of the authorize query.
async fn login_page_get(
    origins: Origins,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let query = query.unwrap_or_default();
    let failed = Params::from_query(Some(&query)).get(AUTH_ERROR_FIELD) == Some("true");
    let authorize = AuthorizeQuery::parse(&query)
        .map_err(|error| error.with_link(sign_in_url(&origins), "Start again"))?;
    let error = if failed {
        "<p class=\"error\" id=\"authentication-error\">The sign-in ID (email address) or password you entered is not correct.</p>\n"
    } else {
        ""
    };
    let body = format!(
        "{error}<form method=\"post\" action=\"/login.do\">\n\
<p><label for=\"j_username\">Sign-In ID (Email Address)</label> <input type=\"email\" id=\"j_username\" name=\"j_username\" autocomplete=\"username\" required></p>\n\
<p><label for=\"j_password\">Password</label> <input type=\"password\" id=\"j_password\" name=\"j_password\" autocomplete=\"current-password\" required></p>\n\
<input type=\"hidden\" name=\"params\" value=\"{}\">\n\
<p><button type=\"submit\" id=\"sign-in\">Sign In</button></p>\n</form>",
        escape(&BASE64.encode(&authorize.raw))
    );
    Ok(page(
        StatusCode::OK,
        "Sign In to PlayStation Network",
        &body,
    ))
}

/// Sony's login: checks the session and credentials, then back to authorize (or the login page).
async fn login_post(
    State(state): State<AppState>,
    origins: Origins,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = Params::from_form(&body);
    let restart = |error: PageError| error.with_link(sign_in_url(&origins), "Start again");
    let expired = |message: &str| {
        restart(PageError::bad_request(
            "Your sign-in session has expired",
            message,
        ))
    };
    let cookies = request_cookies(&headers);
    let Some(session) = cookies.get(JSESSIONID).copied() else {
        return Err(expired(
            "Your browser did not send the JSESSIONID cookie that Sony's sign-in page sets, so this login cannot be matched to a sign-in. Allow cookies for this site and start again.",
        ));
    };
    let authorize = decode_params(form.get("params")).map_err(restart)?;
    let now = state.now();
    let mut guard = state.lock();
    let SimState {
        psn, world, rng, ..
    } = &mut *guard;
    if let Err(missing) = psn.sessions.get(session, now) {
        return Err(expired(missing.either(
            "The JSESSIONID cookie your browser sent is not a sign-in session Sony knows. Start again.",
            "The JSESSIONID cookie your browser sent belongs to a sign-in that waited over an hour. Start again.",
        )));
    }
    if psn.captcha_required {
        return Ok(captcha_page());
    }
    let account = &world.account;
    let right_user = form
        .get("j_username")
        .is_some_and(|user| user.trim().eq_ignore_ascii_case(&account.email));
    let right_password = form.get("j_password") == Some(account.password.as_str());
    if !(right_user && right_password) {
        return Ok(found(
            format!(
                "{}/login.jsp?{AUTH_ERROR_FIELD}=true&{}",
                origins.psn, authorize.raw
            ),
            (),
        ));
    }
    psn.sessions.remove(session);
    let signed_in = psn
        .sessions
        .issue(SonySession::SignedIn, SONY_SESSION_LIFETIME, rng, now);
    drop(guard);
    Ok(found(
        format!("{}/2.0/oauth/authorize?{}", origins.psn, authorize.raw),
        [session_cookie(&signed_in, origins.secure)],
    ))
}

/// The authorize query carried in the login form's `params` (base64 of the login page's query).
fn decode_params(params: Option<&str>) -> Result<AuthorizeQuery, PageError> {
    let unreadable = || {
        PageError::bad_request(
            "Sony could not read the sign-in form",
            "The form's params field must be the base64 of the sign-in page's query string. Open the sign-in page again and send its form as it is.",
        )
    };
    let bytes = BASE64
        .decode(params.ok_or_else(unreadable)?)
        .map_err(|_| unreadable())?;
    let query = String::from_utf8(bytes).map_err(|_| unreadable())?;
    AuthorizeQuery::parse(&query)
}

/// What Sony's login answers today: a captcha a script cannot solve.
fn captcha_page() -> Response {
    page(
        StatusCode::OK,
        "Verify that you are not a robot",
        "<p>Sony needs you to solve a captcha challenge before you sign in.</p>\n\
<div id=\"captcha-challenge\" class=\"captcha\">captcha challenge</div>\n\
<p>Sign in once in a browser, then sign in with its npsso cookie instead of a password.</p>",
    )
}
