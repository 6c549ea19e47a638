//! The compact definition tables, streamed from the manifest's JSON tables.
//!
//! [`parse_item_table`] and [`parse_bucket_table`] read the files that
//! `jsonWorldComponentContentPaths.en.DestinyInventoryItemDefinition` (and
//! `...BucketDefinition`) point to: one JSON object from hash to entity. The object is visited
//! entry by entry and each entity read straight into a small borrowed struct of the fields
//! Courier needs, so a table of tens of megabytes is never held as a JSON tree. Redacted and
//! blacklisted entities are left out. [`ItemTableBuilder`] reads the item table the same way
//! from chunks as they download, so the file never has to be in memory whole.
//! [`Definitions::to_bytes`] and [`Definitions::from_bytes`] cache the result.
//!
//! ```
//! let items = br#"{"1363886209": {"displayProperties": {"name": "Gjallarhorn", "icon": "/g.jpg"},
//!     "inventory": {"tierType": 6, "bucketTypeHash": 953998645, "maxStackSize": 1},
//!     "itemType": 3, "classType": 3, "equippable": true,
//!     "equippingBlock": {"uniqueLabel": "exotic_weapon"}, "hash": 1363886209}}"#;
//! let buckets = br#"{"138197802": {"displayProperties": {"name": "General"},
//!     "itemCount": 700, "scope": 1, "category": 3}}"#;
//! let defs = courier_core::model::Definitions::from_tables(items, buckets).expect("tables");
//! assert_eq!(defs.name(1363886209), "Gjallarhorn");
//! assert_eq!(defs.capacity(138197802), 700);
//! ```

mod builder;
mod cache;
mod entries;
mod table;
mod wire;

#[cfg(test)]
mod builder_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt::Display;

pub use builder::ItemTableBuilder;
pub use cache::FORMAT_VERSION;

use crate::model::{BucketDef, CaseFold, Definitions, ItemDef};
use wire::{BucketEntity, ItemEntity};

/// The item definitions table's name in the manifest.
pub const ITEM_TABLE: &str = "DestinyInventoryItemDefinition";
/// The bucket definitions table's name in the manifest.
pub const BUCKET_TABLE: &str = "DestinyInventoryBucketDefinition";

/// Why definitions could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefsError {
    /// A manifest table is not the JSON object of definitions it should be.
    #[error(
        "the {table} table could not be read ({detail}); download it again from the manifest's \
         jsonWorldComponentContentPaths"
    )]
    Table {
        /// The table's name.
        table: &'static str,
        /// What the JSON parser saw, with its position.
        detail: String,
    },
    /// The cache was written by a Courier with another layout.
    #[error(
        "the cached definitions are in format {found}, this Courier reads format {expected}; \
         download the manifest tables again to rebuild the cache"
    )]
    CacheVersion {
        /// The version byte found.
        found: u8,
        /// [`FORMAT_VERSION`].
        expected: u8,
    },
    /// The cached bytes are not definitions.
    #[error(
        "the cached definitions are damaged ({detail}); download the manifest tables again to \
         rebuild the cache"
    )]
    CacheDamaged {
        /// What is wrong with them.
        detail: String,
    },
}

/// Reads a DestinyInventoryItemDefinition table into item definitions by hash.
pub fn parse_item_table(bytes: &[u8]) -> Result<HashMap<u32, ItemDef>, DefsError> {
    table::read::<ItemEntity<'_>>(bytes).map_err(|error| table_error(ITEM_TABLE, error))
}

/// Reads a DestinyInventoryBucketDefinition table into bucket definitions by hash.
pub fn parse_bucket_table(bytes: &[u8]) -> Result<HashMap<u32, BucketDef>, DefsError> {
    table::read::<BucketEntity<'_>>(bytes).map_err(|error| table_error(BUCKET_TABLE, error))
}

/// A [`DefsError::Table`] of this table with what was wrong.
fn table_error(table: &'static str, detail: impl Display) -> DefsError {
    DefsError::Table {
        table,
        detail: detail.to_string(),
    }
}

impl Definitions {
    /// Both tables at once, from the bytes of the item and bucket definition files.
    pub fn from_tables(items: &[u8], buckets: &[u8]) -> Result<Definitions, DefsError> {
        Ok(Definitions {
            items: parse_item_table(items)?,
            buckets: parse_bucket_table(buckets)?,
            case_fold: CaseFold::default(),
        })
    }
}
