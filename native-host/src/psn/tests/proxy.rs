//! A tampering proxy in front of the simulator: it forwards every request as it is, except that
//! one chosen hop (a path, and which time it is asked) is dropped, answered in its place, or
//! has a header taken off its answer. That is how a failure is injected at each sign-in step.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use courier_sim::server::{DropConnection, bind, serve};
use tokio::task::JoinHandle;

/// What happens to the chosen hop.
#[derive(Debug, Clone, Copy)]
pub enum Tamper {
    /// The connection closes without an answer (the simulator never sees the request).
    Drop,
    /// This status (with a short page) answers instead of the simulator.
    Answer(StatusCode),
    /// The simulator's answer, without any header of this name.
    Strip(&'static str),
    /// The simulator's answer, with its Location replaced by this one.
    Relocate(&'static str),
}

/// Which hop to tamper with: the `nth` request (from 0) for `path`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The request path (`/login.do`).
    pub path: &'static str,
    /// Which of the requests for that path.
    pub nth: usize,
    /// What to do to it.
    pub tamper: Tamper,
}

/// A running proxy; dropping it stops it.
pub struct Proxy {
    url: String,
    task: JoinHandle<()>,
}

impl Proxy {
    /// A proxy to `upstream` (an `http://` base URL) applying `rule`.
    pub async fn start(upstream: &str, rule: Rule) -> Self {
        let state = Arc::new(Shared {
            upstream: upstream.to_string(),
            client: crate::config::client_builder_trusting(Vec::new())
                .build()
                .expect("a forwarding client"),
            rule,
            seen: AtomicUsize::new(0),
        });
        let listener = bind("127.0.0.1:0".parse().expect("an address"))
            .await
            .expect("the proxy binds");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let app = Router::new().fallback(forward).with_state(state);
        let task = tokio::spawn(serve(listener, app, None));
        Self { url, task }
    }

    /// The proxy's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Shared {
    upstream: String,
    client: reqwest::Client,
    rule: Rule,
    seen: AtomicUsize,
}

/// Headers that belong to one connection, not to the message.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "host" | "connection" | "content-length" | "transfer-encoding" | "keep-alive"
    )
}

async fn forward(State(state): State<Arc<Shared>>, request: Request) -> Response {
    let chosen = request.uri().path() == state.rule.path
        && state.seen.fetch_add(1, Ordering::SeqCst) == state.rule.nth;
    let tamper = chosen.then_some(state.rule.tamper);
    match tamper {
        Some(Tamper::Drop) => {
            let mut response = StatusCode::BAD_GATEWAY.into_response();
            response.extensions_mut().insert(DropConnection);
            return response;
        }
        Some(Tamper::Answer(status)) => {
            return (
                status,
                format!("<html><body>{status} from the proxy</body></html>"),
            )
                .into_response();
        }
        _ => {}
    }
    let (parts, body) = request.into_parts();
    let target = format!(
        "{}{}",
        state.upstream,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut upstream = state.client.request(parts.method, target);
    for (name, value) in &parts.headers {
        if !hop_by_hop(name) {
            upstream = upstream.header(name, value);
        }
    }
    let body = to_bytes(body, 1 << 20).await.expect("a request body");
    let answer = upstream
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        let stripped = matches!(tamper, Some(Tamper::Strip(strip)) if name.as_str().eq_ignore_ascii_case(strip));
        let relocated = matches!(tamper, Some(Tamper::Relocate(_))) && name == "location";
        if !hop_by_hop(name) && !stripped && !relocated {
            response = response.header(name, value);
        }
    }
    if let Some(Tamper::Relocate(location)) = tamper {
        response = response.header("location", location);
    }
    let body = answer.bytes().await.expect("an answer body");
    response.body(Body::from(body)).expect("a response")
}
