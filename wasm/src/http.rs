//! bungie.net through the browser's fetch (gloo-net): core's [`ApiRequest`] sent with the API
//! key and the connection's sign-in, and the answer handed back as core's decoders take it.

use courier_core::api::{ApiRequest, Auth, Method, UserInfoCard};
use gloo_net::http::{RequestBuilder, Response};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

use crate::error::CourierError;
use crate::js::from_js;

/// Where and how to reach bungie.net, as the extension passes it:
/// `{ origin, apiKey, auth?: {kind:"cookie", bungled} | {kind:"bearer", token}, membership? }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// `https://www.bungie.net`, or the sandbox.
    pub origin: String,
    /// The application's API key.
    pub api_key: String,
    /// The sign-in; absent or `null` for the public endpoints only.
    #[serde(default)]
    pub auth: Option<SignIn>,
    /// The Destiny membership from an earlier `fetchProfile`, to skip asking for it again.
    #[serde(default)]
    pub membership: Option<UserInfoCard>,
}

/// How requests are signed in.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignIn {
    /// The browser's bungie.net session: its cookies go along, `X-CSRF` is `bungled`.
    Cookie {
        /// The `bungled` cookie's value.
        bungled: String,
    },
    /// An OAuth access token.
    Bearer {
        /// The token.
        token: String,
    },
}

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

impl Connection {
    /// Reads the `connection` argument.
    pub fn from_js(value: JsValue) -> Result<Self, CourierError> {
        from_js("connection", value)
    }

    /// The sign-in as core's request headers take it.
    fn auth(&self) -> Auth {
        match &self.auth {
            Some(SignIn::Cookie { bungled }) => Auth::Cookie {
                bungled: bungled.clone(),
            },
            Some(SignIn::Bearer { token }) => Auth::Bearer(token.clone()),
            None => Auth::Anonymous,
        }
    }

    /// Sends one request; `Err` only when no answer came (fetch rejected).
    pub async fn send(&self, request: &ApiRequest) -> Result<Answer, gloo_net::Error> {
        let method = match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
        };
        let mut builder = RequestBuilder::new(&request.url(&self.origin)).method(method);
        for (name, value) in request.headers(&self.auth(), &self.api_key) {
            builder = builder.header(name, &value);
        }
        if matches!(self.auth, Some(SignIn::Cookie { .. })) {
            builder = builder.credentials(RequestCredentials::Include);
        }
        let response = match &request.body {
            Some(body) => builder.body(body.as_str())?.send().await?,
            None => builder.send().await?,
        };
        answer(response).await
    }

    /// Sends one request; no answer at all is a `network` error naming the endpoint.
    pub async fn send_or_explain(&self, request: &ApiRequest) -> Result<Answer, CourierError> {
        self.send(request)
            .await
            .map_err(|error| CourierError::network(request.endpoint.name(), &self.origin, error))
    }

    /// The bytes of a file on the same origin (a manifest table path like
    /// `/common/destiny2_content/json/en/...`); a path elsewhere, a failed download or an
    /// error status is a `definitions` error.
    pub async fn content(&self, path: &str) -> Result<Vec<u8>, CourierError> {
        if !path.starts_with('/') || path.starts_with("//") {
            return Err(CourierError::new(
                "definitions",
                format!(
                    "The manifest points to {path:?}, which is not a path on {}; Courier only downloads definitions from there.",
                    self.origin
                ),
            ));
        }
        let url = format!("{}{path}", self.origin.trim_end_matches('/'));
        let failed = |reason: String| {
            CourierError::new(
                "definitions",
                format!("The download of {url} failed ({reason}); try again later."),
            )
        };
        let response = RequestBuilder::new(&url)
            .send()
            .await
            .map_err(|error| failed(error.to_string()))?;
        if !response.ok() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        response
            .binary()
            .await
            .map_err(|error| failed(error.to_string()))
    }
}

/// Reads the whole answer.
async fn answer(response: Response) -> Result<Answer, gloo_net::Error> {
    Ok(Answer {
        status: response.status(),
        content_type: response.headers().get("content-type"),
        body: response.binary().await?,
    })
}
