//! courier-tests: tests that span Courier's components, each run against courier-sim.
//!
//! This library is their shared harness: a simulator with a signed-in session, a client that
//! sends courier-core's [`ApiRequest`]s to it, and a driver that runs courier-core's executor
//! against it on the simulator's clock (waits skip simulated time instead of sleeping).

use std::sync::Once;
use std::time::Duration;

use courier_core::api::{ApiRequest, Auth, DestinyManifest, Method, decode};
use courier_core::defs::{BUCKET_TABLE, ITEM_TABLE};
use courier_core::exec::{Executor, Poll, Report};
use courier_core::model::{Definitions, Inventory};
use courier_sim::{Sim, SimConfig};

/// An HTTP client that trusts the simulator's self-signed certificate and follows no redirects.
pub fn http_client() -> reqwest::Client {
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

/// The three bungie.net cookies of a session the control API opened.
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
    /// The `Cookie` header a browser would send with them.
    pub fn cookie_header(&self) -> String {
        format!(
            "bungled={}; bungleatk={}; bungledid={}",
            self.bungled, self.bungleatk, self.bungledid
        )
    }
}

/// Opens a bungie.net session for the simulator's player through `POST /__sim/session`.
pub async fn open_session(sim: &Sim) -> Session {
    http_client()
        .post(format!("{}/__sim/session", sim.http_url()))
        .send()
        .await
        .expect("the control API answers")
        .json()
        .await
        .expect("session cookies")
}

/// An answer as a driver hands it to core.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The content type, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// A running simulator with the player signed in through a cookie session.
pub struct Signed {
    /// The simulator.
    pub sim: Sim,
    /// `Cookie` header value of the session.
    cookies: String,
    /// How requests authenticate (`X-CSRF` = `bungled`).
    pub auth: Auth,
    client: reqwest::Client,
}

impl Signed {
    /// Starts a simulator and opens a session for its player through the control API.
    pub async fn start(config: SimConfig) -> Self {
        let sim = Sim::start(config).await.expect("the simulator starts");
        let session = open_session(&sim).await;
        let auth = Auth::Cookie {
            bungled: session.bungled.clone(),
        };
        Self {
            sim,
            cookies: session.cookie_header(),
            auth,
            client: http_client(),
        }
    }

    /// Sends a core request with the session; `Err` when the connection failed.
    pub async fn send(&self, request: &ApiRequest) -> Result<Answer, reqwest::Error> {
        let url = request.url(self.sim.http_url());
        let mut builder = match request.method {
            Method::Get => self.client.get(url),
            Method::Post => self.client.post(url),
        };
        for (name, value) in request.headers(&self.auth, self.sim.api_key()) {
            builder = builder.header(name, value);
        }
        builder = builder.header("cookie", &self.cookies);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let response = builder.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.bytes().await?.to_vec();
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    /// The GetProfile request for the player, with the components the executor reads.
    pub fn profile_request(&self) -> ApiRequest {
        let account = self.sim.state().lock().world.account.clone();
        ApiRequest::get_profile(
            account.membership_type,
            account.destiny_membership_id,
            &courier_core::exec::PROFILE_COMPONENTS,
        )
    }

    /// The player's inventory, read through GetProfile and courier-core's parser.
    pub async fn inventory(&self) -> Inventory {
        let request = self.profile_request();
        // Random faults may hit this read too: try a few times.
        let mut last_error = String::new();
        for _ in 0..20 {
            match self.send(&request).await {
                Ok(answer) => match courier_core::inventory::parse_profile(&answer.body) {
                    Ok(inventory) => return inventory,
                    Err(error) => last_error = error.to_string(),
                },
                Err(error) => last_error = error.to_string(),
            }
        }
        panic!("the profile never answered: {last_error}");
    }

    /// The definitions, read from the manifest tables the simulator serves.
    pub async fn definitions(&self) -> Definitions {
        let items = self.table(ITEM_TABLE).await;
        let buckets = self.table(BUCKET_TABLE).await;
        Definitions::from_tables(&items, &buckets).expect("readable tables")
    }

    /// The bytes of one manifest table (`DestinyInventoryItemDefinition`, say), downloaded from
    /// the path the manifest gives for it.
    pub async fn table(&self, name: &str) -> Vec<u8> {
        let manifest: DestinyManifest = self.read(&ApiRequest::get_destiny_manifest()).await;
        let path = manifest
            .json_world_component_content_paths
            .get("en")
            .and_then(|paths| paths.get(name))
            .cloned()
            .expect("the table is listed in English");
        self.content(&path).await
    }

    /// A Platform read that retries through injected faults until it decodes.
    async fn read<T: serde::de::DeserializeOwned>(&self, request: &ApiRequest) -> T {
        let mut last_error = String::new();
        for _ in 0..20 {
            match self.send(request).await {
                Ok(answer) => {
                    match decode(answer.status, answer.content_type.as_deref(), &answer.body) {
                        Ok(value) => return value,
                        Err(error) => last_error = error.to_string(),
                    }
                }
                Err(error) => last_error = error.to_string(),
            }
        }
        panic!("{} never answered: {last_error}", request.path);
    }

    async fn content(&self, path: &str) -> Vec<u8> {
        self.client
            .get(format!("{}{path}", self.sim.http_url()))
            .send()
            .await
            .expect("the content answers")
            .bytes()
            .await
            .expect("a body")
            .to_vec()
    }

    /// The simulator's clock, which the driver uses as the executor's clock.
    pub fn now(&self) -> Duration {
        self.sim.state().now()
    }

    /// Queues faults for the next matching Platform requests.
    pub fn queue_fault(&self, kind: courier_sim::FaultKind, path_contains: &str, count: usize) {
        let fault = courier_sim::faults::QueuedFault {
            kind,
            path_contains: Some(path_contains.to_string()),
        };
        self.sim
            .state()
            .lock()
            .faults
            .queue(std::iter::repeat_n(fault, count));
    }

    /// The request log entries for one endpoint name (e.g. `TransferItem`).
    pub fn logged(&self, endpoint: &str) -> Vec<courier_sim::log::LogEntry> {
        self.sim
            .state()
            .lock()
            .log
            .entries()
            .iter()
            .filter(|e| e.path.contains(&format!("/{endpoint}/")))
            .cloned()
            .collect()
    }
}

/// How a driver spends the executor's waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waits {
    /// Skips them on the simulator's clock, so tests never wait.
    Skip,
    /// Sleeps them out, as a real driver does (the benchmarks time that).
    Sleep,
}

/// Runs an executor to the end against the simulator, on the simulator's clock: a wait skips
/// simulated time. `after_each` sees the executor after every answer (to stop it, say).
/// Returns the report, or `None` when `after_each` asked to stop.
pub async fn drive(
    signed: &Signed,
    executor: &mut Executor,
    definitions: &Definitions,
    after_each: impl FnMut(&Executor) -> bool,
) -> Option<Report> {
    drive_with(signed, executor, definitions, Waits::Skip, after_each).await
}

/// [`drive`], spending the executor's waits as `waits` says.
pub async fn drive_with(
    signed: &Signed,
    executor: &mut Executor,
    definitions: &Definitions,
    waits: Waits,
    mut after_each: impl FnMut(&Executor) -> bool,
) -> Option<Report> {
    for _ in 0..10_000 {
        let now = signed.now();
        match executor.poll(now) {
            Poll::Done(report) => return Some(report),
            Poll::Wait(until) => match waits {
                Waits::Skip => signed.sim.state().clock.advance(until.saturating_sub(now)),
                Waits::Sleep => tokio::time::sleep(until.saturating_sub(now)).await,
            },
            Poll::Pending => panic!("the driver answers every request before polling again"),
            Poll::Send(outgoing) => {
                match signed.send(&outgoing.request).await {
                    Ok(answer) => executor.handle_response(
                        definitions,
                        outgoing.id,
                        answer.status,
                        answer.content_type.as_deref(),
                        &answer.body,
                        signed.now(),
                    ),
                    Err(_) => executor.handle_failure(outgoing.id, signed.now()),
                }
                if !after_each(executor) {
                    return None;
                }
            }
        }
    }
    panic!("the executor did not finish in 10000 polls");
}
