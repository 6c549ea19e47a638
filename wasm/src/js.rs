//! Values across the boundary, as JSON text. A Rust value goes out as serde_json's text parsed
//! by the engine's own `JSON.parse` (camelCase, int64 ids as strings, maps as objects, `None`
//! as `null`), so it survives `chrome.storage` and `postMessage`; a JavaScript value comes in
//! through `JSON.stringify` and serde_json. One serializer serves the whole module, which keeps
//! it small, and the engine builds the objects in one native call.
//!
//! The inventory and a run's journal are large and only ever handed back to this module, so
//! they cross as text in core's binary form ([`crate::stored`]). Core reads what it reads
//! itself (intents, [`from_js_with`]), so the module holds one copy of each reader, not one per
//! crate.

use std::fmt::Display;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::error::{CourierError, describe};

/// A Rust value as a plain, JSON-compatible JavaScript value.
pub fn to_js<T: Serialize + ?Sized>(what: &str, value: &T) -> Result<JsValue, CourierError> {
    js_sys::JSON::parse(&text(what, value)?)
        .map_err(|error| handover_failed(what, &describe(&error)))
}

/// A JavaScript value read as `T` (`undefined` reads as `null`); `what` names the argument in
/// the error.
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, CourierError> {
    from_js_with(what, value, |json| serde_json::from_slice(json))
}

/// A JavaScript value read by `parse` from its JSON (`undefined` reads as `null`): for values
/// core reads itself (intents), so their reader is compiled once, in core.
pub fn from_js_with<T, E: Display>(
    what: &str,
    value: JsValue,
    parse: impl FnOnce(&[u8]) -> Result<T, E>,
) -> Result<T, CourierError> {
    let text = if value.is_undefined() {
        "null".to_string()
    } else {
        js_sys::JSON::stringify(&value)
            .map_err(|error| CourierError::invalid_argument(what, describe(&error)))?
            .into()
    };
    parse(text.as_bytes()).map_err(|error| CourierError::invalid_argument(what, error))
}

/// A Rust value as JSON text, for the values that cross as strings.
pub fn text<T: Serialize + ?Sized>(what: &str, value: &T) -> Result<String, CourierError> {
    serde_json::to_string(value).map_err(|error| handover_failed(what, &error.to_string()))
}

/// The error for a value core could not hand over (a bug, not bad input).
pub fn handover_failed(what: &str, detail: &str) -> CourierError {
    CourierError::new(
        "unexpected",
        format!("Courier's core could not hand over the {what} ({detail}); report this."),
    )
}

/// A plain object with these fields, for results that hold a string or bytes as they are.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new().into();
    add_fields(&object, fields);
    object
}

/// Adds these fields to an object made here.
pub fn add_fields(object: &JsValue, fields: &[(&str, JsValue)]) {
    for (name, value) in fields {
        // Setting a property on a plain object this module made cannot fail.
        let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), value);
    }
}

/// Bytes as a new `Uint8Array`.
pub fn bytes(bytes: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(bytes).into()
}
