//! Native-messaging helpers: core's host protocol checks what the worker sends to courier-host
//! and reads what comes back.

use courier_core::host_protocol::{Answer, Request};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::CourierError;
use crate::js::to_js;

/// `hostRequest(json)`: checks a request for courier-host (`{"id":1,"type":"hello"}`, a
/// `psn_login` with a username and password or an npsso) and returns it unchanged; a request
/// the host would refuse throws kind `bad_request`.
#[wasm_bindgen(js_name = hostRequest)]
pub fn host_request(json: String) -> Result<String, CourierError> {
    Request::parse(&json).map_err(|bad| CourierError::new("bad_request", bad.message))?;
    Ok(json)
}

/// `parseHostAnswer(json)`: courier-host's answer as a plain object (`{id, ok, ...}`, failures
/// included as data); text that is not an answer throws kind `unexpected_response`.
#[wasm_bindgen(js_name = parseHostAnswer)]
pub fn parse_host_answer(json: &str) -> Result<JsValue, CourierError> {
    let answer: Answer = serde_json::from_str(json).map_err(|error| {
        CourierError::new(
            "unexpected_response",
            format!("courier-host answered something Courier cannot read ({error}); update courier-host and try again."),
        )
    })?;
    to_js("host answer", &answer)
}
