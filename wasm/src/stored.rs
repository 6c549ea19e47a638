//! The inventory and a run's journal as the extension keeps them: core's compact binary form
//! (postcard) as base64 text. JavaScript never reads them, only hands them back to this module;
//! as text they survive `chrome.storage` (which holds JSON only) and `postMessage`.
//!
//! The base64 is the engine's own (`btoa`, `atob`, in pages, workers and Node alike), over a
//! "binary string" of one character per byte. The text stays a JavaScript string both ways: it
//! is never copied into the module's memory only to be copied out again (that copy was a third
//! of `parseProfile`'s time).

use courier_core::exec::{Journal, JournalError};
use courier_core::model::Inventory;
use js_sys::JsString;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::{CourierError, describe};
use crate::js::handover_failed;

#[wasm_bindgen]
extern "C" {
    /// base64 of a binary string.
    fn btoa(binary: &str) -> JsString;
    /// The binary string of base64 text; throws on anything else.
    #[wasm_bindgen(catch)]
    fn atob(text: &JsString) -> Result<String, JsValue>;
}

/// Bytes as base64 text.
fn encode(bytes: &[u8]) -> JsString {
    let binary: String = bytes.iter().copied().map(char::from).collect();
    btoa(&binary)
}

/// The bytes of base64 text, or why it is not base64.
fn decode(text: &JsString) -> Result<Vec<u8>, String> {
    let binary = atob(text).map_err(|thrown| describe(&thrown))?;
    // `atob` gives one character below U+0100 per byte.
    binary
        .chars()
        .map(|c| {
            u8::try_from(c).map_err(|_| "atob gave a character that is not a byte".to_string())
        })
        .collect()
}

/// The inventory as the text the exports take back.
pub fn inventory_text(inventory: &Inventory) -> Result<JsString, CourierError> {
    let bytes = inventory
        .to_bytes()
        .map_err(|error| handover_failed("inventory", &error.to_string()))?;
    Ok(encode(&bytes))
}

/// The inventory from the text `parseProfile`, `fetchProfile` or a run handed out.
pub fn read_inventory(text: &JsString) -> Result<Inventory, CourierError> {
    let refused =
        |error: &dyn std::fmt::Display| CourierError::invalid_argument("inventory", error);
    let bytes = decode(text).map_err(|error| refused(&error))?;
    Inventory::from_bytes(&bytes).map_err(|error| refused(&error))
}

/// A run's journal as the text to store and hand to `stepRun`.
pub fn journal_text(journal: &Journal) -> Result<JsString, CourierError> {
    Ok(encode(&journal.to_bytes()?))
}

/// A run's journal from the text `startRun` or `stepRun` handed out. A journal of version 1 was
/// a JSON object, which base64 never starts like.
pub fn read_journal(text: &JsString) -> Result<Journal, CourierError> {
    if text.trim_start().starts_with("{", 0) {
        return Err(JournalError::Version(1).into());
    }
    let bytes = decode(text).map_err(JournalError::Unreadable)?;
    Ok(Journal::from_bytes(&bytes)?)
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use js_sys::JsString;

    use super::{decode, encode};

    #[wasm_bindgen_test]
    fn every_byte_survives_the_engines_base64() {
        let bytes: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        let text = encode(&bytes);
        assert!(
            String::from(&text)
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
        assert_eq!(decode(&text), Ok(bytes));
        assert_eq!(decode(&JsString::from("")), Ok(Vec::new()));
        assert!(
            decode(&JsString::from("{\"version\":1}")).is_err(),
            "JSON is not base64"
        );
    }
}
