//! bungie.net's response envelope (`Response`, `ErrorCode`, `ThrottleSeconds`, `ErrorStatus`,
//! `Message`, `MessageData`) decoded into `Result<T, ApiError>`, whatever came back.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use super::classify::{Refusal, SIGN_IN_AGAIN};
use super::error::ApiError;

/// `ErrorCode` 1: Success.
const SUCCESS: i32 = 1;
/// How many characters of a body that is not JSON an error shows.
const SNIPPET_CHARS: usize = 120;
/// HTTP 401 Unauthorized.
const UNAUTHORIZED: u16 = 401;

/// The envelope without its `Response`, read first so a failure never depends on `T`.
#[derive(Deserialize)]
struct Header {
    #[serde(rename = "ErrorCode")]
    error_code: i32,
    #[serde(rename = "ThrottleSeconds", default)]
    throttle_seconds: Option<i32>,
    #[serde(rename = "ErrorStatus", default)]
    error_status: Option<String>,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

/// The envelope's `Response`, read once the code says success.
#[derive(Deserialize)]
struct Payload<T> {
    #[serde(rename = "Response")]
    response: T,
}

/// Decodes a Platform answer: its `Response` as `T` when `ErrorCode` is 1, else the
/// classified error. Never panics, whatever the bytes:
/// - an envelope with another code: that code's [`ApiError`] (the envelope wins over the status);
/// - HTTP 401 without an envelope: [`ApiError::SignedOut`];
/// - JSON that is not an envelope, or a `Response` that is not a `T`: [`ApiError::Unexpected`];
/// - anything else (an HTML outage page, an empty body): [`ApiError::NotJson`].
pub fn decode<T: DeserializeOwned>(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T, ApiError> {
    succeeded(status, content_type, body)?;
    serde_json::from_slice::<Payload<T>>(body)
        .map(|payload| payload.response)
        .map_err(|error| unexpected(format!("its Response did not fit: {error}")))
}

/// Whether the envelope says the call succeeded (`ErrorCode` 1); the classified error when it
/// does not. Not generic, so every [`decode`] shares it.
fn succeeded(status: u16, content_type: Option<&str>, body: &[u8]) -> Result<(), ApiError> {
    let header = serde_json::from_slice::<Header>(body)
        .map_err(|error| not_an_envelope(status, content_type, body, &error))?;
    if header.error_code != SUCCESS {
        return Err(Refusal {
            code: header.error_code,
            throttle_seconds: header.throttle_seconds.unwrap_or(0),
            status: header.error_status.as_deref().unwrap_or_default(),
            message: header.message.as_deref().unwrap_or_default(),
        }
        .into_error());
    }
    Ok(())
}

/// Decodes the answer of an action whose `Response` is only an int32 (TransferItem,
/// PullFromPostmaster, EquipItem, SetLockState, SetTrackedState, EquipLoadout).
pub fn decode_unit(status: u16, content_type: Option<&str>, body: &[u8]) -> Result<(), ApiError> {
    decode::<i32>(status, content_type, body).map(|_| ())
}

/// The error for an answer without a readable envelope.
fn not_an_envelope(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    error: &serde_json::Error,
) -> ApiError {
    if status == UNAUTHORIZED {
        return ApiError::SignedOut {
            code: None,
            message: format!("bungie.net answered HTTP 401 Unauthorized. {SIGN_IN_AGAIN}"),
        };
    }
    if serde_json::from_slice::<IgnoredAny>(body).is_ok() {
        return unexpected(format!("it is JSON but not an envelope: {error}"));
    }
    not_json(status, content_type, body)
}

/// A JSON answer of the wrong shape.
pub(crate) fn unexpected(reason: String) -> ApiError {
    let message = format!(
        "bungie.net answered in a shape Courier does not understand ({reason}): try again; if it keeps happening, Courier needs an update."
    );
    ApiError::Unexpected { reason, message }
}

/// An answer that is not JSON at all.
pub(crate) fn not_json(status: u16, content_type: Option<&str>, body: &[u8]) -> ApiError {
    let snippet = snippet(body);
    let what = match content_type.map(str::trim).filter(|t| !t.is_empty()) {
        Some(content_type) => format!("HTTP {status} ({content_type})"),
        None => format!("HTTP {status}"),
    };
    let message = if snippet.is_empty() {
        format!(
            "bungie.net answered {what} with an empty body instead of JSON, which usually means it is having trouble: try again in a few minutes."
        )
    } else {
        format!(
            "bungie.net answered {what} with something other than JSON (probably an outage page): try again in a few minutes. It began: {snippet}"
        )
    };
    ApiError::NotJson {
        status,
        snippet,
        message,
    }
}

/// The first characters of a body, whitespace collapsed and trimmed.
fn snippet(body: &[u8]) -> String {
    // A character is at most 4 bytes: this much of the body always has enough text.
    let head = &body[..body.len().min(4 * SNIPPET_CHARS)];
    String::from_utf8_lossy(head)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(SNIPPET_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn envelope(code: i32, response: serde_json::Value) -> Vec<u8> {
        json!({
            "Response": response,
            "ErrorCode": code,
            "ThrottleSeconds": 0,
            "ErrorStatus": if code == 1 { "Success" } else { "Whatever" },
            "Message": if code == 1 { "Ok" } else { "Bungie's words." },
            "MessageData": {},
        })
        .to_string()
        .into_bytes()
    }

    fn error(code: i32) -> Vec<u8> {
        json!({
            "ErrorCode": code,
            "ThrottleSeconds": if code == 36 { 10 } else { 0 },
            "ErrorStatus": "Whatever",
            "Message": "Bungie's words.",
            "MessageData": {},
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn success_decodes_the_response() {
        let value: Vec<String> = decode(
            200,
            Some("application/json"),
            &envelope(1, json!(["a", "b"])),
        )
        .expect("success");
        assert_eq!(value, ["a", "b"]);
        assert_eq!(decode_unit(200, None, &envelope(1, json!(0))), Ok(()));
    }

    #[test]
    fn error_codes_are_classified_whatever_the_status() {
        let cases: [(u16, i32, &str); 6] = [
            (500, 1642, "no_room"),
            (500, 1656, "equipped"),
            (401, 99, "signed_out"),
            (401, 2102, "bad_api_key"),
            (503, 5, "maintenance"),
            (200, 1663, "other"),
        ];
        for (status, code, kind) in cases {
            let got = decode_unit(status, Some("application/json"), &error(code))
                .expect_err("an error code");
            assert_eq!(got.kind(), kind, "code {code}");
            assert_eq!(got.code(), Some(code));
            assert!(got.message().contains("Bungie's words."), "{got:?}");
        }
    }

    #[test]
    fn throttles_carry_their_wait() {
        let got = decode_unit(429, None, &error(36)).expect_err("throttled");
        assert_eq!(got.retry_after(0), Some(Duration::from_secs(10)));
        assert_eq!(got.kind(), "throttled");
    }

    #[test]
    fn an_html_page_is_not_json_with_a_snippet() {
        let page = b"<!DOCTYPE html>\n<html><head><title>Bungie.net - Service Unavailable</title></head>\n<body><h1>Bungie.net is temporarily unavailable</h1><p>We are working to bring it back. Please try again later.</p></body></html>\n";
        let got = decode::<i32>(503, Some("text/html; charset=utf-8"), page).expect_err("not JSON");
        let ApiError::NotJson {
            status,
            snippet,
            message,
        } = &got
        else {
            panic!("expected NotJson, got {got:?}")
        };
        assert_eq!(*status, 503);
        assert_eq!(snippet.chars().count(), 120);
        assert!(
            snippet.starts_with("<!DOCTYPE html> <html><head><title>Bungie.net"),
            "{snippet}"
        );
        assert!(
            message.contains("HTTP 503 (text/html; charset=utf-8)"),
            "{message}"
        );
        assert!(message.contains("try again in a few minutes"), "{message}");
        assert!(got.is_transient());
    }

    #[test]
    fn an_empty_body_is_not_json() {
        for body in [&b""[..], b"   \n"] {
            let got = decode::<i32>(502, None, body).expect_err("empty");
            assert_eq!(
                got,
                ApiError::NotJson {
                    status: 502,
                    snippet: String::new(),
                    message: "bungie.net answered HTTP 502 with an empty body instead of JSON, which usually means it is having trouble: try again in a few minutes.".into(),
                }
            );
        }
    }

    #[test]
    fn a_401_without_an_envelope_is_signed_out() {
        for body in [
            &b""[..],
            b"<html>Unauthorized</html>",
            b"{\"error\":\"nope\"}",
        ] {
            let got = decode::<i32>(401, None, body).expect_err("401");
            assert_eq!(got.kind(), "signed_out");
            assert_eq!(got.code(), None);
            assert!(got.message().contains("sign in to bungie.net again"));
        }
    }

    #[test]
    fn a_response_of_the_wrong_shape_is_unexpected() {
        let got = decode::<Vec<u32>>(200, None, &envelope(1, json!({"not": "a list"})))
            .expect_err("wrong shape");
        let ApiError::Unexpected { reason, .. } = &got else {
            panic!("expected Unexpected, got {got:?}")
        };
        assert!(
            reason.contains("invalid type: map, expected a sequence"),
            "{reason}"
        );
        let missing = decode::<u32>(200, None, br#"{"ErrorCode":1}"#).expect_err("no Response");
        assert!(
            matches!(&missing, ApiError::Unexpected { reason, .. } if reason.contains("missing field `Response`")),
            "{missing:?}"
        );
    }

    #[test]
    fn json_that_is_not_an_envelope_is_unexpected() {
        for body in [
            &b"[]"[..],
            b"{\"Response\":1}",
            b"{\"ErrorCode\":\"one\"}",
            b"42",
        ] {
            let got = decode::<i32>(200, None, body).expect_err("no envelope");
            assert_eq!(
                got.kind(),
                "unexpected",
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn truncated_json_is_not_json() {
        let got = decode::<i32>(200, Some("application/json"), br#"{"ErrorCode":1,"Resp"#)
            .expect_err("truncated");
        assert_eq!(got.kind(), "not_json");
    }

    #[test]
    fn snippets_cut_on_character_boundaries() {
        let body = "é".repeat(500);
        let got = snippet(body.as_bytes());
        assert_eq!(got, "é".repeat(120));
    }
}
