//! The item table read as it downloads: [`ItemTableBuilder`] takes the file's bytes in
//! chunks of any size and keeps only the compact definitions and the text of the entry still
//! arriving, so a table of tens of megabytes never has to be in memory whole.

use std::collections::HashMap;

use super::entries::{EntryScanner, OutlineError, Scanned};
use super::wire::ItemEntity;
use super::{DefsError, ITEM_TABLE, table, table_error};
use crate::model::ItemDef;

/// Builds the item definitions from a DestinyInventoryItemDefinition file pushed in chunks,
/// split anywhere (inside a string, an escape or a UTF-8 character). It is sans-I/O: the
/// caller reads the download and pushes what arrives.
///
/// ```
/// use courier_core::defs::ItemTableBuilder;
///
/// let file = br#"{"17": {"displayProperties": {"name": "Ace \"of\" Spades"}}, "18": {}}"#;
/// let mut builder = ItemTableBuilder::new();
/// for chunk in file.chunks(5) {
///     builder.push(chunk).expect("a readable chunk");
/// }
/// let items = builder.finish().expect("a whole table");
/// assert_eq!(items[&17].name, "Ace \"of\" Spades");
/// assert_eq!(items.len(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct ItemTableBuilder {
    scanner: EntryScanner,
    /// `{`, then the text after the last finished entry: the unfinished tail.
    pending: Vec<u8>,
    /// Where the tail starts in the file.
    pending_at: u64,
    table: HashMap<u32, ItemDef>,
    /// The first error, given again by every later call.
    failed: Option<DefsError>,
}

impl Default for ItemTableBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ItemTableBuilder {
    /// A builder that has seen nothing yet.
    pub fn new() -> Self {
        Self {
            scanner: EntryScanner::default(),
            pending: vec![b'{'],
            pending_at: 0,
            table: HashMap::new(),
            failed: None,
        }
    }

    /// Reads the next chunk of the file: every entry it finishes goes into the table. An error
    /// (the text is not a table of definitions) ends the build: every later call gives it again.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), DefsError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let read = self.read(chunk);
        if let Err(error) = &read {
            self.failed = Some(error.clone());
        }
        read
    }

    /// The definitions, once the whole file was pushed; an error if it was cut short.
    pub fn finish(self) -> Result<HashMap<u32, ItemDef>, DefsError> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        self.scanner.finish().map_err(outline_error)?;
        Ok(self.table)
    }

    /// Scans the chunk, reads the entries it finishes, and keeps the unfinished tail.
    fn read(&mut self, chunk: &[u8]) -> Result<(), DefsError> {
        let chunk_at = self.scanner.length();
        let Scanned {
            opened_at,
            text_from,
            last_end,
            closed,
        } = self.scanner.scan(chunk).map_err(outline_error)?;
        let Some(text_from) = text_from else {
            return Ok(());
        };
        if opened_at.is_some() {
            self.pending_at = chunk_at + text_from as u64;
        }
        let Some(end) = last_end else {
            self.pending.extend_from_slice(&chunk[text_from..]);
            return Ok(());
        };
        match opened_at {
            // The whole object is in this chunk: read it where it is.
            Some(open) if closed => {
                read_entries(&mut self.table, &chunk[open..=end], chunk_at + open as u64)
            }
            _ => {
                // Grown once, to hold the entries and the `}`.
                self.pending.reserve(end - text_from + 1);
                self.pending.extend_from_slice(&chunk[text_from..end]);
                self.pending.push(b'}');
                let read = read_entries(
                    &mut self.table,
                    &self.pending,
                    self.pending_at.saturating_sub(1),
                );
                self.pending.truncate(1);
                self.pending_at = chunk_at + end as u64 + 1;
                if !closed {
                    self.pending.extend_from_slice(&chunk[end + 1..]);
                }
                read
            }
        }
    }
}

/// Reads finished entries into `table`, as an object (`{...}`) whose `{` is at `from` in the
/// file.
fn read_entries(
    table: &mut HashMap<u32, ItemDef>,
    object: &[u8],
    from: u64,
) -> Result<(), DefsError> {
    table::read_into::<ItemEntity<'_>>(object, table).map_err(|error| {
        table_error(
            ITEM_TABLE,
            format!("{error}, counting from byte {from} of the file"),
        )
    })
}

/// An outline error as the item table's error.
fn outline_error(error: OutlineError) -> DefsError {
    table_error(ITEM_TABLE, error)
}
