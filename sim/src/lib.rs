//! courier-sim: a local bungie.net and Sony sign-in, faithful enough that every part of Courier
//! is built and tested against it instead of the real services.
//!
//! One listener serves both sides: bungie.net's Platform API (`/Platform/...`), its website
//! sign-in and OAuth pages (`/en/User/SignIn/...`, `/en/OAuth/...`), the manifest content
//! (`/common/destiny2_content/...`), Sony's sign-in (`/2.0/oauth/authorize`, `/login.jsp`,
//! `/login.do`), and a control API for tests under `/__sim/`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), courier_sim::SimError> {
//! let sim = courier_sim::Sim::start(courier_sim::SimConfig::default()).await?;
//! let profile_url = format!("{}/Platform/Destiny2/Manifest/", sim.http_url());
//! # let _ = profile_url; Ok(()) }
//! ```

pub mod auth;
pub mod clock;
pub mod config;
pub mod control;
pub mod envelope;
pub mod faults;
pub mod gate;
pub mod log;
pub mod manifest;
pub mod origin;
pub mod platform;
pub mod server;
pub mod signin;
pub mod state;
pub mod throttle;
pub mod world;

use axum::Router;
use serde_json::json;
use tokio::task::JoinHandle;

pub use config::{
    DEFAULT_API_KEY, FaultKind, FaultRates, OAuthClient, SimConfig, ThrottleMode, WorldSource,
};
pub use state::{AppState, Shared};
pub use world::World;

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The world could not be made or loaded.
    #[error(transparent)]
    World(#[from] world::import::WorldError),
    /// A listener could not start.
    #[error(transparent)]
    Listen(#[from] server::ListenError),
}

/// The whole simulator as one router, for in-process tests (`oneshot`) and for the listeners.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(platform::router(state.clone()))
        .merge(manifest::content_router())
        .merge(signin::router())
        .fallback(gate::fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::log_requests,
        ))
        .nest("/__sim", control::router())
        .with_state(state)
}

/// A running simulator. Dropping it stops the listeners.
#[derive(Debug)]
pub struct Sim {
    http: Option<String>,
    https: Option<String>,
    certificate_pem: Option<String>,
    state: AppState,
    tasks: Vec<JoinHandle<()>>,
}

impl Sim {
    /// Loads the world and starts the listeners the configuration asks for.
    pub async fn start(config: SimConfig) -> Result<Self, SimError> {
        let world = world::load(&config.world, config.seed)?;
        let state = Shared::new(config.clone(), world);
        let router = app(state.clone());
        let mut tasks = Vec::new();
        let mut http = None;
        let mut https = None;
        let mut certificate_pem = None;
        if let Some(addr) = config.http {
            let listener = server::bind(addr).await?;
            http = Some(local_url("http", &listener));
            tasks.push(tokio::spawn(server::serve(listener, router.clone(), None)));
        }
        if let Some(addr) = config.https {
            let (acceptor, pem) = server::self_signed_acceptor()?;
            certificate_pem = Some(pem);
            let listener = server::bind(addr).await?;
            https = Some(local_url("https", &listener));
            tasks.push(tokio::spawn(server::serve(
                listener,
                router,
                Some(acceptor),
            )));
        }
        Ok(Self {
            http,
            https,
            certificate_pem,
            state,
            tasks,
        })
    }

    /// The plain HTTP base URL (`http://127.0.0.1:PORT`).
    ///
    /// # Panics
    /// When the simulator was started without an HTTP listener.
    pub fn http_url(&self) -> &str {
        self.http
            .as_deref()
            .expect("this simulator was started without --http")
    }

    /// The HTTPS base URL, when it serves TLS.
    pub fn https_url(&self) -> Option<&str> {
        self.https.as_deref()
    }

    /// The self-signed certificate of the HTTPS listener, in PEM, when it serves TLS.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate_pem.as_deref()
    }

    /// The API key the simulator accepts.
    pub fn api_key(&self) -> &str {
        &self.state.config.api_key
    }

    /// The shared state, for tests that look inside.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The one JSON line `courier-sim serve` prints when ready.
    pub fn ready_line(&self) -> String {
        json!({ "http": self.http, "https": self.https, "api_key": self.api_key() }).to_string()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// `scheme://ip:port` of a bound listener.
fn local_url(scheme: &str, listener: &tokio::net::TcpListener) -> String {
    match listener.local_addr() {
        Ok(addr) => format!("{scheme}://{addr}"),
        Err(_) => format!("{scheme}://127.0.0.1"),
    }
}
