//! The definitions as bytes for a cache: a format version byte, then postcard of the tables
//! sorted by hash (so the same definitions always give the same bytes).

use std::collections::HashMap;

use postcard::ser_flavors;
use serde::{Deserialize, Serialize};

use super::DefsError;
use crate::model::{BucketDef, CaseFold, Definitions, ItemDef};
use crate::order;

/// The layout of the cached bytes. Bump it whenever [`ItemDef`] or [`BucketDef`] change, so an
/// old cache is refused instead of misread (the golden-bytes test fails as a reminder).
pub const FORMAT_VERSION: u8 = 1;

/// The cached tables, as sorted pairs: borrowed to write, owned to read.
#[derive(Serialize, Deserialize)]
struct CacheFile<I, B> {
    items: Vec<(u32, I)>,
    buckets: Vec<(u32, B)>,
}

impl Definitions {
    /// The definitions as bytes for a cache; read them back with [`Definitions::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        fn sorted<T>(map: &HashMap<u32, T>) -> Vec<(u32, &T)> {
            let mut pairs: Vec<(u32, &T)> = map.iter().map(|(hash, def)| (*hash, def)).collect();
            order::sort_by(&mut pairs, |(a, _), (b, _)| a.cmp(b));
            pairs
        }
        let file = CacheFile {
            items: sorted(&self.items),
            buckets: sorted(&self.buckets),
        };
        // Counting bytes and writing to a Vec cannot run out of room, and every sequence here
        // has a known length, so postcard has no way to fail.
        let length: usize = postcard::serialize_with_flavor(&file, ser_flavors::Size::default())
            .expect("postcard counts sized sequences of plain data");
        // Allocated once at its final size: growing by doubling would leave up to twice the
        // size behind in a wasm module's memory, which never shrinks.
        let mut bytes = Vec::with_capacity(1 + length);
        bytes.push(FORMAT_VERSION);
        postcard::to_extend(&file, bytes)
            .expect("postcard writes sized sequences of plain data into a Vec")
    }

    /// Reads definitions written by [`Definitions::to_bytes`]; a cache of another format
    /// version or damaged bytes are refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Definitions, DefsError> {
        let (&version, body) = bytes.split_first().ok_or_else(|| DefsError::CacheDamaged {
            detail: "it is empty".to_string(),
        })?;
        if version != FORMAT_VERSION {
            return Err(DefsError::CacheVersion {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let (file, rest): (CacheFile<ItemDef, BucketDef>, &[u8]) = postcard::take_from_bytes(body)
            .map_err(|error| DefsError::CacheDamaged {
                detail: error.to_string(),
            })?;
        if !rest.is_empty() {
            return Err(DefsError::CacheDamaged {
                detail: format!("{} unexpected bytes follow the definitions", rest.len()),
            });
        }
        Ok(Definitions {
            items: file.items.into_iter().collect(),
            buckets: file.buckets.into_iter().collect(),
            case_fold: CaseFold::default(),
        })
    }
}
