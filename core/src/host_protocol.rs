//! The native-messaging protocol between the extension and courier-host, defined once.
//!
//! Every message is one JSON object with the caller's `id`. Requests are tagged by `type`:
//!
//! | request | answer |
//! |---|---|
//! | `{"id":1,"type":"hello"}` | `{"id":1,"ok":true,"version":"0.1.0","protocol":1}` |
//! | `{"id":2,"type":"psn_login","username":"…","password":"…"}` | `{"id":2,"ok":true,"cookies":[…],"bungieMembershipId":"…"}` |
//! | `{"id":2,"type":"psn_login","npsso":"…"}` | the same |
//!
//! Any failure answers `{"id":N,"ok":false,"error":{"kind":"…","message":"…"}}` (with `"step"`
//! for `unexpected_response` and `network`); `id` is `null` when the request's id could not be read. Each
//! cookie carries what `chrome.cookies.set` takes: `name`, `value`, `domain`, `path`, `secure`,
//! `httpOnly` and, unless it is a session cookie, `expirationDate` (seconds since 1970).
//!
//! Requests are read in two steps: the JSON into the tagged wire shape, then that shape
//! validated into a [`Request`]; either failing is a [`BadRequest`], which becomes a
//! `bad_request` answer.
//!
//! ```
//! use courier_core::host_protocol::{Action, Answer, ErrorKind, PsnLogin, Request};
//!
//! let request = Request::parse(r#"{"id":2,"type":"psn_login","npsso":"abc"}"#)
//!     .expect("a valid request");
//! assert_eq!(request.id, 2);
//! assert!(matches!(request.action, Action::PsnLogin(PsnLogin::Npsso { .. })));
//! // A secret never shows in Debug output.
//! assert!(!format!("{request:?}").contains("abc"));
//!
//! let rejected = Request::parse(r#"{"id":3,"type":"launch_missiles"}"#).unwrap_err();
//! let answer = Answer::from(rejected);
//! let json = serde_json::to_value(&answer).expect("answers serialize");
//! assert_eq!(json["id"], 3);
//! assert_eq!(json["ok"], false);
//! assert_eq!(json["error"]["kind"], "bad_request");
//! # let _ = ErrorKind::BadRequest;
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The protocol version `hello` answers; it changes when a message changes shape.
pub const PROTOCOL_VERSION: u32 = 1;

/// The largest request the host reads, in bytes of JSON (1 MiB); a longer frame is refused
/// from its length prefix alone.
pub const MAX_REQUEST_BYTES: usize = 1_048_576;

/// The largest answer a browser accepts from a host, in bytes of JSON (Chromium's 1 MiB).
pub const MAX_ANSWER_BYTES: usize = 1_048_576;

/// The caller's number for a request, echoed in its answer.
pub type RequestId = u64;

/// A password or token: readable only through [`Secret::expose`], printed as `***` by Debug,
/// and never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The secret's string, moved out (to hand it to a type that zeroes its memory).
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde's own "invalid type" message quotes the value: keep it out of the error.
        String::deserialize(deserializer)
            .map(Self)
            .map_err(|_| serde::de::Error::custom("a password or npsso must be a JSON string"))
    }
}

/// A validated request from the extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The caller's number, echoed in the answer.
    pub id: RequestId,
    /// What the caller asks for.
    pub action: Action,
}

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The host's version and protocol; needs no network.
    Hello,
    /// Sign in to bungie.net through PlayStation Network and answer its cookies.
    PsnLogin(PsnLogin),
}

/// How to sign in to PlayStation Network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PsnLogin {
    /// Sony's login form, with the account's email and password.
    Password {
        /// The account's sign-in id (an email address).
        username: String,
        /// The account's password.
        password: Secret,
    },
    /// Sony's `npsso` cookie from a browser that signed in once.
    Npsso {
        /// The cookie's value.
        npsso: Secret,
    },
}

/// A request that could not be read or is not valid, with its id when that could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest {
    /// The request's id, when the JSON had a readable one.
    pub id: Option<RequestId>,
    /// What was wrong, for the developer of the caller.
    pub message: String,
}

/// The request's wire shape: step one of parsing.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum WireRequest {
    Hello {
        id: RequestId,
    },
    PsnLogin {
        id: RequestId,
        username: Option<String>,
        password: Option<Secret>,
        npsso: Option<Secret>,
    },
}

/// Reads only the id of a request that failed to parse.
#[derive(Deserialize)]
struct IdProbe {
    id: Option<RequestId>,
}

impl Request {
    /// Reads one request from its JSON text: the wire shape first, then its validation.
    pub fn parse(text: &str) -> Result<Self, BadRequest> {
        let wire = serde_json::from_str::<WireRequest>(text).map_err(|error| BadRequest {
            id: serde_json::from_str::<IdProbe>(text)
                .ok()
                .and_then(|probe| probe.id),
            message: format!(
                "the message is not a valid request ({error}); send a JSON object with a numeric \
                 \"id\" and a \"type\" of \"hello\" or \"psn_login\""
            ),
        })?;
        Self::validate(wire)
    }

    /// Step two: a wire request checked into a typed one.
    fn validate(wire: WireRequest) -> Result<Self, BadRequest> {
        match wire {
            WireRequest::Hello { id } => Ok(Self {
                id,
                action: Action::Hello,
            }),
            WireRequest::PsnLogin {
                id,
                username,
                password,
                npsso,
            } => {
                let login = PsnLogin::validate(username, password, npsso).map_err(|message| {
                    BadRequest {
                        id: Some(id),
                        message,
                    }
                })?;
                Ok(Self {
                    id,
                    action: Action::PsnLogin(login),
                })
            }
        }
    }
}

impl PsnLogin {
    /// Exactly one of the two ways to sign in, with nothing empty.
    fn validate(
        username: Option<String>,
        password: Option<Secret>,
        npsso: Option<Secret>,
    ) -> Result<Self, String> {
        match (username, password, npsso) {
            (None, None, Some(npsso)) if npsso.expose().is_empty() => {
                Err("psn_login's \"npsso\" is empty; send the npsso cookie's value".to_string())
            }
            (None, None, Some(npsso)) => Ok(Self::Npsso { npsso }),
            (_, _, Some(_)) => Err(
                "psn_login takes either \"username\" and \"password\" or \"npsso\", not both"
                    .to_string(),
            ),
            (Some(username), Some(password), None) => {
                if username.trim().is_empty() {
                    Err("psn_login's \"username\" is empty; send the account's email".to_string())
                } else if password.expose().is_empty() {
                    Err("psn_login's \"password\" is empty".to_string())
                } else {
                    Ok(Self::Password { username, password })
                }
            }
            (Some(_), None, None) => Err("psn_login has a \"username\" but no \"password\"".into()),
            (None, Some(_), None) => Err("psn_login has a \"password\" but no \"username\"".into()),
            (None, None, None) => {
                Err("psn_login needs \"username\" and \"password\", or \"npsso\"".to_string())
            }
        }
    }
}

/// One bungie.net cookie, in the shape `chrome.cookies.set` takes. Debug hides its value,
/// which signs in as the player.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cookie {
    /// The cookie's name (`bungled`, `bungleatk`, `bungledid`).
    pub name: String,
    /// The cookie's value.
    pub value: String,
    /// The domain it was set for.
    pub domain: String,
    /// The path it was set for.
    pub path: String,
    /// Whether it goes only over HTTPS.
    pub secure: bool,
    /// Whether scripts in pages cannot read it.
    pub http_only: bool,
    /// When it expires, in seconds since 1970; none for a session cookie.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<f64>,
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field("value", &"***")
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("secure", &self.secure)
            .field("http_only", &self.http_only)
            .field("expiration_date", &self.expiration_date)
            .finish()
    }
}

/// Why a request failed, as the extension tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// PlayStation Network refused the email and password (or the npsso).
    InvalidCredentials,
    /// Sony asks for a captcha: sign in once in the browser instead.
    CaptchaRequired,
    /// A server could not be reached or the connection failed.
    Network,
    /// A step of the sign-in got an answer it did not expect (see `step`).
    UnexpectedResponse,
    /// The message could not be read or is not a valid request.
    BadRequest,
    /// The message (or the answer to it) is over the 1 MiB limit.
    TooLarge,
    /// The caller is not an extension this host answers.
    ForbiddenOrigin,
}

/// The `error` object of a failed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// What kind of failure, for the extension to decide what to show.
    pub kind: ErrorKind,
    /// What happened and what to do, for a person.
    pub message: String,
    /// For `unexpected_response` and `network`: the step of the sign-in that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

impl Failure {
    /// A failure of this kind with this message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            step: None,
        }
    }

    /// The same failure, naming the step that failed.
    pub fn at_step(self, step: impl Into<String>) -> Self {
        Self {
            step: Some(step.into()),
            ..self
        }
    }
}

/// The host's answer to one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "WireAnswer", try_from = "WireAnswer")]
pub enum Answer {
    /// The answer to `hello`.
    Hello {
        /// The request's id.
        id: RequestId,
        /// The host's version.
        version: String,
        /// [`PROTOCOL_VERSION`].
        protocol: u32,
    },
    /// The answer to a successful `psn_login`.
    SignedIn {
        /// The request's id.
        id: RequestId,
        /// bungie.net's session cookies.
        cookies: Vec<Cookie>,
        /// The signed-in bungie.net member.
        bungie_membership_id: String,
    },
    /// Any failure.
    Failed {
        /// The request's id, or none when it could not be read.
        id: Option<RequestId>,
        /// What failed.
        error: Failure,
    },
}

impl Answer {
    /// The answer to `hello` from a host of this version.
    pub fn hello(id: RequestId, version: impl Into<String>) -> Self {
        Self::Hello {
            id,
            version: version.into(),
            protocol: PROTOCOL_VERSION,
        }
    }

    /// A failed answer.
    pub fn failed(id: Option<RequestId>, error: Failure) -> Self {
        Self::Failed { id, error }
    }

    /// The id this answer echoes.
    pub fn id(&self) -> Option<RequestId> {
        match self {
            Self::Hello { id, .. } | Self::SignedIn { id, .. } => Some(*id),
            Self::Failed { id, .. } => *id,
        }
    }
}

impl From<BadRequest> for Answer {
    fn from(bad: BadRequest) -> Self {
        Self::failed(bad.id, Failure::new(ErrorKind::BadRequest, bad.message))
    }
}

/// An answer's wire shape: `id`, `ok`, and the fields of its kind.
#[derive(Serialize, Deserialize)]
struct WireAnswer {
    id: Option<RequestId>,
    ok: bool,
    #[serde(flatten)]
    body: WireAnswerBody,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum WireAnswerBody {
    Hello {
        version: String,
        protocol: u32,
    },
    SignedIn {
        cookies: Vec<Cookie>,
        #[serde(rename = "bungieMembershipId")]
        bungie_membership_id: String,
    },
    Failed {
        error: Failure,
    },
}

impl From<Answer> for WireAnswer {
    fn from(answer: Answer) -> Self {
        let id = answer.id();
        let (ok, body) = match answer {
            Answer::Hello {
                version, protocol, ..
            } => (true, WireAnswerBody::Hello { version, protocol }),
            Answer::SignedIn {
                cookies,
                bungie_membership_id,
                ..
            } => (
                true,
                WireAnswerBody::SignedIn {
                    cookies,
                    bungie_membership_id,
                },
            ),
            Answer::Failed { error, .. } => (false, WireAnswerBody::Failed { error }),
        };
        Self { id, ok, body }
    }
}

impl TryFrom<WireAnswer> for Answer {
    type Error = String;

    fn try_from(wire: WireAnswer) -> Result<Self, Self::Error> {
        match (wire.ok, wire.id, wire.body) {
            (false, id, WireAnswerBody::Failed { error }) => Ok(Self::Failed { id, error }),
            (true, Some(id), WireAnswerBody::Hello { version, protocol }) => Ok(Self::Hello {
                id,
                version,
                protocol,
            }),
            (
                true,
                Some(id),
                WireAnswerBody::SignedIn {
                    cookies,
                    bungie_membership_id,
                },
            ) => Ok(Self::SignedIn {
                id,
                cookies,
                bungie_membership_id,
            }),
            (true, None, _) => Err("a successful answer must carry its request's id".to_string()),
            (ok, _, _) => Err(format!(
                "an answer with \"ok\": {ok} has the fields of the other outcome"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bad(text: &str) -> BadRequest {
        Request::parse(text).expect_err("this request must be refused")
    }

    #[test]
    fn hello_parses() {
        let request = Request::parse(r#"{"id":1,"type":"hello"}"#).expect("hello is valid");
        assert_eq!(
            request,
            Request {
                id: 1,
                action: Action::Hello
            }
        );
    }

    #[test]
    fn psn_login_with_password_parses() {
        let request = Request::parse(
            r#"{"id":2,"type":"psn_login","username":"guardian@example.com","password":"hunter2"}"#,
        )
        .expect("a password login is valid");
        assert_eq!(request.id, 2);
        assert_eq!(
            request.action,
            Action::PsnLogin(PsnLogin::Password {
                username: "guardian@example.com".into(),
                password: Secret::new("hunter2"),
            })
        );
    }

    #[test]
    fn psn_login_with_npsso_parses() {
        let request = Request::parse(r#"{"id":7,"type":"psn_login","npsso":"cookie-value"}"#)
            .expect("an npsso login is valid");
        assert_eq!(
            request.action,
            Action::PsnLogin(PsnLogin::Npsso {
                npsso: Secret::new("cookie-value")
            })
        );
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let request = Request::parse(
            r#"{"id":2,"type":"psn_login","username":"guardian@example.com","password":"hunter2"}"#,
        )
        .expect("a password login is valid");
        let debug = format!("{request:?} {request:#?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
        assert_eq!(format!("{:?}", Secret::new("x")), "***");
        assert_eq!(Secret::new("x").into_inner(), "x");
    }

    #[test]
    fn a_password_of_the_wrong_type_is_not_quoted_in_the_error() {
        let refused = bad(r#"{"id":4,"type":"psn_login","username":"a@b.c","password":98765}"#);
        assert_eq!(refused.id, Some(4));
        assert!(!refused.message.contains("98765"), "{}", refused.message);
        assert!(
            refused.message.contains("must be a JSON string"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn bad_json_has_no_id() {
        for text in ["", "not json", "{\"id\":1,", "[1,2]", "null", "\"hello\""] {
            let refused = bad(text);
            assert_eq!(refused.id, None, "{text:?}");
            assert!(refused.message.contains("not a valid request"), "{text:?}");
        }
    }

    #[test]
    fn an_unknown_type_keeps_the_id() {
        let refused = bad(r#"{"id":9,"type":"launch_missiles"}"#);
        assert_eq!(refused.id, Some(9));
        assert!(
            refused.message.contains("launch_missiles"),
            "{}",
            refused.message
        );
    }

    #[test]
    fn a_missing_type_or_id_is_refused() {
        assert_eq!(bad(r#"{"id":5}"#).id, Some(5));
        assert_eq!(bad(r#"{"type":"hello"}"#).id, None);
        assert_eq!(bad(r#"{"id":"five","type":"hello"}"#).id, None);
        assert_eq!(bad(r#"{"id":-1,"type":"hello"}"#).id, None);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let refused =
            bad(r#"{"id":3,"type":"psn_login","username":"a@b.c","pasword":"x","password":"y"}"#);
        assert_eq!(refused.id, Some(3));
        assert!(refused.message.contains("pasword"), "{}", refused.message);
        assert_eq!(bad(r#"{"id":3,"type":"hello","extra":true}"#).id, Some(3));
    }

    #[test]
    fn psn_login_needs_exactly_one_way_to_sign_in() {
        let cases = [
            (r#"{"id":1,"type":"psn_login"}"#, "needs"),
            (
                r#"{"id":1,"type":"psn_login","username":"a@b.c"}"#,
                "no \"password\"",
            ),
            (
                r#"{"id":1,"type":"psn_login","password":"p"}"#,
                "no \"username\"",
            ),
            (
                r#"{"id":1,"type":"psn_login","username":"a@b.c","password":"p","npsso":"n"}"#,
                "not both",
            ),
            (
                r#"{"id":1,"type":"psn_login","password":"p","npsso":"n"}"#,
                "not both",
            ),
            (
                r#"{"id":1,"type":"psn_login","npsso":""}"#,
                "\"npsso\" is empty",
            ),
            (
                r#"{"id":1,"type":"psn_login","username":"  ","password":"p"}"#,
                "\"username\" is empty",
            ),
            (
                r#"{"id":1,"type":"psn_login","username":"a@b.c","password":""}"#,
                "\"password\" is empty",
            ),
        ];
        for (text, expected) in cases {
            let refused = bad(text);
            assert_eq!(refused.id, Some(1), "{text}");
            assert!(
                refused.message.contains(expected),
                "{text}: {}",
                refused.message
            );
        }
    }

    #[test]
    fn a_refusal_becomes_a_bad_request_answer() {
        let answer = Answer::from(bad(r#"{"id":6,"type":"nope"}"#));
        let json = serde_json::to_value(&answer).expect("answers serialize");
        assert_eq!(json["id"], 6);
        assert_eq!(json["ok"], false);
        assert_eq!(json["error"]["kind"], "bad_request");
        let without_id = serde_json::to_value(Answer::from(bad("{"))).expect("serializes");
        assert_eq!(without_id["id"], serde_json::Value::Null);
    }

    fn signed_in() -> Answer {
        Answer::SignedIn {
            id: 2,
            cookies: vec![
                Cookie {
                    name: "bungled".into(),
                    value: "123".into(),
                    domain: "www.bungie.net".into(),
                    path: "/".into(),
                    secure: true,
                    http_only: false,
                    expiration_date: None,
                },
                Cookie {
                    name: "bungleatk".into(),
                    value: "abc".into(),
                    domain: ".bungie.net".into(),
                    path: "/".into(),
                    secure: true,
                    http_only: true,
                    expiration_date: Some(1_900_000_000.0),
                },
            ],
            bungie_membership_id: "4611686018".into(),
        }
    }

    #[test]
    fn answers_have_the_wire_shape() {
        assert_eq!(
            serde_json::to_value(Answer::hello(1, "0.1.0")).expect("serializes"),
            json!({"id": 1, "ok": true, "version": "0.1.0", "protocol": 1})
        );
        assert_eq!(
            serde_json::to_value(signed_in()).expect("serializes"),
            json!({"id": 2, "ok": true, "bungieMembershipId": "4611686018", "cookies": [
                {"name": "bungled", "value": "123", "domain": "www.bungie.net", "path": "/",
                 "secure": true, "httpOnly": false},
                {"name": "bungleatk", "value": "abc", "domain": ".bungie.net", "path": "/",
                 "secure": true, "httpOnly": true, "expirationDate": 1_900_000_000.0},
            ]})
        );
        let failure =
            Failure::new(ErrorKind::UnexpectedResponse, "no JSESSIONID").at_step("authorize");
        assert_eq!(
            serde_json::to_value(Answer::failed(Some(3), failure)).expect("serializes"),
            json!({"id": 3, "ok": false, "error": {
                "kind": "unexpected_response", "message": "no JSESSIONID", "step": "authorize"}})
        );
    }

    #[test]
    fn cookie_values_never_show_in_debug_output() {
        let debug = format!("{:?}", signed_in());
        assert!(debug.contains("bungleatk"), "{debug}");
        assert!(!debug.contains("\"abc\""), "{debug}");
    }

    #[test]
    fn every_error_kind_has_its_wire_name() {
        let kinds = [
            (ErrorKind::InvalidCredentials, "invalid_credentials"),
            (ErrorKind::CaptchaRequired, "captcha_required"),
            (ErrorKind::Network, "network"),
            (ErrorKind::UnexpectedResponse, "unexpected_response"),
            (ErrorKind::BadRequest, "bad_request"),
            (ErrorKind::TooLarge, "too_large"),
            (ErrorKind::ForbiddenOrigin, "forbidden_origin"),
        ];
        for (kind, name) in kinds {
            assert_eq!(serde_json::to_value(kind).expect("serializes"), json!(name));
        }
    }

    #[test]
    fn answers_round_trip() {
        let answers = [
            Answer::hello(1, "0.1.0"),
            signed_in(),
            Answer::failed(None, Failure::new(ErrorKind::TooLarge, "too big")),
            Answer::failed(
                Some(4),
                Failure::new(ErrorKind::UnexpectedResponse, "odd").at_step("login"),
            ),
        ];
        for answer in answers {
            let text = serde_json::to_string(&answer).expect("serializes");
            let back: Answer = serde_json::from_str(&text).expect("deserializes");
            assert_eq!(back, answer, "{text}");
        }
    }

    #[test]
    fn inconsistent_answers_are_refused() {
        for text in [
            r#"{"id":1,"ok":false,"version":"1","protocol":1}"#,
            r#"{"id":1,"ok":true,"error":{"kind":"network","message":"m"}}"#,
            r#"{"id":null,"ok":true,"version":"1","protocol":1}"#,
        ] {
            assert!(serde_json::from_str::<Answer>(text).is_err(), "{text}");
        }
    }
}
