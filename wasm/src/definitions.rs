//! The definitions the module holds once set: from the extension's cache
//! ([`set_definitions`]) or built from freshly downloaded manifest tables
//! ([`definitions_from_tables`]). Until then every export works on hashes, as core does with
//! empty definitions.

use std::cell::RefCell;
use std::rc::Rc;

use courier_core::model::Definitions;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::error::CourierError;

thread_local! {
    /// The loaded definitions (shared, so an export can keep them across an `.await`).
    static DEFINITIONS: RefCell<Rc<Definitions>> = RefCell::new(Rc::default());
}

/// The definitions loaded now.
pub fn current() -> Rc<Definitions> {
    DEFINITIONS.with(|cell| Rc::clone(&cell.borrow()))
}

/// Makes these the definitions every export uses.
pub fn load(definitions: Definitions) {
    DEFINITIONS.with(|cell| *cell.borrow_mut() = Rc::new(definitions));
}

/// `setDefinitions(bytes)`: loads cached definitions (the bytes `definitionsFromTables` or
/// `fetchDefinitions` returned).
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
    let definitions = Definitions::from_tables(items, buckets)?;
    let bytes = definitions.to_bytes();
    load(definitions);
    Ok(bytes)
}
