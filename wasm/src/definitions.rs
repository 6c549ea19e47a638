//! The definitions the module holds once set: from the extension's cache
//! ([`set_definitions`]) or built from freshly downloaded manifest tables, whole
//! ([`definitions_from_tables`]) or as the item table downloads ([`DefinitionsBuilder`]).
//! Until then every export works on hashes, as core does with empty definitions. Searches
//! compare names as the JavaScript engine lowercases them ([`engine_lowercase`]).

use std::cell::RefCell;
use std::rc::Rc;

use courier_core::defs::{ItemTableBuilder, parse_bucket_table};
use courier_core::model::{CaseFold, Definitions};
use js_sys::JsString;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::CourierError;

thread_local! {
    /// The loaded definitions (shared, so an export can keep them across an `.await`).
    static DEFINITIONS: RefCell<Rc<Definitions>> =
        RefCell::new(Rc::new(with_engine_fold(Definitions::default())));
}

/// The definitions loaded now.
pub fn current() -> Rc<Definitions> {
    DEFINITIONS.with(|cell| Rc::clone(&cell.borrow()))
}

/// Makes these the definitions every export uses.
pub fn load(definitions: Definitions) {
    DEFINITIONS.with(|cell| *cell.borrow_mut() = Rc::new(with_engine_fold(definitions)));
}

/// The definitions, their names folded by [`engine_lowercase`].
fn with_engine_fold(definitions: Definitions) -> Definitions {
    Definitions {
        case_fold: CaseFold(engine_lowercase),
        ..definitions
    }
}

/// `text` lowercased as the JavaScript engine does it (`toLowerCase`: Unicode's default
/// lowercasing, as Rust's own), so the module carries no case tables of its own (7 kB of it
/// gzipped). ASCII text, most names in English, never leaves the module.
pub fn engine_lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    String::from(JsString::from(text).to_lower_case())
}

/// Loads freshly built definitions and returns the bytes to cache.
fn load_built(definitions: Definitions) -> Vec<u8> {
    let bytes = definitions.to_bytes();
    load(definitions);
    bytes
}

/// `setDefinitions(bytes)`: loads cached definitions (the bytes `definitionsFromTables`,
/// `DefinitionsBuilder.finish` or `fetchDefinitions` returned).
#[wasm_bindgen(js_name = setDefinitions)]
pub fn set_definitions(bytes: &[u8]) -> Result<(), CourierError> {
    load(Definitions::from_bytes(bytes)?);
    Ok(())
}

/// `definitionsFromTables(items, buckets)`: builds the definitions from the manifest's
/// DestinyInventoryItemDefinition and DestinyInventoryBucketDefinition files, loads them, and
/// returns the bytes to cache.
#[wasm_bindgen(js_name = definitionsFromTables)]
pub fn definitions_from_tables(items: &[u8], buckets: &[u8]) -> Result<Vec<u8>, CourierError> {
    Ok(load_built(Definitions::from_tables(items, buckets)?))
}

/// `new DefinitionsBuilder()`: the definitions built as the DestinyInventoryItemDefinition file
/// downloads, so only one chunk of it is in the module's memory at a time: `push(chunk)` each
/// `Uint8Array` as it arrives, then `finish(buckets)`.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct DefinitionsBuilder {
    items: ItemTableBuilder,
}

#[wasm_bindgen]
impl DefinitionsBuilder {
    /// An empty builder.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// `push(chunk)`: the next bytes of the item file, split anywhere; a file that is not an
    /// item table throws a `definitions` error (and so does every later call).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), CourierError> {
        Ok(self.items.push(chunk)?)
    }

    /// `finish(buckets)`: with the whole item file pushed and the
    /// DestinyInventoryBucketDefinition file, loads the definitions and returns the bytes to
    /// cache. The builder is used up.
    pub fn finish(self, buckets: &[u8]) -> Result<Vec<u8>, CourierError> {
        Ok(load_built(Definitions {
            items: self.items.finish()?,
            buckets: parse_bucket_table(buckets)?,
            case_fold: CaseFold::default(),
        }))
    }
}
