//! The sign-in's hops, each sent once and checked against what the 2016 flow answers.

use std::error::Error as _;
use std::sync::{Arc, MutexGuard, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use cookie_store::{CookieStore, RawCookie};
use courier_core::api::{ApiRequest, Auth, UserMembershipData, decode};
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{ClientBuilder, RequestBuilder, Response, StatusCode};
use reqwest_cookie_store::CookieStoreMutex;
use url::Url;

use super::cookies::bungie_cookies;
use super::{BrowserCookie, Credentials, Secret, SignInError, SignedIn, Step};
use crate::config::{self, Origins, check_origin};

/// bungie.net's PSN sign-in page (and the `redirect_uri` Sony sends the code back to).
const SIGN_IN_PATH: &str = "/en/User/SignIn/Psnid";
/// Sony's authorize.
const AUTHORIZE_PATH: &str = "/2.0/oauth/authorize";
/// Sony's login page.
const LOGIN_PAGE_PATH: &str = "/login.jsp";
/// Where Sony's login form posts.
const LOGIN_POST_PATH: &str = "/login.do";
/// Sony's session cookie.
const JSESSIONID: &str = "JSESSIONID";
/// Sony's sign-in cookie that a signed-in browser holds.
const NPSSO: &str = "npsso";
/// The header Sony's authorize answers the grant code in.
const GRANT_HEADER: &str = "x-np-grant-code";
/// What a Location says when Sony refused the credentials.
const AUTH_ERROR: &str = "authentication_error";
/// The largest memberships answer read.
const MAX_MEMBERSHIPS_BYTES: usize = 1 << 20;

/// Signs in through PlayStation Network at `origins` with the configured API key
/// ([`config::api_key`] without a flag) and answers the bungie.net session.
pub async fn sign_in(
    origins: &Origins,
    credentials: &Credentials,
) -> Result<SignedIn, SignInError> {
    sign_in_with_api_key(origins, &config::api_key(None), credentials).await
}

/// [`sign_in`] with this API key (for the CLI's `--api-key`).
pub async fn sign_in_with_api_key(
    origins: &Origins,
    api_key: &str,
    credentials: &Credentials,
) -> Result<SignedIn, SignInError> {
    let builder = config::http_client_builder()
        .map_err(|error| SignInError::BadRequest(error.to_string()))?;
    sign_in_using(builder, origins, api_key, credentials).await
}

/// [`sign_in_with_api_key`] on a client built from `builder` (tests trust the simulator's
/// certificate this way).
pub(crate) async fn sign_in_using(
    builder: ClientBuilder,
    origins: &Origins,
    api_key: &str,
    credentials: &Credentials,
) -> Result<SignedIn, SignInError> {
    credentials.validate()?;
    let flow = Flow::new(builder, origins, api_key)?;
    if let Credentials::Npsso(npsso) = credentials {
        flow.set_npsso(npsso)?;
    }
    let authorize = flow.start().await?;
    let code = match flow.authorize(&authorize).await? {
        Authorized::Granted(code) => code,
        Authorized::LoginPage(login_query) => match credentials {
            Credentials::Npsso(_) => return Err(npsso_refused()),
            Credentials::Password { username, password } => {
                let back = flow.login(&login_query, username, password).await?;
                flow.grant(&back).await?
            }
        },
    };
    let cookies = flow.finish(&code).await?;
    let bungled = cookies
        .iter()
        .find(|cookie| cookie.name == "bungled")
        .map(|cookie| cookie.value.clone())
        .unwrap_or_default();
    let bungie_membership_id = flow.member(&bungled).await?;
    Ok(SignedIn {
        cookies,
        bungie_membership_id,
    })
}

/// What Sony's first authorize answered.
enum Authorized {
    /// A grant code at once (a valid `npsso`): bungie.net's sign-in URL with `?code=`.
    Granted(Url),
    /// Its login page: the query the login form carries.
    LoginPage(String),
}

/// One sign-in under way: a client without redirects over a fresh cookie jar.
struct Flow<'a> {
    client: reqwest::Client,
    jar: Arc<CookieStoreMutex>,
    bungie: Url,
    psn: Url,
    api_key: &'a str,
}

impl<'a> Flow<'a> {
    fn new(
        builder: ClientBuilder,
        origins: &Origins,
        api_key: &'a str,
    ) -> Result<Self, SignInError> {
        let origin = |origin: &str, what: &str| {
            check_origin(origin)
                .and_then(|checked| Url::parse(&checked).map_err(|error| error.to_string()))
                .map_err(|reason| {
                    SignInError::BadRequest(format!("{what} {origin:?} cannot be used: {reason}"))
                })
        };
        let bungie = origin(&origins.bungie, "The bungie.net origin")?;
        let psn = origin(&origins.psn, "The PSN origin")?;
        let jar = Arc::new(CookieStoreMutex::new(CookieStore::new()));
        let client = builder
            .cookie_provider(Arc::clone(&jar))
            .build()
            .map_err(|error| {
                SignInError::BadRequest(format!("Cannot set up the HTTP client: {error}"))
            })?;
        Ok(Self {
            client,
            jar,
            bungie,
            psn,
            api_key,
        })
    }

    /// The jar, whatever another holder of the lock did.
    fn jar(&self) -> MutexGuard<'_, CookieStore> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts Sony's `npsso` cookie in the jar, as a signed-in browser holds it.
    fn set_npsso(&self, npsso: &Secret) -> Result<(), SignInError> {
        let cookie = RawCookie::build((NPSSO, npsso.expose().to_string()))
            .path("/")
            .build();
        self.jar()
            .insert_raw(&cookie, &self.psn)
            .map(drop)
            .map_err(|_| {
                SignInError::BadRequest(
                    "The npsso value cannot be stored as a cookie: copy only the cookie's value."
                        .to_string(),
                )
            })
    }

    /// Sends one hop; no answer at all is a `network` error of that step.
    async fn send(&self, step: Step, request: RequestBuilder) -> Result<Response, SignInError> {
        let response = request.send().await.map_err(|error| SignInError::Network {
            step,
            reason: reason(error),
        })?;
        tracing::debug!(
            step = step.name(),
            path = response.url().path(),
            status = response.status().as_u16(),
            "sign-in hop"
        );
        Ok(response)
    }

    /// Step 1: bungie.net's sign-in page sends us to Sony's authorize.
    async fn start(&self) -> Result<Url, SignInError> {
        let step = Step::BungieSignIn;
        let expected = "a redirect to Sony's /2.0/oauth/authorize";
        let response = self
            .send(step, self.client.get(on(&self.bungie, SIGN_IN_PATH, None)))
            .await?;
        match redirect(&response) {
            Some(to) if to.path() == AUTHORIZE_PATH => Ok(on(&self.psn, to.path(), to.query())),
            _ => Err(unexpected(step, expected, &response)),
        }
    }

    /// Step 2: Sony's authorize, which shows its login page (or grants at once for an npsso).
    async fn authorize(&self, authorize: &Url) -> Result<Authorized, SignInError> {
        let step = Step::SonyAuthorize;
        let expected = "a JSESSIONID cookie and a redirect to /login.jsp (or, with an npsso, X-NP-GRANT-CODE and a redirect to /en/User/SignIn/Psnid)";
        let response = self.send(step, self.client.get(authorize.clone())).await?;
        if let Some(code) = self.granted(step, &response)? {
            return Ok(Authorized::Granted(code));
        }
        match redirect(&response) {
            Some(to) if to.path() == LOGIN_PAGE_PATH => {
                if !self.has_cookie(&self.psn, JSESSIONID) {
                    return Err(SignInError::UnexpectedResponse {
                        step,
                        expected: expected.to_string(),
                        got: format!("{} without a JSESSIONID cookie", got(&response)),
                    });
                }
                Ok(Authorized::LoginPage(
                    to.query().unwrap_or_default().to_string(),
                ))
            }
            _ if response.status() == StatusCode::OK => Err(SignInError::CaptchaRequired),
            _ => Err(unexpected(step, expected, &response)),
        }
    }

    /// Step 3: the login form, posted as the login page would; answers the authorize to go back to.
    async fn login(
        &self,
        login_query: &str,
        username: &str,
        password: &Secret,
    ) -> Result<Url, SignInError> {
        let step = Step::SonyLogin;
        let expected = "a redirect back to /2.0/oauth/authorize";
        let params = BASE64.encode(login_query);
        let form = [
            ("j_username", username.trim()),
            ("j_password", password.expose()),
            ("params", params.as_str()),
        ];
        let request = self
            .client
            .post(on(&self.psn, LOGIN_POST_PATH, None))
            .form(&form);
        let response = self.send(step, request).await?;
        match redirect(&response) {
            Some(to) if to.as_str().contains(AUTH_ERROR) => Err(SignInError::InvalidCredentials {
                message: "PlayStation Network did not accept this sign-in ID and password (authentication_error). Check them and try again; if they work on Sony's site, sign in in the browser instead.".to_string(),
            }),
            Some(to) if to.path() == AUTHORIZE_PATH => Ok(on(&self.psn, to.path(), to.query())),
            _ if response.status() == StatusCode::OK => Err(SignInError::CaptchaRequired),
            _ => Err(unexpected(step, expected, &response)),
        }
    }

    /// Step 4: authorize with the signed-in `JSESSIONID` answers the grant code.
    async fn grant(&self, authorize: &Url) -> Result<Url, SignInError> {
        let step = Step::SonyGrant;
        let response = self.send(step, self.client.get(authorize.clone())).await?;
        match self.granted(step, &response)? {
            Some(code) => Ok(code),
            None if response.status() == StatusCode::OK => Err(SignInError::CaptchaRequired),
            None => Err(unexpected(step, GRANT_EXPECTED, &response)),
        }
    }

    /// The code URL on bungie.net's origin, when authorize answered a grant code; `None` when
    /// it answered no `X-NP-GRANT-CODE`; an error when it did but the redirect does not fit it.
    fn granted(&self, step: Step, response: &Response) -> Result<Option<Url>, SignInError> {
        let Some(grant) = response.headers().get(GRANT_HEADER) else {
            return Ok(None);
        };
        let grant = grant.to_str().unwrap_or_default();
        match redirect(response) {
            Some(to)
                if !grant.is_empty()
                    && to.path() == SIGN_IN_PATH
                    && to
                        .query_pairs()
                        .any(|(name, value)| name == "code" && value == grant) =>
            {
                Ok(Some(on(&self.bungie, to.path(), to.query())))
            }
            _ => Err(SignInError::UnexpectedResponse {
                step,
                expected: GRANT_EXPECTED.to_string(),
                got: format!("{} with X-NP-GRANT-CODE", got(response)),
            }),
        }
    }

    /// Step 5: bungie.net takes the code and sets its three cookies.
    async fn finish(&self, code: &Url) -> Result<Vec<BrowserCookie>, SignInError> {
        let step = Step::BungieCode;
        let expected = "HTTP 200 setting the bungled, bungleatk and bungledid cookies";
        let response = self.send(step, self.client.get(code.clone())).await?;
        if response.status() != StatusCode::OK {
            return Err(unexpected(step, expected, &response));
        }
        let (cookies, missing) = bungie_cookies(&self.jar(), &self.bungie);
        if !missing.is_empty() {
            return Err(SignInError::UnexpectedResponse {
                step,
                expected: expected.to_string(),
                got: format!(
                    "{} without the cookie(s) {}",
                    got(&response),
                    missing.join(", ")
                ),
            });
        }
        Ok(cookies)
    }

    /// Step 6: GetMembershipsForCurrentUser with the session answers the bungie.net member id.
    async fn member(&self, bungled: &str) -> Result<String, SignInError> {
        let step = Step::Memberships;
        let expected = "the signed-in member's memberships (ErrorCode 1)";
        let call = ApiRequest::get_memberships_for_current_user();
        let auth = Auth::Cookie {
            bungled: bungled.to_string(),
        };
        let mut request = self.client.get(call.url(self.bungie.as_str()));
        for (name, value) in call.headers(&auth, self.api_key) {
            request = request.header(name, value);
        }
        let mut response = self.send(step, request).await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| SignInError::Network {
                step,
                reason: reason(error),
            })?
        {
            if body.len() + chunk.len() > MAX_MEMBERSHIPS_BYTES {
                return Err(SignInError::UnexpectedResponse {
                    step,
                    expected: expected.to_string(),
                    got: format!("HTTP {status} with an answer over 1 MiB"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        decode::<UserMembershipData>(status, content_type.as_deref(), &body)
            .map(|memberships| memberships.bungie_net_user.membership_id.to_string())
            .map_err(|error| SignInError::UnexpectedResponse {
                step,
                expected: expected.to_string(),
                got: format!("HTTP {status}, {}: {}", error.kind(), error.message()),
            })
    }

    /// Whether the jar holds a cookie of this name for `url`.
    fn has_cookie(&self, url: &Url, name: &str) -> bool {
        self.jar()
            .matches(url)
            .iter()
            .any(|cookie| cookie.name() == name)
    }
}

/// What a grant answer must look like.
const GRANT_EXPECTED: &str =
    "X-NP-GRANT-CODE and a redirect to /en/User/SignIn/Psnid?code= with that same code";

/// The error for a wrong npsso: Sony showed its login page instead of a code.
fn npsso_refused() -> SignInError {
    SignInError::InvalidCredentials {
        message: "PlayStation Network did not accept this npsso cookie (it answered its login page instead of a sign-in code): it has expired or was signed out. Sign in to PlayStation Network in a browser again and copy the new npsso cookie.".to_string(),
    }
}

/// `path` and `query` on `origin` (each hop goes to a configured origin, whatever host the
/// Location names).
fn on(origin: &Url, path: &str, query: Option<&str>) -> Url {
    let mut url = origin.clone();
    url.set_path(path);
    url.set_query(query);
    url
}

/// Where a redirect answer points, resolved against the request's URL.
fn redirect(response: &Response) -> Option<Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    response.url().join(location).ok()
}

/// An answer in a few words: its status, and where it redirects (path only).
fn got(response: &Response) -> String {
    let status = response.status();
    let mut text = format!("HTTP {}", status.as_u16());
    if let Some(reason) = status.canonical_reason() {
        text.push(' ');
        text.push_str(reason);
    }
    if status.is_redirection() {
        match redirect(response) {
            Some(to) => text.push_str(&format!(" to {}", to.path())),
            None => text.push_str(" without a Location"),
        }
    }
    text
}

/// The `unexpected_response` of a step.
fn unexpected(step: Step, expected: &str, response: &Response) -> SignInError {
    SignInError::UnexpectedResponse {
        step,
        expected: expected.to_string(),
        got: got(response),
    }
}

/// Why a request got no answer, without its URL (which may carry a grant code).
fn reason(error: reqwest::Error) -> String {
    if error.is_timeout() {
        return "the request timed out".to_string();
    }
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
