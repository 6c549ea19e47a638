//! The request log tests read through the control API: what was asked, how it authenticated,
//! and what the simulator answered.

use serde::Serialize;
use serde_json::Value;

use crate::auth::AuthKind;
use crate::config::FaultKind;

/// One answered request.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// How the request tried to authenticate.
    pub auth: AuthKind,
    /// The `X-CSRF` header, if sent.
    pub csrf: Option<String>,
    /// The `bungled` cookie, if sent.
    pub bungled: Option<String>,
    /// The `Origin` header, if sent.
    pub origin: Option<String>,
    /// The JSON body, if the request had one that parsed.
    pub body: Option<Value>,
    /// The HTTP status answered (0 when the connection was dropped).
    pub status: u16,
    /// The envelope `ErrorCode` answered, for Platform answers.
    pub error_code: Option<i32>,
    /// The fault injected into this answer, if any.
    pub fault: Option<FaultKind>,
    /// Simulated time of arrival, in milliseconds since the simulator started.
    pub time_ms: u64,
}

/// Every answered request, in order.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Vec<LogEntry>,
}

impl RequestLog {
    /// Appends an entry, numbering it.
    pub fn push(&mut self, mut entry: LogEntry) {
        entry.seq = self.entries.len() as u64 + 1;
        self.entries.push(entry);
    }

    /// All entries.
    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
