//! Values across the boundary: Rust values become plain JavaScript objects (camelCase, int64
//! ids as strings, maps as objects, `None` as `null`), so they survive `chrome.storage` and
//! `postMessage`; JavaScript values are read back with serde.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::error::CourierError;

/// A Rust value as a plain, JSON-compatible JavaScript value.
pub fn to_js<T: Serialize + ?Sized>(what: &str, value: &T) -> Result<JsValue, CourierError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| {
            CourierError::new(
                "unexpected",
                format!("Courier's core could not hand over the {what} ({error}); report this."),
            )
        })
}

/// A JavaScript value read as `T`; `what` names the argument in the error.
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, CourierError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|error| CourierError::invalid_argument(what, error))
}

/// Bytes that cross as a `Uint8Array` inside a serialized object.
#[derive(Debug, Clone, Copy)]
pub struct Bytes<'a>(pub &'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}
