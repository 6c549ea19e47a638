//! The walk over the simulator's endpoints: requests labelled with their spec operation, the
//! checks of each answer against that operation's schema, the probe for endpoints the walk
//! forgot, and the manifest's content tables entity by entity.

pub mod dump;

use serde_json::{Value, json};

use crate::openapi_schema::{Spec, problems};
use crate::support;
use dump::WorldDump;

/// How a walk request authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// API key, session cookies and `X-CSRF`.
    Session,
    /// Session cookies and `X-CSRF`, but no API key.
    NoApiKey,
    /// API key and session cookies, but no `X-CSRF`.
    NoCsrf,
}

/// How a walk request is sent.
#[derive(Debug, Clone)]
pub enum Send {
    /// A GET.
    Get,
    /// A POST with this JSON body.
    Post(Value),
}

/// What a walk request must answer.
#[derive(Debug, Clone)]
pub enum Expect {
    /// ErrorCode 1 with these fields in `Response`.
    Success(&'static [&'static str]),
    /// ErrorCode 1 with `Response` also satisfying this spec schema (a definition entity).
    Entity(&'static str),
    /// This ErrorCode, in an envelope without `Response`.
    Error(i32),
}

/// One request of the walk, labelled with the spec operation it exercises.
#[derive(Debug, Clone)]
pub struct Call {
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// The path after `/Platform`, query included.
    pub path: String,
    /// The method and body.
    pub send: Send,
    /// How it signs in.
    pub credentials: Credentials,
    /// What it must answer.
    pub expect: Expect,
}

impl Call {
    /// A GET signed in with the session.
    pub fn get(operation: &'static str, path: String, expect: Expect) -> Self {
        Self {
            operation,
            path,
            send: Send::Get,
            credentials: Credentials::Session,
            expect,
        }
    }

    /// A POST of a JSON body signed in with the session.
    pub fn post(operation: &'static str, path: &str, body: Value, expect: Expect) -> Self {
        Self {
            operation,
            path: path.to_string(),
            send: Send::Post(body),
            credentials: Credentials::Session,
            expect,
        }
    }

    /// The same call with other credentials.
    pub fn with(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }
}

/// Whether a concrete path (query ignored) fits a spec path template like `/A/{b}/C/`.
fn fits_template(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let wanted: Vec<&str> = template.split('/').collect();
    let got: Vec<&str> = path.split('/').collect();
    wanted.len() == got.len()
        && wanted.iter().zip(&got).all(|(want, got)| {
            if want.starts_with('{') && want.ends_with('}') {
                !got.is_empty()
            } else {
                want == got
            }
        })
}

/// An answer: its status and body, JSON or why it was not.
struct Answer {
    status: u16,
    body: Result<Value, String>,
}

/// Sends one request to the simulator.
async fn send(
    sim: &courier_sim::Sim,
    session: &support::Session,
    credentials: Credentials,
    url_path: &str,
    how: &Send,
) -> Answer {
    let mut headers = session.headers(sim.api_key());
    match credentials {
        Credentials::Session => {}
        Credentials::NoApiKey => {
            headers.remove("x-api-key");
        }
        Credentials::NoCsrf => {
            headers.remove("x-csrf");
        }
    }
    let url = format!("{}{url_path}", sim.http_url());
    let client = support::client();
    let request = match how {
        Send::Get => client.get(url),
        Send::Post(body) => client.post(url).json(body),
    };
    let response = request
        .headers(headers)
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).map_err(|error| {
        let start: String = text.chars().take(200).collect();
        format!("not JSON ({error}): {start:?}")
    });
    Answer { status, body }
}

/// The envelope rules an answer must meet on top of its operation's schema.
fn envelope_rules(expect: &Expect, spec: &Spec) -> Value {
    const ENVELOPE: [&str; 5] = [
        "ErrorCode",
        "ThrottleSeconds",
        "ErrorStatus",
        "Message",
        "MessageData",
    ];
    let success = |response: Value| {
        let mut required = vec!["Response"];
        required.extend(ENVELOPE);
        json!({
            "required": required,
            "properties": { "ErrorCode": { "const": 1 }, "Response": response },
        })
    };
    match expect {
        Expect::Success([]) => success(json!({})),
        Expect::Success(fields) => success(json!({ "type": "object", "required": fields })),
        Expect::Entity(schema) => success(spec.schema_ref(schema)),
        Expect::Error(code) => json!({
            "required": ENVELOPE,
            "not": { "required": ["Response"] },
            "properties": { "ErrorCode": { "const": code } },
        }),
    }
}

/// Sends one call and says what is wrong with its answer.
pub async fn check_call(
    spec: &Spec,
    sim: &courier_sim::Sim,
    session: &support::Session,
    call: &Call,
) -> Vec<String> {
    let label = match &call.send {
        Send::Get => format!("{} GET /Platform{}", call.operation, call.path),
        Send::Post(body) => format!("{} POST /Platform{} {body}", call.operation, call.path),
    };
    let answer = send(
        sim,
        session,
        call.credentials,
        &format!("/Platform{}", call.path),
        &call.send,
    )
    .await;
    let body = match answer.body {
        Ok(body) => body,
        Err(reason) => return vec![format!("{label}: HTTP {} {reason}", answer.status)],
    };
    let mut found = Vec::new();
    if matches!(call.expect, Expect::Success(_) | Expect::Entity(_)) && answer.status != 200 {
        found.push(format!("HTTP {} instead of 200", answer.status));
    }
    let schema = json!({
        "allOf": [spec.response_schema(call.operation), envelope_rules(&call.expect, spec)],
    });
    found.extend(problems(&spec.validator(&schema), &body));
    found
        .into_iter()
        .map(|problem| format!("{label}: {problem}"))
        .collect()
}

/// Checks the walk's own labels and bodies against the spec: each operation exists, each path
/// fits its template and each body fits its request schema.
pub fn check_walk_against_spec(spec: &Spec, calls: &[Call]) {
    for call in calls {
        let operation = spec
            .operation(call.operation)
            .unwrap_or_else(|| panic!("the walk names {}, which the spec lacks", call.operation));
        let method = match &call.send {
            Send::Get => "get",
            Send::Post(_) => "post",
        };
        assert_eq!(
            operation.method, method,
            "{} is a {} in the spec",
            call.operation, operation.method
        );
        assert!(
            fits_template(&operation.path, &call.path),
            "{} lives at {}, but the walk sends {}",
            call.operation,
            operation.path,
            call.path
        );
        if let Send::Post(body) = &call.send {
            let schema = spec
                .request_schema(call.operation)
                .unwrap_or_else(|| panic!("{} takes no JSON body in the spec", call.operation));
            let found = problems(&spec.validator(&schema), body);
            assert!(
                found.is_empty(),
                "the walk's {} body {body} breaks the spec: {found:#?}",
                call.operation
            );
        }
    }
}

/// Fills a spec path template with this world's ids (and `1` for anything else).
fn filled_path(template: &str, world: &WorldDump) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{membershipType}" => world.membership_type().to_string(),
            "{destinyMembershipId}" | "{membershipId}" => world.destiny_membership_id(),
            "{characterId}" => world.character_id(0),
            other if other.starts_with('{') => "1".to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Asks the simulator for every spec operation the walk does not cover; each must be unserved
/// (the Platform fallback's 404 with ErrorCode 13 NotFound, or 405 for another method).
pub async fn uncovered_but_served(
    spec: &Spec,
    sim: &courier_sim::Sim,
    session: &support::Session,
    world: &WorldDump<'_>,
    covered: &[&str],
) -> Vec<String> {
    let mut served = Vec::new();
    for operation in spec.operations() {
        if covered.contains(&operation.id.as_str()) {
            continue;
        }
        let path = format!("/Platform{}", filled_path(&operation.path, world));
        let how = if operation.method == "post" {
            Send::Post(json!({}))
        } else {
            Send::Get
        };
        let answer = send(sim, session, Credentials::Session, &path, &how).await;
        let not_found = answer.status == 404
            && answer
                .body
                .as_ref()
                .ok()
                .and_then(|body| body["ErrorCode"].as_i64())
                == Some(13);
        if !not_found && answer.status != 405 {
            served.push(format!(
                "{} ({} {path}) answers HTTP {}, but the walk does not cover it",
                operation.id,
                operation.method.to_uppercase(),
                answer.status
            ));
        }
    }
    served
}

/// Validates every entity of every manifest table the manifest points to.
pub async fn check_content_tables(
    spec: &Spec,
    sim: &courier_sim::Sim,
    manifest: &Value,
) -> Vec<String> {
    const TABLES: [&str; 4] = [
        "DestinyInventoryItemDefinition",
        "DestinyInventoryBucketDefinition",
        "DestinyClassDefinition",
        "DestinyVendorDefinition",
    ];
    let mut found = Vec::new();
    for table in TABLES {
        let Some(path) = manifest
            .pointer(&format!(
                "/Response/jsonWorldComponentContentPaths/en/{table}"
            ))
            .and_then(Value::as_str)
        else {
            found.push(format!(
                "the manifest has no jsonWorldComponentContentPaths.en.{table}"
            ));
            continue;
        };
        let response = support::client()
            .get(format!("{}{path}", sim.http_url()))
            .send()
            .await
            .expect("the simulator answers");
        let status = response.status();
        let Ok(Value::Object(entities)) = response.json::<Value>().await else {
            found.push(format!(
                "{path}: HTTP {status}, not a JSON object of entities"
            ));
            continue;
        };
        if entities.is_empty() {
            found.push(format!("{path}: the {table} table is empty"));
        }
        let validator = spec.validator(&spec.schema_ref(&format!("Destiny.Definitions.{table}")));
        for (hash, entity) in &entities {
            if entity["hash"].as_u64().map(|h| h.to_string()).as_deref() != Some(hash) {
                found.push(format!(
                    "{path}: entity {hash} carries hash {}",
                    entity["hash"]
                ));
            }
            found.extend(
                problems(&validator, entity)
                    .into_iter()
                    .map(|problem| format!("{path} entity {hash}: {problem}")),
            );
        }
    }
    found
}
