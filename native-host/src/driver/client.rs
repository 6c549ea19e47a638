//! A small bungie.net client: sends courier-core's [`ApiRequest`]s with the API key and, when
//! signed in, the session's cookies and `X-CSRF`; reads the answers the CLI needs (the account,
//! its profile, manifest content) through core's decoders.

use anyhow::Context as _;
use courier_core::api::{
    ApiError, ApiRequest, Auth, Component, Method, UserInfoCard, UserMembershipData, decode,
};
use courier_core::exec::PROFILE_COMPONENTS;
use courier_core::inventory::parse_profile;
use courier_core::model::Inventory;
use serde::de::DeserializeOwned;

use crate::session::SavedSession;

/// What a signed-out answer adds for a person at a shell.
const SIGN_IN_AGAIN: &str =
    " Sign in again with `courier-host login --psn --username EMAIL --password-stdin --save`.";

/// An HTTP answer as core's decoders take it.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// What `Bungie` sends with each request when signed in.
#[derive(Debug, Clone)]
struct SignIn {
    /// The `Cookie` header with the session's cookies.
    cookie_header: String,
    /// `X-CSRF`, from the `bungled` cookie.
    auth: Auth,
}

/// A client of one bungie.net origin, signed in or not.
#[derive(Debug, Clone)]
pub struct Bungie {
    http: reqwest::Client,
    origin: String,
    api_key: String,
    sign_in: Option<SignIn>,
}

impl Bungie {
    /// A client of `origin` (e.g. `https://www.bungie.net`) with this API key, signed in with
    /// `session` when there is one.
    pub fn new(
        http: reqwest::Client,
        origin: &str,
        api_key: String,
        session: Option<&SavedSession>,
    ) -> Self {
        Self {
            http,
            origin: origin.trim_end_matches('/').to_string(),
            api_key,
            sign_in: session.map(|session| SignIn {
                cookie_header: session.cookie_header(),
                auth: Auth::Cookie {
                    bungled: session.bungled().to_string(),
                },
            }),
        }
    }

    /// Whether requests carry a session.
    pub fn is_signed_in(&self) -> bool {
        self.sign_in.is_some()
    }

    /// Sends one request; `Err` only when no answer came (connection refused or dropped, timeout).
    pub async fn send(&self, request: &ApiRequest) -> Result<Answer, reqwest::Error> {
        let url = request.url(&self.origin);
        let mut builder = match request.method {
            Method::Get => self.http.get(url),
            Method::Post => self.http.post(url),
        };
        let auth = self.sign_in.as_ref().map_or(&Auth::Anonymous, |s| &s.auth);
        for (name, value) in request.headers(auth, &self.api_key) {
            builder = builder.header(name, value);
        }
        if let Some(sign_in) = &self.sign_in {
            builder = builder.header(reqwest::header::COOKIE, &sign_in.cookie_header);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string);
        let body = response.bytes().await?.to_vec();
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    /// Sends a request and decodes its `Response` as `T`.
    pub async fn read<T: DeserializeOwned>(&self, request: &ApiRequest) -> anyhow::Result<T> {
        let answer = self.send_or_explain(request).await?;
        decode(answer.status, answer.content_type.as_deref(), &answer.body).map_err(|error| {
            let hint = match error {
                ApiError::SignedOut { .. } => SIGN_IN_AGAIN,
                _ => "",
            };
            anyhow::anyhow!(
                "bungie.net refused {}: {error}{hint}",
                request.endpoint.name()
            )
        })
    }

    /// Sends a request; no answer at all becomes an error that names the request and the origin.
    pub async fn send_or_explain(&self, request: &ApiRequest) -> anyhow::Result<Answer> {
        self.send(request).await.with_context(|| {
            format!(
                "{} got no answer from {}; check the network (or COURIER_BUNGIE_ORIGIN)",
                request.endpoint.name(),
                self.origin
            )
        })
    }

    /// The bytes of a file the manifest points to (a path on the same origin, like
    /// `/common/destiny2_content/json/en/...`).
    pub async fn content(&self, path: &str) -> anyhow::Result<Vec<u8>> {
        anyhow::ensure!(
            path.starts_with('/') && !path.starts_with("//"),
            "the manifest points to {path:?}, which is not a path on {}; Courier only downloads \
             definitions from there",
            self.origin
        );
        let url = format!("{}{path}", self.origin);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("{url} did not answer; check the network"))?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success(),
            "{url} answered HTTP {status}; try again later"
        );
        let body = response
            .bytes()
            .await
            .with_context(|| format!("the download of {url} was cut short; try again"))?;
        Ok(body.to_vec())
    }

    /// The signed-in player's Destiny membership (cross save's primary, else the first).
    pub async fn membership(&self) -> anyhow::Result<UserInfoCard> {
        let memberships: UserMembershipData = self
            .read(&ApiRequest::get_memberships_for_current_user())
            .await?;
        memberships.primary().cloned().context(
            "this bungie.net account has no Destiny 2 membership; link a platform account on \
             bungie.net first",
        )
    }

    /// The signed-in player's profile with these components, as an inventory.
    pub async fn profile(&self, components: &[Component]) -> anyhow::Result<Inventory> {
        let membership = self.membership().await?;
        let request = ApiRequest::get_profile(
            membership.membership_type,
            membership.membership_id,
            components,
        );
        let answer = self.send_or_explain(&request).await?;
        parse_profile(&answer.body).context("the profile could not be read")
    }

    /// The signed-in player's whole inventory (the components the executor reads).
    pub async fn inventory(&self) -> anyhow::Result<Inventory> {
        self.profile(&PROFILE_COMPONENTS).await
    }
}
