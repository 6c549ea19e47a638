//! What every request passes through: the request log and `--latency` for all of them, and for
//! Platform endpoints the API key check and fault injection.

use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::auth::{self, request_cookies};
use crate::config::FaultKind;
use crate::envelope::{self, LoggedCode, OUTAGE_PAGE, PlatformError};
use crate::faults::RequestClass;
use crate::log::LogEntry;
use crate::server::DropConnection;
use crate::state::AppState;
use crate::throttle::Admitted;

/// The largest request body the simulator reads.
pub const MAX_BODY: usize = 1 << 20;

/// Form fields whose values never reach the request log.
const SECRET_FIELDS: [&str; 4] = ["j_password", "password", "client_secret", "refresh_token"];

/// Put on a request whose GetProfile answer must come from the stale copy.
#[derive(Debug, Clone, Copy)]
pub struct Stale;

/// Logs every request with what was answered, and sends the answer `--latency` after the
/// request came in.
pub async fn log_requests(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let received = Instant::now();
    let arrived = state.now();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body over 1 MiB").into_response();
    };
    let mut entry = LogEntry {
        seq: 0,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        auth: auth::auth_kind(&parts.headers),
        csrf: header_text(&parts.headers, "x-csrf"),
        bungled: request_cookies(&parts.headers)
            .get("bungled")
            .map(|v| v.to_string()),
        origin: header_text(&parts.headers, "origin"),
        body: loggable_body(&parts.headers, &bytes),
        status: 0,
        error_code: None,
        fault: None,
        time_ms: arrived.as_millis() as u64,
    };
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let admitted = response.extensions_mut().remove::<Admitted>();
    entry.status = if response.extensions().get::<DropConnection>().is_some() {
        0
    } else {
        response.status().as_u16()
    };
    entry.error_code = response.extensions().get::<LoggedCode>().map(|c| c.0);
    entry.fault = response.extensions().get::<FaultKind>().copied();
    state.lock().log.push(entry);
    // The action stays in flight until its answer leaves, and ends even when the client goes
    // away during the latency (dropping this future).
    let _in_flight = InFlight {
        state: state.clone(),
        admitted,
    };
    if !state.config.latency.is_zero() {
        wait_until(received + state.config.latency).await;
    }
    response
}

/// Waits until `deadline`, precisely: tokio's timer rounds every wait up to the next whole
/// millisecond, which would make each answer up to a millisecond later than `--latency` says,
/// so the wait is a thread's sleep on tokio's blocking pool. If the client goes away meanwhile,
/// the sleeping thread simply ends on time.
async fn wait_until(deadline: Instant) {
    let remaining = deadline.saturating_duration_since(Instant::now());
    if !remaining.is_zero() {
        // The sleep cannot panic, so the join cannot fail.
        let _ = tokio::task::spawn_blocking(move || std::thread::sleep(remaining)).await;
    }
}

/// An admitted action whose answer is on its way out; dropping it ends the action.
struct InFlight {
    state: AppState,
    admitted: Option<Admitted>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(admitted) = self.admitted.take() {
            self.state.lock().throttle.finish(admitted);
        }
    }
}

/// A header's value as text.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The body as JSON for the log: JSON as sent, forms as an object with secrets blanked.
fn loggable_body(headers: &HeaderMap, bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let fields = url::form_urlencoded::parse(bytes)
            .map(|(name, value)| {
                let value = if SECRET_FIELDS.contains(&name.as_ref()) {
                    "(redacted)".to_string()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), Value::String(value))
            })
            .collect();
        return Some(Value::Object(fields));
    }
    serde_json::from_slice(bytes).ok()
}

/// The class of a Platform request, for deciding which faults may hit it.
pub fn classify(path: &str) -> RequestClass {
    let lower = path.to_ascii_lowercase();
    if lower.contains("/actions/") {
        RequestClass::Action
    } else if lower.contains("/profile/")
        && !lower.contains("/vendors/")
        && !lower.contains("/item/")
        && !lower.contains("/linkedprofiles/")
    {
        RequestClass::ProfileRead
    } else {
        RequestClass::Read
    }
}

/// For Platform endpoints: the API key, then the fault this request draws, if any.
pub async fn platform_gate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Err(error) = auth::check_api_key(request.headers(), &state.config.api_key) {
        return error.into_response();
    }
    let path = request.uri().path().to_string();
    let fault = {
        let mut locked = state.lock();
        if locked.maintenance {
            return PlatformError::new(
                envelope::SYSTEM_DISABLED,
                "This system is temporarily disabled for maintenance. Please try again later.",
            )
            .into_response();
        }
        locked.faults.pick(&path, classify(&path))
    };
    let Some(kind) = fault else {
        return next.run(request).await;
    };
    tracing::info!(fault = kind.name(), %path, "injecting fault");
    let mut response = match kind {
        FaultKind::Throttle => PlatformError::throttled(
            envelope::THROTTLE_MOMENTARILY,
            1,
            "Too many requests: the rate limit was exceeded momentarily. Try again in 1 s.",
        )
        .into_response(),
        FaultKind::GameServerThrottle => PlatformError::new(
            envelope::DESTINY_GAME_SERVER_THROTTLE,
            "The Destiny game servers are busy right now. Please try again shortly.",
        )
        .into_response(),
        FaultKind::ServerError => PlatformError::new(
            envelope::UNHANDLED_EXCEPTION,
            "An unexpected error occurred on bungie.net.",
        )
        .into_response(),
        FaultKind::Html => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            OUTAGE_PAGE,
        )
            .into_response(),
        FaultKind::Drop => {
            // The request takes effect; only its answer is lost.
            let mut response = next.run(request).await;
            response.extensions_mut().insert(DropConnection);
            response
        }
        FaultKind::Stale => {
            request.extensions_mut().insert(Stale);
            next.run(request).await
        }
    };
    response.extensions_mut().insert(kind);
    response
}

/// The answer for paths nothing else serves: Platform paths without their trailing slash are
/// redirected (as bungie.net does, which drops a POST's body and method); the rest are 404.
pub async fn fallback(request: Request) -> Response {
    let uri = request.uri();
    let path = uri.path();
    if path.starts_with("/Platform/") {
        if !path.ends_with('/') {
            let location = match uri.query() {
                Some(query) => format!("{path}/?{query}"),
                None => format!("{path}/"),
            };
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
        return PlatformError::new(
            envelope::NOT_FOUND,
            format!("No Platform endpoint answers {} {path}.", request.method()),
        )
        .into_response();
    }
    (StatusCode::NOT_FOUND, "Not found").into_response()
}
