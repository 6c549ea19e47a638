//! What the simulator's integration tests share: starting a simulator, an HTTP client that
//! shows every hop, and a signed-in session without going through the sign-in pages.

#![allow(dead_code)]

use std::sync::Once;

use courier_sim::{Sim, SimConfig, ThrottleMode};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

/// Starts a simulator on `127.0.0.1:0` with the demo world and throttles off.
pub async fn sim() -> Sim {
    sim_with(SimConfig {
        throttle: ThrottleMode::Off,
        ..SimConfig::default()
    })
    .await
}

/// Starts a simulator with this configuration.
pub async fn sim_with(config: SimConfig) -> Sim {
    Sim::start(config).await.expect("the simulator starts")
}

/// An HTTP client that follows no redirects, keeps no cookies and trusts the self-signed certificate.
pub fn client() -> reqwest::Client {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(true)
        .build()
        .expect("an HTTP client")
}

/// The three bungie.net session cookies, as the control API hands them out.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Session {
    /// `bungled`, also the `X-CSRF` value.
    pub bungled: String,
    /// `bungleatk`.
    pub bungleatk: String,
    /// `bungledid`.
    pub bungledid: String,
}

impl Session {
    /// The headers of a signed-in Platform request: API key, cookies and `X-CSRF`.
    pub fn headers(&self, api_key: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let mut put = |name: &'static str, value: String| {
            headers.insert(name, HeaderValue::from_str(&value).expect("header value"));
        };
        put("x-api-key", api_key.to_string());
        put(
            "cookie",
            format!(
                "bungled={}; bungleatk={}; bungledid={}",
                self.bungled, self.bungleatk, self.bungledid
            ),
        );
        put("x-csrf", self.bungled.clone());
        headers
    }
}

/// A session for the world's player, opened through `POST /__sim/session`.
pub async fn session(sim: &Sim) -> Session {
    client()
        .post(format!("{}/__sim/session", sim.http_url()))
        .send()
        .await
        .expect("the control API answers")
        .error_for_status()
        .expect("a session is opened")
        .json()
        .await
        .expect("session cookies as JSON")
}

/// GETs a Platform path (with its leading `/Platform`) as the signed-in player; returns status and JSON.
pub async fn get(sim: &Sim, session: &Session, path: &str) -> (u16, Value) {
    let response = client()
        .get(format!("{}{path}", sim.http_url()))
        .headers(session.headers(sim.api_key()))
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON envelope"))
}

/// POSTs a JSON body to a Platform path as the signed-in player; returns status and JSON.
pub async fn post(sim: &Sim, session: &Session, path: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(format!("{}{path}", sim.http_url()))
        .headers(session.headers(sim.api_key()))
        .json(&body)
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON envelope"))
}

/// The state dump of `GET /__sim/state`.
pub async fn state(sim: &Sim) -> Value {
    client()
        .get(format!("{}/__sim/state", sim.http_url()))
        .send()
        .await
        .expect("the control API answers")
        .json()
        .await
        .expect("state as JSON")
}

/// The request log of `GET /__sim/log`.
pub async fn log(sim: &Sim) -> Vec<Value> {
    client()
        .get(format!("{}/__sim/log", sim.http_url()))
        .send()
        .await
        .expect("the control API answers")
        .json()
        .await
        .expect("the log as JSON")
}
