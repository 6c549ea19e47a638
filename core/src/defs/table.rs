//! Streaming a manifest table: the top-level object (hash string to entity) is visited entry
//! by entry, each entity deserialized straight into its small wire struct, so the table is
//! never held as a JSON tree.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

/// One kind of manifest entity: what it is read as, and what Courier keeps of it.
pub(super) trait Entity<'de>: Deserialize<'de> {
    /// The compact definition kept for it.
    type Def;

    /// The definition, or `None` for an entity the manifest hides (redacted or blacklisted).
    fn into_def(self) -> Option<Self::Def>;
}

/// Reads a whole table of `E` from JSON bytes; the error is serde_json's, with its position.
pub(super) fn read<'de, E: Entity<'de>>(
    bytes: &'de [u8],
) -> Result<HashMap<u32, E::Def>, serde_json::Error> {
    let mut table = HashMap::new();
    read_into::<E>(bytes, &mut table)?;
    Ok(table)
}

/// Reads a JSON object of `E` from bytes into `table`, a later entry of a hash replacing an
/// earlier one; on an error, the entries before it are already in.
pub(super) fn read_into<'de, E: Entity<'de>>(
    bytes: &'de [u8],
    table: &mut HashMap<u32, E::Def>,
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.deserialize_map(TableVisitor::<E::Def, E> {
        table,
        entity: PhantomData,
    })?;
    deserializer.end()
}

/// Visits the table's object, keeping the definitions of the entities that are not hidden.
struct TableVisitor<'t, D, E> {
    table: &'t mut HashMap<u32, D>,
    entity: PhantomData<fn() -> E>,
}

impl<'de, E: Entity<'de>> Visitor<'de> for TableVisitor<'_, E::Def, E> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object of definitions keyed by their hash")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(hash) = map.next_key::<u32>()? {
            if let Some(def) = map.next_value::<E>()?.into_def() {
                self.table.insert(hash, def);
            }
        }
        Ok(())
    }
}
