//! The inventory and a run's journal as the extension keeps them: core's compact binary form
//! (postcard) as base64 text. JavaScript never reads them, only hands them back to this module;
//! as text they survive `chrome.storage` (which holds JSON only) and `postMessage`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use courier_core::exec::{Journal, JournalError};
use courier_core::model::Inventory;

use crate::error::CourierError;
use crate::js::handover_failed;

/// The inventory as the text the exports take back.
pub fn inventory_text(inventory: &Inventory) -> Result<String, CourierError> {
    let bytes = inventory
        .to_bytes()
        .map_err(|error| handover_failed("inventory", &error.to_string()))?;
    Ok(STANDARD.encode(bytes))
}

/// The inventory from the text `parseProfile`, `fetchProfile` or a run handed out.
pub fn read_inventory(text: &str) -> Result<Inventory, CourierError> {
    let refused =
        |error: &dyn std::fmt::Display| CourierError::invalid_argument("inventory", error);
    let bytes = STANDARD.decode(text).map_err(|error| refused(&error))?;
    Inventory::from_bytes(&bytes).map_err(|error| refused(&error))
}

/// A run's journal as the text to store and hand to `stepRun`.
pub fn journal_text(journal: &Journal) -> Result<String, CourierError> {
    Ok(STANDARD.encode(journal.to_bytes()?))
}

/// A run's journal from the text `startRun` or `stepRun` handed out.
pub fn read_journal(text: &str) -> Result<Journal, CourierError> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|error| JournalError::Unreadable(error.to_string()))?;
    Ok(Journal::from_bytes(&bytes)?)
}
