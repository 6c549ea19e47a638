//! bungie.net through the browser's fetch (gloo-net): core's [`ApiRequest`] sent with the API
//! key and the connection's sign-in, and the answer handed back as core's decoders take it.

use courier_core::api::{ApiRequest, Auth, Method, UserInfoCard};
use gloo_net::http::{RequestBuilder, Response};
use js_sys::Uint8Array;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, ReadableStreamReadResult, RequestCredentials};

use crate::error::{CourierError, describe};
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
#[serde(try_from = "SignInWire")]
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

/// A sign-in's JSON as it is read: a flat struct, not serde's tagged-enum reader, which would
/// bring its buffering machinery into the module for this one value.
#[derive(Deserialize)]
struct SignInWire {
    kind: SignInKind,
    bungled: Option<String>,
    token: Option<String>,
}

/// The `kind` of a sign-in.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SignInKind {
    Cookie,
    Bearer,
}

impl TryFrom<SignInWire> for SignIn {
    type Error = &'static str;

    fn try_from(wire: SignInWire) -> Result<Self, Self::Error> {
        match wire.kind {
            SignInKind::Cookie => wire
                .bungled
                .map(|bungled| SignIn::Cookie { bungled })
                .ok_or("a cookie sign-in needs `bungled`"),
            SignInKind::Bearer => wire
                .token
                .map(|token| SignIn::Bearer { token })
                .ok_or("a bearer sign-in needs `token`"),
        }
    }
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

    /// A file on the same origin (a manifest table path like
    /// `/common/destiny2_content/json/en/...`), handed to `take` chunk by chunk as it
    /// downloads, so it is never in memory whole; a path elsewhere, a failed download or an
    /// error status is a `definitions` error, and an error from `take` stops the download.
    pub async fn content(
        &self,
        path: &str,
        mut take: impl FnMut(&[u8]) -> Result<(), CourierError>,
    ) -> Result<(), CourierError> {
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
        let Some(body) = response.body() else {
            return Ok(());
        };
        let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        // One buffer for every piece: the module's memory holds one piece at a time.
        let mut piece = Vec::new();
        loop {
            let read: ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(|error| failed(describe(&error)))?
                .unchecked_into();
            if read.get_done().unwrap_or(false) {
                return Ok(());
            }
            let chunk: Uint8Array = read
                .get_value()
                .dyn_into()
                .map_err(|value| failed(format!("the body gave {value:?}, not bytes")))?;
            if let Err(error) = hand_over(&chunk, &mut piece, &mut take) {
                // Nothing waits for the cancellation: the download is no longer wanted.
                let _ = reader.cancel();
                return Err(error);
            }
        }
    }
}

/// The most bytes of a download copied into the module's memory at once: the browser hands
/// over chunks of up to 2 MiB, and a wasm module's memory never shrinks.
pub const PIECE_BYTES: u32 = 64 * 1024;

/// Gives a downloaded chunk to `take` in pieces of at most [`PIECE_BYTES`], each copied into
/// `piece`.
fn hand_over(
    chunk: &Uint8Array,
    piece: &mut Vec<u8>,
    take: &mut impl FnMut(&[u8]) -> Result<(), CourierError>,
) -> Result<(), CourierError> {
    let length = chunk.length();
    let mut from = 0;
    while from < length {
        let to = length.min(from.saturating_add(PIECE_BYTES));
        let bytes = chunk.subarray(from, to);
        piece.resize(bytes.length() as usize, 0);
        bytes.copy_to(piece);
        take(piece)?;
        from = to;
    }
    Ok(())
}

/// Reads the whole answer.
async fn answer(response: Response) -> Result<Answer, gloo_net::Error> {
    Ok(Answer {
        status: response.status(),
        content_type: response.headers().get("content-type"),
        body: response.binary().await?,
    })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use js_sys::Uint8Array;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{Connection, PIECE_BYTES, SignIn, hand_over};
    use crate::error::CourierError;

    fn connection(auth: &str) -> Result<Connection, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"origin":"https://www.bungie.net","apiKey":"k","auth":{auth}}}"#
        ))
    }

    #[wasm_bindgen_test]
    fn both_sign_ins_are_read_and_a_missing_secret_is_named() {
        let cookie = connection(r#"{"kind":"cookie","bungled":"b"}"#).expect("cookie");
        assert!(matches!(cookie.auth, Some(SignIn::Cookie { bungled }) if bungled == "b"));
        let bearer = connection(r#"{"kind":"bearer","token":"t"}"#).expect("bearer");
        assert!(matches!(bearer.auth, Some(SignIn::Bearer { token }) if token == "t"));
        assert!(connection("null").expect("public").auth.is_none());
        let error = connection(r#"{"kind":"bearer"}"#).expect_err("no token");
        assert!(
            error.to_string().contains("a bearer sign-in needs `token`"),
            "{error}"
        );
        assert!(connection(r#"{"kind":"magic"}"#).is_err());
    }

    /// A chunk as big as the ones Chromium hands over, with bytes that show their place.
    fn big_chunk() -> (Vec<u8>, Uint8Array) {
        let bytes: Vec<u8> = (0..PIECE_BYTES * 2 + 100)
            .map(|at| (at % 251) as u8)
            .collect();
        let chunk = Uint8Array::from(bytes.as_slice());
        (bytes, chunk)
    }

    #[wasm_bindgen_test]
    fn a_big_chunk_is_handed_over_in_pieces_in_order() {
        let (bytes, chunk) = big_chunk();
        let mut piece = Vec::new();
        let mut taken = Vec::new();
        let mut sizes = Vec::new();
        hand_over(&chunk, &mut piece, &mut |bytes: &[u8]| {
            sizes.push(bytes.len());
            taken.extend_from_slice(bytes);
            Ok(())
        })
        .expect("every piece is taken");
        let full = PIECE_BYTES as usize;
        assert_eq!(sizes, [full, full, 100]);
        assert_eq!(taken, bytes);
        assert!(piece.capacity() <= full, "one piece's room");
    }

    #[wasm_bindgen_test]
    fn a_refused_piece_stops_the_hand_over() {
        let (_, chunk) = big_chunk();
        let mut calls = 0;
        let refused = hand_over(&chunk, &mut Vec::new(), &mut |_: &[u8]| {
            calls += 1;
            Err(CourierError::new("definitions", "not a table"))
        });
        assert_eq!(
            refused.map_err(|error| error.kind).err().as_deref(),
            Some("definitions")
        );
        assert_eq!(calls, 1);
    }

    #[wasm_bindgen_test]
    fn an_empty_chunk_hands_over_nothing() {
        let mut calls = 0;
        hand_over(
            &Uint8Array::new_with_length(0),
            &mut Vec::new(),
            &mut |_: &[u8]| {
                calls += 1;
                Ok(())
            },
        )
        .expect("nothing to refuse");
        assert_eq!(calls, 0);
    }
}
